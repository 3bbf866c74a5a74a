/* SPDX-License-Identifier: MIT */
/*
 * icmp.c - ICMP errors for the datagram sockets, and their error queue;
 * ICMP errors that end a TCP connection attempt.
 *
 * lwIP tells a UDP pcb nothing of the ICMP errors its datagrams cause.
 * While any datagram socket exists, one internal raw pcb per family
 * (ICMP, ICMPv6) sees every ICMP message before lwIP's own icmp_input()
 * (it never eats one).  An error (destination unreachable, time exceeded,
 * parameter problem, packet too big) quotes the head of the datagram
 * that caused it: ns__icmp_parse_err() reads the quoted addresses and
 * ports, and the socket that sent it (UDP by local port and address, ping
 * by identifier, raw by protocol) gets it as Linux's __udp4_lib_err(),
 * ping_err() and raw_err() give it: with IP_RECVERR/IPV6_RECVERR, queued
 * for recvmsg(MSG_ERRQUEUE) as a sock_extended_err and made the pending
 * error; without, a hard error on a connected socket only becomes the
 * pending error (SO_ERROR, the next call), which a port unreachable also
 * makes the host's pending error of the program's end where that end is
 * a loopback UDP socket (errq.c), for its poll() and native calls.
 *
 * TCP: an error quoting the SYN of a connection in SYN_SENT ends the
 * attempt with its errno (ns__tcp_icmp_err()), as Linux's tcp_v4_err()
 * and tcp_v6_err() do; the watch starts with the first TCP connect.  Raw
 * sockets of protocol TCP get such errors first, as every raw socket of
 * the quoted protocol (traceroute -T).  A quoted IPv6 datagram's
 * extension headers are skipped to its transport header (skip_ext6()).
 *
 * A send refused locally for its size (EMSGSIZE, see udp.c) is queued
 * too, as Linux's ip_local_error(): SO_EE_ORIGIN_LOCAL, the MTU in ee_info.
 *
 * A queued error makes poll() say POLLERR where the socket moved to a
 * loopback UDP pair (errq.c); an AF_UNIX end cannot, and gets the marker
 * datagram of udp.c instead.  Called by
 * udp.c, raw.c and calls.c; knows nothing of how calls are trapped.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/uio.h>
#include <linux/errqueue.h>

#include "lwip/ip.h"
#include "lwip/pbuf.h"
#include "lwip/raw.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"

#include "internal.h"
#include "log.h"

#define EQ_MAX		64	/* Linux bounds it by the receive buffer */
#define QUOTE_MAX	1280	/* what an ICMP error may quote (IPv6 MTU) */

/**
 * struct conv - errno for one ICMP code, and whether it is fatal
 */
struct conv {
	int err;
	bool hard;
};

/* Destination unreachable codes, as Linux's icmp_err_convert[]. */
static const struct conv unreach4[] = {
	{ ENETUNREACH, false },	{ EHOSTUNREACH, false }, { ENOPROTOOPT, true },
	{ ECONNREFUSED, true },	{ EMSGSIZE, true },	{ EOPNOTSUPP, false },
	{ ENETUNREACH, true },	{ EHOSTDOWN, true },	{ ENONET, true },
	{ ENETUNREACH, true },	{ EHOSTUNREACH, true },	{ ENETUNREACH, false },
	{ EHOSTUNREACH, false }, { EHOSTUNREACH, true }, { EHOSTUNREACH, true },
	{ EHOSTUNREACH, true },
};

/* ICMPv6 destination unreachable codes, as Linux's icmpv6_err_convert(). */
static const struct conv unreach6[] = {
	{ ENETUNREACH, false },	{ EACCES, true },	{ EHOSTUNREACH, false },
	{ EHOSTUNREACH, false }, { ECONNREFUSED, true }, { EACCES, true },
	{ EACCES, true },
};

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* errno and fatality of an IPv4 error; false for what is no error. */
static bool classify4(const uint8_t *icmp, struct icmp_err_info *e)
{
	e->info = 0;
	switch (icmp[0]) {
	case 3:		/* destination unreachable */
		if (icmp[1] >= sizeof(unreach4) / sizeof(unreach4[0]))
			return false;
		e->err = unreach4[icmp[1]].err;
		e->hard = unreach4[icmp[1]].hard;
		if (icmp[1] == 4)	/* fragmentation needed: next-hop MTU */
			e->info = be16(icmp + 6);
		return true;
	case 11:	/* time exceeded */
		e->err = EHOSTUNREACH;
		e->hard = false;
		return true;
	case 12:	/* parameter problem: the pointer */
		e->err = EPROTO;
		e->hard = true;
		e->info = icmp[4];
		return true;
	default:	/* source quench and redirects are no errors */
		return false;
	}
}

