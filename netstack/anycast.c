/* SPDX-License-Identifier: MIT */
/*
 * anycast.c - IPv6 subnet-router anycast addresses (RFC 4291 2.6.1), as a
 * Linux router joins them: while a device's IPv6 forwarding sysctl is on,
 * each of its IPv6 addresses joins the anycast address of its prefix (the
 * prefix with the host bits zero: fd00:: for fd00::1/64, fe80:: for the
 * link-local), except for a /127 or /128 (RFC 6164) or the prefix ::
 * (addrconf_join_anycast()).  A device keeps its joined addresses with a
 * count of users, as Linux's idev->ac_list (__ipv6_dev_ac_inc(),
 * __ipv6_dev_ac_dec()): the first user adds `anycast ADDR dev DEV table
 * local proto kernel metric 0` (router/addr.c rt_dev_acast_add(), told as
 * RTM_NEWROUTE) and joins ADDR's solicited-node group (MLD); the last
 * takes both away again.
 *
 * Joined: with each new IPv6 address while the device forwards (up or
 * down: __ipv6_ifa_notify(RTM_NEWADDR)), for every address when the
 * device's forwarding turns on (dev_forward_change(): conf/DEV/forwarding,
 * or conf/all/forwarding, which sets every device; while it is down not
 * the addresses it kept without nodad, which Linux marks tentative) and
 * when it comes up (the addresses it kept, as their DAD completes).
 * Left: with the address (while the device forwards: __ipv6_ifa_notify()),
 * once by each address when forwarding turns off, the device goes down
 * or loses its addresses (disable_ipv6); a user that no address holds any
 * more (see net__acast_up()) stays until the device loses IPv6 (an MTU
 * below 1280) or goes, as Linux's ipv6_ac_destroy_dev().
 *
 * The stack (patches/lwip/0055, rrs_ip6_anycast()) delivers a packet to
 * such an address when the route that takes it is an anycast route in
 * table local, as Linux's ip6_input() path, so one deleted by hand stops
 * it and one added by hand (`ip -6 route add anycast fd07::5 dev eth0
 * table local`) makes its address the sandbox's too; answers a neighbour
 * solicitation for an address its device joined (ipv6_chk_acast_addr())
 * without override; and answers an echo request from the address source
 * selection picks (icmpv6_echo_reply()), or from the address itself with
 * net.ipv6.anycast_src_echo_reply, or not at all with
 * net.ipv6.icmp.echo_ignore_anycast (patch 0056, icmprl.c's sysctls).  TCP to
 * it is dropped without a reset (tcp_v6_conn_request() and
 * tcp_v6_send_reset() want a unicast destination: tcpfwd.c).
 *
 * A socket's IPV6_JOIN_ANYCAST is one user more of the same list
 * (ipv6_sock_ac_join(): any address but a multicast one or one of ours,
 * on a device that forwards or holds an address of its prefix), left
 * with IPV6_LEAVE_ANYCAST or its close (sockopt.c and sock.c call).
 *
 * Forwarding also makes a device a member of the all-routers groups
 * (net__allrouters()), as Linux's, which `ip maddr` and `bridge fdb show`
 * list.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>

#include "lwip/ip.h"
#include "lwip/ip6_addr.h"
#include "lwip/mld6.h"
#include "lwip/netif.h"

#include "internal.h"
#include "log.h"
#include "net.h"
#include "netint.h"
#include "rrs_lwip_hooks.h"

/* addrconf_join_anycast(): @a's anycast address into @ac; false for none */
static bool acast_of(const struct net_addr *a, uint8_t ac[16])
{
	unsigned int k;
	bool any = true;

	if (a->family != AF_INET6 || a->plen >= 127)
		return false;
	for (k = 0; k < 16; k++) {
		ac[k] = (uint8_t)(a->addr[k] &
				  (k * 8 + 8 <= a->plen ? 0xff :
				   k * 8 >= a->plen ? 0 : 0xff00 >> (a->plen - k * 8)));
		any = any && !ac[k];
	}
	return !any;
}

static struct net_acast *acast_find(const struct net_dev *d, const uint8_t *ac)
{
	unsigned int i;

	for (i = 0; i < d->n_ac; i++)
		if (!memcmp(d->ac[i].addr, ac, 16))
			return &d->ac[i];
	return NULL;
}

/* The solicited-node group of @ac on @d (addrconf_join_solict() and
 * addrconf_leave_solict()): not on lo, whose lwIP netif does no MLD */
