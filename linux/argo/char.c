// SPDX-License-Identifier: GPL-2.0-only
/*
 * argo_char.ko: /dev/argo, one endpoint per open file, over argo.ko.
 * The ABI is include/argo/argo-dev.h.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include <argo/argo-dev.h>
#include "argo.h"
#include "ringbuf.h"
#include "sendbatch.h"

static unsigned int default_ring_size = ARGO_DEV_RING_DEFAULT;

/* Refuse a bad size at load time, naming it, rather than at every bind. */
static int default_ring_size_set(const char *val, const struct kernel_param *kp)
{
	unsigned int size;
	int ret = kstrtouint(val, 0, &size);

	if (ret)
		return ret;
	if (!argo_ringbuf_valid_len(size)) {
		pr_err("default_ring_size %u: must be a multiple of %u from %u to %u\n",
		       size, ARGO_MSG_SLOT_SIZE, ARGO_MIN_RING_SIZE,
		       ARGO_MAX_USABLE_RING_SIZE);
		return -EINVAL;
	}
	return param_set_uint(val, kp);
}

static const struct kernel_param_ops default_ring_size_ops = {
	.set = default_ring_size_set,
	.get = param_get_uint,
};
module_param_cb(default_ring_size, &default_ring_size_ops, &default_ring_size, 0644);
MODULE_PARM_DESC(default_ring_size, "Ring bytes for a bind that asks for 0 (default 65536)");

/*
 * A writer that finds the ring full asks Xen to signal it when this share
 * of the largest message the ring takes is free, not when one more
 * message fits: it then wakes once per many messages the reader takes
 * instead of once per message, in lock-step (0: one message, as before).
 */
static unsigned int tx_wake_percent = 50;
module_param(tx_wake_percent, uint, 0644);
MODULE_PARM_DESC(tx_wake_percent, "A writer blocked on a full ring waits for this percent of it to be free (0-100, default 50)");

struct argo_char_ep {
	struct mutex lock;		/* binding, and one reader at a time */
	struct argo_ring *ring;		/* NULL until bound */
	u32 port;
	wait_queue_head_t rxq;
	/* Sending side. */
	struct mutex tx_lock;		/* one blocking writer at a time */
	spinlock_t cfg_lock;		/* dst, poll_len, connected, listening */
	struct argo_addr dst;
	u32 poll_len;
	bool connected;
	bool listening;			/* space waiter added */
	atomic_t space_seq;		/* bumped on every space signal */
	wait_queue_head_t txq;
	struct argo_space_waiter space;
	/* The largest message hyst_dst takes, for the writer's hysteresis. */
	struct argo_addr hyst_dst;	/* under tx_lock */
	u32 hyst_max;			/* under tx_lock; 0: unknown */
	/* Counters for ARGO_IOC_STATS, relaxed: they explain, not decide. */
	struct {
		atomic64_t read, write, send, send_many, recv_many, poll, space,
			   other, rx_wakeups, tx_wakeups, tx_waits, msgs_sent,
			   msgs_received;
	} st;
};

#define ARGO_CHAR_COUNT(ep, what) atomic64_inc(&(ep)->st.what)

static void argo_char_rx(struct argo_ring *ring, void *priv)
{
	struct argo_char_ep *ep = priv;

	/* wq_has_sleeper orders the ring's data before its check of rxq. */
	if (wq_has_sleeper(&ep->rxq)) {
		ARGO_CHAR_COUNT(ep, rx_wakeups);
		wake_up_interruptible(&ep->rxq);
	}
}

static void argo_char_space(struct argo_space_waiter *w)
{
	struct argo_char_ep *ep = container_of(w, struct argo_char_ep, space);

	atomic_inc(&ep->space_seq);
	if (wq_has_sleeper(&ep->txq)) {
		ARGO_CHAR_COUNT(ep, tx_wakeups);
		wake_up_interruptible(&ep->txq);
	}
}

/* Configuration interface */

