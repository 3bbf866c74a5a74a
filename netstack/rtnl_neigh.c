/* SPDX-License-Identifier: MIT */
/*
 * rtnl_neigh.c - the neighbour tables (`ip neigh`): RTM_GETNEIGH dumped
 * and looked up one entry at a time, RTM_NEWNEIGH and RTM_DELNEIGH
 * (`ip neigh add|replace|change|del|flush`), in the words of Linux's
 * neigh_fill_info() and the checks of neigh_valid_dump_req(),
 * neigh_valid_get_req(), neigh_add() and neigh_delete()
 * (net/core/neighbour.c).  RTNLGRP_NEIGH notifications are filled here
 * (rtnl__fill_neigh()) for rtnl.c.
 *
 * The entries are lwIP's ARP and IPv6 neighbour caches, read and changed
 * through net.h (neigh.c decides what a change does).  There are no
 * proxy entries: an NTF_PROXY dump is empty, an NTF_PROXY get or delete
 * finds nothing, an NTF_PROXY add is refused (EOPNOTSUPP).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "net.h"
#include "rtnl_priv.h"

#define NEIGH_GET_BUF	256	/* one RTM_NEWNEIGH */

/**
 * rtnl__fill_neigh() - a neighbour entry as neigh_fill_info() words it
 * @b:		the datagram
 * @nb:		the entry
 * @type:	RTM_NEWNEIGH or RTM_DELNEIGH
 * @flags:	nlmsg_flags
 * @seq:	nlmsg_seq
 * @pid:	nlmsg_pid
 *
 * Return: 0, or -EMSGSIZE (nothing added)
 */
