/* SPDX-License-Identifier: MIT */
/*
 * route.c - routes and pcap taps of the sandbox's network, and lwIP's
 * routing hooks answered from router/.
 *
 * net_route_*() check a request against the devices as Linux's
 * fib_create_info()/fib_check_nh() would (the device exists and is up, a
 * gateway is reachable on-link) before router/ stores it.  The hooks give
 * lwIP, for every packet it sends or forwards, the device (route hooks)
 * and the next hop (ETHARP/ND6 gateway hooks, which lwIP calls right after
 * the route hook for the same packet: the answer is cached in between).
 * Local routes go out through the loopback, as on Linux.
 *
 * Forwarding (lwIP's ip4_forward()/ip6_forward(), patches/lwip/0008-0011)
 * asks the same route hook, then rrs_ip4/6_forward_check(), which answers
 * from that lookup as Linux's ip_error()/ip6_pkt_drop() do: no route and
 * `unreachable` routes give ICMP destination unreachable, `prohibit` its
 * administratively prohibited code, `blackhole` a quiet drop.  Nothing
 * enters or leaves through the loopback, and a packet not for the sandbox
 * is dropped where the forwarding sysctls say so (net_forward_set(): the
 * incoming device's for IPv4, "all" for IPv6), as on Linux.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <linux/fib_rules.h>
#include <linux/in_route.h>
#include <linux/rtnetlink.h>

#include "lwip/ip4_addr.h"
#include "lwip/ip6_addr.h"
#include "lwip/etharp.h"
#include "lwip/igmp.h"
#include "lwip/ip.h"
#include "lwip/nd6.h"
#include "lwip/priv/nd6_priv.h"
#include "lwip/netif.h"
#include "lwip/prot/ip4.h"
#include "lwip/tcp.h"
#include "netif/ethernet.h"

#include "internal.h"
#include "log.h"
#include "net.h"
#include "netint.h"
#include "rrs_lwip_hooks.h"


/* Whether IPv6 address @a lies in @len bits of @pfx. */
static bool in_prefix6(const ip6_addr_t *a, const uint8_t *pfx, unsigned int len)
{
	const uint8_t *b = (const uint8_t *)a->addr;
	unsigned int full = len / 8, rest = len % 8;

	if (memcmp(b, pfx, full))
		return false;
	return !rest || !((b[full] ^ pfx[full]) & (uint8_t)(0xff00u >> rest));
}

/**
 * net__hook_flush() - forget the cached next hops of what a route change
 *		       may have rerouted
 * @n:		the network
 * @r:		the route added or removed, or NULL for any change
 *
 * Besides the hooks' last answer, lwIP's IPv6 destination cache: it
 * keeps each destination's next hop from the moment it was first
 * needed (LWIP_HOOK_ND6_GET_GW is asked only then), so after a reroute
 * packets kept going to the old next hop, on the device the new route
 * does not use, and were lost for good once that neighbour was gone (an
 * OSPFv3 reroute's answers, scenario.ospf_triangle).  Only destinations
 * inside the changed prefix can have another longest match now; the
 * others keep their entries and with them the path MTU learned from
 * "packet too big", as Linux keeps a route's PMTU exceptions while other
 * prefixes come and go (BIRD changes some route every few seconds;
 * forgetting them all cost each big packet's first try, scenario.pmtu6).
 * An IPv4 route reroutes no IPv6 destination: even through an IPv6
 * gateway, that gateway's entry is on-link and stays right.
 */
void net__hook_flush(struct net *n, const struct rt_route *r)
{
	int i;

	n->c4_type = 0;
	n->c6_type = 0;
	if (r && r->family != AF_INET6)
		return;
	for (i = 0; i < LWIP_ND6_NUM_DESTINATIONS; i++) {
		ip6_addr_t *d = &destination_cache[i].destination_addr;

		if (!ip6_addr_isany(d) && (!r || in_prefix6(d, r->dst, r->dst_len)))
			ip6_addr_set_any(d);	/* as nd6_clear_destination_cache() */
	}
}

/*
 * With routing rules, the next hop of a destination may depend on the
 * packet's source or input device, which lwIP's IPv6 destination cache
 * (one next hop per destination, asked of LWIP_HOOK_ND6_GET_GW once) does
 * not know: a packet whose route's next hop is not the cached one drops
 * that entry, so that nd6 asks again.  Without rules (the defaults) the
 * route depends on the destination alone and this is never called.
 */
static void dest_cache_check(const ip6_addr_t *dest, const uint8_t *gw)
{
	const uint8_t *hop = gw[0] || memcmp(gw, gw + 1, 15) ? gw :
			     (const uint8_t *)dest->addr;
	int i;

	for (i = 0; i < LWIP_ND6_NUM_DESTINATIONS; i++) {
		struct nd6_destination_cache_entry *e = &destination_cache[i];

		if (ip6_addr_cmp_zoneless(&e->destination_addr, dest)) {
			if (memcmp(e->next_hop_addr.addr, hop, 16))
				ip6_addr_set_any(&e->destination_addr);
			return;
		}
	}
}

/* Drop lwIP's destination cache entry of @dest: nd6 asks
 * LWIP_HOOK_ND6_GET_GW for its next hop again. */
static void dest_cache_forget(const ip6_addr_t *dest)
{
	int i;

	for (i = 0; i < LWIP_ND6_NUM_DESTINATIONS; i++) {
		ip6_addr_t *d = &destination_cache[i].destination_addr;

		if (ip6_addr_cmp_zoneless(d, dest)) {
			ip6_addr_set_any(d);
			return;
		}
	}
}

/**
 * ns__route_via6_prep() - before an IPv6 datagram leaves by a device its
 *			   socket chose, without a route lookup
 * @ns:		the stack
 * @nif:	that device
 * @dst:	its destination
 *
 * lwIP's destination cache keeps one next hop per destination, the one
 * the best route gave an earlier packet; through another device the
 * next hop is that device's route's (rrs_nd6_gw(), gw_via6()), so the
 * entry is dropped for nd6 to ask again.  Link-local and multicast
 * destinations need no gateway.
 */
void ns__route_via6_prep(struct ns *ns, struct netif *nif, const ip_addr_t *dst)
{
	const ip6_addr_t *d;

	if (!ns || !nif || !IP_IS_V6(dst))
		return;
	d = ip_2_ip6(dst);
	if (ip6_addr_ismulticast(d) || ip6_addr_islinklocal(d) ||
	    rrs_ip6_route(IP6_ADDR_ANY6, d) == nif)
		return;
	dest_cache_forget(d);
}

/*
 * The forwarding sysctls, as Linux keeps them.  Each family has "all",
 * "default" and one value a device.  Writing "all" (IPv4's ip_forward is
 * the same value) sets default and every device too, as Linux's
 * inet_forward_change() and addrconf_forward_change() do; writing
 * "default" sets what a device added later starts with; writing a
 * device sets that device.  What forwards: an IPv4 packet when the device
 * it came in on forwards (IN_DEV_FORWARD()), an IPv6 packet when "all"
 * does (ip6_forward()).  Values are ints, as proc_dointvec() keeps them;
 * any but 0 is on.  Each change is told to listeners (NET_EV_NETCONF,
 * rtnetlink's RTM_NEWNETCONF) when and in the order Linux tells it.
 */
static int fwd_family(int family)
{
	return family == AF_INET ? 0 : family == AF_INET6 ? 1 : -1;
}

/* Where family @f's value for @dev is kept, and the ifindex a
 * notification names it by; NULL for no such device */
static int *fwd_slot(const struct net *n, int f, const char *dev,
		     int32_t *ifindex)
{
	struct net_dev *d;

	if (!strcmp(dev, "all")) {
		*ifindex = NET_CONF_ALL;
		return (int *)&n->fwd_all[f];
	}
	if (!strcmp(dev, "default")) {
		*ifindex = NET_CONF_DEFAULT;
		return (int *)&n->fwd_dflt[f];
	}
	if (!(d = net__dev_by_name(n, dev)) || (f && d->v6_gone))
		return NULL;
	*ifindex = (int32_t)d->ifindex;
	return &d->fwd[f];
}

/*
 * Set one value and tell it when Linux does: IPv4's
 * devinet_sysctl_forward() on a new value (@always: inet_forward_change()
 * tells every value a new "all" sets, changed or not), IPv6's
 * addrconf_fixup_forwarding() when it turns on or off ((!newf) ^ (!old)).
 */
static void fwd_put(struct net *n, int f, int *slot, int32_t ifindex,
		    int val, bool always)
{
	struct net_dev *d;
	int old = *slot;

	*slot = val;
	/* dev_forward_change(): a device's IPv6 addresses join or leave
	 * their subnet-router anycast addresses first (anycast.c) */
	if (f && ifindex > 0 && !old != !val && (d = net__dev(n, (uint32_t)ifindex))) {
		net__allrouters(d, val ? NET_AR_ON : NET_AR_OFF);
		if (!val || net__acast_wanted(d))
			net__acast_dev(n, d, val != 0);
	}
	if (always || (f ? !old != !val : old != val))
		net__emit_netconf(n, f ? AF_INET6 : AF_INET, ifindex, val);
}

/**
 * net_forward_set() - write a forwarding sysctl
 * @n:		the network
 * @family:	AF_INET or AF_INET6
 * @dev:	"all", "default" or a device's name
 * @val:	the value (0: off)
 *
 * A new IPv4 "all" is told first, then default and every device; IPv6's
 * "all" sets default and every device first and is told last.
 *
 * Return: 0, -EAFNOSUPPORT for another family, -ENODEV for no such device
 */
int net_forward_set(struct net *n, int family, const char *dev, int val)
{
	int f = fwd_family(family), *slot;
	struct net_dev *d;
	int32_t ifindex;

	if (f < 0)
		return -EAFNOSUPPORT;
	if (!(slot = fwd_slot(n, f, dev, &ifindex)))
		return -ENODEV;
	if (ifindex != NET_CONF_ALL) {
		fwd_put(n, f, slot, ifindex, val, false);
		return 0;
	}
	if (f == 0) {
		if (*slot == val)
			return 0;
		fwd_put(n, f, slot, NET_CONF_ALL, val, true);
	}
	fwd_put(n, f, &n->fwd_dflt[f], NET_CONF_DEFAULT, val, f == 0);
	for (d = n->devs; d; d = d->next)
		if (!f || !d->v6_gone)
			fwd_put(n, f, &d->fwd[f], (int32_t)d->ifindex, val, f == 0);
	if (f == 1)
		fwd_put(n, f, slot, NET_CONF_ALL, val, false);
	return 0;
}

/**
 * net_forward_get() - read a forwarding sysctl
 * @n:		the network
 * @family:	AF_INET or AF_INET6
 * @dev:	"all", "default" or a device's name
 * @val:	set to the value
 *
 * Return: 0, -EAFNOSUPPORT for another family, -ENODEV for no such device
 */
int net_forward_get(const struct net *n, int family, const char *dev,
		    int *val)
{
	int f = fwd_family(family);
	const int *slot;
	int32_t ifindex;

	if (f < 0)
		return -EAFNOSUPPORT;
	if (!(slot = fwd_slot(n, f, dev, &ifindex)))
		return -ENODEV;
	*val = *slot;
	return 0;
}

/**
 * net__forwards() - whether a packet that came in on @inp may be forwarded
 * @n:		the network
 * @v6:		an IPv6 packet (else IPv4)
 * @inp:	the device it came in on
 *
 * Return: true when the forwarding sysctls let it
 */
bool net__forwards(const struct net *n, bool v6, const struct netif *inp)
{
	const struct net_dev *d;

	if (v6)
		return n->fwd_all[1] != 0;
	d = net__dev_of_netif(n, inp);
	return d && d->fwd[0] != 0;
}

static bool nh_is_gatewayless_on(const struct rt_result *res, uint32_t ifindex)
{
	const struct rt_nexthop *nh = &res->route.nh[res->nh];

	return res->route.type == RTN_UNICAST && res->route.n_nh &&
	       !nh->has_gw && (!ifindex || nh->ifindex == ifindex);
}

