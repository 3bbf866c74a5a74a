/* SPDX-License-Identifier: MIT */
/*
 * ifioctl.c - the interface ioctls (0x89xx: SIOCGIFCONF, SIOCGIF*,
 * SIOCSIF*, SIOCADDRT, SIOCGARP, ...) answered from the sandbox's devices.
 *
 * calls.c hands every trapped interface request here, on any socket of the
 * program: an emulated AF_INET, AF_INET6 or AF_NETLINK socket, or a native
 * one (AF_UNIX, which glibc's if_nametoindex() opens).  None of them ever
 * reaches the kernel, which would answer from the host's interfaces.  One
 * table maps each request to its handler, with what to do before (copy in
 * a struct ifreq, look up the device it names) and after (copy it back).
 * Answers come from net.h only: devices, addresses, routes.
 *
 * Errors follow Linux 6.x: dev_ioctl() for the device requests, which any
 * socket family takes; inet_ioctl()/devinet_ioctl() for the IPv4 address,
 * route and ARP requests, which only AF_INET sockets take (ENOTTY on the
 * others, as the kernel gives for AF_UNIX).  A native socket counts as
 * AF_UNIX: it is the only family a sandboxed program creates natively.
 * IPv4 address requests find their address by label, as devinet_ioctl():
 * `eth0` names the device's first address labelled eth0, `eth0:1` the
 * alias `ifconfig eth0:1 ADDR` made (SIOCSIFADDR on a label without an
 * address adds one).  ARP entries (SIOCSARP, SIOCDARP, SIOCGARP: `arp -s`,
 * `arp -d`) are the neighbour table's (net_neigh_set() and friends).
 * SIOCETHTOOL answers what Linux's veth, dummy and lo would (ethtool()).
 * A request names a device by its name or one of its altnames, as Linux's
 * dev_get_by_name() finds them (net_link_lookup()); SIOCGIFNAME answers
 * the name.
 * What the sandbox cannot do (hardware addresses, proxy ARP entries,
 * broadcast addresses, IPv6 routes by ioctl) is EOPNOTSUPP, never a
 * silent success.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <net/route.h>
#include <sys/ioctl.h>
#include <linux/ethtool.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>

#include "internal.h"
#include "net.h"

#define TXQLEN		1000	/* as rtnl_link.c's IFLA_TXQLEN */
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP	0x10000	/* <linux/if.h>'s, which <net/if.h> lacks */
#endif

#define Q_IN		0x01	/* copy in a struct ifreq (EFAULT) */
#define Q_DEV		0x02	/* ifr_name must name a device (ENODEV) */
#define Q_OUT		0x04	/* copy the struct ifreq back after success */
#define Q_INET		0x08	/* taken by AF_INET sockets */
#define Q_INET6		0x10	/* taken by AF_INET6 sockets */

/**
 * struct ifq - one request being answered
 * @n:		the sandbox's network
 * @c:		the ioctl call
 * @req:	its request
 * @arg:	its argument, a pointer into the program
 * @family:	the socket's family (AF_UNIX for a native one)
 * @ifr:	the program's struct ifreq, when copied in (Q_IN)
 * @l:		the device ifr_name names (Q_DEV)
 */
struct ifq {
	struct net *n;
	struct trc_call *c;
	uint32_t req;
	uint64_t arg;
	int family;
	struct ifreq ifr;
	struct net_link l;
};

typedef int (*ifq_fn)(struct ifq *q);

struct ifq_desc {
	const char *name;
	ifq_fn fn;
	unsigned int flags;
};

/* The first IPv4 address of a device with a label (devinet_ioctl()). */
struct v4_find {
	uint32_t ifindex;
	const char *label;
	struct net_addr a;
	bool found;
};

static int v4_match(void *arg, const struct net_addr *a)
{
	struct v4_find *f = arg;

	if (a->ifindex != f->ifindex ||
	    strncmp(a->label, f->label, sizeof(a->label)))
		return 0;
	f->a = *a;
	f->found = true;
	return 1;
}

static bool v4_addr(struct net *n, uint32_t ifindex, const char *label,
		    struct net_addr *out)
{
	struct v4_find f = { .ifindex = ifindex, .label = label };

	net_addr_walk(n, AF_INET, v4_match, &f);
	*out = f.a;
	return f.found;
}

static uint32_t plen_mask(unsigned int plen)
{
	return plen ? htonl(~0U << (32 - plen)) : 0;
}

/* As Linux's bad_mask(): a mask must be contiguous and @addr lie in it. */
static bool bad_mask(uint32_t mask, uint32_t addr)
{
	uint32_t host = ntohl(~mask);

	return (addr & ~mask) || (host & (host + 1));
}

static unsigned int mask_plen(uint32_t mask)
{
	return (unsigned int)__builtin_popcount(mask);
}

/* ifr_name without an alias suffix ("eth0:1" names eth0, as dev_ioctl()). */
static bool base_name(const struct ifq *q, char *name)
{
	char *colon;

	memcpy(name, q->ifr.ifr_name, IFNAMSIZ);
	colon = strchr(name, ':');
	if (colon)
		*colon = '\0';
	return colon != NULL;
}

static int read_ifr(struct ifq *q)
{
	if (trc_mem_read(q->c, q->arg, &q->ifr, sizeof(q->ifr)))
		return -EFAULT;
	q->ifr.ifr_name[IFNAMSIZ - 1] = '\0';	/* as get_user_ifreq() */
	return 0;
}

