/* SPDX-License-Identifier: MIT */
/*
 * rtnl_addr.c - rtnetlink addresses: RTM_GETADDR dumps, RTM_NEWADDR,
 * RTM_DELADDR, and the ifaddrmsg that dumps and notifications carry.
 *
 * Called through rtnl.c's handler table; answers from net.h's addresses.
 * Follows net/ipv4/devinet.c (inet_fill_ifaddr(), rtm_to_ifaddr(),
 * inet_rtm_deladdr(), inet_valid_dump_ifaddr_req()) and
 * net/ipv6/addrconf.c (inet6_fill_ifaddr(), inet6_rtm_newaddr()).
 * IFA_CACHEINFO carries an address's lifetimes, both ways: a request's
 * (`valid_lft 100 preferred_lft 50`; none means for ever), and what is
 * left of them in dumps and notifications, with the time stamps in
 * hundredths of a second of the loop's clock.  A dump of AF_UNSPEC (or of a family Linux has no handler
 * for) walks IPv4 then IPv6, as rtnl_dump_all() does.  Single
 * RTM_GETADDR requests (only IPv6 has them on Linux) are -EOPNOTSUPP.
 * A request with IFA_LOCAL and a different IFA_ADDRESS makes a
 * point-to-point address (`ip addr add A peer P/len`); IPv4 addresses
 * carry their label (IFA_LABEL, the device's name unless given).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/if.h>
#include <linux/if_addr.h>

#include "rtnl_priv.h"

static bool nonzero(const uint8_t *p, size_t len)
{
	while (len--)
		if (*p++)
			return true;
	return false;
}

/* IPv4 attributes in inet_fill_ifaddr()'s order (IFA_ADDRESS is the
 * peer's, else the address again) */
static int put_v4(struct rtnl_buf *b, const struct net_addr *a)
{
	const uint8_t *address = a->has_peer ? a->peer : a->addr;
	char label[sizeof(a->label) + 1];

	if (nonzero(address, 4) && rtnl__put(b, IFA_ADDRESS, address, 4))
		return -EMSGSIZE;
	if (nonzero(a->addr, 4) && rtnl__put(b, IFA_LOCAL, a->addr, 4))
		return -EMSGSIZE;
	if (a->has_broadcast && nonzero(a->broadcast, 4) &&
	    rtnl__put(b, IFA_BROADCAST, a->broadcast, 4))
		return -EMSGSIZE;
	memcpy(label, a->label, sizeof(a->label));
	label[sizeof(a->label)] = '\0';
	if (label[0] && rtnl__put_str(b, IFA_LABEL, label))
		return -EMSGSIZE;
	return rtnl__put_u32(b, IFA_FLAGS, a->flags);
}

/* IPv6 addresses (inet6_fill_ifaddr()): a peer's with IFA_LOCAL first */
static int put_v6(struct rtnl_buf *b, const struct net_addr *a)
{
	if (a->has_peer)
		return rtnl__put(b, IFA_LOCAL, a->addr, 16) ||
		       rtnl__put(b, IFA_ADDRESS, a->peer, 16) ? -EMSGSIZE : 0;
	return rtnl__put(b, IFA_ADDRESS, a->addr, 16) ? -EMSGSIZE : 0;
}

/**
 * rtnl__fill_addr() - one address as inet_fill_ifaddr() or
 * inet6_fill_ifaddr() describes it
 * @b:		the datagram
 * @a:		the address
 * @type:	RTM_NEWADDR or RTM_DELADDR
 * @flags:	nlmsg_flags
 * @seq:	nlmsg_seq
 * @pid:	nlmsg_pid
 *
 * Return: 0, or -EMSGSIZE (nothing added)
 */
