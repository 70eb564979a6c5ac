#!/usr/bin/env bash
# DKMS builds the modules from the staged source tree for the installed
# Debian kernel headers, as `make dkms-install` would, but into private
# trees under build/: nothing on the machine changes.
# SPDX-License-Identifier: MIT
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/lib.sh"
n=0 failed=0
ok()     { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; printf '%s\n' "$2" | sed 's/^/# /'; }

version=$(cat "$top/VERSION")
kr=$(kernel_release)
root=${BUILD:-$top/build}/dkms
src=$root/src tree=$root/tree
rm -rf "$root"
mkdir -p "$src" "$tree"
"$top/scripts/dkms-stage" "$src/virtio-argo-$version" >/dev/null
d="dkms --sourcetree $src --dkmstree $tree -m virtio-argo -v $version"
if out=$($d add 2>&1) && out=$($d build -k "$kr" 2>&1); then
	ok "dkms_builds_for_$kr"
else
	not_ok "dkms_builds_for_$kr" "$out
$(cat "$tree/virtio-argo/$version/build/make.log" 2>/dev/null | tail -20)"
fi
for m in argo argo_char; do
	ko=$tree/virtio-argo/$version/$kr/$(uname -m)/module/$m.ko
	[ -f "$ko" ] || ko=$ko.xz
	vm=$(modinfo -F vermagic "$ko" 2>&1 | cut -d' ' -f1)
	if [ "$vm" = "$kr" ]; then ok "dkms_built_${m}_for_$kr"; else
		not_ok "dkms_built_${m}_for_$kr" "no $m.ko for $kr ($vm)"; fi
done
# Lab-only test modules stay out of what DKMS installs. A missing module
# folder proves nothing about what is in it: that is a failure too.
mods=$tree/virtio-argo/$version/$kr/$(uname -m)/module
if [ ! -d "$mods" ]; then
	not_ok dkms_leaves_out_lab_test_modules "no module folder $mods"
elif ls "$mods" | grep -q test; then
	not_ok dkms_leaves_out_lab_test_modules "$(ls "$mods")"
else
	ok dkms_leaves_out_lab_test_modules
fi
echo "1..$n"
exit $failed
