# prof-stream, g2: for each size, a 12-second stream to g1 over Argo, then
# one over libxenvchan, each between prof_start and prof_end with the
# number of messages sent. g1 starts its receivers within a second of the
# previous pair ending; the pauses give it that.
. /lab/lib.sh
SIZES="256 65536"
tap_plan 7

load_argo
for m in xen-evtchn xen-gntalloc xen-gntdev; do modprobe "$m"; done
g1=$(lab_wait "$(my_domid)" peer "$GUEST_WAIT_S")
sleep 8
for s in $SIZES; do
	prof_start "argo$s"
	argo-perf -d "$g1" -p 7400 -S "$s" -t 12 > /tmp/a.out 2>&1
	r=$?
	prof_end "argo$s" "$(sed -n 's/^argo-perf size [0-9]* msgs \([0-9]*\) .*/\1/p' /tmp/a.out)"
	[ $r = 0 ] && ok "argo_${s}_sent" || not_ok "argo_${s}_sent" "$(cat /tmp/a.out)"
	sleep 3
	prof_start "vchan$s"
	vchan-perf -d "$g1" -S "$s" -t 12 > /tmp/v.out 2>&1
	r=$?
	prof_end "vchan$s" "$(sed -n 's/^vchan-perf size [0-9]* msgs \([0-9]*\) .*/\1/p' /tmp/v.out)"
	[ $r = 0 ] && ok "vchan_${s}_sent" || not_ok "vchan_${s}_sent" "$(cat /tmp/v.out)"
	sleep 6
done
tap_done
