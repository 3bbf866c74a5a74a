/* SPDX-License-Identifier: MIT */
/*
 * neigh.c - the sandbox's neighbour tables as `ip neigh` sees and changes
 * them (net.h).
 *
 * The tables are lwIP's own: the ARP cache (etharp.c) for IPv4 and the
 * neighbour cache (nd6.c) for IPv6, shared by every device of the stack.
 * This file lists them, entry by entry, naming each entry's device by its
 * ifindex, and adds, changes and removes entries as Linux's neigh_add()
 * and neigh_delete() (net/core/neighbour.c) do, through patch 0045's
 * etharp_set_entry() / nd6_set_neighbor() and their removals.  It is
 * called by rtnl_neigh.c (RTM_NEWNEIGH, RTM_DELNEIGH, RTM_GETNEIGH) and
 * by net.c when a device goes down or away; it tells listeners of each
 * change (net__emit_neigh()).
 *
 * Theory of operation, states as Linux's NUD_*:
 * - NUD_PERMANENT and NUD_NOARP: a static lwIP entry (ETHARP_STATE_STATIC;
 *   an IPv6 entry REACHABLE with is_static), used by traffic, never aged,
 *   never changed by ARP or neighbour discovery.  lwIP keeps with each
 *   entry a tag of our own (TAG_*): which of the two it is, the router
 *   flag (NTF_ROUTER) and the protocol (NDA_PROTOCOL).
 * - Learnt entries, and those set NUD_REACHABLE or NUD_STALE: lwIP's own
 *   states.  IPv6 ones are RFC 4861's, as Linux's (REACHABLE, STALE,
 *   DELAY when used, PROBE).  An ARP entry reads REACHABLE when resolved,
 *   STALE in its last 30 seconds (ARP_MAXAGE 300 less 30: its next use
 *   asks again, unicast), PROBE while it asks, and is forgotten at
 *   ARP_MAXAGE unless answered; one set NUD_STALE starts in those 30 s.
 *   Unused at ARP_MAXAGE, it goes back to the start of those 30 s
 *   (patch 0060): STALE for as long as nobody uses it, as Linux's.
 * - NUD_INCOMPLETE: an address being resolved (ARP: patch 0038's pending
 *   entries; lwIP gives them up after ARP_MAXPENDING (3) seconds without
 *   a reply, IPv6 after three solicitations, as Linux).  The packets that waited for one are answered then, as
 *   Linux's neigh_invalidate() answers them: an ICMP host unreachable or
 *   ICMPv6 address unreachable to each sender (patch 0057,
 *   rrs_etharp_unresolved(), rrs_nd6_unresolved()), rate-limited as
 *   every error (icmprl.c).
 * - NUD_FAILED: such an address, kept here as Linux keeps it (struct
 *   neigh_failed, NEIGH_FAILED_MAX of them, the oldest going first; Linux
 *   forgets them only when its table passes gc_thresh1, 128), listed
 *   after lwIP's entries unless lwIP resolves it again, told when it
 *   fails (RTM_NEWNEIGH), deleted and flushed as any entry, gone with its
 *   device.
 * Other states (INCOMPLETE, DELAY, PROBE, FAILED, NONE) cannot be set,
 * and devices without link-layer addresses (lo, the host uplink) have no
 * entries: EOPNOTSUPP.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>

#include "lwip/etharp.h"
#include "lwip/icmp.h"
#include "lwip/icmp6.h"
#include "lwip/nd6.h"
#include "lwip/netif.h"
#include "lwip/priv/nd6_priv.h"
#include "lwip/prot/icmp.h"
#include "lwip/prot/icmp6.h"
#include "lwip/prot/ip4.h"
#include "lwip/prot/ip6.h"
#include "lwip/ip.h"

#include "internal.h"
#include "net.h"
#include "netint.h"
#include "vdev.h"
#include "rrs_lwip_hooks.h"

/* lwIP checks ARP_TABLE_SIZE against its index type, not these: nd6_tmr()
 * walks both tables with an s8_t, and at 128 entries never ends. */
_Static_assert(LWIP_ND6_NUM_NEIGHBORS <= 127 && LWIP_ND6_NUM_DESTINATIONS <= 127,
	       "lwIP's IPv6 neighbour and destination caches are indexed by s8_t");

/* The tag lwIP keeps with each entry for us (0 for a learnt one) */
#define TAG_PROTO	0x00ffu		/* NDA_PROTOCOL */
#define TAG_NOARP	0x0100u		/* a static entry reads NUD_NOARP */
#define TAG_ROUTER	0x0200u		/* NTF_ROUTER (not lwIP's isrouter,
					 * whose entries it cannot free) */
#define TAG_NOTROUTER	0x0400u		/* set without NTF_ROUTER: not one
					 * for the RAs taken from it before
					 * (net__ra_router()) */

