// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Argo device discovery: the one encoder, decoder and validator of the
 * wire format (include/argo/discovery.h, docs/discovery.md). It builds in
 * argo.ko, for the virtio transport, and in userspace (argo-discoveryd,
 * argo-discover, the host tests and fuzzers), hence the dual licence: the
 * MIT tools link this very file.
 *
 * Everything received is hostile: a length is trusted only after it has
 * been compared with the number of bytes that really arrived, and no byte
 * is read before that comparison says it exists.
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <string.h>
#endif

#include <argo/discovery.h>

/* Payload sizes of the fixed-size messages. */
#define GET_REQ_SIZE	4
#define GET_RESP_FIXED	8
#define PING_SIZE	4
#define SUB_REQ_SIZE	8
#define EVENT_SIZE	(8 + ARGO_DISC_DEV_SIZE)

static __u16 get16(const __u8 *p)
{
	return (__u16)(p[0] | p[1] << 8);
}

static __u32 get32(const __u8 *p)
{
	return (__u32)p[0] | (__u32)p[1] << 8 | (__u32)p[2] << 16 | (__u32)p[3] << 24;
}

static __u64 get64(const __u8 *p)
{
	return (__u64)get32(p) | (__u64)get32(p + 4) << 32;
}

static void put16(__u8 *p, __u16 v)
{
	p[0] = (__u8)v;
	p[1] = (__u8)(v >> 8);
}

static void put32(__u8 *p, __u32 v)
{
	put16(p, (__u16)v);
	put16(p + 2, (__u16)(v >> 16));
}

static void put64(__u8 *p, __u64 v)
{
	put32(p, (__u32)v);
	put32(p + 4, (__u32)(v >> 32));
}

const char *argo_disc_dev_invalid(const struct argo_disc_dev *d)
{
	if (!d->dev_num)
		return "device number 0";
	if (!d->device_id || d->device_id > ARGO_DISC_DEVICE_ID_MAX)
		return "virtio device id out of range";
	if (!d->num_queues || d->num_queues > ARGO_DISC_QUEUES_MAX)
		return "queue count out of range";
	if (!d->queue_size || (d->queue_size & (d->queue_size - 1)))
		return "queue size not a power of two";
	if (d->backend_ring < ARGO_DISC_RING_MIN || d->backend_ring > ARGO_DISC_RING_MAX ||
	    d->backend_ring % 16)
		return "backend ring size out of range";
	if (d->frontend_ring < ARGO_DISC_RING_MIN || d->frontend_ring > ARGO_DISC_RING_MAX ||
	    d->frontend_ring % 16)
		return "frontend ring size out of range";
	return NULL;
}
#ifdef __KERNEL__
EXPORT_SYMBOL_GPL(argo_disc_dev_invalid);
#endif

/* p holds ARGO_DISC_DEV_SIZE bytes. */
static const char *dev_decode(const __u8 *p, struct argo_disc_dev *d)
{
	d->dev_num = get16(p);
	d->num_queues = get16(p + 2);
	d->device_id = get32(p + 4);
	d->vendor_id = get32(p + 8);
	d->backend_port = get32(p + 12);
	d->backend_ring = get32(p + 16);
	d->frontend_ring = get32(p + 20);
	d->queue_size = get16(p + 24);
	d->features = get64(p + 32);
	if (get16(p + 26) || get32(p + 28))
		return "device record reserved field not zero";
	return argo_disc_dev_invalid(d);
}

static void dev_encode(__u8 *p, const struct argo_disc_dev *d)
{
	put16(p, d->dev_num);
	put16(p + 2, d->num_queues);
	put32(p + 4, d->device_id);
	put32(p + 8, d->vendor_id);
	put32(p + 12, d->backend_port);
	put32(p + 16, d->backend_ring);
	put32(p + 20, d->frontend_ring);
	put16(p + 24, d->queue_size);
	put16(p + 26, 0);
	put32(p + 28, 0);
	put64(p + 32, d->features);
}

