/* SPDX-License-Identifier: MIT */
/* Minimal TAP 13 output for host unit tests: plan at the end, "expected X,
 * got Y" on every failure, exit 1 if anything failed. */
#ifndef TEST_TAP_H
#define TEST_TAP_H

#include <stdint.h>
#include <stdio.h>

/*
 * rnd(n): 0..n-1 from a fixed-seed xorshift, so every run of a test
 * draws the same "random" cases and a failure reproduces.
 */
static uint64_t rng = 0x9e3779b97f4a7c15ull;

static inline uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? (uint32_t)(rng % n) : 0;
}

static int tap_n, tap_failed;

#define TAP_CHECK(name, cond, fmt, ...) do {				\
	tap_n++;							\
	if (cond) {							\
		printf("ok %d - %s\n", tap_n, name);			\
	} else {							\
		tap_failed++;						\
		printf("not ok %d - %s\n# " fmt "\n", tap_n, name,	\
		       __VA_ARGS__);					\
	}								\
} while (0)

#define TAP_EQ(name, expected, got) do {				\
	long long e_ = (long long)(expected), g_ = (long long)(got);	\
	TAP_CHECK(name, e_ == g_, "expected %lld, got %lld", e_, g_);	\
} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
