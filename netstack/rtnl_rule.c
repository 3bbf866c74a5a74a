/* SPDX-License-Identifier: MIT */
/*
 * rtnl_rule.c - rtnetlink routing rules: RTM_NEWRULE, RTM_DELRULE,
 * RTM_GETRULE dumps, and the fib_rule_hdr that dumps and notifications
 * carry (`ip rule`, `ip -6 rule`).
 *
 * Called through rtnl.c's handler table; answers from net.h's rules
 * (router/'s struct rt_rule).  Follows net/core/fib_rules.c
 * (fib_nl2rule(), rule_find(), fib_nl_fill_rule(),
 * fib_valid_dumprule_req()) and fib4_rule_configure() / _compare() /
 * _fill() of net/ipv4/fib_rules.c, fib6_rule_*() of net/ipv6.  The uid range, IP protocol and port
 * range selectors are kept and matched against the packet's flow
 * (route.c fills it); those the sandbox cannot match on (tunnel id,
 * l3mdev, interface groups, DSCP, flow label and the port masks of Linux
 * 6.15) are refused with EOPNOTSUPP rather than stored and ignored.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/fib_rules.h>
#include <linux/if.h>

#include "rtnl_priv.h"

#define RULE_ATTR_MAX	30	/* FRA_DSCP_MASK, Linux 6.18's FRA_MAX */

static size_t alen(uint8_t family)
{
	return family == AF_INET6 ? 16 : 4;
}

/* The selectors refused, by attribute, with what they are */
static const struct {
	uint16_t type;
	const char *what;
} unsupported[] = {
	{ FRA_TUN_ID, "tunnel id" },
	{ FRA_SUPPRESS_IFGROUP, "suppress_ifgroup" },
	{ FRA_L3MDEV, "l3mdev" },
	{ 25 /* FRA_DSCP */, "dscp" },
	{ 26 /* FRA_FLOWLABEL */, "flowlabel" },
	{ 27 /* FRA_FLOWLABEL_MASK */, "flowlabel" },
	{ 28 /* FRA_SPORT_MASK */, "sport" },
	{ 29 /* FRA_DPORT_MASK */, "dport" },
	{ 30 /* FRA_DSCP_MASK */, "dscp" },
};

/* fib_nl2rule()'s FRA_SRC / FRA_DST for a prefix of @len bits: present,
 * the family's size, @len within it; copied to @out */
static int rule_prefix(const struct nlattr *a, uint8_t len, uint8_t family,
		       uint8_t *out, const char *bad, struct rtnl_ext *ext)
{
	if (!a || len > 8 * alen(family) || RTNL_ATTR_LEN(a) != alen(family))
		return rtnl__fail(ext, -EINVAL, "%s", bad);
	memcpy(out, RTNL_ATTR_DATA(a), alen(family));
	return 0;
}

/* The policy's minimum length (nla_policy .len, NLA_U8): a shorter
 * attribute fails validation */
static int attr_min(const struct nlattr *a, size_t len, struct rtnl_ext *ext)
{
	if (RTNL_ATTR_LEN(a) < len) {
		ext->bad = a;
		return rtnl__fail(ext, -ERANGE, "Attribute failed policy validation");
	}
	return 0;
}

/* nla_get_port_range(): FRA_SPORT_RANGE or FRA_DPORT_RANGE, struct
 * fib_rule_port_range in host order, 1 <= start <= end < 65535 */
static int rule_ports(const struct nlattr *a, uint16_t *out, unsigned int bit,
		      unsigned int *mask, const char *bad, struct rtnl_ext *ext)
{
	struct fib_rule_port_range pr;
	int ret;

	if (!a)
		return 0;
	ret = attr_min(a, sizeof(pr), ext);
	if (ret)
		return ret;
	memcpy(&pr, RTNL_ATTR_DATA(a), sizeof(pr));
	if (!pr.start || !pr.end || pr.end >= 0xffff || pr.start > pr.end)
		return rtnl__fail(ext, -EINVAL, "%s", bad);
	out[0] = pr.start;
	out[1] = pr.end;
	*mask |= bit;
	return 0;
}

