// SPDX-License-Identifier: MIT
/*
 * vchan-perf: argo-perf's transfer over libxenvchan, the grant-table
 * shared-memory channel Xen ships, for comparison.
 *   vchan-perf -s -d PEER [-x XSPATH] [-r RINGSIZE] [-w SECONDS] [-R READYFILE]
 *   vchan-perf -d SERVER [-x XSPATH] [-S SIZES] (-t SECONDS | -n COUNT) [-T SECONDS]
 *              [-G GOFILE] [-P PASSFILE] [-R READYFILE]
 * The server (-s, the receiver) shares the rings and publishes them at
 * XSPATH, by default /local/domain/<its domid>/data/vchan-perf, readable
 * by PEER; the client (the sender) connects to the server's domain and
 * finds them at the same path (by default built from SERVER).
 *
 * A vchan is a byte stream, so each run of one size starts with a header
 * naming the size; then every message is a blocking write of that many
 * bytes, stamped as argo-perf stamps them, and the run ends with one more
 * message whose sequence field is PERF_END_SEQ followed by the count. The
 * server answers with its tally on the return ring; a header of size 0
 * ends the session. -G/-P as for argo-perf. The sender prints
 *   vchan-perf size S msgs N bytes B secs T msgs_per_s X MiB_per_s Y
 * Exit status: 0 when every size checked out, 1 otherwise, 2 for bad usage.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxenvchan.h>
#include <xenstore.h>

#include "perf-util.h"
#include "tool-util.h"

#define PROG		"vchan-perf"
#define HDR_MAGIC	0x56504844u	/* "VPHD" */
#define DEFAULT_RING	(1u << 20)	/* libxenvchan's largest */
#define REPLY_RING	1024		/* fits in the shared page */

/* Starts each run; size 0 ends the session. */
struct run_header {
	uint32_t magic;
	uint32_t size;
};

static const char usage[] =
	"usage: vchan-perf -s -d PEER [-x XSPATH] [-r RINGSIZE] [-w SECONDS] [-R READYFILE]\n"
	"       vchan-perf -d SERVER [-x XSPATH] [-S SIZES] (-t SECONDS | -n COUNT) [-T SECONDS]\n"
	"                  [-G GOFILE] [-P PASSFILE] [-R READYFILE]\n"
	"  -s          serve (receive, count, check, reply to each end marker)\n"
	"  -R FILE     create FILE once set up (server: shared; client: connected)\n"
	"  -x XSPATH   xenstore directory of the channel\n"
	"              (default /local/domain/<server's domid>/data/vchan-perf)\n"
	"  -r RINGSIZE server's receive ring bytes, a power of 2 up to 1 MiB (default 1 MiB)\n"
	"  -w SECONDS  server: give up after this long in all (default 300)\n"
	"  -S SIZES    comma-separated message sizes (default 64,256,1024,4096,16384,65536)\n"
	"  -t SECONDS  send each size for this long, or -n COUNT messages of each size\n"
	"  -T SECONDS  client: give up on a size after this long (default 120)\n"
	"  -G GOFILE   before each size, wait for GOFILE to exist and remove it\n"
	"  -P PASSFILE after each size, create PASSFILE (-G/-P: take turns with\n"
	"              another sender, e.g. argo-perf -G PASSFILE -P GOFILE)\n";

static int own_domid(void)
{
	struct xs_handle *xs = xs_open(0);
	unsigned int len;
	char *s;
	int id = -1;

	if (!xs) {
		perror(PROG ": open xenstore (is /dev/xen/xenbus there?)");
		return -1;
	}
	s = xs_read(xs, XBT_NULL, "domid", &len);
	if (s)
		id = atoi(s);
	else
		perror(PROG ": read domid from xenstore");
	free(s);
	xs_close(xs);
	return id;
}

