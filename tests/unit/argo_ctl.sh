#!/usr/bin/env bash
# argo-ctl on the host: `policy` over saved Xen logs, `check-portcon` over
# good and bad port mappings. ARGO_CTL is the sanitized build.
# SPDX-License-Identifier: MIT
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../..
ctl=${ARGO_CTL:?}
n=0 failed=0
check() { # check NAME EXPECTED GOT
	n=$((n + 1))
	if [ "$2" = "$3" ]; then echo "ok $n - $1"; else
		failed=1; echo "not ok $n - $1"
		printf 'expected:\n%s\ngot:\n%s\n' "$2" "$3" | sed 's/^/# /'
	fi
}

check policy_shows_mode_labels_and_argo_denials_only \
"Flask mode: Enforcing
Argo port labels, as Xen loaded them:
  0-1023 -> system_u:object_r:argo_reserved_port_t
  5000-5000 -> system_u:object_r:argo_blk_port_t
  default -> system_u:object_r:argo_port_t
Argo denials: 3
  bind_any     d2    -> -     port 5000       argo_driver_t -> argo_blk_port_t
  send         d1    -> d2    port 5001       argo_front_t -> argo_mgmt_port_t
  send         d3    -> d2    port 5000       argo_untrusted_t -> argo_blk_port_t" \
	"$("$ctl" policy -l "$here/fixtures/xen-firewall.log" -m Enforcing 2>&1)"
check policy_limits_to_last_n \
"Argo denials: 3 (the last 1)
  send         d3    -> d2    port 5000       argo_untrusted_t -> argo_blk_port_t" \
	"$("$ctl" policy -l "$here/fixtures/xen-firewall.log" -m x -n 1 2>&1 | tail -n 2)"
check policy_reports_a_rejected_mapping \
"Flask mode: Enforcing
Argo port labels, as Xen loaded them:
  ERROR argo-portcon line 4: range 5005-5005 overlaps line 3
  ERROR argo-portcon rejected: every Argo port is unlabeled
  the mapping was rejected: every Argo port is unlabeled, so Argo is closed
Argo denials: 0" \
	"$("$ctl" policy -l "$here/fixtures/xen-badmap.log" -m Enforcing 2>&1)"
# Only Xen's own lines count (issue 16): a guest's console lines reach Xen's
# log as "(dN) ..." and may say anything; so may a line's tail.
check policy_ignores_guest_and_mid_line_text \
"Flask mode: Enforcing
Argo port labels, as Xen loaded them:
  0-1023 -> system_u:object_r:argo_reserved_port_t
  default -> system_u:object_r:argo_port_t
Argo denials: 2, and 9991 more that Xen's rate limit left out of its log
  send         d3    -> d2    port 5000       argo_untrusted_t -> argo_blk_port_t
  send         d3    -> d2    port 5001       argo_untrusted_t -> argo_mgmt_port_t" \
	"$("$ctl" policy -l "$here/fixtures/xen-forged.log" -m Enforcing 2>&1)"
check policy_bad_count_named "argo-ctl: -n: not a count: 'x'" \
	"$("$ctl" policy -l /dev/null -m x -n x 2>&1)"
check policy_missing_log_named "argo-ctl: cannot read Xen's log (/nonexistent): No such file or directory" \
	"$("$ctl" policy -l /nonexistent -m x 2>&1)"

check check_portcon_accepts_the_lab_mapping \
"argo port 0-1023 -> system_u:object_r:argo_reserved_port_t
argo port 5000-5000 -> system_u:object_r:argo_blk_port_t
argo port 5001-5001 -> system_u:object_r:argo_mgmt_port_t
argo port 5010-5010 -> system_u:object_r:argo_disc_port_t
argo port 5011-5012 -> system_u:object_r:argo_disc_client_port_t
argo port 5020-5020 -> system_u:object_r:argo_vsock_port_t
argo port 50700-50700 -> system_u:object_r:argo_vsock_agent_port_t
argo port default -> system_u:object_r:argo_port_t
note: types and users not checked (no -n NAMES)" \
	"$("$ctl" check-portcon "$top/xen/policy/argo-portcon" 2>&1)"
