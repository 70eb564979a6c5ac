# bench, guest half: an Argo echo server for dom0's argo-ping.
. /lab/lib.sh

load_argo
echo_serve 7000 200
tap_done
