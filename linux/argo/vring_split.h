/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/*
 * A split virtqueue read from the device's side, for virtio_argo.ko,
 * which plays the device for its own guest's vrings (Debian builds no
 * vringh). Shared with the host unit tests (tests/unit/test_vring_split.c),
 * so every hostile ring shape is tested on the exact code the module runs.
 *
 * The ring is raw memory laid out as virtio 1.x says (little-endian,
 * VIRTIO_F_VERSION_1): descriptors of 16 bytes (le64 addr, le32 len,
 * le16 flags, le16 next), the available ring (le16 flags, le16 idx,
 * le16 ring[num]) and the used ring (le16 flags, le16 idx, then
 * {le32 id, le32 len}[num]). The indices avail->idx and used->idx are
 * read and written by the caller with its own atomic accessors and
 * barriers: this code only reads the entries those indices publish.
 *
 * No allocation, no lock, no sleeping: callable in any context.
 * Errors: -EBADMSG for a malformed ring or chain (with *why naming it),
 * -EMSGSIZE for a chain over the caller's limits.
 */
#ifndef ARGO_VRING_SPLIT_H
#define ARGO_VRING_SPLIT_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
#endif

#define VS_DESC_SIZE	16U
#define VS_F_NEXT	1U
#define VS_F_WRITE	2U
#define VS_F_INDIRECT	4U

struct vs_ring {
	const uint8_t *desc;	/* num descriptors */
	const uint8_t *avail;	/* 4 + 2 * num bytes (+2 with EVENT_IDX) */
	uint8_t *used;		/* 4 + 8 * num bytes (+2 with EVENT_IDX) */
	uint32_t num;		/* a power of two, 1..32768 */
};

/* One segment of a chain, as the walk finds it. */
struct vs_seg {
	uint64_t addr;
	uint32_t len;
	int write;		/* device-writable (an in-segment) */
};

/* The shape of a whole chain, from vs_chain_measure(). */
struct vs_shape {
	uint32_t n_out, n_in;
	uint64_t out_len, in_len;
};

struct vs_walk {
	const struct vs_ring *r;
	uint32_t next;		/* descriptor to read next */
	uint32_t count;		/* descriptors read */
	uint32_t max_segs;
	int in;			/* an in-segment was seen */
	int done;
};

/*
 * How many chains the driver made available past last: avail_idx is the
 * value the caller read from avail->idx. Fails with -EBADMSG when it runs
 * more than num ahead (a corrupted index).
 */
int vs_avail_pending(const struct vs_ring *r, uint16_t last, uint16_t avail_idx,
		     const char **why);

/* The head descriptor of available entry idx (mod num); -EBADMSG if the
 * driver wrote an index beyond the table. */
int vs_avail_head(const struct vs_ring *r, uint16_t idx, uint32_t *head,
		  const char **why);

/*
 * Walk the chain starting at head. max_segs bounds its length (beyond
 * num it can only be a loop). vs_walk_next() returns 1 with the next
 * segment, 0 after the last, or a negative errno: a head or next pointer
 * out of the table, a descriptor loop (more than num), more than max_segs
 * (-EMSGSIZE), flags other than NEXT and WRITE (INDIRECT is never
 * negotiated), a device-readable segment after a writable one, or a
 * buffer whose address plus length wraps.
 */
void vs_walk_init(struct vs_walk *w, const struct vs_ring *r, uint32_t head,
		  uint32_t max_segs);
int vs_walk_next(struct vs_walk *w, struct vs_seg *s, const char **why);

/* Walk the whole chain once, validating it, and sum its shape. */
int vs_chain_measure(const struct vs_ring *r, uint32_t head, uint32_t max_segs,
		     struct vs_shape *shape, const char **why);

/* Write used entry idx (mod num). The caller publishes used->idx after a
 * write barrier. */
void vs_used_put(const struct vs_ring *r, uint16_t idx, uint32_t id,
		 uint32_t len);

#endif /* ARGO_VRING_SPLIT_H */
