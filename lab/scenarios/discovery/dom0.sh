# discovery, dom0: the discovery service, the toolstack's side of each
# case (create with argo-xl-create, hot-add/remove, re-cable), and what
# only dom0 can see (the service's log, the cables).
. /lab/lib.sh
tap_plan 18

load_argo
if argo-ctl cable list 0 > /dev/null 2>&1; then ok xen_has_cables; else
	not_ok xen_has_cables "$(argo-ctl cable list 0 2>&1)"; tap_bail "this Xen has no patch cables"
fi
# -L 20: every rejection below is logged (the default, 5 per domain per
# 10 s, is tested on the host).
argo-discoveryd -L 20 -R /tmp/discd.ready > /tmp/discd.log 2>&1 &
discd=$!
wait_file /tmp/discd.ready 10 && ok discoveryd_serving || not_ok discoveryd_serving "$(cat /tmp/discd.log)"

drv=$(guest_create drv.cfg) || tap_bail "xl create drv: $(cat /tmp/xl-create-drv.log)"
g=$(argo_guest_create g.cfg) || tap_bail "argo-xl-create g failed (see above)"
bad=$(argo_guest_create bad.cfg) || tap_bail "argo-xl-create bad failed (see above)"
ok create_guests_with_argo_xl_create
check wrapper_kept_argo_entries_from_xl "" "$(xl list -l g | grep -i -e virtio -e xvda)"
check g_cables_programmed_before_it_ran \
"$g 5011 -> 0:5010
$g 6000 -> 0:5000
$g 6001 -> 0:5001" "$(argo-ctl cable list "$g" 2>&1 | sort)"
lab_tell "$drv" g "$g"

# 1. g lists its devices through the cable (g checks the list).
lab_wait "$g" listed "$GUEST_WAIT_S" > /dev/null

# 2. Hot-add and hot-remove while g waits for events.
lab_wait "$g" waiting "$GUEST_WAIT_S" > /dev/null
argo-ctl cable add "$g" 6002 0 5002
check hot_add_assigns_number_3 3 "$(argo-discoveryd device add "$g" type=net port=6002 features=0x30)"
check_cmd hot_remove_device_1 argo-discoveryd device del "$g" 1
lab_tell "$g" hot-done
lab_wait "$g" events-seen "$GUEST_WAIT_S" > /dev/null

# 3. bad sends malformed messages; g must still be served.
lab_tell "$bad" go
lab_wait "$bad" done "$GUEST_WAIT_S" > /dev/null
lab_tell "$g" after-bad
lab_wait "$g" served-after-bad "$GUEST_WAIT_S" > /dev/null
rejected=$(grep -c "domain $bad: port 5011: rejected" /tmp/discd.log)
check service_logged_each_malformed_message 7 "$rejected"
check service_logged_wrong_argo_type 1 \
	"$(grep -c "domain $bad: port 5011: rejected: Argo message type 0x1 " /tmp/discd.log)"
check service_logged_nothing_against_g 0 "$(grep -c "domain $g: port 5011: rejected" /tmp/discd.log)"
grep "rejected" /tmp/discd.log | sed 's/^/# /'
lab_tell "$bad" bye

# 4. Re-cable g's discovery port to drv's service: g asks again, unchanged.
lab_wait "$drv" serving "$GUEST_WAIT_S" > /dev/null
check_cmd recable_discovery_to_drv argo-ctl cable add "$g" 5011 "$drv" 5010
lab_tell "$g" recabled
lab_wait "$g" moved "$GUEST_WAIT_S" > /dev/null
lab_tell "$g" bye
lab_tell "$drv" bye
for n in g bad drv; do
	if guest_wait $n "$GUEST_WAIT_S"; then ok "${n}_finished"; else not_ok "${n}_finished" "did not power off"; fi
done
check_cmd discoveryd_still_running kill -0 "$discd"
sed 's/^/# discoveryd: /' /tmp/discd.log | tail -n 20
tap_done
