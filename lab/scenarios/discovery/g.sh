# discovery, g: a guest that knows no domid. It lists its devices, waits
# for hot-add and hot-remove, is still served after a hostile neighbour,
# and lists again after dom0 re-cabled its discovery port.
. /lab/lib.sh
tap_plan 10

load_argo
me=$(my_domid)
out=$(argo-discover 2>&1)
check discovers_its_two_devices \
"device 1 block port=6000 backend_ring=262144 frontend_ring=65536 queues=2 queue_size=256 features=0x0
device 2 console port=6001 backend_ring=65536 frontend_ring=65536 queues=1 queue_size=256 features=0x0" "$out"
lab_signal listed

argo-discover -w -n 2 -R /tmp/w.ready > /tmp/events 2>&1 &
w=$!
wait_file /tmp/w.ready 30 && ok subscribed_to_events || not_ok subscribed_to_events "$(cat /tmp/events)"
lab_signal waiting
lab_wait "$me" hot-done "$GUEST_WAIT_S" > /dev/null
left=60
while kill -0 $w 2>/dev/null && [ $left -gt 0 ]; do sleep 1; left=$((left - 1)); done
# dom0 adds, then removes: the service may see both in one scan (removals
# first) or in two, so the order is free; the generations follow the two
# adds of g's creation.
check listed_before_events 2 "$(grep -c '^device' /tmp/events)"
check hot_add_and_remove_reach_the_guest \
"added 3 net port=6002 backend_ring=65536 frontend_ring=65536 queues=1 queue_size=256 features=0x30
removed 1 block port=6000 backend_ring=262144 frontend_ring=65536 queues=2 queue_size=256 features=0x0" \
	"$(grep -E '^(added|removed)' /tmp/events | sed 's/ generation=.*//' | sort)"
check event_generations_consecutive "3 4" \
	"$(sed -n 's/.* generation=//p' /tmp/events | sort -n | tr '\n' ' ' | sed 's/ $//')"
grep -v '^device' /tmp/events | sed 's/^/# /'
lab_signal events-seen

lab_wait "$me" after-bad "$GUEST_WAIT_S" > /dev/null
check still_served_after_hostile_neighbour \
"device 2 console port=6001 backend_ring=65536 frontend_ring=65536 queues=1 queue_size=256 features=0x0
device 3 net port=6002 backend_ring=65536 frontend_ring=65536 queues=1 queue_size=256 features=0x30" \
	"$(argo-discover 2>&1)"
lab_signal served-after-bad

# Same command, same port, no domid: the cable now leads to drv.
lab_wait "$me" recabled "$GUEST_WAIT_S" > /dev/null
check recabled_port_reaches_the_driver_domain_service \
	"device 1 rng port=6100 backend_ring=65536 frontend_ring=65536 queues=1 queue_size=256 features=0x0" \
	"$(argo-discover 2>&1)"
lab_signal moved
lab_wait "$me" bye "$GUEST_WAIT_S" > /dev/null
tap_done
