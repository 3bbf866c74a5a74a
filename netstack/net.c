/* SPDX-License-Identifier: MIT */
/*
 * net.c - the sandbox's devices, addresses and routes (net.h).
 *
 * Owns the device table (ifindex -> vdev, with each device's addresses),
 * keeps lwIP's netif addresses and router/'s connected and local routes in
 * step with it, and tells every listener (rtnetlink sockets) of each
 * change.  Called by the rtnetlink engine and by cli/'s control commands;
 * calls vdev/, router/ and lwIP's netif API.  It does not know how a
 * request arrived.
 *
 * Interface indexes start at 1 (the loopback) and are never reused while
 * the sandbox lives, so a stale index in a program's hands names nothing
 * rather than the wrong device.  lwIP holds one IPv4 address per netif,
 * the device's primary; its other IPv4 addresses live here only, and
 * route.c's hooks accept packets and answer ARP for them and pick them
 * as sources (patches/lwip/0003, 0026, 0027).  As on Linux, an address
 * in the subnet of an earlier one is its secondary (IFA_F_SECONDARY),
 * and deleting a primary deletes its secondaries first.
 *
 * Addresses may have lifetimes (`valid_lft 100 preferred_lft 50`,
 * IFA_CACHEINFO): one timer, armed for the next one to run out
 * (life_arm()), marks an address IFA_F_DEPRECATED when its preferred
 * lifetime ends and removes it with its routes when its valid one does,
 * as Linux's check_lifetime() and addrconf_verify_rtnl().
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_arp.h>
#include <linux/netconf.h>
#include <linux/rtnetlink.h>

#include "lwip/igmp.h"
#include "lwip/ip4_addr.h"
#include "lwip/ip6_addr.h"
#include "lwip/netif.h"
#include "lwip/mld6.h"

#include "internal.h"
#include "log.h"
#include "net.h"
#include "acl.h"
#include "netint.h"

#define MAX_LISTENERS	1024

struct listener {
	net_listen_fn *fn;
	void *arg;
};

static struct net *hook_net;	/* lwIP's hooks have no context: one stack */

/**
 * net__seterr() - write a one-line reason for a caller's @err buffer
 * @err:	the buffer, or NULL
 * @errlen:	its size
 * @fmt:	printf format
 */
void net__seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}


static void emit(struct net *n, struct net_event *ev)
{
	unsigned int i;

	ev->portid = n->origin_portid;
	ev->seq = n->origin_seq;
	for (i = 0; i < n->nls; i++)
		n->ls[i].fn(n->ls[i].arg, ev);
}

/* emit() for the other files of netstack/ */
void net__emit(struct net *n, struct net_event *ev)
{
	emit(n, ev);
}

#define NET_HELD_MAX	6	/* routes one address implies, and more */

/**
 * struct net_held - a route event held back (see hold_end())
 */
struct net_held {
	enum rt_event ev;
	struct rt_route r;
};

static void rexp_event(struct net *n, const struct rt_route *r);

static void on_route(void *arg, enum rt_event rev, const struct rt_route *r)
{
	struct net_event ev = {
		.type = rev == RT_EV_NEW ? NET_EV_NEWROUTE : NET_EV_DELROUTE,
		.route = r,
	};
	struct net *n = arg;

	net__hook_flush(arg, r);
	if (r->family == AF_INET6 && (n->n_rexp || n->rexp_adding))
		rexp_event(n, r);	/* before the event tells the expiry */
	if (n->quiet || (n->quiet_v4_del && rev == RT_EV_DEL && r->family == AF_INET))
		return;
	if (n->holding && n->held && n->n_held < NET_HELD_MAX) {
		n->held[n->n_held].ev = rev;
		n->held[n->n_held++].r = *r;
		return;
	}
	emit(arg, &ev);
}

static void on_rule(void *arg, enum rt_event rev, const struct rt_rule *r)
{
	struct net *n = arg;
	struct net_event ev = {
		.type = rev == RT_EV_NEW ? NET_EV_NEWRULE : NET_EV_DELRULE,
		.rule = r,
		.rule_flags = rt_rule_flags(n->rt, r),
	};

	emit(n, &ev);
}

/**
 * net_set_origin() - name the request the next changes answer
 * @n:		the network
 * @portid:	the requesting netlink socket's nl_pid, 0 for none
 * @seq:	the request's nlmsg_seq
 *
 * rtnl.c sets it around each request it handles and clears it after, so
 * that the notifications of a change carry the pid and seq of the request
 * that made it (Linux's rtnl_notify() with the request's nlmsghdr).
 */
void net_set_origin(struct net *n, uint32_t portid, uint32_t seq)
{
	if (!n)
		return;
	n->origin_portid = portid;
	n->origin_seq = seq;
}

/**
 * net__dev() - the device with an interface index
 * @n:		the network
 * @ifindex:	index
 *
 * Return: the device or NULL
 */
struct net_dev *net__dev(const struct net *n, uint32_t ifindex)
{
	struct net_dev *d;

	for (d = n->devs; d; d = d->next)
		if (d->ifindex == ifindex)
			return d;
	return NULL;
}

/* The device whose lwIP netif is @nif, or NULL */
struct net_dev *net__dev_of_netif(const struct net *n, const struct netif *nif)
{
	struct net_dev *d;

	for (d = n->devs; nif && d; d = d->next)
		if (vdev_netif(d->vdev) == nif)
			return d;
	return NULL;
}

/* The device named @name, or NULL */
struct net_dev *net__dev_by_name(const struct net *n, const char *name)
{
	struct net_dev *d;

	for (d = n->devs; d; d = d->next)
		if (!strcmp(vdev_name(d->vdev), name))
			return d;
	return NULL;
}

/* Where @name is among @d's altnames, or NULL */
static char *altname_at(const struct net_dev *d, const char *name)
{
	const char *p = NULL;

	while ((p = net_altname_next(d->alt, d->alt_len, p)))
		if (!strcmp(p, name))
			return d->alt + (p - d->alt);
	return NULL;
}

/**
 * net__dev_by_any_name() - the device named @name or having it as an
 *			    altname (Linux keeps both in one hash:
 *			    netdev_name_node_lookup(), __dev_get_by_name())
 * @n:		the network
 * @name:	the name
 *
 * Return: the device, or NULL
 */
struct net_dev *net__dev_by_any_name(const struct net *n, const char *name)
{
	struct net_dev *d;

	for (d = n->devs; d; d = d->next)
		if (!strcmp(vdev_name(d->vdev), name) || altname_at(d, name))
			return d;
	return NULL;
}

/**
 * net__dev_type() - a device's ARPHRD_ type, as `ip link` shows it
 * @d:		the device
 *
 * Return: ARPHRD_LOOPBACK, ARPHRD_NONE (the host uplink: bare IP, as a
 * tun device) or ARPHRD_ETHER
 */
uint16_t net__dev_type(const struct net_dev *d)
{
	if (d->loopback)
		return ARPHRD_LOOPBACK;
	return strcmp(vdev_kind(d->vdev), "host") ? ARPHRD_ETHER : ARPHRD_NONE;
}

static void snapshot(const struct net_dev *d, struct net_link *l)
{
	struct netif *nif = vdev_netif(d->vdev);

	memset(l, 0, sizeof(*l));
	l->ifindex = d->ifindex;
	snprintf(l->name, sizeof(l->name), "%s", vdev_name(d->vdev));
	snprintf(l->kind, sizeof(l->kind), "%s", vdev_kind(d->vdev));
	l->mtu = vdev_mtu(d->vdev);
	l->type = net__dev_type(d);
	if (l->type == ARPHRD_LOOPBACK) {
		l->flags = IFF_LOOPBACK;
	} else if (l->type == ARPHRD_NONE) {
		l->flags = IFF_POINTOPOINT;
	} else {
		l->flags = IFF_BROADCAST;
		memcpy(l->mac, vdev_mac(d->vdev), 6);
	}
	l->flags |= d->uflags;
	l->promiscuity = !!(d->uflags & IFF_PROMISC);
	l->allmulti = !!(d->uflags & IFF_ALLMULTI);
	l->group = d->group;
	if (d->alias)
		snprintf(l->alias, sizeof(l->alias), "%s", d->alias);
	if (vdev_is_up(d->vdev)) {
		l->flags |= IFF_UP;
		if (vdev_carrier(d->vdev) && netif_is_link_up(nif))
			l->flags |= IFF_RUNNING | IFF_LOWER_UP;
	}
	l->carrier_up = d->carrier_up;
	l->carrier_down = d->carrier_down;
	l->l3_stats = d->l3_stats;
	l->altnames = d->alt;
	l->altnames_len = d->alt_len;
	vdev_counters(d->vdev, &l->cnt);
	vdev_describe(d->vdev, l->desc, sizeof(l->desc));
}

/* Whether the device has a carrier now (IFF_LOWER_UP, snapshot()) */
static bool carrier_on(const struct net_dev *d)
{
	return vdev_is_up(d->vdev) && vdev_carrier(d->vdev) &&
	       netif_is_link_up(vdev_netif(d->vdev));
}

bool net__carrier(const struct net_dev *d)
{
	return carrier_on(d);
}

/* Count a change of the carrier since @was, as netif_carrier_on() and
 * _off() count a veth's (lo's never changes) */
static void carrier_count(struct net_dev *d, bool was)
{
	bool now = carrier_on(d);

	if (d->loopback || now == was)
		return;
	if (now)
		d->carrier_up++;
	else
		d->carrier_down++;
}

static void emit_link(struct net *n, const struct net_dev *d, bool gone)
{
	struct net_link l;
	struct net_event ev = { .type = gone ? NET_EV_DELLINK : NET_EV_NEWLINK,
				.link = &l };

	snapshot(d, &l);
	emit(n, &ev);
}

/* ---- address lifetimes ---- */

/* The flags inet6_rtm_newaddr() keeps of a request (it drops
 * IFA_F_OPTIMISTIC: there is no DAD; IFA_F_MCAUTOJOIN: see
 * docs/troubleshooting.md) */
#define V6_KEPT_FLAGS	(IFA_F_NODAD | IFA_F_HOMEADDRESS | \
			 IFA_F_MANAGETEMPADDR | IFA_F_NOPREFIXROUTE)
/* What __inet_insert_ifa() takes from an IPv4 request (IPV6ONLY_FLAGS),
 * and what net decides itself */
#define V4_DROP_FLAGS	(IFA_F_NODAD | IFA_F_OPTIMISTIC | IFA_F_DADFAILED | \
			 IFA_F_HOMEADDRESS | IFA_F_TENTATIVE | \
			 IFA_F_MANAGETEMPADDR | IFA_F_STABLE_PRIVACY | \
			 IFA_F_SECONDARY | IFA_F_PERMANENT | \
			 IFA_F_DEPRECATED | IFA_F_MCAUTOJOIN)

/* The loop's clock in hundredths of a second (Linux: since boot) */
static uint32_t now_cs(const struct net *n)
{
	return (uint32_t)(uv_now(n->loop) / 10);
}

/*
 * life_set() - @a's lifetimes from now on, @valid and @pref seconds or
 * NET_LIFE_FOREVER (@valid 0: none asked, both for ever): without a valid
 * lifetime it is IFA_F_PERMANENT, with a preferred one of 0
 * IFA_F_DEPRECATED at once (set_ifa_lifetime(), inet6_addr_add())
 */
static void life_set(const struct net *n, struct net_addr *a, uint32_t valid,
		     uint32_t pref)
{
	if (!valid)
		valid = pref = NET_LIFE_FOREVER;
	a->flags &= ~(uint32_t)(IFA_F_PERMANENT | IFA_F_DEPRECATED);
	if (valid == NET_LIFE_FOREVER && !a->ra)
		a->flags |= IFA_F_PERMANENT;
	if (!pref)
		a->flags |= IFA_F_DEPRECATED;
	a->set_valid = valid;
	a->set_pref = pref;
	a->tstamp = now_cs(n);
}

/* Whether @a's lifetimes never run out: an IPv4 address that is
 * permanent (check_lifetime() skips it), an IPv6 one that is permanent
 * and preferred for ever (addrconf_verify_rtnl()) */
static bool life_forever(const struct net_addr *a)
{
	return (a->flags & IFA_F_PERMANENT) &&
	       (a->family == AF_INET || a->set_pref == NET_LIFE_FOREVER);
}

/*
 * life_report() - @a's valid_lft and preferred_lft as what is left, as
 * inet_fill_ifaddr() and inet6_fill_ifaddr() count it: whole seconds
 * since tstamp, and nothing counts down while the preferred lifetime is
 * for ever
 */
static void life_report(const struct net *n, struct net_addr *a)
{
	uint32_t t = (now_cs(n) - a->tstamp) / 100;

	a->valid_lft = a->preferred_lft = NET_LIFE_FOREVER;
	if (life_forever(a))
		return;
	a->valid_lft = a->set_valid;
	a->preferred_lft = a->set_pref;
	if (a->set_pref == NET_LIFE_FOREVER)
		return;
	a->preferred_lft = a->set_pref > t ? a->set_pref - t : 0;
	if (a->set_valid != NET_LIFE_FOREVER)
		a->valid_lft = a->set_valid > t ? a->set_valid - t : 0;
}

/* When @a is next deprecated or removed, in the loop's hundredths of a
 * second; 0 for never */
