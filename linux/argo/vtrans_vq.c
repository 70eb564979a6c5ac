// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio_argo.ko's data plane (docs/virtio-argo.md §6): on a kick, walk
 * the split available ring and send each chain as a CHAIN request, as
 * many per Argo message as the device's max_msg allows; on a response,
 * write the in-buffers, fill the used ring and raise the vring interrupt.
 * Everything here may run in atomic context (notify, the ring's hard-IRQ
 * callback, the space waiter) and never sleeps.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/io.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/virtio_blk.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_ring.h>

#include "vtrans.h"

static const struct argo_addr vtr_implicit = { .domain = ARGO_DOMID_IMPLICIT };

/*
 * A descriptor's buffer as a kernel pointer. Addresses are guest-physical
 * (our DMA ops made them, vtrans_dma.c) and lie in the direct map; a
 * driver bug that names memory we do not have is refused, not followed.
 */
static void *vtr_buf(u64 addr, u32 len)
{
	if (!len)
		return NULL;
	if (!pfn_valid(PHYS_PFN(addr)) || !pfn_valid(PHYS_PFN(addr + len - 1)))
		return NULL;
	return phys_to_virt(addr);
}

static void vtr_used_publish(struct vtr_dev *d, unsigned int qi,
			     u32 id, u32 len)
{
	struct vtr_queue *q = &d->q[qi];

	vs_used_put(&q->ring, q->used_idx, id, len);
	q->used_idx++;
	/* The entry (and the in-data) before the index that publishes it. */
	virt_wmb();
	WRITE_ONCE(*(__le16 *)(q->ring.used + 2), cpu_to_le16(q->used_idx));
	d->kick_mask |= 1U << qi;
	d->st.used_published++;
}

/*
 * Complete a chain that failed: used length 0, and for a disk the status
 * byte (the last in-byte) says VIRTIO_BLK_S_IOERR, so the request fails
 * visibly instead of reading whatever the status byte held (§6.3).
 */
void vtr_complete_failed(struct vtr_dev *d, unsigned int qi, u32 head)
{
	struct vtr_queue *q = &d->q[qi];
	u64 last = 0;
	bool have = false;
	struct vs_walk w;
	struct vs_seg s;

	d->st.local_fails++;
	if (d->device_id == VIRTIO_ID_BLOCK) {
		vs_walk_init(&w, &q->ring, head, VTR_MAX_SEGS);
		while (vs_walk_next(&w, &s, NULL) > 0)
			if (s.write && s.len) {
				last = s.addr + s.len - 1;
				have = true;
			}
		if (have) {
			u8 *p = vtr_buf(last, 1);

			if (p)
				*p = VIRTIO_BLK_S_IOERR;
		}
	}
	vtr_used_publish(d, qi, head, 0);
}

/*
 * The device misbehaved (a hostile or broken back-end, §11): fail every
 * chain in flight, and every later one, until the driver resets the
 * device. Never writes a buffer on the strength of the bad record.
 */
void vtr_fault(struct vtr_dev *d, const char *why)
{
	unsigned int qi;
	u32 id;

	d->st.errors++;
	pr_err_ratelimited("device %u: %s: failing its requests\n",
			   d->rec.dev_num, why);
	d->broken = true;
	for (qi = 0; qi < d->nq; qi++) {
		struct vtr_queue *q = &d->q[qi];

		if (!q->vq)
			continue;
		for (id = 0; id < q->st.size && q->st.count; id++)
			if (va_chain_end(&q->st, q->st.epoch, id, NULL) == 1)
				vtr_complete_failed(d, qi, id);
		/* Chains held for a new session that will not come. */
		for (id = 0; q->resend && id < q->st.size; id++)
			if (q->resend[id / 32] & (1U << (id & 31))) {
				q->resend[id / 32] &= ~(1U << (id & 31));
				vtr_complete_failed(d, qi, id);
			}
	}
}

/*
 * The device sent what no well-behaved device sends: broken as for any
 * fault, and it stays so across a new session (the bridge coming back
 * is no reason to trust it again) until the driver resets the device.
 */
void vtr_fault_hostile(struct vtr_dev *d, const char *why)
{
	d->hostile = true;
	vtr_fault(d, why);
}

