/* SPDX-License-Identifier: MIT */
/*
 * udp.c - UDP sockets: lwIP's udp_pcb behind an AF_UNIX datagram pair.
 *
 * Datagrams from the network are written into the program's end at once,
 * so read(), recv() and poll() work natively; their addresses wait in a
 * queue (struct dgram_meta).  A trapped recvfrom()/recvmsg() that asks for
 * the address pulls the next datagram out of the program's end itself
 * (the supervisor holds that end for this), finds its address, and copies
 * both to the program.  Datagrams the program sends without an address
 * arrive on sv and go to the connected peer; sends with an address are
 * trapped and go straight to udp_sendto().
 *
 * The receive side (the address queue, ns__udp_recv()) serves the ping and
 * raw sockets of raw.c too.  ICMP errors (icmp.c) are returned first, as
 * Linux's sock_error() does.  A socket that turns IP_RECVERR on moves to
 * a pair of loopback UDP sockets that can say POLLERR for its queued
 * errors (errq.c); one that cannot move gets an empty "marker" datagram
 * per queued error in the program's end instead, so that poll() says
 * POLLIN where Linux says POLLERR (an AF_UNIX pair cannot show POLLERR),
 * and a recvmsg() that meets the marker returns the queued error, flagged
 * MSG_ERRQUEUE.
 *
 * A datagram to port 53 of a host loopback resolver that resolv.conf
 * names leaves through the uplink when there is one (uplink.c).
 *
 * IP_MTU_DISCOVER DO or PROBE (and IPV6_DONTFRAG) make a datagram socket's
 * packets unfragmentable: DF is set on IPv4 (lwIP patch 0012), and one
 * larger than its device MTU fails with EMSGSIZE, queued as a local error
 * with IP_RECVERR (ns__dgram_size_check(), for raw.c too).
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>
#include <linux/sockios.h>

#include "lwip/icmp.h"
#include "lwip/icmp6.h"
#include "lwip/ip.h"
#include "lwip/ip4.h"
#include "lwip/nd6.h"
#include "lwip/ip4_addr.h"
#include "lwip/prot/ip4.h"
#include "lwip/prot/ip6.h"
#include "lwip/pbuf.h"
#include "lwip/prot/udp.h"
#include "lwip/stats.h"
#include "lwip/udp.h"

#include "internal.h"
#include "log.h"
#include "netint.h"

#define MQ_MAX		4096

/*
 * Tells a datagram from its neighbours in the queue: FNV-1a over the
 * length and the first HASH_HEAD bytes, so the per-datagram cost does not
 * grow with the payload.
 */
#define HASH_HEAD	256

static uint64_t hash(const uint8_t *p, size_t n)
{
	uint64_t h = (0xcbf29ce484222325ull ^ n) * 0x100000001b3ull;
	size_t i;

	for (i = 0; i < n && i < HASH_HEAD; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

/**
 * ns__dgram_trim() - forget the addresses of datagrams the program read
 *		      natively, once its end holds none
 * @s:		a datagram socket
 *
 * A program that reads with read() or recv() without an address (a
 * connected socket's, typically) never takes the queue entries that a
 * trapped receive would have taken: without this, its 4097th datagram and
 * every one after it would be dropped for want of room in the queue.
 * The program's end is empty when none of what sv sent is still charged to
 * sv (SIOCOUTQ, AF_UNIX pair) or when a peek at the program's end finds
 * nothing (loopback UDP pair, errq.c: an empty datagram there looks the
 * same, and its address is forgotten too).
 *
 * Return: true when the queue is empty now
 */
bool ns__dgram_trim(struct sock *s)
{
	struct dgram_meta *m;
	int n = -1;

	if (!s->mq_len)
		return true;
	if (s->errq_pair) {
		if (s->tref < 0 || ioctl(s->tref, SIOCINQ, &n) || n)
			return false;
	} else if (s->sv < 0 || ioctl(s->sv, SIOCOUTQ, &n) || n) {
		return false;
	}
	while ((m = s->mq_head)) {
		s->mq_head = m->next;
		free(m);
	}
	s->mq_tail = NULL;
	s->mq_len = 0;
	return true;
}

/*
 * The device the current packet counts as arriving on (IPV6_PKTINFO's
 * interface, a link-local sender's scope): the one it came in on, but
 * for an IPv6 packet the sandbox sent to an address of one of its
 * devices, which the loopback brings, that device, as Linux's
 * ip6_rcv_core() takes the local route's device (IP6CB(skb)->iif).
 */
static struct netif *arrival_netif(struct ns *ns)
{
	struct netif *in = ip_current_input_netif();

	if (ip_current_is_v6() && in && in == vdev_netif(ns->lo) &&
	    ip_current_netif())
		return ip_current_netif();
	return in;
}

/**
 * ns__udp_rcvbuf_apply() - make the program's end hold what Linux's
 *			    receive queue would: SO_RCVBUF's bytes
 * @s:		a UDP socket (ping and raw ones keep a large buffer)
 *
 * Received datagrams wait in the program's end of the pair, charged to
 * sv's send buffer until the program reads them (AF_UNIX charges the
 * sender).  So sv's SO_SNDBUF, which the kernel doubles as it doubles
 * SO_RCVBUF, is half of Linux's sk_rcvbuf (212992 by default); past it
 * ns__dgram_deliver() drops, as __udp_enqueue_schedule_skb() drops past
 * sk_rcvbuf.  Both count a datagram's true size, which is about the same
 * (Linux 6.x, 100-byte datagrams: 256 wait by default, the sandbox 277).
 * The host's wmem_max caps it.  A socket on a host UDP pair (errq.c)
 * keeps that pair's own buffer.
 */
void ns__udp_rcvbuf_apply(struct sock *s)
{
	int v = ns__sock_buf(s, true) / 2;

	if (s->sv >= 0 && !s->errq_pair && !ns__on_raw(s))
		setsockopt(s->sv, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v));
}

/*
 * A datagram bigger than sv's whole send buffer (less 32 bytes: AF_UNIX
 * says EMSGSIZE) into an empty queue: Linux lets one packet in past
 * sk_rcvbuf ("always allow at least one packet"), so the buffer is raised
 * for this one.  Return: whether it was sent.
 */
static bool send_big(struct sock *s, const uint8_t *data, size_t n)
{
	int q = 0, v = (int)n + 4096;
	bool ok;

	if (errno != EMSGSIZE || ns__on_raw(s) || ioctl(s->sv, SIOCOUTQ, &q) || q)
		return false;
	setsockopt(s->sv, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v));
	ok = send(s->sv, data, n, MSG_DONTWAIT | MSG_NOSIGNAL) == (ssize_t)n;
	ns__udp_rcvbuf_apply(s);
	if (!ok)
		errno = ENOBUFS;
	return ok;
}

