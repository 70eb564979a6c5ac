# discovery, drv: a driver domain running its own argo-discoveryd, with
# its own state: one device for g, which it serves once dom0 re-cables
# g's discovery port here.
. /lab/lib.sh
tap_plan 6

load_argo
me=$(my_domid)
g=$(lab_wait "$me" g "$GUEST_WAIT_S")
check drv_assigns_device_to_g 1 "$(argo-discoveryd device add "$g" type=rng port=6100 2>&1)"
argo-discoveryd -R /tmp/discd.ready > /tmp/discd.log 2>&1 &
wait_file /tmp/discd.ready 10 && ok drv_discoveryd_serving || not_ok drv_discoveryd_serving "$(cat /tmp/discd.log)"
lab_signal serving
lab_wait "$me" bye "$GUEST_WAIT_S" > /dev/null
check drv_served_nothing_malformed 0 "$(grep -c rejected /tmp/discd.log)"
tap_done
