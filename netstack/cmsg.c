/* SPDX-License-Identifier: MIT */
/*
 * cmsg.c - ancillary data the program sends with a datagram.
 *
 * Parses the control buffer of a trapped sendmsg() on a datagram socket
 * the way Linux's udp_cmsg_send(), __sock_cmsg_send(), ip_cmsg_send() and
 * ip6_datagram_send_ctl() do: IP_TTL, IP_TOS, IP_PKTINFO and their IPv6
 * counterparts set this datagram's hop limit, traffic class, device and
 * source (one of the sandbox's own), IPV6_DONTFRAG its fragmenting; a
 * malformed buffer or an unknown type at a level the datagram speaks is
 * EINVAL, other levels are ignored.  An AF_INET6 socket's datagram to a
 * v4-mapped address speaks IPv4, as Linux sends it through udp_sendmsg():
 * its IP_* messages count, and of IPv6's only IPV6_PKTINFO, with a
 * v4-mapped source.  The buffer comes from the program: lengths are
 * checked before every access.
 *
 * Also builds the control messages a recvmsg() hands back (SO_TIMESTAMP,
 * SO_TIMESTAMPNS, IP_TTL / IPV6_HOPLIMIT and RFC 2292's IPV6_2292HOPLIMIT,
 * the error queue's IP_RECVERR),
 * and writes them as Linux's put_cmsg() does: what does not fit is left
 * out and MSG_CTRUNC says so.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <netinet/in.h>

#include "internal.h"
#include "netint.h"

#define CMSG_MAX	(64 * 1024)	/* Linux's optmem_max is smaller */

/* An int, exactly (IP_TTL, IP_PROTOCOL), or also a byte (IP_TOS). */
static int int_value(const struct cmsghdr *cm, size_t dlen, bool byte, int *v)
{
	if (dlen == sizeof(int))
		memcpy(v, CMSG_DATA(cm), sizeof(int));
	else if (dlen == 1 && byte)
		*v = *(const uint8_t *)CMSG_DATA(cm);
	else
		return -EINVAL;
	return 0;
}

/*
 * SOL_SOCKET's (__sock_cmsg_send()): SO_MARK needs CAP_NET_ADMIN, which
 * no program here holds for the sandbox; SO_PRIORITY is taken as the
 * option is (sockopt.c) and a packet's priority is nothing here;
 * SO_TIMESTAMPING asks no transmit timestamp only (none is made here);
 * SCM_TXTIME needs SO_TXTIME, which is not served; SCM_RIGHTS and
 * SCM_CREDENTIALS are AF_UNIX's, ignored.
 */
static int sock_level(const struct cmsghdr *cm, size_t dlen)
{
	uint32_t v;

	switch (cm->cmsg_type) {
	case SO_MARK:
		return -EPERM;
	case SO_PRIORITY:
	case SO_TIMESTAMPING:
		if (dlen != sizeof(v))
			return -EINVAL;
		memcpy(&v, CMSG_DATA(cm), sizeof(v));
		return cm->cmsg_type == SO_TIMESTAMPING && v ? -EINVAL : 0;
	case SCM_RIGHTS:
	case SCM_CREDENTIALS:
		return 0;
	default:
		return -EINVAL;
	}
}

static int ip_level(const struct cmsghdr *cm, size_t dlen, struct ns_sendopts *o)
{
	struct in_pktinfo pi;
	int v;

	switch (cm->cmsg_type) {
	case IP_TTL:
		if (int_value(cm, dlen, false, &v) || v < 1 || v > 255)
			return -EINVAL;
		o->ttl = v;
		o->has_ttl = true;
		return 0;
	case IP_TOS:
		if (int_value(cm, dlen, true, &v) || v < 0 || v > 255)
			return -EINVAL;
		o->tos = v;
		return 0;
	case IP_PROTOCOL:	/* a raw socket's protocol, for IPPROTO_RAW:
				 * nothing here sends on one without a header */
		if (int_value(cm, dlen, false, &v) || v < 1 || v > 255)
			return -EINVAL;
		return 0;
	case IP_RETOPTS:	/* none, or options lwIP cannot send */
		return dlen ? -EINVAL : 0;
	case IP_PKTINFO:
		if (dlen != sizeof(pi))
			return -EINVAL;
		memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
		if (pi.ipi_ifindex > 0)		/* the device, as Linux's ipc->oif */
			o->ifindex = (uint32_t)pi.ipi_ifindex;
		if (pi.ipi_spec_dst.s_addr) {
			ip_addr_set_ip4_u32_val(o->src, pi.ipi_spec_dst.s_addr);
			o->has_src = true;
		}
		return 0;
	default:
		return -EINVAL;
	}
}

