// SPDX-License-Identifier: GPL-2.0-only
/*
 * argo_vsock.ko: AF_VSOCK between Xen domains over Argo.
 *
 * A vsock transport registered with the vsock core through its exported
 * interface only (vsock_core_register), whose connection protocol is the
 * kernel's own virtio_transport_common, as vsock_loopback's is: this
 * module only carries the common code's packets. Each packet (virtio-vsock
 * header and payload) is one Argo message from our ARGO_PORT_VSOCK to one
 * of the peer domain's vsock rings: the shared one on ARGO_PORT_VSOCK, or,
 * for a service port (vsock's privileged ports), that port's own ring,
 * which the firewall can label; CIDs map to domids (include/argo/vsock.h,
 * docs/vsock.md).
 *
 * Peers are hostile: every received message is checked (argo_vsock_check)
 * before the common code sees it, and its source CID must be the domain
 * Xen says sent it, so a guest cannot speak for another.
 */
#include <linux/module.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <linux/virtio_vsock.h>
#include <net/af_vsock.h>
#include <xen/xen.h>
#include <xen/xenbus.h>

#include <argo/vsock.h>

#include "argo.h"
#include "compat.h"

static unsigned int probe_ms = 1000;
module_param(probe_ms, uint, 0644);
MODULE_PARM_DESC(probe_ms, "how often peers of open sockets are checked for being gone (ms, default 1000; 0: never)");

static unsigned int ring_size = 1024 * 1024;
module_param(ring_size, uint, 0444);
MODULE_PARM_DESC(ring_size, "bytes of each vsock receive ring (default 1 MiB)");

static unsigned int listen_ms = 100;
module_param(listen_ms, uint, 0644);
MODULE_PARM_DESC(listen_ms, "how often sockets on service ports (0-1023) are looked for, to give each its ring (ms, default 100, at least 10)");

/*
 * The credit a peer grants (the buf_alloc of its packets) is what the
 * common code lets our sockets queue for it; a peer that grants 4 GiB and
 * never reads would have that queued here, in our memory.
 */
static unsigned int peer_credit_max = 1024 * 1024;
module_param(peer_credit_max, uint, 0644);
MODULE_PARM_DESC(peer_credit_max, "most bytes a connection may have unread at its peer, whatever the peer claims (default 1 MiB)");

#define AVS_SVC_PORTS	(ARGO_VSOCK_SVC_PORT_MAX + 1)

static struct argo_vsock {
	u16 domid;
	u32 local_cid;
	struct argo_ring *ring;
	struct workqueue_struct *wq;
	/* Packets the common code handed us, in order, not yet in Xen. */
	struct sk_buff_head txq;
	struct delayed_work tx_work;
	/* Jiffies before the next poll of rings Xen will not signal (-EBUSY). */
	unsigned long tx_poll;
	struct argo_space_waiter space;
	/* tx: a paged skb's payload; rx: a message too large to keep. */
	void *tx_bounce;
	void *rx_discard;
	atomic64_t rx_dropped;
	atomic64_t tx_failed;
	/* Sockets on this transport, for the peer probe (struct avs_conn). */
	spinlock_t conns_lock;
	struct list_head conns;
	struct delayed_work probe_work;
	/*
	 * Service ports' rings (svc_work): one per vsock port 0..1023 that a
	 * socket of ours is bound to; svc_failed: ports whose ring Xen
	 * refused, not asked again until the port is free.
	 */
	struct argo_ring *svc[AVS_SVC_PORTS];
	DECLARE_BITMAP(svc_want, AVS_SVC_PORTS);
	DECLARE_BITMAP(svc_failed, AVS_SVC_PORTS);
	struct delayed_work svc_work;
} avs;

/*
 * A socket on this transport. Nothing tells a domain that another died,
 * and a socket that only reads, or waits for credit, sends nothing that
 * could fail: the probe asks Xen every probe_ms whether each peer's vsock
 * ring still exists and resets the sockets whose peer is gone.
 */
struct avs_conn {
	struct list_head node;
	struct vsock_sock *vsk;
};

static struct virtio_transport argo_vsock_transport;