static bool is_linklocal6(uint8_t family, const uint8_t *a)
{
	return family == AF_INET6 && a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

static int type_err(uint8_t type);
static uint32_t flow_hash(const uint8_t *a, const uint8_t *b, size_t len);

/*
 * fib_check_nh_v4_gw(): the route an IPv4 gateway of a route of scope
 * @r->scope is on, through device @ifindex when not 0.  Linux looks with
 * the scope above the route's, at least link (rt_lookup_scoped()): a
 * route of scope universe (the usual one) takes its gateway from a
 * connected route or a local address, whatever routes through other
 * gateways cover it (`via 127.0.0.1` goes out of lo), one of scope link
 * only from a local address; in the route's own table unless main, then
 * through the rules when that finds nothing; a unicast or local route.
 * Return: 0, the lookup's error (a reject route's: -EACCES for prohibit),
 * or -EINVAL for a route of another type (a broadcast address)
 */
static int gw4_check(struct net *n, const struct rt_route *r, const uint8_t *gw,
		     uint32_t ifindex, struct rt_result *res)
{
	uint8_t scope = (uint8_t)(r->scope + 1);	/* a u8, as flowi4_scope */
	int ret = -ENETUNREACH;

	if (scope < RT_SCOPE_LINK)
		scope = RT_SCOPE_LINK;
	if (r->table && r->table != RT_TABLE_MAIN_ID)
		ret = rt_lookup_scoped(n->rt, r->table, AF_INET, gw, scope,
				       ifindex, res);
	if (ret)
		ret = rt_lookup_scoped(n->rt, 0, AF_INET, gw, scope, ifindex, res);
	if (ret)
		return ret;
	return res->route.type == RTN_UNICAST || res->route.type == RTN_LOCAL ?
	       0 : -EINVAL;
}

/* ip6_route_check_nh()'s lookup of an IPv6 gateway: in the route's own
 * table, then through the rules when that finds nothing usable; a route
 * without a gateway, on @ifindex when not 0 */
static bool gw6_ok(struct net *n, const struct rt_route *r, const uint8_t *gw,
		   uint32_t ifindex, struct rt_result *res)
{
	int ret = -ENETUNREACH;

	if (r->table)
		ret = rt_lookup(n->rt, r->table, AF_INET6, gw, 0, res);
	if (ret || type_err(res->route.type))
		ret = rt_lookup(n->rt, 0, AF_INET6, gw, 0, res);
	return !ret && nh_is_gatewayless_on(res, ifindex);
}

/* fib_check_nh(): a gateway must be on a connected route (of its device,
 * when one is named), unless the next hop is marked onlink.  Also a
 * nexthop object's (nexthop.c: net__check_nh()). */
static int check_nh(struct net *n, const struct rt_route *r,
		    struct rt_nexthop *nh, char *err, size_t errlen)
{
	uint8_t gf = nh->gw_family ? nh->gw_family : r->family;
	struct rt_result res;
	struct net_dev *d;
	int ret;

	/* fib_check_nh_nongw(): onlink without a gateway, before the device
	 * is looked up; a host-scope (local) route's next hop is not
	 * checked (fib_create_info()), IPv6's takes the flag */
	if (r->family == AF_INET && !nh->has_gw && (nh->flags & RTNH_F_ONLINK) &&
	    r->scope != RT_SCOPE_HOST) {
		net__seterr(err, errlen, "Invalid flags for nexthop - PERVASIVE and ONLINK can not be set");
		return -EINVAL;
	}
	if (nh->ifindex && !net__dev(n, nh->ifindex)) {
		net__seterr(err, errlen, "no device with index %u", nh->ifindex);
		return -ENODEV;
	}
	if (nh->has_gw && gf != r->family &&
	    (r->family != AF_INET || gf != AF_INET6)) {
		net__seterr(err, errlen, "IPv6 routes can not use an IPv4 nexthop");
		return -EINVAL;
	}
	if (nh->has_gw && !(nh->flags & RTNH_F_ONLINK) &&
	    !(nh->ifindex && is_linklocal6(gf, nh->gw))) {
		/* an IPv6 gateway of an IPv4 route is checked the same way,
		 * in the IPv6 tables (fib_check_nh_v6_gw()) */
		ret = gf == AF_INET ? gw4_check(n, r, nh->gw, nh->ifindex, &res) :
		      gw6_ok(n, r, nh->gw, nh->ifindex, &res) ? 0 : -EHOSTUNREACH;
		if (ret) {
			/* fib_check_nh_v4_gw() / ip6_validate_gw() */
			net__seterr(err, errlen, "Nexthop has invalid gateway");
			return ret;
		}
		nh->ifindex = res.route.nh[res.nh].ifindex;
	}
	if (!nh->ifindex) {
		net__seterr(err, errlen, "the route needs a device or a gateway");
		return -ENODEV;
	}
	d = net__dev(n, nh->ifindex);
	if (r->family == AF_INET6 && d->v6_gone)
		return -ENODEV;		/* ip6_route_info_create(): no idev */
	if (r->family == AF_INET6 && n->v6_off && net__v6_disabled(d)) {
		net__seterr(err, errlen, "IPv6 is disabled on nexthop device");
		return -EACCES;		/* fib6_nh_init() */
	}
	if (!vdev_is_up(d->vdev) && !(nh->flags & RTNH_F_ONLINK)) {
		net__seterr(err, errlen, "Device for nexthop is not up");
		return -ENETDOWN;
	}
	return 0;
}

int net__check_nh(struct net *n, const struct rt_route *r,
		  struct rt_nexthop *nh, char *err, size_t errlen)
{
	return check_nh(n, r, nh, err, errlen);
}

/* fib_create_info()'s checks of an IPv4 route's next hops before
 * fib_check_nh(), in its order: none for a route that rejects, one
 * without a gateway for a host-scope route */
static int check_fib4(const struct rt_route *r, char *err, size_t errlen)
{
	unsigned int i;

	if (type_err(r->type) || r->type == RTN_THROW) {
		if (!r->n_nh)
			return 0;
		net__seterr(err, errlen, "Gateway, device and multipath can not be specified for this route type");
		return -EINVAL;
	}
	if (r->scope != RT_SCOPE_HOST)
		return 0;
	if (r->n_nh > 1) {
		net__seterr(err, errlen, "Route with host scope can not have multiple nexthops");
		return -EINVAL;
	}
	for (i = 0; i < r->n_nh; i++)
		if (r->nh[i].has_gw) {
			net__seterr(err, errlen, "Route with host scope can not have a gateway");
			return -EINVAL;
		}
	return 0;
}

/*
 * A preferred source must be the sandbox's own, as Linux checks it in
 * fib_create_info() (fib_valid_prefsrc(): an IPv4 one is a local route's
 * address, in table local; a local route's own address may be its
 * source) and ip6_route_info_create() (ipv6_chk_addr(): an IPv6 one is
 * an address of a device, a link-local one of the next hop's).
 */
static int check_prefsrc(struct net *n, const struct rt_route *r, char *err,
			 size_t errlen)
{
	struct rt_result res;
	struct net_dev *d;
	unsigned int i;

	if (r->family == AF_INET) {
		if ((r->type == RTN_LOCAL && r->dst_len == 32 &&
		     !memcmp(r->prefsrc, r->dst, 4)) ||
		    (!rt_lookup(n->rt, RT_TABLE_LOCAL_ID, AF_INET, r->prefsrc, 0, &res) &&
		     res.route.type == RTN_LOCAL))
			return 0;
		net__seterr(err, errlen, "Invalid prefsrc address");
		return -EINVAL;
	}
	for (d = n->devs; d; d = d->next)
		for (i = 0; i < d->n_addrs; i++)
			if (d->addrs[i].family == AF_INET6 &&
			    !memcmp(d->addrs[i].addr, r->prefsrc, 16) &&
			    (!is_linklocal6(AF_INET6, r->prefsrc) ||
			     (r->n_nh && r->nh[0].ifindex == d->ifindex)))
				return 0;
	net__seterr(err, errlen, "Invalid source address");
	return -EINVAL;
}

static int rt_errmsg(int ret, char *err, size_t errlen)
{
	if (ret == -EEXIST)
		net__seterr(err, errlen, "route exists");
	else if (ret == -ENOENT)
		net__seterr(err, errlen, "no such route to replace");
	else if (ret == -ESRCH)
		net__seterr(err, errlen, "no such route");
	else if (ret == -EINVAL)
		net__seterr(err, errlen, "invalid route (prefix, type or next hops)");
	else if (ret)
		net__seterr(err, errlen, "%s", strerror(-ret));
	return ret;
}

/**
 * net_route_add() - add or replace a route
 * @n:		the network
 * @r:		the route; next hops without a device get the gateway's
 * @nlflags:	RT_ADD_* (the NLM_F_* flags of RTM_NEWROUTE)
 * @err:	set to the reason on failure
 * @errlen:	size of @err
 *
 * Return: 0 or a negative errno as Linux gives for the same request
 */
int net_route_add(struct net *n, const struct rt_route *r, unsigned int nlflags,
		  char *err, size_t errlen)
{
	return net_route_add_expires(n, r, nlflags, NET_NO_EXPIRY, err, errlen);
}

/**
 * net_route_add_expires() - net_route_add() of a route that goes by
 * itself in @expires seconds (RTA_EXPIRES: IPv6 only, as Linux; an IPv4
 * route ignores it)
 * @n:		the network
 * @r:		the route
 * @nlflags:	NLM_F_CREATE/EXCL/REPLACE/APPEND
 * @expires:	seconds, or NET_NO_EXPIRY
 * @err:	set to the reason on failure
 * @errlen:	size of @err
 *
 * Return: as net_route_add()
 */
int net_route_add_expires(struct net *n, const struct rt_route *r,
			  unsigned int nlflags, uint32_t expires, char *err,
			  size_t errlen)
{
	unsigned int flags = nlflags & (RT_ADD_REPLACE | RT_ADD_EXCL |
					RT_ADD_CREATE | RT_ADD_APPEND);
	struct rt_route *c;
	unsigned int i;
	int ret = 0;

	if (!n || !r || r->n_nh > RT_MAX_NEXTHOPS)
		return -EINVAL;
	/* IPv6 adds without NLM_F_CREATE or NLM_F_REPLACE (`ip route
	 * test`) create, as fib6_add_1() does with a warning; IPv4's give
	 * ENOENT. */
	if (r->family == AF_INET6 && !(flags & RT_ADD_REPLACE))
		flags |= RT_ADD_CREATE;
	/* The table first: it stays even if the route is refused below, as
	 * inet_rtm_newroute() and ip6_route_info_create() make it before
	 * they check the next hops. */
	ret = rt_table_make(n->rt, r->family, r->table);
	if (ret)
		return rt_errmsg(ret, err, errlen);
	c = malloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	*c = *r;
	/* a nexthop object's next hops were checked when it was made */
	if (c->nhid) {
		ret = net__nh_route(n, c, err, errlen);
	} else {
		if (c->family == AF_INET)
			ret = check_fib4(c, err, errlen);
		for (i = 0; i < c->n_nh && !ret; i++)
			ret = check_nh(n, c, &c->nh[i], err, errlen);
	}
	if (!ret && c->type == RTN_UNICAST && !c->n_nh) {
		net__seterr(err, errlen, "the route needs a device or a gateway");
		ret = -ENODEV;
	}
	if (!ret && c->has_prefsrc)
		ret = check_prefsrc(n, c, err, errlen);
	if (!ret)
		ret = rt_errmsg(c->family == AF_INET6 ?
				net__rexp_add(n, c, flags, expires) :
				rt_add(n->rt, c, flags), err, errlen);
	if (!ret)
		net__acast_manual(n, c);
	free(c);
	return ret;
}

/**
 * net_prefix_exists() - whether @r's table holds a route to @r's prefix
 * @n:		the network
 * @r:		table, family, dst and dst_len
 *
 * Return: true when it does
 */
bool net_prefix_exists(struct net *n, const struct rt_route *r)
{
	return n && r && rt_prefix_exists(n->rt, r->table, r->family, r->dst,
					  r->dst_len);
}

/**
 * net_route_del() - remove the first route that matches
 * @n:		the network
 * @match:	table, family, dst, dst_len and the fields in @mask
 * @mask:	RT_MATCH_*
 * @err:	set to the reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, -ESRCH when nothing matches, -EINVAL
 */
int net_route_del(struct net *n, const struct rt_route *match,
		  unsigned int mask, char *err, size_t errlen)
{
	if (!n || !match)
		return -EINVAL;
	if ((mask & RT_MATCH_OIF) && match->n_nh &&
	    !net__dev(n, match->nh[0].ifindex)) {
		net__seterr(err, errlen, "no device with index %u", match->nh[0].ifindex);
		return -ENODEV;
	}
	return rt_errmsg(rt_del(n->rt, match, mask), err, errlen);
}

/**
 * net_route_walk() - call @fn for each route (see rt_walk())
 * @n:		the network
 * @table:	table id, 0 for all
 * @family:	AF_INET, AF_INET6 or 0 for both
 * @after:	resume strictly after this route; NULL from the start
 * @fn:		returns non-zero to stop
 * @arg:	its argument
 *
 * Return: 0, or what @fn returned to stop
 */
int net_route_walk(struct net *n, uint32_t table, uint8_t family,
		   const struct rt_route *after, rt_walk_fn *fn, void *arg)
{
	return rt_walk(n->rt, table, family, after, fn, arg);
}

/**
 * ns__route_err() - the errno of a send or connect lwIP refused with
 *		     ERR_RTE: what the routing hook last answered for @dst
 * @ns:		the stack
 * @dst:	the destination
 *
 * As ip_route_output_flow()'s: -EINVAL for a blackhole, -EACCES for
 * prohibit, -EHOSTUNREACH for unreachable (routes or rules' actions),
 * else -ENETUNREACH; IPv6 with no IPv6 address in the sandbox,
 * -EADDRNOTAVAIL.
 *
 * Return: a negative errno
 */
int ns__route_err(struct ns *ns, const ip_addr_t *dst)
{
	struct net *n = ns ? ns->net : NULL;
	const struct net_dev *d;
	unsigned int i;
	bool any6 = false;

	if (!n || !dst)
		return -ENETUNREACH;
	/* ip6_dst_lookup_tail() picks a source before it looks at the
	 * route's error: with no IPv6 address anywhere (disable_ipv6 on
	 * every device), EADDRNOTAVAIL */
	for (d = n->devs; IP_IS_V6(dst) && d && !any6; d = d->next)
		for (i = 0; i < d->n_addrs && !any6; i++)
			any6 = d->addrs[i].family == AF_INET6;
	if (IP_IS_V6(dst) && !any6)
		return -EADDRNOTAVAIL;
	if (IP_IS_V4(dst) && n->c4_type < 0 && ip4_addr_cmp(&n->c4_dst, ip_2_ip4(dst)))
		return n->c4_type;
	if (IP_IS_V6(dst) && n->c6_type < 0 &&
	    ip6_addr_cmp_zoneless(&n->c6_dst, ip_2_ip6(dst)))
		return n->c6_type;
	return -ENETUNREACH;
}

/**
 * ns__route_connect_check() - with routing rules, the route of an unbound
 *			       socket's connection from the source it is
 *			       going to get, as ip_route_connect() looks up
 *			       again with it
 * @ns:		the stack
 * @local:	the socket's local address (the wildcard: unbound)
 * @dst:	where it connects
 *
 * lwIP routes the SYN from that source only once it sends it, and a
 * route refused then (a rule's blackhole for the source) would leave the
 * connect() waiting; Linux fails it at once.
 *
 * Return: 0, or the errno connect() fails with (ns__route_err())
 */
int ns__route_connect_check(struct ns *ns, const ip_addr_t *local,
			    const ip_addr_t *dst)
{
	struct net *n = ns ? ns->net : NULL;
	const ip_addr_t *src;
	struct netif *nif;

	if (!n || !ip_addr_isany(local) ||
	    rt_rules_default(n->rt, IP_IS_V6(dst) ? AF_INET6 : AF_INET))
		return 0;
	nif = ip_route(local, dst);
	if (!nif)
		return 0;	/* tcp_connect() says why */
	src = ip_netif_get_local_ip(nif, dst);
	if (src && !ip_addr_isany(src) && !ip_route(src, dst))
		return ns__route_err(ns, dst);
	return 0;
}

/* ---- rules ---- */

/**
 * net_rule_add() - add a routing rule
 * @n:		the network
 * @r:		the rule; its devices are looked up by name here, and its
 *		priority set when @has_priority is false
 * @has_priority: whether @r->priority was given
 * @excl:	fail with -EEXIST when an equal rule exists (NLM_F_EXCL)
 * @err:	set to the reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, -EEXIST, -EINVAL, -ENOBUFS (no free table), -ENOMEM
 */
int net_rule_add(struct net *n, struct rt_rule *r, bool has_priority,
		 bool excl, char *err, size_t errlen)
{
	const struct net_dev *d;
	int ret;

	if (!n || !r)
		return -EINVAL;
	if (r->action == FR_ACT_TO_TBL && !r->table) {
		if (r->family != AF_INET) {	/* fib6_rule_configure() */
			net__seterr(err, errlen, "Invalid table");
			return -EINVAL;
		}
		r->table = rt_rule_free_table(n->rt);	/* fib_empty_table() */
		if (!r->table)
			return -ENOBUFS;
	}
	/* fib_nl_newrule(): __dev_get_by_name(), an altname names it too
	 * (a device made or renamed later is matched by its name alone) */
	d = r->iifname[0] ? net__dev_by_any_name(n, r->iifname) : NULL;
	r->iif = d ? d->ifindex : 0;
	d = r->oifname[0] ? net__dev_by_any_name(n, r->oifname) : NULL;
	r->oif = d ? d->ifindex : 0;
	ret = rt_rule_add(n->rt, r, has_priority, excl);
	if (!ret && r->family == AF_INET)
		n->v4_unmerged = true;	/* fib4_rule_configure() */
	if (ret == -EINVAL && r->action == FR_ACT_GOTO && r->target <= r->priority)
		net__seterr(err, errlen, "Backward goto not supported");
	else if (ret == -EINVAL)
		net__seterr(err, errlen, "invalid rule (family, prefix length or action)");
	else if (ret && ret != -EEXIST)
		net__seterr(err, errlen, "%s", strerror(-ret));
	return ret;
}

/**
 * net_rule_del() - remove the first routing rule that fits
 * @n:		the network
 * @match:	family and the fields @mask names
 * @mask:	RT_RULE_*
 * @err:	set to the reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, -ENOENT when none fits, -EINVAL
 */
int net_rule_del(struct net *n, const struct rt_rule *match, unsigned int mask,
		 char *err, size_t errlen)
{
	int ret = n ? rt_rule_del(n->rt, match, mask) : -EINVAL;

	if (!ret && match->family == AF_INET)
		n->v4_unmerged = true;	/* fib4_rule_delete(): fib_unmerge() */
	if (ret == -ENOENT)
		net__seterr(err, errlen, "no such rule");
	else if (ret)
		net__seterr(err, errlen, "%s", strerror(-ret));
	return ret;
}

/**
 * net_rule_walk() - each routing rule of a family, in order
 * @n:		the network
 * @family:	AF_INET or AF_INET6
 * @skip:	rules to pass over first
 * @fn:		called with each rule and its flags as a dump shows them
 * @arg:	its argument
 *
 * Return: 0, or what @fn returned to stop
 */
int net_rule_walk(struct net *n, uint8_t family, size_t skip,
		  rt_rule_walk_fn *fn, void *arg)
{
	return n ? rt_rule_walk(n->rt, family, skip, fn, arg) : -EINVAL;
}

/**
 * net_table_exists() - whether a family has routing table @id (main and
 *			local, and those routes or rules made: see
 *			rt_table_exists())
 * @n:		the network
 * @family:	AF_INET or AF_INET6
 * @id:		the table
 *
 * Return: true when it exists
 */
bool net_table_exists(struct net *n, uint8_t family, uint32_t id)
{
	return n && rt_table_exists(n->rt, family, id);
}

static int type_err(uint8_t type)
{
	switch (type) {
	case RTN_UNREACHABLE:
		return -EHOSTUNREACH;
	case RTN_PROHIBIT:
		return -EACCES;
	case RTN_BLACKHOLE:
		return -EINVAL;
	case RTN_THROW:
		return -EAGAIN;
	default:
		return 0;
	}
}

/**
 * net_route_get() - what `ip route get` shows: the route and the source
 * @n:		the network
 * @family:	AF_INET or AF_INET6
 * @dst:	destination
 * @oif:	0, or the device the answer must use
 * @res:	set to the route and the chosen next hop
 * @src:	set to the source address a socket would use (16 bytes)
 *
 * Return: 0, or the error a sender would get (-ENETUNREACH, ...)
 */
int net_route_get(struct net *n, uint8_t family, const uint8_t *dst,
		  uint32_t oif, struct rt_result *res, uint8_t *src)
{
	return net_route_get_from(n, family, dst, NULL, oif, 0, res, src);
}

/* The L4 part of an own packet's flow: the socket's that net_own_set()
 * named, else none (Linux's kernel-made packets have uid 0, and here no
 * protocol: see docs/troubleshooting.md) */
static void own_l4(const struct net *n, struct rt_flow *fl)
{
	if (!n->own_set)
		return;
	fl->proto = n->own.proto;
	fl->sport = n->own.sport;
	fl->dport = n->own.dport;
	fl->uid = n->own.uid;
}

/**
 * net_route_get_from() - net_route_get() for a packet from a given source
 * @n:		the network
 * @family:	AF_INET or AF_INET6
 * @dst:	destination
 * @from:	its source, for the routing rules (NULL: none chosen yet)
 * @oif:	0, or the device the answer must use
 * @mark:	its fwmark, for the rules (`ip route get ... mark N`)
 * @res:	set to the route and the chosen next hop
 * @src:	set to the source address a socket would use (16 bytes)
 *
 * The packet's protocol, ports and uid are those of the socket
 * net_own_set() named, if any.
 *
 * Return: 0, or the error a sender would get (-ENETUNREACH, ...)
 */
int net_route_get_from(struct net *n, uint8_t family, const uint8_t *dst,
		       const uint8_t *from, uint32_t oif, uint32_t mark,
		       struct rt_result *res, uint8_t *src)
{
	struct rt_flow fl = { .src = from, .iif = n ? n->lo_ifindex : 0,
			      .oif = oif, .mark = mark };

	if (n)
		own_l4(n, &fl);
	return net_route_get_flow(n, family, dst, &fl, res, src);
}

/**
 * net_own_set() - the socket whose packets lwIP routes until
 *		   net_own_clear(): what routing rules see of them besides
 *		   the addresses, as Linux's flowi4_init_output() from a socket
 * @n:		the network
 * @proto:	its protocol (IPPROTO_TCP, _UDP, a raw socket's, IPPROTO_RAW
 *		with IP_HDRINCL)
 * @sport:	its local port, host order (0: none yet, or a raw socket)
 * @dport:	the destination port (0 for raw sockets)
 * @uid:	its owner (struct sock's uid), 0 for Linux's own (a reset
 *		for no connection, a pcb whose socket is gone)
 */
void net_own_set(struct net *n, uint8_t proto, uint16_t sport, uint16_t dport,
		 uint32_t uid)
{
	if (!n)
		return;
	n->own_set = true;
	n->own.proto = proto;
	n->own.sport = sport;
	n->own.dport = dport;
	n->own.uid = uid;
}

/**
 * net_own_clear() - lwIP's next packets are none of a socket's (ICMP
 *		     errors and echo replies: uid 0, no protocol or ports)
 * @n:		the network
 */
void net_own_clear(struct net *n)
{
	if (n)
		n->own_set = false;
}

/**
 * net_fib_unmerged() - whether IPv4's local table is its own, as Linux's
 *			once the first IPv4 rule is added or deleted
 *			(fib_unmerge(), never merged again): until then,
 *			lookups find local routes in main, `ip route get`
 *			says so, and /proc/net/fib_trie shows one trie
 * @n:		the network
 *
 * Return: true once an IPv4 rule was added or deleted
 */
bool net_fib_unmerged(const struct net *n)
{
	return n && n->v4_unmerged;
}

/**
 * net_own_uid() - the supervisor's effective uid, taken at start
 * @n:		the network
 *
 * Return: the uid; every socket's owner unless the supervisor is root
 * (ns__sock_uid())
 */
uint32_t net_own_uid(const struct net *n)
{
	return n ? n->uid : 0;
}

/**
 * net_route_get_flow() - net_route_get() for a packet the rules see as
 *			  @fl: its source, input device (a forwarded one's),
 *			  bound device (the answer must use it), mark
 * @n:		the network
 * @family:	AF_INET or AF_INET6
 * @dst:	destination
 * @fl:		the rest of the packet, for the rules
 * @res:	set to the route and the chosen next hop
 * @src:	set to the source address a socket would use (16 bytes)
 *
 * Return: 0, or the error a sender would get (-ENETUNREACH, ...)
 */
int net_route_get_flow(struct net *n, uint8_t family, const uint8_t *dst,
		       const struct rt_flow *fl, struct rt_result *res,
		       uint8_t *src)
{
	size_t len = family == AF_INET ? 4 : 16;
	const struct rt_nexthop *nh;
	uint32_t oif = fl ? fl->oif : 0;
	int ret;

	if (!n || !dst || !res || !src || (family != AF_INET && family != AF_INET6))
		return -EINVAL;
	memset(src, 0, 16);
	ret = rt_route(n->rt, family, dst, fl, 0, res);
	if (ret)
		return ret;
	ret = type_err(res->route.type);
	if (ret)
		return ret;
	nh = &res->route.nh[res->nh];
	if (oif && res->route.n_nh && nh->ifindex != oif)
		return -ENETUNREACH;
	if (res->route.has_prefsrc)
		memcpy(src, res->route.prefsrc, len);
	else if (res->route.type == RTN_LOCAL)
		memcpy(src, dst, len);
	else if (!res->route.n_nh)
		return -EADDRNOTAVAIL;
	else if (family == AF_INET &&
		 !net__select_src4(n, nh->ifindex, nh->has_gw &&
				   nh->gw_family != AF_INET6 ? nh->gw : dst, src))
		return -EADDRNOTAVAIL;
	else if (family != AF_INET && !net__select_src6(n, nh->ifindex, dst, src))
		return -EADDRNOTAVAIL;
	return 0;
}

/* ---- input routes: `ip route get ... iif DEV` ---- */

/**
 * net__own_addr() - whether @a is an address of one of the sandbox's
 *		      devices (inet_lookup_ifaddr_rcu(), ipv6_chk_addr())
 * @n:		the network
 * @family:	AF_INET or AF_INET6
 * @a:		the address, 4 or 16 bytes
 *
 * Return: true if a device holds it
 */
bool net__own_addr(const struct net *n, uint8_t family, const uint8_t *a)
{
	const struct net_dev *d;
	unsigned int i;

	for (d = n->devs; d; d = d->next)
		for (i = 0; i < d->n_addrs; i++)
			if (d->addrs[i].family == family &&
			    !memcmp(d->addrs[i].addr, a, family == AF_INET ? 4 : 16))
				return true;
	return false;
}

/*
 * fib_validate_source() with the sandbox's settings (rp_filter and
 * accept_local off, send_redirects on): the source @src of a packet for
 * @dst that came in on @in and leaves by @oif (0: delivered here).
 * Unless it leaves where it came in, or rules that are not the defaults
 * apply, only a source that is one of the sandbox's addresses is a
 * martian.  Otherwise the route back to @src decides
 * (__fib_validate_source()): none, or a blackhole, unreachable or
 * prohibit route, is let through; a local, broadcast or other route that
 * is not unicast is a martian.  The route back is looked up for @l4's
 * protocol with its ports swapped and uid 0, as Linux's.
 *
 * Return: -EINVAL for a martian; 1 when the route back is connected (no
 * gateway) on @in, so that the packet may earn a redirect; else 0
 */
static int validate_src4(struct net *n, const uint8_t *src, const uint8_t *dst,
			 uint32_t in, uint32_t oif, const struct rt_flow *l4)
{
	/* the packet's protocol, its ports swapped, uid 0 */
	struct rt_flow fl = { .src = dst, .iif = oif ? oif : n->lo_ifindex,
			      .proto = l4->proto, .sport = l4->dport,
			      .dport = l4->sport };
	struct rt_result res;
	unsigned int k;

	if (in != oif && rt_rules_default(n->rt, AF_INET))
		return net__own_addr(n, AF_INET, src) ? -EINVAL : 0;
	if (rt_route(n->rt, AF_INET, src, &fl, 0, &res) || type_err(res.route.type))
		return 0;
	if (res.route.type != RTN_UNICAST)
		return -EINVAL;
	for (k = 0; k < res.route.n_nh; k++)
		if (res.route.nh[k].ifindex == in)
			return !res.route.nh[res.nh].has_gw;
	return 0;
}

/* A route of @type through the loopback for input answers that no route
 * of the table gave: limited broadcast, joined multicast groups */
static void made_route(struct net *n, uint8_t type, const uint8_t *dst,
		       struct rt_result *res)
{
	memset(res, 0, sizeof(*res));
	res->route.family = AF_INET;
	res->route.type = type;
	res->route.table = RT_TABLE_MAIN_ID;
	res->route.dst_len = 32;
	memcpy(res->route.dst, dst, 4);
	res->route.n_nh = 1;
	res->route.nh[0].ifindex = n->lo_ifindex;
	res->route.nh[0].weight = 1;
}

/* Whether device @ifindex has joined IPv4 group @group (ip_check_mc_rcu());
 * lwIP runs no IGMP on lo, which has Linux's all-hosts group while up
 * (ip_mc_up(), as /proc/net/igmp shows it) */
static bool joined4(struct net *n, uint32_t ifindex, const uint8_t *group)
{
	struct net_dev *d = net__dev(n, ifindex);
	struct netif *nif = d ? vdev_netif(d->vdev) : NULL;
	ip4_addr_t g;

	if (!nif)
		return false;
	if (!(nif->flags & NETIF_FLAG_IGMP))
		return netif_is_up(nif) && !memcmp(group, "\xe0\0\0\x01", 4);
	memcpy(&g.addr, group, 4);
	return igmp_lookfor_group(nif, &g);
}

static bool zeronet4(const uint8_t *a)
{
	return !a[0];
}

/* ip_route_input_rcu() / ip_route_input_slow(), for an IPv4 packet from
 * @from to @dst that came in on @iif; see net_route_input() */
static int input4(struct net *n, const uint8_t *dst, const uint8_t *from,
		  uint32_t iif, const struct rt_flow *l4, struct rt_result *res,
		  uint32_t *rtcf, bool *fib)
{
	static const uint8_t lbcast[4] = { 255, 255, 255, 255 };
	struct rt_flow fl = *l4;
	const struct net_dev *in = net__dev(n, iif);
	uint32_t oif;
	int ret;

	*rtcf = 0;
	*fib = false;
	if ((dst[0] & 0xf0) == 0xe0) {
		/* ip_route_input_mc(): only groups the device joined */
		if (!joined4(n, iif, dst) || (from[0] & 0xf0) == 0xe0 ||
		    !memcmp(from, lbcast, 4) || from[0] == 127)
			return -EINVAL;
		if (zeronet4(from)) {
			if (dst[0] != 224 || dst[1] || dst[2])
				return -EINVAL;	/* not 224.0.0.x */
		} else if (validate_src4(n, from, dst, iif, 0, l4) < 0) {
			return -EINVAL;
		}
		made_route(n, RTN_MULTICAST, dst, res);
		*rtcf = RTCF_MULTICAST | RTCF_LOCAL;
		return 0;
	}
	if ((from[0] & 0xf0) == 0xe0 || !memcmp(from, lbcast, 4))
		return -EINVAL;
	if (!memcmp(dst, lbcast, 4) || (!memcmp(from, "\0\0\0\0", 4) &&
					 !memcmp(dst, "\0\0\0\0", 4)))
		goto broadcast;
	if (zeronet4(from) || zeronet4(dst) || dst[0] == 127 || from[0] == 127)
		return -EINVAL;
	ret = rt_route(n->rt, AF_INET, dst, &fl, flow_hash(from, dst, 4), res);
	if (!ret)
		ret = type_err(res->route.type);
	if (ret)
		return in->fwd[0] ? ret : -EHOSTUNREACH;
	*fib = true;
	if (res->route.type == RTN_BROADCAST)
		goto broadcast;
	if (res->route.type == RTN_LOCAL) {
		if (validate_src4(n, from, dst, iif, 0, l4) < 0)
			return -EINVAL;
		*rtcf = RTCF_LOCAL;
		return 0;
	}
	if (!in->fwd[0])
		return -EHOSTUNREACH;
	if (res->route.type != RTN_UNICAST || !res->route.n_nh)
		return -EINVAL;
	oif = res->route.nh[res->nh].ifindex;
	ret = validate_src4(n, from, dst, iif, oif, l4);
	if (ret < 0)
		return ret;
	/* __mkroute_input(): back out where it came from, to a source on
	 * that link (shared_media is on): the sender is told of a better
	 * next hop */
	if (ret && oif == iif)
		*rtcf = RTCF_DOREDIRECT;
	return 0;

broadcast:
	if (!zeronet4(from) && validate_src4(n, from, dst, iif, 0, l4) < 0)
		return -EINVAL;
	if (!*fib)
		made_route(n, RTN_BROADCAST, dst, res);
	res->route.type = RTN_BROADCAST;
	res->nh = 0;
	res->route.n_nh = 1;
	res->route.nh[0].ifindex = n->lo_ifindex;
	res->route.nh[0].has_gw = false;
	*rtcf = RTCF_BROADCAST | RTCF_LOCAL;
	return 0;
}

/**
 * net_route_input() - what `ip route get ... iif DEV` shows: the route a
 * packet coming in on a device would take, as Linux's
 * ip_route_input_slow() and ip6_route_input_lookup() find it
 * @n:		the network
 * @family:	AF_INET or AF_INET6
 * @dst:	destination
 * @from:	source (0.0.0.0 or ::, 16 bytes, when none was given)
 * @iif:	the device it came in on
 * @fl:		its fwmark, IPv4 TOS, L4 protocol, ports and uid, for the
 *		rules (its source and device are @from's and @iif's)
 * @res:	set to the route and the chosen next hop; IPv4 broadcast and
 *		multicast input has no route (*@fib false) and is given one
 *		through the loopback
 * @rtcf:	set to IPv4's RTCF_* flags of the answer (local, broadcast,
 *		multicast, a redirect earned); 0 for IPv6
 * @fib:	set when @res is a route of the tables (`fibmatch` can show it)
 *
 * IPv4 checks the addresses (martians: -EINVAL), delivers to the
 * sandbox's addresses and broadcasts, and forwards only where the
 * incoming device's forwarding sysctl says so (else -EHOSTUNREACH); IPv6
 * only looks the destination up, routes to multicast and link-local
 * addresses only through @iif.
 *
 * Return: 0, -ENODEV when @iif is no device, or the error Linux gives
 */
int net_route_input(struct net *n, uint8_t family, const uint8_t *dst,
		    const uint8_t *from, uint32_t iif, const struct rt_flow *l4,
		    struct rt_result *res, uint32_t *rtcf, bool *fib)
{
	static const uint8_t any6[16];
	struct rt_flow fl = { 0 };
	int ret;

	if (!n || !dst || !from || !res || !rtcf || !fib ||
	    (family != AF_INET && family != AF_INET6))
		return -EINVAL;
	if (!net__dev(n, iif))
		return -ENODEV;
	if (l4)
		fl = *l4;
	fl.src = from;
	fl.iif = iif;
	fl.oif = 0;
	if (family == AF_INET)
		return input4(n, dst, from, iif, &fl, res, rtcf, fib);
	fl.tos = 0;
	*rtcf = 0;
	*fib = true;
	if (!memcmp(from, any6, 16))
		fl.src = NULL;
	ret = rt_route(n->rt, AF_INET6, dst, &fl, flow_hash(from, dst, 16), res);
	if (!ret)
		ret = type_err(res->route.type);
	if (ret)
		return ret;
	/* rt6_need_strict(): multicast, link-local and loopback
	 * destinations only through the device they came in on */
	if ((dst[0] == 0xff || (dst[0] == 0xfe && (dst[1] & 0xc0) == 0x80) ||
	     !memcmp(dst, in6addr_loopback.s6_addr, 16)) &&
	    (!res->route.n_nh || res->route.nh[res->nh].ifindex != iif))
		return -ENETUNREACH;
	return 0;
}

/* ---- output routes: `ip route get` (IPv4) ---- */

/* inet_select_addr(@ifindex, 0, @scope): the device's first primary IPv4
 * address of at most @scope (RT_SCOPE_*: a wider scope is a smaller
 * number), else the first such address of any device, lo first, that is
 * not of link scope (in_dev_select_addr()); false when there is none */
static bool select_scoped4(const struct net *n, uint32_t ifindex,
			   uint8_t scope, uint8_t *out)
{
	const struct net_dev *d;
	unsigned int i, pass;

	for (pass = 0; pass < 2; pass++) {
		for (d = n->devs; d; d = d->next) {
			if (!pass && d->ifindex != ifindex)
				continue;
			for (i = 0; i < d->n_addrs; i++) {
				const struct net_addr *a = &d->addrs[i];
				uint8_t as = a->scope < RT_SCOPE_HOST ? a->scope :
					     RT_SCOPE_HOST;

				if (a->family != AF_INET ||
				    (a->flags & IFA_F_SECONDARY) || as > scope ||
				    (pass && a->scope == RT_SCOPE_LINK))
					continue;
				memcpy(out, a->addr, 4);
				return true;
			}
		}
	}
	return false;
}

/* __ip_dev_find(): the device of an own IPv4 address, or of a local
 * route's; 0 when @a is none of the sandbox's */
static uint32_t addr_dev4(struct net *n, const uint8_t *a)
{
	const struct net_dev *d;
	struct rt_result res;
	unsigned int i;

	for (d = n->devs; d; d = d->next)
		for (i = 0; i < d->n_addrs; i++)
			if (d->addrs[i].family == AF_INET &&
			    !memcmp(d->addrs[i].addr, a, 4))
				return d->ifindex;
	if (rt_lookup(n->rt, RT_TABLE_LOCAL_ID, AF_INET, a, 0, &res) ||
	    res.route.type != RTN_LOCAL || !res.route.n_nh)
		return 0;
	return res.route.nh[res.nh].ifindex;
}

/* The index of @rt's first next hop on @oif, n_nh when none is */
static unsigned int nh_on(const struct rt_route *rt, uint32_t oif)
{
	unsigned int k;

	for (k = 0; k < rt->n_nh && rt->nh[k].ifindex != oif; k++)
		;
	return k;
}

/**
 * struct oif_walk - the longest route of a table for @dst that an output
 * lookup through @oif stops at: one with a next hop there, or one that
 * rejects (blackhole, unreachable, prohibit: fib_table_lookup() gives
 * their error before it looks at next hops)
 */
struct oif_walk {
	const uint8_t *dst;
	uint32_t oif;
	struct rt_route *best;
	bool found;
};

static int oif_walk_one(void *arg, const struct rt_route *rt)
{
	struct oif_walk *w = arg;
	unsigned int full = rt->dst_len / 8, rest = rt->dst_len % 8;

	if (rt->family != AF_INET || (w->found && rt->dst_len <= w->best->dst_len) ||
	    memcmp(rt->dst, w->dst, full) ||
	    (rest && ((rt->dst[full] ^ w->dst[full]) & (0xff00 >> rest) & 0xff)))
		return 0;
	if (!type_err(rt->type) && nh_on(rt, w->oif) == rt->n_nh)
		return 0;
	*w->best = *rt;
	w->found = true;
	return 0;
}

/* fib_table_lookup() through @oif under the default rules: the longest
 * route for @dst in local, main, default with a next hop on @oif (the
 * trie's own lookup knows no device, so the tables are walked: only for
 * a request that names a device the best route does not use) */
static int oif_lookup4(struct net *n, const uint8_t *dst, uint32_t oif,
		       struct rt_result *res)
{
	static const uint32_t tables[] = { RT_TABLE_LOCAL_ID, RT_TABLE_MAIN_ID,
					   RT_TABLE_DEFAULT_ID };
	struct oif_walk w = { dst, oif, &res->route, false };
	unsigned int t;

	if (!rt_rules_default(n->rt, AF_INET))
		return -ENETUNREACH;
	for (t = 0; t < 3 && !w.found; t++)
		rt_walk(n->rt, tables[t], AF_INET, NULL, oif_walk_one, &w);
	if (!w.found)
		return -ENETUNREACH;
	res->nh = nh_on(&res->route, oif);
	return type_err(res->route.type);
}

/* The route for @dst as an output lookup through @oif finds it
 * (fib_lookup_good_nhc(): only a next hop on @oif) */
static int output_fib4(struct net *n, const uint8_t *dst, struct rt_flow *fl,
		       uint32_t oif, struct rt_result *res, uint8_t *src)
{
	const struct rt_nexthop *nh;
	unsigned int k;
	int ret;

	fl->oif = 0;
	ret = net_route_get_flow(n, AF_INET, dst, fl, res, src);
	if (!oif || (ret && ret != -EADDRNOTAVAIL && !type_err(res->route.type)))
		return ret;
	k = ret ? res->route.n_nh : nh_on(&res->route, oif);
	if (k == res->route.n_nh) {
		ret = oif_lookup4(n, dst, oif, res);
		if (ret)
			return ret;
		k = res->nh;
		memset(src, 0, 16);
		if (res->route.has_prefsrc)
			memcpy(src, res->route.prefsrc, 4);
		else if (res->route.type == RTN_LOCAL)
			memcpy(src, dst, 4);
	}
	res->nh = k;
	nh = &res->route.nh[k];
	if (!res->route.has_prefsrc && res->route.type != RTN_LOCAL &&
	    !net__select_src4(n, oif, nh->has_gw && nh->gw_family != AF_INET6 ?
			      nh->gw : dst, src))
		return -EADDRNOTAVAIL;
	return 0;
}

/* __mkroute_output(): the type a destination forces, the checks and the
 * RTCF_* flags of a route leaving by @dev (the loopback for local ones) */
static int mkroute_output4(struct net *n, const uint8_t *dst,
			   const uint8_t *saddr, uint32_t dev,
			   struct rt_result *res, uint32_t *rtcf)
{
	static const uint8_t lbcast[4] = { 255, 255, 255, 255 };
	const struct net_dev *d = net__dev(n, dev);
	bool lo = d && d->loopback;

	if (saddr[0] == 127 && !lo)
		return -EINVAL;		/* route_localnet is off */
	if (!memcmp(dst, lbcast, 4))
		res->route.type = RTN_BROADCAST;
	else if ((dst[0] & 0xf0) == 0xe0)
		res->route.type = RTN_MULTICAST;
	if (lo)
		*rtcf |= RTCF_LOCAL;
	if (res->route.type == RTN_BROADCAST)
		*rtcf |= RTCF_BROADCAST | RTCF_LOCAL;
	else if (res->route.type == RTN_MULTICAST)
		*rtcf = (*rtcf & ~RTCF_LOCAL) | RTCF_MULTICAST |
			(joined4(n, dev, dst) ? RTCF_LOCAL : 0);
	return 0;
}

/* A route through @dev that no table gave (type set by the caller or
 * mkroute_output4()) */
static void made_output4(struct rt_result *res, uint8_t type,
			 const uint8_t *dst, uint32_t dev)
{
	memset(res, 0, sizeof(*res));
	res->route.family = AF_INET;
	res->route.type = type;
	res->route.dst_len = 32;
	memcpy(res->route.dst, dst, 4);
	res->route.n_nh = 1;
	res->route.nh[0].ifindex = dev;
	res->route.nh[0].weight = 1;
}

/**
 * net_bcast4() - whether an IPv4 destination is a broadcast for the
 * sandbox: 255.255.255.255, or a broadcast route of table local (what
 * gives Linux's output route RTCF_BROADCAST)
 * @n:		the network
 * @dst:	the destination, 4 bytes
 */
bool net_bcast4(const struct net *n, const uint8_t *dst)
{
	struct rt_hop hop;

	if (dst[0] == 255 && dst[1] == 255 && dst[2] == 255 && dst[3] == 255)
		return true;
	return n && rt_lookup_fast(n->rt, RT_TABLE_LOCAL_ID, AF_INET, dst, 0,
				   &hop) == RTN_BROADCAST;
}

/**
 * net_route_output4() - what `ip route get ADDR [from S] [oif DEV]` shows
 * for IPv4: the output route Linux's ip_route_output_key_hash_rcu() makes
 * @n:		the network
 * @dst:	destination (0.0.0.0: the source itself, or 127.0.0.1)
 * @from:	the source asked for, 0.0.0.0 for none: one of the
 *		sandbox's (-ENETUNREACH), not multicast, broadcast or 0.x
 *		(-EINVAL)
 * @l4:		oif (the device asked for, 0 for none), mark, TOS, L4
 *		protocol, ports and uid, for the rules
 * @res:	set to the route; one no table gave (table 0) goes through
 *		the device: 0.0.0.0 through the loopback, as local; with
 *		@l4's oif, a destination the tables give no route through
 *		it (Linux: "Apparently, routing tables are wrong. Assume,
 *		that the destination is on link."), a link-local multicast
 *		group or the limited broadcast
 * @src:	set to the source chosen (inet_select_addr() with the scope
 *		Linux asks for where no route gives one); 16 bytes
 * @rtcf:	set to the answer's RTCF_* (local, broadcast, multicast)
 * @fib:	set when @res is a route of the tables (`fibmatch`)
 *
 * Return: 0, or the error Linux gives (-ENODEV for an oif that does not
 * exist, -ENETUNREACH for one that is down, ...)
 */
int net_route_output4(struct net *n, const uint8_t *dst, const uint8_t *from,
		      const struct rt_flow *l4, struct rt_result *res,
		      uint8_t *src, uint32_t *rtcf, bool *fib)
{
	static const uint8_t lbcast[4] = { 255, 255, 255, 255 };
	static const uint8_t loopback[4] = { 127, 0, 0, 1 };
	struct rt_flow fl;
	uint8_t daddr[4], saddr[4] = { 0 };
	uint32_t oif, dev = 0;
	bool has_from, mc, bc;
	struct net_dev *d;
	int ret;

	if (!n || !dst || !from || !l4 || !res || !src || !rtcf || !fib)
		return -EINVAL;
	fl = *l4;
	oif = l4->oif;
	has_from = memcmp(from, "\0\0\0\0", 4) != 0;
	mc = (dst[0] & 0xf0) == 0xe0;
	bc = !memcmp(dst, lbcast, 4);
	*rtcf = 0;
	*fib = false;
	memset(src, 0, 16);
	memcpy(daddr, dst, 4);
	if (has_from) {
		if ((from[0] & 0xf0) == 0xe0 || !memcmp(from, lbcast, 4) ||
		    zeronet4(from))
			return -EINVAL;
		memcpy(saddr, from, 4);
		dev = addr_dev4(n, from);
		if (!dev)
			return -ENETUNREACH;
		if (!oif && (mc || bc)) {
			made_output4(res, RTN_UNSPEC, dst, dev);
			goto make;
		}
	}
	if (oif) {
		d = net__dev(n, oif);
		if (!d)
			return -ENODEV;
		if (!vdev_is_up(d->vdev))
			return -ENETUNREACH;
		dev = oif;
		if ((mc && dst[0] == 224 && !dst[1] && !dst[2]) || bc) {
			if (!has_from)
				select_scoped4(n, oif, RT_SCOPE_LINK, saddr);
			made_output4(res, RTN_UNSPEC, dst, dev);
			goto make;
		}
		if (!has_from && mc)
			select_scoped4(n, oif, RT_SCOPE_UNIVERSE, saddr);
		else if (!has_from && !memcmp(dst, "\0\0\0\0", 4))
			select_scoped4(n, oif, RT_SCOPE_HOST, saddr);
	}
	if (!memcmp(dst, "\0\0\0\0", 4)) {
		if (!memcmp(saddr, "\0\0\0\0", 4))
			memcpy(saddr, loopback, 4);
		memcpy(daddr, saddr, 4);
		made_output4(res, RTN_LOCAL, dst, n->lo_ifindex);
		*rtcf = RTCF_LOCAL;
		dev = n->lo_ifindex;
		goto make;
	}
	fl.src = has_from ? from : NULL;
	fl.iif = n->lo_ifindex;
	ret = output_fib4(n, daddr, &fl, oif, res, src);
	if (ret) {
		if (!oif)
			return ret;
		if (!memcmp(saddr, "\0\0\0\0", 4))
			select_scoped4(n, oif, RT_SCOPE_LINK, saddr);
		made_output4(res, RTN_UNICAST, dst, oif);
		goto make;
	}
	*fib = true;
	if (memcmp(saddr, "\0\0\0\0", 4))
		memcpy(src, saddr, 4);	/* given, or chosen for a group */
	dev = res->route.type == RTN_LOCAL ? n->lo_ifindex :
	      res->route.n_nh ? res->route.nh[res->nh].ifindex : 0;
	return mkroute_output4(n, daddr, src, dev, res, rtcf);

make:
	memcpy(src, saddr, 4);
	return mkroute_output4(n, daddr, saddr, dev, res, rtcf);
}

/**
 * ns__route_src4() - the IPv4 source of a datagram to @dst that leaves by
 *		      the device @oif a socket chose (SO_BINDTODEVICE,
 *		      IP_PKTINFO's, IP_MULTICAST_IF's), as Linux's
 *		      ip_route_output_key_hash_rcu() picks it
 * @ns:		the stack
 * @oif:	the device (the sandbox's ifindex)
 * @dst:	the destination (IPv4)
 * @src:	set to the source
 *
 * A group takes inet_select_addr(dev, 0, universe) (224.0.0.0/24 and the
 * limited broadcast: link): the device's first primary address of that
 * scope, else the first such of any device, lo first, never of host
 * scope, so IP_MULTICAST_IF lo takes another device's address, as Linux
 * 6.18 (10.0.0.1, not 127.0.0.1); a unicast address the route's through
 * that device, else inet_select_addr(dev, 0, link).  The socket's flow
 * (net_own_set()) is the rules'.
 *
 * Return: 0, or a negative errno (no address, a refused route)
 */
int ns__route_src4(struct ns *ns, uint32_t oif, const ip_addr_t *dst,
		   ip_addr_t *src)
{
	static const uint8_t none[4];
	struct net *n = ns ? ns->net : NULL;
	struct rt_flow fl = { .oif = oif };
	struct rt_result res;
	uint8_t s[16];
	uint32_t rtcf;
	bool fib;
	int ret;

	if (!n || !oif || !IP_IS_V4(dst))
		return -EINVAL;
	own_l4(n, &fl);
	ret = net_route_output4(n, (const uint8_t *)&ip_2_ip4(dst)->addr, none,
				&fl, &res, s, &rtcf, &fib);
	if (ret)
		return ret;
	if (!memcmp(s, none, 4))
		return -EADDRNOTAVAIL;
	IP_ADDR4(src, s[0], s[1], s[2], s[3]);
	return 0;
}

/**
 * ns__route_oif6() - whether an IPv6 output lookup through @oif finds a
 *		      route, as Linux's strict one (RT6_LOOKUP_F_IFACE: a
 *		      link-local or multicast destination, a socket bound
 *		      to a device) does: the longest route for @dst in
 *		      local, main, default with a next hop on @oif
 * @ns:		the stack
 * @dst:	the destination
 * @oif:	the device (the sandbox's ifindex)
 *
 * Under other rules than the default ones nothing is checked (the
 * caller's lookups follow the rules).  fe80::99%eth0 after `ip -6 route
 * del fe80::/64 dev eth0`, ff02::1%eth0 after `ip -6 route del multicast
 * ff00::/8 dev eth0 table local`: ENETUNREACH (Linux 6.18), unless
 * another route through eth0 (a default one) holds it.
 *
 * Return: 0, or -ENETUNREACH
 */
int ns__route_oif6(struct ns *ns, const ip6_addr_t *dst, uint32_t oif)
{
	static const uint32_t tables[] = { RT_TABLE_LOCAL_ID, RT_TABLE_MAIN_ID,
					   RT_TABLE_DEFAULT_ID };
	struct net *n = ns ? ns->net : NULL;
	struct rt_flow fl = { 0 };
	struct rt_result res;
	unsigned int t;

	if (!n || !oif || !rt_rules_default(n->rt, AF_INET6))
		return 0;
	/* the best route, when it goes by @oif (the usual case), saves the
	 * probes; else one exact lookup per prefix length and table, which
	 * a full BGP table does not make slower (a walk of the tables did,
	 * for every hello on a second device) */
	fl.iif = n->lo_ifindex;
	if (!rt_route(n->rt, AF_INET6, (const uint8_t *)dst->addr, &fl, 0, &res) &&
	    nh_on(&res.route, oif) < res.route.n_nh)
		return 0;
	for (t = 0; t < 3; t++)
		if (rt_covered_via(n->rt, tables[t], AF_INET6,
				   (const uint8_t *)dst->addr, oif))
			return 0;
	return -ENETUNREACH;
}

/* ---- lwIP's hooks ---- */

/* proto_ports_offset(): where the "ports" of a protocol are, -1 for none */
static int ports_offset(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP: case IPPROTO_UDP: case IPPROTO_DCCP:
	case IPPROTO_ESP: case IPPROTO_SCTP: case IPPROTO_UDPLITE:
		return 0;
	case IPPROTO_AH:
		return 4;
	default:
		return -1;
	}
}

