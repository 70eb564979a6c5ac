/* SPDX-License-Identifier: MIT */
/*
 * The virtio-argo wire codec (linux/argo/virtio_argo_wire.c) against
 * well-formed and hostile messages: every record round-trips, and lying
 * lengths, truncation at every byte, reserved bits, wrong directions,
 * oversize chains, unknown queues, chain id reuse and wrong epochs are
 * refused with the error the header promises. Random mutations of a
 * valid batch must never make the codec read outside the message (ASan).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <argo/virtio-argo.h>
#include "tap.h"

static uint8_t buf[1 << 16];

/* A batch: HELLO, GET_CONFIG, SET_VQUEUE, two CHAIN requests. */
static uint32_t make_batch(uint8_t *b, uint32_t cap)
{
	struct va_hello h = { VA_VIRTIO_MSG_REVISION, VA_VERSION, 65536, VA_HELLO_F_BATCH };
	struct va_vqueue q = { .index = 1, .flags = VA_VQ_STATE_ENABLE, .size = 128, .epoch = 7 };
	uint32_t w[2] = { 0, 8 };
	static const char hdr[16] = "virtio-blk-hdr!";
	static const char data[512] = "payload";
	const void *out[2] = { hdr, data };
	uint32_t segs[3] = { 16, 512, 1 };
	uint32_t off = 0;

	off += va_encode_hello(b + off, cap - off, 0, 1, &h);
	off += va_encode_ctrl(b + off, cap - off, 0, VA_MSG_GET_CONFIG, 0, 2, w, 2, NULL, 0);
	off += va_encode_vqueue(b + off, cap - off, 0, 0, 3, &q);
	off += va_encode_chain_req(b + off, cap - off, 0, 1, 7, 5, 2, 1, segs, out);
	off += va_encode_chain_req(b + off, cap - off, 0, 1, 7, 6, 1, 1, segs, out);
	return off;
}

/* Walk and validate every record as the device would: count or errno. */
static int walk(const uint8_t *b, uint32_t len, int from_driver, const char **why)
{
	struct va_iter it;
	struct va_msg m;
	int ret, n = 0;

	va_iter_init(&it, b, len);
	while ((ret = va_next(&it, &m, why)) == 1) {
		ret = va_validate(&m, from_driver, why);
		if (ret)
			return ret;
		n++;
	}
	return ret ? ret : n;
}

static void test_roundtrip(void)
{
	uint32_t len = make_batch(buf, sizeof(buf));
	struct va_iter it;
	struct va_msg m;
	struct va_hello h;
	struct va_vqueue q;
	struct va_chain_req r;
	const char *why = "";

	TAP_EQ("batch_has_five_records", 5, walk(buf, len, 1, &why));
	TAP_EQ("batch_is_8_aligned", 0, len % 8);
	va_iter_init(&it, buf, len);
	va_next(&it, &m, &why);
	TAP_EQ("hello_decodes", 0, va_decode_hello(&m, &h, &why));
	TAP_EQ("hello_max_msg", 65536, h.max_msg);
	TAP_EQ("hello_token", 1, m.token);
	va_next(&it, &m, &why);
	TAP_EQ("get_config_length_word", 8, va_word(&m, 1));
	TAP_EQ("word_beyond_payload_is_zero", 0, va_word(&m, 2));
	va_next(&it, &m, &why);
	TAP_EQ("set_vqueue_decodes", 0, va_decode_vqueue(&m, &q, &why));
	TAP_EQ("set_vqueue_epoch_in_reserved_word", 7, q.epoch);
	TAP_EQ("set_vqueue_size", 128, q.size);
	va_next(&it, &m, &why);
	TAP_EQ("chain_req_decodes", 0, va_decode_chain_req(&m, &r, &why));
	TAP_EQ("chain_req_out_len", 528, r.out_len);
	TAP_EQ("chain_req_in_len", 1, r.in_len);
	TAP_EQ("chain_req_seg1", 512, va_seg_len(&r, 1));
	TAP_CHECK("chain_req_out_data", !memcmp(r.out_data, "virtio-blk-hdr!", 16) &&
		  !memcmp(r.out_data + 16, "payload", 8), "%s", "out-data differs");
	TAP_EQ("chain_req_id", 5, r.chain_id);
	va_next(&it, &m, &why);
	va_decode_chain_req(&m, &r, &why);
	TAP_EQ("second_chain_id", 6, r.chain_id);
	TAP_EQ("end_of_batch", 0, va_next(&it, &m, &why));
}

