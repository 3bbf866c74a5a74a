/* SPDX-License-Identifier: MIT */
/*
 * check_cmd.c - unit tests of cli/cmd.c, the control command language.
 *
 * cli/cmd.c and cli/out.c are compiled in with a fake struct net written
 * here: every net.h function cmd.c calls records its arguments (copying
 * the strings, which live in cmd.c's line buffer) and returns a canned
 * result, and the walks report three devices, a few addresses and routes.
 * So each test checks that a command line became the right call with the
 * right fields, or the right message naming the bad word, without the
 * stack.  The fuzz case throws random and garbled lines at the parser;
 * run it under ASan (build-*-asan) to see memory errors too.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "acl.h"
#include "devconf.h"
#include "net.h"

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP	0x10000
#endif

/* ---- the fake network ---- */

struct net {
	char call[32];		/* last net_* function called */
	unsigned int ncalls;	/* mutating calls */
	int ret;		/* canned result of the next mutating call */
	char reason[64];	/* canned @err text */
	char name[IFNAMSIZ + 8];
	char local[128];
	char remote[4][128];
	unsigned int n_remote, link_mtu;
	uint8_t mac[6];
	bool has_mac;
	uint32_t ifindex;
	int up;
	unsigned int mtu;
	char newname[IFNAMSIZ + 8];
	bool has_newname;
	struct net_addr addr;
	unsigned int nlflags;
	struct rt_route route;
	struct rt_rule rule;
	bool has_priority, excl;
	unsigned int mask;
	uint32_t walk_table;
	char path[128];
	struct rt_acl *acl;
	struct net_publish pub;
	unsigned int host_mtu;
	int fwd[2][2 + 4];	/* by family: all, default, then links[] */
	int64_t rp_filter[2 + 4];	/* IPv4's, the same way */
	struct net_nh nh;		/* net_nh_add()'s, net_nh_del()'s id */
	unsigned int nh_flags;
};

static struct net fake;
static struct cli_out out;

static const struct net_link links[] = {
	{ .ifindex = 1, .name = "lo", .kind = "loopback", .mtu = 65536,
	  .flags = IFF_LOOPBACK | IFF_UP | IFF_RUNNING | IFF_LOWER_UP },
	{ .ifindex = 2, .name = "eth0", .kind = "link", .mtu = 1500,
	  .flags = IFF_BROADCAST | IFF_MULTICAST | IFF_UP | IFF_RUNNING |
		   IFF_LOWER_UP, .mac = { 2, 0, 0, 0, 0, 2 },
	  .desc = "local /tmp/a remote /tmp/b", .cnt = { .rx_packets = 7 } },
	{ .ifindex = 3, .name = "eth1", .kind = "link", .mtu = 9000,
	  .flags = IFF_BROADCAST | IFF_MULTICAST, .mac = { 2, 0, 0, 0, 0, 3 } },
	{ .ifindex = 4, .name = "up0", .kind = "host", .mtu = 65520,
	  .type = ARPHRD_NONE, .flags = IFF_POINTOPOINT | IFF_NOARP |
	  IFF_MULTICAST | IFF_UP | IFF_RUNNING | IFF_LOWER_UP,
	  .desc = "1 udp flows, 0 echo, 0 tcp relayed, 0 denied, 0 tcp refused, "
		  "0 other dropped, 0 bad" },
};

#define N_LINKS	4

/* Record a mutating call; its canned result. */
static int record(const char *fn, char *err, size_t errlen)
{
	snprintf(fake.call, sizeof(fake.call), "%s", fn);
	fake.ncalls++;
	if (fake.ret && err)
		snprintf(err, errlen, "%s", fake.reason);
	return fake.ret;
}

int net_link_add(struct net *n, const char *name,
		 const struct vdev_link_opts *o, char *err, size_t errlen)
{
	unsigned int i;

	snprintf(n->name, sizeof(n->name), "%s", name);
	snprintf(n->local, sizeof(n->local), "%s", o->local);
	n->n_remote = o->n_remote;
	for (i = 0; i < o->n_remote && i < 4; i++)
		snprintf(n->remote[i], sizeof(n->remote[i]), "%s", o->remote[i]);
	n->link_mtu = o->mtu;
	n->has_mac = o->mac;
	if (o->mac)
		memcpy(n->mac, o->mac, 6);
	return record(__func__, err, errlen);
}

int net_uplink_add(struct net *n, const char *name,
		   const struct vdev_host_opts *o, char *err, size_t errlen)
{
	snprintf(n->name, sizeof(n->name), "%s", name);
	n->host_mtu = o->mtu;
	return record(__func__, err, errlen);
}

int net_dummy_add(struct net *n, const char *name, unsigned int mtu,
		  const uint8_t *mac, bool up, char *err, size_t errlen)
{
	snprintf(n->name, sizeof(n->name), "%s", name);
	n->link_mtu = mtu;
	n->has_mac = mac;
	if (mac)
		memcpy(n->mac, mac, 6);
	n->up = up;
	return record(__func__, err, errlen);
}

int net_link_del(struct net *n, uint32_t ifindex, char *err, size_t errlen)
{
	n->ifindex = ifindex;
	return record(__func__, err, errlen);
}

int net_link_set(struct net *n, uint32_t ifindex,
		 const struct net_link_change *c, char *err, size_t errlen)
{
	n->ifindex = ifindex;
	n->up = c->up;
	n->mtu = c->mtu;
	n->has_newname = c->name;
	if (c->name)
		snprintf(n->newname, sizeof(n->newname), "%s", c->name);
	return record(__func__, err, errlen);
}

int net_link_get(struct net *n, uint32_t ifindex, struct net_link *o)
{
	if (!ifindex || ifindex > N_LINKS)
		return -ENODEV;
	*o = links[ifindex - 1];
	return 0;
}

int net_link_by_name(struct net *n, const char *name, struct net_link *o)
{
	unsigned int i;

	for (i = 0; i < N_LINKS; i++) {
		if (!strcmp(links[i].name, name)) {
			*o = links[i];
			return 0;
		}
	}
	return -ENODEV;
}

/* The stub's links have no altnames */
int net_link_lookup(struct net *n, const char *name, struct net_link *o)
{
	return net_link_by_name(n, name, o);
}

int net_link_walk(struct net *n, net_link_fn *fn, void *arg)
{
	unsigned int i;
	int ret;

	for (i = 0; i < N_LINKS; i++)
		if ((ret = fn(arg, &links[i])))
			return ret;
	return 0;
}

int net_addr_add(struct net *n, const struct net_addr *a, unsigned int nlflags,
		 char *err, size_t errlen)
{
	n->addr = *a;
	n->nlflags = nlflags;
	return record(__func__, err, errlen);
}

int net_addr_del(struct net *n, const struct net_addr *a, char *err,
		 size_t errlen)
{
	n->addr = *a;
	return record(__func__, err, errlen);
}

int net_addr_walk(struct net *n, uint8_t family, net_addr_fn *fn, void *arg)
{
	struct net_addr a[3] = {
		{ .ifindex = 1, .family = AF_INET, .plen = 8,
		  .scope = RT_SCOPE_HOST, .addr = { 127, 0, 0, 1 } },
		{ .ifindex = 2, .family = AF_INET, .plen = 24,
		  .scope = RT_SCOPE_UNIVERSE, .addr = { 10, 0, 0, 1 },
		  .has_broadcast = true, .broadcast = { 10, 0, 0, 255 } },
		{ .ifindex = 2, .family = AF_INET6, .plen = 64,
		  .scope = RT_SCOPE_LINK, .addr = { 0xfe, 0x80, [15] = 2 } },
	};
	unsigned int i;
	int ret;

	for (i = 0; i < 3; i++)
		if ((ret = fn(arg, &a[i])))
			return ret;
	return 0;
}

int net_route_add(struct net *n, const struct rt_route *r, unsigned int nlflags,
		  char *err, size_t errlen)
{
	n->route = *r;
	n->nlflags = nlflags;
	return record(__func__, err, errlen);
}

int net_nh_add(struct net *n, struct net_nh *nh, unsigned int flags,
	       char *err, size_t errlen)
{
	n->nh = *nh;
	n->nh_flags = flags;
	return record(__func__, err, errlen);
}

int net_nh_del(struct net *n, uint32_t id)
{
	n->nh.id = id;
	return record(__func__, NULL, 0);
}

/* A gateway (onlink, proto static), a blackhole, an FDB one, a group */
int net_nh_walk(struct net *n, uint32_t after, net_nh_fn *fn, void *arg)
{
	struct net_nh nh[4] = {
		{ .id = 1, .family = AF_INET, .scope = RT_SCOPE_LINK,
		  .protocol = RTPROT_STATIC, .flags = RTNH_F_ONLINK,
		  .ifindex = 2, .has_gw = true, .gw = { 10, 9, 0, 1 } },
		{ .id = 2, .family = AF_INET6, .blackhole = true,
		  .protocol = RTPROT_BIRD },
		{ .id = 3, .family = AF_INET, .scope = RT_SCOPE_LINK, .fdb = true,
		  .has_gw = true, .gw = { 10, 0, 0, 5 } },
		{ .id = 10, .family = AF_UNSPEC, .n_grp = 2,
		  .grp = { { 1, 1 }, { 2, 300 } } },
	};
	unsigned int i;
	int ret;

	(void)n;
	for (i = 0; i < 4; i++)
		if (nh[i].id > after && (ret = fn(arg, &nh[i])))
			return ret;
	return 0;
}

int net_route_del(struct net *n, const struct rt_route *match,
		  unsigned int mask, char *err, size_t errlen)
{
	n->route = *match;
	n->mask = mask;
	return record(__func__, err, errlen);
}

int net_rule_add(struct net *n, struct rt_rule *r, bool has_priority,
		 bool excl, char *err, size_t errlen)
{
	n->rule = *r;
	n->has_priority = has_priority;
	n->excl = excl;
	return record(__func__, err, errlen);
}

int net_rule_del(struct net *n, const struct rt_rule *match, unsigned int mask,
		 char *err, size_t errlen)
{
	n->rule = *match;
	n->mask = mask;
	return record(__func__, err, errlen);
}

/* Two IPv4 rules (one detached, one goto unresolved), one IPv6 */
int net_rule_walk(struct net *n, uint8_t family, size_t skip,
		  rt_rule_walk_fn *fn, void *arg)
{
	struct rt_rule r[3] = {
		{ .family = AF_INET, .action = FR_ACT_TO_TBL, .priority = 100,
		  .table = 100, .src_len = 24, .src = { 10, 0, 0, 0 },
		  .iifname = "eth9", .suppress_prefixlen = -1,
		  .protocol = RTPROT_BIRD, .uid_set = true, .uid = { 1, 2 },
		  .ip_proto = IPPROTO_UDP, .sport = { 53, 53 },
		  .dport = { 10, 20 } },
		{ .family = AF_INET, .action = FR_ACT_GOTO, .priority = 200,
		  .target = 300, .flags = FIB_RULE_INVERT, .mark = 5,
		  .mark_mask = 0xff, .suppress_prefixlen = -1 },
		{ .family = AF_INET6, .action = FR_ACT_PROHIBIT, .priority = 5,
		  .dst_len = 64, .dst = { 0xfd }, .suppress_prefixlen = -1,
		  .ip_proto = 200 },
	};
	uint32_t flags[3] = { FIB_RULE_IIF_DETACHED, FIB_RULE_INVERT | FIB_RULE_UNRESOLVED, 0 };
	size_t k;
	int ret;

	(void)n;
	for (k = skip; k < 3; k++)
		if (r[k].family == family && (ret = fn(arg, &r[k], flags[k])))
			return ret;
	return 0;
}

