// SPDX-License-Identifier: MIT
/*
 * Host tests for linux/argo/hvif.c: the CPUID scan argo.ko runs to find
 * Argo's hypervisor-agnostic interface, and its choice of mechanism. A
 * table stands in for cpuid: Xen's layouts (with and without Viridian),
 * no block, and blocks a confused or hostile hypervisor might show.
 */
#include <errno.h>
#include <string.h>

#include "hvif.h"
#include "tap.h"

#define SIG ARGO_CPUID_SIGNATURE
#define XEN_EBX 0x566e6558U	/* "XenV" */

struct leaf {
	u32 leaf, r[4];
};

struct table {
	const struct leaf *l;
	unsigned int n, calls;
};

static void fake_cpuid(u32 leaf, u32 regs[4], void *ctx)
{
	struct table *t = ctx;
	unsigned int i;

	t->calls++;
	memset(regs, 0, 4 * sizeof(u32));
	for (i = 0; i < t->n; i++)
		if (t->l[i].leaf == leaf)
			memcpy(regs, t->l[i].r, sizeof(t->l[i].r));
}

static int find(const struct leaf *l, unsigned int n, struct argo_hvif *info,
		const char **why)
{
	struct table t = { l, n, 0 };

	return argo_hvif_find(info, fake_cpuid, &t, why);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

int main(void)
{
	/* Xen's leaves at 0x40000000, Argo's after them, MSR offered (PVH). */
	static const struct leaf xen_pvh[] = {
		{ 0x40000000, { 0x40000005, XEN_EBX, 0x65584d4d, 0x4d4d566e } },
		{ 0x40000100, { 0x40000102, SIG, SIG, SIG } },
		{ 0x40000101, { 0x00010000, 3, 0x40000010, 3 } },
		{ 0x40000102, { 1, 0x1000000, 0xffffd0, 8 } },
	};
	/* Viridian at 0x40000000, Xen's at 0x40000100, Argo's at 0x40000200. */
	static const struct leaf viridian[] = {
		{ 0x40000000, { 0x40000006, 0x7263694d, 0x666f736f, 0x76482074 } },
		{ 0x40000100, { 0x40000105, XEN_EBX, 0x65584d4d, 0x4d4d566e } },
		{ 0x40000200, { 0x40000202, SIG, SIG, SIG } },
		{ 0x40000201, { 0x00010000, 3, 0x40000210, 3 } },
		{ 0x40000202, { 1, 0x1000000, 0xffffd0, 8 } },
	};
	/* A PV guest: the hypercall only. */
	static const struct leaf xen_pv[] = {
		{ 0x40000100, { 0x40000102, SIG, SIG, SIG } },
		{ 0x40000101, { 0x00010000, 1, 0, 3 } },
	};
	/* Hostile or confused shapes. */
	static const struct leaf msr_base_zero[] = {
		{ 0x40000100, { 0x40000102, SIG, SIG, SIG } },
		{ 0x40000101, { 0x00010000, 2, 0, 0 } },
	};
	static const struct leaf too_few[] = {
		{ 0x40000100, { 0x40000101, SIG, SIG, SIG } },
	};
	static const struct leaf too_many[] = {
		{ 0x40000100, { 0x40000300, SIG, SIG, SIG } },
	};
	static const struct leaf major2[] = {
		{ 0x40000100, { 0x40000102, SIG, SIG, SIG } },
		{ 0x40000101, { 0x00020000, 3, 0x40000010, 0 } },
	};
	static const struct leaf minor_later[] = {
		{ 0x40000100, { 0x40000105, SIG, SIG, SIG } },
		{ 0x40000101, { 0x00010007, 0xff, 0x40000010, 0xffffffff } },
	};
	static const struct leaf partial_sig[] = {
		{ 0x40000100, { 0x40000102, SIG, SIG, 0 } },
	};
	static const struct leaf last_block[] = {
		{ 0x4000ff00, { 0x4000ff02, SIG, SIG, SIG } },
		{ 0x4000ff01, { 0x00010000, 1, 0, 0 } },
	};
	struct argo_hvif info;
	const char *why;
	int err, ret;
	enum argo_mech m;
	struct table t = { NULL, 0, 0 };

	tap_plan(26);

	ret = find(xen_pvh, N(xen_pvh), &info, &why);
	TAP_CHECK("xen_pvh_block_found", ret == 0 && info.base == 0x40000100 &&
		  info.version == 0x00010000 && info.msr_base == 0x40000010 &&
		  info.mechanisms == 3 && info.features == 3 && info.max_iov == 8 &&
		  info.max_ring == 0x1000000 && info.max_message == 0xffffd0,
		  "ret %d base %#x msr %#x mech %#x", ret, info.base, info.msr_base,
		  info.mechanisms);
	m = argo_hvif_pick(&info, true, "auto", &err, &why);
	TAP_EQ("auto_prefers_msr", ARGO_MECH_MSRCALL, m);
	m = argo_hvif_pick(&info, true, NULL, &err, &why);
	TAP_EQ("no_parameter_is_auto", ARGO_MECH_MSRCALL, m);
	m = argo_hvif_pick(&info, true, "hypercall", &err, &why);
	TAP_EQ("forced_hypercall", ARGO_MECH_HC, m);
	m = argo_hvif_pick(&info, true, "msr", &err, &why);
	TAP_EQ("forced_msr", ARGO_MECH_MSRCALL, m);
	m = argo_hvif_pick(&info, true, "vmcall", &err, &why);
	TAP_CHECK("unknown_mechanism_refused", m == ARGO_MECH_NONE && err == -EINVAL &&
		  strstr(why, "auto, hypercall or msr"), "m %d err %d why %s", m, err, why);

	ret = find(viridian, N(viridian), &info, &why);
	TAP_CHECK("viridian_block_after_xen", ret == 0 && info.base == 0x40000200 &&
		  info.msr_base == 0x40000210, "ret %d base %#x msr %#x", ret, info.base,
		  info.msr_base);

	ret = find(xen_pv, N(xen_pv), &info, &why);
	TAP_CHECK("pv_block_hypercall_only", ret == 0 && info.base == 0x40000100 &&
		  info.mechanisms == ARGO_MECH_HYPERCALL && !info.msr_base,
		  "ret %d mech %#x", ret, info.mechanisms);
	m = argo_hvif_pick(&info, true, "auto", &err, &why);
	TAP_EQ("pv_auto_is_hypercall", ARGO_MECH_HC, m);
	m = argo_hvif_pick(&info, true, "msr", &err, &why);
	TAP_CHECK("pv_forced_msr_refused", m == ARGO_MECH_NONE && err == -ENODEV &&
		  strstr(why, "offers no MSR"), "m %d err %d why %s", m, err, why);

	ret = argo_hvif_find(&info, fake_cpuid, &t, &why);
	TAP_CHECK("no_block_scans_all_256", ret == 0 && info.base == 0 && t.calls == 256,
		  "ret %d base %#x calls %u", ret, info.base, t.calls);
	m = argo_hvif_pick(&info, true, "auto", &err, &why);
	TAP_EQ("no_block_xen_hypercall", ARGO_MECH_HC, m);
	m = argo_hvif_pick(&info, false, "auto", &err, &why);
	TAP_CHECK("no_block_no_xen_nothing", m == ARGO_MECH_NONE && err == -ENODEV,
		  "m %d err %d", m, err);
	m = argo_hvif_pick(&info, true, "msr", &err, &why);
	TAP_CHECK("no_block_forced_msr_says_no_block", m == ARGO_MECH_NONE &&
		  strstr(why, "no Argo CPUID block"), "m %d why %s", m, why);
	m = argo_hvif_pick(&info, false, "hypercall", &err, &why);
	TAP_CHECK("no_hypercall_forced_refused", m == ARGO_MECH_NONE && err == -ENODEV,
		  "m %d err %d", m, err);

	ret = find(msr_base_zero, N(msr_base_zero), &info, &why);
	TAP_CHECK("msr_base_zero_not_offered", ret == 0 && !(info.mechanisms & ARGO_MECH_MSR),
		  "ret %d mech %#x", ret, info.mechanisms);
	m = argo_hvif_pick(&info, false, "auto", &err, &why);
	TAP_CHECK("msr_base_zero_nothing_usable", m == ARGO_MECH_NONE && err == -ENODEV,
		  "m %d err %d", m, err);

	ret = find(too_few, N(too_few), &info, &why);
	TAP_CHECK("too_few_leaves_refused", ret == -EPROTO && info.base == 0 &&
		  strstr(why, "too few"), "ret %d base %#x", ret, info.base);
	ret = find(too_many, N(too_many), &info, &why);
	TAP_EQ("leaf_count_beyond_block_refused", -EPROTO, ret);
	ret = find(major2, N(major2), &info, &why);
	TAP_CHECK("unknown_major_refused", ret == -EPROTO && info.base == 0 &&
		  strstr(why, "major version"), "ret %d", ret);
	ret = find(minor_later, N(minor_later), &info, &why);
	TAP_CHECK("later_minor_accepted", ret == 0 && info.version == 0x00010007,
		  "ret %d version %#x", ret, info.version);
	m = argo_hvif_pick(&info, false, "auto", &err, &why);
	TAP_EQ("later_minor_unknown_bits_ignored", ARGO_MECH_MSRCALL, m);
	ret = find(partial_sig, N(partial_sig), &info, &why);
	TAP_CHECK("partial_signature_ignored", ret == 0 && info.base == 0,
		  "ret %d base %#x", ret, info.base);
	ret = find(last_block, N(last_block), &info, &why);
	TAP_CHECK("last_block_found", ret == 0 && info.base == 0x4000ff00,
		  "ret %d base %#x", ret, info.base);

	TAP_CHECK("mechanism_names", !strcmp(argo_mech_name(ARGO_MECH_MSRCALL), "msr") &&
		  !strcmp(argo_mech_name(ARGO_MECH_HC), "hypercall"), "%s", "names");
	TAP_CHECK("none_name", !strcmp(argo_mech_name(ARGO_MECH_NONE), "none"), "%s", "none");
	return tap_done();
}
