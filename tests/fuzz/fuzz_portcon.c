// SPDX-License-Identifier: MIT
/*
 * Fuzz target, differential: tools/portcon.c (argo-ctl's argo-portcon
 * checker) against Xen's own parser, xen/xsm/flask/argo_port.c from the
 * project's series (tests/unit/xen_portcon.h builds it on the host). The
 * boot module is the one input Xen parses from outside at boot; the two
 * parsers must agree on every file:
 *
 *  - both accept it, or both refuse it with the same message (Xen's with
 *    "flask: " in front);
 *  - refused: Xen fails closed, every port unlabeled;
 *  - accepted: every port gets the same label from both (probed at each
 *    range's ends and neighbours, the extremes, and ports from the input).
 *
 * The first input byte picks whether the valid header line is prepended,
 * so most inputs get past it to the lines.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "portcon.h"
#include "xen_portcon.h"

static void setup(void)
{
	static int done;
	char err[PORTCON_ERR_MAX];

	if (done)
		return;
	done = 1;
	if (portcon_names_parse(names_text, sizeof(names_text) - 1, &names,
				err, sizeof(err)))
		FUZZ_ASSERT(0, "names: %s", err);
}

static void agree(const struct portcon *pc, uint32_t port)
{
	const char *u = user_label(pc, port), *x = xen_label(port);

	FUZZ_ASSERT(!strcmp(u, x), "port %u: portcon.c '%s', Xen '%s'", port, u, x);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char header[] = PORTCON_HEADER "\n";
	static struct portcon pc;
	char err[PORTCON_ERR_MAX], want[PORTCON_ERR_MAX + 8];
	struct fuzz_in in = FUZZ_IN(data, size);
	uint8_t mode = fuzz_u8(&in);
	size_t hlen = mode & 1 ? sizeof(header) - 1 : 0;
	size_t len = hlen + fuzz_left(&in);
	char *text;
	int rc;

	setup();
	text = malloc(len ? len : 1);
	if (!text)
		abort();
	memcpy(text, header, hlen);
	fuzz_fill(&in, text + hlen, len - hlen);

	rc = portcon_parse(text, len, &pc, portcon_names_context_ok, &names,
			   err, sizeof(err));
	xen_boot(text, len, 1);

	snprintf(want, sizeof(want), "flask: %s", rc ? err : "");
	FUZZ_ASSERT(!strcmp(xen_error(), rc ? want : ""),
		    "portcon.c rc %d '%s', Xen '%s'", rc, rc ? err : "", xen_error());
	if (rc) {
		FUZZ_ASSERT(flask_argo_port_sid(0) == SECINITSID_UNLABELED &&
			    flask_argo_port_sid(UINT32_MAX) == SECINITSID_UNLABELED,
			    "Xen did not fail closed on '%s'", err);
		goto out;
	}
	agree(&pc, 0);
	agree(&pc, UINT32_MAX);
	for (unsigned int i = 0; i < pc.nr; i++) {
		agree(&pc, pc.range[i].first);
		agree(&pc, pc.range[i].last);
		agree(&pc, pc.range[i].first - 1);
		agree(&pc, pc.range[i].last + 1);
	}
	for (size_t i = 0; i + 4 <= size && i < 64; i += 4) {
		uint32_t port;

		memcpy(&port, data + i, 4);
		agree(&pc, port);
	}
out:
	free(text);
	return 0;
}
