// SPDX-License-Identifier: GPL-2.0-only
/*
 * argo_test_fuzz.ko: a lab test module, not for production. It fuzzes
 * Xen's Argo hypercall interface from inside a guest: from a seed and a
 * fixed number of calls, each of `threads` kernel threads (one per vCPU)
 * issues random register/unregister/sendv/notify operations (and
 * sendv_batch, series 0021, where Xen offers it) with hostile
 * arguments (bad lengths, page counts, flags, pads, frame lists naming
 * frames that are not the guest's or are its page tables, unmapped,
 * non-canonical and Xen-owned addresses, read-only buffers Xen must write
 * to, counts past every limit) and scribbles on its rings' headers and
 * contents between calls. Each result is checked against a small model of
 * Argo's documented behaviour (e.g. unregistering what was registered
 * succeeds once, then gives -ENOENT); a result the model cannot predict
 * exactly must still be one of the errors the operation documents.
 *
 * After each round the threads unregister everything they hold (each must
 * succeed, then each must be gone), and the module checks the domain's
 * ring accounting by registering the domain's maximum of 128 rings (all
 * must succeed, the 129th must fail with -ENOSPC) and removing them: 4.17
 * has no debug key for Argo, so accounting is observed through its limit.
 *
 * Results go to the kernel log, one summary line the lab parses:
 *   argo_fuzz: done seed S calls N mismatches M count_checks_failed C ...
 * and a line per mismatch (the first few), naming the call, so a failure
 * reproduces with the same seed, calls and threads. Stays loaded (busybox
 * insmod re-runs a failed init); rmmod frees the pages.
 */
#define pr_fmt(fmt) "argo_fuzz: " fmt

#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/gfp.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <xen/page.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/page.h>

#include "xen_argo_abi.h"

static ulong seed = 1;
module_param(seed, ulong, 0444);
MODULE_PARM_DESC(seed, "PRNG seed: the same seed, calls and threads repeat the run");
static uint calls = 2000;
module_param(calls, uint, 0444);
MODULE_PARM_DESC(calls, "hypercalls per thread per round");
static uint rounds = 2;
module_param(rounds, uint, 0444);
static uint threads = 2;
module_param(threads, uint, 0444);
MODULE_PARM_DESC(threads, "concurrent threads, each bound to a vCPU in turn");
static int domid = -1;
module_param(domid, int, 0444);
MODULE_PARM_DESC(domid, "this domain's id (required)");
static int peer = -1;
module_param(peer, int, 0444);
MODULE_PARM_DESC(peer, "another fuzzing guest: partner and destination (may die)");

#define NSLOTS		16	/* rings per thread: 2 threads stay far below 128 */
#define SLOT_ORDER	2	/* 4 pages per slot */
#define SLOT_PAGES	(1u << SLOT_ORDER)
#define MAX_RING_LEN	(SLOT_PAGES * PAGE_SIZE - sizeof(struct argo_xen_ring))
#define PORT_BASE	0x40000000u
#define MAX_REPORTS	16
#define MAX_RINGS	128
#define NOTIFY_MAX	256
#define BATCH_MAX	8	/* entries per fuzzed batch: their iovs fit buf */
#define OPI_BATCH	5	/* ARGO_OP_SENDV_BATCH's index in the tallies */
#define NONEXISTENT_DOMID 0x7fe0	/* below DOMID_FIRST_RESERVED, never created */
#define ARGO_ERRS	"EPERM ESRCH EFAULT EINVAL EEXIST ENOSPC EAGAIN EBUSY ENOMEM ECONNREFUSED EMSGSIZE EACCES ENOENT"

enum slot_state { SLOT_FREE, SLOT_REG, SLOT_MAYBE };

struct slot {
	enum slot_state state;	/* MAYBE: partner is the peer, which may die */
	u32 port;
	u16 partner;
	u32 len;
	struct page *pages;
	struct argo_xen_ring *ring;
	u64 gfns[SLOT_PAGES];
};

struct fuzzer {
	unsigned int id;
	u64 rng;
	struct slot slot[NSLOTS];
	u8 *buf;		/* send payloads and notify arrays: 2 pages */
	void *edge;		/* a page whose next page is unmapped */
	unsigned int mismatches, reports, calls_made;
	unsigned int ok[6], n[6];
	struct completion done;
};