static void acast_solict(struct net_dev *d, const uint8_t *ac, bool join)
{
	struct netif *nif = vdev_netif(d->vdev);
	ip6_addr_t g, a;

	if (d->loopback)
		return;
	memcpy(a.addr, ac, 16);
	ip6_addr_set_solicitednode(&g, a.addr[3]);
	ip6_addr_assign_zone(&g, IP6_MULTICAST, nif);
	if (join)
		mld6_joingroup_netif(nif, &g);
	else
		mld6_leavegroup_netif(nif, &g);
}

/* ff02::2, ff01::2, ff05::2: the all-routers groups */
static void allrouters(struct net_dev *d, uint8_t scope, bool join)
{
	struct netif *nif = vdev_netif(d->vdev);
	ip6_addr_t g;

	IP6_ADDR(&g, PP_HTONL(0xff000000ul | (uint32_t)scope << 16), 0, 0, PP_HTONL(2));
	ip6_addr_assign_zone(&g, IP6_MULTICAST, nif);
	if (join)
		mld6_joingroup_netif(nif, &g);
	else
		mld6_leavegroup_netif(nif, &g);
}

/**
 * net__allrouters() - a device with IPv6 and IFF_MULTICAST joins or leaves
 * the all-routers groups as Linux's: ff02::2 when it gets IPv6 while
 * forwarding (ipv6_add_dev()), ff02::2, ff01::2 and ff05::2 when its
 * forwarding turns on, one membership of each less when it turns off
 * (dev_forward_change()); all of them go with its IPv6 (an MTU below
 * 1280: ipv6_mc_destroy_dev())
 * @d:		the device
 * @what:	NET_AR_NEW (ipv6_add_dev()), NET_AR_ON, NET_AR_OFF
 *		(dev_forward_change()) or NET_AR_GONE
 */
void net__allrouters(struct net_dev *d, enum net_ar what)
{
	bool mc = !d->loopback && (d->uflags & IFF_MULTICAST);

	switch (what) {
	case NET_AR_NEW:
		if (mc && d->fwd[1]) {
			allrouters(d, 2, true);
			d->ar_ll++;
		}
		break;
	case NET_AR_ON:
		if (!mc)
			break;
		allrouters(d, 2, true);
		allrouters(d, 1, true);
		allrouters(d, 5, true);
		d->ar_ll++;
		d->ar_other++;
		break;
	case NET_AR_OFF:
		/* ipv6_dev_mc_dec() of each: one membership less, ff02::2's
		 * from ipv6_add_dev() too */
		if (d->ar_ll) {
			allrouters(d, 2, false);
			d->ar_ll--;
		}
		if (d->ar_other) {
			allrouters(d, 1, false);
			allrouters(d, 5, false);
			d->ar_other--;
		}
		break;
	case NET_AR_GONE:
		for (; d->ar_ll; d->ar_ll--)
			allrouters(d, 2, false);
		for (; d->ar_other; d->ar_other--) {
			allrouters(d, 1, false);
			allrouters(d, 5, false);
		}
		break;
	}
}

/**
 * net__acast_wanted() - whether @d's IPv6 addresses join their anycast
 * addresses now: its IPv6 forwarding is on and it has IPv6 (up or down:
 * Linux 6.18 joins for an address added to a device that is down, as its
 * DAD completes at once without accept_dad)
 * @d:		the device
 *
 * Return: true when they do
 */
bool net__acast_wanted(const struct net_dev *d)
{
	return d->fwd[1] && !net__v6_disabled(d);
}

/* __ipv6_dev_ac_inc(): one user more of @ac on @d, the first adding its
 * route and solicited-node group; -ENOMEM */
static int acast_inc(struct net *n, struct net_dev *d, const uint8_t ac[16])
{
	struct net_acast *e = acast_find(d, ac);

	if (!e) {
		if (d->n_ac == d->cap_ac) {
			unsigned int cap = d->cap_ac ? d->cap_ac * 2 : 4;
			struct net_acast *p = realloc(d->ac, cap * sizeof(*p));

			if (!p) {
				warn("%s: out of memory for an anycast address",
				     vdev_name(d->vdev));
				return -ENOMEM;
			}
			d->ac = p;
			d->cap_ac = cap;
		}
		e = &d->ac[d->n_ac++];
		memcpy(e->addr, ac, 16);
		e->users = 0;
		if (rt_dev_acast_add(n->rt, d->ifindex, ac))
			warn("%s: out of memory for an anycast route",
			     vdev_name(d->vdev));
		acast_solict(d, ac, true);
	}
	e->users++;
	return 0;
}

