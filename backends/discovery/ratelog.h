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

#define RATELOG_PERIOD_S	10
#define RATELOG_PER_DOMAIN	5
#define RATELOG_GLOBAL		50

/* Log "argo-discoveryd: domain D: ..." to stderr within the budgets. */
void ratelog(uint16_t domid, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
