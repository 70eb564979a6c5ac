/* SPDX-License-Identifier: MIT */
/*
 * The vhost-user front-end (the side QEMU plays in hw/virtio/vhost-user.c):
 * one connection to a back-end such as qemu-storage-daemon's
 * vhost-user-blk export. Synchronous: each call sends one message and,
 * where the protocol has one (or REPLY_ACK asks for one), waits for the
 * reply, bounded by a timeout so a wedged back-end cannot hang the bridge.
 *
 * Every function returns 0 (or what it says) on success, -errno on
 * failure: -EPIPE/-ECONNRESET when the back-end went away, -EPROTO when
 * its reply is malformed, -ETIMEDOUT when it did not answer in time.
 */
#ifndef VHOST_USER_H
#define VHOST_USER_H

#include <stdint.h>

/* Requests (vhost-user.rst, "Front-end message types"). */
enum {
	VHU_GET_FEATURES = 1,
	VHU_SET_FEATURES = 2,
	VHU_SET_OWNER = 3,
	VHU_SET_MEM_TABLE = 5,
	VHU_SET_VRING_NUM = 8,
	VHU_SET_VRING_ADDR = 9,
	VHU_SET_VRING_BASE = 10,
	VHU_GET_VRING_BASE = 11,
	VHU_SET_VRING_KICK = 12,
	VHU_SET_VRING_CALL = 13,
	VHU_GET_PROTOCOL_FEATURES = 15,
	VHU_SET_PROTOCOL_FEATURES = 16,
	VHU_GET_QUEUE_NUM = 17,
	VHU_SET_VRING_ENABLE = 18,
	VHU_SET_BACKEND_REQ_FD = 21,
	VHU_GET_CONFIG = 24,
	VHU_SET_CONFIG = 25,
};

#define VHU_F_PROTOCOL_FEATURES		30	/* virtio feature bit */
#define VHU_PROTOCOL_F_MQ		0
#define VHU_PROTOCOL_F_REPLY_ACK	3
#define VHU_PROTOCOL_F_BACKEND_REQ	5
#define VHU_PROTOCOL_F_CONFIG		9
#define VHU_PROTOCOL_F_INFLIGHT_SHMFD	12
#define VHU_MAX_CONFIG			256
/* Back-end requests (on the back-end's own channel). */
#define VHU_BACKEND_CONFIG_CHANGE_MSG	2

struct vhu_conn {
	int fd;
	int backend_fd;			/* back-end requests, or -1 */
	uint64_t features;		/* the back-end's virtio features */
	uint64_t protocol_features;	/* negotiated */
	uint64_t protocol_offered;	/* what the back-end offered */
	int timeout_ms;
};

/* Connect to path and negotiate: GET_FEATURES, protocol features (we
 * take MQ, REPLY_ACK, CONFIG, BACKEND_REQ of what is offered), SET_OWNER,
 * and with BACKEND_REQ a channel for the back-end's own requests. */
int vhu_connect(struct vhu_conn *c, const char *path, int timeout_ms);
void vhu_close(struct vhu_conn *c);

int vhu_get_queue_num(struct vhu_conn *c, uint32_t *num);
int vhu_set_features(struct vhu_conn *c, uint64_t features);
/* One memory region: fd (a memfd) mapped by us at uaddr, seen by the
 * back-end at guest-physical gpa. */
int vhu_set_mem_table(struct vhu_conn *c, int fd, uint64_t gpa,
		      uint64_t size, uint64_t uaddr);
int vhu_set_vring(struct vhu_conn *c, uint32_t index, uint32_t num,
		  uint64_t desc, uint64_t avail, uint64_t used, uint16_t base,
		  int kick_fd, int call_fd);
int vhu_set_vring_enable(struct vhu_conn *c, uint32_t index, int enable);
/* Config space bytes [offset, offset+len), len <= VHU_MAX_CONFIG. */
int vhu_get_config(struct vhu_conn *c, uint32_t offset, void *buf, uint32_t len);
int vhu_set_config(struct vhu_conn *c, uint32_t offset, const void *buf, uint32_t len);

/* One request from the back-end's channel (poll backend_fd first): its
 * id (e.g. VHU_BACKEND_CONFIG_CHANGE_MSG), acknowledged if it asks. */
int vhu_backend_msg(struct vhu_conn *c);

#endif
