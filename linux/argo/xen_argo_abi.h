/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Argo hypercall ABI, as defined by Xen's public/argo.h. Linux 6.1 ships
 * no copy of it, so the driver defines it here; tests/unit/abi_check.c
 * compiles this file next to Debian's /usr/include/xen/argo.h and checks
 * that every size and offset agrees.
 *
 * Builds in the kernel and on the host (for the unit tests).
 */
#ifndef ARGO_XEN_ABI_H
#define ARGO_XEN_ABI_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;
#endif

/* Linux 6.1 names hypercall 39 xc_reserved_op: it is Argo's. */
#define ARGO_HYPERCALL_NR		39
#define ARGO_VIRQ			11	/* VIRQ_ARGO, a global VIRQ */

#define ARGO_OP_REGISTER_RING		1
#define ARGO_OP_UNREGISTER_RING		2
#define ARGO_OP_SENDV			3
#define ARGO_OP_NOTIFY			4
/*
 * The project's Xen series (patches 0011-): not in Debian's argo.h, so
 * abi_check.c checks these against the patched header instead. 5-8 are
 * left alone: OpenXT's Argo used them.
 */
#define ARGO_OP_GET_FEATURES		9
#define ARGO_OP_CABLE			10
#define ARGO_OP_NOTIFY_VECTOR		11	/* series 0025, HVM/PVH guests */
#define ARGO_OP_SENDV_BATCH		12	/* series 0021, 64-bit guests */

#define ARGO_DOMID_ANY			0x7FF4U	/* DOMID_INVALID */
#define ARGO_DOMID_IMPLICIT		0x7FF5U	/* the cable picks dst */
#define ARGO_DOMID_UPSTREAM		0x7FF6U	/* reserved: -ENXIO */
#define ARGO_MAX_RING_SIZE		0x1000000U
#define ARGO_MAXIOV			8U
#define ARGO_MSG_SLOT_SIZE		0x10U
#define ARGO_REGISTER_FLAG_FAIL_EXIST	0x1U
/* Signal suppression through the ring header; pristine Xen: -EINVAL. */
#define ARGO_REGISTER_FLAG_SUPPRESS	0x2U
#define ARGO_RX_SIGNAL_ON		0U
#define ARGO_RX_SIGNAL_OFF		1U
#define ARGO_MAX_RINGS			128U	/* per domain, argo.c */
#define ARGO_MAX_NOTIFY_COUNT		256U

#define ARGO_MAX_CABLES			64U	/* per domain */

/* ARGO_OP_GET_FEATURES result bits. */
#define ARGO_FEATURE_CABLES		(1U << 0)
#define ARGO_FEATURE_NOTIFY_HIDE	(1U << 1)
#define ARGO_FEATURE_SUPPRESS		(1U << 2)
#define ARGO_FEATURE_SENDV_BATCH	(1U << 3)
#define ARGO_FEATURE_NOTIFY_VECTOR	(1U << 4)

/* The most entries one ARGO_OP_SENDV_BATCH takes. */
#define ARGO_MAX_SEND_BATCH		64U

/* ARGO_OP_CABLE commands and list flags. */
#define ARGO_CABLE_ADD			0U
#define ARGO_CABLE_DEL			1U
#define ARGO_CABLE_LIST			2U
#define ARGO_CABLE_F_DEAD		(1U << 0)

/*
 * The hypervisor-agnostic interface (docs/hv-interface.md): a CPUID block
 * with this signature in EBX, ECX and EDX, and calls through an MSR.
 */
#define ARGO_CPUID_SIGNATURE		0x6f677241U	/* "Argo" */
#define ARGO_CPUID_VERSION		0x00010000U	/* 1.0 */
#define ARGO_CPUID_NR_LEAVES		3U
#define ARGO_MECH_HYPERCALL		(1U << 0)
#define ARGO_MECH_MSR			(1U << 1)
#define ARGO_NOTIFY_HYPERVISOR		(1U << 0)
#define ARGO_NOTIFY_VECTOR		(1U << 1)
#define ARGO_NOTIFY_VECTOR_MIN		0x20U
#define ARGO_MSR_CALL			0U	/* offset from the MSR base */

/* Flags Xen sets in argo_ring_data_ent.flags on notify. */
#define ARGO_RING_EXISTS		(1U << 0)
#define ARGO_RING_SHARED		(1U << 1)
#define ARGO_RING_EMPTY			(1U << 2)
#define ARGO_RING_SUFFICIENT		(1U << 3)
#define ARGO_RING_EMSGSIZE		(1U << 4)
#define ARGO_RING_EBUSY			(1U << 5)

struct argo_xen_iov {
	u64 iov_hnd;		/* guest virtual address */
	u32 iov_len;
	u32 pad;
};

struct argo_xen_addr {
	u32 aport;
	u16 domain_id;
	u16 pad;
};

struct argo_xen_send_addr {
	struct argo_xen_addr src;
	struct argo_xen_addr dst;
};

/* One message of ARGO_OP_SENDV_BATCH: sendv's arguments, 32 bytes. */
struct argo_xen_send_ent {
	struct argo_xen_send_addr addr;
	u64 iovs;		/* guest virtual address of niov argo_xen_iov */
	u32 message_type;
	u16 niov;
	u16 pad;
};

/* The 64-byte header at the start of every ring's memory. */
struct argo_xen_ring {
	u32 rx_ptr;		/* written by the receiver */
	u32 tx_ptr;		/* written by Xen */
	/* ARGO_REGISTER_FLAG_SUPPRESS rings only (Xen series 0020): */
	u32 rx_signal;		/* written by the receiver: ARGO_RX_SIGNAL_* */
	u32 tx_waiting;		/* written by Xen: 1 while a sender waits */
	u32 signals_saved;	/* written by Xen: VIRQs left out (wraps) */
	u8 reserved[44];
	u8 ring[];
};

struct argo_xen_register_ring {
	u32 aport;
	u16 partner_id;
	u16 pad;
	u32 len;
};

struct argo_xen_unregister_ring {
	u32 aport;
	u16 partner_id;
	u16 pad;
};

struct argo_xen_ring_data_ent {
	struct argo_xen_addr ring;
	u16 flags;
	u16 pad;
	u32 space_required;
	u32 max_message_size;
};

struct argo_xen_ring_data {
	u32 nent;
	u32 pad;
	struct argo_xen_ring_data_ent data[];
};

struct argo_xen_cable {
	u32 src_port;
	u16 dst_domain_id;
	u16 flags;
	u32 dst_port;
	u32 pad;
};

struct argo_xen_cable_op {
	u32 cmd;
	u16 domain_id;
	u16 pad;
	u32 nent;
	u32 pad2;
	struct argo_xen_cable ent[];
};

/* The MSR mechanism's call block: 64 bytes, 64-byte aligned. */
struct argo_xen_hv_call {
	u32 op;
	u32 flags;
	u64 arg[4];
	s64 result;
	u64 reserved[2];
};

/* XEN_ARGO_OP_notify_vector's argument: vector 0 (vcpu 0) clears. */
struct argo_xen_notify_vector {
	u32 vcpu;
	u8 vector;
	u8 flags;
	u16 pad;
	u64 ring;		/* reserved: a vector per ring, later */
};

struct argo_xen_msg_header {
	u32 len;		/* header + payload, not rounded */
	struct argo_xen_addr source;
	u32 message_type;
	u8 data[];
};

#endif /* ARGO_XEN_ABI_H */
