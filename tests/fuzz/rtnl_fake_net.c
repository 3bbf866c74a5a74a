/* SPDX-License-Identifier: MIT */
/*
 * rtnl_fake_net.c - the in-memory struct net of rtnl_fake_net.h: what the
 * rtnetlink engine's tests and fuzzer answer from instead of net.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/fib_rules.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>

#include "addrlabel.h"
#include "neighparm.h"
#include "rtnl_fake_net.h"

#define FAKE_NP		16	/* neighbour parameters kept by ifindex */

struct listener {
	net_listen_fn *fn;
	void *arg;
};

struct net {
	struct net_link links[FAKE_MAX_LINKS];
	unsigned int n_links;
	struct net_addr addrs[FAKE_MAX_ADDRS];
	unsigned int n_addrs;
	struct rt_route *routes;
	size_t n_routes, cap;
	struct listener ls[FAKE_MAX_LISTEN];
	uint32_t next_index;
	uint32_t origin_portid, origin_seq;
	int fwd[2][2 + FAKE_FWD_IFINDEX];	/* all, default, by ifindex */
	struct rt_set *rules;	/* router/'s, for its rules alone */
	struct addrlbl_table labels;	/* addrlabel.c's, as net.c has it */
	struct net_neigh neighs[FAKE_MAX_NEIGHS];
	unsigned int n_neighs;
	struct neighparm np[2][FAKE_NP];	/* by ifindex (the last slot
						 * shared), made at first use */
	bool np_made[2][FAKE_NP];
	struct neightbl ntbl[2];
	struct net_nh nhs[FAKE_MAX_NHS];	/* by ascending id */
	unsigned int n_nhs;
};

void net_set_origin(struct net *n, uint32_t portid, uint32_t seq)
{
	n->origin_portid = portid;
	n->origin_seq = seq;
}

static void tell(struct net *n, enum net_event_type type, const void *what)
{
	struct net_event ev = { .type = type, .portid = n->origin_portid,
				.seq = n->origin_seq };
	unsigned int i;

	if (type == NET_EV_NEWLINK || type == NET_EV_DELLINK ||
	    type == NET_EV_STATS)
		ev.link = what;
	else if (type == NET_EV_NEWADDR || type == NET_EV_DELADDR)
		ev.addr = what;
	else if (type == NET_EV_NETCONF)
		ev.conf = what;
	else if (type == NET_EV_NEWRULE || type == NET_EV_DELRULE)
		ev.rule = what;
	else if (type == NET_EV_NEWNEIGH || type == NET_EV_DELNEIGH)
		ev.neigh = what;
	else if (type == NET_EV_NEWNEXTHOP || type == NET_EV_DELNEXTHOP)
		ev.nh = what;
	else
		ev.route = what;
	for (i = 0; i < FAKE_MAX_LISTEN; i++)
		if (n->ls[i].fn)
			n->ls[i].fn(n->ls[i].arg, &ev);
}

static void addr_init(struct net_addr *a, uint32_t ifindex, uint8_t family,
		      const char *hex, uint8_t plen, uint8_t scope)
{
	unsigned int i, v;

	memset(a, 0, sizeof(*a));
	a->ifindex = ifindex;
	a->family = family;
	a->plen = plen;
	a->scope = scope;
	a->flags = IFA_F_PERMANENT;
	a->valid_lft = a->preferred_lft = NET_LIFE_FOREVER;
	for (i = 0; i < (family == AF_INET ? 4u : 16u); i++) {
		sscanf(hex + 2 * i, "%2x", &v);
		a->addr[i] = (uint8_t)v;
	}
	if (family == AF_INET)	/* labelled with the device's name */
		strcpy(a->label, ifindex == 1 ? "lo" : "eth0");
}

static void on_rule(void *arg, enum rt_event ev, const struct rt_rule *r)
{
	struct net *n = arg;
	struct net_event e = {
		.type = ev == RT_EV_NEW ? NET_EV_NEWRULE : NET_EV_DELRULE,
		.rule = r, .rule_flags = rt_rule_flags(n->rules, r),
		.portid = n->origin_portid, .seq = n->origin_seq,
	};
	unsigned int i;

	for (i = 0; i < FAKE_MAX_LISTEN; i++)
		if (n->ls[i].fn)
			n->ls[i].fn(n->ls[i].arg, &e);
}

static void neigh_init(struct net *n);

struct net *fake_net_new(void)
{
	struct net *n = calloc(1, sizeof(*n));
	struct net_link *l;
	unsigned int f, i;

	if (!n)
		return NULL;
	neigh_init(n);

