# firewall-badmap, dom0: Xen refused the port mapping, naming the line;
# every port is then unlabeled and Argo is closed, while Xen runs on.
. /lab/lib.sh

load_argo
log=$(xl dmesg)
check xen_names_the_bad_line \
	"flask: argo-portcon line 4: range 5005-5005 overlaps line 3" \
	"$(echo "$log" | grep -o 'flask: argo-portcon line 4:.*' | head -n1)"
check xen_fails_closed "flask: argo-portcon rejected: every Argo port is unlabeled" \
	"$(echo "$log" | grep -o 'flask: argo-portcon rejected.*' | head -n1)"
check bind_refused_when_closed "argo-recv: bind: Permission denied (denied by Xen's policy)" \
	"$(argo-recv -p 7000 -f 0 -n 1 -w 1 2>&1)"
check argo_ctl_reports_closed \
	"  the mapping was rejected: every Argo port is unlabeled, so Argo is closed" \
	"$(argo-ctl policy 2>&1 | grep 'mapping was rejected')"
check_cmd xen_still_answers xl list
tap_done
