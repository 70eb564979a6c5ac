// SPDX-License-Identifier: MIT
/* libargo: see libargo.h and docs/libargo.md. */
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
#include "libargo-internal.h"

_Static_assert(ARGO_DOMID_ANY == ARGO_DEV_DOMID_ANY, "ARGO_DOMID_ANY");
_Static_assert(ARGO_DOMID_IMPLICIT == ARGO_DEV_DOMID_IMPLICIT, "IMPLICIT");
_Static_assert(ARGO_DOMID_UPSTREAM == ARGO_DEV_DOMID_UPSTREAM, "UPSTREAM");
_Static_assert(ARGO_FEATURE_CABLES == ARGO_DEV_FEATURE_CABLES, "CABLES");
_Static_assert(ARGO_FEATURE_NOTIFY_HIDE == ARGO_DEV_FEATURE_NOTIFY_HIDE,
	       "NOTIFY_HIDE");
_Static_assert(ARGO_FEATURE_SUPPRESS == ARGO_DEV_FEATURE_SUPPRESS, "SUPPRESS");
_Static_assert(ARGO_FEATURE_SENDV_BATCH == ARGO_DEV_FEATURE_SENDV_BATCH, "SENDV_BATCH");
_Static_assert(ARGO_FEATURE_NOTIFY_VECTOR == ARGO_DEV_FEATURE_NOTIFY_VECTOR, "NOTIFY_VECTOR");
_Static_assert(ARGO_CABLE_DEAD == ARGO_DEV_CABLE_DEAD, "CABLE_DEAD");
_Static_assert(ARGO_CABLES_MAX == ARGO_DEV_CABLES_MAX, "CABLES_MAX");

_Static_assert(ARGO_BATCH_MAX == ARGO_DEV_BATCH_MAX, "BATCH_MAX");
_Static_assert(sizeof(struct argo_dev_msg) % ARGO_DEV_MSG_ALIGN == 0,
	       "a header keeps the payload aligned");

struct argo_handle {
	int fd;
	uint32_t abi_version;
};

/* Fail with errno e: -1 (for the int and ssize_t returns). */
static int fail(int e)
{
	errno = e;
	return -1;
}

int libargo_check_abi(uint32_t driver_version)
{
	/* 5 only added calls to 4: a driver of 4 lacks the batches, which
	 * then fall back to one call per message. */
	return driver_version >= LIBARGO_ABI_MIN &&
	       driver_version <= ARGO_DEV_ABI_VERSION ? 0 : EPROTO;
}

struct argo_handle *libargo_wrap_fd(int fd, uint32_t abi_version)
{
	struct argo_handle *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->fd = fd;
	h->abi_version = abi_version;
	return h;
}

struct argo_handle *libargo_open_path(const char *path)
{
	struct argo_handle *h;
	uint32_t v = 0;
	int fd, e;

	if (!path) {
		errno = EINVAL;
		return NULL;
	}
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (ioctl(fd, ARGO_IOC_VERSION, &v) < 0) {
		/* Not /dev/argo, or a driver from before the version ioctl. */
		e = errno == ENOTTY || errno == EINVAL ? EPROTO : errno;
		goto out_close;
	}
	e = libargo_check_abi(v);
	if (e)
		goto out_close;
	h = libargo_wrap_fd(fd, v);
	if (h)
		return h;
	e = errno;
out_close:
	close(fd);
	errno = e;
	return NULL;
}

struct argo_handle *argo_open(void)
{
	return libargo_open_path("/dev/argo");
}

void argo_close(struct argo_handle *h)
{
	int e = errno;

	if (!h)
		return;
	close(h->fd);
	free(h);
	errno = e;
}

int argo_fd(const struct argo_handle *h)
{
	return h ? h->fd : fail(EINVAL);
}

int argo_abi_version(const struct argo_handle *h)
{
	return h ? (int)h->abi_version : fail(EINVAL);
}

int argo_set_nonblocking(struct argo_handle *h, int on)
{
	int fl;

	if (!h)
		return fail(EINVAL);
	fl = fcntl(h->fd, F_GETFL);
	if (fl < 0)
		return -1;
	fl = on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK;
	return fcntl(h->fd, F_SETFL, fl) < 0 ? -1 : 0;
}

