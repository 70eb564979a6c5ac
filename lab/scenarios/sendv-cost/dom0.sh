# sendv-cost, dom0: time rounds of non-blocking sends into a ring held
# unread (16 MiB, room for all of them), and report microseconds per send.
# Each send is one ioctl and one sendv hypercall, which Xen checks against
# the policy (argo send, argo_port send) when Flask is on.
. /lab/lib.sh
tap_plan 4

ROUNDS=5
N=20000
echo "# xen command line: $(xl info | sed -n 's/^xen_commandline *: //p')"
load_argo
argo-recv -p 7000 -f 0 -r 16777152 -G /tmp/never -R /tmp/ready > /dev/null 2>&1 &
wait_file /tmp/ready 10 || { tap_not_run all_sends_accepted "argo-recv did not bind"; tap_done; exit 1; }
r=1
fails=0
while [ $r -le $ROUNDS ]; do
	t0=$(cut -d' ' -f1 /proc/uptime)
	argo-send -d 0 -p 7000 -n $N -m x || fails=$((fails + 1))
	t1=$(cut -d' ' -f1 /proc/uptime)
	echo "LAB-BENCH sendv_us $(awk -v a="$t0" -v b="$t1" -v n=$N 'BEGIN { printf "%.2f", (b - a) * 1e6 / n }')"
	r=$((r + 1))
done
check all_sends_accepted 0 "$fails"
tap_done
