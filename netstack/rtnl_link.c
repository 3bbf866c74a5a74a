/* SPDX-License-Identifier: MIT */
/*
 * rtnl_link.c - rtnetlink links: RTM_GETLINK (dump and single get),
 * RTM_NEWLINK/RTM_SETLINK (up/down, MTU, rename, the flags a device's
 * owner may set, alias, group), RTM_DELLINK, and the ifinfomsg that
 * dumps, replies and notifications carry.
 *
 * Called through rtnl.c's handler table; answers from net.h's links.
 * Follows net/core/rtnetlink.c (rtnl_fill_ifinfo(), rtnl_getlink(),
 * __rtnl_newlink(), rtnl_dellink(), rtnl_valid_dump_ifinfo_req()): the
 * attributes `ip -d link` shows for lo and a veth on Linux 6.x, in the
 * kernel's order.  RTM_NEWLINK with NLM_F_CREATE makes devices of kind
 * "dummy" (`ip link add NAME type dummy`, net_dummy_add()); any other kind
 * says "Unknown device type" (link and host devices are rrctl's).
 * RTM_DELLINK deletes a device through net_link_del(); lo refuses
 * with -EOPNOTSUPP as Linux's does (it has no rtnl_link_ops).
 * RTM_NEWLINKPROP and RTM_DELLINKPROP give a device alternative names and
 * take them (rtnl_linkprop()), which IFLA_PROP_LIST shows and by which
 * every request here finds a device as by its name (rtnl_dev_get()).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/ip.h>
#include <linux/net_namespace.h>

#include "rtnl_priv.h"

#define TXQLEN		1000
#define IF_READY	0x80000000u	/* net/if_inet6.h, not in uapi */