static bool classify6(const uint8_t *icmp, struct icmp_err_info *e)
{
	e->info = 0;
	switch (icmp[0]) {
	case 1:		/* destination unreachable */
		if (icmp[1] >= sizeof(unreach6) / sizeof(unreach6[0]))
			return false;
		e->err = unreach6[icmp[1]].err;
		e->hard = unreach6[icmp[1]].hard;
		return true;
	case 2:		/* packet too big: the MTU */
		e->err = EMSGSIZE;
		e->hard = true;
		e->info = be32(icmp + 4);
		return true;
	case 3:		/* time exceeded */
		e->err = EHOSTUNREACH;
		e->hard = false;
		return true;
	case 4:		/* parameter problem: the pointer */
		e->err = EPROTO;
		e->hard = true;
		e->info = be32(icmp + 4);
		return true;
	default:
		return false;
	}
}

/* Ports (UDP) or identifier (echo) of the quoted transport header. */
static void quoted_ports(const uint8_t *t, size_t tlen, bool v6,
			 struct icmp_err_info *e)
{
	e->payload = t;
	e->plen = tlen;
	e->sport = e->dport = 0;
	if (tlen < 8)
		return;
	if (e->proto == IPPROTO_TCP) {
		e->sport = be16(t);
		e->dport = be16(t + 2);
	} else if (e->proto == IPPROTO_UDP) {
		e->sport = be16(t);
		e->dport = be16(t + 2);
		e->payload = t + 8;	/* as Linux: after the UDP header */
		e->plen = tlen - 8;
	} else if (e->proto == (v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP) &&
		   t[0] == (v6 ? 128 : 8)) {
		e->sport = e->dport = be16(t + 4);	/* echo identifier */
	}
}

/*
 * The quoted IPv6 datagram's extension headers, skipped as Linux's
 * ipv6_skip_exthdr() skips them for icmpv6_notify(): hop-by-hop,
 * routing and destination options, a fragment header (the first
 * fragment's: a later one has no transport header, and its error reaches
 * no socket, @proto left at 44), AH.  The quote of a datagram ping -6
 * sent in fragments through a narrower link (a packet too big for its
 * first fragment) reaches the ping socket so.
 *
 * Return: the offset of the transport header in @q (or of what stopped
 * the walk, @proto saying which), at most @len
 */
static size_t skip_ext6(const uint8_t *q, size_t len, uint8_t *proto)
{
	size_t off = 40, hl;

	while (off + 8 <= len) {
		switch (*proto) {
		case 0:		/* hop-by-hop */
		case 43:	/* routing */
		case 60:	/* destination options */
			hl = ((size_t)q[off + 1] + 1) * 8;
			break;
		case 44:	/* fragment */
			if (be16(q + off + 2) & 0xfff8)
				return off;
			hl = 8;
			break;
		case 51:	/* AH */
			hl = ((size_t)q[off + 1] + 2) * 4;
			break;
		default:
			return off;
		}
		if (off + hl > len)
			return off;
		*proto = q[off];
		off += hl;
	}
	return off < len ? off : len;
}

/**
 * ns__icmp_parse_err() - read an ICMP error and the datagram it quotes
 * @icmp:	the ICMP message, from its type byte
 * @len:	its length
 * @v6:		ICMPv6, not ICMP
 * @out:	filled in; its payload points into @icmp
 *
 * Return: 0, -ENOENT for an ICMP message that is no error (echo, source
 * quench, redirect, unknown codes), -EINVAL for a truncated or malformed
 * one
 */
int ns__icmp_parse_err(const uint8_t *icmp, size_t len, bool v6,
		       struct icmp_err_info *out)
{
	const uint8_t *q = icmp + 8;
	size_t hl;

