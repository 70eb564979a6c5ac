# conformance, dom0: the program prints the TAP for this domain, with the
# mechanism argo.ko uses (PV dom0: the hypercall) as one of its cases.
. /lab/lib.sh

insmod /lib/argo/argo.ko && insmod /lib/argo/argo_char.ko && wait_file /dev/argo 5 ||
	echo "LAB-ERROR could not load the Argo modules"
argo-conformance 0 "$(lab_cmdline xen)" hypercall
