// SPDX-License-Identifier: MIT
/*
 * argo-discoveryd's device state directory (devstate.h). The files come
 * from the toolstack, which is trusted, but a typo must still give a clear
 * message naming the file and line rather than a wrong device in a guest:
 * every value is parsed whole and checked with the codec's own validator.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "devstate.h"

static const struct {
	const char *name;
	uint32_t id;
} types[] = {
	{ "net", 1 }, { "block", 2 }, { "console", 3 }, { "rng", 4 },
	{ "vsock", 19 }, { "fs", 26 },
};

const char *devstate_type_name(uint32_t id)
{
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (types[i].id == id)
			return types[i].name;
	return NULL;
}

static int parse_u64(const char *s, uint64_t max, uint64_t *v)
{
	char *end;
	unsigned long long x;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno || *end || x > max)
		return -1;
	*v = x;
	return 0;
}

int devstate_parse(const char *text, uint16_t dev_num, struct argo_disc_dev *d,
		   char *err, size_t errlen)
{
	char line[256];
	const char *p = text, *nl, *why;
	int lineno = 0, have_type = 0, have_port = 0;

	memset(d, 0, sizeof(*d));
	d->dev_num = dev_num;
	d->num_queues = 1;
	d->queue_size = 256;
	d->backend_ring = d->frontend_ring = 64 * 1024;
	while (*p) {
		char *eq, *key, *val;
		uint64_t v;
		size_t n, i;

		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		lineno++;
		if (n >= sizeof(line)) {
			snprintf(err, errlen, "line %d: longer than %zu bytes", lineno, sizeof(line) - 1);
			return -1;
		}
		memcpy(line, p, n);
		line[n] = 0;
		p += n + (nl ? 1 : 0);
		if (!line[0] || line[0] == '#')
			continue;
		eq = strchr(line, '=');
		if (!eq) {
			snprintf(err, errlen, "line %d: expected key=value, got '%s'", lineno, line);
			return -1;
		}
		*eq = 0;
		key = line;
		val = eq + 1;
		if (!strcmp(key, "type")) {
			for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
				if (!strcmp(val, types[i].name))
					break;
			if (i < sizeof(types) / sizeof(types[0]))
				v = types[i].id;
			else if (parse_u64(val, ARGO_DISC_DEVICE_ID_MAX, &v) || !v)
				goto bad;
			d->device_id = (uint32_t)v;
			have_type = 1;
		} else if (!strcmp(key, "port")) {
			if (parse_u64(val, UINT32_MAX, &v))
				goto bad;
			d->backend_port = (uint32_t)v;
			have_port = 1;
		} else if (!strcmp(key, "backend_ring")) {
			if (parse_u64(val, UINT32_MAX, &v))
				goto bad;
			d->backend_ring = (uint32_t)v;
		} else if (!strcmp(key, "frontend_ring")) {
			if (parse_u64(val, UINT32_MAX, &v))
				goto bad;
			d->frontend_ring = (uint32_t)v;
		} else if (!strcmp(key, "queues")) {
			if (parse_u64(val, UINT16_MAX, &v))
				goto bad;
			d->num_queues = (uint16_t)v;
		} else if (!strcmp(key, "queue_size")) {
			if (parse_u64(val, UINT16_MAX, &v))
				goto bad;
			d->queue_size = (uint16_t)v;
		} else if (!strcmp(key, "features")) {
			if (parse_u64(val, UINT64_MAX, &v))
				goto bad;
			d->features = v;
		} else if (!strcmp(key, "vendor")) {
			if (parse_u64(val, UINT32_MAX, &v))
				goto bad;
			d->vendor_id = (uint32_t)v;
		} else {
			snprintf(err, errlen, "line %d: unknown key '%s'", lineno, key);
			return -1;
		}
		continue;
bad:
		snprintf(err, errlen, "line %d: bad value '%s' for %s", lineno, val, key);
		return -1;
	}
	if (!have_type || !have_port) {
		snprintf(err, errlen, "missing %s", have_type ? "port=" : "type=");
		return -1;
	}
	why = argo_disc_dev_invalid(d);
	if (why) {
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	return 0;
}

int devstate_format(const struct argo_disc_dev *d, char *buf, size_t len)
{
	const char *name = devstate_type_name(d->device_id);
	char type[16];
	int n;

	if (name)
		snprintf(type, sizeof(type), "%s", name);
	else
		snprintf(type, sizeof(type), "%u", d->device_id);
	n = snprintf(buf, len,
		     "type=%s\nport=%u\nbackend_ring=%u\nfrontend_ring=%u\nqueues=%u\n"
		     "queue_size=%u\nfeatures=0x%llx\nvendor=%u\n",
		     type, d->backend_port, d->backend_ring, d->frontend_ring, d->num_queues,
		     d->queue_size, (unsigned long long)d->features, d->vendor_id);
	return n < 0 || (size_t)n >= len ? -1 : n;
}

/* A device file name: a decimal number 1..65535 with no leading zero. */
static int file_dev_num(const char *name)
{
	uint64_t v;

	if (name[0] < '1' || name[0] > '9' || parse_u64(name, UINT16_MAX, &v))
		return -1;
	if (strspn(name, "0123456789") != strlen(name))
		return -1;
	return (int)v;
}

