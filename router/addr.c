/* SPDX-License-Identifier: MIT */
/*
 * addr.c - the routes addresses and devices imply: the local, broadcast
 * and connected routes an address brings (Linux's fib_add_ifaddr() and
 * fib_magic() in net/ipv4/fib_frontend.c, addrconf_prefix_route() and the
 * local route of addrconf in net/ipv6/addrconf.c), taken away with it,
 * and the flushes when a device goes down or away.  Called by netstack/
 * through router.h; adds and removes routes through table.c, so every
 * derived change reaches the listener like any other.
 *
 * The set remembers the addresses it was told of, for two questions
 * Linux answers from its address lists: is a derived route still implied
 * by another address (then rt_addr_del() keeps it), and is an address
 * added twice (then nothing new is derived).  An address on the same
 * device and prefix as another adds no second connected route (Linux's
 * secondary addresses); removing the first does not promote the second's
 * source address into the remaining route.
 *
 * A point-to-point address (`ip addr add A peer P/len`: IFA_LOCAL A,
 * IFA_ADDRESS P) is told with its peer.  IPv4 takes every prefix from the
 * peer, as Linux's ifa_address: the connected route is P's network (even
 * for a /32: `P dev eth0 scope link src A`), the broadcast route its
 * broadcast address, and the subnet that makes primaries and secondaries
 * P's; IPv6 keeps A's prefix route and adds a /128 route to P
 * (__ipv6_ifa_notify()).  The local route is always A's.
 *
 * An address with RT_ADDR_NOPREFIXROUTE (IFA_F_NOPREFIXROUTE, `ip addr add
 * ... noprefixroute`) implies no connected route, as fib_add_ifaddr() and
 * inet6_addr_add() leave it out; its local, broadcast and peer routes
 * stay.  Adding the address again with other flags (`ip -6 addr change`)
 * adds or removes the connected route, as inet6_addr_modify() does.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>

#include "internal.h"

#define V6_CONNECTED_METRIC	256	/* IP6_RT_PRIO_ADDRCONF */
#define DERIVED_MAX		3	/* IPv4: local, broadcast, connected;
					 * IPv6: local, connected, peer */
#define DERIVED_MATCH		(RT_MATCH_TYPE | RT_MATCH_PROTOCOL | RT_MATCH_OIF | \
				 RT_MATCH_PRIORITY)

static struct rt_route *derived_one(struct rt_route *r, uint32_t table, uint8_t type,
				    uint32_t ifindex, uint8_t family, uint8_t scope)
{
	memset(r, 0, sizeof(*r));
	r->family = family;
	r->table = table;
	r->type = type;
	r->protocol = RTPROT_KERNEL;
	r->scope = scope;
	r->n_nh = 1;
	r->nh[0].ifindex = ifindex;
	r->nh[0].weight = 1;
	return r;
}

/* Where an address's prefixes come from: its peer's, else its own (IPv4;
 * Linux's ifa_address) */
static const uint8_t *pfx_of(const struct rt__addr *a)
{
	return a->has_peer && a->family == AF_INET ? a->peer : a->addr;
}

/*
 * primary4() - the primary of IPv4 address @a's subnet on its device: the
 * first added of the same prefix length and subnet (@a itself when it is
 * the first).  A secondary's routes take it as their source, as
 * fib_add_ifaddr() does; the list keeps the order addresses were added.
 */
static const struct rt__addr *primary4(const struct rt_set *s, const struct rt__addr *a)
{
	uint32_t x, y, m = a->plen ? ~0u << (32 - a->plen) : 0;
	size_t j;

	memcpy(&x, pfx_of(a), 4);
	for (j = 0; j < s->n_addrs; j++) {
		const struct rt__addr *o = &s->addrs[j];

		if (o == a)
			break;
		memcpy(&y, pfx_of(o), 4);
		if (o->ifindex == a->ifindex && o->family == AF_INET &&
		    o->plen == a->plen && !((ntohl(x) ^ ntohl(y)) & m))
			return o;
	}
	return a;
}

