/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * argo.ko's kernel API: the one header consumer modules include.
 *
 * The core owns the hypercalls, the VIRQ and every registered ring;
 * consumers (the /dev/argo driver, later vsock and virtio transports) own
 * only what they put in and take out. Failure convention throughout:
 * negative errno, or ERR_PTR for functions returning pointers; never NULL.
 */
#ifndef ARGO_CORE_H
#define ARGO_CORE_H

#include <linux/types.h>
#include <linux/uio.h>

#include "xen_argo_abi.h"

struct argo_ring;

struct argo_addr {
	u16 domain;
	u32 port;
};

/*
 * Called when the ring has messages: from the VIRQ handler in hard-IRQ
 * context, or from a workqueue (may sleep) for rings created with
 * ARGO_RING_RX_WORK. Typically it wakes a reader, which then calls
 * argo_ring_recv(). Spurious calls happen: an empty ring is not an error.
 */
typedef void (*argo_rx_fn)(struct argo_ring *ring, void *priv);

/* argo_ring_create() flags */
/* Call @rx from a workqueue, in process context, instead of hard IRQ. */
#define ARGO_RING_RX_WORK	0x1
/*
 * Readers of this ring may sleep: argo_ring_peek/recv serialise on a mutex
 * and argo_ring_recv_iter() copies straight to userspace. Its readers must
 * then be in process context.
 */
#define ARGO_RING_READ_SLEEP	0x2
/*
 * Signal suppression, where Xen has it (series 0020; argo.ko falls back
 * silently where not): the consumer promises to read until the ring is
 * empty (argo_ring_peek()/recv return -EAGAIN without ARGO_RECV_NO_ARM)
 * or to wait only on argo_ring_has_data(); Xen then signals the ring only
 * when it was found empty, and argo_ring_notify() calls Xen only when a
 * sender waits.
 */
#define ARGO_RING_SUPPRESS	0x4
#define ARGO_RING_FLAGS		(ARGO_RING_RX_WORK | ARGO_RING_READ_SLEEP | \
				 ARGO_RING_SUPPRESS)

/**
 * argo_ring_create() - allocate and register a receive ring with Xen
 * @port: local Argo port
 * @partner: the only domain allowed to send, or ARGO_DOMID_ANY
 * @len: ring bytes: a multiple of 16 between ARGO_MIN_RING_SIZE and 16 MiB
 * @flags: ARGO_RING_* above, or 0
 * @rx: called when messages arrive (may be NULL); see argo_rx_fn
 * @priv: passed to @rx
 *
 * The ring survives a suspend/resume or save/restore of this domain: the
 * core registers it again with Xen, keeping unread messages.
 * Context: process context; may sleep.
 * Return: the ring or ERR_PTR: -EINVAL (bad length or flags), -EEXIST (port
 * and partner already registered), -ESRCH (partner does not exist), -EPERM
 * or -EACCES (refused by Xen's policy), -ENOMEM, -ENOSPC (128 rings).
 */
struct argo_ring *argo_ring_create(u32 port, u16 partner, u32 len,
				   unsigned int flags, argo_rx_fn rx,
				   void *priv);

/**
 * argo_ring_destroy() - unregister a ring from Xen and free it
 * @ring: from argo_ring_create(); NULL is ignored
 *
 * After return @rx is no longer running and will not be called again.
 * Context: process context; may sleep.
 */
void argo_ring_destroy(struct argo_ring *ring);

/**
 * argo_ring_peek() - describe the next message without consuming it
 * @ring: the ring
 * @src: filled with the sender's address (may be NULL)
 * @type: filled with the message type (may be NULL)
 *
 * Context: any, including hard IRQ; process context for ARGO_RING_READ_SLEEP.
 * Return: payload length, -EAGAIN if the ring is empty, -EBADMSG if the
 * ring's contents are inconsistent (they are then discarded).
 */
ssize_t argo_ring_peek(struct argo_ring *ring, struct argo_addr *src,
		       u32 *type);

/**
 * argo_ring_peek_flags() - argo_ring_peek() with ARGO_RECV_* flags
 * @ring: the ring
 * @src: filled with the sender's address (may be NULL)
 * @type: filled with the message type (may be NULL)
 * @flags: ARGO_RECV_NO_ARM, or 0 (then exactly argo_ring_peek())
 *
 * Context: as argo_ring_peek().
 * Return: as argo_ring_peek(); -EINVAL for flags other than ARGO_RECV_NO_ARM.
 */