int rtnl__fill_neigh(struct rtnl_buf *b, const struct net_neigh *nb,
		     uint16_t type, uint16_t flags, uint32_t seq, uint32_t pid)
{
	size_t mark = b->len, alen = nb->family == AF_INET ? 4 : 16;
	struct nlmsghdr *h;
	struct ndmsg *ndm;

	h = rtnl__msg_put(b, type, flags, seq, pid, sizeof(*ndm));
	if (!h)
		return -EMSGSIZE;
	ndm = NLMSG_DATA(h);
	ndm->ndm_family = nb->family;
	ndm->ndm_ifindex = (int)nb->ifindex;
	ndm->ndm_state = nb->state;
	ndm->ndm_flags = nb->router ? NTF_ROUTER : 0;
	ndm->ndm_type = RTN_UNICAST;
	if (rtnl__put(b, NDA_DST, nb->addr, alen) ||
	    (nb->has_lladdr && rtnl__put(b, NDA_LLADDR, nb->lladdr, 6)) ||
	    (nb->protocol && rtnl__put_u8(b, NDA_PROTOCOL, nb->protocol))) {
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
		if (rtnl__fill_neigh(w->b, nb, RTM_NEWNEIGH,
				     NLM_F_MULTI | w->d->answer_flags,
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

/* nda_policy's lengths (the types before NDA_NH_ID, whose stricter
 * checks are not Linux's for IPv4 and IPv6 neighbours alone) */
static const struct rtnl_policy nda_policy[NDA_NH_ID] = {
	[NDA_DST] = { .max = 32 }, [NDA_LLADDR] = { .max = 32 },	/* MAX_ADDR_LEN */
	[NDA_CACHEINFO] = { .min = sizeof(struct nda_cacheinfo) },
	[NDA_PROBES] = { .min = 4 }, [NDA_VLAN] = { .min = 2 },
	[NDA_PORT] = { .min = 2 }, [NDA_VNI] = { .min = 4 },
	[NDA_IFINDEX] = { .min = 4 }, [NDA_MASTER] = { .min = 4 },
	[NDA_PROTOCOL] = { .min = 1 },
};

static int nda_check(const struct nlmsghdr *h, struct rtnl_ext *ext)
{
	return rtnl__policy(h, sizeof(struct ndmsg), nda_policy, NDA_NH_ID - 1,
			    ext);
}

/* An add's or delete's ndmsg and attributes, their lengths checked
 * against nda_policy first (nlmsg_parse()): 0 or the request's error */
static int parse_req(const struct nlmsghdr *h, struct rtnl_attrs *tb,
		     struct rtnl_ext *ext)
{
	int ret;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct ndmsg)))
		return -EINVAL;
	if ((ret = rtnl__parse(h, sizeof(struct ndmsg), NDA_MAX, false, tb, ext)))
		return ret;
	return nda_check(h, ext);
}

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
	if (!ret)
		ret = nda_check(h, ext);
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

/* ---- AF_BRIDGE: the devices' own addresses (`bridge fdb show`) ---- */

#define FDB_DEVS_MAX	1024
#define FDB_MADDRS_MAX	256

struct fdb_ids {
	uint32_t id[FDB_DEVS_MAX];
	size_t n;
};

static int fdb_collect(void *arg, const struct net_link *l)
{
	struct fdb_ids *ids = arg;

	if (ids->n < FDB_DEVS_MAX)
		ids->id[ids->n++] = l->ifindex;
	return 0;
}

static int cmp_id(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* nlmsg_populate_fdb_fill(): one address of the device's mc list */
static int fdb_put(struct rtnl *r, struct rtnl_dump *d, struct rtnl_buf *b,
		   uint32_t ifindex, const uint8_t mac[6])
{
	size_t mark = b->len;
	struct nlmsghdr *h;
	struct ndmsg *ndm;

	h = rtnl__msg_put(b, RTM_NEWNEIGH, NLM_F_MULTI | d->answer_flags, d->seq,
			  r->portid, sizeof(*ndm));
	if (!h)
		return -EMSGSIZE;
	ndm = NLMSG_DATA(h);
	ndm->ndm_family = AF_BRIDGE;
	ndm->ndm_flags = NTF_SELF;
	ndm->ndm_type = 0;
	ndm->ndm_ifindex = (int)ifindex;
	ndm->ndm_state = NUD_PERMANENT;
	if (rtnl__put(b, NDA_LLADDR, mac, 6)) {
		b->len = mark;
		return -EMSGSIZE;
	}
	rtnl__msg_end(b, h);
	return 0;
}

/*
 * rtnl_fdb_dump() over devices that are no bridge ports: each device's
 * ndo_dflt_fdb_dump(), its secondary unicast addresses (none here) and
 * its multicast list, by ifindex.  Cursor: d->last_ifindex the device to
 * go on with, d->skip the addresses of it already sent.
 */
static int fdb_fill(struct rtnl *r, struct rtnl_dump *d, struct rtnl_buf *b)
{
	static struct fdb_ids ids;
	static uint8_t mac[FDB_MADDRS_MAX][6];
	size_t i;

	ids.n = 0;
	net_link_walk(r->net, fdb_collect, &ids);
	qsort(ids.id, ids.n, sizeof(ids.id[0]), cmp_id);
	for (i = 0; i < ids.n; i++) {
		uint32_t id = ids.id[i];
		int k;

		if (id < d->last_ifindex)
			continue;
		if (id > d->last_ifindex) {
			d->last_ifindex = id;
			d->skip = 0;
		}
		if (!d->ifindex || d->ifindex == id) {
			k = net_link_maddrs(r->net, id, mac, FDB_MADDRS_MAX);
			if (k > FDB_MADDRS_MAX)
				k = FDB_MADDRS_MAX;
			for (; d->skip < (size_t)k; d->skip++)
				if (fdb_put(r, d, b, id, mac[d->skip]))
					return 0;	/* full: on from here */
		}
		d->last_ifindex = id + 1;
		d->skip = 0;
	}
	return 1;
}

static const struct rtnl_dump_ops fdb_dump = { fdb_fill };

/*
 * valid_fdb_dump_strict() and valid_fdb_dump_legacy(): the port
 * (NDA_IFINDEX, or the legacy ifinfomsg's index) and bridge (NDA_MASTER,
 * IFLA_MASTER) asked for
 */
static int fdb_filter(struct rtnl *r, const struct nlmsghdr *h,
		      uint32_t *port, uint32_t *br, struct rtnl_ext *ext)
{
	const struct ndmsg *ndm = NLMSG_DATA(h);
	size_t len = h->nlmsg_len - NLMSG_HDRLEN;
	struct rtnl_attrs tb;
	unsigned int i;
	int ret;

	if (!rtnl__strict(r)) {
		const struct ifinfomsg *ifm = NLMSG_DATA(h);

		if (len < sizeof(*ndm))
			return rtnl__fail(ext, -EINVAL, "Invalid header length");
		/* an ndmsg, alone or with one u32, is older iproute2's */
		if (len == sizeof(*ndm) || len == sizeof(*ndm) + NLA_HDRLEN + 4 ||
		    h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifm)))
			return 0;
		if (rtnl__parse(h, sizeof(*ifm), IFLA_MAX, false, &tb, ext))
			return -EINVAL;
		if (tb.a[IFLA_MASTER] && rtnl__attr_u32(tb.a[IFLA_MASTER], br, ext))
			return -EINVAL;
		*port = (uint32_t)ifm->ifi_index;
		return 0;
	}
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*ndm)))
		return rtnl__fail(ext, -EINVAL, "Invalid header for fdb dump request");
	if (ndm->ndm_pad1 || ndm->ndm_pad2 || ndm->ndm_state ||
	    ndm->ndm_flags || ndm->ndm_type)
		return rtnl__fail(ext, -EINVAL, "Invalid values in header for fdb dump request");
	/* no policy: the lengths are checked below */
	ret = rtnl__parse(h, sizeof(*ndm), NDA_MAX, true, &tb, ext);
	if (ret)
		return ret;
	*port = (uint32_t)ndm->ndm_ifindex;
	for (i = 0; i <= NDA_MAX && i <= RTNL_ATTR_MAX; i++) {
		if (!tb.a[i])
			continue;
		if (i == NDA_IFINDEX) {
			if (RTNL_ATTR_LEN(tb.a[i]) != 4)
				return rtnl__fail(ext, -EINVAL, "Invalid IFINDEX attribute in fdb dump request");
			memcpy(port, RTNL_ATTR_DATA(tb.a[i]), 4);
		} else if (i == NDA_MASTER) {
			if (RTNL_ATTR_LEN(tb.a[i]) != 4)
				return rtnl__fail(ext, -EINVAL, "Invalid MASTER attribute in fdb dump request");
			memcpy(br, RTNL_ATTR_DATA(tb.a[i]), 4);
		} else {
			return rtnl__fail(ext, -EINVAL, "Unsupported attribute in fdb dump request");
		}
	}
	return 0;
}

