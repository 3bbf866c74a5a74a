/* SPDX-License-Identifier: MIT */
/*
 * rtnl_route.c - rtnetlink routes: RTM_GETROUTE dumps and `ip route get`,
 * RTM_NEWROUTE, RTM_DELROUTE, and the rtmsg that dumps, replies and
 * notifications carry.
 *
 * Called through rtnl.c's handler table; answers from net.h's routes
 * (router/'s struct rt_route, whose fields are rtnetlink's).  Follows
 * net/ipv4/fib_frontend.c (rtm_to_fib_config(), ip_valid_fib_dump_req(),
 * inet_dump_fib()), fib_semantics.c (fib_dump_info()), route.c
 * (inet_rtm_getroute(), rt_fill_info()) and net/ipv6/route.c
 * (rt6_fill_node(), rtm_to_fib6_config()).  Routes must come back in
 * dumps exactly as installed (BIRD compares them and reinstalls what
 * differs), so a route's fields are copied both ways unchanged; rtm_table
 * is the id below 256 and RT_TABLE_COMPAT above, RTA_TABLE always.
 * A dump continues across datagrams with net_route_walk()'s @after: the
 * last route sent.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <netinet/in.h>
#include <linux/fib_rules.h>
#include <linux/if.h>

#include "rtnl_priv.h"

#ifndef RTCF_LOCAL
#define RTCF_LOCAL	0x80000000u	/* linux/in_route.h */
#endif

#define IP6_RT_PRIO_USER	1024	/* ip6_route_add()'s default metric */

static size_t alen(uint8_t family)
{
	return family == AF_INET6 ? 16 : 4;
}

/* A next hop's gateway: RTA_GATEWAY in the route's family, RTA_VIA
 * (struct rtvia) in another, as fib_nexthop_info() puts them */
static int put_gw(struct rtnl_buf *b, const struct rt_route *rt,
		  const struct rt_nexthop *nh)
{
	uint8_t via[sizeof(struct rtvia) + 16];
	struct rtvia v = { .rtvia_family = AF_INET6 };

	if (!nh->has_gw)
		return 0;
	if (!nh->gw_family || nh->gw_family == rt->family)
		return rtnl__put(b, RTA_GATEWAY, nh->gw, alen(rt->family));
	memcpy(via, &v, sizeof(v));
	memcpy(via + sizeof(v), nh->gw, 16);
	return rtnl__put(b, RTA_VIA, via, sizeof(via));
}

/* @mp1: a multipath attribute even for one next hop (an IPv6 route on a
 * nexthop group) */
static int put_nexthops(struct rtnl_buf *b, const struct rt_route *rt, bool mp1)
{
	struct nlattr *mp;
	struct rtnexthop *nh;
	size_t at;
	unsigned int i;

	if (rt->n_nh == 1 && !mp1) {
		if (put_gw(b, rt, &rt->nh[0]))
			return -EMSGSIZE;
		if (rt->nh[0].ifindex &&
		    rtnl__put_u32(b, RTA_OIF, rt->nh[0].ifindex))
			return -EMSGSIZE;
		return 0;
	}
	if (rt->n_nh < 2 && !mp1)
		return 0;
	mp = rtnl__nest_start(b, RTA_MULTIPATH);
	if (!mp)
		return -EMSGSIZE;
	for (i = 0; i < rt->n_nh && i < RT_MAX_NEXTHOPS; i++) {
		at = b->len;
		if (b->cap - b->len < RTNH_ALIGN(sizeof(*nh)))
			return -EMSGSIZE;
		nh = (struct rtnexthop *)(b->data + at);
		memset(nh, 0, sizeof(*nh));
		b->len += RTNH_ALIGN(sizeof(*nh));
		nh->rtnh_flags = rt->nh[i].flags;
		nh->rtnh_hops = (uint8_t)(rt->nh[i].weight ?
					  rt->nh[i].weight - 1 : 0);
		nh->rtnh_ifindex = (int)rt->nh[i].ifindex;
		if (put_gw(b, rt, &rt->nh[i]))
			return -EMSGSIZE;
		nh = (struct rtnexthop *)(b->data + at);
		nh->rtnh_len = (unsigned short)(b->len - at);
	}
	rtnl__nest_end(b, mp);
	return 0;
}

/* rtnetlink_put_metrics(): each metric set, by type, the congestion
 * control by name; no RTA_METRICS when none is */
static int put_metrics(struct rtnl_buf *b, const struct rt_route *rt)
{
	struct nlattr *m = NULL;
	unsigned int t;
	uint32_t v;
	int ret = 0;

	for (t = 1; t <= RT_METRIC_MAX && !ret; t++) {
		v = t == RTAX_MTU ? rt->mtu : rt->metrics[t];
		if (t == RTAX_FEATURES)
			v &= RTAX_FEATURE_MASK;
		if (!v && (t != RTAX_CC_ALGO || !rt->cc_algo[0]))
			continue;
		if (!m && !(m = rtnl__nest_start(b, RTA_METRICS)))
			return -EMSGSIZE;
		ret = t == RTAX_CC_ALGO ? rtnl__put_str(b, t, rt->cc_algo) :
					  rtnl__put_u32(b, (uint16_t)t, v);
	}
	if (ret)
		return -EMSGSIZE;
	if (m)
		rtnl__nest_end(b, m);
	return 0;
}

/* fib_dump_info()'s attributes after RTA_TABLE and RTA_DST; a route on
 * a nexthop object (@nh) gives its id, then what it forwards by, a
 * blackhole's the loopback */
static int put_v4(struct rtnl_buf *b, const struct rt_route *rt,
		  const struct net_nh *nh)
{
	if (rt->priority && rtnl__put_u32(b, RTA_PRIORITY, rt->priority))
		return -EMSGSIZE;
	if (put_metrics(b, rt))
		return -EMSGSIZE;
	if (rt->has_prefsrc && rtnl__put(b, RTA_PREFSRC, rt->prefsrc, 4))
		return -EMSGSIZE;
	if (nh && rtnl__put_u32(b, RTA_NH_ID, nh->id))
		return -EMSGSIZE;
	if (nh && !rt->n_nh)
		return rtnl__put_u32(b, RTA_OIF, RTNL_LO_IFINDEX);
	if (rt->realm && rtnl__put_u32(b, RTA_FLOW, rt->realm))
		return -EMSGSIZE;
	return put_nexthops(b, rt, false);
}

/* rt6_fill_node()'s; RTA_CACHEINFO says when a prefix route of an
 * address with a valid lifetime expires (net_route_expires()) */
static int put_v6(struct rtnl_buf *b, struct net *n, const struct rt_route *rt,
		  const struct net_nh *nh)
{
	struct rta_cacheinfo ci;

	memset(&ci, 0, sizeof(ci));
	ci.rta_expires = net_route_expires(n, rt);
	if (rt->has_prefsrc && rtnl__put(b, RTA_PREFSRC, rt->prefsrc, 16))
		return -EMSGSIZE;
	if (put_metrics(b, rt) ||
	    rtnl__put_u32(b, RTA_PRIORITY, rt->priority) ||
	    (nh && rtnl__put_u32(b, RTA_NH_ID, nh->id)) ||
	    put_nexthops(b, rt, nh && nh->n_grp && rt->n_nh) ||
	    /* reject routes point at the loopback (ip6_route_info_create()) */
	    (!rt->n_nh && rt->type != RTN_UNICAST &&
	     rtnl__put_u32(b, RTA_OIF, RTNL_LO_IFINDEX)) ||
	    rtnl__put(b, RTA_CACHEINFO, &ci, sizeof(ci)) ||
	    rtnl__put_u8(b, RTA_PREF, rt->pref))
		return -EMSGSIZE;
	return 0;
}

/**
 * rtnl__fill_route() - one route as fib_dump_info() / rt6_fill_node()
 * describe it
 * @b:		the datagram
 * @n:		the network (for the expiry of an address's prefix route)
 * @rt:		the route
 * @type:	RTM_NEWROUTE or RTM_DELROUTE
 * @flags:	nlmsg_flags
 * @seq:	nlmsg_seq
 * @pid:	nlmsg_pid
 *
 * Return: 0, or -EMSGSIZE (nothing added)
 */
