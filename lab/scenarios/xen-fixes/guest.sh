# xen-fixes, g1: the re-registration defects, measured in this guest (its
# ring slots may be used up afterwards), then fill dom0's wildcard ring on
# port 8000 until sendv says -EAGAIN, report, and wait to be destroyed.
. /lab/lib.sh
tap_plan 8

xen=$(lab_cmdline xen)
load_argo

# --- Defects 3, 4 and 5: ring registration --------------------------------
if insmod /lib/argo/argo_test_register.ko partner=0; then
	maxring=$(dmesg | sed -n 's/.*argo_test_register: maxring: //p')
	rereg=$(dmesg | sed -n 's/.*argo_test_register: rereg: //p')
	failed=$(dmesg | sed -n 's/.*argo_test_register: failed-rereg: //p')
	if [ "$xen" = pristine ]; then
		# The documented 16 MiB maximum needs 4097 pages; Xen takes 4096.
		check max_size_ring_refused_on_pristine \
			"16 MiB ring -22, largest ring below it 0" "$maxring"
		# Each re-registration counted as a new ring: slots run out
		# at the 128th, and a new ring is refused.
		check reregistration_exhausts_ring_slots_on_pristine \
			"initial 0, 130 re-registrations: 127 ok, first error -28 at 128, new ring -28" "$rereg"
		# 127 slots leaked above; the failed re-registration of
		# cycle 1 keeps its slot too, so cycle 2 finds none.
		check failed_reregistration_keeps_its_slot_on_pristine \
			"130 cycles: 1 registered, first error -28 at cycle 2" "${failed#*, }"
	else
		check max_size_ring_registers \
			"16 MiB ring 0, largest ring below it 0" "$maxring"
		check reregistration_uses_no_ring_slot \
			"initial 0, 130 re-registrations: 130 ok, first error 0 at 0, new ring 0" "$rereg"
		check failed_reregistration_gives_its_slot_back \
			"130 cycles: 130 registered, first error 0 at cycle 0" "${failed#*, }"
	fi
	case "$failed" in
	"bad re-registration -"*) ok reregistration_with_bad_frame_fails ;;
	*) not_ok reregistration_with_bad_frame_fails "expected a negative errno, got '$failed'" ;;
	esac
	check_cmd unload_register_module rmmod argo_test_register
else
	tap_not_run max_size_ring reregistration_slots failed_reregistration_slot \
		reregistration_with_bad_frame_fails unload_register_module \
		"argo_test_register.ko did not load"
fi
tap_done

# --- Defect 2 set-up: fill dom0's wildcard ring ---------------------------
# No source port: binding one needs a ring slot, which pristine Xen may
# have used up above.
n=0
while [ $n -lt 20 ] && argo-send -d 0 -p 8000 -m g1waitsforspace. 2>/tmp/err; do
	n=$((n + 1))
done
case "$(cat /tmp/err)" in
*"Resource temporarily unavailable"*) lab_signal ring-full "$n EAGAIN" ;;
*) lab_signal ring-full "$n $(cat /tmp/err)" ;;
esac
sleep 600
