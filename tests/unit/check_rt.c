/* SPDX-License-Identifier: MIT */
/*
 * check_rt.c - unit tests of router/: the add flags as RTM_NEWROUTE,
 * deletes with match masks, lookups (longest prefix, metrics, route
 * types, the default rules with throw, weighted ECMP), the routes an
 * address implies, device down and gone, notifications, ordered and
 * resumable walks, IPv6 multipath append, byte counting back to the
 * start, and randomized lookups against a naive linear-scan reference
 * with inserts and deletes interleaved.  Linked with rrs_rt only; no loop,
 * no sockets.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include "router/router.h"
#include "router/acl.h"

#define MAIN	RT_TABLE_MAIN_ID
#define LOCAL	RT_TABLE_LOCAL_ID
#define DFLT	RT_TABLE_DEFAULT_ID
#define NEW_FLAGS	(RT_ADD_CREATE | RT_ADD_EXCL)

static struct rt_set *set_new(void)
{
	struct rt_set *s = NULL;

	ck_assert_int_eq(rt_set_new(&s), 0);
	ck_assert_ptr_nonnull(s);
	return s;
}

static void addr_of(const char *text, uint8_t *out)
{
	memset(out, 0, 16);
	if (strchr(text, ':'))
		ck_assert_int_eq(inet_pton(AF_INET6, text, out), 1);
	else
		ck_assert_int_eq(inet_pton(AF_INET, text, out), 1);
}

/* A route "dst/len" in @table of @type; a unicast one via @gw (or on-link
 * when NULL) on @ifindex */
static struct rt_route *mk(struct rt_route *r, const char *dst, uint8_t len,
			   uint32_t table, uint8_t type, uint32_t prio,
			   uint32_t ifindex, const char *gw)
{
	memset(r, 0, sizeof(*r));
	r->family = strchr(dst, ':') ? AF_INET6 : AF_INET;
	addr_of(dst, r->dst);
	r->dst_len = len;
	r->table = table;
	r->type = type;
	r->protocol = RTPROT_STATIC;
	r->priority = prio;
	if (type == RTN_UNICAST || type == RTN_LOCAL || type == RTN_BROADCAST) {
		r->n_nh = 1;
		r->nh[0].ifindex = ifindex;
		r->nh[0].weight = 1;
		if (gw) {
			addr_of(gw, r->nh[0].gw);
			r->nh[0].has_gw = true;
		}
	}
	return r;
}

static int add(struct rt_set *s, const char *dst, uint8_t len, uint32_t prio,
	       uint32_t ifindex, unsigned int flags)
{
	struct rt_route r;

	return rt_add(s, mk(&r, dst, len, MAIN, RTN_UNICAST, prio, ifindex, NULL), flags);
}

/* rt_lookup_fast() with the next hop's device and gateway apart; a
 * gateway of the route's own family is all the lookup may give here */
static int fast(const struct rt_set *s, uint32_t table, uint8_t family,
		const uint8_t *a, uint32_t hash, uint32_t *ifindex, uint8_t *gw)
{
	struct rt_hop hop;
	int ret = rt_lookup_fast(s, table, family, a, hash, &hop);
	static const uint8_t zero[16];

	*ifindex = hop.ifindex;
	memcpy(gw, hop.gw, 16);
	ck_assert_uint_eq(hop.gw_family, memcmp(gw, zero, 16) ? family : 0);
	return ret;
}

/* rt_lookup_fast on @table: the ifindex, or the negative error */
static int via(const struct rt_set *s, uint32_t table, const char *addr)
{
	uint8_t a[16], gw[16];
	uint32_t ifindex = 0;
	int ret;

	addr_of(addr, a);
	ret = fast(s, table, strchr(addr, ':') ? AF_INET6 : AF_INET, a, 0,
			     &ifindex, gw);
	return ret > 0 ? (int)ifindex : ret;
}

static size_t count_routes(const struct rt_set *s)
{
	struct rt_stats st;

	rt_set_stats(s, &st);
	return st.routes;
}

/* ---- basic lookups ---- */

START_TEST(rt_lookup_longest_prefix_wins)
{
	struct rt_set *s = set_new();

	ck_assert_int_eq(add(s, "10.0.0.0", 8, 0, 1, NEW_FLAGS), 0);
	ck_assert_int_eq(add(s, "10.1.0.0", 16, 0, 2, NEW_FLAGS), 0);
	ck_assert_int_eq(add(s, "10.1.2.0", 24, 0, 3, NEW_FLAGS), 0);
	ck_assert_int_eq(add(s, "10.1.2.128", 25, 0, 4, NEW_FLAGS), 0);
	ck_assert_int_eq(add(s, "10.1.2.200", 32, 0, 5, NEW_FLAGS), 0);
	ck_assert_int_eq(via(s, MAIN, "10.9.9.9"), 1);
	ck_assert_int_eq(via(s, MAIN, "10.1.9.9"), 2);
	ck_assert_int_eq(via(s, MAIN, "10.1.2.1"), 3);
	ck_assert_int_eq(via(s, MAIN, "10.1.2.129"), 4);
	ck_assert_int_eq(via(s, MAIN, "10.1.2.200"), 5);
	ck_assert_int_eq(via(s, MAIN, "11.0.0.1"), -ENETUNREACH);
	ck_assert_int_eq(via(s, 77, "10.0.0.1"), -ENETUNREACH);
	rt_set_free(s);
}
END_TEST

START_TEST(rt_lookup_default_route_matches_all)
{
	struct rt_set *s = set_new();
	struct rt_result res;
	uint8_t a[16];

	ck_assert_int_eq(add(s, "0.0.0.0", 0, 0, 7, NEW_FLAGS), 0);
	ck_assert_int_eq(add(s, "192.168.0.0", 16, 0, 8, NEW_FLAGS), 0);
	ck_assert_int_eq(via(s, MAIN, "1.2.3.4"), 7);
	ck_assert_int_eq(via(s, MAIN, "255.255.255.255"), 7);
	ck_assert_int_eq(via(s, MAIN, "192.168.3.4"), 8);
	addr_of("8.8.8.8", a);
	ck_assert_int_eq(rt_lookup(s, 0, AF_INET, a, 0, &res), 0);
	ck_assert_int_eq(res.route.dst_len, 0);
	ck_assert_int_eq(res.route.table, MAIN);
	ck_assert_int_eq(res.route.nh[res.nh].ifindex, 7);
	ck_assert_int_eq(add(s, "::", 0, 0, 9, NEW_FLAGS), 0);
	ck_assert_int_eq(via(s, MAIN, "2001:db8::1"), 9);
	rt_set_free(s);
}
END_TEST

START_TEST(rt_add_malformed_einval)
{
	struct rt_set *s = set_new();
	struct rt_route r;

	/* host bits */
	ck_assert_int_eq(add(s, "10.0.0.1", 24, 0, 1, NEW_FLAGS), -EINVAL);
	ck_assert_int_eq(add(s, "2001:db8::1", 64, 0, 1, NEW_FLAGS), -EINVAL);
	ck_assert_int_eq(add(s, "10.0.0.0", 33, 0, 1, NEW_FLAGS), -EINVAL);
	mk(&r, "10.0.0.0", 8, MAIN, RTN_UNICAST, 0, 1, NULL);
	r.family = AF_UNIX;
	ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), -EINVAL);
	mk(&r, "10.0.0.0", 8, MAIN, RTN_UNICAST, 0, 1, NULL);
	r.n_nh = 0;
	ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), -EINVAL);
	mk(&r, "10.0.0.0", 8, MAIN, RTN_UNICAST, 0, 1, NULL);
	r.nh[0].weight = 0;
	ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), -EINVAL);
	r.nh[0].weight = 257;
	ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), -EINVAL);
	mk(&r, "10.0.0.0", 8, MAIN, RTN_UNICAST, 0, 1, NULL);
	r.n_nh = RT_MAX_NEXTHOPS + 1;
	ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), -EINVAL);
	mk(&r, "10.0.0.0", 8, MAIN, RTN_BLACKHOLE, 0, 0, NULL);
	r.n_nh = 1;
	r.nh[0].ifindex = 1;
	r.nh[0].weight = 1;
	ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), -EINVAL);
	mk(&r, "10.0.0.0", 8, MAIN, RTN_UNICAST, 0, 1, NULL);
	r.nh[0].has_gw = true;	/* 0.0.0.0 is no gateway */
	ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), -EINVAL);
	ck_assert_uint_eq(count_routes(s), 0);
	/* table 0 means main, as RTM_NEWROUTE with RT_TABLE_UNSPEC */
	mk(&r, "10.0.0.0", 8, 0, RTN_UNICAST, 0, 3, NULL);
	ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), 0);
	ck_assert_int_eq(via(s, MAIN, "10.0.0.1"), 3);
	rt_set_free(s);
}
END_TEST

/* ---- add flags ---- */

/* The ifindexes of the routes of one prefix, in walk order */
struct list {
	uint32_t ifs[16];
	unsigned int n;
};

static int list_fn(void *arg, const struct rt_route *r)
{
	struct list *l = arg;

	if (l->n < 16)
		l->ifs[l->n++] = r->nh[0].ifindex;
	return 0;
}

static struct list list_of(const struct rt_set *s)
{
	struct list l = { { 0 }, 0 };

	ck_assert_int_eq(rt_walk(s, MAIN, AF_INET, NULL, list_fn, &l), 0);
	return l;
}

START_TEST(rt_add_excl_existing_eexist)
{
	struct rt_set *s = set_new();

	ck_assert_int_eq(add(s, "10.0.0.0", 8, 5, 1, NEW_FLAGS), 0);
	ck_assert_int_eq(add(s, "10.0.0.0", 8, 5, 2, NEW_FLAGS), -EEXIST);
	/* another metric is another key */
	ck_assert_int_eq(add(s, "10.0.0.0", 8, 6, 2, NEW_FLAGS), 0);
	ck_assert_uint_eq(count_routes(s), 2);
	rt_set_free(s);
}
END_TEST

START_TEST(rt_add_replace_replaces_first_or_enoent)
{
	struct rt_set *s = set_new();
	struct list l;

	ck_assert_int_eq(add(s, "10.0.0.0", 8, 5, 1, RT_ADD_REPLACE), -ENOENT);
	ck_assert_uint_eq(count_routes(s), 0);
	ck_assert_int_eq(add(s, "10.0.0.0", 8, 5, 1, RT_ADD_REPLACE | RT_ADD_CREATE), 0);
	ck_assert_int_eq(add(s, "10.0.0.0", 8, 5, 2, RT_ADD_CREATE | RT_ADD_APPEND), 0);
	ck_assert_int_eq(add(s, "10.0.0.0", 8, 5, 3, RT_ADD_REPLACE), 0);
	l = list_of(s);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_uint_eq(l.ifs[0], 3);
	ck_assert_uint_eq(l.ifs[1], 2);
	/* replacing with the identical route: nothing to do */
	ck_assert_int_eq(add(s, "10.0.0.0", 8, 5, 3, RT_ADD_REPLACE), 0);
	/* identical to another of the key: -EEXIST (fib_table_insert) */
	ck_assert_int_eq(add(s, "10.0.0.0", 8, 5, 2, RT_ADD_REPLACE), -EEXIST);
	ck_assert_int_eq(via(s, MAIN, "10.1.1.1"), 3);
	ck_assert_uint_eq(count_routes(s), 2);
	rt_set_free(s);
}
END_TEST

/* A replace or an add compares with the routes of its own metric only: a
 * route of the prefix at another metric does not make it -EEXIST (Linux
 * 6.18: `ip -6 route replace fd05::/64 dev eth0 metric 256` beside the
 * same route at metric 1024 replaces) */
START_TEST(rt_add_other_metric_is_no_match)
{
	struct rt_set *s = set_new();
	struct rt_route r;
	struct list l;

	ck_assert_int_eq(add(s, "10.0.0.0", 8, 5, 1, NEW_FLAGS), 0);
	ck_assert_int_eq(add(s, "10.0.0.0", 8, 10, 2, NEW_FLAGS), 0);
	ck_assert_int_eq(add(s, "10.0.0.0", 8, 5, 2, RT_ADD_REPLACE), 0);
	ck_assert_int_eq(add(s, "10.0.0.0", 8, 5, 3, RT_ADD_CREATE | RT_ADD_APPEND), 0);
	l = list_of(s);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_uint_eq(l.ifs[0], 2);
	ck_assert_uint_eq(l.ifs[1], 3);
	ck_assert_uint_eq(l.ifs[2], 2);
	mk(&r, "fd05::", 64, MAIN, RTN_UNICAST, 256, 1, NULL);
	r.protocol = RTPROT_KERNEL;
	ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), 0);
	r.protocol = RTPROT_BOOT;
	r.priority = 1024;
	ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), 0);
	r.priority = 256;
	ck_assert_int_eq(rt_add(s, &r, RT_ADD_REPLACE), 0);
	ck_assert_uint_eq(count_routes(s), 5);
	rt_set_free(s);
}
END_TEST

START_TEST(rt_add_append_after_create_before)
{
	struct rt_set *s = set_new();
	struct list l;

	ck_assert_int_eq(add(s, "10.0.0.0", 8, 5, 1, RT_ADD_CREATE), 0);
	ck_assert_int_eq(add(s, "10.0.0.0", 8, 5, 2, RT_ADD_CREATE | RT_ADD_APPEND), 0);
	ck_assert_int_eq(add(s, "10.0.0.0", 8, 5, 3, RT_ADD_CREATE), 0);
	l = list_of(s);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_uint_eq(l.ifs[0], 3);
	ck_assert_uint_eq(l.ifs[1], 1);
	ck_assert_uint_eq(l.ifs[2], 2);
	/* the first in list order wins among equal metrics */
	ck_assert_int_eq(via(s, MAIN, "10.1.1.1"), 3);
	/* an identical route: -EEXIST with CREATE or APPEND */
	ck_assert_int_eq(add(s, "10.0.0.0", 8, 5, 1, RT_ADD_CREATE), -EEXIST);
	ck_assert_int_eq(add(s, "10.0.0.0", 8, 5, 2, RT_ADD_CREATE | RT_ADD_APPEND), -EEXIST);
	/* without CREATE nothing new is made */
	ck_assert_int_eq(add(s, "10.0.0.0", 8, 5, 4, RT_ADD_APPEND), -ENOENT);
	ck_assert_int_eq(add(s, "11.0.0.0", 8, 5, 4, 0), -ENOENT);
	ck_assert_uint_eq(count_routes(s), 3);
	rt_set_free(s);
}
END_TEST

