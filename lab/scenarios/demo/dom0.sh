# demo, dom0 half: dom0 <-> g1, then g1 -> g2 with dom0 only introducing
# them; then a driver domain serves g2 a disk over Argo.
. /lab/lib.sh
tap_plan 11

say() { echo "| $*"; }

load_argo
say "Xen $(xl info | sed -n 's/^xen_version *: //p') is running with Argo on; /dev/argo is ready in dom0"
# The driver domain boots while the others talk.
drv=$(guest_create ../virtio-backend/drv.cfg 'seclabel="system_u:system_r:argo_driver_t"' \
	'extra="console=hvc0 loglevel=4 lab.name=drv lab.script=demo/drv.sh"') ||
	{ not_ok create_drv "xl create failed"; tap_done; exit 1; }
ok create_drv
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

# A disk for g2 from the driver domain: two patch cables (its discovery
# port, its disk's port), and the driver domain learns g2's domid. g2 is
# told nothing but "look".
lab_tell "$drv" g2 "$g2"
if argo-ctl cable add "$g2" 5011 "$drv" 5010 && argo-ctl cable add "$g2" 6100 "$drv" 5000; then
	ok cable_g2_to_driver_domain; else not_ok cable_g2_to_driver_domain "argo-ctl failed"; fi
say "dom0 started a driver domain, drv (domain $drv), and cabled two of g2's ports to it:"
argo-ctl cable list "$g2" | sed 's/^/|     /'
lab_wait "$drv" serving "$GUEST_WAIT_S" > /dev/null
lab_tell "$g2" disk
lab_wait "$g2" disk-done "$GUEST_WAIT_S" > /dev/null
lab_tell "$g2" bye
lab_tell "$drv" bye
guest_wait g2 "$GUEST_WAIT_S" && ok g2_finished || not_ok g2_finished "g2 did not power off by itself"
guest_wait drv "$GUEST_WAIT_S" && ok drv_finished || not_ok drv_finished "drv did not power off by itself"
tap_done
