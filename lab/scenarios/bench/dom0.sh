# bench, dom0 half: time a guest's start, then ping it over Argo.
. /lab/lib.sh

load_argo
t0=$(cut -d' ' -f1 /proc/uptime)
gid=$(guest_create ../smoke/g1.cfg \
	'extra="console=hvc0 loglevel=4 lab.name=g1 lab.script=bench/guest.sh"') ||
	{ not_ok create_g1 "xl create failed"; tap_done; exit 1; }
if lab_wait "$gid" server-ready "$GUEST_WAIT_S" > /dev/null; then
	t1=$(cut -d' ' -f1 /proc/uptime)
	ok guest_started
	# From xl create to the guest's Argo echo server listening.
	echo "LAB-BENCH guest_start_s $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')"
	out=$(argo-ping -d "$gid" -p 7000 -c 200 -S 64 -q 2>&1) && ok ping_guest || not_ok ping_guest "$out"
	# "rtt min/median/max = A/B/C us (N pings)"
	echo "$out" | sed -n 's|^rtt min/median/max = \([0-9.]*\)/\([0-9.]*\)/\([0-9.]*\) us.*|LAB-BENCH sendv_rtt_us \2 \1 \3|p'
else
	not_ok guest_started "g1 never started its echo server"
fi
guest_wait g1 "$GUEST_WAIT_S" && ok g1_finished || not_ok g1_finished "g1 did not power off by itself"
tap_done
