/* SPDX-License-Identifier: MIT */
/*
 * host.c - the `host` device (the uplink): what the sandbox routes out of
 * it leaves through ordinary host sockets of the supervisor, NAT as
 * slirp4netns does it.
 *
 * netstack/ creates it (net_uplink_add(), `link add NAME type host`,
 * --uplink).  The netif has no ARP and no ND: lwIP hands its output
 * functions bare IPv4 and IPv6 packets (the pcap tap gets them with the
 * all-zero Ethernet header of bare IP), and what comes back is built here
 * into bare IP packets for lwIP's input.  Nothing here knows of routes,
 * of the sandbox's sockets, or of the allow/deny list: the caller's
 * @allowed answers for each destination.
 *
 * Theory of operation.  A packet lwIP sends out of the device is parsed
 * (malformed ones and IP fragments are dropped and counted) and then:
 *  - UDP: the flow of its inner source (address and port) gets a host UDP
 *    socket of the destination's family, made on the first datagram; the
 *    payload is sent with sendto() to the destination, which the flow
 *    remembers (up to FLOW_DESTS, oldest forgotten).  Datagrams the socket
 *    receives from a remembered destination are built into IP/UDP
 *    packets from that destination to the inner source; others are
 *    dropped.  IP_RECVERR/IPV6_RECVERR queue the ICMP errors the host
 *    receives for the flow (MSG_ERRQUEUE): each becomes the same ICMP
 *    error into the sandbox, quoting the inner datagram's headers, so a
 *    closed port gives the program's socket ECONNREFUSED (netstack/icmp.c).
 *  - ICMP and ICMPv6 echo requests: the flow of the inner source and
 *    identifier gets a host ICMP datagram socket (the kernel's "ping
 *    socket", which picks its own identifier); replies from a remembered
 *    destination are given back the inner identifier.  The host allows
 *    those sockets to the groups in net.ipv4.ping_group_range only: when
 *    socket() is refused (EACCES, EPERM), one warning names the sysctl and
 *    each request is answered as a denied destination is.
 *  - A destination @allowed refuses is answered as a prohibit route
 *    would be: ICMP destination unreachable, communication
 *    administratively prohibited (IPv4 type 3 code 13, IPv6 type 1 code
 *    1), which a UDP socket reads as EHOSTUNREACH (IPv4) or EACCES (IPv6).
 *    @dns, when set, allows UDP to port 53 of the host's loopback
 *    resolvers that @allowed would refuse.
 *  - TCP: the sandbox's own connections to the host never come here
 *    (netstack gives them host sockets directly), nor does TCP forwarded
 *    from other sandboxes to an allowed destination (netstack/tcpfwd.c
 *    terminates it and relays it over a host socket of its own, counting
 *    it here through vdev_host_tcp_note(), and has its ICMP answers
 *    queued here by vdev_host_unreach()).  TCP that arrives anyway is
 *    refused as a denied destination is, and counted.
 *  - Anything else (other ICMP, other protocols, multicast and broadcast
 *    destinations) is dropped and counted.
 * Answers to lwIP's own output (the ICMP errors above) are queued and fed
 * to lwIP's input on the next turn of the loop by an idle handle that
 * runs only while the queue is not empty: lwIP (NO_SYS) is never
 * re-entered.  Host sockets are read on their own poll events.
 *
 * Flows end after FLOW_IDLE_UDP_MS (UDP) or FLOW_IDLE_ECHO_MS (echo)
 * without traffic either way, checked by a timer that runs only while
 * flows exist.  At most FLOWS_MAX flows live at once; past that new ones
 * are dropped and counted.  Everything is closed by vdev_free().
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/errqueue.h>

#include "lwip/ip.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"

#include "internal.h"
#include "log.h"

#define HOST_MTU		65520
#define FLOWS_MAX		1024
#define FLOW_DESTS		16
#define FLOW_IDLE_UDP_MS	(120 * 1000)	/* Linux conntrack: 120 s */
#define FLOW_IDLE_ECHO_MS	(30 * 1000)	/* nf_conntrack_icmp: 30 s */
#define AGE_TICK_MS		(10 * 1000)
#define INJECT_MAX		256		/* queued answers */
#define RX_BUDGET		64		/* datagrams per poll event */
#define PKT_MAX			65535
#define QUOTE4_MAX		548		/* RFC 1812: up to 576 in all */
#define QUOTE6_MAX		1232		/* RFC 4443: up to 1280 */

#define P_ICMP		1
#define P_TCP		6
#define P_UDP		17
#define P_ICMP6		58


struct host;

/**
 * struct dest - a destination a flow sent to
 * @addr:	its address on the host
 * @port:	its port (UDP), network order; 0 for echo
 * @inner:	its address in the sandbox (the gateway for the host's
 *		loopback), which answers come from
 */
struct dest {
	uint8_t addr[16];
	uint16_t port;
	uint8_t inner[16];	/* @addr as the sandbox named it */
};

/**
 * struct flow - one inner source and its host socket
 * @next:	the device's list
 * @h:		the device
 * @poll:	readable events of @fd
 * @fd:		the host socket
 * @v6:		family
 * @echo:	an ICMP echo flow (else UDP)
 * @src:	inner source address
 * @port:	inner source port, or echo identifier, network order
 * @dest:	destinations it sent to, a ring
 * @n_dest:	how many are valid
 * @next_dest:	where the next goes
 * @last:	uv_now() of the last packet either way
 * @pinned:	a published port's flow (vdev_host_publish_udp()): its
 *		socket is the host's listening one, datagrams from anyone
 *		are let in, and it never expires
 */
struct flow {
	struct flow *next;
	struct host *h;
	uv_poll_t poll;
	int fd;
	bool v6, echo;
	uint8_t src[16];
	uint16_t port;
	struct dest dest[FLOW_DESTS];
	unsigned int n_dest, next_dest;
	uint64_t last;
	bool pinned;
};

