# firewall, C (untrusted): may ask the discovery port, not use the service.
. /lab/lib.sh
tap_plan 5

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
lab_signal done
# Stay until dom0 has seen "done": a domain's xenstore goes with it.
lab_wait "$me" bye "$GUEST_WAIT_S" > /dev/null
tap_done
