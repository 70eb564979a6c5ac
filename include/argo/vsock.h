/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * AF_VSOCK over Argo (argo_vsock.ko): the addressing and the packet check.
 * Dual-licensed: the kernel module and the host unit tests (and the lab's
 * hostile sender) include it, so the check the tests exercise is the one
 * the module runs. See docs/vsock.md.
 *
 * Addressing. A vsock CID names a domain: CID = domid + 2. So dom0 is
 * CID 2, VMADDR_CID_HOST, because dom0 is the domain that runs the
 * toolstack and the devices' back-ends, what a guest calls "the host";
 * CIDs 0 (hypervisor) and 1 (local) and VMADDR_CID_ANY keep their vsock
 * meanings and name no domain. Every vsock packet for a domain is one Argo
 * message to that domain's vsock ring, on ARGO_PORT_VSOCK, which the
 * firewall labels (lab: argo_vsock_port_t). The vsock ports travel in the
 * packet's header, as on virtio-vsock.
 */
#ifndef _UAPI_ARGO_VSOCK_H
#define _UAPI_ARGO_VSOCK_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stddef.h>
#include <stdint.h>
#endif

/* Every domain's vsock ring (any sender), in the well-known range. */
#define ARGO_PORT_VSOCK		5020
/*
 * Service ports: vsock ports 0..ARGO_VSOCK_SVC_PORT_MAX, vsock's privileged
 * ports (binding one takes CAP_NET_BIND_SERVICE, and the vsock core never
 * picks one for a client). A domain with a socket bound to service port P
 * registers an any-sender ring at Argo port ARGO_PORT_VSOCK_SVC_BASE + P,
 * and every packet to vsock port P of that domain is a message to that
 * ring and to no other: so a connect to <domain, P> is a send to
 * <domain, 50000 + P>, which the firewall's port labels can name. Every
 * other vsock port shares the domain's ring at ARGO_PORT_VSOCK.
 */
#define ARGO_VSOCK_SVC_PORT_MAX		1023u
#define ARGO_PORT_VSOCK_SVC_BASE	50000u

/* The Argo message type of a vsock packet; any other is not vsock's. */
#define ARGO_VSOCK_MSG_TYPE	0x76736b31u	/* "vsk1" */

#define ARGO_VSOCK_CID_OFFSET	2u
/* Xen's first reserved domid (DOMID_FIRST_RESERVED): no domain above. */
#define ARGO_VSOCK_DOMID_LIMIT	0x7ff0u
#define ARGO_VSOCK_CID_MIN	ARGO_VSOCK_CID_OFFSET
#define ARGO_VSOCK_CID_MAX	(ARGO_VSOCK_DOMID_LIMIT - 1 + ARGO_VSOCK_CID_OFFSET)

/* virtio-vsock's header as it crosses Argo: 44 bytes, little-endian. */
#define ARGO_VSOCK_HDR_LEN	44u
/* The common code never sends more payload than this in one packet. */
#define ARGO_VSOCK_MAX_PAYLOAD	(64u * 1024)

static inline uint32_t argo_vsock_domid_to_cid(uint16_t domid)
{
	return (uint32_t)domid + ARGO_VSOCK_CID_OFFSET;
}

/* The Argo port of the ring that takes packets for vsock port @port. */
static inline uint32_t argo_vsock_ring_port(uint32_t port)
{
	return port <= ARGO_VSOCK_SVC_PORT_MAX ?
		ARGO_PORT_VSOCK_SVC_BASE + port : ARGO_PORT_VSOCK;
}

/* Returns the domid, or -1 when @cid names no domain (0, 1, ANY, ...). */
static inline int argo_vsock_cid_to_domid(uint64_t cid)
{
	if (cid < ARGO_VSOCK_CID_MIN || cid > ARGO_VSOCK_CID_MAX)
		return -1;
	return (int)(cid - ARGO_VSOCK_CID_OFFSET);
}

/* Why a received packet was refused; 0 is accepted. */
enum argo_vsock_verdict {
	ARGO_VSOCK_OK = 0,
	ARGO_VSOCK_E_SHORT,	/* shorter than the header */
	ARGO_VSOCK_E_LONG,	/* more payload than a packet may carry */
	ARGO_VSOCK_E_LEN,	/* header's len is not the payload received */
	ARGO_VSOCK_E_MSGTYPE,	/* not an Argo message of vsock's type */
	ARGO_VSOCK_E_OP,	/* unknown op */
	ARGO_VSOCK_E_TYPE,	/* socket type neither stream nor seqpacket */
	ARGO_VSOCK_E_PAYLOAD,	/* payload on an op other than RW, or RW without */
	ARGO_VSOCK_E_SRC_CID,	/* src_cid is not the sending domain's */
	ARGO_VSOCK_E_DST_CID,	/* dst_cid is not ours */
	ARGO_VSOCK_E_PORT,	/* a port is VMADDR_PORT_ANY */
	ARGO_VSOCK_E_RING,	/* not on the ring of its destination port */
};

/*
 * Check one received Argo message before any of it is used. @msg, @len:
 * the message as received (header and payload); @msg_type: its Argo type;
 * @src_domid: the sender's domain as Xen reported it (a guest cannot forge
 * it); @local_cid: ours; @ring_port: the Argo port of the ring it came
 * from, which must be argo_vsock_ring_port(its destination port), or a
 * sender the firewall keeps from a service's ring could reach the service
 * through the shared one. Any context: no allocation, no lock.
 */
enum argo_vsock_verdict argo_vsock_check(const void *msg, size_t len,
					 uint32_t msg_type, uint16_t src_domid,
					 uint32_t local_cid, uint32_t ring_port);
const char *argo_vsock_strverdict(enum argo_vsock_verdict v);

#endif /* _UAPI_ARGO_VSOCK_H */