/* Send what d->tx holds. 0 sent (or nothing to send), -EAGAIN blocked. */
int vtr_flush(struct vtr_dev *d)
{
	struct kvec iov;
	ssize_t n;
	int tries;

	for (tries = 0; d->tx_len && tries < 2; tries++) {
		iov.iov_base = d->tx;
		iov.iov_len = d->tx_len;
		d->st.sendv_calls++;
		n = argo_sendv(d->rec.backend_port, &vtr_implicit, &iov, 1, 0);
		if (n >= 0) {
			d->st.msgs_sent++;
			d->tx_len = 0;
			d->tx_blocked = false;
			vtr_arm_probe(d);
			return 0;
		}
		if (n == -ECONNREFUSED || n == -ESRCH) {
			/* No ring (the bridge exited) or no domain: the
			 * chains in the message are in flight, and a new
			 * session decides their fate (vtrans_session.c). */
			vtr_session_lost(d, n == -ESRCH ? "the device's domain is gone" :
					 "the device's ring is gone");
			return 0;
		}
		if (n != -EAGAIN) {
			d->tx_len = 0;
			d->tx_blocked = false;
			pr_err_ratelimited("device %u: send failed: %zd\n",
					   d->rec.dev_num, n);
			/* The chains in the message are in flight: fail them. */
			vtr_fault(d, "the device's ring refused a message");
			return 0;
		}
		if (!d->tx_blocked)
			d->st.tx_blocked++;
		d->tx_blocked = true;
		/*
		 * Xen arms a space signal on EAGAIN; asking once more closes
		 * the race where space appeared in between (1: send now).
		 */
		if (!d->peer_known)
			return -EAGAIN;
		d->st.space_queries++;
		if (argo_space(&d->peer, d->tx_len, NULL) != 1)
			return -EAGAIN;
	}
	return d->tx_len ? -EAGAIN : 0;
}

/* Copy a chain's out-data after its header; false if a buffer is bad. */
static bool vtr_gather(struct vtr_queue *q, u32 head, u8 *rec, u32 nsegs)
{
	u8 *data = rec + va_chain_req_data(nsegs);
	struct vs_walk w;
	struct vs_seg s;
	u32 i = 0;

	vs_walk_init(&w, &q->ring, head, VTR_MAX_SEGS);
	while (vs_walk_next(&w, &s, NULL) > 0) {
		va_put32(rec + VA_CHAIN_REQ_FIXED + 4 * i++, s.len);
		if (!s.write && s.len) {
			const void *p = vtr_buf(s.addr, s.len);

			if (!p)
				return false;
			memcpy(data, p, s.len);
			data += s.len;
		}
	}
	return true;
}

/*
 * One chain into the message being built: newly available, or (@again) in
 * flight when the last session was lost. 1: consumed (sent or failed
 * here); 0: no room until the device's ring drains.
 */
