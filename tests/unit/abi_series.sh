#!/usr/bin/env bash
# Build abi_check_series.c against Debian's Xen headers with the argo.h
# hunks of xen/patches applied (no fuzz), so the driver's copy of the
# series' ABI is held to the header the series really ships.
# SPDX-License-Identifier: MIT
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../..
out=${OUT:?}/abi-series
rm -rf "$out" && mkdir -p "$out/inc/xen"
cp -r /usr/include/xen/. "$out/inc/xen/"
# Every patch's diff of xen/include/public/argo.h, in series order.
for p in $(grep -v '^#' "$top/xen/patches/series"); do
	awk '/^diff --git / { keep = ($3 == "a/xen/include/public/argo.h") } keep' \
		"$top/xen/patches/$p"
done > "$out/argo-h.diff"
if ! (cd "$out/inc/xen" && patch -s -p4 -F0 < "$out/argo-h.diff") > "$out/patch.log" 2>&1; then
	echo "not ok 1 - series_argo_h_hunks_apply_to_debian_header"
	sed 's/^/# /' "$out/patch.log"; echo "1..1"; exit 1
fi
if ! ${CC:-cc} -std=c11 -Wall -Wextra -Werror -I"$out/inc" -I"$top/linux/argo" \
	-I"$top/include" -o "$out/abi_check_series" "$here/abi_check_series.c" > "$out/cc.log" 2>&1; then
	echo "not ok 1 - series_abi_matches_patched_public_argo_h"
	sed 's/^/# /' "$out/cc.log"; echo "1..1"; exit 1
fi
exec "$out/abi_check_series"
