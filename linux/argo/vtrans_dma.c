// SPDX-License-Identifier: GPL-2.0-only
/*
 * The transport's parent device and its DMA ops. On Xen,
 * vring_use_dma_api() is always true, so virtio_ring maps every buffer
 * and allocates every vring through the parent's DMA ops; Xen PV's own
 * (swiotlb-xen) would hand out machine addresses and bounce buffers. A
 * copying transport wants neither: these ops give back the guest-physical
 * address of the memory itself, which the transport turns back into a
 * kernel pointer when it copies (the vDPA simulator's pattern). Nothing is
 * ever handed to a device, so there is nothing to sync or unmap.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/dma-map-ops.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/scatterlist.h>

#include "vtrans.h"

static struct device *vtr_parent;

static dma_addr_t vtr_map_page(struct device *dev, struct page *page,
			       unsigned long offset, size_t size,
			       enum dma_data_direction dir, unsigned long attrs)
{
	return page_to_phys(page) + offset;
}

static void vtr_unmap_page(struct device *dev, dma_addr_t addr, size_t size,
			   enum dma_data_direction dir, unsigned long attrs)
{
}

static int vtr_map_sg(struct device *dev, struct scatterlist *sgl, int nents,
		      enum dma_data_direction dir, unsigned long attrs)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i) {
		sg->dma_address = sg_phys(sg);
		sg_dma_len(sg) = sg->length;
	}
	return nents;
}

static void vtr_unmap_sg(struct device *dev, struct scatterlist *sgl,
			 int nents, enum dma_data_direction dir,
			 unsigned long attrs)
{
}

static void *vtr_alloc(struct device *dev, size_t size, dma_addr_t *handle,
		       gfp_t gfp, unsigned long attrs)
{
	void *p = alloc_pages_exact(size, gfp | __GFP_ZERO);

	if (p)
		*handle = virt_to_phys(p);
	return p;
}

static void vtr_free(struct device *dev, size_t size, void *vaddr,
		     dma_addr_t handle, unsigned long attrs)
{
	free_pages_exact(vaddr, size);
}

static const struct dma_map_ops vtr_dma_ops = {
	.alloc = vtr_alloc,
	.free = vtr_free,
	.map_page = vtr_map_page,
	.unmap_page = vtr_unmap_page,
	.map_sg = vtr_map_sg,
	.unmap_sg = vtr_unmap_sg,
};

int vtr_dma_init(void)
{
	vtr_parent = root_device_register("virtio-argo");
	if (IS_ERR(vtr_parent))
		return PTR_ERR(vtr_parent);
	vtr_parent->coherent_dma_mask = DMA_BIT_MASK(64);
	vtr_parent->dma_mask = &vtr_parent->coherent_dma_mask;
	set_dma_ops(vtr_parent, &vtr_dma_ops);
	if (!vtr_dma_ours(vtr_parent)) {
		pr_err("this kernel cannot give a device its own DMA ops (CONFIG_DMA_OPS off?): refusing\n");
		root_device_unregister(vtr_parent);
		return -ENODEV;
	}
	return 0;
}

void vtr_dma_exit(void)
{
	root_device_unregister(vtr_parent);
}

struct device *vtr_dma_parent(void)
{
	return vtr_parent;
}

/*
 * With CONFIG_XEN_VIRTIO, Xen's grant DMA ops can be put on a virtio
 * device's parent behind our back; then descriptor addresses would be
 * grant references, not memory we can copy. Debian builds it off; a kernel
 * that has it is refused by checking, before each use, that the ops are
 * still ours.
 */
bool vtr_dma_ours(struct device *dev)
{
	return get_dma_ops(dev) == &vtr_dma_ops;
}
