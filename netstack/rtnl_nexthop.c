/* SPDX-License-Identifier: MIT */
/*
 * rtnl_nexthop.c - rtnetlink nexthop objects: RTM_NEWNEXTHOP,
 * RTM_DELNEXTHOP, RTM_GETNEXTHOP (one by id, or a dump with its filters),
 * and the nhmsg that replies and notifications carry (`ip nexthop`).
 *
 * Called through rtnl.c's handler table; the objects are net.h's (kept by
 * nexthop.c).  Follows Linux 6.18's net/ipv4/nexthop.c: the strict
 * parse of each request against its policy (nlmsg_parse(): an unknown
 * type, one without a policy, an integer of the wrong size, a flag with
 * a payload fail first), then rtm_to_nh_config()'s checks in their
 * order with its words, and nh_fill_node()'s message.  Resilient groups
 * (NHA_GROUP_TYPE 1) and encapsulations are refused: the sandbox has
 * neither.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/nexthop.h>

#include "rtnl_priv.h"

/* Linux 6.18's, past this system's <linux/nexthop.h> */
#define NH_OP_FLAGS		14	/* NHA_OP_FLAGS: u32 */
#define NH_HW_STATS_ENABLE	16	/* NHA_HW_STATS_ENABLE: u32, 0 or 1 */
#define NH_ATTR_MAX		16	/* rtm_nh_policy_new's last */
#define NH_RESP_GRP_RESVD_0	0x80000000u	/* NHA_OP_FLAG_RESP_GRP_RESVD_0 */

#define NH_GET_BUF		512	/* one RTM_NEWNEXTHOP of a full group */

#define U16	{ RTNL_S_U16, 0, 0 }
#define U32	{ RTNL_S_U32, 0, 0 }
#define FLAG	{ RTNL_S_FLAG, 0, 0 }
#define BINARY	{ RTNL_S_BINARY, 0, 0 }
#define NESTED	{ RTNL_S_NESTED, 0, 0 }

static const struct rtnl_spol pol_new[NH_ATTR_MAX + 1] = {
	[NHA_ID] = U32, [NHA_GROUP] = BINARY, [NHA_GROUP_TYPE] = U16,
	[NHA_BLACKHOLE] = FLAG, [NHA_OIF] = U32, [NHA_GATEWAY] = BINARY,
	[NHA_ENCAP_TYPE] = U16, [NHA_ENCAP] = NESTED, [NHA_FDB] = FLAG,
	[NHA_RES_GROUP] = NESTED,
	/* NLA_POLICY_MAX(NLA_U32, true) */
	[NH_HW_STATS_ENABLE] = { RTNL_S_U32, RTNL_SC_MAX, 1 },
};
static const struct rtnl_spol pol_get[NH_OP_FLAGS + 1] = {
	[NHA_ID] = U32, [NH_OP_FLAGS] = U32,
};
static const struct rtnl_spol pol_del[NHA_ID + 1] = { [NHA_ID] = U32 };
static const struct rtnl_spol pol_dump[NH_OP_FLAGS + 1] = {
	[NHA_OIF] = U32, [NHA_GROUPS] = FLAG, [NHA_MASTER] = U32,
	[NHA_FDB] = FLAG, [NH_OP_FLAGS] = U32,
};
/* RTM_GETNEXTHOPBUCKET's, and those of its NHA_RES_BUCKET */
static const struct rtnl_spol pol_bucket_dump[NHA_RES_BUCKET + 1] = {
	[NHA_ID] = U32, [NHA_OIF] = U32, [NHA_MASTER] = U32,
	[NHA_RES_BUCKET] = NESTED,
};
static const struct rtnl_spol pol_bucket_get[NHA_RES_BUCKET + 1] = {
	[NHA_ID] = U32, [NHA_RES_BUCKET] = NESTED,
};
static const struct rtnl_spol pol_res_dump[NHA_RES_BUCKET_NH_ID + 1] = {
	[NHA_RES_BUCKET_NH_ID] = U32,
};
static const struct rtnl_spol pol_res_get[NHA_RES_BUCKET_INDEX + 1] = {
	[NHA_RES_BUCKET_INDEX] = U16,
};

