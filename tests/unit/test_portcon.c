// SPDX-License-Identifier: MIT
/*
 * Host tests for tools/portcon.c, the userspace argo-portcon checker, held
 * to Xen's own parser: xen/xsm/flask/argo_port.c, taken from the project's
 * Xen series (GPL-2.0-only; this test binary is built, never shipped) and
 * built against a small shim (xenshim/). Every case runs through both; they
 * must accept the same files, print the same message for each error (Xen's
 * carries a "flask: " prefix), and give every port the same label. Xen must
 * also fail closed on every error: all ports unlabeled.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portcon.h"
#include "tap.h"
#include "xen_portcon.h"

static int cmp_range(const void *a, const void *b)
{
	const struct portcon_range *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

/*
 * One file through both parsers. want_err: the userspace message, or NULL
 * if the file is valid.
 */
static void check_file(const char *name, const char *text, size_t size,
		       const char *want_err)
{
	static struct portcon pc;
	char err[PORTCON_ERR_MAX], tname[256], want_xen[PORTCON_ERR_MAX + 8];
	int rc = portcon_parse(text, size, &pc, portcon_names_context_ok,
			       &names, err, sizeof(err));

	xen_boot(text, size, 1);

	snprintf(tname, sizeof(tname), "%s: tools/portcon.c %s", name,
		 want_err ? "refuses it" : "accepts it");
	if (want_err)
		TAP_CHECK(tname, rc == -1 && !strcmp(err, want_err),
			  "expected '%s', got rc %d '%s'", want_err, rc, err);
	else
		TAP_CHECK(tname, rc == 0, "expected success, got '%s'", err);

	snprintf(want_xen, sizeof(want_xen), "flask: %s", want_err ? want_err : "");
	snprintf(tname, sizeof(tname), "%s: Xen %s", name,
		 want_err ? "prints the same error" : "accepts it");
	TAP_CHECK(tname, !strcmp(xen_error(), want_err ? want_xen : ""),
		  "expected '%s', got '%s'", want_err ? want_xen : "",
		  xen_error());

	if (want_err) {
		snprintf(tname, sizeof(tname), "%s: Xen fails closed", name);
		TAP_CHECK(tname,
			  strstr(klog, "flask: argo-portcon rejected: every Argo port is unlabeled\n") &&
			  strstr(klog, "flask: argo port default -> " CTX_UNLABELED "\n") &&
			  flask_argo_port_sid(0) == SECINITSID_UNLABELED &&
			  flask_argo_port_sid(5000) == SECINITSID_UNLABELED &&
			  flask_argo_port_sid(UINT32_MAX) == SECINITSID_UNLABELED,
			  "log:\n%s", klog);
		return;
	}
	if (rc)
		return;

	/* Same label for each range's ends, their neighbours and extremes. */
	bool same = true;
	char why[600] = "";
	uint32_t probe[4 * PORTCON_MAX_RANGES + 3];
	unsigned int np = 0;

	probe[np++] = 0;
	probe[np++] = 5000;
	probe[np++] = UINT32_MAX;
	for (unsigned int i = 0; i < pc.nr; i++) {
		probe[np++] = pc.range[i].first;
		probe[np++] = pc.range[i].last;
		probe[np++] = pc.range[i].first - 1;
		probe[np++] = pc.range[i].last + 1;
	}
	for (unsigned int i = 0; i < np && same; i++)
		if (strcmp(user_label(&pc, probe[i]), xen_label(probe[i]))) {
			same = false;
			snprintf(why, sizeof(why), "port %u: portcon.c '%s', Xen '%s'",
				 probe[i], user_label(&pc, probe[i]),
				 xen_label(probe[i]));
		}
	snprintf(tname, sizeof(tname), "%s: same labels", name);
	TAP_CHECK(tname, same, "%s", why);

	/* Xen's boot lines: the ranges in port order, then the default. */
	static struct portcon_range sorted[PORTCON_MAX_RANGES];
	static char want_log[1 << 15];
	size_t n = 0;

	memcpy(sorted, pc.range, pc.nr * sizeof(sorted[0]));
	qsort(sorted, pc.nr, sizeof(sorted[0]), cmp_range);
	for (unsigned int i = 0; i < pc.nr; i++)
		n += (size_t)snprintf(want_log + n, sizeof(want_log) - n,
				      "flask: argo port %u-%u -> %s\n",
				      sorted[i].first, sorted[i].last,
				      sorted[i].context);
	snprintf(want_log + n, sizeof(want_log) - n,
		 "flask: argo port default -> %s\n",
		 pc.default_line ? pc.default_context : CTX_ARGO_PORT);
	snprintf(tname, sizeof(tname), "%s: Xen prints the labels", name);
	TAP_CHECK(tname, !strcmp(klog, want_log), "expected:\n%s# got:\n%s",
		  want_log, klog);
}

