/* SPDX-License-Identifier: MIT */
/*
 * raw.c - ping sockets and raw sockets, on lwIP's raw pcbs.
 *
 * Both are datagram sockets like UDP (udp.c): an AF_UNIX SEQPACKET pair,
 * packets written into the program's end as they arrive with their source
 * in the address queue, the same trapped receive.  Called by calls.c and
 * sock.c; they are the sandbox's own network, so no CAP_NET_RAW is asked.
 *
 * Ping sockets (SOCK_DGRAM, IPPROTO_ICMP or IPPROTO_ICMPV6) follow Linux's
 * net/ipv4/ping.c: the program sends an echo request (ICMP header and
 * data); its identifier becomes the socket's "port" (bind() chooses it,
 * else the first send), the checksum is computed here (IPv4) or by lwIP
 * over the pseudo-header (IPv6); only echo replies carrying that
 * identifier come back, from the ICMP header on.  Two sockets may bind
 * one identifier while both keep the SO_REUSEADDR they start with; a
 * reply then goes to the one that got it last, as ping_lookup() finds.
 *
 * Raw sockets (SOCK_RAW, any protocol 1..255) see every packet of their
 * protocol lwIP receives, the IPv4 header included, the IPv6 header not
 * (as Linux); ICMP_FILTER and ICMP6_FILTER drop the types the program
 * blocked.  IPv6 checksums are computed at the IPV6_CHECKSUM offset: 2
 * for ICMPv6 from the start (RFC 3542 3.1), which only SOL_RAW may move
 * or turn off, as Linux; none for other protocols until set.  With
 * IP_HDRINCL or IPV6_HDRINCL (IPPROTO_RAW
 * sockets have it from the start) the program's IP header goes out,
 * completed as Linux's raw_send_hdrinc() completes an IPv4 one, an IPv6
 * one as written (send_hdrincl()).
 * IP_MTU_DISCOVER DO or PROBE sets DF (lwIP patch 0012), and a packet
 * larger than its device MTU is then refused (udp.c, ns__dgram_size_check()).
 * A pcb per socket binds and connects as the socket does, so the
 * protocols to come (OSPF, 89) need nothing more than their options.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "lwip/inet_chksum.h"
#include "lwip/ip.h"
#include "lwip/ip4.h"
#include "lwip/nd6.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/prot/icmp.h"
#include "lwip/prot/ip4.h"
#include "lwip/prot/ip6.h"
#include "lwip/raw.h"
#include "lwip/stats.h"

#include "internal.h"
#include "net.h"
#include "log.h"

#define SV_SNDBUF	(4 * 1024 * 1024)	/* capped by wmem_max */

static bool is_ping(const struct sock *s)
{
	return s->type == SOCK_DGRAM;
}

/* is_ping() for any socket of the sandbox (UDP sockets are SOCK_DGRAM too) */
static bool other_ping(const struct sock *o)
{
	return o->type == SOCK_DGRAM &&
	       ((o->family == AF_INET && o->proto == IPPROTO_ICMP) ||
		(o->family == AF_INET6 && o->proto == IPPROTO_ICMPV6));
}

static uint8_t echo_request(const struct sock *s)
{
	return s->family == AF_INET6 ? 128 : 8;
}

static uint8_t echo_reply(const struct sock *s)
{
	return s->family == AF_INET6 ? 129 : 0;
}

/* Whether ICMP_FILTER or ICMP6_FILTER blocks a packet of ICMP @type. */
static bool filtered(const struct sock *s, uint8_t type)
{
	if (s->family == AF_INET)
		return s->proto == IPPROTO_ICMP && type < 32 &&
		       (s->icmp_filter & (1u << type));
	return s->proto == IPPROTO_ICMPV6 &&
	       (s->icmp6_filter[type >> 5] & (1u << (type & 31)));
}

/*
 * Whether the current IPv6 packet's payload (past its @hl header bytes)
 * passes the IPV6_CHECKSUM check over RFC 8200 8.1's pseudo-header, as
 * Linux's rawv6_rcv() verifies it before any socket that set the option
 * sees it.  lwIP's own pseudo-header sum, over the pbuf, which is put back
 * as it came: the other raw pcbs and lwIP's input see it next.
 */