int argo_bind(struct argo_handle *h, uint32_t port, uint16_t partner,
	      uint32_t ring_size)
{
	struct argo_dev_bind b = {
		.port = port, .partner = partner, .ring_size = ring_size,
	};

	if (!h)
		return fail(EINVAL);
	return ioctl(h->fd, ARGO_IOC_BIND, &b) < 0 ? -1 : 0;
}

ssize_t argo_send(struct argo_handle *h, const struct argo_peer *dst,
		  uint32_t type, const void *buf, size_t len)
{
	struct argo_dev_send s;

	if (!h || !dst || (!buf && len))
		return fail(EINVAL);
	if (len > ARGO_MSG_MAX)
		return fail(EMSGSIZE);
	/* The cable picks the port too: a port here would be ignored. */
	if (dst->domain == ARGO_DOMID_IMPLICIT && dst->port)
		return fail(EINVAL);
	memset(&s, 0, sizeof(s));
	s.dst.port = dst->port;
	s.dst.domain = dst->domain;
	s.type = type;
	s.len = (uint32_t)len;
	s.buf = (uint64_t)(uintptr_t)buf;
	return ioctl(h->fd, ARGO_IOC_SEND, &s);
}

int argo_features(struct argo_handle *h, uint32_t *features)
{
	uint32_t f = 0;

	if (!h || !features)
		return fail(EINVAL);
	if (ioctl(h->fd, ARGO_IOC_FEATURES, &f) < 0)
		return -1;
	*features = f;
	return 0;
}

static int cable_op(struct argo_handle *h, uint32_t cmd, uint16_t domain,
		    struct argo_dev_cable *ents, uint32_t *nent)
{
	struct argo_dev_cable_op op;

	memset(&op, 0, sizeof(op));
	op.cmd = cmd;
	op.domain = domain;
	op.nent = *nent;
	op.ents = (uint64_t)(uintptr_t)ents;
	if (ioctl(h->fd, ARGO_IOC_CABLE, &op) < 0)
		return -1;
	*nent = op.nent;
	return 0;
}

int argo_cable_add(struct argo_handle *h, uint16_t domain, uint32_t src_port,
		   uint16_t dst_domain, uint32_t dst_port)
{
	struct argo_dev_cable c;
	uint32_t n = 1;

	if (!h)
		return fail(EINVAL);
	memset(&c, 0, sizeof(c));
	c.src_port = src_port;
	c.dst_domain = dst_domain;
	c.dst_port = dst_port;
	return cable_op(h, ARGO_DEV_CABLE_ADD, domain, &c, &n);
}

int argo_cable_del(struct argo_handle *h, uint16_t domain, uint32_t src_port)
{
	struct argo_dev_cable c;
	uint32_t n = 1;

	if (!h)
		return fail(EINVAL);
	memset(&c, 0, sizeof(c));
	c.src_port = src_port;
	return cable_op(h, ARGO_DEV_CABLE_DEL, domain, &c, &n);
}

int argo_cable_list(struct argo_handle *h, uint16_t domain,
		    struct argo_cable *out, unsigned int n)
{
	struct argo_dev_cable ents[ARGO_DEV_CABLES_MAX];
	uint32_t i, got = ARGO_DEV_CABLES_MAX;

	if (!h || (!out && n))
		return fail(EINVAL);
	memset(ents, 0, sizeof(ents));
	if (cable_op(h, ARGO_DEV_CABLE_LIST, domain, ents, &got) < 0)
		return -1;
	for (i = 0; i < got && i < n && i < ARGO_DEV_CABLES_MAX; i++) {
		out[i].src_port = ents[i].src_port;
		out[i].dst_domain = ents[i].dst_domain;
		out[i].flags = ents[i].flags;
		out[i].dst_port = ents[i].dst_port;
	}
	return got > INT32_MAX ? fail(EPROTO) : (int)got;
}

int libargo_iov_total(const struct iovec *iov, int iovcnt, size_t *total)
{
	size_t sum = 0;
	int i, too_big = 0;

	if (iovcnt < 0 || iovcnt > ARGO_IOV_MAX || (!iov && iovcnt))
		return EINVAL;
	for (i = 0; i < iovcnt; i++) {
		if (!iov[i].iov_base && iov[i].iov_len)
			return EINVAL;
		/* Compared before adding, so the sum cannot wrap. */
		if (iov[i].iov_len > ARGO_MSG_MAX - sum)
			too_big = 1;
		else
			sum += iov[i].iov_len;
	}
	if (too_big)
		return EMSGSIZE;
	*total = sum;
	return 0;
}

