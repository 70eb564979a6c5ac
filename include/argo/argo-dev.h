/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * /dev/argo: the userspace ABI of argo_char.ko. One open file is one
 * endpoint: bind it to a port to receive, then read() whole messages;
 * send with ARGO_IOC_SEND. See docs/userspace-api.md.
 */
#ifndef _UAPI_ARGO_DEV_H
#define _UAPI_ARGO_DEV_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define ARGO_DEV_ABI_VERSION	4

/* Any sending domain (Xen's XEN_ARGO_DOMID_ANY). */
#define ARGO_DEV_DOMID_ANY	0x7FF4
/*
 * Send destinations that are not domains (docs/cables.md). IMPLICIT: the
 * patch cable of the sending endpoint's bound port picks the destination
 * (dst.port must be 0). UPSTREAM: the hypervisor above this one; reserved,
 * always fails with ENXIO.
 */
#define ARGO_DEV_DOMID_IMPLICIT	0x7FF5
#define ARGO_DEV_DOMID_UPSTREAM	0x7FF6
#define ARGO_DEV_RING_DEFAULT	(64 * 1024)

struct argo_dev_addr {
	__u32 port;
	__u16 domain;
	__u16 pad;		/* must be zero */
};

/* ARGO_IOC_BIND: register this endpoint's receive ring. */
struct argo_dev_bind {
	__u32 port;
	__u16 partner;		/* the one domain that may send, or DOMID_ANY */
	__u16 pad;		/* must be zero */
	__u32 ring_size;	/* 0 for ARGO_DEV_RING_DEFAULT; multiple of 16 */
	__u32 flags;		/* must be zero */
};

/* ARGO_IOC_SEND: one message; the source port is the bound port, or 0. */
struct argo_dev_send {
	struct argo_dev_addr dst;
	__u32 type;		/* message type, delivered unchanged */
	__u32 len;
	__u64 buf;		/* user pointer to len bytes */
};

/*
 * ARGO_IOC_SPACE: can dst take a message of len bytes now? Returns 1 (yes)
 * or 0 (not yet: poll/blocking write wake when it may); fails with
 * ECONNREFUSED (no ring for us there), EMSGSIZE (never fits) or EBUSY (too
 * many senders wait on that ring). Never sends anything.
 */
struct argo_dev_space {
	struct argo_dev_addr dst;
	__u32 len;
	__u32 max_len;		/* out: largest message dst can ever take */
};

/*
 * ARGO_IOC_CONNECT: the default destination for write(), and the message
 * size poll() reports POLLOUT for (0: any message, i.e. 1 byte).
 */
struct argo_dev_connect {
	struct argo_dev_addr dst;
	__u32 poll_len;
	__u32 pad;		/* must be zero */
};

/* ARGO_IOC_FEATURES: what the hypervisor offers (0 on a Xen without). */
#define ARGO_DEV_FEATURE_CABLES		(1U << 0)  /* cables, IMPLICIT */
#define ARGO_DEV_FEATURE_NOTIFY_HIDE	(1U << 1)  /* denied query: no ring */

/* One patch cable: a domain's src_port leads to dst_domain:dst_port. */
struct argo_dev_cable {
	__u32 src_port;
	__u16 dst_domain;
	__u16 flags;		/* in: must be zero; list out: ARGO_DEV_CABLE_* */
	__u32 dst_port;
	__u32 pad;		/* must be zero */
};

/* The destination domain died (or was replaced): sends fail with ESRCH. */
#define ARGO_DEV_CABLE_DEAD	(1U << 0)

/*
 * ARGO_IOC_CABLE: program a domain's cable table (a privileged domain
 * only; Xen decides). ADD: ents[0] (re-cabling a port replaces its
 * cable); DEL: ents[0].src_port, the rest zero; both take nent 1. LIST:
 * up to nent (at most ARGO_DEV_CABLES_MAX) entries into ents, and nent
 * becomes the number of cables the domain has.
 */
#define ARGO_DEV_CABLE_ADD	0
#define ARGO_DEV_CABLE_DEL	1
#define ARGO_DEV_CABLE_LIST	2
#define ARGO_DEV_CABLES_MAX	64	/* Xen's bound per domain */

struct argo_dev_cable_op {
	__u32 cmd;		/* ARGO_DEV_CABLE_* */
	__u16 domain;		/* whose table */
	__u16 pad;		/* must be zero */
	__u32 nent;		/* in/out, see above */
	__u32 pad2;		/* must be zero */
	__u64 ents;		/* user pointer to nent struct argo_dev_cable */
};

/* What read() returns first; the payload (len bytes) follows it. */
struct argo_dev_msg {
	struct argo_dev_addr src;
	__u32 type;
	__u32 len;
};

#define ARGO_IOC_MAGIC		0xA6
#define ARGO_IOC_VERSION	_IOR(ARGO_IOC_MAGIC, 0, __u32)
#define ARGO_IOC_BIND		_IOW(ARGO_IOC_MAGIC, 1, struct argo_dev_bind)
#define ARGO_IOC_SEND		_IOW(ARGO_IOC_MAGIC, 2, struct argo_dev_send)
#define ARGO_IOC_SPACE		_IOWR(ARGO_IOC_MAGIC, 3, struct argo_dev_space)
#define ARGO_IOC_CONNECT	_IOW(ARGO_IOC_MAGIC, 4, struct argo_dev_connect)
#define ARGO_IOC_FEATURES	_IOR(ARGO_IOC_MAGIC, 5, __u32)
#define ARGO_IOC_CABLE		_IOWR(ARGO_IOC_MAGIC, 6, struct argo_dev_cable_op)

#endif /* _UAPI_ARGO_DEV_H */