int rtnl__fill_addr(struct rtnl_buf *b, const struct net_addr *a,
		    uint16_t type, uint16_t flags, uint32_t seq, uint32_t pid)
{
	struct ifa_cacheinfo ci = { a->preferred_lft, a->valid_lft,
				    a->cstamp, a->tstamp };
	size_t mark = b->len;
	struct ifaddrmsg *ifa;
	struct nlmsghdr *h;
	int ret;

	h = rtnl__msg_put(b, type, flags, seq, pid, sizeof(*ifa));
	if (!h)
		return -EMSGSIZE;
	ifa = NLMSG_DATA(h);
	ifa->ifa_family = a->family;
	ifa->ifa_prefixlen = a->plen;
	ifa->ifa_flags = (uint8_t)a->flags;
	ifa->ifa_scope = a->scope;
	ifa->ifa_index = a->ifindex;
	if (a->family == AF_INET)
		ret = put_v4(b, a) ||
		      rtnl__put(b, IFA_CACHEINFO, &ci, sizeof(ci));
	else
		ret = put_v6(b, a) ||
		      rtnl__put(b, IFA_CACHEINFO, &ci, sizeof(ci)) ||
		      rtnl__put_u32(b, IFA_FLAGS, a->flags);
	if (ret) {
		b->len = mark;
		return -EMSGSIZE;
	}
	rtnl__msg_end(b, h);
	return 0;
}

/* ---- dump ---- */

struct addr_walk {
	struct rtnl *r;
	struct rtnl_dump *d;
	struct rtnl_buf *b;
	size_t seen;
	bool full;
};

static int addr_one(void *arg, const struct net_addr *a)
{
	struct addr_walk *w = arg;

	if (w->seen++ < w->d->skip)
		return 0;
	if (!w->d->ifindex || a->ifindex == w->d->ifindex) {
		if (rtnl__fill_addr(w->b, a, RTM_NEWADDR,
				    NLM_F_MULTI | w->d->answer_flags,
				    w->d->seq, w->r->portid)) {
			w->full = true;
			return 1;
		}
	}
	w->d->skip++;
	return 0;
}

static int addr_fill(struct rtnl *r, struct rtnl_dump *d, struct rtnl_buf *b)
{
	struct addr_walk w = { r, d, b, 0, false };
	int ret;

	while (d->phase < d->n_fam) {
		w.seen = 0;
		ret = net_addr_walk(r->net, d->families[d->phase], addr_one, &w);
		if (w.full)
			return 0;
		if (ret < 0)
			return ret;
		d->phase++;
		d->skip = 0;
	}
	return 1;
}

static const struct rtnl_dump_ops addr_dump = { addr_fill };

/* inet_valid_dump_ifaddr_req() / inet6_valid_dump_ifaddr_req() */
static int dumpaddr_strict(struct rtnl *r, const struct nlmsghdr *h,
			   const char *who, uint32_t *ifindex,
			   struct rtnl_ext *ext)
{
	const struct ifaddrmsg *ifa = NLMSG_DATA(h);
	struct rtnl_attrs tb;
	struct net_link l;
	unsigned int i;
	int ret;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifa)))
		return rtnl__fail(ext, -EINVAL, "%s: Invalid header for address dump request", who);
	if (ifa->ifa_prefixlen || ifa->ifa_flags || ifa->ifa_scope)
		return rtnl__fail(ext, -EINVAL, "%s: Invalid values in header for address dump request", who);
	ret = rtnl__parse(h, sizeof(*ifa), IFA_MAX, true, &tb, ext);
	for (i = 0; !ret && i <= IFA_MAX; i++) {
		if (!tb.a[i] || i == IFA_TARGET_NETNSID)
			continue;
		ext->bad = tb.a[i];
		ret = rtnl__fail(ext, -EINVAL, "%s: Unsupported attribute in dump request", who);
	}
	if (ret)
		return ret;
	*ifindex = ifa->ifa_index;
	if (*ifindex && net_link_get(r->net, *ifindex, &l))
		return -ENODEV;
	return 0;
}

/**
 * rtnl__dumpaddr() - start an RTM_GETADDR dump
 * @r:		the socket
 * @h:		the request (rtgen_family or ifaddrmsg)
 * @ext:	extended ack
 *
 * Return: 0 (dump started), or the error NLMSG_DONE carries
 */
int rtnl__dumpaddr(struct rtnl *r, const struct nlmsghdr *h,
		   struct rtnl_ext *ext)
{
	uint8_t family = *(const uint8_t *)NLMSG_DATA(h);
	struct rtnl_dump *d;
	uint32_t ifindex = 0;
	int ret;