static int read_file(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	size_t got = 0;
	ssize_t n;

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf + got, cap - got)) > 0) {
		got += (size_t)n;
		if (got == cap)
			break;
	}
	close(fd);
	if (n < 0 || got == cap)
		return -1;
	buf[got] = 0;
	if (memchr(buf, 0, got)) {
		errno = EINVAL;
		return -1;
	}
	return (int)got;
}

static int cmp_dev(const void *a, const void *b)
{
	const struct argo_disc_dev *x = a, *y = b;

	return (int)x->dev_num - (int)y->dev_num;
}

static void quiet(uint16_t domid, const char *file, const char *why)
{
	(void)domid;
	(void)file;
	(void)why;
}

int devstate_load(const char *dir, uint16_t domid, struct argo_disc_dev *devs,
		  devstate_warn_fn *warn)
{
	char path[4096], text[DEVSTATE_FILE_MAX + 1], err[160];
	struct dirent *e;
	DIR *dp;
	int n = 0, num;

	snprintf(path, sizeof(path), "%s/%u", dir, domid);
	dp = opendir(path);
	if (!dp)
		return 0;
	if (!warn)
		warn = quiet;
	while ((e = readdir(dp))) {
		if (e->d_name[0] == '.')
			continue;
		num = file_dev_num(e->d_name);
		if (num < 0) {
			warn(domid, e->d_name, "not a device number (1-65535)");
			continue;
		}
		if (n == DEVSTATE_MAX_DEVICES) {
			warn(domid, e->d_name, "over the limit of 64 devices per guest");
			continue;
		}
		snprintf(path, sizeof(path), "%s/%u/%s", dir, domid, e->d_name);
		if (read_file(path, text, sizeof(text)) < 0) {
			warn(domid, e->d_name, "unreadable, larger than 1024 bytes, or not text");
			continue;
		}
		if (devstate_parse(text, (uint16_t)num, &devs[n], err, sizeof(err))) {
			warn(domid, e->d_name, err);
			continue;
		}
		n++;
	}
	closedir(dp);
	qsort(devs, (size_t)n, sizeof(devs[0]), cmp_dev);
	return n;
}

