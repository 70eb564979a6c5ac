// SPDX-License-Identifier: MIT
/*
 * Fuzz target: the virtio-argo wire codec (linux/argo/virtio_argo_wire.c),
 * which the kernel transport runs on what a backend sends and the backend
 * runs on what a frontend sends (docs/virtio-argo.md).
 *
 * The input is one received Argo message. Properties:
 *  - the record walk stays inside the message (the message is a heap block
 *    of exactly its length, so ASan sees any overrun), each record starts
 *    on the 8-byte alignment and moves forward, and the walk ends;
 *  - every pointer a decoder hands back lies inside the message, and the
 *    lengths it reports add up (a request's out-data is the sum of its out
 *    segments, a response's in-data is its used length);
 *  - what decodes re-encodes to the same record, byte for byte, so the
 *    decoder accepts nothing the encoder would not write;
 *  - the in-flight tracker never accepts a chain twice, never completes
 *    one it did not begin, and its count equals the chains it holds.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include <argo/virtio-argo.h>

#define QSIZE	256u

static int inside(const uint8_t *buf, uint32_t len, const uint8_t *p,
		  uint32_t n)
{
	return p >= buf && p <= buf + len && n <= (uint32_t)(buf + len - p);
}

static void check_req(const uint8_t *buf, uint32_t len, const struct va_msg *m,
		      const struct va_chain_req *r)
{
	uint32_t i, nsegs = r->n_out + r->n_in;
	uint64_t out = 0, in = 0;
	uint8_t *again;
	int n;

	FUZZ_ASSERT(nsegs <= VA_MAX_SEGS, "%u segments", nsegs);
	FUZZ_ASSERT(inside(buf, len, r->seg_lens, 4 * nsegs),
		    "segment table of %u outside the message", nsegs);
	for (i = 0; i < nsegs; i++) {
		uint32_t s = va_seg_len(r, i);

		if (i < r->n_out)
			out += s;
		else
			in += s;
	}
	FUZZ_ASSERT(out == r->out_len && in == r->in_len,
		    "sums out %llu in %llu, decoded %u %u",
		    (unsigned long long)out, (unsigned long long)in,
		    r->out_len, r->in_len);
	FUZZ_ASSERT(inside(buf, len, r->out_data, r->out_len),
		    "out-data of %u outside the message", r->out_len);

	/* Re-encode in place form and compare with what was received. */
	again = calloc(1, va_chain_req_size(nsegs, r->out_len));
	FUZZ_ASSERT(again != NULL, "%s", "calloc");
	n = va_encode_chain_req_hdr(again, va_chain_req_size(nsegs, r->out_len),
				    m->dev_num, r->queue, r->epoch, r->chain_id,
				    r->n_out, r->n_in, r->out_len);
	FUZZ_ASSERT(n > 0, "re-encoding a decoded request fails: %d", n);
	for (i = 0; i < nsegs; i++)
		va_put32(again + VA_CHAIN_REQ_FIXED + 4 * i, va_seg_len(r, i));
	if (r->out_len)
		memcpy(again + va_chain_req_data(nsegs), r->out_data,
		       r->out_len);
	FUZZ_ASSERT(!memcmp(again, m->payload - VA_HDR_SIZE,
			    va_chain_req_data(nsegs) + r->out_len),
		    "request dev %u queue %u chain %u re-encodes differently",
		    m->dev_num, r->queue, r->chain_id);
	free(again);
}

static void check_resp(const uint8_t *buf, uint32_t len,
		       const struct va_msg *m, const struct va_chain_resp *r)
{
	uint32_t size = va_chain_resp_size(r->used_len);
	uint8_t *again;
	int n;

	FUZZ_ASSERT(r->status <= VA_STATUS_MAX, "status %u", r->status);
	FUZZ_ASSERT(inside(buf, len, r->in_data, r->used_len),
		    "in-data of %u outside the message", r->used_len);
	again = calloc(1, size);
	FUZZ_ASSERT(again != NULL, "%s", "calloc");
	n = va_encode_chain_resp(again, size, m->dev_num, r->queue, r->status,
				 r->epoch, r->chain_id, r->used_len);
	FUZZ_ASSERT(n > 0, "re-encoding a decoded response fails: %d", n);
	if (r->used_len)
		memcpy(again + VA_CHAIN_RESP_FIXED, r->in_data, r->used_len);
	FUZZ_ASSERT(!memcmp(again, m->payload - VA_HDR_SIZE,
			    VA_CHAIN_RESP_FIXED + r->used_len),
		    "response chain %u re-encodes differently", r->chain_id);
	free(again);
}