static const uint8_t bcast_ether[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t zero6[6], zero16[16];

/* IF_OPER_*: DOWN for any device that is down (rtnl_fill_ifinfo() says
 * so of one not running); lo is UNKNOWN (no operstate driver), a dummy
 * too while up; others follow carrier */
static uint8_t operstate(const struct net_link *l)
{
	if (!(l->flags & IFF_UP))
		return IF_OPER_DOWN;
	if (l->type == ARPHRD_LOOPBACK)
		return IF_OPER_UNKNOWN;
	if (!strcmp(l->kind, "dummy") && (l->flags & IFF_UP))
		return IF_OPER_UNKNOWN;
	if ((l->flags & IFF_UP) && (l->flags & IFF_LOWER_UP))
		return IF_OPER_UP;
	return IF_OPER_DOWN;
}

/* IFLA_LINKINFO as rtnl_link_fill() gives it for a device made by a
 * kind (`ip -d link` prints it): a dummy's, which has no data of its own.
 * lo and the devices rrctl makes have no rtnl_link_ops here. */
static int put_linkinfo(struct rtnl_buf *b, const struct net_link *l)
{
	struct nlattr *li;

	if (strcmp(l->kind, "dummy"))
		return 0;
	if (!(li = rtnl__nest_start(b, IFLA_LINKINFO)) ||
	    rtnl__put_str(b, IFLA_INFO_KIND, l->kind))
		return -EMSGSIZE;
	rtnl__nest_end(b, li);
	return 0;
}

/**
 * rtnl__link_stats64() - a device's counters as IFLA_STATS64 and
 *			  RTM_GETSTATS' IFLA_STATS_LINK_64 carry them
 * @l:		the device
 * @s:		filled in: its packets and bytes each way and the frames
 *		it could not send (tx_dropped), 0 for what is not counted
 */
void rtnl__link_stats64(const struct net_link *l, struct rtnl_link_stats64 *s)
{
	memset(s, 0, sizeof(*s));
	s->rx_packets = l->cnt.rx_packets;
	s->tx_packets = l->cnt.tx_packets;
	s->rx_bytes = l->cnt.rx_bytes;
	s->tx_bytes = l->cnt.tx_bytes;
	s->tx_dropped = l->cnt.drops;
}

static int put_stats(struct rtnl_buf *b, const struct net_link *l)
{
	struct rtnl_link_stats64 s64;
	struct rtnl_link_stats s32;

	rtnl__link_stats64(l, &s64);
	memset(&s32, 0, sizeof(s32));
	s32.rx_packets = (uint32_t)s64.rx_packets;
	s32.tx_packets = (uint32_t)s64.tx_packets;
	s32.rx_bytes = (uint32_t)s64.rx_bytes;
	s32.tx_bytes = (uint32_t)s64.tx_bytes;
	s32.tx_dropped = (uint32_t)s64.tx_dropped;
	if (rtnl__put(b, IFLA_STATS64, &s64, sizeof(s64)))
		return -EMSGSIZE;
	return rtnl__put(b, IFLA_STATS, &s32, sizeof(s32));
}

/* IFLA_ADDRESS and IFLA_BROADCAST; none for a device without a link
 * layer address (the host uplink), as Linux for a tun device */
static int put_hwaddr(struct rtnl_buf *b, const struct net_link *l)
{
	bool lo = l->type == ARPHRD_LOOPBACK;

	if (l->type == ARPHRD_NONE)
		return 0;
	if (rtnl__put(b, IFLA_ADDRESS, lo ? zero6 : l->mac, 6) ||
	    rtnl__put(b, IFLA_BROADCAST, lo ? zero6 : bcast_ether, 6))
		return -EMSGSIZE;
	return 0;
}

/* The u32 attributes of rtnl_fill_ifinfo() after IFLA_LINKMODE, in order */
static int put_u32s(struct rtnl_buf *b, const struct net_link *l)
{
	bool lo = l->type == ARPHRD_LOOPBACK;
	const struct {
		uint16_t type;
		uint32_t v;
	} a[] = {
		{ IFLA_MTU,		l->mtu },
		{ IFLA_MIN_MTU,		lo ? 0 : ETH_MIN_MTU },
		{ IFLA_MAX_MTU,		lo ? 0 : ETH_MAX_MTU },
		{ IFLA_GROUP,		l->group },
		{ IFLA_PROMISCUITY,	l->promiscuity },
		{ IFLA_ALLMULTI,	l->allmulti },
		{ IFLA_NUM_TX_QUEUES,	1 },
		{ IFLA_GSO_MAX_SEGS,	65535 },
		{ IFLA_GSO_MAX_SIZE,	65536 },
		{ IFLA_GRO_MAX_SIZE,	65536 },
		{ IFLA_TSO_MAX_SIZE,	lo ? 524280 : 65536 },
		{ IFLA_TSO_MAX_SEGS,	65535 },
		{ IFLA_NUM_RX_QUEUES,	1 },
	};
	size_t i;

	for (i = 0; i < sizeof(a) / sizeof(a[0]); i++)
		if (rtnl__put_u32(b, a[i].type, a[i].v))
			return -EMSGSIZE;
	return 0;
}

/*
 * put_af_spec() - IFLA_AF_SPEC as inet6_fill_link_af() begins it: the
 * IPv6 address generation mode (`ip -d link`: addrgenmode), EUI-64, or
 * random for a device without a link layer address (addrconf_dev_config()
 * for ARPHRD_NONE).  IPv4's devconf and IPv6's other attributes are left
 * out: `ip` shows none of them.
 */
static int put_af_spec(struct rtnl_buf *b, const struct net_link *l)
{
	struct nlattr *spec, *in6;

	spec = rtnl__nest_start(b, IFLA_AF_SPEC);
	if (!spec)
		return -EMSGSIZE;
	in6 = rtnl__nest_start(b, AF_INET6);
	if (!in6 || rtnl__put_u8(b, IFLA_INET6_ADDR_GEN_MODE,
				 l->type == ARPHRD_NONE ? IN6_ADDR_GEN_MODE_RANDOM :
							  IN6_ADDR_GEN_MODE_EUI64))
		return -EMSGSIZE;
	rtnl__nest_end(b, in6);
	rtnl__nest_end(b, spec);
	return 0;
}

/* IFLA_PROP_LIST as rtnl_fill_prop_list() gives it: the altnames in the
 * order they were added, no nest at all for a device without any */
static int put_prop_list(struct rtnl_buf *b, const struct net_link *l)
{
	const char *p = NULL;
	struct nlattr *list;

	if (!l->altnames_len)
		return 0;
	if (!(list = rtnl__nest_start(b, IFLA_PROP_LIST | NLA_F_NESTED)))
		return -EMSGSIZE;
	while ((p = net_altname_next(l->altnames, l->altnames_len, p)))
		if (rtnl__put_str(b, IFLA_ALT_IFNAME, p))
			return -EMSGSIZE;
	rtnl__nest_end(b, list);
	return 0;
}

/* How many altnames @l has */
static unsigned int altname_count(const struct net_link *l)
{
	const char *p = NULL;
	unsigned int n = 0;

	while ((p = net_altname_next(l->altnames, l->altnames_len, p)))
		n++;
	return n;
}

/* rtnl_prop_list_size(): what Linux reserves for a device's IFLA_PROP_LIST,
 * each altname counted at its largest */
static size_t prop_list_size(unsigned int count)
{
	return count ? NLA_HDRLEN + count * NLA_ALIGN(NLA_HDRLEN + NET_ALTNAME_MAX) : 0;
}

/**
 * rtnl__link_size() - the room a link's message may take: a datagram of
 * RTNL_NOTIFY_BUF with its altnames beyond
 * @l:		the link
 *
 * Return: bytes
 */
size_t rtnl__link_size(const struct net_link *l)
{
	return RTNL_NOTIFY_BUF + prop_list_size(altname_count(l));
}

/*
 * link_head() - the ifinfomsg and IFLA_IFNAME every link message starts with
 * Return: the message header, or NULL when @b is full (nothing added)
 */
static struct nlmsghdr *link_head(struct rtnl_buf *b, const struct net_link *l,
				  uint16_t type, uint16_t flags, uint32_t seq,
				  uint32_t pid, uint8_t family)
{
	size_t mark = b->len;
	struct ifinfomsg *ifi;
	struct nlmsghdr *h;
	char name[IFNAMSIZ];

	h = rtnl__msg_put(b, type, flags, seq, pid, sizeof(*ifi));
	if (!h)
		return NULL;
	ifi = NLMSG_DATA(h);
	ifi->ifi_family = family;
	ifi->ifi_type = l->type;
	ifi->ifi_index = (int)l->ifindex;
	ifi->ifi_flags = l->flags;
	memcpy(name, l->name, sizeof(name));
	name[sizeof(name) - 1] = '\0';
	if (rtnl__put_str(b, IFLA_IFNAME, name)) {
		b->len = mark;
		return NULL;
	}
	return h;
}

/**
 * rtnl__fill_link() - one link as rtnl_fill_ifinfo() describes it
 * @b:		the datagram
 * @l:		the link
 * @type:	RTM_NEWLINK or RTM_DELLINK
 * @flags:	nlmsg_flags
 * @seq:	nlmsg_seq
 * @pid:	nlmsg_pid
 *
 * Return: 0, or -EMSGSIZE (nothing added)
 */
int rtnl__fill_link(struct rtnl_buf *b, const struct net_link *l,
		    uint16_t type, uint16_t flags, uint32_t seq, uint32_t pid)
{
	bool carrier = (l->flags & IFF_LOWER_UP) || !(l->flags & IFF_UP);
	size_t mark = b->len;
	struct nlmsghdr *h;

	h = link_head(b, l, type, flags, seq, pid, AF_UNSPEC);
	if (!h)
		return -EMSGSIZE;
	if (rtnl__put_u32(b, IFLA_TXQLEN, TXQLEN) ||
	    rtnl__put_u8(b, IFLA_OPERSTATE, operstate(l)) ||
	    rtnl__put_u8(b, IFLA_LINKMODE, 0) ||
	    put_u32s(b, l) ||
	    rtnl__put_u8(b, IFLA_CARRIER, carrier) ||
	    put_hwaddr(b, l) ||
	    put_stats(b, l) ||
	    rtnl__put_str(b, IFLA_QDISC, "noqueue") ||
	    (l->alias[0] && rtnl__put_str(b, IFLA_IFALIAS, l->alias)) ||
	    rtnl__put_u32(b, IFLA_CARRIER_CHANGES, l->carrier_up + l->carrier_down) ||
	    rtnl__put_u32(b, IFLA_CARRIER_UP_COUNT, l->carrier_up) ||
	    rtnl__put_u32(b, IFLA_CARRIER_DOWN_COUNT, l->carrier_down) ||
	    put_linkinfo(b, l) ||
	    put_af_spec(b, l) ||
	    put_prop_list(b, l)) {
		b->len = mark;
		return -EMSGSIZE;
	}
	rtnl__msg_end(b, h);
	return 0;
}

/* An NLA_STRING of at most @max bytes (a NUL at its end not counted)
 * into @out[@max + 1], nla_strscpy()'d (to its first NUL): 0, or -ERANGE
 * for one too long, or empty when @nonempty */
static int attr_str(const struct nlattr *a, char *out, size_t max,
		    bool nonempty, struct rtnl_ext *ext)
{
	size_t len = RTNL_ATTR_LEN(a);
	const uint8_t *p = RTNL_ATTR_DATA(a);

	if (len && p[len - 1] == '\0')
		len--;
	if ((nonempty && !RTNL_ATTR_LEN(a)) || len > max) {
		ext->bad = a;
		return rtnl__fail(ext, -ERANGE,
				  "Attribute failed policy validation");
	}
	memcpy(out, p, len);
	out[len] = '\0';
	out[strnlen(out, len)] = '\0';
	return 0;
}

int rtnl__attr_name(const struct nlattr *a, char *out, struct rtnl_ext *ext)
{
	return attr_str(a, out, IFNAMSIZ - 1, false, ext);
}

/* IFLA_ALT_IFNAME (NLA_STRING, .len ALTIFNAMSIZ - 1) into @out[128] */
static int attr_altname(const struct nlattr *a, char *out, struct rtnl_ext *ext)
{
	return attr_str(a, out, NET_ALTNAME_MAX - 1, true, ext);
}

/* The device a request names by ifi_index, else IFLA_IFNAME, else
 * IFLA_ALT_IFNAME, each name a device's own or one of its altnames
 * (rtnl_dev_get()): 0, -ENODEV, or 1 when it names none */
static int find_link(struct rtnl *r, const struct ifinfomsg *ifi,
		     const struct rtnl_attrs *tb, struct net_link *l,
		     struct rtnl_ext *ext)
{
	char name[NET_ALTNAME_MAX];
	int ret;

	if (ifi->ifi_index > 0)
		return net_link_get(r->net, (uint32_t)ifi->ifi_index, l) ?
		       -ENODEV : 0;
	if (tb->a[IFLA_IFNAME])
		ret = rtnl__attr_name(tb->a[IFLA_IFNAME], name, ext);
	else if (tb->a[IFLA_ALT_IFNAME])
		ret = attr_altname(tb->a[IFLA_ALT_IFNAME], name, ext);
	else
		return 1;
	if (ret)
		return ret;
	return net_link_lookup(r->net, name, l) ? -ENODEV : 0;
}

/* rtnl_valid_getlink_req() under NETLINK_GET_STRICT_CHK */
static int getlink_strict(const struct ifinfomsg *ifi,
			  const struct rtnl_attrs *tb, struct rtnl_ext *ext)
{
	unsigned int i;

	if (ifi->__ifi_pad || ifi->ifi_type || ifi->ifi_flags ||
	    ifi->ifi_change)
		return rtnl__fail(ext, -EINVAL, "Invalid values in header for get link request");
	for (i = 0; i <= IFLA_MAX && i <= RTNL_ATTR_MAX; i++) {
		if (!tb->a[i] || i == IFLA_IFNAME || i == IFLA_ALT_IFNAME ||
		    i == IFLA_EXT_MASK || i == IFLA_TARGET_NETNSID)
			continue;
		ext->bad = tb->a[i];
		return rtnl__fail(ext, -EINVAL, "Unsupported attribute in get link request");
	}
	return 0;
}

/**
 * rtnl__getlink() - RTM_GETLINK without NLM_F_DUMP: one link by index or
 * name
 * @r:		the socket
 * @h:		the request
 * @ext:	extended ack
 *
 * Return: 0 (reply queued), -EINVAL, -ENODEV, -ERANGE, -ENOMEM
 */
int rtnl__getlink(struct rtnl *r, const struct nlmsghdr *h,
		  struct rtnl_ext *ext)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	struct rtnl_attrs tb;
	struct net_link l;
	struct rtnl_buf b;
	int ret;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
		return rtnl__fail(ext, -EINVAL, "Invalid header for get link");
	ret = rtnl__parse(h, sizeof(*ifi), IFLA_MAX, rtnl__strict(r), &tb, ext);
	if (!ret && rtnl__strict(r))
		ret = getlink_strict(ifi, &tb, ext);
	if (ret)
		return ret;
	ret = find_link(r, ifi, &tb, &l, ext);
	if (ret)
		return ret > 0 ? -EINVAL : ret;
	if (rtnl__buf_init(&b, rtnl__link_size(&l)))
		return -ENOMEM;
	ret = rtnl__fill_link(&b, &l, RTM_NEWLINK, 0, h->nlmsg_seq, r->portid);
	if (ret) {
		free(b.data);
		return ret;
	}
	return rtnl__unicast(r, &b);
}