static long argo_char_bind(struct argo_char_ep *ep, void __user *arg)
{
	struct argo_dev_bind b;
	struct argo_ring *ring;
	long ret = 0;

	if (copy_from_user(&b, arg, sizeof(b)))
		return -EFAULT;
	if (b.pad || b.flags)
		return -EINVAL;
	if (!b.ring_size)
		b.ring_size = READ_ONCE(default_ring_size);

	mutex_lock(&ep->lock);
	if (ep->ring) {
		ret = -EBUSY;
		goto out_unlock;
	}
	/* Readers may sleep: read() copies from the ring straight to userspace. */
	ring = argo_ring_create(b.port, b.partner, b.ring_size,
				ARGO_RING_READ_SLEEP | ARGO_RING_SUPPRESS,
				argo_char_rx, ep);
	if (IS_ERR(ring)) {
		ret = PTR_ERR(ring);
		goto out_unlock;
	}
	ep->port = b.port;
	/* poll() reads ring without the mutex: publish it fully set up. */
	smp_store_release(&ep->ring, ring);
out_unlock:
	mutex_unlock(&ep->lock);
	return ret;
}

static long argo_char_space_query(void __user *arg)
{
	struct argo_dev_space q;
	struct argo_addr dst;
	long ret;

	if (copy_from_user(&q, arg, sizeof(q)))
		return -EFAULT;
	if (q.dst.pad)
		return -EINVAL;
	dst.domain = q.dst.domain;
	dst.port = q.dst.port;
	q.max_len = 0;
	ret = argo_space(&dst, q.len, &q.max_len);
	if (ret >= 0 && copy_to_user(arg, &q, sizeof(q)))
		return -EFAULT;
	return ret;
}

/*
 * Only endpoints that wait for space (a blocking send or write, POLLOUT)
 * listen for Xen's signals, because each VIRQ runs every waiter.
 */
static void argo_char_listen(struct argo_char_ep *ep)
{
	bool was_listening;

	spin_lock(&ep->cfg_lock);
	was_listening = ep->listening;
	ep->listening = true;
	spin_unlock(&ep->cfg_lock);
	if (!was_listening)
		argo_space_waiter_add(&ep->space);
}

static long argo_char_connect(struct argo_char_ep *ep, void __user *arg)
{
	struct argo_dev_connect c;

	if (copy_from_user(&c, arg, sizeof(c)))
		return -EFAULT;
	if (c.dst.pad || c.pad)
		return -EINVAL;
	spin_lock(&ep->cfg_lock);
	ep->dst.domain = c.dst.domain;
	ep->dst.port = c.dst.port;
	ep->poll_len = c.poll_len ? c.poll_len : 1;
	ep->connected = true;
	spin_unlock(&ep->cfg_lock);
	argo_char_listen(ep);
	return 0;
}

/* Hypervisor features and patch cables */

static long argo_char_features(void __user *arg)
{
	u32 f;
	int ret = argo_features(&f);

	if (ret)
		return ret;
	return put_user(f, (u32 __user *)arg);
}

/* The ABI's cable is Xen's, field for field: pass it through. */
static_assert(sizeof(struct argo_dev_cable) == sizeof(struct argo_xen_cable));
static_assert(ARGO_DEV_CABLES_MAX == ARGO_MAX_CABLES);
static_assert(ARGO_DEV_DOMID_IMPLICIT == ARGO_DOMID_IMPLICIT);
static_assert(ARGO_DEV_DOMID_UPSTREAM == ARGO_DOMID_UPSTREAM);
static_assert(ARGO_DEV_FEATURE_CABLES == ARGO_FEATURE_CABLES);
static_assert(ARGO_DEV_FEATURE_NOTIFY_HIDE == ARGO_FEATURE_NOTIFY_HIDE);
static_assert(ARGO_DEV_FEATURE_SUPPRESS == ARGO_FEATURE_SUPPRESS);
static_assert(ARGO_DEV_FEATURE_SENDV_BATCH == ARGO_FEATURE_SENDV_BATCH);
static_assert(ARGO_DEV_FEATURE_NOTIFY_VECTOR == ARGO_FEATURE_NOTIFY_VECTOR);
static_assert(ARGO_DEV_CABLE_DEAD == ARGO_CABLE_F_DEAD);

