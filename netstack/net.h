/* SPDX-License-Identifier: MIT */
/*
 * net.h - the sandbox's network as its programs and its operator see it:
 * devices with interface indexes, addresses, routes, pcap taps, and the
 * events that tell of every change.
 *
 * One struct net per sandbox, owned by the stack (ns_net()).  Two callers:
 * the rtnetlink emulation (rtnl.c) and the control commands (cli/).  Both
 * go through these functions, so `ip route add` inside the sandbox and
 * `rrctl route add` outside have one meaning and tell the same listeners.
 * net.c implements it over vdev/ (devices), lwIP's netifs (addresses) and
 * router/ (routes); callers need none of them.
 *
 * Values follow Linux's rtnetlink: IFF_* link flags, ARPHRD_* types,
 * IFA_F_* address flags, RT_SCOPE_* scopes, NLM_F_* request flags.
 * Errors are negative errnos as Linux gives them for the same request;
 * functions that take @err/@errlen also write a one-line reason there
 * (for netlink's extended ack and the control socket's replies).
 */
#ifndef RRS_NET_H
#define RRS_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "router.h"
#include "vdev.h"

struct net;
struct ns;

/* The IFF_* flags a device's owner may set (dev_change_flags(), besides
 * IFF_UP): stored and reported, see docs/architecture.md for what they do */
#define NET_LINK_USER_FLAGS	(IFF_PROMISC | IFF_ALLMULTI | IFF_NOARP | \
				 IFF_MULTICAST | IFF_DEBUG | IFF_NOTRAILERS | \
				 IFF_DYNAMIC | IFF_PORTSEL | IFF_AUTOMEDIA)
#define NET_LINK_ALIAS_MAX	256	/* IFALIASZ, with the NUL */
#define NET_ALTNAME_MAX		128	/* ALTIFNAMSIZ, with the NUL */
/* Devices a sandbox may have, lo included: lwIP numbers netifs in 8 bits */
#define NET_DEVS_MAX		250

/**
 * struct net_link - a device, as a snapshot
 * @ifindex:	interface index, > 0, never reused while the sandbox lives
 * @name:	interface name (IFNAMSIZ)
 * @kind:	"loopback", "link" or "host"
 * @flags:	IFF_UP, IFF_RUNNING, IFF_LOWER_UP, IFF_LOOPBACK,
 *		IFF_BROADCAST, IFF_MULTICAST, IFF_POINTOPOINT, IFF_NOARP as
 *		Linux reports them, and NET_LINK_USER_FLAGS as set
 * @type:	ARPHRD_LOOPBACK, ARPHRD_ETHER, or ARPHRD_NONE (host)
 * @mtu:	the device MTU
 * @mac:	hardware address (all zero for the loopback)
 * @cnt:	packet and byte counters
 * @desc:	backend details for `show links` ("local A remote B",
 *		"N udp flows, ..." of the host uplink)
 * @alias:	IFLA_IFALIAS (`ip link set eth0 alias TEXT`), empty for none
 * @group:	IFLA_GROUP (`ip link set eth0 group 5`), 0 ("default")
 * @promiscuity: IFLA_PROMISCUITY: 1 with IFF_PROMISC (nothing else in
 *		the sandbox asks for it), else 0
 * @allmulti:	IFLA_ALLMULTI: likewise for IFF_ALLMULTI
 * @altnames:	its alternative names (`ip link property add dev eth0
 *		altname NAME`) in the order they were added, each with its
 *		NUL, @altnames_len bytes in all; NULL and 0 for none.  The
 *		bytes are net's: valid until the device next changes, so a
 *		snapshot kept longer must not use them
 */
struct net_link {
	uint32_t ifindex;
	char name[16];
	char kind[12];
	unsigned int flags;
	uint16_t type;
	unsigned int mtu;
	uint8_t mac[6];
	struct vdev_counters cnt;
	char desc[160];
	char alias[NET_LINK_ALIAS_MAX];
	uint32_t group;
	uint32_t promiscuity, allmulti;
	uint32_t carrier_up, carrier_down;	/* transitions of IFF_LOWER_UP */
	bool l3_stats;	/* L3 offload statistics asked for (`ip stats set
			 * dev NAME l3_stats on`); no driver ever uses them */
	const char *altnames;
	size_t altnames_len;
};

