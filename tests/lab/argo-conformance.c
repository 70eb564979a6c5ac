// SPDX-License-Identifier: MIT
/*
 * argo-conformance: the single-domain part of the Argo conformance suite,
 * run inside the lab through /dev/argo on real Xen. Every case talks to
 * this domain's own rings (self-send), so it needs no peer; cross-domain
 * cases live in the lab scenarios. Prints TAP; exit 1 if anything failed.
 *
 * usage: argo-conformance DOMID [VARIANT [MECHANISM [NOTIFY]]]
 *	DOMID: this domain's id; VARIANT: the lab's Xen build (lab.xen=),
 *	"pristine..." for Debian's Xen, where the series' features must be
 *	reported absent; MECHANISM: how argo.ko must be calling Argo
 *	(debugfs argo/mechanism: "hypercall", "msr"), checked as one more
 *	case, so that every run's results name the mechanism they went over;
 *	NOTIFY likewise how Xen signals it (debugfs argo/notify: "vector",
 *	"evtchn"), where "vector" also expects the feature bit for it.
 *	A guest (DOMID not 0) may not program patch cables: there, Xen's
 *	refusals are checked instead of the cables themselves.
 */
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <argo/argo-dev.h>
#include "libargo.h"
#include "tap.h"

static uint16_t self;
/* The patched Xen has signal suppression (series 0020); pristine has not. */
static int patched_xen;
/* The mechanism argo.ko should use (argv[3]), or NULL: not checked. */
static const char *want_mechanism;
/* How Xen should signal argo.ko (argv[4]: vector, evtchn), or NULL. */
static const char *want_notify;

/* The vector bit: Xen reports it to guests with a local APIC (PVH). */
static uint32_t notify_feature(void)
{
	return want_notify && !strcmp(want_notify, "vector") ?
	       ARGO_FEATURE_NOTIFY_VECTOR : 0;
}

/* Does argo.ko send a batch in one call? Xen 0021, over either mechanism. */
static int core_batches(void)
{
	return patched_xen;
}
static uint32_t next_port = 20000;

static uint32_t fresh_port(void)
{
	return next_port++;
}

/* An endpoint bound to a fresh port for partner (self or ANY). */
static struct argo_handle *bound(uint32_t *port, uint16_t partner, uint32_t ring)
{
	struct argo_handle *h = argo_open();

	*port = fresh_port();
	if (!h || argo_bind(h, *port, partner, ring)) {
		fprintf(stderr, "# bind %u: %s\n", *port, strerror(errno));
		argo_close(h);
		return NULL;
	}
	return h;
}

/* -errno of a call that returned -1, or its result. */
#define RC(call) ((call) < 0 ? -errno : 0)

static void test_version(void)
{
	struct argo_handle *h = argo_open();
	uint32_t v = 0;

	TAP_CHECK("open_dev_argo", h != NULL, "expected an fd, got %s", strerror(errno));
	if (!h)
		return;
	TAP_EQ("version_ioctl", 0, RC(ioctl(argo_fd(h), ARGO_IOC_VERSION, &v)));
	TAP_EQ("abi_version_is_5", 5, v);
	argo_close(h);
}

static void test_ring_sizes(void)
{
	static const struct { const char *name; uint32_t len; int err; } c[] = {
		{ "bind_ring_minimum_48_bytes", 48, 0 },
		{ "bind_ring_below_minimum_einval", 32, -EINVAL },
		{ "bind_ring_unaligned_einval", 4100, -EINVAL },
		{ "bind_ring_largest_usable_16MiB_less_64", (16u << 20) - 64, 0 },
		{ "bind_ring_16MiB_einval_in_driver", 16u << 20, -EINVAL },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct argo_handle *h = argo_open();

		TAP_EQ(c[i].name, c[i].err, RC(argo_bind(h, fresh_port(), self, c[i].len)));
		argo_close(h);
	}
}

static void test_bind_rules(void)
{
	struct argo_handle *a = argo_open(), *b = argo_open();
	uint32_t port = fresh_port();
	struct argo_dev_bind bad = { .port = fresh_port(), .partner = self, .pad = 1 };

	TAP_EQ("bind_first_endpoint", 0, RC(argo_bind(a, port, self, 0)));
	TAP_EQ("bind_same_endpoint_twice_ebusy", -EBUSY, RC(argo_bind(a, fresh_port(), self, 0)));
	TAP_EQ("bind_same_port_and_partner_eexist", -EEXIST, RC(argo_bind(b, port, self, 0)));
	TAP_EQ("bind_nonzero_pad_einval", -EINVAL, RC(ioctl(argo_fd(b), ARGO_IOC_BIND, &bad)));
	bad.pad = 0;
	bad.flags = 1;
	TAP_EQ("bind_unknown_flags_einval", -EINVAL, RC(ioctl(argo_fd(b), ARGO_IOC_BIND, &bad)));
	TAP_EQ("bind_bad_pointer_efault", -EFAULT,
	       RC(ioctl(argo_fd(b), ARGO_IOC_BIND, (void *)16)));
	argo_close(a);
	argo_close(b);
}

static void test_boundaries_and_types(void)
{
	static const uint32_t lens[] = { 0, 1, 15, 16, 17, 100, 1000, 4000 };
	static const uint32_t types[] = { 0, 1, 0x7fffffff, 0xffffffffu };
	uint8_t out[4096], in[4096];
	struct argo_peer dst = { self, 0 }, src;
	unsigned int bad_len = 0, bad_type = 0, bad_data = 0, bad_src = 0;
	uint32_t port, type;
	struct argo_handle *h = bound(&port, self, 0);

	if (!h)
		return;
	dst.port = port;
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		uint32_t t = types[i % 4];
		ssize_t n;

		memset(out, (int)(0x40 + i), lens[i]);
		if (argo_send(h, &dst, t, out, lens[i]) != (ssize_t)lens[i])
			bad_len++;
		n = argo_recv(h, in, sizeof(in), &src, &type);
		bad_len += n != (ssize_t)lens[i];
		bad_type += type != t;
		bad_data += n > 0 && memcmp(in, out, (size_t)n);
		bad_src += src.domain != self || src.port != port;
	}
	TAP_CHECK("message_boundaries_kept", bad_len == 0, "expected 0 wrong lengths, got %u", bad_len);
	TAP_CHECK("message_types_kept", bad_type == 0, "expected 0 wrong types, got %u", bad_type);
	TAP_CHECK("message_bytes_kept", bad_data == 0, "expected 0 corrupt payloads, got %u", bad_data);
	TAP_CHECK("message_source_is_sender_domain_and_bound_port", bad_src == 0,
		  "expected 0 wrong sources, got %u", bad_src);
	argo_close(h);
}

static void test_sizes_and_reads(void)
{
	static uint8_t buf[8192];
	struct argo_peer dst = { self, 0 };
	uint32_t port, type;
	struct argo_handle *h = bound(&port, self, 4096);
	struct argo_dev_send s = { .dst = { .domain = self }, .len = 1 };
	int fl;

	if (!h)
		return;
	dst.port = port;
	s.dst.port = port;
	TAP_EQ("send_largest_message_for_ring", 4064, argo_send(h, &dst, 0, buf, 4064));
	TAP_EQ("recv_largest_message", 4064, argo_recv(h, buf, sizeof(buf), NULL, &type));
	TAP_EQ("send_one_byte_over_max_emsgsize", -EMSGSIZE, RC(argo_send(h, &dst, 0, buf, 4065)));

	argo_send(h, &dst, 5, "0123456789", 10);
	TAP_EQ("short_read_emsgsize", -EMSGSIZE, RC(read(argo_fd(h), buf, 16 + 9)));
	TAP_EQ("short_read_loses_nothing", 10, argo_recv(h, buf, sizeof(buf), NULL, &type));

	fl = fcntl(argo_fd(h), F_GETFL);
	fcntl(argo_fd(h), F_SETFL, fl | O_NONBLOCK);
	TAP_EQ("nonblocking_read_of_empty_ring_eagain", -EAGAIN,
	       RC(argo_recv(h, buf, sizeof(buf), NULL, NULL)));
	fcntl(argo_fd(h), F_SETFL, fl);

	s.dst.pad = 1;
	TAP_EQ("send_nonzero_pad_einval", -EINVAL, RC(ioctl(argo_fd(h), ARGO_IOC_SEND, &s)));
	s.dst.pad = 0;
	s.buf = 16; /* not a valid user address */
	TAP_EQ("send_bad_buffer_efault", -EFAULT, RC(ioctl(argo_fd(h), ARGO_IOC_SEND, &s)));
	argo_close(h);

	h = argo_open();
	TAP_EQ("read_unbound_enotconn", -ENOTCONN, RC(read(argo_fd(h), buf, sizeof(buf))));
	TAP_EQ("write_unconnected_edestaddrreq", -EDESTADDRREQ, RC(write(argo_fd(h), buf, 1)));
	argo_close(h);
}

