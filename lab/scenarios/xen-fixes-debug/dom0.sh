# xen-fixes-debug, dom0 half: defect 6 of docs/xen-argo-fixes.md. A guest
# registers a single-source ring with itself as the partner and powers off
# with the ring still registered.
. /lab/lib.sh
# Pristine debug Xen must fail its assertion: the last three do not run there.
tap_plan 7 pristine-debug=4

xen=$(lab_cmdline xen)
echo "# running on $xen Xen"
load_argo
gid=$(guest_create ../smoke/g1.cfg \
	"extra=\"console=hvc0 loglevel=4 lab.name=g1 lab.script=xen-fixes-debug/guest.sh\"") ||
	{ not_ok create_g1 "xl create failed"; tap_done; exit 1; }
got=$(lab_wait "$gid" self-ring "$GUEST_WAIT_S")
check g1_holds_a_ring_partnered_with_itself registered "$got"

if [ "$xen" = pristine-debug ]; then
	# The runner judges the rest: Xen must fail its assertion.
	tap_done
	sleep 2 # let g1's TAP through the relay first
	lab_tell "$gid" poweroff
	sleep 60
	echo "LAB-ERROR pristine Xen survived g1's teardown"
	exit 1
fi

lab_tell "$gid" poweroff
guest_wait g1 "$GUEST_WAIT_S" && ok g1_torn_down || not_ok g1_torn_down "g1 did not power off"
check_cmd xen_still_answers xl list
# A log that could not be read shows no assertion either.
if log=$(xl dmesg 2>&1) && echo "$log" | grep -q '^(XEN) '; then
	check no_assertion_in_xen_log "" "$(echo "$log" | grep -E 'Assertion|FATAL' || true)"
else
	not_ok no_assertion_in_xen_log "could not read Xen's log: xl dmesg said '$(echo "$log" | head -n3)'"
fi
tap_done
