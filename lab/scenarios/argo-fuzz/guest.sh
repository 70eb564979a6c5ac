# argo-fuzz, guest: run argo_test_fuzz.ko on both vCPUs with the other
# guest as peer, then report its summary as TAP (the victim, destroyed
# mid-run, reports nothing).
. /lab/lib.sh

me=$(my_domid)
peer=$(lab_wait "$me" peer "$GUEST_WAIT_S") || peer=-1
seed=$(lab_cmdline fuzz_seed)
calls=$(lab_cmdline fuzz_calls)
rounds=$(lab_cmdline fuzz_rounds)
victim=$(lab_cmdline fuzz_victim)
# The victim is destroyed mid-run and reports nothing (TAP_FROM omits it).
[ -n "$victim" ] || tap_plan 5
echo "# fuzzing Argo: seed $seed, $calls calls per vCPU per round, $rounds rounds, domid $me, peer $peer"
# Both guests start together, so their calls and g2's death overlap.
lab_signal ready
lab_wait "$me" go "$GUEST_WAIT_S" > /dev/null
lab_signal fuzzing
t0=$(date +%s)
if insmod /lib/argo/argo_test_fuzz.ko seed="$seed" calls="$calls" rounds="$rounds" \
	threads=2 domid="$me" peer="$peer"; then
	rc=0
else
	rc=$?
fi
t1=$(date +%s)
dmesg | grep -E 'argo_fuzz: (MISMATCH|round|start|done)' | sed 's/^/# /'
if [ -z "$victim" ]; then
	done_line=$(dmesg | grep -o 'argo_fuzz: done .*' | tail -n1)
	field() { echo "$done_line" | sed -n "s/.* $1 \([0-9]*\).*/\1/p"; }
	check fuzz_module_ran 0 "$rc"
	check fuzz_calls_made $((calls * 2 * rounds)) "$(field calls)"
	check fuzz_every_result_matches_the_model 0 "$(field mismatches)"
	check fuzz_ring_accounting_intact_after_each_round 0 "$(field count_checks_failed)"
	# The batch op is drawn only where Xen offers it (series 0021).
	batch_calls=$(echo "$done_line" | sed -n 's/.* sendv_batch [0-9]*\/\([0-9]*\).*/\1/p')
	if dmesg | grep -q 'argo_fuzz: start .* batch 1'; then
		check fuzz_drew_sendv_batch 1 "$([ "${batch_calls:-0}" -gt 0 ] && echo 1 || echo 0)"
	else
		skip fuzz_drew_sendv_batch "this Xen has no XEN_ARGO_OP_sendv_batch"
	fi
	echo "# $(field calls) calls in $((t1 - t0)) s"
	tap_done
fi
lab_signal done
lab_wait "$me" poweroff 1200 > /dev/null
