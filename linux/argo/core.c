// SPDX-License-Identifier: GPL-2.0-only
/*
 * argo.ko: the Argo core. Owns the hypercall mechanism, VIRQ_ARGO and every
 * ring this domain registers; consumer modules use the API in argo.h.
 *
 * Locking, in order: argo_rings_lock (the ring list; taken in the VIRQ
 * handler, so always with IRQs off elsewhere) then ring->lock (one ring's
 * reader state). Xen is the only writer of tx_ptr; only we write rx_ptr.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/interrupt.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include <xen/events.h>
#include <xen/page.h>
#include <xen/xen.h>

#include "argo.h"
#include "hypercall.h"
#include "ringbuf.h"

struct argo_ring {
	struct list_head node;		/* in argo_rings, argo_rings_lock */
	spinlock_t lock;		/* serialises readers of this ring */
	struct argo_xen_ring *shared;	/* header + ring bytes, Xen writes */
	u32 len;			/* ring bytes after the header */
	u32 rx;				/* our rx_ptr; the copy in shared is for Xen */
	u32 port;
	u16 partner;
	argo_rx_fn rx_fn;
	void *priv;
};

static const struct argo_hv_ops *argo_hv = &argo_xen_hv_ops;
static LIST_HEAD(argo_rings);
static LIST_HEAD(argo_space_waiters);	/* under argo_rings_lock */
static DEFINE_SPINLOCK(argo_rings_lock);
static int argo_irq = -1;
static struct dentry *argo_debugfs;

/* Counters, shown in debugfs; relaxed: they explain, they do not decide. */
static struct {
	atomic64_t virqs;
	atomic64_t rings_registered;
	atomic64_t rings_unregistered;
	atomic64_t msgs_received;
	atomic64_t msgs_sent;
	atomic64_t send_errors;
	atomic64_t bad_rings;
} argo_stats;

/* Receive path */

static bool argo_ring_has_data(struct argo_ring *ring)
{
	return READ_ONCE(ring->shared->tx_ptr) != READ_ONCE(ring->rx);
}

static irqreturn_t argo_virq_handler(int irq, void *dev_id)
{
	struct argo_space_waiter *w;
	struct argo_ring *ring;

	atomic64_inc(&argo_stats.virqs);
	spin_lock(&argo_rings_lock);
	list_for_each_entry(ring, &argo_rings, node) {
		if (ring->rx_fn && argo_ring_has_data(ring))
			ring->rx_fn(ring, ring->priv);
	}
	/* The VIRQ also means "space appeared somewhere you asked about". */
	list_for_each_entry(w, &argo_space_waiters, node)
		w->fn(w);
	spin_unlock(&argo_rings_lock);
	return IRQ_HANDLED;
}

/* Caller holds ring->lock. Fills msg or returns -EAGAIN/-EBADMSG. */
static int argo_ring_locate(struct argo_ring *ring, struct argo_ringbuf_msg *msg)
{
	u32 tx = READ_ONCE(ring->shared->tx_ptr);
	int ret;

	/* Read the header and payload only after seeing tx_ptr. */
	virt_rmb();
	ret = argo_ringbuf_peek(ring->shared->ring, ring->len, ring->rx, tx, msg);
	if (ret == -EBADMSG) {
		pr_err_ratelimited("ring port %u: inconsistent contents (rx %u tx %u), discarding\n",
				   ring->port, ring->rx, tx);
		atomic64_inc(&argo_stats.bad_rings);
		if (tx < ring->len && !(tx % ARGO_MSG_SLOT_SIZE)) {
			ring->rx = tx;
			virt_mb();
			WRITE_ONCE(ring->shared->rx_ptr, tx);
		}
	}
	return ret;
}

