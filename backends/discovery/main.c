// SPDX-License-Identifier: MIT
/*
 * argo-discoveryd: the discovery service (docs/discovery.md). It binds a
 * wildcard ring on the discovery port and answers each guest, as Xen
 * stamped its source, with the devices the toolstack assigned to that
 * guest in the state directory; it sends hot-add and hot-remove events to
 * the guests that subscribed. It runs in dom0 by default and unchanged in
 * a driver domain: the toolstack cables guests to whichever it chooses.
 *
 * A guest can only ever affect its own answers: the reply goes to the
 * source Xen stamped, every send is non-blocking (a guest that never
 * reads its ring loses its own replies, nobody else's), a malformed
 * message gets an error status and a rate-limited log line, and no state
 * is kept for a guest beyond its subscription.
 *
 * The same binary is the toolstack's interface to the state directory:
 * argo-discoveryd device add|del|list|clear (see usage).
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <argo/discovery.h>
#include <argo/ports.h>
#include "libargo.h"
#include "devstate.h"
#include "ratelog.h"

#define NDOMS 0x7FF0
/* Larger than any message the ring can hold, so argo_recv never refuses
 * one as too big (it would stay queued and stall the service). */
#define RECV_BUF (1024 * 1024)

static const char usage[] =
	"usage: argo-discoveryd [-s STATEDIR] [-p PORT] [-r RINGSIZE] [-R READYFILE] [-L LINES] [-v]\n"
	"       argo-discoveryd [-s STATEDIR] device add DOMID type=T port=P [KEY=VALUE...]\n"
	"       argo-discoveryd [-s STATEDIR] device del DOMID DEVNUM\n"
	"       argo-discoveryd [-s STATEDIR] device list DOMID\n"
	"       argo-discoveryd [-s STATEDIR] device clear DOMID\n"
	"STATEDIR defaults to /run/argo/devices, PORT to 5010 (ARGO_PORT_DISCOVERY).\n"
	"-L: log lines per guest per 10 s about its bad messages (default 5; 10x in all).\n"
	"Device keys: type (block|net|console|ID) port backend_ring frontend_ring\n"
	"             queues queue_size features vendor.\n";

struct guest {
	int ndev;
	struct argo_disc_dev devs[DEVSTATE_MAX_DEVICES];
	uint32_t generation;
	uint32_t event_port;
	int subscribed;
};

static const char *statedir = "/run/argo/devices";
static struct guest *guests[NDOMS];
static struct argo_handle *argo;
static int verbose;

static void warn_file(uint16_t domid, const char *file, const char *why)
{
	fprintf(stderr, "argo-discoveryd: %s/%u/%s skipped: %s\n", statedir, domid, file, why);
}

static struct guest *guest_get(uint16_t domid)
{
	if (domid >= NDOMS)
		return NULL;
	if (!guests[domid])
		guests[domid] = calloc(1, sizeof(struct guest));
	return guests[domid];
}

static int dev_same(const struct argo_disc_dev *a, const struct argo_disc_dev *b)
{
	return a->dev_num == b->dev_num && a->num_queues == b->num_queues &&
	       a->device_id == b->device_id && a->vendor_id == b->vendor_id &&
	       a->backend_port == b->backend_port && a->backend_ring == b->backend_ring &&
	       a->frontend_ring == b->frontend_ring && a->queue_size == b->queue_size &&
	       a->features == b->features;
}

static void send_msg(uint16_t domid, uint32_t port, const struct argo_disc_msg *m,
		     const struct argo_disc_dev *devs, const char *what)
{
	struct argo_peer dst = { .domain = domid, .port = port };
	uint8_t buf[ARGO_DISC_MSG_MAX];
	int n = argo_disc_encode(buf, sizeof(buf), m, devs);

	if (n < 0) {
		fprintf(stderr, "argo-discoveryd: BUG: cannot encode %s for domain %u: %s\n",
			what, domid, strerror(-n));
		return;
	}
	if (argo_send(argo, &dst, ARGO_DISC_MSG_TYPE, buf, (size_t)n) < 0)
		ratelog(domid, "%s to port %u not sent: %s", what, port,
			argo_strerror(errno));
}