	if (len < 8)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->type = icmp[0];
	out->code = icmp[1];
	if (!(v6 ? classify6(icmp, out) : classify4(icmp, out)))
		return -ENOENT;
	if (!v6) {
		if (len < 8 + 20 || (q[0] >> 4) != 4)
			return -EINVAL;
		hl = (size_t)(q[0] & 0xf) * 4;
		if (hl < 20 || len < 8 + hl)
			return -EINVAL;
		out->proto = q[9];
		ip_addr_set_ip4_u32_val(out->src, PP_HTONL(be32(q + 12)));
		ip_addr_set_ip4_u32_val(out->dst, PP_HTONL(be32(q + 16)));
	} else {
		if (len < 8 + 40 || (q[0] >> 4) != 6)
			return -EINVAL;
		out->proto = q[6];
		IP_ADDR6(&out->src, 0, 0, 0, 0);
		memcpy(ip_2_ip6(&out->src)->addr, q + 8, 16);
		IP_ADDR6(&out->dst, 0, 0, 0, 0);
		memcpy(ip_2_ip6(&out->dst)->addr, q + 24, 16);
		hl = skip_ext6(q, len - 8, &out->proto);
	}
	quoted_ports(q + hl, len - 8 - hl, v6, out);
	return 0;
}

/* Whether @s sent the datagram @e quotes. */
static bool sent_it(const struct sock *s, const struct icmp_err_info *e,
		    bool v6)
{
	ip_addr_t lip, rip;
	uint16_t lport, rport;
	bool conn;

	if (s->family != AF_INET6 && v6)
		return false;
	if (s->type == SOCK_DGRAM && s->proto == IPPROTO_UDP) {
		if (e->proto != IPPROTO_UDP || !s->pcb.udp)
			return false;
		ns__udp_names((struct sock *)s, false, &lip, &lport);
		ns__udp_names((struct sock *)s, true, &rip, &rport);
		conn = rport != 0;
	} else if (ns__on_raw(s) && s->pcb.raw) {
		if (e->proto != s->proto)
			return false;
		ns__raw_names((struct sock *)s, false, &lip, &lport);
		ns__raw_names((struct sock *)s, true, &rip, &rport);
		conn = ns__raw_connected(s);
		if (s->type == SOCK_RAW) {	/* no ports: any match */
			lport = e->sport;
			rport = e->dport;
		} else
			rport = e->dport;	/* ping: the identifier only */
	} else {
		return false;
	}
	if (lport != e->sport)
		return false;
	if (!ip_addr_isany(&lip) && !ip_addr_cmp(&lip, &e->src))
		return false;
	return !conn || (rport == e->dport && ip_addr_cmp(&rip, &e->dst));
}

/* A TCP socket whose connection attempt sent what @e quotes. */
static struct sock *tcp_sent_it(struct ns *ns, const struct icmp_err_info *e)
{
	struct sock *s;

	for (s = ns->all; s; s = s->next)
		if (s->type == SOCK_STREAM && s->state == SK_CONNECTING &&
		    s->pcb.tcp && s->pcb.tcp->local_port == e->sport &&
		    s->pcb.tcp->remote_port == e->dport &&
		    ip_addr_cmp(&s->pcb.tcp->remote_ip, &e->dst) &&
		    ip_addr_cmp(&s->pcb.tcp->local_ip, &e->src))
			return s;
	return NULL;
}

static void on_error(struct ns *ns, const struct icmp_err_info *e,
		     const ip_addr_t *from, uint8_t ttl, bool v6)
{
	struct sock *s, *next;

	/* Raw sockets of the protocol get it first, then the protocol, as
	 * Linux's icmp_socket_deliver(): TCP's too (traceroute -T) */
	for (s = ns->all; s && e->proto == IPPROTO_TCP; s = next) {
		next = s->next;
		if (s->type == SOCK_RAW && sent_it(s, e, v6))
			ns__icmp_queue(s, e, from, ttl);
	}
	if (e->proto == IPPROTO_TCP) {
		/* a path MTU message is no failure (lwIP has no PMTU) */
		bool pmtu = v6 ? e->type == 2 : (e->type == 3 && e->code == 4);

		if (!pmtu && (s = tcp_sent_it(ns, e)))
			ns__tcp_icmp_err(s, e->err);
		return;
	}
	for (s = ns->all; s; s = next) {
		next = s->next;
		if (!sent_it(s, e, v6))
			continue;
		ns__icmp_queue(s, e, from, ttl);
		if (s->type != SOCK_RAW)
			return;		/* raw: every socket of the protocol */
	}
}

