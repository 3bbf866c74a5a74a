/* SPDX-License-Identifier: MIT */
/*
 * rtnl_priv.h - what the rtnetlink files (rtnl.c, rtnl_link.c,
 * rtnl_addr.c, rtnl_route.c, rtnl_neigh.c, rtnl_ntable.c, rtnl_netconf.c,
 * rtnl_stats.c, rtnl_diag.c, ...)
 * share and nothing else sees: the socket's state, the dump cursor, the
 * message builder and the attribute parser.
 *
 * rtnl.c owns the socket (options, groups, the output queue, the message
 * loop, acks and the dump driver); each of the other files answers one
 * object kind (requests, dumps, notifications) through the helpers here,
 * rtnl_diag.c the NETLINK_SOCK_DIAG protocol.  Not part of the interface:
 * netlink.c uses rtnl.h only.
 */
#ifndef RRS_RTNL_PRIV_H
#define RRS_RTNL_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "rtnl.h"

/* struct rtnl.opts bits (socket options) */
#define RTNL_O_PKTINFO		0x01
#define RTNL_O_BCAST_ERR	0x02
#define RTNL_O_NO_ENOBUFS	0x04
#define RTNL_O_LISTEN_ALL	0x08
#define RTNL_O_CAP_ACK		0x10
#define RTNL_O_EXT_ACK		0x20
#define RTNL_O_STRICT		0x40

#define RTNL_ERRLEN		128
#define RTNL_LO_IFINDEX		1	/* net.c attaches lo first */
#define RTNL_ATTR_MAX		64	/* highest attribute type parsed */
#define RTNL_NOTIFY_BUF		4096	/* a single reply or notification */

/**
 * struct rtnl_ext - the extended ack of one request
 * @msg:	the reason (NLMSGERR_ATTR_MSG), empty for none
 * @bad:	the offending attribute inside the request (NLMSGERR_ATTR_OFFS)
 */
struct rtnl_ext {
	char msg[RTNL_ERRLEN];
	const void *bad;
};

/**
 * struct rtnl_buf - a datagram being built
 * @data:	the bytes
 * @len:	bytes used
 * @cap:	bytes allocated: the datagram's limit
 */
struct rtnl_buf {
	uint8_t *data;
	size_t len;
	size_t cap;
};

struct rtnl_dump;

/**
 * struct rtnl_dump_ops - one kind of dump
 * @fill:	add messages to @b from where @d stands; return 1 when the
 *		dump is complete, 0 when @b is full, or a negative errno that
 *		ends the dump (carried by NLMSG_DONE)
 */
struct rtnl_dump_ops {
	int (*fill)(struct rtnl *r, struct rtnl_dump *d, struct rtnl_buf *b);
};

/**
 * struct rtnl_dump - a dump in progress (netlink_callback's role)
 * @ops:	its kind
 * @seq:	the request's sequence number, echoed in every part
 * @type:	the request's type
 * @answer_flags: NLM_F_DUMP_FILTERED when a filter was asked for
 * @families:	address families to walk, in order (AF_INET before
 *		AF_INET6, as rtnl_dump_all() walks them)
 * @n_fam:	how many
 * @phase:	index into @families being walked
 * @ifindex:	address/route filter: only this device (0: any)
 * @table:	route filter: only this table (0: all)
 * @protocol:	route filter (0: any)
 * @rtype:	route filter: RTN_* (0: any)
 * @last_ifindex: link dumps: the last index sent
 * @skip:	address dumps: entries already sent in this phase
 * @after:	route dumps: the last route sent in this phase
 * @have_after:	whether @after is set
 * @socks:	sock_diag dumps: the sockets listed, taken at the start
 *		(freed with the dump), walked from @skip
 * @n_socks:	how many
 * @diag_ext:	sock_diag: idiag_ext, the attributes asked for
 * @split_done:	NLMSG_DONE goes in a datagram of its own after a part with
 *		messages, as Linux's dumps that return skb->len
 *		(RTNL_FLAG_DUMP_SPLIT_NLM_DONE, rtnl_dump_all()): the dump
 *		then still runs while its first part waits to be read
 * @done_next:	a split dump has sent its last messages: DONE is next
 */