/* An AF_INET6 socket's IPV6_PKTINFO for an IPv4 datagram (ip_cmsg_send()
 * with allow_ipv6): the device, and a v4-mapped source or none. */
static int ip_mapped_pktinfo(const struct cmsghdr *cm, size_t dlen,
			     struct ns_sendopts *o)
{
	struct in6_pktinfo pi;
	uint32_t a;

	if (dlen < sizeof(pi))
		return -EINVAL;
	memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
	if (!IN6_IS_ADDR_V4MAPPED(&pi.ipi6_addr))
		return -EINVAL;
	if (pi.ipi6_ifindex)
		o->ifindex = pi.ipi6_ifindex;
	memcpy(&a, &pi.ipi6_addr.s6_addr[12], 4);
	o->has_src = a != 0;
	if (a)
		ip_addr_set_ip4_u32_val(o->src, a);
	return 0;
}

static int ipv6_level(const struct sock *s, const struct cmsghdr *cm,
		      size_t dlen, struct ns_sendopts *o)
{
	struct in6_pktinfo pi;
	int v;

	switch (cm->cmsg_type) {
	case IPV6_HOPLIMIT:
	case IPV6_2292HOPLIMIT:		/* RFC 2292's names, as Linux */
		if (dlen != sizeof(int))
			return -EINVAL;
		memcpy(&v, CMSG_DATA(cm), sizeof(int));
		if (v < -1 || v > 255)
			return -EINVAL;
		/* -1: the socket's own, as if none had been given */
		o->ttl = v == -1 ? ns__ttl(s, false) : v;
		o->has_ttl = v != -1;
		return 0;
	case IPV6_TCLASS:
		if (dlen != sizeof(int))
			return -EINVAL;
		memcpy(&v, CMSG_DATA(cm), sizeof(int));
		if (v < -1 || v > 255)
			return -EINVAL;
		o->tos = v == -1 ? ns__tos(s, false) : v;	/* RFC 3542 */
		return 0;
	case IPV6_DONTFRAG:
		if (dlen != sizeof(int))
			return -EINVAL;
		memcpy(&v, CMSG_DATA(cm), sizeof(int));
		if (v < 0 || v > 1)
			return -EINVAL;
		o->dontfrag = v;
		return 0;
	case IPV6_PKTINFO:
	case IPV6_2292PKTINFO:
		if (dlen < sizeof(pi))
			return -EINVAL;
		memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
		if (pi.ipi6_ifindex)
			o->ifindex = pi.ipi6_ifindex;
		if (!IN6_IS_ADDR_UNSPECIFIED(&pi.ipi6_addr)) {
			IP_ADDR6(&o->src, 0, 0, 0, 0);
			memcpy(ip_2_ip6(&o->src)->addr, &pi.ipi6_addr, 16);
			ip6_addr_clear_zone(ip_2_ip6(&o->src));
			/* one of the sandbox's, or IPV6_FREEBIND
			 * (ipv6_can_nonlocal_bind()); a v4-mapped one is none */
			if (IN6_IS_ADDR_V4MAPPED(&pi.ipi6_addr) ||
			    !ns__bind_addr_ok(s, &o->src))
				return -EINVAL;
			o->has_src = true;
		}
		return 0;
	default:
		return -EINVAL;
	}
}

/* Each message of @buf, as for_each_cmsghdr() walks them: a header
 * that does not fit ends the walk; one that claims too little or more
 * than is left is EINVAL (CMSG_OK()). */
static int walk(const uint8_t *buf, size_t len, size_t *off,
		const struct cmsghdr **cm)
{
	if (*off + sizeof(struct cmsghdr) > len)
		return 0;
	*cm = (const struct cmsghdr *)(buf + *off);
	if ((*cm)->cmsg_len < sizeof(struct cmsghdr) || (*cm)->cmsg_len > len - *off)
		return -EINVAL;
	*off += CMSG_ALIGN((*cm)->cmsg_len);
	return 1;
}