static int find_dev(struct ifq *q)
{
	char name[IFNAMSIZ];

	base_name(q, name);
	return net_link_lookup(q->n, name, &q->l);	/* altnames too */
}

static struct sockaddr_in *ifr_sin(struct ifq *q)
{
	return (struct sockaddr_in *)(void *)&q->ifr.ifr_addr;
}

/* Device requests: dev_ioctl() and dev_ifsioc(), any socket family. */

static int g_name(struct ifq *q)
{
	int ret = net_link_get(q->n, (uint32_t)q->ifr.ifr_ifindex, &q->l);

	if (!ret)
		memcpy(q->ifr.ifr_name, q->l.name, strlen(q->l.name) + 1);
	return ret;
}

static int g_flags(struct ifq *q)
{
	q->ifr.ifr_flags = (short)q->l.flags;	/* IFF_LOWER_UP is cut */
	return 0;
}

static int s_flags(struct ifq *q)
{
	struct net_link_change ch = { .up = !!(q->ifr.ifr_flags & IFF_UP) };
	char name[IFNAMSIZ];
	struct net_addr a;

	/* devinet_ioctl(): an alias label is its address; down removes it */
	if (base_name(q, name) && q->family == AF_INET) {
		if (!v4_addr(q->n, q->l.ifindex, q->ifr.ifr_name, &a))
			return -EADDRNOTAVAIL;
		return ch.up ? 0 : net_addr_del(q->n, &a, NULL, 0);
	}
	/* dev_change_flags(): the flags an owner may set (IFF_PROMISC,
	 * IFF_NOARP, ...) are taken too, the others (IFF_LOOPBACK,
	 * IFF_RUNNING, ...) stay as they are */
	ch.flags = (unsigned short)q->ifr.ifr_flags;
	ch.change = (ch.flags ^ q->l.flags) & NET_LINK_USER_FLAGS;
	if (ch.up == !!(q->l.flags & IFF_UP))
		ch.up = -1;
	if (ch.up < 0 && !ch.change)
		return 0;
	return net_link_set(q->n, q->l.ifindex, &ch, NULL, 0);
}

static int g_zero_metric(struct ifq *q)
{
	q->ifr.ifr_metric = 0;
	return 0;
}

static int g_mtu(struct ifq *q)
{
	q->ifr.ifr_mtu = (int)q->l.mtu;
	return 0;
}

static int s_mtu(struct ifq *q)
{
	struct net_link_change ch = { .up = -1, .mtu = (unsigned int)q->ifr.ifr_mtu };

	if (q->ifr.ifr_mtu <= 0)	/* 0 would mean "unchanged" to net.h */
		return -EINVAL;
	if (ch.mtu == q->l.mtu)
		return 0;
	return net_link_set(q->n, q->l.ifindex, &ch, NULL, 0);
}

static int g_map(struct ifq *q)
{
	memset(&q->ifr.ifr_map, 0, sizeof(q->ifr.ifr_map));
	return 0;
}

static int g_index(struct ifq *q)
{
	q->ifr.ifr_ifindex = (int)q->l.ifindex;
	return 0;
}

static int g_txqlen(struct ifq *q)
{
	q->ifr.ifr_qlen = TXQLEN;
	return 0;
}

static int s_txqlen(struct ifq *q)
{
	if (q->ifr.ifr_qlen < 0)
		return -EINVAL;
	return q->ifr.ifr_qlen == TXQLEN ? 0 : -EOPNOTSUPP;
}

static int g_hwaddr(struct ifq *q)
{
	struct sockaddr *sa = &q->ifr.ifr_hwaddr;

	memset(sa, 0, sizeof(*sa));
	sa->sa_family = q->l.type;
	if (q->l.type == ARPHRD_ETHER)
		memcpy(sa->sa_data, q->l.mac, sizeof(q->l.mac));
	return 0;
}

static int s_name(struct ifq *q)
{
	struct net_link_change ch = { .up = -1, .name = q->ifr.ifr_newname };

	q->ifr.ifr_newname[IFNAMSIZ - 1] = '\0';
	if (!q->ifr.ifr_newname[0] || strchr(q->ifr.ifr_newname, '/') ||
	    strchr(q->ifr.ifr_newname, ':'))
		return -EINVAL;
	if (!strcmp(q->ifr.ifr_newname, q->l.name))
		return 0;
	/* up or down: Linux renames a device that is up since 6.2 */
	return net_link_set(q->n, q->l.ifindex, &ch, NULL, 0);
}

/* ETHTOOL_GDRVINFO: ethtool_get_drvinfo() with the device's get_drvinfo()
 * (veth's and dummy's say version "1.0"); no statistics, registers or
 * EEPROM */
static int ethtool_drvinfo(struct ifq *q, uint64_t ua, const char *driver)
{
	struct ethtool_drvinfo d;

	memset(&d, 0, sizeof(d));
	d.cmd = ETHTOOL_GDRVINFO;
	snprintf(d.driver, sizeof(d.driver), "%s", driver);
	snprintf(d.version, sizeof(d.version), "1.0");
	return trc_mem_write(q->c, ua, &d, sizeof(d)) ? -EFAULT : 0;
}

