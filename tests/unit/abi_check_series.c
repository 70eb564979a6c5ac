// SPDX-License-Identifier: MIT
/*
 * The driver's copy of the ABI the project's Xen series adds (feature
 * query, patch cables, sentinel destinations), checked against Xen's
 * public argo.h as patched by the series: abi_series.sh builds it with
 * Debian's /usr/include/xen plus the argo.h hunks of xen/patches.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/argo.h>

#include "xen_argo_abi.h"
#include <argo/argo-dev.h>

#define SAME_SIZE(ours, xens) \
	_Static_assert(sizeof(struct ours) == sizeof(xens), #ours " size")
#define SAME_FIELD(ours, xens, f, g) \
	_Static_assert(offsetof(struct ours, f) == offsetof(xens, g) && \
		       sizeof(((struct ours *)0)->f) == sizeof(((xens *)0)->g), \
		       #ours "." #f)

SAME_SIZE(argo_xen_cable, xen_argo_cable_t);
SAME_FIELD(argo_xen_cable, xen_argo_cable_t, src_port, src_port);
SAME_FIELD(argo_xen_cable, xen_argo_cable_t, dst_domain_id, dst_domain_id);
SAME_FIELD(argo_xen_cable, xen_argo_cable_t, flags, flags);
SAME_FIELD(argo_xen_cable, xen_argo_cable_t, dst_port, dst_port);
SAME_FIELD(argo_xen_cable, xen_argo_cable_t, pad, pad);
SAME_SIZE(argo_xen_cable_op, xen_argo_cable_op_t);
SAME_FIELD(argo_xen_cable_op, xen_argo_cable_op_t, cmd, cmd);
SAME_FIELD(argo_xen_cable_op, xen_argo_cable_op_t, domain_id, domain_id);
SAME_FIELD(argo_xen_cable_op, xen_argo_cable_op_t, pad, pad);
SAME_FIELD(argo_xen_cable_op, xen_argo_cable_op_t, nent, nent);
SAME_FIELD(argo_xen_cable_op, xen_argo_cable_op_t, pad2, pad2);
_Static_assert(offsetof(struct argo_xen_cable_op, ent) ==
	       offsetof(xen_argo_cable_op_t, ent), "cable_op.ent");
/* /dev/argo passes its cable through unchanged. */
_Static_assert(sizeof(struct argo_dev_cable) == sizeof(xen_argo_cable_t), "dev cable");
_Static_assert(offsetof(struct argo_dev_cable, dst_port) ==
	       offsetof(xen_argo_cable_t, dst_port), "dev cable dst_port");
_Static_assert(offsetof(struct argo_dev_cable, flags) ==
	       offsetof(xen_argo_cable_t, flags), "dev cable flags");

