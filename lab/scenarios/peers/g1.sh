# peers, g1: talk to g2, get refused where only dom0 is admitted, then
# queue messages for dom0 and wait to be destroyed.
. /lab/lib.sh
tap_plan 6

load_argo
check_mechanism
me=$(my_domid)
g2=$(lab_wait "$me" peer "$GUEST_WAIT_S")
lab_wait "$me" g2-ring-ready "$GUEST_WAIT_S" > /dev/null
check_cmd guest_to_guest_send argo-send -d "$g2" -p 7200 -s 7201 -t 9 -m "from g1 to g2"
out=$(argo-send -d "$g2" -p 7300 -m x 2>&1)
case "$out" in
*"Connection refused"*) ok ring_for_other_partner_refuses_us ;;
*) not_ok ring_for_other_partner_refuses_us "expected ECONNREFUSED, got '$out'" ;;
esac
lab_wait "$me" dom0-ring-ready "$GUEST_WAIT_S" > /dev/null
for t in 1 2 3; do
	echo queue | argo-send -d 0 -p 7100 -s 7101 -t $t || break
done
lab_signal sent-to-dom0
tap_done
lab_signal done
sleep 600