/* nlmsg_parse() of a request of this family (rtnl__parse_strict()) */
static int parse(const struct nlmsghdr *h, const struct rtnl_spol *pol,
		 unsigned int maxtype, struct rtnl_attrs *tb,
		 struct rtnl_ext *ext)
{
	return rtnl__parse_strict(h, sizeof(struct nhmsg), pol, maxtype, tb, ext);
}

static uint16_t u16_of(const struct nlattr *a)
{
	uint16_t v;

	memcpy(&v, RTNL_ATTR_DATA(a), sizeof(v));
	return v;
}

/* lwtunnel_valid_encap_type() with no type registered: as a route's
 * (rtnl_route.c) */
static int encap_type(const struct nlattr *a, struct rtnl_ext *ext)
{
	uint16_t t = u16_of(a);

	if (t == 0 || t > 10)
		return rtnl__fail(ext, -EINVAL, "Unknown lwt encapsulation type");
	return rtnl__fail(ext, -EOPNOTSUPP, "lwt encapsulation type not supported");
}

/* nh_check_attr_group(): the entries themselves (their nexthops are
 * looked at by net_nh_add()), then the attributes a group may not have */
static int parse_group(const struct rtnl_attrs *tb, uint16_t type,
		       struct net_nh *nh, struct rtnl_ext *ext)
{
	const struct nlattr *a = tb->a[NHA_GROUP];
	size_t len = RTNL_ATTR_LEN(a), n = len / sizeof(struct nexthop_grp);
	const uint8_t *e = RTNL_ATTR_DATA(a);
	struct nexthop_grp g;
	unsigned int i, k, w;

	if (!len || len % sizeof(g))
		return rtnl__fail(ext, -EINVAL, "Invalid length for nexthop group attribute");
	if (n > NET_NH_GROUP_MAX)
		return rtnl__fail(ext, -EINVAL, "A nexthop group holds at most %d nexthops here",
				  NET_NH_GROUP_MAX);
	for (i = 0; i < n; i++) {
		memcpy(&g, e + i * sizeof(g), sizeof(g));
		/* Linux 6.12's 16-bit weights: resvd1 is weight_high */
		w = (unsigned int)g.resvd1 << 8 | g.weight;
		if (g.resvd2)
			return rtnl__fail(ext, -EINVAL, "Reserved field in nexthop_grp must be 0");
		if (w == 0xffff)
			return rtnl__fail(ext, -EINVAL, "Invalid value for weight");
		for (k = 0; k < i; k++)
			if (nh->grp[k].id == g.id)
				return rtnl__fail(ext, -EINVAL, "Nexthop id can not be used twice in a group");
		nh->grp[i].id = g.id;
		nh->grp[i].weight = (uint16_t)(w + 1);
	}
	nh->n_grp = (uint16_t)n;
	for (i = NHA_GROUP_TYPE + 1; i <= NH_ATTR_MAX; i++) {
		if (!tb->a[i] || i == NHA_FDB || i == NH_HW_STATS_ENABLE ||
		    (i == NHA_RES_GROUP && type == NEXTHOP_GRP_TYPE_RES))
			continue;
		return rtnl__fail(ext, -EINVAL, "No other attributes can be set in nexthop groups");
	}
	return 0;
}

/* rtm_to_nh_config(): the request as a nexthop, with Linux's checks in
 * their order (those of its device and members are net_nh_add()'s);
 * 0, or NEXTHOP_GRP_TYPE_RES for a resilient group, or a negative errno */
static int parse_new(const struct nlmsghdr *h, struct net_nh *nh,
		     struct rtnl_ext *ext)
{
	const struct nhmsg *nhm = NLMSG_DATA(h);
	struct rtnl_attrs tb;
	const struct nlattr *gw;
	uint16_t type = NEXTHOP_GRP_TYPE_MPATH;
	size_t alen;
	int ret;

