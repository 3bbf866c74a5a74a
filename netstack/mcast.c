/* SPDX-License-Identifier: MIT */
/*
 * mcast.c - multicast for datagram sockets (UDP, raw), as Linux does it.
 *
 * Joins: IP_ADD_MEMBERSHIP / IP_DROP_MEMBERSHIP (ip_mreq or ip_mreqn),
 * IPV6_ADD_MEMBERSHIP / IPV6_DROP_MEMBERSHIP and MCAST_JOIN_GROUP /
 * MCAST_LEAVE_GROUP are kept per socket as (group, device) and passed to
 * lwIP's IGMP and MLD (igmp_joingroup_netif(), mld6_joingroup_netif()),
 * which count users per group and device, report the group on the segment
 * and make lwIP accept datagrams for it on that device.  The device is
 * the one named, else the one holding the given address, else the one the
 * route to the group leaves by (for IPv6 the first ff00::/8 route's);
 * none is ENODEV, as Linux's ip_mc_find_dev() and ipv6_sock_mc_join().
 *
 * Source filters (RFC 3678): each membership has a mode and a list of
 * sources, as Linux's ip_mc_socklist and ipv6_mc_socklist: EXCLUDE and
 * none for an any-source join, INCLUDE for a source-specific one
 * (IP_ADD_SOURCE_MEMBERSHIP, MCAST_JOIN_SOURCE_GROUP), changed by the
 * other source options and IP_MSFILTER / MCAST_MSFILTER, with Linux's
 * errors (ip_mc_source(), ip6_mc_source(), ip_mc_msfilter(),
 * ip6_mc_msfilter()).  They filter delivery to the socket only: lwIP
 * joins the group on the device whatever the mode, and reports it with
 * IGMPv2 / MLDv1.
 *
 * Delivery: lwIP hands an accepted multicast datagram to every pcb of its
 * protocol and port whose device binding (SO_BINDTODEVICE) allows it.
 * ns__mcast_wanted() then asks as Linux's ip_mc_sf_allow() and
 * inet6_mc_check(): a group the socket joined (IPv4: on the device the
 * datagram came in on; IPv6: on any) takes what the membership's source
 * filter lets in; another group is taken with IP_MULTICAST_ALL or
 * IPV6_MULTICAST_ALL on (Linux's default: a socket receives every group
 * some socket joined on the device, joined itself or not).
 * An AF_INET6 socket's IPPROTO_IP options (struct ns_mc4) are its IPv4
 * ones, for its v4-mapped traffic, apart from the IPv6 ones as Linux's.
 *
 * Sending: ns__dgram_oif() picks the device and source the way Linux's
 * udp_sendmsg()/raw_sendmsg() and their IPv6 twins do: IP(V6)_PKTINFO's
 * interface, else SO_BINDTODEVICE's, else for a multicast destination
 * IP(V6)_MULTICAST_IF's; multicast leaves with IP_MULTICAST_TTL (default
 * 1) unless a TTL cmsg says otherwise.  IP_MULTICAST_LOOP (default on)
 * marks the packet and the device hands a copy back to the stack (vdev/
 * link.c), so local sockets, the sender's included, receive it as on
 * Linux.  Called by sockopt.c, udp.c, raw.c and sock.c; calls lwIP and
 * the device table (net.c), nothing of the tracer beyond option reads.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "lwip/igmp.h"
#include "lwip/ip.h"
#include "lwip/ip6_addr.h"
#include "lwip/mld6.h"
#include "lwip/netif.h"

#include "internal.h"
#include "log.h"
#include "netint.h"
#include "rrs_lwip_hooks.h"
#include "vdev.h"

/* As Linux's net.ipv4.igmp_max_memberships; IPv6 has no such limit, but
 * a program must not grow our memory without bound: the same cap. */
#define MSHIP_MAX	20
#define MSHIP_MAX_V6	1024

#ifndef IP_MULTICAST_ALL
#define IP_MULTICAST_ALL	49
#endif
#ifndef IPV6_MULTICAST_ALL
#define IPV6_MULTICAST_ALL	29
#endif

/* Linux's net.core.optmem_max default (6.x): a longer filter is ENOBUFS */
#define OPTMEM_MAX	131072

/* Source filters: Linux's net.ipv4.igmp_max_msf and net.ipv6.mld_max_msf
 * defaults, the most sources one membership's filter holds */
#define MSF_MAX		10
#define MSF_MAX_V6	64

/**
 * struct ns_mship - one group a socket joined on one device
 * @addr4:	the interface address an IPv4 join named (imr_address), or 0:
 *		a leave that names an address no device holds matches it,
 *		as ip_mc_leave_group() does
 * @sfmode:	its source filter's mode, MCAST_EXCLUDE (an any-source join)
 *		or MCAST_INCLUDE (a source-specific one)
 * @has_list:	a source list was made, as Linux's pmc->sflist: it stays
 *		(empty) when the last source of it goes, and then the mode
 *		may no longer change
 * @n_src:	sources in @src
 * @src:	the sources, in the order given
 */
struct ns_mship {
	struct ns_mship *next;
	ip_addr_t group;
	uint32_t ifindex;
	uint32_t addr4;
	uint8_t sfmode;
	bool has_list;
	uint16_t n_src;
	ip_addr_t *src;
};

/**
 * ns__mcast_init() - Linux's multicast defaults for a new socket
 * @s:		the socket
 */
void ns__mcast_init(struct sock *s)
{
	s->mcast_ttl = 1;
	s->mcast_loop = true;
	s->mcast_all = true;
	s->mc4.ttl = 1;
	s->mc4.loop = true;
	/* inet6_create() leaves MC_ALL off (getsockopt() says 0, Linux
	 * 6.x): a dual-stack socket gets an IPv4 group only by joining it */
	s->mc4.all = s->family == AF_INET;
	ip_addr_set_zero_ip4(&s->mc4.addr);
}

/**
 * ns__mcast_ttl() - the TTL or hop limit of a multicast datagram
 * @s:		the sending socket
 * @dst:	its destination
 *
 * Return: IP_MULTICAST_TTL's for IPv4 (v4-mapped from an AF_INET6 socket
 * too, as udp_sendmsg() takes inet_sock's), else IPV6_MULTICAST_HOPS's
 */
int ns__mcast_ttl(const struct sock *s, const ip_addr_t *dst)
{
	return IP_IS_V4(dst) ? s->mc4.ttl : s->mcast_ttl;
}

/**
 * ns__mcast_loop() - whether a socket's multicast is looped back
 * @s:		the sending socket
 *
 * Return: IP_MULTICAST_LOOP's for AF_INET, IPV6_MULTICAST_LOOP's for
 * AF_INET6 whatever the destination, as Linux's sk_mc_loop() asks by the
 * socket's family
 */
bool ns__mcast_loop(const struct sock *s)
{
	return s->family == AF_INET ? s->mc4.loop : s->mcast_loop;
}

/**
 * ns__dev_netif() - the lwIP netif of the sandbox's device @ifindex
 * @ns:		the stack
 * @ifindex:	the device's index, 0 for none
 *
 * Return: the netif, or NULL when there is no such device
 */
struct netif *ns__dev_netif(struct ns *ns, uint32_t ifindex)
{
	struct net_dev *d = ifindex ? net__dev(ns_net(ns), ifindex) : NULL;

	return d ? vdev_netif(d->vdev) : NULL;
}

/**
 * ns__netif_ifindex() - the device index programs see for an lwIP netif
 * @ns:		the stack
 * @nif:	the netif, or NULL
 *
 * Return: its ifindex, 0 if it is none of the sandbox's devices
 */
uint32_t ns__netif_ifindex(struct ns *ns, const struct netif *nif)
{
	const struct net_dev *d = net__dev_of_netif(ns_net(ns), nif);

	return d ? d->ifindex : 0;
}

/* The device holding IPv4 address @a (network order), or 0. */
static uint32_t dev_of_addr4(struct ns *ns, uint32_t a)
{
	struct net_dev *d;
	unsigned int i;

	for (d = ns_net(ns)->devs; d; d = d->next)
		for (i = 0; i < d->n_addrs; i++)
			if (d->addrs[i].family == AF_INET &&
			    !memcmp(d->addrs[i].addr, &a, 4))
				return d->ifindex;
	return 0;
}

/*
 * The device the route to @group leaves by, or 0.  For IPv6 that is the
 * first device's `multicast ff00::/8` route in table local (lwIP patch
 * 0051 asks the table for every group), none when they were deleted, as
 * ipv6_sock_mc_join()'s rt6_lookup().
 */
