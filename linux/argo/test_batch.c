// SPDX-License-Identifier: GPL-2.0-only
/*
 * argo_test_batch.ko: a lab test module, not for production. It checks
 * XEN_ARGO_OP_sendv_batch (Xen series patch 0021) through the raw
 * hypercall, where every argument can be wrong, and argo.ko's
 * argo_sendv_batch() above it, which must fall back to one sendv per
 * message on a Xen without the op. All sends go to rings of this domain.
 *
 * One line per case, read by argo-conformance:
 *   argo_test_batch: ok|not ok|skip NAME: detail
 * after "argo_test_batch: start", then "argo_test_batch: done, N failed":
 * always T_CASES cases. On a Xen without the op, the raw cases but the
 * first (the op refused) are skipped; the argo.ko cases run on both.
 * Loads, runs, and stays loaded holding nothing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/string.h>
#include <asm/xen/hypercall.h>

#include "argo.h"
#include "xen_argo_abi.h"

static int domid = -1;
module_param(domid, int, 0444);
MODULE_PARM_DESC(domid, "this domain's id (required): the test sends to itself");
static bool patched;
module_param(patched, bool, 0444);
MODULE_PARM_DESC(patched, "Xen has the series (expect the batch op)");
static int core_batch = -1;
module_param(core_batch, int, 0444);
MODULE_PARM_DESC(core_batch, "argo.ko batches (default: as patched)");

#define T_PORT		9500
#define T_CASES		19
#define T_RAW_CASES	16	/* the raw cases after the first */
#define T_SMALL_RING	256	/* holds seven 16-byte messages */

static int failed;
static u8 payload[8][200];

#define REPORT(ok, name, fmt, ...) do {					\
	if (!(ok))							\
		failed++;						\
	pr_info("%s %s: " fmt "\n", (ok) ? "ok" : "not ok", name,	\
		##__VA_ARGS__);						\
} while (0)

static long t_batch(struct argo_xen_send_ent *ents, void *arg2,
		    unsigned long count, unsigned long arg4)
{
	return xen_single_call(ARGO_HYPERCALL_NR, ARGO_OP_SENDV_BATCH,
			       (unsigned long)ents, (unsigned long)arg2, count,
			       arg4);
}

/* Entry @i: message i of @len bytes from payload[i], type 100 + i. */
static void t_ent(struct argo_xen_send_ent *e, struct argo_xen_iov *iov,
		  u32 port, unsigned int i, u32 len)
{
	memset(e, 0, sizeof(*e));
	memset(iov, 0, sizeof(*iov));
	iov->iov_hnd = (u64)(uintptr_t)payload[i];
	iov->iov_len = len;
	e->addr.src.aport = T_PORT + 99;
	e->addr.src.domain_id = ARGO_DOMID_ANY;
	e->addr.dst.aport = port;
	e->addr.dst.domain_id = domid;
	e->iovs = (u64)(uintptr_t)iov;
	e->niov = 1;
	e->message_type = 100 + i;
}

/*
 * Take the ring's next message: its type, or a negative error; its length
 * and source port where @len and @port are not NULL.
 */
static long t_next_type(struct argo_ring *ring, u32 *len, u32 *port)
{
	static u8 buf[256];
	struct argo_addr src;
	u32 type;
	ssize_t n = argo_ring_recv(ring, buf, sizeof(buf), &src, &type);

	if (n < 0)
		return n;
	if (len)
		*len = n;
	if (port)
		*port = src.port;
	return type;
}

/* Fill @ring (T_SMALL_RING) with four 16-byte messages of type 1. */
static bool t_prefill(u32 port)
{
	struct argo_addr dst = { .domain = domid, .port = port };
	struct kvec kv = { .iov_base = payload[7], .iov_len = 16 };
	int i;

	for (i = 0; i < 4; i++)
		if (argo_sendv(T_PORT + 98, &dst, &kv, 1, 1) != 16)
			return false;
	return true;
}

