/* SPDX-License-Identifier: MIT */
/*
 * ra.c - router advertisements acted on as a Linux host acts on them
 * (ndisc_router_discovery(), addrconf_prefix_rcv(), Linux 6.x).
 *
 * lwIP hands every Router Advertisement to rrs_nd6_ra() (patch 0058)
 * before ignoring it itself (patch 0036).  A device takes it when
 * ipv6_accept_ra() would: accept_ra on and IPv6 forwarding off, or
 * accept_ra 2.  Then, through net.c as `ip` requests go, so that dumps
 * and listeners see what Linux's would:
 * - the router lifetime (accept_ra_defrtr): `default via SRC dev D proto
 *   ra metric 1024 expires N`, its expiry renewed quietly by each RA
 *   (fib6_set_expires()), removed by a lifetime of 0; the cur hop limit
 *   becomes conf/D/hop_limit and the route's hoplimit metric, set
 *   quietly after the route is told, as Linux sets it;
 * - each prefix information option (accept_ra_pinfo): with A (autoconf,
 *   a /64) the address PREFIX + EUI-64 of the device's MAC, "dynamic
 *   mngtmpaddr" with the option's lifetimes, renewed by each RA (told
 *   again, as Linux); its prefix route comes with it (L) and expires
 *   with it (net_route_expires()); with L alone the prefix route
 *   `proto kernel metric 256 expires N`;
 * - the MTU option (accept_ra_mtu) becomes conf/D/mtu and, when that
 *   changes, the default route's mtu metric (set quietly, as Linux).
 * Addresses made so are marked (struct net_addr's ra): never permanent,
 * removed when the device goes down (addrconf_ifdown()), and one the user
 * added by hand is never touched.
 *
 * Router solicitations, as addrconf_dad_completed() and addrconf_rs_timer()
 * send them (RFC 7559 backoff): such a device, once up, sends one to
 * ff02::2 at once, from its link-local address with its MAC in a source
 * link-layer address option, then again after router_solicitation_interval
 * (4 s) times 0.9 to 1.1, each wait doubled (1.9 to 2.1) up to
 * router_solicitation_max_interval (3600 s), router_solicitations of them
 * (-1: no end) or until it takes an RA.  One timer for all devices
 * (struct net's rs_timer), armed for the next one due.
 * Each prefix taken is told last (RTM_NEWPREFIX, `ip monitor prefix`).
 * The senders are remembered per device (the last NET_RA_ROUTERS, until
 * it goes down): neigh.c flags their entries NTF_ROUTER, and a source
 * link-layer address option makes or updates the sender's neighbour
 * entry, STALE (net__neigh_ra()); an option of the wrong length ends the
 * RA's processing there, before its prefixes and MTU (Linux: "RA: invalid
 * link-layer address length").
 * Not done: route information options, the reachable and retransmit
 * timers, the entry Linux makes in NUD_NONE for a router that sent no
 * link-layer option, RDNSS, stable-privacy and temporary addresses.
 * Called from lwIP's input; calls net.c, neigh.c and route.c only.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "lwip/ip.h"
#include "lwip/ip6.h"
#include "lwip/inet_chksum.h"
#include "lwip/prot/icmp6.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/prot/ip6.h"

#include "internal.h"
#include "log.h"
#include "net.h"
#include "netint.h"
#include "rrs_lwip_hooks.h"

#define RA_HLEN		16	/* ICMPv6 header, hop limit, flags, router
				 * lifetime, reachable time, retrans timer */
#define OPT_SLLAO	1	/* source link-layer address */
#define OPT_PREFIX	3
#define OPT_MTU		5
#define PI_ONLINK	0x80
#define PI_AUTO		0x40
#define DFLT_METRIC	1024	/* IP6_RT_PRIO_USER */
#define PFX_METRIC	256	/* IP6_RT_PRIO_ADDRCONF */
#define RA_MAX		1500
#define RS_LEN		16	/* header, reserved, one 8-byte option */

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static int64_t conf(const struct net_dev *d, const char *name)
{
	int k = devconf_index(AF_INET6, name);

	return k < 0 ? 0 : d->conf[1].v[k];
}