	l = &n->links[n->n_links++];
	l->ifindex = 1;
	strcpy(l->name, "lo");
	strcpy(l->kind, "loopback");
	l->flags = IFF_UP | IFF_LOOPBACK | IFF_RUNNING | IFF_LOWER_UP;
	l->type = ARPHRD_LOOPBACK;
	l->mtu = 65536;
	l->cnt.rx_packets = l->cnt.tx_packets = 7;
	l->cnt.rx_bytes = l->cnt.tx_bytes = 700;
	l = &n->links[n->n_links++];
	l->ifindex = 2;
	strcpy(l->name, "eth0");
	strcpy(l->kind, "link");
	l->flags = IFF_UP | IFF_BROADCAST | IFF_MULTICAST | IFF_RUNNING |
		   IFF_LOWER_UP;
	l->type = ARPHRD_ETHER;
	l->mtu = 1500;
	memcpy(l->mac, "\x02\x00\x5e\x10\x00\x01", 6);
	n->next_index = 3;
	addr_init(&n->addrs[n->n_addrs++], 1, AF_INET, "7f000001", 8,
		  RT_SCOPE_HOST);
	addr_init(&n->addrs[n->n_addrs++], 1, AF_INET6,
		  "00000000000000000000000000000001", 128, RT_SCOPE_HOST);
	addr_init(&n->addrs[n->n_addrs], 2, AF_INET, "c0a80102", 24,
		  RT_SCOPE_UNIVERSE);
	memcpy(n->addrs[n->n_addrs].broadcast, "\xc0\xa8\x01\xff", 4);
	n->addrs[n->n_addrs++].has_broadcast = true;
	addr_init(&n->addrs[n->n_addrs++], 2, AF_INET6,
		  "fe80000000000000005eff0000100001", 64, RT_SCOPE_LINK);
	for (f = 0; f < 2; f++)
		for (i = 0; i < 2 + FAKE_FWD_IFINDEX; i++)
			n->fwd[f][i] = 1;
	if (rt_set_new(&n->rules))
		abort();
	rt_set_rule_notify(n->rules, on_rule, n);
	if (addrlbl_init(&n->labels))
		abort();
	neightbl_init(&n->ntbl[0], AF_INET);
	neightbl_init(&n->ntbl[1], AF_INET6);
	return n;
}

void fake_net_free(struct net *n)
{
	unsigned int i;

	if (!n)
		return;
	for (i = 0; i < n->n_links; i++)
		free((char *)n->links[i].altnames);
	free(n->routes);
	rt_set_free(n->rules);
	addrlbl_fini(&n->labels);
	free(n);
}

int fake_net_listeners(const struct net *n)
{
	int i, c = 0;

	for (i = 0; i < FAKE_MAX_LISTEN; i++)
		c += !!n->ls[i].fn;
	return c;
}

int net_listen(struct net *n, net_listen_fn *fn, void *arg)
{
	unsigned int i;

	for (i = 0; i < FAKE_MAX_LISTEN; i++) {
		if (!n->ls[i].fn) {
			n->ls[i].fn = fn;
			n->ls[i].arg = arg;
			return 0;
		}
	}
	return -ENOMEM;
}

void net_unlisten(struct net *n, net_listen_fn *fn, void *arg)
{
	unsigned int i;

	for (i = 0; i < FAKE_MAX_LISTEN; i++)
		if (n->ls[i].fn == fn && n->ls[i].arg == arg)
			n->ls[i].fn = NULL;
}

/* ---- links ---- */

static struct net_link *link_find(struct net *n, uint32_t ifindex)
{
	unsigned int i;

	for (i = 0; i < n->n_links; i++)
		if (n->links[i].ifindex == ifindex)
			return &n->links[i];
	return NULL;
}

int net_link_get(struct net *n, uint32_t ifindex, struct net_link *out)
{
	struct net_link *l = link_find(n, ifindex);

	if (!l)
		return -ENODEV;
	*out = *l;
	return 0;
}

int net_link_l3_stats(struct net *n, uint32_t ifindex, bool on)
{
	struct net_link *l = link_find(n, ifindex);

	if (!l)
		return -ENODEV;
	if (l->l3_stats == on)
		return -EALREADY;
	l->l3_stats = on;
	tell(n, NET_EV_STATS, l);
	return 0;
}

int net_link_by_name(struct net *n, const char *name, struct net_link *out)
{
	unsigned int i;

	for (i = 0; i < n->n_links; i++) {
		if (!strcmp(n->links[i].name, name)) {
			*out = n->links[i];
			return 0;
		}
	}
	return -ENODEV;
}

/* ---- alternative names: each link's are malloc()ed, l->altnames ---- */

static bool has_altname(const struct net_link *l, const char *name)
{
	const char *p = NULL;

	while ((p = net_altname_next(l->altnames, l->altnames_len, p)))
		if (!strcmp(p, name))
			return true;
	return false;
}

static struct net_link *link_any_name(struct net *n, const char *name)
{
	unsigned int i;

	for (i = 0; i < n->n_links; i++)
		if (!strcmp(n->links[i].name, name) ||
		    has_altname(&n->links[i], name))
			return &n->links[i];
	return NULL;
}

int net_link_lookup(struct net *n, const char *name, struct net_link *out)
{
	struct net_link *l = link_any_name(n, name);

	if (!l)
		return -ENODEV;
	*out = *l;
	return 0;
}

int net_link_altname_add(struct net *n, uint32_t ifindex, const char *name)
{
	struct net_link *l = link_find(n, ifindex);
	size_t len = strlen(name) + 1;
	char *alt;

	if (!l)
		return -ENODEV;
	if (len > NET_ALTNAME_MAX)
		return -EINVAL;
	if (link_any_name(n, name))
		return -EEXIST;
	alt = realloc((char *)l->altnames, l->altnames_len + len);
	if (!alt)
		return -ENOMEM;
	memcpy(alt + l->altnames_len, name, len);
	l->altnames = alt;
	l->altnames_len += len;
	return 0;
}

int net_link_altname_del(struct net *n, uint32_t ifindex, const char *name)
{
	struct net_link *l = link_find(n, ifindex), *o = link_any_name(n, name);
	char *alt, *p;
	size_t len;

	if (!l)
		return -ENODEV;
	if (!o)
		return -ENOENT;
	if (o != l || !strcmp(l->name, name))
		return -EINVAL;
	alt = (char *)l->altnames;
	for (p = alt; strcmp(p, name); p += strlen(p) + 1)
		;
	len = strlen(p) + 1;
	memmove(p, p + len, l->altnames_len - (size_t)(p - alt) - len);
	l->altnames_len -= len;
	if (!l->altnames_len) {
		free(alt);
		l->altnames = NULL;
	}
	return 0;
}

