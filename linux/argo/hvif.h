/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Finding Argo through the hypervisor-agnostic interface's CPUID block
 * (docs/hv-interface.md section 1) and picking the call mechanism, shared
 * by argo.ko and the host unit tests (tests/unit/test_hvif.c). Pure logic:
 * the caller supplies the cpuid instruction, so the tests can feed it any
 * table a hypervisor might, hostile ones included.
 */
#ifndef ARGO_HVIF_H
#define ARGO_HVIF_H

#include "xen_argo_abi.h"

#ifndef __KERNEL__
#include <stdbool.h>
#endif

/* Where hypervisors put their blocks: 0x40000000 + 0x100 * i, i < 256. */
#define ARGO_HVIF_FIRST_LEAF	0x40000000U
#define ARGO_HVIF_STRIDE	0x100U
#define ARGO_HVIF_BLOCKS	256U

/* What the block says; base 0 when there is none. */
struct argo_hvif {
	u32 base;
	u32 version;
	u32 mechanisms;		/* ARGO_MECH_* the hypervisor offers */
	u32 msr_base;		/* 0 when the MSR mechanism is not offered */
	u32 features;		/* ARGO_FEATURE_* */
	u32 notify_kinds;
	u32 max_ring;
	u32 max_message;
	u32 max_iov;
};

enum argo_mech {
	ARGO_MECH_NONE,
	ARGO_MECH_HC,		/* the hypervisor's native call (Xen: hypercall 39) */
	ARGO_MECH_MSRCALL,	/* MSR calls, hv-interface.md section 3 */
};

/* cpuid(leaf) into regs[0..3] = EAX, EBX, ECX, EDX. */
typedef void (*argo_hvif_cpuid_fn)(u32 leaf, u32 regs[4], void *ctx);

/*
 * Scan for the first block with Argo's signature and read it. Returns 0
 * with *info filled (info->base 0: no block), or -EPROTO for a block
 * that names fewer leaves than 1.0 defines or a major version this
 * driver does not know; *why then says which.
 */
int argo_hvif_find(struct argo_hvif *info, argo_hvif_cpuid_fn cpuid,
		   void *ctx, const char **why);

/*
 * The mechanism to use: want is "auto" (the best offered), "hypercall"
 * or "msr" (argo.ko's mechanism= parameter); xen_hypercall says whether
 * the native call was found by the hypervisor's own discovery (Xen's
 * leaves), which counts as offered even without an Argo block. Returns
 * the mechanism, or ARGO_MECH_NONE with *why saying what was missing
 * (-EINVAL in *err for a want this driver does not know, -ENODEV else).
 */
enum argo_mech argo_hvif_pick(const struct argo_hvif *info, bool xen_hypercall,
			      const char *want, int *err, const char **why);

const char *argo_mech_name(enum argo_mech m);

#endif /* ARGO_HVIF_H */
