# peers, g2: a ring for g1 only, and one for dom0 only; then how the
# two messages were signalled (check_notified: lab.notify=, evtchn by default).
. /lab/lib.sh
tap_plan 7

load_argo
check_mechanism
me=$(my_domid)
g1=$(lab_wait "$me" peer "$GUEST_WAIT_S")
argo-recv -p 7200 -f "$g1" -n 1 -x -w "$GUEST_WAIT_S" -R /tmp/a.ready > /tmp/a.out 2>&1 &
apid=$!
argo-recv -p 7300 -f 0 -n 1 -x -w "$GUEST_WAIT_S" -R /tmp/b.ready > /tmp/b.out 2>&1 &
bpid=$!
wait_file /tmp/a.ready 10 && wait_file /tmp/b.ready 10 && lab_signal ring-ready
wait $apid
check guest_to_guest_source_type_bytes \
	"from $g1:7201 type 9 len 13 data 66726f6d20673120746f206732" "$(cat /tmp/a.out)"
# dom0 sends to the ring that refused g1 (the control: it takes its partner).
wait $bpid
check ring_for_dom0_takes_dom0 "from 0:0 type 0 len 4 data 646f6d30" "$(cat /tmp/b.out)"
check_notified
tap_done
