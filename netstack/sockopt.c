/* SPDX-License-Identifier: MIT */
/*
 * sockopt.c - setsockopt() and getsockopt() on emulated sockets.
 *
 * A table lists each supported (level, name): which sockets it applies to
 * and where its value lives.  Options that only tune the Linux kernel's own
 * behaviour and that lwIP has no use for are kept and reported back, so
 * programs that set them run; options the table lacks give ENOPROTOOPT.
 * SO_RCVTIMEO and SO_SNDTIMEO go to the kernel: they govern the program's
 * native reads and writes on its end of the pair.
 * IP_MTU_DISCOVER (DO, PROBE) and IPV6_DONTFRAG make datagram sockets'
 * packets unfragmentable (udp.c); IP_MTU and IPV6_MTU read the device MTU
 * towards a connected peer, and IPV6_MTU set caps where a datagram
 * socket's IPv6 packets are fragmented (Linux's frag_size; udp.c
 * ns__dgram_frag_size(), patches/lwip/0061).  SO_MAX_PACING_RATE paces
 * TCP connections in lwIP (tcp.c pace_room()).  SO_ATTACH_FILTER's
 * classic BPF (cbpf.c) runs on what datagram and netlink sockets receive.
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <linux/icmp.h>

#include "lwip/tcp.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/udp.h"
#include "lwip/raw.h"
#include "lwip/netif.h"
#include "lwip/sys.h"

#include "cbpf.h"
#include "internal.h"
#include "rtnl.h"
#include "net.h"

/* <netinet/icmp6.h> clashes with lwIP's headers; its value: */
#ifndef ICMP6_FILTER
#define ICMP6_FILTER	1
#endif
/* <linux/in6.h>'s, which glibc's <netinet/in.h> lacks */
#ifndef IPV6_HDRINCL
#define IPV6_HDRINCL	36
#endif
/* <asm-generic/socket.h>'s and <linux/udp.h>'s that glibc 2.36 lacks */
#ifndef SO_PREFER_BUSY_POLL
#define SO_PREFER_BUSY_POLL	69
#endif
#ifndef SO_BUSY_POLL_BUDGET
#define SO_BUSY_POLL_BUDGET	70
#endif
#ifndef SO_TXREHASH
#define SO_TXREHASH		74
#endif
#ifndef SO_RCVMARK
#define SO_RCVMARK		75
#endif
#ifndef SO_PASSPIDFD
#define SO_PASSPIDFD		76
#endif
#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD		77
#endif
#ifndef TCP_IS_MPTCP
#define TCP_IS_MPTCP		43
#endif
#ifndef SO_RCVPRIORITY
#define SO_RCVPRIORITY		82
#endif
#ifndef SO_BUF_LOCK
#define SO_BUF_LOCK		72
#endif
#ifndef SO_RESERVE_MEM
#define SO_RESERVE_MEM		73
#endif
#ifndef SO_PASSRIGHTS
#define SO_PASSRIGHTS		83
#endif
#ifndef UDP_GRO
#define UDP_GRO			104
#endif
#ifndef IP_LOCAL_PORT_RANGE
#define IP_LOCAL_PORT_RANGE	51
#endif

/* DGRAM_ONLY: UDP, ping and raw sockets, all but TCP. */
enum applies { ANY, TCP_ONLY, DGRAM_ONLY, UDP_ONLY, V4_ONLY, V6_ONLY };

struct opt {
	int level, name;
	enum applies on;
	size_t field;		/* offsetof(struct sock, int or bool field) */
	bool is_bool;
	bool doubled;		/* Linux reports twice what was set */
	bool readonly;
};

#define F(f) offsetof(struct sock, f)

static const struct opt opts[] = {
	{ SOL_SOCKET, SO_REUSEADDR, ANY, F(reuseaddr), true, false, false },
	{ SOL_SOCKET, SO_REUSEPORT, ANY, F(reuseport), true, false, false },
	{ SOL_SOCKET, SO_KEEPALIVE, ANY, F(keepalive), true, false, false },
	{ SOL_SOCKET, SO_BROADCAST, ANY, F(broadcast), true, false, false },
	{ SOL_SOCKET, SO_RCVBUF, ANY, F(rcvbuf), false, true, false },
	{ SOL_SOCKET, SO_SNDBUF, ANY, F(sndbuf), false, true, false },
	{ SOL_SOCKET, SO_PRIORITY, ANY, F(priority), false, false, false },
	{ SOL_SOCKET, SO_OOBINLINE, ANY, F(oobinline), true, false, false },
	{ SOL_SOCKET, SO_DONTROUTE, ANY, F(dontroute), true, false, false },
	{ SOL_SOCKET, SO_TIMESTAMP, ANY, F(timestamp), true, false, false },
	{ SOL_SOCKET, SO_TIMESTAMPNS, ANY, F(timestampns), true, false, false },
	{ SOL_SOCKET, SO_RCVLOWAT, ANY, F(rcvlowat), false, false, false },
	{ SOL_SOCKET, SO_INCOMING_CPU, ANY, F(incoming_cpu), false, false, false },
	{ SOL_SOCKET, SO_DEBUG, ANY, F(debug), true, false, false },
	/* no device here is polled by NAPI */
	{ SOL_SOCKET, SO_BUSY_POLL, ANY, F(busy_poll), false, false, false },
	{ SOL_SOCKET, SO_PREFER_BUSY_POLL, ANY, F(prefer_busy_poll), true, false, false },
	/* control messages for a packet's mark or priority, sent only when
	 * not 0 (sock_recv_mark(), _priority()): 0 here */
	{ SOL_SOCKET, SO_RCVMARK, ANY, F(rcvmark), true, false, false },
	{ SOL_SOCKET, SO_RCVPRIORITY, ANY, F(rcvpriority), true, false, false },
	/* Wi-Fi devices and frame check sequences: none here */
	{ SOL_SOCKET, SO_WIFI_STATUS, ANY, F(wifi_status), true, false, false },
	{ SOL_SOCKET, SO_NOFCS, ANY, F(nofcs), true, false, false },
	/* SOCK_SNDBUF_LOCK, SOCK_RCVBUF_LOCK, which set_buf() sets too */
	{ SOL_SOCKET, SO_BUF_LOCK, ANY, F(buf_lock), false, false, false },
	{ IPPROTO_TCP, TCP_NODELAY, TCP_ONLY, F(nodelay), true, false, false },
	{ IPPROTO_TCP, TCP_CORK, TCP_ONLY, F(cork), true, false, false },
	{ IPPROTO_TCP, TCP_QUICKACK, TCP_ONLY, F(quickack), true, false, false },
	{ IPPROTO_TCP, TCP_KEEPIDLE, TCP_ONLY, F(keepidle), false, false, false },
	{ IPPROTO_TCP, TCP_KEEPINTVL, TCP_ONLY, F(keepintvl), false, false, false },
	{ IPPROTO_TCP, TCP_KEEPCNT, TCP_ONLY, F(keepcnt), false, false, false },
	{ IPPROTO_TCP, TCP_USER_TIMEOUT, TCP_ONLY, F(user_timeout), false, false, false },
	{ IPPROTO_TCP, TCP_DEFER_ACCEPT, TCP_ONLY, F(defer_accept), false, false, false },
	{ IPPROTO_TCP, TCP_NOTSENT_LOWAT, TCP_ONLY, F(notsent_lowat), false, false, false },
	{ IPPROTO_TCP, TCP_FASTOPEN, TCP_ONLY, F(fastopen), false, false, false },
	{ IPPROTO_TCP, TCP_WINDOW_CLAMP, TCP_ONLY, F(window_clamp), false, false, false },
	{ IPPROTO_TCP, TCP_MAXSEG, TCP_ONLY, F(maxseg), false, false, false },
	{ IPPROTO_TCP, TCP_SYNCNT, TCP_ONLY, F(syncnt), false, false, false },
	{ IPPROTO_TCP, TCP_LINGER2, TCP_ONLY, F(linger2), false, false, false },
	{ IPPROTO_TCP, TCP_FASTOPEN_CONNECT, TCP_ONLY, F(fastopen_connect), true, false, false },
	/* a checksum message only for CHECKSUM_COMPLETE packets, a security
	 * context only from a security module: neither here */
	{ IPPROTO_IP, IP_CHECKSUM, ANY, F(ip_checksum), true, false, false },
	{ IPPROTO_IP, IP_PASSSEC, ANY, F(ip_passsec), true, false, false },
	/* no datagram is coalesced: each comes alone, without the message */
	{ IPPROTO_UDP, UDP_GRO, UDP_ONLY, F(udp_gro), true, false, false },
	/* an AF_INET6 socket's are for its IPv4 traffic (ns__ttl()) */
	{ IPPROTO_IP, IP_TOS, V4_ONLY, F(tos), false, false, false },
	{ IPPROTO_IP, IP_TOS, V6_ONLY, F(ip_tos), false, false, false },
	{ IPPROTO_IP, IP_TTL, V4_ONLY, F(ttl), false, false, false },
	{ IPPROTO_IP, IP_TTL, V6_ONLY, F(ip_ttl), false, false, false },
	{ IPPROTO_IP, IP_MINTTL, ANY, F(minttl), false, false, false },
	{ IPPROTO_IP, IP_RECVERR, V4_ONLY, F(recverr), true, false, false },
	{ IPPROTO_IP, IP_RECVERR, V6_ONLY, F(ip_recverr), true, false, false },
	/* TCP keeps these too (do_ip_setsockopt()) and delivers none; an
	 * AF_INET6 socket's are for its IPv4 datagrams only (cmsg.c) */
	{ IPPROTO_IP, IP_PKTINFO, V4_ONLY, F(pktinfo), true, false, false },
	{ IPPROTO_IP, IP_PKTINFO, V6_ONLY, F(ip_pktinfo), true, false, false },
	{ IPPROTO_IP, IP_RECVTTL, V4_ONLY, F(recvttl), true, false, false },
	{ IPPROTO_IP, IP_RECVTTL, V6_ONLY, F(ip_recvttl), true, false, false },
	{ IPPROTO_IP, IP_RECVTOS, V4_ONLY, F(recvtos), true, false, false },
	{ IPPROTO_IP, IP_RECVTOS, V6_ONLY, F(ip_recvtos), true, false, false },
	{ IPPROTO_IP, IP_RETOPTS, ANY, F(retopts), true, false, false },
	{ IPPROTO_IP, IP_RECVOPTS, ANY, F(recvopts), true, false, false },
	/* non-zero needs CAP_NET_ADMIN or CAP_NET_RAW: check() */
	{ IPPROTO_IP, IP_TRANSPARENT, ANY, F(transparent), true, false, false },
	{ IPPROTO_IP, IP_MTU_DISCOVER, V4_ONLY, F(pmtudisc), false, false, false },
	{ IPPROTO_IP, IP_MTU_DISCOVER, V6_ONLY, F(ip_pmtudisc), false, false, false },
	{ IPPROTO_IP, IP_FREEBIND, ANY, F(freebind), true, false, false },
	/* IPv6's names for the same two bits (inet_test_bit()) */
	{ IPPROTO_IPV6, IPV6_FREEBIND, V6_ONLY, F(freebind), true, false, false },
	{ IPPROTO_IPV6, IPV6_TRANSPARENT, V6_ONLY, F(transparent), true, false, false },
	{ IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, ANY, F(bind_no_port), true, false, false },
	{ IPPROTO_IPV6, IPV6_V6ONLY, V6_ONLY, F(v6only), true, false, false },
	{ IPPROTO_IPV6, IPV6_UNICAST_HOPS, V6_ONLY, F(ttl), false, false, false },
	{ IPPROTO_IPV6, IPV6_MINHOPCOUNT, V6_ONLY, F(minhops), false, false, false },
	{ IPPROTO_IPV6, IPV6_TCLASS, V6_ONLY, F(tos), false, false, false },
	{ IPPROTO_IPV6, IPV6_RECVPKTINFO, V6_ONLY, F(pktinfo), true, false, false },
	{ IPPROTO_IPV6, IPV6_RECVHOPLIMIT, V6_ONLY, F(recvttl), true, false, false },
	/* RFC 2292's: the same, under their own cmsg types (tracepath -6) */
	{ IPPROTO_IPV6, IPV6_2292PKTINFO, V6_ONLY, F(pktinfo2292), true, false, false },
	{ IPPROTO_IPV6, IPV6_2292HOPLIMIT, V6_ONLY, F(hoplimit2292), true, false, false },
	{ IPPROTO_IPV6, IPV6_2292HOPOPTS, V6_ONLY, F(hopopts2292), true, false, false },
	{ IPPROTO_IPV6, IPV6_2292RTHDR, V6_ONLY, F(rthdr2292), true, false, false },
	{ IPPROTO_IPV6, IPV6_2292DSTOPTS, V6_ONLY, F(dstopts2292), true, false, false },
	{ IPPROTO_IPV6, IPV6_RECVHOPOPTS, V6_ONLY, F(recvhopopts), true, false, false },
	{ IPPROTO_IPV6, IPV6_RECVRTHDR, V6_ONLY, F(recvrthdr), true, false, false },
	{ IPPROTO_IPV6, IPV6_RECVDSTOPTS, V6_ONLY, F(recvdstopts), true, false, false },
	{ IPPROTO_IPV6, IPV6_RECVTCLASS, V6_ONLY, F(recvtos), true, false, false },
	{ IPPROTO_IPV6, IPV6_RECVERR, V6_ONLY, F(recverr), true, false, false },
	{ IPPROTO_IPV6, IPV6_MTU_DISCOVER, V6_ONLY, F(pmtudisc), false, false, false },
	{ IPPROTO_IPV6, IPV6_DONTFRAG, V6_ONLY, F(dontfrag), true, false, false },
	/* set only: getsockopt() says the path MTU (get_mtu()) */
	{ IPPROTO_IPV6, IPV6_MTU, V6_ONLY, F(frag_size), false, false, false },
};

