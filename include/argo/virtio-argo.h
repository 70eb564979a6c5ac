/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/*
 * virtio-argo wire protocol: constants, decoded forms and the one codec
 * that the kernel transport (virtio_argo.ko) and the userspace backend
 * (virtio-argo-backend) both use. The specification is docs/virtio-argo.md;
 * section numbers below (§n) refer to it.
 *
 * Everything on the wire is little-endian and read byte by byte, so no
 * structure here is a wire image: the codec reads and writes offsets, and
 * hands back host-order values plus pointers into the received message.
 * Every length is checked against the bytes actually received before any
 * pointer is formed. The codec allocates nothing, sleeps never and takes
 * no lock: it may run in any context, including hard IRQ.
 *
 * Return convention of every function that can fail: 0 (or a positive
 * count where stated) on success, a negative errno on failure, with *why
 * (when why is not NULL) set to a static string naming what was wrong.
 *   -EBADMSG  malformed: sizes, reserved bits, lengths that do not add up
 *   -EPROTO   well-formed but not allowed here (unknown id, wrong direction)
 *   -EMSGSIZE larger than a limit of the protocol or of the caller
 *   -ENOSPC   (encoders) the output buffer is too small
 */
#ifndef ARGO_VIRTIO_ARGO_H
#define ARGO_VIRTIO_ARGO_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stddef.h>
#include <stdint.h>
#endif

/* §2 Versions. The virtio-msg transport revision whose layouts we use. */
#define VA_VIRTIO_MSG_REVISION	1U
/* This protocol's own version, exchanged in HELLO. */
#define VA_VERSION		1U

/* §3 The virtio-msg header, 8 bytes, kept unchanged. */
#define VA_HDR_SIZE		8U
#define VA_TYPE_RESPONSE	0x01U	/* bit0: 1 = response */
#define VA_TYPE_BUS		0x02U	/* bit1: 1 = bus message */
#define VA_TYPE_MASK		0x03U	/* bits 2..7 must be zero */
#define VA_ID_EVENT		0x40U	/* msg_id bit6: one-way event */
#define VA_ID_IMPL		0x80U	/* msg_id bit7: implementation-defined */

/* Records inside one Argo message start on this alignment (§4). */
#define VA_RECORD_ALIGN		8U

/* §5 Transport messages (virtio-msg ids, same layouts). */
#define VA_MSG_GET_DEVICE_INFO		0x02U
#define VA_MSG_GET_DEVICE_FEATURES	0x03U
#define VA_MSG_SET_DRIVER_FEATURES	0x04U
#define VA_MSG_GET_CONFIG		0x05U
#define VA_MSG_SET_CONFIG		0x06U
#define VA_MSG_GET_DEVICE_STATUS	0x07U
#define VA_MSG_SET_DEVICE_STATUS	0x08U
#define VA_MSG_GET_VQUEUE		0x09U
#define VA_MSG_SET_VQUEUE		0x0AU
#define VA_MSG_RESET_VQUEUE		0x0BU
#define VA_MSG_GET_SHM			0x0CU
#define VA_MSG_EVENT_CONFIG		0x40U
#define VA_MSG_EVENT_AVAIL		0x41U	/* not used over Argo (§7) */
#define VA_MSG_EVENT_USED		0x42U	/* not used over Argo (§7) */
/* §6 Data plane: this project's extension, implementation-defined ids. */
#define VA_MSG_CHAIN			0x80U	/* request: chain; response: used */

/* §8 Bus messages (type bit1 set, dev_num 0). */
#define VA_BUS_PING			0x03U
#define VA_BUS_HELLO			0x80U
#define VA_BUS_EVENT_RESET		0xC0U	/* device dropped our state */

/* GET_DEVICE_INFO response size and the fixed part of others (§5). */
#define VA_DEVICE_INFO_SIZE	44U
#define VA_VQUEUE_INFO_SIZE	40U	/* GET_VQUEUE resp, SET_VQUEUE req */
#define VA_HELLO_SIZE		16U

/* SET_VQUEUE flags (virtio-msg): state operation and ignore bits. */
#define VA_VQ_STATE_MASK	0x3U
#define VA_VQ_STATE_DISABLE	0x0U
#define VA_VQ_STATE_ENABLE	0x1U
#define VA_VQ_STATE_KEEP	0x2U
#define VA_VQ_IGNORE_SIZE	(1U << 2)
#define VA_VQ_IGNORE_ADDRS	(7U << 3)
#define VA_VQ_FLAGS_MASK	0x3FU
#define VA_VQ_ENABLED		0x1U	/* GET_VQUEUE flags bit0 */

/* §6 Data-plane records. */
#define VA_CHAIN_REQ_FIXED	28U	/* header + fixed fields, then seg table */
#define VA_CHAIN_RESP_FIXED	24U
/* Response status (§6.3). */
#define VA_STATUS_OK		0U
#define VA_STATUS_IOERR		1U	/* device failed the chain; no in-data */
#define VA_STATUS_TOOBIG	2U	/* chain exceeds what the device takes */
#define VA_STATUS_MAX		2U

