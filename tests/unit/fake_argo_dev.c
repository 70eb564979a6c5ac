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

int __wrap_ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;

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
		last_payload = malloc(last_send.len ? last_send.len : 1);
		if (!last_payload)
			abort();
		/* Read every byte the driver would: ASan checks the range. */
		if (last_send.len)
			memcpy(last_payload, (void *)(uintptr_t)last_send.buf,
			       last_send.len);
		if (fake_errno) {
			errno = fake_errno;
			return -1;
		}
		return (int)last_send.len;
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
	}
	errno = ENOTTY;
	return -1;
}