	if (rtnl__strict(r)) {
		ret = dumpaddr_strict(r, h, family == AF_INET6 ? "ipv6" :
				      "ipv4", &ifindex, ext);
		if (ret)
			return ret;
	}
	d = rtnl__dump_new(r, h, &addr_dump);
	if (!d)
		return -ENOMEM;
	rtnl__dump_families(d, family);
	d->ifindex = ifindex;
	if (ifindex)
		d->answer_flags = NLM_F_DUMP_FILTERED;
	return 0;
}

/* ---- changes ---- */

/* IFA_CACHEINFO's lifetimes into @a, for ever without it; a valid
 * lifetime of 0 or a preferred one past it is -EINVAL (rtm_to_ifaddr(),
 * inet6_rtm_newaddr()) */
static int parse_life(const struct rtnl_attrs *tb, struct net_addr *a,
		      struct rtnl_ext *ext)
{
	const struct nlattr *at = tb->a[IFA_CACHEINFO];
	struct ifa_cacheinfo ci;

	a->valid_lft = a->preferred_lft = NET_LIFE_FOREVER;
	if (!at)
		return 0;
	if (RTNL_ATTR_LEN(at) < sizeof(ci)) {
		ext->bad = at;
		return rtnl__fail(ext, -ERANGE, "Attribute failed policy validation");
	}
	memcpy(&ci, RTNL_ATTR_DATA(at), sizeof(ci));
	if (!ci.ifa_valid || ci.ifa_prefered > ci.ifa_valid)
		return rtnl__fail(ext, -EINVAL, "%s: address lifetime invalid",
				  a->family == AF_INET ? "ipv4" : "ipv6");
	a->valid_lft = ci.ifa_valid;
	a->preferred_lft = ci.ifa_prefered;
	return 0;
}

/* ifa_ipv4_policy and ifa_ipv6_policy (IFA_LABEL: IFNAMSIZ - 1) */
static const struct rtnl_policy ifa4_policy[IFA_MAX + 1] = {
	[IFA_ADDRESS] = { .min = 4 }, [IFA_LOCAL] = { .min = 4 },
	[IFA_BROADCAST] = { .min = 4 }, [IFA_LABEL] = { .max = IFNAMSIZ - 1, .str = true },
	[IFA_CACHEINFO] = { .min = sizeof(struct ifa_cacheinfo) },
	[IFA_FLAGS] = { .min = 4 }, [IFA_RT_PRIORITY] = { .min = 4 },
	[IFA_TARGET_NETNSID] = { .min = 4 }, [IFA_PROTO] = { .min = 1 },
};
static const struct rtnl_policy ifa6_policy[IFA_MAX + 1] = {
	[IFA_ADDRESS] = { .min = 16 }, [IFA_LOCAL] = { .min = 16 },
	[IFA_CACHEINFO] = { .min = sizeof(struct ifa_cacheinfo) },
	[IFA_FLAGS] = { .min = 4 }, [IFA_RT_PRIORITY] = { .min = 4 },
	[IFA_TARGET_NETNSID] = { .min = 4 }, [IFA_PROTO] = { .min = 1 },
};

/* The request as a struct net_addr: family, device and address, and a
 * peer when IFA_LOCAL and IFA_ADDRESS differ (rtm_to_ifaddr(),
 * extract_addr()); 1 when neither is there */
static int parse_addr(struct rtnl *r, const struct nlmsghdr *h,
		      struct rtnl_attrs *tb, struct net_addr *a,
		      struct rtnl_ext *ext)
{
	const struct ifaddrmsg *ifa = NLMSG_DATA(h);
	size_t len;
	int ret;