static uint16_t nud_of(u8_t nd6_state)
{
	switch (nd6_state) {
	case ND6_INCOMPLETE:	return NUD_INCOMPLETE;
	case ND6_REACHABLE:	return NUD_REACHABLE;
	case ND6_STALE:		return NUD_STALE;
	case ND6_DELAY:		return NUD_DELAY;
	case ND6_PROBE:		return NUD_PROBE;
	}
	return 0;
}

static uint16_t nud_of_arp(u8_t kind, u16_t tag)
{
	switch (kind) {
	case ETHARP_ENTRY_PENDING:	return NUD_INCOMPLETE;
	case ETHARP_ENTRY_STABLE:	return NUD_REACHABLE;
	case ETHARP_ENTRY_STALE:	return NUD_STALE;
	case ETHARP_ENTRY_PROBE:	return NUD_PROBE;
	case ETHARP_ENTRY_STATIC:
		return (tag & TAG_NOARP) ? NUD_NOARP : NUD_PERMANENT;
	}
	return 0;
}

static int walk_v4(struct net *n, net_neigh_fn *fn, void *arg)
{
	struct net_neigh nb;
	struct eth_addr *mac;
	struct netif *nif;
	ip4_addr_t *ip;
	size_t i;
	u16_t tag;
	u8_t kind;
	int ret;

	for (i = 0; i < ARP_TABLE_SIZE; i++) {
		kind = etharp_get_entry_kind(i, &ip, &nif, &mac, &tag);
		if (!kind)
			continue;
		memset(&nb, 0, sizeof(nb));
		nb.ifindex = ns__netif_ifindex(n->ns, nif);
		if (!nb.ifindex)
			continue;
		nb.family = AF_INET;
		memcpy(nb.addr, &ip->addr, 4);
		nb.state = nud_of_arp(kind, tag);
		if (kind != ETHARP_ENTRY_PENDING) {
			memcpy(nb.lladdr, mac->addr, 6);
			nb.has_lladdr = true;
		}
		nb.router = (tag & TAG_ROUTER) != 0;
		nb.protocol = (uint8_t)(tag & TAG_PROTO);
		if ((ret = fn(arg, &nb)))
			return ret;
	}
	return 0;
}

static int walk_v6(struct net *n, net_neigh_fn *fn, void *arg)
{
	const struct nd6_neighbor_cache_entry *e;
	struct net_neigh nb;
	size_t i;
	int ret;

	for (i = 0; i < LWIP_ND6_NUM_NEIGHBORS; i++) {
		e = &neighbor_cache[i];
		if (!nud_of(e->state))
			continue;
		memset(&nb, 0, sizeof(nb));
		nb.ifindex = ns__netif_ifindex(n->ns, e->netif);
		if (!nb.ifindex)
			continue;
		nb.family = AF_INET6;
		memcpy(nb.addr, e->next_hop_address.addr, 16);
		nb.state = nud_of(e->state);
		if (e->is_static)
			nb.state = (e->tag & TAG_NOARP) ? NUD_NOARP : NUD_PERMANENT;
		if (e->state != ND6_INCOMPLETE) {
			memcpy(nb.lladdr, e->lladdr, 6);
			nb.has_lladdr = true;
		}
		nb.router = e->isrouter || (e->tag & TAG_ROUTER) ||
			    (!(e->tag & TAG_NOTROUTER) &&
			     net__ra_router(n, nb.ifindex, nb.addr));
		nb.protocol = (uint8_t)(e->tag & TAG_PROTO);
		if ((ret = fn(arg, &nb)))
			return ret;
	}
	return 0;
}

/* Whether lwIP holds an entry of @family for @addr on @ifindex. */
static int lwip_match(void *arg, const struct net_neigh *nb)
{
	const struct neigh_failed *f = arg;

	return nb->ifindex == f->ifindex &&
	       !memcmp(nb->addr, f->addr, f->family == AF_INET ? 4 : 16);
}

static bool lwip_has(struct net *n, const struct neigh_failed *f)
{
	return f->family == AF_INET ? walk_v4(n, lwip_match, (void *)f) != 0 :
				      walk_v6(n, lwip_match, (void *)f) != 0;
}

/* The FAILED entries of @family; one lwIP resolves again is forgotten
 * (it is lwIP's entry now, and fails anew if it does). */
static int walk_failed(struct net *n, uint8_t family, net_neigh_fn *fn,
		       void *arg)
{
	struct net_neigh nb;
	size_t i;
	int ret;

	for (i = 0; i < NEIGH_FAILED_MAX; i++) {
		struct neigh_failed *f = &n->failed[i];

		if (!f->ifindex || f->family != family)
			continue;
		if (lwip_has(n, f)) {
			f->ifindex = 0;
			continue;
		}
		memset(&nb, 0, sizeof(nb));
		nb.ifindex = f->ifindex;
		nb.family = family;
		memcpy(nb.addr, f->addr, sizeof(nb.addr));
		nb.state = NUD_FAILED;
		if ((ret = fn(arg, &nb)))
			return ret;
	}
	return 0;
}

