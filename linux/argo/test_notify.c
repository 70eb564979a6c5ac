// SPDX-License-Identifier: GPL-2.0-only
/*
 * argo_test_notify.ko: a lab test module, not for production. It asks Xen
 * about several rings in ONE notify call (argo.ko only ever asks about
 * one) and prints the call's result and each entry's flags, so a lab
 * script can check that a ring the policy denies is answered as "no such
 * ring" without costing the other answers (xen/patches 0014). Loads on
 * success whatever Xen answered; rmmod it after reading dmesg.
 *
 *	insmod argo_test_notify.ko doms=1,1,0 ports=5000,5001,81
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <asm/xen/hypercall.h>

#include "argo.h"

#define TEST_MAX_ENTS 8

static int doms[TEST_MAX_ENTS];
static int ndoms;
module_param_array(doms, int, &ndoms, 0444);
MODULE_PARM_DESC(doms, "destination domain of each entry");
static uint ports[TEST_MAX_ENTS];
static int nports;
module_param_array(ports, uint, &nports, 0444);
MODULE_PARM_DESC(ports, "destination port of each entry");

static int __init argo_test_notify_init(void)
{
	struct argo_xen_ring_data *rd;
	long ret;
	int i;

	if (!ndoms || ndoms != nports) {
		pr_err("doms and ports must name the same number (1-%d) of entries\n",
		       TEST_MAX_ENTS);
		return -EINVAL;
	}
	for (i = 0; i < ndoms; i++)
		if (doms[i] < 0 || doms[i] > 0x7FEF)
			return -EINVAL;
	rd = kzalloc(struct_size(rd, data, ndoms), GFP_KERNEL);
	if (!rd)
		return -ENOMEM;
	rd->nent = ndoms;
	for (i = 0; i < ndoms; i++) {
		rd->data[i].ring.domain_id = doms[i];
		rd->data[i].ring.aport = ports[i];
		/* A marker Xen must leave alone where it finds no ring. */
		rd->data[i].max_message_size = 0x5a5a;
	}
	ret = xen_single_call(ARGO_HYPERCALL_NR, ARGO_OP_NOTIFY,
			      (unsigned long)rd, 0, 0, 0);
	pr_info("result %ld\n", ret);
	for (i = 0; i < ndoms; i++)
		pr_info("entry %d:%u flags 0x%x exists %d\n", doms[i], ports[i],
			rd->data[i].flags,
			!!(rd->data[i].flags & ARGO_RING_EXISTS));
	kfree(rd);
	return 0;
}

static void __exit argo_test_notify_exit(void)
{
}

module_init(argo_test_notify_init);
module_exit(argo_test_notify_exit);
MODULE_DESCRIPTION("Lab test: one notify call about several rings");
MODULE_LICENSE("GPL");
