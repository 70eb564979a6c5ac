// SPDX-License-Identifier: MIT
/*
 * argo-portcon parser and checker: the rules, their order and the messages
 * of Xen's parser (xen/xsm/flask/argo_port.c in the project's Xen series).
 * tests/unit/test_portcon.c checks both against the same cases.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portcon.h"

struct err {
	char *buf;
	size_t len;
};

static void fail(struct err *e, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct err *e, unsigned int line, const char *fmt, ...)
{
	char msg[PORTCON_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!e->buf || !e->len)
		return;
	if (line)
		snprintf(e->buf, e->len, "argo-portcon line %u: %s", line, msg);
	else
		snprintf(e->buf, e->len, "argo-portcon: %s", msg);
}

static bool parse_port(const char *s, size_t len, uint32_t *port)
{
	uint32_t val = 0;

	if (!len)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		uint32_t digit = (uint32_t)(s[i] - '0');
		if (val > (UINT32_MAX - digit) / 10)
			return false;
		val = val * 10 + digit;
	}
	*port = val;
	return true;
}

/* FIRST or FIRST-LAST, decimal, FIRST <= LAST. */
static bool parse_range(const char *s, uint32_t *first, uint32_t *last)
{
	const char *dash = strchr(s, '-');
	size_t len = strlen(s);

	if (!dash)
		return parse_port(s, len, first) && parse_port(s, len, last);
	return parse_port(s, (size_t)(dash - s), first) &&
	       parse_port(dash + 1, len - (size_t)(dash - s) - 1, last) &&
	       *first <= *last;
}

static bool context_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

/* user:object_r:type, each part non-empty. */
static bool context_well_formed(const char *s)
{
	const char *role = strchr(s, ':'), *type;

	if (!role || role == s)
		return false;
	role++;
	type = strchr(role, ':');
	if (!type || type - role != 8 || strncmp(role, "object_r", 8))
		return false;
	type++;
	if (!*type)
		return false;
	for (const char *p = s; *p; p++)
		if (*p != ':' && !context_char(*p))
			return false;
	return !strchr(type, ':');
}

struct parser {
	struct portcon *pc;
	portcon_context_ok_fn *ok;
	void *arg;
	struct err *err;
};

static int check_context(struct parser *p, unsigned int line, const char *ctx)
{
	if (context_well_formed(ctx))
		return 0;
	fail(p->err, line, "malformed context '%s' (want user:object_r:type)",
	     ctx);
	return -1;
}

/* Xen: security_context_to_sid(). */
static int resolve_context(struct parser *p, unsigned int line,
			   const char *ctx)
{
	if (!p->ok || p->ok(ctx, p->arg))
		return 0;
	fail(p->err, line, "unknown context '%s'", ctx);
	return -1;
}

static int parse_line(struct parser *p, unsigned int line, char *s)
{
	struct portcon *pc = p->pc;
	char *word[4];
	unsigned int nr = 0;
	uint32_t first, last;

	/* Split into words; keep one more than any line has, to report it. */
	for (;;) {
		while (*s == ' ' || *s == '\t')
			*s++ = '\0';
		if (!*s || nr == sizeof(word) / sizeof(word[0]))
			break;
		word[nr++] = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
	}

	if (!nr || word[0][0] == '#')
		return 0;

	if (!strcmp(word[0], "portcon")) {
		if (nr < 3) {
			fail(p->err, line,
			     "portcon needs a port range and a context");
			return -1;
		}
		if (nr > 3) {
			fail(p->err, line, "unexpected '%s' after the context",
			     word[3]);
			return -1;
		}
		if (!parse_range(word[1], &first, &last)) {
			fail(p->err, line, "bad port range '%s'", word[1]);
			return -1;
		}
		if (check_context(p, line, word[2]))
			return -1;
		for (unsigned int i = 0; i < pc->nr; i++)
			if (first <= pc->range[i].last &&
			    pc->range[i].first <= last) {
				fail(p->err, line,
				     "range %u-%u overlaps line %u", first,
				     last, pc->range[i].line);
				return -1;
			}
		if (pc->nr == PORTCON_MAX_RANGES) {
			fail(p->err, line, "more than %u portcon entries",
			     PORTCON_MAX_RANGES);
			return -1;
		}
		if (resolve_context(p, line, word[2]))
			return -1;

		struct portcon_range *r = &pc->range[pc->nr++];
		r->first = first;
		r->last = last;
		r->line = line;
		snprintf(r->context, sizeof(r->context), "%s", word[2]);
		return 0;
	}

	if (!strcmp(word[0], "default")) {
		if (nr < 2) {
			fail(p->err, line, "default needs a context");
			return -1;
		}
		if (nr > 2) {
			fail(p->err, line, "unexpected '%s' after the context",
			     word[2]);
			return -1;
		}
		if (pc->default_line) {
			fail(p->err, line, "second default (first on line %u)",
			     pc->default_line);
			return -1;
		}
		if (check_context(p, line, word[1]) ||
		    resolve_context(p, line, word[1]))
			return -1;
		pc->default_line = line;
		snprintf(pc->default_context, sizeof(pc->default_context),
			 "%s", word[1]);
		return 0;
	}

	fail(p->err, line, "unknown keyword '%s'", word[0]);
	return -1;
}

