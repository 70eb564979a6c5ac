// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio_argo.ko: one virtio device per device discovery reports, its
 * control plane (virtio-msg messages, docs/virtio-argo.md §5, §10) and
 * its receive path. Config, features and status are cached here, so the
 * config ops that may run in atomic context never wait for the device.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>

#include "vtrans.h"

#define VTR_CTRL_TIMEOUT	(5 * HZ)
#define VTR_HELLO_TRIES		100	/* x 200 ms: a device still starting */
#define VTR_TX_MAX		(4U << 20)

/* Feature bits virtio_argo decides itself and never forwards (§13). */
#define VTR_RING_FEATURES \
	(BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC) | BIT_ULL(VIRTIO_RING_F_EVENT_IDX) | \
	 BIT_ULL(VIRTIO_F_RING_PACKED) | BIT_ULL(VIRTIO_F_IN_ORDER) | \
	 BIT_ULL(VIRTIO_F_ORDER_PLATFORM) | BIT_ULL(VIRTIO_F_SR_IOV) | \
	 BIT_ULL(38) | BIT_ULL(VIRTIO_F_RING_RESET) | \
	 BIT_ULL(30) | BIT_ULL(39))

static const struct argo_addr vtr_implicit = { .domain = ARGO_DOMID_IMPLICIT };

/* Control plane */

/*
 * Send one control request and wait for its answer, whose record (header
 * included) lands in d->ctrl_resp. The caller holds ctrl_mutex.
 * Context: process; sleeps.
 * Return: the answer's length, -ETIMEDOUT, -ECONNRESET (the session was
 * lost while waiting), or the send's error.
 */
int vtr_ctrl_locked(struct vtr_dev *d, u8 type, u8 msg_id, const u32 *w,
		    unsigned int nw, const void *tail, u32 tail_len)
{
	u8 buf[VTR_CTRL_MAX + 64];
	unsigned long flags, until;
	struct kvec iov;
	ssize_t n;
	int len, ret;

	lockdep_assert_held(&d->ctrl_mutex);
	if (++d->ctrl_token == 0)
		d->ctrl_token = 1;
	len = va_encode_ctrl(buf, sizeof(buf), type, msg_id, 0, d->ctrl_token,
			     w, nw, tail, tail_len);
	if (len < 0) {
		ret = len;
		goto out;
	}
	spin_lock_irqsave(&d->lock, flags);
	d->ctrl_waiting = true;
	d->ctrl_id = msg_id;
	d->ctrl_type = type | VA_TYPE_RESPONSE;
	d->ctrl_resp_len = 0;
	d->ctrl_err = 0;
	reinit_completion(&d->ctrl_done);
	spin_unlock_irqrestore(&d->lock, flags);

	iov.iov_base = buf;
	iov.iov_len = len;
	until = jiffies + VTR_CTRL_TIMEOUT;
	for (;;) {
		spin_lock_irqsave(&d->lock, flags);
		d->st.sendv_calls++;
		spin_unlock_irqrestore(&d->lock, flags);
		n = argo_sendv(d->rec.backend_port, &vtr_implicit, &iov, 1, 0);
		if (n != -EAGAIN || time_after(jiffies, until))
			break;
		msleep(2);
	}
	if (n < 0) {
		ret = n;
		goto out_stop;
	}
	spin_lock_irqsave(&d->lock, flags);
	d->st.msgs_sent++;
	spin_unlock_irqrestore(&d->lock, flags);
	if (!wait_for_completion_timeout(&d->ctrl_done, VTR_CTRL_TIMEOUT)) {
		ret = -ETIMEDOUT;
		goto out_stop;
	}
	ret = d->ctrl_err ? d->ctrl_err : d->ctrl_resp_len;
out_stop:
	spin_lock_irqsave(&d->lock, flags);
	d->ctrl_waiting = false;
	spin_unlock_irqrestore(&d->lock, flags);
out:
	return ret;
}

