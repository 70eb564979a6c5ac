// SPDX-License-Identifier: MIT
/*
 * argo-discover: ask the discovery service which virtio devices this guest
 * has (docs/discovery.md). It knows no domid: it binds its discovery
 * source port and sends to the implicit destination, and the patch cable
 * the toolstack programmed for that port picks the service. -w also
 * subscribes to hot-add and hot-remove events and prints them as they
 * come. -x sends raw bytes instead, and prints the status of the answer
 * (a tool for testing the service with malformed messages).
 *
 * Output, one line per device or event:
 *   device N TYPE port=P backend_ring=B frontend_ring=F queues=Q queue_size=S features=0xX
 *   added|removed N TYPE port=P ... generation=G
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <argo/discovery.h>
#include <argo/ports.h>
#include "tool-util.h"

static const char usage[] =
	"usage: argo-discover [-p SRCPORT] [-t SECONDS] [-w [-e EVENTPORT] [-n EVENTS]] [-R READYFILE]\n"
	"       argo-discover [-p SRCPORT] [-t SECONDS] -x HEX [-T ARGOTYPE]\n"
	"SRCPORT defaults to 5011, EVENTPORT to 5012 (include/argo/ports.h).\n";

#define LIST_MAX 1024

static struct argo_handle *q;	/* the discovery source port */
static int timeout_ms = 10000;
static uint16_t token = 1;
/* The service's domain, learnt from its first answer: later messages from
 * anyone else are refused. */
static int server = -1;

static const struct argo_peer implicit = { .domain = ARGO_DOMID_IMPLICIT, .port = 0 };

static void die(const char *what)
{
	fprintf(stderr, "argo-discover: %s\n", what);
	exit(1);
}

static void type_name(uint32_t id, char *buf, size_t len)
{
	static const char *const names[] = { [1] = "net", [2] = "block", [3] = "console",
					     [4] = "rng", [19] = "vsock", [26] = "fs" };

	if (id < sizeof(names) / sizeof(names[0]) && names[id])
		snprintf(buf, len, "%s", names[id]);
	else
		snprintf(buf, len, "type%u", id);
}

static void print_dev(const char *what, const struct argo_disc_dev *d, long gen)
{
	char t[16];

	type_name(d->device_id, t, sizeof(t));
	printf("%s %u %s port=%u backend_ring=%u frontend_ring=%u queues=%u queue_size=%u "
	       "features=0x%llx", what, d->dev_num, t, d->backend_port, d->backend_ring,
	       d->frontend_ring, d->num_queues, d->queue_size, (unsigned long long)d->features);
	if (gen >= 0)
		printf(" generation=%ld", gen);
	printf("\n");
	fflush(stdout);
}

/* Send len bytes to the service through the cable of our source port. */
static void send_raw(const void *buf, size_t len, uint32_t type)
{
	if (argo_send(q, &implicit, type, buf, len) < 0) {
		argo_perror("argo-discover", "send to the discovery port's cable");
		exit(1);
	}
}

/*
 * Receive one discovery message on h from the service into buf and decode
 * it. 1 when one came, 0 on timeout. Messages from another domain than
 * the service's, or not of discovery's Argo type, are reported and skipped.
 */
static int recv_msg(struct argo_handle *h, uint8_t *buf, struct argo_disc_msg *m, int ms,
		    int *status)
{
	struct argo_peer src;
	uint32_t type;
	ssize_t n;

	for (;;) {
		if (ms >= 0 && argo_wait(h, ms) == 0)
			return 0;
		n = argo_recv(h, buf, ARGO_DISC_MSG_MAX, &src, &type);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EMSGSIZE) {
				/* Too big to be ours: take it off the ring and drop it. */
				static uint8_t big[ARGO_MSG_MAX];

				argo_recv(h, big, sizeof(big), &src, &type);
				fprintf(stderr, "argo-discover: dropped an oversized message from %u\n",
					src.domain);
				continue;
			}
			argo_perror("argo-discover", "receive");
			exit(1);
		}
		if (server >= 0 && src.domain != server) {
			fprintf(stderr, "argo-discover: dropped a message from domain %u, "
				"not the discovery service (%d)\n", src.domain, server);
			continue;
		}
		if (type != ARGO_DISC_MSG_TYPE) {
			fprintf(stderr, "argo-discover: dropped a message of Argo type %#x\n", type);
			continue;
		}
		*status = argo_disc_decode(buf, (uint32_t)n, m);
		if (server < 0)
			server = src.domain;
		return 1;
	}
}

