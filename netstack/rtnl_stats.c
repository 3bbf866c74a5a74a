/* SPDX-License-Identifier: MIT */
/*
 * rtnl_stats.c - RTM_GETSTATS and RTM_SETSTATS: a device's statistics
 * by groups (`ip stats`, `ip monitor stats`), as Linux 6.18's
 * rtnl_stats_get(), rtnl_stats_dump() and rtnl_stats_set() give them for
 * devices like the sandbox's (lo, veths, dummies):
 *   - IFLA_STATS_LINK_64: the counters IFLA_STATS64 carries
 *     (rtnl__link_stats64());
 *   - IFLA_STATS_LINK_XSTATS and _XSTATS_SLAVE: none, no device here is
 *     a bridge, a bond or one's port;
 *   - IFLA_STATS_LINK_OFFLOAD_XSTATS: no CPU-hit counters (no driver
 *     offloads), the hardware statistics info (L3 statistics asked for
 *     or not, never used) and, once asked for, L3 statistics that stay 0;
 *   - IFLA_STATS_AF_SPEC: empty (only MPLS fills it, and no device here
 *     has MPLS on).
 * A request is checked in Linux's order with its words: the header
 * (rtnl_valid_stats_req(), strict checking for the reserved fields and
 * the filter mask), the device, the filter mask, then the attributes,
 * which Linux always parses strictly (IFLA_STATS_GET_FILTERS' nest of
 * per-group masks; IFLA_STATS_SET_OFFLOAD_XSTATS_L3_STATS for a set).
 * A set of the L3 request that changes it is told to RTNLGRP_STATS
 * (rtnl_offload_xstats_notify(): the hardware statistics info alone).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "net.h"
#include "rtnl_priv.h"

#define STATS_BUF	512	/* one RTM_NEWSTATS of every group */
#define BIT(attr)	IFLA_STATS_FILTER_BIT(attr)
/* rtnl_valid_stats_req(): a filter mask names groups 1..IFLA_STATS_MAX */
#define STATS_MASK_END	BIT(IFLA_STATS_MAX + 1)
/* RTNL_STATS_OFFLOAD_XSTATS_VALID: the offload group's subgroups */
#define OFFLOAD_VALID	((1u << __IFLA_OFFLOAD_XSTATS_MAX) - 1)

/* rtnl_stats_get_policy, rtnl_stats_get_policy_filters and
 * ifla_stats_set_policy */
static const struct rtnl_spol pol_get[IFLA_STATS_GETSET_MAX + 1] = {
	[IFLA_STATS_GET_FILTERS] = { RTNL_S_NESTED, 0, 0 },
};
static const struct rtnl_spol pol_filters[IFLA_STATS_MAX + 1] = {
	[IFLA_STATS_LINK_OFFLOAD_XSTATS] = { RTNL_S_U32, RTNL_SC_MASK,
					     OFFLOAD_VALID },
};
static const struct rtnl_spol pol_set[IFLA_STATS_GETSET_MAX + 1] = {
	[IFLA_STATS_SET_OFFLOAD_XSTATS_L3_STATS] = { RTNL_S_U8, RTNL_SC_MAX, 1 },
};

/**
 * struct stats_filter - what a message holds (rtnl_stats_dump_filters)
 * @mask:	the groups, IFLA_STATS_FILTER_BIT()s (filter_mask)
 * @offload:	the offload group's subgroups; every other group has none
 *		that a device here could fill
 */
struct stats_filter {
	uint32_t mask;
	uint32_t offload;
};

/* IFLA_STATS_LINK_OFFLOAD_XSTATS' content (rtnl_offload_xstats_fill()):
 * 0, -ENODATA when no subgroup had any, or -EMSGSIZE */