/* Every ICMP message passes here first; errors go to their socket. */
static u8_t on_icmp(void *arg, struct raw_pcb *pcb, struct pbuf *p,
		    const ip_addr_t *addr)
{
	struct ns *ns = arg;
	uint8_t buf[QUOTE_MAX];
	struct icmp_err_info e;
	bool v6 = ip_current_is_v6();
	uint16_t hl = (uint16_t)ip_current_header_tot_len();
	uint8_t ttl;
	u16_t n;

	if (p->tot_len <= hl)
		return 0;
	n = pbuf_copy_partial(p, buf, sizeof(buf), hl);
	if (ns__icmp_parse_err(buf, n, v6, &e))
		return 0;
	ttl = v6 ? IP6H_HOPLIM(ip6_current_header()) : IPH_TTL(ip4_current_header());
	on_error(ns, &e, addr, ttl, v6);
	return 0;	/* lwIP's own ICMP input still runs */
}

/**
 * ns__icmp_use() - a datagram socket wants ICMP errors: watch for them
 * @ns:		the stack
 */
void ns__icmp_use(struct ns *ns)
{
	static const u8_t type[2] = { IPADDR_TYPE_V4, IPADDR_TYPE_V6 };
	static const u8_t proto[2] = { IP_PROTO_ICMP, IP6_NEXTH_ICMP6 };
	int i;

	if (ns->icmp_users++)
		return;
	for (i = 0; i < 2; i++) {
		ns->icmp_err[i] = raw_new_ip_type(type[i], proto[i]);
		if (ns->icmp_err[i])
			raw_recv(ns->icmp_err[i], on_icmp, ns);
		else
			warn("no memory to watch ICMP errors");
	}
}

/**
 * ns__icmp_unuse() - one socket fewer wants ICMP errors
 * @ns:		the stack
 */
void ns__icmp_unuse(struct ns *ns)
{
	int i;

	if (!ns->icmp_users || --ns->icmp_users)
		return;
	for (i = 0; i < 2; i++) {
		if (ns->icmp_err[i])
			raw_remove(ns->icmp_err[i]);
		ns->icmp_err[i] = NULL;
	}
}

/* Whether the socket has a peer (a hard error then counts). */
static bool connected(const struct sock *s)
{
	ip_addr_t ip;
	uint16_t port;

	if (ns__on_raw(s))
		return ns__raw_connected(s);
	ns__udp_names((struct sock *)s, true, &ip, &port);
	return port != 0;
}

/* A new error queue entry with room for @plen bytes, or NULL if full. */
static struct sk_err *new_err(const struct sock *s, size_t plen)
{
	struct sk_err *q;

	if (s->eq_len >= EQ_MAX || !(q = calloc(1, sizeof(*q) + plen)))
		return NULL;
	clock_gettime(CLOCK_REALTIME, &q->ts);
	return q;
}

/* Queue @q, and wake the program's poll(): POLLERR where its end can say
 * it (errq.c), else a marker datagram in it.  Blocked receives run again. */
static void append_err(struct sock *s, struct sk_err *q)
{
	if (s->eq_tail)
		s->eq_tail->next = q;
	else
		s->eq_head = q;
	s->eq_tail = q;
	s->eq_len++;
	if (!s->errq_pair && !ns__dgram_deliver(s, NULL, 0, NULL, 0, NULL, true))
		return;		/* the marker's delivery ran the waiters */
	ns__errq_raise(s);
	ns__retry_waiters(s, W_RECV, ns__udp_recv_call);
}

/**
 * ns__icmp_queue() - report an ICMP error to the socket that caused it
 * @s:		the socket
 * @e:		the error
 * @offender:	who sent it
 * @ttl:	TTL or hop limit of the ICMP message
 *
 * As Linux: with IP_RECVERR queued and made the pending error (and the
 * program's poll() woken: append_err()); without, only a hard error
 * on a connected socket becomes the pending error.  Blocked receives are
 * run again to see it.
 */
