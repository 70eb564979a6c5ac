// SPDX-License-Identifier: MIT
/*
 * The bridge (see bridge.h): virtio-argo messages from a frontend turned
 * into vhost-user operations and shadow-ring chains, and used chains
 * turned back into responses. Everything from the frontend is hostile: a
 * malformed or disallowed record ends that frontend's session (logged),
 * never the daemon, and never touches another device.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include <linux/virtio_ring.h>

#include "bridge-internal.h"
#include "log.h"

/* How often a lost back-end is retried. */
#define RESUME_TICK_MS	100

static void dev_drop(struct bridge_dev *d, uint32_t reason, const char *why);
static void dev_update_events(struct bridge_dev *d);
static void backend_failed(struct bridge_dev *d, const char *why);
static void process_used(struct bridge_dev *d, uint32_t q);
static void resume(struct bridge_dev *d);

static void ep_mod(struct bridge_dev *d, int op, int fd, uint32_t events,
		   struct bridge_ev *ev)
{
	struct epoll_event e = { .events = events, .data.ptr = ev };

	if (fd >= 0)
		epoll_ctl(d->epoll_fd, op, fd, &e);
}

/* Transmit side: one message at a time, batched until flushed. */

static uint32_t tx_cap(const struct bridge_dev *d)
{
	uint32_t cap = d->hello ? d->peer_max_msg : VA_MIN_MSG;

	return cap < d->max_msg ? cap : d->max_msg;
}

/* Room left in the message being built; never wraps, even if the cap
 * shrank under it (a new HELLO flushes first, but be sure). */
uint32_t bridge_tx_left(const struct bridge_dev *d)
{
	return tx_cap(d) > d->tx_len ? tx_cap(d) - d->tx_len : 0;
}

static int tx_flush(struct bridge_dev *d)
{
	int r;

	if (!d->tx_len || !d->link)
		return 0;
	r = d->link->ops->send(d->link, d->tx, d->tx_len);
	if (r == -EAGAIN) {
		if (!d->tx_blocked)
			d->st.tx_blocked++;
		d->tx_blocked = 1;
		return r;
	}
	if (r) {
		/* The frontend is gone (over Argo: its domain was destroyed,
		 * ESRCH, or its ring went, ECONNREFUSED): the answers it
		 * never got are cancelled chains, and counted so. */
		log_info("%s: send to frontend failed: %s", d->name, strerror(-r));
		dev_drop(d, 0, "frontend link failed on send");
		return r;
	}
	d->st.msgs_tx++;
	d->st.bytes_tx += d->tx_len;
	d->tx_len = 0;
	d->tx_chains = 0;
	d->tx_blocked = 0;
	return 0;
}

/* Room for need more bytes in the current message, flushing if needed:
 * 1 yes, 0 not now (the frontend's ring is full: wait for POLLOUT). */
static int tx_room(struct bridge_dev *d, uint32_t need)
{
	if (d->tx_blocked || !d->link)
		return 0;
	if (d->tx_len + need <= tx_cap(d))
		return 1;
	if (tx_flush(d))
		return 0;
	return need <= tx_cap(d);
}

void bridge_reply(struct bridge_dev *d, const struct va_msg *m,
		  const uint32_t *w, uint32_t nw, const void *tail, uint32_t tl)
{
	int r = va_encode_ctrl(d->tx + d->tx_len, bridge_tx_left(d),
			       m->type | VA_TYPE_RESPONSE, m->msg_id, m->dev_num,
			       m->token, w, nw, tail, tl);

	/* tx_room(CTRL_ROOM) was checked before acting, so this fits. */
	if (r > 0) {
		d->tx_len += (uint32_t)r;
		d->st.records_tx++;
	}
}

