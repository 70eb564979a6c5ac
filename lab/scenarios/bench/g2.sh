# bench, g2: the sending end of the guest<->guest throughput runs to g1,
# over Argo (argo-perf) and then over libxenvchan (vchan-perf), for the
# same message sizes. Each size is timed from its first message to g1's
# reply that it received them all; the figures become LAB-BENCH lines.
. /lab/lib.sh

SIZES=64,256,1024,4096,16384,65536
SECS=2 # per size

load_argo
for m in xen-evtchn xen-gntalloc xen-gntdev; do check_cmd "modprobe_$m" modprobe "$m"; done
me=$(my_domid)
g1=$(lab_wait "$me" peer "$GUEST_WAIT_S")

# perf_send NAME KEY CMD...: once g1 said KEY, run CMD; one TAP result,
# and "LAB-BENCH NAME SIZE MSGS_PER_S MIB_PER_S" per size.
perf_send() {
	local name=$1 key=$2 prog=$3
	shift 2
	if [ "$(lab_wait "$me" "$key" "$GUEST_WAIT_S")" != 1 ]; then
		not_ok "${name}_counts_matched" "g1's receiver did not start"
		return
	fi
	if "$@" > "/tmp/$name.out" 2>&1; then
		ok "${name}_counts_matched"
		sed 's/^/# /' "/tmp/$name.out"
	else
		not_ok "${name}_counts_matched" "$* failed: $(cat "/tmp/$name.out")"
	fi
	sed -n "s/^$prog size \([0-9]*\) .* msgs_per_s \([0-9.]*\) MiB_per_s \([0-9.]*\)\$/LAB-BENCH $name \1 \2 \3/p" \
		"/tmp/$name.out"
}

perf_send argo_perf argo-perf-ready argo-perf -d "$g1" -p 7400 -S "$SIZES" -t "$SECS"
perf_send vchan_perf vchan-perf-ready vchan-perf -d "$g1" -S "$SIZES" -t "$SECS"
tap_done