/* ---- dump ---- */

struct link_walk {
	struct rtnl *r;
	struct rtnl_dump *d;
	struct rtnl_buf *b;
};

/* One link as inet6_fill_ifinfo() describes it, for RTM_GETLINK dumps of
 * family AF_INET6 (`ip -6 addr`, `ip token`): no qdisc, group or stats;
 * IF_READY, no token (::), the address generation mode */
static int fill_link6(struct rtnl_buf *b, const struct net_link *l,
		      uint32_t seq, uint32_t pid)
{
	bool lo = l->type == ARPHRD_LOOPBACK;
	size_t mark = b->len;
	struct nlattr *pi;
	struct nlmsghdr *h;

	h = link_head(b, l, RTM_NEWLINK, NLM_F_MULTI, seq, pid, AF_INET6);
	if (!h)
		return -EMSGSIZE;
	if ((l->type != ARPHRD_NONE &&
	     rtnl__put(b, IFLA_ADDRESS, lo ? zero6 : l->mac, 6)) ||
	    rtnl__put_u32(b, IFLA_MTU, l->mtu) ||
	    /* not Linux's: without it `ip` asks SIOCGIFTXQLEN for "qlen" */
	    rtnl__put_u32(b, IFLA_TXQLEN, TXQLEN) ||
	    rtnl__put_u8(b, IFLA_OPERSTATE, (l->flags & IFF_UP) ?
			 operstate(l) : IF_OPER_DOWN) ||
	    !(pi = rtnl__nest_start(b, IFLA_PROTINFO)) ||
	    rtnl__put_u32(b, IFLA_INET6_FLAGS, IF_READY) ||
	    rtnl__put(b, IFLA_INET6_TOKEN, zero16, 16) ||
	    rtnl__put_u8(b, IFLA_INET6_ADDR_GEN_MODE,
			 l->type == ARPHRD_NONE ? IN6_ADDR_GEN_MODE_RANDOM :
						  IN6_ADDR_GEN_MODE_EUI64)) {
		b->len = mark;
		return -EMSGSIZE;
	}
	rtnl__nest_end(b, pi);
	rtnl__msg_end(b, h);
	return 0;
}

static int link_one(void *arg, const struct net_link *l)
{
	struct link_walk *w = arg;
	int ret;

	if (l->ifindex <= w->d->last_ifindex)
		return 0;
	if (w->d->n_fam)	/* families[0] == AF_INET6 */
		ret = fill_link6(w->b, l, w->d->seq, w->r->portid);
	else
		ret = rtnl__fill_link(w->b, l, RTM_NEWLINK,
				      NLM_F_MULTI | w->d->answer_flags,
				      w->d->seq, w->r->portid);
	if (ret)
		return 1;
	w->d->last_ifindex = l->ifindex;
	return 0;
}

static int link_fill(struct rtnl *r, struct rtnl_dump *d, struct rtnl_buf *b)
{
	struct link_walk w = { r, d, b };
	int ret = net_link_walk(r->net, link_one, &w);

	if (ret < 0)
		return ret;
	return ret ? 0 : 1;
}

static const struct rtnl_dump_ops link_dump = { link_fill };

/* PF_BRIDGE's link dump (rtnl_bridge_getlink(), `bridge link`) lists
 * bridge ports and devices that offload bridging: the sandbox has none */
static int bridge_fill(struct rtnl *r, struct rtnl_dump *d, struct rtnl_buf *b)
{
	(void)r;
	(void)d;
	(void)b;
	return 1;
}

static const struct rtnl_dump_ops bridge_dump = { bridge_fill };

/* rtnl_valid_dump_ifinfo_req() with strict checking */
static int dumplink_strict(const struct nlmsghdr *h, struct rtnl_ext *ext)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	struct rtnl_attrs tb;
	unsigned int i;
	int ret;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
		return rtnl__fail(ext, -EINVAL, "Invalid header for link dump");
	if (ifi->__ifi_pad || ifi->ifi_type || ifi->ifi_flags ||
	    ifi->ifi_change)
		return rtnl__fail(ext, -EINVAL, "Invalid values in header for link dump request");
	if (ifi->ifi_index)
		return rtnl__fail(ext, -EINVAL, "Filter by device index not supported for link dumps");
	ret = rtnl__parse(h, sizeof(*ifi), IFLA_MAX, true, &tb, ext);
	for (i = 0; !ret && i <= IFLA_MAX && i <= RTNL_ATTR_MAX; i++) {
		if (!tb.a[i] || i == IFLA_TARGET_NETNSID ||
		    i == IFLA_EXT_MASK || i == IFLA_MASTER ||
		    i == IFLA_LINKINFO)
			continue;
		ext->bad = tb.a[i];
		ret = rtnl__fail(ext, -EINVAL, "Unsupported attribute in link dump request");
	}
	return ret;
}

/* net_link_fn: the largest IFLA_PROP_LIST of the links */
static int largest_props(void *arg, const struct net_link *l)
{
	size_t *max = arg, size = prop_list_size(altname_count(l));

	if (size > *max)
		*max = size;
	return 0;
}

/*
 * dump_room() - rtnl_calcit(): a link dump asked with a filter mask
 * (IFLA_EXT_MASK, as `ip link` asks) gets datagrams large enough for its
 * largest link, however little the program reads with.  Only altnames
 * make a link larger than the datagrams dumps have anyway, so the room is
 * RTNL_NOTIFY_BUF with the largest property list beyond, or 0.
 */
static size_t dump_room(struct rtnl *r, const struct nlmsghdr *h)
{
	size_t hdr = h->nlmsg_len < NLMSG_LENGTH(sizeof(struct ifinfomsg)) ?
		     sizeof(struct rtgenmsg) : sizeof(struct ifinfomsg);
	size_t rem, props = 0;
	const struct nlattr *a;
	const uint8_t *p;
	uint32_t mask = 0;

	if (h->nlmsg_len < NLMSG_LENGTH(hdr))
		return 0;
	p = (const uint8_t *)h + NLMSG_SPACE(hdr);
	rem = h->nlmsg_len > NLMSG_SPACE(hdr) ? h->nlmsg_len - NLMSG_SPACE(hdr) : 0;
	while ((a = rtnl__next_attr(&p, &rem)))
		if ((a->nla_type & NLA_TYPE_MASK) == IFLA_EXT_MASK &&
		    RTNL_ATTR_LEN(a) == sizeof(mask))
			mask = rtnl__get_u32(a);
	if (!mask)
		return 0;
	net_link_walk(r->net, largest_props, &props);
	return props ? RTNL_NOTIFY_BUF + props : 0;
}

