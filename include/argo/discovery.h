/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Argo device discovery: the wire format a guest and the discovery
 * service (argo-discoveryd) speak, and the one codec both sides use
 * (linux/argo/discovery.c, built into argo.ko and into the userspace
 * tools). The specification is docs/discovery.md.
 *
 * Every field is little-endian on the wire and is read and written byte by
 * byte by the codec, never through a cast struct: the structs below are the
 * decoded, host-order form. Every message is one Argo message whose Argo
 * message type is ARGO_DISC_MSG_TYPE.
 *
 * Header (16 bytes). Bytes 0-7 are virtio-msg's header (2026 draft,
 * transport revision 1) for a bus message; bytes 8-15 are ours:
 *   0 u8   type      bit0 response, bit1 bus message (always 1), others 0
 *   1 u8   msg_id    ARGO_DISC_MSG_*
 *   2 le16 dev_num   0 (all discovery messages are bus messages)
 *   4 le16 token     chosen by the requester, copied into the response
 *   6 le16 msg_size  header + payload; must equal the Argo message length
 *   8 u8   version   ARGO_DISC_VERSION
 *   9 u8   reserved  0
 *  10 le16 status    0 in requests and events; ARGO_DISC_E_* in responses
 *  12 le32 generation  responses and events: the guest's device-list
 *                    generation (changes with every add or remove);
 *                    requests: 0
 */
#ifndef _UAPI_ARGO_DISCOVERY_H
#define _UAPI_ARGO_DISCOVERY_H

#include <linux/types.h>

#define ARGO_DISC_VERSION	1
/* Argo message type of every discovery message ("DISC"). */
#define ARGO_DISC_MSG_TYPE	0x44495343U

#define ARGO_DISC_HDR_SIZE	16
#define ARGO_DISC_DEV_SIZE	40
/* No discovery message is larger, in either direction. */
#define ARGO_DISC_MSG_MAX	512
/* Device records one GET_DEVICES response can carry. */
#define ARGO_DISC_RECORDS_MAX \
	((ARGO_DISC_MSG_MAX - ARGO_DISC_HDR_SIZE - 8) / ARGO_DISC_DEV_SIZE)

/* Header type bits (virtio-msg). */
#define ARGO_DISC_TYPE_RESPONSE	0x01
#define ARGO_DISC_TYPE_BUS	0x02

/* Message ids: virtio-msg bus messages where one fits, ours from 0x80. */
#define ARGO_DISC_MSG_GET_DEVICES	0x02	/* virtio-msg GET_DEVICES */
#define ARGO_DISC_MSG_PING		0x03	/* virtio-msg PING */
#define ARGO_DISC_MSG_EVENT_DEVICE	0x40	/* virtio-msg EVENT_DEVICE */
#define ARGO_DISC_MSG_SUBSCRIBE		0x80	/* bus-specific */

/* EVENT_DEVICE states (virtio-msg). */
#define ARGO_DISC_DEV_ADDED	1
#define ARGO_DISC_DEV_REMOVED	2

/* SUBSCRIBE flags. */
#define ARGO_DISC_SUB_ON	0x1U
#define ARGO_DISC_SUB_MASK	ARGO_DISC_SUB_ON

/* Response status: what was wrong with the request. */
#define ARGO_DISC_OK		0
#define ARGO_DISC_E_VERSION	1	/* version not spoken; ours is in the reply */
#define ARGO_DISC_E_TYPE	2	/* unknown msg_id, or not a request */
#define ARGO_DISC_E_LENGTH	3	/* truncated, oversized, or a length lies */
#define ARGO_DISC_E_INVALID	4	/* a field out of range or reserved bits set */
#define ARGO_DISC_E_MAX		4

/* Limits on device records (docs/discovery.md, "Limits"). */
#define ARGO_DISC_QUEUES_MAX	64
#define ARGO_DISC_QUEUE_SIZE_MAX 32768
#define ARGO_DISC_RING_MIN	4096
#define ARGO_DISC_RING_MAX	(16U * 1024 * 1024)
/* virtio device ids fit in 16 bits; 0 means "no device". */
#define ARGO_DISC_DEVICE_ID_MAX	0xFFFF