static bool v6_sum_ok(const struct sock *s, struct pbuf *p, uint16_t hl)
{
	u16_t sum;

	if (pbuf_remove_header(p, hl))
		return false;
	sum = ip6_chksum_pseudo(p, (u8_t)s->proto, p->tot_len,
				ip6_current_src_addr(), ip6_current_dest_addr());
	pbuf_add_header_force(p, hl);
	return sum == 0;
}

/* Whether the arrival device's checksums count: `lo` makes and checks
 * none (vdev/loopback.c), as Linux trusts its loopback's packets. */
static bool sums_checked(void)
{
	const struct netif *in = ip_current_input_netif();

	return !in || (in->chksum_flags & NETIF_CHECKSUM_CHECK_ICMP6);
}

/*
 * Whether another ping socket, given the same identifier after @s, takes
 * the echo reply lwIP is handing to @s: Linux's ping_lookup() gives it to
 * the first match of the identifier's chain, the socket hashed last,
 * where raw pcbs each get a copy.  Matching as raw_input_local_match()
 * does: the bound device, the bound address or none.
 */
static bool ping_shadowed(const struct sock *s)
{
	const struct netif *in = ip_current_input_netif();
	const ip_addr_t *dst = ip_current_dest_addr();
	const struct sock *o;

	if (!s->ns->ping_shared)
		return false;
	for (o = s->ns->all; o; o = o->next) {
		const struct raw_pcb *r = o->pcb.raw;

		if (o == s || !other_ping(o) || o->family != s->family || !r ||
		    o->lport != s->lport || o->ping_seq < s->ping_seq)
			continue;
		if (r->netif_idx != NETIF_NO_INDEX &&
		    (!in || r->netif_idx != netif_get_index(in)))
			continue;
		if (ip_addr_isany(&r->local_ip) || ip_addr_cmp(&r->local_ip, dst))
			return true;
	}
	return false;
}

/* lwIP hands every packet of the protocol to every raw pcb: keep ours. */
static u8_t on_raw(void *arg, struct raw_pcb *pcb, struct pbuf *p,
		   const ip_addr_t *addr)
{
	struct sock *s = arg;
	uint8_t *buf = s->ns->iobuf;
	uint16_t hl = (uint16_t)ip_current_header_tot_len();
	uint16_t off = (s->family == AF_INET6 || is_ping(s)) ? hl : 0;
	struct ip_marks k;
	u16_t n;

	if (p->tot_len <= off || !ns__mcast_wanted(s))
		return 0;
	n = pbuf_copy_partial(p, buf, (u16_t)(p->tot_len - off), off);
	if (s->family == AF_INET6 && !is_ping(s) && s->raw_checksum >= 0 &&
	    ((size_t)n < (size_t)s->raw_checksum + 2 ||
	     (sums_checked() && !v6_sum_ok(s, p, hl))))
		return 0;
	if (is_ping(s)) {
		if (n < 8 || buf[0] != echo_reply(s) || buf[1] ||
		    (uint16_t)(buf[4] << 8 | buf[5]) != s->lport || ping_shadowed(s))
			return 0;
	} else if (n > hl - off && filtered(s, buf[hl - off])) {
		return 0;
	}
	/* SO_ATTACH_FILTER, on what the socket reads (sock_queue_rcv_skb()) */
	if (s->filter && !(n = (u16_t)ns__filter_run(s, buf, n)))
		return 0;
	ns__ip_marks(&k);
	ns__dgram_deliver(s, buf, n, addr, 0, &k, false);
	return 0;	/* others (and lwIP's own ICMP input) see it too */
}

/**
 * ns__raw_open() - give a ping or raw socket its lwIP pcb
 * @s:		the socket; family, type and protocol set
 *
 * Return: 0 or -ENOMEM
 */
