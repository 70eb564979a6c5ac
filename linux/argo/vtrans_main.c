// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio_argo.ko: a virtio transport over Argo (docs/virtio-argo.md).
 * This file is its discovery client (docs/discovery.md): it asks the
 * guest's discovery port which devices the guest has, subscribes to
 * hot-add and hot-remove events, and creates or removes one virtio device
 * per device. The guest knows no domid: the toolstack's patch cables
 * route the discovery port and each device's port.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include <argo/ports.h>
#include "vtrans.h"

static unsigned int disc_port = ARGO_PORT_DISCOVERY_CLIENT;
module_param(disc_port, uint, 0444);
MODULE_PARM_DESC(disc_port, "Discovery source port, cabled to the discovery service");
static unsigned int event_port = ARGO_PORT_DISCOVERY_EVENTS;
module_param(event_port, uint, 0444);
MODULE_PARM_DESC(event_port, "Port the discovery service sends hot-add/remove events to");

#define VTR_DISC_RING	16384

struct vtr_entry {
	struct list_head node;
	u16 dev_num;
	struct vtr_dev *dev;
};

static const struct argo_addr vtr_implicit = { .domain = ARGO_DOMID_IMPLICIT };
static struct argo_ring *vtr_disc_ring, *vtr_event_ring;
static struct workqueue_struct *vtr_wq;
static struct work_struct vtr_disc_work;
static struct dentry *vtr_debugfs;
static LIST_HEAD(vtr_devs);		/* under the work: one at a time */
static int vtr_server = -1;		/* the service's domain, from its first answer */
static u16 vtr_token;
static bool vtr_stopping;

struct dentry *vtr_debugfs_root(void)
{
	return vtr_debugfs;
}

static int vtr_disc_send(struct argo_disc_msg *m)
{
	u8 buf[ARGO_DISC_MSG_MAX];
	struct kvec iov;
	ssize_t n;
	int len;

	m->hdr.type = ARGO_DISC_TYPE_BUS;
	m->hdr.token = ++vtr_token;
	len = argo_disc_encode(buf, sizeof(buf), m, NULL);
	if (len < 0)
		return len;
	iov.iov_base = buf;
	iov.iov_len = len;
	n = argo_sendv(disc_port, &vtr_implicit, &iov, 1, ARGO_DISC_MSG_TYPE);
	if (n < 0)
		pr_err("discovery request 0x%x through port %u failed: %zd\n",
		       m->hdr.msg_id, disc_port, n);
	return n < 0 ? n : 0;
}

static int vtr_list(u16 offset)
{
	struct argo_disc_msg m = { .hdr.msg_id = ARGO_DISC_MSG_GET_DEVICES };

	m.u.get_req.offset = offset;
	/* The window [offset, offset + count) may reach 65536. */
	m.u.get_req.count = offset ? 65536 - offset : 65535;
	return vtr_disc_send(&m);
}

static struct vtr_entry *vtr_find(u16 dev_num)
{
	struct vtr_entry *e;

	list_for_each_entry(e, &vtr_devs, node)
		if (e->dev_num == dev_num)
			return e;
	return NULL;
}

static void vtr_added(const struct argo_disc_dev *rec)
{
	struct vtr_entry *e;
	struct vtr_dev *d;

	if (vtr_find(rec->dev_num))
		return;
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return;
	d = vtr_dev_add(rec);
	if (IS_ERR(d)) {
		/* Logged by vtr_dev_add; nothing of it is left. */
		kfree(e);
		return;
	}
	e->dev_num = rec->dev_num;
	e->dev = d;
	list_add_tail(&e->node, &vtr_devs);
}

static void vtr_removed(u16 dev_num)
{
	struct vtr_entry *e = vtr_find(dev_num);

	if (!e)
		return;
	pr_info("device %u: removed\n", dev_num);
	list_del(&e->node);
	vtr_dev_remove(e->dev);
	kfree(e);
}

