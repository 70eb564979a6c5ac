# demo, g2: receive g1's pipe and answer its pings.
. /lab/lib.sh
tap_plan 5

load_argo
me=$(my_domid)
g1=$(lab_wait "$me" peer "$GUEST_WAIT_S")
# Only g1 may send to this ring; Xen enforces it.
argo-recv -p 6000 -f "$g1" -n 1 -w "$GUEST_WAIT_S" -R /tmp/pipe.ready > /tmp/pipe.txt 2>&1 &
rpid=$!
argo-ping -s -p 7000 -c 5 -R /tmp/server.ready > /tmp/ping.out 2>&1 &
ppid=$!
wait_file /tmp/pipe.ready 10 && wait_file /tmp/server.ready 10 && lab_signal ready
if wait $rpid; then
	ok received_pipe_from_g1
	echo "| g2 received from g1 (domain $g1):"
	sed 's/^/|     /' /tmp/pipe.txt
else
	not_ok received_pipe_from_g1 "$(cat /tmp/pipe.txt)"
fi
wait $ppid && ok served_g1_pings || not_ok served_g1_pings "$(cat /tmp/ping.out)"
tap_done
