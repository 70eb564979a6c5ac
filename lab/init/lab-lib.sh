# In-domain helpers for lab scenarios (busybox sh), installed as /lab/lib.sh
# in every image. Results are TAP lines on stdout; the domain's init adds
# the "[name] " prefix the host runner sorts by.
# SPDX-License-Identifier: MIT

export PATH=/usr/local/bin:/usr/lib/xen-4.17/bin:/bin:/sbin:/usr/bin:/usr/sbin

TAP_N=0
TAP_PLAN=
# Bound for any wait that includes a guest booting. A guest is up in ~15 s
# on an idle machine, but TCG slows many-fold when the host is busy.
GUEST_WAIT_S=${GUEST_WAIT_S:-300}

# ok NAME / not_ok NAME REASON / skip NAME REASON
ok()     { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $1"; }
not_ok() {
	TAP_N=$((TAP_N + 1))
	echo "not ok $TAP_N - $1"
	printf '%s\n' "$1: $2" | sed 's/^/# /'
}
skip()   { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $1 # SKIP $2"; }
# tap_plan N [VARIANT=N...]: declare, before the first case, how many
# cases this domain runs. The runner fails a domain whose count differs,
# so a case that vanishes (an early exit, `cmd && check`, an `if` with no
# `else`) is a failure, not a shorter plan. VARIANT=N overrides N on that
# Xen variant (lab.xen=), for scripts that stop early on pristine Xen:
#   tap_plan 14 pristine=7
tap_plan() {
	local n=$1 v x
	x=$(lab_cmdline xen)
	shift
	for v in "$@"; do [ "${v%%=*}" = "$x" ] && n=${v#*=}; done
	TAP_PLAN=$n
	echo "1..$n"
}
# tap_not_run NAME... REASON: the named cases could not run; each is a
# failure, so the count still meets the plan and the reason is on record.
tap_not_run() {
	local why
	eval "why=\${$#}"
	while [ $# -gt 1 ]; do not_ok "$1" "not run: $why"; shift; done
}
# tap_bail REASON: this domain cannot go on (a guest it needs was never
# created, say): each case it has not run yet becomes a numbered failure
# with the reason, so the count still meets the plan, and the script ends.
tap_bail() {
	while [ "$TAP_N" -lt "${TAP_PLAN:-0}" ]; do
		not_ok "case_$((TAP_N + 1))_not_run" "$1"
	done
	tap_done
	exit 1
}
# tap_done: the end of this domain's cases. With a declared plan it only
# says on the console if the count is off (the runner judges); without one
# it prints no plan, which the runner reports as missing.
tap_done() {
	if [ -z "$TAP_PLAN" ]; then
		echo "# LAB: no plan declared: start the script with tap_plan N"
	elif [ "$TAP_N" != "$TAP_PLAN" ]; then
		echo "# LAB: declared $TAP_PLAN cases, ran $TAP_N"
	fi
}

# check NAME EXPECTED GOT: one test comparing two strings.
check() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	elif [ "$(printf '%s' "$2$3" | wc -l)" -eq 0 ]; then
		not_ok "$1" "expected '$2', got '$3'"
	else
		not_ok "$1" "expected:
$2
got:
$3"
	fi
}

# check_cmd NAME CMD...: passes when CMD exits 0; its output is the reason.
check_cmd() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then ok "$name"; else not_ok "$name" "'$*' failed: $out"; fi
}

lab_cmdline() { # lab_cmdline KEY: value of lab.KEY= on the kernel command line
	tr ' ' '\n' < /proc/cmdline | sed -n "s/^lab\.$1=//p" | tail -n1
}

lab_phase() { echo "LAB-PHASE $*"; }

# Instruction profiles (lab/run --profile, docs/lab.md): the guest
# instructions executed between prof_start TAG and prof_end TAG [COUNT],
# by everyone (Xen, every kernel, user space), go to the profile folder as
# TAG.txt; COUNT says how many messages they cover. Without --profile the
# lines are ignored.
prof_start() { prof_mods; echo "LAB-PROF start $1"; }
prof_end() { echo "LAB-PROF end $1"; [ -z "$2" ] || echo "LAB-PROF count $1 $2"; }
# Where this domain's Argo modules are, for lab/prof/report's symbols.
prof_mods() {
	local m
	for m in /sys/module/argo*/sections/.text /sys/module/virtio_argo/sections/.text; do
		[ -r "$m" ] || continue
		m=${m%/sections/.text}
		echo "LAB-PROF mod ${m##*/} $(cat "$m/sections/.text")"
	done
}
# dom0 under --profile: the kernel's text symbols (Debian's System.map
# is a placeholder; a PV kernel is not relocated, so guests share them).
prof_ksyms() {
	grep ' [tT] ' /proc/kallsyms | grep -v '\[' | gzip -9 | base64 -w 900 |
		sed 's/^/LAB-PROF ksyms /'
}

# Barriers through xenstore. A domain may write under its own
# /local/domain/<id>/data, and dom0 may write anywhere.
my_domid() { xenstore-read domid 2>/dev/null || echo 0; }

# lab_signal KEY [VALUE]: publish KEY in this domain's data/lab.
lab_signal() { xenstore-write "/local/domain/$(my_domid)/data/lab/$1" "${2:-1}"; }

# lab_wait DOMID KEY [SECONDS]: wait until DOMID published KEY; prints it.
# In dom0 a guest that crashed or vanished ends the wait at once (checked
# every 5 s): a guest that panics while booting would otherwise hold the
# scenario, and the boot, until the timeout.
lab_wait() {
	local dom=$1 key=$2 left=${3:-60} v n=0 state
	while [ "$left" -gt 0 ]; do
		if v=$(xenstore-read "/local/domain/$dom/data/lab/$key" 2>/dev/null); then
			echo "$v"; return 0
		fi
		n=$((n + 1))
		if [ "$dom" != 0 ] && [ $((n % 5)) = 0 ] && command -v xl > /dev/null; then
			state=$(xl list "$dom" 2>/dev/null | awk 'NR == 2 { print $5 }')
			case $state in
			'' | *c* | *d*)
				echo "# domain $dom is ${state:-gone} (crashed, dying or destroyed) while dom0 waited for '$key'" >&2
				return 1 ;;
			esac
		fi
		sleep 1; left=$((left - 1))
	done
	echo "# timed out waiting for domain $dom to signal '$key'" >&2
	return 1
}

# lab_tell DOMID KEY [VALUE]: dom0 publishes KEY into a guest's data/lab.
lab_tell() { xenstore-write "/local/domain/$1/data/lab/$2" "${3:-1}"; }

# --- dom0 side: guests -----------------------------------------------------

# lab_prefix NAME: how a line of domain NAME starts on the serial console,
# for the runner: "[NAME] ", or "[MEMBER:NAME] " when this boot runs a
# group of scenarios (dom0's init sets LAB_MEMBER to the one running), so
# a guest name that two members use is still told apart. A scenario that
# relays a console itself must use it.
lab_prefix() { echo "[${LAB_MEMBER:+$LAB_MEMBER:}$1] "; }

# lab_user_pids: the pids of dom0's user processes (kernel threads have no
# executable), on one line. Run as $(lab_user_pids), the list has the pid
# of that subshell, gone by the time the caller reads it.
lab_user_pids() {
	local d pids=
	for d in /proc/[0-9]*; do
		[ -e "$d/exe" ] && pids="$pids ${d#/proc/}"
	done
	echo "$pids "
}

# lab_member_clean SCENARIO PREFIX PIDS_BEFORE: after a scenario's
# dom0.sh and its session have ended, leave dom0 as the next scenario of
# the boot expects to find it. Guests and processes left behind are the
# scenario's failure (a LAB-ERROR in its name); they are ended all the
# same. Then what every scenario may leave, silently: the project's
# modules, dom0's barrier keys in xenstore, the kernel log, the guests'
# console logs (a guest of the same name would replay them).
lab_member_clean() {
	local scenario=$1 prefix=$2 before=$3 doms name left p n mods loaded t0 t1 t2 t3 t4
	# Forks are dear in a PV dom0 under TCG: each step runs as few
	# programs as it can. Its times go to dom0.log (dom0's uptime at each
	# step: guests, processes, modules, the rest).
	read -r t0 _ < /proc/uptime
	doms=$(xl list 2>/dev/null | awk 'NR > 2 { print $1 }')
	for name in $doms; do
		[ "$name" = "(null)" ] && continue
		echo "${prefix}LAB-ERROR $scenario left guest $name running; destroyed it"
		xl destroy "$name" > /dev/null 2>&1
	done
	# A destroyed domain lingers until Xen has freed it.
	n=10
	while [ -n "$doms" ]; do
		doms=$(xl list 2>/dev/null | awk 'NR > 2 { print $1 "(" $2 ")" }')
		[ -n "$doms" ] || break
		if [ "$n" -le 0 ]; then
			echo "${prefix}LAB-ERROR $scenario left domains Xen has not freed:" $doms
			break
		fi
		sleep 1; n=$((n - 1))
	done
	read -r t1 _ < /proc/uptime
	# Processes started since it began and still running (daemons that
	# left its session): xl's own for a destroyed guest exit by themselves.
	n=5
	while :; do
		left=
		for p in $(lab_user_pids); do
			[ -d "/proc/$p" ] || continue
			case "$before" in *" $p "*) ;; *) left="$left $p" ;; esac
		done
		[ -z "$left" ] || [ "$n" -le 0 ] && break
		sleep 1; n=$((n - 1))
	done
	for p in $left; do
		[ -r "/proc/$p/cmdline" ] || continue
		echo "${prefix}LAB-ERROR $scenario left process $p running" \
			"($(tr '\0' ' ' < "/proc/$p/cmdline")); killed it"
		kill -KILL "$p" 2>/dev/null
	done
	read -r t2 _ < /proc/uptime
	# The project's modules: each pass removes those nothing uses any more.
	mods=$(ls /lib/argo 2>/dev/null | sed -n 's/\.ko$//p' | tr - _)
	for n in 1 2 3 4 5; do
		loaded="