/* fib_nl2rule()'s FRA_UID_RANGE, FRA_IP_PROTO, FRA_SPORT_RANGE and
 * FRA_DPORT_RANGE, in its order.  The sandbox's netlink is its own
 * namespace's: the user namespace check never fails, and uids are as
 * given (no user namespace maps them). */
static int rule_l4(struct rtnl_attrs *tb, struct rt_rule *rule,
		   unsigned int *mask, struct rtnl_ext *ext)
{
	struct fib_rule_uid_range ur;
	int ret;

	if (tb->a[FRA_UID_RANGE]) {
		ret = attr_min(tb->a[FRA_UID_RANGE], sizeof(ur), ext);
		if (ret)
			return ret;
		memcpy(&ur, RTNL_ATTR_DATA(tb->a[FRA_UID_RANGE]), sizeof(ur));
		/* uid_range_set(): neither end is INVALID_UID */
		if (ur.start == UINT32_MAX || ur.end == UINT32_MAX || ur.start > ur.end)
			return rtnl__fail(ext, -EINVAL, "Invalid uid range");
		rule->uid_set = true;
		rule->uid[0] = ur.start;
		rule->uid[1] = ur.end;
		*mask |= RT_RULE_UID;
	}
	if (tb->a[FRA_IP_PROTO]) {
		ret = attr_min(tb->a[FRA_IP_PROTO], 1, ext);
		if (ret)
			return ret;
		rule->ip_proto = *RTNL_ATTR_DATA(tb->a[FRA_IP_PROTO]);
		if (rule->ip_proto)
			*mask |= RT_RULE_IPPROTO;
	}
	ret = rule_ports(tb->a[FRA_SPORT_RANGE], rule->sport, RT_RULE_SPORT, mask,
			 "Invalid sport range", ext);
	if (ret)
		return ret;
	return rule_ports(tb->a[FRA_DPORT_RANGE], rule->dport, RT_RULE_DPORT, mask,
			  "Invalid dport range", ext);
}

/*
 * fib_nl2rule() with the family's configure(): the request into @rule,
 * the fields it gave into *@mask (RT_RULE_*, what rule_find() compares
 * on delete), whether it gave a priority into *@has_priority.
 */