/* ETHTOOL_GSET: ethtool_get_settings(), the link settings in the legacy
 * struct (convert_link_ksettings_to_legacy_settings()) */
static int ethtool_gset(struct ifq *q, uint64_t ua)
{
	struct ethtool_cmd e;

	memset(&e, 0, sizeof(e));
	e.cmd = ETHTOOL_GSET;
	ethtool_cmd_speed_set(&e, NET_LINK_SPEED);
	e.duplex = DUPLEX_FULL;
	e.port = PORT_TP;
	e.autoneg = AUTONEG_DISABLE;
	return trc_mem_write(q->c, ua, &e, sizeof(e)) ? -EFAULT : 0;
}

/* ETHTOOL_GLINKSETTINGS: ethtool_get_link_ksettings(); a caller that asks
 * with another count of mask words is told the right one (negative), its
 * first call's handshake */
static int ethtool_glinksettings(struct ifq *q, uint64_t ua)
{
	/* __ETHTOOL_LINK_MODE_MASK_NU32: 4 on Linux 6.18, fewer in older
	 * headers */
	enum { HDR_NWORDS = (__ETHTOOL_LINK_MODE_MASK_NBITS + 31) / 32,
	       NWORDS = HDR_NWORDS > 4 ? HDR_NWORDS : 4 };
	/* the header and its three masks after it (its flexible array
	 * member), written as one */
	union {
		struct ethtool_link_settings b;
		uint8_t all[sizeof(struct ethtool_link_settings) +
			    3 * NWORDS * sizeof(uint32_t)];
	} k;

	if (trc_mem_read(q->c, ua, &k.b, sizeof(k.b)))
		return -EFAULT;
	if (k.b.link_mode_masks_nwords != NWORDS) {
		memset(&k.b, 0, sizeof(k.b));
		k.b.cmd = ETHTOOL_GLINKSETTINGS;
		k.b.link_mode_masks_nwords = -NWORDS;
		return trc_mem_write(q->c, ua, &k.b, sizeof(k.b)) ? -EFAULT : 0;
	}
	memset(&k, 0, sizeof(k));
	k.b.cmd = ETHTOOL_GLINKSETTINGS;
	k.b.speed = NET_LINK_SPEED;
	k.b.duplex = DUPLEX_FULL;
	k.b.port = PORT_TP;
	k.b.autoneg = AUTONEG_DISABLE;
	k.b.link_mode_masks_nwords = NWORDS;
	return trc_mem_write(q->c, ua, &k, sizeof(k)) ? -EFAULT : 0;
}

/*
 * SIOCETHTOOL: dev_ethtool() (which reads the command from ifr_data
 * before it looks the device up) for the requests anyone may make, with
 * the ethtool operations of each device's Linux counterpart: a link
 * device a veth's (driver information, link state, link settings: 10000
 * Mb/s full duplex), a dummy a dummy's (driver information), lo the
 * loopback's (link state); the host uplink none.  Anything else, and
 * what a device lacks, is EOPNOTSUPP.
 */
static int ethtool(struct ifq *q)
{
	uint64_t ua = (uint64_t)(uintptr_t)q->ifr.ifr_data;
	bool speed, dummy, lo;
	struct ethtool_value v;
	uint32_t cmd;

	if (trc_mem_read(q->c, ua, &cmd, sizeof(cmd)))
		return -EFAULT;
	if (find_dev(q))
		return -ENODEV;
	speed = net_link_has_speed(&q->l);
	dummy = !strcmp(q->l.kind, "dummy");
	lo = q->l.type == ARPHRD_LOOPBACK;
	switch (cmd) {
	case ETHTOOL_GDRVINFO:
		if (!speed && !dummy)
			return -EOPNOTSUPP;
		return ethtool_drvinfo(q, ua, dummy ? "dummy" : "rrsandbox-link");
	case ETHTOOL_GLINK:	/* ethtool_op_get_link(): the carrier */
		if (!speed && !lo)
			return -EOPNOTSUPP;
		v.cmd = ETHTOOL_GLINK;
		v.data = !!(q->l.flags & IFF_LOWER_UP);
		return trc_mem_write(q->c, ua, &v, sizeof(v)) ? -EFAULT : 0;
	case ETHTOOL_GSET:
		return speed ? ethtool_gset(q, ua) : -EOPNOTSUPP;
	case ETHTOOL_GLINKSETTINGS:
		return speed ? ethtool_glinksettings(q, ua) : -EOPNOTSUPP;
	default:
		return -EOPNOTSUPP;
	}
}

static int einval(struct ifq *q)
{
	return -EINVAL;
}

static int eopnotsupp(struct ifq *q)
{
	return -EOPNOTSUPP;
}

static int enopkg(struct ifq *q)
{
	return -ENOPKG;		/* Linux without the 8021q module */
}

/* SIOCGIFCONF: dev_ifconf() with inet_gifconf(); IPv4 addresses only. */
struct conf_walk {
	struct ifq *q;
	uint64_t buf;
	int len, total;
};