static int put_offload(struct rtnl_buf *b, const struct net_link *l,
		       uint32_t sub)
{
	struct rtnl_hw_stats64 zero;
	struct nlattr *info, *l3;
	bool any = false;

	/* IFLA_OFFLOAD_XSTATS_CPU_HIT: no ndo_has_offload_stats() here */
	if (sub & BIT(IFLA_OFFLOAD_XSTATS_HW_S_INFO)) {
		info = rtnl__nest_start(b, IFLA_OFFLOAD_XSTATS_HW_S_INFO |
					   NLA_F_NESTED);
		l3 = info ? rtnl__nest_start(b, IFLA_OFFLOAD_XSTATS_L3_STATS |
						NLA_F_NESTED) : NULL;
		if (!l3 ||
		    rtnl__put_u8(b, IFLA_OFFLOAD_XSTATS_HW_S_INFO_REQUEST,
				 l->l3_stats) ||
		    rtnl__put_u8(b, IFLA_OFFLOAD_XSTATS_HW_S_INFO_USED, 0))
			return -EMSGSIZE;
		rtnl__nest_end(b, l3);
		rtnl__nest_end(b, info);
		any = true;
	}
	if ((sub & BIT(IFLA_OFFLOAD_XSTATS_L3_STATS)) && l->l3_stats) {
		memset(&zero, 0, sizeof(zero));
		if (rtnl__put(b, IFLA_OFFLOAD_XSTATS_L3_STATS, &zero,
			      sizeof(zero)))
			return -EMSGSIZE;
		any = true;
	}
	return any ? 0 : -ENODATA;
}

/**
 * fill_stats() - one RTM_NEWSTATS message (rtnl_fill_statsinfo())
 * @b:		the datagram
 * @l:		the device
 * @f:		the groups and subgroups to put
 * @flags:	nlmsg_flags
 * @seq:	nlmsg_seq
 * @pid:	nlmsg_pid
 *
 * Return: 0, or -EMSGSIZE with @b as it was
 */
static int fill_stats(struct rtnl_buf *b, const struct net_link *l,
		      const struct stats_filter *f, uint16_t flags,
		      uint32_t seq, uint32_t pid)
{
	struct rtnl_link_stats64 s64;
	struct if_stats_msg *ifsm;
	size_t mark = b->len, at;
	struct nlattr *nest;
	struct nlmsghdr *h;
	int ret;

	h = rtnl__msg_put(b, RTM_NEWSTATS, flags, seq, pid, sizeof(*ifsm));
	if (!h)
		return -EMSGSIZE;
	ifsm = NLMSG_DATA(h);
	ifsm->ifindex = l->ifindex;
	ifsm->filter_mask = f->mask;
	if (f->mask & BIT(IFLA_STATS_LINK_64)) {
		rtnl__link_stats64(l, &s64);
		if (rtnl__put(b, IFLA_STATS_LINK_64, &s64, sizeof(s64)))
			goto nospace;
	}
	if (f->mask & BIT(IFLA_STATS_LINK_OFFLOAD_XSTATS)) {
		at = b->len;
		nest = rtnl__nest_start(b, IFLA_STATS_LINK_OFFLOAD_XSTATS);
		if (!nest)
			goto nospace;
		ret = put_offload(b, l, f->offload);
		if (ret == -ENODATA)
			b->len = at;	/* nla_nest_cancel() */
		else if (ret)
			goto nospace;
		else
			rtnl__nest_end(b, nest);
	}
	if ((f->mask & BIT(IFLA_STATS_AF_SPEC)) &&
	    !rtnl__nest_start(b, IFLA_STATS_AF_SPEC))
		goto nospace;
	rtnl__msg_end(b, h);
	return 0;
nospace:
	b->len = mark;
	return -EMSGSIZE;
}

/*
 * rtnl_valid_stats_req(): the header long enough, and under strict
 * checking no reserved field set, no device for a dump and no group
 * past the last
 */
