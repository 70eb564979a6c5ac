// SPDX-License-Identifier: MIT
/*
 * Host tests of lib/libargo, with no Xen and no /dev/argo: argument
 * checks, errors, argo_sendv's gather, and what each call hands the
 * driver. The test links with -Wl,--wrap=ioctl, so libargo's ioctls reach
 * the fake driver in fake_argo_dev.c (a stand-in for argo_char.ko that records what it is
 * given) while fake_on is set, and the real ioctl otherwise. Handles over
 * a SOCK_SEQPACKET socketpair stand in for /dev/argo's read/poll: one
 * write is one message there too.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <argo/argo-dev.h>
#include "libargo.h"
#include "libargo-internal.h"
#include "fake_argo_dev.h"
#include "tap.h"

#define TAP_SKIP(name, why) do {					\
	tap_n++;							\
	printf("ok %d - %s # SKIP %s\n", tap_n, name, why);		\
} while (0)

/* -errno of a call that returned -1, or 0. */
#define RC(call) (errno = 0, (call) < 0 ? -errno : 0)

/* The lowest free descriptor: unchanged across a call that leaks none. */
static int lowest_free_fd(void)
{
	int fd = dup(0);

	if (fd >= 0)
		close(fd);
	return fd;
}

/* A handle over one end of a socketpair; *peer is the other end. */
static struct argo_handle *pair_handle(int *peer)
{
	int sv[2];
	struct argo_handle *h;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		perror("socketpair");
		exit(1);
	}
	h = libargo_wrap_fd(sv[0], ARGO_DEV_ABI_VERSION);
	if (!h)
		exit(1);
	*peer = sv[1];
	return h;
}

static void test_open(void)
{
	struct argo_handle *h;
	int fd0 = lowest_free_fd();

	if (access("/dev/argo", F_OK) == 0) {
		TAP_SKIP("open_without_dev_argo_enoent", "/dev/argo exists here");
	} else {
		h = argo_open();
		TAP_CHECK("open_without_dev_argo_enoent", !h && errno == ENOENT,
			  "expected NULL/ENOENT, got %p/%s", (void *)h, strerror(errno));
	}
	h = libargo_open_path("/nonexistent-dir/argo");
	TAP_CHECK("open_missing_path_enoent", !h && errno == ENOENT,
		  "expected NULL/ENOENT, got %p/%s", (void *)h, strerror(errno));
	errno = 0;
	h = libargo_open_path(NULL);
	TAP_CHECK("open_null_path_einval", !h && errno == EINVAL,
		  "expected NULL/EINVAL, got %p/%s", (void *)h, strerror(errno));

	/* /dev/null answers the version ioctl with ENOTTY: not /dev/argo. */
	h = libargo_open_path("/dev/null");
	TAP_CHECK("open_not_argo_eproto", !h && errno == EPROTO,
		  "expected NULL/EPROTO, got %p/%s", (void *)h, strerror(errno));

	fake_on = 1;
	fake_version = ARGO_DEV_ABI_VERSION + 1;
	h = libargo_open_path("/dev/null");
	TAP_CHECK("open_newer_abi_eproto", !h && errno == EPROTO,
		  "expected NULL/EPROTO, got %p/%s", (void *)h, strerror(errno));
	fake_version = LIBARGO_ABI_MIN - 1;
	h = libargo_open_path("/dev/null");
	TAP_CHECK("open_older_abi_eproto", !h && errno == EPROTO,
		  "expected NULL/EPROTO, got %p/%s", (void *)h, strerror(errno));
	fake_version = LIBARGO_ABI_MIN;
	h = libargo_open_path("/dev/null");
	TAP_CHECK("open_previous_abi_ok", h != NULL && argo_abi_version(h) == LIBARGO_ABI_MIN,
		  "expected a handle of ABI %d, got %s", LIBARGO_ABI_MIN, strerror(errno));
	argo_close(h);
	fake_version = ARGO_DEV_ABI_VERSION;
	h = libargo_open_path("/dev/null");
	TAP_CHECK("open_same_abi_ok", h != NULL, "expected a handle, got %s",
		  strerror(errno));
	TAP_EQ("abi_version_reported", ARGO_DEV_ABI_VERSION, argo_abi_version(h));
	TAP_CHECK("fd_is_cloexec", (fcntl(argo_fd(h), F_GETFD) & FD_CLOEXEC) != 0,
		  "flags %d", fcntl(argo_fd(h), F_GETFD));
	argo_close(h);
	fake_on = 0;
	TAP_EQ("open_failures_leak_no_fd", fd0, lowest_free_fd());

	TAP_EQ("check_abi_same", 0, libargo_check_abi(ARGO_DEV_ABI_VERSION));
	TAP_EQ("check_abi_other", EPROTO, libargo_check_abi(ARGO_DEV_ABI_VERSION + 1));
	TAP_EQ("check_abi_zero", EPROTO, libargo_check_abi(0));
}

