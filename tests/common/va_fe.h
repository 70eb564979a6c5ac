/* SPDX-License-Identifier: MIT */
/*
 * The driver's half of virtio-argo's data plane, for the test frontends:
 * tests/unit/test_vbridge.c (over SOCK_SEQPACKET, on the host) and
 * tests/lab/va-frontend.c (over Argo, in the lab). virtio-blk requests
 * become CHAIN records (docs/virtio-argo.md §6), completions are filed by
 * queue and chain id, and the status byte is read back. How messages go
 * and come stays with each program, behind struct va_fe_io.
 */
#ifndef VA_FE_H
#define VA_FE_H

#include <stdint.h>

#include <argo/virtio-argo.h>

#define VA_FE_NQ	2u	/* queues a test frontend drives */
#define VA_FE_QSIZE	128u	/* chain ids per queue */

/* The program's channel to the device. */
struct va_fe_io {
	uint8_t *tx;			/* the message being built */
	uint32_t *len;			/* its length so far */
	const uint32_t *cap;		/* the most it may hold (the peer's max_msg) */
	/* Send tx[0..*len) and empty it: 0 or < 0. */
	int (*flush)(void *ctx);
	/* Take one message, file its answers (va_fe_complete): < 0 when
	 * it failed; called with tok -1 and out NULL. */
	int (*recv)(void *ctx, int tok, struct va_msg *out);
	void *ctx;
};

struct va_fe_chains {
	struct va_fe_io io;
	uint32_t epoch;				/* every queue's, in each CHAIN */
	int done[VA_FE_NQ][VA_FE_QSIZE];	/* 0 in flight, 1 OK, 2 + status */
	uint32_t used[VA_FE_NQ][VA_FE_QSIZE];	/* used_len of the answer */
	uint8_t *in[VA_FE_NQ][VA_FE_QSIZE];	/* in-buffers, status byte last */
	uint32_t in_len[VA_FE_NQ][VA_FE_QSIZE];
	int outstanding;			/* chains sent and not answered */
};

/*
 * Append virtio-blk request @type at @sector as chain @id on queue @q to
 * the message being built (sending it first when the request does not
 * fit): a header segment, @out_len bytes of @data (writes, discard
 * ranges), @in_len bytes to read, and the status byte. Return 0, or < 0.
 */
int va_fe_blk(struct va_fe_chains *c, uint32_t q, uint32_t id, uint32_t type,
	      uint64_t sector, const void *data, uint32_t out_len, uint32_t in_len);

/* Send what is built, then take messages until every chain is answered. */
int va_fe_wait_all(struct va_fe_chains *c);

/*
 * File CHAIN response @m: its in-data into the chain's in-buffer. Return
 * 1 when filed; 0 when it is of another epoch (a session or reset ago,
 * dropped); -1 when no such chain is in flight or it claims more bytes
 * than the chain offered (*why says which).
 */
int va_fe_complete(struct va_fe_chains *c, const struct va_msg *m, const char **why);

/* The virtio-blk status byte of an answered chain, or -1. */
int va_fe_blk_status(const struct va_fe_chains *c, uint32_t q, uint32_t id);

/* A new session: nothing is in flight any more. */
void va_fe_forget(struct va_fe_chains *c);

/* Free the in-buffers. */
void va_fe_free(struct va_fe_chains *c);

#endif /* VA_FE_H */
