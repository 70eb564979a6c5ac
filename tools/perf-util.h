/* SPDX-License-Identifier: MIT */
/*
 * What argo-perf and vchan-perf share: the size list, the payload stamp
 * and its check, the receiver's tally and reply, and the result line.
 *
 * Every data message carries its sequence number (from 0 in each run of
 * one size) in its first 8 bytes and a check byte derived from it in its
 * last byte, so the receiver notices lost, repeated, reordered, cut or
 * overwritten messages without reading every byte. Both ends run on the
 * same architecture: the wire structures are in host byte order.
 */
#ifndef ARGO_PERF_UTIL_H
#define ARGO_PERF_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define PERF_MIN_SIZE	16u		/* sequence number + end count */
#define PERF_MAX_SIZE	(1u << 20)
#define PERF_MAX_SIZES	32
#define PERF_END_SEQ	UINT64_MAX	/* vchan-perf: "this message ends the run" */
#define PERF_REPLY_MAGIC 0x50524550u	/* "PERP" */

/* The receiver's answer to an end marker. */
struct perf_reply {
	uint32_t magic;		/* PERF_REPLY_MAGIC */
	uint32_t size;		/* the size the sender announced */
	uint64_t msgs;		/* data messages received in this run */
	uint64_t bytes;		/* their payload bytes */
	uint64_t bad;		/* messages that failed the content check */
	uint64_t first_bad;	/* index of the first of those */
};

/* What a receiver counts during one run of one size. */
struct perf_tally {
	uint64_t msgs, bytes, bad, first_bad;
};

/* Parse "64,256,..." into sizes[] (at most PERF_MAX_SIZES); exits with a
 * message naming the option and the bad value. Returns the count. */
size_t perf_parse_sizes(const char *prog, const char *opt, const char *s,
			uint32_t *sizes);
/* Should the sender send message seq (from 0)? With count, the first
 * count; else until deadline (now_ns() time), looking at the clock only
 * every few messages: in a PV guest without a stable TSC clock_gettime is
 * a system call through Xen, which would weigh on cheap messages. */
int perf_more(uint64_t seq, unsigned long count, uint64_t deadline);
/* Stamp message seq into a size-byte buffer (size >= PERF_MIN_SIZE). */
void perf_stamp(uint8_t *buf, size_t size, uint64_t seq);
/* Count one received message of len bytes, expected to be size bytes
 * (0: any) and the next in sequence. */
void perf_tally_add(struct perf_tally *t, const uint8_t *buf, size_t len,
		    size_t size);
/* Fill a reply from a tally. */
void perf_reply_fill(struct perf_reply *r, const struct perf_tally *t,
		     uint32_t size);
/* Compare a reply with what was sent: 0 when it matches, else -1 after
 * printing what differs. */
int perf_reply_check(const char *prog, const struct perf_reply *r,
		     uint32_t size, uint64_t sent);
/* Print the result line "PROG size S msgs N bytes B secs T msgs_per_s X
 * MiB_per_s Y". */
void perf_print(const char *prog, uint32_t size, uint64_t msgs, uint64_t ns);
/* Exit with "PROG: timed out after N s (WHAT)" if still running after
 * seconds (0: never). */
void perf_watchdog(const char *prog, unsigned long seconds, const char *what);

/* This process's cost so far (getrusage): context switches and CPU time. */
struct perf_proc {
	uint64_t nvcsw, nivcsw;	/* voluntary (slept), involuntary */
	uint64_t cpu_ns;	/* user + system */
};
void perf_proc_snap(struct perf_proc *p);
/* Print "PROG cost side SIDE size S msgs N vcsw X ivcsw Y cpu_us Z" (per
 * message, between two snapshots) and then extra, which is appended as
 * is (more "name value" pairs, or ""). */
void perf_cost_print(const char *prog, const char *side, uint32_t size,
		     uint64_t msgs, const struct perf_proc *a,
		     const struct perf_proc *b, const char *extra);

/* The sender's loop over its sizes. */
struct perf_run {
	const char *prog;
	const uint32_t *sizes;
	size_t nsizes;
	unsigned long size_timeout;	/* seconds for one size (watchdog) */
	/*
	 * Taking turns with another sender (-G/-P), so that two transports
	 * are measured alternately: before each size wait for go to exist
	 * and remove it; after it create pass. Either may be NULL.
	 */
	const char *go, *pass;
};
/* Call send_size(ctx, size, last) for each size: it returns 0 when the
 * size checked out, 1 when it did not, -1 on an error that ends the run.
 * Returns 0 when every size checked out, else 1. */
int perf_send_all(const struct perf_run *run,
		  int (*send_size)(void *ctx, uint32_t size, int last), void *ctx);

#endif
