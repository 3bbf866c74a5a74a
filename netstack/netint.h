/* SPDX-License-Identifier: MIT */
/*
 * netint.h - struct net and what net.c, route.c and pcap glue share.
 *
 * Private to netstack/: the rest of the tree sees net.h only.
 */
#ifndef RRS_NETINT_H
#define RRS_NETINT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <uv.h>

#include "lwip/err.h"
#include "lwip/ip_addr.h"

#include "addrlabel.h"
#include "devconf.h"
#include "neighparm.h"

/* An address lwIP gave up resolving, listed as Linux keeps it: NUD_FAILED
 * (neigh.c); the oldest goes when all are taken. */
#define NEIGH_FAILED_MAX	64
struct neigh_failed {
	uint32_t ifindex;		/* 0: a free slot */
	uint8_t family;
	uint8_t addr[16];
	uint64_t seq;			/* when it failed, in turns */
};
#include "net.h"

#define NET_DNS_MAX	8	/* loopback nameservers kept (glibc reads 3) */

struct netif;
struct pbuf;

/**
 * struct net_acast - an anycast address a device joined (anycast.c), as
 * Linux's struct ifacaddr6
 * @addr:	the address
 * @users:	how many of the device's addresses joined it
 */
struct net_acast {
	uint8_t addr[16];
	unsigned int users;
};

#define NET_RA_ROUTERS	4	/* routers a device remembers (ra.c) */

/**
 * struct net_dev - one device of the sandbox
 * @next:	in ascending ifindex order
 * @ifindex:	its index
 * @vdev:	the device
 * @loopback:	the stack's `lo` (owned by the stack, never removed)
 * @addrs:	its addresses, as added
 * @n_addrs:	how many
 * @cap:	room in @addrs
 * @uflags:	its NET_LINK_USER_FLAGS (IFF_MULTICAST, ...) as set
 * @group:	IFLA_GROUP
 * @alias:	IFLA_IFALIAS, NULL for none
 * @alt:	its altnames, each with its NUL, in order of addition
 *		(struct net_link's @altnames), NULL for none
 * @alt_len:	bytes at @alt
 */
struct net_dev {
	struct net_dev *next;
	struct net *net;
	uint32_t ifindex;
	struct vdev *vdev;
	bool loopback;
	bool v6_gone;	/* MTU below 1280: no IPv6 at all (no inet6_dev) */
	/* carrier transitions, as a veth counts them (carrier_up_count and
	 * _down_count): one down when made, then one each way with the
	 * device's state; lo none */
	uint32_t carrier_up, carrier_down;
	bool l3_stats;	/* net_link_l3_stats() */
	unsigned int uflags;
	uint32_t group;
	char *alias;
	char *alt;
	size_t alt_len;
	int fwd[2];	/* its conf/NAME/forwarding, IPv4 and IPv6 */
	struct devconf conf[2];	/* its other conf/NAME/ sysctls (net.c) */
	struct neighparm nparm[2];	/* its neigh/NAME/ (ARP, ND) */
	struct net_addr *addrs;
	unsigned int n_addrs, cap;
	struct net_acast *ac;	/* its anycast addresses (anycast.c) */
	unsigned int n_ac, cap_ac;
	unsigned int ar_ll;	/* its memberships of ff02::2 (anycast.c) */
	unsigned int ar_other;	/* and of ff01::2 and ff05::2 */
	/* router solicitations (ra.c): when the next is due (the loop's
	 * ms, 0: none), the wait before it, how many were sent; an RA was
	 * taken since the device came up (IF_RA_RCVD) */
	uint64_t rs_at, rs_wait;
	int64_t rs_probes;
	bool ra_rcvd;
	/* the routers whose RAs it took since it came up, which its
	 * neighbour entries flag NTF_ROUTER (ra.c) */
	uint8_t ra_rtr[NET_RA_ROUTERS][16];
	unsigned int n_ra_rtr;
};

/* net__allrouters(): what happened to a device */
enum net_ar {
	NET_AR_NEW,	/* got IPv6 (ipv6_add_dev()) */
	NET_AR_ON,	/* its IPv6 forwarding turned on */
	NET_AR_OFF,	/* or off */
	NET_AR_GONE,	/* lost IPv6 (an MTU below 1280) */
};

