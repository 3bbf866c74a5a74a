/* SPDX-License-Identifier: MIT */
/*
 * rtnl_ntable.c - the neighbour tables' parameters (`ip ntable`):
 * RTM_GETNEIGHTBL dumps and RTM_SETNEIGHTBL changes, in the words of
 * Linux 6.18's neightbl_dump_info(), neightbl_fill_info(),
 * neightbl_fill_param_info() and neightbl_set() (net/core/neighbour.c).
 *
 * Two tables, arp_cache (AF_INET) then ndisc_cache (AF_INET6); each is
 * told as one message with its own values, then one per device with the
 * device's parameters, the newest device first, as Linux's parms_list.
 * The values are the sysctls' (net.ipv{4,6}.neigh.DEV.*, neighparm.c
 * through net.h): a change here reads back there and the other way.  As
 * in a network namespace other than the host's, the table's own
 * parameters and its gc_thresh1..3 and gc_interval are shown but cannot
 * be changed (ENOENT, lookup_neigh_parms() and neightbl_set()).  Linux
 * sends no notification of a change, nor does the sandbox.
 *
 * What differs from Linux's numbers: a table's counters (NDTA_STATS) are
 * 0 but hash_grows (lwIP counts none of them), its entries are lwIP's
 * cache's, its hash seed is one of ours, and a device's refcnt is 1 plus
 * its entries in lwIP's cache (Linux's also counts entries lwIP has no
 * need of, such as those of multicast groups).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "neighparm.h"
#include "net.h"
#include "rtnl_priv.h"

#define NTABLE_DEVS	256	/* devices listed in a table, at most */

/* Linux's neigh_tables[]: id, family, key_len, entry_size (6.18 x86_64:
 * sizeof(struct neighbour) and the key, as `ip -s ntable` shows them) */
static const struct table {
	const char *id;
	uint8_t family;
	uint16_t key_len, entry_size;
} tables[] = {
	{ "arp_cache", AF_INET, 4, 336 },
	{ "ndisc_cache", AF_INET6, 16, 344 },
};

#define N_TABLES	(sizeof(tables) / sizeof(tables[0]))

/* ---- filling ---- */

static int put_u64(struct rtnl_buf *b, uint16_t type, uint64_t v)
{
	return rtnl__put(b, type, &v, sizeof(v));	/* no NDTA_PAD on x86_64 */
}

struct count {
	uint32_t ifindex;
	unsigned int n;
};

static int count_one(void *arg, const struct net_neigh *nb)
{
	struct count *c = arg;

	if (!c->ifindex || nb->ifindex == c->ifindex)
		c->n++;
	return 0;
}

/* The entries of @family's table, of device @ifindex (0: all) */
static unsigned int entries(struct rtnl *r, uint8_t family, uint32_t ifindex)
{
	struct count c = { ifindex, 0 };

	net_neigh_walk(r->net, family, count_one, &c);
	return c.n;
}