/* Forget the FAILED entry of @family for @addr on @ifindex (0: every
 * one of the device; @family 0: both families). */
static void failed_forget(struct net *n, uint8_t family, uint32_t ifindex,
			  const uint8_t *addr)
{
	size_t i;

	for (i = 0; i < NEIGH_FAILED_MAX; i++) {
		struct neigh_failed *f = &n->failed[i];

		if (f->ifindex == ifindex && (!family || f->family == family) &&
		    (!addr || !memcmp(f->addr, addr, f->family == AF_INET ? 4 : 16)))
			f->ifindex = 0;
	}
}

/* lwIP gave @addr up (patch 0057): keep it as FAILED, and tell. */
static void failed_add(struct netif *netif, uint8_t family, const uint8_t *addr)
{
	struct net *n = net__hook();
	struct neigh_failed *f = NULL;
	struct net_neigh nb;
	uint32_t ifindex;
	size_t i, alen = family == AF_INET ? 4 : 16;

	if (!n || !(ifindex = ns__netif_ifindex(n->ns, netif)))
		return;
	for (i = 0; i < NEIGH_FAILED_MAX; i++) {
		struct neigh_failed *g = &n->failed[i];

		if (g->ifindex == ifindex && g->family == family &&
		    !memcmp(g->addr, addr, alen)) {
			f = g;
			break;
		}
		if (!f || (f->ifindex && (!g->ifindex || g->seq < f->seq)))
			f = g;	/* a free slot, else the oldest */
	}
	memset(f, 0, sizeof(*f));
	f->ifindex = ifindex;
	f->family = family;
	memcpy(f->addr, addr, alen);
	f->seq = ++n->failed_seq;
	memset(&nb, 0, sizeof(nb));
	nb.ifindex = ifindex;
	nb.family = family;
	memcpy(nb.addr, addr, alen);
	nb.state = NUD_FAILED;
	net__emit_neigh(n, &nb, false);
}

/**
 * rrs_etharp_failed() - LWIP_HOOK_ETHARP_FAILED: ARP gave @addr up
 * @netif:	its device
 * @addr:	the address
 */
void rrs_etharp_failed(struct netif *netif, const ip4_addr_t *addr)
{
	failed_add(netif, AF_INET, (const uint8_t *)&addr->addr);
}

/**
 * rrs_nd6_failed() - LWIP_HOOK_ND6_FAILED: neighbour discovery gave @addr up
 * @netif:	its device
 * @addr:	the address
 */
void rrs_nd6_failed(struct netif *netif, const ip6_addr_t *addr)
{
	failed_add(netif, AF_INET6, (const uint8_t *)addr->addr);
}

/**
 * net_neigh_walk() - call @fn for each neighbour entry, IPv4 then IPv6
 * @n:		the network
 * @family:	AF_INET, AF_INET6, or 0 for both
 * @fn:		called per entry; a non-zero return stops the walk
 * @arg:	passed to @fn
 *
 * Return: 0, or what @fn returned to stop the walk
 */
int net_neigh_walk(struct net *n, uint8_t family, net_neigh_fn *fn, void *arg)
{
	int ret = 0;

	if (family != AF_INET6)
		ret = walk_v4(n, fn, arg);
	if (!ret && family != AF_INET6)
		ret = walk_failed(n, AF_INET, fn, arg);
	if (!ret && family != AF_INET)
		ret = walk_v6(n, fn, arg);
	if (!ret && family != AF_INET)
		ret = walk_failed(n, AF_INET6, fn, arg);
	return ret;
}

struct neigh_find {
	uint32_t ifindex;
	const uint8_t *addr;
	size_t alen;
	struct net_neigh *out;
};

static int neigh_match(void *arg, const struct net_neigh *nb)
{
	struct neigh_find *f = arg;

	if (nb->ifindex != f->ifindex || memcmp(nb->addr, f->addr, f->alen))
		return 0;
	*f->out = *nb;
	return 1;
}

/**
 * net_neigh_get() - the entry of a device for an address
 * @n:		the network
 * @family:	AF_INET or AF_INET6
 * @ifindex:	the device
 * @addr:	the address (4 or 16 bytes)
 * @out:	the entry
 *
 * Return: 0, or -ENOENT
 */
int net_neigh_get(struct net *n, uint8_t family, uint32_t ifindex,
		  const uint8_t *addr, struct net_neigh *out)
{
	struct neigh_find f = { ifindex, addr, family == AF_INET ? 4 : 16, out };

	if (family != AF_INET && family != AF_INET6)
		return -ENOENT;
	return net_neigh_walk(n, family, neigh_match, &f) ? 0 : -ENOENT;
}

/* The device's lwIP netif when it has a neighbour table (a link-layer
 * address: ARP and neighbour discovery), else NULL */
static struct netif *table_netif(struct net *n, uint32_t ifindex)
{
	struct net_dev *d = net__dev(n, ifindex);
	struct netif *nif = d ? vdev_netif(d->vdev) : NULL;

