// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * virtio-argo wire codec (see include/argo/virtio-argo.h and
 * docs/virtio-argo.md). Built into virtio_argo.ko and into the userspace
 * backend and host tests, so the code the tests fuzz is the code that
 * runs. Every byte handed in comes from the other domain and is hostile:
 * each length is checked against what was received before it is used,
 * in 64-bit arithmetic where a sum of 32-bit fields could wrap.
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <string.h>
#endif

#include <argo/virtio-argo.h>

#define FAIL(err, msg) do { if (why) *why = (msg); return -(err); } while (0)

void va_iter_init(struct va_iter *it, const void *buf, uint32_t len)
{
	it->buf = buf;
	it->len = len;
	it->off = 0;
	it->count = 0;
}

static int pad_is_zero(const uint8_t *p, uint32_t n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

int va_next(struct va_iter *it, struct va_msg *m, const char **why)
{
	uint32_t left, rec;
	const uint8_t *p;

	if (it->off >= it->len) {
		if (it->count == 0)
			FAIL(EBADMSG, "empty message");
		return 0;
	}
	left = it->len - it->off;
	p = it->buf + it->off;
	if (left < VA_HDR_SIZE)
		FAIL(EBADMSG, "truncated header");
	m->type = p[0];
	m->msg_id = p[1];
	m->dev_num = va_get16(p + 2);
	m->token = va_get16(p + 4);
	m->msg_size = va_get16(p + 6);
	if (m->type & ~VA_TYPE_MASK)
		FAIL(EBADMSG, "reserved type bits set");
	if (m->msg_size < VA_HDR_SIZE)
		FAIL(EBADMSG, "msg_size below header size");
	if (m->msg_size > left)
		FAIL(EBADMSG, "msg_size beyond the received message");
	m->payload = p + VA_HDR_SIZE;
	m->payload_len = m->msg_size - VA_HDR_SIZE;
	m->data = NULL;
	m->data_len = 0;
	rec = m->msg_size;

	/* CHAIN records carry bulk data after msg_size, counted in-record. */
	if (m->msg_id == VA_MSG_CHAIN && !(m->type & VA_TYPE_BUS)) {
		uint32_t fixed = (m->type & VA_TYPE_RESPONSE) ?
				 VA_CHAIN_RESP_FIXED : VA_CHAIN_REQ_FIXED;
		uint32_t at = (m->type & VA_TYPE_RESPONSE) ? 20 : 24;

		if (m->msg_size < fixed)
			FAIL(EBADMSG, "chain record shorter than its fixed part");
		m->data_len = va_get32(p + at);
		if (m->data_len > left - m->msg_size)
			FAIL(EBADMSG, "chain data beyond the received message");
		m->data = p + m->msg_size;
		rec += m->data_len;
	}

	/* Padding to 8 must be present unless this is the last record. */
	if (va_record_align(rec) <= left) {
		if (!pad_is_zero(p + rec, va_record_align(rec) - rec))
			FAIL(EBADMSG, "non-zero padding");
		rec = va_record_align(rec);
	} else if (rec != left) {
		FAIL(EBADMSG, "truncated padding");
	}
	it->off += rec;
	it->count++;
	return 1;
}

uint32_t va_word(const struct va_msg *m, uint32_t i)
{
	if ((uint64_t)i * 4 + 4 > m->payload_len)
		return 0;
	return va_get32(m->payload + 4 * i);
}

/* Payload exactly fixed + 4 * words[count_word] (feature blocks). */
static int check_blocks(const struct va_msg *m, uint32_t count_word,
			const char **why)
{
	uint32_t n;

	if (m->payload_len < 4 * (count_word + 1))
		FAIL(EBADMSG, "feature message too short");
	n = va_word(m, count_word);
	if (n > VA_MAX_FEATURE_BLOCKS)
		FAIL(EBADMSG, "num_blocks over the limit");
	if (va_word(m, 0) > VA_MAX_FEATURE_BLOCKS - n)
		FAIL(EBADMSG, "feature blocks beyond the limit");
	if (m->payload_len != 8 + 4 * n)
		FAIL(EBADMSG, "msg_size does not match num_blocks");
	return 0;
}

/* Payload exactly fixed + words[len_word] bytes (config data). */
static int check_config(const struct va_msg *m, uint32_t fixed,
			uint32_t len_word, int optional, const char **why)
{
	uint32_t len;

	if (m->payload_len < fixed)
		FAIL(EBADMSG, "config message too short");
	len = va_word(m, len_word);
	if (optional && m->payload_len == fixed)
		return 0;
	if ((uint64_t)fixed + len != m->payload_len)
		FAIL(EBADMSG, "msg_size does not match config length");
	return 0;
}

static int want(const struct va_msg *m, uint32_t len, const char **why)
{
	if (m->payload_len != len)
		FAIL(EBADMSG, "wrong payload size for the message id");
	return 0;
}

static int validate_transport(const struct va_msg *m, int resp, const char **why)
{
	switch (m->msg_id) {
	case VA_MSG_GET_DEVICE_INFO:
		return want(m, resp ? VA_DEVICE_INFO_SIZE : 0, why);
	case VA_MSG_GET_DEVICE_FEATURES:
		return resp ? check_blocks(m, 1, why) : want(m, 8, why);
	case VA_MSG_SET_DRIVER_FEATURES:
		return resp ? want(m, 0, why) : check_blocks(m, 1, why);
	case VA_MSG_GET_CONFIG:
		return resp ? check_config(m, 12, 2, 0, why) : want(m, 8, why);
	case VA_MSG_SET_CONFIG:
		return check_config(m, 12, 2, 0, why);
	case VA_MSG_GET_DEVICE_STATUS:
		return want(m, resp ? 4 : 0, why);
	case VA_MSG_SET_DEVICE_STATUS:
		return want(m, 4, why);
	case VA_MSG_GET_VQUEUE:
		return want(m, resp ? VA_VQUEUE_INFO_SIZE : 4, why);
	case VA_MSG_SET_VQUEUE:
		if (resp)
			return want(m, 0, why);
		if (want(m, VA_VQUEUE_INFO_SIZE, why))
			return -EBADMSG;
		if (va_word(m, 1) & ~VA_VQ_FLAGS_MASK)
			FAIL(EBADMSG, "SET_VQUEUE reserved flag bits set");
		if ((va_word(m, 1) & VA_VQ_STATE_MASK) == 3)
			FAIL(EBADMSG, "SET_VQUEUE state operation 3 is reserved");
		return 0;
	case VA_MSG_RESET_VQUEUE:
		return want(m, resp ? 0 : 4, why);
	case VA_MSG_GET_SHM:
		return want(m, resp ? 24 : 4, why);
	}
	FAIL(EPROTO, "unknown transport message id");
}

int va_validate(const struct va_msg *m, int from_driver, const char **why)
{
	int resp = m->type & VA_TYPE_RESPONSE;

	if (m->type & VA_TYPE_BUS) {
		if (m->dev_num != 0)
			FAIL(EBADMSG, "bus message with non-zero dev_num");
		switch (m->msg_id) {
		case VA_BUS_HELLO:
			if (!resp != !!from_driver)
				FAIL(EPROTO, "HELLO in the wrong direction");
			return want(m, VA_HELLO_SIZE, why);
		case VA_BUS_PING:
			return want(m, 4, why);
		case VA_BUS_EVENT_RESET:
			if (from_driver || resp)
				FAIL(EPROTO, "EVENT_RESET comes from the device");
			return want(m, 4, why);
		}
		FAIL(EPROTO, "unknown bus message id");
	}

	if (m->msg_id & VA_ID_EVENT && !(m->msg_id & VA_ID_IMPL)) {
		if (resp)
			FAIL(EBADMSG, "event marked as a response");
		switch (m->msg_id) {
		case VA_MSG_EVENT_CONFIG:
			if (from_driver)
				FAIL(EPROTO, "EVENT_CONFIG from the driver");
			return check_config(m, 16, 3, 1, why);
		case VA_MSG_EVENT_AVAIL:
		case VA_MSG_EVENT_USED:
			FAIL(EPROTO, "EVENT_AVAIL/EVENT_USED are not used over Argo");
		}
		FAIL(EPROTO, "unknown event id");
	}

	/* Requests come from the driver, responses from the device. */
	if (!resp != !!from_driver)
		FAIL(EPROTO, "request/response in the wrong direction");

	if (m->msg_id == VA_MSG_CHAIN) {
		if (resp) {
			struct va_chain_resp r;

			return va_decode_chain_resp(m, &r, why);
		} else {
			struct va_chain_req r;

			return va_decode_chain_req(m, &r, why);
		}
	}
	return validate_transport(m, resp, why);
}

int va_decode_chain_req(const struct va_msg *m, struct va_chain_req *r,
			const char **why)
{
	const uint8_t *p = m->payload - VA_HDR_SIZE;
	uint64_t out = 0, in = 0;
	uint32_t i, nsegs;

	if (m->msg_id != VA_MSG_CHAIN || (m->type & (VA_TYPE_RESPONSE | VA_TYPE_BUS)))
		FAIL(EPROTO, "not a CHAIN request");
	if (m->token != 0)
		FAIL(EBADMSG, "CHAIN request with a non-zero token");
	if (m->msg_size < VA_CHAIN_REQ_FIXED)
		FAIL(EBADMSG, "CHAIN request shorter than its fixed part");
	if (va_get16(p + 10) != 0)
		FAIL(EBADMSG, "CHAIN request flags not zero");
	r->queue = va_get16(p + 8);
	r->epoch = va_get32(p + 12);
	r->chain_id = va_get32(p + 16);
	r->n_out = va_get16(p + 20);
	r->n_in = va_get16(p + 22);
	nsegs = (uint32_t)r->n_out + r->n_in;
	if (nsegs == 0)
		FAIL(EBADMSG, "CHAIN request with no segments");
	if (nsegs > VA_MAX_SEGS)
		FAIL(EMSGSIZE, "CHAIN request with too many segments");
	if (m->msg_size != VA_CHAIN_REQ_FIXED + 4 * nsegs)
		FAIL(EBADMSG, "CHAIN request msg_size does not match its segments");
	r->seg_lens = p + VA_CHAIN_REQ_FIXED;
	/* Sums in 64 bits: 1024 segments of 4 GiB cannot wrap them. */
	for (i = 0; i < nsegs; i++) {
		if (i < r->n_out)
			out += va_get32(r->seg_lens + 4 * i);
		else
			in += va_get32(r->seg_lens + 4 * i);
	}
	if (out != m->data_len)
		FAIL(EBADMSG, "CHAIN out-segment lengths do not add up to data_len");
	if (in > VA_MAX_MSG)
		FAIL(EMSGSIZE, "CHAIN in-buffers larger than any message");
	r->out_len = (uint32_t)out;
	r->in_len = (uint32_t)in;
	r->out_data = m->data;
	return 0;
}

int va_decode_chain_resp(const struct va_msg *m, struct va_chain_resp *r,
			 const char **why)
{
	const uint8_t *p = m->payload - VA_HDR_SIZE;

	if (m->msg_id != VA_MSG_CHAIN || (m->type & VA_TYPE_BUS) ||
	    !(m->type & VA_TYPE_RESPONSE))
		FAIL(EPROTO, "not a CHAIN response");
	if (m->token != 0)
		FAIL(EBADMSG, "CHAIN response with a non-zero token");
	if (m->msg_size != VA_CHAIN_RESP_FIXED)
		FAIL(EBADMSG, "CHAIN response msg_size is not its fixed size");
	r->queue = va_get16(p + 8);
	r->status = va_get16(p + 10);
	r->epoch = va_get32(p + 12);
	r->chain_id = va_get32(p + 16);
	r->used_len = va_get32(p + 20);
	r->in_data = m->data;
	if (r->status > VA_STATUS_MAX)
		FAIL(EBADMSG, "CHAIN response with an unknown status");
	if (r->status != VA_STATUS_OK && r->used_len)
		FAIL(EBADMSG, "failed CHAIN response carrying in-data");
	/* used_len is data_len by construction (va_next read it there). */
	return 0;
}

int va_decode_hello(const struct va_msg *m, struct va_hello *h,
		    const char **why)
{
	if (!(m->type & VA_TYPE_BUS) || m->msg_id != VA_BUS_HELLO)
		FAIL(EPROTO, "not a HELLO");
	if (m->payload_len != VA_HELLO_SIZE)
		FAIL(EBADMSG, "HELLO of the wrong size");
	h->revision = va_word(m, 0);
	h->version = va_word(m, 1);
	h->max_msg = va_word(m, 2);
	h->features = va_word(m, 3);
	if (h->features & ~VA_HELLO_F_MASK)
		FAIL(EBADMSG, "HELLO with unknown feature bits");
	if (h->max_msg < VA_MIN_MSG || h->max_msg > VA_MAX_MSG)
		FAIL(EBADMSG, "HELLO max_msg outside 4 KiB..16 MiB");
	return 0;
}

int va_decode_vqueue(const struct va_msg *m, struct va_vqueue *q,
		     const char **why)
{
	int resp = m->type & VA_TYPE_RESPONSE;
	int ret;

	if ((m->type & VA_TYPE_BUS) ||
	    m->msg_id != (resp ? VA_MSG_GET_VQUEUE : VA_MSG_SET_VQUEUE))
		FAIL(EPROTO, "not a GET_VQUEUE response or SET_VQUEUE request");
	ret = validate_transport(m, resp, why);
	if (ret)
		return ret;
	memset(q, 0, sizeof(*q));
	q->index = va_word(m, 0);
	if (resp) {
		q->max_size = va_word(m, 1);
		q->size = va_word(m, 2);
		q->flags = va_word(m, 3);
	} else {
		q->flags = va_word(m, 1);
		q->size = va_word(m, 2);
		q->epoch = va_word(m, 3);
	}
	q->desc = va_get64(m->payload + 16);
	q->driver = va_get64(m->payload + 24);
	q->device = va_get64(m->payload + 32);
	return 0;
}

/* Encoders */

static int put_hdr(uint8_t *p, uint32_t cap, uint32_t msg_size,
		   uint32_t data_len, uint8_t type, uint8_t id, uint16_t dev,
		   uint16_t token)
{
	uint64_t rec = (uint64_t)msg_size + data_len;

	if (msg_size > 0xFFFF || rec > VA_MAX_MSG)
		return -EMSGSIZE;
	rec = va_record_align((uint32_t)rec);
	if (rec > cap)
		return -ENOSPC;
	p[0] = type;
	p[1] = id;
	va_put16(p + 2, dev);
	va_put16(p + 4, token);
	va_put16(p + 6, (uint16_t)msg_size);
	/* Zero the padding now; the caller fills the data before it. */
	memset(p + msg_size + data_len, 0, rec - msg_size - data_len);
	return (int)rec;
}

int va_encode_ctrl(void *buf, uint32_t cap, uint8_t type, uint8_t msg_id,
		   uint16_t dev_num, uint16_t token, const uint32_t *words,
		   uint32_t nwords, const void *tail, uint32_t tail_len)
{
	uint8_t *p = buf;
	uint64_t size = VA_HDR_SIZE + (uint64_t)nwords * 4 + tail_len;
	uint32_t i;
	int ret;

	if (size > 0xFFFF)
		return -EMSGSIZE;
	ret = put_hdr(p, cap, (uint32_t)size, 0, type, msg_id, dev_num, token);
	if (ret < 0)
		return ret;
	for (i = 0; i < nwords; i++)
		va_put32(p + VA_HDR_SIZE + 4 * i, words[i]);
	if (tail_len)
		memcpy(p + VA_HDR_SIZE + 4 * nwords, tail, tail_len);
	return ret;
}

int va_encode_hello(void *buf, uint32_t cap, int response, uint16_t token,
		    const struct va_hello *h)
{
	uint32_t w[4] = { h->revision, h->version, h->max_msg, h->features };

	return va_encode_ctrl(buf, cap, VA_TYPE_BUS | (response ? VA_TYPE_RESPONSE : 0),
			      VA_BUS_HELLO, 0, token, w, 4, NULL, 0);
}

int va_encode_vqueue(void *buf, uint32_t cap, int response, uint16_t dev_num,
		     uint16_t token, const struct va_vqueue *q)
{
	uint32_t w[10];

	w[0] = q->index;
	if (response) {
		w[1] = q->max_size;
		w[2] = q->size;
		w[3] = q->flags;
	} else {
		w[1] = q->flags;
		w[2] = q->size;
		w[3] = q->epoch;
	}
	w[4] = (uint32_t)q->desc;
	w[5] = (uint32_t)(q->desc >> 32);
	w[6] = (uint32_t)q->driver;
	w[7] = (uint32_t)(q->driver >> 32);
	w[8] = (uint32_t)q->device;
	w[9] = (uint32_t)(q->device >> 32);
	return va_encode_ctrl(buf, cap, response ? VA_TYPE_RESPONSE : 0,
			      response ? VA_MSG_GET_VQUEUE : VA_MSG_SET_VQUEUE,
			      dev_num, token, w, 10, NULL, 0);
}

uint32_t va_chain_req_size(uint32_t nsegs, uint32_t out_len)
{
	return va_record_align(VA_CHAIN_REQ_FIXED + 4 * nsegs + out_len);
}

uint32_t va_chain_resp_size(uint32_t used_len)
{
	return va_record_align(VA_CHAIN_RESP_FIXED + used_len);
}

int va_encode_chain_req_hdr(void *buf, uint32_t cap, uint16_t dev_num,
			    uint16_t queue, uint32_t epoch, uint32_t chain_id,
			    uint16_t n_out, uint16_t n_in, uint32_t out_len)
{
	uint32_t nsegs = (uint32_t)n_out + n_in;
	uint8_t *p = buf;
	int ret;

	if (nsegs == 0 || nsegs > VA_MAX_SEGS || out_len > VA_MAX_MSG)
		return -EMSGSIZE;
	ret = put_hdr(p, cap, VA_CHAIN_REQ_FIXED + 4 * nsegs, out_len,
		      0, VA_MSG_CHAIN, dev_num, 0);
	if (ret < 0)
		return ret;
	va_put16(p + 8, queue);
	va_put16(p + 10, 0);
	va_put32(p + 12, epoch);
	va_put32(p + 16, chain_id);
	va_put16(p + 20, n_out);
	va_put16(p + 22, n_in);
	va_put32(p + 24, out_len);
	return ret;
}

int va_encode_chain_req(void *buf, uint32_t cap, uint16_t dev_num,
			uint16_t queue, uint32_t epoch, uint32_t chain_id,
			uint16_t n_out, uint16_t n_in, const uint32_t *seg_lens,
			const void *const *out)
{
	uint32_t nsegs = (uint32_t)n_out + n_in, i, at;
	uint64_t out_len = 0;
	uint8_t *p = buf;
	int ret;

	for (i = 0; i < n_out; i++)
		out_len += seg_lens[i];
	if (out_len > VA_MAX_MSG)
		return -EMSGSIZE;
	ret = va_encode_chain_req_hdr(buf, cap, dev_num, queue, epoch, chain_id,
				      n_out, n_in, (uint32_t)out_len);
	if (ret < 0)
		return ret;
	for (i = 0; i < nsegs; i++)
		va_put32(p + VA_CHAIN_REQ_FIXED + 4 * i, seg_lens[i]);
	at = VA_CHAIN_REQ_FIXED + 4 * nsegs;
	for (i = 0; i < n_out; i++) {
		if (seg_lens[i])
			memcpy(p + at, out[i], seg_lens[i]);
		at += seg_lens[i];
	}
	return ret;
}

int va_encode_chain_resp(void *buf, uint32_t cap, uint16_t dev_num,
			 uint16_t queue, uint16_t status, uint32_t epoch,
			 uint32_t chain_id, uint32_t used_len)
{
	uint8_t *p = buf;
	int ret;

	if (status != VA_STATUS_OK && used_len)
		return -EINVAL;
	ret = put_hdr(p, cap, VA_CHAIN_RESP_FIXED, used_len, VA_TYPE_RESPONSE,
		      VA_MSG_CHAIN, dev_num, 0);
	if (ret < 0)
		return ret;
	va_put16(p + 8, queue);
	va_put16(p + 10, status);
	va_put32(p + 12, epoch);
	va_put32(p + 16, chain_id);
	va_put32(p + 20, used_len);
	return ret;
}

/* In-flight tracking (§6.4) */

void va_queue_reset(struct va_queue *q, uint32_t *bitmap, uint32_t size,
		    uint32_t epoch, int enabled)
{
	q->inflight = bitmap;
	q->size = size;
	q->epoch = epoch;
	q->enabled = enabled;
	q->count = 0;
	if (bitmap && size)
		memset(bitmap, 0, 4 * VA_BITMAP_WORDS(size));
}

int va_chain_begin(struct va_queue *q, uint32_t epoch, uint32_t chain_id,
		   const char **why)
{
	uint32_t bit;

	if (!q->enabled)
		FAIL(EPROTO, "chain on a disabled queue");
	if (epoch != q->epoch)
		FAIL(EPROTO, "chain with a stale or future epoch");
	if (chain_id >= q->size)
		FAIL(EBADMSG, "chain id beyond the queue size");
	bit = 1U << (chain_id & 31);
	if (q->inflight[chain_id / 32] & bit)
		FAIL(EPROTO, "chain id already in flight");
	q->inflight[chain_id / 32] |= bit;
	q->count++;
	return 0;
}

int va_chain_end(struct va_queue *q, uint32_t epoch, uint32_t chain_id,
		 const char **why)
{
	uint32_t bit;

	/* A response from before a reset: expected, and dropped (§6.4). */
	if (epoch != q->epoch || !q->enabled)
		return 0;
	if (chain_id >= q->size)
		FAIL(EBADMSG, "completion of a chain id beyond the queue size");
	bit = 1U << (chain_id & 31);
	if (!(q->inflight[chain_id / 32] & bit))
		FAIL(EPROTO, "completion of a chain that is not in flight");
	q->inflight[chain_id / 32] &= ~bit;
	q->count--;
	return 1;
}
