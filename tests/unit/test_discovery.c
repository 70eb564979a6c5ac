// SPDX-License-Identifier: MIT
/*
 * Host tests for linux/argo/discovery.c, the discovery codec argo.ko,
 * argo-discoveryd and argo-discover all run. Round trips of every message,
 * then hostile inputs: truncated, oversized, wrong version, unknown type,
 * lying lengths, bad fields; and random corruption of valid messages must
 * never be read past the end (ASan) nor decode to something the encoder
 * would not have produced.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <argo/discovery.h>
#include "tap.h"

static struct argo_disc_dev dev(uint16_t n, uint32_t id, uint32_t port)
{
	struct argo_disc_dev d = {
		.dev_num = n, .num_queues = 2, .device_id = id, .vendor_id = 0x1af4,
		.backend_port = port, .backend_ring = 256 * 1024, .frontend_ring = 64 * 1024,
		.queue_size = 256, .features = 0x0000000130000246ull,
	};
	return d;
}

static int dev_eq(const struct argo_disc_dev *a, const struct argo_disc_dev *b)
{
	return a->dev_num == b->dev_num && a->num_queues == b->num_queues &&
	       a->device_id == b->device_id && a->vendor_id == b->vendor_id &&
	       a->backend_port == b->backend_port && a->backend_ring == b->backend_ring &&
	       a->frontend_ring == b->frontend_ring && a->queue_size == b->queue_size &&
	       a->features == b->features;
}

/* Decode a copy of exactly len bytes in a heap buffer, so ASan sees any
 * read past the end. */
static int decode_exact(const uint8_t *b, uint32_t len, struct argo_disc_msg *m)
{
	uint8_t *copy = malloc(len ? len : 1);
	int r;

	memcpy(copy, b, len);
	r = argo_disc_decode(copy, len, m);
	free(copy);
	return r;
}

static int encode(uint8_t *buf, const struct argo_disc_msg *m, const struct argo_disc_dev *d)
{
	return argo_disc_encode(buf, ARGO_DISC_MSG_MAX, m, d);
}

