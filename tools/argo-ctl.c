// SPDX-License-Identifier: MIT
/*
 * argo-ctl: toolstack operations for Argo, run in dom0.
 *
 *	argo-ctl policy [-l LOG] [-m MODE] [-n COUNT]
 *		Flask's mode, the Argo port labels Xen loaded at boot, and the
 *		most recent Argo denials (COUNT, default 10). Reads Xen's log
 *		with `xl dmesg` and the mode with `xl getenforce`, or LOG and
 *		MODE when given (for logs saved elsewhere). Only Xen's own
 *		lines ("(XEN) ...") count, never a guest's ("(dN) ..."); the
 *		denials Xen's rate limit left out are counted from its
 *		"avc:  N Argo audit lines suppressed" lines.
 *	argo-ctl check-portcon [-n NAMES] FILE [PORT...]
 *		Check an argo-portcon file before boot, with Xen's own rules and
 *		messages; NAMES is the names file scripts/policy-build writes, so
 *		unknown types and users are caught too. Prints the labels as Xen
 *		will print them or, given ports, "PORT CONTEXT" for each ("-" for
 *		the argo_port initial SID).
 *	argo-ctl cable add DOMAIN SRCPORT DSTDOMAIN DSTPORT
 *	argo-ctl cable del DOMAIN SRCPORT
 *	argo-ctl cable list [DOMAIN]
 *		Program and show patch cables (tools/cable.c, docs/cables.md).
 *	argo-ctl features
 *		Xen's optional Argo features: "cables", "notify-hide", or "none".
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cable.h"
#include "portcon.h"

static const char usage[] =
	"usage: argo-ctl policy [-l LOG] [-m MODE] [-n COUNT]\n"
	"       argo-ctl check-portcon [-n NAMES] FILE [PORT...]\n"
	"       argo-ctl cable add DOMAIN SRCPORT DSTDOMAIN DSTPORT\n"
	"       argo-ctl cable del DOMAIN SRCPORT\n"
	"       argo-ctl cable list [DOMAIN]\n"
	"       argo-ctl features\n";

static char *read_stream(FILE *f, size_t *size)
{
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	do {
		if (len + 1 >= cap) {
			char *b = realloc(buf, cap = cap ? 2 * cap : 65536);

			if (!b) {
				free(buf);
				errno = ENOMEM;
				return NULL;
			}
			buf = b;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
	} while (n);
	if (ferror(f)) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	*size = len;
	return buf;
}

static char *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	char *text;

	if (!f)
		return NULL;
	text = read_stream(f, size);
	fclose(f);
	return text;
}

/*
 * The output of a command, or NULL. A failing command is an error when
 * check_status is set: xl getenforce exits 1 after printing "Enforcing".
 */
static char *read_command(const char *cmd, int check_status)
{
	FILE *p = popen(cmd, "r");
	size_t size;
	char *text;

	if (!p)
		return NULL;
	text = read_stream(p, &size);
	if (pclose(p) != 0 && check_status) {
		free(text);
		errno = EIO;
		return NULL;
	}
	return text;
}

/* The value after "key=" in an AVC line, up to the next space, or "?". */
static void avc_field(const char *line, const char *key, char *out, size_t len)
{
	const char *p = strstr(line, key);
	size_t n = 0;

	if (!p) {
		snprintf(out, len, "?");
		return;
	}
	p += strlen(key);
	while (p[n] && p[n] != ' ' && p[n] != '\n' && n + 1 < len)
		n++;
	memcpy(out, p, n);
	out[n] = '\0';
}

/* "system_u:object_r:TYPE" -> TYPE */
static const char *context_type(const char *ctx)
{
	const char *t = strrchr(ctx, ':');

	return t ? t + 1 : ctx;
}