$(cut -d' ' -f1 /proc/modules)
"
		left=
		for name in $mods; do
			case "$loaded" in *"
$name
"*) left="$left $name" ;; esac
		done
		[ -n "$left" ] || break
		[ "$n" -lt 5 ] || break
		for name in $left; do rmmod "$name" 2>/dev/null; done
	done
	for name in $left; do
		echo "${prefix}LAB-ERROR $scenario left module $name in use; it could not be unloaded"
	done
	read -r t3 _ < /proc/uptime
	xenstore-rm /local/domain/0/data/lab 2>/dev/null
	dmesg -c > /dev/null
	rm -f /var/log/xen/console/guest-*.log
	read -r t4 _ < /proc/uptime
	echo "lab-clean: $scenario at $t0 $t1 $t2 $t3 $t4"
}

cfg_name() { sed -n 's/^name *= *"\(.*\)".*/\1/p' "$1"; }

# guest_create CFG [-p] [KEY=VALUE...]: create a guest, relay its console
# to the runner as "[name] ...", print its domid. -p leaves it paused
# (needed to register a single-source ring for it before it runs);
# KEY=VALUE lines override the config file, as with xl create.
guest_create() {
	local cfg=$1 name opts="" a
	shift
	name=$(cfg_name "$cfg")
	# A name="..." override wins over the file's, as it does for xl.
	for a in "$@"; do
		case "$a" in name=*) name=$(echo "${a#name=}" | tr -d '"') ;; esac
	done
	# Errors go to stderr: callers capture stdout for the domid.
	[ -n "$name" ] || { echo "LAB-ERROR $cfg has no name= line" >&2; return 1; }
	while [ $# -gt 0 ] && [ "${1#-}" != "$1" ]; do opts="$opts $1"; shift; done
	# shellcheck disable=SC2086
	if ! xl create $opts "$cfg" "$@" > "/tmp/xl-create-$name.log" 2>&1; then
		echo "LAB-ERROR xl create $cfg failed:" >&2
		sed 's/^/# /' "/tmp/xl-create-$name.log" >&2
		return 1
	fi
	guest_relay "$name"
	xl domid "$name"
}