/* ipv6_accept_ra(): forwarding devices only with accept_ra 2 */
static bool accepts(const struct net_dev *d)
{
	int64_t a = conf(d, "accept_ra");

	return d->fwd[1] ? a == 2 : a != 0;
}

/* The route of @d through @gw that RAs make (rt6_add_dflt_router()) */
static void dflt_route(struct rt_route *r, const struct net_dev *d,
		       const uint8_t *gw, uint8_t pref)
{
	memset(r, 0, sizeof(*r));
	r->family = AF_INET6;
	r->type = RTN_UNICAST;
	r->protocol = RTPROT_RA;
	r->scope = RT_SCOPE_UNIVERSE;
	r->table = RT_TABLE_MAIN_ID;
	r->priority = DFLT_METRIC;
	r->pref = pref;
	r->n_nh = 1;
	r->nh[0].ifindex = d->ifindex;
	r->nh[0].has_gw = true;
	r->nh[0].weight = 1;
	memcpy(r->nh[0].gw, gw, 16);
}

struct find {
	const struct rt_route *key;
	bool found;
	uint32_t hoplimit, mtu;
	uint8_t pref;
};

static int find_one(void *arg, const struct rt_route *r)
{
	struct find *f = arg;

	if (r->dst_len != f->key->dst_len || r->protocol != f->key->protocol ||
	    r->n_nh != 1 || r->nh[0].ifindex != f->key->nh[0].ifindex ||
	    r->nh[0].has_gw != f->key->nh[0].has_gw ||
	    memcmp(r->nh[0].gw, f->key->nh[0].gw, 16) ||
	    memcmp(r->dst, f->key->dst, 16))
		return 0;
	f->found = true;
	f->hoplimit = r->metrics[RTAX_HOPLIMIT];
	f->pref = r->pref;
	f->mtu = r->mtu;
	return 1;
}

static bool route_there(struct net *n, const struct rt_route *key,
			struct find *out)
{
	struct find f = { key, false, 0, 0, 0 };

	net_route_walk(n, RT_TABLE_MAIN_ID, AF_INET6, NULL, find_one, &f);
	if (out)
		*out = f;
	return f.found;
}

/* An MTU option's value Linux takes (accept_ra_mtu, 1280 up to the
 * device's MTU) and that changes conf/D/mtu, else 0 */
static uint32_t mtu_new(const struct net_dev *d, uint32_t mtu)
{
	if (!mtu || !conf(d, "accept_ra_mtu") || mtu < 1280 ||
	    mtu > vdev_mtu(d->vdev) || conf(d, "mtu") == mtu)
		return 0;
	return mtu;
}

/*
 * defrtr() - the default route through the RA's sender, as
 * ndisc_router_discovery(): added (told) when new, renewed quietly (told
 * when its preference changed), removed (told) at lifetime 0; the hop
 * limit then, as Linux sets it after (conf hop_limit, and the route's
 * metric, untold)
 */
static void defrtr(struct net *n, struct net_dev *d, const uint8_t *src,
		   const uint8_t *ra, uint32_t mtu)
{
	uint16_t life = (uint16_t)(ra[6] << 8 | ra[7]);
	uint8_t hop = ra[4], pref = (ra[5] >> 3) & 3, was = 0;
	bool on = conf(d, "accept_ra_defrtr") != 0, there, fresh = false;
	struct find old;
	struct rt_route r;

	if (pref == 2)		/* reserved: medium (RFC 4191 2.2) */
		pref = 0;
	if (life && life < conf(d, "accept_ra_min_lft"))
		return;		/* skip_defrtr, as Linux 6.x */
	dflt_route(&r, d, src, pref);
	there = route_there(n, &r, &old);
	was = old.pref;
	if (on && there && !life) {
		net_route_del(n, &r, RT_MATCH_PROTOCOL | RT_MATCH_OIF |
			      RT_MATCH_GW | RT_MATCH_PRIORITY, NULL, 0);
		there = false;
	} else if (on && !there && life) {
		there = fresh = !net_route_add_expires(n, &r, NLM_F_CREATE | NLM_F_EXCL,
						       life, NULL, 0);
	}
	r.metrics[RTAX_HOPLIMIT] = old.hoplimit;
	r.mtu = old.mtu;
	if (on && there && !fresh && was != pref)	/* told, as Linux */
		net_route_add_expires(n, &r, NLM_F_REPLACE, life, NULL, 0);
	if (hop && conf(d, "accept_ra_min_hop_limit") <= hop) {
		d->conf[1].v[devconf_index(AF_INET6, "hop_limit")] = hop;
		r.metrics[RTAX_HOPLIMIT] = hop;
	}
	if (mtu_new(d, mtu))	/* fib6_metric_set(RTAX_MTU) on a change */
		r.mtu = mtu;
	if (on && there) {	/* the new expiry, hop limit, MTU, untold */
		n->quiet = true;
		net_route_add_expires(n, &r, NLM_F_REPLACE, life, NULL, 0);
		n->quiet = false;
	}
}