static void test_response(void)
{
	struct va_iter it;
	struct va_msg m;
	struct va_chain_resp r;
	const char *why = "";
	int len = va_encode_chain_resp(buf, sizeof(buf), 0, 1, VA_STATUS_OK, 7, 5, 513);

	TAP_EQ("resp_len_padded", va_chain_resp_size(513), len);
	memset(buf + VA_CHAIN_RESP_FIXED, 0xAB, 513);
	TAP_EQ("resp_from_device_valid", 1, walk(buf, len, 0, &why));
	TAP_EQ("resp_from_driver_refused", -EPROTO, walk(buf, len, 1, &why));
	va_iter_init(&it, buf, len);
	va_next(&it, &m, &why);
	TAP_EQ("resp_decodes", 0, va_decode_chain_resp(&m, &r, &why));
	TAP_EQ("resp_used_len", 513, r.used_len);
	TAP_EQ("resp_in_data", 0xAB, r.in_data[512]);
	TAP_EQ("resp_status_with_data_refused_by_encoder", -EINVAL,
	       va_encode_chain_resp(buf, sizeof(buf), 0, 1, VA_STATUS_IOERR, 7, 5, 4));
	len = va_encode_chain_resp(buf, sizeof(buf), 0, 1, VA_STATUS_IOERR, 7, 5, 0);
	buf[10] = 9;	/* unknown status */
	TAP_EQ("resp_unknown_status", -EBADMSG, walk(buf, len, 0, &why));
	len = va_encode_chain_resp(buf, sizeof(buf), 0, 1, VA_STATUS_OK, 7, 5, 100);
	TAP_EQ("resp_data_len_lies_beyond_message", -EBADMSG, walk(buf, len - 8, 0, &why));
}

static void test_hostile(void)
{
	uint32_t len = make_batch(buf, sizeof(buf)), l;
	uint8_t save[64];
	const char *why = "";
	int bad = 0;

	/* Every truncation is an error or a clean shorter batch, never a read
	 * past the end (ASan watches: the copy is exactly l bytes). */
	for (l = 0; l < len; l++) {
		uint8_t *cut = malloc(l ? l : 1);
		int ret;

		memcpy(cut, buf, l);
		ret = walk(cut, l, 1, &why);
		/* Only the last record's padding may be cut. */
		if ((ret >= 5 && l + 8 <= len) || (ret > 0 && l == 0))
			bad++;
		free(cut);
	}
	TAP_EQ("every_truncation_refused_or_shorter", 0, bad);
	TAP_EQ("empty_message_refused", -EBADMSG, walk(buf, 0, 1, &why));

	memcpy(save, buf, sizeof(save));
	buf[0] |= 0x10;
	TAP_EQ("reserved_type_bits", -EBADMSG, walk(buf, len, 1, &why));
	memcpy(buf, save, sizeof(save));
	va_put16(buf + 6, 4);
	TAP_EQ("msg_size_below_header", -EBADMSG, walk(buf, len, 1, &why));
	memcpy(buf, save, sizeof(save));
	va_put16(buf + 6, 0xFFFF);
	TAP_EQ("msg_size_beyond_message", -EBADMSG, walk(buf, len, 1, &why));
	memcpy(buf, save, sizeof(save));
	buf[1] = 0x3E;
	TAP_EQ("unknown_bus_id", -EPROTO, walk(buf, len, 1, &why));
	memcpy(buf, save, sizeof(save));
	buf[0] = VA_TYPE_BUS | VA_TYPE_RESPONSE;
	TAP_EQ("hello_response_from_driver", -EPROTO, walk(buf, len, 1, &why));
	memcpy(buf, save, sizeof(save));
	va_put32(buf + 16, 100);	/* max_msg below 4 KiB */
	{
		struct va_iter it;
		struct va_msg m;
		struct va_hello h;

		va_iter_init(&it, buf, len);
		va_next(&it, &m, &why);
		TAP_EQ("hello_max_msg_too_small", -EBADMSG, va_decode_hello(&m, &h, &why));
	}
	memcpy(buf, save, sizeof(save));
}