	ret = rtnl__parse(h, sizeof(*ifa), IFA_MAX, false, tb, ext);
	if (ret)
		return ret;
	if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6)
		return -EOPNOTSUPP;	/* no handler for the family */
	/* nlmsg_parse_deprecated() with the family's policy, before all */
	ret = rtnl__policy(h, sizeof(*ifa), ifa->ifa_family == AF_INET ?
			   ifa4_policy : ifa6_policy, IFA_MAX, ext);
	if (ret)
		return ret;
	memset(a, 0, sizeof(*a));
	a->valid_lft = a->preferred_lft = NET_LIFE_FOREVER;
	a->family = ifa->ifa_family;
	a->plen = ifa->ifa_prefixlen;
	a->scope = ifa->ifa_scope;
	a->ifindex = ifa->ifa_index;
	a->flags = ifa->ifa_flags;
	if (tb->a[IFA_FLAGS]) {
		ret = rtnl__attr_u32(tb->a[IFA_FLAGS], &a->flags, ext);
		if (ret)
			return ret;
	}
	/* IFA_LOCAL is the address; IFA_ADDRESS alone stands for it */
	if (!tb->a[IFA_LOCAL] && !tb->a[IFA_ADDRESS])
		return 1;
	if (tb->a[IFA_ADDRESS]) {
		ret = rtnl__attr_addr(tb->a[IFA_ADDRESS], a->family, a->peer, ext);
		if (ret)
			return ret;
	}
	if (!tb->a[IFA_LOCAL]) {
		memcpy(a->addr, a->peer, sizeof(a->addr));
		memset(a->peer, 0, sizeof(a->peer));
		return 0;
	}
	ret = rtnl__attr_addr(tb->a[IFA_LOCAL], a->family, a->addr, ext);
	if (ret)
		return ret;
	len = a->family == AF_INET ? 4 : 16;
	if (tb->a[IFA_ADDRESS] && memcmp(a->peer, a->addr, len))
		a->has_peer = true;
	else
		memset(a->peer, 0, sizeof(a->peer));
	return 0;
}

/* IFA_LABEL into @a->label (IPv4; its length checked as Linux's policy) */
static int parse_label(const struct rtnl_attrs *tb, struct net_addr *a,
		       struct rtnl_ext *ext)
{
	char label[IFNAMSIZ];
	int ret;

	if (!tb->a[IFA_LABEL])
		return 0;
	ret = rtnl__attr_name(tb->a[IFA_LABEL], label, ext);
	if (ret)
		return ret;
	if (a->family == AF_INET)
		memcpy(a->label, label, sizeof(a->label));
	return 0;
}

/* ipv6_addr_scope() for what net reports */
static uint8_t v6_scope(const uint8_t *addr)
{
	static const uint8_t loop[16] = { [15] = 1 };

	if (addr[0] == 0xfe && (addr[1] & 0xc0) == 0x80)
		return RT_SCOPE_LINK;
	if (!memcmp(addr, loop, 16))
		return RT_SCOPE_HOST;
	return RT_SCOPE_UNIVERSE;
}

static int newaddr_v4(struct rtnl *r, const struct rtnl_attrs *tb,
		      struct net_addr *a, struct rtnl_ext *ext)
{
	int ret;

	if (a->plen > 32)
		return rtnl__fail(ext, -EINVAL, "ipv4: Invalid prefix length");
	if (!tb->a[IFA_LOCAL])
		return rtnl__fail(ext, -EINVAL, "ipv4: Local address is not supplied");
	ret = parse_label(tb, a, ext);
	if (ret)
		return ret;
	if (tb->a[IFA_BROADCAST]) {
		uint8_t bc[16];

		ret = rtnl__attr_addr(tb->a[IFA_BROADCAST], AF_INET, bc, ext);
		if (ret)
			return ret;
		memcpy(a->broadcast, bc, 4);
		a->has_broadcast = true;
	}
	return 0;
}

/**
 * rtnl__newaddr() - RTM_NEWADDR
 * @r:		the socket
 * @h:		the request
 * @ext:	extended ack
 *
 * Return: 0, -EINVAL (no address, bad prefix), -ENODEV, -EOPNOTSUPP (not
 * IPv4 or IPv6), or net_addr_add()'s error (-EEXIST with NLM_F_EXCL...)
 */
int rtnl__newaddr(struct rtnl *r, const struct nlmsghdr *h,
		  struct rtnl_ext *ext)
{
	struct rtnl_attrs tb;
	struct net_link l;
	struct net_addr a;
	int ret;

