// SPDX-License-Identifier: GPL-2.0-only
/*
 * argo.ko: the Argo core. Owns the hypercall mechanism, VIRQ_ARGO and every
 * ring this domain registers; consumer modules use the API in argo.h.
 *
 * Locking: argo_rings_mutex serialises changes to the ring list and to
 * rings' registration with Xen (create, destroy, resume); the VIRQ handler
 * reads the list under RCU and takes no lock. Each ring's readers hold
 * ring->lock, or ring->mutex for ARGO_RING_READ_SLEEP rings. Xen is the
 * only writer of tx_ptr; only we write rx_ptr.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/interrupt.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/rculist.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <xen/events.h>
#include <xen/page.h>
#include <xen/xen.h>
#include <xen/xen-ops.h>

#include "argo.h"
#include "hvif.h"
#include "hypercall.h"
#include "notifyvec.h"
#include "ringbuf.h"

static bool verbose;
module_param(verbose, bool, 0644);
MODULE_PARM_DESC(verbose, "Log every ring registered, unregistered and re-registered");

static bool sendv_batch = true;
module_param(sendv_batch, bool, 0644);
MODULE_PARM_DESC(sendv_batch, "Send a batch in one hypercall where Xen has XEN_ARGO_OP_sendv_batch (0: one sendv per message; default 1)");

static bool tx_zerocopy = true;
module_param(tx_zerocopy, bool, 0644);
MODULE_PARM_DESC(tx_zerocopy, "Let Xen read a batch's payloads from the sender's memory where the mechanism can (0: always bounce; default 1)");

static bool signal_suppress = true;
module_param(signal_suppress, bool, 0644);
MODULE_PARM_DESC(signal_suppress, "Ask Xen to signal a ring only when its reader waits, and notify only when a sender waits (ARGO_RING_SUPPRESS rings created from now on; default 1)");

struct argo_ring {
	struct list_head node;		/* in argo_rings */
	spinlock_t lock;		/* readers, unless ARGO_RING_READ_SLEEP */
	struct mutex mutex;		/* readers of ARGO_RING_READ_SLEEP rings */
	struct work_struct rx_work;	/* runs rx_fn for ARGO_RING_RX_WORK */
	struct argo_xen_ring *shared;	/* header + ring bytes, Xen writes */
	u64 *gfns;			/* the frames of shared, for Xen */
	unsigned int npages;
	u32 len;			/* ring bytes after the header */
	u32 rx;				/* our rx_ptr; the copy in shared is for Xen */
	u32 port;
	u16 partner;
	unsigned int flags;
	argo_rx_fn rx_fn;
	void *priv;
	/* Counters (argo_ring_stats), relaxed like argo_stats. */
	atomic64_t msgs_received;
	atomic64_t notifies;
	atomic64_t rx_calls;
	atomic64_t notifies_saved;
	bool suppress;			/* registered with Xen's SUPPRESS flag */
};

static const struct argo_hv_ops *argo_hv = &argo_xen_hv_ops;

/* How Argo is reached: docs/hv-interface.md. */
static char *mechanism = "auto";
module_param(mechanism, charp, 0444);
MODULE_PARM_DESC(mechanism,
		 "auto (the best the hypervisor offers), hypercall or msr");
static struct argo_hvif argo_hvif;
static enum argo_mech argo_mech;

/* How Xen signals us: docs/hv-interface.md section 4. */
static char *notify = "auto";
module_param(notify, charp, 0444);
MODULE_PARM_DESC(notify,
		 "auto (a local APIC vector where Xen offers it, else the event channel), vector or evtchn");
static bool argo_notify_vector;	/* set once at load */
static const char *argo_notify_why = "";
static LIST_HEAD(argo_rings);
static DEFINE_MUTEX(argo_rings_mutex);
static LIST_HEAD(argo_space_waiters);
static DEFINE_SPINLOCK(argo_waiters_lock);	/* writers of the waiter list */
static struct workqueue_struct *argo_wq;
static int argo_irq = -1;
static struct dentry *argo_debugfs;

/* Counters, shown in debugfs; relaxed: they explain, they do not decide. */
static struct {
	atomic64_t virqs;
	atomic64_t vector_irqs;
	atomic64_t rings_registered;
	atomic64_t rings_unregistered;
	atomic64_t rings_reregistered;
	atomic64_t reregister_errors;
	atomic64_t resumes;
	atomic64_t msgs_received;
	atomic64_t msgs_sent;
	atomic64_t send_errors;
	atomic64_t bad_rings;
	/* Hypercalls by kind: what a message costs in Xen entries. */
	atomic64_t hc_sendv;
	atomic64_t hc_sendv_eagain;
	atomic64_t hc_sendv_batch;	/* of hc_sendv, batches */
	/* argo_sendv_batch_user(): messages Xen read from user memory. */
	atomic64_t msgs_sent_direct;
	atomic64_t direct_faults;
	atomic64_t hc_notify;
	atomic64_t hc_notify_query;
	/* Signal suppression: notifies not made, VIRQs of destroyed rings. */
	atomic64_t notifies_saved;
	atomic64_t signals_saved_gone;
} argo_stats;

/*
 * Whether Xen takes ARGO_REGISTER_FLAG_SUPPRESS: learnt from the first
 * ring that asks (pristine Xen refuses unknown flags with -EINVAL).
 */
enum { ARGO_SUPPRESS_UNKNOWN, ARGO_SUPPRESS_TAKEN, ARGO_SUPPRESS_REFUSED };
static int argo_suppress_state;	/* under argo_rings_mutex */

static unsigned int argo_nr_rings;	/* under argo_rings_mutex */

/*
 * Whether Xen has XEN_ARGO_OP_sendv_batch: asked at load and after every
 * resume (a domain may be migrated to a Xen without it), and cleared if
 * Xen ever refuses the op as unknown.
 */
static bool argo_batch_ok;

/* ringbuf.c is shared with host tests, so it carries no kernel exports. */
EXPORT_SYMBOL_GPL(argo_ringbuf_valid_len);

/* Receive path */