START_TEST(rt_lookup_lowest_metric_wins)
{
	struct rt_set *s = set_new();
	struct rt_route r;

	ck_assert_int_eq(add(s, "10.0.0.0", 8, 200, 1, NEW_FLAGS), 0);
	ck_assert_int_eq(add(s, "10.0.0.0", 8, 100, 2, NEW_FLAGS), 0);
	ck_assert_int_eq(add(s, "10.0.0.0", 8, 300, 3, NEW_FLAGS), 0);
	ck_assert_int_eq(via(s, MAIN, "10.0.0.1"), 2);
	mk(&r, "10.0.0.0", 8, MAIN, RTN_UNICAST, 100, 0, NULL);
	ck_assert_int_eq(rt_del(s, &r, RT_MATCH_PRIORITY), 0);
	ck_assert_int_eq(via(s, MAIN, "10.0.0.1"), 1);
	/* a route whose next hops are all dead is skipped */
	mk(&r, "10.0.0.0", 8, MAIN, RTN_UNICAST, 50, 9, NULL);
	r.nh[0].flags = RTNH_F_DEAD;
	ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), 0);
	ck_assert_int_eq(via(s, MAIN, "10.0.0.1"), 1);
	rt_set_free(s);
}
END_TEST

START_TEST(rt_del_matches_mask_or_esrch)
{
	struct rt_set *s = set_new();
	struct rt_route r;

	rt_add(s, mk(&r, "10.0.0.0", 8, MAIN, RTN_UNICAST, 0, 1, "192.0.2.1"), NEW_FLAGS);
	rt_add(s, mk(&r, "10.0.0.0", 8, MAIN, RTN_UNICAST, 0, 2, "192.0.2.2"),
	       RT_ADD_CREATE | RT_ADD_APPEND);
	mk(&r, "10.0.0.0", 8, MAIN, RTN_UNICAST, 0, 3, NULL);
	ck_assert_int_eq(rt_del(s, &r, RT_MATCH_OIF), -ESRCH);
	addr_of("192.0.2.2", r.nh[0].gw);
	ck_assert_int_eq(rt_del(s, &r, RT_MATCH_GW), 0);
	ck_assert_int_eq(via(s, MAIN, "10.0.0.1"), 1);
	mk(&r, "10.0.0.0", 8, MAIN, RTN_BLACKHOLE, 0, 0, NULL);
	ck_assert_int_eq(rt_del(s, &r, RT_MATCH_TYPE), -ESRCH);
	r.priority = 7;
	ck_assert_int_eq(rt_del(s, &r, RT_MATCH_PRIORITY), -ESRCH);
	r.dst_len = 9;
	ck_assert_int_eq(rt_del(s, &r, 0), -ESRCH);
	r.table = 99;
	r.dst_len = 8;
	ck_assert_int_eq(rt_del(s, &r, 0), -ESRCH);
	r.table = MAIN;
	ck_assert_int_eq(rt_del(s, &r, 0), 0);
	ck_assert_int_eq(rt_del(s, &r, 0), -ESRCH);
	ck_assert_int_eq(via(s, MAIN, "10.0.0.1"), -ENETUNREACH);
	addr_of("10.0.0.1", r.dst);
	ck_assert_int_eq(rt_del(s, &r, 0), -EINVAL);
	rt_set_free(s);
}
END_TEST

static int first_fn(void *arg, const struct rt_route *r)
{
	*(struct rt_route *)arg = *r;
	return 1;
}

/* Routes on nexthop objects (rt_route.nhid): matched by id on delete,
 * never merged into an IPv6 route's next hops, and following the object
 * (rt_nhid_set(): new next hops with 16-bit weights, a blackhole, gone) */
START_TEST(rt_nhid_routes_follow_their_nexthop)
{
	struct rt_set *s = set_new();
	struct rt_route r, to;

	mk(&r, "10.0.0.0", 8, MAIN, RTN_UNICAST, 0, 1, "192.0.2.1");
	r.nhid = 5;
	ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), 0);
	mk(&r, "fd00::", 64, MAIN, RTN_UNICAST, 1024, 1, "fd09::1");
	r.nhid = 6;
	ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), 0);
	/* an IPv6 route of the same metric is no sibling of it */
	mk(&r, "fd00::", 64, MAIN, RTN_UNICAST, 1024, 2, "fd09::2");
	ck_assert_int_eq(rt_add(s, &r, RT_ADD_CREATE | RT_ADD_EXCL), -EEXIST);
	/* a delete by id matches that id alone; by device, no IPv4 route
	 * on an object, any IPv6 one */
	mk(&r, "10.0.0.0", 8, MAIN, RTN_UNICAST, 0, 1, NULL);
	r.nhid = 7;
	ck_assert_int_eq(rt_del(s, &r, RT_MATCH_NHID), -ESRCH);
	ck_assert_int_eq(rt_del(s, &r, RT_MATCH_OIF), -ESRCH);
	/* the object now two gateways, weights 1 and 300 */
	memset(&to, 0, sizeof(to));
	to.type = RTN_UNICAST;
	to.n_nh = 2;
	to.nh[0].ifindex = 1;
	to.nh[0].weight = 1;
	to.nh[0].has_gw = true;
	to.nh[0].gw_family = AF_INET;
	addr_of("192.0.2.7", to.nh[0].gw);
	to.nh[1] = to.nh[0];
	to.nh[1].ifindex = 2;
	to.nh[1].weight = 300;
	rt_nhid_set(s, 5, &to);
	ck_assert_int_eq(via(s, MAIN, "10.1.2.3"), 1);
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(rt_walk(s, MAIN, AF_INET, NULL, first_fn, &r), 1);
	ck_assert_uint_eq(r.nhid, 5);
	ck_assert_uint_eq(r.n_nh, 2);
	ck_assert_uint_eq(r.nh[1].weight, 300);
	/* a blackhole: the route drops */
	to.type = RTN_BLACKHOLE;
	to.n_nh = 0;
	rt_nhid_set(s, 5, &to);
	ck_assert_int_eq(via(s, MAIN, "10.1.2.3"), -EINVAL);
	/* gone: the IPv4 route with it, the IPv6 one (another id) stays */
	rt_nhid_set(s, 5, NULL);
	ck_assert_int_eq(via(s, MAIN, "10.1.2.3"), -ENETUNREACH);
	ck_assert_int_eq(via(s, MAIN, "fd00::1"), 1);
	mk(&r, "fd00::", 64, MAIN, RTN_UNICAST, 1024, 9, NULL);
	ck_assert_int_eq(rt_del(s, &r, RT_MATCH_OIF), 0);
	ck_assert_uint_eq(count_routes(s), 0);
	rt_set_free(s);
}
END_TEST

/* RTA_VIA (RFC 5549): an IPv4 route through an IPv6 gateway */
START_TEST(rt_ipv4_route_via_ipv6_gateway)
{
	struct rt_set *s = set_new();
	struct rt_result res;
	struct rt_route r;
	struct rt_hop hop;
	uint8_t a[16], want[16];

	mk(&r, "10.1.0.0", 16, MAIN, RTN_UNICAST, 0, 2, "fe80::1");
	r.nh[0].gw_family = AF_INET6;
	ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), 0);
	/* the same bytes as an IPv4 gateway's are another next hop */
	mk(&r, "10.1.0.0", 16, MAIN, RTN_UNICAST, 0, 3, "10.0.0.1");
	r.priority = 5;
	ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), 0);
	addr_of("10.1.2.3", a);
	ck_assert_int_eq(rt_lookup_fast(s, MAIN, AF_INET, a, 0, &hop), RTN_UNICAST);
	ck_assert_uint_eq(hop.ifindex, 2);
	ck_assert_uint_eq(hop.gw_family, AF_INET6);
	addr_of("fe80::1", want);
	ck_assert_mem_eq(hop.gw, want, 16);
	ck_assert_int_eq(rt_lookup(s, MAIN, AF_INET, a, 0, &res), 0);
	ck_assert(res.route.nh[0].has_gw);
	ck_assert_uint_eq(res.route.nh[0].gw_family, AF_INET6);
	ck_assert_mem_eq(res.route.nh[0].gw, want, 16);

	/* a delete naming the gateway matches its family too */
	mk(&r, "10.1.0.0", 16, MAIN, RTN_UNICAST, 0, 2, "fe80::1");
	memset(r.nh[0].gw, 0, 16);
	memcpy(r.nh[0].gw, want, 4);	/* fe80:: 's first 4 bytes as IPv4 */
	ck_assert_int_eq(rt_del(s, &r, RT_MATCH_GW), -ESRCH);
	mk(&r, "10.1.0.0", 16, MAIN, RTN_UNICAST, 0, 2, "fe80::1");
	r.nh[0].gw_family = AF_INET6;
	ck_assert_int_eq(rt_del(s, &r, RT_MATCH_GW), 0);
	ck_assert_int_eq(rt_lookup_fast(s, MAIN, AF_INET, a, 0, &hop), RTN_UNICAST);
	ck_assert_uint_eq(hop.ifindex, 3);
	ck_assert_uint_eq(hop.gw_family, AF_INET);

	/* IPv6 routes through IPv4 gateways, and unknown families, are not */
	mk(&r, "2001:db8::", 32, MAIN, RTN_UNICAST, 0, 2, "10.0.0.1");
	r.nh[0].gw_family = AF_INET;
	ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), -EINVAL);
	mk(&r, "10.2.0.0", 16, MAIN, RTN_UNICAST, 0, 2, "10.0.0.1");
	r.nh[0].gw_family = 99;
	ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), -EINVAL);
	mk(&r, "10.2.0.0", 16, MAIN, RTN_UNICAST, 0, 2, "::");
	r.nh[0].gw_family = AF_INET6;
	r.nh[0].has_gw = true;
	ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), -EINVAL);
	rt_set_free(s);
}
END_TEST

/* ---- types, rules ---- */

START_TEST(rt_lookup_fast_route_types_errors)
{
	static const struct {
		uint8_t type;
		const char *dst;
		int ret;
	} cases[] = {
		{ RTN_BLACKHOLE, "10.1.0.0", -EINVAL },
		{ RTN_UNREACHABLE, "10.2.0.0", -EHOSTUNREACH },
		{ RTN_PROHIBIT, "10.3.0.0", -EACCES },
		{ RTN_THROW, "10.4.0.0", -ENETUNREACH },
	};
	struct rt_set *s = set_new();
	struct rt_result res;
	struct rt_route r;
	uint8_t a[16], gw[16];
	uint32_t ifindex;
	unsigned int k;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		mk(&r, cases[k].dst, 16, MAIN, cases[k].type, 0, 0, NULL);
		ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), 0);
		addr_of(cases[k].dst, a);
		a[3] = 1;
		ck_assert_int_eq(fast(s, MAIN, AF_INET, a, 0, &ifindex, gw),
				 cases[k].ret);
		if (cases[k].type != RTN_THROW) {
			ck_assert_int_eq(rt_lookup(s, MAIN, AF_INET, a, 0, &res), 0);
			ck_assert_int_eq(res.route.type, cases[k].type);
		}
	}
	rt_add(s, mk(&r, "10.5.0.0", 16, MAIN, RTN_UNICAST, 0, 4, "192.0.2.9"), NEW_FLAGS);
	addr_of("10.5.0.1", a);
	ck_assert_int_eq(fast(s, MAIN, AF_INET, a, 0, &ifindex, gw), RTN_UNICAST);
	ck_assert_uint_eq(ifindex, 4);
	addr_of("192.0.2.9", a);
	ck_assert_mem_eq(gw, a, 16);
	rt_set_free(s);
}
END_TEST

START_TEST(rt_lookup_rules_local_main_default)
{
	struct rt_set *s = set_new();
	struct rt_route r;

	rt_add(s, mk(&r, "0.0.0.0", 0, DFLT, RTN_UNICAST, 0, 3, NULL), NEW_FLAGS);
	ck_assert_int_eq(via(s, 0, "10.0.0.1"), 3);
	rt_add(s, mk(&r, "10.0.0.0", 8, MAIN, RTN_UNICAST, 0, 2, NULL), NEW_FLAGS);
	ck_assert_int_eq(via(s, 0, "10.0.0.1"), 2);
	rt_add(s, mk(&r, "10.0.0.1", 32, LOCAL, RTN_LOCAL, 0, 1, NULL), NEW_FLAGS);
	ck_assert_int_eq(via(s, 0, "10.0.0.1"), 1);
	ck_assert_int_eq(via(s, 0, "10.0.0.2"), 2);
	/* a throw route in main sends the lookup on to default */
	rt_add(s, mk(&r, "10.9.0.0", 16, MAIN, RTN_THROW, 0, 0, NULL), NEW_FLAGS);
	ck_assert_int_eq(via(s, 0, "10.9.0.1"), 3);
	ck_assert_int_eq(via(s, MAIN, "10.9.0.1"), -ENETUNREACH);
	/* a prohibit route in main stops it */
	rt_add(s, mk(&r, "10.8.0.0", 16, MAIN, RTN_PROHIBIT, 0, 0, NULL), NEW_FLAGS);
	ck_assert_int_eq(via(s, 0, "10.8.0.1"), -EACCES);
	rt_set_free(s);
}
END_TEST

/* rt_route_fast() for a flow from @src (NULL: none) in on @iif: the
 * ifindex, or the negative error */
static int via_flow(const struct rt_set *s, const char *addr, const char *src,
		    uint32_t iif)
{
	uint8_t a[16], sa[16];
	struct rt_flow fl = { .iif = iif };
	struct rt_hop hop;
	int ret;

	addr_of(addr, a);
	if (src) {
		addr_of(src, sa);
		fl.src = sa;
	}
	ret = rt_route_fast(s, strchr(addr, ':') ? AF_INET6 : AF_INET, a, &fl, 0, &hop);
	return ret > 0 ? (int)hop.ifindex : ret;
}

static struct rt_rule *rule(struct rt_rule *r, uint8_t family, uint8_t action,
			    uint32_t table)
{
	memset(r, 0, sizeof(*r));
	r->family = family;
	r->action = action;
	r->table = table;
	r->suppress_prefixlen = -1;
	return r;
}

/* rt_route_fast() for the sandbox's own packet of protocol @proto from
 * port @sport to @dport, socket owner @uid: the ifindex or the error */