/* Send a request and wait for its response (matched by token). */
static void request(struct argo_disc_msg *req, uint8_t *rbuf, struct argo_disc_msg *resp)
{
	uint8_t buf[ARGO_DISC_MSG_MAX];
	int n, status;

	req->hdr.type = ARGO_DISC_TYPE_BUS;
	req->hdr.token = token++;
	n = argo_disc_encode(buf, sizeof(buf), req, NULL);
	if (n < 0)
		die("cannot encode a request (a bug)");
	send_raw(buf, (size_t)n, ARGO_DISC_MSG_TYPE);
	for (;;) {
		if (!recv_msg(q, rbuf, resp, timeout_ms, &status))
			die("no answer from the discovery service (is the port cabled?)");
		if (status != ARGO_DISC_OK) {
			fprintf(stderr, "argo-discover: malformed answer: %s\n", resp->why);
			exit(1);
		}
		if (!(resp->hdr.type & ARGO_DISC_TYPE_RESPONSE) ||
		    resp->hdr.token != req->hdr.token || resp->hdr.msg_id != req->hdr.msg_id)
			continue;	/* a stale answer to an earlier request */
		if (resp->hdr.status) {
			fprintf(stderr, "argo-discover: the service refused the request: %s\n",
				argo_disc_strstatus(resp->hdr.status));
			exit(1);
		}
		return;
	}
}

/* List every device; returns the generation the list is of. */
static uint32_t list_devices(void)
{
	struct argo_disc_dev devs[LIST_MAX];
	uint8_t rbuf[ARGO_DISC_MSG_MAX];
	struct argo_disc_msg req, resp;
	unsigned int tries, i, n;
	uint32_t gen = 0, off;

	for (tries = 0; tries < 10; tries++) {
		n = 0;
		off = 0;
		do {
			memset(&req, 0, sizeof(req));
			req.hdr.msg_id = ARGO_DISC_MSG_GET_DEVICES;
			req.u.get_req.offset = (uint16_t)off;
			req.u.get_req.count = (uint16_t)(0x10000 - off > 0xFFFF ? 0xFFFF : 0x10000 - off);
			request(&req, rbuf, &resp);
			if (off && resp.hdr.generation != gen)
				break;	/* changed while we read it: start again */
			gen = resp.hdr.generation;
			for (i = 0; i < resp.u.get_resp.count && n < LIST_MAX; i++)
				argo_disc_record(&resp, i, &devs[n++]);
			off = resp.u.get_resp.next_offset;
		} while (off);
		if (!off)
			break;
	}
	if (tries == 10)
		die("the device list kept changing while being read");
	for (i = 0; i < n; i++)
		print_dev("device", &devs[i], -1);
	return gen;
}