static u32 argo_vsock_get_local_cid(void)
{
	return avs.local_cid;
}

/* A CID that names no domain cannot be reached: connect() says so. */
static bool argo_vsock_stream_allow(u32 cid, u32 port)
{
	return argo_vsock_cid_to_domid(cid) >= 0;
}

static bool argo_vsock_seqpacket_allow(u32 remote_cid)
{
	return argo_vsock_cid_to_domid(remote_cid) >= 0;
}

/*
 * Where a packet goes: the peer's ring for its destination port.
 * Return: 0, or -EHOSTUNREACH for a CID that names no domain.
 */
static int argo_vsock_dst(struct sk_buff *skb, struct argo_addr *dst)
{
	struct virtio_vsock_hdr *hdr = virtio_vsock_hdr(skb);
	int domid = argo_vsock_cid_to_domid(le64_to_cpu(hdr->dst_cid));

	if (domid < 0)
		return -EHOSTUNREACH;
	dst->domain = domid;
	dst->port = argo_vsock_ring_port(le32_to_cpu(hdr->dst_port));
	return 0;
}

/* One packet into the peer's ring: Xen's result, unchanged. */
static ssize_t argo_vsock_xmit(struct sk_buff *skb, const struct argo_addr *dst)
{
	struct virtio_vsock_hdr *hdr = virtio_vsock_hdr(skb);
	struct kvec iov[2];
	unsigned int n = 1;

	iov[0].iov_base = hdr;
	iov[0].iov_len = sizeof(*hdr);
	if (skb->len) {
		if (skb->len > ARGO_VSOCK_MAX_PAYLOAD)
			return -EMSGSIZE;
		if (skb_is_nonlinear(skb)) {
			/* Only the tx worker sends payload: one user. */
			if (skb_copy_bits(skb, 0, avs.tx_bounce, skb->len))
				return -EFAULT;
			iov[1].iov_base = avs.tx_bounce;
		} else {
			iov[1].iov_base = skb->data;
		}
		iov[1].iov_len = skb->len;
		n = 2;
	}
	return argo_sendv(ARGO_PORT_VSOCK, dst, iov, n, ARGO_VSOCK_MSG_TYPE);
}

/*
 * Deliver to our own socket the RST the peer would have sent: @from is
 * that packet's addressing (its src is the peer). Process context, no
 * socket lock held (the tx and probe workers).
 */
static void argo_vsock_reset_local_as(const struct virtio_vsock_hdr *from)
{
	struct virtio_vsock_hdr *hdr;
	struct sk_buff *skb;

	skb = argo_vsock_alloc_rx_skb(VIRTIO_VSOCK_SKB_HEADROOM, GFP_KERNEL);
	if (!skb)
		return;
	hdr = virtio_vsock_hdr(skb);
	*hdr = *from;
	hdr->len = 0;
	hdr->op = cpu_to_le16(VIRTIO_VSOCK_OP_RST);
	argo_vsock_skb_set_len(skb, 0);
	virtio_transport_recv_pkt(&argo_vsock_transport, skb);
}

/*
 * The peer cannot be reached any more (its domain is gone, its ring was
 * unregistered, or the policy now refuses): reset our end as the peer
 * would have, so a reader or writer gets an error instead of waiting for
 * ever.
 */
static void argo_vsock_reset_local(const struct virtio_vsock_hdr *failed)
{
	struct virtio_vsock_hdr h = {
		.src_cid = failed->dst_cid,
		.src_port = failed->dst_port,
		.dst_cid = cpu_to_le64(avs.local_cid),
		.dst_port = failed->src_port,
		.type = failed->type,
	};

	if (le16_to_cpu(failed->op) == VIRTIO_VSOCK_OP_RST)
		return;
	argo_vsock_reset_local_as(&h);
}