static const struct opt *find(const struct sock *s, int level, int name)
{
	size_t i;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		const struct opt *o = &opts[i];

		if (o->level != level || o->name != name)
			continue;
		if ((o->on == TCP_ONLY && s->type != SOCK_STREAM) ||
		    (o->on == DGRAM_ONLY && s->type == SOCK_STREAM) ||
		    (o->on == UDP_ONLY && (s->type != SOCK_DGRAM || ns__on_raw(s))) ||
		    (o->on == V4_ONLY && s->family != AF_INET) ||
		    (o->on == V6_ONLY && s->family != AF_INET6))
			continue;	/* another entry may be its kind's */
		return o;
	}
	return NULL;
}

static int get_field(const struct sock *s, const struct opt *o)
{
	const char *p = (const char *)s + o->field;

	if (o->level == SOL_SOCKET && (o->name == SO_RCVBUF || o->name == SO_SNDBUF))
		return ns__sock_buf(s, o->name == SO_RCVBUF);
	if (o->is_bool)
		return *(const bool *)p;
	return *(const int *)p * (o->doubled ? 2 : 1);
}

static void set_field(struct sock *s, const struct opt *o, int v)
{
	char *p = (char *)s + o->field;

	if (o->is_bool)
		*(bool *)p = v != 0;
	else
		*(int *)p = v;
}

static bool bound(const struct sock *s)
{
	if (s->type == SOCK_STREAM)
		return s->state != SK_NEW || (s->pcb.tcp && s->pcb.tcp->local_port);
	if (ns__on_raw(s))
		return s->lport != 0;
	return s->pcb.udp && s->pcb.udp->local_port;
}

/* Values Linux would refuse with EINVAL. */
static int check(const struct sock *s, int level, int name, int v)
{
	/* a raw socket's inet_num is its protocol: "bound" from the start */
	if (level == IPPROTO_IPV6 && name == IPV6_V6ONLY &&
	    (bound(s) || s->type == SOCK_RAW))
		return -EINVAL;
	if (level == IPPROTO_TCP && name == TCP_MAXSEG && v && (v < 88 || v > 32767))
		return -EINVAL;
	if (level == IPPROTO_TCP && (name == TCP_KEEPIDLE || name == TCP_KEEPINTVL) &&
	    (v < 1 || v > 32767))
		return -EINVAL;		/* MAX_TCP_KEEPIDLE, MAX_TCP_KEEPINTVL */
	if (level == IPPROTO_TCP && (name == TCP_KEEPCNT || name == TCP_SYNCNT) &&
	    (v < 1 || v > 127))
		return -EINVAL;		/* MAX_TCP_KEEPCNT, MAX_TCP_SYNCNT */
	if ((level == IPPROTO_TCP && name == TCP_USER_TIMEOUT && v < 0) ||
	    (level == SOL_SOCKET && name == SO_BUSY_POLL && v < 0) ||
	    (level == SOL_SOCKET && name == SO_BUF_LOCK && (v & ~3)))
		return -EINVAL;
	/* TCP_CLOSE (and TCP_LISTEN for TCP_FASTOPEN) only */
	if (level == IPPROTO_TCP && name == TCP_FASTOPEN &&
	    (v < 0 || s->state == SK_CONNECTING || s->state == SK_CONNECTED))
		return -EINVAL;
	if (level == IPPROTO_TCP && name == TCP_FASTOPEN_CONNECT &&
	    (v < 0 || v > 1 || (s->state != SK_NEW && s->state != SK_CLOSED)))
		return -EINVAL;
	/* tcp_set_window_clamp(): 0 undoes it, before a connection only */
	if (level == IPPROTO_TCP && name == TCP_WINDOW_CLAMP && !v &&
	    s->state != SK_NEW && s->state != SK_CLOSED)
		return -EINVAL;
	if (level == IPPROTO_IPV6 && name == IPV6_TCLASS && (v < -1 || v > 255))
		return -EINVAL;
	/* IP_TTL 0 is refused, IPV6_UNICAST_HOPS 0 taken (do_ip_setsockopt(),
	 * do_ipv6_setsockopt()) */
	if (((level == IPPROTO_IP && name == IP_TTL) ||
	     (level == IPPROTO_IPV6 && name == IPV6_UNICAST_HOPS)) &&
	    (v < -1 || v > 255 || (v == 0 && level == IPPROTO_IP)))
		return -EINVAL;
	if (((level == IPPROTO_IP && name == IP_MINTTL) ||
	     (level == IPPROTO_IPV6 && name == IPV6_MINHOPCOUNT)) &&
	    (v < 0 || v > 255))
		return -EINVAL;
	if (((level == IPPROTO_IP && name == IP_MTU_DISCOVER) ||
	     (level == IPPROTO_IPV6 && name == IPV6_MTU_DISCOVER)) &&
	    (v < IP_PMTUDISC_DONT || v > IP_PMTUDISC_OMIT))
		return -EINVAL;
	/* sk_setsockopt(): SO_DEBUG on needs CAP_NET_ADMIN;
	 * IP(V6)_TRANSPARENT on, CAP_NET_RAW or CAP_NET_ADMIN, which no
	 * program here holds for the sandbox */
	if (level == SOL_SOCKET && name == SO_DEBUG && v)
		return -EACCES;
	if (((level == IPPROTO_IP && name == IP_TRANSPARENT) ||
	     (level == IPPROTO_IPV6 && name == IPV6_TRANSPARENT)) && v)
		return -EPERM;
	/* do_ipv6_setsockopt(): 0 or at least IPV6_MIN_MTU */
	if (level == IPPROTO_IPV6 && name == IPV6_MTU && v && v < 1280)
		return -EINVAL;
	return 0;
}

