# smoke, dom0 half. Payloads are checked byte for byte, as hex.
. /lab/lib.sh
tap_plan 12

load_argo

# Self-send: dom0 to its own ring, with a source port and a message type.
argo-recv -p 4000 -f 0 -n 2 -x -w 20 -R /tmp/self.ready > /tmp/self.out 2>&1 &
rpid=$!
wait_file /tmp/self.ready 10
check_cmd self_send_first argo-send -d 0 -p 4000 -s 4100 -t 9 -x 00ff7f80
check_cmd self_send_second argo-send -d 0 -p 4000 -s 4100 -t 4294967295 -m "dom0 to dom0"
wait $rpid
check self_recv_source_type_bytes \
	"from 0:4100 type 9 len 4 data 00ff7f80
from 0:4100 type 4294967295 len 12 data 646f6d3020746f20646f6d30" "$(cat /tmp/self.out)"

# No ring at the destination: Xen's -ECONNREFUSED reaches userspace.
out=$(argo-send -d 0 -p 4999 -m x 2>&1)
case "$out" in
*"Connection refused"*) ok send_to_missing_ring_refused ;;
*) not_ok send_to_missing_ring_refused "expected 'Connection refused', got '$out'" ;;
esac

# Guest -> dom0: a single-source ring needs its partner to exist, so the
# guest is created paused, the ring registered, then the guest runs.
gid=$(guest_create g1.cfg -p) || { not_ok create_g1 "xl create failed"; tap_done; exit 1; }
ok create_g1
argo-recv -p 5000 -f "$gid" -n 3 -x -w "$GUEST_WAIT_S" -R /tmp/g1.ready > /tmp/g1.out 2>&1 &
rpid=$!
wait_file /tmp/g1.ready 10
xl unpause g1
lab_tell "$gid" dom0-ring-ready
wait $rpid
check guest_to_dom0_source_type_bytes \
	"from $gid:5100 type 7 len 5 data 68656c6c6f
from $gid:5100 type 0 len 1 data 00
from $gid:5100 type 65536 len 300 data $(i=0; while [ $i -lt 100 ]; do printf 'a5015a'; i=$((i + 1)); done)" \
	"$(cat /tmp/g1.out)"

# dom0 -> guest: the guest registers a ring for dom0 only and says so.
if lab_wait "$gid" guest-ring-ready "$GUEST_WAIT_S" > /dev/null; then
	check_cmd dom0_to_guest_first argo-send -d "$gid" -p 6000 -s 6100 -t 3 -x 0102030405
	check_cmd dom0_to_guest_second argo-send -d "$gid" -p 6000 -s 6100 -t 11 -m "from dom0"
else
	tap_not_run dom0_to_guest_first dom0_to_guest_second "the guest never registered its ring"
fi

guest_wait g1 "$GUEST_WAIT_S" && ok g1_finished || not_ok g1_finished "g1 did not power off by itself"
tap_done