static void t_raw_cases(void)
{
	struct argo_xen_send_ent e[4];
	struct argo_xen_iov iov[4];
	struct argo_ring *ring;
	u32 port = T_PORT, len, i, calls = 0;
	long r, t[6];
	bool ok;

	/* In order: five messages, one hypercall, read back as sent. */
	ring = argo_ring_create(port, domid, 4096, 0, NULL, NULL);
	if (IS_ERR(ring)) {
		REPORT(0, "batch_ring_created", "argo_ring_create: %ld", PTR_ERR(ring));
		return;
	}
	{
		struct argo_xen_send_ent e5[5];
		struct argo_xen_iov iov5[5];

		for (i = 0; i < 5; i++)
			t_ent(&e5[i], &iov5[i], port, i, 10 * (i + 1));
		/* Xen may yield (pending softirqs) after any entry: go on from there. */
		for (r = 0, calls = 0; r < 5 && calls < 5; calls++) {
			long n = t_batch(e5 + r, NULL, 5 - r, 0);

			if (n <= 0)
				break;
			r += n;
		}
	}
	ok = r == 5;
	for (i = 0; i < 6; i++) {
		t[i] = t_next_type(ring, &len, NULL);
		if (i < 5)
			ok &= t[i] == 100 + i && len == 10 * (i + 1);
	}
	REPORT(ok && t[5] == -EAGAIN, "batch_of_5_delivered_in_order",
	       "expected 5 and types 100..104 then empty; got %ld in %u calls, %ld %ld %ld %ld %ld, %ld",
	       r, calls, t[0], t[1], t[2], t[3], t[4], t[5]);

	/* The arguments: each wrong one refused, nothing sent. */
	t_ent(&e[0], &iov[0], port, 0, 16);
	r = t_batch(e, NULL, 0, 0);
	REPORT(r == -EINVAL, "count_zero_einval", "expected %d, got %ld", -EINVAL, r);
	r = t_batch(e, NULL, ARGO_MAX_SEND_BATCH + 1, 0);
	REPORT(r == -EINVAL, "count_over_64_einval", "expected %d, got %ld", -EINVAL, r);
	r = t_batch(e, e, 1, 0);
	REPORT(r == -EINVAL, "arg2_not_null_einval", "expected %d, got %ld", -EINVAL, r);
	r = t_batch(e, NULL, 1, 1);
	REPORT(r == -EINVAL, "arg4_not_zero_einval", "expected %d, got %ld", -EINVAL, r);
	r = t_batch((void *)16, NULL, 1, 0);
	REPORT(r == -EFAULT, "bad_entries_handle_efault", "expected %d, got %ld", -EFAULT, r);
	e[0].niov = ARGO_MAXIOV + 1;
	r = t_batch(e, NULL, 1, 0);
	REPORT(r == -EINVAL, "entry_niov_over_8_einval", "expected %d, got %ld", -EINVAL, r);
	e[0].niov = 1;
	e[0].pad = 1;
	r = t_batch(e, NULL, 1, 0);
	REPORT(r == -EINVAL, "entry_pad_einval", "expected %d, got %ld", -EINVAL, r);
	e[0].pad = 0;
	e[0].iovs = 16;
	r = t_batch(e, NULL, 1, 0);
	REPORT(r == -EFAULT, "entry_bad_iov_handle_efault", "expected %d, got %ld", -EFAULT, r);
	t_ent(&e[0], &iov[0], port, 0, 16);
	t_ent(&e[1], &iov[1], port, 1, 16);
	e[1].niov = 0xffff;
	r = t_batch(e, NULL, 2, 0);
	t[0] = t_next_type(ring, &len, NULL);
	t[1] = t_next_type(ring, &len, NULL);
	REPORT(r == 1 && t[0] == 100 && t[1] == -EAGAIN,
	       "bad_second_entry_sends_the_first_only",
	       "expected 1, type 100, then empty; got %ld, %ld, %ld", r, t[0], t[1]);
	argo_ring_destroy(ring);

	/*
	 * A full ring mid-batch: [16, 200, 16] after four 16-byte messages.
	 * The 200 does not fit; the last 16 would, and must not be sent.
	 */
	ring = argo_ring_create(++port, domid, T_SMALL_RING, 0, NULL, NULL);
	if (IS_ERR(ring)) {
		REPORT(0, "batch_small_ring_created", "argo_ring_create: %ld", PTR_ERR(ring));
		return;
	}
	ok = t_prefill(port);
	t_ent(&e[0], &iov[0], port, 0, 16);
	t_ent(&e[1], &iov[1], port, 1, 200);
	t_ent(&e[2], &iov[2], port, 2, 16);
	r = t_batch(e, NULL, 3, 0);
	for (i = 0; i < 6; i++)
		t[i] = t_next_type(ring, &len, NULL);
	REPORT(ok && r == 1 && t[3] == 1 && t[4] == 100 && t[5] == -EAGAIN,
	       "full_ring_mid_batch_stops_there_later_fitting_entry_not_sent",
	       "expected 1 sent, then types 1 1 1 1 100 and empty; got %ld: %ld %ld %ld %ld %ld %ld",
	       r, t[0], t[1], t[2], t[3], t[4], t[5]);
	/* The refused entry first, in a full ring: its own error. */
	ok = t_prefill(port);
	r = t_batch(&e[1], NULL, 2, 0);
	REPORT(ok && r == -EAGAIN, "refused_first_entry_returns_its_error",
	       "expected %d, got %ld", -EAGAIN, r);
	argo_ring_destroy(ring);

	/*
	 * A batch cut short by a full ring returns a count and arms no space
	 * signal (series 0026): the caller sends again from the refused
	 * entry, so nothing waits. On a suppressing ring, draining it then
	 * finds no sender waiting, and the owner's notifies are all saved.
	 */
	ring = argo_ring_create(++port, domid, T_SMALL_RING, ARGO_RING_SUPPRESS,
				NULL, NULL);
	if (IS_ERR(ring)) {
		REPORT(0, "batch_suppress_ring_created", "argo_ring_create: %ld",
		       PTR_ERR(ring));
		return;
	}
	{
		struct argo_ring_stats s0, s1;

		ok = t_prefill(port);
		t_ent(&e[0], &iov[0], port, 0, 16);
		t_ent(&e[1], &iov[1], port, 1, 200);
		r = t_batch(e, NULL, 2, 0);
		argo_ring_stats(ring, &s0);
		for (i = 0; i < 6 && t_next_type(ring, &len, NULL) >= 0; i++)
			;
		argo_ring_stats(ring, &s1);
		REPORT(ok && s0.suppress && r == 1 && i == 5 && s1.notifies == s0.notifies &&
		       s1.notifies_saved > s0.notifies_saved,
		       "batch_cut_by_full_ring_leaves_no_waiter",
		       "expected 1 sent, 5 read, no notify and one saved; got %ld, %u, %llu, %llu (suppress %d)",
		       r, i, s1.notifies - s0.notifies,
		       s1.notifies_saved - s0.notifies_saved, s0.suppress);
	}
	argo_ring_destroy(ring);

	/* No ring there: the first entry's error, as sendv's. */
	t_ent(&e[0], &iov[0], port + 50, 0, 16);
	r = t_batch(e, NULL, 1, 0);
	REPORT(r == -ECONNREFUSED, "no_ring_econnrefused", "expected %d, got %ld",
	       -ECONNREFUSED, r);
}

