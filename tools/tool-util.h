/* SPDX-License-Identifier: MIT */
/* Small helpers shared by the argo-* command-line tools. */
#ifndef ARGO_TOOL_UTIL_H
#define ARGO_TOOL_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "libargo.h"

/* Parse a whole unsigned number no larger than max, or exit naming what. */
unsigned long parse_num(const char *what, const char *s, unsigned long max);
/* Parse a domain id, "any" for ARGO_DOMID_ANY or "upstream" for
 * ARGO_DOMID_UPSTREAM (reserved: sends to it fail with ENXIO). */
uint16_t parse_domain(const char *what, const char *s);
/* Decode hex into a new buffer; exits on bad input. */
size_t parse_hex(const char *s, uint8_t **out);
/* Print "PROG: WHAT: strerror(errno)" with an explanation of Argo errors. */
void argo_perror(const char *prog, const char *what);
/* Open /dev/argo or exit with a clear message. */
struct argo_handle *open_or_die(const char *prog);
/* Create FILE to tell a script the endpoint is bound. 0 or -1 (reported). */
int mark_ready(const char *file);
/* Monotonic time in nanoseconds. */
uint64_t now_ns(void);

#endif