/* @out: @pfx's first 64 bits, then the EUI-64 of @mac (RFC 4291 2.5.1) */
static void eui64(uint8_t *out, const uint8_t *pfx, const uint8_t *mac)
{
	memcpy(out, pfx, 8);
	out[8] = mac[0] ^ 0x02;
	out[9] = mac[1];
	out[10] = mac[2];
	out[11] = 0xff;
	out[12] = 0xfe;
	out[13] = mac[3];
	out[14] = mac[4];
	out[15] = mac[5];
}

static const struct net_addr *addr_of(const struct net_dev *d, const uint8_t *a)
{
	unsigned int i;

	for (i = 0; i < d->n_addrs; i++)
		if (d->addrs[i].family == AF_INET6 && !memcmp(d->addrs[i].addr, a, 16))
			return &d->addrs[i];
	return NULL;
}

/*
 * autoconf() - the address of a prefix with A, as
 * addrconf_prefix_rcv_add_addr(): made with the option's lifetimes,
 * and given them again by each RA (Linux 6.x honours every valid
 * lifetime); one the user added (permanent) is left alone.
 * Return: true when the device holds the address afterwards
 */
static bool autoconf(struct net *n, struct net_dev *d, const uint8_t *pfx,
		     bool onlink, uint32_t valid, uint32_t pref)
{
	const struct netif *nif = vdev_netif(d->vdev);
	const struct net_addr *o;
	struct net_addr a, old;

	memset(&a, 0, sizeof(a));
	eui64(a.addr, pfx, nif->hwaddr);
	o = addr_of(d, a.addr);
	if (o && !o->ra)
		return true;		/* the user's */
	if (!valid) {
		if (o) {
			old = *o;
			net_addr_del(n, &old, NULL, 0);
		}
		return false;
	}
	a.ifindex = d->ifindex;
	a.family = AF_INET6;
	a.plen = 64;
	a.scope = RT_SCOPE_UNIVERSE;
	a.flags = IFA_F_MANAGETEMPADDR | (onlink ? 0 : IFA_F_NOPREFIXROUTE);
	a.valid_lft = valid;
	a.preferred_lft = pref;
	a.ra = true;
	return !net_addr_add(n, &a, o ? NLM_F_REPLACE : NLM_F_CREATE | NLM_F_EXCL,
			     NULL, 0);
}

/* A prefix route of its own (L without an address): proto kernel,
 * metric 256, expires with the valid lifetime (addrconf_prefix_route()) */