/**
 * ns__cmsg_send() - parse a sendmsg() control buffer for a datagram socket
 * @c:		the call
 * @s:		the socket
 * @mh:		the program's msghdr, already copied
 * @v4:		the datagram is IPv4 (an AF_INET6 socket's to a v4-mapped
 *		address too)
 * @o:		filled in (starts from the socket's own TTL and TOS)
 *
 * Return: 0, -EFAULT, -EINVAL, -EPERM, -ENETUNREACH or -ENOBUFS, as Linux
 */
int ns__cmsg_send(struct trc_call *c, const struct sock *s,
		  const struct msghdr *mh, bool v4, struct ns_sendopts *o)
{
	size_t len = mh->msg_controllen, off = 0;
	const struct cmsghdr *cm;
	uint8_t *buf;
	int ret = 0;

	o->ttl = ns__ttl(s, v4);
	o->tos = ns__tos(s, v4);
	o->has_ttl = false;
	o->has_src = false;
	o->ifindex = 0;
	o->dontfrag = -1;
	if (!len)
		return 0;
	if (len > INT_MAX || len > CMSG_MAX)
		return -ENOBUFS;
	if (len < sizeof(struct cmsghdr))
		return 0;	/* CMSG_FIRSTHDR() finds none */
	buf = malloc(len);
	if (!buf)
		return -ENOMEM;
	if (trc_mem_read(c, (uint64_t)(uintptr_t)mh->msg_control, buf, len)) {
		free(buf);
		return -EFAULT;
	}
	/* udp_cmsg_send() first: every header checked, SOL_UDP's taken
	 * (UDP_SEGMENT only, which is not served here: EINVAL too) */
	if (s->type == SOCK_DGRAM && !ns__on_raw(s))
		while ((ret = walk(buf, len, &off, &cm)) == 1)
			if (cm->cmsg_level == IPPROTO_UDP) {
				ret = -EINVAL;
				break;
			}
	for (off = 0; !ret && (ret = walk(buf, len, &off, &cm)) == 1;) {
		size_t dlen = cm->cmsg_len - CMSG_LEN(0);

		ret = 0;	/* other levels are ignored */
		if (cm->cmsg_level == SOL_SOCKET)
			ret = sock_level(cm, dlen);
		else if (cm->cmsg_level == IPPROTO_IP && v4)
			ret = ip_level(cm, dlen, o);
		else if (cm->cmsg_level == IPPROTO_IPV6 && s->family == AF_INET6 && !v4)
			ret = ipv6_level(s, cm, dlen, o);
		else if (cm->cmsg_level == IPPROTO_IPV6 && s->family == AF_INET6 &&
			 cm->cmsg_type == IPV6_PKTINFO)
			ret = ip_mapped_pktinfo(cm, dlen, o);
	}
	free(buf);
	/* an IPv4 source must be the sandbox's (__ip_route_output_key():
	 * IP_FREEBIND does not make another one good) */
	if (!ret && v4 && o->has_src && !ns__addr_is_local(&o->src))
		ret = -ENETUNREACH;
	return ret;
}

/**
 * ns__cmsg_put() - append one control message
 * @b:		the messages being built
 * @level:	cmsg_level
 * @type:	cmsg_type
 * @data:	its data
 * @len:	data length
 *
 * A message that does not fit in @b is dropped: @b is sized for what
 * netstack/ hands back, so that is a bug of ours, not the program's.
 */
void ns__cmsg_put(struct ns_cmsgs *b, int level, int type, const void *data,
		  size_t len)
{
	struct cmsghdr cm = { .cmsg_len = CMSG_LEN(len), .cmsg_level = level,
			      .cmsg_type = type };
	size_t space = CMSG_SPACE(len);

	if (b->len + space > sizeof(b->buf))
		return;
	memset(b->buf + b->len, 0, space);
	memcpy(b->buf + b->len, &cm, sizeof(cm));
	memcpy(b->buf + b->len + CMSG_LEN(0), data, len);
	b->len += space;
}

/*
 * IP_PKTINFO: the device, the header's destination and the local address
 * a reply would come from (the destination itself, or for multicast and
 * broadcast, not an address of ours, the device's own, as Linux's
 * fib_compute_spec_dst(); none for a ping socket);
 * IPV6_PKTINFO (@type, or IPV6_2292PKTINFO): destination and device.
 */