/*
 * The L4 protocol and ports of a forwarded packet (@p's payload at its IP
 * header) into @fl, as fib4_rules_early_flow_dissect() and
 * fib6_rules_early_flow_dissect() read them with flow_keys_dissector and
 * no FLOW_DISSECTOR_F_PARSE_1ST_FRAG: the protocol past IPv6's hop-by-hop,
 * routing, destination options and fragment headers; no ports for a
 * fragment, the first one included, nor for a header cut short.  The uid
 * stays 0 (sock_net_uid(net, NULL)).
 */
static void packet_l4(const struct pbuf *p, bool v6, struct rt_flow *fl)
{
	uint16_t hl = v6 ? 40 : 20, off;
	bool frag = false;
	uint8_t h[40], nh;
	int po;

	if (!p || pbuf_copy_partial(p, h, hl, 0) != hl)
		return;
	if (!v6) {
		nh = h[9];
		frag = ((h[6] << 8 | h[7]) & 0x3fff) != 0;	/* MF or an offset */
		off = (uint16_t)((h[0] & 15) * 4);
	} else {
		nh = h[6];
		off = 40;
		while (!frag && (nh == 0 || nh == 43 || nh == 60 || nh == 44)) {
			if (pbuf_copy_partial(p, h, 2, off) != 2)
				break;
			frag = nh == 44;
			off = (uint16_t)(off + (frag ? 8 : (h[1] + 1) * 8));
			nh = h[0];
		}
	}
	fl->proto = nh;
	po = ports_offset(nh);
	if (frag || po < 0 || pbuf_copy_partial(p, h, 4, (uint16_t)(off + po)) != 4)
		return;
	fl->sport = (uint16_t)(h[0] << 8 | h[1]);
	fl->dport = (uint16_t)(h[2] << 8 | h[3]);
}

