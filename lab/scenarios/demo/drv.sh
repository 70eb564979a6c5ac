# demo, drv: a driver domain. Its own tmpfs holds a disk image, its own
# qemu-storage-daemon exports it and its own virtio-argo-backend serves
# it over Argo to g2, which hears of it from this domain's discovery
# service. The toolstack (dom0) told it g2's domid; g2 never learns this one's.
. /lab/lib.sh
tap_plan 6

load_argo
me=$(my_domid)
D=/run/va
mkdir -p $D
g2=$(lab_wait "$me" g2 "$GUEST_WAIT_S")
qemu-img create -q -f raw $D/disk.img 32M
qemu-storage-daemon --blockdev "driver=file,node-name=d,filename=$D/disk.img" \
	--export "type=vhost-user-blk,id=e,node-name=d,writable=on,addr.type=unix,addr.path=$D/disk.sock" \
	> $D/qsd.log 2>&1 &
qsd=$!
argo-discoveryd device add "$g2" type=block port=6100 frontend_ring=4194304 backend_ring=8388608 > /dev/null
argo-discoveryd -R /tmp/discd.ready > /tmp/discd.log 2>&1 &
discd=$!
if wait_file $D/disk.sock 60 && wait_file /tmp/discd.ready 10; then ok disk_and_discovery_serving
else not_ok disk_and_discovery_serving "$(cat $D/qsd.log /tmp/discd.log)"; fi
# Messages big enough for Linux's largest request (docs/virtio-argo.md §9).
virtio-argo-backend --max-msg 2097152 \
	--device "d,listen=argo:5000:$g2:6100,vhost=$D/disk.sock,type=blk" > $D/vab.log 2>&1 &
vab=$!
echo "| drv (domain $me): a 32 MiB disk image in its own memory, exported by qemu-storage-daemon"
echo "|     and served over Argo by virtio-argo-backend on port 5000, for g2 only"
lab_signal serving
lab_wait "$me" bye "$GUEST_WAIT_S" > /dev/null
check_cmd backend_still_running kill -0 $vab
kill $vab
if wait $vab; then ok backend_stopped_cleanly; else not_ok backend_stopped_cleanly "exit $?"; fi
kill $qsd $discd
wait $qsd $discd 2>/dev/null
argo-discoveryd device clear "$g2"
tap_done