/**
 * struct host - a host device
 * @dev:	the common part, first
 * @inject:	runs while answers wait in the queue
 * @age:	expires idle flows; runs while there are any
 * @q_head:	queued answers, single PBUF_RAM pbufs chained by ->next
 * @q_tail:	newest
 * @q_len:	how many
 * @flows:	the flows
 * @n_udp:	UDP flows
 * @n_echo:	echo flows
 * @handles:	open libuv handles (both above, one per flow)
 * @dying:	vdev_free() ran: the last close callback frees the device
 * @mtu0:	the MTU to start with
 * @o:		the caller's options (@allowed and @dns)
 * @ping_warned: the ping_group_range warning was given
 * @denied:	packets refused for their destination
 * @tcp:	TCP refused: packets that reached the device, forwarded
 *		connections netstack could not carry
 * @tcp_live:	forwarded TCP connections netstack carries (tcpfwd.c)
 * @other:	other protocols and ICMP types, dropped
 * @bad:	malformed or fragmented packets, dropped
 * @out:	one outgoing packet made contiguous
 * @in:		one received datagram, with room for the headers before it
 */
struct host {
	struct vdev dev;
	uv_idle_t inject;
	uv_timer_t age;
	struct pbuf *q_head, *q_tail;
	unsigned int q_len;
	struct flow *flows;
	unsigned int n_udp, n_echo;
	unsigned int handles;
	bool dying;
	unsigned int mtu0;
	struct vdev_host_opts o;
	bool ping_warned;
	uint64_t denied, tcp, other, bad;
	unsigned int tcp_live;
	uint8_t out[PKT_MAX];
	uint8_t in[PKT_MAX + 64];
};