static void test_full_ring_and_wrap(void)
{
	uint8_t out[200], in[256];
	struct argo_peer dst = { self, 0 };
	unsigned int sent = 0, got = 0, corrupt = 0, round;
	uint32_t port;
	struct argo_handle *h = bound(&port, self, 256);
	ssize_t r;

	if (!h)
		return;
	dst.port = port;
	fcntl(argo_fd(h), F_SETFL, O_NONBLOCK);
	while ((r = argo_send(h, &dst, 0, out, 16)) == 16 && sent < 100)
		sent++;
	TAP_EQ("nonblocking_send_into_full_ring_eagain", -EAGAIN, r < 0 ? -errno : r);
	TAP_EQ("full_256_byte_ring_took_7_messages", 7, sent);
	while (argo_wait(h, 0) == 1 && argo_recv(h, in, sizeof(in), NULL, NULL) >= 0)
		;
	/* Odd sizes through a small ring: every message wraps sooner or later. */
	for (round = 0; round < 300; round++) {
		size_t n = 1 + (round * 37) % 180;

		memset(out, (int)round, n);
		if (argo_send(h, &dst, round, out, n) != (ssize_t)n)
			break;
		sent++;
		r = argo_recv(h, in, sizeof(in), NULL, NULL);
		got++;
		corrupt += r != (ssize_t)n || memcmp(in, out, n);
	}
	TAP_CHECK("wrapping_messages_arrive_intact", round == 300 && corrupt == 0,
		  "expected 300 intact, got %u rounds with %u corrupt", round, corrupt);
	argo_close(h);
}

static void test_precedence_and_refusal(void)
{
	struct argo_handle *any = argo_open(), *one = argo_open(), *tx = argo_open();
	uint32_t port = fresh_port(), type;
	struct argo_peer dst = { self, port };
	uint8_t b[8];

	argo_bind(any, port, ARGO_DOMID_ANY, 0);
	TAP_EQ("bind_single_source_beside_wildcard_same_port", 0,
	       RC(argo_bind(one, port, self, 0)));
	argo_send(tx, &dst, 1, "x", 1);
	TAP_CHECK("single_source_ring_takes_precedence_over_wildcard",
		  argo_wait(one, 1000) == 1 && argo_wait(any, 0) == 0,
		  "expected the message on the single-source ring, %s", "got it elsewhere");
	argo_recv(one, b, sizeof(b), NULL, &type);
	argo_close(one);
	argo_send(tx, &dst, 2, "y", 1);
	TAP_CHECK("wildcard_ring_receives_once_single_source_is_gone",
		  argo_wait(any, 1000) == 1, "expected a message on the wildcard ring, %s", "got none");
	argo_close(any);
	TAP_EQ("send_after_unregister_econnrefused", -ECONNREFUSED,
	       RC(argo_send(tx, &dst, 3, "z", 1)));
	argo_close(tx);
}

static void test_limits(void)
{
	enum { N = 140 };
	static struct argo_handle *h[N];
	int bound_ok = 0, enospc = 0, other = 0, i;
	struct argo_peer dst = { self, 0 };
	uint8_t b[4];

	for (i = 0; i < N; i++) {
		h[i] = argo_open();
		if (!h[i]) {
			other++;
			continue;
		}
		if (argo_bind(h[i], fresh_port(), self, 48) == 0)
			bound_ok++;
		else if (errno == ENOSPC)
			enospc++;
		else
			other++;
	}
	/*
	 * Exactly Xen's limit: no other ring of this domain is bound now, so
	 * fewer would be a driver cap (or a broken bind), more a missing one.
	 */
	TAP_CHECK("at_most_128_rings_per_domain",
		  bound_ok == 128 && enospc == N - 128 && other == 0,
		  "expected 128 bound then %d ENOSPC, got %d bound, %d ENOSPC, %d other errors",
		  N - 128, bound_ok, enospc, other);
	for (i = 0; i < N; i++)
		argo_close(h[i]);
	/* All released: a new ring can be had again, and many open fds work. */
	for (i = 0; i < 100; i++)
		h[i] = argo_open();
	dst.port = fresh_port();
	argo_bind(h[99], dst.port, self, 0);
	TAP_CHECK("many_endpoints_open_and_a_ring_after_the_limit",
		  argo_send(h[0], &dst, 0, "ok", 2) == 2 &&
		  argo_recv(h[99], b, sizeof(b), NULL, NULL) == 2,
		  "expected a round trip with 100 endpoints open, got %s", strerror(errno));
	for (i = 0; i < 100; i++)
		argo_close(h[i]);
}

/* Has the child exited within ms? Its status goes to *status. */
static int child_exited(pid_t pid, int ms, int *status)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };

	for (int i = 0; i <= ms / 10; i++) {
		if (waitpid(pid, status, WNOHANG) == pid)
			return 1;
		nanosleep(&tick, NULL);
	}
	return 0;
}

/*
 * Is pid asleep, not spinning? Its state in /proc/PID/stat is S (an
 * interruptible wait) and it used less than 50 ms of CPU over 500 ms: a
 * sender retrying in a loop would be R, or burn the CPU it was given.
 * *why says what was seen.
 */
static int asleep(pid_t pid, char *why, size_t len)
{
	char state[2][2] = { "?", "?" };
	unsigned long long ticks[2] = { 0, 0 };
	struct timespec half = { 0, 500 * 1000 * 1000 };
	long hz = sysconf(_SC_CLK_TCK);

	for (int i = 0; i < 2; i++) {
		char path[64], buf[1024], *p;
		unsigned long long ut = 0, st = 0;
		FILE *f;
		size_t n;

		if (i)
			nanosleep(&half, NULL);
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
		f = fopen(path, "r");
		if (!f) {
			snprintf(why, len, "%s: %s", path, strerror(errno));
			return 0;
		}
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = 0;
		/* After "pid (comm) ": state, then 10 fields, then utime, stime. */
		p = strrchr(buf, ')');
		if (!p || sscanf(p + 2, "%1s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %llu %llu",
				 state[i], &ut, &st) != 3) {
			snprintf(why, len, "cannot read %s: '%.80s'", path, buf);
			return 0;
		}
		ticks[i] = ut + st;
	}
	snprintf(why, len, "state %s then %s, %llu ticks of CPU in 500 ms (%ld ticks/s)",
		 state[0], state[1], ticks[1] - ticks[0], hz);
	return state[0][0] == 'S' && state[1][0] == 'S' && (ticks[1] - ticks[0]) * 20 < (unsigned long long)hz;
}

/* A blocking ARGO_IOC_SEND into a full ring waits for the reader. */
static void test_blocking_send(void)
{
	uint8_t out[16] = { 0 }, in[64];
	uint32_t port;
	struct argo_handle *h = bound(&port, self, 256);
	struct argo_peer dst = { self, 0 };
	int status = -1, sent = 0;
	pid_t pid;

	if (!h)
		return;
	dst.port = port;
	fcntl(argo_fd(h), F_SETFL, O_NONBLOCK);
	while (argo_send(h, &dst, 0, out, sizeof(out)) == sizeof(out))
		sent++;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct argo_handle *tx = argo_open();

		out[0] = 0xee;
		_exit(tx && argo_send(tx, &dst, 9, out, sizeof(out)) == sizeof(out) ? 0 : 1);
	}
	TAP_CHECK("blocking_send_into_full_ring_waits", pid > 0 && !child_exited(pid, 500, &status),
		  "expected the sender still blocked after 500 ms, status %d", status);
	if (pid > 0 && status == -1) {
		char why[160];
		int slept = asleep(pid, why, sizeof(why));

		TAP_CHECK("blocked_sender_sleeps_not_spins", slept,
			  "expected state S and no CPU time, got %s", why);
	} else {
		tap_not_run("blocked_sender_sleeps_not_spins", "the sender is not blocked");
	}
	/*
	 * Drain what filled the ring: a blocked writer waits for a sizeable
	 * part of the ring (argo_char's tx_wake_percent), not for one message.
	 */
	for (int i = 0; i < sent; i++)
		argo_recv(h, in, sizeof(in), NULL, NULL);
	TAP_CHECK("blocking_send_completes_once_reader_drains",
		  child_exited(pid, 10000, &status) && WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "expected the blocked send to succeed, status %d", status);
	uint32_t type = 0;
	TAP_CHECK("blocked_message_arrives_last_and_whole",
		  argo_recv(h, in, sizeof(in), NULL, &type) == sizeof(out) && type == 9 && in[0] == 0xee,
		  "expected the blocked sender's message (type 9), got type %u", type);
	argo_close(h);
}