static uint32_t dev_of_route(struct ns *ns, const ip_addr_t *group)
{
	return ns__netif_ifindex(ns, ip_route(IP_IS_V6(group) ? IP6_ADDR_ANY :
					      IP4_ADDR_ANY, group));
}

static bool is_allsystems(const ip_addr_t *g)
{
	return IP_IS_V4(g) && ip4_addr_get_u32(ip_2_ip4(g)) == PP_HTONL(0xe0000001UL);
}

/* Tell lwIP one more (@join) or one less user of @g on device @ifindex.
 * lwIP refuses 224.0.0.1 (always a member) and devices without IGMP or
 * MLD (the loopback): the membership is then only the socket's. */
static int lwip_member(struct ns *ns, const ip_addr_t *g, uint32_t ifindex,
		       bool join)
{
	struct netif *n = ns__dev_netif(ns, ifindex);
	err_t e;

	if (!n)
		return join ? -ENODEV : 0;
	if (IP_IS_V4(g)) {
		if (!(n->flags & NETIF_FLAG_IGMP) || is_allsystems(g))
			return 0;
		e = join ? igmp_joingroup_netif(n, ip_2_ip4(g)) :
			   igmp_leavegroup_netif(n, ip_2_ip4(g));
	} else {
		if (!(n->flags & NETIF_FLAG_MLD6))
			return 0;
		e = join ? mld6_joingroup_netif(n, ip_2_ip6(g)) :
			   mld6_leavegroup_netif(n, ip_2_ip6(g));
	}
	return e == ERR_OK ? 0 : -ENOBUFS;
}

static struct ns_mship **find(struct sock *s, const ip_addr_t *g,
			      uint32_t ifindex)
{
	struct ns_mship **pp;

	for (pp = &s->mships; *pp; pp = &(*pp)->next)
		if (ip_addr_cmp_zoneless(&(*pp)->group, g) &&
		    (!ifindex || (*pp)->ifindex == ifindex))
			return pp;
	return NULL;
}

/*
 * Join @g on @ifindex (0: the route's device) with filter mode @sfmode
 * and no sources.  Return: 0, -EINVAL (not multicast), -ENODEV,
 * -EADDRINUSE (joined already) or -ENOBUFS.
 */
static int join_mode(struct sock *s, const ip_addr_t *g, uint32_t ifindex,
		     uint8_t sfmode, uint32_t addr4)
{
	struct ns_mship *m;
	int ret;

	if (!ip_addr_ismulticast(g))
		return -EINVAL;
	/* __ipv6_sock_mc_join() looks for the group before the device: on
	 * any device when none is named */
	if (IP_IS_V6(g) && find(s, g, ifindex))
		return -EADDRINUSE;
	if (!ifindex)
		ifindex = dev_of_route(s->ns, g);
	if (!ifindex || !ns__dev_netif(s->ns, ifindex))
		return -ENODEV;
	if (IP_IS_V4(g) && find(s, g, ifindex))
		return -EADDRINUSE;
	if (s->n_mships >= (IP_IS_V4(g) ? MSHIP_MAX : MSHIP_MAX_V6))
		return -ENOBUFS;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOBUFS;
	ip_addr_copy(m->group, *g);
	if (IP_IS_V6(g))
		ip6_addr_clear_zone(ip_2_ip6(&m->group));
	m->ifindex = ifindex;
	m->addr4 = addr4;
	m->sfmode = sfmode;
	if ((ret = lwip_member(s->ns, &m->group, ifindex, true))) {
		free(m);
		return ret;
	}
	m->next = s->mships;
	s->mships = m;
	s->n_mships++;
	debug("socket %llu: joined %s on device %u", (unsigned long long)s->ino,
	      ipaddr_ntoa(g), ifindex);
	return 0;
}

/* An any-source join: mode EXCLUDE, nothing excluded. */
static int join(struct sock *s, const ip_addr_t *g, uint32_t ifindex)
{
	return join_mode(s, g, ifindex, MCAST_EXCLUDE, 0);
}

static void mship_free(struct ns_mship *m)
{
	free(m->src);
	free(m);
}

/* Drop the membership *@pp: unlinked, lwIP told, freed. */
static void unjoin(struct sock *s, struct ns_mship **pp)
{
	struct ns_mship *m = *pp;

	*pp = m->next;
	s->n_mships--;
	lwip_member(s->ns, &m->group, m->ifindex, false);
	mship_free(m);
}

/* Leave @g on @ifindex (0: any device).  Return: 0 or -EADDRNOTAVAIL;
 * -EINVAL for an IPv6 @g that is no group (ipv6_sock_mc_drop() asks;
 * ip_mc_leave_group() does not: not joined). */
static int leave(struct sock *s, const ip_addr_t *g, uint32_t ifindex)
{
	struct ns_mship **pp;

	if (IP_IS_V6(g) && !ip_addr_ismulticast(g))
		return -EINVAL;
	pp = find(s, g, ifindex);
	if (!pp)
		return -EADDRNOTAVAIL;
	unjoin(s, pp);
	return 0;
}

/*
 * IP_DROP_MEMBERSHIP as Linux's ip_mc_leave_group(): the membership on
 * device @ifindex, else on the device holding @addr, else on the route's;
 * with an @addr no device holds, the one joined naming that address.
 * Return: 0, -ENODEV (nothing names a device) or -EADDRNOTAVAIL
 */
static int leave4(struct sock *s, const ip_addr_t *g, uint32_t ifindex,
		  uint32_t addr)
{
	uint32_t dev = ifindex ? ifindex : addr ? dev_of_addr4(s->ns, addr) :
		       dev_of_route(s->ns, g);
	struct ns_mship **pp;

	if (!ifindex && !addr && !dev)
		return -ENODEV;
	if (dev)
		return leave(s, g, dev);
	for (pp = &s->mships; *pp; pp = &(*pp)->next)
		if (ip_addr_cmp_zoneless(&(*pp)->group, g) && (*pp)->addr4 == addr) {
			unjoin(s, pp);
			return 0;
		}
	return -EADDRNOTAVAIL;
}

/**
 * ns__mcast_close() - leave every group a closing socket joined
 * @s:		the socket
 */
void ns__mcast_close(struct sock *s)
{
	struct ns_mship *m;

	while ((m = s->mships)) {
		s->mships = m->next;
		lwip_member(s->ns, &m->group, m->ifindex, false);
		mship_free(m);
	}
	s->n_mships = 0;
}

/* @src's place in membership @m's source list, or -1 */
static int src_index(const struct ns_mship *m, const ip_addr_t *src)
{
	unsigned int i;

	for (i = 0; i < m->n_src; i++)
		if (ip_addr_cmp_zoneless(&m->src[i], src))
			return (int)i;
	return -1;
}

/* Whether membership @m's source filter lets a datagram from @src in:
 * a listed source in INCLUDE mode, an unlisted one in EXCLUDE mode. */
static bool filter_allows(const struct ns_mship *m, const ip_addr_t *src)
{
	return (src_index(m, src) >= 0) == (m->sfmode == MCAST_INCLUDE);
}

/**
 * ns__mcast_wanted() - whether the datagram lwIP delivers now is for @s
 * @s:		a UDP or raw socket lwIP matched
 *
 * As Linux's ip_mc_sf_allow() and inet6_mc_check(): a multicast datagram
 * whose group @s joined (IPv4: on the device it came in on; IPv6: on any)
 * is taken as that membership's source filter says; one of a group @s
 * did not join only with IP(V6)_MULTICAST_ALL on.
 *
 * Return: whether @s receives it
 */
bool ns__mcast_wanted(const struct sock *s)
{
	const ip_addr_t *dst = ip_current_dest_addr();
	uint32_t in = 0;
	const struct ns_mship *m;
	bool v4 = IP_IS_V4(dst);

	if (!ip_addr_ismulticast(dst))
		return true;
	if (v4)
		in = ns__netif_ifindex(s->ns, ip_current_input_netif());
	for (m = s->mships; m; m = m->next)
		if ((!v4 || m->ifindex == in) &&
		    ip_addr_cmp_zoneless(&m->group, dst))
			return filter_allows(m, ip_current_src_addr());
	return v4 ? s->mc4.all : s->mcast_all;
}

/* ---- options ---- */

static int read_opt(struct trc_call *c, void *buf, size_t len)
{
	return trc_mem_read(c, trc_call_arg(c, 3), buf, len) ? -EFAULT : 0;
}

/* IP_ADD_MEMBERSHIP, IP_DROP_MEMBERSHIP: an ip_mreq, or an ip_mreqn when
 * long enough (Linux's do_ip_setsockopt()). */
