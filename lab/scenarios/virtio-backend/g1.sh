# virtio-backend, g1: a frontend that knows no domid. It finds its disk
# with argo-discover (its discovery port's cable), drives it with
# va-frontend through the port discovery named, keeps being served while
# g2 misbehaves and after g2 is destroyed, then finds the disk again, the
# same way, once dom0 has moved its cables to the driver domain; last,
# the kernel's own virtio_blk on virtio_argo.ko gets a disk from the
# driver domain, the same way, and keeps a file system on it.
. /lab/lib.sh
tap_plan 26

load_argo
me=$(my_domid)
# disk: "PORT RING" of the first block device discovery lists.
disk() {
	argo-discover 2>&1 | tee /tmp/disc |
		sed -n 's/^device [0-9]* block port=\([0-9]*\) .*frontend_ring=\([0-9]*\) .*/\1 \2/p' | head -n1
}
lab_wait "$me" go "$GUEST_WAIT_S" > /dev/null
set -- $(disk)
check discovers_its_disk_port "6000 262144" "$*"
port=${1:-6000} ring=${2:-262144}
va() { va-frontend -p "$port" -r "$ring" "$@"; }

# 32 blocks over both queues, all in flight, flushed, read back; then a
# new session (new HELLO, new epoch) reads what the first wrote.
check_cmd rw_through_dom0 va rw 0 32 1
check_cmd verify_in_new_session_through_dom0 va verify 0 32 1
lab_signal rw-done

# Reads and writes go on while g2 sends malformed messages to the same daemon.
rm -f /tmp/stop
va loop /tmp/stop 2048 7 > /tmp/loop.out 2>&1 &
loop=$!
sleep 2
lab_signal looping
lab_wait "$me" stop-loop "$GUEST_WAIT_S" > /dev/null
touch /tmp/stop
if wait $loop && grep -q "rounds of 8 blocks" /tmp/loop.out && ! grep -q " 0 rounds" /tmp/loop.out; then
	ok served_while_neighbour_hostile; else not_ok served_while_neighbour_hostile "$(cat /tmp/loop.out)"; fi
cat /tmp/loop.out | sed 's/^/# /'
lab_signal loop-done

lab_wait "$me" g2-gone "$GUEST_WAIT_S" > /dev/null
check_cmd served_after_neighbour_destroyed_mid_request va rw 4096 16 9
lab_signal after-destroy-done

# Moved: the same discovery command, through the same port, now answered
# by the driver domain, names another port; g1 never learns a domid.
lab_wait "$me" moved "$GUEST_WAIT_S" > /dev/null
set -- $(disk)
check discovers_its_disk_in_the_driver_domain "6100 262144" "$*"
sed 's/^/# /' /tmp/disc
port=${1:-6100} ring=${2:-262144}
check_cmd rw_through_driver_domain va rw 0 32 3
check_cmd verify_in_new_session_through_driver_domain va verify 0 32 3
check_cmd hostile_wrong_epoch_refused_by_driver_domain va hostile wrong-epoch
check_cmd served_by_driver_domain_after_refusal va verify 0 32 3
lab_signal drv-done

# The kernel transport, served by the driver domain. Outside the lab
# (tests/unit/lab_plans.sh, stub tools) every path is a scratch folder.
if [ "$(lab_cmdline name)" = g1 ]; then W=/tmp/k DEV=/dev SYS=/sys MNT=/mnt/k
else W=$(mktemp -d) && DEV=$W/dev SYS=$W/sys MNT=$W/k; fi
mkdir -p $W $MNT
lab_wait "$me" kernel "$GUEST_WAIT_S" > /dev/null
# What the guest learns of its disk names no domain: ports and sizes.
check discovers_the_kernel_disk "6102 4194304" "$(disk)"
check discovery_record_names_no_domain "port backend_ring frontend_ring queues queue_size features" \
	"$(grep -m1 '^device' /tmp/disc | tr ' ' '\n' | sed -n 's/=.*//p' | tr '\n' ' ' | sed 's/ $//')"
check_cmd load_virtio_blk modprobe virtio_blk
# ext4 asks the crypto API for crc32c, which no module alias loads here.
modprobe crc32c_generic 2>/dev/null
modprobe ext4 2>/dev/null
check_cmd load_virtio_argo insmod /lib/argo/virtio_argo.ko
n=0
while [ ! -b $DEV/vda ] && [ $n -lt 120 ]; do sleep 1; n=$((n + 1)); done
if [ -b $DEV/vda ]; then ok vda_from_driver_domain; else
	not_ok vda_from_driver_domain "$(dmesg | grep -i -e virtio -e argo | tail -n 10)"; fi
check vda_size_32MiB 65536 "$(cat $SYS/block/vda/size 2>&1)"
check_cmd mkfs_ext4_vda mkfs.ext4 -q -F $DEV/vda
check_cmd mount_vda mount -t ext4 $DEV/vda $MNT
marker="VBLK-DRV-$(cat /proc/sys/kernel/random/uuid)"
echo "$marker" > $W/marker
dd if=/dev/urandom of=$W/f1 bs=4k count=1 2>/dev/null
dd if=/dev/urandom of=$W/f2 bs=1M count=2 2>/dev/null
cp $W/marker $W/f1 $W/f2 $MNT/
sums=$(cd $W && md5sum marker f1 f2)
sync
check_cmd umount_vda umount $MNT
sync; [ "$DEV" = /dev ] && echo 3 > /proc/sys/vm/drop_caches
mount -t ext4 $DEV/vda $MNT
check checksums_match_after_remount "$sums" "$(cd $MNT && md5sum marker f1 f2 2>&1)"
umount $MNT
# Nor is the transport told one: its only parameters are its ports.
dmesg | grep virtio_argo | sed 's/^/# dmesg: /' | tail -n 5
check transport_config_names_no_domain "disc_port event_port" \
	"$(ls $SYS/module/virtio_argo/parameters 2>&1 | tr '\n' ' ' | sed 's/ $//')"
check_cmd unload_virtio_argo rmmod virtio_argo
check vda_gone_after_unload "" "$(ls $DEV/vda 2>/dev/null)"
lab_signal kernel-done "$marker"
lab_wait "$me" bye "$GUEST_WAIT_S" > /dev/null
[ "$DEV" = /dev ] || rm -rf "$W"
tap_done