static int vtr_send_chain(struct vtr_dev *d, unsigned int qi, u32 head,
			  bool again)
{
	struct vtr_queue *q = &d->q[qi];
	const char *why = "bad chain";
	struct vs_shape sh;
	u32 nsegs, size;
	int ret;

	ret = vs_chain_measure(&q->ring, head, VTR_MAX_SEGS, &sh, &why);
	if (ret < 0) {
		pr_err_ratelimited("device %u queue %u chain %u: %s\n",
				   d->rec.dev_num, qi, head, why);
		goto fail;
	}
	nsegs = sh.n_out + sh.n_in;
	if (d->broken)
		goto fail;
	/* Large chains are refused, never split (§9). */
	if (sh.out_len > d->tx_cap || sh.in_len > d->rx_cap ||
	    va_chain_req_size(nsegs, sh.out_len) > d->tx_cap ||
	    va_chain_resp_size(sh.in_len) > d->rx_cap) {
		pr_err_ratelimited("device %u queue %u: a chain of %llu+%llu bytes does not fit one message\n",
				   d->rec.dev_num, qi, sh.out_len, sh.in_len);
		goto fail;
	}
	size = va_chain_req_size(nsegs, sh.out_len);
	if (d->tx_len + size > d->tx_cap && vtr_flush(d))
		return 0;
	/* The flush may have found the device gone: this chain waits for
	 * the new session like those in flight, or fails with them. */
	if (d->lost)
		return 0;
	if (d->broken)
		goto fail;
	ret = va_encode_chain_req_hdr(d->tx + d->tx_len, d->tx_cap - d->tx_len,
				      0, qi, q->st.epoch, head, sh.n_out,
				      sh.n_in, sh.out_len);
	if (ret < 0)
		goto fail;
	if (!vtr_gather(q, head, d->tx + d->tx_len, nsegs)) {
		pr_err_ratelimited("device %u queue %u chain %u: a buffer outside memory\n",
				   d->rec.dev_num, qi, head);
		goto fail;
	}
	if (va_chain_begin(&q->st, q->st.epoch, head, &why)) {
		/* The driver made a chain available twice: its bug, logged;
		 * the one in flight keeps its id. */
		pr_err_ratelimited("device %u queue %u chain %u: %s\n",
				   d->rec.dev_num, qi, head, why);
		return 1;
	}
	/* Zero the record's padding: the device refuses non-zero pads. */
	memset(d->tx + d->tx_len + va_chain_req_data(nsegs) + sh.out_len, 0,
	       ret - (va_chain_req_data(nsegs) + sh.out_len));
	q->in_len[head] = sh.in_len;
	d->tx_len += ret;
	if (again)
		d->st.resent++;
	else
		d->st.requests++;
	d->st.bytes_out += sh.out_len;
	d->st.copied_out += sh.out_len;
	return 1;
fail:
	vtr_complete_failed(d, qi, head);
	return 1;
}

/* Send every chain the driver made available. Under d->lock. */
void vtr_send_pending(struct vtr_dev *d)
{
	unsigned int qi;

	/* No session: chains wait in the available ring for the next. */
	if (d->lost)
		return;
	if (d->tx_blocked && vtr_flush(d))
		return;
	for (qi = 0; qi < d->nq; qi++) {
		struct vtr_queue *q = &d->q[qi];
		const char *why;
		u16 avail;
		u32 head;

		if (!q->vq || !q->st.enabled)
			continue;
		/* First what the last session left in flight, so a chain is
		 * never overtaken twice. */
		for (head = 0; q->resend && head < q->st.size; head++) {
			u32 bit = 1U << (head & 31);

			if (!(q->resend[head / 32] & bit))
				continue;
			if (!vtr_send_chain(d, qi, head, true))
				return;
			q->resend[head / 32] &= ~bit;
		}
		avail = le16_to_cpu(READ_ONCE(*(__le16 *)(q->ring.avail + 2)));
		/* The entries and descriptors after the index they publish. */
		virt_rmb();
		if (vs_avail_pending(&q->ring, q->last_avail, avail, &why) < 0) {
			pr_err_ratelimited("device %u queue %u: %s\n",
					   d->rec.dev_num, qi, why);
			continue;
		}
		while (q->last_avail != avail) {
			if (vs_avail_head(&q->ring, q->last_avail, &head, &why)) {
				pr_err_ratelimited("device %u queue %u: %s\n",
						   d->rec.dev_num, qi, why);
				q->last_avail++;
				continue;
			}
			if (!vtr_send_chain(d, qi, head, false))
				return;
			q->last_avail++;
			d->st.avail_taken++;
		}
	}
	vtr_flush(d);
}