/* vtr_ctrl_locked() for one request. Context: process; sleeps. */
int vtr_ctrl(struct vtr_dev *d, u8 type, u8 msg_id, const u32 *w,
	     unsigned int nw, const void *tail, u32 tail_len)
{
	int ret;

	mutex_lock(&d->ctrl_mutex);
	ret = vtr_ctrl_locked(d, type, msg_id, w, nw, tail, tail_len);
	mutex_unlock(&d->ctrl_mutex);
	return ret;
}

/* Payload word i of the last answer. */
u32 vtr_word(struct vtr_dev *d, unsigned int i)
{
	if (VA_HDR_SIZE + 4 * (i + 1) > d->ctrl_resp_len)
		return 0;
	return va_get32(d->ctrl_resp + VA_HDR_SIZE + 4 * i);
}

/* Refresh the config cache. The caller holds ctrl_mutex. */
int vtr_read_config_locked(struct vtr_dev *d)
{
	u32 w[2] = { 0, d->config_size };
	unsigned long flags;
	int ret;

	if (!d->config_size)
		return 0;
	ret = vtr_ctrl_locked(d, 0, VA_MSG_GET_CONFIG, w, 2, NULL, 0);
	if (ret < 0)
		return ret;
	if (vtr_word(d, 2) != d->config_size ||
	    d->ctrl_resp_len < VA_HDR_SIZE + 12 + d->config_size)
		return -EIO;
	spin_lock_irqsave(&d->lock, flags);
	d->generation = vtr_word(d, 0);
	memcpy(d->config, d->ctrl_resp + VA_HDR_SIZE + 12, d->config_size);
	spin_unlock_irqrestore(&d->lock, flags);
	return 0;
}

static int vtr_read_config(struct vtr_dev *d)
{
	int ret;

	mutex_lock(&d->ctrl_mutex);
	ret = vtr_read_config_locked(d);
	mutex_unlock(&d->ctrl_mutex);
	return ret;
}

static void vtr_config_work(struct work_struct *work)
{
	struct vtr_dev *d = container_of(work, struct vtr_dev, config_work);

	if (vtr_read_config(d))
		dev_warn(&d->vdev.dev, "config changed but could not be read\n");
	virtio_config_changed(&d->vdev);
}

/* Receive path: the ring's callback, in hard IRQ. */

/* One record from the device. Under d->lock. */
static void vtr_rx_record(struct vtr_dev *d, const struct va_msg *m)
{
	if (m->msg_id == VA_MSG_CHAIN && !(m->type & VA_TYPE_BUS) &&
	    (m->type & VA_TYPE_RESPONSE))
		return vtr_chain_resp(d, m);
	/* The answer to a liveness probe: its arrival is all it says. */
	if (m->type == (VA_TYPE_BUS | VA_TYPE_RESPONSE) && m->msg_id == VA_BUS_PING)
		return;
	if (m->type & VA_TYPE_RESPONSE) {
		if (!d->ctrl_waiting || m->type != d->ctrl_type ||
		    m->msg_id != d->ctrl_id || m->token != d->ctrl_token ||
		    VA_HDR_SIZE + m->payload_len > sizeof(d->ctrl_resp)) {
			/* A late answer to a request that timed out. */
			pr_warn_ratelimited("device %u: unexpected answer, id 0x%x token %u: dropped\n",
					    d->rec.dev_num, m->msg_id, m->token);
			return;
		}
		memcpy(d->ctrl_resp, m->payload - VA_HDR_SIZE,
		       VA_HDR_SIZE + m->payload_len);
		d->ctrl_resp_len = VA_HDR_SIZE + m->payload_len;
		d->ctrl_waiting = false;
		complete(&d->ctrl_done);
		return;
	}
	if (m->type == 0 && m->msg_id == VA_MSG_EVENT_CONFIG) {
		if (va_word(m, 0) & VIRTIO_CONFIG_S_NEEDS_RESET)
			pr_warn_ratelimited("device %u: the device needs a reset (its back-end failed)\n",
					    d->rec.dev_num);
		if (d->registered)
			schedule_work(&d->config_work);
		return;
	}
	if (m->type == VA_TYPE_BUS && m->msg_id == VA_BUS_EVENT_RESET)
		return vtr_session_lost(d, "the device ended the session (EVENT_RESET)");
	vtr_fault_hostile(d, "unexpected record from the device");
}

