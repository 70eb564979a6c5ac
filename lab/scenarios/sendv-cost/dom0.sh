# sendv-cost, dom0: time rounds of non-blocking sends into a ring held
# unread (16 MiB, room for all of them), and report microseconds per send.
# Each send is one ioctl and one sendv hypercall, which Xen checks against
# the policy (argo send, argo_port send) when Flask is on.
. /lab/lib.sh
tap_plan 5

ROUNDS=5
N=20000
echo "# xen command line: $(xl info | sed -n 's/^xen_commandline *: //p')"
load_argo
argo-recv -p 7000 -f 0 -r 16777152 -G /tmp/never -R /tmp/ready > /dev/null 2>&1 &
wait_file /tmp/ready 10 || { tap_not_run all_sends_accepted all_cable_and_explicit_sends_accepted "argo-recv did not bind"; tap_done; exit 1; }
r=1
fails=0
# Timed by argo-send itself (clock_gettime), not /proc/uptime's 10 ms tick,
# so that a deterministic clock (make bench BENCH_ICOUNT=1) resolves 1 %.
while [ $r -le $ROUNDS ]; do
	out=$(argo-send -d 0 -p 7000 -n $N -m x -T) || fails=$((fails + 1))
	echo "$out" | sed -n 's/^sends [0-9]* ns [0-9]* us_each \([0-9.]*\)$/LAB-BENCH sendv_us \1/p'
	r=$((r + 1))
done
check all_sends_accepted 0 "$fails"

# Patch cables: the same sends through a cable (dom0's port 7101 leads to
# its ring on 7000) against sends naming 0:7000, from a bound port of the
# same kind (7102), taking turns round by round. One figure per pair:
# "explicit_us cable_us". Only on a Xen with cables.
t() { cut -d' ' -f1 /proc/uptime; }
us() { awk -v a="$1" -v b="$2" -v n=$N 'BEGIN { printf "%.2f", (b - a) * 1e6 / n }'; }
if [ "$(argo-ctl features | cut -d' ' -f1)" = cables ] &&
	argo-ctl cable add 0 7101 0 7000; then
	r=1
	cfails=0
	while [ $r -le $ROUNDS ]; do
		t0=$(t)
		argo-send -d 0 -p 7000 -s 7102 -n $N -m x || cfails=$((cfails + 1))
		t1=$(t)
		argo-send -I -s 7101 -n $N -m x || cfails=$((cfails + 1))
		t2=$(t)
		echo "LAB-BENCH cable_pair_us $(us "$t0" "$t1") $(us "$t1" "$t2")"
		r=$((r + 1))
	done
	check all_cable_and_explicit_sends_accepted 0 "$cfails"
	argo-ctl cable del 0 7101
else
	skip all_cable_and_explicit_sends_accepted "this Xen has no patch cables"
fi
tap_done
