// SPDX-License-Identifier: GPL-2.0-only
/*
 * argo_test_notifylat.ko: a lab bench module, not for production. It
 * times Argo's notification path as argo.ko is loaded (notify=vector or
 * notify=evtchn): a sender on one CPU sends a 16-byte message to this
 * domain's own ring, and the ring's receive callback, called in hard IRQ
 * by argo.ko's signal handler, stamps the time. The figure is the median,
 * over `count` messages sent one at a time, of send-to-callback in
 * nanoseconds:
 *
 *	insmod argo_test_notifylat.ko dom=5 count=500 cpu=1
 *
 * prints "argo_test_notifylat: lat_ns MEDIAN (N lost)". The sender runs
 * on CPU `cpu` (when online), so that, with the signal's IRQ on CPU 0,
 * every message crosses vCPUs as a real peer's would. Loads whatever
 * happened; rmmod it. Timings are for make bench only.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/timekeeping.h>
#include <linux/uio.h>
#include <linux/workqueue.h>

#include "argo.h"

static uint count = 500;
module_param(count, uint, 0444);
MODULE_PARM_DESC(count, "messages to time (1-100000)");
static uint port = 7900;
module_param(port, uint, 0444);
MODULE_PARM_DESC(port, "the ring's port (on this domain)");
static uint dom;
module_param(dom, uint, 0444);
MODULE_PARM_DESC(dom, "this domain's id (the message goes to its own ring)");
static uint cpu = 1;
module_param(cpu, uint, 0444);
MODULE_PARM_DESC(cpu, "the sender's CPU");

static struct {
	struct completion got;
	u64 t_rx;
} lat;

/* Hard IRQ, from argo.ko's handler: stamp first, then drain. */
static void lat_rx(struct argo_ring *ring, void *priv)
{
	u64 now = ktime_get_ns();
	u8 buf[16];
	bool any = false;

	while (argo_ring_recv(ring, buf, sizeof(buf), NULL, NULL) >= 0)
		any = true;
	if (any) {
		WRITE_ONCE(lat.t_rx, now);
		complete(&lat.got);
	}
}

static int lat_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static long lat_run(void *arg)
{
	struct argo_addr dst = { .domain = dom, .port = port };
	u8 payload[16] = { 0x5a };
	struct kvec iov = { .iov_base = payload, .iov_len = sizeof(payload) };
	unsigned int i, n = 0, lost = 0;
	u64 *t;

	t = kcalloc(count, sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	for (i = 0; i < count; i++) {
		u64 t0;

		reinit_completion(&lat.got);
		t0 = ktime_get_ns();
		if (argo_sendv(port, &dst, &iov, 1, 1) < 0) {
			lost++;
			continue;
		}
		if (!wait_for_completion_timeout(&lat.got, HZ)) {
			lost++;
			continue;
		}
		t[n++] = READ_ONCE(lat.t_rx) - t0;
	}
	sort(t, n, sizeof(*t), lat_cmp, NULL);
	pr_info("lat_ns %llu (%u lost)\n", n ? t[n / 2] : 0ULL, lost);
	kfree(t);
	return 0;
}

static int __init argo_test_notifylat_init(void)
{
	struct argo_ring *ring;
	int on;
	long ret;

	if (!count || count > 100000 || dom > 0x7fef)
		return -EINVAL;
	init_completion(&lat.got);
	ring = argo_ring_create(port, ARGO_DOMID_ANY, 4096, 0, lat_rx, NULL);
	if (IS_ERR(ring))
		return PTR_ERR(ring);
	cpus_read_lock();
	on = cpu_online(cpu) ? cpu : raw_smp_processor_id();
	cpus_read_unlock();
	ret = work_on_cpu(on, lat_run, NULL);
	argo_ring_destroy(ring);
	return ret < 0 ? ret : 0;
}

static void __exit argo_test_notifylat_exit(void)
{
}

module_init(argo_test_notifylat_init);
module_exit(argo_test_notifylat_exit);
MODULE_DESCRIPTION("Lab bench: Argo notification latency");
MODULE_LICENSE("GPL");
