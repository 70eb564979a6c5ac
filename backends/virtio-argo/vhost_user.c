// SPDX-License-Identifier: MIT
/*
 * vhost-user front-end messages over a UNIX stream socket (see
 * vhost_user.h). Wire format: a 12-byte header (request, flags with
 * version 1, payload size), then the payload; file descriptors travel as
 * SCM_RIGHTS on the header's sendmsg.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "vhost_user.h"

#define VHU_VERSION		0x1U
#define VHU_FLAG_REPLY		(1U << 2)
#define VHU_FLAG_NEED_REPLY	(1U << 3)
#define VHU_HDR			12U
#define VHU_MAX_PAYLOAD		(VHU_HDR + VHU_MAX_CONFIG + 64)

struct vhu_msg {
	uint32_t request;
	uint32_t flags;
	uint32_t size;
	uint8_t payload[VHU_MAX_PAYLOAD];
};

static int has_proto(const struct vhu_conn *c, int bit)
{
	return !!(c->protocol_features & (1ULL << bit));
}

static int wait_fd(int fd, short ev, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = ev };
	int r;

	do {
		r = poll(&p, 1, timeout_ms);
	} while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	if (r == 0)
		return -ETIMEDOUT;
	return 0;
}

static int send_msg(struct vhu_conn *c, struct vhu_msg *m, const int *fds, int nfds)
{
	char cbuf[CMSG_SPACE(sizeof(int) * 8)];
	struct iovec iov = { m, VHU_HDR + m->size };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (nfds) {
		struct cmsghdr *cm;

		memset(cbuf, 0, sizeof(cbuf));
		mh.msg_control = cbuf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(cm), fds, sizeof(int) * nfds);
	}
	do {
		n = sendmsg(c->fd, &mh, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	/* A stream socket may take part of it only if its buffer is nearly
	 * full; our messages are small, so treat that as a broken peer. */
	return (size_t)n == iov.iov_len ? 0 : -EPIPE;
}

