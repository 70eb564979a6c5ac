// SPDX-License-Identifier: MIT
/*
 * argo-discoveryd's rate-limited log (backends/discovery/ratelog.c): a
 * guest over its budget is cut off and its suppressed lines counted, and
 * cannot use up another guest's budget below the global one.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ratelog.h"
#include "tap.h"

static char out[8192];

/* Run f with stderr captured into out. */
static void capture(void (*f)(void))
{
	FILE *t = tmpfile(), *saved = stderr;
	size_t n;

	stderr = t;
	f();
	fflush(t);
	stderr = saved;
	rewind(t);
	n = fread(out, 1, sizeof(out) - 1, t);
	out[n] = 0;
	fclose(t);
}

static int count(const char *needle)
{
	const char *p = out;
	int n = 0;

	while ((p = strstr(p, needle))) {
		n++;
		p += strlen(needle);
	}
	return n;
}

static void flood(void)
{
	int i;

	for (i = 0; i < 10; i++)
		ratelog(7, "bad message %d", i);
	for (i = 0; i < 2; i++)
		ratelog(8, "other guest %d", i);
	for (i = 0; i < 10; i++)
		ratelog(9, "third guest %d", i);
}

static void later(void)
{
	ratelog(7, "after the period");
}

static void wait_period(void)
{
	struct timespec now, t = { .tv_sec = 0, .tv_nsec = 50 * 1000 * 1000 };
	time_t start;

	clock_gettime(CLOCK_MONOTONIC, &now);
	start = now.tv_sec;
	do {
		nanosleep(&t, NULL);
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec == start);
}

int main(void)
{
	/* 1-second periods, 3 lines per domain, 7 in all. */
	ratelog_limits(1, 3, 7);
	wait_period();	/* start at the beginning of a period */
	capture(flood);
	TAP_EQ("flooding_guest_cut_at_its_budget", 3, count("domain 7: bad message"));
	TAP_EQ("other_guest_keeps_its_budget", 2, count("domain 8: other guest"));
	TAP_EQ("global_budget_caps_the_rest", 2, count("domain 9: third guest"));
	TAP_CHECK("line_names_domain_and_message",
		  strstr(out, "argo-discoveryd: domain 7: bad message 0\n") != NULL,
		  "expected the first line, got '%.80s'", out);
	wait_period();
	capture(later);
	TAP_CHECK("suppressed_lines_counted_in_next_period",
		  strstr(out, "argo-discoveryd: domain 7: 7 more messages suppressed\n") != NULL &&
		  strstr(out, "domain 7: after the period") != NULL,
		  "expected a count of 7 and the new line, got '%s'", out);
	return tap_done();
}
