// SPDX-License-Identifier: MIT
/* Rate-limited logging (ratelog.h). Domain ids index the table directly:
 * Xen's are below 0x7FF0, so 32 K small entries, allocated once. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ratelog.h"

#define NDOMS 0x7FF0

struct budget {
	int64_t period;		/* which period the counts are for */
	uint32_t used, dropped;
};

static struct budget doms[NDOMS], all;
static unsigned int period_s = RATELOG_PERIOD_S, per_domain = RATELOG_PER_DOMAIN,
	global = RATELOG_GLOBAL;

void ratelog_limits(unsigned int p, unsigned int d, unsigned int g)
{
	period_s = p ? p : 1;
	per_domain = d;
	global = g;
}

static int64_t period_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec / period_s;
}

/* Start a new period if due, reporting what the last one dropped. */
static void roll(struct budget *b, int64_t now, const char *who)
{
	if (b->period == now)
		return;
	if (b->dropped)
		fprintf(stderr, "argo-discoveryd: %s: %u more messages suppressed\n", who,
			b->dropped);
	b->period = now;
	b->used = b->dropped = 0;
}

void ratelog(uint16_t domid, const char *fmt, ...)
{
	struct budget *d = domid < NDOMS ? &doms[domid] : &doms[NDOMS - 1];
	int64_t now = period_now();
	char who[32];
	va_list ap;

	snprintf(who, sizeof(who), "domain %u", domid);
	roll(d, now, who);
	roll(&all, now, "all domains");
	if (d->used >= per_domain) {
		d->dropped++;
		return;
	}
	if (all.used >= global) {
		all.dropped++;
		return;
	}
	d->used++;
	all.used++;
	fprintf(stderr, "argo-discoveryd: %s: ", who);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