void argo_disc_record(const struct argo_disc_msg *m, unsigned int i,
		      struct argo_disc_dev *dev)
{
	/* Validated by argo_disc_decode(): cannot fail here. */
	dev_decode(m->u.get_resp.records + (size_t)i * ARGO_DISC_DEV_SIZE, dev);
}
#ifdef __KERNEL__
EXPORT_SYMBOL_GPL(argo_disc_record);
#endif

static int fail(struct argo_disc_msg *m, int status, const char *why)
{
	m->why = why;
	return status;
}

/* The payload of a GET_DEVICES response: n records after the fixed part. */
static int decode_get_resp(const __u8 *p, __u32 plen, struct argo_disc_msg *m)
{
	struct argo_disc_dev d;
	const char *why;
	__u32 i, last = 0;

	if (plen < GET_RESP_FIXED)
		return fail(m, ARGO_DISC_E_LENGTH, "GET_DEVICES response truncated");
	m->u.get_resp.offset = get16(p);
	m->u.get_resp.next_offset = get16(p + 2);
	m->u.get_resp.count = get16(p + 4);
	if (get16(p + 6))
		return fail(m, ARGO_DISC_E_INVALID, "GET_DEVICES reserved field not zero");
	if (m->u.get_resp.count > ARGO_DISC_RECORDS_MAX)
		return fail(m, ARGO_DISC_E_LENGTH, "GET_DEVICES record count over the limit");
	/* count is at most ARGO_DISC_RECORDS_MAX, so this cannot overflow. */
	if (plen != GET_RESP_FIXED + (__u32)m->u.get_resp.count * ARGO_DISC_DEV_SIZE)
		return fail(m, ARGO_DISC_E_LENGTH,
			    "GET_DEVICES record count disagrees with the message length");
	m->u.get_resp.records = p + GET_RESP_FIXED;
	for (i = 0; i < m->u.get_resp.count; i++) {
		why = dev_decode(p + GET_RESP_FIXED + i * ARGO_DISC_DEV_SIZE, &d);
		if (why)
			return fail(m, ARGO_DISC_E_INVALID, why);
		if (d.dev_num < m->u.get_resp.offset || d.dev_num <= last)
			return fail(m, ARGO_DISC_E_INVALID,
				    "GET_DEVICES records out of order or outside the window");
		last = d.dev_num;
	}
	if (m->u.get_resp.next_offset &&
	    (m->u.get_resp.next_offset <= last ||
	     m->u.get_resp.next_offset <= m->u.get_resp.offset))
		return fail(m, ARGO_DISC_E_INVALID, "GET_DEVICES next_offset goes backwards");
	return ARGO_DISC_OK;
}

static int decode_payload(const __u8 *p, __u32 plen, struct argo_disc_msg *m)
{
	int response = m->hdr.type & ARGO_DISC_TYPE_RESPONSE;
	const char *why;

	switch (m->hdr.msg_id) {
	case ARGO_DISC_MSG_GET_DEVICES:
		if (response)
			return decode_get_resp(p, plen, m);
		if (plen != GET_REQ_SIZE)
			return fail(m, ARGO_DISC_E_LENGTH, "GET_DEVICES request is not 4 bytes");
		m->u.get_req.offset = get16(p);
		m->u.get_req.count = get16(p + 2);
		if (!m->u.get_req.count)
			return fail(m, ARGO_DISC_E_INVALID, "GET_DEVICES window is empty");
		if ((__u32)m->u.get_req.offset + m->u.get_req.count > 0x10000)
			return fail(m, ARGO_DISC_E_INVALID, "GET_DEVICES window past 65535");
		return ARGO_DISC_OK;
	case ARGO_DISC_MSG_PING:
		if (plen != PING_SIZE)
			return fail(m, ARGO_DISC_E_LENGTH, "PING is not 4 bytes");
		m->u.ping = get32(p);
		return ARGO_DISC_OK;
	case ARGO_DISC_MSG_EVENT_DEVICE:
		if (response)
			return fail(m, ARGO_DISC_E_TYPE, "EVENT_DEVICE marked as a response");
		if (plen != EVENT_SIZE)
			return fail(m, ARGO_DISC_E_LENGTH, "EVENT_DEVICE is not 48 bytes");
		m->u.event.state = get16(p + 2);
		if (m->u.event.state != ARGO_DISC_DEV_ADDED &&
		    m->u.event.state != ARGO_DISC_DEV_REMOVED)
			return fail(m, ARGO_DISC_E_INVALID, "EVENT_DEVICE state unknown");
		if (get32(p + 4))
			return fail(m, ARGO_DISC_E_INVALID, "EVENT_DEVICE reserved field not zero");
		why = dev_decode(p + 8, &m->u.event.dev);
		if (why)
			return fail(m, ARGO_DISC_E_INVALID, why);
		if (m->u.event.dev.dev_num != get16(p))
			return fail(m, ARGO_DISC_E_INVALID,
				    "EVENT_DEVICE number disagrees with its record");
		return ARGO_DISC_OK;
	case ARGO_DISC_MSG_SUBSCRIBE:
		if (response)
			return plen ? fail(m, ARGO_DISC_E_LENGTH, "SUBSCRIBE response has a payload")
				    : ARGO_DISC_OK;
		if (plen != SUB_REQ_SIZE)
			return fail(m, ARGO_DISC_E_LENGTH, "SUBSCRIBE request is not 8 bytes");
		m->u.sub.event_port = get32(p);
		m->u.sub.flags = get32(p + 4);
		if (m->u.sub.flags & ~ARGO_DISC_SUB_MASK)
			return fail(m, ARGO_DISC_E_INVALID, "SUBSCRIBE unknown flags");
		return ARGO_DISC_OK;
	default:
		return fail(m, ARGO_DISC_E_TYPE, "unknown message id");
	}
}

