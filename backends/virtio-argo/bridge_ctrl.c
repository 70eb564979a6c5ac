// SPDX-License-Identifier: MIT
/*
 * The virtio-msg control plane of a bridged device (docs/virtio-argo.md
 * §5): device info, features and config from the vhost-user back-end,
 * status and queue state kept here. Records arrive validated by the codec;
 * what is checked here is whether they are allowed now.
 */
#include <errno.h>
#include <string.h>

#include "bridge-internal.h"

static int ctrl_status(struct bridge_dev *d, uint32_t s)
{
	uint32_t was = d->status;

	if (s == 0) {
		bridge_dev_reset(d);
		return 0;
	}
	if (s & ~0xFFU)
		return -EBADMSG;	/* status is one byte in virtio */
	/* Bits only ever get added until a reset (virtio 1.x 2.1). */
	if ((was & ~s) & ~STATUS_NEEDS_RESET)
		return -EPROTO;
	d->status = s | (was & STATUS_NEEDS_RESET);
	if ((s & STATUS_FEATURES_OK) && !(was & STATUS_FEATURES_OK)) {
		/* Refuse features we never offered, as a device should. */
		if ((d->drv_features & ~d->dev_features) || !(d->drv_features & F_VERSION_1))
			d->status &= ~STATUS_FEATURES_OK;
	}
	if ((s & STATUS_DRIVER_OK) && !(was & STATUS_DRIVER_OK)) {
		if (!(d->status & STATUS_FEATURES_OK) || !d->vhu_up || bridge_backend_start(d)) {
			d->status |= STATUS_NEEDS_RESET;
			d->status &= ~STATUS_DRIVER_OK;
		}
	}
	return 0;
}

static int ctrl_vqueue(struct bridge_dev *d, const struct va_msg *m, const char **why)
{
	struct va_vqueue v;
	struct bridge_queue *bq;
	uint32_t op;
	int r = va_decode_vqueue(m, &v, why);

	if (r)
		return r;
	if (v.index >= d->nq) {
		*why = "SET_VQUEUE on an unknown queue";
		return -EPROTO;
	}
	bq = &d->q[v.index];
	op = v.flags & VA_VQ_STATE_MASK;
	if (!(v.flags & VA_VQ_IGNORE_SIZE) && (v.size == 0 || v.size > SHADOW_QSIZE)) {
		*why = "SET_VQUEUE size outside 1..max_size";
		return -EBADMSG;
	}
	if (!(v.flags & VA_VQ_IGNORE_SIZE))
		bq->size = v.size;
	if (op == VA_VQ_STATE_ENABLE) {
		if (!bq->size) {
			*why = "SET_VQUEUE enables a queue with no size";
			return -EBADMSG;
		}
		bridge_cancel_queue(d, v.index);
		va_queue_reset(&bq->st, bq->bitmap, bq->size, v.epoch, 1);
	} else if (op == VA_VQ_STATE_DISABLE) {
		bridge_cancel_queue(d, v.index);
	}
	return 0;
}