static void test_null_handle(void)
{
	struct argo_peer dst = { .domain = 0, .port = 1 };
	struct iovec iov = { .iov_base = "x", .iov_len = 1 };
	char buf[4];

	TAP_EQ("fd_null_einval", -EINVAL, RC(argo_fd(NULL)));
	TAP_EQ("abi_version_null_einval", -EINVAL, RC(argo_abi_version(NULL)));
	TAP_EQ("set_nonblocking_null_einval", -EINVAL, RC(argo_set_nonblocking(NULL, 1)));
	TAP_EQ("bind_null_einval", -EINVAL, RC(argo_bind(NULL, 1, 0, 0)));
	TAP_EQ("send_null_einval", -EINVAL, RC(argo_send(NULL, &dst, 0, "x", 1)));
	TAP_EQ("sendv_null_einval", -EINVAL, RC(argo_sendv(NULL, &dst, 0, &iov, 1)));
	TAP_EQ("recv_null_einval", -EINVAL, RC(argo_recv(NULL, buf, sizeof(buf), NULL, NULL)));
	TAP_EQ("space_null_einval", -EINVAL, RC(argo_space(NULL, &dst, 1, NULL)));
	TAP_EQ("connect_null_einval", -EINVAL, RC(argo_connect(NULL, &dst, 0)));
	TAP_EQ("write_null_einval", -EINVAL, RC(argo_write(NULL, "x", 1)));
	TAP_EQ("wait_null_einval", -EINVAL, RC(argo_wait(NULL, 0)));
	errno = EIO;
	argo_close(NULL);
	TAP_EQ("close_null_keeps_errno", EIO, errno);
}

static void test_bad_args(void)
{
	static char big[1];
	struct argo_peer dst = { .domain = 0, .port = 1 };
	struct iovec iov[ARGO_IOV_MAX + 1];
	struct argo_handle *h;
	int peer, i;

	h = pair_handle(&peer);
	fake_on = 1;
	sends = 0;
	TAP_EQ("send_null_dst_einval", -EINVAL, RC(argo_send(h, NULL, 0, "x", 1)));
	TAP_EQ("send_null_buf_einval", -EINVAL, RC(argo_send(h, &dst, 0, NULL, 1)));
	TAP_EQ("send_over_16MiB_emsgsize", -EMSGSIZE,
	       RC(argo_send(h, &dst, 0, big, (size_t)ARGO_MSG_MAX + 1)));
	TAP_EQ("send_size_max_emsgsize", -EMSGSIZE,
	       RC(argo_send(h, &dst, 0, big, SIZE_MAX)));

	for (i = 0; i <= ARGO_IOV_MAX; i++) {
		iov[i].iov_base = big;
		iov[i].iov_len = 1;
	}
	TAP_EQ("sendv_null_dst_einval", -EINVAL, RC(argo_sendv(h, NULL, 0, iov, 1)));
	TAP_EQ("sendv_negative_iovcnt_einval", -EINVAL, RC(argo_sendv(h, &dst, 0, iov, -1)));
	TAP_EQ("sendv_too_many_pieces_einval", -EINVAL,
	       RC(argo_sendv(h, &dst, 0, iov, ARGO_IOV_MAX + 1)));
	TAP_EQ("sendv_null_iov_einval", -EINVAL, RC(argo_sendv(h, &dst, 0, NULL, 2)));
	iov[1].iov_base = NULL;
	TAP_EQ("sendv_null_piece_einval", -EINVAL, RC(argo_sendv(h, &dst, 0, iov, 3)));
	iov[1].iov_base = big;
	/* Lengths are checked before any byte is read. */
	iov[0].iov_len = ARGO_MSG_MAX / 2;
	iov[1].iov_len = ARGO_MSG_MAX / 2 + 1;
	TAP_EQ("sendv_total_over_16MiB_emsgsize", -EMSGSIZE,
	       RC(argo_sendv(h, &dst, 0, iov, 2)));
	iov[0].iov_len = SIZE_MAX;
	iov[1].iov_len = 2;
	TAP_EQ("sendv_wrapping_total_emsgsize", -EMSGSIZE,
	       RC(argo_sendv(h, &dst, 0, iov, 2)));
	iov[0].iov_len = SIZE_MAX;
	iov[1].iov_base = NULL;
	TAP_EQ("sendv_einval_before_emsgsize", -EINVAL,
	       RC(argo_sendv(h, &dst, 0, iov, 2)));
	TAP_EQ("bad_args_reach_no_driver", 0, sends);

	TAP_EQ("recv_null_buf_einval", -EINVAL, RC(argo_recv(h, NULL, 4, NULL, NULL)));
	TAP_EQ("space_null_dst_einval", -EINVAL, RC(argo_space(h, NULL, 1, NULL)));
	TAP_EQ("connect_null_dst_einval", -EINVAL, RC(argo_connect(h, NULL, 0)));
	TAP_EQ("write_null_buf_einval", -EINVAL, RC(argo_write(h, NULL, 1)));
	TAP_EQ("write_over_16MiB_emsgsize", -EMSGSIZE,
	       RC(argo_write(h, big, (size_t)ARGO_MSG_MAX + 1)));
	fake_on = 0;
	argo_close(h);
	close(peer);
}