/**
 * rtnl__dumplink() - start an RTM_GETLINK dump: every link by index
 * @r:		the socket
 * @h:		the request
 * @ext:	extended ack
 *
 * Return: 0 (dump started), or the error NLMSG_DONE carries
 */
int rtnl__dumplink(struct rtnl *r, const struct nlmsghdr *h,
		   struct rtnl_ext *ext)
{
	struct rtnl_dump *d;
	int ret;

	if (rtnl__strict(r)) {
		ret = dumplink_strict(h, ext);
		if (ret)
			return ret;
	}
	if (*(const uint8_t *)NLMSG_DATA(h) == AF_BRIDGE)
		return rtnl__dump_new(r, h, &bridge_dump) ? 0 : -ENOMEM;
	d = rtnl__dump_new(r, h, &link_dump);
	if (!d)
		return -ENOMEM;
	d->room = dump_room(r, h);
	/* PF_INET6 has its own RTM_GETLINK dump (inet6_dump_ifinfo()) */
	if (*(const uint8_t *)NLMSG_DATA(h) == AF_INET6)
		d->families[d->n_fam++] = AF_INET6;
	return 0;
}

/* ---- changes ---- */

/* IFLA_IFALIAS into @out (its policy: at most IFALIASZ - 1 bytes) */
static int attr_alias(const struct nlattr *a, char *out, struct rtnl_ext *ext)
{
	size_t len = RTNL_ATTR_LEN(a);
	const uint8_t *p = RTNL_ATTR_DATA(a);

	if (len && p[len - 1] == '\0')
		len--;
	if (len > NET_LINK_ALIAS_MAX - 1) {
		ext->bad = a;
		return rtnl__fail(ext, -ERANGE, "Attribute failed policy validation");
	}
	memcpy(out, p, len);
	out[len] = '\0';
	return 0;
}

/* Linux 6.18's link attributes past what the build's headers may know */
#define IFLA6_DEVLINK_PORT		62
#define IFLA6_GSO_IPV4_MAX_SIZE		63
#define IFLA6_GRO_IPV4_MAX_SIZE		64
#define IFLA6_DPLL_PIN			65
#define IFLA6_MAX_PACING_OFFLOAD_HORIZON 66
#define IFLA6_NETNS_IMMUTABLE		67
#define IFLA6_HEADROOM			68
#define IFLA6_TAILROOM			69
#define IFLA6_MAX			69
#define IFLA6_PARSE_MAX			IFLA6_GRO_IPV4_MAX_SIZE

/* What do_setlink() takes at most (validate_linkmsg()): the device's
 * tso_max_size and tso_max_segs as the dumps report them (put_u32s()),
 * GRO_MAX_SIZE (8 * 65535) */
#define TSO_MAX_SIZE(l)	((l)->type == ARPHRD_LOOPBACK ? 524280u : 65536u)
#define TSO_MAX_SEGS	65535u
#define GRO_MAX_SIZE	524280u

_Static_assert(IFLA6_PARSE_MAX <= RTNL_ATTR_MAX, "parsed link attributes");

/* ifla_policy's lengths and checks (values: Linux 6.18, MAX_TCP_HEADER
 * 192 for the GSO sizes' least) */
static const struct rtnl_policy ifla_policy[IFLA6_MAX + 1] = {
	[IFLA_GSO_MAX_SIZE] = { 4, 0, false, false, RTNL_P_MIN_U32, 193 },
	[IFLA6_GSO_IPV4_MAX_SIZE] = { 4, 0, false, false, RTNL_P_MIN_U32, 193 },
	[IFLA6_GRO_IPV4_MAX_SIZE] = { 4, 0, false, false, 0, 0 },
	[IFLA_NEW_IFINDEX] = { 4, 0, false, false, RTNL_P_MIN_S32, 1 },
	[IFLA_PERM_ADDRESS] = { .check = RTNL_P_REJECT },
	[IFLA_TSO_MAX_SIZE] = { .check = RTNL_P_REJECT },
	[IFLA_TSO_MAX_SEGS] = { .check = RTNL_P_REJECT },
	[IFLA_ALLMULTI] = { .check = RTNL_P_REJECT },
	[IFLA6_DPLL_PIN] = { .check = RTNL_P_UNSUPP },
	[IFLA6_MAX_PACING_OFFLOAD_HORIZON] = { .check = RTNL_P_UNSUPP },
	[IFLA6_NETNS_IMMUTABLE] = { .check = RTNL_P_REJECT },
	[IFLA6_HEADROOM] = { .check = RTNL_P_REJECT },
	[IFLA6_TAILROOM] = { .check = RTNL_P_REJECT },
	[IFLA_GRO_MAX_SIZE] = { .min = 4 },
	[IFLA_LINKINFO] = { .nest = true }, [IFLA_AF_SPEC] = { .nest = true },
	[IFLA_VFINFO_LIST] = { .nest = true }, [IFLA_VF_PORTS] = { .nest = true },
	[IFLA_PORT_SELF] = { .nest = true }, [IFLA_XDP] = { .nest = true },
	[IFLA_PROP_LIST] = { .nest = true },
	[IFLA_IFNAME] = { .max = IFNAMSIZ - 1, .str = true },
	[IFLA_ADDRESS] = { .max = 32 }, [IFLA_BROADCAST] = { .max = 32 },
	[IFLA_MTU] = { .min = 4 }, [IFLA_LINK] = { .min = 4 },
	[IFLA_MASTER] = { .min = 4 }, [IFLA_CARRIER] = { .min = 1 },
	[IFLA_TXQLEN] = { .min = 4 }, [IFLA_WEIGHT] = { .min = 4 },
	[IFLA_OPERSTATE] = { .min = 1 }, [IFLA_LINKMODE] = { .min = 1 },
	[IFLA_NET_NS_PID] = { .min = 4 }, [IFLA_NET_NS_FD] = { .min = 4 },
	[IFLA_IFALIAS] = { .max = NET_LINK_ALIAS_MAX - 1 },	/* NLA_BINARY */
	[IFLA_EXT_MASK] = { .min = 4 }, [IFLA_PROMISCUITY] = { .min = 4 },
	[IFLA_NUM_TX_QUEUES] = { .min = 4 }, [IFLA_NUM_RX_QUEUES] = { .min = 4 },
	[IFLA_GSO_MAX_SEGS] = { .min = 4 },
	[IFLA_PHYS_PORT_ID] = { .max = 32 }, [IFLA_CARRIER_CHANGES] = { .min = 4 },
	[IFLA_PHYS_SWITCH_ID] = { .max = 32 }, [IFLA_LINK_NETNSID] = { .min = 4 },
	[IFLA_PROTO_DOWN] = { .min = 1 }, [IFLA_EVENT] = { .min = 4 },
	[IFLA_GROUP] = { .min = 4 }, [IFLA_TARGET_NETNSID] = { .min = 4 },
	[IFLA_CARRIER_UP_COUNT] = { .min = 4 },
	[IFLA_CARRIER_DOWN_COUNT] = { .min = 4 },
	[IFLA_MIN_MTU] = { .min = 4 }, [IFLA_MAX_MTU] = { .min = 4 },
	[IFLA_ALT_IFNAME] = { .max = 127, .str = true },	/* ALTIFNAMSIZ - 1 */
};

/* A u32 attribute the policy let through (4 bytes at least): above @max? */
static bool above(const struct nlattr *a, uint32_t max)
{
	uint32_t v;

	if (!a)
		return false;
	memcpy(&v, RTNL_ATTR_DATA(a), sizeof(v));
	return v > max;
}

