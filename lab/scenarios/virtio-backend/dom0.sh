# virtio-backend, dom0: qemu-storage-daemon and virtio-argo-backend serving
# g1 and g2 (one daemon, two devices, each its own vhost-user-blk export),
# the toolstack's side (argo-xl-create, the driver domain, re-cabling g1
# there), and what only dom0 sees: the image files, the daemon's counters.
. /lab/lib.sh
tap_plan 22

load_argo
D=/run/va
mkdir -p $D
# stat NAME DEV KEY: a counter of the daemon's device DEV (--stats, SIGUSR1).
stat() {
	rm -f $D/stats.json
	kill -USR1 "$vab" 2>/dev/null
	wait_file $D/stats.json 10 2> /dev/null
	v=$(sed -n "s/.*\"$1\": {[^}]*\"$2\": \([0-9]*\).*/\1/p" $D/stats.json 2> /dev/null)
	echo "${v:--1}"	# -1: no counter (the daemon is gone)
}
# qsd NAME SIZE: an image in dom0's tmpfs and its own qemu-storage-daemon
# (its own process, so g2's can be stopped while g1's serves).
qsd() {
	qemu-img create -f raw $D/$1.img "$2" > /dev/null &&
	qemu-storage-daemon --blockdev "driver=file,node-name=$1,filename=$D/$1.img" \
		--export "type=vhost-user-blk,id=e-$1,node-name=$1,writable=on,num-queues=2,addr.type=unix,addr.path=$D/$1.sock" \
		> $D/qsd-$1.log 2>&1 &
	echo $! > $D/qsd-$1.pid
}

argo-discoveryd -R /tmp/discd.ready > /tmp/discd.log 2>&1 &
discd=$!
wait_file /tmp/discd.ready 10 && ok discoveryd_serving || not_ok discoveryd_serving "$(cat /tmp/discd.log)"
qsd g1 32M; qsd g2 16M
if wait_file $D/g1.sock 30 && wait_file $D/g2.sock 30; then ok qemu_storage_daemons_serving; else
	not_ok qemu_storage_daemons_serving "$(cat $D/qsd-*.log)"; fi

drv=$(guest_create drv.cfg) || tap_bail "xl create drv: $(cat /tmp/xl-create-drv.log)"
g1=$(argo_guest_create g1.cfg) || tap_bail "argo-xl-create g1 failed (see above)"
g2=$(argo_guest_create g2.cfg) || tap_bail "argo-xl-create g2 failed (see above)"
ok create_frontends_and_driver_domain
# The daemon binds a ring for each frontend domain (they exist now) on
# the port each guest's cable leads to, and answers the guest's own port.
virtio-argo-backend -v --stats $D/stats.json \
	--device "g1,listen=argo:5020:$g1:6000,vhost=$D/g1.sock" \
	--device "g2,listen=argo:5021:$g2:6000,vhost=$D/g2.sock" > $D/vab.log 2>&1 &
vab=$!
left=30
while ! grep -q ready $D/vab.log && [ $left -gt 0 ]; do sleep 1; left=$((left - 1)); done
if grep -q ready $D/vab.log; then ok backend_serving_two_frontends; else
	not_ok backend_serving_two_frontends "$(cat $D/vab.log)"; fi
lab_tell "$g1" go; lab_tell "$g2" go
lab_tell "$drv" g1 "$g1"

# 1. g1 (and g2) write through dom0's daemon; the blocks are in the image.
lab_wait "$g1" rw-done "$GUEST_WAIT_S" > /dev/null
va-frontend pattern 0 32 1 > $D/expect
dd if=$D/g1.img of=$D/got bs=4096 count=32 2> /dev/null
check_cmd g1_blocks_in_dom0_image_file cmp $D/expect $D/got