/* __ipv6_dev_ac_dec(): one user less of @ac on @d, the last taking its
 * route and group away; -ENOENT when @d did not join it */
static int acast_dec(struct net *n, struct net_dev *d, const uint8_t ac[16])
{
	struct net_acast *e = acast_find(d, ac);

	if (!e)
		return -ENOENT;
	if (--e->users)
		return 0;
	(void)rt_dev_acast_del(n->rt, d->ifindex, ac);	/* -ESRCH: gone */
	acast_solict(d, ac, false);
	/* the order kept: /proc/net/anycast6 lists them newest first */
	memmove(e, e + 1, (size_t)(&d->ac[--d->n_ac] - e) * sizeof(*e));
	return 0;
}

/**
 * net__acast_addr() - address @a of @d joins or leaves its subnet-router
 * anycast address (addrconf_join_anycast(), addrconf_leave_anycast())
 * @n:		the network
 * @d:		its device
 * @a:		the address (its @acast counts the users it holds)
 * @join:	join (else leave)
 *
 * Leaving what it did not join changes nothing; joining again adds a
 * user, as Linux's __ipv6_dev_ac_inc() for each RTM_NEWADDR of the
 * address (see net__acast_up()).
 */
void net__acast_addr(struct net *n, struct net_dev *d, struct net_addr *a, bool join)
{
	uint8_t ac[16];

	if ((!join && !a->acast) || (join && a->acast == UINT8_MAX) || !acast_of(a, ac))
		return;
	if (join) {
		if (!acast_inc(n, d, ac))
			a->acast++;
		return;
	}
	a->acast--;
	(void)acast_dec(n, d, ac);
}

/* ---- a socket's own anycast addresses (IPV6_JOIN_ANYCAST) ---- */

/* As IPv6 multicast memberships (mcast.c): Linux bounds them only by
 * optmem_max, a program must not grow our memory without bound */
#define ACL_MAX		1024

/**
 * struct ns_acl - an anycast address a socket joined, as Linux's struct
 * ipv6_ac_socklist
 * @next:	the socket's others, newest first
 * @ifindex:	the device it joined on
 * @addr:	the address
 */
struct ns_acl {
	struct ns_acl *next;
	uint32_t ifindex;
	uint8_t addr[16];
};

/* ipv6_chk_prefix(): an address of @d has @addr's prefix */
static bool prefix_on(const struct net_dev *d, const uint8_t *addr)
{
	unsigned int i, k, plen;

	for (i = 0; i < d->n_addrs; i++) {
		const struct net_addr *a = &d->addrs[i];

		if (a->family != AF_INET6)
			continue;
		plen = a->plen;
		for (k = 0; k < plen / 8 && a->addr[k] == addr[k]; k++)
			;
		if (k == plen / 8 &&
		    (plen % 8 == 0 || !((a->addr[k] ^ addr[k]) & (0xff00 >> (plen % 8)))))
			return true;
	}
	return false;
}

/* ipv6_sock_ac_join()'s device for ifindex 0: the one of the route to
 * @addr (rt6_lookup()'s dst takes the next hop's device, not lo, for a
 * local or anycast one too), else with all.forwarding on the first one
 * up but lo; NULL for none */
static struct net_dev *acl_dev(struct net *n, const uint8_t *addr, int *err)
{
	struct rt_flow fl = { 0 };
	struct rt_result res;
	struct net_dev *d;

	if (!rt_route(n->rt, AF_INET6, addr, &fl, 0, &res)) {
		const struct rt_route *r = &res.route;

		if ((r->type == RTN_UNICAST || r->type == RTN_LOCAL ||
		     r->type == RTN_ANYCAST) && r->n_nh &&
		    (d = net__dev(n, r->nh[res.nh < r->n_nh ? res.nh : 0].ifindex)))
			return d;
	}
	if (!n->fwd_all[1]) {
		*err = -EADDRNOTAVAIL;
		return NULL;
	}
	for (d = n->devs; d; d = d->next)
		if (!d->loopback && vdev_is_up(d->vdev))
			return d;
	*err = -ENODEV;
	return NULL;
}

/* IPV6_JOIN_ANYCAST (ipv6_sock_ac_join(), Linux 6.18): the checks in its
 * order, then one user more of the address on the device */