static const char *const op_name[] = { "?", "register", "unregister", "sendv", "notify",
				       "sendv_batch" };
/* Whether Xen has ARGO_OP_SENDV_BATCH (series 0021): drawn only then. */
static bool have_batch;

/* Read-only to this guest once the module is loaded (STRICT_MODULE_RWX). */
static const struct {
	struct argo_xen_ring_data hdr;
	struct argo_xen_ring_data_ent ent[1];
} ro_ring_data = { .hdr = { .nent = 1 } };
static const u8 ro_payload[64] = "read-only payload";

static struct fuzzer *fz[8];
static u64 pgd_gfn;
/* A page in vmalloc space: the page after it is its unmapped guard. */
static void *guard;

static u64 rnd(struct fuzzer *f)
{
	f->rng ^= f->rng << 13;
	f->rng ^= f->rng >> 7;
	f->rng ^= f->rng << 17;
	return f->rng;
}

static u32 rndn(struct fuzzer *f, u32 n)
{
	return n ? (u32)(rnd(f) % n) : 0;
}

static long argo_op(unsigned int op, unsigned long a1, unsigned long a2,
		    unsigned long a3, unsigned long a4)
{
	return xen_single_call(ARGO_HYPERCALL_NR, op, a1, a2, a3, a4);
}

/* Xen 4.17 returns sendv errors as u32 (defect 1): read 32 bits signed. */
static long s32_result(long r)
{
	return (long)(s32)(u32)r;
}

static bool known_errno(long r)
{
	switch (-r) {
	case EPERM: case ESRCH: case EFAULT: case EINVAL: case EEXIST:
	case ENOSPC: case EAGAIN: case EBUSY: case ENOMEM: case ECONNREFUSED:
	case EMSGSIZE: case EACCES: case ENOENT:
		return true;
	}
	return false;
}

/*
 * One result against the model: want is the exact result, or 1 for "any
 * documented error" (known_errno), or 2 for "success or a documented
 * error".
 */
#define ANY_ERR		1
#define ANY		2

/* One result judged by the caller (good), counted and reported if bad. */
static void tally(struct fuzzer *f, unsigned int call, unsigned int op,
		  bool good, long want, long got, const char *what)
{
	f->n[op]++;
	if (good) {
		f->ok[op]++;
		return;
	}
	f->mismatches++;
	if (f->reports++ < MAX_REPORTS)
		pr_err("MISMATCH seed %lu thread %u call %u %s %s: expected %ld, got %ld\n",
		       seed, f->id, call, op_name[op], what, want, got);
}

/* One result against the model's want (an exact result, ANY_ERR or ANY). */
static void expect(struct fuzzer *f, unsigned int call, unsigned int op,
		   long want, long got, const char *what)
{
	bool good;

	if (want == ANY_ERR)
		good = got < 0 && known_errno(got);
	else if (want == ANY)
		good = got >= 0 || known_errno(got);
	else
		good = got == want;
	tally(f, call, op, good, want, got, what);
}

/* Addresses a guest may hand Xen that Xen must refuse to touch. */
static unsigned long bad_addr(struct fuzzer *f)
{
	switch (rndn(f, 5)) {
	case 0: return 0;				/* NULL */
	case 1: return 0x1000 + (rnd(f) & 0xfff0);	/* unmapped user page */
	case 2: return 0xffff800000000000ul + (rnd(f) & 0xffff0); /* Xen's */
	case 3: return 0x8000000000000000ul;		/* non-canonical */
	default: return (unsigned long)guard + PAGE_SIZE; /* vmalloc guard page */
	}
}

/* A frame that is not this guest's writable RAM. */
static u64 bad_gfn(struct fuzzer *f)
{
	u64 g;

	switch (rndn(f, 4)) {
	case 0: return pgd_gfn;			/* a page table: never writable */
	case 1: return 0x7ffffffff0ull;		/* past any RAM */
	case 2: return ~0ull;
	default:
		/* Another domain's or Xen's frame, never one of ours. */
		g = rndn(f, 0x60000);
		if (pfn_to_mfn(mfn_to_pfn(g)) == g)
			g = 0x7ffffffff0ull;
		return g;
	}
}