/*
 * read() copies straight from the ring to userspace: a buffer that faults
 * part-way loses nothing, and readv may split header and payload.
 */
static void test_read_faults_and_readv(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	struct argo_dev_msg hdr;
	uint8_t payload[100], in[100];
	uint32_t port;
	struct argo_handle *h = bound(&port, self, 0);
	struct argo_peer dst = { self, 0 };
	uint8_t *map;

	if (!h)
		return;
	dst.port = port;
	memset(payload, 0x5a, sizeof(payload));
	argo_send(h, &dst, 4, payload, sizeof(payload));
	map = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED) {
		fprintf(stderr, "# mmap: %s\n", strerror(errno));
		argo_close(h);
		return;
	}
	munmap(map + pg, pg);
	/* The header fits in the mapped page; the payload runs off its end. */
	TAP_EQ("read_payload_into_unmapped_page_efault", -EFAULT,
	       RC(read(argo_fd(h), map + pg - sizeof(hdr), sizeof(hdr) + sizeof(payload))));
	/* volatile: the compiler must not see through the bad pointer. */
	void *volatile bad = (void *)8;
	TAP_EQ("read_header_into_bad_pointer_efault", -EFAULT,
	       RC(read(argo_fd(h), bad, sizeof(hdr) + sizeof(payload))));
	munmap(map, pg);
	struct iovec iov[2] = {
		{ &hdr, sizeof(hdr) }, { in, sizeof(in) },
	};
	ssize_t r = readv(argo_fd(h), iov, 2);
	TAP_CHECK("message_survives_faults_and_readv_splits_it",
		  r == (ssize_t)(sizeof(hdr) + sizeof(payload)) && hdr.len == sizeof(payload) &&
		  hdr.type == 4 && !memcmp(in, payload, sizeof(in)),
		  "expected %zu bytes of type 4 intact, got %zd (type %u)",
		  sizeof(hdr) + sizeof(payload), r, hdr.type);
	argo_close(h);
}

/* A cable op through the raw ioctl, for arguments libargo never sends. */
static int raw_cable(struct argo_handle *h, uint32_t cmd, uint16_t dom,
		     uint32_t nent, const struct argo_dev_cable *ent, uint16_t pad)
{
	struct argo_dev_cable ents[ARGO_DEV_CABLES_MAX + 1];
	struct argo_dev_cable_op op = {
		.cmd = cmd, .domain = dom, .nent = nent, .pad = pad,
		.ents = (uint64_t)(uintptr_t)ents,
	};

	memset(ents, 0, sizeof(ents));
	if (ent)
		ents[0] = *ent;
	return RC(ioctl(argo_fd(h), ARGO_IOC_CABLE, &op));
}

/* On Debian's Xen: no features, no cable op, the sentinels name no domain. */
static void test_cables_absent(void)
{
	struct argo_handle *h = argo_open();
	struct argo_peer imp = { ARGO_DOMID_IMPLICIT, 0 };
	struct argo_peer up = { ARGO_DOMID_UPSTREAM, 1 };
	uint32_t f = 0xffffffff;

	argo_set_nonblocking(h, 1);
	TAP_EQ("features_query_works_on_pristine", 0, RC(argo_features(h, &f)));
	TAP_EQ("features_absent_on_pristine", 0, f);
	TAP_EQ("cable_add_eopnotsupp_on_pristine", -EOPNOTSUPP,
	       RC(argo_cable_add(h, self, 1, self, 2)));
	TAP_EQ("cable_list_eopnotsupp_on_pristine", -EOPNOTSUPP,
	       RC(argo_cable_list(h, self, NULL, 0)));
	TAP_EQ("implicit_send_esrch_on_pristine", -ESRCH,
	       RC(argo_send(h, &imp, 0, "x", 1)));
	TAP_EQ("upstream_send_esrch_on_pristine", -ESRCH,
	       RC(argo_send(h, &up, 0, "x", 1)));
	argo_close(h);
}

/* In a guest: the features are there, but only a toolstack cables. */
static void test_cables_guest(void)
{
	struct argo_handle *h = argo_open();
	struct argo_peer imp = { ARGO_DOMID_IMPLICIT, 0 };
	uint32_t f = 0;
	int rc;

	argo_set_nonblocking(h, 1);
	TAP_EQ("features_query_in_guest", 0, RC(argo_features(h, &f)));
	TAP_EQ("features_cables_notify_hide_suppress_batch_in_guest",
	       ARGO_FEATURE_CABLES | ARGO_FEATURE_NOTIFY_HIDE | ARGO_FEATURE_SUPPRESS |
	       ARGO_FEATURE_SENDV_BATCH | notify_feature(), f);
	/* XSM refuses: -EACCES from Flask (the lab's Xen), -EPERM from the dummy. */
	rc = RC(argo_cable_add(h, self, 1, self, 2));
	TAP_CHECK("cable_add_refused_in_guest", rc == -EACCES || rc == -EPERM,
		  "expected -EACCES or -EPERM, got %d", rc);
	rc = RC(argo_cable_list(h, self, NULL, 0));
	TAP_CHECK("cable_list_refused_in_guest", rc == -EACCES || rc == -EPERM,
		  "expected -EACCES or -EPERM, got %d", rc);
	TAP_EQ("implicit_send_without_cable_enotconn_in_guest", -ENOTCONN,
	       RC(argo_send(h, &imp, 0, "x", 1)));
	argo_close(h);
}

