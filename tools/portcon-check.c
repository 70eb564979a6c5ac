// SPDX-License-Identifier: MIT
/*
 * portcon-check: check an argo-portcon file as Xen will at boot, and print
 * the label of ports. Built and run by scripts/policy-build; argo-ctl is
 * meant to offer the same through tools/portcon.c.
 *
 *	portcon-check [-n NAMES] FILE		check; print the labels as Xen
 *						prints them at boot
 *	portcon-check [-n NAMES] FILE PORT...	print "PORT CONTEXT" per port;
 *						"PORT -" for the argo_port
 *						initial SID
 *
 * NAMES is the names file of scripts/policy-build ("type NAME", "user
 * NAME"); without it any well-formed context is accepted. Exit status 1 on
 * an error, with Xen's message on stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portcon.h"

static char *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f)
		return NULL;
	do {
		if (len == cap) {
			char *b = realloc(buf, cap = cap ? 2 * cap : 4096);
			if (!b) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			buf = b;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n);
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*size = len;
	return buf;
}

static int cmp_range(const void *a, const void *b)
{
	const struct portcon_range *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

static int usage(void)
{
	fprintf(stderr, "usage: portcon-check [-n NAMES] FILE [PORT...]\n");
	return 2;
}

int main(int argc, char **argv)
{
	static struct portcon pc;
	struct portcon_names names;
	char err[PORTCON_ERR_MAX];
	const char *names_path = NULL;
	char *text;
	size_t size;
	int i = 1;

	if (argc > 2 && !strcmp(argv[1], "-n")) {
		names_path = argv[2];
		i = 3;
	}
	if (i >= argc || argv[i][0] == '-')
		return usage();

	if (names_path) {
		text = slurp(names_path, &size);
		if (!text) {
			fprintf(stderr, "portcon-check: %s: %s\n", names_path,
				strerror(errno));
			return 1;
		}
		if (portcon_names_parse(text, size, &names, err, sizeof(err))) {
			fprintf(stderr, "portcon-check: %s: %s\n", names_path,
				err);
			return 1;
		}
		free(text);
	}

	text = slurp(argv[i], &size);
	if (!text) {
		fprintf(stderr, "portcon-check: %s: %s\n", argv[i],
			strerror(errno));
		return 1;
	}
	if (portcon_parse(text, size, &pc,
			  names_path ? portcon_names_context_ok : NULL,
			  names_path ? &names : NULL, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", argv[i], err);
		return 1;
	}
	free(text);

	if (i + 1 == argc) {
		qsort(pc.range, pc.nr, sizeof(pc.range[0]), cmp_range);
		for (unsigned int r = 0; r < pc.nr; r++)
			printf("argo port %u-%u -> %s\n", pc.range[r].first,
			       pc.range[r].last, pc.range[r].context);
		printf("argo port default -> %s\n",
		       pc.default_line ? pc.default_context :
		       "the argo_port initial SID");
	}
	for (i++; i < argc; i++) {
		char *end;
		unsigned long port;

		errno = 0;
		port = strtoul(argv[i], &end, 10);
		if (errno || end == argv[i] || *end || port > UINT32_MAX ||
		    argv[i][0] == '-') {
			fprintf(stderr, "portcon-check: bad port '%s'\n",
				argv[i]);
			return 1;
		}
		const char *label = portcon_label(&pc, (uint32_t)port);
		printf("%lu %s\n", port, label ? label : "-");
	}

	if (names_path)
		portcon_names_free(&names);
	return 0;
}