int ns__raw_open(struct sock *s)
{
	bool v6 = s->family == AF_INET6;
	int v = SV_SNDBUF;

	s->pcb.raw = raw_new_ip_type(v6 ? IPADDR_TYPE_V6 : IPADDR_TYPE_V4,
				     (u8_t)s->proto);
	if (!s->pcb.raw)
		return -ENOMEM;
	s->raw_checksum = -1;
	if (v6 && s->proto == IPPROTO_ICMPV6) {
		/* RFC 3542 3.1: the kernel computes ICMPv6 checksums
		 * (at SOL_RAW a program may still move or stop it) */
		s->pcb.raw->chksum_reqd = 1;
		s->pcb.raw->chksum_offset = 2;
		s->raw_checksum = 2;
	}
	s->hdrincl = s->type == SOCK_RAW && s->proto == IPPROTO_RAW;
	/* an IPv6 ping socket reads IPV6_V6ONLY 1 from the start, as
	 * Linux's (it never takes IPv4) */
	if (v6 && s->type == SOCK_DGRAM)
		s->v6only = true;
	/* raw and ping sockets have SO_REUSEADDR from the start
	 * (INET_PROTOSW_REUSE): two ping sockets may bind one identifier */
	s->reuseaddr = true;
	raw_recv(s->pcb.raw, on_raw, s);
	setsockopt(s->sv, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v));
	ns__sock_poll(s, UV_READABLE);
	ns__icmp_use(s->ns);
	return 0;
}

/*
 * Whether another ping socket has identifier @id.  IPv4 and IPv6 ping
 * sockets share one table (ping_table); @reuse: a socket that has it
 * conflicts only where either lacks SO_REUSEADDR, which ping sockets have
 * from the start (INET_PROTOSW_REUSE), as ping_get_port() has it.
 */
static bool id_taken(const struct sock *s, uint16_t id, bool reuse)
{
	const struct sock *o;

	for (o = s->ns->all; o; o = o->next)
		if (o != s && other_ping(o) && o->lport == id &&
		    (!reuse || !o->reuseaddr || !s->reuseaddr))
			return true;
	return false;
}

/* Give a ping socket its identifier: @id, or a free one for 0. */
static int ping_id(struct sock *s, uint16_t id)
{
	unsigned int tries;

	if (id) {
		if (id_taken(s, id, true))
			return -EADDRINUSE;
		if (id_taken(s, id, false))
			s->ns->ping_shared = true;
		s->lport = id;
		s->ping_seq = ++s->ns->ping_seq;
		return 0;
	}
	for (tries = 0; tries < 65535; tries++) {
		id = ++s->ns->ping_rover;
		if (id && !id_taken(s, id, false)) {
			s->lport = id;
			s->ping_seq = ++s->ns->ping_seq;
			return 0;
		}
	}
	return -EAGAIN;		/* as Linux's ping_get_port() when all are used */
}

/* An address of the socket's own family, as lwIP wants it. */
static bool family_ok(const struct sock *s, const ip_addr_t *ip)
{
	return (s->family == AF_INET6) == IP_IS_V6(ip);
}

/**
 * ns__raw_bind() - bind() a ping or raw socket
 * @s:		the socket
 * @ip:		local address (any for none)
 * @port:	the echo identifier (ping); ignored for raw, as Linux
 *
 * Return: 0 or a negative errno
 */
int ns__raw_bind(struct sock *s, const ip_addr_t *ip, uint16_t port)
{
	bool nosrc, bcast;
	int ret;

	if (!family_ok(s, ip))
		return -EINVAL;
	/* a raw socket may bind a group or a broadcast address (raw_bind(),
	 * rawv6_bind(): then it sends from the route's source), a ping
	 * socket neither, not even lo's 127.255.255.255
	 * (ping_check_bind_addr()) */
	nosrc = ns__addr_nosrc(s->ns, ip, &bcast);
	if (is_ping(s) ? nosrc || !ns__bind_addr_ok(s, ip) :
			 !nosrc && !ns__bind_addr_ok(s, ip))
		return -EADDRNOTAVAIL;
	if (is_ping(s)) {
		if (s->lport)
			return -EINVAL;
		if ((ret = ping_id(s, port)))
			return ret;
	}
	ret = ns__err_lwip(raw_bind(s->pcb.raw, ip));
	if (!ret)
		s->bcast_bound = bcast;
	return ret;
}