int bridge_ctrl(struct bridge_dev *d, const struct va_msg *m, const char **why)
{
	uint32_t w[11] = { 0 };
	uint8_t cfg[VHU_MAX_CONFIG];
	uint32_t off, len, i, n;
	int r;

	switch (m->msg_id) {
	case VA_MSG_GET_DEVICE_INFO:
		w[0] = d->vhu_up ? d->device_id : 0;
		w[1] = 0;			/* vendor_id */
		w[6] = 2;			/* 64 feature bits */
		w[7] = d->config_size;
		w[8] = d->nq;
		bridge_reply(d, m, w, 11, NULL, 0);
		return 0;
	case VA_MSG_GET_DEVICE_FEATURES:
		off = va_word(m, 0);
		n = va_word(m, 1);
		if (n > VA_MAX_FEATURE_BLOCKS)
			n = VA_MAX_FEATURE_BLOCKS;
		w[0] = off;
		w[1] = n;
		for (i = 0; i < n; i++)
			w[2 + i] = (uint64_t)off + i < 2 ?
				   (uint32_t)(d->dev_features >> (32 * (off + i))) : 0;
		bridge_reply(d, m, w, 2 + n, NULL, 0);
		return 0;
	case VA_MSG_SET_DRIVER_FEATURES:
		off = va_word(m, 0);
		n = va_word(m, 1);
		if (d->status & STATUS_FEATURES_OK) {
			*why = "SET_DRIVER_FEATURES after FEATURES_OK";
			return -EPROTO;
		}
		for (i = 0; i < n; i++) {
			uint32_t f = va_word(m, 2 + i);

			if (off + i >= 2) {
				if (f) {
					*why = "driver feature beyond bit 63";
					return -EPROTO;
				}
				continue;
			}
			d->drv_features &= ~(0xFFFFFFFFULL << (32 * (off + i)));
			d->drv_features |= (uint64_t)f << (32 * (off + i));
		}
		bridge_reply(d, m, NULL, 0, NULL, 0);
		return 0;
	case VA_MSG_GET_CONFIG:
	case VA_MSG_SET_CONFIG:
		off = va_word(m, m->msg_id == VA_MSG_GET_CONFIG ? 0 : 1);
		len = va_word(m, m->msg_id == VA_MSG_GET_CONFIG ? 1 : 2);
		w[0] = d->generation;
		w[1] = off;
		w[2] = 0;	/* not served: length 0 (virtio-msg) */
		if ((uint64_t)off + len > d->config_size || !d->vhu_up) {
			bridge_reply(d, m, w, 3, NULL, 0);
			return 0;
		}
		if (m->msg_id == VA_MSG_SET_CONFIG) {
			if (va_word(m, 0) != d->generation ||
			    vhu_set_config(&d->vhu, off, m->payload + 12, len)) {
				bridge_reply(d, m, w, 3, NULL, 0);
				return 0;
			}
			w[2] = len;
			bridge_reply(d, m, w, 3, m->payload + 12, len);
			return 0;
		}
		/* libvhost-user devices answer from offset 0 whatever the
		 * offset asked, so read it all and cut here. */
		r = vhu_get_config(&d->vhu, 0, cfg, d->config_size);
		if (r) {
			bridge_reply(d, m, w, 3, NULL, 0);
			return 0;
		}
		w[2] = len;
		bridge_reply(d, m, w, 3, cfg + off, len);
		return 0;
	case VA_MSG_GET_DEVICE_STATUS:
		w[0] = d->status;
		bridge_reply(d, m, w, 1, NULL, 0);
		return 0;
	case VA_MSG_SET_DEVICE_STATUS:
		r = ctrl_status(d, va_word(m, 0));
		if (r) {
			*why = r == -EBADMSG ? "SET_DEVICE_STATUS beyond 8 bits" :
					       "SET_DEVICE_STATUS clears bits without a reset";
			return r;
		}
		w[0] = d->status;
		bridge_reply(d, m, w, 1, NULL, 0);
		return 0;
	case VA_MSG_GET_VQUEUE: {
		struct va_vqueue v = { .index = va_word(m, 0) };
		int n2;

		if (v.index < d->nq) {
			v.max_size = SHADOW_QSIZE;
			v.size = d->q[v.index].size;
			v.flags = d->q[v.index].st.enabled ? VA_VQ_ENABLED : 0;
		}
		n2 = va_encode_vqueue(d->tx + d->tx_len, bridge_tx_left(d), 1,
				      m->dev_num, m->token, &v);
		if (n2 > 0) {
			d->tx_len += (uint32_t)n2;
			d->st.records_tx++;
		}
		return 0;
	}
	case VA_MSG_SET_VQUEUE:
		r = ctrl_vqueue(d, m, why);
		if (!r)
			bridge_reply(d, m, NULL, 0, NULL, 0);
		return r;
	case VA_MSG_RESET_VQUEUE:
		if (va_word(m, 0) >= d->nq) {
			*why = "RESET_VQUEUE on an unknown queue";
			return -EPROTO;
		}
		if (!(d->drv_features & F_RING_RESET)) {
			*why = "RESET_VQUEUE without RING_RESET negotiated";
			return -EPROTO;
		}
		bridge_cancel_queue(d, va_word(m, 0));
		bridge_reply(d, m, NULL, 0, NULL, 0);
		return 0;
	case VA_MSG_GET_SHM:
		w[0] = va_word(m, 0);	/* no shared memory, ever: length 0 */
		bridge_reply(d, m, w, 6, NULL, 0);
		return 0;
	}
	*why = "unhandled transport message";
	return -EPROTO;
}
