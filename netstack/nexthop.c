/* SPDX-License-Identifier: MIT */
/*
 * nexthop.c - nexthop objects (`ip nexthop`, RTM_*NEXTHOP): a gateway on
 * a device, a device alone, a blackhole, a bridge's FDB gateway, and
 * hash-threshold groups of them, kept by id; and the routes that name one
 * (`ip route add PREFIX nhid ID`), which follow it.
 *
 * Follows Linux 6.18's net/ipv4/nexthop.c: what a nexthop may be and
 * which checks refuse it, in their order (rtnl_nexthop.c makes those of
 * the request itself); ids given out from the last one given; a replace
 * that keeps the id, its groups and its routes; a delete that takes its
 * routes and its place in groups (a group left empty goes too), told as
 * RTM_DELNEXTHOP for it and RTM_NEWNEXTHOP for each group that shrank; a
 * device going down or away taking its nexthops silently
 * (nh_netdev_event()).
 *
 * A route keeps its nexthop's id (rt_route.nhid) and its next hops
 * expanded, which router/ looks up as any route's: rt_nhid_set() gives
 * the routes the next hops again whenever the nexthop, or a member of
 * their group, changes.  Resilient groups (NHA_RES_GROUP) are not kept:
 * rtnl_nexthop.c refuses them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>

#include "netint.h"
#include "router.h"
#include "vdev.h"

/**
 * nh_find() - where nexthop @id is in the sorted array, or would go
 * @n:		the network
 * @id:		the id
 * @found:	set to whether it is there
 *
 * Return: its index
 */