/* ---- packets ---- */

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* One's complement sum of @len bytes, added to @sum (not folded) */
static uint32_t sum16(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The pseudo-header sum of RFC 768 (IPv4) or RFC 8200 8.1 (IPv6) */
static uint32_t pseudo(bool v6, const uint8_t *src, const uint8_t *dst,
		       uint8_t proto, size_t len)
{
	size_t alen = v6 ? 16 : 4;
	uint32_t sum = 0;

	sum = sum16(sum, src, alen);
	sum = sum16(sum, dst, alen);
	return sum + proto + (uint32_t)(len & 0xffff) + (uint32_t)(len >> 16);
}

/**
 * vdev__host_parse() - check an IP packet and find its parts
 * @buf:	the packet
 * @len:	its length
 * @k:		filled in
 *
 * IPv4 options are skipped; IPv6 extension headers, fragments of either
 * family and lengths that do not add up are refused.
 *
 * Return: 0, or -EINVAL for a packet host.c does not relay
 */
int vdev__host_parse(const uint8_t *buf, size_t len, struct vdev__pkt *k)
{
	size_t hl, tot;

	memset(k, 0, sizeof(*k));
	if (len < 20)
		return -EINVAL;
	k->ip = buf;
	if ((buf[0] >> 4) == 4) {
		hl = (size_t)(buf[0] & 15) * 4;
		tot = get16(buf + 2);
		if (hl < 20 || tot < hl || tot > len)
			return -EINVAL;
		if (get16(buf + 6) & 0x3fff)	/* MF or an offset */
			return -EINVAL;
		k->proto = buf[9];
		memcpy(k->src, buf + 12, 4);
		memcpy(k->dst, buf + 16, 4);
	} else if ((buf[0] >> 4) == 6) {
		if (len < 40)
			return -EINVAL;
		hl = 40;
		tot = 40 + (size_t)get16(buf + 4);
		if (tot > len)
			return -EINVAL;
		k->v6 = true;
		k->proto = buf[6];
		memcpy(k->src, buf + 8, 16);
		memcpy(k->dst, buf + 24, 16);
	} else {
		return -EINVAL;
	}
	k->iplen = tot;
	k->l4 = buf + hl;
	k->l4len = tot - hl;
	if (k->proto == P_UDP && (k->l4len < 8 || get16(k->l4 + 4) < 8 ||
				  get16(k->l4 + 4) > k->l4len))
		return -EINVAL;
	if ((k->proto == P_ICMP || k->proto == P_ICMP6) && k->l4len < 8)
		return -EINVAL;
	return 0;
}

/* Write an IP header for @l4len bytes of @proto; return its length */
static size_t put_ip(uint8_t *b, bool v6, const uint8_t *src,
		     const uint8_t *dst, uint8_t proto, size_t l4len)
{
	if (v6) {
		memset(b, 0, 40);
		b[0] = 0x60;
		put16(b + 4, (uint16_t)l4len);
		b[6] = proto;
		b[7] = 64;
		memcpy(b + 8, src, 16);
		memcpy(b + 24, dst, 16);
		return 40;
	}
	memset(b, 0, 20);
	b[0] = 0x45;
	put16(b + 2, (uint16_t)(20 + l4len));
	b[6] = 0x40;		/* DF */
	b[8] = 64;
	b[9] = proto;
	memcpy(b + 12, src, 4);
	memcpy(b + 16, dst, 4);
	put16(b + 10, fold(sum16(0, b, 20)));
	return 20;
}

/**
 * vdev__host_build_udp() - an IP/UDP packet with its checksums
 * @b:		where, room for 48 + @len bytes
 * @v6:		IPv6
 * @src:	source address
 * @sport:	source port, network order
 * @dst:	destination address
 * @dport:	destination port, network order
 * @data:	payload, may be @b + 48 (moved into place)
 * @len:	its length
 *
 * Return: the packet's length, or 0 when it would not fit 65535 bytes
 */
size_t vdev__host_build_udp(uint8_t *b, bool v6, const uint8_t *src,
			    uint16_t sport, const uint8_t *dst, uint16_t dport,
			    const void *data, size_t len)
{
	size_t hl = v6 ? 40 : 20, ul = 8 + len;
	uint8_t *u = b + hl;
	uint16_t c;

	if (hl + ul > PKT_MAX)
		return 0;
	memmove(u + 8, data, len);
	memcpy(u, &sport, 2);
	memcpy(u + 2, &dport, 2);
	put16(u + 4, (uint16_t)ul);
	put16(u + 6, 0);
	put_ip(b, v6, src, dst, P_UDP, ul);
	c = fold(sum16(pseudo(v6, src, dst, P_UDP, ul), u, ul));
	put16(u + 6, c ? c : 0xffff);	/* RFC 768: 0 means none */
	return hl + ul;
}

/**
 * vdev__host_build_icmp() - an ICMP or ICMPv6 packet with its checksums
 * @b:		where, room for 48 + @len bytes
 * @v6:		ICMPv6 in IPv6
 * @src:	source address
 * @dst:	destination address
 * @hdr:	the message's first 8 bytes (type, code, checksum ignored, ...)
 * @data:	what follows, may overlap @b + 48
 * @len:	its length
 *
 * Return: the packet's length, or 0 when it would not fit 65535 bytes
 */
size_t vdev__host_build_icmp(uint8_t *b, bool v6, const uint8_t *src,
			const uint8_t *dst, const uint8_t *hdr,
			const void *data, size_t len)
{
	size_t hl = v6 ? 40 : 20, il = 8 + len;
	uint8_t *m = b + hl;
	uint32_t sum;

	if (hl + il > PKT_MAX)
		return 0;
	memmove(m + 8, data, len);
	memcpy(m, hdr, 8);
	put16(m + 2, 0);
	put_ip(b, v6, src, dst, v6 ? P_ICMP6 : P_ICMP, il);
	sum = v6 ? pseudo(true, src, dst, P_ICMP6, il) : 0;
	put16(m + 2, fold(sum16(sum, m, il)));
	return hl + il;
}

/* ---- into lwIP ---- */

/*
 * A built packet as lwIP's input takes it.  PBUF_LINK leaves room in front
 * for a link header: a packet for another sandbox is forwarded out of an
 * Ethernet device, whose output prepends its header in place and dropped
 * packets without that room (an answer from the host to a sandbox routed
 * through this one never arrived).
 */
static struct pbuf *to_pbuf(const uint8_t *b, size_t len)
{
	struct pbuf *p = pbuf_alloc(PBUF_LINK, (u16_t)len, PBUF_RAM);

	if (p)
		pbuf_take(p, b, (u16_t)len);
	return p;
}

/* Feed a built packet to lwIP now: only from the loop, never from output */
static void input_now(struct host *h, const uint8_t *b, size_t len)
{
	struct netif *n = &h->dev.netif;
	struct pbuf *p;

	if (!len || !netif_is_up(n) || !(p = to_pbuf(b, len))) {
		h->dev.cnt.drops++;
		return;
	}
	h->dev.cnt.rx_packets++;
	h->dev.cnt.rx_bytes += len;
	vdev__tap(&h->dev, p, false);
	if (n->input(p, n) != ERR_OK)
		pbuf_free(p);
}

static void on_inject(uv_idle_t *i)
{
	struct host *h = i->data;
	unsigned int budget = h->q_len;

	while (h->q_head && budget--) {
		struct pbuf *p = h->q_head;
		struct netif *n = &h->dev.netif;

		h->q_head = p->next;
		if (!h->q_head)
			h->q_tail = NULL;
		p->next = NULL;
		h->q_len--;
		if (!netif_is_up(n)) {
			pbuf_free(p);
			continue;
		}
		h->dev.cnt.rx_packets++;
		h->dev.cnt.rx_bytes += p->tot_len;
		vdev__tap(&h->dev, p, false);
		if (n->input(p, n) != ERR_OK)
			pbuf_free(p);
	}
	if (!h->q_head)
		uv_idle_stop(&h->inject);
}

/* Queue a built packet for lwIP's input on the next turn */
static void input_later(struct host *h, const uint8_t *b, size_t len)
{
	struct pbuf *p;

	if (!len || h->q_len >= INJECT_MAX || !(p = to_pbuf(b, len))) {
		h->dev.cnt.drops++;
		return;
	}
	p->next = NULL;
	if (h->q_tail)
		h->q_tail->next = p;
	else
		h->q_head = p;
	h->q_tail = p;
	if (!h->q_len++)
		uv_idle_start(&h->inject, on_inject);
}

/**
 * vdev__host_prohibit() - the ICMP error a prohibit route gives for a packet
 * @b:		where, room for 48 + QUOTE6_MAX bytes
 * @k:		the packet, parsed
 *
 * From the packet's destination to its source, quoting its head.
 *
 * Return: the answer's length
 */
size_t vdev__host_prohibit(uint8_t *b, const struct vdev__pkt *k)
{
	uint8_t hdr[8] = { 0 };
	size_t q = k->iplen;

	if (k->v6) {
		hdr[0] = 1;	/* ICMP6_DST_UNREACH */
		hdr[1] = 1;	/* ICMP6_DST_UNREACH_ADMIN */
		if (q > QUOTE6_MAX)
			q = QUOTE6_MAX;
	} else {
		hdr[0] = 3;	/* ICMP_DEST_UNREACH */
		hdr[1] = 13;	/* ICMP_PKT_FILTERED */
		if (q > QUOTE4_MAX)
			q = QUOTE4_MAX;
	}
	return vdev__host_build_icmp(b, k->v6, k->dst, k->src, hdr, k->ip, q);
}

static void refuse(struct host *h, const struct vdev__pkt *k)
{
	uint8_t b[48 + QUOTE6_MAX + 8];

	input_later(h, b, vdev__host_prohibit(b, k));
}

/* ---- flows ---- */

static void flow_closed(uv_handle_t *hd)
{
	struct flow *f = hd->data;
	struct host *h = f->h;

	free(f);
	if (!--h->handles && h->dying)
		free(h);
}

static void flow_end(struct flow *f)
{
	struct host *h = f->h;
	struct flow **pp;

	for (pp = &h->flows; *pp != f; pp = &(*pp)->next)
		;
	*pp = f->next;
	if (f->echo)
		h->n_echo--;
	else
		h->n_udp--;
	uv_close((uv_handle_t *)&f->poll, flow_closed);
	close(f->fd);
	f->fd = -1;
	if (!h->flows)
		uv_timer_stop(&h->age);
}

static void on_age(uv_timer_t *t)
{
	struct host *h = t->data;
	uint64_t now = uv_now(h->dev.loop);
	struct flow *f, *next;

	for (f = h->flows; f; f = next) {
		uint64_t idle = f->echo ? FLOW_IDLE_ECHO_MS : FLOW_IDLE_UDP_MS;

		next = f->next;
		if (!f->pinned && now - f->last >= idle)
			flow_end(f);
	}
}

static struct flow *flow_find(struct host *h, const struct vdev__pkt *k,
			      bool echo, uint16_t port)
{
	struct flow *f;

	for (f = h->flows; f; f = f->next)
		if (f->echo == echo && f->v6 == k->v6 && f->port == port &&
		    !memcmp(f->src, k->src, k->v6 ? 16 : 4))
			return f;
	return NULL;
}

static const struct dest *dest_find(const struct flow *f, const uint8_t *addr,
				    uint16_t port)
{
	unsigned int i;

	for (i = 0; i < f->n_dest; i++)
		if (f->dest[i].port == port &&
		    !memcmp(f->dest[i].addr, addr, f->v6 ? 16 : 4))
			return &f->dest[i];
	return NULL;
}

static const struct dest *dest_note(struct flow *f, const uint8_t *addr,
				     uint16_t port, const uint8_t *inner)
{
	struct dest *d = (struct dest *)dest_find(f, addr, port);

	if (d) {
		memcpy(d->inner, inner, f->v6 ? 16 : 4);
		return d;
	}
	d = &f->dest[f->next_dest];
	f->next_dest = (f->next_dest + 1) % FLOW_DESTS;
	if (f->n_dest < FLOW_DESTS)
		f->n_dest++;
	memset(d, 0, sizeof(*d));
	memcpy(d->addr, addr, f->v6 ? 16 : 4);
	memcpy(d->inner, inner, f->v6 ? 16 : 4);
	d->port = port;
	return d;
}

static void to_sa(bool v6, const uint8_t *addr, uint16_t port,
		  struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if (v6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = port;
		memcpy(&s6->sin6_addr, addr, 16);
		*len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = port;
		memcpy(&s4->sin_addr, addr, 4);
		*len = sizeof(*s4);
	}
}

/* Address and port of @ss if it is of @v6's family */
static bool from_sa(bool v6, const struct sockaddr_storage *ss, uint8_t *addr,
		    uint16_t *port)
{
	if (v6 && ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)ss;

		memcpy(addr, &s6->sin6_addr, 16);
		*port = s6->sin6_port;
		return true;
	}
	if (!v6 && ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)ss;

		memcpy(addr, &s4->sin_addr, 4);
		*port = s4->sin_port;
		return true;
	}
	return false;
}

