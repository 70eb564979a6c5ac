# pvh-smoke, guest half: a PVH guest, where argo.ko finds the CPUID block
# offering the MSR mechanism and uses it (mechanism=auto), then the same
# through a forced hypercall. argo_test_msr.ko writes garbage to the MSR:
# every case must end in #GP or an error result, and Xen must live.
# Signals come on a local APIC vector (lab.notify=vector in g1.cfg): the
# messages arrive through it, it follows the IRQ to another vCPU, and
# the event channel still works when asked for (notify=evtchn).
. /lab/lib.sh
tap_plan 30

load_argo
me=$(my_domid)
mech=$(cat /sys/kernel/debug/argo/mechanism 2>&1)
check guest_pvh_uses_msr "mechanism msr
interface 1.0 at 0x40000100 offers hypercall msr msr_base 0x40000010 features 0x1f" \
	"$(echo "$mech" | head -n2)"
check guest_pvh_notify_vector "notify vector" \
	"$(head -n1 /sys/kernel/debug/argo/notify 2>&1)"

# Guest -> dom0 and back, as in smoke, over the MSR mechanism.
if lab_wait "$me" dom0-ring-ready "$GUEST_WAIT_S" > /dev/null; then
	check_cmd send_hello argo-send -d 0 -p 5000 -s 5100 -t 7 -m hello
	big=$(i=0; while [ $i -lt 100 ]; do printf 'a5015a'; i=$((i + 1)); done)
	check_cmd send_300_bytes argo-send -d 0 -p 5000 -s 5100 -t 65536 -x "$big"
else
	tap_not_run send_hello send_300_bytes "dom0 never registered its ring"
fi
argo-recv -p 6000 -f 0 -n 2 -x -w "$GUEST_WAIT_S" -R /tmp/rx.ready > /tmp/rx.out 2>&1 &
rpid=$!
wait_file /tmp/rx.ready 10 && lab_signal guest-ring-ready
wait $rpid
check recv_from_dom0 \
	"from 0:6100 type 3 len 5 data 0102030405
from 0:6100 type 11 len 9 data 66726f6d20646f6d30" "$(cat /tmp/rx.out)"

# Many calls from many processes: 50 self-sends, one argo-send each,
# then one from argo_test_msr.ko (type 9, 64 bytes of a5).
argo-recv -p 7000 -f "$me" -n 51 -x -w 120 -R /tmp/self.ready > /tmp/self.out 2>&1 &
rpid=$!
wait_file /tmp/self.ready 10
i=0 fails=0
while [ $i -lt 50 ]; do
	argo-send -d "$me" -p 7000 -s 7100 -t $i -m "msg $i" > /dev/null 2>&1 || fails=$((fails + 1))
	i=$((i + 1))
done
check self_sends_over_msr "0" "$fails"

msr=$(echo "$mech" | sed -n 's/.* msr_base \(0x[0-9a-f]*\) .*/\1/p')
check_cmd test_msr_loads insmod /lib/argo/argo_test_msr.ko msr=$((msr)) dom="$me" port=7000
check msr_garbage_refused "read value 0
read_next gp
write_next gp
block_misaligned gp
block_mmio gp
block_no_ram gp
block_flags gp
block_reserved gp
get_features result 31
op_unknown result -95
arg_over_32_bits result -22
sendv_addr_no_ram result -14
sendv_addr_mmio result -14
sendv_iovs_no_ram result -14
sendv_niov_9 result -22
sendv_buffer_mmio result -14
sendv_buffer_no_ram result -14
sendv_good result 64
notify_mmio result -14
register_frames_no_ram result -14
nv_vector_1f result -22
nv_vector_10 result -22
nv_flags result -22
nv_pad result -22
nv_ring result -22
nv_vcpu_4096 result -22
nv_vcpu_huge result -22
nv_clear_vcpu_1 result -22
nv_arg2 result -22
nv_arg4 result -22
nv_mmio result -14
done" "$(dmesg | sed -n 's/.*argo_test_msr: //p')"
check_cmd test_msr_unloads rmmod argo_test_msr
wait $rpid
check self_recv_all "51 50 from $me:7100 type 49 len 6 data 6d7367203439
type 9 len 64" \
	"$(wc -l < /tmp/self.out) $(grep -c "from $me:7100 " /tmp/self.out) $(sed -n 50p /tmp/self.out)