int main(int argc, char **argv)
{
	unsigned long src_port = ARGO_PORT_DISCOVERY_CLIENT, ev_port = ARGO_PORT_DISCOVERY_EVENTS;
	unsigned long max_events = 0, seen = 0, rawtype = ARGO_DISC_MSG_TYPE;
	const char *ready = NULL;
	uint8_t *raw = NULL;
	size_t rawlen = 0;
	int opt, wait_events = 0, have_raw = 0;
	uint32_t features = 0;

	while ((opt = getopt(argc, argv, "p:t:we:n:R:x:T:")) != -1) {
		switch (opt) {
		case 'p': src_port = parse_num("source port", optarg, UINT32_MAX); break;
		case 't': timeout_ms = (int)parse_num("seconds", optarg, 3600) * 1000; break;
		case 'w': wait_events = 1; break;
		case 'e': ev_port = parse_num("event port", optarg, UINT32_MAX); break;
		case 'n': max_events = parse_num("events", optarg, 1000000); break;
		case 'R': ready = optarg; break;
		case 'x': rawlen = parse_hex(optarg, &raw); have_raw = 1; break;
		case 'T': rawtype = parse_num("Argo type", optarg, UINT32_MAX); break;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (optind != argc || (have_raw && wait_events)) {
		fputs(usage, stderr);
		return 2;
	}
	q = open_or_die("argo-discover");
	if (argo_features(q, &features) || !(features & ARGO_FEATURE_CABLES))
		die("this Xen has no patch cables (ARGO_FEATURE_CABLES): no implicit destination");
	/* A wildcard ring: the guest cannot know which domain will answer. */
	if (argo_bind(q, (uint32_t)src_port, ARGO_DOMID_ANY, 0)) {
		argo_perror("argo-discover", "bind the discovery source port");
		return 1;
	}
	if (have_raw) {
		uint8_t rbuf[ARGO_DISC_MSG_MAX];
		struct argo_disc_msg m;
		int status;

		send_raw(raw, rawlen, (uint32_t)rawtype);
		if (!recv_msg(q, rbuf, &m, timeout_ms, &status)) {
			printf("no answer\n");
			return 0;
		}
		if (status != ARGO_DISC_OK)
			printf("malformed answer: %s\n", m.why);
		else
			printf("status %u %s\n", m.hdr.status, argo_disc_strstatus(m.hdr.status));
		return 0;
	}
	if (!wait_events) {
		list_devices();
		return 0;
	} else {
		struct argo_handle *ev = open_or_die("argo-discover");
		uint8_t rbuf[ARGO_DISC_MSG_MAX];
		struct argo_disc_msg req = { .hdr.msg_id = ARGO_DISC_MSG_SUBSCRIBE }, resp;
		uint32_t gen;
		int status;

		if (argo_bind(ev, (uint32_t)ev_port, ARGO_DOMID_ANY, 0)) {
			argo_perror("argo-discover", "bind the event port");
			return 1;
		}
		/* Subscribe before listing, so no change falls between the two. */
		req.u.sub.event_port = (uint32_t)ev_port;
		req.u.sub.flags = ARGO_DISC_SUB_ON;
		request(&req, rbuf, &resp);
		gen = list_devices();
		if (ready)
			mark_ready(ready);
		while (!max_events || seen < max_events) {
			if (!recv_msg(ev, rbuf, &resp, -1, &status))
				continue;
			if (status != ARGO_DISC_OK || resp.hdr.msg_id != ARGO_DISC_MSG_EVENT_DEVICE) {
				fprintf(stderr, "argo-discover: ignored a bad event: %s\n",
					status ? resp.why : "not EVENT_DEVICE");
				continue;
			}
			if ((int32_t)(resp.hdr.generation - gen) <= 0)
				continue;	/* already in the list we printed */
			if (resp.hdr.generation != gen + 1) {
				/* Events were lost (our ring was full): read the list again. */
				printf("resync generation=%u\n", resp.hdr.generation);
				gen = list_devices();
				continue;
			}
			gen = resp.hdr.generation;
			print_dev(resp.u.event.state == ARGO_DISC_DEV_ADDED ? "added" : "removed",
				  &resp.u.event.dev, gen);
			seen++;
		}
		/* Unsubscribe: the service stops sending to a port nobody reads. */
		memset(&req, 0, sizeof(req));
		req.hdr.msg_id = ARGO_DISC_MSG_SUBSCRIBE;
		request(&req, rbuf, &resp);
		argo_close(ev);
	}
	argo_close(q);
	return 0;
}