/*
 * The ethtool link settings Linux's veth_get_link_ksettings() gives, which
 * the sandbox's link devices have too (SIOCETHTOOL, /sys/class/net/DEV/
 * speed and duplex); lo, dummies and the host uplink have none.
 */
#define NET_LINK_SPEED		10000	/* Mb/s, SPEED_10000 */

static inline bool net_link_has_speed(const struct net_link *l)
{
	return !strcmp(l->kind, "link");
}

/**
 * struct net_link_change - what RTM_NEWLINK or `link set` changes
 * @up:		1 up, 0 down, -1 unchanged
 * @mtu:	new MTU, 0 unchanged
 * @name:	new name, NULL unchanged
 * @flags:	new values of the flags in @change
 * @change:	which of NET_LINK_USER_FLAGS to take from @flags (0: none)
 * @alias:	new alias, "" to remove it, NULL unchanged
 * @set_group:	take @group
 * @group:	new group
 */
struct net_link_change {
	int up;
	unsigned int mtu;
	const char *name;
	unsigned int flags, change;
	const char *alias;
	bool set_group;
	uint32_t group;
};

/**
 * struct net_addr - an interface address
 * @ifindex:	its device
 * @family:	AF_INET or AF_INET6
 * @plen:	prefix length
 * @scope:	RT_SCOPE_UNIVERSE, RT_SCOPE_LINK (fe80::/10), RT_SCOPE_HOST
 *		(127/8, ::1)
 * @flags:	IFA_F_PERMANENT, IFA_F_NODAD, ... as reported
 * @addr:	the address (4 or 16 bytes used; IFA_LOCAL)
 * @broadcast:	IPv4 broadcast address (IFA_BROADCAST) when @has_broadcast
 * @has_peer:	a point-to-point address (`ip addr add A peer P/len`)
 * @peer:	the other end when @has_peer (IFA_ADDRESS; IPv4 takes the
 *		subnet and connected route from it, as Linux's ifa_address)
 * @label:	IPv4 label (IFA_LABEL, `eth0:1`); empty in a request for the
 *		device's name, which net_addr_add() stores then
 * @valid_lft:	seconds the address stays (IFA_CACHEINFO's ifa_valid),
 *		NET_LIFE_FOREVER for ever: in a request as asked (0, with
 *		@preferred_lft 0: none asked, for ever), in a walk or event
 *		what is left, as Linux counts it (inet_fill_ifaddr())
 * @preferred_lft: seconds it stays preferred (then IFA_F_DEPRECATED),
 *		likewise
 * @cstamp:	when it was added, hundredths of a second of the loop's
 *		clock (IFA_CACHEINFO's cstamp)
 * @tstamp:	when its lifetimes were last set, likewise (tstamp)
 * @set_valid:	net.c's own: @valid_lft as set at @tstamp
 * @set_pref:	net.c's own: @preferred_lft as set at @tstamp
 */
#define NET_LIFE_FOREVER	0xffffffffu
struct net_addr {
	uint32_t ifindex;
	uint8_t family;
	uint8_t plen;
	uint8_t scope;
	uint32_t flags;
	uint8_t addr[16];
	uint8_t broadcast[4];
	bool has_broadcast;
	bool has_peer;
	uint8_t peer[16];
	char label[16];
	uint32_t valid_lft, preferred_lft;
	uint32_t cstamp, tstamp;
	uint32_t set_valid, set_pref;
	bool no_prefix;		/* lo's own ::1 (init_loopback()): no prefix
				 * route in main, as Linux 6.18 gives it none
				 * (one added or replaced by hand has one) */
	uint8_t acast;		/* IPv6: the users of its subnet-router
				 * anycast address it holds (anycast.c) */
	bool kept_down;		/* IPv6: kept while its device is down
				 * (Linux's DAD starts again on up) */
	bool ra;		/* IPv6: made from a router advertisement
				 * (ra.c): never IFA_F_PERMANENT ("dynamic"
				 * even for ever), gone when its device goes
				 * down; in a request: ra.c's own */
};

