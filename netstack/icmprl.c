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
 * The sysctls that set them are the sandbox's (procnet.c serves them
 * with these values, as a new namespace has them, and takes writes in
 * Linux's formats and ranges): net.ipv4.icmp_ratelimit,
 * icmp_ratemask, icmp_msgs_per_sec, icmp_msgs_burst, net.ipv6.icmp.ratelimit
 * and ratemask (a list of types and ranges, "0-1,3-127").  Peers live
 * in a table of PEERS entries: one idle for 6 periods has a full bucket,
 * the same as a new one, and is reused first; when none is, the least
 * recently used goes, which only makes the limit looser.
 *
 * Two more ICMPv6 sysctls live here, served the same way: those of echo
 * requests to an anycast address, net.ipv6.icmp.echo_ignore_anycast and
 * net.ipv6.anycast_src_echo_reply (icmp_echo_anycast(), asked by
 * anycast.c for patch 0056).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

/* The sysctls, by the path below /proc/sys/net; a new namespace's
 * values.  @min, @max: proc_dointvec_minmax()'s (the ms ones refuse a
 * negative value too), proc_dou8vec_minmax()'s 0..255 for the two of
 * anycast echo requests (anycast.c); the ICMPv6 mask is mask6[] */
enum { RATE4, MASK4, MSGS_PER_SEC, MSGS_BURST, RATE6, MASK6,
       ECHO_IGN_ANY6, ANY_SRC6, NKEYS };
static struct {
	const char *path;
	int v, min, max;
} keys[NKEYS] = {
	[RATE4] = { "ipv4/icmp_ratelimit", 1000, 0, INT_MAX },
	[MASK4] = { "ipv4/icmp_ratemask", 0x1818, INT_MIN, INT_MAX },	/* 3, 4, 11, 12 */
	[MSGS_PER_SEC] = { "ipv4/icmp_msgs_per_sec", 1000, 0, INT_MAX },
	[MSGS_BURST] = { "ipv4/icmp_msgs_burst", 50, 0, INT_MAX },
	[RATE6] = { "ipv6/icmp/ratelimit", 100, 0, INT_MAX },
	[MASK6] = { "ipv6/icmp/ratemask", 0, 0, 0 },
	[ECHO_IGN_ANY6] = { "ipv6/icmp/echo_ignore_anycast", 0, 0, 255 },
	[ANY_SRC6] = { "ipv6/anycast_src_echo_reply", 0, 0, 255 },
};
/* ICMPv6 types limited: 0-1,3-127 (every error but packet too big) */
static uint8_t mask6[32] = {
	0xfb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};

