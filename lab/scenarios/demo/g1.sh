# demo, g1: talk to dom0, serve dom0's pings, then pipe text to g2 and
# ping it: guest to guest, with no shared memory and no dom0 in the path.
. /lab/lib.sh
tap_plan 7

load_argo
me=$(my_domid)
g2=$(lab_wait "$me" peer "$GUEST_WAIT_S")
lab_wait "$me" dom0-ring-ready "$GUEST_WAIT_S" > /dev/null
for line in "hello dom0, this is g1" "no shared memory between us" "Xen copied every byte"; do
	echo "$line" | argo-send -d 0 -p 5000 && echo "| g1 sent: $line"
done
# The firewall: port 5001 is dom0's management port; guests may not send.
if out=$(echo "let me in" | argo-send -d 0 -p 5001 2>&1); then
	not_ok firewall_refuses_mgmt_port "the send was accepted"
else
	ok firewall_refuses_mgmt_port
	echo "| g1 tried dom0's management port 5001; Xen's firewall said:"
	echo "|     $out"
fi
lab_signal tried-mgmt
echo_serve 7000 5
lab_wait "$me" g2-ready "$GUEST_WAIT_S" > /dev/null
echo "| g1 pipes a few lines through argo-send to argo-recv in g2 (domain $g2):"
# One write, so one message: argo-send makes a message of each read.
text="g1 runs $(uname -sr) as Xen domain $me
$(dmesg | grep -m1 -o 'argo: Argo available.*')
$(grep rings_registered /sys/kernel/debug/argo/stats) so far in g1"
printf '%s\n' "$text" | argo-send -d "$g2" -p 6000 -w &&
	ok piped_to_g2 || not_ok piped_to_g2 "argo-send to g2 failed"
echo "| g1 pings g2's Argo echo server, guest to guest:"
out=$(argo-ping -d "$g2" -p 7000 -c 5 2>&1) && ok pinged_g2 || not_ok pinged_g2 "$out"
echo "$out" | sed 's/^/|     /'
tap_done