/* Told while up, with no request's pid and seq, as net.c tells it */
void net_link_state_change(struct net *n, uint32_t ifindex)
{
	struct net_link *l = link_find(n, ifindex);
	uint32_t portid = n->origin_portid, seq = n->origin_seq;

	if (!l || !(l->flags & IFF_UP))
		return;
	net_set_origin(n, 0, 0);
	tell(n, NET_EV_NEWLINK, l);
	net_set_origin(n, portid, seq);
}

/* The forwarding sysctls: slot 0 all, 1 default, 2 + ifindex a link's
 * (links past FAKE_FWD_IFINDEX share the last slot) */
static int fwd_slot(struct net *n, int family, const char *dev, int *f,
		    uint32_t *ifindex)
{
	unsigned int i;

	if (family != AF_INET && family != AF_INET6)
		return -EAFNOSUPPORT;
	*f = family == AF_INET6;
	if (!strcmp(dev, "all"))
		return 0;
	if (!strcmp(dev, "default"))
		return 1;
	for (i = 0; i < n->n_links; i++) {
		if (!strcmp(n->links[i].name, dev)) {
			*ifindex = n->links[i].ifindex;
			return 2 + (int)(*ifindex < FAKE_FWD_IFINDEX ?
					 *ifindex : FAKE_FWD_IFINDEX - 1);
		}
	}
	return -ENODEV;
}

int net_forward_get(const struct net *n, int family, const char *dev,
		    int *val)
{
	uint32_t ifindex;
	int f, i = fwd_slot((struct net *)n, family, dev, &f, &ifindex);

	if (i < 0)
		return i;
	*val = n->fwd[f][i];
	return 0;
}

/* Sets the one value and tells it: not net.c's rules for "all" */
int net_forward_set(struct net *n, int family, const char *dev, int val)
{
	struct net_netconf c = { .family = (uint8_t)family,
				 .forwarding = val };
	uint32_t ifindex = 0;
	int f, i = fwd_slot(n, family, dev, &f, &ifindex);

	if (i < 0)
		return i;
	n->fwd[f][i] = val;
	c.ifindex = i == 0 ? NET_CONF_ALL : i == 1 ? NET_CONF_DEFAULT :
		    (int32_t)ifindex;
	tell(n, NET_EV_NETCONF, &c);
	return 0;
}

/* The per-device sysctls rtnl_link.c asks for: forwarding, and accept_ra
 * at Linux's default (1) */
int net_devconf_get(struct net *n, int family, const char *dev,
		    const char *name, int64_t *val)
{
	int v, ret;

	if (!strcmp(name, "forwarding")) {
		ret = net_forward_get(n, family, dev, &v);
		if (!ret)
			*val = v;
		return ret;
	}
	if (family == AF_INET6 && !strcmp(name, "accept_ra")) {
		*val = 1;
		return 0;
	}
	return -ENOENT;
}

int net_link_walk(struct net *n, net_link_fn *fn, void *arg)
{
	unsigned int i;
	int ret;

	for (i = 0; i < n->n_links; i++)
		if ((ret = fn(arg, &n->links[i])))
			return ret;
	return 0;
}

int net_link_set(struct net *n, uint32_t ifindex,
		 const struct net_link_change *c, char *err, size_t errlen)
{
	struct net_link *l = link_find(n, ifindex);

	if (!l)
		return -ENODEV;
	if (c->mtu > 65535 && l->type != ARPHRD_LOOPBACK) {
		snprintf(err, errlen, "mtu greater than device maximum");
		return -EINVAL;
	}
	if (c->name) {
		if (!c->name[0])
			return -EINVAL;
		snprintf(l->name, sizeof(l->name), "%s", c->name);
	}
	if (c->mtu)
		l->mtu = c->mtu;
	if (c->alias && strlen(c->alias) >= sizeof(l->alias))
		return -EINVAL;
	if (c->alias)
		snprintf(l->alias, sizeof(l->alias), "%s", c->alias);
	if (c->set_group)
		l->group = c->group;
	l->flags = (l->flags & ~(c->change & NET_LINK_USER_FLAGS)) |
		   (c->flags & c->change & NET_LINK_USER_FLAGS);
	l->promiscuity = !!(l->flags & IFF_PROMISC);
	l->allmulti = !!(l->flags & IFF_ALLMULTI);
	if (c->up == 0)
		l->flags &= ~(unsigned int)(IFF_UP | IFF_RUNNING | IFF_LOWER_UP);
	else if (c->up == 1)
		l->flags |= IFF_UP | IFF_RUNNING | IFF_LOWER_UP;
	tell(n, NET_EV_NEWLINK, l);
	return 0;
}

int net_dummy_add(struct net *n, const char *name, unsigned int mtu,
		  const uint8_t *mac, bool up, char *err, size_t errlen)
{
	struct net_link *l, tmp;
	unsigned int i;

	(void)err;
	(void)errlen;
	if (!name || !*name || strlen(name) >= sizeof(l->name))
		return -EINVAL;
	if (!net_link_lookup(n, name, &tmp))
		return -EEXIST;
	if (n->n_links >= FAKE_MAX_LINKS)
		return -ENOBUFS;
	l = &n->links[n->n_links++];
	memset(l, 0, sizeof(*l));
	l->ifindex = n->next_index++;
	strcpy(l->name, name);
	strcpy(l->kind, "dummy");
	l->flags = IFF_BROADCAST | IFF_NOARP |
		   (up ? IFF_UP | IFF_RUNNING | IFF_LOWER_UP : 0);
	l->type = ARPHRD_ETHER;
	l->mtu = mtu ? mtu : 1500;
	for (i = 0; i < 6; i++)
		l->mac[i] = mac ? mac[i] : (uint8_t)(0x02 + i);
	tell(n, NET_EV_NEWLINK, l);
	return (int)l->ifindex;
}

