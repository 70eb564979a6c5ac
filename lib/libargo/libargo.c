// SPDX-License-Identifier: MIT
/* libargo: see libargo.h. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <argo/argo-dev.h>
#include "libargo.h"

struct argo_handle {
	int fd;
	/* One receive buffer per handle: header plus the largest payload
	 * this endpoint has needed so far. */
	void *rbuf;
	size_t rbuf_len;
};

struct argo_handle *argo_open(void)
{
	struct argo_handle *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->fd = open("/dev/argo", O_RDWR | O_CLOEXEC);
	if (h->fd < 0) {
		int e = errno;

		free(h);
		errno = e;
		return NULL;
	}
	return h;
}

void argo_close(struct argo_handle *h)
{
	if (!h)
		return;
	close(h->fd);
	free(h->rbuf);
	free(h);
}

int argo_fd(const struct argo_handle *h)
{
	return h->fd;
}

int argo_bind(struct argo_handle *h, uint32_t port, uint16_t partner,
	      uint32_t ring_size)
{
	struct argo_dev_bind b = {
		.port = port, .partner = partner, .ring_size = ring_size,
	};

	return ioctl(h->fd, ARGO_IOC_BIND, &b) < 0 ? -1 : 0;
}

ssize_t argo_send(struct argo_handle *h, const struct argo_peer *dst,
		  uint32_t type, const void *buf, size_t len)
{
	struct argo_dev_send s = {
		.dst = { .port = dst->port, .domain = dst->domain },
		.type = type,
		.len = (uint32_t)len,
		.buf = (uint64_t)(uintptr_t)buf,
	};

	if (len > UINT32_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	return ioctl(h->fd, ARGO_IOC_SEND, &s);
}

ssize_t argo_recv(struct argo_handle *h, void *buf, size_t len,
		  struct argo_peer *src, uint32_t *type)
{
	struct argo_dev_msg hdr;
	size_t need = sizeof(hdr) + len;
	ssize_t n;

	/* /dev/argo has no read_iter, so readv would read each piece as a
	 * separate message: read into one buffer and split it here. */
	if (need > h->rbuf_len) {
		void *p = realloc(h->rbuf, need);

		if (!p)
			return -1;
		h->rbuf = p;
		h->rbuf_len = need;
	}
	n = read(h->fd, h->rbuf, need);
	if (n < 0)
		return -1;
	if ((size_t)n < sizeof(hdr)) {
		errno = EPROTO;
		return -1;
	}
	memcpy(&hdr, h->rbuf, sizeof(hdr));
	if (hdr.len != (size_t)n - sizeof(hdr)) {
		errno = EPROTO;
		return -1;
	}
	memcpy(buf, (char *)h->rbuf + sizeof(hdr), hdr.len);
	if (src) {
		src->domain = hdr.src.domain;
		src->port = hdr.src.port;
	}
	if (type)
		*type = hdr.type;
	return hdr.len;
}

int argo_space(struct argo_handle *h, const struct argo_peer *dst,
	       uint32_t len, uint32_t *max_len)
{
	struct argo_dev_space q = {
		.dst = { .port = dst->port, .domain = dst->domain },
		.len = len,
	};
	int r = ioctl(h->fd, ARGO_IOC_SPACE, &q);

	if (r >= 0 && max_len)
		*max_len = q.max_len;
	return r;
}

int argo_connect(struct argo_handle *h, const struct argo_peer *dst,
		 uint32_t poll_len)
{
	struct argo_dev_connect c = {
		.dst = { .port = dst->port, .domain = dst->domain },
		.poll_len = poll_len,
	};

	return ioctl(h->fd, ARGO_IOC_CONNECT, &c) < 0 ? -1 : 0;
}

ssize_t argo_write(struct argo_handle *h, const void *buf, size_t len)
{
	return write(h->fd, buf, len);
}

int argo_wait(struct argo_handle *h, int timeout_ms)
{
	struct pollfd p = { .fd = h->fd, .events = POLLIN };
	int n;

	do
		n = poll(&p, 1, timeout_ms);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -1 : n > 0;
}