static void test_cables(void)
{
	struct argo_handle *ctl = argo_open(), *tx, *q, *r;
	struct argo_peer imp = { ARGO_DOMID_IMPLICIT, 0 };
	struct argo_peer up = { ARGO_DOMID_UPSTREAM, 1 };
	struct argo_dev_cable e;
	struct argo_cable list[ARGO_CABLES_MAX];
	struct argo_peer src;
	uint32_t f = 0, sport, qport, rport, type, i;
	uint8_t b[16];
	int n, found;

	TAP_EQ("features_query", 0, RC(argo_features(ctl, &f)));
	TAP_EQ("features_cables_notify_hide_suppress_sendv_batch",
	       ARGO_FEATURE_CABLES | ARGO_FEATURE_NOTIFY_HIDE | ARGO_FEATURE_SUPPRESS |
	       ARGO_FEATURE_SENDV_BATCH | notify_feature(), f);

	/* tx sends from its bound port; q and r are two services. */
	tx = bound(&sport, ARGO_DOMID_ANY, 0);
	q = bound(&qport, self, 0);
	r = bound(&rport, self, 0);
	if (!tx || !q || !r) {
		TAP_CHECK("cable_endpoints_bound", 0, "%s", "a bind failed");
		return;
	}
	argo_set_nonblocking(tx, 1);
	TAP_EQ("implicit_send_without_cable_enotconn", -ENOTCONN,
	       RC(argo_send(tx, &imp, 0, "x", 1)));
	TAP_EQ("cable_add", 0, RC(argo_cable_add(ctl, self, sport, self, qport)));
	TAP_EQ("implicit_send_through_cable", 5, argo_send(tx, &imp, 7, "hello", 5));
	memset(&src, 0, sizeof(src));
	n = argo_wait(q, 1000) == 1 ? (int)argo_recv(q, b, sizeof(b), &src, &type) : -1;
	TAP_CHECK("implicit_send_arrives_at_cabled_port_with_real_source",
		  n == 5 && !memcmp(b, "hello", 5) && src.domain == self &&
		  src.port == sport && type == 7,
		  "expected 5 bytes from %u:%u type 7, got %d from %u:%u type %u",
		  self, sport, n, src.domain, src.port, type);
	TAP_EQ("recable_replaces", 0, RC(argo_cable_add(ctl, self, sport, self, rport)));
	TAP_EQ("implicit_send_after_recable", 5, argo_send(tx, &imp, 7, "again", 5));
	TAP_CHECK("recabled_message_reaches_new_port_only",
		  argo_wait(r, 1000) == 1 && argo_wait(q, 0) == 0,
		  "expected the message on %u only", rport);
	n = argo_cable_list(ctl, self, list, ARGO_CABLES_MAX);
	found = 0;
	for (i = 0; n > 0 && i < (uint32_t)n; i++)
		if (list[i].src_port == sport)
			found = list[i].dst_domain == self && list[i].dst_port == rport &&
				!list[i].flags;
	TAP_CHECK("cable_list_shows_recabled_entry", n >= 1 && found,
		  "expected %u -> %u:%u among %d cables", sport, self, rport, n);
	imp.port = 1;
	TAP_EQ("implicit_send_with_port_einval_libargo", -EINVAL,
	       RC(argo_send(tx, &imp, 0, "x", 1)));
	{
		struct argo_dev_send s = {
			.dst = { .port = 1, .domain = ARGO_DEV_DOMID_IMPLICIT },
			.len = 1, .buf = (uint64_t)(uintptr_t)"x",
		};

		TAP_EQ("implicit_send_with_port_einval_driver", -EINVAL,
		       RC(ioctl(argo_fd(tx), ARGO_IOC_SEND, &s)));
	}
	imp.port = 0;
	TAP_EQ("upstream_send_enxio", -ENXIO, RC(argo_send(tx, &up, 0, "x", 1)));
	TAP_EQ("cable_del", 0, RC(argo_cable_del(ctl, self, sport)));
	TAP_EQ("implicit_send_after_del_enotconn", -ENOTCONN,
	       RC(argo_send(tx, &imp, 0, "x", 1)));
	TAP_EQ("cable_del_missing_enoent", -ENOENT, RC(argo_cable_del(ctl, self, sport)));
	TAP_EQ("cable_add_no_such_destination_esrch", -ESRCH,
	       RC(argo_cable_add(ctl, self, sport, 0x7000, 1)));
	TAP_EQ("cable_list_no_such_domain_esrch", -ESRCH,
	       RC(argo_cable_list(ctl, 0x7000, NULL, 0)));

	/* Every field of the op is checked (driver or Xen). */
	memset(&e, 0, sizeof(e));
	e.src_port = 1;
	e.dst_domain = self;
	TAP_EQ("cable_op_pad_einval", -EINVAL, raw_cable(ctl, ARGO_DEV_CABLE_ADD, self, 1, &e, 1));
	TAP_EQ("cable_op_unknown_cmd_einval", -EINVAL, raw_cable(ctl, 3, self, 1, &e, 0));
	TAP_EQ("cable_add_two_entries_einval", -EINVAL, raw_cable(ctl, ARGO_DEV_CABLE_ADD, self, 2, &e, 0));
	TAP_EQ("cable_list_over_max_einval", -EINVAL,
	       raw_cable(ctl, ARGO_DEV_CABLE_LIST, self, ARGO_DEV_CABLES_MAX + 1, NULL, 0));
	TAP_EQ("cable_op_reserved_domain_einval", -EINVAL,
	       raw_cable(ctl, ARGO_DEV_CABLE_ADD, ARGO_DEV_DOMID_IMPLICIT, 1, &e, 0));
	e.flags = 1;
	TAP_EQ("cable_add_flags_einval", -EINVAL, raw_cable(ctl, ARGO_DEV_CABLE_ADD, self, 1, &e, 0));
	e.flags = 0;
	e.pad = 1;
	TAP_EQ("cable_add_entry_pad_einval", -EINVAL, raw_cable(ctl, ARGO_DEV_CABLE_ADD, self, 1, &e, 0));
	e.pad = 0;
	e.dst_domain = ARGO_DEV_DOMID_UPSTREAM;
	TAP_EQ("cable_to_sentinel_einval", -EINVAL, raw_cable(ctl, ARGO_DEV_CABLE_ADD, self, 1, &e, 0));
	e.dst_domain = self;
	e.dst_port = 5;
	TAP_EQ("cable_del_with_destination_einval", -EINVAL,
	       raw_cable(ctl, ARGO_DEV_CABLE_DEL, self, 1, &e, 0));

	/* The bound: 64 cables, a 65th refused, re-cabling one still works. */
	n = 0;
	for (i = 0; i < ARGO_CABLES_MAX; i++)
		n += argo_cable_add(ctl, self, 60000 + i, self, qport) == 0;
	TAP_EQ("cable_add_up_to_max", ARGO_CABLES_MAX, n);
	TAP_EQ("cable_add_beyond_max_enospc", -ENOSPC,
	       RC(argo_cable_add(ctl, self, 60000 + ARGO_CABLES_MAX, self, qport)));
	TAP_EQ("recable_when_full", 0, RC(argo_cable_add(ctl, self, 60000, self, rport)));
	TAP_EQ("cable_list_counts_all", ARGO_CABLES_MAX, argo_cable_list(ctl, self, NULL, 0));
	n = 0;
	for (i = 0; i < ARGO_CABLES_MAX; i++)
		n += argo_cable_del(ctl, self, 60000 + i) == 0;
	TAP_EQ("cable_del_all", ARGO_CABLES_MAX, n);
	TAP_EQ("cable_list_empty_again", 0, argo_cable_list(ctl, self, NULL, 0));
	argo_close(tx);
	argo_close(q);
	argo_close(r);
	argo_close(ctl);
}

/*
 * Batches (ABI 5): ARGO_IOC_SEND_MANY / ARGO_IOC_RECV_MANY and the
 * counters of ARGO_IOC_STATS, driver-only, so the same on every Xen.
 */
static int send_many_raw(struct argo_handle *h, struct argo_dev_send *e,
			 uint32_t n, struct argo_dev_send_many *sm)
{
	memset(sm, 0, sizeof(*sm));
	sm->msgs = (uint64_t)(uintptr_t)e;
	sm->count = n;
	return ioctl(argo_fd(h), ARGO_IOC_SEND_MANY, sm) < 0 ? -errno : 0;
}

static int recv_many_raw(struct argo_handle *h, void *buf, uint32_t len,
			 uint32_t max, struct argo_dev_recv_many *rm)
{
	int r;

	memset(rm, 0, sizeof(*rm));
	rm->buf = (uint64_t)(uintptr_t)buf;
	rm->len = len;
	rm->max_msgs = max;
	r = ioctl(argo_fd(h), ARGO_IOC_RECV_MANY, rm);
	return r < 0 ? -errno : r;
}

/*
 * Xen series 0021: one batch hypercall for three messages; pristine: one
 * sendv each. Xen ends a batch early whenever softirqs are pending on its
 * CPU, so a patched Xen may take two or three calls now and then: the
 * measure is repeated (three messages to a ring of its own, drained) up to
 * twice, and a driver that sends one by one fails every time.
 */
static void send_many_hypercalls_check(struct argo_handle *tx,
				       const struct argo_stats *t0,
				       const struct argo_stats *t1,
				       const uint8_t *payload)
{
	uint64_t sys = t1->sys_send_many - t0->sys_send_many;
	uint64_t sent = t1->msgs_sent - t0->msgs_sent;
	uint64_t hc = t1->hc_sendv - t0->hc_sendv;
	struct argo_stats a, b;
	struct argo_handle *rx;
	uint8_t buf[64];
	uint32_t port;
	int tries = 1;

	while (core_batches() && sys == 1 && sent == 3 && hc > 2 && tries < 3) {
		rx = bound(&port, self, 0);
		if (!rx)
			break;
		tries++;
		argo_stats(tx, &a);
		argo_send_many(tx, (struct argo_out_msg[]){
			{ { self, port }, 1, payload, 10 },
			{ { self, port }, 1, payload, 10 },
			{ { self, port }, 1, payload, 10 } }, 3);
		argo_stats(tx, &b);
		sys = b.sys_send_many - a.sys_send_many;
		sent = b.msgs_sent - a.msgs_sent;
		hc = b.hc_sendv - a.hc_sendv;
		argo_set_nonblocking(rx, 1);
		while (argo_recv(rx, buf, sizeof(buf), NULL, NULL) >= 0)
			;
		argo_close(rx);
	}
	TAP_CHECK(core_batches() ? "send_many_one_syscall_one_hypercall" :
		  "send_many_one_syscall_three_hypercalls_without_batch_op",
		  sys == 1 && sent == 3 && (core_batches() ? hc <= 2 : hc == 3),
		  "send_many %llu, sent %llu, sendv %llu (attempt %d)",
		  (unsigned long long)sys, (unsigned long long)sent,
		  (unsigned long long)hc, tries);
}