/*
 * Signal suppression (Xen series 0020, public/argo.h): while a reader is
 * busy with a ring, rx_signal says OFF and Xen raises no VIRQ for the
 * messages it adds; a reader that finds the ring empty turns it ON before
 * it waits. The pairing that loses no wake-up:
 *
 *   Xen:    write message, tx_ptr;  full barrier;  read rx_signal
 *   reader: write rx_signal = ON;   full barrier;  read tx_ptr
 *
 * so either Xen sees ON and signals, or the reader sees the message and
 * does not wait. Returns whether the ring has data after arming.
 */
static bool argo_ring_arm(struct argo_ring *ring)
{
	if (ring->suppress &&
	    READ_ONCE(ring->shared->rx_signal) != ARGO_RX_SIGNAL_ON) {
		WRITE_ONCE(ring->shared->rx_signal, ARGO_RX_SIGNAL_ON);
		virt_mb();
	}
	return READ_ONCE(ring->shared->tx_ptr) != READ_ONCE(ring->rx);
}

static bool argo_ring_nonempty(struct argo_ring *ring)
{
	return READ_ONCE(ring->shared->tx_ptr) != READ_ONCE(ring->rx);
}

bool argo_ring_has_data(struct argo_ring *ring)
{
	if (argo_ring_nonempty(ring))
		return true;
	/* About to report "empty", maybe to a reader going to sleep. */
	return argo_ring_arm(ring);
}
EXPORT_SYMBOL_GPL(argo_ring_has_data);

static void argo_ring_dispatch(struct argo_ring *ring)
{
	/*
	 * No arming here: a ring found empty was drained by a reader that is
	 * awake, and it arms for itself before it waits. Arming here would
	 * make every message signal while a reader on another vCPU keeps up,
	 * since each VIRQ would find the ring empty and ask for the next.
	 */
	if (!ring->rx_fn || !argo_ring_nonempty(ring))
		return;
	/*
	 * A reader is about to drain the ring: no signal is needed until it
	 * finds it empty again (argo_ring_arm). Ordering does not matter
	 * here: a signal raised meanwhile is merely one too many.
	 */
	if (ring->suppress)
		WRITE_ONCE(ring->shared->rx_signal, ARGO_RX_SIGNAL_OFF);
	atomic64_inc(&ring->rx_calls);
	if (ring->flags & ARGO_RING_RX_WORK)
		queue_work(argo_wq, &ring->rx_work);
	else
		ring->rx_fn(ring, ring->priv);
}

static void argo_ring_rx_work(struct work_struct *work)
{
	struct argo_ring *ring = container_of(work, struct argo_ring, rx_work);

	ring->rx_fn(ring, ring->priv);
}

/*
 * VIRQ_ARGO says only "something happened": a message arrived in one of
 * our rings, or space appeared in a ring we asked about. Finding which
 * ring costs one tx_ptr read per ring, at most 128 (Xen's limit per
 * domain), with no lock taken; only rings with data are dispatched.
 */
static void argo_scan(void)
{
	struct argo_space_waiter *w;
	struct argo_ring *ring;

	rcu_read_lock();
	list_for_each_entry_rcu(ring, &argo_rings, node)
		argo_ring_dispatch(ring);
	list_for_each_entry_rcu(w, &argo_space_waiters, node)
		w->fn(w);
	rcu_read_unlock();
}

static irqreturn_t argo_virq_handler(int irq, void *dev_id)
{
	atomic64_inc(&argo_stats.virqs);
	argo_scan();
	return IRQ_HANDLED;
}

/* The same signal on the local APIC vector (notifyvec.c), counted apart. */
static irqreturn_t argo_vector_handler(int irq, void *dev_id)
{
	atomic64_inc(&argo_stats.vector_irqs);
	argo_scan();
	return IRQ_HANDLED;
}

static void argo_reader_lock(struct argo_ring *ring, unsigned long *flags)
{
	if (ring->flags & ARGO_RING_READ_SLEEP)
		mutex_lock(&ring->mutex);
	else
		spin_lock_irqsave(&ring->lock, *flags);
}

static void argo_reader_unlock(struct argo_ring *ring, unsigned long flags)
{
	if (ring->flags & ARGO_RING_READ_SLEEP)
		mutex_unlock(&ring->mutex);
	else
		spin_unlock_irqrestore(&ring->lock, flags);
}

/*
 * Caller holds the reader lock. Fills msg or returns -EAGAIN/-EBADMSG.
 * @arm: ask for a signal if the ring is empty (false: ARGO_RECV_NO_ARM).
 */
static int argo_ring_locate(struct argo_ring *ring, struct argo_ringbuf_msg *msg,
			    bool arm)
{
	u32 tx = READ_ONCE(ring->shared->tx_ptr);
	int ret;

	/*
	 * Empty: ask for a signal before saying so, and look once more, as
	 * the caller may wait next (argo_ring_arm).
	 */
	if (tx == ring->rx && arm && argo_ring_arm(ring))
		tx = READ_ONCE(ring->shared->tx_ptr);
	/* Read the header and payload only after seeing tx_ptr. */
	virt_rmb();
	ret = argo_ringbuf_peek(ring->shared->ring, ring->len, ring->rx, tx, msg);
	if (ret == -EBADMSG) {
		pr_err_ratelimited("ring port %u: inconsistent contents (rx %u tx %u), discarding\n",
				   ring->port, ring->rx, tx);
		atomic64_inc(&argo_stats.bad_rings);
		if (tx < ring->len && !(tx % ARGO_MSG_SLOT_SIZE)) {
			WRITE_ONCE(ring->rx, tx);
			virt_mb();
			WRITE_ONCE(ring->shared->rx_ptr, tx);
		}
	}
	return ret;
}

/* Caller holds the reader lock and has copied msg's payload out. */
static void argo_ring_consume(struct argo_ring *ring,
			      const struct argo_ringbuf_msg *msg)
{
	/* The copy must complete before Xen may reuse the space. */
	virt_mb();
	WRITE_ONCE(ring->rx, msg->next_rx);
	WRITE_ONCE(ring->shared->rx_ptr, msg->next_rx);
}