/* Build one CHAIN request by hand to lie in each field. */
static uint32_t chain(uint8_t *b, uint16_t nout, uint16_t nin, uint32_t seg,
		      uint32_t data_len, uint32_t data_have)
{
	uint32_t n = (uint32_t)nout + nin, i, size = VA_CHAIN_REQ_FIXED + 4 * n;

	memset(b, 0, size + data_have + 8);
	b[1] = VA_MSG_CHAIN;
	va_put16(b + 6, (uint16_t)size);
	va_put16(b + 8, 0);
	va_put16(b + 20, nout);
	va_put16(b + 22, nin);
	va_put32(b + 24, data_len);
	for (i = 0; i < n; i++)
		va_put32(b + VA_CHAIN_REQ_FIXED + 4 * i, seg);
	return va_record_align(size + data_have);
}

static void test_chain_lies(void)
{
	const char *why = "";
	uint32_t len;

	len = chain(buf, 2, 1, 16, 32, 32);
	TAP_EQ("chain_honest", 1, walk(buf, len, 1, &why));
	len = chain(buf, 2, 1, 16, 32, 16);
	TAP_EQ("chain_data_len_beyond_message", -EBADMSG, walk(buf, len, 1, &why));
	len = chain(buf, 2, 1, 16, 24, 24);
	TAP_EQ("chain_seg_sum_differs_from_data_len", -EBADMSG, walk(buf, len, 1, &why));
	len = chain(buf, 0, 0, 0, 0, 0);
	TAP_EQ("chain_no_segments", -EBADMSG, walk(buf, len, 1, &why));
	len = chain(buf, VA_MAX_SEGS, 1, 0, 0, 0);
	TAP_EQ("chain_too_many_segments", -EMSGSIZE, walk(buf, len, 1, &why));
	len = chain(buf, 1, 2, 0x80000000U, 0x80000000U, 0);
	TAP_EQ("chain_huge_out_segment", -EBADMSG, walk(buf, len, 1, &why));
	len = chain(buf, 0, 4, 0xFFFFFFFFU, 0, 0);
	TAP_EQ("chain_in_lengths_wrap_32_bits", -EMSGSIZE, walk(buf, len, 1, &why));
	len = chain(buf, 1, 1, 8, 8, 8);
	va_put16(buf + 10, 1);
	TAP_EQ("chain_flags_nonzero", -EBADMSG, walk(buf, len, 1, &why));
	/* Found by tests/fuzz/fuzz_va_wire.c: the spec says 0, nobody checked. */
	len = chain(buf, 1, 1, 8, 8, 8);
	va_put16(buf + 4, 0x4b);
	TAP_EQ("chain_request_token_nonzero", -EBADMSG, walk(buf, len, 1, &why));
	len = va_encode_chain_resp(buf, sizeof(buf), 0, 1, VA_STATUS_OK, 7, 5, 0);
	va_put16(buf + 4, 1);
	TAP_EQ("chain_response_token_nonzero", -EBADMSG, walk(buf, len, 0, &why));
	len = chain(buf, 1, 1, 8, 8, 8);
	va_put16(buf + 6, VA_CHAIN_REQ_FIXED + 4);	/* seg table cut short */
	TAP_EQ("chain_msg_size_lies_about_segments", -EBADMSG, walk(buf, len, 1, &why));
	len = chain(buf, 1, 1, 5, 5, 5);
	buf[VA_CHAIN_REQ_FIXED + 8 + 5] = 1;	/* padding */
	TAP_EQ("chain_nonzero_padding", -EBADMSG, walk(buf, len, 1, &why));
	len = chain(buf, 1, 1, 8, 8, 8);
	buf[0] = VA_TYPE_RESPONSE;
	TAP_EQ("chain_request_from_device", -EBADMSG, walk(buf, len, 0, &why));
	{
		uint32_t segs[2] = { 4, 4 };
		const void *out[1] = { "abcd" };

		TAP_EQ("encoder_refuses_small_buffer", -ENOSPC,
		       va_encode_chain_req(buf, 16, 0, 0, 0, 0, 1, 1, segs, out));
		TAP_EQ("encoder_refuses_no_segments", -EMSGSIZE,
		       va_encode_chain_req(buf, sizeof(buf), 0, 0, 0, 0, 0, 0, segs, out));
	}
	{
		/* Built in place, as the kernel transport will: same bytes. */
		static uint8_t a[256], b[256];
		uint32_t segs[3] = { 5, 3, 7 };
		const void *out[2] = { "hello", "abc" };
		int la, lb;

		memset(a, 0xEE, sizeof(a));
		memset(b, 0xEE, sizeof(b));
		la = va_encode_chain_req(a, sizeof(a), 0, 1, 9, 4, 2, 1, segs, out);
		lb = va_encode_chain_req_hdr(b, sizeof(b), 0, 1, 9, 4, 2, 1, 8);
		va_put32(b + VA_CHAIN_REQ_FIXED, 5);
		va_put32(b + VA_CHAIN_REQ_FIXED + 4, 3);
		va_put32(b + VA_CHAIN_REQ_FIXED + 8, 7);
		memcpy(b + va_chain_req_data(3), "helloabc", 8);
		TAP_CHECK("chain_built_in_place_matches_encoder",
			  la == lb && la > 0 && !memcmp(a, b, (size_t)la), "la %d lb %d", la, lb);
		TAP_EQ("chain_built_in_place_valid", 1, walk(b, (uint32_t)lb, 1, &why));
	}
}

