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
};

static void argo_char_rx(struct argo_ring *ring, void *priv)
{
	struct argo_char_ep *ep = priv;

	wake_up_interruptible(&ep->rxq);
}

static void argo_char_space(struct argo_space_waiter *w)
{
	struct argo_char_ep *ep = container_of(w, struct argo_char_ep, space);

	atomic_inc(&ep->space_seq);
	wake_up_interruptible(&ep->txq);
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
				ARGO_RING_READ_SLEEP, argo_char_rx, ep);
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
 * Send one message. Blocking, it waits until the message fits: a sendv
 * that Xen refuses with EAGAIN also arms Xen's space signal for exactly
 * this message's size, so one hypercall serves the common case and the
 * full ring costs no extra query. The payload is bounced so Xen copies
 * exactly the bytes we took, once.
 */
static ssize_t argo_char_send_msg(struct file *file, const struct argo_addr *dst,
				  const void __user *ubuf, size_t len, u32 type)
{
	struct argo_char_ep *ep = file->private_data;
	bool block = !(file->f_flags & O_NONBLOCK);
	struct kvec iov;
	ssize_t ret;
	void *buf;
	int seq;

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
	for (;;) {
		/* Read the signal count first so a signal after sendv wakes us. */
		seq = atomic_read(&ep->space_seq);
		ret = argo_sendv(READ_ONCE(ep->port), dst, &iov, 1, type);
		/* EBUSY: too many senders wait on that ring; no signal will come. */
		if (ret != -EAGAIN || !block)
			break;
		ret = wait_event_interruptible(ep->txq,
					       atomic_read(&ep->space_seq) != seq);
		if (ret)
			break;
	}
	if (block)
		mutex_unlock(&ep->tx_lock);
out_free:
	kvfree(buf);
	return ret;
}

/* Send to the default destination set by ARGO_IOC_CONNECT, type 0. */
static ssize_t argo_char_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct argo_char_ep *ep = file->private_data;
	struct argo_addr dst;
	bool connected;

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
 * One whole message per read: struct argo_dev_msg, then the payload,
 * copied from the ring straight to the caller. A buffer too small, or one
 * that faults, loses nothing: the message stays queued.
 */
static ssize_t argo_char_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct argo_char_ep *ep = iocb->ki_filp->private_data;
	bool nonblock = (iocb->ki_filp->f_flags & O_NONBLOCK) ||
			(iocb->ki_flags & IOCB_NOWAIT);
	struct argo_dev_msg hdr = { 0 };
	struct argo_addr src;
	struct argo_ring *ring;
	ssize_t len, ret;

	mutex_lock(&ep->lock);
	ring = ep->ring;
	if (!ring) {
		ret = -ENOTCONN;
		goto out_unlock;
	}
	for (;;) {
		len = argo_ring_peek(ring, &src, &hdr.type);
		if (len != -EAGAIN)
			break;
		if (nonblock) {
			ret = -EAGAIN;
			goto out_unlock;
		}
		mutex_unlock(&ep->lock);
		/* The ring lives until release, which cannot run during read. */
		ret = wait_event_interruptible(ep->rxq, argo_ring_has_data(ring));
		if (ret)
			return ret;
		mutex_lock(&ep->lock);
	}
	if (len < 0) {
		ret = len;
		goto out_unlock;
	}
	if (iov_iter_count(to) < sizeof(hdr) + len) {
		ret = -EMSGSIZE;
		goto out_unlock;
	}
	/* ep->lock makes us the ring's only reader: recv takes what peek saw. */
	hdr.src.domain = src.domain;
	hdr.src.port = src.port;
	hdr.len = len;
	if (copy_to_iter(&hdr, sizeof(hdr), to) != sizeof(hdr)) {
		ret = -EFAULT;
		goto out_unlock;
	}
	ret = argo_ring_recv_iter(ring, to, NULL, NULL);
	if (ret >= 0)
		ret += sizeof(hdr);
out_unlock:
	mutex_unlock(&ep->lock);
	return ret;
}

static __poll_t argo_char_poll(struct file *file, poll_table *wait)
{
	struct argo_char_ep *ep = file->private_data;
	struct argo_ring *ring = smp_load_acquire(&ep->ring);
	struct argo_addr dst;
	__poll_t mask = 0;
	u32 len = 0;

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