#define FILE_OK(name, text) check_file(name, text, sizeof(text) - 1, NULL)
#define FILE_BAD(name, text, err) check_file(name, text, sizeof(text) - 1, err)
#define H PORTCON_HEADER "\n"

static char big[PORTCON_MAX_SIZE + 64];

static void check_generated(void)
{
	size_t n;

	/* 64 ranges fit; a 65th is one too many. */
	n = (size_t)snprintf(big, sizeof(big), H);
	for (unsigned int i = 0; i < PORTCON_MAX_RANGES; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n,
				      "portcon %u-%u system_u:object_r:%s\n",
				      7000 + 10 * i, 7000 + 10 * i + 9,
				      i % 2 ? "argo_web_port_t" : "argo_blk_port_t");
	check_file("64 ranges", big, n, NULL);
	n += (size_t)snprintf(big + n, sizeof(big) - n,
			      "portcon 9 system_u:object_r:argo_web_port_t\n");
	check_file("65 ranges", big, n,
		   "argo-portcon line 66: more than 64 portcon entries");

	/* Exactly the largest size, of comment lines, is accepted. */
	n = (size_t)snprintf(big, sizeof(big), H);
	while (n < PORTCON_MAX_SIZE) {
		size_t room = PORTCON_MAX_SIZE - n;
		size_t len = room > 101 ? 101 : room;

		memset(big + n, 'c', len);
		big[n] = '#';
		big[n + len - 1] = '\n';
		n += len;
	}
	check_file("65536 bytes", big, n, NULL);
	big[n++] = '\n';
	check_file("65537 bytes", big, n,
		   "argo-portcon: larger than 65536 bytes");

	/* Lines of 255 characters are fine, 256 are not. */
	n = (size_t)snprintf(big, sizeof(big), H);
	memset(big + n, 'x', 255);
	big[n] = '#';
	n += 255;
	big[n++] = '\n';
	check_file("255-character line", big, n, NULL);
	n = (size_t)snprintf(big, sizeof(big), H);
	memset(big + n, 'x', 256);
	big[n] = '#';
	n += 256;
	check_file("256-character line", big, n,
		   "argo-portcon line 2: longer than 255 characters");

	/* A NUL byte. */
	static const char nul[] = H "portcon 1 system_u:object_r:argo_port_t\n#\0\n";
	check_file("NUL byte", nul, sizeof(nul) - 1,
		   "argo-portcon line 3: invalid character 0x00");
}

static void check_xen_only(void)
{
	/* No module: the argo_port initial SID everywhere, said so. */
	xen_boot("", 0, 0);
	TAP_CHECK("no module: Xen prints the default label",
		  !strcmp(klog, "flask: no argo-portcon module: Argo ports have the default label\n"
				"flask: argo port default -> " CTX_ARGO_PORT "\n"),
		  "got:\n%s", klog);
	TAP_EQ("no module: every port has the argo_port SID",
	       SECINITSID_ARGO_PORT, flask_argo_port_sid(5000));

	/* Two modules: refused, closed. */
	static const char one[] = H "portcon 5000 system_u:object_r:argo_web_port_t\n";
	xen_boot(one, sizeof(one) - 1, 2);
	TAP_CHECK("two modules: refused",
		  !strcmp(xen_error(), "flask: argo-portcon: 2 modules, at most one is allowed"),
		  "got '%s'", xen_error());
	TAP_EQ("two modules: fails closed", SECINITSID_UNLABELED,
	       flask_argo_port_sid(5000));

	/* flask=late: nothing until the first policy is loaded. */
	ss_initialized = 0;
	xen_boot(one, sizeof(one) - 1, 1);
	ss_initialized = 1;
	TAP_CHECK("flask=late: the module waits",
		  !strcmp(klog, "flask: argo-portcon module waits for a policy to be loaded\n"),
		  "got:\n%s", klog);
	klog_len = 0;
	klog[0] = '\0';
	avc_bumps = 0;
	flask_argo_portcon_policy_loaded();
	TAP_CHECK("flask=late: read at the first policy load",
		  !strcmp(xen_label(5000), "system_u:object_r:argo_web_port_t") &&
		  !strcmp(xen_label(5001), CTX_ARGO_PORT),
		  "5000 '%s', 5001 '%s'", xen_label(5000), xen_label(5001));
	/* Argo's rings remember allowed sends (0024): new labels void them. */
	TAP_EQ("flask=late: the labels bump the AVC generation", 1, avc_bumps);
	klog_len = 0;
	klog[0] = '\0';
	flask_argo_portcon_policy_loaded();
	TAP_CHECK("flask=late: a reload reads nothing", klog_len == 0,
		  "got:\n%s", klog);
}

