/* SPDX-License-Identifier: MIT */
/*
 * procnet_files.c - the files of /proc/net the sandbox serves, printed as
 * Linux's seq_show() functions print them (procnet.c decides which opens
 * get them): devices and their counters, routes, addresses, neighbours,
 * sockets (inet, packet and netlink), multicast groups, the SNMP
 * counters and socket counts, the host's AF_UNIX sockets less the
 * sandbox's pairs, and the forwarding sysctls.
 *
 * The IPv4 tables' LC-tries (fib_trie, fib_triestat) are built at each
 * open from the tables' routes by fibtrie.c, printed and freed.
 *
 * The multicast memberships (igmp, igmp6, dev_mcast: `ip maddr`) are
 * lwIP's IGMP and MLD groups of each device, with the all-nodes groups
 * Linux lists and lwIP accepts without joining.
 *
 * The counters (snmp, netstat, snmp6: `netstat -s`, `nstat`) have the
 * running kernel's field names, read from the supervisor's own copy of
 * each file, and lwIP's values: its SNMP MIB-2 counters for Ip, Icmp, Tcp
 * and Udp, its IPv6 and ICMPv6 packet counts for snmp6, 0 for a field
 * lwIP does not count (all of netstat's); sockstat and sockstat6 (`ss -s`)
 * count the sandbox's sockets.  Traffic that does not pass through lwIP
 * (the local shortcut, the uplink's fast path) is not counted.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <net/route.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/sockios.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "lwip/igmp.h"
#include "lwip/mld6.h"
#include "lwip/netif.h"
#include "lwip/stats.h"

#include "fibtrie.h"
#include "internal.h"
#include "netint.h"
#include "rtnl.h"
#include "vdev.h"

/* the kernel's (include/net/neighbour.h) */
#define NUD_VALID	(NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE | NUD_PROBE | \
			 NUD_STALE | NUD_DELAY)

#ifndef RTF_LOCAL
#define RTF_LOCAL	0x80000000
#endif
#ifndef RTF_NONEXTHOP
#define RTF_NONEXTHOP	0x00200000
#endif
#ifndef RTF_ANYCAST
#define RTF_ANYCAST	0x00100000
#endif

/* A line padded with spaces to @width characters, then '\n', as the
 * kernel's seq_setwidth()/seq_pad() make them. */
