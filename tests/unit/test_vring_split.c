// SPDX-License-Identifier: MIT
/*
 * The split-ring walker virtio_argo.ko runs on its own guest's vrings
 * (linux/argo/vring_split.c): good chains measured and walked as the
 * transport does, and every hostile ring shape refused with the error
 * that names it, never a read outside the table or an endless walk.
 * The tables live in heap buffers of exact size, so ASan catches any
 * read past them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <argo/virtio-argo.h>
#include "vring_split.h"
#include "tap.h"

#define NUM 8U

static uint8_t *desc, *avail, *used;
static struct vs_ring R;

static void ring_new(uint32_t num)
{
	free(desc);
	free(avail);
	free(used);
	desc = calloc(num, VS_DESC_SIZE);
	avail = calloc(1, 4 + 2 * num);
	used = calloc(1, 4 + 8 * num);
	R.desc = desc;
	R.avail = avail;
	R.used = used;
	R.num = num;
}

static void set_desc(uint32_t i, uint64_t addr, uint32_t len, uint16_t flags,
		     uint16_t next)
{
	uint8_t *d = desc + VS_DESC_SIZE * i;

	va_put64(d, addr);
	va_put32(d + 8, len);
	va_put16(d + 12, flags);
	va_put16(d + 14, next);
}

static int walk_all(uint32_t head, uint32_t max, const char **why, int *nsegs)
{
	struct vs_walk w;
	struct vs_seg s;
	int r;

	*nsegs = 0;
	vs_walk_init(&w, &R, head, max);
	while ((r = vs_walk_next(&w, &s, why)) > 0)
		(*nsegs)++;
	return r;
}

/* One hostile shape: the walk must fail with err and name it. */
static void refuse(const char *name, uint32_t head, uint32_t max, int err,
		   const char *want)
{
	const char *why = NULL;
	struct vs_shape sh;
	int n, r = walk_all(head, max, &why, &n);

	TAP_CHECK(name, r == -err && why && strstr(why, want),
		  "expected -%d naming '%s', got %d (%s)", err, want, r, why ? why : "-");
	r = vs_chain_measure(&R, head, max, &sh, NULL);
	TAP_EQ("measure_refuses_it_too", -err, r);
}

