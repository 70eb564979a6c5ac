// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * The check of a received vsock packet (include/argo/vsock.h). Built into
 * argo_vsock.ko and into the host unit test. The header is read byte by
 * byte as little-endian, so the code means the same on any host, and
 * nothing is trusted from it until every field here has been checked.
 */
#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stddef.h>
#include <stdint.h>
#endif

#include <argo/vsock.h>

/* virtio-vsock's ops and types (uapi linux/virtio_vsock.h), spelled out
 * here so the host build needs no kernel headers. */
enum { OP_REQUEST = 1, OP_RESPONSE, OP_RST, OP_SHUTDOWN, OP_RW,
	OP_CREDIT_UPDATE, OP_CREDIT_REQUEST };
enum { TYPE_STREAM = 1, TYPE_SEQPACKET = 2 };

/* Field offsets in the 44-byte header. */
enum { OFF_SRC_CID = 0, OFF_DST_CID = 8, OFF_SRC_PORT = 16,
	OFF_DST_PORT = 20, OFF_LEN = 24, OFF_TYPE = 28, OFF_OP = 30 };

static uint64_t le(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = (v << 8) | p[n];
	return v;
}

enum argo_vsock_verdict argo_vsock_check(const void *msg, size_t len,
					 uint32_t msg_type, uint16_t src_domid,
					 uint32_t local_cid, uint32_t ring_port)
{
	const uint8_t *h = msg;
	uint64_t payload;
	unsigned int op, type;

	if (msg_type != ARGO_VSOCK_MSG_TYPE)
		return ARGO_VSOCK_E_MSGTYPE;
	if (len < ARGO_VSOCK_HDR_LEN)
		return ARGO_VSOCK_E_SHORT;
	payload = len - ARGO_VSOCK_HDR_LEN;
	if (payload > ARGO_VSOCK_MAX_PAYLOAD)
		return ARGO_VSOCK_E_LONG;
	if (le(h + OFF_LEN, 4) != payload)
		return ARGO_VSOCK_E_LEN;
	op = (unsigned int)le(h + OFF_OP, 2);
	if (op < OP_REQUEST || op > OP_CREDIT_REQUEST)
		return ARGO_VSOCK_E_OP;
	type = (unsigned int)le(h + OFF_TYPE, 2);
	if (type != TYPE_STREAM && type != TYPE_SEQPACKET)
		return ARGO_VSOCK_E_TYPE;
	/* Only RW carries bytes, and an empty RW would only cost a wake-up. */
	if ((op == OP_RW) != (payload != 0))
		return ARGO_VSOCK_E_PAYLOAD;
	if (le(h + OFF_SRC_CID, 8) != argo_vsock_domid_to_cid(src_domid))
		return ARGO_VSOCK_E_SRC_CID;
	if (le(h + OFF_DST_CID, 8) != local_cid)
		return ARGO_VSOCK_E_DST_CID;
	if (le(h + OFF_SRC_PORT, 4) == 0xffffffffu ||
	    le(h + OFF_DST_PORT, 4) == 0xffffffffu)
		return ARGO_VSOCK_E_PORT;
	if (argo_vsock_ring_port((uint32_t)le(h + OFF_DST_PORT, 4)) != ring_port)
		return ARGO_VSOCK_E_RING;
	return ARGO_VSOCK_OK;
}

const char *argo_vsock_strverdict(enum argo_vsock_verdict v)
{
	switch (v) {
	case ARGO_VSOCK_OK: return "ok";
	case ARGO_VSOCK_E_SHORT: return "shorter than a vsock header";
	case ARGO_VSOCK_E_LONG: return "payload longer than 64 KiB";
	case ARGO_VSOCK_E_LEN: return "header len is not the payload length";
	case ARGO_VSOCK_E_MSGTYPE: return "not a vsock message type";
	case ARGO_VSOCK_E_OP: return "unknown op";
	case ARGO_VSOCK_E_TYPE: return "unknown socket type";
	case ARGO_VSOCK_E_PAYLOAD: return "payload on a non-RW op, or an empty RW";
	case ARGO_VSOCK_E_SRC_CID: return "src_cid is not the sending domain";
	case ARGO_VSOCK_E_DST_CID: return "dst_cid is not this domain";
	case ARGO_VSOCK_E_PORT: return "port is VMADDR_PORT_ANY";
	case ARGO_VSOCK_E_RING: return "not on the ring of its destination port";
	}
	return "unknown verdict";
}