static void padded(FILE *f, int width, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void padded(FILE *f, int width, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(f, fmt, ap);
	va_end(ap);
	if (n >= 0 && n < width)
		fprintf(f, "%*s", width - n, "");
	fputc('\n', f);
}

/* The name of device @ifindex, "" for none (no net_link_get(): a route
 * table prints one a line, and needs nothing else of it) */
static const char *link_name(struct ns *ns, uint32_t ifindex)
{
	const struct net_dev *d = ifindex ? net__dev(ns->net, ifindex) : NULL;

	return d ? vdev_name(d->vdev) : "";
}

/* Four address bytes as the kernel's %08X of a __be32: in memory order,
 * read as a host integer. */
static uint32_t be32_raw(const uint8_t *a)
{
	uint32_t v;

	memcpy(&v, a, 4);
	return v;
}

static void hex16(FILE *f, const uint8_t *a)
{
	int i;

	for (i = 0; i < 16; i++)
		fprintf(f, "%02x", a[i]);
}

/* /proc/net/dev: dev_seq_show() */
static int dev_line(void *arg, const struct net_link *l)
{
	FILE *f = arg;

	fprintf(f, "%6s: %7llu %7llu %4llu %4llu %4llu %5llu %10llu %9llu "
		"%8llu %7llu %4llu %4llu %4llu %5llu %7llu %10llu\n", l->name,
		(unsigned long long)l->cnt.rx_bytes,
		(unsigned long long)l->cnt.rx_packets, 0ULL, 0ULL, 0ULL, 0ULL,
		0ULL, 0ULL, (unsigned long long)l->cnt.tx_bytes,
		(unsigned long long)l->cnt.tx_packets, 0ULL,
		(unsigned long long)l->cnt.drops, 0ULL, 0ULL, 0ULL, 0ULL);
	return 0;
}

static int render_dev(struct ns *ns, FILE *f)
{
	fputs("Inter-|   Receive                                                "
	      "|  Transmit\n"
	      " face |bytes    packets errs drop fifo frame compressed "
	      "multicast|bytes    packets errs drop fifo colls carrier "
	      "compressed\n", f);
	return net_link_walk(ns->net, dev_line, f);
}

struct route_walk {
	struct ns *ns;
	FILE *f;
	int64_t table;		/* ipv6_route: the table being walked, -1 */
	bool has_default;	/* and whether it has ::/0 */
	bool main_seen;		/* main's lines are out (it always exists) */
};

/* /proc/net/route: fib_route_seq_show(), the main table's IPv4 routes
 * but broadcast and multicast ones.  fib_flag_trans() calls a next hop
 * with an IPv6 gateway (RTA_VIA) a gateway too, and shows 0 for it. */
static int route_line(void *arg, const struct rt_route *r)
{
	static const uint8_t zero[4];
	struct route_walk *w = arg;
	uint8_t mask[4] = { 0 };
	unsigned int flags = RTF_UP, i;
	const char *dev = "";
	const uint8_t *gw = zero;
	struct rt_route view;
	bool bh;

	if (r->type == RTN_BROADCAST || r->type == RTN_MULTICAST)
		return 0;
	/* a route on a nexthop object: the object's next hops (a
	 * blackhole's device is the loopback) */
	if (net_nh_view(w->ns->net, r, &view, &bh))
		r = &view;
	if (bh)
		dev = "lo";
	for (i = 0; i < r->dst_len; i++)
		mask[i / 8] |= (uint8_t)(0x80 >> (i % 8));
	if (r->type == RTN_UNREACHABLE || r->type == RTN_PROHIBIT)
		flags |= RTF_REJECT;
	if (r->dst_len == 32)
		flags |= RTF_HOST;
	if (r->n_nh) {
		if (r->nh[0].has_gw && memcmp(r->nh[0].gw, zero, 4))
			flags |= RTF_GATEWAY;
		if (r->nh[0].has_gw && r->nh[0].gw_family == AF_INET)
			gw = r->nh[0].gw;
		dev = link_name(w->ns, r->nh[0].ifindex);
	}
	/* MTU: Linux prints the advmss metric plus 40 there, which no
	 * route of the sandbox has */
	padded(w->f, 127, "%s\t%08X\t%08X\t%04X\t%d\t%u\t%d\t%08X\t%d\t%u\t%u",
	       *dev ? dev : "*", be32_raw(r->dst), be32_raw(gw), flags, 0, 0u,
	       (int)r->priority, be32_raw(mask), 0, 0u, 0u);
	return 0;
}

static int render_route(struct ns *ns, FILE *f)
{
	struct route_walk w = { .ns = ns, .f = f };

	padded(f, 127, "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\t"
	       "Metric\tMask\t\tMTU\tWindow\tIRTT");
	return net_route_walk(ns->net, RT_TABLE_MAIN, AF_INET, NULL,
			      route_line, &w);
}

/*
 * The end of a table's lines: Linux's walk shows a table's root last, and
 * a table without ::/0 has its null entry there (ip6_null_entry: a
 * reject route of lo, metric -1; `route -6` shows "[::]/0 ... !n"); main
 * always exists, empty too.  (Linux walks its tables in the order of
 * their ids modulo 256, this walk in the order of their ids: the two
 * differ only for tables past 255.)
 */
static void route6_table_end(struct route_walk *w)
{
	if (w->table == RT_TABLE_MAIN)
		w->main_seen = true;
	if (w->table < 0 || w->has_default)
		return;
	fputs("00000000000000000000000000000000 00 "
	      "00000000000000000000000000000000 00 "
	      "00000000000000000000000000000000 ffffffff 00000001 00000000 "
	      "00200200       lo\n", w->f);
}

/* /proc/net/ipv6_route: ipv6_route_native_seq_show(), every table */
static int route6_line(void *arg, const struct rt_route *r)
{
	static const uint8_t zero[16];
	struct route_walk *w = arg;
	unsigned int flags = RTF_UP;
	const char *dev = "";
	struct rt_route view;
	bool bh;

	if ((int64_t)r->table != w->table) {
		route6_table_end(w);
		if (!w->main_seen && r->table > RT_TABLE_MAIN) {
			w->table = RT_TABLE_MAIN;	/* empty */
			route6_table_end(w);
		}
		w->table = r->table;
		w->has_default = false;
	}
	if (!r->dst_len)
		w->has_default = true;
	/* a unicast route on a blackhole nexthop is no reject route
	 * (fib6_flags), and the blackhole's device is the loopback */
	if (net_nh_view(w->ns->net, r, &view, &bh))
		r = &view;
	if (bh)
		dev = "lo";

	switch (r->nh_blackhole ? RTN_UNICAST : r->type) {
	case RTN_UNREACHABLE:
	case RTN_PROHIBIT:
	case RTN_BLACKHOLE:
	case RTN_THROW:
		flags |= RTF_REJECT;	/* on Linux, routes of "lo" */
		dev = "lo";
		break;
	case RTN_LOCAL:
		flags |= RTF_LOCAL | RTF_NONEXTHOP;
		break;
	case RTN_ANYCAST:
		flags |= RTF_ANYCAST | RTF_NONEXTHOP;
		break;
	default:
		break;
	}
	if (r->n_nh && r->nh[0].has_gw && r->nh[0].gw_family == AF_INET6)
		flags |= RTF_GATEWAY;
	if (r->n_nh && !dev[0])
		dev = link_name(w->ns, r->nh[0].ifindex);
	hex16(w->f, r->dst);
	fprintf(w->f, " %02x ", r->dst_len);
	hex16(w->f, zero);
	fputs(" 00 ", w->f);
	hex16(w->f, flags & RTF_GATEWAY ? r->nh[0].gw : zero);
	fprintf(w->f, " %08x %08x %08x %08x %8s\n", r->priority, 1u, 0u, flags,
		dev);
	return 0;
}

static int render_ipv6_route(struct ns *ns, FILE *f)
{
	struct route_walk w = { .ns = ns, .f = f, .table = -1 };
	int ret = net_route_walk(ns->net, 0, AF_INET6, NULL, route6_line, &w);

	route6_table_end(&w);
	if (!w.main_seen) {
		w.table = RT_TABLE_MAIN;	/* empty */
		w.has_default = false;
		route6_table_end(&w);
	}
	return ret;
}

/*
 * /proc/net/fib_trie and fib_triestat: each IPv4 table's LC-trie as
 * Linux's fib_trie.c would hold it, rebuilt at each open from the table's
 * routes (fibtrie.c, which says where the shape can differ from a
 * long-lived kernel's).  Tables come in Linux's order, the empty ones
 * too (fib_triestat lists them; fib_trie prints nothing for them).
 * Local and main are one trie, as Linux shares one between them until
 * an IPv4 rule is first added or deleted (fib_unmerge(),
 * net_fib_unmerged()): "Main:" and "Local:" then both show every route
 * of the two.  Linux never merges them again, nor does the sandbox.
 */
struct fib_row {
	struct fibtrie_alias a;
	uint32_t table;
	size_t seq;
};

struct fib_rows {
	struct fib_row *v;
	size_t n;
	size_t cap;
};

static int fib_row_add(void *arg, const struct rt_route *r)
{
	struct fib_rows *rows = arg;
	struct fib_row *v;
	uint32_t dst;
	size_t cap;

	if (rows->n == rows->cap) {
		cap = rows->cap ? 2 * rows->cap : 64;
		v = realloc(rows->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		rows->v = v;
		rows->cap = cap;
	}
	memcpy(&dst, r->dst, sizeof(dst));
	v = &rows->v[rows->n];
	v->a = (struct fibtrie_alias){ .key = ntohl(dst), .plen = r->dst_len,
				       .type = r->type, .scope = r->scope,
				       .tos = r->tos,
				       .early = r->protocol == RTPROT_KERNEL };
	v->table = r->table;
	v->seq = rows->n++;
	return 0;
}

/* The order of a leaf's aliases (fib_insert_alias()): longest prefix
 * first, then local's before main's where they share the trie; within a
 * table, the walk's (TOS descending, metric ascending, as added) */
static int fib_row_cmp(const void *x, const void *y)
{
	const struct fib_row *a = x, *b = y;

	if (a->a.key != b->a.key)
		return a->a.key < b->a.key ? -1 : 1;
	if (a->a.plen != b->a.plen)
		return a->a.plen > b->a.plen ? -1 : 1;
	if (a->table != b->table)
		return a->table > b->table ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/**
 * struct fib_view - the trie of one table, or of local and main merged
 * @t:		the trie
 * @a:		its aliases
 */
struct fib_view {
	struct fibtrie *t;
	struct fibtrie_alias *a;
};

static void fib_view_free(struct fib_view *v)
{
	fibtrie_free(v->t);
	free(v->a);
	v->t = NULL;
	v->a = NULL;
}

/* The trie of tables @ids[0..@n) together */
static int fib_view_build(struct ns *ns, const uint32_t *ids, size_t n,
			  struct fib_view *v)
{
	struct fib_rows rows = { 0 };
	size_t k, count;
	int ret = 0;

	for (k = 0; k < n && !ret; k++)
		ret = rt_walk(ns->net->rt, ids[k], AF_INET, NULL, fib_row_add,
			      &rows);
	if (!ret && rows.n)
		qsort(rows.v, rows.n, sizeof(*rows.v), fib_row_cmp);
	v->a = ret ? NULL : calloc(rows.n ? rows.n : 1, sizeof(*v->a));
	if (!ret && !v->a)
		ret = -ENOMEM;
	count = rows.n;
	for (k = 0; !ret && k < count; k++)
		v->a[k] = rows.v[k].a;
	free(rows.v);
	if (!ret)
		ret = fibtrie_new(v->a, count, &v->t);
	if (ret)
		fib_view_free(v);
	return ret;
}

static int render_fib(struct ns *ns, FILE *f, bool stat)
{
	static const uint32_t merged[] = { RT_TABLE_LOCAL, RT_TABLE_MAIN };
	const struct rt_set *rt = ns->net->rt;
	struct fib_view both = { 0 }, one = { 0 }, *v;
	bool merge = !net_fib_unmerged(ns->net);
	uint32_t *ids;
	size_t n, k;
	int ret = 0;

	n = rt_table_ids(rt, AF_INET, NULL, 0);
	ids = calloc(n, sizeof(*ids));
	if (!ids)
		return -ENOMEM;
	rt_table_ids(rt, AF_INET, ids, n);
	if (stat)
		fibtrie_stat_head(f);
	for (k = 0; k < n && !ret; k++) {
		if (merge && (ids[k] == RT_TABLE_MAIN || ids[k] == RT_TABLE_LOCAL)) {
			v = &both;
			if (!both.t)
				ret = fib_view_build(ns, merged, 2, v);
		} else {
			v = &one;
			ret = fib_view_build(ns, &ids[k], 1, v);
		}
		if (ret)
			break;
		if (stat)
			fibtrie_stat(v->t, ids[k], f);
		else
			fibtrie_show(v->t, ids[k], f);
		fib_view_free(&one);
	}
	fib_view_free(&both);
	free(ids);
	return ret;
}

static int render_fib_trie(struct ns *ns, FILE *f)
{
	return render_fib(ns, f, false);
}

static int render_fib_triestat(struct ns *ns, FILE *f)
{
	return render_fib(ns, f, true);
}

/* /proc/net/if_inet6: if6_seq_show(); the scope as IPV6_ADDR_* bits */
static int inet6_line(void *arg, const struct net_addr *a)
{
	struct route_walk *w = arg;
	unsigned int scope;

	switch (a->scope) {
	case RT_SCOPE_HOST:
		scope = 0x10;
		break;
	case RT_SCOPE_LINK:
		scope = 0x20;
		break;
	case RT_SCOPE_SITE:
		scope = 0x40;
		break;
	default:
		scope = 0;
		break;
	}
	hex16(w->f, a->addr);
	fprintf(w->f, " %02x %02x %02x %02x %8s\n", a->ifindex, a->plen, scope,
		a->flags & 0xff, link_name(w->ns, a->ifindex));
	return 0;
}

static int render_if_inet6(struct ns *ns, FILE *f)
{
	struct route_walk w = { .ns = ns, .f = f };

	return net_addr_walk(ns->net, AF_INET6, inet6_line, &w);
}

/* /proc/net/arp: arp_format_neigh_entry(), NOARP entries skipped
 * (arp_seq_start()'s NEIGH_SEQ_SKIP_NOARP) */
static int arp_line(void *arg, const struct net_neigh *nb)
{
	static const uint8_t zero[6];
	struct route_walk *w = arg;
	const uint8_t *m = nb->has_lladdr ? nb->lladdr : zero;
	unsigned int flags = 0;
	char ip[16], hw[18];

	if (nb->state == NUD_NOARP)
		return 0;

	if (nb->state & NUD_PERMANENT)
		flags = ATF_PERM | ATF_COM;
	else if (nb->state & NUD_VALID)
		flags = ATF_COM;
	snprintf(ip, sizeof(ip), "%u.%u.%u.%u", nb->addr[0], nb->addr[1],
		 nb->addr[2], nb->addr[3]);
	snprintf(hw, sizeof(hw), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1],
		 m[2], m[3], m[4], m[5]);
	fprintf(w->f, "%-16s 0x%-10x0x%-10x%-17s     %-8s %s\n", ip, 1u, flags,
		hw, "*", link_name(w->ns, nb->ifindex));
	return 0;
}

static int render_arp(struct ns *ns, FILE *f)
{
	struct route_walk w = { .ns = ns, .f = f };

	fputs("IP address       HW type     Flags       HW address            "
	      "Mask     Device\n", f);
	return net_neigh_walk(ns->net, AF_INET, arp_line, &w);
}

/* ---- sockets: tcp4_seq_show(), udp4_format_sock(), raw_sock_seq_show()
 * and their IPv6 forms, from what `ss` is told (diag.c) ---- */

enum sock_file { SF_TCP, SF_UDP, SF_RAW };

static void addr6(FILE *f, const uint8_t *a, uint16_t port)
{
	uint32_t w[4];

	memcpy(w, a, 16);
	fprintf(f, "%08X%08X%08X%08X:%04X", w[0], w[1], w[2], w[3], port);
}

static void sock_line(FILE *f, enum sock_file kind, unsigned int sl,
		      const struct rtnl_sockinfo *s)
{
	uint32_t tx = s->wqueue, rx = s->rqueue;
	/* TCP: rto, ato, quick/pingpong, cwnd, ssthresh as a fresh Linux
	 * socket has them; UDP and raw: drops */
	const char *tail = kind != SF_TCP ? "0" :
			   s->state == TCP_LISTEN ? "100 0 0 10 0" : "20 4 0 10 -1";

	if (kind == SF_TCP && s->state == TCP_LISTEN)
		tx = 0;		/* Linux: write_seq - snd_una, none */
	if (s->family == AF_INET) {
		char a[40];

		snprintf(a, sizeof(a), "%08X:%04X %08X:%04X", be32_raw(s->src),
			 s->sport, be32_raw(s->dst), s->dport);
		if (kind == SF_TCP)
			padded(f, 149, "%4u: %s %02X %08X:%08X 00:00000000 "
			       "00000000 %5u        0 %llu 1 0000000000000000 %s",
			       sl, a, s->state, tx, rx, s->uid,
			       (unsigned long long)s->ino, tail);
		else if (kind == SF_UDP)
			padded(f, 127, "%5u: %s %02X %08X:%08X 00:00000000 "
			       "00000000 %5u        0 %llu 2 0000000000000000 %s",
			       sl, a, s->state, tx, rx, s->uid,
			       (unsigned long long)s->ino, tail);
		else
			fprintf(f, "%4u: %s %02X %08X:%08X 00:00000000 00000000 "
				"%5u        0 %llu 2 0000000000000000 %s\n", sl, a,
				s->state, tx, rx, s->uid,
				(unsigned long long)s->ino, tail);
		return;
	}
	fprintf(f, kind == SF_TCP ? "%4u: " : "%5u: ", sl);
	addr6(f, s->src, s->sport);
	fputc(' ', f);
	addr6(f, s->dst, s->dport);
	fprintf(f, " %02X %08X:%08X 00:00000000 00000000 %5u        0 %llu %d "
		"0000000000000000 %s\n", s->state, tx, rx, s->uid,
		(unsigned long long)s->ino, kind == SF_TCP ? 1 : 2, tail);
}

static int render_socks(struct ns *ns, FILE *f, enum sock_file kind,
			int family)
{
	static const uint8_t proto[] = {
		[SF_TCP] = IPPROTO_TCP, [SF_UDP] = IPPROTO_UDP,
		[SF_RAW] = IPPROTO_RAW,
	};
	static const char head6[] = "  sl  local_address                         "
		"remote_address                        st tx_queue rx_queue tr "
		"tm->when retrnsmt   uid  timeout inode";
	static const char head4[] = "  sl  local_address rem_address   st "
		"tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";
	struct rtnl_sockinfo *all;
	unsigned int sl = 0;
	size_t n, i;
	int ret;

	if (family == AF_INET6)
		fprintf(f, "%s%s\n", head6, kind == SF_TCP ? "" :
			" ref pointer drops");
	else if (kind == SF_TCP)
		padded(f, 149, "%s", head4);
	else if (kind == SF_UDP)
		padded(f, 127, " %s ref pointer drops", head4);
	else
		fprintf(f, "%s ref pointer drops\n", head4);
	if ((ret = ns__diag_socks(ns, false, &all, &n)))
		return ret;
	for (i = 0; i < n; i++)
		if (all[i].family == family && all[i].protocol == proto[kind])
			sock_line(f, kind, sl++, &all[i]);
	free(all);
	return 0;
}

static int render_tcp(struct ns *ns, FILE *f)
{
	return render_socks(ns, f, SF_TCP, AF_INET);
}

static int render_tcp6(struct ns *ns, FILE *f)
{
	return render_socks(ns, f, SF_TCP, AF_INET6);
}

static int render_udp(struct ns *ns, FILE *f)
{
	return render_socks(ns, f, SF_UDP, AF_INET);
}

static int render_udp6(struct ns *ns, FILE *f)
{
	return render_socks(ns, f, SF_UDP, AF_INET6);
}

static int render_raw(struct ns *ns, FILE *f)
{
	return render_socks(ns, f, SF_RAW, AF_INET);
}

static int render_raw6(struct ns *ns, FILE *f)
{
	return render_socks(ns, f, SF_RAW, AF_INET6);
}

/* ---- multicast memberships: igmp_mc_seq_show(), igmp6_mc_seq_show(),
 * dev_mc_seq_show() ---- */

/* ff02::1 and ff01::1: every IPv6 device of Linux lists them */
static const uint8_t all_nodes[2][16] = {
	{ 0xff, 0x02, [15] = 1 },
	{ 0xff, 0x01, [15] = 1 },
};

/* igmp: one line a device, then one a group (igmp_mc_seq_show()) */
static void igmp_group_line(FILE *f, const void *group, int users, int reporter)
{
	fprintf(f, "\t\t\t\t%08X %5d %d:%08X\t\t%d\n",
		be32_raw((const uint8_t *)group), users, 0, 0u, reporter);
}

static int render_igmp(struct ns *ns, FILE *f)
{
	static const uint8_t all_hosts[4] = { 224, 0, 0, 1 };
	struct net_dev *d;

	fputs("Idx\tDevice    : Count Querier\tGroup    Users Timer\t"
	      "Reporter\n", f);
	for (d = ns->net->devs; d; d = d->next) {
		struct netif *nif = vdev_netif(d->vdev);
		struct igmp_group *g;
		const char *dev = vdev_name(d->vdev);
		int count = 0;

		if (!(nif->flags & NETIF_FLAG_IGMP)) {
			/* lo: lwIP runs no IGMP there, but Linux lists the
			 * all-hosts group on every IPv4 device that is up */
			if (netif_is_up(nif)) {
				fprintf(f, "%u\t%-10s: %5d %7s\n", d->ifindex, dev, 1, "V2");
				igmp_group_line(f, all_hosts, 1, 0);
			}
			continue;
		}
		for (g = netif_igmp_data(nif); g; g = g->next)
			count++;
		if (!count)
			continue;
		fprintf(f, "%u\t%-10s: %5d %7s\n", d->ifindex, dev, count, "V2");
		for (g = netif_igmp_data(nif); g; g = g->next)
			igmp_group_line(f, &g->group_address, g->use ? g->use : 1,
					g->last_reporter_flag);
	}
	return 0;
}

static void igmp6_line(FILE *f, uint32_t ifindex, const char *dev,
		       const uint8_t *group, int users, unsigned int flags)
{
	fprintf(f, "%-4u %-15s ", ifindex, dev);
	hex16(f, group);
	fprintf(f, " %5d %08X %d\n", users, flags, 0);
}

static int render_igmp6(struct ns *ns, FILE *f)
{
	struct net_dev *d;

	for (d = ns->net->devs; d; d = d->next) {
		struct netif *nif = vdev_netif(d->vdev);
		struct mld_group *g;
		const char *dev = vdev_name(d->vdev);
		int i;

		for (i = 0; i < 2; i++)	/* MAF_NOREPORT | MAF_LAST_REPORTER */
			igmp6_line(f, d->ifindex, dev, all_nodes[i], 1, 0x0c);
		if (!(nif->flags & NETIF_FLAG_MLD6))
			continue;
		for (g = netif_mld6_data(nif); g; g = g->next)
			igmp6_line(f, d->ifindex, dev,
				   (const uint8_t *)g->group_address.addr,
				   g->use ? g->use : 1,
				   g->last_reporter_flag ? 0x04 : 0);
	}
	return 0;
}

/* anycast6: ac6_seq_show(), each device's anycast addresses (anycast.c),
 * newest first as idev->ac_list keeps them */
static int render_anycast6(struct ns *ns, FILE *f)
{
	struct net_dev *d;
	unsigned int i;

	for (d = ns->net->devs; d; d = d->next)
		for (i = d->n_ac; i-- > 0;) {
			fprintf(f, "%-4u %-15s ", d->ifindex, vdev_name(d->vdev));
			hex16(f, d->ac[i].addr);
			fprintf(f, " %5u\n", d->ac[i].users);
		}
	return 0;
}

static void mac_line(FILE *f, uint32_t ifindex, const char *dev,
		     const uint8_t m[6])
{
	fprintf(f, "%-4u %-15s %-5d %-5d %02x%02x%02x%02x%02x%02x\n", ifindex,
		dev, 1, 0, m[0], m[1], m[2], m[3], m[4], m[5]);
}

/* Link-layer groups of Ethernet devices (net_link_maddrs()) */
static int render_dev_mcast(struct ns *ns, FILE *f)
{
	struct net_dev *d;

	for (d = ns->net->devs; d; d = d->next) {
		uint8_t (*m)[6];
		int i, k = net_link_maddrs(ns->net, d->ifindex, NULL, 0);

		if (!k || !(m = calloc((size_t)k, sizeof(*m))))
			continue;
		k = net_link_maddrs(ns->net, d->ifindex, m, k);
		for (i = 0; i < k; i++)
			mac_line(f, d->ifindex, vdev_name(d->vdev), m[i]);
		free(m);
	}
	return 0;
}

/* ---- counters ---- */

/* The sandbox's sockets by kind, as sockstat counts them: "inuse" the
 * ones in the protocol's hash tables (sock_prot_inuse_add()), a TCP socket
 * once it listens or connects, a UDP one once it has a port */
struct sock_counts {
	unsigned int tcp[2], udp[2], raw[2];	/* [0] IPv4, [1] IPv6 */
	unsigned int tcp_alloc;	/* every TCP socket (tcp_sockets_allocated) */
	unsigned int tw, orphan, estab, all;
};

static int count_socks(struct ns *ns, struct sock_counts *k)
{
	struct rtnl_sockinfo *all;
	size_t n, i;
	int ret;

	memset(k, 0, sizeof(*k));
	if ((ret = ns__diag_socks(ns, false, &all, &n)))
		return ret;
	for (i = 0; i < n; i++) {
		const struct rtnl_sockinfo *x = &all[i];
		int v6 = x->family == AF_INET6;

		if (x->protocol == IPPROTO_UDP) {
			k->udp[v6] += x->sport != 0;
		} else if (x->protocol == IPPROTO_RAW) {
			k->raw[v6]++;
		} else if (x->state == TCP_TIME_WAIT) {
			k->tw++;
		} else {
			k->tcp_alloc++;
			k->tcp[v6] += x->state != TCP_CLOSE;
			if (!x->ino)
				k->orphan++;
			/* Linux's CurrEstab: established or close-wait */
			if (x->state == TCP_ESTABLISHED ||
			    x->state == TCP_CLOSE_WAIT)
				k->estab++;
		}
	}
	free(all);
	k->all = ns->nsocks;
	return 0;
}

#define MIB(g, f, m)	{ g, f, offsetof(struct stats_mib2, m) }

/* Linux's Ip, Icmp, Tcp and Udp fields that lwIP's MIB-2 counts */
static const struct {
	const char *group, *field;
	size_t off;
} mib2_fields[] = {
	MIB("Ip", "InReceives", ipinreceives),
	MIB("Ip", "InHdrErrors", ipinhdrerrors),
	MIB("Ip", "InAddrErrors", ipinaddrerrors),
	MIB("Ip", "ForwDatagrams", ipforwdatagrams),
	MIB("Ip", "InUnknownProtos", ipinunknownprotos),
	MIB("Ip", "InDiscards", ipindiscards),
	MIB("Ip", "InDelivers", ipindelivers),
	MIB("Ip", "OutRequests", ipoutrequests),
	MIB("Ip", "OutDiscards", ipoutdiscards),
	MIB("Ip", "OutNoRoutes", ipoutnoroutes),
	MIB("Ip", "ReasmReqds", ipreasmreqds),
	MIB("Ip", "ReasmOKs", ipreasmoks),
	MIB("Ip", "ReasmFails", ipreasmfails),
	MIB("Ip", "FragOKs", ipfragoks),
	MIB("Ip", "FragFails", ipfragfails),
	MIB("Ip", "FragCreates", ipfragcreates),
	MIB("Ip", "OutTransmits", ipoutrequests),
	MIB("Icmp", "InMsgs", icmpinmsgs),
	MIB("Icmp", "InErrors", icmpinerrors),
	MIB("Icmp", "InDestUnreachs", icmpindestunreachs),
	MIB("Icmp", "InTimeExcds", icmpintimeexcds),
	MIB("Icmp", "InParmProbs", icmpinparmprobs),
	MIB("Icmp", "InSrcQuenchs", icmpinsrcquenchs),
	MIB("Icmp", "InRedirects", icmpinredirects),
	MIB("Icmp", "InEchos", icmpinechos),
	MIB("Icmp", "InEchoReps", icmpinechoreps),
	MIB("Icmp", "InTimestamps", icmpintimestamps),
	MIB("Icmp", "InTimestampReps", icmpintimestampreps),
	MIB("Icmp", "InAddrMasks", icmpinaddrmasks),
	MIB("Icmp", "InAddrMaskReps", icmpinaddrmaskreps),
	MIB("Icmp", "OutMsgs", icmpoutmsgs),
	MIB("Icmp", "OutErrors", icmpouterrors),
	MIB("Icmp", "OutDestUnreachs", icmpoutdestunreachs),
	MIB("Icmp", "OutTimeExcds", icmpouttimeexcds),
	MIB("Icmp", "OutEchos", icmpoutechos),
	MIB("Icmp", "OutEchoReps", icmpoutechoreps),
	MIB("Tcp", "ActiveOpens", tcpactiveopens),
	MIB("Tcp", "PassiveOpens", tcppassiveopens),
	MIB("Tcp", "AttemptFails", tcpattemptfails),
	MIB("Tcp", "EstabResets", tcpestabresets),
	MIB("Tcp", "InSegs", tcpinsegs),
	MIB("Tcp", "OutSegs", tcpoutsegs),
	MIB("Tcp", "RetransSegs", tcpretranssegs),
	MIB("Tcp", "InErrs", tcpinerrs),
	MIB("Tcp", "OutRsts", tcpoutrsts),
	MIB("Udp", "InDatagrams", udpindatagrams),
	MIB("Udp", "NoPorts", udpnoports),
	MIB("Udp", "InErrors", udpinerrors),
	MIB("Udp", "OutDatagrams", udpoutdatagrams),
};

/* The value of @group's @field in /proc/net/snmp: lwIP's, a constant of
 * Linux's, or 0 for what nothing here counts */
static long long snmp_value(struct ns *ns, const struct sock_counts *k,
			    const char *group, const char *field)
{
	static const struct { const char *group, *field; long long v; } fixed[] = {
		{ "Ip", "DefaultTTL", 64 },
		{ "Tcp", "RtoAlgorithm", 1 },	/* "other", as Linux */
		{ "Tcp", "RtoMin", 200 },
		{ "Tcp", "RtoMax", 120000 },
		{ "Tcp", "MaxConn", -1 },
	};
	int fwd = 0;
	size_t i;

	if (!strcmp(group, "Ip") && !strcmp(field, "Forwarding")) {
		net_forward_get(ns->net, AF_INET, "all", &fwd);
		return fwd ? 1 : 2;	/* as Linux: 1 forwarding, 2 not */
	}
	if (!strcmp(group, "Tcp") && !strcmp(field, "CurrEstab"))
		return k->estab;
	if (!strcmp(group, "Udp") && !strcmp(field, "RcvbufErrors"))
		return (long long)ns->udp_rcvbuf_errs[0];
	if (!strcmp(group, "Icmp") && !strcmp(field, "OutRateLimitGlobal"))
		return icmp_rl_counts.global;
	if (!strcmp(group, "Icmp") && !strcmp(field, "OutRateLimitHost"))
		return icmp_rl_counts.host4;
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (!strcmp(group, fixed[i].group) && !strcmp(field, fixed[i].field))
			return fixed[i].v;
	for (i = 0; i < sizeof(mib2_fields) / sizeof(mib2_fields[0]); i++)
		if (!strcmp(group, mib2_fields[i].group) &&
		    !strcmp(field, mib2_fields[i].field))
			return *(const u32_t *)((const char *)&lwip_stats.mib2 +
						mib2_fields[i].off);
	return 0;
}

/* IcmpMsg: the message types lwIP counts, those not zero, as Linux
 * prints them (the lines only when one is not) */
static void icmp_msg(FILE *f)
{
	const struct stats_mib2 *m = &lwip_stats.mib2;
	const struct { const char *name; u32_t v; } t[] = {
		{ "InType0", m->icmpinechoreps }, { "InType3", m->icmpindestunreachs },
		{ "InType4", m->icmpinsrcquenchs }, { "InType5", m->icmpinredirects },
		{ "InType8", m->icmpinechos }, { "InType11", m->icmpintimeexcds },
		{ "InType12", m->icmpinparmprobs }, { "InType13", m->icmpintimestamps },
		{ "InType14", m->icmpintimestampreps }, { "InType17", m->icmpinaddrmasks },
		{ "InType18", m->icmpinaddrmaskreps }, { "OutType0", m->icmpoutechoreps },
		{ "OutType3", m->icmpoutdestunreachs }, { "OutType8", m->icmpoutechos },
		{ "OutType11", m->icmpouttimeexcds },
	};
	size_t i, n = sizeof(t) / sizeof(t[0]);
	bool any = false;

	for (i = 0; i < n; i++)
		any |= t[i].v != 0;
	if (!any)
		return;
	fputs("IcmpMsg:", f);
	for (i = 0; i < n; i++)
		if (t[i].v)
			fprintf(f, " %s", t[i].name);
	fputs("\nIcmpMsg:", f);
	for (i = 0; i < n; i++)
		if (t[i].v)
			fprintf(f, " %u", (unsigned int)t[i].v);
	fputc('\n', f);
}

#define HOST_FILE_MAX	(64u << 20)

/* The supervisor's own copy of /proc/net/@name (the host's network
 * namespace, the running kernel's field names; at most HOST_FILE_MAX
 * bytes), or @fallback when it cannot be read; free()d by the caller */
static char *host_file(const char *name, const char *fallback)
{
	char path[64], *buf = NULL, *more;
	size_t len = 0, cap = 0;
	ssize_t n = 1;
	int fd;

	snprintf(path, sizeof(path), "/proc/net/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	while (fd >= 0 && n > 0 && len < HOST_FILE_MAX) {
		if (cap - len < 4096) {
			cap = cap ? 2 * cap : 65536;
			if (!(more = realloc(buf, cap + 1)))
				break;
			buf = more;
		}
		if ((n = read(fd, buf + len, cap - len)) > 0)
			len += (size_t)n;
	}
	if (fd >= 0)
		close(fd);
	if (!len) {
		len = strlen(fallback);
		free(buf);
		if (!(buf = malloc(len + 1)))
			return NULL;
		memcpy(buf, fallback, len);
	}
	buf[len] = '\0';
	return buf;
}

/* @text's header and value lines in pairs ("Ip: A B", "Ip: 1 2"): each
 * header kept, each value snmp_value()'s when @mib (then the host's
 * IcmpMsg pair gives way to icmp_msg() after Icmp), else 0. */
static void pairs(FILE *f, char *text, struct ns *ns,
		  const struct sock_counts *k, bool mib)
{
	char *line, *save = NULL;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(line, ':'), *w, *ws = NULL;
		char group[32];

		/* the value line of the pair: skipped, made below */
		strtok_r(NULL, "\n", &save);
		if (!colon || colon - line >= (ptrdiff_t)sizeof(group))
			continue;
		memcpy(group, line, (size_t)(colon - line));
		group[colon - line] = '\0';
		if (mib && !strcmp(group, "IcmpMsg"))
			continue;
		fprintf(f, "%s\n%s:", line, group);
		for (w = strtok_r(colon + 1, " ", &ws); w; w = strtok_r(NULL, " ", &ws))
			fprintf(f, " %lld", mib ? snmp_value(ns, k, group, w) : 0LL);
		fputc('\n', f);
		if (mib && !strcmp(group, "Icmp"))
			icmp_msg(f);
	}
}

/* Linux 6.x's, should the supervisor's own copy be unreadable */
static const char snmp_fallback[] =
	"Ip: Forwarding DefaultTTL InReceives InHdrErrors InAddrErrors "
	"ForwDatagrams InUnknownProtos InDiscards InDelivers OutRequests "
	"OutDiscards OutNoRoutes ReasmTimeout ReasmReqds ReasmOKs ReasmFails "
	"FragOKs FragFails FragCreates OutTransmits\nIp:\n"
	"Icmp: InMsgs InErrors InCsumErrors InDestUnreachs InTimeExcds "
	"InParmProbs InSrcQuenchs InRedirects InEchos InEchoReps InTimestamps "
	"InTimestampReps InAddrMasks InAddrMaskReps OutMsgs OutErrors "
	"OutRateLimitGlobal OutRateLimitHost OutDestUnreachs OutTimeExcds "
	"OutParmProbs OutSrcQuenchs OutRedirects OutEchos OutEchoReps "
	"OutTimestamps OutTimestampReps OutAddrMasks OutAddrMaskReps\nIcmp:\n"
	"Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens "
	"AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs "
	"OutRsts InCsumErrors\nTcp:\n"
	"Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors "
	"SndbufErrors InCsumErrors IgnoredMulti MemErrors\nUdp:\n"
	"UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors "
	"SndbufErrors InCsumErrors IgnoredMulti MemErrors\nUdpLite:\n";

static int render_snmp(struct ns *ns, FILE *f)
{
	struct sock_counts k;
	char *text;
	int ret;

	if ((ret = count_socks(ns, &k)))
		return ret;
	if (!(text = host_file("snmp", snmp_fallback)))
		return -ENOMEM;
	pairs(f, text, ns, &k, true);
	free(text);
	return 0;
}

static int render_netstat(struct ns *ns, FILE *f)
{
	char *text = host_file("netstat", "TcpExt: TW\nTcpExt:\n");

	if (!text)
		return -ENOMEM;
	pairs(f, text, ns, NULL, false);
	free(text);
	return 0;
}

/* snmp6: one "Name<TAB>value" a line (snmp6_seq_show_item()); lwIP's
 * IPv6 and ICMPv6 packet counts where they mean the same */
static int render_snmp6(struct ns *ns, FILE *f)
{
	const struct stats_proto *ip6 = &lwip_stats.ip6, *icmp6 = &lwip_stats.icmp6;
	const struct { const char *name; u32_t v; } map[] = {
		{ "Ip6InReceives", ip6->recv }, { "Ip6InHdrErrors", ip6->proterr },
		{ "Ip6InNoRoutes", ip6->rterr }, { "Ip6InTruncatedPkts", ip6->lenerr },
		{ "Ip6InDiscards", ip6->drop }, { "Ip6OutForwDatagrams", ip6->fw },
		{ "Ip6OutRequests", ip6->xmit }, { "Icmp6InMsgs", icmp6->recv },
		{ "Icmp6InErrors", icmp6->err }, { "Icmp6OutMsgs", icmp6->xmit },
		{ "Icmp6InCsumErrors", icmp6->chkerr },
		{ "Icmp6OutRateLimitHost", icmp_rl_counts.host6 },
		/* the only IPv6 UDP input errors counted: full queues */
		{ "Udp6InErrors", (u32_t)ns->udp_rcvbuf_errs[1] },
		{ "Udp6RcvbufErrors", (u32_t)ns->udp_rcvbuf_errs[1] },
	};
	char *text = host_file("snmp6", "Ip6InReceives 0\nIp6OutRequests 0\n"
			       "Icmp6InMsgs 0\nIcmp6OutMsgs 0\n");
	char *line, *save = NULL;

	if (!text)
		return -ENOMEM;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		size_t len = strcspn(line, " \t"), i;
		unsigned long v = 0;

		line[len] = '\0';
		for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
			if (!strcmp(line, map[i].name))
				v = map[i].v;
		fprintf(f, "%-32s\t%lu\n", line, v);
	}
	free(text);
	return 0;
}