/**
 * ns__raw_connect() - connect() a ping or raw socket; NULL disconnects
 * @s:		the socket
 * @ip:		peer, or NULL for AF_UNSPEC
 *
 * Return: 0 or a negative errno
 */
int ns__raw_connect(struct sock *s, const ip_addr_t *ip)
{
	struct raw_pcb *r = s->pcb.raw;
	const ip_addr_t *a = NULL;
	struct netif *n;
	ip_addr_t src;
	err_t e;
	int ret;

	if (!ip) {
		raw_disconnect(r);
		/* __udp_disconnect(): a source connect() chose goes too */
		if (s->saddr_auto)
			ip_addr_set_any(IP_IS_V6_VAL(r->local_ip), &r->local_ip);
		s->saddr_auto = false;
		return 0;
	}
	if (!family_ok(s, ip))
		return -EINVAL;
	/* the device and source a send would take, else the route's */
	if ((ret = ns__dgram_oif(s, ip, NULL, &r->local_ip, &n, &src)))
		return ret;
	if (n)
		a = &src;
	else if (!(n = ip_route(IP_IS_V4(ip) ? IP4_ADDR_ANY : IP6_ADDR_ANY, ip)))
		return -ENETUNREACH;
	if ((e = raw_connect(r, ip)) != ERR_OK)
		return ns__err_lwip(e);
	/* ip4_datagram_connect(), ip6_datagram_connect(): an unbound
	 * socket takes that source, which getsockname() then tells */
	if (ip_addr_isany(&r->local_ip) &&
	    (a || (a = ip_netif_get_local_ip(n, ip))) && !ip_addr_isany(a)) {
		ip_addr_copy(r->local_ip, *a);
		s->saddr_auto = true;
	}
	return 0;
}

/**
 * ns__raw_connected() - whether connect() gave the socket a peer
 * @s:		the socket
 *
 * Return: true if connected
 */
bool ns__raw_connected(const struct sock *s)
{
	return s->pcb.raw && (raw_flags(s->pcb.raw) & RAW_FLAGS_CONNECTED);
}

/**
 * ns__raw_names() - local or peer address of a ping or raw socket
 * @s:		the socket
 * @peer:	the peer's, not the local one
 * @ip:		set to the address
 * @port:	set to the echo identifier (ping), the protocol (raw local,
 *		as Linux's inet_num) or 0
 */
void ns__raw_names(struct sock *s, bool peer, ip_addr_t *ip, uint16_t *port)
{
	struct raw_pcb *r = s->pcb.raw;

	if (peer)
		ip_addr_copy(*ip, r->remote_ip);
	else
		ip_addr_copy(*ip, r->local_ip);
	if (peer)
		*port = 0;
	else
		*port = is_ping(s) ? s->lport : (uint16_t)s->proto;
}

/*
 * Check and complete an echo request for a ping socket, as Linux's
 * ping_v4_sendmsg()/ping_v6_sendmsg(): type and code, identifier, and
 * the IPv4 checksum (lwIP computes the IPv6 one).
 */
static int ping_fill(struct sock *s, uint8_t *msg, size_t len)
{
	int ret;

	if (len < 8 || len > 0xffff)
		return -EINVAL;
	if (msg[0] != echo_request(s) || msg[1])
		return -EINVAL;
	if (!s->lport && (ret = ping_id(s, 0)))
		return ret;
	msg[4] = (uint8_t)(s->lport >> 8);
	msg[5] = (uint8_t)s->lport;
	msg[2] = msg[3] = 0;
	if (s->family == AF_INET) {
		uint16_t sum = inet_chksum(msg, (u16_t)len);

		memcpy(msg + 2, &sum, 2);
	}
	return 0;
}

/* Multicast TTL and loop for this datagram (mcast.c): a TTL cmsg wins. */
static void mcast_opts(struct sock *s, struct raw_pcb *r,
		       const struct ns_sendopts *o)
{
	raw_set_multicast_ttl(r, (u8_t)(o && o->has_ttl ? o->ttl :
					s->family == AF_INET ? s->mc4.ttl :
					s->mcast_ttl));
	if (ns__mcast_loop(s))
		r->flags |= RAW_FLAGS_MULTICAST_LOOP;
	else
		r->flags &= (u8_t)~RAW_FLAGS_MULTICAST_LOOP;
}