int net_link_del(struct net *n, uint32_t ifindex, char *err, size_t errlen)
{
	struct net_link *l = link_find(n, ifindex), copy;
	struct net_netconf c = { .ifindex = (int32_t)ifindex, .gone = true };

	if (!l)
		return -ENODEV;
	c.family = AF_INET;		/* its sysctls go first, as in net.c */
	tell(n, NET_EV_NETCONF, &c);
	c.family = AF_INET6;
	tell(n, NET_EV_NETCONF, &c);
	copy = *l;
	memmove(l, l + 1, (size_t)(&n->links[n->n_links] - (l + 1)) * sizeof(*l));
	n->n_links--;
	tell(n, NET_EV_DELLINK, &copy);	/* its altnames with it */
	free((char *)copy.altnames);
	return 0;
}

/* ---- addresses ---- */

static int addr_find(struct net *n, const struct net_addr *a)
{
	unsigned int i;

	for (i = 0; i < n->n_addrs; i++)
		if (n->addrs[i].ifindex == a->ifindex &&
		    n->addrs[i].family == a->family &&
		    !memcmp(n->addrs[i].addr, a->addr, 16))
			return (int)i;
	return -1;
}

int net_addr_add(struct net *n, const struct net_addr *a, unsigned int nlflags,
		 char *err, size_t errlen)
{
	int i = addr_find(n, a);

	if (!link_find(n, a->ifindex))
		return -ENODEV;
	if (i >= 0 && (!(nlflags & NLM_F_REPLACE) || (nlflags & NLM_F_EXCL)))
		return -EEXIST;
	if (i < 0 && n->n_addrs == FAKE_MAX_ADDRS) {
		snprintf(err, errlen, "too many addresses");
		return -ENOSPC;
	}
	if (i < 0)
		i = (int)n->n_addrs++;
	n->addrs[i] = *a;
	if (a->valid_lft == NET_LIFE_FOREVER)	/* lifetimes stand still */
		n->addrs[i].flags |= IFA_F_PERMANENT;
	if (a->family == AF_INET && !a->label[0])
		snprintf(n->addrs[i].label, sizeof(n->addrs[i].label), "%s",
			 link_find(n, a->ifindex)->name);
	tell(n, NET_EV_NEWADDR, &n->addrs[i]);
	return 0;
}

int net_addr_del(struct net *n, const struct net_addr *a, char *err,
		 size_t errlen)
{
	int i = addr_find(n, a);
	struct net_addr copy;

	if (i < 0) {
		snprintf(err, errlen, "Address not found");
		return -EADDRNOTAVAIL;
	}
	copy = n->addrs[i];
	memmove(&n->addrs[i], &n->addrs[i + 1],
		(n->n_addrs - (unsigned int)i - 1) * sizeof(copy));
	n->n_addrs--;
	tell(n, NET_EV_DELADDR, &copy);
	return 0;
}

int net_addr_walk(struct net *n, uint8_t family, net_addr_fn *fn, void *arg)
{
	unsigned int i, idx;
	int ret;

	/* by ifindex, then as added */
	for (idx = 1; idx < n->next_index + 1; idx++) {
		for (i = 0; i < n->n_addrs; i++) {
			if (n->addrs[i].ifindex != idx ||
			    (family && n->addrs[i].family != family))
				continue;
			if ((ret = fn(arg, &n->addrs[i])))
				return ret;
		}
	}
	return 0;
}

/* ---- neighbours: three entries on eth0 at first ---- */

static const struct net_neigh fake_neighs[] = {
	{ .ifindex = 2, .family = AF_INET, .addr = { 192, 168, 1, 1 },
	  .lladdr = { 0x02, 0, 0x5e, 0x10, 0, 0x02 }, .has_lladdr = true,
	  .state = NUD_REACHABLE },
	{ .ifindex = 2, .family = AF_INET6,
	  .addr = { 0xfe, 0x80, [15] = 2 },
	  .lladdr = { 0x02, 0, 0x5e, 0x10, 0, 0x02 }, .has_lladdr = true,
	  .state = NUD_STALE, .router = true },
	{ .ifindex = 2, .family = AF_INET6,
	  .addr = { 0x20, 0x01, 0x0d, 0xb8, [15] = 9 },
	  .state = NUD_INCOMPLETE },
};

static void neigh_init(struct net *n)
{
	memcpy(n->neighs, fake_neighs, sizeof(fake_neighs));
	n->n_neighs = sizeof(fake_neighs) / sizeof(fake_neighs[0]);
}

/* The fake's table changes only by requests, each told: nothing to watch */
void net_neigh_watch(struct net *n, bool on)
{
	(void)n;
	(void)on;
}

int net_neigh_walk(struct net *n, uint8_t family, net_neigh_fn *fn, void *arg)
{
	unsigned int i;
	int ret;

	for (i = 0; i < n->n_neighs; i++) {
		if (family && n->neighs[i].family != family)
			continue;
		if ((ret = fn(arg, &n->neighs[i])))
			return ret;
	}
	return 0;
}