static uint64_t life_next(const struct net_addr *a)
{
	if (life_forever(a))
		return 0;
	if (a->set_pref != NET_LIFE_FOREVER && !(a->flags & IFA_F_DEPRECATED))
		return a->tstamp + a->set_pref * 100ull;
	if (a->set_valid != NET_LIFE_FOREVER)
		return a->tstamp + a->set_valid * 100ull;
	return 0;
}

static void emit_addr(struct net *n, const struct net_addr *a, bool gone)
{
	struct net_addr c = *a;
	struct net_event ev = { .type = gone ? NET_EV_DELADDR : NET_EV_NEWADDR,
				.addr = &c };

	life_report(n, &c);
	emit(n, &ev);
}

/**
 * net__emit_netconf() - tell listeners a forwarding sysctl changed
 * @n:		the network
 * @family:	AF_INET or AF_INET6
 * @ifindex:	the device's, NET_CONF_ALL or NET_CONF_DEFAULT
 * @val:	its value now
 */
void net__emit_netconf(struct net *n, int family, int32_t ifindex, int val)
{
	struct net_netconf c = { .family = (uint8_t)family,
				 .ifindex = ifindex, .forwarding = val };
	struct net_event ev = { .type = NET_EV_NETCONF, .conf = &c };

	emit(n, &ev);
}

/**
 * net__emit_neigh() - tell listeners a neighbour entry changed or went
 * @n:		the network
 * @nb:		the entry (as it is now, or as it was before it went)
 * @gone:	removed
 */
void net__emit_neigh(struct net *n, const struct net_neigh *nb, bool gone)
{
	struct net_event ev = { .type = gone ? NET_EV_DELNEIGH : NET_EV_NEWNEIGH,
				.neigh = nb };

	net__neigh_told(n, nb, gone);
	emit(n, &ev);
}

/**
 * net__emit_prefix() - tell listeners of a prefix a device took from a
 * router advertisement (RTM_NEWPREFIX)
 * @n:		the network
 * @p:		the prefix
 */
void net__emit_prefix(struct net *n, const struct net_prefix *p)
{
	struct net_event ev = { .type = NET_EV_NEWPREFIX, .prefix = p };

	emit(n, &ev);
}

/* A device's sysctls came or went, IPv4's then IPv6's (@family: 0 for
 * both, else that one's): told before its RTM_NEWLINK and before its
 * RTM_DELLINK, as Linux's protocols tell them from NETDEV_REGISTER and
 * NETDEV_UNREGISTER; IPv6's alone when an MTU change takes or gives
 * back its inet6_dev */
static void emit_dev_conf(struct net *n, const struct net_dev *d, int family,
			  bool gone)
{
	struct net_netconf c = { .ifindex = (int32_t)d->ifindex,
				 .added = !gone, .gone = gone };
	struct net_event ev = { .type = NET_EV_NETCONF, .conf = &c };
	unsigned int f;

	for (f = 0; f < 2; f++) {
		if ((family == AF_INET && f) || (family == AF_INET6 && !f) ||
		    (f && !family && d->v6_gone))
			continue;
		c.family = f ? AF_INET6 : AF_INET;
		c.forwarding = d->fwd[f];
		net_netconf_values(n, &c);
		emit(n, &ev);
	}
}

/* ---- the other per-device sysctls (devconf.h) ---- */

/* A new device's: conf/default's values as they are now (Linux copies
 * them), with what a loopback and IPv6's MTU make its own */
static void conf_new_dev(struct net *n, struct net_dev *d)
{
	unsigned int mtu = vdev_mtu(d->vdev);

	if (d->loopback) {
		/* made with the network, and up with 127.0.0.1 at once:
		 * inetdev_event()'s NETDEV_UP of a loopback marks all its
		 * IPv4 values its own (ipv4_devconf_setall()) */
		devconf_init(&d->conf[0], AF_INET, DEVCONF_LO, mtu);
		devconf_init(&d->conf[1], AF_INET6, DEVCONF_LO, mtu);
		d->conf[0].set = ~0ULL;
		neighparm_init(&d->nparm[0], AF_INET);
		neighparm_init(&d->nparm[1], AF_INET6);
		return;
	}
	/* the tables' own, as neigh_parms_alloc() copies them (a network
	 * namespace has no neigh/default/ to change them by) */
	neighparm_init(&d->nparm[0], AF_INET);
	neighparm_init(&d->nparm[1], AF_INET6);
	d->conf[0] = n->conf_dflt[0];
	d->conf[1] = n->conf_dflt[1];
	d->conf[0].set = d->conf[1].set = 0;
	d->conf[1].v[devconf_index(AF_INET6, "mtu")] = mtu;
}

/* conf/@dev of family index @f: "all", "default" or a device (*@d) */
static struct devconf *conf_of(struct net *n, int f, const char *dev,
			       struct net_dev **d)
{
	*d = NULL;
	if (!strcmp(dev, "all"))
		return &n->conf_all[f];
	if (!strcmp(dev, "default"))
		return &n->conf_dflt[f];
	*d = net__dev_by_name(n, dev);
	if (*d && f && (*d)->v6_gone)
		*d = NULL;
	return *d ? &(*d)->conf[f] : NULL;
}

static int32_t conf_ifindex(const struct net_dev *d, const struct devconf *c,
			    const struct net *n, int f)
{
	if (d)
		return (int32_t)d->ifindex;
	return c == &n->conf_all[f] ? NET_CONF_ALL : NET_CONF_DEFAULT;
}

static int conf_val(const struct devconf *c, int family, const char *name)
{
	int k = devconf_index(family, name);

	return k < 0 ? 0 : (int)c->v[k];
}

/**
 * net_netconf_values() - fill @c's values (rp_filter, proxy_neigh,
 * ignore_linkdown, bc_forwarding) from the sysctls of its family and
 * ifindex; forwarding is the caller's
 * @n:		the network
 * @c:		family and ifindex set
 */
void net_netconf_values(struct net *n, struct net_netconf *c)
{
	const struct devconf *k;
	const struct net_dev *d;
	int f = c->family == AF_INET6, fam = f ? AF_INET6 : AF_INET;

	if (c->ifindex == NET_CONF_ALL) {
		k = &n->conf_all[f];
	} else if (c->ifindex == NET_CONF_DEFAULT) {
		k = &n->conf_dflt[f];
	} else {
		d = net__dev(n, (uint32_t)c->ifindex);
		if (!d)
			return;
		k = &d->conf[f];
	}
	c->rp_filter = f ? 0 : conf_val(k, fam, DEVCONF4_RP_FILTER);
	c->proxy_neigh = conf_val(k, fam, f ? DEVCONF6_PROXY_NDP : DEVCONF4_PROXY_ARP);
	c->ignore_linkdown = conf_val(k, fam, DEVCONF_IGNORE_LINKDOWN);
	c->bc_forwarding = f ? 0 : conf_val(k, fam, DEVCONF4_BC_FORWARDING);
}

/* RTM_NEWNETCONF of one value that changed: @type (NETCONFA_*) of conf @c */
static void conf_tell(struct net *n, int f, const struct net_dev *d,
		      const struct devconf *c, uint16_t type)
{
	struct net_netconf nc = { .family = f ? AF_INET6 : AF_INET,
				  .ifindex = conf_ifindex(d, c, n, f),
				  .only = type };
	struct net_event ev = { .type = NET_EV_NETCONF, .conf = &nc };

	net_netconf_values(n, &nc);
	emit(n, &ev);
}

/* The NETCONFA_* a change of file @name of family index @f is told as
 * (devinet_conf_proc(), addrconf_sysctl_proxy_ndp(), ...), 0 for none */
static uint16_t conf_told(int f, const char *name)
{
	if (!strcmp(name, DEVCONF_IGNORE_LINKDOWN))
		return NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN;
	if (!strcmp(name, f ? DEVCONF6_PROXY_NDP : DEVCONF4_PROXY_ARP))
		return NETCONFA_PROXY_NEIGH;
	return !f && !strcmp(name, DEVCONF4_RP_FILTER) ? NETCONFA_RP_FILTER : 0;
}

/**
 * net_devconf_get() - the value of /proc/sys/net/ipv4|ipv6/conf/DEV/NAME
 * @n:		the network
 * @family:	AF_INET or AF_INET6
 * @dev:	"all", "default" or a device's name
 * @name:	the file
 * @val:	set to the value
 *
 * Return: 0; -ENOENT for a name or device the sandbox has not; -EIO for
 * IPv6's stable_secret, which is not set (as Linux's read says)
 */
int net_devconf_get(struct net *n, int family, const char *dev,
		    const char *name, int64_t *val)
{
	int f = family == AF_INET6, k = devconf_index(family, name), fwd = 0, ret;
	const struct devconf *c;
	struct net_dev *d;

	if (!n || k < 0 || !devconf_host_has(family, k))
		return -ENOENT;
	if (!strcmp(name, "forwarding")) {
		ret = net_forward_get(n, family, dev, &fwd);
		*val = fwd;
		return ret == -ENODEV ? -ENOENT : ret;
	}
	c = conf_of(n, f, dev, &d);
	if (!c)
		return -ENOENT;
	if (!strcmp(name, "stable_secret"))
		return -EIO;
	*val = c->v[k];
	return 0;
}

/**
 * net__v6_disabled() - whether a device has IPv6 turned off
 * (conf/DEV/disable_ipv6, or no IPv6 at all for an MTU below 1280;
 * n->v6_off counts the devices that have)
 * @d:		the device
 *
 * Return: true when it has
 */
bool net__v6_disabled(const struct net_dev *d)
{
	return d->v6_gone ||
	       d->conf[1].v[devconf_index(AF_INET6, "disable_ipv6")] != 0;
}

/*
 * mroute_add() - @d's `multicast ff00::/8 dev D table local proto kernel
 * metric 256`, as Linux's addrconf_add_mroute(): every device but lo has
 * one while it is up with IPv6 on.  Added on up, when disable_ipv6 turns
 * off and with each new IPv6 address (so one the user deleted comes back
 * then, as addrconf_add_dev() adds it again); it goes with the device's
 * IPv6 routes on down, disable_ipv6 and removal (rt_link_down(),
 * rt_link_flush_family(), rt_link_gone()).  The first device's takes a
 * group sent without a device (ip6_route_output()).
 */
static void mroute_add(struct net *n, struct net_dev *d)
{
	if (d->loopback || !vdev_is_up(d->vdev) || net__v6_disabled(d))
		return;
	if (rt_dev_mroute_add(n->rt, d->ifindex))
		warn("%s: out of memory for its ff00::/8 multicast route",
		     vdev_name(d->vdev));
}

/* Whether @a is an IPv6 link-local address */
static bool v6_ll(const struct net_addr *a)
{
	return a->family == AF_INET6 && a->addr[0] == 0xfe && (a->addr[1] & 0xc0) == 0x80;
}

/*
 * An up device with IPv6 on gets its IPv6 address back, as
 * addrconf_notify(NETDEV_UP) makes it: lo ::1/128 (init_loopback()), an
 * Ethernet device its EUI-64 link-local address (addrconf_dev_config()),
 * unless it has one.  The host uplink (no link layer) gets none.
 */
static void v6_addr_back(struct net *n, struct net_dev *d)
{
	static const uint8_t lo6[16] = { [15] = 1 };
	struct net_addr a;
	struct net_link l;
	unsigned int i;

	if (!vdev_is_up(d->vdev) || net__v6_disabled(d))
		return;
	for (i = 0; i < d->n_addrs; i++)
		if (d->loopback ? d->addrs[i].family == AF_INET6 &&
				  !memcmp(d->addrs[i].addr, lo6, 16) :
				  v6_ll(&d->addrs[i]))
			return;
	memset(&a, 0, sizeof(a));
	a.ifindex = d->ifindex;
	a.family = AF_INET6;
	if (d->loopback) {
		a.addr[15] = 1;
		a.plen = 128;
		a.no_prefix = true;
	} else {
		if (net_link_get(n, d->ifindex, &l) || l.type != ARPHRD_ETHER)
			return;
		a.addr[0] = 0xfe;
		a.addr[1] = 0x80;
		a.addr[8] = l.mac[0] ^ 0x02;
		a.addr[9] = l.mac[1];
		a.addr[10] = l.mac[2];
		a.addr[11] = 0xff;
		a.addr[12] = 0xfe;
		a.addr[13] = l.mac[3];
		a.addr[14] = l.mac[4];
		a.addr[15] = l.mac[5];
		a.plen = 64;
	}
	if (net_addr_add(n, &a, 0, NULL, 0))
		warn("%s: IPv6 on again, but its address could not be restored",
		     vdev_name(d->vdev));
}

/* @d's IPv6 routes, neighbour entries (permanent ones too, each told)
 * and addresses removed (addrconf_ifdown(), rt6_disable_ip()); with
 * @gone its inet6_dev too (ipv6_ac_destroy_dev(): every anycast address,
 * else only the users its addresses hold leave with them) */
static void v6_flush(struct net *n, struct net_dev *d, bool gone)
{
	struct net_addr a;
	unsigned int i;

	rt_link_flush_family(n->rt, d->ifindex, AF_INET6);
	if (gone)
		net__acast_forget(d);
	net__neigh_dev_gone(n, d->ifindex, AF_INET6);
	for (i = d->n_addrs; i-- > 0;) {
		if (i >= d->n_addrs || d->addrs[i].family != AF_INET6)
			continue;
		a = d->addrs[i];
		(void)net_addr_del(n, &a, NULL, 0);
	}
}

