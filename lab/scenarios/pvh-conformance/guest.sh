# pvh-conformance, guest: argo-conformance prints this domain's TAP (its
# plan first), with the mechanism (lab.mech=msr) as one more case.
. /lab/lib.sh

insmod /lib/argo/argo.ko && insmod /lib/argo/argo_char.ko && wait_file /dev/argo 5 ||
	echo "LAB-ERROR could not load the Argo modules"
argo-conformance "$(my_domid)" "$(lab_cmdline xen)" "$(lab_cmdline mech)"
