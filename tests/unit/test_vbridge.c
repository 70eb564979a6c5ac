/* SPDX-License-Identifier: MIT */
/*
 * virtio-argo-backend against a real qemu-storage-daemon, from a test
 * frontend speaking the wire protocol over SOCK_SEQPACKET (the bridge's
 * host transport): virtio-blk requests (read, write, flush, discard,
 * write-zeroes, get-id) on a raw and a qcow2 image, checked against the
 * image files; many requests in flight on two queues, batched; a
 * frontend killed mid-request; malformed messages from one frontend
 * while another keeps working. Skips when qemu-storage-daemon is absent.
 *
 * usage: test_vbridge [BACKEND_BINARY] (default: the sanitized build's)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/virtio_blk.h>

#include <argo/virtio-argo.h>
#include "tap.h"
#include "va_fe.h"

#define IMG_SIZE	(16u << 20)
#define SECTOR		512u
#define QSIZE		VA_FE_QSIZE
#define NQ		VA_FE_NQ
#define MAX_MSG		(256u * 1024)

static char dir[64];
static pid_t qsd_pid, bridge_pid;
static uint8_t *model_raw, *model_qcow;

/* Processes */

static void path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
}

static int wait_path(const char *p, int ms)
{
	struct stat st;

	for (; ms > 0; ms -= 20) {
		if (!stat(p, &st))
			return 0;
		usleep(20000);
	}
	return -1;
}

static pid_t spawn(char *const argv[], const char *log)
{
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);

		/* The daemons die with the test, however it ends. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);

		dup2(fd, 1);
		dup2(fd, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	return pid;
}

static int alive(pid_t pid)
{
	return waitpid(pid, NULL, WNOHANG) == 0;
}

static pid_t start_qsd(void)
{
	char raw[300], qcow[300], b1[400], b2[400], e1[400], e2[400], log[300];
	pid_t pid;

	path(raw, sizeof(raw), "raw.img");
	path(qcow, sizeof(qcow), "disk.qcow2");
	path(log, sizeof(log), "qsd.log");
	snprintf(b1, sizeof(b1), "driver=file,node-name=raw0,filename=%s,discard=unmap", raw);
	snprintf(b2, sizeof(b2), "driver=qcow2,node-name=qc0,discard=unmap,"
		 "file.driver=file,file.filename=%s", qcow);
	snprintf(e1, sizeof(e1), "type=vhost-user-blk,id=e0,node-name=raw0,writable=on,"
		 "num-queues=%u,addr.type=unix,addr.path=%s/raw.sock", NQ, dir);
	snprintf(e2, sizeof(e2), "type=vhost-user-blk,id=e1,node-name=qc0,writable=on,"
		 "num-queues=%u,addr.type=unix,addr.path=%s/qcow.sock", NQ, dir);
	{
		char *argv[] = { "qemu-storage-daemon", "--blockdev", b1, "--blockdev", b2,
				 "--export", e1, "--export", e2, NULL };

		pid = spawn(argv, log);
	}
	path(raw, sizeof(raw), "raw.sock");
	path(qcow, sizeof(qcow), "qcow.sock");
	if (wait_path(raw, 10000) || wait_path(qcow, 10000))
		return -1;
	return pid;
}

static pid_t start_bridge(const char *bin)
{
	char d1[400], d2[400], stats[300], log[300], fe[300];
	pid_t pid;

	snprintf(d1, sizeof(d1), "raw,listen=unix:%s/fe-raw.sock,vhost=%s/raw.sock,type=blk", dir, dir);
	snprintf(d2, sizeof(d2), "qcow,listen=unix:%s/fe-qcow.sock,vhost=%s/qcow.sock,type=blk", dir, dir);
	path(stats, sizeof(stats), "stats.json");
	path(log, sizeof(log), "bridge.log");
	{
		char mm[32];
		char *argv[] = { (char *)bin, "--stats", stats, "--max-msg", mm,
				 "--resume-grace", "1500",
				 "--device", d1, "--device", d2, NULL };

		snprintf(mm, sizeof(mm), "%u", MAX_MSG);
		pid = spawn(argv, log);
	}
	path(fe, sizeof(fe), "fe-qcow.sock");
	if (wait_path(fe, 10000))
		return -1;
	return pid;
}

/* A test frontend: the driver's side of the protocol, minimal. */

struct fe {
	int fd;
	uint16_t token;
	uint8_t tx[MAX_MSG], rx[MAX_MSG];
	uint32_t tx_len, tx_cap;
	uint32_t nq, config_size, device_id;
	uint64_t features;
	struct va_fe_chains c;	/* chains in flight, their answers */
	int events_config;
	uint32_t last_event_status;
};

static void fe_io_init(struct fe *f);