# guest_relay NAME: relay guest NAME's console (xenconsoled's file) to the
# runner as "[member:NAME] ...", in the background, until guest_unrelay
# (guest_wait does it). For guests made by another command than
# guest_create (argo-xl-create). Writes straight to the console: not
# through dom0's prefix.
guest_relay() {
	tail -F -n +1 "/var/log/xen/console/guest-$1.log" 2>/dev/null |
		awk -v p="$(lab_prefix "$1")" '{ sub(/\r$/, ""); print p $0; fflush() }' > /dev/console &
	echo $! > "/tmp/relay-$1.pid"
}

# argo_guest_create CFG [-p]: create a guest with argo-xl-create (its
# cables and discovery programmed before it runs), relay its console,
# print its domid. On failure, says so on stderr and returns 1.
argo_guest_create() {
	local cfg=$1 name
	shift
	name=$(cfg_name "$cfg")
	if ! argo-xl-create "$@" "$cfg" > "/tmp/axc-$name.log" 2>&1; then
		echo "LAB-ERROR argo-xl-create $cfg failed:" >&2
		sed 's/^/# /' "/tmp/axc-$name.log" >&2
		return 1
	fi
	guest_relay "$name"
	tail -n1 "/tmp/axc-$name.log"
}

# guest_wait NAME [SECONDS]: wait for a guest to power itself off; on
# timeout destroy it and fail. Then stop its console relay.
guest_wait() {
	local name=$1 left=${2:-120} rc=0
	while xl domid "$name" >/dev/null 2>&1; do
		if [ "$left" -le 0 ]; then
			echo "LAB-ERROR guest $name did not finish in time; destroying it"
			xl destroy "$name"; rc=1; break
		fi
		sleep 1; left=$((left - 1))
	done
	guest_unrelay "$name"
	return $rc
}