int rtnl__fill_route(struct rtnl_buf *b, struct net *n, const struct rt_route *rt,
		     uint16_t type, uint16_t flags, uint32_t seq, uint32_t pid)
{
	const struct net_nh *nh;
	size_t mark = b->len;
	struct rt_route view;
	struct nlmsghdr *h;
	struct rtmsg *rtm;
	bool bh;
	int ret;

	/* a route on a nexthop object shows the next hops it has now, and
	 * is a blackhole on a blackhole whatever its own type */
	nh = net_nh_view(n, rt, &view, &bh);
	if (nh) {
		if (bh)
			view.type = RTN_BLACKHOLE;
		rt = &view;
	}
	h = rtnl__msg_put(b, type, flags, seq, pid, sizeof(*rtm));
	if (!h)
		return -EMSGSIZE;
	rtm = NLMSG_DATA(h);
	rtm->rtm_family = rt->family;
	rtm->rtm_dst_len = rt->dst_len;
	rtm->rtm_tos = rt->tos;
	rtm->rtm_table = rt->table < 256 ? (uint8_t)rt->table : RT_TABLE_COMPAT;
	rtm->rtm_protocol = rt->protocol;
	rtm->rtm_scope = rt->scope;
	rtm->rtm_type = rt->type;
	rtm->rtm_flags = rt->flags | (rt->n_nh == 1 ? rt->nh[0].flags : 0);
	ret = rtnl__put_u32(b, RTA_TABLE, rt->table);
	if (!ret && rt->dst_len)
		ret = rtnl__put(b, RTA_DST, rt->dst, alen(rt->family));
	if (!ret)
		ret = rt->family == AF_INET6 ? put_v6(b, n, rt, nh) :
					       put_v4(b, rt, nh);
	if (ret) {
		b->len = mark;
		return -EMSGSIZE;
	}
	rtnl__msg_end(b, h);
	return 0;
}

/* ---- parsing ---- */

/*
 * A next hop's gateway from RTA_GATEWAY or RTA_VIA into @o
 * (rtm_to_fib_config(), fib_gw_from_via()): RTA_VIA names the family,
 * IPv4 or IPv6, and only IPv4 routes take it (rtm_to_fib6_config()).
 */
static int parse_gw(const struct rtnl_attrs *tb, const struct rt_route *rt,
		    struct rt_nexthop *o, struct rtnl_ext *ext)
{
	const struct nlattr *a = tb->a[RTA_VIA];
	struct rtvia v;
	size_t len;

	if (a && tb->a[RTA_GATEWAY])
		return rtnl__fail(ext, -EINVAL, "Nexthop configuration can not contain both GATEWAY and VIA");
	if (tb->a[RTA_GATEWAY]) {
		o->has_gw = true;
		return rtnl__attr_addr(tb->a[RTA_GATEWAY], rt->family, o->gw, ext);
	}
	if (!a)
		return 0;
	if (rt->family == AF_INET6)
		return rtnl__fail(ext, -EINVAL, "IPv6 does not support RTA_VIA attribute");
	len = RTNL_ATTR_LEN(a);
	if (len < offsetof(struct rtvia, rtvia_addr))
		return rtnl__fail(ext, -EINVAL, "Invalid attribute length for RTA_VIA");
	memcpy(&v, RTNL_ATTR_DATA(a), offsetof(struct rtvia, rtvia_addr));
	len -= offsetof(struct rtvia, rtvia_addr);
	if (v.rtvia_family != AF_INET && v.rtvia_family != AF_INET6)
		return rtnl__fail(ext, -EINVAL, "Unsupported address family in RTA_VIA");
	if (len != alen((uint8_t)v.rtvia_family))
		return rtnl__fail(ext, -EINVAL, v.rtvia_family == AF_INET ?
				  "Invalid IPv4 address in RTA_VIA" :
				  "Invalid IPv6 address in RTA_VIA");
	memset(o->gw, 0, 16);
	memcpy(o->gw, (const uint8_t *)RTNL_ATTR_DATA(a) + offsetof(struct rtvia, rtvia_addr), len);
	o->gw_family = (uint8_t)v.rtvia_family;
	o->has_gw = true;
	return 0;
}

/* RTA_MULTIPATH into @rt->nh (fib_get_nhs(), fib_count_nexthops()) */
static int parse_multipath(const struct nlattr *mp, struct rt_route *rt,
			   struct rtnl_ext *ext)
{
	const uint8_t *p = RTNL_ATTR_DATA(mp);
	size_t rem = RTNL_ATTR_LEN(mp), step;
	const struct rtnexthop *nh;
	struct rt_nexthop *o;
	struct rtnl_attrs tb;
	int ret;

	rt->n_nh = 0;
	while (rem >= sizeof(*nh)) {
		nh = (const struct rtnexthop *)p;
		if (nh->rtnh_len < sizeof(*nh) || nh->rtnh_len > rem)
			break;
		if (rt->n_nh == RT_MAX_NEXTHOPS)
			return rtnl__fail(ext, -EINVAL, "Too many nexthops (at most %d)", RT_MAX_NEXTHOPS);
		o = &rt->nh[rt->n_nh++];
		o->ifindex = (uint32_t)nh->rtnh_ifindex;
		o->flags = nh->rtnh_flags;
		o->weight = (uint16_t)(nh->rtnh_hops + 1);
		/* the nexthop's own attributes follow it */
		if (nh->rtnh_len > sizeof(*nh)) {
			rtnl__parse_attrs(p + sizeof(*nh),
					  nh->rtnh_len - sizeof(*nh), RTA_MAX,
					  false, &tb, ext);
			/* an encapsulation without a type: fib_nh_init()'s
			 * lwtunnel_build_state() */
			if (tb.a[RTA_ENCAP]) {
				ext->bad = tb.a[RTA_ENCAP];
				return rtnl__fail(ext, -EINVAL, "Unknown LWT encapsulation type");
			}
			ret = parse_gw(&tb, rt, o, ext);
			if (ret) {
				ext->bad = NULL;
				return ret;
			}
		}
		step = RTNH_ALIGN(nh->rtnh_len);
		if (step >= rem) {
			rem = 0;
			break;
		}
		p += step;
		rem -= step;
	}
	if (rem)
		return rtnl__fail(ext, -EINVAL, "Invalid nexthop configuration - extra data after nexthops");
	if (!rt->n_nh)
		return rtnl__fail(ext, -EINVAL, "Invalid nexthop configuration - no valid nexthops");
	return 0;
}

/* Whether @name is a word of the sysctl file @path (NULL: cannot read) */
static int listed_in(const char *path, const char *name)
{
	char buf[512], *tok, *save;
	size_t len;
	FILE *f = fopen(path, "re");

	if (!f)
		return -1;
	len = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[len] = '\0';
	for (tok = strtok_r(buf, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save))
		if (!strcmp(tok, name))
			return 1;
	return 0;
}

/**
 * rtnl_cc_check() - whether a program may choose a TCP congestion control
 * @name:	its name
 *
 * As Linux's tcp_set_congestion_control() for a program without
 * CAP_NET_ADMIN (which loads no module): reno always; a name the host's
 * TCP offers (tcp_available_congestion_control) when
 * tcp_allowed_congestion_control lists it, else EPERM; any other name
 * ENOENT.  Where the host's lists cannot be read, cubic is taken as
 * offered and allowed, as Linux's default.
 *
 * Return: 0, -EPERM or -ENOENT
 */
int rtnl_cc_check(const char *name)
{
	int r;

	if (!strcmp(name, "reno"))
		return 0;
	r = listed_in("/proc/sys/net/ipv4/tcp_available_congestion_control", name);
	if (r < 0)
		return strcmp(name, "cubic") ? -ENOENT : 0;
	if (!r)
		return -ENOENT;
	r = listed_in("/proc/sys/net/ipv4/tcp_allowed_congestion_control", name);
	return r ? 0 : -EPERM;
}

/* ip_metrics_convert(): RTA_METRICS into @rt, with Linux's checks and
 * caps */