/*
 * TCP_DEFER_ACCEPT as Linux keeps it: in SYN-ACK retransmissions, the
 * first after TCP_TIMEOUT_INIT (1 s), each next after twice as long, at
 * most TCP_RTO_MAX (120 s) (secs_to_retrans()); read back as the seconds
 * those take (retrans_to_secs()), so 2 reads 3.
 */
static int defer_accept_secs(int secs)
{
	int timeout = 1, period = 1, retrans;

	if (secs <= 0)
		return 0;
	/* period is always what retrans retransmissions take */
	for (retrans = 1; secs > period && retrans < 255; retrans++) {
		timeout = timeout * 2 > 120 ? 120 : timeout * 2;
		period += timeout;
	}
	return period;
}

static void normalize(struct sock *s, int level, int name)
{
	int *tos = ns__ip_side(s, level == IPPROTO_IP) ? &s->ip_tos : &s->tos;

	if (s->ttl == -1)
		s->ttl = 64;
	if (s->ip_ttl == -1)
		s->ip_ttl = 64;
	/* __ip_sock_set_tos(): inet->tos is a byte; IPV6_TCLASS -1 is 0 */
	if (level == IPPROTO_IP && name == IP_TOS)
		*tos &= 0xff;
	if (level == IPPROTO_IPV6 && name == IPV6_TCLASS && *tos == -1)
		*tos = 0;
	if (level == IPPROTO_TCP && name == TCP_DEFER_ACCEPT)
		s->defer_accept = defer_accept_secs(s->defer_accept);
	/* tcp_set_window_clamp(): at least SOCK_MIN_RCVBUF / 2 */
	if (level == IPPROTO_TCP && name == TCP_WINDOW_CLAMP && s->window_clamp &&
	    s->window_clamp < 2304 / 2)
		s->window_clamp = 2304 / 2;
	/* fastopen_queue_tune(): at most net.core.somaxconn (tcp.c) */
	if (level == IPPROTO_TCP && name == TCP_FASTOPEN && s->fastopen > 4096)
		s->fastopen = 4096;
	/* sk_setsockopt(): a negative SO_RCVLOWAT is INT_MAX, 0 is 1; TCP's
	 * (tcp_set_rcvlowat()) at most half of SO_RCVBUF's buffer when set,
	 * else of tcp_rmem[2] */
	if (level == SOL_SOCKET && name == SO_RCVLOWAT) {
		if (s->rcvlowat < 0)
			s->rcvlowat = INT_MAX;
		if (s->type == SOCK_STREAM) {
			int cap = (s->rcvbuf_set ? ns__sock_buf(s, true) :
						   ns__tcp_rmem_max()) >> 1;

			if (s->rcvlowat > cap)
				s->rcvlowat = cap;
		}
		if (!s->rcvlowat)
			s->rcvlowat = 1;
	}
	/* do_tcp_setsockopt(): any negative is -1, at most 120 s
	 * (TCP_FIN_TIMEOUT_MAX) */
	if (s->linger2 < -1)
		s->linger2 = -1;
	if (s->linger2 > 120)
		s->linger2 = 120;
	/* TCP keeps the ECN bits to itself (Linux's __ip_sock_set_tos() and
	 * IPV6_TCLASS): lwIP does not do ECN, so they stay 0 */
	if (s->type == SOCK_STREAM &&
	    ((level == IPPROTO_IP && name == IP_TOS) ||
	     (level == IPPROTO_IPV6 && name == IPV6_TCLASS)))
		*tos &= ~3;
}

/*
 * SO_RCVBUF, SO_SNDBUF and their FORCE forms, as Linux's sk_setsockopt():
 * the value, taken as unsigned (-1 is the most), is capped at the host's
 * rmem_max / wmem_max (a new namespace's are the host's: global), the
 * FORCE forms are not (a negative is 0) but need CAP_NET_ADMIN in the
 * initial user namespace (EPERM); then at most INT_MAX / 2, and
 * getsockopt() says twice that, at least SOCK_MIN_RCVBUF (2304) or
 * SOCK_MIN_SNDBUF (4608).  Fields keep half of what is reported.
 */
static int64_t set_buf(struct sock *s, struct trc_call *c, int name, int32_t len)
{
	bool rcv = name == SO_RCVBUF || name == SO_RCVBUFFORCE;
	int v, min = rcv ? 2304 / 2 : 4608 / 2;

	if (len < (int32_t)sizeof(int))
		return -EINVAL;
	if (trc_mem_read(c, trc_call_arg(c, 3), &v, sizeof(v)))
		return -EFAULT;
	if (name == SO_RCVBUFFORCE || name == SO_SNDBUFFORCE) {
		if (!ns__caller_net_admin(trc_call_pid(c)))
			return -EPERM;
		if (v < 0)
			v = 0;
	} else {
		unsigned int max = (unsigned int)(rcv ? ns__sock_rmem_max() :
							ns__sock_wmem_max());

		if ((unsigned int)v > max)
			v = (int)max;
	}
	if (v > INT_MAX / 2)
		v = INT_MAX / 2;
	if (v < min)
		v = min;
	if (rcv) {
		s->rcvbuf = v;
		s->rcvbuf_set = true;
	} else {
		s->sndbuf = v;
		s->sndbuf_set = true;
	}
	s->buf_lock |= rcv ? 2 : 1;	/* SOCK_RCVBUF_LOCK, SOCK_SNDBUF_LOCK */
	if (s->type == SOCK_STREAM)
		ns__tcp_apply_opts(s);
	else if (rcv)
		ns__udp_rcvbuf_apply(s);	/* UDP only */
	return 0;
}

/*
 * SO_MAX_PACING_RATE, bytes per second, as Linux's sk_setsockopt(): an
 * unsigned int, ~0U meaning none (~0UL), or with 8 bytes or more an
 * unsigned long.  A TCP connection in lwIP is paced by it (tcp.c); a
 * datagram socket only keeps it, as Linux's without the fq qdisc.
 */
static int64_t set_pacing(struct sock *s, struct trc_call *c, int32_t len)
{
	uint32_t v32;
	uint64_t v;

	if (len < (int32_t)sizeof(v32))
		return -EINVAL;
	if (len >= (int32_t)sizeof(v)) {
		if (trc_mem_read(c, trc_call_arg(c, 3), &v, sizeof(v)))
			return -EFAULT;
	} else {
		if (trc_mem_read(c, trc_call_arg(c, 3), &v32, sizeof(v32)))
			return -EFAULT;
		v = v32 == UINT32_MAX ? UINT64_MAX : v32;
	}
	s->max_pacing_rate = v;
	return 0;
}

/* getsockopt(SO_MAX_PACING_RATE): 8 bytes when there is room, else the
 * rate as an unsigned int, at most ~0U */
static int64_t get_pacing(struct sock *s, struct trc_call *c)
{
	uint64_t v = s->max_pacing_rate;
	uint32_t v32 = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
	int32_t len;

	if (trc_mem_read(c, trc_call_arg(c, 4), &len, sizeof(len)))
		return -EFAULT;
	if (len >= (int32_t)sizeof(v))
		return ns__put_opt(c, &v, sizeof(v));
	return ns__put_opt(c, &v32, sizeof(v32));
}

/**
 * ns__filter_set() - SO_ATTACH_FILTER (a struct sock_fprog, exactly),
 *		      SO_DETACH_FILTER and SO_LOCK_FILTER
 * @s:		the socket
 * @c:		the call
 * @name:	which
 * @len:	optlen
 *
 * As Linux's sk_setsockopt(), sk_attach_filter(), sk_detach_filter(): an
 * int's worth is read first (EINVAL, EFAULT), a locked socket's filter
 * stays (EPERM, and so does the lock), detaching none is ENOENT, a filter
 * cbpf_check() refuses EINVAL.  The socket's kind runs it (netlink.c,
 * udp.c, raw.c: ns__filter_run()).
 *
 * Return: 0 or a negative errno
 */
