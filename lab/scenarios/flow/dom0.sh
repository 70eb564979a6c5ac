# flow, dom0: a 256-byte ring held unread has room for seven 16-byte
# messages (each takes a 16-byte header and one 16-byte slot, and Xen keeps
# one slot free); the largest message it can ever take is 224 bytes.
. /lab/lib.sh
tap_plan 19

load_argo
msg=00112233445566778899aabbccddeeff
argo-recv -p 9500 -f 0 -r 256 -G /tmp/go -n 8 -x -w 120 -R /tmp/ready > /tmp/rx.out 2>&1 &
rpid=$!
wait_file /tmp/ready 10

check space_query_empty_ring "fits 1 max 224" "$(argo-send -q -d 0 -p 9500 -l 16 2>&1)"
check space_query_largest_message "fits 1 max 224" "$(argo-send -q -d 0 -p 9500 -l 224 2>&1)"
check space_query_message_larger_than_ring \
	"argo-send: send to 0:9500: Message too long (message larger than the ring can hold)" \
	"$(argo-send -q -d 0 -p 9500 -l 225 2>&1)"
check space_query_no_ring \
	"argo-send: send to 0:9599: Connection refused (no ring registered at the destination for this sender)" \
	"$(argo-send -q -d 0 -p 9599 -l 16 2>&1)"

n=0
while [ $n -lt 7 ] && argo-send -d 0 -p 9500 -x $msg; do n=$((n + 1)); done
check fill_ring_with_seven_messages 7 "$n"
check space_query_full_ring "fits 0 max 224" "$(argo-send -q -d 0 -p 9500 -l 16 2>&1)"

# A waiting sender asks, is told no, and sleeps until Xen signals space.
argo-send -w -d 0 -p 9500 -m "waited for space" > /tmp/w.out 2>&1 &
wpid=$!
sleep 2
if kill -0 $wpid 2>/dev/null; then
	ok waiting_sender_blocks_on_full_ring
else
	not_ok waiting_sender_blocks_on_full_ring "it exited: $(cat /tmp/w.out)"
fi
# Still there could mean retrying in a loop: it must be asleep.
if why=$(proc_asleep $wpid); then ok waiting_sender_sleeps_not_spins; else
	not_ok waiting_sender_sleeps_not_spins "expected state S and no CPU time, got $why"; fi
touch /tmp/go
if wait $wpid; then
	ok waiting_sender_completes_after_drain
else
	not_ok waiting_sender_completes_after_drain "$(cat /tmp/w.out)"
fi
wait $rpid
expected=$(i=0; while [ $i -lt 7 ]; do echo "from 0:0 type 0 len 16 data $msg"; i=$((i + 1)); done
	echo "from 0:0 type 0 len 16 data 77616974656420666f72207370616365")
check drained_ring_then_waited_message "$expected" "$(cat /tmp/rx.out)"

# --- Lifetime: nothing stays registered in Xen -----------------------------
check debugfs_lists_no_ring_when_idle "port partner len flags rx tx msgs_received notifies rx_calls suppress notifies_saved virqs_saved" \
	"$(cat /sys/kernel/debug/argo/rings)"
argo-recv -p 9600 -f 0 -n 1 -w 120 -R /tmp/open.ready > /dev/null 2>&1 &
hpid=$!
wait_file /tmp/open.ready 10
if rmmod argo_char 2>/dev/null; then
	not_ok unload_refused_while_endpoint_open "rmmod argo_char succeeded with /dev/argo open"
else
	ok unload_refused_while_endpoint_open
fi
kill $hpid
wait $hpid 2>/dev/null
# Xen's own view, not the driver's: a send to either closed ring is refused
# (Xen has no ring there), and the same ports register again, which the
# driver asks Xen to refuse if a ring exists (FAIL_EXIST).
for p in 9500 9600; do
	out=$(argo-send -d 0 -p $p -m leftover 2>&1)
	case "$out" in
	*"Connection refused"*) ok "xen_has_no_ring_on_port_$p" ;;
	*) not_ok "xen_has_no_ring_on_port_$p" "expected ECONNREFUSED, got '$out'" ;;
	esac
done
argo-recv -p 9500 -f 0 -n 1 -w 5 -R /tmp/again1.ready > /tmp/again1.out 2>&1 &
p1=$!
argo-recv -p 9600 -f 0 -n 1 -w 5 -R /tmp/again2.ready > /tmp/again2.out 2>&1 &
p2=$!
if wait_file /tmp/again1.ready 10 && wait_file /tmp/again2.ready 10; then
	ok same_ports_register_again_in_xen
else
	not_ok same_ports_register_again_in_xen "$(cat /tmp/again1.out /tmp/again2.out)"
fi
kill $p1 $p2 2>/dev/null
wait $p1 $p2 2>/dev/null
# 100 load/bind/unload cycles are the lifecycle scenario's.
check debugfs_counts_balance "$(sed -n 's/rings_registered //p' /sys/kernel/debug/argo/stats)" \
	"$(sed -n 's/rings_unregistered //p' /sys/kernel/debug/argo/stats)"
tap_done