int main(void)
{
	struct vs_shape sh;
	const char *why;
	uint32_t head;
	int n, r;

	tap_plan(37);
	ring_new(NUM);

	/* A virtio-blk request: header out, data in, status in. */
	set_desc(2, 0x1000, 16, VS_F_NEXT, 5);
	set_desc(5, 0x2000, 4096, VS_F_NEXT | VS_F_WRITE, 7);
	set_desc(7, 0x3000, 1, VS_F_WRITE, 0);
	r = vs_chain_measure(&R, 2, NUM, &sh, NULL);
	TAP_EQ("good_chain_measures", 0, r);
	TAP_EQ("good_chain_n_out", 1, sh.n_out);
	TAP_EQ("good_chain_n_in", 2, sh.n_in);
	TAP_EQ("good_chain_out_len", 16, sh.out_len);
	TAP_EQ("good_chain_in_len", 4097, sh.in_len);
	r = walk_all(2, NUM, &why, &n);
	TAP_CHECK("good_chain_walks_three_segments", r == 0 && n == 3, "got %d, %d segments", r, n);

	/* A single descriptor is a chain of one; zero length is allowed. */
	set_desc(0, 0x4000, 0, 0, 0);
	r = vs_chain_measure(&R, 0, NUM, &sh, NULL);
	TAP_CHECK("single_zero_length_descriptor", r == 0 && sh.n_out == 1 && sh.out_len == 0,
		  "got %d n_out %u", r, sh.n_out);

	/* The longest legal chain: every descriptor once. */
	for (head = 0; head < NUM; head++)
		set_desc(head, 0x1000 * head, 8, head + 1 < NUM ? VS_F_NEXT : 0, head + 1);
	r = vs_chain_measure(&R, 0, NUM, &sh, NULL);
	TAP_CHECK("chain_of_num_descriptors", r == 0 && sh.n_out == NUM, "got %d, %u", r, sh.n_out);
	refuse("chain_over_segment_limit", 0, NUM - 1, EMSGSIZE, "segment limit");

	/* Hostile shapes. */
	refuse("head_beyond_table", NUM, NUM, EBADMSG, "beyond the table");
	set_desc(0, 0x1000, 8, VS_F_NEXT, NUM);
	refuse("next_beyond_table", 0, NUM, EBADMSG, "beyond the table");
	set_desc(0, 0x1000, 8, VS_F_NEXT, 0xFFFF);
	refuse("next_0xffff", 0, NUM, EBADMSG, "beyond the table");
	set_desc(0, 0x1000, 8, VS_F_NEXT, 0);
	refuse("self_loop", 0, NUM, EBADMSG, "loop");
	set_desc(0, 0x1000, 8, VS_F_NEXT, 1);
	set_desc(1, 0x1000, 8, VS_F_NEXT, 2);
	set_desc(2, 0x1000, 8, VS_F_NEXT, 0);
	refuse("three_descriptor_loop", 0, NUM, EBADMSG, "loop");
	set_desc(0, 0x1000, 8, VS_F_INDIRECT, 0);
	refuse("indirect_not_negotiated", 0, NUM, EBADMSG, "indirect");
	set_desc(0, 0x1000, 8, 0x8, 0);
	refuse("unknown_flag", 0, NUM, EBADMSG, "unknown descriptor flags");
	set_desc(0, 0x1000, 8, VS_F_NEXT | VS_F_WRITE, 1);
	set_desc(1, 0x2000, 8, 0, 0);
	refuse("out_after_in", 0, NUM, EBADMSG, "readable descriptor after a writable");
	set_desc(0, UINT64_MAX - 4, 8, 0, 0);
	refuse("address_plus_length_wraps", 0, NUM, EBADMSG, "wraps");

	/* The available ring. */
	why = NULL;
	TAP_EQ("avail_none_pending", 0, vs_avail_pending(&R, 5, 5, &why));
	TAP_EQ("avail_num_pending", NUM, vs_avail_pending(&R, 5, 5 + NUM, &why));
	TAP_EQ("avail_pending_across_wrap", 3, vs_avail_pending(&R, 0xFFFE, 1, &why));
	r = vs_avail_pending(&R, 5, 6 + NUM, &why);
	TAP_CHECK("avail_index_too_far_ahead", r == -EBADMSG && why, "got %d", r);
	r = vs_avail_pending(&R, 5, 4, &why);
	TAP_CHECK("avail_index_moved_back", r == -EBADMSG, "got %d", r);
	va_put16(avail + 4 + 2 * 3, 6);
	r = vs_avail_head(&R, 3 + NUM * 100, &head, &why);
	TAP_CHECK("avail_entry_index_wraps_mod_num", r == 0 && head == 6, "got %d head %u", r, head);
	va_put16(avail + 4 + 2 * 4, NUM);
	why = NULL;
	r = vs_avail_head(&R, 4, &head, &why);
	TAP_CHECK("avail_entry_beyond_table", r == -EBADMSG && why, "got %d", r);

	/* The used ring: entries land mod num, little-endian. */
	vs_used_put(&R, NUM + 2, 0x01020304, 0x0A0B0C0D);
	TAP_CHECK("used_entry_written_mod_num",
		  va_get32(used + 4 + 8 * 2) == 0x01020304 && va_get32(used + 8 + 8 * 2) == 0x0A0B0C0D,
		  "got id 0x%x len 0x%x", va_get32(used + 4 + 16), va_get32(used + 8 + 16));

	/* Random tables: every walk ends, within num descriptors. */
	{
		int bad = 0, i, k;

		for (i = 0; i < 20000 && !bad; i++) {
			uint32_t num = 1U << rnd(6);

			ring_new(num);
			for (k = 0; k < (int)(num * VS_DESC_SIZE); k++)
				desc[k] = (uint8_t)rnd(256);
			for (k = 0; k < (int)num; k++)
				if (rnd(2))
					va_put16(desc + VS_DESC_SIZE * k + 14, (uint16_t)rnd(num + 2));
			r = walk_all(rnd(num + 1), num, &why, &n);
			if (r > 0 || n > (int)num)
				bad = 1;
		}
		TAP_CHECK("random_tables_every_walk_ends_within_num", !bad, "iteration %d: %d segments", i, n);
	}
	free(desc);
	free(avail);
	free(used);
	return tap_done();
}
