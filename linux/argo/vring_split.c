// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * The device's side of a split virtqueue (see vring_split.h). Every index
 * and pointer read from the ring is bounded before it is used: the ring is
 * the driver's memory, and a driver bug must cost a refused chain, never a
 * read outside the table or an endless walk.
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#else
#include <errno.h>
#endif

#include <argo/virtio-argo.h>
#include "vring_split.h"

#define FAIL(err, msg) do { if (why) *why = (msg); return -(err); } while (0)

int vs_avail_pending(const struct vs_ring *r, uint16_t last, uint16_t avail_idx,
		     const char **why)
{
	uint16_t n = (uint16_t)(avail_idx - last);

	if (n > r->num)
		FAIL(EBADMSG, "avail index runs more than the ring size ahead");
	return n;
}

int vs_avail_head(const struct vs_ring *r, uint16_t idx, uint32_t *head,
		  const char **why)
{
	/* num is a power of two, so this stays inside ring[]. */
	uint32_t h = va_get16(r->avail + 4 + 2 * (idx & (r->num - 1)));

	if (h >= r->num)
		FAIL(EBADMSG, "avail ring names a descriptor beyond the table");
	*head = h;
	return 0;
}

void vs_walk_init(struct vs_walk *w, const struct vs_ring *r, uint32_t head,
		  uint32_t max_segs)
{
	w->r = r;
	w->next = head;
	w->count = 0;
	w->max_segs = max_segs;
	w->in = 0;
	w->done = 0;
}

int vs_walk_next(struct vs_walk *w, struct vs_seg *s, const char **why)
{
	const uint8_t *d;
	uint16_t flags;

	if (w->done)
		return 0;
	if (w->next >= w->r->num)
		FAIL(EBADMSG, "descriptor index beyond the table");
	if (w->count >= w->r->num)
		FAIL(EBADMSG, "descriptor loop");
	if (w->count >= w->max_segs)
		FAIL(EMSGSIZE, "chain longer than the segment limit");
	d = w->r->desc + (uint64_t)VS_DESC_SIZE * w->next;
	s->addr = va_get64(d);
	s->len = va_get32(d + 8);
	flags = va_get16(d + 12);
	if (flags & VS_F_INDIRECT)
		FAIL(EBADMSG, "indirect descriptor (not negotiated)");
	if (flags & ~(VS_F_NEXT | VS_F_WRITE))
		FAIL(EBADMSG, "unknown descriptor flags");
	if (s->addr + s->len < s->addr)
		FAIL(EBADMSG, "buffer address plus length wraps");
	s->write = !!(flags & VS_F_WRITE);
	if (!s->write && w->in)
		FAIL(EBADMSG, "device-readable descriptor after a writable one");
	w->in |= s->write;
	w->count++;
	if (flags & VS_F_NEXT)
		w->next = va_get16(d + 14);
	else
		w->done = 1;
	return 1;
}

int vs_chain_measure(const struct vs_ring *r, uint32_t head, uint32_t max_segs,
		     struct vs_shape *shape, const char **why)
{
	struct vs_walk w;
	struct vs_seg s;
	int ret;

	shape->n_out = shape->n_in = 0;
	shape->out_len = shape->in_len = 0;
	vs_walk_init(&w, r, head, max_segs);
	while ((ret = vs_walk_next(&w, &s, why)) > 0) {
		if (s.write) {
			shape->n_in++;
			shape->in_len += s.len;
		} else {
			shape->n_out++;
			shape->out_len += s.len;
		}
	}
	return ret;
}

void vs_used_put(const struct vs_ring *r, uint16_t idx, uint32_t id,
		 uint32_t len)
{
	uint8_t *e = r->used + 4 + 8 * (idx & (r->num - 1));

	va_put32(e, id);
	va_put32(e + 4, len);
}