static long argo_char_cable(void __user *arg)
{
	struct argo_xen_cable ents[ARGO_DEV_CABLES_MAX];
	void __user *uents;
	struct argo_dev_cable_op op;
	u32 n, room;
	long ret;

	if (copy_from_user(&op, arg, sizeof(op)))
		return -EFAULT;
	if (op.pad || op.pad2 || op.cmd > ARGO_DEV_CABLE_LIST)
		return -EINVAL;
	room = op.nent;
	if (op.cmd == ARGO_DEV_CABLE_LIST ? room > ARGO_DEV_CABLES_MAX : room != 1)
		return -EINVAL;
	uents = u64_to_user_ptr(op.ents);
	if (op.cmd != ARGO_DEV_CABLE_LIST &&
	    copy_from_user(ents, uents, sizeof(ents[0])))
		return -EFAULT;
	n = room;
	/* argo_cable_op checks each field of the entry. */
	ret = argo_cable_op(op.cmd, op.domain, ents, &n);
	if (ret)
		return ret;
	if (op.cmd == ARGO_DEV_CABLE_LIST) {
		if (copy_to_user(uents, ents, min(n, room) * sizeof(ents[0])))
			return -EFAULT;
		op.nent = n;
		if (copy_to_user(arg, &op, sizeof(op)))
			return -EFAULT;
	}
	return 0;
}

/* Data interface */

/*
 * The writer's hysteresis, after a sendv refused with EAGAIN (which armed
 * Xen's signal for this message's size): raise the request to
 * tx_wake_percent of the largest message the ring takes. Xen keeps one
 * request per ring and sending domain, the largest asked for, so this
 * costs one space query per full ring, and the writer then sleeps through
 * the reader's first takings. Caller holds tx_lock.
 * Return: 1 if that much is free already (send again now), else 0.
 */
static int argo_char_arm_hysteresis(struct argo_char_ep *ep,
				    const struct argo_addr *dst, u32 len)
{
	u32 pct = min(READ_ONCE(tx_wake_percent), 100U);
	u32 want, max = 0;
	int ret;

	if (!pct)
		return 0;
	if (!ep->hyst_max || ep->hyst_dst.domain != dst->domain ||
	    ep->hyst_dst.port != dst->port) {
		/* Learn the ring's size: the same request sendv made. */
		ret = argo_space(dst, len, &max);
		if (ret)
			return ret == 1;
		ep->hyst_dst = *dst;
		ep->hyst_max = max;
	}
	want = (u32)div_u64((u64)ep->hyst_max * pct, 100);
	if (want <= len)
		return 0;
	/* A failure leaves the request sendv armed: we wait for that. */
	return argo_space(dst, want, NULL) == 1;
}

/* Check one ARGO_IOC_SEND_MANY entry as ARGO_IOC_SEND would, sending nothing. */
static int argo_char_send_ent_check(const struct argo_dev_send *e)
{
	if (e->dst.pad)
		return -EINVAL;
	if (e->dst.domain == ARGO_DEV_DOMID_IMPLICIT && e->dst.port)
		return -EINVAL;
	if (e->len > ARGO_MAX_RING_SIZE)
		return -EMSGSIZE;
	return 0;
}

/*
 * Send @n bounced messages in order with argo_sendv_batch(), as many per
 * hypercall as Xen takes. Blocking, a message that does not fit waits
 * until it fits and the batch continues from it: a sendv that Xen refuses
 * with EAGAIN also arms Xen's space signal, so one hypercall serves the
 * common case, and hysteresis asks for more room than one message; EBUSY
 * (too many senders wait on that ring, no signal will come) ends it, as
 * does the first refusal when not blocking. *@sent gets the number sent.
 * Caller holds tx_lock when blocking.
 * Return: 0 when all were sent, else the error that stopped the batch.
 */
