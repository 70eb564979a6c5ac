# pvh-smoke, dom0 half. dom0 is PV: the CPUID block offers it the
# hypercall only, and argo.ko picks it; Xen offers it no notification
# vector (no local APIC), so signals stay on the event channel.
. /lab/lib.sh
tap_plan 15

load_argo
check dom0_pv_uses_hypercall "mechanism hypercall
interface 1.0 at 0x40000100 offers hypercall msr_base 0x0 features 0xf" \
	"$(head -n2 /sys/kernel/debug/argo/mechanism 2>&1)"
check dom0_pv_notify_evtchn "notify evtchn (Xen offers no vector to this domain)" \
	"$(head -n1 /sys/kernel/debug/argo/notify 2>&1)"
# Asked anyway, through the hypercall: a PV domain has no local APIC.
check_cmd dom0_nv_test_loads insmod /lib/argo/argo_test_msr.ko nv_hypercall=1
check dom0_pv_notify_vector_refused "notify_vector_hc result -95" \
	"$(dmesg | sed -n 's/.*argo_test_msr: //p' | tail -n1)"
check_cmd dom0_nv_test_unloads rmmod argo_test_msr

# Guest -> dom0, as in smoke: register for the paused guest, then run it.
gid=$(guest_create /lab/scenarios/pvh-smoke/g1.cfg -p) ||
	{ tap_not_run create_g1 guest_to_dom0 signals_on_evtchn dom0_to_guest_first dom0_to_guest_second \
		dom0_programs_stable g1_finished "xl create failed"; tap_done; exit 1; }
ok create_g1
argo-recv -p 5000 -f "$gid" -n 2 -x -w "$GUEST_WAIT_S" -R /tmp/g1.ready > /tmp/g1.out 2>&1 &
rpid=$!
wait_file /tmp/g1.ready 10
xl unpause g1
lab_tell "$gid" dom0-ring-ready
wait $rpid
check guest_to_dom0 \
	"from $gid:5100 type 7 len 5 data 68656c6c6f
from $gid:5100 type 65536 len 300 data $(i=0; while [ $i -lt 100 ]; do printf 'a5015a'; i=$((i + 1)); done)" \
	"$(cat /tmp/g1.out)"
check_notified

if lab_wait "$gid" guest-ring-ready "$GUEST_WAIT_S" > /dev/null; then
	check_cmd dom0_to_guest_first argo-send -d "$gid" -p 6000 -s 6100 -t 3 -x 0102030405
	check_cmd dom0_to_guest_second argo-send -d "$gid" -p 6000 -s 6100 -t 11 -m "from dom0"
else
	tap_not_run dom0_to_guest_first dom0_to_guest_second "the guest never registered its ring"
fi

# While the guest runs its own loops: PV dom0's programs on this model.
stress_programs dom0_programs_stable 25

guest_wait g1 "$GUEST_WAIT_S" && ok g1_finished || not_ok g1_finished "g1 did not power off by itself"
tap_done