/* A CHAIN response from the device. Under d->lock. */
void vtr_chain_resp(struct vtr_dev *d, const struct va_msg *m)
{
	const char *why = "malformed CHAIN response";
	struct va_chain_resp r;
	struct vtr_queue *q;
	const u8 *src;
	struct vs_walk w;
	struct vs_seg s;
	u32 left;
	int ret;

	if (va_decode_chain_resp(m, &r, &why))
		return vtr_fault_hostile(d, why);
	/* Between sessions every queue has a new epoch, so this is of the
	 * old one; and nothing of the new one was sent yet. */
	if (d->lost) {
		d->st.stale++;
		return;
	}
	if (r.queue >= d->nq || !d->q[r.queue].vq)
		return vtr_fault_hostile(d, "CHAIN response on an unknown queue");
	q = &d->q[r.queue];
	ret = va_chain_end(&q->st, r.epoch, r.chain_id, &why);
	if (ret == 0) {
		/* From before a reset: its buffers may be reused (§6.4). */
		d->st.stale++;
		return;
	}
	if (ret < 0)
		return vtr_fault_hostile(d, why);
	if (r.status != VA_STATUS_OK) {
		vtr_complete_failed(d, r.queue, r.chain_id);
		return;
	}
	if (r.used_len > q->in_len[r.chain_id]) {
		vtr_complete_failed(d, r.queue, r.chain_id);
		return vtr_fault_hostile(d, "used length beyond the chain's in-buffers");
	}
	src = r.in_data;
	left = r.used_len;
	vs_walk_init(&w, &q->ring, r.chain_id, VTR_MAX_SEGS);
	while (left && vs_walk_next(&w, &s, NULL) > 0) {
		u32 n = min(left, s.len);
		void *p;

		if (!s.write || !n)
			continue;
		p = vtr_buf(s.addr, n);
		if (!p)
			break;
		memcpy(p, src, n);
		src += n;
		left -= n;
	}
	d->st.completions++;
	d->idle_losses = 0;
	d->st.bytes_in += r.used_len;
	d->st.copied_in += r.used_len - left;
	vtr_used_publish(d, r.queue, r.chain_id, r.used_len - left);
}

/* Raise the vring interrupt of each queue that gained used entries.
 * Called without d->lock, in atomic context. */
void vtr_interrupts(struct vtr_dev *d)
{
	struct virtqueue *vqs[VTR_MAX_VQS];
	unsigned long flags;
	unsigned int qi, n = 0;
	u32 mask;

	rcu_read_lock();
	spin_lock_irqsave(&d->lock, flags);
	mask = d->kick_mask;
	d->kick_mask = 0;
	for (qi = 0; qi < d->nq; qi++)
		if ((mask & (1U << qi)) && d->q[qi].vq)
			vqs[n++] = d->q[qi].vq;
	spin_unlock_irqrestore(&d->lock, flags);
	/* del_vqs waits for RCU readers before freeing a queue. */
	for (qi = 0; qi < n; qi++)
		vring_interrupt(0, vqs[qi]);
	rcu_read_unlock();
}

/* Forget every chain in flight: the device is being reset. Under d->lock. */
void vtr_queues_reset(struct vtr_dev *d)
{
	unsigned int qi;

	for (qi = 0; qi < d->nq; qi++) {
		struct vtr_queue *q = &d->q[qi];

		if (q->bitmap)
			va_queue_reset(&q->st, q->bitmap, q->st.size,
				       q->st.epoch, 0);
		/* The driver abandons what it had given us. */
		if (q->resend)
			memset(q->resend, 0, 4 * VA_BITMAP_WORDS(q->st.size));
	}
	d->tx_len = 0;
	d->tx_blocked = false;
	d->broken = false;
	d->hostile = false;
}

static bool vtr_notify(struct virtqueue *vq)
{
	struct vtr_dev *d = to_vtr(vq->vdev);
	unsigned long flags;
	bool kick;

	spin_lock_irqsave(&d->lock, flags);
	vtr_send_pending(d);
	kick = d->kick_mask;
	spin_unlock_irqrestore(&d->lock, flags);
	/*
	 * Chains failed here complete from an irq_work, not from inside the
	 * driver's kick, which may hold the lock its callback takes.
	 */
	if (kick)
		irq_work_queue(&d->iw);
	return true;
}

void vtr_del_vqs(struct virtio_device *vdev)
{
	struct vtr_dev *d = to_vtr(vdev);
	struct vtr_queue *qs;
	unsigned long flags;
	unsigned int qi, nq;

	spin_lock_irqsave(&d->lock, flags);
	qs = d->q;
	nq = d->nq;
	d->q = NULL;
	d->nq = 0;
	spin_unlock_irqrestore(&d->lock, flags);
	/* Wait for vtr_interrupts() callers that saw the old queues. */
	synchronize_rcu();
	irq_work_sync(&d->iw);
	for (qi = 0; qi < nq; qi++) {
		if (qs[qi].vq)
			vring_del_virtqueue(qs[qi].vq);
		kfree(qs[qi].bitmap);
		kfree(qs[qi].resend);
		kfree(qs[qi].in_len);
	}
	kfree(qs);
}