/**
 * struct net_neigh - a neighbour entry (neigh.c), as a snapshot
 * @ifindex:	its device
 * @family:	AF_INET or AF_INET6
 * @addr:	the neighbour's address (4 or 16 bytes used)
 * @lladdr:	its link-layer address, when @has_lladdr
 * @has_lladdr:	resolved (not NUD_INCOMPLETE); in a request, given
 * @state:	NUD_*
 * @router:	a router (NTF_ROUTER)
 * @protocol:	who added it (NDA_PROTOCOL, RTPROT_*), 0 for none
 */
struct net_neigh {
	uint32_t ifindex;
	uint8_t family;
	uint8_t addr[16];
	uint8_t lladdr[6];
	bool has_lladdr;
	uint16_t state;
	bool router;
	uint8_t protocol;
};

/* Events: one per change, after it took effect. */
enum net_event_type {
	NET_EV_NEWLINK,		/* added, or changed (flags, mtu, name) */
	NET_EV_DELLINK,
	NET_EV_NEWADDR,
	NET_EV_DELADDR,
	NET_EV_NEWROUTE,
	NET_EV_DELROUTE,
	NET_EV_NETCONF,		/* a forwarding sysctl changed; a device's
				 * came or went with it */
	NET_EV_NEWRULE,
	NET_EV_DELRULE,
	NET_EV_NEWNEIGH,	/* added or changed by a request */
	NET_EV_DELNEIGH,	/* removed by a request, or with its device */
	NET_EV_NEWPREFIX,	/* a router advertisement's prefix was taken
				 * (ra.c: RTM_NEWPREFIX) */
	NET_EV_NEWNEXTHOP,	/* a nexthop object added or replaced, or a
				 * group that lost a member to a delete */
	NET_EV_DELNEXTHOP,	/* deleted by a request (not with a device) */
	NET_EV_STATS,		/* a device's l3_stats request changed */
};

#define NET_NH_GROUP_MAX	32	/* members of a group: RT_MAX_NEXTHOPS */

/**
 * struct net_nh - a nexthop object (`ip nexthop`, Linux's struct nexthop)
 * @id:		its id, 1..2^32-1
 * @family:	AF_INET or AF_INET6; AF_UNSPEC for a group
 * @scope:	RT_SCOPE_LINK with a gateway, RT_SCOPE_HOST for a device
 *		alone (IPv4), 0 for a group or a blackhole
 * @protocol:	nh_protocol as given (RTPROT_*), reported only
 * @flags:	RTNH_F_ONLINK as given
 * @blackhole:	drops what it is given (NHA_BLACKHOLE)
 * @fdb:	a bridge's FDB nexthop (NHA_FDB): a gateway, no device; no
 *		route may use it
 * @ifindex:	its device (0 for a group, a blackhole, an FDB nexthop)
 * @has_gw:	whether @gw is set
 * @gw:		the gateway, of @family
 * @n_grp:	a group's members (0: not a group)
 * @grp:	their ids and weights (1..65535), as given
 * @made:	when it was made or replaced (net_nh_add()'s count): a
 *		member's groups are told of newest first, as Linux lists them
 */
struct net_nh_member {
	uint32_t id;
	uint16_t weight;
};

struct net_nh {
	uint32_t id;
	uint8_t family;
	uint8_t scope;
	uint8_t protocol;
	uint32_t flags;
	bool blackhole;
	bool fdb;
	uint32_t ifindex;
	bool has_gw;
	uint8_t gw[16];
	uint16_t n_grp;
	struct net_nh_member grp[NET_NH_GROUP_MAX];
	uint64_t made;
};

