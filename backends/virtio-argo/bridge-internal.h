/* SPDX-License-Identifier: MIT */
/*
 * What bridge.c (sessions, data plane, events) and bridge_ctrl.c (the
 * virtio-msg control plane) share; not for other files.
 */
#ifndef BRIDGE_INTERNAL_H
#define BRIDGE_INTERNAL_H

#include "bridge.h"

#define STATUS_DRIVER_OK	4U
#define STATUS_FEATURES_OK	8U
#define STATUS_NEEDS_RESET	0x40U
#define STATUS_FAILED		0x80U

#define BIT(n)			(1ULL << (n))
/* Ring-layout features belong to each ring's owner: the transport decides
 * them for the frontend's vring, the bridge for its shadow ring. Neither
 * is forwarded (docs/virtio-argo.md §13). */
#define RING_FEATURES	(BIT(24) | BIT(27) | BIT(28) | BIT(29) | BIT(30) | \
			 BIT(34) | BIT(35) | BIT(36) | BIT(37) | BIT(38) | BIT(39))
#define F_VERSION_1		BIT(32)
#define F_ACCESS_PLATFORM	BIT(33)
#define F_RING_RESET		BIT(40)
/* Bits the bridge itself provides to the frontend. */
#define BRIDGE_FEATURES	(F_VERSION_1 | F_ACCESS_PLATFORM | F_RING_RESET)

/* Worst-case control response: header, 3 words, 256 config bytes, pad.
 * bridge_ctrl() is called only with this much room in the message. */
#define CTRL_ROOM	(VA_HDR_SIZE + 64 + VHU_MAX_CONFIG)

/* Room left in the message being built. */
uint32_t bridge_tx_left(const struct bridge_dev *d);
/* Append the response to control request m (payload w[nw], then tail). */
void bridge_reply(struct bridge_dev *d, const struct va_msg *m,
		  const uint32_t *w, uint32_t nw, const void *tail, uint32_t tl);
/* Cancel frontend queue fq's chains in flight and disable it. */
void bridge_cancel_queue(struct bridge_dev *d, uint32_t fq);
/* Device reset (SET_DEVICE_STATUS 0 and session ends). */
void bridge_dev_reset(struct bridge_dev *d);
/* Start the back-end at DRIVER_OK: 0 or -errno (logged). */
int bridge_backend_start(struct bridge_dev *d);
/* Handle one validated control record: 0, or -errno with *why set, which
 * ends the session. */
int bridge_ctrl(struct bridge_dev *d, const struct va_msg *m, const char **why);

#endif