void libargo_gather(void *dst, const struct iovec *iov, int iovcnt)
{
	unsigned char *p = dst;
	int i;

	for (i = 0; i < iovcnt; i++) {
		if (!iov[i].iov_len)
			continue;
		memcpy(p, iov[i].iov_base, iov[i].iov_len);
		p += iov[i].iov_len;
	}
}

ssize_t argo_sendv(struct argo_handle *h, const struct argo_peer *dst,
		   uint32_t type, const struct iovec *iov, int iovcnt)
{
	const struct iovec *only = NULL;
	size_t total;
	ssize_t ret;
	void *buf;
	int i, e;

	if (!h || !dst)
		return fail(EINVAL);
	e = libargo_iov_total(iov, iovcnt, &total);
	if (e)
		return fail(e);
	/* One piece (or none) with data: send it in place. */
	for (i = 0; i < iovcnt; i++) {
		if (!iov[i].iov_len)
			continue;
		if (only)
			break;
		only = &iov[i];
	}
	if (i == iovcnt)
		return argo_send(h, dst, type, only ? only->iov_base : NULL,
				 total);
	/* /dev/argo sends one buffer per message: gather the pieces. */
	buf = malloc(total);
	if (!buf)
		return -1;
	libargo_gather(buf, iov, iovcnt);
	ret = argo_send(h, dst, type, buf, total);
	e = errno;
	free(buf);
	errno = e;
	return ret;
}

ssize_t argo_recv(struct argo_handle *h, void *buf, size_t len,
		  struct argo_peer *src, uint32_t *type)
{
	struct argo_dev_msg hdr;
	struct iovec iov[2];
	ssize_t n;

	if (!h || (!buf && len))
		return fail(EINVAL);
	/* One readv puts the header here and the payload straight into the
	 * caller's buffer: the driver's read takes one message per call,
	 * whatever the pieces. No message is larger than ARGO_MSG_MAX. */
	iov[0].iov_base = &hdr;
	iov[0].iov_len = sizeof(hdr);
	iov[1].iov_base = buf;
	iov[1].iov_len = len < ARGO_MSG_MAX ? len : ARGO_MSG_MAX;
	n = readv(h->fd, iov, 2);
	if (n < 0)
		return -1;
	if ((size_t)n < sizeof(hdr) || hdr.len != (size_t)n - sizeof(hdr))
		return fail(EPROTO);
	if (src) {
		src->domain = hdr.src.domain;
		src->port = hdr.src.port;
	}
	if (type)
		*type = hdr.type;
	return hdr.len;
}

int argo_msg_next(const void *buf, size_t used, size_t *off,
		  struct argo_msg_view *m)
{
	const unsigned char *p = buf;
	struct argo_dev_msg hdr;
	size_t o;

	if ((!buf && used) || !off || !m)
		return fail(EINVAL);
	o = *off;
	if (o >= used)
		return 0;
	/* Each comparison leaves room for the next: no sum can wrap. */
	if (o % ARGO_DEV_MSG_ALIGN || used - o < sizeof(hdr))
		return fail(EPROTO);
	memcpy(&hdr, p + o, sizeof(hdr));
	o += sizeof(hdr);
	if (hdr.len > used - o)
		return fail(EPROTO);
	m->src.domain = hdr.src.domain;
	m->src.port = hdr.src.port;
	m->type = hdr.type;
	m->len = hdr.len;
	m->data = p + o;
	o += hdr.len;
	/* The next message starts aligned; the last one may end the buffer. */
	if (o < used)
		o += (ARGO_DEV_MSG_ALIGN - o % ARGO_DEV_MSG_ALIGN) % ARGO_DEV_MSG_ALIGN;
	*off = o < used ? o : used;
	return 1;
}

/* ABI 4: read one message per call at the batch's offsets, and while
 * more are queued (a poll that does not wait), the next. */
static ssize_t recv_many_one_by_one(struct argo_handle *h, unsigned char *buf,
				    size_t len, unsigned int max_msgs,
				    size_t *used)
{
	size_t off = 0, end = 0;
	unsigned int count = 0;
	struct pollfd p;
	ssize_t n;

	while (count < max_msgs && off < len) {
		if (count) {
			p.fd = h->fd;
			p.events = POLLIN;
			p.revents = 0;
			if (poll(&p, 1, 0) <= 0 || !(p.revents & POLLIN))
				break;
		}
		n = read(h->fd, buf + off, len - off);
		if (n < 0) {
			if (!count)
				return -1;
			break;
		}
		if ((size_t)n < sizeof(struct argo_dev_msg))
			return count ? (ssize_t)count : fail(EPROTO);
		count++;
		end = off + (size_t)n;
		off = end + (ARGO_DEV_MSG_ALIGN - end % ARGO_DEV_MSG_ALIGN) % ARGO_DEV_MSG_ALIGN;
	}
	if (used)
		*used = end;
	return count;
}