/* Exactly len bytes, blocking. */
static int get(struct libxenvchan *v, void *buf, size_t len, const char *what)
{
	if (libxenvchan_recv(v, buf, len) != (int)len) {
		fprintf(stderr, PROG ": %s: the channel closed or failed (%s)\n",
			what, strerror(errno));
		return -1;
	}
	return 0;
}

static int put(struct libxenvchan *v, const void *buf, size_t len, const char *what)
{
	if (libxenvchan_write(v, buf, len) != (int)len) {
		fprintf(stderr, PROG ": %s: the channel closed or failed (%s)\n",
			what, strerror(errno));
		return -1;
	}
	return 0;
}

static int serve(struct libxenvchan *v)
{
	uint8_t *buf = malloc(PERF_MAX_SIZE);
	int failed = 0;

	if (!buf) {
		perror(PROG ": malloc");
		return 1;
	}
	for (;;) {
		struct perf_tally t = { 0 };
		struct run_header hdr;
		struct perf_reply r;
		struct perf_proc p0, p1;
		uint64_t sent;

		if (get(v, &hdr, sizeof(hdr), "read a run header"))
			return 1;
		if (hdr.magic != HDR_MAGIC || hdr.size > PERF_MAX_SIZE ||
		    (hdr.size && hdr.size < PERF_MIN_SIZE)) {
			fprintf(stderr, PROG ": bad run header (magic %#x, size %u)\n",
				hdr.magic, hdr.size);
			return 1;
		}
		if (!hdr.size)
			break;
		perf_proc_snap(&p0);
		for (;;) {
			uint64_t seq;

			if (get(v, buf, hdr.size, "read a message"))
				return 1;
			memcpy(&seq, buf, sizeof(seq));
			if (seq == PERF_END_SEQ)
				break;
			perf_tally_add(&t, buf, hdr.size, hdr.size);
		}
		perf_proc_snap(&p1);
		memcpy(&sent, buf + 8, sizeof(sent));
		/* libxenvchan has no counters: what getrusage sees. */
		perf_cost_print(PROG, "rx", hdr.size, t.msgs, &p0, &p1, "");
		perf_reply_fill(&r, &t, hdr.size);
		if (perf_reply_check(PROG " (server)", &r, hdr.size, sent))
			failed = 1;
		else
			printf(PROG ": size %u: received %" PRIu64 " messages, %" PRIu64
			       " bytes, in sequence\n", hdr.size, t.msgs, t.bytes);
		fflush(stdout);
		if (put(v, &r, sizeof(r), "send the reply"))
			return 1;
	}
	free(buf);
	return failed;
}

struct sender {
	struct libxenvchan *v;
	unsigned long secs, count;
};

static int send_size(void *ctx, uint32_t size, int last)
{
	struct sender *s = ctx;
	struct libxenvchan *v = s->v;
	unsigned long secs = s->secs, count = s->count;
	struct run_header hdr = { .magic = HDR_MAGIC, .size = size };
	uint8_t *buf = malloc(size);
	uint64_t t0, deadline, seq, end_seq = PERF_END_SEQ;
	struct perf_proc p0, p1;
	struct perf_reply r;

	if (!buf) {
		perror(PROG ": malloc");
		return -1;
	}
	memset(buf, 0x5a, size);
	perf_proc_snap(&p0);
	t0 = now_ns();
	deadline = t0 + (uint64_t)secs * 1000000000u;
	if (put(v, &hdr, sizeof(hdr), "send the run header"))
		return -1;
	for (seq = 0; perf_more(seq, count, deadline); seq++) {
		perf_stamp(buf, size, seq);
		if (put(v, buf, size, "send a message"))
			return -1;
	}
	memcpy(buf, &end_seq, sizeof(end_seq));
	memcpy(buf + 8, &seq, sizeof(seq));
	if (put(v, buf, size, "send the end marker") ||
	    get(v, &r, sizeof(r), "read the reply"))
		return -1;
	t0 = now_ns() - t0;
	perf_proc_snap(&p1);
	free(buf);
	/* The server reads this before it notices that we closed. */
	if (last && put(v, &(struct run_header){ .magic = HDR_MAGIC },
			sizeof(struct run_header), "send the closing header"))
		return -1;
	if (perf_reply_check(PROG, &r, size, seq))
		return 1;
	perf_print(PROG, size, seq, t0);
	perf_cost_print(PROG, "tx", size, seq, &p0, &p1, "");
	return 0;
}