/*
 * The inner packet an error from the host quotes: the IP header and the
 * first 8 bytes of what the flow sent to @dst, rebuilt from the flow
 * (the host's copy carries the host socket's port or identifier).
 */
/*
 * The uplink's gateway (opts gw4/gw6: 10.0.2.2, fd00::2) stands for the
 * host's loopback, as slirp4netns's 10.0.2.2 does: what the sandbox sends
 * to it goes to 127.0.0.1 or ::1 (and is judged as that), and what comes
 * from the host's loopback comes from it.
 */
static bool to_host(const struct host *h, bool v6, uint8_t *a)
{
	static const uint8_t lo6[16] = { [15] = 1 };

	if (!v6 && h->o.has_gw4 && !memcmp(a, h->o.gw4, 4)) {
		a[0] = 127, a[1] = 0, a[2] = 0, a[3] = 1;
		return true;
	}
	if (v6 && h->o.has_gw6 && !memcmp(a, h->o.gw6, 16)) {
		memcpy(a, lo6, 16);
		return true;
	}
	return false;
}

static void from_host(const struct host *h, bool v6, uint8_t *a)
{
	static const uint8_t lo6[16] = { [15] = 1 };

	static const uint8_t lo4[4] = { 127, 0, 0, 1 };

	if (!v6 && h->o.has_gw4 && !memcmp(a, lo4, 4))
		memcpy(a, h->o.gw4, 4);
	else if (v6 && h->o.has_gw6 && !memcmp(a, lo6, 16))
		memcpy(a, h->o.gw6, 16);
}

static size_t quote(const struct flow *f, const uint8_t *dst, uint16_t dport,
		    const uint8_t *sent, size_t sentlen, uint8_t *b)
{
	size_t hl = put_ip(b, f->v6, f->src, dst,
			   f->echo ? (f->v6 ? P_ICMP6 : P_ICMP) : P_UDP,
			   f->echo ? sentlen : 8 + sentlen);
	uint8_t *t = b + hl;

	memset(t, 0, 8);
	if (f->echo) {
		if (sentlen >= 8)
			memcpy(t, sent, 8);
		t[0] = f->v6 ? 128 : 8;		/* an echo request */
		t[1] = 0;
		memcpy(t + 4, &f->port, 2);
	} else {
		memcpy(t, &f->port, 2);
		memcpy(t + 2, &dport, 2);
		put16(t + 4, (uint16_t)(8 + sentlen));
	}
	return hl + 8;
}

