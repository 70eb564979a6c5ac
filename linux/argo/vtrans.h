/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio_argo.ko internals: a virtio transport over Argo
 * (docs/virtio-argo.md). One struct vtr_dev per device that discovery
 * reports; its vrings stay in this guest's memory and every byte to and
 * from the device crosses as an Argo message.
 *
 * Locking: vtr_dev.lock (spinlock, irqsave) guards the transmit buffer,
 * the queues' ring state and the receive path; notify (any context, may be
 * atomic), the ring's receive callback (hard IRQ) and the space waiter
 * (VIRQ handler) all take it, and none sleeps under it. vring_interrupt()
 * is called only after dropping it, because the driver's callback may
 * kick again. ctrl_mutex serialises control requests (process context);
 * a session restart (vtrans_session.c) holds it for the whole replay, so
 * the driver's own control requests see either the old session or the
 * whole new one.
 */
#ifndef ARGO_VTRANS_H
#define ARGO_VTRANS_H

#include <linux/completion.h>
#include <linux/irq_work.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/interrupt.h>
#include <linux/workqueue.h>

#include <argo/discovery.h>
#include <argo/virtio-argo.h>
#include "argo.h"
#include "compat.h"
#include "vring_split.h"

#define VTR_CONFIG_MAX		256	/* bytes of device config we cache */
#define VTR_CTRL_MAX		(VA_HDR_SIZE + 12 + VTR_CONFIG_MAX)
#define VTR_QUEUE_MAX		256	/* our vrings' size cap */
#define VTR_MAX_SEGS		256	/* the bridge's shadow ring holds 256 */
#define VTR_MAX_VQS		16	/* queues per device */

struct vtr_queue {
	struct virtqueue *vq;
	struct vs_ring ring;
	u16 last_avail;		/* next available entry to send */
	u16 used_idx;		/* next used entry we write */
	struct va_queue st;	/* chains in flight, epoch */
	u32 *bitmap;
	u32 *in_len;		/* per chain id: in-bytes it offered */
	u32 *resend;		/* chain ids to send again (a new session) */
	bool kick;		/* raise vring_interrupt after the lock */
};

struct vtr_stats {
	u64 requests;		/* chains sent */
	u64 completions;	/* chains completed by a response */
	u64 local_fails;	/* chains failed here (refused, too big, broken) */
	u64 msgs_sent;		/* Argo messages sent (successful sendv) */
	u64 sendv_calls;	/* sendv hypercalls, EAGAIN included */
	u64 space_queries;	/* argo_space hypercalls */
	u64 msgs_received;	/* Argo messages received (one notify each) */
	u64 bytes_out;		/* out-bytes of requests (payload delivered) */
	u64 bytes_in;		/* in-bytes of responses (payload delivered) */
	u64 copied_out;		/* guest buffers -> transmit buffer */
	u64 copied_in;		/* receive buffer -> guest buffers */
	u64 copied_rx;		/* Argo ring -> receive buffer */
	u64 stale;		/* responses of an old epoch, dropped */
	u64 errors;		/* device faults (hostile or broken backend) */
	u64 tx_blocked;		/* sends that found the device's ring full */
	u64 avail_taken;	/* chains taken from the available rings */
	u64 used_published;	/* used entries written: each chain once */
	u64 sessions;		/* HELLOs answered (1 + restarts survived) */
	u64 session_losses;	/* the device's session lost (bridge gone) */
	u64 resent;		/* chains sent again in a new session */
	u64 probes;		/* liveness PINGs sent */
};

struct vtr_dev {
	struct virtio_device vdev;
	struct list_head node;		/* in vtr_devs, under vtr_devs_mutex */
	struct argo_disc_dev rec;	/* as discovery reported it */
	struct argo_ring *ring;
	struct argo_space_waiter waiter;
	struct dentry *debugfs;