/* Three routes: connected, default via a gateway, two-way multipath. */
int net_route_walk(struct net *n, uint32_t table, uint8_t family,
		   const struct rt_route *after, rt_walk_fn *fn, void *arg)
{
	struct rt_route r[3] = {
		{ .family = AF_INET, .dst_len = 24, .type = RTN_UNICAST,
		  .protocol = RTPROT_KERNEL, .scope = RT_SCOPE_LINK,
		  .table = RT_TABLE_MAIN_ID, .dst = { 10, 0, 0, 0 },
		  .prefsrc = { 10, 0, 0, 1 }, .has_prefsrc = true, .n_nh = 1,
		  .nh = { { .ifindex = 2, .weight = 1 } } },
		{ .family = AF_INET, .type = RTN_UNICAST, .protocol = RTPROT_BOOT,
		  .table = RT_TABLE_MAIN_ID, .priority = 20, .n_nh = 1,
		  .mtu = 1400, .metrics = { [RTAX_LOCK] = 1 << RTAX_MTU,
		  [RTAX_ADVMSS] = 1360 }, .cc_algo = "reno", .realm = 7,
		  .nh = { { .ifindex = 2, .gw = { 10, 0, 0, 2 }, .has_gw = true,
			    .weight = 1 } } },
		{ .family = AF_INET6, .dst_len = 48, .type = RTN_UNICAST,
		  .protocol = RTPROT_BIRD, .table = 100,
		  .dst = { 0x20, 0x01, 0x0d, 0xb8 }, .n_nh = 2,
		  .nh = { { .ifindex = 2, .gw = { 0xfe, 0x80, [15] = 1 },
			    .has_gw = true, .weight = 3 },
			  { .ifindex = 3, .gw = { 0xfe, 0x80, [15] = 9 },
			    .has_gw = true, .weight = 1 } } },
	};
	unsigned int i;
	int ret;

	n->walk_table = table;
	for (i = 0; i < 3; i++)
		if ((ret = fn(arg, &r[i])))
			return ret;
	return 0;
}

int net_pcap_start(struct net *n, const char *ifname, const char *path,
		   char *err, size_t errlen)
{
	snprintf(n->name, sizeof(n->name), "%s", ifname);
	snprintf(n->path, sizeof(n->path), "%s", path);
	return record(__func__, err, errlen);
}

int net_pcap_stop(struct net *n, const char *ifname, char *err, size_t errlen)
{
	snprintf(n->name, sizeof(n->name), "%s", ifname);
	return record(__func__, err, errlen);
}

struct rt_acl *net_uplink_acl(struct net *n)
{
	return n->acl;
}

int net_publish_add(struct net *n, const struct net_publish *p, char *err,
		    size_t errlen)
{
	n->pub = *p;
	return record(__func__, err, errlen);
}

int net_publish_del(struct net *n, const struct net_publish *p, char *err,
		    size_t errlen)
{
	n->pub = *p;
	return record(__func__, err, errlen);
}

int net_publish_walk(struct net *n, net_publish_fn *fn, void *arg)
{
	struct net_publish p = { .proto = IPPROTO_TCP, .family = AF_INET,
				 .host_port = 8080, .port = 80 };

	return fn(arg, &p, 3, 1);
}

/* The forwarding sysctls: "all", "default", then links[] by name. */
static int fwd_slot(int family, const char *dev, int *f)
{
	unsigned int i;

	if (family != AF_INET && family != AF_INET6)
		return -EAFNOSUPPORT;
	*f = family == AF_INET6;
	if (!strcmp(dev, "all"))
		return 0;
	if (!strcmp(dev, "default"))
		return 1;
	for (i = 0; i < N_LINKS; i++)
		if (!strcmp(links[i].name, dev))
			return 2 + (int)i;
	return -ENODEV;
}

int net_forward_set(struct net *n, int family, const char *dev, int val)
{
	int f, i = fwd_slot(family, dev, &f);

	if (i < 0)
		return i;
	n->fwd[f][i] = val;
	return record(__func__, NULL, 0);
}

int net_forward_get(const struct net *n, int family, const char *dev,
		    int *val)
{
	int f, i = fwd_slot(family, dev, &f);

	if (i < 0)
		return i;
	*val = n->fwd[f][i];
	return 0;
}

/* The other conf/DEV/ sysctls: IPv4's rp_filter kept, the rest 0 */
int net_devconf_get(struct net *n, int family, const char *dev,
		    const char *name, int64_t *val)
{
	int f, i, fwd = 0, ret;

	if (devconf_index(family, name) < 0)
		return -ENOENT;
	if (!strcmp(name, "forwarding")) {
		ret = net_forward_get(n, family, dev, &fwd);
		*val = fwd;
		return ret == -ENODEV ? -ENOENT : ret;
	}
	i = fwd_slot(family, dev, &f);
	if (i < 0)
		return -ENOENT;
	*val = !f && !strcmp(name, "rp_filter") ? n->rp_filter[i] : 0;
	return 0;
}

int net_devconf_set(struct net *n, int family, const char *dev,
		    const char *name, int64_t val)
{
	int f, i;

	if (!strcmp(name, "forwarding"))
		return net_forward_set(n, family, dev, (int)val);
	i = fwd_slot(family, dev, &f);
	if (i < 0)
		return -ENOENT;
	if (!f && !strcmp(name, "rp_filter"))
		n->rp_filter[i] = val;
	return record(__func__, NULL, 0);
}

/* ---- helpers ---- */

static void setup(void)
{
	memset(&fake, 0, sizeof(fake));
	fake.acl = rt_acl_new();
	ck_assert_ptr_nonnull(fake.acl);
	cli_out_init(&out);
}

static void teardown(void)
{
	rt_acl_free(fake.acl);
	cli_out_free(&out);
}

/* Run @line on a fresh output. */
static int run(const char *line)
{
	cli_out_reset(&out);
	return cli_cmd_run(&fake, line, &out);
}

/* @line must fail with exactly @msg and call nothing. */
static void fails(const char *line, int ret, const char *msg)
{
	unsigned int before = fake.ncalls;

	ck_assert_int_eq(run(line), ret);
	ck_assert_str_eq(cli_out_text(&out), msg);
	ck_assert_uint_eq(fake.ncalls, before);
}

static void ip4(uint8_t *dst, const char *s)
{
	memset(dst, 0, 16);
	ck_assert_int_eq(inet_pton(AF_INET, s, dst), 1);
}

static void ip6(uint8_t *dst, const char *s)
{
	ck_assert_int_eq(inet_pton(AF_INET6, s, dst), 1);
}

static bool has(const char *needle)
{
	return strstr(cli_out_text(&out), needle);
}

#define ck_has(s) ck_assert_msg(has(s), "no '%s' in:\n%s", s, cli_out_text(&out))

/* ---- link ---- */

START_TEST(cmd_link_add_fills_opts)
{
	static const uint8_t mac[6] = { 2, 0xab, 0, 0, 0, 1 };

	ck_assert_int_eq(run("link add eth2 type link local /tmp/a.sock remote "
			     "/tmp/b.sock remote 127.0.0.1:9000 mtu 9000 "
			     "address 02:AB:00:00:00:01"), 0);
	ck_assert_str_eq(fake.call, "net_link_add");
	ck_assert_str_eq(fake.name, "eth2");
	ck_assert_str_eq(fake.local, "/tmp/a.sock");
	ck_assert_uint_eq(fake.n_remote, 2);
	ck_assert_str_eq(fake.remote[0], "/tmp/b.sock");
	ck_assert_str_eq(fake.remote[1], "127.0.0.1:9000");
	ck_assert_uint_eq(fake.link_mtu, 9000);
	ck_assert(fake.has_mac);
	ck_assert_mem_eq(fake.mac, mac, 6);
	ck_assert_str_eq(cli_out_text(&out), "");
}
END_TEST

START_TEST(cmd_link_add_defaults_zero)
{
	ck_assert_int_eq(run("link add x remote [::1]:5 local [::1]:4 type link"), 0);
	ck_assert_uint_eq(fake.link_mtu, 0);
	ck_assert(!fake.has_mac);
	ck_assert_str_eq(fake.local, "[::1]:4");
}
END_TEST

START_TEST(cmd_link_add_errors_name_word)
{
	fails("link add eth2 type veth local a remote b", -EOPNOTSUPP,
	      "link add: 'type': unsupported type 'veth' (want link, host "
	      "or dummy)\n");
	fails("link add eth2 type link local /a", -EINVAL,
	      "link add: missing 'remote ENDPOINT'\n");
	fails("link add eth2 local /a remote /b", -EINVAL,
	      "link add: missing 'type link', 'type host' or 'type dummy'\n");
	fails("link add eth2 type link remote /b", -EINVAL,
	      "link add: missing 'local ENDPOINT'\n");
	fails("link add eth2 type link local /a remote /b mtu 67", -EINVAL,
	      "link add: 'mtu': bad number '67' (want 68..65535)\n");
	fails("link add eth2 type link local /a remote /b address 03:00:00:00:00:01",
	      -EADDRNOTAVAIL, "link add: 'address': '03:00:00:00:00:01' is "
	      "not a unicast MAC\n");
	fails("link add eth2 type link local /a remote /b address 2:0:0:0:0:1",
	      -EINVAL, "link add: 'address': bad MAC '2:0:0:0:0:1' (want "
	      "xx:xx:xx:xx:xx:xx)\n");
	fails("link add eth2 type link local /a local /b remote /c", -EINVAL,
	      "link add: 'local': given twice\n");
	fails("link add eth2 type link local", -EINVAL,
	      "link add: 'local': missing value\n");
	fails("link add eth2 type link local /a remote /b colour red", -EINVAL,
	      "link add: 'colour': unknown word (want type, local, remote, "
	      "mtu, address)\n");
	fails("link add", -EINVAL, "link add: missing NAME\n");
}
END_TEST

START_TEST(cmd_link_add_host_uplink)
{
	ck_assert_int_eq(run("link add up0 type host"), 0);
	ck_assert_str_eq(fake.call, "net_uplink_add");
	ck_assert_str_eq(fake.name, "up0");
	ck_assert_uint_eq(fake.host_mtu, 0);
	ck_assert_int_eq(run("link add up1 type host mtu 1500"), 0);
	ck_assert_str_eq(fake.name, "up1");
	ck_assert_uint_eq(fake.host_mtu, 1500);
	ck_assert_str_eq(cli_out_text(&out), "");
}
END_TEST

START_TEST(cmd_link_add_dummy)
{
	ck_assert_int_eq(run("link add dummy0 type dummy"), 0);
	ck_assert_str_eq(fake.call, "net_dummy_add");
	ck_assert_str_eq(fake.name, "dummy0");
	ck_assert_uint_eq(fake.link_mtu, 0);
	ck_assert(!fake.has_mac);
	ck_assert_int_eq(fake.up, 1);
	ck_assert_int_eq(run("link add lo1 type dummy mtu 9000 address 02:00:00:00:00:07"), 0);
	ck_assert_str_eq(fake.name, "lo1");
	ck_assert_uint_eq(fake.link_mtu, 9000);
	ck_assert(fake.has_mac);
	ck_assert_int_eq(fake.mac[5], 7);
	fails("link add d1 type dummy local /a", -EINVAL,
	      "link add: 'local': not for type dummy\n");
	fails("link add d1 type dummy remote /b", -EINVAL,
	      "link add: 'remote': not for type dummy\n");
}
END_TEST

START_TEST(cmd_link_add_host_errors)
{
	fails("link add up0 type host local /a", -EINVAL,
	      "link add: 'local': not for type host\n");
	fails("link add up0 type host remote /b", -EINVAL,
	      "link add: 'remote': not for type host\n");
	fails("link add up0 type host address 02:00:00:00:00:01", -EINVAL,
	      "link add: 'address': not for type host\n");
	fails("link add up0 type host mtu 65536", -EINVAL,
	      "link add: 'mtu': bad number '65536' (want 68..65535)\n");
	fails("link add up0 type host type link", -EINVAL,
	      "link add: 'type': given twice\n");
	ck_assert_uint_eq(fake.ncalls, 0);
}
END_TEST