int64_t ns__filter_set(struct sock *s, struct trc_call *c, int name, int32_t len)
{
	struct sock_filter *f;
	struct sock_fprog fp;
	int v, ret;

	if (len < (int32_t)sizeof(v))
		return -EINVAL;
	if (trc_mem_read(c, trc_call_arg(c, 3), &v, sizeof(v)))
		return -EFAULT;
	if (name == SO_LOCK_FILTER) {
		if (s->filter_locked && !v)
			return -EPERM;
		s->filter_locked = v != 0;
		return 0;
	}
	if (s->filter_locked)
		return -EPERM;
	if (name == SO_DETACH_FILTER) {
		if (!s->filter)
			return -ENOENT;
		free(s->filter);
		s->filter = NULL;
		return 0;
	}
	if (len != (int32_t)sizeof(fp))
		return -EINVAL;
	if (trc_mem_read(c, trc_call_arg(c, 3), &fp, sizeof(fp)))
		return -EFAULT;
	if (!fp.filter || !fp.len || fp.len > BPF_MAXINSNS)
		return -EINVAL;
	f = malloc(fp.len * sizeof(*f));
	if (!f)
		return -ENOMEM;
	if (trc_mem_read(c, (uint64_t)(uintptr_t)fp.filter, f, fp.len * sizeof(*f))) {
		free(f);
		return -EFAULT;
	}
	ret = cbpf_check(f, fp.len);
	if (ret) {
		free(f);
		return ret;
	}
	free(s->filter);
	s->filter = f;
	s->filter_n = fp.len;
	return 0;
}

/**
 * ns__filter_get() - getsockopt(SO_GET_FILTER), in sk_get_filter()'s
 *		      units: the length counts instructions, 0 asks how many
 *		      there are, and the answer (also the length written
 *		      back) is that count; no filter reads as length 0
 * @s:		the socket
 * @c:		the call
 *
 * Return: 0 or a negative errno
 */
int64_t ns__filter_get(struct sock *s, struct trc_call *c)
{
	int32_t len, n = s->filter ? (int32_t)s->filter_n : 0;

	if (trc_mem_read(c, trc_call_arg(c, 4), &len, sizeof(len)))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	if (n && len) {
		if ((uint32_t)len < s->filter_n)
			return -EINVAL;
		if (trc_mem_write(c, trc_call_arg(c, 3), s->filter,
				  s->filter_n * sizeof(*s->filter)))
			return -EFAULT;
	}
	if (trc_mem_write(c, trc_call_arg(c, 4), &n, sizeof(n)))
		return -EFAULT;
	return 0;
}

/**
 * ns__filter_run() - the socket's filter on a datagram for it
 * @s:		the socket
 * @buf:	the datagram from where Linux's skb starts for the socket's
 *		kind (the UDP header, an IPv4 raw socket's IP header, an
 *		IPv6 raw or ping socket's transport header, netlink's first
 *		message)
 * @len:	its length
 *
 * Return: how many of its bytes the socket takes: @len without a filter,
 * 0 to drop it
 */
size_t ns__filter_run(const struct sock *s, const void *buf, size_t len)
{
	uint32_t keep;

	if (!s->filter)
		return len;
	keep = cbpf_run(s->filter, s->filter_n, buf, len);
	return keep < len ? keep : len;
}

/**
 * ns__bind_dev_apply() - put a socket's SO_BINDTODEVICE on its lwIP pcb
 * @s:		the socket (any kind; a socket without a pcb is skipped)
 *
 * lwIP keeps the binding as netif_idx on every pcb: a bound pcb sends
 * through that device only (no route lookup) and takes segments and
 * datagrams arriving on it only, as Linux's sk_bound_dev_if does.  A
 * device removed since gives an index no netif has: sends fail.
 */
void ns__bind_dev_apply(struct sock *s)
{
	struct netif *nif;
	u8_t idx = NETIF_NO_INDEX;

	if (s->bound_ifindex) {
		nif = ns__dev_netif(s->ns, s->bound_ifindex);
		idx = nif ? netif_get_index(nif) : 255;
	}
	if (s->type == SOCK_STREAM) {
		if (s->pcb.tcp)
			s->pcb.tcp->netif_idx = idx;
	} else if (ns__on_raw(s)) {
		if (s->pcb.raw)
			s->pcb.raw->netif_idx = idx;
	} else if (s->pcb.udp) {
		s->pcb.udp->netif_idx = idx;
	}
}

/*
 * SO_BINDTODEVICE (a name, "" or length 0 unbinds; Linux reads at most
 * IFNAMSIZ - 1 bytes) and SO_BINDTOIFINDEX (an int, 0 unbinds): the
 * device must exist, else ENODEV.
 */
static int64_t bind_to_device(struct sock *s, struct trc_call *c, int name,
			      int32_t len)
{
	char dev[IFNAMSIZ] = "";
	struct net_link l;
	int32_t idx = 0;

	if (len < 0)
		return -EINVAL;
	if (name == SO_BINDTOIFINDEX) {
		if (len < (int32_t)sizeof(idx))
			return -EINVAL;
		if (trc_mem_read(c, trc_call_arg(c, 3), &idx, sizeof(idx)))
			return -EFAULT;
		/* sock_bindtoindex_locked() takes any index, a device or
		 * not (then nothing routes: ns__bind_dev_apply()) */
		if (idx < 0)
			return -EINVAL;
	} else {
		if (len > IFNAMSIZ - 1)
			len = IFNAMSIZ - 1;
		if (len && trc_mem_read(c, trc_call_arg(c, 3), dev, (size_t)len))
			return -EFAULT;
		dev[len] = '\0';
		if (dev[0]) {
			/* dev_get_by_name_rcu(): an altname names it too */
			if (net_link_lookup(ns_net(s->ns), dev, &l))
				return -ENODEV;
			idx = (int32_t)l.ifindex;
		}
	}
	s->bound_ifindex = (uint32_t)idx;
	ns__bind_dev_apply(s);
	return 0;
}

/* getsockopt(SO_BINDTODEVICE): the name now, length 0 when unbound;
 * Linux wants room for IFNAMSIZ bytes. */
static int64_t get_bound_dev(struct sock *s, struct trc_call *c)
{
	struct net_link l;
	int32_t len;

	if (trc_mem_read(c, trc_call_arg(c, 4), &len, sizeof(len)))
		return -EFAULT;
	if (len < IFNAMSIZ)
		return -EINVAL;
	if (!s->bound_ifindex)
		return ns__put_opt(c, "", 0);
	if (net_link_get(ns_net(s->ns), s->bound_ifindex, &l))
		return -ENODEV;
	return ns__put_opt(c, l.name, (uint32_t)strlen(l.name) + 1);
}

/* IP_HDRINCL of an IPv4 socket, IPV6_HDRINCL of an IPv6 one */
static bool is_hdrincl(const struct sock *s, int level, int name)
{
	return (level == IPPROTO_IP && name == IP_HDRINCL && s->family == AF_INET) ||
	       ((level == IPPROTO_IPV6 || level == SOL_RAW) &&
		name == IPV6_HDRINCL && s->family == AF_INET6);
}

static int put_opt(struct trc_call *c, const void *val, uint32_t vlen,
		   bool ulen);

/*
 * Options of raw sockets (Linux's raw_setsockopt(), rawv6_setsockopt()):
 * ICMP_FILTER, ICMP6_FILTER, IPV6_CHECKSUM, IP_HDRINCL, IPV6_HDRINCL.
 * Return: 1 when the option is none of them, else 0 or a negative errno.
 */
static int64_t raw_set(struct sock *s, struct trc_call *c, int level, int name,
		       int32_t len)
{
	void *dst = NULL;
	size_t max = 0;
	int v;

	if (level == SOL_RAW && name == ICMP_FILTER && s->family == AF_INET) {
		if (s->type != SOCK_RAW)
			return -ENOPROTOOPT;
		if (s->proto != IPPROTO_ICMP)
			return -EOPNOTSUPP;
		dst = &s->icmp_filter;
		max = sizeof(s->icmp_filter);
	} else if (level == IPPROTO_ICMPV6 && name == ICMP6_FILTER &&
		   s->family == AF_INET6) {
		if (s->type != SOCK_RAW)
			return -ENOPROTOOPT;
		if (s->proto != IPPROTO_ICMPV6)
			return -EOPNOTSUPP;
		dst = s->icmp6_filter;
		max = sizeof(s->icmp6_filter);
	}
	if (dst) {
		/* As Linux: a longer value is cut, a shorter one partly set. */
		if (len < 0)
			return -EINVAL;
		if ((size_t)len > max)
			len = (int32_t)max;
		return trc_mem_read(c, trc_call_arg(c, 3), dst, (size_t)len) ? -EFAULT : 0;
	}
	/* SOL_RAW of a raw IPv6 socket: an int first, then the name
	 * (do_rawv6_setsockopt()) */
	if (level == SOL_RAW && s->family == AF_INET6 && s->type == SOCK_RAW &&
	    name != IPV6_CHECKSUM && name != IPV6_HDRINCL) {
		if (len < (int32_t)sizeof(int))
			return -EINVAL;
		if (trc_mem_read(c, trc_call_arg(c, 3), &v, sizeof(v)))
			return -EFAULT;
		return -ENOPROTOOPT;
	}
	if (!((level == IPPROTO_IPV6 || level == SOL_RAW) && name == IPV6_CHECKSUM &&
	      s->family == AF_INET6) && !is_hdrincl(s, level, name))
		return 1;
	if (s->type != SOCK_RAW)
		return -ENOPROTOOPT;
	if (level == IPPROTO_IP && len < (int32_t)sizeof(int)) {
		uint8_t b = 0;	/* IP_HDRINCL: a byte, or none as 0 */

		if (len >= 1 && trc_mem_read(c, trc_call_arg(c, 3), &b, 1))
			return -EFAULT;
		v = b;
	} else if (len < (int32_t)sizeof(int)) {
		return -EINVAL;
	} else if (trc_mem_read(c, trc_call_arg(c, 3), &v, sizeof(v))) {
		return -EFAULT;
	}
	if (is_hdrincl(s, level, name)) {
		s->hdrincl = v != 0;	/* raw.c send_hdrincl() */
		return 0;
	}
	/* RFC 3542 3.1: not at IPPROTO_IPV6 on ICMPv6, whose checksum is
	 * computed at offset 2 from the start; SOL_RAW (radvd's level)
	 * moves it or turns it off, as Linux's do_rawv6_setsockopt() */
	if (s->proto == IPPROTO_ICMPV6 && level == IPPROTO_IPV6)
		return -EINVAL;
	return ns__raw_set_checksum(s, v);
}

