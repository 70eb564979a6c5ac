// SPDX-License-Identifier: GPL-2.0-only
/*
 * argo_test_sendv.ko: a lab test module, not for production. It fills a
 * ring of its own with self-sends and reports, unmodified, what the
 * sendv hypercall returned for the send that no longer fits, next to what
 * argo.ko's argo_sendv() returned for the same send. Xen 4.17 returns that
 * error as a large positive number on 64-bit (fixed by the project's
 * series); argo.ko must read -EAGAIN on both. Stays loaded on success so
 * busybox insmod does not run it twice; rmmod unregisters the ring.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <asm/xen/hypercall.h>

#include "argo.h"

static int domid;
module_param(domid, int, 0444);
MODULE_PARM_DESC(domid, "this domain's id (the ring is our own)");
static int port = 9100;
module_param(port, int, 0444);

static struct argo_ring *ring;

static int __init argo_test_sendv_init(void)
{
	static u8 payload[16] = "full ring probe";
	struct argo_xen_send_addr addr = {
		.src = { .aport = port, .domain_id = ARGO_DOMID_ANY },
		.dst = { .aport = port, .domain_id = domid },
	};
	struct argo_xen_iov iov = {
		.iov_hnd = (u64)(uintptr_t)payload, .iov_len = sizeof(payload),
	};
	struct argo_addr dst = { .domain = domid, .port = port };
	struct kvec kv = { .iov_base = payload, .iov_len = sizeof(payload) };
	unsigned long raw = 0;
	ssize_t core;
	int sent;

	/* 256 bytes hold seven 16-byte messages (32 bytes each with header). */
	ring = argo_ring_create(port, domid, 256, 0, NULL, NULL);
	if (IS_ERR(ring))
		return PTR_ERR(ring);
	for (sent = 0; sent < 64; sent++) {
		raw = xen_single_call(ARGO_HYPERCALL_NR, ARGO_OP_SENDV,
				      (unsigned long)&addr, (unsigned long)&iov,
				      1, 0);
		if (raw != sizeof(payload))
			break;
	}
	core = argo_sendv(port, &dst, &kv, 1, 0);
	pr_info("full ring after %d messages: raw sendv result %lu (%ld as long), argo_sendv() %zd\n",
		sent, raw, (long)raw, core);
	return 0;
}

static void __exit argo_test_sendv_exit(void)
{
	argo_ring_destroy(ring);
}

module_init(argo_test_sendv_init);
module_exit(argo_test_sendv_exit);
MODULE_DESCRIPTION("Lab test: raw sendv result for a full ring");
MODULE_LICENSE("GPL");
