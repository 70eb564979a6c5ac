// SPDX-License-Identifier: MIT
/*
 * argo-ping: round-trip latency over Argo.
 *   argo-ping -s -p PORT [-c COUNT] [-R READYFILE]   echo server (any sender)
 *   argo-ping -d DOMAIN -p PORT [-c COUNT] [-S SIZE] [-l LOCALPORT]
 * The client prints each round trip and a summary line:
 *   rtt min/median/max = A/B/C us (N pings)
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tool-util.h"

#define PING_TYPE 0x50494e47u	/* "PING" */

static const char usage[] =
	"usage: argo-ping -s -p PORT [-c COUNT] [-R READYFILE]\n"
	"       argo-ping -d DOMAIN -p PORT [-c COUNT] [-S SIZE] [-l LOCALPORT] [-q]\n";

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int serve(struct argo_handle *h, unsigned long count)
{
	static uint8_t buf[1 << 16];
	struct argo_peer src;
	unsigned long i;
	uint32_t type;

	for (i = 0; !count || i < count; i++) {
		ssize_t n = argo_recv(h, buf, sizeof(buf), &src, &type);

		if (n < 0) {
			argo_perror("argo-ping", "receive");
			return 1;
		}
		if (argo_send(h, &src, type, buf, (size_t)n) < 0) {
			argo_perror("argo-ping", "echo");
			return 1;
		}
	}
	return 0;
}

static int ping(struct argo_handle *h, const struct argo_peer *dst,
		unsigned long count, size_t size, int quiet)
{
	uint64_t *rtt = calloc(count, sizeof(*rtt));
	uint8_t *out = calloc(1, size + 1), *in = calloc(1, size + 1);
	struct argo_peer src;
	unsigned long i;
	uint32_t type;

	if (!rtt || !out || !in)
		return 1;
	for (i = 0; i < count; i++) {
		uint64_t t0;
		ssize_t n;
		int r;

		memset(out, (int)(i & 0xff), size);
		t0 = now_ns();
		if (argo_send(h, dst, PING_TYPE, out, size) < 0) {
			argo_perror("argo-ping", "send");
			return 1;
		}
		r = argo_wait(h, 5000);
		if (r <= 0) {
			fprintf(stderr, "argo-ping: no reply to ping %lu within 5s\n", i);
			return 1;
		}
		n = argo_recv(h, in, size + 1, &src, &type);
		rtt[i] = now_ns() - t0;
		if (n < 0) {
			argo_perror("argo-ping", "receive");
			return 1;
		}
		if ((size_t)n != size || memcmp(in, out, size) || type != PING_TYPE ||
		    src.domain != dst->domain) {
			fprintf(stderr, "argo-ping: reply %lu differs: expected %zu bytes type %#x from %u, got %zd bytes type %#x from %u\n",
				i, size, PING_TYPE, dst->domain, n, type, src.domain);
			return 1;
		}
		if (!quiet)
			printf("%zu bytes from %u:%u seq %lu rtt %.1f us\n", size,
			       src.domain, src.port, i, rtt[i] / 1000.0);
	}
	qsort(rtt, count, sizeof(*rtt), cmp_u64);
	printf("rtt min/median/max = %.1f/%.1f/%.1f us (%lu pings)\n",
	       rtt[0] / 1000.0, rtt[count / 2] / 1000.0, rtt[count - 1] / 1000.0,
	       count);
	free(rtt);
	free(out);
	free(in);
	return 0;
}

int main(int argc, char **argv)
{
	struct argo_peer dst = { 0 };
	unsigned long count = 10, size = 64;
	uint32_t port = 0, local = 0;
	int server = 0, have_dst = 0, have_port = 0, quiet = 0, opt;
	const char *ready = NULL;
	struct argo_handle *h;

	while ((opt = getopt(argc, argv, "sd:p:c:S:l:qR:")) != -1) {
		switch (opt) {
		case 's': server = 1; break;
		case 'd': dst.domain = parse_domain("domain", optarg); have_dst = 1; break;
		case 'p': port = parse_num("port", optarg, UINT32_MAX); have_port = 1; break;
		case 'c': count = parse_num("count", optarg, 10000000); break;
		case 'S': size = parse_num("size", optarg, 65536); break;
		case 'l': local = parse_num("local port", optarg, UINT32_MAX); break;
		case 'q': quiet = 1; break;
		case 'R': ready = optarg; break;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (!have_port || optind != argc || server == have_dst || (!server && !count)) {
		fputs(usage, stderr);
		return 2;
	}
	h = open_or_die("argo-ping");
	if (server) {
		if (argo_bind(h, port, ARGO_DOMID_ANY, 0)) {
			argo_perror("argo-ping", "bind");
			return 1;
		}
		if (ready && mark_ready(ready))
			return 1;
		return serve(h, count);
	}
	dst.port = port;
	/* Replies come back to our bound port; default to port + 1. */
	if (argo_bind(h, local ? local : port + 1, dst.domain, 0)) {
		argo_perror("argo-ping", "bind reply port");
		return 1;
	}
	return ping(h, &dst, count, size, quiet);
}