/* Write the datagram into the program's end and queue a copy of @tmpl
 * (or a zeroed entry) for it; its address fields are the caller's.
 * Return: the entry, or NULL with *@err set. */
static struct dgram_meta *queue(struct sock *s, const uint8_t *data, size_t n,
				const struct dgram_meta *tmpl, int *err)
{
	struct dgram_meta *m;

	*err = -ENOBUFS;
	if (s->sv < 0 || (s->mq_len >= MQ_MAX && !ns__dgram_trim(s)))
		return NULL;
	m = malloc(sizeof(*m));
	if (!m)
		return NULL;
	if (tmpl)
		*m = *tmpl;
	else
		memset(m, 0, sizeof(*m));
	if (send(s->sv, data, n, MSG_DONTWAIT | MSG_NOSIGNAL) != (ssize_t)n &&
	    !send_big(s, data, n)) {
		int e = errno;

		free(m);	/* the program's queue is full: dropped */
		if (e == EPIPE || e == ECONNRESET || e == ECONNREFUSED)
			*err = -EPIPE;
		return NULL;
	}
	m->next = NULL;
	m->len = (uint32_t)n;
	m->hash = hash(data, n);
	clock_gettime(CLOCK_REALTIME, &m->ts);
	s->rx_stamp = m->ts;
	if (s->mq_tail)
		s->mq_tail->next = m;
	else
		s->mq_head = m;
	s->mq_tail = m;
	s->mq_len++;
	return m;
}

/**
 * ns__dgram_queue() - queue a datagram to the program with a prepared entry
 * @s:		a datagram socket (a packet socket's)
 * @data:	payload
 * @n:		its length
 * @tmpl:	the entry's fields (next, len, hash and ts are set here)
 *
 * Wakes no blocked receive: the caller does, when it may.
 *
 * Return: 0, -ENOBUFS (dropped) or -EPIPE (the program's end is gone)
 */
int ns__dgram_queue(struct sock *s, const uint8_t *data, size_t n,
		    const struct dgram_meta *tmpl)
{
	int err;

	return queue(s, data, n, tmpl, &err) ? 0 : err;
}

/**
 * ns__dgram_deliver() - queue a datagram to the program, with its address
 * @s:		a datagram socket
 * @data:	payload
 * @n:		its length
 * @src:	source address (NULL for a marker)
 * @sport:	source port
 * @k:		TTL and TOS it arrived with (NULL for a marker)
 * @marker:	an empty datagram standing for queued errors (see above)
 *
 * Called from lwIP's input: the current packet is the datagram's, but its
 * header may be freed already (ns__ip_marks() reads it before).
 *
 * Return: 0, -ENOBUFS when the program's queue is full (dropped), or
 * -EPIPE when the program's end is gone (its last close, not seen yet)
 */
int ns__dgram_deliver(struct sock *s, const uint8_t *data, size_t n,
		      const ip_addr_t *src, uint16_t sport,
		      const struct ip_marks *k, bool marker)
{
	struct dgram_meta *m;
	int err;

	m = queue(s, data, n, NULL, &err);
	if (!m)
		return err;
	if (src)
		ip_addr_copy(m->src, *src);
	if (!marker) {
		ip_addr_copy(m->dst, *ip_current_dest_addr());
		m->ifindex = ns__netif_ifindex(s->ns, arrival_netif(s->ns));
	}
	m->sport = sport;
	m->ttl = k ? k->ttl : 0;
	m->tos = k ? k->tos : 0;
	m->marker = marker;
	ns__retry_waiters(s, W_RECV, ns__udp_recv_call);
	return 0;
}

/**
 * ns__ip_marks() - TTL (hop limit) and TOS (traffic class) of the packet
 *		    lwIP is delivering now
 * @k:		filled in
 *
 * The header lives in the packet's pbuf: read it before that is freed.
 */
void ns__ip_marks(struct ip_marks *k)
{
	if (ip_current_is_v6()) {
		k->ttl = IP6H_HOPLIM(ip6_current_header());
		k->tos = IP6H_TC(ip6_current_header());
	} else {
		k->ttl = IPH_TTL(ip4_current_header());
		k->tos = IPH_TOS(ip4_current_header());
	}
}

/* The program closed the socket @p came for: a closed port, answered as
 * udp_input() answers one.  Frees @p. */
static void closed_port(struct pbuf *p)
{
	const ip_addr_t *dst = ip_current_dest_addr();

	if (!ip_addr_ismulticast(dst) &&
	    !(IP_IS_V4(dst) && ip4_addr_isbroadcast(ip_2_ip4(dst), ip_current_netif())) &&
	    !pbuf_header_force(p, (s16_t)(ip_current_header_tot_len() + UDP_HLEN)))
		icmp_port_unreach(ip_current_is_v6(), p);
	pbuf_free(p);
}

/*
 * The socket's filter (SO_ATTACH_FILTER) on a datagram, from its UDP header
 * on, as Linux's udp_queue_rcv_one_skb(): 0 drops it, less keeps that
 * much (at least the header).  The payload kept is left in iobuf, its
 * length in @n.  Return: false to drop it.
 */