static void put_pktinfo(struct ns_cmsgs *b, const struct sock *s, int type,
			const ip_addr_t *dst, uint32_t ifindex)
{
	if (type == IP_PKTINFO) {
		struct in_pktinfo pi = { .ipi_ifindex = (int)ifindex };
		uint32_t a = IP_IS_V4(dst) ? ip4_addr_get_u32(ip_2_ip4(dst)) : 0;

		pi.ipi_addr.s_addr = a;
		pi.ipi_spec_dst.s_addr = a;
		/* a ping socket's stays 0: ping_queue_rcv_skb() skips
		 * ipv4_pktinfo_prepare(), which UDP and raw sockets call */
		if (s->type == SOCK_DGRAM && s->proto == IPPROTO_ICMP)
			pi.ipi_spec_dst.s_addr = 0;
		else if ((ip_addr_ismulticast(dst) || !ns__addr_is_local(dst)) &&
		    !net__select_src4(ns_net(s->ns), ifindex, (const uint8_t *)&a,
				      (uint8_t *)&pi.ipi_spec_dst.s_addr))
			pi.ipi_spec_dst.s_addr = 0;
		ns__cmsg_put(b, IPPROTO_IP, IP_PKTINFO, &pi, sizeof(pi));
	} else {
		struct in6_pktinfo pi = { .ipi6_ifindex = ifindex };

		if (IP_IS_V6(dst))
			memcpy(&pi.ipi6_addr, ip_2_ip6(dst)->addr, 16);
		else if (IP_IS_V4(dst)) {	/* v4-mapped, on a dual-stack socket */
			pi.ipi6_addr.s6_addr[10] = pi.ipi6_addr.s6_addr[11] = 0xff;
			memcpy(&pi.ipi6_addr.s6_addr[12], &ip_2_ip4(dst)->addr, 4);
		}
		ns__cmsg_put(b, IPPROTO_IPV6, type, &pi, sizeof(pi));
	}
}

/**
 * ns__cmsg_stamp() - a received datagram's timestamps (SO_TIMESTAMP,
 *		       SO_TIMESTAMPNS), as Linux's sock_recv_timestamp()
 * @b:		appended to
 * @s:		the socket
 * @ts:		arrival time, or NULL if unknown (now)
 */
void ns__cmsg_stamp(struct ns_cmsgs *b, const struct sock *s,
		    const struct timespec *ts)
{
	struct timespec now;

	if (!ts) {
		clock_gettime(CLOCK_REALTIME, &now);
		ts = &now;
	}
	if (s->timestamp) {
		struct timeval tv = { ts->tv_sec, ts->tv_nsec / 1000 };

		ns__cmsg_put(b, SOL_SOCKET, SO_TIMESTAMP, &tv, sizeof(tv));
	}
	if (s->timestampns)
		ns__cmsg_put(b, SOL_SOCKET, SO_TIMESTAMPNS, ts, sizeof(*ts));
}

/* The IPv4 messages of a datagram: IP_PKTINFO when @pkt (its socket),
 * IP_TTL, IP_TOS (a byte, ip_cmsg_recv_tos()). */