static int parse_metrics(const struct nlattr *m, struct rt_route *rt,
			 struct rtnl_ext *ext)
{
	const uint8_t *p = RTNL_ATTR_DATA(m);
	size_t rem = RTNL_ATTR_LEN(m);
	const struct nlattr *a;

	while ((a = rtnl__next_attr(&p, &rem))) {
		unsigned int type = a->nla_type & NLA_TYPE_MASK;
		uint32_t v;

		if (!type)
			continue;
		if (type > RT_METRIC_MAX)
			return rtnl__fail(ext, -EINVAL, "Invalid metric type");
		if (type == RTAX_CC_ALGO) {
			char name[16];
			size_t n = RTNL_ATTR_LEN(a);

			if (n && RTNL_ATTR_DATA(a)[n - 1] == '\0')
				n--;
			if (n >= sizeof(name))	/* nla_strscpy() cuts it */
				n = sizeof(name) - 1;
			memcpy(name, RTNL_ATTR_DATA(a), n);
			name[n] = '\0';
			name[strnlen(name, n)] = '\0';
			if (rtnl_cc_check(name) == -ENOENT)
				return rtnl__fail(ext, -EINVAL, "Unknown tcp congestion algorithm");
			strcpy(rt->cc_algo, name);
			continue;
		}
		if (RTNL_ATTR_LEN(a) != 4) {
			ext->bad = a;
			return rtnl__fail(ext, -EINVAL, "Invalid attribute in metrics");
		}
		memcpy(&v, RTNL_ATTR_DATA(a), 4);
		if (type == RTAX_ADVMSS && v > 65535 - 40)
			v = 65535 - 40;
		if (type == RTAX_MTU && v > 65535 - 15)
			v = 65535 - 15;
		if (type == RTAX_HOPLIMIT && v > 255)
			v = 255;
		if (type == RTAX_FEATURES && (v & ~RTAX_FEATURE_MASK))
			return rtnl__fail(ext, -EINVAL, "Unknown flag set in feature mask in metrics attribute");
		if (type == RTAX_MTU)
			rt->mtu = v;
		else
			rt->metrics[type] = v;
	}
	return 0;
}

/* RTA_DST: the prefix, whose host bits must be zero for IPv4
 * (fib_table_insert()) and are cleared for IPv6 (ipv6_addr_prefix()) */
static int parse_dst(const struct nlattr *a, struct rt_route *rt,
		     struct rtnl_ext *ext)
{
	unsigned int i, bits;
	uint8_t mask;
	int ret;

	ret = rtnl__attr_addr(a, rt->family, rt->dst, ext);
	if (ret)
		return ret;
	for (i = 0; i < 16; i++) {
		bits = rt->dst_len > i * 8 ? rt->dst_len - i * 8 : 0;
		mask = bits >= 8 ? 0xff : (uint8_t)(0xff00 >> bits);
		if (!(rt->dst[i] & ~mask))
			continue;
		if (rt->family == AF_INET)
			return rtnl__fail(ext, -EINVAL, "Invalid prefix for given prefix length");
		rt->dst[i] &= mask;
	}
	return 0;
}

/*
 * RTA_ENCAP_TYPE as lwtunnel_valid_encap_type() sees it on a kernel with
 * no lightweight tunnel type registered (the sandbox has none): a type
 * out of LWTUNNEL_ENCAP_NONE+1 .. LWTUNNEL_ENCAP_MAX (10 in 6.18) is
 * unknown, any other unsupported, as Linux says for MPLS, seg6, rpl,
 * ioam6, xfrm without their modules (Linux 6.18 has ip, ip6 and bpf
 * built in and takes those; the sandbox refuses them the same way).
 */
static int encap_type(const struct nlattr *a, struct rtnl_ext *ext)
{
	uint16_t t = *(const uint16_t *)RTNL_ATTR_DATA(a);

	if (t == 0 || t > 10)
		return rtnl__fail(ext, -EINVAL, "Unknown lwt encapsulation type");
	return rtnl__fail(ext, -EOPNOTSUPP, "lwt encapsulation type not supported");
}

/* lwtunnel_valid_encap_type_attr(): each next hop's RTA_ENCAP_TYPE in
 * RTA_MULTIPATH, refused with EOPNOTSUPP whatever the reason */
static int mp_encap_types(const struct nlattr *mp, struct rtnl_ext *ext)
{
	const uint8_t *p = RTNL_ATTR_DATA(mp);
	size_t rem = RTNL_ATTR_LEN(mp);
	const struct rtnexthop *nh;
	struct rtnl_attrs tb;
	struct rtnl_ext scratch;

	while (rem >= sizeof(*nh)) {
		nh = (const struct rtnexthop *)p;
		if (nh->rtnh_len < sizeof(*nh) || nh->rtnh_len > rem)
			break;
		memset(&scratch, 0, sizeof(scratch));
		if (nh->rtnh_len > sizeof(*nh) &&
		    !rtnl__parse_attrs(p + sizeof(*nh), nh->rtnh_len - sizeof(*nh),
				       RTA_MAX, false, &tb, &scratch) &&
		    tb.a[RTA_ENCAP_TYPE]) {
			if (RTNL_ATTR_LEN(tb.a[RTA_ENCAP_TYPE]) < 2)
				return rtnl__fail(ext, -EINVAL, "Invalid RTA_ENCAP_TYPE");
			encap_type(tb.a[RTA_ENCAP_TYPE], ext);
			return -EOPNOTSUPP;
		}
		if ((size_t)RTNH_ALIGN(nh->rtnh_len) >= rem)
			break;
		rem -= (size_t)RTNH_ALIGN(nh->rtnh_len);
		p += RTNH_ALIGN(nh->rtnh_len);
	}
	return 0;
}

/* rtm_to_fib_config()'s attribute loop judges RTA_MULTIPATH's and
 * RTA_ENCAP_TYPE's encapsulation types where they stand, an RTA_VIA
 * before RTA_ENCAP_TYPE first (parse_attrs() judges it then) */
static int encap_checks4(const struct rtnl_attrs *tb, struct rtnl_ext *ext)
{
	const void *et = tb->a[RTA_ENCAP_TYPE], *mp = tb->a[RTA_MULTIPATH];
	const void *via = tb->a[RTA_VIA];
	int ret;

	if (mp && (!et || mp < et) && (ret = mp_encap_types(mp, ext)))
		return ret;
	if (et && (!via || et < via))
		return encap_type(et, ext);
	if (mp && et && et < mp)
		return mp_encap_types(mp, ext);
	return 0;
}

