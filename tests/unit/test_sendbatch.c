// SPDX-License-Identifier: MIT
/*
 * Host tests for linux/argo/sendbatch.h, how argo_char cuts an
 * ARGO_IOC_SEND_MANY batch into hypercalls and sizes its bounce buffer.
 * Random batches are cut as the driver cuts them: every chunk must take
 * at least one message, stay within the message and byte caps (but for a
 * message larger than the byte cap, alone), fit the bounce buffer, and the
 * chunks together must cover the batch once, in order.
 */
#include <stdint.h>
#include <string.h>

#include "sendbatch.h"
#include "tap.h"

#define MAX_N 1024
#define MAX_MSG (16u << 20)

static struct argo_dev_send ents[MAX_N];

/* Cut ents[0..n) as argo_char_send_many does; 1 if every rule held. */
static int cut_ok(unsigned int n, unsigned int max_msgs, uint32_t cap,
		  unsigned int *chunks)
{
	uint64_t total = 0;
	uint32_t maxlen = 0;
	size_t buf, bytes, b;
	unsigned int i, k, j;

	for (i = 0; i < n; i++) {
		total += ents[i].len;
		if (ents[i].len > maxlen)
			maxlen = ents[i].len;
	}
	buf = argo_send_buf_size(total, maxlen, cap);
	if (buf < 1 || buf < maxlen || (buf > cap && buf > maxlen))
		return 0;
	*chunks = 0;
	for (i = 0; i < n; i += k) {
		k = argo_send_chunk(ents + i, n - i, max_msgs, cap, &bytes);
		if (k < 1 || k > max_msgs || i + k > n || bytes > buf)
			return 0;
		for (b = 0, j = 0; j < k; j++)
			b += ents[i + j].len;
		if (b != bytes || (k > 1 && bytes > cap))
			return 0;
		/* Greedy: the next message would break a cap. */
		if (i + k < n && k < max_msgs && bytes + ents[i + k].len <= cap)
			return 0;
		(*chunks)++;
	}
	return 1;
}

static void fill(unsigned int n, uint32_t len)
{
	for (unsigned int i = 0; i < n; i++)
		ents[i].len = len;
}

int main(void)
{
	unsigned int chunks, round, n, i;
	int ok;
	size_t bytes;

	/* The bench's batch: 64 x 256 B, one hypercall. */
	fill(64, 256);
	TAP_CHECK("bench_batch_64x256_one_chunk", cut_ok(64, 64, ARGO_SEND_CHUNK_BYTES, &chunks) &&
		  chunks == 1, "chunks %u", chunks);
	/* 200 x 2 KiB: by count, 64 + 64 + 64 + 8. */
	fill(200, 2048);
	TAP_CHECK("200x2k_four_chunks_by_count",
		  cut_ok(200, 64, ARGO_SEND_CHUNK_BYTES, &chunks) && chunks == 4, "chunks %u", chunks);
	/* 64 x 64 KiB: by bytes, four a chunk within 256 KiB. */
	fill(64, 65536);
	TAP_CHECK("64x64k_sixteen_chunks_by_bytes",
		  cut_ok(64, 64, ARGO_SEND_CHUNK_BYTES, &chunks) && chunks == 16,
		  "chunks %u", chunks);
	TAP_EQ("64x64k_buffer_is_the_cap", (size_t)ARGO_SEND_CHUNK_BYTES,
	       argo_send_buf_size(64ull * 65536, 65536, ARGO_SEND_CHUNK_BYTES));
	/* A message over the cap goes alone, and the buffer holds it. */
	ents[0].len = 100;
	ents[1].len = MAX_MSG;
	ents[2].len = 100;
	TAP_EQ("huge_message_first_chunk_stops_before_it", 1u,
	       argo_send_chunk(ents, 3, 64, ARGO_SEND_CHUNK_BYTES, &bytes));
	TAP_EQ("huge_message_alone", 1u,
	       argo_send_chunk(ents + 1, 2, 64, ARGO_SEND_CHUNK_BYTES, &bytes));
	TAP_EQ("huge_message_alone_bytes", (size_t)MAX_MSG, bytes);
	TAP_EQ("huge_message_buffer_holds_it", (size_t)MAX_MSG,
	       argo_send_buf_size(MAX_MSG + 200ull, MAX_MSG, ARGO_SEND_CHUNK_BYTES));
	/* Empty messages: a one-byte buffer, 64 to a chunk. */
	fill(130, 0);
	TAP_EQ("empty_messages_one_byte_buffer", (size_t)1,
	       argo_send_buf_size(0, 0, ARGO_SEND_CHUNK_BYTES));
	TAP_CHECK("130_empty_three_chunks", cut_ok(130, 64, ARGO_SEND_CHUNK_BYTES, &chunks) &&
		  chunks == 3, "chunks %u", chunks);
	/* A small batch: the buffer is the batch, not the cap. */
	TAP_EQ("small_batch_buffer_is_its_bytes", (size_t)300,
	       argo_send_buf_size(300, 200, ARGO_SEND_CHUNK_BYTES));
	/* Random batches, sizes mixed from 0 to over the cap. */
	ok = 1;
	for (round = 0; round < 2000 && ok; round++) {
		n = 1 + rnd(MAX_N);
		for (i = 0; i < n; i++) {
			switch (rnd(4)) {
			case 0: ents[i].len = rnd(64); break;
			case 1: ents[i].len = rnd(4096); break;
			case 2: ents[i].len = rnd(ARGO_SEND_CHUNK_BYTES + 1); break;
			default: ents[i].len = rnd(8) ? rnd(70000) : rnd(MAX_MSG + 1); break;
			}
		}
		ok = cut_ok(n, 64, ARGO_SEND_CHUNK_BYTES, &chunks) &&
		     cut_ok(n, 1 + rnd(64), 1 + rnd(ARGO_SEND_CHUNK_BYTES), &chunks);
	}
	TAP_CHECK("random_batches_cut_by_the_rules", ok, "round %u failed", round);
	return tap_done();
}
