#!/usr/bin/env bash
# The discovery toolstack on the host: argo-discoveryd's device state
# commands (the files the daemon serves) and argo-xl-create's config
# splitting and ordering, with xl, argo-ctl and the daemon replaced by
# recorders, so a guest is shown never to run without its cables.
# SPDX-License-Identifier: MIT
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
d=${DISCOVERYD:?DISCOVERYD must name the argo-discoveryd to test}
wrap=$top/tools/argo-xl-create
n=0 failed=0
ok()     { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; printf '%s\n' "$2" | sed 's/^/# /'; }
check()  { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "expected:
$2
got:
$3"; fi; }

t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
s=$t/state

# --- argo-discoveryd device ... ---------------------------------------------
check device_add_prints_first_number 1 "$("$d" -s "$s" device add 7 type=block port=6000 queues=2 2>&1)"
check device_add_second 2 "$("$d" -s "$s" device add 7 type=net port=6001 features=0x30 2>&1)"
"$d" -s "$s" device del 7 1
check device_numbers_not_reused_after_del 3 "$("$d" -s "$s" device add 7 type=console port=6002 2>&1)"
check device_list_shows_the_state \
"2 net port=6001 backend_ring=65536 frontend_ring=65536 queues=1 queue_size=256 features=0x30
3 console port=6002 backend_ring=65536 frontend_ring=65536 queues=1 queue_size=256 features=0x0" \
	"$("$d" -s "$s" device list 7 2>&1)"
check device_add_bad_type_named "argo-discoveryd: device add: line 1: bad value 'disk' for type" \
	"$("$d" -s "$s" device add 7 type=disk port=1 2>&1)"
check device_add_missing_port_named "argo-discoveryd: device add: missing port=" \
	"$("$d" -s "$s" device add 7 type=block 2>&1)"
check device_add_bad_queue_size_named "argo-discoveryd: device add: queue size not a power of two" \
	"$("$d" -s "$s" device add 7 type=block port=1 queue_size=3 2>&1)"
check device_add_unknown_key_named "argo-discoveryd: device add: line 2: unknown key 'colour'" \
	"$("$d" -s "$s" device add 7 type=block colour=red port=1 2>&1)"
check device_add_ring_too_small_named "argo-discoveryd: device add: backend ring size out of range" \
	"$("$d" -s "$s" device add 7 type=block port=1 backend_ring=100 2>&1)"
check device_del_missing_named "argo-discoveryd: device del: no device 9 for domain 7" \
	"$("$d" -s "$s" device del 7 9 2>&1)"
printf 'type=block\nport=x\n' > "$s/7/12"
check device_list_skips_a_bad_file_with_reason \
"argo-discoveryd: $s/7/12 skipped: line 2: bad value 'x' for port
2 net" "$("$d" -s "$s" device list 7 2>&1 | head -2 | sed 's/^\(2 net\) .*/\1/')"
"$d" -s "$s" device clear 7
check device_clear_removes_the_guest "absent" "$([ -e "$s/7" ] && echo present || echo absent)"
check device_bad_domid_is_usage 2 "$("$d" -s "$s" device list 0x7FF5 >/dev/null 2>&1; echo $?)"

# --- argo-xl-create ---------------------------------------------------------
cat > "$t/g.cfg" <<'CFG'
# a guest
name = "g1"
memory = 128
disk = [ 'format=raw, vdev=xvdb, access=rw, target=/dev/loop0',
         'vdev=xvda, specification=virtio, transport=argo, backend=drv,
          argo-port=6000, argo-backend-port=5000, argo-queues=2' ]
virtio = [ "type=virtio,device3, transport=argo, backend=0, argo-port=6001, argo-backend-port=5001" ]
argo_cables = [ 'argo-port=7000, backend=drv, argo-backend-port=7000' ]
argo_discovery = 'drv'
extra = "console=hvc0 # not a comment"
CFG
out=$("$wrap" -n "$t/g.cfg" 2>&1)
check xl_create_dry_run_strips_argo_entries_only \
"# xl.cfg for xl:
# a guest
name = \"g1\"
memory = 128
disk = [ 'format=raw, vdev=xvdb, access=rw, target=/dev/loop0' ]
extra = \"console=hvc0 # not a comment\"
# actions:
cable 6000 drv 5000
device type=block port=6000 queues=2
cable 6001 0 5001
device type=3 port=6001
cable 7000 drv 7000
discovery drv" "$(printf '%s\n' "$out" | grep -v '^$')"

# Recorders: every call goes to $t/log; argo-ctl fails when told to.
mkdir -p "$t/bin"
cat > "$t/bin/xl" <<'REC'
#!/bin/sh
echo "xl $*" >> "$LOG"
# xl must never see an argo entry: create fails if one is left.
case $1 in domid) echo 42 ;; create) grep -q 'transport=argo\|argo_' "$3" && exit 1; exit 0 ;; esac
REC
cat > "$t/bin/argo-ctl" <<'REC'
#!/bin/sh
echo "argo-ctl $*" >> "$LOG"
[ "$*" != "${FAIL_ON:-}" ]
REC
chmod +x "$t/bin/xl" "$t/bin/argo-ctl"
run() { LOG=$t/log XL=$t/bin/xl ARGO_CTL=$t/bin/argo-ctl ARGO_DISCOVERYD=$d "$wrap" -s "$s" "$@"; }
: > "$t/log"
check xl_create_prints_domid 42 "$(run "$t/g.cfg" 'memory=256' 2>&1)"
check xl_create_order_paused_cables_devices_then_unpause \
"xl create -p $(printf '%s' "$t")/XLCFG memory=256
xl domid g1
argo-ctl cable add 42 6000 drv 5000
argo-ctl cable add 42 6001 0 5001
argo-ctl cable add 42 7000 drv 7000
argo-ctl cable add 42 5011 drv 5010
xl unpause 42" "$(sed "s|/tmp/argo-xl-create\.[^ ]*/xl.cfg|$t/XLCFG|" "$t/log")"
check xl_create_told_the_daemon_the_devices \
"1 block port=6000 backend_ring=65536 frontend_ring=65536 queues=2 queue_size=256 features=0x0
2 console port=6001 backend_ring=65536 frontend_ring=65536 queues=1 queue_size=256 features=0x0" \
	"$("$d" -s "$s" device list 42 2>&1)"