# 2. g2 turns hostile while g1 keeps reading and writing.
lab_wait "$g1" looping "$GUEST_WAIT_S" > /dev/null
lab_tell "$g2" hostile
lab_wait "$g2" hostile-done "$GUEST_WAIT_S" > /dev/null
lab_tell "$g1" stop-loop
lab_wait "$g1" loop-done "$GUEST_WAIT_S" > /dev/null
check_cmd daemon_alive_after_hostile_frontend kill -0 "$vab"
# Nine refusals end a session: seven kinds, and before-hello's two (the
# unknown id that ends the session, then the CHAIN before HELLO);
# oversize-chain is answered TOOBIG instead.
check g2_protocol_errors_counted 9 "$(stat g2 protocol_errors)"
check g2_toobig_counted_failed 1 "$(stat g2 failed)"
check g1_no_protocol_errors 0 "$(stat g1 protocol_errors)"
grep -E "dropping|refus" $D/vab.log | sed 's/^/# /'

# 3. g2 destroyed with writes in flight: its back-end is stopped first,
# so the writes stay posted; then it resumes into a frontend that is gone.
lab_wait "$g2" up "$GUEST_WAIT_S" > /dev/null
kill -STOP "$(cat $D/qsd-g2.pid)"
c0=$(stat g2 cancelled)
lab_tell "$g2" send
lab_wait "$g2" hung "$GUEST_WAIT_S" > /dev/null
sleep 2
# Posted and not answered: all 24 (chain-reuse's first chain, posted then
# cancelled, is the c0 before them).
check g2_writes_in_flight 24 $(($(stat g2 chains) - $(stat g2 completions) - c0))
check_cmd destroy_g2_mid_request xl destroy g2
guest_unrelay g2
kill -CONT "$(cat $D/qsd-g2.pid)"
sleep 5
check g2_requests_cancelled 24 $(($(stat g2 cancelled) - c0))
check_cmd daemon_alive_after_frontend_destroyed kill -0 "$vab"
lab_tell "$g1" g2-gone

# 4. The driver domain: g1's discovery port and a new device port cabled
# there; g1 is told only that it should look again.
lab_wait "$drv" serving "$GUEST_WAIT_S" > /dev/null
lab_wait "$g1" after-destroy-done "$GUEST_WAIT_S" > /dev/null
if argo-ctl cable add "$g1" 5011 "$drv" 5010 && argo-ctl cable add "$g1" 6100 "$drv" 5030; then
	ok recable_g1_to_driver_domain; else not_ok recable_g1_to_driver_domain "argo-ctl failed"; fi
lab_tell "$g1" moved
lab_wait "$g1" drv-done "$GUEST_WAIT_S" > /dev/null

# 5. g1's kernel (virtio_blk on virtio_argo.ko) gets a disk from the
# driver domain: one more cable, and the driver domain's discovery
# service names the port.
check_cmd cable_g1_kernel_disk_to_driver_domain argo-ctl cable add "$g1" 6102 "$drv" 5032
lab_tell "$drv" check
lab_wait "$drv" checked "$GUEST_WAIT_S" > /dev/null
lab_tell "$g1" kernel
marker=$(lab_wait "$g1" kernel-done "$GUEST_WAIT_S")
lab_tell "$drv" bye "$marker"
lab_tell "$g1" bye
for n in g1 drv; do
	if guest_wait $n "$GUEST_WAIT_S"; then ok "${n}_finished"; else not_ok "${n}_finished" "did not power off"; fi
done
check g1_protocol_errors_at_end 0 "$(stat g1 protocol_errors)"
kill "$vab"
if wait "$vab"; then ok backend_stopped_cleanly; else not_ok backend_stopped_cleanly "exit $?"; fi
sed 's/^/# vab: /' $D/vab.log | tail -n 30
sed 's/^/# stats: /' $D/stats.json
q="$(cat $D/qsd-g1.pid) $(cat $D/qsd-g2.pid)"
kill $q "$discd"
wait $q "$discd" 2> /dev/null
tap_done
