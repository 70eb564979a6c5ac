// SPDX-License-Identifier: GPL-2.0-only
/*
 * argo_test_msr.ko: a lab test module, not for production. It writes
 * garbage to Argo's call MSR (docs/hv-interface.md section 3), bypassing
 * argo.ko, and prints what each write did, so a lab script can check that
 * a hostile guest gets #GP or an error result and the hypervisor lives:
 *
 *	insmod argo_test_msr.ko msr=0x40000010 dom=5 port=7000
 *
 * dom:port must be a ring that accepts this domain's messages (the
 * iov cases need a destination, or Xen refuses before it reads the iov).
 * Prints "argo_test_msr: NAME gp" or "argo_test_msr: NAME result N" per
 * case, then "argo_test_msr: done". Loads whatever happened; rmmod it.
 *
 * With bench=N it writes no garbage and times instead the call round trip
 * of the cheapest operation (get_features) through the MSR and through
 * the hypercall, N calls each, taking turns for `rounds` rounds:
 *
 *	insmod argo_test_msr.ko msr=0x40000010 bench=2000
 *
 * prints "argo_test_msr: bench_pair MSR_NS HC_NS" per round (nanoseconds
 * per call) and "argo_test_msr: bench done, N calls failed".
 *
 * With nv_hypercall=1 it makes one well-formed XEN_ARGO_OP_notify_vector
 * through the hypercall and prints "argo_test_msr: notify_vector_hc
 * result N" (a PV domain, without a local APIC, must get -95); msr is not
 * needed then.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/io.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <asm/msr.h>
#include <asm/xen/hypercall.h>

#include "xen_argo_abi.h"

static uint msr;
module_param(msr, uint, 0444);
MODULE_PARM_DESC(msr, "the call MSR (debugfs argo/mechanism: msr_base)");
static uint dom;
module_param(dom, uint, 0444);
MODULE_PARM_DESC(dom, "domain of a ring this domain may send to");
static uint port;
module_param(port, uint, 0444);
MODULE_PARM_DESC(port, "port of that ring");
static uint bench;
module_param(bench, uint, 0444);
MODULE_PARM_DESC(bench, "time this many calls per mechanism and round (0: test, no bench)");
static bool nv_hypercall;
module_param(nv_hypercall, bool, 0444);
MODULE_PARM_DESC(nv_hypercall, "only try notify_vector through the hypercall");
static uint rounds = 5;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "bench rounds");

/* Guest-physical addresses no guest RAM has: the local APIC, and far up. */
#define TEST_MMIO	0xfee00000ULL
#define TEST_NO_RAM	(1ULL << 45)

struct test_page {
	struct argo_xen_hv_call call;
	struct argo_xen_send_addr addr;
	struct argo_xen_register_ring reg;
	struct argo_xen_iov iov[ARGO_MAXIOV + 1];
	struct argo_xen_notify_vector nv;
	u8 payload[64];
};

static void test_fill(struct argo_xen_hv_call *c, u32 op, u64 a0, u64 a1,
		      u64 a2, u64 a3)
{
	memset(c, 0, sizeof(*c));
	c->op = op;
	c->arg[0] = a0;
	c->arg[1] = a1;
	c->arg[2] = a2;
	c->arg[3] = a3;
	c->result = S64_MIN;
}

/* Write pa to the MSR and report; the block is at blk (may be pa's). */
static void test_write(const char *name, u64 pa, struct argo_xen_hv_call *blk)
{
	if (wrmsr_safe(msr, lower_32_bits(pa), upper_32_bits(pa)))
		pr_info("%s gp%s\n", name,
			blk && blk->result != S64_MIN ? " (but the block was written)" : "");
	else if (blk && blk->result == S64_MIN)
		pr_info("%s swallowed\n", name);
	else
		pr_info("%s result %lld\n", name, blk ? blk->result : 0LL);
}

/* One notify_vector call through the MSR with the given fields. */
static void test_nv(struct test_page *t, const char *name, u32 vcpu, u8 vector,
		    u8 flags, u16 pad, u64 ring)
{
	t->nv.vcpu = vcpu;
	t->nv.vector = vector;
	t->nv.flags = flags;
	t->nv.pad = pad;
	t->nv.ring = ring;
	test_fill(&t->call, ARGO_OP_NOTIFY_VECTOR, virt_to_phys(&t->nv), 0, 0, 0);
	test_write(name, virt_to_phys(&t->call), &t->call);
}

