/* SPDX-License-Identifier: MIT */
/*
 * The bridge's shadow virtqueues (backends/virtio-argo/shadow.c), with
 * this test playing the vhost-user back-end: chains are laid out as the
 * request described them, used entries the back-end could not have been
 * given are refused, and a back-end scribbling over the descriptor table
 * cannot corrupt the bridge's free list.
 */
#include <errno.h>
#include <string.h>
#include <linux/virtio_ring.h>

#include <argo/virtio-argo.h>
#include "shadow.h"
#include "tap.h"

static void put_lens(uint8_t *b, const uint32_t *lens, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		va_put32(b + 4 * i, lens[i]);
}

/* The back-end's side: mark head used with len. */
static void backend_use(struct shadow_mem *m, uint32_t head, uint32_t len)
{
	struct shadow_vq *v = &m->vq[0];
	uint16_t i = v->used->idx;

	v->used->ring[i % SHADOW_QSIZE].id = head;
	v->used->ring[i % SHADOW_QSIZE].len = len;
	__atomic_store_n(&v->used->idx, (uint16_t)(i + 1), __ATOMIC_RELEASE);
}

int main(void)
{
	struct shadow_mem m;
	uint32_t lens[3] = { 16, 4096, 1 }, head, len, i;
	uint8_t lb[4 * SHADOW_QSIZE + 8], out[16] = "request-header!";
	struct shadow_vq *v;
	int r, h;

	TAP_EQ("create", 0, shadow_create(&m, 1, 64 * 1024));
	v = &m.vq[0];
	put_lens(lb, lens, 3);
	h = shadow_post(&m, 0, lb, 1, 2, 4097, out, 16);
	TAP_CHECK("post_returns_head", h >= 0 && h < (int)SHADOW_QSIZE, "got %d", h);
	TAP_EQ("avail_idx_published", 1, v->avail->idx);
	TAP_EQ("avail_ring_names_head", h, v->avail->ring[0]);
	TAP_EQ("first_desc_len", 16, v->desc[h].len);
	TAP_EQ("first_desc_readable_with_next", VRING_DESC_F_NEXT, v->desc[h].flags);
	{
		uint16_t d1 = v->desc[h].next, d2 = v->desc[d1].next;
		uint64_t off = v->desc[h].addr - m.arena_gpa;

		TAP_EQ("second_desc_writable_with_next", VRING_DESC_F_WRITE | VRING_DESC_F_NEXT,
		       v->desc[d1].flags);
		TAP_EQ("last_desc_writable_no_next", VRING_DESC_F_WRITE, v->desc[d2].flags);
		TAP_EQ("segments_contiguous", v->desc[h].addr + 16, v->desc[d1].addr);
		TAP_CHECK("out_data_copied_into_arena", !memcmp(m.arena + off, out, 16),
			  "%s", "bytes differ");
		TAP_CHECK("in_data_points_after_out", shadow_in_data(&m, 0, (uint32_t)h) ==
			  m.arena + off + 16, "%s", "wrong place");
	}
	TAP_EQ("no_used_yet", 0, shadow_next_used(&m, 0, &head, &len));

	/* Hostile used entries. */
	backend_use(&m, 1000, 4);
	TAP_EQ("used_id_out_of_range_refused", -EPROTO, shadow_next_used(&m, 0, &head, &len));
	v->used->idx--;
	backend_use(&m, (uint32_t)(h + 1) % SHADOW_QSIZE, 4);
	TAP_EQ("used_id_never_posted_refused", -EPROTO, shadow_next_used(&m, 0, &head, &len));
	v->used->idx--;
	backend_use(&m, (uint32_t)h, 4097);
	v->used->idx += 5;
	TAP_EQ("used_idx_beyond_posted_refused", -EPROTO, shadow_next_used(&m, 0, &head, &len));
	v->used->idx -= 5;
	r = shadow_next_used(&m, 0, &head, &len);
	TAP_CHECK("honest_used_entry", r == 1 && head == (uint32_t)h && len == 4097,
		  "r %d head %u len %u", r, head, len);
	TAP_EQ("peek_does_not_consume", 1, shadow_next_used(&m, 0, &head, &len));
	/* The back-end scribbles over the descriptor links: ignored. */
	for (i = 0; i < SHADOW_QSIZE; i++)
		v->desc[i].next = 0xBEEF;
	shadow_release(&m, 0, head);
	shadow_used_done(&m, 0);
	TAP_EQ("release_returns_descriptors", SHADOW_QSIZE, v->nfree);
	TAP_EQ("consumed", 0, shadow_next_used(&m, 0, &head, &len));

	/* Exhaustion: descriptors, then arena. */
	{
		uint32_t one[SHADOW_QSIZE + 1];
		int posted = 0;

		for (i = 0; i <= SHADOW_QSIZE; i++)
			one[i] = 1;
		put_lens(lb, one, SHADOW_QSIZE + 1);
		TAP_EQ("chain_longer_than_ring_is_too_big", -E2BIG,
		       shadow_post(&m, 0, lb, 1, SHADOW_QSIZE, SHADOW_QSIZE, out, 1));
		while ((r = shadow_post(&m, 0, lb, 1, 0, 0, out, 1)) >= 0)
			posted++;
		TAP_EQ("ring_full_is_eagain", -EAGAIN, r);
		TAP_EQ("arena_limits_before_descriptors", 64 * 1024 / SHADOW_UNIT, posted);
		lens[0] = 70 * 1024;
		put_lens(lb, lens, 1);
		TAP_EQ("chain_larger_than_arena_is_too_big", -E2BIG,
		       shadow_post(&m, 0, lb, 0, 1, 70 * 1024, out, 0));
		/* Complete them all; everything comes back and the links are
		 * still a proper list (posting again succeeds). */
		for (i = 0; i < (uint32_t)posted; i++) {
			uint16_t id = v->avail->ring[(uint16_t)(1 + i) % SHADOW_QSIZE];

			backend_use(&m, id, 1);
			if (shadow_next_used(&m, 0, &head, &len) != 1)
				break;
			shadow_release(&m, 0, head);
			shadow_used_done(&m, 0);
		}
		TAP_EQ("all_completed", (uint32_t)posted, i);
		TAP_EQ("all_descriptors_back", SHADOW_QSIZE, v->nfree);
		lens[0] = 16;
		lens[1] = 4096;
		put_lens(lb, lens, 3);
		TAP_CHECK("posting_works_after_wraparound",
			  shadow_post(&m, 0, lb, 1, 2, 4097, out, 16) >= 0, "%s", "post failed");
	}
	shadow_destroy(&m);

	/* Rewind after a back-end restart: three chains in flight, one used
	 * but not consumed, one consumed; the used one stays used, the other
	 * two are made available again from index 0. */
	{
		uint32_t l1[1] = { 8 };
		int a, b, c, d;

		shadow_create(&m, 1, 64 * 1024);
		v = &m.vq[0];
		put_lens(lb, l1, 1);
		a = shadow_post(&m, 0, lb, 1, 0, 0, out, 8);
		b = shadow_post(&m, 0, lb, 1, 0, 0, out, 8);
		c = shadow_post(&m, 0, lb, 1, 0, 0, out, 8);
		d = shadow_post(&m, 0, lb, 1, 0, 0, out, 8);
		backend_use(&m, (uint32_t)d, 0);
		shadow_next_used(&m, 0, &head, &len);
		shadow_release(&m, 0, head);
		shadow_used_done(&m, 0);
		backend_use(&m, (uint32_t)b, 0);
		TAP_EQ("rewind_ok", 0, shadow_rewind(&m, 0));
		TAP_CHECK("rewind_keeps_unconsumed_used_entry",
			  v->used->idx == 1 && v->used->ring[0].id == (uint32_t)b,
			  "used idx %u id %u", v->used->idx, v->used->ring[0].id);
		TAP_CHECK("rewind_reposts_the_rest_from_zero",
			  v->avail->idx == 2 && ((v->avail->ring[0] == a && v->avail->ring[1] == c) ||
						 (v->avail->ring[0] == c && v->avail->ring[1] == a)),
			  "avail idx %u ring %u %u", v->avail->idx, v->avail->ring[0], v->avail->ring[1]);
		r = shadow_next_used(&m, 0, &head, &len);
		TAP_CHECK("rewound_used_entry_still_delivered", r == 1 && head == (uint32_t)b,
			  "r %d head %u", r, head);
		v->used->idx = 9;
		TAP_EQ("rewind_refuses_impossible_used_ring", -EPROTO, shadow_rewind(&m, 0));
		shadow_destroy(&m);
	}
	return tap_done();
}