static void test_control_sizes(void)
{
	uint32_t w[10] = { 0, 2, 0x10, 0x20 };
	const char *why = "";
	int len;

	len = va_encode_ctrl(buf, sizeof(buf), 0, VA_MSG_SET_DRIVER_FEATURES, 0, 1, w, 4, NULL, 0);
	TAP_EQ("set_features_two_blocks", 1, walk(buf, len, 1, &why));
	len = va_encode_ctrl(buf, sizeof(buf), 0, VA_MSG_SET_DRIVER_FEATURES, 0, 1, w, 3, NULL, 0);
	TAP_EQ("set_features_num_blocks_lies", -EBADMSG, walk(buf, len, 1, &why));
	w[1] = 100;
	len = va_encode_ctrl(buf, sizeof(buf), 0, VA_MSG_SET_DRIVER_FEATURES, 0, 1, w, 2, NULL, 0);
	TAP_EQ("set_features_too_many_blocks", -EBADMSG, walk(buf, len, 1, &why));
	w[0] = 0; w[1] = 0; w[2] = 6;
	len = va_encode_ctrl(buf, sizeof(buf), 0, VA_MSG_SET_CONFIG, 0, 1, w, 3, "abcdef", 6);
	TAP_EQ("set_config_honest", 1, walk(buf, len, 1, &why));
	w[2] = 60;
	len = va_encode_ctrl(buf, sizeof(buf), 0, VA_MSG_SET_CONFIG, 0, 1, w, 3, "abcdef", 6);
	TAP_EQ("set_config_length_lies", -EBADMSG, walk(buf, len, 1, &why));
	w[0] = 0xFFFFFFF0U; w[2] = 0x20;
	len = va_encode_ctrl(buf, sizeof(buf), VA_TYPE_RESPONSE, VA_MSG_GET_CONFIG, 0, 1, w, 3, NULL, 0);
	TAP_EQ("get_config_resp_length_lies", -EBADMSG, walk(buf, len, 0, &why));
	len = va_encode_ctrl(buf, sizeof(buf), 0, VA_MSG_EVENT_AVAIL, 0, 0, w, 2, NULL, 0);
	TAP_EQ("event_avail_not_used_over_argo", -EPROTO, walk(buf, len, 1, &why));
	len = va_encode_ctrl(buf, sizeof(buf), 0, 0x3A, 0, 0, NULL, 0, NULL, 0);
	TAP_EQ("unknown_transport_id", -EPROTO, walk(buf, len, 1, &why));
	len = va_encode_ctrl(buf, sizeof(buf), 0, VA_MSG_GET_DEVICE_INFO, 0, 0, w, 1, NULL, 0);
	TAP_EQ("get_device_info_with_payload", -EBADMSG, walk(buf, len, 1, &why));
	w[0] = 0; w[1] = 0x40; w[2] = 0;
	len = va_encode_ctrl(buf, sizeof(buf), 0, VA_MSG_SET_VQUEUE, 0, 0, w, 10, NULL, 0);
	TAP_EQ("set_vqueue_reserved_flags", -EBADMSG, walk(buf, len, 1, &why));
	w[1] = 3;
	len = va_encode_ctrl(buf, sizeof(buf), 0, VA_MSG_SET_VQUEUE, 0, 0, w, 10, NULL, 0);
	TAP_EQ("set_vqueue_state_op_3", -EBADMSG, walk(buf, len, 1, &why));
	w[0] = 0; w[1] = 0; w[2] = 0; w[3] = 0;
	len = va_encode_ctrl(buf, sizeof(buf), 0, VA_MSG_EVENT_CONFIG, 0, 0, w, 4, NULL, 0);
	TAP_EQ("event_config_from_driver", -EPROTO, walk(buf, len, 1, &why));
	TAP_EQ("event_config_from_device", 1, walk(buf, len, 0, &why));
	TAP_EQ("ctrl_over_65535_refused", -EMSGSIZE,
	       va_encode_ctrl(buf, sizeof(buf), 0, VA_MSG_SET_CONFIG, 0, 0, w, 3, buf, 65530));
	TAP_CHECK("errors_name_the_problem", why && strlen(why) > 5, "why='%s'", why ? why : "(null)");
}

