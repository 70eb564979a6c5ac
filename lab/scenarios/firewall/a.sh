# firewall, A (frontend): use the block service, be refused the
# management port and a wildcard ring.
. /lab/lib.sh
tap_plan 7

load_argo
me=$(my_domid)
set -- $(lab_wait "$me" ids "$GUEST_WAIT_S")
b=$2
mode=$(lab_wait "$me" mode "$GUEST_WAIT_S")
lab_wait "$me" b-ready "$GUEST_WAIT_S" > /dev/null
echo a1 | argo-send -d "$b" -p 5000 && ok frontend_sends_to_blk_port ||
	not_ok frontend_sends_to_blk_port "refused"
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
lab_signal first-sent
# After C was refused, A's traffic still flows.
lab_wait "$me" c-done "$GUEST_WAIT_S" > /dev/null
echo a2 | argo-send -d "$b" -p 5000 && ok frontend_still_served_after_denied_neighbour ||
	not_ok frontend_still_served_after_denied_neighbour "refused"
lab_signal done
# Stay until dom0 has seen "done": a domain's xenstore goes with it.
lab_wait "$me" bye "$GUEST_WAIT_S" > /dev/null
tap_done