/**
 * struct net_prefix - a prefix information option a device took, as
 * Linux's inet6_prefix_notify() tells it
 * @ifindex:	the device
 * @plen:	prefix length
 * @flags:	the option's flags byte (L 0x80, A 0x40)
 * @prefix:	the prefix as the option carries it
 * @valid:	its valid lifetime, seconds
 * @preferred:	its preferred lifetime, seconds
 */
struct net_prefix {
	uint32_t ifindex;
	uint8_t plen;
	uint8_t flags;
	uint8_t prefix[16];
	uint32_t valid, preferred;
};

/* struct net_netconf.ifindex of conf/all and conf/default, as Linux's
 * NETCONFA_IFINDEX_ALL and NETCONFA_IFINDEX_DEFAULT */
#define NET_CONF_ALL		(-1)
#define NET_CONF_DEFAULT	(-2)

/**
 * struct net_netconf - a device's netconf values (`ip netconf`), or the
 * one of them that changed
 * @family:	AF_INET or AF_INET6
 * @ifindex:	the device's, NET_CONF_ALL or NET_CONF_DEFAULT
 * @only:	0: a forwarding sysctl changed (or every value, for a get,
 *		a dump, a device added); else the NETCONFA_* that changed
 * @forwarding:	the values (conf/DEV/forwarding, rp_filter, proxy_arp or
 *		proxy_ndp, ignore_routes_with_linkdown, bc_forwarding)
 * @added:	a device's, new with the device (Linux tells all of its
 *		configuration then)
 * @gone:	a device's, gone with the device (the values mean nothing)
 */
struct net_netconf {
	uint8_t family;
	int32_t ifindex;
	uint16_t only;
	int forwarding;
	int rp_filter, proxy_neigh, ignore_linkdown, bc_forwarding;
	bool added, gone;
};

/**
 * struct net_event - one change, as listeners are told of it
 * @type:	what changed
 * @link:	NET_EV_*LINK: the device after (or before its removal);
 *		NET_EV_STATS: the device
 * @addr:	NET_EV_*ADDR: the address
 * @route:	NET_EV_*ROUTE: the route
 * @conf:	NET_EV_NETCONF: the sysctl
 * @rule:	NET_EV_*RULE: the routing rule
 * @neigh:	NET_EV_*NEIGH: the neighbour entry
 * @prefix:	NET_EV_NEWPREFIX: the prefix
 * @nh:		NET_EV_*NEXTHOP: the nexthop object
 * @rule_flags:	NET_EV_*RULE: its FIB_RULE_* flags as a dump shows them
 * @portid:	the nl_pid of the netlink request that caused it, 0 for
 *		none (rrctl, -c, the stack itself): rtnetlink notifications
 *		carry it as nlmsg_pid, as Linux's do
 * @seq:	that request's nlmsg_seq, 0 for none
 */
struct net_event {
	enum net_event_type type;
	union {
		const struct net_link *link;
		const struct net_addr *addr;
		const struct rt_route *route;
		const struct net_netconf *conf;
		const struct rt_rule *rule;
		const struct net_neigh *neigh;
		const struct net_prefix *prefix;
		const struct net_nh *nh;
	};
	uint32_t rule_flags;
	uint32_t portid;
	uint32_t seq;
};

/*
 * Walks call @fn for each item in order (links by ascending ifindex,
 * addresses by ifindex then as added, routes by table, family, prefix) and
 * stop at the first non-zero return, which the walk returns.  A family of
 * 0 means both.  net_route_walk() resumes strictly after @after when it is
 * not NULL (a dump that continues across datagrams).  net_route_get()
 * answers `ip route get`: the route the real lookup finds (@oif 0: any
 * device) and in @src (16 bytes) the source address a socket would use.
 * net_pcap_dir() taps every device, present and future, into DIR/NAME.pcap.
 */
typedef void net_listen_fn(void *arg, const struct net_event *ev);
typedef int net_link_fn(void *arg, const struct net_link *l);
typedef int net_addr_fn(void *arg, const struct net_addr *a);
typedef int net_neigh_fn(void *arg, const struct net_neigh *nb);
typedef int net_nh_fn(void *arg, const struct net_nh *nh);

struct net *ns_net(struct ns *ns);

