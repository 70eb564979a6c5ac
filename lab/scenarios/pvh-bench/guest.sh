# pvh-bench, guest: argo_test_msr.ko times get_features through the call
# MSR and through the hypercall, 2000 calls each, taking turns for five
# rounds; each round is one LAB-BENCH msr_hypercall_rtt_ns MSR_NS HC_NS
# line (nanoseconds per call), paired by lab/bench into the ratio.
. /lab/lib.sh
tap_plan 7

load_argo
check_mechanism
msr=$(sed -n 's/.* msr_base \(0x[0-9a-f]*\) .*/\1/p' /sys/kernel/debug/argo/mechanism 2>/dev/null)
check_cmd bench_module_runs insmod /lib/argo/argo_test_msr.ko msr=$((${msr:-0})) bench=2000 rounds=5
out=$(dmesg | sed -n 's/.*argo_test_msr: //p')
echo "$out" | sed -n 's/^bench_pair \([0-9]*\) \([0-9]*\)$/LAB-BENCH msr_hypercall_rtt_ns \1 \2/p'
check bench_rounds_and_calls "5 rounds, 0 calls failed" \
	"$(echo "$out" | grep -c '^bench_pair ') rounds, $(echo "$out" | sed -n 's/^bench done, \([0-9]*\) calls failed$/\1/p') calls failed"
check_cmd bench_module_unloads rmmod argo_test_msr
tap_done