/* Single attributes of rtm_to_fib_config(); @del: a delete */
static int parse_attrs(const struct rtnl_attrs *tb, struct rt_route *rt,
		       bool del, struct rtnl_ext *ext)
{
	uint32_t oif = 0;
	int ret = 0;

	/* RTA_ENCAP without a type: lwtunnel_build_state() refuses type 0
	 * (fib_nh_init(), fib6_nh_init(), which first wants a device: ENODEV
	 * without words); a delete looks the route up regardless */
	if (tb->a[RTA_ENCAP] && !del) {
		if (rt->family == AF_INET6 && !tb->a[RTA_OIF] &&
		    !tb->a[RTA_GATEWAY])
			return -ENODEV;
		ext->bad = tb->a[RTA_ENCAP];
		return rtnl__fail(ext, -EINVAL, "Unknown LWT encapsulation type");
	}
	/* the nexthop object named (nexthop.c): looked up by net_route_add()
	 * and rtnl__delroute() */
	if (tb->a[RTA_NH_ID])
		ret = rtnl__attr_u32(tb->a[RTA_NH_ID], &rt->nhid, ext);
	if (!ret && tb->a[RTA_DST])
		ret = parse_dst(tb->a[RTA_DST], rt, ext);
	if (!ret && tb->a[RTA_TABLE])
		ret = rtnl__attr_u32(tb->a[RTA_TABLE], &rt->table, ext);
	if (!ret && tb->a[RTA_PRIORITY])
		ret = rtnl__attr_u32(tb->a[RTA_PRIORITY], &rt->priority, ext);
	if (!ret && tb->a[RTA_PREFSRC]) {
		ret = rtnl__attr_addr(tb->a[RTA_PREFSRC], rt->family,
				      rt->prefsrc, ext);
		rt->has_prefsrc = true;
	}
	if (!ret && tb->a[RTA_METRICS])
		ret = parse_metrics(tb->a[RTA_METRICS], rt, ext);
	if (!ret && tb->a[RTA_FLOW] && rt->family == AF_INET)
		ret = rtnl__attr_u32(tb->a[RTA_FLOW], &rt->realm, ext);
	if (!ret && tb->a[RTA_PREF] && rt->family == AF_INET6) {
		/* rtm_to_fib6_config(): low or high, anything else medium */
		uint8_t pref = RTNL_ATTR_LEN(tb->a[RTA_PREF]) ?
			       *RTNL_ATTR_DATA(tb->a[RTA_PREF]) : 0;

		rt->pref = pref == 3 || pref == 1 ? pref : 0;
	}
	if (!ret && tb->a[RTA_OIF])
		ret = rtnl__attr_u32(tb->a[RTA_OIF], &oif, ext);
	if (!ret)
		ret = parse_gw(tb, rt, &rt->nh[0], ext);
	/* behind an RTA_VIA in the request (check_req4() left it) */
	if (!ret && tb->a[RTA_ENCAP_TYPE])
		ret = encap_type(tb->a[RTA_ENCAP_TYPE], ext);
	if (ret)
		return ret;
	rt->nh[0].ifindex = oif;
	rt->nh[0].weight = 1;
	rt->nh[0].flags = rt->flags & RTNH_F_ONLINK;
	rt->n_nh = (oif || rt->nh[0].has_gw) ? 1 : 0;
	if (tb->a[RTA_MULTIPATH])
		return parse_multipath(tb->a[RTA_MULTIPATH], rt, ext);
	return 0;
}

/* rtm_ipv4_policy and rtm_ipv6_policy: the lengths nlmsg_parse_deprecated()
 * checks */
static const struct rtnl_policy rta4_policy[RTA_MAX + 1] = {
	[RTA_METRICS] = { .nest = true }, [RTA_ENCAP] = { .nest = true },
	[RTA_DST] = { .min = 4 }, [RTA_SRC] = { .min = 4 }, [RTA_IIF] = { .min = 4 },
	[RTA_OIF] = { .min = 4 }, [RTA_GATEWAY] = { .min = 4 }, [RTA_PRIORITY] = { .min = 4 },
	[RTA_PREFSRC] = { .min = 4 }, [RTA_MULTIPATH] = { .min = sizeof(struct rtnexthop) },
	[RTA_FLOW] = { .min = 4 }, [RTA_ENCAP_TYPE] = { .min = 2 }, [RTA_UID] = { .min = 4 },
	[RTA_MARK] = { .min = 4 }, [RTA_TABLE] = { .min = 4 }, [RTA_IP_PROTO] = { .min = 1 },
	[RTA_SPORT] = { .min = 2 }, [RTA_DPORT] = { .min = 2 }, [RTA_NH_ID] = { .min = 4 },
};
static const struct rtnl_policy rta6_policy[RTA_MAX + 1] = {
	[RTA_METRICS] = { .nest = true }, [RTA_ENCAP] = { .nest = true },
	[RTA_GATEWAY] = { .min = 16 }, [RTA_PREFSRC] = { .min = 16 }, [RTA_IIF] = { .min = 4 },
	[RTA_OIF] = { .min = 4 }, [RTA_PRIORITY] = { .min = 4 }, [RTA_TABLE] = { .min = 4 },
	[RTA_MULTIPATH] = { .min = sizeof(struct rtnexthop) }, [RTA_PREF] = { .min = 1 },
	[RTA_ENCAP_TYPE] = { .min = 2 }, [RTA_EXPIRES] = { .min = 4 }, [RTA_UID] = { .min = 4 },
	[RTA_MARK] = { .min = 4 }, [RTA_IP_PROTO] = { .min = 1 }, [RTA_SPORT] = { .min = 2 },
	[RTA_DPORT] = { .min = 2 }, [RTA_NH_ID] = { .min = 4 },
};

/* rtm_to_fib_config()'s checks past the policy, in its order */
static int check_req4(const struct rtmsg *rtm, const struct rtnl_attrs *tb,
		      struct rtnl_ext *ext)
{
	const uint8_t *d = tb->a[RTA_DST] ? RTNL_ATTR_DATA(tb->a[RTA_DST]) : NULL;
	uint32_t dst;
	int ret;

	/* a DSCP, no ECN bits (INET_ECN_MASK) */
	if (rtm->rtm_tos & 0x03)
		return rtnl__fail(ext, -EINVAL, "Invalid dsfield (tos): ECN bits must be 0");
	if (rtm->rtm_type > RTN_MAX)
		return rtnl__fail(ext, -EINVAL, "Invalid route type");
	ret = encap_checks4(tb, ext);
	if (ret)
		return ret;
	if (rtm->rtm_dst_len > 32)
		return rtnl__fail(ext, -EINVAL, "Invalid prefix length");
	dst = d ? (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 | d[2] << 8 | d[3] : 0;
	if (rtm->rtm_dst_len < 32 && (dst << rtm->rtm_dst_len))
		return rtnl__fail(ext, -EINVAL, "Invalid prefix for given prefix length");
	if (tb->a[RTA_NH_ID] && (tb->a[RTA_OIF] || tb->a[RTA_GATEWAY] ||
				 tb->a[RTA_VIA] || tb->a[RTA_ENCAP] ||
				 tb->a[RTA_MULTIPATH]))
		return rtnl__fail(ext, -EINVAL, "Nexthop specification and nexthop id are mutually exclusive");
	return 0;
}

/* rtm_to_fib6_config()'s checks past the policy, in its order: an RTA_DST
 * or RTA_SRC shorter than the prefix length asks for fails without words */
static int check_req6(const struct rtmsg *rtm, const struct rtnl_attrs *tb,
		      struct rtnl_ext *ext)
{
	int ret;