static ssize_t argo_char_send_batch_wait(struct argo_char_ep *ep, bool block,
					 const struct argo_send_msg *msgs,
					 unsigned int n, bool user,
					 unsigned int *sent)
{
	unsigned int done = 0;
	ssize_t ret = 0;
	int seq;

	while (done < n) {
		/* Read the signal count first so a signal after sendv wakes us. */
		seq = atomic_read(&ep->space_seq);
		ret = user ? argo_sendv_batch_user(READ_ONCE(ep->port), msgs + done,
						   n - done) :
			     argo_sendv_batch(READ_ONCE(ep->port), msgs + done,
					      n - done);
		if (ret > 0) {
			/* A short count: the next call learns why from msgs[done]. */
			done += ret;
			ret = 0;
			continue;
		}
		if (ret != -EAGAIN || !block)
			break;
		if (argo_char_arm_hysteresis(ep, &msgs[done].dst,
					     msgs[done].iov->iov_len))
			continue;
		ARGO_CHAR_COUNT(ep, tx_waits);
		ret = wait_event_interruptible(ep->txq,
					       atomic_read(&ep->space_seq) != seq);
		if (ret)
			break;
	}
	atomic64_add(done, &ep->st.msgs_sent);
	*sent = done;
	return ret;
}

/*
 * Send one message. The payload is bounced so Xen copies exactly the
 * bytes we took, once.
 */
