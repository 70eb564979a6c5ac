#!/usr/bin/env bash
# The virtio-argo wire codec (linux/argo/virtio_argo_wire.c) must build in
# the kernel too, with the kernel's own warnings as errors, since the
# transport module links the very file the host tests exercise. Builds it
# into a throwaway module under build/ against Debian's headers.
# SPDX-License-Identifier: MIT
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/lib.sh"
kr=$(kernel_release)
dir=${BUILD:-$top/build}/unit/wire-kbuild
rm -rf "$dir" && mkdir -p "$dir"
ln -s "$top/linux/argo/virtio_argo_wire.c" "$dir/virtio_argo_wire.c"
cat > "$dir/stub.c" <<'C'
// SPDX-License-Identifier: GPL-2.0-only
#include <linux/module.h>
MODULE_LICENSE("GPL");
C
cat > "$dir/Kbuild" <<K
obj-m := va_wire_check.o
va_wire_check-y := virtio_argo_wire.o stub.o
ccflags-y += -I$top/include -Werror
K
if out=$(make -C "/usr/src/linux-headers-$kr" M="$dir" modules 2>&1) && [ -f "$dir/va_wire_check.ko" ]; then
	echo "ok 1 - wire_codec_builds_in_kernel_$kr"
	echo "1..1"
else
	echo "not ok 1 - wire_codec_builds_in_kernel_$kr"
	printf '%s\n' "$out" | tail -20 | sed 's/^/# /'
	echo "1..1"
	exit 1
fi
