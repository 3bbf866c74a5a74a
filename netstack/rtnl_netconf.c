/* SPDX-License-Identifier: MIT */
/*
 * rtnl_netconf.c - RTM_GETNETCONF: the forwarding sysctls of each family
 * (`ip netconf`), dumped and looked up one device at a time, and the
 * RTM_NEWNETCONF notifications of their changes and of devices added
 * (RTM_DELNETCONF: removed) (`ip monitor netconf`),
 * in the words of Linux's inet_netconf_fill_devconf() and
 * inet6_netconf_fill_devconf() and the checks of
 * inet{,6}_netconf_valid_get_req() and inet{,6}_netconf_dump_devconf().
 *
 * The values are net_forward_get()'s and the sysctls' (net_devconf_get():
 * rp_filter, proxy_arp or proxy_ndp, ignore_routes_with_linkdown,
 * bc_forwarding), which the sandbox keeps and reports but does not act
 * on: it filters nothing by reverse path, routes no directed broadcast
 * and answers no neighbour proxy; mc_forwarding is 0 (no multicast
 * routing).  A change of one of them is told with that attribute alone,
 * as Linux's inet_netconf_notify_devconf().  A dump gives each device
 * (ascending ifindex), then all, then default, IPv4 before IPv6, as
 * Linux does.  Read only: Linux has no
 * RTM_NEWNETCONF request either (the sysctls set them).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netconf.h>
#include <linux/rtnetlink.h>

#include "net.h"
#include "rtnl_priv.h"

#define NETCONF_BUF	128	/* one RTM_NEWNETCONF */
#define N_ATTRS(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * The attributes Linux puts for NETCONFA_ALL, in its order (IPv6 has no
 * rp_filter nor bc_forwarding, and mc_forwarding only with
 * CONFIG_IPV6_MROUTE, which the kernels measured here lack); a
 * notification carries the ifindex and forwarding only.
 */
static const uint16_t attrs4[] = {
	NETCONFA_RP_FILTER, NETCONFA_MC_FORWARDING, NETCONFA_BC_FORWARDING,
	NETCONFA_PROXY_NEIGH, NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN,
};
static const uint16_t attrs6[] = {
	NETCONFA_PROXY_NEIGH, NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN,
};

/* The value of attribute @type in @c (mc_forwarding: always 0, no
 * multicast routing) */
static int value(const struct net_netconf *c, uint16_t type)
{
	switch (type) {
	case NETCONFA_RP_FILTER:
		return c->rp_filter;
	case NETCONFA_PROXY_NEIGH:
		return c->proxy_neigh;
	case NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN:
		return c->ignore_linkdown;
	case NETCONFA_BC_FORWARDING:
		return c->bc_forwarding;
	default:
		return 0;
	}
}

/**
 * rtnl__fill_netconf() - an RTM_NEWNETCONF message, or RTM_DELNETCONF for
 *			  a device gone (@c->gone: the ifindex only)
 * @b:		the datagram
 * @c:		the family, device (or all, default) and forwarding value
 * @full:	every attribute (a get, a dump, a device added), else the
 *		ifindex and the one that changed: forwarding, or @c->only
 * @flags:	nlmsg_flags
 * @seq:	nlmsg_seq
 * @pid:	nlmsg_pid
 *
 * Return: 0, or -EMSGSIZE with @b as it was
 */
