/* SPDX-License-Identifier: MIT */
/*
 * router.h - the sandbox's routing tables: longest-prefix match for IPv4
 * and IPv6, several tables, route types, metrics, weighted ECMP, and the
 * connected and local routes that addresses imply.
 *
 * Called by netstack/ (lwIP's routing hooks, rtnetlink) and through it by
 * cli/ (control commands).  router/ knows nothing of lwIP, sockets or
 * devices beyond an interface index: it stores routes, answers lookups and
 * tells one listener of every change.  Field values follow Linux's
 * rtnetlink (<linux/rtnetlink.h>): RTN_* types, RTPROT_* protocols,
 * RT_SCOPE_* scopes, table ids, RTNH_F_* next-hop flags, so netstack/
 * copies them to and from netlink messages unchanged.
 *
 * Addresses are in network byte order, 4 bytes (IPv4) or 16 (IPv6), held
 * in 16-byte arrays; bytes past the family's length are zero.
 */
#ifndef RRS_ROUTER_H
#define RRS_ROUTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RT_TABLE_DEFAULT_ID	253
#define RT_TABLE_MAIN_ID	254
#define RT_TABLE_LOCAL_ID	255
#define RT_MAX_NEXTHOPS		32	/* per multipath route */

struct rt_set;

/**
 * struct rt_nexthop - one way out of a route
 * @ifindex:	output device, 0 for none (only for routes without next hops)
 * @gw:		gateway address; all zero: on-link
 * @has_gw:	whether @gw is set (0.0.0.0 is never a gateway)
 * @gw_family:	@gw's family: 0 (given) or the route's family, or AF_INET6
 *		for an IPv4 route through an IPv6 gateway (RTA_VIA, RFC
 *		5549); reported as the gateway's family, 0 when no @gw
 * @flags:	RTNH_F_ONLINK, RTNH_F_DEAD, RTNH_F_LINKDOWN as Linux shows them
 * @weight:	1..256 (rtnh_hops + 1); 1 for single-path routes
 */
struct rt_nexthop {
	uint32_t ifindex;
	uint8_t gw[16];
	bool has_gw;
	uint8_t gw_family;
	uint8_t flags;
	uint16_t weight;
};

/**
 * struct rt_route - one route, as given to and reported by the router
 * @family:	AF_INET or AF_INET6
 * @dst_len:	prefix length, 0..32 or 0..128
 * @type:	RTN_UNICAST, RTN_LOCAL, RTN_BROADCAST, RTN_MULTICAST,
 *		RTN_BLACKHOLE, RTN_UNREACHABLE, RTN_PROHIBIT, RTN_THROW
 * @protocol:	RTPROT_* (who installed it: kernel 2, boot 3, static 4,
 *		bird 12, ...); kept and reported, never interpreted
 * @scope:	RT_SCOPE_UNIVERSE, _LINK, _HOST, ...
 * @tos:	IPv4 TOS key (0 for IPv6)
 * @flags:	rtm_flags as given (RTM_F_*, RTNH_F_ONLINK); reported back
 * @table:	table id, 1..2^32-1 (253 default, 254 main, 255 local)
 * @priority:	metric; lower wins among routes of the same prefix
 * @dst:	the prefix; host bits must be zero
 * @prefsrc:	preferred source address (RTA_PREFSRC) when @has_prefsrc
 * @mtu:	RTAX_MTU, 0 for none
 * @n_nh:	number of next hops: 0 for blackhole, unreachable,
 *		prohibit and throw; 1 or more for the others
 * @nh:		the next hops; more than one makes a multipath route
 */
struct rt_route {
	uint8_t family;
	uint8_t dst_len;
	uint8_t type;
	uint8_t protocol;
	uint8_t scope;
	uint8_t tos;
	uint32_t flags;
	uint32_t table;
	uint32_t priority;
	uint8_t dst[16];
	uint8_t prefsrc[16];
	bool has_prefsrc;
	uint32_t mtu;
	uint16_t n_nh;
	struct rt_nexthop nh[RT_MAX_NEXTHOPS];
};

/* rt_add() flags: the NLM_F_* values of RTM_NEWROUTE, with their meaning */
#define RT_ADD_REPLACE	0x100	/* NLM_F_REPLACE: replace the first match */
#define RT_ADD_EXCL	0x200	/* NLM_F_EXCL: fail with -EEXIST on a match */
#define RT_ADD_CREATE	0x400	/* NLM_F_CREATE: create if there is none */
#define RT_ADD_APPEND	0x800	/* NLM_F_APPEND: add after the matches */

