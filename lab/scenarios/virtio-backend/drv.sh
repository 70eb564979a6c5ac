# virtio-backend, drv: a driver domain. Its own tmpfs holds the image,
# its own qemu-storage-daemon exports it, its own virtio-argo-backend
# serves it to g1 and its own argo-discoveryd tells g1 about it. dom0
# tells it only g1's domid (the toolstack's business); g1 never learns drv's.
# Then a second disk, for g1's kernel: virtio_blk on virtio_argo.ko.
. /lab/lib.sh
tap_plan 14

load_argo
me=$(my_domid)
D=/run/va
mkdir -p $D
check_cmd image_in_own_tmpfs qemu-img create -f raw $D/disk.img 32M
qemu-img create -q -f raw $D/k.img 32M
qemu-storage-daemon --blockdev "driver=file,node-name=d,filename=$D/disk.img" \
	--export "type=vhost-user-blk,id=e,node-name=d,writable=on,num-queues=2,addr.type=unix,addr.path=$D/disk.sock" \
	--blockdev "driver=file,node-name=k,filename=$D/k.img" \
	--export "type=vhost-user-blk,id=ek,node-name=k,writable=on,addr.type=unix,addr.path=$D/k.sock" \
	> $D/qsd.log 2>&1 &
qsd=$!
wait_file $D/disk.sock 60 && wait_file $D/k.sock 10 && ok qemu_storage_daemon_serving ||
	not_ok qemu_storage_daemon_serving "$(cat $D/qsd.log)"
g1=$(lab_wait "$me" g1 "$GUEST_WAIT_S")
check device_for_g1 1 "$(argo-discoveryd device add "$g1" type=block port=6100 queues=2 frontend_ring=262144 2>&1)"
argo-discoveryd -R /tmp/discd.ready > /tmp/discd.log 2>&1 &
discd=$!
wait_file /tmp/discd.ready 10 && ok discoveryd_serving || not_ok discoveryd_serving "$(cat /tmp/discd.log)"
virtio-argo-backend -v --stats $D/stats.json \
	--device "g1,listen=argo:5030:$g1:6100,vhost=$D/disk.sock" > $D/vab.log 2>&1 &
vab=$!
left=30
while ! grep -q ready $D/vab.log && [ $left -gt 0 ]; do sleep 1; left=$((left - 1)); done
if grep -q ready $D/vab.log; then ok backend_serving; else not_ok backend_serving "$(cat $D/vab.log)"; fi
# The kernel's disk: its own daemon, whose messages carry Linux's
# largest request (1280 KiB) whole (docs/virtio-argo.md §9).
virtio-argo-backend --max-msg 2097152 --stats $D/kstats.json \
	--device "k,listen=argo:5032:$g1:6102,vhost=$D/k.sock,type=blk" > $D/kvab.log 2>&1 &
kvab=$!
lab_signal serving

lab_wait "$me" check "$GUEST_WAIT_S" > /dev/null
va-frontend pattern 0 32 3 > $D/expect
dd if=$D/disk.img of=$D/got bs=4096 count=32 2> /dev/null
check_cmd g1_blocks_in_driver_domain_image cmp $D/expect $D/got
kill -USR1 $vab
wait_file $D/stats.json 10
check protocol_errors_counted 1 \
	"$(sed -n 's/.*"protocol_errors": \([0-9]*\).*/\1/p' $D/stats.json)"
kill $vab
if wait $vab; then ok backend_stopped_cleanly; else not_ok backend_stopped_cleanly "exit $?"; fi
sed 's/^/# vab: /' $D/vab.log | tail -n 20

# g1's kernel: the first disk goes, the second comes (g1 hears of it
# when virtio_argo.ko asks this domain's discovery service).
argo-discoveryd device del "$g1" 1
check kernel_disk_for_g1 2 "$(argo-discoveryd device add "$g1" type=block port=6102 backend_ring=8388608 \
	frontend_ring=4194304 2>&1)"
lab_signal checked
marker=$(lab_wait "$me" bye "$GUEST_WAIT_S")
# What g1 wrote through its file system and synced is in this domain's image.
if [ -n "$marker" ] && grep -q "$marker" $D/k.img; then ok g1s_synced_file_in_driver_domain_image
else not_ok g1s_synced_file_in_driver_domain_image "marker '$marker' not in $D/k.img"; fi
kill $kvab
if wait $kvab; then ok kernel_disk_backend_stopped_cleanly; else
	not_ok kernel_disk_backend_stopped_cleanly "exit $?"; fi
sed 's/^/# kvab: /' $D/kvab.log | tail -n 10
kill $qsd $discd
wait $qsd $discd 2> /dev/null
tap_done