/*
 * conf/DEV/disable_ipv6 of @d turned on or off (dev_disable_change()):
 * on, the device loses every IPv6 route through it, its IPv6 neighbour
 * entries (permanent ones too, each told) and its IPv6 addresses
 * (addrconf_ifdown(): keep_addr_on_down does not apply), and takes no
 * IPv6 packet, address, route or neighbour entry until it is off again; off, it
 * gets its link-local address (lo: ::1) back if up.  Global addresses do
 * not come back, as on Linux.
 */
static void v6_disable_change(struct net *n, struct net_dev *d, bool off)
{
	n->v6_off += off ? 1 : -1;
	if (!off) {
		mroute_add(n, d);
		v6_addr_back(n, d);
		return;
	}
	v6_flush(n, d, false);
}

/*
 * NETDEV_CHANGEMTU of @d to @mtu, as Linux's addrconf_notify(): below
 * IPV6_MIN_MTU (1280) a device other than lo loses IPv6 altogether
 * (addrconf_ifdown(dev, true) unregisters its inet6_dev): its IPv6
 * routes, neighbour entries and addresses go as for disable_ipv6, then
 * its ipv6/conf/DEV directory (RTM_DELNETCONF); an IPv6 address or route
 * for it is refused (EINVAL, ENODEV) and `sysctl` finds no
 * net.ipv6.conf.DEV.  At 1280 or more again it is a new inet6_dev:
 * conf/default's values (RTM_NEWNETCONF), its multicast route and
 * link-local address if up; other addresses do not come back.  lo
 * (addrconf_ifdown(dev, false)) only loses its IPv6 addresses and
 * routes, and gets ::1 back when it next comes up.
 */
static void v6_mtu_change(struct net *n, struct net_dev *d, unsigned int mtu)
{
	bool was_off = net__v6_disabled(d);

	if (mtu < 1280 && d->loopback) {
		v6_flush(n, d, false);
	} else if (mtu < 1280 && !d->v6_gone) {
		v6_flush(n, d, true);
		net__allrouters(d, NET_AR_GONE);	/* ipv6_mc_destroy_dev() */
		d->v6_gone = true;
		if (!was_off)
			n->v6_off++;
		emit_dev_conf(n, d, AF_INET6, true);
	} else if (mtu >= 1280 && d->v6_gone) {
		d->v6_gone = false;
		d->conf[1] = n->conf_dflt[1];
		d->conf[1].set = 0;
		d->conf[1].v[devconf_index(AF_INET6, "mtu")] = mtu;
		neighparm_init(&d->nparm[1], AF_INET6);	/* a new nd_parms */
		vdev_netif(d->vdev)->mtu6 = (u16_t)(mtu > 65535 ? 65535 : mtu);
		d->fwd[1] = n->fwd_dflt[1];
		net__allrouters(d, NET_AR_NEW);
		if (!net__v6_disabled(d))
			n->v6_off--;
		emit_dev_conf(n, d, AF_INET6, false);
		mroute_add(n, d);
		v6_addr_back(n, d);
	}
}

/**
 * net_devconf_set() - write /proc/sys/net/ipv4|ipv6/conf/DEV/NAME, as
 * Linux's handlers take it: forwarding as net_forward_set(); IPv4's
 * "default" goes to every device that was not given its own value
 * (devinet_copy_dflt_conf()); IPv6's "all" ignore_routes_with_linkdown
 * and disable_ipv6 to "default" and every device
 * (addrconf_linkdown_change(), addrconf_disable_change()); a device's
 * IPv6 mtu becomes lwIP's IPv6 MTU for it.  A change of rp_filter,
 * proxy_arp or proxy_ndp, or ignore_routes_with_linkdown is told as
 * RTM_NEWNETCONF.  The rest is kept and shown only.
 * @n:		the network
 * @family:	AF_INET or AF_INET6
 * @dev:	"all", "default" or a device's name
 * @name:	the file
 * @val:	the value
 *
 * Return: 0, -ENOENT (no such file), -EACCES (read-only), -EINVAL (out of
 * the handler's range)
 */
int net_devconf_set(struct net *n, int family, const char *dev,
		    const char *name, int64_t val)
{
	int f = family == AF_INET6, k = devconf_index(family, name), ret;
	struct devconf *c;
	struct net_dev *d, *o;
	uint16_t type;
	int64_t old;

	if (!n || k < 0 || !devconf_host_has(family, k))
		return -ENOENT;
	if (!strcmp(name, "forwarding"))
		return val < INT32_MIN || val > INT32_MAX ? -EINVAL :
		       net_forward_set(n, family, dev, (int)val);
	c = conf_of(n, f, dev, &d);
	if (!c)
		return -ENOENT;
	if (devconf_readonly(family, k))
		return -EACCES;
	ret = devconf_check(family, k, val, d ? vdev_mtu(d->vdev) : 0);
	if (ret)
		return ret;
	old = c->v[k];
	c->v[k] = val;
	if (d)
		c->set |= 1ULL << k;
	if (d && f && !strcmp(name, "disable_ipv6") && !old != !val)
		v6_disable_change(n, d, val != 0);
	if (d && f && !strcmp(name, "mtu"))
		vdev_netif(d->vdev)->mtu6 = (u16_t)(val > 65535 ? 65535 : val);
	if (!f && c == &n->conf_dflt[0])
		for (o = n->devs; o; o = o->next)
			if (!(o->conf[0].set & (1ULL << k)))
				o->conf[0].v[k] = val;
	/* addrconf_linkdown_change(), addrconf_disable_change() */
	if (f && c == &n->conf_all[1] && (!strcmp(name, DEVCONF_IGNORE_LINKDOWN) ||
					  !strcmp(name, "disable_ipv6"))) {
		n->conf_dflt[1].v[k] = val;
		for (o = n->devs; o; o = o->next) {
			bool changed = !o->conf[1].v[k] != !val;

			if (o->v6_gone)
				continue;

			o->conf[1].v[k] = val;
			if (changed && !strcmp(name, DEVCONF_IGNORE_LINKDOWN))
				conf_tell(n, f, o, &o->conf[1],
					  NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN);
			else if (changed)
				v6_disable_change(n, o, val != 0);
		}
	}
	/* told when it changes (IPv6's ignore_routes_with_linkdown: when it
	 * turns on or off) */
	type = conf_told(f, name);
	if (type && (f && type == NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN ?
		     !old != !val : old != val))
		conf_tell(n, f, d, c, type);
	return 0;
}

/* ---- the neighbour tables' parameters (neighparm.h) ---- */

/* @dev's parameters of @family's table, NULL when it has none (no such
 * device; IPv6's of a device that lost IPv6 to a small MTU) */
static struct neighparm *nparm_of(struct net_dev *d, int family)
{
	if (!d || (family != AF_INET && family != AF_INET6) ||
	    (family == AF_INET6 && d->v6_gone))
		return NULL;
	return &d->nparm[family == AF_INET6];
}

/**
 * net_neigh_sysctl_get() - /proc/sys/net/ipv4|ipv6/neigh/DEV/NAME as
 * Linux prints it
 * @n:		the network
 * @family:	AF_INET or AF_INET6
 * @dev:	a device's name ("default" is the host namespace's alone)
 * @name:	the file
 * @buf:	where the text goes (with its newline)
 * @size:	room at @buf
 *
 * Return: its length, or -ENOENT for no such device or file
 */
int net_neigh_sysctl_get(struct net *n, int family, const char *dev,
			 const char *name, char *buf, size_t size)
{
	struct neighparm *p = n ? nparm_of(net__dev_by_name(n, dev), family) : NULL;
	int k = neighparm_file(name);

	if (!p || k < 0)
		return -ENOENT;
	return neighparm_print(p, family, k, buf, size);
}

/**
 * net_neigh_sysctl_set() - a program's first write to
 * /proc/sys/net/ipv4|ipv6/neigh/DEV/NAME, taken as Linux's handler takes
 * it (neighparm_write()); kept and shown (`ip ntable`), not acted on
 * @n:		the network
 * @family:	AF_INET or AF_INET6
 * @dev:	a device's name
 * @name:	the file
 * @buf:	what was written
 * @len:	its length
 *
 * Return: 0, -ENOENT (no such device or file), -EINVAL (refused by the
 * handler: nothing changed)
 */
int net_neigh_sysctl_set(struct net *n, int family, const char *dev,
			 const char *name, const char *buf, size_t len)
{
	struct neighparm *p = n ? nparm_of(net__dev_by_name(n, dev), family) : NULL;
	int k = neighparm_file(name);

	if (!p || k < 0)
		return -ENOENT;
	return neighparm_write(p, family, k, buf, len);
}

/**
 * net_neigh_parms() - the parameters of device @ifindex in @family's
 * table, for RTM_GETNEIGHTBL and RTM_SETNEIGHTBL to read and change
 * @n:		the network
 * @family:	AF_INET (arp_cache) or AF_INET6 (ndisc_cache)
 * @ifindex:	the device (0, the table's own, is the host namespace's
 *		alone: none here, as in a network namespace)
 *
 * Return: them, or NULL
 */
struct neighparm *net_neigh_parms(struct net *n, int family, uint32_t ifindex)
{
	return ifindex ? nparm_of(net__dev(n, ifindex), family) : NULL;
}

/* newest first */
static int by_born(const void *a, const void *b)
{
	uint64_t x = ((const uint64_t *)a)[0], y = ((const uint64_t *)b)[0];

	return x < y ? 1 : x > y ? -1 : 0;
}

/**
 * net_neigh_parms_order() - the devices that have parameters in
 * @family's table, the newest parameters first (Linux's parms_list order)
 * @n:		the network
 * @family:	AF_INET or AF_INET6
 * @ifindex:	filled with their indexes
 * @max:	room in @ifindex
 *
 * Return: how many were filled
 */
int net_neigh_parms_order(struct net *n, int family, uint32_t *ifindex, int max)
{
	uint64_t (*v)[2];
	struct net_dev *d;
	int k = 0, i;

	for (d = n->devs; d; d = d->next)
		k++;
	v = calloc((size_t)k + 1, sizeof(*v));
	if (!v)
		return 0;
	k = 0;
	for (d = n->devs; d; d = d->next) {
		struct neighparm *p = nparm_of(d, family);

		if (p) {
			v[k][0] = p->born;
			v[k++][1] = d->ifindex;
		}
	}
	qsort(v, (size_t)k, sizeof(*v), by_born);
	for (i = 0; i < k && i < max; i++)
		ifindex[i] = (uint32_t)v[i][1];
	free(v);
	return i;
}

/**
 * net_neigh_tbl() - @family's table state; every 300 seconds the
 * devices' reachable times are drawn again, as neigh_periodic_work()
 * does (here when the table is looked at)
 * @n:		the network
 * @family:	AF_INET or AF_INET6
 *
 * Return: the table
 */
struct neightbl *net_neigh_tbl(struct net *n, int family)
{
	struct neightbl *t = &n->ntbl[family == AF_INET6];
	uint64_t now = neighparm_now_ms();
	struct net_dev *d;

	if (now - t->rand_ms > 300000) {
		neighparm_draw(&t->dflt);
		for (d = n->devs; d; d = d->next)
			if (nparm_of(d, family))
				neighparm_draw(nparm_of(d, family));
		t->rand_ms = now;
	}
	return t;
}

/* Hold the route events of an address change back (hold_end() tells) */
static void hold_begin(struct net *n)
{
	if (!n->held)
		n->held = calloc(NET_HELD_MAX, sizeof(*n->held));
	n->n_held = 0;
	n->holding = true;
}

/*
 * When a route implied by an address is told, relative to the address
 * (rank 1 in IPv6 additions, 0 elsewhere), as `ip monitor` shows on Linux
 * 6.x:
 * IPv4 add: address, local, prefix, broadcast (inet_insert_ifa(), then
 * fib_add_ifaddr()); IPv4 delete: address, prefix, broadcast, local;
 * IPv6 add: prefix, address, local, anycast, peer (__ipv6_ifa_notify());
 * IPv6 delete: address, anycast, peer, local, prefix.
 */
static int held_rank(const struct rt_route *r, const struct net_addr *a, bool add)
{
	bool local = r->type == RTN_LOCAL && r->table == RT_TABLE_LOCAL_ID &&
		     r->dst_len == (r->family == AF_INET ? 32 : 128);
	bool peer = a->has_peer && r->family == AF_INET6 && r->type == RTN_UNICAST &&
		    r->dst_len == 128 && !memcmp(r->dst, a->peer, 16);
	bool acast = r->type == RTN_ANYCAST;

	if (r->family == AF_INET6)
		return add ? (peer ? 4 : acast ? 3 : local ? 2 : 0) :
			     (acast ? 1 : peer ? 2 : local ? 3 : 4);
	if (r->type == RTN_BROADCAST)
		return add ? 3 : 2;
	if (local)
		return add ? 1 : 3;
	return add ? 2 : 1;
}

/* Tell the address event @a and the held route events in Linux's order */
static void hold_end(struct net *n, const struct net_addr *a, bool add)
{
	struct net_event ev;
	unsigned int i;
	int rank, addr_rank = a->family == AF_INET6 && add ? 1 : 0;

	n->holding = false;
	for (rank = 0; rank <= 4; rank++) {
		if (rank == addr_rank)
			emit_addr(n, a, !add);
		for (i = 0; i < n->n_held; i++) {
			if (held_rank(&n->held[i].r, a, add) != rank)
				continue;
			ev.type = n->held[i].ev == RT_EV_NEW ? NET_EV_NEWROUTE :
							       NET_EV_DELROUTE;
			ev.route = &n->held[i].r;
			emit(n, &ev);
		}
	}
	n->n_held = 0;
}