$(sed -n '51s/.* \(type 9 len 64\) .*/\1/p' /tmp/self.out)"
check msr_counted_no_fallback "yes 0" \
	"$(awk '/^msr_calls/ { c = $2 } /^msr_fallbacks/ { f = $2 } END { print (c > 50 ? "yes" : "no " c), f }' \
		/sys/kernel/debug/argo/mechanism 2>&1)"
# The 51 messages' signals: all on the vector, none on VIRQ_ARGO.
check_notified

# The IRQ moved to CPU 1: the vector allocator moves the vector, argo.ko
# tells Xen the new vector and vCPU, and messages keep arriving.
virq=$(sed -n 's/^irq \([0-9]*\) .*/\1/p' /sys/kernel/debug/argo/notify 2>/dev/null)
if [ "$(nproc)" -ge 2 ] && [ -n "$virq" ]; then
	check_cmd vector_affinity_to_cpu1 sh -c "echo 2 > /proc/irq/$virq/smp_affinity"
	argo-recv -p 7000 -f "$me" -n 2 -x -w 30 -R /tmp/aff.ready > /tmp/aff.out 2>&1 &
	rpid=$!
	wait_file /tmp/aff.ready 10
	argo-send -d "$me" -p 7000 -s 7100 -t 1 -m one > /dev/null 2>&1
	argo-send -d "$me" -p 7000 -s 7100 -t 2 -m two > /dev/null 2>&1
	wait $rpid
	check vector_moved_messages_arrive 2 "$(grep -c "from $me:7100 " /tmp/aff.out)"
	check vector_moved_to_vcpu1 "cpu 1 vcpu 1 retargets yes" \
		"$(awk '/^irq / { c = $5 " " $6 " " $7 " " $8 }
			/^retargets / { r = $2 > 0 ? "yes" : "no" } END { print c, "retargets", r }' \
			/sys/kernel/debug/argo/notify)"
else
	tap_not_run vector_affinity_to_cpu1 vector_moved_messages_arrive vector_moved_to_vcpu1 \
		"no vector IRQ, or one CPU"
fi

stress_programs guest_programs_stable 25

# Forced mechanisms: an unknown one is refused, the hypercall works too.
check_cmd unload_argo sh -c 'rmmod argo_char && rmmod argo'
if insmod /lib/argo/argo.ko mechanism=vmcall 2> /dev/null; then
	not_ok unknown_mechanism_refused "argo.ko loaded with mechanism=vmcall"
	rmmod argo
else
	ok unknown_mechanism_refused
fi
check_cmd load_argo_hypercall sh -c 'insmod /lib/argo/argo.ko mechanism=hypercall && insmod /lib/argo/argo_char.ko'
check forced_hypercall_named "mechanism hypercall" \
	"$(head -n1 /sys/kernel/debug/argo/mechanism 2>&1)"
check forced_hypercall_notify_vector "notify vector" \
	"$(head -n1 /sys/kernel/debug/argo/notify 2>&1)"
argo-recv -p 7000 -f "$me" -n 1 -x -w 30 -R /tmp/hc.ready > /tmp/hc.out 2>&1 &
rpid=$!
wait_file /tmp/hc.ready 10
argo-send -d "$me" -p 7000 -s 7100 -t 5 -m hypercall > /dev/null 2>&1
wait $rpid
check self_send_over_hypercall "from $me:7100 type 5 len 9 data 687970657263616c6c" \
	"$(cat /tmp/hc.out)"

# The event channel, asked for: argo.ko's unload gave Xen's signals back
# to VIRQ_ARGO, and a new load that keeps them there gets them.
check_cmd unload_argo_vector sh -c 'rmmod argo_char && rmmod argo'
check_cmd load_argo_evtchn sh -c 'insmod /lib/argo/argo.ko notify=evtchn && insmod /lib/argo/argo_char.ko'
argo-recv -p 7000 -f "$me" -n 1 -x -w 30 -R /tmp/ev.ready > /tmp/ev.out 2>&1 &
rpid=$!
wait_file /tmp/ev.ready 10
argo-send -d "$me" -p 7000 -s 7100 -t 6 -m evtchn > /dev/null 2>&1
wait $rpid
check self_send_over_evtchn "from $me:7100 type 6 len 6 data 65767463686e" "$(cat /tmp/ev.out)"
check forced_evtchn_signals "notify evtchn vector:no virq:yes" "$(notified_by)"
# No signal reached a vector after it was given back.
check no_stray_vector "" "$(dmesg | grep -i 'no irq handler for vector' || true)"
tap_done
