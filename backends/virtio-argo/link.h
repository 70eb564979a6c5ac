/* SPDX-License-Identifier: MIT */
/*
 * The bridge's side of one frontend channel, behind a small interface so
 * the same bridge runs over Argo (libargo, one ring per frontend) and,
 * in host tests, over AF_UNIX SOCK_SEQPACKET sockets, which keep message
 * boundaries as Argo does.
 *
 * A listener produces links: "unix:PATH" accepts connections (one link
 * each), "fd:N" is one already-connected socket (a socketpair end),
 * "argo:PORT:DOMID" is a ring on PORT for frontend domain DOMID, which
 * the frontend reaches at the same port.
 */
#ifndef LINK_H
#define LINK_H

#include <stddef.h>
#include <sys/types.h>

struct link;

struct link_ops {
	/* One whole message: its length; 0 when the peer is gone; -EAGAIN
	 * when none is queued; -EMSGSIZE when it was larger than cap (it is
	 * consumed: the caller treats this as a protocol error). */
	ssize_t (*recv)(struct link *l, void *buf, size_t cap);
	/* One whole message: 0; -EAGAIN when the peer has no room now (wait
	 * for the fd to poll writable); another -errno when it is gone. */
	int (*send)(struct link *l, const void *buf, size_t len);
	void (*close)(struct link *l);
};

struct link {
	const struct link_ops *ops;
	int fd;			/* for poll; POLLOUT means send may succeed */
	char name[64];
	/* Argo links outlive a frontend session (no connection to lose):
	 * after a protocol error the bridge forgets the session and waits
	 * for a new HELLO instead of closing the link. */
	int persistent;
	void *priv;
};

struct listener {
	int fd;			/* to poll for new links, or -1 */
	int kind;
	struct link *ready;	/* fd: and argo: have their one link at once */
	char spec[128];
	unsigned int max_msg;
};

/* Open a listener from its spec; max_msg is the largest message we accept
 * (the link sizes its socket buffers or ring from it). 0 or -errno. */
int listener_open(struct listener *ls, const char *spec, unsigned int max_msg);
/* A new link: 1 and *out, 0 when none is waiting, -errno. */
int listener_accept(struct listener *ls, struct link **out);
void listener_close(struct listener *ls);
void link_close(struct link *l);

#endif
