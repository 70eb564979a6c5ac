// SPDX-License-Identifier: GPL-2.0-only
/*
 * The CPUID probe and mechanism choice of hvif.h. Every value comes from
 * the hypervisor, which the driver trusts for its own calls, but a nested
 * or foreign hypervisor may show anything: a block is used only when its
 * shape is the one this driver knows.
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <string.h>
#endif

#include "hvif.h"

int argo_hvif_find(struct argo_hvif *info, argo_hvif_cpuid_fn cpuid,
		   void *ctx, const char **why)
{
	u32 r[4], base = 0, i;

	memset(info, 0, sizeof(*info));
	*why = "no CPUID block with the ArgoArgoArgo signature";
	for (i = 0; i < ARGO_HVIF_BLOCKS; i++) {
		u32 leaf = ARGO_HVIF_FIRST_LEAF + i * ARGO_HVIF_STRIDE;

		cpuid(leaf, r, ctx);
		if (r[1] == ARGO_CPUID_SIGNATURE && r[2] == ARGO_CPUID_SIGNATURE &&
		    r[3] == ARGO_CPUID_SIGNATURE) {
			base = leaf;
			break;
		}
	}
	if (!base)
		return 0;
	/* EAX is the largest leaf of the block: 1.0 defines B + 2. */
	if (r[0] < base + ARGO_CPUID_NR_LEAVES - 1 ||
	    r[0] >= base + ARGO_HVIF_STRIDE) {
		*why = "the Argo CPUID block names too few (or too many) leaves";
		return -EPROTO;
	}
	cpuid(base + 1, r, ctx);
	if ((r[0] >> 16) != (ARGO_CPUID_VERSION >> 16)) {
		*why = "the Argo CPUID block has a major version this driver does not know";
		return -EPROTO;
	}
	info->base = base;
	info->version = r[0];
	info->mechanisms = r[1];
	/* An MSR base of 0 cannot be one: treat it as not offered. */
	info->msr_base = (r[1] & ARGO_MECH_MSR) ? r[2] : 0;
	if (!info->msr_base)
		info->mechanisms &= ~ARGO_MECH_MSR;
	info->features = r[3];
	cpuid(base + 2, r, ctx);
	info->notify_kinds = r[0];
	info->max_ring = r[1];
	info->max_message = r[2];
	info->max_iov = r[3];
	*why = "found";
	return 0;
}

enum argo_mech argo_hvif_pick(const struct argo_hvif *info, bool xen_hypercall,
			      const char *want, int *err, const char **why)
{
	bool hc = xen_hypercall || (info->mechanisms & ARGO_MECH_HYPERCALL);
	bool msr = info->mechanisms & ARGO_MECH_MSR;

	*err = 0;
	*why = "";
	if (!want || !strcmp(want, "auto") || !strcmp(want, "")) {
		/* MSR calls first: they are what any hypervisor can offer. */
		if (msr)
			return ARGO_MECH_MSRCALL;
		if (hc)
			return ARGO_MECH_HC;
		*err = -ENODEV;
		*why = "the hypervisor offers no Argo mechanism this driver knows";
		return ARGO_MECH_NONE;
	}
	if (!strcmp(want, "msr")) {
		if (msr)
			return ARGO_MECH_MSRCALL;
		*err = -ENODEV;
		*why = info->base ? "mechanism=msr, but the Argo CPUID block offers no MSR"
				  : "mechanism=msr, but there is no Argo CPUID block";
		return ARGO_MECH_NONE;
	}
	if (!strcmp(want, "hypercall")) {
		if (hc)
			return ARGO_MECH_HC;
		*err = -ENODEV;
		*why = "mechanism=hypercall, but the hypervisor offers no hypercall";
		return ARGO_MECH_NONE;
	}
	*err = -EINVAL;
	*why = "mechanism= must be auto, hypercall or msr";
	return ARGO_MECH_NONE;
}

const char *argo_mech_name(enum argo_mech m)
{
	switch (m) {
	case ARGO_MECH_HC:
		return "hypercall";
	case ARGO_MECH_MSRCALL:
		return "msr";
	default:
		return "none";
	}
}
