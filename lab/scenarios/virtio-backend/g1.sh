# virtio-backend, g1: a frontend that knows no domid. It finds its disk
# with argo-discover (its discovery port's cable), drives it with
# va-frontend through the port discovery named, keeps being served while
# g2 misbehaves and after g2 is destroyed, then finds the disk again, the
# same way, once dom0 has moved its cables to the driver domain.
. /lab/lib.sh
tap_plan 13

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
lab_wait "$me" bye "$GUEST_WAIT_S" > /dev/null
tap_done