static void vtr_rx_msg(struct vtr_dev *d, u32 len)
{
	const char *why = "malformed message";
	struct va_iter it;
	struct va_msg m;
	int ret;

	va_iter_init(&it, d->rx, len);
	while ((ret = va_next(&it, &m, &why)) > 0) {
		ret = va_validate(&m, 0, &why);
		if (ret)
			break;
		vtr_rx_record(d, &m);
	}
	/* Records before a bad one stand; the rest are not acted on (§11). */
	if (ret < 0)
		vtr_fault_hostile(d, why);
}

static void vtr_rx(struct argo_ring *ring, void *priv)
{
	struct vtr_dev *d = priv;
	struct argo_addr src;
	unsigned long flags;
	ssize_t n;

	spin_lock_irqsave(&d->lock, flags);
	for (;;) {
		n = argo_ring_recv(ring, d->rx, d->rx_cap, &src, NULL);
		if (n == -EAGAIN)
			break;
		if (n < 0) {
			pr_err_ratelimited("device %u: receive failed: %zd\n",
					   d->rec.dev_num, n);
			break;
		}
		d->st.msgs_received++;
		d->st.copied_rx += n;
		d->last_rx = jiffies;
		/* The device is whoever answered first (our HELLO): we know
		 * no domid, the cable does. */
		if (!d->peer_known) {
			d->peer = src;
			d->peer_known = true;
		} else if (src.domain != d->peer.domain || src.port != d->peer.port) {
			pr_warn_ratelimited("device %u: message from %u:%u, not the device's %u:%u: dropped\n",
					    d->rec.dev_num, src.domain, src.port,
					    d->peer.domain, d->peer.port);
			continue;
		}
		vtr_rx_msg(d, n);
	}
	spin_unlock_irqrestore(&d->lock, flags);
	vtr_interrupts(d);
}

/* Space appeared somewhere (VIRQ handler): retry what was blocked. */
static void vtr_space(struct argo_space_waiter *w)
{
	struct vtr_dev *d = container_of(w, struct vtr_dev, waiter);
	unsigned long flags;

	if (!READ_ONCE(d->tx_blocked))
		return;
	spin_lock_irqsave(&d->lock, flags);
	vtr_send_pending(d);
	spin_unlock_irqrestore(&d->lock, flags);
	vtr_interrupts(d);
}

static void vtr_irq_work(struct irq_work *iw)
{
	vtr_interrupts(container_of(iw, struct vtr_dev, iw));
}

/* Configuration interface */

static void vtr_get(struct virtio_device *vdev, unsigned int offset,
		    void *buf, unsigned int len)
{
	struct vtr_dev *d = to_vtr(vdev);
	unsigned long flags;

	if ((u64)offset + len > d->config_size) {
		memset(buf, 0, len);
		return;
	}
	spin_lock_irqsave(&d->lock, flags);
	memcpy(buf, d->config + offset, len);
	spin_unlock_irqrestore(&d->lock, flags);
}

static void vtr_set(struct virtio_device *vdev, unsigned int offset,
		    const void *buf, unsigned int len)
{
	struct vtr_dev *d = to_vtr(vdev);
	u32 w[3] = { d->generation, offset, len };

	if ((u64)offset + len > d->config_size)
		return;
	if (vtr_ctrl(d, 0, VA_MSG_SET_CONFIG, w, 3, buf, len) < 0 ||
	    vtr_word(d, 2) != len)
		dev_warn(&vdev->dev, "config write at %u (%u bytes) not applied\n",
			 offset, len);
	vtr_read_config(d);
}

static u32 vtr_generation(struct virtio_device *vdev)
{
	return READ_ONCE(to_vtr(vdev)->generation);
}

static u8 vtr_get_status(struct virtio_device *vdev)
{
	return READ_ONCE(to_vtr(vdev)->status);
}

static void vtr_set_status(struct virtio_device *vdev, u8 status)
{
	struct vtr_dev *d = to_vtr(vdev);
	u32 w = status;

	if (vtr_ctrl(d, 0, VA_MSG_SET_DEVICE_STATUS, &w, 1, NULL, 0) < 0) {
		dev_err(&vdev->dev, "status 0x%x: the device did not answer\n", status);
		WRITE_ONCE(d->status, status | VIRTIO_CONFIG_S_NEEDS_RESET);
		return;
	}
	WRITE_ONCE(d->status, vtr_word(d, 0));
}

