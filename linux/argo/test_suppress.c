// SPDX-License-Identifier: GPL-2.0-only
/*
 * argo_test_suppress.ko: a lab test module, not for production. It checks
 * Xen's side of signal suppression (XEN_ARGO_REGISTER_FLAG_SUPPRESS, series
 * patch 0020) through the raw hypercalls, on a ring argo.ko does not know,
 * so that every header field can be given a hostile value: rx_signal
 * (anything but OFF must still signal), tx_waiting and signals_saved (Xen
 * must write its own values, never build on the guest's), the reserved
 * bytes (never touched), rx_ptr (out of range: Xen stays sane) and tx_ptr
 * at registration (misaligned: Xen resets it). VIRQs are counted by
 * argo.ko's handler (argo_core_stats), which takes every VIRQ_ARGO.
 *
 * One line per case, read by argo-conformance:
 *   argo_test_suppress: ok|not ok|skip NAME: detail
 * after "argo_test_suppress: start", then "argo_test_suppress: done, N
 * failed": always 10 cases. On a Xen without the flag, the first case
 * expects -EINVAL and the others are skipped. Loads, runs, and stays
 * loaded holding nothing (every ring is unregistered before init returns).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/module.h>
#include <linux/vmalloc.h>
#include <xen/page.h>
#include <asm/xen/hypercall.h>

#include "argo.h"
#include "xen_argo_abi.h"

static int domid = -1;
module_param(domid, int, 0444);
MODULE_PARM_DESC(domid, "this domain's id (required): the test sends to itself");
static bool patched;
module_param(patched, bool, 0444);
MODULE_PARM_DESC(patched, "Xen has the series (expect the flag to be taken)");

#define T_PORT		9400
#define T_RING_LEN	4032	/* with the 64-byte header: one page */
#define T_MSG		200	/* 19 of these fill the ring */
#define T_SETTLE_MS	20	/* for a VIRQ that should not come */
#define T_WAIT_MS	2000	/* for one that should: vCPU 0 may be slow to wake */

static struct argo_xen_ring *ring;
static u64 gfn;
static int failed;

#define REPORT(ok, name, fmt, ...) do {					\
	if (!(ok))							\
		failed++;						\
	pr_info("%s %s: " fmt "\n", (ok) ? "ok" : "not ok", name,	\
		##__VA_ARGS__);						\
} while (0)

static long t_register(u32 flags)
{
	struct argo_xen_register_ring reg = {
		.aport = T_PORT, .partner_id = ARGO_DOMID_ANY, .len = T_RING_LEN,
	};

	return xen_single_call(ARGO_HYPERCALL_NR, ARGO_OP_REGISTER_RING,
			       (unsigned long)&reg, (unsigned long)&gfn, 1, flags);
}

static long t_unregister(void)
{
	struct argo_xen_unregister_ring unreg = {
		.aport = T_PORT, .partner_id = ARGO_DOMID_ANY,
	};

	return xen_single_call(ARGO_HYPERCALL_NR, ARGO_OP_UNREGISTER_RING,
			       (unsigned long)&unreg, 0, 0, 0);
}

static long t_send(void)
{
	static u8 payload[T_MSG];
	struct argo_xen_send_addr addr = {
		.src = { .aport = T_PORT + 1, .domain_id = ARGO_DOMID_ANY },
		.dst = { .aport = T_PORT, .domain_id = domid },
	};
	struct argo_xen_iov iov = {
		.iov_hnd = (u64)(uintptr_t)payload, .iov_len = sizeof(payload),
	};

	return (int)xen_single_call(ARGO_HYPERCALL_NR, ARGO_OP_SENDV,
				    (unsigned long)&addr, (unsigned long)&iov, 1, 0);
}

static long t_notify(void)
{
	return xen_single_call(ARGO_HYPERCALL_NR, ARGO_OP_NOTIFY, 0, 0, 0, 0);
}

/*
 * VIRQs counted since @a. VIRQ_ARGO goes to vCPU 0, which may be idle
 * while this runs on another: one that is due is waited for (up to
 * T_WAIT_MS, polling), one that is not is given T_SETTLE_MS to show up.
 */
static u64 t_virqs_since(const struct argo_core_stats *a, bool due)
{
	struct argo_core_stats b;
	unsigned int ms;

	if (!due) {
		msleep(T_SETTLE_MS);
		argo_core_stats(&b);
		return b.virqs - a->virqs;
	}
	for (ms = 0; ; ms++) {
		argo_core_stats(&b);
		if (b.virqs != a->virqs || ms >= T_WAIT_MS)
			return b.virqs - a->virqs;
		usleep_range(1000, 2000);
	}
}

/* Send one message with rx_signal set to @sig; VIRQs seen and send result. */
static u64 t_send_virqs(u32 sig, long *ret)
{
	struct argo_core_stats a;
	u64 v;

	WRITE_ONCE(ring->rx_signal, sig);
	virt_mb();
	argo_core_stats(&a);
	*ret = t_send();
	v = t_virqs_since(&a, sig != ARGO_RX_SIGNAL_OFF);
	/* Drop the message: only the signal is under test. */
	WRITE_ONCE(ring->rx_ptr, READ_ONCE(ring->tx_ptr));
	return v;
}

