/* SPDX-License-Identifier: MIT */
/*
 * Xen's argo-portcon parser (xen/xsm/flask/argo_port.c from the project's
 * series, GPL-2.0-only: built into test binaries, never shipped) on the
 * host, over xenshim/ with a policy whose contexts are those of names_text.
 * Shared by tests/unit/test_portcon.c and tests/fuzz/fuzz_portcon.c so the
 * unit tests and the differential fuzzer hold tools/portcon.c to the same
 * Xen. Include once per program, after portcon.h; XEN_ARGO_PORT_C names
 * the extracted file.
 */
#ifndef XEN_PORTCON_H
#define XEN_PORTCON_H

#include "xenshim.h"

int ss_initialized = 1;
#include XEN_ARGO_PORT_C

#define CTX_ARGO_PORT	"system_u:object_r:argo_port_t"
#define CTX_UNLABELED	"system_u:system_r:unlabeled_t"

static const char names_text[] =
	"# names of the test policy\n"
	"user system_u\n"
	"type argo_port_t\n"
	"type argo_web_port_t\n"
	"type argo_blk_port_t\n"
	"\n"
	"  type argo-dash.port_t  \n";

static struct portcon_names names;

/* The shim's policy: every context names accepts gets a SID. */
static char *sid_ctx[512];
static unsigned int next_sid = 100;

int security_context_to_sid(char *scontext, u32 scontext_len, u32 *sid)
{
	if (strlen(scontext) != scontext_len ||
	    !portcon_names_context_ok(scontext, &names))
		return -EINVAL;
	for (unsigned int i = 100; i < next_sid; i++)
		if (!strcmp(sid_ctx[i], scontext)) {
			*sid = i;
			return 0;
		}
	if (next_sid == sizeof(sid_ctx) / sizeof(sid_ctx[0]))
		return -ENOMEM;
	sid_ctx[next_sid] = strdup(scontext);
	*sid = next_sid++;
	return 0;
}

static const char *sid_to_ctx(u32 sid)
{
	if (sid == SECINITSID_UNLABELED)
		return CTX_UNLABELED;
	if (sid == SECINITSID_ARGO_PORT)
		return CTX_ARGO_PORT;
	if (sid >= 100 && sid < next_sid)
		return sid_ctx[sid];
	return NULL;
}

int security_sid_to_context(u32 sid, char **scontext, u32 *scontext_len)
{
	const char *c = sid_to_ctx(sid);

	if (!c)
		return -EINVAL;
	*scontext = strdup(c);
	*scontext_len = (u32)strlen(c) + 1;
	return 0;
}

/* Xen's AVC generation: how often the labels voided remembered decisions. */
static unsigned int avc_bumps;

void avc_generation_bump(void)
{
	avc_bumps++;
}

static char klog[1 << 16];
static size_t klog_len;

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(klog + klog_len, sizeof(klog) - klog_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		klog_len += (size_t)n;
	if (klog_len >= sizeof(klog))
		klog_len = sizeof(klog) - 1;
}

/* Xen's parser, from a clean boot: the labels are set once per boot. */
static void xen_boot(const char *text, size_t size, unsigned int count)
{
	char *copy = malloc(size ? size : 1);

	memcpy(copy, text, size);
	memset(ranges, 0, sizeof(ranges));
	nr_ranges = 0;
	default_sid = SECINITSID_ARGO_PORT;
	portcon_pending = false;
	klog_len = 0;
	klog[0] = '\0';
	flask_argo_portcon_init(copy, size, count);
}

/* The first line of Xen's log that is an argo-portcon error, or "". */
static const char *xen_error(void)
{
	static char line[1024];
	const char *p = klog;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if ((!strncmp(p, "flask: argo-portcon line ", 25) ||
		     !strncmp(p, "flask: argo-portcon: ", 21)) &&
		    len < sizeof(line)) {
			memcpy(line, p, len);
			line[len] = '\0';
			return line;
		}
		p += len + (nl ? 1 : 0);
	}
	return "";
}

static const char *user_label(const struct portcon *pc, uint32_t port)
{
	const char *c = portcon_label(pc, port);

	return c ? c : CTX_ARGO_PORT;
}

static const char *xen_label(uint32_t port)
{
	const char *c = sid_to_ctx(flask_argo_port_sid(port));

	return c ? c : "?";
}

#endif