/*
 * Build the pbuf and hand it to lwIP with this datagram's options: out
 * of @nif from @src when ns__dgram_oif() chose a device, else routed.
 */
static err_t emit(struct sock *s, const uint8_t *data, size_t len,
		  const ip_addr_t *ip, const struct ns_sendopts *o,
		  struct netif *nif, const ip_addr_t *src)
{
	struct raw_pcb *r = s->pcb.raw;
	struct netif *netif;
	ip_addr_t from;
	struct pbuf *p;
	err_t e;

	p = pbuf_alloc(PBUF_IP, (u16_t)len, PBUF_RAM);
	if (!p)
		return ERR_MEM;
	memcpy(p->payload, data, len);
	ns__dgram_bcast_mark(s, ip, p);
	r->ttl = (u8_t)(o ? o->ttl : s->ttl);
	r->tos = (u8_t)(o ? o->tos : s->tos);
	mcast_opts(s, r, o);
	ip4_output_df = IP_IS_V4(ip) && ns__dgram_nofrag(s, o, ip);
	ip6_output_frag_size = ns__dgram_frag_size(s, ip);
	switch (ns__dgram_out(s, ip, o, &r->local_ip, nif, src, &netif, &from)) {
	case 1:
		e = raw_sendto_if_src(r, p, ip, netif, &from);
		break;
	case 0:
		e = raw_sendto(r, p, ip);
		break;
	default:
		e = ERR_RTE;
	}
	ip4_output_df = 0;
	ip6_output_frag_size = 0;
	r->ttl = (u8_t)s->ttl;
	r->tos = (u8_t)s->tos;
	pbuf_free(p);
	return e;
}

/* A sent ICMP or ICMPv6 message in lwIP's counters (/proc/net/snmp and
 * snmp6, procnet_files.c), as Linux's icmp_out_count() counts a ping or raw
 * socket's; lwIP counts only its own messages. */
static void count_icmp_out(const struct sock *s, const ip_addr_t *ip,
			   const uint8_t *msg, size_t len)
{
	if (!len)
		return;
	if (IP_IS_V6(ip)) {
		if (s->proto == IPPROTO_ICMPV6)
			ICMP6_STATS_INC(icmp6.xmit);
		return;
	}
	if (s->proto != IPPROTO_ICMP)
		return;
	MIB2_STATS_INC(mib2.icmpoutmsgs);
	switch (msg[0]) {
	case ICMP_ER:
		MIB2_STATS_INC(mib2.icmpoutechoreps);
		break;
	case ICMP_DUR:
		MIB2_STATS_INC(mib2.icmpoutdestunreachs);
		break;
	case ICMP_ECHO:
		MIB2_STATS_INC(mib2.icmpoutechos);
		break;
	case ICMP_TE:
		MIB2_STATS_INC(mib2.icmpouttimeexcds);
		break;
	default:
		break;
	}
}

static int64_t send_one(struct sock *s, const void *data, size_t len,
			const ip_addr_t *ip, const struct ns_sendopts *o);

/*
 * IP_HDRINCL: the program's IPv4 header and payload, as Linux's
 * raw_send_hdrinc() sends them: routed by the destination the call names
 * (the header's goes out as written), never fragmented (past the device
 * MTU: EMSGSIZE, queued as a local error with IP_RECVERR), under 20 bytes
 * or shorter than its header length EINVAL; a header of 20 bytes or more
 * gets the route's source where it has 0, its total length, an id where
 * it has 0, and its checksum.  TTL, TOS and IP options of the socket do
 * not apply; IP_MULTICAST_LOOP does, and a broadcast is looped always.
 * IPV6_HDRINCL (an IPv6 IPPROTO_RAW socket's from the start), as
 * rawv6_send_hdrinc(): the same routing and MTU check, under 40 bytes
 * EINVAL, and the header goes exactly as written (lwIP finds the next hop
 * by its destination).
 */