	if (rtm->rtm_tos)
		return rtnl__fail(ext, -EINVAL, "Invalid dsfield (tos): option not available for IPv6");
	if (tb->a[RTA_NH_ID] && (tb->a[RTA_GATEWAY] || tb->a[RTA_OIF] ||
				 tb->a[RTA_MULTIPATH] || tb->a[RTA_ENCAP]))
		return rtnl__fail(ext, -EINVAL, "Nexthop specification and nexthop id are mutually exclusive");
	if (tb->a[RTA_VIA])
		return rtnl__fail(ext, -EINVAL, "IPv6 does not support RTA_VIA attribute");
	if ((tb->a[RTA_DST] &&
	     RTNL_ATTR_LEN(tb->a[RTA_DST]) < (rtm->rtm_dst_len + 7u) / 8) ||
	    (tb->a[RTA_SRC] &&
	     RTNL_ATTR_LEN(tb->a[RTA_SRC]) < (rtm->rtm_src_len + 7u) / 8))
		return -EINVAL;
	if (tb->a[RTA_MULTIPATH] && (ret = mp_encap_types(tb->a[RTA_MULTIPATH], ext)))
		return ret;
	if (tb->a[RTA_ENCAP_TYPE])
		return encap_type(tb->a[RTA_ENCAP_TYPE], ext);
	return 0;
}

/* ip6_route_info_create()'s checks of an IPv6 route to add, in its order
 * (after inet6_rtm_newroute() found no such nexthop id); a delete
 * (ip6_route_del()) makes none: a prefix length past 128 finds nothing */
static int check_new6(const struct rtmsg *rtm, bool del, struct rtnl_ext *ext)
{
	if (del)
		return rtm->rtm_dst_len > 128 ? -ESRCH : 0;
	/* RTM_F_CLONED is RTF_CACHE (rtm_to_fib6_config()) */
	if (rtm->rtm_flags & RTM_F_CLONED)
		return rtnl__fail(ext, -EINVAL, "Userspace can not set RTF_CACHE");
	if (rtm->rtm_type > RTN_MAX)
		return rtnl__fail(ext, -EINVAL, "Invalid route type");
	if (rtm->rtm_dst_len > 128)
		return rtnl__fail(ext, -EINVAL, "Invalid prefix length");
	if (rtm->rtm_src_len > 128)
		return rtnl__fail(ext, -EINVAL, "Invalid source address length");
	/* Linux 6.18 with IPV6_SUBTREES takes them; the sandbox does not */
	if (rtm->rtm_src_len)
		return rtnl__fail(ext, -EINVAL, "Source-specific routes are not supported");
	return 0;
}

/* An RTM_NEWROUTE/RTM_DELROUTE request as a struct rt_route; @expires
 * (NULL: a delete, which does not want it) set to IPv6's RTA_EXPIRES in
 * seconds, NET_NO_EXPIRY without one (rtm_to_fib6_config();
 * rtm_to_fib_config() has no such attribute) */
static int parse_route(const struct nlmsghdr *h, struct rt_route *rt,
		       uint32_t *expires, struct rtnl_ext *ext)
{
	const struct rtmsg *rtm = NLMSG_DATA(h);
	struct rtnl_attrs tb;
	int ret;

	ret = rtnl__parse(h, sizeof(*rtm), RTA_MAX, false, &tb, ext);
	if (ret)
		return ret;
	if (rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6)
		return -EOPNOTSUPP;	/* no handler for the family */
	/* nlmsg_parse_deprecated() with the family's policy, before all */
	ret = rtnl__policy(h, sizeof(*rtm), rtm->rtm_family == AF_INET ?
			   rta4_policy : rta6_policy, RTA_MAX, ext);
	if (!ret)
		ret = rtm->rtm_family == AF_INET ? check_req4(rtm, &tb, ext) :
		      check_req6(rtm, &tb, ext);
	if (ret)
		return ret;
	memset(rt, 0, sizeof(*rt));
	rt->family = rtm->rtm_family;
	rt->dst_len = rtm->rtm_dst_len;
	rt->tos = rtm->rtm_tos;
	rt->table = rtm->rtm_table;
	rt->protocol = rtm->rtm_protocol;
	rt->scope = rtm->rtm_scope;
	rt->type = rtm->rtm_type;
	rt->flags = rtm->rtm_flags;
	ret = parse_attrs(&tb, rt, !expires, ext);
	if (!ret && expires) {
		*expires = NET_NO_EXPIRY;
		if (rt->family == AF_INET6 && tb.a[RTA_EXPIRES])
			ret = rtnl__attr_u32(tb.a[RTA_EXPIRES], expires, ext);
	}
	if (!ret && rt->family == AF_INET6)
		ret = check_new6(rtm, !expires, ext);
	if (ret)
		return ret;
	if (!rt->table)		/* fib_new_table(0), fib6_new_table(0) */
		rt->table = RT_TABLE_MAIN_ID;
	return 0;
}

/* Whether @rt is IPv6's, or an IPv4 route through an IPv6 gateway */
static bool v6_route(const struct rt_route *rt)
{
	unsigned int k;

	for (k = 0; k < rt->n_nh && rt->family == AF_INET; k++)
		if (rt->nh[k].has_gw && rt->nh[k].gw_family == AF_INET6)
			return true;
	return rt->family == AF_INET6;
}

/* Errors Linux's FIB gives without an extended ack message: `ip` then
 * prints "RTNETLINK answers: File exists" and the like; net_route_*()'s
 * text (meant for rrctl) is dropped for them.  An IPv6 gateway nothing
 * reaches is one (ip6_route_check_nh(), also for an IPv4 route through
 * it); an IPv4 gateway on an unreachable route is not
 * (fib_check_nh_v4_gw() says it is invalid). */
static int quiet_errors(int ret, const struct rt_route *rt, struct rtnl_ext *ext)
{
	if (ret == -EEXIST || ret == -ESRCH || ret == -ENOENT ||
	    (ret == -EHOSTUNREACH && v6_route(rt)))
		ext->msg[0] = '\0';
	return ret;
}

static bool link_exists(struct rtnl *r, uint32_t ifindex)
{
	struct net_link l;

	return !net_link_get(r->net, ifindex, &l);
}

/* ip6_route_multipath_add(): each next hop must have a gateway
 * (rt6_qualify_for_ecmp()); one whose device does not exist fails first
 * in net_route_add(), as ip6_route_info_create() makes each in turn */
static int mp_dev_only6(struct rtnl *r, const struct nlmsghdr *h,
			const struct rt_route *rt, struct rtnl_ext *ext)
{
	struct rtnl_attrs tb;
	unsigned int i;

	if (rtnl__parse(h, sizeof(struct rtmsg), RTA_MAX, false, &tb, ext) ||
	    !tb.a[RTA_MULTIPATH])
		return 0;
	for (i = 0; i < rt->n_nh; i++) {
		if (rt->nh[i].ifindex && !link_exists(r, rt->nh[i].ifindex))
			return 0;
		if (!rt->nh[i].has_gw)
			return rtnl__fail(ext, -EINVAL, "Device only routes can not be added for IPv6 using the multipath API.");
	}
	return 0;
}

/**
 * rtnl__newroute() - RTM_NEWROUTE
 * @r:		the socket
 * @h:		the request; NLM_F_CREATE/EXCL/REPLACE/APPEND are RT_ADD_*
 * @ext:	extended ack
 *
 * Return: 0, or a negative errno (request's or net_route_add()'s)
 */
int rtnl__newroute(struct rtnl *r, const struct nlmsghdr *h,
		   struct rtnl_ext *ext)
{
	struct rt_route *rt = malloc(sizeof(*rt));
	uint32_t expires;
	bool pfx = true;
	int ret;

	if (!rt)
		return -ENOMEM;
	ret = parse_route(h, rt, &expires, ext);
	if (!ret && rt->family == AF_INET6)
		ret = mp_dev_only6(r, h, rt, ext);
	if (!ret && rt->family == AF_INET6 && !rt->priority)
		rt->priority = IP6_RT_PRIO_USER;
	if (!ret && rt->family == AF_INET6)
		pfx = net_prefix_exists(r->net, rt);
	if (!ret)
		ret = net_route_add_expires(r->net, rt, h->nlmsg_flags &
					    (NLM_F_CREATE | NLM_F_EXCL |
					     NLM_F_REPLACE | NLM_F_APPEND),
					    expires, ext->msg, sizeof(ext->msg));
	ret = quiet_errors(ret, rt, ext);
	/* a device that does not exist: Linux's fib_check_nh_nongw() and
	 * fib6_nh_init() say nothing more (net_route_add()'s words are for
	 * rrctl) */
	if (ret == -ENODEV)
		ext->msg[0] = '\0';
	/* fib6_add_1(): a replace (no NLM_F_CREATE) finding no node for
	 * the prefix says so; one finding the prefix but no route to
	 * replace does not (fib6_add_rt2node()) */
	if (ret == -ENOENT && !pfx)
		snprintf(ext->msg, sizeof(ext->msg), "Can not replace route - no match found");
	free(rt);
	return ret;
}

/* Which fields an RTM_DELROUTE must match: those it gave, as
 * fib_table_delete() and ip6_route_del() compare them */
static unsigned int del_mask(const struct rt_route *rt)
{
	unsigned int mask = 0;

	if (rt->type)
		mask |= RT_MATCH_TYPE;
	if (rt->protocol)
		mask |= RT_MATCH_PROTOCOL;
	if (rt->family == AF_INET && rt->scope != RT_SCOPE_NOWHERE)
		mask |= RT_MATCH_SCOPE;
	if (rt->family == AF_INET)
		mask |= RT_MATCH_TOS;
	if (rt->priority)
		mask |= RT_MATCH_PRIORITY;
	if (rt->n_nh && rt->nh[0].ifindex)
		mask |= RT_MATCH_OIF;
	if (rt->n_nh && rt->nh[0].has_gw)
		mask |= RT_MATCH_GW;
	if (rt->nhid)
		mask |= RT_MATCH_NHID;
	return mask;
}

/**
 * rtnl__delroute() - RTM_DELROUTE
 * @r:		the socket
 * @h:		the request
 * @ext:	extended ack
 *
 * Return: 0, or a negative errno (request's or net_route_del()'s: -ESRCH
 * when nothing matches)
 */
int rtnl__delroute(struct rtnl *r, const struct nlmsghdr *h,
		   struct rtnl_ext *ext)
{
	struct rt_route *rt = malloc(sizeof(*rt));
	int ret;