/* getsockopt() of the options raw_set() sets.  Return: 1 when none. */
static int64_t raw_get(struct sock *s, struct trc_call *c, int level, int name)
{
	int v;

	/* not a raw socket: ip_getsockopt()'s EOPNOTSUPP below */
	if (level == SOL_RAW && name == ICMP_FILTER && s->family == AF_INET &&
	    s->type == SOCK_RAW) {
		if (s->proto != IPPROTO_ICMP)
			return -EOPNOTSUPP;
		return ns__put_opt(c, &s->icmp_filter, sizeof(s->icmp_filter));
	}
	if (level == IPPROTO_ICMPV6 && name == ICMP6_FILTER && s->family == AF_INET6) {
		if (s->type != SOCK_RAW)
			return -ENOPROTOOPT;
		if (s->proto != IPPROTO_ICMPV6)
			return -EOPNOTSUPP;
		return ns__put_opt(c, s->icmp6_filter, sizeof(s->icmp6_filter));
	}
	/* rawv6_getsockopt() takes the room as unsigned: -1 is plenty */
	if ((level == IPPROTO_IPV6 || level == SOL_RAW) && name == IPV6_CHECKSUM &&
	    s->family == AF_INET6 && s->type == SOCK_RAW)
		return put_opt(c, &s->raw_checksum, sizeof(int), true);
	if (is_hdrincl(s, level, name) && s->type == SOCK_RAW) {
		v = s->hdrincl;
		return put_opt(c, &v, sizeof(v), s->family == AF_INET6);
	}
	/* any inet socket reads these, 0 but where raw_set() set one */
	if (level == IPPROTO_IP && (name == IP_HDRINCL || name == IP_NODEFRAG ||
				    name == IP_ROUTER_ALERT)) {
		v = 0;
		return ns__put_opt(c, &v, sizeof(v));
	}
	return 1;
}

/*
 * IPV6_PKTINFO as a socket option (do_ipv6_setsockopt()): the device a
 * datagram goes out of when neither a scope id, SO_BINDTODEVICE nor a
 * cmsg names one (ns__dgram_oif()); its address is kept, unused, as
 * Linux keeps it.  `ping -6 -I eth0` sets it.
 */
static int64_t sticky_pktinfo(struct sock *s, struct trc_call *c, int32_t len)
{
	struct in6_pktinfo pi;

	if (len < (int32_t)sizeof(pi) || !trc_call_arg(c, 3))
		return -EINVAL;
	if (trc_mem_read(c, trc_call_arg(c, 3), &pi, sizeof(pi)))
		return -EFAULT;
	/* sk_dev_equal_l3scope(): a bound socket takes its own device only */
	if (s->bound_ifindex && pi.ipi6_ifindex != s->bound_ifindex)
		return -EINVAL;
	s->sticky_ifindex = pi.ipi6_ifindex;
	memcpy(s->sticky_addr, &pi.ipi6_addr, 16);
	return 0;
}

/*
 * Where Linux reads an int before it looks at the name: sk_setsockopt()
 * for all but SO_BINDTODEVICE, do_tcp_setsockopt() past its string
 * options, udp_lib_setsockopt().  So a short value is EINVAL and an
 * unreadable one EFAULT before an unknown name is ENOPROTOOPT.
 */
static bool int_first(const struct sock *s, int level, int name)
{
	switch (level) {
	case SOL_SOCKET:
		return name != SO_BINDTODEVICE;
	case IPPROTO_TCP:
		return s->type == SOCK_STREAM && name != TCP_CONGESTION &&
		       name != TCP_ULP && name != TCP_FASTOPEN_KEY;
	case IPPROTO_UDP:
		return s->type == SOCK_DGRAM && !ns__on_raw(s);
	}
	return false;
}

/* The IPPROTO_IP options do_ip_setsockopt() reads as an int (or a byte)
 * before it looks further: an unreadable value is EFAULT first. */
static bool ip_int_opt(int name)
{
	switch (name) {
	case IP_PKTINFO: case IP_RECVTTL: case IP_RECVOPTS: case IP_RECVTOS:
	case IP_RETOPTS: case IP_TOS: case IP_TTL: case IP_HDRINCL:
	case IP_MTU_DISCOVER: case IP_RECVERR: case IP_ROUTER_ALERT:
	case IP_FREEBIND: case IP_PASSSEC: case IP_TRANSPARENT: case IP_MINTTL:
	case IP_NODEFRAG: case IP_BIND_ADDRESS_NO_PORT: case IP_UNICAST_IF:
	case IP_MULTICAST_TTL: case IP_MULTICAST_ALL: case IP_MULTICAST_LOOP:
	case IP_RECVORIGDSTADDR: case IP_CHECKSUM: case IP_RECVFRAGSIZE:
	case IP_RECVERR_RFC4884: case IP_LOCAL_PORT_RANGE:
		return true;
	}
	return false;
}

/*
 * Options whose answer is a refusal or a check of @v (read as an int
 * already), as Linux 6.18 gives it to a program without CAP_NET_ADMIN:
 * the credential and security messages are AF_UNIX's and netlink's,
 * TCP repair needs CAP_NET_ADMIN in the network's user namespace (as
 * SO_MARK does, below), TCP_THIN_DUPACK does nothing since Linux 4.x.
 * Return: 1 when @name is none of them, else 0 or a negative errno.
 */
static int64_t refused_set(struct sock *s, struct trc_call *c, int level,
			   int name, int32_t len, int v)
{
	bool closed = s->state == SK_NEW || s->state == SK_CLOSED;

	if (level == SOL_SOCKET) {
		switch (name) {
		case SO_PASSCRED: case SO_PASSSEC:
		case SO_PASSPIDFD: case SO_PASSRIGHTS:
			return -EOPNOTSUPP;
		case SO_PREFER_BUSY_POLL:
			if (v && !ns__caller_net_admin(trc_call_pid(c)))
				return -EPERM;
			return 1;
		case SO_BUSY_POLL_BUDGET:	/* kept, never read back */
			if (v > s->busy_poll_budget &&
			    !ns__caller_net_admin(trc_call_pid(c)))
				return -EPERM;
			if (v < 0 || v > UINT16_MAX)
				return -EINVAL;
			s->busy_poll_budget = v;
			return 0;
		case SO_RESERVE_MEM:	/* no memory cgroup accounts for
					 * the sandbox's sockets */
			return v < 0 ? -EINVAL : -EOPNOTSUPP;
		case SO_TXREHASH:	/* -1: the sysctl's default */
			if (s->type != SOCK_STREAM)
				return -EOPNOTSUPP;
			if (v < -1 || v > 1)
				return -EINVAL;
			s->txrehash = v == -1 ? 1 : v;
			return 0;
		}
		return 1;
	}
	if (level != IPPROTO_TCP)
		return 1;
	switch (name) {
	case TCP_REPAIR: case TCP_REPAIR_QUEUE: case TCP_TIMESTAMP:
		return -EPERM;
	case TCP_QUEUE_SEQ:	/* no repair queue was chosen */
		return closed ? -EINVAL : -EPERM;
	case TCP_REPAIR_OPTIONS:
		return -EINVAL;
	case TCP_REPAIR_WINDOW:
		return len != (int32_t)sizeof(struct tcp_repair_window) ? -EINVAL : -EPERM;
	case TCP_THIN_DUPACK:
		return v < 0 || v > 1 ? -EINVAL : 0;
	}
	return 1;
}

/*
 * IPV6_ADDR_PREFERENCES as __ip6_sock_set_addr_preferences() keeps them:
 * one of public, temporary or the default; home or care-of; CGA or not
 * (never kept); conflicting asks are EINVAL, unknown bits ignored.
 */
