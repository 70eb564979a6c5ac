// SPDX-License-Identifier: MIT
/*
 * argo_vsock.ko's check of a received packet (linux/argo/vsock_wire.c):
 * every field it judges, each way, the CID <-> domid mapping at its
 * edges, and which ring a vsock port's packets must arrive on. The lab's hostile guest sends the same kinds of packets for real.
 */
#include <string.h>

#include <argo/vsock.h>

#include "tap.h"

enum { SRC_DOM = 5, LOCAL_CID = 9 };

static uint8_t pkt[ARGO_VSOCK_HDR_LEN + ARGO_VSOCK_MAX_PAYLOAD + 1];

static void put(unsigned int off, uint64_t v, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		pkt[off + i] = (uint8_t)(v >> (8 * i));
}

/* A well-formed packet: op, socket type, payload bytes. */
static size_t make(unsigned int op, unsigned int type, uint32_t payload)
{
	memset(pkt, 0, ARGO_VSOCK_HDR_LEN);
	put(0, argo_vsock_domid_to_cid(SRC_DOM), 8);
	put(8, LOCAL_CID, 8);
	put(16, 1234, 4);
	put(20, 5000, 4);
	put(24, payload, 4);
	put(28, type, 2);
	put(30, op, 2);
	put(36, 262144, 4);	/* buf_alloc */
	return ARGO_VSOCK_HDR_LEN + payload;
}

/* A packet to a port above the service range, on the shared ring. */
static enum argo_vsock_verdict check(size_t len)
{
	return argo_vsock_check(pkt, len, ARGO_VSOCK_MSG_TYPE, SRC_DOM, LOCAL_CID,
				ARGO_PORT_VSOCK);
}

static enum argo_vsock_verdict check_on(size_t len, uint32_t ring_port)
{
	return argo_vsock_check(pkt, len, ARGO_VSOCK_MSG_TYPE, SRC_DOM, LOCAL_CID,
				ring_port);
}

#define VERDICT(name, got, want)					\
	TAP_CHECK(name, (got) == (want), "expected %s, got %s",		\
		  argo_vsock_strverdict(want), argo_vsock_strverdict(got))

