// SPDX-License-Identifier: MIT
/*
 * argo-ctl cable add DOMAIN SRCPORT DSTDOMAIN DSTPORT
 * argo-ctl cable del DOMAIN SRCPORT
 * argo-ctl cable list [DOMAIN]
 *
 * A domain is a domain id or a name, which `xl domid` resolves (so names
 * work in dom0 only). Xen decides who may program cables: dom0, or a
 * domain the Flask policy grants `argo cable`.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cable.h"
#include "libargo.h"

static const char cable_usage[] =
	"usage: argo-ctl cable add DOMAIN SRCPORT DSTDOMAIN DSTPORT\n"
	"       argo-ctl cable del DOMAIN SRCPORT\n"
	"       argo-ctl cable list [DOMAIN]\n";

/* A whole decimal number no larger than max, or -1. */
static long long cable_num(const char *s, unsigned long long max)
{
	unsigned long long v;
	char *end;

	if (!*s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	return (long long)v;
}

/* Domain ids of ordinary domains: below Xen's DOMID_FIRST_RESERVED. */
#define CABLE_DOMID_MAX 0x7FEF

/* DOMAIN as a domain id: a number, or a name through `xl domid`. */
static int cable_domain(const char *s, uint16_t *out)
{
	char cmd[256], line[64];
	long long v = cable_num(s, CABLE_DOMID_MAX);
	FILE *p;
	int ok = 0;

	if (v >= 0) {
		*out = (uint16_t)v;
		return 0;
	}
	/* Names are xl's: letters, digits and a few marks, nothing to quote. */
	if (strlen(s) > 64 || strspn(s, "abcdefghijklmnopqrstuvwxyz"
				   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") != strlen(s))
		goto bad;
	snprintf(cmd, sizeof(cmd), "xl domid '%s' 2>/dev/null", s);
	p = popen(cmd, "r");
	if (!p)
		goto bad;
	if (fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\n")] = '\0';
		v = cable_num(line, CABLE_DOMID_MAX);
		ok = v >= 0;
	}
	if (pclose(p) != 0)
		ok = 0;
	if (ok) {
		*out = (uint16_t)v;
		return 0;
	}
bad:
	fprintf(stderr, "argo-ctl: cable: unknown domain '%s' (a domain id "
		"from 0 to %u, or a name xl knows)\n", s, CABLE_DOMID_MAX);
	return -1;
}

static int cable_port(const char *what, const char *s, uint32_t *out)
{
	long long v = cable_num(s, UINT32_MAX);

	if (v < 0) {
		fprintf(stderr, "argo-ctl: cable: invalid %s '%s': expected a "
			"number from 0 to %u\n", what, s, UINT32_MAX);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

/* Exit code and message for a failed call. */
static int cable_fail(const char *what)
{
	int e = errno;

	/* ENOENT from del is the cable; from open, /dev/argo. */
	fprintf(stderr, "argo-ctl: %s%s: %s\n", strncmp(what, "features", 8) ?
		"cable " : "", what, e == ENOENT && !strncmp(what, "del ", 4) ?
		"no such cable" : argo_strerror(e));
	if (e == EOPNOTSUPP || e == ENOSYS)
		return CABLE_EXIT_NO_CABLES;
	return CABLE_EXIT_FAILED;
}

/* Open /dev/argo and check that Xen has cables. */
static struct argo_handle *cable_open(int *rc)
{
	struct argo_handle *h = argo_open();
	uint32_t f = 0;

	if (!h) {
		*rc = cable_fail("open /dev/argo");
		return NULL;
	}
	if (argo_features(h, &f) < 0) {
		*rc = cable_fail("features");
		argo_close(h);
		return NULL;
	}
	if (!(f & ARGO_FEATURE_CABLES)) {
		fprintf(stderr, "argo-ctl: cable: this Xen has no patch cables "
			"(features 0x%x)\n", f);
		*rc = CABLE_EXIT_NO_CABLES;
		argo_close(h);
		return NULL;
	}
	return h;
}

/* One domain's table, one line per cable: "DOM SRC -> DST:PORT[ dead]". */
static int cable_list_one(struct argo_handle *h, uint16_t dom, int quiet_esrch)
{
	struct argo_cable c[ARGO_CABLES_MAX];
	char what[32];
	int n, i;

	n = argo_cable_list(h, dom, c, ARGO_CABLES_MAX);
	if (n < 0) {
		/* A domain that went away between xl list and now. */
		if (quiet_esrch && errno == ESRCH)
			return 0;
		snprintf(what, sizeof(what), "list %u", dom);
		return cable_fail(what);
	}
	for (i = 0; i < n && i < ARGO_CABLES_MAX; i++)
		printf("%u %u -> %u:%u%s\n", dom, c[i].src_port, c[i].dst_domain,
		       c[i].dst_port, c[i].flags & ARGO_CABLE_DEAD ? " dead" : "");
	return 0;
}

/* Every domain xl lists (the ID column of `xl list`). */
static int cable_list_all(struct argo_handle *h)
{
	FILE *p = popen("xl list 2>/dev/null", "r");
	char line[512], name[256];
	unsigned int id;
	int rc = 0, r;

	if (!p) {
		fprintf(stderr, "argo-ctl: cable list: cannot run xl list\n");
		return CABLE_EXIT_FAILED;
	}
	while (fgets(line, sizeof(line), p)) {
		if (sscanf(line, "%255s %u", name, &id) != 2 || id > CABLE_DOMID_MAX)
			continue;
		r = cable_list_one(h, (uint16_t)id, 1);
		if (r && !rc)
			rc = r;
	}
	if (pclose(p) != 0) {
		fprintf(stderr, "argo-ctl: cable list: xl list failed\n");
		return rc ? rc : CABLE_EXIT_FAILED;
	}
	return rc;
}

int cmd_cable(int argc, char **argv)
{
	struct argo_handle *h;
	uint32_t src = 0, dport = 0;
	uint16_t dom = 0, ddom = 0;
	const char *sub;
	char what[96];
	int rc = CABLE_EXIT_OK;

	if (argc < 2)
		goto usage;
	sub = argv[1];
	if (!strcmp(sub, "add")) {
		if (argc != 6)
			goto usage;
		if (cable_domain(argv[2], &dom) || cable_port("source port", argv[3], &src) ||
		    cable_domain(argv[4], &ddom) ||
		    cable_port("destination port", argv[5], &dport))
			return CABLE_EXIT_USAGE;
	} else if (!strcmp(sub, "del")) {
		if (argc != 4)
			goto usage;
		if (cable_domain(argv[2], &dom) || cable_port("source port", argv[3], &src))
			return CABLE_EXIT_USAGE;
	} else if (!strcmp(sub, "list")) {
		if (argc > 3)
			goto usage;
		if (argc == 3 && cable_domain(argv[2], &dom))
			return CABLE_EXIT_USAGE;
	} else {
		fprintf(stderr, "argo-ctl: cable: unknown command '%s'\n", sub);
		goto usage;
	}

	h = cable_open(&rc);
	if (!h)
		return rc;
	if (!strcmp(sub, "add")) {
		snprintf(what, sizeof(what), "add %u %u -> %u:%u", dom, src, ddom, dport);
		if (argo_cable_add(h, dom, src, ddom, dport) < 0)
			rc = cable_fail(what);
	} else if (!strcmp(sub, "del")) {
		snprintf(what, sizeof(what), "del %u %u", dom, src);
		if (argo_cable_del(h, dom, src) < 0)
			rc = cable_fail(what);
	} else if (argc == 3) {
		rc = cable_list_one(h, dom, 0);
	} else {
		rc = cable_list_all(h);
	}
	argo_close(h);
	return rc;
usage:
	fputs(cable_usage, stderr);
	return CABLE_EXIT_USAGE;
}

int cmd_features(int argc, char **argv)
{
	struct argo_handle *h;
	uint32_t f = 0;

	(void)argv;
	if (argc != 1) {
		fputs("usage: argo-ctl features\n", stderr);
		return CABLE_EXIT_USAGE;
	}
	h = argo_open();
	if (!h)
		return cable_fail("open /dev/argo") ? CABLE_EXIT_FAILED : 0;
	if (argo_features(h, &f) < 0) {
		argo_close(h);
		return cable_fail("features") ? CABLE_EXIT_FAILED : 0;
	}
	argo_close(h);
	if (!f)
		printf("none\n");
	else
		printf("%s%s%s%s\n", f & ARGO_FEATURE_CABLES ? "cables " : "",
		       f & ARGO_FEATURE_NOTIFY_HIDE ? "notify-hide " : "",
		       f & ARGO_FEATURE_SUPPRESS ? "suppress " : "",
		       f & ~(ARGO_FEATURE_CABLES | ARGO_FEATURE_NOTIFY_HIDE |
			     ARGO_FEATURE_SUPPRESS) ? "unknown" : "");
	return CABLE_EXIT_OK;
}
