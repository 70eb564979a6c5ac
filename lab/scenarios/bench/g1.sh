# bench, g1: an Argo echo server for dom0's argo-ping, then the receiving
# end of the guest<->guest throughput runs from g2: argo-perf and
# vchan-perf, both up at once, as g2 alternates between them. Each checks
# that it got every message, in sequence.
. /lab/lib.sh
tap_plan 13

load_argo
# libxenvchan's devices: event channels, granting pages, mapping grants.
for m in xen-evtchn xen-gntalloc xen-gntdev; do check_cmd "modprobe_$m" modprobe "$m"; done
echo_serve 7000 200
me=$(my_domid)
g2=$(lab_wait "$me" peer "$GUEST_WAIT_S")
case "$g2" in
'' | none)
	tap_not_run argo_perf_received_all_in_sequence vchan_perf_received_all_in_sequence \
		argo_perf_legacy_received_all_in_sequence argo_perf_nosup_received_all_in_sequence \
		argo_perf_ring_suppressed load_argo_vsock \
		"dom0 named no peer guest"
	tap_done
	exit 0 ;;
esac

argo-perf -s -p 7400 -f "$g2" -w "$GUEST_WAIT_S" -R /tmp/argo_perf.ready \
	> /tmp/argo_perf.out 2>&1 &
apid=$!
vchan-perf -s -d "$g2" -w "$GUEST_WAIT_S" -R /tmp/vchan_perf.ready \
	> /tmp/vchan_perf.out 2>&1 &
vpid=$!
# The path of /dev/argo ABI 4 (one poll and read per message), for the
# before/after cost figures: g2 sends to it once the turns are over.
argo-perf -s -p 7410 -B 1 -f "$g2" -w "$GUEST_WAIT_S" -R /tmp/argo_perf_legacy.ready \
	> /tmp/argo_perf_legacy.out 2>&1 &
lpid=$!
# The batch path without Xen's signal suppression, for what it saves: the
# parameter applies to rings created from now on (g2 does the same for its
# sender's ring), so only this receiver's ring is registered without it.
# The others must have bound theirs first: started in the background, they
# may not have yet (before this wait they raced it, often lost, and the
# batch figures were taken without suppression).
up=1
wait_file /tmp/argo_perf.ready 30 && wait_file /tmp/argo_perf_legacy.ready 30 || up=0
# debugfs argo/rings: "port partner len flags rx tx msgs notifies rx_calls
# suppress ...": the batch receiver's ring has Xen's suppression.
check argo_perf_ring_suppressed 1 \
	"$(awk '$1 == 7400 { print $10 }' /sys/kernel/debug/argo/rings)"
sup=/sys/module/argo/parameters/signal_suppress
echo 0 > "$sup"
argo-perf -s -p 7420 -f "$g2" -w "$GUEST_WAIT_S" -R /tmp/argo_perf_nosup.ready \
	> /tmp/argo_perf_nosup.out 2>&1 &
npid=$!
wait_file /tmp/argo_perf_nosup.ready 30
echo 1 > "$sup"
# AF_VSOCK over Argo: one sink per round of g2's vsock stream
# (argo_vsock.ko, Debian's socat), taken after the turns above.
modprobe vmw_vsock_virtio_transport_common 2> /dev/null
check_cmd load_argo_vsock insmod /lib/argo/argo_vsock.ko
( for r in 1 2 3; do socat -u -b 65536 VSOCK-LISTEN:5000 OPEN:/dev/null 2> /dev/null; done ) &
vspid=$!
# dom0 passes this on to g2: 1 when both receivers are up, 0 otherwise.
if [ "$up" = 1 ] && wait_file /tmp/vchan_perf.ready 30 &&
	wait_file /tmp/argo_perf_nosup.ready 1; then
	lab_signal perf-ready 1
else
	lab_signal perf-ready 0
	kill "$apid" "$vpid" "$lpid" "$npid" 2>/dev/null
fi

# perf_report NAME PID: one TAP result for a receiver that has finished.
perf_report() {
	if wait "$2"; then
		ok "$1_received_all_in_sequence"
		sed 's/^/# /' "/tmp/$1.out"
	else
		not_ok "$1_received_all_in_sequence" "$(cat "/tmp/$1.out")"
	fi
	# What each message cost the receiver: LAB-BENCH NAME_cost rx SIZE KEY VALUE...
	sed -n "s/^[a-z-]* cost side \([a-z]*\) size \([0-9]*\) msgs [0-9]* \(.*\)\$/LAB-BENCH $1_cost \1 \2 \3/p" \
		"/tmp/$1.out"
}
perf_report argo_perf "$apid"
perf_report vchan_perf "$vpid"
perf_report argo_perf_legacy "$lpid"
perf_report argo_perf_nosup "$npid"
# g2 streams over vsock last: stay until its rounds are in (or time out).
n=$((GUEST_WAIT_S * 2))
while kill -0 "$vspid" 2> /dev/null && [ "$n" -gt 0 ]; do sleep 0.5; n=$((n - 1)); done
kill "$vspid" 2> /dev/null
tap_done