static bool filter_pass(struct sock *s, struct pbuf *p, u16_t *n)
{
	uint8_t *buf = s->ns->iobuf;
	size_t keep, len;

	if (pbuf_add_header_force(p, UDP_HLEN))
		return false;
	len = pbuf_copy_partial(p, buf, p->tot_len, 0);
	pbuf_remove_header(p, UDP_HLEN);
	keep = ns__filter_run(s, buf, len);
	if (!keep)
		return false;
	if (keep < UDP_HLEN)
		keep = UDP_HLEN;	/* sk_filter_trim_cap() */
	*n = (u16_t)(keep - UDP_HLEN);
	memmove(buf, buf + UDP_HLEN, *n);
	return true;
}

static void on_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p,
		    const ip_addr_t *addr, u16_t port);

/*
 * The member of @s's SO_REUSEPORT group a unicast datagram from @addr,
 * @port goes to, spread by flow as Linux's reuseport_select_sock() does:
 * the open, unconnected UDP sockets of the same family, IPV6_V6ONLY,
 * device, address and port that have the option (udp_reuseport_add_sock()).
 * lwIP gives such a datagram to the first one it finds.
 */
static struct sock *reuseport_pick(struct sock *s, const ip_addr_t *addr, u16_t port)
{
	const struct udp_pcb *me = s->pcb.udp;
	struct sock *m[REUSEPORT_MAX];
	struct udp_pcb *u;
	unsigned int n = 0;

	for (u = udp_pcbs; u && n < REUSEPORT_MAX; u = u->next) {
		struct sock *t = u->recv_arg;

		if (u->recv != on_recv || !t || !t->reuseport ||
		    (u->flags & UDP_FLAGS_CONNECTED) || t->family != s->family ||
		    t->v6only != s->v6only || t->bound_ifindex != s->bound_ifindex ||
		    u->local_port != me->local_port ||
		    !ip_addr_cmp(&u->local_ip, &me->local_ip) || !ns__held_alive(t))
			continue;
		m[n++] = t;
	}
	return n ? m[ns__flow_hash(addr, port) % n] : s;
}

static void on_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p,
		    const ip_addr_t *addr, u16_t port)
{
	struct sock *s = arg;
	struct ip_marks k;
	u16_t n;
	int ret;

	if (s && s->reuseport && !(pcb->flags & UDP_FLAGS_CONNECTED) &&
	    !ip_addr_ismulticast(ip_current_dest_addr()) &&
	    !ip_addr_isbroadcast(ip_current_dest_addr(), ip_current_input_netif()))
		s = reuseport_pick(s, addr, port);
	ns__ip_marks(&k);	/* the header lives in @p */
	if (!ns__mcast_wanted(s)) {
		pbuf_free(p);
		return;
	}
	if (!ns__held_alive(s)) {
		closed_port(p);
		return;
	}
	if (s->filter && !filter_pass(s, p, &n)) {
		/* udp_queue_rcv_one_skb(): dropped, InErrors */
		if (!IP_IS_V6(addr))
			MIB2_STATS_INC(mib2.udpinerrors);
		pbuf_free(p);
		return;
	}
	if (!s->filter)
		n = pbuf_copy_partial(p, s->ns->iobuf, p->tot_len, 0);
	ret = ns__dgram_deliver(s, s->ns->iobuf, n, addr, port, &k, false);
	if (ret == -ENOBUFS) {
		/* __udp_enqueue_schedule_skb()'s drop: RcvbufErrors and
		 * InErrors (Udp, or Udp6 in snmp6) */
		s->ns->udp_rcvbuf_errs[IP_IS_V6(addr)]++;
		if (!IP_IS_V6(addr))
			MIB2_STATS_INC(mib2.udpinerrors);
	}
	if (ret == -EPIPE) {
		/* closed before its hangup was read (a datagram a trapped
		 * call looped to it at once, say): that comes next turn */
		debug("socket %llu: closed by the program (a datagram came)",
		      (unsigned long long)s->ino);
		closed_port(p);
		return;
	}
	pbuf_free(p);
}

/**
 * ns__udp_open() - give the socket its lwIP pcb
 * @s:		the socket
 *
 * Return: 0 or -ENOMEM
 */
int ns__udp_open(struct sock *s)
{
	u8_t type = s->family == AF_INET ? IPADDR_TYPE_V4 : IPADDR_TYPE_ANY;

	s->pcb.udp = udp_new_ip_type(type);
	if (!s->pcb.udp)
		return -ENOMEM;
	udp_recv(s->pcb.udp, on_recv, s);
	ns__udp_rcvbuf_apply(s);
	ns__sock_poll(s, UV_READABLE);
	ns__icmp_use(s->ns);
	return 0;
}

/**
 * ns__udp_bind() - bind() on a UDP socket
 * @s:		the socket
 * @ip:		local address
 * @port:	local port or 0
 *
 * Return: 0 or a negative errno
 */
int ns__udp_bind(struct sock *s, const ip_addr_t *ip, uint16_t port)
{
	ip_addr_t a;
	bool bcast;
	err_t e;

	if (s->pcb.udp->local_port)
		return -EINVAL;
	/* a group or an IPv4 broadcast address too (__inet_bind(),
	 * __inet6_bind(): RTN_MULTICAST, RTN_BROADCAST): the socket then
	 * takes only datagrams to it, and sends from the route's source */
	if (!ns__addr_nosrc(s->ns, ip, &bcast) && !ns__bind_addr_ok(s, ip))
		return -EADDRNOTAVAIL;
	ip_addr_copy(a, *ip);
	if (s->family == AF_INET6 && IP_IS_V6(ip) && ip_addr_isany(ip))
		a = s->v6only ? *IP6_ADDR_ANY : *IP_ANY_TYPE;
	/* SO_REUSEPORT too: lwIP then delivers a unicast datagram to one of
	 * the sockets, which passes it on by flow (reuseport_pick()),
	 * multicast to all */
	if (s->reuseaddr || s->reuseport)
		ip_set_option(s->pcb.udp, SOF_REUSEADDR);
	e = udp_bind(s->pcb.udp, &a, port);
	if (e == ERR_USE) {
		ns__scan_sparing(s->ns, s);
		e = udp_bind(s->pcb.udp, &a, port);
	}
	if (e == ERR_OK && port)
		s->port_locked = true;
	if (e == ERR_OK)
		s->bcast_bound = bcast;
	return ns__err_lwip(e);
}