/*
 * The two mechanisms take turns, round by round, so that each pair of
 * figures is measured under the same load (the lab's host is shared).
 * Both sides do what argo.ko's own calls do: the MSR side fills the block
 * for every call, the hypercall side passes its arguments in registers.
 */
static void test_bench(struct argo_xen_hv_call *c, u64 pa)
{
	unsigned long failed = 0;
	unsigned int r, i;
	u64 t0, t1, t2;

	for (r = 0; r < rounds; r++) {
		t0 = ktime_get_ns();
		for (i = 0; i < bench; i++) {
			test_fill(c, ARGO_OP_GET_FEATURES, 0, 0, 0, 0);
			if (wrmsr_safe(msr, lower_32_bits(pa), upper_32_bits(pa)) ||
			    c->result < 0)
				failed++;
		}
		t1 = ktime_get_ns();
		for (i = 0; i < bench; i++)
			if ((long)xen_single_call(ARGO_HYPERCALL_NR,
						  ARGO_OP_GET_FEATURES, 0, 0, 0, 0) < 0)
				failed++;
		t2 = ktime_get_ns();
		pr_info("bench_pair %llu %llu\n", div_u64(t1 - t0, bench),
			div_u64(t2 - t1, bench));
		cond_resched();
	}
	pr_info("bench done, %lu calls failed\n", failed);
}