void argo_ring_notify(struct argo_ring *ring)
{
	if (ring->suppress) {
		/*
		 * Pairs with Xen's barrier between publishing tx_waiting and
		 * reading rx_ptr again (public/argo.h): either Xen sees the
		 * rx_ptr just written, or this sees the waiter.
		 */
		virt_mb();
		if (!READ_ONCE(ring->shared->tx_waiting)) {
			atomic64_inc(&ring->notifies_saved);
			atomic64_inc(&argo_stats.notifies_saved);
			return;
		}
	}
	atomic64_inc(&ring->notifies);
	atomic64_inc(&argo_stats.hc_notify);
	argo_hv->notify(NULL);
}
EXPORT_SYMBOL_GPL(argo_ring_notify);

static void argo_ring_consumed(struct argo_ring *ring,
			       const struct argo_ringbuf_msg *msg,
			       struct argo_addr *src, u32 *type, bool notify)
{
	if (src) {
		src->domain = msg->source.domain_id;
		src->port = msg->source.aport;
	}
	if (type)
		*type = msg->type;
	atomic64_inc(&argo_stats.msgs_received);
	atomic64_inc(&ring->msgs_received);
	/* Xen re-checks space for senders blocked on this ring only on notify. */
	if (notify)
		argo_ring_notify(ring);
}

