/* SPDX-License-Identifier: MIT */
/*
 * rtnl_neigh.c - RTM_GETNEIGH: the neighbour tables (`ip neigh`), dumped
 * and looked up one entry at a time, in the words of Linux's
 * neigh_fill_info() and the checks of neigh_valid_dump_req() and
 * neigh_valid_get_req() (net/core/neighbour.c).
 *
 * Read only: the entries are lwIP's ARP and IPv6 neighbour caches
 * (neigh.c); RTM_NEWNEIGH and RTM_DELNEIGH get EOPNOTSUPP and no
 * RTNLGRP_NEIGH notifications are sent.  There are no proxy entries, so
 * an NTF_PROXY dump is empty and an NTF_PROXY get finds nothing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "net.h"
#include "rtnl_priv.h"

#define NEIGH_GET_BUF	256	/* one RTM_NEWNEIGH */

static int fill_neigh(struct rtnl_buf *b, const struct net_neigh *nb,
		      uint16_t flags, uint32_t seq, uint32_t pid)
{
	size_t mark = b->len, alen = nb->family == AF_INET ? 4 : 16;
	struct nlmsghdr *h;
	struct ndmsg *ndm;

	h = rtnl__msg_put(b, RTM_NEWNEIGH, flags, seq, pid, sizeof(*ndm));
	if (!h)
		return -EMSGSIZE;
	ndm = NLMSG_DATA(h);
	ndm->ndm_family = nb->family;
	ndm->ndm_ifindex = (int)nb->ifindex;
	ndm->ndm_state = nb->state;
	ndm->ndm_flags = nb->router ? NTF_ROUTER : 0;
	ndm->ndm_type = RTN_UNICAST;
	if (rtnl__put(b, NDA_DST, nb->addr, alen) ||
	    (nb->has_lladdr && rtnl__put(b, NDA_LLADDR, nb->lladdr, 6))) {
		b->len = mark;
		return -EMSGSIZE;
	}
	rtnl__msg_end(b, h);
	return 0;
}

/* ---- dump ---- */

struct neigh_walk {
	struct rtnl *r;
	struct rtnl_dump *d;
	struct rtnl_buf *b;
	size_t seen;
	bool full;
};

static int neigh_one(void *arg, const struct net_neigh *nb)
{
	struct neigh_walk *w = arg;

	if (w->seen++ < w->d->skip)
		return 0;
	if (!w->d->ifindex || nb->ifindex == w->d->ifindex) {
		if (fill_neigh(w->b, nb, NLM_F_MULTI | w->d->answer_flags,
			       w->d->seq, w->r->portid)) {
			w->full = true;
			return 1;
		}
	}
	w->d->skip++;
	return 0;
}

static int neigh_fill(struct rtnl *r, struct rtnl_dump *d, struct rtnl_buf *b)
{
	struct neigh_walk w = { r, d, b, 0, false };

	while (d->phase < d->n_fam) {
		w.seen = 0;
		net_neigh_walk(r->net, d->families[d->phase], neigh_one, &w);
		if (w.full)
			return 0;	/* full: on from here next time */
		d->phase++;
		d->skip = 0;
	}
	return 1;
}

static const struct rtnl_dump_ops neigh_dump = { neigh_fill };

/*
 * neigh_valid_dump_req(): with strict checking every error is the
 * dump's; without, a request that does not parse is dumped unfiltered.
 */
static int dump_filter(struct rtnl *r, const struct nlmsghdr *h,
		       uint32_t *ifindex, uint32_t *master, bool *proxy,
		       struct rtnl_ext *ext)
{
	const struct ndmsg *ndm = NLMSG_DATA(h);
	bool strict = rtnl__strict(r);
	struct rtnl_attrs tb;
	unsigned int i;
	int ret;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*ndm)))
		return strict ? rtnl__fail(ext, -EINVAL, "Invalid header for neighbor dump request") : 0;
	*proxy = ndm->ndm_flags == NTF_PROXY;
	if (strict) {
		if (ndm->ndm_pad1 || ndm->ndm_pad2 || ndm->ndm_ifindex ||
		    ndm->ndm_state || ndm->ndm_type)
			return rtnl__fail(ext, -EINVAL, "Invalid values in header for neighbor dump request");
		if (ndm->ndm_flags & ~NTF_PROXY)
			return rtnl__fail(ext, -EINVAL, "Invalid flags in header for neighbor dump request");
	}
	ret = rtnl__parse(h, sizeof(*ndm), NDA_MAX, strict, &tb, ext);
	if (ret)
		return strict ? ret : 0;
	for (i = 0; i <= NDA_MAX && i <= RTNL_ATTR_MAX; i++) {
		if (!tb.a[i])
			continue;
		switch (i) {
		case NDA_IFINDEX:
			if ((ret = rtnl__attr_u32(tb.a[i], ifindex, ext)))
				return strict ? ret : 0;
			break;
		case NDA_MASTER:
			if ((ret = rtnl__attr_u32(tb.a[i], master, ext)))
				return strict ? ret : 0;
			break;
		default:
			if (strict) {
				ext->bad = tb.a[i];
				return rtnl__fail(ext, -EINVAL, "Unsupported attribute in neighbor dump request");
			}
		}
	}
	return 0;
}