static int __init argo_test_msr_init(void)
{
	struct test_page *t;
	struct argo_xen_hv_call *c;
	u64 pa, val;

	if (nv_hypercall) {
		struct argo_xen_notify_vector nv = { .vector = 0xf0 };

		pr_info("notify_vector_hc result %ld\n",
			(long)xen_single_call(ARGO_HYPERCALL_NR, ARGO_OP_NOTIFY_VECTOR,
					      (unsigned long)&nv, 0, 0, 0));
		return 0;
	}
	if (!msr)
		return -EINVAL;
	t = (struct test_page *)get_zeroed_page(GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	c = &t->call;
	pa = virt_to_phys(c);
	if (bench) {
		test_bench(c, pa);
		free_page((unsigned long)t);
		return 0;
	}

	/* The MSR reads as 0; the next one does not exist. */
	pr_info("read %s %llu\n", rdmsrl_safe(msr, &val) ? "gp" : "value",
		rdmsrl_safe(msr, &val) ? 0ULL : val);
	pr_info("read_next %s\n", rdmsrl_safe(msr + 1, &val) ? "gp" : "value");
	pr_info("write_next %s\n", wrmsr_safe(msr + 1, 0, 0) ? "gp" : "ok");

	/* The block itself unusable: #GP, nothing done. */
	test_fill(c, ARGO_OP_GET_FEATURES, 0, 0, 0, 0);
	test_write("block_misaligned", pa + 8, c);
	test_write("block_mmio", TEST_MMIO, NULL);
	test_write("block_no_ram", TEST_NO_RAM, NULL);
	test_fill(c, ARGO_OP_GET_FEATURES, 0, 0, 0, 0);
	c->flags = 1;
	test_write("block_flags", pa, c);
	test_fill(c, ARGO_OP_GET_FEATURES, 0, 0, 0, 0);
	c->reserved[1] = 1;
	test_write("block_reserved", pa, c);

	/* A usable block with garbage in it: an error result. */
	test_fill(c, ARGO_OP_GET_FEATURES, 0, 0, 0, 0);
	test_write("get_features", pa, c);
	test_fill(c, 0x7fff, 0, 0, 0, 0);
	test_write("op_unknown", pa, c);
	test_fill(c, ARGO_OP_GET_FEATURES, 0, 0, 1ULL << 32, 0);
	test_write("arg_over_32_bits", pa, c);

	t->addr.src.aport = 0;
	t->addr.src.domain_id = ARGO_DOMID_ANY;
	t->addr.dst.aport = port;
	t->addr.dst.domain_id = dom;
	t->iov[0].iov_hnd = virt_to_phys(t->payload);
	t->iov[0].iov_len = sizeof(t->payload);
	test_fill(c, ARGO_OP_SENDV, TEST_NO_RAM, virt_to_phys(t->iov), 1, 0);
	test_write("sendv_addr_no_ram", pa, c);
	test_fill(c, ARGO_OP_SENDV, TEST_MMIO, virt_to_phys(t->iov), 1, 0);
	test_write("sendv_addr_mmio", pa, c);
	test_fill(c, ARGO_OP_SENDV, virt_to_phys(&t->addr), TEST_NO_RAM, 1, 0);
	test_write("sendv_iovs_no_ram", pa, c);
	test_fill(c, ARGO_OP_SENDV, virt_to_phys(&t->addr), virt_to_phys(t->iov),
		  ARGO_MAXIOV + 1, 0);
	test_write("sendv_niov_9", pa, c);
	t->iov[0].iov_hnd = TEST_MMIO;
	test_fill(c, ARGO_OP_SENDV, virt_to_phys(&t->addr), virt_to_phys(t->iov), 1, 0);
	test_write("sendv_buffer_mmio", pa, c);
	t->iov[0].iov_hnd = TEST_NO_RAM;
	test_fill(c, ARGO_OP_SENDV, virt_to_phys(&t->addr), virt_to_phys(t->iov), 1, 0);
	test_write("sendv_buffer_no_ram", pa, c);
	/* The same send, well formed: it arrives (the script checks). */
	t->iov[0].iov_hnd = virt_to_phys(t->payload);
	memset(t->payload, 0xa5, sizeof(t->payload));
	test_fill(c, ARGO_OP_SENDV, virt_to_phys(&t->addr), virt_to_phys(t->iov), 1, 9);
	test_write("sendv_good", pa, c);

	test_fill(c, ARGO_OP_NOTIFY, TEST_MMIO, 0, 0, 0);
	test_write("notify_mmio", pa, c);
	/* A well-formed one-page ring whose frame list is not RAM. */
	t->reg.aport = port + 1;
	t->reg.partner_id = ARGO_DOMID_ANY;
	t->reg.len = PAGE_SIZE - sizeof(struct argo_xen_ring);
	test_fill(c, ARGO_OP_REGISTER_RING, virt_to_phys(&t->reg), TEST_NO_RAM, 1, 0);
	test_write("register_frames_no_ram", pa, c);

	/*
	 * notify_vector with one field wrong at a time: each refused, and
	 * argo.ko's own vector (if any) left as it was. A well-formed call
	 * would move argo.ko's signals, so none is made here.
	 */
	test_nv(t, "nv_vector_1f", 0, 0x1f, 0, 0, 0);
	test_nv(t, "nv_vector_10", 0, 0x10, 0, 0, 0);
	test_nv(t, "nv_flags", 0, 0x40, 1, 0, 0);
	test_nv(t, "nv_pad", 0, 0x40, 0, 1, 0);
	test_nv(t, "nv_ring", 0, 0x40, 0, 0, 1);
	test_nv(t, "nv_vcpu_4096", 4096, 0x40, 0, 0, 0);
	test_nv(t, "nv_vcpu_huge", 0x80000000U, 0x40, 0, 0, 0);
	test_nv(t, "nv_clear_vcpu_1", 1, 0, 0, 0, 0);
	test_fill(c, ARGO_OP_NOTIFY_VECTOR, virt_to_phys(&t->nv), 1, 0, 0);
	test_write("nv_arg2", pa, c);
	test_fill(c, ARGO_OP_NOTIFY_VECTOR, virt_to_phys(&t->nv), 0, 0, 1);
	test_write("nv_arg4", pa, c);
	test_fill(c, ARGO_OP_NOTIFY_VECTOR, TEST_MMIO, 0, 0, 0);
	test_write("nv_mmio", pa, c);
	pr_info("done\n");
	free_page((unsigned long)t);
	return 0;
}

static void __exit argo_test_msr_exit(void)
{
}

module_init(argo_test_msr_init);
module_exit(argo_test_msr_exit);
MODULE_DESCRIPTION("Lab test: garbage through Argo's call MSR");
MODULE_LICENSE("GPL");
