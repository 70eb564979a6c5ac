#!/usr/bin/env bash
# DKMS builds the modules from the staged source tree, as `make
# dkms-install` would, but into private trees under build/: nothing on the
# machine changes. For each supported kernel: Debian 12's 6.1 with the
# host's DKMS and headers, Debian 13's 6.12 with the DKMS, headers and
# gcc-14 of the Debian 13 build root (scripts/trixie-root).
# SPDX-License-Identifier: MIT
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/lib.sh"
n=0 failed=0
ok()     { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; printf '%s\n' "$2" | sed 's/^/# /'; }

version=$(cat "$top/VERSION")
for series in $KERNEL_SERIES; do
	kr=$(kernel_release "$series") || { not_ok "dkms_kernel_$series" "no headers for $series"; continue; }
	root=$(kernel_root "$series")
	# Paths as DKMS sees them: the same folder is /mnt/argo in the root.
	work=${BUILD:-$top/build}/dkms/$series
	rm -rf "$work"
	mkdir -p "$work/src" "$work/tree"
	"$top/scripts/dkms-stage" "$work/src/virtio-argo-$version" >/dev/null
	if [ -z "$root" ]; then
		at=$work
		dkms() { command dkms "$@"; }
	else
		at=/mnt/argo
		dkms() { in_root "$root" "$work" dkms "$@"; }
	fi
	d="--sourcetree $at/src --dkmstree $at/tree -m virtio-argo -v $version"
	# shellcheck disable=SC2086
	if out=$(dkms add $d 2>&1) && out=$(dkms build $d -k "$kr" 2>&1); then
		ok "dkms_builds_for_$kr"
	else
		not_ok "dkms_builds_for_$kr" "$out
$(tail -20 "$work/tree/virtio-argo/$version/build/make.log" 2>/dev/null)"
	fi
	mods=$work/tree/virtio-argo/$version/$kr/$(uname -m)/module
	for m in argo argo_char virtio_argo argo_vsock; do
		ko=$mods/$m.ko
		[ -f "$ko" ] || ko=$ko.xz # DKMS compresses as the kernel's own modules are
		vm=$(modinfo -F vermagic "$ko" 2>&1 | cut -d' ' -f1)
		if [ "$vm" = "$kr" ]; then ok "dkms_built_${m}_for_$kr"; else
			not_ok "dkms_built_${m}_for_$kr" "no $m.ko for $kr ($vm)"; fi
	done
	# Lab-only test modules stay out of what DKMS installs. A missing module
	# folder proves nothing about what is in it: that is a failure too.
	if [ ! -d "$mods" ]; then
		not_ok "dkms_leaves_out_lab_test_modules_$series" "no module folder $mods"
	elif ls "$mods/" | grep -q test; then
		not_ok "dkms_leaves_out_lab_test_modules_$series" "$(ls "$mods/")"
	else
		ok "dkms_leaves_out_lab_test_modules_$series"
	fi
done
echo "1..$n"
exit $failed
