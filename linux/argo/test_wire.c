// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build check of the virtio-argo wire codec, never loaded. The codec
 * (virtio_argo_wire.c) is host-tested and fuzzed as userspace C, but the
 * transport module will link the very same file, so `make check` builds it
 * here as kernel code for both kernels with -Werror. When virtio_argo.ko
 * links it, this module goes.
 */
#include <linux/module.h>

MODULE_DESCRIPTION("Build check of the virtio-argo wire codec (lab only)");
MODULE_LICENSE("GPL");
