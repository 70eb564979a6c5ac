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

/*
 * 5 added ARGO_IOC_STATS, ARGO_IOC_RECV_MANY and ARGO_IOC_SEND_MANY; every
 * call of version 4 is unchanged, so a program written for 4 works on 5.
 */
#define ARGO_DEV_ABI_VERSION	5

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
#define ARGO_DEV_FEATURE_SUPPRESS	(1U << 2)  /* signal suppression (argo.ko uses it) */
#define ARGO_DEV_FEATURE_SENDV_BATCH	(1U << 3)  /* batch sendv (SEND_MANY uses it) */
#define ARGO_DEV_FEATURE_NOTIFY_VECTOR	(1U << 4)  /* signals on a vector (argo.ko uses it) */

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

/* The most messages one ARGO_IOC_RECV_MANY or ARGO_IOC_SEND_MANY moves. */
#define ARGO_DEV_BATCH_MAX	1024
/* ARGO_IOC_RECV_MANY starts each message at a multiple of this offset. */
#define ARGO_DEV_MSG_ALIGN	8

/*
 * ARGO_IOC_RECV_MANY: take up to max_msgs whole messages in one call and
 * notify Xen once. Each message is a struct argo_dev_msg followed by its
 * payload, at offsets rounded up to ARGO_DEV_MSG_ALIGN from the start of
 * buf; the bytes between are left as they were. Waits for the first
 * message unless the file is O_NONBLOCK (then EAGAIN), never for more.
 * Returns the number of messages (also in count; bytes: the offset just
 * past the last payload). A first message larger than buf fails with
 * EMSGSIZE; a later one ends the batch. Nothing is lost either way: what
 * does not fit stays queued. EINVAL: flags or pad not zero, max_msgs 0
 * or above ARGO_DEV_BATCH_MAX.
 */
struct argo_dev_recv_many {
	__u64 buf;		/* user pointer to len bytes */
	__u32 len;
	__u32 max_msgs;		/* 1..ARGO_DEV_BATCH_MAX */
	__u32 flags;		/* must be zero */
	__u32 count;		/* out: messages taken */
	__u32 bytes;		/* out: bytes of buf used */
	__u32 pad;		/* must be zero */
};

/*
 * ARGO_IOC_SEND_MANY: send count messages, each described as for
 * ARGO_IOC_SEND, in order, in one call. Every entry is checked before
 * anything is sent: a bad one (pad not zero, len above 16 MiB, an
 * IMPLICIT destination with a port) fails the whole call with EINVAL or
 * EMSGSIZE, error_index naming it, and sends nothing. Then, blocking, each
 * message waits until it fits; O_NONBLOCK, the batch stops at the first
 * that does not, and nothing after it is sent. Where Xen has
 * ARGO_DEV_FEATURE_SENDV_BATCH, up to 64 messages go in one hypercall.
 * Returns the number sent (also in sent) when at least one
 * was; the error that stopped the batch early, if any, is in error (a
 * positive errno) and the entry in error_index; with none sent, the call
 * fails with that error.
 */
struct argo_dev_send_many {
	__u64 msgs;		/* user pointer to count struct argo_dev_send */
	__u32 count;		/* 1..ARGO_DEV_BATCH_MAX */
	__u32 flags;		/* must be zero */
	__u32 sent;		/* out: messages sent */
	__u32 error;		/* out: errno that stopped the batch, or 0 */
	__u32 error_index;	/* out: the entry error concerns */
	__u32 pad;		/* must be zero */
};

/*
 * ARGO_IOC_STATS: counters that tell where a message's cost goes. They
 * only grow; compare two snapshots. Domain-wide figures count every
 * endpoint and kernel consumer of this domain's argo.ko.
 */
struct argo_dev_stats {
	/* This domain: hypercalls by kind, and signals (VIRQ_ARGO or the vector). */
	__u64 hc_sendv;		/* sendv or sendv_batch (once a batch), any result */
	__u64 hc_sendv_eagain;	/* of those, refused: ring full */
	__u64 hc_notify;	/* notify after receiving */
	__u64 hc_notify_query;	/* notify with a space query */
	__u64 virqs;
	/* This endpoint's ring (zero while unbound). */
	__u64 ring_msgs_received;
	__u64 ring_notifies;	/* notify hypercalls after receiving */
	__u64 ring_rx_calls;	/* VIRQs that found data in the ring */
	/* This endpoint: system calls by kind. */
	__u64 sys_read;
	__u64 sys_write;
	__u64 sys_send;		/* ARGO_IOC_SEND */
	__u64 sys_send_many;
	__u64 sys_recv_many;
	__u64 sys_poll;
	__u64 sys_space;	/* ARGO_IOC_SPACE */
	__u64 sys_other;	/* any other ioctl */
	/* This endpoint: sleeping and waking. */
	__u64 rx_wakeups;	/* message signals that found a reader asleep */
	__u64 tx_wakeups;	/* space signals that found a writer asleep */
	__u64 tx_waits;		/* times a writer went to sleep for space */
	__u64 msgs_sent;
	__u64 msgs_received;
};

#define ARGO_IOC_MAGIC		0xA6
#define ARGO_IOC_VERSION	_IOR(ARGO_IOC_MAGIC, 0, __u32)
#define ARGO_IOC_BIND		_IOW(ARGO_IOC_MAGIC, 1, struct argo_dev_bind)
#define ARGO_IOC_SEND		_IOW(ARGO_IOC_MAGIC, 2, struct argo_dev_send)
#define ARGO_IOC_SPACE		_IOWR(ARGO_IOC_MAGIC, 3, struct argo_dev_space)
#define ARGO_IOC_CONNECT	_IOW(ARGO_IOC_MAGIC, 4, struct argo_dev_connect)
#define ARGO_IOC_FEATURES	_IOR(ARGO_IOC_MAGIC, 5, __u32)
#define ARGO_IOC_CABLE		_IOWR(ARGO_IOC_MAGIC, 6, struct argo_dev_cable_op)
#define ARGO_IOC_STATS		_IOR(ARGO_IOC_MAGIC, 7, struct argo_dev_stats)
#define ARGO_IOC_RECV_MANY	_IOWR(ARGO_IOC_MAGIC, 8, struct argo_dev_recv_many)
#define ARGO_IOC_SEND_MANY	_IOWR(ARGO_IOC_MAGIC, 9, struct argo_dev_send_many)

#endif /* _UAPI_ARGO_DEV_H */