static int neigh_index(struct net *n, uint8_t family, uint32_t ifindex,
		       const uint8_t *addr)
{
	unsigned int i;

	for (i = 0; i < n->n_neighs; i++)
		if (n->neighs[i].family == family && n->neighs[i].ifindex == ifindex &&
		    !memcmp(n->neighs[i].addr, addr, family == AF_INET ? 4 : 16))
			return (int)i;
	return -1;
}

int net_neigh_get(struct net *n, uint8_t family, uint32_t ifindex,
		  const uint8_t *addr, struct net_neigh *out)
{
	int i = neigh_index(n, family, ifindex, addr);

	if (i < 0)
		return -ENOENT;
	*out = n->neighs[i];
	return 0;
}

/* net.c's rules, short: eth0 only, the four states, EXCL/CREATE/REPLACE */
int net_neigh_set(struct net *n, const struct net_neigh *nb,
		  unsigned int nlflags, char *err, size_t errlen)
{
	int i = neigh_index(n, nb->family, nb->ifindex, nb->addr);
	struct net_neigh *e;

	if (nb->ifindex != 2) {
		snprintf(err, errlen, "no table");
		return nb->ifindex == 1 ? -EOPNOTSUPP : -ENODEV;
	}
	if (i >= 0 && (nlflags & NLM_F_EXCL))
		return -EEXIST;
	if (i < 0 && !(nlflags & NLM_F_CREATE))
		return -ENOENT;
	if (nb->state != NUD_PERMANENT && nb->state != NUD_NOARP &&
	    nb->state != NUD_REACHABLE && nb->state != NUD_STALE) {
		snprintf(err, errlen, "state");
		return -EOPNOTSUPP;
	}
	if (!nb->has_lladdr && (i < 0 || !n->neighs[i].has_lladdr)) {
		snprintf(err, errlen, "No link layer address given");
		return -EINVAL;
	}
	if (i < 0) {
		if (n->n_neighs == FAKE_MAX_NEIGHS)
			return -ENOBUFS;
		i = (int)n->n_neighs++;
		memset(&n->neighs[i], 0, sizeof(n->neighs[i]));
	}
	e = &n->neighs[i];
	e->ifindex = nb->ifindex;
	e->family = nb->family;
	memcpy(e->addr, nb->addr, 16);
	if (nb->has_lladdr)
		memcpy(e->lladdr, nb->lladdr, 6);
	e->has_lladdr = true;
	e->state = nb->state;
	e->router = nb->router;
	if (nb->protocol)
		e->protocol = nb->protocol;
	tell(n, NET_EV_NEWNEIGH, e);
	return 0;
}

int net_neigh_del(struct net *n, uint8_t family, uint32_t ifindex,
		  const uint8_t *addr, char *err, size_t errlen)
{
	int i = neigh_index(n, family, ifindex, addr);
	struct net_neigh gone;

	(void)err;
	(void)errlen;
	if (i < 0)
		return -ENOENT;
	gone = n->neighs[i];
	n->neighs[i] = n->neighs[--n->n_neighs];
	gone.state = NUD_FAILED;		/* as net.c tells it */
	gone.has_lladdr = false;
	tell(n, NET_EV_NEWNEIGH, &gone);
	tell(n, NET_EV_DELNEIGH, &gone);
	return 0;
}

/* NTF_USE: the checks only (no link to ask on) */
int net_neigh_use(struct net *n, uint8_t family, uint32_t ifindex,
		  const uint8_t *addr, unsigned int nlflags, char *err,
		  size_t errlen)
{
	int i = neigh_index(n, family, ifindex, addr);

	if (ifindex != 2) {
		snprintf(err, errlen, "no table");
		return ifindex == 1 ? -EOPNOTSUPP : -ENODEV;
	}
	if (i >= 0 && (nlflags & NLM_F_EXCL))
		return -EEXIST;
	if (i < 0 && !(nlflags & NLM_F_CREATE))
		return -ENOENT;
	return 0;
}

/* ---- routes ---- */

static int cmp_key(const struct rt_route *a, const struct rt_route *b)
{
	int c;

	if (a->table != b->table)
		return a->table < b->table ? -1 : 1;
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if ((c = memcmp(a->dst, b->dst, 16)))
		return c;
	if (a->dst_len != b->dst_len)
		return a->dst_len < b->dst_len ? -1 : 1;
	if (a->tos != b->tos)
		return a->tos < b->tos ? -1 : 1;
	if (a->priority != b->priority)
		return a->priority < b->priority ? -1 : 1;
	return 0;
}

static int cmp_full(const struct rt_route *a, const struct rt_route *b)
{
	int c = cmp_key(a, b);

	if (c)
		return c;
	if (a->nh[0].ifindex != b->nh[0].ifindex)
		return a->nh[0].ifindex < b->nh[0].ifindex ? -1 : 1;
	return memcmp(a->nh[0].gw, b->nh[0].gw, 16);
}

static void route_insert(struct net *n, const struct rt_route *r)
{
	size_t i = 0;

	if (n->n_routes == n->cap) {
		n->cap = n->cap ? n->cap * 2 : 64;
		n->routes = realloc(n->routes, n->cap * sizeof(*r));
	}
	while (i < n->n_routes && cmp_full(&n->routes[i], r) <= 0)
		i++;
	memmove(&n->routes[i + 1], &n->routes[i],
		(n->n_routes - i) * sizeof(*r));
	n->routes[i] = *r;
	n->n_routes++;
}

/* No expiry here: the route is added as any other */
int net_route_add_expires(struct net *n, const struct rt_route *r,
			  unsigned int nlflags, uint32_t expires, char *err,
			  size_t errlen)
{
	(void)expires;
	return net_route_add(n, r, nlflags, err, errlen);
}