/* neightbl_fill_parms(): NDTA_PARMS; @ifindex 0 for the table's own */
static int fill_parms(struct rtnl_buf *b, const struct neighparm *p,
		      uint32_t ifindex, uint32_t refcnt)
{
	static const struct {
		uint16_t type;
		enum neighparm_var var;
	} times[] = {
		{ NDTPA_BASE_REACHABLE_TIME, NPV_BASE_REACHABLE_TIME },
		{ NDTPA_GC_STALETIME, NPV_GC_STALETIME },
		{ NDTPA_DELAY_PROBE_TIME, NPV_DELAY_PROBE_TIME },
		{ NDTPA_RETRANS_TIME, NPV_RETRANS_TIME },
		{ NDTPA_ANYCAST_DELAY, NPV_ANYCAST_DELAY },
		{ NDTPA_PROXY_DELAY, NPV_PROXY_DELAY },
		{ NDTPA_LOCKTIME, NPV_LOCKTIME },
		{ NDTPA_INTERVAL_PROBE_TIME_MS, NPV_INTERVAL_PROBE_TIME_MS },
	};
	struct nlattr *nest = rtnl__nest_start(b, NDTA_PARMS);
	size_t i;

	if (!nest ||
	    (ifindex && rtnl__put_u32(b, NDTPA_IFINDEX, ifindex)) ||
	    rtnl__put_u32(b, NDTPA_REFCNT, refcnt) ||
	    rtnl__put_u32(b, NDTPA_QUEUE_LENBYTES, (uint32_t)p->v[NPV_QUEUE_LEN_BYTES]) ||
	    rtnl__put_u32(b, NDTPA_QUEUE_LEN, neighparm_qlen(p->v[NPV_QUEUE_LEN_BYTES])) ||
	    rtnl__put_u32(b, NDTPA_PROXY_QLEN, (uint32_t)p->v[NPV_PROXY_QLEN]) ||
	    rtnl__put_u32(b, NDTPA_APP_PROBES, (uint32_t)p->v[NPV_APP_PROBES]) ||
	    rtnl__put_u32(b, NDTPA_UCAST_PROBES, (uint32_t)p->v[NPV_UCAST_PROBES]) ||
	    rtnl__put_u32(b, NDTPA_MCAST_PROBES, (uint32_t)p->v[NPV_MCAST_PROBES]) ||
	    rtnl__put_u32(b, NDTPA_MCAST_REPROBES, (uint32_t)p->v[NPV_MCAST_REPROBES]) ||
	    put_u64(b, NDTPA_REACHABLE_TIME, neighparm_msecs(p->reachable)))
		return -EMSGSIZE;
	for (i = 0; i < sizeof(times) / sizeof(times[0]); i++)
		if (put_u64(b, times[i].type, neighparm_msecs(p->v[times[i].var])))
			return -EMSGSIZE;
	rtnl__nest_end(b, nest);
	return 0;
}

/* neightbl_fill_info(): the table's own message */
static int fill_table(struct rtnl *r, struct rtnl_buf *b,
		      const struct table *tb, uint16_t flags, uint32_t seq)
{
	struct neightbl *t = net_neigh_tbl(r->net, tb->family);
	unsigned int n = entries(r, tb->family, 0);
	uint64_t now = neighparm_now_ms();
	size_t mark = b->len;
	struct ndt_config ndc;
	struct ndt_stats st;
	struct ndtmsg *ndtm;
	struct nlmsghdr *h;

	neightbl_entries(t, n);
	h = rtnl__msg_put(b, RTM_NEWNEIGHTBL, flags, seq, r->portid, sizeof(*ndtm));
	if (!h)
		return -EMSGSIZE;
	ndtm = NLMSG_DATA(h);
	ndtm->ndtm_family = tb->family;
	memset(&ndc, 0, sizeof(ndc));
	ndc.ndtc_key_len = tb->key_len;
	ndc.ndtc_entry_size = tb->entry_size;
	ndc.ndtc_entries = n;
	ndc.ndtc_last_flush = (uint32_t)(now - t->made_ms);
	ndc.ndtc_last_rand = (uint32_t)(now - t->rand_ms);
	ndc.ndtc_hash_rnd = t->hash_rnd;
	ndc.ndtc_hash_mask = (1u << t->shift) - 1;
	memset(&st, 0, sizeof(st));
	st.ndts_hash_grows = t->grows;
	/* gc_interval 30 s, gc_thresh1..3 128, 512, 1024: arp_tbl's and
	 * nd_tbl's, the host namespace's alone to change */
	if (rtnl__put_str(b, NDTA_NAME, tb->id) ||
	    put_u64(b, NDTA_GC_INTERVAL, neighparm_msecs(30 * neighparm_hz())) ||
	    rtnl__put_u32(b, NDTA_THRESH1, 128) ||
	    rtnl__put_u32(b, NDTA_THRESH2, 512) ||
	    rtnl__put_u32(b, NDTA_THRESH3, 1024) ||
	    rtnl__put(b, NDTA_CONFIG, &ndc, sizeof(ndc)) ||
	    rtnl__put(b, NDTA_STATS, &st, sizeof(st)) ||
	    fill_parms(b, &t->dflt, 0, 1)) {
		b->len = mark;
		return -EMSGSIZE;
	}
	rtnl__msg_end(b, h);
	return 0;
}