int argo_disc_decode(const void *buf, __u32 len, struct argo_disc_msg *m)
{
	const __u8 *p = buf;

	memset(m, 0, sizeof(*m));
	if (len < ARGO_DISC_HDR_SIZE)
		return fail(m, ARGO_DISC_E_LENGTH, "shorter than the 16-byte header");
	m->hdr.type = p[0];
	m->hdr.msg_id = p[1];
	m->hdr.token = get16(p + 4);
	m->hdr.msg_size = get16(p + 6);
	m->hdr.status = get16(p + 10);
	m->hdr.generation = get32(p + 12);
	if (p[8] != ARGO_DISC_VERSION)
		return fail(m, ARGO_DISC_E_VERSION, "version not spoken");
	if (len > ARGO_DISC_MSG_MAX)
		return fail(m, ARGO_DISC_E_LENGTH, "longer than the 512-byte maximum");
	if (m->hdr.msg_size != len)
		return fail(m, ARGO_DISC_E_LENGTH, "msg_size disagrees with the message length");
	if (!(m->hdr.type & ARGO_DISC_TYPE_BUS) ||
	    (m->hdr.type & ~(ARGO_DISC_TYPE_BUS | ARGO_DISC_TYPE_RESPONSE)))
		return fail(m, ARGO_DISC_E_TYPE, "type is not a bus request or response");
	if (get16(p + 2))
		return fail(m, ARGO_DISC_E_INVALID, "dev_num of a bus message not zero");
	if (p[9])
		return fail(m, ARGO_DISC_E_INVALID, "header reserved byte not zero");
	if (!(m->hdr.type & ARGO_DISC_TYPE_RESPONSE)) {
		/* Requests carry no status; events carry a generation. */
		if (m->hdr.status)
			return fail(m, ARGO_DISC_E_INVALID, "status set in a request");
		if (m->hdr.generation && m->hdr.msg_id != ARGO_DISC_MSG_EVENT_DEVICE)
			return fail(m, ARGO_DISC_E_INVALID, "generation set in a request");
	} else if (m->hdr.status) {
		if (m->hdr.status > ARGO_DISC_E_MAX)
			return fail(m, ARGO_DISC_E_INVALID, "status unknown");
		if (len != ARGO_DISC_HDR_SIZE)
			return fail(m, ARGO_DISC_E_LENGTH, "error response has a payload");
		return ARGO_DISC_OK;
	}
	return decode_payload(p + ARGO_DISC_HDR_SIZE, len - ARGO_DISC_HDR_SIZE, m);
}
#ifdef __KERNEL__
EXPORT_SYMBOL_GPL(argo_disc_decode);
#endif