ssize_t argo_ring_peek_flags(struct argo_ring *ring, struct argo_addr *src,
			     u32 *type, unsigned int flags);

/**
 * argo_ring_recv() - take the next message out of a ring
 * @ring: the ring
 * @buf: where the payload goes
 * @len: room in @buf
 * @src: filled with the sender's address (may be NULL)
 * @type: filled with the message type (may be NULL)
 *
 * Moves rx_ptr past the message and tells Xen, so blocked senders wake.
 * Context: any, including hard IRQ; process context for ARGO_RING_READ_SLEEP.
 * Return: payload length; -EAGAIN if empty; -EMSGSIZE if @len is too small
 * (the message stays in the ring); -EBADMSG as for argo_ring_peek().
 */
ssize_t argo_ring_recv(struct argo_ring *ring, void *buf, size_t len,
		       struct argo_addr *src, u32 *type);

/**
 * argo_ring_recv_iter() - take the next message, copying it to an iov_iter
 * @ring: a ring created with ARGO_RING_READ_SLEEP
 * @to: destination, typically userspace memory
 * @src: filled with the sender's address (may be NULL)
 * @type: filled with the message type (may be NULL)
 *
 * No bounce buffer: the payload goes straight from the ring to @to. If the
 * copy faults, the message stays in the ring and @to is left unadvanced.
 * Context: process context; may sleep.
 * Return: payload length; -EAGAIN if empty; -EMSGSIZE if @to is too small
 * (the message stays); -EFAULT; -EBADMSG as for argo_ring_peek(); -EINVAL
 * if @ring lacks ARGO_RING_READ_SLEEP.
 */
ssize_t argo_ring_recv_iter(struct argo_ring *ring, struct iov_iter *to,
			    struct argo_addr *src, u32 *type);

/* argo_ring_recv_iter_flags() flags */
/*
 * Do not notify Xen after taking the message: the caller takes several
 * and calls argo_ring_notify() once after the last, so a batch costs one
 * notify hypercall instead of one per message.
 */
#define ARGO_RECV_NO_NOTIFY	0x1
/*
 * On an ARGO_RING_SUPPRESS ring, an empty ring does not ask Xen for a
 * signal: the caller has already taken messages in this call and will
 * come back (read again, poll, or argo_ring_has_data()) before it waits.
 * Otherwise the reader that drains a ring in batches arms the signal at
 * the end of every batch, and the sender's next message raises a VIRQ
 * that nobody sleeps for.
 */
#define ARGO_RECV_NO_ARM	0x2
#define ARGO_RECV_FLAGS		(ARGO_RECV_NO_NOTIFY | ARGO_RECV_NO_ARM)

/**
 * argo_ring_recv_iter_flags() - argo_ring_recv_iter() with ARGO_RECV_* flags
 * @ring: a ring created with ARGO_RING_READ_SLEEP
 * @to: destination, typically userspace memory
 * @src: filled with the sender's address (may be NULL)
 * @type: filled with the message type (may be NULL)
 * @flags: ARGO_RECV_* above, or 0 (then exactly argo_ring_recv_iter())
 *
 * Context: process context; may sleep.
 * Return: as argo_ring_recv_iter(); -EINVAL also for unknown @flags.
 */
ssize_t argo_ring_recv_iter_flags(struct argo_ring *ring, struct iov_iter *to,
				  struct argo_addr *src, u32 *type,
				  unsigned int flags);

/**
 * argo_ring_notify() - tell Xen that this domain's rings have more space
 * @ring: the ring the caller consumed from (counted against it)
 *
 * Xen then wakes senders waiting for space in any of our rings. Needed
 * only after receiving with ARGO_RECV_NO_NOTIFY. On an ARGO_RING_SUPPRESS
 * ring, no hypercall is made unless Xen says a sender waits on it.
 * Context: any; does not sleep.
 */
void argo_ring_notify(struct argo_ring *ring);

/*
 * What argo.ko has done, for telling where a message's cost goes. Counts
 * only grow (from module load); compare two snapshots. The hypercalls are
 * this domain's, over all rings and consumers.
 */