static void test_batches(void)
{
	union { uint8_t b[4096]; uint64_t align; } u;
	struct argo_dev_send e[4];
	struct argo_dev_send_many sm;
	struct argo_dev_recv_many rm;
	struct argo_stats s0, s1, t0, t1;
	struct argo_msg_view v;
	uint8_t payload[3][100];
	uint32_t port, sport, i;
	size_t off = 0;
	int ok, n;
	struct argo_handle *rx = bound(&port, self, 0);
	struct argo_handle *tx = bound(&sport, ARGO_DOMID_ANY, 0);

	if (!rx || !tx)
		return;
	argo_set_nonblocking(rx, 1);
	TAP_EQ("stats_ioctl", 0, RC(argo_stats(rx, &s0)));
	memset(e, 0, sizeof(e));
	for (i = 0; i < 4; i++) {
		if (i < 3)
			memset(payload[i], 'A' + (int)i, sizeof(payload[0]));
		e[i].dst.domain = self;
		e[i].dst.port = port;
		e[i].type = 10 + i;
		e[i].len = 10 * (i + 1);
		e[i].buf = (uint64_t)(uintptr_t)payload[i % 3];
	}
	/* Bad input: the whole call refused, nothing sent, the entry named. */
	e[2].dst.pad = 1;
	TAP_EQ("send_many_entry_pad_einval", -EINVAL, send_many_raw(tx, e, 3, &sm));
	TAP_CHECK("send_many_bad_entry_named_nothing_sent",
		  sm.error_index == 2 && sm.sent == 0 && argo_wait(rx, 0) == 0,
		  "expected index 2, 0 sent, ring empty; got index %u, %u sent", sm.error_index, sm.sent);
	e[2].dst.pad = 0;
	e[1].len = (16u << 20) + 1;
	TAP_EQ("send_many_entry_too_big_emsgsize", -EMSGSIZE, send_many_raw(tx, e, 3, &sm));
	e[1].len = 20;
	e[0].dst.domain = ARGO_DEV_DOMID_IMPLICIT;
	TAP_EQ("send_many_implicit_with_port_einval", -EINVAL, send_many_raw(tx, e, 3, &sm));
	e[0].dst.domain = self;
	TAP_EQ("send_many_count_zero_einval", -EINVAL, send_many_raw(tx, e, 0, &sm));
	TAP_EQ("send_many_over_max_einval", -EINVAL,
	       send_many_raw(tx, e, ARGO_DEV_BATCH_MAX + 1, &sm));
	memset(&sm, 0, sizeof(sm));
	sm.msgs = (uint64_t)(uintptr_t)e;
	sm.count = 3;
	sm.flags = 1;
	TAP_EQ("send_many_flags_einval", -EINVAL, RC(ioctl(argo_fd(tx), ARGO_IOC_SEND_MANY, &sm)));
	TAP_EQ("send_many_bad_array_efault", -EFAULT,
	       RC(ioctl(argo_fd(tx), ARGO_IOC_SEND_MANY,
			&(struct argo_dev_send_many){ .msgs = 16, .count = 2 })));
	TAP_CHECK("send_many_refusals_sent_nothing", argo_wait(rx, 0) == 0, "%s",
		  "a message arrived");

	argo_stats(tx, &t0);
	TAP_EQ("send_many_three", 3, argo_send_many(tx, (struct argo_out_msg[]){
		{ { self, port }, 10, payload[0], 10 },
		{ { self, port }, 11, payload[1], 20 },
		{ { self, port }, 12, payload[2], 30 } }, 3));
	argo_stats(tx, &t1);
	send_many_hypercalls_check(tx, &t0, &t1, payload[0]);

	/* Receiving: strict arguments, nothing lost on refusal. */
	TAP_EQ("recv_many_max_zero_einval", -EINVAL, recv_many_raw(rx, u.b, sizeof(u.b), 0, &rm));
	TAP_EQ("recv_many_over_max_einval", -EINVAL,
	       recv_many_raw(rx, u.b, sizeof(u.b), ARGO_DEV_BATCH_MAX + 1, &rm));
	memset(&rm, 0, sizeof(rm));
	rm.buf = (uint64_t)(uintptr_t)u.b;
	rm.len = sizeof(u.b);
	rm.max_msgs = 8;
	rm.pad = 1;
	TAP_EQ("recv_many_pad_einval", -EINVAL, RC(ioctl(argo_fd(rx), ARGO_IOC_RECV_MANY, &rm)));
	TAP_EQ("recv_many_bad_buffer_efault", -EFAULT, recv_many_raw(rx, (void *)16, 4096, 8, &rm));
	TAP_EQ("recv_many_too_small_emsgsize", -EMSGSIZE, recv_many_raw(rx, u.b, 20, 8, &rm));
	argo_stats(rx, &s0);
	TAP_EQ("recv_many_max_msgs_respected", 2, recv_many_raw(rx, u.b, sizeof(u.b), 2, &rm));
	ok = 1;
	for (i = 0; argo_msg_next(u.b, rm.bytes, &off, &v) == 1; i++)
		ok &= v.len == 10 * (i + 1) && v.type == 10 + i && v.src.domain == self &&
		      v.src.port == sport && ((const uint8_t *)v.data)[0] == 'A' + i &&
		      ((const uint8_t *)v.data)[v.len - 1] == 'A' + i;
	TAP_CHECK("recv_many_in_order_intact_after_refusals", ok && i == 2,
		  "walked %u, fields %s", i, ok ? "right" : "wrong");
	/* The third does not fit after a first that does: the batch ends. */
	TAP_EQ("send_one_more", 0, RC(argo_send(tx, &(struct argo_peer){ self, port }, 13,
						 payload[0], 10)));
	n = recv_many_raw(rx, u.b, 60, 8, &rm);
	TAP_CHECK("recv_many_stops_at_first_that_does_not_fit", n == 1 && rm.bytes == 46,
		  "expected 1 message, 46 bytes; got %d, %u", n, rm.bytes);
	n = recv_many_raw(rx, u.b, sizeof(u.b), 8, &rm);
	TAP_CHECK("recv_many_rest_still_queued", n == 1 && rm.count == 1,
		  "expected 1, got %d", n);
	argo_stats(rx, &s1);
	/* With signal suppression, not even that: no sender waits. */
	TAP_CHECK("recv_many_notifies_at_most_once_per_call",
		  s1.ring_msgs_received - s0.ring_msgs_received == 4 &&
		  s1.ring_notifies - s0.ring_notifies == (patched_xen ? 0 : 3) &&
		  s1.sys_recv_many - s0.sys_recv_many == 3,
		  "msgs %llu notifies %llu calls %llu",
		  (unsigned long long)(s1.ring_msgs_received - s0.ring_msgs_received),
		  (unsigned long long)(s1.ring_notifies - s0.ring_notifies),
		  (unsigned long long)(s1.sys_recv_many - s0.sys_recv_many));
	TAP_EQ("recv_many_empty_nonblocking_eagain", -EAGAIN,
	       recv_many_raw(rx, u.b, sizeof(u.b), 8, &rm));
	argo_close(rx);

	/* A full ring, non-blocking: the batch stops there and says why. */
	rx = bound(&port, self, 256);
	if (!rx)
		return;
	argo_set_nonblocking(tx, 1);
	for (i = 0; i < 4; i++) {
		e[i].dst.port = port;
		e[i].len = 100;
	}
	n = send_many_raw(tx, e, 4, &sm);
	TAP_CHECK("send_many_full_ring_partial_eagain",
		  n == 0 && sm.sent >= 1 && sm.sent < 4 && sm.error == EAGAIN &&
		  sm.error_index == sm.sent,
		  "got %d, sent %u, error %u at %u", n, sm.sent, sm.error, sm.error_index);
	argo_close(rx);
	argo_close(tx);
}

/*
 * Signal suppression (Xen series 0020): argo.ko registers /dev/argo's
 * rings with XEN_ARGO_REGISTER_FLAG_SUPPRESS where Xen takes it, and falls
 * back where it does not (pristine), saying which in debugfs. The blocking
 * cases above already run with it on (a lost wake-up would hang them);
 * these count what it saves, then argo_test_suppress.ko checks Xen's side
 * with a hostile value in every header field (the module's lines, one
 * case each: see linux/argo/test_suppress.c).
 */
#define SUPPRESS_RAW_CASES 10

static long long debugfs_stat(const char *key)
{
	char line[160];
	size_t n = strlen(key);
	long long v = -1;
	FILE *f = fopen("/sys/kernel/debug/argo/stats", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ' ')
			v = strtoll(line + n + 1, NULL, 10);
	fclose(f);
	return v;
}

/*
 * The ring on port's virqs_saved (Xen's count of signals it left out for
 * that ring alone), from debugfs argo/rings; -1 if the ring is not there.
 */