static int64_t set_srcprefs(struct sock *s, int v)
{
	unsigned int pref = 0, keep = ~0u;

	switch (v & (IPV6_PREFER_SRC_PUBLIC | IPV6_PREFER_SRC_TMP |
		     IPV6_PREFER_SRC_PUBTMP_DEFAULT)) {
	case IPV6_PREFER_SRC_PUBLIC:
	case IPV6_PREFER_SRC_TMP:
		pref |= (unsigned int)v & (IPV6_PREFER_SRC_PUBLIC | IPV6_PREFER_SRC_TMP);
		keep &= ~(unsigned int)(IPV6_PREFER_SRC_PUBLIC | IPV6_PREFER_SRC_TMP);
		break;
	case IPV6_PREFER_SRC_PUBTMP_DEFAULT:
		keep &= ~(unsigned int)(IPV6_PREFER_SRC_PUBLIC | IPV6_PREFER_SRC_TMP);
		break;
	case 0:
		break;
	default:
		return -EINVAL;
	}
	switch (v & (IPV6_PREFER_SRC_HOME | IPV6_PREFER_SRC_COA)) {
	case IPV6_PREFER_SRC_HOME:
		keep &= ~(unsigned int)IPV6_PREFER_SRC_COA;
		break;
	case IPV6_PREFER_SRC_COA:
		pref |= IPV6_PREFER_SRC_COA;
		break;
	case 0:
		break;
	default:
		return -EINVAL;
	}
	if ((v & IPV6_PREFER_SRC_CGA) && (v & IPV6_PREFER_SRC_NONCGA))
		return -EINVAL;
	s->srcprefs = (s->srcprefs & keep) | pref;
	return 0;
}

/* getsockopt(IPV6_ADDR_PREFERENCES): what is kept, else the defaults */
static int get_srcprefs(const struct sock *s)
{
	int v = s->srcprefs & IPV6_PREFER_SRC_TMP ? IPV6_PREFER_SRC_TMP :
		s->srcprefs & IPV6_PREFER_SRC_PUBLIC ? IPV6_PREFER_SRC_PUBLIC :
		IPV6_PREFER_SRC_PUBTMP_DEFAULT;

	return v | (s->srcprefs & IPV6_PREFER_SRC_COA ? IPV6_PREFER_SRC_COA :
		    IPV6_PREFER_SRC_HOME);
}

/**
 * ns__opt_int() - an int option's value, as do_ip_setsockopt() and
 *		   do_ipv6_setsockopt() read it
 * @c:		the setsockopt() call
 * @level:	IPPROTO_IP, IPPROTO_IPV6 (or another: as IPPROTO_IP's but
 *		without the byte)
 * @len:	its optlen
 * @v:		the value
 *
 * An int at @len of 4 or more, where IPv6 reads a NULL value as 0;
 * IPPROTO_IP takes a single byte from a shorter one; else EINVAL.
 *
 * Return: 0, -EINVAL or -EFAULT
 */
int ns__opt_int(struct trc_call *c, int level, int32_t len, int *v)
{
	uint8_t b;

	if (len >= (int32_t)sizeof(int) && level == IPPROTO_IPV6 && !trc_call_arg(c, 3)) {
		*v = 0;
		return 0;
	}
	if (len >= (int32_t)sizeof(int))
		return trc_mem_read(c, trc_call_arg(c, 3), v, sizeof(*v)) ? -EFAULT : 0;
	if (len < 1 || level != IPPROTO_IP)
		return -EINVAL;
	if (trc_mem_read(c, trc_call_arg(c, 3), &b, 1))
		return -EFAULT;
	*v = b;
	return 0;
}

/*
 * A name option (TCP_ULP, TCP_CONGESTION) into @name[16], as
 * strncpy_from_sockptr() reads it: at most 15 bytes, up to a NUL, the
 * rest zeros.  A value readable only up to its NUL is read byte by byte.
 */
static int read_name(struct trc_call *c, int32_t len, char name[16])
{
	size_t n = (size_t)len < 15 ? (size_t)len : 15, i;

	if (len < 1)
		return -EINVAL;
	memset(name, 0, 16);
	if (!trc_mem_read(c, trc_call_arg(c, 3), name, n)) {
		i = strnlen(name, n);
		memset(name + i, 0, 16 - i);
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (trc_mem_read(c, trc_call_arg(c, 3) + i, &name[i], 1))
			return -EFAULT;
		if (!name[i])
			return 0;
	}
	return 0;
}

/*
 * TCP_ULP, a name: no upper layer protocol exists here (Linux: ENOENT
 * for one it cannot find, tcp_set_ulp()); the name is read first.
 */
static int64_t set_ulp(struct trc_call *c, int32_t len)
{
	char name[16];
	int ret = read_name(c, len, name);

	return ret ? ret : -ENOENT;
}

/*
 * TCP_CONGESTION: the name is kept, and read back, and goes to a host
 * socket of the fast path; lwIP has one congestion control (NewReno) for
 * every name.  Asking for the one the socket has always succeeds.
 */
static int64_t set_cc(struct sock *s, struct trc_call *c, int32_t len)
{
	char name[16];
	int ret = read_name(c, len, name);

	if (ret)
		return ret;
	if (!strcmp(name, ns__cc(s)))
		return 0;
	if ((ret = rtnl_cc_check(name)))
		return ret;
	memcpy(s->cc, name, sizeof(s->cc));
	return 0;
}

/**
 * ns__setsockopt() - setsockopt(fd, level, name, optval, optlen)
 * @s:		the socket
 * @c:		the call
 *
 * Return: 0, NS_CONTINUE for options the kernel keeps, or a negative errno
 */
int64_t ns__setsockopt(struct sock *s, struct trc_call *c)
{
	int level = (int)trc_call_arg(c, 1), name = (int)trc_call_arg(c, 2);
	int32_t len = (int32_t)trc_call_arg(c, 4);
	const struct opt *o;
	bool have = false;	/* v read: an int at @len >= 4 */
	int v = 0, ret;

	if (level == SOL_SOCKET && (name == SO_RCVTIMEO || name == SO_SNDTIMEO ||
				    name == SO_RCVTIMEO_NEW || name == SO_SNDTIMEO_NEW))
		return NS_CONTINUE;
	/* rawv6_setsockopt() hands IPPROTO_IP to no one */
	if (level == IPPROTO_IP && s->family == AF_INET6 && s->type == SOCK_RAW)
		return -ENOPROTOOPT;
	if (int_first(s, level, name)) {
		if (len < (int32_t)sizeof(int))
			return -EINVAL;
		if (trc_mem_read(c, trc_call_arg(c, 3), &v, sizeof(v)))
			return -EFAULT;
		have = true;
		if ((ret = refused_set(s, c, level, name, len, v)) != 1)
			return ret;
	}
	if (level == IPPROTO_IP && ip_int_opt(name) && len >= 1) {
		if (trc_mem_read(c, trc_call_arg(c, 3), &v,
				 len >= (int32_t)sizeof(v) ? sizeof(v) : 1))
			return -EFAULT;
		have = len >= (int32_t)sizeof(v);
	}
	if (level == IPPROTO_TCP && name == TCP_ULP && s->type == SOCK_STREAM)
		return set_ulp(c, len);
	if (level == SOL_SOCKET && name == SO_LINGER) {
		if (len < (int32_t)sizeof(s->linger))
			return -EINVAL;
		if (trc_mem_read(c, trc_call_arg(c, 3), &s->linger, sizeof(s->linger)))
			return -EFAULT;
		return 0;
	}
	if (level == IPPROTO_TCP && name == TCP_CONGESTION && s->type == SOCK_STREAM)
		return set_cc(s, c, len);
	if (level == SOL_SOCKET && name == SO_MARK) {
		/* sk_setsockopt() reads the value first, then wants
		 * CAP_NET_RAW or CAP_NET_ADMIN */
		if (len < (int32_t)sizeof(int))
			return -EINVAL;
		if (trc_mem_read(c, trc_call_arg(c, 3), &v, sizeof(v)))
			return -EFAULT;
		return -EPERM;
	}
	if (level == IPPROTO_TCP && (name == TCP_MD5SIG || name == TCP_MD5SIG_EXT) &&
	    s->type == SOCK_STREAM)
		return ns__md5_setsockopt(s, c, name, len);
	if (level == SOL_SOCKET &&
	    (name == SO_BINDTODEVICE || name == SO_BINDTOIFINDEX))
		return bind_to_device(s, c, name, len);
	if (level == IPPROTO_IPV6 && name == IPV6_PKTINFO && s->family == AF_INET6)
		return sticky_pktinfo(s, c, len);
	if (level == SOL_SOCKET && (name == SO_RCVBUF || name == SO_SNDBUF ||
				    name == SO_RCVBUFFORCE || name == SO_SNDBUFFORCE))
		return set_buf(s, c, name, len);
	if (level == SOL_SOCKET && name == SO_MAX_PACING_RATE)
		return set_pacing(s, c, len);
	/* socket filters run on datagrams; TCP takes none (segments are
	 * not filtered), so it only has none to detach, and the lock */
	if (level == SOL_SOCKET &&
	    ((name == SO_ATTACH_FILTER && s->type != SOCK_STREAM) ||
	     name == SO_DETACH_FILTER || name == SO_LOCK_FILTER))
		return ns__filter_set(s, c, name, len);
	/* IP_ROUTER_ALERT: EINVAL but on a raw socket (ip_ra_control()),
	 * where the sandbox does not serve it (ENOPROTOOPT below) */
	if (level == IPPROTO_IP && name == IP_ROUTER_ALERT && s->type != SOCK_RAW)
		return -EINVAL;
	if ((ret = raw_set(s, c, level, name, len)) != 1)
		return ret;
	if ((ret = ns__mcast_setsockopt(s, c, level, name, len)) != 1)
		return ret;
	if ((ret = ns__acast_setsockopt(s, c, level, name, len)) != 1)
		return ret;
	/* IPV6_ROUTER_ALERT is an IPPROTO_RAW socket's (ip6_ra_control()),
	 * and none is served here; IPV6_ADDR_PREFERENCES has its rules */
	if (level == IPPROTO_IPV6 && s->family == AF_INET6 &&
	    (name == IPV6_ROUTER_ALERT || name == IPV6_ADDR_PREFERENCES)) {
		if ((ret = ns__opt_int(c, level, len, &v)))
			return ret;
		return name == IPV6_ROUTER_ALERT ? -ENOPROTOOPT : set_srcprefs(s, v);
	}
	o = find(s, level, name);
	if (!o)
		return -ENOPROTOOPT;
	if (len < 0)
		return -EINVAL;
	if (len < (int32_t)sizeof(int)) {
		uint8_t b = 0;

		/* Linux takes a single byte for IPPROTO_IP options, and none
		 * as 0 but for the TTLs (do_ip_setsockopt()); IPv6 takes a
		 * short one as 0 for IPV6_DONTFRAG (do_ipv6_setsockopt()) */
		if (level == IPPROTO_IPV6 && name == IPV6_DONTFRAG)
			len = 0;
		else if (level != IPPROTO_IP ||
			 (len < 1 && (name == IP_TTL || name == IP_MINTTL ||
				      name == IP_FREEBIND || name == IP_TRANSPARENT)))
			return -EINVAL;
		if (len >= 1 && trc_mem_read(c, trc_call_arg(c, 3), &b, 1))
			return -EFAULT;
		v = b;
	} else if (!have && (ret = ns__opt_int(c, level, len, &v))) {
		return ret;
	}
	if ((ret = check(s, level, name, v)))
		return ret;
	set_field(s, o, v);
	normalize(s, level, name);
	if (s->type == SOCK_STREAM)
		ns__tcp_apply_opts(s);
	return 0;
}

