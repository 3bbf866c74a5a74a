/* SPDX-License-Identifier: MIT */
/*
 * icmprl.c - rate limits on the ICMP and ICMPv6 errors the stack sends,
 * as Linux 6.18's icmp_send() and icmp6_send() apply them with a new
 * network namespace's defaults.
 *
 * Two limits, both token buckets (lwIP asks through patch 0054 before it
 * builds an error):
 *  - per destination (inet_peer_xrlim_allow()): a peer earns a token
 *    every icmp_ratelimit (IPv4 1000 ms, IPv6 100 ms) and holds at most
 *    6 (XRLIM_BURST_FACTOR), so 100 datagrams to a closed port draw 6
 *    port unreachables, then one a second (IPv6 ten);
 *  - for the whole stack (icmp_global_allow(), shared by both families):
 *    icmp_msgs_per_sec 1000, icmp_msgs_burst 50; credit is refilled only
 *    when it has run out and 20 ms have passed, and each error sent
 *    spends one (Linux spends 0 to 2 at random, one on average).
 * Which errors: those in icmp_ratemask (IPv4 destination unreachable but
 * "fragmentation needed", source quench, time exceeded, parameter
 * problem) and icmpv6 ratemask 0-1,3-127 (every ICMPv6 error but packet
 * too big).  Errors that leave by the loopback are never limited.
 * Refused ones count in /proc/net/snmp's OutRateLimitGlobal and
 * OutRateLimitHost and snmp6's Icmp6OutRateLimitHost.
 *
 * The sysctls that set these are not the sandbox's (they read the
 * host's files; writing them changes nothing here).  Peers live in a
 * table of PEERS entries: one idle for 6 periods has a full bucket, the
 * same as a new one, and is reused first; when none is, the least
 * recently used goes, which only makes the limit looser.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "lwip/icmp.h"
#include "lwip/ip4_addr.h"
#include "lwip/ip6_addr.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/prot/ip4.h"
#include "lwip/prot/icmp.h"
#include "lwip/prot/icmp6.h"
#include "lwip/sys.h"

#include "internal.h"
#include "netint.h"
#include "rrs_lwip_hooks.h"

#define PEERS		256
#define BURST		6	/* XRLIM_BURST_FACTOR */
#define RATE4_MS	1000	/* net.ipv4.icmp_ratelimit */
#define RATE6_MS	100	/* net.ipv6.icmp.ratelimit */
#define MASK4		0x1818	/* net.ipv4.icmp_ratemask: 3, 4, 11, 12 */
#define MSGS_PER_SEC	1000	/* net.ipv4.icmp_msgs_per_sec */
#define MSGS_BURST	50	/* net.ipv4.icmp_msgs_burst */

struct peer {
	bool used, v6;
	uint8_t addr[16];
	uint32_t tokens;	/* ms earned, at most BURST periods */
	uint32_t last;		/* sys_now() of the last error asked for */
};

static struct {
	struct peer peers[PEERS];
	int32_t credit;
	uint32_t stamp;
	bool started;
} rl;

struct icmp_rl_counts icmp_rl_counts;

/* Linux's icmp_global_allow(): whether the stack may send one more */
static bool global_allow(uint32_t now)
{
	uint32_t delta;

	if (!rl.started) {	/* a new namespace: the first call fills it */
		rl.started = true;
		rl.stamp = now - 1000;
	}
	if (rl.credit > 0)
		return true;
	delta = now - rl.stamp;
	if (delta > 1000)
		delta = 1000;
	if (delta < 20)		/* HZ / 50 */
		return false;
	rl.stamp = now;
	rl.credit += (int32_t)(MSGS_PER_SEC * delta / 1000);
	if (rl.credit > MSGS_BURST)
		rl.credit = MSGS_BURST;
	return true;
}

/* @addr's entry: found, else a free or full one, else the least recent */
static struct peer *peer_of(bool v6, const uint8_t *addr, uint32_t now,
			    uint32_t period)
{
	struct peer *p, *pick = NULL;

	for (p = rl.peers; p < rl.peers + PEERS; p++) {
		if (p->used && p->v6 == v6 && !memcmp(p->addr, addr, v6 ? 16 : 4))
			return p;
		if (!p->used || now - p->last >= BURST * period) {
			if (!pick || pick->used)
				pick = p;
		} else if (!pick || (pick->used && now - p->last > now - pick->last)) {
			pick = p;
		}
	}
	memset(pick, 0, sizeof(*pick));
	pick->used = true;
	pick->v6 = v6;
	memcpy(pick->addr, addr, v6 ? 16 : 4);
	pick->tokens = BURST * period;	/* Linux: rate_last 60 s ago */
	pick->last = now;
	return pick;
}

/* inet_peer_xrlim_allow(): spend a period's worth of @p's tokens */
static bool peer_allow(struct peer *p, uint32_t now, uint32_t period)
{
	uint32_t tokens = p->tokens + (now - p->last);

	p->last = now;
	if (tokens > BURST * period || tokens < p->tokens)
		tokens = BURST * period;
	p->tokens = tokens;
	if (tokens < period)
		return false;
	p->tokens -= period;
	return true;
}

/* The global limit, then the peer's (Linux 6.12+'s order), each refusal
 * counted where Linux counts it */
static bool allow(bool v6, const uint8_t *dest)
{
	uint32_t now = sys_now(), period = v6 ? RATE6_MS : RATE4_MS;

	if (!global_allow(now)) {
		icmp_rl_counts.global++;
		return false;
	}
	if (!peer_allow(peer_of(v6, dest, now, period), now, period)) {
		if (v6)
			icmp_rl_counts.host6++;
		else
			icmp_rl_counts.host4++;
		return false;
	}
	rl.credit--;
	return true;
}

static bool is_lo(struct net *n, const struct netif *netif)
{
	return netif && n->ns->lo && netif == vdev_netif(n->ns->lo);
}

/**
 * rrs_icmp4_err_allow() - LWIP_HOOK_ICMP_ERR_ALLOW (patch 0054): may an
 *			   ICMP error about @p go out now
 * @p:		the packet the error is about, payload at its IP header
 * @type:	the error's type
 * @code:	its code
 *
 * Return: nonzero to send it
 */
int rrs_icmp4_err_allow(struct pbuf *p, unsigned char type, unsigned char code)
{
	struct net *n = net__hook();
	const struct ip_hdr *h = p->payload;
	ip4_addr_t src, dest;

	if (!n || type > 31 || !((1u << type) & MASK4) ||
	    (type == ICMP_DUR && code == ICMP_DUR_FRAG))
		return 1;
	if (p->len < IP_HLEN)
		return 1;
	ip4_addr_copy(src, h->src);
	ip4_addr_copy(dest, h->dest);
	/* the lookup icmp_send_response() makes for the reply */
	if (is_lo(n, rrs_ip4_route(&dest, &src)))
		return 1;
	return allow(false, (const uint8_t *)&src.addr);
}

/**
 * rrs_icmp6_err_allow() - LWIP_HOOK_ICMP6_ERR_ALLOW (patch 0054): may an
 *			   ICMPv6 error go to @dest by @netif now
 * @type:	the error's type
 * @dest:	where it goes (the offending packet's source)
 * @netif:	the device it leaves by
 *
 * Return: nonzero to send it
 */
int rrs_icmp6_err_allow(unsigned char type, const ip6_addr_t *dest,
			struct netif *netif)
{
	struct net *n = net__hook();

	if (!n || type == ICMP6_TYPE_PTB || type >= 128 || is_lo(n, netif))
		return 1;
	return allow(true, (const uint8_t *)dest->addr);
}