static void check_userspace_only(void)
{
	struct portcon_names n;
	char err[128];

	TAP_CHECK("names: a bad line is refused",
		  portcon_names_parse("type a_t\nattribute b\n", 21, &n, err,
				      sizeof(err)) == -1 &&
		  !strcmp(err, "names line 2: want 'type NAME' or 'user NAME'"),
		  "got '%s'", err);
	TAP_CHECK("names: two words after the keyword are refused",
		  portcon_names_parse("type a_t b_t\n", 13, &n, err,
				      sizeof(err)) == -1,
		  "%s", "accepted");
	TAP_EQ("names: types", 4, names.ntype);
	TAP_EQ("names: users", 1, names.nuser);
	TAP_CHECK("names: a type with '-' and '.'",
		  portcon_names_context_ok("system_u:object_r:argo-dash.port_t",
					   &names), "%s", "refused");

	TAP_CHECK("module magic: header", portcon_is_module(H, sizeof(H) - 1),
		  "%s", "no");
	TAP_CHECK("module magic: another version is still claimed",
		  portcon_is_module("# argo-portcon v2\n", 18), "%s", "no");
	TAP_CHECK("module magic: the bare magic",
		  portcon_is_module("# argo-portcon", 14), "%s", "no");
	TAP_CHECK("module magic: not a longer word",
		  !portcon_is_module("# argo-portconx\n", 16), "%s", "yes");
	TAP_CHECK("module magic: not a policy",
		  !portcon_is_module("\x8c\xff\x7c\xf9", 4), "%s", "yes");
	/* As long as the magic, with a blank where it ends: only the text differs. */
	TAP_CHECK("module magic: not another file of the same length",
		  !portcon_is_module("# argo-portcom v1\n", 18), "%s", "yes");

	struct portcon pc;
	TAP_CHECK("no callback: any well-formed context",
		  portcon_parse(H "portcon 1 a:object_r:b\n",
				sizeof(H "portcon 1 a:object_r:b\n") - 1, &pc,
				NULL, NULL, err, sizeof(err)) == 0, "%s", err);
}

/*
 * Which boot modules Xen claims as the labels (issue 16): a mapping spoiled
 * by a byte-order mark, a line before the header or a misspelt header is
 * claimed, so the parser refuses it and Argo closes, rather than counting as
 * no mapping or becoming dom0's initrd; nothing else is claimed.
 */