static int64_t ip_membership(struct sock *s, struct trc_call *c, int name,
			     int32_t len)
{
	struct ip_mreqn mr = { 0 };
	uint32_t ifindex;
	ip_addr_t g;
	int ret;

	if (s->type == SOCK_STREAM)
		return -EPROTO;
	if (len < (int32_t)sizeof(struct ip_mreq))
		return -EINVAL;
	ret = read_opt(c, &mr, len >= (int32_t)sizeof(mr) ? sizeof(mr) :
					sizeof(struct ip_mreq));
	if (ret)
		return ret;
	ip_addr_set_ip4_u32_val(g, mr.imr_multiaddr.s_addr);
	if (name == IP_ADD_MEMBERSHIP && !ip_addr_ismulticast(&g))
		return -EINVAL;		/* __ip_mc_join_group()'s first check */
	ifindex = mr.imr_ifindex > 0 ? (uint32_t)mr.imr_ifindex : 0;
	if (name != IP_ADD_MEMBERSHIP)
		return leave4(s, &g, ifindex, mr.imr_address.s_addr);
	if (!ifindex && mr.imr_address.s_addr) {
		ifindex = dev_of_addr4(s->ns, mr.imr_address.s_addr);
		if (!ifindex)
			return -ENODEV;
	}
	return join_mode(s, &g, ifindex, MCAST_EXCLUDE, mr.imr_address.s_addr);
}

/* IP_MULTICAST_IF: an in_addr, an ip_mreq or an ip_mreqn. */
static int64_t ip_mcast_if(struct sock *s, struct trc_call *c, int32_t len)
{
	struct ip_mreqn mr = { 0 };
	uint32_t ifindex;
	int ret;

	if (s->type == SOCK_STREAM)
		return -EINVAL;
	if (len < (int32_t)sizeof(struct in_addr))
		return -EINVAL;
	if (len >= (int32_t)sizeof(mr))
		ret = read_opt(c, &mr, sizeof(mr));
	else if (len >= (int32_t)sizeof(struct ip_mreq))
		ret = read_opt(c, &mr, sizeof(struct ip_mreq));
	else
		ret = read_opt(c, &mr.imr_address, sizeof(mr.imr_address));
	if (ret)
		return ret;
	if (len >= (int32_t)sizeof(struct ip_mreq) && len < (int32_t)sizeof(mr))
		mr.imr_address = mr.imr_multiaddr;	/* ip_mreq: imr_interface */
	ifindex = mr.imr_ifindex > 0 ? (uint32_t)mr.imr_ifindex : 0;
	if (!ifindex && !mr.imr_address.s_addr) {
		s->mc4.ifindex = 0;
		ip_addr_set_zero_ip4(&s->mc4.addr);
		return 0;
	}
	if (!ifindex)
		ifindex = dev_of_addr4(s->ns, mr.imr_address.s_addr);
	if (!ifindex || !ns__dev_netif(s->ns, ifindex))
		return -EADDRNOTAVAIL;
	if (s->bound_ifindex && ifindex != s->bound_ifindex)
		return -EINVAL;
	s->mc4.ifindex = ifindex;
	ip_addr_set_ip4_u32_val(s->mc4.addr, mr.imr_address.s_addr);
	return 0;
}

/* IPV6_ADD_MEMBERSHIP, IPV6_DROP_MEMBERSHIP: an ipv6_mreq. */
static int64_t ipv6_membership(struct sock *s, struct trc_call *c, int name,
			       int32_t len)
{
	struct ipv6_mreq mr;
	ip_addr_t g;
	int ret;

	if (s->type == SOCK_STREAM)
		return -EPROTO;
	if (len < (int32_t)sizeof(mr))
		return -EINVAL;
	if ((ret = read_opt(c, &mr, sizeof(mr))))
		return ret;
	IP_ADDR6(&g, 0, 0, 0, 0);
	memcpy(ip_2_ip6(&g)->addr, &mr.ipv6mr_multiaddr, 16);
	ip6_addr_clear_zone(ip_2_ip6(&g));
	if (name == IPV6_ADD_MEMBERSHIP) {
		if (!ip_addr_ismulticast(&g))
			return -EINVAL;
		if (mr.ipv6mr_interface && !ns__dev_netif(s->ns, mr.ipv6mr_interface))
			return -ENODEV;
		return join(s, &g, mr.ipv6mr_interface);
	}
	return leave(s, &g, mr.ipv6mr_interface);
}

/* The address of sockaddr_storage @ss of family @af, 0 or -EADDRNOTAVAIL */
static int ss_addr(const struct sockaddr_storage *ss, int af, ip_addr_t *ip)
{
	if (ss->ss_family != af)
		return -EADDRNOTAVAIL;
	if (af == AF_INET) {
		ip_addr_set_ip4_u32_val(*ip, ((const struct sockaddr_in *)
					      (const void *)ss)->sin_addr.s_addr);
	} else {
		IP_ADDR6(ip, 0, 0, 0, 0);
		memcpy(ip_2_ip6(ip)->addr,
		       &((const struct sockaddr_in6 *)(const void *)ss)->sin6_addr,
		       16);
		ip6_addr_clear_zone(ip_2_ip6(ip));
	}
	return 0;
}

/* MCAST_JOIN_GROUP, MCAST_LEAVE_GROUP (RFC 3678): a group_req, an IPv4
 * group at IPPROTO_IP (EINVAL for another, ip_mcast_join_leave()), an
 * IPv6 one at IPPROTO_IPV6 (EADDRNOTAVAIL, ipv6_mcast_join_leave()). */
static int64_t group_req(struct sock *s, struct trc_call *c, int level,
			 int name, int32_t len)
{
	struct group_req gr;
	ip_addr_t g;
	int ret;

	if (s->type == SOCK_STREAM)
		return -EPROTO;
	if (len < (int32_t)sizeof(gr))
		return -EINVAL;
	if ((ret = read_opt(c, &gr, sizeof(gr))))
		return ret;
	if (ss_addr(&gr.gr_group, level == IPPROTO_IP ? AF_INET : AF_INET6, &g))
		return level == IPPROTO_IP ? -EINVAL : -EADDRNOTAVAIL;
	if (name == MCAST_JOIN_GROUP) {
		if (!ip_addr_ismulticast(&g))
			return -EINVAL;
		if (gr.gr_interface && !ns__dev_netif(s->ns, gr.gr_interface))
			return -ENODEV;
		return join(s, &g, gr.gr_interface);
	}
	return leave(s, &g, gr.gr_interface);
}

/* ---- source filters (RFC 3678), as Linux's net/ipv4/igmp.c and
 * net/ipv6/mcast.c keep them per socket ---- */

/*
 * The device a filter call names, as ip_mc_find_dev() and
 * ip6_mc_find_dev() find it: @ifindex if given (it must exist), else
 * the device holding IPv4 address @addr4 if given, else the route's.
 * Return: the ifindex, 0 for none (ENODEV)
 */
static uint32_t filter_dev(struct ns *ns, const ip_addr_t *g, uint32_t ifindex,
			   uint32_t addr4)
{
	if (ifindex)
		return ns__dev_netif(ns, ifindex) ? ifindex : 0;
	if (IP_IS_V4(g) && addr4)
		return dev_of_addr4(ns, addr4);
	return dev_of_route(ns, g);
}

/*
 * Add (@add) or drop source @src of group @g's filter in mode @omode, as
 * Linux's ip_mc_source() and ip6_mc_source(): the group must be joined
 * (EINVAL), a filter with sources keeps its mode (EINVAL), an empty one
 * never given any takes @omode; a source twice, or one to drop that is
 * not there, is EADDRNOTAVAIL; past MSF_MAX ENOBUFS; dropping the last
 * source of an INCLUDE filter leaves the group.
 * @ifindex: the device named (0: none), @addr4 the IPv4 interface address
 * named (0: none).
 */
