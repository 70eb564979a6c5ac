/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The mechanism under the Argo core: a small ops table so a different
 * transport for the same ABI (another hypervisor interface, a test double)
 * can be added without touching the core or its callers.
 *
 * A new Argo operation gets a member here and an implementation in each
 * table: hypercall.c passes kernel addresses, msrcall.c names the same
 * structures and buffers by guest-physical address (argo_msr_put() copies
 * a small structure next to the call block, argo_msr_split() turns a
 * buffer into physical pieces). Xen's call MSR hands any op number to the
 * hypercall's own dispatcher, so nothing changes on Xen's side for it.
 */
#ifndef ARGO_HYPERCALL_H
#define ARGO_HYPERCALL_H

#include "xen_argo_abi.h"

struct argo_hv_ops {
	const char *name;
	long (*register_ring)(struct argo_xen_register_ring *reg, u64 *gfns,
			      unsigned long npages, u32 flags);
	long (*unregister_ring)(struct argo_xen_unregister_ring *unreg);
	/* Returns bytes sent or a negative errno (see the Xen 4.17 note). */
	long (*sendv)(struct argo_xen_send_addr *addr, struct argo_xen_iov *iovs,
		      unsigned int niov, u32 type);
	long (*notify)(struct argo_xen_ring_data *data);
	/* Feature bits, or a negative errno (-EOPNOTSUPP: unknown op). */
	long (*get_features)(void);
	long (*cable)(struct argo_xen_cable_op *op);
	/*
	 * Messages sent (>= 1) or the first entry's error; like sendv's.
	 * Optional (NULL: the core sends one by one).
	 */
	long (*sendv_batch)(struct argo_xen_send_ent *ents, unsigned int count);
	/*
	 * sendv_batch with payload iovs that name the current task's user
	 * memory, which Xen then reads itself. NULL where the mechanism
	 * cannot: the MSR names guest-physical addresses.
	 */
	long (*sendv_batch_user)(struct argo_xen_send_ent *ents,
				 unsigned int count);
	/* Where Xen signals this domain (0 or a negative errno). */
	long (*notify_vector)(struct argo_xen_notify_vector *nv);
};

extern const struct argo_hv_ops argo_xen_hv_ops;

/* msrcall.c: the MSR mechanism of docs/hv-interface.md. */
extern const struct argo_hv_ops argo_msr_hv_ops;
int argo_msr_init(u32 msr, bool have_hypercall);
void argo_msr_exit(void);
void argo_msr_stats(u64 *calls, u64 *fallbacks);

#endif /* ARGO_HYPERCALL_H */