static int conf_one(void *arg, const struct net_addr *a)
{
	struct conf_walk *w = arg;
	struct ifreq r;
	struct net_link l;

	if (w->buf && w->len - w->total < (int)sizeof(r))
		return 1;
	if (w->buf) {
		memset(&r, 0, sizeof(r));
		if (a->label[0])	/* inet_gifconf(): the label */
			memcpy(r.ifr_name, a->label, sizeof(r.ifr_name));
		else if (!net_link_get(w->q->n, a->ifindex, &l))
			memcpy(r.ifr_name, l.name, sizeof(r.ifr_name));
		((struct sockaddr_in *)(void *)&r.ifr_addr)->sin_family = AF_INET;
		memcpy(&((struct sockaddr_in *)(void *)&r.ifr_addr)->sin_addr,
		       a->addr, 4);
		if (trc_mem_write(w->q->c, w->buf + (uint64_t)w->total, &r,
				  sizeof(r)))
			return -EFAULT;
	}
	w->total += (int)sizeof(r);
	return 0;
}

static int g_conf(struct ifq *q)
{
	struct conf_walk w = { .q = q };
	struct ifconf ifc;

	if (trc_mem_read(q->c, q->arg, &ifc, sizeof(ifc)))
		return -EFAULT;
	w.buf = (uint64_t)(uintptr_t)ifc.ifc_buf;
	w.len = ifc.ifc_len;
	if (net_addr_walk(q->n, AF_INET, conf_one, &w) < 0)
		return -EFAULT;
	ifc.ifc_len = w.total;
	if (trc_mem_write(q->c, q->arg, &ifc.ifc_len, sizeof(ifc.ifc_len)))
		return -EFAULT;
	return 0;
}

/* IPv4 address requests: devinet_ioctl(), AF_INET sockets only. */

static int g_inaddr(struct ifq *q)
{
	struct sockaddr_in *sin = ifr_sin(q);
	struct net_addr a;
	uint32_t v = 0;

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	if (!v4_addr(q->n, q->l.ifindex, q->ifr.ifr_name, &a))
		return -EADDRNOTAVAIL;
	if (q->req == SIOCGIFNETMASK)
		v = plen_mask(a.plen);
	else if (q->req == SIOCGIFBRDADDR && a.has_broadcast)
		memcpy(&v, a.broadcast, 4);
	else if (q->req == SIOCGIFDSTADDR)	/* ifa_address: the peer's */
		memcpy(&v, a.has_peer ? a.peer : a.addr, 4);
	else if (q->req != SIOCGIFBRDADDR)
		memcpy(&v, a.addr, 4);
	sin->sin_addr.s_addr = v;
	return 0;
}

/* Checks shared by the IPv4 setters, in devinet_ioctl()'s order. */
static int inet_set_prep(struct ifq *q, struct net_addr *a, bool need_addr)
{
	int ret;

	if (ifr_sin(q)->sin_family != AF_INET)
		return -EINVAL;
	if ((ret = find_dev(q)))
		return ret;
	if (!v4_addr(q->n, q->l.ifindex, q->ifr.ifr_name, a)) {
		memset(a, 0, sizeof(*a));
		return need_addr ? -EADDRNOTAVAIL : 0;
	}
	return 0;
}

/* @old again as @a (another mask or peer): inet_del_ifa() then
 * inet_insert_ifa(), as devinet_ioctl(); @old comes back if @a cannot */
static int readd(struct ifq *q, const struct net_addr *old, const struct net_addr *a)
{
	int ret;

	if ((ret = net_addr_del(q->n, old, NULL, 0)))
		return ret;
	ret = net_addr_add(q->n, a, NLM_F_CREATE | NLM_F_EXCL, NULL, 0);
	if (ret)
		net_addr_add(q->n, old, NLM_F_CREATE | NLM_F_EXCL, NULL, 0);
	return ret;
}

/* SIOCSIFADDR: the address replaces the device's, with its class's prefix
 * length (inet_abc_len()); 0.0.0.0 removes it. */
static int s_inaddr(struct ifq *q)
{
	uint32_t v = ifr_sin(q)->sin_addr.s_addr, h = ntohl(v);
	struct net_addr old, a = { .family = AF_INET };
	int ret;

	if ((ret = inet_set_prep(q, &old, false)))
		return ret;
	if (h >= 0xe0000000U)
		return -EINVAL;			/* class D and E */
	a.plen = !h ? 0 : h < 0x80000000U ? 8 : h < 0xc0000000U ? 16 : 24;
	if (old.family && !memcmp(old.addr, &v, 4))
		return 0;
	if (old.family && (ret = net_addr_del(q->n, &old, NULL, 0)))
		return ret;
	if (!v)
		return 0;
	a.ifindex = q->l.ifindex;
	memcpy(a.addr, &v, 4);
	memcpy(a.label, q->ifr.ifr_name, sizeof(a.label));
	return net_addr_add(q->n, &a, NLM_F_CREATE | NLM_F_EXCL, NULL, 0);
}

static int s_netmask(struct ifq *q)
{
	uint32_t mask = ifr_sin(q)->sin_addr.s_addr;
	struct net_addr old, a;
	int ret;

	if ((ret = inet_set_prep(q, &old, true)))
		return ret;
	if (bad_mask(mask, 0))
		return -EINVAL;
	if (mask_plen(mask) == old.plen)
		return 0;
	a = old;
	a.plen = (uint8_t)mask_plen(mask);
	return readd(q, &old, &a);
}

/* SIOCSIFDSTADDR sets the peer (ifa_address); a broadcast address cannot
 * be set through net.h: only the one the address has is accepted. */