static void t_cases(void)
{
	u64 v;
	long r, r2;
	u32 saved, i;
	bool reserved_ok = true;

	/* Hostile values Xen must not trust, before it sees the ring. */
	memset(ring->reserved, 0xa5, sizeof(ring->reserved));
	WRITE_ONCE(ring->tx_waiting, 0xdeadbeef);
	WRITE_ONCE(ring->signals_saved, 0xfffffff0);

	r = t_register(ARGO_REGISTER_FLAG_SUPPRESS);
	if (!patched) {
		REPORT(r == -EINVAL, "suppress_flag_refused_on_pristine",
		       "expected %d, got %ld", -EINVAL, r);
		if (!r)
			t_unregister();
		for (i = 0; i < 9; i++)
			pr_info("skip suppress_raw_case_%u: this Xen has no signal suppression\n",
				i + 2);
		return;
	}
	REPORT(r == 0, "suppress_flag_taken", "expected 0, got %ld", r);
	if (r)
		return;
	REPORT(READ_ONCE(ring->tx_waiting) == 0 && READ_ONCE(ring->signals_saved) == 0,
	       "register_overwrites_hostile_tx_waiting_and_signals_saved",
	       "expected 0 0, got %#x %#x", READ_ONCE(ring->tx_waiting),
	       READ_ONCE(ring->signals_saved));

	v = t_send_virqs(ARGO_RX_SIGNAL_OFF, &r);
	saved = READ_ONCE(ring->signals_saved);
	REPORT(r == T_MSG && v == 0 && saved == 1, "rx_signal_off_no_virq_counted",
	       "expected send %d, 0 VIRQs, 1 saved; got %ld, %llu, %u", T_MSG, r, v, saved);

	v = t_send_virqs(ARGO_RX_SIGNAL_ON, &r);
	REPORT(r == T_MSG && v >= 1 && READ_ONCE(ring->signals_saved) == 1,
	       "rx_signal_on_virq", "expected send %d, >= 1 VIRQ, 1 saved; got %ld, %llu, %u",
	       T_MSG, r, v, READ_ONCE(ring->signals_saved));

	v = t_send_virqs(0xdeadbeef, &r);
	REPORT(r == T_MSG && v >= 1 && READ_ONCE(ring->signals_saved) == 1,
	       "rx_signal_hostile_value_still_signals",
	       "expected send %d, >= 1 VIRQ, 1 saved; got %ld, %llu, %u",
	       T_MSG, r, v, READ_ONCE(ring->signals_saved));

	/* Xen counts from its own copy, not from what the guest wrote. */
	WRITE_ONCE(ring->signals_saved, 0x7fffff00);
	t_send_virqs(ARGO_RX_SIGNAL_OFF, &r);
	REPORT(r == T_MSG && READ_ONCE(ring->signals_saved) == 2,
	       "signals_saved_hostile_value_ignored", "expected send %d, 2; got %ld, %#x",
	       T_MSG, r, READ_ONCE(ring->signals_saved));

	/* Fill the ring: the refused send queues us as a waiter. */
	WRITE_ONCE(ring->rx_signal, ARGO_RX_SIGNAL_OFF);
	WRITE_ONCE(ring->tx_waiting, 0xdeadbeef);
	for (i = 0, r = 0; i < 64 && r >= 0; i++)
		r = t_send();
	r2 = READ_ONCE(ring->tx_waiting);
	WRITE_ONCE(ring->rx_ptr, READ_ONCE(ring->tx_ptr));
	virt_mb();
	{
		struct argo_core_stats a;

		argo_core_stats(&a);
		t_notify();
		v = t_virqs_since(&a, true);
		REPORT(r == -EAGAIN && r2 == 1 && READ_ONCE(ring->tx_waiting) == 0 &&
		       v >= 1, "tx_waiting_published_then_cleared_by_notify",
		       "expected EAGAIN, tx_waiting 1, then 0 and a space VIRQ; got %ld, %ld, %u, %llu",
		       r, r2, READ_ONCE(ring->tx_waiting), v);
	}

	/* rx_ptr past the ring: Xen sanitises it and answers, and lives. */
	WRITE_ONCE(ring->rx_ptr, 0xfffffff9);
	r = t_send();
	WRITE_ONCE(ring->rx_ptr, READ_ONCE(ring->tx_ptr));
	REPORT(r == T_MSG || r == -EAGAIN, "rx_ptr_hostile_value_answered",
	       "expected %d or %d, got %ld", T_MSG, -EAGAIN, r);

	for (i = 0; i < sizeof(ring->reserved); i++)
		reserved_ok &= ring->reserved[i] == 0xa5;
	REPORT(reserved_ok, "reserved_bytes_untouched", "%s",
	       reserved_ok ? "all 0xa5" : "Xen wrote to them");

	/* Misaligned tx_ptr at re-registration: reset to rx_ptr's slot. */
	WRITE_ONCE(ring->rx_ptr, 32);
	WRITE_ONCE(ring->tx_ptr, 7);
	r = t_register(ARGO_REGISTER_FLAG_SUPPRESS);
	REPORT(r == 0 && READ_ONCE(ring->tx_ptr) == 32, "tx_ptr_hostile_value_reset_at_register",
	       "expected 0, tx_ptr 32; got %ld, %u", r, READ_ONCE(ring->tx_ptr));
	t_unregister();
}

static int __init argo_test_suppress_init(void)
{
	if (domid < 0)
		return -EINVAL;
	ring = vzalloc(PAGE_SIZE);
	if (!ring)
		return -ENOMEM;
	gfn = xen_page_to_gfn(vmalloc_to_page(ring));
	/* Readers of the log take the lines after the last "start". */
	pr_info("start\n");
	t_cases();
	/* Every path above unregisters: Xen holds no reference. */
	pr_info("done, %d failed\n", failed);
	return 0;
}

static void __exit argo_test_suppress_exit(void)
{
	vfree(ring);
}

module_init(argo_test_suppress_init);
module_exit(argo_test_suppress_exit);
MODULE_DESCRIPTION("Lab test: Xen's signal suppression against hostile ring headers");
MODULE_LICENSE("GPL");
