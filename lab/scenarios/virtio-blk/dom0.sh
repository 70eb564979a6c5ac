# virtio-blk, dom0: the disks' back-ends (qemu-storage-daemon behind
# virtio-argo-backend), discovery, and what only dom0 can check: the
# image files themselves.
. /lab/lib.sh
tap_plan 22

# Outside the lab (tests/unit/lab_plans.sh, stub tools on the host) the
# images go to a scratch folder.
if [ "$(lab_cmdline scenario)" = virtio-blk ]; then D=/run/va; else D=$(mktemp -d); fi
mkdir -p $D
load_argo

# qemu-storage-daemon: a raw image (disk 1) and a qcow2 one (disk 2, hot-added).
truncate -s 64M $D/a.raw
qemu-img create -q -f qcow2 $D/b.qcow2 64M
qsd_start() {
	rm -f $D/a.sock $D/b.sock
	qemu-storage-daemon \
		--blockdev driver=file,node-name=a,filename=$D/a.raw,discard=unmap \
		--blockdev driver=qcow2,node-name=b,discard=unmap,file.driver=file,file.filename=$D/b.qcow2 \
		--export type=vhost-user-blk,id=ea,node-name=a,writable=on,addr.type=unix,addr.path=$D/a.sock \
		--export type=vhost-user-blk,id=eb,node-name=b,writable=on,addr.type=unix,addr.path=$D/b.sock \
		>> /tmp/qsd.log 2>&1 &
	qsd=$!
	wait_file $D/a.sock 30 && wait_file $D/b.sock 30
}
if qsd_start; then ok qsd_serving; else not_ok qsd_serving "$(cat /tmp/qsd.log)"; fi

argo-discoveryd -R /tmp/discd.ready > /tmp/discd.log 2>&1 &
discd=$!
wait_file /tmp/discd.ready 10 && ok discoveryd_serving || not_ok discoveryd_serving "$(cat /tmp/discd.log)"

# The guest is created paused: the back-end's ring for it needs it to exist.
g=$(argo_guest_create /lab/scenarios/virtio-blk/g.cfg -p) || tap_bail "argo-xl-create g.cfg failed"
# --resume-grace: qemu-storage-daemon takes many seconds to start under TCG.
vab_start() {
	virtio-argo-backend --max-msg 2097152 --resume-grace 120000 --stats /tmp/vab.json \
		--device a,listen=argo:6000:$g,vhost=$D/a.sock,type=blk \
		--device b,listen=argo:6002:$g,vhost=$D/b.sock,type=blk > "$1" 2>&1 &
	vab=$!
}
vab_start /tmp/vab.log
sleep 2
check_cmd backend_running kill -0 $vab
xl unpause "$g"

# Flush: what the guest fsync'd is in the image once qemu-storage-daemon
# is killed (SIGKILL: nothing of its own is flushed on the way out).
marker=$(lab_wait "$g" flushed "$GUEST_WAIT_S")
kill -9 $qsd; wait $qsd 2>/dev/null
if [ -n "$marker" ] && grep -q "$marker" $D/a.raw; then ok fsynced_data_in_image_after_kill
else not_ok fsynced_data_in_image_after_kill "marker '$marker' not in $D/a.raw"; fi
t0=$(date +%s)
if qsd_start; then ok qsd_restarted; echo "# qemu-storage-daemon restarted in $(($(date +%s) - t0)) s"; else not_ok qsd_restarted "$(tail -n 5 /tmp/qsd.log)"; fi
lab_tell "$g" qsd-back

# qemu-storage-daemon killed and restarted while the guest writes.
lab_wait "$g" writing "$GUEST_WAIT_S" > /dev/null
sleep 1
kill -9 $qsd; wait $qsd 2>/dev/null
sleep 1
if qsd_start; then ok qsd_restarted_mid_write; else not_ok qsd_restarted_mid_write "$(tail -n 5 /tmp/qsd.log)"; fi
lab_tell "$g" restarted

