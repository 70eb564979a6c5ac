# demo, g2: receive g1's pipe and answer its pings; then mount a disk
# that the driver domain serves over Argo, found through discovery: the
# Debian kernel's own virtio_blk on virtio_argo.ko.
. /lab/lib.sh
tap_plan 10

load_argo
me=$(my_domid)
g1=$(lab_wait "$me" peer "$GUEST_WAIT_S")
# Only g1 may send to this ring; Xen enforces it.
argo-recv -p 6000 -f "$g1" -n 1 -w "$GUEST_WAIT_S" -R /tmp/pipe.ready > /tmp/pipe.txt 2>&1 &
rpid=$!
argo-ping -s -p 7000 -c 5 -R /tmp/server.ready > /tmp/ping.out 2>&1 &
ppid=$!
wait_file /tmp/pipe.ready 10 && wait_file /tmp/server.ready 10 && lab_signal ready
if wait $rpid; then
	ok received_pipe_from_g1
	echo "| g2 received from g1 (domain $g1):"
	sed 's/^/|     /' /tmp/pipe.txt
else
	not_ok received_pipe_from_g1 "$(cat /tmp/pipe.txt)"
fi
wait $ppid && ok served_g1_pings || not_ok served_g1_pings "$(cat /tmp/ping.out)"

# Outside the lab (tests/unit/lab_plans.sh, stub tools) paths are scratch.
if [ "$(lab_cmdline name)" = g2 ]; then DEV=/dev MNT=/mnt/d; else DEV=$(mktemp -d) MNT=$DEV/d; fi
mkdir -p $MNT
lab_wait "$me" disk "$GUEST_WAIT_S" > /dev/null
echo "| g2 asks its discovery port which devices it has (it knows no driver domain):"
argo-discover 2>&1 | grep '^device' | sed 's/^/|     /'
modprobe virtio_blk; modprobe crc32c_generic 2>/dev/null; modprobe ext4 2>/dev/null
check_cmd load_virtio_argo insmod /lib/argo/virtio_argo.ko
n=0
while [ ! -b $DEV/vda ] && [ $n -lt 120 ]; do sleep 1; n=$((n + 1)); done
if [ -b $DEV/vda ]; then ok vda_appears; else not_ok vda_appears "$(dmesg | tail -n 5)"; fi
echo "| g2 loaded virtio_argo.ko; Linux's own virtio_blk found the disk:"
dmesg | grep -e 'virtio_argo: device' -e 'virtio_blk.*vda' | sed 's/^[^]]*] /|     /'
check_cmd mkfs_and_mount sh -c "mkfs.ext4 -q -F $DEV/vda && mount -t ext4 $DEV/vda $MNT"
echo "| g2 made an ext4 file system on /dev/vda and mounted it; writes 2 MiB, unmounts, mounts again:"
dd if=/dev/urandom of=/tmp/data bs=1M count=2 2>/dev/null
cp /tmp/data $MNT/data
sum=$(md5sum < /tmp/data)
sync; umount $MNT; [ "$DEV" = /dev ] && echo 3 > /proc/sys/vm/drop_caches
mount -t ext4 $DEV/vda $MNT
check file_reads_back_intact "$sum" "$(md5sum < $MNT/data 2>&1)"
echo "|     md5 written $sum"
echo "|     md5 read    $(md5sum < $MNT/data 2>&1)"
df -h $MNT 2>/dev/null | sed 's/^/|     /'
umount $MNT
check_cmd unload_virtio_argo rmmod virtio_argo
echo "| every block went g2 -> Xen -> drv and back: no memory shared, no dom0 in the path"
lab_signal disk-done
lab_wait "$me" bye "$GUEST_WAIT_S" > /dev/null
tap_done