static int via_l4(const struct rt_set *s, const char *addr, uint8_t proto,
		  uint16_t sport, uint16_t dport, uint32_t uid)
{
	struct rt_flow fl = { .iif = 1, .proto = proto, .sport = sport,
			      .dport = dport, .uid = uid };
	struct rt_hop hop;
	uint8_t a[16];
	int ret;

	addr_of(addr, a);
	ret = rt_route_fast(s, strchr(addr, ':') ? AF_INET6 : AF_INET, a, &fl, 0, &hop);
	return ret > 0 ? (int)hop.ifindex : ret;
}

/* ipproto, sport, dport and uidrange rules as fib_rule_match() and
 * fib4/6_rule_match(): inclusive ranges, "not", equality for EEXIST and
 * delete by any one selector, invalid ranges refused */
START_TEST(rt_rules_match_l4_and_uid)
{
	struct rt_set *s = set_new();
	struct rt_route r;
	struct rt_rule u;

	rt_add(s, mk(&r, "0.0.0.0", 0, MAIN, RTN_UNICAST, 0, 2, NULL), NEW_FLAGS);
	rt_add(s, mk(&r, "0.0.0.0", 0, 100, RTN_UNICAST, 0, 3, NULL), NEW_FLAGS);
	rt_add(s, mk(&r, "::", 0, 100, RTN_UNICAST, 0, 3, NULL), NEW_FLAGS);
	rt_add(s, mk(&r, "::", 0, MAIN, RTN_UNICAST, 0, 2, NULL), NEW_FLAGS);
	/* ipproto tcp dport 80-81 lookup 100 */
	rule(&u, AF_INET, FR_ACT_TO_TBL, 100);
	u.priority = 10;
	u.ip_proto = IPPROTO_TCP;
	u.dport[0] = 80;
	u.dport[1] = 81;
	ck_assert_int_eq(rt_rule_add(s, &u, true, true), 0);
	ck_assert(!rt_rules_default(s, AF_INET));
	ck_assert_int_eq(via_l4(s, "192.0.2.1", IPPROTO_TCP, 40000, 80, 0), 3);
	ck_assert_int_eq(via_l4(s, "192.0.2.1", IPPROTO_TCP, 40000, 81, 0), 3);
	ck_assert_int_eq(via_l4(s, "192.0.2.1", IPPROTO_TCP, 40000, 82, 0), 2);
	ck_assert_int_eq(via_l4(s, "192.0.2.1", IPPROTO_TCP, 40000, 79, 0), 2);
	ck_assert_int_eq(via_l4(s, "192.0.2.1", IPPROTO_UDP, 40000, 80, 0), 2);
	ck_assert_int_eq(via_l4(s, "192.0.2.1", 0, 0, 0, 0), 2);
	ck_assert_int_eq(via(s, 0, "192.0.2.1"), 2);	/* no flow: Linux's own */
	/* equal in every selector: EEXIST; another sport range is new */
	ck_assert_int_eq(rt_rule_add(s, &u, true, true), -EEXIST);
	u.sport[0] = u.sport[1] = 1000;
	ck_assert_int_eq(rt_rule_add(s, &u, true, true), 0);
	/* delete by sport alone takes that one; the first still routes */
	rule(&u, AF_INET, 0, 0);
	u.sport[0] = u.sport[1] = 1000;
	ck_assert_int_eq(rt_rule_del(s, &u, RT_RULE_SPORT), 0);
	ck_assert_int_eq(rt_rule_del(s, &u, RT_RULE_SPORT), -ENOENT);
	ck_assert_int_eq(via_l4(s, "192.0.2.1", IPPROTO_TCP, 1000, 80, 0), 3);
	/* uidrange 1000-1999, not ipproto udp: IPv6 */
	rule(&u, AF_INET6, FR_ACT_TO_TBL, 100);
	u.priority = 10;
	u.uid_set = true;
	u.uid[0] = 1000;
	u.uid[1] = 1999;
	ck_assert_int_eq(rt_rule_add(s, &u, true, true), 0);
	ck_assert_int_eq(via_l4(s, "2001:db8::1", IPPROTO_UDP, 5, 53, 1000), 3);
	ck_assert_int_eq(via_l4(s, "2001:db8::1", IPPROTO_UDP, 5, 53, 1999), 3);
	ck_assert_int_eq(via_l4(s, "2001:db8::1", IPPROTO_UDP, 5, 53, 2000), 2);
	ck_assert_int_eq(via_l4(s, "2001:db8::1", IPPROTO_UDP, 5, 53, 999), 2);
	ck_assert_int_eq(via_l4(s, "2001:db8::1", IPPROTO_UDP, 5, 53, 0xffffffff), 2);
	/* an unset uid range differs from 0..~0 nowhere but in equality */
	u.uid_set = false;
	ck_assert_int_eq(rt_rule_add(s, &u, true, true), 0);
	ck_assert_int_eq(via_l4(s, "2001:db8::1", IPPROTO_UDP, 5, 53, 0xffffffff), 3);
	/* delete by priority: the first (uidrange) rule, then the other */
	rule(&u, AF_INET6, 0, 0);
	u.priority = 10;
	ck_assert_int_eq(rt_rule_del(s, &u, RT_RULE_PRIORITY), 0);
	ck_assert_int_eq(via_l4(s, "2001:db8::1", IPPROTO_UDP, 5, 53, 5), 3);
	ck_assert_int_eq(rt_rule_del(s, &u, RT_RULE_PRIORITY), 0);
	ck_assert_int_eq(via_l4(s, "2001:db8::1", IPPROTO_UDP, 5, 53, 1000), 2);
	rule(&u, AF_INET6, FR_ACT_UNREACHABLE, 0);
	u.priority = 20;
	u.ip_proto = IPPROTO_UDP;
	u.flags = FIB_RULE_INVERT;
	ck_assert_int_eq(rt_rule_add(s, &u, true, true), 0);
	ck_assert_int_eq(via_l4(s, "2001:db8::1", IPPROTO_UDP, 5, 53, 5), 2);
	ck_assert_int_eq(via_l4(s, "2001:db8::1", IPPROTO_TCP, 5, 53, 5), -ENETUNREACH);
	ck_assert_int_eq(via_l4(s, "2001:db8::1", 0, 0, 0, 1500), -ENETUNREACH);
	/* ranges Linux refuses: end 65535, start 0, start above end; a uid
	 * range reaching INVALID_UID or going backwards */
	rule(&u, AF_INET, FR_ACT_TO_TBL, 100);
	u.priority = 30;
	u.dport[0] = 1;
	u.dport[1] = 65535;
	ck_assert_int_eq(rt_rule_add(s, &u, true, true), -EINVAL);
	u.dport[0] = 0;
	u.dport[1] = 5;
	ck_assert_int_eq(rt_rule_add(s, &u, true, true), -EINVAL);
	u.dport[0] = 6;
	ck_assert_int_eq(rt_rule_add(s, &u, true, true), -EINVAL);
	u.dport[0] = u.dport[1] = 65534;
	ck_assert_int_eq(rt_rule_add(s, &u, true, true), 0);
	rule(&u, AF_INET, FR_ACT_TO_TBL, 100);
	u.priority = 31;
	u.uid_set = true;
	u.uid[0] = 0;
	u.uid[1] = 0xffffffff;
	ck_assert_int_eq(rt_rule_add(s, &u, true, true), -EINVAL);
	u.uid[0] = 2;
	u.uid[1] = 1;
	ck_assert_int_eq(rt_rule_add(s, &u, true, true), -EINVAL);
	rt_set_free(s);
}
END_TEST

/* Rules as fib_rules_lookup() walks them: selectors, actions, goto,
 * suppress_prefixlength, "not", detached devices, defaults restored */
START_TEST(rt_rules_choose_the_table)
{
	struct rt_set *s = set_new();
	struct rt_route r;
	struct rt_rule u;

	ck_assert(rt_rules_default(s, AF_INET));
	rt_add(s, mk(&r, "0.0.0.0", 0, MAIN, RTN_UNICAST, 0, 2, NULL), NEW_FLAGS);
	rt_add(s, mk(&r, "0.0.0.0", 0, 100, RTN_UNICAST, 0, 3, NULL), NEW_FLAGS);
	rt_add(s, mk(&r, "10.1.0.0", 16, 101, RTN_UNICAST, 0, 4, NULL), NEW_FLAGS);
	/* from 10.0.0.0/24 lookup 100: priority 32765, below main */
	rule(&u, AF_INET, FR_ACT_TO_TBL, 100);
	addr_of("10.0.0.0", u.src);
	u.src_len = 24;
	ck_assert_int_eq(rt_rule_add(s, &u, false, true), 0);
	ck_assert_uint_eq(u.priority, 32765);
	ck_assert(!rt_rules_default(s, AF_INET));
	ck_assert(rt_rules_default(s, AF_INET6));
	ck_assert_int_eq(rt_rule_add(s, &u, true, true), -EEXIST);
	ck_assert_int_eq(via_flow(s, "192.0.2.1", "10.0.0.7", 1), 3);
	ck_assert_int_eq(via_flow(s, "192.0.2.1", "10.0.1.7", 1), 2);
	ck_assert_int_eq(via_flow(s, "192.0.2.1", NULL, 1), 2);
	ck_assert_int_eq(via(s, 0, "192.0.2.1"), 2);
	/* a table without the destination lets the next rule decide */
	rule(&u, AF_INET, FR_ACT_TO_TBL, 101);
	u.priority = 10;
	ck_assert_int_eq(rt_rule_add(s, &u, true, true), 0);
	ck_assert_int_eq(via_flow(s, "10.1.2.3", NULL, 1), 4);
	ck_assert_int_eq(via_flow(s, "10.2.2.3", NULL, 1), 2);
	/* not iif lo: only forwarded packets; iif of a device that does not
	 * exist matches nothing until it does */
	rule(&u, AF_INET, FR_ACT_PROHIBIT, 0);
	u.priority = 5;
	strcpy(u.iifname, "eth1");
	ck_assert_int_eq(rt_rule_add(s, &u, true, true), 0);
	ck_assert_int_eq(via_flow(s, "10.2.2.3", NULL, 5), 2);
	rt_rule_dev(s, 5, "eth1");
	ck_assert_int_eq(via_flow(s, "10.2.2.3", NULL, 5), -EACCES);
	ck_assert_int_eq(via_flow(s, "10.2.2.3", NULL, 1), 2);
	rt_rule_dev(s, 5, "eth2");	/* renamed: detached */
	ck_assert_int_eq(via_flow(s, "10.2.2.3", NULL, 5), 2);
	rule(&u, AF_INET, FR_ACT_UNREACHABLE, 0);
	u.priority = 6;
	strcpy(u.iifname, "lo");
	u.iif = 1;
	u.flags = FIB_RULE_INVERT;
	ck_assert_int_eq(rt_rule_add(s, &u, true, true), 0);
	ck_assert_int_eq(via_flow(s, "10.2.2.3", NULL, 7), -ENETUNREACH);
	ck_assert_int_eq(via_flow(s, "10.2.2.3", NULL, 1), 2);
	/* goto jumps over the blackhole at 3; nop does nothing */
	rule(&u, AF_INET, FR_ACT_BLACKHOLE, 0);
	u.priority = 3;
	ck_assert_int_eq(rt_rule_add(s, &u, true, true), 0);
	ck_assert_int_eq(via_flow(s, "10.1.2.3", NULL, 1), -EINVAL);
	rule(&u, AF_INET, FR_ACT_GOTO, 0);
	u.priority = 2;
	u.target = 4;
	ck_assert_int_eq(rt_rule_add(s, &u, true, true), 0);
	ck_assert_uint_eq(rt_rule_flags(s, &u) & FIB_RULE_UNRESOLVED, FIB_RULE_UNRESOLVED);
	ck_assert_int_eq(via_flow(s, "10.1.2.3", NULL, 1), -EINVAL);
	rule(&u, AF_INET, FR_ACT_NOP, 0);
	u.priority = 4;
	ck_assert_int_eq(rt_rule_add(s, &u, true, true), 0);
	ck_assert_int_eq(via_flow(s, "10.1.2.3", NULL, 1), 4);
	u.target = 2;
	u.action = FR_ACT_GOTO;
	u.priority = 7;
	ck_assert_int_eq(rt_rule_add(s, &u, true, false), -EINVAL);	/* backward */
	/* suppress_prefixlength 0: main's default route does not count */
	rule(&u, AF_INET, FR_ACT_TO_TBL, MAIN);
	u.priority = 1;
	u.suppress_prefixlen = 0;
	ck_assert_int_eq(rt_rule_add(s, &u, true, true), 0);
	ck_assert_int_eq(via_flow(s, "10.1.2.3", NULL, 1), 4);
	rt_add(s, mk(&r, "10.1.2.0", 24, MAIN, RTN_UNICAST, 0, 9, NULL), NEW_FLAGS);
	ck_assert_int_eq(via_flow(s, "10.1.2.3", NULL, 1), 9);
	/* rt_route() copies the route a rule found */
	{
		struct rt_result res;
		uint8_t a[16];

		addr_of("10.1.2.3", a);
		ck_assert_int_eq(rt_route(s, AF_INET, a, NULL, 0, &res), 0);
		ck_assert_uint_eq(res.route.table, MAIN);
		ck_assert_uint_eq(res.route.dst_len, 24);
	}
	/* delete by what was given; the walk lists the rest in order */
	rule(&u, AF_INET, FR_ACT_TO_TBL, MAIN);
	u.priority = 1;
	ck_assert_int_eq(rt_rule_del(s, &u, RT_RULE_PRIORITY | RT_RULE_TABLE), 0);
	ck_assert_int_eq(rt_rule_del(s, &u, RT_RULE_PRIORITY | RT_RULE_TABLE), -ENOENT);
	{
		static const uint32_t left[] = { 0, 2, 3, 4, 5, 6, 10, 32765, 32766, 32767 };
		struct rt_rule m;
		size_t k;

		for (k = 0; k < sizeof(left) / sizeof(left[0]); k++) {
			m.family = AF_INET;
			m.priority = left[k];
			if (left[k] && left[k] < 32766)
				ck_assert_int_eq(rt_rule_del(s, &m, RT_RULE_PRIORITY), 0);
		}
	}
	ck_assert(rt_rules_default(s, AF_INET));
	ck_assert_int_eq(via_flow(s, "192.0.2.1", "10.0.0.7", 1), 2);
	/* without the main rule nothing routes */
	rule(&u, AF_INET, 0, MAIN);
	ck_assert_int_eq(rt_rule_del(s, &u, RT_RULE_TABLE), 0);
	ck_assert_int_eq(via(s, 0, "192.0.2.1"), -ENETUNREACH);
	rt_set_free(s);
}
END_TEST