static void test_queue_state(void)
{
	uint32_t bm[VA_BITMAP_WORDS(64)];
	struct va_queue q;
	const char *why = "";

	va_queue_reset(&q, bm, 64, 3, 0);
	TAP_EQ("chain_on_disabled_queue", -EPROTO, va_chain_begin(&q, 3, 0, &why));
	va_queue_reset(&q, bm, 64, 3, 1);
	TAP_EQ("chain_begins", 0, va_chain_begin(&q, 3, 63, &why));
	TAP_EQ("chain_id_reuse_in_flight", -EPROTO, va_chain_begin(&q, 3, 63, &why));
	TAP_EQ("chain_id_beyond_size", -EBADMSG, va_chain_begin(&q, 3, 64, &why));
	TAP_EQ("chain_wrong_epoch", -EPROTO, va_chain_begin(&q, 2, 1, &why));
	TAP_EQ("completion_ends_chain", 1, va_chain_end(&q, 3, 63, &why));
	TAP_EQ("duplicate_completion", -EPROTO, va_chain_end(&q, 3, 63, &why));
	TAP_EQ("chain_id_reusable_after_completion", 0, va_chain_begin(&q, 3, 63, &why));
	va_queue_reset(&q, bm, 64, 4, 1);
	TAP_EQ("completion_of_old_epoch_dropped", 0, va_chain_end(&q, 3, 63, &why));
	TAP_EQ("reset_forgets_in_flight", 0, q.count);
	TAP_EQ("completion_beyond_size", -EBADMSG, va_chain_end(&q, 4, 1000, &why));
}

/* The first record of exactly len bytes (an exact heap copy, for ASan). */
static int first(const uint8_t *b, uint32_t len, const char **why)
{
	uint8_t *copy = malloc(len ? len : 1);
	struct va_iter it;
	struct va_msg m;
	int ret;

	memcpy(copy, b, len);
	va_iter_init(&it, copy, len);
	ret = va_next(&it, &m, why);
	free(copy);
	return ret;
}

/* The first record of buf, for the decoders called on their own. */
static void at(struct va_msg *m, uint32_t len)
{
	struct va_iter it;
	const char *why;

	va_iter_init(&it, buf, len);
	va_next(&it, m, &why);
}

