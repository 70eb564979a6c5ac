/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Argo receive-ring arithmetic, shared by the kernel module and the host
 * unit tests so both exercise the same code. No locking, no memory access
 * beyond the ring bytes handed in: callers snapshot rx/tx with the right
 * barriers and pass plain values.
 *
 * Layout (Xen's): messages start on 16-byte slots; each is a 16-byte
 * header (len counts header + payload) followed by the payload, which may
 * wrap past the end of the ring. A message never fills the ring: one slot
 * always stays free so rx == tx means empty.
 */
#ifndef ARGO_RINGBUF_H
#define ARGO_RINGBUF_H

#include "xen_argo_abi.h"

#define ARGO_MSG_HDR_SIZE	16U
/* Xen refuses rings smaller than this (header + two minimal slots). */
#define ARGO_MIN_RING_SIZE	(ARGO_MSG_HDR_SIZE + 2 * ARGO_MSG_SLOT_SIZE)
/*
 * Xen 4.17 takes at most 4096 pages per ring, and the 64-byte ring header
 * shares them, so a full 16 MiB ring (4097 pages) is refused unless Xen has
 * the project's fix: stay below it so the driver works on every Xen.
 */
#define ARGO_MAX_USABLE_RING_SIZE \
	(ARGO_MAX_RING_SIZE - (u32)sizeof(struct argo_xen_ring))

static inline u32 argo_roundup_slot(u32 n)
{
	return (n + ARGO_MSG_SLOT_SIZE - 1) & ~(ARGO_MSG_SLOT_SIZE - 1);
}

/* One message as found in a ring, validated against the ring's bounds. */
struct argo_ringbuf_msg {
	struct argo_xen_addr source;
	u32 type;
	u32 payload_len;
	u32 payload_off;	/* offset of the first payload byte */
	u32 next_rx;		/* rx_ptr after consuming the message */
};

/* A contiguous piece of a possibly wrapped region of the ring. */
struct argo_ringbuf_seg {
	u32 off;
	u32 len;
};

int argo_ringbuf_valid_len(u32 ring_len);
u32 argo_ringbuf_max_payload(u32 ring_len);
u32 argo_ringbuf_used(u32 rx, u32 tx, u32 ring_len);
int argo_ringbuf_fits(u32 rx, u32 tx, u32 ring_len, u32 payload_len);
int argo_ringbuf_peek(const u8 *ring, u32 ring_len, u32 rx, u32 tx,
		      struct argo_ringbuf_msg *msg);
unsigned int argo_ringbuf_segments(u32 ring_len, u32 off, u32 len,
				   struct argo_ringbuf_seg seg[2]);
u32 argo_ringbuf_npages(u32 ring_len, u32 page_size);

#endif /* ARGO_RINGBUF_H */