static uint32_t flow_hash(const uint8_t *a, const uint8_t *b, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ a[i] ^ (uint32_t)b[i] << 8) * 16777619u;
	return h ^ (h >> 15);
}

static struct netif *dev_netif(struct net *n, int type, uint32_t ifindex)
{
	struct net_dev *d;

	if (type == RTN_LOCAL || type == RTN_ANYCAST)
		d = n->devs;	/* the loopback, always first (an anycast
				 * route's too: ip6_rt_get_dev_rcu()) */
	else
		d = net__dev(n, ifindex);
	if (!d || !netif_is_up(vdev_netif(d->vdev)))
		return NULL;
	return vdev_netif(d->vdev);
}

/* The device for an IPv4 packet from @src (NULL: none yet) that came in
 * on @fl->iif (the loopback for the sandbox's own) with @fl's TOS, L4
 * protocol, ports and uid; the route found is kept in n->c4_* for
 * rrs_etharp_gw() and the forward check */
static struct netif *route4(struct net *n, const ip4_addr_t *src,
			    const ip4_addr_t *dest, struct rt_flow *fl)
{
	static const uint8_t any[4];
	const uint8_t *s = src ? (const uint8_t *)&src->addr : NULL;
	struct rt_hop hop;
	int type;

	fl->src = s;
	type = rt_route_fast(n->rt, AF_INET, (const uint8_t *)&dest->addr, fl,
			     flow_hash(s ? s : any, (const uint8_t *)&dest->addr, 4),
			     &hop);
	ip4_addr_copy(n->c4_dst, *dest);
	n->c4_type = type;
	n->c4_netif = NULL;
	if (type <= 0)
		return NULL;
	n->c4_via6 = hop.gw_family == AF_INET6;
	if (n->c4_via6) {
		ip4_addr_set_zero(&n->c4_gw);
		memcpy(n->c4_gw6.addr, hop.gw, 16);
		ip6_addr_clear_zone(&n->c4_gw6);
	} else {
		memcpy(&n->c4_gw.addr, hop.gw, 4);
	}
	n->c4_netif = dev_netif(n, type, hop.ifindex);
	return n->c4_netif;
}