int net_listen(struct net *n, net_listen_fn *fn, void *arg);
void net_unlisten(struct net *n, net_listen_fn *fn, void *arg);
/* Events until the next call carry @portid and @seq (0, 0: none) */
void net_set_origin(struct net *n, uint32_t portid, uint32_t seq);

int net_link_add(struct net *n, const char *name,
		 const struct vdev_link_opts *o, char *err, size_t errlen);
int net_dummy_add(struct net *n, const char *name, unsigned int mtu,
		  const uint8_t *mac, bool up, char *err, size_t errlen);
int net_link_del(struct net *n, uint32_t ifindex, char *err, size_t errlen);
int net_link_set(struct net *n, uint32_t ifindex,
		 const struct net_link_change *c, char *err, size_t errlen);
int net_link_get(struct net *n, uint32_t ifindex, struct net_link *out);
int net_link_by_name(struct net *n, const char *name, struct net_link *out);
/*
 * Alternative names (Linux's netdev_name_node_alt_create() and _destroy()):
 * net_link_lookup() finds a device by its name or any of its altnames, as
 * Linux's __dev_get_by_name() does, where net_link_by_name() knows the
 * primary names alone (/sys/class/net, the sysctls' directories).
 * net_link_altname_add() and _del() tell no one; net_link_state_change()
 * then tells the device as netdev_state_change() does.
 */
int net_link_lookup(struct net *n, const char *name, struct net_link *out);
/* The name after @p of the @len bytes of NUL-ended names at @list (as
 * struct net_link's @altnames; @p NULL: the first), NULL past the last:
 * for (p = NULL; (p = net_altname_next(l->altnames, l->altnames_len, p));) */
static inline const char *net_altname_next(const char *list, size_t len,
					   const char *p)
{
	p = p ? p + strlen(p) + 1 : list;
	return p && p < list + len ? p : NULL;	/* none: no arithmetic on NULL */
}
int net_link_altname_add(struct net *n, uint32_t ifindex, const char *name);
int net_link_altname_del(struct net *n, uint32_t ifindex, const char *name);
void net_link_state_change(struct net *n, uint32_t ifindex);
int net_link_walk(struct net *n, net_link_fn *fn, void *arg);
int net_link_l3_stats(struct net *n, uint32_t ifindex, bool on);
/*
 * net_link_maddrs() - a device's link-layer multicast addresses in the
 * order of Linux's dev->mc list (33:33:00:00:00:01, then one per IPv4
 * group, then one per IPv6 group; none for lo and devices without ARP):
 * what /proc/net/dev_mcast and `bridge fdb show` list.  Returns how many
 * there are; at most @max are written.
 */
int net_link_maddrs(struct net *n, uint32_t ifindex, uint8_t (*mac)[6], int max);

int net_addr_add(struct net *n, const struct net_addr *a, unsigned int nlflags,
		 char *err, size_t errlen);
int net_addr_del(struct net *n, const struct net_addr *a, char *err,
		 size_t errlen);
int net_addr_walk(struct net *n, uint8_t family, net_addr_fn *fn, void *arg);
void net_neigh_watch(struct net *n, bool on);
int net_neigh_walk(struct net *n, uint8_t family, net_neigh_fn *fn, void *arg);
/*
 * Neighbour entries as Linux's neigh_add() and neigh_delete() change them
 * (neigh.c): net_neigh_get() finds the entry of a device for an address;
 * net_neigh_set() adds or changes one (NUD_PERMANENT, NUD_NOARP,
 * NUD_REACHABLE or NUD_STALE; NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE in
 * @nlflags); net_neigh_del() removes one in any state.
 */
int net_neigh_get(struct net *n, uint8_t family, uint32_t ifindex,
		  const uint8_t *addr, struct net_neigh *out);
int net_neigh_set(struct net *n, const struct net_neigh *nb,
		  unsigned int nlflags, char *err, size_t errlen);
int net_neigh_del(struct net *n, uint8_t family, uint32_t ifindex,
		  const uint8_t *addr, char *err, size_t errlen);