START_TEST(cmd_link_add_bad_name_error)
{
	fails("link add a/b type link local /a remote /b", -EINVAL,
	      "link add: 'a/b': bad device name (1 to 15 characters, not '.' "
	      "or '..', no '/', ':' or '%')\n");
	fails("link add 0123456789abcdef type link local /a remote /b", -EINVAL,
	      "link add: '0123456789abcdef': bad device name (1 to 15 "
	      "characters, not '.' or '..', no '/', ':' or '%')\n");
	fails("link add lo%d type dummy", -EINVAL,
	      "link add: 'lo%d': bad device name (1 to 15 characters, not '.' "
	      "or '..', no '/', ':' or '%')\n");
	ck_assert_int_eq(run("link add 0123456789abcde type link local /a "
			     "remote /b"), 0);
}
END_TEST

START_TEST(cmd_link_add_too_many_remotes_error)
{
	char line[2048] = "link add x type link local /a";
	int i;

	for (i = 0; i < 65; i++)
		strcat(line, " remote /r");
	fails(line, -E2BIG, "link add: 'remote': more than 64\n");
}
END_TEST

START_TEST(cmd_link_net_error_gives_reason)
{
	fake.ret = -EEXIST;
	snprintf(fake.reason, sizeof(fake.reason), "device 'eth0' exists");
	ck_assert_int_eq(run("link add eth0 type link local /a remote /b"), -EEXIST);
	ck_assert_str_eq(cli_out_text(&out),
			 "link add: device 'eth0' exists (File exists)\n");
	fake.reason[0] = '\0';
	fake.ret = -EBUSY;
	ck_assert_int_eq(run("link del eth1"), -EBUSY);
	ck_assert_str_eq(cli_out_text(&out), "link del: Device or resource busy\n");
}
END_TEST

START_TEST(cmd_link_del_resolves_ifindex)
{
	ck_assert_int_eq(run("link del eth1"), 0);
	ck_assert_str_eq(fake.call, "net_link_del");
	ck_assert_uint_eq(fake.ifindex, 3);
	fails("link del eth9", -ENODEV, "link del: no device 'eth9'\n");
	fails("link del eth1 now", -EINVAL, "link del: 'now': unexpected word\n");
}
END_TEST

START_TEST(cmd_link_set_fills_change)
{
	ck_assert_int_eq(run("link set eth0 down mtu 1400 name wan"), 0);
	ck_assert_str_eq(fake.call, "net_link_set");
	ck_assert_uint_eq(fake.ifindex, 2);
	ck_assert_int_eq(fake.up, 0);
	ck_assert_uint_eq(fake.mtu, 1400);
	ck_assert(fake.has_newname);
	ck_assert_str_eq(fake.newname, "wan");

	ck_assert_int_eq(run("link set lo up"), 0);
	ck_assert_uint_eq(fake.ifindex, 1);
	ck_assert_int_eq(fake.up, 1);
	ck_assert_uint_eq(fake.mtu, 0);
	ck_assert(!fake.has_newname);

	ck_assert_int_eq(run("link set eth1 mtu 65535"), 0);
	ck_assert_int_eq(fake.up, -1);
	ck_assert_uint_eq(fake.mtu, 65535);
}
END_TEST

START_TEST(cmd_link_set_errors_name_word)
{
	fails("link set eth9 up", -ENODEV, "link set: no device 'eth9'\n");
	fails("link set eth0", -EINVAL, "link set: nothing to change (want up, "
	      "down, mtu, name)\n");
	fails("link set eth0 up down", -EINVAL,
	      "link set: 'down': 'up' or 'down' given twice\n");
	fails("link set eth0 mtu 65536", -EINVAL,
	      "link set: 'mtu': bad number '65536' (want 68..65535)\n");
	fails("link set eth0 mtu -1", -EINVAL,
	      "link set: 'mtu': bad number '-1' (want 68..65535)\n");
	fails("link set eth0 mtu 99999999999999999999999", -EINVAL,
	      "link set: 'mtu': bad number '99999999999999999999999' (want "
	      "68..65535)\n");
	fails("link set eth0 name ..", -EINVAL, "link set: '..': bad device name "
	      "(1 to 15 characters, not '.' or '..', no '/', ':' or '%')\n");
	fails("link set eth0 name", -EINVAL, "link set: 'name': missing value\n");
}
END_TEST

/* ---- addr ---- */

START_TEST(cmd_addr_add_v4_fields)
{
	uint8_t a[16];

	ck_assert_int_eq(run("addr add 10.0.0.1/24 dev eth0"), 0);
	ck_assert_str_eq(fake.call, "net_addr_add");
	ck_assert_uint_eq(fake.nlflags, NLM_F_CREATE | NLM_F_EXCL);
	ck_assert_uint_eq(fake.addr.ifindex, 2);
	ck_assert_uint_eq(fake.addr.family, AF_INET);
	ck_assert_uint_eq(fake.addr.plen, 24);
	ck_assert_uint_eq(fake.addr.scope, RT_SCOPE_UNIVERSE);
	ck_assert_uint_eq(fake.addr.flags, IFA_F_PERMANENT);
	ck_assert(!fake.addr.has_broadcast);
	ip4(a, "10.0.0.1");
	ck_assert_mem_eq(fake.addr.addr, a, 16);

	ck_assert_int_eq(run("addr add 127.0.0.2 dev lo"), 0);
	ck_assert_uint_eq(fake.addr.plen, 32);
	ck_assert_uint_eq(fake.addr.scope, RT_SCOPE_HOST);
}
END_TEST

START_TEST(cmd_addr_add_v6_and_alias)
{
	uint8_t a[16];

	ck_assert_int_eq(run("address add fe80::2/64 dev eth1"), 0);
	ck_assert_str_eq(fake.call, "net_addr_add");
	ck_assert_uint_eq(fake.addr.family, AF_INET6);
	ck_assert_uint_eq(fake.addr.plen, 64);
	ck_assert_uint_eq(fake.addr.ifindex, 3);
	ck_assert_uint_eq(fake.addr.scope, RT_SCOPE_LINK);
	ip6(a, "fe80::2");
	ck_assert_mem_eq(fake.addr.addr, a, 16);

	ck_assert_int_eq(run("addr add 2001:db8::1/128 dev eth0"), 0);
	ck_assert_uint_eq(fake.addr.scope, RT_SCOPE_UNIVERSE);
	ck_assert_int_eq(run("addr add ::1 dev lo"), 0);
	ck_assert_uint_eq(fake.addr.plen, 128);
	ck_assert_uint_eq(fake.addr.scope, RT_SCOPE_HOST);
}
END_TEST

START_TEST(cmd_addr_del_calls_del)
{
	ck_assert_int_eq(run("addr del 10.0.0.1/24 dev eth0"), 0);
	ck_assert_str_eq(fake.call, "net_addr_del");
	ck_assert_uint_eq(fake.addr.plen, 24);
	ck_assert_uint_eq(fake.addr.ifindex, 2);
}
END_TEST

START_TEST(cmd_addr_peer_and_label)
{
	uint8_t a[16];

	/* the prefix length is the peer's, as `ip addr add A peer P` */
	ck_assert_int_eq(run("addr add 10.9.0.1 peer 10.9.0.2 label eth0:tun dev eth0"), 0);
	ck_assert_str_eq(fake.call, "net_addr_add");
	ck_assert(fake.addr.has_peer);
	ck_assert_uint_eq(fake.addr.plen, 32);
	ip4(a, "10.9.0.2");
	ck_assert_mem_eq(fake.addr.peer, a, 4);
	ck_assert_str_eq(fake.addr.label, "eth0:tun");
	ck_assert_int_eq(run("addr add 10.9.1.1/32 peer 10.9.2.2/24 dev eth0"), 0);
	ck_assert_uint_eq(fake.addr.plen, 24);
	ck_assert_str_eq(fake.addr.label, "");
	ck_assert_int_eq(run("addr del 10.9.0.1 peer 10.9.0.2 dev eth0"), 0);
	ck_assert_str_eq(fake.call, "net_addr_del");
	ck_assert(fake.addr.has_peer);
	ck_assert_int_eq(run("addr add fd00::1/128 peer fd00::2 dev eth0"), 0);
	ck_assert_uint_eq(fake.addr.family, AF_INET6);
	ck_assert(fake.addr.has_peer);
	ck_assert_int_eq(run("addr add 10.9.3.1/24 label eth0 dev eth0"), 0);

	fails("addr add 10.9.0.1 peer fd00::2 dev eth0", -EINVAL,
	      "addr add: 'peer fd00::2': not an IPv4 address\n");
	fails("addr add 10.9.0.1 peer 10.9.0.x dev eth0", -EINVAL,
	      "addr add: 'peer 10.9.0.x': bad address (want ADDR or ADDR/LEN)\n");
	fails("addr add fd00::1/64 label eth0:1 dev eth0", -EINVAL,
	      "addr add: 'label': IPv4 addresses only\n");
	fails("addr add 10.9.0.1/24 label eth1:1 dev eth0", -EINVAL,
	      "addr add: 'label eth1:1': must be 'eth0' or 'eth0:SUFFIX'\n");
	fails("addr add 10.9.0.1/24 label eth0x dev eth0", -EINVAL,
	      "addr add: 'label eth0x': must be 'eth0' or 'eth0:SUFFIX'\n");
	fails("addr add 10.9.0.1/24 label eth0:0123456789ab dev eth0", -EINVAL,
	      "addr add: 'label eth0:0123456789ab': longer than 15 characters\n");
	fails("addr add 10.9.0.1/24 peer 10.9.0.2 peer 10.9.0.3 dev eth0", -EINVAL,
	      "addr add: 'peer': given twice\n");
}
END_TEST

START_TEST(cmd_addr_errors_name_word)
{
	fails("addr add 10.0.0.1/33 dev eth0", -EINVAL,
	      "addr add: '10.0.0.1/33': bad address (want ADDR/LEN)\n");
	fails("addr add 10.0.0.x/24 dev eth0", -EINVAL,
	      "addr add: '10.0.0.x/24': bad address (want ADDR/LEN)\n");
	fails("addr add 10.0.0.1/ dev eth0", -EINVAL,
	      "addr add: '10.0.0.1/': bad address (want ADDR/LEN)\n");
	fails("addr add ::1/129 dev eth0", -EINVAL,
	      "addr add: '::1/129': bad address (want ADDR/LEN)\n");
	fails("addr add 10.0.0.1/24", -EINVAL, "addr add: missing 'dev NAME'\n");
	fails("addr add 10.0.0.1/24 dev eth7", -ENODEV,
	      "addr add: no device 'eth7'\n");
	fails("addr add 10.0.0.1/24 dev eth0 dev eth1", -EINVAL,
	      "addr add: 'dev': given twice\n");
	fails("addr replace 10.0.0.1/24 dev eth0", -EINVAL,
	      "addr: 'replace': unknown verb (want add, del)\n");
}
END_TEST

/* ---- route ---- */

START_TEST(cmd_route_add_via_dev_fields)
{
	uint8_t a[16];

	ck_assert_int_eq(run("route add 10.1.0.0/16 via 10.0.0.2 dev eth0 "
			     "metric 20"), 0);
	ck_assert_str_eq(fake.call, "net_route_add");
	ck_assert_uint_eq(fake.nlflags, RT_ADD_CREATE | RT_ADD_EXCL);
	ck_assert_uint_eq(fake.route.family, AF_INET);
	ck_assert_uint_eq(fake.route.dst_len, 16);
	ip4(a, "10.1.0.0");
	ck_assert_mem_eq(fake.route.dst, a, 16);
	ck_assert_uint_eq(fake.route.type, RTN_UNICAST);
	ck_assert_uint_eq(fake.route.protocol, RTPROT_BOOT);
	ck_assert_uint_eq(fake.route.scope, RT_SCOPE_UNIVERSE);
	ck_assert_uint_eq(fake.route.table, RT_TABLE_MAIN_ID);
	ck_assert_uint_eq(fake.route.priority, 20);
	ck_assert_uint_eq(fake.route.n_nh, 1);
	ck_assert_uint_eq(fake.route.nh[0].ifindex, 2);
	ck_assert(fake.route.nh[0].has_gw);
	ck_assert_uint_eq(fake.route.nh[0].weight, 1);
	ip4(a, "10.0.0.2");
	ck_assert_mem_eq(fake.route.nh[0].gw, a, 16);
	ck_assert(!fake.route.has_prefsrc);
	ck_assert_uint_eq(fake.route.mtu, 0);
}
END_TEST