static void test_iov_total(void)
{
	struct iovec iov[ARGO_IOV_MAX];
	size_t total = 1;
	int i;

	TAP_EQ("iov_total_zero_pieces", 0, libargo_iov_total(NULL, 0, &total));
	TAP_EQ("iov_total_zero_pieces_is_0", 0, total);
	for (i = 0; i < ARGO_IOV_MAX; i++) {
		iov[i].iov_base = iov;
		iov[i].iov_len = 1;
	}
	TAP_EQ("iov_total_iov_max_pieces", 0, libargo_iov_total(iov, ARGO_IOV_MAX, &total));
	TAP_EQ("iov_total_iov_max_sum", ARGO_IOV_MAX, total);
	iov[0].iov_len = ARGO_MSG_MAX - 1;
	TAP_EQ("iov_total_exactly_16MiB", 0, libargo_iov_total(iov, 2, &total));
	TAP_EQ("iov_total_exactly_16MiB_sum", ARGO_MSG_MAX, total);
	TAP_EQ("iov_total_16MiB_plus_1", EMSGSIZE, libargo_iov_total(iov, 3, &total));
	iov[1].iov_base = NULL;
	iov[1].iov_len = 0;
	TAP_EQ("iov_total_null_empty_piece_ok", 0, libargo_iov_total(iov, 2, &total));
}

/* Random pieces, some empty (and some of those NULL): the gathered buffer,
 * sized exactly (ASan catches any overrun), is their concatenation. */
static void test_gather(void)
{
	static unsigned char src[8192], want[8192 * 4];
	struct iovec iov[ARGO_IOV_MAX];
	int round, bad = 0, sizes_bad = 0;

	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (unsigned char)rnd(256);
	for (round = 0; round < 500; round++) {
		int n = round < 10 ? round : (int)rnd(round % 7 ? 16 : ARGO_IOV_MAX + 1);
		size_t total = 0, got = 0;
		unsigned char *out;
		int i;

		for (i = 0; i < n; i++) {
			uint32_t len = rnd(4) ? rnd(round % 5 ? 64 : 3000) : 0;
			uint32_t off = rnd(sizeof(src) - len + 1);

			if (total + len > sizeof(want))
				len = 0;
			iov[i].iov_base = len || rnd(2) ? src + off : NULL;
			iov[i].iov_len = len;
			memcpy(want + total, src + off, len);
			total += len;
		}
		if (libargo_iov_total(iov, n, &got) || got != total)
			sizes_bad++;
		out = malloc(total ? total : 1);
		if (!out)
			abort();
		libargo_gather(out, iov, n);
		if (memcmp(out, want, total))
			bad++;
		free(out);
	}
	TAP_EQ("gather_totals_500_rounds", 0, sizes_bad);
	TAP_EQ("gather_concatenates_500_rounds", 0, bad);
}