/* §9 Limits. */
#define VA_MAX_SEGS		1024U	/* descriptors in one chain */
#define VA_MAX_QUEUES		64U
#define VA_MAX_QUEUE_SIZE	32768U
#define VA_MIN_MSG		4096U	/* smallest max_msg a peer may announce */
#define VA_MAX_MSG		(16U << 20)
/* Feature blocks are 32 bits; virtio defines bits up to 127. */
#define VA_MAX_FEATURE_BLOCKS	4U

/* §10 HELLO features. */
#define VA_HELLO_F_BATCH	(1U << 0)	/* peer accepts several records */
#define VA_HELLO_F_MASK		VA_HELLO_F_BATCH

/* EVENT_RESET reasons (§8). */
#define VA_RESET_PROTOCOL	1U	/* a malformed message from the driver */
#define VA_RESET_BACKEND	2U	/* the device's backend restarted */
#define VA_RESET_SHUTDOWN	3U

/* One record of an Argo message, as va_next() finds it. */
struct va_msg {
	uint8_t type;
	uint8_t msg_id;
	uint16_t dev_num;
	uint16_t token;
	uint16_t msg_size;	/* header + fixed payload (virtio-msg's field) */
	const uint8_t *payload;	/* msg_size - 8 bytes */
	uint32_t payload_len;
	const uint8_t *data;	/* bulk data of a CHAIN record, else NULL */
	uint32_t data_len;
};

/* Walks the records of one received Argo message. */
struct va_iter {
	const uint8_t *buf;
	uint32_t len;
	uint32_t off;
	uint32_t count;
};

/* A CHAIN request, decoded (§6.1). Pointers point into the message. */
struct va_chain_req {
	uint16_t queue;
	uint32_t epoch;
	uint32_t chain_id;
	uint16_t n_out, n_in;
	uint32_t out_len;	/* sum of out segment lengths == data bytes */
	uint32_t in_len;	/* sum of in segment lengths */
	const uint8_t *seg_lens;	/* n_out + n_in le32, read with va_seg_len */
	const uint8_t *out_data;
};

/* A CHAIN response, decoded (§6.2). */
struct va_chain_resp {
	uint16_t queue;
	uint16_t status;
	uint32_t epoch;
	uint32_t chain_id;
	uint32_t used_len;	/* == bytes of in-data that follow */
	const uint8_t *in_data;
};

/* HELLO, both directions (§10). */
struct va_hello {
	uint32_t revision;	/* VA_VIRTIO_MSG_REVISION */
	uint32_t version;	/* VA_VERSION */
	uint32_t max_msg;	/* largest Argo message the sender accepts */
	uint32_t features;	/* VA_HELLO_F_* */
};

/* SET_VQUEUE request / GET_VQUEUE response (§5, §7). */
struct va_vqueue {
	uint32_t index;
	uint32_t flags;		/* SET: state op + ignore bits; GET: enabled */
	uint32_t size;		/* SET: size; GET: cur_size */
	uint32_t max_size;	/* GET only */
	uint32_t epoch;		/* SET only: virtio-msg's reserved word (§7) */
	uint64_t desc, driver, device;
};

/* Little-endian accessors: the only way the codec touches wire bytes. */
static inline uint16_t va_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t va_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) |
	       ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline uint64_t va_get64(const uint8_t *p)
{
	return va_get32(p) | ((uint64_t)va_get32(p + 4) << 32);
}

static inline void va_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void va_put32(uint8_t *p, uint32_t v)
{
	va_put16(p, (uint16_t)v);
	va_put16(p + 2, (uint16_t)(v >> 16));
}

static inline void va_put64(uint8_t *p, uint64_t v)
{
	va_put32(p, (uint32_t)v);
	va_put32(p + 4, (uint32_t)(v >> 32));
}

static inline uint32_t va_record_align(uint32_t n)
{
	return (n + VA_RECORD_ALIGN - 1) & ~(VA_RECORD_ALIGN - 1);
}

/* Length of segment i of a decoded request (i < n_out + n_in). */
static inline uint32_t va_seg_len(const struct va_chain_req *r, unsigned int i)
{
	return va_get32(r->seg_lens + 4 * i);
}

/*
 * Framing (§4). va_iter_init() starts a walk over len bytes; va_next()
 * returns 1 and fills m with the next record, 0 at the clean end, or a
 * negative errno when the rest of the message is malformed (then stop:
 * the whole message is rejected, §11). It checks the header (reserved
 * type bits, msg_size >= 8, the record inside the message, padding zero)
 * and, for CHAIN records, that the data length fits; not the payload.
 */
void va_iter_init(struct va_iter *it, const void *buf, uint32_t len);
int va_next(struct va_iter *it, struct va_msg *m, const char **why);

/*
 * Validation of a record's payload against its id and direction (§5):
 * fixed sizes, variable parts (feature blocks, config bytes) adding up to
 * msg_size exactly, reserved bits zero. from_driver says which side sent
 * it (requests and EVENT_AVAIL come from the driver, responses and
 * EVENT_CONFIG/USED from the device). 0 or -EBADMSG/-EPROTO.
 */