/*
 * derived() - the routes an address implies
 * IPv4 (fib_add_ifaddr()): `local A` (scope host) in table local; while
 * the link is up, the connected `NET/len` (scope link) in main (on the
 * loopback: `local NET/len`, scope host, in table local), unless it would
 * be A/32 itself, or @a is noprefixroute, then for a prefix shorter than
 * 31 `broadcast B` (scope link) in table local, in that order; all with
 * proto kernel, src A (the primary's), metric 0.  Down, the device keeps
 * only its local routes (rt_link_down()).
 * B and NET are the peer's when there is one.  IPv6: `local A` in table
 * local, metric 0, and the connected `NET/len` in main with metric 256,
 * proto kernel, no source, and the same for `PEER/128`; Linux reports
 * them with scope universe (rt6_fill_node()).  The connected IPv6 routes
 * also wait for the link (Linux keeps them flagged linkdown;
 * rt_link_down() removes IPv6 routes too, so this keeps the two families
 * alike).
 * Return: number of routes in @out
 */
static unsigned int derived(const struct rt_set *s, const struct rt__addr *a,
			    bool link_up, struct rt_route out[DERIVED_MAX])
{
	bool lo = a->ifindex == s->lo_ifindex;
	bool v4 = a->family == AF_INET;
	unsigned int n = 0, bytes = v4 ? 4 : 16, k, host = v4 ? 32 : 128;
	const uint8_t *pfx = pfx_of(a);
	struct rt_route *r;

	r = derived_one(&out[n++], RT_TABLE_LOCAL_ID, RTN_LOCAL, a->ifindex, a->family,
			v4 ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE);
	r->dst_len = (uint8_t)host;
	memcpy(r->dst, a->addr, bytes);
	if (link_up && !a->noprefix &&
	    (!v4 || a->plen < 32 || memcmp(pfx, a->addr, 4))) {
		/* fib_add_ifaddr(): on the loopback the prefix is local too */
		if (v4 && lo)
			r = derived_one(&out[n++], RT_TABLE_LOCAL_ID, RTN_LOCAL,
					a->ifindex, a->family, RT_SCOPE_HOST);
		else
			r = derived_one(&out[n++], RT_TABLE_MAIN_ID, RTN_UNICAST,
					a->ifindex, a->family,
					v4 ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE);
		r->dst_len = a->plen;
		r->priority = v4 ? 0 : V6_CONNECTED_METRIC;
		for (k = 0; k < bytes; k++)
			r->dst[k] = (uint8_t)(pfx[k] &
					      (k * 8 + 8 <= a->plen ? 0xff :
					       k * 8 >= a->plen ? 0 :
					       0xff00 >> (a->plen - k * 8)));
	}
	if (link_up && v4 && a->plen < 31) {
		r = derived_one(&out[n++], RT_TABLE_LOCAL_ID, RTN_BROADCAST, a->ifindex,
				a->family, RT_SCOPE_LINK);
		r->dst_len = 32;
		for (k = 0; k < 4; k++)
			r->dst[k] = (uint8_t)(pfx[k] |
					      (k * 8 >= a->plen ? 0xff :
					       k * 8 + 8 <= a->plen ? 0 :
					       0xff >> (a->plen - k * 8)));
	}
	if (link_up && !v4 && a->has_peer) {
		r = derived_one(&out[n++], RT_TABLE_MAIN_ID, RTN_UNICAST, a->ifindex,
				a->family, RT_SCOPE_UNIVERSE);
		r->dst_len = 128;
		r->priority = V6_CONNECTED_METRIC;
		memcpy(r->dst, a->peer, 16);
	}
	for (k = 0; v4 && k < n; k++) {
		out[k].has_prefsrc = true;
		memcpy(out[k].prefsrc, primary4(s, a)->addr, 4);
	}
	return n;
}

static struct rt__addr *addr_find(const struct rt_set *s, const struct rt__addr *a)
{
	size_t k;

	for (k = 0; k < s->n_addrs; k++) {
		const struct rt__addr *o = &s->addrs[k];

		if (o->ifindex == a->ifindex && o->family == a->family &&
		    o->plen == a->plen && o->has_peer == a->has_peer &&
		    !memcmp(o->addr, a->addr, 16) && !memcmp(o->peer, a->peer, 16))
			return &s->addrs[k];
	}
	return NULL;
}

/* The record rt_addr_add() and rt_addr_del() look for; a peer equal to
 * the address is none, as Linux's IFA_ADDRESS equal to IFA_LOCAL */
