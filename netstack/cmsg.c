/* SPDX-License-Identifier: MIT */
/*
 * cmsg.c - ancillary data the program sends with a datagram.
 *
 * Parses the control buffer of a trapped sendmsg() on a UDP socket the way
 * Linux's ip_cmsg_send()/ip6_datagram_send_ctl() do: IP_TTL, IP_TOS,
 * IP_PKTINFO and their IPv6 counterparts set this datagram's hop limit,
 * traffic class and source; a malformed buffer or an unknown type at a
 * level the socket speaks is EINVAL, other levels are ignored.  The buffer
 * comes from the program: lengths are checked before every access.
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

static int int_value(const struct cmsghdr *cm, size_t dlen, int *v)
{
	if (dlen == sizeof(int))
		memcpy(v, CMSG_DATA(cm), sizeof(int));
	else if (dlen == 1)	/* Linux takes a byte for IP_TTL/IP_TOS too */
		*v = *(const uint8_t *)CMSG_DATA(cm);
	else
		return -EINVAL;
	return 0;
}

static int ip_level(const struct cmsghdr *cm, size_t dlen, struct ns_sendopts *o)
{
	struct in_pktinfo pi;
	int v;

	switch (cm->cmsg_type) {
	case IP_TTL:
		if (int_value(cm, dlen, &v) || v < 1 || v > 255)
			return -EINVAL;
		o->ttl = v;
		o->has_ttl = true;
		return 0;
	case IP_TOS:
		if (int_value(cm, dlen, &v) || v < 0 || v > 255)
			return -EINVAL;
		o->tos = v;
		return 0;
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

static int ipv6_level(const struct cmsghdr *cm, size_t dlen, struct ns_sendopts *o)
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
		o->ttl = v == -1 ? 64 : v;
		o->has_ttl = v != -1;
		return 0;
	case IPV6_TCLASS:
		if (dlen != sizeof(int))
			return -EINVAL;
		memcpy(&v, CMSG_DATA(cm), sizeof(int));
		if (v < -1 || v > 255)
			return -EINVAL;
		o->tos = v == -1 ? 0 : v;
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
			o->has_src = true;
		}
		return 0;
	default:
		return -EINVAL;
	}
}

/**
 * ns__cmsg_send() - parse a sendmsg() control buffer for a UDP socket
 * @c:		the call
 * @s:		the socket
 * @mh:		the program's msghdr, already copied
 * @o:		filled in (starts from the socket's own TTL and TOS)
 *
 * Return: 0, -EFAULT, -EINVAL or -ENOBUFS, as Linux
 */
int ns__cmsg_send(struct trc_call *c, const struct sock *s,
		  const struct msghdr *mh, struct ns_sendopts *o)
{
	size_t len = mh->msg_controllen, off = 0;
	uint8_t *buf;
	int ret = 0;

	o->ttl = s->ttl;
	o->tos = s->tos;
	o->has_ttl = false;
	o->has_src = false;
	o->ifindex = 0;
	if (!len)
		return 0;
	if (len > INT_MAX || len > CMSG_MAX)
		return -ENOBUFS;
	if (len < sizeof(struct cmsghdr))
		return -EINVAL;
	buf = malloc(len);
	if (!buf)
		return -ENOMEM;
	if (trc_mem_read(c, (uint64_t)(uintptr_t)mh->msg_control, buf, len)) {
		free(buf);
		return -EFAULT;
	}
	while (!ret && off + sizeof(struct cmsghdr) <= len) {
		struct cmsghdr *cm = (struct cmsghdr *)(buf + off);
		size_t dlen;

		if (cm->cmsg_len < sizeof(struct cmsghdr) || cm->cmsg_len > len - off) {
			ret = -EINVAL;
			break;
		}
		dlen = cm->cmsg_len - CMSG_LEN(0);
		if (cm->cmsg_level == SOL_SOCKET)
			ret = -EINVAL;	/* SCM_RIGHTS and the like mean nothing here */
		else if (cm->cmsg_level == IPPROTO_IP && s->family == AF_INET)
			ret = ip_level(cm, dlen, o);
		else if (cm->cmsg_level == IPPROTO_IPV6 && s->family == AF_INET6)
			ret = ipv6_level(cm, dlen, o);
		off += CMSG_ALIGN(cm->cmsg_len);
	}
	free(buf);
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
 * fib_compute_spec_dst());
 * IPV6_PKTINFO (@type, or IPV6_2292PKTINFO): destination and device.
 */
static void put_pktinfo(struct ns_cmsgs *b, const struct sock *s, int type,
			const ip_addr_t *dst, uint32_t ifindex)
{
	if (s->family == AF_INET) {
		struct in_pktinfo pi = { .ipi_ifindex = (int)ifindex };
		uint32_t a = IP_IS_V4(dst) ? ip4_addr_get_u32(ip_2_ip4(dst)) : 0;

		pi.ipi_addr.s_addr = a;
		pi.ipi_spec_dst.s_addr = a;
		if ((ip_addr_ismulticast(dst) || !ns__addr_is_local(dst)) &&
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
 * ip6_datagram_recv_specific_ctl()).
 */
void ns__cmsg_recv(struct ns_cmsgs *b, const struct sock *s,
		   const struct timespec *ts, int ttl, int tos,
		   const ip_addr_t *dst, uint32_t ifindex)
{
	ns__cmsg_stamp(b, s, ts);
	if (s->pktinfo && dst)
		put_pktinfo(b, s, IPV6_PKTINFO, dst, ifindex);
	if (s->recvttl && s->family == AF_INET)
		ns__cmsg_put(b, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
	else if (s->recvttl)
		ns__cmsg_put(b, IPPROTO_IPV6, IPV6_HOPLIMIT, &ttl, sizeof(ttl));
	/* IPv4's is a byte (ip_cmsg_recv_tos()), IPv6's an int */
	if (s->recvtos && tos >= 0 && s->family == AF_INET) {
		uint8_t t = (uint8_t)tos;

		ns__cmsg_put(b, IPPROTO_IP, IP_TOS, &t, sizeof(t));
	} else if (s->recvtos && tos >= 0) {
		ns__cmsg_put(b, IPPROTO_IPV6, IPV6_TCLASS, &tos, sizeof(tos));
	}
	if (s->family != AF_INET6)
		return;
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