/**
 * rrs_ip4_route() - LWIP_HOOK_IP4_ROUTE_SRC: the device for a packet
 * @src:	its source, or NULL
 * @dest:	its destination
 *
 * The sandbox's own packets: for routing rules, they come in on the
 * loopback, as Linux's output lookups.
 *
 * Return: the netif, or NULL when there is no usable route
 */
struct netif *rrs_ip4_route(const ip4_addr_t *src, const ip4_addr_t *dest)
{
	struct net *n = net__hook();
	struct rt_flow fl = { 0 };

	if (!n)
		return NULL;
	fl.iif = n->lo_ifindex;
	own_l4(n, &fl);
	return route4(n, src, dest, &fl);
}

/**
 * rrs_tcp_route() - LWIP_HOOK_TCP_ROUTE (patch 0046): the device for a
 *		     TCP segment of @pcb not bound to a device
 * @pcb:	the connection, NULL for a reset that answers none
 * @src:	the segment's source
 * @dst:	its destination
 *
 * The rules see the connection's ports and its socket's owner (a
 * handshake's: its listener's, ns__tcp_owner(); a pcb whose socket is
 * gone, in TIME_WAIT, or relaying a forwarded connection: uid 0, as
 * Linux's replies for sockets that are not full ones); a reset for no
 * connection is Linux's (uid 0, TCP) but its ports are not known here
 * (tcp_rst() does not pass them to the route lookup).
 *
 * Return: the netif, or NULL when there is no usable route
 */
