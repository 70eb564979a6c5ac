# pvh-bench, dom0: start the PVH guest and wait for it.
. /lab/lib.sh
tap_plan 2

if guest_create ../pvh-smoke/g1.cfg \
	'extra="console=hvc0 loglevel=4 lab.name=g1 lab.script=pvh-bench/guest.sh lab.mech=msr lab.notify=vector"' \
	> /dev/null; then
	ok create_g1
	guest_wait g1 "$GUEST_WAIT_S" && ok g1_finished || not_ok g1_finished "g1 did not power off by itself"
else
	tap_not_run create_g1 g1_finished "xl create failed"
fi
tap_done