int main(void)
{
	size_t len;

	for (unsigned int op = 1; op <= 7; op++)
		for (unsigned int type = 1; type <= 2; type++) {
			char name[64];

			snprintf(name, sizeof(name), "op_%u_type_%u_accepted", op, type);
			VERDICT(name, check(make(op, type, op == 5 ? 100 : 0)), ARGO_VSOCK_OK);
		}
	VERDICT("full_64k_rw_accepted", check(make(5, 1, ARGO_VSOCK_MAX_PAYLOAD)), ARGO_VSOCK_OK);

	len = make(5, 1, ARGO_VSOCK_MAX_PAYLOAD + 1);
	VERDICT("payload_over_64k_refused", check(len), ARGO_VSOCK_E_LONG);
	VERDICT("shorter_than_header_refused", check(ARGO_VSOCK_HDR_LEN - 1), ARGO_VSOCK_E_SHORT);
	VERDICT("empty_message_refused", check(0), ARGO_VSOCK_E_SHORT);

	len = make(5, 1, 100);
	put(24, 101, 4);
	VERDICT("len_larger_than_received_refused", check(len), ARGO_VSOCK_E_LEN);
	put(24, 99, 4);
	VERDICT("len_smaller_than_received_refused", check(len), ARGO_VSOCK_E_LEN);
	put(24, 0xffffffffu, 4);
	VERDICT("len_huge_refused", check(len), ARGO_VSOCK_E_LEN);

	VERDICT("op_0_refused", check(make(0, 1, 0)), ARGO_VSOCK_E_OP);
	VERDICT("op_8_refused", check(make(8, 1, 0)), ARGO_VSOCK_E_OP);
	VERDICT("op_0xffff_refused", check(make(0xffff, 1, 0)), ARGO_VSOCK_E_OP);
	VERDICT("type_0_refused", check(make(1, 0, 0)), ARGO_VSOCK_E_TYPE);
	VERDICT("type_3_dgram_refused", check(make(1, 3, 0)), ARGO_VSOCK_E_TYPE);
	VERDICT("payload_on_request_refused", check(make(1, 1, 8)), ARGO_VSOCK_E_PAYLOAD);
	VERDICT("payload_on_credit_update_refused", check(make(6, 1, 8)), ARGO_VSOCK_E_PAYLOAD);
	VERDICT("empty_rw_refused", check(make(5, 1, 0)), ARGO_VSOCK_E_PAYLOAD);

	len = make(1, 1, 0);
	put(0, argo_vsock_domid_to_cid(SRC_DOM + 1), 8);
	VERDICT("src_cid_of_another_domain_refused", check(len), ARGO_VSOCK_E_SRC_CID);
	put(0, 2, 8);
	VERDICT("guest_claiming_host_cid_refused", check(len), ARGO_VSOCK_E_SRC_CID);
	put(0, (uint64_t)1 << 32 | argo_vsock_domid_to_cid(SRC_DOM), 8);
	VERDICT("src_cid_high_bits_refused", check(len), ARGO_VSOCK_E_SRC_CID);

	len = make(1, 1, 0);
	put(8, LOCAL_CID + 1, 8);
	VERDICT("dst_cid_not_ours_refused", check(len), ARGO_VSOCK_E_DST_CID);
	put(8, 0xffffffffu, 8);
	VERDICT("dst_cid_any_refused", check(len), ARGO_VSOCK_E_DST_CID);

	len = make(1, 1, 0);
	put(16, 0xffffffffu, 4);
	VERDICT("src_port_any_refused", check(len), ARGO_VSOCK_E_PORT);
	len = make(1, 1, 0);
	put(20, 0xffffffffu, 4);
	VERDICT("dst_port_any_refused", check(len), ARGO_VSOCK_E_PORT);

	len = make(1, 1, 0);
	VERDICT("other_argo_message_type_refused",
		argo_vsock_check(pkt, len, 0, SRC_DOM, LOCAL_CID, ARGO_PORT_VSOCK),
		ARGO_VSOCK_E_MSGTYPE);

	/* Service ports: each its own ring, and only that ring. */
	TAP_CHECK("service_port_0_ring", argo_vsock_ring_port(0) == 50000, "got %u",
		  argo_vsock_ring_port(0));
	TAP_CHECK("service_port_700_ring", argo_vsock_ring_port(700) == 50700, "got %u",
		  argo_vsock_ring_port(700));
	TAP_CHECK("last_service_port_ring", argo_vsock_ring_port(1023) == 51023, "got %u",
		  argo_vsock_ring_port(1023));
	TAP_CHECK("first_shared_port_ring", argo_vsock_ring_port(1024) == ARGO_PORT_VSOCK,
		  "got %u", argo_vsock_ring_port(1024));
	TAP_CHECK("highest_port_shared_ring", argo_vsock_ring_port(0xfffffffeu) == ARGO_PORT_VSOCK,
		  "got %u", argo_vsock_ring_port(0xfffffffeu));
	len = make(1, 1, 0);
	put(20, 700, 4);
	VERDICT("service_request_on_its_ring_accepted", check_on(len, 50700), ARGO_VSOCK_OK);
	VERDICT("service_request_on_shared_ring_refused", check_on(len, ARGO_PORT_VSOCK),
		ARGO_VSOCK_E_RING);
	VERDICT("service_request_on_another_service_ring_refused", check_on(len, 50022),
		ARGO_VSOCK_E_RING);
	len = make(5, 1, 10);
	put(20, 700, 4);
	VERDICT("service_data_on_its_ring_accepted", check_on(len, 50700), ARGO_VSOCK_OK);
	VERDICT("service_data_on_shared_ring_refused", check_on(len, ARGO_PORT_VSOCK),
		ARGO_VSOCK_E_RING);
	/* A reply from a service goes to the client's port, not a service. */
	len = make(2, 1, 0);
	put(16, 700, 4);
	VERDICT("reply_from_service_on_shared_ring_accepted", check_on(len, ARGO_PORT_VSOCK),
		ARGO_VSOCK_OK);
	VERDICT("shared_port_packet_on_service_ring_refused", check_on(len, 50700),
		ARGO_VSOCK_E_RING);
	len = make(1, 1, 0);
	put(20, 0, 4);
	VERDICT("service_port_0_on_its_ring_accepted", check_on(len, 50000), ARGO_VSOCK_OK);
	put(20, 1024, 4);
	VERDICT("port_1024_on_shared_ring_accepted", check_on(len, ARGO_PORT_VSOCK), ARGO_VSOCK_OK);
	VERDICT("port_1024_on_ring_51024_refused", check_on(len, 51024), ARGO_VSOCK_E_RING);

	TAP_CHECK("dom0_is_cid_host", argo_vsock_domid_to_cid(0) == 2, "got %u",
		  argo_vsock_domid_to_cid(0));
	TAP_CHECK("cid_host_is_dom0", argo_vsock_cid_to_domid(2) == 0, "got %d",
		  argo_vsock_cid_to_domid(2));
	TAP_CHECK("cid_hypervisor_is_no_domain", argo_vsock_cid_to_domid(0) == -1, "got %d",
		  argo_vsock_cid_to_domid(0));
	TAP_CHECK("cid_local_is_no_domain", argo_vsock_cid_to_domid(1) == -1, "got %d",
		  argo_vsock_cid_to_domid(1));
	TAP_CHECK("cid_any_is_no_domain", argo_vsock_cid_to_domid(0xffffffffu) == -1, "got %d",
		  argo_vsock_cid_to_domid(0xffffffffu));
	TAP_CHECK("last_domid_maps_back",
		  argo_vsock_cid_to_domid(argo_vsock_domid_to_cid(0x7fef)) == 0x7fef, "got %d",
		  argo_vsock_cid_to_domid(argo_vsock_domid_to_cid(0x7fef)));
	TAP_CHECK("reserved_domid_cid_is_no_domain",
		  argo_vsock_cid_to_domid(argo_vsock_domid_to_cid(0x7ff0)) == -1, "got %d",
		  argo_vsock_cid_to_domid(argo_vsock_domid_to_cid(0x7ff0)));
	for (int i = 0; i < 1000; i++) {
		uint16_t d = (uint16_t)rnd(0x7ff0);

		if (argo_vsock_cid_to_domid(argo_vsock_domid_to_cid(d)) != d) {
			TAP_CHECK("mapping_round_trips", 0, "domid %u", d);
			return tap_done();
		}
	}
	TAP_CHECK("mapping_round_trips", 1, "%s", "");
	return tap_done();
}
