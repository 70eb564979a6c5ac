#!/bin/sh
# SPDX-License-Identifier: MIT
# Print a file that one patch of xen/patches/series creates, as the series
# leaves it: test_portcon builds Xen's own argo-portcon parser from it.
# Usage: xen-series-file.sh PATCHDIR PATH. Fails if no patch or more than
# one patch touches PATH (then the file is not simply the new-file hunk).
set -eu
dir=$1 path=$2
n=0 found=
while read -r p; do
	case "$p" in ''|'#'*) continue ;; esac
	if grep -q "^+++ b/$path\$\|^--- a/$path\$" "$dir/$p"; then
		n=$((n + 1)) found=$dir/$p
	fi
done < "$dir/series"
[ "$n" = 1 ] || { echo "$0: $n patches touch $path, expected 1" >&2; exit 1; }
awk -v path="$path" '
	$0 == "--- /dev/null" { getline; want = ($0 == "+++ b/" path); next }
	want && /^@@ / { split($3, a, ","); left = a[2] + 0; next }
	want && left > 0 { sub(/^\+/, ""); print; left--; if (!left) want = 0 }
' "$found"