static int ino_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * unix: the kernel's own AF_UNIX sockets (the host's network namespace is
 * the program's for them), less the pairs that carry the sandbox's
 * emulated sockets: their program ends are TCP, UDP, raw or netlink
 * sockets inside (tcp, udp... list their inodes), and `lsof -i` or
 * `ss -x` must not take them for AF_UNIX ones.
 */
static int render_unix(struct ns *ns, FILE *f)
{
	char *text = host_file("unix", ""), *line, *save = NULL;
	uint64_t *ours;
	size_t n = 0;
	struct sock *s;
	bool first = true;

	if (!text)
		return -ENOMEM;
	ours = calloc(2 * (size_t)ns->nsocks + 1, sizeof(*ours));
	if (!ours) {
		free(text);
		return -ENOMEM;
	}
	for (s = ns->all; s && n + 2 <= 2 * (size_t)ns->nsocks; s = s->next) {
		struct stat st;

		if (s->ino)
			ours[n++] = s->ino;
		if (s->sv >= 0 && !fstat(s->sv, &st))
			ours[n++] = (uint64_t)st.st_ino;
	}
	qsort(ours, n, sizeof(*ours), ino_cmp);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), first = false) {
		unsigned long long ino;

		/* Num RefCount Protocol Flags Type St Inode [Path] */
		if (!first && sscanf(line, "%*s %*s %*s %*s %*s %*s %llu", &ino) == 1) {
			uint64_t key = ino;

			if (bsearch(&key, ours, n, sizeof(*ours), ino_cmp))
				continue;
		}
		fprintf(f, "%s\n", line);
	}
	free(ours);
	free(text);
	return 0;
}