static int valid_req(struct rtnl *r, const struct nlmsghdr *h, bool dump,
		     struct rtnl_ext *ext)
{
	const struct if_stats_msg *ifsm = NLMSG_DATA(h);

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifsm)))
		return rtnl__fail(ext, -EINVAL, "Invalid header for stats dump");
	if (!rtnl__strict(r))
		return 0;
	if (ifsm->pad1 || ifsm->pad2 || (dump && ifsm->ifindex))
		return rtnl__fail(ext, -EINVAL, "Invalid values in header for stats dump request");
	if (ifsm->filter_mask >= STATS_MASK_END)
		return rtnl__fail(ext, -EINVAL, "Invalid stats requested through filter mask");
	return 0;
}

/* rtnl_stats_get_parse(): the groups of the header, every subgroup of
 * each unless IFLA_STATS_GET_FILTERS narrows one the header names */
static int get_filters(const struct nlmsghdr *h, struct stats_filter *f,
		       struct rtnl_ext *ext)
{
	const struct if_stats_msg *ifsm = NLMSG_DATA(h);
	struct rtnl_attrs tb, sub;
	unsigned int at;
	int ret;

	f->mask = ifsm->filter_mask;
	f->offload = ~0u;
	ret = rtnl__parse_strict(h, sizeof(*ifsm), pol_get, IFLA_STATS_GETSET_MAX,
				 &tb, ext);
	if (ret || !tb.a[IFLA_STATS_GET_FILTERS])
		return ret;
	ret = rtnl__parse_nested_strict(tb.a[IFLA_STATS_GET_FILTERS],
					pol_filters, IFLA_STATS_MAX, &sub, ext);
	if (ret)
		return ret;
	for (at = 1; at <= IFLA_STATS_MAX; at++) {
		if (!sub.a[at])
			continue;
		if (!(f->mask & BIT(at)))
			return rtnl__fail(ext, -EINVAL, "Filtered attribute not enabled in filter_mask");
		/* only the offload group's passes pol_filters */
		f->offload = rtnl__get_u32(sub.a[at]);
	}
	return 0;
}

/* The device a get or set names: -EINVAL for none, -ENODEV (the
 * header's ifindex is unsigned: "-1" is a device not there) */
static int req_link(struct rtnl *r, const struct nlmsghdr *h,
		    struct net_link *l)
{
	const struct if_stats_msg *ifsm = NLMSG_DATA(h);

	if (!ifsm->ifindex)
		return -EINVAL;
	return net_link_get(r->net, ifsm->ifindex, l);
}

/**
 * rtnl__getstats() - RTM_GETSTATS without NLM_F_DUMP: one device's
 *		      (`ip stats show dev eth0`)
 * @r:		the socket
 * @h:		the request (if_stats_msg, IFLA_STATS_GET_FILTERS)
 * @ext:	extended ack
 *
 * Return: 0 (the statistics were sent), or a negative errno for NLMSG_ERROR
 */
int rtnl__getstats(struct rtnl *r, const struct nlmsghdr *h,
		   struct rtnl_ext *ext)
{
	const struct if_stats_msg *ifsm = NLMSG_DATA(h);
	struct stats_filter f;
	struct net_link l;
	struct rtnl_buf b;
	int ret;

	if ((ret = valid_req(r, h, false, ext)) || (ret = req_link(r, h, &l)))
		return ret;
	if (!ifsm->filter_mask)
		return rtnl__fail(ext, -EINVAL, "Filter mask must be set for stats get");
	if ((ret = get_filters(h, &f, ext)))
		return ret;
	if (rtnl__buf_init(&b, STATS_BUF))
		return -ENOMEM;
	if (fill_stats(&b, &l, &f, 0, h->nlmsg_seq, r->portid)) {
		free(b.data);
		return -EMSGSIZE;
	}
	return rtnl__unicast(r, &b);
}

/* ---- dump ---- */

struct stats_walk {
	struct rtnl *r;
	struct rtnl_dump *d;
	struct rtnl_buf *b;
};

static int stats_one(void *arg, const struct net_link *l)
{
	struct stats_walk *w = arg;
	struct stats_filter f = { w->d->st_mask, w->d->st_offload };

	if (l->ifindex <= w->d->last_ifindex)
		return 0;
	if (fill_stats(w->b, l, &f, NLM_F_MULTI, w->d->seq, w->r->portid))
		return 1;
	w->d->last_ifindex = l->ifindex;
	return 0;
}