/* argo_sendv hands the driver one buffer holding the concatenation. */
static void test_sendv_driver(void)
{
	struct argo_peer dst = { .domain = 7, .port = 0x12345678 };
	char a[] = "head:", b[] = "", c[] = "body", d[] = ":tail";
	struct iovec iov[] = {
		{ a, 5 }, { b, 0 }, { NULL, 0 }, { c, 4 }, { d, 5 },
	};
	struct argo_handle *h;
	int peer;
	ssize_t r;

	h = pair_handle(&peer);
	fake_on = 1;
	memset(&last_send, 0xff, sizeof(last_send));
	r = argo_sendv(h, &dst, 42, iov, 5);
	TAP_EQ("sendv_returns_total", 14, r);
	TAP_EQ("sendv_one_send", 14, last_send.len);
	TAP_CHECK("sendv_payload_concatenated",
		  !memcmp(last_payload, "head:body:tail", 14), "got %.14s",
		  (char *)last_payload);
	TAP_EQ("sendv_dst_domain", 7, last_send.dst.domain);
	TAP_EQ("sendv_dst_port", 0x12345678, last_send.dst.port);
	TAP_EQ("sendv_dst_pad_zero", 0, last_send.dst.pad);
	TAP_EQ("sendv_type", 42, last_send.type);

	/* One piece with data is sent in place, not copied. */
	r = argo_sendv(h, &dst, 1, &iov[1], 3);
	TAP_EQ("sendv_single_piece_len", 4, r);
	TAP_CHECK("sendv_single_piece_in_place",
		  last_send.buf == (uint64_t)(uintptr_t)c, "buf %llx",
		  (unsigned long long)last_send.buf);
	r = argo_sendv(h, &dst, 1, NULL, 0);
	TAP_EQ("sendv_no_pieces_empty_message", 0, r);
	TAP_EQ("sendv_no_pieces_len", 0, last_send.len);

	/* Errors from Xen come back unchanged, and mean something. */
	fake_errno = ECONNREFUSED;
	TAP_EQ("sendv_xen_error_unchanged", -ECONNREFUSED, RC(argo_sendv(h, &dst, 0, iov, 5)));
	fake_errno = EAGAIN;
	TAP_EQ("send_xen_eagain_unchanged", -EAGAIN, RC(argo_send(h, &dst, 0, "x", 1)));
	fake_errno = 0;

	TAP_EQ("bind_ok", 0, argo_bind(h, 99, ARGO_DOMID_ANY, 4096));
	TAP_CHECK("bind_fields", last_bind.port == 99 && last_bind.partner == ARGO_DEV_DOMID_ANY &&
		  last_bind.ring_size == 4096 && !last_bind.pad && !last_bind.flags,
		  "port %u partner %u size %u pad %u flags %u", last_bind.port,
		  last_bind.partner, last_bind.ring_size, last_bind.pad, last_bind.flags);
	{
		uint32_t max = 0;

		TAP_EQ("space_yes", 1, argo_space(h, &dst, 100, &max));
		TAP_EQ("space_max_len", 4064, max);
		TAP_EQ("space_not_yet", 0, argo_space(h, &dst, 5000, NULL));
		TAP_CHECK("space_fields", last_space.dst.domain == 7 &&
			  last_space.dst.port == 0x12345678 && !last_space.dst.pad &&
			  last_space.len == 5000, "len %u", last_space.len);
		fake_errno = EMSGSIZE;
		TAP_EQ("space_error_unchanged", -EMSGSIZE, RC(argo_space(h, &dst, 1, &max)));
		fake_errno = 0;
	}
	TAP_EQ("connect_ok", 0, argo_connect(h, &dst, 256));
	TAP_CHECK("connect_fields", last_connect.dst.domain == 7 &&
		  last_connect.dst.port == 0x12345678 && !last_connect.dst.pad &&
		  last_connect.poll_len == 256 && !last_connect.pad,
		  "poll_len %u", last_connect.poll_len);
	fake_on = 0;
	TAP_EQ("bind_not_argo_enotty", -ENOTTY, RC(argo_bind(h, 1, 0, 0)));
	argo_close(h);
	close(peer);
}