# virtio-argo-backend killed (SIGKILL: it says nothing) and restarted
# while g writes; g's transport must start a new session by itself.
lab_wait "$g" writing2 "$GUEST_WAIT_S" > /dev/null
kill -9 $vab; wait $vab 2>/dev/null
sleep 1
vab_start /tmp/vab2.log
check_cmd bridge_restarted_mid_write kill -0 $vab
lab_tell "$g" bridge-back

# Discard: the guest frees a file and trims; the image's blocks go.
lab_wait "$g" filled "$GUEST_WAIT_S" > /dev/null
before=$(du -k $D/a.raw | cut -f1)
lab_tell "$g" measured
lab_wait "$g" trimmed "$GUEST_WAIT_S" > /dev/null
after=$(du -k $D/a.raw | cut -f1)
if [ "$after" -le $((before - 8192)) ]; then ok discard_punches_the_image
else not_ok discard_punches_the_image "allocated KiB before $before, after $after"; fi

# Hot-add the qcow2 disk, then hot-remove it.
lab_wait "$g" ready-hotadd "$GUEST_WAIT_S" > /dev/null
argo-ctl cable add "$g" 6002 0 6002
check hot_add_disk_2 2 "$(argo-discoveryd device add "$g" type=block port=6002 \
	frontend_ring=4194304 backend_ring=8388608 2>&1)"
lab_tell "$g" added
lab_wait "$g" vdb-done "$GUEST_WAIT_S" > /dev/null
check_cmd hot_remove_disk_2 argo-discoveryd device del "$g" 2
lab_tell "$g" removed
lab_wait "$g" vdb-gone "$GUEST_WAIT_S" > /dev/null
argo-ctl cable del "$g" 6002

# Hostile back-ends: va-hostile lies in one way each; g's transport must
# refuse it without harm (g checks what it saw).
i=0
for mode in used-len chain-id garbage oversize epoch; do
	port=$((6010 + i))
	va-hostile -p $port -d "$g" -m $mode > /tmp/hostile-$mode.log 2>&1 &
	hpid=$!
	argo-ctl cable add "$g" $port 0 $port
	n=$(argo-discoveryd device add "$g" type=block port=$port frontend_ring=1048576 \
		backend_ring=1048576 2>&1)
	check "hostile_${mode}_device_added" $((3 + i)) "$n"
	lab_tell "$g" hostile-$i $mode
	lab_wait "$g" hostile-$i-done "$GUEST_WAIT_S" > /dev/null
	argo-discoveryd device del "$g" "$n"
	lab_wait "$g" hostile-$i-gone "$GUEST_WAIT_S" > /dev/null
	kill $hpid; wait $hpid 2>/dev/null
	argo-ctl cable del "$g" $port
	sed "s/^/# hostile $mode: /" /tmp/hostile-$mode.log
	i=$((i + 1))
done

# A device whose port leads nowhere (no cable: every send is refused):
# its probe fails cleanly in g.
check refused_device_added 8 "$(argo-discoveryd device add "$g" type=block port=6020 2>&1)"
lab_tell "$g" refused
lab_wait "$g" refused-seen "$GUEST_WAIT_S" > /dev/null
argo-discoveryd device del "$g" 8

lab_wait "$g" done "$GUEST_WAIT_S" > /dev/null
lab_tell "$g" bye
if guest_wait g "$GUEST_WAIT_S"; then ok g_finished; else not_ok g_finished "did not power off"; fi
check_cmd backend_still_running kill -0 $vab
kill $vab; wait $vab 2>/dev/null
sed 's/^/# vab stats: /' /tmp/vab.json
# The new bridge may have seen messages of g's old session before its
# HELLO (each a protocol error, answered EVENT_RESET); nothing else.
check backend_protocol_errors_only_before_hello "$(grep -c 'message before HELLO' /tmp/vab2.log)" \
	"$(grep -o '"protocol_errors": [0-9]*' /tmp/vab.json | awk '{ s += $2 } END { print s + 0 }')"
kill $qsd $discd; wait $qsd $discd 2>/dev/null
sed 's/^/# vab: /' /tmp/vab.log | tail -n 10
sed 's/^/# vab2: /' /tmp/vab2.log | tail -n 20
argo-discoveryd device clear "$g"
[ "$D" = /run/va ] || rm -rf "$D"
tap_done