static void vtr_disc_handle(const u8 *buf, u32 len, const struct argo_addr *src)
{
	struct argo_disc_msg m;
	struct argo_disc_dev rec;
	unsigned int i;
	int st;

	st = argo_disc_decode(buf, len, &m);
	if (st != ARGO_DISC_OK) {
		pr_warn_ratelimited("discovery message from %u:%u refused: %s\n",
				    src->domain, src->port, m.why ? m.why : "?");
		return;
	}
	if (vtr_server < 0)
		vtr_server = src->domain;
	if (src->domain != vtr_server) {
		pr_warn_ratelimited("discovery message from domain %u, not the service's %d: dropped\n",
				    src->domain, vtr_server);
		return;
	}
	if (!(m.hdr.type & ARGO_DISC_TYPE_RESPONSE)) {
		if (m.hdr.msg_id != ARGO_DISC_MSG_EVENT_DEVICE)
			return;
		if (argo_disc_dev_invalid(&m.u.event.dev))
			return;
		if (m.u.event.state == ARGO_DISC_DEV_ADDED)
			vtr_added(&m.u.event.dev);
		else if (m.u.event.state == ARGO_DISC_DEV_REMOVED)
			vtr_removed(m.u.event.dev.dev_num);
		return;
	}
	if (m.hdr.status != ARGO_DISC_OK) {
		pr_err("discovery request 0x%x refused: %s\n", m.hdr.msg_id,
		       argo_disc_strstatus(m.hdr.status));
		return;
	}
	if (m.hdr.msg_id != ARGO_DISC_MSG_GET_DEVICES)
		return;
	for (i = 0; i < m.u.get_resp.count; i++) {
		argo_disc_record(&m, i, &rec);
		vtr_added(&rec);
	}
	if (m.u.get_resp.next_offset)
		vtr_list(m.u.get_resp.next_offset);
}

/* As large as the ring, so an oversized message is read and dropped. */
static u8 vtr_disc_buf[VTR_DISC_RING];

static void vtr_disc_drain(struct argo_ring *ring)
{
	u8 *buf = vtr_disc_buf;
	struct argo_addr src;
	u32 type;
	ssize_t n;

	while (!READ_ONCE(vtr_stopping)) {
		n = argo_ring_recv(ring, buf, VTR_DISC_RING, &src, &type);
		if (n < 0)
			break;
		if (type != ARGO_DISC_MSG_TYPE)
			continue;
		vtr_disc_handle(buf, n, &src);
	}
}

static void vtr_disc_work_fn(struct work_struct *work)
{
	vtr_disc_drain(vtr_disc_ring);
	vtr_disc_drain(vtr_event_ring);
}

static void vtr_disc_rx(struct argo_ring *ring, void *priv)
{
	queue_work(vtr_wq, &vtr_disc_work);
}

static int __init vtr_init(void)
{
	struct argo_disc_msg sub = { .hdr.msg_id = ARGO_DISC_MSG_SUBSCRIBE };
	int ret;

	ret = vtr_dma_init();
	if (ret)
		return ret;
	vtr_wq = alloc_ordered_workqueue("virtio_argo", 0);
	if (!vtr_wq) {
		ret = -ENOMEM;
		goto err_dma;
	}
	INIT_WORK(&vtr_disc_work, vtr_disc_work_fn);
	vtr_debugfs = debugfs_create_dir("virtio_argo", NULL);
	vtr_disc_ring = argo_ring_create(disc_port, ARGO_DOMID_ANY, VTR_DISC_RING,
					 0, vtr_disc_rx, NULL);
	if (IS_ERR(vtr_disc_ring)) {
		ret = PTR_ERR(vtr_disc_ring);
		pr_err("cannot bind the discovery port %u: %d\n", disc_port, ret);
		goto err_wq;
	}
	vtr_event_ring = argo_ring_create(event_port, ARGO_DOMID_ANY, VTR_DISC_RING,
					  0, vtr_disc_rx, NULL);
	if (IS_ERR(vtr_event_ring)) {
		ret = PTR_ERR(vtr_event_ring);
		pr_err("cannot bind the event port %u: %d\n", event_port, ret);
		goto err_disc;
	}
	/* Subscribe first, so no device added in between is missed. */
	sub.u.sub.event_port = event_port;
	sub.u.sub.flags = ARGO_DISC_SUB_ON;
	ret = vtr_disc_send(&sub);
	if (!ret)
		ret = vtr_list(0);
	if (ret)
		goto err_event;
	return 0;

err_event:
	argo_ring_destroy(vtr_event_ring);
err_disc:
	argo_ring_destroy(vtr_disc_ring);
err_wq:
	debugfs_remove_recursive(vtr_debugfs);
	destroy_workqueue(vtr_wq);
err_dma:
	vtr_dma_exit();
	return ret;
}

static void __exit vtr_exit(void)
{
	struct vtr_entry *e, *tmp;

	WRITE_ONCE(vtr_stopping, true);
	argo_ring_destroy(vtr_event_ring);
	argo_ring_destroy(vtr_disc_ring);
	destroy_workqueue(vtr_wq);
	list_for_each_entry_safe(e, tmp, &vtr_devs, node) {
		list_del(&e->node);
		vtr_dev_remove(e->dev);
		kfree(e);
	}
	debugfs_remove_recursive(vtr_debugfs);
	vtr_dma_exit();
}

module_init(vtr_init);
module_exit(vtr_exit);
MODULE_DESCRIPTION("virtio transport over Xen Argo");
MODULE_LICENSE("GPL");
