/* SPDX-License-Identifier: MIT */
/*
 * check_ns.c - unit tests of netstack/: the stack's lifecycle on a loop,
 * which addresses are local, its counters, and the socket table.
 *
 * ns_new() initialises lwIP (once per process: Check's fork mode gives
 * every test a fresh one) and brings up `lo`; each test ends with
 * ns_free(), runs the loop until the close callbacks ran, and asserts
 * uv_loop_close() == 0.  Internal helpers are reached through
 * netstack/internal.h; no tracer and no tracee are involved, so nothing
 * here needs a struct trc_call.  Linked with rrs_ns only.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/in_route.h>
#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "lwip/igmp.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"

#include "netstack/internal.h"
#include "netstack/netint.h"
#include "vdev.h"

struct fixture {
	uv_loop_t loop;
	struct ns *ns;
};

static void up(struct fixture *f)
{
	ck_assert_int_eq(uv_loop_init(&f->loop), 0);
	ck_assert_int_eq(ns_new(&f->loop, &f->ns), 0);
	ck_assert_ptr_nonnull(f->ns);
}

/* Free the stack, let its handles close, and check nothing is left. */
static void down(struct fixture *f)
{
	ns_free(f->ns);
	f->ns = NULL;
	ck_assert_int_eq(uv_run(&f->loop, UV_RUN_DEFAULT), 0);
	ck_assert_int_eq(uv_loop_close(&f->loop), 0);
}

static ip_addr_t addr(const char *text)
{
	ip_addr_t a;

	ck_assert_msg(ipaddr_aton(text, &a), "bad address %s", text);
	return a;
}

/* ---- lifecycle ---- */

START_TEST(ns_new_bad_arguments_einval)
{
	struct ns *ns = NULL;
	uv_loop_t loop;

	ck_assert_int_eq(uv_loop_init(&loop), 0);
	ck_assert_int_eq(ns_new(NULL, &ns), -EINVAL);
	ck_assert_int_eq(ns_new(&loop, NULL), -EINVAL);
	ck_assert_ptr_null(ns);
	ck_assert_int_eq(uv_loop_close(&loop), 0);
}
END_TEST

START_TEST(ns_new_free_loop_closes)
{
	struct fixture f;

	up(&f);
	ck_assert_ptr_nonnull(netif_list);
	down(&f);
	ck_assert_ptr_null(netif_list);
}
END_TEST

START_TEST(ns_free_after_loop_ran_closes)
{
	struct fixture f;

	up(&f);
	/* A few turns: the check handle re-arms lwIP's timer each time. */
	ck_assert_int_ne(uv_run(&f.loop, UV_RUN_NOWAIT), 0);
	ck_assert_int_ne(uv_run(&f.loop, UV_RUN_NOWAIT), 0);
	down(&f);
}
END_TEST

START_TEST(ns_free_null_is_noop)
{
	ns_free(NULL);
}
END_TEST

static void count_turn(uv_prepare_t *h)
{
	(*(unsigned int *)h->data)++;
}

static void stop_loop(uv_timer_t *h)
{
	uv_stop(h->loop);
}

START_TEST(ns_idle_wakeups_bounded)
{
	struct fixture f;
	unsigned int turns = 0;
	uv_prepare_t prep;
	uv_timer_t stop;

	up(&f);
	uv_run(&f.loop, UV_RUN_NOWAIT);	/* the check handle arms lwIP's timer */
	uv_prepare_init(&f.loop, &prep);
	prep.data = &turns;
	uv_prepare_start(&prep, count_turn);
	uv_timer_init(&f.loop, &stop);
	uv_timer_start(&stop, stop_loop, 1000, 0);
	uv_run(&f.loop, UV_RUN_DEFAULT);
	/* Idle: lwIP's cyclic timers at most (ARP, ND and reassembly
	 * together every second; IGMP and MLD only while a report is due,
	 * none here), never a busy loop. */
	ck_assert_msg(turns <= 4, "%u loop turns in 1 s idle", turns);
	uv_close((uv_handle_t *)&prep, NULL);
	uv_close((uv_handle_t *)&stop, NULL);
	down(&f);
}
END_TEST

/* Run the loop for @ms milliseconds; return how many turns it took. */
static unsigned int run_for(struct fixture *f, uint64_t ms)
{
	unsigned int turns = 0;
	uv_prepare_t prep;
	uv_timer_t stop;

	uv_prepare_init(&f->loop, &prep);
	prep.data = &turns;
	uv_prepare_start(&prep, count_turn);
	uv_timer_init(&f->loop, &stop);
	uv_timer_start(&stop, stop_loop, ms, 0);
	uv_run(&f->loop, UV_RUN_DEFAULT);
	uv_close((uv_handle_t *)&prep, NULL);
	uv_close((uv_handle_t *)&stop, NULL);
	uv_run(&f->loop, UV_RUN_NOWAIT);	/* their close callbacks */
	return turns;
}

/* Add eth0, a link device with endpoints in the fresh folder @dir. */
static struct netif *add_link(struct fixture *f, char *dir)
{
	char local[256], remote[256], err[160];
	const char *r[1] = { remote };
	struct vdev_link_opts o = { .local = local, .remote = r, .n_remote = 1 };
	struct net_dev *d;
	int idx;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(local, sizeof(local), "%s/a", dir);
	snprintf(remote, sizeof(remote), "%s/b", dir);
	idx = net_link_add(ns_net(f->ns), "eth0", &o, err, sizeof(err));
	ck_assert_msg(idx > 0, "net_link_add: %s", err);
	d = net__dev(ns_net(f->ns), (uint32_t)idx);
	ck_assert_ptr_nonnull(d);
	return vdev_netif(d->vdev);
}

START_TEST(ns_idle_link_wakes_once_a_second)
{
	char dir[] = "/tmp/check_ns.XXXXXX";
	struct fixture f;
	unsigned int turns;

	up(&f);
	add_link(&f, dir);
	run_for(&f, 1500);	/* the link-local address's MLD reports */
	ck_assert(!uv_is_active((uv_handle_t *)&f.ns->mcast_timer));
	turns = run_for(&f, 2000);
	/* An Ethernet device has IGMP and MLD: before patch 0013 their
	 * 100 ms ticks made 20 turns in 2 s; now the 1 s timers only. */
	ck_assert_msg(turns <= 6, "%u loop turns in 2 s idle with a link", turns);
	down(&f);
	rmdir(dir);
}
END_TEST

static int fwd(struct fixture *f, int family, const char *dev)
{
	int val = -99, ret = net_forward_get(ns_net(f->ns), family, dev, &val);

	return ret ? ret * 1000 : val;	/* an error shows as -19000 ... */
}

/* The event recorders' step: @fmt's text after what @buf (@cap bytes)
 * holds already */
static void rec_add(char *buf, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void rec_add(char *buf, size_t cap, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf + len, cap - len, fmt, ap);
	va_end(ap);
}

/* Linux's forwarding sysctls: all sets default and every device, default
 * what a new device starts with; IPv4 forwards by the incoming device's,
 * IPv6 by all's. */
/* net_listen_fn: NET_EV_NETCONF events as "4:IFINDEX=VALUE ", "+" before
 * a device's added, "-4:IFINDEX " a device's gone; "L" a link event */
static void conf_rec(void *arg, const struct net_event *ev)
{
	if (ev->type == NET_EV_NEWLINK || ev->type == NET_EV_DELLINK)
		rec_add(arg, 256, "L ");
	else if (ev->type == NET_EV_NETCONF && ev->conf->gone)
		rec_add(arg, 256, "-%d:%d ",
			ev->conf->family == AF_INET ? 4 : 6,
			(int)ev->conf->ifindex);
	else if (ev->type == NET_EV_NETCONF)
		rec_add(arg, 256, "%s%d:%d=%d ",
			ev->conf->added ? "+" : "",
			ev->conf->family == AF_INET ? 4 : 6,
			(int)ev->conf->ifindex, ev->conf->forwarding);
}