int net_route_add(struct net *n, const struct rt_route *r, unsigned int nlflags,
		  char *err, size_t errlen)
{
	size_t i;

	if (r->n_nh && r->nh[0].ifindex && !link_find(n, r->nh[0].ifindex))
		return -ENODEV;
	if (r->type == RTN_UNICAST && !r->n_nh) {
		snprintf(err, errlen, "Nexthop device required");
		return -EINVAL;
	}
	for (i = 0; i < n->n_routes; i++) {
		if (cmp_key(&n->routes[i], r))
			continue;
		if (nlflags & NLM_F_EXCL)
			return -EEXIST;
		if (nlflags & NLM_F_REPLACE) {
			n->routes[i] = *r;
			tell(n, NET_EV_NEWROUTE, &n->routes[i]);
			return 0;
		}
		break;
	}
	if (!(nlflags & NLM_F_CREATE)) {
		snprintf(err, errlen, "No route to replace");
		return -ENOENT;
	}
	route_insert(n, r);
	tell(n, NET_EV_NEWROUTE, r);
	return 0;
}

static bool has_nh(const struct rt_route *r, const struct rt_nexthop *nh,
		   bool oif)
{
	unsigned int i;

	for (i = 0; i < r->n_nh; i++) {
		if (oif && r->nh[i].ifindex == nh->ifindex)
			return true;
		if (!oif && r->nh[i].has_gw && !memcmp(r->nh[i].gw, nh->gw, 16))
			return true;
	}
	return false;
}

static bool matches(const struct rt_route *r, const struct rt_route *m,
		    unsigned int mask)
{
	if (r->table != m->table || r->family != m->family ||
	    r->dst_len != m->dst_len || memcmp(r->dst, m->dst, 16))
		return false;
	return !((mask & RT_MATCH_TYPE) && r->type != m->type) &&
	       !((mask & RT_MATCH_PROTOCOL) && r->protocol != m->protocol) &&
	       !((mask & RT_MATCH_SCOPE) && r->scope != m->scope) &&
	       !((mask & RT_MATCH_TOS) && r->tos != m->tos) &&
	       !((mask & RT_MATCH_PRIORITY) && r->priority != m->priority) &&
	       !((mask & RT_MATCH_OIF) && !has_nh(r, &m->nh[0], true)) &&
	       !((mask & RT_MATCH_GW) && !has_nh(r, &m->nh[0], false));
}

int net_route_del(struct net *n, const struct rt_route *match,
		  unsigned int mask, char *err, size_t errlen)
{
	struct rt_route copy;
	size_t i;

	for (i = 0; i < n->n_routes; i++) {
		if (!matches(&n->routes[i], match, mask))
			continue;
		copy = n->routes[i];
		memmove(&n->routes[i], &n->routes[i + 1],
			(n->n_routes - i - 1) * sizeof(copy));
		n->n_routes--;
		tell(n, NET_EV_DELROUTE, &copy);
		return 0;
	}
	snprintf(err, errlen, "No such route");
	return -ESRCH;
}

int net_route_walk(struct net *n, uint32_t table, uint8_t family,
		   const struct rt_route *after, rt_walk_fn *fn, void *arg)
{
	size_t i = 0, lo = 0, hi = n->n_routes;
	int ret;

	/* the list is sorted: start past @after (a dump's next datagram) */
	while (after && lo < hi) {
		i = lo + (hi - lo) / 2;
		if (cmp_full(&n->routes[i], after) <= 0)
			lo = i + 1;
		else
			hi = i;
	}
	for (i = lo; i < n->n_routes; i++) {
		const struct rt_route *r = &n->routes[i];

		if ((table && r->table != table) ||
		    (family && r->family != family))
			continue;
		if (after && cmp_full(r, after) <= 0)
			continue;
		if ((ret = fn(arg, r)))
			return ret;
	}
	return 0;
}

static bool in_prefix(const uint8_t *a, const uint8_t *p, unsigned int plen)
{
	unsigned int i;

	for (i = 0; i < plen; i++)
		if (((a[i / 8] ^ p[i / 8]) >> (7 - i % 8)) & 1)
			return false;
	return true;
}

/* Rules: router/'s own, with the fake's devices named */
int net_rule_add(struct net *n, struct rt_rule *r, bool has_priority,
		 bool excl, char *err, size_t errlen)
{
	struct net_link l;

	(void)err;
	(void)errlen;
	if (r->action == FR_ACT_TO_TBL && !r->table) {
		if (r->family != AF_INET)
			return -EINVAL;
		r->table = rt_rule_free_table(n->rules);
	}
	r->iif = r->iifname[0] && !net_link_by_name(n, r->iifname, &l) ? l.ifindex : 0;
	r->oif = r->oifname[0] && !net_link_by_name(n, r->oifname, &l) ? l.ifindex : 0;
	return rt_rule_add(n->rules, r, has_priority, excl);
}

int net_rule_del(struct net *n, const struct rt_rule *match, unsigned int mask,
		 char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	return rt_rule_del(n->rules, match, mask);
}

int net_rule_walk(struct net *n, uint8_t family, size_t skip,
		  rt_rule_walk_fn *fn, void *arg)
{
	return rt_rule_walk(n->rules, family, skip, fn, arg);
}

/* Nexthop objects: kept by id, their device or members required to
 * exist; no route follows them here */
const struct net_nh *net_nh_get(const struct net *n, uint32_t id)
{
	unsigned int i;

	for (i = 0; id && i < n->n_nhs; i++)
		if (n->nhs[i].id == id)
			return &n->nhs[i];
	return NULL;
}