static int acl_join(struct sock *s, uint32_t ifindex, const uint8_t *addr)
{
	struct net *n = s->ns->net;
	struct ns_acl *l;
	struct net_dev *d;
	int ret = -ENODEV;

	/* ipv6_chk_addr_and_flags(): one of the sandbox's addresses */
	if (addr[0] == 0xff || net__own_addr(n, AF_INET6, addr))
		return -EINVAL;
	if (s->n_acl >= ACL_MAX)
		return -ENOMEM;		/* sock_kmalloc() */
	d = ifindex ? net__dev(n, ifindex) : acl_dev(n, addr, &ret);
	if (!d)
		return ret;
	if (d->v6_gone)			/* no inet6_dev */
		return ifindex ? -EADDRNOTAVAIL : -ENODEV;
	/* a host (the device not forwarding) only for a prefix of its own */
	if (!d->fwd[1] && !prefix_on(d, addr))
		return -EADDRNOTAVAIL;
	l = malloc(sizeof(*l));
	if (!l)
		return -ENOMEM;
	ret = acast_inc(n, d, addr);
	if (ret) {
		free(l);
		return ret;
	}
	l->ifindex = d->ifindex;
	memcpy(l->addr, addr, 16);
	l->next = s->acl;
	s->acl = l;
	s->n_acl++;
	return 0;
}

/* IPV6_LEAVE_ANYCAST (ipv6_sock_ac_drop()): the newest join of @addr
 * (on @ifindex, any device for 0) is left; -ENOENT for none */
static int acl_leave(struct sock *s, uint32_t ifindex, const uint8_t *addr)
{
	struct ns_acl **pp, *l;
	struct net_dev *d;

	for (pp = &s->acl; (l = *pp); pp = &l->next)
		if ((!ifindex || l->ifindex == ifindex) && !memcmp(l->addr, addr, 16))
			break;
	if (!l)
		return -ENOENT;
	*pp = l->next;
	s->n_acl--;
	if ((d = net__dev(s->ns->net, l->ifindex)))
		(void)acast_dec(s->ns->net, d, l->addr);
	free(l);
	return 0;
}

/**
 * ns__acast_setsockopt() - IPV6_JOIN_ANYCAST and IPV6_LEAVE_ANYCAST: a
 * socket joins an anycast address on a device (an ipv6_mreq; ifindex 0:
 * the device its route leaves by) while it holds it, as Linux's
 * ipv6_sock_ac_join() and ipv6_sock_ac_drop(): its packets, neighbour
 * solicitations and echo requests are the sandbox's, with `anycast ADDR
 * dev DEV table local proto kernel metric 0` and a line of
 * /proc/net/anycast6 shared with any other user of it.  Every socket
 * type may (TCP too); the program is taken as holding CAP_NET_ADMIN, as
 * for its netlink requests.
 * @s:		the socket
 * @c:		the call
 * @level:	its level
 * @name:	its name
 * @len:	its optlen
 *
 * Return: 1 when the option is not one of them, else 0 or a negative
 * errno as Linux's: -EINVAL (short, multicast, one of the sandbox's own
 * addresses), -EFAULT, -ENODEV, -EADDRNOTAVAIL (a device that does not
 * forward and has no address of that prefix), -ENOENT (leaving what it
 * did not join), -ENOMEM
 */
int64_t ns__acast_setsockopt(struct sock *s, struct trc_call *c, int level,
			     int name, int32_t len)
{
	struct ipv6_mreq mr;	/* the kernel names ipv6mr_multiaddr ipv6mr_acaddr */

	if (level != IPPROTO_IPV6 || s->family != AF_INET6 ||
	    (name != IPV6_JOIN_ANYCAST && name != IPV6_LEAVE_ANYCAST))
		return 1;
	if (len < (int32_t)sizeof(mr))
		return -EINVAL;
	if (trc_mem_read(c, trc_call_arg(c, 3), &mr, sizeof(mr)))
		return -EFAULT;
	if (name == IPV6_JOIN_ANYCAST)
		return acl_join(s, mr.ipv6mr_interface, mr.ipv6mr_multiaddr.s6_addr);
	return acl_leave(s, mr.ipv6mr_interface, mr.ipv6mr_multiaddr.s6_addr);
}

/**
 * ns__acast_close() - a closing socket leaves the anycast addresses it
 * joined (ipv6_sock_ac_close()); one whose device went is forgotten
 * @s:		the socket
 */
void ns__acast_close(struct sock *s)
{
	while (s->acl)
		(void)acl_leave(s, s->acl->ifindex, s->acl->addr);
}