static int filter_source(struct sock *s, bool add, uint8_t omode,
			 const ip_addr_t *g, uint32_t ifindex, uint32_t addr4,
			 const ip_addr_t *src)
{
	uint32_t dev = filter_dev(s->ns, g, ifindex, addr4);
	unsigned int max = IP_IS_V4(g) ? MSF_MAX : MSF_MAX_V6;
	struct ns_mship **pp, *m;
	ip_addr_t *n;
	int i;

	if (!ip_addr_ismulticast(g))
		return -EINVAL;
	if (!dev)
		return -ENODEV;
	/* ip_mc_source() wants the device's membership, ip6_mc_source()
	 * the named device's or, none named, the group's first */
	if (!(pp = find(s, g, IP_IS_V4(g) ? dev : ifindex)))
		return -EINVAL;
	m = *pp;
	if (m->has_list && m->sfmode != omode)
		return -EINVAL;
	m->sfmode = omode;	/* an empty filter never given one may switch */
	i = src_index(m, src);
	if (!add) {
		if (!m->has_list || i < 0)
			return -EADDRNOTAVAIL;
		if (m->n_src == 1 && omode == MCAST_INCLUDE)
			return leave(s, g, m->ifindex);
		memmove(&m->src[i], &m->src[i + 1],
			(m->n_src - (unsigned int)i - 1) * sizeof(*m->src));
		m->n_src--;
		return 0;
	}
	if (m->n_src >= max)
		return -ENOBUFS;
	if (i >= 0)
		return -EADDRNOTAVAIL;
	n = realloc(m->src, (m->n_src + 1u) * sizeof(*n));
	if (!n)
		return -ENOBUFS;
	m->src = n;
	ip_addr_copy(m->src[m->n_src], *src);
	if (IP_IS_V6(src))
		ip6_addr_clear_zone(ip_2_ip6(&m->src[m->n_src]));
	m->n_src++;
	m->has_list = true;
	return 0;
}

/*
 * Set group @g's whole filter (IP_MSFILTER, MCAST_MSFILTER), as Linux's
 * ip_mc_msfilter() and ip6_mc_msfilter(): INCLUDE with no source leaves
 * the group; the group must be joined (EINVAL); no source means no list.
 */
static int filter_set(struct sock *s, const ip_addr_t *g, uint32_t ifindex,
		      uint32_t addr4, uint32_t fmode, const ip_addr_t *src,
		      unsigned int n)
{
	uint32_t dev;
	struct ns_mship **pp, *m;
	ip_addr_t *l = NULL;

	if (!ip_addr_ismulticast(g))
		return -EINVAL;
	if (fmode != MCAST_INCLUDE && fmode != MCAST_EXCLUDE)
		return -EINVAL;
	if (!(dev = filter_dev(s->ns, g, ifindex, addr4)))
		return -ENODEV;
	if (fmode == MCAST_INCLUDE && !n)
		return leave(s, g, IP_IS_V4(g) ? dev : ifindex);
	/* ip6_mc_msfilter() wants the membership of gf_interface itself
	 * (0 names none); ip_mc_msfilter() the device found */
	if (IP_IS_V4(g))
		ifindex = dev;
	if (!ifindex || !(pp = find(s, g, ifindex)))
		return -EINVAL;
	m = *pp;
	if (n && !(l = malloc(n * sizeof(*l))))
		return -ENOBUFS;
	if (n)
		memcpy(l, src, n * sizeof(*l));
	free(m->src);
	m->src = l;
	m->n_src = (uint16_t)n;
	m->has_list = n > 0;
	m->sfmode = (uint8_t)fmode;
	return 0;
}

/*
 * The join before an IPv4 source is added (ip_mc_join_group_ssm() in
 * INCLUDE mode): the device @ifindex names, else the one holding @addr4,
 * else the route's; the group joined there already is fine.
 * Return: that device's ifindex, or a negative errno
 */
static int64_t join_include4(struct sock *s, const ip_addr_t *g,
			     uint32_t ifindex, uint32_t addr4)
{
	uint32_t dev;
	int ret;

	if (!ip_addr_ismulticast(g))
		return -EINVAL;
	if (!(dev = filter_dev(s->ns, g, ifindex, addr4)))
		return -ENODEV;
	ret = join_mode(s, g, dev, MCAST_INCLUDE, addr4);
	return ret && ret != -EADDRINUSE ? ret : (int64_t)dev;
}

/* IP_ADD_SOURCE_MEMBERSHIP, IP_DROP_SOURCE_MEMBERSHIP, IP_BLOCK_SOURCE,
 * IP_UNBLOCK_SOURCE: an ip_mreq_source of exactly its size; an add joins
 * the group first (in INCLUDE mode), a join already there is fine. */
static int64_t ip_source(struct sock *s, struct trc_call *c, int name,
			 int32_t len)
{
	struct ip_mreq_source mr;
	ip_addr_t g, src;
	int64_t dev;
	bool add = name == IP_ADD_SOURCE_MEMBERSHIP || name == IP_BLOCK_SOURCE;
	uint8_t mode = name == IP_BLOCK_SOURCE || name == IP_UNBLOCK_SOURCE ?
		       MCAST_EXCLUDE : MCAST_INCLUDE;
	int ret;

	if (len != (int32_t)sizeof(mr))
		return -EINVAL;
	if ((ret = read_opt(c, &mr, sizeof(mr))))
		return ret;
	ip_addr_set_ip4_u32_val(g, mr.imr_multiaddr.s_addr);
	ip_addr_set_ip4_u32_val(src, mr.imr_sourceaddr.s_addr);
	if (name == IP_ADD_SOURCE_MEMBERSHIP &&
	    (dev = join_include4(s, &g, 0, mr.imr_interface.s_addr)) < 0)
		return dev;
	return filter_source(s, add, mode, &g, 0, mr.imr_interface.s_addr, &src);
}

/* MCAST_JOIN_SOURCE_GROUP, MCAST_LEAVE_SOURCE_GROUP, MCAST_BLOCK_SOURCE,
 * MCAST_UNBLOCK_SOURCE: a group_source_req (IPv4: exactly its size; IPv6:
 * at least), both addresses of the level's family (EADDRNOTAVAIL). */
static int64_t group_source(struct sock *s, struct trc_call *c, int level,
			    int name, int32_t len)
{
	struct group_source_req gr;
	int af = level == IPPROTO_IP ? AF_INET : AF_INET6;
	bool add = name == MCAST_JOIN_SOURCE_GROUP || name == MCAST_BLOCK_SOURCE;
	uint8_t mode = name == MCAST_BLOCK_SOURCE || name == MCAST_UNBLOCK_SOURCE ?
		       MCAST_EXCLUDE : MCAST_INCLUDE;
	uint32_t ifindex;
	ip_addr_t g, src;
	int ret;

	if (af == AF_INET ? len != (int32_t)sizeof(gr) : len < (int32_t)sizeof(gr))
		return -EINVAL;
	if ((ret = read_opt(c, &gr, sizeof(gr))))
		return ret;
	if (ss_addr(&gr.gsr_group, af, &g) || ss_addr(&gr.gsr_source, af, &src))
		return -EADDRNOTAVAIL;
	ifindex = gr.gsr_interface;
	if (name == MCAST_JOIN_SOURCE_GROUP && af == AF_INET) {
		int64_t dev = join_include4(s, &g, ifindex, 0);

		if (dev < 0)
			return dev;
		ifindex = (uint32_t)dev;	/* the device the join found */
	} else if (name == MCAST_JOIN_SOURCE_GROUP) {
		/* a join of the group on any device will do when none is
		 * named: ip6_mc_source() then takes the first */
		ret = join_mode(s, &g, ifindex, MCAST_INCLUDE, 0);
		if (ret && ret != -EADDRINUSE)
			return ret;
	}
	return filter_source(s, add, mode, &g, ifindex, 0, &src);
}

/* IP_MSFILTER: an ip_msfilter with imsf_numsrc addresses after it. */
static int64_t ip_msfilter_set(struct sock *s, struct trc_call *c, int32_t len)
{
	struct ip_msfilter h;
	uint32_t a[MSF_MAX];
	ip_addr_t g, src[MSF_MAX];
	unsigned int i;
	int ret;

	if (len < (int32_t)IP_MSFILTER_SIZE(0))
		return -EINVAL;
	if ((ret = read_opt(c, &h, IP_MSFILTER_SIZE(0))))
		return ret;
	if (h.imsf_numsrc > MSF_MAX)
		return -ENOBUFS;
	if (IP_MSFILTER_SIZE(h.imsf_numsrc) > (size_t)len)
		return -EINVAL;
	if (h.imsf_numsrc &&
	    trc_mem_read(c, trc_call_arg(c, 3) + IP_MSFILTER_SIZE(0), a,
			 h.imsf_numsrc * sizeof(*a)))
		return -EFAULT;
	for (i = 0; i < h.imsf_numsrc; i++)
		ip_addr_set_ip4_u32_val(src[i], a[i]);
	ip_addr_set_ip4_u32_val(g, h.imsf_multiaddr.s_addr);
	return filter_set(s, &g, 0, h.imsf_interface.s_addr, h.imsf_fmode, src,
			  h.imsf_numsrc);
}

