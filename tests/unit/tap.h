/* SPDX-License-Identifier: MIT */
/* Minimal TAP 13 output for host unit tests and the lab's test programs:
 * the plan declared first (tap_plan) or printed at the end, "expected X,
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

static int tap_n, tap_failed, tap_planned = -1;

/*
 * tap_plan(n): declare the number of cases before the first, as the lab
 * runner requires (docs/lab.md): cases that vanish then leave the count
 * short of the plan. Host tests may leave it out: tap_done() then prints
 * the count it saw, which prove accepts.
 */
static inline void tap_plan(int n)
{
	tap_planned = n;
	printf("1..%d\n", n);
	fflush(stdout);
}

/* tap_not_run(name, why): a case that could not run is a failure. */
static inline void tap_not_run(const char *name, const char *why)
{
	tap_n++;
	tap_failed++;
	printf("not ok %d - %s\n# %s: not run: %s\n", tap_n, name, name, why);
}

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
	if (tap_planned < 0) {
		printf("1..%d\n", tap_n);
	} else if (tap_planned != tap_n) {
		printf("# declared %d cases, ran %d\n", tap_planned, tap_n);
		return 1;
	}
	return tap_failed ? 1 : 0;
}

#endif
