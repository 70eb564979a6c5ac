/* SPDX-License-Identifier: MIT */
/*
 * Rate-limited logging for what guests make argo-discoveryd say: a guest
 * sending garbage as fast as it can must neither fill dom0's logs nor
 * hide another guest's lines. Each domain has a budget of lines per
 * period, and all domains together a larger one; what goes over is
 * counted and reported once the period ends.
 */
#ifndef DISCOVERY_RATELOG_H
#define DISCOVERY_RATELOG_H

#include <stdint.h>

/* Defaults: 5 lines per domain and 50 in all per 10 seconds. */
#define RATELOG_PERIOD_S	10
#define RATELOG_PER_DOMAIN	5
#define RATELOG_GLOBAL		50

/* Change the budgets (period in seconds, >= 1). */
void ratelog_limits(unsigned int period_s, unsigned int per_domain, unsigned int global);

/* Log "argo-discoveryd: domain D: ..." to stderr within the budgets. */
void ratelog(uint16_t domid, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
