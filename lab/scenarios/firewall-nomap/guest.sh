# firewall-nomap, an unlabelled guest (domU_t): with no port labels every
# port is closed to it. Xen checks a send before it looks for a ring, so
# the send to dom0's ring on 7000 is refused as denied, not as missing.
. /lab/lib.sh
tap_plan 6

load_argo
denied="argo-recv: bind: Permission denied (denied by Xen's policy)"
check guest_bind_refused_without_labels "$denied" "$(argo-recv -p 7000 -f 0 -n 1 -w 1 2>&1)"
check guest_bind_any_refused_without_labels "$denied" "$(argo-recv -p 7001 -f any -n 1 -w 1 2>&1)"
check guest_send_refused_without_labels \
	"argo-send: send to 0:7000: Permission denied (denied by Xen's policy)" \
	"$(argo-send -d 0 -p 7000 -m x 2>&1)"
tap_done