static void send_event(uint16_t domid, struct guest *g, uint16_t state,
		       const struct argo_disc_dev *d)
{
	struct argo_disc_msg m = { .hdr = { .type = ARGO_DISC_TYPE_BUS,
		.msg_id = ARGO_DISC_MSG_EVENT_DEVICE } };

	g->generation++;
	fprintf(stderr, "argo-discoveryd: domain %u: device %u %s (generation %u)\n", domid,
		d->dev_num, state == ARGO_DISC_DEV_ADDED ? "added" : "removed", g->generation);
	if (!g->subscribed)
		return;
	m.hdr.generation = g->generation;
	m.u.event.state = state;
	m.u.event.dev = *d;
	send_msg(domid, g->event_port, &m, NULL, "EVENT_DEVICE");
}

/* Reload one guest's devices and announce what changed, removals first. */
static void reload(uint16_t domid)
{
	struct argo_disc_dev now[DEVSTATE_MAX_DEVICES];
	struct guest *g = guest_get(domid);
	int n = devstate_load(statedir, domid, now, warn_file), i, j;

	if (!g)
		return;
	for (i = 0; i < g->ndev; i++) {
		for (j = 0; j < n && !dev_same(&g->devs[i], &now[j]); j++)
			;
		if (j == n)
			send_event(domid, g, ARGO_DISC_DEV_REMOVED, &g->devs[i]);
	}
	for (j = 0; j < n; j++) {
		for (i = 0; i < g->ndev && !dev_same(&g->devs[i], &now[j]); i++)
			;
		if (i == g->ndev)
			send_event(domid, g, ARGO_DISC_DEV_ADDED, &now[j]);
	}
	memcpy(g->devs, now, sizeof(now[0]) * (size_t)n);
	g->ndev = n;
}

static int parse_domid(const char *s)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	v = strtol(s, &end, 10);
	return *end || v < 0 || v >= NDOMS ? -1 : (int)v;
}

/*
 * Rescan the whole state directory: every guest directory present, and
 * every guest we knew (its directory may be gone). Watches are (re)added
 * for new guest directories; adding an existing watch is harmless.
 */