ssize_t argo_ring_peek_flags(struct argo_ring *ring, struct argo_addr *src,
			     u32 *type, unsigned int rflags)
{
	struct argo_ringbuf_msg msg;
	unsigned long flags;
	int ret;

	if (rflags & ~ARGO_RECV_NO_ARM)
		return -EINVAL;
	argo_reader_lock(ring, &flags);
	ret = argo_ring_locate(ring, &msg, !(rflags & ARGO_RECV_NO_ARM));
	argo_reader_unlock(ring, flags);
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
EXPORT_SYMBOL_GPL(argo_ring_peek_flags);

ssize_t argo_ring_peek(struct argo_ring *ring, struct argo_addr *src, u32 *type)
{
	return argo_ring_peek_flags(ring, src, type, 0);
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

	argo_reader_lock(ring, &flags);
	ret = argo_ring_locate(ring, &msg, true);
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
	argo_ring_consume(ring, &msg);
	argo_reader_unlock(ring, flags);
	argo_ring_consumed(ring, &msg, src, type, true);
	return msg.payload_len;

out_unlock:
	argo_reader_unlock(ring, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(argo_ring_recv);

ssize_t argo_ring_recv_iter_flags(struct argo_ring *ring, struct iov_iter *to,
				  struct argo_addr *src, u32 *type,
				  unsigned int flags)
{
	struct argo_ringbuf_seg seg[2];
	struct argo_ringbuf_msg msg;
	unsigned int i, n;
	size_t copied = 0;
	int ret;

	if (!(ring->flags & ARGO_RING_READ_SLEEP) || (flags & ~ARGO_RECV_FLAGS))
		return -EINVAL;
	mutex_lock(&ring->mutex);
	ret = argo_ring_locate(ring, &msg, !(flags & ARGO_RECV_NO_ARM));
	if (ret)
		goto out_unlock;
	if (msg.payload_len > iov_iter_count(to)) {
		ret = -EMSGSIZE;
		goto out_unlock;
	}
	/*
	 * Xen writes only between tx_ptr and rx_ptr, so the message cannot
	 * change under a copy that faults and sleeps.
	 */
	n = argo_ringbuf_segments(ring->len, msg.payload_off, msg.payload_len, seg);
	for (i = 0; i < n; i++) {
		size_t c = copy_to_iter(ring->shared->ring + seg[i].off,
					seg[i].len, to);

		copied += c;
		if (c != seg[i].len) {
			iov_iter_revert(to, copied);
			ret = -EFAULT;
			goto out_unlock;
		}
	}
	argo_ring_consume(ring, &msg);
	mutex_unlock(&ring->mutex);
	argo_ring_consumed(ring, &msg, src, type, !(flags & ARGO_RECV_NO_NOTIFY));
	return msg.payload_len;

out_unlock:
	mutex_unlock(&ring->mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(argo_ring_recv_iter_flags);

ssize_t argo_ring_recv_iter(struct argo_ring *ring, struct iov_iter *to,
			    struct argo_addr *src, u32 *type)
{
	return argo_ring_recv_iter_flags(ring, to, src, type, 0);
}
EXPORT_SYMBOL_GPL(argo_ring_recv_iter);

/* Send path */

/* The kvecs of one message as Xen's iovs; the checks argo_sendv makes. */
static int argo_sendv_iovs(const struct argo_addr *dst, const struct kvec *iov,
			   unsigned int niov, struct argo_xen_iov *xiov)
{
	unsigned int i;

	if (niov > ARGO_MAXIOV)
		return -EINVAL;
	/* The cable gives the port; one here would be silently ignored. */
	if (dst->domain == ARGO_DOMID_IMPLICIT && dst->port)
		return -EINVAL;
	for (i = 0; i < niov; i++) {
		if (iov[i].iov_len > U32_MAX)
			return -EMSGSIZE;
		xiov[i].iov_hnd = (u64)(uintptr_t)iov[i].iov_base;
		xiov[i].iov_len = iov[i].iov_len;
		xiov[i].pad = 0;
	}
	return 0;
}

ssize_t argo_sendv(u32 src_port, const struct argo_addr *dst,
		   const struct kvec *iov, unsigned int niov, u32 type)
{
	struct argo_xen_send_addr addr = {
		.src = { .aport = src_port, .domain_id = ARGO_DOMID_ANY },
		.dst = { .aport = dst->port, .domain_id = dst->domain },
	};
	struct argo_xen_iov xiov[ARGO_MAXIOV];
	long ret;

	ret = argo_sendv_iovs(dst, iov, niov, xiov);
	if (ret)
		return ret;
	ret = argo_hv->sendv(&addr, xiov, niov, type);
	atomic64_inc(&argo_stats.hc_sendv);
	if (ret == -EAGAIN)
		atomic64_inc(&argo_stats.hc_sendv_eagain);
	atomic64_inc(ret < 0 ? &argo_stats.send_errors : &argo_stats.msgs_sent);
	return ret;
}
EXPORT_SYMBOL_GPL(argo_sendv);

/* Xen without the batch op: one sendv per message, stopping as Xen would. */
static ssize_t argo_sendv_each(u32 src_port, const struct argo_send_msg *msgs,
			       unsigned int count)
{
	unsigned int i;
	ssize_t ret;

	for (i = 0; i < count; i++) {
		ret = argo_sendv(src_port, &msgs[i].dst, msgs[i].iov,
				 msgs[i].niov, msgs[i].type);
		if (ret < 0)
			return i ? i : ret;
	}
	return count;
}

/*
 * One batch hypercall for @msgs, through @call (argo_hv's sendv_batch or
 * sendv_batch_user). -ENOMEM when the entries could not be allocated.
 */
static ssize_t argo_sendv_batch_hv(u32 src_port, const struct argo_send_msg *msgs,
				   unsigned int count,
				   long (*call)(struct argo_xen_send_ent *, unsigned int))
{
	struct argo_xen_send_ent *ents;
	struct argo_xen_iov *xiov;
	unsigned int i, n, niov = 0;
	long ret = 0;

	for (i = 0; i < count; i++)
		niov += msgs[i].niov;
	/* At most 64 entries and 512 iovs: 10 KiB. Atomic callers too. */
	ents = kmalloc(count * sizeof(*ents) + niov * sizeof(*xiov),
		       GFP_ATOMIC | __GFP_NOWARN);
	if (!ents)
		return -ENOMEM;
	xiov = (struct argo_xen_iov *)(ents + count);
	/* A message argo_sendv would refuse ends the batch before it. */
	for (n = 0; n < count; n++) {
		struct argo_xen_send_ent *e = &ents[n];

		ret = argo_sendv_iovs(&msgs[n].dst, msgs[n].iov, msgs[n].niov, xiov);
		if (ret)
			break;
		e->addr.src.aport = src_port;
		e->addr.src.domain_id = ARGO_DOMID_ANY;
		e->addr.src.pad = 0;
		e->addr.dst.aport = msgs[n].dst.port;
		e->addr.dst.domain_id = msgs[n].dst.domain;
		e->addr.dst.pad = 0;
		e->iovs = (u64)(uintptr_t)xiov;
		e->message_type = msgs[n].type;
		e->niov = msgs[n].niov;
		e->pad = 0;
		xiov += msgs[n].niov;
	}
	if (!n) {
		kfree(ents);
		return ret;
	}
	ret = call(ents, n);
	kfree(ents);
	if (ret == -EOPNOTSUPP || ret == -ENOSYS) {
		/* Migrated to a Xen without it: stop asking. */
		WRITE_ONCE(argo_batch_ok, false);
		return -EOPNOTSUPP;
	}
	atomic64_inc(&argo_stats.hc_sendv);
	atomic64_inc(&argo_stats.hc_sendv_batch);
	if (ret == -EAGAIN)
		atomic64_inc(&argo_stats.hc_sendv_eagain);
	if (ret < 0) {
		atomic64_inc(&argo_stats.send_errors);
		return ret;
	}
	/* Xen never reports more than it was given; trust no more. */
	if (ret > n)
		ret = n;
	atomic64_add(ret, &argo_stats.msgs_sent);
	return ret;
}

static bool argo_batch_usable(const struct argo_send_msg *msgs,
			      unsigned int count)
{
	unsigned int i;

	if (!READ_ONCE(sendv_batch) || !READ_ONCE(argo_batch_ok))
		return false;
	for (i = 0; i < count; i++)
		if (msgs[i].niov > ARGO_MAXIOV)
			return false;
	return true;
}

ssize_t argo_sendv_batch(u32 src_port, const struct argo_send_msg *msgs,
			 unsigned int count)
{
	ssize_t ret;

	if (!count || count > ARGO_MAX_SEND_BATCH)
		return -EINVAL;
	if (count == 1 || !argo_batch_usable(msgs, count))
		return argo_sendv_each(src_port, msgs, count);
	ret = argo_sendv_batch_hv(src_port, msgs, count, argo_hv->sendv_batch);
	if (ret == -ENOMEM || ret == -EOPNOTSUPP)
		return argo_sendv_each(src_port, msgs, count);
	return ret;
}
EXPORT_SYMBOL_GPL(argo_sendv_batch);

/*
 * Xen reads the payloads through this domain's page tables, kernel half
 * included, so only user ranges may go to it: how many messages from the
 * first lie wholly in user space.
 */
static unsigned int argo_user_msgs(const struct argo_send_msg *msgs,
				   unsigned int count)
{
	unsigned int n, i;

	for (n = 0; n < count; n++)
		for (i = 0; i < msgs[n].niov; i++)
			if (!access_ok((const void __user *)msgs[n].iov[i].iov_base,
				       msgs[n].iov[i].iov_len))
				return n;
	return count;
}

ssize_t argo_sendv_batch_user(u32 src_port, const struct argo_send_msg *msgs,
			      unsigned int count)
{
	ssize_t ret;

	if (!count || count > ARGO_MAX_SEND_BATCH)
		return -EINVAL;
	if (!READ_ONCE(tx_zerocopy) || !argo_hv->sendv_batch_user ||
	    cpu_feature_enabled(X86_FEATURE_SMAP) ||
	    !argo_batch_usable(msgs, count))
		return -EOPNOTSUPP;
	/* The batch ends before a message that is not the caller's. */
	count = argo_user_msgs(msgs, count);
	if (!count)
		return -EFAULT;
	ret = argo_sendv_batch_hv(src_port, msgs, count,
				  argo_hv->sendv_batch_user);
	if (ret > 0)
		atomic64_add(ret, &argo_stats.msgs_sent_direct);
	else if (ret == -EFAULT)
		atomic64_inc(&argo_stats.direct_faults);
	return ret;
}
EXPORT_SYMBOL_GPL(argo_sendv_batch_user);


static void argo_batch_probe(void)
{
	long f = argo_hv->get_features();

	WRITE_ONCE(argo_batch_ok, argo_hv->sendv_batch && f >= 0 &&
		   (f & ARGO_FEATURE_SENDV_BATCH));
}

/* Hypervisor features and patch cables */

int argo_features(u32 *features)
{
	long ret = argo_hv->get_features();

	/* A Xen without the query has none of the features. */
	if (ret == -EOPNOTSUPP || ret == -ENOSYS) {
		*features = 0;
		return 0;
	}
	if (ret < 0)
		return ret;
	*features = (u32)ret;
	return 0;
}
EXPORT_SYMBOL_GPL(argo_features);

int argo_cable_op(u32 cmd, u16 domain, struct argo_xen_cable *ents, u32 *nent)
{
	struct argo_xen_cable_op *op;
	u32 n = *nent, i;
	long ret;

	switch (cmd) {
	case ARGO_CABLE_ADD:
		if (n != 1 || ents[0].flags || ents[0].pad)
			return -EINVAL;
		break;
	case ARGO_CABLE_DEL:
		if (n != 1 || ents[0].flags || ents[0].pad ||
		    ents[0].dst_domain_id || ents[0].dst_port)
			return -EINVAL;
		break;
	case ARGO_CABLE_LIST:
		if (n > ARGO_MAX_CABLES)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	op = kzalloc(struct_size(op, ent, n), GFP_KERNEL);
	if (!op)
		return -ENOMEM;
	op->cmd = cmd;
	op->domain_id = domain;
	op->nent = n;
	if (cmd != ARGO_CABLE_LIST)
		op->ent[0] = ents[0];
	ret = argo_hv->cable(op);
	if (!ret && cmd == ARGO_CABLE_LIST) {
		/* op->nent is Xen's count: copy no more than we had room for. */
		for (i = 0; i < n && i < op->nent; i++)
			ents[i] = op->ent[i];
		*nent = op->nent;
	}
	kfree(op);
	return ret;
}
EXPORT_SYMBOL_GPL(argo_cable_op);

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
	atomic64_inc(&argo_stats.hc_notify_query);
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

	spin_lock_irqsave(&argo_waiters_lock, flags);
	list_add_tail_rcu(&w->node, &argo_space_waiters);
	spin_unlock_irqrestore(&argo_waiters_lock, flags);
}
EXPORT_SYMBOL_GPL(argo_space_waiter_add);

void argo_space_waiter_del(struct argo_space_waiter *w)
{
	unsigned long flags;

	spin_lock_irqsave(&argo_waiters_lock, flags);
	list_del_rcu(&w->node);
	spin_unlock_irqrestore(&argo_waiters_lock, flags);
	/* The VIRQ handler may be running fn on another CPU. */
	synchronize_rcu();
}
EXPORT_SYMBOL_GPL(argo_space_waiter_del);

/* Counters */

void argo_core_stats(struct argo_core_stats *s)
{
	struct argo_ring *ring;

	s->hc_sendv = atomic64_read(&argo_stats.hc_sendv);
	s->hc_sendv_eagain = atomic64_read(&argo_stats.hc_sendv_eagain);
	s->hc_sendv_batch = atomic64_read(&argo_stats.hc_sendv_batch);
	s->hc_notify = atomic64_read(&argo_stats.hc_notify);
	s->hc_notify_query = atomic64_read(&argo_stats.hc_notify_query);
	/* Signals, however they came: what a consumer counts against. */
	s->virqs = atomic64_read(&argo_stats.virqs) +
		   atomic64_read(&argo_stats.vector_irqs);
	s->msgs_sent = atomic64_read(&argo_stats.msgs_sent);
	s->msgs_received = atomic64_read(&argo_stats.msgs_received);
	s->notifies_saved = atomic64_read(&argo_stats.notifies_saved);
	s->virqs_saved = atomic64_read(&argo_stats.signals_saved_gone);
	s->msgs_sent_direct = atomic64_read(&argo_stats.msgs_sent_direct);
	s->direct_faults = atomic64_read(&argo_stats.direct_faults);
	rcu_read_lock();
	list_for_each_entry_rcu(ring, &argo_rings, node)
		if (ring->suppress)
			s->virqs_saved += READ_ONCE(ring->shared->signals_saved);
	rcu_read_unlock();
	s->suppress = READ_ONCE(argo_suppress_state) == ARGO_SUPPRESS_TAKEN;
}
EXPORT_SYMBOL_GPL(argo_core_stats);

void argo_ring_stats(struct argo_ring *ring, struct argo_ring_stats *s)
{
	s->msgs_received = atomic64_read(&ring->msgs_received);
	s->notifies = atomic64_read(&ring->notifies);
	s->rx_calls = atomic64_read(&ring->rx_calls);
	s->notifies_saved = atomic64_read(&ring->notifies_saved);
	s->virqs_saved = ring->suppress ? READ_ONCE(ring->shared->signals_saved) : 0;
	s->suppress = ring->suppress;
}
EXPORT_SYMBOL_GPL(argo_ring_stats);

/* Ring lifetime */

/*
 * Hand the ring's frames to Xen. Their frame numbers are read afresh each
 * time: a PV domain restored elsewhere has new ones. Xen takes its first
 * tx_ptr from the ring header, so a re-registered ring keeps its unread
 * messages. Caller holds argo_rings_mutex.
 */
static long argo_ring_register_flags(struct argo_ring *ring, u32 flags)
{
	struct argo_xen_register_ring reg = {
		.aport = ring->port, .partner_id = ring->partner, .len = ring->len,
	};
	unsigned int i;

	for (i = 0; i < ring->npages; i++)
		ring->gfns[i] = xen_page_to_gfn(vmalloc_to_page((u8 *)ring->shared +
								i * PAGE_SIZE));
	return argo_hv->register_ring(&reg, ring->gfns, ring->npages, flags);
}

/*
 * Register with signal suppression when the ring wants it and Xen may
 * take it. Xen without it refuses the flag with -EINVAL, as any unknown
 * flag: then register without, and if that works, remember that this Xen
 * refuses it (debugfs stats: suppress). Sets ring->suppress.
 */
static long argo_ring_register(struct argo_ring *ring, u32 flags)
{
	bool want = ring->flags & ARGO_RING_SUPPRESS;
	long ret;

	lockdep_assert_held(&argo_rings_mutex);
	ring->suppress = false;
	if (!want || argo_suppress_state == ARGO_SUPPRESS_REFUSED)
		return argo_ring_register_flags(ring, flags);
	/* Xen's first rx_signal read must find a reader that wants one. */
	WRITE_ONCE(ring->shared->rx_signal, ARGO_RX_SIGNAL_ON);
	ret = argo_ring_register_flags(ring, flags | ARGO_REGISTER_FLAG_SUPPRESS);
	if (!ret) {
		ring->suppress = true;
		argo_suppress_state = ARGO_SUPPRESS_TAKEN;
		return 0;
	}
	if (ret != -EINVAL)
		return ret;
	ret = argo_ring_register_flags(ring, flags);
	if (!ret && argo_suppress_state != ARGO_SUPPRESS_REFUSED) {
		argo_suppress_state = ARGO_SUPPRESS_REFUSED;
		pr_info("Xen refused signal suppression (a Xen without series patch 0020): every message will signal\n");
	}
	return ret;
}

static void argo_ring_free(struct argo_ring *ring)
{
	kvfree(ring->gfns);
	vfree(ring->shared);
	kfree(ring);
}

struct argo_ring *argo_ring_create(u32 port, u16 partner, u32 len,
				   unsigned int flags, argo_rx_fn rx_fn,
				   void *priv)
{
	struct argo_ring *ring;
	long ret;

	if (!argo_ringbuf_valid_len(len) || (flags & ~ARGO_RING_FLAGS))
		return ERR_PTR(-EINVAL);
	/* The module parameter decides for rings created from now on. */
	if (!READ_ONCE(signal_suppress))
		flags &= ~ARGO_RING_SUPPRESS;

	ring = kzalloc(sizeof(*ring), GFP_KERNEL);
	if (!ring)
		return ERR_PTR(-ENOMEM);
	spin_lock_init(&ring->lock);
	mutex_init(&ring->mutex);
	INIT_WORK(&ring->rx_work, argo_ring_rx_work);
	ring->npages = argo_ringbuf_npages(len, PAGE_SIZE);
	ring->len = len;
	ring->port = port;
	ring->partner = partner;
	ring->flags = flags;
	ring->rx_fn = rx_fn;
	ring->priv = priv;

	ret = -ENOMEM;
	ring->shared = vzalloc(ring->npages * PAGE_SIZE);
	ring->gfns = kvcalloc(ring->npages, sizeof(*ring->gfns), GFP_KERNEL);
	if (!ring->shared || !ring->gfns)
		goto err_free;

	/* Registered and listed together, so a resume sees every ring. */
	mutex_lock(&argo_rings_mutex);
	ret = argo_ring_register(ring, ARGO_REGISTER_FLAG_FAIL_EXIST);
	if (ret) {
		mutex_unlock(&argo_rings_mutex);
		goto err_free;
	}
	/* Xen may have repositioned tx_ptr; start reading where it writes. */
	ring->rx = READ_ONCE(ring->shared->tx_ptr);
	WRITE_ONCE(ring->shared->rx_ptr, ring->rx);
	list_add_tail_rcu(&ring->node, &argo_rings);
	argo_nr_rings++;
	mutex_unlock(&argo_rings_mutex);

	atomic64_inc(&argo_stats.rings_registered);
	if (verbose)
		pr_info("registered port %u partner %u len %u\n", port, partner, len);
	return ring;

err_free:
	argo_ring_free(ring);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(argo_ring_create);

void argo_ring_destroy(struct argo_ring *ring)
{
	struct argo_xen_unregister_ring unreg;
	long ret;

	if (!ring)
		return;
	mutex_lock(&argo_rings_mutex);
	list_del_rcu(&ring->node);
	argo_nr_rings--;
	unreg.aport = ring->port;
	unreg.partner_id = ring->partner;
	unreg.pad = 0;
	ret = argo_hv->unregister_ring(&unreg);
	mutex_unlock(&argo_rings_mutex);
	/* The VIRQ handler may still be looking at the ring on another CPU. */
	synchronize_rcu();
	cancel_work_sync(&ring->rx_work);

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
	if (ring->suppress)
		atomic64_add(READ_ONCE(ring->shared->signals_saved),
			     &argo_stats.signals_saved_gone);
	if (verbose)
		pr_info("unregistered port %u partner %u\n", ring->port, ring->partner);
	argo_ring_free(ring);
}
EXPORT_SYMBOL_GPL(argo_ring_destroy);

/* Suspend and resume */

/*
 * Runs in process context once this domain runs again after a suspend:
 * restored from a save, migrated (a new domain, which has no rings in
 * Xen), or a cancelled suspend or checkpoint (the same domain, whose rings
 * Xen still has: registering again is then a harmless re-registration).
 * Xen forgot the space signals it had armed, so every waiter asks again.
 */
static int argo_resume(struct notifier_block *nb, unsigned long action,
		       void *data)
{
	struct argo_ring *ring;
	unsigned long flags;
	long ret;

	atomic64_inc(&argo_stats.resumes);
	mutex_lock(&argo_rings_mutex);
	list_for_each_entry(ring, &argo_rings, node) {
		ret = argo_ring_register(ring, 0);
		if (ret) {
			atomic64_inc(&argo_stats.reregister_errors);
			pr_err("re-registering port %u partner %u after resume failed: %ld\n",
			       ring->port, ring->partner, ret);
			continue;
		}
		atomic64_inc(&argo_stats.rings_reregistered);
		if (verbose)
			pr_info("re-registered port %u partner %u\n",
				ring->port, ring->partner);
	}
	mutex_unlock(&argo_rings_mutex);
	argo_batch_probe();
	/* A Xen that refuses keeps signalling on the VIRQ, still bound. */
	if (argo_notify_vector && argo_nv_retell())
		pr_warn("Xen refused the notification vector after resume: signals come on VIRQ_ARGO\n");

	/* Messages that arrived while suspended, and space that appeared. */
	local_irq_save(flags);
	argo_scan();
	local_irq_restore(flags);
	return NOTIFY_OK;
}

static struct notifier_block argo_resume_nb = {
	.notifier_call = argo_resume,
};

/* debugfs: /sys/kernel/debug/argo/{rings,stats} */

static int argo_rings_show(struct seq_file *m, void *v)
{
	struct argo_ring *ring;

	seq_puts(m, "port partner len flags rx tx msgs_received notifies rx_calls suppress notifies_saved virqs_saved\n");
	mutex_lock(&argo_rings_mutex);
	list_for_each_entry(ring, &argo_rings, node)
		seq_printf(m, "%u %u %u %#x %u %u %lld %lld %lld %d %lld %u\n", ring->port,
			   ring->partner, ring->len, ring->flags,
			   READ_ONCE(ring->rx), READ_ONCE(ring->shared->tx_ptr),
			   atomic64_read(&ring->msgs_received),
			   atomic64_read(&ring->notifies),
			   atomic64_read(&ring->rx_calls), ring->suppress,
			   atomic64_read(&ring->notifies_saved),
			   ring->suppress ? READ_ONCE(ring->shared->signals_saved) : 0);
	mutex_unlock(&argo_rings_mutex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(argo_rings);

static const char *const argo_suppress_names[] = {
	[ARGO_SUPPRESS_UNKNOWN] = "unknown (no ring asked yet)",
	[ARGO_SUPPRESS_TAKEN] = "on",
	[ARGO_SUPPRESS_REFUSED] = "off (Xen refused the flag)",
};

static int argo_stats_show(struct seq_file *m, void *v)
{
	struct argo_core_stats cs;

	mutex_lock(&argo_rings_mutex);
	seq_printf(m, "rings %u\n", argo_nr_rings);
	seq_printf(m, "suppress %s\n", READ_ONCE(signal_suppress) ?
		   argo_suppress_names[argo_suppress_state] :
		   "off (module parameter signal_suppress=0)");
	mutex_unlock(&argo_rings_mutex);
	argo_core_stats(&cs);
	seq_printf(m, "virqs_saved %llu\n", cs.virqs_saved);
	seq_printf(m, "notifies_saved %llu\n", cs.notifies_saved);
	seq_printf(m, "virqs %lld\n", atomic64_read(&argo_stats.virqs));
	seq_printf(m, "vector_irqs %lld\n", atomic64_read(&argo_stats.vector_irqs));
	seq_printf(m, "rings_registered %lld\n",
		   atomic64_read(&argo_stats.rings_registered));
	seq_printf(m, "rings_unregistered %lld\n",
		   atomic64_read(&argo_stats.rings_unregistered));
	seq_printf(m, "rings_reregistered %lld\n",
		   atomic64_read(&argo_stats.rings_reregistered));
	seq_printf(m, "reregister_errors %lld\n",
		   atomic64_read(&argo_stats.reregister_errors));
	seq_printf(m, "resumes %lld\n", atomic64_read(&argo_stats.resumes));
	seq_printf(m, "msgs_received %lld\n", atomic64_read(&argo_stats.msgs_received));
	seq_printf(m, "msgs_sent %lld\n", atomic64_read(&argo_stats.msgs_sent));
	seq_printf(m, "send_errors %lld\n", atomic64_read(&argo_stats.send_errors));
	seq_printf(m, "bad_rings %lld\n", atomic64_read(&argo_stats.bad_rings));
	seq_printf(m, "hc_sendv %lld\n", atomic64_read(&argo_stats.hc_sendv));
	seq_printf(m, "hc_sendv_eagain %lld\n",
		   atomic64_read(&argo_stats.hc_sendv_eagain));
	seq_printf(m, "hc_sendv_batch %lld\n",
		   atomic64_read(&argo_stats.hc_sendv_batch));
	seq_printf(m, "sendv_batch %s\n", !READ_ONCE(sendv_batch) ?
		   "off (module parameter sendv_batch=0)" :
		   READ_ONCE(argo_batch_ok) ? "on" :
		   !argo_hv->sendv_batch ? "off (not over this mechanism)" :
		   "off (Xen lacks it)");
	seq_printf(m, "msgs_sent_direct %lld\n",
		   atomic64_read(&argo_stats.msgs_sent_direct));
	seq_printf(m, "direct_faults %lld\n",
		   atomic64_read(&argo_stats.direct_faults));
	seq_printf(m, "tx_zerocopy %s\n", !READ_ONCE(tx_zerocopy) ?
		   "off (module parameter tx_zerocopy=0)" :
		   !argo_hv->sendv_batch_user ? "off (not over this mechanism)" :
		   cpu_feature_enabled(X86_FEATURE_SMAP) ? "off (SMAP)" :
		   READ_ONCE(argo_batch_ok) ? "on" : "off (Xen lacks the batch op)");
	seq_printf(m, "hc_notify %lld\n", atomic64_read(&argo_stats.hc_notify));
	seq_printf(m, "hc_notify_query %lld\n",
		   atomic64_read(&argo_stats.hc_notify_query));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(argo_stats);

static int argo_mechanism_show(struct seq_file *m, void *v)
{
	u64 calls = 0, fallbacks = 0;

	seq_printf(m, "mechanism %s\n", argo_mech_name(argo_mech));
	if (argo_hvif.base)
		seq_printf(m, "interface %u.%u at %#x offers%s%s msr_base %#x features %#x\n",
			   argo_hvif.version >> 16, argo_hvif.version & 0xffff,
			   argo_hvif.base,
			   argo_hvif.mechanisms & ARGO_MECH_HYPERCALL ? " hypercall" : "",
			   argo_hvif.mechanisms & ARGO_MECH_MSR ? " msr" : "",
			   argo_hvif.msr_base, argo_hvif.features);
	else
		seq_puts(m, "interface none\n");
	if (argo_mech == ARGO_MECH_MSRCALL)
		argo_msr_stats(&calls, &fallbacks);
	seq_printf(m, "msr_calls %llu\nmsr_fallbacks %llu\n", calls, fallbacks);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(argo_mechanism);

/* debugfs argo/notify: how Xen signals this domain, and why. */
static int argo_notify_show(struct seq_file *m, void *v)
{
	seq_printf(m, "notify %s%s\n", argo_notify_vector ? "vector" : "evtchn",
		   argo_notify_why);
	seq_printf(m, "virq_irq %d\n", argo_irq);
	if (argo_notify_vector)
		argo_nv_show(m);
	seq_printf(m, "virqs %lld\nvector_irqs %lld\n",
		   atomic64_read(&argo_stats.virqs),
		   atomic64_read(&argo_stats.vector_irqs));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(argo_notify);

/*
 * Pick how Xen signals us. VIRQ_ARGO is bound either way: it is what a
 * Xen without the op (or a PV guest) uses, and what Xen falls back to
 * while the target's local APIC is disabled.
 */
static int argo_pick_notify(void)
{
	bool want = !strcmp(notify, "vector");
	long f;
	int ret;

	if (!strcmp(notify, "evtchn")) {
		argo_notify_why = " (module parameter notify=evtchn)";
		return 0;
	}
	if (!want && strcmp(notify, "auto") && *notify) {
		pr_err("notify= must be auto, vector or evtchn\n");
		return -EINVAL;
	}
	f = argo_hv->get_features();
	if (f < 0 || !(f & ARGO_FEATURE_NOTIFY_VECTOR)) {
		argo_notify_why = " (Xen offers no vector to this domain)";
		if (want)
			pr_err("notify=vector, but Xen offers no notification vector to this domain\n");
		return want ? -EOPNOTSUPP : 0;
	}
	ret = argo_nv_init(argo_hv, argo_vector_handler);
	if (ret) {
		argo_notify_why = " (setting up the vector failed)";
		pr_warn("notification vector: %d%s\n", ret,
			want ? "" : ": using the event channel");
		return want ? ret : 0;
	}
	argo_notify_vector = true;
	return 0;
}

static void argo_cpuid(u32 leaf, u32 regs[4], void *ctx)
{
	cpuid(leaf, &regs[0], &regs[1], &regs[2], &regs[3]);
}

/*
 * Pick how to reach Argo: the CPUID block of the hypervisor-agnostic
 * interface says what is offered; Xen's own discovery (xen_domain())
 * stands for the hypercall on a Xen without the block.
 */
static int argo_pick_mechanism(void)
{
	bool forced = mechanism && strcmp(mechanism, "auto") && *mechanism;
	const char *why;
	int err;

	if (argo_hvif_find(&argo_hvif, argo_cpuid, NULL, &why))
		pr_warn("%s: ignoring it\n", why);
	argo_mech = argo_hvif_pick(&argo_hvif, xen_domain(), mechanism, &err, &why);
	if (argo_mech == ARGO_MECH_NONE) {
		pr_err("%s\n", why);
		return err;
	}
	if (argo_mech == ARGO_MECH_MSRCALL) {
		err = argo_msr_init(argo_hvif.msr_base, xen_domain());
		if (err && (forced || !xen_domain()))
			return err;
		if (err) {
			pr_warn("MSR calls unusable (%d): using the hypercall\n", err);
			argo_mech = ARGO_MECH_HC;
		}
	}
	argo_hv = argo_mech == ARGO_MECH_MSRCALL ? &argo_msr_hv_ops : &argo_xen_hv_ops;
	return 0;
}

/* Module */

static int __init argo_init(void)
{
	long ret;

	/* Notifications still come as Xen's VIRQ: Xen is needed. */
	if (!xen_domain())
		return -ENODEV;
	ret = argo_pick_mechanism();
	if (ret)
		return ret;

	/* notify with no entries is harmless and tells whether Argo is on. */
	ret = argo_hv->notify(NULL);
	if (ret == -EOPNOTSUPP || ret == -ENOSYS) {
		pr_err("Xen has Argo disabled (boot Xen with argo=1): %ld\n", ret);
		ret = -EOPNOTSUPP;
		goto err_msr;
	}
	if (ret) {
		pr_err("Argo probe failed: %ld%s\n", ret,
		       ret == -EPERM || ret == -EACCES ? " (denied by Xen's policy)" : "");
		goto err_msr;
	}

	argo_wq = alloc_workqueue("argo_rx", WQ_HIGHPRI, 0);
	if (!argo_wq) {
		ret = -ENOMEM;
		goto err_msr;
	}
	ret = bind_virq_to_irqhandler(ARGO_VIRQ, 0, argo_virq_handler, 0,
				      "argo", NULL);
	if (ret < 0) {
		pr_err("binding VIRQ_ARGO failed: %ld\n", ret);
		goto err_destroy_wq;
	}
	argo_irq = ret;
	ret = argo_pick_notify();
	if (ret)
		goto err_unbind;
	argo_batch_probe();
	xen_resume_notifier_register(&argo_resume_nb);
	argo_debugfs = debugfs_create_dir("argo", NULL);
	debugfs_create_file("rings", 0400, argo_debugfs, NULL, &argo_rings_fops);
	debugfs_create_file("stats", 0400, argo_debugfs, NULL, &argo_stats_fops);
	debugfs_create_file("mechanism", 0400, argo_debugfs, NULL,
			    &argo_mechanism_fops);
	debugfs_create_file("notify", 0400, argo_debugfs, NULL,
			    &argo_notify_fops);
	if (argo_notify_vector)
		pr_info("Argo available through %s, signals on irq %d (a local APIC vector; VIRQ on irq %d)\n",
			argo_hv->name, argo_nv_irq(), argo_irq);
	else
		pr_info("Argo available through %s, VIRQ on irq %d\n", argo_hv->name,
			argo_irq);
	return 0;

err_unbind:
	unbind_from_irqhandler(argo_irq, NULL);
err_destroy_wq:
	destroy_workqueue(argo_wq);
err_msr:
	if (argo_mech == ARGO_MECH_MSRCALL)
		argo_msr_exit();
	return ret;
}

static void __exit argo_exit(void)
{
	/* Consumers hold references to this module: no ring can remain. */
	WARN_ON(!list_empty(&argo_rings));
	debugfs_remove_recursive(argo_debugfs);
	xen_resume_notifier_unregister(&argo_resume_nb);
	/* Xen back on the VIRQ first, so no signal is lost between. */
	if (argo_notify_vector)
		argo_nv_exit();
	unbind_from_irqhandler(argo_irq, NULL);
	destroy_workqueue(argo_wq);
	if (argo_mech == ARGO_MECH_MSRCALL)
		argo_msr_exit();
}

module_init(argo_init);
module_exit(argo_exit);
MODULE_DESCRIPTION("Argo core: rings, VIRQ and hypercalls for Xen's Argo");
MODULE_LICENSE("GPL");
