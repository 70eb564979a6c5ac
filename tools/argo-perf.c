// SPDX-License-Identifier: MIT
/*
 * argo-perf: one-way Argo throughput, message sizes one after another.
 *   argo-perf -s -p PORT [-f PARTNER|any] [-r RINGSIZE] [-w SECONDS] [-R READYFILE]
 *   argo-perf -d DOMAIN -p PORT [-l LOCALPORT] [-S SIZES] (-t SECONDS | -n COUNT)
 *             [-T SECONDS] [-G GOFILE] [-P PASSFILE] [-R READYFILE]
 * For each size the sender streams data messages (type 0) with blocking
 * writes, which wait until Xen says the next one fits, then sends an end
 * marker (its own type) carrying the count, and waits for the receiver's
 * reply with what it received. The time covers delivery of every message.
 * Both sides check the counts and each message's sequence stamp; the
 * sender prints, for each size whose transfer checked out:
 *   argo-perf size S msgs N bytes B secs T msgs_per_s X MiB_per_s Y
 * and each side, per data message of each size, what it cost (counters of
 * /dev/argo and getrusage; hc: hypercalls of the whole domain, sys: this
 * endpoint's system calls, wake: wake-ups that found it asleep):
 *   argo-perf cost side tx|rx size S msgs N vcsw V ivcsw I cpu_us C
 *             hc H sendv S eagain E notify N query Q virqs R sys Y wake W
 * -B BATCH moves up to BATCH messages per system call (argo_send_many,
 * argo_recv_many; default 64); -B 1 is one blocking write (sender) or one
 * poll and read (receiver) per message, the path of ABI 4.
 * -G/-P let two senders take turns, size by size (make bench alternates
 * argo-perf and vchan-perf so that both see the same conditions).
 * Exit status: 0 when every size checked out, 1 otherwise, 2 for bad usage.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "perf-util.h"
#include "tool-util.h"

#define PROG		"argo-perf"
#define TYPE_DATA	0u		/* what argo_write sends */
#define TYPE_END	0x50454e44u	/* "PEND" */
#define TYPE_REPLY	0x50524550u	/* "PREP" */
#define DEFAULT_RING	(1u << 20)

struct end_marker {
	uint32_t size;
	uint32_t last;		/* 1: the receiver exits after replying */
	uint64_t sent;
};

static const char usage[] =
	"usage: argo-perf -s -p PORT [-f PARTNER|any] [-r RINGSIZE] [-w SECONDS] [-B BATCH] [-R READYFILE]\n"
	"       argo-perf -d DOMAIN -p PORT [-l LOCALPORT] [-S SIZES] (-t SECONDS | -n COUNT) [-B BATCH]\n"
	"                 [-T SECONDS] [-G GOFILE] [-P PASSFILE] [-R READYFILE]\n"
	"  -s          receive (count, check, reply to each end marker)\n"
	"  -R FILE     create FILE once set up (receiver: bound; sender: ready to send)\n"
	"  -r RINGSIZE receive ring bytes, a multiple of 16 (default 1 MiB)\n"
	"  -w SECONDS  receiver: give up after this long without a message (default 120)\n"
	"  -S SIZES    comma-separated message sizes (default 64,256,1024,4096,16384,65536)\n"
	"  -t SECONDS  send each size for this long, or -n COUNT messages of each size\n"
	"  -T SECONDS  sender: give up on a size after this long (default 120)\n"
	"  -B BATCH    messages per system call, 1..1024 (default 64; 1: one write,\n"
	"              or one poll and read, per message)\n"
	"  -G GOFILE   before each size, wait for GOFILE to exist and remove it\n"
	"  -P PASSFILE after each size, create PASSFILE (-G/-P: take turns with\n"
	"              another sender, e.g. vchan-perf -G PASSFILE -P GOFILE)\n";

/* A snapshot of what this side has cost: the driver's counters (when it
 * has them) and getrusage's. */
struct cost {
	struct argo_stats st;
	struct perf_proc proc;
	int have_st;
};

static void cost_snap(struct argo_handle *h, struct cost *c)
{
	c->have_st = argo_stats(h, &c->st) == 0;
	perf_proc_snap(&c->proc);
}