/*
 * packet: packet_seq_show(), one line a packet socket of the sandbox (the
 * host's are not the program's).  "R" is PACKET_SOCK_RUNNING: a protocol
 * taken and the bound device, if any, up; the protocol hook holds a
 * reference then (RefCnt 3, else 2).  The kernel address is printed as
 * %pK prints it for an unprivileged reader, all zeros.
 */
static int render_packet(struct ns *ns, FILE *f)
{
	const struct sock *s;

	fprintf(f, "%-17sRefCnt Type Proto  Iface R Rmem   User   Inode\n", "sk");
	for (s = ns->all; s; s = s->next) {
		struct net_link l;
		bool running;

		if (s->family != AF_PACKET)
			continue;
		running = s->pk_proto &&
			  (!s->pk_ifindex || (!net_link_get(ns->net, s->pk_ifindex, &l) &&
					      (l.flags & IFF_UP)));
		/* Rmem: what the program's end has yet to read */
		fprintf(f, "%016x %-6d %-4d %04x   %-5u %1d %-6u %-6u %-6llu\n", 0u,
			2 + running, s->type, ntohs(s->pk_proto), s->pk_ifindex,
			running, ns__ioctl_count(s->sv, SIOCOUTQ), s->uid,
			(unsigned long long)s->ino);
	}
	return 0;
}