static int fe_connect(struct fe *f, const char *name)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	memset(f, 0, sizeof(*f));
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%.60s/%.40s", dir, name);
	f->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (connect(f->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	{
		int sz = 4 * MAX_MSG;
		struct timeval tv = { 30, 0 };	/* a loaded CI host, not a hang */

		setsockopt(f->fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
		setsockopt(f->fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
		setsockopt(f->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	}
	f->c.epoch = 1;
	f->tx_cap = sizeof(f->tx);
	fe_io_init(f);
	return 0;
}

static void fe_close(struct fe *f)
{
	close(f->fd);
	va_fe_free(&f->c);
}

static int fe_flush(void *ctx)
{
	struct fe *f = ctx;
	ssize_t n;

	if (!f->tx_len)
		return 0;
	n = send(f->fd, f->tx, f->tx_len, MSG_NOSIGNAL);
	f->tx_len = 0;
	return n < 0 ? -errno : 0;
}

/* Take one message; file CHAIN responses; return the control response
 * with token tok (copied into *out) if it was in it. -1 on EOF/timeout. */
static int fe_recv(void *ctx, int tok, struct va_msg *out)
{
	struct fe *f = ctx;
	ssize_t n = recv(f->fd, f->rx, sizeof(f->rx), 0);
	struct va_iter it;
	struct va_msg m;
	const char *why;
	int found = 0;

	if (n <= 0)
		return -1;
	va_iter_init(&it, f->rx, (uint32_t)n);
	while (va_next(&it, &m, &why) == 1) {
		if (va_validate(&m, 0, &why)) {
			printf("# bad record from the bridge: %s\n", why);
			return -1;
		}
		if (m.msg_id == VA_MSG_CHAIN && !(m.type & VA_TYPE_BUS)) {
			/* Here even an old epoch's answer is a bridge bug. */
			why = "a completion of another epoch";
			if (va_fe_complete(&f->c, &m, &why) != 1) {
				printf("# unexpected completion: %s\n", why);
				return -1;
			}
		} else if (m.msg_id == VA_MSG_EVENT_CONFIG) {
			f->events_config++;
			f->last_event_status = va_word(&m, 0);
		} else if (tok >= 0 && m.token == tok && out) {
			*out = m;
			found = 1;
		}
	}
	return found;
}

/* The channel, as the shared data plane (va_fe.c) uses it. */
static void fe_io_init(struct fe *f)
{
	f->c.io = (struct va_fe_io){ .tx = f->tx, .len = &f->tx_len, .cap = &f->tx_cap,
				     .flush = fe_flush, .recv = fe_recv, .ctx = f };
}

/* Send one control record and wait for its answer. */
static int fe_ctrl(struct fe *f, uint8_t type, uint8_t id, const uint32_t *w,
		   uint32_t nw, const void *tail, uint32_t tl, struct va_msg *resp)
{
	uint16_t tok = ++f->token;
	int r;

	r = va_encode_ctrl(f->tx, sizeof(f->tx), type, id, 0, tok, w, nw, tail, tl);
	if (r < 0)
		return r;
	f->tx_len = (uint32_t)r;
	if (fe_flush(f))
		return -1;
	do {
		r = fe_recv(f, tok, resp);
	} while (r == 0);
	return r == 1 ? 0 : -1;
}

static int fe_hello(struct fe *f)
{
	struct va_hello h = { VA_VIRTIO_MSG_REVISION, VA_VERSION, MAX_MSG, VA_HELLO_F_BATCH };
	struct va_msg m;
	uint16_t tok = ++f->token;
	int r = va_encode_hello(f->tx, sizeof(f->tx), 0, tok, &h);

	f->tx_len = (uint32_t)r;
	fe_flush(f);
	do {
		r = fe_recv(f, tok, &m);
	} while (r == 0);
	if (r != 1 || va_decode_hello(&m, &h, NULL))
		return -1;
	return h.version == VA_VERSION ? 0 : -1;
}

static uint32_t fe_status(struct fe *f, uint32_t s)
{
	struct va_msg m;

	if (fe_ctrl(f, 0, VA_MSG_SET_DEVICE_STATUS, &s, 1, NULL, 0, &m))
		return 0xFFFFFFFF;
	return va_word(&m, 0);
}

static int fe_set_vqueue(struct fe *f, uint32_t q, uint32_t flags, uint32_t size, uint32_t epoch)
{
	struct va_vqueue v = { .index = q, .flags = flags, .size = size, .epoch = epoch };
	struct va_msg m;
	uint16_t tok = ++f->token;
	int r = va_encode_vqueue(f->tx, sizeof(f->tx), 0, 0, tok, &v);

	f->tx_len = (uint32_t)r;
	fe_flush(f);
	do {
		r = fe_recv(f, tok, &m);
	} while (r == 0);
	return r == 1 ? 0 : -1;
}

#define BLK_FEATURES ((1ULL << VIRTIO_BLK_F_FLUSH) | (1ULL << VIRTIO_BLK_F_DISCARD) | \
		      (1ULL << VIRTIO_BLK_F_WRITE_ZEROES) | (1ULL << VIRTIO_BLK_F_SEG_MAX) | \
		      (1ULL << VIRTIO_BLK_F_BLK_SIZE) | (1ULL << VIRTIO_BLK_F_MQ))

/* What the test driver takes: blk's, VERSION_1, ACCESS_PLATFORM, RING_RESET. */
#define WANT (BLK_FEATURES | (1ULL << 32) | (1ULL << 33) | (1ULL << 40))

static int fe_setup(struct fe *f, uint64_t want);

/* The whole virtio bring-up, as the Linux transport will do it. */
static int fe_init(struct fe *f, const char *name, uint64_t want)
{
	if (fe_connect(f, name) || fe_hello(f))
		return -1;
	return fe_setup(f, want);
}

/* Reset, then everything up to DRIVER_OK, on an open session. */
static int fe_setup(struct fe *f, uint64_t want)
{
	uint32_t w[4] = { 0, 2 };
	struct va_msg m;
	uint32_t q;

	if (fe_status(f, 0) != 0)
		return -2;
	if (fe_ctrl(f, 0, VA_MSG_GET_DEVICE_INFO, NULL, 0, NULL, 0, &m))
		return -3;
	f->device_id = va_word(&m, 0);
	f->config_size = va_word(&m, 7);
	f->nq = va_word(&m, 8);
	if (fe_ctrl(f, 0, VA_MSG_GET_DEVICE_FEATURES, w, 2, NULL, 0, &m))
		return -4;
	f->features = va_word(&m, 2) | (uint64_t)va_word(&m, 3) << 32;
	fe_status(f, 1);
	fe_status(f, 3);
	w[2] = (uint32_t)(f->features & want);
	w[3] = (uint32_t)((f->features & want) >> 32);
	if (fe_ctrl(f, 0, VA_MSG_SET_DRIVER_FEATURES, w, 4, NULL, 0, &m))
		return -5;
	if (!(fe_status(f, 11) & 8))
		return -6;
	for (q = 0; q < NQ && q < f->nq; q++)
		if (fe_set_vqueue(f, q, VA_VQ_STATE_ENABLE, QSIZE, f->c.epoch))
			return -7;
	if (fe_status(f, 15) != 15)
		return -8;
	return 0;
}

/* One request, synchronously: its virtio-blk status, or -1. */
static int blk_sync(struct fe *f, uint32_t type, uint64_t sector, const void *data,
		    uint32_t out_len, uint32_t in_len)
{
	if (va_fe_blk(&f->c, 0, 0, type, sector, data, out_len, in_len) || va_fe_wait_all(&f->c))
		return -1;
	return va_fe_blk_status(&f->c, 0, 0);
}

static int file_matches(const char *name, const uint8_t *model, uint64_t off, uint32_t len)
{
	char p[300];
	uint8_t *b = malloc(len);
	int fd, ok;

	path(p, sizeof(p), name);
	fd = open(p, O_RDONLY);
	ok = fd >= 0 && pread(fd, b, len, (off_t)off) == (ssize_t)len &&
	     !memcmp(b, model + off, len);
	if (fd >= 0)
		close(fd);
	free(b);
	return ok;
}

/* Tests */

static void test_bringup_and_blk(struct fe *f)
{
	uint8_t buf[65536], cfg[64];
	struct va_msg m;
	uint32_t w[2] = { 0, 8 };
	uint64_t cap;
	int r;

	r = fe_init(f, "fe-raw.sock", WANT);
	TAP_EQ("raw_bringup_reaches_driver_ok", 0, r);
	TAP_EQ("device_info_is_blk", 2, f->device_id);
	TAP_EQ("device_info_queues_from_backend", NQ, f->nq);
	TAP_CHECK("features_offer_version_1_and_access_platform",
		  (f->features & (3ULL << 32)) == (3ULL << 32), "features %#llx",
		  (unsigned long long)f->features);
	TAP_CHECK("features_hide_ring_layout_bits",
		  !(f->features & ((1ULL << 28) | (1ULL << 29) | (1ULL << 30) | (1ULL << 34))),
		  "features %#llx", (unsigned long long)f->features);
	TAP_CHECK("features_offer_flush_discard_write_zeroes",
		  (f->features & BLK_FEATURES & ~(1ULL << VIRTIO_BLK_F_SEG_MAX)) ==
		  (BLK_FEATURES & ~(1ULL << VIRTIO_BLK_F_SEG_MAX)),
		  "features %#llx", (unsigned long long)f->features);
	cap = 0;
	r = fe_ctrl(f, 0, VA_MSG_GET_CONFIG, w, 2, NULL, 0, &m);
	if (!r && va_word(&m, 2) == 8)
		memcpy(&cap, m.payload + 12, 8);
	TAP_CHECK("config_capacity_in_sectors", r == 0 && va_word(&m, 2) == 8 &&
		  cap == IMG_SIZE / SECTOR, "r %d len %u capacity %llu", r, va_word(&m, 2),
		  (unsigned long long)cap);
	w[0] = 34;
	w[1] = 2;
	cfg[0] = 0;
	r = fe_ctrl(f, 0, VA_MSG_GET_CONFIG, w, 2, NULL, 0, &m);
	if (!r && va_word(&m, 2) == 2)
		memcpy(cfg, m.payload + 12, 2);
	TAP_CHECK("config_num_queues_at_offset_34", r == 0 && cfg[0] == NQ,
		  "r %d num_queues %u", r, cfg[0]);
	w[0] = 58;
	w[1] = 8;
	r = fe_ctrl(f, 0, VA_MSG_GET_CONFIG, w, 2, NULL, 0, &m);
	TAP_CHECK("config_beyond_size_answers_length_0", r == 0 && va_word(&m, 2) == 0,
		  "r %d length %u", r, va_word(&m, 2));

	r = blk_sync(f, VIRTIO_BLK_T_IN, 5, NULL, 0, 4096);
	TAP_EQ("read_status_ok", VIRTIO_BLK_S_OK, r);
	TAP_EQ("read_used_len", 4097, f->c.used[0][0]);
	TAP_CHECK("read_data_matches_image", !memcmp(f->c.in[0][0], model_raw + 5 * SECTOR, 4096),
		  "%s", "bytes differ");

	for (r = 0; r < (int)sizeof(buf); r++)
		buf[r] = (uint8_t)(r * 7 + 3);
	memcpy(model_raw + 100 * SECTOR, buf, 8192);
	TAP_EQ("write_status_ok", VIRTIO_BLK_S_OK, blk_sync(f, VIRTIO_BLK_T_OUT, 100, buf, 8192, 0));
	TAP_EQ("flush_status_ok", VIRTIO_BLK_S_OK, blk_sync(f, VIRTIO_BLK_T_FLUSH, 0, NULL, 0, 0));
	TAP_CHECK("write_reaches_image_file", file_matches("raw.img", model_raw, 100 * SECTOR, 8192),
		  "%s", "image bytes differ");

	r = blk_sync(f, VIRTIO_BLK_T_GET_ID, 0, NULL, 0, 20);
	TAP_CHECK("get_id_answers_20_bytes", r == VIRTIO_BLK_S_OK && f->c.used[0][0] == 21,
		  "status %d used %u", r, f->c.used[0][0]);

	{
		/* Discard 1 MiB at 4 MiB: the file gets a hole there. */
		struct virtio_blk_discard_write_zeroes dz = {
			.sector = (4u << 20) / SECTOR, .num_sectors = (1u << 20) / SECTOR };
		char p[300];
		int fd;
		off_t hole;

		r = blk_sync(f, VIRTIO_BLK_T_DISCARD, 0, &dz, sizeof(dz), 0);
		TAP_EQ("discard_status_ok", VIRTIO_BLK_S_OK, r);
		blk_sync(f, VIRTIO_BLK_T_FLUSH, 0, NULL, 0, 0);
		path(p, sizeof(p), "raw.img");
		fd = open(p, O_RDONLY);
		hole = lseek(fd, 4 << 20, SEEK_HOLE);
		close(fd);
		TAP_EQ("discard_punches_the_image", 4 << 20, hole);
		memset(model_raw + (4u << 20), 0, 1u << 20);

		dz.sector = 200;
		dz.num_sectors = 16;
		r = blk_sync(f, VIRTIO_BLK_T_WRITE_ZEROES, 0, &dz, sizeof(dz), 0);
		TAP_EQ("write_zeroes_status_ok", VIRTIO_BLK_S_OK, r);
		blk_sync(f, VIRTIO_BLK_T_FLUSH, 0, NULL, 0, 0);
		memset(model_raw + 200 * SECTOR, 0, 16 * SECTOR);
		TAP_CHECK("write_zeroes_reach_image_file",
			  file_matches("raw.img", model_raw, 200 * SECTOR, 16 * SECTOR),
			  "%s", "image bytes differ");
	}
	r = blk_sync(f, VIRTIO_BLK_T_IN, IMG_SIZE / SECTOR, NULL, 0, 4096);
	TAP_EQ("read_beyond_end_is_ioerr_from_backend", VIRTIO_BLK_S_IOERR, r);
}

/* Many requests in flight on both queues, several per message. */
static void test_many_in_flight(struct fe *f, const char *img, uint8_t *model, const char *tag)
{
	static uint8_t data[NQ][QSIZE][8192];
	uint32_t round, q, id, bad = 0, reads = 0, n = 0;
	char name[128];
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (round = 0; round < 8; round++) {
		/* Writes to disjoint places, all in flight at once... */
		for (q = 0; q < NQ; q++)
			for (id = 0; id < QSIZE; id++) {
				uint64_t sector = (q * QSIZE + id) * 32 + (round & 1) * 16;
				uint32_t len = 512 * (1 + rnd(16)), i;

				for (i = 0; i < len; i++)
					data[q][id][i] = (uint8_t)rnd(256);
				memcpy(model + sector * SECTOR, data[q][id], len);
				va_fe_blk(&f->c, q, id, VIRTIO_BLK_T_OUT, sector, data[q][id], len, 0);
				n++;
			}
		if (va_fe_wait_all(&f->c)) {
			bad++;
			break;
		}
		for (q = 0; q < NQ; q++)
			for (id = 0; id < QSIZE; id++)
				if (va_fe_blk_status(&f->c, q, id) != VIRTIO_BLK_S_OK)
					bad++;
		/* ...then reads of them, checked against the model. */
		for (q = 0; q < NQ; q++)
			for (id = 0; id < QSIZE; id++)
				va_fe_blk(&f->c, q, id, VIRTIO_BLK_T_IN, (q * QSIZE + id) * 32, NULL, 0, 8192);
		if (va_fe_wait_all(&f->c)) {
			bad++;
			break;
		}
		for (q = 0; q < NQ; q++)
			for (id = 0; id < QSIZE; id++) {
				reads++;
				n++;
				if (va_fe_blk_status(&f->c, q, id) != VIRTIO_BLK_S_OK ||
				    memcmp(f->c.in[q][id], model + (uint64_t)(q * QSIZE + id) * 32 * SECTOR, 8192))
					bad++;
			}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	snprintf(name, sizeof(name), "%s_%u_requests_256_in_flight_all_correct", tag, n);
	TAP_EQ(name, 0, bad);
	printf("# %s: %u requests in %.2f s\n", tag, n,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	blk_sync(f, VIRTIO_BLK_T_FLUSH, 0, NULL, 0, 0);
	snprintf(name, sizeof(name), "%s_image_file_matches_after_flush", tag);
	if (img)
		TAP_CHECK(name, file_matches(img, model, 0, IMG_SIZE), "%s", "image differs");
}

/*
 * Batching, measured (printed, never a pass/fail): the same 2048 reads of
 * 4 KiB, 256 in flight, sent one chain per message and then as many per
 * message as fit. Over Argo each message is one sendv hypercall, so the
 * message count is the figure that carries over; the time here is only
 * the host's syscalls.
 */
static void bench_batching(struct fe *f)
{
	uint32_t mode, round, q, id, bad = 0, n;

	for (mode = 0; mode < 2; mode++) {
		struct timespec t0, t1;
		uint32_t msgs = 0;

		n = 0;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (round = 0; round < 8; round++) {
			for (q = 0; q < NQ; q++)
				for (id = 0; id < QSIZE; id++) {
					va_fe_blk(&f->c, q, id, VIRTIO_BLK_T_IN, (q * QSIZE + id) * 8, NULL, 0, 4096);
					n++;
					if (mode == 0) {
						fe_flush(f);
						msgs++;
					}
				}
			if (mode == 1)
				msgs += 1 + (NQ * QSIZE * va_chain_req_size(4, 16)) / MAX_MSG;
			if (va_fe_wait_all(&f->c))
				bad++;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		printf("# batching: %s: %u x 4 KiB reads in %u request messages, %.3f s\n",
		       mode ? "batched" : "one chain per message", n, msgs,
		       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	}
	TAP_EQ("batching_bench_reads_all_answered", 0, bad);
}

/* A hostile session: after sending raw, the bridge must close the link. */
static int dropped_after(const char *dev, const void *raw, uint32_t len, int init)
{
	struct fe *f = calloc(1, sizeof(*f));
	uint8_t b;
	int r = -1;

	if (init ? fe_init(f, dev, WANT) : (fe_connect(f, dev) || fe_hello(f)))
		goto out;
	if (send(f->fd, raw, len, MSG_NOSIGNAL) < 0) {
		r = errno == EMSGSIZE ? 2 : -1;
		goto out;
	}
	r = recv(f->fd, &b, 1, 0) == 0;	/* EOF: dropped */
out:
	fe_close(f);
	free(f);
	return r;
}

static void test_hostile(void)
{
	uint8_t m[512];
	uint32_t segs[2] = { 16, 1 };
	uint8_t hdr[16] = { 0 };
	const void *out[1] = { hdr };
	struct fe *other = calloc(1, sizeof(*other));
	int len;

	/* Meanwhile a well-behaved frontend on the other device. */
	TAP_EQ("qcow_frontend_up_during_hostile_tests", 0,
	       fe_init(other, "fe-qcow.sock", WANT));

	len = va_encode_chain_req(m, sizeof(m), 0, 0, 1, 3, 1, 1, segs, out);
	va_put32(m + 24, 4000);		/* data_len lies */
	TAP_EQ("lying_length_drops_frontend", 1, dropped_after("fe-raw.sock", m, (uint32_t)len, 1));
	len = va_encode_chain_req(m, sizeof(m), 0, 7, 1, 3, 1, 1, segs, out);
	TAP_EQ("unknown_queue_drops_frontend", 1, dropped_after("fe-raw.sock", m, (uint32_t)len, 1));
	len = va_encode_chain_req(m, sizeof(m), 0, 0, 99, 3, 1, 1, segs, out);
	TAP_EQ("wrong_epoch_drops_frontend", 1, dropped_after("fe-raw.sock", m, (uint32_t)len, 1));
	len = va_encode_chain_req(m, sizeof(m), 0, 0, 1, 3, 1, 1, segs, out);
	len += va_encode_chain_req(m + len, sizeof(m) - (uint32_t)len, 0, 0, 1, 3, 1, 1, segs, out);
	TAP_EQ("chain_id_reuse_drops_frontend", 1, dropped_after("fe-raw.sock", m, (uint32_t)len, 1));
	len = va_encode_chain_req(m, sizeof(m), 0, 0, 1, QSIZE, 1, 1, segs, out);
	TAP_EQ("chain_id_beyond_queue_size_drops_frontend", 1,
	       dropped_after("fe-raw.sock", m, (uint32_t)len, 1));
	len = va_encode_chain_req(m, sizeof(m), 0, 0, 1, 3, 1, 1, segs, out);
	TAP_EQ("truncated_message_drops_frontend", 1, dropped_after("fe-raw.sock", m, (uint32_t)len - 9, 1));
	len = va_encode_chain_req(m, sizeof(m), 0, 0, 1, 3, 1, 1, segs, out);
	TAP_EQ("chain_before_driver_ok_drops_frontend", 1,
	       dropped_after("fe-raw.sock", m, (uint32_t)len, 0));
	{
		uint8_t *big = calloc(1, MAX_MSG + 4096);
		int r;

		/* A single message over the announced max_msg. */
		va_encode_ctrl(big, 16, 0, VA_MSG_GET_DEVICE_STATUS, 0, 1, NULL, 0, NULL, 0);
		r = dropped_after("fe-raw.sock", big, MAX_MSG + 4096, 1);
		TAP_CHECK("oversize_message_drops_frontend", r == 1 || r == 2, "got %d", r);
		free(big);
	}
	{
		/* A chain whose answer could never fit a message: TOOBIG. */
		struct fe *f = calloc(1, sizeof(*f));
		uint32_t s2[2] = { 16, MAX_MSG };
		int r = fe_init(f, "fe-raw.sock", WANT);

		len = va_encode_chain_req(f->tx, sizeof(f->tx), 0, 0, f->c.epoch, 1, 1, 1, s2, out);
		f->tx_len = (uint32_t)len;
		f->c.in[0][1] = calloc(1, 1);
		f->c.outstanding = 1;
		r = r ? r : va_fe_wait_all(&f->c);
		TAP_CHECK("oversize_chain_answered_toobig", r == 0 && f->c.done[0][1] == 2 + VA_STATUS_TOOBIG,
			  "r %d done %d", r, f->c.done[0][1]);
		fe_close(f);
		free(f);
	}
	TAP_CHECK("other_device_unharmed", blk_sync(other, VIRTIO_BLK_T_IN, 0, NULL, 0, 512) == 0,
		  "%s", "qcow read failed");
	fe_close(other);
	free(other);
}

/*
 * Random mutations of a valid batch (control records and chains), each
 * from a fresh frontend session: whatever the bridge makes of them, it
 * stays up, and a frontend of the other device is served throughout.
 */
static void test_fuzz_frontend(void)
{
	static uint8_t batch[8192], copy[8192];
	struct fe *f = calloc(1, sizeof(*f)), *other = calloc(1, sizeof(*other));
	uint32_t segs[3] = { 16, 512, 1 }, w[2] = { 0, 8 }, i, k, len = 0;
	uint8_t hdr[16] = { 0 }, data[512] = { 1 };
	const void *out[2] = { hdr, data };
	unsigned int dropped = 0, served = 0, broken = 0;
	struct va_vqueue v = { .index = 1, .flags = VA_VQ_STATE_ENABLE, .size = QSIZE, .epoch = 1 };

	len += (uint32_t)va_encode_ctrl(batch + len, sizeof(batch) - len, 0, VA_MSG_GET_CONFIG,
					0, 9, w, 2, NULL, 0);
	len += (uint32_t)va_encode_chain_req(batch + len, sizeof(batch) - len, 0, 0, 1, 1, 2, 1, segs, out);
	len += (uint32_t)va_encode_vqueue(batch + len, sizeof(batch) - len, 0, 0, 10, &v);
	len += (uint32_t)va_encode_chain_req(batch + len, sizeof(batch) - len, 0, 1, 1, 2, 1, 2, segs, out);
	if (fe_init(other, "fe-qcow.sock", WANT))
		broken++;
	for (i = 0; i < 60 && alive(bridge_pid); i++) {
		uint8_t b;
		struct timeval tv = { 0, 100000 };

		memcpy(copy, batch, len);
		for (k = 1 + rnd(3); k; k--)
			copy[rnd(len)] ^= (uint8_t)(1 + rnd(255));
		if (fe_init(f, "fe-raw.sock", WANT)) {
			broken++;
			fe_close(f);
			continue;
		}
		setsockopt(f->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		send(f->fd, copy, len - rnd(8) * (i & 1), MSG_NOSIGNAL);
		/* Drain until the bridge closes on us or goes quiet. */
		while (recv(f->fd, f->rx, sizeof(f->rx), 0) > 0)
			;
		if (recv(f->fd, &b, 1, MSG_DONTWAIT) == 0)
			dropped++;
		else
			served++;
		fe_close(f);
		if (i % 20 == 19 && blk_sync(other, VIRTIO_BLK_T_IN, 0, NULL, 0, 512) != 0)
			broken++;
	}
	TAP_CHECK("fuzzed_frontends_leave_bridge_up", alive(bridge_pid) && alive(qsd_pid) && !broken,
		  "bridge %d qsd %d broken %u", alive(bridge_pid), alive(qsd_pid), broken);
	printf("# fuzz: 60 mutated batches: %u sessions dropped, %u served\n", dropped, served);
	fe_close(other);
	free(other);
	free(f);
}

/* A frontend that dies with writes in flight (the daemon is stopped, so
 * none can finish first); the bridge cancels them, and the next frontend
 * is served. */
static void test_killed_frontend(void)
{
	static uint8_t data[65536];
	struct fe *f = calloc(1, sizeof(*f));
	int st, r, go[2], ready[2];
	char c = 0;
	pid_t pid;

	if (pipe(go) || pipe(ready))
		return;
	pid = fork();
	if (pid == 0) {
		uint32_t id;

		if (fe_init(f, "fe-raw.sock", WANT))
			_exit(1);
		if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(1);
		/* As many as the bridge's arena takes (2 MiB), so every send
		 * completes although nothing can finish. */
		alarm(20);
		for (id = 0; id < 24; id++)
			va_fe_blk(&f->c, id % NQ, id, VIRTIO_BLK_T_OUT, 8192 + id * 128, data, sizeof(data), 0);
		fe_flush(f);
		usleep(200000);		/* the bridge posts them */
		raise(SIGKILL);
	}
	r = read(ready[0], &c, 1) == 1 ? 0 : -1;
	kill(qsd_pid, SIGSTOP);
	if (write(go[1], &c, 1) != 1)
		r = -1;
	waitpid(pid, &st, 0);
	usleep(100000);
	kill(qsd_pid, SIGCONT);
	close(go[0]);
	close(go[1]);
	close(ready[0]);
	close(ready[1]);
	TAP_CHECK("frontend_killed_mid_request", r == 0 && WIFSIGNALED(st), "r %d status %#x", r, st);
	r = fe_init(f, "fe-raw.sock", WANT);
	TAP_EQ("next_frontend_served_after_kill", 0, r);
	TAP_EQ("next_frontend_reads", VIRTIO_BLK_S_OK, blk_sync(f, VIRTIO_BLK_T_IN, 100, NULL, 0, 8192));
	TAP_CHECK("next_frontend_sees_old_data", !memcmp(f->c.in[0][0], model_raw + 100 * SECTOR, 8192),
		  "%s", "bytes differ");
	fe_close(f);
	free(f);
	TAP_CHECK("daemons_alive_after_kill", alive(qsd_pid) && alive(bridge_pid), "%s", "one died");
}

/*
 * Config writes carry the generation they were based on: a stale one is
 * not applied (length 0), the current one is (the back-end takes the
 * write-cache byte, offset 32).
 */
static void test_config_generation(struct fe *f)
{
	uint32_t w[3] = { 0, 8 }, gen;
	uint8_t wce = 1;
	struct va_msg m;
	int r;

	r = fe_ctrl(f, 0, VA_MSG_GET_CONFIG, w, 2, NULL, 0, &m);
	gen = r ? 0 : va_word(&m, 0);
	w[0] = gen + 1;
	w[1] = 32;	/* offsetof(struct virtio_blk_config, wce) */
	w[2] = 1;
	r = fe_ctrl(f, 0, VA_MSG_SET_CONFIG, w, 3, &wce, 1, &m);
	TAP_CHECK("set_config_other_generation_not_applied", !r && va_word(&m, 2) == 0,
		  "r %d length %u", r, va_word(&m, 2));
	w[0] = gen;
	r = fe_ctrl(f, 0, VA_MSG_SET_CONFIG, w, 3, &wce, 1, &m);
	TAP_CHECK("set_config_current_generation_applied", !r && va_word(&m, 2) == 1 &&
		  m.payload[12] == 1, "r %d length %u", r, va_word(&m, 2));
	w[0] = 32;
	w[1] = 1;
	r = fe_ctrl(f, 0, VA_MSG_GET_CONFIG, w, 2, NULL, 0, &m);
	TAP_CHECK("config_write_reached_backend", !r && va_word(&m, 2) == 1 && m.payload[12] == 1,
		  "r %d length %u", r, va_word(&m, 2));
}

/* The chain ids of an old epoch are gone after a queue reset. */
static void test_queue_reset(struct fe *f)
{
	uint32_t w = 0;
	struct va_msg m;
	int r;

	va_fe_blk(&f->c, 0, 5, VIRTIO_BLK_T_IN, 0, NULL, 0, 512);
	fe_flush(f);
	r = fe_ctrl(f, 0, VA_MSG_RESET_VQUEUE, &w, 1, NULL, 0, &m);
	f->c.epoch++;
	f->c.outstanding = 0;
	r = r ? r : fe_set_vqueue(f, 0, VA_VQ_STATE_ENABLE, QSIZE, f->c.epoch);
	TAP_EQ("reset_vqueue_and_reenable", 0, r);
	/* The same chain id again, new epoch: must be accepted and answered
	 * once; a late answer of the old epoch would fail fe_recv. */
	TAP_EQ("chain_id_reusable_in_new_epoch", VIRTIO_BLK_S_OK,
	       blk_sync(f, VIRTIO_BLK_T_IN, 0, NULL, 0, 512));
	va_fe_blk(&f->c, 0, 5, VIRTIO_BLK_T_IN, 0, NULL, 0, 512);
	r = va_fe_wait_all(&f->c);
	TAP_CHECK("old_epoch_completion_never_delivered", r == 0 && va_fe_blk_status(&f->c, 0, 5) == 0,
		  "r %d status %d", r, va_fe_blk_status(&f->c, 0, 5));
}

/*
 * qemu-storage-daemon killed with writes in flight and restarted within
 * the bridge's grace period: the bridge hands the new daemon the same
 * memory and inflight region, it resubmits what it had taken, and every
 * write completes OK, once, with its data in the image. The frontend
 * sees nothing but a delay.
 */
static void test_backend_resume(void)
{
	static uint8_t data[QSIZE][16384];
	struct fe *f = calloc(1, sizeof(*f));
	uint32_t id, ok = 0, other = 0, bad = 0;
	char p[300];
	int r;

	r = fe_init(f, "fe-raw.sock", WANT);
	for (id = 0; id < QSIZE; id++) {
		memset(data[id], (int)(id + 101), sizeof(data[id]));
		va_fe_blk(&f->c, id % NQ, id, VIRTIO_BLK_T_OUT, 24576 + id * 32, data[id], sizeof(data[id]), 0);
		if (id == 7) {
			r = r ? r : va_fe_wait_all(&f->c);
			kill(qsd_pid, SIGSTOP);
		}
	}
	fe_flush(f);
	usleep(300000);
	kill(qsd_pid, SIGKILL);
	waitpid(qsd_pid, NULL, 0);
	path(p, sizeof(p), "raw.sock");
	unlink(p);
	path(p, sizeof(p), "qcow.sock");
	unlink(p);
	qsd_pid = start_qsd();
	while (!r && f->c.outstanding > 0)
		if (fe_recv(f, -1, NULL) < 0)
			r = -1;
	for (id = 0; id < QSIZE; id++) {
		if (va_fe_blk_status(&f->c, id % NQ, id) == VIRTIO_BLK_S_OK)
			ok++;
		else
			other++;
	}
	TAP_CHECK("backend_restart_resumes_every_chain_ok", r == 0 && ok == QSIZE && !f->events_config,
		  "r %d ok %u not ok %u events %d", r, ok, other, f->events_config);
	for (id = 0; !r && id < QSIZE; id++)
		if (blk_sync(f, VIRTIO_BLK_T_IN, 24576 + id * 32, NULL, 0, sizeof(data[id])) ||
		    memcmp(f->c.in[0][0], data[id], sizeof(data[id])))
			bad++;
	TAP_CHECK("resumed_writes_in_the_image", !r && bad == 0, "%u of %u differ", bad, QSIZE);
	fe_close(f);
	free(f);
}

/* qemu-storage-daemon killed with writes in flight and not back within
 * the grace period: every chain is answered (OK or IOERR, never lost,
 * never twice), the device asks for a reset, and after a restart and a
 * reset every acknowledged write is in the image. */
static void test_backend_restart(void)
{
	static uint8_t data[QSIZE][16384];
	struct fe *f = calloc(1, sizeof(*f));
	uint32_t id, ok = 0, ioerr = 0, lost = 0, bad = 0;
	char p[300];
	int r;

	r = fe_init(f, "fe-raw.sock", WANT);
	/* Eight writes acknowledged; then, with the daemon stopped so none
	 * can finish, the rest posted; then it dies. */
	for (id = 0; id < QSIZE; id++) {
		memset(data[id], (int)(id + 1), sizeof(data[id]));
		va_fe_blk(&f->c, id % NQ, id, VIRTIO_BLK_T_OUT, 16384 + id * 32, data[id], sizeof(data[id]), 0);
		if (id == 7) {
			r = r ? r : va_fe_wait_all(&f->c);
			kill(qsd_pid, SIGSTOP);
		}
	}
	fe_flush(f);
	usleep(300000);
	kill(qsd_pid, SIGKILL);
	waitpid(qsd_pid, NULL, 0);
	while (!r && f->c.outstanding > 0)
		if (fe_recv(f, -1, NULL) < 0)
			r = -1;
	for (id = 0; id < QSIZE; id++) {
		if (f->c.done[id % NQ][id] == 2 + VA_STATUS_IOERR)
			ioerr++;
		else if (va_fe_blk_status(&f->c, id % NQ, id) == VIRTIO_BLK_S_OK)
			ok++;
		else
			lost++;
	}
	TAP_CHECK("backend_killed_every_chain_answered_once", r == 0 && lost == 0,
		  "r %d ok %u ioerr %u unanswered %u", r, ok, ioerr, lost);
	TAP_CHECK("backend_killed_in_flight_fail_ioerr", ok == 8 && ioerr == QSIZE - 8,
		  "ok %u ioerr %u", ok, ioerr);
	while (!f->events_config && fe_recv(f, -1, NULL) >= 0)
		;
	TAP_CHECK("backend_killed_event_config_needs_reset",
		  f->events_config && (f->last_event_status & 0x40),
		  "events %d status %#x", f->events_config, f->last_event_status);
	TAP_CHECK("reset_while_backend_down_reports_needs_reset", fe_status(f, 0) == 0x40,
		  "%s", "status not NEEDS_RESET");

	path(p, sizeof(p), "raw.sock");
	unlink(p);
	path(p, sizeof(p), "qcow.sock");
	unlink(p);
	qsd_pid = start_qsd();
	f->c.epoch++;
	r = qsd_pid > 0 ? fe_setup(f, WANT) : -100;
	TAP_EQ("backend_restarted_device_resets_and_runs", 0, r);
	for (id = 0; !r && id < QSIZE; id++) {
		if (va_fe_blk_status(&f->c, id % NQ, id) != VIRTIO_BLK_S_OK)
			continue;
		if (blk_sync(f, VIRTIO_BLK_T_IN, 16384 + id * 32, NULL, 0, sizeof(data[id])) ||
		    memcmp(f->c.in[0][0], data[id], sizeof(data[id])))
			bad++;
	}
	TAP_CHECK("acknowledged_writes_survive_backend_restart", !r && bad == 0,
		  "%u of %u acknowledged writes differ", bad, ok);
	fe_close(f);
	free(f);
}

static void test_stats(void)
{
	char p[300], buf[4096];
	unsigned long long chains = 0, msgs = 0, copied = 0, perr = 0, cancelled = 0;
	FILE *fp;
	int tries;
	char *s;

	path(p, sizeof(p), "stats.json");
	unlink(p);
	kill(bridge_pid, SIGUSR1);
	for (tries = 0; tries < 100 && access(p, R_OK); tries++)
		usleep(20000);
	fp = fopen(p, "r");
	buf[0] = 0;
	if (fp) {
		size_t n = fread(buf, 1, sizeof(buf) - 1, fp);

		buf[n] = 0;
		fclose(fp);
	}
	s = strstr(buf, "\"raw\"");
	if (s) {
		sscanf(strstr(s, "msgs_rx") + 10, "%llu", &msgs);
		sscanf(strstr(s, "\"chains\"") + 10, "%llu", &chains);
		sscanf(strstr(s, "copied_out") + 13, "%llu", &copied);
		sscanf(strstr(s, "protocol_errors") + 18, "%llu", &perr);
		sscanf(strstr(s, "cancelled") + 12, "%llu", &cancelled);
	}
	TAP_CHECK("stats_count_chains_and_copies", chains > 4000 && copied > chains * 16,
		  "chains %llu copied_out %llu", chains, copied);
	/* bench_batching sent 2048 chains one per message; the rest batch. */
	TAP_CHECK("stats_batching_fewer_messages_than_chains", msgs < chains / 2,
		  "msgs_rx %llu chains %llu", msgs, chains);
	TAP_CHECK("stats_count_protocol_errors", perr >= 7, "protocol_errors %llu", perr);
	TAP_CHECK("killed_frontends_chains_cancelled", cancelled >= 1, "cancelled %llu", cancelled);
	printf("# raw device: %llu chains in %llu messages, %llu out bytes copied\n", chains, msgs, copied);
}

static void on_timeout(int sig)
{
	static const char msg[] = "not ok - timed out: daemons killed\n";

	(void)sig;
	if (qsd_pid > 0)
		kill(qsd_pid, SIGKILL);
	if (bridge_pid > 0)
		kill(bridge_pid, SIGKILL);
	if (write(1, msg, sizeof(msg) - 1) < 0)
		_exit(1);
	_exit(1);
}

int main(int argc, char **argv)
{
	char p[300], cmd[700];
	struct fe *f;
	uint32_t i;
	int fd;

	const char *bin = argc > 1 ? argv[1] : BACKEND_BIN;

	if (system("command -v qemu-storage-daemon >/dev/null && command -v qemu-img >/dev/null")) {
		printf("1..0 # SKIP qemu-storage-daemon or qemu-img not installed\n");
		return 0;
	}
	/* A hang is a failure, not a stuck make: everything here takes
	 * seconds. */
	signal(SIGALRM, on_timeout);
	alarm(180);
	snprintf(dir, sizeof(dir), "/tmp/vbridge-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	model_raw = malloc(IMG_SIZE);
	model_qcow = calloc(1, IMG_SIZE);
	for (i = 0; i < IMG_SIZE; i++)
		model_raw[i] = (uint8_t)(i / SECTOR + i);
	path(p, sizeof(p), "raw.img");
	fd = open(p, O_WRONLY | O_CREAT, 0644);
	if (fd < 0 || write(fd, model_raw, IMG_SIZE) != IMG_SIZE)
		return 1;
	close(fd);
	snprintf(cmd, sizeof(cmd), "qemu-img create -q -f qcow2 %s/disk.qcow2 %u", dir, IMG_SIZE);
	if (system(cmd))
		return 1;

	qsd_pid = start_qsd();
	TAP_CHECK("qemu_storage_daemon_started", qsd_pid > 0, "%s", "no sockets after 10 s");
	bridge_pid = qsd_pid > 0 ? start_bridge(bin) : -1;
	TAP_CHECK("bridge_started", bridge_pid > 0, "%s", "no frontend socket after 10 s");
	if (bridge_pid <= 0)
		goto out;

	f = calloc(1, sizeof(*f));
	test_bringup_and_blk(f);
	test_many_in_flight(f, "raw.img", model_raw, "raw");
	bench_batching(f);
	test_queue_reset(f);
	test_config_generation(f);
	fe_close(f);

	TAP_EQ("qcow2_bringup", 0, fe_init(f, "fe-qcow.sock", WANT));
	test_many_in_flight(f, NULL, model_qcow, "qcow2");
	fe_close(f);

	test_hostile();
	test_fuzz_frontend();
	test_killed_frontend();
	test_stats();
	test_backend_resume();
	test_backend_restart();
	free(f);

	/* qcow2 content, as QEMU's own tool reads it back. */
	kill(qsd_pid, SIGTERM);
	waitpid(qsd_pid, NULL, 0);
	qsd_pid = 0;
	snprintf(cmd, sizeof(cmd), "qemu-img convert -O raw %s/disk.qcow2 %s/qcow.raw", dir, dir);
	TAP_CHECK("qcow2_image_matches_what_was_written",
		  !system(cmd) && file_matches("qcow.raw", model_qcow, 0, IMG_SIZE), "%s", "differs");
out:
	if (bridge_pid > 0) {
		int st = 0;

		kill(bridge_pid, SIGTERM);
		waitpid(bridge_pid, &st, 0);
		TAP_CHECK("bridge_exits_cleanly", WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
	}
	if (qsd_pid > 0) {
		kill(qsd_pid, SIGTERM);
		waitpid(qsd_pid, NULL, 0);
	}
	if (tap_failed || getenv("VBRIDGE_KEEP")) {
		printf("# logs kept in %s\n", dir);
	} else {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd))
			printf("# could not remove %s\n", dir);
	}
	free(model_raw);
	free(model_qcow);
	return tap_done();
}