ssize_t argo_recv_many(struct argo_handle *h, void *buf, size_t len,
		       unsigned int max_msgs, size_t *used)
{
	struct argo_dev_recv_many rm;
	int r;

	if (!h || !buf || !max_msgs || max_msgs > ARGO_BATCH_MAX)
		return fail(EINVAL);
	if (len > UINT32_MAX)
		len = UINT32_MAX & ~(size_t)(ARGO_DEV_MSG_ALIGN - 1);
	if (h->abi_version < 5)
		return recv_many_one_by_one(h, buf, len, max_msgs, used);
	memset(&rm, 0, sizeof(rm));
	rm.buf = (uint64_t)(uintptr_t)buf;
	rm.len = (uint32_t)len;
	rm.max_msgs = max_msgs;
	r = ioctl(h->fd, ARGO_IOC_RECV_MANY, &rm);
	if (r < 0)
		return -1;
	/* The driver's word on what it wrote, checked before anyone reads it. */
	if (rm.count != (uint32_t)r || !rm.count || rm.count > max_msgs ||
	    rm.bytes > len || rm.bytes < sizeof(struct argo_dev_msg))
		return fail(EPROTO);
	if (used)
		*used = rm.bytes;
	return rm.count;
}

int libargo_out_check(const struct argo_out_msg *msgs, unsigned int n,
		      unsigned int *bad)
{
	unsigned int i;

	if (!msgs || !n || n > ARGO_BATCH_MAX) {
		*bad = 0;
		return EINVAL;
	}
	for (i = 0; i < n; i++) {
		*bad = i;
		if (!msgs[i].buf && msgs[i].len)
			return EINVAL;
		if (msgs[i].dst.domain == ARGO_DOMID_IMPLICIT && msgs[i].dst.port)
			return EINVAL;
		if (msgs[i].len > ARGO_MSG_MAX)
			return EMSGSIZE;
	}
	return 0;
}

ssize_t argo_send_many(struct argo_handle *h, const struct argo_out_msg *msgs,
		       unsigned int n)
{
	struct argo_dev_send ents[64];
	struct argo_dev_send *e = ents;
	struct argo_dev_send_many sm;
	unsigned int i, bad;
	int r, err;

	if (!h)
		return fail(EINVAL);
	err = libargo_out_check(msgs, n, &bad);
	if (err)
		return fail(err);
	if (h->abi_version < 5) {
		for (i = 0; i < n; i++)
			if (argo_send(h, &msgs[i].dst, msgs[i].type, msgs[i].buf,
				      msgs[i].len) < 0)
				return i ? (ssize_t)i : -1;
		return n;
	}
	if (n > sizeof(ents) / sizeof(ents[0])) {
		e = calloc(n, sizeof(*e));
		if (!e)
			return -1;
	} else {
		memset(ents, 0, sizeof(ents));
	}
	for (i = 0; i < n; i++) {
		e[i].dst.port = msgs[i].dst.port;
		e[i].dst.domain = msgs[i].dst.domain;
		e[i].type = msgs[i].type;
		e[i].len = (uint32_t)msgs[i].len;
		e[i].buf = (uint64_t)(uintptr_t)msgs[i].buf;
	}
	memset(&sm, 0, sizeof(sm));
	sm.msgs = (uint64_t)(uintptr_t)e;
	sm.count = n;
	r = ioctl(h->fd, ARGO_IOC_SEND_MANY, &sm);
	err = errno;
	if (e != ents)
		free(e);
	if (r < 0)
		return fail(err);
	if ((unsigned int)r > n || sm.sent != (uint32_t)r)
		return fail(EPROTO);
	if ((unsigned int)r < n)
		errno = sm.error ? (int)sm.error : EPROTO;
	return r;
}