	ret = parse(h, pol_new, NH_ATTR_MAX, &tb, ext);
	if (ret)
		return ret;
	memset(nh, 0, sizeof(*nh));
	if (nhm->resvd || nhm->nh_scope)
		return rtnl__fail(ext, -EINVAL, "Invalid values in ancillary header");
	if (nhm->nh_flags & ~RTNH_F_ONLINK)
		return rtnl__fail(ext, -EINVAL, "Invalid nexthop flags in ancillary header");
	if (nhm->nh_family != AF_INET && nhm->nh_family != AF_INET6 &&
	    (nhm->nh_family != AF_UNSPEC || !tb.a[NHA_GROUP]))
		return rtnl__fail(ext, -EINVAL, "Invalid address family");
	nh->family = nhm->nh_family;
	nh->protocol = nhm->nh_protocol;
	nh->flags = nhm->nh_flags;
	if (tb.a[NHA_ID])
		nh->id = rtnl__get_u32(tb.a[NHA_ID]);
	if (tb.a[NHA_FDB]) {
		if (tb.a[NHA_OIF] || tb.a[NHA_BLACKHOLE] || tb.a[NHA_ENCAP] ||
		    tb.a[NHA_ENCAP_TYPE])
			return rtnl__fail(ext, -EINVAL, "Fdb attribute can not be used with encap, oif or blackhole");
		if (nhm->nh_flags)
			return rtnl__fail(ext, -EINVAL, "Unsupported nexthop flags in ancillary header");
		nh->fdb = true;
	}
	if (tb.a[NHA_GROUP]) {
		if (nhm->nh_family != AF_UNSPEC)
			return rtnl__fail(ext, -EINVAL, "Invalid family for group");
		if (tb.a[NHA_GROUP_TYPE])
			type = u16_of(tb.a[NHA_GROUP_TYPE]);
		if (type > NEXTHOP_GRP_TYPE_MAX)
			return rtnl__fail(ext, -EINVAL, "Invalid group type");
		ret = parse_group(&tb, type, nh, ext);
		return ret ? ret : type;
	}
	if (tb.a[NHA_BLACKHOLE]) {
		if (tb.a[NHA_GATEWAY] || tb.a[NHA_OIF] || tb.a[NHA_ENCAP] ||
		    tb.a[NHA_ENCAP_TYPE] || tb.a[NHA_FDB])
			return rtnl__fail(ext, -EINVAL, "Blackhole attribute can not be used with gateway, oif, encap or fdb");
		nh->blackhole = true;
		return 0;
	}
	if (!nh->fdb && !tb.a[NHA_OIF])
		return rtnl__fail(ext, -EINVAL, "Device attribute required for non-blackhole and non-fdb nexthops");
	if (tb.a[NHA_OIF])
		nh->ifindex = rtnl__get_u32(tb.a[NHA_OIF]);
	if ((gw = tb.a[NHA_GATEWAY])) {
		alen = RTNL_ATTR_LEN(gw);
		if (alen != (nh->family == AF_INET ? 4u : 16u))
			return rtnl__fail(ext, -EINVAL, "Invalid gateway");
		memcpy(nh->gw, RTNL_ATTR_DATA(gw), alen);
		/* a gateway of 0.0.0.0 or :: is none */
		nh->has_gw = memcmp(nh->gw, (const uint8_t[16]){ 0 }, 16) != 0;
	}
	if (!nh->has_gw && (nh->flags & RTNH_F_ONLINK))
		return rtnl__fail(ext, -EINVAL, "ONLINK flag can not be set for nexthop without a gateway");
	if (tb.a[NHA_ENCAP] && !tb.a[NHA_ENCAP_TYPE])
		return rtnl__fail(ext, -EINVAL, "LWT encapsulation type is missing");
	if (tb.a[NHA_ENCAP])
		return encap_type(tb.a[NHA_ENCAP_TYPE], ext);
	if (tb.a[NHA_ENCAP_TYPE])
		return rtnl__fail(ext, -EINVAL, "LWT encapsulation attribute is missing");
	if (tb.a[NH_HW_STATS_ENABLE])
		return rtnl__fail(ext, -EINVAL, "Cannot enable nexthop hardware statistics for non-group nexthops");
	return 0;
}

