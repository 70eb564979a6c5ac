// SPDX-License-Identifier: GPL-2.0-only
/*
 * Argo receive-ring arithmetic (see ringbuf.h). Every value read from the
 * ring is treated as hostile: the ring lives in our memory but a bug, or
 * a compromised peer of a future extension, must not make us read outside
 * it, so each length is checked against what the ring can hold.
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <string.h>
#endif

#include "ringbuf.h"

/* A ring length Xen's register_ring accepts: slot-aligned, within limits. */
int argo_ringbuf_valid_len(u32 ring_len)
{
	return ring_len >= ARGO_MIN_RING_SIZE && ring_len <= ARGO_MAX_USABLE_RING_SIZE &&
	       argo_roundup_slot(ring_len) == ring_len;
}

/*
 * Largest payload Xen will ever put in an empty ring of this length: it
 * needs roundup(payload) + header < ring_len (argo.c ringbuf_insert).
 */
u32 argo_ringbuf_max_payload(u32 ring_len)
{
	if (ring_len <= ARGO_MSG_HDR_SIZE + ARGO_MSG_SLOT_SIZE)
		return 0;
	return ring_len - ARGO_MSG_HDR_SIZE - ARGO_MSG_SLOT_SIZE;
}

/* Bytes between rx and tx, both already known to be < ring_len. */
u32 argo_ringbuf_used(u32 rx, u32 tx, u32 ring_len)
{
	return tx >= rx ? tx - rx : ring_len - rx + tx;
}

/* Would Xen accept a message of payload_len bytes now? Mirrors ringbuf_insert. */
int argo_ringbuf_fits(u32 rx, u32 tx, u32 ring_len, u32 payload_len)
{
	u32 space = ring_len - argo_ringbuf_used(rx, tx, ring_len);

	if (payload_len > argo_ringbuf_max_payload(ring_len))
		return 0;
	return argo_roundup_slot(payload_len) + ARGO_MSG_HDR_SIZE < space;
}

/*
 * Find the message at rx. Returns 0 and fills msg, -EAGAIN when the ring is
 * empty, or -EBADMSG when the pointers or the header are inconsistent (the
 * caller should then drop the ring's contents rather than trust them).
 */
int argo_ringbuf_peek(const u8 *ring, u32 ring_len, u32 rx, u32 tx,
		      struct argo_ringbuf_msg *msg)
{
	struct argo_xen_msg_header hdr;
	u32 used, total;

	if (!argo_ringbuf_valid_len(ring_len) || rx >= ring_len || tx >= ring_len ||
	    rx % ARGO_MSG_SLOT_SIZE || tx % ARGO_MSG_SLOT_SIZE)
		return -EBADMSG;
	if (rx == tx)
		return -EAGAIN;

	/* rx is slot-aligned and the header is one slot: it cannot wrap. */
	memcpy(&hdr, ring + rx, sizeof(hdr));
	used = argo_ringbuf_used(rx, tx, ring_len);
	/*
	 * hdr.len <= used also bounds the slots the message takes: rx, tx and
	 * ring_len are slot multiples, so used is one, and rounding hdr.len up
	 * to a slot cannot pass it. So the payload lies wholly inside what Xen
	 * has written. (Checked before rounding, which overflows near 4 GiB.)
	 */
	if (hdr.len < ARGO_MSG_HDR_SIZE || hdr.len > used)
		return -EBADMSG;
	total = argo_roundup_slot(hdr.len);

	msg->source = hdr.source;
	msg->type = hdr.message_type;
	msg->payload_len = hdr.len - ARGO_MSG_HDR_SIZE;
	msg->payload_off = (rx + ARGO_MSG_HDR_SIZE) % ring_len;
	msg->next_rx = (rx + total) % ring_len;
	return 0;
}

/*
 * Split [off, off + len) of a ring of ring_len bytes into at most two
 * contiguous pieces. off < ring_len and len <= ring_len are required.
 */
unsigned int argo_ringbuf_segments(u32 ring_len, u32 off, u32 len,
				   struct argo_ringbuf_seg seg[2])
{
	u32 first = ring_len - off;

	if (len == 0)
		return 0;
	if (len <= first) {
		seg[0].off = off;
		seg[0].len = len;
		return 1;
	}
	seg[0].off = off;
	seg[0].len = first;
	seg[1].off = 0;
	seg[1].len = len - first;
	return 2;
}

/* Pages Xen expects for a ring of ring_len bytes (argo.c NPAGES_RING). */
u32 argo_ringbuf_npages(u32 ring_len, u32 page_size)
{
	u32 bytes = argo_roundup_slot(ring_len) + (u32)sizeof(struct argo_xen_ring);

	return (bytes + page_size - 1) / page_size;
}