/* rt_del() match mask: which fields besides table/family/dst/dst_len must
 * be equal (the attributes the RTM_DELROUTE request carried) */
#define RT_MATCH_TYPE		0x01
#define RT_MATCH_PROTOCOL	0x02
#define RT_MATCH_SCOPE		0x04
#define RT_MATCH_TOS		0x08
#define RT_MATCH_PRIORITY	0x10
#define RT_MATCH_OIF		0x20	/* nh[0].ifindex among the next hops */
#define RT_MATCH_GW		0x40	/* nh[0].gw among the next hops */

/* Events given to the listener */
enum rt_event {
	RT_EV_NEW,	/* a route was added, or replaced one (then RT_EV_DEL
			 * is not sent for the old one, as Linux) */
	RT_EV_DEL,	/* a route was removed */
};

typedef void rt_notify_fn(void *arg, enum rt_event ev, const struct rt_route *r);
/* Return non-zero to stop the walk; rt_walk() then returns that value. */
typedef int rt_walk_fn(void *arg, const struct rt_route *r);

/**
 * struct rt_result - what a lookup found
 * @route:	the route that matched (all its next hops)
 * @nh:		index into @route.nh of the next hop chosen for the flow
 *		(weighted by the flow hash); meaningless when n_nh is 0
 */
/*
 * Lookups: @table 0 means Linux's default rules (local, then main, then
 * default); any other id searches that table alone.  rt_lookup() returns 0
 * with the matching route whatever its type, or -ENETUNREACH when nothing
 * matches.  rt_lookup_fast() is the per-packet form for lwIP's hooks: no
 * copy of the route; it returns the route's type (RTN_UNICAST, RTN_LOCAL,
 * RTN_BROADCAST, RTN_MULTICAST, all > 0) with the chosen next hop in a
 * struct rt_hop, or the error a Linux sender gets: -ENETUNREACH (no
 * route), -EHOSTUNREACH (unreachable), -EACCES (prohibit), -EINVAL
 * (blackhole).
 */
struct rt_result {
	struct rt_route route;
	unsigned int nh;
};

/**
 * struct rt_hop - the next hop rt_lookup_fast() chose
 * @ifindex:	its device (0 on errors)
 * @gw_family:	0 when on-link (or on errors), else @gw's family: the
 *		route's, or AF_INET6 for an IPv4 route through an IPv6
 *		gateway (RTA_VIA)
 * @gw:		the gateway, 16 bytes, bytes past its family's length zero;
 *		all zero when on-link
 */
struct rt_hop {
	uint32_t ifindex;
	uint8_t gw_family;
	uint8_t gw[16];
};

/**
 * struct rt_stats - sizes, for `show routes` summaries and benchmarks
 * @routes:	routes stored, all tables and families
 * @bytes:	heap bytes the router holds for them (tables, lookup
 *		structures, route records)
 */
struct rt_stats {
	size_t routes;
	size_t bytes;
};

int rt_set_new(struct rt_set **out);
void rt_set_free(struct rt_set *s);
void rt_set_notify(struct rt_set *s, rt_notify_fn *fn, void *arg);
void rt_set_stats(const struct rt_set *s, struct rt_stats *out);

int rt_add(struct rt_set *s, const struct rt_route *r, unsigned int flags);
int rt_del(struct rt_set *s, const struct rt_route *match, unsigned int mask);

int rt_lookup(const struct rt_set *s, uint32_t table, uint8_t family,
	      const uint8_t *addr, uint32_t flow_hash, struct rt_result *res);
int rt_lookup_fast(const struct rt_set *s, uint32_t table, uint8_t family,
		   const uint8_t *addr, uint32_t flow_hash, struct rt_hop *hop);

int rt_walk(const struct rt_set *s, uint32_t table, uint8_t family,
	    const struct rt_route *after, rt_walk_fn *fn, void *arg);

void rt_set_loopback(struct rt_set *s, uint32_t ifindex);
int rt_addr_add(struct rt_set *s, uint32_t ifindex, uint8_t family,
		const uint8_t *addr, uint8_t plen, const uint8_t *peer,
		bool link_up);
int rt_addr_del(struct rt_set *s, uint32_t ifindex, uint8_t family,
		const uint8_t *addr, uint8_t plen, const uint8_t *peer);
void rt_link_down(struct rt_set *s, uint32_t ifindex);
void rt_flush_prefsrc(struct rt_set *s, uint8_t family, const uint8_t *addr,
		      uint32_t ifindex);
void rt_link_gone(struct rt_set *s, uint32_t ifindex);

#endif /* RRS_ROUTER_H */