static void argo_vsock_tx_failed(struct sk_buff *skb, ssize_t err)
{
	struct virtio_vsock_hdr *hdr = virtio_vsock_hdr(skb);

	atomic64_inc(&avs.tx_failed);
	pr_warn_ratelimited("argo_vsock: cannot send to cid %llu port %u (op %u): %zd; resetting\n",
			    le64_to_cpu(hdr->dst_cid), le32_to_cpu(hdr->dst_port),
			    le16_to_cpu(hdr->op), err);
	argo_vsock_reset_local(hdr);
	argo_vsock_skb_done(skb);
}

/* Rings found full in one pass of the queue, at most this many. */
#define AVS_FULL_MAX	16
/* The longest wait between polls of a ring that Xen will not signal. */
#define AVS_POLL_MAX	((unsigned long)(HZ / 10 ? HZ / 10 : 1))

static bool argo_vsock_is_full(const struct argo_addr *full, unsigned int n,
			       const struct argo_addr *dst)
{
	while (n--)
		if (full[n].domain == dst->domain && full[n].port == dst->port)
			return true;
	return false;
}

/*
 * Sends the queue, in order per destination ring. A packet whose ring is
 * full (-EAGAIN) is held with every later packet for that ring, and the
 * pass goes on: a peer that does not read (or lies about its credit)
 * delays only its own traffic. Held packets go back to the head of the
 * queue, still in order, when the pass ends; Xen's space signal (the
 * space waiter) starts the next pass, or a tick later when the ring had
 * room by the time we asked (the stream's common case). A ring with too
 * many waiters (-EBUSY) gets no signal and is polled, a tick later at
 * first, backing off to AVS_POLL_MAX while passes send nothing: a peer
 * that never reads costs little. Only -EBUSY backs off: backing off on
 * "room by now" too made a 100 MiB stream five times slower.
 */
static void argo_vsock_tx_work(struct work_struct *work)
{
	struct argo_addr full[AVS_FULL_MAX];
	unsigned int nfull = 0;
	struct sk_buff_head held;
	bool retry = false, poll = false, sent = false;
	struct sk_buff *skb;
	unsigned long flags;
	ssize_t r;

	__skb_queue_head_init(&held);
	while ((skb = skb_dequeue(&avs.txq))) {
		struct argo_addr dst;
		int fits;

		r = argo_vsock_dst(skb, &dst);
		if (r) {
			argo_vsock_tx_failed(skb, r);
			continue;
		}
		if (argo_vsock_is_full(full, nfull, &dst)) {
			__skb_queue_tail(&held, skb);
			continue;
		}
		r = argo_vsock_xmit(skb, &dst);
		if (r >= 0) {
			argo_vsock_skb_done(skb);
			sent = true;
		} else if (r != -EAGAIN) {
			argo_vsock_tx_failed(skb, r);
		} else {
			fits = argo_space(&dst, sizeof(struct virtio_vsock_hdr) + skb->len, NULL);
			if (fits < 0 && fits != -EBUSY) {
				argo_vsock_tx_failed(skb, fits);
				continue;
			}
			if (fits > 0)
				retry = true;	/* it fits by now */
			else if (fits == -EBUSY)
				poll = true;	/* Xen will not signal */
			__skb_queue_tail(&held, skb);
			if (nfull == AVS_FULL_MAX) {
				retry = true;	/* the rest waits for the next pass */
				break;
			}
			full[nfull++] = dst;
		}
		cond_resched();
	}
	if (!skb_queue_empty(&held)) {
		/* Before whatever was queued since: each ring's order kept. */
		spin_lock_irqsave(&avs.txq.lock, flags);
		skb_queue_splice(&held, &avs.txq);
		spin_unlock_irqrestore(&avs.txq.lock, flags);
	}
	if (sent || !poll)
		avs.tx_poll = 1;
	if (retry) {
		queue_delayed_work(avs.wq, &avs.tx_work, 1);
	} else if (poll) {
		queue_delayed_work(avs.wq, &avs.tx_work, avs.tx_poll);
		avs.tx_poll = min(2 * avs.tx_poll, AVS_POLL_MAX);
	}
}

/*
 * Whatever the queue looks like: a pass in progress holds its blocked
 * packets outside it, so an empty queue does not mean nothing waits.
 */
static void argo_vsock_space(struct argo_space_waiter *w)
{
	mod_delayed_work(avs.wq, &avs.tx_work, 0);
}

