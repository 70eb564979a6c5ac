// SPDX-License-Identifier: MIT
/*
 * argo-send: send messages to an Argo port. The payload is -m TEXT, -x HEX,
 * or standard input split into messages of at most -b bytes.
 * By default a full ring is an error (EAGAIN). -w waits for space instead:
 * the driver asks Xen whether each message fits and sleeps until told.
 * -q only asks: prints "fits 1|0 max MAXLEN" for a message of -l bytes.
 * -I sends through the patch cable of the source port (-s, else port 0)
 * instead of to -d/-p (docs/cables.md).
 * -k keeps going after a failed send of -n COUNT and reports at the end how
 * many failed and the last error: a denied sender looping, for the lab.
 * -T times the -n sends with the monotonic clock and prints
 * "sends N ns T us_each U" (for benchmarks: finer than /proc/uptime).
 * -P PORT,PORT,... sends the -m/-x payload once to each port of -d, in
 * that order, in one argo_send_many: a batch that stops at its first
 * refusal (the lab's firewall uses it to show nothing after a denied
 * entry is sent). A short batch prints how many were sent and why not.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tool-util.h"

static const char usage[] =
	"usage: argo-send {-d DOMAIN -p PORT | -I} [-s SRCPORT] [-t TYPE] [-n COUNT [-k]]\n"
	"                 [-w] [-T] [-m TEXT | -x HEX | -b BYTES (stdin)]\n"
	"       argo-send -d DOMAIN -P PORT,PORT... [-t TYPE] [-w] {-m TEXT | -x HEX}\n"
	"       argo-send -q -d DOMAIN -p PORT -l LEN\n";

/* -P: the payload to each port in one batch; 0, or 1 if it stopped short. */
static int send_batch(struct argo_handle *h, uint16_t domain, const char *ports,
		      uint32_t type, const uint8_t *payload, size_t len)
{
	struct argo_out_msg msgs[64];
	char *list = strdup(ports), *p, *save = NULL;
	unsigned int n = 0;
	ssize_t sent;

	if (!list)
		return 1;
	for (p = strtok_r(list, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		if (n == sizeof(msgs) / sizeof(msgs[0])) {
			fprintf(stderr, "argo-send: -P: at most %zu ports\n",
				sizeof(msgs) / sizeof(msgs[0]));
			free(list);
			return 2;
		}
		msgs[n].dst.domain = domain;
		msgs[n].dst.port = parse_num("port", p, UINT32_MAX);
		msgs[n].type = type;
		msgs[n].buf = payload;
		msgs[n].len = len;
		n++;
	}
	free(list);
	sent = argo_send_many(h, msgs, n);
	if (sent == (ssize_t)n)
		return 0;
	fprintf(stderr, "argo-send: batch to %u: %zd of %u sent, stopped by: %s\n",
		domain, sent < 0 ? 0 : sent, n, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	struct argo_peer dst = { .domain = ARGO_DOMID_ANY };
	uint8_t *payload = NULL;
	size_t len = 0, chunk = 4096;
	unsigned long count = 1, i, failed = 0;
	long src_port = -1;
	uint32_t type = 0;
	int have_dst = 0, have_port = 0, from_stdin = 1, opt, wait = 0, query = 0;
	int implicit = 0, keep_going = 0, last_err = 0, timed = 0;
	uint64_t t0;
	unsigned long qlen = 0;
	struct argo_handle *h;
	char what[64];
	const char *ports = NULL;

	while ((opt = getopt(argc, argv, "d:p:s:t:n:m:x:b:wql:IkTP:")) != -1) {
		switch (opt) {
		case 'd': dst.domain = parse_domain("domain", optarg); have_dst = 1; break;
		case 'p': dst.port = parse_num("port", optarg, UINT32_MAX); have_port = 1; break;
		case 's': src_port = (long)parse_num("source port", optarg, UINT32_MAX); break;
		case 't': type = parse_num("type", optarg, UINT32_MAX); break;
		case 'n': count = parse_num("count", optarg, 1000000000); break;
		case 'm': payload = (uint8_t *)strdup(optarg); len = strlen(optarg); from_stdin = 0; break;
		case 'x': len = parse_hex(optarg, &payload); from_stdin = 0; break;
		case 'b': chunk = parse_num("bytes", optarg, 16 << 20); break;
		case 'w': wait = 1; break;
		case 'q': query = 1; break;
		case 'l': qlen = parse_num("length", optarg, UINT32_MAX); break;
		case 'I': implicit = 1; break;
		case 'k': keep_going = 1; break;
		case 'T': timed = 1; break;
		case 'P': ports = optarg; have_port = 1; break;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (implicit && !have_dst && !have_port && !query) {
		dst.domain = ARGO_DOMID_IMPLICIT;
		dst.port = 0;
		have_dst = have_port = 1;
	} else if (implicit) {
		have_dst = 0;	/* -I with -d, -p or -q: usage */
	}
	if (!have_dst || !have_port || optind != argc || !chunk ||
	    (ports && (implicit || query || from_stdin))) {
		fputs(usage, stderr);
		return 2;
	}
	if (implicit)
		snprintf(what, sizeof(what), "send through the cable of port %ld",
			 src_port < 0 ? 0 : src_port);
	else
		snprintf(what, sizeof(what), "send to %u:%u", dst.domain, dst.port);
	h = open_or_die("argo-send");
	if (query) {
		uint32_t max = 0;
		int r = argo_space(h, &dst, (uint32_t)qlen, &max);

		if (r < 0) {
			argo_perror("argo-send", what);
			return 1;
		}
		printf("fits %d max %u\n", r, max);
		return 0;
	}
	if (!wait && fcntl(argo_fd(h), F_SETFL, O_NONBLOCK)) {
		perror("argo-send: fcntl");
		return 1;
	}
	/* The source port is the bound port: bind only when asked for one. */
	if (src_port >= 0 && argo_bind(h, (uint32_t)src_port, ARGO_DOMID_ANY, 0)) {
		argo_perror("argo-send", "bind source port");
		return 1;
	}
	if (ports)
		return send_batch(h, dst.domain, ports, type, payload, len);
	if (from_stdin) {
		ssize_t n;

		payload = malloc(chunk);
		if (!payload)
			return 1;
		while ((n = read(0, payload, chunk)) > 0) {
			if (argo_send(h, &dst, type, payload, (size_t)n) < 0) {
				argo_perror("argo-send", what);
				return 1;
			}
		}
		if (n < 0) {
			perror("argo-send: read stdin");
			return 1;
		}
	} else {
		t0 = now_ns();
		for (i = 0; i < count; i++) {
			if (argo_send(h, &dst, type, payload, len) >= 0)
				continue;
			if (!keep_going) {
				argo_perror("argo-send", what);
				return 1;
			}
			failed++;
			last_err = errno;
		}
		if (failed) {
			char summary[160];

			snprintf(summary, sizeof(summary), "%lu of %lu, %s, failed; the last",
				 failed, count, what);
			errno = last_err;
			argo_perror("argo-send", summary);
			return 1;
		}
		t0 = now_ns() - t0;
		if (timed)
			printf("sends %lu ns %llu us_each %.3f\n", count,
			       (unsigned long long)t0, (double)t0 / 1000.0 / (double)count);
	}
	free(payload);
	argo_close(h);
	return 0;
}