/**
 * struct net - the sandbox's network (net.h)
 * @ns:		the stack it belongs to
 * @loop:	the event loop devices run on
 * @devs:	devices by ascending ifindex
 * @next_ifindex: the next device's index (never reused)
 * @rt:		the routing tables
 * @ls:		listeners
 * @nls:	how many
 * @cap_ls:	room in @ls
 * @pcap_dir:	--pcap DIR: every device taps into DIR/NAME.pcap
 * @origin_portid: net_set_origin()'s request, put in every event
 * @origin_seq:	and its sequence number
 * @held:	route events of one address change, told in Linux's order
 *		(net.c: hold_end()); NET_HELD_MAX of them
 * @n_held:	how many are held
 * @holding:	route events are being held
 * @quiet_v4_del: a device goes down: its IPv4 routes go without a word,
 *		as fib_sync_down_dev() flushes them
 * @quiet:	no route event at all (IPv6 routes losing an address as
 *		their preferred source, net.c: flush_prefsrc())
 * @c4_type:	the last IPv4 route hook's lookup for @c4_dst: route type
 *		(> 0: @c4_gw holds its next hop, or @c4_gw6 when @c4_via6)
 *		or negative errno, for the forwarding check; 0 when there
 *		is none (routes changed)
 * @c6_type:	likewise for IPv6 and @c6_dst
 * @lo_ifindex:	the loopback's index: the input device routing rules see
 *		for the sandbox's own packets (kept here, as the device
 *		list is gone while the stack is freed)
 * @fwd_all:	net.ipv4.conf.all.forwarding (ip_forward) and
 *		net.ipv6.conf.all.forwarding (route.c net_forward_set())
 * @fwd_dflt:	the same families' conf/default/forwarding, which a new
 *		device starts with
 * @acl:	the host destinations the uplink may reach (router/acl.h)
 * @dns:	resolv.conf's IPv4 loopback nameservers (uplink.c)
 * @n_dns:	how many
 * @dns_st:	resolv.conf's stat() when read
 * @dns_loaded:	it was read
 * @life_timer:	armed for the next address lifetime to run out (net.c:
 *		life_arm()), NULL until an address has one
 */
struct net {
	unsigned int v6_off;	/* devices with conf/DEV/disable_ipv6 on */
	struct ns *ns;
	uv_loop_t *loop;
	struct net_dev *devs;
	bool acast_manual;	/* an anycast route was added by hand (anycast.c) */
	uint32_t next_ifindex;
	struct rt_set *rt;
	struct listener *ls;
	unsigned int nls, cap_ls;
	char *pcap_dir;
	bool frames;	/* devices tell packet sockets of frames (packet.c) */
	uint32_t origin_portid, origin_seq;
	struct net_held *held;
	unsigned int n_held;
	bool holding, quiet_v4_del, quiet;
	/* the last IPv4/IPv6 route hook answer, for the next-hop hooks that
	 * follow it for the same packet; cleared on every route change */
	ip4_addr_t c4_dst, c4_gw;
	ip6_addr_t c6_dst, c6_gw, c4_gw6;
	int c4_type, c6_type;
	struct netif *c4_netif, *c6_netif;	/* the device each leaves by */
	/* a next hop through a device the best route does not use (a
	 * socket's SO_BINDTODEVICE, PKTINFO or scope: route.c gw_via*()) */
	ip4_addr_t via4_gw;
	ip6_addr_t via6_gw, via6_dst;
	bool via6_forget;	/* lwIP's destination cache holds via6_gw
				 * for via6_dst: dropped on its next route */
	uint32_t lo_ifindex;
	bool c4_via6;
	int fwd_all[2], fwd_dflt[2];
	struct rt_acl *acl;
	struct net_pub *pubs;		/* published ports (publish.c) */
	uv_timer_t *life_timer;
	uv_timer_t *rs_timer;		/* router solicitations (ra.c) */
	uint8_t dns[NET_DNS_MAX][4];
	unsigned int n_dns;
	struct stat dns_st;
	bool dns_loaded;
	struct addrlbl_table labels;	/* `ip addrlabel` (addrlabel.c) */
	struct devconf conf_all[2], conf_dflt[2];	/* conf/all, conf/default */
	struct neightbl ntbl[2];	/* arp_cache, ndisc_cache (`ip ntable`) */
	struct neigh_failed failed[NEIGH_FAILED_MAX];	/* neigh.c */
	struct neigh_watch *nwatch;	/* net_neigh_watch() (neigh.c) */
	uint64_t failed_seq;
	struct net_rexp *rexp;		/* IPv6 routes that expire (net.c) */
	size_t n_rexp, cap_rexp;
	const struct net_rexp *rexp_adding;	/* net__rexp_add()'s, in rt_add() */
	/* the L4 protocol, ports and owner of the socket whose packet lwIP
	 * routes now (net_own_set()), for rules with ipproto, sport, dport
	 * and uidrange; unset: a packet no socket sends */
	struct rt_flow own;
	bool own_set;
	uint32_t uid;		/* geteuid() at start (net_own_uid()) */
	bool v4_unmerged;	/* an IPv4 rule was added: Linux's fib_unmerge()
				 * split local from main for good */
	struct net_nh **nhs;		/* nexthop objects by id (nexthop.c) */
	size_t n_nhs, cap_nhs;
	uint32_t nh_last_id;		/* the last id given out */
	uint64_t nh_made;		/* net_nh.made's count */
};

