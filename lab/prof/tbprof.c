// SPDX-License-Identifier: MIT
/*
 * tbprof: a QEMU TCG plugin that counts the guest instructions executed
 * per translation block, whoever runs them (Xen, a guest kernel, user
 * space), for lab/run --profile. Instruction counts do not depend on
 * TCG's clock, so two trees' costs per message compare exactly where
 * timings swing 2-10x.
 *
 * Plugin argument dir=DIR. lab/run drives it through files there: it
 * creates DIR/reset to zero the counts and DIR/dump to have them written
 * to DIR/profile.txt ("VADDR INSNS EXECS" per block, hex address); the
 * plugin removes each request once it has done it. At exit the counts are
 * dumped too.
 *
 * Debian packages no qemu-plugin.h, so the few entry points of QEMU's
 * plugin API (version 1, QEMU 7.2) used here are declared below.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* QEMU's plugin API, version 1: only what this plugin calls. */
typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_info_t;
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*qemu_plugin_tb_trans_cb)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_exit_cb)(qemu_plugin_id_t id, void *userdata);
void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_tb_trans_cb cb);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, enum qemu_plugin_op op,
					      void *ptr, uint64_t imm);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_exit_cb cb, void *userdata);

#define TBPROF_EXPORT __attribute__((visibility("default")))
TBPROF_EXPORT int qemu_plugin_version = 1;

struct block {
	uint64_t vaddr;
	uint64_t insns;		/* 0: a free slot */
	uint64_t execs;		/* added to by the translated code itself */
};

/*
 * Open addressing, never resized: translated code holds pointers to the
 * execs fields. 2^21 slots (48 MiB) hold every block a lab boot makes.
 */
#define SLOTS (1u << 21)
static struct block *table;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char dir[512] = ".";

/* A block at the same address may differ (another address space). */
static struct block *slot(uint64_t vaddr, uint64_t insns)
{
	uint64_t key = vaddr ^ (insns << 56);
	uint32_t i = (uint32_t)((key * 0x9e3779b97f4a7c15ull) >> 43) & (SLOTS - 1);

	for (;; i = (i + 1) & (SLOTS - 1)) {
		struct block *b = &table[i];

		if (!b->insns) {
			b->vaddr = vaddr;
			b->insns = insns;
			return b;
		}
		if (b->vaddr == vaddr && b->insns == insns)
			return b;
	}
}

static void translated(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	uint64_t insns = qemu_plugin_tb_n_insns(tb);
	struct block *b;

	(void)id;
	if (!insns)
		return;
	pthread_mutex_lock(&lock);
	b = slot(qemu_plugin_tb_vaddr(tb), insns);
	pthread_mutex_unlock(&lock);
	/* Relaxed across vCPUs: a lost add or two in millions is noise. */
	qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &b->execs, 1);
}

static void dump(void)
{
	char path[600], tmp[610];
	FILE *f;

	snprintf(path, sizeof(path), "%s/profile.txt", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return;
	for (uint32_t i = 0; i < SLOTS; i++)
		if (table[i].insns && table[i].execs)
			fprintf(f, "%llx %llu %llu\n", (unsigned long long)table[i].vaddr,
				(unsigned long long)table[i].insns,
				(unsigned long long)table[i].execs);
	if (fclose(f) == 0)
		rename(tmp, path);
}

static int asked(const char *name)
{
	char path[600];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

/* Done: the request goes only now, so lab/run never reads a half-made file. */
static void done(const char *name)
{
	char path[600];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
}

static void *control(void *arg)
{
	const struct timespec tick = { 0, 20 * 1000 * 1000 };

	(void)arg;
	for (;;) {
		nanosleep(&tick, NULL);
		if (asked("reset")) {
			for (uint32_t i = 0; i < SLOTS; i++)
				table[i].execs = 0;
			done("reset");
		}
		if (asked("dump")) {
			dump();
			done("dump");
		}
	}
	return NULL;
}

static void at_exit(qemu_plugin_id_t id, void *userdata)
{
	(void)id;
	(void)userdata;
	dump();
}

TBPROF_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const struct qemu_info_t *info,
				      int argc, char **argv)
{
	pthread_t t;

	(void)info;
	for (int i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "dir=", 4)) {
			snprintf(dir, sizeof(dir), "%s", argv[i] + 4);
		} else {
			fprintf(stderr, "tbprof: unknown argument '%s' (only dir=DIR)\n", argv[i]);
			return -1;
		}
	}
	table = calloc(SLOTS, sizeof(*table));
	if (!table) {
		fprintf(stderr, "tbprof: out of memory\n");
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, translated);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	if (pthread_create(&t, NULL, control, NULL)) {
		fprintf(stderr, "tbprof: cannot start its control thread\n");
		return -1;
	}
	pthread_detach(t);
	return 0;
}