static int s_brd_dst(struct ifq *q)
{
	uint32_t v = ifr_sin(q)->sin_addr.s_addr, cur = 0;
	struct net_addr old, a;
	int ret;

	if ((ret = inet_set_prep(q, &old, true)))
		return ret;
	if (q->req == SIOCSIFDSTADDR) {
		memcpy(&cur, old.has_peer ? old.peer : old.addr, 4);
		if (v == cur)
			return 0;
		a = old;
		memcpy(a.peer, &v, 4);
		a.has_peer = true;	/* none when it is the address itself */
		return readd(q, &old, &a);
	}
	if (old.has_broadcast)
		memcpy(&cur, old.broadcast, 4);
	return v == cur ? 0 : -EOPNOTSUPP;
}

/* IPv6 addresses by ioctl (addrconf_add_ifaddr(), addrconf_del_ifaddr()),
 * AF_INET6 sockets only. */
static int in6_addr_ioctl(struct ifq *q)
{
	struct in6_ifreq {
		struct in6_addr addr;
		uint32_t plen;
		int ifindex;
	} r;
	struct net_addr a = { .family = AF_INET6 };

	if (trc_mem_read(q->c, q->arg, &r, sizeof(r)))
		return -EFAULT;
	if (net_link_get(q->n, (uint32_t)r.ifindex, &q->l))
		return -ENODEV;
	if (r.plen > 128)
		return -EINVAL;
	a.ifindex = q->l.ifindex;
	a.plen = (uint8_t)r.plen;
	memcpy(a.addr, &r.addr, 16);
	if (q->req == SIOCDIFADDR)
		return net_addr_del(q->n, &a, NULL, 0);
	return net_addr_add(q->n, &a, NLM_F_CREATE | NLM_F_EXCL, NULL, 0);
}

static int s_addr(struct ifq *q)
{
	int ret;

	if (q->family == AF_INET6)
		return in6_addr_ioctl(q);
	if ((ret = read_ifr(q)))
		return ret;
	return q->req == SIOCSIFADDR ? s_inaddr(q) : s_brd_dst(q);
}

/* SIOCADDRT, SIOCDELRT with a struct rtentry: rtentry_to_fib_config(). */
static int rtentry_route(struct ifq *q, const struct rtentry *e,
			 struct rt_route *r, unsigned int *match)
{
	const struct sockaddr_in *gw = (const void *)&e->rt_gateway;
	const struct sockaddr_in *gm = (const void *)&e->rt_genmask;
	uint32_t dst = ((const struct sockaddr_in *)(const void *)&e->rt_dst)->sin_addr.s_addr;
	char dev[IFNAMSIZ] = "", *colon;

	if (e->rt_dst.sa_family != AF_INET)
		return -EAFNOSUPPORT;
	r->dst_len = 32;
	if (!(e->rt_flags & RTF_HOST)) {
		if (gm->sin_family != AF_INET && (gm->sin_family || gm->sin_addr.s_addr))
			return -EAFNOSUPPORT;
		if (bad_mask(gm->sin_addr.s_addr, dst))
			return -EINVAL;
		r->dst_len = (uint8_t)mask_plen(gm->sin_addr.s_addr);
	}
	memcpy(r->dst, &dst, 4);
	r->family = AF_INET;
	r->table = RT_TABLE_MAIN_ID;
	r->protocol = RTPROT_BOOT;
	r->priority = e->rt_metric ? (uint32_t)(uint16_t)e->rt_metric - 1 : 0;
	*match = RT_MATCH_TYPE | (e->rt_metric ? RT_MATCH_PRIORITY : 0);
	if (e->rt_flags & RTF_REJECT) {
		r->type = RTN_UNREACHABLE;
		r->scope = RT_SCOPE_HOST;
		return 0;
	}
	r->type = RTN_UNICAST;
	r->scope = RT_SCOPE_LINK;
	if (e->rt_dev) {
		if (trc_mem_read(q->c, (uint64_t)(uintptr_t)e->rt_dev, dev,
				 IFNAMSIZ - 1))
			return -EFAULT;
		if ((colon = strchr(dev, ':')))
			*colon = '\0';
		if (net_link_lookup(q->n, dev, &q->l))
			return -ENODEV;
		r->nh[0].ifindex = q->l.ifindex;
		*match |= RT_MATCH_OIF;
	}
	if (gw->sin_family == AF_INET && gw->sin_addr.s_addr) {
		memcpy(r->nh[0].gw, &gw->sin_addr, 4);
		r->nh[0].has_gw = true;
		*match |= RT_MATCH_GW;
		if (e->rt_flags & RTF_GATEWAY)
			r->scope = RT_SCOPE_UNIVERSE;
	} else if (e->rt_flags & RTF_GATEWAY && q->req == SIOCADDRT) {
		return -EINVAL;
	}
	r->n_nh = r->nh[0].ifindex || r->nh[0].has_gw;
	r->nh[0].weight = 1;
	if (e->rt_flags & RTF_MTU)
		r->mtu = (uint32_t)e->rt_mtu;
	return 0;
}

