// SPDX-License-Identifier: MIT
/*
 * va-frontend: a virtio-argo driver in userspace, for the lab. It speaks
 * the wire protocol (docs/virtio-argo.md) through libargo to a
 * virtio-argo-backend it knows only by its own cable source port (the
 * port discovery named), and drives the virtio-blk device there: HELLO,
 * the virtio-msg bring-up, CHAIN requests on every queue, batched.
 * Until the kernel transport runs, this is how the daemon meets Xen; it
 * also plays the hostile frontend the kernel transport never would.
 *
 *   va-frontend -p PORT [-r RING] [-t SECONDS] CMD ARGS
 *   va-frontend -u PATH [-r RING] [-t SECONDS] CMD ARGS
 *     (-u: the daemon's unix:PATH listener instead of Argo, to try the
 *     same commands on the host; a session the daemon ends is then a
 *     closed connection, and the next session reconnects)
 *     rw SECTOR BLOCKS SEED      write BLOCKS 4-KiB blocks of SEED's
 *                                pattern at SECTOR, all in flight at once,
 *                                flush, read them back and compare
 *     verify SECTOR BLOCKS SEED  read and compare only (a new session)
 *     loop STOPFILE SECTOR SEED  rw of 8 blocks again and again, until
 *                                STOPFILE exists (at most 10 minutes)
 *     hostile KIND               one malformed or disallowed message:
 *                                the daemon must end the session (EVENT_RESET
 *                                reason 1, or TOOBIG for oversize-chain);
 *                                then a new session must work
 *     hang SECTOR BLOCKS         bring the device up, print "up", wait
 *                                for SIGUSR1, send BLOCKS writes, print
 *                                "sent", then wait to be destroyed
 *   va-frontend pattern SECTOR BLOCKS SEED   the pattern, to stdout
 *
 * KIND: lying-length unknown-queue chain-reuse wrong-epoch oversize
 *       oversize-chain garbage before-hello before-driver-ok
 * Exit 0 when the command did what it says, 1 otherwise (the reason on
 * stderr); one summary line on stdout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <linux/virtio_blk.h>

#include <argo/virtio-argo.h>
#include "libargo.h"
#include "va_fe.h"

#define BLK		4096u
#define QSIZE		VA_FE_QSIZE
#define NQ		VA_FE_NQ
#define MAX_BATCH	64u	/* blocks in flight per command */

#define BLK_FEATURES ((1ULL << VIRTIO_BLK_F_FLUSH) | (1ULL << VIRTIO_BLK_F_SEG_MAX) | \
		      (1ULL << VIRTIO_BLK_F_BLK_SIZE) | (1ULL << VIRTIO_BLK_F_MQ))
/* VERSION_1, ACCESS_PLATFORM, RING_RESET */
#define WANT (BLK_FEATURES | (1ULL << 32) | (1ULL << 33) | (1ULL << 40))

struct fe {
	struct argo_handle *h;
	const char *unix_path;	/* -u: SOCK_SEQPACKET instead of Argo */
	int sock;
	struct argo_peer dst;
	uint32_t ring, my_max, peer_max;
	uint8_t *tx, *rx;
	uint32_t tx_len;
	uint16_t token;
	uint32_t nq;
	int timeout_ms;
	int reset_reason;	/* EVENT_RESET seen: its reason */
	struct va_fe_chains c;	/* chains in flight, their answers */
};

static void fe_io_init(struct fe *f);

static void die(const char *what)
{
	fprintf(stderr, "va-frontend: %s\n", what);
	exit(1);
}