/* rtnl_fdb_dump(): a bridge asked for must exist; no device here is a
 * bridge or a port, so then nothing is listed */
static int dumpfdb(struct rtnl *r, const struct nlmsghdr *h,
		   struct rtnl_ext *ext)
{
	uint32_t port = 0, br = 0;
	struct rtnl_dump *d;
	struct net_link l;
	int ret;

	ret = fdb_filter(r, h, &port, &br, ext);
	if (ret)
		return ret;
	if (br && net_link_get(r->net, br, &l))
		return -ENODEV;
	d = rtnl__dump_new(r, h, &fdb_dump);
	if (!d)
		return -ENOMEM;
	d->split_done = true;	/* it returns skb->len */
	d->ifindex = port;
	if (br)
		d->last_ifindex = UINT32_MAX;
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

	if (family == AF_BRIDGE)
		return dumpfdb(r, h, ext);
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
};

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
	if ((ret = rtnl__parse(h, sizeof(*ndm), NDA_MAX, true, &tb, ext)) ||
	    (ret = nda_check(h, ext)))
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
	if (net_neigh_get(r->net, ndm->ndm_family, f.ifindex, f.addr, &f.found))
		return rtnl__fail(ext, -ENOENT, "Neighbour entry not found");
	if (rtnl__buf_init(&b, NEIGH_GET_BUF))
		return -ENOMEM;
	if (rtnl__fill_neigh(&b, &f.found, RTM_NEWNEIGH, 0, h->nlmsg_seq,
			     r->portid)) {
		free(b.data);
		return -EMSGSIZE;
	}
	return rtnl__unicast(r, &b);
}

/* ---- add and delete ---- */

/* The link-layer address length of a device (dev->addr_len): 6 for
 * Ethernet and the loopback, 0 for the host uplink (a tun) */
static size_t dev_addr_len(const struct net_link *l)
{
	return l->type == ARPHRD_NONE ? 0 : 6;
}

/*
 * neigh_add()'s checks, in its order, into @nb: the destination, the
 * device and the link-layer address of @h.
 */
static int parse_new(struct rtnl *r, const struct nlmsghdr *h,
		     struct net_neigh *nb, bool *use, struct rtnl_ext *ext)
{
	const struct ndmsg *ndm = NLMSG_DATA(h);
	const struct nlattr *dst, *ll;
	struct rtnl_attrs tb;
	struct net_link l;
	uint32_t ext_flags = 0;
	size_t alen;
	int ret;