/*
 * The common code hands every packet here, the socket lock often held.
 * A connection request is tried at once, so that a refusal by Xen (the
 * firewall's -EACCES, or -ECONNREFUSED when the peer has no vsock ring)
 * is connect()'s own error; everything else goes through the queue, in
 * order. We own the skb in every case.
 */
static int argo_vsock_send_pkt(struct sk_buff *skb)
{
	struct virtio_vsock_hdr *hdr = virtio_vsock_hdr(skb);
	struct argo_addr dst;
	int len = skb->len;
	ssize_t r;

	if (le16_to_cpu(hdr->op) == VIRTIO_VSOCK_OP_REQUEST &&
	    skb_queue_empty_lockless(&avs.txq)) {
		r = argo_vsock_dst(skb, &dst);
		if (!r)
			r = argo_vsock_xmit(skb, &dst);
		if (r != -EAGAIN) {
			argo_vsock_skb_done(skb);
			return r < 0 ? r : len;
		}
	}
	skb_queue_tail(&avs.txq, skb);
	mod_delayed_work(avs.wq, &avs.tx_work, 0);
	return len;
}

static int argo_vsock_cancel_pkt(struct vsock_sock *vsk)
{
	return virtio_transport_purge_skbs(vsk, &avs.txq);
}

static int argo_vsock_init_sock(struct vsock_sock *vsk, struct vsock_sock *psk)
{
	struct avs_conn *c;
	int err;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	err = virtio_transport_do_socket_init(vsk, psk);
	if (err) {
		kfree(c);
		return err;
	}
	c->vsk = vsk;
	spin_lock_bh(&avs.conns_lock);
	list_add_tail(&c->node, &avs.conns);
	spin_unlock_bh(&avs.conns_lock);
	if (probe_ms)
		mod_delayed_work(avs.wq, &avs.probe_work, msecs_to_jiffies(probe_ms));
	return 0;
}

static void argo_vsock_destruct(struct vsock_sock *vsk)
{
	struct avs_conn *c, *found = NULL;

	spin_lock_bh(&avs.conns_lock);
	list_for_each_entry(c, &avs.conns, node) {
		if (c->vsk == vsk) {
			list_del(&c->node);
			found = c;
			break;
		}
	}
	spin_unlock_bh(&avs.conns_lock);
	kfree(found);
	virtio_transport_destruct(vsk);
}

/* A peer gone: what its RST to one of our sockets would have said. */
struct avs_gone {
	struct sockaddr_vm local, remote;
	u16 type;
};

#define AVS_PROBE_MAX 64

/* Is domain @domid's vsock ring gone? One notify query; @seen caches answers. */
struct avs_seen {
	int domid;
	bool gone;
};

#define AVS_SEEN_MAX 8

static bool argo_vsock_peer_gone(int domid, struct avs_seen *seen, unsigned int *nseen)
{
	struct argo_addr dst = { .domain = domid, .port = ARGO_PORT_VSOCK };
	unsigned int i;
	int r;

	for (i = 0; i < *nseen; i++)
		if (seen[i].domid == domid)
			return seen[i].gone;
	/* A 1-byte question: it fits unless the ring is full. */
	r = argo_space(&dst, 1, NULL);
	if (*nseen < AVS_SEEN_MAX) {
		seen[*nseen].domid = domid;
		seen[*nseen].gone = r == -ECONNREFUSED || r == -ESRCH;
		(*nseen)++;
	}
	return r == -ECONNREFUSED || r == -ESRCH;
}