/* Metrics, realm and IPv6 preference are kept with the route, and two
 * routes that differ only in them are told apart */
START_TEST(rt_metrics_kept_and_reported)
{
	struct rt_set *s = set_new();
	struct rt_result res;
	struct rt_route r;
	uint8_t a[16];

	mk(&r, "10.1.0.0", 16, MAIN, RTN_UNICAST, 0, 2, NULL);
	r.mtu = 1400;
	r.metrics[RTAX_ADVMSS] = 1360;
	r.metrics[RTAX_LOCK] = 1 << RTAX_MTU;
	strcpy(r.cc_algo, "reno");
	r.realm = 9;
	ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), 0);
	mk(&r, "10.2.0.0", 16, MAIN, RTN_UNICAST, 0, 2, NULL);
	ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), 0);
	addr_of("10.1.2.3", a);
	ck_assert_int_eq(rt_lookup(s, MAIN, AF_INET, a, 0, &res), 0);
	ck_assert_uint_eq(res.route.mtu, 1400);
	ck_assert_uint_eq(res.route.metrics[RTAX_ADVMSS], 1360);
	ck_assert_uint_eq(res.route.metrics[RTAX_LOCK], 1 << RTAX_MTU);
	ck_assert_str_eq(res.route.cc_algo, "reno");
	ck_assert_uint_eq(res.route.realm, 9);
	addr_of("10.2.2.3", a);
	ck_assert_int_eq(rt_lookup(s, MAIN, AF_INET, a, 0, &res), 0);
	ck_assert_uint_eq(res.route.mtu, 0);
	ck_assert_uint_eq(res.route.metrics[RTAX_ADVMSS], 0);
	ck_assert_str_eq(res.route.cc_algo, "");
	mk(&r, "fd00:1::", 64, MAIN, RTN_UNICAST, 1024, 2, NULL);
	r.pref = 1;
	r.metrics[RTAX_HOPLIMIT] = 5;
	ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), 0);
	addr_of("fd00:1::9", a);
	ck_assert_int_eq(rt_lookup(s, MAIN, AF_INET6, a, 0, &res), 0);
	ck_assert_uint_eq(res.route.pref, 1);
	ck_assert_uint_eq(res.route.metrics[RTAX_HOPLIMIT], 5);
	rt_set_free(s);
}
END_TEST

/* Tables exist as Linux's: main and local, then those a route was
 * added to (after its routes are gone too), an IPv6 rule named, or an
 * IPv4 rule given table 0 was given */
START_TEST(rt_tables_stay_once_made)
{
	struct rt_set *s = set_new();
	struct rt_route r;
	struct rt_rule u;

	ck_assert(rt_table_exists(s, AF_INET, MAIN));
	ck_assert(rt_table_exists(s, AF_INET6, LOCAL));
	ck_assert(!rt_table_exists(s, AF_INET, DFLT));
	ck_assert(!rt_table_exists(s, AF_INET, 100));
	ck_assert_int_eq(rt_add(s, mk(&r, "10.1.0.0", 16, 100, RTN_UNICAST, 0, 2, NULL),
				NEW_FLAGS), 0);
	ck_assert_int_eq(rt_del(s, &r, 0), 0);
	ck_assert(rt_table_exists(s, AF_INET, 100));
	ck_assert(!rt_table_exists(s, AF_INET6, 100));
	memset(&u, 0, sizeof(u));
	u.family = AF_INET6;
	u.action = FR_ACT_TO_TBL;
	u.table = 200;
	u.suppress_prefixlen = -1;
	ck_assert_int_eq(rt_rule_add(s, &u, false, false), 0);
	ck_assert(rt_table_exists(s, AF_INET6, 200));
	ck_assert(!rt_table_exists(s, AF_INET, 200));
	ck_assert_uint_eq(rt_rule_free_table(s), 1);
	ck_assert(rt_table_exists(s, AF_INET, 1));
	ck_assert_uint_eq(rt_rule_free_table(s), 2);
	rt_set_free(s);
}
END_TEST

/* rt_table_ids(): every table, empty ones too, in Linux's order: by id
 * & 255, the newest first among equals, main and local the oldest of
 * theirs (what /proc/net/fib_triestat lists) */
START_TEST(rt_table_ids_in_linux_order)
{
	static const uint32_t made[] = { 100, 511, 356, 510 };
	static const uint32_t want[] = { 356, 100, 510, MAIN, 511, LOCAL };
	struct rt_set *s = set_new();
	uint32_t ids[8];
	struct rt_route r;
	size_t k;

	ck_assert_uint_eq(rt_table_ids(s, AF_INET, ids, 8), 2);
	ck_assert_uint_eq(ids[0], MAIN);
	ck_assert_uint_eq(ids[1], LOCAL);
	for (k = 0; k < 4; k++) {
		ck_assert_int_eq(rt_add(s, mk(&r, "10.1.0.0", 16, made[k], RTN_UNICAST,
					      0, 2, NULL), NEW_FLAGS), 0);
		ck_assert_int_eq(rt_del(s, &r, 0), 0);
	}
	ck_assert_uint_eq(rt_table_ids(s, AF_INET, ids, 8), 6);
	for (k = 0; k < 6; k++)
		ck_assert_uint_eq(ids[k], want[k]);
	/* only @max written; IPv6 has its own list */
	ids[1] = 0;
	ck_assert_uint_eq(rt_table_ids(s, AF_INET, ids, 1), 6);
	ck_assert_uint_eq(ids[1], 0);
	ck_assert_uint_eq(rt_table_ids(s, AF_INET6, NULL, 0), 2);
	rt_set_free(s);
}
END_TEST

/* rt_lookup_scoped(): fib_check_nh_v4_gw()'s lookup takes only routes of
 * the scope asked for or above, longest prefix first, in list order, on
 * the device asked for; a reject route met ends it with its error; the
 * rules decide which tables, in turn */
START_TEST(rt_lookup_scoped_as_gateway_check)
{
	struct rt_set *s = set_new();
	struct rt_result res;
	struct rt_route r;
	struct rt_rule u;
	uint8_t a[16];

	/* a connected /16 on 2, a /24 and a /32 through gateways in it, a
	 * connected /8 on 3 in table 100 */
	mk(&r, "10.1.0.0", 16, MAIN, RTN_UNICAST, 0, 2, NULL);
	r.scope = RT_SCOPE_LINK;
	ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), 0);
	ck_assert_int_eq(rt_add(s, mk(&r, "10.1.2.0", 24, MAIN, RTN_UNICAST, 0, 2,
				      "10.1.2.9"), NEW_FLAGS), 0);
	ck_assert_int_eq(rt_add(s, mk(&r, "10.1.2.9", 32, MAIN, RTN_UNICAST, 0, 2,
				      "10.1.2.8"), NEW_FLAGS), 0);
	mk(&r, "10.0.0.0", 8, 100, RTN_UNICAST, 0, 3, NULL);
	r.scope = RT_SCOPE_LINK;
	ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), 0);
	addr_of("10.1.2.9", a);
	ck_assert_int_eq(rt_lookup_scoped(s, 0, AF_INET, a, RT_SCOPE_LINK, 0, &res), 0);
	ck_assert_uint_eq(res.route.dst_len, 16);	/* not the /32, nor the /24 */
	ck_assert_uint_eq(res.route.nh[res.nh].ifindex, 2);
	/* the plain lookup takes the /32 */
	ck_assert_int_eq(rt_lookup(s, 0, AF_INET, a, 0, &res), 0);
	ck_assert_uint_eq(res.route.dst_len, 32);
	/* a device none of them is on; a scope none has */
	ck_assert_int_eq(rt_lookup_scoped(s, 0, AF_INET, a, RT_SCOPE_LINK, 3, &res),
			 -ENETUNREACH);
	ck_assert_int_eq(rt_lookup_scoped(s, 0, AF_INET, a, RT_SCOPE_HOST, 0, &res),
			 -ENETUNREACH);
	/* a table alone: its miss is -EAGAIN; one not there -ENETUNREACH */
	ck_assert_int_eq(rt_lookup_scoped(s, 100, AF_INET, a, RT_SCOPE_LINK, 0, &res), 0);
	ck_assert_uint_eq(res.route.nh[res.nh].ifindex, 3);
	addr_of("192.0.2.1", a);
	ck_assert_int_eq(rt_lookup_scoped(s, 100, AF_INET, a, RT_SCOPE_LINK, 0, &res),
			 -EAGAIN);
	ck_assert_int_eq(rt_lookup_scoped(s, 77, AF_INET, a, RT_SCOPE_LINK, 0, &res),
			 -ENETUNREACH);
	/* a reject route of the scope ends the search with its error; one
	 * of a lower scope is passed over */
	mk(&r, "10.1.3.0", 24, MAIN, RTN_PROHIBIT, 0, 0, NULL);
	r.scope = RT_SCOPE_LINK;
	ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), 0);
	ck_assert_int_eq(rt_add(s, mk(&r, "10.1.4.0", 24, MAIN, RTN_BLACKHOLE, 0, 0,
				      NULL), NEW_FLAGS), 0);
	addr_of("10.1.3.1", a);
	ck_assert_int_eq(rt_lookup_scoped(s, 0, AF_INET, a, RT_SCOPE_LINK, 0, &res),
			 -EACCES);
	addr_of("10.1.4.1", a);
	ck_assert_int_eq(rt_lookup_scoped(s, 0, AF_INET, a, RT_SCOPE_LINK, 0, &res), 0);
	ck_assert_uint_eq(res.route.dst_len, 16);
	/* rules: table 100 first finds its /8 */
	rule(&u, AF_INET, FR_ACT_TO_TBL, 100);
	u.priority = 10;
	ck_assert_int_eq(rt_rule_add(s, &u, true, true), 0);
	addr_of("10.1.2.9", a);
	ck_assert_int_eq(rt_lookup_scoped(s, 0, AF_INET, a, RT_SCOPE_LINK, 0, &res), 0);
	ck_assert_uint_eq(res.route.dst_len, 8);
	/* ... unless it is for another device: main's /16 then */
	ck_assert_int_eq(rt_lookup_scoped(s, 0, AF_INET, a, RT_SCOPE_LINK, 2, &res), 0);
	ck_assert_uint_eq(res.route.dst_len, 16);
	ck_assert_int_eq(rt_lookup_scoped(s, 0, AF_INET6, a, RT_SCOPE_LINK, 0, &res),
			 -EINVAL);
	rt_set_free(s);
}
END_TEST

/* ---- ECMP ---- */

START_TEST(rt_ecmp_follows_weights_same_hash_same_nh)
{
	struct rt_set *s = set_new();
	unsigned int count[3] = { 0 }, k;
	uint8_t a[16], gw[16];
	uint32_t ifindex, first;
	struct rt_route r;

	mk(&r, "10.0.0.0", 8, MAIN, RTN_UNICAST, 0, 1, "192.0.2.1");
	r.n_nh = 3;
	r.nh[1] = r.nh[0];
	r.nh[1].ifindex = 2;
	r.nh[1].weight = 2;
	r.nh[2] = r.nh[0];
	r.nh[2].ifindex = 3;
	r.nh[2].weight = 5;
	ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), 0);
	addr_of("10.1.2.3", a);
	for (k = 0; k < 80000; k++) {
		ck_assert_int_eq(fast(s, MAIN, AF_INET, a, k * 2654435761u,
						&ifindex, gw), RTN_UNICAST);
		ck_assert(ifindex >= 1 && ifindex <= 3);
		count[ifindex - 1]++;
	}
	/* 1:2:5 of 80000 is 10000, 20000, 50000 */
	ck_assert(count[0] > 9000 && count[0] < 11000);
	ck_assert(count[1] > 18500 && count[1] < 21500);
	ck_assert(count[2] > 48000 && count[2] < 52000);
	for (k = 0; k < 1000; k++) {
		fast(s, MAIN, AF_INET, a, k * 40503u, &first, gw);
		fast(s, MAIN, AF_INET, a, k * 40503u, &ifindex, gw);
		ck_assert_uint_eq(first, ifindex);
	}
	rt_set_free(s);
}
END_TEST

/* ---- addresses and devices ---- */

struct seen {
	struct rt_route r[32];
	enum rt_event ev[32];
	unsigned int n;
};

static void on_change(void *arg, enum rt_event ev, const struct rt_route *r)
{
	struct seen *sn = arg;

	ck_assert_uint_lt(sn->n, 32);
	sn->ev[sn->n] = ev;
	sn->r[sn->n++] = *r;
}

static int collect_fn(void *arg, const struct rt_route *r)
{
	struct seen *sn = arg;

	ck_assert_uint_lt(sn->n, 32);
	sn->ev[sn->n] = RT_EV_NEW;
	sn->r[sn->n++] = *r;
	return 0;
}

static void expect(const struct rt_route *got, uint32_t table, uint8_t type,
		   const char *dst, uint8_t len, uint8_t scope, uint32_t prio,
		   uint32_t ifindex, const char *src)
{
	uint8_t a[16];

	ck_assert_uint_eq(got->table, table);
	ck_assert_uint_eq(got->type, type);
	addr_of(dst, a);
	ck_assert_mem_eq(got->dst, a, 16);
	ck_assert_uint_eq(got->dst_len, len);
	ck_assert_uint_eq(got->scope, scope);
	ck_assert_uint_eq(got->priority, prio);
	ck_assert_uint_eq(got->protocol, RTPROT_KERNEL);
	ck_assert_uint_eq(got->n_nh, 1);
	ck_assert_uint_eq(got->nh[0].ifindex, ifindex);
	ck_assert(!got->nh[0].has_gw);
	ck_assert_int_eq(got->has_prefsrc, src != NULL);
	if (src) {
		addr_of(src, a);
		ck_assert_mem_eq(got->prefsrc, a, 16);
	}
}