/* MCAST_MSFILTER: a group_filter with gf_numsrc sockaddr_storages after
 * it, all of the level's family (IPv4: EADDRNOTAVAIL for another; IPv6
 * takes the sources' addresses whatever their family says, as Linux). */
static int64_t group_filter_set(struct sock *s, struct trc_call *c, int level,
				int32_t len)
{
	const size_t size0 = GROUP_FILTER_SIZE(0);
	struct group_filter h;
	struct sockaddr_storage ss;
	bool v4 = level == IPPROTO_IP;
	unsigned int i, max = v4 ? MSF_MAX : MSF_MAX_V6;
	ip_addr_t g, src[MSF_MAX_V6];
	int ret;

	if (len < (int32_t)size0)
		return -EINVAL;
	if ((ret = read_opt(c, &h, size0)))
		return ret;
	if (h.gf_numsrc > max)
		return -ENOBUFS;
	if (GROUP_FILTER_SIZE(h.gf_numsrc) > (size_t)len)
		return -EINVAL;
	if ((ret = ss_addr(&h.gf_group, v4 ? AF_INET : AF_INET6, &g)))
		return v4 ? ret : -EINVAL;
	for (i = 0; i < h.gf_numsrc; i++) {
		if (trc_mem_read(c, trc_call_arg(c, 3) + size0 + i * sizeof(ss),
				 &ss, sizeof(ss)))
			return -EFAULT;
		if (!v4)
			ss.ss_family = AF_INET6;
		if ((ret = ss_addr(&ss, v4 ? AF_INET : AF_INET6, &src[i])))
			return ret;
	}
	return filter_set(s, &g, h.gf_interface, 0, h.gf_fmode, src,
			  h.gf_numsrc);
}

/*
 * getsockopt(IP_MSFILTER), getsockopt(MCAST_MSFILTER): the header the
 * program gives names the group (and the room it made, imsf_numsrc or
 * gf_numsrc); the answer is the mode, the count of sources, as many of
 * them as there is room for, and the length that took, as Linux's
 * ip_mc_msfget(), ip_mc_gsfget() and ip6_mc_msfget().  The group must be
 * joined on that device: IP_MSFILTER finds it as a join does,
 * MCAST_MSFILTER only by gf_interface itself.
 */
static int64_t filter_get(struct sock *s, struct trc_call *c, int level,
			  int name)
{
	bool msf = name == IP_MSFILTER, v4 = level == IPPROTO_IP;
	size_t size0 = msf ? IP_MSFILTER_SIZE(0) : GROUP_FILTER_SIZE(0);
	size_t each = msf ? sizeof(uint32_t) : sizeof(struct sockaddr_storage);
	uint64_t val = trc_call_arg(c, 3), lenp = trc_call_arg(c, 4);
	/* the header, then as many sources as there is room for */
	union {
		struct ip_msfilter m;
		struct group_filter g;
		uint8_t b[GROUP_FILTER_SIZE(MSF_MAX_V6)];
	} h;
	struct ns_mship **pp, *m;
	uint32_t room, dev, i;
	int32_t len, outlen;
	ip_addr_t g;
	int ret;

	if (trc_mem_read(c, lenp, &len, sizeof(len)))
		return -EFAULT;
	if (len < (int32_t)size0)
		return -EINVAL;
	if (trc_mem_read(c, val, &h, size0))
		return -EFAULT;
	if (msf) {
		ip_addr_set_ip4_u32_val(g, h.m.imsf_multiaddr.s_addr);
		if (!ip_addr_ismulticast(&g))
			return -EINVAL;
		dev = filter_dev(s->ns, &g, 0, h.m.imsf_interface.s_addr);
		if (!dev)
			return -ENODEV;
		room = h.m.imsf_numsrc;
	} else {
		if ((ret = ss_addr(&h.g.gf_group, v4 ? AF_INET : AF_INET6, &g)))
			return v4 ? -EINVAL : ret;
		if (!ip_addr_ismulticast(&g))
			return -EINVAL;
		dev = h.g.gf_interface;	/* 0 names none */
		room = h.g.gf_numsrc;
	}
	if (!dev || !(pp = find(s, &g, dev)))
		return -EADDRNOTAVAIL;
	m = *pp;
	if (room > m->n_src)
		room = m->n_src;
	for (i = 0; i < room; i++) {
		uint8_t *at = h.b + size0 + i * each;

		if (msf) {
			uint32_t a = ip4_addr_get_u32(ip_2_ip4(&m->src[i]));

			memcpy(at, &a, sizeof(a));
		} else {
			struct sockaddr_storage ss = { 0 };

			if (v4) {
				struct sockaddr_in *sin = (void *)&ss;

				sin->sin_family = AF_INET;
				sin->sin_addr.s_addr =
					ip4_addr_get_u32(ip_2_ip4(&m->src[i]));
			} else {
				struct sockaddr_in6 *sin6 = (void *)&ss;

				sin6->sin6_family = AF_INET6;
				memcpy(&sin6->sin6_addr, ip_2_ip6(&m->src[i])->addr, 16);
			}
			memcpy(at, &ss, sizeof(ss));
		}
	}
	if (msf) {
		h.m.imsf_fmode = m->sfmode;
		h.m.imsf_numsrc = m->n_src;
	} else {
		h.g.gf_fmode = m->sfmode;
		h.g.gf_numsrc = m->n_src;
	}
	outlen = (int32_t)(size0 + room * each);
	{
		/* the filter and its length in one process_vm_writev() */
		struct iovec l[2] = { { h.b, (size_t)outlen },
				      { &outlen, sizeof(outlen) } };
		struct iovec r[2] = {
			{ (void *)(uintptr_t)val, (size_t)outlen },
			{ (void *)(uintptr_t)lenp, sizeof(outlen) },
		};

		if (trc_mem_writev(c, l, 2, r, 2))
			return -EFAULT;
	}
	return 0;
}

/* IPV6_MULTICAST_IF: an ifindex (0: none) of a device that exists, then
 * within SO_BINDTODEVICE's, as do_ipv6_setsockopt() checks them. */
static int64_t ipv6_mcast_if(struct sock *s, int v)
{
	if (s->type == SOCK_STREAM)
		return -ENOPROTOOPT;
	if (v && (v < 0 || !ns__dev_netif(s->ns, (uint32_t)v)))
		return -ENODEV;
	if (v && s->bound_ifindex && (uint32_t)v != s->bound_ifindex)
		return -EINVAL;
	s->mcast_ifindex = (uint32_t)v;
	return 0;
}

/* IP_MULTICAST_TTL, IPV6_MULTICAST_HOPS: -1 is the default, 1.  Not
 * on TCP: EINVAL at IPPROTO_IP, ENOPROTOOPT at IPPROTO_IPV6, as Linux. */
static int64_t mcast_hops(struct sock *s, int level, int v)
{
	if (s->type == SOCK_STREAM)
		return level == IPPROTO_IP ? -EINVAL : -ENOPROTOOPT;
	if (v < -1 || v > 255)
		return -EINVAL;
	*(level == IPPROTO_IP ? &s->mc4.ttl : &s->mcast_ttl) = v == -1 ? 1 : v;
	return 0;
}

/*
 * Whether IPPROTO_IP options reach do_ip_setsockopt() for @s: always for
 * AF_INET; for AF_INET6 but a raw socket (ipv6_setsockopt() hands
 * SOL_IP on, for the v4-mapped traffic of a dual-stack socket;
 * rawv6_setsockopt() does not: ENOPROTOOPT).  Checked on Linux 6.x.
 */
static bool ip_level(const struct sock *s, int level)
{
	return level == IPPROTO_IP &&
	       (s->family == AF_INET || s->type != SOCK_RAW);
}

/**
 * ns__mcast_setsockopt() - the multicast options of setsockopt()
 * @s:		the socket
 * @c:		the call
 * @level:	its level
 * @name:	its name
 * @len:	its optlen
 *
 * Return: 1 when the option is not a multicast one, else 0 or a negative
 * errno as Linux's do_ip_setsockopt()/do_ipv6_setsockopt()
 */