START_TEST(ns_forward_sysctls_as_linux)
{
	char told[256] = "";
	char dir[] = "/tmp/check_ns.XXXXXX", dir2[] = "/tmp/check_ns.XXXXXX";
	struct net *n;
	struct fixture f;
	struct netif *eth0, *lo;

	up(&f);
	n = ns_net(f.ns);
	lo = vdev_netif(n->devs->vdev);
	ck_assert_int_eq(fwd(&f, AF_INET, "all"), 1);	/* a router */
	ck_assert_int_eq(fwd(&f, AF_INET, "default"), 1);
	ck_assert_int_eq(fwd(&f, AF_INET, "lo"), 1);
	ck_assert_int_eq(fwd(&f, AF_INET6, "all"), 1);
	ck_assert_int_eq(net_forward_set(n, AF_INET, "all", 0), 0);
	ck_assert_int_eq(fwd(&f, AF_INET, "default"), 0);
	ck_assert_int_eq(fwd(&f, AF_INET, "lo"), 0);
	ck_assert_int_eq(fwd(&f, AF_INET6, "all"), 1);
	ck_assert_int_eq(fwd(&f, AF_INET6, "lo"), 1);
	ck_assert_int_eq(net_forward_set(n, AF_INET, "default", 1), 0);
	ck_assert_int_eq(fwd(&f, AF_INET, "all"), 0);
	eth0 = add_link(&f, dir);
	ck_assert_int_eq(fwd(&f, AF_INET, "eth0"), 1);	/* from default */
	ck_assert_int_eq(fwd(&f, AF_INET6, "eth0"), 1);
	ck_assert_int_eq(fwd(&f, AF_INET, "lo"), 0);
	ck_assert_int_eq(net_forward_set(n, AF_INET, "lo", 5), 0);
	ck_assert_int_eq(fwd(&f, AF_INET, "lo"), 5);
	ck_assert_int_eq(fwd(&f, AF_INET, "all"), 0);
	ck_assert_int_eq(net_forward_set(n, AF_INET, "eth9", 1), -ENODEV);
	ck_assert_int_eq(fwd(&f, AF_INET, "eth9"), -ENODEV * 1000);
	ck_assert_int_eq(net_forward_set(n, AF_UNIX, "all", 1), -EAFNOSUPPORT);
	ck_assert_int_eq(fwd(&f, AF_PACKET, "all"), -EAFNOSUPPORT * 1000);

	ck_assert(net__forwards(n, false, eth0));
	ck_assert(net__forwards(n, false, lo));
	ck_assert_int_eq(net_forward_set(n, AF_INET, "eth0", 0), 0);
	ck_assert(!net__forwards(n, false, eth0));
	ck_assert(net__forwards(n, true, eth0));
	ck_assert_int_eq(net_forward_set(n, AF_INET6, "eth0", 0), 0);
	ck_assert(net__forwards(n, true, eth0));	/* IPv6: all's */
	ck_assert_int_eq(net_forward_set(n, AF_INET6, "all", 0), 0);
	ck_assert(!net__forwards(n, true, eth0));
	ck_assert_int_eq(fwd(&f, AF_INET6, "default"), 0);
	ck_assert_int_eq(net_forward_set(n, AF_INET, "all", 1), 0);
	ck_assert(net__forwards(n, false, eth0));
	ck_assert_int_eq(fwd(&f, AF_INET, "lo"), 1);

	/* what is told (RTM_NEWNETCONF), when and in which order Linux
	 * tells it: IPv4 a new value only, a new "all" with every device;
	 * IPv6 every value that turned on or off, "all" last */
	ck_assert_int_eq(net_listen(n, conf_rec, told), 0);
	ck_assert_int_eq(net_forward_set(n, AF_INET, "all", 1), 0);
	ck_assert_str_eq(told, "");
	ck_assert_int_eq(net_forward_set(n, AF_INET, "eth0", 0), 0);
	ck_assert_str_eq(told, "4:2=0 ");
	told[0] = '\0';
	ck_assert_int_eq(net_forward_set(n, AF_INET, "all", 0), 0);
	ck_assert_str_eq(told, "4:-1=0 4:-2=0 4:1=0 4:2=0 ");
	told[0] = '\0';
	ck_assert_int_eq(net_forward_set(n, AF_INET6, "all", 1), 0);
	ck_assert_str_eq(told, "6:-2=1 6:1=1 6:2=1 6:-1=1 ");
	told[0] = '\0';
	ck_assert_int_eq(net_forward_set(n, AF_INET6, "eth0", 2), 0);
	ck_assert_str_eq(told, "");
	ck_assert_int_eq(fwd(&f, AF_INET6, "eth0"), 2);
	ck_assert_int_eq(net_forward_set(n, AF_INET6, "default", 0), 0);
	ck_assert_str_eq(told, "6:-2=0 ");
	/* a device's come and gone before its link event */
	told[0] = '\0';
	ck_assert_int_eq(net_link_del(n, 2, NULL, 0), 0);
	ck_assert_str_eq(told, "-4:2 -6:2 L ");
	told[0] = '\0';
	ck_assert_int_eq(net_forward_set(n, AF_INET, "default", 7), 0);
	add_link(&f, dir2);
	ck_assert_str_eq(told, "4:-2=7 +4:3=7 +6:3=0 L ");
	net_unlisten(n, conf_rec, told);
	down(&f);
	rmdir(dir);
	rmdir(dir2);
}
END_TEST

/* net_addr_fn: eth0's IPv4 addresses as "A[>PEER]/LEN LABEL[ s]," */
static int v4_rec(void *arg, const struct net_addr *a)
{
	char *buf = arg, x[16], y[16];
	size_t len = strlen(buf);

	if (a->ifindex != 2)
		return 0;
	inet_ntop(AF_INET, a->addr, x, sizeof(x));
	inet_ntop(AF_INET, a->peer, y, sizeof(y));
	snprintf(buf + len, 512 - len, "%s%s%s/%u %.16s%s,", x, a->has_peer ? ">" : "",
		 a->has_peer ? y : "", a->plen, a->label,
		 a->flags & IFA_F_SECONDARY ? " s" : "");
	return 0;
}

static const char *v4_list(struct net *n, char *buf)
{
	buf[0] = '\0';
	net_addr_walk(n, AF_INET, v4_rec, buf);
	return buf;
}

/* net_listen_fn: address events as "+LABEL " / "-LABEL " */
static void addr_ev_rec(void *arg, const struct net_event *ev)
{
	if (ev->type == NET_EV_NEWADDR || ev->type == NET_EV_DELADDR)
		rec_add(arg, 512, "%c%.16s ",
			ev->type == NET_EV_NEWADDR ? '+' : '-', ev->addr->label);
}

static struct net_addr v4(const char *addr, unsigned int plen, const char *peer,
			  const char *label)
{
	struct net_addr a = { .ifindex = 2, .family = AF_INET, .plen = (uint8_t)plen };

	inet_pton(AF_INET, addr, a.addr);
	if (peer) {
		inet_pton(AF_INET, peer, a.peer);
		a.has_peer = true;
	}
	if (label)
		snprintf(a.label, sizeof(a.label), "%s", label);
	return a;
}

/* IPv4 addresses as Linux tells them apart (address, mask, subnet: the
 * peer's when there is one), removes them (a request without IFA_ADDRESS
 * takes any mask; a label must match) and labels them (the device's
 * name, renamed with it as inetdev_changename()) */