/**
 * ns__udp_connect() - connect() on a UDP socket; NULL @ip disconnects
 * @s:		the socket
 * @ip:		peer, or NULL for AF_UNSPEC
 * @port:	peer port
 *
 * Return: 0 or a negative errno
 */
int ns__udp_connect(struct sock *s, const ip_addr_t *ip, uint16_t port)
{
	struct udp_pcb *pcb = s->pcb.udp;
	const ip_addr_t *src;
	struct netif *n, *up;
	ip_addr_t upsrc, osrc;
	err_t e;
	int ret;

	if (!ip) {
		udp_disconnect(pcb);
		/* __udp_disconnect(): a source connect() chose goes too */
		if (s->saddr_auto) {	/* back to what ns__udp_open() made */
			const ip_addr_t *any = s->family == AF_INET ? IP4_ADDR_ANY :
					       s->v6only ? IP6_ADDR_ANY : IP_ANY_TYPE;

			ip_addr_copy(pcb->local_ip, *any);
		}
		s->saddr_auto = false;
		/* and a port nobody named in bind(): the next send picks
		 * another (lwIP binds a pcb with port 0 before sending) */
		if (!s->port_locked)
			pcb->local_port = 0;
		return 0;
	}
	/* inet_dgram_connect() binds a port first (inet_autobind()); the
	 * route is then looked up for UDP, both ports and the owner */
	if (!pcb->local_port && (e = udp_bind(pcb, &pcb->local_ip, 0)) != ERR_OK)
		return ns__err_lwip(e);
	net_own_set(s->ns->net, IPPROTO_UDP, pcb->local_port, port, s->uid);
	/* the device and source a send would take (SO_BINDTODEVICE, the
	 * device connect() bound to for a scope, IP(V6)_MULTICAST_IF for a
	 * group: no route needed, as ip_route_output_key_hash_rcu()'s
	 * "routing tables are wrong" case), else the route's */
	ret = ns__dgram_oif(s, ip, NULL, &pcb->local_ip, &n, &osrc);
	if (ret) {
		net_own_clear(s->ns->net);
		return ret;
	}
	src = n ? &osrc : NULL;
	if (!n && !(n = ip_route(IP_IS_V4(ip) ? IP4_ADDR_ANY : IP6_ADDR_ANY, ip))) {
		net_own_clear(s->ns->net);
		return -ENETUNREACH;
	}
	e = udp_connect(pcb, ip, port);
	if (e != ERR_OK) {
		net_own_clear(s->ns->net);
		return ns__err_lwip(e);
	}
	/* ip4_datagram_connect(), ip6_datagram_connect(): an unbound socket
	 * takes the source a send picks, so getsockname() tells it and only
	 * answers to it arrive (a group's too: ff02::1%eth0 the link-local,
	 * ff05::1 a global address, 239.1.2.3 the device's, as Linux 6.18);
	 * not one whose datagrams go to a loopback resolver through the
	 * uplink (uplink.c), which answers to the uplink's address */
	if (ip_addr_isany(&pcb->local_ip) &&
	    !net__uplink_dns(s->ns->net, ip, port, &up, &upsrc) &&
	    (src || (src = ip_netif_get_local_ip(n, ip))) && !ip_addr_isany(src)) {
		ip_addr_copy(pcb->local_ip, *src);
		s->saddr_auto = true;
	}
	net_own_clear(s->ns->net);
	return 0;
}

/**
 * ns__dgram_nofrag() - whether a datagram socket's packet may not be
 *			 fragmented, as Linux's ip_dont_fragment() and
 *			 ip6_sk_ignore_df()
 * @s:		the socket
 * @o:		this datagram's options (IPV6_DONTFRAG's message), or NULL
 * @ip:		the packet's destination
 *
 * IP_MTU_DISCOVER (IPV6_MTU_DISCOVER) set to DO or PROBE; IPv6 also
 * IPV6_DONTFRAG, the datagram's message's else the socket's.  Linux's default, WANT, sets DF too and fragments at the
 * path MTU it learnt; lwIP keeps no path MTU, so WANT fragments here.
 *
 * Return: true for DF (IPv4), or no fragmentation (IPv6)
 */
bool ns__dgram_nofrag(const struct sock *s, const struct ns_sendopts *o,
		      const ip_addr_t *ip)
{
	int d = ns__pmtudisc(s, IP_IS_V4(ip));
	bool pmtu = d == IP_PMTUDISC_DO || d == IP_PMTUDISC_PROBE;

	return pmtu || (IP_IS_V6(ip) && (o && o->dontfrag >= 0 ? o->dontfrag : s->dontfrag));
}

/**
 * ns__dgram_frag_size() - where a datagram socket's IPv6 packet to @ip is
 *			    fragmented at most, for ip6_output_frag_size
 *			    (patches/lwip/0061)
 * @s:		the socket
 * @ip:		the packet's destination
 *
 * IPV6_MTU set on the socket (Linux's np->frag_size, which
 * ip6_setup_cork() takes when it is below the path MTU); IPv4 packets,
 * a v4-mapped destination's included, never.
 *
 * Return: the size, or 0 for the path MTU
 */
u16_t ns__dgram_frag_size(const struct sock *s, const ip_addr_t *ip)
{
	if (!IP_IS_V6(ip) || s->frag_size <= 0)
		return 0;
	return (u16_t)(s->frag_size > 0xffff ? 0xffff : s->frag_size);
}

/**
 * ns__dgram_mtu() - MTU of the device a packet to @dst leaves on
 * @src:	its source address, or NULL (or any) for none chosen
 * @dst:	its destination
 *
 * Return: the MTU, or 0 when there is no route
 */
