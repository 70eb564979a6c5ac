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
	"usage: argo-perf -s -p PORT [-f PARTNER|any] [-r RINGSIZE] [-w SECONDS] [-R READYFILE]\n"
	"       argo-perf -d DOMAIN -p PORT [-l LOCALPORT] [-S SIZES] (-t SECONDS | -n COUNT)\n"
	"                 [-T SECONDS] [-G GOFILE] [-P PASSFILE] [-R READYFILE]\n"
	"  -s          receive (count, check, reply to each end marker)\n"
	"  -R FILE     create FILE once set up (receiver: bound; sender: ready to send)\n"
	"  -r RINGSIZE receive ring bytes, a multiple of 16 (default 1 MiB)\n"
	"  -w SECONDS  receiver: give up after this long without a message (default 120)\n"
	"  -S SIZES    comma-separated message sizes (default 64,256,1024,4096,16384,65536)\n"
	"  -t SECONDS  send each size for this long, or -n COUNT messages of each size\n"
	"  -T SECONDS  sender: give up on a size after this long (default 120)\n"
	"  -G GOFILE   before each size, wait for GOFILE to exist and remove it\n"
	"  -P PASSFILE after each size, create PASSFILE (-G/-P: take turns with\n"
	"              another sender, e.g. vchan-perf -G PASSFILE -P GOFILE)\n";

static int receive(struct argo_handle *h, size_t cap, unsigned long idle_s)
{
	struct perf_tally t = { 0 };
	struct argo_peer src;
	int failed = 0;
	uint8_t *buf = malloc(cap);

	if (!buf) {
		perror(PROG ": malloc");
		return 1;
	}
	for (;;) {
		struct end_marker end;
		struct perf_reply r;
		uint32_t type;
		ssize_t n;
		int w = argo_wait(h, (int)idle_s * 1000);

		if (w <= 0) {
			if (w < 0)
				argo_perror(PROG, "wait for a message");
			else
				fprintf(stderr, PROG ": no message for %lu s (after %" PRIu64
					" in this run)\n", idle_s, t.msgs);
			return 1;
		}
		n = argo_recv(h, buf, cap, &src, &type);
		if (n < 0) {
			argo_perror(PROG, "receive");
			return 1;
		}
		if (type == TYPE_DATA) {
			perf_tally_add(&t, buf, (size_t)n, 0);
			continue;
		}
		if (type != TYPE_END || (size_t)n != sizeof(end)) {
			fprintf(stderr, PROG ": unexpected message from %u:%u: type %#x, %zd bytes\n",
				src.domain, src.port, type, n);
			return 1;
		}
		memcpy(&end, buf, sizeof(end));
		perf_reply_fill(&r, &t, end.size);
		if (perf_reply_check(PROG " (receiver)", &r, end.size, end.sent))
			failed = 1;
		else
			printf(PROG ": size %u: received %" PRIu64 " messages, %" PRIu64
			       " bytes, in sequence\n", end.size, t.msgs, t.bytes);
		fflush(stdout);
		/* The reply ring is the sender's own and empty: it waits for us. */
		if (argo_send(h, &src, TYPE_REPLY, &r, sizeof(r)) < 0) {
			argo_perror(PROG, "send the reply");
			return 1;
		}
		if (end.last)
			break;
		memset(&t, 0, sizeof(t));
	}
	free(buf);
	return failed;
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
};

static int send_size(void *ctx, uint32_t size, int last)
{
	struct sender *s = ctx;
	struct argo_handle *h = s->h;
	const struct argo_peer *dst = &s->dst;
	unsigned long secs = s->secs, count = s->count;
	struct end_marker end = { .size = size, .last = (uint32_t)last };
	uint8_t *buf = malloc(size);
	uint64_t t0, deadline, seq;
	struct perf_reply r;

	if (!buf) {
		perror(PROG ": malloc");
		return -1;
	}
	memset(buf, 0x5a, size);
	/* Blocking writes wait until Xen says a message of this size fits. */
	if (argo_connect(h, dst, size)) {
		argo_perror(PROG, "connect");
		return -1;
	}
	t0 = now_ns();
	deadline = t0 + (uint64_t)secs * 1000000000u;
	for (seq = 0; perf_more(seq, count, deadline); seq++) {
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
	free(buf);
	if (perf_reply_check(PROG, &r, size, end.sent))
		return 1;
	perf_print(PROG, size, end.sent, t0);
	return 0;
}

int main(int argc, char **argv)
{
	uint32_t sizes[PERF_MAX_SIZES] = { 64, 256, 1024, 4096, 16384, 65536 };
	size_t nsizes = 6;
	unsigned long secs = 0, count = 0, idle_s = 120, size_timeout = 120;
	unsigned long ring = DEFAULT_RING;
	uint16_t partner = ARGO_DOMID_ANY;
	struct argo_peer dst = { 0 };
	uint32_t port = 0, local = 0;
	int server = 0, have_dst = 0, have_port = 0, failed = 0, opt;
	const char *ready = NULL, *go = NULL, *pass = NULL;
	struct argo_handle *h;

	while ((opt = getopt(argc, argv, "sd:p:f:r:w:R:l:S:t:n:T:G:P:h")) != -1) {
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
		failed = receive(h, ring, idle_s);
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
		});
	argo_close(h);
	return failed;
}
