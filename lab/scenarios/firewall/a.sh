# firewall, A (frontend): use the block service, be refused the
# management port and a wildcard ring; use vsock, but be refused dom0's
# vsock agent (port 700, a type of its own).
. /lab/lib.sh
tap_plan 15

load_argo
# A is a PVH guest: its calls, so its half of the matrix, go over the MSR.
check_mechanism
me=$(my_domid)
set -- $(lab_wait "$me" ids "$GUEST_WAIT_S")
b=$2
mode=$(lab_wait "$me" mode "$GUEST_WAIT_S")
lab_wait "$me" b-ready "$GUEST_WAIT_S" > /dev/null
# Before any send (B's receivers take one message and close, so a ring
# would vanish in permissive mode), one notify call about four rings: B's
# 5000 (A may send), B's 5001 (A may not), dom0's reserved 81 (A may not)
# and B's 5999 (no ring). The call succeeds; a denied ring reads as a
# missing one (enforcing) and the others are answered (xen/patches 0014).
if insmod /lib/argo/argo_test_notify.ko doms="$b,$b,0,$b" ports=5000,5001,81,5999; then
	res=$(dmesg | sed -n 's/.*argo_test_notify: result //p' | tail -n1)
	got=$(dmesg | sed -n 's/.*argo_test_notify: entry \([0-9]*:[0-9]*\) flags 0x[0-9a-f]* exists \([01]\)$/\1=\2/p' |
		tail -n4 | tr '\n' ' ' | sed 's/ $//')
	check multi_ring_query_succeeds 0 "$res"
	if [ "$mode" = permissive ]; then
		check multi_ring_query_permissive_answers_all \
			"$b:5000=1 $b:5001=1 0:81=1 $b:5999=0" "$got"
	else
		check multi_ring_query_denied_entries_read_as_no_ring \
			"$b:5000=1 $b:5001=0 0:81=0 $b:5999=0" "$got"
	fi
	rmmod argo_test_notify
else
	tap_not_run multi_ring_query_succeeds multi_ring_query_answers "argo_test_notify.ko did not load"
fi
# An unprivileged client on a low (reserved) port: binding it is refused,
# asking about dom0's ring there reads as no ring (enforcing).
out=$(argo-send -q -d 0 -p 81 -l 1 2>&1)
if [ "$mode" = permissive ]; then
	check permissive_space_query_reserved_port "fits 1 max 65504" "$out"
	out=$(argo-recv -p 81 -f 0 -n 1 -w 1 2>&1)
	check permissive_allows_reserved_bind "argo-recv: timed out after 1s with 0 of 1 messages" "$out"
else
	check space_query_denied_reserved_port_reads_as_no_ring \
		"argo-send: send to 0:81: Connection refused (no ring registered at the destination for this sender)" "$out"
	out=$(argo-recv -p 81 -f 0 -n 1 -w 1 2>&1)
	check frontend_reserved_bind_eacces "argo-recv: bind: Permission denied (denied by Xen's policy)" "$out"
fi
if [ "$mode" = permissive ]; then
	echo a1 | argo-send -d "$b" -p 5000 && ok frontend_sends_to_blk_port ||
		not_ok frontend_sends_to_blk_port "refused"
else
	# One batch: 5000 (allowed), 5001 (denied), 5000 again. It stops at the
	# denial, so B's 5000 gets "a1" once (B checks "a1 a2" in order).
	check frontend_batch_sends_to_blk_port_stops_at_denied_entry \
		"argo-send: batch to $b: 1 of 3 sent, stopped by: Permission denied" \
		"$(argo-send -d "$b" -P 5000,5001,5000 -x 61310a 2>&1)"
fi
out=$(echo a | argo-send -d "$b" -p 5001 2>&1)
if [ "$mode" = permissive ]; then
	check permissive_allows_mgmt_send "" "$out"
else
	check frontend_to_mgmt_port_eacces \
		"argo-send: send to $b:5001: Permission denied (denied by Xen's policy)" "$out"
fi
out=$(argo-recv -p 5010 -f any -n 1 -w 1 2>&1)
if [ "$mode" = permissive ]; then
	check permissive_allows_wildcard_bind "argo-recv: timed out after 1s with 0 of 1 messages" "$out"
else
	check frontend_wildcard_bind_eacces "argo-recv: bind: Permission denied (denied by Xen's policy)" "$out"
fi
# vsock: dom0's agent on service port 700 has its own ring (Argo port
# 50700, argo_vsock_agent_port_t), which a frontend may not send to: one
# AVC line (dom0 counts it) and EACCES. Its vsock elsewhere is unchanged.
modprobe vmw_vsock_virtio_transport_common 2> /dev/null
check_cmd load_argo_vsock insmod /lib/argo/argo_vsock.ko
# Xen's audit limit (series 0017): a burst of 10 lines, then one every 2 s.
# B's denials and A's above are 11 lines and can come within the burst's
# time: wait for two tokens so that this denial's line is printed, as
# dom0 counts it.
sleep 5
out=$(echo a | socat -t 5 - VSOCK-CONNECT:2:700 2>&1)
if [ "$mode" = permissive ]; then
	check permissive_allows_frontend_to_vsock_agent a "$out"
else
	case "$out" in
	*"Permission denied"*) ok frontend_to_vsock_agent_eacces ;;
	*) not_ok frontend_to_vsock_agent_eacces "expected 'Permission denied', got '$out'" ;;
	esac
fi
check frontend_vsock_to_dom0_5030_echoed a \
	"$(echo a | socat -t 5 - VSOCK-CONNECT:2:5030 2>&1)"
lab_signal first-sent
# After C was refused, A's traffic still flows.
lab_wait "$me" c-done "$GUEST_WAIT_S" > /dev/null
echo a2 | argo-send -d "$b" -p 5000 && ok frontend_still_served_after_denied_neighbour ||
	not_ok frontend_still_served_after_denied_neighbour "refused"
lab_signal done
# Stay until dom0 has seen "done": a domain's xenstore goes with it.
lab_wait "$me" bye "$GUEST_WAIT_S" > /dev/null
tap_done