static void addr_key(struct rt__addr *a, uint32_t ifindex, uint8_t family,
		     const uint8_t *addr, uint8_t plen, const uint8_t *peer)
{
	size_t len = family == AF_INET ? 4 : 16;

	memset(a, 0, sizeof(*a));
	a->ifindex = ifindex;
	a->family = family;
	a->plen = plen;
	memcpy(a->addr, addr, len);
	if (peer && memcmp(peer, addr, len)) {
		a->has_peer = true;
		memcpy(a->peer, peer, len);
	}
}

static int check(const struct rt_set *s, uint32_t ifindex, uint8_t family,
		 const uint8_t *addr, uint8_t plen)
{
	if (!s || !addr || !ifindex || (family != AF_INET && family != AF_INET6) ||
	    plen > (family == AF_INET ? 32 : 128))
		return -EINVAL;
	return 0;
}

/**
 * rt_addr_add() - add the routes an address on a device implies
 * @s:		set
 * @ifindex:	the device
 * @family:	AF_INET or AF_INET6
 * @addr:	the address, 4 or 16 bytes
 * @plen:	its prefix length
 * @peer:	the other end of a point-to-point address, or NULL
 * @link_up:	whether the device is up (connected routes only then)
 *
 * rt_addr_add_flags() without flags.
 * Return: 0, -EINVAL, -ENOMEM
 */
int rt_addr_add(struct rt_set *s, uint32_t ifindex, uint8_t family,
		const uint8_t *addr, uint8_t plen, const uint8_t *peer,
		bool link_up)
{
	return rt_addr_add_flags(s, ifindex, family, addr, plen, peer, link_up, 0);
}

/* Whether the routes @r[@n] hold one like @x (table, type, prefix) */
static bool among(const struct rt_route *r, unsigned int n, const struct rt_route *x)
{
	unsigned int k;

	for (k = 0; k < n; k++)
		if (r[k].table == x->table && r[k].type == x->type &&
		    r[k].dst_len == x->dst_len && !memcmp(r[k].dst, x->dst, 16))
			return true;
	return false;
}

static bool implied_by_other(const struct rt_set *s, const struct rt__addr *a,
			     const struct rt_route *r);

/**
 * rt_addr_add_flags() - add the routes an address on a device implies
 * @s:		set
 * @ifindex:	the device
 * @family:	AF_INET or AF_INET6
 * @addr:	the address, 4 or 16 bytes
 * @plen:	its prefix length
 * @peer:	the other end of a point-to-point address, or NULL
 * @link_up:	whether the device is up (connected routes only then)
 * @flags:	RT_ADDR_NOPREFIXROUTE or 0
 *
 * Calling it again for the same address (say, once the link is up) adds
 * what is missing; with RT_ADDR_NOPREFIXROUTE changed, it also removes
 * the connected route the address no longer implies (unless another
 * address implies it), as inet6_addr_modify() does.
 * Return: 0, -EINVAL, -ENOMEM
 */
