/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Well-known Argo ports: services a guest reaches through a patch cable
 * (an implicit destination the toolstack programs in Xen), so a guest
 * names only its own source port and never a domid. Dual-licensed: the
 * kernel modules and the MIT userspace both include it.
 *
 * The reserved range is where the project's services live; nothing else
 * should bind there. The lab's Argo firewall labels these ports
 * (xen/policy/argo-portcon), and the numbers below must stay in step with
 * it: 5010 argo_disc_port_t (the service's wildcard ring), 5011-5012
 * argo_disc_client_port_t (a guest's wildcard rings, which only dom0 and
 * driver domains may send to, so no other guest can forge an answer).
 */
#ifndef _UAPI_ARGO_PORTS_H
#define _UAPI_ARGO_PORTS_H

/* The project's well-known ports, inclusive. */
#define ARGO_PORT_WELL_KNOWN_MIN	5000
#define ARGO_PORT_WELL_KNOWN_MAX	5099

/* The discovery service's ring, in dom0 or a driver domain. */
#define ARGO_PORT_DISCOVERY		5010
/*
 * A guest's discovery source port: the toolstack cables (guest, 5011) to
 * (service domain, ARGO_PORT_DISCOVERY), and answers come back here.
 */
#define ARGO_PORT_DISCOVERY_CLIENT	5011
/* Where a guest asks the service to send hot-add/hot-remove events. */
#define ARGO_PORT_DISCOVERY_EVENTS	5012

#endif /* _UAPI_ARGO_PORTS_H */