int net_nh_add(struct net *n, struct net_nh *nh, unsigned int flags,
	       char *err, size_t errlen)
{
	struct net_link l;
	unsigned int i, k;

	if (!nh->id)
		for (nh->id = 1; net_nh_get(n, nh->id); nh->id++)
			;
	for (k = 0; k < nh->n_grp; k++)
		if (!net_nh_get(n, nh->grp[k].id)) {
			snprintf(err, errlen, "Invalid nexthop id");
			return -EINVAL;
		}
	if (!nh->n_grp && !nh->blackhole && !nh->fdb &&
	    net_link_get(n, nh->ifindex, &l)) {
		snprintf(err, errlen, "Invalid device index");
		return -EINVAL;
	}
	for (i = 0; i < n->n_nhs && n->nhs[i].id < nh->id; i++)
		;
	if (i < n->n_nhs && n->nhs[i].id == nh->id) {
		if (!(flags & NET_NH_REPLACE))
			return -EEXIST;
	} else {
		if (n->n_nhs == FAKE_MAX_NHS)
			return -ENOSPC;
		memmove(&n->nhs[i + 1], &n->nhs[i], (n->n_nhs - i) * sizeof(n->nhs[0]));
		n->n_nhs++;
	}
	n->nhs[i] = *nh;
	tell(n, NET_EV_NEWNEXTHOP, &n->nhs[i]);
	return 0;
}

int net_nh_del(struct net *n, uint32_t id)
{
	const struct net_nh *nh = net_nh_get(n, id);
	unsigned int i;

	if (!nh)
		return -ENOENT;
	i = (unsigned int)(nh - n->nhs);
	tell(n, NET_EV_DELNEXTHOP, nh);
	memmove(&n->nhs[i], &n->nhs[i + 1], (n->n_nhs - i - 1) * sizeof(n->nhs[0]));
	n->n_nhs--;
	return 0;
}

int net_nh_walk(struct net *n, uint32_t after, net_nh_fn *fn, void *arg)
{
	unsigned int i;
	int ret;

	for (i = 0; i < n->n_nhs; i++)
		if (n->nhs[i].id > after && (ret = fn(arg, &n->nhs[i])))
			return ret;
	return 0;
}

const struct net_nh *net_nh_view(const struct net *n, const struct rt_route *r,
				 struct rt_route *v, bool *bh)
{
	const struct net_nh *nh = net_nh_get(n, r->nhid);

	*bh = nh && nh->blackhole;
	if (!nh)
		return NULL;
	*v = *r;
	v->n_nh = nh->blackhole || nh->n_grp ? 0 : 1;
	if (v->n_nh) {
		memset(&v->nh[0], 0, sizeof(v->nh[0]));
		v->nh[0].ifindex = nh->ifindex;
		v->nh[0].weight = 1;
		v->nh[0].has_gw = nh->has_gw;
		memcpy(v->nh[0].gw, nh->gw, 16);
	}
	return nh;
}

/* Tables: main, local, those with a route of the family, those rules made */
bool net_table_exists(struct net *n, uint8_t family, uint32_t id)
{
	size_t k;

	for (k = 0; k < n->n_routes; k++)
		if (n->routes[k].family == family && n->routes[k].table == id)
			return true;
	return rt_table_exists(n->rules, family, id);
}

bool net_prefix_exists(struct net *n, const struct rt_route *r)
{
	size_t k;

	for (k = 0; k < n->n_routes; k++)
		if (n->routes[k].family == r->family &&
		    n->routes[k].table == r->table &&
		    n->routes[k].dst_len == r->dst_len &&
		    !memcmp(n->routes[k].dst, r->dst, r->family == AF_INET ? 4 : 16))
			return true;
	return false;
}

int net_route_get_from(struct net *n, uint8_t family, const uint8_t *dst,
		       const uint8_t *from, uint32_t oif, uint32_t mark,
		       struct rt_result *res, uint8_t *src)
{
	(void)from;
	(void)mark;
	return net_route_get(n, family, dst, oif, res, src);
}

int net_route_get_flow(struct net *n, uint8_t family, const uint8_t *dst,
		       const struct rt_flow *fl, struct rt_result *res,
		       uint8_t *src)
{
	return net_route_get(n, family, dst, fl ? fl->oif : 0, res, src);
}

uint32_t net_own_uid(const struct net *n)
{
	(void)n;
	return 0;
}

bool net_fib_unmerged(const struct net *n)
{
	(void)n;
	return false;
}

/* An input route: the output lookup's route, the device must exist */
int net_route_input(struct net *n, uint8_t family, const uint8_t *dst,
		    const uint8_t *from, uint32_t iif, const struct rt_flow *fl,
		    struct rt_result *res, uint32_t *rtcf, bool *fib)
{
	uint8_t src[16];

	(void)from;
	(void)fl;
	if (!link_find(n, iif))
		return -ENODEV;
	*rtcf = 0;
	*fib = true;
	return net_route_get(n, family, dst, 0, res, src);
}

/* An IPv4 output route: the lookup through the device asked for, from
 * a source that is a local route's address */
int net_route_output4(struct net *n, const uint8_t *dst, const uint8_t *from,
		      const struct rt_flow *l4, struct rt_result *res,
		      uint8_t *src, uint32_t *rtcf, bool *fib)
{
	*rtcf = 0;
	*fib = true;
	if (memcmp(from, "\0\0\0\0", 4)) {
		if ((from[0] & 0xf0) == 0xe0 || !from[0] ||
		    !memcmp(from, "\xff\xff\xff\xff", 4))
			return -EINVAL;
		if (net_route_get(n, AF_INET, from, 0, res, src) ||
		    res->route.type != RTN_LOCAL)
			return -ENETUNREACH;
	}
	if (l4->oif && !link_find(n, l4->oif))
		return -ENODEV;
	return net_route_get(n, AF_INET, dst, l4->oif, res, src);
}