/* `rule add|del` as ip rule takes its words; `show rules` as it prints */
START_TEST(cmd_rule_add_del_show)
{
	uint8_t a[16];

	ck_assert_int_eq(run("rule add from 10.0.0.0/24 lookup 100"), 0);
	ck_assert_str_eq(fake.call, "net_rule_add");
	ck_assert(fake.excl);
	ck_assert(!fake.has_priority);
	ck_assert_uint_eq(fake.rule.family, AF_INET);
	ck_assert_uint_eq(fake.rule.action, FR_ACT_TO_TBL);
	ck_assert_uint_eq(fake.rule.table, 100);
	ck_assert_uint_eq(fake.rule.src_len, 24);
	ip4(a, "10.0.0.0");
	ck_assert_mem_eq(fake.rule.src, a, 4);
	ck_assert_int_eq(fake.rule.suppress_prefixlen, -1);
	ck_assert_int_eq(run("rule add to fd00::/64 prohibit pref 10"), 0);
	ck_assert_uint_eq(fake.rule.family, AF_INET6);
	ck_assert_uint_eq(fake.rule.action, FR_ACT_PROHIBIT);
	ck_assert(fake.has_priority);
	ck_assert_uint_eq(fake.rule.priority, 10);
	ck_assert_int_eq(run("rule add not iif eth0 fwmark 0x5/0xff goto 30 pref 20"), 0);
	ck_assert_uint_eq(fake.rule.flags, FIB_RULE_INVERT);
	ck_assert_str_eq(fake.rule.iifname, "eth0");
	ck_assert_uint_eq(fake.rule.mark, 5);
	ck_assert_uint_eq(fake.rule.mark_mask, 0xff);
	ck_assert_uint_eq(fake.rule.action, FR_ACT_GOTO);
	ck_assert_uint_eq(fake.rule.target, 30);
	ck_assert_int_eq(run("rule add pref 40 suppress_prefixlength 0"), 0);
	ck_assert_uint_eq(fake.rule.table, RT_TABLE_MAIN_ID);	/* ip's default */
	ck_assert_int_eq(fake.rule.suppress_prefixlen, 0);
	ck_assert_int_eq(run("rule del pref 40"), 0);
	ck_assert_str_eq(fake.call, "net_rule_del");
	ck_assert_uint_eq(fake.mask, RT_RULE_PRIORITY);
	ck_assert_uint_eq(fake.rule.action, 0);
	ck_assert_int_eq(run("rule del from 10.0.0.0/24 table main"), 0);
	ck_assert_uint_eq(fake.mask, RT_RULE_SRC | RT_RULE_TABLE);
	fails("rule del", -EINVAL, "rule del: what picks the rule is missing "
	      "(pref N, from PREFIX, table ID, ...)\n");
	fails("rule add from 10.0.0.0/24 to fd00::/8", -EINVAL,
	      "rule add: 'fd00::/8': mixes IPv4 and IPv6\n");
	fails("rule add table 5 prohibit", -EINVAL,
	      "rule add: 'prohibit': the rule already has action 'table'\n");
	fails("rule add fwmark 0xz", -EINVAL,
	      "rule add: 'fwmark': bad number '0xz' (want 0..0xffffffff)\n");
	/* ipproto, sport, dport, uidrange */
	ck_assert_int_eq(run("rule add ipproto tcp sport 1000-2000 dport 80 "
			     "uidrange 5-6 table 7"), 0);
	ck_assert_uint_eq(fake.rule.ip_proto, IPPROTO_TCP);
	ck_assert_uint_eq(fake.rule.sport[0], 1000);
	ck_assert_uint_eq(fake.rule.sport[1], 2000);
	ck_assert_uint_eq(fake.rule.dport[0], 80);
	ck_assert_uint_eq(fake.rule.dport[1], 80);
	ck_assert(fake.rule.uid_set);
	ck_assert_uint_eq(fake.rule.uid[0], 5);
	ck_assert_uint_eq(fake.rule.uid[1], 6);
	ck_assert_int_eq(run("rule del ipproto 132 dport 22"), 0);
	ck_assert_uint_eq(fake.mask, RT_RULE_IPPROTO | RT_RULE_DPORT);
	ck_assert_uint_eq(fake.rule.ip_proto, 132);
	fails("rule add dport 65535", -EINVAL,
	      "rule add: 'dport': bad number '65535' (want 0..65534)\n");
	fails("rule add sport 10-5", -EINVAL, "rule add: 'sport': bad range "
	      "'10-5' (want N or N-M, 1 <= N <= M <= 65534)\n");
	fails("rule add uidrange 7-6", -EINVAL,
	      "rule add: 'uidrange': bad range '7-6' (want A-B, A <= B)\n");
	ck_assert_int_eq(run("show rules"), 0);
	ck_assert_str_eq(cli_out_text(&out),
			 "100:\tfrom 10.0.0.0/24 iif eth9 [detached] uidrange 1-2 "
			 "ipproto udp sport 53 dport 10-20 lookup 100 proto bird\n"
			 "200:\tnot from all fwmark 0x5/0xff goto 300 [unresolved]\n"
			 "5:\tfrom all to fd00::/64 ipproto 200 prohibit\n");
}
END_TEST

START_TEST(cmd_route_add_dev_only_scope_link)
{
	ck_assert_int_eq(run("route add 10.3.0.0/24 dev eth1"), 0);
	ck_assert_uint_eq(fake.route.scope, RT_SCOPE_LINK);
	ck_assert(!fake.route.nh[0].has_gw);
	ck_assert_uint_eq(fake.route.nh[0].ifindex, 3);
	/* Linux keeps IPv6 routes at universe */
	ck_assert_int_eq(run("route add 2001:db8::/32 dev eth1"), 0);
	ck_assert_uint_eq(fake.route.family, AF_INET6);
	ck_assert_uint_eq(fake.route.scope, RT_SCOPE_UNIVERSE);
	/* an explicit scope wins */
	ck_assert_int_eq(run("route add 10.3.0.0/24 dev eth1 scope host"), 0);
	ck_assert_uint_eq(fake.route.scope, RT_SCOPE_HOST);
}
END_TEST

START_TEST(cmd_route_add_via_only_leaves_ifindex)
{
	ck_assert_int_eq(run("route add to 10.4.0.0/16 via 10.0.0.2"), 0);
	ck_assert_uint_eq(fake.route.n_nh, 1);
	ck_assert_uint_eq(fake.route.nh[0].ifindex, 0);
	ck_assert(fake.route.nh[0].has_gw);
}
END_TEST

START_TEST(cmd_route_replace_flags)
{
	ck_assert_int_eq(run("route replace 10.1.0.0/16 via 10.0.0.3"), 0);
	ck_assert_str_eq(fake.call, "net_route_add");
	ck_assert_uint_eq(fake.nlflags, RT_ADD_CREATE | RT_ADD_REPLACE);
}
END_TEST

START_TEST(cmd_route_default_v4)
{
	static const uint8_t zero[16];

	memset(fake.route.dst, 0xff, 16);
	ck_assert_int_eq(run("route add default via 10.0.0.2"), 0);
	ck_assert_uint_eq(fake.route.family, AF_INET);
	ck_assert_uint_eq(fake.route.dst_len, 0);
	ck_assert_mem_eq(fake.route.dst, zero, 16);
	ck_assert_int_eq(run("route add blackhole default"), 0);
	ck_assert_uint_eq(fake.route.family, AF_INET);
	ck_assert_int_eq(run("route add 0.0.0.0/0 dev eth0"), 0);
	ck_assert_uint_eq(fake.route.family, AF_INET);
	ck_assert_uint_eq(fake.route.dst_len, 0);
}
END_TEST

START_TEST(cmd_route_default_v6_by_gateway)
{
	uint8_t a[16];

	ck_assert_int_eq(run("route add default via fe80::1 dev eth0"), 0);
	ck_assert_uint_eq(fake.route.family, AF_INET6);
	ck_assert_uint_eq(fake.route.dst_len, 0);
	ip6(a, "fe80::1");
	ck_assert_mem_eq(fake.route.nh[0].gw, a, 16);
	ck_assert_int_eq(run("route add default dev eth0 src 2001:db8::1"), 0);
	ck_assert_uint_eq(fake.route.family, AF_INET6);
	ck_assert_int_eq(run("route add default nexthop via fe80::1 dev eth0 "
			     "nexthop via fe80::2 dev eth1"), 0);
	ck_assert_uint_eq(fake.route.family, AF_INET6);
	ck_assert_int_eq(run("route add ::/0 dev eth0"), 0);
	ck_assert_uint_eq(fake.route.family, AF_INET6);
}
END_TEST

/* As `ip -6 route add`: Linux gives an IPv6 route without a metric, or
 * with 0, metric 1024; IPv4 keeps 0, and del matches any metric. */
START_TEST(cmd_route_v6_metric_defaults_1024)
{
	ck_assert_int_eq(run("route add 2001:db8::/32 dev eth0"), 0);
	ck_assert_uint_eq(fake.route.priority, 1024);
	ck_assert_int_eq(run("route add 2001:db8::/32 dev eth0 metric 0"), 0);
	ck_assert_uint_eq(fake.route.priority, 1024);
	ck_assert_int_eq(run("route replace 2001:db8::/32 dev eth0 metric 5"), 0);
	ck_assert_uint_eq(fake.route.priority, 5);
	ck_assert_int_eq(run("route add 10.1.0.0/16 dev eth0"), 0);
	ck_assert_uint_eq(fake.route.priority, 0);
	ck_assert_int_eq(run("route del 2001:db8::/32"), 0);
	ck_assert_uint_eq(fake.route.priority, 0);
	ck_assert_uint_eq(fake.mask & RT_MATCH_PRIORITY, 0);
}
END_TEST

START_TEST(cmd_route_types_without_nexthop)
{
	static const struct {
		const char *word;
		uint8_t type;
	} t[] = {
		{ "blackhole", RTN_BLACKHOLE }, { "unreachable", RTN_UNREACHABLE },
		{ "prohibit", RTN_PROHIBIT }, { "throw", RTN_THROW },
	};
	char line[128];
	unsigned int i;

	for (i = 0; i < 4; i++) {
		snprintf(line, sizeof(line), "route add %s 10.9.0.0/16 metric 5",
			 t[i].word);
		ck_assert_int_eq(run(line), 0);
		ck_assert_uint_eq(fake.route.type, t[i].type);
		ck_assert_uint_eq(fake.route.n_nh, 0);
		ck_assert_uint_eq(fake.route.scope, RT_SCOPE_UNIVERSE);
	}
	ck_assert_int_eq(run("route add unicast 10.9.0.0/16 dev eth0"), 0);
	ck_assert_uint_eq(fake.route.type, RTN_UNICAST);
}
END_TEST

START_TEST(cmd_route_table_and_proto_names)
{
	static const struct {
		const char *words;
		uint32_t table;
		uint8_t proto;
	} t[] = {
		{ "table main", RT_TABLE_MAIN_ID, RTPROT_BOOT },
		{ "table local proto kernel", RT_TABLE_LOCAL_ID, RTPROT_KERNEL },
		{ "table default proto static", RT_TABLE_DEFAULT_ID, RTPROT_STATIC },
		{ "table 100 protocol bird", 100, RTPROT_BIRD },
		{ "table 4294967295 proto 0", 4294967295u, 0 },
		{ "proto 255", RT_TABLE_MAIN_ID, 255 },
		{ "proto boot", RT_TABLE_MAIN_ID, RTPROT_BOOT },
	};
	char line[160];
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(line, sizeof(line), "route add 10.5.0.0/16 dev eth0 %s",
			 t[i].words);
		ck_assert_msg(!run(line), "%s: %s", line, cli_out_text(&out));
		ck_assert_uint_eq(fake.route.table, t[i].table);
		ck_assert_uint_eq(fake.route.protocol, t[i].proto);
	}
}
END_TEST

