/* SPDX-License-Identifier: MIT */
/*
 * Just enough of Xen's environment to build xen/xsm/flask/argo_port.c (from
 * the project's Xen series) on the host, so test_portcon can hold Xen's
 * argo-portcon parser and tools/portcon.c to the same cases. printk output
 * is captured; the policy is a table of contexts the test fills in.
 */
#ifndef XENSHIM_H
#define XENSHIM_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define __init
#define XENLOG_ERR	""
#define XENLOG_INFO	""
#define XENLOG_WARNING	""
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define smp_rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)
#define read_atomic(p)	__atomic_load_n(p, __ATOMIC_RELAXED)
#define write_atomic(p, v) __atomic_store_n(p, v, __ATOMIC_RELAXED)
#define xzalloc(type)	((type *)calloc(1, sizeof(type)))
#define xfree(p)	free(p)

typedef uint32_t u32;

#define SECINITSID_UNLABELED	6
#define SECINITSID_ARGO_PORT	14
#define ARGO_PORTCON_MAX_SIZE	65536	/* xen/include/xsm/xsm.h */

/* Provided by the test. */
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int security_context_to_sid(char *scontext, u32 scontext_len, u32 *sid);
int security_sid_to_context(u32 sid, char **scontext, u32 *scontext_len);
void avc_generation_bump(void);

void flask_argo_portcon_init(char *text, size_t size, unsigned int count);
void flask_argo_portcon_policy_loaded(void);
bool flask_argo_portcon_claims(const char *head, size_t len);
uint32_t flask_argo_port_sid(uint32_t port);

#endif
