# cables, G (frontend): the same command each time, `argo-send -I`; the
# toolstack decides where it goes. G may not program cables itself.
. /lab/lib.sh
tap_plan 20

load_argo
me=$(my_domid)
set -- $(lab_wait "$me" ids "$GUEST_WAIT_S")
b=$2
# The argo-send line a program would have, with no domain id in it.
send7000() { argo-send -I -s 7000 -m hello1; }
check features_seen_from_guest "cables notify-hide suppress" "$(argo-ctl features | sed 's/ $//')"

lab_wait "$me" go1 "$GUEST_WAIT_S" > /dev/null
send7000 && ok implicit_send_first_cable || not_ok implicit_send_first_cable "refused"
lab_signal sent1
lab_wait "$me" go2 "$GUEST_WAIT_S" > /dev/null
send7000 && ok implicit_send_after_recable_same_command ||
	not_ok implicit_send_after_recable_same_command "refused"

check cable_to_denied_port_eacces \
	"argo-send: send through the cable of port 7001: Permission denied (denied by Xen's policy)" \
	"$(echo x | argo-send -I -s 7001 2>&1)"
check implicit_send_without_cable_enotconn \
	"argo-send: send through the cable of port 7002: Transport endpoint is not connected (no patch cable on the source port)" \
	"$(echo x | argo-send -I -s 7002 2>&1)"
check upstream_destination_enxio \
	"argo-send: send to 32758:1: No such device or address (no hypervisor above this one: ARGO_DOMID_UPSTREAM is reserved)" \
	"$(echo x | argo-send -d upstream -p 1 2>&1)"
out=$(argo-ctl cable add "$me" 7005 0 6001 2>&1); rc=$?
check guest_programming_cables_refused \
	"1 argo-ctl: cable add $me 7005 -> 0:6001: denied by Xen's Argo policy" "$rc $out"
out=$(argo-ctl cable list "$me" 2>&1); rc=$?
check guest_listing_cables_refused \
	"1 argo-ctl: cable list $me: denied by Xen's Argo policy" "$rc $out"
lab_signal done1

# B is gone: its cable stays, and sends through it fail cleanly.
lab_wait "$me" b-gone "$GUEST_WAIT_S" > /dev/null
check send_to_dead_destination_esrch \
	"argo-send: send through the cable of port 7003: No such process (no such domain)" \
	"$(echo x | argo-send -I -s 7003 2>&1)"
lab_signal done2

# A virtio-argo disk whose port the firewall refuses this guest: dom0's
# discovery service announces it, Xen's policy denies the send through
# its cable (to dom0's management port). virtio_argo.ko must say so
# once, make no device and leave nothing behind.
lab_wait "$me" vfw "$GUEST_WAIT_S" > /dev/null
mount -t debugfs none /sys/kernel/debug 2>/dev/null
rings() { sed -n 's/^rings //p' /sys/kernel/debug/argo/stats 2>/dev/null; }
rings0=$(rings)
# virtio_blk brings virtio and virtio_ring (busybox's insmod loads no
# dependency), and would claim a disk if one were registered.
modprobe virtio_blk 2>/dev/null
check_cmd vfw_load_virtio_argo insmod /lib/argo/virtio_argo.ko
n=0
while ! dmesg | grep -q 'virtio_argo: device 1: ' && [ $n -lt 60 ]; do sleep 1; n=$((n + 1)); done
check vfw_refusal_logged_in_one_line \
	"virtio_argo: device 1: the Argo firewall refuses port 7004's cable (-13): no device" \
	"$(dmesg | grep -o 'virtio_argo: device 1: .*')"
check vfw_no_virtio_device "" "$(ls /sys/bus/virtio/devices 2>&1)"
check vfw_no_disk "" "$(ls /sys/block | grep '^vd')"
check vfw_no_ring_left_for_the_device "" "$(awk '$1 == 7004' /sys/kernel/debug/argo/rings 2>&1)"
check vfw_no_counters_left "" "$(ls /sys/kernel/debug/virtio_argo 2>/dev/null)"
check_cmd vfw_unload_virtio_argo rmmod virtio_argo
check vfw_rings_as_before_load "$rings0" "$(rings)"
# Debian's kernels have no kmemleak; a kernel with it gets a scan here.
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan > /sys/kernel/debug/kmemleak
	sed 's/^/# kmemleak: /' /sys/kernel/debug/kmemleak | head -n 20
else
	echo "# kmemleak: not in this kernel"
fi
lab_signal vfw-done
lab_wait "$me" bye "$GUEST_WAIT_S" > /dev/null
tap_done
