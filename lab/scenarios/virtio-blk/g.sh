# virtio-blk, g: the Debian kernel's virtio_blk on virtio_argo.ko. The
# guest knows no domid: discovery and the cable of port 6000 lead it to
# its disk.
. /lab/lib.sh
tap_plan 54

# Outside the lab (tests/unit/lab_plans.sh runs every script on the host
# with stub tools) every path points into a scratch folder, so no real
# disk, mount point or file is touched.
if [ "$(lab_cmdline name)" = g ]; then
	W=/tmp/vblk DEV=/dev SYS=/sys MNT=/mnt/a MNT2=/mnt/b
else
	W=$(mktemp -d) && DEV=$W/dev SYS=$W/sys MNT=$W/a MNT2=$W/b
fi
mkdir -p $W $MNT $MNT2
me=$(my_domid)
load_argo
check_cmd load_virtio_blk modprobe virtio_blk
# ext4 asks the crypto API for crc32c, which no module alias loads here.
modprobe crc32c_generic 2>/dev/null
modprobe ext4 2>/dev/null
check_cmd load_virtio_argo insmod /lib/argo/virtio_argo.ko
[ "$SYS" = /sys ] && mount -t debugfs none /sys/kernel/debug 2>/dev/null

# wait_dev DEV SECONDS: until the block device exists.
wait_dev() {
	local n=0
	while [ ! -b "$1" ] && [ $n -lt "$2" ]; do sleep 1; n=$((n + 1)); done
	[ -b "$1" ]
}
fresh_read() { sync; [ "$DEV" = /dev ] && echo 3 > /proc/sys/vm/drop_caches; }
if wait_dev $DEV/vda 120; then ok vda_appears; else
	not_ok vda_appears "$(dmesg | grep -i -e virtio -e argo | tail -n 20)"
	lab_signal flushed none; lab_signal done
	tap_bail "no $DEV/vda"
fi
check vda_size_64MiB 131072 "$(cat $SYS/block/vda/size)"

# The file system survives an unmount, with every byte as written.
check_cmd mkfs_ext4_vda mkfs.ext4 -q -F $DEV/vda
check_cmd mount_vda mount -t ext4 $DEV/vda $MNT
dd if=/dev/urandom of=$W/f1 bs=4k count=1 2>/dev/null
dd if=/dev/urandom of=$W/f2 bs=64k count=16 2>/dev/null
dd if=/dev/urandom of=$W/f3 bs=1M count=4 2>/dev/null
cp $W/f1 $W/f2 $W/f3 $MNT/
sums=$(cd $W && md5sum f1 f2 f3)
check_cmd sync_vda sync
check_cmd umount_vda umount $MNT
fresh_read
check_cmd remount_vda mount -t ext4 $DEV/vda $MNT
check checksums_match_after_remount "$sums" "$(cd $MNT && md5sum f1 f2 f3)"

# Flush: dom0 kills the back-end and looks for this in the image.
marker="VTRANS-FLUSH-$(cat /proc/sys/kernel/random/uuid)"
echo "$marker" > $W/marker
check_cmd fsync_marker dd if=$W/marker of=$MNT/flushed bs=4k conv=fsync
lab_signal flushed "$marker"
lab_wait "$me" qsd-back "$GUEST_WAIT_S" > /dev/null

# qemu-storage-daemon killed and restarted mid-write: the write completes,
# the data is intact, the file system is clean.
dd if=/dev/urandom of=$W/big bs=1M count=16 2>/dev/null
(dd if=$W/big of=$MNT/big bs=1M conv=fsync 2>$W/dd.err; echo $? > $W/dd.rc) &
lab_signal writing
lab_wait "$me" restarted "$GUEST_WAIT_S" > /dev/null
wait
check write_survives_backend_restart 0 "$(cat $W/dd.rc)"
grep -v records $W/dd.err | sed 's/^/# dd: /'
fresh_read
check fsynced_file_intact_after_restart "$(md5sum < $W/big)" "$(md5sum < $MNT/big)"
umount $MNT
check_cmd fsck_clean_after_restart e2fsck -fn $DEV/vda
check_cmd remount_after_fsck mount -t ext4 $DEV/vda $MNT

