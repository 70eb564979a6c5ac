// SPDX-License-Identifier: MIT
/*
 * argo-recv: bind an Argo port and receive messages. Payloads go to stdout
 * as they are, or with -x one line per message:
 *   from DOMAIN:PORT type TYPE len LEN data HEX
 * -G GOFILE holds the ring unread until GOFILE exists: tests use it to
 * keep a ring full while they arrange senders.
 * -B BATCH takes up to BATCH messages per call (argo_recv_many) instead of
 * one; -T (with -n, output discarded) times the receiving, from the first
 * call until COUNT messages are in, and prints
 *   "recvs N ns T us_each U"
 * (make bench's recv-cost: the counterpart of argo-send -T).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "tool-util.h"

static const char usage[] =
	"usage: argo-recv -p PORT [-f PARTNER|any] [-n COUNT] [-r RINGSIZE]\n"
	"                 [-w SECONDS] [-R READYFILE] [-G GOFILE] [-x] [-B BATCH] [-T]\n";

/* -T: take count messages, batch at a time, and report the time taken. */
static int timed_drain(struct argo_handle *h, uint8_t *buf, size_t cap,
		       unsigned long count, unsigned int batch)
{
	unsigned long got = 0;
	uint64_t t0 = now_ns(), t;

	while (got < count) {
		unsigned int want = count - got < batch ? (unsigned int)(count - got) : batch;
		ssize_t n = batch > 1 ? argo_recv_many(h, buf, cap, want, NULL)
				      : argo_recv(h, buf, cap, NULL, NULL);

		if (n < 0) {
			argo_perror("argo-recv", "receive");
			return 1;
		}
		got += batch > 1 ? (unsigned long)n : 1;
	}
	t = now_ns() - t0;
	printf("recvs %lu ns %llu us_each %.3f\n", got, (unsigned long long)t, (double)t / 1000.0 / (double)got);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long count = 0, got = 0, wait_s = 0, ring = 0;
	uint16_t partner = ARGO_DOMID_ANY;
	const char *ready = NULL, *go = NULL;
	int hex = 0, have_port = 0, timed = 0, opt;
	unsigned int batch = 1;
	struct argo_handle *h;
	struct argo_peer src;
	uint32_t port = 0, type;
	uint8_t *buf;
	size_t cap = 16 << 20;

	while ((opt = getopt(argc, argv, "p:f:n:r:w:R:G:xB:T")) != -1) {
		switch (opt) {
		case 'p': port = parse_num("port", optarg, UINT32_MAX); have_port = 1; break;
		case 'f': partner = parse_domain("partner", optarg); break;
		case 'n': count = parse_num("count", optarg, 1000000000); break;
		case 'r': ring = parse_num("ring size", optarg, 16 << 20); break;
		case 'w': wait_s = parse_num("seconds", optarg, 86400); break;
		case 'R': ready = optarg; break;
		case 'G': go = optarg; break;
		case 'x': hex = 1; break;
		case 'B': batch = (unsigned int)parse_num("batch", optarg, ARGO_BATCH_MAX); break;
		case 'T': timed = 1; break;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (!have_port || optind != argc || !batch || (timed && (!count || hex || wait_s)) ||
	    (batch > 1 && !timed)) {
		fputs(usage, stderr);
		return 2;
	}
	buf = malloc(cap);
	if (!buf)
		return 1;
	h = open_or_die("argo-recv");
	if (argo_bind(h, port, partner, (uint32_t)ring)) {
		argo_perror("argo-recv", "bind");
		return 1;
	}
	if (ready && mark_ready(ready))
		return 1;
	while (go && access(go, F_OK) != 0)
		nanosleep(&(struct timespec){ .tv_nsec = 100 * 1000 * 1000 }, NULL);
	if (timed) {
		int r = timed_drain(h, buf, cap, count, batch);

		argo_close(h);
		free(buf);
		return r;
	}
	while (!count || got < count) {
		ssize_t n;

		if (wait_s) {
			int r = argo_wait(h, (int)wait_s * 1000);

			if (r == 0) {
				fprintf(stderr, "argo-recv: timed out after %lus with %lu of %lu messages\n",
					wait_s, got, count);
				return 1;
			}
		}
		n = argo_recv(h, buf, cap, &src, &type);
		if (n < 0) {
			argo_perror("argo-recv", "receive");
			return 1;
		}
		got++;
		if (hex) {
			printf("from %u:%u type %u len %zd data ", src.domain, src.port,
			       type, n);
			for (ssize_t i = 0; i < n; i++)
				printf("%02x", buf[i]);
			putchar('\n');
		} else {
			fwrite(buf, 1, (size_t)n, stdout);
		}
		fflush(stdout);
	}
	argo_close(h);
	free(buf);
	return 0;
}