: > "$t/log"
out=$(FAIL_ON="cable add 42 6001 0 5001" run "$t/g.cfg" 2>&1)
check xl_create_failed_cable_exits_1 1 "$(FAIL_ON="cable add 42 6001 0 5001" run "$t/g.cfg" >/dev/null 2>&1; echo $?)"
check xl_create_failed_cable_destroys_never_unpauses \
"xl destroy 42" "$(grep -E '^xl (destroy|unpause)' "$t/log" | sort -u)"
check xl_create_failed_cable_named "argo-xl-create: cannot cable port 6001 to 0:5001; destroying g1 (domain 42)" \
	"$(printf '%s\n' "$out" | tail -n1)"
printf 'name = "b"\ndisk = [ %s ]\n' "'vdev=xvda, specification=virtio, transport=argo, argo-port=1, argo-backend-port=2'" > "$t/bad.cfg"
check xl_create_missing_backend_named "argo-xl-create: $t/bad.cfg: an argo entry needs backend=" \
	"$(run "$t/bad.cfg" 2>&1)"
printf 'name = "b"\ndisk = [ %s ]\n' "'vdev=xvda, transport=argo, backend=0, argo-port=1, argo-backend-port=2'" > "$t/bad.cfg"
check xl_create_disk_without_virtio_spec_named \
	"argo-xl-create: $t/bad.cfg: transport=argo needs specification=virtio" "$(run "$t/bad.cfg" 2>&1)"
printf 'name = "b"\nvirtio = [ %s ]\n' "'type=virtio,device2, transport=argo, backend=0, argo-port=x1, argo-backend-port=2'" > "$t/bad.cfg"
check xl_create_bad_port_named "argo-xl-create: $t/bad.cfg: argo-port=x1 is not a number" \
	"$(run "$t/bad.cfg" 2>&1)"
printf 'name = "n"\nargo_discovery = "none"\nmemory = 64\n' > "$t/none.cfg"
: > "$t/log"
run "$t/none.cfg" >/dev/null 2>&1
check xl_create_discovery_none_programs_no_cable "" "$(grep argo-ctl "$t/log")"

echo "1..$n"
exit $failed