/* read, poll and O_NONBLOCK, over a socketpair that keeps boundaries. */
static void test_recv(void)
{
	struct { struct argo_dev_msg m; char p[8]; } msg = {
		.m = { .src = { .port = 5000, .domain = 3 }, .type = 9, .len = 5 },
		.p = "hello",
	};
	struct argo_peer src = { 0 };
	uint32_t type = 0;
	char buf[16];
	struct argo_handle *h;
	int peer, fl;

	h = pair_handle(&peer);
	TAP_EQ("wait_empty_times_out", 0, argo_wait(h, 0));
	TAP_EQ("set_nonblocking_on", 0, argo_set_nonblocking(h, 1));
	fl = fcntl(argo_fd(h), F_GETFL);
	TAP_CHECK("fd_is_nonblocking", fl & O_NONBLOCK, "flags %#x", fl);
	TAP_EQ("recv_nonblocking_empty_eagain", -EAGAIN,
	       RC(argo_recv(h, buf, sizeof(buf), NULL, NULL)));
	TAP_EQ("set_nonblocking_off", 0, argo_set_nonblocking(h, 0));
	fl = fcntl(argo_fd(h), F_GETFL);
	TAP_CHECK("fd_is_blocking_again", !(fl & O_NONBLOCK), "flags %#x", fl);

	if (write(peer, &msg, sizeof(msg.m) + 5) < 0)
		abort();
	TAP_EQ("wait_message_ready", 1, argo_wait(h, 1000));
	memset(buf, 0, sizeof(buf));
	TAP_EQ("recv_payload_len", 5, argo_recv(h, buf, sizeof(buf), &src, &type));
	TAP_CHECK("recv_payload", !memcmp(buf, "hello", 5), "got %.5s", buf);
	TAP_EQ("recv_src_domain", 3, src.domain);
	TAP_EQ("recv_src_port", 5000, src.port);
	TAP_EQ("recv_type", 9, type);

	if (write(peer, &msg, sizeof(msg.m) + 5) < 0)
		abort();
	TAP_EQ("recv_src_type_optional", 5, argo_recv(h, buf, 5, NULL, NULL));

	msg.m.len = 0;
	if (write(peer, &msg, sizeof(msg.m)) < 0)
		abort();
	TAP_EQ("recv_empty_message_null_buf", 0, argo_recv(h, NULL, 0, NULL, NULL));

	msg.m.len = 10;
	if (write(peer, &msg, sizeof(msg.m) + 5) < 0)
		abort();
	TAP_EQ("recv_length_mismatch_eproto", -EPROTO,
	       RC(argo_recv(h, buf, sizeof(buf), NULL, NULL)));
	if (write(peer, &msg, 8) < 0)
		abort();
	TAP_EQ("recv_short_header_eproto", -EPROTO,
	       RC(argo_recv(h, buf, sizeof(buf), NULL, NULL)));

	/* A huge buffer costs no more than the largest message. */
	msg.m.len = 3;
	if (write(peer, &msg, sizeof(msg.m) + 3) < 0)
		abort();
	{
		char *three = calloc(1, 3);

		if (!three)
			abort();
		TAP_EQ("recv_huge_len_clamped", 3,
		       argo_recv(h, three, SIZE_MAX, NULL, NULL));
		free(three);
	}

	TAP_EQ("write_is_one_message", 3, argo_write(h, "abc", 3));
	TAP_EQ("write_reaches_peer", 3, read(peer, buf, sizeof(buf)));
	argo_close(h);
	close(peer);
}

/* A buffer as ARGO_IOC_RECV_MANY fills it: two messages, aligned. */
static void test_msg_next(void)
{
	union { unsigned char b[64]; uint64_t align; } u;
	struct argo_dev_msg m = { .src = { .port = 9, .domain = 2 }, .type = 4, .len = 3 };
	struct argo_msg_view v;
	size_t off = 0, used;

	memset(&u, 0xee, sizeof(u));
	memcpy(u.b, &m, sizeof(m));
	memcpy(u.b + 16, "abc", 3);
	m.len = 0;
	m.type = 5;
	memcpy(u.b + 24, &m, sizeof(m));		/* 19 rounded up to 24 */
	used = 40;
	TAP_EQ("msg_next_first", 1, argo_msg_next(u.b, used, &off, &v));
	TAP_CHECK("msg_next_first_fields", v.src.domain == 2 && v.src.port == 9 &&
		  v.type == 4 && v.len == 3 && !memcmp(v.data, "abc", 3) && off == 24,
		  "got %u:%u type %u len %u off %zu", v.src.domain, v.src.port,
		  v.type, v.len, off);
	TAP_EQ("msg_next_second_empty_payload", 1, argo_msg_next(u.b, used, &off, &v));
	TAP_CHECK("msg_next_second_fields", v.type == 5 && v.len == 0 && off == 40,
		  "got type %u len %u off %zu", v.type, v.len, off);
	TAP_EQ("msg_next_end", 0, argo_msg_next(u.b, used, &off, &v));
	off = 0;
	TAP_EQ("msg_next_short_header_eproto", -EPROTO, RC(argo_msg_next(u.b, 10, &off, &v)));
	TAP_EQ("msg_next_short_payload_eproto", -EPROTO, RC(argo_msg_next(u.b, 18, &off, &v)));
	off = 4;
	TAP_EQ("msg_next_misaligned_eproto", -EPROTO, RC(argo_msg_next(u.b, used, &off, &v)));
	off = 0;
	m.len = UINT32_MAX;
	memcpy(u.b, &m, sizeof(m));
	TAP_EQ("msg_next_huge_len_eproto", -EPROTO, RC(argo_msg_next(u.b, used, &off, &v)));
	TAP_EQ("msg_next_eproto_keeps_off", 0, (long)off);
	TAP_EQ("msg_next_null_off_einval", -EINVAL, RC(argo_msg_next(u.b, used, NULL, &v)));
}