struct netif *rrs_tcp_route(const struct tcp_pcb *pcb, const ip_addr_t *src,
			    const ip_addr_t *dst)
{
	struct net *n = net__hook();
	const struct sock *owner;
	struct rt_flow saved;
	struct netif *nif;
	bool was;

	if (!n)
		return ip_route(src, dst);
	saved = n->own;
	was = n->own_set;
	owner = pcb ? ns__tcp_owner(pcb) : NULL;
	net_own_set(n, IPPROTO_TCP, pcb ? pcb->local_port : 0,
		    pcb ? pcb->remote_port : 0, owner ? owner->uid : 0);
	nif = ip_route(src, dst);
	n->own = saved;
	n->own_set = was;
	return nif;
}

/**
 * rrs_ip4_forward_route() - LWIP_HOOK_IP4_FORWARD_ROUTE (patches 0044, 0046)
 * @src:	the forwarded packet's source
 * @dest:	its destination
 * @inp:	the device it came in on
 * @tos:	its TOS (ECN bits included)
 * @p:		the packet, payload at its IP header
 *
 * Return: the netif, or NULL when there is no usable route
 */
struct netif *rrs_ip4_forward_route(const ip4_addr_t *src,
				    const ip4_addr_t *dest, struct netif *inp,
				    uint8_t tos, const struct pbuf *p)
{
	struct net *n = net__hook();
	const struct net_dev *d;
	struct rt_flow fl = { 0 };

	if (!n)
		return NULL;
	d = rt_rules_default(n->rt, AF_INET) ? NULL : net__dev_of_netif(n, inp);
	if (d) {
		fl.iif = d->ifindex;
		fl.tos = tos & 0xfc;	/* less ECN */
		packet_l4(p, false, &fl);
	}
	return route4(n, src, dest, &fl);
}

/*
 * The next hop of a packet to @dest that leaves by @netif where the best
 * route goes by another device: a socket chose @netif (SO_BINDTODEVICE,
 * IP_PKTINFO) and lwIP sent through it without a route.  Linux's output
 * lookup through the device (fib_lookup_good_nhc()) takes the longest
 * route with a next hop there, its gateway (a default route's), and with
 * none assumes the destination on link (ip_route_output_key_hash_rcu():
 * "routing tables are wrong"); checked on Linux 6.x.
 */
static const ip4_addr_t *gw_via4(struct net *n, struct netif *netif,
				 const ip4_addr_t *dest)
{
	const struct net_dev *d = net__dev_of_netif(n, netif);
	const uint8_t *dst = (const uint8_t *)&dest->addr;
	struct rt_flow fl = { .iif = n->lo_ifindex };
	const struct rt_nexthop *nh;
	struct rt_result res;

	if (!d)
		return dest;
	own_l4(n, &fl);
	if (rt_route(n->rt, AF_INET, dst, &fl, 0, &res) || type_err(res.route.type) ||
	    (res.nh = nh_on(&res.route, d->ifindex)) == res.route.n_nh) {
		if (oif_lookup4(n, dst, d->ifindex, &res))
			return dest;
	}
	nh = &res.route.nh[res.nh];
	if (!nh->has_gw || nh->gw_family == AF_INET6)
		return dest;
	memcpy(&n->via4_gw.addr, nh->gw, 4);
	return &n->via4_gw;
}

/**
 * rrs_etharp_gw() - LWIP_HOOK_ETHARP_GET_GW: the next hop to resolve
 * @netif:	the device the packet leaves on
 * @dest:	its destination (outside the device's subnet)
 *
 * Return: the gateway, @dest itself for an on-link route, or NULL
 */
const ip4_addr_t *rrs_etharp_gw(struct netif *netif, const ip4_addr_t *dest)
{
	struct net *n = net__hook();

	if (!n)
		return NULL;
	if (n->c4_type <= 0 || !ip4_addr_cmp(&n->c4_dst, dest) ||
	    n->c4_netif != netif)
		rrs_ip4_route(NULL, dest);
	if (n->c4_type > 0 && ip4_addr_cmp(&n->c4_dst, dest) &&
	    n->c4_netif != netif)
		return gw_via4(n, netif, dest);
	if (n->c4_type <= 0 || !ip4_addr_cmp(&n->c4_dst, dest) || n->c4_via6)
		return NULL;
	return ip4_addr_isany_val(n->c4_gw) ? dest : &n->c4_gw;
}

/* route4() for IPv6: the device for a packet from @src that came in on
 * @fl->iif, the route kept in n->c6_* */
static struct netif *route6(struct net *n, const ip6_addr_t *src,
			    const ip6_addr_t *dest, struct rt_flow *fl)
{
	struct rt_hop hop;
	int type;

	fl->src = (const uint8_t *)src->addr;
	type = rt_route_fast(n->rt, AF_INET6, (const uint8_t *)dest->addr, fl,
			     flow_hash((const uint8_t *)src->addr,
				       (const uint8_t *)dest->addr, 16),
			     &hop);
	if (n->via6_forget && ip6_addr_cmp_zoneless(&n->via6_dst, dest)) {
		dest_cache_forget(dest);
		n->via6_forget = false;
	}
	ip6_addr_copy(n->c6_dst, *dest);
	n->c6_type = type;
	n->c6_netif = NULL;
	if (type <= 0)
		return NULL;
	memcpy(n->c6_gw.addr, hop.gw, 16);
	ip6_addr_clear_zone(&n->c6_gw);
	if (!rt_rules_default(n->rt, AF_INET6))
		dest_cache_check(dest, hop.gw);
	/* an anycast route added by hand has no RTF_ANYCAST: its packets
	 * leave by its own device, not lo (ip6_rt_get_dev_rcu()) */
	if (type == RTN_ANYCAST && !net__acast_joined(n, (const uint8_t *)dest->addr))
		type = RTN_UNICAST;
	n->c6_netif = dev_netif(n, type, hop.ifindex);
	return n->c6_netif;
}

/**
 * rrs_ip6_route() - LWIP_HOOK_IP6_ROUTE: the device for a packet
 * @src:	its source (may be the unspecified address)
 * @dest:	its destination
 *
 * Return: the netif, or NULL when there is no usable route
 */
struct netif *rrs_ip6_route(const ip6_addr_t *src, const ip6_addr_t *dest)
{
	struct net *n = net__hook();
	struct rt_flow fl = { 0 };

	if (!n)
		return NULL;
	fl.iif = n->lo_ifindex;
	own_l4(n, &fl);
	return route6(n, src, dest, &fl);
}

/**
 * rrs_ip6_forward_route() - LWIP_HOOK_IP6_FORWARD_ROUTE (patches 0044, 0046)
 * @src:	the forwarded packet's source
 * @dest:	its destination
 * @inp:	the device it came in on
 * @p:		the packet, payload at its IPv6 header
 *
 * Return: the netif, or NULL when there is no usable route
 */