static void onlink_route(struct net *n, const struct net_dev *d,
			 const uint8_t *pfx, uint8_t plen, uint32_t valid)
{
	struct rt_route r;
	unsigned int i;

	memset(&r, 0, sizeof(r));
	r.family = AF_INET6;
	r.dst_len = plen;
	for (i = 0; i < plen; i++)
		r.dst[i / 8] |= pfx[i / 8] & (0x80 >> (i % 8));
	r.type = RTN_UNICAST;
	r.protocol = RTPROT_KERNEL;
	r.scope = RT_SCOPE_UNIVERSE;
	r.table = RT_TABLE_MAIN_ID;
	r.priority = PFX_METRIC;
	r.n_nh = 1;
	r.nh[0].ifindex = d->ifindex;
	r.nh[0].weight = 1;
	if (!valid) {
		if (route_there(n, &r, NULL))
			net_route_del(n, &r, RT_MATCH_PROTOCOL | RT_MATCH_OIF |
				      RT_MATCH_PRIORITY, NULL, 0);
		return;
	}
	n->quiet = route_there(n, &r, NULL);	/* renewed untold */
	net_route_add_expires(n, &r, NLM_F_CREATE | NLM_F_REPLACE,
			      valid, NULL, 0);
	n->quiet = false;
}

/* One prefix information option (addrconf_prefix_rcv()) */
static void prefix(struct net *n, struct net_dev *d, const uint8_t *o)
{
	uint8_t plen = o[2], flags = o[3];
	uint32_t valid = be32(o + 4), pref = be32(o + 8);
	const uint8_t *pfx = o + 16;
	struct net_prefix np = { d->ifindex, plen, flags, { 0 }, valid, pref };
	bool held = false;

	if ((pfx[0] == 0xfe && (pfx[1] & 0xc0) == 0x80) || pfx[0] == 0xff ||
	    plen > 128 || pref > valid)
		return;
	if ((flags & PI_AUTO) && plen == 64 && conf(d, "autoconf"))
		held = autoconf(n, d, pfx, flags & PI_ONLINK, valid, pref);
	if ((flags & PI_ONLINK) && !held)
		onlink_route(n, d, pfx, plen, valid);
	/* told last, as addrconf_prefix_rcv() tells it (Linux's address of
	 * a new prefix is told later, when its DAD work runs) */
	memcpy(np.prefix, pfx, 16);
	net__emit_prefix(n, &np);
}

/* The MTU option (accept_ra_mtu): conf/D/mtu, within 1280 and the
 * device's MTU (the default route took it as its mtu metric) */
static void mtu_opt(struct net *n, struct net_dev *d, const uint8_t *o)
{
	uint32_t mtu = mtu_new(d, be32(o + 4));

	if (mtu)
		net_devconf_set(n, AF_INET6, vdev_name(d->vdev), "mtu", mtu);
}

/* ---- routers as neighbours ---- */

/* The RA's sender is a router: ndisc_router_discovery() sets NTF_ROUTER
 * on its neighbour entry (made in state NONE when there is none) */
static void rtr_remember(struct net_dev *d, const uint8_t *src)
{
	unsigned int i;

	for (i = 0; i < d->n_ra_rtr; i++)
		if (!memcmp(d->ra_rtr[i], src, 16))
			return;
	if (d->n_ra_rtr == NET_RA_ROUTERS)	/* the oldest makes room */
		memmove(d->ra_rtr[0], d->ra_rtr[1],
			--d->n_ra_rtr * sizeof(d->ra_rtr[0]));
	memcpy(d->ra_rtr[d->n_ra_rtr++], src, 16);
}

/**
 * net__ra_router() - whether a neighbour is a router whose RAs a device
 *		      took, so its entry reads NTF_ROUTER, as Linux's
 * @n:		the network
 * @ifindex:	the device
 * @addr:	the neighbour's IPv6 address
 *
 * Return: true when it is
 */
bool net__ra_router(const struct net *n, uint32_t ifindex, const uint8_t *addr)
{
	const struct net_dev *d = net__dev(n, ifindex);
	unsigned int i;

	for (i = 0; d && i < d->n_ra_rtr; i++)
		if (!memcmp(d->ra_rtr[i], addr, 16))
			return true;
	return false;
}

/**
 * rrs_nd6_ra() - LWIP_HOOK_ND6_RA: a Router Advertisement came in
 * @inp:	the device it came in on
 * @p:		the message, payload at its ICMPv6 header; lwIP's
 *
 * Checked as RFC 4861 6.1.2 asks (link-local source, hop limit 255, code
 * 0, options of non-zero length); lwIP checked the checksum.
 */
