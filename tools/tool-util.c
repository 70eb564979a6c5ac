// SPDX-License-Identifier: MIT
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tool-util.h"

unsigned long parse_num(const char *what, const char *s, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || !*s || *end || v > max || *s == '-') {
		fprintf(stderr, "invalid %s '%s': expected a number from 0 to %lu\n",
			what, s, max);
		exit(2);
	}
	return v;
}

uint16_t parse_domain(const char *what, const char *s)
{
	if (!strcmp(s, "any"))
		return ARGO_DOMID_ANY;
	if (!strcmp(s, "upstream"))
		return ARGO_DOMID_UPSTREAM;
	return (uint16_t)parse_num(what, s, 0x7FEF);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t parse_hex(const char *s, uint8_t **out)
{
	size_t n = strlen(s), i;
	uint8_t *b;

	if (n % 2) {
		fprintf(stderr, "invalid hex '%s': odd number of digits\n", s);
		exit(2);
	}
	b = malloc(n / 2 + 1);
	if (!b) {
		perror("malloc");
		exit(1);
	}
	for (i = 0; i < n / 2; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

		if (hi < 0 || lo < 0) {
			fprintf(stderr, "invalid hex '%s': bad digit at %zu\n", s, 2 * i);
			exit(2);
		}
		b[i] = (uint8_t)(hi << 4 | lo);
	}
	*out = b;
	return n / 2;
}

void argo_perror(const char *prog, const char *what)
{
	int e = errno;
	const char *hint = "";

	switch (e) {
	case ECONNREFUSED:
		hint = " (no ring registered at the destination for this sender)";
		break;
	case EACCES:
	case EPERM:
		hint = " (denied by Xen's policy)";
		break;
	case EOPNOTSUPP:
		hint = " (Argo is disabled in Xen: boot it with argo=1)";
		break;
	case EMSGSIZE:
		hint = " (message larger than the ring can hold)";
		break;
	case ESRCH:
		hint = " (no such domain)";
		break;
	case ENOTCONN:
		hint = " (no patch cable on the source port)";
		break;
	case ENXIO:
		hint = " (no hypervisor above this one: ARGO_DOMID_UPSTREAM is reserved)";
		break;
	case ENOENT:
	case ENODEV:
		hint = " (is argo_char.ko loaded?)";
		break;
	}
	fprintf(stderr, "%s: %s: %s%s\n", prog, what, strerror(e), hint);
}

struct argo_handle *open_or_die(const char *prog)
{
	struct argo_handle *h = argo_open();

	if (!h) {
		argo_perror(prog, "open /dev/argo");
		exit(1);
	}
	return h;
}

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int mark_ready(const char *file)
{
	FILE *f = fopen(file, "w");

	if (!f || fclose(f)) {
		fprintf(stderr, "cannot create ready file %s: %s\n", file, strerror(errno));
		return -1;
	}
	return 0;
}