START_TEST(rt_addr_add_v4_derives_exact_routes)
{
	struct rt_set *s = set_new();
	struct seen sn = { .n = 0 };
	uint8_t a[16];

	addr_of("192.168.1.10", a);
	ck_assert_int_eq(rt_addr_add(s, 4, AF_INET, a, 24, NULL, true), 0);
	ck_assert_int_eq(rt_walk(s, 0, 0, NULL, collect_fn, &sn), 0);
	ck_assert_uint_eq(sn.n, 3);
	expect(&sn.r[0], MAIN, RTN_UNICAST, "192.168.1.0", 24, RT_SCOPE_LINK, 0, 4,
	       "192.168.1.10");
	expect(&sn.r[1], LOCAL, RTN_LOCAL, "192.168.1.10", 32, RT_SCOPE_HOST, 0, 4,
	       "192.168.1.10");
	expect(&sn.r[2], LOCAL, RTN_BROADCAST, "192.168.1.255", 32, RT_SCOPE_LINK, 0, 4,
	       "192.168.1.10");
	ck_assert_int_eq(via(s, 0, "192.168.1.77"), 4);
	/* a second address in the subnet adds its local route only, with
	 * the first (its primary) as source, as fib_add_ifaddr() */
	addr_of("192.168.1.11", a);
	ck_assert_int_eq(rt_addr_add(s, 4, AF_INET, a, 24, NULL, true), 0);
	ck_assert_uint_eq(count_routes(s), 4);
	sn.n = 0;
	ck_assert_int_eq(rt_walk(s, LOCAL, AF_INET, NULL, collect_fn, &sn), 0);
	ck_assert_uint_eq(sn.n, 3);
	expect(&sn.r[1], LOCAL, RTN_LOCAL, "192.168.1.11", 32, RT_SCOPE_HOST, 0, 4,
	       "192.168.1.10");
	ck_assert_int_eq(rt_addr_del(s, 4, AF_INET, a, 24, NULL), 0);
	ck_assert_uint_eq(count_routes(s), 3);
	addr_of("192.168.1.10", a);
	ck_assert_int_eq(rt_addr_del(s, 4, AF_INET, a, 24, NULL), 0);
	ck_assert_uint_eq(count_routes(s), 0);
	ck_assert_int_eq(rt_addr_del(s, 4, AF_INET, a, 24, NULL), -EADDRNOTAVAIL);
	/* link down: the local route alone (fib_add_ifaddr() stops there);
	 * /31: no broadcast; /32: local only */
	addr_of("10.0.0.1", a);
	ck_assert_int_eq(rt_addr_add(s, 5, AF_INET, a, 8, NULL, false), 0);
	ck_assert_uint_eq(count_routes(s), 1);
	ck_assert_int_eq(rt_addr_add(s, 5, AF_INET, a, 8, NULL, true), 0);
	ck_assert_uint_eq(count_routes(s), 3);
	addr_of("10.9.0.1", a);
	ck_assert_int_eq(rt_addr_add(s, 6, AF_INET, a, 31, NULL, true), 0);
	ck_assert_uint_eq(count_routes(s), 5);
	addr_of("10.8.0.1", a);
	ck_assert_int_eq(rt_addr_add(s, 6, AF_INET, a, 32, NULL, true), 0);
	ck_assert_uint_eq(count_routes(s), 6);
	ck_assert_int_eq(rt_addr_add(s, 0, AF_INET, a, 32, NULL, true), -EINVAL);
	ck_assert_int_eq(rt_addr_add(s, 6, AF_INET, a, 33, NULL, true), -EINVAL);
	rt_set_free(s);
}
END_TEST

/* noprefixroute: the local and broadcast routes only; added again
 * without it, the connected route comes; with it again, it goes (unless
 * another address implies it) */
START_TEST(rt_addr_noprefixroute_toggles_connected)
{
	struct rt_set *s = set_new();
	uint8_t a[16], b[16];

	addr_of("192.168.1.10", a);
	ck_assert_int_eq(rt_addr_add_flags(s, 4, AF_INET, a, 24, NULL, true,
					   RT_ADDR_NOPREFIXROUTE), 0);
	ck_assert_uint_eq(count_routes(s), 2);
	ck_assert_int_eq(via(s, 0, "192.168.1.77"), -ENETUNREACH);
	ck_assert_int_eq(rt_addr_add_flags(s, 4, AF_INET, a, 24, NULL, true, 0), 0);
	ck_assert_uint_eq(count_routes(s), 3);
	ck_assert_int_eq(rt_addr_add_flags(s, 4, AF_INET, a, 24, NULL, true,
					   RT_ADDR_NOPREFIXROUTE), 0);
	ck_assert_uint_eq(count_routes(s), 2);
	ck_assert_int_eq(rt_addr_del(s, 4, AF_INET, a, 24, NULL), 0);
	ck_assert_uint_eq(count_routes(s), 0);
	/* IPv6: another address of the prefix keeps the route */
	addr_of("fd00::1", a);
	addr_of("fd00::2", b);
	ck_assert_int_eq(rt_addr_add(s, 3, AF_INET6, a, 64, NULL, true), 0);
	ck_assert_int_eq(rt_addr_add(s, 3, AF_INET6, b, 64, NULL, true), 0);
	ck_assert_uint_eq(count_routes(s), 3);
	ck_assert_int_eq(rt_addr_add_flags(s, 3, AF_INET6, a, 64, NULL, true,
					   RT_ADDR_NOPREFIXROUTE), 0);
	ck_assert_uint_eq(count_routes(s), 3);
	ck_assert_int_eq(rt_addr_del(s, 3, AF_INET6, b, 64, NULL), 0);
	ck_assert_uint_eq(count_routes(s), 1);	/* fd00::1's local route */
	rt_set_free(s);
}
END_TEST

START_TEST(rt_addr_add_v6_derives_exact_routes)
{
	struct rt_set *s = set_new();
	struct seen sn = { .n = 0 };
	uint8_t a[16];

	addr_of("2001:db8:1::5", a);
	ck_assert_int_eq(rt_addr_add(s, 3, AF_INET6, a, 64, NULL, true), 0);
	ck_assert_int_eq(rt_walk(s, 0, AF_INET6, NULL, collect_fn, &sn), 0);
	ck_assert_uint_eq(sn.n, 2);
	expect(&sn.r[0], MAIN, RTN_UNICAST, "2001:db8:1::", 64, RT_SCOPE_UNIVERSE, 256, 3,
	       NULL);
	expect(&sn.r[1], LOCAL, RTN_LOCAL, "2001:db8:1::5", 128, RT_SCOPE_UNIVERSE, 0, 3,
	       NULL);
	ck_assert_int_eq(via(s, 0, "2001:db8:1::99"), 3);
	ck_assert_int_eq(rt_addr_del(s, 3, AF_INET6, a, 64, NULL), 0);
	ck_assert_uint_eq(count_routes(s), 0);
	rt_set_free(s);
}
END_TEST

/* Point-to-point addresses: IPv4 prefixes are the peer's (fib_add_ifaddr()
 * with ifa_address), IPv6 adds a /128 route to the peer */
START_TEST(rt_addr_add_peer_derives_peer_routes)
{
	struct rt_set *s = set_new();
	struct seen sn = { .n = 0 };
	uint8_t a[16], p[16], q[16];

	addr_of("10.9.0.1", a);
	addr_of("10.9.0.2", p);
	ck_assert_int_eq(rt_addr_add(s, 4, AF_INET, a, 32, p, true), 0);
	ck_assert_int_eq(rt_walk(s, 0, 0, NULL, collect_fn, &sn), 0);
	ck_assert_uint_eq(sn.n, 2);
	expect(&sn.r[0], MAIN, RTN_UNICAST, "10.9.0.2", 32, RT_SCOPE_LINK, 0, 4, "10.9.0.1");
	expect(&sn.r[1], LOCAL, RTN_LOCAL, "10.9.0.1", 32, RT_SCOPE_HOST, 0, 4, "10.9.0.1");
	/* the same address with another peer is another address */
	addr_of("10.9.0.3", q);
	ck_assert_int_eq(rt_addr_add(s, 4, AF_INET, a, 32, q, true), 0);
	ck_assert_uint_eq(count_routes(s), 3);
	ck_assert_int_eq(rt_addr_del(s, 4, AF_INET, a, 32, NULL), -EADDRNOTAVAIL);
	ck_assert_int_eq(rt_addr_del(s, 4, AF_INET, a, 32, p), 0);
	ck_assert_uint_eq(count_routes(s), 2);	/* the local route stays */
	ck_assert_int_eq(via(s, 0, "10.9.0.2"), -ENETUNREACH);
	ck_assert_int_eq(via(s, 0, "10.9.0.3"), 4);
	ck_assert_int_eq(rt_addr_del(s, 4, AF_INET, a, 32, q), 0);
	ck_assert_uint_eq(count_routes(s), 0);
	/* a peer equal to the address is none */
	ck_assert_int_eq(rt_addr_add(s, 4, AF_INET, a, 32, a, true), 0);
	ck_assert_uint_eq(count_routes(s), 1);
	ck_assert_int_eq(rt_addr_del(s, 4, AF_INET, a, 32, NULL), 0);

	/* a peer's subnet: connected and broadcast routes are its, and an
	 * address in it is a secondary of the first (its source) */
	addr_of("10.0.20.1", a);
	addr_of("10.0.30.2", p);
	ck_assert_int_eq(rt_addr_add(s, 5, AF_INET, a, 24, p, true), 0);
	addr_of("10.0.30.7", q);
	ck_assert_int_eq(rt_addr_add(s, 5, AF_INET, q, 24, NULL, true), 0);
	sn.n = 0;
	ck_assert_int_eq(rt_walk(s, 0, 0, NULL, collect_fn, &sn), 0);
	ck_assert_uint_eq(sn.n, 4);
	expect(&sn.r[0], MAIN, RTN_UNICAST, "10.0.30.0", 24, RT_SCOPE_LINK, 0, 5, "10.0.20.1");
	expect(&sn.r[1], LOCAL, RTN_LOCAL, "10.0.20.1", 32, RT_SCOPE_HOST, 0, 5, "10.0.20.1");
	expect(&sn.r[2], LOCAL, RTN_LOCAL, "10.0.30.7", 32, RT_SCOPE_HOST, 0, 5, "10.0.20.1");
	expect(&sn.r[3], LOCAL, RTN_BROADCAST, "10.0.30.255", 32, RT_SCOPE_LINK, 0, 5,
	       "10.0.20.1");
	rt_link_gone(s, 5);

	/* IPv6: the address's own prefix, and the peer's /128 */
	addr_of("fd01::1", a);
	addr_of("fd01::2", p);
	ck_assert_int_eq(rt_addr_add(s, 3, AF_INET6, a, 128, p, false), 0);
	ck_assert_uint_eq(count_routes(s), 1);	/* the link is down */
	ck_assert_int_eq(rt_addr_add(s, 3, AF_INET6, a, 128, p, true), 0);
	sn.n = 0;
	ck_assert_int_eq(rt_walk(s, 0, 0, NULL, collect_fn, &sn), 0);
	ck_assert_uint_eq(sn.n, 3);
	expect(&sn.r[0], MAIN, RTN_UNICAST, "fd01::1", 128, RT_SCOPE_UNIVERSE, 256, 3, NULL);
	expect(&sn.r[1], MAIN, RTN_UNICAST, "fd01::2", 128, RT_SCOPE_UNIVERSE, 256, 3, NULL);
	expect(&sn.r[2], LOCAL, RTN_LOCAL, "fd01::1", 128, RT_SCOPE_UNIVERSE, 0, 3, NULL);
	ck_assert_int_eq(rt_addr_del(s, 3, AF_INET6, a, 128, p), 0);
	ck_assert_uint_eq(count_routes(s), 0);
	rt_set_free(s);
}
END_TEST

/* An address gone: IPv4 routes with it as their source go, every table,
 * told; IPv6 ones through its device keep their route without it */
START_TEST(rt_flush_prefsrc_as_linux)
{
	struct rt_set *s = set_new();
	struct seen sn = { .n = 0 };
	struct rt_route r;
	uint8_t a[16];

	addr_of("10.0.8.1", a);
	mk(&r, "10.47.0.0", 16, MAIN, RTN_UNICAST, 0, 4, "10.0.0.9");
	r.has_prefsrc = true;
	memcpy(r.prefsrc, a, 4);
	ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), 0);
	r.table = 100;
	ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), 0);
	r.table = MAIN;
	r.dst[1] = 48;				/* 10.48/16: another source */
	r.prefsrc[3] = 2;
	ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), 0);
	addr_of("fd00:8::1", a);
	mk(&r, "fd09::", 64, MAIN, RTN_UNICAST, 1024, 4, "fd00::9");
	r.has_prefsrc = true;
	memcpy(r.prefsrc, a, 16);
	ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), 0);
	r.dst[1] = 0x0a;			/* fd0a::/64 through device 5 */
	r.nh[0].ifindex = 5;
	ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), 0);
	ck_assert_uint_eq(count_routes(s), 5);

	rt_set_notify(s, on_change, &sn);
	addr_of("10.0.8.1", a);
	rt_flush_prefsrc(s, AF_INET, a, 4);
	ck_assert_uint_eq(count_routes(s), 3);
	ck_assert_uint_eq(sn.n, 2);
	ck_assert_int_eq(sn.ev[0], RT_EV_DEL);
	ck_assert_int_eq(sn.ev[1], RT_EV_DEL);
	ck_assert_int_eq(via(s, 0, "10.48.0.1"), 4);
	addr_of("fd00:8::1", a);
	rt_flush_prefsrc(s, AF_INET6, a, 4);
	ck_assert_uint_eq(count_routes(s), 3);
	sn.n = 0;
	rt_set_notify(s, NULL, NULL);
	ck_assert_int_eq(rt_walk(s, MAIN, AF_INET6, NULL, collect_fn, &sn), 0);
	ck_assert_uint_eq(sn.n, 2);
	ck_assert(!sn.r[0].has_prefsrc);	/* fd09::/64, through 4 */
	ck_assert(sn.r[1].has_prefsrc);		/* fd0a::/64, through 5 */
	rt_set_free(s);
}
END_TEST

/* rt_covered_via(): a route covering the address through the device,
 * whatever the table's best route for it, in one table only */