static size_t nh_find(const struct net *n, uint32_t id, bool *found)
{
	size_t lo = 0, hi = n->n_nhs, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (n->nhs[mid]->id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < n->n_nhs && n->nhs[lo]->id == id;
	return lo;
}

const struct net_nh *net_nh_get(const struct net *n, uint32_t id)
{
	bool found;
	size_t i;

	if (!n || !id)
		return NULL;
	i = nh_find(n, id, &found);
	return found ? n->nhs[i] : NULL;
}

/**
 * net_nh_walk() - call @fn for each nexthop object past @after, by id
 * @n:		the network
 * @after:	the last id already seen (0: from the first)
 * @fn:		non-zero stops the walk
 * @arg:	its argument
 *
 * Return: 0, or what @fn returned to stop
 */
int net_nh_walk(struct net *n, uint32_t after, net_nh_fn *fn, void *arg)
{
	bool found;
	size_t i;
	int ret;

	if (!n || !fn)
		return 0;
	i = nh_find(n, after, &found);
	for (i += found; i < n->n_nhs; i++)
		if ((ret = fn(arg, n->nhs[i])))
			return ret;
	return 0;
}

static void emit_nh(struct net *n, const struct net_nh *nh, bool gone)
{
	struct net_event ev = {
		.type = gone ? NET_EV_DELNEXTHOP : NET_EV_NEWNEXTHOP,
		.nh = nh,
	};

	net__emit(n, &ev);
}

static bool has_member(const struct net_nh *g, uint32_t id)
{
	unsigned int k;

	for (k = 0; k < g->n_grp; k++)
		if (g->grp[k].id == id)
			return true;
	return false;
}

/* A group's member that is itself a group never exists (refused), so one
 * level is all there is. */
static bool group_has_v4(const struct net *n, const struct net_nh *g)
{
	const struct net_nh *m;
	unsigned int i;

	for (i = 0; i < g->n_grp; i++)
		if ((m = net_nh_get(n, g->grp[i].id)) && m->family == AF_INET)
			return true;
	return false;
}

/* Whether a group's only member is a blackhole (nexthop_is_blackhole()) */
static bool nh_is_blackhole(const struct net *n, const struct net_nh *nh)
{
	const struct net_nh *m;

	if (nh->n_grp == 1 && (m = net_nh_get(n, nh->grp[0].id)))
		return m->blackhole;
	return nh->blackhole;
}

/* One next hop of a route from single nexthop @nh, of weight @w */
static void hop_form(const struct net_nh *nh, uint16_t w, struct rt_nexthop *h)
{
	memset(h, 0, sizeof(*h));
	h->ifindex = nh->ifindex;
	h->flags = (uint8_t)(nh->flags & RTNH_F_ONLINK);
	h->weight = w;
	if (nh->has_gw) {
		h->has_gw = true;
		h->gw_family = nh->family;
		memcpy(h->gw, nh->gw, 16);
	}
}

/*
 * nh_form() - what a route on nexthop @nh forwards by: @to's type
 * (RTN_BLACKHOLE for a blackhole, else RTN_UNICAST), n_nh and nh[]; @n
 * has a group's members
 */
static void nh_form(const struct net *n, const struct net_nh *nh,
		    struct rt_route *to)
{
	const struct net_nh *m;
	unsigned int i;

	to->n_nh = 0;
	to->type = nh_is_blackhole(n, nh) ? RTN_BLACKHOLE : RTN_UNICAST;
	if (to->type == RTN_BLACKHOLE)
		return;
	if (!nh->n_grp) {
		hop_form(nh, 1, &to->nh[to->n_nh++]);
		return;
	}
	for (i = 0; i < nh->n_grp && to->n_nh < RT_MAX_NEXTHOPS; i++)
		if ((m = net_nh_get(n, nh->grp[i].id)))
			hop_form(m, nh->grp[i].weight, &to->nh[to->n_nh++]);
}

/**
 * net_nh_view() - a route on a nexthop object as dumps and /proc show it
 * (Linux's nexthop_compat_mode 1): the next hops the object has now (a
 * route that rejects by its own type shows them too), its own type kept
 * @n:		the network
 * @r:		the route
 * @v:		filled with the view when @r names an object
 * @bh:		set to whether the object is a blackhole (then @v has no
 *		next hop, and Linux shows the loopback)
 *
 * Return: the object, or NULL when @r names none (@v untouched)
 */
const struct net_nh *net_nh_view(const struct net *n, const struct rt_route *r,
				 struct rt_route *v, bool *bh)
{
	const struct net_nh *nh = r->nhid ? net_nh_get(n, r->nhid) : NULL;

	*bh = false;
	if (!nh)
		return NULL;
	*v = *r;
	nh_form(n, nh, v);
	*bh = v->type == RTN_BLACKHOLE;
	v->type = r->type;
	return nh;
}

/* The routes on @nh take what it is now (@tell: and say so) */
static void routes_follow(struct net *n, const struct net_nh *nh, bool tell)
{
	struct rt_route *to = malloc(sizeof(*to));
	bool quiet = n->quiet;

	if (!to)
		return;		/* the routes keep the next hops they had */
	memset(to, 0, sizeof(*to));
	nh_form(n, nh, to);
	n->quiet = quiet || !tell;
	rt_nhid_set(n->rt, nh->id, to);
	n->quiet = quiet;
	free(to);
}

/* The routes on nexthop @id go: IPv4's untold (fib_table_flush()), IPv6's
 * told (fib6_clean_all() with compat mode on, Linux's default) */
static void routes_flush(struct net *n, uint32_t id)
{
	bool quiet = n->quiet_v4_del;

	n->quiet_v4_del = true;
	rt_nhid_set(n->rt, id, NULL);
	n->quiet_v4_del = quiet;
}

static void nh_unlink(struct net *n, size_t i)
{
	memmove(&n->nhs[i], &n->nhs[i + 1], (n->n_nhs - i - 1) * sizeof(n->nhs[0]));
	n->n_nhs--;
}

static void nh_remove(struct net *n, uint32_t id, bool tell);

/* The newest group with member @id, NULL for none */
static struct net_nh *newest_group(const struct net *n, uint32_t id)
{
	struct net_nh *g = NULL;
	size_t i;

	for (i = 0; i < n->n_nhs; i++)
		if (has_member(n->nhs[i], id) && (!g || n->nhs[i]->made > g->made))
			g = n->nhs[i];
	return g;
}

/*
 * The groups with member @id lose it (remove_nh_grp_entry()), newest
 * first as Linux's list of them runs: one left empty goes as a delete of
 * its own; one that shrank is told when @tell (a request's delete; a
 * device's is untold), and its routes take the members left without a
 * word.
 */
static void groups_drop(struct net *n, uint32_t id, bool tell)
{
	struct net_nh *g;
	unsigned int k;

	while ((g = newest_group(n, id))) {
		for (k = 0; g->grp[k].id != id; k++)
			;
		if (g->n_grp == 1) {
			nh_remove(n, g->id, tell);
			continue;
		}
		memmove(&g->grp[k], &g->grp[k + 1],
			(g->n_grp - k - 1) * sizeof(g->grp[0]));
		g->n_grp--;
		if (tell)
			emit_nh(n, g, false);
		routes_follow(n, g, false);
	}
}

/* remove_nexthop(): told first (@tell), then its routes and its groups */
static void nh_remove(struct net *n, uint32_t id, bool tell)
{
	struct net_nh *nh;
	bool found;
	size_t i;

	i = nh_find(n, id, &found);
	if (!found)
		return;
	nh = n->nhs[i];
	if (tell)
		emit_nh(n, nh, true);
	routes_flush(n, id);
	nh_unlink(n, i);
	free(nh);
	groups_drop(n, id, tell);
}

/**
 * net_nh_del() - delete nexthop @id (RTM_DELNEXTHOP), the routes on it,
 * and its place in groups; a group's members stay
 * @n:		the network
 * @id:		its id
 *
 * Return: 0, -ENOENT when there is none
 */
int net_nh_del(struct net *n, uint32_t id)
{
	if (!net_nh_get(n, id))
		return -ENOENT;
	nh_remove(n, id, true);
	return 0;
}

/**
 * net__nh_dev_down() - a device went down, lost its carrier or went away:
 * its nexthops go without a word (nexthop_flush_dev()), and with them
 * their routes and their places in groups
 * @n:		the network
 * @ifindex:	the device
 */
void net__nh_dev_down(struct net *n, uint32_t ifindex)
{
	size_t i;

	for (i = 0; i < n->n_nhs; i++) {
		if (n->nhs[i]->ifindex != ifindex || n->nhs[i]->n_grp)
			continue;
		nh_remove(n, n->nhs[i]->id, false);
		i = (size_t)-1;
	}
}

void net__nh_free(struct net *n)
{
	size_t i;

	for (i = 0; i < n->n_nhs; i++)
		free(n->nhs[i]);
	free(n->nhs);
	n->nhs = NULL;
	n->n_nhs = n->cap_nhs = 0;
}

/* nh_check_attr_group()'s look at the members, in its order */
static int check_members(struct net *n, const struct net_nh *g, char *err,
			 size_t errlen)
{
	const struct net_nh *m;
	unsigned int i;

	for (i = 0; i < g->n_grp; i++) {
		m = net_nh_get(n, g->grp[i].id);
		if (!m) {
			net__seterr(err, errlen, "Invalid nexthop id");
			return -EINVAL;
		}
		if (m->n_grp) {
			net__seterr(err, errlen, "Hash-threshold group can not be a nexthop within a group");
			return -EINVAL;
		}
		if (m->blackhole && g->n_grp > 1) {
			net__seterr(err, errlen, "Blackhole nexthop can not be used in a group with more than 1 path");
			return -EINVAL;
		}
		if (g->fdb && !m->fdb) {
			net__seterr(err, errlen, "FDB nexthop group can only have fdb nexthops");
			return -EINVAL;
		}
		if (g->fdb && m->family != net_nh_get(n, g->grp[0].id)->family) {
			net__seterr(err, errlen, "FDB nexthop group cannot have mixed family nexthops");
			return -EINVAL;
		}
		if (!g->fdb && m->fdb) {
			net__seterr(err, errlen, "Non FDB nexthop group cannot have fdb nexthops");
			return -EINVAL;
		}
	}
	return 0;
}

/* nh_create_ipv4() / nh_create_ipv6(): the device and the gateway, as a
 * route's next hop is checked (route.c), with Linux's words for both */
static int check_single(struct net *n, struct net_nh *nh, char *err,
			size_t errlen)
{
	struct rt_route *r;
	struct net_dev *d;
	int ret;

	if (nh->fdb)
		nh->scope = RT_SCOPE_LINK;
	if (nh->blackhole || nh->fdb)
		return 0;
	d = nh->ifindex ? net__dev(n, nh->ifindex) : NULL;
	if (!d) {
		net__seterr(err, errlen, "Invalid device index");
		return -EINVAL;
	}
	if (!vdev_is_up(d->vdev)) {
		net__seterr(err, errlen, "Nexthop device is not up");
		return -ENETDOWN;
	}
	if (!net__carrier(d)) {
		net__seterr(err, errlen, "Carrier for nexthop device is down");
		return -ENETDOWN;
	}
	if (nh->family == AF_INET6 && nh->has_gw &&
	    net__own_addr(n, AF_INET6, nh->gw)) {
		net__seterr(err, errlen, "Gateway can not be a local address");
		return -EINVAL;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->family = nh->family;
	r->table = RT_TABLE_MAIN_ID;
	r->type = RTN_UNICAST;
	r->n_nh = 1;
	hop_form(nh, 1, &r->nh[0]);
	ret = net__check_nh(n, r, &r->nh[0], err, errlen);
	free(r);
	if (ret)
		return ret;
	/* fib_check_nh(): a gateway's next hop is on link; a device's is
	 * the host's own (IPv4; IPv6 keeps its fib6_nh at link scope) */
	nh->scope = nh->has_gw || nh->family == AF_INET6 ? RT_SCOPE_LINK :
							   RT_SCOPE_HOST;
	return 0;
}

static int is_nhid(void *arg, const struct rt_route *r)
{
	return r->nhid == *(const uint32_t *)arg;
}

/* Whether an IPv6 route is on nexthop @id */
static bool v6_routes(struct net *n, uint32_t id)
{
	return net_route_walk(n, 0, AF_INET6, NULL, is_nhid, &id) != 0;
}

/* What a route on @id (directly or through a group) would refuse in @nh:
 * an IPv6 route an IPv4 nexthop (replace_nexthop()'s fib6_check_nexthop()) */
static int check_routes(struct net *n, uint32_t id, const struct net_nh *nh,
			char *err, size_t errlen)
{
	bool v4 = nh->n_grp ? group_has_v4(n, nh) : nh->family == AF_INET;
	const struct net_nh *g;
	size_t i;

	if (!v4)
		return 0;
	if (v6_routes(n, id)) {
		net__seterr(err, errlen, "IPv6 routes can not use an IPv4 nexthop");
		return -EINVAL;
	}
	for (i = 0; i < n->n_nhs; i++) {
		g = n->nhs[i];
		if (has_member(g, id) && v6_routes(n, g->id)) {
			net__seterr(err, errlen, "IPv6 routes can not use an IPv4 nexthop");
			return -EINVAL;
		}
	}
	return 0;
}

/* replace_nexthop(): the kinds that may replace each other, then the
 * routes and groups that use the old one */
static int check_replace(struct net *n, const struct net_nh *old,
			 const struct net_nh *nh, char *err, size_t errlen)
{
	const struct net_nh *g;
	size_t i;

	if (old->n_grp && !nh->n_grp) {
		net__seterr(err, errlen, "Can not replace a nexthop group with a nexthop.");
		return -EINVAL;
	}
	if (!old->n_grp && nh->n_grp) {
		net__seterr(err, errlen, "Can not replace a nexthop with a nexthop group.");
		return -EINVAL;
	}
	for (i = 0; nh->blackhole && i < n->n_nhs; i++) {
		g = n->nhs[i];
		if (g->n_grp > 1 && has_member(g, old->id)) {
			net__seterr(err, errlen, "Blackhole nexthop can not be a member of a group with more than one path");
			return -EINVAL;
		}
	}
	return check_routes(n, old->id, nh, err, errlen);
}

/* nexthop_add()'s id: the first unused past the last given (wrapping;
 * 0 is never one) */
static int next_id(struct net *n, uint32_t *out)
{
	uint32_t start = n->nh_last_id, id = start;

	do {
		if (++id && !net_nh_get(n, id)) {
			n->nh_last_id = id;
			*out = id;
			return 0;
		}
	} while (id != start);
	return -ENOSPC;
}

/**
 * net_nh_add() - add or replace a nexthop object (RTM_NEWNEXTHOP)
 * @n:		the network
 * @nh:		what it is (its scope is set here); id 0 takes the next
 *		unused one, written back
 * @flags:	NET_NH_REPLACE, NET_NH_CREATE
 * @err:	set to Linux's words on failure
 * @errlen:	size of @err
 *
 * Return: 0; -EINVAL, -ENETDOWN, -ENETUNREACH, -EHOSTUNREACH for a
 * nexthop Linux refuses; -EEXIST (no words), -ENOENT, -ENOSPC, -ENOMEM
 */
int net_nh_add(struct net *n, struct net_nh *nh, unsigned int flags,
	       char *err, size_t errlen)
{
	struct net_nh *c, **v;
	bool found;
	size_t i;
	int ret;

	if (!n || !nh || nh->n_grp > NET_NH_GROUP_MAX)
		return -EINVAL;
	if ((flags & NET_NH_REPLACE) && !nh->id) {
		net__seterr(err, errlen, "Replace requires nexthop id");
		return -EINVAL;
	}
	ret = nh->n_grp ? check_members(n, nh, err, errlen) :
			  check_single(n, nh, err, errlen);
	if (ret)
		return ret;
	/* insert_nexthop(): an id for one made, none for one refused */
	if (!nh->id && next_id(n, &nh->id)) {
		net__seterr(err, errlen, "No unused id");
		return -EINVAL;
	}
	if (nh->n_grp || nh->blackhole)
		nh->scope = 0;
	nh->made = ++n->nh_made;
	i = nh_find(n, nh->id, &found);
	if (found && !(flags & NET_NH_REPLACE))
		return -EEXIST;
	if (found) {
		ret = check_replace(n, n->nhs[i], nh, err, errlen);
		if (ret)
			return ret;
		*n->nhs[i] = *nh;
		emit_nh(n, n->nhs[i], false);
		routes_follow(n, n->nhs[i], true);
		/* and the routes on its groups (nexthop_replace_notify()) */
		for (i = 0; i < n->n_nhs; i++)
			if (has_member(n->nhs[i], nh->id))
				routes_follow(n, n->nhs[i], true);
		return 0;
	}
	if ((flags & NET_NH_REPLACE) && !(flags & NET_NH_CREATE)) {
		net__seterr(err, errlen, "Replace specified without create and no entry exists");
		return -ENOENT;
	}
	if (n->n_nhs == n->cap_nhs) {
		size_t cap = n->cap_nhs ? 2 * n->cap_nhs : 16;

		v = realloc(n->nhs, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		n->nhs = v;
		n->cap_nhs = cap;
	}
	c = malloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	*c = *nh;
	memmove(&n->nhs[i + 1], &n->nhs[i], (n->n_nhs - i) * sizeof(n->nhs[0]));
	n->nhs[i] = c;
	n->n_nhs++;
	emit_nh(n, c, false);
	return 0;
}

/**
 * net__nh_route() - a route naming nexthop r->nhid, checked as Linux's
 * fib_create_info() and ip6_route_info_create_nh() check it and given its
 * next hops: a route that rejects by its type (unreachable, prohibit,
 * throw) is linked to it with none and no check; one that forwards takes
 * them, or becomes a blackhole on a blackhole nexthop
 * @n:		the network
 * @r:		the route (n_nh 0: the request gave no next hop)
 * @err:	set to Linux's words on failure
 * @errlen:	size of @err
 *
 * Return: 0 or -EINVAL
 */
int net__nh_route(struct net *n, struct rt_route *r, char *err, size_t errlen)
{
	const struct net_nh *nh = net_nh_get(n, r->nhid);
	uint8_t type;
	bool group;

	if (!nh) {
		net__seterr(err, errlen, "Nexthop id does not exist");
		return -EINVAL;
	}
	group = nh->n_grp > 0;
	if (r->family == AF_INET6 &&
	    (group ? group_has_v4(n, nh) : nh->family == AF_INET)) {
		net__seterr(err, errlen, "IPv6 routes can not use an IPv4 nexthop");
		return -EINVAL;
	}
	if (r->type == RTN_UNREACHABLE || r->type == RTN_PROHIBIT ||
	    r->type == RTN_BLACKHOLE || r->type == RTN_THROW) {
		r->n_nh = 0;
		return 0;
	}
	if (nh->fdb) {
		net__seterr(err, errlen, "Route cannot point to a fdb nexthop");
		return -EINVAL;
	}
	if (r->family == AF_INET && r->scope == RT_SCOPE_HOST) {
		if (group) {
			net__seterr(err, errlen, "Route with host scope can not have multiple nexthops");
			return -EINVAL;
		}
		if (nh->has_gw) {
			net__seterr(err, errlen, "Route with host scope can not have a gateway");
			return -EINVAL;
		}
	}
	if (r->family == AF_INET && !group && (nh->flags & RTNH_F_ONLINK) &&
	    r->scope >= RT_SCOPE_LINK) {
		net__seterr(err, errlen, "Scope mismatch with nexthop");
		return -EINVAL;
	}
	type = r->type;
	nh_form(n, nh, r);
	/* a local, broadcast... route keeps its type (on a blackhole it has
	 * no next hop, which the router refuses) */
	if (type != RTN_UNICAST)
		r->type = type;
	r->nh_blackhole = type == RTN_UNICAST && r->type == RTN_BLACKHOLE;
	return 0;
}