/* neightbl_fill_param_info(): one device's message */
static int fill_dev(struct rtnl *r, struct rtnl_buf *b, const struct table *tb,
		    uint32_t ifindex, uint16_t flags, uint32_t seq)
{
	const struct neighparm *p = net_neigh_parms(r->net, tb->family, ifindex);
	size_t mark = b->len;
	struct ndtmsg *ndtm;
	struct nlmsghdr *h;

	if (!p)
		return 0;	/* gone meanwhile */
	h = rtnl__msg_put(b, RTM_NEWNEIGHTBL, flags, seq, r->portid, sizeof(*ndtm));
	if (!h)
		return -EMSGSIZE;
	ndtm = NLMSG_DATA(h);
	ndtm->ndtm_family = tb->family;
	if (rtnl__put_str(b, NDTA_NAME, tb->id) ||
	    fill_parms(b, p, ifindex, 1 + entries(r, tb->family, ifindex))) {
		b->len = mark;
		return -EMSGSIZE;
	}
	rtnl__msg_end(b, h);
	return 0;
}

/* ---- dump ---- */

/*
 * d->families: the tables' indexes to walk; d->phase: the one being
 * walked; d->skip: its messages already sent (0: none, 1: the table's,
 * 1 + k: k devices')
 */
static int ntable_fill(struct rtnl *r, struct rtnl_dump *d, struct rtnl_buf *b)
{
	uint32_t *devs = calloc(NTABLE_DEVS, sizeof(*devs));
	const struct table *tb;
	int n, ret = 1;

	if (!devs)
		return -ENOMEM;
	for (; d->phase < d->n_fam; d->phase++, d->skip = 0) {
		tb = &tables[d->families[d->phase]];
		n = net_neigh_parms_order(r->net, tb->family, devs, NTABLE_DEVS);
		for (; d->skip <= (size_t)n; d->skip++) {
			if (!d->skip ?
			    fill_table(r, b, tb, NLM_F_MULTI, d->seq) :
			    fill_dev(r, b, tb, devs[d->skip - 1], NLM_F_MULTI, d->seq)) {
				ret = 0;	/* full: on from here next time */
				goto out;
			}
		}
	}
out:
	free(devs);
	return ret;
}

static const struct rtnl_dump_ops ntable_dump = { ntable_fill };

/**
 * rtnl__dumpntable() - start an RTM_GETNEIGHTBL dump (`ip ntable show`):
 * arp_cache then ndisc_cache, or the family's table
 * @r:		the socket
 * @h:		the request (rtgenmsg or ndtmsg)
 * @ext:	extended ack
 *
 * Return: 0 (dump started), or the error NLMSG_DONE carries (-EINVAL
 * under strict checking: neightbl_valid_dump_info())
 */
int rtnl__dumpntable(struct rtnl *r, const struct nlmsghdr *h,
		     struct rtnl_ext *ext)
{
	uint8_t family = *(const uint8_t *)NLMSG_DATA(h);
	const struct ndtmsg *ndtm = NLMSG_DATA(h);
	struct rtnl_dump *d;
	size_t i;

	if (rtnl__strict(r)) {
		if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*ndtm)))
			return rtnl__fail(ext, -EINVAL, "Invalid header for neighbor table dump request");
		if (ndtm->ndtm_pad1 || ndtm->ndtm_pad2)
			return rtnl__fail(ext, -EINVAL, "Invalid values in header for neighbor table dump request");
		if (h->nlmsg_len != NLMSG_SPACE(sizeof(*ndtm)))
			return rtnl__fail(ext, -EINVAL, "Invalid data after header in neighbor table dump request");
	}
	d = rtnl__dump_new(r, h, &ntable_dump);
	if (!d)
		return -ENOMEM;
	d->split_done = true;	/* neightbl_dump_info() returns skb->len */
	for (i = 0; i < N_TABLES; i++)
		if (!family || tables[i].family == family)
			d->families[d->n_fam++] = (uint8_t)i;
	return 0;
}

/* ---- change ---- */

/* nl_neightbl_policy: NLA_STRING (at least a byte), NLA_U32, NLA_U64,
 * NLA_NESTED, as nlmsg_parse_deprecated() checks them */
