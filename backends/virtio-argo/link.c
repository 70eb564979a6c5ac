// SPDX-License-Identifier: MIT
/* Frontend links: AF_UNIX SOCK_SEQPACKET and Argo (see link.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "libargo.h"
#include "link.h"

enum { LS_UNIX, LS_FD, LS_ARGO };

/* AF_UNIX SOCK_SEQPACKET */

static ssize_t sock_recv(struct link *l, void *buf, size_t cap)
{
	ssize_t n;

	do {
		n = recv(l->fd, buf, cap, MSG_DONTWAIT | MSG_TRUNC);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? -EAGAIN : -errno;
	if ((size_t)n > cap)
		return -EMSGSIZE;
	return n;
}

static int sock_send(struct link *l, const void *buf, size_t len)
{
	ssize_t n;

	do {
		n = send(l->fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? -EAGAIN : -errno;
	return (size_t)n == len ? 0 : -EPIPE;
}

static void sock_close(struct link *l)
{
	close(l->fd);
	free(l);
}

static const struct link_ops sock_ops = {
	.recv = sock_recv,
	.send = sock_send,
	.close = sock_close,
};

static struct link *sock_link(int fd, unsigned int max_msg, const char *name)
{
	struct link *l = calloc(1, sizeof(*l));
	int sz = (int)(4 * max_msg);

	if (!l)
		return NULL;
	/* Room for a few whole messages each way; the kernel caps it. */
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	l->ops = &sock_ops;
	l->fd = fd;
	snprintf(l->name, sizeof(l->name), "%s", name);
	return l;
}

/* Argo: one ring per frontend; the frontend is the only allowed sender. */

struct argo_link {
	struct argo_handle *h;
	struct argo_peer peer;
	size_t ring;		/* no message in it is larger */
};

static ssize_t argo_link_recv(struct link *l, void *buf, size_t cap)
{
	struct argo_link *a = l->priv;
	struct argo_peer src;
	ssize_t n = argo_recv(a->h, buf, cap, &src, NULL);

	if (n < 0 && errno == EMSGSIZE) {
		/* libargo leaves a too-large message queued: take it out
		 * (into a buffer as large as the ring), or it would come
		 * back on every wakeup. */
		void *big = malloc(a->ring);

		if (big) {
			argo_recv(a->h, big, a->ring, NULL, NULL);
			free(big);
		}
		return -EMSGSIZE;
	}
	if (n < 0)
		return -errno;
	/* The ring is single-source, so Xen already checked this; a
	 * mismatch would be a bug worth refusing loudly. */
	if (src.domain != a->peer.domain || src.port != a->peer.port)
		return -EPROTO;
	return n;
}

static int argo_link_send(struct link *l, const void *buf, size_t len)
{
	struct argo_link *a = l->priv;

	if (argo_send(a->h, &a->peer, 0, buf, len) < 0) {
		int r = -errno;

		/* Arm poll's space signal for this very message: the default
		 * (our own max_msg) can exceed what the frontend's ring ever
		 * takes, and then poll reports writable at once, forever. */
		if (r == -EAGAIN)
			argo_connect(a->h, &a->peer, (uint32_t)len);
		return r;
	}
	return 0;
}

static void argo_link_close(struct link *l)
{
	struct argo_link *a = l->priv;

	argo_close(a->h);
	free(a);
	free(l);
}

static const struct link_ops argo_link_ops = {
	.recv = argo_link_recv,
	.send = argo_link_send,
	.close = argo_link_close,
};

static int argo_listen(struct listener *ls, const char *arg)
{
	unsigned int port, domid, fe_port;
	struct argo_link *a;
	struct link *l;
	char end;
	int r, n;

	/* PORT:DOMID[:FEPORT]: FEPORT is the frontend's own port (its cable
	 * source port, which discovery told it), when it differs from ours. */
	n = sscanf(arg, "%u:%u:%u%c", &port, &domid, &fe_port, &end);
	if (n == 2)
		fe_port = port;
	else if (n != 3)
		return -EINVAL;
	if (domid >= ARGO_DOMID_ANY)
		return -EINVAL;
	a = calloc(1, sizeof(*a));
	l = calloc(1, sizeof(*l));
	if (!a || !l) {
		r = -ENOMEM;
		goto err;
	}
	a->h = argo_open();
	a->peer.domain = (uint16_t)domid;
	a->peer.port = fe_port;
	a->ring = 4 * (size_t)ls->max_msg;
	/* Ring: room for a few maximum messages, as Xen rounds and caps. */
	if (!a->h || argo_bind(a->h, port, (uint16_t)domid, 4 * ls->max_msg) < 0 ||
	    argo_set_nonblocking(a->h, 1) < 0 ||
	    argo_connect(a->h, &a->peer, ls->max_msg) < 0) {
		r = -errno;
		goto err;
	}
	l->ops = &argo_link_ops;
	l->persistent = 1;
	l->fd = argo_fd(a->h);
	l->priv = a;
	snprintf(l->name, sizeof(l->name), "argo:%u:%u:%u", port, domid, fe_port);
	ls->ready = l;
	return 0;
err:
	if (a)
		argo_close(a->h);
	free(a);
	free(l);
	return r;
}

int listener_open(struct listener *ls, const char *spec, unsigned int max_msg)
{
	memset(ls, 0, sizeof(*ls));
	ls->fd = -1;
	ls->max_msg = max_msg;
	snprintf(ls->spec, sizeof(ls->spec), "%s", spec);
	if (!strncmp(spec, "unix:", 5)) {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };

		if (strlen(spec + 5) >= sizeof(sa.sun_path))
			return -ENAMETOOLONG;
		strcpy(sa.sun_path, spec + 5);
		unlink(sa.sun_path);
		ls->kind = LS_UNIX;
		ls->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (ls->fd < 0)
			return -errno;
		if (bind(ls->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
		    listen(ls->fd, 8) < 0) {
			int r = -errno;

			close(ls->fd);
			ls->fd = -1;
			return r;
		}
		return 0;
	}
	if (!strncmp(spec, "fd:", 3)) {
		char *end;
		long fd = strtol(spec + 3, &end, 10);
		int type;
		socklen_t tl = sizeof(type);

		if (*end || fd < 0 || fd > 65535 ||
		    getsockopt((int)fd, SOL_SOCKET, SO_TYPE, &type, &tl) < 0 ||
		    type != SOCK_SEQPACKET)
			return -EINVAL;
		ls->kind = LS_FD;
		ls->ready = sock_link((int)fd, max_msg, spec);
		return ls->ready ? 0 : -ENOMEM;
	}
	if (!strncmp(spec, "argo:", 5)) {
		ls->kind = LS_ARGO;
		return argo_listen(ls, spec + 5);
	}
	return -EINVAL;
}

int listener_accept(struct listener *ls, struct link **out)
{
	char name[64];
	int fd;

	if (ls->ready) {
		*out = ls->ready;
		ls->ready = NULL;
		return 1;
	}
	if (ls->fd < 0)
		return 0;
	fd = accept4(ls->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
	snprintf(name, sizeof(name), "%.40s#%d", ls->spec, fd);
	*out = sock_link(fd, ls->max_msg, name);
	if (!*out) {
		close(fd);
		return -ENOMEM;
	}
	return 1;
}

void listener_close(struct listener *ls)
{
	if (ls->ready)
		link_close(ls->ready);
	if (ls->fd >= 0)
		close(ls->fd);
	if (ls->kind == LS_UNIX)
		unlink(ls->spec + 5);
	ls->fd = -1;
	ls->ready = NULL;
}

void link_close(struct link *l)
{
	if (l)
		l->ops->close(l);
}