int64_t ns__mcast_setsockopt(struct sock *s, struct trc_call *c, int level,
			     int name, int32_t len)
{
	bool v4 = ip_level(s, level);
	bool v6 = level == IPPROTO_IPV6 && s->family == AF_INET6;
	int v = 0, ret;

	if (v4 && (name == IP_ADD_MEMBERSHIP || name == IP_DROP_MEMBERSHIP))
		return ip_membership(s, c, name, len);
	if (v4 && name == IP_MULTICAST_IF)
		return ip_mcast_if(s, c, len);
	if (v6 && (name == IPV6_ADD_MEMBERSHIP || name == IPV6_DROP_MEMBERSHIP))
		return ipv6_membership(s, c, name, len);
	if ((v4 || v6) && (name == MCAST_JOIN_GROUP || name == MCAST_LEAVE_GROUP))
		return group_req(s, c, level, name, len);
	if (v4 && (name == IP_ADD_SOURCE_MEMBERSHIP ||
		   name == IP_DROP_SOURCE_MEMBERSHIP ||
		   name == IP_BLOCK_SOURCE || name == IP_UNBLOCK_SOURCE))
		return ip_source(s, c, name, len);
	if ((v4 || v6) && (name == MCAST_JOIN_SOURCE_GROUP ||
			   name == MCAST_LEAVE_SOURCE_GROUP ||
			   name == MCAST_BLOCK_SOURCE ||
			   name == MCAST_UNBLOCK_SOURCE))
		return group_source(s, c, v4 ? IPPROTO_IP : IPPROTO_IPV6, name,
				    len);
	if ((v4 && name == IP_MSFILTER) || ((v4 || v6) && name == MCAST_MSFILTER)) {
		if (len > OPTMEM_MAX)
			return -ENOBUFS;
		return name == IP_MSFILTER ? ip_msfilter_set(s, c, len) :
		       group_filter_set(s, c, level, len);
	}
	if (!(v4 && (name == IP_MULTICAST_TTL || name == IP_MULTICAST_ALL ||
		     name == IP_MULTICAST_LOOP)) &&
	    !(v6 && (name == IPV6_MULTICAST_IF || name == IPV6_MULTICAST_HOPS ||
		     name == IPV6_MULTICAST_ALL || name == IPV6_MULTICAST_LOOP)))
		return 1;
	/* IPv6's device and hops are a datagram socket's: TCP's refusal
	 * comes before the value is looked at */
	if (v6 && s->type == SOCK_STREAM &&
	    (name == IPV6_MULTICAST_IF || name == IPV6_MULTICAST_HOPS))
		return -ENOPROTOOPT;
	if ((ret = ns__opt_int(c, level, len, &v)))
		return ret;
	switch (name) {
	case IP_MULTICAST_TTL:
	case IPV6_MULTICAST_HOPS:
		return mcast_hops(s, level, v);
	case IPV6_MULTICAST_IF:
		return ipv6_mcast_if(s, v);
	case IP_MULTICAST_LOOP:
	case IPV6_MULTICAST_LOOP:
		if (v6 && (v < 0 || v > 1))
			return -EINVAL;
		*(v4 ? &s->mc4.loop : &s->mcast_loop) = v != 0;
		return 0;
	default:			/* IP_MULTICAST_ALL, IPV6_MULTICAST_ALL */
		if (v4 && v != 0 && v != 1)
			return -EINVAL;
		*(v4 ? &s->mc4.all : &s->mcast_all) = v != 0;
		return 0;
	}
}

/**
 * ns__mcast_getfilter() - getsockopt() of IP_MSFILTER and MCAST_MSFILTER
 * @s:		the socket
 * @c:		the call, whose buffer names the group and is answered
 * @level:	its level
 * @name:	its name
 *
 * Return: 1 when the option is not one of these, else 0 or a negative
 * errno as Linux's do_ip_getsockopt() and do_ipv6_getsockopt()
 */
int64_t ns__mcast_getfilter(struct sock *s, struct trc_call *c, int level,
			    int name)
{
	bool v4 = ip_level(s, level);
	bool v6 = level == IPPROTO_IPV6 && s->family == AF_INET6;

	if ((v4 && name == IP_MSFILTER) || ((v4 || v6) && name == MCAST_MSFILTER))
		return filter_get(s, c, v4 ? IPPROTO_IP : IPPROTO_IPV6, name);
	return 1;
}

/**
 * ns__mcast_getsockopt() - the multicast options of getsockopt()
 * @s:		the socket
 * @c:		the call
 * @level:	its level
 * @name:	its name
 * @val:	set to the value to report
 * @vlen:	set to its length
 *
 * Linux reports these for any socket, TCP too.
 *
 * Return: 1 when the option is not one of these, 0 with @val set
 */
int64_t ns__mcast_getsockopt(struct sock *s, int level, int name,
			     void *val, uint32_t *vlen)
{
	bool v4 = ip_level(s, level);
	bool v6 = level == IPPROTO_IPV6 && s->family == AF_INET6;
	int v;

	if (v4 && name == IP_MULTICAST_IF) {
		uint32_t a = ip4_addr_get_u32(ip_2_ip4(&s->mc4.addr));

		if (!IP_IS_V4(&s->mc4.addr))
			a = 0;
		memcpy(val, &a, sizeof(a));
		*vlen = sizeof(a);
		return 0;
	}
	if (v4 && (name == IP_MULTICAST_TTL || name == IP_MULTICAST_LOOP ||
		   name == IP_MULTICAST_ALL))
		v = name == IP_MULTICAST_TTL ? s->mc4.ttl :
		    name == IP_MULTICAST_LOOP ? s->mc4.loop : s->mc4.all;
	else if (v6 && (name == IPV6_MULTICAST_IF || name == IPV6_MULTICAST_HOPS ||
			name == IPV6_MULTICAST_LOOP || name == IPV6_MULTICAST_ALL))
		v = name == IPV6_MULTICAST_IF ? (int)s->mcast_ifindex :
		    name == IPV6_MULTICAST_HOPS ? s->mcast_ttl :
		    name == IPV6_MULTICAST_LOOP ? s->mcast_loop : s->mcast_all;
	else
		return 1;
	memcpy(val, &v, sizeof(v));
	*vlen = sizeof(v);
	return 0;
}

/* ---- sending ---- */

/* An IPv4 broadcast destination for the sandbox (net_bcast4()) */
static bool is_bcast4(struct ns *ns, const ip_addr_t *a)
{
	return IP_IS_V4(a) && !ip_addr_isany(a) &&
	       net_bcast4(ns->net, (const uint8_t *)&ip_2_ip4(a)->addr);
}

/**
 * ns__addr_nosrc() - whether a socket bound to @a would have no source of
 *		      its own: a group, or an IPv4 broadcast address (Linux's
 *		      __inet_bind() leaves inet_saddr 0 for both, so the
 *		      route or device chooses it, while the socket takes only
 *		      datagrams to that address); for bind(), which keeps
 *		      @bcast in sock.bcast_bound
 * @ns:		the stack
 * @a:		the address
 * @bcast:	set to whether it is a broadcast address
 *
 * Return: true for a group or a broadcast address
 */
bool ns__addr_nosrc(struct ns *ns, const ip_addr_t *a, bool *bcast)
{
	*bcast = is_bcast4(ns, a);
	return *bcast || ip_addr_ismulticast(a);
}

/**
 * ns__bound_nosrc() - ns__addr_nosrc() for a socket's own bound address,
 *		       as bind() found it: no route lookup per datagram
 * @s:		the socket
 * @bound:	its bound address
 *
 * Return: true for a group or a broadcast address
 */
bool ns__bound_nosrc(const struct sock *s, const ip_addr_t *bound)
{
	return ip_addr_ismulticast(bound) || (s->bcast_bound && !ip_addr_isany(bound));
}

/**
 * ns__dgram_src_dev() - the device a datagram from a chosen source leaves
 *			 by, when nothing named one
 * @ns:		the stack
 * @from:	its source, bound or given (IP_PKTINFO's ipi_spec_dst)
 * @dst:	its destination
 *
 * Linux's __ip_route_output_key_hash() sends an IPv4 group or the limited
 * broadcast from a local source, with no device asked for, out of the
 * device holding that source ("special hack": no route is needed, and
 * none is asked); otherwise, and for IPv6, the route decides.
 *
 * Return: the device, or NULL for no route
 */
struct netif *ns__dgram_src_dev(struct ns *ns, const ip_addr_t *from,
				const ip_addr_t *dst)
{
	uint32_t dev;

	if (IP_IS_V4(dst) && IP_IS_V4(from) &&
	    (ip_addr_ismulticast(dst) ||
	     ip4_addr_get_u32(ip_2_ip4(dst)) == IPADDR_BROADCAST) &&
	    (dev = dev_of_addr4(ns, ip4_addr_get_u32(ip_2_ip4(from)))))
		return ns__dev_netif(ns, dev);
	return ip_route(from, dst);
}

