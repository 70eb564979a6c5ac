# firewall-nomap, dom0: Xen took no argo-portcon module, so every port has
# the argo_port initial SID; the firewall's policy makes that the closed
# label: dom0 keeps Argo, an unlabelled guest (domU_t) may neither bind nor
# send. Before issue 16 the initial SID was argo_port_t, open to everyone.
. /lab/lib.sh
tap_plan 8

load_argo
log=$(xl dmesg)
check xen_reports_no_module "flask: no argo-portcon module: Argo ports have the default label" \
	"$(echo "$log" | grep -o 'flask: no argo-portcon module.*' | head -n1)"
check default_label_is_closed "flask: argo port default -> system_u:object_r:argo_closed_port_t" \
	"$(echo "$log" | grep -o 'flask: argo port default .*' | head -n1)"
check argo_ctl_shows_closed_default "  default -> system_u:object_r:argo_closed_port_t" \
	"$(argo-ctl policy 2>&1 | grep -- '^  default')"
# dom0 keeps Argo on the closed label: a ring for the guest's sends.
argo-recv -p 7000 -f any -n 1 -w 120 -R /tmp/r7000.ready > /tmp/r7000.out 2>&1 &
pr=$!
wait_file /tmp/r7000.ready 10 && ok dom0_binds_on_closed_label || not_ok dom0_binds_on_closed_label "$(cat /tmp/r7000.out)"
guest_create ../smoke/g1.cfg 'extra="console=hvc0 loglevel=4 lab.name=g1 lab.script=firewall-nomap/guest.sh"' > /dev/null ||
	{ not_ok g1_finished "$(cat /tmp/xl-create-g1.log)"; kill $pr; tap_done; exit 1; }
guest_wait g1 "$GUEST_WAIT_S" && ok g1_finished || not_ok g1_finished "did not power off"
kill $pr 2>/dev/null
wait $pr 2>/dev/null
tap_done
