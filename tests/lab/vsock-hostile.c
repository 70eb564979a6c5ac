// SPDX-License-Identifier: MIT
/*
 * vsock-hostile: a guest that sends malformed vsock packets over raw
 * /dev/argo to another domain's vsock ring (ARGO_PORT_VSOCK), for the
 * vsock lab scenario. Each kind names what argo_vsock.ko must refuse
 * (include/argo/vsock.h) or, for the well-formed lies, what the common
 * code must shrug off:
 *   short       fewer bytes than a header
 *   len         header len 100, 10 bytes of payload
 *   op          op 99
 *   type        socket type 7
 *   forged      src_cid of dom0 (CID 2), not ours
 *   dst         dst_cid of another domain
 *   msgtype     an Argo message type that is not vsock's
 *   oversize    65537 bytes of payload, len saying so
 *   payload     a REQUEST carrying bytes
 *   credit      a CREDIT_UPDATE claiming 4 GiB of buffer, all consumed,
 *               for a connection that does not exist
 *   response    a RESPONSE for a connection that does not exist
 *   service     a REQUEST for service port 700 on the shared ring, not
 *               on port 700's own (which the firewall may deny us)
 * usage: vsock-hostile -d DOMID -m MYDOMID -p DSTPORT [-n ROUNDS] [KIND...]
 * (no KIND: all of them, ROUNDS times; default 1). Prints one line per
 * packet sent and exits 1 if a send failed.
 *
 * vsock-hostile -d DOMID -m MYDOMID -s PORT: a peer that stops reading.
 * It owns service port PORT's ring (Argo 50000+PORT, 128 KiB: one 64 KiB
 * packet fits, two do not), accepts the first connection DOMID makes to
 * it, grants 4 GiB of credit, and never reads again, so that domain's
 * packets to it stay queued in its kernel. Prints "ready" once the ring
 * is up and "stalling" once it has answered; holds the ring until killed.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <argo/vsock.h>
#include "libargo.h"

static uint8_t pkt[ARGO_VSOCK_HDR_LEN + ARGO_VSOCK_MAX_PAYLOAD + 1];
static unsigned int my_domid, dst_domid, dst_port;

static void put(unsigned int off, uint64_t v, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		pkt[off + i] = (uint8_t)(v >> (8 * i));
}

/* A well-formed header from us to dst: op, payload length. */
static size_t hdr(unsigned int op, uint32_t payload)
{
	memset(pkt, 0, ARGO_VSOCK_HDR_LEN + payload);
	put(0, argo_vsock_domid_to_cid((uint16_t)my_domid), 8);
	put(8, argo_vsock_domid_to_cid((uint16_t)dst_domid), 8);
	put(16, 40000, 4);
	put(20, dst_port, 4);
	put(24, payload, 4);
	put(28, 1, 2);	/* stream */
	put(30, op, 2);
	put(36, 262144, 4);
	return ARGO_VSOCK_HDR_LEN + payload;
}

/* Fills pkt for KIND; returns its length and the Argo type, or 0. */
static size_t build(const char *kind, uint32_t *type)
{
	size_t len;

	*type = ARGO_VSOCK_MSG_TYPE;
	if (!strcmp(kind, "short"))
		return hdr(1, 0) - 20;
	if (!strcmp(kind, "len")) {
		len = hdr(5, 10);
		put(24, 100, 4);
		return len;
	}
	if (!strcmp(kind, "op"))
		return hdr(99, 0);
	if (!strcmp(kind, "type")) {
		len = hdr(1, 0);
		put(28, 7, 2);
		return len;
	}
	if (!strcmp(kind, "forged")) {
		len = hdr(1, 0);
		put(0, 2, 8);
		return len;
	}
	if (!strcmp(kind, "dst")) {
		len = hdr(1, 0);
		put(8, argo_vsock_domid_to_cid((uint16_t)(dst_domid + 100)), 8);
		return len;
	}
	if (!strcmp(kind, "msgtype")) {
		*type = 1;
		return hdr(1, 0);
	}
	if (!strcmp(kind, "oversize"))
		return hdr(5, ARGO_VSOCK_MAX_PAYLOAD + 1);
	if (!strcmp(kind, "payload")) {
		len = hdr(1, 16);
		return len;
	}
	if (!strcmp(kind, "credit")) {
		len = hdr(6, 0);
		put(36, 0xffffffffu, 4);	/* buf_alloc */
		put(40, 0xffffffffu, 4);	/* fwd_cnt */
		return len;
	}
	if (!strcmp(kind, "response"))
		return hdr(2, 0);
	if (!strcmp(kind, "service")) {
		len = hdr(1, 0);
		put(20, 700, 4);
		return len;
	}
	return 0;
}