static void put_v4(struct ns_cmsgs *b, const struct sock *pkt, bool recvttl,
		   bool recvtos, int ttl, int tos, const ip_addr_t *dst,
		   uint32_t ifindex)
{
	if (pkt && dst)
		put_pktinfo(b, pkt, IP_PKTINFO, dst, ifindex);
	if (recvttl)
		ns__cmsg_put(b, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
	if (recvtos && tos >= 0) {
		uint8_t t = (uint8_t)tos;

		ns__cmsg_put(b, IPPROTO_IP, IP_TOS, &t, sizeof(t));
	}
}

/**
 * ns__cmsg_recv() - the control messages of a received datagram
 * @b:		appended to
 * @s:		the socket (its SO_TIMESTAMP(NS), IP(V6)_PKTINFO, IP_RECVTTL,
 *		IP_RECVTOS options, and RFC 2292's IPV6_2292PKTINFO and
 *		IPV6_2292HOPLIMIT)
 * @ts:		arrival time, or NULL if unknown
 * @ttl:	TTL or hop limit the datagram arrived with
 * @tos:	its TOS or traffic class, or -1 if unknown
 * @dst:	its destination address, or NULL if unknown (no PKTINFO)
 * @ifindex:	the device it arrived on
 *
 * In Linux's order: timestamps (sock_recv_timestamp()), then PKTINFO,
 * then TTL, then TOS, then the RFC 2292 ones (ip_cmsg_recv_offset(),
 * ip6_datagram_recv_specific_ctl()).  An AF_INET6 socket's IPv4 datagram
 * (v4-mapped) brings IPV6_PKTINFO, then the IPv4 messages asked for at
 * IPPROTO_IP, and none of IPv6's others (udpv6_recvmsg()).
 */
void ns__cmsg_recv(struct ns_cmsgs *b, const struct sock *s,
		   const struct timespec *ts, int ttl, int tos,
		   const ip_addr_t *dst, uint32_t ifindex)
{
	bool v4 = s->family == AF_INET;

	ns__cmsg_stamp(b, s, ts);
	if (!v4 && dst && IP_IS_V4(dst)) {	/* a dual-stack socket's */
		if (s->pktinfo)
			put_pktinfo(b, s, IPV6_PKTINFO, dst, ifindex);
		put_v4(b, s->ip_pktinfo ? s : NULL, s->ip_recvttl, s->ip_recvtos,
		       ttl, tos, dst, ifindex);
		return;
	}
	if (v4) {
		put_v4(b, s->pktinfo ? s : NULL, s->recvttl, s->recvtos, ttl, tos,
		       dst, ifindex);
		return;
	}
	if (s->pktinfo && dst)
		put_pktinfo(b, s, IPV6_PKTINFO, dst, ifindex);
	if (s->recvttl)
		ns__cmsg_put(b, IPPROTO_IPV6, IPV6_HOPLIMIT, &ttl, sizeof(ttl));
	if (s->recvtos && tos >= 0)	/* an int, where IPv4's is a byte */
		ns__cmsg_put(b, IPPROTO_IPV6, IPV6_TCLASS, &tos, sizeof(tos));
	if (s->pktinfo2292 && dst)
		put_pktinfo(b, s, IPV6_2292PKTINFO, dst, ifindex);
	if (s->hoplimit2292)
		ns__cmsg_put(b, IPPROTO_IPV6, IPV6_2292HOPLIMIT, &ttl, sizeof(ttl));
}

/**
 * ns__cmsg_write() - copy control messages to the program's msghdr
 * @c:		the call
 * @b:		the messages
 * @mh:		the program's msghdr, copied in; its msg_controllen and
 *		msg_flags (MSG_CTRUNC) are updated for the caller to write back
 *
 * As Linux's put_cmsg() does for each: a message whose header does not
 * fit sets MSG_CTRUNC and is not written; one whose data does not fit is
 * written cut, its cmsg_len what fits, with MSG_CTRUNC; one whose padding
 * does not fit takes the room that is left.  msg_controllen becomes the
 * room taken.
 *
 * Return: 0 or -EFAULT
 */
int ns__cmsg_write(struct trc_call *c, const struct ns_cmsgs *b,
		   struct msghdr *mh)
{
	size_t room = mh->msg_control ? mh->msg_controllen : 0, off = 0, n = 0;
	uint8_t out[sizeof(b->buf)];
	struct cmsghdr cm;

	/* Each message of @b starts at a multiple of CMSG_SPACE(0) and holds
	 * cmsg_len >= CMSG_LEN(0) (ns__cmsg_put()); only the room the
	 * program gave can end one short, and then nothing follows it */
	while (off + sizeof(cm) <= b->len) {
		size_t len, space, take;

		memcpy(&cm, b->buf + off, sizeof(cm));
		if (cm.cmsg_len < CMSG_LEN(0) || cm.cmsg_len > b->len - off)
			break;		/* not ns__cmsg_put()'s: a guard */
		space = CMSG_SPACE(cm.cmsg_len - CMSG_LEN(0));
		if (space > b->len - off)
			space = b->len - off;
		if (room - n < sizeof(cm)) {
			mh->msg_flags |= MSG_CTRUNC;
			break;
		}
		len = cm.cmsg_len;
		if (len > room - n) {
			mh->msg_flags |= MSG_CTRUNC;
			len = room - n;
		}
		take = space < room - n ? space : room - n;
		memcpy(out + n, b->buf + off, take);	/* padding: zeros */
		cm.cmsg_len = len;
		memcpy(out + n, &cm, sizeof(cm));
		n += take;
		off += space;
	}
	if (n && trc_mem_write(c, (uint64_t)(uintptr_t)mh->msg_control, out, n))
		return -EFAULT;
	mh->msg_controllen = n;
	return 0;
}