/*
 * One test per check the others reach only behind a later check that
 * fails with the same errno (tests/mutate/mutants removes each in turn),
 * and the decoders on their own, as bridge.c calls them.
 */
/*
 * The typed decoders may be called on a va_msg that did not come from
 * va_next() (the header says so): a CHAIN request record whose msg_size
 * is short of its fixed part is refused before any field is read.
 */
static void test_decode_chain_req_direct(void)
{
	static const uint8_t rec[VA_CHAIN_REQ_FIXED] = { 0, VA_MSG_CHAIN, 0, 0, 0, 0, 16 };
	struct va_msg m = {
		.type = 0, .msg_id = VA_MSG_CHAIN, .msg_size = 16,
		.payload = rec + VA_HDR_SIZE, .payload_len = 8,
	};
	struct va_chain_req r;
	const char *why = "";

	int ret = va_decode_chain_req(&m, &r, &why);

	TAP_CHECK("decode_chain_req_direct_short_fixed_part",
		  ret == -EBADMSG && !strcmp(why, "CHAIN request shorter than its fixed part"),
		  "expected -EBADMSG for the fixed part, got %d (%s)", ret, why);
}

static void test_each_check(void)
{
	static const uint8_t ping0[8] = { VA_TYPE_BUS, VA_BUS_PING };	/* msg_size 0 */
	static const uint8_t chain16[16] = { 0, VA_MSG_CHAIN, 0, 0, 0, 0, 16 };
	uint8_t ping[16] = { VA_TYPE_BUS, VA_BUS_PING, 0, 0, 0, 0, 12 };
	uint32_t w[10] = { 0 }, bm[VA_BITMAP_WORDS(64)];
	struct va_hello h = { VA_VIRTIO_MSG_REVISION, VA_VERSION, 65536, 0 };
	struct va_chain_resp cr;
	struct va_chain_req rq;
	struct va_vqueue q;
	struct va_queue st;
	struct va_msg m;
	const char *why = "";
	int len;

	TAP_EQ("record_msg_size_0_refused", -EBADMSG, first(ping0, sizeof(ping0), &why));
	TAP_EQ("chain_record_shorter_than_fixed_part", -EBADMSG,
	       first(chain16, sizeof(chain16), &why));
	TAP_EQ("last_record_with_partial_padding", -EBADMSG, first(ping, 14, &why));
	TAP_EQ("last_record_without_padding", 1, first(ping, 12, &why));
	ping[2] = 1;
	TAP_EQ("bus_message_with_dev_num", -EBADMSG, walk(ping, 16, 0, &why));

	/* Feature blocks: at most 4, and first + count within the 4. */
	w[0] = 0; w[1] = 5;
	len = va_encode_ctrl(buf, sizeof(buf), 0, VA_MSG_SET_DRIVER_FEATURES, 0, 1, w, 7, NULL, 0);
	TAP_EQ("set_features_five_blocks", -EBADMSG, walk(buf, len, 1, &why));
	w[0] = 4; w[1] = 1;
	len = va_encode_ctrl(buf, sizeof(buf), 0, VA_MSG_SET_DRIVER_FEATURES, 0, 1, w, 3, NULL, 0);
	TAP_EQ("set_features_block_past_127", -EBADMSG, walk(buf, len, 1, &why));
	w[0] = 3;
	len = va_encode_ctrl(buf, sizeof(buf), 0, VA_MSG_SET_DRIVER_FEATURES, 0, 1, w, 3, NULL, 0);
	TAP_EQ("set_features_last_block", 1, walk(buf, len, 1, &why));
	len = va_encode_ctrl(buf, sizeof(buf), 0, VA_MSG_SET_DRIVER_FEATURES, 0, 1, w, 4, NULL, 0);
	TAP_EQ("set_features_more_words_than_blocks", -EBADMSG, walk(buf, len, 1, &why));
	len = va_encode_ctrl(buf, sizeof(buf), 0, VA_MSG_SET_DRIVER_FEATURES, 0, 1, w, 1, NULL, 0);
	walk(buf, len, 1, &why);
	TAP_CHECK("set_features_without_count_named_too_short", strstr(why, "too short") != NULL,
		  "why='%s'", why);

	/* Config: the length word must account for every byte. */
	w[0] = 0; w[1] = 0; w[2] = 2;
	len = va_encode_ctrl(buf, sizeof(buf), 0, VA_MSG_SET_CONFIG, 0, 1, w, 3, "abcdef", 6);
	TAP_EQ("set_config_more_bytes_than_length", -EBADMSG, walk(buf, len, 1, &why));
	w[2] = 6;
	len = va_encode_ctrl(buf, sizeof(buf), 0, VA_MSG_SET_CONFIG, 0, 1, w, 3, NULL, 0);
	TAP_EQ("set_config_length_without_data", -EBADMSG, walk(buf, len, 1, &why));
	len = va_encode_ctrl(buf, sizeof(buf), 0, VA_MSG_SET_CONFIG, 0, 1, w, 2, NULL, 0);
	walk(buf, len, 1, &why);
	TAP_CHECK("set_config_without_length_named_too_short", strstr(why, "too short") != NULL,
		  "why='%s'", why);

	/* Direction and kind of bus messages and events. */
	w[0] = VA_RESET_PROTOCOL;
	len = va_encode_ctrl(buf, sizeof(buf), VA_TYPE_BUS, VA_BUS_EVENT_RESET, 0, 0, w, 1, NULL, 0);
	TAP_EQ("event_reset_from_device", 1, walk(buf, len, 0, &why));
	TAP_EQ("event_reset_from_driver", -EPROTO, walk(buf, len, 1, &why));
	buf[0] |= VA_TYPE_RESPONSE;
	TAP_EQ("event_reset_as_response", -EPROTO, walk(buf, len, 0, &why));
	w[0] = 0;
	len = va_encode_ctrl(buf, sizeof(buf), VA_TYPE_RESPONSE, VA_MSG_EVENT_CONFIG, 0, 0, w, 4,
			     NULL, 0);
	TAP_EQ("event_marked_response", -EBADMSG, walk(buf, len, 0, &why));
	len = va_encode_ctrl(buf, sizeof(buf), 0, 0x43, 0, 0, w, 1, NULL, 0);
	TAP_EQ("unknown_event_id", -EPROTO, walk(buf, len, 0, &why));

	/* data_len that wraps msg_size + data_len to a small aligned size. */
	len = (int)chain(buf, 1, 1, 8, 0xFFFFFFE4U, 0);
	TAP_EQ("chain_data_len_wrapping_32_bits", -EBADMSG, first(buf, (uint32_t)len, &why));

	/* CHAIN records the iterator lets through. */
	len = (int)chain(buf, 1, 1, 8, 8, 8);
	va_put16(buf + 6, VA_CHAIN_REQ_FIXED + 12);	/* a segment more than n_out + n_in */
	TAP_EQ("chain_msg_size_longer_than_segments", -EBADMSG, walk(buf, len, 1, &why));
	len = va_encode_chain_resp(buf, sizeof(buf), 0, 1, VA_STATUS_OK, 7, 5, 0);
	va_put16(buf + 6, VA_CHAIN_RESP_FIXED + 8);
	TAP_EQ("chain_response_longer_than_fixed", -EBADMSG, walk(buf, len + 8, 0, &why));
	len = va_encode_chain_resp(buf, sizeof(buf), 0, 1, VA_STATUS_OK, 7, 5, 8);
	va_put16(buf + 10, VA_STATUS_IOERR);
	TAP_EQ("failed_chain_response_with_data", -EBADMSG, walk(buf, len, 0, &why));

	/* Each decoder refuses what is not its message. */
	len = va_encode_hello(buf, sizeof(buf), 0, 1, &h);
	at(&m, len);
	TAP_EQ("chain_req_decoder_refuses_hello", -EPROTO, va_decode_chain_req(&m, &rq, &why));
	TAP_EQ("vqueue_decoder_refuses_hello", -EPROTO, va_decode_vqueue(&m, &q, &why));
	w[0] = 0;
	len = va_encode_ctrl(buf, sizeof(buf), 0, VA_MSG_GET_VQUEUE, 0, 1, w, 1, NULL, 0);
	at(&m, len);
	TAP_EQ("vqueue_decoder_refuses_get_vqueue_request", -EPROTO,
	       va_decode_vqueue(&m, &q, &why));
	h.features = 0x80;
	len = va_encode_hello(buf, sizeof(buf), 0, 1, &h);
	at(&m, len);
	TAP_EQ("hello_unknown_feature", -EBADMSG, va_decode_hello(&m, &h, &why));
	h.features = 0;
	h.max_msg = VA_MAX_MSG + 1;
	len = va_encode_hello(buf, sizeof(buf), 0, 1, &h);
	at(&m, len);
	TAP_EQ("hello_max_msg_over_16MiB", -EBADMSG, va_decode_hello(&m, &h, &why));
	/* Without features: each word it has is valid. */
	w[0] = VA_VIRTIO_MSG_REVISION; w[1] = VA_VERSION; w[2] = 0x10000;
	len = va_encode_ctrl(buf, sizeof(buf), VA_TYPE_BUS, VA_BUS_HELLO, 0, 1, w, 3, NULL, 0);
	at(&m, len);
	TAP_EQ("hello_decoder_refuses_short_hello", -EBADMSG, va_decode_hello(&m, &h, &why));
	len = va_encode_ctrl(buf, sizeof(buf), 0, VA_MSG_GET_CONFIG, 0, 1, w, 2, NULL, 0);
	at(&m, len);
	TAP_EQ("hello_decoder_refuses_get_config", -EPROTO, va_decode_hello(&m, &h, &why));
	len = (int)chain(buf, 1, 1, 8, 8, 8);
	at(&m, len);
	TAP_EQ("chain_resp_decoder_refuses_request", -EPROTO, va_decode_chain_resp(&m, &cr, &why));
	memset(w, 0, sizeof(w));
	w[1] = 0x40;
	len = va_encode_ctrl(buf, sizeof(buf), 0, VA_MSG_SET_VQUEUE, 0, 0, w, 10, NULL, 0);
	at(&m, len);
	TAP_EQ("vqueue_decoder_validates", -EBADMSG, va_decode_vqueue(&m, &q, &why));

	/* A queue disabled with a chain in flight drops its completion. */
	va_queue_reset(&st, bm, 64, 3, 1);
	va_chain_begin(&st, 3, 9, &why);
	st.enabled = 0;
	TAP_EQ("completion_on_disabled_queue_dropped", 0, va_chain_end(&st, 3, 9, &why));

	/* Encoders: a record over 16 MiB, a control message over 4 GiB. */
	TAP_EQ("encoder_refuses_record_over_16MiB", -EMSGSIZE,
	       va_encode_chain_resp(buf, 0xFFFFFFFFU, 0, 1, VA_STATUS_OK, 7, 5, VA_MAX_MSG));
	TAP_EQ("encoder_refuses_ctrl_size_wrapping_32_bits", -EMSGSIZE,
	       va_encode_ctrl(buf, sizeof(buf), 0, VA_MSG_SET_CONFIG, 0, 0, w, 0x40000000U, NULL, 0));
}

/* Random byte mutations of a valid batch: any result but a crash. */
static void test_mutations(void)
{
	uint32_t len = make_batch(buf, sizeof(buf)), i;
	uint8_t *copy = malloc(len);
	const char *why;
	int accepted = 0;

	for (i = 0; i < 20000; i++) {
		uint32_t k, n = 1 + rnd(4), cut = len - rnd(16);

		memcpy(copy, buf, len);
		for (k = 0; k < n; k++)
			copy[rnd(len)] = (uint8_t)rnd(256);
		why = NULL;
		if (walk(copy, cut, 1, &why) > 0)
			accepted++;
	}
	free(copy);
	TAP_CHECK("mutations_survived", accepted < 20000, "accepted %d of 20000", accepted);
}

int main(void)
{
	test_roundtrip();
	test_response();
	test_hostile();
	test_chain_lies();
	test_control_sizes();
	test_queue_state();
	test_each_check();
	test_decode_chain_req_direct();
	test_mutations();
	return tap_done();
}