static void test_round_trips(void)
{
	struct argo_disc_dev devs[ARGO_DISC_RECORDS_MAX], got;
	struct argo_disc_msg m = { 0 }, r;
	uint8_t buf[ARGO_DISC_MSG_MAX];
	unsigned int i, same = 1;
	int n;

	m.hdr.type = ARGO_DISC_TYPE_BUS;
	m.hdr.msg_id = ARGO_DISC_MSG_GET_DEVICES;
	m.hdr.token = 0xBEEF;
	m.u.get_req.offset = 1;
	m.u.get_req.count = 0xFFFF;
	n = encode(buf, &m, NULL);
	TAP_EQ("get_devices_request_is_20_bytes", 20, n);
	TAP_EQ("get_devices_request_header_little_endian_token", 0xEF, buf[4]);
	TAP_EQ("get_devices_request_msg_size_le", 20, buf[6] | buf[7] << 8);
	TAP_EQ("get_devices_request_is_virtio_msg_bus_type", 0x02, buf[0]);
	TAP_EQ("get_devices_request_decodes", ARGO_DISC_OK, decode_exact(buf, n, &r));
	TAP_CHECK("get_devices_request_fields_survive",
		  r.u.get_req.offset == 1 && r.u.get_req.count == 0xFFFF && r.hdr.token == 0xBEEF,
		  "expected 1/65535/0xbeef, got %u/%u/%#x", r.u.get_req.offset,
		  r.u.get_req.count, r.hdr.token);

	for (i = 0; i < ARGO_DISC_RECORDS_MAX; i++)
		devs[i] = dev((uint16_t)(3 + 2 * i), i % 3 + 1, 6000 + i);
	devs[1].features = 0xFFFFFFFFFFFFFFFFull;
	memset(&m, 0, sizeof(m));
	m.hdr.type = ARGO_DISC_TYPE_BUS | ARGO_DISC_TYPE_RESPONSE;
	m.hdr.msg_id = ARGO_DISC_MSG_GET_DEVICES;
	m.hdr.generation = 0x01020304;
	m.u.get_resp.offset = 1;
	m.u.get_resp.next_offset = 100;
	m.u.get_resp.count = ARGO_DISC_RECORDS_MAX;
	n = encode(buf, &m, devs);
	TAP_EQ("get_devices_full_response_fits_max", ARGO_DISC_HDR_SIZE + 8 +
	       ARGO_DISC_RECORDS_MAX * ARGO_DISC_DEV_SIZE, n);
	TAP_CHECK("get_devices_full_response_within_512", n <= ARGO_DISC_MSG_MAX,
		  "expected <= 512, got %d", n);
	TAP_EQ("get_devices_response_decodes", ARGO_DISC_OK, decode_exact(buf, n, &r));
	/* decode_exact() decoded a copy it has freed: read our buffer. */
	r.u.get_resp.records = buf + ARGO_DISC_HDR_SIZE + 8;
	for (i = 0; i < r.u.get_resp.count; i++) {
		argo_disc_record(&r, i, &got);
		same &= dev_eq(&got, &devs[i]);
	}
	TAP_CHECK("get_devices_records_survive", same && r.u.get_resp.count == ARGO_DISC_RECORDS_MAX &&
		  r.hdr.generation == 0x01020304 && r.u.get_resp.next_offset == 100,
		  "expected %u identical records, got count %u same %u", ARGO_DISC_RECORDS_MAX,
		  r.u.get_resp.count, same);
	m.u.get_resp.count = ARGO_DISC_RECORDS_MAX + 1;
	TAP_EQ("encode_refuses_too_many_records", -EMSGSIZE, encode(buf, &m, devs));
	m.u.get_resp.count = 2;
	TAP_EQ("encode_refuses_short_buffer", -EMSGSIZE, argo_disc_encode(buf, 40, &m, devs));
	devs[1].queue_size = 3;
	TAP_EQ("encode_refuses_invalid_record", -EINVAL, encode(buf, &m, devs));
	devs[1].queue_size = 256;

	memset(&m, 0, sizeof(m));
	m.hdr.type = ARGO_DISC_TYPE_BUS;
	m.hdr.msg_id = ARGO_DISC_MSG_EVENT_DEVICE;
	m.hdr.generation = 7;
	m.u.event.state = ARGO_DISC_DEV_REMOVED;
	m.u.event.dev = dev(9, 2, 6001);
	n = encode(buf, &m, NULL);
	TAP_EQ("event_device_is_64_bytes", 64, n);
	TAP_EQ("event_device_decodes", ARGO_DISC_OK, decode_exact(buf, n, &r));
	TAP_CHECK("event_device_fields_survive", r.u.event.state == ARGO_DISC_DEV_REMOVED &&
		  dev_eq(&r.u.event.dev, &m.u.event.dev) &&
		  r.hdr.generation == 7, "expected removed dev 9 gen 7, got state %u dev %u gen %u",
		  r.u.event.state, r.u.event.dev.dev_num, r.hdr.generation);

	memset(&m, 0, sizeof(m));
	m.hdr.type = ARGO_DISC_TYPE_BUS;
	m.hdr.msg_id = ARGO_DISC_MSG_SUBSCRIBE;
	m.u.sub.event_port = 5012;
	m.u.sub.flags = ARGO_DISC_SUB_ON;
	n = encode(buf, &m, NULL);
	TAP_CHECK("subscribe_round_trip", n == 24 && decode_exact(buf, n, &r) == 0 &&
		  r.u.sub.event_port == 5012 && r.u.sub.flags == ARGO_DISC_SUB_ON,
		  "expected 24 bytes port 5012, got %d port %u", n, r.u.sub.event_port);
	m.hdr.type |= ARGO_DISC_TYPE_RESPONSE;
	n = encode(buf, &m, NULL);
	TAP_EQ("subscribe_response_is_header_only", 16, n);

	memset(&m, 0, sizeof(m));
	m.hdr.type = ARGO_DISC_TYPE_BUS | ARGO_DISC_TYPE_RESPONSE;
	m.hdr.msg_id = ARGO_DISC_MSG_PING;
	m.u.ping = 0xA5A5F00D;
	n = encode(buf, &m, NULL);
	TAP_CHECK("ping_round_trip", n == 20 && decode_exact(buf, n, &r) == 0 &&
		  r.u.ping == 0xA5A5F00D, "expected 20 bytes 0xa5a5f00d, got %d %#x", n, r.u.ping);

	memset(&m, 0, sizeof(m));
	m.hdr.type = ARGO_DISC_TYPE_BUS | ARGO_DISC_TYPE_RESPONSE;
	m.hdr.msg_id = 0x77;
	m.hdr.status = ARGO_DISC_E_TYPE;
	n = encode(buf, &m, NULL);
	TAP_CHECK("error_response_for_unknown_id_round_trip", n == 16 &&
		  decode_exact(buf, n, &r) == 0 && r.hdr.status == ARGO_DISC_E_TYPE &&
		  r.hdr.msg_id == 0x77, "expected 16 bytes status 2, got %d status %u", n,
		  r.hdr.status);
	m.hdr.msg_id = 0x77;
	m.hdr.status = 0;
	TAP_EQ("encode_refuses_unknown_id", -EINVAL, encode(buf, &m, NULL));
}