static u32 npages_for(u32 len)
{
	return DIV_ROUND_UP(ALIGN(len, ARGO_MSG_SLOT_SIZE) + sizeof(struct argo_xen_ring),
			    PAGE_SIZE);
}

static u16 pick_partner(struct fuzzer *f)
{
	switch (rndn(f, 5)) {
	case 0: return ARGO_DOMID_ANY;
	case 1: return 0;
	case 2: return peer >= 0 ? peer : domid;
	case 3: return NONEXISTENT_DOMID;
	default: return domid;
	}
}

static bool ring_for_us(const struct slot *s)
{
	return s->state == SLOT_REG &&
	       (s->partner == domid || s->partner == ARGO_DOMID_ANY);
}

static void do_register(struct fuzzer *f, unsigned int call)
{
	struct slot *s = &f->slot[rndn(f, NSLOTS)];
	struct argo_xen_register_ring *reg = (void *)f->buf;
	u64 *gfns = (u64 *)(f->buf + 64);
	u32 len, npages, flags = 0;
	unsigned long a1 = (unsigned long)reg, a2 = (unsigned long)gfns, a3;
	long want = 0, got;
	bool bad_frames = false;

	reg->aport = s->port;
	reg->partner_id = s->state == SLOT_FREE ? pick_partner(f) : s->partner;
	reg->pad = 0;
	len = s->state != SLOT_FREE && rndn(f, 2) ? s->len :
	      ARGO_MSG_SLOT_SIZE * (3 + rndn(f, (MAX_RING_LEN / ARGO_MSG_SLOT_SIZE) - 2));
	npages = npages_for(len);
	a3 = npages;
	memcpy(gfns, s->gfns, sizeof(s->gfns));
	if (rndn(f, 4) == 0)
		flags = ARGO_REGISTER_FLAG_FAIL_EXIST;

	switch (rndn(f, 16)) {
	case 0: len = rndn(f, 48); want = -EINVAL; break;		/* too small */
	case 1: len |= 1 + rndn(f, 15); want = -EINVAL; break;		/* unaligned */
	case 2: len = ARGO_MAX_RING_SIZE + 16; want = -EINVAL; break;	/* too big */
	case 3: a3 = npages + 1 + rndn(f, 3); want = -EINVAL; break;	/* page count */
	case 4: a3 = npages - 1; want = -EINVAL; break;
	case 5: a3 = 4098 + rndn(f, 1 << 20); want = -EINVAL; break;	/* past the limit */
	case 6: a3 = 1ul << 32 | npages; want = -EINVAL; break;	/* not 32-bit */
	/* Bits 0 (FAIL_EXIST) and 1 (SUPPRESS, series 0020) are known. */
	case 7: flags = 1u << (2 + rndn(f, 30)); want = -EINVAL; break;
	case 8: reg->pad = 1 + rndn(f, 0xffff); want = -EINVAL; break;
	case 9: a1 = bad_addr(f); want = -EFAULT; break;
	case 10: a2 = bad_addr(f); want = ANY_ERR; break;		/* EFAULT or EINVAL */
	case 11: case 12:
		gfns[rndn(f, npages)] = bad_gfn(f);
		bad_frames = true;
		break;
	}
	reg->len = len;
	if (want == 0 && s->state == SLOT_MAYBE)
		want = ANY;	/* the peer may have died and taken the ring */
	if (want == 0 && reg->partner_id == NONEXISTENT_DOMID)
		want = -ESRCH;
	if (want == 0 && s->state == SLOT_REG &&
	    ((flags & ARGO_REGISTER_FLAG_FAIL_EXIST) || len != s->len))
		want = -EEXIST;
	/*
	 * Xen looks the partner up before it reads the frame list, so a
	 * ring for the peer that is being destroyed fails ESRCH or
	 * ECONNREFUSED before the bad frame is reached.
	 */
	if (want == 0 && bad_frames)
		want = peer >= 0 && reg->partner_id == peer ? ANY_ERR : -EINVAL;
	if (want == 0 && peer >= 0 && reg->partner_id == peer)
		want = ANY;	/* the peer may be gone: ESRCH, ECONNREFUSED */

	got = argo_op(ARGO_OP_REGISTER_RING, a1, a2, a3, flags);
	expect(f, call, ARGO_OP_REGISTER_RING, want, got, "");
	if (got == 0) {
		s->state = peer >= 0 && reg->partner_id == peer ? SLOT_MAYBE : SLOT_REG;
		s->partner = reg->partner_id;
		s->len = len;
	} else if (s->state == SLOT_REG && bad_frames && want == -EINVAL) {
		/* Failed while taking the new frames: argo.c drops the ring. */
		s->state = SLOT_FREE;
	} else if (s->state != SLOT_FREE && want == ANY_ERR) {
		/* A bad frame list pointer may or may not have been reached. */
		s->state = SLOT_MAYBE;
	}
}