struct peer {
	bool used, v6;
	uint8_t addr[16];
	uint64_t tokens;	/* ms earned, at most BURST periods */
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
	int64_t incr;

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
	incr = (int64_t)keys[MSGS_PER_SEC].v * delta / 1000;
	if (!incr)
		return false;
	rl.stamp = now;
	incr += rl.credit;
	rl.credit = (int32_t)(incr > keys[MSGS_BURST].v ? keys[MSGS_BURST].v : incr);
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
		if (!p->used || now - p->last >= (uint64_t)BURST * period) {
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
	pick->tokens = (uint64_t)BURST * period;	/* Linux: rate_last 60 s ago */
	pick->last = now;
	return pick;
}

/* inet_peer_xrlim_allow(): spend a period's worth of @p's tokens */
static bool peer_allow(struct peer *p, uint32_t now, uint32_t period)
{
	uint64_t tokens = p->tokens + (now - p->last);

	p->last = now;
	if (tokens > (uint64_t)BURST * period)	/* icmp_ratelimit may be 2^31 - 1 */
		tokens = (uint64_t)BURST * period;
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
	uint32_t now = sys_now(), period = (uint32_t)keys[v6 ? RATE6 : RATE4].v;

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

	if (!n || type > 31 || !((1u << type) & (unsigned int)keys[MASK4].v) ||
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

	if (!n || !(mask6[type / 8] & (1u << (type % 8))) || is_lo(n, netif))
		return 1;
	return allow(true, (const uint8_t *)dest->addr);
}

/* ---- the sysctls (procnet.c) ---- */

/**
 * icmp_sysctl_find() - which of the rate limits' sysctls a path names
 * @comp:	its components below /proc/sys/net ("ipv4", "icmp_ratelimit")
 * @n:		how many
 *
 * Return: its key, or -1
 */
int icmp_sysctl_find(const char *const *comp, size_t n)
{
	char path[64];
	size_t i, len = 0;
	int k;

	for (i = 0; i < n && len < sizeof(path); i++)
		len += (size_t)snprintf(path + len, sizeof(path) - len, "%s%s",
					i ? "/" : "", comp[i]);
	if (len >= sizeof(path))
		return -1;
	for (k = 0; k < NKEYS; k++)
		if (!strcmp(path, keys[k].path))
			return k;
	return -1;
}

/**
 * icmp_sysctl_name() - might @last (a path's last component) be one?
 */
bool icmp_sysctl_name(const char *last)
{
	int k;

	for (k = 0; k < NKEYS; k++)
		if (!strcmp(strrchr(keys[k].path, '/') + 1, last))
			return true;
	return false;
}

/**
 * icmp_sysctl_dotted() - key @k as sysctl(8) names it, without "net."
 * @k:		icmp_sysctl_find()'s
 * @buf:	filled in
 * @size:	its size
 */
void icmp_sysctl_dotted(int k, char *buf, size_t size)
{
	char *p;

	snprintf(buf, size, "%s", keys[k].path);
	for (p = buf; *p; p++)
		if (*p == '/')
			*p = '.';
}

/**
 * icmp_sysctl_print() - key @k's value as Linux prints it: an int, or
 * the ICMPv6 mask as proc_do_large_bitmap() (ranges, "0-1,3-127")
 * @k:		icmp_sysctl_find()'s
 * @f:		where
 */
void icmp_sysctl_print(int k, FILE *f)
{
	int t, end;
	bool first = true;

	if (k != MASK6) {
		fprintf(f, "%d\n", keys[k].v);
		return;
	}
	for (t = 0; t < 256; t = end + 1) {
		end = t;
		if (!(mask6[t / 8] & (1u << (t % 8))))
			continue;
		while (end + 1 < 256 && (mask6[(end + 1) / 8] & (1u << ((end + 1) % 8))))
			end++;
		fprintf(f, first ? "%d" : ",%d", t);
		if (end > t)
			fprintf(f, "-%d", end);
		first = false;
	}
	fputc('\n', f);
}

/* Linux's proc_get_long(): an optional '-', digits in base 10, 8 (0..)
 * or 16 (0x..); *@p moves past them.  0 or -EINVAL */
static int get_long(const char **p, const char *end, long long *v)
{
	char num[24], *e;
	size_t len = 0;
	bool neg = false;
	unsigned long long u;

	if (*p < end && **p == '-') {
		neg = true;
		(*p)++;
	}
	while (*p + len < end && len < sizeof(num) - 1 && isalnum((unsigned char)(*p)[len]))
		len++;
	memcpy(num, *p, len);
	num[len] = '\0';
	if (!len || !isdigit((unsigned char)num[0]))
		return -EINVAL;
	errno = 0;
	u = strtoull(num, &e, 0);
	if (errno || *e || u > (unsigned long long)INT_MAX + neg)
		return -EINVAL;
	*v = neg ? -(long long)u : (long long)u;
	*p += len;
	return 0;
}

/**
 * icmp_sysctl_write() - what a program wrote to key @k, taken as
 * Linux's proc_dointvec_minmax() or proc_do_large_bitmap() take it
 * (blanks before an int, a blank or the end after; the mask: numbers
 * and ranges of 0..255 joined by commas); what Linux refuses changes
 * nothing
 * @k:		icmp_sysctl_find()'s
 * @buf:	what was written
 * @len:	its length
 *
 * Return: 0 or -EINVAL
 */
int icmp_sysctl_write(int k, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	uint8_t m[32] = { 0 };
	long long a, b;

	if (k != MASK6) {
		while (p < end && isspace((unsigned char)*p))
			p++;
		if (get_long(&p, end, &a) || (p < end && !isspace((unsigned char)*p)) ||
		    a < keys[k].min || a > keys[k].max)
			return -EINVAL;
		keys[k].v = (int)a;
		return 0;
	}
	while (p < end && *p != '\n' && *p != '\0') {
		if (get_long(&p, end, &a) || a < 0)
			return -EINVAL;
		b = a;
		if (p < end && *p == '-') {
			p++;
			if (get_long(&p, end, &b) || b < a)
				return -EINVAL;
		}
		if (b > 255)
			return -EINVAL;
		for (; a <= b; a++)
			m[a / 8] |= (uint8_t)(1u << (a % 8));
		if (p < end && *p == ',')
			p++;
		else if (p < end && *p != '\n' && *p != '\0')
			return -EINVAL;
	}
	memcpy(mask6, m, sizeof(mask6));
	return 0;
}

/**
 * icmp_echo_anycast() - what an echo request to an anycast address gets,
 * by net.ipv6.icmp.echo_ignore_anycast and net.ipv6.anycast_src_echo_reply
 * (icmpv6_rcv(), icmpv6_echo_reply(): any value but 0 is on)
 *
 * Return: ICMP_ECHO_ANY_IGNORE, ICMP_ECHO_ANY_SELF (a reply from the
 * anycast address itself) or ICMP_ECHO_ANY_SELECT (from the address
 * source selection picks)
 */
int icmp_echo_anycast(void)
{
	if (keys[ECHO_IGN_ANY6].v)
		return ICMP_ECHO_ANY_IGNORE;
	return keys[ANY_SRC6].v ? ICMP_ECHO_ANY_SELF : ICMP_ECHO_ANY_SELECT;
}
