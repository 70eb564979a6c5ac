# lifecycle, dom0: checks from outside that the guest's unloaded driver
# left nothing in Xen, then saves and restores the guest.
. /lab/lib.sh
tap_plan 11

load_argo
# smoke's g1 (160 MiB: a PV guest holds its image twice while unpacking
# it, and 128 MiB ran out with the 35 MiB image that socat and the vsock
# modules make); the save file goes to a tmpfs of its own, since the
# root file system is capped at half of dom0's RAM and holds the images.
gid=$(guest_create ../smoke/g1.cfg \
	'extra="console=hvc0 loglevel=4 lab.name=g1 lab.script=lifecycle/guest.sh"') ||
	{ not_ok create_g1 "xl create failed"; tap_done; exit 1; }
# How many load/unload cycles the guest runs (about 0.5 s each).
lab_tell "$gid" cycles 100

# After the guest's cycles its modules are unloaded: Xen must have no
# ring of its on either port it used, so a send is refused, not queued.
if lab_wait "$gid" cycles-done "$GUEST_WAIT_S" > /dev/null; then
	for p in 7100 7101; do
		out=$(argo-send -d "$gid" -p $p -m leftover 2>&1)
		case "$out" in
		*"Connection refused"*) ok "no_ring_left_in_xen_on_port_$p" ;;
		*) not_ok "no_ring_left_in_xen_on_port_$p" "expected ECONNREFUSED, got '$out'" ;;
		esac
	done
	lab_tell "$gid" checked
else
	tap_not_run no_ring_left_in_xen_on_port_7100 no_ring_left_in_xen_on_port_7101 \
		"the guest never finished its load/unload cycles"
fi

# Save and restore: the guest comes back as a new domain, which has no
# rings in Xen until the driver registers them again.
if lab_wait "$gid" sr-ready "$GUEST_WAIT_S" > /dev/null; then
	check_cmd send_before_save argo-send -d "$gid" -p 7200 -m before
	t0=$(cut -d' ' -f1 /proc/uptime)
	mkdir -p /save && mount -t tmpfs -o size=192m tmpfs /save
	check_cmd save_guest xl save g1 /save/g1
	check_cmd restore_guest xl restore /save/g1
	rm -f /save/g1
	echo "# save and restore took $(awk -v a="$t0" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%.1f", b - a }') s"
	gid2=$(xl domid g1)
	if [ -n "$gid2" ] && [ "$gid2" != "$gid" ]; then
		ok restored_guest_is_a_new_domain
	else
		not_ok restored_guest_is_a_new_domain "domid before $gid, after '$gid2'"
	fi
	check_cmd send_to_restored_guest argo-send -d "$gid2" -p 7200 -m after
	lab_tell "$gid2" go
else
	tap_not_run send_before_save save_guest restore_guest restored_guest_is_a_new_domain \
		send_to_restored_guest "the guest never bound its ring for save/restore"
fi
guest_wait g1 "$GUEST_WAIT_S" && ok g1_finished || not_ok g1_finished "g1 did not power off"
tap_done