unsigned int ns__dgram_mtu(const ip_addr_t *src, const ip_addr_t *dst)
{
	struct netif *n;

	if (IP_IS_V6(dst))
		n = ip_route(src && IP_IS_V6(src) ? src : IP6_ADDR_ANY, dst);
	else
		n = ip_route(src && IP_IS_V4(src) ? src : IP4_ADDR_ANY, dst);
	if (!n)
		return 0;
	return IP_IS_V6(dst) ? netif_mtu6(n) : n->mtu;
}

/**
 * ns__dgram_size_check() - refuse what may not be fragmented and does not
 *			     fit the device MTU, as Linux's ip_append_data()
 * @s:		the socket
 * @o:		this datagram's options, or NULL (ns__dgram_nofrag())
 * @src:	source address, or NULL (any) for the route's
 * @dst:	destination
 * @dport:	destination port (UDP), for the error queue
 * @len:	bytes after the IP header
 *
 * With IP_RECVERR the refusal is also queued (SO_EE_ORIGIN_LOCAL, the MTU
 * in ee_info), as Linux's ip_local_error(); ping then says "local error:
 * message too long, mtu=...".
 *
 * Return: 0, or -EMSGSIZE
 */
int ns__dgram_size_check(struct sock *s, const struct ns_sendopts *o,
			 const ip_addr_t *src, const ip_addr_t *dst,
			 uint16_t dport, size_t len)
{
	size_t hl = IP_IS_V6(dst) ? IP6_HLEN : IP_HLEN;
	unsigned int mtu, cap;

	if (!ns__dgram_nofrag(s, o, dst))
		return 0;
	mtu = ns__dgram_mtu(src, dst);
	cap = ns__dgram_frag_size(s, dst);	/* IPV6_MTU */
	if (mtu && cap && cap < mtu)
		mtu = cap;
	if (!mtu || hl + len <= mtu)
		return 0;	/* no route: lwIP says so */
	ns__icmp_local_err(s, dst, dport, mtu);
	return -EMSGSIZE;
}

/**
 * ns__dgram_too_big() - a datagram past 65535 bytes, refused before its
 *			  payload was read (ns__gather())
 * @s:		the socket
 * @dst:	its destination, or NULL (the connected peer's)
 * @dport:	its destination port (UDP), for the error queue
 *
 * Linux's IPv4 refuses it at once (udp_sendmsg(), raw_sendmsg()); its
 * IPv6 refuses it in __ip6_append_data(), which first queues an
 * unfragmentable one as a local error with the route's MTU (tracepath -6
 * sends 128000 bytes first and takes its first MTU from there).
 *
 * Return: -EMSGSIZE
 */
int ns__dgram_too_big(struct sock *s, const ip_addr_t *dst, uint16_t dport)
{
	if (dst && IP_IS_V6(dst))
		(void)ns__dgram_size_check(s, NULL, NULL, dst, ns__on_raw(s) ? 0 : dport,
					   65536);
	return -EMSGSIZE;
}

static int64_t send_one(struct sock *s, const void *data, size_t len,
			const ip_addr_t *ip, uint16_t port,
			const struct ns_sendopts *o);

/**
 * ns__udp_autobind() - give an unbound UDP socket a port, as a send does
 * @s:		the socket
 *
 * Linux's inet_send_prepare() binds before udp_sendmsg() judges the
 * destination, so a send() that fails with EDESTADDRREQ still leaves the
 * socket a port (getsockname() says it; checked on Linux 6.18).
 *
 * Return: 0 or a negative errno
 */
int ns__udp_autobind(struct sock *s)
{
	struct udp_pcb *u = s->pcb.udp;
	err_t e;

	if (u->local_port || (e = udp_bind(u, &u->local_ip, 0)) == ERR_OK)
		return 0;
	return ns__err_lwip(e);
}

/**
 * ns__udp_sendto() - send one datagram
 * @s:		the socket
 * @data:	payload
 * @len:	its length
 * @ip:		destination, or NULL for the connected peer
 * @port:	destination port
 * @o:		TTL, TOS and source for this datagram, or NULL for the socket's
 *
 * An unbound socket is bound to a port first, as inet_send_prepare()
 * does, so that its routes are looked up for UDP, both ports and the
 * owner (udp_sendmsg()'s flowi4_init_output()).
 *
 * Return: @len or a negative errno
 */
int64_t ns__udp_sendto(struct sock *s, const void *data, size_t len,
		       const ip_addr_t *ip, uint16_t port,
		       const struct ns_sendopts *o)
{
	struct udp_pcb *u = s->pcb.udp;
	int64_t ret;
	int e;

	if ((e = ns__udp_autobind(s)))
		return e;
	if (!ip && !(u->flags & UDP_FLAGS_CONNECTED))
		return -EDESTADDRREQ;
	if (!ip) {
		ip = &u->remote_ip;
		port = u->remote_port;
	}
	net_own_set(s->ns->net, IPPROTO_UDP, u->local_port, port, s->uid);
	ret = send_one(s, data, len, ip, port, o);
	net_own_clear(s->ns->net);
	return ret;
}