void ns__icmp_queue(struct sock *s, const struct icmp_err_info *e,
		    const ip_addr_t *offender, uint8_t ttl)
{
	struct sk_err *q;
	size_t plen = e->plen > QUOTE_MAX ? QUOTE_MAX : e->plen;

	/* an AF_INET6 socket's ICMPv4 errors (v4-mapped) ask IP_RECVERR */
	if (!ns__recverr(s, IP_IS_V4(&e->dst))) {
		if (!e->hard || !connected(s))
			return;
		if (s->host_err)
			ns__errq_take_host(s);	/* this one replaces it */
		s->so_error = e->err;
		s->host_err = e->err == ECONNREFUSED && ns__errq_refuse(s);
		ns__retry_waiters(s, W_RECV, ns__udp_recv_call);
		return;
	}
	if (!(q = new_err(s, plen)))
		return;
	if (s->host_err)
		ns__errq_take_host(s);
	q->err = e->err;
	q->origin = IP_IS_V6(&e->dst) ? SO_EE_ORIGIN_ICMP6 : SO_EE_ORIGIN_ICMP;
	q->type = e->type;
	q->code = e->code;
	q->info = e->info;
	ip_addr_copy(q->offender, *offender);
	ip_addr_copy(q->dst, e->dst);
	q->dport = s->type == SOCK_DGRAM && s->proto == IPPROTO_UDP ? e->dport : 0;
	q->ttl = ttl;
	q->len = (uint16_t)plen;
	memcpy(q->data, e->payload, plen);
	s->so_error = e->err;
	debug("socket %llu: ICMP error %u/%u queued (%s)",
	      (unsigned long long)s->ino, e->type, e->code, strerror(e->err));
	append_err(s, q);
}

/**
 * ns__icmp_local_err() - queue a local EMSGSIZE, as Linux's
 *			   ip_local_error() and ipv6_local_error()
 * @s:		the socket whose send was refused
 * @dst:	where it was going
 * @dport:	its destination port (UDP), else 0
 * @mtu:	the MTU it did not fit, for ee_info
 *
 * Only with IP_RECVERR (IPV6_RECVERR); the entry has no offender and no
 * data, and does not become the pending error (the send already failed).
 * Its name's port is @dport for IPv6 (the flow's, ipv6_local_error()),
 * but for IPv4 the socket's connected port, 0 when not connected
 * (ip_local_error() takes inet_dport): tracepath matches a probe by that
 * port, so prints a time on its "[LOCALHOST]" line for IPv6 only.
 */
void ns__icmp_local_err(struct sock *s, const ip_addr_t *dst, uint16_t dport,
			uint32_t mtu)
{
	struct sk_err *q;

	if (!ns__recverr(s, IP_IS_V4(dst)) || !(q = new_err(s, 0)))
		return;
	q->err = EMSGSIZE;
	q->origin = SO_EE_ORIGIN_LOCAL;
	q->info = mtu;
	ip_addr_copy(q->dst, *dst);
	q->dport = dport;
	if (IP_IS_V4(dst))
		q->dport = s->type == SOCK_DGRAM && !ns__on_raw(s) && s->pcb.udp &&
			   (s->pcb.udp->flags & UDP_FLAGS_CONNECTED) ?
			   s->pcb.udp->remote_port : 0;
	q->ttl = 64;
	debug("socket %llu: local EMSGSIZE queued (mtu %u)",
	      (unsigned long long)s->ino, mtu);
	append_err(s, q);
}

/**
 * ns__icmp_take_error() - consume the pending error, as sock_error()
 * @s:		the socket
 * @err:	set to the positive errno
 *
 * Return: true if there was one (and the program did not read the host's
 * copy of it natively)
 */
bool ns__icmp_take_error(struct sock *s, int *err)
{
	if (!s->so_error || s->type == SOCK_STREAM)
		return false;
	if (s->host_err && !ns__errq_take_host(s)) {
		s->so_error = 0;
		return false;
	}
	*err = s->so_error;
	s->so_error = 0;
	return true;
}

/* The control message of an error: sock_extended_err and the offender. */
static void put_ee(struct ns_cmsgs *b, const struct sock *s,
		   const struct sk_err *q)
{
	struct {
		struct sock_extended_err ee;
		struct sockaddr_storage ss;
	} v;
	size_t n;

	memset(&v, 0, sizeof(v));
	v.ee.ee_errno = (uint32_t)q->err;
	v.ee.ee_origin = q->origin;
	v.ee.ee_type = q->type;
	v.ee.ee_code = q->code;
	v.ee.ee_info = q->info;
	if (q->origin == SO_EE_ORIGIN_LOCAL)	/* no offender: zeroes */
		n = s->family == AF_INET ? sizeof(struct sockaddr_in) :
					   sizeof(struct sockaddr_in6);
	else
		n = ns__addr_to_sa(s, &q->offender, 0, &v.ss);
	if (s->family == AF_INET)
		ns__cmsg_put(b, IPPROTO_IP, IP_RECVERR, &v, sizeof(v.ee) + n);
	else
		ns__cmsg_put(b, IPPROTO_IPV6, IPV6_RECVERR, &v, sizeof(v.ee) + n);
}