static void rescan(int ifd)
{
	static char seen[NDOMS];
	struct dirent *e;
	DIR *dp;
	int d;

	memset(seen, 0, sizeof(seen));
	dp = opendir(statedir);
	if (dp) {
		while ((e = readdir(dp))) {
			char path[4096];

			d = parse_domid(e->d_name);
			if (d < 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", statedir, e->d_name);
			if (ifd >= 0)
				inotify_add_watch(ifd, path, IN_CLOSE_WRITE | IN_MOVED_TO |
						  IN_MOVED_FROM | IN_DELETE | IN_DELETE_SELF);
			seen[d] = 1;
			reload((uint16_t)d);
		}
		closedir(dp);
	}
	for (d = 0; d < NDOMS; d++)
		if (guests[d] && !seen[d] && guests[d]->ndev)
			reload((uint16_t)d);
}

static void reply_error(const struct argo_peer *src, const struct argo_disc_msg *req,
			int status)
{
	struct argo_disc_msg m = { .hdr = { .type = ARGO_DISC_TYPE_BUS | ARGO_DISC_TYPE_RESPONSE,
		.msg_id = req->hdr.msg_id, .token = req->hdr.token,
		.status = (uint16_t)status } };

	send_msg(src->domain, src->port, &m, NULL, "error response");
}

static void answer_get_devices(const struct argo_peer *src, struct guest *g,
			       const struct argo_disc_msg *req)
{
	struct argo_disc_msg m = { .hdr = { .type = ARGO_DISC_TYPE_BUS | ARGO_DISC_TYPE_RESPONSE,
		.msg_id = ARGO_DISC_MSG_GET_DEVICES, .token = req->hdr.token,
		.generation = g->generation } };
	uint32_t lo = req->u.get_req.offset, hi = lo + req->u.get_req.count;
	int i, first = -1, n = 0;

	for (i = 0; i < g->ndev; i++) {
		if (g->devs[i].dev_num < lo)
			continue;
		if (g->devs[i].dev_num >= hi || n == ARGO_DISC_RECORDS_MAX) {
			/* The next device past what this answer holds. */
			m.u.get_resp.next_offset = g->devs[i].dev_num;
			break;
		}
		if (first < 0)
			first = i;
		n++;
	}
	m.u.get_resp.offset = (uint16_t)lo;
	m.u.get_resp.count = (uint16_t)n;
	send_msg(src->domain, src->port, &m, n ? &g->devs[first] : NULL, "GET_DEVICES response");
}

static void handle(const uint8_t *buf, ssize_t len, const struct argo_peer *src,
		   uint32_t type)
{
	struct argo_disc_msg req, m = { 0 };
	struct guest *g = guest_get(src->domain);
	int status;

	if (!g)
		return;
	if (type != ARGO_DISC_MSG_TYPE) {
		ratelog(src->domain, "port %u: rejected: Argo message type %#x is not discovery's",
			src->port, type);
		return;
	}
	status = argo_disc_decode(buf, (uint32_t)len, &req);
	if (status == ARGO_DISC_OK && (req.hdr.type & ARGO_DISC_TYPE_RESPONSE ||
				       req.hdr.msg_id == ARGO_DISC_MSG_EVENT_DEVICE)) {
		status = ARGO_DISC_E_TYPE;
		req.why = "a response or event sent to the service";
	}
	if (status != ARGO_DISC_OK) {
		ratelog(src->domain, "port %u: rejected %zd-byte message (id %#x): %s",
			src->port, len, req.hdr.msg_id, req.why);
		/* Below the header there is no token to answer with. */
		if (len >= ARGO_DISC_HDR_SIZE)
			reply_error(src, &req, status);
		return;
	}
	if (verbose)
		fprintf(stderr, "argo-discoveryd: domain %u port %u: request %#x\n",
			src->domain, src->port, req.hdr.msg_id);
	m.hdr.type = ARGO_DISC_TYPE_BUS | ARGO_DISC_TYPE_RESPONSE;
	m.hdr.msg_id = req.hdr.msg_id;
	m.hdr.token = req.hdr.token;
	m.hdr.generation = g->generation;
	switch (req.hdr.msg_id) {
	case ARGO_DISC_MSG_GET_DEVICES:
		answer_get_devices(src, g, &req);
		return;
	case ARGO_DISC_MSG_PING:
		m.u.ping = req.u.ping;
		send_msg(src->domain, src->port, &m, NULL, "PING response");
		return;
	case ARGO_DISC_MSG_SUBSCRIBE:
		g->subscribed = !!(req.u.sub.flags & ARGO_DISC_SUB_ON);
		g->event_port = req.u.sub.event_port;
		fprintf(stderr, "argo-discoveryd: domain %u: events %s port %u\n", src->domain,
			g->subscribed ? "to" : "no longer to", g->event_port);
		send_msg(src->domain, src->port, &m, NULL, "SUBSCRIBE response");
		return;
	}
}

static int serve(uint32_t port, uint32_t ring, const char *ready)
{
	uint8_t *buf = malloc(RECV_BUF);
	struct pollfd pfd[2];
	int ifd;

	argo = argo_open();
	if (!buf || !argo) {
		perror("argo-discoveryd: open /dev/argo");
		return 1;
	}
	if (argo_bind(argo, port, ARGO_DOMID_ANY, ring)) {
		fprintf(stderr, "argo-discoveryd: bind port %u for any sender: %s\n", port,
			argo_strerror(errno));
		return 1;
	}
	argo_set_nonblocking(argo, 1);
	/* Parents too: /run/argo may not exist yet on a fresh boot. */
	if (devstate_mkdir(statedir)) {
		fprintf(stderr, "argo-discoveryd: cannot create %s: %s\n", statedir,
			strerror(errno));
		return 1;
	}
	ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (ifd < 0 || inotify_add_watch(ifd, statedir, IN_CREATE | IN_MOVED_TO |
					  IN_MOVED_FROM | IN_DELETE | IN_ONLYDIR) < 0) {
		fprintf(stderr, "argo-discoveryd: cannot watch %s: %s\n", statedir,
			strerror(errno));
		return 1;
	}
	rescan(ifd);
	fprintf(stderr, "argo-discoveryd: serving port %u from %s\n", port, statedir);
	if (ready) {
		int fd = open(ready, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd >= 0)
			close(fd);
	}
	pfd[0] = (struct pollfd){ .fd = argo_fd(argo), .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = ifd, .events = POLLIN };
	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("argo-discoveryd: poll");
			return 1;
		}
		if (pfd[1].revents & POLLIN) {
			char ev[4096];

			while (read(ifd, ev, sizeof(ev)) > 0)
				;
			rescan(ifd);
		}
		/* A bounded batch, so state changes are never starved. */
		for (int i = 0; i < 64 && (pfd[0].revents & POLLIN); i++) {
			struct argo_peer src;
			uint32_t type;
			ssize_t n = argo_recv(argo, buf, RECV_BUF, &src, &type);

			if (n < 0) {
				if (errno != EAGAIN && errno != EINTR)
					fprintf(stderr, "argo-discoveryd: receive: %s\n",
						argo_strerror(errno));
				break;
			}
			handle(buf, n, &src, type);
		}
	}
}