static int parse_rule(const struct nlmsghdr *h, bool strict, struct rt_rule *rule,
		      unsigned int *mask, bool *has_priority, struct rtnl_ext *ext)
{
	const struct fib_rule_hdr *frh = NLMSG_DATA(h);
	struct rtnl_attrs tb;
	unsigned int k;
	uint32_t v;
	int ret;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*frh)))
		return rtnl__fail(ext, -EINVAL, "Invalid msg length");
	if (frh->family != AF_INET && frh->family != AF_INET6)
		return rtnl__fail(ext, -EAFNOSUPPORT, "Rule family not supported");
	ret = rtnl__parse(h, sizeof(*frh), RULE_ATTR_MAX, strict, &tb, ext);
	if (ret)
		return ret;
	for (k = 0; k < sizeof(unsupported) / sizeof(unsupported[0]); k++) {
		if (tb.a[unsupported[k].type]) {
			ext->bad = tb.a[unsupported[k].type];
			return rtnl__fail(ext, -EOPNOTSUPP,
					  "rrsandbox: %s rules are not supported",
					  unsupported[k].what);
		}
	}
	memset(rule, 0, sizeof(*rule));
	*mask = 0;
	rule->family = frh->family;
	if (frh->src_len) {
		ret = rule_prefix(tb.a[FRA_SRC], frh->src_len, frh->family,
				  rule->src, "Invalid source address", ext);
		if (ret)
			return ret;
		rule->src_len = frh->src_len;
		*mask |= RT_RULE_SRC;
	}
	if (frh->dst_len) {
		ret = rule_prefix(tb.a[FRA_DST], frh->dst_len, frh->family,
				  rule->dst, "Invalid dst address", ext);
		if (ret)
			return ret;
		rule->dst_len = frh->dst_len;
		*mask |= RT_RULE_DST;
	}
	*has_priority = tb.a[FRA_PRIORITY] != NULL;
	if (*has_priority) {
		ret = rtnl__attr_u32(tb.a[FRA_PRIORITY], &rule->priority, ext);
		if (ret)
			return ret;
		*mask |= RT_RULE_PRIORITY;
	}
	if (tb.a[FRA_PROTOCOL]) {
		if (RTNL_ATTR_LEN(tb.a[FRA_PROTOCOL]) < 1)
			return rtnl__fail(ext, -ERANGE, "Attribute failed policy validation");
		rule->protocol = *RTNL_ATTR_DATA(tb.a[FRA_PROTOCOL]);
		if (rule->protocol)
			*mask |= RT_RULE_PROTOCOL;
	}
	if (tb.a[FRA_IIFNAME]) {
		ret = rtnl__attr_name(tb.a[FRA_IIFNAME], rule->iifname, ext);
		if (ret)
			return ret;
		if (rule->iifname[0])
			*mask |= RT_RULE_IIF;
	}
	if (tb.a[FRA_OIFNAME]) {
		ret = rtnl__attr_name(tb.a[FRA_OIFNAME], rule->oifname, ext);
		if (ret)
			return ret;
		if (rule->oifname[0])
			*mask |= RT_RULE_OIF;
	}
	if (tb.a[FRA_FWMARK]) {
		ret = rtnl__attr_u32(tb.a[FRA_FWMARK], &rule->mark, ext);
		if (ret)
			return ret;
		if (rule->mark) {
			rule->mark_mask = 0xffffffff;
			*mask |= RT_RULE_MARK;
		}
	}
	if (tb.a[FRA_FWMASK]) {
		ret = rtnl__attr_u32(tb.a[FRA_FWMASK], &rule->mark_mask, ext);
		if (ret)
			return ret;
	}
	if (rule->mark_mask)
		*mask |= RT_RULE_MASK;
	rule->action = frh->action;
	if (rule->action > FR_ACT_PROHIBIT)
		return rtnl__fail(ext, -EINVAL, "Invalid action");
	if (rule->action == 4 || rule->action == 5)	/* FR_ACT_RES3, _RES4 */
		return rtnl__fail(ext, -EOPNOTSUPP, "rrsandbox: reserved rule actions are not supported");
	if (rule->action)
		*mask |= RT_RULE_ACTION;
	rule->flags = frh->flags & FIB_RULE_INVERT;
	rule->table = frh->table;
	if (tb.a[FRA_TABLE]) {
		ret = rtnl__attr_u32(tb.a[FRA_TABLE], &rule->table, ext);
		if (ret)
			return ret;
	}
	if (rule->table)
		*mask |= RT_RULE_TABLE;
	rule->suppress_prefixlen = -1;
	if (tb.a[FRA_SUPPRESS_PREFIXLEN]) {
		ret = rtnl__attr_u32(tb.a[FRA_SUPPRESS_PREFIXLEN], &v, ext);
		if (ret)
			return ret;
		rule->suppress_prefixlen = (int32_t)v;
		if (rule->suppress_prefixlen != -1)
			*mask |= RT_RULE_SUPPRESS;
	}
	if (tb.a[FRA_GOTO]) {
		if (rule->action != FR_ACT_GOTO)
			return rtnl__fail(ext, -EINVAL, "Unexpected goto");
		ret = rtnl__attr_u32(tb.a[FRA_GOTO], &rule->target, ext);
		if (ret)
			return ret;
	} else if (rule->action == FR_ACT_GOTO) {
		return rtnl__fail(ext, -EINVAL, "Missing goto target for action goto");
	}
	ret = rule_l4(&tb, rule, mask, ext);
	if (ret)
		return ret;
	rule->tos = frh->tos;
	if (frh->tos)
		*mask |= RT_RULE_TOS;
	if (tb.a[FRA_FLOW] && frh->family == AF_INET) {	/* IPv6 ignores it */
		ret = rtnl__attr_u32(tb.a[FRA_FLOW], &rule->realm, ext);
		if (ret)
			return ret;
		*mask |= RT_RULE_REALM;
	}
	return 0;
}

/* RTM_NEWRULE or RTM_DELRULE: the request, then net_rule_add() or
 * net_rule_del(); an existing rule (add) or none (del) is told without a
 * message, as Linux's */
static int rule_change(struct rtnl *r, const struct nlmsghdr *h,
		       struct rtnl_ext *ext, bool add)
{
	bool has_priority = false;
	unsigned int mask = 0;
	struct rt_rule rule;
	int ret;