static void vtr_reset(struct virtio_device *vdev)
{
	struct vtr_dev *d = to_vtr(vdev);
	unsigned long flags;
	u32 w = 0;

	/* Responses still coming are of the old epochs: dropped (§6.4). */
	spin_lock_irqsave(&d->lock, flags);
	vtr_queues_reset(d);
	spin_unlock_irqrestore(&d->lock, flags);
	if (vtr_ctrl(d, 0, VA_MSG_SET_DEVICE_STATUS, &w, 1, NULL, 0) < 0)
		dev_err(&vdev->dev, "reset: the device did not answer\n");
	WRITE_ONCE(d->status, 0);
}

static u64 vtr_get_features(struct virtio_device *vdev)
{
	struct vtr_dev *d = to_vtr(vdev);

	/* Ring layout is ours to decide: plain split rings (§13). */
	return (d->dev_features & ~VTR_RING_FEATURES) |
	       BIT_ULL(VIRTIO_F_VERSION_1) | BIT_ULL(VIRTIO_F_ACCESS_PLATFORM);
}

static int vtr_finalize_features(struct virtio_device *vdev)
{
	struct vtr_dev *d = to_vtr(vdev);
	u64 f;
	u32 w[4];

	vring_transport_features(vdev);
	vdev->features &= ~VTR_RING_FEATURES;
	if (!__virtio_test_bit(vdev, VIRTIO_F_VERSION_1)) {
		dev_err(&vdev->dev, "the driver did not take VERSION_1\n");
		return -EINVAL;
	}
	f = vtr_forwarded_features(d);
	w[0] = 0;
	w[1] = 2;
	w[2] = (u32)f;
	w[3] = (u32)(f >> 32);
	return vtr_ctrl(d, 0, VA_MSG_SET_DRIVER_FEATURES, w, 4, NULL, 0) < 0 ? -EIO : 0;
}

/* What the driver took and the device offered: all the device is told. */
u64 vtr_forwarded_features(struct vtr_dev *d)
{
	return d->vdev.features & d->dev_features;
}

static const char *vtr_bus_name(struct virtio_device *vdev)
{
	return "virtio-argo";
}

ARGO_DEFINE_FIND_VQS(vtr_find_vqs_op, vtr_find_vqs);

const struct virtio_config_ops vtr_config_ops = {
	.get = vtr_get,
	.set = vtr_set,
	.generation = vtr_generation,
	.get_status = vtr_get_status,
	.set_status = vtr_set_status,
	.reset = vtr_reset,
	.find_vqs = vtr_find_vqs_op,
	.del_vqs = vtr_del_vqs,
	.get_features = vtr_get_features,
	.finalize_features = vtr_finalize_features,
	.bus_name = vtr_bus_name,
};

/* Counters, for make bench: see docs/virtio-argo.md §18. */
static int vtr_stats_show(struct seq_file *s, void *v)
{
	struct vtr_dev *d = s->private;
	struct vtr_stats st;
	unsigned long flags;

	spin_lock_irqsave(&d->lock, flags);
	st = d->st;
	spin_unlock_irqrestore(&d->lock, flags);
	seq_printf(s, "requests %llu\ncompletions %llu\nlocal_fails %llu\n"
		   "msgs_sent %llu\nsendv_calls %llu\nspace_queries %llu\n"
		   "msgs_received %llu\nhypercalls %llu\n"
		   "bytes_out %llu\nbytes_in %llu\n"
		   "copied_out %llu\ncopied_in %llu\ncopied_rx %llu\n"
		   "stale %llu\nerrors %llu\ntx_blocked %llu\n"
		   "avail_taken %llu\nused_published %llu\nsessions %llu\n"
		   "session_losses %llu\nresent %llu\nprobes %llu\n",
		   st.requests, st.completions, st.local_fails, st.msgs_sent,
		   st.sendv_calls, st.space_queries, st.msgs_received,
		   /* each received message costs one notify hypercall */
		   st.sendv_calls + st.space_queries + st.msgs_received,
		   st.bytes_out, st.bytes_in, st.copied_out, st.copied_in,
		   st.copied_rx, st.stale, st.errors, st.tx_blocked,
		   st.avail_taken, st.used_published, st.sessions,
		   st.session_losses, st.resent, st.probes);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vtr_stats);