static int read_full(struct vhu_conn *c, void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n;
		int r = wait_fd(c->fd, POLLIN, c->timeout_ms);

		if (r)
			return r;
		n = read(c->fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ECONNRESET;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The reply header. No reply we ask for carries a file descriptor; one
 * that comes anyway is closed, not leaked. */
static int read_hdr(struct vhu_conn *c, struct vhu_msg *m, int *fd)
{
	char cbuf[CMSG_SPACE(sizeof(int) * 4)];
	struct iovec iov = { m, VHU_HDR };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	ssize_t n;
	int r = wait_fd(c->fd, POLLIN, c->timeout_ms);

	if (r)
		return r;
	do {
		n = recvmsg(c->fd, &mh, MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n == 0)
		return -ECONNRESET;
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		int fds[4], i, k;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		k = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		memcpy(fds, CMSG_DATA(cm), sizeof(int) * (size_t)k);
		for (i = 0; i < k; i++) {
			if (fd && *fd < 0)
				*fd = fds[i];
			else
				close(fds[i]);
		}
	}
	if ((size_t)n < VHU_HDR)
		return read_full(c, (uint8_t *)m + n, VHU_HDR - (size_t)n);
	return 0;
}

/* Read the reply to request; its payload must be exactly want bytes
 * (want < 0: up to -want bytes, size returned). */
static int recv_reply(struct vhu_conn *c, uint32_t request, struct vhu_msg *m, int want)
{
	int r = read_hdr(c, m, NULL);

	if (r)
		return r;
	if (m->request != request || !(m->flags & VHU_FLAG_REPLY) ||
	    (m->flags & 3) != VHU_VERSION || m->size > sizeof(m->payload))
		return -EPROTO;
	r = read_full(c, m->payload, m->size);
	if (r)
		return r;
	if (want >= 0 && m->size != (uint32_t)want)
		return -EPROTO;
	if (want < 0 && m->size > (uint32_t)-want)
		return -EPROTO;
	return (int)m->size;
}


/* Send a message without a reply of its own; with REPLY_ACK, ask for one
 * and return the back-end's verdict, so errors surface at the call. */
static int send_set(struct vhu_conn *c, uint32_t request, const void *payload,
		    uint32_t size, const int *fds, int nfds)
{
	struct vhu_msg m = { .request = request, .flags = VHU_VERSION, .size = size };
	int ack = has_proto(c, VHU_PROTOCOL_F_REPLY_ACK), r;
	uint64_t v;

	if (size)
		memcpy(m.payload, payload, size);
	if (ack)
		m.flags |= VHU_FLAG_NEED_REPLY;
	r = send_msg(c, &m, fds, nfds);
	if (r || !ack)
		return r;
	r = recv_reply(c, request, &m, 8);
	if (r < 0)
		return r;
	memcpy(&v, m.payload, 8);
	return v ? -EIO : 0;
}

static int get_u64(struct vhu_conn *c, uint32_t request, uint64_t *v)
{
	struct vhu_msg m = { .request = request, .flags = VHU_VERSION };
	int r = send_msg(c, &m, NULL, 0);

	if (r)
		return r;
	r = recv_reply(c, request, &m, 8);
	if (r < 0)
		return r;
	memcpy(v, m.payload, 8);
	return 0;
}

static int set_u64(struct vhu_conn *c, uint32_t request, uint64_t v)
{
	return send_set(c, request, &v, 8, NULL, 0);
}

int vhu_connect(struct vhu_conn *c, const char *path, int timeout_ms)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	uint64_t pf;
	int r;

	c->fd = -1;
	c->backend_fd = -1;
	c->timeout_ms = timeout_ms;
	c->protocol_features = 0;
	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return -errno;
	if (connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		r = -errno;
		goto err_close;
	}
	r = get_u64(c, VHU_GET_FEATURES, &c->features);
	if (r)
		goto err_close;
	if (c->features & (1ULL << VHU_F_PROTOCOL_FEATURES)) {
		r = get_u64(c, VHU_GET_PROTOCOL_FEATURES, &pf);
		c->protocol_offered = pf;
		if (r)
			goto err_close;
		/* No INFLIGHT_SHMFD: qemu-storage-daemon 7.2 does not offer
		 * it; the bridge resumes a restarted back-end by re-posting
		 * (docs/virtio-argo.md §16.5). */
		pf &= (1ULL << VHU_PROTOCOL_F_MQ) | (1ULL << VHU_PROTOCOL_F_REPLY_ACK) |
		      (1ULL << VHU_PROTOCOL_F_CONFIG) | (1ULL << VHU_PROTOCOL_F_BACKEND_REQ);
		r = set_u64(c, VHU_SET_PROTOCOL_FEATURES, pf);
		if (r)
			goto err_close;
		c->protocol_features = pf;
	}
	r = send_set(c, VHU_SET_OWNER, NULL, 0, NULL, 0);
	if (r)
		goto err_close;
	if (has_proto(c, VHU_PROTOCOL_F_BACKEND_REQ)) {
		int sv[2];

		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
			r = -errno;
			goto err_close;
		}
		r = send_set(c, VHU_SET_BACKEND_REQ_FD, NULL, 0, &sv[1], 1);
		close(sv[1]);
		if (r) {
			close(sv[0]);
			goto err_close;
		}
		c->backend_fd = sv[0];
	}
	return 0;

err_close:
	vhu_close(c);
	return r;
}

void vhu_close(struct vhu_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	if (c->backend_fd >= 0)
		close(c->backend_fd);
	c->fd = -1;
	c->backend_fd = -1;
}

int vhu_get_queue_num(struct vhu_conn *c, uint32_t *num)
{
	uint64_t v;
	int r;

	if (!has_proto(c, VHU_PROTOCOL_F_MQ)) {
		*num = 1;
		return 0;
	}
	r = get_u64(c, VHU_GET_QUEUE_NUM, &v);
	if (r)
		return r;
	if (v == 0 || v > 0xFFFF)
		return -EPROTO;
	*num = (uint32_t)v;
	return 0;
}

int vhu_set_features(struct vhu_conn *c, uint64_t features)
{
	return set_u64(c, VHU_SET_FEATURES, features);
}

int vhu_set_mem_table(struct vhu_conn *c, int fd, uint64_t gpa,
		      uint64_t size, uint64_t uaddr)
{
	uint64_t p[5] = { 1, gpa, size, uaddr, 0 };	/* nregions + pad, region */

	return send_set(c, VHU_SET_MEM_TABLE, p, sizeof(p), &fd, 1);
}