	ret = parse_rule(h, rtnl__strict(r), &rule, &mask, &has_priority, ext);
	if (ret)
		return ret;
	/* fib4_rule_configure() and fib6_rule_configure(), which only an
	 * add calls: a delete of such a TOS finds no rule (ENOENT) */
	if (add && (rule.tos & 0x03))
		return rtnl__fail(ext, -EINVAL, "Invalid dsfield (tos): ECN bits must be 0");
	if (add && rule.family == AF_INET && (rule.tos & ~0x1e))
		return rtnl__fail(ext, -EINVAL, "Invalid tos");
	if (add)
		ret = net_rule_add(r->net, &rule, has_priority,
				   (h->nlmsg_flags & NLM_F_EXCL) != 0, ext->msg,
				   sizeof(ext->msg));
	else
		ret = net_rule_del(r->net, &rule, mask, ext->msg, sizeof(ext->msg));
	if (ret == -EEXIST || ret == -ENOENT)
		ext->msg[0] = '\0';
	return ret;
}

/**
 * rtnl__newrule() - RTM_NEWRULE (`ip rule add`)
 * @r:		the socket
 * @h:		the request; NLM_F_EXCL refuses an equal rule
 * @ext:	extended ack
 *
 * Return: 0, or a negative errno (the request's or net_rule_add()'s)
 */
int rtnl__newrule(struct rtnl *r, const struct nlmsghdr *h, struct rtnl_ext *ext)
{
	return rule_change(r, h, ext, true);
}

/**
 * rtnl__delrule() - RTM_DELRULE (`ip rule del`): the first rule equal in
 *		     what the request gave
 * @r:		the socket
 * @h:		the request
 * @ext:	extended ack
 *
 * Return: 0, -ENOENT when none fits, or the request's error
 */
int rtnl__delrule(struct rtnl *r, const struct nlmsghdr *h, struct rtnl_ext *ext)
{
	return rule_change(r, h, ext, false);
}

/* fib_nl_fill_rule()'s uid range, port ranges and IP protocol, in its
 * order (after FRA_GOTO); nonzero when the datagram is full */
static int put_l4(struct rtnl_buf *b, const struct rt_rule *rule)
{
	struct fib_rule_uid_range ur = { rule->uid[0], rule->uid[1] };
	struct fib_rule_port_range sp = { rule->sport[0], rule->sport[1] };
	struct fib_rule_port_range dp = { rule->dport[0], rule->dport[1] };

	return (rule->uid_set && rtnl__put(b, FRA_UID_RANGE, &ur, sizeof(ur))) ||
	       (sp.start && rtnl__put(b, FRA_SPORT_RANGE, &sp, sizeof(sp))) ||
	       (dp.start && rtnl__put(b, FRA_DPORT_RANGE, &dp, sizeof(dp))) ||
	       (rule->ip_proto && rtnl__put_u8(b, FRA_IP_PROTO, rule->ip_proto));
}

/**
 * rtnl__fill_rule() - a rule as fib_nl_fill_rule() words it
 * @b:		the datagram
 * @rule:	the rule
 * @flags:	its FIB_RULE_* flags (detached, unresolved included)
 * @type:	RTM_NEWRULE or RTM_DELRULE
 * @nlflags:	nlmsg_flags
 * @seq:	nlmsg_seq
 * @pid:	nlmsg_pid
 *
 * Return: 0, or -EMSGSIZE (nothing added)
 */