static void do_unregister(struct fuzzer *f, unsigned int call)
{
	struct slot *s = &f->slot[rndn(f, NSLOTS)];
	struct argo_xen_unregister_ring *u = (void *)f->buf;
	unsigned long a1 = (unsigned long)u, a2 = 0, a3 = 0;
	long want, got;

	u->aport = s->port;
	u->partner_id = s->state != SLOT_FREE && rndn(f, 4) ? s->partner : pick_partner(f);
	u->pad = 0;
	if (s->state == SLOT_REG && u->partner_id == s->partner)
		want = 0;
	else if (s->state == SLOT_MAYBE && u->partner_id == s->partner)
		want = ANY;
	else
		want = -ENOENT;
	switch (rndn(f, 10)) {
	case 0: a1 = bad_addr(f); want = -EFAULT; break;
	case 1: u->pad = 1 + rndn(f, 0xffff); want = -EINVAL; break;
	case 2: a2 = (unsigned long)f->buf; want = -EINVAL; break;	/* unused args */
	case 3: a3 = 1 + rndn(f, 100); want = -EINVAL; break;
	}
	got = argo_op(ARGO_OP_UNREGISTER_RING, a1, a2, a3, 0);
	expect(f, call, ARGO_OP_UNREGISTER_RING, want, got, "");
	if (got == 0 || (got == -ENOENT && s->state == SLOT_MAYBE &&
			 u->partner_id == s->partner))
		s->state = SLOT_FREE;
}

/*
 * One message's sendv arguments into addr and iov (payload: a page of
 * ours): what the model expects of sending it, with *total its length and
 * *niovp its iov count. Corrupts what sendv itself checks, sometimes.
 */
static long gen_send(struct fuzzer *f, struct argo_xen_send_addr *addr,
		     struct argo_xen_iov *iov, u8 *payload,
		     unsigned int *niovp, u64 *total)
{
	struct slot *s = &f->slot[rndn(f, NSLOTS)];
	unsigned int niov = rndn(f, ARGO_MAXIOV + 1), i;
	bool faults = false;
	long want;

	memset(addr, 0, sizeof(*addr));
	addr->src.aport = rnd(f);
	addr->src.domain_id = rndn(f, 2) ? ARGO_DOMID_ANY : domid;
	switch (rndn(f, 4)) {
	case 0: addr->dst.domain_id = 0; addr->dst.aport = rnd(f); break;
	case 1: addr->dst.domain_id = peer >= 0 ? peer : NONEXISTENT_DOMID;
		addr->dst.aport = PORT_BASE + rndn(f, 2 * 256); break;
	default: addr->dst.domain_id = domid; addr->dst.aport = s->port; break;
	}
	*total = 0;
	for (i = 0; i < niov; i++) {
		u32 l = rndn(f, 8) ? rndn(f, 600) : rnd(f);

		iov[i].pad = 0;
		switch (rndn(f, 8)) {
		case 0: iov[i].iov_hnd = bad_addr(f); faults |= !!l; break;
		case 1: iov[i].iov_hnd = (unsigned long)ro_payload; l %= sizeof(ro_payload); break;
		default: iov[i].iov_hnd = (unsigned long)payload; l %= PAGE_SIZE; break;
		}
		iov[i].iov_len = l;
		*total += l;
	}
	*niovp = niov;

	/* A success must carry the total (checked by the caller). */
	if (addr->dst.domain_id == domid && !ring_for_us(s) && s->state != SLOT_MAYBE)
		want = -ECONNREFUSED;
	else if (addr->dst.domain_id == NONEXISTENT_DOMID)
		want = -ESRCH;
	else
		want = faults ? ANY_ERR : ANY;

	switch (rndn(f, 16)) {
	case 0: addr->src.pad = 1; want = -EINVAL; break;
	case 1: addr->src.domain_id = NONEXISTENT_DOMID; want = -EPERM; break;
	}
	return want;
}