static long long debugfs_ring_virqs_saved(uint32_t port)
{
	char line[256];
	unsigned long long v;
	unsigned int p;
	long long r = -1;
	FILE *f = fopen("/sys/kernel/debug/argo/rings", "r");

	if (!f)
		return -1;
	/* port partner len flags rx tx msgs notifies rx_calls suppress nsaved vsaved */
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%u %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %llu", &p, &v) == 2 &&
		    p == port)
			r = (long long)v;
	fclose(f);
	return r;
}

static void debugfs_suppress(char *out, size_t len)
{
	char line[160];
	FILE *f = fopen("/sys/kernel/debug/argo/stats", "r");

	snprintf(out, len, "(no debugfs)");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "suppress ", 9)) {
			line[strcspn(line, "\n")] = 0;
			snprintf(out, len, "%s", line + 9);
		}
	fclose(f);
}

/*
 * Wait up to 2 s for a VIRQ to find rx's ring holding data (ring_rx_calls
 * grows; argo.ko counts it after turning rx_signal off), the counters
 * then in *now. VIRQ_ARGO goes to vCPU 0, which may be idle while this
 * runs on another: reading the counters at once would miss it.
 */
static void wait_rx_call(struct argo_handle *rx, const struct argo_stats *before,
			 struct argo_stats *now)
{
	struct timespec tick = { 0, 1000 * 1000 };

	for (int i = 0; i < 2000; i++) {
		if (argo_stats(rx, now) == 0 && now->ring_rx_calls != before->ring_rx_calls)
			return;
		nanosleep(&tick, NULL);
	}
}

/*
 * Load the test module MOD (lines "MOD: ok|not ok|skip NAME: detail", see
 * linux/argo/test_suppress.c) and turn its lines into cases, exactly
 * ncases of them: those after the last "start" in the kernel log (which
 * is left as it is, for the scenarios that share the boot).
 */
#define MODULE_CASES_MAX 32
static void module_cases(const char *mod, int ncases, const char *extra)
{
	static char lines[MODULE_CASES_MAX][400];
	char cmd[200], line[400], prefix[64], *p;
	int n = 0, k;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "rmmod %s 2>/dev/null; true", mod);
	if (system(cmd) == -1)
		return;
	snprintf(cmd, sizeof(cmd), "insmod /lib/argo/%s.ko domid=%u patched=%d%s",
		 mod, self, patched_xen, extra);
	if (system(cmd) != 0) {
		TAP_CHECK("test_module_loads", 0, "%s failed", cmd);
		return;
	}
	snprintf(prefix, sizeof(prefix), "%s: ", mod);
	f = popen("dmesg", "r");
	while (f && fgets(line, sizeof(line), f)) {
		p = strstr(line, prefix);
		if (!p)
			continue;
		p += strlen(prefix);
		p[strcspn(p, "\n")] = 0;
		if (!strcmp(p, "start"))
			n = 0;
		else if (n < ncases && n < MODULE_CASES_MAX && strcmp(p, "done") &&
			 strncmp(p, "done,", 5))
			snprintf(lines[n++], sizeof(lines[0]), "%s", p);
	}
	if (f)
		pclose(f);
	for (k = 0; k < n; k++) {
		char *name, *detail;
		int ok;

		p = lines[k];
		if (!strncmp(p, "ok ", 3)) {
			ok = 1;
			name = p + 3;
		} else if (!strncmp(p, "not ok ", 7)) {
			ok = 0;
			name = p + 7;
		} else if (!strncmp(p, "skip ", 5)) {
			ok = 2;
			name = p + 5;
		} else {
			TAP_CHECK("test_module_line", 0, "unexpected line: %s", p);
			continue;
		}
		detail = strstr(name, ": ");
		if (detail)
			*detail = 0, detail += 2;
		if (ok == 2) {
			tap_n++;
			printf("ok %d - %s # SKIP %s\n", tap_n, name, detail ? detail : "");
		} else {
			TAP_CHECK(name, ok, "%s", detail ? detail : "");
		}
	}
	/* The module's cases are a fixed set: one missing is a failure. */
	for (k = n; k < ncases; k++)
		TAP_CHECK("test_module_case_reported", 0,
			  "%s reported %d of %d cases", mod, n, ncases);
	snprintf(cmd, sizeof(cmd), "rmmod %s", mod);
	if (system(cmd) != 0)
		fprintf(stderr, "# %s failed\n", cmd);
}

static void suppress_raw_cases(void)
{
	module_cases("argo_test_suppress", SUPPRESS_RAW_CASES, "");
}

static void test_suppress(void)
{
	union { uint8_t b[4096]; uint64_t align; } u;
	struct argo_dev_recv_many rm;
	struct argo_stats s0, s1;
	char state[160];
	uint8_t msg[100];
	uint32_t port, sport, i, sent;
	long long saved0, saved1, nsaved0, nsaved1;
	int n;
	struct argo_handle *rx = bound(&port, self, 0);
	struct argo_handle *tx = bound(&sport, ARGO_DOMID_ANY, 0);

	if (!rx || !tx)
		return;
	argo_set_nonblocking(rx, 1);
	memset(msg, 's', sizeof(msg));
	debugfs_suppress(state, sizeof(state));
	if (patched_xen)
		TAP_CHECK("debugfs_says_suppress_on", !strcmp(state, "on"),
			  "expected \"on\", got \"%s\"", state);
	else
		TAP_CHECK("debugfs_says_xen_refused_suppress_driver_falls_back",
			  !strcmp(state, "off (Xen refused the flag)"),
			  "expected \"off (Xen refused the flag)\", got \"%s\"", state);

	/*
	 * A burst into an idle ring: the first message signals, not the rest.
	 * The rest are sent once the first's VIRQ has reached the ring (so
	 * argo.ko has turned rx_signal off), as a reader busy with the ring
	 * would see them. Without suppression every one signals.
	 */
	argo_stats(rx, &s0);
	saved0 = debugfs_stat("virqs_saved");
	sent = 0;
	for (i = 0; i < 8; i++) {
		sent += argo_send(tx, &(struct argo_peer){ self, port }, 0, msg, sizeof(msg)) ==
			sizeof(msg);
		if (i == 0 || i == 7)
			wait_rx_call(rx, &s0, &s1);
	}
	saved1 = debugfs_stat("virqs_saved");
	if (patched_xen)
		TAP_CHECK("burst_of_8_takes_at_most_2_virqs_and_xen_counts_the_rest",
			  sent == 8 && s1.virqs - s0.virqs >= 1 && s1.virqs - s0.virqs <= 2 &&
			  saved1 - saved0 >= 6,
			  "expected 8 sent, 1..2 VIRQs and >= 6 saved, got %u, %llu and %lld",
			  sent, (unsigned long long)(s1.virqs - s0.virqs), saved1 - saved0);
	else
		TAP_CHECK("burst_of_8_signals_without_suppression",
			  sent == 8 && s1.virqs - s0.virqs >= 1 && saved1 == saved0,
			  "expected 8 sent, >= 1 VIRQ and none saved, got %u, %llu and %lld",
			  sent, (unsigned long long)(s1.virqs - s0.virqs), saved1 - saved0);

	/* Draining with no sender waiting: the notify is left out. */
	nsaved0 = debugfs_stat("notifies_saved");
	n = recv_many_raw(rx, u.b, sizeof(u.b), 64, &rm);
	argo_stats(rx, &s0);
	nsaved1 = debugfs_stat("notifies_saved");
	TAP_CHECK(patched_xen ? "drain_without_waiting_sender_makes_no_notify" :
		  "drain_notifies_without_suppression",
		  n == 8 && s0.ring_notifies - s1.ring_notifies == (patched_xen ? 0 : 1) &&
		  nsaved1 - nsaved0 == (patched_xen ? 1 : 0),
		  "expected 8 messages, %d notify, %d saved; got %d, %llu, %lld",
		  patched_xen ? 0 : 1, patched_xen ? 1 : 0, n,
		  (unsigned long long)(s0.ring_notifies - s1.ring_notifies), nsaved1 - nsaved0);

	/*
	 * The drain took messages and ended on an empty ring without asking
	 * for a signal (ARGO_RECV_NO_ARM): its caller comes back before it
	 * sleeps, so the next message raises none. Xen counts the one it left
	 * out as it sends, so the count is final when the send returns.
	 */
	argo_stats(rx, &s0);
	saved0 = debugfs_ring_virqs_saved(port);
	argo_send(tx, &(struct argo_peer){ self, port }, 0, msg, sizeof(msg));
	saved1 = debugfs_ring_virqs_saved(port);
	if (patched_xen) {
		TAP_CHECK("batch_ending_empty_asks_for_no_signal",
			  saved0 >= 0 && saved1 - saved0 == 1,
			  "expected the ring's virqs_saved to grow by 1, got %lld -> %lld",
			  saved0, saved1);
	} else {
		wait_rx_call(rx, &s0, &s1);
		TAP_CHECK("message_after_batch_signals_without_suppression",
			  s1.virqs - s0.virqs >= 1, "expected >= 1 VIRQ, got %llu",
			  (unsigned long long)(s1.virqs - s0.virqs));
	}

	/* Coming back and finding the ring empty asks for a signal again. */
	n = recv_many_raw(rx, u.b, sizeof(u.b), 64, &rm);
	i = recv_many_raw(rx, u.b, sizeof(u.b), 64, &rm) == -EAGAIN;
	argo_stats(rx, &s0);
	argo_send(tx, &(struct argo_peer){ self, port }, 0, msg, sizeof(msg));
	wait_rx_call(rx, &s0, &s1);
	TAP_CHECK("empty_read_asks_for_a_signal_again",
		  n == 1 && i && s1.virqs - s0.virqs >= 1,
		  "expected 1 message, then EAGAIN, then >= 1 VIRQ; got %d, %s, %llu", n,
		  i ? "EAGAIN" : "not EAGAIN", (unsigned long long)(s1.virqs - s0.virqs));
	argo_close(rx);
	argo_close(tx);
	suppress_raw_cases();
}