/**
 * ns__tcp_info_fill() - TCP_INFO of a TCP socket (also for sock_diag)
 * @s:		the socket
 * @ti:		filled in
 */
void ns__tcp_info_fill(struct sock *s, struct tcp_info *ti)
{
	struct tcp_pcb *p = s->pcb.tcp;

	memset(ti, 0, sizeof(*ti));
	switch (s->state) {
	case SK_CONNECTED:	ti->tcpi_state = TCP_ESTABLISHED; break;
	case SK_CONNECTING:	ti->tcpi_state = TCP_SYN_SENT; break;
	case SK_LISTEN:		ti->tcpi_state = TCP_LISTEN; break;
	default:		ti->tcpi_state = TCP_CLOSE; break;
	}
	if (!p && s->direct) {
		ti->tcpi_snd_mss = s->direct_mss;
		ti->tcpi_rcv_mss = s->direct_mss;
	}
	if (p && s->state != SK_LISTEN) {
		ti->tcpi_snd_mss = p->mss;
		ti->tcpi_rcv_mss = p->mss;
		ti->tcpi_rto = (uint32_t)p->rto * TCP_SLOW_INTERVAL * 1000;
		ti->tcpi_rtt = (uint32_t)(p->sa >> 3) * TCP_SLOW_INTERVAL * 1000;
		ti->tcpi_rttvar = (uint32_t)(p->sv >> 2) * TCP_SLOW_INTERVAL * 1000;
		ti->tcpi_snd_cwnd = p->cwnd / (p->mss ? p->mss : 1);
		ti->tcpi_snd_ssthresh = p->ssthresh;
		ti->tcpi_total_retrans = p->nrtx;
		ti->tcpi_unacked = p->snd_queuelen;
	}
}

/**
 * ns__put_opt() - a getsockopt() value and its length, as Linux writes them
 * @c:		the getsockopt() call
 * @val:	the value
 * @vlen:	its size; the program's optlen caps it
 *
 * Return: 0, -EINVAL (a negative optlen, but at IPPROTO_IPV6) or -EFAULT
 */
int ns__put_opt(struct trc_call *c, const void *val, uint32_t vlen)
{
	return put_opt(c, val, vlen, (int)trc_call_arg(c, 1) == IPPROTO_IPV6);
}

/* ns__put_opt(), with the program's length taken as unsigned (@ulen: a
 * negative one is no error but room for all) or not */
static int put_opt(struct trc_call *c, const void *val, uint32_t vlen,
		   bool ulen)
{
	int32_t len;

	if (trc_mem_read(c, trc_call_arg(c, 4), &len, sizeof(len)))
		return -EFAULT;
	/* do_ipv6_getsockopt() cuts the length as unsigned */
	if (len < 0 && !ulen)
		return -EINVAL;
	if (len < 0 || (uint32_t)len > vlen)
		len = (int32_t)vlen;
	{
		/* Value and length in one process_vm_writev(). */
		struct iovec l[2] = { { (void *)val, (size_t)len },
				      { &len, sizeof(len) } };
		struct iovec r[2] = {
			{ (void *)(uintptr_t)trc_call_arg(c, 3), (size_t)len },
			{ (void *)(uintptr_t)trc_call_arg(c, 4), sizeof(len) },
		};

		if (len && !trc_call_arg(c, 3))
			return -EFAULT;
		if (trc_mem_writev(c, l, 2, r, 2))
			return -EFAULT;
	}
	return 0;
}

/*
 * IP_PROTOCOL: Linux answers inet_num, a raw socket's protocol but a TCP,
 * UDP or ping socket's local port (its echo identifier), 0 until bound.
 */
static int64_t get_inet_num(struct sock *s, struct trc_call *c)
{
	ip_addr_t ip;
	uint16_t port = 0;
	int v = s->proto;

	if (s->type != SOCK_RAW) {
		ns__sock_name(s, false, &ip, &port);
		v = port;
	}
	return ns__put_opt(c, &v, sizeof(v));
}

/*
 * SO_COOKIE: the socket's 64-bit cookie (sock_gen_cookie(): unique, never
 * 0; here the one sock_diag shows); Linux wants room for all 8 bytes.
 */
static int64_t get_cookie(struct sock *s, struct trc_call *c)
{
	uint64_t v = s->cookie;
	int32_t len;

	if (trc_mem_read(c, trc_call_arg(c, 4), &len, sizeof(len)))
		return -EFAULT;
	if (len < (int32_t)sizeof(v))
		return -EINVAL;
	return ns__put_opt(c, &v, sizeof(v));
}

/*
 * The MTU of the device towards a connected socket's peer (Linux: of its
 * cached route, which may have learnt a smaller path MTU; lwIP learns
 * none).  Return: it, or -ENOTCONN without a peer, as Linux.
 */
static int path_mtu(struct sock *s)
{
	ip_addr_t ip;
	uint16_t port;
	int v;

	if (s->type == SOCK_STREAM) {
		if (s->state != SK_CONNECTED)
			return -ENOTCONN;
		ns__tcp_names(s, true, &ip, &port);
	} else if (ns__on_raw(s)) {
		if (!ns__raw_connected(s))
			return -ENOTCONN;
		ns__raw_names(s, true, &ip, &port);
	} else {
		if (!s->pcb.udp || !(s->pcb.udp->flags & UDP_FLAGS_CONNECTED))
			return -ENOTCONN;
		ns__udp_names(s, true, &ip, &port);
	}
	v = (int)ns__dgram_mtu(NULL, &ip);
	return v ? v : -ENOTCONN;
}

/* IP_MTU, IPV6_MTU: path_mtu() */
static int64_t get_mtu(struct sock *s, struct trc_call *c)
{
	int v = path_mtu(s);

	return v < 0 ? v : ns__put_opt(c, &v, sizeof(v));
}

/* IPV6_PATHMTU: path_mtu() in a struct ip6_mtuinfo without an address,
 * whose whole size the room must take (EINVAL first) */
static int64_t get_pathmtu(struct sock *s, struct trc_call *c)
{
	struct ip6_mtuinfo mi;
	int32_t len;
	int v;

	if (trc_mem_read(c, trc_call_arg(c, 4), &len, sizeof(len)))
		return -EFAULT;
	if ((uint32_t)len < sizeof(mi))
		return -EINVAL;
	if ((v = path_mtu(s)) < 0)
		return v;
	memset(&mi, 0, sizeof(mi));
	mi.ip6m_mtu = (uint32_t)v;
	return ns__put_opt(c, &mi, sizeof(mi));
}

static int64_t getsockopt_answer(struct sock *s, struct trc_call *c);

/**
 * ns__getsockopt() - getsockopt(fd, level, name, optval, optlen)
 * @s:		the socket
 * @c:		the call
 *
 * A negative length is EINVAL before the name is looked at, at the
 * socket's own levels (sk_getsockopt(), do_ip_getsockopt(),
 * do_tcp_getsockopt(), udp_lib_getsockopt()); IPv6's takes it as
 * unsigned (ns__put_opt()).  An answer's ns__put_opt() reads the length
 * anyway, so only a failed one pays the look (trap_roundtrip's
 * getsockopt() does not).
 *
 * Return: 0, NS_CONTINUE for options the kernel keeps, or a negative errno
 */