/* The -s mode: returns only on an error (exit status 1). */
static int stall(struct argo_handle *h, unsigned int port)
{
	uint8_t req[ARGO_VSOCK_HDR_LEN + 64];
	struct argo_peer src, peer;
	uint32_t type, req_port;
	ssize_t n;
	size_t len;

	if (argo_bind(h, argo_vsock_ring_port(port), (uint16_t)dst_domid, 131072) < 0) {
		fprintf(stderr, "vsock-hostile: ring on Argo port %u: %s\n",
			argo_vsock_ring_port(port), strerror(errno));
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		n = argo_recv(h, req, sizeof(req), &src, &type);
		if (n < 0) {
			fprintf(stderr, "vsock-hostile: receiving: %s\n", strerror(errno));
			return 1;
		}
		/* A REQUEST (op 1) from DOMID; anything else is not ours to answer. */
		if (n >= ARGO_VSOCK_HDR_LEN && src.domain == dst_domid &&
		    req[30] == 1 && req[31] == 0)
			break;
	}
	req_port = (uint32_t)req[16] | (uint32_t)req[17] << 8 |
		   (uint32_t)req[18] << 16 | (uint32_t)req[19] << 24;
	len = hdr(2, 0);		/* RESPONSE */
	put(16, port, 4);
	put(20, req_port, 4);
	put(36, 0xffffffffu, 4);	/* buf_alloc: the lie */
	peer.domain = (uint16_t)dst_domid;
	peer.port = argo_vsock_ring_port(req_port);
	if (argo_send(h, &peer, ARGO_VSOCK_MSG_TYPE, pkt, len) < 0) {
		fprintf(stderr, "vsock-hostile: answering: %s\n", strerror(errno));
		return 1;
	}
	printf("stalling\n");
	fflush(stdout);
	for (;;)
		pause();
}

/* "service" first: its drop is logged before the rate limit bites. */
static const char *const all[] = { "service", "short", "len", "op", "type", "forged",
	"dst", "msgtype", "oversize", "payload", "credit", "response" };

int main(int argc, char **argv)
{
	struct argo_handle *h;
	struct argo_peer peer;
	unsigned int rounds = 1, stall_port = 0;
	int opt, failed = 0;

	while ((opt = getopt(argc, argv, "d:m:p:n:s:")) != -1) {
		switch (opt) {
		case 'd': dst_domid = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'm': my_domid = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'p': dst_port = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'n': rounds = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 's': stall_port = (unsigned int)strtoul(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: vsock-hostile -d DOMID -m MYDOMID -p DSTPORT [-n ROUNDS] [KIND...]\n"
					"       vsock-hostile -d DOMID -m MYDOMID -s PORT\n");
			return 2;
		}
	}
	if (stall_port > ARGO_VSOCK_SVC_PORT_MAX) {
		fprintf(stderr, "vsock-hostile: -s %u: a service port is 1..%u\n",
			stall_port, ARGO_VSOCK_SVC_PORT_MAX);
		return 2;
	}
	h = argo_open();
	if (!h) {
		perror("vsock-hostile: /dev/argo");
		return 1;
	}
	if (stall_port) {
		return stall(h, stall_port);
	}
	peer.domain = (uint16_t)dst_domid;
	peer.port = ARGO_PORT_VSOCK;
	for (unsigned int r = 0; r < rounds; r++) {
		int nk = optind < argc ? argc - optind : (int)(sizeof(all) / sizeof(all[0]));

		for (int k = 0; k < nk; k++) {
			const char *kind = optind < argc ? argv[optind + k] : all[k];
			uint32_t type;
			size_t len = build(kind, &type);

			if (!len) {
				fprintf(stderr, "vsock-hostile: unknown kind '%s'\n", kind);
				return 2;
			}
			if (argo_send(h, &peer, type, pkt, len) < 0) {
				fprintf(stderr, "vsock-hostile: sending '%s' (%zu bytes): %s\n",
					kind, len, strerror(errno));
				failed = 1;
			} else if (r == 0) {
				printf("sent %s %zu\n", kind, len);
			}
		}
	}
	argo_close(h);
	return failed;
}