int main(int argc, char **argv)
{
	uint32_t sizes[PERF_MAX_SIZES] = { 64, 256, 1024, 4096, 16384, 65536 };
	size_t nsizes = 6;
	unsigned long secs = 0, count = 0, total_s = 300, size_timeout = 120;
	unsigned long ring = DEFAULT_RING;
	int server = 0, have_peer = 0, failed = 0, opt, peer = 0;
	const char *ready = NULL, *xspath = NULL, *go = NULL, *pass = NULL;
	struct libxenvchan *v;
	char path[128];

	while ((opt = getopt(argc, argv, "sd:x:r:w:R:S:t:n:T:G:P:h")) != -1) {
		switch (opt) {
		case 's': server = 1; break;
		case 'd': peer = parse_domain("domain (-d)", optarg); have_peer = 1; break;
		case 'x': xspath = optarg; break;
		case 'r': ring = parse_num("ring size (-r)", optarg, DEFAULT_RING); break;
		case 'w': total_s = parse_num("seconds (-w)", optarg, 86400); break;
		case 'R': ready = optarg; break;
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
	if (!have_peer || peer == ARGO_DOMID_ANY) {
		fprintf(stderr, PROG ": give -d with the peer's domain id\n%s", usage);
		return 2;
	}
	if (server && (ring < 1024 || (ring & (ring - 1)))) {
		fprintf(stderr, PROG ": invalid ring size (-r) %lu: a power of 2 from 1024 to %u\n",
			ring, DEFAULT_RING);
		return 2;
	}
	if (!server && !secs == !count) {
		fprintf(stderr, PROG ": give exactly one of -t SECONDS and -n COUNT (not 0)\n");
		return 2;
	}
	if (!xspath) {
		int dom = server ? own_domid() : peer;

		if (dom < 0)
			return 1;
		snprintf(path, sizeof(path), "/local/domain/%d/data/vchan-perf", dom);
		xspath = path;
	}
	if (server) {
		perf_watchdog(PROG, total_s, "serving");
		/* The client writes into our read ring ("left"); replies are small. */
		v = libxenvchan_server_init(NULL, peer, xspath, ring, REPLY_RING);
		if (!v) {
			fprintf(stderr, PROG ": cannot set up a vchan for domain %d at %s: %s"
				" (xen-gntalloc and xen-evtchn loaded?)\n", peer, xspath,
				strerror(errno));
			return 1;
		}
		v->blocking = 1;
		if (ready && mark_ready(ready))
			return 1;
		failed = serve(v);
		libxenvchan_close(v);
		return failed;
	}
	perf_watchdog(PROG, size_timeout, "connecting");
	v = libxenvchan_client_init(NULL, peer, xspath);
	if (!v) {
		fprintf(stderr, PROG ": cannot connect to the vchan of domain %d at %s: %s"
			" (server up? xen-gntdev and xen-evtchn loaded?)\n", peer, xspath,
			strerror(errno));
		return 1;
	}
	v->blocking = 1;
	alarm(0);
	if (ready && mark_ready(ready))
		return 1;
	failed = perf_send_all(&(struct perf_run){
			.prog = PROG, .sizes = sizes, .nsizes = nsizes,
			.size_timeout = size_timeout, .go = go, .pass = pass,
		}, send_size, &(struct sender){ .v = v, .secs = secs, .count = count });
	libxenvchan_close(v);
	return failed;
}
