# recv-cost, dom0: fill a ring (16 MiB, room for all of them) with N
# one-byte messages while its reader waits, then let the reader drain it
# and report microseconds per message received: with a read per message
# (argo_recv, "recv_us") and with argo_recv_many batches of 64
# ("recv_many_us"), taking turns round by round. The drain makes no
# hypercall but the notify per call (none with signal suppression when
# no sender waits) and takes no VIRQ: what is timed is the system call,
# the copy and the ring's bookkeeping.
. /lab/lib.sh
tap_plan 6

ROUNDS=5
N=20000
load_argo
echo "# suppress: $(sed -n 's/^suppress //p' /sys/kernel/debug/argo/stats 2>/dev/null)"
fills=0
fails=0
drain() { # drain BATCH NAME
	rm -f /tmp/rc-go /tmp/rc-ready
	argo-recv -p 7000 -f 0 -r 16777152 -n $N -B "$1" -T -G /tmp/rc-go -R /tmp/rc-ready \
		> /tmp/rc-out 2>&1 &
	pid=$!
	if ! wait_file /tmp/rc-ready 10; then
		fails=$((fails + 1))
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		return
	fi
	argo-send -d 0 -p 7000 -n $N -m x > /dev/null || fills=$((fills + 1))
	touch /tmp/rc-go
	wait "$pid" || fails=$((fails + 1))
	sed -n "s/^recvs $N ns [0-9]* us_each \([0-9.]*\)\$/LAB-BENCH $2 \1/p" /tmp/rc-out
}
r=1
while [ $r -le $ROUNDS ]; do
	drain 1 recv_us
	drain 64 recv_many_us
	r=$((r + 1))
done
check all_fills_accepted 0 "$fills"
check all_drains_complete 0 "$fails"
check no_ring_left "" "$(sed -n '2,$p' /sys/kernel/debug/argo/rings 2>/dev/null)"
rm -f /tmp/rc-go /tmp/rc-ready /tmp/rc-out
tap_done
