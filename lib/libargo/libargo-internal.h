/* SPDX-License-Identifier: MIT */
/*
 * libargo internals, not part of the API: the shared library does not
 * export them (libargo.map); tests/unit/test_libargo.c calls them.
 */
#ifndef LIBARGO_INTERNAL_H
#define LIBARGO_INTERNAL_H

#include <stdint.h>
#include <sys/uio.h>

#include "libargo.h"

/* The oldest /dev/argo ABI libargo still speaks (without batches). */
#define LIBARGO_ABI_MIN 4
/* 0 if libargo speaks driver_version (LIBARGO_ABI_MIN up to the ABI it
 * was built for), else EPROTO. */
int libargo_check_abi(uint32_t driver_version);
/* argo_open on another path, e.g. a file that is not /dev/argo. */
struct argo_handle *libargo_open_path(const char *path);
/* A handle over an fd that is not checked at all (tests only); the handle
 * owns fd from then on. */
struct argo_handle *libargo_wrap_fd(int fd, uint32_t abi_version);
/* Check argo_sendv's pieces: 0 and *total, or EINVAL (bad iovcnt, NULL
 * iov, NULL base with a length) or EMSGSIZE (more than ARGO_MSG_MAX). */
int libargo_iov_total(const struct iovec *iov, int iovcnt, size_t *total);
/* Concatenate iovcnt pieces into dst, which holds their total. */
void libargo_gather(void *dst, const struct iovec *iov, int iovcnt);

/* Check argo_send_many's messages: 0, or EINVAL/EMSGSIZE with *bad the
 * index of the first bad one. */
int libargo_out_check(const struct argo_out_msg *msgs, unsigned int n,
		      unsigned int *bad);

#endif /* LIBARGO_INTERNAL_H */