/* ns__udp_sendto()'s work, for a bound socket and a destination */
static int64_t send_one(struct sock *s, const void *data, size_t len,
			const ip_addr_t *ip, uint16_t port,
			const struct ns_sendopts *o)
{
	struct udp_pcb *u = s->pcb.udp;
	struct netif *netif, *nif;
	ip_addr_t src, from, dz;
	struct pbuf *p;
	size_t max = IP_IS_V6(ip) ? 65487u : 65507u;
	bool unbound;
	err_t e;
	int ret;

	/*
	 * IPv4: 65535 less the IP and UDP headers, as Linux.  IPv6: Linux
	 * allows 65527 (the payload length excludes the IPv6 header), but
	 * lwIP keeps a whole packet's length in 16 bits, so the IPv6 header
	 * must fit too: 65487.  An unfragmentable IPv6 one that big is
	 * refused by the MTU check below instead, which queues the local
	 * error as Linux's __ip6_append_data() does (tracepath -6 starts
	 * with 128000 bytes and reads its first MTU from there).
	 */
	if (len > max && !(IP_IS_V6(ip) && ns__dgram_nofrag(s, o, ip)))
		return -EMSGSIZE;
	if (ns__addr_unscoped(ip)) {	/* fe80::1 without a scope id */
		ip_addr_copy(dz, *ip);
		ns__dgram_dst_scope(s, &dz, o, false);
		ip = &dz;
	}
	ret = ns__dgram_oif(s, ip, o, &u->local_ip, &nif, &src);
	if (ret)
		return ret;
	/* bound to a group or a broadcast address: no source of its own
	 * (the route's is taken below, as Linux's route gives it) */
	unbound = ip_addr_isany(&u->local_ip) || ns__bound_nosrc(s, &u->local_ip);
	/* DNS to a host loopback resolver leaves through the uplink
	 * (uplink.c), unless the socket chose its device or source. */
	if (!nif && !(o && o->has_src) && unbound)
		net__uplink_dns(s->ns->net, ip, port, &nif, &src);
	ret = ns__dgram_size_check(s, o, nif ? &src : o && o->has_src ? &o->src :
				   unbound ? NULL : &u->local_ip, ip, port,
				   len + UDP_HLEN);
	if (ret)
		return ret;
	if (len > max)
		return -EMSGSIZE;	/* not refused above: no route's MTU */
	/* Big payloads leave no room for headers in one pbuf: lwIP chains
	 * a header pbuf in front of a PBUF_RAW one. */
	p = pbuf_alloc(len > 65535 - 128 ? PBUF_RAW : PBUF_TRANSPORT, (u16_t)len,
		       PBUF_RAM);
	if (!p)
		return -ENOBUFS;
	memcpy(p->payload, data, len);
	ns__dgram_bcast_mark(s, ip, p);
	u->ttl = (u8_t)(o ? o->ttl : ns__ttl(s, IP_IS_V4(ip)));
	u->tos = (u8_t)(o ? o->tos : ns__tos(s, IP_IS_V4(ip)));
	udp_set_multicast_ttl(u, (u8_t)(o && o->has_ttl ? o->ttl :
					ns__mcast_ttl(s, ip)));
	if (ns__mcast_loop(s))
		udp_set_flags(u, UDP_FLAGS_MULTICAST_LOOP);
	else
		udp_clear_flags(u, UDP_FLAGS_MULTICAST_LOOP);
	ip4_output_df = IP_IS_V4(ip) && ns__dgram_nofrag(s, o, ip);
	ip6_output_frag_size = ns__dgram_frag_size(s, ip);
	switch (ns__dgram_out(s, ip, o, &u->local_ip, nif, &src, &netif, &from)) {
	case 1:
		e = udp_sendto_if_src(u, p, ip, port, netif, &from);
		break;
	case 0:
		e = udp_sendto(u, p, ip, port);
		break;
	default:
		e = ERR_RTE;
	}
	ip4_output_df = 0;
	ip6_output_frag_size = 0;
	u->ttl = (u8_t)s->ttl;
	u->tos = (u8_t)s->tos;
	pbuf_free(p);
	if (e == ERR_RTE)
		return ns__route_err(s->ns, ip);
	if (e != ERR_OK)
		return ns__err_lwip(e);
	return (int64_t)len;
}

/* A zero-length read on a SEQPACKET pair is an empty datagram or EOF. */
static bool sv_eof(struct sock *s)
{
	struct pollfd pfd = { .fd = s->sv, .events = POLLRDHUP };

	return poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLRDHUP | POLLHUP));
}

/* Send up to 64 datagrams the program wrote on its end without an
 * address; true at its EOF (closed, or shutdown(SHUT_WR)), left unread */
static bool send_written(struct sock *s)
{
	int rounds = 64;

	while (rounds--) {
		ssize_t n = recv(s->sv, s->ns->iobuf, NS_IOBUF, MSG_DONTWAIT);

		if (n < 0)
			break;
		if (n == 0 && sv_eof(s))
			return true;
		if (s->family == AF_PACKET) {
			ns__pk_send_written(s, (size_t)n);
		} else if (ns__on_raw(s)) {
			if (ns__raw_connected(s))
				ns__raw_sendto(s, s->ns->iobuf, (size_t)n, NULL, NULL);
		} else if (s->pcb.udp && (s->pcb.udp->flags & UDP_FLAGS_CONNECTED)) {
			ns__udp_sendto(s, s->ns->iobuf, (size_t)n, NULL, 0, NULL);
		} else if (s->pcb.udp) {
			/* Unconnected: Linux's send() failed with EDESTADDRREQ
			 * after binding a port; this one went through the
			 * pair, natively, and only the port can follow. */
			ns__udp_autobind(s);
		}
	}
	return false;
}

/* Datagrams the program sent on its end without an address (UDP, ping, raw). */
void ns__udp_io(struct sock *s, int status, int events)
{
	if (status < 0) {
		/* POLLERR: closed with datagrams unread in the program's end. */
		ns__sock_end(s);
		return;
	}
	if (send_written(s))
		ns__sock_end(s);
}

/**
 * ns__dgram_send_written() - send what the program already wrote on a
 *			      datagram socket, before a trapped call changes
 *			      how it goes out
 * @s:		a UDP, ping or raw socket
 *
 * The program's send() without an address runs natively and its datagram
 * waits on the supervisor's end until the loop reads it; a setsockopt()
 * (IP_TTL, say) or connect() made after it is trapped and answered at
 * once.  Without this the option reached datagrams written before it:
 * traceroute -I's probes went out with the next probe's TTL.  An EOF is
 * left to the poll handler.
 */
void ns__dgram_send_written(struct sock *s)
{
	if (s->sv >= 0)
		send_written(s);
}

static struct dgram_meta *meta_find(struct sock *s, size_t len, uint64_t h,
				    bool peek)
{
	struct dgram_meta *m;

	/* Entries before the match were read natively: drop them. */
	while ((m = s->mq_head) && !(m->len == len && m->hash == h)) {
		s->mq_head = m->next;
		if (!s->mq_head)
			s->mq_tail = NULL;
		s->mq_len--;
		free(m);
	}
	if (!m || peek)
		return m;
	s->mq_head = m->next;
	if (!s->mq_head)
		s->mq_tail = NULL;
	s->mq_len--;
	m->next = NULL;
	return m;
}