START_TEST(ns_addr_peers_and_labels_as_linux)
{
	char dir[] = "/tmp/check_ns.XXXXXX", buf[512], told[512] = "";
	struct fixture f;
	struct net_addr a;
	struct net_link_change ch = { .up = -1, .name = "wan0" };
	struct netif *eth0;
	struct net *n;

	up(&f);
	n = ns_net(f.ns);
	eth0 = add_link(&f, dir);
	a = v4("10.9.0.1", 32, "10.9.0.2", NULL);
	ck_assert_int_eq(net_addr_add(n, &a, NLM_F_CREATE | NLM_F_EXCL, NULL, 0), 0);
	ck_assert_int_eq(net_addr_add(n, &a, NLM_F_CREATE | NLM_F_EXCL, NULL, 0), -EEXIST);
	a = v4("10.9.0.1", 32, "10.9.0.3", "eth0:b");
	ck_assert_int_eq(net_addr_add(n, &a, NLM_F_CREATE | NLM_F_EXCL, NULL, 0), 0);
	a = v4("10.9.0.1", 24, NULL, NULL);	/* the same address, another mask */
	ck_assert_int_eq(net_addr_add(n, &a, NLM_F_CREATE | NLM_F_EXCL, NULL, 0), 0);
	a = v4("10.9.0.7", 24, NULL, NULL);
	ck_assert_int_eq(net_addr_add(n, &a, NLM_F_CREATE | NLM_F_EXCL, NULL, 0), 0);
	a = v4("10.9.0.9", 24, "10.9.0.1", NULL);	/* the peer's subnet: 10.9.0/24 */
	ck_assert_int_eq(net_addr_add(n, &a, NLM_F_CREATE | NLM_F_EXCL, NULL, 0), 0);
	ck_assert_str_eq(v4_list(n, buf), "10.9.0.1>10.9.0.2/32 eth0,10.9.0.1>10.9.0.3/32 eth0:b,"
			 "10.9.0.1/24 eth0,10.9.0.7/24 eth0 s,10.9.0.9>10.9.0.1/24 eth0 s,");
	ck_assert_uint_eq(netif_ip4_addr(eth0)->addr, a.peer[0] | a.peer[1] << 8 |
			  a.peer[2] << 16 | (uint32_t)a.peer[3] << 24);
	/* the source toward a peer is its point-to-point address's */
	a = v4("10.42.0.1", 32, "10.42.0.2", NULL);
	ck_assert_int_eq(net_addr_add(n, &a, NLM_F_CREATE | NLM_F_EXCL, NULL, 0), 0);
	ck_assert(net__select_src4(n, 2, a.peer, (uint8_t *)buf));
	ck_assert_mem_eq(buf, a.addr, 4);
	ck_assert_int_eq(net_addr_del(n, &a, NULL, 0), 0);

	/* removal: a peer's address wants its peer; a label must match */
	a = v4("10.9.0.1", 32, NULL, NULL);
	ck_assert_int_eq(net_addr_del(n, &a, NULL, 0), -EADDRNOTAVAIL);
	a = v4("10.9.0.1", 32, "10.9.0.3", "eth0:c");
	ck_assert_int_eq(net_addr_del(n, &a, NULL, 0), -EADDRNOTAVAIL);
	memcpy(a.label, "eth0:b", 7);
	ck_assert_int_eq(net_addr_del(n, &a, NULL, 0), 0);
	/* no length: the first of that address, whatever its mask; the
	 * netif keeps the address while another of it is left */
	a = v4("10.9.0.1", 0, NULL, NULL);
	ck_assert_int_eq(net_addr_del(n, &a, NULL, 0), 0);
	ck_assert_str_eq(v4_list(n, buf), "10.9.0.1/24 eth0,10.9.0.7/24 eth0 s,"
			 "10.9.0.9>10.9.0.1/24 eth0 s,");
	ck_assert_uint_eq(netif_ip4_addr(eth0)->addr, a.addr[0] | a.addr[1] << 8 |
			  a.addr[2] << 16 | (uint32_t)a.addr[3] << 24);

	/* a rename relabels, the first address with the plain name, each
	 * other with its suffix or ":N", and tells each */
	a = v4("10.8.0.1", 24, NULL, "eth0:x");
	ck_assert_int_eq(net_addr_add(n, &a, NLM_F_CREATE | NLM_F_EXCL, NULL, 0), 0);
	ck_assert_int_eq(net_listen(n, addr_ev_rec, told), 0);
	ck_assert_int_eq(net_link_set(n, 2, &ch, NULL, 0), 0);
	ck_assert_str_eq(v4_list(n, buf), "10.9.0.1/24 wan0,10.8.0.1/24 wan0:x,"
			 "10.9.0.7/24 wan0:3 s,10.9.0.9>10.9.0.1/24 wan0:4 s,");
	ck_assert_str_eq(told, "+wan0 +wan0:x +wan0:3 +wan0:4 ");
	/* the primary takes its secondaries with it, as before */
	a = v4("10.9.0.1", 24, NULL, NULL);
	ck_assert_int_eq(net_addr_del(n, &a, NULL, 0), 0);
	ck_assert_str_eq(v4_list(n, buf), "10.8.0.1/24 wan0:x,");

	/* a route of another device with its address as source goes with
	 * the device (inetdev_destroy(), fib_del_ifaddr()) */
	{
		struct rt_route r = { .family = AF_INET, .dst = { 10, 77 }, .dst_len = 16,
				      .table = RT_TABLE_MAIN_ID, .type = RTN_UNICAST,
				      .protocol = RTPROT_STATIC, .scope = RT_SCOPE_LINK,
				      .n_nh = 1, .has_prefsrc = true,
				      .prefsrc = { 10, 8, 0, 1 } };
		struct rt_result res;
		uint8_t dst[16] = { 10, 77, 0, 1 };

		r.nh[0].ifindex = 1;
		r.nh[0].weight = 1;
		ck_assert_int_eq(net_route_add(n, &r, RT_ADD_CREATE | RT_ADD_EXCL, NULL, 0), 0);
		r.prefsrc[3] = 9;	/* not the sandbox's */
		r.dst[2] = 1;
		ck_assert_int_eq(net_route_add(n, &r, RT_ADD_CREATE | RT_ADD_EXCL, NULL, 0),
				 -EINVAL);
		ck_assert_int_eq(rt_lookup(n->rt, 0, AF_INET, dst, 0, &res), 0);
		ck_assert_int_eq(net_link_del(n, 2, NULL, 0), 0);
		ck_assert_int_eq(rt_lookup(n->rt, 0, AF_INET, dst, 0, &res), -ENETUNREACH);
	}
	down(&f);
	rmdir(dir);
}
END_TEST

/* onlink without a gateway (Linux 6.18, fib_check_nh_nongw()): IPv4
 * refuses it, in a multipath next hop too, but for a host-scope (local)
 * route; IPv6 takes it */
