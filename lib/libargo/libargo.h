/* SPDX-License-Identifier: MIT */
/*
 * libargo: Argo endpoints for userspace over /dev/argo.
 * Reference: docs/libargo.md.
 *
 * Every function that can fail returns -1 (NULL for argo_open) and sets
 * errno. Errors that come from Xen arrive unchanged; argo_strerror() says
 * what they mean for Argo (EACCES: denied by Xen's Argo policy,
 * ECONNREFUSED: no ring registered for us at the destination, ESRCH: no
 * such domain, EMSGSIZE: too large). A NULL handle or pointer where one is
 * required fails with EINVAL.
 *
 * Blocking: a handle starts blocking. argo_recv waits for a message;
 * argo_send, argo_sendv and argo_write wait until the destination's ring
 * has room for the message. After argo_set_nonblocking(h, 1) they fail
 * with EAGAIN instead of waiting (as read() and write() do with
 * O_NONBLOCK). argo_fd() is the descriptor for poll/select: readable when
 * a message is queued, writable when argo_connect's poll_len bytes fit at
 * the connected destination.
 *
 * One handle may be used from several threads, except argo_close.
 */
#ifndef LIBARGO_H
#define LIBARGO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Any sending domain, for argo_bind's partner (Xen's XEN_ARGO_DOMID_ANY). */
#define ARGO_DOMID_ANY 0x7FF4
/* Destinations that are not domains (docs/cables.md). IMPLICIT, with port
 * 0: the patch cable of the handle's bound port (port 0 if unbound) picks
 * the destination; ENOTCONN if that port has no cable, ESRCH if the
 * cable's destination domain is gone. UPSTREAM: the hypervisor above this
 * one; reserved, always ENXIO (nesting is not supported). */
#define ARGO_DOMID_IMPLICIT 0x7FF5
#define ARGO_DOMID_UPSTREAM 0x7FF6
/* argo_features() bits. */
#define ARGO_FEATURE_CABLES 0x1u	/* cables and ARGO_DOMID_IMPLICIT */
#define ARGO_FEATURE_NOTIFY_HIDE 0x2u	/* a denied space query reads as
					 * "no ring" (ECONNREFUSED) */
#define ARGO_FEATURE_SUPPRESS 0x4u	/* Xen signals a ring only when its
					 * reader waits (the driver uses it) */
#define ARGO_FEATURE_SENDV_BATCH 0x8u	/* one hypercall sends a batch
					 * (argo_send_many uses it) */
#define ARGO_FEATURE_NOTIFY_VECTOR 0x10u /* signals on a local APIC vector
					 * (HVM/PVH guests; argo.ko uses it) */
/* The most cables one domain can have (Xen's bound). */
#define ARGO_CABLES_MAX 64
/* No message is larger (the driver's cap, 16 MiB). What a destination can
 * really take is smaller: its ring size less 32 (argo_space's max_len). */
#define ARGO_MSG_MAX (16u * 1024 * 1024)
/* The most pieces argo_sendv accepts (as writev's IOV_MAX on Linux). */
#define ARGO_IOV_MAX 1024

struct argo_handle;

struct argo_peer {
	uint16_t domain;
	uint32_t port;
};

/* Open an endpoint on /dev/argo and check that the driver speaks the ABI
 * libargo was built for (EPROTO if not). NULL and errno on failure. */
struct argo_handle *argo_open(void);
/* Close an endpoint; its ring is unregistered. NULL is accepted. */
void argo_close(struct argo_handle *h);
/* The file descriptor, for poll/select. Owned by the handle. */
int argo_fd(const struct argo_handle *h);
/* The driver's /dev/argo ABI version (ARGO_IOC_VERSION), read at open. */
int argo_abi_version(const struct argo_handle *h);
/* Make the send and receive calls fail with EAGAIN instead of waiting
 * (on != 0), or wait again (on == 0). 0 on success. */
int argo_set_nonblocking(struct argo_handle *h, int on);

/* Register a receive ring on port for partner (or ARGO_DOMID_ANY). 0 on
 * success. ring_size 0 picks the driver's default (64 KiB). */
int argo_bind(struct argo_handle *h, uint32_t port, uint16_t partner,
	      uint32_t ring_size);

/* What the hypervisor offers: ARGO_FEATURE_* bits into *features (0 on
 * a Xen without them, or with Argo disabled). 0 on success. */
int argo_features(struct argo_handle *h, uint32_t *features);

/* Send one message of len bytes to dst; the source port is the bound port
 * (0 if unbound). dst may be ARGO_DOMID_IMPLICIT with port 0 (a port
 * other than 0 is EINVAL). Waits for room at dst unless non-blocking.
 * Returns len. */
ssize_t argo_send(struct argo_handle *h, const struct argo_peer *dst,
		  uint32_t type, const void *buf, size_t len);
/* Send one message made of iovcnt pieces (0..ARGO_IOV_MAX), as argo_send
 * would send their concatenation. Returns the total length. */
ssize_t argo_sendv(struct argo_handle *h, const struct argo_peer *dst,
		   uint32_t type, const struct iovec *iov, int iovcnt);

/* Receive one whole message into buf. Returns its payload length. Waits
 * for one unless non-blocking (then EAGAIN when none is queued). A buffer
 * too small fails with EMSGSIZE and the message stays queued. src and
 * type may be NULL. */