# virtio-argo-backend itself killed and restarted mid-write (§18 of
# docs/virtio-argo.md): the transport learns it (a refused send or probe,
# or the new bridge's EVENT_RESET), holds what was in flight, says HELLO
# again, replays the session and sends it again. The writer goes on until
# dom0 says the bridge is back, so the kill falls mid-write whatever the
# speed; every write it was told of, and the file fsync'd before, must be
# there, each request completed once.
t0=$(date +%s)
dd if=/dev/urandom of=$W/src bs=1M count=16 2>/dev/null
dd if=/dev/urandom of=$W/pre bs=64k count=4 2>/dev/null
check_cmd fsync_before_bridge_kill dd if=$W/pre of=$MNT/pre bs=64k conv=fsync
(
	i=0 rc=0
	while [ $i -lt 400 ]; do
		k=$((i % 16))
		dd if=$W/src of=$MNT/big2 bs=1M count=1 skip=$k seek=$k oflag=direct \
			conv=notrunc 2>> $W/dd2.err || { rc=1; break; }
		i=$((i + 1))
		[ $i -ge 16 ] && xenstore-read /local/domain/$me/data/lab/bridge-back \
			> /dev/null 2>&1 && break
	done
	sync
	echo "$rc $i" > $W/w2.rc
) &
lab_signal writing2
lab_wait "$me" bridge-back "$GUEST_WAIT_S" > /dev/null
wait
check writes_across_bridge_restart_succeed 0 "$(cut -d' ' -f1 $W/w2.rc 2>&1)"
echo "# $(cut -d' ' -f2 $W/w2.rc 2>&1) MiB written across the bridge's restart"
grep -v records $W/dd2.err 2>/dev/null | sed 's/^/# dd: /' | tail -n 5
fresh_read
check fsynced_before_bridge_kill_intact "$(md5sum < $W/pre)" "$(md5sum < $MNT/pre 2>&1)"
check written_across_bridge_restart_intact "$(md5sum < $W/src)" "$(md5sum < $MNT/big2 2>&1)"
umount $MNT
check_cmd fsck_clean_after_bridge_restart e2fsck -fn $DEV/vda
check_cmd remount_after_bridge_restart mount -t ext4 $DEV/vda $MNT
rm -f $MNT/big2 $MNT/pre
V=$SYS/kernel/debug/virtio_argo/dev1
cnt() { awk -v k="$1" '$1 == k { print $2 }' $V 2>/dev/null; }
atleast() { [ "$(cnt "$1")" -ge "$2" ] 2>/dev/null && echo yes; }
check bridge_loss_noticed yes "$(atleast session_losses 1)"
check new_session_started yes "$(atleast sessions 2)"
check requests_sent_again yes "$(atleast resent 1)"
# Every chain taken from the rings got one used entry: none lost, none
# twice. (Polled: a journal commit may be in flight.)
n=0
while [ "$(cnt avail_taken)" != "$(cnt used_published)" ] && [ $n -lt 10 ]; do
	sleep 1; n=$((n + 1))
done
check each_request_completed_once "$(cnt avail_taken)" "$(cnt used_published)"
grep -e ^session -e ^resent -e ^probes -e ^stale $V 2>/dev/null | sed 's/^/# dev1: /'
dmesg | grep -e 'session lost' -e 'new session' | sed 's/^/# dmesg: /' | tail -n 4
echo "# the bridge's restart case took $(($(date +%s) - t0)) s"

# Discard: fill, measure (dom0), free, trim.
dd if=/dev/urandom of=$MNT/fill bs=1M count=16 conv=fsync 2>/dev/null
lab_signal filled
lab_wait "$me" measured "$GUEST_WAIT_S" > /dev/null
rm $MNT/fill
sync
check_cmd fstrim_vda fstrim $MNT
lab_signal trimmed

# A second disk (qcow2) hot-added through discovery, used, hot-removed.
lab_signal ready-hotadd
lab_wait "$me" added "$GUEST_WAIT_S" > /dev/null
if wait_dev $DEV/vdb 120; then ok vdb_hot_added; else not_ok vdb_hot_added "$(dmesg | tail -n 10)"; fi
check vdb_size_64MiB 131072 "$(cat $SYS/block/vdb/size 2>&1)"
check_cmd mkfs_ext4_vdb mkfs.ext4 -q -F $DEV/vdb
mount -t ext4 $DEV/vdb $MNT2 && cp $W/f2 $W/f3 $MNT2/ && sync && umount $MNT2
fresh_read
mount -t ext4 $DEV/vdb $MNT2
check qcow2_checksums_match_after_remount "$(cd $W && md5sum f2 f3)" "$(cd $MNT2 && md5sum f2 f3 2>&1)"
umount $MNT2
lab_signal vdb-done
lab_wait "$me" removed "$GUEST_WAIT_S" > /dev/null
n=0
while [ -b $DEV/vdb ] && [ $n -lt 60 ]; do sleep 1; n=$((n + 1)); done
check vdb_hot_removed "" "$(ls $DEV/vdb 2>/dev/null)"
lab_signal vdb-gone