int64_t ns__getsockopt(struct sock *s, struct trc_call *c)
{
	int level = (int)trc_call_arg(c, 1);
	int64_t ret = getsockopt_answer(s, c);
	int32_t len;

	if (ret >= 0 ||
	    !(level == SOL_SOCKET ||
	      (level == IPPROTO_IP && (s->family == AF_INET || s->type != SOCK_RAW)) ||
	      (level == IPPROTO_TCP && s->type == SOCK_STREAM) ||
	      (level == IPPROTO_UDP && s->type == SOCK_DGRAM && !ns__on_raw(s))))
		return ret;
	if (trc_mem_read(c, trc_call_arg(c, 4), &len, sizeof(len)))
		return -EFAULT;
	return len < 0 ? -EINVAL : ret;
}

static int64_t getsockopt_answer(struct sock *s, struct trc_call *c)
{
	int level = (int)trc_call_arg(c, 1), name = (int)trc_call_arg(c, 2);
	const struct opt *o;
	uint32_t mval, mlen;
	int64_t ret;
	int v;

	if (level == IPPROTO_IP && s->family == AF_INET6 && s->type == SOCK_RAW)
		return -ENOPROTOOPT;	/* as set: rawv6_getsockopt() */
	if ((ret = raw_get(s, c, level, name)) != 1)
		return ret;
	if ((ret = ns__mcast_getsockopt(s, level, name, &mval, &mlen)) != 1)
		return ret ? ret : ns__put_opt(c, &mval, mlen);
	if ((ret = ns__mcast_getfilter(s, c, level, name)) != 1)
		return ret;
	if (level == SOL_SOCKET) {
		switch (name) {
		case SO_RCVTIMEO: case SO_SNDTIMEO:
		case SO_RCVTIMEO_NEW: case SO_SNDTIMEO_NEW:
			return NS_CONTINUE;
		case SO_ERROR:
			if (s->type == SOCK_STREAM) {
				v = ns__tcp_so_error(s, c);
			} else if (!ns__icmp_take_error(s, &v)) {
				v = 0;
			}
			return ns__put_opt(c, &v, sizeof(v));
		case SO_TYPE:
			return ns__put_opt(c, &s->type, sizeof(int));
		case SO_DOMAIN:
			return ns__put_opt(c, &s->family, sizeof(int));
		case SO_PROTOCOL:
			return ns__put_opt(c, &s->proto, sizeof(int));
		case SO_ACCEPTCONN:
			v = s->state == SK_LISTEN;
			return ns__put_opt(c, &v, sizeof(v));
		case SO_LINGER:
			return ns__put_opt(c, &s->linger, sizeof(s->linger));
		case SO_BINDTODEVICE:
			return get_bound_dev(s, c);
		case SO_BINDTOIFINDEX:
			v = (int)s->bound_ifindex;
			return ns__put_opt(c, &v, sizeof(v));
		case SO_PEERCRED: {
			/* an inet socket has no peer credentials: Linux
			 * says pid 0, uid and gid -1 */
			struct ucred u = { 0, (uid_t)-1, (gid_t)-1 };

			return ns__put_opt(c, &u, sizeof(u));
		}
		case SO_PEERGROUPS:	/* none: sk_peer_cred is NULL */
		case SO_PEERPIDFD:	/* none: sk_peer_pid is NULL */
			return -ENODATA;
		case SO_MEMINFO: {
			uint32_t mem[RTNL_MEMINFO_VARS];

			ns__sock_meminfo(s, mem);
			return ns__put_opt(c, mem, sizeof(mem));
		}
		case SO_PASSCRED: case SO_PASSSEC:
		case SO_PASSPIDFD: case SO_PASSRIGHTS:
			return -EOPNOTSUPP;	/* AF_UNIX and netlink only */
		case SO_RESERVE_MEM:		/* none: refused_set() */
		case SO_INCOMING_NAPI_ID:	/* no NAPI: 0 */
			v = 0;
			return ns__put_opt(c, &v, sizeof(v));
		case SO_TXREHASH:
			if (s->type != SOCK_STREAM)
				return -EOPNOTSUPP;
			return ns__put_opt(c, &s->txrehash, sizeof(int));
		case SO_SNDLOWAT:	/* fixed at 1; setting it is ENOPROTOOPT */
			v = 1;
			return ns__put_opt(c, &v, sizeof(v));
		case SO_MARK:		/* setting it needs CAP_NET_ADMIN */
			v = 0;
			return ns__put_opt(c, &v, sizeof(v));
		case SO_COOKIE:
			return get_cookie(s, c);
		case SO_MAX_PACING_RATE:
			return get_pacing(s, c);
		}
		if (name == SO_GET_FILTER)
			return ns__filter_get(s, c);
		if (name == SO_LOCK_FILTER) {
			v = s->filter_locked;
			return ns__put_opt(c, &v, sizeof(v));
		}
	}
	if (level == IPPROTO_IP && name == IP_PROTOCOL)
		return get_inet_num(s, c);	/* read only */
	if (level == IPPROTO_TCP && s->type == SOCK_STREAM) {
		struct tcp_info ti;

		switch (name) {
		case TCP_INFO:
			ns__tcp_info_fill(s, &ti);
			return ns__put_opt(c, &ti, sizeof(ti));
		case TCP_CONGESTION: {
			char cc[16] = { 0 };

			snprintf(cc, sizeof(cc), "%s", ns__cc(s));
			return ns__put_opt(c, cc, sizeof(cc));
		}
		case TCP_IS_MPTCP:	/* plain TCP */
			v = 0;
			return ns__put_opt(c, &v, sizeof(v));
		case TCP_CC_INFO:	/* reno has none */
		case TCP_ULP:		/* none here */
			return ns__put_opt(c, "", 0);
		case TCP_REPAIR:	/* never on: refused_set() */
		case TCP_THIN_DUPACK:	/* ignored since Linux 4.x */
			v = 0;
			return ns__put_opt(c, &v, sizeof(v));
		case TCP_REPAIR_QUEUE:
		case TCP_QUEUE_SEQ:
			return -EINVAL;
		case TCP_REPAIR_WINDOW: {
			int32_t len;

			if (trc_mem_read(c, trc_call_arg(c, 4), &len, sizeof(len)))
				return -EFAULT;
			return len != (int32_t)sizeof(struct tcp_repair_window) ?
			       -EINVAL : -EPERM;
		}
		case TCP_TIMESTAMP: {	/* the clock of TCP timestamps, ms */
			uint32_t ts = sys_now();

			return ns__put_opt(c, &ts, sizeof(ts));
		}
		case TCP_SYNCNT:	/* tcp_syn_retries */
			v = s->syncnt ? s->syncnt : 6;
			return ns__put_opt(c, &v, sizeof(v));
		case TCP_LINGER2:	/* 0: tcp_fin_timeout */
			v = s->linger2 ? s->linger2 : 60;
			return ns__put_opt(c, &v, sizeof(v));
		/* unset: tcp_keepalive_time, _intvl, _probes, which lwIP's
		 * TCP_KEEP*_DEFAULT are too */
		case TCP_KEEPIDLE:
			v = s->keepidle > 0 ? s->keepidle : 7200;
			return ns__put_opt(c, &v, sizeof(v));
		case TCP_KEEPINTVL:
			v = s->keepintvl > 0 ? s->keepintvl : 75;
			return ns__put_opt(c, &v, sizeof(v));
		case TCP_KEEPCNT:
			v = s->keepcnt > 0 ? s->keepcnt : 9;
			return ns__put_opt(c, &v, sizeof(v));
		case TCP_MAXSEG:
			v = s->pcb.tcp && s->state == SK_CONNECTED ? s->pcb.tcp->mss :
			    s->direct && s->direct_mss ? s->direct_mss :
			    s->maxseg ? s->maxseg : 536;
			return ns__put_opt(c, &v, sizeof(v));
		}
	}
	if ((level == IPPROTO_IP && name == IP_MTU) ||
	    (level == IPPROTO_IPV6 && name == IPV6_MTU && s->family == AF_INET6))
		return get_mtu(s, c);
	if (level == IPPROTO_IPV6 && name == IPV6_PATHMTU && s->family == AF_INET6)
		return get_pathmtu(s, c);
	if (level == IPPROTO_IPV6 && s->family == AF_INET6 &&
	    (name == IPV6_ROUTER_ALERT || name == IPV6_ADDR_PREFERENCES)) {
		v = name == IPV6_ROUTER_ALERT ? 0 : get_srcprefs(s);
		return ns__put_opt(c, &v, sizeof(v));
	}
	o = find(s, level, name);
	if (!o) {
		/* Linux: an AF_INET socket asked at a level that is neither
		 * its protocol's nor IP's says EOPNOTSUPP (ip_getsockopt);
		 * AF_INET6 says ENOPROTOOPT. */
		if (s->family == AF_INET && level != SOL_SOCKET &&
		    level != IPPROTO_IP && level != s->proto &&
		    !(s->type == SOCK_RAW && level == SOL_RAW))
			return -EOPNOTSUPP;
		return -ENOPROTOOPT;
	}
	v = get_field(s, o);
	return ns__put_opt(c, &v, sizeof(v));
}