START_TEST(cmd_route_multipath_weights)
{
	uint8_t a[16];

	ck_assert_int_eq(run("route add 10.2.0.0/16 metric 7 nexthop via 10.0.0.2 "
			     "dev eth0 weight 3 nexthop dev eth1 nexthop via "
			     "10.0.1.2 weight 256"), 0);
	ck_assert_uint_eq(fake.route.n_nh, 3);
	ck_assert_uint_eq(fake.route.priority, 7);
	ck_assert_uint_eq(fake.route.scope, RT_SCOPE_UNIVERSE);
	ck_assert_uint_eq(fake.route.nh[0].weight, 3);
	ck_assert_uint_eq(fake.route.nh[0].ifindex, 2);
	ip4(a, "10.0.0.2");
	ck_assert_mem_eq(fake.route.nh[0].gw, a, 16);
	ck_assert_uint_eq(fake.route.nh[1].weight, 1);
	ck_assert_uint_eq(fake.route.nh[1].ifindex, 3);
	ck_assert(!fake.route.nh[1].has_gw);
	ck_assert_uint_eq(fake.route.nh[2].weight, 256);
	ck_assert_uint_eq(fake.route.nh[2].ifindex, 0);
	ck_assert(fake.route.nh[2].has_gw);
}
END_TEST

START_TEST(cmd_route_multipath_32_accepted_33_refused)
{
	char line[CLI_LINE_MAX];
	int i;

	strcpy(line, "route add 10.2.0.0/16");
	for (i = 0; i < 32; i++)
		strcat(line, " nexthop dev eth0 weight 2");
	ck_assert_int_eq(run(line), 0);
	ck_assert_uint_eq(fake.route.n_nh, 32);
	ck_assert_uint_eq(fake.route.nh[31].weight, 2);
	strcat(line, " nexthop dev eth1");
	fails(line, -E2BIG, "route add: 'nexthop': more than 32\n");
}
END_TEST

START_TEST(cmd_route_src_mtu_scope)
{
	uint8_t a[16];

	ck_assert_int_eq(run("route add 10.6.0.0/16 dev eth0 src 10.0.0.1 mtu 1400 "
			     "scope 200"), 0);
	ck_assert(fake.route.has_prefsrc);
	ip4(a, "10.0.0.1");
	ck_assert_mem_eq(fake.route.prefsrc, a, 16);
	ck_assert_uint_eq(fake.route.mtu, 1400);
	ck_assert_uint_eq(fake.route.scope, 200);
}
END_TEST

START_TEST(cmd_route_del_mask_follows_words)
{
	uint8_t a[16];

	ck_assert_int_eq(run("route del 10.1.0.0/16"), 0);
	ck_assert_str_eq(fake.call, "net_route_del");
	ck_assert_uint_eq(fake.mask, 0);
	ck_assert_uint_eq(fake.route.table, RT_TABLE_MAIN_ID);
	ck_assert_uint_eq(fake.route.dst_len, 16);
	ip4(a, "10.1.0.0");
	ck_assert_mem_eq(fake.route.dst, a, 16);

	ck_assert_int_eq(run("route del 10.1.0.0/16 via 10.0.0.2 dev eth0 metric "
			     "20 proto static scope link table 7"), 0);
	ck_assert_uint_eq(fake.mask, RT_MATCH_GW | RT_MATCH_OIF |
			  RT_MATCH_PRIORITY | RT_MATCH_PROTOCOL | RT_MATCH_SCOPE);
	ck_assert_uint_eq(fake.route.nh[0].ifindex, 2);
	ck_assert_uint_eq(fake.route.priority, 20);
	ck_assert_uint_eq(fake.route.protocol, RTPROT_STATIC);
	ck_assert_uint_eq(fake.route.scope, RT_SCOPE_LINK);
	ck_assert_uint_eq(fake.route.table, 7);

	ck_assert_int_eq(run("route del unreachable default"), 0);
	ck_assert_uint_eq(fake.mask, RT_MATCH_TYPE);
	ck_assert_uint_eq(fake.route.type, RTN_UNREACHABLE);
	ck_assert_uint_eq(fake.route.dst_len, 0);

	/* as `ip route show` prints it: src is accepted */
	ck_assert_int_eq(run("route del 10.0.0.0/24 dev eth0 proto kernel scope "
			     "link src 10.0.0.1"), 0);
	ck_assert_uint_eq(fake.mask, RT_MATCH_OIF | RT_MATCH_PROTOCOL |
			  RT_MATCH_SCOPE);
}
END_TEST

START_TEST(cmd_route_errors_name_word)
{
	fails("route add 10.1.0.0/16 via 10.0.0.x", -EINVAL,
	      "route add: 'via': bad address '10.0.0.x'\n");
	fails("route add 10.1.0.0/16 via ::1", -EINVAL,
	      "route add: 'via': '::1' is IPv6, the route is IPv4\n");
	fails("route add default via 10.0.0.1 src ::1", -EINVAL,
	      "route add: 'src': '::1' is IPv6, the route is IPv4\n");
	fails("route add 10.1.0.1/16 dev eth0", -EINVAL,
	      "route add: '10.1.0.1/16': host bits set after /16\n");
	fails("route add 10.1.0.0/16", -EINVAL,
	      "route add: missing 'via', 'dev', 'nexthop' or 'nhid'\n");
	fails("route add blackhole 10.1.0.0/16 via 10.0.0.2", -EINVAL,
	      "route add: 'via': not with type 'blackhole'\n");
	fails("route add prohibit 10.1.0.0/16 dev eth0", -EINVAL,
	      "route add: 'dev': not with type 'prohibit'\n");
	fails("route add 10.1.0.0/16 via 10.0.0.2 nexthop dev eth0", -EINVAL,
	      "route add: 'nexthop': not with 'via' or 'dev'\n");
	fails("route add 10.1.0.0/16 nexthop dev eth0 dev eth1", -EINVAL,
	      "route add: 'dev': given twice in one nexthop\n");
	fails("route add 10.1.0.0/16 nexthop dev eth0 via 10.0.0.1 dev eth1",
	      -EINVAL, "route add: 'dev': given twice in one nexthop\n");
	fails("route add 10.1.0.0/16 nexthop dev eth0 weight 0", -EINVAL,
	      "route add: 'weight': bad number '0' (want 1..256)\n");
	fails("route add 10.1.0.0/16 nexthop dev eth0 weight 257", -EINVAL,
	      "route add: 'weight': bad number '257' (want 1..256)\n");
	fails("route add 10.1.0.0/16 nexthop dev eth0 weight", -EINVAL,
	      "route add: 'weight': missing value\n");
	fails("route add 10.1.0.0/16 nexthop weight 2", -EINVAL,
	      "route add: 'nexthop': wants 'via GW' or 'dev NAME'\n");
	fails("route add 10.1.0.0/16 dev eth0 metric 1 priority 2", -EINVAL,
	      "route add: 'priority': given twice\n");
	fails("route add 10.1.0.0/16 dev eth0 table 0", -EINVAL,
	      "route add: 'table': bad number '0' (want 1..4294967295)\n");
	fails("route add 10.1.0.0/16 dev eth0 table 4294967296", -EINVAL,
	      "route add: 'table': bad number '4294967296' (want 1..4294967295)\n");
	fails("route add 10.1.0.0/16 dev eth0 proto gated", -EINVAL,
	      "route add: 'proto': bad number 'gated' (want 0..255)\n");
	fails("route add 10.1.0.0/16 dev eth0 onlink", -EINVAL,
	      "route add: 'onlink': unknown word (want via, dev, metric, "
	      "priority, table, proto, protocol, scope, src, mtu, nhid, nexthop)\n");
	fails("route add 10.1.0.0/16 dev eth5", -ENODEV,
	      "route add: no device 'eth5'\n");
	fails("route add 300.1.0.0/16 dev eth0", -EINVAL,
	      "route add: '300.1.0.0/16': bad prefix (want ADDR/LEN or default)\n");
	fails("route add", -EINVAL, "route add: missing PREFIX\n");
	fails("route add blackhole", -EINVAL, "route add: missing PREFIX\n");
	fails("route del 10.1.0.0/16 nexthop dev eth0", -EINVAL,
	      "route del: 'nexthop': not with del (give 'via' or 'dev')\n");
	fails("route flush", -EINVAL,
	      "route: 'flush': unknown verb (want add, del, replace)\n");
}
END_TEST

START_TEST(cmd_route_net_error_gives_reason)
{
	fake.ret = -ESRCH;
	snprintf(fake.reason, sizeof(fake.reason), "no such route");
	ck_assert_int_eq(run("route del 10.1.0.0/16"), -ESRCH);
	ck_assert_str_eq(cli_out_text(&out),
			 "route del: no such route (No such process)\n");
}
END_TEST

/* ---- pcap ---- */

START_TEST(cmd_pcap_start_stop)
{
	ck_assert_int_eq(run("pcap start eth0 /tmp/x/eth0.pcap"), 0);
	ck_assert_str_eq(fake.call, "net_pcap_start");
	ck_assert_str_eq(fake.name, "eth0");
	ck_assert_str_eq(fake.path, "/tmp/x/eth0.pcap");
	ck_assert_int_eq(run("pcap stop eth0"), 0);
	ck_assert_str_eq(fake.call, "net_pcap_stop");
	fails("pcap start eth0", -EINVAL, "pcap start: missing FILE\n");
	fails("pcap stop eth0 now", -EINVAL, "pcap stop: 'now': unexpected word\n");
	fails("pcap", -EINVAL, "pcap: missing verb (want start, stop)\n");
}
END_TEST

/* ---- show ---- */

START_TEST(cmd_show_links_ip_shape)
{
	ck_assert_int_eq(run("show links"), 0);
	ck_has("1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 state UNKNOWN\n"
	       "    link/loopback 00:00:00:00:00:00\n");
	ck_has("2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP\n"
	       "    link/ether 02:00:00:00:00:02 brd ff:ff:ff:ff:ff:ff\n"
	       "    link: local /tmp/a remote /tmp/b\n"
	       "    RX: packets 7 ");
	ck_has("3: eth1: <BROADCAST,MULTICAST> mtu 9000 state DOWN\n");
	ck_has("4: up0: <POINTOPOINT,MULTICAST,NOARP,UP,LOWER_UP> mtu 65520 "
	       "state UP\n"
	       "    link/none\n"
	       "    host: 1 udp flows, 0 echo, 0 tcp relayed, 0 denied, 0 tcp refused, "
	       "0 other dropped, 0 bad\n");
	ck_assert_uint_eq(fake.ncalls, 0);
}
END_TEST

START_TEST(cmd_show_addrs_ip_shape)
{
	ck_assert_int_eq(run("show addrs"), 0);
	ck_assert_str_eq(cli_out_text(&out),
			 "inet 127.0.0.1/8 scope host lo\n"
			 "inet 10.0.0.1/24 brd 10.0.0.255 scope global eth0\n"
			 "inet6 fe80::2/64 scope link eth0\n");
}
END_TEST

/* ---- nexthop ---- */