START_TEST(rt_covered_via_finds_routes_of_a_device)
{
	struct rt_set *s = set_new();
	struct rt_route r;
	uint8_t a[16];

	rt_add(s, mk(&r, "fe80::", 64, MAIN, RTN_UNICAST, 256, 2, NULL), NEW_FLAGS);
	rt_add(s, mk(&r, "fe80::", 64, MAIN, RTN_UNICAST, 512, 3, NULL), NEW_FLAGS);
	rt_add(s, mk(&r, "2001:db8::", 32, MAIN, RTN_UNICAST, 1024, 4, "fe80::1"), NEW_FLAGS);
	addr_of("fe80::99", a);
	ck_assert(rt_covered_via(s, MAIN, AF_INET6, a, 2));
	ck_assert(rt_covered_via(s, MAIN, AF_INET6, a, 3));	/* not the best */
	ck_assert(!rt_covered_via(s, MAIN, AF_INET6, a, 4));
	ck_assert(!rt_covered_via(s, LOCAL, AF_INET6, a, 2));
	addr_of("2001:db8:1::5", a);
	ck_assert(rt_covered_via(s, MAIN, AF_INET6, a, 4));
	ck_assert(!rt_covered_via(s, MAIN, AF_INET6, a, 2));
	rt_add(s, mk(&r, "::", 0, MAIN, RTN_UNICAST, 1024, 2, "fe80::1"), NEW_FLAGS);
	ck_assert(rt_covered_via(s, MAIN, AF_INET6, a, 2));	/* the default */
	addr_of("10.1.2.3", a);
	ck_assert(!rt_covered_via(s, MAIN, AF_INET, a, 2));
	rt_add(s, mk(&r, "10.0.0.0", 8, MAIN, RTN_UNICAST, 0, 2, NULL), NEW_FLAGS);
	ck_assert(rt_covered_via(s, MAIN, AF_INET, a, 2));
	rt_set_free(s);
}
END_TEST

START_TEST(rt_link_down_and_gone_flush)
{
	struct rt_set *s = set_new();
	struct rt_route r;
	uint8_t a[16];

	addr_of("192.168.1.10", a);
	rt_addr_add(s, 4, AF_INET, a, 24, NULL, true);
	rt_add(s, mk(&r, "10.0.0.0", 8, MAIN, RTN_UNICAST, 0, 4, "192.168.1.1"), NEW_FLAGS);
	rt_add(s, mk(&r, "2001:db8::", 32, 100, RTN_UNICAST, 0, 4, "fe80::1"), NEW_FLAGS);
	mk(&r, "172.16.0.0", 12, MAIN, RTN_UNICAST, 0, 4, "192.168.1.1");
	r.n_nh = 2;
	r.nh[1] = r.nh[0];
	r.nh[1].ifindex = 5;
	rt_add(s, &r, NEW_FLAGS);
	rt_add(s, mk(&r, "10.5.0.0", 16, MAIN, RTN_UNICAST, 0, 5, NULL), NEW_FLAGS);
	ck_assert_uint_eq(count_routes(s), 7);
	rt_link_down(s, 4);
	/* left: local (table local), the multipath, 10.5/16; the broadcast
	 * route goes, as fib_sync_down_dev() takes it */
	ck_assert_uint_eq(count_routes(s), 3);
	ck_assert_int_eq(via(s, 0, "192.168.1.10"), 4);
	ck_assert_int_eq(via(s, 0, "192.168.1.11"), -ENETUNREACH);
	ck_assert_int_eq(via(s, 0, "10.1.1.1"), -ENETUNREACH);
	rt_link_gone(s, 4);
	/* left: the multipath without its next hop on 4, and 10.5/16 */
	ck_assert_uint_eq(count_routes(s), 2);
	ck_assert_int_eq(via(s, 0, "172.16.0.1"), 5);
	rt_link_gone(s, 5);
	ck_assert_uint_eq(count_routes(s), 0);
	/* the address is forgotten with its device */
	ck_assert_int_eq(rt_addr_del(s, 4, AF_INET, a, 24, NULL), -EADDRNOTAVAIL);
	rt_set_free(s);
}
END_TEST

/* `multicast ff00::/8 dev DEV table local proto kernel metric 256`
 * (addrconf_add_mroute()): once per device, appended, none for lo; it
 * goes on down (rt6_sync_down_dev()) where the IPv6 local routes stay,
 * with IPv6 off (rt6_disable_ip()) and with the device */
START_TEST(rt_dev_mroute_as_linux)
{
	struct rt_set *s = set_new();
	struct seen sn = { .n = 0 };
	struct rt_route r;
	uint8_t a[16];

	rt_set_loopback(s, 1);
	ck_assert_int_eq(rt_dev_mroute_add(s, 1), -EINVAL);
	ck_assert_int_eq(rt_dev_mroute_add(s, 0), -EINVAL);
	ck_assert_int_eq(rt_dev_mroute_add(s, 3), 0);
	ck_assert_int_eq(rt_dev_mroute_add(s, 2), 0);
	ck_assert_int_eq(rt_dev_mroute_add(s, 3), 0);	/* there already */
	ck_assert_int_eq(rt_walk(s, LOCAL, AF_INET6, NULL, collect_fn, &sn), 0);
	ck_assert_uint_eq(sn.n, 2);
	expect(&sn.r[0], LOCAL, RTN_MULTICAST, "ff00::", 8, RT_SCOPE_UNIVERSE, 256, 3,
	       NULL);
	expect(&sn.r[1], LOCAL, RTN_MULTICAST, "ff00::", 8, RT_SCOPE_UNIVERSE, 256, 2,
	       NULL);
	/* the first device's takes a group without a device */
	ck_assert_int_eq(via(s, 0, "ff02::1"), 3);
	ck_assert_int_eq(via(s, 0, "ff05::1"), 3);
	/* one the user made at the same metric through the device counts */
	mk(&r, "ff00::", 8, LOCAL, RTN_MULTICAST, 256, 4, NULL);
	r.n_nh = 1;
	r.nh[0].ifindex = 4;
	r.nh[0].weight = 1;
	ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), -EEXIST);	/* as Linux */
	ck_assert_int_eq(rt_add(s, &r, RT_ADD_CREATE | RT_ADD_APPEND), 0);
	ck_assert_int_eq(rt_dev_mroute_add(s, 4), 0);
	ck_assert_uint_eq(count_routes(s), 3);
	addr_of("fd00::1", a);
	ck_assert_int_eq(rt_addr_add(s, 3, AF_INET6, a, 64, NULL, true), 0);
	ck_assert_uint_eq(count_routes(s), 5);
	rt_link_down(s, 3);	/* the local route stays */
	ck_assert_uint_eq(count_routes(s), 3);
	ck_assert_int_eq(via(s, 0, "ff02::1"), 2);
	ck_assert_int_eq(via(s, 0, "fd00::1"), 3);
	rt_link_flush_family(s, 2, AF_INET6);
	rt_link_gone(s, 4);
	ck_assert_uint_eq(count_routes(s), 1);
	ck_assert_int_eq(via(s, 0, "ff02::1"), -ENETUNREACH);
	rt_set_free(s);
}
END_TEST

START_TEST(rt_notify_every_change_in_order)
{
	struct rt_set *s = set_new();
	struct seen sn = { .n = 0 };
	struct rt_route r;
	uint8_t a[16];

	rt_set_notify(s, on_change, &sn);
	rt_add(s, mk(&r, "10.0.0.0", 8, MAIN, RTN_UNICAST, 0, 1, NULL), NEW_FLAGS);
	rt_add(s, mk(&r, "10.0.0.0", 8, MAIN, RTN_UNICAST, 0, 2, NULL), RT_ADD_REPLACE);
	ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), -EEXIST);	/* no event */
	rt_del(s, &r, 0);
	addr_of("192.168.1.10", a);
	rt_addr_add(s, 3, AF_INET, a, 24, NULL, true);
	rt_link_gone(s, 3);
	ck_assert_uint_eq(sn.n, 9);
	ck_assert_int_eq(sn.ev[0], RT_EV_NEW);
	ck_assert_uint_eq(sn.r[0].nh[0].ifindex, 1);
	ck_assert_int_eq(sn.ev[1], RT_EV_NEW);	/* the replacement, no DEL */
	ck_assert_uint_eq(sn.r[1].nh[0].ifindex, 2);
	ck_assert_int_eq(sn.ev[2], RT_EV_DEL);
	ck_assert_uint_eq(sn.r[2].nh[0].ifindex, 2);
	ck_assert_int_eq(sn.ev[3], RT_EV_NEW);
	ck_assert_uint_eq(sn.r[3].type, RTN_LOCAL);
	/* fib_add_ifaddr()'s order: local, connected, broadcast */
	ck_assert_int_eq(sn.ev[4], RT_EV_NEW);
	ck_assert_uint_eq(sn.r[4].table, MAIN);
	ck_assert_int_eq(sn.ev[5], RT_EV_NEW);
	ck_assert_uint_eq(sn.r[5].type, RTN_BROADCAST);
	ck_assert_int_eq(sn.ev[6], RT_EV_DEL);
	ck_assert_int_eq(sn.ev[7], RT_EV_DEL);
	ck_assert_int_eq(sn.ev[8], RT_EV_DEL);
	rt_set_free(s);
}
END_TEST

/* ---- walks ---- */

struct batch {
	struct rt_route last;
	unsigned int n, max;
	char keys[64][64];
	unsigned int total;
};

static int batch_fn(void *arg, const struct rt_route *r)
{
	struct batch *b = arg;
	char a[INET6_ADDRSTRLEN];

	if (b->n == b->max)
		return 1;
	inet_ntop(r->family, r->dst, a, sizeof(a));
	ck_assert_uint_lt(b->total, 64);
	snprintf(b->keys[b->total++], 64, "%u %s/%u %u", r->table, a, r->dst_len,
		 r->nh[0].ifindex);
	b->last = *r;
	b->n++;
	return 0;
}

START_TEST(rt_walk_ordered_and_resumes_after)
{
	static const char *const want[] = {
		/* Linux's orders: IPv4, then IPv6 (rtnl_dump_all()); in a
		 * family, table by table; IPv4 by address, the longer of
		 * two prefixes with one address first; IPv6 a prefix after
		 * every prefix inside it */
		"100 10.0.0.0/8 1",
		"254 0.0.0.0/0 3", "254 10.0.0.0/16 6", "254 10.0.0.0/8 4",
		"254 10.0.0.0/8 5", "254 10.0.1.0/24 7", "254 10.1.0.0/16 8",
		"254 192.168.0.0/16 9", "255 127.0.0.1/32 13",
		"100 2001:db8::/32 2", "254 2001:db8::/48 12",
		"254 2001:db8::/32 11", "254 ::/0 10",
	};
	struct rt_set *s = set_new();
	struct batch b = { .total = 0 };
	struct rt_route r;
	unsigned int k, rounds = 0;
	int ret;

	/* added out of order */
	rt_add(s, mk(&r, "2001:db8::", 48, MAIN, RTN_UNICAST, 0, 12, NULL), NEW_FLAGS);
	rt_add(s, mk(&r, "127.0.0.1", 32, LOCAL, RTN_LOCAL, 0, 13, NULL), NEW_FLAGS);
	rt_add(s, mk(&r, "10.1.0.0", 16, MAIN, RTN_UNICAST, 0, 8, NULL), NEW_FLAGS);
	rt_add(s, mk(&r, "10.0.1.0", 24, MAIN, RTN_UNICAST, 0, 7, NULL), NEW_FLAGS);
	rt_add(s, mk(&r, "10.0.0.0", 8, MAIN, RTN_UNICAST, 0, 4, NULL), NEW_FLAGS);
	rt_add(s, mk(&r, "10.0.0.0", 8, MAIN, RTN_UNICAST, 0, 5, NULL), RT_ADD_CREATE | RT_ADD_APPEND);
	rt_add(s, mk(&r, "2001:db8::", 32, MAIN, RTN_UNICAST, 0, 11, NULL), NEW_FLAGS);
	rt_add(s, mk(&r, "::", 0, MAIN, RTN_UNICAST, 0, 10, NULL), NEW_FLAGS);
	rt_add(s, mk(&r, "10.0.0.0", 16, MAIN, RTN_UNICAST, 0, 6, NULL), NEW_FLAGS);
	rt_add(s, mk(&r, "192.168.0.0", 16, MAIN, RTN_UNICAST, 0, 9, NULL), NEW_FLAGS);
	rt_add(s, mk(&r, "2001:db8::", 32, 100, RTN_UNICAST, 0, 2, NULL), NEW_FLAGS);
	rt_add(s, mk(&r, "10.0.0.0", 8, 100, RTN_UNICAST, 0, 1, NULL), NEW_FLAGS);
	rt_add(s, mk(&r, "0.0.0.0", 0, MAIN, RTN_UNICAST, 0, 3, NULL), NEW_FLAGS);
	ck_assert_uint_eq(count_routes(s), 13);
	/* batches of 3, each resuming after the last route seen */
	b.max = 3;
	do {
		b.n = 0;
		ret = rt_walk(s, 0, 0, rounds ? &b.last : NULL, batch_fn, &b);
		rounds++;
	} while (ret == 1 && rounds < 20);
	ck_assert_int_eq(ret, 0);
	ck_assert_uint_eq(b.total, sizeof(want) / sizeof(want[0]));
	for (k = 0; k < b.total; k++)
		ck_assert_str_eq(b.keys[k], want[k]);
	/* one table, one family */
	memset(&b, 0, sizeof(b));
	b.max = 64;
	ck_assert_int_eq(rt_walk(s, MAIN, AF_INET6, NULL, batch_fn, &b), 0);
	ck_assert_uint_eq(b.total, 3);
	ck_assert_str_eq(b.keys[0], want[10]);
	/* resuming after a route deleted meanwhile goes on after its key */
	memset(&b, 0, sizeof(b));
	b.max = 64;
	mk(&r, "10.0.0.0", 16, MAIN, RTN_UNICAST, 0, 6, NULL);
	ck_assert_int_eq(rt_del(s, &r, 0), 0);
	ck_assert_int_eq(rt_walk(s, MAIN, AF_INET, &r, batch_fn, &b), 0);
	ck_assert_uint_eq(b.total, 5);
	ck_assert_str_eq(b.keys[0], want[3]);
	rt_set_free(s);
}
END_TEST