static void send_event_config(struct bridge_dev *d)
{
	uint32_t w[4] = { d->status, d->generation, 0, 0 };
	int r;

	if (!d->hello || !tx_room(d, CTRL_ROOM))
		return;
	r = va_encode_ctrl(d->tx + d->tx_len, bridge_tx_left(d), 0,
			   VA_MSG_EVENT_CONFIG, 0, 0, w, 4, NULL, 0);
	if (r > 0)
		d->tx_len += (uint32_t)r;
}

/* Back-end */

/* Watch (or stop watching) the back-end's sockets: the main one for its
 * death, the request channel for config changes. */
static void backend_watch(struct bridge_dev *d, int on)
{
	int op = on ? EPOLL_CTL_ADD : EPOLL_CTL_DEL;

	d->ev_vhu = (struct bridge_ev){ EV_BACKEND, d, 0 };
	d->ev_vhu_req = (struct bridge_ev){ EV_BACKEND_REQ, d, 0 };
	ep_mod(d, op, d->vhu.fd, EPOLLIN | EPOLLRDHUP, &d->ev_vhu);
	ep_mod(d, op, d->vhu.backend_fd, EPOLLIN, &d->ev_vhu_req);
}

static int backend_connect(struct bridge_dev *d)
{
	int r = vhu_connect(&d->vhu, d->vhost_path, 5000);

	if (r) {
		log_err("%s: cannot reach back-end %s: %s", d->name, d->vhost_path, strerror(-r));
		return r;
	}
	r = vhu_get_queue_num(&d->vhu, &d->nq);
	if (r) {
		vhu_close(&d->vhu);
		return r;
	}
	if (d->nq > VA_MAX_QUEUES)
		d->nq = VA_MAX_QUEUES;
	if (!(d->vhu.features & F_VERSION_1)) {
		log_err("%s: back-end does not offer VERSION_1", d->name);
		vhu_close(&d->vhu);
		return -EPROTO;
	}
	d->dev_features = (d->vhu.features & ~RING_FEATURES) | BRIDGE_FEATURES;
	d->vhu_up = 1;
	backend_watch(d, 1);
	log_debug("%s: back-end %s: features %#" PRIx64 ", protocol features offered %#" PRIx64
		  ", %u queues", d->name, d->vhost_path, d->vhu.features,
		  d->vhu.protocol_offered, d->nq);
	return 0;
}

static void timer_arm(struct bridge_dev *d, int on)
{
	struct itimerspec its = { 0 };

	if (on) {
		its.it_interval.tv_nsec = RESUME_TICK_MS * 1000000L;
		its.it_value.tv_nsec = RESUME_TICK_MS * 1000000L;
	}
	timerfd_settime(d->timer_fd, 0, &its, NULL);
}

static void backend_stop(struct bridge_dev *d)
{
	uint32_t q;

	if (d->started) {
		for (q = 0; q < d->nq; q++)
			ep_mod(d, EPOLL_CTL_DEL, d->mem.vq[q].call_fd, 0, NULL);
		/* Closing the connection before unmapping: a back-end still
		 * finishing a request writes into its own mapping of this
		 * memfd, which no new session will ever use. */
	}
	if (d->vhu_up) {
		backend_watch(d, 0);
		vhu_close(&d->vhu);
	}
	if (d->started)
		shadow_destroy(&d->mem);
	if (d->resuming)
		timer_arm(d, 0);
	d->resuming = 0;
	d->started = 0;
	d->vhu_up = 0;
}

/* Hand the back-end our memory and the rings, on the connection in
 * d->vhu: at start, and again after a back-end restart (same memfd, rings
 * rewound to what is still in flight, shadow_rewind). */