struct netif *rrs_ip6_forward_route(const ip6_addr_t *src,
				    const ip6_addr_t *dest, struct netif *inp,
				    const struct pbuf *p)
{
	const struct ip6_hdr *h = ip6_current_header();
	struct net *n = net__hook();
	const struct net_dev *d;
	struct rt_flow fl = { 0 };

	if (!n)
		return NULL;
	d = rt_rules_default(n->rt, AF_INET6) ? NULL : net__dev_of_netif(n, inp);
	if (d) {
		fl.iif = d->ifindex;
		/* fib6_rule_match(): a rule's tos is the DSCP of the
		 * traffic class */
		if (h)
			fl.tos = (uint8_t)(IP6H_TC(h) & 0xfc);
		packet_l4(p, true, &fl);
	}
	return route6(n, src, dest, &fl);
}

/*
 * gw_via4() for IPv6: the next hop of a packet to @dest leaving by @netif
 * where the best route goes by another device (SO_BINDTODEVICE, a scope
 * id, IPV6_PKTINFO).  Linux's lookup through the device (RT6_LOOKUP_F_
 * IFACE: local, then main) takes the longest route with a next hop
 * there, its gateway; ns__dgram_strict6() refused the send when there is
 * none.  Under other rules than the defaults, NULL: the best route's.
 * lwIP's destination cache would keep this next hop for every later
 * packet to @dest, whatever its device: route6() drops the entry when
 * the next packet to @dest is routed, so that nd6 asks again, and
 * ns__route_via6_prep() before a send through a chosen device.
 */
static const ip6_addr_t *gw_via6(struct net *n, struct netif *netif,
				 const ip6_addr_t *dest)
{
	static const uint32_t tables[] = { RT_TABLE_LOCAL_ID, RT_TABLE_MAIN_ID };
	const struct net_dev *d = net__dev_of_netif(n, netif);
	struct rt_route r;
	unsigned int t, k;

	if (!d || !rt_rules_default(n->rt, AF_INET6))
		return NULL;
	for (t = 0; t < 2; t++)
		if (rt_find_via(n->rt, tables[t], AF_INET6,
				(const uint8_t *)dest->addr, d->ifindex, &r))
			break;
	n->via6_forget = true;
	ip6_addr_copy(n->via6_dst, *dest);
	if (t == 2 || (k = nh_on(&r, d->ifindex)) == r.n_nh || !r.nh[k].has_gw)
		return dest;
	memcpy(n->via6_gw.addr, r.nh[k].gw, 16);
	ip6_addr_clear_zone(&n->via6_gw);
	if (ip6_addr_islinklocal(&n->via6_gw))
		ip6_addr_assign_zone(&n->via6_gw, IP6_UNICAST, netif);
	return &n->via6_gw;
}

/**
 * rrs_nd6_gw() - LWIP_HOOK_ND6_GET_GW: the next hop for an off-link or
 *		  (a socket's packet) link-local address
 * @netif:	the device the packet leaves on
 * @dest:	its destination
 *
 * Return: the gateway, @dest itself for an on-link route, or NULL
 */
const ip6_addr_t *rrs_nd6_gw(struct netif *netif, const ip6_addr_t *dest)
{
	struct net *n = net__hook();
	const ip6_addr_t *via;

	if (!n)
		return NULL;
	/* A link-local destination (patch 0059) follows the routes only
	 * for a socket's packets: what the stack sends itself (neighbour
	 * advertisements) goes on link, as Linux's ndisc output does. */
	if (ip6_addr_islinklocal(dest) && !n->own_set)
		return NULL;
	if (n->c6_type <= 0 || !ip6_addr_cmp_zoneless(&n->c6_dst, dest) ||
	    n->c6_netif != netif)
		rrs_ip6_route(IP6_ADDR_ANY6, dest);
	if (n->c6_type > 0 && ip6_addr_cmp_zoneless(&n->c6_dst, dest) &&
	    n->c6_netif != netif && (via = gw_via6(n, netif, dest)))
		return via;
	if (n->c6_type <= 0 || !ip6_addr_cmp_zoneless(&n->c6_dst, dest))
		return NULL;
	if (ip6_addr_isany_val(n->c6_gw))
		return dest;
	if (ip6_addr_islinklocal(&n->c6_gw))
		ip6_addr_assign_zone(&n->c6_gw, IP6_UNICAST, netif);
	return &n->c6_gw;
}

/**
 * rrs_ip4_accept() - LWIP_HOOK_IP4_ACCEPT (patch 0003)
 * @netif:	the device a packet (or an ARP request) is offered to
 * @dest:	its destination (the address asked for)
 *
 * lwIP's netif holds one IPv4 address, the device's first; the device's
 * other addresses are accepted here, and a loopback device takes all of
 * 127.0.0.0/8 as Linux's lo does.
 *
 * Return: nonzero to accept
 */
int rrs_ip4_accept(struct netif *netif, const ip4_addr_t *dest)
{
	struct net *n = net__hook();
	const struct net_dev *d;
	unsigned int i;

	if (ip4_addr_isloopback(netif_ip4_addr(netif)) && ip4_addr_isloopback(dest))
		return 1;
	if (!n)
		return 0;
	for (d = n->devs; d && vdev_netif(d->vdev) != netif; d = d->next)
		;
	for (i = 0; d && i < d->n_addrs; i++)
		if (d->addrs[i].family == AF_INET &&
		    !memcmp(d->addrs[i].addr, &dest->addr, 4))
			return 1;
	return 0;
}

/**
 * rrs_ip6_input() - LWIP_HOOK_IP6_INPUT: ipv6_rcv() drops what comes in
 * on a device with conf/DEV/disable_ipv6 on
 * @p:		the packet, at its IPv6 header
 * @inp:	the device it came in on
 *
 * Return: nonzero when dropped (@p freed here)
 */
int rrs_ip6_input(struct pbuf *p, struct netif *inp)
{
	struct net *n = net__hook();
	const struct net_dev *d;

	if (!n || !n->v6_off)
		return 0;
	d = net__dev_of_netif(n, inp);
	if (!d || !net__v6_disabled(d))
		return 0;
	pbuf_free(p);
	return 1;
}

/**
 * ns__netif_owns() - whether @a is one of @nif's own addresses (its
 *		      netif address, or another of its device's)
 * @nif:	the netif
 * @a:		the address
 *
 * Return: true when it is
 */
bool ns__netif_owns(struct netif *nif, const ip_addr_t *a)
{
	if (IP_IS_V4(a))
		return ip4_addr_cmp(ip_2_ip4(a), netif_ip4_addr(nif)) ||
		       rrs_ip4_accept(nif, ip_2_ip4(a));
	return netif_get_ip6_addr_match(nif, ip_2_ip6(a)) >= 0;
}

/**
 * rrs_netif_idx_match() - LWIP_NETIF_IDX_MATCH (patch 0049): whether a
 *			   pcb bound to netif @idx takes the packet being
 *			   input on @inp
 * @idx:	the pcb's netif index
 * @inp:	the netif the packet came in on
 *
 * Its own netif's, and the loopback's for an address of its netif: Linux
 * routes those through lo but gives them the device holding the address
 * as their input device (rt_iif), so a socket bound to eth0 hears what
 * the sandbox sends to eth0's addresses.
 *
 * Return: nonzero to take it
 */
int rrs_netif_idx_match(unsigned char idx, struct netif *inp)
{
	struct netif *own;

	if (idx == netif_get_index(inp))
		return 1;
	if (!ip4_addr_isloopback(netif_ip4_addr(inp)))
		return 0;
	own = netif_get_by_index(idx);
	return own && ns__netif_owns(own, ip_current_dest_addr());
}

/**
 * rrs_netif_idx_local() - LWIP_NETIF_IDX_LOCAL (patch 0049): whether a TCP
 *			   segment of a pcb bound to netif @idx goes to an
 *			   address of that netif (then it is routed, through
 *			   the loopback, not sent out of the netif)
 * @idx:	the pcb's netif index
 * @dst:	the segment's destination
 *
 * Return: nonzero when @dst is one of the netif's addresses
 */
int rrs_netif_idx_local(unsigned char idx, const ip_addr_t *dst)
{
	struct netif *own = netif_get_by_index(idx);

	return own && dst && ns__netif_owns(own, dst);
}

/**
 * rrs_etharp_for_us() - LWIP_HOOK_ETHARP_FOR_US (patch 0026)
 * @netif:	the device an ARP request came in on
 * @target:	the address it asks for (not the netif's own)
 *
 * As Linux with arp_ignore 0: any address of the sandbox is answered
 * for, whichever device holds it (a router's /32 on lo, a secondary),
 * but never one of 127.0.0.0/8 (arp_process() drops those).
 *
 * Return: nonzero to answer
 */
int rrs_etharp_for_us(struct netif *netif, const ip4_addr_t *target)
{
	struct net *n = net__hook();
	const struct net_dev *d;
	unsigned int i;

	(void)netif;
	if (!n || ip4_addr_isloopback(target))
		return 0;
	for (d = n->devs; d; d = d->next)
		for (i = 0; i < d->n_addrs; i++)
			if (d->addrs[i].family == AF_INET &&
			    !memcmp(d->addrs[i].addr, &target->addr, 4))
				return 1;
	return 0;
}

/**
 * rrs_etharp_request_src() - LWIP_HOOK_ETHARP_REQUEST_SRC (patch 0033)
 * @netif:	the device the request leaves by
 * @target:	the address asked for
 * @q:		the IPv4 packet waiting for the answer, or NULL
 *
 * As Linux's arp_solicit() with arp_announce 0: the source of the packet
 * when it is an address of the sandbox (not one being forwarded), else
 * inet_select_addr(): the device's address whose prefix holds @target,
 * else its first (net__select_src4()).
 *
 * Return: the address, or NULL for the netif's own
 */
const ip4_addr_t *rrs_etharp_request_src(struct netif *netif,
					 const ip4_addr_t *target,
					 const struct pbuf *q)
{
	static ip4_addr_t pick;
	struct net *n = net__hook();
	uint32_t ifindex;
	uint8_t out[4];

	if (!n)
		return NULL;
	if (q && q->len >= IP_HLEN &&
	    IPH_V((const struct ip_hdr *)q->payload) == 4) {
		ip4_addr_copy(pick, ((const struct ip_hdr *)q->payload)->src);
		if (rrs_etharp_for_us(netif, &pick))
			return &pick;
	}
	ifindex = ns__netif_ifindex(n->ns, netif);
	if (!ifindex ||
	    !net__select_src4(n, ifindex, (const uint8_t *)&target->addr, out))
		return NULL;
	memcpy(&pick.addr, out, 4);
	return &pick;
}

/**
 * rrs_ip4_select_src() - LWIP_HOOK_IP4_SELECT_SRC (patch 0027)
 * @netif:	the device a packet without a source leaves by
 * @dest:	its destination
 *
 * What `ip route get` says (net_route_get()), as Linux's source choice:
 * the route's preferred source (RTA_PREFSRC: BIRD's krt_prefsrc), a
 * local destination's own address, else net__select_src4() for the
 * route's device and next hop.  A local destination's packet leaves by
 * lo whichever device holds the address (its local route names that
 * one), and gets the same source, as Linux's ip_route_output_key_hash()
 * gives it.  When the packet leaves by another device than the route's
 * (a multicast interface the program chose), net__select_src4() for
 * that device.
 *
 * Return: the address, never NULL
 */
const ip_addr_t *rrs_ip4_select_src(struct netif *netif, const ip4_addr_t *dest)
{
	static ip_addr_t pick;
	struct net *n = net__hook();
	const uint8_t *d = (const uint8_t *)&dest->addr;
	struct rt_result res;
	uint32_t ifindex;
	uint8_t out[16];

	if (!n)
		return netif_ip_addr4(netif);
	ifindex = ns__netif_ifindex(n->ns, netif);
	if (net_route_get(n, AF_INET, d, ifindex, &res, out) &&
	    (netif != vdev_netif(n->ns->lo) ||
	     net_route_get(n, AF_INET, d, 0, &res, out) ||
	     res.route.type != RTN_LOCAL) &&
	    (!ifindex || !net__select_src4(n, ifindex, d, out)))
		return netif_ip_addr4(netif);
	memcpy(&ip_2_ip4(&pick)->addr, out, 4);
	IP_SET_TYPE_VAL(pick, IPADDR_TYPE_V4);
	return &pick;
}

/* lwIP's valid address @a (16 bytes), @netif's first (a link-local one is
 * its own), or NULL */
static const ip_addr_t *lwip_addr6(struct netif *netif, const uint8_t *a)
{
	struct netif *x;
	int i;

	for (i = 0; i < LWIP_IPV6_NUM_ADDRESSES; i++)
		if (ip6_addr_isvalid(netif_ip6_addr_state(netif, i)) &&
		    !memcmp(netif_ip6_addr(netif, i)->addr, a, 16))
			return &netif->ip6_addr[i];
	NETIF_FOREACH(x)
		for (i = 0; i < LWIP_IPV6_NUM_ADDRESSES; i++)
			if (ip6_addr_isvalid(netif_ip6_addr_state(x, i)) &&
			    !memcmp(netif_ip6_addr(x, i)->addr, a, 16))
				return &x->ip6_addr[i];
	return NULL;
}

