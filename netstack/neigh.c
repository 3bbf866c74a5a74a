/* SPDX-License-Identifier: MIT */
/*
 * neigh.c - the sandbox's neighbour tables as `ip neigh` sees them (net.h).
 *
 * The tables are lwIP's own: the ARP cache (etharp.c) for IPv4 and the
 * neighbour cache (nd6.c) for IPv6, shared by every device of the stack.
 * This file only reads them, entry by entry, and names each entry's device
 * by its ifindex; nothing here changes them (RTM_NEWNEIGH and RTM_DELNEIGH
 * are not supported).
 *
 * States as Linux's NUD_*: lwIP's IPv6 states are Linux's (RFC 4861);
 * its ARP entries are resolved (NUD_REACHABLE, until ARP_MAXAGE) or
 * pending (NUD_INCOMPLETE, without a link-layer address: patch 0038's
 * etharp_get_pending(); lwIP forgets them after ARP_MAXPENDING seconds
 * without a reply, where Linux keeps them as NUD_FAILED).
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/neighbour.h>

#include "lwip/etharp.h"
#include "lwip/netif.h"
#include "lwip/priv/nd6_priv.h"

#include "internal.h"
#include "net.h"
#include "netint.h"

/* lwIP checks ARP_TABLE_SIZE against its index type, not these: nd6_tmr()
 * walks both tables with an s8_t, and at 128 entries never ends. */
_Static_assert(LWIP_ND6_NUM_NEIGHBORS <= 127 && LWIP_ND6_NUM_DESTINATIONS <= 127,
	       "lwIP's IPv6 neighbour and destination caches are indexed by s8_t");

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

static int walk_v4(struct net *n, net_neigh_fn *fn, void *arg)
{
	struct net_neigh nb;
	struct eth_addr *mac;
	struct netif *nif;
	ip4_addr_t *ip;
	size_t i;
	int ret;

	for (i = 0; i < ARP_TABLE_SIZE; i++) {
		bool resolved = etharp_get_entry(i, &ip, &nif, &mac);

		if (!resolved && !etharp_get_pending(i, &ip, &nif))
			continue;
		memset(&nb, 0, sizeof(nb));
		nb.ifindex = ns__netif_ifindex(n->ns, nif);
		if (!nb.ifindex)
			continue;
		nb.family = AF_INET;
		memcpy(nb.addr, &ip->addr, 4);
		nb.state = resolved ? NUD_REACHABLE : NUD_INCOMPLETE;
		if (resolved) {
			memcpy(nb.lladdr, mac->addr, 6);
			nb.has_lladdr = true;
		}
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
		if (e->state != ND6_INCOMPLETE) {
			memcpy(nb.lladdr, e->lladdr, 6);
			nb.has_lladdr = true;
		}
		nb.router = e->isrouter != 0;
		if ((ret = fn(arg, &nb)))
			return ret;
	}
	return 0;
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
	if (!ret && family != AF_INET)
		ret = walk_v6(n, fn, arg);
	return ret;
}
