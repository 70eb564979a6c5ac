# Shared helpers for the project's shell scripts (sourced, not run).
# SPDX-License-Identifier: MIT

TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
BUILD=${BUILD:-$TOP/build}

say()  { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die()  { say "error: $*"; exit 1; }

# hash_inputs FILE|DIR...: one content hash over files (name + bytes), so a
# cache key changes exactly when an input does.
hash_inputs() {
	local f
	for f in "$@"; do
		if [ -d "$f" ]; then
			find "$f" -type f ! -name '*.o' ! -name '.*' -print0 | sort -z |
				xargs -0 -r sha256sum
		elif [ -e "$f" ]; then
			sha256sum "$f"
		else
			echo "absent $f"
		fi
	done | sed "s#$TOP/##" | sha256sum | cut -c1-16
}

# The Debian kernel the lab boots and the modules build against. The ABI
# name is read from the installed headers so image and headers always match.
kernel_release() {
	local r
	r=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n1)
	[ -n "$r" ] || die "no linux-headers-*-amd64 installed: run scripts/deps"
	echo "${r#/usr/src/linux-headers-}"
}