	if (!nif || d->loopback || !(nif->flags & NETIF_FLAG_ETHARP) ||
	    nif->hwaddr_len != 6)
		return NULL;
	return nif;
}

static void to_ip6(const uint8_t *addr, struct netif *nif, ip6_addr_t *a)
{
	memset(a, 0, sizeof(*a));
	memcpy(a->addr, addr, 16);
	ip6_addr_assign_zone(a, IP6_UNICAST, nif);
}

/* Put @nb into lwIP's table: 0, or a negative errno with @err */
static int program(struct netif *nif, const struct net_neigh *nb, char *err,
		   size_t errlen)
{
	bool stat = nb->state == NUD_PERMANENT || nb->state == NUD_NOARP;
	u16_t tag = nb->protocol | (nb->state == NUD_NOARP ? TAG_NOARP : 0);
	ip6_addr_t a6;
	ip4_addr_t a4;
	err_t e;

	tag |= nb->router ? TAG_ROUTER : TAG_NOTROUTER;
	if (nb->family == AF_INET) {
		memcpy(&a4.addr, nb->addr, 4);
		e = etharp_set_entry(nif, &a4, (const struct eth_addr *)nb->lladdr,
				     stat ? ETHARP_ENTRY_STATIC :
				     nb->state == NUD_STALE ? ETHARP_ENTRY_STALE :
				     ETHARP_ENTRY_STABLE, tag);
	} else {
		to_ip6(nb->addr, nif, &a6);
		e = ip6_addr_ismulticast(&a6) || ip6_addr_isany(&a6) ? ERR_ARG :
		    nd6_set_neighbor(nif, &a6, nb->lladdr,
				     nb->state == NUD_STALE ? ND6_STALE : ND6_REACHABLE,
				     stat, tag);
	}
	if (e == ERR_OK)
		return 0;
	if (e == ERR_MEM) {
		net__seterr(err, errlen, "rrsandbox: neighbour table full (%d IPv4, %d IPv6 entries)",
			    ARP_TABLE_SIZE, LWIP_ND6_NUM_NEIGHBORS);
		return -ENOBUFS;
	}
	if (e == ERR_USE) {
		net__seterr(err, errlen, "rrsandbox: the address has a neighbour entry on another device");
		return -EOPNOTSUPP;
	}
	net__seterr(err, errlen, "rrsandbox: no neighbour entries for broadcast, multicast or unspecified addresses");
	return -EOPNOTSUPP;
}

/**
 * net__neigh_ra() - what a Router Advertisement tells of its sender, as
 * ndisc_router_discovery()'s ndisc_update() takes it (NUD_STALE, with
 * NEIGH_UPDATE_F_WEAK_OVERRIDE, _OVERRIDE, _OVERRIDE_ISROUTER, _ISROUTER)
 * @n:		the network
 * @ifindex:	the device it came in on
 * @addr:	the router's (link-local) address
 * @lladdr:	its source link-layer address option's, or NULL
 * @new_router:	the device took no RA from it before (net__ra_router()
 *		now says NTF_ROUTER for it)
 *
 * A new or changed link-layer address makes the entry STALE (made when
 * there is none; an incomplete one sends what waited); the same one
 * leaves its state alone; either way it is a router's (an entry set by
 * hand without NTF_ROUTER becomes one again); a permanent or noarp entry
 * is never touched.  A change, the router flag's too, is told as
 * RTM_NEWNEIGH.  No option and no entry: Linux makes one in NUD_NONE,
 * which nothing lists; none here.
 */
void net__neigh_ra(struct net *n, uint32_t ifindex, const uint8_t *addr,
		   const uint8_t *lladdr, bool new_router)
{
	struct netif *nif = table_netif(n, ifindex);
	struct net_neigh old, nb;
	bool found;

	if (!nif)
		return;
	found = !net_neigh_get(n, AF_INET6, ifindex, addr, &old);
	if (found && (old.state & (NUD_PERMANENT | NUD_NOARP)))
		return;
	if (lladdr && !(found && old.has_lladdr &&
			!memcmp(old.lladdr, lladdr, 6))) {
		memset(&nb, 0, sizeof(nb));
		nb.family = AF_INET6;
		nb.ifindex = ifindex;
		memcpy(nb.addr, addr, 16);
		nb.has_lladdr = true;
		memcpy(nb.lladdr, lladdr, 6);
		nb.state = NUD_STALE;
		nb.router = true;
		nb.protocol = found ? old.protocol : 0;
		if (program(nif, &nb, NULL, 0))
			return;		/* table full: as Linux's, no entry */
	} else if (found && old.has_lladdr && !old.router) {
		nb = old;
		nb.router = true;
		if (program(nif, &nb, NULL, 0))
			return;
	} else if (!found || !new_router) {
		return;
	}
	if (!net_neigh_get(n, AF_INET6, ifindex, addr, &old))
		net__emit_neigh(n, &old, false);
}