	if (!rt)
		return -ENOMEM;
	ret = parse_route(h, rt, NULL, ext);
	/* inet_rtm_delroute(), inet6_rtm_delroute() */
	if (!ret && rt->nhid && !net_nh_get(r->net, rt->nhid))
		ret = rtnl__fail(ext, -EINVAL, "Nexthop id does not exist");
	else if (!ret && !net_table_exists(r->net, rt->family, rt->table))
		ret = rtnl__fail(ext, -ESRCH, "FIB table does not exist");
	/* ip6_route_del(): RTM_F_CLONED (RTF_CACHE) deletes only a cached
	 * route (an exception: a learnt path MTU, a redirect), and finding
	 * none is no error in 6.18; the sandbox keeps none */
	else if (!ret && rt->family == AF_INET6 && (rt->flags & RTM_F_CLONED))
		ret = 0;
	/* a device that does not exist matches no route (Linux does not
	 * look the index up on a delete) */
	else if (!ret && rt->n_nh && rt->nh[0].ifindex &&
		 !link_exists(r, rt->nh[0].ifindex))
		ret = -ESRCH;
	else if (!ret)
		ret = quiet_errors(net_route_del(r->net, rt, del_mask(rt),
						 ext->msg, sizeof(ext->msg)),
				   rt, ext);
	free(rt);
	return ret;
}

/* ---- dump ---- */

struct route_walk {
	struct rtnl *r;
	struct rtnl_dump *d;
	struct rtnl_buf *b;
	bool full;
};

static bool uses_dev(const struct rt_route *rt, uint32_t ifindex)
{
	unsigned int i;

	for (i = 0; i < rt->n_nh && i < RT_MAX_NEXTHOPS; i++)
		if (rt->nh[i].ifindex == ifindex)
			return true;
	return false;
}

static int route_one(void *arg, const struct rt_route *rt)
{
	struct route_walk *w = arg;
	struct rtnl_dump *d = w->d;
	unsigned int n = rt->n_nh < RT_MAX_NEXTHOPS ? rt->n_nh : RT_MAX_NEXTHOPS;
	bool skip = (d->protocol && rt->protocol != d->protocol) ||
		    (d->rtype && rt->type != d->rtype) ||
		    (d->ifindex && !uses_dev(rt, d->ifindex));

	if (!skip && rtnl__fill_route(w->b, w->r->net, rt, RTM_NEWROUTE,
				      NLM_F_MULTI | d->answer_flags, d->seq,
				      w->r->portid)) {
		w->full = true;
		return 1;
	}
	memcpy(&d->after, rt, offsetof(struct rt_route, nh) +
	       n * sizeof(rt->nh[0]));
	d->have_after = true;
	return 0;
}

static int route_fill(struct rtnl *r, struct rtnl_dump *d, struct rtnl_buf *b)
{
	struct route_walk w = { r, d, b, false };
	int ret;

	while (d->phase < d->n_fam) {
		ret = net_route_walk(r->net, d->table, d->families[d->phase],
				     d->have_after ? &d->after : NULL,
				     route_one, &w);
		if (w.full)
			return 0;
		if (ret < 0)
			return ret;
		d->phase++;
		d->have_after = false;
	}
	return 1;
}

static const struct rtnl_dump_ops route_dump = { route_fill };

/* ip_valid_fib_dump_req()'s attributes: RTA_TABLE and RTA_OIF only */
static int dump_attrs(struct rtnl *r, const struct nlmsghdr *h,
		      struct rtnl_dump *d, struct rtnl_ext *ext)
{
	struct rtnl_attrs tb;
	struct net_link l;
	unsigned int i;
	int ret;

	ret = rtnl__parse(h, sizeof(struct rtmsg), RTA_MAX, true, &tb, ext);
	for (i = 0; !ret && i <= RTA_MAX; i++) {
		if (!tb.a[i])
			continue;
		if (i == RTA_TABLE) {
			ret = rtnl__attr_u32(tb.a[i], &d->table, ext);
		} else if (i == RTA_OIF) {
			ret = rtnl__attr_u32(tb.a[i], &d->ifindex, ext);
			if (!ret && net_link_get(r->net, d->ifindex, &l))
				ret = -ENODEV;
		} else {
			ext->bad = tb.a[i];
			ret = rtnl__fail(ext, -EINVAL, "Unsupported attribute in dump request");
		}
	}
	return ret;
}

/* ip_valid_fib_dump_req(); 1 when the dump is empty (only exceptions,
 * which the sandbox does not keep, were asked for) */
static int dump_strict(struct rtnl *r, const struct nlmsghdr *h,
		       struct rtnl_dump *d, struct rtnl_ext *ext)
{
	const struct rtmsg *rtm = NLMSG_DATA(h);
	int ret;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*rtm)))
		return rtnl__fail(ext, -EINVAL, "Invalid header for FIB dump request");
	if (rtm->rtm_dst_len || rtm->rtm_src_len || rtm->rtm_tos ||
	    rtm->rtm_scope)
		return rtnl__fail(ext, -EINVAL, "Invalid values in header for FIB dump request");
	if (rtm->rtm_flags & ~(RTM_F_CLONED | RTM_F_PREFIX))
		return rtnl__fail(ext, -EINVAL, "Invalid flags for FIB dump request");
	d->protocol = rtm->rtm_protocol;
	d->rtype = rtm->rtm_type;
	d->table = rtm->rtm_table;
	ret = dump_attrs(r, h, d, ext);
	if (ret)
		return ret;
	/* inet_dump_fib(), inet6_dump_fib(): a table the family does not
	 * have (a dump of both families just skips it) */
	if (d->table && (rtm->rtm_family == AF_INET || rtm->rtm_family == AF_INET6) &&
	    !net_table_exists(r->net, rtm->rtm_family, d->table))
		return rtnl__fail(ext, -ENOENT, "%s: FIB table does not exist",
				  rtm->rtm_family == AF_INET ? "ipv4" : "ipv6");
	if (rtm->rtm_flags || d->protocol || d->rtype || d->table ||
	    d->ifindex)
		d->answer_flags = NLM_F_DUMP_FILTERED;
	return (rtm->rtm_flags & (RTM_F_CLONED | RTM_F_PREFIX)) ? 1 : 0;
}

/**
 * rtnl__dumproute() - start an RTM_GETROUTE dump
 * @r:		the socket
 * @h:		the request
 * @ext:	extended ack
 *
 * Without strict checking every table is dumped (iproute2 filters);
 * with it, rtm_table/RTA_TABLE, protocol, type and RTA_OIF filter.
 *
 * Return: 0 (dump started), or the error NLMSG_DONE carries
 */
int rtnl__dumproute(struct rtnl *r, const struct nlmsghdr *h,
		    struct rtnl_ext *ext)
{
	uint8_t family = *(const uint8_t *)NLMSG_DATA(h);
	const struct rtmsg *rtm = NLMSG_DATA(h);
	struct rtnl_dump *d;
	int ret = 0;

	d = rtnl__dump_new(r, h, &route_dump);
	if (!d)
		return -ENOMEM;
	if (rtnl__strict(r))
		ret = dump_strict(r, h, d, ext);
	else if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(*rtm)) &&
		 (rtm->rtm_flags & RTM_F_PREFIX))
		ret = 1;	/* no prefix routes from RAs here */
	if (ret < 0) {
		free(r->dump);
		r->dump = NULL;
		return ret;
	}
	if (ret > 0)
		return 0;	/* n_fam 0: NLMSG_DONE alone */
	rtnl__dump_families(d, family);
	return 0;
}

/* ---- ip route get ---- */

/* inet_rtm_valid_getroute_req() / inet6_rtm_valid_getroute_req() */
static int get_strict(const struct nlmsghdr *h, const struct rtnl_attrs *tb,
		      struct rtnl_ext *ext)
{
	const struct rtmsg *rtm = NLMSG_DATA(h);
	unsigned int full = alen(rtm->rtm_family) * 8, i;
	bool v6 = rtm->rtm_family == AF_INET6;
	const char *who = v6 ? "ipv6" : "ipv4";