static void argo_vsock_probe_work(struct work_struct *work)
{
	struct avs_seen seen[AVS_SEEN_MAX];
	unsigned int n = 0, nseen = 0, i;
	struct avs_gone *gone;
	struct avs_conn *c;
	bool more;

	gone = kcalloc(AVS_PROBE_MAX, sizeof(*gone), GFP_KERNEL);
	if (!gone)
		goto again;
	spin_lock_bh(&avs.conns_lock);
	list_for_each_entry(c, &avs.conns, node) {
		struct vsock_sock *vsk = c->vsk;
		int domid = argo_vsock_cid_to_domid(vsk->remote_addr.svm_cid);

		if (domid < 0 || n == AVS_PROBE_MAX)
			continue;
		/*
		 * Only connected sockets: a connect has its own timeout, and
		 * probing a peer the policy denies would only add AVC lines.
		 */
		if (sk_vsock(vsk)->sk_state != TCP_ESTABLISHED)
			continue;
		if (!argo_vsock_peer_gone(domid, seen, &nseen))
			continue;
		gone[n].local = vsk->local_addr;
		gone[n].remote = vsk->remote_addr;
		gone[n].type = sk_vsock(vsk)->sk_type == SOCK_SEQPACKET ?
			VIRTIO_VSOCK_TYPE_SEQPACKET : VIRTIO_VSOCK_TYPE_STREAM;
		n++;
	}
	spin_unlock_bh(&avs.conns_lock);
	for (i = 0; i < n; i++) {
		struct virtio_vsock_hdr h = {
			.src_cid = cpu_to_le64(gone[i].remote.svm_cid),
			.src_port = cpu_to_le32(gone[i].remote.svm_port),
			.dst_cid = cpu_to_le64(gone[i].local.svm_cid),
			.dst_port = cpu_to_le32(gone[i].local.svm_port),
			.type = cpu_to_le16(gone[i].type),
		};

		pr_warn_ratelimited("argo_vsock: peer cid %u is gone; resetting port %u\n",
				    gone[i].remote.svm_cid, gone[i].local.svm_port);
		argo_vsock_reset_local_as(&h);
	}
	kfree(gone);
again:
	spin_lock_bh(&avs.conns_lock);
	more = !list_empty(&avs.conns);
	spin_unlock_bh(&avs.conns_lock);
	if (more && probe_ms)
		queue_delayed_work(avs.wq, &avs.probe_work, msecs_to_jiffies(probe_ms));
}

static void argo_vsock_drop(u16 domid, const char *why)
{
	atomic64_inc(&avs.rx_dropped);
	pr_warn_ratelimited("argo_vsock: dropped a packet from domain %u: %s\n",
			    domid, why);
}

/*
 * Takes one message out of the ring on Argo port @ring_port. Returns false
 * when the ring is empty.
 */
static bool argo_vsock_rx_one(struct argo_ring *ring, u32 ring_port)
{
	struct virtio_vsock_hdr *hdr;
	enum argo_vsock_verdict v;
	struct argo_addr src;
	struct sk_buff *skb;
	ssize_t len, got;
	u32 type;

	len = argo_ring_peek(ring, &src, &type);
	if (len == -EAGAIN)
		return false;
	if (len < 0) {
		argo_vsock_drop(ARGO_DOMID_ANY, "inconsistent ring");
		return true;
	}
	if (len < ARGO_VSOCK_HDR_LEN ||
	    len > ARGO_VSOCK_HDR_LEN + ARGO_VSOCK_MAX_PAYLOAD) {
		/* Take it out whole so it does not block the ring. */
		argo_ring_recv(ring, avs.rx_discard, ring_size, &src, &type);
		argo_vsock_drop(src.domain, argo_vsock_strverdict(
			len < ARGO_VSOCK_HDR_LEN ? ARGO_VSOCK_E_SHORT :
						   ARGO_VSOCK_E_LONG));
		return true;
	}
	skb = argo_vsock_alloc_rx_skb(len, GFP_KERNEL);
	if (!skb) {
		argo_ring_recv(ring, avs.rx_discard, ring_size, &src, &type);
		argo_vsock_drop(src.domain, "out of memory");
		return true;
	}
	/* Header then payload: contiguous from skb->head in a linear skb. */
	got = argo_ring_recv(ring, skb->head, len, &src, &type);
	if (got != len) {
		kfree_skb(skb);
		argo_vsock_drop(src.domain, "message changed between peek and receive");
		return true;
	}
	v = argo_vsock_check(skb->head, got, type, src.domain, avs.local_cid,
			     ring_port);
	if (v != ARGO_VSOCK_OK) {
		kfree_skb(skb);
		argo_vsock_drop(src.domain, argo_vsock_strverdict(v));
		return true;
	}
	hdr = virtio_vsock_hdr(skb);
	if (le32_to_cpu(hdr->buf_alloc) > READ_ONCE(peer_credit_max))
		hdr->buf_alloc = cpu_to_le32(READ_ONCE(peer_credit_max));
	argo_vsock_skb_set_len(skb, got - ARGO_VSOCK_HDR_LEN);
	virtio_transport_deliver_tap_pkt(skb);
	virtio_transport_recv_pkt(&argo_vsock_transport, skb);
	return true;
}

