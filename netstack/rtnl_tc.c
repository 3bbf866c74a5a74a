/* SPDX-License-Identifier: MIT */
/*
 * rtnl_tc.c - traffic control as `tc` sees it: every device of the
 * sandbox has Linux's default for a virtual device, the `noqueue` root
 * qdisc (no queue, no classes, no filters), and nothing else.
 *
 * RTM_GETQDISC dumps one noqueue per device as tc_fill_qdisc() describes
 * it (handle 0, parent root, refcnt 2, its zero counters: noqueue counts
 * nothing on Linux either); class, filter and chain dumps are empty.
 * Adding or replacing a root noqueue changes nothing and succeeds, as on
 * Linux; any other qdisc is refused with EOPNOTSUPP and says so, since
 * packets are not queued or shaped here.  Deleting and the class and
 * filter requests fail as Linux's do on a device with noqueue only
 * (tc_get_qdisc(), tc_ctl_tclass(), __tcf_qdisc_find()): same errnos,
 * same words.  Nothing is notified, because nothing changes.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/gen_stats.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include "net.h"
#include "rtnl_priv.h"

#define NOQUEUE		"noqueue"
#define ROOT_REFCNT	2	/* what tcm_info says of a device's root qdisc */

/* tc_fill_qdisc() of a device's root noqueue */
static int fill_noqueue(struct rtnl_buf *b, uint32_t ifindex, uint16_t flags,
			uint32_t seq, uint32_t pid)
{
	struct gnet_stats_basic basic = { 0 };
	struct gnet_stats_queue queue = { 0 };
	struct tc_stats stats = { 0 };
	size_t mark = b->len;
	struct nlattr *st;
	struct nlmsghdr *h;
	struct tcmsg *tcm;

	h = rtnl__msg_put(b, RTM_NEWQDISC, flags, seq, pid, sizeof(*tcm));
	if (!h)
		return -EMSGSIZE;
	tcm = NLMSG_DATA(h);
	tcm->tcm_family = AF_UNSPEC;
	tcm->tcm_ifindex = (int)ifindex;
	tcm->tcm_handle = 0;
	tcm->tcm_parent = TC_H_ROOT;
	tcm->tcm_info = ROOT_REFCNT;
	if (rtnl__put_str(b, TCA_KIND, NOQUEUE) ||
	    rtnl__put_u8(b, TCA_HW_OFFLOAD, 0) ||
	    !(st = rtnl__nest_start(b, TCA_STATS2)) ||
	    rtnl__put(b, TCA_STATS_BASIC, &basic, sizeof(basic)) ||
	    rtnl__put(b, TCA_STATS_QUEUE, &queue, sizeof(queue))) {
		b->len = mark;
		return -EMSGSIZE;
	}
	rtnl__nest_end(b, st);
	if (rtnl__put(b, TCA_STATS, &stats, sizeof(stats))) {
		b->len = mark;
		return -EMSGSIZE;
	}
	rtnl__msg_end(b, h);
	return 0;
}

struct qdisc_walk {
	struct rtnl *r;
	struct rtnl_dump *d;
	struct rtnl_buf *b;
};

static int qdisc_one(void *arg, const struct net_link *l)
{
	struct qdisc_walk *w = arg;

	if (l->ifindex <= w->d->last_ifindex)
		return 0;
	if (fill_noqueue(w->b, l->ifindex, NLM_F_MULTI, w->d->seq, w->r->portid))
		return 1;
	w->d->last_ifindex = l->ifindex;
	return 0;
}

static int qdisc_fill(struct rtnl *r, struct rtnl_dump *d, struct rtnl_buf *b)
{
	struct qdisc_walk w = { r, d, b };
	int ret = net_link_walk(r->net, qdisc_one, &w);

	if (ret < 0)
		return ret;
	return ret ? 0 : 1;
}

static const struct rtnl_dump_ops qdisc_dump = { qdisc_fill };

/* The request's tcmsg and attributes, as nlmsg_parse_deprecated() with
 * rtm_tca_policy takes them (never strictly) */
static int parse_tc(const struct nlmsghdr *h, struct rtnl_attrs *tb,
		    struct rtnl_ext *ext)
{
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct tcmsg)))
		return rtnl__fail(ext, -EINVAL, "Invalid header for traffic control request");
	return rtnl__parse(h, sizeof(struct tcmsg), TCA_MAX, false, tb, ext);
}

/**
 * rtnl__dumpqdisc() - start an RTM_GETQDISC dump: each device's noqueue
 * @r:		the socket
 * @h:		the request
 * @ext:	extended ack
 *
 * Return: 0 (dump started), or the error NLMSG_DONE carries
 */
int rtnl__dumpqdisc(struct rtnl *r, const struct nlmsghdr *h,
		    struct rtnl_ext *ext)
{
	struct rtnl_attrs tb;
	int ret = parse_tc(h, &tb, ext);

	if (ret)
		return ret;
	return rtnl__dump_new(r, h, &qdisc_dump) ? 0 : -ENOMEM;
}