	if ((rtm->rtm_src_len && rtm->rtm_src_len != full) ||
	    (rtm->rtm_dst_len && rtm->rtm_dst_len != full) ||
	    rtm->rtm_table || rtm->rtm_protocol || rtm->rtm_scope ||
	    rtm->rtm_type)
		return rtnl__fail(ext, -EINVAL, "%s: Invalid values in header for %s", who, v6 ? "get route request" : "route get request");
	if (rtm->rtm_flags & ~(v6 ? RTM_F_FIB_MATCH : (RTM_F_NOTIFY |
			       RTM_F_LOOKUP_TABLE | RTM_F_FIB_MATCH)))
		return rtnl__fail(ext, -EINVAL, v6 ? "ipv6: Invalid flags for get route request" : "ipv4: Unsupported rtm_flags for route get request");
	/* an address given with a length of 0 (a lookup of ::/0?) */
	if ((tb->a[RTA_SRC] && !rtm->rtm_src_len) ||
	    (tb->a[RTA_DST] && !rtm->rtm_dst_len))
		return rtnl__fail(ext, -EINVAL, "%s: rtm_src_len and rtm_dst_len must be %u for %s", who, full, v6 ? "IPv6" : "IPv4");
	for (i = 0; i <= RTA_MAX; i++) {
		if (!tb->a[i] || i == RTA_IIF || i == RTA_OIF ||
		    i == RTA_SRC || i == RTA_DST || i == RTA_IP_PROTO ||
		    i == RTA_SPORT || i == RTA_DPORT || i == RTA_UID ||
		    i == RTA_MARK)
			continue;
		ext->bad = tb->a[i];
		return rtnl__fail(ext, -EINVAL, "%s: Unsupported attribute in %s", who, v6 ? "get route request" : "route get request");
	}
	return 0;
}

/* Local delivery goes through the loopback: its index, 0 if it is gone */
static uint32_t lo_ifindex(struct rtnl *r)
{
	struct net_link l;

	return !net_link_get(r->net, RTNL_LO_IFINDEX, &l) &&
	       (l.flags & IFF_LOOPBACK) ? RTNL_LO_IFINDEX : 0;
}

/* inet_rtm_getroute()'s table: main unless RTM_F_LOOKUP_TABLE asks for
 * the one the route was found in; local is main's until an IPv4 rule was
 * ever added (fib_unmerge()) */
static bool shown_as_main(struct rtnl *r, const struct rtmsg *rtm,
			  const struct rt_route *rt)
{
	return !(rtm->rtm_flags & RTM_F_LOOKUP_TABLE) ||
	       (rt->table == RT_TABLE_LOCAL && !net_fib_unmerged(r->net));
}

/* IPv4 specifics of rt_fill_info(): a cache entry of the table
 * shown_as_main() says, RTCF_LOCAL and the loopback for local delivery */
static void clone_v4(struct rtnl *r, struct rt_route *rt,
		     const struct rtmsg *rtm, uint32_t lo)
{
	rt->tos = 0;	/* 6.18's answers carry no tos, whatever was asked */
	rt->scope = RT_SCOPE_UNIVERSE;
	rt->protocol = RTPROT_UNSPEC;
	rt->priority = 0;
	if (shown_as_main(r, rtm, rt))
		rt->table = RT_TABLE_MAIN_ID;
	if (rt->type == RTN_LOCAL) {
		rt->flags |= RTCF_LOCAL;
		rt->nh[0].ifindex = lo ? lo : rt->nh[0].ifindex;
	}
}

/* The cloned route rt_fill_info() / rt6_fill_node() report for a lookup
 * of @dst */
static void clone_result(struct rtnl *r, struct rt_route *rt,
			 const struct rtmsg *rtm, const uint8_t *dst,
			 const uint8_t *src, unsigned int nh, uint32_t lo)
{
	struct rt_nexthop one = rt->n_nh ? rt->nh[nh < rt->n_nh ? nh : 0] :
				(struct rt_nexthop){ 0 };

	rt->dst_len = (uint8_t)(alen(rt->family) * 8);
	memcpy(rt->dst, dst, 16);
	/* rt6_fill_node() marks only RTF_CACHE entries as cloned */
	rt->flags = rt->family == AF_INET ? RTM_F_CLONED : 0;
	rt->n_nh = one.ifindex || one.has_gw;
	rt->nh[0] = one;
	rt->nh[0].weight = 1;
	rt->has_prefsrc = false;	/* the route's metrics stay: the dst's */
	if (src && (src[0] || memcmp(src, src + 1, 15))) {
		memcpy(rt->prefsrc, src, 16);
		rt->has_prefsrc = true;
	}
	if (rt->family == AF_INET)
		clone_v4(r, rt, rtm, lo);
	else if ((rt->type == RTN_LOCAL ||
		  (rt->type == RTN_ANYCAST && rt->protocol == RTPROT_KERNEL)) && lo)
		/* ip6_rt_get_dev_rcu(): dev lo for RTF_LOCAL and RTF_ANYCAST,
		 * which only the anycast routes the kernel adds have (one
		 * added by hand keeps its device) */
		rt->nh[0].ifindex = lo;
}

/* What rt_fill_info() and rt6_fill_node() add to a `route get` answer:
 * RTA_SRC (IPv4: the request's source when it gave one, `from S`; IPv6:
 * always, `from ::`; none for `fibmatch`), RTA_MARK (IPv4: the request's,
 * if not 0), RTA_UID (IPv4: the flow's uid unless INVALID_UID, that is
 * the request's, else the asking user's for an output route), RTA_IIF
 * (an input route's device; IPv6 with `fibmatch` too); 0 or -EMSGSIZE */
static int put_get_extras(struct rtnl_buf *b, struct nlmsghdr *h,
			  const struct rt_route *rt, const uint8_t *from,
			  uint32_t mark, uint32_t uid, uint32_t iif, bool fibmatch)
{
	struct rtmsg *rtm = NLMSG_DATA(h);
	int ret = 0;

	if (fibmatch) {
		if (rt->family == AF_INET6 && iif)
			ret = rtnl__put_u32(b, RTA_IIF, iif);
	} else if (rt->family == AF_INET) {
		if (memcmp(from, "\0\0\0\0", 4)) {
			rtm->rtm_src_len = 32;
			ret = rtnl__put(b, RTA_SRC, from, 4);
		}
		if (!ret && mark)
			ret = rtnl__put_u32(b, RTA_MARK, mark);
		if (!ret && uid != UINT32_MAX)
			ret = rtnl__put_u32(b, RTA_UID, uid);
		if (!ret && iif)
			ret = rtnl__put_u32(b, RTA_IIF, iif);
	} else {
		rtm->rtm_src_len = 128;
		ret = rtnl__put(b, RTA_SRC, from, 16);
		if (!ret && iif)
			ret = rtnl__put_u32(b, RTA_IIF, iif);
	}
	if (!ret)
		rtnl__msg_end(b, h);
	return ret;
}

/* An NLA_U16 in network order (RTA_SPORT, RTA_DPORT), in host order */
static int attr_be16(const struct nlattr *a, uint16_t *v, struct rtnl_ext *ext)
{
	const uint8_t *d = RTNL_ATTR_DATA(a);

	if (RTNL_ATTR_LEN(a) < 2) {
		ext->bad = a;
		return rtnl__fail(ext, -ERANGE, "Attribute failed policy validation");
	}
	*v = (uint16_t)(d[0] << 8 | d[1]);
	return 0;
}

/*
 * inet_rtm_getroute() / inet6_rtm_getroute(): RTA_IP_PROTO (TCP, UDP, and
 * the family's ICMP only, rtm_getroute_parse_ip_proto(); IPv4 asks as UDP
 * when none is given), RTA_SPORT, RTA_DPORT (network order) and RTA_UID
 * into @fl.  Without RTA_UID, an output route is the asking user's
 * (current_uid(): the socket's maker's, rtnl_set_uid()), an input route
 * INVALID_UID; IPv4's input lookup (ip_route_input_slow())
 * then uses uid 0 whatever was asked, and reads the protocol and ports
 * from the packet inet_rtm_getroute_build_skb() made of them (ICMP:
 * an echo request, ports 0).
 */