/**
 * ns__dgram_route_src() - the route's device and source for a datagram of
 *			   a socket bound to a broadcast address, which lwIP's
 *			   udp_sendto() and raw_sendto() would send from
 * @s:		the socket
 * @dst:	the destination
 * @src:	set to the source
 *
 * Return: the device, or NULL for no route (or no IPv6 source on it)
 */
struct netif *ns__dgram_route_src(struct sock *s, const ip_addr_t *dst,
				  ip_addr_t *src)
{
	struct netif *n = ip_route(IP_IS_V4(dst) ? IP4_ADDR_ANY : IP6_ADDR_ANY, dst);

	return n && !ns__dgram_src(s, n, dst, NULL, src) ? n : NULL;
}

/**
 * ns__dgram_out() - the device and source a UDP or raw datagram leaves by
 * @s:		the sending socket
 * @dst:	the destination
 * @o:		the datagram's options, or NULL
 * @bound:	the socket's bound address
 * @nif:	the device ns__dgram_oif() chose, or NULL
 * @src:	the source it chose with @nif
 * @out:	set to the device when 1 is returned
 * @from:	set to the source when 1 is returned
 *
 * In this order: the device chosen (SO_BINDTODEVICE, IP_PKTINFO, a
 * group's device...), with its source; a chosen source (IP_PKTINFO's
 * ipi_spec_dst) or a bound one, as it is, out of the device that source
 * leads to: lwIP's udp_sendto() and raw_sendto() refuse a bound address
 * that is not the device's own (ERR_RTE), as 127.0.0.53 on lo, whose
 * lwIP address is 127.0.0.1, the sandbox's own IPv6 address on a link
 * device reached through lo, or a device's second IPv4 address sending
 * to a group, where Linux sends from it; for a socket bound to a
 * broadcast address, the route's device and source; else lwIP's own
 * routing.  The device's IPv6 gateway, if it is one through another
 * family's route, is made ready (ns__route_via6_prep()).
 *
 * Return: 1 with *@out and *@from, 0 to let lwIP route it, -1 for no
 * route (ERR_RTE)
 */
int ns__dgram_out(struct sock *s, const ip_addr_t *dst,
		  const struct ns_sendopts *o, const ip_addr_t *bound,
		  struct netif *nif, const ip_addr_t *src, struct netif **out,
		  ip_addr_t *from)
{
	if (nif) {
		ns__route_via6_prep(s->ns, nif, dst);
		*out = nif;
		ip_addr_copy(*from, *src);
	} else if ((o && o->has_src) ||
		   (!ip_addr_isany(bound) && !ns__bound_nosrc(s, bound))) {
		ip_addr_copy(*from, *(o && o->has_src ? &o->src : bound));
		*out = ns__dgram_src_dev(s->ns, from, dst);
	} else if (s->bcast_bound) {
		*out = ns__dgram_route_src(s, dst, from);
	} else {
		return 0;
	}
	return *out ? 1 : -1;
}

/**
 * ns__dgram_bcast_mark() - mark a datagram to a broadcast address for the
 *			    link device's loop (vdev/link.c), as Linux's
 *			    ip_mc_output() loops every RTCF_BROADCAST packet
 *			    back to the host's own sockets, whatever
 *			    IP_MULTICAST_LOOP says
 * @s:		the sending socket, past ns__dgram_oif(): only one with
 *		SO_BROADCAST gets a broadcast that far (bcast_check()), so
 *		the others' datagrams cost no lookup here
 * @dst:	the destination
 * @p:		the datagram
 */
void ns__dgram_bcast_mark(const struct sock *s, const ip_addr_t *dst,
			  struct pbuf *p)
{
	if (s->broadcast && is_bcast4(s->ns, dst))
		p->flags |= PBUF_FLAG_MCASTLOOP;
}

/**
 * ns__dgram_src() - the source a datagram to @dst leaving by @n gets when
 *		     none was asked
 * @s:		the sending socket
 * @n:		the device
 * @dst:	the destination
 * @bound:	the socket's bound address, or NULL
 * @src:	set to the source
 *
 * Return: 0, or -EADDRNOTAVAIL (IPv6: no source on the device)
 */
int ns__dgram_src(struct sock *s, struct netif *n, const ip_addr_t *dst,
		  const ip_addr_t *bound, ip_addr_t *src)
{
	const ip_addr_t *a;

	/* bound to a group or a broadcast address: from the device's
	 * address (Linux's inet_saddr stays 0 then) */
	if (bound && !ip_addr_isany(bound) && !ns__bound_nosrc(s, bound)) {
		ip_addr_copy(*src, *bound);
		return 0;
	}
	if (IP_IS_V4(dst)) {
		/* IP_MULTICAST_IF's address, else inet_select_addr()'s or
		 * the route's through the device (ns__route_src4()); lwIP's
		 * own address of the device where that fails */
		if (ip_addr_ismulticast(dst) && IP_IS_V4(&s->mc4.addr) &&
		    !ip_addr_isany(&s->mc4.addr))
			ip_addr_copy(*src, s->mc4.addr);
		else if (ns__route_src4(s->ns, ns__netif_ifindex(s->ns, n), dst, src))
			ip_addr_copy_from_ip4(*src, *netif_ip4_addr(n));
		return 0;
	}
	a = ip6_select_source_address(n, ip_2_ip6(dst));
	if (!a)
		return -EADDRNOTAVAIL;
	ip_addr_copy(*src, *a);
	return 0;
}

/*
 * ip6_route_output_flags_noref()'s strict lookup: a device chosen (@oif,
 * else the destination's scope id) for a link-local or multicast
 * destination, for any destination of a socket bound to a device, or of
 * one without a source, must have a route for @dst (ns__route_oif6()):
 * fe80::99%eth0 once eth0's fe80::/64 route is deleted is ENETUNREACH,
 * as Linux 6.18 says for UDP, ping and raw sockets.  The sandbox's own
 * addresses and ::1 are left to the callers (their local routes).  TCP's
 * connect() asks too (tcp_v6_connect() routes the same way).
 *
 * Return: 0, or -ENETUNREACH
 */
int ns__dgram_strict6(struct sock *s, const ip6_addr_t *dst, uint32_t oif,
		      const ip_addr_t *bound, bool has_src)
{
	bool scoped = ip6_addr_islinklocal(dst) || ip6_addr_ismulticast(dst);
	struct netif *nif;

	if (!oif && ip6_addr_has_zone(dst))
		oif = ns__netif_ifindex(s->ns, netif_get_by_index(ip6_addr_zone(dst)));
	if (!oif || ip6_addr_isloopback(dst) || ip6_addr_isany(dst) ||
	    ip6_addr_isipv4mappedipv6(dst))
		return 0;
	if (!scoped && !s->bound_ifindex &&
	    (has_src || (bound && !ip_addr_isany(bound))))
		return 0;
	NETIF_FOREACH(nif) {
		if (netif_get_ip6_addr_match(nif, dst) >= 0)
			return 0;
	}
	return ns__route_oif6(s->ns, dst, oif);
}

static int dgram_dev(struct sock *s, const ip_addr_t *dst,
		     const struct ns_sendopts *o, const ip_addr_t *bound,
		     struct netif **nif, ip_addr_t *src);

/*
 * May @s send to @dst, as Linux's udp_sendmsg(), ip4_datagram_connect(),
 * raw_sendmsg() and ping_v4_sendmsg() allow: a broadcast (the limited
 * one, a broadcast route of table local, IPv4-mapped too) only with
 * SO_BROADCAST.  255.255.255.255 is refused only where Linux's lookup
 * gets that far: a device chosen (@nif), a source the socket has
 * (@bound), or a route for it; else the caller's routing fails first
 * (ENETUNREACH), as Linux's.  0, or -EACCES
 */
static int bcast_check(struct sock *s, const ip_addr_t *dst, struct netif *nif,
		       const ip_addr_t *bound)
{
	const uint8_t *a;

	if (s->broadcast)
		return 0;
	if (IP_IS_V4(dst))
		a = (const uint8_t *)&ip_2_ip4(dst)->addr;
	else if (ip6_addr_isipv4mappedipv6(ip_2_ip6(dst)))
		a = (const uint8_t *)&ip_2_ip6(dst)->addr[3];
	else
		return 0;
	if (!net_bcast4(s->ns->net, a))
		return 0;
	if (a[0] == 255 && a[1] == 255 && a[2] == 255 && a[3] == 255 && !nif &&
	    (!bound || ip_addr_isany(bound)) && !ip_route(IP4_ADDR_ANY, dst))
		return 0;
	return -EACCES;
}

