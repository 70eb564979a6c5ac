// SPDX-License-Identifier: MIT
/* The test frontends' data plane: see va_fe.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/virtio_blk.h>

#include "va_fe.h"

#define BLK_HDR	16u	/* struct virtio_blk_outhdr: type, ioprio, sector */

int va_fe_blk(struct va_fe_chains *c, uint32_t q, uint32_t id, uint32_t type,
	      uint64_t sector, const void *data, uint32_t out_len, uint32_t in_len)
{
	const struct va_fe_io *io = &c->io;
	uint8_t h[BLK_HDR] = { 0 };
	const void *out[2] = { h, data };
	uint16_t n_out = 1, n_in = 0;
	uint32_t segs[4];
	int r;

	if (q >= VA_FE_NQ || id >= VA_FE_QSIZE)
		return -EINVAL;
	/* The header is little-endian on the wire, whatever the host. */
	va_put32(h, type);
	va_put64(h + 8, sector);
	segs[0] = BLK_HDR;
	if (out_len)
		segs[n_out++] = out_len;
	if (in_len)
		segs[n_out + n_in++] = in_len;
	segs[n_out + n_in++] = 1;
	if (va_chain_req_size(n_out + n_in, BLK_HDR + out_len) > *io->cap - *io->len &&
	    io->flush(io->ctx))
		return -EIO;
	free(c->in[q][id]);
	c->in[q][id] = calloc(1, in_len + 1);
	if (!c->in[q][id])
		return -ENOMEM;
	c->in_len[q][id] = in_len + 1;
	c->done[q][id] = 0;
	r = va_encode_chain_req(io->tx + *io->len, *io->cap - *io->len, 0, (uint16_t)q,
				c->epoch, id, n_out, n_in, segs, out);
	if (r < 0)
		return r;
	*io->len += (uint32_t)r;
	c->outstanding++;
	return 0;
}

int va_fe_wait_all(struct va_fe_chains *c)
{
	if (c->io.flush(c->io.ctx))
		return -1;
	while (c->outstanding > 0)
		if (c->io.recv(c->io.ctx, -1, NULL) < 0)
			return -1;
	return 0;
}

int va_fe_complete(struct va_fe_chains *c, const struct va_msg *m, const char **why)
{
	struct va_chain_resp r;

	if (va_decode_chain_resp(m, &r, why))
		return -1;
	if (r.epoch != c->epoch)
		return 0;
	if (r.queue >= VA_FE_NQ || r.chain_id >= VA_FE_QSIZE ||
	    !c->in[r.queue][r.chain_id] || c->done[r.queue][r.chain_id]) {
		*why = "completion of a chain not in flight";
		return -1;
	}
	if (r.used_len > c->in_len[r.queue][r.chain_id]) {
		*why = "used length beyond the chain's in-buffers";
		return -1;
	}
	c->done[r.queue][r.chain_id] = r.status == VA_STATUS_OK ? 1 : 2 + r.status;
	c->used[r.queue][r.chain_id] = r.used_len;
	memcpy(c->in[r.queue][r.chain_id], r.in_data, r.used_len);
	c->outstanding--;
	return 1;
}

int va_fe_blk_status(const struct va_fe_chains *c, uint32_t q, uint32_t id)
{
	if (q >= VA_FE_NQ || id >= VA_FE_QSIZE || c->done[q][id] != 1 || !c->used[q][id])
		return -1;
	return c->in[q][id][c->used[q][id] - 1];
}

void va_fe_forget(struct va_fe_chains *c)
{
	memset(c->done, 0, sizeof(c->done));
	c->outstanding = 0;
}

void va_fe_free(struct va_fe_chains *c)
{
	uint32_t q, i;

	for (q = 0; q < VA_FE_NQ; q++)
		for (i = 0; i < VA_FE_QSIZE; i++) {
			free(c->in[q][i]);
			c->in[q][i] = NULL;
		}
}
