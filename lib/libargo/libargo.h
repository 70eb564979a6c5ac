/* SPDX-License-Identifier: MIT */
/*
 * libargo: Argo endpoints for userspace over /dev/argo.
 *
 * Every function returns -1 and sets errno on failure; errors that come
 * from Xen (EACCES, ECONNREFUSED, EMSGSIZE, ESRCH, EAGAIN) arrive unchanged.
 */
#ifndef LIBARGO_H
#define LIBARGO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define ARGO_DOMID_ANY 0x7FF4

struct argo_handle;

struct argo_peer {
	uint16_t domain;
	uint32_t port;
};

/* Open an endpoint. Returns NULL and sets errno on failure. */
struct argo_handle *argo_open(void);
/* Close an endpoint; its ring is unregistered. NULL is accepted. */
void argo_close(struct argo_handle *h);
/* The file descriptor, for poll/select (readable = a message is queued). */
int argo_fd(const struct argo_handle *h);
/* Register a receive ring on port for partner (or ARGO_DOMID_ANY). 0 on
 * success. ring_size 0 picks the driver's default. */
int argo_bind(struct argo_handle *h, uint32_t port, uint16_t partner,
	      uint32_t ring_size);
/* Send one message; the source port is the bound port (0 if unbound).
 * Returns bytes sent. */
ssize_t argo_send(struct argo_handle *h, const struct argo_peer *dst,
		  uint32_t type, const void *buf, size_t len);
/* Receive one whole message. Returns its payload length; blocks unless
 * the fd is non-blocking (then -1/EAGAIN when empty). A buffer too small
 * fails with EMSGSIZE and the message stays queued. src/type may be NULL. */
ssize_t argo_recv(struct argo_handle *h, void *buf, size_t len,
		  struct argo_peer *src, uint32_t *type);
/* Can dst take a message of len bytes now? 1 yes, 0 not yet (poll for
 * POLLOUT after argo_connect, or use argo_write, to wait), -1 with errno
 * ECONNREFUSED (no ring for us), EMSGSIZE (never fits), EBUSY. Fills
 * *max_len (may be NULL) with the largest message dst can ever take. */
int argo_space(struct argo_handle *h, const struct argo_peer *dst,
	       uint32_t len, uint32_t *max_len);
/* Set the destination of argo_write() and the message size for which
 * poll reports the fd writable (0: any). 0 on success. */
int argo_connect(struct argo_handle *h, const struct argo_peer *dst,
		 uint32_t poll_len);
/* Send one message (type 0) to the connected destination, waiting until it
 * fits unless the fd is non-blocking (then -1/EAGAIN without trying).
 * Returns bytes sent. */
ssize_t argo_write(struct argo_handle *h, const void *buf, size_t len);
/* Wait up to timeout_ms (-1: forever) for a message. 1 ready, 0 timeout. */
int argo_wait(struct argo_handle *h, int timeout_ms);

#endif /* LIBARGO_H */
