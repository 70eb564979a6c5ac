// SPDX-License-Identifier: MIT
/* Shadow split virtqueues in a memfd (see shadow.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/virtio_ring.h>

#include <argo/virtio-argo.h>
#include "shadow.h"

#define PAGE		4096U
#define RING_BYTES	(3 * PAGE)	/* desc, avail, used: a page each at 256 */

_Static_assert(sizeof(struct vring_desc) * SHADOW_QSIZE <= PAGE, "desc table fits a page");
_Static_assert(4 + 8 * SHADOW_QSIZE + 2 <= PAGE, "used ring fits a page");

int shadow_create(struct shadow_mem *m, uint32_t nq, uint32_t arena_bytes)
{
	uint64_t rings = (uint64_t)nq * RING_BYTES;
	uint32_t q, i;
	int r;

	memset(m, 0, sizeof(*m));
	m->fd = -1;
	m->nq = nq;
	m->arena_units = arena_bytes / SHADOW_UNIT;
	m->size = rings + (uint64_t)m->arena_units * SHADOW_UNIT;
	m->vq = calloc(nq, sizeof(*m->vq));
	m->used_map = calloc(m->arena_units, 1);
	if (!m->vq || !m->used_map) {
		r = -ENOMEM;
		goto err;
	}
	for (q = 0; q < nq; q++)
		m->vq[q].kick_fd = m->vq[q].call_fd = -1;
	m->fd = memfd_create("virtio-argo-shadow", MFD_CLOEXEC);
	if (m->fd < 0 || ftruncate(m->fd, (off_t)m->size) < 0) {
		r = -errno;
		goto err;
	}
	m->base = mmap(NULL, m->size, PROT_READ | PROT_WRITE, MAP_SHARED, m->fd, 0);
	if (m->base == MAP_FAILED) {
		m->base = NULL;
		r = -errno;
		goto err;
	}
	m->arena = m->base + rings;
	m->arena_gpa = SHADOW_GPA + rings;
	for (q = 0; q < nq; q++) {
		struct shadow_vq *v = &m->vq[q];
		uint64_t off = (uint64_t)q * RING_BYTES;

		v->desc = (struct vring_desc *)(m->base + off);
		v->avail = (struct vring_avail *)(m->base + off + PAGE);
		v->used = (struct vring_used *)(m->base + off + 2 * PAGE);
		v->desc_gpa = SHADOW_GPA + off;
		v->avail_gpa = v->desc_gpa + PAGE;
		v->used_gpa = v->desc_gpa + 2 * PAGE;
		for (i = 0; i < SHADOW_QSIZE; i++)
			v->next[i] = (uint16_t)(i + 1);
		v->free_head = 0;
		v->nfree = SHADOW_QSIZE;
		v->kick_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		v->call_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (v->kick_fd < 0 || v->call_fd < 0) {
			r = -errno;
			goto err;
		}
	}
	return 0;
err:
	shadow_destroy(m);
	return r;
}

void shadow_destroy(struct shadow_mem *m)
{
	uint32_t q;

	for (q = 0; m->vq && q < m->nq; q++) {
		if (m->vq[q].kick_fd >= 0)
			close(m->vq[q].kick_fd);
		if (m->vq[q].call_fd >= 0)
			close(m->vq[q].call_fd);
	}
	if (m->base)
		munmap(m->base, m->size);
	if (m->fd >= 0)
		close(m->fd);
	free(m->vq);
	free(m->used_map);
	memset(m, 0, sizeof(*m));
	m->fd = -1;
}

/* First fit from a rotating cursor; returns the first unit or -1. */
static int64_t arena_alloc(struct shadow_mem *m, uint32_t units)
{
	uint32_t tries, start = m->cursor, run = 0, i;

	if (units == 0 || units > m->arena_units)
		return -1;
	for (tries = 0; tries < m->arena_units + units; tries++) {
		i = (start + tries) % m->arena_units;
		if (i == 0)
			run = 0;	/* blocks never wrap the arena's end */
		if (m->used_map[i]) {
			run = 0;
			continue;
		}
		if (++run == units) {
			uint32_t first = i + 1 - units;

			memset(m->used_map + first, 1, units);
			m->cursor = (first + units) % m->arena_units;
			return first;
		}
	}
	return -1;
}

