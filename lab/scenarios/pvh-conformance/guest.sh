# pvh-conformance, guest: argo-conformance prints this domain's TAP (its
# plan first), with the mechanism (lab.mech=msr) and the notification kind
# (lab.notify=vector, which argo.ko is loaded with) as two more cases.
. /lab/lib.sh

n=$(lab_cmdline notify)
insmod /lib/argo/argo.ko ${n:+notify=$n} && insmod /lib/argo/argo_char.ko && wait_file /dev/argo 5 ||
	echo "LAB-ERROR could not load the Argo modules"
argo-conformance "$(my_domid)" "$(lab_cmdline xen)" "$(lab_cmdline mech)" "$n"