/* validate_linkmsg(): an address or broadcast shorter than the device's
 * (dev->addr_len: 6 for Ethernet and lo, 0 for the tun-like ones), then
 * the GSO and GRO limits, in Linux 6.18's order */
static int validate_linkmsg(const struct net_link *l, const struct rtnl_attrs *tb,
			    struct rtnl_ext *ext)
{
	size_t alen = l->type == ARPHRD_ETHER || l->type == ARPHRD_LOOPBACK ? 6 : 0;

	if ((tb->a[IFLA_ADDRESS] && RTNL_ATTR_LEN(tb->a[IFLA_ADDRESS]) < alen) ||
	    (tb->a[IFLA_BROADCAST] && RTNL_ATTR_LEN(tb->a[IFLA_BROADCAST]) < alen))
		return -EINVAL;
	if (above(tb->a[IFLA_GSO_MAX_SIZE], TSO_MAX_SIZE(l)))
		return rtnl__fail(ext, -EINVAL, "too big gso_max_size");
	if (above(tb->a[IFLA_GSO_MAX_SEGS], TSO_MAX_SEGS))
		return rtnl__fail(ext, -EINVAL, "too big gso_max_segs");
	if (above(tb->a[IFLA_GRO_MAX_SIZE], GRO_MAX_SIZE))
		return rtnl__fail(ext, -EINVAL, "too big gro_max_size");
	if (above(tb->a[IFLA6_GSO_IPV4_MAX_SIZE], TSO_MAX_SIZE(l)))
		return rtnl__fail(ext, -EINVAL, "too big gso_ipv4_max_size");
	if (above(tb->a[IFLA6_GRO_IPV4_MAX_SIZE], GRO_MAX_SIZE))
		return rtnl__fail(ext, -EINVAL, "too big gro_ipv4_max_size");
	return 0;
}

/* NAME as dev_get_valid_name() makes it of PAT: PAT itself, or with a
 * "%d" in it, the first number no device's name has there
 * (__dev_alloc_name(): one %d and no other %) */
static int alloc_name(struct rtnl *r, const char *pat, char *name)
{
	const char *d = strchr(pat, '%');
	struct net_link l;
	unsigned int i;

	if (!d) {
		snprintf(name, IFNAMSIZ, "%s", pat);
		return 0;
	}
	if (d[1] != 'd' || strchr(d + 2, '%'))
		return -EINVAL;
	for (i = 0; i < 32768; i++) {
		if (snprintf(name, IFNAMSIZ, "%.*s%u%s", (int)(d - pat), pat, i,
			     d + 2) >= IFNAMSIZ)
			return -EINVAL;
		if (net_link_lookup(r->net, name, &l))	/* altnames too */
			return 0;
	}
	return -ENFILE;
}

/* inet6_af_policy and inet_af_policy: what nla_parse_nested() checks */
static const struct rtnl_policy in6_af_policy[IFLA_INET6_MAX + 1] = {
	[IFLA_INET6_ADDR_GEN_MODE] = { .min = 1 },
	[IFLA_INET6_TOKEN] = { .min = 16 },
	[IFLA_INET6_RA_MTU] = { .check = RTNL_P_REJECT },
};
static const struct rtnl_policy in_af_policy[IFLA_INET_MAX + 1] = {
	[IFLA_INET_CONF] = { .nest = true },
};

/* inet6_set_iftoken()'s checks, made for any token: the device (named
 * @name, as a rename in the same request left it) must do neighbour
 * discovery and take router advertisements (ipv6_accept_ra(): accept_ra,
 * or accept_ra 2 when it forwards) */
static int token_check(struct rtnl *r, const struct net_link *l,
		       const char *name, struct rtnl_ext *ext)
{
	int64_t fwd = 0, ra = 0;

	if (l->type == ARPHRD_LOOPBACK)
		return rtnl__fail(ext, -EINVAL, "ipv6: Device is loopback");
	if (l->flags & IFF_NOARP)
		return rtnl__fail(ext, -EINVAL,
				  "ipv6: Device does not do neighbour discovery");
	if (net_devconf_get(r->net, AF_INET6, name, "forwarding", &fwd) ||
	    net_devconf_get(r->net, AF_INET6, name, "accept_ra", &ra) ||
	    (fwd ? ra != 2 : !ra))
		return rtnl__fail(ext, -EINVAL,
				  "ipv6: Router advertisement is disabled on device");
	return 0;
}

/* af_spec()'s AF_INET6 part (inet6_validate_link_af(), then
 * inet6_set_link_af() with @apply) */
static int af_spec6(struct rtnl *r, const struct net_link *l, const char *name,
		    const struct nlattr *a, bool apply, struct rtnl_ext *ext)
{
	const struct nlattr *token, *mode;
	struct rtnl_attrs in;
	int ret;

	if ((ret = rtnl__parse_nested(a, IFLA_INET6_MAX, &in, ext)) ||
	    (ret = rtnl__policy_nested(a, in6_af_policy, IFLA_INET6_MAX, ext)))
		return ret;
	token = in.a[IFLA_INET6_TOKEN];
	mode = in.a[IFLA_INET6_ADDR_GEN_MODE];
	if (!token && !mode)
		return -EINVAL;
	if (mode && *RTNL_ATTR_DATA(mode) > IN6_ADDR_GEN_MODE_RANDOM)
		return -EINVAL;
	if (!apply)
		return 0;
	if (token && (ret = token_check(r, l, name, ext)))
		return ret;
	if (token && memcmp(RTNL_ATTR_DATA(token), zero16, sizeof(zero16)))
		return rtnl__fail(ext, -EOPNOTSUPP, "IPv6 tokens are not supported");
	if (mode && *RTNL_ATTR_DATA(mode) != (l->type == ARPHRD_NONE ?
					      IN6_ADDR_GEN_MODE_RANDOM :
					      IN6_ADDR_GEN_MODE_EUI64))
		return rtnl__fail(ext, -EOPNOTSUPP,
				  "the address generation mode cannot be changed");
	return 0;
}

/* af_spec()'s AF_INET part (inet_validate_link_af(); IFLA_INET_CONF is
 * refused with @apply) */
static int af_spec4(const struct nlattr *a, bool apply, struct rtnl_ext *ext)
{
	const struct nlattr *conf, *c;
	struct rtnl_attrs in;
	const uint8_t *p;
	size_t rem;
	int ret;

	if ((ret = rtnl__parse_nested(a, IFLA_INET_MAX, &in, ext)) ||
	    (ret = rtnl__policy_nested(a, in_af_policy, IFLA_INET_MAX, ext)))
		return ret;
	if (!(conf = in.a[IFLA_INET_CONF]))
		return 0;
	p = RTNL_ATTR_DATA(conf);
	rem = RTNL_ATTR_LEN(conf);
	while ((c = rtnl__next_attr(&p, &rem))) {
		unsigned int id = c->nla_type & NLA_TYPE_MASK;

		if (c->nla_len < NLA_HDRLEN + 4 || !id || id > IPV4_DEVCONF_MAX)
			return -EINVAL;
	}
	if (apply)
		return rtnl__fail(ext, -EOPNOTSUPP, "IPv4 device settings by netlink "
				  "are not supported: use /proc/sys/net/ipv4/conf");
	return 0;
}

/*
 * af_spec() - RTM_SETLINK's IFLA_AF_SPEC, checked as validate_linkmsg()
 * has each family's validate_link_af() check it and, with @apply, done as
 * do_setlink()'s set_link_af() would: AF_INET6 (af_spec6()) must give a
 * token or an address generation mode, a known mode; AF_INET (af_spec4())
 * IFLA_INET_CONF entries of 4 bytes or more with known ids; another family
 * is EAFNOSUPPORT.  Nothing of it can change here, so it is never a silent
 * success: the token "::" (no token) and the device's own mode change
 * nothing; another token (after inet6_set_iftoken()'s checks,
 * token_check()), another mode, and IPv4 settings by netlink (the sysctls
 * under /proc/sys/net/ipv4/conf set them) are EOPNOTSUPP.  @name is the
 * device's name as a rename in the same request left it.
 *
 * Return: 0 or a negative errno
 */