static int backend_setup(struct bridge_dev *d)
{
	uint64_t ua = (uint64_t)(uintptr_t)d->mem.base - SHADOW_GPA;
	uint32_t q;
	int r;

	r = vhu_set_features(&d->vhu, d->vhu_features);
	if (!r)
		r = vhu_set_mem_table(&d->vhu, d->mem.fd, SHADOW_GPA, d->mem.size,
				      (uint64_t)(uintptr_t)d->mem.base);
	for (q = 0; !r && q < d->nq; q++) {
		struct shadow_vq *v = &d->mem.vq[q];

		/* Ring addresses are in the front-end's address space
		 * (vhost-user), descriptors in the "guest-physical" one.
		 * Rings start (or, rewound, restart) at avail index 0. */
		r = vhu_set_vring(&d->vhu, q, SHADOW_QSIZE, ua + v->desc_gpa, ua + v->avail_gpa,
				  ua + v->used_gpa, 0, v->kick_fd, v->call_fd);
		if (!r)
			r = vhu_set_vring_enable(&d->vhu, q, 1);
	}
	return r;
}

int bridge_backend_start(struct bridge_dev *d)
{
	uint32_t q;
	int r;

	r = shadow_create(&d->mem, d->nq, d->arena);
	if (r)
		return r;
	d->started = 1;
	for (q = 0; q < d->nq; q++) {
		d->ev_call[q] = (struct bridge_ev){ EV_CALL, d, q };
		ep_mod(d, EPOLL_CTL_ADD, d->mem.vq[q].call_fd, EPOLLIN, &d->ev_call[q]);
	}
	/* The device bits the driver took, plus what vhost-user needs; the
	 * shadow ring is plain split (no indirect, no event index). */
	d->vhu_features = (d->drv_features & d->vhu.features & ~RING_FEATURES & ~BRIDGE_FEATURES) |
			  F_VERSION_1 | (d->vhu.features & BIT(VHU_F_PROTOCOL_FEATURES));
	r = backend_setup(d);
	if (r)
		log_err("%s: starting the back-end failed: %s", d->name, strerror(-r));
	return r;
}

/* Session */

void bridge_cancel_queue(struct bridge_dev *d, uint32_t fq)
{
	uint32_t q, h;

	for (q = 0; d->started && q < d->nq; q++)
		for (h = 0; h < SHADOW_QSIZE; h++) {
			struct shadow_chain *c = &d->mem.vq[q].chains[h];

			if (c->busy && c->fq == fq && !c->cancelled) {
				c->cancelled = 1;
				d->st.cancelled++;
			}
		}
	va_queue_reset(&d->q[fq].st, d->q[fq].bitmap, 0, 0, 0);
}

/* Device reset: every chain in flight is cancelled; if the back-end ran,
 * it is reconnected with fresh memory, so a late write from it can never
 * land in a buffer a new request uses. */
void bridge_dev_reset(struct bridge_dev *d)
{
	uint32_t q;

	for (q = 0; q < VA_MAX_QUEUES; q++)
		bridge_cancel_queue(d, q);
	if (d->started || !d->vhu_up) {
		backend_stop(d);
		backend_connect(d);
	}
	d->status = d->vhu_up ? 0 : STATUS_NEEDS_RESET;
	d->drv_features = 0;
	d->rx_pending = 0;
}

static void dev_drop(struct bridge_dev *d, uint32_t reason, const char *why)
{
	if (reason == VA_RESET_PROTOCOL) {
		d->st.protocol_errors++;
		log_err("%s: dropping frontend %s: %s", d->name,
			d->link ? d->link->name : "?", why);
	} else {
		log_info("%s: frontend %s gone: %s", d->name,
			 d->link ? d->link->name : "?", why);
	}
	bridge_dev_reset(d);
	d->hello = 0;
	d->st.cancelled += d->tx_chains;
	d->tx_chains = 0;
	d->tx_len = 0;
	d->tx_blocked = 0;
	if (d->link && d->link->persistent) {
		/* Tell the frontend its session is over (best effort). */
		uint8_t ev[16];
		uint32_t w = reason;
		int n = va_encode_ctrl(ev, sizeof(ev), VA_TYPE_BUS, VA_BUS_EVENT_RESET,
				       0, 0, &w, 1, NULL, 0);

		if (n > 0)
			d->link->ops->send(d->link, ev, (size_t)n);
		return;
	}
	if (d->link) {
		ep_mod(d, EPOLL_CTL_DEL, d->link->fd, 0, NULL);
		link_close(d->link);
		d->link = NULL;
	}
}

