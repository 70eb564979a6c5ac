# demo, guest half.
. /lab/lib.sh

load_argo
lab_wait "$(my_domid)" dom0-ring-ready "$GUEST_WAIT_S" > /dev/null
for line in "hello dom0, this is g1" "no shared memory between us" "Xen copied every byte"; do
	echo "$line" | argo-send -d 0 -p 5000 && echo "| g1 sent: $line"
done
echo_serve 7000 5
tap_done
