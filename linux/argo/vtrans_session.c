// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio_argo.ko: surviving a restart of the device's bridge
 * (docs/virtio-argo.md §10, §18). Argo tells a sender nothing when the
 * receiver's ring goes away, so the session is known lost when a send is
 * refused (no ring, no domain), when the device says so (EVENT_RESET: a
 * new bridge answering a message of a session it never had), or, with
 * chains in flight and the device silent, when a liveness PING is refused
 * or answered that way. Then the chains in flight are held (virtio-blk:
 * its requests may run twice, the driver was not told they ran) or
 * failed (any other device), every queue gets a new epoch at once, and a
 * work item says HELLO again and replays what the driver had set up
 * (status, features, queues) before the held chains go out again. So each
 * chain completes exactly once: the new bridge never saw the old
 * session's chains, and answers of the old epochs are dropped.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>

#include "vtrans.h"

#define VTR_PROBE_IDLE		(2 * HZ)	/* device silent this long: PING */
#define VTR_RESTART_TRIES	300		/* x 200 ms: a bridge restarting */
#define VTR_REPLAYS		3		/* a replay cut short, tried again */
/*
 * Losses in a row with no completion in between, after which the chains
 * in flight fail instead of going out again: a chain that makes every
 * bridge drop its session must not make this loop for ever.
 */
#define VTR_RESEND_MAX		2

static const struct argo_addr vtr_implicit = { .domain = ARGO_DOMID_IMPLICIT };

/* Chains in flight on every queue. Under d->lock. */
static unsigned int vtr_inflight(struct vtr_dev *d)
{
	unsigned int qi, n = 0;

	for (qi = 0; qi < d->nq; qi++)
		if (d->q[qi].vq)
			n += d->q[qi].st.count;
	return n;
}

/*
 * The device's session is gone (its bridge exited, or a new one does not
 * know us). Under d->lock; any context.
 */
void vtr_session_lost(struct vtr_dev *d, const char *why)
{
	unsigned int qi, held = 0, failed = 0;
	bool resend;
	u32 id;

	/* Already restarting: the EVENT_RESETs our last messages caused. */
	if (d->lost)
		return;
	/* Before the driver has the device, or while it is removed, there
	 * is nothing to restart: fail as for a faulty device. */
	if (!d->registered || READ_ONCE(d->stopping))
		return vtr_fault(d, why);
	d->lost = true;
	d->st.session_losses++;
	resend = d->device_id == VIRTIO_ID_BLOCK && d->idle_losses < VTR_RESEND_MAX;
	d->idle_losses++;
	/* What is unsent is in flight too: it goes out again, or fails. */
	d->tx_len = 0;
	d->tx_blocked = false;
	for (qi = 0; qi < d->nq; qi++) {
		struct vtr_queue *q = &d->q[qi];

		if (!q->vq || !q->bitmap)
			continue;
		for (id = 0; id < q->st.size && q->st.count; id++) {
			if (va_chain_end(&q->st, q->st.epoch, id, NULL) != 1)
				continue;
			if (resend) {
				q->resend[id / 32] |= 1U << (id & 31);
				held++;
			} else {
				vtr_complete_failed(d, qi, id);
				failed++;
			}
		}
		/* A new epoch now: whatever still comes of the old session
		 * is dropped, never written into a buffer (§6.4). */
		va_queue_reset(&q->st, q->bitmap, q->st.size, ++d->epoch,
			       q->st.enabled);
	}
	/* A control request waiting for the old session: it ends now. */
	if (d->ctrl_waiting) {
		d->ctrl_err = -ECONNRESET;
		d->ctrl_waiting = false;
		complete(&d->ctrl_done);
	}
	pr_warn("device %u: %s: session lost; %u requests held for the next, %u failed\n",
		d->rec.dev_num, why, held, failed);
	schedule_work(&d->restart_work);
}

/*
 * Start a new session and set it up as the driver had the old one. The
 * caller holds ctrl_mutex. Return: 0, or the error that stopped it.
 */