/* Data plane */

static int chain_fail(struct bridge_dev *d, const struct va_chain_req *r, uint16_t status)
{
	int n = va_encode_chain_resp(d->tx + d->tx_len, bridge_tx_left(d), 0,
				     r->queue, status, r->epoch, r->chain_id, 0);

	if (n > 0) {
		d->tx_len += (uint32_t)n;
		d->tx_chains++;
		d->st.records_tx++;
	}
	va_chain_end(&d->q[r->queue].st, r->epoch, r->chain_id, NULL);
	d->st.failed++;
	return 0;
}

static int handle_chain(struct bridge_dev *d, const struct va_msg *m, const char **why)
{
	struct va_chain_req r;
	struct shadow_chain *c;
	int ret = va_decode_chain_req(m, &r, why);

	if (ret)
		return ret;
	if (m->dev_num != 0) {
		*why = "CHAIN for an unknown device number";
		return -EPROTO;
	}
	if (!(d->status & STATUS_DRIVER_OK)) {
		*why = "CHAIN before DRIVER_OK";
		return -EPROTO;
	}
	if (r.queue >= d->nq) {
		*why = "CHAIN on an unknown queue";
		return -EPROTO;
	}
	ret = va_chain_begin(&d->q[r.queue].st, r.epoch, r.chain_id, why);
	if (ret)
		return ret;
	/* The back-end is gone (NEEDS_RESET): chains the driver sent before
	 * it heard of it fail, as those in flight did. */
	if (!d->started)
		return chain_fail(d, &r, VA_STATUS_IOERR);
	/* The answer must fit the frontend's ring, or it could never come. */
	if (va_chain_resp_size(r.in_len) > tx_cap(d))
		return chain_fail(d, &r, VA_STATUS_TOOBIG);
	ret = shadow_post(&d->mem, r.queue, r.seg_lens, r.n_out, r.n_in, r.in_len,
			  r.out_data, r.out_len);
	if (ret == -EAGAIN) {
		/* Undo and retry this record once completions free room. */
		va_chain_end(&d->q[r.queue].st, r.epoch, r.chain_id, NULL);
		return -EAGAIN;
	}
	if (ret < 0)
		return chain_fail(d, &r, VA_STATUS_TOOBIG);
	c = &d->mem.vq[r.queue].chains[ret];
	c->fq = r.queue;
	c->chain_id = r.chain_id;
	c->epoch = r.epoch;
	d->q[r.queue].posted++;
	d->st.chains++;
	d->st.copied_out += r.out_len;
	return 0;
}

static int handle_record(struct bridge_dev *d, const struct va_msg *m, const char **why)
{
	if (!tx_room(d, CTRL_ROOM))
		return -EAGAIN;
	if (m->type & VA_TYPE_BUS) {
		if (m->msg_id == VA_BUS_HELLO) {
			struct va_hello h, me = { VA_VIRTIO_MSG_REVISION, VA_VERSION,
						  d->max_msg, VA_HELLO_F_BATCH };
			int r = va_decode_hello(m, &h, why);

			if (r)
				return r;
			/* What is queued was sized for the old max_msg. */
			if (tx_flush(d))
				return -EAGAIN;
			/* A HELLO starts a new session: whatever the old one
			 * had in flight is cancelled, as by a reset. */
			/* A back-end that died before it was started is
			 * reconnected here too: nothing else would. */
			if (d->hello || !d->vhu_up)
				bridge_dev_reset(d);
			d->hello = h.version == VA_VERSION && h.revision == VA_VIRTIO_MSG_REVISION;
			d->peer_max_msg = h.max_msg;
			d->st.sessions++;
			r = va_encode_hello(d->tx + d->tx_len, bridge_tx_left(d), 1,
					    m->token, &me);
			if (r > 0)
				d->tx_len += (uint32_t)r;
			if (!d->hello)
				log_info("%s: frontend speaks version %u, revision %u: ignored",
					 d->name, h.version, h.revision);
			return 0;
		}
		if (!d->hello) {
			*why = "message before HELLO";
			return -EPROTO;
		}
		if (m->msg_id == VA_BUS_PING) {
			uint32_t w = va_word(m, 0);

			bridge_reply(d, m, &w, 1, NULL, 0);
			return 0;
		}
		*why = "unexpected bus message";
		return -EPROTO;
	}
	if (!d->hello) {
		*why = "message before HELLO";
		return -EPROTO;
	}
	if (m->dev_num != 0) {
		*why = "message for an unknown device number";
		return -EPROTO;
	}
	if (m->msg_id == VA_MSG_CHAIN)
		return handle_chain(d, m, why);
	return bridge_ctrl(d, m, why);
}