struct argo_disc_hdr {
	__u8 type;
	__u8 msg_id;
	__u16 token;
	__u16 msg_size;
	__u16 status;
	__u32 generation;
};

/* One device, as GET_DEVICES and EVENT_DEVICE carry it (40 bytes):
 *   0 le16 dev_num  2 le16 num_queues  4 le32 device_id  8 le32 vendor_id
 *  12 le32 backend_port  16 le32 backend_ring  20 le32 frontend_ring
 *  24 le16 queue_size  26 le16 reserved  28 le32 reserved  32 le64 features
 */
struct argo_disc_dev {
	__u16 dev_num;		/* 1..65535, unique in the guest */
	__u16 num_queues;	/* 1..ARGO_DISC_QUEUES_MAX */
	__u32 device_id;	/* virtio device type (2 block, 1 net, 3 console) */
	__u32 vendor_id;	/* virtio vendor id, 0 if none */
	__u32 backend_port;	/* the guest's cable source port to the backend */
	__u32 backend_ring;	/* bytes the backend's ring for this guest holds */
	__u32 frontend_ring;	/* bytes the guest's ring on backend_port should hold */
	__u16 queue_size;	/* largest virtqueue, a power of two */
	__u64 features;		/* virtio feature bits 0-63 the backend offers */
};

/* A decoded message. Which union member is valid follows hdr.msg_id and
 * the response bit; error responses (status != 0) carry no payload. */
struct argo_disc_msg {
	struct argo_disc_hdr hdr;
	union {
		struct {			/* GET_DEVICES request */
			__u16 offset, count;
		} get_req;
		struct {			/* GET_DEVICES response */
			__u16 offset, next_offset, count;
			/* count validated records, read with argo_disc_record() */
			const __u8 *records;
		} get_resp;
		__u32 ping;			/* PING, either way */
		struct {			/* EVENT_DEVICE */
			__u16 state;
			struct argo_disc_dev dev;
		} event;
		struct {			/* SUBSCRIBE request */
			__u32 event_port, flags;
		} sub;
	} u;
	const char *why;		/* decode failure: what was wrong */
};

/*
 * In the kernel these are exported by argo.ko (GPL). Context for all of
 * them: any, hard IRQ included; they never sleep, allocate or lock, and
 * touch only the buffers handed in.
 */

/*
 * Decode and validate the len bytes received. Returns ARGO_DISC_OK or the
 * ARGO_DISC_E_* status to answer with; on failure m->why names the fault
 * and m->hdr holds what could be read (token, msg_id) for the reply.
 * Nothing past buf[len - 1] is read. m->u.get_resp.records points into buf.
 */
int argo_disc_decode(const void *buf, __u32 len, struct argo_disc_msg *m);
/* Record i (< m->u.get_resp.count) of a decoded GET_DEVICES response. */
void argo_disc_record(const struct argo_disc_msg *m, unsigned int i,
		      struct argo_disc_dev *dev);
/* 0 if the record is valid, else a static string naming the bad field. */
const char *argo_disc_dev_invalid(const struct argo_disc_dev *dev);

/*
 * Encode m into buf (cap bytes): the header from m->hdr (msg_size is
 * computed), the payload from m->u; a GET_DEVICES response takes its
 * m->u.get_resp.count records from devs (records is ignored). The result
 * is validated as argo_disc_decode would. Returns its length, -EINVAL for
 * an invalid message, -EMSGSIZE if it does not fit in cap.
 */
int argo_disc_encode(void *buf, __u32 cap, const struct argo_disc_msg *m,
		     const struct argo_disc_dev *devs);

/* A short description of a status code (never NULL). */
const char *argo_disc_strstatus(int status);

#endif /* _UAPI_ARGO_DISCOVERY_H */