START_TEST(rt_walk_tables_in_linux_order)
{
	/* Linux hashes tables by id & 255, newest first in a bucket, main
	 * and local the oldest of theirs; IPv6 keeps its own tables */
	static const char *const want[] = {
		"512 10.0.12.0/24 1", "256 10.0.6.0/24 1", "5 10.0.5.0/24 1",
		"300 10.0.50.0/24 1", "200 10.0.200.0/24 1",
		"1000 10.0.0.0/24 1", "510 10.0.10.0/24 1",
		"254 10.9.0.0/24 1", "511 10.0.11.0/24 1",
		"255 127.0.0.1/32 1", "300 2001:db8:300::/48 1",
		"1000 2001:db8:1000::/48 1", "254 2001:db8::/48 1",
	};
	static const unsigned int ids[] = { 1000, 300, 5, 256, 200, 512, 510, 511 };
	struct rt_set *s = set_new();
	struct batch b = { .total = 0 };
	struct rt_route r;
	char a[64];
	unsigned int k, rounds = 0;
	int ret;

	rt_add(s, mk(&r, "127.0.0.1", 32, LOCAL, RTN_LOCAL, 0, 1, NULL), NEW_FLAGS);
	rt_add(s, mk(&r, "10.9.0.0", 24, MAIN, RTN_UNICAST, 0, 1, NULL), NEW_FLAGS);
	rt_add(s, mk(&r, "2001:db8::", 48, MAIN, RTN_UNICAST, 0, 1, NULL), NEW_FLAGS);
	for (k = 0; k < sizeof(ids) / sizeof(ids[0]); k++) {
		snprintf(a, sizeof(a), "10.0.%u.0", ids[k] % 250);
		ck_assert_int_eq(rt_add(s, mk(&r, a, 24, ids[k], RTN_UNICAST, 0, 1, NULL),
					NEW_FLAGS), 0);
	}
	/* IPv6 tables of their own: 300 made after 1000 */
	rt_add(s, mk(&r, "2001:db8:1000::", 48, 1000, RTN_UNICAST, 0, 1, NULL), NEW_FLAGS);
	rt_add(s, mk(&r, "2001:db8:300::", 48, 300, RTN_UNICAST, 0, 1, NULL), NEW_FLAGS);
	/* a table emptied stays where it was made, as on Linux */
	rt_add(s, mk(&r, "10.0.100.0", 24, 100, RTN_UNICAST, 0, 1, NULL), NEW_FLAGS);
	ck_assert_int_eq(rt_del(s, &r, 0), 0);
	ck_assert(rt_table_exists(s, AF_INET, 100));
	ck_assert(!rt_table_exists(s, AF_INET6, 100));
	b.max = 2;
	do {
		b.n = 0;
		ret = rt_walk(s, 0, 0, rounds ? &b.last : NULL, batch_fn, &b);
		rounds++;
	} while (ret == 1 && rounds < 20);
	ck_assert_int_eq(ret, 0);
	ck_assert_uint_eq(b.total, sizeof(want) / sizeof(want[0]));
	for (k = 0; k < b.total; k++)
		ck_assert_str_eq(b.keys[k], want[k]);
	rt_set_free(s);
}
END_TEST

/* ---- IPv6 ---- */

START_TEST(rt_v6_create_appends_nexthops)
{
	struct rt_set *s = set_new();
	struct rt_result res;
	struct rt_route r;
	uint8_t a[16];

	rt_add(s, mk(&r, "2001:db8::", 32, MAIN, RTN_UNICAST, 1024, 1, "fe80::1"), NEW_FLAGS);
	ck_assert_int_eq(rt_add(s, mk(&r, "2001:db8::", 32, MAIN, RTN_UNICAST, 1024, 2,
				      "fe80::2"), NEW_FLAGS), -EEXIST);
	ck_assert_int_eq(rt_add(s, &r, RT_ADD_CREATE | RT_ADD_APPEND), 0);
	ck_assert_int_eq(rt_add(s, &r, RT_ADD_CREATE), -EEXIST);
	ck_assert_uint_eq(count_routes(s), 1);
	addr_of("2001:db8::1", a);
	ck_assert_int_eq(rt_lookup(s, MAIN, AF_INET6, a, 0, &res), 0);
	ck_assert_uint_eq(res.route.n_nh, 2);
	ck_assert_uint_eq(res.route.nh[0].ifindex, 1);
	ck_assert_uint_eq(res.route.nh[1].ifindex, 2);
	/* not a gateway route: no merge, a route of its own (IPv4 rules) */
	rt_add(s, mk(&r, "2001:db8::", 32, MAIN, RTN_UNICAST, 1024, 3, NULL), RT_ADD_CREATE);
	ck_assert_uint_eq(count_routes(s), 2);
	ck_assert_int_eq(via(s, MAIN, "2001:db8:ffff::1"), 3);
	ck_assert_int_eq(via(s, MAIN, "2001:db9::1"), -ENETUNREACH);
	mk(&r, "2001:db8::", 32, MAIN, RTN_UNICAST, 1024, 0, NULL);
	r.tos = 1;
	ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), -EINVAL);
	rt_set_free(s);
}
END_TEST

/* ---- memory ---- */

START_TEST(rt_stats_count_back_to_start)
{
	struct rt_set *s = set_new();
	struct rt_stats st0, st;
	struct rt_route r;
	uint8_t a[16];
	unsigned int k;

	for (k = 0; k < 3; k++) {	/* the tables stay once made, as Linux's */
		ck_assert_int_eq(rt_add(s, mk(&r, "10.0.0.0", 8, 1000 + k, RTN_UNICAST,
					      0, 1, NULL), NEW_FLAGS), 0);
		ck_assert_int_eq(rt_del(s, &r, 0), 0);
	}
	rt_set_stats(s, &st0);
	ck_assert_uint_eq(st0.routes, 0);
	ck_assert_uint_gt(st0.bytes, 0);
	for (k = 0; k < 6000; k++) {
		mk(&r, "10.0.0.0", 24, 1000 + k % 3, RTN_UNICAST, k % 2, 1 + k % 5, NULL);
		r.dst[1] = (uint8_t)(k >> 8);
		r.dst[2] = (uint8_t)k;
		r.dst[0] = (uint8_t)(10 + k % 7);
		ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), 0);
	}
	addr_of("192.168.1.10", a);
	rt_addr_add(s, 4, AF_INET, a, 24, NULL, true);
	rt_set_stats(s, &st);
	ck_assert_uint_eq(st.routes, 6003);
	ck_assert_uint_gt(st.bytes, st0.bytes + 6000 * 24);
	rt_addr_del(s, 4, AF_INET, a, 24, NULL);
	for (k = 0; k < 6000; k++) {
		mk(&r, "10.0.0.0", 24, 1000 + k % 3, RTN_UNICAST, 0, 0, NULL);
		r.dst[1] = (uint8_t)(k >> 8);
		r.dst[2] = (uint8_t)k;
		r.dst[0] = (uint8_t)(10 + k % 7);
		ck_assert_int_eq(rt_del(s, &r, 0), 0);
	}
	rt_set_stats(s, &st);
	ck_assert_uint_eq(st.routes, 0);
	ck_assert_uint_eq(st.bytes, st0.bytes);
	rt_set_free(s);
}
END_TEST

/* ---- randomized against a reference ---- */

struct ref {
	uint8_t dst[16];
	uint8_t len;
	uint32_t ifindex;
	bool live;
};

static uint64_t rng = 88172645463325252ull;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static bool ref_covers(const struct ref *p, const uint8_t *a)
{
	unsigned int k;

	for (k = 0; k < p->len; k++)
		if ((p->dst[k / 8] ^ a[k / 8]) & (0x80 >> (k % 8)))
			return false;
	return true;
}

static int ref_lookup(const struct ref *v, unsigned int n, const uint8_t *a)
{
	int best = -1;
	unsigned int k;

	for (k = 0; k < n; k++)
		if (v[k].live && ref_covers(&v[k], a) && (best < 0 || v[k].len > v[best].len))
			best = (int)k;
	return best < 0 ? -ENETUNREACH : (int)v[best].ifindex;
}

/* A random address near the prefixes: taken from one, low bits random */
static void rnd_addr(const struct ref *v, unsigned int n, unsigned int bytes, uint8_t *a)
{
	unsigned int k, keep = rnd() % (8 * bytes + 1);

	memcpy(a, v[rnd() % n].dst, 16);
	for (k = keep; k < 8 * bytes; k++)
		if (rnd() & 1)
			a[k / 8] ^= (uint8_t)(0x80 >> (k % 8));
}

static void random_vs_reference(uint8_t family, unsigned int n, unsigned int rounds)
{
	unsigned int bytes = family == AF_INET ? 4 : 16, k, j, i, len;
	struct rt_set *s = set_new();
	struct rt_stats st0, st;
	struct ref *v = calloc(n, sizeof(*v));
	uint8_t a[16], gw[16];
	struct rt_route r;
	uint32_t ifindex;
	int want, got;

	ck_assert_ptr_nonnull(v);
	rt_set_stats(s, &st0);
	/* prefixes clustered under a few roots, so they nest */
	for (k = 0; k < n; k++) {
		len = k < 8 ? k * 2 : (rnd() % 4 ? 8 + rnd() % (8 * bytes - 7) : rnd() % 9);
		memset(v[k].dst, 0, 16);
		v[k].dst[0] = (uint8_t)(family == AF_INET ? 10 + rnd() % 3 : 0x20);
		for (j = 1; j < bytes; j++)
			v[k].dst[j] = (uint8_t)(rnd() % 4 ? rnd() % 4 : rnd());
		for (j = len; j < 8 * bytes; j++)
			v[k].dst[j / 8] &= (uint8_t)~(0x80 >> (j % 8));
		v[k].len = (uint8_t)len;
		v[k].ifindex = k + 1;
		for (j = 0; j < k; j++)	/* one entry per prefix */
			if (v[j].len == len && !memcmp(v[j].dst, v[k].dst, 16))
				v[k].len = 255;
	}
	for (i = 0; i < rounds; i++) {
		for (k = 0; k < n; k++) {
			if (v[k].len == 255 || rnd() % 3)
				continue;
			memset(&r, 0, sizeof(r));
			r.family = family;
			memcpy(r.dst, v[k].dst, 16);
			r.dst_len = v[k].len;
			r.table = MAIN;
			r.type = RTN_UNICAST;
			r.n_nh = 1;
			r.nh[0].ifindex = v[k].ifindex;
			r.nh[0].weight = 1;
			if (v[k].live) {
				ck_assert_int_eq(rt_del(s, &r, 0), 0);
				v[k].live = false;
			} else {
				ck_assert_int_eq(rt_add(s, &r, NEW_FLAGS), 0);
				v[k].live = true;
			}
		}
		for (k = 0; k < 3000; k++) {
			rnd_addr(v, n, bytes, a);
			want = ref_lookup(v, n, a);
			got = fast(s, MAIN, family, a, 0, &ifindex, gw);
			if (got > 0)
				got = (int)ifindex;
			ck_assert_int_eq(got, want);
		}
	}
	for (k = 0; k < n; k++) {
		if (!v[k].live)
			continue;
		memset(&r, 0, sizeof(r));
		r.family = family;
		memcpy(r.dst, v[k].dst, 16);
		r.dst_len = v[k].len;
		ck_assert_int_eq(rt_del(s, &r, 0), 0);
	}
	rt_set_stats(s, &st);
	ck_assert_uint_eq(st.routes, 0);
	ck_assert_uint_eq(st.bytes, st0.bytes);
	free(v);
	rt_set_free(s);
}

/*
 * A table big enough for the flattened first 16 and 24 bits: /24s and
 * /28s under many /16s, their next hops then replaced (a new info for
 * the same prefixes: the flattened entries hold infos), then most routes
 * deleted so the flattened levels go again; lookups checked at each step.
 */
START_TEST(rt_flat_levels_follow_replace_and_shrink)
{
	struct rt_set *s = set_new();
	struct rt_stats st0, st;
	struct rt_route r;
	uint8_t a[16], gw[16];
	uint32_t ifindex, k, step;

	rt_set_stats(s, &st0);
	for (step = 0; step < 3; step++) {
		for (k = 0; k < 6000; k++) {
			mk(&r, "10.0.0.0", k % 4 ? 24 : 28, MAIN, RTN_UNICAST, 0, 1 + step, NULL);
			r.dst[1] = (uint8_t)(k % 97);
			r.dst[2] = (uint8_t)(k / 97);
			r.dst[3] = k % 4 ? 0 : 16;
			if (step == 2 && k >= 1000) {
				ck_assert_int_eq(rt_del(s, &r, 0), 0);
				continue;
			}
			ck_assert_int_eq(rt_add(s, &r, step ? RT_ADD_REPLACE : NEW_FLAGS), 0);
		}
		for (k = 0; k < 6000; k++) {
			memset(a, 0, sizeof(a));
			a[0] = 10;
			a[1] = (uint8_t)(k % 97);
			a[2] = (uint8_t)(k / 97);
			a[3] = 20;	/* inside the /28 where there is one */
			ck_assert_int_eq(fast(s, MAIN, AF_INET, a, 0, &ifindex, gw),
					 step == 2 && k >= 1000 ? -ENETUNREACH : RTN_UNICAST);
			if (!(step == 2 && k >= 1000))
				ck_assert_uint_eq(ifindex, 1 + step);
			a[3] = 40;	/* the /24 around a /28: no route there */
			if (k % 4 == 0)
				ck_assert_int_eq(fast(s, MAIN, AF_INET, a, 0,
								&ifindex, gw), -ENETUNREACH);
		}
	}
	for (k = 0; k < 1000; k++) {
		mk(&r, "10.0.0.0", k % 4 ? 24 : 28, MAIN, RTN_UNICAST, 0, 0, NULL);
		r.dst[1] = (uint8_t)(k % 97);
		r.dst[2] = (uint8_t)(k / 97);
		r.dst[3] = k % 4 ? 0 : 16;
		ck_assert_int_eq(rt_del(s, &r, 0), 0);
	}
	rt_set_stats(s, &st);
	ck_assert_uint_eq(st.bytes, st0.bytes);
	rt_set_free(s);
}
END_TEST

START_TEST(rt_random_v4_matches_reference)
{
	/* past RT__D16_MIN records, so the flattened first level is used */
	random_vs_reference(AF_INET, 12000, 4);
}
END_TEST

START_TEST(rt_random_v6_matches_reference)
{
	random_vs_reference(AF_INET6, 3000, 4);
}
END_TEST

/*
 * The order Linux dumps routes in, bit by bit: IPv4 by address, then the
 * longer prefix first; IPv6 by the first bit within the shorter prefix
 * in which the two differ, then the longer first.
 */
