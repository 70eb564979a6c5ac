#!/bin/sh
# SPDX-License-Identifier: MIT
# libargo as installed: the shared library exports exactly libargo.map's
# symbols, has its soname, and a program builds from pkg-config's flags
# against a DESTDIR install (PKG_CONFIG_SYSROOT_DIR), shared and static.
# The Makefile installs first: ROOT (the DESTDIR), PREFIX, MAP, OUT.
set -u
: "${ROOT:?}" "${PREFIX:?}" "${MAP:?}" "${OUT:?}" "${CC:=cc}"
HERE=$(cd "$(dirname "$0")" && pwd)
LIB=$ROOT$PREFIX/lib
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
check() { # name, then a command: ok if it succeeds
	name=$1; shift
	if out=$("$@" 2>&1); then ok "$name"; else notok "$name" "$*" "$out"; fi
}
mkdir -p "$OUT"

# The map's global names, and what the library defines dynamically.
want=$(sed -e 's|/\*.*\*/||g' "$MAP" | tr -s ' \t;{}' '\n' |
	awk '/^global:/ { g = 1; next } /^local:/ || /^LIBARGO_/ { g = 0 } g && NF' | sort)
have=$(nm -D --defined-only "$LIB/libargo.so.0" | awk '$2 != "A" { print $3 }' |
	sed 's/@.*//' | sort)
if [ -n "$want" ] && [ "$want" = "$have" ]; then
	ok "exports_exactly_the_map ($(echo "$want" | wc -l) symbols)"
else
	notok "exports_exactly_the_map" "want: $(echo $want)" "have: $(echo $have)"
fi
unversioned=$(nm -D --defined-only "$LIB/libargo.so.0" |
	awk '$2 != "A" && $3 !~ /@@LIBARGO_0\.[123]$/ { print $3 }')
if [ -z "$unversioned" ]; then ok "every_export_versioned_LIBARGO_0.1_to_0.3"
else notok "every_export_versioned_LIBARGO_0.1_to_0.3" "$(echo $unversioned)"; fi
# The cable calls came in 0.2; nothing of 0.1 moved.
late=$(nm -D --defined-only "$LIB/libargo.so.0" | awk '$3 ~ /@@LIBARGO_0\.2$/ { sub(/@.*/, "", $3); print $3 }' | sort | tr '\n' ' ')
if [ "$late" = "argo_cable_add argo_cable_del argo_cable_list argo_features " ]; then ok "cable_calls_in_LIBARGO_0.2"
else notok "cable_calls_in_LIBARGO_0.2" "got '$late'"; fi
batch=$(nm -D --defined-only "$LIB/libargo.so.0" | awk '$3 ~ /@@LIBARGO_0\.3$/ { sub(/@.*/, "", $3); print $3 }' | sort | tr '\n' ' ')
if [ "$batch" = "argo_msg_next argo_recv_many argo_send_many argo_stats " ]; then ok "batch_calls_in_LIBARGO_0.3"
else notok "batch_calls_in_LIBARGO_0.3" "got '$batch'"; fi
soname=$(readelf -d "$LIB/libargo.so.0" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
if [ "$soname" = libargo.so.0 ]; then ok "soname_libargo.so.0"
else notok "soname_libargo.so.0" "got '$soname'"; fi
check "header_alone_c11_pedantic" $CC -std=c11 -Wall -Wextra -Werror -Wpedantic \
	-fsyntax-only -include "$ROOT$PREFIX/include/libargo.h" -x c /dev/null
if command -v c++ >/dev/null; then
	check "header_alone_cxx" c++ -Wall -Wextra -Werror -fsyntax-only \
		-include "$ROOT$PREFIX/include/libargo.h" -x c++ /dev/null
else
	skip "header_alone_cxx" "no C++ compiler"
fi

if ! command -v pkg-config >/dev/null; then
	for t in pkg_config_flags link_shared linked_to_soname run_shared link_static run_static; do
		skip "$t" "pkg-config not installed (Debian: pkgconf)"
	done
	echo "1..$n"
	exit $failed
fi
# Only the DESTDIR install, as a cross or staged build sees it.
flags=$(PKG_CONFIG_SYSROOT_DIR=$ROOT PKG_CONFIG_LIBDIR=$LIB/pkgconfig \
	PKG_CONFIG_PATH= pkg-config --cflags --libs libargo 2>&1)
case " $flags " in
*" -I$ROOT$PREFIX/include -L$LIB -largo "*) ok "pkg_config_flags ($flags)" ;;
*) notok "pkg_config_flags" "got '$flags'" ;;
esac
# shellcheck disable=SC2086 # flags are words
check "link_shared" $CC -std=c11 -Wall -Wextra -Werror -o "$OUT/libargo_link" \
	"$HERE/libargo_link.c" $flags
check "linked_to_soname" sh -c \
	'readelf -d "$1" | grep -q "NEEDED.*\[libargo\.so\.0\]"' sh "$OUT/libargo_link"
check "run_shared" env LD_LIBRARY_PATH="$LIB" "$OUT/libargo_link"
check "link_static" $CC -std=c11 -Wall -Wextra -Werror -static \
	-o "$OUT/libargo_link_static" "$HERE/libargo_link.c" $flags
check "run_static" "$OUT/libargo_link_static"
echo "1..$n"
exit $failed