/*
 * Process context (ARGO_RING_RX_WORK): the common code takes socket locks.
 * @priv is the ring's Argo port. (Rings may be read at once: rx_discard
 * only ever takes bytes nobody reads.)
 */
static void argo_vsock_rx(struct argo_ring *ring, void *priv)
{
	u32 ring_port = (u32)(uintptr_t)priv;

	while (argo_vsock_rx_one(ring, ring_port))
		cond_resched();
}

/*
 * Service ports. The vsock core tells a transport nothing when a socket
 * binds or listens (a listener gets a transport only when a request
 * arrives), but a service port's ring must exist before a peer connects.
 * So every listen_ms this work looks through the core's bind table (what
 * vsock_diag reads) and our connected sockets for local ports 0..1023,
 * registers a ring for each port in use and unregisters the rings of
 * ports no longer in use. A connected socket keeps its port's ring too:
 * a listener that accepts once and closes (socat without fork) leaves a
 * connection whose peer still sends to that ring.
 */
static void argo_vsock_svc_mark(const struct sockaddr_vm *a)
{
	if (a->svm_port <= ARGO_VSOCK_SVC_PORT_MAX &&
	    (a->svm_cid == VMADDR_CID_ANY || a->svm_cid == avs.local_cid))
		__set_bit(a->svm_port, avs.svc_want);
}

/* vsock_for_each_connected_socket()'s callback; the table lock is held. */
static void argo_vsock_svc_mark_connected(struct sock *sk)
{
	argo_vsock_svc_mark(&vsock_sk(sk)->local_addr);
}

static void argo_vsock_svc_scan(void)
{
	struct vsock_sock *vsk;
	unsigned int i;

	bitmap_zero(avs.svc_want, AVS_SVC_PORTS);
	spin_lock_bh(&vsock_table_lock);
	/* The last list is of unbound sockets. */
	for (i = 0; i < VSOCK_HASH_SIZE; i++)
		list_for_each_entry(vsk, &vsock_bind_table[i], bound_table)
			argo_vsock_svc_mark(&vsk->local_addr);
	spin_unlock_bh(&vsock_table_lock);
	vsock_for_each_connected_socket(&argo_vsock_transport.transport,
					argo_vsock_svc_mark_connected);
}

static void argo_vsock_svc_update(void)
{
	unsigned int port;

	for (port = 0; port < AVS_SVC_PORTS; port++) {
		u32 aport = argo_vsock_ring_port(port);
		struct argo_ring *ring;

		if (!test_bit(port, avs.svc_want)) {
			__clear_bit(port, avs.svc_failed);
			if (!avs.svc[port])
				continue;
			argo_ring_destroy(avs.svc[port]);
			avs.svc[port] = NULL;
			pr_info("argo_vsock: vsock port %u is free: Argo port %u unregistered\n",
				port, aport);
			continue;
		}
		if (avs.svc[port] || test_bit(port, avs.svc_failed))
			continue;
		ring = argo_ring_create(aport, ARGO_DOMID_ANY, ring_size,
					ARGO_RING_RX_WORK, argo_vsock_rx,
					(void *)(uintptr_t)aport);
		if (IS_ERR(ring)) {
			__set_bit(port, avs.svc_failed);
			pr_warn("argo_vsock: cannot register the ring of vsock port %u (Argo port %u): %ld; connects to it are refused\n",
				port, aport, PTR_ERR(ring));
			continue;
		}
		avs.svc[port] = ring;
		pr_info("argo_vsock: vsock port %u is a service: Argo port %u\n",
			port, aport);
	}
}