START_TEST(cmd_nexthop_add_kinds)
{
	uint8_t a[16];

	ck_assert_int_eq(run("nexthop add id 1 via 10.0.0.2 dev eth0 onlink proto static"), 0);
	ck_assert_str_eq(fake.call, "net_nh_add");
	ck_assert_uint_eq(fake.nh_flags, 0);
	ck_assert_uint_eq(fake.nh.id, 1);
	ck_assert_uint_eq(fake.nh.family, AF_INET);
	ck_assert_uint_eq(fake.nh.ifindex, 2);
	ck_assert(fake.nh.has_gw);
	ip4(a, "10.0.0.2");
	ck_assert_mem_eq(fake.nh.gw, a, 4);
	ck_assert_uint_eq(fake.nh.flags, RTNH_F_ONLINK);
	ck_assert_uint_eq(fake.nh.protocol, RTPROT_STATIC);
	/* a device alone: IPv4 unless family or an address says IPv6 */
	ck_assert_int_eq(run("nexthop add dev eth0"), 0);
	ck_assert_uint_eq(fake.nh.id, 0);
	ck_assert_uint_eq(fake.nh.family, AF_INET);
	ck_assert_int_eq(run("nexthop add id 5 dev eth0 family inet6"), 0);
	ck_assert_uint_eq(fake.nh.family, AF_INET6);
	ck_assert_int_eq(run("nexthop add id 6 via fe80::1 dev eth0"), 0);
	ck_assert_uint_eq(fake.nh.family, AF_INET6);
	ck_assert_int_eq(run("nexthop add id 7 blackhole"), 0);
	ck_assert(fake.nh.blackhole);
	ck_assert_uint_eq(fake.nh.family, AF_INET);
	ck_assert_int_eq(run("nexthop add id 8 fdb via 10.0.0.5"), 0);
	ck_assert(fake.nh.fdb && fake.nh.has_gw && !fake.nh.ifindex);
	/* a group: ip's ID[,WEIGHT]/... */
	ck_assert_int_eq(run("nexthop replace id 10 group 1/2,300"), 0);
	ck_assert_uint_eq(fake.nh_flags, NET_NH_REPLACE | NET_NH_CREATE);
	ck_assert_uint_eq(fake.nh.family, AF_UNSPEC);
	ck_assert_uint_eq(fake.nh.n_grp, 2);
	ck_assert_uint_eq(fake.nh.grp[0].id, 1);
	ck_assert_uint_eq(fake.nh.grp[0].weight, 1);
	ck_assert_uint_eq(fake.nh.grp[1].id, 2);
	ck_assert_uint_eq(fake.nh.grp[1].weight, 300);
}
END_TEST

START_TEST(cmd_nexthop_bad_words_named)
{
	static const struct {
		const char *line, *msg;
	} bad[] = {
		{ "nexthop add id 1 via 10.0.0.2",
		  "nexthop add: missing 'dev' (or 'blackhole', 'group', 'fdb')\n" },
		{ "nexthop add id 1 blackhole dev eth0",
		  "nexthop add: 'blackhole': not with 'via', 'dev', 'onlink' or 'fdb'\n" },
		{ "nexthop add id 1 group 1/2 dev eth0",
		  "nexthop add: 'group': not with 'via', 'dev', 'blackhole' or 'onlink'\n" },
		{ "nexthop add id 1 group 1/1", "nexthop add: 'group': 1 twice\n" },
		{ "nexthop add id 1 group 1,0", "nexthop add: 'group': bad number '0' (want 1..65535)\n" },
		{ "nexthop add id 1 dev eth0 onlink", "nexthop add: 'onlink': wants 'via'\n" },
		{ "nexthop add id 1 via 10.0.0.2 dev eth0 family inet6",
		  "nexthop add: 'family': 'inet6' is IPv6, the nexthop is IPv4\n" },
		{ "nexthop add id 0 dev eth0", "nexthop add: 'id': bad number '0' (want 1..4294967295)\n" },
		{ "nexthop add id 1 dev eth9", NULL },
		{ "nexthop add id 1 dev eth0 weight 2", NULL },
		{ "nexthop replace dev eth0", "nexthop replace: missing 'id'\n" },
		{ "nexthop del 1", "nexthop del: '1': unknown word (want id)\n" },
		{ "nexthop del id 1 now", "nexthop del: 'now': unexpected word\n" },
		{ "route add 10.1.0.0/16 nhid 1 via 10.0.0.2",
		  "route add: 'nhid': not with 'via', 'dev' or 'nexthop'\n" },
	};
	size_t k;

	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		fake.ncalls = 0;
		ck_assert_int_lt(run(bad[k].line), 0);
		ck_assert_uint_eq(fake.ncalls, 0);
		if (bad[k].msg)
			ck_assert_str_eq(cli_out_text(&out), bad[k].msg);
	}
	/* what net.h says: exists, none */
	fake.ret = -EEXIST;
	ck_assert_int_eq(run("nexthop add id 1 blackhole"), -EEXIST);
	ck_assert_str_eq(cli_out_text(&out), "nexthop add: nexthop 1 exists\n");
	fake.ret = -ENOENT;
	ck_assert_int_eq(run("nexthop del id 77"), -ENOENT);
	ck_assert_str_eq(cli_out_text(&out), "nexthop del: no nexthop 77\n");
	ck_assert_uint_eq(fake.nh.id, 77);
}
END_TEST

START_TEST(cmd_route_nhid)
{
	ck_assert_int_eq(run("route add 10.1.0.0/16 nhid 10 metric 5"), 0);
	ck_assert_str_eq(fake.call, "net_route_add");
	ck_assert_uint_eq(fake.route.nhid, 10);
	ck_assert_uint_eq(fake.route.n_nh, 0);
	ck_assert_uint_eq(fake.route.scope, RT_SCOPE_UNIVERSE);
	ck_assert_uint_eq(fake.route.priority, 5);
	ck_assert_int_eq(run("route del 10.1.0.0/16 nhid 10"), 0);
	ck_assert_str_eq(fake.call, "net_route_del");
	ck_assert(fake.mask & RT_MATCH_NHID);
}
END_TEST

START_TEST(cmd_show_nexthops_ip_shape)
{
	ck_assert_int_eq(run("show nexthops"), 0);
	ck_assert_str_eq(cli_out_text(&out),
			 "id 1 via 10.9.0.1 dev eth0 scope link proto static onlink\n"
			 "id 2 blackhole proto bird\n"
			 "id 3 via 10.0.0.5 scope link fdb\n"
			 "id 10 group 1/2,300\n");
}
END_TEST

START_TEST(cmd_show_routes_ip_shape)
{
	ck_assert_int_eq(run("show routes"), 0);
	ck_assert_uint_eq(fake.walk_table, RT_TABLE_MAIN_ID);
	ck_assert_str_eq(cli_out_text(&out),
			 "10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.1\n"
			 "default via 10.0.0.2 dev eth0 proto boot metric 20 mtu lock 1400 "
			 "advmss 1360 congctl reno realm 7\n"
			 "2001:db8::/48 table 100 proto bird\n"
			 "\tnexthop via fe80::1 dev eth0 weight 3\n"
			 "\tnexthop via fe80::9 dev eth1 weight 1\n");
	ck_assert_int_eq(run("show routes table all"), 0);
	ck_assert_uint_eq(fake.walk_table, 0);
	ck_assert_int_eq(run("show routes table local"), 0);
	ck_assert_uint_eq(fake.walk_table, RT_TABLE_LOCAL_ID);
	ck_assert_int_eq(run("show routes table 9"), 0);
	ck_assert_uint_eq(fake.walk_table, 9);
	fails("show routes table", -EINVAL, "show routes: 'table': missing value\n");
	fails("show routes tabel 9", -EINVAL,
	      "show routes: 'tabel': unknown word (want table)\n");
	fails("show routes table 9 x", -EINVAL,
	      "show routes: 'x': unexpected word\n");
	fails("show neighbours", -EINVAL,
	      "show: 'neighbours': unknown verb (want links, addrs, routes, rules, nexthops, uplink, stats)\n");
}
END_TEST

/* ---- syntax ---- */

/* ---- uplink rules and published ports ---- */

static bool acl_says(const char *ip)
{
	uint8_t a[16] = { 0 };
	uint8_t fam = strchr(ip, ':') ? AF_INET6 : AF_INET;

	ck_assert_int_eq(inet_pton(fam, ip, a), 1);
	return rt_acl_allowed(fake.acl, fam, a);
}

static void fake_stats(void *arg, struct cli_out *o)
{
	cli_out_printf(o, "fds=%d socks=0\n", *(int *)arg);
}

START_TEST(cmd_show_stats_from_the_provider)
{
	int fds = 7;

	fails("show stats", -ENOTSUP, "show stats: no counters here\n");
	cli_cmd_set_stats(fake_stats, &fds);
	ck_assert_int_eq(run("show stats"), 0);
	ck_assert_str_eq(cli_out_text(&out), "fds=7 socks=0\n");
	fails("show stats now", -EINVAL, "show stats: 'now': unexpected word\n");
	cli_cmd_set_stats(NULL, NULL);
}
END_TEST

START_TEST(cmd_sysctl_lists_every_forwarding_key)
{
	fake.fwd[0][0] = 1;
	fake.fwd[1][2] = 1;	/* ipv6 lo */
	ck_assert_int_eq(run("sysctl"), 0);
	ck_assert_str_eq(cli_out_text(&out),
		"net.ipv4.ip_forward = 1\n"
		"net.ipv4.conf.all.forwarding = 1\n"
		"net.ipv4.conf.default.forwarding = 0\n"
		"net.ipv4.conf.lo.forwarding = 0\n"
		"net.ipv4.conf.eth0.forwarding = 0\n"
		"net.ipv4.conf.eth1.forwarding = 0\n"
		"net.ipv4.conf.up0.forwarding = 0\n"
		"net.ipv6.conf.all.forwarding = 0\n"
		"net.ipv6.conf.default.forwarding = 0\n"
		"net.ipv6.conf.lo.forwarding = 1\n"
		"net.ipv6.conf.eth0.forwarding = 0\n"
		"net.ipv6.conf.eth1.forwarding = 0\n"
		"net.ipv6.conf.up0.forwarding = 0\n");
	ck_assert_uint_eq(fake.ncalls, 0);
}
END_TEST

START_TEST(cmd_sysctl_reads_and_sets_as_sysctl_names_them)
{
	ck_assert_int_eq(run("sysctl net.ipv4.ip_forward=1 "
			     "net/ipv6/conf/eth0/forwarding=0x2 "
			     "net.ipv4.conf.default.forwarding"), 0);
	ck_assert_str_eq(cli_out_text(&out),
		"net.ipv4.ip_forward = 1\n"
		"net/ipv6/conf/eth0/forwarding = 2\n"
		"net.ipv4.conf.default.forwarding = 0\n");
	ck_assert_int_eq(fake.fwd[0][0], 1);	/* ip_forward is conf.all */
	ck_assert_int_eq(fake.fwd[1][2 + 1], 2);
	ck_assert_uint_eq(fake.ncalls, 2);
	ck_assert_int_eq(run("sysctl net.ipv6.conf.eth1.forwarding=-1"), 0);
	ck_assert_int_eq(fake.fwd[1][2 + 2], -1);
	/* the other files of conf/DEV/ */
	ck_assert_int_eq(run("sysctl net.ipv4.conf.eth0.rp_filter=2 "
			     "net.ipv4.conf.all.rp_filter"), 0);
	ck_assert_str_eq(cli_out_text(&out),
		"net.ipv4.conf.eth0.rp_filter = 2\n"
		"net.ipv4.conf.all.rp_filter = 0\n");
	ck_assert_int_eq(fake.rp_filter[2 + 1], 2);
}
END_TEST