int net_neigh_use(struct net *n, uint8_t family, uint32_t ifindex,
		  const uint8_t *addr, unsigned int nlflags, char *err,
		  size_t errlen);

int net_route_add(struct net *n, const struct rt_route *r, unsigned int nlflags,
		  char *err, size_t errlen);
#define NET_NO_EXPIRY	0xffffffffu	/* RTA_EXPIRES's "never" */
int net_route_add_expires(struct net *n, const struct rt_route *r,
			  unsigned int nlflags, uint32_t expires, char *err,
			  size_t errlen);
int net_route_del(struct net *n, const struct rt_route *match,
		  unsigned int mask, char *err, size_t errlen);
int net_route_walk(struct net *n, uint32_t table, uint8_t family,
		   const struct rt_route *after, rt_walk_fn *fn, void *arg);
int net_route_get(struct net *n, uint8_t family, const uint8_t *dst,
		  uint32_t oif, struct rt_result *res, uint8_t *src);
int net_route_get_from(struct net *n, uint8_t family, const uint8_t *dst,
		       const uint8_t *from, uint32_t oif, uint32_t mark,
		       struct rt_result *res, uint8_t *src);
int net_route_get_flow(struct net *n, uint8_t family, const uint8_t *dst,
		       const struct rt_flow *fl, struct rt_result *res,
		       uint8_t *src);
int net_route_input(struct net *n, uint8_t family, const uint8_t *dst,
		    const uint8_t *from, uint32_t iif, const struct rt_flow *fl,
		    struct rt_result *res, uint32_t *rtcf, bool *fib);
bool net_bcast4(const struct net *n, const uint8_t *dst);
int net_route_output4(struct net *n, const uint8_t *dst, const uint8_t *from,
		      const struct rt_flow *l4, struct rt_result *res,
		      uint8_t *src, uint32_t *rtcf, bool *fib);
/*
 * The socket whose packets lwIP routes between net_own_set() and
 * net_own_clear(): its protocol, ports and owner reach the routing rules
 * (ipproto, sport, dport, uidrange), as Linux's flowi from a socket.
 */
void net_own_set(struct net *n, uint8_t proto, uint16_t sport, uint16_t dport,
		 uint32_t uid);
void net_own_clear(struct net *n);
uint32_t net_own_uid(const struct net *n);
bool net_fib_unmerged(const struct net *n);
uint32_t net_route_expires(struct net *n, const struct rt_route *r);
struct addrlbl_table;
struct addrlbl_table *net_addrlabels(struct net *n);

/*
 * Routing rules (router.h's struct rt_rule): net_rule_add() names the
 * devices of @r->iifname and @r->oifname (a rule naming one that does
 * not exist is added detached, as Linux), gives an IPv4 rule that looks
 * up table 0 an unused table (fib_empty_table()) and refuses it for IPv6;
 * net_rule_del() removes the first rule fitting the RT_RULE_* @mask.
 */
int net_rule_add(struct net *n, struct rt_rule *r, bool has_priority,
		 bool excl, char *err, size_t errlen);
int net_rule_del(struct net *n, const struct rt_rule *match, unsigned int mask,
		 char *err, size_t errlen);
int net_rule_walk(struct net *n, uint8_t family, size_t skip,
		  rt_rule_walk_fn *fn, void *arg);
bool net_table_exists(struct net *n, uint8_t family, uint32_t id);
bool net_prefix_exists(struct net *n, const struct rt_route *r);

/*
 * Nexthop objects (nexthop.c): net_nh_add() adds @nh (id 0: the next
 * unused one, set in @nh->id), or replaces the object of that id with
 * NET_NH_REPLACE (NET_NH_CREATE: or adds it), after the checks Linux makes
 * of its device, gateway and members; net_nh_del() deletes one, the
 * routes on it and its place in groups.  A route names one by its nhid
 * (struct rt_route) and follows it.  net_nh_walk() goes by ascending id,
 * from the first past @after.
 */