/**
 * rrs_ip6_select_src() - LWIP_HOOK_IP6_SELECT_SRC_ADDR (patch 0024)
 * @netif:	the device the packet leaves by
 * @dest:	its destination
 *
 * The route's preferred source (RTA_PREFSRC: BIRD's krt_prefsrc) when it
 * has one that is an address of the sandbox, as Linux's
 * ip6_route_get_saddr(); else net__select_src6(), Linux's choice (what
 * `ip -6 route get` says); a destination that is the sandbox's own
 * address its own.  Without a network (unit tests)
 * rrs_ip6_select_src_dev() (sys_arch.c).
 *
 * Return: the address, or NULL for lwIP's own rules
 */
const ip_addr_t *rrs_ip6_select_src(struct netif *netif, const ip6_addr_t *dest)
{
	struct net *n = net__hook();
	const ip_addr_t *a = NULL;
	struct rt_result res;
	uint8_t pick[16];

	if (!n)
		return rrs_ip6_select_src_dev(netif, dest);
	/* one of the sandbox's own addresses (leaving by lo) is its own
	 * source, as on Linux: lo's ::1 would be dropped on arrival */
	if (!ip6_addr_ismulticast(dest) &&
	    (a = lwip_addr6(netif, (const uint8_t *)dest->addr)))
		return a;
	if (!ip6_addr_islinklocal(dest) && !ip6_addr_ismulticast(dest) &&
	    !rt_lookup(n->rt, 0, AF_INET6, (const uint8_t *)dest->addr, 0, &res) &&
	    res.route.has_prefsrc)
		a = lwip_addr6(netif, res.route.prefsrc);
	if (!a && net__select_src6(n, ns__netif_ifindex(n->ns, netif),
				   (const uint8_t *)dest->addr, pick))
		a = lwip_addr6(netif, pick);
	return a;
}

/* ---- IPv4 through IPv6 gateways (RTA_VIA, RFC 5549) ---- */

/**
 * net__link_output4() - a link device's IPv4 output (netif->output)
 * @netif:	the device
 * @p:		the packet, its IPv4 header first
 * @dest:	its destination
 *
 * lwIP's etharp_output() resolves an IPv4 next hop with ARP.  A route
 * through an IPv6 gateway (`via inet6 fe80::1`, what BIRD installs for
 * BGP's extended next hop) has none: the gateway's link-layer address
 * comes from neighbour discovery, as on Linux, and the packet goes out
 * as IPv4 to that address.  While the neighbour is being resolved the
 * packet waits in lwIP's neighbour cache (nd6_queue_packet()) and is
 * sent by rrs_nd6_send_queued() once it answers.  Everything else is
 * etharp_output()'s.
 *
 * Return: lwIP's error
 */
err_t net__link_output4(struct netif *netif, struct pbuf *p,
			const ip4_addr_t *dest)
{
	struct net *n = net__hook();
	const u8_t *hw = NULL;
	ip6_addr_t gw;
	err_t err;

	if (!n || ip4_addr_ismulticast(dest) || ip4_addr_isbroadcast(dest, netif))
		return etharp_output(netif, p, dest);
	if (n->c4_type <= 0 || !ip4_addr_cmp(&n->c4_dst, dest))
		rrs_ip4_route(NULL, dest);
	/* through another device than the route's (a socket chose it):
	 * that device's route, rrs_etharp_gw() */
	if (n->c4_type <= 0 || !ip4_addr_cmp(&n->c4_dst, dest) || !n->c4_via6 ||
	    n->c4_netif != netif)
		return etharp_output(netif, p, dest);
	ip6_addr_copy(gw, n->c4_gw6);
	if (ip6_addr_islinklocal(&gw))
		ip6_addr_assign_zone(&gw, IP6_UNICAST, netif);
	err = nd6_get_next_hop_addr_or_queue(netif, p, &gw, &hw);
	if (err != ERR_OK || !hw)
		return err;	/* queued (ERR_OK), or no room */
	return ethernet_output(netif, p, (const struct eth_addr *)netif->hwaddr,
			       (const struct eth_addr *)hw, ETHTYPE_IP);
}

/**
 * rrs_nd6_send_queued() - LWIP_HOOK_ND6_SEND_QUEUED (patch 0025)
 * @netif:	the device
 * @p:		a packet that waited for the neighbour
 * @lladdr:	the neighbour's link-layer address
 *
 * Return: nonzero when it was an IPv4 packet (net__link_output4()) and
 * has been sent; 0 for lwIP to send it as the IPv6 packet it is
 */
int rrs_nd6_send_queued(struct netif *netif, struct pbuf *p,
			const unsigned char *lladdr)
{
	if (!p->len || IPH_V((const struct ip_hdr *)p->payload) != 4)
		return 0;
	if (netif->flags & NETIF_FLAG_ETHERNET)
		ethernet_output(netif, p, (const struct eth_addr *)netif->hwaddr,
				(const struct eth_addr *)lladdr, ETHTYPE_IP);
	return 1;
}

/* ---- forwarding ---- */

/*
 * What a router answers when a lookup fails, by the lookup's error:
 * Linux's ip_error() (IPv4) and ip6_pkt_discard()/ip6_pkt_prohibit()
 * (IPv6, where `unreachable` is "no route" too).  Other errors (a `throw`
 * that found nothing) count as no route.
 */
static const struct {
	int err;
	int icmp4, icmp6;
} unreach[] = {
	{ -ENETUNREACH,	 0 /* net */,		0 /* no route */ },
	{ -EHOSTUNREACH, 1 /* host */,		0 /* no route */ },
	{ -EACCES,	 13 /* prohibited */,	1 /* admin prohibited */ },
	{ -EINVAL,	 RRS_FWD_DROP,		RRS_FWD_DROP },	/* blackhole */
};

/*
 * fwd_check() - the forwarding verdict from the route hook's last answer
 * @n:		the network
 * @v6:		IPv6 (else IPv4)
 * @match:	the hook's last lookup was for this packet's destination
 * @type:	its result: route type (> 0) or negative errno
 * @inp:	the device the packet came in on
 * @out:	the device the lookup chose, or NULL
 *
 * Return: RRS_FWD_GO, RRS_FWD_DROP, or an ICMP destination unreachable
 * code for the family
 */
static int fwd_check(const struct net *n, bool v6, bool match, int type,
		     const struct netif *inp, const struct netif *out)
{
	const struct netif *lo = vdev_netif(n->devs->vdev);
	unsigned int i;

	if (inp == lo || !net__forwards(n, v6, inp))
		return RRS_FWD_DROP;	/* Linux: martian; not forwarding */
	if (match && type > 0) {
		if (type != RTN_UNICAST || out == lo)
			return RRS_FWD_DROP;	/* local, broadcast, multicast */
		return out ? RRS_FWD_GO : 0;	/* 0: its device is down */
	}
	if (!match)		/* the hook was not asked: lwIP's own choice */
		return out && out != lo ? RRS_FWD_GO : 0;
	for (i = 0; i < sizeof(unreach) / sizeof(unreach[0]); i++)
		if (unreach[i].err == type)
			return v6 ? unreach[i].icmp6 : unreach[i].icmp4;
	return 0;
}

/**
 * rrs_ip4_forward_check() - LWIP_HOOK_IP4_FORWARD_CHECK (patch 0009)
 * @dest:	the packet's destination
 * @inp:	the device it came in on
 * @out:	the device ip4_forward()'s route lookup chose, or NULL
 *
 * Return: RRS_FWD_GO, RRS_FWD_DROP, or the ICMP unreachable code to send
 */
int rrs_ip4_forward_check(const ip4_addr_t *dest, struct netif *inp,
			  struct netif *out)
{
	struct net *n = net__hook();

	if (!n)
		return RRS_FWD_DROP;
	return fwd_check(n, false, ip4_addr_cmp(&n->c4_dst, dest), n->c4_type,
			 inp, out);
}

/**
 * rrs_ip6_forward_check() - LWIP_HOOK_IP6_FORWARD_CHECK (patch 0011)
 * @dest:	the packet's destination
 * @inp:	the device it came in on
 * @out:	the device ip6_forward()'s route lookup chose, or NULL
 *
 * Return: RRS_FWD_GO, RRS_FWD_DROP, or the ICMPv6 unreachable code to send
 */
int rrs_ip6_forward_check(const ip6_addr_t *dest, struct netif *inp,
			  struct netif *out)
{
	struct net *n = net__hook();

	if (!n)
		return RRS_FWD_DROP;
	return fwd_check(n, true, ip6_addr_cmp_zoneless(&n->c6_dst, dest),
			 n->c6_type, inp, out);
}

/* ---- pcap ---- */

static struct net_dev *dev_named(struct net *n, const char *name, char *err,
				 size_t errlen)
{
	struct net_link l;

	if (!n || !name || net_link_by_name(n, name, &l)) {
		net__seterr(err, errlen, "no device '%s'", name ? name : "");
		return NULL;
	}
	return net__dev(n, l.ifindex);
}

/**
 * net_pcap_start() - tap a device into a pcap file (replacing its tap)
 * @n:		the network
 * @ifname:	the device
 * @path:	the file (rotated to PATH.1 ... at VDEV_PCAP_MAX_BYTES)
 * @err:	set to the reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, -ENODEV, or the error opening the file
 */
int net_pcap_start(struct net *n, const char *ifname, const char *path,
		   char *err, size_t errlen)
{
	struct net_dev *d = dev_named(n, ifname, err, errlen);

	if (!d)
		return -ENODEV;
	if (!path || !*path) {
		net__seterr(err, errlen, "no file name");
		return -EINVAL;
	}
	return vdev_pcap_start(d->vdev, path, VDEV_PCAP_MAX_BYTES,
			       VDEV_PCAP_MAX_FILES, err, errlen);
}

/**
 * net_pcap_stop() - stop a device's tap
 * @n:		the network
 * @ifname:	the device
 * @err:	set to the reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, -ENODEV, or -ENOENT when it has no tap
 */
int net_pcap_stop(struct net *n, const char *ifname, char *err, size_t errlen)
{
	struct net_dev *d = dev_named(n, ifname, err, errlen);

	if (!d)
		return -ENODEV;
	if (!vdev_pcap_active(d->vdev)) {
		net__seterr(err, errlen, "'%s' has no capture running", ifname);
		return -ENOENT;
	}
	vdev_pcap_stop(d->vdev);
	return 0;
}

/**
 * net_capture_start() - tap a device into a pcap stream (`rrctl capture`)
 * @n:		the network
 * @ifname:	the device
 * @filter:	the frames to take (tcpdump's filter language), NULL or ""
 *		for all
 * @fd:		where the stream goes (vdev_stream_start()), not taken
 * @end:	told when the stream ends by itself (-ENODEV: the device
 *		was removed)
 * @arg:	for @end
 * @out:	the stream, for vdev_stream_stop()
 * @err:	set to the reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, -ENODEV, or vdev_stream_start()'s error
 */
int net_capture_start(struct net *n, const char *ifname, const char *filter,
		      int fd, vdev_stream_end_fn *end, void *arg,
		      struct vdev_stream **out, char *err, size_t errlen)
{
	struct net_dev *d = dev_named(n, ifname, err, errlen);

	if (!d)
		return -ENODEV;
	return vdev_stream_start(d->vdev, fd, filter, end, arg, out, err, errlen);
}

/**
 * net__pcap_auto() - start DIR/NAME.pcap for a device (--pcap DIR)
 * @n:		the network, with pcap_dir set
 * @d:		the device
 */
void net__pcap_auto(struct net *n, struct net_dev *d)
{
	char path[4096], err[256];
	int ret;

	if (snprintf(path, sizeof(path), "%s/%s.pcap", n->pcap_dir,
		     vdev_name(d->vdev)) >= (int)sizeof(path)) {
		warn("pcap: path for '%s' too long", vdev_name(d->vdev));
		return;
	}
	ret = vdev_pcap_start(d->vdev, path, VDEV_PCAP_MAX_BYTES,
			      VDEV_PCAP_MAX_FILES, err, sizeof(err));
	if (ret)
		warn("%s", err);
}

/**
 * net_pcap_dir() - tap every device, present and future, into DIR/NAME.pcap
 * @n:		the network
 * @dir:	an existing directory
 * @err:	set to the reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, -ENOTDIR, -ENOMEM, or the first device's error
 */
int net_pcap_dir(struct net *n, const char *dir, char *err, size_t errlen)
{
	char path[4096];
	struct net_dev *d;
	struct stat st;
	int ret;

	if (!n || !dir || stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		net__seterr(err, errlen, "pcap: '%s' is not a directory", dir ? dir : "");
		return -ENOTDIR;
	}
	free(n->pcap_dir);
	n->pcap_dir = strdup(dir);
	if (!n->pcap_dir)
		return -ENOMEM;
	for (d = n->devs; d; d = d->next) {
		snprintf(path, sizeof(path), "%s/%s.pcap", dir, vdev_name(d->vdev));
		ret = vdev_pcap_start(d->vdev, path, VDEV_PCAP_MAX_BYTES,
				      VDEV_PCAP_MAX_FILES, err, errlen);
		if (ret)
			return ret;
	}
	return 0;
}
