// SPDX-License-Identifier: MIT
/*
 * A fake argo_char.ko for host tests of libargo (see fake_argo_dev.h):
 * programs link with -Wl,--wrap=ioctl and this file.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fake_argo_dev.h"

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_ASAN 1
#endif
#endif
#ifdef HAVE_ASAN
#include <sanitizer/asan_interface.h>
#endif

/* The fake driver: what the last ioctl of each kind received. */
int fake_on;
uint32_t fake_version = ARGO_DEV_ABI_VERSION;
int fake_errno;			/* non-zero: SEND/SPACE fail with it */
struct argo_dev_send last_send;
unsigned char *last_payload;
int sends;
struct argo_dev_bind last_bind;
struct argo_dev_space last_space;
struct argo_dev_connect last_connect;
struct argo_dev_cable_op last_cable;
struct argo_dev_cable last_cable_ent;
uint32_t fake_features;

size_t fake_copy_max = SIZE_MAX;
struct argo_dev_send_many last_send_many;
struct argo_dev_send last_many_ents[8];
int send_manys;
uint32_t fake_send_many_sent;
uint32_t fake_rx_queued;
uint32_t fake_rx_lie;

/*
 * The bytes past fake_copy_max are not copied but still must be the
 * caller's: ASan checks the range without the cost of a 16 MiB copy.
 */
static void check_readable(const char *p, size_t len)
{
#ifdef HAVE_ASAN
	const volatile char *bad = __asan_region_is_poisoned((void *)p, len);

	if (bad)
		(void)*bad;	/* ASan reports the bad read here */
#else
	volatile char sink = 0;

	for (size_t i = 0; i < len; i++)
		sink ^= p[i];
	(void)sink;
#endif
}

int __wrap_ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;
	size_t n;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!fake_on)
		return __real_ioctl(fd, req, arg);
	switch (req) {
	case ARGO_IOC_VERSION:
		memcpy(arg, &fake_version, sizeof(fake_version));
		return 0;
	case ARGO_IOC_SEND:
		sends++;
		memcpy(&last_send, arg, sizeof(last_send));
		free(last_payload);
		n = last_send.len < fake_copy_max ? last_send.len : fake_copy_max;
		last_payload = malloc(n ? n : 1);
		if (!last_payload)
			abort();
		/* Read every byte the driver would: ASan checks the range. */
		if (n)
			memcpy(last_payload, (void *)(uintptr_t)last_send.buf, n);
		if (last_send.len > n)
			check_readable((const char *)(uintptr_t)last_send.buf + n,
				       last_send.len - n);
		if (fake_errno) {
			errno = fake_errno;
			return -1;
		}
		return (int)last_send.len;
	case ARGO_IOC_SEND_MANY: {
		struct argo_dev_send_many *sm = arg;
		const struct argo_dev_send *e = (void *)(uintptr_t)sm->msgs;

		send_manys++;
		memcpy(&last_send_many, sm, sizeof(last_send_many));
		check_readable((const char *)e, sm->count * sizeof(*e));
		for (uint32_t i = 0; i < sm->count; i++) {
			if (i < 8)
				last_many_ents[i] = e[i];
			check_readable((const char *)(uintptr_t)e[i].buf, e[i].len);
		}
		if (fake_send_many_sent) {
			sm->sent = fake_send_many_sent;
			sm->error = (uint32_t)fake_errno;
			sm->error_index = fake_send_many_sent;
			return (int)fake_send_many_sent;
		}
		if (fake_errno) {
			errno = fake_errno;
			return -1;
		}
		sm->sent = sm->count;
		return (int)sm->count;
	}
	case ARGO_IOC_RECV_MANY: {
		struct argo_dev_recv_many *rm = arg;
		unsigned char *b = (void *)(uintptr_t)rm->buf;
		uint32_t off = 0, end = 0, i;

		if (!fake_rx_queued) {
			errno = EAGAIN;
			return -1;
		}
		for (i = 0; i < fake_rx_queued && i < rm->max_msgs; i++) {
			struct argo_dev_msg m = {
				.src = { .port = 100 + i, .domain = 7 },
				.type = i, .len = i % 5 + 1,
			};

			if (rm->len - off < sizeof(m) + m.len)
				break;
			memcpy(b + off, &m, sizeof(m));
			memset(b + off + sizeof(m), 'a' + (int)i, m.len);
			end = off + (uint32_t)sizeof(m) + m.len;
			off = (end + ARGO_DEV_MSG_ALIGN - 1) & ~(ARGO_DEV_MSG_ALIGN - 1u);
		}
		if (!i) {
			errno = EMSGSIZE;
			return -1;
		}
		rm->count = i;
		rm->bytes = fake_rx_lie ? fake_rx_lie : end;
		return (int)i;
	}
	case ARGO_IOC_STATS: {
		struct argo_dev_stats *st = arg;
		uint64_t *f = (uint64_t *)st;

		/* Field k holds k + 1: a mix-up shows. */
		for (size_t k = 0; k < sizeof(*st) / sizeof(*f); k++)
			f[k] = k + 1;
		return 0;
	}
	case ARGO_IOC_BIND:
		memcpy(&last_bind, arg, sizeof(last_bind));
		return 0;
	case ARGO_IOC_SPACE:
		memcpy(&last_space, arg, sizeof(last_space));
		if (fake_errno) {
			errno = fake_errno;
			return -1;
		}
		((struct argo_dev_space *)arg)->max_len = 4064;
		return last_space.len <= 4064;
	case ARGO_IOC_CONNECT:
		memcpy(&last_connect, arg, sizeof(last_connect));
		return 0;
	case ARGO_IOC_FEATURES:
		memcpy(arg, &fake_features, sizeof(fake_features));
		return 0;
	case ARGO_IOC_CABLE: {
		struct argo_dev_cable_op *op = arg;
		struct argo_dev_cable *ents = (void *)(uintptr_t)op->ents;
		uint32_t i;

		memcpy(&last_cable, op, sizeof(last_cable));
		if (fake_errno) {
			errno = fake_errno;
			return -1;
		}
		if (op->cmd != ARGO_DEV_CABLE_LIST) {
			memcpy(&last_cable_ent, ents, sizeof(last_cable_ent));
			return 0;
		}
		/* A table of three cables: 100+i -> 5:2000+i, the last dead. */
		for (i = 0; i < 3 && i < op->nent; i++) {
			ents[i].src_port = 100 + i;
			ents[i].dst_domain = 5;
			ents[i].dst_port = 2000 + i;
			ents[i].flags = i == 2 ? ARGO_DEV_CABLE_DEAD : 0;
		}
		op->nent = 3;
		return 0;
	}
	}
	errno = ENOTTY;
	return -1;
}