int argo_stats(struct argo_handle *h, struct argo_stats *st)
{
	struct argo_dev_stats d;

	if (!h || !st)
		return fail(EINVAL);
	if (h->abi_version < 5)
		return fail(EPROTO);
	memset(&d, 0, sizeof(d));
	if (ioctl(h->fd, ARGO_IOC_STATS, &d) < 0)
		return -1;
	st->hc_sendv = d.hc_sendv;
	st->hc_sendv_eagain = d.hc_sendv_eagain;
	st->hc_notify = d.hc_notify;
	st->hc_notify_query = d.hc_notify_query;
	st->virqs = d.virqs;
	st->ring_msgs_received = d.ring_msgs_received;
	st->ring_notifies = d.ring_notifies;
	st->ring_rx_calls = d.ring_rx_calls;
	st->sys_read = d.sys_read;
	st->sys_write = d.sys_write;
	st->sys_send = d.sys_send;
	st->sys_send_many = d.sys_send_many;
	st->sys_recv_many = d.sys_recv_many;
	st->sys_poll = d.sys_poll;
	st->sys_space = d.sys_space;
	st->sys_other = d.sys_other;
	st->rx_wakeups = d.rx_wakeups;
	st->tx_wakeups = d.tx_wakeups;
	st->tx_waits = d.tx_waits;
	st->msgs_sent = d.msgs_sent;
	st->msgs_received = d.msgs_received;
	return 0;
}

int argo_space(struct argo_handle *h, const struct argo_peer *dst,
	       uint32_t len, uint32_t *max_len)
{
	struct argo_dev_space q;
	int r;

	if (!h || !dst)
		return fail(EINVAL);
	memset(&q, 0, sizeof(q));
	q.dst.port = dst->port;
	q.dst.domain = dst->domain;
	q.len = len;
	r = ioctl(h->fd, ARGO_IOC_SPACE, &q);
	if (r >= 0 && max_len)
		*max_len = q.max_len;
	return r;
}

int argo_connect(struct argo_handle *h, const struct argo_peer *dst,
		 uint32_t poll_len)
{
	struct argo_dev_connect c;

	if (!h || !dst)
		return fail(EINVAL);
	memset(&c, 0, sizeof(c));
	c.dst.port = dst->port;
	c.dst.domain = dst->domain;
	c.poll_len = poll_len;
	return ioctl(h->fd, ARGO_IOC_CONNECT, &c) < 0 ? -1 : 0;
}

ssize_t argo_write(struct argo_handle *h, const void *buf, size_t len)
{
	if (!h || (!buf && len))
		return fail(EINVAL);
	if (len > ARGO_MSG_MAX)
		return fail(EMSGSIZE);
	return write(h->fd, buf, len);
}

int argo_wait(struct argo_handle *h, int timeout_ms)
{
	struct pollfd p;
	int n;

	if (!h)
		return fail(EINVAL);
	p.fd = h->fd;
	p.events = POLLIN;
	p.revents = 0;
	do
		n = poll(&p, 1, timeout_ms);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -1 : n > 0;
}

const char *argo_strerror(int errnum)
{
	switch (errnum) {
	case EACCES:
	case EPERM:
		return "denied by Xen's Argo policy";
	case ECONNREFUSED:
		return "no ring registered for us at the destination";
	case ESRCH:
		return "no such domain";
	case EMSGSIZE:
		return "message too large for the destination's ring "
		       "(or, receiving, for the buffer)";
	case EAGAIN:
		return "would block: the destination's ring is full, "
		       "or no message is queued";
	case EBUSY:
		return "endpoint already bound, or too many senders "
		       "already wait on that ring";
	case EEXIST:
		return "that port and partner already have a ring in this domain";
	case ENOSPC:
		return "too many rings registered in this domain "
		       "(or, for a cable, the domain has 64)";
	case ENOTCONN:
		return "endpoint not bound (argo_bind first), or no cable on "
		       "the source port (ARGO_DOMID_IMPLICIT)";
	case ENXIO:
		return "no hypervisor above this one (ARGO_DOMID_UPSTREAM "
		       "is reserved: nested Argo is not supported)";
	case ENOENT:
		return "no /dev/argo (is argo_char.ko loaded?), or no such "
		       "cable";
	case EDESTADDRREQ:
		return "no destination (argo_connect first)";
	case EOPNOTSUPP:
		return "Argo is disabled in Xen (boot Xen with argo=1), or "
		       "this Xen lacks the operation (patch cables)";
	case EPROTO:
		return "/dev/argo's ABI differs from libargo's "
		       "(another version, or a malformed message)";
	default:
		return strerror(errnum);
	}
}
