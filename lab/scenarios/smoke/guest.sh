# smoke, guest half.
. /lab/lib.sh
tap_plan 7

load_argo
me=$(my_domid)

if lab_wait "$me" dom0-ring-ready "$GUEST_WAIT_S" > /dev/null; then
	check_cmd send_hello argo-send -d 0 -p 5000 -s 5100 -t 7 -m hello
	check_cmd send_zero_byte argo-send -d 0 -p 5000 -s 5100 -t 0 -x 00
	big=$(i=0; while [ $i -lt 100 ]; do printf 'a5015a'; i=$((i + 1)); done)
	check_cmd send_300_bytes argo-send -d 0 -p 5000 -s 5100 -t 65536 -x "$big"
else
	tap_not_run send_hello send_zero_byte send_300_bytes "dom0 never registered its ring"
fi

argo-recv -p 6000 -f 0 -n 2 -x -w "$GUEST_WAIT_S" -R /tmp/rx.ready > /tmp/rx.out 2>&1 &
rpid=$!
wait_file /tmp/rx.ready 10 && lab_signal guest-ring-ready
wait $rpid
check recv_from_dom0_source_type_bytes \
	"from 0:6100 type 3 len 5 data 0102030405
from 0:6100 type 11 len 9 data 66726f6d20646f6d30" "$(cat /tmp/rx.out)"
tap_done