static const struct rtnl_policy ndta_policy[NDTA_MAX + 1] = {
	[NDTA_NAME] = { .min = 1 },
	[NDTA_THRESH1] = { .min = 4 }, [NDTA_THRESH2] = { .min = 4 },
	[NDTA_THRESH3] = { .min = 4 }, [NDTA_GC_INTERVAL] = { .min = 8 },
	[NDTA_PARMS] = { .nest = true },
};

/* nl_ntbl_parm_policy (INTERVAL_PROBE_TIME_MS's .min = 1 has no
 * validation_type: not checked) */
static const struct rtnl_policy ndtpa_policy[NDTPA_MAX + 1] = {
	[NDTPA_IFINDEX] = { .min = 4 }, [NDTPA_QUEUE_LEN] = { .min = 4 },
	[NDTPA_QUEUE_LENBYTES] = { .min = 4 }, [NDTPA_PROXY_QLEN] = { .min = 4 },
	[NDTPA_APP_PROBES] = { .min = 4 }, [NDTPA_UCAST_PROBES] = { .min = 4 },
	[NDTPA_MCAST_PROBES] = { .min = 4 }, [NDTPA_MCAST_REPROBES] = { .min = 4 },
	[NDTPA_BASE_REACHABLE_TIME] = { .min = 8 }, [NDTPA_GC_STALETIME] = { .min = 8 },
	[NDTPA_DELAY_PROBE_TIME] = { .min = 8 }, [NDTPA_RETRANS_TIME] = { .min = 8 },
	[NDTPA_ANYCAST_DELAY] = { .min = 8 }, [NDTPA_PROXY_DELAY] = { .min = 8 },
	[NDTPA_LOCKTIME] = { .min = 8 }, [NDTPA_INTERVAL_PROBE_TIME_MS] = { .min = 8 },
};

/* nla_strcmp(): the attribute less its trailing NULs against @s */
static bool name_is(const struct nlattr *a, const char *s)
{
	const char *p = (const char *)RTNL_ATTR_DATA(a);
	size_t len = RTNL_ATTR_LEN(a);

	while (len && !p[len - 1])
		len--;
	return len == strlen(s) && !memcmp(p, s, len);
}

static uint64_t get_u64(const struct nlattr *a)
{
	uint64_t v;

	memcpy(&v, RTNL_ATTR_DATA(a), sizeof(v));
	return v;
}

/* neightbl_set()'s switch: the attributes of @tbp into @p, in type order */
static void set_parms(struct neighparm *p, const struct rtnl_attrs *tbp)
{
	static const enum neighparm_var u32s[NDTPA_MAX + 1] = {
		[NDTPA_QUEUE_LENBYTES] = NPV_QUEUE_LEN_BYTES,
		[NDTPA_PROXY_QLEN] = NPV_PROXY_QLEN,
		[NDTPA_APP_PROBES] = NPV_APP_PROBES,
		[NDTPA_UCAST_PROBES] = NPV_UCAST_PROBES,
		[NDTPA_MCAST_PROBES] = NPV_MCAST_PROBES,
		[NDTPA_MCAST_REPROBES] = NPV_MCAST_REPROBES,
		[NDTPA_BASE_REACHABLE_TIME] = NPV_BASE_REACHABLE_TIME,
		[NDTPA_GC_STALETIME] = NPV_GC_STALETIME,
		[NDTPA_DELAY_PROBE_TIME] = NPV_DELAY_PROBE_TIME,
		[NDTPA_INTERVAL_PROBE_TIME_MS] = NPV_INTERVAL_PROBE_TIME_MS,
		[NDTPA_RETRANS_TIME] = NPV_RETRANS_TIME,
		[NDTPA_ANYCAST_DELAY] = NPV_ANYCAST_DELAY,
		[NDTPA_PROXY_DELAY] = NPV_PROXY_DELAY,
		[NDTPA_LOCKTIME] = NPV_LOCKTIME,
	};
	unsigned int i;

	for (i = 1; i <= NDTPA_MAX; i++) {
		const struct nlattr *a = tbp->a[i];

		if (!a)
			continue;
		switch (i) {
		case NDTPA_QUEUE_LEN:	/* u32 * size_t, kept in an int */
			p->v[NPV_QUEUE_LEN_BYTES] =
				(int32_t)((uint64_t)rtnl__get_u32(a) * NEIGHPARM_TRUESIZE);
			break;
		case NDTPA_QUEUE_LENBYTES:
		case NDTPA_PROXY_QLEN:
		case NDTPA_APP_PROBES:
		case NDTPA_UCAST_PROBES:
		case NDTPA_MCAST_PROBES:
		case NDTPA_MCAST_REPROBES:
			p->v[u32s[i]] = (int32_t)rtnl__get_u32(a);
			break;
		case NDTPA_BASE_REACHABLE_TIME:
		case NDTPA_GC_STALETIME:
		case NDTPA_DELAY_PROBE_TIME:
		case NDTPA_INTERVAL_PROBE_TIME_MS:
		case NDTPA_RETRANS_TIME:
		case NDTPA_ANYCAST_DELAY:
		case NDTPA_PROXY_DELAY:
		case NDTPA_LOCKTIME:
			p->v[u32s[i]] = neighparm_jiffies(get_u64(a));
			if (i == NDTPA_BASE_REACHABLE_TIME)
				neighparm_draw(p);
			break;
		default:	/* IFINDEX, and what is read-only */
			break;
		}
	}
}

