/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Argo's signals on a local APIC vector (notifyvec.c): one Linux IRQ from
 * a child of the x86 vector domain, whose vector and CPU the hypervisor is
 * told (XEN_ARGO_OP_notify_vector) and told again when they move.
 */
#ifndef ARGO_NOTIFYVEC_H
#define ARGO_NOTIFYVEC_H

#include <linux/interrupt.h>

#include "hypercall.h"

struct seq_file;

/* Allocate the IRQ, request it for handler, tell the hypervisor. */
int argo_nv_init(const struct argo_hv_ops *hv, irq_handler_t handler);
/* Tell the hypervisor again (after a resume). */
long argo_nv_retell(void);
/* Back to the event channel, then free the IRQ and its domain. */
void argo_nv_exit(void);
void argo_nv_show(struct seq_file *m);
int argo_nv_irq(void);

#endif /* ARGO_NOTIFYVEC_H */
