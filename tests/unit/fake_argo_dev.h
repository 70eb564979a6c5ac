/* SPDX-License-Identifier: MIT */
/*
 * The fake /dev/argo driver libargo's host tests and fuzzer run against.
 * Linked with -Wl,--wrap=ioctl, libargo's ioctls reach __wrap_ioctl here
 * while fake_on is set (the real ioctl otherwise), which records what each
 * kind of ioctl was given and answers as argo_char.ko would: SEND reads
 * every byte of the buffer it is handed (so ASan checks libargo's
 * pointer and length) and returns its length, or fails with fake_errno.
 */
#ifndef FAKE_ARGO_DEV_H
#define FAKE_ARGO_DEV_H

#include <stddef.h>
#include <stdint.h>
#include <argo/argo-dev.h>

extern int fake_on;
extern uint32_t fake_version;	/* what ARGO_IOC_VERSION answers */
extern int fake_errno;		/* non-zero: SEND/SPACE fail with it */
extern struct argo_dev_send last_send;
extern unsigned char *last_payload;	/* the last SEND's first bytes */
extern size_t fake_copy_max;	/* how many are copied (default: all) */
extern int sends;		/* SEND ioctls so far */
extern struct argo_dev_bind last_bind;
extern struct argo_dev_space last_space;
extern struct argo_dev_connect last_connect;
extern struct argo_dev_cable_op last_cable;	/* the last CABLE op */
extern struct argo_dev_cable last_cable_ent;	/* its entry (add/del) */
extern uint32_t fake_features;	/* what ARGO_IOC_FEATURES answers */
/* SEND_MANY: the last call's struct, entries (up to 8) and how many. */
extern struct argo_dev_send_many last_send_many;
extern struct argo_dev_send last_many_ents[8];
extern int send_manys;
extern uint32_t fake_send_many_sent;	/* non-zero: report only this many
					 * sent, with fake_errno as error */
/* RECV_MANY: fake_rx_queued messages are queued; message i has payload
 * length i % 5 + 1, bytes 'a' + i, type i, from domain 7 port 100 + i.
 * fake_rx_lie non-zero: report that many bytes, whatever was written. */
extern uint32_t fake_rx_queued;
extern uint32_t fake_rx_lie;

int __real_ioctl(int fd, unsigned long req, ...);
int __wrap_ioctl(int fd, unsigned long req, ...);

#endif