static bool settable(uint16_t state)
{
	return state == NUD_PERMANENT || state == NUD_NOARP ||
	       state == NUD_REACHABLE || state == NUD_STALE;
}

/**
 * net_neigh_set() - add or change a neighbour entry (neigh_add())
 * @n:		the network
 * @req:	the entry: device, address, state, link-layer address when
 *		@req->has_lladdr (else the entry's), router flag, protocol
 *		(0: the entry's)
 * @nlflags:	NLM_F_CREATE (add if missing), NLM_F_EXCL (refuse an
 *		existing one), NLM_F_REPLACE (override its link-layer address
 *		and router flag)
 * @err:	set to the reason on failure
 * @errlen:	size of @err
 *
 * An existing entry changed without NLM_F_REPLACE keeps a link-layer
 * address that differs (nothing changes) and its router flag, as
 * __neigh_update() without NEIGH_UPDATE_F_OVERRIDE.  A change is told as
 * RTM_NEWNEIGH when the state, address or router flag changed.
 *
 * Return: 0, -ENODEV, -EEXIST, -ENOENT, -EINVAL (no link-layer address
 * for a new entry, or an IPv6 one on a device with IPv6 off), -ENOBUFS (table full), -EOPNOTSUPP (a state or
 * device the sandbox cannot have)
 */
int net_neigh_set(struct net *n, const struct net_neigh *req,
		  unsigned int nlflags, char *err, size_t errlen)
{
	struct net_neigh old, nb = *req;
	const struct net_dev *d;
	bool found, valid;
	struct netif *nif;
	int ret;

	if (!n || !req || (req->family != AF_INET && req->family != AF_INET6))
		return -EINVAL;
	if (!(d = net__dev(n, req->ifindex)))
		return -ENODEV;
	if (req->family == AF_INET6 && net__v6_disabled(d)) {
		/* ndisc_allow_add(), before any lookup: no entry is added or
		 * changed while the device has IPv6 off */
		net__seterr(err, errlen, "IPv6 is disabled on this device");
		return -EINVAL;
	}
	nif = table_netif(n, req->ifindex);
	if (!nif) {
		net__seterr(err, errlen, "rrsandbox: the device has no neighbour table (no link-layer address)");
		return -EOPNOTSUPP;
	}
	found = !net_neigh_get(n, req->family, req->ifindex, req->addr, &old);
	if (found && (nlflags & NLM_F_EXCL))
		return -EEXIST;
	if (!found && !(nlflags & NLM_F_CREATE))
		return -ENOENT;
	if (!settable(req->state)) {
		net__seterr(err, errlen, "rrsandbox: neighbour state 0x%x cannot be set (permanent, noarp, reachable, stale can)",
			    req->state);
		return -EOPNOTSUPP;
	}
	valid = found && old.has_lladdr;	/* NUD_VALID */
	if (!req->has_lladdr) {
		if (!valid) {
			net__seterr(err, errlen, "No link layer address given");
			return -EINVAL;
		}
		memcpy(nb.lladdr, old.lladdr, 6);
	}
	if (valid && !(nlflags & NLM_F_REPLACE)) {
		if (memcmp(nb.lladdr, old.lladdr, 6))
			return 0;	/* no override: nothing changes */
		nb.router = old.router;
	}
	if (!nb.protocol && found)
		nb.protocol = old.protocol;
	if ((ret = program(nif, &nb, err, errlen)))
		return ret;
	if (valid && old.state == nb.state && old.router == nb.router &&
	    !memcmp(old.lladdr, nb.lladdr, 6))
		return 0;
	if (!net_neigh_get(n, nb.family, nb.ifindex, nb.addr, &old))
		net__emit_neigh(n, &old, false);
	return 0;
}

/**
 * net_neigh_use() - RTM_NEWNEIGH with NTF_USE: resolve the neighbour, as
 *		     neigh_add() calls neigh_event_send()
 * @n:		the network
 * @family:	AF_INET or AF_INET6
 * @ifindex:	the device
 * @addr:	the address
 * @nlflags:	NLM_F_CREATE (else an unknown neighbour is ENOENT), NLM_F_EXCL
 *		(a known one is EEXIST)
 * @err:	set to the reason on failure
 * @errlen:	size of @err
 *
 * An entry with no link-layer address yet (or none at all) is resolved:
 * lwIP makes it pending and asks (ARP request, neighbour solicitation);
 * an IPv6 one gone stale is probed, as Linux's.  A resolved entry is left
 * alone (lwIP asks again before it expires).  zebra sends these for the
 * next hops its clients name (ospfd's neighbours), every second or so.
 *
 * Return: 0, -ENODEV, -ENOENT, -EEXIST, -EINVAL (IPv6 off), -EOPNOTSUPP
 * (no neighbour table on the device)
 */