/**
 * rtnl__setntable() - RTM_SETNEIGHTBL (`ip ntable change name arp_cache
 * dev eth0 base_reachable 12000`): a device's parameters of a table
 * changed as neightbl_set() changes them
 * @r:		the socket
 * @h:		the request (ndtmsg, NDTA_NAME, NDTA_PARMS)
 * @ext:	extended ack
 *
 * Return: 0, or -EINVAL (no NDTA_NAME, a header too short), -ERANGE (an
 * attribute too short), -ENOENT (no such table, no device index or one
 * without parameters, or the table's own thresholds and interval, which
 * only the host's namespace may change: the device's values given in the
 * same request are changed first, as on Linux)
 */
int rtnl__setntable(struct rtnl *r, const struct nlmsghdr *h,
		    struct rtnl_ext *ext)
{
	const struct ndtmsg *ndtm = NLMSG_DATA(h);
	const struct table *tb = NULL;
	struct rtnl_attrs tb_a, tbp;
	struct neighparm *p;
	uint32_t ifindex = 0;
	size_t i;
	int ret;

	if ((ret = rtnl__parse(h, sizeof(*ndtm), NDTA_MAX, false, &tb_a, ext)) ||
	    (ret = rtnl__policy(h, sizeof(*ndtm), ndta_policy, NDTA_MAX, ext)))
		return ret;
	if (!tb_a.a[NDTA_NAME])
		return -EINVAL;
	for (i = 0; i < N_TABLES && !tb; i++)
		if ((!ndtm->ndtm_family || tables[i].family == ndtm->ndtm_family) &&
		    name_is(tb_a.a[NDTA_NAME], tables[i].id))
			tb = &tables[i];
	if (!tb)
		return -ENOENT;
	if (tb_a.a[NDTA_PARMS]) {
		if ((ret = rtnl__policy_nested(tb_a.a[NDTA_PARMS], ndtpa_policy,
					       NDTPA_MAX, ext)) ||
		    (ret = rtnl__parse_nested(tb_a.a[NDTA_PARMS], NDTPA_MAX, &tbp, ext)))
			return ret;
		if (tbp.a[NDTPA_IFINDEX])
			ifindex = rtnl__get_u32(tbp.a[NDTPA_IFINDEX]);
		p = net_neigh_parms(r->net, tb->family, ifindex);
		if (!p)
			return -ENOENT;
		set_parms(p, &tbp);
	}
	if (tb_a.a[NDTA_THRESH1] || tb_a.a[NDTA_THRESH2] ||
	    tb_a.a[NDTA_THRESH3] || tb_a.a[NDTA_GC_INTERVAL])
		return -ENOENT;	/* !net_eq(net, &init_net) */
	return 0;
}