int argo_disc_encode(void *buf, __u32 cap, const struct argo_disc_msg *m,
		     const struct argo_disc_dev *devs)
{
	int response = m->hdr.type & ARGO_DISC_TYPE_RESPONSE;
	struct argo_disc_msg check;
	__u8 *p = buf, *q = p + ARGO_DISC_HDR_SIZE;
	__u32 plen = 0, i;

	if (m->hdr.status) {
		plen = 0;
	} else {
		switch (m->hdr.msg_id) {
		case ARGO_DISC_MSG_GET_DEVICES:
			if (!response) {
				plen = GET_REQ_SIZE;
				break;
			}
			if (m->u.get_resp.count > ARGO_DISC_RECORDS_MAX)
				return -EMSGSIZE;
			plen = GET_RESP_FIXED + (__u32)m->u.get_resp.count * ARGO_DISC_DEV_SIZE;
			break;
		case ARGO_DISC_MSG_PING:
			plen = PING_SIZE;
			break;
		case ARGO_DISC_MSG_EVENT_DEVICE:
			plen = EVENT_SIZE;
			break;
		case ARGO_DISC_MSG_SUBSCRIBE:
			plen = response ? 0 : SUB_REQ_SIZE;
			break;
		default:
			return -EINVAL;
		}
	}
	if (cap < ARGO_DISC_HDR_SIZE + plen)
		return -EMSGSIZE;
	p[0] = m->hdr.type;
	p[1] = m->hdr.msg_id;
	put16(p + 2, 0);
	put16(p + 4, m->hdr.token);
	put16(p + 6, (__u16)(ARGO_DISC_HDR_SIZE + plen));
	p[8] = ARGO_DISC_VERSION;
	p[9] = 0;
	put16(p + 10, m->hdr.status);
	put32(p + 12, m->hdr.generation);
	if (!m->hdr.status) {
		switch (m->hdr.msg_id) {
		case ARGO_DISC_MSG_GET_DEVICES:
			if (!response) {
				put16(q, m->u.get_req.offset);
				put16(q + 2, m->u.get_req.count);
				break;
			}
			put16(q, m->u.get_resp.offset);
			put16(q + 2, m->u.get_resp.next_offset);
			put16(q + 4, m->u.get_resp.count);
			put16(q + 6, 0);
			for (i = 0; i < m->u.get_resp.count; i++)
				dev_encode(q + GET_RESP_FIXED + i * ARGO_DISC_DEV_SIZE, &devs[i]);
			break;
		case ARGO_DISC_MSG_PING:
			put32(q, m->u.ping);
			break;
		case ARGO_DISC_MSG_EVENT_DEVICE:
			put16(q, m->u.event.dev.dev_num);
			put16(q + 2, m->u.event.state);
			put32(q + 4, 0);
			dev_encode(q + 8, &m->u.event.dev);
			break;
		case ARGO_DISC_MSG_SUBSCRIBE:
			if (!response) {
				put32(q, m->u.sub.event_port);
				put32(q + 4, m->u.sub.flags);
			}
			break;
		}
	}
	/* Never send what our own decoder would refuse. */
	if (argo_disc_decode(p, ARGO_DISC_HDR_SIZE + plen, &check) != ARGO_DISC_OK)
		return -EINVAL;
	return (int)(ARGO_DISC_HDR_SIZE + plen);
}
#ifdef __KERNEL__
EXPORT_SYMBOL_GPL(argo_disc_encode);
#endif

const char *argo_disc_strstatus(int status)
{
	switch (status) {
	case ARGO_DISC_OK:
		return "ok";
	case ARGO_DISC_E_VERSION:
		return "discovery protocol version not spoken";
	case ARGO_DISC_E_TYPE:
		return "unknown or misdirected message type";
	case ARGO_DISC_E_LENGTH:
		return "message length wrong (truncated, oversized or inconsistent)";
	case ARGO_DISC_E_INVALID:
		return "a field is out of range or a reserved field is set";
	default:
		return "unknown discovery status";
	}
}
#ifdef __KERNEL__
EXPORT_SYMBOL_GPL(argo_disc_strstatus);
#endif