/* No sysctls but forwarding here: the others read 0 in netconf */
void net_netconf_values(struct net *n, struct net_netconf *c)
{
	(void)n;
	(void)c;
}

struct addrlbl_table *net_addrlabels(struct net *n)
{
	return &n->labels;
}

/* No address lifetimes here: no route expires */
uint32_t net_route_expires(struct net *n, const struct rt_route *r)
{
	(void)n;
	(void)r;
	return 0;
}

int net_route_get(struct net *n, uint8_t family, const uint8_t *dst,
		  uint32_t oif, struct rt_result *res, uint8_t *src)
{
	const struct rt_route *best = NULL;
	unsigned int i;
	size_t k;

	for (k = 0; k < n->n_routes; k++) {
		const struct rt_route *r = &n->routes[k];

		if (r->table != RT_TABLE_MAIN_ID || r->family != family ||
		    !in_prefix(dst, r->dst, r->dst_len))
			continue;
		if (oif && !has_nh(r, &(struct rt_nexthop){ .ifindex = oif }, true))
			continue;
		if (!best || r->dst_len > best->dst_len)
			best = r;
	}
	if (!best)
		return -ENETUNREACH;
	if (best->type == RTN_UNREACHABLE)
		return -EHOSTUNREACH;
	res->route = *best;
	res->nh = 0;
	memset(src, 0, 16);
	for (i = 0; i < n->n_addrs; i++) {
		if (n->addrs[i].family == family && best->n_nh &&
		    n->addrs[i].ifindex == best->nh[0].ifindex &&
		    n->addrs[i].scope == RT_SCOPE_UNIVERSE) {
			memcpy(src, n->addrs[i].addr, 16);
			break;
		}
	}
	return 0;
}

size_t fake_net_routes(const struct net *n)
{
	return n->n_routes;
}

const struct rt_route *fake_net_route(const struct net *n, size_t i)
{
	return i < n->n_routes ? &n->routes[i] : NULL;
}

static int cmp_sort(const void *a, const void *b)
{
	return cmp_full(a, b);
}

void fake_net_fill(struct net *n, uint32_t table, unsigned int count)
{
	struct rt_route r;
	unsigned int i;

	if (n->n_routes + count > n->cap) {
		n->cap = n->n_routes + count;
		n->routes = realloc(n->routes, n->cap * sizeof(r));
	}
	for (i = 0; i < count; i++) {
		memset(&r, 0, sizeof(r));
		r.family = AF_INET;
		r.dst_len = 24;
		r.type = RTN_UNICAST;
		r.protocol = 12;
		r.table = table;
		r.dst[0] = 10;
		r.dst[1] = (uint8_t)(i >> 8);
		r.dst[2] = (uint8_t)i;
		r.n_nh = 1;
		r.nh[0].ifindex = 2;
		r.nh[0].has_gw = true;
		memcpy(r.nh[0].gw, "\xc0\xa8\x01\x01", 4);
		r.nh[0].weight = 1;
		n->routes[n->n_routes++] = r;
	}
	qsort(n->routes, n->n_routes, sizeof(r), cmp_sort);
}

/* The fake devices join no multicast groups: an empty `bridge fdb show` */
int net_link_maddrs(struct net *n, uint32_t ifindex, uint8_t (*mac)[6], int max)
{
	(void)n;
	(void)ifindex;
	(void)mac;
	(void)max;
	return 0;
}

/* ---- the neighbour tables' parameters ---- */

struct neighparm *net_neigh_parms(struct net *n, int family, uint32_t ifindex)
{
	unsigned int f = family == AF_INET6, k = ifindex < FAKE_NP ? ifindex : FAKE_NP - 1;

	if ((family != AF_INET && family != AF_INET6) || !link_find(n, ifindex))
		return NULL;
	if (!n->np_made[f][k]) {
		neighparm_init(&n->np[f][k], family);
		n->np_made[f][k] = true;
	}
	return &n->np[f][k];
}

/* the last link first */
int net_neigh_parms_order(struct net *n, int family, uint32_t *ifindex, int max)
{
	int i, k = 0;

	for (i = (int)n->n_links - 1; i >= 0 && k < max; i--)
		if (net_neigh_parms(n, family, n->links[i].ifindex))
			ifindex[k++] = n->links[i].ifindex;
	return k;
}

struct neightbl *net_neigh_tbl(struct net *n, int family)
{
	return &n->ntbl[family == AF_INET6];
}

int net_neigh_sysctl_get(struct net *n, int family, const char *dev,
			 const char *name, char *buf, size_t size)
{
	struct net_link l;
	struct neighparm *p = net_link_by_name(n, dev, &l) ? NULL :
			      net_neigh_parms(n, family, l.ifindex);

	return p ? neighparm_print(p, family, neighparm_file(name), buf, size) : -ENOENT;
}

int net_neigh_sysctl_set(struct net *n, int family, const char *dev,
			 const char *name, const char *buf, size_t len)
{
	struct net_link l;
	struct neighparm *p = net_link_by_name(n, dev, &l) ? NULL :
			      net_neigh_parms(n, family, l.ifindex);

	return p ? neighparm_write(p, family, neighparm_file(name), buf, len) : -ENOENT;
}