/* Errors Linux gives without words: `ip` then prints the errno's text */
static int quiet_errors(int ret, struct rtnl_ext *ext)
{
	if (ret == -EEXIST || ret == -EHOSTUNREACH)
		ext->msg[0] = '\0';
	return ret;
}

/**
 * rtnl__newnexthop() - RTM_NEWNEXTHOP: add, or replace (NLM_F_REPLACE;
 * with NLM_F_CREATE, or add), a nexthop object; without NLM_F_CREATE a
 * new one is added all the same, and NLM_F_EXCL means nothing, as Linux
 * @r:		the socket
 * @h:		the request
 * @ext:	extended ack
 *
 * Return: 0, or a negative errno with Linux's words
 */
int rtnl__newnexthop(struct rtnl *r, const struct nlmsghdr *h,
		     struct rtnl_ext *ext)
{
	const struct net_nh *old;
	unsigned int flags = 0;
	struct net_nh nh;
	int ret;

	ret = parse_new(h, &nh, ext);
	if (ret < 0)
		return ret;
	/* a resilient group: replace_nexthop() refuses a kind for another
	 * before anything else; a new one is not kept here */
	if (ret == NEXTHOP_GRP_TYPE_RES) {
		old = (h->nlmsg_flags & NLM_F_REPLACE) ?
		      net_nh_get(r->net, nh.id) : NULL;
		if (old && old->n_grp)
			return rtnl__fail(ext, -EINVAL, "Can not replace a nexthop group with one of a different type.");
		if (old)
			return rtnl__fail(ext, -EINVAL, "Can not replace a nexthop with a nexthop group.");
		return rtnl__fail(ext, -EOPNOTSUPP, "Resilient nexthop groups are not supported here");
	}
	if (h->nlmsg_flags & NLM_F_REPLACE)
		flags |= NET_NH_REPLACE;
	if (h->nlmsg_flags & NLM_F_CREATE)
		flags |= NET_NH_CREATE;
	return quiet_errors(net_nh_add(r->net, &nh, flags, ext->msg,
				       sizeof(ext->msg)), ext);
}

/* nh_valid_get_del_req() (its parse against @pol, into @tb): the header,
 * then the id */
static int get_del_id(const struct nlmsghdr *h, const struct rtnl_spol *pol,
		      unsigned int maxtype, struct rtnl_attrs *tb, uint32_t *id,
		      struct rtnl_ext *ext)
{
	const struct nhmsg *nhm = NLMSG_DATA(h);
	int ret;

	ret = parse(h, pol, maxtype, tb, ext);
	if (ret)
		return ret;
	if (nhm->nh_protocol || nhm->resvd || nhm->nh_scope || nhm->nh_flags)
		return rtnl__fail(ext, -EINVAL, "Invalid values in header");
	if (!tb->a[NHA_ID])
		return rtnl__fail(ext, -EINVAL, "Nexthop id is missing");
	*id = rtnl__get_u32(tb->a[NHA_ID]);
	if (!*id)
		return rtnl__fail(ext, -EINVAL, "Invalid nexthop id");
	return 0;
}

/**
 * rtnl__delnexthop() - RTM_DELNEXTHOP
 * @r:		the socket
 * @h:		the request (NHA_ID)
 * @ext:	extended ack
 *
 * Return: 0, -ENOENT (no words) when there is no such nexthop, -EINVAL
 */
int rtnl__delnexthop(struct rtnl *r, const struct nlmsghdr *h,
		     struct rtnl_ext *ext)
{
	struct rtnl_attrs tb;
	uint32_t id;
	int ret;

	ret = get_del_id(h, pol_del, NHA_ID, &tb, &id, ext);
	return ret ? ret : net_nh_del(r->net, id);
}

