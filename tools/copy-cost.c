// SPDX-License-Identifier: MIT
/*
 * copy-cost: what a copy costs on this CPU, by the instruction that does
 * it. Xen and Linux copy between guest and hypervisor or user and kernel
 * with `rep movs`, while libxenvchan's copies are the C library's memcpy
 * (SIMD loads and stores); under QEMU's TCG the two can differ by far
 * more than on hardware, where `rep movsb` is as fast as memcpy. make
 * bench prints the ratio beside argo/vchan, which copies through both.
 *
 * usage: copy-cost [-S SIZES] [-t SECONDS]
 *	prints "copy-cost size S memcpy_ns A rep_movsq_ns B rep_movsb_ns C"
 *	per size: nanoseconds per copy, each the best of 5 runs of -t/5 s.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_SIZE (1u << 20)

typedef void (*copy_fn)(void *dst, const void *src, size_t n);

static void copy_memcpy(void *dst, const void *src, size_t n)
{
	memcpy(dst, src, n);
	/* Keep the copy: the compiler may not drop a memcpy it sees unused. */
	__asm__ volatile("" : : "r"(dst) : "memory");
}

/* Linux's copy_user_generic_string and Xen's guest copies: quadwords, then bytes. */
static void copy_movsq(void *dst, const void *src, size_t n)
{
	size_t q = n / 8, b = n % 8;

	__asm__ volatile("rep movsq\n\tmov %3, %%rcx\n\trep movsb"
			 : "+D"(dst), "+S"(src), "+c"(q)
			 : "r"(b)
			 : "memory");
}

static void copy_movsb(void *dst, const void *src, size_t n)
{
	__asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Nanoseconds per copy: the best of 5 runs of @secs / 5 each. */
static double cost(copy_fn fn, uint8_t *dst, const uint8_t *src, size_t n,
		   double secs)
{
	double best = 0;

	for (int r = 0; r < 5; r++) {
		double t0 = now(), t;
		unsigned long k = 0;

		do {
			for (int i = 0; i < 64; i++)
				fn(dst, src, n);
			k += 64;
			t = now();
		} while (t - t0 < secs / 5);
		if (!best || (t - t0) / k < best)
			best = (t - t0) / k;
	}
	return best * 1e9;
}

int main(int argc, char **argv)
{
	const char *sizes = "256,65536";
	double secs = 1.0;
	uint8_t *src, *dst;
	char *list, *tok;
	int c;

	while ((c = getopt(argc, argv, "S:t:")) != -1) {
		switch (c) {
		case 'S':
			sizes = optarg;
			break;
		case 't':
			secs = strtod(optarg, NULL);
			break;
		default:
			fprintf(stderr, "usage: copy-cost [-S SIZES] [-t SECONDS]\n");
			return 2;
		}
	}
	if (!(secs > 0 && secs <= 60)) {
		fprintf(stderr, "copy-cost: -t: 0 < SECONDS <= 60\n");
		return 2;
	}
	src = aligned_alloc(4096, MAX_SIZE);
	dst = aligned_alloc(4096, MAX_SIZE);
	list = strdup(sizes);
	if (!src || !dst || !list) {
		fprintf(stderr, "copy-cost: out of memory\n");
		return 1;
	}
	memset(src, 0x5a, MAX_SIZE);
	memset(dst, 0, MAX_SIZE);
	for (tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
		char *end;
		unsigned long n = strtoul(tok, &end, 10);

		if (*end || !n || n > MAX_SIZE) {
			fprintf(stderr, "copy-cost: -S: '%s' is not a size of 1..%u bytes\n",
				tok, MAX_SIZE);
			return 2;
		}
		printf("copy-cost size %lu memcpy_ns %.1f rep_movsq_ns %.1f rep_movsb_ns %.1f\n", n,
		       cost(copy_memcpy, dst, src, n, secs), cost(copy_movsq, dst, src, n, secs),
		       cost(copy_movsb, dst, src, n, secs));
		if (memcmp(dst, src, n)) {
			fprintf(stderr, "copy-cost: size %lu: the copy is wrong\n", n);
			return 1;
		}
	}
	free(list);
	free(src);
	free(dst);
	return 0;
}