int net_neigh_use(struct net *n, uint8_t family, uint32_t ifindex,
		  const uint8_t *addr, unsigned int nlflags, char *err,
		  size_t errlen)
{
	struct net_neigh old;
	const struct net_dev *d;
	const u8_t *hw;
	struct netif *nif;
	ip6_addr_t a6;
	ip4_addr_t a4;
	bool found;

	if (!n || !addr || (family != AF_INET && family != AF_INET6))
		return -EINVAL;
	if (!(d = net__dev(n, ifindex)))
		return -ENODEV;
	if (family == AF_INET6 && net__v6_disabled(d)) {
		net__seterr(err, errlen, "IPv6 is disabled on this device");
		return -EINVAL;
	}
	nif = table_netif(n, ifindex);
	if (!nif) {
		net__seterr(err, errlen, "rrsandbox: the device has no neighbour table (no link-layer address)");
		return -EOPNOTSUPP;
	}
	found = !net_neigh_get(n, family, ifindex, addr, &old);
	if (found && (nlflags & NLM_F_EXCL))
		return -EEXIST;
	if (!found && !(nlflags & NLM_F_CREATE))
		return -ENOENT;
	if (family == AF_INET) {
		if (found && old.has_lladdr)
			return 0;
		memcpy(&a4.addr, addr, 4);
		etharp_query(nif, &a4, NULL);
	} else {
		if (found && old.has_lladdr && old.state != NUD_STALE)
			return 0;
		to_ip6(addr, nif, &a6);
		(void)nd6_get_next_hop_addr_or_queue(nif, NULL, &a6, &hw);
	}
	return 0;
}

/**
 * net_neigh_del() - remove a neighbour entry in any state (neigh_delete())
 * @n:		the network
 * @family:	AF_INET or AF_INET6
 * @ifindex:	the device
 * @addr:	the address
 * @err:	set to the reason on failure
 * @errlen:	size of @err
 *
 * Told as Linux tells it: an RTM_NEWNEIGH in NUD_FAILED (when it was
 * resolved or being resolved), then its RTM_DELNEIGH.
 *
 * Return: 0, -ENODEV, -ENOENT
 */
int net_neigh_del(struct net *n, uint8_t family, uint32_t ifindex,
		  const uint8_t *addr, char *err, size_t errlen)
{
	struct net_neigh old;
	struct netif *nif;
	ip6_addr_t a6;
	ip4_addr_t a4;
	bool told;

	(void)err;
	(void)errlen;
	if (!n || !addr)
		return -EINVAL;
	if (!net__dev(n, ifindex))
		return -ENODEV;
	nif = table_netif(n, ifindex);
	if (!nif || net_neigh_get(n, family, ifindex, addr, &old))
		return -ENOENT;
	failed_forget(n, family, ifindex, addr);
	if (old.state == NUD_FAILED) {	/* no lwIP entry: told gone */
		net__emit_neigh(n, &old, true);
		return 0;
	}
	if (family == AF_INET) {
		memcpy(&a4.addr, addr, 4);
		etharp_remove_entry(nif, &a4);
	} else {
		to_ip6(addr, nif, &a6);
		nd6_remove_neighbor(nif, &a6);
	}
	/* __neigh_update() to NUD_FAILED tells a valid entry's change, and an
	 * INCOMPLETE one's through neigh_invalidate() */
	told = old.has_lladdr || old.state == NUD_INCOMPLETE;
	old.state = NUD_FAILED;
	old.has_lladdr = false;
	if (told)
		net__emit_neigh(n, &old, false);
	net__emit_neigh(n, &old, true);
	return 0;
}

struct dev_gone {
	struct net *n;
	uint32_t ifindex;
};

static int tell_gone(void *arg, const struct net_neigh *nb)
{
	struct dev_gone *g = arg;

	if (nb->ifindex == g->ifindex)
		net__emit_neigh(g->n, nb, true);
	return 0;
}

/**
 * net__neigh_dev_gone() - a device goes down or away, or turns IPv6 off:
 *			   its entries go, permanent ones too, each told,
 *			   as Linux's neigh_ifdown() does
 * @n:		the network
 * @ifindex:	the device
 * @family:	AF_INET6 for the IPv6 entries only (disable_ipv6:
 *		rt6_disable_ip()), 0 for all
 *
 * lwIP drops a netif's entries when it goes down, but not those added
 * while it was down (as Linux keeps them): they are dropped here, so that
 * none outlives its netif.
 */
void net__neigh_dev_gone(struct net *n, uint32_t ifindex, uint8_t family)
{
	struct dev_gone g = { n, ifindex };
	struct net_dev *d = net__dev(n, ifindex);
	struct netif *nif = d ? vdev_netif(d->vdev) : NULL;

	net_neigh_walk(n, family, tell_gone, &g);
	failed_forget(n, family, ifindex, NULL);
	if (!nif)
		return;
	if (family != AF_INET6 && (nif->flags & NETIF_FLAG_ETHARP))
		etharp_cleanup_netif(nif);
	nd6_cleanup_netif(nif);
}

/* ---- next hops that never answered (patch 0057) ---- */

/* Whether ICMP @type is an error, as Linux's icmp_pointers[].error, an
 * unknown one (past NR_ICMP_TYPES, 18) counting as one. */
