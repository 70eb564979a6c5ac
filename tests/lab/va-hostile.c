// SPDX-License-Identifier: MIT
/*
 * va-hostile: a virtio-argo device that lies, for the virtio-blk lab
 * scenario. It answers the control plane as a small virtio-blk disk
 * (1 MiB, one queue), so the guest's virtio_argo.ko registers it and
 * virtio_blk reads it, then answers the first CHAIN request with the
 * hostile response MODE names:
 *   used-len   used_len beyond the chain's in-buffers
 *   chain-id   a chain id that is not in flight
 *   garbage    a record with reserved header bits set
 *   oversize   a response claiming more in-data than the message holds
 *   epoch      a wrong-epoch response full of 0xEE (to be dropped),
 *              then the right one: this read must succeed with zeros
 * Later chains get honest answers (zeros), so the guest's transport is
 * the only thing that can fail them.
 *
 * usage: va-hostile -p PORT -d DOMID -m MODE
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <argo/virtio-argo.h>
#include "libargo.h"

#define MAX_MSG	(256U * 1024)
#define CAPACITY 2048ULL	/* sectors: 1 MiB */

static uint8_t rx[4 * MAX_MSG], tx[MAX_MSG];
static uint32_t tx_len;
static struct argo_handle *h;
static struct argo_peer peer;
static const char *mode;
static int chains;

static void flush(void)
{
	if (tx_len && argo_send(h, &peer, 0, tx, tx_len) < 0)
		perror("va-hostile: send");
	tx_len = 0;
}

static void reply(const struct va_msg *m, const uint32_t *w, uint32_t nw,
		  const void *tail, uint32_t tl)
{
	int n = va_encode_ctrl(tx + tx_len, sizeof(tx) - tx_len, m->type | VA_TYPE_RESPONSE,
			       m->msg_id, 0, m->token, w, nw, tail, tl);

	if (n > 0)
		tx_len += (uint32_t)n;
}

static void chain_answer(const struct va_chain_req *r, uint32_t epoch, uint32_t id,
			 uint32_t used, uint8_t fill)
{
	int n = va_encode_chain_resp(tx + tx_len, sizeof(tx) - tx_len, 0, r->queue,
				     VA_STATUS_OK, epoch, id, used);

	if (n <= 0)
		return;
	memset(tx + tx_len + VA_CHAIN_RESP_FIXED, fill, used);
	/* virtio-blk's status byte, the last in-byte: OK. */
	if (used && fill == 0)
		tx[tx_len + VA_CHAIN_RESP_FIXED + used - 1] = 0;
	memset(tx + tx_len + VA_CHAIN_RESP_FIXED + used, 0,
	       (uint32_t)n - VA_CHAIN_RESP_FIXED - used);
	tx_len += (uint32_t)n;
}

static void chain(const struct va_chain_req *r)
{
	int first = chains++ == 0;

	if (!first || !strcmp(mode, "none")) {
		chain_answer(r, r->epoch, r->chain_id, r->in_len, 0);
		return;
	}
	fprintf(stderr, "va-hostile: answering chain %u with mode %s\n", r->chain_id, mode);
	if (!strcmp(mode, "used-len")) {
		chain_answer(r, r->epoch, r->chain_id, r->in_len + 512, 0x55);
	} else if (!strcmp(mode, "chain-id")) {
		chain_answer(r, r->epoch, (r->chain_id + 1) % 64, r->in_len, 0x55);
	} else if (!strcmp(mode, "garbage")) {
		uint32_t at = tx_len;

		chain_answer(r, r->epoch, r->chain_id, r->in_len, 0x55);
		tx[at] |= 0x80;		/* a reserved type bit */
	} else if (!strcmp(mode, "oversize")) {
		int n = va_encode_chain_resp(tx + tx_len, sizeof(tx) - tx_len, 0, r->queue,
					     VA_STATUS_OK, r->epoch, r->chain_id, 0);

		/* used_len says 16 MiB of in-data follow; 8 bytes do. */
		va_put32(tx + tx_len + 20, 16U << 20);
		tx_len += (uint32_t)n + 8;
	} else if (!strcmp(mode, "epoch")) {
		chain_answer(r, r->epoch + 1, r->chain_id, r->in_len, 0xEE);
		chain_answer(r, r->epoch, r->chain_id, r->in_len, 0);
	}
}

