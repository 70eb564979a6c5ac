// SPDX-License-Identifier: MIT
/*
 * Host tests for linux/argo/ringbuf.c, the ring arithmetic argo.ko runs.
 * A small model of Xen's ring insertion (written from Xen's documented
 * rules: 16-byte slots, header then payload, payload may wrap, one slot
 * always free) produces rings; the driver's code must read back exactly
 * what went in, agree on when a message fits, and reject corrupt rings.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ringbuf.h"
#include "tap.h"

struct model {
	uint8_t *ring;
	uint32_t len, rx, tx;
};

/* What Xen does on sendv: 0, -EMSGSIZE or -EAGAIN. */
static int model_insert(struct model *m, const uint8_t *p, uint32_t n,
			uint32_t type, uint16_t dom, uint32_t port)
{
	struct argo_xen_msg_header h = { .len = n + ARGO_MSG_HDR_SIZE,
		.source = { .aport = port, .domain_id = dom }, .message_type = type };
	uint32_t space = m->rx == m->tx ? m->len : (m->rx - m->tx + m->len) % m->len;
	uint32_t i, off;

	if (m->len <= ARGO_MSG_HDR_SIZE + argo_roundup_slot(n))
		return -EMSGSIZE;
	if (argo_roundup_slot(n) + ARGO_MSG_HDR_SIZE >= space)
		return -EAGAIN;
	memcpy(m->ring + m->tx, &h, sizeof(h));
	off = (m->tx + ARGO_MSG_HDR_SIZE) % m->len;
	for (i = 0; i < n; i++)
		m->ring[(off + i) % m->len] = p[i];
	m->tx = (m->tx + ARGO_MSG_HDR_SIZE + argo_roundup_slot(n)) % m->len;
	return 0;
}

/* Read one message the way core.c does; returns payload length or error. */
static int driver_read(struct model *m, uint8_t *out, struct argo_ringbuf_msg *msg)
{
	struct argo_ringbuf_seg seg[2];
	unsigned int i, nseg;
	int ret = argo_ringbuf_peek(m->ring, m->len, m->rx, m->tx, msg);

	if (ret)
		return ret;
	nseg = argo_ringbuf_segments(m->len, msg->payload_off, msg->payload_len, seg);
	for (i = 0; i < nseg; i++) {
		memcpy(out, m->ring + seg[i].off, seg[i].len);
		out += seg[i].len;
	}
	m->rx = msg->next_rx;
	return (int)msg->payload_len;
}

static void test_limits(void)
{
	TAP_EQ("valid_len_rejects_below_minimum", 0, argo_ringbuf_valid_len(32));
	TAP_EQ("valid_len_accepts_minimum_48", 1, argo_ringbuf_valid_len(48));
	TAP_EQ("valid_len_rejects_unaligned", 0, argo_ringbuf_valid_len(4100));
	TAP_EQ("valid_len_accepts_16MiB_less_header", 1,
	       argo_ringbuf_valid_len((16u << 20) - 64));
	TAP_EQ("valid_len_rejects_one_slot_over_the_largest", 0,
	       argo_ringbuf_valid_len((16u << 20) - 48));
	TAP_EQ("valid_len_rejects_16MiB_unpatched_xen_refuses_it", 0,
	       argo_ringbuf_valid_len(16u << 20));
	TAP_EQ("max_payload_of_minimum_ring", 16, argo_ringbuf_max_payload(48));
	TAP_EQ("max_payload_of_ring_below_minimum_is_0", 0, argo_ringbuf_max_payload(16));
	TAP_EQ("fits_never_for_a_payload_over_the_maximum", 0,
	       argo_ringbuf_fits(0, 0, 64, 0xffffffffu));
	TAP_EQ("max_payload_of_64KiB_ring", 65536 - 32, argo_ringbuf_max_payload(65536));
	TAP_EQ("npages_one_page_exactly", 1, argo_ringbuf_npages(4096 - 64, 4096));
	TAP_EQ("npages_header_spills_to_second_page", 2, argo_ringbuf_npages(4096, 4096));
	TAP_EQ("npages_16MiB", 4097, argo_ringbuf_npages(16u << 20, 4096));
}

