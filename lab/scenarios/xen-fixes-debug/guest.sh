# xen-fixes-debug, g1: hold a ring whose partner is this very domain, then
# power off without unregistering it, so Xen tears it down.
. /lab/lib.sh
tap_plan 4

load_argo
me=$(my_domid)
argo-recv -p 9400 -f "$me" -n 1 -w 600 -R /tmp/self.ready > /dev/null 2>&1 &
if wait_file /tmp/self.ready 10; then
	ok register_ring_partnered_with_self
	lab_signal self-ring registered
else
	not_ok register_ring_partnered_with_self "argo-recv could not bind port 9400 for partner $me"
	lab_signal self-ring failed
fi
tap_done
lab_wait "$me" poweroff "$GUEST_WAIT_S" > /dev/null