static int ref_order(uint8_t family, const uint8_t *a, unsigned int alen,
		     const uint8_t *b, unsigned int blen)
{
	unsigned int k, m = family == AF_INET ? 32 : (alen < blen ? alen : blen);
	int x, y;

	for (k = 0; k < m; k++) {
		x = a[k / 8] >> (7 - k % 8) & 1;
		y = b[k / 8] >> (7 - k % 8) & 1;
		if (x != y)
			return x - y;
	}
	return (int)blen - (int)alen;
}

struct order_walk {
	struct rt_route *seen;
	unsigned int n, cap, stop_at;
	struct rt_route last;	/* as a netlink dump keeps it */
	unsigned int in_batch;
};

static int order_fn(void *arg, const struct rt_route *r)
{
	struct order_walk *o = arg;

	if (o->n == o->stop_at || o->in_batch == 7)
		return 1;
	ck_assert_uint_lt(o->n, o->cap);
	o->seen[o->n++] = *r;
	if (o->in_batch != UINT32_MAX)
		o->in_batch++;
	o->last = *r;
	return 0;
}

/* Random nested prefixes walk in Linux's order, and a walk resumed after
 * any route, or after a key that is not there, goes on where it should */
static void walk_order_random(uint8_t family, unsigned int n)
{
	unsigned int bytes = family == AF_INET ? 4 : 16, k, j, len, added = 0, pos;
	struct order_walk all = { .stop_at = UINT32_MAX, .in_batch = UINT32_MAX }, part;
	struct rt_set *s = set_new();
	struct rt_route r, key;
	int c;

	for (k = 0; k < n; k++) {
		len = rnd() % 8 ? rnd() % (8 * bytes + 1) : 8 * (rnd() % (bytes + 1));
		memset(&r, 0, sizeof(r));
		r.family = family;
		r.dst[0] = (uint8_t)(family == AF_INET ? 10 : 0x20);
		for (j = 1; j < bytes; j++)
			r.dst[j] = (uint8_t)(rnd() % 4 ? 0 : rnd() % 2 ? rnd() % 3 : rnd());
		if (rnd() % 16 == 0)
			memset(r.dst, 0, 16);
		for (j = len; j < 8 * bytes; j++)
			r.dst[j / 8] &= (uint8_t)~(0x80 >> (j % 8));
		r.dst_len = (uint8_t)len;
		r.table = MAIN;
		r.type = RTN_UNICAST;
		r.n_nh = 1;
		r.nh[0].ifindex = 1 + rnd() % 3;
		r.nh[0].weight = 1;
		added += rt_add(s, &r, NEW_FLAGS) == 0;
	}
	all.cap = added + 1;
	all.seen = calloc(all.cap, sizeof(*all.seen));
	ck_assert_ptr_nonnull(all.seen);
	ck_assert_int_eq(rt_walk(s, MAIN, family, NULL, order_fn, &all), 0);
	ck_assert_uint_eq(all.n, added);
	for (k = 1; k < all.n; k++) {
		c = ref_order(family, all.seen[k - 1].dst, all.seen[k - 1].dst_len,
			      all.seen[k].dst, all.seen[k].dst_len);
		ck_assert_msg(c < 0, "route %u of %u out of order", k, all.n);
	}
	part = all;
	part.seen = calloc(all.cap, sizeof(*part.seen));
	ck_assert_ptr_nonnull(part.seen);
	/* batches of 7, each resumed after the last route, which the walk's
	 * callback overwrites as it goes (the key must not move under it) */
	part.n = 0;
	k = 0;
	do {
		part.in_batch = 0;
		c = rt_walk(s, MAIN, family, part.n ? &part.last : NULL, order_fn, &part);
	} while (c == 1 && ++k < all.n);
	ck_assert_int_eq(c, 0);
	ck_assert_uint_eq(part.n, all.n);
	for (k = 0; k < all.n; k++) {
		ck_assert_mem_eq(part.seen[k].dst, all.seen[k].dst, bytes);
		ck_assert_uint_eq(part.seen[k].dst_len, all.seen[k].dst_len);
	}
	part.in_batch = UINT32_MAX;
	for (k = 0; k < 400 && all.n; k++) {
		/* resume after route pos: the next one comes */
		pos = rnd() % all.n;
		part.n = 0;
		part.stop_at = 1;
		c = rt_walk(s, MAIN, family, &all.seen[pos], order_fn, &part);
		if (pos + 1 == all.n) {
			ck_assert_int_eq(c, 0);
			ck_assert_uint_eq(part.n, 0);
			continue;
		}
		ck_assert_uint_eq(part.n, 1);
		ck_assert_mem_eq(part.seen[0].dst, all.seen[pos + 1].dst, bytes);
		ck_assert_uint_eq(part.seen[0].dst_len, all.seen[pos + 1].dst_len);
		/* resume at a key that is not there: the first route after it */
		key = all.seen[pos];
		key.dst_len = (uint8_t)(rnd() % (8 * bytes + 1));
		for (j = key.dst_len; j < 8 * bytes; j++)
			key.dst[j / 8] &= (uint8_t)~(0x80 >> (j % 8));
		part.n = 0;
		c = rt_walk(s, MAIN, family, &key, order_fn, &part);
		for (j = 0; j < all.n; j++)
			if (ref_order(family, all.seen[j].dst, all.seen[j].dst_len,
				      key.dst, key.dst_len) > 0)
				break;
		if (j == all.n) {
			ck_assert_uint_eq(part.n, 0);
		} else {
			ck_assert_uint_eq(part.n, 1);
			ck_assert_mem_eq(part.seen[0].dst, all.seen[j].dst, bytes);
			ck_assert_uint_eq(part.seen[0].dst_len, all.seen[j].dst_len);
		}
	}
	free(part.seen);
	free(all.seen);
	rt_set_free(s);
}

START_TEST(rt_walk_v4_random_in_linux_order)
{
	/* past RT__D16_MIN records too */
	walk_order_random(AF_INET, 3000);
	walk_order_random(AF_INET, 40000);
}
END_TEST

START_TEST(rt_walk_v6_random_in_linux_order)
{
	walk_order_random(AF_INET6, 3000);
}
END_TEST

/* ---- acl.h: the uplink's allow and deny prefixes ---- */

static struct rt_acl_rule acl_rule(const char *cidr, bool allow)
{
	struct rt_acl_rule r = { .allow = allow };
	char buf[64], *slash;

	snprintf(buf, sizeof(buf), "%s", cidr);
	slash = strchr(buf, '/');
	ck_assert_ptr_nonnull(slash);
	*slash = '\0';
	r.plen = (uint8_t)atoi(slash + 1);
	r.family = strchr(buf, ':') ? AF_INET6 : AF_INET;
	ck_assert_int_eq(inet_pton(r.family, buf, r.addr), 1);
	return r;
}

static bool acl_ok(const struct rt_acl *a, const char *ip)
{
	uint8_t x[16];
	uint8_t fam = strchr(ip, ':') ? AF_INET6 : AF_INET;

	ck_assert_int_eq(inet_pton(fam, ip, x), 1);
	return rt_acl_allowed(a, fam, x);
}

START_TEST(acl_default_denies_only_loopback)
{
	struct rt_acl *a = rt_acl_new();

	ck_assert(!acl_ok(a, "127.0.0.1"));
	ck_assert(!acl_ok(a, "127.255.1.2"));
	ck_assert(!acl_ok(a, "::1"));
	ck_assert(!acl_ok(a, "::ffff:127.0.0.1"));
	ck_assert(acl_ok(a, "128.0.0.1"));
	ck_assert(acl_ok(a, "10.0.0.1"));
	ck_assert(acl_ok(a, "2001:db8::1"));
	ck_assert(!acl_ok(NULL, "127.0.0.1"));
	ck_assert(acl_ok(NULL, "192.0.2.1"));
	rt_acl_free(a);
}
END_TEST

START_TEST(acl_longest_prefix_decides)
{
	struct rt_acl *a = rt_acl_new();
	struct rt_acl_rule r;

	r = acl_rule("10.0.0.0/8", false);
	ck_assert_int_eq(rt_acl_add(a, &r), 0);
	r = acl_rule("10.1.0.0/16", true);
	ck_assert_int_eq(rt_acl_add(a, &r), 0);
	r = acl_rule("127.0.0.1/32", true);
	ck_assert_int_eq(rt_acl_add(a, &r), 0);
	ck_assert(!acl_ok(a, "10.2.3.4"));
	ck_assert(acl_ok(a, "10.1.3.4"));
	ck_assert(acl_ok(a, "127.0.0.1"));
	ck_assert(!acl_ok(a, "127.0.0.2"));
	/* a mapped address is judged as its IPv4 address */
	ck_assert(!acl_ok(a, "::ffff:10.2.3.4"));
	ck_assert(acl_ok(a, "::ffff:127.0.0.1"));
	/* a deny-all default, then one host allowed */
	r = acl_rule("0.0.0.0/0", false);
	ck_assert_int_eq(rt_acl_add(a, &r), 0);
	ck_assert(!acl_ok(a, "192.0.2.1"));
	ck_assert(acl_ok(a, "10.1.0.9"));
	r = acl_rule("::/0", false);
	ck_assert_int_eq(rt_acl_add(a, &r), 0);
	ck_assert(!acl_ok(a, "2001:db8::1"));
	r = acl_rule("::1/128", true);
	ck_assert_int_eq(rt_acl_add(a, &r), 0);
	ck_assert(acl_ok(a, "::1"));
	rt_acl_free(a);
}
END_TEST

static int acl_count(void *arg, const struct rt_acl_rule *r)
{
	(void)r;
	++*(int *)arg;
	return 0;
}

START_TEST(acl_readd_replaces_del_removes_bad_einval)
{
	struct rt_acl *a = rt_acl_new();
	struct rt_acl_rule r;
	int n = 0;

	r = acl_rule("192.0.2.0/24", false);
	ck_assert_int_eq(rt_acl_add(a, &r), 0);
	ck_assert(!acl_ok(a, "192.0.2.7"));
	r.allow = true;
	ck_assert_int_eq(rt_acl_add(a, &r), 0);
	ck_assert(acl_ok(a, "192.0.2.7"));
	ck_assert_int_eq(rt_acl_walk(a, acl_count, &n), 0);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(rt_acl_del(a, AF_INET, r.addr, 24), 0);
	ck_assert_int_eq(rt_acl_del(a, AF_INET, r.addr, 24), -ESRCH);
	r = acl_rule("192.0.2.1/24", false);	/* host bits set */
	ck_assert_int_eq(rt_acl_add(a, &r), -EINVAL);
	r = acl_rule("192.0.2.0/24", false);
	r.plen = 33;
	ck_assert_int_eq(rt_acl_add(a, &r), -EINVAL);
	r.family = AF_UNIX;
	r.plen = 8;
	ck_assert_int_eq(rt_acl_add(a, &r), -EINVAL);
	n = 0;
	rt_acl_walk(a, acl_count, &n);
	ck_assert_int_eq(n, 0);
	rt_acl_free(a);
}
END_TEST

static Suite *rt_suite(void)
{
	Suite *s = suite_create("rt");
	TCase *tc;

	tc = tcase_create("lookup");
	tcase_add_test(tc, rt_lookup_longest_prefix_wins);
	tcase_add_test(tc, rt_lookup_default_route_matches_all);
	tcase_add_test(tc, rt_lookup_lowest_metric_wins);
	tcase_add_test(tc, rt_lookup_fast_route_types_errors);
	tcase_add_test(tc, rt_lookup_rules_local_main_default);
	tcase_add_test(tc, rt_rules_choose_the_table);
	tcase_add_test(tc, rt_rules_match_l4_and_uid);
	tcase_add_test(tc, rt_metrics_kept_and_reported);
	tcase_add_test(tc, rt_tables_stay_once_made);
	tcase_add_test(tc, rt_table_ids_in_linux_order);
	tcase_add_test(tc, rt_lookup_scoped_as_gateway_check);
	tcase_add_test(tc, rt_ecmp_follows_weights_same_hash_same_nh);
	tcase_add_test(tc, rt_ipv4_route_via_ipv6_gateway);
	suite_add_tcase(s, tc);
	tc = tcase_create("add_del");
	tcase_add_test(tc, rt_add_malformed_einval);
	tcase_add_test(tc, rt_add_excl_existing_eexist);
	tcase_add_test(tc, rt_add_replace_replaces_first_or_enoent);
	tcase_add_test(tc, rt_add_append_after_create_before);
	tcase_add_test(tc, rt_add_other_metric_is_no_match);
	tcase_add_test(tc, rt_del_matches_mask_or_esrch);
	tcase_add_test(tc, rt_v6_create_appends_nexthops);
	tcase_add_test(tc, rt_nhid_routes_follow_their_nexthop);
	suite_add_tcase(s, tc);
	tc = tcase_create("derived");
	tcase_add_test(tc, rt_addr_add_v4_derives_exact_routes);
	tcase_add_test(tc, rt_addr_add_v6_derives_exact_routes);
	tcase_add_test(tc, rt_addr_add_peer_derives_peer_routes);
	tcase_add_test(tc, rt_addr_noprefixroute_toggles_connected);
	tcase_add_test(tc, rt_flush_prefsrc_as_linux);
	tcase_add_test(tc, rt_link_down_and_gone_flush);
	tcase_add_test(tc, rt_covered_via_finds_routes_of_a_device);
	tcase_add_test(tc, rt_dev_mroute_as_linux);
	tcase_add_test(tc, rt_notify_every_change_in_order);
	suite_add_tcase(s, tc);
	tc = tcase_create("walk_stats");
	tcase_add_test(tc, rt_walk_ordered_and_resumes_after);
	tcase_add_test(tc, rt_walk_tables_in_linux_order);
	tcase_add_test(tc, rt_stats_count_back_to_start);
	suite_add_tcase(s, tc);
	tc = tcase_create("random");
	tcase_set_timeout(tc, 50);
	tcase_add_test(tc, rt_random_v4_matches_reference);
	tcase_add_test(tc, rt_random_v6_matches_reference);
	tcase_add_test(tc, rt_flat_levels_follow_replace_and_shrink);
	tcase_add_test(tc, rt_walk_v4_random_in_linux_order);
	tcase_add_test(tc, rt_walk_v6_random_in_linux_order);
	suite_add_tcase(s, tc);
	tc = tcase_create("acl");
	tcase_add_test(tc, acl_default_denies_only_loopback);
	tcase_add_test(tc, acl_longest_prefix_decides);
	tcase_add_test(tc, acl_readd_replaces_del_removes_bad_einval);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(rt_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