/* The highest device number domid has had, kept in .last. */
static int last_num(const char *dir, uint16_t domid)
{
	struct argo_disc_dev devs[DEVSTATE_MAX_DEVICES];
	char path[4096], text[32];
	uint64_t v = 0;
	int n, i, last = 0;

	snprintf(path, sizeof(path), "%s/%u/.last", dir, domid);
	if (read_file(path, text, sizeof(text)) > 0) {
		text[strcspn(text, "\n")] = 0;
		if (!parse_u64(text, UINT16_MAX, &v))
			last = (int)v;
	}
	n = devstate_load(dir, domid, devs, NULL);
	for (i = 0; i < n; i++)
		if (devs[i].dev_num > last)
			last = devs[i].dev_num;
	return last;
}

static int write_atomic(const char *dir, uint16_t domid, const char *name,
			const char *text)
{
	char tmp[4096], path[4096];
	size_t len = strlen(text);
	int fd, ok;

	snprintf(tmp, sizeof(tmp), "%s/%u/.tmp-%s", dir, domid, name);
	snprintf(path, sizeof(path), "%s/%u/%s", dir, domid, name);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	ok = write(fd, text, len) == (ssize_t)len;
	ok = !close(fd) && ok;
	if (!ok || rename(tmp, path)) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

int devstate_mkdir(const char *dir)
{
	char path[4096];
	size_t i;

	if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (i = 1; path[i]; i++) {
		if (path[i] != '/')
			continue;
		path[i] = 0;
		if (mkdir(path, 0755) && errno != EEXIST)
			return -1;
		path[i] = '/';
	}
	return mkdir(path, 0755) && errno != EEXIST ? -1 : 0;
}

static int mkdirs(const char *dir, uint16_t domid)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%u", dir, domid);
	return devstate_mkdir(path);
}

int devstate_add(const char *dir, uint16_t domid, struct argo_disc_dev *d,
		 char *err, size_t errlen)
{
	struct argo_disc_dev devs[DEVSTATE_MAX_DEVICES];
	char text[DEVSTATE_FILE_MAX], name[16];
	const char *why;
	int num;

	if (mkdirs(dir, domid)) {
		snprintf(err, errlen, "cannot create %s/%u: %s", dir, domid, strerror(errno));
		return -1;
	}
	if (devstate_load(dir, domid, devs, quiet) >= DEVSTATE_MAX_DEVICES) {
		errno = ENOSPC;
		snprintf(err, errlen, "guest %u already has %d devices", domid,
			 DEVSTATE_MAX_DEVICES);
		return -1;
	}
	num = last_num(dir, domid) + 1;
	if (num > UINT16_MAX) {
		errno = ENOSPC;
		snprintf(err, errlen, "guest %u has used every device number", domid);
		return -1;
	}
	d->dev_num = (uint16_t)num;
	why = argo_disc_dev_invalid(d);
	if (why) {
		errno = EINVAL;
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	devstate_format(d, text, sizeof(text));
	snprintf(name, sizeof(name), "%d\n", num);
	/* .last first: a crash between the two wastes a number, never reuses one. */
	if (write_atomic(dir, domid, ".last", name)) {
		snprintf(err, errlen, "cannot write %s/%u/.last: %s", dir, domid, strerror(errno));
		return -1;
	}
	snprintf(name, sizeof(name), "%d", num);
	if (write_atomic(dir, domid, name, text)) {
		snprintf(err, errlen, "cannot write %s/%u/%s: %s", dir, domid, name,
			 strerror(errno));
		return -1;
	}
	return num;
}

int devstate_del(const char *dir, uint16_t domid, uint16_t dev_num)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%u/%u", dir, domid, dev_num);
	return unlink(path);
}

int devstate_clear(const char *dir, uint16_t domid)
{
	char path[4096];
	struct dirent *e;
	DIR *dp;

	snprintf(path, sizeof(path), "%s/%u", dir, domid);
	dp = opendir(path);
	if (!dp)
		return errno == ENOENT ? 0 : -1;
	while ((e = readdir(dp))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%u/%s", dir, domid, e->d_name);
		unlink(path);
	}
	closedir(dp);
	snprintf(path, sizeof(path), "%s/%u", dir, domid);
	return rmdir(path);
}