int va_validate(const struct va_msg *m, int from_driver, const char **why);

/* Typed decoders; each validates first, so they may be called directly. */
int va_decode_chain_req(const struct va_msg *m, struct va_chain_req *r,
			const char **why);
int va_decode_chain_resp(const struct va_msg *m, struct va_chain_resp *r,
			 const char **why);
int va_decode_hello(const struct va_msg *m, struct va_hello *h,
		    const char **why);
int va_decode_vqueue(const struct va_msg *m, struct va_vqueue *q,
		     const char **why);
/* Payload word i (le32) of a validated control record; 0 beyond its end. */
uint32_t va_word(const struct va_msg *m, uint32_t i);

/*
 * Encoders (§4). Each writes one record at buf (which the caller keeps
 * 8-byte aligned inside its Argo message) and returns the record's length
 * including padding to 8, or -ENOSPC if cap is too small, or -EMSGSIZE if
 * the record could not be expressed (msg_size over 65535, too many
 * segments). Callers concatenate records to batch them.
 *
 * va_encode_ctrl: a control record whose payload is nwords le32 words then
 * tail_len raw bytes (config data). le64 fields are two words, low first.
 */
int va_encode_ctrl(void *buf, uint32_t cap, uint8_t type, uint8_t msg_id,
		   uint16_t dev_num, uint16_t token, const uint32_t *words,
		   uint32_t nwords, const void *tail, uint32_t tail_len);
int va_encode_hello(void *buf, uint32_t cap, int response, uint16_t token,
		    const struct va_hello *h);
int va_encode_vqueue(void *buf, uint32_t cap, int response, uint16_t dev_num,
		     uint16_t token, const struct va_vqueue *q);
/*
 * A CHAIN request: seg_lens[n_out + n_in] host-order lengths, out-data
 * gathered from the out segments' bytes (out[i] of seg_lens[i] bytes).
 * Returns the record length (padded), as above.
 */
int va_encode_chain_req(void *buf, uint32_t cap, uint16_t dev_num,
			uint16_t queue, uint32_t epoch, uint32_t chain_id,
			uint16_t n_out, uint16_t n_in, const uint32_t *seg_lens,
			const void *const *out);
/*
 * The same record built in place, for a caller that walks its chain once
 * (the kernel transport, with no room for a pointer per segment): writes
 * the header and fixed fields for out_len bytes of out-data, and returns
 * the padded record length as above. The caller then writes segment i's
 * length with va_put32(buf + VA_CHAIN_REQ_FIXED + 4 * i, len) and the
 * out-data at va_chain_req_data(n_out + n_in); their sum must be out_len.
 */
int va_encode_chain_req_hdr(void *buf, uint32_t cap, uint16_t dev_num,
			    uint16_t queue, uint32_t epoch, uint32_t chain_id,
			    uint16_t n_out, uint16_t n_in, uint32_t out_len);
static inline uint32_t va_chain_req_data(uint32_t nsegs)
{
	return VA_CHAIN_REQ_FIXED + 4 * nsegs;
}
/*
 * A CHAIN response header for used_len bytes of in-data; the caller then
 * writes the in-data at buf + VA_CHAIN_RESP_FIXED (this lets it copy from
 * scattered buffers without a bounce). Returns the padded record length.
 */
int va_encode_chain_resp(void *buf, uint32_t cap, uint16_t dev_num,
			 uint16_t queue, uint16_t status, uint32_t epoch,
			 uint32_t chain_id, uint32_t used_len);
/* Bytes a record will need (padded), for space checks before encoding. */
uint32_t va_chain_req_size(uint32_t nsegs, uint32_t out_len);
uint32_t va_chain_resp_size(uint32_t used_len);

/*
 * In-flight chains of one queue (§6.4), kept by both ends: the driver to
 * accept each response once and drop those of an older epoch, the device
 * to refuse a chain id reused while in flight. bitmap is the caller's,
 * VA_BITMAP_WORDS(size) words; no allocation here.
 */
#define VA_BITMAP_WORDS(size)	(((size) + 31) / 32)
struct va_queue {
	uint32_t *inflight;
	uint32_t size;		/* chain ids are 0..size-1 */
	uint32_t epoch;
	uint32_t count;		/* chains in flight */
	int enabled;
};

/* Forget every chain in flight and start epoch with size ids. */
void va_queue_reset(struct va_queue *q, uint32_t *bitmap, uint32_t size,
		    uint32_t epoch, int enabled);
/* Mark a chain in flight: -EPROTO (queue disabled, epoch not the queue's,
 * id already in flight) or -EBADMSG (id >= size); 0 when marked. */
int va_chain_begin(struct va_queue *q, uint32_t epoch, uint32_t chain_id,
		   const char **why);
/* A completion: 1 when it ends a chain in flight (use it), 0 when it is of
 * another epoch or the queue is disabled (drop it silently: it raced a
 * reset), negative when the peer completes what it was never given. */
int va_chain_end(struct va_queue *q, uint32_t epoch, uint32_t chain_id,
		 const char **why);

#endif /* ARGO_VIRTIO_ARGO_H */