static ssize_t argo_char_send_msg(struct file *file, const struct argo_addr *dst,
				  const void __user *ubuf, size_t len, u32 type)
{
	struct argo_char_ep *ep = file->private_data;
	bool block = !(file->f_flags & O_NONBLOCK);
	struct argo_send_msg msg;
	unsigned int sent;
	struct kvec iov;
	ssize_t ret;
	void *buf;

	if (len > ARGO_MAX_RING_SIZE)
		return -EMSGSIZE;
	buf = kvmalloc(len ? len : 1, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (copy_from_user(buf, ubuf, len)) {
		ret = -EFAULT;
		goto out_free;
	}
	iov.iov_base = buf;
	iov.iov_len = len;
	if (block) {
		argo_char_listen(ep);
		mutex_lock(&ep->tx_lock);
	}
	msg.dst = *dst;
	msg.iov = &iov;
	msg.niov = 1;
	msg.type = type;
	/* A batch of one: one wait loop for both ioctls (a plain sendv). */
	ret = argo_char_send_batch_wait(ep, block, &msg, 1, false, &sent);
	if (block)
		mutex_unlock(&ep->tx_lock);
	if (!ret)
		ret = len;
out_free:
	kvfree(buf);
	return ret;
}

/*
 * Point @msgs at the @k entries' payloads: in @buf, where they were bounced
 * (each at the running offset), or with @buf NULL in the task's memory.
 */
static void argo_char_fill_msgs(struct argo_send_msg *msgs, struct kvec *kv,
				const struct argo_dev_send *ents,
				unsigned int k, u8 *buf)
{
	unsigned int j;
	size_t off = 0;

	for (j = 0; j < k; j++) {
		kv[j].iov_base = buf ? (void *)(buf + off) :
				       (void __force *)u64_to_user_ptr(ents[j].buf);
		kv[j].iov_len = ents[j].len;
		off += ents[j].len;
		msgs[j].dst.domain = ents[j].dst.domain;
		msgs[j].dst.port = ents[j].dst.port;
		msgs[j].iov = &kv[j];
		msgs[j].niov = 1;
		msgs[j].type = ents[j].type;
	}
}

/*
 * Many messages, one system call, and a hypercall per up to
 * ARGO_MAX_SEND_BATCH messages (ARGO_SEND_CHUNK_BYTES of payload) where
 * Xen has the batch op. Every entry is checked before the first is sent,
 * so bad input costs nothing but the error. Where the mechanism can, Xen
 * reads the payloads from the caller's memory (argo_sendv_batch_user()),
 * so each is copied once, into the destination ring; a chunk that Xen
 * could not read from there is bounced from the message it stopped at,
 * which faults its pages in (or reports EFAULT), and the next chunk tries
 * the caller's memory again.
 */
static long argo_char_send_many(struct file *file, void __user *arg)
{
	struct argo_char_ep *ep = file->private_data;
	bool block = !(file->f_flags & O_NONBLOCK);
	bool direct = true, bounce_next = false;
	struct argo_send_msg *msgs;
	struct argo_dev_send_many sm;
	struct argo_dev_send *ents;
	unsigned int i, j, k, done;
	struct kvec *kv;
	u32 maxlen = 0;
	u64 total = 0;
	size_t bytes, off;
	u8 *buf = NULL;
	ssize_t r = 0;
	long ret;

	if (copy_from_user(&sm, arg, sizeof(sm)))
		return -EFAULT;
	if (sm.flags || sm.pad || !sm.count || sm.count > ARGO_DEV_BATCH_MAX)
		return -EINVAL;
	ents = kvmalloc_array(sm.count, sizeof(*ents), GFP_KERNEL);
	if (!ents)
		return -ENOMEM;
	if (copy_from_user(ents, u64_to_user_ptr(sm.msgs),
			   sm.count * sizeof(*ents))) {
		ret = -EFAULT;
		goto out_free_ents;
	}
	sm.sent = 0;
	sm.error = 0;
	sm.error_index = 0;
	for (i = 0; i < sm.count; i++) {
		ret = argo_char_send_ent_check(&ents[i]);
		if (ret) {
			sm.error = -ret;
			sm.error_index = i;
			goto out_report;
		}
		maxlen = max(maxlen, ents[i].len);
		total += ents[i].len;
	}
	ret = -ENOMEM;
	msgs = kmalloc_array(ARGO_MAX_SEND_BATCH, sizeof(*msgs) + sizeof(*kv),
			     GFP_KERNEL);
	if (!msgs)
		goto out_free_ents;
	kv = (struct kvec *)(msgs + ARGO_MAX_SEND_BATCH);
	if (block) {
		argo_char_listen(ep);
		mutex_lock(&ep->tx_lock);
	}
	for (i = 0; i < sm.count; i += k) {
		k = argo_send_chunk(ents + i, sm.count - i, ARGO_MAX_SEND_BATCH,
				    ARGO_SEND_CHUNK_BYTES, &bytes);
		if (direct && !bounce_next) {
			argo_char_fill_msgs(msgs, kv, ents + i, k, NULL);
			r = argo_char_send_batch_wait(ep, block, msgs, k, true, &done);
			sm.sent += done;
			if (!r)
				continue;	/* the next chunk: bounced if bounce_next */
			if (r == -EOPNOTSUPP)
				direct = false;
			else if (r != -EFAULT && r != -ENOMEM)
				goto out_stop;
			/* Bounce from the message Xen did not take. */
			bounce_next = true;
			k = done;
			continue;
		}
		bounce_next = false;
		if (!buf) {
			buf = kvmalloc(argo_send_buf_size(total, maxlen,
							  ARGO_SEND_CHUNK_BYTES),
				       GFP_KERNEL);
			if (!buf) {
				r = -ENOMEM;
				done = 0;
				goto out_stop;
			}
		}
		/* bytes fit in buf: argo_send_buf_size() sized it for any chunk. */
		for (j = 0, off = 0; j < k; off += ents[i + j].len, j++)
			if (copy_from_user(buf + off, u64_to_user_ptr(ents[i + j].buf),
					   ents[i + j].len))
				break;
		argo_char_fill_msgs(msgs, kv, ents + i, j, buf);
		/* A fault ends the batch at that entry; those before it go. */
		done = 0;
		r = 0;
		if (j)
			r = argo_char_send_batch_wait(ep, block, msgs, j, false, &done);
		sm.sent += done;
		if (r < 0)
			goto out_stop;
		if (j < k) {
			done = j;
			r = -EFAULT;
			goto out_stop;
		}
	}
	goto out_sent;
out_stop:
	i += done;
	sm.error = -r;
	sm.error_index = i;
out_sent:
	if (block)
		mutex_unlock(&ep->tx_lock);
	kvfree(buf);
	kfree(msgs);
	ret = sm.sent ? sm.sent : r;
out_report:
	if (copy_to_user(arg, &sm, sizeof(sm)) && sm.sent == 0)
		ret = -EFAULT;
out_free_ents:
	kvfree(ents);
	return ret;
}

/* Send to the default destination set by ARGO_IOC_CONNECT, type 0. */
static ssize_t argo_char_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct argo_char_ep *ep = file->private_data;
	struct argo_addr dst;
	bool connected;

	ARGO_CHAR_COUNT(ep, write);
	spin_lock(&ep->cfg_lock);
	dst = ep->dst;
	connected = ep->connected;
	spin_unlock(&ep->cfg_lock);
	if (!connected)
		return -EDESTADDRREQ;
	return argo_char_send_msg(file, &dst, ubuf, count, 0);
}

