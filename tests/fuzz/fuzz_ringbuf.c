// SPDX-License-Identifier: MIT
/*
 * Fuzz target: linux/argo/ringbuf.c, the ring reader argo.ko runs on bytes
 * Xen copied from any sender (and on rx/tx values that may be corrupt).
 *
 * Two modes, picked by the first input byte:
 *
 *  - hostile: a ring of arbitrary length, contents, rx and tx. The reader
 *    loop core.c runs (peek, copy the segments, consume; on -EBADMSG jump
 *    rx to tx) must stay inside the ring (the ring is a heap block of
 *    exactly ring_len bytes, so ASan sees any overrun), must make progress
 *    (each message consumes at least one slot and no more than was used)
 *    and must stop: at most used/16 messages before the ring reads empty.
 *
 *  - model: messages taken from the input are inserted by a model of Xen's
 *    ringbuf_insert (16-byte slots, header then payload, one slot always
 *    free) into a ring at an arbitrary starting offset; the reader must
 *    return exactly those messages, in order, and argo_ringbuf_fits() must
 *    agree with the model on every insertion.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ringbuf.h"

/* Rings up to this size are allocated; larger valid lengths are skipped. */
#define RING_MAX	(64u * 1024)

/* Read one message the way core.c does: segments of the payload. */
static uint32_t read_payload(const uint8_t *ring, uint32_t len,
			     const struct argo_ringbuf_msg *m, uint8_t *out)
{
	struct argo_ringbuf_seg seg[2];
	unsigned int i, n;
	uint32_t got = 0;

	FUZZ_ASSERT(m->payload_off < len && m->payload_len <= len,
		    "payload off %u len %u in ring %u", m->payload_off,
		    m->payload_len, len);
	n = argo_ringbuf_segments(len, m->payload_off, m->payload_len, seg);
	FUZZ_ASSERT(n <= 2 && (n == 0) == (m->payload_len == 0),
		    "%u segments for %u bytes", n, m->payload_len);
	for (i = 0; i < n; i++) {
		FUZZ_ASSERT(seg[i].len && seg[i].off < len &&
			    seg[i].len <= len - seg[i].off,
			    "segment %u [%u,+%u) outside ring %u", i,
			    seg[i].off, seg[i].len, len);
		memcpy(out + got, ring + seg[i].off, seg[i].len);
		got += seg[i].len;
	}
	FUZZ_ASSERT(got == m->payload_len, "segments cover %u of %u", got,
		    m->payload_len);
	return got;
}

static void hostile(struct fuzz_in *in)
{
	uint32_t len, rx, tx, msgs = 0, limit;
	uint8_t *ring, *out;
	struct argo_ringbuf_msg m;
	int ret;

	/* Mostly small valid lengths; sometimes any 32-bit value. */
	if (fuzz_u8(in) & 1)
		len = fuzz_u32(in);
	else
		len = ARGO_MIN_RING_SIZE + ARGO_MSG_SLOT_SIZE * (fuzz_u16(in) % 256);
	rx = fuzz_u32(in);
	tx = fuzz_u32(in);
	if (fuzz_u8(in) & 1) {	/* mostly in-range, aligned pointers */
		rx = len ? (rx % len) & ~(ARGO_MSG_SLOT_SIZE - 1) : 0;
		tx = len ? (tx % len) & ~(ARGO_MSG_SLOT_SIZE - 1) : 0;
	}
	if (!argo_ringbuf_valid_len(len)) {
		/* Must refuse before touching the (absent) ring. */
		ret = argo_ringbuf_peek(NULL, len, rx, tx, &m);
		FUZZ_ASSERT(ret == -EBADMSG, "invalid ring length %u: peek %d", len, ret);
		return;
	}
	if (len > RING_MAX)
		return;
	ring = malloc(len);
	out = malloc(len);
	if (!ring || !out)
		abort();
	fuzz_fill(in, ring, len);

	/* A valid ring holds at most len/16 - 1 messages: one slot stays free. */
	limit = len / ARGO_MSG_SLOT_SIZE;
	for (;;) {
		uint32_t used;

		ret = argo_ringbuf_peek(ring, len, rx, tx, &m);
		if (ret == -EAGAIN) {
			FUZZ_ASSERT(rx == tx, "EAGAIN with rx %u != tx %u", rx, tx);
			break;
		}
		if (ret == -EBADMSG) {
			/* core.c's recovery: drop everything up to a sane tx. */
			if (tx < len && !(tx % ARGO_MSG_SLOT_SIZE)) {
				FUZZ_ASSERT(argo_ringbuf_peek(ring, len, tx, tx, &m) == -EAGAIN,
					    "rx = tx = %u not empty", tx);
			}
			break;
		}
		FUZZ_ASSERT(ret == 0, "peek returned %d", ret);
		/* Only a consistent ring gets here: pointers in range. */
		FUZZ_ASSERT(rx < len && tx < len && !(rx % 16) && !(tx % 16),
			    "peek accepted rx %u tx %u in ring %u", rx, tx, len);
		used = argo_ringbuf_used(rx, tx, len);
		FUZZ_ASSERT(m.next_rx < len && !(m.next_rx % ARGO_MSG_SLOT_SIZE),
			    "next_rx %u", m.next_rx);
		/* Progress: consumed at least a slot and no more than was used. */
		FUZZ_ASSERT(m.next_rx != rx, "no progress at rx %u", rx);
		FUZZ_ASSERT(argo_ringbuf_used(rx, m.next_rx, len) <= used,
			    "consumed %u of %u used", argo_ringbuf_used(rx, m.next_rx, len), used);
		FUZZ_ASSERT(ARGO_MSG_HDR_SIZE + m.payload_len <= used,
			    "payload %u exceeds used %u", m.payload_len, used);
		FUZZ_ASSERT(m.payload_off == (rx + ARGO_MSG_HDR_SIZE) % len,
			    "payload_off %u for rx %u", m.payload_off, rx);
		read_payload(ring, len, &m, out);
		rx = m.next_rx;
		FUZZ_ASSERT(++msgs <= limit, "%u messages from a ring of %u bytes", msgs, len);
	}
	free(out);
	free(ring);
}

