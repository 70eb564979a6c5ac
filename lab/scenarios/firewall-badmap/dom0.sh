# firewall-badmap, dom0: Xen took the spoiled port mapping (a byte-order
# mark before its header) as the mapping and refused it, naming the line;
# every port is then unlabeled and Argo is closed, dom0's included, while
# Xen runs on.
. /lab/lib.sh
tap_plan 12

load_argo
log=$(xl dmesg)
# Modules: dom0's kernel (0), its image (1), the policy (2), the mapping.
check xen_claims_the_spoiled_mapping "xsm: module 3 is an argo-portcon module" \
	"$(echo "$log" | grep -o 'xsm: module [0-9]* is an argo-portcon module' | tr '\n' ' ' | sed 's/ $//')"
check xen_names_the_bad_line \
	"flask: argo-portcon line 1: invalid character 0xef" \
	"$(echo "$log" | grep -o 'flask: argo-portcon line [0-9]*:.*' | head -n1)"
check xen_fails_closed "flask: argo-portcon rejected: every Argo port is unlabeled" \
	"$(echo "$log" | grep -o 'flask: argo-portcon rejected.*' | head -n1)"
# Nothing may bind or send: a single-source ring, a wildcard ring, a port
# the lab's good mapping opens (5000, the block service's), and a send,
# which Xen checks before it looks for a ring.
denied="argo-recv: bind: Permission denied (denied by Xen's policy)"
check bind_refused_when_closed "$denied" "$(argo-recv -p 7000 -f 0 -n 1 -w 1 2>&1)"
check bind_any_refused_when_closed "$denied" "$(argo-recv -p 7001 -f any -n 1 -w 1 2>&1)"
check bind_labelled_port_refused_when_closed "$denied" "$(argo-recv -p 5000 -f 0 -n 1 -w 1 2>&1)"
check send_refused_when_closed \
	"argo-send: send to 0:7000: Permission denied (denied by Xen's policy)" \
	"$(argo-send -d 0 -p 7000 -m x 2>&1)"
check argo_ctl_reports_closed \
	"  the mapping was rejected: every Argo port is unlabeled, so Argo is closed" \
	"$(argo-ctl policy 2>&1 | grep 'mapping was rejected')"
check_cmd xen_still_answers xl list
tap_done