/*
 * Xen series 0027 keeps a ring's lookup and locks for a run of entries to
 * it and ends the run at any entry that goes elsewhere or comes from
 * another port. A, A', B', A', A' (' from another port, the last naming
 * this domain rather than ANY) must land each message in its own ring with
 * its own source, in order; and an entry to no ring after a run stops the
 * batch there with the run delivered.
 */
static void t_run_cases(void)
{
	static const u32 want_a[4] = { 100, 101, 103, 104 };
	u32 pa = T_PORT + 60, pb = T_PORT + 61, src[5], src_b = 0;
	struct argo_xen_send_ent e[5];
	struct argo_xen_iov iov[5];
	struct argo_ring *ra, *rb;
	long r, n, t[6];
	unsigned int calls, i;
	bool ok;

	ra = argo_ring_create(pa, domid, 4096, 0, NULL, NULL);
	rb = argo_ring_create(pb, domid, 4096, 0, NULL, NULL);
	if (IS_ERR(ra) || IS_ERR(rb)) {
		REPORT(0, "batch_runs_keep_each_ring_and_source", "argo_ring_create: %d %d",
		       PTR_ERR_OR_ZERO(ra), PTR_ERR_OR_ZERO(rb));
		REPORT(0, "batch_stops_at_missing_ring_after_a_run", "%s", "no rings");
		if (!IS_ERR(ra))
			argo_ring_destroy(ra);
		if (!IS_ERR(rb))
			argo_ring_destroy(rb);
		return;
	}
	for (i = 0; i < 5; i++)
		t_ent(&e[i], &iov[i], i == 2 ? pb : pa, i, 10 * (i + 1));
	for (i = 1; i < 5; i++)
		e[i].addr.src.aport = T_PORT + 97;
	e[4].addr.src.domain_id = domid;
	for (r = 0, calls = 0; r < 5 && calls < 5; calls++) {
		n = t_batch(e + r, NULL, 5 - r, 0);
		if (n <= 0)
			break;
		r += n;
	}
	ok = r == 5;
	for (i = 0; i < 5; i++) {
		src[i] = 0;
		t[i] = t_next_type(ra, NULL, &src[i]);
		if (i < 4)
			ok &= t[i] == want_a[i] &&
			      src[i] == (i ? T_PORT + 97 : T_PORT + 99);
	}
	ok &= t[4] == -EAGAIN;
	t[5] = t_next_type(rb, NULL, &src_b);
	ok &= t[5] == 102 && src_b == T_PORT + 97 && t_next_type(rb, NULL, NULL) == -EAGAIN;
	REPORT(ok, "batch_runs_keep_each_ring_and_source",
	       "expected 5 sent; A: 100 101 103 104 from %u %u %u %u; B: 102; got %ld in %u calls, A: %ld/%u %ld/%u %ld/%u %ld/%u then %ld, B: %ld",
	       T_PORT + 99, T_PORT + 97, T_PORT + 97, T_PORT + 97, r, calls,
	       t[0], src[0], t[1], src[1], t[2], src[2], t[3], src[3], t[4], t[5]);

	/* A, A, then a port with no ring: the run's two, then its error alone. */
	for (i = 0; i < 3; i++)
		t_ent(&e[i], &iov[i], i == 2 ? pa + 50 : pa, i, 16);
	r = t_batch(e, NULL, 3, 0);
	n = 0;
	if (r == 1)	/* Xen yielded after the first: go on from the second */
		n = t_batch(e + 1, NULL, 2, 0) == 1 ? 1 : -1;
	t[0] = t_batch(e + 2, NULL, 1, 0);
	t[1] = t_next_type(ra, NULL, &src[0]);
	t[2] = t_next_type(ra, NULL, &src[1]);
	t[3] = t_next_type(ra, NULL, &src[2]);
	REPORT(r + n == 2 && t[0] == -ECONNREFUSED && t[1] == 100 && t[2] == 101 &&
	       t[3] == -EAGAIN, "batch_stops_at_missing_ring_after_a_run",
	       "expected 2 sent, then %d; ring: 100 101 then empty; got %ld+%ld, %ld; %ld %ld %ld",
	       -ECONNREFUSED, r, n, t[0], t[1], t[2], t[3]);
	argo_ring_destroy(ra);
	argo_ring_destroy(rb);
}