int rtnl__fill_netconf(struct rtnl_buf *b, const struct net_netconf *c,
		       bool full, uint16_t flags, uint32_t seq, uint32_t pid)
{
	const uint16_t *more = c->family == AF_INET ? attrs4 : attrs6;
	size_t n_more = c->family == AF_INET ? N_ATTRS(attrs4) : N_ATTRS(attrs6);
	size_t mark = b->len, i;
	struct netconfmsg *ncm;
	struct nlmsghdr *h;

	h = rtnl__msg_put(b, c->gone ? RTM_DELNETCONF : RTM_NEWNETCONF, flags,
			  seq, pid, sizeof(*ncm));
	if (!h)
		return -EMSGSIZE;
	ncm = NLMSG_DATA(h);
	ncm->ncm_family = c->family;
	if (rtnl__put_u32(b, NETCONFA_IFINDEX, (uint32_t)c->ifindex))
		goto nospace;
	if (c->gone) {
		rtnl__msg_end(b, h);
		return 0;
	}
	if ((!c->only || full) &&
	    rtnl__put_u32(b, NETCONFA_FORWARDING, (uint32_t)c->forwarding))
		goto nospace;
	for (i = 0; i < n_more; i++)
		if ((full || more[i] == c->only) &&
		    rtnl__put_u32(b, more[i], (uint32_t)value(c, more[i])))
			goto nospace;
	rtnl__msg_end(b, h);
	return 0;
nospace:
	b->len = mark;
	return -EMSGSIZE;
}

/* The value of @ifindex (a device's, NET_CONF_ALL or NET_CONF_DEFAULT) in
 * @family: 0, or for no such device -ENODEV (IPv4's
 * inet_netconf_get_devconf()) or -EINVAL (IPv6's) */
static int conf_get(struct rtnl *r, uint8_t family, int32_t ifindex,
		    struct net_netconf *c)
{
	const char *dev = ifindex == NET_CONF_ALL ? "all" :
			  ifindex == NET_CONF_DEFAULT ? "default" : NULL;
	int none = family == AF_INET6 ? -EINVAL : -ENODEV;
	struct net_link l;

	if (!dev) {
		if (ifindex <= 0 || net_link_get(r->net, (uint32_t)ifindex, &l))
			return none;
		dev = l.name;
	}
	memset(c, 0, sizeof(*c));
	c->family = family;
	c->ifindex = ifindex;
	if (net_forward_get(r->net, family, dev, &c->forwarding))
		return none;
	net_netconf_values(r->net, c);
	return 0;
}

/* ---- dump ---- */

struct conf_walk {
	struct rtnl *r;
	struct rtnl_dump *d;
	struct rtnl_buf *b;
	size_t seen;
};

/* One entry; entries already sent in this phase are counted past */
static int conf_one(struct conf_walk *w, int32_t ifindex)
{
	struct net_netconf c;

	if (w->seen++ < w->d->skip)
		return 0;
	if (!conf_get(w->r, w->d->families[w->d->phase], ifindex, &c) &&
	    rtnl__fill_netconf(w->b, &c, true, NLM_F_MULTI, w->d->seq,
			       w->r->portid))
		return 1;
	w->d->skip++;
	return 0;
}

static int conf_link(void *arg, const struct net_link *l)
{
	return conf_one(arg, (int32_t)l->ifindex);
}

static int netconf_fill(struct rtnl *r, struct rtnl_dump *d,
			struct rtnl_buf *b)
{
	struct conf_walk w = { r, d, b, 0 };

	while (d->phase < d->n_fam) {
		w.seen = 0;
		if (net_link_walk(r->net, conf_link, &w) ||
		    conf_one(&w, NET_CONF_ALL) ||
		    conf_one(&w, NET_CONF_DEFAULT))
			return 0;	/* full: on from here next time */
		d->phase++;
		d->skip = 0;
	}
	return 1;
}

static const struct rtnl_dump_ops netconf_dump = { netconf_fill };

/* inet{,6}_netconf_dump_devconf()'s messages name their family */
static const char *ipv(uint8_t family)
{
	return family == AF_INET6 ? "ipv6" : "ipv4";
}

/**
 * rtnl__dumpnetconf() - start an RTM_GETNETCONF dump: IPv4, then IPv6, or
 *			 the family asked for
 * @r:		the socket
 * @h:		the request (netconfmsg)
 * @ext:	extended ack
 *
 * Return: 0 (dump started), or the error NLMSG_DONE carries (-EINVAL
 * under strict checking for anything after the header)
 */
