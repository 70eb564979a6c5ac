# peers, dom0: starts g1 and g2, introduces them, then holds a ring for g1
# and destroys g1 while g1's messages are still in it.
. /lab/lib.sh
tap_plan 11

load_argo
# pvh-peers runs this script with PVH guests: PEERS_CFG, PEERS_EXTRA.
cfg=${PEERS_CFG:-../smoke/g1.cfg}
g1=$(guest_create "$cfg" -p \
	"extra=\"console=hvc0 loglevel=4 lab.name=g1 lab.script=peers/g1.sh${PEERS_EXTRA:-}\"") ||
	{ not_ok create_g1 "xl create failed"; tap_done; exit 1; }
g2=$(guest_create "$cfg" 'name="g2"' \
	"extra=\"console=hvc0 loglevel=4 lab.name=g2 lab.script=peers/g2.sh${PEERS_EXTRA:-}\"") ||
	{ not_ok create_g2 "xl create failed"; tap_done; exit 1; }
ok create_two_guests
# dom0's ring for g1 only, registered while g1 is paused, held unread.
argo-recv -p 7100 -f "$g1" -n 3 -x -w "$GUEST_WAIT_S" -G /tmp/go -R /tmp/ready \
	> /tmp/g1.out 2>&1 &
rpid=$!
wait_file /tmp/ready 10
xl unpause g1
lab_tell "$g1" peer "$g2"
lab_tell "$g2" peer "$g1"
lab_tell "$g1" dom0-ring-ready
# Guests cannot read each other's xenstore: dom0 passes g2's word to g1.
lab_wait "$g2" ring-ready "$GUEST_WAIT_S" > /dev/null && lab_tell "$g1" g2-ring-ready

# g1 queues three messages in dom0's ring, then is destroyed.
if lab_wait "$g1" sent-to-dom0 "$GUEST_WAIT_S" > /dev/null &&
   lab_wait "$g1" done "$GUEST_WAIT_S" > /dev/null; then
	sleep 1 # let g1's last console lines through the relay
	# g1 was refused g2's ring for dom0 (port 7300): that ring exists and
	# takes its partner, so the refusal was about the partner.
	check_cmd partner_reaches_ring_that_refused_g1 argo-send -d "$g2" -p 7300 -m dom0
	# verbose: the driver logs each ring it unregisters, so the closing
	# of the ring Xen already dropped (its -ENOENT) shows it went through.
	echo 1 > /sys/module/argo/parameters/verbose
	check_cmd destroy_g1_with_messages_queued xl destroy g1
	guest_unrelay g1
	touch /tmp/go
	wait $rpid
	check queued_messages_survive_sender_destroyed \
"from $g1:7101 type 1 len 6 data 71756575650a
from $g1:7101 type 2 len 6 data 71756575650a
from $g1:7101 type 3 len 6 data 71756575650a" "$(cat /tmp/g1.out)"
	# Xen dropped dom0's ring for g1 with g1: closing it must not complain.
	warn=$(dmesg | grep 'argo: unregistering' || true)
	check driver_accepts_ring_dropped_with_partner "" "$warn"
	check driver_released_ring_dropped_with_partner "argo: unregistered port 7100 partner $g1" \
		"$(dmesg | grep -o "argo: unregistered port 7100 partner $g1\$" | tail -n1)"
	echo 0 > /sys/module/argo/parameters/verbose
	out=$(argo-send -d "$g1" -p 1 -m x 2>&1)
	case "$out" in
	*"No such process"*) ok send_to_destroyed_domain_esrch ;;
	*) not_ok send_to_destroyed_domain_esrch "expected ESRCH, got '$out'" ;;
	esac
else
	tap_not_run partner_reaches_ring_that_refused_g1 destroy_g1_with_messages_queued \
		queued_messages_survive_sender_destroyed driver_accepts_ring_dropped_with_partner \
		driver_released_ring_dropped_with_partner send_to_destroyed_domain_esrch \
		"g1 did not get as far as sending"
fi
guest_wait g2 "$GUEST_WAIT_S" && ok g2_finished || not_ok g2_finished "g2 did not power off"
tap_done