void rrs_nd6_ra(struct netif *inp, struct pbuf *p)
{
	struct net *n = net__hook();
	const struct ip6_hdr *h = ip6_current_header();
	struct net_dev *d = n ? net__dev_of_netif(n, inp) : NULL;
	uint8_t m[RA_MAX], src[16];
	size_t len = p->tot_len < RA_MAX ? p->tot_len : RA_MAX, off;
	const uint8_t *mtu_o = NULL, *ll_o = NULL;
	bool new_router;
	uint32_t mtu = 0;
	ip6_addr_t s;

	if (!d || !h || d->loopback || net__v6_disabled(d) || !accepts(d) ||
	    len < RA_HLEN || IP6H_HOPLIM(h) != 255)
		return;
	ip6_addr_copy_from_packed(s, h->src);
	if (!ip6_addr_islinklocal(&s) || pbuf_copy_partial(p, m, (u16_t)len, 0) != len ||
	    m[1] != 0)
		return;
	for (off = RA_HLEN; off + 2 <= len; off += m[off + 1] * 8u)
		if (!m[off + 1] || off + m[off + 1] * 8u > len)
			return;
	/* ndisc_parse_options() keeps the first of each */
	for (off = RA_HLEN; off + 2 <= len; off += m[off + 1] * 8u) {
		if (m[off] == OPT_MTU && !mtu_o)
			mtu_o = m + off;
		else if (m[off] == OPT_SLLAO && !ll_o)
			ll_o = m + off;
	}
	if (mtu_o && mtu_o[1] == 1)
		mtu = be32(mtu_o + 4);
	memcpy(src, s.addr, 16);
	d->ra_rcvd = true;	/* IF_RA_RCVD: no more solicitations */
	d->rs_at = 0;
	new_router = !net__ra_router(n, d->ifindex, src);
	rtr_remember(d, src);
	defrtr(n, d, src, m, mtu);
	if (ll_o && ll_o[1] != 1)
		return;		/* "invalid link-layer address length" */
	net__neigh_ra(n, d->ifindex, src, ll_o ? ll_o + 2 : NULL, new_router);
	for (off = RA_HLEN; off + 2 <= len; off += m[off + 1] * 8u)
		if (m[off] == OPT_PREFIX && m[off + 1] == 4 &&
		    conf(d, "accept_ra_pinfo"))
			prefix(n, d, m + off);
	if (mtu)		/* after the prefixes, as Linux */
		mtu_opt(n, d, mtu_o);
}

/* ---- router solicitations ---- */

static uint64_t now_ms(const struct net *n)
{
	return uv_now(n->loop);
}

/* @ms times a random factor in [@lo, @hi] per mille
 * (rfc3315_s14_backoff_init() and _update()) */
static uint64_t jitter(uint64_t ms, uint32_t lo, uint32_t hi)
{
	uint32_t r;

	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r))
		r = (uint32_t)rand();
	return ms * (lo + r % (hi - lo + 1)) / 1000;
}

/* One solicitation out of @d (ndisc_send_rs()): from its link-local
 * address with a source link-layer option, from :: without one */
static void rs_send(struct net_dev *d)
{
	struct netif *nif = vdev_netif(d->vdev);
	const ip6_addr_t *src = IP6_ADDR_ANY6;
	ip6_addr_t dst;
	struct pbuf *p;
	uint8_t *m;
	u16_t len = RS_LEN;
	int i;

	for (i = 0; i < LWIP_IPV6_NUM_ADDRESSES; i++)
		if (ip6_addr_isvalid(netif_ip6_addr_state(nif, i)) &&
		    ip6_addr_islinklocal(netif_ip6_addr(nif, i))) {
			src = netif_ip6_addr(nif, i);
			break;
		}
	if (ip6_addr_isany(src))
		len = 8;
	p = pbuf_alloc(PBUF_IP, len, PBUF_RAM);
	if (!p)
		return;
	m = p->payload;
	memset(m, 0, len);
	m[0] = ICMP6_TYPE_RS;
	if (len == RS_LEN) {
		m[8] = 1;		/* source link-layer address, 8 bytes */
		m[9] = 1;
		memcpy(m + 10, nif->hwaddr, 6);
	}
	ip6_addr_set_allrouters_linklocal(&dst);
	ip6_addr_assign_zone(&dst, IP6_MULTICAST, nif);
	((struct icmp6_hdr *)m)->chksum = ip6_chksum_pseudo(p, IP6_NEXTH_ICMP6,
							 len, src, &dst);
	ip6_output_if(p, src, &dst, 255, 0, IP6_NEXTH_ICMP6, nif);
	pbuf_free(p);
	d->rs_probes++;
}