/* One error from the socket's queue into the sandbox as ICMP */
static bool read_err(struct flow *f)
{
	struct host *h = f->h;
	uint8_t ctl[512], sent[64], q[128], dst[16], off[16];
	struct sockaddr_storage name;
	struct iovec iov = { .iov_base = sent, .iov_len = sizeof(sent) };
	struct msghdr m = { .msg_name = &name, .msg_namelen = sizeof(name),
			    .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct sock_extended_err *ee = NULL;
	uint8_t hdr[8] = { 0 };
	struct cmsghdr *c;
	uint16_t dport, oport;
	ssize_t n;
	size_t ql;

	n = recvmsg(f->fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT);
	if (n < 0)
		return false;
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
		if ((c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) ||
		    (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR))
			ee = (struct sock_extended_err *)CMSG_DATA(c);
	if (!ee || !from_sa(f->v6, &name, dst, &dport) ||
	    ee->ee_origin != (f->v6 ? SO_EE_ORIGIN_ICMP6 : SO_EE_ORIGIN_ICMP)) {
		h->dev.cnt.drops++;	/* local errors: nothing to say */
		return true;
	}
	if (!from_sa(f->v6, (struct sockaddr_storage *)SO_EE_OFFENDER(ee),
		     off, &oport))
		memcpy(off, dst, 16);
	{
		const struct dest *d = dest_find(f, dst, f->echo ? 0 : dport);

		if (d && !memcmp(off, dst, 16))
			memcpy(off, d->inner, 16);
		if (d)
			memcpy(dst, d->inner, 16);
	}
	hdr[0] = ee->ee_type;
	hdr[1] = ee->ee_code;
	if ((f->v6 && ee->ee_type == 2) || (!f->v6 && ee->ee_type == 3 &&
					   ee->ee_code == 4)) {
		uint32_t mtu = htonl(ee->ee_info);	/* too big, frag needed */

		if (f->v6)
			memcpy(hdr + 4, &mtu, 4);
		else
			put16(hdr + 6, (uint16_t)ee->ee_info);
	}
	ql = quote(f, dst, dport, sent, (size_t)n, q);
	input_now(h, h->in, vdev__host_build_icmp(h->in, f->v6, off, f->src,
						  hdr, q, ql));
	return true;
}

/* One datagram from the host socket into the sandbox */
static bool read_one(struct flow *f)
{
	struct host *h = f->h;
	size_t room = f->v6 ? 48 : 28, len;
	struct sockaddr_storage from;
	socklen_t flen = sizeof(from);
	uint8_t addr[16] = { 0 };
	const struct dest *d;
	uint16_t port;
	ssize_t n;

	n = recvfrom(f->fd, h->in + room, PKT_MAX - room, MSG_TRUNC | MSG_DONTWAIT,
		     (struct sockaddr *)&from, &flen);
	if (n < 0)
		return errno != EAGAIN && errno != EWOULDBLOCK;
	if ((size_t)n > PKT_MAX - room || !from_sa(f->v6, &from, addr, &port)) {
		h->dev.cnt.drops++;
		return true;
	}
	d = dest_find(f, addr, f->echo ? 0 : port);
	if (!d && f->pinned) {
		/* a new client of a published port: answers may go to it */
		uint8_t inner[16];

		memcpy(inner, addr, 16);
		from_host(h, f->v6, inner);
		d = dest_note(f, addr, port, inner);
	}
	if (!d) {
		h->dev.cnt.drops++;
		return true;
	}
	f->last = uv_now(h->dev.loop);
	memcpy(addr, d->inner, 16);
	if (f->echo) {
		uint8_t *m = h->in + room, hdr[8];

		/* A ping socket gives the ICMP message, without the IP header */
		if (n < 8 || m[0] != (f->v6 ? 129 : 0)) {
			h->dev.cnt.drops++;
			return true;
		}
		memcpy(hdr, m, 8);
		memcpy(hdr + 4, &f->port, 2);
		len = vdev__host_build_icmp(h->in, f->v6, addr, f->src, hdr, m + 8,
				       (size_t)n - 8);
	} else {
		len = vdev__host_build_udp(h->in, f->v6, addr, port, f->src, f->port,
				      h->in + room, (size_t)n);
	}
	input_now(h, h->in, len);
	return true;
}

static void on_readable(uv_poll_t *p, int status, int events)
{
	struct flow *f = p->data;
	unsigned int i;

	(void)events;
	/* libuv stops a poll handle that saw POLLERR (status UV_EBADF): that
	 * is the error queue; read it and watch again. */
	for (i = 0; i < RX_BUDGET && read_err(f); i++)
		;
	for (i = 0; i < RX_BUDGET && read_one(f); i++)
		;
	if (status < 0)
		uv_poll_start(&f->poll, UV_READABLE, on_readable);
}

static int open_sock(bool v6, bool echo)
{
	int fd, on = 1;

	fd = socket(v6 ? AF_INET6 : AF_INET,
		    SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    echo ? (v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP) : IPPROTO_UDP);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, v6 ? SOL_IPV6 : SOL_IP, v6 ? IPV6_RECVERR : IP_RECVERR,
		       &on, sizeof(on)) < 0) {
		close(fd);
		return -errno;
	}
	return fd;
}