guest_unrelay() {
	sleep 1 # let the relay drain the last lines
	[ -f "/tmp/relay-$1.pid" ] && kill "$(cat "/tmp/relay-$1.pid")" 2>/dev/null
	pkill -f "guest-$1.log" 2>/dev/null
	rm -f "/tmp/relay-$1.pid"
}

# proc_asleep PID: is PID waiting, not spinning? True when its state in
# /proc/PID/stat is S (an interruptible sleep) at two looks 0.5 s apart and
# it used under 5 clock ticks of CPU in between: a sender retrying in a
# loop is R, or burns the CPU it gets. Prints what it saw.
proc_asleep() {
	local s1 t1 s2 t2
	[ -r "/proc/$1/stat" ] || { echo "no process $1"; return 1; }
	set -- "$1" $(sed 's/.*) //' "/proc/$1/stat")
	s1=$2 t1=$((${13} + ${14}))
	sleep 0.5
	[ -r "/proc/$1/stat" ] || { echo "process $1 exited"; return 1; }
	set -- "$1" $(sed 's/.*) //' "/proc/$1/stat")
	s2=$2 t2=$((${13} + ${14}))
	echo "state $s1 then $s2, $((t2 - t1)) ticks of CPU in 0.5 s"
	[ "$s1" = S ] && [ "$s2" = S ] && [ $((t2 - t1)) -lt 5 ]
}

# wait_file FILE [SECONDS]: wait for FILE to appear (a tool's "ready" mark).
wait_file() {
	local left=$((${2:-30} * 10))
	while [ ! -e "$1" ] && [ "$left" -gt 0 ]; do
		sleep 0.1; left=$((left - 1))
	done
	[ -e "$1" ] || { echo "# timed out waiting for $1" >&2; return 1; }
}

# dmesg_wait TEXT [SECONDS]: wait (default 5 s) until the kernel log has a
# line containing TEXT; prints the part of the last such line from TEXT
# on (nothing if none came), for check's "got".
dmesg_wait() {
	local left=$((${2:-5} * 10)) line
	until line=$(dmesg | grep -F -- "$1" | tail -n 1); [ -n "$line" ] || [ "$left" = 0 ]; do
		sleep 0.1; left=$((left - 1))
	done
	[ -z "$line" ] || echo "$line" | awk -v t="$1" '{ print substr($0, index($0, t)) }'
}