#define NET_NH_REPLACE	0x1
#define NET_NH_CREATE	0x2
int net_nh_add(struct net *n, struct net_nh *nh, unsigned int flags,
	       char *err, size_t errlen);
int net_nh_del(struct net *n, uint32_t id);
const struct net_nh *net_nh_get(const struct net *n, uint32_t id);
int net_nh_walk(struct net *n, uint32_t after, net_nh_fn *fn, void *arg);
const struct net_nh *net_nh_view(const struct net *n, const struct rt_route *r,
				 struct rt_route *v, bool *bh);

int net_pcap_start(struct net *n, const char *ifname, const char *path,
		   char *err, size_t errlen);
int net_pcap_stop(struct net *n, const char *ifname, char *err, size_t errlen);
int net_pcap_dir(struct net *n, const char *dir, char *err, size_t errlen);
int net_capture_start(struct net *n, const char *ifname, const char *filter,
		      int fd, vdev_stream_end_fn *end, void *arg,
		      struct vdev_stream **out, char *err, size_t errlen);

/*
 * The host uplink (a device of kind "host", vdev_host_new()): traffic the
 * routing table sends out of it leaves through the supervisor's own host
 * sockets.  net_uplink_add() adds one with the default addresses and
 * routes (docs/configuration.md); the ACL decides which host
 * destinations it may reach.
 */
struct rt_acl;
int net_uplink_add(struct net *n, const char *name,
		   const struct vdev_host_opts *o, char *err, size_t errlen);
struct rt_acl *net_uplink_acl(struct net *n);
bool net_uplink_allowed(const struct net *n, uint8_t family,
			const uint8_t *addr);
bool net_dev_is_uplink(const struct net *n, uint32_t ifindex);

/**
 * struct net_publish - a published port (`-p`, `publish`; publish.c)
 * @proto:	IPPROTO_TCP or IPPROTO_UDP
 * @family:	of the host address
 * @addr:	host address to listen on (4 or 16 bytes; zero: all)
 * @host_port:	host port
 * @port:	the sandbox's port
 */
struct net_publish {
	uint8_t proto;
	uint8_t family;
	uint8_t addr[16];
	uint16_t host_port;
	uint16_t port;
};

typedef int net_publish_fn(void *arg, const struct net_publish *p,
			   uint64_t accepted, uint64_t refused);
int net_publish_add(struct net *n, const struct net_publish *p, char *err,
		    size_t errlen);
int net_publish_del(struct net *n, const struct net_publish *p, char *err,
		    size_t errlen);
int net_publish_walk(struct net *n, net_publish_fn *fn, void *arg);

/* The forwarding sysctls: net.ipv4.ip_forward (conf "all" of AF_INET)
 * and net.ipv{4,6}.conf.DEV.forwarding, DEV "all", "default" or a device
 * (on by default; `rrsandbox --no-forward`, /proc/sys/net inside, rrctl
 * sysctl) */
int net_forward_set(struct net *n, int family, const char *dev, int val);
int net_devconf_get(struct net *n, int family, const char *dev,
		    const char *name, int64_t *val);
int net_devconf_set(struct net *n, int family, const char *dev,
		    const char *name, int64_t val);
void net_netconf_values(struct net *n, struct net_netconf *c);

/* The neighbour tables' parameters (neighparm.h): each device's
 * net.ipv{4,6}.neigh.DEV.* sysctls, which `ip ntable` shows and changes
 * too; the sandbox keeps and shows them, lwIP does not use them */
struct neighparm;
struct neightbl;
int net_neigh_sysctl_get(struct net *n, int family, const char *dev,
			 const char *name, char *buf, size_t size);
int net_neigh_sysctl_set(struct net *n, int family, const char *dev,
			 const char *name, const char *buf, size_t len);
struct neighparm *net_neigh_parms(struct net *n, int family, uint32_t ifindex);
int net_neigh_parms_order(struct net *n, int family, uint32_t *ifindex, int max);
struct neightbl *net_neigh_tbl(struct net *n, int family);
int net_forward_get(const struct net *n, int family, const char *dev,
		    int *val);

#endif /* RRS_NET_H */
