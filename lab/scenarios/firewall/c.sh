# firewall, C (untrusted): may ask the discovery port, not use the service.
. /lab/lib.sh
tap_plan 8

load_argo
me=$(my_domid)
set -- $(lab_wait "$me" ids "$GUEST_WAIT_S")
b=$2
mode=$(lab_wait "$me" mode "$GUEST_WAIT_S")
lab_wait "$me" go "$GUEST_WAIT_S" > /dev/null
out=$(echo c | argo-send -d "$b" -p 5000 2>&1)
if [ "$mode" = permissive ]; then
	check permissive_allows_untrusted_send "" "$out"
else
	check untrusted_to_blk_port_eacces \
		"argo-send: send to $b:5000: Permission denied (denied by Xen's policy)" "$out"
fi
echo hello | argo-send -d "$b" -p 5010 && ok untrusted_reaches_discovery ||
	not_ok untrusted_reaches_discovery "refused"
# vsock: C may not send to argo_vsock_port_t, so Xen refuses the
# connection request and connect() fails with EACCES (docs/vsock.md);
# permissive lets it through to B, where nobody listens on 5000: reset
# once B's argo_vsock is loaded (its ring answers), refused before.
modprobe vmw_vsock_virtio_transport_common 2> /dev/null
check_cmd load_argo_vsock insmod /lib/argo/argo_vsock.ko
out=$(socat -u OPEN:/dev/null "VSOCK-CONNECT:$((b + 2)):5000" 2>&1)
if [ "$mode" = permissive ]; then want="Connection reset by peer|Connection refused"
else want="Permission denied"; fi
case "$out" in
*"Connection reset by peer"* | *"Connection refused"*)
	[ "$mode" = permissive ] && ok untrusted_vsock_connect_refused ||
		not_ok untrusted_vsock_connect_refused "expected '$want', got '$out'" ;;
*"Permission denied"*)
	[ "$mode" = permissive ] && not_ok untrusted_vsock_connect_refused "expected '$want', got '$out'" ||
		ok untrusted_vsock_connect_refused ;;
*) not_ok untrusted_vsock_connect_refused "expected '$want', got '$out'" ;;
esac
lab_signal done
# A denied sender looping (dom0 asks once it has counted the matrix's AVC
# lines): 10000 sends to B:5001, which C may not send to; B's ring there
# takes only A, so permissive mode refuses them as no ring. Then one more
# after a pause, so that Xen prints how many audit lines it suppressed.
lab_wait "$me" flood "$GUEST_WAIT_S" > /dev/null
out=$(argo-send -d "$b" -p 5001 -n 10000 -k -m x 2>&1)
if [ "$mode" = permissive ]; then
	check permissive_flood_refused_as_no_ring \
		"argo-send: 10000 of 10000, send to $b:5001, failed; the last: Connection refused (no ring registered at the destination for this sender)" "$out"
else
	check flood_of_denied_sends_eacces \
		"argo-send: 10000 of 10000, send to $b:5001, failed; the last: Permission denied (denied by Xen's policy)" "$out"
fi
sleep 3
argo-send -d "$b" -p 5001 -m y 2>/dev/null
lab_signal flooded
# Stay until dom0 has seen "flooded": a domain's xenstore goes with it.
lab_wait "$me" bye "$GUEST_WAIT_S" > /dev/null
tap_done