/* Xen's insertion (see tests/unit/test_ringbuf.c): 0, -EMSGSIZE, -EAGAIN. */
static int xen_insert(uint8_t *ring, uint32_t len, uint32_t rx, uint32_t *tx,
		      const uint8_t *p, uint32_t n, uint32_t type, uint32_t src)
{
	struct argo_xen_msg_header h = {
		.len = n + ARGO_MSG_HDR_SIZE, .message_type = type,
		.source = { .aport = src, .domain_id = (uint16_t)(src >> 16) },
	};
	uint32_t space = rx == *tx ? len : (rx - *tx + len) % len;
	uint32_t i, off;

	if (len <= ARGO_MSG_HDR_SIZE + argo_roundup_slot(n))
		return -EMSGSIZE;
	if (argo_roundup_slot(n) + ARGO_MSG_HDR_SIZE >= space)
		return -EAGAIN;
	memcpy(ring + *tx, &h, sizeof(h));
	off = (*tx + ARGO_MSG_HDR_SIZE) % len;
	for (i = 0; i < n; i++)
		ring[(off + i) % len] = p[i];
	*tx = (*tx + ARGO_MSG_HDR_SIZE + argo_roundup_slot(n)) % len;
	return 0;
}

#define MODEL_MSGS 64

static void model(struct fuzz_in *in)
{
	uint32_t len = ARGO_MIN_RING_SIZE + ARGO_MSG_SLOT_SIZE * (fuzz_u16(in) % 128);
	uint32_t rx = (fuzz_u32(in) % len) & ~(ARGO_MSG_SLOT_SIZE - 1), tx = rx;
	uint32_t plen[MODEL_MSGS], type[MODEL_MSGS], src[MODEL_MSGS];
	const uint8_t *pay[MODEL_MSGS];
	unsigned int nq = 0, head = 0, i;
	uint8_t *ring = malloc(len), *out = malloc(len);
	struct argo_ringbuf_msg m;

	if (!ring || !out)
		abort();
	fuzz_fill(in, ring, len);	/* stale bytes must never be read back */
	FUZZ_ASSERT(argo_ringbuf_valid_len(len), "model ring %u", len);
	for (i = 0; i < 4 * MODEL_MSGS && fuzz_left(in); i++) {
		uint8_t op = fuzz_u8(in);

		if (op & 1 && nq - head < MODEL_MSGS && nq < MODEL_MSGS) {
			/* Send: mostly small, sometimes near the ring size. */
			uint32_t n = op & 2 ? fuzz_u16(in) % (len + 32) : fuzz_u8(in) % 64;
			uint32_t t = fuzz_u32(in), s = fuzz_u32(in), tx0 = tx;
			const uint8_t *p = fuzz_take(in, &n);
			int fits = argo_ringbuf_fits(rx, tx, len, n);
			int ret = xen_insert(ring, len, rx, &tx, p, n, t, s);

			FUZZ_ASSERT(fits == (ret == 0),
				    "fits says %d, Xen's insert %d (payload %u, rx %u tx %u len %u)",
				    fits, ret, n, rx, tx0, len);
			FUZZ_ASSERT(ret != -EMSGSIZE || n > argo_ringbuf_max_payload(len),
				    "EMSGSIZE for %u, max_payload %u", n,
				    argo_ringbuf_max_payload(len));
			if (!ret) {
				pay[nq] = p;
				plen[nq] = n;
				type[nq] = t;
				src[nq++] = s;
			}
			continue;
		}
		/* Receive. */
		int ret = argo_ringbuf_peek(ring, len, rx, tx, &m);

		if (head == nq) {
			FUZZ_ASSERT(ret == -EAGAIN, "empty ring: peek %d", ret);
			continue;
		}
		FUZZ_ASSERT(ret == 0, "message %u: peek %d", head, ret);
		FUZZ_ASSERT(m.payload_len == plen[head], "message %u: length %u, sent %u",
			    head, m.payload_len, plen[head]);
		FUZZ_ASSERT(m.type == type[head] && m.source.aport == src[head] &&
			    m.source.domain_id == (uint16_t)(src[head] >> 16),
			    "message %u: type/source differ", head);
		read_payload(ring, len, &m, out);
		FUZZ_ASSERT(!plen[head] || !memcmp(out, pay[head], plen[head]),
			    "message %u: payload differs", head);
		rx = m.next_rx;
		head++;
	}
	free(out);
	free(ring);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = FUZZ_IN(data, size);

	if (fuzz_u8(&in) & 1)
		model(&in);
	else
		hostile(&in);
	return 0;
}