/* Feed decoded chain ids through the tracker as both ends would. */
static void track(struct va_queue *q, uint8_t *held, uint32_t epoch,
		  uint32_t id, int begin)
{
	const char *why = NULL;
	uint32_t i, count = 0;
	int r;

	if (begin) {
		r = va_chain_begin(q, epoch, id, &why);
		if (r == 0) {
			FUZZ_ASSERT(id < QSIZE && !held[id],
				    "chain %u accepted twice", id);
			held[id] = 1;
		} else {
			FUZZ_ASSERT(r == -EPROTO || r == -EBADMSG,
				    "begin returned %d", r);
			FUZZ_ASSERT(why != NULL, "%s", "a refusal without a reason");
		}
	} else {
		r = va_chain_end(q, epoch, id, &why);
		if (r == 1) {
			FUZZ_ASSERT(id < QSIZE && held[id],
				    "chain %u completed but not in flight", id);
			held[id] = 0;
		} else {
			FUZZ_ASSERT(r == 0 || r == -EPROTO || r == -EBADMSG,
				    "end returned %d", r);
		}
	}
	for (i = 0; i < QSIZE; i++)
		count += held[i];
	FUZZ_ASSERT(count == q->count, "tracker counts %u, holds %u",
		    q->count, count);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint32_t bitmap[VA_BITMAP_WORDS(QSIZE)];
	static uint8_t held[QSIZE];
	struct va_queue q;
	struct va_iter it;
	struct va_msg m;
	uint32_t len, prev = 0, records = 0;
	const char *why;
	uint8_t *buf;
	int r;

	if (size > VA_MAX_MSG)
		return 0;
	len = (uint32_t)size;
	buf = malloc(len ? len : 1);
	FUZZ_ASSERT(buf != NULL, "%s", "malloc");
	if (len)
		memcpy(buf, data, len);
	memset(held, 0, sizeof(held));
	va_queue_reset(&q, bitmap, QSIZE, 1, 1);

	va_iter_init(&it, buf, len);
	for (;;) {
		struct va_chain_req req;
		struct va_chain_resp resp;

		why = NULL;
		r = va_next(&it, &m, &why);
		if (r <= 0) {
			FUZZ_ASSERT(r == 0 || why != NULL,
				    "va_next failed (%d) without a reason", r);
			break;
		}
		FUZZ_ASSERT(it.off > prev && it.off <= len,
			    "walk at %u after %u in %u bytes", it.off, prev, len);
		FUZZ_ASSERT(records < len / VA_RECORD_ALIGN,
			    "%u records in %u bytes", records + 1, len);
		prev = it.off;
		records++;
		FUZZ_ASSERT(m.msg_size >= VA_HDR_SIZE &&
			    m.payload_len == m.msg_size - VA_HDR_SIZE &&
			    inside(buf, len, m.payload, m.payload_len),
			    "record payload of %u outside the message",
			    m.payload_len);
		FUZZ_ASSERT(!m.data || inside(buf, len, m.data, m.data_len),
			    "record data of %u outside the message", m.data_len);

		/* Each side validates what the other sends it. */
		(void)va_validate(&m, 1, &why);
		(void)va_validate(&m, 0, &why);
		if (m.msg_id != VA_MSG_CHAIN || (m.type & VA_TYPE_BUS))
			continue;
		if (!(m.type & VA_TYPE_RESPONSE) &&
		    va_decode_chain_req(&m, &req, &why) == 0) {
			check_req(buf, len, &m, &req);
			track(&q, held, req.epoch, req.chain_id, 1);
		} else if ((m.type & VA_TYPE_RESPONSE) &&
			   va_decode_chain_resp(&m, &resp, &why) == 0) {
			check_resp(buf, len, &m, &resp);
			track(&q, held, resp.epoch, resp.chain_id, 0);
		}
	}
	free(buf);
	return 0;
}
