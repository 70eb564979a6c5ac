# firewall, B (driver domain): bind what it may, be refused what it may not,
# and report what reached its rings; reach dom0's vsock agent.
. /lab/lib.sh
tap_plan 17

load_argo
set -- $(lab_wait "$(my_domid)" ids "$GUEST_WAIT_S")
a=$1 c=$3
mode=$(lab_wait "$(my_domid)" mode "$GUEST_WAIT_S")
# dom0's vsock agent (service port 700, its own ring at Argo port 50700,
# argo_vsock_agent_port_t): driver domains may connect.
modprobe vmw_vsock_virtio_transport_common 2> /dev/null
check_cmd load_argo_vsock insmod /lib/argo/argo_vsock.ko
check driver_reaches_dom0_vsock_agent b "$(echo b | socat -t 5 - VSOCK-CONNECT:2:700 2>&1)"
# refused NAME argo-recv ... -n 1 -w 1: EACCES in enforcing mode; in
# permissive mode the bind succeeds, so argo-recv waits its second for a
# message nobody sends, and says exactly that (not an error, not a crash).
refused() {
	local name=$1 out
	shift
	out=$("$@" 2>&1)
	if [ "$mode" = permissive ]; then
		check "$name" "argo-recv: timed out after 1s with 0 of 1 messages" "$out"
	else
		case "$out" in *"Permission denied (denied by Xen's policy)"*) ok "$name" ;;
		*) not_ok "$name" "expected EACCES, got '$out'" ;; esac
	fi
}
bound() { # bound READYFILE: did the argo-recv writing READYFILE bind?
	wait_file "$1" 10 2>/dev/null
}
argo-recv -p 5000 -f "$a" -n 2 -w 120 -R /tmp/a5000.ready > /tmp/a5000.out 2>&1 &
pa=$!
argo-recv -p 5000 -f "$c" -n 1 -R /tmp/c5000.ready > /tmp/c5000.out 2>&1 &
pc=$!
argo-recv -p 5001 -f "$a" -n 1 -R /tmp/a5001.ready > /tmp/a5001.out 2>&1 &
p1=$!
argo-recv -p 5010 -f any -n 1 -w 120 -R /tmp/disc.ready > /tmp/disc.out 2>&1 &
pd=$!
bound /tmp/a5000.ready && ok bind_blk_port_for_frontend || not_ok bind_blk_port_for_frontend "$(cat /tmp/a5000.out)"
bound /tmp/c5000.ready && ok bind_blk_port_for_untrusted || not_ok bind_blk_port_for_untrusted "$(cat /tmp/c5000.out)"
bound /tmp/a5001.ready && ok bind_mgmt_port || not_ok bind_mgmt_port "$(cat /tmp/a5001.out)"
bound /tmp/disc.ready && ok wildcard_bind_on_discovery_label || not_ok wildcard_bind_on_discovery_label "$(cat /tmp/disc.out)"
refused wildcard_bind_on_blk_label_refused argo-recv -p 5000 -f any -n 1 -w 1
refused bind_reserved_port_refused argo-recv -p 80 -f 0 -n 1 -w 1
lab_signal rings-ready

wait $pa
if [ "$mode" = permissive ]; then
	check frontend_messages_arrive "a1 a2" "$(tr '\n' ' ' < /tmp/a5000.out | sed 's/ $//')"
else
	check allowed_traffic_unaffected_by_denied_neighbour "a1 a2" "$(tr '\n' ' ' < /tmp/a5000.out | sed 's/ $//')"
fi
wait $pd
check discovery_reached_from_untrusted "hello" "$(cat /tmp/disc.out)"
# Once A and C are done, what reached the rings they were refused?
lab_wait "$(my_domid)" all-sent "$GUEST_WAIT_S" > /dev/null
sleep 1
kill $pc $p1 2>/dev/null
wait $pc $p1 2>/dev/null
if [ "$mode" = permissive ]; then
	check permissive_delivers_c_to_blk_port "c" "$(cat /tmp/c5000.out)"
	check permissive_delivers_a_to_mgmt_port "a" "$(cat /tmp/a5001.out)"
else
	check nothing_from_untrusted_on_blk_port "" "$(cat /tmp/c5000.out)"
	check nothing_from_frontend_on_mgmt_port "" "$(cat /tmp/a5001.out)"
fi
lab_signal checked
# A ring whose bind right is revoked (dom0.sh): bound on reserved port 80
# while dom0 has Flask permissive; once Flask enforces, dom0's send to it
# must not arrive.
lab_wait "$(my_domid)" revoke "$GUEST_WAIT_S" > /dev/null
argo-recv -p 80 -f 0 -n 1 -w 120 -R /tmp/r80.ready > /tmp/r80.out 2>&1 &
pr=$!
if bound /tmp/r80.ready; then lab_signal bound80 ok; else lab_signal bound80 "$(cat /tmp/r80.out)"; fi
lab_wait "$(my_domid)" sent80 "$GUEST_WAIT_S" > /dev/null
sleep 1
kill $pr 2>/dev/null
wait $pr 2>/dev/null
check revoked_ring_receives_nothing "" "$(cat /tmp/r80.out)"
# A bind right revoked by a policy load (dom0.sh): a ring for dom0 on the
# management port, which B may bind; dom0 sends "before", loads the policy
# without that right and sends "revoked", loads the firewall's policy back
# and sends "restored". Enforcing: "revoked" must not arrive.
argo-recv -p 5001 -f 0 -n 3 -w 120 -R /tmp/m5001.ready > /tmp/m5001.out 2>&1 &
pm=$!
if bound /tmp/m5001.ready; then lab_signal bound5001 ok; else lab_signal bound5001 "$(cat /tmp/m5001.out)"; fi
lab_wait "$(my_domid)" sent5001 "$GUEST_WAIT_S" > /dev/null
# argo-recv writes each message's bytes as they are, no separator, and
# flushes each: wait for the last one dom0 sent.
left=50
while ! grep -q 'restored$' /tmp/m5001.out && [ $left -gt 0 ]; do sleep 0.1; left=$((left - 1)); done
kill $pm 2>/dev/null
wait $pm 2>/dev/null
if [ "$mode" = permissive ]; then
	check permissive_ring_receives_across_policy_loads beforerevokedrestored "$(cat /tmp/m5001.out)"
else
	check ring_revoked_by_policy_load_receives_only_after_restore beforerestored "$(cat /tmp/m5001.out)"
fi
tap_done