check check_portcon_labels_ports \
"80 system_u:object_r:argo_reserved_port_t
5000 system_u:object_r:argo_blk_port_t
6000 system_u:object_r:argo_port_t
50700 system_u:object_r:argo_vsock_agent_port_t
50701 system_u:object_r:argo_port_t" \
	"$("$ctl" check-portcon "$top/xen/policy/argo-portcon" 80 5000 6000 50700 50701 2>&1)"
check check_portcon_bad_port_named "argo-ctl: not a port: '5x'" \
	"$("$ctl" check-portcon "$top/xen/policy/argo-portcon" 5x 2>&1)"
out=$("$ctl" check-portcon "$top/lab/scenarios/firewall-badmap/bad-portcon" 2>&1); rc=$?
check check_portcon_names_overlap_and_fails \
	"1 argo-ctl: $top/lab/scenarios/firewall-badmap/bad-portcon: argo-portcon line 4: range 5005-5005 overlaps line 3" \
	"$rc $out"
printf 'type argo_port_t\nuser system_u\n' > "${TMPDIR:-/tmp}/argo-ctl-names.$$"
out=$("$ctl" check-portcon -n "${TMPDIR:-/tmp}/argo-ctl-names.$$" "$here/fixtures/bad-type.portcon" 2>&1); rc=$?
rm -f "${TMPDIR:-/tmp}/argo-ctl-names.$$"
check check_portcon_names_unknown_type \
	"1 argo-ctl: $here/fixtures/bad-type.portcon: argo-portcon line 2: unknown context 'system_u:object_r:no_such_port_t'" \
	"$rc $out"
check unknown_command_named "argo-ctl: unknown command 'polcy'" \
	"$("$ctl" polcy 2>&1 | head -n1)"
# cable: arguments are checked before /dev/argo is opened (exit 2).
out=$("$ctl" cable add 3 5000 4 2>&1); rc=$?
check cable_add_missing_argument_usage "2 usage: argo-ctl cable add DOMAIN SRCPORT DSTDOMAIN DSTPORT" \
	"$rc $(printf '%s\n' "$out" | head -n1)"
out=$("$ctl" cable add 3 70000x 4 1 2>&1); rc=$?
check cable_add_bad_port_named "2 argo-ctl: cable: invalid source port '70000x': expected a number from 0 to 4294967295" "$rc $out"
out=$("$ctl" cable add 3 1 4 4294967296 2>&1); rc=$?
check cable_add_port_too_large "2 argo-ctl: cable: invalid destination port '4294967296': expected a number from 0 to 4294967295" "$rc $out"
out=$("$ctl" cable del 32752 1 2>&1); rc=$?
check cable_del_reserved_domid_refused "2 argo-ctl: cable: unknown domain '32752' (a domain id from 0 to 32751, or a name xl knows)" "$rc $out"
out=$("$ctl" cable del 'a;b' 1 2>&1); rc=$?
check cable_domain_name_odd_characters_refused "2 argo-ctl: cable: unknown domain 'a;b' (a domain id from 0 to 32751, or a name xl knows)" "$rc $out"
out=$("$ctl" cable frob 2>&1); rc=$?
check cable_unknown_subcommand "2 argo-ctl: cable: unknown command 'frob'" "$rc $(printf '%s\n' "$out" | head -n1)"
if [ ! -e /dev/argo ]; then
	out=$("$ctl" cable list 0 2>&1); rc=$?
	check cable_without_dev_argo_fails "1 argo-ctl: cable open /dev/argo: no /dev/argo (is argo_char.ko loaded?), or no such cable" "$rc $out"
fi
echo "1..$n"
exit $failed