static int put_group(struct rtnl_buf *b, const struct net_nh *nh)
{
	struct nexthop_grp g[NET_NH_GROUP_MAX];
	unsigned int i, w;

	memset(g, 0, sizeof(g));
	for (i = 0; i < nh->n_grp; i++) {
		w = nh->grp[i].weight - 1u;
		g[i].id = nh->grp[i].id;
		g[i].weight = (uint8_t)w;
		g[i].resvd1 = (uint8_t)(w >> 8);	/* weight_high */
	}
	if ((nh->fdb && rtnl__put(b, NHA_FDB, NULL, 0)) ||
	    rtnl__put(b, NHA_GROUP_TYPE, &(uint16_t){ NEXTHOP_GRP_TYPE_MPATH }, 2) ||
	    rtnl__put(b, NHA_GROUP, g, nh->n_grp * sizeof(g[0])) ||
	    rtnl__put_u32(b, NH_OP_FLAGS, NH_RESP_GRP_RESVD_0))
		return -EMSGSIZE;
	return 0;
}

/**
 * rtnl__fill_nexthop() - a nexthop object as nh_fill_node() words it
 * @b:		the datagram
 * @nh:		the nexthop
 * @type:	RTM_NEWNEXTHOP or RTM_DELNEXTHOP
 * @flags:	nlmsg_flags
 * @seq:	nlmsg_seq
 * @pid:	nlmsg_pid
 *
 * Return: 0, or -EMSGSIZE (nothing added)
 */
int rtnl__fill_nexthop(struct rtnl_buf *b, const struct net_nh *nh,
		       uint16_t type, uint16_t flags, uint32_t seq, uint32_t pid)
{
	size_t mark = b->len, alen = nh->family == AF_INET ? 4 : 16;
	struct nlmsghdr *h;
	struct nhmsg *nhm;
	int ret;

	h = rtnl__msg_put(b, type, flags, seq, pid, sizeof(*nhm));
	if (!h)
		return -EMSGSIZE;
	nhm = NLMSG_DATA(h);
	nhm->nh_family = nh->n_grp ? AF_UNSPEC : nh->family;
	nhm->nh_scope = nh->scope;
	nhm->nh_protocol = nh->protocol;
	nhm->nh_flags = nh->flags;
	ret = rtnl__put_u32(b, NHA_ID, nh->id);
	if (!ret && nh->n_grp)
		ret = put_group(b, nh);
	else if (!ret && nh->blackhole)
		ret = rtnl__put(b, NHA_BLACKHOLE, NULL, 0);
	else if (!ret && nh->fdb)
		ret = rtnl__put(b, NHA_FDB, NULL, 0) ||
		      rtnl__put(b, NHA_GATEWAY, nh->gw, alen);
	else if (!ret)
		ret = rtnl__put_u32(b, NHA_OIF, nh->ifindex) ||
		      (nh->has_gw && rtnl__put(b, NHA_GATEWAY, nh->gw, alen));
	if (ret) {
		b->len = mark;
		return -EMSGSIZE;
	}
	rtnl__msg_end(b, h);
	return 0;
}

/* ---- get and dump ---- */

struct nh_walk {
	struct rtnl *r;
	struct rtnl_dump *d;
	struct rtnl_buf *b;
};

/* nh_dump_filtered(): groups only, or (a device, a master or a family
 * asked for) single nexthops of them, a blackhole's device being the
 * loopback; the sandbox's devices have no master, so none passes that
 * filter */
static bool filtered(const struct rtnl_dump *d, const struct net_nh *nh)
{
	uint32_t dev = nh->blackhole ? RTNL_LO_IFINDEX : nh->ifindex;

	if (d->nh_groups && !nh->n_grp)
		return true;
	if (!d->ifindex && !d->nh_master && !d->n_fam)
		return false;
	if (nh->n_grp || d->nh_master)
		return true;
	return (d->n_fam && nh->family != d->families[0]) ||
	       (d->ifindex && dev != d->ifindex);
}

static int nh_one(void *arg, const struct net_nh *nh)
{
	struct nh_walk *w = arg;

	if (!filtered(w->d, nh) &&
	    rtnl__fill_nexthop(w->b, nh, RTM_NEWNEXTHOP, NLM_F_MULTI,
			       w->d->seq, w->r->portid))
		return 1;	/* full: this one again next time */
	w->d->skip = nh->id;
	return 0;
}