static int vtr_setup_vq(struct vtr_dev *d, struct vtr_queue *q, unsigned int i,
			struct argo_vq_info *info)
{
	u32 w[10] = { i };
	const struct vring *vr;
	unsigned long flags;
	u32 num, max;
	int ret;

	ret = vtr_ctrl(d, 0, VA_MSG_GET_VQUEUE, w, 1, NULL, 0);
	if (ret < 0)
		return ret;
	max = va_get32(d->ctrl_resp + VA_HDR_SIZE + 4);
	if (!max)
		return -ENOENT;
	num = min3(max, (u32)VTR_QUEUE_MAX, (u32)d->rec.queue_size);
	num = rounddown_pow_of_two(num);
	q->vq = vring_create_virtqueue(i, num, PAGE_SIZE, &d->vdev, true, true,
				       info->ctx, vtr_notify, info->callback,
				       info->name);
	if (!q->vq)
		return -ENOMEM;
	vr = virtqueue_get_vring(q->vq);
	num = vr->num;
	q->bitmap = kcalloc(VA_BITMAP_WORDS(num), sizeof(u32), GFP_KERNEL);
	q->resend = kcalloc(VA_BITMAP_WORDS(num), sizeof(u32), GFP_KERNEL);
	q->in_len = kcalloc(num, sizeof(u32), GFP_KERNEL);
	if (!q->bitmap || !q->resend || !q->in_len)
		return -ENOMEM;
	spin_lock_irqsave(&d->lock, flags);
	q->ring.desc = (const u8 *)vr->desc;
	q->ring.avail = (const u8 *)vr->avail;
	q->ring.used = (u8 *)vr->used;
	q->ring.num = num;
	q->last_avail = 0;
	q->used_idx = 0;
	va_queue_reset(&q->st, q->bitmap, num, ++d->epoch, 1);
	spin_unlock_irqrestore(&d->lock, flags);

	/* Addresses mean nothing over Argo (§7): zero. */
	w[1] = VA_VQ_STATE_ENABLE;
	w[2] = num;
	w[3] = q->st.epoch;
	return vtr_ctrl(d, 0, VA_MSG_SET_VQUEUE, w, 10, NULL, 0) < 0 ? -EIO : 0;
}

int vtr_find_vqs(struct virtio_device *vdev, unsigned int nvqs,
		 struct virtqueue *vqs[], struct argo_vq_info info[],
		 struct irq_affinity *desc)
{
	struct vtr_dev *d = to_vtr(vdev);
	struct vtr_queue *qs;
	unsigned long flags;
	unsigned int i;
	int ret;

	if (!vtr_dma_ours(vdev->dev.parent)) {
		dev_err(&vdev->dev, "the parent's DMA ops are not the transport's (Xen grant DMA, CONFIG_XEN_VIRTIO?): refusing\n");
		return -ENODEV;
	}
	if (nvqs > d->max_vqs || nvqs > VTR_MAX_VQS) {
		dev_err(&vdev->dev, "%u queues asked, the device has %u (limit %u)\n",
			nvqs, d->max_vqs, VTR_MAX_VQS);
		return -ENOENT;
	}
	qs = kcalloc(nvqs, sizeof(*qs), GFP_KERNEL);
	if (!qs)
		return -ENOMEM;
	spin_lock_irqsave(&d->lock, flags);
	d->q = qs;
	d->nq = nvqs;
	spin_unlock_irqrestore(&d->lock, flags);
	for (i = 0; i < nvqs; i++) {
		vqs[i] = NULL;
		if (!info[i].name)
			continue;
		ret = vtr_setup_vq(d, &qs[i], i, &info[i]);
		if (ret) {
			dev_err(&vdev->dev, "queue %u: setup failed: %d\n", i, ret);
			vtr_del_vqs(vdev);
			return ret;
		}
		vqs[i] = qs[i].vq;
	}
	return 0;
}