/*
 * netlink: netlink_seq_show() for the protocols the sandbox serves
 * (NETLINK_ROUTE, NETLINK_SOCK_DIAG), each its kernel socket (port id 0,
 * no inode of the program's) and then the program's sockets of that
 * protocol that are bound (bind(), connect() or a send: Linux's
 * autobind), as only those are in Linux's table.
 */
static int render_netlink(struct ns *ns, FILE *f)
{
	static const int protos[] = { NETLINK_ROUTE, NETLINK_SOCK_DIAG };
	const struct sock *s;
	size_t k;

	fputs("sk               Eth Pid        Groups   Rmem     Wmem     Dump  "
	      "Locks    Drops    Inode\n", f);
	for (k = 0; k < sizeof(protos) / sizeof(protos[0]); k++) {
		fprintf(f, "%016x %-3d %-10u %08x %-8d %-8d %-5d %-8d %-8u %-8llu\n",
			0u, protos[k], 0u, 0u, 0, 0, 0, 2, 0u, 0ULL);
		for (s = ns->all; s; s = s->next) {
			if (s->family != AF_NETLINK || s->proto != protos[k] ||
			    !s->nl_bound || !s->rtnl)
				continue;
			fprintf(f, "%016x %-3d %-10u %08x %-8u %-8d %-5d %-8d %-8u %-8llu\n",
				0u, s->proto, rtnl_portid(s->rtnl),
				s->nl_groups, ns__ioctl_count(s->sv, SIOCOUTQ), 0, 0, 2, 0u,
				(unsigned long long)s->ino);
		}
	}
	return 0;
}