	spinlock_t lock;
	struct argo_addr peer;		/* the device's domain: first answer */
	bool peer_known;
	u8 *tx;				/* the message being built */
	u32 tx_len, tx_cap;		/* tx_cap: the device's max_msg */
	u32 tx_alloc;			/* d->tx's size: tx_cap never exceeds it */
	bool tx_blocked;
	u8 *rx;
	u32 rx_cap;
	bool broken;			/* the device misbehaved: fail chains */
	/* broken by what the device sent: a new session does not mend it */
	bool hostile;
	bool lost;			/* session lost: hold chains, restart */
	bool stopping;			/* being removed: no more restarts */
	unsigned int idle_losses;	/* losses with no completion between */
	unsigned long last_rx;		/* jiffies of the device's last message */
	struct timer_list live_timer;	/* probes a silent device (PING) */
	struct work_struct restart_work;
	bool registered;		/* the virtio core knows it */
	struct vtr_queue *q;
	unsigned int nq;
	u32 kick_mask;			/* queues with new used entries */
	struct irq_work iw;		/* raises them from notify */
	u32 epoch;			/* last epoch given to a queue */
	struct vtr_stats st;

	/* Control plane: one request at a time. */
	struct mutex ctrl_mutex;
	struct completion ctrl_done;
	u16 ctrl_token;
	u8 ctrl_id;
	u8 ctrl_type;
	bool ctrl_waiting;
	int ctrl_err;			/* the session was lost meanwhile */
	u8 ctrl_resp[VTR_CTRL_MAX];
	u32 ctrl_resp_len;

	/* Device state, cached so config reads never sleep. */
	u32 device_id, vendor_id, config_size, max_vqs;
	u64 dev_features;
	u8 status;
	u32 generation;
	u8 config[VTR_CONFIG_MAX];
	struct work_struct config_work;
};

static inline struct vtr_dev *to_vtr(struct virtio_device *vdev)
{
	return container_of(vdev, struct vtr_dev, vdev);
}

/* vtrans_dma.c */
int vtr_dma_init(void);
void vtr_dma_exit(void);
struct device *vtr_dma_parent(void);
bool vtr_dma_ours(struct device *dev);

/* vtrans_dev.c */
struct vtr_dev *vtr_dev_add(const struct argo_disc_dev *rec);
void vtr_dev_remove(struct vtr_dev *d);
int vtr_ctrl(struct vtr_dev *d, u8 type, u8 msg_id, const u32 *w,
	     unsigned int nw, const void *tail, u32 tail_len);
int vtr_ctrl_locked(struct vtr_dev *d, u8 type, u8 msg_id, const u32 *w,
		    unsigned int nw, const void *tail, u32 tail_len);
u32 vtr_word(struct vtr_dev *d, unsigned int i);
int vtr_hello(struct vtr_dev *d, unsigned int tries);
int vtr_read_config_locked(struct vtr_dev *d);
u64 vtr_forwarded_features(struct vtr_dev *d);
extern const struct virtio_config_ops vtr_config_ops;

/* vtrans_vq.c */
int vtr_flush(struct vtr_dev *d);
void vtr_send_pending(struct vtr_dev *d);
void vtr_chain_resp(struct vtr_dev *d, const struct va_msg *m);
void vtr_fault(struct vtr_dev *d, const char *why);
void vtr_fault_hostile(struct vtr_dev *d, const char *why);
void vtr_queues_reset(struct vtr_dev *d);
void vtr_interrupts(struct vtr_dev *d);
int vtr_find_vqs(struct virtio_device *vdev, unsigned int nvqs,
		 struct virtqueue *vqs[], struct argo_vq_info info[],
		 struct irq_affinity *desc);
void vtr_del_vqs(struct virtio_device *vdev);
void vtr_complete_failed(struct vtr_dev *d, unsigned int qi, u32 head);
void vtr_arm_probe(struct vtr_dev *d);

/* vtrans_session.c */
void vtr_session_lost(struct vtr_dev *d, const char *why);
void vtr_session_init(struct vtr_dev *d);
void vtr_session_stop(struct vtr_dev *d);

/* vtrans_main.c */
struct dentry *vtr_debugfs_root(void);

#endif /* ARGO_VTRANS_H */
