#!/bin/sh
# SPDX-License-Identifier: MIT
# lab/prof with no boot: the TCG plugin builds warning-free and exports
# what QEMU looks up; lab/prof/report splits a synthetic profile by area,
# names Xen's and the kernel's functions, and divides by the window's
# message count.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
fails=0
tap() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; printf '# %s\n' "$3"; fails=$((fails + 1)); fi; }

out=$(cc -std=c11 -O2 -shared -fPIC -Wall -Wextra -Werror -o "$T/tbprof.so" \
	"$TOP/lab/prof/tbprof.c" -lpthread 2>&1)
tap $? plugin_builds_without_warnings "$out"
syms=$(nm -D --defined-only "$T/tbprof.so" 2>&1)
echo "$syms" | grep -q ' T qemu_plugin_install$' && echo "$syms" | grep -q ' D qemu_plugin_version$'
tap $? plugin_exports_install_and_version "$syms"

# One boot's folder: 2 messages; Xen ran 10 x 4 instructions in sendv,
# the kernel 5 x 2 in a copy, user space 3 x 10.
b=$T/prof/boot
mkdir -p "$b"
printf 'kernel none\nvariant patched\n' > "$b/info"
printf 'ffff82d040200000 T sendv\nffff82d040200100 T other\n' > "$b/xen-syms.txt"
printf 'ffffffff81000000 T copy_to_user\nffffffff81000100 T later\n' | gzip | base64 -w 0 > "$b/ksyms.b64"
printf 'ffff82d040200010 4 10\nffffffff81000020 2 5\n401000 10 3\n' > "$b/argo256.txt"
echo 'argo256 2' > "$b/counts"
out=$(BUILD="$T" "$TOP/lab/prof/report" "$T/prof" 2>&1)
echo "$out" | grep -q '^boot argo256: 40 guest instructions per message (2 messages)$' &&
	echo "$out" | grep -Eq '^  xen +20 +50\.0 %$' &&
	echo "$out" | grep -Eq '^  user +15 +37\.5 %$' &&
	echo "$out" | grep -Eq '^  kernel +5 +12\.5 %$' &&
	echo "$out" | grep -Eq ' 20 +50\.0 %  xen:sendv$' &&
	echo "$out" | grep -Eq ' 5 +12\.5 %  kernel:copy_to_user$'
tap $? report_areas_names_and_per_message "$out"
out=$("$TOP/lab/prof/report" "$T/nowhere" 2>&1)
[ $? = 1 ] && echo "$out" | grep -q 'no such folder'
tap $? report_refuses_a_missing_folder "$out"

echo "1..$n"
[ "$fails" = 0 ]