static void kick_posted(struct bridge_dev *d)
{
	uint32_t q;

	for (q = 0; d->started && q < d->nq; q++)
		if (d->q[q].posted) {
			shadow_kick(&d->mem, q);
			d->q[q].posted = 0;
			d->st.kicks++;
		}
}

static void process_rx(struct bridge_dev *d)
{
	while (d->rx_pending && d->link) {
		struct va_iter save = d->it;
		const char *why = "malformed message";
		struct va_msg m;
		int r = va_next(&d->it, &m, &why);

		if (r == 0) {
			d->rx_pending = 0;
			break;
		}
		if (r > 0)
			r = va_validate(&m, 1, &why);
		if (r == 0)
			r = handle_record(d, &m, &why);
		if (r == -EAGAIN) {
			d->it = save;
			break;
		}
		if (r < 0) {
			dev_drop(d, VA_RESET_PROTOCOL, why);
			break;
		}
		d->st.records_rx++;
	}
	kick_posted(d);
}

static void process_used(struct bridge_dev *d, uint32_t q)
{
	while (d->started && d->link) {
		uint32_t head, len, used;
		struct shadow_chain *c;
		int r = shadow_next_used(&d->mem, q, &head, &len);

		if (r == 0)
			return;
		if (r < 0) {
			backend_failed(d, "back-end wrote an impossible used entry");
			return;
		}
		c = &d->mem.vq[q].chains[head];
		if (!c->cancelled) {
			used = len < c->in_len ? len : c->in_len;
			if (len > c->in_len)
				log_debug("%s: back-end used %u > %u in bytes: clamped",
					  d->name, len, c->in_len);
			if (!tx_room(d, va_chain_resp_size(used)))
				return;		/* resumes on POLLOUT */
			if (va_chain_end(&d->q[c->fq].st, c->epoch, c->chain_id, NULL) == 1) {
				int n = va_encode_chain_resp(d->tx + d->tx_len,
							     bridge_tx_left(d), 0, c->fq,
							     VA_STATUS_OK, c->epoch,
							     c->chain_id, used);

				if (n < 0)	/* tx_room said it fits: a bug */
					return;
				memcpy(d->tx + d->tx_len + VA_CHAIN_RESP_FIXED,
				       shadow_in_data(&d->mem, q, head), used);
				d->tx_len += (uint32_t)n;
				d->tx_chains++;
				d->st.records_tx++;
				d->st.completions++;
				d->st.copied_in += used;
			} else {
				d->st.cancelled++;
			}
		}
		shadow_release(&d->mem, q, head);
		shadow_used_done(&d->mem, q);
	}
}

/* The back-end died or broke its ring: every chain in flight fails with
 * IOERR (never silently lost), the device asks for a reset, and the reset
 * reconnects (qemu-storage-daemon restarted behind the same socket). */