# The transport's counters (make bench reads them).
sed 's/^/# dev1: /' $SYS/kernel/debug/virtio_argo/dev1
# The two figures make bench wants, from those counters (docs/virtio-argo.md §18).
awk '{ v[$1] = $2 } END { if (v["requests"] && v["bytes_out"] + v["bytes_in"])
	printf "# hypercalls per request %.2f, copies per byte delivered %.2f\n",
		v["hypercalls"] / v["requests"],
		(v["copied_out"] + v["copied_in"] + v["copied_rx"]) / (v["bytes_out"] + v["bytes_in"]) }' \
	$SYS/kernel/debug/virtio_argo/dev1 2>/dev/null
check transport_saw_no_device_error "errors 0" "$(grep '^errors' $SYS/kernel/debug/virtio_argo/dev1)"

# Hostile back-ends, one lie each (tests/lab/va-hostile.c): the disk
# appears (the control plane is honest), its first request gets the lie,
# and the transport refuses it, logged; g carries on. A wrong-epoch
# answer is dropped silently and the right one that follows is used.
newdisk() { ls $SYS/block | grep '^vd' | grep -v '^vda$' | head -n1; }
i=0
while [ $i -lt 5 ]; do
	mode=$(lab_wait "$me" hostile-$i "$GUEST_WAIT_S")
	n=0
	while [ -z "$(newdisk)" ] && [ $n -lt 60 ]; do sleep 1; n=$((n + 1)); done
	dev=$(newdisk)
	check "hostile_${mode}_disk_appears" yes "$([ -n "$dev" ] && echo yes)"
	sleep 1
	got=$(dd if=$DEV/$dev bs=4k count=1 iflag=direct 2>/dev/null | md5sum | cut -d' ' -f1)
	zeros=$(dd if=/dev/zero bs=4k count=1 2>/dev/null | md5sum | cut -d' ' -f1)
	dnum=$((3 + i))
	if [ "$mode" = epoch ]; then
		check hostile_epoch_read_gets_the_right_answer "$zeros" "$got"
		check hostile_epoch_stale_answer_dropped yes \
			"$(awk '/^stale/ { print ($2 >= 1) ? "yes" : $2 }' $SYS/kernel/debug/virtio_argo/dev$dnum)"
	else
		if [ "$got" = "$zeros" ]; then not_ok "hostile_${mode}_read_fails" "the read got data"
		else ok "hostile_${mode}_read_fails"; fi
		check "hostile_${mode}_refused_and_logged" 1 \
			"$(dmesg | grep -c "device $dnum: .*failing its requests")"
	fi
	dmesg | grep "device $dnum:" | sed "s/^/# $mode: /" | tail -n 3
	lab_signal hostile-$i-done
	n=0
	while [ -e $SYS/block/$dev ] && [ $n -lt 60 ]; do sleep 1; n=$((n + 1)); done
	lab_signal hostile-$i-gone
	i=$((i + 1))
done

# A device whose sends are refused (no cable to its port): no disk, one
# log line, and nothing of it left (its counters file goes with it).
lab_wait "$me" refused "$GUEST_WAIT_S" > /dev/null
n=0
while ! dmesg | grep -q "device 8: no answer" && [ $n -lt 90 ]; do sleep 1; n=$((n + 1)); done
check refused_device_fails_probe_logged 1 "$(dmesg | grep -c 'device 8: no answer to HELLO')"
left="$(ls $SYS/block 2>/dev/null | grep '^vd' | tr '\n' ' ')$(ls $SYS/kernel/debug/virtio_argo 2>/dev/null | grep -x dev8)"
check refused_device_leaves_nothing "vda " "$left"
lab_signal refused-seen

# Unload the transport with its disk present.
umount $MNT
check_cmd unload_with_device_present rmmod virtio_argo
check vda_gone_after_unload "" "$(ls $DEV/vda 2>/dev/null)"
dmesg | grep -i -e virtio_argo -e 'blk_update_request' | sed 's/^/# dmesg: /' | tail -n 20
lab_signal done
lab_wait "$me" bye "$GUEST_WAIT_S" > /dev/null
[ "$DEV" = /dev ] || rm -rf "$W"
tap_done