static void test_batches(void)
{
	struct argo_peer dst = { .domain = 3, .port = 77 };
	struct argo_out_msg out[3] = {
		{ .dst = dst, .type = 1, .buf = "one", .len = 3 },
		{ .dst = dst, .type = 2, .buf = NULL, .len = 0 },
		{ .dst = { .domain = ARGO_DOMID_IMPLICIT }, .type = 3, .buf = "3", .len = 1 },
	};
	union { unsigned char b[256]; uint64_t align; } u;
	struct argo_msg_view v;
	struct argo_stats st;
	struct argo_handle *h, *h4;
	size_t used = 0, off = 0;
	int peer, peer4, ok = 1;
	uint32_t i;
	unsigned int bad = 99;

	h = pair_handle(&peer);
	fake_on = 1;
	/* Bad input is refused before the driver sees anything. */
	send_manys = 0;
	TAP_EQ("send_many_zero_einval", -EINVAL, RC(argo_send_many(h, out, 0)));
	TAP_EQ("send_many_too_many_einval", -EINVAL,
	       RC(argo_send_many(h, out, ARGO_BATCH_MAX + 1)));
	TAP_EQ("send_many_null_einval", -EINVAL, RC(argo_send_many(h, NULL, 1)));
	out[1].len = 1;
	TAP_EQ("send_many_null_buf_einval", -EINVAL, RC(argo_send_many(h, out, 3)));
	out[1].len = 0;
	out[2].dst.port = 5;
	TAP_EQ("send_many_implicit_port_einval", -EINVAL, RC(argo_send_many(h, out, 3)));
	TAP_EQ("out_check_names_bad_entry", EINVAL, libargo_out_check(out, 3, &bad));
	TAP_EQ("out_check_bad_index", 2, bad);
	out[2].dst.port = 0;
	out[0].len = (size_t)ARGO_MSG_MAX + 1;
	TAP_EQ("send_many_too_big_emsgsize", -EMSGSIZE, RC(argo_send_many(h, out, 3)));
	out[0].len = 3;
	TAP_EQ("send_many_bad_input_no_ioctl", 0, send_manys);

	TAP_EQ("send_many_all_sent", 3, argo_send_many(h, out, 3));
	TAP_CHECK("send_many_one_ioctl_fields", send_manys == 1 &&
		  last_send_many.count == 3 && !last_send_many.flags && !last_send_many.pad &&
		  last_many_ents[0].dst.domain == 3 && last_many_ents[0].dst.port == 77 &&
		  last_many_ents[0].len == 3 && last_many_ents[0].type == 1 &&
		  last_many_ents[2].dst.domain == ARGO_DOMID_IMPLICIT && !last_many_ents[1].dst.pad,
		  "%d ioctls, count %u", send_manys, last_send_many.count);
	fake_send_many_sent = 1;
	fake_errno = EAGAIN;
	errno = 0;
	TAP_EQ("send_many_partial_count", 1, argo_send_many(h, out, 3));
	TAP_EQ("send_many_partial_errno", EAGAIN, errno);
	fake_send_many_sent = 0;
	TAP_EQ("send_many_none_sent_fails", -EAGAIN, RC(argo_send_many(h, out, 3)));
	fake_errno = 0;

	/* Receiving: as many as fit, read in place. */
	TAP_EQ("recv_many_max_zero_einval", -EINVAL, RC(argo_recv_many(h, u.b, sizeof(u.b), 0, NULL)));
	TAP_EQ("recv_many_max_too_big_einval", -EINVAL,
	       RC(argo_recv_many(h, u.b, sizeof(u.b), ARGO_BATCH_MAX + 1, NULL)));
	TAP_EQ("recv_many_null_buf_einval", -EINVAL, RC(argo_recv_many(h, NULL, 16, 1, NULL)));
	fake_rx_queued = 0;
	TAP_EQ("recv_many_empty_eagain", -EAGAIN, RC(argo_recv_many(h, u.b, sizeof(u.b), 8, NULL)));
	fake_rx_queued = 6;
	TAP_EQ("recv_many_count", 6, argo_recv_many(h, u.b, sizeof(u.b), 8, &used));
	for (i = 0; argo_msg_next(u.b, used, &off, &v) == 1; i++)
		if (v.len != i % 5 + 1 || v.type != i || v.src.domain != 7 ||
		    v.src.port != 100 + i || ((const unsigned char *)v.data)[0] != 'a' + i)
			ok = 0;
	TAP_CHECK("recv_many_messages_walk", ok && i == 6, "walked %u, fields %s", i,
		  ok ? "right" : "wrong");
	TAP_EQ("recv_many_max_msgs_respected", 2, argo_recv_many(h, u.b, sizeof(u.b), 2, &used));
	fake_rx_lie = sizeof(u.b) + 1;
	TAP_EQ("recv_many_driver_overrun_eproto", -EPROTO,
	       RC(argo_recv_many(h, u.b, sizeof(u.b), 8, &used)));
	fake_rx_lie = 0;

	TAP_EQ("stats_ok", 0, argo_stats(h, &st));
	TAP_CHECK("stats_fields_in_order", st.hc_sendv == 1 && st.virqs == 5 &&
		  st.ring_rx_calls == 8 && st.sys_read == 9 && st.sys_other == 16 &&
		  st.rx_wakeups == 17 && st.msgs_received == 21,
		  "hc_sendv %llu virqs %llu msgs_received %llu",
		  (unsigned long long)st.hc_sendv, (unsigned long long)st.virqs,
		  (unsigned long long)st.msgs_received);
	TAP_EQ("stats_null_einval", -EINVAL, RC(argo_stats(h, NULL)));

	/* A driver of ABI 4: one call per message, no counters. */
	{
		int sv[2];

		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
			abort();
		h4 = libargo_wrap_fd(sv[0], 4);
		peer4 = sv[1];
	}
	sends = 0;
	send_manys = 0;
	TAP_EQ("abi4_send_many_sends_each", 3, argo_send_many(h4, out, 3));
	TAP_CHECK("abi4_send_many_uses_send", sends == 3 && send_manys == 0,
		  "%d SEND, %d SEND_MANY", sends, send_manys);
	TAP_EQ("abi4_stats_eproto", -EPROTO, RC(argo_stats(h4, &st)));
	{
		struct { struct argo_dev_msg m; char p[8]; } msg = {
			.m = { .src = { .port = 1, .domain = 2 }, .type = 3, .len = 5 },
			.p = "hello",
		};

		for (i = 0; i < 3; i++)
			if (write(peer4, &msg, sizeof(msg.m) + msg.m.len) < 0)
				abort();
	}
	TAP_EQ("abi4_recv_many_reads_queued", 3, argo_recv_many(h4, u.b, sizeof(u.b), 8, &used));
	off = 0;
	for (i = 0; argo_msg_next(u.b, used, &off, &v) == 1; i++)
		if (v.len != 5 || memcmp(v.data, "hello", 5))
			ok = 0;
	TAP_CHECK("abi4_recv_many_walk", ok && i == 3, "walked %u", i);
	fake_on = 0;
	argo_close(h4);
	close(peer4);
	argo_close(h);
	close(peer);
}