static void backend_failed(struct bridge_dev *d, const char *why)
{
	uint32_t q, h;

	log_err("%s: back-end failed: %s", d->name, why);
	/* tx_room may flush, fail and end the session (which stops the
	 * back-end): re-check started before every chain. */
	for (q = 0; d->started && q < d->nq; q++)
		for (h = 0; d->started && h < SHADOW_QSIZE; h++) {
			struct shadow_chain *c = &d->mem.vq[q].chains[h];

			if (!c->busy || c->cancelled)
				continue;
			if (va_chain_end(&d->q[c->fq].st, c->epoch, c->chain_id, NULL) == 1 &&
			    tx_room(d, VA_CHAIN_RESP_FIXED)) {
				int n = va_encode_chain_resp(d->tx + d->tx_len,
							     bridge_tx_left(d), 0, c->fq,
							     VA_STATUS_IOERR, c->epoch,
							     c->chain_id, 0);

				d->tx_len += (uint32_t)n;
				d->tx_chains++;
				d->st.failed++;
			}
			/* With the frontend's ring full, the chain is already
			 * failed in our books; its session must reset anyway. */
		}
	backend_stop(d);
	d->status |= STATUS_NEEDS_RESET;
	send_event_config(d);
	tx_flush(d);
}

/* The back-end went away while running: keep the shadow memory and every
 * chain in flight, and try to reconnect for resume_grace_ms. A restarted
 * qemu-storage-daemon behind the same socket then gets every chain that
 * was not used again (shadow_rewind): a chain it had half done runs
 * twice, which a block device's requests allow (the driver had not been
 * told it was done, so it can have no expectation of order). */
static void backend_lost(struct bridge_dev *d)
{
	log_err("%s: back-end connection lost; resuming for up to %u ms", d->name,
		d->resume_grace_ms);
	backend_watch(d, 0);
	vhu_close(&d->vhu);
	d->vhu_up = 0;
	d->resuming = 1;
	d->resume_ticks = 0;
	timer_arm(d, 1);
}

void bridge_on_timer(struct bridge_dev *d)
{
	uint64_t v;
	uint32_t nq, q;
	int r;

	if (read(d->timer_fd, &v, 8) != 8 || !d->resuming)
		return;
	r = vhu_connect(&d->vhu, d->vhost_path, 1000);
	if (!r) {
		/* Only the same back-end may resume: same features, queues. */
		if (vhu_get_queue_num(&d->vhu, &nq) || nq < d->nq ||
		    (d->vhu_features & ~d->vhu.features))
			r = -EPROTO;
		for (q = 0; !r && q < d->nq; q++)
			r = shadow_rewind(&d->mem, q);
		if (!r)
			r = backend_setup(d);
		if (r)
			vhu_close(&d->vhu);
	}
	if (r) {
		if (++d->resume_ticks * RESUME_TICK_MS < d->resume_grace_ms)
			return;
		timer_arm(d, 0);
		d->resuming = 0;
		backend_failed(d, "back-end did not come back");
		dev_update_events(d);
		return;
	}
	timer_arm(d, 0);
	d->resuming = 0;
	d->vhu_up = 1;
	d->st.resumes++;
	backend_watch(d, 1);
	log_info("%s: back-end reconnected; chains in flight re-posted", d->name);
	/* Chains posted while it was away were never announced to it. */
	for (q = 0; q < d->nq; q++) {
		shadow_kick(&d->mem, q);
		process_used(d, q);
	}
	resume(d);
}

void bridge_on_backend(struct bridge_dev *d)
{
	char c;
	ssize_t n = recv(d->vhu.fd, &c, 1, MSG_DONTWAIT | MSG_PEEK);

	/* A vhost-user back-end never speaks unasked on this socket. */
	if (n == 0 || (n < 0 && errno != EAGAIN)) {
		if (d->started && d->resume_grace_ms)
			backend_lost(d);
		else
			backend_failed(d, "connection closed");
	} else if (n > 0) {
		backend_failed(d, "unsolicited message");
	}
	dev_update_events(d);
}