static int stats_fill(struct rtnl *r, struct rtnl_dump *d, struct rtnl_buf *b)
{
	struct stats_walk w = { r, d, b };

	return net_link_walk(r->net, stats_one, &w) ? 0 : 1;
}

static const struct rtnl_dump_ops stats_dump = { stats_fill };

/**
 * rtnl__dumpstats() - start an RTM_GETSTATS dump: every device, by
 *		       ascending ifindex (`ip stats show`)
 * @r:		the socket
 * @h:		the request (if_stats_msg, IFLA_STATS_GET_FILTERS)
 * @ext:	extended ack
 *
 * Return: 0 (dump started), or the error NLMSG_DONE carries
 */
int rtnl__dumpstats(struct rtnl *r, const struct nlmsghdr *h,
		    struct rtnl_ext *ext)
{
	const struct if_stats_msg *ifsm = NLMSG_DATA(h);
	struct stats_filter f;
	struct rtnl_dump *d;
	int ret;

	if ((ret = valid_req(r, h, true, ext)))
		return ret;
	if (!ifsm->filter_mask)
		return rtnl__fail(ext, -EINVAL, "Filter mask must be set for stats dump");
	if ((ret = get_filters(h, &f, ext)))
		return ret;
	d = rtnl__dump_new(r, h, &stats_dump);
	if (!d)
		return -ENOMEM;
	d->st_mask = f.mask;
	d->st_offload = f.offload;
	return 0;
}

/* ---- set, and its notification ---- */

/**
 * rtnl__setstats() - RTM_SETSTATS: ask for a device's L3 offload
 *		      statistics or no more (`ip stats set dev eth0
 *		      l3_stats on|off`)
 * @r:		the socket
 * @h:		the request (if_stats_msg,
 *		IFLA_STATS_SET_OFFLOAD_XSTATS_L3_STATS)
 * @ext:	extended ack
 *
 * Asking for what already is so succeeds and tells nobody.
 *
 * Return: 0, or a negative errno for NLMSG_ERROR
 */
int rtnl__setstats(struct rtnl *r, const struct nlmsghdr *h,
		   struct rtnl_ext *ext)
{
	const struct if_stats_msg *ifsm = NLMSG_DATA(h);
	const struct nlattr *a;
	struct rtnl_attrs tb;
	struct net_link l;
	int ret;

	if ((ret = valid_req(r, h, false, ext)))
		return ret;
	if (ifsm->family != AF_UNSPEC)
		return rtnl__fail(ext, -EINVAL, "Address family should be AF_UNSPEC");
	if ((ret = req_link(r, h, &l)))
		return ret;
	if (ifsm->filter_mask)
		return rtnl__fail(ext, -EINVAL, "Filter mask must be 0 for stats set");
	ret = rtnl__parse_strict(h, sizeof(*ifsm), pol_set, IFLA_STATS_GETSET_MAX,
				 &tb, ext);
	if (ret)
		return ret;
	a = tb.a[IFLA_STATS_SET_OFFLOAD_XSTATS_L3_STATS];
	if (!a)
		return 0;
	ret = net_link_l3_stats(r->net, l.ifindex, *RTNL_ATTR_DATA(a) != 0);
	return ret == -EALREADY ? 0 : ret;
}

/**
 * rtnl__fill_stats_info() - the RTM_NEWSTATS a change of the L3 request
 *			     is told with: the hardware statistics info alone
 * @b:		the datagram
 * @l:		the device, after the change
 *
 * Return: 0, or -EMSGSIZE
 */
int rtnl__fill_stats_info(struct rtnl_buf *b, const struct net_link *l)
{
	const struct stats_filter f = {
		BIT(IFLA_STATS_LINK_OFFLOAD_XSTATS),
		BIT(IFLA_OFFLOAD_XSTATS_HW_S_INFO),
	};

	return fill_stats(b, l, &f, 0, 0, 0);
}