/**
 * struct net_rexp - an IPv6 route that expires (RTA_EXPIRES, RTF_EXPIRES)
 * @table:	its key: table, prefix and metric (fib6's route)
 * @dst:	its prefix
 * @dst_len:	its length
 * @priority:	its metric
 * @at:		when it goes, on now_cs()'s clock
 */
struct net_rexp {
	uint32_t table;
	uint8_t dst[16];
	uint8_t dst_len;
	uint32_t priority;
	uint64_t at;
};

int net__rexp_add(struct net *n, struct rt_route *r, unsigned int nlflags,
		  uint32_t secs);

err_t net__link_output4(struct netif *netif, struct pbuf *p,
			const ip4_addr_t *dest);
void net__seterr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int net__new(struct ns *ns, uv_loop_t *loop, struct vdev *lo, struct net **out);
void net__free(struct net *n);
struct net *net__hook(void);
struct net_dev *net__dev(const struct net *n, uint32_t ifindex);
uint16_t net__dev_type(const struct net_dev *d);
/* packet.c: frames for AF_PACKET sockets */
void net__frames(struct net *n, bool on);
void net__frames_dev(struct net_dev *d, bool on);
bool net__v6_disabled(const struct net_dev *d);
/* anycast.c: subnet-router anycast addresses */
bool net__acast_wanted(const struct net_dev *d);
void net__acast_addr(struct net *n, struct net_dev *d, struct net_addr *a, bool join);
void net__acast_dev(struct net *n, struct net_dev *d, bool join);
void net__acast_forget(struct net_dev *d);
void net__acast_down(struct net *n, struct net_dev *d);
void net__acast_up(struct net *n, struct net_dev *d);
void net__allrouters(struct net_dev *d, enum net_ar what);
bool net__acast_is(struct netif *inp, const ip6_addr_t *dst);
void net__acast_manual(struct net *n, const struct rt_route *r);
bool net__acast_joined(const struct net *n, const uint8_t *dst);
struct net_dev *net__dev_by_name(const struct net *n, const char *name);
struct net_dev *net__dev_by_any_name(const struct net *n, const char *name);
struct net_dev *net__dev_of_netif(const struct net *n,
				  const struct netif *nif);
bool net__forwards(const struct net *n, bool v6, const struct netif *inp);
void net__emit_netconf(struct net *n, int family, int32_t ifindex, int val);
void net__timer_due(struct net *n, uv_timer_t **t, uv_timer_cb cb, bool due,
		    uint64_t ms);
bool net__own_addr(const struct net *n, uint8_t family, const uint8_t *a);
void net__emit_neigh(struct net *n, const struct net_neigh *nb, bool gone);
void net__emit_prefix(struct net *n, const struct net_prefix *p);
void net__neigh_dev_gone(struct net *n, uint32_t ifindex, uint8_t family);
bool net__select_src4(const struct net *n, uint32_t ifindex,
		      const uint8_t *near, uint8_t *out);
bool net__select_src6(const struct net *n, uint32_t oif, const uint8_t *dst,
		      uint8_t *out);
void net__hook_flush(struct net *n, const struct rt_route *r);
void net__emit(struct net *n, struct net_event *ev);
bool net__carrier(const struct net_dev *d);
int net__check_nh(struct net *n, const struct rt_route *r,
		  struct rt_nexthop *nh, char *err, size_t errlen);
/* nexthop.c: nexthop objects */
int net__nh_route(struct net *n, struct rt_route *r, char *err, size_t errlen);
void net__nh_dev_down(struct net *n, uint32_t ifindex);
void net__nh_free(struct net *n);
void net__pcap_auto(struct net *n, struct net_dev *d);
/* ra.c: router advertisements and solicitations of host devices */
void net__ra_up(struct net *n, struct net_dev *d);
void net__ra_down(struct net *n, struct net_dev *d);
void net__ra_fini(struct net *n);
bool net__ra_router(const struct net *n, uint32_t ifindex, const uint8_t *addr);
void net__neigh_ra(struct net *n, uint32_t ifindex, const uint8_t *addr,
		   const uint8_t *lladdr, bool new_router);
void net__neigh_told(struct net *n, const struct net_neigh *nb, bool gone);
void net__neigh_unwatch(struct net *n);
void net__publish_free(struct net *n);
int net__dev_name_check(const struct net *n, const char *name, char *err,
			size_t errlen);
int net__dev_add(struct net *n, struct vdev *v, char *err, size_t errlen);
bool net__uplink_dns_tcp(struct net *n, const ip_addr_t *dst, uint16_t port);
bool net__uplink_dns(struct net *n, const ip_addr_t *dst, uint16_t port,
		     struct netif **nif, ip_addr_t *src);

#endif /* RRS_NETINT_H */
