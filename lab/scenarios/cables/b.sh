# cables, B (driver domain): serve g on 5000 (reached once dom0 re-cables
# g's port 7000 here) and 5001 (g's cable leads here, the policy denies it).
. /lab/lib.sh
tap_plan 6

load_argo
me=$(my_domid)
g=$(lab_wait "$me" ids "$GUEST_WAIT_S" | cut -d' ' -f1)
argo-recv -p 5000 -f "$g" -n 1 -x -w 300 -R /tmp/r5000.ready > /tmp/r5000.out 2>&1 &
p0=$!
argo-recv -p 5001 -f "$g" -n 1 -x -R /tmp/r5001.ready > /tmp/r5001.out 2>&1 &
p1=$!
wait_file /tmp/r5000.ready 10 && wait_file /tmp/r5001.ready 10 && ok rings_bound_for_g ||
	not_ok rings_bound_for_g "$(cat /tmp/r5000.out /tmp/r5001.out)"
lab_signal rings-ready
wait $p0
# The guest's command did not change; its source did not either.
check recabled_message_arrives_with_g_source \
	"from $g:7000 type 0 len 6 data 68656c6c6f31" "$(cat /tmp/r5000.out)"
lab_wait "$me" all-sent "$GUEST_WAIT_S" > /dev/null
kill $p1 2>/dev/null
wait $p1 2>/dev/null
check nothing_through_cable_to_denied_port "" "$(cat /tmp/r5001.out)"
lab_signal done
lab_wait "$me" bye "$GUEST_WAIT_S" > /dev/null
tap_done
