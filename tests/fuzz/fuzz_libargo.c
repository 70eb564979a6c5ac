// SPDX-License-Identifier: MIT
/*
 * Fuzz target: lib/libargo's argument checks and message handling, against
 * the fake /dev/argo driver the unit tests use (tests/unit/fake_argo_dev.c,
 * reached through -Wl,--wrap=ioctl) and a socketpair standing in for the
 * device's read side. The input is a program of calls; a small model says
 * what each must do:
 *
 *  - argo_sendv/argo_send: EINVAL for a NULL handle or destination, a bad
 *    iovcnt or a NULL piece with a length (before anything else), EMSGSIZE
 *    past ARGO_MSG_MAX; otherwise exactly one SEND ioctl carrying the
 *    concatenation of the pieces, and its result. Every iov array and
 *    buffer is a heap block of exactly the size claimed, so ASan catches a
 *    read past what the caller handed in (including huge lengths libargo
 *    must refuse without touching).
 *  - argo_recv: whatever the device hands back (arbitrary bytes, any
 *    length) is returned only if its header's length matches what was
 *    read, else EPROTO; never more than the caller's buffer.
 *  - argo_space/argo_connect/argo_bind: the fields reach the driver
 *    unchanged, pads zero.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "fake_argo_dev.h"
#include "fuzz.h"
#include "libargo.h"
#include "libargo-internal.h"

#define MAX_PIECES	12
#define MAX_PIECE	96

static struct argo_handle *h;
static int peer;
/* Real memory for pieces up to ARGO_MSG_MAX, ending where the block ends. */
static uint8_t *big;

static void setup(void)
{
	int sv[2];

	if (h)
		return;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		abort();
	h = libargo_wrap_fd(sv[0], ARGO_DEV_ABI_VERSION);
	if (!h || argo_set_nonblocking(h, 1))
		abort();
	peer = sv[1];
	fake_copy_max = MAX_PIECES * MAX_PIECE;
	big = calloc(1, ARGO_MSG_MAX);
	if (!big)
		abort();
	fake_on = 1;
}

/* A length: mostly small, sometimes (1 in 8) at or past the limits. */
static size_t piece_len(struct fuzz_in *in)
{
	switch (fuzz_u8(in) % 32) {
	case 0: return ARGO_MSG_MAX - fuzz_u8(in);
	case 1: return ARGO_MSG_MAX + 1;
	case 2: return SIZE_MAX;
	case 3: return SIZE_MAX / 2 + 1;
	default: return fuzz_u8(in) % MAX_PIECE;
	}
}

static void do_sendv(struct fuzz_in *in)
{
	uint8_t f = fuzz_u8(in), want[MAX_PIECES * MAX_PIECE];
	struct argo_peer dst = { .domain = fuzz_u16(in), .port = fuzz_u32(in) };
	uint32_t type = fuzz_u32(in);
	int iovcnt, real = fuzz_u8(in) % (MAX_PIECES + 1), bad = 0, i;
	struct iovec *iov = NULL;
	void *bufs[MAX_PIECES] = { 0 };
	size_t total = 0, wlen = 0;
	int sends0 = sends, e_model;
	ssize_t r;

	/* iovcnt: usually the array's length, sometimes a lie past the limit. */
	switch (f >> 4) {
	case 0: iovcnt = -1; break;
	case 1: iovcnt = ARGO_IOV_MAX + 1; break;
	case 2: iovcnt = INT_MAX; break;
	case 3: iovcnt = INT_MIN; break;
	default: iovcnt = real;
	}
	if (real && !(f & 4)) {
		iov = malloc(real * sizeof(*iov));
		if (!iov)
			abort();
	}
	for (i = 0; i < real; i++) {
		size_t n = piece_len(in);
		int null = fuzz_u8(in) % 8 == 0;

		if (!iov)
			continue;
		iov[i].iov_len = n;
		if (null || n > ARGO_MSG_MAX) {
			/* NULL, or a one-byte block claiming n bytes: refused. */
			bufs[i] = null ? NULL : malloc(1);
			iov[i].iov_base = bufs[i];
		} else if (n > MAX_PIECE) {
			iov[i].iov_base = big + ARGO_MSG_MAX - n;
		} else {
			uint32_t k = (uint32_t)n;

			bufs[i] = malloc(n ? n : 1);
			if (!bufs[i])
				abort();
			fuzz_fill(in, bufs[i], k);
			iov[i].iov_base = bufs[i];
		}
		if (!iov[i].iov_base && n)
			bad = 1;
		if (total <= ARGO_MSG_MAX && n <= ARGO_MSG_MAX - total)
			total += n;
		else
			total = (size_t)ARGO_MSG_MAX + 1;
		if (n <= ARGO_MSG_MAX && iov[i].iov_base) {
			if (wlen + n <= sizeof(want))
				memcpy(want + wlen, iov[i].iov_base, n);
			wlen += n;
		}
	}
	fake_errno = f & 8 ? ECONNREFUSED : 0;

	if (f & 1)
		e_model = EINVAL;		/* NULL handle or destination */
	else if (iovcnt < 0 || iovcnt > (int)ARGO_IOV_MAX || (!iov && iovcnt))
		e_model = EINVAL;
	else if (bad)
		e_model = EINVAL;
	else if (total > ARGO_MSG_MAX)
		e_model = EMSGSIZE;
	else
		e_model = fake_errno;

	errno = 0;
	if (f & 1)
		r = argo_sendv(f & 2 ? h : NULL, f & 2 ? NULL : &dst, type, iov, iovcnt);
	else
		r = argo_sendv(h, &dst, type, iov, iovcnt);

	if (e_model) {
		FUZZ_ASSERT(r == -1 && errno == e_model,
			    "sendv: expected -1/%d, got %zd/%d (iovcnt %d)", e_model, r,
			    errno, iovcnt);
		if (e_model != fake_errno || (f & 1))
			FUZZ_ASSERT(sends == sends0, "sendv refused (%d) yet %d sends",
				    e_model, sends - sends0);
	} else {
		FUZZ_ASSERT(r == (ssize_t)total, "sendv: expected %zu, got %zd/%d",
			    total, r, errno);
	}
	if (e_model == 0 || e_model == fake_errno) {
		if (!(f & 1) && (e_model == 0 || fake_errno)) {
			FUZZ_ASSERT(sends == sends0 + 1, "%d SENDs for one sendv",
				    sends - sends0);
			FUZZ_ASSERT(last_send.len == wlen && last_send.type == type &&
				    last_send.dst.domain == dst.domain &&
				    last_send.dst.port == dst.port && !last_send.dst.pad,
				    "SEND len %u (want %zu) type %u", last_send.len,
				    wlen, last_send.type);
			FUZZ_ASSERT(!wlen || wlen > sizeof(want) ||
				    !memcmp(last_payload, want, wlen),
				    "payload of %zu bytes differs", wlen);
		}
	}
	fake_errno = 0;
	for (i = 0; i < real; i++)
		free(bufs[i]);
	free(iov);
}

