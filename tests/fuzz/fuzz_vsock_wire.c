// SPDX-License-Identifier: MIT
/*
 * Fuzz target: the vsock packet check (linux/argo/vsock_wire.c), which
 * argo_vsock.ko runs on every message another domain puts in its rings
 * before the kernel's vsock common code sees a byte of it.
 *
 * The input is the receive context (Argo message type, the sender's domid
 * as Xen reports it, our CID, the ring it came in on) and then one
 * message, held in a heap block of exactly its length so that ASan sees
 * any read past it. Properties:
 *  - the verdict is one of the enum's and has a name;
 *  - an accepted packet is what docs/vsock.md promises the common code,
 *    re-derived here field by field: a whole header, a payload that is
 *    the header's len and at most 64 KiB, a known op and socket type,
 *    bytes only on RW, the sender's own CID, ours as the destination, no
 *    VMADDR_PORT_ANY, and the ring of its destination port;
 *  - the check is a pure function: asked twice, it answers the same.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include <argo/vsock.h>

static uint64_t le(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = (v << 8) | p[n];
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = FUZZ_IN(data, size);
	uint8_t sel = fuzz_u8(&in);
	uint32_t msg_type = sel & 1 ? fuzz_u32(&in) : ARGO_VSOCK_MSG_TYPE;
	uint16_t src_domid = fuzz_u16(&in);
	uint32_t local_cid = fuzz_u32(&in);
	uint32_t ring_port = sel & 2 ? fuzz_u32(&in) : ARGO_PORT_VSOCK;
	size_t len = fuzz_left(&in);
	uint8_t *msg = malloc(len ? len : 1);
	enum argo_vsock_verdict v;
	uint64_t payload;
	unsigned int op;

	if (!msg)
		return 0;
	fuzz_fill(&in, msg, len);
	v = argo_vsock_check(msg, len, msg_type, src_domid, local_cid, ring_port);
	FUZZ_ASSERT(v >= ARGO_VSOCK_OK && v <= ARGO_VSOCK_E_RING, "verdict %d", (int)v);
	FUZZ_ASSERT(argo_vsock_strverdict(v) != NULL, "verdict %d has no name", (int)v);
	FUZZ_ASSERT(argo_vsock_check(msg, len, msg_type, src_domid, local_cid,
				     ring_port) == v, "verdict %d changed", (int)v);
	if (v == ARGO_VSOCK_OK) {
		FUZZ_ASSERT(msg_type == ARGO_VSOCK_MSG_TYPE, "type %#x", msg_type);
		FUZZ_ASSERT(len >= ARGO_VSOCK_HDR_LEN, "%zu bytes", len);
		payload = len - ARGO_VSOCK_HDR_LEN;
		FUZZ_ASSERT(payload <= ARGO_VSOCK_MAX_PAYLOAD, "%llu", (unsigned long long)payload);
		FUZZ_ASSERT(le(msg + 24, 4) == payload, "len %llu, payload %llu",
			    (unsigned long long)le(msg + 24, 4), (unsigned long long)payload);
		op = (unsigned int)le(msg + 30, 2);
		FUZZ_ASSERT(op >= 1 && op <= 7, "op %u", op);
		FUZZ_ASSERT((op == 5) == (payload != 0), "op %u with %llu bytes", op,
			    (unsigned long long)payload);
		FUZZ_ASSERT(le(msg + 28, 2) == 1 || le(msg + 28, 2) == 2, "type %llu",
			    (unsigned long long)le(msg + 28, 2));
		FUZZ_ASSERT(le(msg + 0, 8) == argo_vsock_domid_to_cid(src_domid),
			    "src_cid %llu from domain %u", (unsigned long long)le(msg, 8), src_domid);
		FUZZ_ASSERT(le(msg + 8, 8) == local_cid, "dst_cid %llu",
			    (unsigned long long)le(msg + 8, 8));
		FUZZ_ASSERT(le(msg + 16, 4) != 0xffffffffu && le(msg + 20, 4) != 0xffffffffu,
			    "%s", "a port is VMADDR_PORT_ANY");
		FUZZ_ASSERT(argo_vsock_ring_port((uint32_t)le(msg + 20, 4)) == ring_port,
			    "dst_port %llu on ring %u", (unsigned long long)le(msg + 20, 4), ring_port);
	}
	free(msg);
	return 0;
}