struct rtnl_dump {
	const struct rtnl_dump_ops *ops;
	uint32_t seq;
	uint16_t type;
	uint16_t answer_flags;
	uint8_t families[2];
	unsigned int n_fam;
	unsigned int phase;
	uint32_t ifindex;
	uint32_t table;
	uint8_t protocol;
	uint8_t rtype;
	uint32_t last_ifindex;
	size_t skip;
	struct rt_route after;
	bool have_after;
	struct rtnl_sockinfo *socks;
	size_t n_socks;
	uint8_t diag_ext;
	bool split_done;
	bool done_next;
	uint32_t nh_master;	/* RTM_GETNEXTHOP: NHA_MASTER */
	bool nh_groups;		/* and NHA_GROUPS */
	uint32_t st_mask;	/* RTM_GETSTATS: the groups (filter_mask) */
	uint32_t st_offload;	/* and the offload group's subgroups */
	size_t room;		/* the least datagram size (rtnl_calcit()'s
				 * min_dump_alloc), 0 for none */
};

/**
 * struct rtnl_attrs - a request's attributes by type (nlmsg_parse)
 * @a:		the last attribute of each type, NULL when absent
 */
struct rtnl_attrs {
	const struct nlattr *a[RTNL_ATTR_MAX + 1];
};

/**
 * struct rtnl - one emulated NETLINK_ROUTE socket
 * @net:	the network answered from
 * @portid:	the socket's nl_pid
 * @send:	gives a datagram to the program
 * @arg:	@send's argument
 * @opts:	RTNL_O_* socket options
 * @groups:	joined multicast groups, bit n-1 for group n
 * @dgram:	the size dump datagrams are filled to
 * @head:	datagrams waiting for room at the program's end
 * @tail:	where the next waiting datagram is linked
 * @queued:	bytes in @head
 * @blocked:	the last send said -EAGAIN and no rtnl_resume() came since
 * @overrun:	a datagram was lost: the next receive gets ENOBUFS
 * @congested:	Linux's NETLINK_S_CONGESTED: a notification was lost, and
 *		none is delivered until the program's queue is empty
 * @inflight:	how much the program's end holds unread (NULL: unknown)
 * @sent:	what was sent and may be unread still, oldest first: a ring
 *		of @sent_cap (a power of two), @sent_n from @sent_head
 * @sent_host, @sent_linux: their sizes in the host's AF_UNIX skbs (what
 *		@inflight counts) and as Linux's netlink skbs
 * @flushing:	inside flush(): no recursion
 * @dump:	the dump in progress, NULL for none
 * @proto:	NETLINK_ROUTE or NETLINK_SOCK_DIAG
 * @socks:	NETLINK_SOCK_DIAG: lists the sockets (NULL: none)
 * @socks_arg:	@socks's argument
 */
struct rtnl_sent {
	uint32_t host;		/* truesize of its AF_UNIX skb on the host */
	uint32_t linux;		/* truesize Linux's netlink skb would have */
};

struct rtnl {
	struct net *net;
	int proto;
	rtnl_socks_fn *socks;
	void *socks_arg;
	uint32_t portid;
	uint32_t uid;		/* its maker's, current_uid() for requests */
	rtnl_send_fn *send;
	void *arg;
	unsigned int opts;
	uint64_t groups;
	size_t dgram;
	struct rtnl_out *head;
	struct rtnl_out **tail;
	size_t queued;
	size_t queued_true;	/* rtnl_truesize() of what is queued */
	size_t rcvbuf;
	bool blocked;
	bool overrun;
	bool congested;
	bool flushing;
	rtnl_inflight_fn *inflight;
	rtnl_filter_fn *filter;
	struct rtnl_sent *sent;
	size_t sent_cap, sent_head, sent_n;
	size_t sent_host, sent_linux;
	struct rtnl_dump *dump;
};