/* Print the cost line for msgs data messages between two snapshots. */
static void cost_print(const char *side, uint32_t size, uint64_t msgs,
		       const struct cost *a, const struct cost *b)
{
	const struct argo_stats *x = &a->st, *y = &b->st;
	double n = msgs ? (double)msgs : 1.0;
	char extra[256] = "";

	if (a->have_st && b->have_st) {
		uint64_t hc = (y->hc_sendv + y->hc_notify + y->hc_notify_query) -
			      (x->hc_sendv + x->hc_notify + x->hc_notify_query);
		/* The second snapshot's own ioctl is not the transfer's. */
		uint64_t sys = (y->sys_read + y->sys_write + y->sys_send + y->sys_send_many +
				y->sys_recv_many + y->sys_poll + y->sys_space + y->sys_other) -
			       (x->sys_read + x->sys_write + x->sys_send + x->sys_send_many +
				x->sys_recv_many + x->sys_poll + x->sys_space + x->sys_other) - 1;
		uint64_t wake = (y->rx_wakeups + y->tx_wakeups) - (x->rx_wakeups + x->tx_wakeups);

		snprintf(extra, sizeof(extra),
			 "hc %.4f sendv %.4f eagain %.4f notify %.4f query %.4f virqs %.4f sys %.4f wake %.4f",
			 (double)hc / n, (double)(y->hc_sendv - x->hc_sendv) / n,
			 (double)(y->hc_sendv_eagain - x->hc_sendv_eagain) / n,
			 (double)(y->hc_notify - x->hc_notify) / n,
			 (double)(y->hc_notify_query - x->hc_notify_query) / n,
			 (double)(y->virqs - x->virqs) / n, (double)sys / n, (double)wake / n);
	}
	perf_cost_print(PROG, side, size, msgs, &a->proc, &b->proc, extra);
}

struct receiver {
	struct argo_handle *h;
	struct perf_tally t;
	/*
	 * The window of a size opens when its first message is in hand, so
	 * the domain-wide counters see only this transfer, not whatever ran
	 * while this receiver waited; it misses that first arrival's own
	 * wake-up and call, one in thousands.
	 */
	struct cost c0;
	int open;
	int failed, done;
};

/* One received message: count data, answer an end marker. 0, or -1 to stop. */
static int receive_one(struct receiver *rx, const struct argo_peer *src,
		       uint32_t type, const uint8_t *buf, size_t n)
{
	struct end_marker end;
	struct perf_reply r;
	struct cost c1;

	if (!rx->open) {
		cost_snap(rx->h, &rx->c0);
		rx->open = 1;
	}
	if (type == TYPE_DATA) {
		perf_tally_add(&rx->t, buf, n, 0);
		return 0;
	}
	if (type != TYPE_END || n != sizeof(end)) {
		fprintf(stderr, PROG ": unexpected message from %u:%u: type %#x, %zu bytes\n",
			src->domain, src->port, type, n);
		return -1;
	}
	cost_snap(rx->h, &c1);
	memcpy(&end, buf, sizeof(end));
	perf_reply_fill(&r, &rx->t, end.size);
	if (perf_reply_check(PROG " (receiver)", &r, end.size, end.sent))
		rx->failed = 1;
	else
		printf(PROG ": size %u: received %" PRIu64 " messages, %" PRIu64
		       " bytes, in sequence\n", end.size, rx->t.msgs, rx->t.bytes);
	cost_print("rx", end.size, rx->t.msgs, &rx->c0, &c1);
	/* The reply ring is the sender's own and empty: it waits for us. */
	if (argo_send(rx->h, src, TYPE_REPLY, &r, sizeof(r)) < 0) {
		argo_perror(PROG, "send the reply");
		return -1;
	}
	if (end.last)
		rx->done = 1;
	memset(&rx->t, 0, sizeof(rx->t));
	rx->open = 0;
	return 0;
}

static int receive(struct argo_handle *h, size_t cap, unsigned long idle_s,
		   unsigned int batch)
{
	struct receiver rx = { .h = h };
	uint8_t *buf = malloc(cap);

	if (!buf) {
		perror(PROG ": malloc");
		return 1;
	}
	/* Batches: take what is queued, and wait (poll) only when nothing is. */
	if (batch > 1 && argo_set_nonblocking(h, 1)) {
		argo_perror(PROG, "set non-blocking");
		return 1;
	}
	while (!rx.done) {
		struct argo_msg_view m;
		struct argo_peer src;
		size_t used = 0, off = 0;
		uint32_t type;
		ssize_t n;
		int w;

		if (batch > 1) {
			n = argo_recv_many(h, buf, cap, batch, &used);
			if (n > 0) {
				while (!rx.done && argo_msg_next(buf, used, &off, &m) == 1)
					if (receive_one(&rx, &m.src, m.type, m.data, m.len))
						return 1;
				continue;
			}
			if (errno != EAGAIN) {
				argo_perror(PROG, "receive");
				return 1;
			}
		}
		w = argo_wait(h, (int)idle_s * 1000);
		if (w <= 0) {
			if (w < 0)
				argo_perror(PROG, "wait for a message");
			else
				fprintf(stderr, PROG ": no message for %lu s (after %" PRIu64
					" in this run)\n", idle_s, rx.t.msgs);
			return 1;
		}
		if (batch > 1)
			continue;
		n = argo_recv(h, buf, cap, &src, &type);
		if (n < 0) {
			argo_perror(PROG, "receive");
			return 1;
		}
		if (receive_one(&rx, &src, type, buf, (size_t)n))
			return 1;
	}
	free(buf);
	return rx.failed;
}

