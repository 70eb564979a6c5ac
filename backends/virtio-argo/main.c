// SPDX-License-Identifier: MIT
/*
 * virtio-argo-backend: serves virtio devices to virtio-argo frontends by
 * bridging each to a vhost-user back-end (docs/virtio-argo.md).
 *
 *   virtio-argo-backend [-v] [--stats FILE] [--max-msg BYTES] [--resume-grace MS]
 *       --device NAME,listen=SPEC,vhost=SOCKET[,type=blk|ID][,config=BYTES] ...
 *
 * SPEC is argo:PORT:DOMID (a ring for that frontend domain), unix:PATH
 * (SOCK_SEQPACKET, one frontend per connection) or fd:N (an inherited
 * socketpair end). Configuration errors are fatal at start; a frontend's
 * bad message ends that frontend's session only.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "bridge.h"
#include "log.h"

#define MAX_DEVICES	16
#define DEFAULT_MAX_MSG	(256U * 1024)

/* Device types the bridge knows the config size of. */
static const struct {
	const char *name;
	uint32_t id, config_size;
} types[] = {
	/* struct virtio_blk_config up to write_zeroes_may_unmap and its
	 * padding: what qemu-storage-daemon 7.2 serves. */
	{ "blk", 2, 60 },
};

static struct bridge_dev devs[MAX_DEVICES];
static int ndevs;
static const char *stats_path;

static void usage(void)
{
	fprintf(stderr,
		"usage: virtio-argo-backend [-v] [--stats FILE] [--max-msg BYTES] [--resume-grace MS]\n"
		"       --device NAME,listen=argo:PORT:DOMID|unix:PATH|fd:N,vhost=SOCKET"
		"[,type=blk|ID][,config=BYTES] ...\n");
	exit(2);
}

static int parse_device(char *arg, char **name, char **listen, char **vhost,
			uint32_t *id, uint32_t *config)
{
	char *save = NULL, *tok;
	size_t i;

	*name = strtok_r(arg, ",", &save);
	*listen = *vhost = NULL;
	*id = types[0].id;
	*config = types[0].config_size;
	while ((tok = strtok_r(NULL, ",", &save))) {
		if (!strncmp(tok, "listen=", 7)) {
			*listen = tok + 7;
		} else if (!strncmp(tok, "vhost=", 6)) {
			*vhost = tok + 6;
		} else if (!strncmp(tok, "type=", 5)) {
			for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
				if (!strcmp(tok + 5, types[i].name))
					break;
			if (i < sizeof(types) / sizeof(types[0])) {
				*id = types[i].id;
				*config = types[i].config_size;
			} else {
				*id = (uint32_t)strtoul(tok + 5, NULL, 0);
			}
		} else if (!strncmp(tok, "config=", 7)) {
			*config = (uint32_t)strtoul(tok + 7, NULL, 0);
		} else {
			log_err("unknown device option '%s'", tok);
			return -1;
		}
	}
	if (!*name || !*listen || !*vhost || !*id || *config > VHU_MAX_CONFIG) {
		log_err("a device needs a name, listen=, vhost=, and config <= %u",
			VHU_MAX_CONFIG);
		return -1;
	}
	return 0;
}

static void write_stats(void)
{
	char line[1024], tmp[4096];
	FILE *f;
	int i;

	if (!stats_path)
		return;
	snprintf(tmp, sizeof(tmp), "%s.tmp", stats_path);
	f = fopen(tmp, "w");
	if (!f) {
		log_err("cannot write %s: %s", tmp, strerror(errno));
		return;
	}
	fputs("{", f);
	for (i = 0; i < ndevs; i++) {
		bridge_stats_json(&devs[i], line, sizeof(line));
		fprintf(f, "%s%s", i ? ", " : "", line);
	}
	fputs("}\n", f);
	fclose(f);
	rename(tmp, stats_path);
}

int main(int argc, char **argv)
{
	unsigned int max_msg = DEFAULT_MAX_MSG, resume_grace = 10000;
	char *dev_args[MAX_DEVICES];
	int ndev_args = 0, verbose = 0, ep, sfd, i, running = 1;
	struct epoll_event e;
	sigset_t ss;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-v"))
			verbose = 1;
		else if (!strcmp(argv[i], "--stats") && i + 1 < argc)
			stats_path = argv[++i];
		else if (!strcmp(argv[i], "--max-msg") && i + 1 < argc)
			max_msg = (unsigned int)strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--resume-grace") && i + 1 < argc)
			resume_grace = (unsigned int)strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--device") && i + 1 < argc && ndev_args < MAX_DEVICES)
			dev_args[ndev_args++] = argv[++i];
		else
			usage();
	}
	log_init("virtio-argo-backend", verbose);
	if (!ndev_args)
		usage();
	if (max_msg < VA_MIN_MSG || max_msg > VA_MAX_MSG) {
		log_err("--max-msg must be %u..%u", VA_MIN_MSG, VA_MAX_MSG);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&ss);
	sigaddset(&ss, SIGTERM);
	sigaddset(&ss, SIGINT);
	sigaddset(&ss, SIGUSR1);
	sigprocmask(SIG_BLOCK, &ss, NULL);
	sfd = signalfd(-1, &ss, SFD_CLOEXEC);
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (sfd < 0 || ep < 0) {
		log_err("signalfd/epoll: %s", strerror(errno));
		return 1;
	}
	e.events = EPOLLIN;
	e.data.ptr = NULL;
	epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &e);

	for (i = 0; i < ndev_args; i++) {
		char *name, *listen, *vhost;
		uint32_t id, config;

		if (parse_device(dev_args[i], &name, &listen, &vhost, &id, &config))
			return 2;
		if (bridge_open(&devs[ndevs], name, listen, vhost, id, config, max_msg,
				resume_grace, ep))
			return 1;
		ndevs++;
		log_info("%s: serving %s from %s", name, listen, vhost);
	}
	log_info("ready");

	while (running) {
		struct epoll_event evs[32];
		int n = epoll_wait(ep, evs, 32, -1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			log_err("epoll_wait: %s", strerror(errno));
			break;
		}
		for (i = 0; i < n; i++) {
			struct bridge_ev *ev = evs[i].data.ptr;

			if (!ev) {
				struct signalfd_siginfo si;

				if (read(sfd, &si, sizeof(si)) == sizeof(si)) {
					if (si.ssi_signo == SIGUSR1)
						write_stats();
					else
						running = 0;
				}
				continue;
			}
			switch (ev->kind) {
			case EV_LISTENER:
				bridge_on_listener(ev->d);
				break;
			case EV_LINK:
				bridge_on_link(ev->d, evs[i].events);
				break;
			case EV_BACKEND:
				bridge_on_backend(ev->d);
				break;
			case EV_CALL:
				bridge_on_call(ev->d, ev->q);
				break;
			case EV_BACKEND_REQ:
				bridge_on_backend_req(ev->d);
				break;
			case EV_TIMER:
				bridge_on_timer(ev->d);
				break;
			}
		}
	}
	write_stats();
	for (i = 0; i < ndevs; i++)
		bridge_close(&devs[i]);
	log_info("stopped");
	return 0;
}