	if ((ret = parse_req(h, &tb, ext)))
		return ret;
	dst = tb.a[NDA_DST];
	ll = tb.a[NDA_LLADDR];
	if (!dst)
		return rtnl__fail(ext, -EINVAL, "Network address not specified");
	if (tb.a[NDA_FLAGS_EXT] &&
	    (ret = rtnl__attr_u32(tb.a[NDA_FLAGS_EXT], &ext_flags, ext)))
		return ret;
	if (ndm->ndm_ifindex) {
		if (net_link_get(r->net, (uint32_t)ndm->ndm_ifindex, &l))
			return -ENODEV;
		if (ll && RTNL_ATTR_LEN(ll) < dev_addr_len(&l))
			return rtnl__fail(ext, -EINVAL, "Invalid link address");
	}
	if (ndm->ndm_family != AF_INET && ndm->ndm_family != AF_INET6)
		return -EAFNOSUPPORT;
	alen = ndm->ndm_family == AF_INET ? 4 : 16;
	if (RTNL_ATTR_LEN(dst) < alen)
		return rtnl__fail(ext, -EINVAL, "Invalid network address");
	memset(nb, 0, sizeof(*nb));
	if (tb.a[NDA_PROTOCOL]) {
		if (RTNL_ATTR_LEN(tb.a[NDA_PROTOCOL]) < 1)
			return rtnl__fail(ext, -ERANGE, "Attribute failed policy validation");
		nb->protocol = *RTNL_ATTR_DATA(tb.a[NDA_PROTOCOL]);
	}
	if (ndm->ndm_flags & NTF_PROXY)
		return rtnl__fail(ext, -EOPNOTSUPP, "rrsandbox: proxy neighbour entries are not supported");
	if (!ndm->ndm_ifindex)
		return rtnl__fail(ext, -EINVAL, "Device not specified");
	if ((ndm->ndm_flags & NTF_EXT_LEARNED) || ext_flags)
		return rtnl__fail(ext, -EOPNOTSUPP, "rrsandbox: neighbour flags extern_learn and managed are not supported");
	*use = (ndm->ndm_flags & NTF_USE) != 0;
	nb->ifindex = (uint32_t)ndm->ndm_ifindex;
	nb->family = ndm->ndm_family;
	memcpy(nb->addr, RTNL_ATTR_DATA(dst), alen);
	if (ll && dev_addr_len(&l)) {
		memcpy(nb->lladdr, RTNL_ATTR_DATA(ll), 6);
		nb->has_lladdr = true;
	}
	nb->state = ndm->ndm_state;
	nb->router = (ndm->ndm_flags & NTF_ROUTER) != 0;
	return 0;
}

/**
 * rtnl__newneigh() - RTM_NEWNEIGH (`ip neigh add|replace|change`), as
 *		      neigh_add()
 * @r:		the socket
 * @h:		the request (ndmsg, NDA_DST, NDA_LLADDR, NDA_PROTOCOL)
 * @ext:	extended ack
 *
 * Return: 0, or a negative errno (the request's or net_neigh_set()'s)
 */
int rtnl__newneigh(struct rtnl *r, const struct nlmsghdr *h,
		   struct rtnl_ext *ext)
{
	struct net_neigh nb;
	bool use = false;
	int ret;

	if ((ret = parse_new(r, h, &nb, &use, ext)))
		return ret;
	/* NTF_USE: resolve it; the state and address given do not count */
	ret = use ? net_neigh_use(r->net, nb.family, nb.ifindex, nb.addr,
				  h->nlmsg_flags, ext->msg, sizeof(ext->msg)) :
		    net_neigh_set(r->net, &nb, h->nlmsg_flags, ext->msg,
				  sizeof(ext->msg));
	if (ret == -EEXIST || ret == -ENOENT || ret == -ENODEV)
		ext->msg[0] = '\0';
	return ret;
}

/**
 * rtnl__delneigh() - RTM_DELNEIGH (`ip neigh del`, `ip neigh flush`), as
 *		      neigh_delete()
 * @r:		the socket
 * @h:		the request (ndmsg, NDA_DST)
 * @ext:	extended ack
 *
 * Return: 0, or a negative errno: -ENOENT for no such entry (and for any
 * proxy entry: there are none)
 */
int rtnl__delneigh(struct rtnl *r, const struct nlmsghdr *h,
		   struct rtnl_ext *ext)
{
	const struct ndmsg *ndm = NLMSG_DATA(h);
	const struct nlattr *dst;
	struct rtnl_attrs tb;
	struct net_link l;
	int ret;

	if ((ret = parse_req(h, &tb, ext)))
		return ret;
	dst = tb.a[NDA_DST];
	if (!dst)
		return rtnl__fail(ext, -EINVAL, "Network address not specified");
	if (ndm->ndm_ifindex &&
	    net_link_get(r->net, (uint32_t)ndm->ndm_ifindex, &l))
		return -ENODEV;
	if (ndm->ndm_family != AF_INET && ndm->ndm_family != AF_INET6)
		return -EAFNOSUPPORT;
	if (RTNL_ATTR_LEN(dst) < (ndm->ndm_family == AF_INET ? 4u : 16u))
		return rtnl__fail(ext, -EINVAL, "Invalid network address");
	if (ndm->ndm_flags & NTF_PROXY)
		return -ENOENT;		/* pneigh_delete(): none */
	if (!ndm->ndm_ifindex)
		return -EINVAL;
	ret = net_neigh_del(r->net, ndm->ndm_family, (uint32_t)ndm->ndm_ifindex,
			    RTNL_ATTR_DATA(dst), ext->msg, sizeof(ext->msg));
	if (ret == -ENOENT || ret == -ENODEV)
		ext->msg[0] = '\0';
	return ret;
}