static struct flow *flow_new(struct host *h, const struct vdev__pkt *k,
			     bool echo, uint16_t port, int *ret)
{
	struct flow *f;
	int fd;

	if (h->n_udp + h->n_echo >= FLOWS_MAX) {
		*ret = -ENOBUFS;
		return NULL;
	}
	fd = open_sock(k->v6, echo);
	if (fd < 0) {
		*ret = fd;
		return NULL;
	}
	f = calloc(1, sizeof(*f));
	if (!f || uv_poll_init(h->dev.loop, &f->poll, fd) < 0) {
		free(f);
		close(fd);
		*ret = -ENOMEM;
		return NULL;
	}
	f->h = h;
	f->fd = fd;
	f->v6 = k->v6;
	f->echo = echo;
	f->port = port;
	memcpy(f->src, k->src, 16);
	f->poll.data = f;
	h->handles++;
	uv_poll_start(&f->poll, UV_READABLE, on_readable);
	f->next = h->flows;
	h->flows = f;
	if (echo)
		h->n_echo++;
	else
		h->n_udp++;
	if (!uv_is_active((uv_handle_t *)&h->age))
		uv_timer_start(&h->age, on_age, AGE_TICK_MS, AGE_TICK_MS);
	return f;
}

/*
 * sendto() once more when the first call only returned the socket's
 * pending error: with IP_RECVERR an ICMP error the host received (for an
 * earlier datagram of the flow, perhaps to another destination) is also
 * the socket's sk_err, which the next send consumes and fails with, as
 * Linux's sock_error().  The error itself stays queued for read_err().
 */
static ssize_t send_to(int fd, const void *data, size_t len,
		       const struct sockaddr_storage *ss, socklen_t sl)
{
	ssize_t n;
	int i;

	for (i = 0; i < 2; i++) {
		n = sendto(fd, data, len, MSG_DONTWAIT,
			   (const struct sockaddr *)ss, sl);
		if (n >= 0 || (errno != ECONNREFUSED && errno != EHOSTUNREACH &&
			       errno != ENETUNREACH && errno != EHOSTDOWN &&
			       errno != ENOPROTOOPT && errno != EPROTO))
			break;
	}
	return n;
}

/* Send what the packet carries from the flow's socket */
static void flow_send(struct host *h, struct flow *f, const struct vdev__pkt *k,
		      uint16_t dport, const void *data, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl;

	dest_note(f, k->hdst, dport, k->dst);
	f->last = uv_now(h->dev.loop);
	to_sa(k->v6, k->hdst, dport, &ss, &sl);
	if (send_to(f->fd, data, len, &ss, sl) < 0) {
		/* EAGAIN: a full send buffer drops, as a full device queue;
		 * errors of the host's own routing (ENETUNREACH and the
		 * like) are drops too, counted. */
		h->dev.cnt.drops++;
		return;
	}
	h->dev.cnt.tx_packets++;
	h->dev.cnt.tx_bytes += k->iplen;
}

static void relay_udp(struct host *h, const struct vdev__pkt *k)
{
	uint16_t sport, dport;
	struct flow *f;
	int ret = 0;

	memcpy(&sport, k->l4, 2);
	memcpy(&dport, k->l4 + 2, 2);
	if (!dport) {
		h->bad++;
		h->dev.cnt.drops++;
		return;
	}
	f = flow_find(h, k, false, sport);
	if (!f && !(f = flow_new(h, k, false, sport, &ret))) {
		debug("%s: udp flow: %s", h->dev.name, strerror(-ret));
		h->dev.cnt.drops++;
		return;
	}
	flow_send(h, f, k, dport, k->l4 + 8, get16(k->l4 + 4) - 8u);
}

static void relay_echo(struct host *h, const struct vdev__pkt *k)
{
	uint16_t id;
	struct flow *f;
	int ret = 0;

	memcpy(&id, k->l4 + 4, 2);
	f = flow_find(h, k, true, id);
	if (!f && !(f = flow_new(h, k, true, id, &ret))) {
		if (ret == -EACCES || ret == -EPERM) {
			if (!h->ping_warned)
				warn("%s: the host refuses ICMP echo sockets "
				     "(%s): ping through the uplink needs "
				     "net.ipv4.ping_group_range to include "
				     "gid %u; answering prohibited",
				     h->dev.name, strerror(-ret),
				     (unsigned int)getgid());
			h->ping_warned = true;
			h->denied++;
			refuse(h, k);
			return;
		}
		h->dev.cnt.drops++;
		return;
	}
	/* The kernel fills in the identifier and the checksum. */
	flow_send(h, f, k, 0, k->l4, k->l4len);
}

static bool is_multicast(const struct vdev__pkt *k)
{
	static const uint8_t bcast[4] = { 255, 255, 255, 255 };

	if (k->v6)
		return k->dst[0] == 0xff;
	return (k->dst[0] & 0xf0) == 0xe0 || !memcmp(k->dst, bcast, 4);
}

static bool allowed(const struct host *h, const struct vdev__pkt *k)
{
	uint8_t fam = k->v6 ? AF_INET6 : AF_INET;

	if (!h->o.allowed || h->o.allowed(h->o.arg, fam, k->hdst))
		return true;
	/* The host's loopback resolvers, for DNS only (netstack's choice) */
	return k->proto == P_UDP && get16(k->l4 + 2) == 53 && h->o.dns &&
	       h->o.dns(h->o.arg, fam, k->hdst);
}

/* What lwIP sends out: parse, check, relay or answer */
/* An answer of a published UDP port to a client that wrote to it: the
 * client chose to talk, so the ACL does not judge it (as with TCP). */
static bool published_reply(struct host *h, const struct vdev__pkt *k)
{
	uint16_t sport, dport;
	struct flow *f;

	if (k->proto != P_UDP)
		return false;
	memcpy(&sport, k->l4, 2);
	memcpy(&dport, k->l4 + 2, 2);
	f = flow_find(h, k, false, sport);
	return f && f->pinned && dest_find(f, k->hdst, dport);
}

