/* SPDX-License-Identifier: MIT */
/*
 * The toolstack's device state for argo-discoveryd: one directory per
 * guest, one file per device (docs/discovery.md, "The state directory"):
 *   STATEDIR/<domid>/<dev_num>   "key=value" lines
 * Files are written whole and renamed into place, so a reader never sees
 * half a file; names starting with '.' are not devices.
 */
#ifndef DISCOVERY_DEVSTATE_H
#define DISCOVERY_DEVSTATE_H

#include <stddef.h>
#include <stdint.h>

#include <argo/discovery.h>

/* Devices one guest may have. */
#define DEVSTATE_MAX_DEVICES 64
/* A device file is never larger. */
#define DEVSTATE_FILE_MAX 1024

/*
 * Parse a device file's text for device dev_num. 0 on success; -1 with a
 * message naming the bad line in err (errlen bytes) otherwise. Keys:
 * type (block, net, console or a virtio device id), port (the guest's
 * cable source port; both required), backend_ring, frontend_ring, queues,
 * queue_size, features, vendor.
 */
int devstate_parse(const char *text, uint16_t dev_num, struct argo_disc_dev *d,
		   char *err, size_t errlen);
/* Write d as a device file's text into buf. Its length, or -1 if too long. */
int devstate_format(const struct argo_disc_dev *d, char *buf, size_t len);

/* Called for each file devstate_load skips, with the reason. */
typedef void devstate_warn_fn(uint16_t domid, const char *file, const char *why);

/*
 * Load guest domid's devices from dir, sorted by number. Returns their
 * count (0 when the guest has no directory); files that do not parse, or
 * past DEVSTATE_MAX_DEVICES, are skipped and reported through warn.
 */
int devstate_load(const char *dir, uint16_t domid, struct argo_disc_dev *devs,
		  devstate_warn_fn *warn);

/*
 * Add a device for domid: its number is one more than any the guest has
 * had (never reused, as virtio-msg asks). Returns the number, or -1 with
 * errno and a message in err.
 */
int devstate_add(const char *dir, uint16_t domid, struct argo_disc_dev *d,
		 char *err, size_t errlen);
/* Remove one device (0, or -1 with errno), or all of a guest's (clear). */
int devstate_del(const char *dir, uint16_t domid, uint16_t dev_num);
int devstate_clear(const char *dir, uint16_t domid);

/* Create dir and its parents (mkdir -p). 0, or -1 with errno. */
int devstate_mkdir(const char *dir);

/* The name of a virtio device id ("block"), or NULL. */
const char *devstate_type_name(uint32_t device_id);

#endif