static int64_t send_hdrincl(struct sock *s, uint8_t *msg, size_t len,
			    const ip_addr_t *ip, const struct ns_sendopts *o)
{
	static uint16_t ids;
	struct raw_pcb *r = s->pcb.raw;
	struct netif *nif;
	ip_addr_t src;
	unsigned int ihl;
	struct pbuf *p;
	uint16_t v;
	err_t e;
	int ret;

	ret = ns__dgram_oif(s, ip, o, &r->local_ip, &nif, &src);
	if (ret)
		return ret;
	if (!nif) {
		nif = ip_route(o && o->has_src ? &o->src : &r->local_ip, ip);
		if (!nif)
			return ns__route_err(s->ns, ip);
		if (o && o->has_src)
			ip_addr_copy(src, o->src);
		else if ((ret = ns__dgram_src(s, nif, ip, &r->local_ip, &src)))
			return ret;
	}
	if (IP_IS_V6(ip)) {
		if (netif_mtu6(nif) && len > netif_mtu6(nif)) {
			ns__icmp_local_err(s, ip, 0, netif_mtu6(nif));
			return -EMSGSIZE;
		}
		if (len < IP6_HLEN)
			return -EINVAL;
		goto out;
	}
	if (nif->mtu && len > nif->mtu) {
		ns__icmp_local_err(s, ip, 0, nif->mtu);
		return -EMSGSIZE;
	}
	if (len < IP_HLEN)
		return -EINVAL;
	ihl = (msg[0] & 0xfu) * 4;
	if (ihl > len)
		return -EINVAL;
	if (ihl >= IP_HLEN) {
		if (!memcmp(msg + 12, "\0\0\0\0", 4))
			memcpy(msg + 12, &ip_2_ip4(&src)->addr, 4);
		msg[2] = (uint8_t)(len >> 8);
		msg[3] = (uint8_t)len;
		if (!msg[4] && !msg[5]) {
			if (!ids)
				ids = (uint16_t)(uv_hrtime() | 1);
			v = ids++;
			msg[4] = (uint8_t)(v >> 8);
			msg[5] = (uint8_t)v;
		}
		msg[10] = msg[11] = 0;
		v = inet_chksum(msg, (u16_t)ihl);
		memcpy(msg + 10, &v, 2);
	}
out:
	p = pbuf_alloc(PBUF_IP, (u16_t)len, PBUF_RAM);
	if (!p)
		return -ENOBUFS;
	memcpy(p->payload, msg, len);
	/* to a group (with IP_MULTICAST_LOOP) or a broadcast address: looped
	 * back to the sandbox's own sockets too, as ip_mc_output() does for
	 * a header the program wrote as for any other (the link device's
	 * loop, vdev/link.c) */
	if (ip_addr_ismulticast(ip) && ns__mcast_loop(s))
		p->flags |= PBUF_FLAG_MCASTLOOP;
	ns__dgram_bcast_mark(s, ip, p);
	r->flags |= RAW_FLAGS_HDRINCL;
	e = raw_sendto_if_src(r, p, ip, nif, &src);
	r->flags &= (u8_t)~RAW_FLAGS_HDRINCL;
	pbuf_free(p);
	ret = e == ERR_RTE ? ns__route_err(s->ns, ip) : ns__err_lwip(e);
	return ret ? ret : (int64_t)len;
}

/**
 * ns__raw_sendto() - send one packet from a ping or raw socket
 * @s:		the socket
 * @data:	the ICMP message (ping) or the protocol's payload (raw); it
 *		is changed in place (identifier, checksum)
 * @len:	its length
 * @ip:		destination, or NULL for the connected peer
 * @o:		TTL, TOS and source for this packet, or NULL for the socket's
 *
 * Its routes are looked up for the socket's protocol and owner, as
 * raw_sendmsg() and ping_v4_sendmsg() ask; for ICMP and ICMPv6 with the
 * message's type and code where the destination port goes (flowi's
 * icmpt overlays ports.dport: raw_probe_proto_opt(), ping_v4_sendmsg(),
 * rawv6_probe_proto_opt(), ping_v6_sendmsg()), other protocols with no
 * ports.
 *
 * Return: @len or a negative errno
 */