int rt_addr_add_flags(struct rt_set *s, uint32_t ifindex, uint8_t family,
		      const uint8_t *addr, uint8_t plen, const uint8_t *peer,
		      bool link_up, unsigned int flags)
{
	struct rt_route r[DERIVED_MAX], o[DERIVED_MAX];
	struct rt__addr a, *v;
	unsigned int n, k, no = 0;
	int ret;

	ret = check(s, ifindex, family, addr, plen);
	if (ret)
		return ret;
	addr_key(&a, ifindex, family, addr, plen, peer);
	v = addr_find(s, &a);
	if (!v) {
		v = rt__alloc(&s->bytes, (s->n_addrs + 1) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		if (s->n_addrs)
			memcpy(v, s->addrs, s->n_addrs * sizeof(*v));
		rt__free(&s->bytes, s->addrs, s->n_addrs * sizeof(*v));
		s->addrs = v;
		v = &s->addrs[s->n_addrs++];
		*v = a;
		v->noprefix = flags & RT_ADDR_NOPREFIXROUTE;
	} else if (v->noprefix != !!(flags & RT_ADDR_NOPREFIXROUTE)) {
		no = derived(s, v, link_up, o);
		v->noprefix = !v->noprefix;
	}
	n = derived(s, v, link_up, r);
	for (k = 0; k < no; k++)	/* what the old flags implied alone */
		if (!among(r, n, &o[k]) && !implied_by_other(s, v, &o[k]))
			rt_del(s, &o[k], DERIVED_MATCH);
	for (k = 0; k < n; k++) {
		/* there already: the same address again, or a secondary one */
		if (rt__route_exists(s, &r[k], DERIVED_MATCH))
			continue;
		ret = rt_add(s, &r[k], RT_ADD_CREATE | RT_ADD_APPEND);
		if (ret && ret != -EEXIST)
			return ret;
	}
	return 0;
}

/* Whether an address other than @a implies a route like @r */
static bool implied_by_other(const struct rt_set *s, const struct rt__addr *a,
			     const struct rt_route *r)
{
	struct rt_route o[DERIVED_MAX];
	size_t j;

	for (j = 0; j < s->n_addrs; j++) {
		if (&s->addrs[j] == a || s->addrs[j].ifindex != a->ifindex ||
		    s->addrs[j].family != a->family)
			continue;
		if (among(o, derived(s, &s->addrs[j], true, o), r))
			return true;
	}
	return false;
}

/**
 * rt_addr_del() - remove the routes an address implied, unless another
 * address on the device implies them too
 * @s:		set
 * @ifindex:	the device
 * @family:	AF_INET or AF_INET6
 * @addr:	the address
 * @plen:	its prefix length
 * @peer:	its peer as it was added, or NULL
 *
 * Return: 0, -EINVAL, -EADDRNOTAVAIL for an address never added
 */
int rt_addr_del(struct rt_set *s, uint32_t ifindex, uint8_t family,
		const uint8_t *addr, uint8_t plen, const uint8_t *peer)
{
	struct rt_route r[DERIVED_MAX];
	struct rt__addr key, *a;
	unsigned int n, k;
	int ret;

	ret = check(s, ifindex, family, addr, plen);
	if (ret)
		return ret;
	addr_key(&key, ifindex, family, addr, plen, peer);
	a = addr_find(s, &key);
	if (!a)
		return -EADDRNOTAVAIL;
	n = derived(s, a, true, r);
	for (k = 0; k < n; k++)
		if (!implied_by_other(s, a, &r[k]))
			rt_del(s, &r[k], DERIVED_MATCH);	/* -ESRCH: already gone */
	/* keep the order: the first of a subnet is its primary (primary4()) */
	memmove(a, a + 1, (size_t)(&s->addrs[--s->n_addrs] - a) * sizeof(*a));
	s->addrs = rt__resize(&s->bytes, s->addrs, (s->n_addrs + 1) * sizeof(*a),
			      s->n_addrs * sizeof(*a));
	return 0;
}

/**
 * rt_dev_mroute_add() - give a device its IPv6 multicast route, as Linux's
 * addrconf_add_mroute() when the device gets IPv6 (up with a carrier,
 * disable_ipv6 turned off, an IPv6 address added): `multicast ff00::/8
 * dev DEV table local proto kernel metric 256`, appended after the other
 * devices' (so the first device's takes a group without a device)
 * @s:		set
 * @ifindex:	the device (never the loopback: Linux gives lo none)
 *
 * A route of ff00::/8 in table local with metric 256 through the device
 * is there already: nothing changes, as fib6_add_rt2node() answers a
 * duplicate next hop with a silent -EEXIST whatever its type or protocol.
 * Return: 0, -EINVAL, -ENOMEM
 */
int rt_dev_mroute_add(struct rt_set *s, uint32_t ifindex)
{
	struct rt_route r;
	int ret;

	if (!s || !ifindex || ifindex == s->lo_ifindex)
		return -EINVAL;
	derived_one(&r, RT_TABLE_LOCAL_ID, RTN_MULTICAST, ifindex, AF_INET6,
		    RT_SCOPE_UNIVERSE);
	r.dst[0] = 0xff;
	r.dst_len = 8;
	r.priority = V6_CONNECTED_METRIC;	/* IP6_RT_PRIO_ADDRCONF */
	if (rt__route_exists(s, &r, RT_MATCH_OIF | RT_MATCH_PRIORITY))
		return 0;
	ret = rt_add(s, &r, RT_ADD_CREATE | RT_ADD_APPEND);
	return ret == -EEXIST ? 0 : ret;
}

/* `anycast ADDR dev DEV table local proto kernel metric 0` */
static void acast_route(struct rt_route *r, uint32_t ifindex, const uint8_t *addr)
{
	derived_one(r, RT_TABLE_LOCAL_ID, RTN_ANYCAST, ifindex, AF_INET6,
		    RT_SCOPE_UNIVERSE);
	memcpy(r->dst, addr, 16);
	r->dst_len = 128;
}

/**
 * rt_dev_acast_add() - add an anycast address's route, as Linux's
 * __ipv6_dev_ac_inc() inserts it (addrconf_f6i_alloc(anycast)): `anycast
 * ADDR dev DEV table local proto kernel metric 0`, after the routes of the
 * same prefix already there
 * @s:		set
 * @ifindex:	the device that joined it
 * @addr:	the anycast address, 16 bytes
 *
 * A route of ADDR/128 in table local with metric 0 through the device is
 * there already (the device's own address ADDR, or the anycast route
 * itself): nothing changes, as fib6_add_rt2node() answers a duplicate
 * next hop with -EEXIST, which ip6_ins_rt()'s callers ignore.
 * Return: 0, -EINVAL, -ENOMEM
 */
int rt_dev_acast_add(struct rt_set *s, uint32_t ifindex, const uint8_t *addr)
{
	struct rt_route r;
	int ret;

	if (!s || !ifindex || !addr)
		return -EINVAL;
	acast_route(&r, ifindex, addr);
	if (rt__route_exists(s, &r, RT_MATCH_OIF | RT_MATCH_PRIORITY))
		return 0;
	ret = rt_add(s, &r, RT_ADD_CREATE | RT_ADD_APPEND);
	return ret == -EEXIST ? 0 : ret;
}

/**
 * rt_dev_acast_del() - remove an anycast address's route (the device
 * left it: __ipv6_dev_ac_dec()'s ip6_del_rt())
 * @s:		set
 * @ifindex:	the device
 * @addr:	the anycast address, 16 bytes
 *
 * Return: 0, -EINVAL, -ESRCH when it was gone already (deleted by hand,
 * or with its device's routes)
 */
int rt_dev_acast_del(struct rt_set *s, uint32_t ifindex, const uint8_t *addr)
{
	struct rt_route r;

	if (!s || !ifindex || !addr)
		return -EINVAL;
	acast_route(&r, ifindex, addr);
	return rt_del(s, &r, DERIVED_MATCH);
}

/**
 * rt_link_down() - a device went down: remove the routes whose next hops
 * all use it, except the local ones in the local table (IPv4's broadcast
 * routes go: fib_sync_down_dev() and fib_flush(); rt6_sync_down_dev() takes every
 * IPv6 route, but the sandbox keeps its IPv6 addresses' local routes, as
 * it keeps the addresses)
 * @s:		set
 * @ifindex:	the device
 */
void rt_link_down(struct rt_set *s, uint32_t ifindex)
{
	if (s && ifindex)
		rt__link_flush(s, ifindex, false);
}

/**
 * rt_link_gone() - a device went away: remove every route through it, in
 * every table; multipath routes lose its next hops (and go when none is
 * left); its addresses are forgotten
 * @s:		set
 * @ifindex:	the device
 */
void rt_link_gone(struct rt_set *s, uint32_t ifindex)
{
	size_t k = 0, was;

	if (!s || !ifindex)
		return;
	rt__link_flush(s, ifindex, true);
	was = s->n_addrs;
	while (k < s->n_addrs) {
		if (s->addrs[k].ifindex == ifindex)
			s->addrs[k] = s->addrs[--s->n_addrs];
		else
			k++;
	}
	if (s->n_addrs != was)
		s->addrs = rt__resize(&s->bytes, s->addrs, was * sizeof(*s->addrs),
				      s->n_addrs * sizeof(*s->addrs));
}

void rt__addrs_free(struct rt_set *s)
{
	free(s->addrs);
}

/**
 * rt_set_loopback() - name the loopback device
 * @s:		set
 * @ifindex:	its index
 *
 * IPv4 prefixes of the loopback's addresses become local routes (Linux's
 * `local 127.0.0.0/8 dev lo table local`), not connected ones.  Call it
 * before adding the loopback's addresses.
 */
void rt_set_loopback(struct rt_set *s, uint32_t ifindex)
{
	if (s)
		s->lo_ifindex = ifindex;
}