/**
 * rtnl__dumpneigh() - start an RTM_GETNEIGH dump: IPv4 (ARP), then IPv6
 *		       (ND), or the family asked for
 * @r:		the socket
 * @h:		the request (rtgen_family or ndmsg)
 * @ext:	extended ack
 *
 * Return: 0 (dump started), or the error NLMSG_DONE carries (-EINVAL
 * under strict checking)
 */
int rtnl__dumpneigh(struct rtnl *r, const struct nlmsghdr *h,
		    struct rtnl_ext *ext)
{
	uint8_t family = *(const uint8_t *)NLMSG_DATA(h);
	uint32_t ifindex = 0, master = 0;
	struct rtnl_dump *d;
	bool proxy = false;
	int ret;

	ret = dump_filter(r, h, &ifindex, &master, &proxy, ext);
	if (ret)
		return ret;
	d = rtnl__dump_new(r, h, &neigh_dump);
	if (!d)
		return -ENOMEM;
	if (ifindex || master)
		d->answer_flags = NLM_F_DUMP_FILTERED;
	/* No proxy entries, no device has a master, and other families have
	 * no tables: nothing matches */
	if (proxy || master || (family != AF_UNSPEC && family != AF_INET &&
				family != AF_INET6))
		return 0;
	rtnl__dump_families(d, family);
	d->ifindex = ifindex;
	return 0;
}

/* ---- get ---- */

struct neigh_find {
	uint32_t ifindex;
	const uint8_t *addr;
	size_t alen;
	struct net_neigh found;
	bool hit;
};

static int neigh_match(void *arg, const struct net_neigh *nb)
{
	struct neigh_find *f = arg;

	if (nb->ifindex != f->ifindex || memcmp(nb->addr, f->addr, f->alen))
		return 0;
	f->found = *nb;
	f->hit = true;
	return 1;
}

/**
 * rtnl__getneigh() - RTM_GETNEIGH without NLM_F_DUMP: one entry, by
 *		      device and address (`ip neigh get ADDR dev DEV`)
 * @r:		the socket
 * @h:		the request (ndmsg, NDA_DST)
 * @ext:	extended ack
 *
 * Return: 0 (the entry was sent), or a negative errno for NLMSG_ERROR
 */
int rtnl__getneigh(struct rtnl *r, const struct nlmsghdr *h,
		   struct rtnl_ext *ext)
{
	const struct ndmsg *ndm = NLMSG_DATA(h);
	struct neigh_find f = { 0 };
	struct net_link l;
	struct rtnl_attrs tb;
	struct rtnl_buf b;
	unsigned int i;
	int ret;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*ndm)))
		return rtnl__fail(ext, -EINVAL, "Invalid header for neighbor get request");
	if (ndm->ndm_pad1 || ndm->ndm_pad2 || ndm->ndm_state || ndm->ndm_type)
		return rtnl__fail(ext, -EINVAL, "Invalid values in header for neighbor get request");
	if (ndm->ndm_flags & ~NTF_PROXY)
		return rtnl__fail(ext, -EINVAL, "Invalid flags in header for neighbor get request");
	if ((ret = rtnl__parse(h, sizeof(*ndm), NDA_MAX, true, &tb, ext)))
		return ret;
	if (ndm->ndm_family != AF_INET && ndm->ndm_family != AF_INET6)
		return rtnl__fail(ext, -EAFNOSUPPORT, "Unsupported family in header for neighbor get request");
	f.alen = ndm->ndm_family == AF_INET ? 4 : 16;
	for (i = 0; i <= NDA_MAX && i <= RTNL_ATTR_MAX; i++) {
		if (!tb.a[i])
			continue;
		ext->bad = tb.a[i];
		if (i != NDA_DST)
			return rtnl__fail(ext, -EINVAL, "Unsupported attribute in neighbor get request");
		if (tb.a[i]->nla_len != NLA_HDRLEN + f.alen)
			return rtnl__fail(ext, -EINVAL, "Invalid network address in neighbor get request");
		f.addr = (const uint8_t *)tb.a[i] + NLA_HDRLEN;
	}
	ext->bad = NULL;
	f.ifindex = (uint32_t)ndm->ndm_ifindex;
	if (ndm->ndm_ifindex && net_link_get(r->net, f.ifindex, &l))
		return rtnl__fail(ext, -ENODEV, "Unknown device ifindex");
	if (!f.addr)
		return rtnl__fail(ext, -EINVAL, "Network address not specified");
	if (ndm->ndm_flags & NTF_PROXY)
		return rtnl__fail(ext, -ENOENT, "Proxy neighbour entry not found");
	if (!ndm->ndm_ifindex)
		return rtnl__fail(ext, -EINVAL, "No device specified");
	net_neigh_walk(r->net, ndm->ndm_family, neigh_match, &f);
	if (!f.hit)
		return rtnl__fail(ext, -ENOENT, "Neighbour entry not found");
	if (rtnl__buf_init(&b, NEIGH_GET_BUF))
		return -ENOMEM;
	if (fill_neigh(&b, &f.found, 0, h->nlmsg_seq, r->portid)) {
		free(b.data);
		return -EMSGSIZE;
	}
	return rtnl__unicast(r, &b);
}