/**
 * rtnl__dumptcempty() - RTM_GETTCLASS, RTM_GETTFILTER and RTM_GETCHAIN
 *			 dumps: noqueue has no classes, filters or chains
 * @r:		the socket
 * @h:		the request
 * @ext:	extended ack
 *
 * Return: 0: NLMSG_DONE alone
 */
int rtnl__dumptcempty(struct rtnl *r, const struct nlmsghdr *h,
		      struct rtnl_ext *ext)
{
	(void)r;
	(void)h;
	(void)ext;
	return 0;
}

/* A change request's tcmsg and attributes (parse_tc()), and its device:
 * 0, or the parse's error, or -ENODEV as __dev_get_by_index() fails */
static int tc_request(struct rtnl *r, const struct nlmsghdr *h,
		      struct rtnl_attrs *tb, struct rtnl_ext *ext)
{
	const struct tcmsg *tcm = NLMSG_DATA(h);
	struct net_link l;
	int ret = parse_tc(h, tb, ext);

	if (ret)
		return ret;
	if (tcm->tcm_ifindex <= 0 ||
	    net_link_get(r->net, (uint32_t)tcm->tcm_ifindex, &l))
		return -ENODEV;
	return 0;
}

/**
 * rtnl__qdisc() - RTM_NEWQDISC and RTM_DELQDISC (tc_modify_qdisc(),
 *		   tc_get_qdisc())
 * @r:		the socket
 * @h:		the request
 * @ext:	extended ack
 *
 * Return: 0 for a root noqueue added or replaced (nothing changes), else
 * a negative errno
 */
int rtnl__qdisc(struct rtnl *r, const struct nlmsghdr *h,
		struct rtnl_ext *ext)
{
	const struct tcmsg *tcm = NLMSG_DATA(h);
	struct rtnl_attrs tb;
	const char *kind;
	char name[16];
	size_t len;
	int ret;

	ret = tc_request(r, h, &tb, ext);
	if (ret)
		return ret;
	if (h->nlmsg_type == RTM_DELQDISC) {
		if (!tcm->tcm_parent)
			return rtnl__fail(ext, -EINVAL, "Classid cannot be zero");
		if (tcm->tcm_parent == TC_H_ROOT)
			return rtnl__fail(ext, -ENOENT, "Cannot delete qdisc with handle of zero");
		if (TC_H_MAJ(tcm->tcm_parent) == TC_H_MAJ(TC_H_INGRESS))
			return rtnl__fail(ext, -ENOENT, "Cannot find specified qdisc on specified device");
		return rtnl__fail(ext, -ENOENT, "Failed to find qdisc with specified classid");
	}
	kind = "";
	if (tb.a[TCA_KIND]) {
		len = RTNL_ATTR_LEN(tb.a[TCA_KIND]);
		if (len > sizeof(name) - 1)
			len = sizeof(name) - 1;
		memcpy(name, RTNL_ATTR_DATA(tb.a[TCA_KIND]), len);
		name[len] = '\0';
		kind = name;
	}
	if (tcm->tcm_parent == TC_H_ROOT && !strcmp(kind, NOQUEUE))
		return 0;
	if (tb.a[TCA_KIND])
		ext->bad = tb.a[TCA_KIND];
	return rtnl__fail(ext, -EOPNOTSUPP,
			  "rrsandbox: qdisc %s is not supported: every device has noqueue",
			  kind[0] ? kind : "(no kind)");
}

/**
 * rtnl__tclass() - RTM_NEWTCLASS and RTM_DELTCLASS (tc_ctl_tclass()): no
 *		    qdisc of the sandbox has classes
 * @r:		the socket
 * @h:		the request
 * @ext:	extended ack
 *
 * Return: -ENODEV, -EINVAL (the root noqueue named: not classful) or
 * -ENOENT (no such qdisc)
 */
int rtnl__tclass(struct rtnl *r, const struct nlmsghdr *h,
		 struct rtnl_ext *ext)
{
	const struct tcmsg *tcm = NLMSG_DATA(h);
	struct rtnl_attrs tb;
	int ret = tc_request(r, h, &tb, ext);

	if (ret)
		return ret;
	if (!TC_H_MAJ(tcm->tcm_parent) && !TC_H_MAJ(tcm->tcm_handle))
		return -EINVAL;
	return -ENOENT;
}

/**
 * rtnl__tfilter() - RTM_NEWTFILTER and RTM_DELTFILTER (__tcf_qdisc_find()):
 *		     noqueue takes no filters
 * @r:		the socket
 * @h:		the request
 * @ext:	extended ack
 *
 * Return: -ENODEV or -EINVAL, with Linux's words
 */
int rtnl__tfilter(struct rtnl *r, const struct nlmsghdr *h,
		  struct rtnl_ext *ext)
{
	const struct tcmsg *tcm = NLMSG_DATA(h);
	struct rtnl_attrs tb;
	int ret = tc_request(r, h, &tb, ext);

	if (ret)
		return ret;
	if (tcm->tcm_parent)
		return rtnl__fail(ext, -EINVAL, "Parent Qdisc doesn't exists");
	return rtnl__fail(ext, -EINVAL, "Qdisc not classful");
}