/*
 * The batch send (Xen series 0021, XEN_ARGO_OP_sendv_batch): send_many
 * cut into hypercalls of up to 64 messages, in order; debugfs says whether
 * argo.ko uses the op; then argo_test_batch.ko checks the op itself with
 * wrong arguments, a ring that fills mid-batch and runs of entries to two
 * rings (0027), and argo_sendv_batch() on both Xens (its lines, one case each: linux/argo/test_batch.c).
 */
#define BATCH_RAW_CASES 19
#define BATCH_N 200
#define BATCH_LEN 2048

static void debugfs_line(const char *key, char *out, size_t len)
{
	char line[160];
	size_t n = strlen(key);
	FILE *f = fopen("/sys/kernel/debug/argo/stats", "r");

	snprintf(out, len, "(no debugfs)");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ' ') {
			line[strcspn(line, "\n")] = 0;
			snprintf(out, len, "%s", line + n + 1);
		}
	fclose(f);
}

static void test_sendv_batch(void)
{
	int core_batch = core_batches();
	static struct argo_out_msg out[BATCH_N];
	static uint8_t payload[BATCH_N][BATCH_LEN], got[BATCH_LEN];
	struct argo_stats t0, t1;
	struct argo_peer src;
	char state[160];
	uint32_t port, sport, type, i;
	ssize_t n;
	int ok = 1;
	struct argo_handle *rx = bound(&port, self, 1u << 20);
	struct argo_handle *tx = bound(&sport, ARGO_DOMID_ANY, 0);

	if (!rx || !tx)
		return;
	argo_set_nonblocking(rx, 1);
	debugfs_line("sendv_batch", state, sizeof(state));
	TAP_CHECK(patched_xen ? "debugfs_says_sendv_batch_on" :
		  "debugfs_says_xen_lacks_sendv_batch_driver_falls_back",
		  !strcmp(state, patched_xen ? "on" : "off (Xen lacks it)"),
		  "got \"%s\"", state);

	/*
	 * 400 KiB in 200 messages: 64 a hypercall, so 4 on 0021 (a few more
	 * if Xen yielded mid-batch for its softirqs: never one per message).
	 */
	for (i = 0; i < BATCH_N; i++) {
		memset(payload[i], (int)(i & 0xff), BATCH_LEN);
		out[i] = (struct argo_out_msg){ { self, port }, 1000 + i, payload[i],
						BATCH_LEN - (i % 7) };
	}
	argo_stats(tx, &t0);
	n = argo_send_many(tx, out, BATCH_N);
	argo_stats(tx, &t1);
	for (i = 0; i < BATCH_N && ok; i++) {
		ssize_t r = argo_recv(rx, got, sizeof(got), &src, &type);

		ok = r == (ssize_t)(BATCH_LEN - (i % 7)) && type == 1000 + i &&
		     src.port == sport && got[0] == (uint8_t)i && got[r - 1] == (uint8_t)i;
	}
	TAP_CHECK("send_many_200_of_2k_in_order_intact", n == BATCH_N && ok &&
		  argo_recv(rx, got, sizeof(got), NULL, NULL) < 0,
		  "sent %zd, message %u %s", n, i - 1, ok ? "right" : "wrong");
	TAP_CHECK(core_batch ? "send_many_200_costs_4_batch_hypercalls" :
		  "send_many_200_costs_200_sendv_without_batch_op",
		  (core_batch ? t1.hc_sendv - t0.hc_sendv >= 4 && t1.hc_sendv - t0.hc_sendv <= 12 :
		   t1.hc_sendv - t0.hc_sendv == BATCH_N) &&
		  t1.sys_send_many - t0.sys_send_many == 1,
		  "hypercalls %llu, system calls %llu",
		  (unsigned long long)(t1.hc_sendv - t0.hc_sendv),
		  (unsigned long long)(t1.sys_send_many - t0.sys_send_many));
	argo_close(rx);
	argo_close(tx);
	module_cases("argo_test_batch", BATCH_RAW_CASES,
		     core_batch ? "" : " core_batch=0");
}

/*
 * A batch's payloads read by Xen from the sender's memory (argo.ko's
 * tx_zerocopy: the hypercall mechanism, Xen with the batch op), so they
 * are copied once; elsewhere bounced as before. Either way the same
 * bytes arrive, pages Xen could not read (untouched, so not present) are
 * bounced and arrive too, and a bad payload address is EFAULT at its entry.
 */
static int recv_all(struct argo_handle *rx, uint8_t *buf, size_t len,
		    struct argo_msg_view *v, int max)
{
	struct argo_dev_recv_many rm;
	size_t off = 0;
	int n = 0;

	if (recv_many_raw(rx, buf, (uint32_t)len, (uint32_t)max, &rm) < 0)
		return -1;
	while (n < max && argo_msg_next(buf, rm.bytes, &off, &v[n]) == 1)
		n++;
	return n;
}

