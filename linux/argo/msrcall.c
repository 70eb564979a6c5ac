// SPDX-License-Identifier: GPL-2.0-only
/*
 * Argo's operations through the MSR mechanism of the hypervisor-agnostic
 * interface (docs/hv-interface.md section 3): each call fills this CPU's
 * 64-byte call block and writes its guest-physical address to the call
 * MSR; the hypervisor runs the call before the wrmsr retires.
 *
 * Every address the hypervisor sees is guest-physical, so what a caller
 * hands in by kernel virtual address is either copied into this CPU's
 * scratch page, next to the call block (the small structures: send
 * address, iov array, ring data, cable list), or translated page by page
 * (message buffers, which may be vmalloc'ed). A buffer that needs more
 * physically contiguous pieces than a sendv takes goes through the
 * hypercall instead, when there is one, and is counted. A batch sends as
 * many entries as the scratch page holds.
 *
 * Calls come from any context, hard IRQ included, so the block and
 * scratch page are used with interrupts off on this CPU: no lock, and an
 * interrupt's call cannot overwrite a block being filled.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/io.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <asm/msr.h>

#include "hypercall.h"

/* One page per CPU: the call block, then what the call names. */
struct argo_msr_area {
	struct argo_xen_hv_call call;
	u8 scratch[PAGE_SIZE - sizeof(struct argo_xen_hv_call)];
};

static DEFINE_PER_CPU(struct argo_msr_area *, argo_msr_area);
static u32 argo_msr;
static bool argo_msr_have_hypercall;
static atomic64_t argo_msr_calls, argo_msr_fallbacks;

/* Bump allocator over the scratch page, for one call. */
struct argo_msr_scratch {
	struct argo_msr_area *a;
	size_t used;
};

/* Copy len bytes into scratch; their guest address, or 0 if no room. */
static u64 argo_msr_put(struct argo_msr_scratch *s, const void *p, size_t len,
			void **copy)
{
	size_t off = ALIGN(s->used, 16);
	void *dst;

	if (off > sizeof(s->a->scratch) || len > sizeof(s->a->scratch) - off)
		return 0;
	dst = s->a->scratch + off;
	memcpy(dst, p, len);
	s->used = off + len;
	if (copy)
		*copy = dst;
	return virt_to_phys(dst);
}

/* Make the call in s->a's block; interrupts are off. */
static long argo_msr_call(struct argo_msr_area *a, u32 op, u64 a0, u64 a1,
			  u64 a2, u64 a3)
{
	struct argo_xen_hv_call *c = &a->call;
	u64 pa = virt_to_phys(c);

	c->op = op;
	c->flags = 0;
	c->arg[0] = a0;
	c->arg[1] = a1;
	c->arg[2] = a2;
	c->arg[3] = a3;
	c->reserved[0] = 0;
	c->reserved[1] = 0;
	/* Still S64_MIN afterwards: the write never reached a hypervisor. */
	WRITE_ONCE(c->result, S64_MIN);
	atomic64_inc(&argo_msr_calls);
	/* #GP: the hypervisor refused the block itself. */
	if (wrmsr_safe(argo_msr, lower_32_bits(pa), upper_32_bits(pa)))
		return -EIO;
	if (READ_ONCE(c->result) == S64_MIN)
		return -ENOSYS;
	return READ_ONCE(c->result);
}

static struct argo_msr_scratch argo_msr_begin(unsigned long *flags)
{
	struct argo_msr_scratch s = { };

	local_irq_save(*flags);
	s.a = this_cpu_read(argo_msr_area);
	return s;
}

/*
 * Split [p, p + len) into physically contiguous pieces, appended to iovs
 * from *n on. False when more than ARGO_MAXIOV pieces would be needed.
 */
static bool argo_msr_split(const void *p, u32 len, struct argo_xen_iov *iovs,
			   unsigned int *n)
{
	const u8 *v = p;

	if (!len || virt_addr_valid(v)) {
		/* The direct map is physically contiguous. */
		if (*n >= ARGO_MAXIOV)
			return false;
		iovs[*n].iov_hnd = len ? virt_to_phys((void *)v) : 0;
		iovs[*n].iov_len = len;
		iovs[*n].pad = 0;
		(*n)++;
		return true;
	}
	while (len) {
		u32 chunk = min_t(u32, len, PAGE_SIZE - offset_in_page(v));
		struct page *pg = vmalloc_to_page(v);
		u64 pa;

		if (!pg)
			return false;
		pa = page_to_phys(pg) + offset_in_page(v);
		if (*n && iovs[*n - 1].iov_hnd + iovs[*n - 1].iov_len == pa) {
			iovs[*n - 1].iov_len += chunk;
		} else {
			if (*n >= ARGO_MAXIOV)
				return false;
			iovs[*n].iov_hnd = pa;
			iovs[*n].iov_len = chunk;
			iovs[*n].pad = 0;
			(*n)++;
		}
		v += chunk;
		len -= chunk;
	}
	return true;
}