/*
 * argo_sendv_batch() until all @n are sent or one is refused, as its
 * callers do (a short count may also mean Xen yielded). Returns how many
 * were sent; *@err gets the refusal, or 0.
 */
static long t_core_send_all(const struct argo_send_msg *m, unsigned int n,
			    long *err)
{
	unsigned int done = 0;
	long r;

	*err = 0;
	while (done < n) {
		r = argo_sendv_batch(T_PORT + 97, m + done, n - done);
		if (r < 0) {
			*err = r;
			break;
		}
		done += r;
	}
	return done;
}

/* argo.ko's argo_sendv_batch(): one hypercall on 0021, else one per message. */
static void t_core_cases(void)
{
	struct argo_core_stats a, b;
	struct argo_send_msg m[8];
	struct kvec kv[8];
	struct argo_ring *ring;
	u32 port = T_PORT + 10, len, i;
	long r, r2, t[8];
	bool ok;

	ring = argo_ring_create(port, domid, T_SMALL_RING, 0, NULL, NULL);
	if (IS_ERR(ring)) {
		REPORT(0, "core_ring_created", "argo_ring_create: %ld", PTR_ERR(ring));
		REPORT(0, "core_ring_created", "argo_ring_create: %ld", PTR_ERR(ring));
		return;
	}
	for (i = 0; i < 8; i++) {
		kv[i].iov_base = payload[i];
		kv[i].iov_len = 16;
		m[i].dst.domain = domid;
		m[i].dst.port = port;
		m[i].iov = &kv[i];
		m[i].niov = 1;
		m[i].type = 100 + i;
	}
	argo_core_stats(&a);
	r = t_core_send_all(m, 6, &r2);
	argo_core_stats(&b);
	ok = r == 6 && !r2;
	for (i = 0; i < 6; i++)
		ok &= t_next_type(ring, &len, NULL) == 100 + i;
	/* One batch, or a few if Xen yielded for its softirqs. */
	if (core_batch < 0 ? patched : core_batch)
		REPORT(ok && b.hc_sendv - a.hc_sendv <= 3 && b.hc_sendv_batch - a.hc_sendv_batch >= 1,
		       "argo_sendv_batch_6_in_one_hypercall",
		       "expected 6 sent in order, 1 hypercall (at most 3); got %ld, %s, %llu",
		       r, ok ? "in order" : "wrong", b.hc_sendv - a.hc_sendv);
	else
		REPORT(ok && b.hc_sendv - a.hc_sendv == 6 && b.hc_sendv_batch == a.hc_sendv_batch,
		       "argo_sendv_batch_falls_back_to_6_sendv_without_the_op",
		       "expected 6 sent in order by 6 sendv; got %ld, %s, %llu",
		       r, ok ? "in order" : "wrong", b.hc_sendv - a.hc_sendv);

	/* Seven 16-byte messages fill it: of eight, the eighth is refused. */
	r = t_core_send_all(m, 8, &r2);
	for (i = 0; i < 8; i++)
		t[i] = t_next_type(ring, &len, NULL);
	ok = r == 7 && r2 == -EAGAIN && t[7] == -EAGAIN;
	for (i = 0; i < 7; i++)
		ok &= t[i] == 100 + i;
	REPORT(ok, "argo_sendv_batch_prefix_on_full_ring_then_eagain",
	       "expected 7, then %d, types 100..106; got %ld, %ld, %ld..%ld, %ld",
	       -EAGAIN, r, r2, t[0], t[6], t[7]);
	argo_ring_destroy(ring);
}