/* A request handler: 0 for success (acked when NLM_F_ACK), or a negative
 * errno with @ext filled. */
typedef int rtnl_doit_fn(struct rtnl *r, const struct nlmsghdr *h,
			 struct rtnl_ext *ext);

/* rtnl.c: message building */
struct nlmsghdr *rtnl__msg_put(struct rtnl_buf *b, uint16_t type,
			       uint16_t flags, uint32_t seq, uint32_t pid,
			       size_t hdrlen);
void rtnl__msg_end(struct rtnl_buf *b, struct nlmsghdr *h);
int rtnl__put(struct rtnl_buf *b, uint16_t type, const void *data,
	      size_t len);
int rtnl__put_u8(struct rtnl_buf *b, uint16_t type, uint8_t v);
int rtnl__put_u32(struct rtnl_buf *b, uint16_t type, uint32_t v);
int rtnl__put_str(struct rtnl_buf *b, uint16_t type, const char *s);
struct nlattr *rtnl__nest_start(struct rtnl_buf *b, uint16_t type);
void rtnl__nest_end(struct rtnl_buf *b, struct nlattr *nest);

/* rtnl.c: parsing and errors */
int rtnl__parse(const struct nlmsghdr *h, size_t hdrlen, unsigned int maxtype,
		bool strict, struct rtnl_attrs *tb, struct rtnl_ext *ext);
int rtnl__parse_attrs(const uint8_t *p, size_t len, unsigned int maxtype,
		      bool strict, struct rtnl_attrs *tb, struct rtnl_ext *ext);
int rtnl__parse_nested(const struct nlattr *nest, unsigned int maxtype,
		       struct rtnl_attrs *tb, struct rtnl_ext *ext);
int rtnl__attr_u32(const struct nlattr *a, uint32_t *v, struct rtnl_ext *ext);
uint32_t rtnl__get_u32(const struct nlattr *a);
const struct nlattr *rtnl__next_attr(const uint8_t **p, size_t *rem);

/**
 * struct rtnl_policy - the lengths Linux's policy for an attribute type
 * checks when a request is parsed (validate_nla(), as nlmsg_parse() and
 * nlmsg_parse_deprecated() do): @min for NLA_U8..NLA_U64 and for a
 * .len of NLA_UNSPEC, @max for NLA_BINARY's .len, or NLA_STRING's with
 * @str (a terminating NUL then does not count, and an empty one fails); 0
 * for no limit; @nest for NLA_NESTED: empty, or at least an attribute
 * header
 */
struct rtnl_policy {
	uint16_t min, max;
	bool str;
	bool nest;
	uint8_t check;	/* RTNL_P_*: what validate_nla() checks beyond lengths */
	int32_t vmin;	/* RTNL_P_MIN_U32, RTNL_P_MIN_S32: the least value */
};
#define RTNL_P_REJECT	1	/* NLA_REJECT: EINVAL, before any length */
#define RTNL_P_UNSUPP	2	/* no entry past strict_start_type: EINVAL */
#define RTNL_P_MIN_U32	3	/* NLA_POLICY_MIN(NLA_U32, vmin): ERANGE */
#define RTNL_P_MIN_S32	4	/* NLA_POLICY_MIN(NLA_S32, vmin): ERANGE */

int rtnl__policy(const struct nlmsghdr *h, size_t hdrlen,
		 const struct rtnl_policy *pol, unsigned int maxtype,
		 struct rtnl_ext *ext);
int rtnl__policy_nested(const struct nlattr *nest, const struct rtnl_policy *pol,
			unsigned int maxtype, struct rtnl_ext *ext);
