# blk-bench, dom0: an image file in dom0's tmpfs behind a loop device,
# served to the guest by xen-blkback (Xen's PV disk, what Xen users run
# today). The virtio-argo side of the same image is the guest's /dev/vda
# when virtio_argo.ko exists; g reports it missing until then.
. /lab/lib.sh
tap_plan 5

load_argo
D=/run/bench
mkdir -p $D
modprobe loop 2> /dev/null; modprobe xen-blkback 2> /dev/null
# 64 MiB of non-zero data, so reads are not of a sparse file's holes.
dd if=/dev/urandom of=$D/disk.img bs=1M count=64 2> /dev/null
check_cmd image_on_loop_device losetup /dev/loop0 $D/disk.img
g=$(guest_create g.cfg) || tap_bail "xl create g: $(cat /tmp/xl-create-g.log)"
if guest_wait g 900; then ok g_finished; else not_ok g_finished "did not power off"; fi
losetup -d /dev/loop0
tap_done
