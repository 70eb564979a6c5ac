// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build check of compat.h, never loaded: `make check` builds every module
 * for both kernels with -Werror, so each helper is used here once, the way
 * the virtio and vsock transports will use it, and a helper that no longer
 * fits one of the kernels fails the build rather than the next module.
 * It wires ops tables it never registers.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-map-ops.h>
#include <linux/module.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_vsock.h>

#include "compat.h"

/* find_vqs: one implementation over struct argo_vq_info. */
static int compat_find_vqs(struct virtio_device *vdev, unsigned int nvqs,
			   struct virtqueue *vqs[], struct argo_vq_info info[],
			   struct irq_affinity *desc)
{
	unsigned int i;

	for (i = 0; i < nvqs; i++)
		if (info[i].name && (info[i].callback || info[i].ctx))
			vqs[i] = NULL;
	return -ENODEV;
}
ARGO_DEFINE_FIND_VQS(compat_find_vqs_op, compat_find_vqs);

static const struct virtio_config_ops compat_config_ops = {
	.find_vqs = compat_find_vqs_op,
};

/* DMA ops: the renamed member. */
static struct page *compat_alloc_pages(struct device *dev, size_t size,
				       dma_addr_t *dma_handle,
				       enum dma_data_direction dir, gfp_t gfp)
{
	return NULL;
}

static const struct dma_map_ops compat_dma_ops = {
	.argo_dma_alloc_pages_op = compat_alloc_pages,
};

/* vsock: the common callbacks only the newer kernel has. */
static struct virtio_transport compat_vsock = {
	.transport = {
		.stream_allow = virtio_transport_stream_allow,
		ARGO_VSOCK_COMMON_NEWER_OPS
	},
};

/* vsock packets: the rx skb, its length, and a sent packet given back. */
static void __maybe_unused compat_vsock_skb(void)
{
	struct sk_buff *skb = argo_vsock_alloc_rx_skb(VIRTIO_VSOCK_SKB_HEADROOM,
						      GFP_KERNEL);

	if (!skb)
		return;
	argo_vsock_skb_set_len(skb, 0);
	argo_vsock_skb_done(skb);
}

static int __init compat_init(void)
{
	pr_info("%ps %ps %ps: a build check, not to be loaded\n",
		compat_config_ops.find_vqs, compat_dma_ops.argo_dma_alloc_pages_op,
		compat_vsock.transport.stream_allow);
	return -ENODEV;
}
module_init(compat_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Build check of the Argo modules' kernel compatibility helpers");