static void relay(struct host *h, const uint8_t *b, size_t len)
{
	bool echo;
	struct vdev__pkt k;

	if (vdev__host_parse(b, len, &k) < 0) {
		h->bad++;
		h->dev.cnt.drops++;
		return;
	}
	memcpy(k.hdst, k.dst, sizeof(k.hdst));
	to_host(h, k.v6, k.hdst);
	echo = (k.proto == P_ICMP && k.l4[0] == 8 && !k.l4[1]) ||
	       (k.proto == P_ICMP6 && k.l4[0] == 128 && !k.l4[1]);
	if (k.proto != P_UDP && k.proto != P_TCP && !echo) {
		h->other++;	/* ICMP errors, MLD, other protocols */
		h->dev.cnt.drops++;
		return;
	}
	if (is_multicast(&k)) {
		/* No host socket joins the sandbox's groups, and RFC 1122
		 * 3.2.2 sends no ICMP error about a multicast datagram */
		h->other++;
		h->dev.cnt.drops++;
		return;
	}
	if (!allowed(h, &k) && !published_reply(h, &k)) {
		h->denied++;
		h->dev.cnt.drops++;
		refuse(h, &k);
		return;
	}
	if (k.proto == P_TCP) {
		/* allowed, yet not taken by netstack/tcpfwd.c (forwarding
		 * off, say): no socket here carries it */
		h->tcp++;
		h->dev.cnt.drops++;
		refuse(h, &k);
		return;
	}
	if (echo)
		relay_echo(h, &k);
	else
		relay_udp(h, &k);
}

static err_t host_out(struct netif *netif, struct pbuf *p)
{
	struct host *h = netif->state;
	u16_t len = p->tot_len;

	vdev__tap(&h->dev, p, true);
	if (pbuf_copy_partial(p, h->out, len, 0) != len) {
		h->dev.cnt.drops++;
		return ERR_OK;
	}
	relay(h, h->out, len);
	return ERR_OK;
}

static err_t host_output4(struct netif *netif, struct pbuf *p,
			  const ip4_addr_t *a)
{
	(void)a;
	return host_out(netif, p);
}

static err_t host_output6(struct netif *netif, struct pbuf *p,
			  const ip6_addr_t *a)
{
	(void)a;
	return host_out(netif, p);
}

/* ---- the device ---- */

static err_t host_netif_init(struct netif *netif)
{
	struct host *h = netif->state;

	netif->name[0] = 'h';
	netif->name[1] = 'o';
	netif->mtu = (u16_t)h->mtu0;
	netif->mtu6 = (u16_t)h->mtu0;
	/* No NETIF_FLAG_ETHARP: lwIP calls these two directly with bare
	 * IP packets, resolving no neighbour (ARP and ND live in
	 * etharp_output()/ethip6_output(), which the device does not use),
	 * so the gateways 10.0.2.2 and fd00::2 need not answer anything.
	 * No MLD6 or IGMP: nothing here joins groups. */
	netif->output = host_output4;
	netif->output_ip6 = host_output6;
	netif->flags = 0;
	return ERR_OK;
}

static void handle_closed(uv_handle_t *hd)
{
	struct host *h = hd->data;

	if (!--h->handles && h->dying)
		free(h);
}

/* vdev_ops.free: every flow, the queue, the idle and timer handles */
static void host_free(struct vdev *dev)
{
	struct host *h = (struct host *)dev;

	while (h->flows)
		flow_end(h->flows);
	while (h->q_head) {
		struct pbuf *p = h->q_head;

		h->q_head = p->next;
		p->next = NULL;
		pbuf_free(p);
	}
	h->q_tail = NULL;
	h->dying = true;
	uv_close((uv_handle_t *)&h->inject, handle_closed);
	uv_close((uv_handle_t *)&h->age, handle_closed);
}

/* vdev_ops.describe: "2 udp flows, 1 echo, ..." (`show links` puts the
 * kind, "host: ", in front) */
static void host_describe(const struct vdev *dev, char *buf, size_t len)
{
	const struct host *h = (const struct host *)dev;

	snprintf(buf, len, "%u udp flows, %u echo, %u tcp relayed, %llu denied, "
		 "%llu tcp refused, %llu other dropped, %llu bad",
		 h->n_udp, h->n_echo, h->tcp_live, (unsigned long long)h->denied,
		 (unsigned long long)h->tcp, (unsigned long long)h->other,
		 (unsigned long long)h->bad);
}

static const struct vdev_ops host_ops = {
	.kind = "host",
	.raw_ip = true,
	.free = host_free,
	.describe = host_describe,
};

/**
 * vdev_host_new() - create the uplink device and bring it up
 * @loop:	the loop its host sockets run on
 * @name:	interface name, 1..15 characters
 * @o:		MTU, and the destination checks
 * @err:	a one-line reason on failure
 * @errlen:	its size
 * @out:	set to the device
 *
 * The device has no address: netstack/ adds them.
 *
 * Return: 0, -EINVAL (bad name or MTU), -ENOMEM
 */
int vdev_host_new(uv_loop_t *loop, const char *name,
		  const struct vdev_host_opts *o, char *err, size_t errlen,
		  struct vdev **out)
{
	struct host *h;

	if (!loop || !o || !out)
		return vdev__fail(err, errlen, -EINVAL, "bad arguments");
	if (!vdev__name_ok(name))
		return vdev__fail(err, errlen, -EINVAL, "name '%s': 1 to %d characters",
			    name ? name : "", VDEV_NAME_MAX - 1);
	if (o->mtu && (o->mtu < VDEV_MTU_MIN || o->mtu > VDEV_MTU_MAX))
		return vdev__fail(err, errlen, -EINVAL, "mtu %u: not in %u..%u",
			    o->mtu, VDEV_MTU_MIN, VDEV_MTU_MAX);
	h = calloc(1, sizeof(*h));
	if (!h)
		return vdev__fail(err, errlen, -ENOMEM, "out of memory");
	vdev__init(&h->dev, &host_ops, loop, name);
	h->o = *o;
	h->mtu0 = o->mtu ? o->mtu : HOST_MTU;
	if (!netif_add(&h->dev.netif, NULL, NULL, NULL, h, host_netif_init,
		       ip_input)) {
		free(h);
		return vdev__fail(err, errlen, -ENOMEM, "out of memory");
	}
	uv_idle_init(loop, &h->inject);
	h->inject.data = h;
	uv_timer_init(loop, &h->age);
	h->age.data = h;
	h->handles = 2;
	netif_set_link_up(&h->dev.netif);
	netif_set_up(&h->dev.netif);
	*out = &h->dev;
	return 0;
}