static uint8_t addr_scope(uint8_t family, const uint8_t *a)
{
	if (family == AF_INET)
		return a[0] == 127 ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE;
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return RT_SCOPE_LINK;
	if (!memcmp(a, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1", 16))
		return RT_SCOPE_HOST;
	return RT_SCOPE_UNIVERSE;
}

/* Whether IPv4 prefix @a/@plen holds @ip (network order) */
static bool holds4(const uint8_t *a, uint8_t plen, const uint8_t *ip)
{
	uint32_t x, y, m = plen ? ~0u << (32 - plen) : 0;

	memcpy(&x, a, 4);
	memcpy(&y, ip, 4);
	return !((ntohl(x) ^ ntohl(y)) & m);
}

/* An IPv4 address's subnet address: its peer's, else its own (Linux's
 * ifa_address) */
static const uint8_t *pfx4(const struct net_addr *a)
{
	return a->has_peer ? a->peer : a->addr;
}

/* Same prefix length and subnet (inet_ifa_match() with equal masks) */
static bool same_subnet4(const struct net_addr *x, const struct net_addr *y)
{
	return x->plen == y->plen && holds4(pfx4(x), x->plen, pfx4(y));
}

/*
 * addr_index() - where @d keeps address @a, or -1
 * @d:		the device
 * @a:		the address
 * @del:	look as a removal does
 *
 * IPv6 addresses are one per address (ipv6_chk_same_addr()); a removal
 * also wants the prefix length when @a has one.  IPv4 ones are told
 * apart by address, prefix length and subnet, so the same address may be
 * there with other masks or peers (find_matching_ifa()); a removal wants
 * the address, the label when @a has one, and the prefix length and
 * subnet unless @a->plen is 0 (inet_rtm_deladdr(): a request without
 * IFA_ADDRESS, `ip addr del A dev D` without a length), first match
 * first.
 */
static int addr_index(const struct net_dev *d, const struct net_addr *a,
		      bool del)
{
	size_t len = a->family == AF_INET ? 4 : 16;
	unsigned int i;

	for (i = 0; i < d->n_addrs; i++) {
		const struct net_addr *o = &d->addrs[i];

		if (o->family != a->family || memcmp(o->addr, a->addr, len))
			continue;
		if (a->family == AF_INET6) {
			if (!del || !a->plen || o->plen == a->plen)
				return (int)i;
			continue;
		}
		if (del && a->label[0] && strncmp(o->label, a->label, sizeof(o->label)))
			continue;
		if ((del && !a->plen) ||
		    (o->plen == a->plen && holds4(pfx4(a), o->plen, pfx4(o))))
			return (int)i;
	}
	return -1;
}

/* The index of @a's subnet's primary IPv4 address on @d, or -1 */
static int subnet_primary(const struct net_dev *d, const struct net_addr *a)
{
	unsigned int i;

	for (i = 0; i < d->n_addrs; i++)
		if (d->addrs[i].family == AF_INET &&
		    !(d->addrs[i].flags & IFA_F_SECONDARY) &&
		    memcmp(d->addrs[i].addr, a->addr, 4) &&
		    same_subnet4(&d->addrs[i], a))
			return (int)i;
	return -1;
}

/* The index of a secondary IPv4 address of primary @a's subnet, or -1 */
static int subnet_secondary(const struct net_dev *d, const struct net_addr *a)
{
	unsigned int i;

	for (i = 0; i < d->n_addrs; i++)
		if (d->addrs[i].family == AF_INET &&
		    (d->addrs[i].flags & IFA_F_SECONDARY) &&
		    same_subnet4(&d->addrs[i], a))
			return (int)i;
	return -1;
}

/* lwIP's netif holds one IPv4 address, the device's first (its primary);
 * the others live in d->addrs only, accepted by rrs_ip4_accept() and
 * answered by ARP (patches/lwip/0026). */
static void lwip_addr4_primary(struct netif *nif, const struct net_addr *a)
{
	ip4_addr_t ip, mask, gw;

	memcpy(&ip.addr, a->addr, 4);
	mask.addr = a->plen ? lwip_htonl(~0u << (32 - a->plen)) : 0;
	ip4_addr_set_zero(&gw);
	netif_set_addr(nif, &ip, &mask, &gw);
}

/* Put the address into lwIP's netif.  Return: 0 or a negative errno */
static int lwip_addr_set(struct net_dev *d, const struct net_addr *a,
			 char *err, size_t errlen)
{
	struct netif *nif = vdev_netif(d->vdev);
	ip6_addr_t a6;
	s8_t idx;

	if (a->family == AF_INET) {
		if (ip4_addr_isany_val(*netif_ip4_addr(nif)))
			lwip_addr4_primary(nif, a);
		return 0;	/* else a secondary: nothing in lwIP */
	}
	memcpy(a6.addr, a->addr, 16);
	ip6_addr_clear_zone(&a6);
	if (ip6_addr_islinklocal(&a6))
		ip6_addr_assign_zone(&a6, IP6_UNICAST, nif);
	if (netif_get_ip6_addr_match(nif, &a6) >= 0)
		return 0;
	if (netif_add_ip6_address(nif, &a6, &idx) != ERR_OK) {
		net__seterr(err, errlen, "device '%s' has no room for another IPv6 "
		       "address (lwIP holds %d)", vdev_name(d->vdev),
		       LWIP_IPV6_NUM_ADDRESSES);
		return -ENOSPC;
	}
	netif_ip6_addr_set_state(nif, idx, IP6_ADDR_PREFERRED);
	return 0;
}

/* The index of IPv6 address @addr (16 bytes) among @nif's, or -1 */
static s8_t lwip_addr6_index(struct netif *nif, const uint8_t *addr)
{
	ip6_addr_t a6;

	memcpy(a6.addr, addr, 16);
	ip6_addr_clear_zone(&a6);
	if (ip6_addr_islinklocal(&a6))
		ip6_addr_assign_zone(&a6, IP6_UNICAST, nif);
	return netif_get_ip6_addr_match(nif, &a6);
}

static void lwip_addr_clear(struct net_dev *d, const struct net_addr *a)
{
	struct netif *nif = vdev_netif(d->vdev);
	s8_t idx;

	if (a->family == AF_INET) {
		unsigned int i;

		if (memcmp(&netif_ip4_addr(nif)->addr, a->addr, 4))
			return;		/* a secondary */
		/* the same address with another mask or peer stays: the
		 * netif keeps it (lwIP would drop its connections) */
		for (i = 0; i < d->n_addrs; i++)
			if (d->addrs[i].family == AF_INET &&
			    !memcmp(d->addrs[i].addr, a->addr, 4)) {
				lwip_addr4_primary(nif, &d->addrs[i]);
				return;
			}
		/* the netif's address goes: the device's next IPv4 address
		 * (another subnet's: the secondaries of this one went first)
		 * takes its place; ANY first, so that lwIP moves no listener
		 * to the new address */
		netif_set_addr(nif, IP4_ADDR_ANY4, IP4_ADDR_ANY4, IP4_ADDR_ANY4);
		for (i = 0; i < d->n_addrs; i++)
			if (d->addrs[i].family == AF_INET) {
				lwip_addr4_primary(nif, &d->addrs[i]);
				break;
			}
		return;
	}
	idx = lwip_addr6_index(nif, a->addr);
	if (idx >= 0)
		netif_ip6_addr_set_state(nif, idx, IP6_ADDR_INVALID);
}

/* router/'s flags for the routes @a implies */
static unsigned int rt_flags(const struct net_addr *a)
{
	return (a->flags & IFA_F_NOPREFIXROUTE) || a->no_prefix ?
	       RT_ADDR_NOPREFIXROUTE : 0;
}

/* An IPv6 address's lwIP state: deprecated or preferred, as its flags */
static void lwip_addr6_state(struct net_dev *d, const struct net_addr *a)
{
	struct netif *nif = vdev_netif(d->vdev);
	s8_t idx;

	if (a->family != AF_INET6)
		return;
	idx = lwip_addr6_index(nif, a->addr);
	if (idx >= 0)
		netif_ip6_addr_set_state(nif, idx, a->flags & IFA_F_DEPRECATED ?
					 IP6_ADDR_DEPRECATED : IP6_ADDR_PREFERRED);
}

static void life_arm(struct net *n);

/* Record an address lwIP already has (or was just given); routes, event. */
static int addr_store(struct net *n, struct net_dev *d, const struct net_addr *in)
{
	struct net_addr *a;

	if (d->n_addrs == d->cap) {
		unsigned int cap = d->cap ? d->cap * 2 : 4;
		struct net_addr *p = realloc(d->addrs, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		d->addrs = p;
		d->cap = cap;
	}
	a = &d->addrs[d->n_addrs++];
	if (in->family == AF_INET && !(in->flags & IFA_F_SECONDARY)) {
		/* __inet_insert_ifa(): a primary goes before the secondaries */
		struct net_addr *f;

		for (f = d->addrs; f < a; f++)
			if (f->family == AF_INET && (f->flags & IFA_F_SECONDARY))
				break;
		memmove(f + 1, f, (size_t)(a - f) * sizeof(*f));
		a = f;
	}
	*a = *in;
	a->ifindex = d->ifindex;
	a->scope = addr_scope(a->family, a->addr);
	a->cstamp = now_cs(n);
	life_set(n, a, in->valid_lft, in->preferred_lft);
	lwip_addr6_state(d, a);
	/* IFA_BROADCAST only when asked for (`brd`): Linux derives none */
	a->has_broadcast = a->family == AF_INET && in->has_broadcast;
	/* rtm_to_ifaddr(): no IFA_LABEL, the device's name */
	if (a->family != AF_INET)
		memset(a->label, 0, sizeof(a->label));
	else if (!a->label[0])
		snprintf(a->label, sizeof(a->label), "%s", vdev_name(d->vdev));
	hold_begin(n);
	rt_addr_add_flags(n->rt, d->ifindex, a->family, a->addr, a->plen,
			  a->has_peer ? a->peer : NULL, vdev_is_up(d->vdev),
			  rt_flags(a));
	a->acast = 0;
	a->kept_down = false;
	if (a->family == AF_INET6 && net__acast_wanted(d))
		net__acast_addr(n, d, a, true);	/* __ipv6_ifa_notify() */
	hold_end(n, a, true);
	life_arm(n);
	return 0;
}

/*
 * life_check() - @a's lifetimes at @now (hundredths): removed when its
 * valid lifetime is over, deprecated (told as RTM_NEWADDR) when its
 * preferred one is, as check_lifetime() and addrconf_verify_rtnl()
 * Return: true when it was removed (@d's list changed)
 */
static bool life_check(struct net *n, struct net_dev *d, struct net_addr *a,
		       uint64_t now)
{
	uint64_t at = life_next(a);
	struct net_addr old;

	if (!at || at > now)
		return false;
	if (a->set_valid != NET_LIFE_FOREVER &&
	    a->tstamp + a->set_valid * 100ull <= now) {
		old = *a;
		if (!net_addr_del(n, &old, NULL, 0))
			return true;
		a->set_valid = NET_LIFE_FOREVER;	/* never again: no spinning */
		return false;
	}
	a->flags |= IFA_F_DEPRECATED;
	lwip_addr6_state(d, a);
	emit_addr(n, a, false);
	return false;
}

/* ---- IPv6 routes that expire ---- */

/* The key of IPv6 route @r (table 0 is main, as rt_add() takes it) */
static struct net_rexp rexp_key(const struct rt_route *r)
{
	struct net_rexp e = { .table = r->table ? r->table : RT_TABLE_MAIN_ID,
			      .dst_len = r->dst_len, .priority = r->priority };

	memcpy(e.dst, r->dst, 16);
	return e;
}

static bool rexp_same(const struct net_rexp *a, const struct net_rexp *b)
{
	return a->table == b->table && a->dst_len == b->dst_len &&
	       a->priority == b->priority && !memcmp(a->dst, b->dst, 16);
}

/* The entry of @key's route, or NULL */
static struct net_rexp *rexp_find(const struct net *n, const struct net_rexp *key)
{
	size_t k;

	for (k = 0; k < n->n_rexp; k++)
		if (rexp_same(&n->rexp[k], key))
			return &n->rexp[k];
	return NULL;
}

static void rexp_drop(struct net *n, const struct net_rexp *key)
{
	struct net_rexp *e = rexp_find(n, key);

	if (e)
		*e = n->rexp[--n->n_rexp];
}

/* @e in the list, in place of the entry of its key if there is one */
static int rexp_put(struct net *n, const struct net_rexp *e)
{
	struct net_rexp *v, *slot = rexp_find(n, e);

	if (!slot && n->n_rexp == n->cap_rexp) {
		v = realloc(n->rexp, (n->cap_rexp ? n->cap_rexp * 2 : 8) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		n->rexp = v;
		n->cap_rexp = n->cap_rexp ? n->cap_rexp * 2 : 8;
	}
	if (!slot)
		slot = &n->rexp[n->n_rexp++];
	*slot = *e;
	return 0;
}

/* A change of IPv6 route @r made otherwise than by net__rexp_add():
 * the route (new, or gone) has no expiry */
static void rexp_event(struct net *n, const struct rt_route *r)
{
	struct net_rexp key = rexp_key(r);

	if (!n->rexp_adding || !rexp_same(n->rexp_adding, &key))
		rexp_drop(n, &key);	/* else net__rexp_add() has set it */
}

/**
 * net__rexp_add() - add IPv6 route @r, which expires in @secs seconds
 * (RTA_EXPIRES) or never: the new route, and so its notification, has that
 * expiry and no other (fib6_add() gives a new fib6_info, replacing or
 * not, its own RTF_EXPIRES or none); it is removed when the time comes
 * (told as RTM_DELROUTE).  On failure the old route keeps its expiry.
 * @n:		the network
 * @r:		the route, as for rt_add()
 * @nlflags:	RT_ADD_*
 * @secs:	seconds from now, or NET_NO_EXPIRY
 *
 * Return: what rt_add() returns, or -ENOMEM
 */
int net__rexp_add(struct net *n, struct rt_route *r, unsigned int nlflags,
		  uint32_t secs)
{
	struct net_rexp e = rexp_key(r), old, *was;
	int ret;

	was = rexp_find(n, &e);
	if (!was && secs == NET_NO_EXPIRY)
		return rt_add(n->rt, r, nlflags);	/* the common case */
	if (was)
		old = *was;
	e.at = now_cs(n) + (uint64_t)secs * 100;
	if (secs == NET_NO_EXPIRY)
		rexp_drop(n, &e);
	else if (rexp_put(n, &e))
		return -ENOMEM;
	n->rexp_adding = &e;
	ret = rt_add(n->rt, r, nlflags);
	n->rexp_adding = NULL;
	if (ret) {
		rexp_drop(n, &e);
		if (was)
			rexp_put(n, &old);	/* its slot is still there */
	}
	life_arm(n);
	return ret;
}

/* Remove the routes whose time has come (fib6_age() then fib6_del()) */
static void rexp_run(struct net *n, uint64_t now)
{
	struct net_rexp key;
	struct rt_route *m;
	size_t k = 0;

	if (!n->n_rexp || !(m = calloc(1, sizeof(*m))))
		return;
	while (k < n->n_rexp) {
		const struct net_rexp *e = &n->rexp[k];

		if (e->at > now) {
			k++;
			continue;
		}
		m->family = AF_INET6;
		m->table = e->table;
		m->dst_len = e->dst_len;
		m->priority = e->priority;
		memcpy(m->dst, e->dst, 16);
		/* the RT_EV_DEL drops the entry; if the route was gone
		 * already, drop it here */
		key = *e;
		rt_del(n->rt, m, RT_MATCH_PRIORITY);
		if (k < n->n_rexp && rexp_same(&n->rexp[k], &key))
			n->rexp[k] = n->rexp[--n->n_rexp];
	}
	free(m);
}

static void on_life(uv_timer_t *t)
{
	struct net *n = t->data;
	uint32_t portid = n->origin_portid, seq = n->origin_seq;
	uint64_t now = now_cs(n);
	struct net_dev *d;
	unsigned int i;
	bool again = true;

	net_set_origin(n, 0, 0);	/* the kernel's own change */
	while (again) {
		again = false;
		for (d = n->devs; d && !again; d = d->next)
			for (i = 0; i < d->n_addrs && !again; i++)
				again = life_check(n, d, &d->addrs[i], now);
	}
	rexp_run(n, now);
	net_set_origin(n, portid, seq);
	life_arm(n);
}

/*
 * life_arm() - the one lifetime timer, armed for the next address to be
 * deprecated or removed, or IPv6 route to expire, or stopped when none
 * will be
 */
static void life_arm(struct net *n)
{
	uint64_t next = 0, at, now = now_cs(n);
	struct net_dev *d;
	unsigned int i;
	size_t k;

	for (d = n->devs; d; d = d->next)
		for (i = 0; i < d->n_addrs; i++) {
			at = life_next(&d->addrs[i]);
			if (at && (!next || at < next))
				next = at;
		}
	for (k = 0; k < n->n_rexp; k++)
		if (!next || n->rexp[k].at < next)
			next = n->rexp[k].at ? n->rexp[k].at : 1;
	/* without memory for the timer, lifetimes stand still */
	net__timer_due(n, &n->life_timer, on_life, next,
		       next > now ? (next - now) * 10 : 0);
}

/**
 * net__timer_due() - a one-shot timer of the network, made when first
 *		       needed (freed by whoever owns it at net_free())
 * @n:		the network
 * @t:		where the timer is kept, NULL until made
 * @cb:		what it runs; its data is @n
 * @due:	false: stop it
 * @ms:		when to fire, from now
 *
 * Without memory the timer is not made, and nothing fires.
 */
void net__timer_due(struct net *n, uv_timer_t **t, uv_timer_cb cb, bool due,
		    uint64_t ms)
{
	if (!due) {
		if (*t)
			uv_timer_stop(*t);
		return;
	}
	if (!*t) {
		*t = malloc(sizeof(**t));
		if (!*t)
			return;
		uv_timer_init(n->loop, *t);
		(*t)->data = n;
	}
	uv_timer_start(*t, cb, ms, 0);
}

/* Take lwIP's addresses of a new device into the table (lo's, fe80::). */
static void adopt_lwip_addrs(struct net *n, struct net_dev *d)
{
	struct netif *nif = vdev_netif(d->vdev);
	struct net_addr a;
	int i;

	if (!ip4_addr_isany_val(*netif_ip4_addr(nif))) {
		memset(&a, 0, sizeof(a));
		a.family = AF_INET;
		memcpy(a.addr, &netif_ip4_addr(nif)->addr, 4);
		a.plen = (uint8_t)__builtin_popcount(netif_ip4_netmask(nif)->addr);
		addr_store(n, d, &a);
	}
	for (i = 0; i < LWIP_IPV6_NUM_ADDRESSES; i++) {
		if (!ip6_addr_isvalid(netif_ip6_addr_state(nif, i)))
			continue;
		if (net__v6_disabled(d)) {	/* conf/default/disable_ipv6 was 1 */
			netif_ip6_addr_set_state(nif, i, IP6_ADDR_INVALID);
			continue;
		}
		memset(&a, 0, sizeof(a));
		a.family = AF_INET6;
		memcpy(a.addr, netif_ip6_addr(nif, i)->addr, 16);
		a.plen = ip6_addr_isloopback(netif_ip6_addr(nif, i)) ? 128 : 64;
		a.no_prefix = a.plen == 128;	/* lo's ::1 (init_loopback()) */
		addr_store(n, d, &a);
	}
}

/* The flags a new device of its kind has: lo none, a tun device (the
 * uplink) NOARP and MULTICAST, a dummy NOARP alone (dummy_setup()), an
 * Ethernet one MULTICAST */
static unsigned int new_flags(struct vdev *v)
{
	if (!strcmp(vdev_kind(v), "dummy"))
		return IFF_NOARP;
	return IFF_MULTICAST | (!strcmp(vdev_kind(v), "host") ? IFF_NOARP : 0);
}

static int dev_attach(struct net *n, struct vdev *v, bool loopback,
		      struct net_dev **out)
{
	struct net_dev *d = calloc(1, sizeof(*d)), **pp;

	if (!d)
		return -ENOMEM;
	d->vdev = v;
	d->net = n;
	d->loopback = loopback;
	if (!loopback)
		d->uflags = new_flags(v);
	d->fwd[0] = n->fwd_dflt[0];	/* as Linux copies conf/default */
	d->fwd[1] = n->fwd_dflt[1];
	conf_new_dev(n, d);
	/* made with an MTU below 1280: no inet6_dev (ipv6_add_dev()) */
	d->v6_gone = !loopback && vdev_mtu(v) < 1280;
	if (net__v6_disabled(d))
		n->v6_off++;
	d->ifindex = n->next_ifindex++;
	if (!loopback)	/* veth_newlink()'s netif_carrier_off() */
		d->carrier_down = 1;
	carrier_count(d, false);
	if (loopback) {
		rt_set_loopback(n->rt, d->ifindex);
		n->lo_ifindex = d->ifindex;
	}
	rt_rule_dev(n->rt, d->ifindex, vdev_name(v));
	for (pp = &n->devs; *pp; pp = &(*pp)->next)
		;
	*pp = d;
	emit_dev_conf(n, d, 0, false);
	emit_link(n, d, false);
	if (!d->v6_gone)
		net__allrouters(d, NET_AR_NEW);	/* ipv6_add_dev() */
	mroute_add(n, d);	/* before the link-local, as addrconf_dev_config() */
	adopt_lwip_addrs(n, d);
	if (n->pcap_dir)
		net__pcap_auto(n, d);
	if (n->frames)
		net__frames_dev(d, true);
	if (vdev_is_up(v))
		net__ra_up(n, d);
	*out = d;
	return 0;
}

/**
 * net__new() - the network of a new stack, with its loopback device
 * @ns:		the stack
 * @loop:	its loop
 * @lo:		the loopback device, already up with its addresses
 * @out:	set to the network
 *
 * Return: 0 or a negative errno
 */
int net__new(struct ns *ns, uv_loop_t *loop, struct vdev *lo, struct net **out)
{
	struct net_dev *d;
	struct net *n;
	int ret;

	n = calloc(1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	n->ns = ns;
	n->loop = loop;
	n->next_ifindex = 1;
	/* sk_uid: the fsuid of the process that made the socket.  Every
	 * process of the sandbox runs as the supervisor's user: a traced
	 * process gains no privilege from a set-user-ID program, and
	 * setfsuid() can only pick among ids that are all that user's. */
	n->uid = (uint32_t)geteuid();
	/* a router: forwarding on (rrsandbox --no-forward turns it off) */
	n->fwd_all[0] = n->fwd_all[1] = n->fwd_dflt[0] = n->fwd_dflt[1] = 1;
	ret = rt_set_new(&n->rt);
	if (ret) {
		free(n);
		return ret;
	}
	rt_set_notify(n->rt, on_route, n);
	rt_set_rule_notify(n->rt, on_rule, n);
	devconf_init(&n->conf_all[0], AF_INET, DEVCONF_ALL, 0);
	devconf_init(&n->conf_all[1], AF_INET6, DEVCONF_ALL, 0);
	devconf_init(&n->conf_dflt[0], AF_INET, DEVCONF_DEFAULT, 0);
	devconf_init(&n->conf_dflt[1], AF_INET6, DEVCONF_DEFAULT, 0);
	neightbl_init(&n->ntbl[0], AF_INET);
	neightbl_init(&n->ntbl[1], AF_INET6);
	n->acl = rt_acl_new();
	if (!n->acl || addrlbl_init(&n->labels)) {
		rt_acl_free(n->acl);
		rt_set_free(n->rt);
		free(n);
		return -ENOMEM;
	}
	hook_net = n;
	ret = dev_attach(n, lo, true, &d);
	if (ret) {
		net__free(n);
		return ret;
	}
	*out = n;
	return 0;
}

static void dev_free(struct net *n, struct net_dev *d, bool free_vdev)
{
	net__frames_dev(d, false);	/* the loopback's vdev outlives @d */
	if (free_vdev)
		vdev_free(d->vdev);
	free(d->addrs);
	free(d->ac);
	free(d->alias);
	free(d->alt);
	free(d);
}

/**
 * net__free() - free the network; the loopback vdev stays the stack's
 * @n:		the network
 */
void net__free(struct net *n)
{
	if (!n)
		return;
	net__publish_free(n);
	while (n->devs) {
		struct net_dev *d = n->devs;

		n->devs = d->next;
		dev_free(n, d, !d->loopback);
	}
	net__nh_free(n);
	rt_set_free(n->rt);
	rt_acl_free(n->acl);
	addrlbl_fini(&n->labels);
	free(n->rexp);
	if (n->life_timer)
		uv_close((uv_handle_t *)n->life_timer, (uv_close_cb)free);
	net__ra_fini(n);
	net__neigh_unwatch(n);
	if (hook_net == n)
		hook_net = NULL;
	free(n->ls);
	free(n->pcap_dir);
	free(n->held);
	free(n);
}

/**
 * net__hook() - the network lwIP's routing hooks answer from
 *
 * Return: the stack's network, or NULL before there is one
 */
struct net *net__hook(void)
{
	return hook_net;
}

/**
 * ns_net() - the network of a stack
 * @ns:		the stack
 *
 * Return: its struct net
 */
struct net *ns_net(struct ns *ns)
{
	return ns->net;
}

/**
 * net_listen() - be told of every change
 * @n:		the network
 * @fn:		called with each event, after the change
 * @arg:	its argument
 *
 * Return: 0, -EINVAL, or -ENOMEM (also past MAX_LISTENERS)
 */
int net_listen(struct net *n, net_listen_fn *fn, void *arg)
{
	struct listener *p;

	if (!n || !fn)
		return -EINVAL;
	if (n->nls == n->cap_ls) {
		unsigned int cap = n->cap_ls ? n->cap_ls * 2 : 8;

		if (cap > MAX_LISTENERS)
			return -ENOMEM;
		p = realloc(n->ls, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		n->ls = p;
		n->cap_ls = cap;
	}
	n->ls[n->nls].fn = fn;
	n->ls[n->nls++].arg = arg;
	return 0;
}

/**
 * net_unlisten() - stop telling @fn with @arg
 * @n:		the network
 * @fn:		as given to net_listen()
 * @arg:	as given to net_listen()
 */
void net_unlisten(struct net *n, net_listen_fn *fn, void *arg)
{
	unsigned int i;

	for (i = 0; n && i < n->nls; i++) {
		if (n->ls[i].fn == fn && n->ls[i].arg == arg) {
			memmove(&n->ls[i], &n->ls[i + 1],
				(n->nls - i - 1) * sizeof(n->ls[0]));
			n->nls--;
			return;
		}
	}
}

static bool name_ok(const char *name)
{
	size_t i, len = name ? strlen(name) : 0;

	if (!len || len >= IFNAMSIZ || !strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (i = 0; i < len; i++)
		if (name[i] == '/' || name[i] == ':' || name[i] <= ' ' ||
		    name[i] == 0x7f)
			return false;
	return true;
}

/**
 * net__dev_name_check() - whether a new device may take @name
 * @n:		the network
 * @name:	the name asked for
 * @err:	set to the reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, -EINVAL (not a valid name) or -EEXIST
 */
int net__dev_name_check(const struct net *n, const char *name, char *err,
			size_t errlen)
{
	const struct net_dev *d;
	unsigned int count = 0;

	/* lwIP numbers its netifs in 8 bits (netif_add() would search for
	 * a free number for ever past 255); a program making dummies by
	 * netlink stops here */
	for (d = n->devs; d; d = d->next)
		count++;
	if (count >= NET_DEVS_MAX) {
		net__seterr(err, errlen, "too many devices (%u)", NET_DEVS_MAX);
		return -ENOBUFS;
	}
	if (!name_ok(name)) {
		net__seterr(err, errlen, "bad device name '%s'", name ? name : "");
		return -EINVAL;
	}
	if (net__dev_by_any_name(n, name)) {	/* netdev_name_in_use() */
		net__seterr(err, errlen, "device '%s' exists", name);
		return -EEXIST;
	}
	return 0;
}

/**
 * net__dev_add() - give a new device an index and tell the listeners
 * @n:		the network
 * @v:		the device, freed on failure
 * @err:	set to the reason on failure
 * @errlen:	size of @err
 *
 * Return: the new interface index, or a negative errno
 */
int net__dev_add(struct net *n, struct vdev *v, char *err, size_t errlen)
{
	struct net_dev *d;
	int ret;

	ret = dev_attach(n, v, false, &d);
	if (ret) {
		vdev_free(v);
		net__seterr(err, errlen, "out of memory");
		return ret;
	}
	return (int)d->ifindex;
}

/**
 * net_link_add() - add a `link` device
 * @n:		the network
 * @name:	its name
 * @o:		the link's endpoints and settings
 * @err:	set to the reason on failure
 * @errlen:	size of @err
 *
 * Return: the new interface index, or a negative errno
 */
int net_link_add(struct net *n, const char *name,
		 const struct vdev_link_opts *o, char *err, size_t errlen)
{
	struct vdev *v;
	int ret;

	if (!n || !o)
		return -EINVAL;
	ret = net__dev_name_check(n, name, err, errlen);
	if (ret)
		return ret;
	ret = vdev_link_new(n->loop, name, o, err, errlen, &v);
	if (ret)
		return ret;
	/* ARP, and neighbour discovery for IPv6 gateways of IPv4 routes */
	vdev_netif(v)->output = net__link_output4;
	ret = net__dev_add(n, v, err, errlen);
	if (ret > 0)
		debug("%s: link device %d up", name, ret);
	return ret;
}

/**
 * net_dummy_add() - add a `dummy` device: drops what it is sent, holds
 * addresses (vdev/dummy.c)
 * @n:		the network
 * @name:	its name
 * @mtu:	68..65535, 0 for 1500
 * @mac:	its MAC, or NULL for a stable one from @name
 * @up:		made up (rrctl), else down (netlink, as Linux)
 * @err:	set to the reason on failure
 * @errlen:	size of @err
 *
 * Return: the new interface index, or a negative errno
 */
int net_dummy_add(struct net *n, const char *name, unsigned int mtu,
		  const uint8_t *mac, bool up, char *err, size_t errlen)
{
	struct vdev *v;
	int ret;

	if (!n)
		return -EINVAL;
	ret = net__dev_name_check(n, name, err, errlen);
	if (ret)
		return ret;
	ret = vdev_dummy_new(n->loop, name, mtu, mac, up, err, errlen, &v);
	if (ret)
		return ret;
	ret = net__dev_add(n, v, err, errlen);
	if (ret > 0)
		debug("%s: dummy device %d added (%s)", name, ret, up ? "up" : "down");
	return ret;
}

/*
 * flush_prefsrc() - address @a went: the routes that named it as their
 * preferred source follow Linux: IPv4 ones go once no device has the
 * address any more (fib_del_ifaddr(), told), IPv6 ones through its device
 * keep their route without the source, silently (fib6_remove_prefsrc()).
 */
static void flush_prefsrc(struct net *n, const struct net_addr *a)
{
	struct rt_result res;

	if (a->family == AF_INET &&
	    !rt_lookup(n->rt, RT_TABLE_LOCAL_ID, AF_INET, a->addr, 0, &res) &&
	    res.route.type == RTN_LOCAL)
		return;
	n->quiet = a->family == AF_INET6;
	rt_flush_prefsrc(n->rt, a->family, a->addr, a->ifindex);
	n->quiet = false;
}

/**
 * net_link_del() - remove a device with its addresses and routes
 * @n:		the network
 * @ifindex:	the device
 * @err:	set to the reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, -ENODEV, or -EOPNOTSUPP for the loopback
 */
int net_link_del(struct net *n, uint32_t ifindex, char *err, size_t errlen)
{
	struct net_dev *d = n ? net__dev(n, ifindex) : NULL, **pp;
	unsigned int had, i;

	if (!d) {
		net__seterr(err, errlen, "no device with index %u", ifindex);
		return -ENODEV;
	}
	if (d->loopback) {
		net__seterr(err, errlen, "the loopback cannot be removed");
		return -EOPNOTSUPP;
	}
	if (!strcmp(vdev_kind(d->vdev), "host"))
		ns__fwd_dev_gone(n->ns, ifindex);	/* forwarded TCP (tcpfwd.c) */
	net__neigh_dev_gone(n, ifindex, 0);
	had = d->n_addrs;
	while (d->n_addrs) {
		struct net_addr a = d->addrs[--d->n_addrs];

		lwip_addr_clear(d, &a);
		emit_addr(n, &a, true);
	}
	rt_link_gone(n->rt, ifindex);
	net__nh_dev_down(n, ifindex);
	rt_rule_dev(n->rt, ifindex, NULL);
	/* inetdev_destroy() deletes each address, fib_del_ifaddr() then
	 * the other devices' routes with it as their source */
	for (i = 0; i < had; i++)
		flush_prefsrc(n, &d->addrs[i]);
	emit_dev_conf(n, d, 0, true);
	emit_link(n, d, true);
	for (pp = &n->devs; *pp != d; pp = &(*pp)->next)
		;
	*pp = d->next;
	if (net__v6_disabled(d))
		n->v6_off--;
	debug("%s: device %u removed", vdev_name(d->vdev), ifindex);
	dev_free(n, d, true);
	return 0;
}

static void set_up(struct net *n, struct net_dev *d, bool up)
{
	unsigned int i, pass;
	bool was;

	if (vdev_is_up(d->vdev) == up)
		return;
	if (!up)
		net__neigh_dev_gone(n, d->ifindex, 0);
	was = carrier_on(d);
	vdev_set_up(d->vdev, up);
	carrier_count(d, was);
	if (!up) {
		n->quiet_v4_del = true;	/* no RTM_DELROUTE, as Linux */
		rt_link_down(n->rt, d->ifindex);
		n->quiet_v4_del = false;
		net__nh_dev_down(n, d->ifindex);
		net__acast_down(n, d);	/* their routes went with the rest */
		net__ra_down(n, d);
		return;
	}
	/* Linux re-adds the routes of the addresses on NETDEV_UP
	 * (addrconf_permanent_addr()), then adds the multicast route and
	 * the link-local address (addrconf_dev_config()), which the
	 * sandbox kept: its routes come after the multicast one */
	for (pass = 0; pass < 2; pass++) {
		if (pass)
			mroute_add(n, d);
		for (i = 0; i < d->n_addrs; i++)
			if (v6_ll(&d->addrs[i]) == (pass == 1))
				rt_addr_add_flags(n->rt, d->ifindex, d->addrs[i].family,
						  d->addrs[i].addr, d->addrs[i].plen,
						  d->addrs[i].has_peer ? d->addrs[i].peer : NULL,
						  true, rt_flags(&d->addrs[i]));
	}
	/* the kept addresses' anycast addresses, as their DAD completes
	 * (__ipv6_ifa_notify()) */
	net__acast_up(n, d);
	v6_addr_back(n, d);
	net__ra_up(n, d);
}

/*
 * relabel() - a renamed device's IPv4 labels, as inetdev_changename():
 * the first address takes the new name, each other one the new name with
 * its label's suffix from ':' on, or ":N" (N counting the addresses) when
 * it had none, cut to fit; each is told as a new address.
 */
static void relabel(struct net *n, struct net_dev *d)
{
	const char *name = vdev_name(d->vdev);
	char old[sizeof(d->addrs[0].label)], num[16];
	size_t size = sizeof(old), nl = strlen(name), sl;
	const char *dot;
	unsigned int i, named = 0;

	for (i = 0; i < d->n_addrs; i++) {
		struct net_addr *a = &d->addrs[i];

		if (a->family != AF_INET)
			continue;
		memcpy(old, a->label, size);
		old[size - 1] = '\0';
		snprintf(a->label, size, "%s", name);
		if (named++) {
			dot = strchr(old, ':');
			if (!dot) {
				snprintf(num, sizeof(num), ":%u", named);
				dot = num;
			}
			sl = strlen(dot);
			if (sl + nl < size)
				memcpy(a->label + nl, dot, sl + 1);
			else if (sl < size)
				memcpy(a->label + (size - sl - 1), dot, sl + 1);
		}
		emit_addr(n, a, false);
	}
}

/**
 * net_link_set() - bring a device up or down, change its MTU, name,
 * flags, alias or group
 * @n:		the network
 * @ifindex:	the device
 * @c:		the changes
 * @err:	set to the reason on failure
 * @errlen:	size of @err
 *
 * Checks everything before changing anything.  Tells the change as one
 * RTM_NEWLINK, even when nothing changed.
 *
 * Return: 0, -ENODEV, -EINVAL (bad MTU, name or alias), -EEXIST (name
 * taken), -ENOMEM
 */
int net_link_set(struct net *n, uint32_t ifindex,
		 const struct net_link_change *c, char *err, size_t errlen)
{
	struct net_dev *d = n ? net__dev(n, ifindex) : NULL, *o;
	char *alias = NULL;
	int ret;

	if (!d || !c) {
		net__seterr(err, errlen, "no device with index %u", ifindex);
		return -ENODEV;
	}
	/* dev_validate_mtu()'s words */
	if (c->mtu && c->mtu < 68) {
		net__seterr(err, errlen, "mtu less than device minimum");
		return -EINVAL;
	}
	if (c->mtu && c->mtu > vdev_max_mtu(d->vdev)) {
		net__seterr(err, errlen, "mtu greater than device maximum");
		return -EINVAL;
	}
	if (c->name) {
		if (!name_ok(c->name)) {
			net__seterr(err, errlen, "bad device name '%s'", c->name);
			return -EINVAL;
		}
		/* dev_change_name(): its own altname is taken too */
		o = net__dev_by_any_name(n, c->name);
		if (o && (o != d || strcmp(vdev_name(d->vdev), c->name))) {
			net__seterr(err, errlen, "device '%s' exists", c->name);
			return -EEXIST;
		}
	}
	if (c->alias && strlen(c->alias) >= NET_LINK_ALIAS_MAX) {
		net__seterr(err, errlen, "alias longer than %d bytes",
			    NET_LINK_ALIAS_MAX - 1);
		return -EINVAL;
	}
	/* dev_set_alias(): "" removes it */
	if (c->alias && c->alias[0] && !(alias = strdup(c->alias))) {
		net__seterr(err, errlen, "out of memory");
		return -ENOMEM;
	}
	if (c->mtu && c->mtu != vdev_mtu(d->vdev)) {
		ret = vdev_set_mtu(d->vdev, c->mtu);
		if (ret) {
			free(alias);
			net__seterr(err, errlen, "mtu %u refused by the device", c->mtu);
			return ret;
		}
		/* NETDEV_CHANGEMTU: IPv6's MTU follows the device's */
		if (c->mtu >= 1280 && !d->v6_gone)
			d->conf[1].v[devconf_index(AF_INET6, "mtu")] = c->mtu;
	}
	if (c->alias) {
		free(d->alias);
		d->alias = alias;
	}
	if (c->name) {
		vdev_rename(d->vdev, c->name);
		rt_rule_dev(n->rt, d->ifindex, c->name);
	}
	d->uflags = (d->uflags & ~(c->change & NET_LINK_USER_FLAGS)) |
		    (c->flags & c->change & NET_LINK_USER_FLAGS);
	if (c->set_group)
		d->group = c->group;
	if (c->up >= 0)
		set_up(n, d, c->up > 0);
	emit_link(n, d, false);
	if (c->mtu)
		v6_mtu_change(n, d, c->mtu);
	if (c->name)
		relabel(n, d);
	return 0;
}

/**
 * net_link_get() - a snapshot of one device
 * @n:		the network
 * @ifindex:	the device
 * @out:	filled in
 *
 * Return: 0 or -ENODEV
 */
int net_link_get(struct net *n, uint32_t ifindex, struct net_link *out)
{
	struct net_dev *d = n ? net__dev(n, ifindex) : NULL;

	if (!d)
		return -ENODEV;
	snapshot(d, out);
	return 0;
}

/**
 * net_link_by_name() - a snapshot of the device called @name
 * @n:		the network
 * @name:	its name
 * @out:	filled in
 *
 * Return: 0 or -ENODEV
 */
int net_link_by_name(struct net *n, const char *name, struct net_link *out)
{
	struct net_dev *d = n && name ? net__dev_by_name(n, name) : NULL;

	if (!d)
		return -ENODEV;
	snapshot(d, out);
	return 0;
}

/**
 * net_link_lookup() - a snapshot of the device called @name or having it
 *		       as an altname (__dev_get_by_name())
 * @n:		the network
 * @name:	the name
 * @out:	filled in
 *
 * Return: 0 or -ENODEV
 */
int net_link_lookup(struct net *n, const char *name, struct net_link *out)
{
	struct net_dev *d = n && name ? net__dev_by_any_name(n, name) : NULL;

	if (!d)
		return -ENODEV;
	snapshot(d, out);
	return 0;
}

/**
 * net_link_altname_add() - give a device an alternative name, after those
 *			    it has (netdev_name_node_alt_create())
 * @n:		the network
 * @ifindex:	the device
 * @name:	the name: any string shorter than NET_ALTNAME_MAX, as Linux
 *		checks nothing else of it
 *
 * Return: 0, -ENODEV, -EINVAL (too long), -EEXIST (a device's name or
 * altname already), -ENOMEM
 */
int net_link_altname_add(struct net *n, uint32_t ifindex, const char *name)
{
	struct net_dev *d = n ? net__dev(n, ifindex) : NULL;
	size_t len = name ? strlen(name) + 1 : 0;
	char *alt;

	if (!d)
		return -ENODEV;
	if (!len || len > NET_ALTNAME_MAX)
		return -EINVAL;
	if (net__dev_by_any_name(n, name))
		return -EEXIST;
	alt = realloc(d->alt, d->alt_len + len);
	if (!alt)
		return -ENOMEM;
	memcpy(alt + d->alt_len, name, len);
	d->alt = alt;
	d->alt_len += len;
	return 0;
}

/**
 * net_link_altname_del() - take an alternative name from a device
 *			    (netdev_name_node_alt_destroy())
 * @n:		the network
 * @ifindex:	the device
 * @name:	the name
 *
 * Return: 0, -ENODEV, -ENOENT (no device has that name), -EINVAL (it is
 * the device's own name, or another device's name or altname)
 */
int net_link_altname_del(struct net *n, uint32_t ifindex, const char *name)
{
	struct net_dev *d = n ? net__dev(n, ifindex) : NULL, *o;
	char *p;
	size_t len;

	if (!d || !name)
		return -ENODEV;
	o = net__dev_by_any_name(n, name);
	if (!o)
		return -ENOENT;
	if (o != d || !(p = altname_at(d, name)))	/* its own name */
		return -EINVAL;
	len = strlen(p) + 1;
	memmove(p, p + len, (size_t)(d->alt + d->alt_len - (p + len)));
	d->alt_len -= len;
	if (!d->alt_len) {
		free(d->alt);
		d->alt = NULL;
	}
	return 0;
}

/**
 * net_link_state_change() - tell a device that changed, as Linux's
 *			     netdev_state_change(): only while it is up, and
 *			     as no request's answer (rtmsg_ifinfo() gives no
 *			     pid or seq)
 * @n:		the network
 * @ifindex:	the device
 */
void net_link_state_change(struct net *n, uint32_t ifindex)
{
	struct net_dev *d = n ? net__dev(n, ifindex) : NULL;
	uint32_t portid, seq;

	if (!d || !vdev_is_up(d->vdev))
		return;
	portid = n->origin_portid;
	seq = n->origin_seq;
	net_set_origin(n, 0, 0);
	emit_link(n, d, false);
	net_set_origin(n, portid, seq);
}

/**
 * net_link_l3_stats() - ask for a device's L3 offload statistics, or no
 *			 more (RTM_NEWSTATS, IFLA_STATS_SET_OFFLOAD_XSTATS_L3_STATS)
 * @n:		the network
 * @ifindex:	the device
 * @on:		whether they are asked for
 *
 * As netdev_offload_xstats_enable() and _disable() on a device whose
 * driver offloads nothing: the request is kept and reported (RTM_GETSTATS,
 * "used" never), the statistics stay 0, and a change is told
 * (NET_EV_STATS, Linux's rtnl_offload_xstats_notify()).
 *
 * Return: 0, -EALREADY when it already was so, or -ENODEV
 */
int net_link_l3_stats(struct net *n, uint32_t ifindex, bool on)
{
	struct net_dev *d = n ? net__dev(n, ifindex) : NULL;
	struct net_event ev = { .type = NET_EV_STATS };
	struct net_link l;

	if (!d)
		return -ENODEV;
	if (d->l3_stats == on)
		return -EALREADY;
	d->l3_stats = on;
	snapshot(d, &l);
	ev.link = &l;
	emit(n, &ev);
	return 0;
}

/**
 * net_link_walk() - call @fn for each device, by ascending index
 * @n:		the network
 * @fn:		returns non-zero to stop
 * @arg:	its argument
 *
 * Return: 0, or what @fn returned to stop
 */
int net_link_walk(struct net *n, net_link_fn *fn, void *arg)
{
	struct net_link l;
	struct net_dev *d;
	int ret;

	for (d = n->devs; d; d = d->next) {
		snapshot(d, &l);
		ret = fn(arg, &l);
		if (ret)
			return ret;
	}
	return 0;
}

static int addr_check(const struct net_addr *a, char *err, size_t errlen)
{
	unsigned int max = a->family == AF_INET ? 32 : 128;

	if (a->family != AF_INET && a->family != AF_INET6) {
		net__seterr(err, errlen, "address family %u not supported", a->family);
		return -EAFNOSUPPORT;
	}
	if (a->plen > max) {
		net__seterr(err, errlen, "prefix length %u out of range 0..%u",
		       a->plen, max);
		return -EINVAL;
	}
	return 0;
}

/*
 * addr_modify() - RTM_NEWADDR with NLM_F_REPLACE for address @o of @d:
 * the lifetimes of @a from now on; an IPv6 address also takes @a's
 * flags, and its prefix route comes or goes with IFA_F_NOPREFIXROUTE
 * after the address is told (inet6_addr_modify(), which leaves the route
 * of an address that was not permanent); IPv4 keeps its flags
 * (inet_rtm_newaddr())
 */
static int addr_modify(struct net *n, struct net_dev *d, struct net_addr *o,
		       const struct net_addr *a)
{
	bool had_prefix = (o->flags & IFA_F_PERMANENT) &&
			  !(o->flags & IFA_F_NOPREFIXROUTE);

	if (o->family == AF_INET6) {
		o->flags = (o->flags & ~(uint32_t)V6_KEPT_FLAGS) |
			   (a->flags & V6_KEPT_FLAGS);
		o->no_prefix = false;	/* a replace of lo's ::1 adds it */
		o->ra = a->ra;		/* replaced by hand: the user's */
	}
	life_set(n, o, a->valid_lft, a->preferred_lft);
	lwip_addr6_state(d, o);
	emit_addr(n, o, false);
	if (o->family == AF_INET6 &&
	    (had_prefix || !(o->flags & IFA_F_NOPREFIXROUTE)))
		rt_addr_add_flags(n->rt, d->ifindex, o->family, o->addr, o->plen,
				  o->has_peer ? o->peer : NULL,
				  vdev_is_up(d->vdev), rt_flags(o));
	life_arm(n);
	return 0;
}

/**
 * net_addr_add() - give a device an address, or change one it has
 * @n:		the network
 * @a:		ifindex, family, addr, plen, broadcast, peer, label, flags
 *		(IPv6: NODAD, HOMEADDRESS, MANAGETEMPADDR, NOPREFIXROUTE;
 *		IPv4: NOPREFIXROUTE and others Linux keeps) and lifetimes
 *		are read; the rest is derived
 * @nlflags:	NLM_F_EXCL, NLM_F_REPLACE as RTM_NEWADDR's (replace: new
 *		lifetimes, and flags for IPv6, for an address there)
 * @err:	set to the reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, -ENODEV, -EEXIST, -EINVAL, -ENOSPC (IPv6 slots full)
 */
int net_addr_add(struct net *n, const struct net_addr *a, unsigned int nlflags,
		 char *err, size_t errlen)
{
	struct net_dev *d = n && a ? net__dev(n, a->ifindex) : NULL;
	struct net_addr tmp;
	int ret, i;

	if (!d) {
		net__seterr(err, errlen, "no device with index %u", a ? a->ifindex : 0);
		return -ENODEV;
	}
	ret = addr_check(a, err, errlen);
	if (ret)
		return ret;
	if (a->family == AF_INET6 && d->v6_gone)
		return -EINVAL;		/* ipv6_add_dev(): no extack */
	if (a->family == AF_INET6 && net__v6_disabled(d)) {
		net__seterr(err, errlen, "ipv6: IPv6 is disabled on this device");
		return -EACCES;		/* ipv6_add_addr() */
	}
	/* rtm_to_ifaddr()'s ipv4_devconf_setall(): from now on a write of
	 * conf/default no longer reaches this device */
	if (a->family == AF_INET)
		d->conf[0].set = ~0ULL;
	i = addr_index(d, a, false);
	if (i < 0 && a->family == AF_INET6)
		mroute_add(n, d);	/* inet6_addr_add()'s addrconf_add_dev() */
	if (i >= 0) {
		if ((nlflags & NLM_F_EXCL) || !(nlflags & NLM_F_REPLACE)) {
			net__seterr(err, errlen, "address exists");
			return -EEXIST;
		}
		/* an IPv6 address of another prefix length is this one: it
		 * keeps its own (inet6_rtm_newaddr() finds it by address alone
		 * and inet6_addr_modify() leaves ifp->prefix_len, Linux 6.18);
		 * an IPv4 one of another is another address (addr_index()) */
		return addr_modify(n, d, &d->addrs[i], a);
	}
	ret = lwip_addr_set(d, a, err, errlen);
	if (ret)
		return ret;
	tmp = *a;
	if (tmp.has_peer && !memcmp(tmp.peer, tmp.addr, a->family == AF_INET ? 4 : 16))
		tmp.has_peer = false;	/* IFA_ADDRESS == IFA_LOCAL: no peer */
	if (!tmp.has_peer)
		memset(tmp.peer, 0, sizeof(tmp.peer));
	tmp.label[sizeof(tmp.label) - 1] = '\0';
	/* the request's flags Linux keeps (`ip` shows them) */
	tmp.flags = a->family == AF_INET6 ? a->flags & V6_KEPT_FLAGS :
					    a->flags & ~(uint32_t)V4_DROP_FLAGS;
	if (a->family == AF_INET && subnet_primary(d, a) >= 0)
		tmp.flags |= IFA_F_SECONDARY;	/* __inet_insert_ifa() */
	ret = addr_store(n, d, &tmp);
	if (ret)
		lwip_addr_clear(d, a);
	return ret;
}

/**
 * net_addr_del() - remove an address from its device
 * @n:		the network
 * @a:		ifindex, family and addr must match; plen when non-zero,
 *		and for IPv4 the subnet (the peer's, if any) then too, and
 *		the label when not empty (see addr_index())
 * @err:	set to the reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, -ENODEV, or -EADDRNOTAVAIL when the device has no such address
 */
int net_addr_del(struct net *n, const struct net_addr *a, char *err,
		 size_t errlen)
{
	struct net_dev *d = n && a ? net__dev(n, a->ifindex) : NULL;
	struct net_addr old;
	int ret, i, j;

	if (!d) {
		net__seterr(err, errlen, "no device with index %u", a ? a->ifindex : 0);
		return -ENODEV;
	}
	ret = addr_check(a, err, errlen);
	if (ret)
		return ret;
	i = addr_index(d, a, true);
	if (i < 0) {
		net__seterr(err, errlen, "no such address on '%s'", vdev_name(d->vdev));
		return -EADDRNOTAVAIL;
	}
	/* __inet_del_ifa(): a primary IPv4 address takes the secondaries of
	 * its subnet with it, first (promote_secondaries is 0 by default) */
	while (d->addrs[i].family == AF_INET &&
	       !(d->addrs[i].flags & IFA_F_SECONDARY) &&
	       (j = subnet_secondary(d, &d->addrs[i])) >= 0) {
		old = d->addrs[j];
		ret = net_addr_del(n, &old, err, errlen);
		if (ret)
			return ret;
		i = addr_index(d, a, true);
	}
	old = d->addrs[i];
	memmove(&d->addrs[i], &d->addrs[i + 1],
		(d->n_addrs - (unsigned int)i - 1) * sizeof(old));
	d->n_addrs--;
	lwip_addr_clear(d, &old);
	hold_begin(n);
	if (d->fwd[1])	/* __ipv6_ifa_notify(RTM_DELADDR) */
		net__acast_addr(n, d, &old, false);
	rt_addr_del(n->rt, d->ifindex, old.family, old.addr, old.plen,
		    old.has_peer ? old.peer : NULL);
	hold_end(n, &old, false);
	flush_prefsrc(n, &old);
	life_arm(n);
	return 0;
}

/* The scope classes of a device's IPv6 list, in its order */
static int v6_class(uint8_t scope)
{
	return scope < RT_SCOPE_LINK ? 0 : scope == RT_SCOPE_LINK ? 1 : 2;
}

/* A device's IPv6 addresses in Linux's order: ipv6_link_dev_addr() keeps
 * idev->addr_list by falling scope (global, link, host), each newest
 * first; `ip -6 addr` shows that order. */
static int walk_v6(const struct net_dev *d, net_addr_fn *fn, void *arg)
{
	unsigned int i;
	int cls, ret;

	for (cls = 0; cls < 3; cls++) {
		for (i = d->n_addrs; i-- > 0;) {
			if (d->addrs[i].family != AF_INET6 ||
			    v6_class(d->addrs[i].scope) != cls)
				continue;
			ret = fn(arg, &d->addrs[i]);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/**
 * net_addr_walk() - call @fn for each address: by device, IPv4 as added,
 * then IPv6 in Linux's order (global before link-local, newest first)
 * @n:		the network
 * @family:	AF_INET, AF_INET6 or 0 for both
 * @fn:		returns non-zero to stop
 * @arg:	its argument
 *
 * Return: 0, or what @fn returned to stop
 */
int net_addr_walk(struct net *n, uint8_t family, net_addr_fn *fn, void *arg)
{
	struct net_dev *d;
	unsigned int i;
	int ret = 0;

	for (d = n->devs; d && !ret; d = d->next) {
		for (i = 0; i < d->n_addrs; i++)
			life_report(n, &d->addrs[i]);
		for (i = 0; i < d->n_addrs && !ret; i++)
			if (d->addrs[i].family == AF_INET && family != AF_INET6)
				ret = fn(arg, &d->addrs[i]);
		if (family != AF_INET && !ret)
			ret = walk_v6(d, fn, arg);
	}
	return ret;
}

/* ---- IPv6 source selection (RFC 6724 as Linux's ipv6_dev_get_saddr()) ---- */

/* ipv6_addr_label(): RFC 6724's default policy table, as Linux's
 * ip6addrlbl_init_table (`ip addrlabel`), by longest match */
/* __ipv6_addr_src_scope(): node-local 1 (::1), link 2, site 5, global 14 */
static int scope6(const uint8_t *a)
{
	static const uint8_t lo[16] = { [15] = 1 };

	if (a[0] == 0xff)
		return a[1] & 0x0f;
	if (!memcmp(a, lo, 16))
		return 1;
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return 2;
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0)
		return 5;
	return 14;
}

/* ipv6_addr_diff(): the bits @a and @b share from the front */
static int common6(const uint8_t *a, const uint8_t *b)
{
	int i;

	for (i = 0; i < 16; i++)
		if (a[i] != b[i])
			return i * 8 + __builtin_clz((unsigned int)(a[i] ^ b[i])) - 24;
	return 128;
}

/* One candidate's score by Linux's rules, best first: the destination
 * itself, scope, the outgoing device, label, longest common prefix */
struct src6_score {
	int local, scope, pref, oif, label, prefix;
};

static void src6_score(const struct net *n, const struct net_addr *a, uint32_t oif,
		       const uint8_t *dst, int dscope, uint32_t dlabel,
		       struct src6_score *s)
{
	int sc = scope6(a->addr), common = common6(a->addr, dst);

	s->local = !memcmp(a->addr, dst, 16);
	s->scope = sc >= dscope ? -sc : sc - 128;	/* the smallest that reaches */
	s->pref = !(a->flags & IFA_F_DEPRECATED);	/* RFC 6724 rule 3 */
	s->oif = a->ifindex == oif;
	/* rule 6, labels of `ip addrlabel`: the candidate's by its own
	 * device, the destination's by the one it leaves by */
	s->label = addrlbl_label(&n->labels, a->addr, a->ifindex) == dlabel;
	s->prefix = common > a->plen ? a->plen : common;
}

static bool src6_better(const struct src6_score *x, const struct src6_score *y)
{
	if (x->local != y->local)
		return x->local > y->local;
	if (x->scope != y->scope)
		return x->scope > y->scope;
	if (x->pref != y->pref)
		return x->pref > y->pref;
	if (x->oif != y->oif)
		return x->oif > y->oif;
	if (x->label != y->label)
		return x->label > y->label;
	return x->prefix > y->prefix;
}

struct src6_pick {
	const struct net *n;
	const uint8_t *dst;
	uint32_t oif;
	int dscope;
	uint32_t dlabel;
	const struct net_addr *best;
	struct src6_score score;
};

static int src6_one(void *arg, const struct net_addr *a)
{
	struct src6_pick *p = arg;
	struct src6_score s;

	if (a->family != AF_INET6)
		return 0;
	src6_score(p->n, a, p->oif, p->dst, p->dscope, p->dlabel, &s);
	if (!p->best || src6_better(&s, &p->score)) {	/* a tie: the first */
		p->best = a;
		p->score = s;
	}
	return 0;
}

/**
 * net__select_src6() - the IPv6 source for a packet to @dst leaving by a
 * device, as Linux's ipv6_dev_get_saddr()
 * @n:		the network
 * @oif:	the device
 * @dst:	the destination (16 bytes)
 * @out:	set to the address (16 bytes)
 *
 * Candidates are the device's addresses for a multicast or link-local
 * destination, else every device's that is up (lo first, each in `ip -6
 * addr`'s order, newest first; Linux takes a down device's addresses
 * away); the best by RFC 6724's rules as Linux applies
 * them: the destination itself, the smallest scope that reaches it, one
 * not deprecated (rule 3), the outgoing device, the policy table's label (a ULA for a ULA, a global
 * for a global), the longest common prefix up to the address's prefix
 * length; the first of equals.
 *
 * Return: true when there is one
 */
bool net__select_src6(const struct net *n, uint32_t oif, const uint8_t *dst,
		      uint8_t *out)
{
	struct src6_pick p = { .n = n, .dst = dst, .oif = oif,
			       .dscope = scope6(dst),
			       .dlabel = addrlbl_label(&n->labels, dst, oif) };
	const struct net_dev *d;

	if (dst[0] == 0xff || p.dscope <= 2) {
		d = net__dev(n, oif);
		if (d)
			walk_v6(d, src6_one, &p);
	} else {
		for (d = n->devs; d; d = d->next)
			if (vdev_is_up(d->vdev) || d->ifindex == oif)
				walk_v6(d, src6_one, &p);
	}
	if (p.best)
		memcpy(out, p.best->addr, 16);
	return p.best != NULL;
}

/**
 * net_addrlabels() - the IPv6 address label table (`ip addrlabel`)
 * @n:		the network
 *
 * Return: the table, which the caller may change
 */
struct addrlbl_table *net_addrlabels(struct net *n)
{
	return &n->labels;
}

/**
 * net_route_expires() - when a route expires, as RTA_CACHEINFO's
 * rta_expires: an IPv6 route added with RTA_EXPIRES when it was told to;
 * an IPv6 prefix route (proto kernel, metric 256, table main) that only
 * addresses with a valid lifetime imply expires with the last of them,
 * as addrconf_prefix_route() gives it the address's lifetime; every
 * other route never
 * @n:		the network
 * @r:		the route
 *
 * Return: hundredths of a second left, 0 for never
 */
uint32_t net_route_expires(struct net *n, const struct rt_route *r)
{
	const struct net_rexp *e = NULL;
	const struct net_dev *d;
	struct net_rexp key;
	uint64_t end = 0, at, now;
	unsigned int i;

	if (n && r->family == AF_INET6 && n->n_rexp) {
		key = rexp_key(r);
		e = rexp_find(n, &key);
	}
	if (e) {
		now = now_cs(n);
		return e->at > now ? (uint32_t)(e->at - now) : 0;
	}
	if (!n || r->family != AF_INET6 || r->protocol != RTPROT_KERNEL ||
	    r->table != RT_TABLE_MAIN_ID || r->type != RTN_UNICAST ||
	    r->n_nh != 1 || r->nh[0].has_gw || r->priority != 256)
		return 0;
	d = net__dev(n, r->nh[0].ifindex);
	for (i = 0; d && i < d->n_addrs; i++) {
		const struct net_addr *a = &d->addrs[i];

		if (a->family != AF_INET6 || a->plen != r->dst_len ||
		    (a->flags & IFA_F_NOPREFIXROUTE) ||
		    common6(a->addr, r->dst) < a->plen)
			continue;
		if (a->set_valid == NET_LIFE_FOREVER)
			return 0;
		at = a->tstamp + a->set_valid * 100ull;
		if (at > end)
			end = at;
	}
	now = now_cs(n);
	return end > now ? (uint32_t)(end - now) : 0;
}

/**
 * net__select_src4() - the IPv4 source for a packet leaving by a device
 * @n:		the network
 * @ifindex:	the device
 * @near:	the next hop: the gateway, or the destination when on-link
 * @out:	set to the address (4 bytes)
 *
 * As Linux's inet_select_addr(): the device's primary address whose
 * subnet (its peer's, for a point-to-point one) holds @near, else its
 * first address; a device without IPv4
 * addresses (a link whose IPv4 routes go through IPv6 gateways) takes
 * the first one of the other devices, lo first, leaving out 127.0.0.0/8.
 *
 * Return: true when there is one
 */
bool net__select_src4(const struct net *n, uint32_t ifindex,
		      const uint8_t *near, uint8_t *out)
{
	const struct net_dev *d = net__dev(n, ifindex), *o;
	const struct net_addr *first = NULL;
	unsigned int i;

	for (i = 0; d && i < d->n_addrs; i++) {
		const struct net_addr *a = &d->addrs[i];

		if (a->family != AF_INET || (a->flags & IFA_F_SECONDARY))
			continue;
		if (holds4(pfx4(a), a->plen, near)) {
			memcpy(out, a->addr, 4);
			return true;
		}
		if (!first)
			first = a;
	}
	for (o = n->devs; !first && o; o = o->next)
		for (i = 0; o != d && !first && i < o->n_addrs; i++)
			if (o->addrs[i].family == AF_INET && o->addrs[i].addr[0] != 127)
				first = &o->addrs[i];
	if (first)
		memcpy(out, first->addr, 4);
	return first != NULL;
}

/**
 * net_uplink_acl() - the allow and deny prefixes of the uplink
 * @n:		the network
 *
 * Return: the list, which `uplink allow|deny` and --uplink-allow/-deny
 * change (router/acl.h)
 */
struct rt_acl *net_uplink_acl(struct net *n)
{
	return n ? n->acl : NULL;
}

/**
 * net_uplink_allowed() - whether the uplink may carry traffic to a host
 * destination
 * @n:		the network
 * @family:	AF_INET or AF_INET6
 * @addr:	the destination, network order
 *
 * Return: the verdict of router/acl.h's rules
 */
bool net_uplink_allowed(const struct net *n, uint8_t family,
			const uint8_t *addr)
{
	return rt_acl_allowed(n ? n->acl : NULL, family, addr);
}

/**
 * net_dev_is_uplink() - whether a device leads to the host (type host)
 * @n:		the network
 * @ifindex:	the device
 *
 * Return: true for an uplink device
 */
bool net_dev_is_uplink(const struct net *n, uint32_t ifindex)
{
	const struct net_dev *d = n ? net__dev(n, ifindex) : NULL;

	return d && !strcmp(vdev_kind(d->vdev), "host");
}

/**
 * net_link_maddrs() - see net.h
 * @n:		the sandbox's network
 * @ifindex:	the device
 * @mac:	filled with up to @max addresses
 * @max:	room in @mac
 *
 * Return: how many the device has (more than @max: the rest left out)
 */
int net_link_maddrs(struct net *n, uint32_t ifindex, uint8_t (*mac)[6], int max)
{
	struct net_dev *d = ifindex ? net__dev(n, ifindex) : NULL;
	struct netif *nif;
	struct igmp_group *g4;
	struct mld_group *g6;
	uint8_t m[6];
	int k = 0;

	if (!d || d->loopback)
		return 0;
	nif = vdev_netif(d->vdev);
	if (!(nif->flags & NETIF_FLAG_ETHARP))
		return 0;
	/* 33:33:00:00:00:01 (ff02::1), then 01:00:5e + the low 23 bits of
	 * each IPv4 group, then 33:33 + the low 32 bits of each IPv6 one */
	m[0] = 0x33;
	m[1] = 0x33;
	m[2] = m[3] = m[4] = 0;
	m[5] = 1;
	if (k < max)
		memcpy(mac[k], m, 6);
	k++;
	if (nif->flags & NETIF_FLAG_IGMP)
		for (g4 = netif_igmp_data(nif); g4; g4 = g4->next, k++) {
			const uint8_t *a = (const uint8_t *)&g4->group_address;

			m[0] = 0x01;
			m[1] = 0x00;
			m[2] = 0x5e;
			m[3] = a[1] & 0x7f;
			m[4] = a[2];
			m[5] = a[3];
			if (k < max)
				memcpy(mac[k], m, 6);
		}
	if (nif->flags & NETIF_FLAG_MLD6)
		for (g6 = netif_mld6_data(nif); g6; g6 = g6->next, k++) {
			m[0] = 0x33;
			m[1] = 0x33;
			memcpy(m + 2, (const uint8_t *)g6->group_address.addr + 12, 4);
			if (k < max)
				memcpy(mac[k], m, 6);
		}
	return k;
}
