// SPDX-License-Identifier: MIT
/* Shared by argo-perf and vchan-perf: see perf-util.h. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "perf-util.h"
#include "tool-util.h"

static uint8_t check_byte(uint64_t seq)
{
	return (uint8_t)((seq * 0x9Du) ^ 0xA5u);
}

size_t perf_parse_sizes(const char *prog, const char *opt, const char *s,
			uint32_t *sizes)
{
	const char *p = s;
	size_t n = 0;

	for (;;) {
		char *end;
		unsigned long v;

		errno = 0;
		v = strtoul(p, &end, 10);
		if (errno || end == p || *p == '-' || *p == '+' ||
		    (*end && *end != ',') || v < PERF_MIN_SIZE || v > PERF_MAX_SIZE) {
			size_t len = strcspn(p, ",");

			fprintf(stderr, "%s: invalid size '%.*s' in %s '%s': expected "
				"comma-separated numbers from %u to %u\n", prog,
				(int)len, p, opt, s, PERF_MIN_SIZE, PERF_MAX_SIZE);
			exit(2);
		}
		if (n == PERF_MAX_SIZES) {
			fprintf(stderr, "%s: too many sizes in %s '%s' (at most %d)\n",
				prog, opt, s, PERF_MAX_SIZES);
			exit(2);
		}
		sizes[n++] = (uint32_t)v;
		if (!*end)
			return n;
		p = end + 1;
	}
}

int perf_more(uint64_t seq, unsigned long count, uint64_t deadline)
{
	if (count)
		return seq < count;
	if (seq % 32)
		return 1;
	return seq == 0 || now_ns() < deadline;
}

void perf_stamp(uint8_t *buf, size_t size, uint64_t seq)
{
	memcpy(buf, &seq, sizeof(seq));
	buf[size - 1] = check_byte(seq);
}

void perf_tally_add(struct perf_tally *t, const uint8_t *buf, size_t len,
		    size_t size)
{
	uint64_t seq = UINT64_MAX;

	if (len >= sizeof(seq))
		memcpy(&seq, buf, sizeof(seq));
	if ((size && len != size) || len < PERF_MIN_SIZE || seq != t->msgs ||
	    buf[len - 1] != check_byte(seq)) {
		if (!t->bad)
			t->first_bad = t->msgs;
		t->bad++;
	}
	t->msgs++;
	t->bytes += len;
}

void perf_reply_fill(struct perf_reply *r, const struct perf_tally *t,
		     uint32_t size)
{
	memset(r, 0, sizeof(*r));
	r->magic = PERF_REPLY_MAGIC;
	r->size = size;
	r->msgs = t->msgs;
	r->bytes = t->bytes;
	r->bad = t->bad;
	r->first_bad = t->first_bad;
}

int perf_reply_check(const char *prog, const struct perf_reply *r,
		     uint32_t size, uint64_t sent)
{
	if (r->magic != PERF_REPLY_MAGIC || r->size != size) {
		fprintf(stderr, "%s: size %u: malformed reply (magic %#x, size %u)\n",
			prog, size, r->magic, r->size);
		return -1;
	}
	if (r->msgs != sent || r->bytes != sent * size) {
		fprintf(stderr, "%s: size %u: sent %" PRIu64 " messages (%" PRIu64
			" bytes), the receiver got %" PRIu64 " (%" PRIu64 " bytes)\n",
			prog, size, sent, sent * size, r->msgs, r->bytes);
		return -1;
	}
	if (r->bad) {
		fprintf(stderr, "%s: size %u: %" PRIu64 " of %" PRIu64
			" messages failed the receiver's content check, the first"
			" at index %" PRIu64 "\n", prog, size, r->bad, r->msgs,
			r->first_bad);
		return -1;
	}
	return 0;
}

void perf_print(const char *prog, uint32_t size, uint64_t msgs, uint64_t ns)
{
	double secs = ns / 1e9;

	printf("%s size %u msgs %" PRIu64 " bytes %" PRIu64 " secs %.3f "
	       "msgs_per_s %.0f MiB_per_s %.2f\n", prog, size, msgs, msgs * size,
	       secs, msgs / secs, msgs * (double)size / secs / (1 << 20));
	fflush(stdout);
}

static char watchdog_msg[512];

static void watchdog_fire(int sig)
{
	ssize_t r = write(2, watchdog_msg, strlen(watchdog_msg));

	(void)sig;
	(void)r;
	_exit(1);
}

void perf_watchdog(const char *prog, unsigned long seconds, const char *what)
{
	if (!seconds)
		return;
	snprintf(watchdog_msg, sizeof(watchdog_msg),
		 "%s: timed out after %lu s (%s)\n", prog, seconds, what);
	signal(SIGALRM, watchdog_fire);
	alarm((unsigned int)seconds);
}

static void turn_take(const char *prog, const char *file)
{
	const struct timespec poll_interval = { .tv_nsec = 20 * 1000 * 1000 };

	while (access(file, F_OK)) {
		if (errno != ENOENT) {
			fprintf(stderr, "%s: turn file %s: %s\n", prog, file, strerror(errno));
			exit(1);
		}
		nanosleep(&poll_interval, NULL);
	}
	if (unlink(file)) {
		fprintf(stderr, "%s: remove turn file %s: %s\n", prog, file, strerror(errno));
		exit(1);
	}
}

static int turn_pass(const char *prog, const char *file)
{
	FILE *f = fopen(file, "w");

	if (!f || fclose(f)) {
		fprintf(stderr, "%s: create turn file %s: %s\n", prog, file, strerror(errno));
		return -1;
	}
	return 0;
}

int perf_send_all(const struct perf_run *run,
		  int (*send_size)(void *ctx, uint32_t size, int last), void *ctx)
{
	int failed = 0;
	size_t i;

	for (i = 0; i < run->nsizes; i++) {
		char what[200];
		int r;

		if (run->go) {
			snprintf(what, sizeof(what), "waiting for the turn file %s", run->go);
			perf_watchdog(run->prog, run->size_timeout, what);
			turn_take(run->prog, run->go);
		}
		snprintf(what, sizeof(what), "size %u: sending, or waiting for the reply",
			 run->sizes[i]);
		perf_watchdog(run->prog, run->size_timeout, what);
		r = send_size(ctx, run->sizes[i], i + 1 == run->nsizes);
		alarm(0);
		/* Even after an error: the other sender need not wait for us. */
		if (run->pass && turn_pass(run->prog, run->pass))
			return 1;
		if (r < 0)
			return 1;
		failed |= r;
	}
	return failed;
}

