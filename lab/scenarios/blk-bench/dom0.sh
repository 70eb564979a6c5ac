# blk-bench, dom0: an image file in dom0's tmpfs behind a loop device,
# served to the guest by xen-blkback (Xen's PV disk, what Xen users run
# today), and the same file served over virtio-argo: qemu-storage-daemon's
# vhost-user-blk export behind virtio-argo-backend, reached by the guest's
# virtio_blk on virtio_argo.ko through discovery and a cable. The guest
# runs fio on one disk, then on the other.
. /lab/lib.sh
tap_plan 8

load_argo
D=/run/bench
mkdir -p $D
modprobe loop 2> /dev/null; modprobe xen-blkback 2> /dev/null
# 64 MiB of non-zero data, so reads are not of a sparse file's holes.
dd if=/dev/urandom of=$D/disk.img bs=1M count=64 2> /dev/null
check_cmd image_on_loop_device losetup /dev/loop0 $D/disk.img
qemu-storage-daemon --blockdev driver=file,node-name=d,filename=$D/disk.img \
	--export type=vhost-user-blk,id=e,node-name=d,writable=on,addr.type=unix,addr.path=$D/d.sock \
	> /tmp/qsd.log 2>&1 &
qsd=$!
wait_file $D/d.sock 60 && ok qsd_serving || not_ok qsd_serving "$(cat /tmp/qsd.log)"
argo-discoveryd -R /tmp/discd.ready > /tmp/discd.log 2>&1 &
discd=$!
wait_file /tmp/discd.ready 10 && ok discoveryd_serving || not_ok discoveryd_serving "$(cat /tmp/discd.log)"
# Created paused: the back-end's link names the guest's domid.
g=$(argo_guest_create /lab/scenarios/blk-bench/g.cfg -p) || tap_bail "argo-xl-create g.cfg failed"
virtio-argo-backend --max-msg 2097152 --device d,listen=argo:6000:$g,vhost=$D/d.sock,type=blk \
	> /tmp/vab.log 2>&1 &
vab=$!
sleep 2
check_cmd backend_running kill -0 $vab
xl unpause "$g"
if guest_wait g 900; then ok g_finished; else not_ok g_finished "did not power off"; fi
kill $vab $discd 2>/dev/null; wait $vab 2>/dev/null
kill $qsd 2>/dev/null; wait $qsd $discd 2>/dev/null
losetup -d /dev/loop0
tap_done