/* sockstat, sockstat6: sockstat_seq_show(), sockstat6_seq_show() */
static int render_sockstat(struct ns *ns, FILE *f)
{
	struct sock_counts k;
	int ret;

	if ((ret = count_socks(ns, &k)))
		return ret;
	fprintf(f, "sockets: used %u\n"
		"TCP: inuse %u orphan %u tw %u alloc %u mem 0\n"
		"UDP: inuse %u mem 0\nUDPLITE: inuse 0\nRAW: inuse %u\n"
		"FRAG: inuse 0 memory 0\n", k.all, k.tcp[0], k.orphan, k.tw,
		k.tcp_alloc, k.udp[0], k.raw[0]);
	return 0;
}

static int render_sockstat6(struct ns *ns, FILE *f)
{
	struct sock_counts k;
	int ret;

	if ((ret = count_socks(ns, &k)))
		return ret;
	fprintf(f, "TCP6: inuse %u\nUDP6: inuse %u\nUDPLITE6: inuse 0\n"
		"RAW6: inuse %u\nFRAG6: inuse 0 memory 0\n", k.tcp[1], k.udp[1],
		k.raw[1]);
	return 0;
}

/* ---- the table ---- */


static const struct {
	const char *name;
	ns_procnet_fn *fn;
} files[] = {
	{ "dev", render_dev },
	{ "route", render_route },
	{ "ipv6_route", render_ipv6_route },
	{ "fib_trie", render_fib_trie },
	{ "fib_triestat", render_fib_triestat },
	{ "if_inet6", render_if_inet6 },
	{ "arp", render_arp },
	{ "tcp", render_tcp },
	{ "tcp6", render_tcp6 },
	{ "udp", render_udp },
	{ "udp6", render_udp6 },
	{ "raw", render_raw },
	{ "raw6", render_raw6 },
	{ "igmp", render_igmp },
	{ "igmp6", render_igmp6 },
	{ "anycast6", render_anycast6 },
	{ "dev_mcast", render_dev_mcast },
	{ "snmp", render_snmp },
	{ "netstat", render_netstat },
	{ "snmp6", render_snmp6 },
	{ "sockstat", render_sockstat },
	{ "sockstat6", render_sockstat6 },
	{ "unix", render_unix },
	{ "packet", render_packet },
	{ "netlink", render_netlink },
};

/**
 * ns__procnet_file() - the printer of /proc/net/@name, if it is one of ours
 * @name:	the file's name ("tcp", "dev", ...)
 *
 * Return: the function, or NULL
 */
ns_procnet_fn *ns__procnet_file(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (!strcmp(files[i].name, name))
			return files[i].fn;
	return NULL;
}