/* Name, control messages and flags of an error-queue recvmsg(). */
static int put_err_msg(struct trc_call *c, const struct sock *s,
		       const struct sk_err *q, uint64_t umsg, bool trunc)
{
	struct ns_cmsgs cm = { 0 };
	struct msghdr mh;
	uint32_t nl;

	if (trc_mem_read(c, umsg, &mh, sizeof(mh)))
		return -EFAULT;
	nl = mh.msg_namelen;
	if (mh.msg_name && ns__addr_put_len(c, s, &q->dst, q->dport,
					    (uint64_t)(uintptr_t)mh.msg_name, &nl))
		return -EFAULT;
	mh.msg_namelen = mh.msg_name ? nl : 0;
	mh.msg_flags = MSG_ERRQUEUE | (trunc ? MSG_TRUNC : 0);
	/* A local error has no packet: only the timestamps go with it
	 * (ipv4_datagram_support_cmsg(), ip6_datagram_support_cmsg()). */
	if (q->origin == SO_EE_ORIGIN_LOCAL)
		ns__cmsg_stamp(&cm, s, &q->ts);
	else
		ns__cmsg_recv(&cm, s, &q->ts, q->ttl, -1, NULL, 0);
	put_ee(&cm, s, q);
	if (ns__cmsg_write(c, &cm, &mh) || trc_mem_write(c, umsg, &mh, sizeof(mh)))
		return -EFAULT;
	return 0;
}

/* Copy the quoted payload to the program's buffers.  Return: bytes */
static int64_t put_err_data(struct trc_call *c, const struct sk_err *q,
			    const struct iovec *iov, int iovcnt)
{
	size_t left = q->len, off = 0;
	int i;

	for (i = 0; i < iovcnt && left; i++) {
		size_t k = iov[i].iov_len < left ? iov[i].iov_len : left;

		if (k && trc_mem_write(c, (uint64_t)(uintptr_t)iov[i].iov_base,
				       q->data + off, k))
			return -EFAULT;
		off += k;
		left -= k;
	}
	return (int64_t)off;
}

/**
 * ns__icmp_errqueue_recv() - recvmsg(MSG_ERRQUEUE): the oldest queued error
 * @s:		the socket
 * @c:		the call
 * @iov:	the program's buffers (tracee addresses)
 * @iovcnt:	their number
 * @umsg:	the program's msghdr, or 0 (recvfrom: data only)
 * @flags:	MSG_PEEK, MSG_TRUNC
 *
 * Never blocks, as Linux's ip_recv_error().  The data is the quoted part
 * of our datagram, the name where it was going, the control messages the
 * socket asked for and IP_RECVERR/IPV6_RECVERR.  Dequeuing makes the next
 * queued error the pending one.
 *
 * Return: bytes, -EAGAIN when the queue is empty, or -EFAULT
 */
int64_t ns__icmp_errqueue_recv(struct sock *s, struct trc_call *c,
			       const struct iovec *iov, int iovcnt,
			       uint64_t umsg, int flags)
{
	struct sk_err *q = s->eq_head;
	int64_t n;
	int ret;

	if (!q)
		return -EAGAIN;
	n = put_err_data(c, q, iov, iovcnt);
	if (n < 0)
		return n;
	if (umsg && (ret = put_err_msg(c, s, q, umsg, (size_t)n < q->len)))
		return ret;
	if (flags & MSG_TRUNC)
		n = q->len;
	if (flags & MSG_PEEK)
		return n;
	s->eq_head = q->next;
	if (!s->eq_head)
		s->eq_tail = NULL;
	s->eq_len--;
	free(q);
	if (s->host_err)
		ns__errq_take_host(s);
	s->so_error = s->eq_head ? s->eq_head->err : 0;
	if (!s->eq_head)
		ns__errq_lower(s);
	return n;
}

/**
 * ns__icmp_flush() - drop a socket's queued errors
 * @s:		the socket
 */
void ns__icmp_flush(struct sock *s)
{
	struct sk_err *q;

	while ((q = s->eq_head)) {
		s->eq_head = q->next;
		free(q);
	}
	s->eq_tail = NULL;
	s->eq_len = 0;
	ns__errq_lower(s);
}