static long argo_msr_register_ring(struct argo_xen_register_ring *reg,
				   u64 *gfns, unsigned long npages, u32 flags)
{
	struct argo_msr_scratch s;
	unsigned long irqf;
	u64 *frames;
	u64 reg_pa;
	long ret;

	/* Up to 4097 frames: a physically contiguous copy (process context). */
	frames = kmalloc_array(npages ? npages : 1, sizeof(*frames), GFP_KERNEL);
	if (!frames)
		return -ENOMEM;
	memcpy(frames, gfns, npages * sizeof(*frames));
	s = argo_msr_begin(&irqf);
	reg_pa = argo_msr_put(&s, reg, sizeof(*reg), NULL);
	ret = argo_msr_call(s.a, ARGO_OP_REGISTER_RING, reg_pa,
			    virt_to_phys(frames), npages, flags);
	local_irq_restore(irqf);
	kfree(frames);
	return ret;
}

/* A call whose only argument is one small structure, copied to scratch. */
static long argo_msr_call_one(u32 op, const void *p, size_t len)
{
	struct argo_msr_scratch s;
	unsigned long irqf;
	long ret;

	s = argo_msr_begin(&irqf);
	ret = argo_msr_call(s.a, op, argo_msr_put(&s, p, len, NULL), 0, 0, 0);
	local_irq_restore(irqf);
	return ret;
}

static long argo_msr_unregister_ring(struct argo_xen_unregister_ring *unreg)
{
	return argo_msr_call_one(ARGO_OP_UNREGISTER_RING, unreg, sizeof(*unreg));
}

static long argo_msr_sendv(struct argo_xen_send_addr *addr,
			   struct argo_xen_iov *iovs, unsigned int niov,
			   u32 type)
{
	struct argo_xen_iov piov[ARGO_MAXIOV];
	struct argo_msr_scratch s;
	unsigned int i, n = 0;
	unsigned long irqf;
	u64 addr_pa, iov_pa;
	long ret;

	if (niov > ARGO_MAXIOV)
		return -EINVAL;
	for (i = 0; i < niov; i++) {
		if (!argo_msr_split((const void *)(uintptr_t)iovs[i].iov_hnd,
				    iovs[i].iov_len, piov, &n)) {
			atomic64_inc(&argo_msr_fallbacks);
			if (argo_msr_have_hypercall)
				return argo_xen_hv_ops.sendv(addr, iovs, niov, type);
			return -EMSGSIZE;
		}
	}
	s = argo_msr_begin(&irqf);
	addr_pa = argo_msr_put(&s, addr, sizeof(*addr), NULL);
	iov_pa = argo_msr_put(&s, piov, n * sizeof(piov[0]), NULL);
	ret = argo_msr_call(s.a, ARGO_OP_SENDV, addr_pa, n ? iov_pa : 0, n, type);
	local_irq_restore(irqf);
	/* As for the hypercall: a 32-bit result, read as signed. */
	return (long)(s32)(u32)ret;
}

/*
 * A batch (Xen series 0021) through the MSR: the entries, each with its
 * iovs split into physically contiguous pieces, copied into the scratch
 * page. As many entries as fit go in one call: a short count is the batch
 * op's own "send the rest in a new call", so the core's loop carries on.
 * A first entry that cannot go this way (more pieces than a sendv takes)
 * goes alone, as argo_msr_sendv() sends it.
 */
static long argo_msr_sendv_batch(struct argo_xen_send_ent *ents,
				 unsigned int count)
{
	struct argo_xen_iov piov[ARGO_MAXIOV];
	struct argo_xen_send_ent *pents;
	struct argo_msr_scratch s;
	unsigned int i, j, n;
	unsigned long irqf;
	u64 ents_pa, iov_pa;
	long ret;

	if (!count || count > ARGO_MAX_SEND_BATCH)
		return -EINVAL;
	s = argo_msr_begin(&irqf);
	/* The entries first, contiguous; their iovs after them. */
	ents_pa = argo_msr_put(&s, ents, count * sizeof(*ents), (void **)&pents);
	for (i = 0; ents_pa && i < count; i++) {
		const struct argo_xen_iov *iovs =
			(const struct argo_xen_iov *)(uintptr_t)ents[i].iovs;

		if (ents[i].niov > ARGO_MAXIOV)
			break;
		n = 0;
		for (j = 0; j < ents[i].niov; j++)
			if (!argo_msr_split((const void *)(uintptr_t)iovs[j].iov_hnd,
					    iovs[j].iov_len, piov, &n))
				break;
		if (j < ents[i].niov)
			break;
		iov_pa = n ? argo_msr_put(&s, piov, n * sizeof(piov[0]), NULL) : 0;
		if (n && !iov_pa)
			break;
		pents[i].iovs = iov_pa;
		pents[i].niov = n;
	}
	if (!i) {
		local_irq_restore(irqf);
		ret = argo_msr_sendv(&ents[0].addr,
				     (struct argo_xen_iov *)(uintptr_t)ents[0].iovs,
				     ents[0].niov, ents[0].message_type);
		return ret < 0 ? ret : 1;
	}
	ret = argo_msr_call(s.a, ARGO_OP_SENDV_BATCH, ents_pa, 0, i, 0);
	local_irq_restore(irqf);
	return ret;
}

