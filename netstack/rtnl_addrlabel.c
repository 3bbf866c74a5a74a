/* SPDX-License-Identifier: MIT */
/*
 * rtnl_addrlabel.c - RTM_NEWADDRLABEL, RTM_DELADDRLABEL and
 * RTM_GETADDRLABEL (`ip addrlabel`): the IPv6 address label table
 * (addrlabel.c) as net/ipv6/addrlabel.c answers for it, with its checks
 * and its words.  Changes are not notified (Linux sends none either).
 * Only AF_INET6 has the table: rtnl.c refuses another family with
 * -EOPNOTSUPP, as rtnetlink_rcv_msg() finds no handler for it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if_addrlabel.h>
#include <linux/rtnetlink.h>

#include "addrlabel.h"
#include "net.h"
#include "rtnl_priv.h"

/* ifal_policy: IFAL_ADDRESS at least an in6_addr, IFAL_LABEL a u32 */
static const struct rtnl_policy ifal_policy[IFAL_MAX + 1] = {
	[IFAL_ADDRESS] = { .min = 16 }, [IFAL_LABEL] = { .min = 4 },
};

/* ip6addrlbl_fill() */
static int fill(struct rtnl_buf *b, const struct addrlbl *p, uint32_t seq_tbl,
		uint16_t type, uint16_t flags, uint32_t seq, uint32_t pid)
{
	size_t mark = b->len;
	struct ifaddrlblmsg *ifal;
	struct nlmsghdr *h;

	h = rtnl__msg_put(b, type, flags, seq, pid, sizeof(*ifal));
	if (!h)
		return -EMSGSIZE;
	ifal = NLMSG_DATA(h);
	ifal->ifal_family = AF_INET6;
	ifal->ifal_prefixlen = p->plen;
	ifal->ifal_index = p->ifindex;
	ifal->ifal_seq = seq_tbl;
	if (rtnl__put(b, IFAL_ADDRESS, p->prefix, 16) ||
	    rtnl__put_u32(b, IFAL_LABEL, p->label)) {
		b->len = mark;
		return -EMSGSIZE;
	}
	rtnl__msg_end(b, h);
	return 0;
}

static bool dev_exists(struct rtnl *r, uint32_t ifindex)
{
	struct net_link l;

	return !net_link_get(r->net, ifindex, &l);
}

/**
 * rtnl__addrlabel() - RTM_NEWADDRLABEL and RTM_DELADDRLABEL
 * (ip6addrlbl_newdel()): IFAL_ADDRESS and IFAL_LABEL are needed for both
 * (the label a delete names is not compared); a device must exist; a
 * new entry equal in prefix and device to one there is -EEXIST unless
 * NLM_F_REPLACE; a delete that finds none is -ESRCH
 * @r:		the socket
 * @h:		the request
 * @ext:	extended ack
 *
 * Return: 0, or the error
 */
int rtnl__addrlabel(struct rtnl *r, const struct nlmsghdr *h, struct rtnl_ext *ext)
{
	const struct ifaddrlblmsg *ifal = NLMSG_DATA(h);
	struct addrlbl_table *t = net_addrlabels(r->net);
	struct rtnl_attrs tb;
	uint8_t pfx[16];
	uint32_t label;
	int ret;

	ret = rtnl__parse(h, sizeof(*ifal), IFAL_MAX, false, &tb, ext);
	if (!ret)	/* every attribute, before the header is looked at */
		ret = rtnl__policy(h, sizeof(*ifal), ifal_policy, IFAL_MAX, ext);
	if (ret)
		return ret;
	if (ifal->ifal_prefixlen > 128 ||
	    !tb.a[IFAL_ADDRESS] || !tb.a[IFAL_LABEL])
		return -EINVAL;
	ret = rtnl__attr_addr(tb.a[IFAL_ADDRESS], AF_INET6, pfx, ext);
	if (!ret)
		ret = rtnl__attr_u32(tb.a[IFAL_LABEL], &label, ext);
	if (ret)
		return ret;
	if (label == ADDRLBL_NONE)
		return -EINVAL;
	if (h->nlmsg_type == RTM_DELADDRLABEL)
		return addrlbl_del(t, pfx, ifal->ifal_prefixlen, ifal->ifal_index);
	if (ifal->ifal_index && !dev_exists(r, ifal->ifal_index))
		return -EINVAL;
	return addrlbl_add(t, pfx, ifal->ifal_prefixlen, ifal->ifal_index, label,
			   h->nlmsg_flags & NLM_F_REPLACE);
}

/* ip6addrlbl_valid_get_req()'s attributes, after the header's values */
static int get_strict(const struct rtnl_attrs *tb, struct rtnl_ext *ext)
{
	unsigned int i;

	for (i = 0; i <= IFAL_MAX; i++) {
		if (!tb->a[i] || i == IFAL_ADDRESS)
			continue;
		ext->bad = tb->a[i];
		return rtnl__fail(ext, -EINVAL, "Unsupported attribute in addrlabel get request");
	}
	return 0;
}