static void do_sendv(struct fuzzer *f, unsigned int call)
{
	struct argo_xen_send_addr *addr = (void *)f->buf;
	struct argo_xen_iov *iov = (void *)(f->buf + 64);
	unsigned long a1 = (unsigned long)addr, a2 = (unsigned long)iov, a3, a4;
	unsigned int niov;
	u64 total;
	long want, got;

	want = gen_send(f, addr, iov, f->buf + 256, &niov, &total);
	a3 = niov;
	a4 = rnd(f) & 0xffffffff;
	switch (rndn(f, 12)) {
	case 0: a1 = bad_addr(f); want = -EFAULT; break;
	case 1: a3 = ARGO_MAXIOV + 1 + rndn(f, 100); want = -EINVAL; break;
	case 2: a4 = rnd(f) | 1ul << 32; want = -EINVAL; break;
	case 3: if (niov) { a2 = bad_addr(f); want = -EFAULT; } break;
	}
	got = s32_result(argo_op(ARGO_OP_SENDV, a1, a2, a3, a4));
	if (got >= 0 && got != (long)total)
		expect(f, call, ARGO_OP_SENDV, (long)total, got, "(length sent)");
	else
		expect(f, call, ARGO_OP_SENDV, want, got, "");
}

/*
 * XEN_ARGO_OP_sendv_batch (series 0021): entries made as do_sendv makes
 * one message, some spoiled as only a batch entry can be. Xen sends a
 * prefix: the count it returns must not pass an entry the model says
 * fails, and with none sent the error is the first entry's.
 */
static void do_sendv_batch(struct fuzzer *f, unsigned int call)
{
	struct argo_xen_send_ent *ents = (void *)f->buf, *e;
	struct argo_xen_iov *iovs = (void *)(f->buf + 512);
	unsigned int count = 1 + rndn(f, BATCH_MAX), i, niov, fit = count;
	unsigned long a1 = (unsigned long)ents, a2 = 0, a3, a4 = 0;
	long want[BATCH_MAX], top = 0, got;
	u64 total;

	for (i = 0; i < count; i++) {
		e = &ents[i];
		want[i] = gen_send(f, &e->addr, iovs + i * ARGO_MAXIOV,
				   f->buf + PAGE_SIZE, &niov, &total);
		e->iovs = (unsigned long)(iovs + i * ARGO_MAXIOV);
		e->niov = niov;
		e->message_type = rnd(f);
		e->pad = 0;
		switch (rndn(f, 24)) {
		case 0: e->pad = 1 + rndn(f, 0xffff); want[i] = -EINVAL; break;
		case 1: e->niov = ARGO_MAXIOV + 1 + rndn(f, 0xfff0); want[i] = -EINVAL; break;
		/* Xen reads no iov of an entry with none. */
		case 2: if (niov) { e->iovs = bad_addr(f); want[i] = -EFAULT; } break;
		}
	}
	a3 = count;
	switch (rndn(f, 12)) {
	case 0: a1 = bad_addr(f); top = -EFAULT; break;
	case 1: a3 = rndn(f, 2) ? 0 : ARGO_MAX_SEND_BATCH + 1 + rndn(f, 1000); top = -EINVAL; break;
	case 2: a2 = (unsigned long)f->buf; top = -EINVAL; break;
	case 3: a4 = 1 + rndn(f, 100); top = -EINVAL; break;
	case 4: case 5:
		/* The entries end at our own guard page: entry fit faults. */
		fit = rndn(f, count);
		a1 = (unsigned long)f->edge + PAGE_SIZE - fit * sizeof(*ents);
		memcpy((void *)a1, ents, fit * sizeof(*ents));
		if (fit < count)
			want[fit] = -EFAULT;
		break;
	}
	got = argo_op(ARGO_OP_SENDV_BATCH, a1, a2, a3, a4);
	if (top) {
		expect(f, call, OPI_BATCH, top, got, "(arguments)");
		return;
	}
	if (got > 0) {
		/* Each entry sent must be one the model lets succeed. */
		for (i = 0; i < (unsigned long)got && i < count; i++)
			if (want[i] != ANY) {
				expect(f, call, OPI_BATCH, want[i], 0, "(entry sent)");
				return;
			}
		/* Counts are not expect()'s codes: compare them here. */
		if (got > fit) {
			tally(f, call, OPI_BATCH, false, fit, got, "(count past the guard page)");
			return;
		}
		tally(f, call, OPI_BATCH, got <= count, count, got, "(count)");
		return;
	}
	/* Nothing sent: the first entry's error, or any when it could be. */
	expect(f, call, OPI_BATCH, want[0] == ANY ? ANY_ERR : want[0], got,
	       "(first entry's error)");
}

