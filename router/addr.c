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
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>

#include "internal.h"

#define V6_CONNECTED_METRIC	256	/* IP6_RT_PRIO_ADDRCONF */
#define DERIVED_MAX		3
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

	memcpy(&x, a->addr, 4);
	for (j = 0; j < s->n_addrs; j++) {
		const struct rt__addr *o = &s->addrs[j];

		if (o == a)
			break;
		memcpy(&y, o->addr, 4);
		if (o->ifindex == a->ifindex && o->family == AF_INET &&
		    o->plen == a->plen && !((ntohl(x) ^ ntohl(y)) & m))
			return o;
	}
	return a;
}

/*
 * derived() - the routes an address implies
 * IPv4 (fib_add_ifaddr()): `local A` (scope host) and, for a prefix
 * shorter than 31, `broadcast B` (scope link) in table local; the
 * connected `NET/len` (scope link) in main while the link is up (on the
 * loopback: `local NET/len`, scope host, in table local); all with
 * proto kernel, src A, metric 0.  IPv6: `local A` in table local, metric
 * 0, and the connected `NET/len` in main with metric 256, proto kernel,
 * no source; Linux reports both with scope universe (rt6_fill_node()).
 * The connected IPv6 route also waits for the link (Linux keeps it
 * flagged linkdown; rt_link_down() removes IPv6 routes too, so this
 * keeps the two families alike).
 * Return: number of routes in @out
 */
static unsigned int derived(const struct rt_set *s, const struct rt__addr *a,
			    bool link_up, struct rt_route out[DERIVED_MAX])
{
	bool lo = a->ifindex == s->lo_ifindex;
	bool v4 = a->family == AF_INET;
	unsigned int n = 0, bytes = v4 ? 4 : 16, k, host = v4 ? 32 : 128;
	struct rt_route *r;

	r = derived_one(&out[n++], RT_TABLE_LOCAL_ID, RTN_LOCAL, a->ifindex, a->family,
			v4 ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE);
	r->dst_len = (uint8_t)host;
	memcpy(r->dst, a->addr, bytes);
	if (v4 && a->plen < 31) {
		r = derived_one(&out[n++], RT_TABLE_LOCAL_ID, RTN_BROADCAST, a->ifindex,
				a->family, RT_SCOPE_LINK);
		r->dst_len = 32;
		for (k = 0; k < 4; k++)
			r->dst[k] = (uint8_t)(a->addr[k] |
					      (k * 8 >= a->plen ? 0xff :
					       k * 8 + 8 <= a->plen ? 0 :
					       0xff >> (a->plen - k * 8)));
	}
	if (link_up && (!v4 || a->plen < 32)) {
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
			r->dst[k] = (uint8_t)(a->addr[k] &
					      (k * 8 + 8 <= a->plen ? 0xff :
					       k * 8 >= a->plen ? 0 :
					       0xff00 >> (a->plen - k * 8)));
	}
	for (k = 0; v4 && k < n; k++) {
		out[k].has_prefsrc = true;
		memcpy(out[k].prefsrc, primary4(s, a)->addr, 4);
	}
	return n;
}

static struct rt__addr *addr_find(const struct rt_set *s, uint32_t ifindex, uint8_t family,
				  const uint8_t *addr, uint8_t plen)
{
	size_t k;

	for (k = 0; k < s->n_addrs; k++) {
		if (s->addrs[k].ifindex == ifindex && s->addrs[k].family == family &&
		    s->addrs[k].plen == plen &&
		    !memcmp(s->addrs[k].addr, addr, family == AF_INET ? 4 : 16))
			return &s->addrs[k];
	}
	return NULL;
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
 * @link_up:	whether the device is up (connected routes only then)
 *
 * Calling it again for the same address (say, once the link is up) adds
 * what is missing.
 * Return: 0, -EINVAL, -ENOMEM
 */
int rt_addr_add(struct rt_set *s, uint32_t ifindex, uint8_t family,
		const uint8_t *addr, uint8_t plen, bool link_up)
{
	struct rt_route r[DERIVED_MAX];
	struct rt__addr a = { ifindex, family, plen, { 0 } }, *v;
	unsigned int n, k;
	int ret;

	ret = check(s, ifindex, family, addr, plen);
	if (ret)
		return ret;
	memcpy(a.addr, addr, family == AF_INET ? 4 : 16);
	if (!addr_find(s, ifindex, family, addr, plen)) {
		v = rt__alloc(&s->bytes, (s->n_addrs + 1) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		if (s->n_addrs)
			memcpy(v, s->addrs, s->n_addrs * sizeof(*v));
		rt__free(&s->bytes, s->addrs, s->n_addrs * sizeof(*v));
		s->addrs = v;
		s->addrs[s->n_addrs++] = a;
	}
	n = derived(s, &a, link_up, r);
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
	unsigned int n, k;
	size_t j;

	for (j = 0; j < s->n_addrs; j++) {
		if (&s->addrs[j] == a || s->addrs[j].ifindex != a->ifindex ||
		    s->addrs[j].family != a->family)
			continue;
		n = derived(s, &s->addrs[j], true, o);
		for (k = 0; k < n; k++)
			if (o[k].table == r->table && o[k].type == r->type &&
			    o[k].dst_len == r->dst_len && !memcmp(o[k].dst, r->dst, 16))
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
 *
 * Return: 0, -EINVAL, -EADDRNOTAVAIL for an address never added
 */
int rt_addr_del(struct rt_set *s, uint32_t ifindex, uint8_t family,
		const uint8_t *addr, uint8_t plen)
{
	struct rt_route r[DERIVED_MAX];
	struct rt__addr *a;
	unsigned int n, k;
	int ret;

	ret = check(s, ifindex, family, addr, plen);
	if (ret)
		return ret;
	a = addr_find(s, ifindex, family, addr, plen);
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
 * rt_link_down() - a device went down: remove the routes whose next hops
 * all use it, except in the local table (fib_sync_down_dev() and
 * fib_flush(); IPv6 treated the same way for simplicity)
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