static int nh_fill(struct rtnl *r, struct rtnl_dump *d, struct rtnl_buf *b)
{
	struct nh_walk w = { r, d, b };

	return net_nh_walk(r->net, (uint32_t)d->skip, nh_one, &w) ? 0 : 1;
}

static const struct rtnl_dump_ops nh_dump = { nh_fill };

/**
 * rtnl__dumpnexthop() - start an RTM_GETNEXTHOP dump (nh_valid_dump_req())
 * @r:		the socket
 * @h:		the request: nhmsg, and NHA_OIF, NHA_GROUPS, NHA_MASTER,
 *		NHA_FDB (read and not applied, as Linux 6.18)
 * @ext:	extended ack
 *
 * Return: 0 (dump started), or the error NLMSG_DONE carries
 */
int rtnl__dumpnexthop(struct rtnl *r, const struct nlmsghdr *h,
		      struct rtnl_ext *ext)
{
	const struct nhmsg *nhm = NLMSG_DATA(h);
	uint32_t oif = 0, master = 0;
	struct rtnl_dump *d;
	struct rtnl_attrs tb;
	int ret;

	ret = parse(h, pol_dump, NH_OP_FLAGS, &tb, ext);
	if (ret)
		return ret;
	if (tb.a[NHA_OIF] && (oif = rtnl__get_u32(tb.a[NHA_OIF])) > INT_MAX)
		return rtnl__fail(ext, -EINVAL, "Invalid device index");
	if (tb.a[NHA_MASTER] && (master = rtnl__get_u32(tb.a[NHA_MASTER])) > INT_MAX)
		return rtnl__fail(ext, -EINVAL, "Invalid master device index");
	if (nhm->nh_protocol || nhm->resvd || nhm->nh_scope || nhm->nh_flags)
		return rtnl__fail(ext, -EINVAL, "Invalid values in header for nexthop dump request");
	d = rtnl__dump_new(r, h, &nh_dump);
	if (!d)
		return -ENOMEM;
	d->ifindex = oif;
	d->nh_master = master;
	d->nh_groups = tb.a[NHA_GROUPS] != NULL;
	if (nhm->nh_family)
		d->families[d->n_fam++] = nhm->nh_family;
	return 0;
}

/* ---- buckets of resilient groups, of which the sandbox has none ---- */

/* nexthop_find_group_resilient(): every group here is hash-threshold */
static int find_resilient(struct rtnl *r, uint32_t id, struct rtnl_ext *ext)
{
	const struct net_nh *nh = net_nh_get(r->net, id);

	if (!nh)
		return -ENOENT;
	if (!nh->n_grp)
		return rtnl__fail(ext, -EINVAL, "Not a nexthop group");
	return rtnl__fail(ext, -EINVAL, "Nexthop group not of type resilient");
}

static int bucket_fill(struct rtnl *r, struct rtnl_dump *d, struct rtnl_buf *b)
{
	(void)r;
	(void)d;
	(void)b;
	return 1;		/* no resilient group, no bucket */
}

static const struct rtnl_dump_ops bucket_dump = { bucket_fill };

/**
 * rtnl__dumpnhbucket() - start an RTM_GETNEXTHOPBUCKET dump
 * (nh_valid_dump_bucket_req()): empty, as Linux's with no resilient
 * group; an id names a group that is not resilient, or none
 * @r:		the socket
 * @h:		the request
 * @ext:	extended ack
 *
 * Return: 0 (dump started), or the error NLMSG_DONE carries
 */
int rtnl__dumpnhbucket(struct rtnl *r, const struct nlmsghdr *h,
		       struct rtnl_ext *ext)
{
	const struct nhmsg *nhm = NLMSG_DATA(h);
	struct rtnl_ext none = { .msg = "" };
	struct rtnl_attrs tb, res;
	uint32_t id = 0;
	int ret;