ssize_t argo_recv(struct argo_handle *h, void *buf, size_t len,
		  struct argo_peer *src, uint32_t *type);

/* Batches: many messages per system call (/dev/argo ABI 5; on a driver of
 * ABI 4 they work too, one system call per message).
 *
 * argo_recv_many takes up to max_msgs whole messages (1..ARGO_BATCH_MAX)
 * into buf in one call, notifying Xen once for all of them, and returns
 * how many (at least 1), with *used (may be NULL) the bytes of buf they
 * fill. Waits for the first unless non-blocking (EAGAIN), never for more.
 * A first message larger than buf fails with EMSGSIZE and stays queued.
 * The messages are read in place with argo_msg_next: no copy. */
#define ARGO_BATCH_MAX 1024
ssize_t argo_recv_many(struct argo_handle *h, void *buf, size_t len,
		       unsigned int max_msgs, size_t *used);

/* One message in an argo_recv_many buffer; data points into that buffer. */
struct argo_msg_view {
	struct argo_peer src;
	uint32_t type;
	uint32_t len;
	const void *data;
};
/* The message at *off (start at 0) of the used bytes of buf: 1 and *off
 * moved past it, 0 at the end, -1 (EPROTO) if the bytes there are not a
 * whole message (never for what argo_recv_many returned). */
int argo_msg_next(const void *buf, size_t used, size_t *off,
		  struct argo_msg_view *m);

/* One message for argo_send_many. */
struct argo_out_msg {
	struct argo_peer dst;
	uint32_t type;
	const void *buf;
	size_t len;
};
/* Send n messages (1..ARGO_BATCH_MAX) in order in one call, each waiting
 * until it fits unless non-blocking. Every one is checked first (as
 * argo_send checks its arguments): a bad one fails the call with EINVAL
 * or EMSGSIZE and nothing is sent. Returns how many were sent; fewer than
 * n means an error stopped the batch, and errno says which (EAGAIN when
 * non-blocking and the ring filled). -1 when none was sent. */
ssize_t argo_send_many(struct argo_handle *h, const struct argo_out_msg *msgs,
		       unsigned int n);

/* Counters (ARGO_IOC_STATS), for telling where a message's cost goes:
 * they only grow, compare two snapshots. The hc_* and virqs figures are
 * the whole domain's; the rest this handle's. EPROTO on a driver of ABI 4,
 * which has none. */
struct argo_stats {
	uint64_t hc_sendv, hc_sendv_eagain, hc_notify, hc_notify_query, virqs;
	uint64_t ring_msgs_received, ring_notifies, ring_rx_calls;
	uint64_t sys_read, sys_write, sys_send, sys_send_many, sys_recv_many,
		 sys_poll, sys_space, sys_other;
	uint64_t rx_wakeups, tx_wakeups, tx_waits, msgs_sent, msgs_received;
};
int argo_stats(struct argo_handle *h, struct argo_stats *st);

/* Can dst take a message of len bytes now? 1 yes, 0 not yet (poll for
 * POLLOUT after argo_connect, or send in blocking mode, to wait), -1 with
 * errno ECONNREFUSED (no ring for us), EMSGSIZE (never fits), EBUSY. Fills
 * *max_len (may be NULL) with the largest message dst can ever take. */
int argo_space(struct argo_handle *h, const struct argo_peer *dst,
	       uint32_t len, uint32_t *max_len);
/* Set the destination of argo_write() and the message size for which
 * poll reports the fd writable (0: any). 0 on success. */
int argo_connect(struct argo_handle *h, const struct argo_peer *dst,
		 uint32_t poll_len);
/* Send one message (type 0) to the connected destination, waiting until it
 * fits unless non-blocking (then EAGAIN). Returns len. */
ssize_t argo_write(struct argo_handle *h, const void *buf, size_t len);
/* Wait up to timeout_ms (-1: forever) for a message. 1 ready, 0 timeout. */
int argo_wait(struct argo_handle *h, int timeout_ms);

/* Patch cables (dom0, or a domain the policy lets program them: EPERM or
 * EACCES otherwise; EOPNOTSUPP on a Xen without cables). */
struct argo_cable {
	uint32_t src_port;
	uint16_t dst_domain;
	uint16_t flags;		/* ARGO_CABLE_DEAD */
	uint32_t dst_port;
};
/* The destination domain is gone: sends through this cable fail (ESRCH). */
#define ARGO_CABLE_DEAD 0x1u

/* Cable domain's src_port to dst_domain:dst_port, replacing the cable the
 * port had. 0; ESRCH (no such domain), ENOSPC (ARGO_CABLES_MAX), EINVAL
 * (a domain id that is not a domain's). */
int argo_cable_add(struct argo_handle *h, uint16_t domain, uint32_t src_port,
		   uint16_t dst_domain, uint32_t dst_port);
/* Remove the cable of domain's src_port. 0; ENOENT if it had none. */
int argo_cable_del(struct argo_handle *h, uint16_t domain, uint32_t src_port);
/* Up to n of domain's cables into out (n may be 0, out then NULL). Returns
 * how many cables domain has (may exceed n), or -1. */
int argo_cable_list(struct argo_handle *h, uint16_t domain,
		    struct argo_cable *out, unsigned int n);

/* What an errno value means for Argo calls: Xen's errors in Argo's words,
 * others as strerror(). Never NULL. */
const char *argo_strerror(int errnum);

#ifdef __cplusplus
}
#endif

#endif /* LIBARGO_H */
