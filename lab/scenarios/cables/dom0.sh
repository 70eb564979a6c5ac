# cables, dom0: the toolstack. Creates B, then G paused, cables G's ports
# before G runs, re-cables one, checks what Xen logged and listed, and
# that G's cables go with G.
. /lab/lib.sh
tap_plan 28

load_argo
# The discovery service, for the refused virtio-argo disk at the end.
argo-discoveryd -R /tmp/discd.ready > /tmp/discd.log 2>&1 &
discd=$!
wait_file /tmp/discd.ready 10 && ok discoveryd_serving || not_ok discoveryd_serving "$(cat /tmp/discd.log)"
check features_cables_notify_hide_suppress "cables notify-hide suppress" "$(argo-ctl features | sed 's/ $//')"
b=$(guest_create b.cfg) || tap_bail "xl create b: $(cat /tmp/xl-create-b.log)"
g=$(guest_create g.cfg -p) || tap_bail "xl create g: $(cat /tmp/xl-create-g.log)"
lab_tell "$b" ids "$g $b"
lab_wait "$b" rings-ready "$GUEST_WAIT_S" > /dev/null

# dom0's service on 6001 takes g's first messages.
argo-recv -p 6001 -f "$g" -n 1 -x -w 300 -R /tmp/r6001.ready > /tmp/r6001.out 2>&1 &
p6001=$!
if wait_file /tmp/r6001.ready 10; then ok dom0_service_bound; else
	not_ok dom0_service_bound "$(cat /tmp/r6001.out)"; fi

# Cables first, then the guest runs: it never runs without them.
check_cmd cable_add_by_name argo-ctl cable add g 7000 0 6001
check_cmd cable_add_to_denied_port argo-ctl cable add "$g" 7001 "$b" 5001
check_cmd cable_add_to_b_blk argo-ctl cable add "$g" 7003 "$b" 5000
check cable_list_g "$g 7000 -> 0:6001
$g 7001 -> $b:5001
$g 7003 -> $b:5000" "$(argo-ctl cable list g)"
out=$(argo-ctl cable del "$g" 7999 2>&1); rc=$?
check cable_del_missing_exit_1 "1 argo-ctl: cable del $g 7999: no such cable" "$rc $out"
out=$(argo-ctl cable add "$g" 7010 30000 1 2>&1); rc=$?
check cable_add_no_such_destination_exit_1 "1 argo-ctl: cable add $g 7010 -> 30000:1: no such domain" "$rc $out"
out=$(argo-ctl cable add nosuchguest 1 0 1 2>&1); rc=$?
check cable_unknown_name_exit_2 "2 argo-ctl: cable: unknown domain 'nosuchguest' (a domain id from 0 to 32751, or a name xl knows)" "$rc $out"
xl unpause "$g"
lab_tell "$g" ids "$g $b"

lab_tell "$g" go1
wait $p6001
check first_cable_reaches_dom0_with_g_source "from $g:7000 type 0 len 6 data 68656c6c6f31" "$(cat /tmp/r6001.out)"
lab_wait "$g" sent1 "$GUEST_WAIT_S" > /dev/null
# Re-cable 7000 to B's block service: nothing changes inside G.
check_cmd recable_to_b argo-ctl cable add "$g" 7000 "$b" 5000
check cable_list_after_recable "$g 7000 -> $b:5000" "$(argo-ctl cable list "$g" | grep "^$g 7000 ")"
lab_tell "$g" go2
lab_wait "$g" done1 "$GUEST_WAIT_S" > /dev/null

lab_tell "$b" all-sent
lab_wait "$b" done "$GUEST_WAIT_S" > /dev/null
lab_tell "$b" bye
if guest_wait b "$GUEST_WAIT_S"; then ok b_finished; else not_ok b_finished "did not power off"; fi
# B's id is free now; G's cables to it stay, marked dead.
check cables_to_dead_b_stay_marked_dead "$g 7000 -> $b:5000 dead
$g 7001 -> $b:5001 dead
$g 7003 -> $b:5000 dead" "$(argo-ctl cable list "$g" | sort)"
lab_tell "$g" b-gone
lab_wait "$g" done2 "$GUEST_WAIT_S" > /dev/null

# One AVC line for the denied cabled send, naming the real destination.
check avc_once_for_denied_cable_send 1 \
	"$(xl dmesg | grep -F "avc:  denied  { send } for source=d$g target=d$b argo_port=5001 " | wc -l)"
check xen_names_cable_in_rejection 1 \
	"$(xl dmesg | grep -c -F "argo: XSM REJECTED $g -> $b:1389 (cable)")"
check avc_once_per_refused_cable_op 2 \
	"$(xl dmesg | grep -c -F "avc:  denied  { cable } for source=d$g ")"

# Debug key 'j': G's three cables, then none once G is gone.
cables_in_all() { xl debug-keys j; sleep 1; xl dmesg | sed -n 's/.*argo: \([0-9]*\) cables in all.*/\1/p' | tail -n1; }
check debug_key_counts_g_cables 3 "$(cables_in_all)"

# A virtio-argo disk the firewall refuses G: its port is cabled to dom0's
# management port, which the policy lets no guest send to.
check_cmd vfw_cable_discovery_and_refused_disk_port \
	sh -c "argo-ctl cable add $g 5011 0 5010 && argo-ctl cable add $g 7004 0 5001"
check vfw_refused_disk_announced 1 "$(argo-discoveryd device add "$g" type=block port=7004 2>&1)"
lab_tell "$g" vfw
lab_wait "$g" vfw-done "$GUEST_WAIT_S" > /dev/null
check avc_once_for_refused_virtio_disk 1 \
	"$(xl dmesg | grep -c -F "avc:  denied  { send } for source=d$g target=d0 argo_port=5001 ")"
argo-discoveryd device clear "$g"
kill "$discd"; wait "$discd" 2>/dev/null
lab_tell "$g" bye
if guest_wait g "$GUEST_WAIT_S"; then ok g_finished; else not_ok g_finished "did not power off"; fi
check destroyed_domain_leaves_no_cable 0 "$(cables_in_all)"
out=$(argo-ctl cable list "$g" 2>&1); rc=$?
check cable_list_of_destroyed_domain_esrch "1 argo-ctl: cable list $g: no such domain" "$rc $out"
tap_done