# echo_serve PORT COUNT: an Argo echo server for dom0's argo-ping; tells
# dom0 "server-ready" once bound, and reports one TAP result when done.
echo_serve() {
	argo-ping -s -p "$1" -c "$2" -R /tmp/server.ready &
	local pid=$!
	wait_file /tmp/server.ready 10 && lab_signal server-ready
	if wait $pid; then ok echo_served; else not_ok echo_served "argo-ping -s exited with $?"; fi
}

# check_mechanism: one case naming how argo.ko calls Argo (debugfs
# argo/mechanism), which must be lab.mech= from the kernel command line:
# PVH guests are given lab.mech=msr; without it, hypercall (PV domains).
check_mechanism() {
	local want
	want=$(lab_cmdline mech)
	want=${want:-hypercall}
	check "argo_mechanism_$want" "mechanism $want" \
		"$(head -n1 /sys/kernel/debug/argo/mechanism 2>&1)"
}

# irq_count NAME: the interrupts /proc/interrupts counted for the row
# whose handler is NAME ("argo": VIRQ_ARGO's event channel;
# "argo-vector": the local APIC vector), summed over CPUs; 0 for no row.
irq_count() {
	awk -v n="$1" '$NF == n { for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i }
		END { print s + 0 }' /proc/interrupts
}

# notified_by: how this domain's Argo signals came, from two sources that
# must agree: argo.ko's debugfs argo/notify names the kind, and the
# kernel's own counts say which IRQ took the signals ("notify vector
# vector:yes virq:no" when the vector carried all of them).
notified_by() {
	local v e
	v=$(irq_count argo-vector)
	e=$(irq_count argo)
	echo "$(head -n1 /sys/kernel/debug/argo/notify 2>&1 | cut -d' ' -f1-2)" \
		"vector:$([ "$v" -gt 0 ] && echo yes || echo no)" \
		"virq:$([ "$e" -gt 0 ] && echo yes || echo no)"
}

# check_notified: one case, after this domain received messages: they were
# signalled the way lab.notify= says (PVH guests are given lab.notify=vector;
# without it, evtchn: PV domains, where Xen offers no vector).
check_notified() {
	local want
	want=$(lab_cmdline notify)
	want=${want:-evtchn}
	if [ "$want" = vector ]; then
		check signals_on_vector "notify vector vector:yes virq:no" "$(notified_by)"
	else
		check signals_on_evtchn "notify evtchn vector:no virq:yes" "$(notified_by)"
	fi
}

# load_argo: load the project's modules (core, then /dev/argo) as TAP tests,
# argo.ko with notify= from lab.notify= and mechanism= from lab.argo_mech=
# when the kernel command line has them (bench-pvh's guests call by
# hypercall); without them argo.ko picks.
load_argo() {
	local n mech
	n=$(lab_cmdline notify)
	mech=$(lab_cmdline argo_mech)
	# shellcheck disable=SC2086
	check_cmd load_argo_core insmod /lib/argo/argo.ko ${n:+notify=$n} ${mech:+mechanism=$mech}
	check_cmd load_argo_char insmod /lib/argo/argo_char.ko
	wait_file /dev/argo 5 && ok dev_argo_present || not_ok dev_argo_present "no /dev/argo after loading argo_char.ko"
}

# stress_programs NAME ROUNDS: run programs in a loop, the way the lab's
# "-cpu max" runs (pvh-smoke) lost them to SIGSEGV at random: each round busybox's
# sha256sum over the same file and Debian's dynamically linked socat. One
# result: every run exited 0 and every checksum was the first one.
stress_programs() {
	local name=$1 rounds=$2 i=0 fails=0 first sum
	first=$(sha256sum /lib/argo/argo.ko 2>&1)
	while [ $i -lt "$rounds" ]; do
		sum=$(sha256sum /lib/argo/argo.ko 2>&1) || fails=$((fails + 1))
		[ "$sum" = "$first" ] || fails=$((fails + 1))
		socat -V > /dev/null 2>&1 || fails=$((fails + 1))
		i=$((i + 1))
	done
	check "$name" "0 failures in $rounds rounds" "$fails failures in $rounds rounds"
}