int rtnl__fill_rule(struct rtnl_buf *b, const struct rt_rule *rule, uint32_t flags,
		    uint16_t type, uint16_t nlflags, uint32_t seq, uint32_t pid)
{
	size_t mark = b->len, n = alen(rule->family);
	struct fib_rule_hdr *frh;
	struct nlmsghdr *h;

	h = rtnl__msg_put(b, type, nlflags, seq, pid, sizeof(*frh));
	if (!h)
		return -EMSGSIZE;
	frh = NLMSG_DATA(h);
	frh->family = rule->family;
	frh->table = rule->table < 256 ? rule->table : RT_TABLE_COMPAT;
	frh->action = rule->action;
	frh->flags = flags;
	frh->dst_len = rule->dst_len;
	frh->src_len = rule->src_len;
	frh->tos = rule->tos;
	if (rtnl__put_u32(b, FRA_TABLE, rule->table) ||
	    rtnl__put_u32(b, FRA_SUPPRESS_PREFIXLEN, (uint32_t)rule->suppress_prefixlen) ||
	    rtnl__put_u8(b, FRA_PROTOCOL, rule->protocol) ||
	    (rule->iifname[0] && rtnl__put_str(b, FRA_IIFNAME, rule->iifname)) ||
	    (rule->oifname[0] && rtnl__put_str(b, FRA_OIFNAME, rule->oifname)) ||
	    (rule->priority && rtnl__put_u32(b, FRA_PRIORITY, rule->priority)) ||
	    (rule->mark && rtnl__put_u32(b, FRA_FWMARK, rule->mark)) ||
	    ((rule->mark || rule->mark_mask) &&
	     rtnl__put_u32(b, FRA_FWMASK, rule->mark_mask)) ||
	    (rule->target && rtnl__put_u32(b, FRA_GOTO, rule->target)) ||
	    put_l4(b, rule) ||
	    (rule->dst_len && rtnl__put(b, FRA_DST, rule->dst, n)) ||
	    (rule->src_len && rtnl__put(b, FRA_SRC, rule->src, n)) ||
	    (rule->realm && rtnl__put_u32(b, FRA_FLOW, rule->realm))) {
		b->len = mark;
		return -EMSGSIZE;
	}
	rtnl__msg_end(b, h);
	return 0;
}

/* ---- dump ---- */

struct rule_walk {
	struct rtnl *r;
	struct rtnl_dump *d;
	struct rtnl_buf *b;
};

static int rule_one(void *arg, const struct rt_rule *rule, uint32_t flags)
{
	struct rule_walk *w = arg;

	if (rtnl__fill_rule(w->b, rule, flags, RTM_NEWRULE, NLM_F_MULTI,
			    w->d->seq, w->r->portid))
		return 1;	/* full: on from here next time */
	w->d->skip++;
	return 0;
}

static int rule_fill(struct rtnl *r, struct rtnl_dump *d, struct rtnl_buf *b)
{
	struct rule_walk w = { r, d, b };

	for (; d->phase < d->n_fam; d->phase++, d->skip = 0)
		if (net_rule_walk(r->net, d->families[d->phase], d->skip,
				  rule_one, &w))
			return 0;
	return 1;
}

static const struct rtnl_dump_ops rule_dump = { rule_fill };

/* fib_valid_dumprule_req() */
static int dumprule_strict(const struct nlmsghdr *h, struct rtnl_ext *ext)
{
	const struct fib_rule_hdr *frh = NLMSG_DATA(h);

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*frh)))
		return rtnl__fail(ext, -EINVAL, "Invalid header for fib rule dump request");
	if (frh->dst_len || frh->src_len || frh->tos || frh->table ||
	    frh->res1 || frh->res2 || frh->action || frh->flags)
		return rtnl__fail(ext, -EINVAL, "Invalid values in header for fib rule dump request");
	if (h->nlmsg_len > NLMSG_LENGTH(sizeof(*frh)))
		return rtnl__fail(ext, -EINVAL, "Invalid data after header in fib rule dump request");
	return 0;
}

/**
 * rtnl__dumprule() - start an RTM_GETRULE dump: the rules of the family
 *		      asked for (AF_UNSPEC: IPv4, then IPv6)
 * @r:		the socket
 * @h:		the request (rtgen_family or fib_rule_hdr)
 * @ext:	extended ack
 *
 * Return: 0 (dump started), or the error NLMSG_DONE carries: -EINVAL
 * (strict checking), -EAFNOSUPPORT for another family
 */
int rtnl__dumprule(struct rtnl *r, const struct nlmsghdr *h,
		   struct rtnl_ext *ext)
{
	uint8_t family = *(const uint8_t *)NLMSG_DATA(h);
	struct rtnl_dump *d;
	int ret;

	if (rtnl__strict(r) && (ret = dumprule_strict(h, ext)))
		return ret;
	if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6)
		return -EAFNOSUPPORT;
	d = rtnl__dump_new(r, h, &rule_dump);
	if (!d)
		return -ENOMEM;
	rtnl__dump_families(d, family);
	return 0;
}