/* One denial as a table row: permission, who, port, the two types. */
static void print_denial(const char *line)
{
	char perm[32] = "?", src[16], dst[16], port[16], sctx[256], tctx[256];
	const char *b = strstr(line, "{ ");

	if (b)
		sscanf(b + 2, "%31s", perm);
	avc_field(line, "source=", src, sizeof(src));
	avc_field(line, "target=", dst, sizeof(dst));
	avc_field(line, "argo_port=", port, sizeof(port));
	avc_field(line, "scontext=", sctx, sizeof(sctx));
	avc_field(line, "tcontext=", tctx, sizeof(tctx));
	printf("  %-12s %-5s -> %-5s port %-10s %s -> %s\n", perm, src,
	       strcmp(dst, "?") ? dst : "-", port, context_type(sctx),
	       context_type(tctx));
}

/*
 * The text of one of Xen's own lines of `xl dmesg`, after "(XEN) " and a
 * console timestamp ("[...] "), or NULL for any other line. Guests' console
 * writes reach the same log, prefixed "(dN) " by Xen (which strips their
 * control characters, so a guest cannot start a line of its own), and say
 * whatever the guest likes: only lines that start with Xen's prefix can be
 * believed, and only what starts right after it.
 */
static const char *xen_line(const char *line)
{
	static const char prefix[] = "(XEN) ";

	if (strncmp(line, prefix, sizeof(prefix) - 1))
		return NULL;
	line += sizeof(prefix) - 1;
	if (*line == '[') {
		const char *end = strstr(line, "] ");

		if (!end)
			return NULL;
		line = end + 2;
	}
	return line;
}