static long argo_char_send(struct file *file, void __user *arg)
{
	struct argo_dev_send s;
	struct argo_addr dst;

	if (copy_from_user(&s, arg, sizeof(s)))
		return -EFAULT;
	if (s.dst.pad)
		return -EINVAL;
	dst.domain = s.dst.domain;
	dst.port = s.dst.port;
	return argo_char_send_msg(file, &dst, u64_to_user_ptr(s.buf), s.len,
				  s.type);
}

/*
 * Wait until the bound ring has a message (unless nonblock) and return
 * with ep->lock held and the ring in *ringp. Return: 0, or an error with
 * the lock released.
 */
static int argo_char_wait_msg(struct argo_char_ep *ep, bool nonblock,
			      struct argo_ring **ringp)
{
	struct argo_ring *ring;
	int ret;

	mutex_lock(&ep->lock);
	ring = ep->ring;
	if (!ring) {
		mutex_unlock(&ep->lock);
		return -ENOTCONN;
	}
	while (!argo_ring_has_data(ring)) {
		mutex_unlock(&ep->lock);
		if (nonblock)
			return -EAGAIN;
		/* The ring lives until release, which cannot run meanwhile. */
		ret = wait_event_interruptible(ep->rxq, argo_ring_has_data(ring));
		if (ret)
			return ret;
		mutex_lock(&ep->lock);
	}
	*ringp = ring;
	return 0;
}

/*
 * Copy the next message, header then payload, to @to (at most @room
 * bytes of it). Caller holds ep->lock, which makes it the ring's only
 * reader: recv takes what peek saw. A message that does not fit, or a
 * copy that faults, loses nothing: the message stays queued.
 * Return: header plus payload bytes, or -EAGAIN, -EMSGSIZE, -EFAULT,
 * -EBADMSG.
 */
static ssize_t argo_char_take(struct argo_char_ep *ep, struct argo_ring *ring,
			      struct iov_iter *to, unsigned int flags)
{
	struct argo_dev_msg hdr = { 0 };
	struct argo_addr src;
	ssize_t len, ret;

	len = argo_ring_peek_flags(ring, &src, &hdr.type,
				   flags & ARGO_RECV_NO_ARM);
	if (len < 0)
		return len;
	if (iov_iter_count(to) < sizeof(hdr) + len)
		return -EMSGSIZE;
	hdr.src.domain = src.domain;
	hdr.src.port = src.port;
	hdr.len = len;
	if (copy_to_iter(&hdr, sizeof(hdr), to) != sizeof(hdr))
		return -EFAULT;
	ret = argo_ring_recv_iter_flags(ring, to, NULL, NULL, flags);
	if (ret < 0)
		return ret;
	ARGO_CHAR_COUNT(ep, msgs_received);
	return ret + sizeof(hdr);
}

/*
 * One whole message per read: struct argo_dev_msg, then the payload,
 * copied from the ring straight to the caller.
 */
static ssize_t argo_char_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct argo_char_ep *ep = iocb->ki_filp->private_data;
	bool nonblock = (iocb->ki_filp->f_flags & O_NONBLOCK) ||
			(iocb->ki_flags & IOCB_NOWAIT);
	struct argo_ring *ring;
	ssize_t ret;

	ARGO_CHAR_COUNT(ep, read);
	ret = argo_char_wait_msg(ep, nonblock, &ring);
	if (ret)
		return ret;
	ret = argo_char_take(ep, ring, to, 0);
	mutex_unlock(&ep->lock);
	return ret;
}

/*
 * Many whole messages per call, each at an ARGO_DEV_MSG_ALIGN offset, and
 * one notify for all of them: Xen wakes blocked senders only on notify,
 * so one per call is enough.
 */