static void record(const struct va_msg *m)
{
	uint32_t w[16] = { 0 };
	uint8_t cfg[60] = { 0 };
	struct va_chain_req r;
	struct va_vqueue v;

	if (m->type & VA_TYPE_BUS) {
		struct va_hello me = { VA_VIRTIO_MSG_REVISION, VA_VERSION, MAX_MSG,
				       VA_HELLO_F_BATCH };
		int n = va_encode_hello(tx + tx_len, sizeof(tx) - tx_len, 1, m->token, &me);

		if (m->msg_id == VA_BUS_HELLO && n > 0)
			tx_len += (uint32_t)n;
		return;
	}
	switch (m->msg_id) {
	case VA_MSG_GET_DEVICE_INFO:
		w[0] = 2;		/* block */
		w[6] = 2;
		w[7] = sizeof(cfg);
		w[8] = 1;
		reply(m, w, 11, NULL, 0);
		break;
	case VA_MSG_GET_DEVICE_FEATURES:
		w[0] = va_word(m, 0);
		w[1] = va_word(m, 1);
		w[2] = 0;
		w[3] = 3;		/* VERSION_1, ACCESS_PLATFORM */
		reply(m, w, 2 + (w[1] > 2 ? 2 : w[1]), NULL, 0);
		break;
	case VA_MSG_GET_CONFIG:
		va_put64(cfg, CAPACITY);
		w[1] = va_word(m, 0);
		w[2] = va_word(m, 1);
		if (w[1] + w[2] > sizeof(cfg))
			w[2] = 0;
		reply(m, w, 3, cfg + w[1], w[2]);
		break;
	case VA_MSG_GET_DEVICE_STATUS:
	case VA_MSG_SET_DEVICE_STATUS:
		w[0] = va_word(m, 0);
		reply(m, w, 1, NULL, 0);
		break;
	case VA_MSG_GET_VQUEUE:
		memset(&v, 0, sizeof(v));
		v.index = va_word(m, 0);
		v.max_size = 64;
		tx_len += (uint32_t)va_encode_vqueue(tx + tx_len, sizeof(tx) - tx_len, 1, 0,
						     m->token, &v);
		break;
	case VA_MSG_CHAIN:
		if (!va_decode_chain_req(m, &r, NULL))
			chain(&r);
		break;
	default:
		reply(m, NULL, 0, NULL, 0);
	}
}

int main(int argc, char **argv)
{
	unsigned int port = 0, dom = 0;
	int opt;

	while ((opt = getopt(argc, argv, "p:d:m:")) != -1) {
		if (opt == 'p')
			port = (unsigned int)atoi(optarg);
		else if (opt == 'd')
			dom = (unsigned int)atoi(optarg);
		else if (opt == 'm')
			mode = optarg;
	}
	if (!port || !dom || !mode) {
		fprintf(stderr, "usage: va-hostile -p PORT -d DOMID -m MODE\n");
		return 2;
	}
	peer.domain = (uint16_t)dom;
	peer.port = port;
	h = argo_open();
	if (!h || argo_bind(h, port, (uint16_t)dom, sizeof(rx)) < 0) {
		perror("va-hostile: bind");
		return 1;
	}
	for (;;) {
		struct va_iter it;
		struct va_msg m;
		ssize_t n = argo_recv(h, rx, sizeof(rx), NULL, NULL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("va-hostile: recv");
			return 1;
		}
		va_iter_init(&it, rx, (uint32_t)n);
		while (va_next(&it, &m, NULL) > 0)
			record(&m);
		flush();
	}
}