int portcon_parse(const char *text, size_t size, struct portcon *pc,
		  portcon_context_ok_fn *ok, void *arg,
		  char *errbuf, size_t errlen)
{
	struct err err = { errbuf, errlen };
	struct parser p = { pc, ok, arg, &err };
	char buf[PORTCON_MAX_LINE + 1];
	size_t pos = 0;
	unsigned int line = 0;

	memset(pc, 0, sizeof(*pc));
	if (errbuf && errlen)
		errbuf[0] = '\0';

	if (size > PORTCON_MAX_SIZE) {
		fail(&err, 0, "larger than %u bytes", PORTCON_MAX_SIZE);
		return -1;
	}

	do {
		const char *start = size ? text + pos : "";
		const char *nl = memchr(start, '\n', size - pos);
		size_t len = nl ? (size_t)(nl - start) : size - pos;

		pos += len + (nl ? 1 : 0);
		line++;

		if (len > PORTCON_MAX_LINE) {
			fail(&err, line, "longer than %u characters",
			     PORTCON_MAX_LINE);
			return -1;
		}
		for (size_t i = 0; i < len; i++) {
			unsigned char c = (unsigned char)start[i];

			if (c != '\t' && (c < 0x20 || c > 0x7e)) {
				fail(&err, line, "invalid character 0x%02x", c);
				return -1;
			}
		}
		if (len)
			memcpy(buf, start, len);
		buf[len] = '\0';

		if (line == 1) {
			if (strcmp(buf, PORTCON_HEADER)) {
				fail(&err, line, "expected '%s'",
				     PORTCON_HEADER);
				return -1;
			}
			continue;
		}
		if (parse_line(&p, line, buf))
			return -1;
	} while (pos < size);

	return 0;
}

bool portcon_is_module(const char *text, size_t size)
{
	size_t n = strlen(PORTCON_MAGIC);

	return size >= n && !memcmp(text, PORTCON_MAGIC, n) &&
	       (size == n || text[n] == ' ' || text[n] == '\n');
}

const char *portcon_label(const struct portcon *pc, uint32_t port)
{
	for (unsigned int i = 0; i < pc->nr; i++)
		if (port >= pc->range[i].first && port <= pc->range[i].last)
			return pc->range[i].context;
	return pc->default_line ? pc->default_context : NULL;
}

static bool name_in(char **list, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(list[i]) == len && !memcmp(list[i], name, len))
			return true;
	return false;
}

bool portcon_names_context_ok(const char *context, void *arg)
{
	const struct portcon_names *names = arg;
	const char *role = strchr(context, ':');
	const char *type = role ? strchr(role + 1, ':') : NULL;

	if (!type)
		return false;
	return name_in(names->user, names->nuser, context,
		       (size_t)(role - context)) &&
	       name_in(names->type, names->ntype, type + 1, strlen(type + 1));
}

static int names_add(char ***list, size_t *n, const char *name, size_t len)
{
	char **l = realloc(*list, (*n + 1) * sizeof(**list));

	if (!l)
		return -1;
	*list = l;
	l[*n] = malloc(len + 1);
	if (!l[*n])
		return -1;
	memcpy(l[*n], name, len);
	l[*n][len] = '\0';
	(*n)++;
	return 0;
}

void portcon_names_free(struct portcon_names *names)
{
	for (size_t i = 0; i < names->ntype; i++)
		free(names->type[i]);
	for (size_t i = 0; i < names->nuser; i++)
		free(names->user[i]);
	free(names->type);
	free(names->user);
	memset(names, 0, sizeof(*names));
}

int portcon_names_parse(const char *text, size_t size,
			struct portcon_names *names, char *err, size_t errlen)
{
	size_t pos = 0;
	unsigned int line = 0;

	memset(names, 0, sizeof(*names));
	while (pos < size) {
		const char *s = text + pos;
		const char *nl = memchr(s, '\n', size - pos);
		size_t len = nl ? (size_t)(nl - s) : size - pos;
		const char *end = s + len, *kw, *name;
		size_t kwlen, namelen;

		pos += len + (nl ? 1 : 0);
		line++;

		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		if (s == end || *s == '#')
			continue;
		kw = s;
		while (s < end && *s != ' ' && *s != '\t')
			s++;
		kwlen = (size_t)(s - kw);
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		name = s;
		while (s < end && context_char(*s))
			s++;
		namelen = (size_t)(s - name);
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;

		int rc = -1;
		if (namelen && s == end && kwlen == 4 && !memcmp(kw, "type", 4))
			rc = names_add(&names->type, &names->ntype, name,
				       namelen);
		else if (namelen && s == end && kwlen == 4 &&
			 !memcmp(kw, "user", 4))
			rc = names_add(&names->user, &names->nuser, name,
				       namelen);
		else {
			if (err && errlen)
				snprintf(err, errlen,
					 "names line %u: want 'type NAME' or 'user NAME'",
					 line);
			portcon_names_free(names);
			return -1;
		}
		if (rc) {
			if (err && errlen)
				snprintf(err, errlen, "out of memory");
			portcon_names_free(names);
			return -1;
		}
	}
	return 0;
}