START_TEST(ns_route_onlink_without_gateway_as_linux)
{
	char dir[] = "/tmp/check_ns.XXXXXX", err[128];
	struct rt_route r = { .family = AF_INET, .dst = { 10, 9 }, .dst_len = 24,
			      .table = RT_TABLE_MAIN_ID, .type = RTN_UNICAST,
			      .protocol = RTPROT_BOOT, .scope = RT_SCOPE_LINK,
			      .n_nh = 1 };
	struct fixture f;
	struct net *n;

	up(&f);
	n = ns_net(f.ns);
	add_link(&f, dir);
	r.nh[0].ifindex = 2;
	r.nh[0].weight = 1;
	r.nh[0].flags = RTNH_F_ONLINK;
	ck_assert_int_eq(net_route_add(n, &r, RT_ADD_CREATE | RT_ADD_EXCL, err,
				       sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "Invalid flags for nexthop - PERVASIVE and ONLINK can not be set");
	r.nh[0].ifindex = 99;	/* before the device is looked up */
	ck_assert_int_eq(net_route_add(n, &r, RT_ADD_CREATE | RT_ADD_EXCL, err,
				       sizeof(err)), -EINVAL);
	r.nh[0].ifindex = 2;
	r.n_nh = 2;		/* nexthop via 10.0.0.9 ... nexthop dev eth0 onlink */
	r.nh[1] = r.nh[0];
	r.nh[0].flags = RTNH_F_ONLINK;
	r.nh[0].has_gw = true;
	memcpy(r.nh[0].gw, "\x0a\x07\x00\x09", 4);
	ck_assert_int_eq(net_route_add(n, &r, RT_ADD_CREATE | RT_ADD_EXCL, err,
				       sizeof(err)), -EINVAL);
	r.n_nh = 1;
	ck_assert_int_eq(net_route_add(n, &r, RT_ADD_CREATE | RT_ADD_EXCL, NULL, 0), 0);
	r.dst[2] = 5;		/* local 10.9.5.1 dev eth0 onlink */
	r.dst[3] = 1;
	r.dst_len = 32;
	r.type = RTN_LOCAL;
	r.scope = RT_SCOPE_HOST;
	r.table = RT_TABLE_LOCAL_ID;
	r.nh[0] = r.nh[1];
	ck_assert_int_eq(net_route_add(n, &r, RT_ADD_CREATE | RT_ADD_EXCL, NULL, 0), 0);
	memset(&r.dst, 0, sizeof(r.dst));	/* fd09::/64 dev eth0 onlink */
	r.family = AF_INET6;
	r.dst[0] = 0xfd;
	r.dst[1] = 0x09;
	r.dst_len = 64;
	r.type = RTN_UNICAST;
	r.scope = RT_SCOPE_UNIVERSE;
	r.table = RT_TABLE_MAIN_ID;
	r.priority = 1024;
	ck_assert_int_eq(net_route_add(n, &r, RT_ADD_CREATE | RT_ADD_EXCL, NULL, 0), 0);
	down(&f);
	rmdir(dir);
}
END_TEST

/* fib_create_info()'s next hop checks before fib_check_nh() (6.18): a
 * route that rejects takes no device or gateway, a host-scope one no
 * gateway and one next hop at most; before the device is looked up */
START_TEST(ns_route_v4_reject_and_host_scope_next_hops_as_linux)
{
	char dir[] = "/tmp/check_ns.XXXXXX", err[128];
	struct rt_route r = { .family = AF_INET, .dst = { 10, 77 }, .dst_len = 16,
			      .table = RT_TABLE_MAIN_ID, .type = RTN_BLACKHOLE,
			      .protocol = RTPROT_BOOT, .n_nh = 1 };
	struct fixture f;
	struct net *n;

	up(&f);
	n = ns_net(f.ns);
	add_link(&f, dir);
	r.nh[0].ifindex = 99;
	r.nh[0].weight = 1;
	ck_assert_int_eq(net_route_add(n, &r, RT_ADD_CREATE, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "Gateway, device and multipath can not be specified for this route type");
	r.n_nh = 0;
	ck_assert_int_eq(net_route_add(n, &r, RT_ADD_CREATE, NULL, 0), 0);
	r.type = RTN_UNICAST;
	r.scope = RT_SCOPE_HOST;
	r.dst[2] = 1;
	r.n_nh = 1;
	r.nh[0].has_gw = true;
	memcpy(r.nh[0].gw, "\x0a\0\0\x09", 4);
	ck_assert_int_eq(net_route_add(n, &r, RT_ADD_CREATE, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "Route with host scope can not have a gateway");
	r.n_nh = 2;
	r.nh[1] = r.nh[0];
	ck_assert_int_eq(net_route_add(n, &r, RT_ADD_CREATE, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "Route with host scope can not have multiple nexthops");
	down(&f);
	rmdir(dir);
}
END_TEST

/* One `ip route get` answer of net_route_output4(): 0 or its error */
static int out4(struct net *n, const char *dst, const char *from, uint32_t oif,
		struct rt_result *res, uint8_t *src, uint32_t *rtcf, bool *fib)
{
	struct rt_flow fl = { .oif = oif };
	uint8_t d[4] = { 0 }, f[4] = { 0 };

	inet_pton(AF_INET, dst, d);
	if (from)
		inet_pton(AF_INET, from, f);
	return net_route_output4(n, d, f, &fl, res, src, rtcf, fib);
}

/* IPv4 output routes as Linux 6.18's ip_route_output_key_hash_rcu()
 * makes them (checked with ip route get in a namespace): 0.0.0.0 is the
 * source itself through lo; a device asked for that the tables give no
 * route through gets one on link; the lookup through it takes the
 * longest route with a next hop there; a loopback source leaves by lo */
START_TEST(ns_route_output4_zero_and_oif_as_linux)
{
	char dir[] = "/tmp/check_ns.XXXXXX";
	struct net_link_change ch = { .up = 1 };
	struct rt_route r = { .family = AF_INET, .dst = { 10, 20 }, .dst_len = 16,
			      .table = RT_TABLE_MAIN_ID, .type = RTN_UNICAST,
			      .protocol = RTPROT_BOOT, .scope = RT_SCOPE_LINK,
			      .n_nh = 1 };
	struct rt_result res;
	struct net_addr a;
	uint8_t src[16];
	uint32_t rtcf;
	struct fixture f;
	struct net *n;
	bool fib;

	up(&f);
	n = ns_net(f.ns);
	add_link(&f, dir);
	ck_assert_int_eq(net_link_set(n, 2, &ch, NULL, 0), 0);
	a = v4("10.0.0.1", 24, NULL, NULL);
	ck_assert_int_eq(net_addr_add(n, &a, NLM_F_CREATE | NLM_F_EXCL, NULL, 0), 0);

	/* local 0.0.0.0 dev lo src 127.0.0.1, cache <local>; no fib entry */
	ck_assert_int_eq(out4(n, "0.0.0.0", NULL, 0, &res, src, &rtcf, &fib), 0);
	ck_assert_uint_eq(res.route.type, RTN_LOCAL);
	ck_assert_uint_eq(res.route.nh[0].ifindex, 1);
	ck_assert_mem_eq(src, "\x7f\0\0\x01", 4);
	ck_assert_uint_eq(rtcf, RTCF_LOCAL);
	ck_assert(!fib);
	/* 0.0.0.0 oif eth0: eth0's address is the source */
	ck_assert_int_eq(out4(n, "0.0.0.0", NULL, 2, &res, src, &rtcf, &fib), 0);
	ck_assert_mem_eq(src, "\x0a\0\0\x01", 4);
	/* 8.8.8.8 oif lo: no route, on link through lo, <local>, a source
	 * of link scope or wider (not 127.0.0.1) */
	ck_assert_int_eq(out4(n, "8.8.8.8", NULL, 0, &res, src, &rtcf, &fib), -ENETUNREACH);
	ck_assert_int_eq(out4(n, "8.8.8.8", NULL, 1, &res, src, &rtcf, &fib), 0);
	ck_assert_uint_eq(res.route.type, RTN_UNICAST);
	ck_assert_uint_eq(res.route.nh[0].ifindex, 1);
	ck_assert_mem_eq(src, "\x0a\0\0\x01", 4);
	ck_assert_uint_eq(rtcf, RTCF_LOCAL);
	/* 10.0.0.5 oif lo: 10.0.0.0/24 is eth0's, so on link through lo */
	ck_assert_int_eq(out4(n, "10.0.0.5", NULL, 1, &res, src, &rtcf, &fib), 0);
	ck_assert_uint_eq(res.route.nh[0].ifindex, 1);
	ck_assert(!fib);
	/* 255.255.255.255 oif lo: <local,brd> */
	ck_assert_int_eq(out4(n, "255.255.255.255", NULL, 1, &res, src, &rtcf, &fib), 0);
	ck_assert_uint_eq(res.route.type, RTN_BROADCAST);
	ck_assert_uint_eq(rtcf, RTCF_BROADCAST | RTCF_LOCAL);
	/* 224.0.0.1 oif lo: lo has the all-hosts group, <local,mc> */
	ck_assert_int_eq(out4(n, "224.0.0.1", NULL, 1, &res, src, &rtcf, &fib), 0);
	ck_assert_uint_eq(rtcf, RTCF_MULTICAST | RTCF_LOCAL);
	/* a loopback source only leaves by lo */
	ck_assert_int_eq(out4(n, "10.0.0.5", "127.0.0.1", 0, &res, src, &rtcf, &fib), -EINVAL);
	/* 10.20.0.0/16 dev lo, default via 10.0.0.254: through eth0,
	 * 10.20.0.1 takes the default route */
	r.nh[0].ifindex = 1;
	r.nh[0].weight = 1;
	ck_assert_int_eq(net_route_add(n, &r, RT_ADD_CREATE | RT_ADD_EXCL, NULL, 0), 0);
	memset(r.dst, 0, sizeof(r.dst));
	r.dst_len = 0;
	r.scope = RT_SCOPE_UNIVERSE;
	r.nh[0].ifindex = 2;
	r.nh[0].has_gw = true;
	memcpy(r.nh[0].gw, "\x0a\0\0\xfe", 4);
	ck_assert_int_eq(net_route_add(n, &r, RT_ADD_CREATE | RT_ADD_EXCL, NULL, 0), 0);
	ck_assert_int_eq(out4(n, "10.20.0.1", NULL, 2, &res, src, &rtcf, &fib), 0);
	ck_assert(fib);
	ck_assert_uint_eq(res.route.dst_len, 0);
	ck_assert(res.route.nh[res.nh].has_gw);
	ck_assert_mem_eq(src, "\x0a\0\0\x01", 4);
	down(&f);
	rmdir(dir);
}
END_TEST

START_TEST(ns_mcast_timer_only_while_report_due)
{
	char dir[] = "/tmp/check_ns.XXXXXX";
	struct igmp_group *g;
	struct fixture f;
	struct netif *n;
	ip4_addr_t grp;

	up(&f);
	n = add_link(&f, dir);
	run_for(&f, 1500);
	ck_assert(!uv_is_active((uv_handle_t *)&f.ns->mcast_timer));
	IP4_ADDR(&grp, 239, 1, 2, 3);
	ck_assert_int_eq(igmp_joingroup_netif(n, &grp), ERR_OK);
	uv_run(&f.loop, UV_RUN_NOWAIT);	/* the turn's check arms it */
	ck_assert(uv_is_active((uv_handle_t *)&f.ns->mcast_timer));
	run_for(&f, 1500);	/* the join's second report: within 0.5 s */
	g = igmp_lookfor_group(n, &grp);
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(g->timer, 0);
	ck_assert(!uv_is_active((uv_handle_t *)&f.ns->mcast_timer));
	down(&f);
	rmdir(dir);
}
END_TEST

/* ---- ns__addr_is_local() ---- */

START_TEST(ns_addr_is_local_loopback_and_wildcard)
{
	static const char *const local[] = {
		"127.0.0.1", "127.0.0.5", "127.255.255.254", "::1",
		"0.0.0.0", "::",
	};
	struct fixture f;
	ip_addr_t a;
	size_t i;

	up(&f);
	for (i = 0; i < sizeof(local) / sizeof(local[0]); i++) {
		a = addr(local[i]);
		ck_assert_msg(ns__addr_is_local(&a), "%s not local", local[i]);
	}
	ck_assert(ns__addr_is_local(IP_ANY_TYPE));
	down(&f);
}
END_TEST

START_TEST(ns_addr_is_local_others_false)
{
	static const char *const remote[] = {
		"10.0.0.1", "128.0.0.1", "192.0.2.1", "255.255.255.255",
		"2001:db8::1", "::2", "fe80::1", "::ffff:127.0.0.1",
	};
	struct fixture f;
	ip_addr_t a;
	size_t i;

	up(&f);
	for (i = 0; i < sizeof(remote) / sizeof(remote[0]); i++) {
		a = addr(remote[i]);
		ck_assert_msg(!ns__addr_is_local(&a), "%s is local", remote[i]);
	}
	down(&f);
}
END_TEST

/* ---- ns_stats() ---- */

START_TEST(ns_stats_zero_at_start)
{
	struct ns_stats st;
	struct fixture f;

	up(&f);
	memset(&st, 0xff, sizeof(st));
	ns_stats(f.ns, &st);
	ck_assert_uint_eq(st.socks, 0);
	ck_assert_uint_eq(st.held, 0);
	ck_assert_uint_eq(st.tcp_pcbs, 0);
	ck_assert_uint_eq(st.udp_pcbs, 0);
	down(&f);
}
END_TEST

START_TEST(ns_stats_counts_lwip_pcbs)
{
	struct tcp_pcb *t, *l;
	struct udp_pcb *u;
	struct ns_stats st;
	struct fixture f;
	ip_addr_t lo = addr("127.0.0.1");

	up(&f);
	t = tcp_new_ip_type(IPADDR_TYPE_V4);
	u = udp_new_ip_type(IPADDR_TYPE_V4);
	ck_assert_int_eq(tcp_bind(t, &lo, 0), ERR_OK);
	ck_assert_int_eq(udp_bind(u, &lo, 0), ERR_OK);
	ns_stats(f.ns, &st);
	ck_assert_uint_eq(st.tcp_pcbs, 1);
	ck_assert_uint_eq(st.udp_pcbs, 1);
	l = tcp_listen(t);
	ck_assert_ptr_nonnull(l);
	ns_stats(f.ns, &st);
	ck_assert_uint_eq(st.tcp_pcbs, 1);
	tcp_close(l);
	udp_remove(u);
	ns_stats(f.ns, &st);
	ck_assert_uint_eq(st.tcp_pcbs, 0);
	ck_assert_uint_eq(st.udp_pcbs, 0);
	ck_assert_uint_eq(st.socks, 0);
	down(&f);
}
END_TEST

/* ---- the socket table ---- */

#define MANY 5000	/* more than NS_HASH_SIZE: chains get long */

/* A socket's owner (sk_uid): the supervisor's euid, which its processes
 * all have unless it runs as root; then the maker's fsuid from /proc */
START_TEST(ns_sock_uid_is_the_makers_fsuid)
{
	struct fixture f;
	struct sock *s;
	int p[2];
	pid_t pid;
	char c;

	up(&f);
	s = ns__sock_new(f.ns, AF_INET, SOCK_DGRAM, IPPROTO_UDP);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(s->uid, geteuid());
	ck_assert_uint_eq(ns__sock_uid(f.ns, 0), geteuid());
	if (geteuid() == 0) {
		ck_assert_int_eq(pipe(p), 0);
		pid = fork();
		ck_assert_int_ge(pid, 0);
		if (!pid) {
			setfsuid(4321);
			if (write(p[1], "x", 1) != 1)
				_exit(1);
			pause();
			_exit(0);
		}
		ck_assert_int_eq(read(p[0], &c, 1), 1);
		ck_assert_uint_eq(ns__sock_uid(f.ns, pid), 4321);
		f.ns->net->uid = 1000;	/* not root: no look */
		ck_assert_uint_eq(ns__sock_uid(f.ns, pid), 1000);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		close(p[0]);
		close(p[1]);
	}
	ns__sock_free(s);
	down(&f);
}
END_TEST

START_TEST(ns_sock_find_by_inode)
{
	static struct sock *s[MANY];
	struct ns_stats st;
	struct fixture f;
	unsigned int i;

	up(&f);
	for (i = 0; i < MANY; i++) {
		s[i] = ns__sock_new(f.ns, AF_INET, SOCK_DGRAM, IPPROTO_UDP);
		ck_assert_ptr_nonnull(s[i]);
		ns__sock_register(s[i], 1000 + (uint64_t)i * 4096);
	}
	ns_stats(f.ns, &st);
	ck_assert_uint_eq(st.socks, MANY);
	for (i = 0; i < MANY; i++)
		ck_assert_ptr_eq(ns__sock_find(f.ns, 1000 + (uint64_t)i * 4096), s[i]);
	ck_assert_ptr_null(ns__sock_find(f.ns, 999));
	ck_assert_ptr_null(ns__sock_find(f.ns, 1001));
	for (i = 0; i < MANY; i += 2)
		ns__sock_free(s[i]);
	for (i = 0; i < MANY; i++)
		ck_assert_ptr_eq(ns__sock_find(f.ns, 1000 + (uint64_t)i * 4096),
				 i % 2 ? s[i] : NULL);
	ns_stats(f.ns, &st);
	ck_assert_uint_eq(st.socks, MANY / 2);
	down(&f);		/* frees the odd ones */
}
END_TEST

START_TEST(ns_sock_held_counted)
{
	struct ns_stats st;
	struct fixture f;
	struct sock *a, *b;

	up(&f);
	a = ns__sock_new(f.ns, AF_INET6, SOCK_STREAM, IPPROTO_TCP);
	b = ns__sock_new(f.ns, AF_INET, SOCK_DGRAM, IPPROTO_UDP);
	ns__sock_set_held(a, true);
	ns__sock_set_held(a, true);	/* idempotent */
	ns__sock_set_held(b, true);
	ns_stats(f.ns, &st);
	ck_assert_uint_eq(st.socks, 2);
	ck_assert_uint_eq(st.held, 2);
	ns__sock_set_held(b, false);
	ns_stats(f.ns, &st);
	ck_assert_uint_eq(st.held, 1);
	ns__sock_free(a);		/* a held socket leaves the count too */
	ns_stats(f.ns, &st);
	ck_assert_uint_eq(st.socks, 1);
	ck_assert_uint_eq(st.held, 0);
	down(&f);
}
END_TEST

START_TEST(ns_sock_pair_inode_is_program_end)
{
	struct fixture f;
	struct stat st;
	struct sock *s;
	int tend = -1;

	up(&f);
	s = ns__sock_new(f.ns, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	ck_assert_int_eq(ns__sock_pair(s, SOCK_STREAM, true, &tend), 0);
	ck_assert_int_ge(s->sv, 0);
	ck_assert_int_ge(tend, 0);
	ck_assert_int_eq(fstat(tend, &st), 0);
	ck_assert_uint_eq(s->ino, st.st_ino);
	/* The supervisor's end never blocks; the program's as asked. */
	ck_assert_int_eq(fcntl(s->sv, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	ck_assert_int_eq(fcntl(tend, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	ck_assert_int_eq(fcntl(s->sv, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	ns__sock_free(s);
	close(tend);
	down(&f);
}
END_TEST

START_TEST(ns_sock_pair_blocking_program_end)
{
	struct fixture f;
	struct sock *s;
	int tend = -1;

	up(&f);
	s = ns__sock_new(f.ns, AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
	ck_assert_int_eq(ns__sock_pair(s, SOCK_SEQPACKET, false, &tend), 0);
	ck_assert_int_eq(fcntl(tend, F_GETFL) & O_NONBLOCK, 0);
	ns__sock_free(s);
	close(tend);
	down(&f);
}
END_TEST

START_TEST(ns_tcp_stuff_program_end_not_writable)
{
	struct pollfd pfd;
	struct fixture f;
	struct sock *s;
	int tend = -1, big = 1 << 20;
	char buf[4096];

	up(&f);
	s = ns__sock_new(f.ns, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	ck_assert_int_eq(ns__sock_pair(s, SOCK_STREAM, false, &tend), 0);
	ns__tcp_stuff(s, tend);
	ck_assert_int_gt(s->stuffed, 0);
	/* design.md, "Connect readiness": no POLLOUT before the connection. */
	pfd.fd = tend;
	pfd.events = POLLOUT;
	ck_assert_int_eq(poll(&pfd, 1, 0), 0);
	/* Drained and with its buffer raised, it becomes writable. */
	while (s->stuffed > 0) {
		ssize_t n = recv(s->sv, buf, sizeof(buf), MSG_DONTWAIT);

		ck_assert_int_gt(n, 0);
		s->stuffed -= (int)n;
	}
	ck_assert_int_eq(s->stuffed, 0);
	ck_assert_int_eq(setsockopt(tend, SOL_SOCKET, SO_SNDBUF, &big, sizeof(big)), 0);
	ck_assert_int_eq(poll(&pfd, 1, 0), 1);
	ck_assert(pfd.revents & POLLOUT);
	ns__sock_free(s);
	close(tend);
	down(&f);
}
END_TEST

START_TEST(ns_free_closes_live_sockets)
{
	struct sock *t, *u;
	struct ns_stats st;
	struct fixture f;
	ip_addr_t lo = addr("127.0.0.1");
	int tt = -1, tu = -1;

	up(&f);
	t = ns__sock_new(f.ns, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	ck_assert_int_eq(ns__sock_pair(t, SOCK_STREAM, false, &tt), 0);
	ns__sock_register(t, t->ino);
	ck_assert_int_eq(ns__tcp_open(t), 0);
	ck_assert_int_eq(ns__tcp_bind(t, &lo, 0), 0);
	ck_assert_int_eq(ns__tcp_listen(t, 4), 0);
	u = ns__sock_new(f.ns, AF_INET, SOCK_DGRAM, IPPROTO_UDP);
	ck_assert_int_eq(ns__sock_pair(u, SOCK_SEQPACKET, false, &tu), 0);
	ns__sock_register(u, u->ino);
	ck_assert_int_eq(ns__udp_open(u), 0);	/* starts its poll handle */
	ck_assert_int_eq(ns__udp_bind(u, &lo, 0), 0);
	ns__sock_set_held(u, true);		/* starts the scan timer */
	ns_stats(f.ns, &st);
	ck_assert_uint_eq(st.socks, 2);
	ck_assert_uint_eq(st.tcp_pcbs, 1);
	ck_assert_uint_eq(st.udp_pcbs, 1);
	ck_assert_ptr_eq(ns__sock_find(f.ns, t->ino), t);

	down(&f);
	ck_assert_ptr_null(udp_pcbs);
	ck_assert_ptr_null(tcp_listen_pcbs.listen_pcbs);
	ck_assert_ptr_null(tcp_bound_pcbs);
	close(tt);
	close(tu);
}
END_TEST

struct pfx_want {
	uint8_t dst[16];
	uint8_t len;
	unsigned int n;
};

/* rt_walk_fn: counts the routes to one prefix */
static int pfx_count(void *arg, const struct rt_route *r)
{
	struct pfx_want *w = arg;

	if (r->dst_len == w->len && !memcmp(r->dst, w->dst, 16))
		w->n++;
	return 0;
}

/* How many main-table routes @n has to @pfx/@len */
static unsigned int routes_to(struct net *n, uint8_t family, const char *pfx,
			      uint8_t len)
{
	struct pfx_want w = { .len = len };

	inet_pton(family, pfx, w.dst);
	net_route_walk(n, RT_TABLE_MAIN_ID, family, NULL, pfx_count, &w);
	return w.n;
}

static int find6(void *arg, const struct net_addr *a)
{
	struct net_addr *want = arg;

	if (a->family != AF_INET6 || memcmp(a->addr, want->addr, 16))
		return 0;
	*want = *a;
	return 1;
}

/* Lifetimes (`valid_lft 1`: removed when it runs out, by the one timer;
 * counted down in walks), IFA_F_DEPRECATED at once for a preferred
 * lifetime of 0 (never chosen as source while another will do; RFC 6724
 * rule 3) and made permanent again by a replace, noprefixroute leaving
 * out the connected route and a replace adding it (IPv6), the expiry of
 * a dynamic address's prefix route */
START_TEST(ns_addr_lifetimes_and_noprefixroute)
{
	char dir[] = "/tmp/check_ns.XXXXXX", buf[512];
	struct net_addr a, b;
	struct rt_route rt;
	struct fixture f;
	uint8_t dst[16], src[16];
	struct net *n;
	uint64_t t0;

	up(&f);
	n = ns_net(f.ns);
	add_link(&f, dir);
	a = v4("10.7.0.1", 24, NULL, NULL);
	a.flags = IFA_F_NOPREFIXROUTE;
	ck_assert_int_eq(net_addr_add(n, &a, NLM_F_CREATE | NLM_F_EXCL, NULL, 0), 0);
	ck_assert_uint_eq(routes_to(n, AF_INET, "10.7.0.0", 24), 0);
	a = v4("10.6.0.1", 24, NULL, NULL);
	a.valid_lft = a.preferred_lft = 1;
	ck_assert_int_eq(net_addr_add(n, &a, NLM_F_CREATE | NLM_F_EXCL, NULL, 0), 0);
	ck_assert_uint_eq(routes_to(n, AF_INET, "10.6.0.0", 24), 1);
	ck_assert_str_eq(v4_list(n, buf), "10.7.0.1/24 eth0,10.6.0.1/24 eth0,");

	/* IPv6: the newer of two equals would win, but is deprecated */
	memset(&b, 0, sizeof(b));
	b.ifindex = 2;
	b.family = AF_INET6;
	b.plen = 64;
	b.flags = IFA_F_NODAD;
	inet_pton(AF_INET6, "fd00:7::2", b.addr);
	ck_assert_int_eq(net_addr_add(n, &b, NLM_F_CREATE | NLM_F_EXCL, NULL, 0), 0);
	inet_pton(AF_INET6, "fd00:7::1", b.addr);
	b.valid_lft = NET_LIFE_FOREVER;
	b.preferred_lft = 0;
	b.flags = IFA_F_NODAD | IFA_F_NOPREFIXROUTE;
	ck_assert_int_eq(net_addr_add(n, &b, NLM_F_CREATE | NLM_F_EXCL, NULL, 0), 0);
	net_addr_walk(n, AF_INET6, find6, &b);
	ck_assert_uint_eq(b.flags & (IFA_F_DEPRECATED | IFA_F_PERMANENT | IFA_F_NOPREFIXROUTE),
			  IFA_F_DEPRECATED | IFA_F_PERMANENT | IFA_F_NOPREFIXROUTE);
	ck_assert_uint_eq(b.valid_lft, NET_LIFE_FOREVER);
	ck_assert_uint_eq(b.preferred_lft, 0);
	ck_assert_uint_eq(routes_to(n, AF_INET6, "fd00:7::", 64), 1);	/* ::2's */
	inet_pton(AF_INET6, "fd00:7::99", dst);
	ck_assert(net__select_src6(n, 2, dst, src));
	inet_pton(AF_INET6, "fd00:7::2", b.addr);
	ck_assert_mem_eq(src, b.addr, 16);
	ck_assert_int_eq(net_addr_del(n, &b, NULL, 0), 0);
	ck_assert_uint_eq(routes_to(n, AF_INET6, "fd00:7::", 64), 0);
	/* replaced without lifetimes or noprefixroute: preferred, permanent,
	 * with its prefix route */
	inet_pton(AF_INET6, "fd00:7::1", b.addr);
	b.valid_lft = b.preferred_lft = NET_LIFE_FOREVER;
	b.flags = IFA_F_NODAD;
	ck_assert_int_eq(net_addr_add(n, &b, NLM_F_REPLACE, NULL, 0), 0);
	net_addr_walk(n, AF_INET6, find6, &b);
	ck_assert_uint_eq(b.flags & (IFA_F_DEPRECATED | IFA_F_PERMANENT), IFA_F_PERMANENT);
	ck_assert_uint_eq(routes_to(n, AF_INET6, "fd00:7::", 64), 1);
	ck_assert(net__select_src6(n, 2, dst, src));
	ck_assert_mem_eq(src, b.addr, 16);

	/* a dynamic address's prefix route expires with it (RTA_CACHEINFO) */
	inet_pton(AF_INET6, "fd00:8::1", b.addr);
	b.valid_lft = 100;
	b.preferred_lft = 50;
	ck_assert_int_eq(net_addr_add(n, &b, NLM_F_CREATE | NLM_F_EXCL, NULL, 0), 0);
	memset(&rt, 0, sizeof(rt));
	rt.family = AF_INET6;
	rt.table = RT_TABLE_MAIN_ID;
	rt.type = RTN_UNICAST;
	rt.protocol = RTPROT_KERNEL;
	rt.priority = 256;
	rt.dst_len = 64;
	inet_pton(AF_INET6, "fd00:8::", rt.dst);
	rt.n_nh = 1;
	rt.nh[0].ifindex = 2;
	ck_assert_uint_eq(net_route_expires(n, &rt), 10000);	/* hundredths */
	rt.priority = 1024;
	ck_assert_uint_eq(net_route_expires(n, &rt), 0);

	/* the timer removes 10.6.0.1 and its route after a second */
	t0 = uv_now(&f.loop);
	while (strcmp(v4_list(n, buf), "10.7.0.1/24 eth0,") &&
	       uv_now(&f.loop) - t0 < 3000)
		uv_run(&f.loop, UV_RUN_ONCE);
	ck_assert_str_eq(buf, "10.7.0.1/24 eth0,");
	ck_assert_uint_ge(uv_now(&f.loop) - t0, 990);
	ck_assert_uint_eq(routes_to(n, AF_INET, "10.6.0.0", 24), 0);
	down(&f);
	rmdir(dir);
}
END_TEST

/* ---- neighbour entries (neigh.c) ---- */

/* net_listen_fn: neighbour events as "+4:STATE " or "-6:STATE " */
static void neigh_rec(void *arg, const struct net_event *ev)
{
	if (ev->type == NET_EV_NEWNEIGH || ev->type == NET_EV_DELNEIGH)
		rec_add(arg, 256, "%c%d:%x ",
			ev->type == NET_EV_NEWNEIGH ? '+' : '-',
			ev->neigh->family == AF_INET ? 4 : 6, ev->neigh->state);
}

static struct net_neigh neigh_of(uint32_t ifindex, const char *ip,
				 uint16_t state, uint8_t last)
{
	struct net_neigh nb = { .ifindex = ifindex, .state = state,
				.lladdr = { 2, 0, 0, 0, 0, last },
				.has_lladdr = true };

	nb.family = strchr(ip, ':') ? AF_INET6 : AF_INET;
	ck_assert_int_eq(inet_pton(nb.family, ip, nb.addr), 1);
	return nb;
}

/* neigh_add()'s and neigh_delete()'s answers, each change told once,
 * and entries gone (told) with their device going down or away */
START_TEST(ns_neigh_set_del_as_linux)
{
	const unsigned int cx = NLM_F_CREATE | NLM_F_EXCL, cr = NLM_F_CREATE | NLM_F_REPLACE;
	char dir[] = "/tmp/check_ns.XXXXXX", told[256] = "", err[160];
	struct net_neigh nb, got;
	struct net_link_change down_c = { .up = 0 };
	struct fixture f;
	struct net *n;
	uint32_t eth0;

	up(&f);
	n = ns_net(f.ns);
	add_link(&f, dir);
	eth0 = n->devs->next->ifindex;
	ck_assert_int_eq(net_listen(n, neigh_rec, told), 0);
	nb = neigh_of(eth0, "10.0.0.2", NUD_PERMANENT, 2);
	ck_assert_int_eq(net_neigh_set(n, &nb, cx, err, sizeof(err)), 0);
	ck_assert_int_eq(net_neigh_set(n, &nb, cx, err, sizeof(err)), -EEXIST);
	ck_assert_int_eq(net_neigh_get(n, AF_INET, eth0, nb.addr, &got), 0);
	ck_assert_uint_eq(got.state, NUD_PERMANENT);
	ck_assert_mem_eq(got.lladdr, nb.lladdr, 6);
	/* another address without NLM_F_REPLACE: nothing changes, nothing told */
	nb.lladdr[5] = 9;
	ck_assert_int_eq(net_neigh_set(n, &nb, NLM_F_CREATE, err, sizeof(err)), 0);
	ck_assert_int_eq(net_neigh_get(n, AF_INET, eth0, nb.addr, &got), 0);
	ck_assert_uint_eq(got.lladdr[5], 2);
	/* replaced: noarp, router, the address; the same again tells nothing */
	nb.state = NUD_NOARP;
	nb.router = true;
	ck_assert_int_eq(net_neigh_set(n, &nb, cr, err, sizeof(err)), 0);
	ck_assert_int_eq(net_neigh_set(n, &nb, cr, err, sizeof(err)), 0);
	ck_assert_int_eq(net_neigh_get(n, AF_INET, eth0, nb.addr, &got), 0);
	ck_assert(got.state == NUD_NOARP && got.router && got.lladdr[5] == 9);
	/* refused: lo, no address for a new entry, a state, a broadcast */
	nb = neigh_of(1, "10.0.0.3", NUD_PERMANENT, 3);
	ck_assert_int_eq(net_neigh_set(n, &nb, cx, err, sizeof(err)), -EOPNOTSUPP);
	nb = neigh_of(eth0, "10.0.0.3", NUD_PERMANENT, 3);
	nb.has_lladdr = false;
	ck_assert_int_eq(net_neigh_set(n, &nb, cx, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "No link layer address given");
	nb = neigh_of(eth0, "10.0.0.3", NUD_DELAY, 3);
	ck_assert_int_eq(net_neigh_set(n, &nb, cx, err, sizeof(err)), -EOPNOTSUPP);
	nb = neigh_of(eth0, "10.0.0.3", NUD_STALE, 3);
	ck_assert_int_eq(net_neigh_set(n, &nb, NLM_F_REPLACE, err, sizeof(err)), -ENOENT);
	nb = neigh_of(99, "10.0.0.3", NUD_STALE, 3);
	ck_assert_int_eq(net_neigh_set(n, &nb, cx, err, sizeof(err)), -ENODEV);
	/* IPv6, reachable and permanent */
	nb = neigh_of(eth0, "fd00::2", NUD_REACHABLE, 2);
	ck_assert_int_eq(net_neigh_set(n, &nb, cx, err, sizeof(err)), 0);
	nb = neigh_of(eth0, "fe80::3", NUD_PERMANENT, 3);
	ck_assert_int_eq(net_neigh_set(n, &nb, cx, err, sizeof(err)), 0);
	ck_assert_int_eq(net_neigh_get(n, AF_INET6, eth0, nb.addr, &got), 0);
	ck_assert_uint_eq(got.state, NUD_PERMANENT);
	ck_assert_str_eq(told, "+4:80 +4:40 +6:2 +6:80 ");
	/* deleted: failed, then gone; a second time ENOENT */
	told[0] = '\0';
	ck_assert_int_eq(net_neigh_del(n, AF_INET6, eth0, nb.addr, NULL, 0), 0);
	ck_assert_int_eq(net_neigh_del(n, AF_INET6, eth0, nb.addr, NULL, 0), -ENOENT);
	ck_assert_str_eq(told, "+6:20 -6:20 ");
	/* the device goes down: its entries go, each told */
	told[0] = '\0';
	ck_assert_int_eq(net_link_set(n, eth0, &down_c, err, sizeof(err)), 0);
	ck_assert_str_eq(told, "-4:40 -6:2 ");
	ck_assert_int_eq(net_neigh_get(n, AF_INET6, eth0, neigh_of(eth0, "fd00::2", 0, 0).addr, &got), -ENOENT);
	/* added while down (as Linux), gone with the device */
	nb = neigh_of(eth0, "10.0.0.4", NUD_PERMANENT, 4);
	ck_assert_int_eq(net_neigh_set(n, &nb, cx, err, sizeof(err)), 0);
	told[0] = '\0';
	ck_assert_int_eq(net_link_del(n, eth0, err, sizeof(err)), 0);
	ck_assert_str_eq(told, "-4:80 ");
	ck_assert_int_eq(net_neigh_get(n, AF_INET, eth0, nb.addr, &got), -ENOENT);
	net_unlisten(n, neigh_rec, told);
	down(&f);
	rmdir(dir);
}
END_TEST

/* ---- nexthop objects ---- */

static struct net_nh nh_gw(uint32_t id, uint32_t ifindex, const char *gw)
{
	struct net_nh nh = { .id = id, .family = AF_INET, .ifindex = ifindex,
			     .has_gw = true };

	inet_pton(strchr(gw, ':') ? AF_INET6 : AF_INET, gw, nh.gw);
	if (strchr(gw, ':'))
		nh.family = AF_INET6;
	return nh;
}

/* The nexthop tests' start: the fixture up, a link eth0 (its sockets in
 * @dir) holding @a; eth0's index */
static uint32_t nh_up(struct fixture *f, char *dir, struct net_addr *a)
{
	char err[128];

	up(f);
	add_link(f, dir);
	a->ifindex = ns_net(f->ns)->devs->next->ifindex;
	ck_assert_int_eq(net_addr_add(ns_net(f->ns), a, NLM_F_CREATE, err,
				      sizeof(err)), 0);
	return a->ifindex;
}

static struct net_nh nh_group(uint32_t id, uint32_t a, uint16_t wa, uint32_t b,
			      uint16_t wb)
{
	struct net_nh nh = { .id = id, .family = AF_UNSPEC, .n_grp = b ? 2 : 1 };

	nh.grp[0].id = a;
	nh.grp[0].weight = wa;
	nh.grp[1].id = b;
	nh.grp[1].weight = wb;
	return nh;
}

struct route_find {
	uint8_t dst[16];
	uint8_t len;
	struct rt_route r;
	bool found;
};

static int route_find_one(void *arg, const struct rt_route *r)
{
	struct route_find *q = arg;

	if (r->dst_len != q->len || memcmp(r->dst, q->dst, 4))
		return 0;
	q->r = *r;
	q->found = true;
	return 1;
}

/* The main table's IPv4 route to @pfx/@len, or none (found false) */
static struct route_find route4(struct net *n, const char *pfx, uint8_t len)
{
	struct route_find q = { .len = len };

	inet_pton(AF_INET, pfx, q.dst);
	net_route_walk(n, RT_TABLE_MAIN_ID, AF_INET, NULL, route_find_one, &q);
	return q;
}

static void nh_rec(void *arg, const struct net_event *ev)
{
	if (ev->type == NET_EV_NEWNEXTHOP || ev->type == NET_EV_DELNEXTHOP)
		rec_add(arg, 256, "%c%u ",
			ev->type == NET_EV_NEWNEXTHOP ? '+' : '-', ev->nh->id);
}

/* Routes on nexthop objects follow them as on Linux 6.18: a group's
 * weights, a member replaced, a member deleted (the group shrinks, told),
 * a blackhole, the group deleted (its route goes, its member stays) */
START_TEST(ns_nexthop_routes_follow_as_linux)
{
	char dir[] = "/tmp/check_ns.XXXXXX", err[128], told[256] = "";
	struct net_addr a = v4("10.0.0.1", 24, NULL, NULL);
	struct rt_route r = { .family = AF_INET, .dst = { 10, 1 }, .dst_len = 16,
			      .table = RT_TABLE_MAIN_ID, .type = RTN_UNICAST,
			      .protocol = RTPROT_BOOT, .nhid = 10 };
	struct net_nh nh;
	struct route_find q;
	struct fixture f;
	struct net *n;
	uint32_t eth0;

	eth0 = nh_up(&f, dir, &a);
	n = ns_net(f.ns);
	ck_assert_int_eq(net_listen(n, nh_rec, told), 0);
	nh = nh_gw(1, eth0, "10.0.0.2");
	ck_assert_int_eq(net_nh_add(n, &nh, 0, err, sizeof(err)), 0);
	ck_assert_uint_eq(net_nh_get(n, 1)->scope, RT_SCOPE_LINK);
	nh = nh_gw(2, eth0, "10.0.0.3");
	ck_assert_int_eq(net_nh_add(n, &nh, 0, err, sizeof(err)), 0);
	nh = nh_group(10, 1, 1, 2, 3);
	ck_assert_int_eq(net_nh_add(n, &nh, 0, err, sizeof(err)), 0);
	ck_assert_int_eq(net_route_add(n, &r, RT_ADD_CREATE | RT_ADD_EXCL, err, sizeof(err)), 0);
	q = route4(n, "10.1.0.0", 16);
	ck_assert(q.found && q.r.nhid == 10 && q.r.n_nh == 2);
	ck_assert_uint_eq(q.r.nh[0].weight, 1);
	ck_assert_uint_eq(q.r.nh[1].weight, 3);
	ck_assert_mem_eq(q.r.nh[1].gw, "\x0a\0\0\x03", 4);
	/* a member replaced: the route takes its new gateway */
	nh = nh_gw(2, eth0, "10.0.0.4");
	ck_assert_int_eq(net_nh_add(n, &nh, NET_NH_REPLACE, err, sizeof(err)), 0);
	q = route4(n, "10.1.0.0", 16);
	ck_assert_mem_eq(q.r.nh[1].gw, "\x0a\0\0\x04", 4);
	/* a member deleted: told first, then the group that shrank */
	told[0] = '\0';
	ck_assert_int_eq(net_nh_del(n, 1), 0);
	ck_assert_str_eq(told, "-1 +10 ");
	ck_assert_int_eq(net_nh_del(n, 1), -ENOENT);
	q = route4(n, "10.1.0.0", 16);
	ck_assert(q.found && q.r.n_nh == 1);
	ck_assert_mem_eq(q.r.nh[0].gw, "\x0a\0\0\x04", 4);
	/* the last member a blackhole: so is the route; a gateway again */
	nh = (struct net_nh){ .id = 2, .family = AF_INET, .blackhole = true };
	ck_assert_int_eq(net_nh_add(n, &nh, NET_NH_REPLACE, err, sizeof(err)), 0);
	q = route4(n, "10.1.0.0", 16);
	ck_assert(q.found && q.r.type == RTN_BLACKHOLE && q.r.n_nh == 0);
	nh = nh_gw(2, eth0, "10.0.0.5");
	ck_assert_int_eq(net_nh_add(n, &nh, NET_NH_REPLACE, err, sizeof(err)), 0);
	q = route4(n, "10.1.0.0", 16);
	ck_assert(q.found && q.r.type == RTN_UNICAST && q.r.n_nh == 1);
	/* the group deleted: its route goes, its member stays */
	ck_assert_int_eq(net_nh_del(n, 10), 0);
	ck_assert(!route4(n, "10.1.0.0", 16).found);
	ck_assert_ptr_nonnull(net_nh_get(n, 2));
	net_unlisten(n, nh_rec, told);
	down(&f);
	rmdir(dir);
}
END_TEST

/* What Linux refuses, with its words; ids given out past the last */
START_TEST(ns_nexthop_checks_as_linux)
{
	char dir[] = "/tmp/check_ns.XXXXXX", err[128];
	struct net_addr a = v4("10.0.0.1", 24, NULL, NULL);
	struct rt_route r = { .family = AF_INET6, .dst = { 0xfd, 1 }, .dst_len = 64,
			      .table = RT_TABLE_MAIN_ID, .type = RTN_UNICAST,
			      .protocol = RTPROT_BOOT, .priority = 1024, .nhid = 1 };
	struct net_nh nh;
	struct fixture f;
	struct net *n;
	uint32_t eth0;

	eth0 = nh_up(&f, dir, &a);
	n = ns_net(f.ns);
	nh = nh_gw(1, 99, "10.0.0.2");
	ck_assert_int_eq(net_nh_add(n, &nh, 0, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "Invalid device index");
	nh = nh_gw(1, eth0, "10.9.0.2");
	ck_assert_int_eq(net_nh_add(n, &nh, 0, err, sizeof(err)), -ENETUNREACH);
	ck_assert_str_eq(err, "Nexthop has invalid gateway");
	nh = nh_gw(0, eth0, "10.0.0.2");
	ck_assert_int_eq(net_nh_add(n, &nh, NET_NH_REPLACE, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "Replace requires nexthop id");
	ck_assert_int_eq(net_nh_add(n, &nh, 0, err, sizeof(err)), 0);
	ck_assert_uint_eq(nh.id, 1);
	nh.id = 0;
	ck_assert_int_eq(net_nh_add(n, &nh, 0, err, sizeof(err)), 0);
	ck_assert_uint_eq(nh.id, 2);
	ck_assert_int_eq(net_nh_add(n, &nh, 0, err, sizeof(err)), -EEXIST);
	nh.id = 7;
	ck_assert_int_eq(net_nh_add(n, &nh, NET_NH_REPLACE, err, sizeof(err)), -ENOENT);
	ck_assert_str_eq(err, "Replace specified without create and no entry exists");
	nh = nh_group(3, 1, 1, 3, 1);
	ck_assert_int_eq(net_nh_add(n, &nh, 0, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "Invalid nexthop id");
	nh = nh_group(3, 1, 1, 2, 1);
	ck_assert_int_eq(net_nh_add(n, &nh, 0, err, sizeof(err)), 0);
	nh = nh_group(4, 3, 1, 0, 0);
	ck_assert_int_eq(net_nh_add(n, &nh, 0, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "Hash-threshold group can not be a nexthop within a group");
	nh = nh_group(1, 2, 1, 0, 0);
	ck_assert_int_eq(net_nh_add(n, &nh, NET_NH_REPLACE, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "Can not replace a nexthop with a nexthop group.");
	nh = (struct net_nh){ .id = 1, .family = AF_INET, .blackhole = true };
	ck_assert_int_eq(net_nh_add(n, &nh, NET_NH_REPLACE, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "Blackhole nexthop can not be a member of a group with more than one path");
	/* routes: an IPv6 one on an IPv4 nexthop, one on none */
	ck_assert_int_eq(net_route_add(n, &r, RT_ADD_CREATE, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "IPv6 routes can not use an IPv4 nexthop");
	r.nhid = 99;
	ck_assert_int_eq(net_route_add(n, &r, RT_ADD_CREATE, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "Nexthop id does not exist");
	down(&f);
	rmdir(dir);
}
END_TEST

/* A device going down takes its nexthops, their routes and their places
 * in groups without a word (nexthop_flush_dev()); a blackhole stays */
START_TEST(ns_nexthop_device_down_silently)
{
	char dir[] = "/tmp/check_ns.XXXXXX", err[128], told[256] = "";
	struct net_addr a = v4("10.0.0.1", 24, NULL, NULL);
	struct net_link_change down_c = { .up = 0 };
	struct rt_route r = { .family = AF_INET, .dst = { 10, 1 }, .dst_len = 16,
			      .table = RT_TABLE_MAIN_ID, .type = RTN_UNICAST,
			      .protocol = RTPROT_BOOT, .nhid = 10 };
	struct net_nh nh;
	struct fixture f;
	struct net *n;
	uint32_t eth0;

	eth0 = nh_up(&f, dir, &a);
	n = ns_net(f.ns);
	nh = nh_gw(1, eth0, "10.0.0.2");
	ck_assert_int_eq(net_nh_add(n, &nh, 0, err, sizeof(err)), 0);
	nh = (struct net_nh){ .id = 2, .family = AF_INET, .blackhole = true };
	ck_assert_int_eq(net_nh_add(n, &nh, 0, err, sizeof(err)), 0);
	nh = nh_group(10, 1, 1, 0, 0);
	ck_assert_int_eq(net_nh_add(n, &nh, 0, err, sizeof(err)), 0);
	ck_assert_int_eq(net_route_add(n, &r, RT_ADD_CREATE, err, sizeof(err)), 0);
	ck_assert_int_eq(net_listen(n, nh_rec, told), 0);
	ck_assert_int_eq(net_link_set(n, eth0, &down_c, err, sizeof(err)), 0);
	ck_assert_str_eq(told, "");
	ck_assert_ptr_null(net_nh_get(n, 1));
	ck_assert_ptr_null(net_nh_get(n, 10));
	ck_assert_ptr_nonnull(net_nh_get(n, 2));
	ck_assert(!route4(n, "10.1.0.0", 16).found);
	/* and a down device takes none */
	nh = nh_gw(1, eth0, "10.0.0.2");
	ck_assert_int_eq(net_nh_add(n, &nh, 0, err, sizeof(err)), -ENETDOWN);
	ck_assert_str_eq(err, "Nexthop device is not up");
	net_unlisten(n, nh_rec, told);
	down(&f);
	rmdir(dir);
}
END_TEST

static Suite *ns_suite(void)
{
	Suite *s = suite_create("ns");
	TCase *tc;

	tc = tcase_create("lifecycle");
	tcase_add_test(tc, ns_new_bad_arguments_einval);
	tcase_add_test(tc, ns_sock_uid_is_the_makers_fsuid);
	tcase_add_test(tc, ns_new_free_loop_closes);
	tcase_add_test(tc, ns_free_after_loop_ran_closes);
	tcase_add_test(tc, ns_free_null_is_noop);
	tcase_add_test(tc, ns_free_closes_live_sockets);
	suite_add_tcase(s, tc);

	tc = tcase_create("idle");
	tcase_add_test(tc, ns_idle_wakeups_bounded);
	tcase_add_test(tc, ns_idle_link_wakes_once_a_second);
	tcase_add_test(tc, ns_mcast_timer_only_while_report_due);
	suite_add_tcase(s, tc);

	tc = tcase_create("addr_is_local");
	tcase_add_test(tc, ns_addr_is_local_loopback_and_wildcard);
	tcase_add_test(tc, ns_addr_is_local_others_false);
	tcase_add_test(tc, ns_forward_sysctls_as_linux);
	tcase_add_test(tc, ns_addr_peers_and_labels_as_linux);
	tcase_add_test(tc, ns_addr_lifetimes_and_noprefixroute);
	tcase_add_test(tc, ns_route_onlink_without_gateway_as_linux);
	tcase_add_test(tc, ns_route_output4_zero_and_oif_as_linux);
	tcase_add_test(tc, ns_route_v4_reject_and_host_scope_next_hops_as_linux);
	tcase_add_test(tc, ns_nexthop_routes_follow_as_linux);
	tcase_add_test(tc, ns_nexthop_checks_as_linux);
	tcase_add_test(tc, ns_nexthop_device_down_silently);
	suite_add_tcase(s, tc);

	tc = tcase_create("stats");
	tcase_add_test(tc, ns_stats_zero_at_start);
	tcase_add_test(tc, ns_stats_counts_lwip_pcbs);
	suite_add_tcase(s, tc);

	tc = tcase_create("sock");
	tcase_add_test(tc, ns_sock_find_by_inode);
	tcase_add_test(tc, ns_sock_held_counted);
	tcase_add_test(tc, ns_sock_pair_inode_is_program_end);
	tcase_add_test(tc, ns_sock_pair_blocking_program_end);
	tcase_add_test(tc, ns_tcp_stuff_program_end_not_writable);
	tcase_add_test(tc, ns_neigh_set_del_as_linux);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(ns_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
