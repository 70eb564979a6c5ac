# prof-stream, g1: the receivers, argo-perf and vchan-perf side by side,
# once for each of g2's sizes (each receiver exits after g2's last message).
. /lab/lib.sh
SIZES="256 65536"
tap_plan 7

load_argo
for m in xen-evtchn xen-gntalloc xen-gntdev; do modprobe "$m"; done
lab_signal ready 1
g2=$(lab_wait "$(my_domid)" peer "$GUEST_WAIT_S")
for s in $SIZES; do
	case "$g2" in '' | none)
		tap_not_run "argo_${s}_received_all" "vchan_${s}_received_all" "dom0 named no peer"
		continue ;;
	esac
	argo-perf -s -p 7400 -f "$g2" -w "$GUEST_WAIT_S" > /tmp/a.out 2>&1 &
	a=$!
	vchan-perf -s -d "$g2" -w "$GUEST_WAIT_S" > /tmp/v.out 2>&1 &
	v=$!
	wait "$a" && ok "argo_${s}_received_all" || not_ok "argo_${s}_received_all" "$(cat /tmp/a.out)"
	wait "$v" && ok "vchan_${s}_received_all" || not_ok "vchan_${s}_received_all" "$(cat /tmp/v.out)"
done
tap_done