struct argo_core_stats {
	u64 hc_sendv;		/* sendv hypercalls, whatever their result */
	u64 hc_sendv_eagain;	/* of those, refused for lack of space */
	u64 hc_sendv_batch;	/* of hc_sendv, batches (one per hypercall) */
	u64 hc_notify;		/* notify without a query (after receiving) */
	u64 hc_notify_query;	/* notify with a space query (argo_space) */
	u64 virqs;		/* Argo signals taken: VIRQ_ARGO or the vector */
	u64 msgs_sent;
	u64 msgs_received;
	u64 notifies_saved;	/* notifies not made: no sender waited */
	u64 virqs_saved;	/* VIRQs Xen left out (ARGO_RING_SUPPRESS) */
	u64 msgs_sent_direct;	/* of msgs_sent, read by Xen from user memory */
	u64 direct_faults;	/* user-memory batches Xen could not read */
	bool suppress;		/* Xen took ARGO_RING_SUPPRESS */
};

/* One ring's share. */
struct argo_ring_stats {
	u64 msgs_received;
	u64 notifies;		/* notify hypercalls made after receiving */
	u64 rx_calls;		/* rx callbacks made (VIRQs that found data) */
	u64 notifies_saved;
	u64 virqs_saved;	/* Xen's count for the ring: u32, wraps */
	bool suppress;		/* registered with suppression */
};

/**
 * argo_core_stats() - snapshot the domain-wide counters
 * @s: filled in
 *
 * Context: any.
 */
void argo_core_stats(struct argo_core_stats *s);

/**
 * argo_ring_stats() - snapshot one ring's counters
 * @ring: the ring
 * @s: filled in
 *
 * Context: any.
 */
void argo_ring_stats(struct argo_ring *ring, struct argo_ring_stats *s);

/**
 * argo_ring_has_data() - does the ring look non-empty?
 * @ring: the ring
 *
 * A lock-free hint for wait conditions and poll: true may still be
 * followed by -EAGAIN or -EBADMSG from argo_ring_peek().
 * Context: any.
 */
bool argo_ring_has_data(struct argo_ring *ring);

/**
 * argo_sendv() - send one message
 * @src_port: the source port the receiver sees
 * @dst: destination domain and port; or domain ARGO_DOMID_IMPLICIT with
 *       port 0: the patch cable of @src_port picks it (docs/cables.md)
 * @iov: the payload pieces, at most ARGO_MAXIOV, in kernel memory
 * @niov: number of pieces
 * @type: message type, delivered unchanged
 *
 * Context: any; does not sleep.
 * Return: bytes sent, or Xen's error: -ECONNREFUSED (no such ring),
 * -EAGAIN (ring full), -EMSGSIZE (larger than the ring), -EACCES/-EPERM
 * (policy), -ESRCH (no such domain, or the cable's destination is gone),
 * -ENOTCONN (ARGO_DOMID_IMPLICIT: no cable on @src_port), -ENXIO
 * (ARGO_DOMID_UPSTREAM: reserved), -EINVAL (ARGO_DOMID_IMPLICIT with a
 * port); on a Xen without cables, the two sentinels give -ESRCH.
 */
ssize_t argo_sendv(u32 src_port, const struct argo_addr *dst,
		   const struct kvec *iov, unsigned int niov, u32 type);

/* One message of argo_sendv_batch(): argo_sendv()'s arguments. */
struct argo_send_msg {
	struct argo_addr dst;
	const struct kvec *iov;	/* kernel memory */
	unsigned int niov;	/* at most ARGO_MAXIOV */
	u32 type;
};

/**
 * argo_sendv_batch() - send messages in order, in one hypercall where Xen can
 * @src_port: the source port the receiver sees, for every message
 * @msgs: the messages, each as argo_sendv() takes it
 * @count: how many, 1 to ARGO_MAX_SEND_BATCH (64)
 *
 * Sends @msgs in order and stops at the first that is not sent: what the
 * destinations receive is always a prefix of @msgs. On a Xen with
 * ARGO_FEATURE_SENDV_BATCH (series 0021) that is one hypercall, counted
 * once in hc_sendv (and hc_sendv_batch); elsewhere, or with the module
 * parameter sendv_batch=0, one argo_sendv() per message. Each message gets
 * every check and signal a single argo_sendv() gets.
 * Context: any; does not sleep.
 * Return: the number of messages sent, 1 to @count; or, when none was, the
 * first message's error as argo_sendv() returns it; -EINVAL for a @count
 * out of range. A count below @count does not say why message [count]
 * was not sent (Xen may also just have had other work): send from it again
 * to learn its error.
 */
