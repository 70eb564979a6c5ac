/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How ARGO_IOC_SEND_MANY cuts a batch into hypercalls, shared by argo_char
 * and the host unit tests (tests/unit/test_sendbatch.c). Pure arithmetic
 * on the entries' lengths, which the caller has already checked (each at
 * most ARGO_MAX_RING_SIZE).
 */
#ifndef ARGO_SENDBATCH_H
#define ARGO_SENDBATCH_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stddef.h>
#include <stdint.h>
#endif
#include <argo/argo-dev.h>

/*
 * Payload bytes bounced per hypercall: enough that a hypercall carries
 * many messages of any size up to 4 KiB, small enough that the bounce
 * buffer stays a modest kernel allocation whatever the batch holds.
 */
#define ARGO_SEND_CHUNK_BYTES	(256U * 1024)

/*
 * The bounce buffer for a batch of @total bytes whose largest message has
 * @maxlen: the whole batch, up to @cap, but never less than one message
 * (a message is never split), and at least one byte.
 */
static inline size_t argo_send_buf_size(uint64_t total, uint32_t maxlen,
					uint32_t cap)
{
	size_t size = total < cap ? (size_t)total : cap;

	if (size < maxlen)
		size = maxlen;
	return size ? size : 1;
}

/*
 * How many of the @n entries at @ents the next hypercall takes: at most
 * @max_msgs, with at most @cap payload bytes together, but always the
 * first (alone if it is larger than @cap). *@bytes gets their bytes, which
 * never exceed argo_send_buf_size() of a batch holding them.
 */
static inline unsigned int argo_send_chunk(const struct argo_dev_send *ents,
					   unsigned int n,
					   unsigned int max_msgs, uint32_t cap,
					   size_t *bytes)
{
	unsigned int k = 0;
	size_t b = 0;

	while (k < n && k < max_msgs && (!k || b + ents[k].len <= cap)) {
		b += ents[k].len;
		k++;
	}
	*bytes = b;
	return k;
}

#endif /* ARGO_SENDBATCH_H */