static long argo_msr_notify(struct argo_xen_ring_data *data)
{
	struct argo_msr_scratch s;
	unsigned long irqf;
	size_t len;
	void *copy;
	u64 pa = 0;
	long ret;

	len = data ? struct_size(data, data, data->nent) : 0;
	s = argo_msr_begin(&irqf);
	if (data) {
		pa = argo_msr_put(&s, data, len, &copy);
		if (!pa) {
			local_irq_restore(irqf);
			atomic64_inc(&argo_msr_fallbacks);
			return argo_msr_have_hypercall ? argo_xen_hv_ops.notify(data)
						       : -E2BIG;
		}
	}
	ret = argo_msr_call(s.a, ARGO_OP_NOTIFY, pa, 0, 0, 0);
	/* Xen answers in the entries: hand them back. */
	if (data && !ret)
		memcpy(data, copy, len);
	local_irq_restore(irqf);
	return ret;
}

static long argo_msr_get_features(void)
{
	struct argo_msr_scratch s;
	unsigned long irqf;
	long ret;

	s = argo_msr_begin(&irqf);
	ret = argo_msr_call(s.a, ARGO_OP_GET_FEATURES, 0, 0, 0, 0);
	local_irq_restore(irqf);
	return ret;
}

static long argo_msr_cable(struct argo_xen_cable_op *op)
{
	struct argo_msr_scratch s;
	unsigned long irqf;
	size_t len;
	void *copy;
	u64 pa;
	long ret;

	if (op->nent > ARGO_MAX_CABLES)
		return -EINVAL;
	len = struct_size(op, ent, op->nent);
	s = argo_msr_begin(&irqf);
	pa = argo_msr_put(&s, op, len, &copy);
	ret = pa ? argo_msr_call(s.a, ARGO_OP_CABLE, pa, 0, 0, 0) : -E2BIG;
	if (!ret)
		memcpy(op, copy, len);
	local_irq_restore(irqf);
	return ret;
}

static long argo_msr_notify_vector(struct argo_xen_notify_vector *nv)
{
	return argo_msr_call_one(ARGO_OP_NOTIFY_VECTOR, nv, sizeof(*nv));
}

const struct argo_hv_ops argo_msr_hv_ops = {
	.name = "msr",
	.register_ring = argo_msr_register_ring,
	.unregister_ring = argo_msr_unregister_ring,
	.sendv = argo_msr_sendv,
	.notify = argo_msr_notify,
	.get_features = argo_msr_get_features,
	.cable = argo_msr_cable,
	.sendv_batch = argo_msr_sendv_batch,
	.notify_vector = argo_msr_notify_vector,
};

void argo_msr_stats(u64 *calls, u64 *fallbacks)
{
	*calls = atomic64_read(&argo_msr_calls);
	*fallbacks = atomic64_read(&argo_msr_fallbacks);
}

void argo_msr_exit(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		free_page((unsigned long)per_cpu(argo_msr_area, cpu));
		per_cpu(argo_msr_area, cpu) = NULL;
	}
}

/*
 * Set up the call MSR at msr and check that a call really reaches the
 * hypervisor (get_features: harmless). have_hypercall says whether
 * argo_xen_hv_ops may carry what the MSR cannot.
 */
int argo_msr_init(u32 msr, bool have_hypercall)
{
	unsigned int cpu;
	u64 val;
	long ret;

	BUILD_BUG_ON(sizeof(struct argo_xen_hv_call) != 64);
	BUILD_BUG_ON(sizeof(struct argo_msr_area) != PAGE_SIZE);
	/* The spec: the call MSR reads as 0; #GP means it is not there. */
	ret = rdmsrl_safe(msr, &val);
	if (ret || val) {
		pr_warn("call MSR %#x is not there (read: %s %#llx)\n", msr,
			ret ? "#GP" : "value", ret ? 0 : val);
		return -ENODEV;
	}
	for_each_possible_cpu(cpu) {
		unsigned long page = get_zeroed_page(GFP_KERNEL);

		if (!page) {
			argo_msr_exit();
			return -ENOMEM;
		}
		per_cpu(argo_msr_area, cpu) = (struct argo_msr_area *)page;
	}
	argo_msr = msr;
	argo_msr_have_hypercall = have_hypercall;
	ret = argo_msr_get_features();
	if (ret == -EIO || ret == -ENOSYS) {
		pr_warn("a call through MSR %#x %s\n", msr, ret == -EIO ?
			"raised #GP" : "never reached the hypervisor");
		argo_msr_exit();
		return -ENODEV;
	}
	return 0;
}