ssize_t argo_ring_peek(struct argo_ring *ring, struct argo_addr *src, u32 *type)
{
	struct argo_ringbuf_msg msg;
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&ring->lock, flags);
	ret = argo_ring_locate(ring, &msg);
	spin_unlock_irqrestore(&ring->lock, flags);
	if (ret)
		return ret;
	if (src) {
		src->domain = msg.source.domain_id;
		src->port = msg.source.aport;
	}
	if (type)
		*type = msg.type;
	return msg.payload_len;
}
EXPORT_SYMBOL_GPL(argo_ring_peek);

ssize_t argo_ring_recv(struct argo_ring *ring, void *buf, size_t len,
		       struct argo_addr *src, u32 *type)
{
	struct argo_ringbuf_seg seg[2];
	struct argo_ringbuf_msg msg;
	unsigned long flags;
	unsigned int i, n;
	u8 *dst = buf;
	int ret;

	spin_lock_irqsave(&ring->lock, flags);
	ret = argo_ring_locate(ring, &msg);
	if (ret)
		goto out_unlock;
	if (msg.payload_len > len) {
		ret = -EMSGSIZE;
		goto out_unlock;
	}
	n = argo_ringbuf_segments(ring->len, msg.payload_off, msg.payload_len, seg);
	for (i = 0; i < n; i++) {
		memcpy(dst, ring->shared->ring + seg[i].off, seg[i].len);
		dst += seg[i].len;
	}
	/* The copy must complete before Xen may reuse the space. */
	virt_mb();
	ring->rx = msg.next_rx;
	WRITE_ONCE(ring->shared->rx_ptr, msg.next_rx);
	spin_unlock_irqrestore(&ring->lock, flags);