static bool icmp4_is_error(uint8_t type)
{
	return type > 18 || type == ICMP_DUR || type == ICMP_SQ ||
	       type == ICMP_RD || type == ICMP_TE || type == ICMP_PP;
}

/**
 * rrs_etharp_unresolved() - LWIP_HOOK_ETHARP_UNRESOLVED: an ICMP host
 *			      unreachable for a packet whose next hop never
 *			      answered ARP
 * @netif:	the device it was to leave by
 * @p:		the packet, payload at its IPv4 header; still lwIP's
 *
 * As Linux's arp_error_report() (icmp_send()'s checks): never for a
 * fragment but the first, for an ICMP error or a packet from no unicast
 * source.  The reply comes from the address the route back chooses.
 */
void rrs_etharp_unresolved(struct netif *netif, struct pbuf *p)
{
	const struct ip_hdr *h = p->payload;
	uint8_t type;
	ip4_addr_t src;
	uint16_t hl;

	if (p->len < IP_HLEN || IPH_V(h) != 4)
		return;
	hl = IPH_HL_BYTES(h);
	if (hl < IP_HLEN || p->tot_len < hl ||
	    (IPH_OFFSET(h) & PP_HTONS(IP_OFFMASK)))
		return;
	ip4_addr_copy(src, h->src);
	if (ip4_addr_isany_val(src) || ip4_addr_ismulticast(&src) ||
	    ip4_addr_isbroadcast_u32(src.addr, netif) ||
	    ip4_addr_get_u32(&src) == IPADDR_BROADCAST)
		return;
	if (IPH_PROTO(h) == IP_PROTO_ICMP &&
	    (pbuf_copy_partial(p, &type, 1, hl) != 1 || icmp4_is_error(type)))
		return;
	icmp_dest_unreach(p, ICMP_DUR_HOST);
}

/**
 * rrs_nd6_unresolved() - LWIP_HOOK_ND6_UNRESOLVED: an ICMPv6 address
 *			   unreachable for a packet whose next hop never
 *			   answered neighbour solicitations
 * @netif:	the device it was to leave by (a link-local source's zone)
 * @p:		the packet, payload at its IPv6 header; still lwIP's
 *
 * As Linux's ndisc_error_report() (icmp6_send()'s checks): never for a
 * packet to a group, from the unspecified address or a group, or for an
 * ICMPv6 error (one right after the header; lwIP does not skip
 * extension headers here).
 */
void rrs_nd6_unresolved(struct netif *netif, struct pbuf *p)
{
	const struct ip6_hdr *h = p->payload;
	ip6_addr_t src, dst;
	uint8_t type;

	if (p->len < IP6_HLEN || IP6H_V(h) != 6)
		return;
	ip6_addr_copy_from_packed(src, h->src);
	ip6_addr_copy_from_packed(dst, h->dest);
	if (ip6_addr_ismulticast(&dst) || ip6_addr_isany(&src) ||
	    ip6_addr_ismulticast(&src))
		return;
	if (IP6H_NEXTH(h) == IP6_NEXTH_ICMP6 &&
	    (pbuf_copy_partial(p, &type, 1, IP6_HLEN) != 1 || type < 128))
		return;
	icmp6_dest_unreach_later(p, ICMP6_DUR_ADDRESS, netif);
}

/* ---- what lwIP learns, told (`ip monitor neigh`) ---- */

/*
 * struct neigh_watch - the tables as last told, while a netlink socket
 * listens to RTNLGRP_NEIGH
 *
 * lwIP changes its entries in many places (an ARP reply, a neighbour
 * advertisement, its timers, an eviction) and tells no one.  While
 * someone listens, the tables are compared after each turn of the loop
 * (a uv_check handle: it runs only when the loop woke for something) with
 * what was told, and each difference told as Linux tells it
 * (__neigh_update(), neigh_timer_handler(), neigh_cleanup_and_release()):
 * an entry resolved or learnt with its address, one that becomes
 * REACHABLE or PROBE, a new link-layer address or router flag, one gone
 * (RTM_DELNEIGH); not an INCOMPLETE one (Linux tells none), nor the
 * timers' moves to STALE and DELAY.  What neigh.c changes or removes
 * itself it tells at once (net__emit_neigh()), and that is what is
 * remembered then (net__neigh_told()).  No listener: no handle, no cost.
 */
struct neigh_watch {
	uv_check_t check;
	struct net *n;
	unsigned int users;
	struct net_neigh *told;
	size_t n_told, cap;
};

static bool same_neigh(const struct net_neigh *a, const struct net_neigh *b)
{
	return a->family == b->family && a->ifindex == b->ifindex &&
	       !memcmp(a->addr, b->addr, a->family == AF_INET ? 4 : 16);
}

static struct net_neigh *told_find(struct neigh_watch *w,
				   const struct net_neigh *nb)
{
	size_t i;

	for (i = 0; i < w->n_told; i++)
		if (same_neigh(&w->told[i], nb))
			return &w->told[i];
	return NULL;
}