static void check_claims(void)
{
	static const struct {
		const char *name, *head;
		size_t len;
		bool claimed;
	} c[] = {
#define CLAIM(name, head, claimed) { name, head, sizeof(head) - 1, claimed }
		CLAIM("the header", "# argo-portcon v1\n", true),
		CLAIM("the header alone, no newline", "# argo-portcon", true),
		CLAIM("another version", "# argo-portcon v2\n", true),
		CLAIM("a byte-order mark first", "\xef\xbb\xbf# argo-portcon v1\n", true),
		CLAIM("no space after '#'", "#argo-portcon v1\n", true),
		CLAIM("upper case and '_'", "# ARGO_PORTCON v1\n", true),
		CLAIM("a comment line first", "# lab labels\n# argo-portcon v1\n", true),
		CLAIM("a blank line first", "\n  \t\n# argo-portcon v1\n", true),
		CLAIM("CRLF lines", "# x\r\n# argo-portcon v1\r\n", true),
		CLAIM("named later in the first comment", "# labels: argo-portcon\n", true),
		CLAIM("a cpio initrd", "070701000000010000", false),
		CLAIM("a gzip initrd", "\x1f\x8b\x08\x00" "argo-portcon", false),
		CLAIM("a Flask policy", "\x8c\xff\x7c\xf9" "argo-portcon", false),
		CLAIM("a portcon line before any header", "portcon 1 x\n# argo-portcon v1\n", false),
		CLAIM("a comment naming something else", "# a script\necho argo-portcon\n", false),
		CLAIM("a control character in a comment", "# a\x01 argo-portcon\n", false),
		CLAIM("empty", "", false),
#undef CLAIM
	};
	char buf[400];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		char name[128];

		snprintf(name, sizeof(name), "claims: %s: %s", c[i].name,
			 c[i].claimed ? "claimed" : "not claimed");
		TAP_CHECK(name, flask_argo_portcon_claims(c[i].head, c[i].len) == c[i].claimed,
			  "expected %d", c[i].claimed);
	}
	/* Only the first 256 bytes are looked at. */
	memset(buf, '\n', sizeof(buf));
	memcpy(buf + 300, "# argo-portcon v1\n", 18);
	TAP_CHECK("claims: a header past the first 256 bytes: not claimed",
		  !flask_argo_portcon_claims(buf, sizeof(buf)), "got %s", "claimed");

	/* A claimed, spoiled mapping is refused and closes Argo. */
	static const char bom[] = "\xef\xbb\xbf" H "default system_u:object_r:argo_web_port_t\n";
	xen_boot(bom, sizeof(bom) - 1, 1);
	TAP_CHECK("a byte-order mark: refused",
		  !strcmp(xen_error(), "flask: argo-portcon line 1: invalid character 0xef"),
		  "got '%s'", xen_error());
	TAP_EQ("a byte-order mark: fails closed", SECINITSID_UNLABELED, flask_argo_port_sid(7000));
	static const char late[] = "# labels\n" H;
	xen_boot(late, sizeof(late) - 1, 1);
	TAP_CHECK("a comment before the header: refused",
		  !strcmp(xen_error(), "flask: argo-portcon line 1: expected '# argo-portcon v1'"),
		  "got '%s'", xen_error());
	TAP_EQ("a comment before the header: fails closed", SECINITSID_UNLABELED,
	       flask_argo_port_sid(7000));
}