static void test_segments(void)
{
	struct argo_ringbuf_seg s[2];
	unsigned int n;

	n = argo_ringbuf_segments(64, 16, 32, s);
	TAP_CHECK("segments_contiguous", n == 1 && s[0].off == 16 && s[0].len == 32,
		  "expected 1 segment 16+32, got %u segments %u+%u", n, s[0].off, s[0].len);
	n = argo_ringbuf_segments(64, 48, 32, s);
	TAP_CHECK("segments_wrapped",
		  n == 2 && s[0].off == 48 && s[0].len == 16 && s[1].off == 0 && s[1].len == 16,
		  "expected 48+16,0+16, got %u: %u+%u,%u+%u", n, s[0].off, s[0].len,
		  s[1].off, s[1].len);
	TAP_EQ("segments_empty", 0, argo_ringbuf_segments(64, 0, 0, s));
	n = argo_ringbuf_segments(64, 16, 48, s);
	TAP_CHECK("segments_ending_at_ring_end", n == 1 && s[0].off == 16 && s[0].len == 48,
		  "expected 1 segment 16+48, got %u segments %u+%u", n, s[0].off, s[0].len);
}

/*
 * A 64-byte ring (in a larger buffer, so a check that is missing shows as a
 * wrong answer, not only as a sanitizer's report) holding one valid
 * 4-byte message at offset off: header len 20, next message at off + 32.
 */
static uint8_t corrupt_ring[128];

static void reset_ring(uint32_t off, uint32_t len)
{
	struct argo_xen_msg_header h = { .len = len, .message_type = 3,
		.source = { .aport = 9, .domain_id = 1 } };

	memset(corrupt_ring, 0, sizeof(corrupt_ring));
	memcpy(corrupt_ring + off, &h, sizeof(h));
}

/*
 * Each case starts from a fresh ring that is valid but for the one thing
 * its name says, so the check it names is the only one that can refuse it
 * (make mutate removes each check in turn and expects a case to fail).
 */
static void test_corrupt(void)
{
	struct argo_ringbuf_msg msg = { 0 };
	int r;

	reset_ring(0, 20);
	r = argo_ringbuf_peek(corrupt_ring, 64, 0, 32, &msg);
	TAP_CHECK("peek_valid_message_baseline",
		  r == 0 && msg.payload_len == 4 && msg.payload_off == 16 && msg.next_rx == 32 &&
		  msg.type == 3 && msg.source.domain_id == 1 && msg.source.aport == 9,
		  "expected 0 with 4 bytes at 16, next 32, got %d: %u bytes at %u, next %u",
		  r, msg.payload_len, msg.payload_off, msg.next_rx);
	reset_ring(0, 20);
	TAP_EQ("peek_empty_is_eagain", -EAGAIN,
	       argo_ringbuf_peek(corrupt_ring, 64, 32, 32, &msg));
	reset_ring(0, 15);
	TAP_EQ("peek_header_len_below_16_is_ebadmsg", -EBADMSG,
	       argo_ringbuf_peek(corrupt_ring, 64, 0, 32, &msg));
	reset_ring(0, 40); /* claims more than the 32 bytes Xen has written */
	TAP_EQ("peek_len_beyond_tx_is_ebadmsg", -EBADMSG,
	       argo_ringbuf_peek(corrupt_ring, 64, 0, 32, &msg));
	reset_ring(0, 0xffffffff); /* rounds up to 0: only len > used sees it */
	TAP_EQ("peek_huge_len_is_ebadmsg", -EBADMSG,
	       argo_ringbuf_peek(corrupt_ring, 64, 0, 32, &msg));
	reset_ring(0, 20);
	TAP_EQ("peek_misaligned_tx_is_ebadmsg", -EBADMSG,
	       argo_ringbuf_peek(corrupt_ring, 64, 0, 40, &msg));
	reset_ring(8, 20);
	TAP_EQ("peek_misaligned_rx_is_ebadmsg", -EBADMSG,
	       argo_ringbuf_peek(corrupt_ring, 64, 8, 48, &msg));
	reset_ring(64, 20);
	TAP_EQ("peek_rx_outside_ring_is_ebadmsg", -EBADMSG,
	       argo_ringbuf_peek(corrupt_ring, 64, 64, 32, &msg));
	reset_ring(0, 20);
	TAP_EQ("peek_tx_outside_ring_is_ebadmsg", -EBADMSG,
	       argo_ringbuf_peek(corrupt_ring, 64, 0, 64, &msg));
	reset_ring(0, 20);
	TAP_EQ("peek_bad_ring_len_is_ebadmsg", -EBADMSG,
	       argo_ringbuf_peek(corrupt_ring, 40, 0, 32, &msg));
}

