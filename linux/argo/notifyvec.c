// SPDX-License-Identifier: GPL-2.0-only
/*
 * Argo's signals on a local APIC vector (docs/hv-interface.md section 4):
 * instead of VIRQ_ARGO on an event channel, the hypervisor injects a
 * vector of the driver's choosing into one vCPU's local APIC.
 *
 * The vector is owned the way the kernel owns any other: a child IRQ
 * domain under the x86 vector domain allocates one Linux IRQ, whose
 * vector and CPU the vector allocator picks (and moves, when the IRQ's
 * affinity changes); the hypervisor is told that vector and CPU, and told
 * again after every move. No event channel, no kernel hook, no vector
 * taken behind the allocator's back. Interrupts arrive through the
 * ordinary x86 entry (common_interrupt, then handle_edge_irq) and are
 * acknowledged by the parent chip (the local APIC's EOI).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <asm/hw_irq.h>
#include <asm/irqdomain.h>
#include <xen/xen-ops.h>

#include "notifyvec.h"

static struct {
	struct fwnode_handle *fwnode;
	struct irq_domain *domain;
	int irq;
	const struct argo_hv_ops *hv;
	/* What the hypervisor was last told; under the IRQ's desc lock. */
	bool told;
	unsigned int cpu;
	u32 vcpu;
	u8 vector;
	atomic64_t retargets;
	atomic64_t tell_errors;
} argo_nv = { .irq = -1 };

/*
 * Tell the hypervisor where the IRQ's vector now is. Called once the IRQ
 * is started, and from set_affinity with the desc lock held and
 * interrupts off (the MSR and hypercall mechanisms both allow that).
 */
static long argo_nv_tell(struct irq_data *d)
{
	struct argo_xen_notify_vector nv = { };
	struct irq_cfg *cfg = irqd_cfg(d);
	unsigned int cpu;
	long ret;

	cpu = cpumask_first(irq_data_get_effective_affinity_mask(d));
	if (!cfg || cfg->vector < ARGO_NOTIFY_VECTOR_MIN || cpu >= nr_cpu_ids)
		return -EINVAL;
	nv.vcpu = xen_vcpu_nr(cpu);
	nv.vector = cfg->vector;
	ret = argo_nv.hv->notify_vector(&nv);
	if (ret) {
		atomic64_inc(&argo_nv.tell_errors);
		return ret;
	}
	if (argo_nv.told)
		atomic64_inc(&argo_nv.retargets);
	argo_nv.told = true;
	argo_nv.cpu = cpu;
	argo_nv.vcpu = nv.vcpu;
	argo_nv.vector = nv.vector;
	return 0;
}

/*
 * The vector allocator moves the vector first; the old vector stays
 * valid until the first interrupt on the new one (the x86 vector domain's
 * cleanup), and the hypervisor raises the new vector once when told, so
 * an event racing with the move lands on either and is never lost.
 */
static int argo_nv_set_affinity(struct irq_data *d, const struct cpumask *mask,
				bool force)
{
	int ret = irq_chip_set_affinity_parent(d, mask, force);

	if (ret >= 0 && argo_nv.told && argo_nv_tell(d))
		pr_warn_ratelimited("could not move the notification vector\n");
	return ret;
}

/*
 * The hypervisor cannot hold a signal back: masking is the core's own
 * (a signal arriving meanwhile is marked pending and replayed through
 * irq_retrigger, a self-IPI of the vector).
 */
static void argo_nv_noop(struct irq_data *d)
{
}

static struct irq_chip argo_nv_chip = {
	.name = "ARGO-VECTOR",
	.irq_ack = irq_chip_ack_parent,
	.irq_mask = argo_nv_noop,
	.irq_unmask = argo_nv_noop,
	.irq_set_affinity = argo_nv_set_affinity,
	.irq_retrigger = irq_chip_retrigger_hierarchy,
	.flags = IRQCHIP_SKIP_SET_WAKE,
};