/* A valid GET_DEVICES request, in buf; returns its length. */
static int get_req(uint8_t *buf)
{
	struct argo_disc_msg m = { .hdr = { .type = ARGO_DISC_TYPE_BUS,
		.msg_id = ARGO_DISC_MSG_GET_DEVICES, .token = 5 } };

	m.u.get_req.offset = 0;
	m.u.get_req.count = 64;
	return encode(buf, &m, NULL);
}

#define HOSTILE(name, status, buf, len) do {					\
	struct argo_disc_msg r_;						\
	int s_ = decode_exact(buf, len, &r_);					\
	TAP_CHECK(name, s_ == (status) && r_.why,				\
		  "expected status %d with a reason, got %d (%s)", status, s_,	\
		  r_.why ? r_.why : "no reason");				\
} while (0)

static void test_hostile(void)
{
	struct argo_disc_dev devs[3] = { dev(1, 2, 6000), dev(2, 1, 6001), dev(4, 3, 6002) };
	struct argo_disc_msg m = { 0 }, r;
	uint8_t buf[ARGO_DISC_MSG_MAX + 64], big[4096];
	int n, i;

	n = get_req(buf);
	for (i = 0; i < ARGO_DISC_HDR_SIZE; i++) {
		struct argo_disc_msg t;

		if (decode_exact(buf, (uint32_t)i, &t) != ARGO_DISC_E_LENGTH)
			break;
	}
	TAP_EQ("truncated_below_header_every_length_is_length_error", ARGO_DISC_HDR_SIZE, i);
	HOSTILE("truncated_payload_msg_size_lies", ARGO_DISC_E_LENGTH, buf, n - 1);
	HOSTILE("zero_length", ARGO_DISC_E_LENGTH, buf, 0);

	/* A truncated message whose msg_size was fixed up to match. */
	buf[6] = (uint8_t)(n - 2);
	HOSTILE("truncated_payload_consistent_header", ARGO_DISC_E_LENGTH, buf, n - 2);
	n = get_req(buf);

	memset(big, 0, sizeof(big));
	memcpy(big, buf, n);
	big[6] = 0x00;
	big[7] = 0x10;	/* msg_size 4096 */
	HOSTILE("oversized_4096", ARGO_DISC_E_LENGTH, big, sizeof(big));
	HOSTILE("oversized_513", ARGO_DISC_E_LENGTH, big, ARGO_DISC_MSG_MAX + 1);
	decode_exact(big, sizeof(big), &r);
	TAP_CHECK("oversized_named_as_over_the_maximum", r.why && strstr(r.why, "512-byte maximum"),
		  "got %s", r.why ? r.why : "no reason");
	memcpy(big, buf, n);
	HOSTILE("trailing_bytes_after_msg_size", ARGO_DISC_E_LENGTH, big, n + 4);
	big[6] = (uint8_t)(n + 4);
	HOSTILE("get_devices_request_with_extra_payload", ARGO_DISC_E_LENGTH, big, n + 4);

	buf[8] = 2;
	HOSTILE("wrong_version_2", ARGO_DISC_E_VERSION, buf, n);
	buf[8] = 0;
	HOSTILE("wrong_version_0", ARGO_DISC_E_VERSION, buf, n);
	decode_exact(buf, n, &r);
	TAP_EQ("wrong_version_keeps_token_for_reply", 5, r.hdr.token);
	n = get_req(buf);

	buf[1] = 0x3F;
	HOSTILE("unknown_request_id", ARGO_DISC_E_TYPE, buf, n);
	buf[1] = 0x81;
	HOSTILE("unknown_bus_specific_id", ARGO_DISC_E_TYPE, buf, n);
	n = get_req(buf);
	buf[0] = 0x00;
	HOSTILE("transport_message_not_bus", ARGO_DISC_E_TYPE, buf, n);
	buf[0] = 0x06;
	HOSTILE("type_reserved_bits", ARGO_DISC_E_TYPE, buf, n);
	n = get_req(buf);
	buf[2] = 1;
	HOSTILE("bus_message_with_dev_num", ARGO_DISC_E_INVALID, buf, n);
	n = get_req(buf);
	buf[9] = 1;
	HOSTILE("header_reserved_byte", ARGO_DISC_E_INVALID, buf, n);
	n = get_req(buf);
	buf[10] = 1;
	HOSTILE("request_with_status", ARGO_DISC_E_INVALID, buf, n);
	n = get_req(buf);
	buf[12] = 1;
	HOSTILE("request_with_generation", ARGO_DISC_E_INVALID, buf, n);
	n = get_req(buf);
	buf[18] = 0;
	buf[19] = 0;
	HOSTILE("get_devices_empty_window", ARGO_DISC_E_INVALID, buf, n);
	buf[16] = 0xFF;
	buf[17] = 0xFF;
	buf[18] = 2;
	HOSTILE("get_devices_window_past_65535", ARGO_DISC_E_INVALID, buf, n);

	/* Lying lengths in a GET_DEVICES response. */
	m.hdr.type = ARGO_DISC_TYPE_BUS | ARGO_DISC_TYPE_RESPONSE;
	m.hdr.msg_id = ARGO_DISC_MSG_GET_DEVICES;
	m.u.get_resp.offset = 1;
	m.u.get_resp.count = 3;
	n = encode(buf, &m, devs);
	TAP_EQ("three_record_response_encodes", 16 + 8 + 3 * 40, n);
	buf[20] = 4;
	HOSTILE("record_count_claims_more_than_sent", ARGO_DISC_E_LENGTH, buf, n);
	buf[20] = 2;
	HOSTILE("record_count_claims_fewer_than_sent", ARGO_DISC_E_LENGTH, buf, n);
	buf[20] = 0xFF;
	buf[21] = 0xFF;
	HOSTILE("record_count_65535", ARGO_DISC_E_LENGTH, buf, n);
	n = encode(buf, &m, devs);
	buf[24 + 40] = 1;	/* record 2 renumbered 1: duplicate */
	HOSTILE("records_duplicate_number", ARGO_DISC_E_INVALID, buf, n);
	n = encode(buf, &m, devs);
	buf[24 + 24] = 0;
	buf[24 + 25] = 0;	/* queue_size 0 */
	HOSTILE("record_queue_size_zero", ARGO_DISC_E_INVALID, buf, n);
	n = encode(buf, &m, devs);
	buf[24 + 16 + 3] = 0x02;	/* backend ring 32 MiB + 256 KiB */
	HOSTILE("record_ring_over_16MiB", ARGO_DISC_E_INVALID, buf, n);
	n = encode(buf, &m, devs);
	buf[24 + 28] = 1;
	HOSTILE("record_reserved_field", ARGO_DISC_E_INVALID, buf, n);
	n = encode(buf, &m, devs);
	buf[24 + 4] = 0;	/* device id 0 */
	HOSTILE("record_device_id_zero", ARGO_DISC_E_INVALID, buf, n);
	n = encode(buf, &m, devs);
	buf[18] = 2;	/* next_offset 2 <= last record 4 */
	HOSTILE("next_offset_backwards", ARGO_DISC_E_INVALID, buf, n);

	memset(&m, 0, sizeof(m));
	m.hdr.type = ARGO_DISC_TYPE_BUS | ARGO_DISC_TYPE_RESPONSE;
	m.hdr.msg_id = ARGO_DISC_MSG_PING;
	m.hdr.status = ARGO_DISC_E_LENGTH;
	n = encode(buf, &m, NULL);
	memset(buf + n, 0, 4);
	buf[6] = 20;
	HOSTILE("error_response_with_payload", ARGO_DISC_E_LENGTH, buf, 20);
	buf[6] = 16;
	buf[10] = 99;
	HOSTILE("error_response_unknown_status", ARGO_DISC_E_INVALID, buf, 16);

	memset(&m, 0, sizeof(m));
	m.hdr.type = ARGO_DISC_TYPE_BUS;
	m.hdr.msg_id = ARGO_DISC_MSG_SUBSCRIBE;
	m.u.sub.flags = ARGO_DISC_SUB_ON;
	n = encode(buf, &m, NULL);
	buf[20] |= 0x80;
	HOSTILE("subscribe_unknown_flag", ARGO_DISC_E_INVALID, buf, n);

	memset(&m, 0, sizeof(m));
	m.hdr.type = ARGO_DISC_TYPE_BUS;
	m.hdr.msg_id = ARGO_DISC_MSG_EVENT_DEVICE;
	m.u.event.state = ARGO_DISC_DEV_ADDED;
	m.u.event.dev = devs[0];
	n = encode(buf, &m, NULL);
	buf[16] = 9;
	HOSTILE("event_number_disagrees_with_record", ARGO_DISC_E_INVALID, buf, n);
	n = encode(buf, &m, NULL);
	buf[18] = 3;
	HOSTILE("event_unknown_state", ARGO_DISC_E_INVALID, buf, n);
	n = encode(buf, &m, NULL);
	buf[0] |= ARGO_DISC_TYPE_RESPONSE;
	HOSTILE("event_marked_response", ARGO_DISC_E_TYPE, buf, n);
}