static long argo_char_recv_many(struct file *file, void __user *arg)
{
	struct argo_char_ep *ep = file->private_data;
	bool nonblock = file->f_flags & O_NONBLOCK;
	struct argo_dev_recv_many rm;
	struct argo_ring *ring;
	struct iov_iter it;
	u8 __user *ubuf;
	u32 off = 0;
	ssize_t r;
	long ret;

	if (copy_from_user(&rm, arg, sizeof(rm)))
		return -EFAULT;
	if (rm.flags || rm.pad || !rm.max_msgs || rm.max_msgs > ARGO_DEV_BATCH_MAX)
		return -EINVAL;
	ubuf = u64_to_user_ptr(rm.buf);
	if (!access_ok(ubuf, rm.len))
		return -EFAULT;
	ret = argo_char_wait_msg(ep, nonblock, &ring);
	if (ret)
		return ret;
	rm.count = 0;
	rm.bytes = 0;
	while (rm.count < rm.max_msgs && off < rm.len) {
		iov_iter_ubuf(&it, ITER_DEST, ubuf + off, rm.len - off);
		/* Later messages: an empty ring ends the call, the caller waits later. */
		r = argo_char_take(ep, ring, &it, ARGO_RECV_NO_NOTIFY |
				   (rm.count ? ARGO_RECV_NO_ARM : 0));
		if (r < 0) {
			/* The first message's error is the call's; later ones end it. */
			if (!rm.count)
				ret = r;
			break;
		}
		rm.count++;
		rm.bytes = off + r;
		off = round_up(rm.bytes, ARGO_DEV_MSG_ALIGN);
		if (off < rm.bytes)	/* wrapped: the buffer ends here */
			break;
	}
	if (rm.count)
		argo_ring_notify(ring);
	mutex_unlock(&ep->lock);
	if (!rm.count)
		return ret;
	/* Taken is taken: report it even if the caller's struct went bad. */
	if (copy_to_user(arg, &rm, sizeof(rm)))
		pr_warn_ratelimited("recv_many: %u messages taken, count not written back\n",
				    rm.count);
	return rm.count;
}

static long argo_char_stats(struct argo_char_ep *ep, void __user *arg)
{
	struct argo_dev_stats st = { 0 };
	struct argo_core_stats cs;
	struct argo_ring_stats rs;
	struct argo_ring *ring;

	argo_core_stats(&cs);
	st.hc_sendv = cs.hc_sendv;
	st.hc_sendv_eagain = cs.hc_sendv_eagain;
	st.hc_notify = cs.hc_notify;
	st.hc_notify_query = cs.hc_notify_query;
	st.virqs = cs.virqs;
	mutex_lock(&ep->lock);
	ring = ep->ring;
	if (ring) {
		argo_ring_stats(ring, &rs);
		st.ring_msgs_received = rs.msgs_received;
		st.ring_notifies = rs.notifies;
		st.ring_rx_calls = rs.rx_calls;
	}
	mutex_unlock(&ep->lock);
#define ARGO_CHAR_STAT(f, s) (st.f = atomic64_read(&ep->st.s))
	ARGO_CHAR_STAT(sys_read, read);
	ARGO_CHAR_STAT(sys_write, write);
	ARGO_CHAR_STAT(sys_send, send);
	ARGO_CHAR_STAT(sys_send_many, send_many);
	ARGO_CHAR_STAT(sys_recv_many, recv_many);
	ARGO_CHAR_STAT(sys_poll, poll);
	ARGO_CHAR_STAT(sys_space, space);
	ARGO_CHAR_STAT(sys_other, other);
	ARGO_CHAR_STAT(rx_wakeups, rx_wakeups);
	ARGO_CHAR_STAT(tx_wakeups, tx_wakeups);
	ARGO_CHAR_STAT(tx_waits, tx_waits);
	ARGO_CHAR_STAT(msgs_sent, msgs_sent);
	ARGO_CHAR_STAT(msgs_received, msgs_received);
#undef ARGO_CHAR_STAT
	return copy_to_user(arg, &st, sizeof(st)) ? -EFAULT : 0;
}