START_TEST(cmd_sysctl_bad_words_change_nothing)
{
	fails("sysctl net.ipv4.ip_forward=1 net.ipv4.tcp_fin_timeout=5", -EINVAL,
	      "sysctl: 'net.ipv4.tcp_fin_timeout': not a sysctl of the sandbox "
	      "(want net.ipv4.ip_forward, net.ipv4.conf.DEV.NAME, "
	      "net.ipv6.conf.DEV.NAME)\n");
	fails("sysctl net.ipv4.ip_forward=on", -EINVAL,
	      "sysctl: 'net.ipv4.ip_forward': bad value 'on' (want an integer, "
	      "0 for off)\n");
	fails("sysctl net.ipv4.ip_forward=", -EINVAL,
	      "sysctl: 'net.ipv4.ip_forward': bad value '' (want an integer, "
	      "0 for off)\n");
	fails("sysctl net.ipv4.ip_forward=99999999999", -EINVAL,
	      "sysctl: 'net.ipv4.ip_forward': 99999999999 out of range\n");
	fails("sysctl net.ipv4.conf.eth9.forwarding=1", -ENODEV,
	      "sysctl: 'net.ipv4.conf.eth9.forwarding': no such device "
	      "'eth9'\n");
	fails("sysctl net.ipv4.conf.averyveryverylongname.forwarding", -ENODEV,
	      "sysctl: 'net.ipv4.conf.averyveryverylongname.forwarding': no "
	      "such device 'averyveryverylongname'\n");
	fails("sysctl net.ipv4.conf.eth0.forwarding.x", -EINVAL,
	      "sysctl: 'net.ipv4.conf.eth0.forwarding.x': not a sysctl of the "
	      "sandbox (want net.ipv4.ip_forward, net.ipv4.conf.DEV.NAME, "
	      "net.ipv6.conf.DEV.NAME)\n");
	fails("sysctl net.ipv5.conf.all.forwarding", -EINVAL,
	      "sysctl: 'net.ipv5.conf.all.forwarding': not a sysctl of the "
	      "sandbox (want net.ipv4.ip_forward, net.ipv4.conf.DEV.NAME, "
	      "net.ipv6.conf.DEV.NAME)\n");
	/* Linux's ranges and read-only files, before anything is set */
	fails("sysctl net.ipv4.ip_forward=1 net.ipv6.conf.all.hop_limit=256",
	      -EINVAL, "sysctl: 'net.ipv6.conf.all.hop_limit': 256 out of "
	      "range\n");
	fails("sysctl net.ipv4.conf.eth0.mc_forwarding=1", -EACCES,
	      "sysctl: 'net.ipv4.conf.eth0.mc_forwarding': read-only\n");
	fails("sysctl net.ipv4.conf.eth0.nosuchfile=1", -EINVAL,
	      "sysctl: 'net.ipv4.conf.eth0.nosuchfile': not a sysctl of the "
	      "sandbox (want net.ipv4.ip_forward, net.ipv4.conf.DEV.NAME, "
	      "net.ipv6.conf.DEV.NAME)\n");
	/* in the dotted form a '/' in DEV stands for a '.' */
	fails("sysctl net.ipv4.conf.eth0/100.forwarding", -ENODEV,
	      "sysctl: 'net.ipv4.conf.eth0/100.forwarding': no such device "
	      "'eth0.100'\n");
	ck_assert_int_eq(fake.fwd[0][0], 0);
}
END_TEST

START_TEST(cmd_uplink_allow_deny_del)
{
	ck_assert(!acl_says("127.0.0.1"));
	ck_assert_int_eq(run("uplink allow 127.0.0.1/32"), 0);
	ck_assert(acl_says("127.0.0.1"));
	ck_assert(!acl_says("127.0.0.2"));
	ck_assert_int_eq(run("uplink deny 192.0.2.0/24"), 0);
	ck_assert(!acl_says("192.0.2.9"));
	ck_assert_int_eq(run("uplink allow ::1"), 0);
	ck_assert(acl_says("::1"));
	ck_assert_int_eq(run("show uplink"), 0);
	ck_assert_str_eq(cli_out_text(&out),
			 "allow 127.0.0.1/32\n"
			 "deny 192.0.2.0/24\n"
			 "allow ::1/128\n"
			 "deny 127.0.0.0/8 ::1/128 (default, unless allowed above)\n"
			 "publish 0.0.0.0:8080:80/tcp accepted 3 refused 1\n");
	ck_assert_int_eq(run("uplink del 192.0.2.0/24"), 0);
	ck_assert(acl_says("192.0.2.9"));
	fails("uplink del 192.0.2.0/24", -ESRCH,
	      "uplink del: '192.0.2.0/24': no such rule\n");
	fails("uplink deny 192.0.2.1/24", -EINVAL,
	      "uplink deny: '192.0.2.1/24': host bits set (want the prefix, "
	      "e.g. 10.0.0.0/8)\n");
	fails("uplink deny nowhere", -EINVAL,
	      "uplink deny: 'nowhere': not an address or ADDR/LEN\n");
	fails("uplink deny", -EINVAL, "uplink deny: missing PREFIX\n");
	fails("uplink open 10.0.0.0/8", -EINVAL,
	      "uplink: 'open': unknown verb (want allow, deny, del)\n");
}
END_TEST

START_TEST(cmd_publish_forms)
{
	uint8_t a[16];

	ck_assert_int_eq(run("publish 8080:80"), 0);
	ck_assert_str_eq(fake.call, "net_publish_add");
	ck_assert_uint_eq(fake.pub.proto, IPPROTO_TCP);
	ck_assert_uint_eq(fake.pub.family, AF_INET);
	ck_assert_uint_eq(fake.pub.host_port, 8080);
	ck_assert_uint_eq(fake.pub.port, 80);
	memset(a, 0, sizeof(a));
	ck_assert_mem_eq(fake.pub.addr, a, 16);
	ck_assert_int_eq(run("publish 127.0.0.1:1179:179/tcp"), 0);
	ip4(a, "127.0.0.1");
	ck_assert_mem_eq(fake.pub.addr, a, 4);
	ck_assert_uint_eq(fake.pub.host_port, 1179);
	ck_assert_uint_eq(fake.pub.port, 179);
	ck_assert_int_eq(run("publish [::1]:5353:53/udp"), 0);
	ck_assert_uint_eq(fake.pub.family, AF_INET6);
	ck_assert_uint_eq(fake.pub.proto, IPPROTO_UDP);
	ip6(a, "::1");
	ck_assert_mem_eq(fake.pub.addr, a, 16);
	ck_assert_int_eq(run("unpublish 127.0.0.1:1179"), 0);
	ck_assert_str_eq(fake.call, "net_publish_del");
	ck_assert_uint_eq(fake.pub.host_port, 1179);
	ck_assert_uint_eq(fake.pub.port, 0);
	fails("publish 8080", -EINVAL,
	      "publish: '8080': want [HOSTADDR:]HOSTPORT:PORT[/tcp|/udp]\n");
	fails("publish 8080:80/sctp", -EINVAL,
	      "publish: '8080:80/sctp': unknown protocol 'sctp' (want tcp or "
	      "udp)\n");
	fails("publish 1.2.3.4:5:6:7", -EINVAL,
	      "publish: '1.2.3.4:5:6:7': too many parts (want "
	      "[HOSTADDR:]HOSTPORT:PORT)\n");
	fails("publish host:80:80", -EINVAL,
	      "publish: 'host:80:80': bad host address 'host'\n");
	fails("publish 0:80", -EINVAL,
	      "publish: 'HOSTPORT': bad number '0' (want 1..65535)\n");
	fails("publish [::1:80:80", -EINVAL, "publish: '[::1:80:80': bad "
	      "[ADDRESS]\n");
	fails("unpublish 80:80:80", -EINVAL, "unpublish: '80:80:80': bad host "
	      "address '80'\n");
}
END_TEST

START_TEST(cmd_syntax_blank_and_comments_do_nothing)
{
	static const char *const lines[] = {
		"", "   ", "\t \t", "# route add junk", "   # x", "#",
	};
	unsigned int i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		ck_assert_int_eq(run(lines[i]), 0);
		ck_assert_str_eq(cli_out_text(&out), "");
	}
	ck_assert_int_eq(run("link del eth1 # gone"), 0);
	ck_assert_uint_eq(fake.ifindex, 3);
	ck_assert_uint_eq(fake.ncalls, 1);
}
END_TEST

START_TEST(cmd_syntax_blanks_split_words)
{
	ck_assert_int_eq(run("\troute   add\t10.1.0.0/16 \t dev  eth0  "), 0);
	ck_assert_uint_eq(fake.route.nh[0].ifindex, 2);
}
END_TEST

START_TEST(cmd_syntax_unknown_command_error)
{
	fails("frobnicate now", -EINVAL,
	      "rrsandbox: unknown command 'frobnicate' (try 'help')\n");
	fails("link", -EINVAL, "link: missing verb (want add, del, set)\n");
	fails("link up eth0", -EINVAL,
	      "link: 'up': unknown verb (want add, del, set)\n");
	fails("help me", -EINVAL, "help: 'me': unexpected word\n");
	fails("exec ip route", -EINVAL, "rrsandbox: exec is rrctl's own: "
	      "`rrctl exec PROGRAM [ARGS...]` (not a line for -c FILE)\n");
}
END_TEST

START_TEST(cmd_syntax_help_lists_commands)
{
	ck_assert_int_eq(run("help"), 0);
	ck_has("link add NAME type link local ENDPOINT remote ENDPOINT");
	ck_has("| NAME type host [mtu N]\n");
	ck_has("\nlink set NAME [up|down]");
	ck_has("\naddr add ADDR/LEN [peer ADDR[/LEN]] [label NAME] dev NAME\n");
	ck_has("\nroute replace ");
	ck_has("\npcap start NAME FILE\n");
	ck_has("\nshow routes [table ID|all]\n");
	ck_has("\nsysctl [KEY[=VALUE] ...]\n");
	ck_has("blackhole");
	ck_has("\nrrctl alone: exec PROGRAM [ARGS...]");
	ck_has("\ncapture DEV [FILTER] writes a live pcap stream");
}
END_TEST

START_TEST(cmd_syntax_long_line_error)
{
	char line[CLI_LINE_MAX + 2];

	memset(line, ' ', CLI_LINE_MAX);
	memcpy(line, "help", 4);
	line[CLI_LINE_MAX] = '\0';
	ck_assert_int_eq(run(line), 0);		/* 4096 bytes: fine */
	line[CLI_LINE_MAX] = ' ';
	line[CLI_LINE_MAX + 1] = '\0';
	fails(line, -E2BIG, "rrsandbox: line too long (more than 4096 bytes)\n");
}
END_TEST

START_TEST(cmd_syntax_too_many_words_error)
{
	char line[CLI_LINE_MAX];
	int i;

	line[0] = '\0';
	for (i = 0; i < CLI_WORDS_MAX + 1; i++)
		strcat(line, "x ");
	fails(line, -E2BIG, "rrsandbox: more than 512 words\n");
}
END_TEST

START_TEST(cmd_syntax_control_character_error)
{
	fails("link del eth1\nlink del eth0", -EINVAL,
	      "rrsandbox: control character 0x0a in line\n");
	fails("link del \x1b[31meth1", -EINVAL,
	      "rrsandbox: control character 0x1b in line\n");
}
END_TEST

START_TEST(cmd_syntax_output_appends_error_replaces)
{
	cli_out_reset(&out);
	ck_assert_int_eq(cli_cmd_run(&fake, "show addrs", &out), 0);
	ck_assert_int_eq(cli_cmd_run(&fake, "link del eth9", &out), -ENODEV);
	ck_assert_str_eq(cli_out_text(&out),
			 "inet 127.0.0.1/8 scope host lo\n"
			 "inet 10.0.0.1/24 brd 10.0.0.255 scope global eth0\n"
			 "inet6 fe80::2/64 scope link eth0\n"
			 "link del: no device 'eth9'\n");
}
END_TEST

START_TEST(cmd_syntax_null_arguments_einval)
{
	ck_assert_int_eq(cli_cmd_run(NULL, "help", &out), -EINVAL);
	ck_assert_int_eq(cli_cmd_run(&fake, NULL, &out), -EINVAL);
	ck_assert_int_eq(cli_cmd_run(&fake, "help", NULL), -EINVAL);
	ck_assert_int_eq(cli_cmd_run_file(&fake, NULL, &out), -EINVAL);
}
END_TEST

/* ---- files ---- */

