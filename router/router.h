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
#define RT_METRIC_MAX		17	/* RTAX_FASTOPEN_NO_COOKIE, Linux's RTAX_MAX */

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
 * @metrics:	the other RTAX_* metrics by type, 0 for not set: RTAX_LOCK
 *		holds the lock bits (1 << RTAX_*); RTAX_MTU and RTAX_CC_ALGO
 *		are @mtu and @cc_algo.  Kept and reported, never interpreted
 * @cc_algo:	RTAX_CC_ALGO, a congestion control's name, "" for none
 * @realm:	RTA_FLOW (IPv4 realms), 0 for none; reported only
 * @pref:	IPv6 router preference (RTA_PREF: 0 medium, 1 high, 3 low)
 * @n_nh:	number of next hops: 0 for blackhole, unreachable,
 *		prohibit and throw; 1 or more for the others
 * @nhid:	the nexthop object (`ip nexthop`) the route uses, 0 for
 *		none; @nh then holds its next hops (a group's members), as
 *		netstack/ expands them, and follows it (rt_nhid_set())
 * @nh_blackhole: a unicast route that is a blackhole (RTN_BLACKHOLE, no
 *		next hop) because its nexthop object is one
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
	uint32_t metrics[RT_METRIC_MAX + 1];
	char cc_algo[16];
	uint32_t realm;
	uint8_t pref;
	uint16_t n_nh;
	uint32_t nhid;
	bool nh_blackhole;
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
#define RT_MATCH_NHID		0x80	/* the same nexthop object (nhid) */

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

/**
 * struct rt_rule - one routing rule (Linux's fib rule), as given to and
 *		    reported by the router.  Lookups through table 0 walk
 *		    the family's rules by ascending @priority: the first
 *		    that matches the packet and whose action finds a route
 *		    (or fails) decides, as fib_rules_lookup().
 * @family:	AF_INET or AF_INET6
 * @action:	FR_ACT_TO_TBL (look up @table), FR_ACT_GOTO (go on at the
 *		first rule of priority @target), FR_ACT_NOP, or
 *		FR_ACT_BLACKHOLE, FR_ACT_UNREACHABLE, FR_ACT_PROHIBIT (fail
 *		with -EINVAL, -ENETUNREACH, -EACCES)
 * @src_len:	source prefix length (0: any source)
 * @dst_len:	destination prefix length (0: any destination)
 * @tos:	IPv4 TOS the packet must have, 0 for any
 * @protocol:	RTPROT_* of who added it (FRA_PROTOCOL); reported only
 * @flags:	FIB_RULE_INVERT ("not": the rule matches what its
 *		selectors do not); the router reports the detached and
 *		unresolved flags itself
 * @priority:	0..2^32-1; rules of equal priority keep the order added
 * @table:	the table of FR_ACT_TO_TBL
 * @target:	the priority FR_ACT_GOTO goes on at (above @priority)
 * @mark:	fwmark the packet must have under @mark_mask (the
 *		sandbox's packets have mark 0)
 * @mark_mask:	0 for no fwmark selector
 * @realm:	FRA_FLOW, reported only
 * @suppress_prefixlen: -1, or: a route this rule found with a prefix
 *		this long or shorter does not count (the lookup goes on)
 * @src:	the source prefix, as given (host bits kept, as Linux)
 * @dst:	the destination prefix, as given
 * @iifname:	input device the packet must have come in on ("" for any);
 *		the sandbox's own packets come from the loopback
 * @oifname:	output device a socket bound to one asks for ("" for any)
 * @iif:	@iifname's ifindex, 0 while no such device exists (the rule
 *		is detached and matches nothing); kept by rt_rule_dev()
 * @oif:	the same for @oifname
 * @ip_proto:	IPPROTO_* the packet must carry (FRA_IP_PROTO), 0 for any
 * @sport:	source port range [start, end] (FRA_SPORT_RANGE), {0, 0}
 *		for any; a set range is 1..65534, as fib_rule_port_range_valid()
 * @dport:	the same for the destination port
 * @uid_set:	@uid is a selector (FRA_UID_RANGE); Linux's unset range,
 *		0..~0, is never dumped
 * @uid:	the uid range [start, end] the packet's socket owner must be in
 */
struct rt_rule {
	uint8_t family;
	uint8_t action;
	uint8_t src_len;
	uint8_t dst_len;
	uint8_t tos;
	uint8_t protocol;
	uint32_t flags;
	uint32_t priority;
	uint32_t table;
	uint32_t target;
	uint32_t mark;
	uint32_t mark_mask;
	uint32_t realm;
	int32_t suppress_prefixlen;
	uint8_t src[16];
	uint8_t dst[16];
	char iifname[16];
	char oifname[16];
	uint32_t iif;
	uint32_t oif;
	uint8_t ip_proto;
	bool uid_set;
	uint16_t sport[2];
	uint16_t dport[2];
	uint32_t uid[2];
};

/* rt_rule_del() match mask: the fields the request gave (rule_find()) */
#define RT_RULE_ACTION		0x001
#define RT_RULE_TABLE		0x002
#define RT_RULE_PRIORITY	0x004
#define RT_RULE_IIF		0x008
#define RT_RULE_OIF		0x010
#define RT_RULE_MARK		0x020
#define RT_RULE_MASK		0x040
#define RT_RULE_SUPPRESS	0x080
#define RT_RULE_PROTOCOL	0x100
#define RT_RULE_SRC		0x200
#define RT_RULE_DST		0x400
#define RT_RULE_TOS		0x800
#define RT_RULE_REALM		0x1000
#define RT_RULE_IPPROTO		0x2000
#define RT_RULE_SPORT		0x4000
#define RT_RULE_DPORT		0x8000
#define RT_RULE_UID		0x10000

/**
 * struct rt_flow - what rules match a packet on, besides its destination
 * @src:	its source (4 or 16 bytes), NULL when not chosen yet
 * @iif:	the device it came in on; the loopback's for the sandbox's
 *		own packets, as Linux's output lookups
 * @oif:	the device its socket is bound to, 0 for none
 * @tos:	IPv4 TOS
 * @mark:	its fwmark: 0 for every packet of the sandbox (setting
 *		SO_MARK needs CAP_NET_ADMIN); `ip route get ... mark N` asks
 * @proto:	its L4 protocol (IPPROTO_*), 0 when unknown, as flowi's
 *		flowi_proto
 * @sport:	its source port, host order; 0 when unknown or none (a
 *		fragment, a protocol without ports)
 * @dport:	its destination port, the same
 * @uid:	the uid of its socket's owner (Linux's sk_uid); 0 for packets
 *		no socket sends and forwarded ones, ~0 (INVALID_UID) for
 *		`ip route get ... iif DEV` without a uid
 *
 * A zeroed flow is what Linux's kernel-internal lookups use.
 */
struct rt_flow {
	const uint8_t *src;
	uint32_t iif;
	uint32_t oif;
	uint8_t tos;
	uint8_t proto;
	uint16_t sport;
	uint16_t dport;
	uint32_t mark;
	uint32_t uid;
};

typedef void rt_rule_notify_fn(void *arg, enum rt_event ev, const struct rt_rule *r);
typedef int rt_rule_walk_fn(void *arg, const struct rt_rule *r, uint32_t frh_flags);

int rt_set_new(struct rt_set **out);
void rt_set_free(struct rt_set *s);
void rt_set_notify(struct rt_set *s, rt_notify_fn *fn, void *arg);
void rt_set_stats(const struct rt_set *s, struct rt_stats *out);

int rt_add(struct rt_set *s, const struct rt_route *r, unsigned int flags);
int rt_del(struct rt_set *s, const struct rt_route *match, unsigned int mask);
bool rt_route_exists(const struct rt_set *s, const struct rt_route *m, unsigned int mask);

int rt_lookup(const struct rt_set *s, uint32_t table, uint8_t family,
	      const uint8_t *addr, uint32_t flow_hash, struct rt_result *res);
int rt_lookup_fast(const struct rt_set *s, uint32_t table, uint8_t family,
		   const uint8_t *addr, uint32_t flow_hash, struct rt_hop *hop);

int rt_walk(const struct rt_set *s, uint32_t table, uint8_t family,
	    const struct rt_route *after, rt_walk_fn *fn, void *arg);

/*
 * Rules (rule.c).  A set starts with Linux's default rules: priority 0
 * table local, 32766 main, and for IPv4 32767 default; they can be
 * deleted and others added.  rt_route_fast() and rt_route() are the
 * lookups through the rules for a flow (@fl NULL: the sandbox's own
 * packet with no source chosen yet); lookups of table 0 are the same
 * with @fl NULL.  While a family has only its default rules, they cost
 * nothing over the tables' own lookups.  rt_rule_add() with @excl fails
 * with -EEXIST when an equal rule exists; a rule without a priority
 * (@has_priority false) gets the one below the second rule's, as
 * fib_default_rule_pref().  rt_rule_del() removes the first rule equal in
 * the RT_RULE_* fields of @mask (-ENOENT when none).  rt_rule_dev() tells
 * the rules that device @ifindex is now called @name (NULL: it is gone).
 */
void rt_set_rule_notify(struct rt_set *s, rt_rule_notify_fn *fn, void *arg);
bool rt_rules_default(const struct rt_set *s, uint8_t family);
uint32_t rt_rule_flags(const struct rt_set *s, const struct rt_rule *r);
int rt_rule_add(struct rt_set *s, struct rt_rule *r, bool has_priority, bool excl);
int rt_rule_del(struct rt_set *s, const struct rt_rule *match, unsigned int mask);
int rt_rule_walk(const struct rt_set *s, uint8_t family, size_t skip,
		 rt_rule_walk_fn *fn, void *arg);
void rt_rule_dev(struct rt_set *s, uint32_t ifindex, const char *name);
uint32_t rt_rule_free_table(struct rt_set *s);
bool rt_table_exists(const struct rt_set *s, uint8_t family, uint32_t id);
size_t rt_table_ids(const struct rt_set *s, uint8_t family, uint32_t *ids,
		    size_t max);
int rt_table_make(struct rt_set *s, uint8_t family, uint32_t id);
bool rt_covered_via(const struct rt_set *s, uint32_t table, uint8_t family,
		    const uint8_t *addr, uint32_t oif);
bool rt_find_via(const struct rt_set *s, uint32_t table, uint8_t family,
		 const uint8_t *addr, uint32_t oif, struct rt_route *out);
bool rt_prefix_exists(const struct rt_set *s, uint32_t table, uint8_t family,
		      const uint8_t *dst, uint8_t len);
int rt_route_fast(const struct rt_set *s, uint8_t family, const uint8_t *addr,
		  const struct rt_flow *fl, uint32_t flow_hash, struct rt_hop *hop);
int rt_lookup_scoped(const struct rt_set *s, uint32_t table, uint8_t family,
		     const uint8_t *addr, uint8_t scope, uint32_t oif,
		     struct rt_result *res);
int rt_route(const struct rt_set *s, uint8_t family, const uint8_t *addr,
	     const struct rt_flow *fl, uint32_t flow_hash, struct rt_result *res);

void rt_set_loopback(struct rt_set *s, uint32_t ifindex);
int rt_addr_add(struct rt_set *s, uint32_t ifindex, uint8_t family,
		const uint8_t *addr, uint8_t plen, const uint8_t *peer,
		bool link_up);
/* rt_addr_add_flags(): the address adds no connected route (Linux's
 * IFA_F_NOPREFIXROUTE); its local and broadcast routes stay */
#define RT_ADDR_NOPREFIXROUTE	0x1
int rt_addr_add_flags(struct rt_set *s, uint32_t ifindex, uint8_t family,
		      const uint8_t *addr, uint8_t plen, const uint8_t *peer,
		      bool link_up, unsigned int flags);
int rt_addr_del(struct rt_set *s, uint32_t ifindex, uint8_t family,
		const uint8_t *addr, uint8_t plen, const uint8_t *peer);
int rt_dev_mroute_add(struct rt_set *s, uint32_t ifindex);
int rt_dev_acast_add(struct rt_set *s, uint32_t ifindex, const uint8_t *addr);
int rt_dev_acast_del(struct rt_set *s, uint32_t ifindex, const uint8_t *addr);
void rt_link_down(struct rt_set *s, uint32_t ifindex);
void rt_link_flush_family(struct rt_set *s, uint32_t ifindex, uint8_t family);
void rt_flush_prefsrc(struct rt_set *s, uint8_t family, const uint8_t *addr,
		      uint32_t ifindex);
void rt_link_gone(struct rt_set *s, uint32_t ifindex);
void rt_nhid_set(struct rt_set *s, uint32_t nhid, const struct rt_route *to);

#endif /* RRS_ROUTER_H */