/**
 * struct rtnl_spol - an entry of a policy parsed strictly, as nlmsg_parse()
 * and nla_parse_nested() parse (NL_VALIDATE_STRICT: unknown and
 * unsupported types, exact lengths, NLA_F_NESTED, leftover bytes)
 * @type:	RTNL_S_*: what the attribute is; RTNL_S_NONE (0) for a type
 *		the policy has no entry for, or an NLA_UNSPEC one with only a
 *		length ("Unsupported attribute")
 * @check:	RTNL_SC_*: the validation_type checked on the value
 * @arg:	its argument: the largest value, the least, or the bits
 *		allowed; for RTNL_S_BINARY and RTNL_S_STRING the policy's
 *		.len, the longest payload (0: no limit)
 */
struct rtnl_spol {
	uint8_t type;
	uint8_t check;
	uint32_t arg;
};
#define RTNL_S_NONE	0
#define RTNL_S_U8	1
#define RTNL_S_U16	2
#define RTNL_S_U32	3
#define RTNL_S_FLAG	4
#define RTNL_S_BINARY	5
#define RTNL_S_NESTED	6
#define RTNL_S_STRING	7	/* NLA_STRING: not empty, a NUL at the end
				 * not counted against @arg */
#define RTNL_S_NUL_STRING 8	/* NLA_NUL_STRING without .len: has a NUL */
#define RTNL_S_REJECT	9	/* NLA_REJECT */
#define RTNL_SC_MAX	1	/* NLA_POLICY_MAX(): ERANGE above @arg */
#define RTNL_SC_MASK	2	/* NLA_POLICY_MASK(): EINVAL for other bits */
#define RTNL_SC_MIN	3	/* NLA_POLICY_MIN() of a u32: ERANGE below @arg */
#define RTNL_SC_SMIN	4	/* and of an s32 */

int rtnl__parse_strict(const struct nlmsghdr *h, size_t hdrlen,
		       const struct rtnl_spol *pol, unsigned int maxtype,
		       struct rtnl_attrs *tb, struct rtnl_ext *ext);
int rtnl__parse_nested_strict(const struct nlattr *nest,
			      const struct rtnl_spol *pol, unsigned int maxtype,
			      struct rtnl_attrs *tb, struct rtnl_ext *ext);
int rtnl__validate_strict(const struct nlattr *a, const struct rtnl_spol *pol,
			  unsigned int maxtype, struct rtnl_ext *ext);
int rtnl__attr_addr(const struct nlattr *a, uint8_t family, uint8_t *out,
		    struct rtnl_ext *ext);