/* Device lifecycle */

static void vtr_release(struct device *dev)
{
	kfree(container_of(dev, struct vtr_dev, vdev.dev));
}

static void vtr_teardown(struct vtr_dev *d)
{
	vtr_session_stop(d);
	argo_space_waiter_del(&d->waiter);
	argo_ring_destroy(d->ring);
	irq_work_sync(&d->iw);
	cancel_work_sync(&d->config_work);
	debugfs_remove_recursive(d->debugfs);
	vfree(d->tx);
	vfree(d->rx);
}

/*
 * HELLO until the device answers, up to @tries times 200 ms: it may still
 * be starting (or restarting). The caller holds ctrl_mutex. Return: 0 with
 * the device's max_msg in d->tx_cap's place (vtr_word(d, 2)), or an error.
 */
int vtr_hello(struct vtr_dev *d, unsigned int tries)
{
	u32 w[4] = { VA_VIRTIO_MSG_REVISION, VA_VERSION, d->rx_cap, VA_HELLO_F_BATCH };
	unsigned long flags;
	int ret = -ESHUTDOWN;

	while (tries-- && !READ_ONCE(d->stopping)) {
		ret = vtr_ctrl_locked(d, VA_TYPE_BUS, VA_BUS_HELLO, w, 4, NULL, 0);
		if (ret != -ECONNREFUSED && ret != -ESRCH && ret != -ENOTCONN)
			break;
		msleep(200);
	}
	if (ret == -EACCES || ret == -EPERM) {
		pr_err("device %u: the Argo firewall refuses port %u's cable (%d): no device\n",
		       d->rec.dev_num, d->rec.backend_port, ret);
		return ret;
	}
	if (ret < 0) {
		pr_err("device %u: no answer to HELLO through port %u: %d\n",
		       d->rec.dev_num, d->rec.backend_port, ret);
		return ret;
	}
	if (vtr_word(d, 0) != VA_VIRTIO_MSG_REVISION || vtr_word(d, 1) != VA_VERSION ||
	    !(vtr_word(d, 3) & VA_HELLO_F_BATCH) || vtr_word(d, 2) < VA_MIN_MSG ||
	    vtr_word(d, 2) > VA_MAX_MSG) {
		pr_err("device %u: the device speaks revision %u version %u max_msg %u features 0x%x: not ours\n",
		       d->rec.dev_num, vtr_word(d, 0), vtr_word(d, 1), vtr_word(d, 2),
		       vtr_word(d, 3));
		return -EPROTO;
	}
	spin_lock_irqsave(&d->lock, flags);
	d->st.sessions++;
	spin_unlock_irqrestore(&d->lock, flags);
	return 0;
}

static int vtr_probe_device(struct vtr_dev *d)
{
	u32 w[2] = { 0, 2 };
	int ret;

	mutex_lock(&d->ctrl_mutex);
	ret = vtr_hello(d, VTR_HELLO_TRIES);
	mutex_unlock(&d->ctrl_mutex);
	if (ret)
		return ret;
	d->tx_cap = min(vtr_word(d, 2), VTR_TX_MAX);
	d->tx_alloc = d->tx_cap;
	d->tx = vmalloc(d->tx_cap);
	if (!d->tx)
		return -ENOMEM;
	ret = vtr_ctrl(d, 0, VA_MSG_GET_DEVICE_INFO, NULL, 0, NULL, 0);
	if (ret < 0)
		return ret;
	d->device_id = vtr_word(d, 0);
	d->vendor_id = vtr_word(d, 1);
	d->config_size = vtr_word(d, 7);
	d->max_vqs = vtr_word(d, 8);
	if (!d->device_id || d->device_id != d->rec.device_id) {
		pr_err("device %u: the device reports type %u, discovery said %u\n",
		       d->rec.dev_num, d->device_id, d->rec.device_id);
		return -ENODEV;
	}
	if (d->config_size > VTR_CONFIG_MAX) {
		pr_err("device %u: config space of %u bytes, over %u\n",
		       d->rec.dev_num, d->config_size, VTR_CONFIG_MAX);
		return -EMSGSIZE;
	}
	ret = vtr_ctrl(d, 0, VA_MSG_GET_DEVICE_FEATURES, w, 2, NULL, 0);
	if (ret < 0)
		return ret;
	d->dev_features = vtr_word(d, 2) | ((u64)vtr_word(d, 3) << 32);
	if (!(d->dev_features & BIT_ULL(VIRTIO_F_VERSION_1))) {
		pr_err("device %u: the device does not offer VERSION_1\n", d->rec.dev_num);
		return -ENODEV;
	}
	return vtr_read_config(d);
}