static void do_recv(struct fuzz_in *in)
{
	uint8_t msg[256];
	uint32_t mlen = fuzz_u8(in), blen = fuzz_u8(in) % 200;
	const struct argo_dev_msg *hdr = (const void *)msg;
	size_t got, need = sizeof(*hdr) + blen;
	uint8_t *buf = blen ? malloc(blen) : NULL;
	struct argo_peer src;
	uint32_t type;
	ssize_t r;

	fuzz_fill(in, msg, mlen);
	if (send(peer, msg, mlen, 0) != (ssize_t)mlen)
		abort();
	errno = 0;
	r = argo_recv(h, buf, blen, &src, &type);
	got = mlen < need ? mlen : need;	/* SEQPACKET truncates */
	if (got < sizeof(*hdr) || hdr->len != got - sizeof(*hdr)) {
		FUZZ_ASSERT(r == -1 && errno == EPROTO,
			    "recv of %u bytes into %u: expected EPROTO, got %zd/%d",
			    mlen, blen, r, errno);
	} else {
		FUZZ_ASSERT(r == (ssize_t)hdr->len && r <= (ssize_t)blen,
			    "recv: expected %u, got %zd/%d", hdr->len, r, errno);
		FUZZ_ASSERT(!r || !memcmp(buf, msg + sizeof(*hdr), (size_t)r),
			    "recv: %zd bytes differ", r);
		FUZZ_ASSERT(src.domain == hdr->src.domain && src.port == hdr->src.port &&
			    type == hdr->type, "recv: source/type differ (%u)", 0);
	}
	/* Nothing queued now: non-blocking recv says so. */
	errno = 0;
	r = argo_recv(h, buf, blen, NULL, NULL);
	FUZZ_ASSERT(r == -1 && errno == EAGAIN, "empty recv: %zd/%d", r, errno);
	free(buf);
}

static void do_control(struct fuzz_in *in)
{
	struct argo_peer dst = { .domain = fuzz_u16(in), .port = fuzz_u32(in) };
	uint32_t a = fuzz_u32(in), max = 0;
	uint16_t partner = fuzz_u16(in);
	int r;

	r = argo_space(h, &dst, a, &max);
	FUZZ_ASSERT(r == (a <= 4064) && max == 4064 && last_space.len == a &&
		    last_space.dst.domain == dst.domain &&
		    last_space.dst.port == dst.port && !last_space.dst.pad,
		    "space(%u): %d max %u", a, r, max);
	r = argo_connect(h, &dst, a);
	FUZZ_ASSERT(!r && last_connect.poll_len == a && !last_connect.pad &&
		    last_connect.dst.port == dst.port && !last_connect.dst.pad,
		    "connect(%u): %d", a, r);
	r = argo_bind(h, dst.port, partner, a);
	FUZZ_ASSERT(!r && last_bind.port == dst.port && last_bind.partner == partner &&
		    last_bind.ring_size == a && !last_bind.pad && !last_bind.flags,
		    "bind: %d", r);
	errno = 0;
	FUZZ_ASSERT(argo_space(NULL, &dst, a, NULL) == -1 && errno == EINVAL &&
		    argo_space(h, NULL, a, NULL) == -1 && errno == EINVAL,
		    "space with NULL: errno %d", errno);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = FUZZ_IN(data, size);
	unsigned int ops = 0;

	setup();
	while (fuzz_left(&in) && ops++ < 32) {
		switch (fuzz_u8(&in) % 3) {
		case 0: do_sendv(&in); break;
		case 1: do_recv(&in); break;
		default: do_control(&in); break;
		}
	}
	return 0;
}
