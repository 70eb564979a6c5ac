#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every lab script that declares a plan (tap_plan) reports exactly that many
# cases, whichever way its steps go. Each runs on the host with the lab's
# tools and Xen's replaced by stubs: once with every stub succeeding, once
# with every stub failing (waits time out at once), on each Xen variant its
# tap_plan names. A count off by one here is a case that a branch drops or
# doubles, which the lab would only show on the boot that takes the branch.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0

mkdir -p "$tmp/bin"
cat > "$tmp/bin/stub" <<'STUB'
#!/bin/sh
[ -n "$SIM_FAIL" ] && exit 1
case "$(basename "$0")" in
argo-recv|argo-ping|argo-perf|vchan-perf)
	while [ $# -gt 0 ]; do [ "$1" = -R ] && touch "$2"; shift; done ;;
xl) case "$1" in domid) echo 5 ;; dmesg) echo "(XEN) stub" ;; esac ;;
xenstore-read) echo 1 ;;
esac
exit 0
STUB
chmod +x "$tmp/bin/stub"
for c in argo-recv argo-send argo-ping argo-perf vchan-perf argo-ctl argo-conformance \
	xl xenstore-read xenstore-write insmod rmmod modprobe dmesg mount tail pkill \
	qemu-storage-daemon qemu-img virtio-argo-backend va-hostile argo-discoveryd argo-xl-create \
	mkfs.ext4 e2fsck fstrim umount losetup dd fio; do
	ln -s stub "$tmp/bin/$c"
done
# lab/lib.sh with stubs first on PATH, no real waiting, and the variant
# from SIM_XEN instead of /proc/cmdline.
sed -e "s|^export PATH=.*|export PATH=$tmp/bin:\$PATH|" -e 's|^GUEST_WAIT_S=.*|GUEST_WAIT_S=1|' \
	"$top/lab/init/lab-lib.sh" > "$tmp/lib.sh"
cat >> "$tmp/lib.sh" <<'EOF2'
lab_cmdline() { [ "$1" = xen ] && echo "$SIM_XEN"; }
sleep() { :; }
guest_unrelay() { :; }
guest_create() { echo 7; }
guest_relay() { :; }
# As the real one ends: the stub xl always finds the guest (it times out),
# or never does (gone); without looping through its timeout's seconds.
guest_wait() { [ -n "$SIM_FAIL" ]; }
wait_file() { [ -z "$SIM_FAIL" ]; }
lab_wait() { [ -z "$SIM_FAIL" ] && echo 1; }
proc_asleep() { echo stub; [ -z "$SIM_FAIL" ]; }
EOF2

for script in "$top"/lab/scenarios/*/*.sh; do
	rel=${script#"$top/lab/scenarios/"}
	# A script that reports cases must declare how many: the runner fails
	# its domain otherwise, so say so here, before any boot.
	if ! grep -q '^[^#]*tap_plan [0-9]' "$script"; then
		if grep -qE '^[^#]*(tap_done|check |check_cmd |ok |not_ok )' "$script"; then
			n=$((n + 1)) failed=1
			echo "not ok $n - ${rel%.sh}_declares_a_plan"
			echo "# expected tap_plan N before its first case (docs/lab.md)"
		fi
		continue
	fi
	variants="patched $(sed -n 's/^tap_plan [0-9]*//p' "$script" | tr ' ' '\n' | sed -n 's/=.*//p')"
	for xen in $variants; do
		for mode in pass fail; do
			out=$(cd "$(dirname "$script")" &&
				sed "s|^\. /lab/lib.sh|. $tmp/lib.sh|" "$(basename "$script")" > "$tmp/s.sh" &&
				SIM_XEN=$xen SIM_FAIL=$([ $mode = fail ] && echo 1) \
				timeout 60 sh "$tmp/s.sh" 2>/dev/null)
			plan=$(echo "$out" | sed -n '1,/^1\.\./s/^1\.\.\([0-9]*\).*/\1/p' | head -n1)
			ran=$(echo "$out" | grep -cE '^(ok|not ok) ')
			n=$((n + 1))
			name="${rel%.sh}_${xen}_${mode}_meets_its_plan"
			if [ -n "$plan" ] && [ "$plan" = "$ran" ]; then
				echo "ok $n - $name"
			else
				failed=1
				echo "not ok $n - $name"
				echo "# expected ${plan:-a plan} cases, got $ran"
			fi
		done
	done
done
echo "1..$n"
exit $failed