static int route_ioctl(struct ifq *q)
{
	struct rt_route r;
	struct rtentry e;
	unsigned int match;
	int ret;

	if (q->family == AF_INET6) {
		struct in6_rtmsg m;

		if (trc_mem_read(q->c, q->arg, &m, sizeof(m)))
			return -EFAULT;
		return -EOPNOTSUPP;	/* IPv6 routes: rtnetlink only */
	}
	if (trc_mem_read(q->c, q->arg, &e, sizeof(e)))
		return -EFAULT;
	memset(&r, 0, sizeof(r));
	if ((ret = rtentry_route(q, &e, &r, &match)))
		return ret;
	if (q->req == SIOCDELRT)
		return net_route_del(q->n, &r, match, NULL, 0);
	return net_route_add(q->n, &r, RT_ADD_CREATE, NULL, 0);
}

/* arp_req_set()/arp_req_delete() without a device: the device of the
 * on-link route to @ip (ip_route_output() with RT_SCOPE_LINK) */
static int arp_dev(struct ifq *q, const uint8_t *ip)
{
	struct rt_result res;
	uint8_t src[16];
	const struct rt_nexthop *nh;

	if (net_route_get(q->n, AF_INET, ip, 0, &res, src) ||
	    res.route.type != RTN_UNICAST || !res.route.n_nh)
		return -ENETUNREACH;
	nh = &res.route.nh[res.nh];
	if (nh->has_gw)
		return -ENETUNREACH;
	return net_link_get(q->n, nh->ifindex, &q->l) ? -EINVAL : 0;
}

/* SIOCSARP: arp_req_set(): permanent with ATF_PERM, else stale; the
 * address from arp_ha when ATF_COM (ATF_PERM implies it) */
static int arp_set(struct ifq *q, struct arpreq *r, const uint8_t *ip)
{
	struct net_neigh nb = { .ifindex = q->l.ifindex, .family = AF_INET };

	if (r->arp_flags & ATF_PERM)
		r->arp_flags |= ATF_COM;
	nb.state = (r->arp_flags & ATF_PERM) ? NUD_PERMANENT : NUD_STALE;
	memcpy(nb.addr, ip, 4);
	if (r->arp_flags & ATF_COM) {
		memcpy(nb.lladdr, r->arp_ha.sa_data, 6);
		nb.has_lladdr = true;
	}
	return net_neigh_set(q->n, &nb, NLM_F_CREATE | NLM_F_REPLACE, NULL, 0);
}

/* SIOCGARP: arp_req_get(): ENXIO for none (or a NOARP entry) */
static int arp_get(struct ifq *q, struct arpreq *r, const uint8_t *ip)
{
	struct net_neigh nb;

	if (net_neigh_get(q->n, AF_INET, q->l.ifindex, ip, &nb) ||
	    nb.state == NUD_NOARP)
		return -ENXIO;
	memcpy(r->arp_ha.sa_data, nb.lladdr, 6);
	r->arp_flags = nb.state == NUD_PERMANENT ? ATF_PERM | ATF_COM :
		       nb.has_lladdr ? ATF_COM : 0;
	r->arp_ha.sa_family = q->l.type;
	snprintf(r->arp_dev, sizeof(r->arp_dev), "%s", q->l.name);
	if (trc_mem_write(q->c, q->arg, r, sizeof(*r)))
		return -EFAULT;
	return 0;
}

/*
 * The ARP requests (arp_ioctl(), `arp -s|-d`): entries of the neighbour
 * table (neigh.c), by device or by the on-link route to the address.
 * Proxy entries (ATF_PUBL) cannot be set (EOPNOTSUPP, as `ip neigh add
 * proxy`) and none is found to delete (ENOENT).
 */
static int arp_ioctl(struct ifq *q)
{
	struct arpreq r;
	uint8_t ip[4];
	int ret;

	if (trc_mem_read(q->c, q->arg, &r, sizeof(r)))
		return -EFAULT;
	if (r.arp_pa.sa_family != AF_INET)
		return -EPFNOSUPPORT;
	if (!(r.arp_flags & ATF_PUBL) && (r.arp_flags & (ATF_NETMASK | ATF_DONTPUB)))
		return -EINVAL;
	memcpy(ip, &((const struct sockaddr_in *)(const void *)&r.arp_pa)->sin_addr, 4);
	r.arp_dev[IFNAMSIZ - 1] = '\0';
	if (r.arp_dev[0]) {
		if (net_link_lookup(q->n, r.arp_dev, &q->l))
			return -ENODEV;
		if (!r.arp_ha.sa_family)
			r.arp_ha.sa_family = q->l.type;
		if ((r.arp_flags & ATF_COM) && r.arp_ha.sa_family != q->l.type)
			return -EINVAL;
	} else if (q->req == SIOCGARP) {
		return -ENODEV;
	}
	if (q->req == SIOCGARP)
		return arp_get(q, &r, ip);
	if (r.arp_flags & ATF_PUBL)	/* pneigh_delete(): there are none */
		return q->req == SIOCDARP ? -ENOENT : -EOPNOTSUPP;
	if (!r.arp_dev[0] && (ret = arp_dev(q, ip)))
		return ret;
	if (q->req == SIOCDARP) {
		ret = net_neigh_del(q->n, AF_INET, q->l.ifindex, ip, NULL, 0);
		return ret == -ENOENT ? -ENXIO : ret;
	}
	if (r.arp_ha.sa_family != q->l.type)
		return -EINVAL;
	return arp_set(q, &r, ip);
}