ssize_t argo_sendv_batch(u32 src_port, const struct argo_send_msg *msgs,
			 unsigned int count);

/**
 * argo_sendv_batch_user() - argo_sendv_batch() from the caller's user memory
 * @src_port: as argo_sendv_batch()'s
 * @msgs: as argo_sendv_batch()'s, except that each iov_base is a user
 *        address of the calling task (cast to a kernel pointer)
 * @count: as argo_sendv_batch()'s
 *
 * One batch hypercall in which Xen reads the payloads from the task's
 * memory itself, so they are copied once (into the destination ring), not
 * also into a bounce buffer. Only where the mechanism names virtual
 * addresses and the CPU lets a supervisor access read user pages for the
 * call: the hypercall mechanism, without SMAP (PV guests never have it).
 * Context: process, the task that owns the memory.
 * Return: as argo_sendv_batch(); besides, -EOPNOTSUPP when this path is
 * not available (the MSR mechanism, SMAP, Xen without the batch op, module
 * parameter tx_zerocopy=0 or sendv_batch=0), -ENOMEM, or -EFAULT when Xen
 * could not read a payload (a bad address, or a page not present): bounce
 * those messages and send them with argo_sendv_batch(), which faults the
 * pages in or reports the fault. A message with a range outside user
 * space (access_ok()) never reaches Xen: the batch ends before it, so the
 * messages before it are sent and counted, and -EFAULT when it is first.
 */
ssize_t argo_sendv_batch_user(u32 src_port, const struct argo_send_msg *msgs,
			      unsigned int count);

/**
 * argo_space() - can a destination ring take a message of @len bytes now?
 * @dst: destination domain and port
 * @len: payload bytes to send
 * @max_payload: filled with the largest payload the ring can ever take
 *               (may be NULL)
 *
 * Asks Xen, which also arms a space-available signal when the answer is
 * no: every argo_space_waiter then runs when space may have appeared.
 * Context: any; does not sleep.
 * Return: 1 if it fits now, 0 if not yet (a signal will follow),
 * -ECONNREFUSED (no ring there for us), -EMSGSIZE (it never will fit),
 * -EBUSY (too many senders already wait on that ring: no signal will
 * follow), or Xen's error for the query.
 */
int argo_space(const struct argo_addr *dst, u32 len, u32 *max_payload);

/**
 * argo_features() - what the hypervisor offers
 * @features: filled with ARGO_FEATURE_* bits; 0 on a Xen without the
 *            feature query (Debian's pristine 4.17)
 *
 * Context: any; does not sleep.
 * Return: 0, or Xen's error for the query (other than "unknown op").
 */
int argo_features(u32 *features);

/**
 * argo_cable_op() - program or read a domain's patch cables
 * @cmd: ARGO_CABLE_ADD, ARGO_CABLE_DEL or ARGO_CABLE_LIST
 * @domain: whose table
 * @ents: ADD: the cable (flags and pad zero); DEL: the src_port, the rest
 *        zero; LIST: room for *@nent cables. Kernel memory.
 * @nent: ADD/DEL: 1; LIST: in, the room (at most ARGO_MAX_CABLES); out,
 *        how many cables @domain has (only the first *@nent are written)
 *
 * Context: process context; may sleep.
 * Return: 0, -EINVAL (bad @cmd, @nent, flags or pad), -ENOMEM, or Xen's
 * error: -EPERM/-EACCES (this domain may not program @domain's cables),
 * -ESRCH (no such domain), -ENOENT (DEL: no such cable), -ENOSPC (ADD:
 * ARGO_MAX_CABLES), -EOPNOTSUPP (Xen has no cables).
 */
int argo_cable_op(u32 cmd, u16 domain, struct argo_xen_cable *ents, u32 *nent);

/*
 * A space waiter's fn runs in atomic context on every VIRQ_ARGO while it
 * is added, because Xen does not say which ring gained space, and once
 * after this domain resumes, because Xen forgot the signals it had armed:
 * check again with argo_space() and expect spurious calls.
 */
struct argo_space_waiter {
	struct list_head node;
	void (*fn)(struct argo_space_waiter *w);
};

/* Context: any. */
void argo_space_waiter_add(struct argo_space_waiter *w);
/* Context: process; after return fn is not running and will not run. */
void argo_space_waiter_del(struct argo_space_waiter *w);

#endif /* ARGO_CORE_H */