/*
 * Each limit of a device record, at the limit and one step past it: the
 * record validator is what keeps argo.ko from sizing rings and queues
 * from a hostile daemon's numbers (tests/mutate/mutants breaks each).
 */
#define DEV_CASE(name, field, value, valid) do {				\
	struct argo_disc_dev d_ = dev(1, 2, 6000);				\
	const char *w_;								\
										\
	d_.field = (value);							\
	w_ = argo_disc_dev_invalid(&d_);					\
	TAP_CHECK(name, (valid) ? !w_ : !!w_, "expected %s, got %s",		\
		  (valid) ? "valid" : "a reason", w_ ? w_ : "valid");		\
} while (0)

static void test_record_limits(void)
{
	DEV_CASE("record_dev_num_0_invalid", dev_num, 0, 0);
	DEV_CASE("record_dev_num_65535_valid", dev_num, 0xFFFF, 1);
	DEV_CASE("record_device_id_max_valid", device_id, ARGO_DISC_DEVICE_ID_MAX, 1);
	DEV_CASE("record_device_id_over_max_invalid", device_id, ARGO_DISC_DEVICE_ID_MAX + 1, 0);
	DEV_CASE("record_device_id_huge_invalid", device_id, 0xFFFFFFFFu, 0);
	DEV_CASE("record_num_queues_0_invalid", num_queues, 0, 0);
	DEV_CASE("record_num_queues_max_valid", num_queues, ARGO_DISC_QUEUES_MAX, 1);
	DEV_CASE("record_num_queues_over_max_invalid", num_queues, ARGO_DISC_QUEUES_MAX + 1, 0);
	DEV_CASE("record_queue_size_32768_valid", queue_size, 32768, 1);
	DEV_CASE("record_queue_size_1_valid", queue_size, 1, 1);
	DEV_CASE("record_queue_size_96_invalid", queue_size, 96, 0);
	DEV_CASE("record_backend_ring_min_valid", backend_ring, ARGO_DISC_RING_MIN, 1);
	DEV_CASE("record_backend_ring_below_min_invalid", backend_ring, ARGO_DISC_RING_MIN - 16, 0);
	DEV_CASE("record_backend_ring_max_valid", backend_ring, ARGO_DISC_RING_MAX, 1);
	DEV_CASE("record_backend_ring_over_max_invalid", backend_ring, ARGO_DISC_RING_MAX + 16, 0);
	DEV_CASE("record_backend_ring_unaligned_invalid", backend_ring, ARGO_DISC_RING_MIN + 8, 0);
	DEV_CASE("record_frontend_ring_min_valid", frontend_ring, ARGO_DISC_RING_MIN, 1);
	DEV_CASE("record_frontend_ring_below_min_invalid", frontend_ring, ARGO_DISC_RING_MIN - 16, 0);
	DEV_CASE("record_frontend_ring_max_valid", frontend_ring, ARGO_DISC_RING_MAX, 1);
	DEV_CASE("record_frontend_ring_over_max_invalid", frontend_ring, ARGO_DISC_RING_MAX + 16, 0);
	DEV_CASE("record_frontend_ring_unaligned_invalid", frontend_ring, ARGO_DISC_RING_MIN + 8, 0);
}