/* Linux's idev->addr_list order: global, then link-local, then host
 * scope, each newest first (net.c walk_v6()) */
static int acast_class(const struct net_addr *a)
{
	static const uint8_t lo6[16] = { [15] = 1 };

	if (a->addr[0] == 0xfe && (a->addr[1] & 0xc0) == 0x80)
		return 1;
	return memcmp(a->addr, lo6, 16) ? 0 : 2;
}

/**
 * net__acast_dev() - every IPv6 address of @d joins or leaves, in Linux's
 * order (dev_forward_change() on a forwarding change; on up)
 * @n:		the network
 * @d:		the device
 * @join:	join (else leave)
 */
void net__acast_dev(struct net *n, struct net_dev *d, bool join)
{
	unsigned int i;
	int cls;

	for (cls = 0; cls < 3; cls++)
		for (i = d->n_addrs; i-- > 0;) {
			struct net_addr *a = &d->addrs[i];

			if (a->family != AF_INET6 || acast_class(a) != cls)
				continue;
			/* dev_forward_change() skips the tentative: kept over
			 * down without nodad (addrconf_ifdown()) */
			if (join && a->kept_down && !(a->flags & IFA_F_NODAD))
				continue;
			net__acast_addr(n, d, a, join);
		}
}

/**
 * net__acast_down() - @d went down: each of its addresses leaves its
 * anycast address once if the device forwards (addrconf_ifdown() calls
 * addrconf_leave_anycast() for each kept address), their routes already
 * gone with its other IPv6 routes; one another join holds (a `nodad`
 * address that joined twice and went) stays, without its route, as
 * Linux keeps idev->ac_list until the inet6_dev goes.  The addresses it
 * keeps join none until it is up again, as Linux (keep_addr_on_down)
 * marks them tentative; one added while down joins at once
 * @n:		the network
 * @d:		the device
 */
void net__acast_down(struct net *n, struct net_dev *d)
{
	unsigned int i;

	for (i = 0; i < d->n_addrs; i++) {
		if (d->fwd[1] && d->addrs[i].family == AF_INET6)
			net__acast_addr(n, d, &d->addrs[i], false);
		d->addrs[i].kept_down = true;
	}
}

/**
 * net__acast_up() - @d came up: each address it kept joins, as its DAD
 * completes (__ipv6_ifa_notify()), in Linux's order; one with nodad that
 * joined while down (forwarding turned on then) joins a second time, as
 * on Linux, where that user stays after the address left
 * @n:		the network
 * @d:		the device
 */
void net__acast_up(struct net *n, struct net_dev *d)
{
	bool want = net__acast_wanted(d);
	unsigned int i;
	int cls;

	for (cls = 0; cls < 3; cls++)
		for (i = d->n_addrs; i-- > 0;) {
			struct net_addr *a = &d->addrs[i];

			if (!a->kept_down || acast_class(a) != cls)
				continue;
			a->kept_down = false;
			if (want && a->family == AF_INET6)
				net__acast_addr(n, d, a, true);
		}
	for (i = 0; i < d->n_addrs; i++)
		d->addrs[i].kept_down = false;
}

/**
 * net__acast_forget() - @d's anycast addresses are gone, their routes
 * already flushed with its other IPv6 routes (down, IPv6 off, removed):
 * the groups are left and no address holds a user any more
 * @d:		the device
 */
void net__acast_forget(struct net_dev *d)
{
	unsigned int i;

	for (i = 0; i < d->n_ac; i++)
		acast_solict(d, d->ac[i].addr, false);
	d->n_ac = 0;
	for (i = 0; i < d->n_addrs; i++)
		d->addrs[i].acast = 0;
}

/*
 * The anycast route of table local that takes @dst, to which a packet
 * came in on @d from @src (the route Linux's ip6_route_input() finds,
 * through the rules; a link-local one only @d's own), into @r
 *
 * Return: true when one does
 */
static bool acast_route(struct net *n, const struct net_dev *d,
			const uint8_t *dst, const uint8_t *src, struct rt_route *r)
{
	struct rt_flow fl = { 0 };
	struct rt_result res;

	if (dst[0] == 0xfe && (dst[1] & 0xc0) == 0x80) {
		memset(r, 0, sizeof(*r));
		r->family = AF_INET6;
		r->table = RT_TABLE_LOCAL_ID;
		r->type = RTN_ANYCAST;
		r->protocol = RTPROT_KERNEL;
		r->dst_len = 128;
		memcpy(r->dst, dst, 16);
		r->n_nh = 1;
		r->nh[0].ifindex = d->ifindex;
		return rt_route_exists(n->rt, r, RT_MATCH_TYPE | RT_MATCH_OIF);
	}
	fl.src = src;
	fl.iif = d->ifindex;
	if (rt_route(n->rt, AF_INET6, dst, &fl, 0, &res) ||
	    res.route.type != RTN_ANYCAST || res.route.table != RT_TABLE_LOCAL_ID)
		return false;
	*r = res.route;
	return true;
}

