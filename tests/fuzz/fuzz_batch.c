// SPDX-License-Identifier: MIT
/*
 * Fuzz target: argo_msg_next, libargo's walk over an argo_recv_many
 * buffer, given arbitrary bytes as if a driver had written them. The
 * input is exactly the buffer (a heap block of that size, so ASan sees any
 * read past it). Properties: every message it returns lies inside the
 * buffer, offsets only grow and stay aligned while inside it, the walk
 * ends (0 or EPROTO) and never loops, and a failure leaves *off alone.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <argo/argo-dev.h>
#include "fuzz.h"
#include "libargo.h"

static volatile uint8_t sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);
	struct argo_msg_view v;
	size_t off = 0, before, steps = 0;
	int r;

	if (!buf)
		abort();
	memcpy(buf, data, size);
	for (;;) {
		before = off;
		errno = 0;
		r = argo_msg_next(buf, size, &off, &v);
		if (r <= 0) {
			FUZZ_ASSERT(r == 0 || errno == EPROTO, "errno %d", errno);
			FUZZ_ASSERT(off == before, "off %zu moved from %zu on failure", off, before);
			break;
		}
		steps++;
		FUZZ_ASSERT(off > before && off <= size, "off %zu after %zu, size %zu",
			    off, before, size);
		FUZZ_ASSERT(off == size || off % ARGO_DEV_MSG_ALIGN == 0, "off %zu", off);
		FUZZ_ASSERT((const uint8_t *)v.data >= buf + before + sizeof(struct argo_dev_msg) &&
			    (const uint8_t *)v.data + v.len <= buf + size,
			    "payload %u bytes at %td outside %zu", v.len,
			    (const uint8_t *)v.data - buf, size);
		/* Read every byte: ASan checks the range is the buffer's. */
		for (uint32_t i = 0; i < v.len; i++)
			sink ^= ((const uint8_t *)v.data)[i];
	}
	FUZZ_ASSERT(steps <= size / sizeof(struct argo_dev_msg), "%zu steps in %zu bytes",
		    steps, size);
	free(buf);
	return 0;
}