static int af_spec(struct rtnl *r, const struct net_link *l, const char *name,
		   const struct nlattr *spec, bool apply, struct rtnl_ext *ext)
{
	const uint8_t *p = RTNL_ATTR_DATA(spec);
	size_t rem = RTNL_ATTR_LEN(spec);
	const struct nlattr *a;
	int ret;

	while ((a = rtnl__next_attr(&p, &rem))) {
		switch (a->nla_type & NLA_TYPE_MASK) {
		case AF_INET6:
			ret = af_spec6(r, l, name, a, apply, ext);
			break;
		case AF_INET:
			ret = af_spec4(a, apply, ext);
			break;
		default:
			ret = -EAFNOSUPPORT;
		}
		if (ret)
			return ret;
	}
	return 0;
}

/* do_setlink() for what net can change: MTU, name, IFF_UP and the
 * other flags an owner may set, alias, group */
static int setlink(struct rtnl *r, const struct ifinfomsg *ifi,
		   const struct net_link *l, const struct rtnl_attrs *tb,
		   struct rtnl_ext *ext)
{
	struct net_link_change c = { .up = -1, .mtu = 0, .name = NULL };
	unsigned int flags = ifi->ifi_flags;
	char name[IFNAMSIZ], pat[IFNAMSIZ], alias[NET_LINK_ALIAS_MAX];
	uint32_t mtu;
	int ret;

	ret = validate_linkmsg(l, tb, ext);
	if (!ret && tb->a[IFLA_AF_SPEC])
		ret = af_spec(r, l, l->name, tb->a[IFLA_AF_SPEC], false, ext);
	if (ret)
		return ret;
	/* the address it has already changes nothing */
	if (tb->a[IFLA_ADDRESS] &&
	    (RTNL_ATTR_LEN(tb->a[IFLA_ADDRESS]) < sizeof(l->mac) ||
	     memcmp(RTNL_ATTR_DATA(tb->a[IFLA_ADDRESS]), l->mac, sizeof(l->mac))))
		return rtnl__fail(ext, -EOPNOTSUPP, "changing the hardware address is not supported");
	if (tb->a[IFLA_MTU]) {
		ret = rtnl__attr_u32(tb->a[IFLA_MTU], &mtu, ext);
		if (ret)
			return ret;
		if (mtu < (l->type == ARPHRD_LOOPBACK ? 1u : ETH_MIN_MTU))
			return rtnl__fail(ext, -EINVAL, "mtu less than device minimum");
		if (mtu != l->mtu)
			c.mtu = mtu;
	}
	/* a new name, or with "%d" in it a pattern (dev_change_name():
	 * compared with the old name first, then made a name, the device's
	 * own counted as taken) */
	if (tb->a[IFLA_IFNAME]) {
		ret = rtnl__attr_name(tb->a[IFLA_IFNAME], pat, ext);
		if (ret)
			return ret;
		/* do_setlink(): an empty name (a lone NUL) renames nothing */
		if (pat[0] && strncmp(pat, l->name, sizeof(pat))) {
			ret = alloc_name(r, pat, name);
			if (ret)
				return ret;
			c.name = name;
		}
	}
	if (tb->a[IFLA_IFALIAS]) {
		ret = attr_alias(tb->a[IFLA_IFALIAS], alias, ext);
		if (ret)
			return ret;
		c.alias = alias;
	}
	if (tb->a[IFLA_GROUP]) {
		ret = rtnl__attr_u32(tb->a[IFLA_GROUP], &c.group, ext);
		if (ret)
			return ret;
		c.set_group = true;
	}
	/* rtnl_dev_combine_flags(): ifi_change selects, 0 means all */
	if (ifi->ifi_change)
		flags = (flags & ifi->ifi_change) | (l->flags & ~ifi->ifi_change);
	if ((ifi->ifi_flags || ifi->ifi_change) &&
	    !(flags & IFF_UP) != !(l->flags & IFF_UP))
		c.up = !!(flags & IFF_UP);
	if (ifi->ifi_flags || ifi->ifi_change) {
		c.flags = flags;
		c.change = (flags ^ l->flags) & NET_LINK_USER_FLAGS;
	}
	/* an alias or group is told even when it changes nothing, as
	 * do_setlink()'s DO_SETLINK_NOTIFY; flags only when they change */
	/* do_setlink() makes the changes above, then finds that no device
	 * here (lo, veth-, tun-like) can set its carrier or protodown */
	if (c.up >= 0 || c.mtu || c.name || c.change || c.alias ||
	    c.set_group) {
		ret = net_link_set(r->net, l->ifindex, &c, ext->msg,
				   sizeof(ext->msg));
		if (ret == -EEXIST)	/* dev_change_name() gives no reason */
			ext->msg[0] = '\0';
		if (ret)
			return ret;
	}
	if (tb->a[IFLA_CARRIER])
		return -EOPNOTSUPP;
	if (tb->a[IFLA_PROTO_DOWN])
		return rtnl__fail(ext, -EOPNOTSUPP, "Protodown not supported by device");
	/* set_link_af(), the last of do_setlink()'s changes */
	if (tb->a[IFLA_AF_SPEC])
		return af_spec(r, l, c.name ? c.name : l->name, tb->a[IFLA_AF_SPEC],
			       true, ext);
	return 0;
}

/* The kind IFLA_LINKINFO's IFLA_INFO_KIND asks for (nla_strscpy()), ""
 * for none */
static int linkinfo_kind(const struct rtnl_attrs *tb, char *kind, size_t size,
			 struct rtnl_ext *ext)
{
	const struct nlattr *k;
	struct rtnl_attrs li;
	size_t len;
	int ret;

	kind[0] = '\0';
	if (!tb->a[IFLA_LINKINFO])
		return 0;
	ret = rtnl__parse_nested(tb->a[IFLA_LINKINFO], IFLA_INFO_MAX, &li, ext);
	if (ret || !(k = li.a[IFLA_INFO_KIND]))
		return ret;
	len = strnlen((const char *)RTNL_ATTR_DATA(k), RTNL_ATTR_LEN(k));
	if (len >= size)
		len = size - 1;
	memcpy(kind, RTNL_ATTR_DATA(k), len);
	kind[len] = '\0';
	return 0;
}

/* A name for a new device: IFLA_IFNAME, or the first free "dummy%d"; a
 * "%d" in IFLA_IFNAME is such a pattern too */
static int new_name(struct rtnl *r, const struct rtnl_attrs *tb, char *name,
		    struct rtnl_ext *ext)
{
	char pat[IFNAMSIZ];
	int ret;

	if (!tb->a[IFLA_IFNAME])
		snprintf(pat, sizeof(pat), "dummy%%d");
	else if ((ret = rtnl__attr_name(tb->a[IFLA_IFNAME], pat, ext)))
		return ret;
	return alloc_name(r, pat, name);
}

/*
 * newdummy() - RTM_NEWLINK making a device of kind "dummy", as
 * rtnl_create_link(), dummy_validate() and rtnl_configure_link(): named
 * by IFLA_IFNAME (or dummyN), with IFLA_MTU and IFLA_ADDRESS when given,
 * down until the request's own flags bring it up (`ip link add` does
 * not).  A device whose settings then fail goes again, as Linux
 * unregisters it.
 */