/* The same checks reached from the wire, where argo.ko meets them. */
static void test_hostile_fields(void)
{
	struct argo_disc_dev devs[2] = { dev(3, 2, 6000), dev(5, 1, 6001) };
	struct argo_disc_msg m = { 0 }, r;
	uint8_t buf[ARGO_DISC_MSG_MAX];
	int n;

	/* An event's record at 24: dev_num 24, queues 26, rings 40 and 44. */
	m.hdr.type = ARGO_DISC_TYPE_BUS;
	m.hdr.msg_id = ARGO_DISC_MSG_EVENT_DEVICE;
	m.u.event.state = ARGO_DISC_DEV_ADDED;
	m.u.event.dev = devs[0];
	n = encode(buf, &m, NULL);
	buf[16] = buf[24] = 0;
	HOSTILE("event_device_number_0", ARGO_DISC_E_INVALID, buf, n);
	n = encode(buf, &m, NULL);
	buf[26] = 0;
	HOSTILE("event_record_no_queues", ARGO_DISC_E_INVALID, buf, n);
	n = encode(buf, &m, NULL);
	buf[40] = 8;
	HOSTILE("event_record_backend_ring_unaligned", ARGO_DISC_E_INVALID, buf, n);
	n = encode(buf, &m, NULL);
	buf[50] = 1;
	HOSTILE("event_record_reserved_16", ARGO_DISC_E_INVALID, buf, n);
	n = encode(buf, &m, NULL);
	buf[18] = 0;
	HOSTILE("event_state_0", ARGO_DISC_E_INVALID, buf, n);
	n = encode(buf, &m, NULL);
	buf[20] = 1;
	HOSTILE("event_reserved_field", ARGO_DISC_E_INVALID, buf, n);
	n = encode(buf, &m, NULL);
	buf[6] = (uint8_t)(n + 8);
	memset(buf + n, 0, 8);
	HOSTILE("event_longer_than_48", ARGO_DISC_E_LENGTH, buf, n + 8);

	/* GET_DEVICES responses: fixed part, window, reason for the count. */
	memset(&m, 0, sizeof(m));
	m.hdr.type = ARGO_DISC_TYPE_BUS | ARGO_DISC_TYPE_RESPONSE;
	m.hdr.msg_id = ARGO_DISC_MSG_GET_DEVICES;
	m.u.get_resp.offset = 1;
	m.u.get_resp.count = 2;
	n = encode(buf, &m, devs);
	buf[6] = 20;
	HOSTILE("get_devices_response_shorter_than_fixed_part", ARGO_DISC_E_LENGTH, buf, 20);
	n = encode(buf, &m, devs);
	buf[16] = 4;	/* window starts at 4, first record is 3 */
	HOSTILE("get_devices_record_before_window", ARGO_DISC_E_INVALID, buf, n);
	n = encode(buf, &m, devs);
	buf[20] = 0xFF;
	buf[21] = 0xFF;
	decode_exact(buf, (uint32_t)n, &r);
	TAP_CHECK("get_devices_count_65535_named_as_over_the_limit",
		  r.why && strstr(r.why, "over the limit"), "got %s", r.why ? r.why : "no reason");
	{
		struct argo_disc_dev many[ARGO_DISC_RECORDS_MAX + 1];
		uint8_t roomy[4096];
		unsigned int i;

		for (i = 0; i <= ARGO_DISC_RECORDS_MAX; i++)
			many[i] = dev((uint16_t)(i + 1), 1, 6000);
		m.u.get_resp.count = ARGO_DISC_RECORDS_MAX + 1;
		TAP_EQ("encode_refuses_too_many_records_even_with_room", -EMSGSIZE,
		       argo_disc_encode(roomy, sizeof(roomy), &m, many));
	}
	m.u.get_resp.offset = 5;
	m.u.get_resp.next_offset = 3;
	m.u.get_resp.count = 0;
	n = encode(buf, &m, devs);
	TAP_EQ("encode_refuses_next_offset_before_offset", -EINVAL, n);
	m.u.get_resp.next_offset = 6;
	n = encode(buf, &m, devs);
	buf[18] = 5;	/* next_offset 5 = offset, no records */
	HOSTILE("get_devices_empty_next_offset_not_after_offset", ARGO_DISC_E_INVALID, buf, n);

	/* PING and SUBSCRIBE lengths. */
	memset(&m, 0, sizeof(m));
	m.hdr.type = ARGO_DISC_TYPE_BUS;
	m.hdr.msg_id = ARGO_DISC_MSG_PING;
	n = encode(buf, &m, NULL);
	memset(buf + n, 0, 4);
	buf[6] = (uint8_t)(n + 4);
	HOSTILE("ping_longer_than_4", ARGO_DISC_E_LENGTH, buf, n + 4);
	m.hdr.msg_id = ARGO_DISC_MSG_SUBSCRIBE;
	n = encode(buf, &m, NULL);
	memset(buf + n, 0, 4);
	buf[6] = (uint8_t)(n + 4);
	HOSTILE("subscribe_longer_than_8", ARGO_DISC_E_LENGTH, buf, n + 4);
	m.hdr.type |= ARGO_DISC_TYPE_RESPONSE;
	n = encode(buf, &m, NULL);
	memset(buf + n, 0, 4);
	buf[6] = (uint8_t)(n + 4);
	HOSTILE("subscribe_response_with_payload", ARGO_DISC_E_LENGTH, buf, n + 4);
}

