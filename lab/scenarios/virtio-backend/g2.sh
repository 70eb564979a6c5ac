# virtio-backend, g2: well-behaved once, then a hostile frontend: each
# malformed or disallowed message must end its session (EVENT_RESET) or
# be answered TOOBIG, and a new session must still be served; last, it
# sends writes its back-end cannot finish yet and is destroyed by dom0.
. /lab/lib.sh
tap_plan 15

load_argo
me=$(my_domid)
lab_wait "$me" go "$GUEST_WAIT_S" > /dev/null
set -- $(argo-discover 2>&1 |
	sed -n 's/^device [0-9]* block port=\([0-9]*\) .*frontend_ring=\([0-9]*\) .*/\1 \2/p')
check discovers_its_disk_port "6000 262144" "$*"
va() { va-frontend -p 6000 -r 262144 "$@"; }
check_cmd rw_through_dom0 va rw 0 16 2

lab_wait "$me" hostile "$GUEST_WAIT_S" > /dev/null
for k in lying-length unknown-queue chain-reuse wrong-epoch oversize oversize-chain \
	garbage before-hello before-driver-ok; do
	check_cmd "hostile_${k}_refused" va hostile $k
done
lab_signal hostile-done

# Writes in flight, then dom0 destroys this domain: nothing after this
# point is reported, so the plan ends with the case below.
# Not through va(): a backgrounded function is a subshell, whose pid is
# not va-frontend's, and the subshell would die of the SIGUSR1.
va-frontend -p 6000 -r 262144 hang 0 24 > /tmp/hang.out 2>&1 &
hang=$!
left=60
while ! grep -q up /tmp/hang.out && [ $left -gt 0 ]; do sleep 1; left=$((left - 1)); done
lab_signal up
lab_wait "$me" send "$GUEST_WAIT_S" > /dev/null
kill -USR1 $hang
left=60
while ! grep -q sent /tmp/hang.out && [ $left -gt 0 ]; do sleep 1; left=$((left - 1)); done
if grep -q "sent 24 writes" /tmp/hang.out; then ok writes_sent_before_destroy; else
	not_ok writes_sent_before_destroy "$(cat /tmp/hang.out)"; fi
lab_signal hung
sleep 600
tap_done