static int unix_connect(struct fe *f)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if (f->sock >= 0)
		close(f->sock);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", f->unix_path);
	f->sock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (f->sock < 0 || connect(f->sock, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	{
		int sz = 4 * VA_MAX_MSG;

		setsockopt(f->sock, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	}
	return 0;
}

static int fe_open(struct fe *f, uint32_t port, uint32_t ring)
{
	f->sock = -1;
	if (f->unix_path) {
		if (unix_connect(f))
			return -errno;
	} else {
		f->h = argo_open();
		if (!f->h)
			return -errno;
		if (argo_bind(f->h, port, ARGO_DOMID_ANY, ring) < 0)
			return -errno;
	}
	f->dst.domain = ARGO_DOMID_IMPLICIT;
	f->dst.port = 0;
	f->ring = ring;
	/* Room for two of our largest messages in the ring (Xen's rule: a
	 * message is at most ring - 32 bytes with its header). */
	f->my_max = ring / 2 > VA_MAX_MSG ? VA_MAX_MSG : ring / 2;
	f->peer_max = VA_MIN_MSG;
	f->rx = malloc(ring);
	f->tx = malloc(VA_MAX_MSG);
	fe_io_init(f);
	return f->rx && f->tx ? 0 : -ENOMEM;
}

/* Send raw bytes as one message, retrying while the daemon's ring is not
 * there yet (it binds after the guest exists). */
static int fe_send_raw(struct fe *f, const void *buf, uint32_t len)
{
	int tries = f->timeout_ms / 200;

	if (f->unix_path) {
		if (f->sock < 0 && unix_connect(f))
			return -errno;
		return send(f->sock, buf, len, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -errno;
	}
	while (argo_send(f->h, &f->dst, 0, buf, len) < 0) {
		if (errno != ECONNREFUSED || tries-- <= 0)
			return -errno;
		usleep(200000);
	}
	return 0;
}

static int fe_flush(void *ctx)
{
	struct fe *f = ctx;
	int r;

	if (!f->tx_len)
		return 0;
	r = fe_send_raw(f, f->tx, f->tx_len);
	f->tx_len = 0;
	return r;
}

/* One message: file CHAIN responses and events; 1 with *out if it held
 * the control response with token tok; 0 if not; -1 on timeout or a bad
 * message; -2 when the daemon reset the session. */
static int fe_recv(void *ctx, int tok, struct va_msg *out)
{
	struct fe *f = ctx;
	struct argo_peer src;
	struct va_iter it;
	struct va_msg m;
	const char *why;
	ssize_t n;
	int found = 0;

	if (f->unix_path) {
		struct pollfd p = { .fd = f->sock, .events = POLLIN };

		if (poll(&p, 1, f->timeout_ms) != 1) {
			fprintf(stderr, "va-frontend: no answer in %d ms\n", f->timeout_ms);
			return -1;
		}
		n = recv(f->sock, f->rx, f->ring, 0);
		if (n == 0) {
			/* The daemon ended the session: over a connection
			 * that is the EVENT_RESET of an Argo link. */
			close(f->sock);
			f->sock = -1;
			f->reset_reason = VA_RESET_PROTOCOL;
			return -2;
		}
	} else if (argo_wait(f->h, f->timeout_ms) != 1) {
		fprintf(stderr, "va-frontend: no answer in %d ms\n", f->timeout_ms);
		return -1;
	} else {
		n = argo_recv(f->h, f->rx, f->ring, &src, NULL);
	}
	if (n < 0) {
		fprintf(stderr, "va-frontend: recv: %s\n", argo_strerror(errno));
		return -1;
	}
	va_iter_init(&it, f->rx, (uint32_t)n);
	while (va_next(&it, &m, &why) == 1) {
		if (va_validate(&m, 0, &why)) {
			fprintf(stderr, "va-frontend: bad record from the device: %s\n", why);
			return -1;
		}
		if ((m.type & VA_TYPE_BUS) && m.msg_id == VA_BUS_EVENT_RESET) {
			f->reset_reason = (int)va_word(&m, 0);
			return -2;
		}
		if (m.msg_id == VA_MSG_CHAIN && !(m.type & VA_TYPE_BUS)) {
			/* Another epoch (a session or reset ago) is dropped. */
			if (va_fe_complete(&f->c, &m, &why) < 0) {
				fprintf(stderr, "va-frontend: bad completion: %s\n", why);
				return -1;
			}
		} else if (tok >= 0 && m.token == tok && out) {
			*out = m;
			found = 1;
		}
	}
	return found;
}

/* The channel, as the shared data plane (va_fe.c) uses it. */
static void fe_io_init(struct fe *f)
{
	f->c.io = (struct va_fe_io){ .tx = f->tx, .len = &f->tx_len, .cap = &f->peer_max,
				     .flush = fe_flush, .recv = fe_recv, .ctx = f };
}

static int fe_wait_tok(struct fe *f, uint16_t tok, struct va_msg *m)
{
	int r;

	do {
		r = fe_recv(f, tok, m);
	} while (r == 0);
	return r == 1 ? 0 : r;
}

static int fe_ctrl(struct fe *f, uint8_t id, const uint32_t *w, uint32_t nw,
		   struct va_msg *resp)
{
	uint16_t tok = ++f->token;
	int r = va_encode_ctrl(f->tx, f->peer_max, 0, id, 0, tok, w, nw, NULL, 0);

	if (r < 0)
		return r;
	f->tx_len = (uint32_t)r;
	r = fe_flush(f);
	return r ? r : fe_wait_tok(f, tok, resp);
}

static int fe_hello(struct fe *f)
{
	struct va_hello h = { VA_VIRTIO_MSG_REVISION, VA_VERSION, f->my_max, VA_HELLO_F_BATCH };
	struct va_msg m;
	uint16_t tok = ++f->token;
	int r = va_encode_hello(f->tx, VA_MIN_MSG, 0, tok, &h);

	f->tx_len = (uint32_t)r;
	f->reset_reason = 0;
	r = fe_flush(f);
	if (!r)
		r = fe_wait_tok(f, tok, &m);
	if (r || va_decode_hello(&m, &h, NULL) || h.version != VA_VERSION)
		return -1;
	f->peer_max = h.max_msg < VA_MAX_MSG ? h.max_msg : VA_MAX_MSG;
	return 0;
}

static uint32_t fe_status(struct fe *f, uint32_t s)
{
	struct va_msg m;

	if (fe_ctrl(f, VA_MSG_SET_DEVICE_STATUS, &s, 1, &m))
		return 0xFFFFFFFF;
	return va_word(&m, 0);
}

static int fe_set_vqueue(struct fe *f, uint32_t q, uint32_t size, uint32_t epoch)
{
	struct va_vqueue v = { .index = q, .flags = VA_VQ_STATE_ENABLE, .size = size, .epoch = epoch };
	struct va_msg m;
	uint16_t tok = ++f->token;
	int r = va_encode_vqueue(f->tx, f->peer_max, 0, 0, tok, &v);

	f->tx_len = (uint32_t)r;
	r = fe_flush(f);
	return r ? r : fe_wait_tok(f, tok, &m);
}

/* A session: HELLO, reset, info, features, queues, DRIVER_OK. Each new
 * session takes a new epoch, so nothing of an older one is accepted. */
static int fe_session(struct fe *f, int upto_driver_ok)
{
	uint32_t w[4] = { 0, 2 }, q;
	uint64_t feat;
	struct va_msg m;

	va_fe_forget(&f->c);
	f->c.epoch++;
	if (fe_hello(f))
		return -1;
	if (fe_status(f, 0) != 0)
		return -2;
	if (fe_ctrl(f, VA_MSG_GET_DEVICE_INFO, NULL, 0, &m) || va_word(&m, 0) != 2)
		return -3;
	f->nq = va_word(&m, 8);
	if (f->nq > NQ)
		f->nq = NQ;
	if (!f->nq || fe_ctrl(f, VA_MSG_GET_DEVICE_FEATURES, w, 2, &m))
		return -4;
	feat = va_word(&m, 2) | (uint64_t)va_word(&m, 3) << 32;
	fe_status(f, 1);
	fe_status(f, 3);
	w[2] = (uint32_t)(feat & WANT);
	w[3] = (uint32_t)((feat & WANT) >> 32);
	if (fe_ctrl(f, VA_MSG_SET_DRIVER_FEATURES, w, 4, &m))
		return -5;
	if (!(fe_status(f, 11) & 8))
		return -6;
	if (!upto_driver_ok)
		return 0;
	for (q = 0; q < f->nq; q++)
		if (fe_set_vqueue(f, q, QSIZE, f->c.epoch))
			return -7;
	if (fe_status(f, 15) != 15)
		return -8;
	return 0;
}

static void pattern(uint8_t *b, uint64_t sector, uint32_t seed)
{
	uint32_t i, x;

	for (i = 0; i < BLK; i++) {
		x = seed * 2654435761u + (uint32_t)sector * 40503u + i * 7u;
		b[i] = (uint8_t)(x ^ (x >> 11) ^ (x >> 23));
	}
}

/* BLOCKS blocks from SECTOR, spread over the queues, all in flight. */
static int blk_batch(struct fe *f, int write, uint64_t sector, uint32_t blocks, uint32_t seed)
{
	static uint8_t data[MAX_BATCH][BLK];
	uint32_t b, q, id;

	for (b = 0; b < blocks; b++) {
		q = b % f->nq;
		id = b / f->nq;
		if (write)
			pattern(data[b], sector + 8 * b, seed);
		if (va_fe_blk(&f->c, q, id, write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN, sector + 8 * b,
			   write ? data[b] : NULL, write ? BLK : 0, write ? 0 : BLK))
			return -1;
	}
	if (va_fe_wait_all(&f->c))
		return -1;
	for (b = 0; b < blocks; b++) {
		q = b % f->nq;
		id = b / f->nq;
		if (va_fe_blk_status(&f->c, q, id) != VIRTIO_BLK_S_OK) {
			fprintf(stderr, "va-frontend: block %u: status %d\n", b, va_fe_blk_status(&f->c, q, id));
			return -1;
		}
		if (!write) {
			pattern(data[0], sector + 8 * b, seed);
			if (f->c.used[q][id] != BLK + 1 || memcmp(f->c.in[q][id], data[0], BLK)) {
				fprintf(stderr, "va-frontend: block %u at sector %llu differs\n",
					b, (unsigned long long)(sector + 8 * b));
				return -1;
			}
		}
	}
	return 0;
}

static int blk_flush(struct fe *f)
{
	if (va_fe_blk(&f->c, 0, 0, VIRTIO_BLK_T_FLUSH, 0, NULL, 0, 0) || va_fe_wait_all(&f->c))
		return -1;
	return va_fe_blk_status(&f->c, 0, 0) == VIRTIO_BLK_S_OK ? 0 : -1;
}

static int cmd_rw(struct fe *f, uint64_t sector, uint32_t blocks, uint32_t seed, int write)
{
	if (write && (blk_batch(f, 1, sector, blocks, seed) || blk_flush(f)))
		return -1;
	return blk_batch(f, 0, sector, blocks, seed);
}

/*
 * One hostile message; returns 0 when the daemon reacted as it must: the
 * session ended (EVENT_RESET, protocol error), or for oversize-chain the
 * chain answered TOOBIG. The session is then re-established by the caller.
 */
static int cmd_hostile(struct fe *f, const char *kind)
{
	static uint8_t m[8192];
	uint32_t segs[2] = { 16, 1 };
	uint8_t hdr[16] = { 0 };
	const void *out[1] = { hdr };
	int len, r, need_ok = 1;

	if (!strcmp(kind, "before-hello")) {
		/* A new HELLO would start a session: instead, end the current
		 * one with a protocol error first, then send a chain. */
		if (fe_hello(f))
			return -1;
		len = va_encode_ctrl(m, sizeof(m), 0, 0x3F, 0, 1, NULL, 0, NULL, 0);
		if (fe_send_raw(f, m, (uint32_t)len) || fe_recv(f, -1, NULL) != -2)
			return -1;
		need_ok = 0;
	} else if (!strcmp(kind, "before-driver-ok")) {
		need_ok = 2;
	}
	if (need_ok && fe_session(f, need_ok == 1))
		return -1;
	if (!strcmp(kind, "lying-length")) {
		len = va_encode_chain_req(m, sizeof(m), 0, 0, f->c.epoch, 3, 1, 1, segs, out);
		va_put32(m + 24, 4000);	/* data_len lies */
	} else if (!strcmp(kind, "unknown-queue")) {
		len = va_encode_chain_req(m, sizeof(m), 0, 7, f->c.epoch, 3, 1, 1, segs, out);
	} else if (!strcmp(kind, "wrong-epoch")) {
		len = va_encode_chain_req(m, sizeof(m), 0, 0, f->c.epoch + 99, 3, 1, 1, segs, out);
	} else if (!strcmp(kind, "chain-reuse")) {
		len = va_encode_chain_req(m, sizeof(m), 0, 0, f->c.epoch, 3, 1, 1, segs, out);
		len += va_encode_chain_req(m + len, sizeof(m) - (uint32_t)len, 0, 0, f->c.epoch, 3,
					   1, 1, segs, out);
	} else if (!strcmp(kind, "garbage")) {
		for (len = 0; len < 256; len++)
			m[len] = (uint8_t)(len * 37 + 11);
		m[0] = 0xFC;	/* reserved type bits */
	} else if (!strcmp(kind, "before-hello") || !strcmp(kind, "before-driver-ok")) {
		len = va_encode_chain_req(m, sizeof(m), 0, 0, f->c.epoch, 3, 1, 1, segs, out);
	} else if (!strcmp(kind, "oversize")) {
		/* One message over the max_msg the daemon announced. */
		uint32_t big = f->peer_max + 4096;
		uint8_t *b = calloc(1, big);

		if (!b)
			return -1;
		va_encode_ctrl(b, 16, 0, VA_MSG_GET_DEVICE_STATUS, 0, 1, NULL, 0, NULL, 0);
		r = fe_send_raw(f, b, big);
		free(b);
		if (r == -EMSGSIZE) {
			/* Xen refused it whole: the daemon never saw it. */
			fprintf(stderr, "va-frontend: the daemon's ring cannot take %u bytes\n", big);
			return -1;
		}
		if (r)
			return -1;
		r = fe_recv(f, -1, NULL);
		return r == -2 && f->reset_reason == VA_RESET_PROTOCOL ? 0 : -1;
	} else if (!strcmp(kind, "oversize-chain")) {
		/* An answer that could never fit our max_msg: TOOBIG, no reset. */
		uint32_t s2[2] = { 16, f->my_max };

		f->c.in[0][1] = realloc(f->c.in[0][1], 1);
		f->c.in_len[0][1] = 0;
		f->c.done[0][1] = 0;
		len = va_encode_chain_req(f->tx, f->peer_max, 0, 0, f->c.epoch, 1, 1, 1, s2, out);
		f->tx_len = (uint32_t)len;
		f->c.outstanding = 1;
		if (va_fe_wait_all(&f->c))
			return -1;
		return f->c.done[0][1] == 2 + VA_STATUS_TOOBIG ? 0 : -1;
	} else {
		die("unknown hostile kind");
	}
	if (len <= 0 || fe_send_raw(f, m, (uint32_t)len))
		return -1;
	r = fe_recv(f, -1, NULL);
	if (r != -2 || f->reset_reason != VA_RESET_PROTOCOL) {
		fprintf(stderr, "va-frontend: expected EVENT_RESET(protocol), got %d (reason %d)\n",
			r, f->reset_reason);
		return -1;
	}
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: va-frontend -p PORT [-r RING] [-t SECONDS] rw|verify SECTOR BLOCKS SEED\n"
		"       va-frontend -p PORT ... loop STOPFILE SECTOR SEED | hostile KIND | hang SECTOR BLOCKS\n"
		"       va-frontend pattern SECTOR BLOCKS SEED\n");
	exit(2);
}

static unsigned long num(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (!*s || *end)
		usage();
	return v;
}

int main(int argc, char **argv)
{
	static struct fe fe;
	struct fe *f = &fe;
	uint32_t port = 0, ring = 262144;
	const char *cmd;
	int c;

	f->timeout_ms = 30000;
	while ((c = getopt(argc, argv, "p:r:t:u:")) != -1) {
		switch (c) {
		case 'u': f->unix_path = optarg; port = 1; break;
		case 'p': port = (uint32_t)num(optarg); break;
		case 'r': ring = (uint32_t)num(optarg); break;
		case 't': f->timeout_ms = (int)num(optarg) * 1000; break;
		default: usage();
		}
	}
	if (optind >= argc)
		usage();
	cmd = argv[optind++];
	if (!strcmp(cmd, "pattern")) {
		static uint8_t b[BLK];
		uint64_t s;
		uint32_t n, i, seed;

		if (argc - optind != 3)
			usage();
		s = num(argv[optind]);
		n = (uint32_t)num(argv[optind + 1]);
		seed = (uint32_t)num(argv[optind + 2]);
		for (i = 0; i < n; i++) {
			pattern(b, s + 8 * i, seed);
			if (fwrite(b, BLK, 1, stdout) != 1)
				return 1;
		}
		return 0;
	}
	if (!port || ring < 2 * VA_MIN_MSG)
		usage();
	if (fe_open(f, port, ring)) {
		fprintf(stderr, "va-frontend: cannot bind port %u: %s\n", port, argo_strerror(errno));
		return 1;
	}
	if (!strcmp(cmd, "rw") || !strcmp(cmd, "verify")) {
		uint64_t s;
		uint32_t n, seed;
		int r;

		if (argc - optind != 3)
			usage();
		s = num(argv[optind]);
		n = (uint32_t)num(argv[optind + 1]);
		seed = (uint32_t)num(argv[optind + 2]);
		if (n > MAX_BATCH || n > NQ * QSIZE)
			die("at most 64 blocks");
		r = fe_session(f, 1);
		if (r) {
			fprintf(stderr, "va-frontend: bring-up failed at step %d\n", -r);
			return 1;
		}
		if (cmd_rw(f, s, n, seed, cmd[0] == 'r'))
			return 1;
		printf("va-frontend: %s %u blocks at sector %llu over %u queues: ok\n", cmd, n,
		       (unsigned long long)s, f->nq);
		return 0;
	}
	if (!strcmp(cmd, "loop")) {
		time_t end = time(NULL) + 600;
		const char *stop;
		uint64_t s;
		uint32_t seed, rounds = 0;

		if (argc - optind != 3)
			usage();
		stop = argv[optind];
		s = num(argv[optind + 1]);
		seed = (uint32_t)num(argv[optind + 2]);
		if (fe_session(f, 1))
			die("bring-up failed");
		while (time(NULL) < end && access(stop, F_OK)) {
			if (cmd_rw(f, s, 8, seed + rounds, 1)) {
				fprintf(stderr, "va-frontend: loop round %u failed\n", rounds);
				return 1;
			}
			rounds++;
		}
		printf("va-frontend: loop: %u rounds of 8 blocks written, flushed, read: ok\n", rounds);
		return 0;
	}
	if (!strcmp(cmd, "hostile")) {
		if (argc - optind != 1)
			usage();
		int reset;

		if (cmd_hostile(f, argv[optind])) {
			fprintf(stderr, "va-frontend: hostile %s: the daemon did not refuse it\n",
				argv[optind]);
			return 1;
		}
		reset = f->reset_reason;
		/* The daemon is still ours to use: a new session reads. */
		if (fe_session(f, 1))
			die("no session after the hostile message");
		{
			uint32_t q = 0;

			if (va_fe_blk(&f->c, q, 0, VIRTIO_BLK_T_IN, 0, NULL, 0, BLK) || va_fe_wait_all(&f->c) ||
			    va_fe_blk_status(&f->c, q, 0) != VIRTIO_BLK_S_OK)
				die("read after the hostile message failed");
		}
		printf("va-frontend: hostile %s: refused (%s), next session served\n", argv[optind],
		       reset ? "session ended: protocol error" : "answered TOOBIG");
		return 0;
	}
	if (!strcmp(cmd, "hang")) {
		static uint8_t data[BLK];
		uint32_t n, b;
		uint64_t s;

		if (argc - optind != 2)
			usage();
		s = num(argv[optind]);
		n = (uint32_t)num(argv[optind + 1]);
		if (n > NQ * QSIZE)
			die("too many blocks");
		sigset_t ss;
		int sig;

		sigemptyset(&ss);
		sigaddset(&ss, SIGUSR1);
		sigprocmask(SIG_BLOCK, &ss, NULL);
		if (fe_session(f, 1))
			die("bring-up failed");
		printf("va-frontend: up\n");
		fflush(stdout);
		sigwait(&ss, &sig);
		for (b = 0; b < n; b++)
			if (va_fe_blk(&f->c, b % f->nq, b / f->nq, VIRTIO_BLK_T_OUT, s + 8 * b, data, BLK, 0))
				die("queueing failed");
		if (fe_flush(f))
			die("send failed");
		printf("va-frontend: sent %u writes\n", n);
		fflush(stdout);
		for (;;)
			pause();
	}
	usage();
	return 2;
}
