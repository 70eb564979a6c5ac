#!/usr/bin/env bash
# scripts/deb-src-entries over made-up /etc/apt trees: the deb-src entries
# follow the machine's own Debian sources (mirror, suites, components,
# keys) in both formats, and leave alone what is not Debian's, disabled,
# or already has a deb-src entry.
# SPDX-License-Identifier: MIT
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
gen=$here/../../scripts/deb-src-entries
n=0 failed=0
check() { # check NAME EXPECTED GOT
	n=$((n + 1))
	if [ "$2" = "$3" ]; then echo "ok $n - $1"; else
		failed=1; echo "not ok $n - $1"
		printf 'expected:\n%s\ngot:\n%s\n' "$2" "$3" | sed 's/^/# /'
	fi
}
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
tree() { # tree: a fresh /etc/apt under $root
	rm -rf "$root/etc"
	mkdir -p "$root/etc/apt/sources.list.d"
	echo VERSION_CODENAME=bookworm > "$root/etc/os-release"
}
run() { APT_ROOT=$root "$gen" "$@"; }

tree
cat > "$root/etc/apt/sources.list" <<'SRC'
# a local mirror, one-line format, with options and a comment
deb [arch=amd64 signed-by=/etc/apt/keyrings/local.gpg] http://mirror.lan/debian/ bookworm main contrib # LAN
deb http://mirror.lan/debian-security bookworm-security main
deb cdrom:[Debian 12]/ bookworm main
deb http://ppa.example.org/stuff focal main
SRC
check one_line_sources_keep_mirror_suite_components_and_key \
"Types: deb-src
URIs: http://mirror.lan/debian/
Suites: bookworm
Components: main contrib
Signed-By: /etc/apt/keyrings/local.gpg

Types: deb-src
URIs: http://mirror.lan/debian-security
Suites: bookworm-security
Components: main" "$(run)"

tree
cat > "$root/etc/apt/sources.list.d/debian.sources" <<'SRC'
Types: deb
# a comment inside the stanza
URIs: http://proxy.lan:3142/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://proxy.lan:3142/debian
Suites: bookworm-backports
Components: main
Enabled: no

Types: deb deb-src
URIs: http://proxy.lan:3142/debian-security
Suites: bookworm-security
Components: main
Trusted: yes
SRC
check deb822_sources_one_entry_per_suite_skipping_disabled_and_existing \
"Types: deb-src
URIs: http://proxy.lan:3142/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://proxy.lan:3142/debian
Suites: bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg" "$(run)"

# Our own file is ignored when named, else it counts as existing entries.
run > "$root/etc/apt/sources.list.d/ours.sources"
check own_file_skipped_regenerates_the_same \
	"$(cat "$root/etc/apt/sources.list.d/ours.sources")" \
	"$(run "$root/etc/apt/sources.list.d/ours.sources")"
check own_file_not_skipped_nothing_more_to_add "" "$(run)"

tree
echo 'deb http://deb.debian.org/debian bookworm main' > "$root/etc/apt/sources.list.d/a.list"
echo 'deb http://deb.debian.org/debian/ bookworm main' > "$root/etc/apt/sources.list.d/b.list"
echo 'deb-src http://deb.debian.org/debian bookworm-updates main' >> "$root/etc/apt/sources.list.d/b.list"
check duplicates_once_and_existing_deb_src_respected \
"Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main" "$(run)"

tree
check no_sources_nothing_printed "" "$(run)"

echo "1..$n"
exit $failed