/*
 * Random corruption: flip bytes of valid messages and cut them short.
 * Whatever decodes must re-encode to the same bytes (so nothing the
 * decoder accepts is ambiguous), and nothing may be read out of bounds.
 */
static void test_random(void)
{
	struct argo_disc_dev devs[4] = { dev(1, 2, 6000), dev(2, 1, 6001), dev(4, 3, 6002),
					 dev(5, 3, 6003) };
	struct argo_disc_msg m = { 0 }, r;
	uint8_t good[ARGO_DISC_MSG_MAX], buf[ARGO_DISC_MSG_MAX], again[ARGO_DISC_MSG_MAX];
	struct argo_disc_dev got[ARGO_DISC_RECORDS_MAX];
	unsigned int iter, accepted = 0, mismatched = 0, no_reason = 0, i;
	int n, len, k;

	m.hdr.type = ARGO_DISC_TYPE_BUS | ARGO_DISC_TYPE_RESPONSE;
	m.hdr.msg_id = ARGO_DISC_MSG_GET_DEVICES;
	m.u.get_resp.offset = 1;
	m.u.get_resp.count = 4;
	n = encode(good, &m, devs);
	for (iter = 0; iter < 200000; iter++) {
		memcpy(buf, good, n);
		len = n;
		for (k = (int)rnd(4); k >= 0; k--)
			buf[rnd(n)] ^= (uint8_t)(1 + rnd(255));
		if (rnd(4) == 0)
			len = (int)rnd(n + 1);
		if (decode_exact(buf, len, &r) != ARGO_DISC_OK) {
			no_reason += !r.why;
			continue;
		}
		accepted++;
		r.u.get_resp.records = buf + ARGO_DISC_HDR_SIZE + 8; /* into our copy */
		if (!r.hdr.status && r.hdr.msg_id == ARGO_DISC_MSG_GET_DEVICES &&
		    (r.hdr.type & ARGO_DISC_TYPE_RESPONSE))
			for (i = 0; i < r.u.get_resp.count; i++)
				argo_disc_record(&r, i, &got[i]);
		k = argo_disc_encode(again, sizeof(again), &r, got);
		mismatched += k != len || memcmp(again, buf, len);
	}
	TAP_CHECK("random_corruption_accepted_messages_reencode_identically", !mismatched,
		  "expected 0 mismatches, got %u of %u accepted", mismatched, accepted);
	TAP_CHECK("random_corruption_every_rejection_has_a_reason", !no_reason,
		  "expected 0, got %u", no_reason);
}

static void test_strings(void)
{
	int s, named = 1;

	for (s = 0; s <= ARGO_DISC_E_MAX; s++)
		named &= strcmp(argo_disc_strstatus(s), "unknown discovery status") != 0;
	TAP_CHECK("every_status_has_a_description", named, "expected all named, got %d", named);
	TAP_CHECK("unknown_status_described", argo_disc_strstatus(1000) != NULL, "%s", "NULL");
}

int main(void)
{
	test_round_trips();
	test_hostile();
	test_record_limits();
	test_hostile_fields();
	test_random();
	test_strings();
	return tap_done();
}
