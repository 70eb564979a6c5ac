#!/bin/sh
# SPDX-License-Identifier: MIT
# Print a file that a patch of xen/patches/series creates, as the series
# leaves it: test_portcon builds Xen's own argo-portcon parser from it.
# Usage: xen-series-file.sh PATCHDIR PATH. The file is the new-file hunk of
# the patch that creates it, then each later patch's diff of that file
# applied in series order with no fuzz. Fails if no patch creates PATH.
set -eu
dir=$1 path=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
created=
while read -r p; do
	case "$p" in ''|'#'*) continue ;; esac
	grep -q "^+++ b/$path\$" "$dir/$p" || continue
	if [ -z "$created" ]; then
		grep -q "^--- /dev/null\$" "$dir/$p" || continue
		mkdir -p "$tmp/$(dirname "$path")"
		awk -v path="$path" '
			$0 == "--- /dev/null" { getline; want = ($0 == "+++ b/" path); next }
			want && /^@@ / { split($3, a, ","); left = a[2] + 0; next }
			want && left > 0 { sub(/^\+/, ""); print; left--; if (!left) want = 0 }
		' "$dir/$p" > "$tmp/$path"
		created=$p
		continue
	fi
	# Only this file's part of a later patch.
	awk -v path="$path" '
		/^diff --git / { want = ($0 == "diff --git a/" path " b/" path) }
		/^-- $/ { want = 0 }
		want
	' "$dir/$p" > "$tmp/part.diff"
	(cd "$tmp" && patch -s -p1 -F0 --no-backup-if-mismatch < part.diff) >&2 ||
		{ echo "$0: $p does not apply to $path" >&2; exit 1; }
done < "$dir/series"
[ -n "$created" ] || { echo "$0: no patch creates $path" >&2; exit 1; }
cat "$tmp/$path"