int rtnl__fail(struct rtnl_ext *ext, int ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool rtnl__strict(const struct rtnl *r);

/* rtnl.c: a dump's start, for handlers outside rtnl.c's table: @dumpit
 * sets r->dump (rtnl__dump_new()) or fails; returns what rcv_msg() does */
int rtnl__dump_start(struct rtnl *r, const struct nlmsghdr *h,
		     rtnl_doit_fn *dumpit, struct rtnl_ext *ext);

/* rtnl_diag.c: one NETLINK_SOCK_DIAG request (sock_diag_rcv_msg()) */
int rtnl__diag_rcv(struct rtnl *r, const struct nlmsghdr *h,
		   struct rtnl_ext *ext);
void rtnl__diag_release(struct rtnl_dump *d);

/* rtnl.c: output */
int rtnl__unicast(struct rtnl *r, struct rtnl_buf *b);
void rtnl__multicast(struct rtnl *r, unsigned int group, struct rtnl_buf *b);
int rtnl__buf_init(struct rtnl_buf *b, size_t cap);

/* Handlers, by file */
rtnl_doit_fn rtnl__getlink, rtnl__newlink, rtnl__dellink;
rtnl_doit_fn rtnl__newlinkprop, rtnl__dellinkprop;
rtnl_doit_fn rtnl__dumplink;
rtnl_doit_fn rtnl__newaddr, rtnl__deladdr, rtnl__dumpaddr;
rtnl_doit_fn rtnl__newroute, rtnl__delroute, rtnl__getroute;
rtnl_doit_fn rtnl__dumproute;
rtnl_doit_fn rtnl__getnsid, rtnl__dumpnsid;
rtnl_doit_fn rtnl__newrule, rtnl__delrule, rtnl__dumprule;
rtnl_doit_fn rtnl__newnexthop, rtnl__delnexthop, rtnl__getnexthop;
rtnl_doit_fn rtnl__dumpnexthop, rtnl__getnhbucket, rtnl__dumpnhbucket;
rtnl_doit_fn rtnl__addrlabel, rtnl__getaddrlabel, rtnl__dumpaddrlabel;
rtnl_doit_fn rtnl__getneigh, rtnl__dumpneigh, rtnl__newneigh, rtnl__delneigh;
rtnl_doit_fn rtnl__getnetconf, rtnl__dumpnetconf;
rtnl_doit_fn rtnl__dumpntable, rtnl__setntable;
rtnl_doit_fn rtnl__qdisc, rtnl__dumpqdisc, rtnl__tclass, rtnl__tfilter;
rtnl_doit_fn rtnl__dumptcempty;
rtnl_doit_fn rtnl__getstats, rtnl__dumpstats, rtnl__setstats;

/* An attribute's payload */
#define RTNL_ATTR_DATA(a)	((const uint8_t *)(a) + NLA_HDRLEN)
#define RTNL_ATTR_LEN(a)	((size_t)(a)->nla_len - NLA_HDRLEN)

/* rtnl_link.c: an IFLA_IFNAME-style string (NLA_STRING, .len IFNAMSIZ-1)
 * into @out[16]: 0, or -ERANGE */
int rtnl__attr_name(const struct nlattr *a, char *out, struct rtnl_ext *ext);
/* rtnl_link.c: the room a link's message may need, its altnames with it */
size_t rtnl__link_size(const struct net_link *l);

/* Starts a dump of @ops for @h; rtnl.c sends its first part. */
void rtnl__dump_families(struct rtnl_dump *d, uint8_t family);
struct rtnl_dump *rtnl__dump_new(struct rtnl *r, const struct nlmsghdr *h,
				 const struct rtnl_dump_ops *ops);

/* Message fillers (also used for notifications): 0 or -EMSGSIZE */
int rtnl__fill_rule(struct rtnl_buf *b, const struct rt_rule *rule, uint32_t flags,
		    uint16_t type, uint16_t nlflags, uint32_t seq, uint32_t pid);
int rtnl__fill_nexthop(struct rtnl_buf *b, const struct net_nh *nh,
		       uint16_t type, uint16_t flags, uint32_t seq, uint32_t pid);
int rtnl__fill_link(struct rtnl_buf *b, const struct net_link *l,
		    uint16_t type, uint16_t flags, uint32_t seq, uint32_t pid);
int rtnl__fill_addr(struct rtnl_buf *b, const struct net_addr *a,
		    uint16_t type, uint16_t flags, uint32_t seq, uint32_t pid);
int rtnl__fill_route(struct rtnl_buf *b, struct net *n, const struct rt_route *rt,
		     uint16_t type, uint16_t flags, uint32_t seq, uint32_t pid);
int rtnl__fill_neigh(struct rtnl_buf *b, const struct net_neigh *nb,
		     uint16_t type, uint16_t flags, uint32_t seq, uint32_t pid);
int rtnl__fill_netconf(struct rtnl_buf *b, const struct net_netconf *c,
		       bool full, uint16_t flags, uint32_t seq, uint32_t pid);
int rtnl__fill_stats_info(struct rtnl_buf *b, const struct net_link *l);

/* rtnl_link.c: a device's counters as IFLA_STATS64 and IFLA_STATS_LINK_64
 * carry them */
struct rtnl_link_stats64;
void rtnl__link_stats64(const struct net_link *l, struct rtnl_link_stats64 *s);

#endif /* RRS_RTNL_PRIV_H */