static void test_cables(void)
{
	struct argo_peer imp = { .domain = ARGO_DOMID_IMPLICIT, .port = 0 };
	struct argo_cable out[2];
	struct argo_handle *h;
	uint32_t f = 0xdead;
	int peer, n;

	h = pair_handle(&peer);
	fake_on = 1;
	fake_features = ARGO_DEV_FEATURE_CABLES;
	TAP_EQ("features_ok", 0, RC(argo_features(h, &f)));
	TAP_EQ("features_value", ARGO_FEATURE_CABLES, f);
	TAP_EQ("features_null_einval", -EINVAL, RC(argo_features(h, NULL)));
	TAP_EQ("features_null_handle_einval", -EINVAL, RC(argo_features(NULL, &f)));

	memset(&last_send, 0xff, sizeof(last_send));
	TAP_EQ("send_implicit_len", 3, argo_send(h, &imp, 0, "abc", 3));
	TAP_EQ("send_implicit_domain", ARGO_DEV_DOMID_IMPLICIT, last_send.dst.domain);
	TAP_EQ("send_implicit_port_zero", 0, last_send.dst.port);
	imp.port = 7;
	sends = 0;
	TAP_EQ("send_implicit_port_einval", -EINVAL, RC(argo_send(h, &imp, 0, "abc", 3)));
	TAP_EQ("send_implicit_port_not_sent", 0, sends);

	memset(&last_cable, 0xff, sizeof(last_cable));
	memset(&last_cable_ent, 0xff, sizeof(last_cable_ent));
	TAP_EQ("cable_add_ok", 0, RC(argo_cable_add(h, 3, 5000, 4, 6000)));
	TAP_EQ("cable_add_cmd", ARGO_DEV_CABLE_ADD, last_cable.cmd);
	TAP_EQ("cable_add_domain", 3, last_cable.domain);
	TAP_EQ("cable_add_nent", 1, last_cable.nent);
	TAP_EQ("cable_add_pads_zero", 0, last_cable.pad | last_cable.pad2);
	TAP_EQ("cable_add_src_port", 5000, last_cable_ent.src_port);
	TAP_EQ("cable_add_dst_domain", 4, last_cable_ent.dst_domain);
	TAP_EQ("cable_add_dst_port", 6000, last_cable_ent.dst_port);
	TAP_EQ("cable_add_flags_pad_zero", 0, last_cable_ent.flags | last_cable_ent.pad);

	memset(&last_cable_ent, 0xff, sizeof(last_cable_ent));
	TAP_EQ("cable_del_ok", 0, RC(argo_cable_del(h, 3, 5000)));
	TAP_EQ("cable_del_cmd", ARGO_DEV_CABLE_DEL, last_cable.cmd);
	TAP_EQ("cable_del_src_port", 5000, last_cable_ent.src_port);
	TAP_EQ("cable_del_rest_zero", 0, last_cable_ent.dst_domain |
	       last_cable_ent.dst_port | last_cable_ent.flags | last_cable_ent.pad);

	memset(out, 0, sizeof(out));
	n = argo_cable_list(h, 3, out, 2);
	TAP_EQ("cable_list_total", 3, n);
	TAP_EQ("cable_list_cmd", ARGO_DEV_CABLE_LIST, last_cable.cmd);
	TAP_CHECK("cable_list_entries", out[0].src_port == 100 &&
		  out[1].src_port == 101 && out[1].dst_domain == 5 &&
		  out[1].dst_port == 2001 && !out[1].flags,
		  "got %u %u:%u:%u", out[0].src_port, out[1].src_port,
		  out[1].dst_domain, out[1].dst_port);
	TAP_EQ("cable_list_count_only", 3, argo_cable_list(h, 3, NULL, 0));
	TAP_EQ("cable_list_null_out_einval", -EINVAL, RC(argo_cable_list(h, 3, NULL, 1)));
	fake_errno = EPERM;
	TAP_EQ("cable_add_error_passed", -EPERM, RC(argo_cable_add(h, 3, 1, 4, 2)));
	fake_errno = 0;
	TAP_EQ("cable_add_null_einval", -EINVAL, RC(argo_cable_add(NULL, 3, 1, 4, 2)));
	TAP_EQ("cable_del_null_einval", -EINVAL, RC(argo_cable_del(NULL, 3, 1)));
	fake_on = 0;
	argo_close(h);
	close(peer);
}