/*
 * Create the device discovery reported, ask it what it is, and register
 * it with the virtio core. Context: process; sleeps (up to ~20 s while
 * the device is not answering yet). Return: the device or ERR_PTR.
 */
struct vtr_dev *vtr_dev_add(const struct argo_disc_dev *rec)
{
	struct vtr_dev *d;
	char name[16];
	int ret;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return ERR_PTR(-ENOMEM);
	d->rec = *rec;
	spin_lock_init(&d->lock);
	mutex_init(&d->ctrl_mutex);
	init_completion(&d->ctrl_done);
	INIT_WORK(&d->config_work, vtr_config_work);
	init_irq_work(&d->iw, vtr_irq_work);
	vtr_session_init(d);
	d->waiter.fn = vtr_space;
	/* Our max_msg: the largest message Xen puts in our ring. */
	d->rx_cap = min(rec->frontend_ring - 32, VA_MAX_MSG);
	d->rx = vmalloc(d->rx_cap);
	if (!d->rx) {
		kfree(d);
		return ERR_PTR(-ENOMEM);
	}
	d->ring = argo_ring_create(rec->backend_port, ARGO_DOMID_ANY,
				   rec->frontend_ring, 0, vtr_rx, d);
	if (IS_ERR(d->ring)) {
		ret = PTR_ERR(d->ring);
		pr_err("device %u: cannot register a ring on port %u: %d\n",
		       rec->dev_num, rec->backend_port, ret);
		vfree(d->rx);
		kfree(d);
		return ERR_PTR(ret);
	}
	argo_space_waiter_add(&d->waiter);
	snprintf(name, sizeof(name), "dev%u", rec->dev_num);
	d->debugfs = debugfs_create_file(name, 0444, vtr_debugfs_root(), d,
					 &vtr_stats_fops);
	ret = vtr_probe_device(d);
	if (ret)
		goto err_teardown;

	d->vdev.dev.parent = vtr_dma_parent();
	d->vdev.dev.release = vtr_release;
	d->vdev.id.device = d->device_id;
	d->vdev.id.vendor = d->vendor_id;
	d->vdev.config = &vtr_config_ops;
	d->registered = true;
	ret = register_virtio_device(&d->vdev);
	if (ret) {
		pr_err("device %u: register_virtio_device: %d\n", rec->dev_num, ret);
		d->registered = false;
		vtr_teardown(d);
		put_device(&d->vdev.dev);
		return ERR_PTR(ret);
	}
	pr_info("device %u: virtio type %u on port %u, %u queues, max_msg %u/%u\n",
		rec->dev_num, d->device_id, rec->backend_port, d->max_vqs,
		d->tx_cap, d->rx_cap);
	return d;

err_teardown:
	vtr_teardown(d);
	kfree(d);
	return ERR_PTR(ret);
}

/* Context: process; sleeps. */
void vtr_dev_remove(struct vtr_dev *d)
{
	get_device(&d->vdev.dev);
	/* No restart from here on: what it held fails, so the driver's
	 * removal does not wait for requests that would never complete. */
	vtr_session_stop(d);
	unregister_virtio_device(&d->vdev);
	vtr_teardown(d);
	put_device(&d->vdev.dev);
}
