# lifecycle, g1: module parameters, 100 load/unload cycles, then a ring
# held across save/restore.
. /lab/lib.sh
tap_plan 18

me=$(my_domid)
stat() { sed -n "s/^$1 //p" /sys/kernel/debug/argo/stats; }

# --- Module parameters -----------------------------------------------------
check_cmd load_core_verbose insmod /lib/argo/argo.ko verbose=1
if insmod /lib/argo/argo_char.ko default_ring_size=1000 2>/dev/null; then
	not_ok bad_default_ring_size_refused "argo_char loaded with default_ring_size=1000"
	rmmod argo_char
else
	ok bad_default_ring_size_refused
fi
check bad_default_ring_size_named \
	"argo_char: default_ring_size 1000: must be a multiple of 16 from 48 to 16777152" \
	"$(dmesg | grep -o 'argo_char: default_ring_size 1000.*' | tail -n1)"
check_cmd load_char_default_ring_size_128k insmod /lib/argo/argo_char.ko default_ring_size=131072
wait_file /dev/argo 5
check default_ring_size_in_sysfs 131072 "$(cat /sys/module/argo_char/parameters/default_ring_size)"
argo-recv -p 7000 -f "$me" -n 1 -w 60 -R /tmp/p.ready > /dev/null 2>&1 &
wait_file /tmp/p.ready 10
# Xen's largest message for a ring: its length less a header and a slot.
check bind_without_size_gets_default "fits 1 max 131040" \
	"$(argo-send -q -d "$me" -p 7000 -l 16 2>&1)"
check verbose_logs_registration "argo: registered port 7000 partner $me len 131072" \
	"$(dmesg | grep -o 'argo: registered port 7000.*' | tail -n1)"
kill $!
wait $! 2>/dev/null
echo 0 > /sys/module/argo/parameters/verbose
check_cmd unload_char rmmod argo_char
check_cmd unload_core rmmod argo

# --- Load/unload cycles (dom0 says how many: 100) --------------------------
# Each cycle binds the same two ports (Xen is asked to fail if they exist)
# and passes a message between them, so a ring left behind stops the loop.
cycles=$(lab_wait "$me" cycles "$GUEST_WAIT_S")
i=0
why=""
t0=$(cut -d' ' -f1 /proc/uptime)
while [ $i -lt "$cycles" ]; do
	insmod /lib/argo/argo.ko && insmod /lib/argo/argo_char.ko ||
		{ why="load failed"; break; }
	wait_file /dev/argo 5 || { why="no /dev/argo"; break; }
	rm -f /tmp/c.ready
	argo-recv -p 7100 -f any -n 1 -x -w 30 -R /tmp/c.ready > /tmp/c.out 2>&1 &
	wait_file /tmp/c.ready 10 || { why="bind 7100: $(cat /tmp/c.out)"; break; }
	argo-send -d "$me" -p 7100 -s 7101 -m "cycle $i" 2>/tmp/c.err ||
		{ why="send: $(cat /tmp/c.err)"; break; }
	wait $! || { why="receive: $(cat /tmp/c.out)"; break; }
	grep -q "^from $me:7101 type 0 len" /tmp/c.out || { why="got: $(cat /tmp/c.out)"; break; }
	[ "$(stat rings)" = 0 ] || { why="debugfs rings $(stat rings) after close"; break; }
	rmmod argo_char && rmmod argo || { why="unload failed"; break; }
	i=$((i + 1))
done
echo "# $i cycles took $(awk -v a="$t0" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%.1f", b - a }') s"
if [ "$i" = "$cycles" ]; then ok "load_bind_send_unload_${cycles}_cycles"; else
	not_ok "load_bind_send_unload_${cycles}_cycles" "cycle $i: $why"; fi
lab_signal cycles-done
lab_wait "$me" checked "$GUEST_WAIT_S" > /dev/null
load_argo
check debugfs_no_ring_after_reload 0 "$(stat rings)"
argo-recv -p 7100 -f any -n 1 -w 5 -R /tmp/r1.ready > /dev/null 2>&1 &
p1=$!
argo-recv -p 7101 -f any -n 1 -w 5 -R /tmp/r2.ready > /dev/null 2>&1 &
p2=$!
if wait_file /tmp/r1.ready 10 && wait_file /tmp/r2.ready 10; then
	ok same_ports_register_again_after_the_cycles
else
	not_ok same_ports_register_again_after_the_cycles "a ring survived in Xen"
fi
kill $p1 $p2 2>/dev/null
wait $p1 $p2 2>/dev/null

# --- Save and restore ------------------------------------------------------
# dom0 sends "before", saves and restores this guest, sends "after" to the
# new domain, then says go; only then is the ring read.
argo-recv -p 7200 -f any -n 2 -x -w 600 -G /tmp/go -R /tmp/sr.ready > /tmp/sr.out 2>&1 &
rpid=$!
wait_file /tmp/sr.ready 10 && lab_signal sr-ready
# A relative path: after the restore this domain has a new id.
left=$GUEST_WAIT_S
until xenstore-read data/lab/go > /dev/null 2>&1 || [ $left -le 0 ]; do
	sleep 1; left=$((left - 1))
done
touch /tmp/go
wait $rpid
check unread_message_survives_restore_and_new_one_arrives \
"from 0:0 type 0 len 6 data 6265666f7265
from 0:0 type 0 len 5 data 6166746572" "$(cat /tmp/sr.out)"
check core_saw_one_resume 1 "$(stat resumes)"
check core_reregistered_the_ring "1 0" "$(stat rings_reregistered) $(stat reregister_errors)"
tap_done
