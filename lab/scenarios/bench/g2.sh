# bench, g2: the sending end of the guest<->guest throughput runs to g1,
# over Argo (argo-perf) and over libxenvchan (vchan-perf). They take turns,
# size by size (-G/-P), for ROUNDS rounds of all sizes, so that each pair
# of figures is measured under the same conditions. Each size is timed
# from its first message to g1's reply that it received them all; the
# figures become "LAB-BENCH NAME SIZE MSGS_PER_S MIB_PER_S" lines.
. /lab/lib.sh
tap_plan 13

SIZES=64,256,1024,4096,16384,65536
ROUNDS=3
SECS=1 # per size and round

load_argo
for m in xen-evtchn xen-gntalloc xen-gntdev; do check_cmd "modprobe_$m" modprobe "$m"; done
me=$(my_domid)
g1=$(lab_wait "$me" peer "$GUEST_WAIT_S")
all=$SIZES
r=1
while [ $r -lt $ROUNDS ]; do all=$all,$SIZES; r=$((r + 1)); done

if [ "$(lab_wait "$me" perf-ready "$GUEST_WAIT_S")" != 1 ]; then
	not_ok argo_perf_counts_matched "g1's receivers did not start"
	not_ok vchan_perf_counts_matched "g1's receivers did not start"
	not_ok argo_perf_legacy_counts_matched "g1's receivers did not start"
	not_ok argo_perf_nosup_counts_matched "g1's receivers did not start"
	tap_not_run load_argo_vsock vsock_stream_rounds_sent copy_cost_ran "g1's receivers did not start"
	tap_done
	exit 0
fi
argo-perf -d "$g1" -p 7400 -S "$all" -t "$SECS" -G /tmp/turn.argo -P /tmp/turn.vchan \
	-R /tmp/argo_perf.ready > /tmp/argo_perf.out 2>&1 &
apid=$!
vchan-perf -d "$g1" -S "$all" -t "$SECS" -G /tmp/turn.vchan -P /tmp/turn.argo \
	-R /tmp/vchan_perf.ready > /tmp/vchan_perf.out 2>&1 &
vpid=$!
# Both set up (bound, connected) before the first measurement.
wait_file /tmp/argo_perf.ready 30
wait_file /tmp/vchan_perf.ready 30
touch /tmp/turn.argo

# perf_report NAME PROG PID: one TAP result, then the figures.
perf_report() {
	if wait "$3"; then
		ok "$1_counts_matched"
		sed 's/^/# /' "/tmp/$1.out"
	else
		not_ok "$1_counts_matched" "$(cat "/tmp/$1.out")"
	fi
	sed -n "s/^$2 size \([0-9]*\) .* msgs_per_s \([0-9.]*\) MiB_per_s \([0-9.]*\)\$/LAB-BENCH $1 \1 \2 \3/p" \
		"/tmp/$1.out"
	# What each message cost the sender: LAB-BENCH NAME_cost tx SIZE KEY VALUE...
	sed -n "s/^$2 cost side \([a-z]*\) size \([0-9]*\) msgs [0-9]* \(.*\)\$/LAB-BENCH $1_cost \1 \2 \3/p" \
		"/tmp/$1.out"
}
perf_report argo_perf argo-perf "$apid"
perf_report vchan_perf vchan-perf "$vpid"
# dom0 reads each domain's vCPU time between the turns and the ABI 4 run.
lab_signal turns-done 1
lab_wait "$me" vcpu-ack 30 > /dev/null

# Before/after: the path of /dev/argo ABI 4 (one blocking write per
# message, a writer woken per message), 256-byte messages, after the turns.
wake=/sys/module/argo_char/parameters/tx_wake_percent
old=$(cat "$wake" 2>/dev/null || echo 50)
echo 0 > "$wake" 2>/dev/null
argo-perf -d "$g1" -p 7410 -l 7411 -B 1 -S 256 -t "$SECS" > /tmp/argo_perf_legacy.out 2>&1 &
perf_report argo_perf_legacy argo-perf $!
lab_signal legacy-done 1
lab_wait "$me" vcpu-ack2 30 > /dev/null
echo "$old" > "$wake" 2>/dev/null

# The batch path again, 256 B, with both rings registered without Xen's
# signal suppression (g1 made its receiver so): what suppression saves.
sup=/sys/module/argo/parameters/signal_suppress
echo 0 > "$sup"
argo-perf -d "$g1" -p 7420 -l 7421 -S 256 -t "$SECS" > /tmp/argo_perf_nosup.out 2>&1 &
perf_report argo_perf_nosup argo-perf $!
echo 1 > "$sup"

# AF_VSOCK over Argo (argo_vsock.ko, Debian's socat): a 100 MiB stream per
# round to g1's sink, timed by the sender from connect to its last write
# (10 ms ticks: seconds per round). As 64 KiB messages per second, so
# lab/bench sets it beside argo-perf's and vchan-perf's 64 KiB figures.
VS_BYTES=104857600
modprobe vmw_vsock_virtio_transport_common 2> /dev/null
check_cmd load_argo_vsock insmod /lib/argo/argo_vsock.ko
sent=0
for r in 1 2 3; do
	# g1's next sink may not listen yet: a refused connect sends nothing.
	n=50
	while [ $n -gt 0 ]; do
		t0=$(cut -d' ' -f1 /proc/uptime)
		# dd, not busybox's head -c, which copies a byte at a time.
		dd if=/dev/zero bs=65536 count="$VS_BYTES" iflag=count_bytes,fullblock 2> /dev/null | socat -u -b 65536 STDIN "VSOCK-CONNECT:$((g1 + 2)):5000" \
			2> /tmp/vsock.err && break
		n=$((n - 1)); sleep 0.2
	done
	[ $n -gt 0 ] || { echo "# vsock round $r: $(cat /tmp/vsock.err)"; continue; }
	t1=$(cut -d' ' -f1 /proc/uptime)
	sent=$((sent + 1))
	awk -v b="$VS_BYTES" -v a="$t0" -v z="$t1" 'BEGIN { d = z - a; if (d <= 0) d = 0.01;
		m = b / 1048576 / d; printf "LAB-BENCH vsock_stream 65536 %.1f %.2f\n", m * 16, m }'
done
check vsock_stream_rounds_sent 3 "$sent"

# What a copy costs by the instruction that makes it (tools/copy-cost):
# libxenvchan copies with the C library's memcpy, Xen and Linux with rep
# movs, which TCG runs far slower than on hardware.
if out=$(copy-cost -S 256,65536 -t 2 2>&1); then ok copy_cost_ran; else not_ok copy_cost_ran "$out"; fi
echo "$out" | sed -n 's/^copy-cost size \([0-9]*\) memcpy_ns \([0-9.]*\) rep_movsq_ns \([0-9.]*\) rep_movsb_ns \([0-9.]*\)$/LAB-BENCH copy_ns \1 \2 \3 \4/p'
tap_done
