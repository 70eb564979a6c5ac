# demo, dom0 half: dom0 <-> g1, then g1 -> g2 with dom0 only introducing them.
. /lab/lib.sh
tap_plan 8

say() { echo "| $*"; }

load_argo
say "Xen $(xl info | sed -n 's/^xen_version *: //p') is running with Argo on; /dev/argo is ready in dom0"
gid=$(guest_create ../smoke/g1.cfg -p \
	'extra="console=hvc0 loglevel=4 lab.name=g1 lab.script=demo/g1.sh"') ||
	{ not_ok create_g1 "xl create failed"; tap_done; exit 1; }
ok create_g1
g2=$(guest_create ../smoke/g1.cfg 'name="g2"' \
	'extra="console=hvc0 loglevel=4 lab.name=g2 lab.script=demo/g2.sh"') ||
	{ not_ok create_g2 "xl create failed"; tap_done; exit 1; }
ok create_g2
argo-recv -p 5000 -f "$gid" -n 3 -w "$GUEST_WAIT_S" -R /tmp/ready > /tmp/rx.txt 2>&1 &
rpid=$!
wait_file /tmp/ready 10
say "registered an Argo ring on port 5000 that only g1 (domain $gid) may send to"
xl unpause g1
lab_tell "$gid" peer "$g2"
lab_tell "$g2" peer "$gid"
lab_tell "$gid" dom0-ring-ready
wait $rpid && ok received_from_g1 || not_ok received_from_g1 "$(cat /tmp/rx.txt)"
say "received from g1, copied into dom0's ring by Xen:"
sed 's/^/|     /' /tmp/rx.txt
if lab_wait "$gid" tried-mgmt "$GUEST_WAIT_S" > /dev/null; then
	say "the refusal, as argo-ctl policy reads it from Xen's log:"
	argo-ctl policy | sed -n '/^Flask mode/p; /^Argo denials/,$p' | sed 's/^/|     /'
fi
if lab_wait "$gid" server-ready "$GUEST_WAIT_S" > /dev/null; then
	say "pinging g1's Argo echo server (64-byte messages):"
	argo-ping -d "$gid" -p 7000 -c 5 2>&1 | sed 's/^/|     /'
fi
# Guests cannot read each other's xenstore: dom0 passes g2's word on.
lab_wait "$g2" ready "$GUEST_WAIT_S" > /dev/null && lab_tell "$gid" g2-ready
guest_wait g1 "$GUEST_WAIT_S" && ok g1_finished || not_ok g1_finished "g1 did not power off by itself"
guest_wait g2 "$GUEST_WAIT_S" && ok g2_finished || not_ok g2_finished "g2 did not power off by itself"
tap_done