static void argo_vsock_svc_work(struct work_struct *work)
{
	argo_vsock_svc_scan();
	argo_vsock_svc_update();
	queue_delayed_work(avs.wq, &avs.svc_work,
			   msecs_to_jiffies(max(listen_ms, 10u)));
}

static void argo_vsock_svc_stop(void)
{
	unsigned int port;

	cancel_delayed_work_sync(&avs.svc_work);
	for (port = 0; port < AVS_SVC_PORTS; port++) {
		argo_ring_destroy(avs.svc[port]);
		avs.svc[port] = NULL;
	}
}

static struct virtio_transport argo_vsock_transport = {
	.transport = {
		.module			  = THIS_MODULE,
		.get_local_cid		  = argo_vsock_get_local_cid,

		.init			  = argo_vsock_init_sock,
		.destruct		  = argo_vsock_destruct,
		.release		  = virtio_transport_release,
		.connect		  = virtio_transport_connect,
		.shutdown		  = virtio_transport_shutdown,
		.cancel_pkt		  = argo_vsock_cancel_pkt,

		.dgram_bind		  = virtio_transport_dgram_bind,
		.dgram_dequeue		  = virtio_transport_dgram_dequeue,
		.dgram_enqueue		  = virtio_transport_dgram_enqueue,
		.dgram_allow		  = virtio_transport_dgram_allow,

		.stream_dequeue		  = virtio_transport_stream_dequeue,
		.stream_enqueue		  = virtio_transport_stream_enqueue,
		.stream_has_data	  = virtio_transport_stream_has_data,
		.stream_has_space	  = virtio_transport_stream_has_space,
		.stream_rcvhiwat	  = virtio_transport_stream_rcvhiwat,
		.stream_is_active	  = virtio_transport_stream_is_active,
		.stream_allow		  = argo_vsock_stream_allow,

		.seqpacket_dequeue	  = virtio_transport_seqpacket_dequeue,
		.seqpacket_enqueue	  = virtio_transport_seqpacket_enqueue,
		.seqpacket_allow	  = argo_vsock_seqpacket_allow,
		.seqpacket_has_data	  = virtio_transport_seqpacket_has_data,

		.notify_poll_in		  = virtio_transport_notify_poll_in,
		.notify_poll_out	  = virtio_transport_notify_poll_out,
		.notify_recv_init	  = virtio_transport_notify_recv_init,
		.notify_recv_pre_block	  = virtio_transport_notify_recv_pre_block,
		.notify_recv_pre_dequeue  = virtio_transport_notify_recv_pre_dequeue,
		.notify_recv_post_dequeue = virtio_transport_notify_recv_post_dequeue,
		.notify_send_init	  = virtio_transport_notify_send_init,
		.notify_send_pre_block	  = virtio_transport_notify_send_pre_block,
		.notify_send_pre_enqueue  = virtio_transport_notify_send_pre_enqueue,
		.notify_send_post_enqueue = virtio_transport_notify_send_post_enqueue,
		.notify_buffer_size	  = virtio_transport_notify_buffer_size,
		ARGO_VSOCK_COMMON_NEWER_OPS
	},
	.send_pkt = argo_vsock_send_pkt,
};

/* Our domid: 0 in dom0; a guest reads it from its xenstore home. */
static int argo_vsock_read_domid(u16 *domid)
{
	unsigned int id;
	int n;

	if (xen_initial_domain()) {
		*domid = 0;
		return 0;
	}
	n = xenbus_scanf(XBT_NIL, "domid", "", "%u", &id);
	if (n != 1)
		return n < 0 ? n : -EINVAL;
	if (id >= ARGO_VSOCK_DOMID_LIMIT)
		return -ERANGE;
	*domid = id;
	return 0;
}