static int device_cmd(int argc, char **argv)
{
	struct argo_disc_dev devs[DEVSTATE_MAX_DEVICES], d;
	char text[DEVSTATE_FILE_MAX] = "", err[200];
	int domid, i, n;

	if (argc < 2 || (domid = parse_domid(argv[1])) < 0) {
		fputs(usage, stderr);
		return 2;
	}
	if (!strcmp(argv[0], "add")) {
		for (i = 2; i < argc; i++) {
			if (strlen(text) + strlen(argv[i]) + 2 > sizeof(text)) {
				fprintf(stderr, "argo-discoveryd: device add: too many keys\n");
				return 2;
			}
			strcat(text, argv[i]);
			strcat(text, "\n");
		}
		if (devstate_parse(text, 1, &d, err, sizeof(err))) {
			fprintf(stderr, "argo-discoveryd: device add: %s\n", err);
			return 2;
		}
		n = devstate_add(statedir, (uint16_t)domid, &d, err, sizeof(err));
		if (n < 0) {
			fprintf(stderr, "argo-discoveryd: device add: %s\n", err);
			return 1;
		}
		printf("%d\n", n);
		return 0;
	}
	if (!strcmp(argv[0], "del") && argc == 3) {
		n = parse_domid(argv[2]);
		if (n <= 0 || n > UINT16_MAX ||
		    devstate_del(statedir, (uint16_t)domid, (uint16_t)n)) {
			fprintf(stderr, "argo-discoveryd: device del: no device %s for domain %d\n",
				argv[2], domid);
			return 1;
		}
		return 0;
	}
	if (!strcmp(argv[0], "list") && argc == 2) {
		n = devstate_load(statedir, (uint16_t)domid, devs, warn_file);
		for (i = 0; i < n; i++) {
			const char *name = devstate_type_name(devs[i].device_id);

			printf("%u %s port=%u backend_ring=%u frontend_ring=%u queues=%u "
			       "queue_size=%u features=0x%llx\n", devs[i].dev_num,
			       name ? name : "other", devs[i].backend_port, devs[i].backend_ring,
			       devs[i].frontend_ring, devs[i].num_queues, devs[i].queue_size,
			       (unsigned long long)devs[i].features);
		}
		return 0;
	}
	if (!strcmp(argv[0], "clear") && argc == 2) {
		if (devstate_clear(statedir, (uint16_t)domid)) {
			fprintf(stderr, "argo-discoveryd: device clear %d: %s\n", domid,
				strerror(errno));
			return 1;
		}
		return 0;
	}
	fputs(usage, stderr);
	return 2;
}

int main(int argc, char **argv)
{
	unsigned long port = ARGO_PORT_DISCOVERY, ring = 64 * 1024, lines;
	const char *ready = NULL;
	char *end;
	int opt;

	while ((opt = getopt(argc, argv, "+s:p:r:R:L:v")) != -1) {
		switch (opt) {
		case 'L':
			lines = strtoul(optarg, &end, 10);
			if (*end || !*optarg || *optarg == '-' || !lines || lines > 100000) {
				fprintf(stderr, "argo-discoveryd: invalid -L '%s'\n", optarg);
				return 2;
			}
			ratelog_limits(RATELOG_PERIOD_S, (unsigned int)lines, (unsigned int)lines * 10);
			break;
		case 's': statedir = optarg; break;
		case 'p':
		case 'r':
			errno = 0;
			*(opt == 'p' ? &port : &ring) = strtoul(optarg, &end, 0);
			if (errno || *end || !*optarg || *optarg == '-' ||
			    (opt == 'p' ? port : ring) > UINT32_MAX) {
				fprintf(stderr, "argo-discoveryd: invalid -%c '%s'\n", opt, optarg);
				return 2;
			}
			break;
		case 'R': ready = optarg; break;
		case 'v': verbose = 1; break;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (optind < argc && !strcmp(argv[optind], "device"))
		return device_cmd(argc - optind - 1, argv + optind + 1);
	if (optind != argc) {
		fputs(usage, stderr);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	return serve((uint32_t)port, (uint32_t)ring, ready);
}
