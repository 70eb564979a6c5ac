# prof-stream, dom0: start the receiving guest, then the sending one, and
# tell each the other's id (guests cannot read each other's xenstore).
. /lab/lib.sh
tap_plan 7

load_argo
g1=$(guest_create ../smoke/g1.cfg 'vcpus=1' \
	'extra="console=hvc0 loglevel=4 lab.name=g1 lab.script=prof-stream/g1.sh"') ||
	{ not_ok create_g1 "xl create failed"; tap_not_run create_g2 g2_finished g1_finished "no g1"; tap_done; exit 1; }
ok create_g1
lab_wait "$g1" ready "$GUEST_WAIT_S" > /dev/null
if g2=$(guest_create ../smoke/g1.cfg 'name="g2"' 'vcpus=1' \
	'extra="console=hvc0 loglevel=4 lab.name=g2 lab.script=prof-stream/g2.sh"'); then
	ok create_g2
	lab_tell "$g1" peer "$g2"
	lab_tell "$g2" peer "$g1"
	guest_wait g2 "$GUEST_WAIT_S" && ok g2_finished || not_ok g2_finished "g2 did not power off by itself"
else
	tap_not_run create_g2 g2_finished "xl create failed"
	lab_tell "$g1" peer none
fi
guest_wait g1 "$GUEST_WAIT_S" && ok g1_finished || not_ok g1_finished "g1 did not power off by itself"
tap_done