int shadow_post(struct shadow_mem *m, uint32_t q, const uint8_t *seg_lens_le,
		uint16_t n_out, uint16_t n_in, uint32_t in_len,
		const uint8_t *out_data, uint32_t out_len)
{
	struct shadow_vq *v = &m->vq[q];
	uint32_t nseg = (uint32_t)n_out + n_in, units, i;
	uint64_t total = (uint64_t)out_len + in_len, gpa, off;
	struct shadow_chain *c;
	uint16_t head, d = 0;
	int64_t block;

	units = (uint32_t)((total + SHADOW_UNIT - 1) / SHADOW_UNIT);
	if (units == 0)
		units = 1;
	if (nseg > SHADOW_QSIZE || units > m->arena_units)
		return -E2BIG;
	if (nseg > v->nfree)
		return -EAGAIN;
	block = arena_alloc(m, units);
	if (block < 0)
		return -EAGAIN;

	off = (uint64_t)block * SHADOW_UNIT;
	memcpy(m->arena + off, out_data, out_len);
	gpa = m->arena_gpa + off;
	head = v->free_head;
	for (i = 0; i < nseg; i++) {
		uint32_t len = va_get32(seg_lens_le + 4 * i);

		d = v->free_head;
		v->free_head = v->next[d];
		/* The chain follows our free list, so next[d] is the next link. */
		v->desc[d].next = v->next[d];
		v->desc[d].addr = gpa;
		v->desc[d].len = len;
		v->desc[d].flags = (uint16_t)((i >= n_out ? VRING_DESC_F_WRITE : 0) |
					      (i + 1 < nseg ? VRING_DESC_F_NEXT : 0));
		gpa += len;
	}
	v->nfree -= nseg;
	c = &v->chains[head];
	memset(c, 0, sizeof(*c));
	c->busy = 1;
	c->ndesc = nseg;
	c->block = (uint32_t)block;
	c->nblocks = units;
	c->in_off = (uint32_t)off + out_len;
	c->in_len = in_len;
	v->avail->ring[v->avail_idx % SHADOW_QSIZE] = head;
	v->avail_idx++;
	v->inflight++;
	/* The ring entry must be visible before the index that publishes it. */
	__atomic_store_n(&v->avail->idx, v->avail_idx, __ATOMIC_RELEASE);
	return head;
}

void shadow_kick(struct shadow_mem *m, uint32_t q)
{
	uint64_t one = 1;

	if (write(m->vq[q].kick_fd, &one, 8) != 8) {
		/* The counter cannot overflow at our rates; nothing to do. */
	}
}

int shadow_next_used(struct shadow_mem *m, uint32_t q, uint32_t *head, uint32_t *len)
{
	struct shadow_vq *v = &m->vq[q];
	uint16_t idx = __atomic_load_n(&v->used->idx, __ATOMIC_ACQUIRE);
	struct vring_used_elem e;

	if (idx == v->last_used)
		return 0;
	/* More entries than we ever posted: the back-end is broken. */
	if ((uint16_t)(idx - v->last_used) > v->inflight)
		return -EPROTO;
	e = v->used->ring[v->last_used % SHADOW_QSIZE];
	if (e.id >= SHADOW_QSIZE || !v->chains[e.id].busy)
		return -EPROTO;
	*head = e.id;
	*len = e.len;
	return 1;
}

const uint8_t *shadow_in_data(struct shadow_mem *m, uint32_t q, uint32_t head)
{
	return m->arena + m->vq[q].chains[head].in_off;
}

void shadow_release(struct shadow_mem *m, uint32_t q, uint32_t head)
{
	struct shadow_vq *v = &m->vq[q];
	struct shadow_chain *c = &v->chains[head];
	uint16_t last = (uint16_t)head;
	uint32_t i;

	/* Walk our private links: the descriptor table is writable by the
	 * back-end, so nothing is read back from it. */
	for (i = 1; i < c->ndesc; i++)
		last = v->next[last];
	v->next[last] = v->free_head;
	v->free_head = (uint16_t)head;
	v->nfree += c->ndesc;
	memset(m->used_map + c->block, 0, c->nblocks);
	v->inflight--;
	c->busy = 0;
}

void shadow_used_done(struct shadow_mem *m, uint32_t q)
{
	m->vq[q].last_used++;
}

int shadow_rewind(struct shadow_mem *m, uint32_t q)
{
	struct shadow_vq *v = &m->vq[q];
	struct vring_used_elem keep[SHADOW_QSIZE];
	uint8_t used[SHADOW_QSIZE] = { 0 };
	uint16_t pend = (uint16_t)(v->used->idx - v->last_used), i, n = 0;
	uint32_t h;

	if (pend > v->inflight)
		return -EPROTO;
	for (i = 0; i < pend; i++) {
		keep[i] = v->used->ring[(uint16_t)(v->last_used + i) % SHADOW_QSIZE];
		if (keep[i].id >= SHADOW_QSIZE || !v->chains[keep[i].id].busy ||
		    used[keep[i].id])
			return -EPROTO;
		used[keep[i].id] = 1;
	}
	for (i = 0; i < pend; i++)
		v->used->ring[i] = keep[i];
	v->used->idx = pend;
	v->last_used = 0;
	for (h = 0; h < SHADOW_QSIZE; h++)
		if (v->chains[h].busy && !used[h])
			v->avail->ring[n++] = (uint16_t)h;
	v->avail_idx = n;
	__atomic_store_n(&v->avail->idx, n, __ATOMIC_RELEASE);
	return 0;
}