/*
 * Whether an echo request to @dst, delivered by anycast route @r, is to
 * an anycast destination as Linux's ipv6_anycast_destination() sees it:
 * the route a device's join added (RTF_ANYCAST), or one of a prefix
 * shorter than /127 whose first address @dst is; not one added by hand
 * for @dst alone (`ip -6 route add anycast fd07::5 ... table local`),
 * whose echo requests are answered from a selected source whatever the
 * sysctls say
 */
static bool acast_dest(const struct rt_route *r, const uint8_t *dst)
{
	return r->protocol == RTPROT_KERNEL ||
	       (r->dst_len < 127 && !memcmp(r->dst, dst, 16));
}

/**
 * rrs_ip6_anycast() - LWIP_HOOK_IP6_ANYCAST (patches 0055, 0056)
 * @inp:	the netif a packet (or a neighbour solicitation) came in on
 * @addr:	its destination (the solicitation's target)
 * @nd:		1: a solicitation's target, answered when @inp's device
 *		joined it (ipv6_chk_acast_addr()); 0: a packet's
 *		destination, delivered when an anycast route of table local
 *		takes it (Linux's ip6_input() for RTN_ANYCAST, the routes
 *		the devices' joins added and those added by hand); 2: an echo
 *		request's destination (icmpv6_rcv(), icmpv6_echo_reply())
 *
 * Only addresses some device joined are looked up (every packet to
 * forward passes here) until an anycast route is added by hand
 * (net_route_add()): from then on every one.
 *
 * Return: 0 when it is not ours as anycast; for @nd 0 and 1 nonzero when
 * it is; for @nd 2 ICMP_ECHO_ANY_IGNORE, ICMP_ECHO_ANY_SELF or
 * ICMP_ECHO_ANY_SELECT (icmp_echo_anycast())
 */
int rrs_ip6_anycast(struct netif *inp, const ip6_addr_t *addr, int nd)
{
	struct net *n = net__hook();
	const struct net_dev *d, *o;
	const uint8_t *a = (const uint8_t *)addr->addr;
	struct rt_route r;

	if (!n || !(d = net__dev_of_netif(n, inp)))
		return 0;
	if (nd == 1)
		return acast_find(d, a) != NULL;
	for (o = n->devs; o && !n->acast_manual; o = o->next)
		if (o->n_ac && acast_find(o, a))
			break;
	if (!o && !n->acast_manual)
		return 0;
	if (!acast_route(n, d, a, (const uint8_t *)ip6_current_src_addr()->addr, &r))
		return 0;
	if (nd != 2)
		return 1;
	return acast_dest(&r, a) ? icmp_echo_anycast() : ICMP_ECHO_ANY_SELECT;
}

/**
 * net__acast_is() - whether a packet to @dst that came in on @inp would be
 * delivered as anycast (rrs_ip6_anycast() for a packet)
 * @inp:	its netif
 * @dst:	its destination
 *
 * Return: true when it would
 */
bool net__acast_is(struct netif *inp, const ip6_addr_t *dst)
{
	return rrs_ip6_anycast(inp, dst, 0) != 0;
}

/**
 * net__acast_joined() - whether some device joined @dst (its anycast
 * route then has Linux's RTF_ANYCAST, which one added by hand lacks)
 * @n:		the network
 * @dst:	the address
 *
 * Return: true when one did
 */
bool net__acast_joined(const struct net *n, const uint8_t *dst)
{
	const struct net_dev *d;

	for (d = n->devs; d; d = d->next)
		if (d->n_ac && acast_find(d, dst))
			return true;
	return false;
}

/**
 * net__acast_manual() - an anycast route was added by hand (or by a
 * routing daemon): from now on rrs_ip6_anycast() looks up every packet's
 * destination, not only the addresses the devices joined
 * @n:		the network
 * @r:		the route added
 */
void net__acast_manual(struct net *n, const struct rt_route *r)
{
	if (r->family == AF_INET6 && r->type == RTN_ANYCAST)
		n->acast_manual = true;
}
