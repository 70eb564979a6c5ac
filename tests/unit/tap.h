/* SPDX-License-Identifier: MIT */
/* Minimal TAP 13 output for host unit tests: plan at the end, "expected X,
 * got Y" on every failure, exit 1 if anything failed. */
#ifndef TEST_TAP_H
#define TEST_TAP_H

#include <stdio.h>

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