static int vtr_replay(struct vtr_dev *d)
{
	u32 epochs[VTR_MAX_VQS], sizes[VTR_MAX_VQS];
	u8 old_config[VTR_CONFIG_MAX];
	u32 w[10], old_gen;
	unsigned int qi, nq;
	unsigned long flags;
	u8 status;
	u64 f;
	int ret;

	ret = vtr_hello(d, VTR_RESTART_TRIES);
	if (ret)
		return ret;
	spin_lock_irqsave(&d->lock, flags);
	/* Our buffer was sized for the first session's max_msg. */
	d->tx_cap = min(vtr_word(d, 2), d->tx_alloc);
	spin_unlock_irqrestore(&d->lock, flags);

	ret = vtr_ctrl_locked(d, 0, VA_MSG_GET_DEVICE_INFO, NULL, 0, NULL, 0);
	if (ret < 0)
		return ret;
	if (vtr_word(d, 0) != d->device_id || vtr_word(d, 7) != d->config_size) {
		pr_err("device %u: came back as type %u with %u config bytes, was %u with %u\n",
		       d->rec.dev_num, vtr_word(d, 0), vtr_word(d, 7),
		       d->device_id, d->config_size);
		return -ENODEV;
	}
	w[0] = 0;
	w[1] = 2;
	ret = vtr_ctrl_locked(d, 0, VA_MSG_GET_DEVICE_FEATURES, w, 2, NULL, 0);
	if (ret < 0)
		return ret;
	f = vtr_forwarded_features(d);
	if (f & ~(vtr_word(d, 2) | ((u64)vtr_word(d, 3) << 32))) {
		pr_err("device %u: came back without features the driver took\n",
		       d->rec.dev_num);
		return -ENODEV;
	}

	/* Status and features, as far as the driver had gone. */
	status = READ_ONCE(d->status) & ~VIRTIO_CONFIG_S_NEEDS_RESET;
	w[0] = status & (VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
	if (w[0]) {
		ret = vtr_ctrl_locked(d, 0, VA_MSG_SET_DEVICE_STATUS, w, 1, NULL, 0);
		if (ret < 0)
			return ret;
	}
	if (status & VIRTIO_CONFIG_S_FEATURES_OK) {
		w[0] = 0;
		w[1] = 2;
		w[2] = (u32)f;
		w[3] = (u32)(f >> 32);
		ret = vtr_ctrl_locked(d, 0, VA_MSG_SET_DRIVER_FEATURES, w, 4, NULL, 0);
		if (ret < 0)
			return ret;
		w[0] = status & (VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
				 VIRTIO_CONFIG_S_FEATURES_OK);
		ret = vtr_ctrl_locked(d, 0, VA_MSG_SET_DEVICE_STATUS, w, 1, NULL, 0);
		if (ret < 0)
			return ret;
		if (!(vtr_word(d, 0) & VIRTIO_CONFIG_S_FEATURES_OK)) {
			pr_err("device %u: came back refusing the driver's features\n",
			       d->rec.dev_num);
			return -ENODEV;
		}
	}

	/* Config: the cache is refreshed; a change is told to the driver. */
	spin_lock_irqsave(&d->lock, flags);
	memcpy(old_config, d->config, d->config_size);
	old_gen = d->generation;
	spin_unlock_irqrestore(&d->lock, flags);
	ret = vtr_read_config_locked(d);
	if (ret < 0)
		return ret;
	if (memcmp(old_config, d->config, d->config_size) || old_gen != d->generation)
		schedule_work(&d->config_work);

	/* Queues, with the epochs vtr_session_lost() gave them. */
	spin_lock_irqsave(&d->lock, flags);
	for (qi = nq = 0; qi < d->nq && qi < VTR_MAX_VQS; qi++) {
		struct vtr_queue *q = &d->q[qi];

		epochs[qi] = q->st.epoch;
		sizes[qi] = q->vq && q->st.enabled ? q->st.size : 0;
		nq = qi + 1;
	}
	spin_unlock_irqrestore(&d->lock, flags);
	for (qi = 0; qi < nq; qi++) {
		if (!sizes[qi])
			continue;
		memset(w, 0, sizeof(w));
		w[0] = qi;
		w[1] = VA_VQ_STATE_ENABLE;
		w[2] = sizes[qi];
		w[3] = epochs[qi];
		ret = vtr_ctrl_locked(d, 0, VA_MSG_SET_VQUEUE, w, 10, NULL, 0);
		if (ret < 0)
			return ret;
	}
	if (status & VIRTIO_CONFIG_S_DRIVER_OK) {
		w[0] = status;
		ret = vtr_ctrl_locked(d, 0, VA_MSG_SET_DEVICE_STATUS, w, 1, NULL, 0);
		if (ret < 0)
			return ret;
		if (!(vtr_word(d, 0) & VIRTIO_CONFIG_S_DRIVER_OK)) {
			pr_err("device %u: came back refusing DRIVER_OK (status 0x%x)\n",
			       d->rec.dev_num, vtr_word(d, 0));
			return -EIO;
		}
	}
	return 0;
}

static void vtr_restart_work(struct work_struct *work)
{
	struct vtr_dev *d = container_of(work, struct vtr_dev, restart_work);
	unsigned long flags;
	unsigned int n;
	u64 resent;
	int ret = -ESHUTDOWN;

	mutex_lock(&d->ctrl_mutex);
	for (n = 0; n < VTR_REPLAYS && !READ_ONCE(d->stopping); n++) {
		ret = vtr_replay(d);
		/* Cut short by the bridge going again: once more. */
		if (ret != -ECONNREFUSED && ret != -ESRCH && ret != -ETIMEDOUT &&
		    ret != -ECONNRESET)
			break;
	}
	spin_lock_irqsave(&d->lock, flags);
	if (!d->lost) {
		/* vtr_session_stop() failed what was held meanwhile. */
	} else if (!ret) {
		d->lost = false;
		/* A send the old session refused broke it; bad input did not. */
		d->broken = d->hostile;
		resent = d->st.resent;
		vtr_send_pending(d);
		pr_info("device %u: new session with the device; %llu requests sent again\n",
			d->rec.dev_num, d->st.resent - resent);
	} else {
		d->lost = false;
		vtr_fault(d, "the device did not come back");
		/* What waited in the available rings fails too. */
		vtr_send_pending(d);
	}
	spin_unlock_irqrestore(&d->lock, flags);
	mutex_unlock(&d->ctrl_mutex);
	vtr_interrupts(d);
}

/* Chains went out: make sure a silent device gets probed. Under d->lock. */
void vtr_arm_probe(struct vtr_dev *d)
{
	if (!timer_pending(&d->live_timer) && !READ_ONCE(d->stopping))
		mod_timer(&d->live_timer, jiffies + VTR_PROBE_IDLE);
}

/*
 * Chains in flight and nothing heard for VTR_PROBE_IDLE: PING. A live
 * bridge answers (or is busy: its ring full, EAGAIN, fine too); a gone
 * one's ring refuses the send; a new one answers EVENT_RESET. Only the
 * last two mean anything. Context: timer (softirq).
 */
static void vtr_live_timer(struct timer_list *t)
{
	struct vtr_dev *d = from_timer(d, t, live_timer);
	u8 buf[VA_HDR_SIZE + 8];
	unsigned long flags;
	struct kvec iov;
	u32 w = 0;
	ssize_t n;
	int len;

	spin_lock_irqsave(&d->lock, flags);
	if (d->lost || READ_ONCE(d->stopping) || !vtr_inflight(d))
		goto out;
	if (time_before(jiffies, d->last_rx + VTR_PROBE_IDLE)) {
		mod_timer(&d->live_timer, d->last_rx + VTR_PROBE_IDLE);
		goto out;
	}
	len = va_encode_ctrl(buf, sizeof(buf), VA_TYPE_BUS, VA_BUS_PING, 0, 0,
			     &w, 1, NULL, 0);
	if (len < 0)
		goto out;
	iov.iov_base = buf;
	iov.iov_len = len;
	d->st.probes++;
	d->st.sendv_calls++;
	n = argo_sendv(d->rec.backend_port, &vtr_implicit, &iov, 1, 0);
	if (n >= 0)
		d->st.msgs_sent++;
	if (n == -ECONNREFUSED || n == -ESRCH)
		vtr_session_lost(d, "the device's ring is gone (found by a probe)");
	else
		mod_timer(&d->live_timer, jiffies + VTR_PROBE_IDLE);
out:
	spin_unlock_irqrestore(&d->lock, flags);
	vtr_interrupts(d);
}

void vtr_session_init(struct vtr_dev *d)
{
	INIT_WORK(&d->restart_work, vtr_restart_work);
	timer_setup(&d->live_timer, vtr_live_timer, 0);
	d->last_rx = jiffies;
}

/*
 * The device is going: no restart, no probe from now on, and chains held
 * for a new session fail now. Idempotent. Context: process; sleeps.
 */
void vtr_session_stop(struct vtr_dev *d)
{
	unsigned long flags;

	/*
	 * Under d->lock, where session loss and the probe's arming read it:
	 * once it is set nothing queues the work or arms the timer again.
	 * The timer goes first because it can queue the work.
	 */
	spin_lock_irqsave(&d->lock, flags);
	WRITE_ONCE(d->stopping, true);
	spin_unlock_irqrestore(&d->lock, flags);
	del_timer_sync(&d->live_timer);
	cancel_work_sync(&d->restart_work);
	spin_lock_irqsave(&d->lock, flags);
	if (d->lost) {
		d->lost = false;
		vtr_fault(d, "removed while its bridge was away");
		vtr_send_pending(d);
	}
	spin_unlock_irqrestore(&d->lock, flags);
	vtr_interrupts(d);
}
