# argo-fuzz, dom0: start g1 and g2 paused, introduce them, let both fuzz
# Argo (argo_test_fuzz.ko) with each other as peer, destroy g2 in the
# middle of its run, and check that Xen survives and that no trace of g2
# stays behind (a ring page still referenced keeps a dying domain).
. /lab/lib.sh
tap_plan 9

# A guest that never starts leaves every case unrun, each reported.
not_started() {
	tap_not_run create_two_guests_with_two_vcpus destroy_g2_mid_sequence \
		destroyed_g2_leaves_no_dying_domain g2_gone g1_finished g1_powered_off \
		no_domain_left_dying xen_still_answers no_assertion_in_xen_log "$1"
	tap_done
	exit 1
}

xen=$(lab_cmdline xen)
seed=$(lab_cmdline fuzz_seed)
seed=${seed:-1}
calls=$(lab_cmdline fuzz_calls)
calls=${calls:-8000}
rounds=$(lab_cmdline fuzz_rounds)
rounds=${rounds:-2}
echo "# argo-fuzz on $xen Xen: seed $seed, $calls calls per vCPU per round, $rounds rounds"
echo "# reproduce: make fuzz-xen SEED=$seed CALLS=$calls ROUNDS=$rounds XEN_VARIANT=$xen"

# g2 runs far longer than g1 so it is still fuzzing when destroyed.
fuzz="lab.script=argo-fuzz/guest.sh lab.fuzz_rounds=$rounds"
g1=$(guest_create ../smoke/g1.cfg -p 'vcpus=2' \
	"extra=\"console=hvc0 loglevel=4 lab.name=g1 $fuzz lab.fuzz_seed=$seed lab.fuzz_calls=$calls\"") ||
	not_started "xl create g1 failed"
g2=$(guest_create ../smoke/g1.cfg -p 'name="g2"' 'vcpus=2' \
	"extra=\"console=hvc0 loglevel=4 lab.name=g2 $fuzz lab.fuzz_seed=$((seed + 1)) lab.fuzz_calls=$((calls * 50)) lab.fuzz_victim=1\"") ||
	not_started "xl create g2 failed"
ok create_two_guests_with_two_vcpus
lab_tell "$g1" peer "$g2"
lab_tell "$g2" peer "$g1"
xl unpause g1
xl unpause g2

zombies() { xl list | awk 'NR > 1 && ($1 == "(null)" || $5 ~ /d/)' | wc -l; }

if lab_wait "$g1" ready "$GUEST_WAIT_S" > /dev/null &&
   lab_wait "$g2" ready "$GUEST_WAIT_S" > /dev/null; then
	lab_tell "$g1" go
	lab_tell "$g2" go
	lab_wait "$g1" fuzzing 30 > /dev/null
	lab_wait "$g2" fuzzing 30 > /dev/null
	sleep 1 # both into their calls; g1 runs for seconds (idle host) to minutes
	check_cmd destroy_g2_mid_sequence xl destroy g2
	guest_unrelay g2
	n=0
	while [ "$(zombies)" != 0 ] && [ $n -lt 20 ]; do sleep 1; n=$((n + 1)); done
	check destroyed_g2_leaves_no_dying_domain 0 "$(zombies)"
	check g2_gone "" "$(xl domid g2 2>/dev/null)"
else
	tap_not_run destroy_g2_mid_sequence destroyed_g2_leaves_no_dying_domain g2_gone \
		"g1 or g2 never signalled 'ready'"
fi

if lab_wait "$g1" done 1200 > /dev/null; then ok g1_finished; else
	not_ok g1_finished "g1 never signalled 'done'"; fi
lab_tell "$g1" poweroff
guest_wait g1 "$GUEST_WAIT_S" && ok g1_powered_off || not_ok g1_powered_off "g1 did not power off"
check no_domain_left_dying 0 "$(zombies)"
check_cmd xen_still_answers xl list
# A log that could not be read proves nothing: that fails too.
if log=$(xl dmesg); then
	check no_assertion_in_xen_log "" "$(echo "$log" | grep -E 'Assertion|FATAL|BUG')"
else
	not_ok no_assertion_in_xen_log "xl dmesg failed: Xen's log was not read"
fi
tap_done
