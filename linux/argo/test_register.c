// SPDX-License-Identifier: GPL-2.0-only
/*
 * argo_test_register.ko: a lab test module, not for production. It probes
 * Xen's ring registration through the raw hypercall (argo.ko never
 * re-registers with FAIL_EXIST clear, nor asks for a 16 MiB ring) and logs:
 *
 *   maxring: 16 MiB ring R16, largest ring below it R
 *   rereg: initial R0, 130 re-registrations: N ok, first error E at I, new ring R
 *   failed-rereg: bad re-registration B, 130 cycles: N registered, first error E at cycle C
 *
 * The first line shows whether the documented maximum ring size can be
 * registered; the second whether re-registering one ring uses up the
 * domain's 128 ring slots; the third (run after it) whether a failed
 * re-registration gives its slot back. Run it in a domain whose ring slots
 * may be used up: on unpatched Xen they stay used up.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <xen/page.h>
#include <asm/xen/hypercall.h>

#include "xen_argo_abi.h"

static int partner;
module_param(partner, int, 0444);
MODULE_PARM_DESC(partner, "partner domain of the single-source test rings");

#define TEST_RING_LEN	4032	/* ring + 64-byte header fill one page */
#define TEST_ROUNDS	130	/* more than the 128 rings a domain may have */
/* A frame no domain owns: registering it must fail. */
#define TEST_BAD_GFN	0x7ffffffff0ULL

static unsigned long pages[2];

static long test_register(u32 port, u64 gfn)
{
	struct argo_xen_register_ring reg = {
		.aport = port, .partner_id = partner, .len = TEST_RING_LEN,
	};

	return xen_single_call(ARGO_HYPERCALL_NR, ARGO_OP_REGISTER_RING,
			       (unsigned long)&reg, (unsigned long)&gfn, 1, 0);
}

static long test_unregister(u32 port)
{
	struct argo_xen_unregister_ring unreg = {
		.aport = port, .partner_id = partner,
	};

	return xen_single_call(ARGO_HYPERCALL_NR, ARGO_OP_UNREGISTER_RING,
			       (unsigned long)&unreg, 0, 0, 0);
}

static void test_max_ring(void)
{
	/* 16 MiB of ring plus its 64-byte header need 4097 pages. */
	unsigned int i, npages = ARGO_MAX_RING_SIZE / PAGE_SIZE + 1;
	long r16 = -ENOMEM, rbelow = -ENOMEM;
	struct argo_xen_register_ring reg = {
		.aport = 9320, .partner_id = partner,
	};
	u8 *mem = vzalloc(npages * PAGE_SIZE);
	u64 *gfns = kcalloc(npages, sizeof(*gfns), GFP_KERNEL);

	if (!mem || !gfns)
		goto out;
	for (i = 0; i < npages; i++)
		gfns[i] = xen_page_to_gfn(vmalloc_to_page(mem + i * PAGE_SIZE));
	reg.len = ARGO_MAX_RING_SIZE;
	r16 = xen_single_call(ARGO_HYPERCALL_NR, ARGO_OP_REGISTER_RING,
			      (unsigned long)&reg, (unsigned long)gfns, npages, 0);
	if (!r16)
		test_unregister(9320);
	reg.len = ARGO_MAX_RING_SIZE - sizeof(struct argo_xen_ring);
	rbelow = xen_single_call(ARGO_HYPERCALL_NR, ARGO_OP_REGISTER_RING,
				 (unsigned long)&reg, (unsigned long)gfns,
				 npages - 1, 0);
	if (!rbelow)
		test_unregister(9320);
out:
	pr_info("maxring: 16 MiB ring %ld, largest ring below it %ld\n", r16, rbelow);
	kfree(gfns);
	vfree(mem);
}

static void test_reregistration(u64 gfn0, u64 gfn1)
{
	long r0, r, err = 0, newr;
	int i, ok = 0, at = 0;

	r0 = test_register(9300, gfn0);
	for (i = 1; i <= TEST_ROUNDS; i++) {
		r = test_register(9300, gfn0);
		if (!r)
			ok++;
		else if (!err) {
			err = r;
			at = i;
		}
	}
	newr = test_register(9301, gfn1);
	pr_info("rereg: initial %ld, %d re-registrations: %d ok, first error %ld at %d, new ring %ld\n",
		r0, TEST_ROUNDS, ok, err, at, newr);
	test_unregister(9301);
	test_unregister(9300);
}

static void test_failed_reregistration(u64 gfn0)
{
	long r, bad = 0, err = 0;
	int i, registered = 0, at = 0;

	for (i = 1; i <= TEST_ROUNDS; i++) {
		r = test_register(9310, gfn0);
		if (r) {
			err = r;
			at = i;
			break;
		}
		registered++;
		/* Releases the ring's page, then fails on the bad frame. */
		bad = test_register(9310, TEST_BAD_GFN);
		if (!bad) {
			test_unregister(9310);
			break;
		}
	}
	pr_info("failed-rereg: bad re-registration %ld, %d cycles: %d registered, first error %ld at cycle %d\n",
		bad, TEST_ROUNDS, registered, err, at);
	test_unregister(9310);
}

static int __init argo_test_register_init(void)
{
	pages[0] = get_zeroed_page(GFP_KERNEL);
	pages[1] = get_zeroed_page(GFP_KERNEL);
	if (!pages[0] || !pages[1]) {
		free_page(pages[0]);
		free_page(pages[1]);
		return -ENOMEM;
	}
	test_max_ring();
	test_reregistration(xen_page_to_gfn(virt_to_page(pages[0])),
			    xen_page_to_gfn(virt_to_page(pages[1])));
	test_failed_reregistration(xen_page_to_gfn(virt_to_page(pages[0])));
	return 0;
}

static void __exit argo_test_register_exit(void)
{
	/* Every ring was unregistered in init: Xen holds no reference. */
	free_page(pages[0]);
	free_page(pages[1]);
}

module_init(argo_test_register_init);
module_exit(argo_test_register_exit);
MODULE_DESCRIPTION("Lab test: Xen's accounting of Argo ring re-registration");
MODULE_LICENSE("GPL");