static int newdummy(struct rtnl *r, const struct ifinfomsg *ifi,
		    const struct rtnl_attrs *tb, struct rtnl_ext *ext)
{
	char name[IFNAMSIZ];
	const uint8_t *mac = NULL;
	struct rtnl_attrs rest;
	struct net_link l;
	uint32_t mtu = 0;
	int ret, idx;

	if (ifi->ifi_index)
		return rtnl__fail(ext, -EOPNOTSUPP, "choosing the interface index is not supported");
	if ((ret = new_name(r, tb, name, ext)))
		return ret;
	if (tb->a[IFLA_ADDRESS]) {
		mac = RTNL_ATTR_DATA(tb->a[IFLA_ADDRESS]);
		if (RTNL_ATTR_LEN(tb->a[IFLA_ADDRESS]) != 6)
			return -EINVAL;
		if ((mac[0] & 1) || !(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]))
			return -EADDRNOTAVAIL;	/* is_valid_ether_addr() */
	}
	if (tb->a[IFLA_MTU]) {
		if ((ret = rtnl__attr_u32(tb->a[IFLA_MTU], &mtu, ext)))
			return ret;
		if (mtu < ETH_MIN_MTU)
			return rtnl__fail(ext, -EINVAL, "mtu less than device minimum");
		if (mtu > 65535)
			return rtnl__fail(ext, -EINVAL, "mtu greater than device maximum");
	}
	idx = net_dummy_add(r->net, name, mtu, mac, false, ext->msg,
			    sizeof(ext->msg));
	if (idx < 0)
		return idx;
	/* the rest as for an existing device, what was made from left out
	 * (a "%d" name is not a rename) */
	rest = *tb;
	rest.a[IFLA_IFNAME] = rest.a[IFLA_MTU] = rest.a[IFLA_ADDRESS] = NULL;
	ret = net_link_get(r->net, (uint32_t)idx, &l) ? -ENODEV :
	      setlink(r, ifi, &l, &rest, ext);
	if (ret)
		(void)net_link_del(r->net, (uint32_t)idx, NULL, 0);
	return ret;
}

/**
 * rtnl__newlink() - RTM_NEWLINK and RTM_SETLINK: change an existing link
 * @r:		the socket
 * @h:		the request
 * @ext:	extended ack
 *
 * As __rtnl_newlink(): an existing device with NLM_F_EXCL is -EEXIST, with
 * NLM_F_REPLACE -EOPNOTSUPP; no device and no NLM_F_CREATE is -ENODEV
 * (iproute2's empty probe); creating one is newdummy() for kind "dummy",
 * else "Unknown device type".
 *
 * Return: 0, or a negative errno
 */
int rtnl__newlink(struct rtnl *r, const struct nlmsghdr *h,
		  struct rtnl_ext *ext)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	struct rtnl_attrs tb;
	struct net_link l;
	char kind[16];
	int ret;

	ret = rtnl__parse(h, sizeof(*ifi), IFLA6_PARSE_MAX, false, &tb, ext);
	if (!ret)
		ret = rtnl__policy(h, sizeof(*ifi), ifla_policy, IFLA6_MAX, ext);
	if (!ret)
		ret = linkinfo_kind(&tb, kind, sizeof(kind), ext);
	if (ret)
		return ret;
	if (ifi->ifi_index < 0)
		return rtnl__fail(ext, -EINVAL, "ifindex can't be negative");
	ret = find_link(r, ifi, &tb, &l, ext);
	if (ret < 0 && ret != -ENODEV)
		return ret;
	if (h->nlmsg_type == RTM_SETLINK)	/* rtnl_setlink() */
		return ret ? (ret > 0 ? -EINVAL : ret) :
			     setlink(r, ifi, &l, &tb, ext);
	if (!ret) {
		if (h->nlmsg_flags & NLM_F_EXCL)
			return -EEXIST;
		if (h->nlmsg_flags & NLM_F_REPLACE)
			return -EOPNOTSUPP;
		return setlink(r, ifi, &l, &tb, ext);
	}
	if (!(h->nlmsg_flags & NLM_F_CREATE))
		return -ENODEV;
	if (!strcmp(kind, "dummy"))
		return newdummy(r, ifi, &tb, ext);
	return rtnl__fail(ext, -EOPNOTSUPP, "Unknown device type");
}

/**
 * rtnl__dellink() - RTM_DELLINK by index or name
 * @r:		the socket
 * @h:		the request
 * @ext:	extended ack
 *
 * Return: 0, -EINVAL (no device named), -ENODEV, -EOPNOTSUPP (lo), or
 * net_link_del()'s error
 */
int rtnl__dellink(struct rtnl *r, const struct nlmsghdr *h,
		  struct rtnl_ext *ext)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	struct rtnl_attrs tb;
	struct net_link l;
	int ret;

	ret = rtnl__parse(h, sizeof(*ifi), IFLA6_PARSE_MAX, false, &tb, ext);
	if (!ret)
		ret = rtnl__policy(h, sizeof(*ifi), ifla_policy, IFLA6_MAX, ext);
	if (ret)
		return ret;
	ret = find_link(r, ifi, &tb, &l, ext);
	if (ret)
		return ret > 0 ? -EINVAL : ret;
	if (l.type == ARPHRD_LOOPBACK)
		return -EOPNOTSUPP;
	return net_link_del(r->net, l.ifindex, ext->msg, sizeof(ext->msg));
}

/* ---- alternative names ---- */

#define S_U32		{ RTNL_S_U32, 0, 0 }
#define S_U8		{ RTNL_S_U8, 0, 0 }
#define S_NEST		{ RTNL_S_NESTED, 0, 0 }
#define S_REJECT	{ RTNL_S_REJECT, 0, 0 }
#define S_BIN(max)	{ RTNL_S_BINARY, 0, max }
#define S_MIN(type, v)	{ RTNL_S_U32, type, v }

/* ifla_policy as nlmsg_parse() applies it strictly (Linux 6.18): the
 * types it leaves out, and IFLA_MAP (a length alone), are "Unsupported
 * attribute"; s32 types are checked as u32 ones, for their size */
static const struct rtnl_spol ifla_spol[IFLA6_MAX + 1] = {
	[IFLA_IFNAME] = { RTNL_S_STRING, 0, IFNAMSIZ - 1 },
	[IFLA_ADDRESS] = S_BIN(32), [IFLA_BROADCAST] = S_BIN(32),
	[IFLA_MTU] = S_U32, [IFLA_LINK] = S_U32, [IFLA_MASTER] = S_U32,
	[IFLA_CARRIER] = S_U8, [IFLA_TXQLEN] = S_U32, [IFLA_WEIGHT] = S_U32,
	[IFLA_OPERSTATE] = S_U8, [IFLA_LINKMODE] = S_U8,
	[IFLA_LINKINFO] = S_NEST, [IFLA_NET_NS_PID] = S_U32,
	[IFLA_NET_NS_FD] = S_U32, [IFLA_IFALIAS] = S_BIN(NET_LINK_ALIAS_MAX - 1),
	[IFLA_VFINFO_LIST] = S_NEST, [IFLA_VF_PORTS] = S_NEST,
	[IFLA_PORT_SELF] = S_NEST, [IFLA_AF_SPEC] = S_NEST,
	[IFLA_EXT_MASK] = S_U32, [IFLA_PROMISCUITY] = S_U32,
	[IFLA_NUM_TX_QUEUES] = S_U32, [IFLA_NUM_RX_QUEUES] = S_U32,
	[IFLA_GSO_MAX_SEGS] = S_U32, [IFLA_GSO_MAX_SIZE] = S_MIN(RTNL_SC_MIN, 193),
	[IFLA_PHYS_PORT_ID] = S_BIN(32), [IFLA_CARRIER_CHANGES] = S_U32,
	[IFLA_PHYS_SWITCH_ID] = S_BIN(32), [IFLA_LINK_NETNSID] = S_U32,
	[IFLA_PROTO_DOWN] = S_U8, [IFLA_XDP] = S_NEST, [IFLA_EVENT] = S_U32,
	[IFLA_GROUP] = S_U32, [IFLA_TARGET_NETNSID] = S_U32,
	[IFLA_CARRIER_UP_COUNT] = S_U32, [IFLA_CARRIER_DOWN_COUNT] = S_U32,
	[IFLA_MIN_MTU] = S_U32, [IFLA_MAX_MTU] = S_U32,
	[IFLA_PROP_LIST] = S_NEST,
	[IFLA_ALT_IFNAME] = { RTNL_S_STRING, 0, NET_ALTNAME_MAX - 1 },
	[IFLA_PERM_ADDRESS] = S_REJECT, [IFLA_PROTO_DOWN_REASON] = S_NEST,
	[IFLA_NEW_IFINDEX] = S_MIN(RTNL_SC_SMIN, 1),
	[IFLA_PARENT_DEV_NAME] = { RTNL_S_NUL_STRING, 0, 0 },
	[IFLA_GRO_MAX_SIZE] = S_U32, [IFLA_TSO_MAX_SIZE] = S_REJECT,
	[IFLA_TSO_MAX_SEGS] = S_REJECT, [IFLA_ALLMULTI] = S_REJECT,
	[IFLA6_GSO_IPV4_MAX_SIZE] = S_MIN(RTNL_SC_MIN, 193),
	[IFLA6_GRO_IPV4_MAX_SIZE] = S_U32, [IFLA6_NETNS_IMMUTABLE] = S_REJECT,
	[IFLA6_HEADROOM] = S_REJECT, [IFLA6_TAILROOM] = S_REJECT,
};