static void do_notify(struct fuzzer *f, unsigned int call)
{
	struct argo_xen_ring_data *rd = (void *)f->buf;
	u32 nent = rndn(f, 4) ? rndn(f, 16) : rndn(f, NOTIFY_MAX + 40), i;
	unsigned long a1 = (unsigned long)rd;
	long want = 0, got;
	int check[16];

	if (nent * sizeof(rd->data[0]) + sizeof(*rd) > 2 * PAGE_SIZE)
		nent = NOTIFY_MAX;
	rd->nent = nent;
	rd->pad = 0;
	for (i = 0; i < nent; i++) {
		struct argo_xen_ring_data_ent *e = &rd->data[i];
		struct slot *s = &f->slot[rndn(f, NSLOTS)];

		memset(e, 0, sizeof(*e));
		e->ring.aport = rndn(f, 4) ? s->port : rnd(f);
		e->ring.domain_id = rndn(f, 4) ? domid : pick_partner(f);
		e->space_required = rndn(f, 4) ? rndn(f, 5000) : rnd(f);
		if (!rndn(f, 16))
			e->pad = rnd(f);
		/* Only our own thread's rings have a predictable state. */
		if (i < 16)
			check[i] = e->ring.domain_id != domid || e->ring.aport != s->port ? -1 :
				   ring_for_us(s) ? 1 : s->state == SLOT_MAYBE ? -1 : 0;
	}
	if (nent > NOTIFY_MAX)
		want = -EACCES;
	switch (rndn(f, 10)) {
	case 0: a1 = 0; want = 0; break;		/* plain "check pending" */
	case 1: a1 = bad_addr(f); want = a1 ? -EFAULT : 0; break;
	case 2: a1 = (unsigned long)&ro_ring_data; want = -EFAULT; break;
	}
	got = argo_op(ARGO_OP_NOTIFY, a1, 0, 0, 0);
	expect(f, call, ARGO_OP_NOTIFY, want, got, "");
	if (got || a1 != (unsigned long)rd)
		return;
	for (i = 0; i < nent && i < 16; i++) {
		bool exists = rd->data[i].flags & ARGO_RING_EXISTS;

		if (check[i] >= 0 && exists != check[i])
			expect(f, call, ARGO_OP_NOTIFY, check[i], exists,
			       "(entry's EXISTS flag)");
	}
}

/* Corrupt what the guest owns of a ring: Xen must treat it as hostile. */
static void scribble(struct fuzzer *f)
{
	struct slot *s = &f->slot[rndn(f, NSLOTS)];
	u8 *mem = (u8 *)s->ring;

	switch (rndn(f, 4)) {
	case 0: WRITE_ONCE(s->ring->rx_ptr, (u32)rnd(f)); break;
	case 1: WRITE_ONCE(s->ring->tx_ptr, (u32)rnd(f)); break;
	case 2: s->ring->reserved[rndn(f, sizeof(s->ring->reserved))] = rnd(f); break;
	default: mem[rndn(f, SLOT_PAGES * PAGE_SIZE)] = rnd(f); break;
	}
}