/* Write @text to a new temporary file; its path in @path. */
static void write_file(char *path, const char *text, size_t len)
{
	int fd;

	strcpy(path, "/tmp/check_cmd.XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
}

START_TEST(cmd_file_runs_every_line)
{
	static const char text[] =
		"# lab r1\n"
		"\n"
		"link set eth0 up\r\n"
		"addr add 10.0.0.1/24 dev eth0   # the lan\n"
		"route add default via 10.0.0.2";	/* no final newline */
	char path[64];

	write_file(path, text, sizeof(text) - 1);
	cli_out_reset(&out);
	ck_assert_int_eq(cli_cmd_run_file(&fake, path, &out), 0);
	unlink(path);
	ck_assert_uint_eq(fake.ncalls, 3);
	ck_assert_str_eq(fake.call, "net_route_add");
	ck_assert_uint_eq(fake.addr.plen, 24);
	ck_assert_str_eq(cli_out_text(&out), "");
}
END_TEST

START_TEST(cmd_file_stops_at_first_error_with_line)
{
	static const char text[] =
		"link set eth0 up\n"
		"# two\n"
		"route add 10.1.0.0/16 via 10.0.0.x\n"
		"link del eth1\n";
	char path[64], want[160];

	write_file(path, text, sizeof(text) - 1);
	cli_out_reset(&out);
	ck_assert_int_eq(cli_cmd_run_file(&fake, path, &out), -EINVAL);
	unlink(path);
	ck_assert_uint_eq(fake.ncalls, 1);
	ck_assert_str_eq(fake.call, "net_link_set");
	snprintf(want, sizeof(want), "%s:3: route add: 'via': bad address "
		 "'10.0.0.x'\n", path);
	ck_assert_str_eq(cli_out_text(&out), want);
}
END_TEST

START_TEST(cmd_file_net_error_stops)
{
	static const char text[] = "help\nlink del eth1\nlink del eth0\n";
	char path[64], want[160];

	write_file(path, text, sizeof(text) - 1);
	fake.ret = -EBUSY;
	cli_out_reset(&out);
	ck_assert_int_eq(cli_cmd_run_file(&fake, path, &out), -EBUSY);
	unlink(path);
	ck_assert_uint_eq(fake.ncalls, 1);
	ck_assert_uint_eq(fake.ifindex, 3);
	snprintf(want, sizeof(want), "%s:2: link del: Device or resource busy\n",
		 path);
	ck_assert_str_eq(cli_out_text(&out), want);
}
END_TEST

START_TEST(cmd_file_long_line_error)
{
	char text[CLI_LINE_MAX * 2 + 64], path[64], want[160];
	size_t len;

	len = (size_t)sprintf(text, "link set eth0 up\n# ");
	memset(text + len, 'x', CLI_LINE_MAX);
	len += CLI_LINE_MAX;
	len += (size_t)sprintf(text + len, "\nlink del eth1\n");
	write_file(path, text, len);
	cli_out_reset(&out);
	ck_assert_int_eq(cli_cmd_run_file(&fake, path, &out), -E2BIG);
	unlink(path);
	ck_assert_uint_eq(fake.ncalls, 1);
	snprintf(want, sizeof(want), "%s:2: rrsandbox: line too long (more than "
		 "4096 bytes)\n", path);
	ck_assert_str_eq(cli_out_text(&out), want);
}
END_TEST

START_TEST(cmd_file_nul_byte_error)
{
	static const char text[] = "link set eth0 up\nlink del eth1\0 x\n";
	char path[64], want[160];

	write_file(path, text, sizeof(text) - 1);
	cli_out_reset(&out);
	ck_assert_int_eq(cli_cmd_run_file(&fake, path, &out), -EINVAL);
	unlink(path);
	ck_assert_uint_eq(fake.ncalls, 1);
	snprintf(want, sizeof(want), "%s:2: NUL byte in line\n", path);
	ck_assert_str_eq(cli_out_text(&out), want);
}
END_TEST

START_TEST(cmd_file_missing_error)
{
	cli_out_reset(&out);
	ck_assert_int_eq(cli_cmd_run_file(&fake, "/nonexistent/r1.conf", &out),
			 -ENOENT);
	ck_assert_str_eq(cli_out_text(&out),
			 "/nonexistent/r1.conf: No such file or directory\n");
}
END_TEST

/* ---- fuzz ---- */

static const char *const vocab[] = {
	"link", "addr", "address", "route", "pcap", "show", "help", "add", "del",
	"set", "replace", "start", "stop", "links", "addrs", "routes", "type",
	"local", "remote", "mtu", "address", "up", "down", "name", "dev", "via",
	"metric", "table", "proto", "src", "scope", "nexthop", "weight",
	"default", "blackhole", "unreachable", "throw", "main", "all", "eth0",
	"eth1", "lo", "eth9", "10.0.0.1", "10.0.0.0/8", "::1", "fe80::1/64",
	"::/0", "0", "1", "256", "4294967296", "-1", "", "#", "/", "/32",
	"02:00:00:00:00:01", "ff:ff:ff:ff:ff:ff", "1.2.3.4/33", "x", "to",
};

/* A random line: vocabulary words, garbage bytes, or a mix. */
static void random_line(char *line, size_t size, unsigned int *seed)
{
	size_t len = 0, nv = sizeof(vocab) / sizeof(vocab[0]);
	unsigned int words = (unsigned int)rand_r(seed) % 40, i;

	line[0] = '\0';
	for (i = 0; i < words && len + 80 < size; i++) {
		if (rand_r(seed) % 8) {
			len += (size_t)snprintf(line + len, size - len, "%s ",
						vocab[rand_r(seed) % (int)nv]);
		} else {
			unsigned int j, n = (unsigned int)rand_r(seed) % 30;

			for (j = 0; j < n; j++)
				line[len++] = (char)(rand_r(seed) % 255 + 1);
			line[len++] = ' ';
			line[len] = '\0';
		}
	}
}

START_TEST(cmd_fuzz_random_lines_never_crash)
{
	char line[8192];
	unsigned int seed = 12345, i, ok = 0;
	const char *t;
	int ret;

	for (i = 0; i < 30000; i++) {
		random_line(line, sizeof(line), &seed);
		fake.ret = i % 7 ? 0 : -EINVAL;
		ret = run(line);
		ck_assert_int_le(ret, 0);
		t = cli_out_text(&out);
		if (!ret) {
			ok++;
			continue;
		}
		/* an error is one line, ending in a newline */
		ck_assert_msg(strlen(t) > 2 && t[strlen(t) - 1] == '\n' &&
			      !strchr(t, '\n')[1], "line '%s' gave '%s'", line, t);
	}
	ck_assert_uint_gt(ok, 0);
}
END_TEST

/* Mutations of valid lines: each prefix, and one byte changed. */
START_TEST(cmd_fuzz_truncated_and_mutated_lines)
{
	static const char *const good[] = {
		"link add eth2 type link local /a remote 1.2.3.4:5 mtu 1500 "
		"address 02:00:00:00:00:01",
		"route add 10.2.0.0/16 nexthop via 10.0.0.2 dev eth0 weight 3 "
		"nexthop via 10.0.1.2 dev eth1",
		"route del unreachable ::/0 table local proto 9 metric 3",
		"addr add fe80::1/64 dev eth0", "link set eth0 up mtu 9000 name x",
	};
	char line[256];
	unsigned int seed = 7, g, i;
	size_t len;

	for (g = 0; g < sizeof(good) / sizeof(good[0]); g++) {
		ck_assert_msg(!run(good[g]), "%s: %s", good[g], cli_out_text(&out));
		len = strlen(good[g]);
		for (i = 0; i <= len; i++) {
			memcpy(line, good[g], i);
			line[i] = '\0';
			ck_assert_int_le(run(line), 0);
			strcpy(line, good[g]);
			line[i % len] = (char)(rand_r(&seed) % 94 + 33);
			ck_assert_int_le(run(line), 0);
		}
	}
}
END_TEST

static Suite *cmd_suite(void)
{
	Suite *s = suite_create("cmd");
	TCase *tc;

	tc = tcase_create("link");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, cmd_link_add_fills_opts);
	tcase_add_test(tc, cmd_link_add_defaults_zero);
	tcase_add_test(tc, cmd_link_add_errors_name_word);
	tcase_add_test(tc, cmd_link_add_host_uplink);
	tcase_add_test(tc, cmd_link_add_host_errors);
	tcase_add_test(tc, cmd_link_add_dummy);
	tcase_add_test(tc, cmd_link_add_bad_name_error);
	tcase_add_test(tc, cmd_link_add_too_many_remotes_error);
	tcase_add_test(tc, cmd_link_net_error_gives_reason);
	tcase_add_test(tc, cmd_link_del_resolves_ifindex);
	tcase_add_test(tc, cmd_link_set_fills_change);
	tcase_add_test(tc, cmd_link_set_errors_name_word);
	suite_add_tcase(s, tc);

	tc = tcase_create("addr");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, cmd_addr_add_v4_fields);
	tcase_add_test(tc, cmd_addr_add_v6_and_alias);
	tcase_add_test(tc, cmd_addr_del_calls_del);
	tcase_add_test(tc, cmd_addr_peer_and_label);
	tcase_add_test(tc, cmd_addr_errors_name_word);
	suite_add_tcase(s, tc);

	tc = tcase_create("route");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, cmd_route_add_via_dev_fields);
	tcase_add_test(tc, cmd_nexthop_add_kinds);
	tcase_add_test(tc, cmd_nexthop_bad_words_named);
	tcase_add_test(tc, cmd_route_nhid);
	tcase_add_test(tc, cmd_show_nexthops_ip_shape);
	tcase_add_test(tc, cmd_rule_add_del_show);
	tcase_add_test(tc, cmd_route_add_dev_only_scope_link);
	tcase_add_test(tc, cmd_route_add_via_only_leaves_ifindex);
	tcase_add_test(tc, cmd_route_replace_flags);
	tcase_add_test(tc, cmd_route_default_v4);
	tcase_add_test(tc, cmd_route_default_v6_by_gateway);
	tcase_add_test(tc, cmd_route_v6_metric_defaults_1024);
	tcase_add_test(tc, cmd_route_types_without_nexthop);
	tcase_add_test(tc, cmd_route_table_and_proto_names);
	tcase_add_test(tc, cmd_route_multipath_weights);
	tcase_add_test(tc, cmd_route_multipath_32_accepted_33_refused);
	tcase_add_test(tc, cmd_route_src_mtu_scope);
	tcase_add_test(tc, cmd_route_del_mask_follows_words);
	tcase_add_test(tc, cmd_route_errors_name_word);
	tcase_add_test(tc, cmd_route_net_error_gives_reason);
	suite_add_tcase(s, tc);

	tc = tcase_create("pcap");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, cmd_pcap_start_stop);
	tcase_add_test(tc, cmd_uplink_allow_deny_del);
	tcase_add_test(tc, cmd_publish_forms);
	tcase_add_test(tc, cmd_sysctl_lists_every_forwarding_key);
	tcase_add_test(tc, cmd_sysctl_reads_and_sets_as_sysctl_names_them);
	tcase_add_test(tc, cmd_sysctl_bad_words_change_nothing);
	suite_add_tcase(s, tc);

	tc = tcase_create("show");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, cmd_show_links_ip_shape);
	tcase_add_test(tc, cmd_show_addrs_ip_shape);
	tcase_add_test(tc, cmd_show_routes_ip_shape);
	tcase_add_test(tc, cmd_show_stats_from_the_provider);
	suite_add_tcase(s, tc);

	tc = tcase_create("syntax");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, cmd_syntax_blank_and_comments_do_nothing);
	tcase_add_test(tc, cmd_syntax_blanks_split_words);
	tcase_add_test(tc, cmd_syntax_unknown_command_error);
	tcase_add_test(tc, cmd_syntax_help_lists_commands);
	tcase_add_test(tc, cmd_syntax_long_line_error);
	tcase_add_test(tc, cmd_syntax_too_many_words_error);
	tcase_add_test(tc, cmd_syntax_control_character_error);
	tcase_add_test(tc, cmd_syntax_output_appends_error_replaces);
	tcase_add_test(tc, cmd_syntax_null_arguments_einval);
	suite_add_tcase(s, tc);

	tc = tcase_create("file");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, cmd_file_runs_every_line);
	tcase_add_test(tc, cmd_file_stops_at_first_error_with_line);
	tcase_add_test(tc, cmd_file_net_error_stops);
	tcase_add_test(tc, cmd_file_long_line_error);
	tcase_add_test(tc, cmd_file_nul_byte_error);
	tcase_add_test(tc, cmd_file_missing_error);
	suite_add_tcase(s, tc);

	tc = tcase_create("fuzz");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, cmd_fuzz_random_lines_never_crash);
	tcase_add_test(tc, cmd_fuzz_truncated_and_mutated_lines);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cmd_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