static int __init argo_vsock_init(void)
{
	int err;

	if (!xen_domain())
		return -ENODEV;
	err = argo_vsock_read_domid(&avs.domid);
	if (err) {
		pr_err("argo_vsock: cannot read this domain's id from xenstore: %d\n", err);
		return err;
	}
	avs.local_cid = argo_vsock_domid_to_cid(avs.domid);
	skb_queue_head_init(&avs.txq);
	INIT_DELAYED_WORK(&avs.tx_work, argo_vsock_tx_work);
	avs.tx_poll = 1;
	spin_lock_init(&avs.conns_lock);
	INIT_LIST_HEAD(&avs.conns);
	INIT_DELAYED_WORK(&avs.probe_work, argo_vsock_probe_work);
	INIT_DELAYED_WORK(&avs.svc_work, argo_vsock_svc_work);
	avs.space.fn = argo_vsock_space;
	avs.tx_bounce = kvmalloc(ARGO_VSOCK_MAX_PAYLOAD, GFP_KERNEL);
	avs.rx_discard = vmalloc(ring_size);
	avs.wq = alloc_workqueue("argo_vsock_tx", WQ_UNBOUND, 1);
	if (!avs.tx_bounce || !avs.rx_discard || !avs.wq) {
		err = -ENOMEM;
		goto out_free;
	}
	avs.ring = argo_ring_create(ARGO_PORT_VSOCK, ARGO_DOMID_ANY, ring_size,
				    ARGO_RING_RX_WORK, argo_vsock_rx,
				    (void *)(uintptr_t)ARGO_PORT_VSOCK);
	if (IS_ERR(avs.ring)) {
		err = PTR_ERR(avs.ring);
		pr_err("argo_vsock: cannot register the vsock ring on Argo port %u: %d\n",
		       ARGO_PORT_VSOCK, err);
		goto out_free;
	}
	argo_space_waiter_add(&avs.space);
	/* Every remote CID: other guests (h2g) and dom0, the host (g2h). */
	err = vsock_core_register(&argo_vsock_transport.transport,
				  VSOCK_TRANSPORT_F_G2H | VSOCK_TRANSPORT_F_H2G);
	if (err) {
		pr_err("argo_vsock: the vsock core refused the transport: %d (another one loaded?)\n",
		       err);
		goto out_ring;
	}
	queue_delayed_work(avs.wq, &avs.svc_work, 0);
	pr_info("argo_vsock: domain %u is vsock CID %u, Argo port %u\n",
		avs.domid, avs.local_cid, ARGO_PORT_VSOCK);
	return 0;

out_ring:
	argo_space_waiter_del(&avs.space);
	argo_ring_destroy(avs.ring);
	/* The ring may have answered a request with a reset already. */
	cancel_delayed_work_sync(&avs.tx_work);
	virtio_vsock_skb_queue_purge(&avs.txq);
out_free:
	if (avs.wq)
		destroy_workqueue(avs.wq);
	vfree(avs.rx_discard);
	kvfree(avs.tx_bounce);
	return err;
}

/*
 * A socket using this transport holds a reference on the module (the
 * vsock core's try_module_get), so unloading is refused while one is open;
 * by the time we get here no socket can send, and only a listener without
 * a transport yet can exist: with the rings gone, it gets no more requests.
 */
static void __exit argo_vsock_exit(void)
{
	argo_vsock_svc_stop();
	argo_ring_destroy(avs.ring);
	vsock_core_unregister(&argo_vsock_transport.transport);
	argo_space_waiter_del(&avs.space);
	cancel_delayed_work_sync(&avs.probe_work);
	/* Not flushed: packets for a ring that stays full would hold rmmod. */
	cancel_delayed_work_sync(&avs.tx_work);
	destroy_workqueue(avs.wq);
	virtio_vsock_skb_queue_purge(&avs.txq);
	vfree(avs.rx_discard);
	kvfree(avs.tx_bounce);
	pr_info("argo_vsock: unloaded (%lld packets dropped, %lld sends failed)\n",
		(long long)atomic64_read(&avs.rx_dropped),
		(long long)atomic64_read(&avs.tx_failed));
}

module_init(argo_vsock_init);
module_exit(argo_vsock_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("AF_VSOCK transport over Xen Argo");
MODULE_ALIAS_NETPROTO(PF_VSOCK);