static int starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static int cmd_policy(int argc, char **argv)
{
	const char *log_path = NULL, *mode = NULL;
	unsigned long want = 10;
	char *log, *mode_text = NULL, *save = NULL, *line;
	char **denials = NULL;
	size_t size, ndenials = 0, nlabels = 0;
	unsigned long suppressed = 0;
	int opt, closed = 0, ret = 0;

	while ((opt = getopt(argc, argv, "l:m:n:")) != -1) {
		switch (opt) {
		case 'l': log_path = optarg; break;
		case 'm': mode = optarg; break;
		case 'n': {
			char *end;

			errno = 0;
			want = strtoul(optarg, &end, 10);
			if (errno || *end || end == optarg || optarg[0] == '-') {
				fprintf(stderr, "argo-ctl: -n: not a count: '%s'\n", optarg);
				return 2;
			}
			break;
		}
		default: fputs(usage, stderr); return 2;
		}
	}
	if (optind != argc) {
		fputs(usage, stderr);
		return 2;
	}
	log = log_path ? read_file(log_path, &size) : read_command("xl dmesg 2>/dev/null", 1);
	if (!log) {
		fprintf(stderr, "argo-ctl: cannot read Xen's log (%s): %s\n",
			log_path ? log_path : "xl dmesg", strerror(errno));
		return 1;
	}
	if (!mode) {
		mode_text = read_command("xl getenforce 2>/dev/null", 0);
		if (mode_text)
			mode_text[strcspn(mode_text, "\n")] = '\0';
		mode = mode_text && (!strcmp(mode_text, "Enforcing") ||
				     !strcmp(mode_text, "Permissive")) ? mode_text :
		       "unknown (xl getenforce failed: Flask off or no privilege)";
	}
	printf("Flask mode: %s\n", mode);

	printf("Argo port labels, as Xen loaded them:\n");
	for (line = strtok_r(log, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *p = xen_line(line);
		unsigned long n;
		char tail;

		if (!p)
			continue;
		if (starts(p, "flask: argo port ")) {
			printf("  %s\n", p + strlen("flask: argo port "));
			nlabels++;
		} else if (starts(p, "flask: argo-portcon")) {
			printf("  ERROR %s\n", p + strlen("flask: "));
			closed = 1;
		} else if (starts(p, "flask: no argo-portcon module")) {
			printf("  (%s)\n", p + strlen("flask: "));
		} else if (sscanf(p, "avc:  %lu Argo audit lines suppresse%c", &n, &tail) == 2 &&
			   tail == 'd') {
			suppressed += n;
		} else if (starts(p, "avc:  denied ") &&
			   strstr(p, " tclass=argo_port")) {
			char **d = realloc(denials, (ndenials + 1) * sizeof(*d));

			if (!d) {
				ret = 1;
				break;
			}
			denials = d;
			denials[ndenials++] = line;
		}
	}
	if (!nlabels && !closed)
		printf("  none logged: Xen without the port-label patches, Flask off, or the boot log has wrapped\n");
	if (closed)
		printf("  the mapping was rejected: every Argo port is unlabeled, so Argo is closed\n");

	printf("Argo denials: %zu", ndenials);
	if (suppressed)
		printf(", and %lu more that Xen's rate limit left out of its log", suppressed);
	if (ndenials > want)
		printf(" (the last %lu)", want);
	printf("\n");
	for (size_t i = ndenials > want ? ndenials - want : 0; i < ndenials; i++)
		print_denial(denials[i]);
	free(denials);
	free(mode_text);
	free(log);
	return ret;
}

static int cmp_range(const void *a, const void *b)
{
	const struct portcon_range *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

/* "PORT CONTEXT" for each port, "-" for the argo_port initial SID. */
static int print_port_labels(const struct portcon *pc, char **ports)
{
	for (; *ports; ports++) {
		const char *label;
		unsigned long port;
		char *end;

		errno = 0;
		port = strtoul(*ports, &end, 10);
		if (errno || end == *ports || *end || port > UINT32_MAX ||
		    (*ports)[0] == '-') {
			fprintf(stderr, "argo-ctl: not a port: '%s'\n", *ports);
			return 1;
		}
		label = portcon_label(pc, (uint32_t)port);
		printf("%lu %s\n", port, label ? label : "-");
	}
	return 0;
}

static int cmd_check_portcon(int argc, char **argv)
{
	static struct portcon pc;
	struct portcon_names names;
	char err[PORTCON_ERR_MAX];
	const char *names_path = NULL;
	char *text;
	size_t size;
	int opt, ret = 0;

	while ((opt = getopt(argc, argv, "n:")) != -1) {
		switch (opt) {
		case 'n': names_path = optarg; break;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (optind >= argc) {
		fputs(usage, stderr);
		return 2;
	}
	if (names_path) {
		text = read_file(names_path, &size);
		if (!text) {
			fprintf(stderr, "argo-ctl: %s: %s\n", names_path, strerror(errno));
			return 1;
		}
		if (portcon_names_parse(text, size, &names, err, sizeof(err))) {
			fprintf(stderr, "argo-ctl: %s: %s\n", names_path, err);
			free(text);
			return 1;
		}
		free(text);
	}
	text = read_file(argv[optind], &size);
	if (!text) {
		fprintf(stderr, "argo-ctl: %s: %s\n", argv[optind], strerror(errno));
		ret = 1;
	} else if (portcon_parse(text, size, &pc,
				 names_path ? portcon_names_context_ok : NULL,
				 names_path ? &names : NULL, err, sizeof(err))) {
		fprintf(stderr, "argo-ctl: %s: %s\n", argv[optind], err);
		ret = 1;
	} else if (optind + 1 < argc) {
		ret = print_port_labels(&pc, argv + optind + 1);
	} else {
		/* In port order, as Xen prints them at boot. */
		qsort(pc.range, pc.nr, sizeof(pc.range[0]), cmp_range);
		for (unsigned int r = 0; r < pc.nr; r++)
			printf("argo port %u-%u -> %s\n", pc.range[r].first,
			       pc.range[r].last, pc.range[r].context);
		printf("argo port default -> %s\n", pc.default_line ?
		       pc.default_context : "the argo_port initial SID");
		if (!names_path)
			printf("note: types and users not checked (no -n NAMES)\n");
	}
	free(text);
	if (names_path)
		portcon_names_free(&names);
	return ret;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage, stderr);
		return 2;
	}
	if (!strcmp(argv[1], "policy"))
		return cmd_policy(argc - 1, argv + 1);
	if (!strcmp(argv[1], "check-portcon"))
		return cmd_check_portcon(argc - 1, argv + 1);
	if (!strcmp(argv[1], "cable"))
		return cmd_cable(argc - 1, argv + 1);
	if (!strcmp(argv[1], "features"))
		return cmd_features(argc - 1, argv + 1);
	fprintf(stderr, "argo-ctl: unknown command '%s'\n", argv[1]);
	fputs(usage, stderr);
	return 2;
}
