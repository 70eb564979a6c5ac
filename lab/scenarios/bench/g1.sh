# bench, g1: an Argo echo server for dom0's argo-ping, then the receiving
# end of the guest<->guest throughput runs from g2: argo-perf, then
# vchan-perf. Each checks that it got every message, in sequence.
. /lab/lib.sh

load_argo
# libxenvchan's devices: event channels, granting pages, mapping grants.
for m in xen-evtchn xen-gntalloc xen-gntdev; do check_cmd "modprobe_$m" modprobe "$m"; done
echo_serve 7000 200
me=$(my_domid)
g2=$(lab_wait "$me" peer "$GUEST_WAIT_S")
case "$g2" in
'' | none) not_ok perf_peer "dom0 named no peer guest"; tap_done; exit 0 ;;
esac

# perf_receive NAME KEY CMD...: run a receiver that writes /tmp/NAME.ready
# once it is up, tell g2 (through dom0) under KEY, then report its result.
perf_receive() {
	local name=$1 key=$2 pid
	shift 2
	rm -f "/tmp/$name.ready"
	"$@" -R "/tmp/$name.ready" > "/tmp/$name.out" 2>&1 &
	pid=$!
	if wait_file "/tmp/$name.ready" 30; then
		lab_signal "$key" 1
	else
		lab_signal "$key" 0
		kill "$pid" 2>/dev/null
	fi
	if wait "$pid"; then
		ok "${name}_received_all_in_sequence"
		sed 's/^/# /' "/tmp/$name.out"
	else
		not_ok "${name}_received_all_in_sequence" "$* failed: $(cat "/tmp/$name.out")"
	fi
}

perf_receive argo_perf argo-perf-ready argo-perf -s -p 7400 -f "$g2" -w "$GUEST_WAIT_S"
perf_receive vchan_perf vchan-perf-ready vchan-perf -s -d "$g2" -w "$GUEST_WAIT_S"
tap_done