/**
 * ns__dgram_oif() - the device and source of a datagram, as Linux picks
 *		     them before its route lookup
 * @s:		the sending socket (UDP or raw)
 * @dst:	destination
 * @o:		this datagram's options (IP(V6)_PKTINFO), or NULL
 * @bound:	the pcb's local address, or NULL
 * @nif:	set to the device, or NULL: no device is chosen, route as usual
 * @src:	set to the source when @nif is set
 *
 * The device: IP(V6)_PKTINFO's interface, else SO_BINDTODEVICE's, else
 * (IPv6, no scope id) the socket's sticky IPV6_PKTINFO's, else, for a
 * multicast destination, IP(V6)_MULTICAST_IF's (udpv6_sendmsg()).  lo
 * for one of that device's own addresses: Linux's lookup finds its local
 * route, through that device, and delivers it through lo (`ping -I eth0`
 * to eth0's own address).  The source: the
 * cmsg's, the bound address, IP_MULTICAST_IF's address for IPv4
 * multicast, else the device's own (for IPv6 by RFC 6724 rules).  Then a
 * broadcast without SO_BROADCAST is refused (bcast_check()).
 *
 * Return: 0, -ENODEV (a device gone), -EINVAL (PKTINFO against the
 * binding, IPv6), -EADDRNOTAVAIL (no IPv6 source on the device),
 * -ENETUNREACH (no route through the device, ns__dgram_strict6()) or
 * -EACCES (a broadcast)
 */
int ns__dgram_oif(struct sock *s, const ip_addr_t *dst,
		  const struct ns_sendopts *o, const ip_addr_t *bound,
		  struct netif **nif, ip_addr_t *src)
{
	int ret;

	if (bound && ns__bound_nosrc(s, bound))
		bound = NULL;	/* a group or broadcast: no source of its own */
	ret = dgram_dev(s, dst, o, bound, nif, src);

	return ret ? ret : bcast_check(s, dst, *nif, bound);
}

/* ns__dgram_oif()'s device and source */
static int dgram_dev(struct sock *s, const ip_addr_t *dst,
		     const struct ns_sendopts *o, const ip_addr_t *bound,
		     struct netif **nif, ip_addr_t *src)
{
	uint32_t oif = s->bound_ifindex;
	int ret;

	*nif = NULL;
	if (o && o->ifindex) {
		if (IP_IS_V6(dst) && oif && o->ifindex != oif)
			return -EINVAL;
		oif = o->ifindex;
	}
	if (!oif && IP_IS_V6(dst) && !ip6_addr_has_zone(ip_2_ip6(dst)))
		oif = s->sticky_ifindex;
	if (!oif && ip_addr_ismulticast(dst))
		oif = IP_IS_V4(dst) ? s->mc4.ifindex : s->mcast_ifindex;
	if (IP_IS_V6(dst) &&
	    (ret = ns__dgram_strict6(s, ip_2_ip6(dst), oif, bound,
				     o && o->has_src)))
		return ret;
	if (!oif)
		return 0;
	*nif = ns__dev_netif(s->ns, oif);
	if (!*nif)
		return -ENODEV;
	if (ns__netif_owns(*nif, dst)) {
		/* through lo, from the address itself unless one was
		 * chosen (a local route's source), never onto the link
		 * (a bound pcb would ask ARP for its own address there) */
		*nif = vdev_netif(s->ns->lo);
		if (o && o->has_src)
			ip_addr_copy(*src, o->src);
		else if (bound && !ip_addr_isany(bound))
			ip_addr_copy(*src, *bound);
		else
			ip_addr_copy(*src, *dst);
		return 0;
	}
	if (o && o->has_src) {
		ip_addr_copy(*src, o->src);
		return 0;
	}
	return ns__dgram_src(s, *nif, dst, bound, src);
}

/**
 * ns__addr_scope_take() - the device an address needing a scope gives the
 *			   socket, as Linux's __inet6_bind(),
 *			   tcp_v6_connect() and __ip6_datagram_connect()
 * @s:		the socket
 * @ip:		the address; zoned here when it had no scope id
 * @override:	a scope id replaces another SO_BINDTODEVICE (bind()), else
 *		it is EINVAL (connect())
 * @mcast_if:	a group without one takes IPV6_MULTICAST_IF's device
 *		(datagram connect())
 *
 * A link-local address or an interface- or link-local group
 * (ns__addr_unscoped()) with a scope id binds the socket to that device
 * (sk_bound_dev_if, which SO_BINDTODEVICE then reads); without one it
 * takes the bound device, else (@mcast_if) for a group
 * IPV6_MULTICAST_IF's, which binds it too, else fails with EINVAL
 * ("requires an interface").  A scope id on other addresses is ignored.
 * The binding stays when the call fails later, as on Linux, which sets
 * it first.  Checked on Linux 6.18 (tests/scenario/udpscope.sh).
 *
 * Return: 0 or a negative errno
 */
int ns__addr_scope_take(struct sock *s, ip_addr_t *ip, bool override,
			bool mcast_if)
{
	const ip6_addr_t *a;
	uint32_t idx;

	if (!IP_IS_V6(ip))
		return 0;
	a = ip_2_ip6(ip);
	if (!ip6_addr_islinklocal(a) && !ip6_addr_ismulticast_linklocal(a) &&
	    !ip6_addr_ismulticast_iflocal(a))
		return 0;
	if (ip6_addr_has_zone(a)) {
		idx = ns__netif_ifindex(s->ns,
					netif_get_by_index(ip6_addr_zone(a)));
		if (!idx)
			return -ENODEV;
		if (!override && s->bound_ifindex && s->bound_ifindex != idx)
			return -EINVAL;
	} else {
		idx = s->bound_ifindex;
		if (!idx && mcast_if && ip6_addr_ismulticast(a))
			idx = s->mcast_ifindex;
		if (!idx)
			return -EINVAL;
		if (ns__addr_zone(s, ip, idx))
			return -ENODEV;
	}
	if (s->bound_ifindex != idx) {
		s->bound_ifindex = idx;
		ns__bind_dev_apply(s);
	}
	return 0;
}

/**
 * ns__dgram_dst_scope() - the device of a datagram to an address needing a
 *			   scope sent without one, as udpv6_sendmsg() and
 *			   ip6_route_output() pick it
 * @s:		the sending socket (UDP or raw)
 * @dst:	destination; zoned here when it needs a scope and has none
 * @o:		this datagram's options (IPV6_PKTINFO), or NULL
 * @ping:	an ICMPv6 ping socket, which ping_v6_sendmsg() refuses such
 *		a destination without a device (EINVAL), an IPV6_PKTINFO
 *		cmsg's not counted
 *
 * The device the socket chose (ns__dgram_oif()'s order: the cmsg's,
 * SO_BINDTODEVICE's, the sticky IPV6_PKTINFO's, for a group
 * IPV6_MULTICAST_IF's), else for a unicast address the device of its
 * route: Linux's strict lookup without a device takes the first route
 * that matches, the first fe80::/64 route for a neighbour's link-local
 * address (checked on Linux 6.18 with two devices).  One of the
 * sandbox's own addresses is its device's.  A group without a device
 * is left to the routing hook (patch 0051); a device that is gone, or
 * no route, to ns__dgram_oif() and lwIP, which say ENODEV or
 * ENETUNREACH.
 *
 * Return: 0, or -EINVAL (@ping without a device)
 */
int ns__dgram_dst_scope(struct sock *s, ip_addr_t *dst,
			const struct ns_sendopts *o, bool ping)
{
	struct netif *nif = NULL;
	uint32_t oif;

	if (!ns__addr_unscoped(dst))
		return 0;
	/* ping_v6_sendmsg() judges before it reads any cmsg: an
	 * IPV6_PKTINFO interface does not do for a ping socket (EINVAL,
	 * Linux 6.18) */
	oif = o && o->ifindex && !ping ? o->ifindex : s->bound_ifindex;
	if (!oif)
		oif = s->sticky_ifindex;
	if (!oif && ip_addr_ismulticast(dst))
		oif = s->mcast_ifindex;
	if (oif) {
		ns__addr_zone(s, dst, oif);
		return 0;
	}
	if (ping)
		return -EINVAL;
	if (ip_addr_ismulticast(dst))
		return 0;
	NETIF_FOREACH(nif) {
		if (netif_get_ip6_addr_match(nif, ip_2_ip6(dst)) >= 0)
			break;
	}
	if (!nif)
		nif = rrs_ip6_route(IP6_ADDR_ANY6, ip_2_ip6(dst));
	if (nif)
		ip6_addr_assign_zone(ip_2_ip6(dst), IP6_UNICAST, nif);
	return 0;
}