static void test_send_direct(void)
{
	static union { uint8_t b[8192]; uint64_t align; } u;
	int direct = patched_xen && (!want_mechanism || !strcmp(want_mechanism, "hypercall"));
	long long d0, d1, f0, f1;
	struct argo_dev_send e[3];
	struct argo_dev_send_many sm;
	struct argo_msg_view v[4];
	uint8_t payload[3][300];
	char state[96] = "";
	uint32_t port, sport, i;
	uint8_t *pages;
	int ok, n;
	FILE *f;
	struct argo_handle *rx = bound(&port, self, 0);
	struct argo_handle *tx = bound(&sport, ARGO_DOMID_ANY, 0);

	if (!rx || !tx)
		return;
	argo_set_nonblocking(rx, 1);
	f = fopen("/sys/kernel/debug/argo/stats", "r");
	while (f && fgets(state, sizeof(state), f) && strncmp(state, "tx_zerocopy ", 12))
		state[0] = 0;
	if (f)
		fclose(f);
	state[strcspn(state, "\n")] = 0;
	TAP_CHECK(direct ? "send_direct_on" : "send_direct_off",
		  !strncmp(state, direct ? "tx_zerocopy on" : "tx_zerocopy off", direct ? 14 : 15),
		  "debugfs argo/stats says '%s'", state);

	memset(e, 0, sizeof(e));
	for (i = 0; i < 3; i++) {
		for (size_t k = 0; k < sizeof(payload[0]); k++)
			payload[i][k] = (uint8_t)(i * 7 + k);
		e[i].dst.domain = self;
		e[i].dst.port = port;
		e[i].type = 30 + i;
		e[i].len = 100 * (i + 1);
		e[i].buf = (uint64_t)(uintptr_t)payload[i];
	}
	d0 = debugfs_stat("msgs_sent_direct");
	send_many_raw(tx, e, 3, &sm);
	d1 = debugfs_stat("msgs_sent_direct");
	n = recv_all(rx, u.b, sizeof(u.b), v, 4);
	ok = n == 3;
	for (i = 0; ok && i < 3; i++)
		ok = v[i].len == e[i].len && v[i].type == e[i].type &&
		     !memcmp(v[i].data, payload[i], e[i].len);
	TAP_CHECK(direct ? "send_many_direct_from_user_memory_intact" :
		  "send_many_bounced_intact",
		  sm.sent == 3 && ok && d1 - d0 == (direct ? 3 : 0),
		  "sent %u, received %d %s, msgs_sent_direct +%lld", sm.sent, n,
		  ok ? "intact" : "wrong", d1 - d0);

	/* Never touched, so not present: Xen's read faults, the bounce does not. */
	pages = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (pages == MAP_FAILED) {
		fprintf(stderr, "# mmap: %s\n", strerror(errno));
		goto out;
	}
	for (i = 0; i < 3; i++)
		e[i].buf = (uint64_t)(uintptr_t)(pages + 4096 * i);
	d0 = debugfs_stat("msgs_sent_direct");
	f0 = debugfs_stat("direct_faults");
	send_many_raw(tx, e, 3, &sm);
	d1 = debugfs_stat("msgs_sent_direct");
	f1 = debugfs_stat("direct_faults");
	n = recv_all(rx, u.b, sizeof(u.b), v, 4);
	ok = n == 3;
	for (i = 0; ok && i < 3; i++)
		for (uint32_t k = 0; ok && k < v[i].len; k++)
			ok = v[i].len == e[i].len && ((const uint8_t *)v[i].data)[k] == 0;
	TAP_CHECK("send_many_untouched_pages_intact", sm.sent == 3 && ok,
		  "sent %u (error %u at %u), received %d %s", sm.sent, sm.error,
		  sm.error_index, n, ok ? "zeros" : "wrong");
	TAP_CHECK(direct ? "send_many_untouched_pages_bounced_after_xen_faulted" :
		  "send_many_untouched_pages_bounced",
		  f1 - f0 == (direct ? 1 : 0) && d1 - d0 == 0,
		  "direct_faults +%lld, msgs_sent_direct +%lld", f1 - f0, d1 - d0);
	munmap(pages, 3 * 4096);

	e[0].buf = (uint64_t)(uintptr_t)payload[0];
	e[1].buf = 16;
	e[2].buf = (uint64_t)(uintptr_t)payload[2];
	n = send_many_raw(tx, e, 3, &sm);
	TAP_CHECK("send_many_bad_payload_efault_at_its_entry",
		  n == 0 && sm.sent == 1 && sm.error == EFAULT && sm.error_index == 1 &&
		  recv_all(rx, u.b, sizeof(u.b), v, 4) == 1,
		  "got %d, sent %u, error %u at %u", n, sm.sent, sm.error, sm.error_index);
	/*
	 * A kernel address (the start of a PV kernel's text) in the middle:
	 * Xen would read it through the guest's page tables, so the core's
	 * argo_sendv_batch_user() must not hand it over. EFAULT at that entry,
	 * and nothing of it arrives.
	 */
	e[1].buf = 0xffffffff81000000ull;
	n = send_many_raw(tx, e, 3, &sm);
	{
		int got = recv_all(rx, u.b, sizeof(u.b), v, 4);

		TAP_CHECK("send_many_kernel_address_efault_nothing_of_it_sent",
			  n == 0 && sm.sent == 1 && sm.error == EFAULT && sm.error_index == 1 &&
			  got == 1 && v[0].len == e[0].len && !memcmp(v[0].data, payload[0], e[0].len),
			  "got %d, sent %u, error %u at %u, received %d", n, sm.sent, sm.error,
			  sm.error_index, got);
	}
out:
	argo_close(rx);
	argo_close(tx);
}

/*
 * Every group and the number of cases it reports. The plan is their sum,
 * declared before the first case (docs/lab.md); a group that stops early
 * (a bind or mmap that failed) gets a `not ok` for each case it did not
 * run, so nothing vanishes. Adding a case: raise its group's count.
 */
static const struct group {
	const char *name;
	void (*run)(void);
	int cases;
} groups[] = {
	{ "version", test_version, 3 },
	{ "ring_sizes", test_ring_sizes, 5 },
	{ "bind_rules", test_bind_rules, 6 },
	{ "boundaries_and_types", test_boundaries_and_types, 4 },
	{ "sizes_and_reads", test_sizes_and_reads, 10 },
	{ "full_ring_and_wrap", test_full_ring_and_wrap, 3 },
	{ "blocking_send", test_blocking_send, 4 },
	{ "read_faults_and_readv", test_read_faults_and_readv, 3 },
	{ "precedence_and_refusal", test_precedence_and_refusal, 4 },
	{ "limits", test_limits, 2 },
	{ "batches", test_batches, 25 },
	{ "send_direct", test_send_direct, 6 },
	{ "suppress", test_suppress, 5 + SUPPRESS_RAW_CASES },
	{ "sendv_batch", test_sendv_batch, 3 + BATCH_RAW_CASES },
};

/* Patch cables: exercised on the patched build, shown absent on pristine. */
static const struct group cables_present = { "cables", test_cables, 33 };
static const struct group cables_absent = { "cables_absent", test_cables_absent, 6 };

static const struct group cables_guest = { "cables_guest", test_cables_guest, 5 };

/* The mechanism argo.ko uses, from the first line of debugfs argo/mechanism. */

static void test_mechanism(void)
{
	char line[64] = "", want[64], name[96];
	FILE *f = fopen("/sys/kernel/debug/argo/mechanism", "r");

	if (f) {
		if (!fgets(line, sizeof(line), f))
			line[0] = 0;
		fclose(f);
	}
	line[strcspn(line, "\n")] = 0;
	snprintf(want, sizeof(want), "mechanism %s", want_mechanism);
	snprintf(name, sizeof(name), "argo_mechanism_%s", want_mechanism);
	TAP_CHECK(name, !strcmp(line, want), "expected '%s', got '%s'%s", want, line,
		  f ? "" : " (no debugfs argo/mechanism)");
}

static const struct group mechanism = { "mechanism", test_mechanism, 1 };

/* How Xen signals argo.ko, from the first line of debugfs argo/notify. */
static void test_notify(void)
{
	char line[128] = "", want[64], name[96];
	FILE *f = fopen("/sys/kernel/debug/argo/notify", "r");

	if (f) {
		if (!fgets(line, sizeof(line), f))
			line[0] = 0;
		fclose(f);
	}
	line[strcspn(line, "\n")] = 0;
	snprintf(want, sizeof(want), "notify %s", want_notify);
	snprintf(name, sizeof(name), "argo_notify_%s", want_notify);
	/* "notify evtchn" may go on with its reason in brackets. */
	TAP_CHECK(name, !strncmp(line, want, strlen(want)) &&
		  (!line[strlen(want)] || line[strlen(want)] == ' '),
		  "expected '%s', got '%s'%s", want, line,
		  f ? "" : " (no debugfs argo/notify)");
}

static const struct group notify_group = { "notify", test_notify, 1 };

/* Run one group; a case it did not reach becomes a `not ok`. */
static void run_group(const struct group *g)
{
	int before = tap_n, ran;
	char name[96];

	g->run();
	fflush(stderr);
	ran = tap_n - before;
	for (int k = ran; k < g->cases; k++) {
		snprintf(name, sizeof(name), "%s_case_%d_of_%d", g->name, k + 1, g->cases);
		tap_not_run(name, "the group stopped early (its reason is on stderr above)");
	}
	if (ran > g->cases)
		printf("# group %s: declared %d cases, ran %d: raise its count\n",
		       g->name, g->cases, ran);
}

int main(int argc, char **argv)
{
	const char *variant = argc >= 3 ? argv[2] : "patched";
	const struct group *cables;
	int plan = 0;

	if (argc < 2 || argc > 5) {
		fprintf(stderr, "usage: argo-conformance DOMID [VARIANT [MECHANISM [NOTIFY]]]\n");
		return 2;
	}
	self = (uint16_t)strtoul(argv[1], NULL, 0);
	patched_xen = strncmp(variant, "pristine", 8) != 0;
	cables = !patched_xen ? &cables_absent : self ? &cables_guest : &cables_present;
	want_mechanism = argc >= 4 && argv[3][0] ? argv[3] : NULL;
	want_notify = argc == 5 && argv[4][0] ? argv[4] : NULL;
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		plan += groups[i].cases;
	plan += cables->cases + (want_mechanism ? mechanism.cases : 0) +
		(want_notify ? notify_group.cases : 0);
	tap_plan(plan);
	if (want_mechanism)
		run_group(&mechanism);
	if (want_notify)
		run_group(&notify_group);
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		run_group(&groups[i]);
	run_group(cables);
	return tap_done();
}