int64_t ns__raw_sendto(struct sock *s, const void *data, size_t len,
		       const ip_addr_t *ip, const struct ns_sendopts *o)
{
	const uint8_t *m = data;
	uint16_t icmpt = 0;
	int64_t ret;

	if (len >= 2 && s->proto == (s->family == AF_INET6 ? IPPROTO_ICMPV6 :
				     IPPROTO_ICMP))
		icmpt = (uint16_t)(m[0] << 8 | m[1]);
	net_own_set(s->ns->net, (uint8_t)s->proto, 0, icmpt, s->uid);
	ret = send_one(s, data, len, ip, o);
	net_own_clear(s->ns->net);
	return ret;
}

/* ns__raw_sendto()'s work */
static int64_t send_one(struct sock *s, const void *data, size_t len,
			const ip_addr_t *ip, const struct ns_sendopts *o)
{
	uint8_t *msg = (uint8_t *)data;
	struct netif *nif;
	ip_addr_t src, dz;
	err_t e;
	int ret;

	if (!ip && !ns__raw_connected(s))
		return -EDESTADDRREQ;
	if (!ip)
		ip = &s->pcb.raw->remote_ip;
	if (!family_ok(s, ip))
		return -EINVAL;
	if (len > (IP_IS_V6(ip) ? 65535u - 40 : 65535u - 20))
		return -EMSGSIZE;
	if (is_ping(s) && (ret = ping_fill(s, msg, len)))
		return ret;
	if (!is_ping(s) && s->hdrincl)
		return send_hdrincl(s, msg, len, ip, o);
	if (ns__addr_unscoped(ip)) {	/* fe80::1 without a scope id */
		ip_addr_copy(dz, *ip);
		if ((ret = ns__dgram_dst_scope(s, &dz, o, is_ping(s))))
			return ret;
		ip = &dz;
	}
	ret = ns__dgram_oif(s, ip, o, &s->pcb.raw->local_ip, &nif, &src);
	if (ret)
		return ret;
	ret = ns__dgram_size_check(s, o, nif ? &src : o && o->has_src ? &o->src :
				   &s->pcb.raw->local_ip, ip, 0, len);
	if (ret)
		return ret;
	if (IP_IS_V6(ip) && s->raw_checksum >= 0) {
		if (len < (size_t)s->raw_checksum + 2)
			return -EINVAL;
		msg[s->raw_checksum] = msg[s->raw_checksum + 1] = 0;
	}
	e = emit(s, msg, len, ip, o, nif, &src);
	/* a route refused: the error its type gives (EACCES for prohibit,
	 * EINVAL for blackhole), as the UDP send's */
	ret = e == ERR_RTE ? ns__route_err(s->ns, ip) : ns__err_lwip(e);
	if (!ret)
		count_icmp_out(s, ip, msg, len);
	return ret ? ret : (int64_t)len;
}

/**
 * ns__raw_set_checksum() - IPV6_CHECKSUM: where lwIP puts the checksum
 * @s:		a raw IPv6 socket
 * @offset:	byte offset in the payload, or a negative one for none
 *
 * As Linux's do_rawv6_setsockopt(): any negative value turns the
 * checksum off (reads back -1), an even one moves it there.  An offset
 * past what lwIP keeps (16 bits) can never fit a datagram: every send
 * then fails with EINVAL (raw.c's length check), as Linux's.
 *
 * Return: 0, or -EINVAL for an odd offset
 */
int ns__raw_set_checksum(struct sock *s, int offset)
{
	if (offset > 0 && (offset & 1))
		return -EINVAL;
	s->raw_checksum = offset < 0 ? -1 : offset;
	s->pcb.raw->chksum_reqd = offset >= 0 && offset <= 0xfffd;
	s->pcb.raw->chksum_offset = (u16_t)(s->pcb.raw->chksum_reqd ? offset : 0);
	return 0;
}

/**
 * ns__raw_close() - remove the pcb and what is queued for the program
 * @s:		the socket
 */
void ns__raw_close(struct sock *s)
{
	if (s->pcb.raw) {
		raw_remove(s->pcb.raw);
		ns__icmp_unuse(s->ns);
	}
	s->pcb.raw = NULL;
	ns__dgram_flush(s);
}