/* A request on the back-end's own channel: a config change (a resized
 * image) bumps the generation and tells the driver (EVENT_CONFIG). */
void bridge_on_backend_req(struct bridge_dev *d)
{
	int r = vhu_backend_msg(&d->vhu);

	if (r == VHU_BACKEND_CONFIG_CHANGE_MSG) {
		d->generation++;
		send_event_config(d);
		if (d->link)
			tx_flush(d);
	} else if (r < 0) {
		/* Its death shows on the main socket; stop listening here. */
		ep_mod(d, EPOLL_CTL_DEL, d->vhu.backend_fd, 0, NULL);
	} else {
		log_info("%s: back-end request %d ignored", d->name, r);
	}
	dev_update_events(d);
}

static void dev_update_events(struct bridge_dev *d)
{
	uint32_t ev = 0;

	if (!d->link)
		return;
	if (!d->rx_pending && !d->tx_blocked)
		ev |= EPOLLIN;
	if (d->tx_blocked)
		ev |= EPOLLOUT;
	ep_mod(d, EPOLL_CTL_MOD, d->link->fd, ev, &d->ev_link);
}

static void resume(struct bridge_dev *d)
{
	uint32_t q;

	for (q = 0; d->started && q < d->nq && d->link; q++)
		process_used(d, q);
	if (d->link)
		process_rx(d);
	if (d->link)
		tx_flush(d);
	dev_update_events(d);
}

void bridge_on_link(struct bridge_dev *d, uint32_t events)
{
	int budget = 64;

	/* The peer hung up (or the socket failed): whatever it left unread
	 * or unsent no longer matters, and a level-triggered HUP would spin
	 * while reading is paused. */
	if (events & (EPOLLHUP | EPOLLERR)) {
		dev_drop(d, 0, events & EPOLLERR ? "link error" : "hung up");
		return;
	}
	if (events & EPOLLOUT) {
		d->tx_blocked = 0;
		if (tx_flush(d) == 0)
			resume(d);
		dev_update_events(d);
		return;
	}
	/* Read several messages per wakeup: their responses share sends. */
	while (d->link && !d->rx_pending && !d->tx_blocked && budget--) {
		ssize_t n = d->link->ops->recv(d->link, d->rx, d->max_msg);

		if (n == -EAGAIN)
			break;
		if (n == 0 || (n < 0 && n != -EMSGSIZE)) {
			dev_drop(d, 0, n == 0 ? "closed" : strerror((int)-n));
			break;
		}
		if (n == -EMSGSIZE) {
			dev_drop(d, VA_RESET_PROTOCOL, "message larger than announced max_msg");
			break;
		}
		d->st.msgs_rx++;
		d->st.bytes_rx += (uint64_t)n;
		d->rx_len = (uint32_t)n;
		va_iter_init(&d->it, d->rx, d->rx_len);
		d->rx_pending = 1;
		process_rx(d);
	}
	if (d->link)
		tx_flush(d);
	dev_update_events(d);
}

void bridge_on_call(struct bridge_dev *d, uint32_t q)
{
	uint64_t v;

	if (!d->started || q >= d->nq)
		return;
	if (read(d->mem.vq[q].call_fd, &v, 8) == 8)
		d->st.calls++;
	process_used(d, q);
	if (d->link && d->rx_pending)
		process_rx(d);	/* completions may have made room */
	if (d->link)
		tx_flush(d);
	dev_update_events(d);
}

void bridge_on_listener(struct bridge_dev *d)
{
	struct link *l;
	int r;

	while ((r = listener_accept(&d->lis, &l)) == 1) {
		if (d->link) {
			log_info("%s: refusing %s: device busy with %s", d->name, l->name,
				 d->link->name);
			link_close(l);
			continue;
		}
		d->link = l;
		d->hello = 0;
		d->ev_link = (struct bridge_ev){ EV_LINK, d, 0 };
		ep_mod(d, EPOLL_CTL_ADD, l->fd, EPOLLIN, &d->ev_link);
		log_info("%s: frontend %s connected", d->name, l->name);
	}
}

