/* SPDX-License-Identifier: MIT */
/*
 * argo-portcon: the labels of Argo ports, as Xen reads them at boot.
 *
 * The format (docs/argo-firewall.md):
 *
 *	# argo-portcon v1
 *	portcon 5000 system_u:object_r:argo_web_port_t
 *	portcon 6000-6099 system_u:object_r:argo_blk_port_t
 *	default system_u:object_r:argo_port_t
 *
 * portcon_parse() applies exactly the rules of Xen's parser
 * (xen/xsm/flask/argo_port.c, added by the project's Xen series), in the
 * same order, and on an error writes the message Xen would print, without
 * Xen's "flask: " prefix. Xen resolves each context in the loaded policy;
 * here a callback decides, e.g. portcon_names_context_ok() with the names
 * scripts/policy-build extracts from the policy's source.
 *
 * No Xen dependency: C11 and libc only.
 */
#ifndef ARGO_PORTCON_H
#define ARGO_PORTCON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PORTCON_MAX_RANGES	64
#define PORTCON_MAX_SIZE	65536
#define PORTCON_MAX_LINE	255
#define PORTCON_HEADER		"# argo-portcon v1"
/* How Xen recognises the module among the boot modules. */
#define PORTCON_MAGIC		"# argo-portcon"
/* Room for any message portcon_parse() writes. */
#define PORTCON_ERR_MAX		(2 * PORTCON_MAX_LINE + 32)

struct portcon_range {
	uint32_t first, last;		/* inclusive */
	unsigned int line;
	char context[PORTCON_MAX_LINE + 1];
};

struct portcon {
	struct portcon_range range[PORTCON_MAX_RANGES];	/* file order */
	unsigned int nr;
	unsigned int default_line;	/* 0: no default line */
	char default_context[PORTCON_MAX_LINE + 1];
};

/*
 * Is a well-formed context (user:object_r:type) valid in the policy? Xen's
 * equivalent is security_context_to_sid() succeeding.
 */
typedef bool portcon_context_ok_fn(const char *context, void *arg);

/*
 * Parse and check an argo-portcon file. ok == NULL accepts every
 * well-formed context. Returns 0, or -1 with err set to e.g.
 * "argo-portcon line 3: unknown context 'system_u:object_r:nope_t'".
 */
int portcon_parse(const char *text, size_t size, struct portcon *pc,
		  portcon_context_ok_fn *ok, void *arg,
		  char *err, size_t errlen);

/* Would Xen take a boot module with these first bytes for an argo-portcon? */
bool portcon_is_module(const char *text, size_t size);

/*
 * The context a port is labelled with: its range's, the default line's, or
 * NULL for the argo_port initial SID (argo_port_t in Xen's default policy).
 */
const char *portcon_label(const struct portcon *pc, uint32_t port);

/*
 * The names a context may use, read from a names file: one "type NAME" or
 * "user NAME" per line ("#" comments and blank lines ignored), as
 * scripts/policy-build writes from the compiled policy's source. Types
 * are types and aliases, never attributes.
 */
struct portcon_names {
	char **type, **user;
	size_t ntype, nuser;
};

/* Returns 0, or -1 with err set; free with portcon_names_free(). */
int portcon_names_parse(const char *text, size_t size,
			struct portcon_names *names, char *err, size_t errlen);
void portcon_names_free(struct portcon_names *names);

/* A portcon_context_ok_fn: arg is a struct portcon_names. */
bool portcon_names_context_ok(const char *context, void *arg);

#endif
