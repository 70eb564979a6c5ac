# pvh-bench, guest: argo_test_msr.ko times get_features through the call
# MSR and through the hypercall, 2000 calls each, taking turns for five
# rounds; each round is one LAB-BENCH msr_hypercall_rtt_ns MSR_NS HC_NS
# line (nanoseconds per call), paired by lab/bench into the ratio.
# Then the message rate over each mechanism (argo.ko reloaded with
# mechanism=msr and mechanism=hypercall in turn, three rounds): one
# LAB-BENCH msr_hypercall_msg_rate MSR_PER_S HC_PER_S line per round.
# Then notification latency: argo.ko reloaded with notify=vector and
# notify=evtchn in turn, five rounds, argo_test_notifylat.ko timing 300
# self-sends from CPU 1 to a receive callback on CPU 0 under each; each
# round is one LAB-BENCH vector_evtchn_latency_ns VECTOR_NS EVTCHN_NS line.
. /lab/lib.sh
tap_plan 10

load_argo
check_mechanism
msr=$(sed -n 's/.* msr_base \(0x[0-9a-f]*\) .*/\1/p' /sys/kernel/debug/argo/mechanism 2>/dev/null)
check_cmd bench_module_runs insmod /lib/argo/argo_test_msr.ko msr=$((${msr:-0})) bench=2000 rounds=5
out=$(dmesg | sed -n 's/.*argo_test_msr: //p')
echo "$out" | sed -n 's/^bench_pair \([0-9]*\) \([0-9]*\)$/LAB-BENCH msr_hypercall_rtt_ns \1 \2/p'
check bench_rounds_and_calls "5 rounds, 0 calls failed" \
	"$(echo "$out" | grep -c '^bench_pair ') rounds, $(echo "$out" | sed -n 's/^bench done, \([0-9]*\) calls failed$/\1/p') calls failed"
check_cmd bench_module_unloads rmmod argo_test_msr

# lat_round KIND: reload argo.ko with notify=KIND and print the median
# latency in ns, or nothing (and why, on stderr) if the round failed.
lat_round() {
	local irq lat
	rmmod argo 2> /dev/null
	insmod /lib/argo/argo.ko notify="$1" || { echo "notify=$1: argo.ko did not load" >&2; return; }
	head -n1 /sys/kernel/debug/argo/notify | grep -q "^notify $1" ||
		{ echo "notify=$1: debugfs says $(head -n1 /sys/kernel/debug/argo/notify)" >&2; return; }
	# The vector to CPU 0, where VIRQ_ARGO is bound: both cross vCPUs.
	if [ "$1" = vector ]; then
		irq=$(sed -n 's/^irq \([0-9]*\) .*/\1/p' /sys/kernel/debug/argo/notify)
		echo 1 > "/proc/irq/$irq/smp_affinity"
	fi
	dmesg -c > /dev/null
	insmod /lib/argo/argo_test_notifylat.ko dom="$me" count=300 cpu=1 &&
		rmmod argo_test_notifylat
	lat=$(dmesg | sed -n 's/.*argo_test_notifylat: lat_ns \([0-9]*\) (0 lost)$/\1/p')
	[ -n "$lat" ] && echo "$lat" ||
		echo "notify=$1: $(dmesg | grep argo_test_notifylat | tail -n1)" >&2
}

# rate_round MECH: reload argo.ko with mechanism=MECH and print the rate
# (messages per second) of a one-second stream of 256-byte messages to a
# ring of this guest (argo-perf, batches of 64), or nothing (and why, on
# stderr) if the round failed.
me=$(my_domid)
rate_round() {
	local out
	rmmod argo_char 2> /dev/null
	rmmod argo 2> /dev/null
	insmod /lib/argo/argo.ko mechanism="$1" && insmod /lib/argo/argo_char.ko &&
		wait_file /dev/argo 5 || { echo "mechanism=$1: modules did not load" >&2; return; }
	rm -f /tmp/rate.ready
	argo-perf -s -p 7600 -f "$me" -w 60 -R /tmp/rate.ready > /tmp/rate-rx.out 2>&1 &
	wait_file /tmp/rate.ready 30
	out=$(argo-perf -d "$me" -p 7600 -l 7601 -S 256 -t 1 2>&1)
	wait $! 2> /dev/null
	echo "$out" | sed -n 's/^argo-perf size 256 .* msgs_per_s \([0-9.]*\) .*/\1/p' | grep . ||
		echo "mechanism=$1: $out $(cat /tmp/rate-rx.out)" >&2
}

# paired_rounds NAME ROUNDS FN A B: ROUNDS times, FN A then FN B (taking
# turns, so a drift of the machine's speed hits both); each round where
# both gave a figure prints LAB-BENCH NAME FIG_A FIG_B. Sets $paired to
# how many rounds did.
paired_rounds() {
	local name=$1 n=$2 fn=$3 a=$4 b=$5 r fa fb
	paired=0
	for r in $(seq "$n"); do
		fa=$("$fn" "$a")
		fb=$("$fn" "$b")
		[ -n "$fa" ] && [ -n "$fb" ] || continue
		echo "LAB-BENCH $name $fa $fb"
		paired=$((paired + 1))
	done
}

paired_rounds msr_hypercall_msg_rate 3 rate_round msr hypercall
check rate_rounds_all_streamed 3 "$paired"

check_cmd unload_argo_char rmmod argo_char
paired_rounds vector_evtchn_latency_ns 5 lat_round vector evtchn
check latency_rounds_all_delivered 5 "$paired"
tap_done