/* Free @m, which meta_find() returned (still queued when @peeked). */
static void meta_free_head(struct sock *s, struct dgram_meta *m, bool peeked)
{
	if (peeked) {
		s->mq_head = m->next;
		if (!s->mq_head)
			s->mq_tail = NULL;
		s->mq_len--;
	}
	free(m);
}

/*
 * Take the next datagram out of the program's end into iobuf (a peek with
 * MSG_PEEK).  Return: its full length, or a negative errno.
 */
static ssize_t pull(struct sock *s, struct trc_call *c, int fd, int flags)
{
	ssize_t got;
	int t, ret;

	t = ns__tref_get(s, trc_call_pid(c), fd);
	if (t < 0)
		return t;
	got = recv(t, s->ns->iobuf, NS_IOBUF,
		   MSG_DONTWAIT | MSG_TRUNC | (flags & MSG_PEEK));
	ret = got < 0 ? -errno : 0;
	ns__tref_put(s, t);
	return got < 0 ? ret : got;
}

#define PUT_MAX 64	/* data ranges written back, as before */

/*
 * struct put - what a receive writes back to the program, gathered so
 * that one process_vm_writev() carries it all: the data, then the sender's
 * address, then its length (recvfrom) or the msghdr (recvmsg).
 */
struct put {
	struct iovec l[PUT_MAX + 2], r[PUT_MAX + 2];
	unsigned long n;
};

static void put_add(struct put *p, const void *buf, uint64_t addr, size_t len)
{
	if (!len)
		return;
	p->l[p->n].iov_base = (void *)buf;
	p->l[p->n].iov_len = len;
	p->r[p->n].iov_base = (void *)(uintptr_t)addr;
	p->r[p->n++].iov_len = len;
}

/* Add @n bytes of iobuf, spread over the program's buffers. */
static void put_data(struct put *p, struct sock *s, const struct iovec *iov,
		     int iovcnt, size_t n)
{
	size_t left = n, k;
	uint8_t *at = s->ns->iobuf;
	int i;

	for (i = 0; i < iovcnt && p->n < PUT_MAX && left; i++) {
		k = iov[i].iov_len < left ? iov[i].iov_len : left;
		put_add(p, at, (uint64_t)(uintptr_t)iov[i].iov_base, k);
		at += k;
		left -= k;
	}
}

/*
 * The sender's address as the program sees it: a link-local IPv6 source
 * carries the device it came in on as sin6_scope_id, as Linux's
 * ipv6_iface_scope_id() gives it.
 */
static size_t sender_sa(struct sock *s, const ip_addr_t *src, uint16_t sport,
			const struct dgram_meta *m, struct sockaddr_storage *ss)
{
	size_t n;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	if (s->family == AF_PACKET)
		return ns__pk_name(m, ss);
	n = ns__addr_to_sa(s, src, sport, ss);

	if (m && ss->ss_family == AF_INET6 &&
	    (IN6_IS_ADDR_LINKLOCAL(&sin6->sin6_addr) ||
	     IN6_IS_ADDR_MC_LINKLOCAL(&sin6->sin6_addr)))
		sin6->sin6_scope_id = m->ifindex;
	return n;
}

/*
 * Add name, flags (and write control messages) of a recvmsg().  @mh and
 * @ss are the caller's, written by the one writev that follows.
 */
static int put_msg(struct put *p, struct sock *s, struct trc_call *c,
		   uint64_t msg, struct msghdr *mh, struct sockaddr_storage *ss,
		   const struct dgram_meta *m, const ip_addr_t *src,
		   uint16_t sport, bool trunc)
{
	struct ns_cmsgs cm = { 0 };
	size_t n;

	if (trc_mem_read(c, msg, mh, sizeof(*mh)))
		return -EFAULT;
	if (mh->msg_name) {
		n = sender_sa(s, src, sport, m, ss);
		put_add(p, ss, (uint64_t)(uintptr_t)mh->msg_name,
			mh->msg_namelen < n ? mh->msg_namelen : n);
		mh->msg_namelen = (socklen_t)n;
	} else {
		mh->msg_namelen = 0;
	}
	mh->msg_flags = trunc ? MSG_TRUNC : 0;
	ns__cmsg_recv(&cm, s, m ? &m->ts : NULL, m ? m->ttl : 64, m ? m->tos : -1,
		      m ? &m->dst : NULL, m ? m->ifindex : 0);
	if (s->family == AF_PACKET)
		ns__pk_cmsgs(&cm, s, m);
	if (ns__cmsg_write(c, &cm, mh))	/* nothing written when none */
		return -EFAULT;
	put_add(p, mh, msg, sizeof(*mh));
	return 0;
}

/* Add address and length of a recvfrom(), as ns__addr_put() writes them. */
static int put_from(struct put *p, struct sock *s, struct trc_call *c,
		    uint64_t addr, uint64_t lenp, uint32_t *ulen,
		    struct sockaddr_storage *ss, const struct dgram_meta *m,
		    const ip_addr_t *src, uint16_t sport)
{
	int32_t len;
	size_t n;

	if (!addr)
		return 0;
	if (trc_mem_read(c, lenp, &len, sizeof(len)))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	n = sender_sa(s, src, sport, m, ss);
	put_add(p, ss, addr, (size_t)len < n ? (size_t)len : n);
	*ulen = (uint32_t)n;
	put_add(p, ulen, lenp, sizeof(*ulen));
	return 0;
}