/* Send the end marker once Xen says it fits: poll asks for us. */
static int send_end(struct argo_handle *h, const struct argo_peer *dst,
		    const struct end_marker *end)
{
	struct pollfd p = { .fd = argo_fd(h), .events = POLLOUT };

	if (argo_connect(h, dst, sizeof(*end))) {
		argo_perror(PROG, "connect");
		return -1;
	}
	for (;;) {
		if (poll(&p, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror(PROG ": poll");
			return -1;
		}
		if (argo_send(h, dst, TYPE_END, end, sizeof(*end)) >= 0)
			return 0;
		if (errno != EAGAIN) {
			argo_perror(PROG, "send the end marker");
			return -1;
		}
	}
}

static int await_reply(struct argo_handle *h, const struct argo_peer *dst,
		       struct perf_reply *r)
{
	struct argo_peer src;
	uint32_t type;
	ssize_t n;
	int w = argo_wait(h, -1); /* bounded by the watchdog */

	if (w < 0) {
		argo_perror(PROG, "wait for the reply");
		return -1;
	}
	n = argo_recv(h, r, sizeof(*r), &src, &type);
	if (n < 0) {
		argo_perror(PROG, "receive the reply");
		return -1;
	}
	if (type != TYPE_REPLY || (size_t)n != sizeof(*r) || src.domain != dst->domain) {
		fprintf(stderr, PROG ": expected a %zu-byte reply from domain %u, got type %#x, %zd bytes from %u:%u\n",
			sizeof(*r), dst->domain, type, n, src.domain, src.port);
		return -1;
	}
	return 0;
}

struct sender {
	struct argo_handle *h;
	struct argo_peer dst;
	unsigned long secs, count;
	unsigned int batch;
};

/* Messages per argo_send_many: the batch, at most 1 MiB of them. */
static unsigned int batch_for(unsigned int batch, uint32_t size)
{
	unsigned int fit = (1u << 20) / size;

	return batch < fit ? batch : fit ? fit : 1;
}

static int send_size(void *ctx, uint32_t size, int last)
{
	struct sender *s = ctx;
	struct argo_handle *h = s->h;
	const struct argo_peer *dst = &s->dst;
	unsigned long secs = s->secs, count = s->count;
	struct end_marker end = { .size = size, .last = (uint32_t)last };
	unsigned int k, nb = batch_for(s->batch, size);
	uint8_t *buf = malloc((size_t)size * nb);
	struct argo_out_msg *out = calloc(nb, sizeof(*out));
	uint64_t t0, deadline, seq;
	struct perf_reply r;
	struct cost c0, c1;

	if (!buf || !out) {
		perror(PROG ": malloc");
		return -1;
	}
	memset(buf, 0x5a, (size_t)size * nb);
	for (k = 0; k < nb; k++) {
		out[k].dst = *dst;
		out[k].type = TYPE_DATA;
		out[k].buf = buf + (size_t)k * size;
		out[k].len = size;
	}
	/* Blocking sends wait until Xen says a message of this size fits. */
	if (argo_connect(h, dst, size)) {
		argo_perror(PROG, "connect");
		return -1;
	}
	cost_snap(h, &c0);
	t0 = now_ns();
	deadline = t0 + (uint64_t)secs * 1000000000u;
	for (seq = 0; nb > 1 && perf_more(seq, count, deadline); seq += k) {
		for (k = 0; k < nb && (!k || perf_more(seq + k, count, deadline)); k++)
			perf_stamp(buf + (size_t)k * size, size, seq + k);
		/* Blocking: fewer than k sent means an error stopped it. */
		if (argo_send_many(h, out, k) != (ssize_t)k) {
			char what[64];

			snprintf(what, sizeof(what), "send %u messages of %u bytes to %u:%u",
				 k, size, dst->domain, dst->port);
			argo_perror(PROG, what);
			return -1;
		}
	}
	for (seq = nb > 1 ? seq : 0; nb == 1 && perf_more(seq, count, deadline); seq++) {
		perf_stamp(buf, size, seq);
		if (argo_write(h, buf, size) < 0) {
			char what[64];

			snprintf(what, sizeof(what), "send %u bytes to %u:%u", size,
				 dst->domain, dst->port);
			argo_perror(PROG, what);
			return -1;
		}
	}
	end.sent = seq;
	if (send_end(h, dst, &end) || await_reply(h, dst, &r))
		return -1;
	t0 = now_ns() - t0;
	cost_snap(h, &c1);
	free(buf);
	free(out);
	if (perf_reply_check(PROG, &r, size, end.sent))
		return 1;
	perf_print(PROG, size, end.sent, t0);
	cost_print("tx", size, end.sent, &c0, &c1);
	return 0;
}

int main(int argc, char **argv)
{
	uint32_t sizes[PERF_MAX_SIZES] = { 64, 256, 1024, 4096, 16384, 65536 };
	size_t nsizes = 6;
	unsigned long secs = 0, count = 0, idle_s = 120, size_timeout = 120;
	unsigned long ring = DEFAULT_RING, batch = 64;
	uint16_t partner = ARGO_DOMID_ANY;
	struct argo_peer dst = { 0 };
	uint32_t port = 0, local = 0;
	int server = 0, have_dst = 0, have_port = 0, failed = 0, opt;
	const char *ready = NULL, *go = NULL, *pass = NULL;
	struct argo_handle *h;

	while ((opt = getopt(argc, argv, "sd:p:f:r:w:R:l:S:t:n:T:G:P:B:h")) != -1) {
		switch (opt) {
		case 's': server = 1; break;
		case 'd': dst.domain = parse_domain("domain (-d)", optarg); have_dst = 1; break;
		case 'p': port = parse_num("port (-p)", optarg, UINT32_MAX); have_port = 1; break;
		case 'f': partner = parse_domain("partner (-f)", optarg); break;
		case 'r': ring = parse_num("ring size (-r)", optarg, 16u << 20); break;
		case 'w': idle_s = parse_num("seconds (-w)", optarg, 86400); break;
		case 'R': ready = optarg; break;
		case 'l': local = parse_num("local port (-l)", optarg, UINT32_MAX); break;
		case 'S': nsizes = perf_parse_sizes(PROG, "-S", optarg, sizes); break;
		case 't': secs = parse_num("seconds (-t)", optarg, 3600); break;
		case 'n': count = parse_num("count (-n)", optarg, 1000000000); break;
		case 'T': size_timeout = parse_num("seconds (-T)", optarg, 86400); break;
		case 'G': go = optarg; break;
		case 'P': pass = optarg; break;
		case 'B': batch = parse_num("batch (-B)", optarg, ARGO_BATCH_MAX); break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, PROG ": unexpected argument '%s'\n%s", argv[optind], usage);
		return 2;
	}
	if (server == have_dst) {
		fprintf(stderr, PROG ": %s\n%s", server ? "-s (receive) and -d (send to) exclude each other"
			: "give -s to receive or -d DOMAIN to send", usage);
		return 2;
	}
	if (!have_port) {
		fprintf(stderr, PROG ": missing -p PORT\n%s", usage);
		return 2;
	}
	if (server && (ring < 64 || ring % 16)) {
		fprintf(stderr, PROG ": invalid ring size (-r) %lu: a multiple of 16 from 64\n", ring);
		return 2;
	}
	if (server && !idle_s) {
		fprintf(stderr, PROG ": invalid seconds (-w) 0: at least 1\n");
		return 2;
	}
	if (!batch) {
		fprintf(stderr, PROG ": invalid batch (-B) 0: from 1 to %d\n", ARGO_BATCH_MAX);
		return 2;
	}
	if (!server && !secs == !count) {
		fprintf(stderr, PROG ": give exactly one of -t SECONDS and -n COUNT (not 0)\n");
		return 2;
	}
	h = open_or_die(PROG);
	if (server) {
		if (argo_bind(h, port, partner, (uint32_t)ring)) {
			argo_perror(PROG, "bind");
			return 1;
		}
		if (ready && mark_ready(ready))
			return 1;
		failed = receive(h, ring, idle_s, (unsigned int)batch);
		argo_close(h);
		return failed;
	}
	dst.port = port;
	/* Replies come back to our bound port (the source of what we send). */
	if (argo_bind(h, local ? local : port + 1, dst.domain, 0)) {
		argo_perror(PROG, "bind the reply port");
		return 1;
	}
	if (ready && mark_ready(ready))
		return 1;
	failed = perf_send_all(&(struct perf_run){
			.prog = PROG, .sizes = sizes, .nsizes = nsizes,
			.size_timeout = size_timeout, .go = go, .pass = pass,
		}, send_size, &(struct sender){
			.h = h, .dst = dst, .secs = secs, .count = count,
			.batch = (unsigned int)batch,
		});
	argo_close(h);
	return failed;
}