int vhu_set_vring(struct vhu_conn *c, uint32_t index, uint32_t num,
		  uint64_t desc, uint64_t avail, uint64_t used, uint16_t base,
		  int kick_fd, int call_fd)
{
	uint32_t st[2] = { index, num };
	struct {
		uint32_t index, flags;
		uint64_t desc, used, avail, log;
	} addr = { index, 0, desc, used, avail, 0 };
	int r;

	r = send_set(c, VHU_SET_VRING_NUM, st, 8, NULL, 0);
	st[1] = base;
	if (!r)
		r = send_set(c, VHU_SET_VRING_BASE, st, 8, NULL, 0);
	if (!r)
		r = send_set(c, VHU_SET_VRING_ADDR, &addr, sizeof(addr), NULL, 0);
	if (!r)
		r = send_set(c, VHU_SET_VRING_CALL, &(uint64_t){ index }, 8, &call_fd, 1);
	if (!r)
		r = send_set(c, VHU_SET_VRING_KICK, &(uint64_t){ index }, 8, &kick_fd, 1);
	return r;
}

int vhu_set_vring_enable(struct vhu_conn *c, uint32_t index, int enable)
{
	uint32_t st[2] = { index, !!enable };

	if (!(c->features & (1ULL << VHU_F_PROTOCOL_FEATURES)))
		return 0;	/* rings start enabled without it */
	return send_set(c, VHU_SET_VRING_ENABLE, st, 8, NULL, 0);
}

int vhu_get_config(struct vhu_conn *c, uint32_t offset, void *buf, uint32_t len)
{
	struct vhu_msg m = { .request = VHU_GET_CONFIG, .flags = VHU_VERSION };
	uint32_t h[3] = { offset, len, 0 };
	int r;

	if (!has_proto(c, VHU_PROTOCOL_F_CONFIG))
		return -EOPNOTSUPP;
	if (len > VHU_MAX_CONFIG)
		return -EINVAL;
	m.size = 12 + len;
	memcpy(m.payload, h, 12);
	memset(m.payload + 12, 0, len);
	r = send_msg(c, &m, NULL, 0);
	if (r)
		return r;
	/* A back-end that fails answers with size 0 (libvhost-user). */
	r = recv_reply(c, VHU_GET_CONFIG, &m, -(int)(12 + len));
	if (r < 0)
		return r;
	if ((uint32_t)r != 12 + len)
		return -EIO;
	memcpy(buf, m.payload + 12, len);
	return 0;
}

int vhu_set_config(struct vhu_conn *c, uint32_t offset, const void *buf, uint32_t len)
{
	uint8_t p[12 + VHU_MAX_CONFIG];
	uint32_t h[3] = { offset, len, 0 };

	if (!has_proto(c, VHU_PROTOCOL_F_CONFIG))
		return -EOPNOTSUPP;
	if (len > VHU_MAX_CONFIG)
		return -EINVAL;
	memcpy(p, h, 12);
	memcpy(p + 12, buf, len);
	return send_set(c, VHU_SET_CONFIG, p, 12 + len, NULL, 0);
}

int vhu_backend_msg(struct vhu_conn *c)
{
	struct vhu_conn bc = { .fd = c->backend_fd, .backend_fd = -1,
			       .timeout_ms = c->timeout_ms };
	struct vhu_msg m;
	uint64_t ok = 0;
	int r;

	r = read_hdr(&bc, &m, NULL);
	if (r)
		return r;
	if ((m.flags & 3) != VHU_VERSION || m.size > sizeof(m.payload))
		return -EPROTO;
	r = read_full(&bc, m.payload, m.size);
	if (r)
		return r;
	if (m.flags & VHU_FLAG_NEED_REPLY) {
		struct vhu_msg a = { .request = m.request, .flags = VHU_VERSION | VHU_FLAG_REPLY,
				     .size = 8 };

		memcpy(a.payload, &ok, 8);
		r = send_msg(&bc, &a, NULL, 0);
		if (r)
			return r;
	}
	return (int)m.request;
}