/* Unregister everything this thread holds, then check it is all gone. */
static void settle(struct fuzzer *f, unsigned int call)
{
	struct argo_xen_unregister_ring *u = (void *)f->buf;
	static const int partners[] = { ARGO_DOMID_ANY, 0, -2, -1, NONEXISTENT_DOMID };
	unsigned int i, j;
	long got;

	for (i = 0; i < NSLOTS; i++) {
		struct slot *s = &f->slot[i];

		if (s->state != SLOT_FREE) {
			*u = (struct argo_xen_unregister_ring){ .aport = s->port,
								 .partner_id = s->partner };
			got = argo_op(ARGO_OP_UNREGISTER_RING, (unsigned long)u, 0, 0, 0);
			expect(f, call, ARGO_OP_UNREGISTER_RING,
			       s->state == SLOT_REG ? 0 : ANY, got, "(settle)");
			s->state = SLOT_FREE;
		}
		for (j = 0; j < ARRAY_SIZE(partners); j++) {
			int p = partners[j] == -1 ? domid : partners[j] == -2 ? peer : partners[j];

			if (p < 0)
				continue;
			*u = (struct argo_xen_unregister_ring){ .aport = s->port, .partner_id = p };
			got = argo_op(ARGO_OP_UNREGISTER_RING, (unsigned long)u, 0, 0, 0);
			expect(f, call, ARGO_OP_UNREGISTER_RING, -ENOENT, got,
			       "(nothing left after settle)");
		}
	}
}

static int fuzz_thread(void *arg)
{
	struct fuzzer *f = arg;
	unsigned int c;

	for (c = 0; c < calls; c++) {
		if (!rndn(f, 4))
			scribble(f);
		switch (1 + rndn(f, have_batch ? 5 : 4)) {
		case ARGO_OP_REGISTER_RING: do_register(f, c); break;
		case ARGO_OP_UNREGISTER_RING: do_unregister(f, c); break;
		case ARGO_OP_SENDV: do_sendv(f, c); break;
		case OPI_BATCH: do_sendv_batch(f, c); break;
		default: do_notify(f, c); break;
		}
		f->calls_made++;
		if (!(c % 64))
			cond_resched();
	}
	settle(f, c);
	complete(&f->done);
	return 0;
}

/*
 * The domain's ring accounting, through its limit: with every fuzzing
 * ring gone, 128 rings must register and a 129th must not.
 */
static bool count_check(unsigned int round)
{
	struct argo_xen_register_ring reg = { .partner_id = domid, .len = 4032 };
	struct argo_xen_unregister_ring u = { .partner_id = domid };
	unsigned int i, ok = 0;
	long extra, r;

	for (i = 0; i < MAX_RINGS; i++) {
		reg.aport = PORT_BASE + 0x100000 + i;
		r = argo_op(ARGO_OP_REGISTER_RING, (unsigned long)&reg,
			    (unsigned long)&fz[0]->slot[i % NSLOTS].gfns[0], 1, 0);
		if (!r)
			ok++;
	}
	reg.aport = PORT_BASE + 0x100000 + MAX_RINGS;
	extra = argo_op(ARGO_OP_REGISTER_RING, (unsigned long)&reg,
			(unsigned long)&fz[0]->slot[0].gfns[0], 1, 0);
	for (i = 0; i <= MAX_RINGS; i++) {
		u.aport = PORT_BASE + 0x100000 + i;
		argo_op(ARGO_OP_UNREGISTER_RING, (unsigned long)&u, 0, 0, 0);
	}
	pr_info("round %u: ring accounting: %u of %u rings registered, one more %ld\n",
		round, ok, MAX_RINGS, extra);
	return ok == MAX_RINGS && extra == -ENOSPC;
}

static void free_fuzzer(struct fuzzer *f)
{
	unsigned int i;

	if (!f)
		return;
	for (i = 0; i < NSLOTS; i++)
		if (f->slot[i].pages)
			__free_pages(f->slot[i].pages, SLOT_ORDER);
	free_pages((unsigned long)f->buf, 1);
	vfree(f->edge);
	kfree(f);
}

static struct fuzzer *new_fuzzer(unsigned int id)
{
	struct fuzzer *f = kzalloc(sizeof(*f), GFP_KERNEL);
	unsigned int i, j;