static void rs_arm(struct net *n);

static void on_rs(uv_timer_t *t)
{
	struct net *n = t->data;
	uint64_t now = now_ms(n);
	int64_t max;
	struct net_dev *d;

	for (d = n->devs; d; d = d->next) {
		if (!d->rs_at || d->rs_at > now)
			continue;
		max = conf(d, "router_solicitations");
		d->rs_at = 0;
		if (d->ra_rcvd || !accepts(d) || !vdev_is_up(d->vdev) ||
		    net__v6_disabled(d) || (max >= 0 && d->rs_probes >= max))
			continue;
		rs_send(d);
		d->rs_wait = jitter(d->rs_wait, 1900, 2100);
		if (d->rs_wait > (uint64_t)conf(d, "router_solicitation_max_interval") * 1000)
			d->rs_wait = jitter((uint64_t)conf(d, "router_solicitation_max_interval") * 1000,
					    900, 1100);
		d->rs_at = now + d->rs_wait;
	}
	rs_arm(n);
}

/* The one timer, for the next device due, stopped when none is */
static void rs_arm(struct net *n)
{
	uint64_t next = 0, now = now_ms(n);
	struct net_dev *d;

	for (d = n->devs; d; d = d->next)
		if (d->rs_at && (!next || d->rs_at < next))
			next = d->rs_at;
	/* without memory for the timer, no more solicitations */
	net__timer_due(n, &n->rs_timer, on_rs, next, next > now ? next - now : 0);
}

/**
 * net__ra_up() - a device came up (or was made up): a host device starts
 *		  soliciting, as addrconf_dad_completed() for its link-local
 *		  address (no DAD in the sandbox: at once)
 * @n:		the network
 * @d:		the device
 */
void net__ra_up(struct net *n, struct net_dev *d)
{
	d->ra_rcvd = false;
	d->rs_probes = 0;
	d->rs_at = 0;
	if (d->loopback || !vdev_is_up(d->vdev) || net__v6_disabled(d) ||
	    !accepts(d) || !conf(d, "router_solicitations") ||
	    !vdev_netif(d->vdev)->hwaddr_len)
		return;
	rs_send(d);
	d->rs_wait = jitter((uint64_t)conf(d, "router_solicitation_interval") * 1000,
			    900, 1100);
	d->rs_at = now_ms(n) + d->rs_wait;
	rs_arm(n);
}

/**
 * net__ra_down() - a device went down: no more solicitations, an RA is
 *		    awaited afresh when it comes up, and the addresses RAs
 *		    gave it go (told), as addrconf_ifdown() removes every
 *		    address that is not permanent, keep_addr_on_down or not
 *		    (its routes went with the device's)
 * @n:		the network
 * @d:		the device
 */
void net__ra_down(struct net *n, struct net_dev *d)
{
	struct net_addr old;
	unsigned int i;

	d->rs_at = 0;
	d->ra_rcvd = false;
	d->n_ra_rtr = 0;	/* its neighbour entries went too */
	for (i = d->n_addrs; i-- > 0;) {
		if (i >= d->n_addrs || !d->addrs[i].ra)
			continue;
		old = d->addrs[i];
		net_addr_del(n, &old, NULL, 0);
	}
}

/**
 * net__ra_fini() - the solicitation timer goes with the network
 * @n:		the network
 */
void net__ra_fini(struct net *n)
{
	if (n->rs_timer)
		uv_close((uv_handle_t *)n->rs_timer, (uv_close_cb)free);
	n->rs_timer = NULL;
}