static int get_l4(struct rtnl *r, const struct rtnl_attrs *tb, uint8_t family,
		  uint32_t iif, struct rt_flow *fl, uint32_t *uid,
		  struct rtnl_ext *ext)
{
	uint16_t port = 0;
	int ret = 0;

	fl->proto = family == AF_INET ? IPPROTO_UDP : 0;
	if (tb->a[RTA_IP_PROTO]) {
		if (RTNL_ATTR_LEN(tb->a[RTA_IP_PROTO]) < 1) {
			ext->bad = tb->a[RTA_IP_PROTO];
			return rtnl__fail(ext, -ERANGE, "Attribute failed policy validation");
		}
		fl->proto = *RTNL_ATTR_DATA(tb->a[RTA_IP_PROTO]);
		if (fl->proto != IPPROTO_TCP && fl->proto != IPPROTO_UDP &&
		    fl->proto != (family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6))
			return rtnl__fail(ext, -EOPNOTSUPP, "Unsupported ip proto");
	}
	if (tb->a[RTA_SPORT] && !(ret = attr_be16(tb->a[RTA_SPORT], &port, ext)))
		fl->sport = port;
	if (!ret && tb->a[RTA_DPORT] && !(ret = attr_be16(tb->a[RTA_DPORT], &port, ext)))
		fl->dport = port;
	if (ret)
		return ret;
	*uid = iif ? UINT32_MAX : r->uid;
	if (tb->a[RTA_UID])
		ret = rtnl__attr_u32(tb->a[RTA_UID], uid, ext);
	fl->uid = *uid;
	if (family == AF_INET && iif) {
		fl->uid = 0;
		if (fl->proto == IPPROTO_ICMP)
			fl->sport = fl->dport = 0;
	}
	return ret;
}

/**
 * rtnl__getroute() - RTM_GETROUTE without NLM_F_DUMP: `ip route get`
 * @r:		the socket
 * @h:		the request: RTA_DST, optional RTA_SRC, RTA_OIF, RTA_MARK,
 *		RTA_IP_PROTO, RTA_SPORT, RTA_DPORT, RTA_UID, and RTA_IIF for
 *		the route of a packet coming in on a device
 *		(net_route_input(); RTA_OIF is then ignored, as Linux does)
 * @ext:	extended ack
 *
 * Return: 0 (reply queued), or the lookup's error (-ENETUNREACH...)
 */
int rtnl__getroute(struct rtnl *r, const struct nlmsghdr *h,
		   struct rtnl_ext *ext)
{
	const struct rtmsg *rtm = NLMSG_DATA(h);
	uint8_t dst[16] = { 0 }, src[16] = { 0 }, from[16] = { 0 };
	struct rt_result *res = NULL;
	struct rtnl_attrs tb;
	struct rtnl_buf b = { 0 };
	uint32_t oif = 0, mark = 0, iif = 0, rtcf = 0, uid = 0;
	struct rt_flow fl = { 0 };
	bool fib = true, fibmatch;
	int ret;

	if (rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6)
		return -EOPNOTSUPP;
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*rtm)))
		return rtnl__fail(ext, -EINVAL, "%s: Invalid header for %s",
				  rtm->rtm_family == AF_INET6 ? "ipv6" : "ipv4",
				  rtm->rtm_family == AF_INET6 ?
				  "get route request" : "route get request");
	fibmatch = rtm->rtm_flags & RTM_F_FIB_MATCH;	/* past the check */
	ret = rtnl__parse(h, sizeof(*rtm), RTA_MAX, rtnl__strict(r), &tb, ext);
	if (!ret && rtnl__strict(r))
		ret = get_strict(h, &tb, ext);
	if (!ret && tb.a[RTA_DST])
		ret = rtnl__attr_addr(tb.a[RTA_DST], rtm->rtm_family, dst, ext);
	if (!ret && tb.a[RTA_OIF])
		ret = rtnl__attr_u32(tb.a[RTA_OIF], &oif, ext);
	if (!ret && tb.a[RTA_SRC])
		ret = rtnl__attr_addr(tb.a[RTA_SRC], rtm->rtm_family, from,
				      ext);
	if (!ret && tb.a[RTA_MARK])
		ret = rtnl__attr_u32(tb.a[RTA_MARK], &mark, ext);
	if (!ret && tb.a[RTA_IIF])
		ret = rtnl__attr_u32(tb.a[RTA_IIF], &iif, ext);
	if (!ret)
		ret = get_l4(r, &tb, rtm->rtm_family, iif, &fl, &uid, ext);
	fl.mark = mark;
	fl.tos = rtm->rtm_tos;
	if (!ret && !(res = malloc(sizeof(*res))))
		ret = -ENOMEM;
	if (!ret && iif) {
		/* an input route: no source chosen (no RTA_PREFSRC) */
		ret = net_route_input(r->net, rtm->rtm_family, dst, from, iif,
				      &fl, res, &rtcf, &fib);
		/* inet_rtm_getroute(): `fibmatch` needs a route of the table */
		if (!ret && fibmatch && !fib)
			ret = -EHOSTUNREACH;
	} else if (rtm->rtm_family == AF_INET) {
		/* inet_rtm_getroute(): the rules see rtm_tos less ECN
		 * (INET_DSCP_MASK) */
		fl.tos = rtm->rtm_tos & 0xfc;
		fl.oif = oif;
		if (!ret)
			ret = net_route_output4(r->net, dst, from, &fl, res, src,
						&rtcf, &fib);
		if (!ret && fibmatch && !fib)
			ret = -EHOSTUNREACH;
		/* ip_route_output_key_hash_rcu(): a given source is the
		 * source, and rt_fill_info() then reports no RTA_PREFSRC */
		if (!ret && memcmp(from, "\0\0\0\0", 4))
			memset(src, 0, sizeof(src));
	} else {
		/* IPv6 looks up without checking the device: ENETUNREACH */
		fl.src = tb.a[RTA_SRC] ? from : NULL;
		fl.iif = lo_ifindex(r);
		fl.oif = oif;
		fl.tos = 0;	/* IPv6's output lookup takes none */
		if (!ret)
			ret = net_route_get_flow(r->net, rtm->rtm_family, dst,
						 &fl, res, src);
	}
	if (!ret && !fibmatch) {
		/* __mkroute_output(): "If multicast route do not exist use
		 * default one, but do not gateway in this case" (a route
		 * shorter than /4; `fibmatch` shows the route as it is) */
		bool nogw = rtm->rtm_family == AF_INET && !iif &&
			    res->route.type == RTN_MULTICAST &&
			    res->route.dst_len < 4;

		clone_result(r, &res->route, rtm, dst, src, res->nh,
			     lo_ifindex(r));
		res->route.flags |= rtcf;
		res->route.nhid = 0;	/* a cached route names none */
		if (nogw && res->route.n_nh) {
			res->route.nh[0].has_gw = false;
			res->route.nh[0].gw_family = 0;
			memset(res->route.nh[0].gw, 0, sizeof(res->route.nh[0].gw));
		}
	} else if (!ret && rtm->rtm_family == AF_INET &&
		   shown_as_main(r, rtm, &res->route)) {
		/* inet_rtm_getroute(): the route itself, in the table
		 * clone_v4() says */
		res->route.table = RT_TABLE_MAIN_ID;
	}
	if (!ret)
		ret = rtnl__buf_init(&b, RTNL_NOTIFY_BUF);
	if (!ret)
		ret = rtnl__fill_route(&b, r->net, &res->route, RTM_NEWROUTE, 0,
				       h->nlmsg_seq, r->portid);
	if (!ret)
		ret = put_get_extras(&b, (struct nlmsghdr *)b.data,
				     &res->route, from, mark, uid, iif, fibmatch);
	if (!ret)
		ret = rtnl__unicast(r, &b);
	free(b.data);
	free(res);
	return ret;
}
