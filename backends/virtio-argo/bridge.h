/* SPDX-License-Identifier: MIT */
/*
 * One bridged device: a virtio-argo frontend on one side (a link), a
 * vhost-user back-end on the other (qemu-storage-daemon's vhost-user-blk
 * export, say), and the shadow virtqueues between them. The control plane
 * is answered here (from the back-end where it knows: features, config,
 * queue count); the data plane copies each CHAIN request into the shadow
 * ring and each used chain back as a CHAIN response.
 *
 * One frontend at a time per device (a vhost-user back-end serves one
 * front-end per socket); a daemon runs many devices.
 */
#ifndef BRIDGE_H
#define BRIDGE_H

#include <stdint.h>
#include <argo/virtio-argo.h>

#include "link.h"
#include "shadow.h"
#include "vhost_user.h"

/* What make bench reports: copies per byte delivered and messages per
 * request come from these (docs/virtio-argo.md, "Counters"). */
struct bridge_stats {
	uint64_t msgs_rx, msgs_tx;	/* link messages (Argo sendv each) */
	uint64_t records_rx, records_tx;
	uint64_t bytes_rx, bytes_tx;	/* link bytes */
	uint64_t chains, completions;	/* CHAIN requests posted, answered */
	uint64_t copied_out;		/* out bytes copied into the shadow */
	uint64_t copied_in;		/* in bytes copied into responses */
	uint64_t cancelled;		/* completions dropped after a reset,
					 * or unsendable: the frontend went */
	uint64_t failed;		/* chains answered IOERR or TOOBIG */
	uint64_t kicks, calls;
	uint64_t tx_blocked;		/* sends that found the peer full */
	uint64_t protocol_errors, sessions;
	uint64_t resumes;		/* back-end restarts survived */
};

struct bridge_queue {
	struct va_queue st;
	uint32_t bitmap[VA_BITMAP_WORDS(SHADOW_QSIZE)];
	uint32_t size;
	int posted;			/* chains posted since the last kick */
};

/* What an epoll event points at (main.c dispatches on kind). */
enum { EV_LISTENER, EV_LINK, EV_BACKEND, EV_BACKEND_REQ, EV_CALL, EV_TIMER };
struct bridge_ev {
	int kind;
	struct bridge_dev *d;
	uint32_t q;
};

struct bridge_dev {
	char name[32];
	char vhost_path[108];
	uint32_t device_id, config_size, arena;
	unsigned int max_msg;		/* largest message we accept */
	struct listener lis;
	struct link *link;		/* the frontend, or NULL */

	/* Session (from HELLO until a reset of it). */
	int hello;
	uint32_t peer_max_msg;
	uint32_t status;
	uint64_t drv_features;
	uint32_t generation;

	/* Back-end. */
	struct vhu_conn vhu;
	int vhu_up, started;
	uint64_t dev_features;		/* offered to the frontend */
	uint64_t vhu_features;		/* acked to the back-end */
	int resuming, timer_fd;
	uint32_t resume_ticks, resume_grace_ms;
	uint32_t nq;
	struct shadow_mem mem;
	struct bridge_queue q[VA_MAX_QUEUES];

	/* The received message being worked through; paused when the
	 * shadow ring or the frontend's ring is full. */
	uint8_t *rx;
	uint32_t rx_len;
	struct va_iter it;
	int rx_pending;
	uint8_t *tx;
	uint32_t tx_len;
	int tx_blocked;
	uint32_t tx_chains;		/* CHAIN responses in tx */

	struct bridge_stats st;
	int epoll_fd;
	struct bridge_ev ev_lis, ev_link, ev_vhu, ev_vhu_req, ev_timer, ev_call[VA_MAX_QUEUES];
};

/* Set up a device: listen on spec, connect to the back-end at vhost_path.
 * device_id is the virtio device type (2 = block); config_size the bytes
 * of its config space; resume_grace_ms how long a lost back-end is waited
 * for before chains in flight fail (0: fail at once). 0 or -errno. */
int bridge_open(struct bridge_dev *d, const char *name, const char *spec,
		const char *vhost_path, uint32_t device_id, uint32_t config_size,
		unsigned int max_msg, unsigned int resume_grace_ms, int epoll_fd);
void bridge_close(struct bridge_dev *d);

/* Event-loop entry points: what fired (see main.c). */
void bridge_on_listener(struct bridge_dev *d);
void bridge_on_link(struct bridge_dev *d, uint32_t events);
void bridge_on_call(struct bridge_dev *d, uint32_t q);
void bridge_on_backend(struct bridge_dev *d);
void bridge_on_timer(struct bridge_dev *d);
void bridge_on_backend_req(struct bridge_dev *d);

/* Counters as one JSON object (for --stats and make bench). */
void bridge_stats_json(const struct bridge_dev *d, char *buf, size_t len);

#endif
