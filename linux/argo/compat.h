/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel API differences between the Debian kernels the modules are
 * built and tested for: Debian 12's 6.1 and Debian 13's 6.12. Each
 * difference is one named helper here, so the modules' code reads the same
 * on both and no .c file tests LINUX_VERSION_CODE: when a module meets a
 * new difference, add a helper here (and a use in test_compat.c, which
 * `make check` builds for both kernels).
 *
 * The version gates name the upstream release that made the change; only
 * 6.1 and 6.12 are built, so a kernel in between is not claimed to work.
 */
#ifndef ARGO_COMPAT_H
#define ARGO_COMPAT_H

#include <linux/version.h>

/*
 * Virtio transports: the find_vqs() config op.
 *
 * 6.1 passes each queue's callback, name and ctx flag in parallel arrays;
 * since 6.11 they come as one struct virtqueue_info per queue. A transport
 * writes one implementation taking struct argo_vq_info (the 6.12 layout,
 * which on 6.1 is built from the arrays) and wires it with
 * ARGO_DEFINE_FIND_VQS(op_name, impl):
 *
 *	static int vma_find_vqs(struct virtio_device *vdev, unsigned int nvqs,
 *				struct virtqueue *vqs[],
 *				struct argo_vq_info info[],
 *				struct irq_affinity *desc);
 *	ARGO_DEFINE_FIND_VQS(vma_find_vqs_op, vma_find_vqs);
 *	static const struct virtio_config_ops vma_config_ops = {
 *		.find_vqs = vma_find_vqs_op,
 *	};
 *
 * A queue whose name is NULL is not wanted: leave vqs[i] NULL, as every
 * in-tree transport does. Context: find_vqs may sleep.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)

#define argo_vq_info virtqueue_info

#define ARGO_DEFINE_FIND_VQS(op, impl)					\
static int op(struct virtio_device *vdev, unsigned int nvqs,		\
	      struct virtqueue *vqs[], struct virtqueue_info vqs_info[],	\
	      struct irq_affinity *desc)				\
{									\
	return impl(vdev, nvqs, vqs, vqs_info, desc);			\
}

#else /* 6.1 */

#include <linux/slab.h>
#include <linux/virtio_config.h>

struct argo_vq_info {
	const char *name;
	vq_callback_t *callback;
	bool ctx;
};

typedef int (*argo_find_vqs_impl_t)(struct virtio_device *vdev,
				    unsigned int nvqs, struct virtqueue *vqs[],
				    struct argo_vq_info info[],
				    struct irq_affinity *desc);

/* The arrays become one argo_vq_info per queue for the duration of the call. */
static inline int argo_compat_find_vqs(struct virtio_device *vdev,
				       unsigned int nvqs,
				       struct virtqueue *vqs[],
				       vq_callback_t *callbacks[],
				       const char * const names[],
				       const bool *ctx,
				       struct irq_affinity *desc,
				       argo_find_vqs_impl_t impl)
{
	struct argo_vq_info *info;
	unsigned int i;
	int err;

	info = kcalloc(nvqs, sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	for (i = 0; i < nvqs; i++) {
		info[i].name = names[i];
		info[i].callback = callbacks[i];
		info[i].ctx = ctx ? ctx[i] : false;
	}
	err = impl(vdev, nvqs, vqs, info, desc);
	kfree(info);
	return err;
}

#define ARGO_DEFINE_FIND_VQS(op, impl)					\
static int op(struct virtio_device *vdev, unsigned int nvqs,		\
	      struct virtqueue *vqs[], vq_callback_t *callbacks[],	\
	      const char * const names[], const bool *ctx,		\
	      struct irq_affinity *desc)				\
{									\
	return argo_compat_find_vqs(vdev, nvqs, vqs, callbacks, names,	\
				    ctx, desc, impl);			\
}

#endif

/*
 * DMA ops: 6.12 renamed struct dma_map_ops' alloc_pages to alloc_pages_op
 * (and dropped flags, alloc_noncontiguous and free_noncontiguous, which
 * the modules do not use). Write the member as .argo_dma_alloc_pages_op.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define argo_dma_alloc_pages_op alloc_pages_op
#else
#define argo_dma_alloc_pages_op alloc_pages
#endif

/*
 * AF_VSOCK transports on virtio_transport_common: 6.12's struct
 * vsock_transport has callbacks 6.1's lacks, each with a common
 * implementation. Put ARGO_VSOCK_COMMON_NEWER_OPS among the designated
 * initialisers of the transport, after the callbacks both kernels have:
 *
 *	.transport = {
 *		.stream_enqueue = virtio_transport_stream_enqueue,
 *		...
 *		ARGO_VSOCK_COMMON_NEWER_OPS
 *	},
 *
 * 6.1's set_rcvlowat is Hyper-V's alone (vsock_loopback leaves it
 * unset); 6.12's notify_set_rcvlowat is the common code's, set here.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define ARGO_VSOCK_COMMON_NEWER_OPS					\
	.notify_set_rcvlowat = virtio_transport_notify_set_rcvlowat,	\
	.unsent_bytes = virtio_transport_unsent_bytes,			\
	.read_skb = virtio_transport_read_skb,
#else
#define ARGO_VSOCK_COMMON_NEWER_OPS
#endif

/*
 * AF_VSOCK packets (struct sk_buff on both kernels: Debian's 6.1 carries
 * the sk_buff conversion of 6.2). Debian's 6.12 also carries the later
 * change (6.16, backported to 6.12.y) that may give a large packet a
 * paged, nonlinear skb, and renamed the length setter; and 6.12 counts a
 * socket's bytes not yet sent (SIOCOUTQ, 6.11), which the transport gives
 * back when it is done with a packet.
 *
 * argo_vsock_alloc_rx_skb(size): a linear skb for a received packet of
 * @size bytes, header included, so the whole message can be copied to
 * skb->head in one piece. argo_vsock_skb_set_len(skb, len): the payload
 * length, once received. argo_vsock_skb_done(skb): the transport is done
 * with a packet it was handed by send_pkt (sent or dropped); frees it.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define argo_vsock_alloc_rx_skb(size, gfp) virtio_vsock_alloc_linear_skb(size, gfp)
#define argo_vsock_skb_set_len(skb, len) virtio_vsock_skb_put(skb, len)
#define argo_vsock_skb_done(skb) virtio_transport_consume_skb_sent(skb, true)
#else
#define argo_vsock_alloc_rx_skb(size, gfp) virtio_vsock_alloc_skb(size, gfp)
/* 6.1 reads the length from the header, which the caller has checked. */
#define argo_vsock_skb_set_len(skb, len) virtio_vsock_skb_rx_put(skb)
#define argo_vsock_skb_done(skb) consume_skb(skb)
#endif

#endif /* ARGO_COMPAT_H */