int main(void)
{
	char err[128];

	if (portcon_names_parse(names_text, sizeof(names_text) - 1, &names,
				err, sizeof(err))) {
		printf("Bail out! names: %s\n", err);
		return 1;
	}

	FILE_OK("the example",
		H "portcon 5000 system_u:object_r:argo_web_port_t\n"
		"portcon 6000-6099 system_u:object_r:argo_blk_port_t\n"
		"default system_u:object_r:argo_port_t\n");
	FILE_OK("header only", H);
	FILE_OK("header without newline", PORTCON_HEADER);
	FILE_OK("comments, blanks, tabs, unsorted, no final newline",
		H "# a comment\n\n   \t\n\t# indented comment with 'quotes' & stuff\n"
		"portcon\t6000-6099 \t system_u:object_r:argo_blk_port_t   \n"
		"  portcon 0005000 system_u:object_r:argo_web_port_t\n"
		"portcon 0 system_u:object_r:argo_blk_port_t\n"
		"portcon 4294967295 system_u:object_r:argo_web_port_t\n"
		"default system_u:object_r:argo_web_port_t");
	FILE_OK("one range of every port",
		H "portcon 0-4294967295 system_u:object_r:argo_web_port_t\n");
	FILE_OK("a range of one port written FIRST-LAST",
		H "portcon 5000-5000 system_u:object_r:argo_web_port_t\n");
	FILE_OK("adjacent ranges",
		H "portcon 10-19 system_u:object_r:argo_web_port_t\n"
		"portcon 20-29 system_u:object_r:argo_blk_port_t\n"
		"portcon 0-9 system_u:object_r:argo_web_port_t\n");
	FILE_OK("default first", H "default system_u:object_r:argo_blk_port_t\n"
		"portcon 1 system_u:object_r:argo_web_port_t\n");

	FILE_BAD("empty file", "", "argo-portcon line 1: expected '# argo-portcon v1'");
	FILE_BAD("another version", "# argo-portcon v2\n",
		 "argo-portcon line 1: expected '# argo-portcon v1'");
	FILE_BAD("header with a trailing blank", "# argo-portcon v1 \n",
		 "argo-portcon line 1: expected '# argo-portcon v1'");
	FILE_BAD("no header", "portcon 1 system_u:object_r:argo_web_port_t\n",
		 "argo-portcon line 1: expected '# argo-portcon v1'");
	FILE_BAD("CRLF", "# argo-portcon v1\r\n",
		 "argo-portcon line 1: invalid character 0x0d");
	FILE_BAD("UTF-8 in a comment", H "# caf\xc3\xa9\n",
		 "argo-portcon line 2: invalid character 0xc3");
	FILE_BAD("DEL", H "\x7f\n", "argo-portcon line 2: invalid character 0x7f");
	FILE_BAD("the last control character", H "# \x1f\n",
		 "argo-portcon line 2: invalid character 0x1f");
	FILE_OK("the first and last printable characters", H "# \x20~\n");
	FILE_BAD("unknown keyword", H "portcons 1 system_u:object_r:argo_web_port_t\n",
		 "argo-portcon line 2: unknown keyword 'portcons'");
	FILE_BAD("keywords are case-sensitive", H "Default system_u:object_r:argo_web_port_t\n",
		 "argo-portcon line 2: unknown keyword 'Default'");
	FILE_BAD("portcon alone", H "portcon\n",
		 "argo-portcon line 2: portcon needs a port range and a context");
	FILE_BAD("portcon without context", H "\nportcon 5000\n",
		 "argo-portcon line 3: portcon needs a port range and a context");
	FILE_BAD("portcon with a trailing comment",
		 H "portcon 5000 system_u:object_r:argo_web_port_t # web\n",
		 "argo-portcon line 2: unexpected '#' after the context");
	FILE_BAD("portcon with two more words",
		 H "portcon 5000 system_u:object_r:argo_web_port_t a b\n",
		 "argo-portcon line 2: unexpected 'a' after the context");
	FILE_BAD("range: word", H "portcon web system_u:object_r:argo_web_port_t\n",
		 "argo-portcon line 2: bad port range 'web'");
	FILE_BAD("range: hex", H "portcon 0x10 system_u:object_r:argo_web_port_t\n",
		 "argo-portcon line 2: bad port range '0x10'");
	FILE_BAD("range: sign", H "portcon +5 system_u:object_r:argo_web_port_t\n",
		 "argo-portcon line 2: bad port range '+5'");
	FILE_BAD("range: negative", H "portcon -5 system_u:object_r:argo_web_port_t\n",
		 "argo-portcon line 2: bad port range '-5'");
	FILE_BAD("range: open end", H "portcon 5- system_u:object_r:argo_web_port_t\n",
		 "argo-portcon line 2: bad port range '5-'");
	FILE_BAD("range: reversed", H "portcon 6-5 system_u:object_r:argo_web_port_t\n",
		 "argo-portcon line 2: bad port range '6-5'");
	FILE_BAD("range: the character after '9'", H "portcon 5: system_u:object_r:argo_web_port_t\n",
		 "argo-portcon line 2: bad port range '5:'");
	FILE_BAD("range: the character before '0'", H "portcon / system_u:object_r:argo_web_port_t\n",
		 "argo-portcon line 2: bad port range '/'");
	FILE_BAD("range: three parts", H "portcon 1-2-3 system_u:object_r:argo_web_port_t\n",
		 "argo-portcon line 2: bad port range '1-2-3'");
	FILE_BAD("range: 2^32", H "portcon 4294967296 system_u:object_r:argo_web_port_t\n",
		 "argo-portcon line 2: bad port range '4294967296'");
	FILE_BAD("range: 2^32 as the end", H "portcon 1-4294967296 system_u:object_r:argo_web_port_t\n",
		 "argo-portcon line 2: bad port range '1-4294967296'");
	FILE_BAD("range: 2^64+1", H "portcon 18446744073709551617 system_u:object_r:argo_web_port_t\n",
		 "argo-portcon line 2: bad port range '18446744073709551617'");
	FILE_BAD("overlap: same port",
		 H "portcon 5000 system_u:object_r:argo_web_port_t\n"
		 "portcon 5000 system_u:object_r:argo_web_port_t\n",
		 "argo-portcon line 3: range 5000-5000 overlaps line 2");
	FILE_BAD("overlap: inside, the earliest line named",
		 H "portcon 6000-6099 system_u:object_r:argo_blk_port_t\n"
		 "portcon 5000 system_u:object_r:argo_web_port_t\n"
		 "portcon 5500-6050 system_u:object_r:argo_web_port_t\n",
		 "argo-portcon line 4: range 5500-6050 overlaps line 2");
	FILE_BAD("overlap: shared end",
		 H "portcon 10-20 system_u:object_r:argo_blk_port_t\n"
		 "portcon 20-30 system_u:object_r:argo_web_port_t\n",
		 "argo-portcon line 3: range 20-30 overlaps line 2");
	FILE_BAD("overlap: covering",
		 H "portcon 10-20 system_u:object_r:argo_blk_port_t\n"
		 "portcon 0-4294967295 system_u:object_r:argo_web_port_t\n",
		 "argo-portcon line 3: range 0-4294967295 overlaps line 2");
	FILE_BAD("context: system_r",
		 H "portcon 1 system_u:system_r:argo_web_port_t\n",
		 "argo-portcon line 2: malformed context 'system_u:system_r:argo_web_port_t' (want user:object_r:type)");
	FILE_BAD("context: a role that starts with object_r",
		 H "portcon 5000 system_u:object_rx:argo_web_port_t\n",
		 "argo-portcon line 2: malformed context 'system_u:object_rx:argo_web_port_t' (want user:object_r:type)");
	FILE_BAD("context: MLS part",
		 H "portcon 1 system_u:object_r:argo_web_port_t:s0\n",
		 "argo-portcon line 2: malformed context 'system_u:object_r:argo_web_port_t:s0' (want user:object_r:type)");
	FILE_BAD("context: no type", H "portcon 1 system_u:object_r:\n",
		 "argo-portcon line 2: malformed context 'system_u:object_r:' (want user:object_r:type)");
	FILE_BAD("context: no user", H "portcon 1 :object_r:argo_web_port_t\n",
		 "argo-portcon line 2: malformed context ':object_r:argo_web_port_t' (want user:object_r:type)");
	FILE_BAD("context: two fields", H "default system_u:object_r\n",
		 "argo-portcon line 2: malformed context 'system_u:object_r' (want user:object_r:type)");
	FILE_BAD("context: a bare type", H "default argo_web_port_t\n",
		 "argo-portcon line 2: malformed context 'argo_web_port_t' (want user:object_r:type)");
	FILE_BAD("context: odd character", H "default system_u:object_r:argo_web$_t\n",
		 "argo-portcon line 2: malformed context 'system_u:object_r:argo_web$_t' (want user:object_r:type)");
	FILE_BAD("context: checked before overlap",
		 H "portcon 1 system_u:object_r:argo_web_port_t\n"
		 "portcon 1 system_u:object_r\n",
		 "argo-portcon line 3: malformed context 'system_u:object_r' (want user:object_r:type)");
	FILE_BAD("context: unknown type",
		 H "portcon 5000 system_u:object_r:argo_web_port_t\n"
		 "\n"
		 "portcon 5001 system_u:object_r:nope_t\n",
		 "argo-portcon line 4: unknown context 'system_u:object_r:nope_t'");
	FILE_BAD("context: unknown user", H "default user_1:object_r:argo_web_port_t\n",
		 "argo-portcon line 2: unknown context 'user_1:object_r:argo_web_port_t'");
	/* Every class of character a name may hold, at its edges: well formed. */
	FILE_BAD("context: a-z A-Z 0-9 _ . - are name characters",
		 H "portcon 5000 azAZ09_.-:object_r:Zz9.A-a_0\n",
		 "argo-portcon line 2: unknown context 'azAZ09_.-:object_r:Zz9.A-a_0'");
	FILE_BAD("context: overlap checked before the policy",
		 H "portcon 1 system_u:object_r:argo_web_port_t\n"
		 "portcon 1 system_u:object_r:nope_t\n",
		 "argo-portcon line 3: range 1-1 overlaps line 2");
	FILE_BAD("default alone", H "default\n", "argo-portcon line 2: default needs a context");
	FILE_BAD("default with more", H "default system_u:object_r:argo_web_port_t x\n",
		 "argo-portcon line 2: unexpected 'x' after the context");
	FILE_BAD("second default",
		 H "default system_u:object_r:argo_web_port_t\n"
		 "portcon 1 system_u:object_r:argo_web_port_t\n"
		 "default system_u:object_r:argo_web_port_t\n",
		 "argo-portcon line 4: second default (first on line 2)");
	FILE_BAD("the first error wins",
		 H "bogus\nportcon x y\n",
		 "argo-portcon line 2: unknown keyword 'bogus'");

	check_generated();
	check_xen_only();
	check_claims();
	check_userspace_only();

	portcon_names_free(&names);
	for (unsigned int i = 100; i < next_sid; i++)
		free(sid_ctx[i]);
	return tap_done();
}