/**
 * vdev_host_publish_udp() - a published UDP port: datagrams to a host
 * socket reach the sandbox's port, and its answers leave from that socket
 * @dev:	a host device
 * @fd:		the host UDP socket, bound to the published address; the
 *		device owns it from now on (also on failure)
 * @v6:		its family is AF_INET6 (IPV6_V6ONLY)
 * @inner:	the sandbox's address datagrams are delivered to (4 or 16
 *		bytes, network order: the uplink's)
 * @port:	the sandbox's port, host order
 *
 * A client on the host's loopback shows in the sandbox as the uplink's
 * gateway.  The flow lives until vdev_host_unpublish_udp() or the device.
 *
 * Return: 0, or a negative errno
 */
int vdev_host_publish_udp(struct vdev *dev, int fd, bool v6,
			  const uint8_t *inner, uint16_t port)
{
	struct host *h = (struct host *)dev;
	struct flow *f;

	if (!dev || strcmp(vdev_kind(dev), "host") || fd < 0 || !inner) {
		if (fd >= 0)
			close(fd);
		return -EINVAL;
	}
	f = calloc(1, sizeof(*f));
	if (!f || uv_poll_init(h->dev.loop, &f->poll, fd) < 0) {
		free(f);
		close(fd);
		return -ENOMEM;
	}
	f->h = h;
	f->fd = fd;
	f->v6 = v6;
	f->pinned = true;
	f->port = htons(port);
	memcpy(f->src, inner, v6 ? 16 : 4);
	f->last = uv_now(h->dev.loop);
	f->poll.data = f;
	h->handles++;
	uv_poll_start(&f->poll, UV_READABLE, on_readable);
	f->next = h->flows;
	h->flows = f;
	h->n_udp++;
	return 0;
}

/**
 * vdev_host_unpublish_udp() - end a published UDP port
 * @dev:	the host device
 * @fd:		the socket given to vdev_host_publish_udp()
 */
void vdev_host_unpublish_udp(struct vdev *dev, int fd)
{
	struct host *h = (struct host *)dev;
	struct flow *f;

	if (!dev || strcmp(vdev_kind(dev), "host"))
		return;
	for (f = h->flows; f; f = f->next)
		if (f->pinned && f->fd == fd) {
			flow_end(f);
			return;
		}
}

/**
 * vdev_host_to_host() - the host's name for a destination in the sandbox
 * @dev:	a host device
 * @v6:		the address is IPv6
 * @a:		the address (4 or 16 bytes), changed in place: the gateway
 *		becomes the host's loopback
 *
 * Return: true when it was the gateway
 */
bool vdev_host_to_host(const struct vdev *dev, bool v6, uint8_t *a)
{
	return to_host((const struct host *)dev, v6, a);
}

/**
 * vdev_host_from_host() - the sandbox's name for a host address: the
 * host's loopback (127.0.0.1, ::1) shows as the gateway
 * @dev:	a host device
 * @v6:		the address is IPv6
 * @a:		the address (4 or 16 bytes), changed in place
 */
void vdev_host_from_host(const struct vdev *dev, bool v6, uint8_t *a)
{
	from_host((const struct host *)dev, v6, a);
}

/**
 * vdev_host_tcp_note() - count a forwarded TCP connection (netstack/tcpfwd.c)
 * @dev:	a host device
 * @delta:	+1 when one starts, -1 when it ends, 0 for neither
 * @refused:	one could not be carried (count it as tcp refused)
 */
void vdev_host_tcp_note(struct vdev *dev, int delta, bool refused)
{
	struct host *h = (struct host *)dev;

	if (!dev || strcmp(vdev_kind(dev), "host"))
		return;
	if (delta > 0)
		h->tcp_live++;
	else if (delta < 0 && h->tcp_live)
		h->tcp_live--;
	if (refused)
		h->tcp++;
}

/**
 * vdev_host_unreach() - answer an IP packet with an ICMP (ICMPv6) error from
 * its destination, fed to lwIP's input on the next turn of the loop
 * @dev:	a host device
 * @pkt:	the packet as the sandbox sent it (IPv4 or IPv6, from its
 *		IP header)
 * @len:	its length
 * @type:	ICMP type (3 or 1 for ICMPv6)
 * @code:	its code
 *
 * netstack/tcpfwd.c answers a forwarded SYN whose host connection failed
 * so (unreachable, prohibited), as the host's own router would.
 *
 * Return: 0, or -EINVAL for a packet that cannot be quoted
 */
int vdev_host_unreach(struct vdev *dev, const uint8_t *pkt, size_t len,
		      uint8_t type, uint8_t code)
{
	struct host *h = (struct host *)dev;
	uint8_t b[48 + QUOTE6_MAX + 8], hdr[8] = { type, code };
	struct vdev__pkt k;
	size_t q;

	if (!dev || strcmp(vdev_kind(dev), "host") || !pkt ||
	    vdev__host_parse(pkt, len, &k) < 0)
		return -EINVAL;
	q = k.iplen > (k.v6 ? QUOTE6_MAX : QUOTE4_MAX) ?
	    (k.v6 ? QUOTE6_MAX : QUOTE4_MAX) : k.iplen;
	input_later(h, b, vdev__host_build_icmp(b, k.v6, k.dst, k.src, hdr,
						k.ip, q));
	return 0;
}
