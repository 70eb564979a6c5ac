# demo, guest half.
. /lab/lib.sh

load_argo
lab_wait "$(my_domid)" dom0-ring-ready "$GUEST_WAIT_S" > /dev/null
for line in "hello dom0, this is g1" "no shared memory between us" "Xen copied every byte"; do
	echo "$line" | argo-send -d 0 -p 5000 && echo "| g1 sent: $line"
done
argo-ping -s -p 7000 -c 5 -R /tmp/server.ready &
pid=$!
wait_file /tmp/server.ready 10 && lab_signal server-ready
wait $pid && ok echo_served || not_ok echo_served "argo-ping -s failed"
tap_done