static void test_strerror(void)
{
	TAP_CHECK("strerror_eacces_policy",
		  !strcmp(argo_strerror(EACCES), "denied by Xen's Argo policy"),
		  "got '%s'", argo_strerror(EACCES));
	TAP_CHECK("strerror_eperm_policy",
		  !strcmp(argo_strerror(EPERM), "denied by Xen's Argo policy"),
		  "got '%s'", argo_strerror(EPERM));
	TAP_CHECK("strerror_econnrefused",
		  !strcmp(argo_strerror(ECONNREFUSED),
			  "no ring registered for us at the destination"),
		  "got '%s'", argo_strerror(ECONNREFUSED));
	TAP_CHECK("strerror_esrch", !strcmp(argo_strerror(ESRCH), "no such domain"),
		  "got '%s'", argo_strerror(ESRCH));
	TAP_CHECK("strerror_emsgsize", strstr(argo_strerror(EMSGSIZE), "too large") != NULL,
		  "got '%s'", argo_strerror(EMSGSIZE));
	TAP_CHECK("strerror_eproto_abi", strstr(argo_strerror(EPROTO), "ABI") != NULL,
		  "got '%s'", argo_strerror(EPROTO));
	TAP_CHECK("strerror_other_is_strerror",
		  !strcmp(argo_strerror(EIO), strerror(EIO)),
		  "got '%s'", argo_strerror(EIO));
	TAP_CHECK("strerror_enxio_upstream",
		  strstr(argo_strerror(ENXIO), "UPSTREAM") != NULL,
		  "got '%s'", argo_strerror(ENXIO));
	TAP_CHECK("strerror_enotconn_cable",
		  strstr(argo_strerror(ENOTCONN), "cable") != NULL,
		  "got '%s'", argo_strerror(ENOTCONN));
	TAP_CHECK("strerror_unknown_not_null",
		  argo_strerror(-1) != NULL && argo_strerror(99999) != NULL, "%s", "NULL");
}

int main(void)
{
	test_open();
	test_null_handle();
	test_bad_args();
	test_iov_total();
	test_gather();
	test_sendv_driver();
	test_recv();
	test_msg_next();
	test_batches();
	test_cables();
	test_strerror();
	free(last_payload);
	return tap_done();
}