	if (src) {
		src->domain = msg.source.domain_id;
		src->port = msg.source.aport;
	}
	if (type)
		*type = msg.type;
	atomic64_inc(&argo_stats.msgs_received);
	/* Xen re-checks space for senders blocked on this ring only on notify. */
	argo_hv->notify(NULL);
	return msg.payload_len;

out_unlock:
	spin_unlock_irqrestore(&ring->lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(argo_ring_recv);

/* Send path */

ssize_t argo_sendv(u32 src_port, const struct argo_addr *dst,
		   const struct kvec *iov, unsigned int niov, u32 type)
{
	struct argo_xen_send_addr addr = {
		.src = { .aport = src_port, .domain_id = ARGO_DOMID_ANY },
		.dst = { .aport = dst->port, .domain_id = dst->domain },
	};
	struct argo_xen_iov xiov[ARGO_MAXIOV];
	unsigned int i;
	long ret;

	if (niov > ARGO_MAXIOV)
		return -EINVAL;
	for (i = 0; i < niov; i++) {
		if (iov[i].iov_len > U32_MAX)
			return -EMSGSIZE;
		xiov[i].iov_hnd = (u64)(uintptr_t)iov[i].iov_base;
		xiov[i].iov_len = iov[i].iov_len;
		xiov[i].pad = 0;
	}
	ret = argo_hv->sendv(&addr, xiov, niov, type);
	atomic64_inc(ret < 0 ? &argo_stats.send_errors : &argo_stats.msgs_sent);
	return ret;
}
EXPORT_SYMBOL_GPL(argo_sendv);

/* Flow control */

int argo_space(const struct argo_addr *dst, u32 len, u32 *max_payload)
{
	union {
		struct argo_xen_ring_data rd;
		u8 bytes[sizeof(struct argo_xen_ring_data) +
			 sizeof(struct argo_xen_ring_data_ent)];
	} q = { };
	struct argo_xen_ring_data_ent *ent = &q.rd.data[0];
	long ret;

	q.rd.nent = 1;
	ent->ring.aport = dst->port;
	ent->ring.domain_id = dst->domain;
	ent->space_required = len;
	ret = argo_hv->notify(&q.rd);
	if (ret)
		return ret;
	if (!(ent->flags & ARGO_RING_EXISTS))
		return -ECONNREFUSED;
	if (max_payload)
		*max_payload = ent->max_message_size;
	if (ent->flags & ARGO_RING_EMSGSIZE)
		return -EMSGSIZE;
	if (ent->flags & ARGO_RING_SUFFICIENT)
		return 1;
	return ent->flags & ARGO_RING_EBUSY ? -EBUSY : 0;
}
EXPORT_SYMBOL_GPL(argo_space);

void argo_space_waiter_add(struct argo_space_waiter *w)
{
	unsigned long flags;

	spin_lock_irqsave(&argo_rings_lock, flags);
	list_add_tail(&w->node, &argo_space_waiters);
	spin_unlock_irqrestore(&argo_rings_lock, flags);
}
EXPORT_SYMBOL_GPL(argo_space_waiter_add);

void argo_space_waiter_del(struct argo_space_waiter *w)
{
	unsigned long flags;

	spin_lock_irqsave(&argo_rings_lock, flags);
	list_del(&w->node);
	spin_unlock_irqrestore(&argo_rings_lock, flags);
	synchronize_irq(argo_irq);
}
EXPORT_SYMBOL_GPL(argo_space_waiter_del);

/* Ring lifetime */

struct argo_ring *argo_ring_create(u32 port, u16 partner, u32 len,
				   argo_rx_fn rx_fn, void *priv)
{
	struct argo_xen_register_ring reg = {
		.aport = port, .partner_id = partner, .len = len,
	};
	struct argo_ring *ring;
	unsigned int i, npages;
	unsigned long flags;
	u64 *gfns;
	long ret;

	if (!argo_ringbuf_valid_len(len))
		return ERR_PTR(-EINVAL);
	npages = argo_ringbuf_npages(len, PAGE_SIZE);

	ring = kzalloc(sizeof(*ring), GFP_KERNEL);
	if (!ring)
		return ERR_PTR(-ENOMEM);
	spin_lock_init(&ring->lock);
	ring->len = len;
	ring->port = port;
	ring->partner = partner;
	ring->rx_fn = rx_fn;
	ring->priv = priv;

	ret = -ENOMEM;
	ring->shared = vzalloc(npages * PAGE_SIZE);
	if (!ring->shared)
		goto err_free_ring;
	gfns = kcalloc(npages, sizeof(*gfns), GFP_KERNEL);
	if (!gfns)
		goto err_free_shared;
	for (i = 0; i < npages; i++)
		gfns[i] = xen_page_to_gfn(vmalloc_to_page((u8 *)ring->shared +
							   i * PAGE_SIZE));

	ret = argo_hv->register_ring(&reg, gfns, npages,
				     ARGO_REGISTER_FLAG_FAIL_EXIST);
	kfree(gfns);
	if (ret)
		goto err_free_shared;
	/* Xen may have repositioned tx_ptr; start reading where it writes. */
	ring->rx = READ_ONCE(ring->shared->tx_ptr);
	WRITE_ONCE(ring->shared->rx_ptr, ring->rx);

	spin_lock_irqsave(&argo_rings_lock, flags);
	list_add_tail(&ring->node, &argo_rings);
	spin_unlock_irqrestore(&argo_rings_lock, flags);
	atomic64_inc(&argo_stats.rings_registered);
	return ring;

err_free_shared:
	vfree(ring->shared);
err_free_ring:
	kfree(ring);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(argo_ring_create);

void argo_ring_destroy(struct argo_ring *ring)
{
	struct argo_xen_unregister_ring unreg;
	unsigned long flags;
	long ret;

	if (!ring)
		return;
	spin_lock_irqsave(&argo_rings_lock, flags);
	list_del(&ring->node);
	spin_unlock_irqrestore(&argo_rings_lock, flags);
	/* The handler may have been walking the list on another CPU. */
	synchronize_irq(argo_irq);

	unreg.aport = ring->port;
	unreg.partner_id = ring->partner;
	unreg.pad = 0;
	ret = argo_hv->unregister_ring(&unreg);
	/*
	 * -ENOENT: Xen already dropped the ring, as it does for a
	 * single-source ring whose partner died; it no longer maps the pages.
	 */
	if (ret && ret != -ENOENT) {
		/* Xen may still write to the pages: leak them rather than reuse. */
		pr_err("unregistering port %u partner %u failed (%ld); leaking its pages\n",
		       ring->port, ring->partner, ret);
		kfree(ring);
		return;
	}
	atomic64_inc(&argo_stats.rings_unregistered);
	vfree(ring->shared);
	kfree(ring);
}
EXPORT_SYMBOL_GPL(argo_ring_destroy);

/* debugfs: /sys/kernel/debug/argo/{rings,stats} */

static int argo_rings_show(struct seq_file *m, void *v)
{
	struct argo_ring *ring;
	unsigned long flags;

	seq_puts(m, "port partner len rx tx\n");
	spin_lock_irqsave(&argo_rings_lock, flags);
	list_for_each_entry(ring, &argo_rings, node)
		seq_printf(m, "%u %u %u %u %u\n", ring->port, ring->partner,
			   ring->len, READ_ONCE(ring->rx),
			   READ_ONCE(ring->shared->tx_ptr));
	spin_unlock_irqrestore(&argo_rings_lock, flags);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(argo_rings);

static int argo_stats_show(struct seq_file *m, void *v)
{
	seq_printf(m, "virqs %lld\n", atomic64_read(&argo_stats.virqs));
	seq_printf(m, "rings_registered %lld\n",
		   atomic64_read(&argo_stats.rings_registered));
	seq_printf(m, "rings_unregistered %lld\n",
		   atomic64_read(&argo_stats.rings_unregistered));
	seq_printf(m, "msgs_received %lld\n", atomic64_read(&argo_stats.msgs_received));
	seq_printf(m, "msgs_sent %lld\n", atomic64_read(&argo_stats.msgs_sent));
	seq_printf(m, "send_errors %lld\n", atomic64_read(&argo_stats.send_errors));
	seq_printf(m, "bad_rings %lld\n", atomic64_read(&argo_stats.bad_rings));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(argo_stats);

/* Module */

static int __init argo_init(void)
{
	long ret;

	if (!xen_domain())
		return -ENODEV;

	/* notify with no entries is harmless and tells whether Argo is on. */
	ret = argo_hv->notify(NULL);
	if (ret == -EOPNOTSUPP || ret == -ENOSYS) {
		pr_err("Xen has Argo disabled (boot Xen with argo=1): %ld\n", ret);
		return -EOPNOTSUPP;
	}
	if (ret) {
		pr_err("Argo probe failed: %ld%s\n", ret,
		       ret == -EPERM || ret == -EACCES ? " (denied by Xen's policy)" : "");
		return ret;
	}

	ret = bind_virq_to_irqhandler(ARGO_VIRQ, 0, argo_virq_handler, 0,
				      "argo", NULL);
	if (ret < 0) {
		pr_err("binding VIRQ_ARGO failed: %ld\n", ret);
		return ret;
	}
	argo_irq = ret;
	argo_debugfs = debugfs_create_dir("argo", NULL);
	debugfs_create_file("rings", 0400, argo_debugfs, NULL, &argo_rings_fops);
	debugfs_create_file("stats", 0400, argo_debugfs, NULL, &argo_stats_fops);
	pr_info("Argo available through %s, VIRQ on irq %d\n", argo_hv->name,
		argo_irq);
	return 0;
}

static void __exit argo_exit(void)
{
	/* Consumers hold references to this module: no ring can remain. */
	WARN_ON(!list_empty(&argo_rings));
	debugfs_remove_recursive(argo_debugfs);
	unbind_from_irqhandler(argo_irq, NULL);
}

module_init(argo_init);
module_exit(argo_exit);
MODULE_DESCRIPTION("Argo core: rings, VIRQ and hypercalls for Xen's Argo");
MODULE_LICENSE("GPL");