#define DEV_GET		(Q_IN | Q_DEV | Q_OUT)
#define DEV_SET		(Q_IN | Q_DEV)
#define INET_ONLY	(Q_IN | Q_INET)
#define EITHER_INET	(Q_INET | Q_INET6)

/* By the request's low byte; SIOCDEVPRIVATE..+15 are handled apart. */
static const struct ifq_desc table[256] = {
	[SIOCADDRT & 0xff]	= { "SIOCADDRT", route_ioctl, EITHER_INET },
	[SIOCDELRT & 0xff]	= { "SIOCDELRT", route_ioctl, EITHER_INET },
	[SIOCRTMSG & 0xff]	= { "SIOCRTMSG", einval, Q_INET },
	[SIOCGIFNAME & 0xff]	= { "SIOCGIFNAME", g_name, Q_IN | Q_OUT },
	[SIOCGIFCONF & 0xff]	= { "SIOCGIFCONF", g_conf, 0 },
	[SIOCGIFFLAGS & 0xff]	= { "SIOCGIFFLAGS", g_flags, DEV_GET },
	[SIOCSIFFLAGS & 0xff]	= { "SIOCSIFFLAGS", s_flags, DEV_SET },
	[SIOCGIFADDR & 0xff]	= { "SIOCGIFADDR", g_inaddr, DEV_GET | Q_INET },
	[SIOCSIFADDR & 0xff]	= { "SIOCSIFADDR", s_addr, EITHER_INET },
	[SIOCGIFDSTADDR & 0xff]	= { "SIOCGIFDSTADDR", g_inaddr, DEV_GET | Q_INET },
	[SIOCSIFDSTADDR & 0xff]	= { "SIOCSIFDSTADDR", s_addr, Q_INET },
	[SIOCGIFBRDADDR & 0xff]	= { "SIOCGIFBRDADDR", g_inaddr, DEV_GET | Q_INET },
	[SIOCSIFBRDADDR & 0xff]	= { "SIOCSIFBRDADDR", s_addr, Q_INET },
	[SIOCGIFNETMASK & 0xff]	= { "SIOCGIFNETMASK", g_inaddr, DEV_GET | Q_INET },
	[SIOCSIFNETMASK & 0xff]	= { "SIOCSIFNETMASK", s_netmask, INET_ONLY },
	[SIOCGIFMETRIC & 0xff]	= { "SIOCGIFMETRIC", g_zero_metric, DEV_GET },
	[SIOCSIFMETRIC & 0xff]	= { "SIOCSIFMETRIC", eopnotsupp, DEV_SET },
	[SIOCGIFMTU & 0xff]	= { "SIOCGIFMTU", g_mtu, DEV_GET },
	[SIOCSIFMTU & 0xff]	= { "SIOCSIFMTU", s_mtu, DEV_SET },
	[SIOCSIFNAME & 0xff]	= { "SIOCSIFNAME", s_name, DEV_SET },
	[SIOCSIFHWADDR & 0xff]	= { "SIOCSIFHWADDR", eopnotsupp, DEV_SET },
	[SIOCGIFHWADDR & 0xff]	= { "SIOCGIFHWADDR", g_hwaddr, DEV_GET },
	[SIOCGIFSLAVE & 0xff]	= { "SIOCGIFSLAVE", einval, DEV_SET },
	[SIOCSIFSLAVE & 0xff]	= { "SIOCSIFSLAVE", eopnotsupp, DEV_SET },
	[SIOCADDMULTI & 0xff]	= { "SIOCADDMULTI", eopnotsupp, DEV_SET },
	[SIOCDELMULTI & 0xff]	= { "SIOCDELMULTI", eopnotsupp, DEV_SET },
	[SIOCGIFINDEX & 0xff]	= { "SIOCGIFINDEX", g_index, DEV_GET },
	[SIOCSIFPFLAGS & 0xff]	= { "SIOCSIFPFLAGS", einval, INET_ONLY },
	[SIOCGIFPFLAGS & 0xff]	= { "SIOCGIFPFLAGS", einval, INET_ONLY },
	[SIOCDIFADDR & 0xff]	= { "SIOCDIFADDR", in6_addr_ioctl, Q_INET6 },
	[SIOCSIFHWBROADCAST & 0xff] = { "SIOCSIFHWBROADCAST", eopnotsupp, DEV_SET },
	[SIOCGIFBR & 0xff]	= { "SIOCGIFBR", eopnotsupp, 0 },
	[SIOCSIFBR & 0xff]	= { "SIOCSIFBR", eopnotsupp, 0 },
	[SIOCGIFTXQLEN & 0xff]	= { "SIOCGIFTXQLEN", g_txqlen, DEV_GET },
	[SIOCSIFTXQLEN & 0xff]	= { "SIOCSIFTXQLEN", s_txqlen, DEV_SET },
	[SIOCETHTOOL & 0xff]	= { "SIOCETHTOOL", ethtool, Q_IN },
	[SIOCGMIIPHY & 0xff]	= { "SIOCGMIIPHY", eopnotsupp, DEV_SET },
	[SIOCGMIIREG & 0xff]	= { "SIOCGMIIREG", eopnotsupp, DEV_SET },
	[SIOCSMIIREG & 0xff]	= { "SIOCSMIIREG", eopnotsupp, DEV_SET },
	[SIOCWANDEV & 0xff]	= { "SIOCWANDEV", eopnotsupp, DEV_SET },
	[SIOCDARP & 0xff]	= { "SIOCDARP", arp_ioctl, Q_INET },
	[SIOCGARP & 0xff]	= { "SIOCGARP", arp_ioctl, Q_INET },
	[SIOCSARP & 0xff]	= { "SIOCSARP", arp_ioctl, Q_INET },
	[SIOCGIFMAP & 0xff]	= { "SIOCGIFMAP", g_map, DEV_GET },
	[SIOCSIFMAP & 0xff]	= { "SIOCSIFMAP", eopnotsupp, DEV_SET },
	[SIOCGIFVLAN & 0xff]	= { "SIOCGIFVLAN", enopkg, 0 },
	[SIOCSIFVLAN & 0xff]	= { "SIOCSIFVLAN", enopkg, 0 },
	[SIOCBONDENSLAVE & 0xff] = { "SIOCBONDENSLAVE", eopnotsupp, DEV_SET },
	[SIOCBONDRELEASE & 0xff] = { "SIOCBONDRELEASE", eopnotsupp, DEV_SET },
	[SIOCBONDSETHWADDR & 0xff] = { "SIOCBONDSETHWADDR", eopnotsupp, DEV_SET },
	[SIOCBONDSLAVEINFOQUERY & 0xff] = { "SIOCBONDSLAVEINFOQUERY", eopnotsupp, DEV_SET },
	[SIOCBONDINFOQUERY & 0xff] = { "SIOCBONDINFOQUERY", eopnotsupp, DEV_SET },
	[SIOCBONDCHANGEACTIVE & 0xff] = { "SIOCBONDCHANGEACTIVE", eopnotsupp, DEV_SET },
	[SIOCBRADDBR & 0xff]	= { "SIOCBRADDBR", eopnotsupp, 0 },
	[SIOCBRDELBR & 0xff]	= { "SIOCBRDELBR", eopnotsupp, 0 },
	[SIOCBRADDIF & 0xff]	= { "SIOCBRADDIF", eopnotsupp, DEV_SET },
	[SIOCBRDELIF & 0xff]	= { "SIOCBRDELIF", eopnotsupp, DEV_SET },
	[SIOCSHWTSTAMP & 0xff]	= { "SIOCSHWTSTAMP", eopnotsupp, DEV_SET },
	[SIOCGHWTSTAMP & 0xff]	= { "SIOCGHWTSTAMP", eopnotsupp, DEV_SET },
};