static int __init argo_test_batch_init(void)
{
	struct argo_xen_send_ent e;
	u32 features = 0;
	long r;
	int i;

	if (domid < 0)
		return -EINVAL;
	for (i = 0; i < 8; i++)
		memset(payload[i], 'a' + i, sizeof(payload[i]));
	/* Readers of the log take the lines after the last "start". */
	pr_info("start\n");
	argo_features(&features);
	if (patched) {
		REPORT(features & ARGO_FEATURE_SENDV_BATCH, "batch_feature_advertised",
		       "features %#x", features);
		t_raw_cases();
		t_run_cases();
	} else {
		memset(&e, 0, sizeof(e));
		r = t_batch(&e, NULL, 1, 0);
		REPORT(r == -EOPNOTSUPP && !(features & ARGO_FEATURE_SENDV_BATCH),
		       "batch_op_refused_on_pristine_argo_ko_falls_back",
		       "expected %d and no feature bit, got %ld, %#x", -EOPNOTSUPP, r, features);
		for (i = 0; i < T_RAW_CASES; i++)
			pr_info("skip batch_raw_case_%d: this Xen has no XEN_ARGO_OP_sendv_batch\n",
				i + 2);
	}
	t_core_cases();
	pr_info("done, %d failed\n", failed);
	return 0;
}

static void __exit argo_test_batch_exit(void)
{
}

module_init(argo_test_batch_init);
module_exit(argo_test_batch_exit);
MODULE_DESCRIPTION("Lab test: XEN_ARGO_OP_sendv_batch and argo_sendv_batch()");
MODULE_LICENSE("GPL");