/* Remember @nb as told (@gone: as gone); false when out of memory */
static bool told_set(struct neigh_watch *w, const struct net_neigh *nb,
		     bool gone)
{
	struct net_neigh *t = told_find(w, nb), *grown;

	if (gone) {
		if (t)
			*t = w->told[--w->n_told];
		return true;
	}
	if (t) {
		*t = *nb;
		return true;
	}
	if (w->n_told == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 64;

		grown = realloc(w->told, cap * sizeof(*grown));
		if (!grown)
			return false;
		w->told = grown;
		w->cap = cap;
	}
	w->told[w->n_told++] = *nb;
	return true;
}

/* Whether Linux tells the move from @old (NULL: no entry) to @nb */
static bool worth_telling(const struct net_neigh *old, const struct net_neigh *nb)
{
	if (nb->state == NUD_INCOMPLETE || nb->state == NUD_FAILED)
		return false;	/* none; FAILED is told where it is made */
	if (!old)
		return true;
	if (old->has_lladdr != nb->has_lladdr || old->router != nb->router ||
	    (nb->has_lladdr && memcmp(old->lladdr, nb->lladdr, 6)))
		return true;
	return old->state != nb->state &&
	       (nb->state == NUD_REACHABLE || nb->state == NUD_PROBE);
}

struct walk_now {
	struct net_neigh *v;
	size_t n, cap;
	bool oom;
};

static int collect(void *arg, const struct net_neigh *nb)
{
	struct walk_now *c = arg;
	struct net_neigh *grown;

	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 64;

		grown = realloc(c->v, cap * sizeof(*grown));
		if (!grown) {
			c->oom = true;
			return 1;
		}
		c->v = grown;
		c->cap = cap;
	}
	c->v[c->n++] = *nb;
	return 0;
}

/* The tables now, both families; false when out of memory */
static bool tables_now(struct net *n, struct walk_now *c)
{
	memset(c, 0, sizeof(*c));
	if (net_neigh_walk(n, AF_INET, collect, c) ||
	    net_neigh_walk(n, AF_INET6, collect, c) || c->oom) {
		free(c->v);
		return false;
	}
	return true;
}

static void on_check(uv_check_t *h)
{
	struct neigh_watch *w = h->data;
	struct net_neigh *t, gone;
	struct walk_now now;
	size_t i, k;

	if (!tables_now(w->n, &now))
		return;		/* told next turn */
	for (i = 0; i < now.n; i++) {
		t = told_find(w, &now.v[i]);
		if (t && !memcmp(t, &now.v[i], sizeof(*t)))
			continue;
		if (worth_telling(t, &now.v[i]))
			net__emit_neigh(w->n, &now.v[i], false);	/* remembers */
		else
			told_set(w, &now.v[i], false);
	}
	for (i = 0; i < w->n_told;) {
		for (k = 0; k < now.n && !same_neigh(&w->told[i], &now.v[k]); k++)
			;
		if (k < now.n) {
			i++;
			continue;
		}
		gone = w->told[i];
		/* which takes it out of told[]: the same i comes next */
		net__emit_neigh(w->n, &gone, true);
		if (i < w->n_told && same_neigh(&w->told[i], &gone))
			i++;
	}
	free(now.v);
}

/**
 * net_neigh_watch() - one more (@on) or one fewer listener to the
 * neighbour group; the tables are watched while there is one
 * @n:		the network
 * @on:		true: one more
 */
void net_neigh_watch(struct net *n, bool on)
{
	struct neigh_watch *w = n->nwatch;
	struct walk_now now;

	if (on && w) {
		w->users++;
		return;
	}
	if (on) {
		w = calloc(1, sizeof(*w));
		if (!w)
			return;		/* told nothing learnt, as before */
		if (!tables_now(n, &now)) {
			free(w);
			return;
		}
		w->told = now.v;
		w->n_told = w->cap = now.n;
		w->n = n;
		w->users = 1;
		uv_check_init(n->loop, &w->check);
		w->check.data = w;
		uv_check_start(&w->check, on_check);
		n->nwatch = w;
		return;
	}
	if (!w || --w->users)
		return;
	net__neigh_unwatch(n);
}

static void watch_closed(uv_handle_t *h)
{
	free(h->data);
}

/* Stop watching (the last listener left, or the network goes). */
void net__neigh_unwatch(struct net *n)
{
	struct neigh_watch *w = n->nwatch;

	if (!w)
		return;
	n->nwatch = NULL;
	uv_check_stop(&w->check);
	free(w->told);
	w->told = NULL;
	uv_close((uv_handle_t *)&w->check, watch_closed);
}

/* net__emit_neigh() told @nb (@gone: its removal): remembered as told */
void net__neigh_told(struct net *n, const struct net_neigh *nb, bool gone)
{
	if (n->nwatch)
		told_set(n->nwatch, nb, gone);
}