_Static_assert(ARGO_OP_GET_FEATURES == XEN_ARGO_OP_get_features, "op");
_Static_assert(ARGO_OP_CABLE == XEN_ARGO_OP_cable, "op");
_Static_assert(ARGO_DOMID_IMPLICIT == XEN_ARGO_DOMID_IMPLICIT, "implicit");
_Static_assert(ARGO_DOMID_UPSTREAM == XEN_ARGO_DOMID_UPSTREAM, "upstream");
_Static_assert(ARGO_MAX_CABLES == XEN_ARGO_MAX_CABLES, "max cables");
_Static_assert(ARGO_FEATURE_CABLES == XEN_ARGO_FEATURE_CABLES, "feature");
_Static_assert(ARGO_FEATURE_NOTIFY_HIDE == XEN_ARGO_FEATURE_NOTIFY_HIDE, "feature");
_Static_assert(ARGO_FEATURE_SUPPRESS == XEN_ARGO_FEATURE_SUPPRESS, "feature");
_Static_assert(ARGO_REGISTER_FLAG_SUPPRESS == XEN_ARGO_REGISTER_FLAG_SUPPRESS, "flag");
_Static_assert(ARGO_RX_SIGNAL_ON == XEN_ARGO_RX_SIGNAL_ON, "rx_signal on");
_Static_assert(ARGO_RX_SIGNAL_OFF == XEN_ARGO_RX_SIGNAL_OFF, "rx_signal off");
/* Signal suppression's header fields, in the reserved bytes (0020). */
SAME_SIZE(argo_xen_ring, xen_argo_ring_t);
SAME_FIELD(argo_xen_ring, xen_argo_ring_t, rx_signal, rx_signal);
SAME_FIELD(argo_xen_ring, xen_argo_ring_t, tx_waiting, tx_waiting);
SAME_FIELD(argo_xen_ring, xen_argo_ring_t, signals_saved, signals_saved);
SAME_FIELD(argo_xen_ring, xen_argo_ring_t, reserved, reserved);
/* The batch send (0021). */
_Static_assert(ARGO_OP_SENDV_BATCH == XEN_ARGO_OP_sendv_batch, "op");
_Static_assert(ARGO_FEATURE_SENDV_BATCH == XEN_ARGO_FEATURE_SENDV_BATCH, "feature");
_Static_assert(ARGO_MAX_SEND_BATCH == XEN_ARGO_MAX_SEND_BATCH, "max batch");
SAME_SIZE(argo_xen_send_ent, xen_argo_send_ent_t);
SAME_FIELD(argo_xen_send_ent, xen_argo_send_ent_t, addr, addr);
SAME_FIELD(argo_xen_send_ent, xen_argo_send_ent_t, iovs, iovs);
SAME_FIELD(argo_xen_send_ent, xen_argo_send_ent_t, message_type, message_type);
SAME_FIELD(argo_xen_send_ent, xen_argo_send_ent_t, niov, niov);
SAME_FIELD(argo_xen_send_ent, xen_argo_send_ent_t, pad, pad);
_Static_assert(sizeof(xen_argo_send_ent_t) == 32, "send_ent is 32 bytes");
_Static_assert(ARGO_CABLE_ADD == XEN_ARGO_CABLE_add, "cmd");
_Static_assert(ARGO_CABLE_DEL == XEN_ARGO_CABLE_del, "cmd");
_Static_assert(ARGO_CABLE_LIST == XEN_ARGO_CABLE_list, "cmd");
_Static_assert(ARGO_CABLE_F_DEAD == XEN_ARGO_CABLE_DEAD, "dead");
_Static_assert(ARGO_CPUID_SIGNATURE == XEN_ARGO_CPUID_SIGNATURE, "cpuid");
_Static_assert(ARGO_CPUID_VERSION == XEN_ARGO_CPUID_VERSION, "cpuid");
_Static_assert(ARGO_CPUID_NR_LEAVES == XEN_ARGO_CPUID_NR_LEAVES, "cpuid");
_Static_assert(ARGO_MECH_HYPERCALL == XEN_ARGO_MECH_HYPERCALL, "mechanism");
_Static_assert(ARGO_MECH_MSR == XEN_ARGO_MECH_MSR, "mechanism");
_Static_assert(ARGO_NOTIFY_HYPERVISOR == XEN_ARGO_NOTIFY_HYPERVISOR, "notify");
_Static_assert(ARGO_MSR_CALL == XEN_ARGO_MSR_CALL, "msr");
SAME_SIZE(argo_xen_hv_call, xen_argo_hv_call_t);
SAME_FIELD(argo_xen_hv_call, xen_argo_hv_call_t, op, op);
SAME_FIELD(argo_xen_hv_call, xen_argo_hv_call_t, flags, flags);
SAME_FIELD(argo_xen_hv_call, xen_argo_hv_call_t, arg, arg);
SAME_FIELD(argo_xen_hv_call, xen_argo_hv_call_t, result, result);
SAME_FIELD(argo_xen_hv_call, xen_argo_hv_call_t, reserved, reserved);
_Static_assert(sizeof(struct argo_xen_hv_call) == 64, "call block is 64 bytes");
/* Notification vectors (0025). */
_Static_assert(ARGO_OP_NOTIFY_VECTOR == XEN_ARGO_OP_notify_vector, "op");
_Static_assert(ARGO_FEATURE_NOTIFY_VECTOR == XEN_ARGO_FEATURE_NOTIFY_VECTOR, "feature");
_Static_assert(ARGO_NOTIFY_VECTOR == XEN_ARGO_NOTIFY_VECTOR, "notify");
_Static_assert(ARGO_NOTIFY_VECTOR_MIN == XEN_ARGO_NOTIFY_VECTOR_MIN, "vector");
SAME_SIZE(argo_xen_notify_vector, xen_argo_notify_vector_t);
SAME_FIELD(argo_xen_notify_vector, xen_argo_notify_vector_t, vcpu, vcpu);
SAME_FIELD(argo_xen_notify_vector, xen_argo_notify_vector_t, vector, vector);
SAME_FIELD(argo_xen_notify_vector, xen_argo_notify_vector_t, flags, flags);
SAME_FIELD(argo_xen_notify_vector, xen_argo_notify_vector_t, pad, pad);
SAME_FIELD(argo_xen_notify_vector, xen_argo_notify_vector_t, ring, ring);
_Static_assert(sizeof(struct argo_xen_notify_vector) == 16, "notify_vector is 16 bytes");
/* The sentinels sit in Xen's reserved range, clear of its own ids. */
_Static_assert(XEN_ARGO_DOMID_IMPLICIT >= DOMID_FIRST_RESERVED &&
	       XEN_ARGO_DOMID_IMPLICIT != DOMID_SELF && XEN_ARGO_DOMID_IMPLICIT != DOMID_IO &&
	       XEN_ARGO_DOMID_IMPLICIT != DOMID_XEN && XEN_ARGO_DOMID_IMPLICIT != DOMID_COW &&
	       XEN_ARGO_DOMID_IMPLICIT != DOMID_INVALID && XEN_ARGO_DOMID_IMPLICIT != DOMID_IDLE,
	       "implicit clashes");
_Static_assert(XEN_ARGO_DOMID_UPSTREAM >= DOMID_FIRST_RESERVED &&
	       XEN_ARGO_DOMID_UPSTREAM != DOMID_SELF && XEN_ARGO_DOMID_UPSTREAM != DOMID_IO &&
	       XEN_ARGO_DOMID_UPSTREAM != DOMID_XEN && XEN_ARGO_DOMID_UPSTREAM != DOMID_COW &&
	       XEN_ARGO_DOMID_UPSTREAM != DOMID_INVALID && XEN_ARGO_DOMID_UPSTREAM != DOMID_IDLE,
	       "upstream clashes");

int main(void)
{
	printf("ok 1 - series_abi_matches_patched_public_argo_h\n1..1\n");
	return 0;
}