void perf_proc_snap(struct perf_proc *p)
{
	struct rusage ru;

	memset(p, 0, sizeof(*p));
	if (getrusage(RUSAGE_SELF, &ru))
		return;
	p->nvcsw = (uint64_t)ru.ru_nvcsw;
	p->nivcsw = (uint64_t)ru.ru_nivcsw;
	p->cpu_ns = ((uint64_t)ru.ru_utime.tv_sec + (uint64_t)ru.ru_stime.tv_sec) * 1000000000u +
		    ((uint64_t)ru.ru_utime.tv_usec + (uint64_t)ru.ru_stime.tv_usec) * 1000u;
}

void perf_cost_print(const char *prog, const char *side, uint32_t size,
		     uint64_t msgs, const struct perf_proc *a,
		     const struct perf_proc *b, const char *extra)
{
	double n = msgs ? (double)msgs : 1.0;

	printf("%s cost side %s size %u msgs %" PRIu64 " vcsw %.4f ivcsw %.4f cpu_us %.3f%s%s\n",
	       prog, side, size, msgs, (double)(b->nvcsw - a->nvcsw) / n,
	       (double)(b->nivcsw - a->nivcsw) / n,
	       (double)(b->cpu_ns - a->cpu_ns) / 1000.0 / n, *extra ? " " : "", extra);
	fflush(stdout);
}
