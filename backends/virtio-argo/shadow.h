/* SPDX-License-Identifier: MIT */
/*
 * The shadow virtqueues: split rings and a buffer arena in one memfd that
 * the vhost-user back-end maps (the bridge's "guest memory"). Each chain a
 * frontend sends is copied into one contiguous arena block (out bytes,
 * then room for in bytes), described by descriptors with the same segment
 * lengths, and posted; the back-end's used entries come back here.
 *
 * The back-end is trusted with this memory but not believed: every used
 * entry's id and length is checked before the bridge acts on it.
 */
#ifndef SHADOW_H
#define SHADOW_H

#include <stdint.h>

#define SHADOW_QSIZE	256U		/* descriptors per shadow ring */
#define SHADOW_GPA	0x100000ULL	/* where the back-end sees the memfd */
#define SHADOW_UNIT	512U		/* arena allocation granularity */

struct shadow_chain {
	int busy;
	uint32_t ndesc;
	uint32_t block, nblocks;	/* arena units */
	uint32_t in_off, in_len;	/* in bytes inside the block */
	/* Who asked: the frontend queue, chain id and epoch, and whether a
	 * reset has since made its answer unwanted. */
	uint16_t fq;
	uint32_t chain_id, epoch;
	int cancelled;
};

struct vring_desc;
struct vring_avail;
struct vring_used;

struct shadow_vq {
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	uint64_t desc_gpa, avail_gpa, used_gpa;
	uint16_t avail_idx, last_used;
	uint16_t free_head;
	uint16_t next[SHADOW_QSIZE];	/* free list and chain links, private */
	uint32_t nfree;
	int kick_fd, call_fd;
	struct shadow_chain chains[SHADOW_QSIZE];	/* by head descriptor */
	uint32_t inflight;
};

struct shadow_mem {
	int fd;
	uint8_t *base;
	uint64_t size;
	uint32_t nq;
	struct shadow_vq *vq;
	uint8_t *arena;
	uint64_t arena_gpa;
	uint32_t arena_units;
	uint8_t *used_map;		/* one byte per unit: simple and fast enough */
	uint32_t cursor;
};

/* Create the memfd for nq rings and an arena of arena_bytes. 0 or -errno. */
int shadow_create(struct shadow_mem *m, uint32_t nq, uint32_t arena_bytes);
void shadow_destroy(struct shadow_mem *m);

/*
 * Post a chain: seg_lens[n_out + n_in], out bytes copied from out_data.
 * Returns the head (>= 0), -EAGAIN when descriptors or arena space are
 * short now (retry after completions), -E2BIG when it can never fit.
 * The caller kicks once after a batch (shadow_kick).
 */
int shadow_post(struct shadow_mem *m, uint32_t q, const uint8_t *seg_lens_le,
		uint16_t n_out, uint16_t n_in, uint32_t in_len,
		const uint8_t *out_data, uint32_t out_len);
void shadow_kick(struct shadow_mem *m, uint32_t q);

/*
 * Peek at the next used entry of queue q: returns 1 and the head and the
 * back-end's length, 0 when none, -EPROTO when the back-end wrote an
 * impossible entry (id out of range or not in flight). shadow_used_done()
 * consumes it once handled, so a full frontend ring leaves it for later.
 */
int shadow_next_used(struct shadow_mem *m, uint32_t q, uint32_t *head, uint32_t *len);
void shadow_used_done(struct shadow_mem *m, uint32_t q);
/*
 * After the back-end restarted: lay queue q's rings out afresh for a new
 * back-end starting at avail index 0. Used entries not yet consumed stay
 * (moved to the start of the used ring, whose index the new back-end
 * continues from); every other chain in flight is made available again.
 * 0, or -EPROTO if the used ring is impossible.
 */
int shadow_rewind(struct shadow_mem *m, uint32_t q);
/* In-data of a chain and release of its descriptors and arena block. */
const uint8_t *shadow_in_data(struct shadow_mem *m, uint32_t q, uint32_t head);
void shadow_release(struct shadow_mem *m, uint32_t q, uint32_t head);

#endif