/* Random traffic through rings of many sizes: everything read back equals
 * what was written, in order, and fits() agrees with the model of Xen. */
static void test_roundtrip(void)
{
	uint32_t sizes[] = { 48, 64, 80, 160, 4032, 4096, 65536 };
	unsigned int s, ops = 0, mismatches = 0, fit_disagree = 0, wraps = 0;
	char detail[160] = "none";

	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		struct model m = { .len = sizes[s] };
		uint32_t maxp = argo_ringbuf_max_payload(m.len);
		uint8_t *queue = malloc((size_t)m.len * 2), *in = malloc(maxp + 1),
			*out = malloc(maxp + 1);
		uint32_t qlens[4096], qtypes[4096], qhead = 0, qtail = 0, i;
		size_t qoff_head = 0, qoff_tail = 0;

		m.ring = calloc(1, m.len);
		for (i = 0; i < 20000; i++, ops++) {
			if (rnd(2) && qtail - qhead < 4096) {
				uint32_t n = rnd(4) ? rnd(maxp < 300 ? maxp + 1 : 300) : rnd(maxp + 1);
				uint32_t type = rnd(0xffffffffu), j;
				int fits = argo_ringbuf_fits(m.rx, m.tx, m.len, n), r;

				for (j = 0; j < n; j++)
					in[j] = (uint8_t)rnd(256);
				r = model_insert(&m, in, n, type, 7, 5000);
				if ((r == 0) != fits) {
					fit_disagree++;
					snprintf(detail, sizeof(detail),
						 "ring %u rx %u tx %u len %u: fits %d, Xen %d",
						 m.len, m.rx, m.tx, n, fits, r);
				}
				if (r == 0) {
					if (qoff_tail + n > (size_t)m.len * 2) {
						memmove(queue, queue + qoff_head, qoff_tail - qoff_head);
						qoff_tail -= qoff_head;
						qoff_head = 0;
					}
					memcpy(queue + qoff_tail, in, n);
					qoff_tail += n;
					qlens[qtail % 4096] = n;
					qtypes[qtail % 4096] = type;
					qtail++;
				}
			} else {
				struct argo_ringbuf_msg msg;
				uint32_t before = m.rx;
				int n = driver_read(&m, out, &msg);

				if (qhead == qtail) {
					if (n != -EAGAIN)
						mismatches++;
					continue;
				}
				if (m.rx < before)
					wraps++;
				if (n != (int)qlens[qhead % 4096] || msg.type != qtypes[qhead % 4096] ||
				    msg.source.domain_id != 7 || msg.source.aport != 5000 ||
				    memcmp(out, queue + qoff_head, (size_t)n)) {
					mismatches++;
					snprintf(detail, sizeof(detail),
						 "ring %u message %u: expected %u bytes, got %d",
						 m.len, qhead, qlens[qhead % 4096], n);
				}
				qoff_head += qlens[qhead % 4096];
				qhead++;
			}
		}
		free(m.ring);
		free(queue);
		free(in);
		free(out);
	}
	TAP_CHECK("roundtrip_payloads_types_sources_intact", mismatches == 0,
		  "expected 0 mismatches in %u operations, got %u (%s)", ops, mismatches, detail);
	TAP_CHECK("fits_agrees_with_xen_insert_rules", fit_disagree == 0,
		  "expected 0 disagreements, got %u (%s)", fit_disagree, detail);
	TAP_CHECK("roundtrip_exercised_wraparound", wraps > 100,
		  "expected >100 wrapped reads, got %u", wraps);
}

int main(void)
{
	test_limits();
	test_segments();
	test_corrupt();
	test_roundtrip();
	return tap_done();
}