	/* the request's own parse has no extended ack: a bare errno */
	ret = parse(h, pol_bucket_dump, NHA_RES_BUCKET, &tb, &none);
	if (ret)
		return ret;
	if (tb.a[NHA_ID] && !(id = rtnl__get_u32(tb.a[NHA_ID])))
		return rtnl__fail(ext, -EINVAL, "Invalid nexthop id");
	if (tb.a[NHA_RES_BUCKET]) {
		ret = rtnl__parse_nested_strict(tb.a[NHA_RES_BUCKET], pol_res_dump,
							NHA_RES_BUCKET_NH_ID, &res, ext);
		if (ret)
			return ret;
		if (res.a[NHA_RES_BUCKET_NH_ID] &&
		    !rtnl__get_u32(res.a[NHA_RES_BUCKET_NH_ID]))
			return rtnl__fail(ext, -EINVAL, "Invalid nexthop id");
	}
	if (tb.a[NHA_OIF] && rtnl__get_u32(tb.a[NHA_OIF]) > INT_MAX)
		return rtnl__fail(ext, -EINVAL, "Invalid device index");
	if (tb.a[NHA_MASTER] && rtnl__get_u32(tb.a[NHA_MASTER]) > INT_MAX)
		return rtnl__fail(ext, -EINVAL, "Invalid master device index");
	if (nhm->nh_protocol || nhm->resvd || nhm->nh_scope || nhm->nh_flags)
		return rtnl__fail(ext, -EINVAL, "Invalid values in header for nexthop dump request");
	if (id)
		return find_resilient(r, id, ext);
	return rtnl__dump_new(r, h, &bucket_dump) ? 0 : -ENOMEM;
}

/**
 * rtnl__getnhbucket() - RTM_GETNEXTHOPBUCKET without NLM_F_DUMP
 * (nh_valid_get_bucket_req()): a bucket of no group here
 * @r:		the socket
 * @h:		the request
 * @ext:	extended ack
 *
 * Return: Linux's error for the request
 */
int rtnl__getnhbucket(struct rtnl *r, const struct nlmsghdr *h,
		      struct rtnl_ext *ext)
{
	struct rtnl_attrs tb, res;
	uint32_t id;
	int ret;

	ret = get_del_id(h, pol_bucket_get, NHA_RES_BUCKET, &tb, &id, ext);
	if (ret)
		return ret;
	if (!tb.a[NHA_RES_BUCKET])
		return rtnl__fail(ext, -EINVAL, "Bucket information is missing");
	ret = rtnl__parse_nested_strict(tb.a[NHA_RES_BUCKET], pol_res_get,
						NHA_RES_BUCKET_INDEX, &res, ext);
	if (ret)
		return ret;
	if (!res.a[NHA_RES_BUCKET_INDEX])
		return rtnl__fail(ext, -EINVAL, "Bucket index is missing");
	return find_resilient(r, id, ext);
}

/**
 * rtnl__getnexthop() - RTM_GETNEXTHOP without NLM_F_DUMP: one by NHA_ID
 * @r:		the socket
 * @h:		the request
 * @ext:	extended ack
 *
 * Return: 0 (answered), -ENOENT (no words) when there is none, -EINVAL
 */
int rtnl__getnexthop(struct rtnl *r, const struct nlmsghdr *h,
		     struct rtnl_ext *ext)
{
	const struct net_nh *nh;
	struct rtnl_attrs tb;
	struct rtnl_buf b;
	uint32_t id;
	int ret;

	ret = get_del_id(h, pol_get, NH_OP_FLAGS, &tb, &id, ext);
	if (ret)
		return ret;
	nh = net_nh_get(r->net, id);
	if (!nh)
		return -ENOENT;
	if (rtnl__buf_init(&b, NH_GET_BUF))
		return -ENOMEM;
	if (rtnl__fill_nexthop(&b, nh, RTM_NEWNEXTHOP, 0, h->nlmsg_seq,
			       r->portid)) {
		free(b.data);
		return -EMSGSIZE;
	}
	return rtnl__unicast(r, &b);
}