	if (!f)
		return NULL;
	f->id = id;
	/* Distinct, non-zero streams per thread from one seed. */
	f->rng = (seed + 1) * 0x9e3779b97f4a7c15ull ^ (id + 1) * 0xbf58476d1ce4e5b9ull;
	if (!f->rng)
		f->rng = 1;
	f->buf = (u8 *)__get_free_pages(GFP_KERNEL | __GFP_ZERO, 1);
	if (!f->buf)
		goto err;
	/* vmalloc leaves the page after an area unmapped. */
	f->edge = vmalloc(PAGE_SIZE);
	if (!f->edge)
		goto err;
	for (i = 0; i < NSLOTS; i++) {
		struct slot *s = &f->slot[i];

		s->port = PORT_BASE + id * 256 + i;
		s->pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, SLOT_ORDER);
		if (!s->pages)
			goto err;
		s->ring = page_address(s->pages);
		for (j = 0; j < SLOT_PAGES; j++)
			s->gfns[j] = xen_page_to_gfn(s->pages + j);
	}
	return f;
err:
	free_fuzzer(f);
	return NULL;
}

static int __init argo_fuzz_init(void)
{
	unsigned int i, r, ncpu = num_online_cpus(), total = 0, bad = 0, ccf = 0;
	unsigned int okc[6] = { 0 }, nc[6] = { 0 };
	long features;

	if (domid < 0 || !threads || threads > ARRAY_SIZE(fz))
		return -EINVAL;
	pgd_gfn = pfn_to_mfn(__read_cr3() >> PAGE_SHIFT);
	guard = vmalloc(PAGE_SIZE);
	if (!guard)
		return -ENOMEM;
	features = argo_op(ARGO_OP_GET_FEATURES, 0, 0, 0, 0);
	have_batch = features >= 0 && (features & ARGO_FEATURE_SENDV_BATCH);
	pr_info("start seed %lu calls %u rounds %u threads %u vcpus %u domid %d peer %d batch %d\n",
		seed, calls, rounds, threads, ncpu, domid, peer, have_batch);
	for (i = 0; i < threads; i++) {
		fz[i] = new_fuzzer(i);
		if (!fz[i])
			goto err;
	}
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < threads; i++) {
			struct task_struct *t;

			init_completion(&fz[i]->done);
			t = kthread_create(fuzz_thread, fz[i], "argo_fuzz/%u", i);
			if (IS_ERR(t)) {
				pr_err("round %u: no thread %u\n", r, i);
				complete(&fz[i]->done);
				continue;
			}
			kthread_bind(t, (i + r) % ncpu);
			wake_up_process(t);
		}
		for (i = 0; i < threads; i++)
			wait_for_completion(&fz[i]->done);
		if (!count_check(r))
			ccf++;
		pr_info("round %u done\n", r);
	}
	for (i = 0; i < threads; i++) {
		unsigned int op;

		total += fz[i]->calls_made;
		bad += fz[i]->mismatches;
		for (op = 1; op <= OPI_BATCH; op++) {
			okc[op] += fz[i]->ok[op];
			nc[op] += fz[i]->n[op];
		}
	}
	pr_info("done seed %lu calls %u mismatches %u count_checks_failed %u register %u/%u unregister %u/%u sendv %u/%u notify %u/%u sendv_batch %u/%u\n",
		seed, total, bad, ccf, okc[1], nc[1], okc[2], nc[2], okc[3], nc[3],
		okc[4], nc[4], okc[OPI_BATCH], nc[OPI_BATCH]);
	return 0;
err:
	for (i = 0; i < threads; i++) {
		free_fuzzer(fz[i]);
		fz[i] = NULL;
	}
	vfree(guard);
	return -ENOMEM;
}

static void __exit argo_fuzz_exit(void)
{
	unsigned int i;

	/* Every ring was unregistered by settle(): Xen holds no reference. */
	for (i = 0; i < ARRAY_SIZE(fz); i++)
		free_fuzzer(fz[i]);
	vfree(guard);
}

module_init(argo_fuzz_init);
module_exit(argo_fuzz_exit);
MODULE_DESCRIPTION("Lab test: fuzz Xen's Argo hypercalls against a model");
MODULE_LICENSE("GPL");