int rtnl__dumpnetconf(struct rtnl *r, const struct nlmsghdr *h,
		      struct rtnl_ext *ext)
{
	/* rcv_msg() saw the family's byte */
	uint8_t family = *(const uint8_t *)NLMSG_DATA(h);
	struct rtnl_dump *d;

	/* nlmsg_attrlen() is not 0 for data after the header, nor for a
	 * header of 1 to 3 bytes (it is negative); rtnl_dump_all() asks
	 * IPv4 first */
	if (rtnl__strict(r) &&
	    h->nlmsg_len != NLMSG_SPACE(sizeof(struct netconfmsg)))
		return rtnl__fail(ext, -EINVAL, "%s: Invalid data after header in netconf dump request",
				  ipv(family == AF_INET6 ? AF_INET6 : AF_INET));
	d = rtnl__dump_new(r, h, &netconf_dump);
	if (!d)
		return -ENOMEM;
	rtnl__dump_families(d, family);
	return 0;
}

/* ---- get ---- */

/**
 * rtnl__getnetconf() - RTM_GETNETCONF without NLM_F_DUMP: one device's,
 *			all's or default's values (`ip -4 netconf show dev
 *			eth0`)
 * @r:		the socket
 * @h:		the request (netconfmsg, NETCONFA_IFINDEX)
 * @ext:	extended ack
 *
 * Return: 0 (the values were sent), or a negative errno for NLMSG_ERROR
 */
int rtnl__getnetconf(struct rtnl *r, const struct nlmsghdr *h,
		     struct rtnl_ext *ext)
{
	const struct netconfmsg *ncm = NLMSG_DATA(h);
	struct net_netconf c;
	struct rtnl_attrs tb;
	struct rtnl_buf b;
	uint32_t ifindex;
	unsigned int i;
	const char *v;
	int ret;

	/* rcv_msg() saw the family's byte; PF_UNSPEC has no doit */
	if (ncm->ncm_family != AF_INET && ncm->ncm_family != AF_INET6)
		return -EOPNOTSUPP;
	v = ipv(ncm->ncm_family);
	if ((ret = rtnl__parse(h, sizeof(*ncm), NETCONFA_MAX,
			       rtnl__strict(r), &tb, ext)))
		return ret;
	/* devconf_ipv{4,6}_policy: at least an int where they name one */
	for (i = 0; i <= NETCONFA_MAX; i++) {
		if (tb.a[i] && RTNL_ATTR_LEN(tb.a[i]) < sizeof(int) &&
		    (i == NETCONFA_IFINDEX || i == NETCONFA_FORWARDING ||
		     i == NETCONFA_PROXY_NEIGH ||
		     i == NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN ||
		     (i == NETCONFA_RP_FILTER && ncm->ncm_family == AF_INET))) {
			ext->bad = tb.a[i];
			return rtnl__fail(ext, -ERANGE, "Attribute failed policy validation");
		}
	}
	for (i = 0; rtnl__strict(r) && i <= NETCONFA_MAX; i++) {
		if (tb.a[i] && i != NETCONFA_IFINDEX) {
			ext->bad = tb.a[i];
			return rtnl__fail(ext, -EINVAL, "%s: Unsupported attribute in netconf get request", v);
		}
	}
	if (!tb.a[NETCONFA_IFINDEX])
		return -EINVAL;
	memcpy(&ifindex, RTNL_ATTR_DATA(tb.a[NETCONFA_IFINDEX]), sizeof(ifindex));
	if ((ret = conf_get(r, ncm->ncm_family, (int32_t)ifindex, &c)))
		return ret;
	if (rtnl__buf_init(&b, NETCONF_BUF))
		return -ENOMEM;
	if (rtnl__fill_netconf(&b, &c, true, 0, h->nlmsg_seq, r->portid)) {
		free(b.data);
		return -EMSGSIZE;
	}
	return rtnl__unicast(r, &b);
}
