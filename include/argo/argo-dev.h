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

#define ARGO_DEV_ABI_VERSION	3

/* Any sending domain (Xen's XEN_ARGO_DOMID_ANY). */
#define ARGO_DEV_DOMID_ANY	0x7FF4
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

#endif /* _UAPI_ARGO_DEV_H */