static int argo_nv_alloc(struct irq_domain *domain, unsigned int virq,
			 unsigned int nr_irqs, void *arg)
{
	int ret = irq_domain_alloc_irqs_parent(domain, virq, nr_irqs, arg);

	if (ret)
		return ret;
	/* One IRQ: hwirq 0. */
	irq_domain_set_info(domain, virq, 0, &argo_nv_chip, NULL,
			    handle_edge_irq, NULL, "edge");
	return 0;
}

static const struct irq_domain_ops argo_nv_domain_ops = {
	.alloc = argo_nv_alloc,
	.free = irq_domain_free_irqs_common,
};

static void argo_nv_teardown(void)
{
	if (argo_nv.irq > 0)
		irq_dispose_mapping(argo_nv.irq);
	argo_nv.irq = -1;
	if (argo_nv.domain)
		irq_domain_remove(argo_nv.domain);
	argo_nv.domain = NULL;
	if (argo_nv.fwnode)
		irq_domain_free_fwnode(argo_nv.fwnode);
	argo_nv.fwnode = NULL;
}

int argo_nv_init(const struct argo_hv_ops *hv, irq_handler_t handler)
{
	struct irq_alloc_info info;
	long ret;

	if (!hv->notify_vector || !x86_vector_domain)
		return -EOPNOTSUPP;
	argo_nv.hv = hv;
	argo_nv.told = false;
	argo_nv.fwnode = irq_domain_alloc_named_fwnode("argo-vector");
	if (!argo_nv.fwnode)
		return -ENOMEM;
	argo_nv.domain = irq_domain_create_hierarchy(x86_vector_domain, 0, 0,
						     argo_nv.fwnode,
						     &argo_nv_domain_ops, NULL);
	if (!argo_nv.domain) {
		ret = -ENOMEM;
		goto err;
	}
	/* No constraints: any CPU, the allocator's choice of vector. */
	memset(&info, 0, sizeof(info));
	ret = irq_domain_alloc_irqs(argo_nv.domain, 1, NUMA_NO_NODE, &info);
	if (ret <= 0) {
		ret = ret ? ret : -ENOSPC;
		goto err;
	}
	argo_nv.irq = ret;
	/* Activates the IRQ: the vector is assigned here. */
	ret = request_irq(argo_nv.irq, handler, 0, "argo-vector", NULL);
	if (ret)
		goto err;
	ret = argo_nv_tell(irq_get_irq_data(argo_nv.irq));
	if (ret) {
		free_irq(argo_nv.irq, NULL);
		goto err;
	}
	return 0;

err:
	argo_nv_teardown();
	return ret;
}

/* After a resume: the hypervisor may not remember (a new host's Xen). */
long argo_nv_retell(void)
{
	unsigned long flags;
	long ret;

	if (argo_nv.irq <= 0)
		return 0;
	/*
	 * The desc lock is not a module's to take; nothing moves the IRQ
	 * while the resume notifiers run (user space is still frozen).
	 */
	local_irq_save(flags);
	ret = argo_nv_tell(irq_get_irq_data(argo_nv.irq));
	local_irq_restore(flags);
	return ret;
}

void argo_nv_exit(void)
{
	struct argo_xen_notify_vector nv = { };
	long ret;

	if (argo_nv.irq <= 0)
		return;
	/*
	 * Back to VIRQ_ARGO before the vector goes: from here on no signal
	 * targets it, and the allocator may hand it to another device.
	 */
	ret = argo_nv.hv->notify_vector(&nv);
	if (ret)
		pr_warn("could not return signals to VIRQ_ARGO: %ld\n", ret);
	argo_nv.told = false;
	free_irq(argo_nv.irq, NULL);
	argo_nv_teardown();
}

void argo_nv_show(struct seq_file *m)
{
	seq_printf(m, "irq %d vector %#x cpu %u vcpu %u\n", argo_nv.irq,
		   argo_nv.vector, argo_nv.cpu, argo_nv.vcpu);
	seq_printf(m, "retargets %lld\ntell_errors %lld\n",
		   atomic64_read(&argo_nv.retargets),
		   atomic64_read(&argo_nv.tell_errors));
}

int argo_nv_irq(void)
{
	return argo_nv.irq;
}
