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

# The kernels the modules are built and tested for, by series: 6.1 is
# Debian 12's (the host's headers), 6.12 Debian 13's (the headers in the
# build root that scripts/trixie-root makes).
KERNEL_SERIES="6.1 6.12"

# kernel_series [KVER]: 6.1 or 6.12 for a series or an ABI name (default:
# the host's, 6.1).
kernel_series() {
	case "${1:-6.1}" in
	6.1|6.1.*) echo 6.1 ;;
	6.12|6.12.*) echo 6.12 ;;
	*) die "unknown kernel '$1' (supported: $KERNEL_SERIES, or an ABI name of one)" ;;
	esac
}

# kernel_root [KVER]: where that kernel's headers and compiler live: the
# Debian 13 build root for 6.12 (made on first use), nothing (the host)
# for 6.1.
kernel_root() {
	[ "$(kernel_series "${1:-}")" = 6.12 ] || return 0
	echo "$("$TOP/scripts/trixie-root")/root"
}

# kernel_release [KVER]: the ABI name (e.g. 6.1.0-57-amd64) the lab boots
# and the modules build against for that series, read from the installed
# headers so image and headers always match.
kernel_release() {
	local r root
	root=$(kernel_root "${1:-}") || exit 1
	r=$(ls -d "$root"/usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n1)
	[ -n "$r" ] || die "no linux-headers-*-amd64 in ${root:-/}: run scripts/deps"
	echo "${r#"$root"/usr/src/linux-headers-}"
}

# in_root ROOT DIR CMD...: run CMD in the chroot ROOT with the host's DIR
# mounted at /mnt/argo, in a mount namespace of its own: the mount is seen
# by nobody else (worktrees share the root) and goes away with CMD.
in_root() {
	local root=$1 dir=$2
	shift 2
	mkdir -p "$root/mnt/argo"
	unshare -m --propagation private sh -c \
		'mount --bind "$1" "$2/mnt/argo" && shift 2 && exec chroot "$@"' \
		in_root "$dir" "$root" "$root" "$@"
}