int bridge_open(struct bridge_dev *d, const char *name, const char *spec,
		const char *vhost_path, uint32_t device_id, uint32_t config_size,
		unsigned int max_msg, unsigned int resume_grace_ms, int epoll_fd)
{
	int r;

	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%s", name);
	if (strlen(vhost_path) >= sizeof(d->vhost_path) || config_size > VHU_MAX_CONFIG)
		return -EINVAL;
	strcpy(d->vhost_path, vhost_path);
	d->device_id = device_id;
	d->config_size = config_size;
	d->max_msg = max_msg;
	/* The arena holds a few maximum chains so one cannot starve others. */
	d->arena = 8 * max_msg;
	d->epoll_fd = epoll_fd;
	d->vhu.fd = -1;
	d->resume_grace_ms = resume_grace_ms;
	d->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (d->timer_fd < 0)
		return -errno;
	d->ev_timer = (struct bridge_ev){ EV_TIMER, d, 0 };
	ep_mod(d, EPOLL_CTL_ADD, d->timer_fd, EPOLLIN, &d->ev_timer);
	d->rx = malloc(max_msg);
	d->tx = malloc(max_msg);
	if (!d->rx || !d->tx)
		return -ENOMEM;
	r = backend_connect(d);
	if (r)
		return r;
	r = listener_open(&d->lis, spec, max_msg);
	if (r) {
		log_err("%s: cannot listen on %s: %s", name, spec, strerror(-r));
		return r;
	}
	d->ev_lis = (struct bridge_ev){ EV_LISTENER, d, 0 };
	ep_mod(d, EPOLL_CTL_ADD, d->lis.fd, EPOLLIN, &d->ev_lis);
	bridge_on_listener(d);	/* fd: and argo: links exist already */
	return 0;
}

void bridge_close(struct bridge_dev *d)
{
	if (d->link) {
		link_close(d->link);
		d->link = NULL;
	}
	listener_close(&d->lis);
	backend_stop(d);
	if (d->timer_fd >= 0)
		close(d->timer_fd);
	d->timer_fd = -1;
	free(d->rx);
	free(d->tx);
	d->rx = d->tx = NULL;
}

void bridge_stats_json(const struct bridge_dev *d, char *buf, size_t len)
{
	const struct bridge_stats *s = &d->st;

	snprintf(buf, len,
		 "\"%s\": {\"msgs_rx\": %" PRIu64 ", \"msgs_tx\": %" PRIu64
		 ", \"records_rx\": %" PRIu64 ", \"records_tx\": %" PRIu64
		 ", \"bytes_rx\": %" PRIu64 ", \"bytes_tx\": %" PRIu64
		 ", \"chains\": %" PRIu64 ", \"completions\": %" PRIu64
		 ", \"copied_out\": %" PRIu64 ", \"copied_in\": %" PRIu64
		 ", \"cancelled\": %" PRIu64 ", \"failed\": %" PRIu64
		 ", \"kicks\": %" PRIu64 ", \"calls\": %" PRIu64
		 ", \"tx_blocked\": %" PRIu64 ", \"protocol_errors\": %" PRIu64
		 ", \"sessions\": %" PRIu64 ", \"resumes\": %" PRIu64 "}",
		 d->name, s->msgs_rx, s->msgs_tx, s->records_rx, s->records_tx,
		 s->bytes_rx, s->bytes_tx, s->chains, s->completions, s->copied_out,
		 s->copied_in, s->cancelled, s->failed, s->kicks, s->calls,
		 s->tx_blocked, s->protocol_errors, s->sessions, s->resumes);
}
