/* SPDX-License-Identifier: MIT */
/*
 * Helpers for libFuzzer targets: read typed values from the input (zeros
 * once it runs out, so every input is a valid program), and assert
 * properties with a message that says what was expected. A failed
 * FUZZ_ASSERT aborts, which libFuzzer reports as a crash and saves the
 * input, like an ASan or UBSan finding.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(cond, fmt, ...) do {				\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: property failed: %s: " fmt "\n",\
			__FILE__, __LINE__, #cond, __VA_ARGS__);	\
		abort();						\
	}								\
} while (0)

struct fuzz_in {
	const uint8_t *p;
	size_t left;
};

#define FUZZ_IN(data, size) ((struct fuzz_in){ .p = (data), .left = (size) })

static inline size_t fuzz_left(const struct fuzz_in *in)
{
	return in->left;
}

/* Copy n bytes out; what the input lacks reads as zeros. */
static inline void fuzz_fill(struct fuzz_in *in, void *dst, size_t n)
{
	size_t k = n < in->left ? n : in->left;

	if (k)
		memcpy(dst, in->p, k);
	if (n > k)
		memset((uint8_t *)dst + k, 0, n - k);
	in->p += k;
	in->left -= k;
}

static inline uint8_t fuzz_u8(struct fuzz_in *in)
{
	uint8_t v;

	fuzz_fill(in, &v, sizeof(v));
	return v;
}

static inline uint16_t fuzz_u16(struct fuzz_in *in)
{
	uint16_t v;

	fuzz_fill(in, &v, sizeof(v));
	return v;
}

static inline uint32_t fuzz_u32(struct fuzz_in *in)
{
	uint32_t v;

	fuzz_fill(in, &v, sizeof(v));
	return v;
}

/*
 * Take up to *n bytes in place: returns a pointer into the input (valid
 * for the whole run) and sets *n to what was there.
 */
static inline const uint8_t *fuzz_take(struct fuzz_in *in, uint32_t *n)
{
	const uint8_t *p = in->p;

	if (*n > in->left)
		*n = (uint32_t)in->left;
	in->p += *n;
	in->left -= *n;
	return p;
}

#endif