static __poll_t argo_char_poll(struct file *file, poll_table *wait)
{
	struct argo_char_ep *ep = file->private_data;
	struct argo_ring *ring = smp_load_acquire(&ep->ring);
	struct argo_addr dst;
	__poll_t mask = 0;
	u32 len = 0;

	ARGO_CHAR_COUNT(ep, poll);
	poll_wait(file, &ep->rxq, wait);
	poll_wait(file, &ep->txq, wait);
	if (ring && argo_ring_peek(ring, NULL, NULL) != -EAGAIN)
		mask |= EPOLLIN | EPOLLRDNORM;

	spin_lock(&ep->cfg_lock);
	if (ep->connected) {
		dst = ep->dst;
		len = ep->poll_len;
	}
	spin_unlock(&ep->cfg_lock);
	/*
	 * Writable means "poll_len bytes fit at the default destination now";
	 * asking arms Xen's signal, which wakes txq. Unconnected, or a
	 * destination that will never take it: report writable so the
	 * caller's write() returns the error instead of waiting forever.
	 */
	if (!len || argo_space(&dst, len, NULL) != 0)
		mask |= EPOLLOUT | EPOLLWRNORM;
	return mask;
}

static long argo_char_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	struct argo_char_ep *ep = file->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case ARGO_IOC_SEND:
		ARGO_CHAR_COUNT(ep, send);
		break;
	case ARGO_IOC_SEND_MANY:
		ARGO_CHAR_COUNT(ep, send_many);
		break;
	case ARGO_IOC_RECV_MANY:
		ARGO_CHAR_COUNT(ep, recv_many);
		break;
	case ARGO_IOC_SPACE:
		ARGO_CHAR_COUNT(ep, space);
		break;
	default:
		ARGO_CHAR_COUNT(ep, other);
		break;
	}
	switch (cmd) {
	case ARGO_IOC_VERSION:
		return put_user((u32)ARGO_DEV_ABI_VERSION, (u32 __user *)uarg);
	case ARGO_IOC_BIND:
		return argo_char_bind(ep, uarg);
	case ARGO_IOC_SEND:
		return argo_char_send(file, uarg);
	case ARGO_IOC_SPACE:
		return argo_char_space_query(uarg);
	case ARGO_IOC_CONNECT:
		return argo_char_connect(ep, uarg);
	case ARGO_IOC_FEATURES:
		return argo_char_features(uarg);
	case ARGO_IOC_CABLE:
		return argo_char_cable(uarg);
	case ARGO_IOC_STATS:
		return argo_char_stats(ep, uarg);
	case ARGO_IOC_RECV_MANY:
		return argo_char_recv_many(file, uarg);
	case ARGO_IOC_SEND_MANY:
		return argo_char_send_many(file, uarg);
	default:
		return -ENOTTY;
	}
}

static int argo_char_open(struct inode *inode, struct file *file)
{
	struct argo_char_ep *ep = kzalloc(sizeof(*ep), GFP_KERNEL);

	if (!ep)
		return -ENOMEM;
	mutex_init(&ep->lock);
	mutex_init(&ep->tx_lock);
	spin_lock_init(&ep->cfg_lock);
	init_waitqueue_head(&ep->rxq);
	init_waitqueue_head(&ep->txq);
	ep->space.fn = argo_char_space;
	file->private_data = ep;
	return 0;
}

static int argo_char_release(struct inode *inode, struct file *file)
{
	struct argo_char_ep *ep = file->private_data;

	if (ep->listening)
		argo_space_waiter_del(&ep->space);
	argo_ring_destroy(ep->ring);
	kfree(ep);
	return 0;
}

static const struct file_operations argo_char_fops = {
	.owner = THIS_MODULE,
	.open = argo_char_open,
	.release = argo_char_release,
	.read_iter = argo_char_read_iter,
	.write = argo_char_write,
	.poll = argo_char_poll,
	.unlocked_ioctl = argo_char_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice argo_char_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "argo",
	.fops = &argo_char_fops,
	.mode = 0600,
};

module_misc_device(argo_char_dev);
MODULE_DESCRIPTION("/dev/argo: Argo endpoints for userspace");
MODULE_LICENSE("GPL");