/* A netlink attribute's length limit: a property list holds at most what
 * u16 nla_len can say */
#define PROP_LIST_MAX	0xffffu

/*
 * alt_ifname() - one IFLA_ALT_IFNAME of the property list, as
 * rtnl_alt_ifname(): checked against the policy on its own, then (to
 * add) the list as Linux would reserve it with one more name at its
 * largest must stay below 64 KiB ("effective property list too long"),
 * then the name, up to its first NUL, added or taken.
 */
static int alt_ifname(struct rtnl *r, uint32_t ifindex, const struct nlattr *a,
		      bool add, struct rtnl_ext *ext)
{
	char name[NET_ALTNAME_MAX];
	struct net_link l;
	int ret;

	ret = rtnl__validate_strict(a, ifla_spol, IFLA6_MAX, ext);
	if (ret)
		return ret;
	if (net_link_get(r->net, ifindex, &l))
		return -ENODEV;
	if (add && prop_list_size(altname_count(&l)) +
		   NLA_ALIGN(NLA_HDRLEN + NET_ALTNAME_MAX) >= PROP_LIST_MAX)
		return rtnl__fail(ext, -EINVAL, "effective property list too long");
	attr_altname(a, name, ext);	/* the policy passed it */
	return add ? net_link_altname_add(r->net, ifindex, name) :
		     net_link_altname_del(r->net, ifindex, name);
}

/*
 * linkprop() - RTM_NEWLINKPROP (@add) and RTM_DELLINKPROP, as Linux's
 * rtnl_linkprop(): the request parsed strictly with ifla_policy; no
 * network namespace by pid or fd (rtnl_ensure_unique_netns()); the device
 * by ifi_index, IFLA_IFNAME or IFLA_ALT_IFNAME (none: EINVAL); nothing
 * to do without IFLA_PROP_LIST; each IFLA_ALT_IFNAME of it in turn, other
 * types skipped.  The first error ends the request with what was done
 * kept and untold; else a change is told as netdev_state_change() tells
 * it.
 */
static int linkprop(struct rtnl *r, const struct nlmsghdr *h, bool add,
		    struct rtnl_ext *ext)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	const struct nlattr *list, *a;
	bool changed = false;
	struct rtnl_attrs tb;
	struct net_link l;
	const uint8_t *p;
	size_t rem;
	int ret;

	ret = rtnl__parse_strict(h, sizeof(*ifi), ifla_spol, IFLA6_MAX, &tb, ext);
	if (ret)
		return ret;
	if (tb.a[IFLA_NET_NS_PID] || tb.a[IFLA_NET_NS_FD])
		return rtnl__fail(ext, -EOPNOTSUPP,
				  "specified netns attribute not supported");
	ret = find_link(r, ifi, &tb, &l, ext);
	if (ret)
		return ret > 0 ? -EINVAL : ret;
	if (!(list = tb.a[IFLA_PROP_LIST]))
		return 0;
	p = RTNL_ATTR_DATA(list);
	rem = RTNL_ATTR_LEN(list);
	while ((a = rtnl__next_attr(&p, &rem))) {
		if ((a->nla_type & NLA_TYPE_MASK) != IFLA_ALT_IFNAME)
			continue;
		ret = alt_ifname(r, l.ifindex, a, add, ext);
		if (ret)
			return ret;
		changed = true;
	}
	if (changed)
		net_link_state_change(r->net, l.ifindex);
	return 0;
}

/**
 * rtnl__newlinkprop() - RTM_NEWLINKPROP: give a device altnames
 * @r:		the socket
 * @h:		the request
 * @ext:	extended ack
 *
 * Return: 0, or a negative errno: -EEXIST for a name a device has already
 */
int rtnl__newlinkprop(struct rtnl *r, const struct nlmsghdr *h,
		      struct rtnl_ext *ext)
{
	return linkprop(r, h, true, ext);
}

/**
 * rtnl__dellinkprop() - RTM_DELLINKPROP: take altnames from a device
 * @r:		the socket
 * @h:		the request
 * @ext:	extended ack
 *
 * Return: 0, or a negative errno: -ENOENT for a name no device has,
 * -EINVAL for the device's own name or another's
 */
int rtnl__dellinkprop(struct rtnl *r, const struct nlmsghdr *h,
		      struct rtnl_ext *ext)
{
	return linkprop(r, h, false, ext);
}

/* ---- namespace ids ---- */

/**
 * rtnl__getnsid() - RTM_GETNSID: the id of a peer namespace
 * @r:		the socket
 * @h:		the request: NETNSA_PID, NETNSA_FD or NETNSA_NSID
 * @ext:	extended ack
 *
 * The sandbox has no peer namespaces, but `ip monitor` asks about each one
 * in /run/netns: as rtnl_net_getid() for a namespace without an id, the
 * answer is NETNSA_NSID -1 (NETNSA_NSID_NOT_ASSIGNED).  A request by id
 * finds nothing.
 *
 * Return: 0 (reply queued), -EINVAL (no reference), -ENOENT, -ENOMEM
 */
int rtnl__getnsid(struct rtnl *r, const struct nlmsghdr *h,
		  struct rtnl_ext *ext)
{
	struct rtnl_attrs tb;
	struct rtnl_buf b;
	int ret;

	ret = rtnl__parse(h, sizeof(struct rtgenmsg), NETNSA_MAX,
			  rtnl__strict(r), &tb, ext);
	if (ret)
		return ret;
	if (tb.a[NETNSA_NSID])
		return rtnl__fail(ext, -ENOENT, "Peer netns reference is invalid");
	if (!tb.a[NETNSA_PID] && !tb.a[NETNSA_FD])
		return rtnl__fail(ext, -EINVAL, "Peer netns reference is missing");
	if (rtnl__buf_init(&b, NLMSG_SPACE(sizeof(struct rtgenmsg)) +
			   NLA_HDRLEN + 4))
		return -ENOMEM;
	if (!rtnl__msg_put(&b, RTM_NEWNSID, 0, h->nlmsg_seq, r->portid,
			   sizeof(struct rtgenmsg)) ||
	    rtnl__put_u32(&b, NETNSA_NSID, (uint32_t)NETNSA_NSID_NOT_ASSIGNED)) {
		free(b.data);
		return -EMSGSIZE;
	}
	rtnl__msg_end(&b, (struct nlmsghdr *)b.data);
	return rtnl__unicast(r, &b);
}

/**
 * rtnl__dumpnsid() - RTM_GETNSID dump: no namespace has an id here
 * @r:		the socket
 * @h:		the request
 * @ext:	extended ack
 *
 * Return: 0: NLMSG_DONE alone
 */
int rtnl__dumpnsid(struct rtnl *r, const struct nlmsghdr *h,
		   struct rtnl_ext *ext)
{
	(void)r;
	(void)h;
	(void)ext;
	return 0;
}
