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
 * Called from the VIRQ handler, in hard-IRQ context, when the ring has
 * messages. It must not sleep; typically it wakes a waiter or schedules
 * work, which then calls argo_ring_recv().
 */
typedef void (*argo_rx_fn)(struct argo_ring *ring, void *priv);

/**
 * argo_ring_create() - allocate and register a receive ring with Xen
 * @port: local Argo port
 * @partner: the only domain allowed to send, or ARGO_DOMID_ANY
 * @len: ring bytes: a multiple of 16 between ARGO_MIN_RING_SIZE and 16 MiB
 * @rx: called in hard-IRQ context when messages arrive (may be NULL)
 * @priv: passed to @rx
 *
 * Context: process context; may sleep.
 * Return: the ring or ERR_PTR: -EINVAL (bad length), -EEXIST (port and
 * partner already registered), -ESRCH (partner does not exist), -EPERM or
 * -EACCES (refused by Xen's policy), -ENOMEM, -ENOSPC (128 rings).
 */
struct argo_ring *argo_ring_create(u32 port, u16 partner, u32 len,
				   argo_rx_fn rx, void *priv);

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
 * Context: any, including hard IRQ.
 * Return: payload length, -EAGAIN if the ring is empty, -EBADMSG if the
 * ring's contents are inconsistent (they are then discarded).
 */
ssize_t argo_ring_peek(struct argo_ring *ring, struct argo_addr *src,
		       u32 *type);

/**
 * argo_ring_recv() - take the next message out of a ring
 * @ring: the ring
 * @buf: where the payload goes
 * @len: room in @buf
 * @src: filled with the sender's address (may be NULL)
 * @type: filled with the message type (may be NULL)
 *
 * Moves rx_ptr past the message and tells Xen, so blocked senders wake.
 * Context: any, including hard IRQ.
 * Return: payload length; -EAGAIN if empty; -EMSGSIZE if @len is too small
 * (the message stays in the ring); -EBADMSG as for argo_ring_peek().
 */
ssize_t argo_ring_recv(struct argo_ring *ring, void *buf, size_t len,
		       struct argo_addr *src, u32 *type);

/**
 * argo_sendv() - send one message
 * @src_port: the source port the receiver sees
 * @dst: destination domain and port
 * @iov: the payload pieces, at most ARGO_MAXIOV, in kernel memory
 * @niov: number of pieces
 * @type: message type, delivered unchanged
 *
 * Context: any; does not sleep.
 * Return: bytes sent, or Xen's error: -ECONNREFUSED (no such ring),
 * -EAGAIN (ring full), -EMSGSIZE (larger than the ring), -EACCES/-EPERM
 * (policy), -ESRCH (no such domain), -EINVAL.
 */
ssize_t argo_sendv(u32 src_port, const struct argo_addr *dst,
		   const struct kvec *iov, unsigned int niov, u32 type);

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

/*
 * A space waiter's fn runs in hard-IRQ context on every VIRQ_ARGO while
 * it is added, because Xen does not say which ring gained space: check
 * again with argo_space() and expect spurious calls.
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