/* Data, then name and msghdr or length, in one process_vm_writev(). */
static int put_reply(struct sock *s, struct trc_call *c,
		     const struct iovec *iov, int iovcnt, size_t copy,
		     uint64_t addr, uint64_t lenp, uint64_t msg,
		     const struct dgram_meta *m, const ip_addr_t *src,
		     uint16_t sport, bool trunc)
{
	struct sockaddr_storage ss;
	struct msghdr mh;
	struct put p;
	uint32_t ulen;
	int ret = 0;

	/* The data first, as the kernel copies it first; nothing is written
	 * before the writev below but control messages, so the msghdr read
	 * in put_msg() is still remembered from ns__read_msghdr(). */
	p.n = 0;
	put_data(&p, s, iov, iovcnt, copy);
	if (msg)
		ret = put_msg(&p, s, c, msg, &mh, &ss, m, src, sport, trunc);
	else if (addr)
		ret = put_from(&p, s, c, addr, lenp, &ulen, &ss, m, src, sport);
	if (ret)
		return ret;
	return trc_mem_writev(c, p.l, p.n, p.r, p.n) ? -EFAULT : 0;
}

/* Nothing to read: EAGAIN, or park the call. */
static int64_t wait_recv(struct sock *s, struct trc_call *c, int fd, int flags)
{
	int nb = ns__sock_nonblock(s, c, fd, flags, MSG_DONTWAIT, false);

	if (nb < 0)
		return nb;
	if (nb)
		return -EAGAIN;
	return ns__park(s, c, W_RECV, fd);
}

/**
 * ns__udp_recv() - receive one datagram with its address for the program
 * @s:		the socket (UDP, ping or raw)
 * @c:		the call
 * @fd:		the program's fd
 * @iov:	the program's buffers (tracee addresses)
 * @iovcnt:	their number
 * @addr:	program's sockaddr buffer or 0
 * @lenp:	program's socklen_t pointer (recvfrom), or 0
 * @msg:	program's msghdr (recvmsg), or 0
 * @flags:	MSG_PEEK, MSG_TRUNC, MSG_DONTWAIT
 *
 * A pending ICMP error comes first, as Linux's sock_error(); an error
 * marker at the head of the queue returns the oldest queued error.
 *
 * Return: bytes received, NS_PARKED, or a negative errno
 */
int64_t ns__udp_recv(struct sock *s, struct trc_call *c, int fd,
		     const struct iovec *iov, int iovcnt, uint64_t addr,
		     uint64_t lenp, uint64_t msg, int flags)
{
	struct dgram_meta *m;
	ip_addr_t src;
	uint16_t sport = 0;
	size_t total = 0, n, copy;
	ssize_t got;
	int i, ret, err, refilled = 0;

	if (ns__icmp_take_error(s, &err))
		return -err;
	for (;;) {
		got = pull(s, c, fd, flags);
		if ((got == -EAGAIN || got == -EWOULDBLOCK) &&
		    s->family == AF_NETLINK && !refilled++) {
			ret = ns__nl_refill(s);
			if (ret < 0)
				return ret;
			if (ret)
				continue;
		}
		if (got == -EAGAIN || got == -EWOULDBLOCK)
			return wait_recv(s, c, fd, flags);
		if (got < 0)
			return got;
		n = (size_t)got > NS_IOBUF ? NS_IOBUF : (size_t)got;
		m = meta_find(s, (size_t)got, hash(s->ns->iobuf, n), flags & MSG_PEEK);
		if (!m || !m->marker)
			break;
		if (flags & MSG_PEEK)
			pull(s, c, fd, 0);	/* drop the marker for good */
		meta_free_head(s, m, flags & MSG_PEEK);
		if (s->eq_head)
			return ns__icmp_errqueue_recv(s, c, iov, iovcnt, msg,
						      flags | MSG_ERRQUEUE);
	}
	ip_addr_set_zero(&src);
	if (m) {
		ip_addr_copy(src, m->src);
		sport = m->sport;
	}
	for (i = 0; i < iovcnt; i++)
		total += iov[i].iov_len;
	copy = n < total ? n : total;
	ret = put_reply(s, c, iov, iovcnt, copy, addr, lenp, msg, m, &src, sport,
			(size_t)got > total);
	if (m && !(flags & MSG_PEEK))
		free(m);
	if (ret)
		return ret;
	return (flags & MSG_TRUNC) ? got : (int64_t)copy;
}

/**
 * ns__udp_names() - local or peer address of a UDP socket
 * @s:		the socket
 * @peer:	the peer's, not the local one
 * @ip:		set to the address
 * @port:	set to the port
 *
 * Return: (void)
 */
void ns__udp_names(struct sock *s, bool peer, ip_addr_t *ip, uint16_t *port)
{
	struct udp_pcb *u = s->pcb.udp;

	if (peer) {
		ip_addr_copy(*ip, u->remote_ip);
		*port = (u->flags & UDP_FLAGS_CONNECTED) ? u->remote_port : 0;
	} else {
		ip_addr_copy(*ip, u->local_ip);
		*port = u->local_port;
	}
}

/**
 * ns__dgram_drop_marker() - take an error marker off the program's end
 * @s:		the socket, whose oldest error was just read with MSG_ERRQUEUE
 * @c:		that call
 * @fd:		the program's fd
 *
 * Only a marker at the head can go; one behind data is skipped when a
 * trapped receive meets it with the error queue empty.
 */
void ns__dgram_drop_marker(struct sock *s, struct trc_call *c, int fd)
{
	if (!s->mq_head || !s->mq_head->marker)
		return;
	if (pull(s, c, fd, MSG_PEEK) != 0)
		return;
	pull(s, c, fd, 0);
	meta_free_head(s, s->mq_head, true);
}

/**
 * ns__dgram_flush() - free a datagram socket's queued addresses and errors
 * @s:		the socket
 */
void ns__dgram_flush(struct sock *s)
{
	struct dgram_meta *m;

	ns__icmp_flush(s);
	while ((m = s->mq_head)) {
		s->mq_head = m->next;
		free(m);
	}
	s->mq_tail = NULL;
	s->mq_len = 0;
}

/**
 * ns__udp_close() - remove the pcb and the queued addresses
 * @s:		the socket
 */
void ns__udp_close(struct sock *s)
{
	if (s->pcb.udp) {
		udp_remove(s->pcb.udp);
		ns__icmp_unuse(s->ns);
	}
	s->pcb.udp = NULL;
	ns__dgram_flush(s);
}