	ret = parse_addr(r, h, &tb, &a, ext);
	if (ret < 0)
		return ret;
	/* rtm_to_ifaddr(): prefix length, address, lifetimes, device;
	 * inet6_rtm_newaddr(): address, lifetimes, device, then
	 * inet6_addr_add()'s prefix length and flags */
	if (a.family == AF_INET) {
		ret = newaddr_v4(r, &tb, &a, ext);
		if (!ret)
			ret = parse_life(&tb, &a, ext);
		if (ret)
			return ret;
		if (net_link_get(r->net, a.ifindex, &l))
			return rtnl__fail(ext, -ENODEV, "ipv4: Device not found");
	} else {
		if (ret > 0)
			return -EINVAL;
		ret = parse_life(&tb, &a, ext);
		if (ret)
			return ret;
		if (net_link_get(r->net, a.ifindex, &l))
			return rtnl__fail(ext, -ENODEV, "ipv6: Unable to find the interface");
		if (a.plen > 128)
			return rtnl__fail(ext, -EINVAL, "ipv6: Invalid prefix length");
		if ((a.flags & IFA_F_MANAGETEMPADDR) && a.plen != 64)
			return rtnl__fail(ext, -EINVAL, "ipv6: address with \"mngtmpaddr\" flag must have a prefix length of 64");
		a.scope = v6_scope(a.addr);
	}
	ret = net_addr_add(r->net, &a, h->nlmsg_flags, ext->msg,
			   sizeof(ext->msg));
	if (ret == -EEXIST)	/* __inet_insert_ifa(), ipv6_add_addr() */
		rtnl__fail(ext, ret, a.family == AF_INET ?
			   "ipv4: Address already assigned" :
			   "ipv6: address already assigned");
	return ret;
}

struct first_v4 {
	uint32_t ifindex;
	const char *label;
	struct net_addr a;
	bool found;
};

static int first_v4_one(void *arg, const struct net_addr *a)
{
	struct first_v4 *f = arg;

	if (a->ifindex != f->ifindex ||
	    (f->label[0] && strncmp(f->label, a->label, sizeof(a->label))))
		return 0;
	f->a = *a;
	f->found = true;
	return 1;
}

/**
 * rtnl__deladdr() - RTM_DELADDR
 * @r:		the socket
 * @h:		the request
 * @ext:	extended ack
 *
 * An IPv4 request without an address deletes the device's first one (of
 * the label, when it names one), as inet_rtm_deladdr() does; one without
 * IFA_ADDRESS any address of its IFA_LOCAL (`ip addr del A dev D`, "wildcard
 * deletion"), else the prefix length and subnet must match too.
 *
 * Return: 0, -EINVAL, -ENODEV, -EADDRNOTAVAIL, -EOPNOTSUPP, or
 * net_addr_del()'s error
 */
int rtnl__deladdr(struct rtnl *r, const struct nlmsghdr *h,
		  struct rtnl_ext *ext)
{
	struct first_v4 f = { 0 };
	struct rtnl_attrs tb;
	struct net_link l;
	struct net_addr a;
	int ret;

	ret = parse_addr(r, h, &tb, &a, ext);
	if (ret < 0)
		return ret;
	if (a.family == AF_INET6 && ret > 0)
		return -EINVAL;
	if (a.family == AF_INET) {
		int err = parse_label(&tb, &a, ext);

		if (err)
			return err;
		if (!tb.a[IFA_ADDRESS])
			a.plen = 0;	/* any prefix length and subnet */
	}
	if (net_link_get(r->net, a.ifindex, &l))
		return rtnl__fail(ext, -ENODEV, a.family == AF_INET ?
				  "ipv4: Device not found" :
				  "ipv6: Unable to find the interface");
	if (ret > 0) {
		f.ifindex = a.ifindex;
		f.label = a.label;
		net_addr_walk(r->net, AF_INET, first_v4_one, &f);
		if (!f.found)
			return rtnl__fail(ext, -EADDRNOTAVAIL, "ipv4: Address not found");
		a = f.a;
	}
	if (a.family == AF_INET6)
		a.scope = v6_scope(a.addr);
	ret = net_addr_del(r->net, &a, ext->msg, sizeof(ext->msg));
	if (ret == -EADDRNOTAVAIL)	/* inet_rtm_deladdr(), inet6_addr_del() */
		rtnl__fail(ext, ret, a.family == AF_INET ?
			   "ipv4: Address not found" :
			   "ipv6: address not found");
	return ret;
}