/**
 * rtnl__getaddrlabel() - RTM_GETADDRLABEL without NLM_F_DUMP
 * (ip6addrlbl_get()): the entry that labels IFAL_ADDRESS on device
 * ifal_index, as source selection would find it
 * @r:		the socket
 * @h:		the request: ifal_prefixlen 128, IFAL_ADDRESS
 * @ext:	extended ack
 *
 * Return: 0 (answer queued), -EINVAL, or -ESRCH when no entry labels it
 */
int rtnl__getaddrlabel(struct rtnl *r, const struct nlmsghdr *h,
		       struct rtnl_ext *ext)
{
	const struct ifaddrlblmsg *ifal = NLMSG_DATA(h);
	struct addrlbl_table *t = net_addrlabels(r->net);
	struct rtnl_buf b = { 0 };
	const struct addrlbl *p;
	struct rtnl_attrs tb;
	uint8_t addr[16];
	int ret;

	if (rtnl__strict(r) && h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifal)))
		return rtnl__fail(ext, -EINVAL, "Invalid header for addrlabel get request");
	if (rtnl__strict(r) &&
	    (ifal->__ifal_reserved || ifal->ifal_flags || ifal->ifal_seq))
		return rtnl__fail(ext, -EINVAL, "Invalid values in header for addrlabel get request");
	ret = rtnl__parse(h, sizeof(*ifal), IFAL_MAX, rtnl__strict(r), &tb, ext);
	if (!ret)
		ret = rtnl__policy(h, sizeof(*ifal), ifal_policy, IFAL_MAX, ext);
	if (!ret && rtnl__strict(r))
		ret = get_strict(&tb, ext);
	if (ret)
		return ret;
	if (ifal->ifal_prefixlen != 128 ||
	    (ifal->ifal_index && !dev_exists(r, ifal->ifal_index)) ||
	    !tb.a[IFAL_ADDRESS])
		return -EINVAL;
	ret = rtnl__attr_addr(tb.a[IFAL_ADDRESS], AF_INET6, addr, ext);
	if (ret)
		return ret;
	p = addrlbl_find(t, addr, ifal->ifal_index);
	if (!p)
		return -ESRCH;
	ret = rtnl__buf_init(&b, RTNL_NOTIFY_BUF);
	if (!ret)
		ret = fill(&b, p, t->seq, RTM_NEWADDRLABEL, 0, h->nlmsg_seq, r->portid);
	if (!ret)
		ret = rtnl__unicast(r, &b);
	free(b.data);
	return ret;
}

/* ---- dump ---- */

static int label_fill(struct rtnl *r, struct rtnl_dump *d, struct rtnl_buf *b)
{
	struct addrlbl_table *t = net_addrlabels(r->net);

	for (; d->skip < t->n; d->skip++)
		if (fill(b, &t->v[d->skip], t->seq, RTM_NEWADDRLABEL, NLM_F_MULTI,
			 d->seq, r->portid))
			return 0;	/* full: on from here next time */
	return 1;
}

static const struct rtnl_dump_ops label_dump = { label_fill };

/* ip6addrlbl_valid_dump_req() */
static int dump_strict(const struct nlmsghdr *h, struct rtnl_ext *ext)
{
	const struct ifaddrlblmsg *ifal = NLMSG_DATA(h);

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifal)))
		return rtnl__fail(ext, -EINVAL, "Invalid header for address label dump request");
	if (ifal->__ifal_reserved || ifal->ifal_prefixlen || ifal->ifal_flags ||
	    ifal->ifal_index || ifal->ifal_seq)
		return rtnl__fail(ext, -EINVAL, "Invalid values in header for address label dump request");
	if (h->nlmsg_len > NLMSG_LENGTH(sizeof(*ifal)))
		return rtnl__fail(ext, -EINVAL, "Invalid data after header for address label dump request");
	return 0;
}

/**
 * rtnl__dumpaddrlabel() - start an RTM_GETADDRLABEL dump: every entry, in
 * lookup order (ip6addrlbl_dump(); only IPv6 has the table)
 * @r:		the socket
 * @h:		the request (rtgen_family or ifaddrlblmsg)
 * @ext:	extended ack
 *
 * Return: 0 (dump started), or the error NLMSG_DONE carries
 */
int rtnl__dumpaddrlabel(struct rtnl *r, const struct nlmsghdr *h,
			struct rtnl_ext *ext)
{
	struct rtnl_dump *d;
	int ret;

	if (rtnl__strict(r) && (ret = dump_strict(h, ext)))
		return ret;
	d = rtnl__dump_new(r, h, &label_dump);
	if (!d)
		return -ENOMEM;
	return 0;
}
