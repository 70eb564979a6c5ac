# bench, guest half: an Argo echo server for dom0's argo-ping.
. /lab/lib.sh

load_argo
argo-ping -s -p 7000 -c 200 -R /tmp/server.ready &
pid=$!
wait_file /tmp/server.ready 10 && lab_signal server-ready
wait $pid && ok echo_served || not_ok echo_served "argo-ping -s exited with $?"
tap_done