static const struct ifq_desc devprivate = {
	"SIOCDEVPRIVATE", eopnotsupp, DEV_SET
};

/**
 * ns__ifioctl_match() - whether an ioctl request is an interface request
 * @req:	the request (the kernel reads 32 bits of it)
 *
 * The 0x89xx requests that are not about interfaces or routes (socket
 * owner, SIOCATMARK, timestamps, SIOCOUTQNSD, SIOCGSKNS, protocol-private
 * ones such as SIOCUNIXFILE) are not: they keep their own handling.
 *
 * Return: true for a request ns__ifioctl() answers
 */
bool ns__ifioctl_match(uint64_t req)
{
	uint32_t r = (uint32_t)req;

	if ((r & 0xffffff00U) != 0x8900)
		return false;
	if (r <= SIOCGSTAMPNS_OLD || r == SIOCOUTQNSD || r == SIOCGSKNS)
		return false;
	return r < SIOCPROTOPRIVATE || r >= SIOCDEVPRIVATE;
}

/**
 * ns__ifioctl() - answer an interface ioctl from the sandbox's devices
 * @ns:		the stack
 * @c:		the ioctl call (ns__ifioctl_match() is true for its request)
 * @family:	the socket's family; AF_UNIX for a native socket
 *
 * Return: 0 or a negative errno as Linux gives (ENOTTY for requests the
 * socket's family does not take, ENODEV, EFAULT, EINVAL, EOPNOTSUPP, ...)
 */
int64_t ns__ifioctl(struct ns *ns, struct trc_call *c, int family)
{
	struct ifq q = {
		.n = ns_net(ns), .c = c, .req = (uint32_t)trc_call_arg(c, 1),
		.arg = trc_call_arg(c, 2), .family = family,
	};
	const struct ifq_desc *d = &table[q.req & 0xff];
	int ret;

	if (q.req >= SIOCDEVPRIVATE)
		d = &devprivate;
	snprintf(ns->what, sizeof(ns->what), ", %s", d->fn ? d->name : "SIOC?");
	if (!d->fn)
		return -ENOTTY;
	if ((d->flags & (Q_INET | Q_INET6)) &&
	    !((d->flags & Q_INET) && family == AF_INET) &&
	    !((d->flags & Q_INET6) && family == AF_INET6))
		return -ENOTTY;
	if ((d->flags & Q_IN) && (ret = read_ifr(&q)))
		return ret;
	if (d->flags & Q_IN)
		snprintf(ns->what, sizeof(ns->what), ", %s %.16s", d->name,
			 q.ifr.ifr_name);
	if ((d->flags & Q_DEV) && (ret = find_dev(&q)))
		return ret;
	if ((ret = d->fn(&q)))
		return ret;
	if ((d->flags & Q_OUT) &&
	    trc_mem_write(c, q.arg, &q.ifr, sizeof(q.ifr)))
		return -EFAULT;
	return 0;
}
