// SPDX-License-Identifier: GPL-2.0-only
/*
 * Argo's operations as Xen hypercalls. Every argument is a virtual
 * address, which Xen copies through the caller's page tables: kernel
 * buffers, except the payloads of sendv_batch_user, which are the calling
 * task's own (/dev/argo's batches, sent without a bounce copy).
 */
#include <linux/kernel.h>
#include <xen/xen.h>
#include <asm/xen/hypercall.h>

#include "hypercall.h"

static long argo_xen_op(unsigned int op, void *arg1, void *arg2,
			unsigned long arg3, unsigned long arg4)
{
	return xen_single_call(ARGO_HYPERCALL_NR, op, (unsigned long)arg1,
			       (unsigned long)arg2, arg3, arg4);
}

static long argo_xen_register_ring(struct argo_xen_register_ring *reg,
				   u64 *gfns, unsigned long npages, u32 flags)
{
	return argo_xen_op(ARGO_OP_REGISTER_RING, reg, gfns, npages, flags);
}

static long argo_xen_unregister_ring(struct argo_xen_unregister_ring *unreg)
{
	return argo_xen_op(ARGO_OP_UNREGISTER_RING, unreg, NULL, 0, 0);
}

static long argo_xen_sendv(struct argo_xen_send_addr *addr,
			   struct argo_xen_iov *iovs, unsigned int niov,
			   u32 type)
{
	long ret = argo_xen_op(ARGO_OP_SENDV, addr, iovs, niov, type);

	/*
	 * Xen 4.17 returns sendv's errors through an unsigned int, so on
	 * 64-bit -EAGAIN arrives as 4294967285. Its successful results never
	 * exceed 2^31 (messages are < 16 MiB), so the low 32 bits read as a
	 * signed value are right on both unpatched and fixed hypervisors.
	 */
	return (long)(s32)(u32)ret;
}

static long argo_xen_notify(struct argo_xen_ring_data *data)
{
	return argo_xen_op(ARGO_OP_NOTIFY, data, NULL, 0, 0);
}

static long argo_xen_get_features(void)
{
	return argo_xen_op(ARGO_OP_GET_FEATURES, NULL, NULL, 0, 0);
}

static long argo_xen_cable(struct argo_xen_cable_op *op)
{
	return argo_xen_op(ARGO_OP_CABLE, op, NULL, 0, 0);
}

static long argo_xen_sendv_batch(struct argo_xen_send_ent *ents,
				 unsigned int count)
{
	/* A count (<= 64) or a negative errno: already right as a long. */
	return argo_xen_op(ARGO_OP_SENDV_BATCH, ents, NULL, count, 0);
}

/*
 * Only the payloads are user memory; the entries and iovs are the
 * kernel's. Xen reads them as a supervisor access, which a CPU enforcing
 * SMAP (an HVM or PVH guest's) would refuse: argo_sendv_batch_user() does
 * not come here then.
 */
static long argo_xen_sendv_batch_user(struct argo_xen_send_ent *ents,
				      unsigned int count)
{
	return argo_xen_op(ARGO_OP_SENDV_BATCH, ents, NULL, count, 0);
}

static long argo_xen_notify_vector(struct argo_xen_notify_vector *nv)
{
	return argo_xen_op(ARGO_OP_NOTIFY_VECTOR, nv, NULL, 0, 0);
}

const struct argo_hv_ops argo_xen_hv_ops = {
	.name = "hypercall",
	.register_ring = argo_xen_register_ring,
	.unregister_ring = argo_xen_unregister_ring,
	.sendv = argo_xen_sendv,
	.notify = argo_xen_notify,
	.get_features = argo_xen_get_features,
	.cable = argo_xen_cable,
	.sendv_batch = argo_xen_sendv_batch,
	.sendv_batch_user = argo_xen_sendv_batch_user,
	.notify_vector = argo_xen_notify_vector,
};
