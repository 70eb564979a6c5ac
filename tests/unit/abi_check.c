// SPDX-License-Identifier: MIT
/*
 * The driver's own copy of the Argo ABI (linux/argo/xen_argo_abi.h) must
 * match Xen's canonical header, as Debian ships it in libxen-dev. Checked
 * at compile time: if this file builds, every size, offset and constant
 * agrees.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <xen/xen.h>
#include <xen/argo.h>

#include "xen_argo_abi.h"

#define SAME_SIZE(ours, xens) \
	_Static_assert(sizeof(struct ours) == sizeof(xens), #ours " size")
#define SAME_FIELD(ours, xens, f, g) \
	_Static_assert(offsetof(struct ours, f) == offsetof(xens, g) && \
		       sizeof(((struct ours *)0)->f) == sizeof(((xens *)0)->g), \
		       #ours "." #f)

SAME_SIZE(argo_xen_iov, xen_argo_iov_t);
SAME_FIELD(argo_xen_iov, xen_argo_iov_t, iov_len, iov_len);
SAME_FIELD(argo_xen_iov, xen_argo_iov_t, pad, pad);
SAME_SIZE(argo_xen_addr, xen_argo_addr_t);
SAME_FIELD(argo_xen_addr, xen_argo_addr_t, aport, aport);
SAME_FIELD(argo_xen_addr, xen_argo_addr_t, domain_id, domain_id);
SAME_FIELD(argo_xen_addr, xen_argo_addr_t, pad, pad);
SAME_SIZE(argo_xen_send_addr, xen_argo_send_addr_t);
SAME_FIELD(argo_xen_send_addr, xen_argo_send_addr_t, dst, dst);
SAME_SIZE(argo_xen_ring, xen_argo_ring_t);
SAME_FIELD(argo_xen_ring, xen_argo_ring_t, rx_ptr, rx_ptr);
SAME_FIELD(argo_xen_ring, xen_argo_ring_t, tx_ptr, tx_ptr);
_Static_assert(offsetof(struct argo_xen_ring, ring) == offsetof(xen_argo_ring_t, ring), "ring");
SAME_SIZE(argo_xen_register_ring, xen_argo_register_ring_t);
SAME_FIELD(argo_xen_register_ring, xen_argo_register_ring_t, partner_id, partner_id);
SAME_FIELD(argo_xen_register_ring, xen_argo_register_ring_t, len, len);
SAME_SIZE(argo_xen_unregister_ring, xen_argo_unregister_ring_t);
SAME_FIELD(argo_xen_unregister_ring, xen_argo_unregister_ring_t, partner_id, partner_id);
SAME_SIZE(argo_xen_ring_data_ent, xen_argo_ring_data_ent_t);
SAME_FIELD(argo_xen_ring_data_ent, xen_argo_ring_data_ent_t, flags, flags);
SAME_FIELD(argo_xen_ring_data_ent, xen_argo_ring_data_ent_t, space_required, space_required);
SAME_FIELD(argo_xen_ring_data_ent, xen_argo_ring_data_ent_t, max_message_size, max_message_size);
SAME_SIZE(argo_xen_ring_data, xen_argo_ring_data_t);
SAME_SIZE(argo_xen_msg_header, struct xen_argo_ring_message_header);
SAME_FIELD(argo_xen_msg_header, struct xen_argo_ring_message_header, source, source);
SAME_FIELD(argo_xen_msg_header, struct xen_argo_ring_message_header, message_type, message_type);

_Static_assert(ARGO_OP_REGISTER_RING == XEN_ARGO_OP_register_ring, "op");
_Static_assert(ARGO_OP_UNREGISTER_RING == XEN_ARGO_OP_unregister_ring, "op");
_Static_assert(ARGO_OP_SENDV == XEN_ARGO_OP_sendv, "op");
_Static_assert(ARGO_OP_NOTIFY == XEN_ARGO_OP_notify, "op");
_Static_assert(ARGO_DOMID_ANY == XEN_ARGO_DOMID_ANY, "domid any");
_Static_assert(ARGO_MAX_RING_SIZE == XEN_ARGO_MAX_RING_SIZE, "max ring");
_Static_assert(ARGO_MAXIOV == XEN_ARGO_MAXIOV, "maxiov");
_Static_assert(ARGO_MSG_SLOT_SIZE == XEN_ARGO_MSG_SLOT_SIZE, "slot");
_Static_assert(ARGO_REGISTER_FLAG_FAIL_EXIST == XEN_ARGO_REGISTER_FLAG_FAIL_EXIST, "flag");
_Static_assert(ARGO_RING_EXISTS == XEN_ARGO_RING_EXISTS, "flag");
_Static_assert(ARGO_RING_SHARED == XEN_ARGO_RING_SHARED, "flag");
_Static_assert(ARGO_RING_EMPTY == XEN_ARGO_RING_EMPTY, "flag");
_Static_assert(ARGO_RING_SUFFICIENT == XEN_ARGO_RING_SUFFICIENT, "flag");
_Static_assert(ARGO_RING_EMSGSIZE == XEN_ARGO_RING_EMSGSIZE, "flag");
_Static_assert(ARGO_RING_EBUSY == XEN_ARGO_RING_EBUSY, "flag");
_Static_assert(ARGO_HYPERCALL_NR == __HYPERVISOR_argo_op, "hypercall number");
_Static_assert(ARGO_VIRQ == VIRQ_ARGO, "virq");

int main(void)
{
	printf("ok 1 - abi_matches_xen_public_argo_h\n1..1\n");
	return 0;
}
