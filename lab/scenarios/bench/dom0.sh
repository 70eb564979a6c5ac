# bench, dom0 half: time a guest's start and ping it over Argo; then start
# a second guest and relay the barrier of their guest<->guest throughput
# runs (argo-perf and vchan-perf): guests cannot read each other's
# xenstore, so dom0 passes on g1's "ready" to g2.
. /lab/lib.sh
tap_plan 8

# vcpu_times G1 G2: "dom0 S g1 S g2 S", each domain's vCPU seconds so far.
vcpu_times() {
	xl vcpu-list | awk -v a="$1" -v b="$2" '
		$2 == 0 { d += $6 } $2 == a { x += $6 } $2 == b { y += $6 }
		END { printf "dom0 %.3f g1 %.3f g2 %.3f", d, x, y }'
}
# vcpu_delta BEFORE AFTER: the seconds each domain ran in between.
vcpu_delta() {
	echo "$1 $2" | awk '{ printf "dom0 %.3f g1 %.3f g2 %.3f", $8 - $2, $10 - $4, $12 - $6 }'
}

# bench-pvh sets BENCH_CFG (a PVH guest's) and BENCH_EXTRA (its guests'
# kernel arguments); both guests get one vCPU, as the PV guests have.
cfg=${BENCH_CFG:-../smoke/g1.cfg}
extra=${BENCH_EXTRA:+ $BENCH_EXTRA}
load_argo
t0=$(cut -d' ' -f1 /proc/uptime)
g1=$(guest_create "$cfg" 'vcpus=1' \
	"extra=\"console=hvc0 loglevel=4 lab.name=g1 lab.script=bench/g1.sh$extra\"") ||
	{ not_ok create_g1 "xl create failed"; tap_done; exit 1; }
if lab_wait "$g1" server-ready "$GUEST_WAIT_S" > /dev/null; then
	t1=$(cut -d' ' -f1 /proc/uptime)
	ok guest_started
	# From xl create to the guest's Argo echo server listening.
	echo "LAB-BENCH guest_start_s $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')"
	out=$(argo-ping -d "$g1" -p 7000 -c 200 -S 64 -q 2>&1) && ok ping_guest || not_ok ping_guest "$out"
	# "rtt min/median/max = A/B/C us (N pings)"
	echo "$out" | sed -n 's|^rtt min/median/max = \([0-9.]*\)/\([0-9.]*\)/\([0-9.]*\) us.*|LAB-BENCH sendv_rtt_us \2 \1 \3|p'
else
	tap_not_run guest_started ping_guest "g1 never started its echo server"
fi

# g2 starts after the pings so that its boot does not disturb them.
if g2=$(guest_create "$cfg" 'name="g2"' 'vcpus=1' \
	"extra=\"console=hvc0 loglevel=4 lab.name=g2 lab.script=bench/g2.sh$extra\""); then
	ok create_g2
	lab_tell "$g1" peer "$g2"
	lab_tell "$g2" peer "$g1"
	# g1 signals 1 when its receivers are up, 0 when it could not start them.
	v=$(lab_wait "$g1" perf-ready "$GUEST_WAIT_S") || v=0
	# Each domain's vCPU time (Xen's, xl vcpu-list) over g2's turns of
	# both tools, then over its ABI 4 run: "LAB-BENCH vcpu_s WINDOW
	# dom0 S g1 S g2 S". g2 waits for each ack, so the windows hold.
	a=$(vcpu_times "$g1" "$g2")
	lab_tell "$g2" perf-ready "$v"
	if [ "$v" = 1 ] && lab_wait "$g2" turns-done "$GUEST_WAIT_S" > /dev/null; then
		b=$(vcpu_times "$g1" "$g2")
		lab_tell "$g2" vcpu-ack 1
		echo "LAB-BENCH vcpu_s turns $(vcpu_delta "$a" "$b")"
		if lab_wait "$g2" legacy-done "$GUEST_WAIT_S" > /dev/null; then
			c=$(vcpu_times "$g1" "$g2")
			echo "LAB-BENCH vcpu_s legacy $(vcpu_delta "$b" "$c")"
		fi
		lab_tell "$g2" vcpu-ack2 1
	fi
	guest_wait g2 "$GUEST_WAIT_S" && ok g2_finished || not_ok g2_finished "g2 did not power off by itself"
else
	tap_not_run create_g2 g2_finished "xl create failed"
	lab_tell "$g1" peer none
fi
guest_wait g1 "$GUEST_WAIT_S" && ok g1_finished || not_ok g1_finished "g1 did not power off by itself"
tap_done
