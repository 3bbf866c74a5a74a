/* SPDX-License-Identifier: MIT */
/*
 * rtnl.c - the rtnetlink protocol engine: one emulated NETLINK_ROUTE
 * socket's message loop, acks, dumps, output queue, options and groups.
 *
 * The socket glue (netlink.c) hands in each datagram the program sent
 * (rtnl_input()) and gives a send function for the replies.  This file
 * walks the messages as Linux's netlink_rcv_skb() does, dispatches them
 * through a table from message type to handler (rtnl_link.c, rtnl_addr.c,
 * rtnl_route.c, rtnl_neigh.c, rtnl_netconf.c), answers with NLMSG_ERROR
 * as netlink_ack() builds it, and turns net's events (net.h) into
 * notifications for the groups joined.
 * It knows nothing of file descriptors or of how the program is traced.
 *
 * Theory of operation: replies go to a FIFO of datagrams; flush() gives
 * them to the send function until it says -EAGAIN (the socket is then
 * "blocked" until rtnl_resume()).  A dump (at most one at a time, like
 * Linux's cb_running) produces its next datagram only when that FIFO is
 * empty, so a dump of any size holds one datagram of memory and pauses
 * while the program does not read.  A notification is kept (in the FIFO
 * or the program's end) while all the socket holds unread fits its
 * receive buffer, counted as Linux's skbs would be (rmem()); else it is
 * lost and reported once as ENOBUFS (rtnl_take_overrun()), and none is
 * kept until the program read everything, as netlink_overrun() and
 * NETLINK_S_CONGESTED do; replies wait in the FIFO up to RTNL_QUEUE_MAX
 * bytes, beyond which they are lost the same way.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtnl_priv.h"

#define RTNL_QUEUE_MAX	(1u << 20)	/* bytes of replies kept waiting */

/*
 * What a datagram of @len bytes takes of a Linux 6.18 socket's receive
 * buffer: its skb's truesize.  The head is the data aligned to 64 bytes
 * plus the shared info (320), from the small-head cache (576 bytes) when
 * it fits, else from a power-of-two kmalloc; the sk_buff adds 256.
 * Measured with /proc/net/netlink's Rmem: an IPv4 route, rule, neighbour
 * or address notification (52-80 bytes) 832, a link (1492 bytes) 2304.
 * IPv6 routes and addresses (116 bytes) take 1280: their skb is sized for
 * rt6_nlmsg_size()/inet6_ifaddr_msgsize() and netlink_trim() leaves it.
 * A socket with the default 212992 bytes so holds 256 IPv4 route
 * notifications, as Linux does.
 */
static size_t rtnl_truesize(size_t len, unsigned int group)
{
	size_t head = ((len + 63) & ~(size_t)63) + 320, d = 1024;

	if (group == RTNLGRP_IPV6_ROUTE || group == RTNLGRP_IPV6_IFADDR)
		head = head < 1024 ? 1024 : head;
	if (head <= 576)
		return 576 + 256;
	while (d < head)
		d <<= 1;
	return d + 256;
}

/*
 * What the host charges for an AF_UNIX datagram of @len bytes (SIOCOUTQ
 * of the sender while it is unread): the same head, from kmalloc (512 at
 * least), the part beyond SKB_MAX_ALLOC in pages.  Measured: 52 and 116
 * bytes 768, 200 1280, 1492 2304, 3776 4352.
 */
static size_t host_truesize(size_t len)
{
	size_t head, d = 512, frags = 0;

	if (len > 16064) {
		frags = (len - 16064 + 4095) & ~(size_t)4095;
		len = 16064;
	}
	head = ((len + 63) & ~(size_t)63) + 320;
	while (d < head)
		d <<= 1;
	return d + 256 + frags;
}
#define DUMP_STARTED	1		/* handler result: no ack */

_Static_assert(RTNLGRP_MAX <= 64, "groups are kept in 64 bits");

/**
 * struct rtnl_out - a datagram waiting for room at the program's end
 */
struct rtnl_out {
	struct rtnl_out *next;
	size_t len;
	size_t truesize;	/* rtnl_truesize() */
	uint8_t *data;
};

/**
 * struct rtnl_handler - what answers one message type
 * @type:	RTM_*
 * @doit:	the request (NULL: -EOPNOTSUPP)
 * @dumpit:	the dump start for GET types with NLM_F_DUMP (NULL: none)
 * @family:	0, or the only family registered for the type (Linux's
 *		rtnl_register(PF_INET6, ...)): another is -EOPNOTSUPP
 */
struct rtnl_handler {
	uint16_t type;
	rtnl_doit_fn *doit;
	rtnl_doit_fn *dumpit;
	uint8_t family;
};

static const struct rtnl_handler handlers[] = {
	{ RTM_NEWLINK,	rtnl__newlink,	NULL, 0 },
	{ RTM_DELLINK,	rtnl__dellink,	NULL, 0 },
	{ RTM_GETLINK,	rtnl__getlink,	rtnl__dumplink, 0 },
	{ RTM_SETLINK,	rtnl__newlink,	NULL, 0 },
	{ RTM_NEWLINKPROP, rtnl__newlinkprop, NULL, 0 },
	{ RTM_DELLINKPROP, rtnl__dellinkprop, NULL, 0 },
	{ RTM_NEWADDR,	rtnl__newaddr,	NULL, 0 },
	{ RTM_DELADDR,	rtnl__deladdr,	NULL, 0 },
	{ RTM_GETADDR,	NULL,		rtnl__dumpaddr, 0 },
	{ RTM_NEWROUTE,	rtnl__newroute,	NULL, 0 },
	{ RTM_DELROUTE,	rtnl__delroute,	NULL, 0 },
	{ RTM_GETROUTE,	rtnl__getroute,	rtnl__dumproute, 0 },
	{ RTM_GETNSID,	rtnl__getnsid,	rtnl__dumpnsid, 0 },
	{ RTM_NEWRULE,	rtnl__newrule,	NULL, 0 },
	{ RTM_DELRULE,	rtnl__delrule,	NULL, 0 },
	{ RTM_GETRULE,	NULL,		rtnl__dumprule, 0 },
	{ RTM_NEWNEXTHOP, rtnl__newnexthop, NULL, 0 },
	{ RTM_DELNEXTHOP, rtnl__delnexthop, NULL, 0 },
	{ RTM_GETNEXTHOP, rtnl__getnexthop, rtnl__dumpnexthop, 0 },
	{ RTM_GETNEXTHOPBUCKET, rtnl__getnhbucket, rtnl__dumpnhbucket, 0 },
	{ RTM_NEWNEIGH,	rtnl__newneigh,	NULL, 0 },
	{ RTM_DELNEIGH,	rtnl__delneigh,	NULL, 0 },
	{ RTM_GETNEIGH,	rtnl__getneigh,	rtnl__dumpneigh, 0 },
	{ RTM_GETNETCONF, rtnl__getnetconf, rtnl__dumpnetconf, 0 },
	{ RTM_GETNEIGHTBL, NULL,	rtnl__dumpntable, 0 },
	{ RTM_SETNEIGHTBL, rtnl__setntable, NULL, 0 },
	{ RTM_NEWADDRLABEL, rtnl__addrlabel, NULL, AF_INET6 },
	{ RTM_DELADDRLABEL, rtnl__addrlabel, NULL, AF_INET6 },
	{ RTM_GETADDRLABEL, rtnl__getaddrlabel, rtnl__dumpaddrlabel, AF_INET6 },
	{ RTM_NEWQDISC,	rtnl__qdisc,	NULL, 0 },
	{ RTM_DELQDISC,	rtnl__qdisc,	NULL, 0 },
	{ RTM_GETQDISC,	NULL,		rtnl__dumpqdisc, 0 },
	{ RTM_NEWTCLASS, rtnl__tclass,	NULL, 0 },
	{ RTM_DELTCLASS, rtnl__tclass,	NULL, 0 },
	{ RTM_GETTCLASS, NULL,		rtnl__dumptcempty, 0 },
	{ RTM_NEWTFILTER, rtnl__tfilter, NULL, 0 },
	{ RTM_DELTFILTER, rtnl__tfilter, NULL, 0 },
	{ RTM_GETTFILTER, NULL,		rtnl__dumptcempty, 0 },
	{ RTM_GETCHAIN,	NULL,		rtnl__dumptcempty, 0 },
	{ RTM_SETSTATS,	rtnl__setstats,	NULL, 0 },
	{ RTM_GETSTATS,	rtnl__getstats,	rtnl__dumpstats, 0 },
};

/* ---- message building ---- */

/**
 * rtnl__buf_init() - allocate an empty datagram
 * @b:		the buffer
 * @cap:	its limit in bytes
 *
 * Return: 0, or -ENOMEM
 */
int rtnl__buf_init(struct rtnl_buf *b, size_t cap)
{
	b->data = calloc(1, cap);
	b->len = 0;
	b->cap = b->data ? cap : 0;
	return b->data ? 0 : -ENOMEM;
}

/**
 * rtnl__msg_put() - start a message with a zeroed family header
 * @b:		the datagram
 * @type:	nlmsg_type
 * @flags:	nlmsg_flags
 * @seq:	nlmsg_seq
 * @pid:	nlmsg_pid
 * @hdrlen:	bytes of family header (ifinfomsg, rtmsg, ...)
 *
 * Return: the header, or NULL when the datagram has no room
 */
struct nlmsghdr *rtnl__msg_put(struct rtnl_buf *b, uint16_t type,
			       uint16_t flags, uint32_t seq, uint32_t pid,
			       size_t hdrlen)
{
	size_t need = NLMSG_SPACE(hdrlen);
	struct nlmsghdr *h;

	if (b->cap - b->len < need)
		return NULL;
	h = (struct nlmsghdr *)(b->data + b->len);
	memset(h, 0, need);
	h->nlmsg_len = NLMSG_LENGTH(hdrlen);
	h->nlmsg_type = type;
	h->nlmsg_flags = flags;
	h->nlmsg_seq = seq;
	h->nlmsg_pid = pid;
	b->len += need;
	return h;
}

/**
 * rtnl__msg_end() - set a message's length to cover what was added
 * @b:		the datagram
 * @h:		the message, started with rtnl__msg_put()
 */
void rtnl__msg_end(struct rtnl_buf *b, struct nlmsghdr *h)
{
	h->nlmsg_len = (uint32_t)(b->data + b->len - (uint8_t *)h);
}

/**
 * rtnl__put() - append an attribute, padded to 4 bytes
 * @b:		the datagram
 * @type:	attribute type
 * @data:	payload (may be NULL when @len is 0)
 * @len:	payload bytes
 *
 * Return: 0, or -EMSGSIZE when it does not fit
 */
int rtnl__put(struct rtnl_buf *b, uint16_t type, const void *data,
	      size_t len)
{
	size_t need = NLA_ALIGN(NLA_HDRLEN + len);
	struct nlattr *a;

	if (b->cap - b->len < need || NLA_HDRLEN + len > 0xffff)
		return -EMSGSIZE;
	a = (struct nlattr *)(b->data + b->len);
	memset(a, 0, need);
	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	if (len)
		memcpy((uint8_t *)a + NLA_HDRLEN, data, len);
	b->len += need;
	return 0;
}

int rtnl__put_u8(struct rtnl_buf *b, uint16_t type, uint8_t v)
{
	return rtnl__put(b, type, &v, sizeof(v));
}

int rtnl__put_u32(struct rtnl_buf *b, uint16_t type, uint32_t v)
{
	return rtnl__put(b, type, &v, sizeof(v));
}

int rtnl__put_str(struct rtnl_buf *b, uint16_t type, const char *s)
{
	return rtnl__put(b, type, s, strlen(s) + 1);
}

/**
 * rtnl__nest_start() - open a nested attribute
 * @b:		the datagram
 * @type:	attribute type
 *
 * Return: the nest to close with rtnl__nest_end(), or NULL without room
 */
struct nlattr *rtnl__nest_start(struct rtnl_buf *b, uint16_t type)
{
	size_t at = b->len;

	if (rtnl__put(b, type, NULL, 0))
		return NULL;
	return (struct nlattr *)(b->data + at);
}

void rtnl__nest_end(struct rtnl_buf *b, struct nlattr *nest)
{
	nest->nla_len = (uint16_t)(b->data + b->len - (uint8_t *)nest);
}

/* ---- parsing ---- */

/**
 * rtnl__fail() - set the extended ack's text and return an error
 * @ext:	the request's extended ack
 * @ret:	the negative errno to return
 * @fmt:	the reason, printf style
 *
 * Return: @ret
 */
int rtnl__fail(struct rtnl_ext *ext, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ext->msg, sizeof(ext->msg), fmt, ap);
	va_end(ap);
	return ret;
}

bool rtnl__strict(const struct rtnl *r)
{
	return r->opts & RTNL_O_STRICT;
}

/* Attributes of @len bytes at @p into @tb; Linux's __nla_validate_parse()
 * without a policy: a truncated attribute ends the walk, trailing bytes
 * and types above @maxtype are errors only when @strict
 * (NL_VALIDATE_DEPRECATED_STRICT). */
int rtnl__parse_attrs(const uint8_t *p, size_t len, unsigned int maxtype,
		       bool strict, struct rtnl_attrs *tb, struct rtnl_ext *ext)
{
	const struct nlattr *a;
	unsigned int type;

	memset(tb, 0, sizeof(*tb));
	if (maxtype > RTNL_ATTR_MAX)
		maxtype = RTNL_ATTR_MAX;
	while ((a = rtnl__next_attr(&p, &len))) {
		type = a->nla_type & NLA_TYPE_MASK;
		if (type > maxtype && strict) {
			ext->bad = a;
			return rtnl__fail(ext, -EINVAL, "Unknown attribute type");
		}
		if (type <= maxtype)
			tb->a[type] = a;
	}
	if (len && strict)
		return rtnl__fail(ext, -EINVAL,
				  "bytes leftover after parsing attributes");
	return 0;
}

/**
 * rtnl__next_attr() - the next whole attribute of a run of them, as
 *		       nla_for_each_attr() walks it
 * @p:		the run, moved past the attribute
 * @rem:	its bytes left, less the attribute's (aligned, capped)
 *
 * Return: the attribute, or NULL at the end or at a malformed one (too
 * short, or longer than what is left), where nla_for_each_attr() stops
 */
const struct nlattr *rtnl__next_attr(const uint8_t **p, size_t *rem)
{
	const struct nlattr *a = (const struct nlattr *)(const void *)*p;
	size_t step;

	if (*rem < NLA_HDRLEN || a->nla_len < NLA_HDRLEN || a->nla_len > *rem)
		return NULL;
	step = NLA_ALIGN(a->nla_len);
	if (step > *rem)
		step = *rem;
	*p += step;
	*rem -= step;
	return a;
}

/**
 * rtnl__parse() - check a request's family header and index its attributes
 * @h:		the message
 * @hdrlen:	size of its family header
 * @maxtype:	highest attribute type known
 * @strict:	NETLINK_GET_STRICT_CHK validation for this request
 * @tb:		the attributes, by type
 * @ext:	extended ack for errors
 *
 * Return: 0, or -EINVAL (header too short; junk under @strict)
 */
int rtnl__parse(const struct nlmsghdr *h, size_t hdrlen, unsigned int maxtype,
		bool strict, struct rtnl_attrs *tb, struct rtnl_ext *ext)
{
	size_t off = NLMSG_SPACE(hdrlen);

	memset(tb, 0, sizeof(*tb));
	if (h->nlmsg_len < NLMSG_LENGTH(hdrlen))
		return rtnl__fail(ext, -EINVAL, "Invalid header length");
	if (h->nlmsg_len <= off)
		return 0;
	return rtnl__parse_attrs((const uint8_t *)h + off, h->nlmsg_len - off,
			   maxtype, strict, tb, ext);
}

int rtnl__parse_nested(const struct nlattr *nest, unsigned int maxtype,
		       struct rtnl_attrs *tb, struct rtnl_ext *ext)
{
	return rtnl__parse_attrs((const uint8_t *)nest + NLA_HDRLEN,
			   nest->nla_len - NLA_HDRLEN, maxtype, false, tb, ext);
}

/*
 * What validate_nla()'s switch on the policy's type says of @a's payload
 * once its length and NLA_F_NESTED passed: 0, or the errno that goes
 * with "Attribute failed policy validation" (-ERANGE, or -EINVAL for
 * NLA_REJECT and a NLA_NUL_STRING without its NUL).
 */
static int strict_value(const struct nlattr *a, const struct rtnl_spol *e)
{
	const uint8_t *d = RTNL_ATTR_DATA(a);
	size_t alen = RTNL_ATTR_LEN(a);

	switch (e->type) {
	case RTNL_S_FLAG:
		return alen ? -ERANGE : 0;
	case RTNL_S_NESTED:
		return alen && alen < NLA_HDRLEN ? -ERANGE : 0;
	case RTNL_S_BINARY:
		return e->arg && alen > e->arg ? -ERANGE : 0;
	case RTNL_S_STRING:
		if (!alen)
			return -ERANGE;
		if (!d[alen - 1])
			alen--;
		return e->arg && alen > e->arg ? -ERANGE : 0;
	case RTNL_S_NUL_STRING:
		return alen && memchr(d, '\0', alen) ? 0 : -EINVAL;
	case RTNL_S_REJECT:
		return -EINVAL;
	}
	return 0;
}

/*
 * Each attribute of a run (@p, @rem bytes) against @pol, whose last type
 * is @maxtype, in the order __nla_validate_parse() and validate_nla()
 * check them under NL_VALIDATE_STRICT, then the bytes left over; the
 * caller indexed them already.
 */
static int strict_run(const uint8_t *p, size_t rem, const struct rtnl_spol *pol,
		      unsigned int maxtype, struct rtnl_ext *ext)
{
	static const size_t exact[] = {
		[RTNL_S_U8] = 1, [RTNL_S_U16] = 2, [RTNL_S_U32] = 4,
	};
	const struct rtnl_spol *e;
	const struct nlattr *a;
	unsigned int type;
	uint32_t v;
	size_t alen;
	int ret;

	while ((a = rtnl__next_attr(&p, &rem))) {
		type = a->nla_type & NLA_TYPE_MASK;
		alen = RTNL_ATTR_LEN(a);
		ext->bad = a;
		if (!type || type > maxtype)
			return rtnl__fail(ext, -EINVAL, "Unknown attribute type");
		e = &pol[type];
		if (e->type == RTNL_S_NONE)
			return rtnl__fail(ext, -EINVAL, "Unsupported attribute");
		if (e->type <= RTNL_S_U32 && alen != exact[e->type])
			return rtnl__fail(ext, -EINVAL, "invalid attribute length");
		if (e->type == RTNL_S_NESTED && !(a->nla_type & NLA_F_NESTED))
			return rtnl__fail(ext, -EINVAL, "NLA_F_NESTED is missing");
		if (e->type != RTNL_S_NESTED && (a->nla_type & NLA_F_NESTED))
			return rtnl__fail(ext, -EINVAL, "NLA_F_NESTED not expected");
		ret = strict_value(a, e);
		if (ret)
			return rtnl__fail(ext, ret, "Attribute failed policy validation");
		v = 0;
		if (e->type <= RTNL_S_U32)
			memcpy(&v, RTNL_ATTR_DATA(a), alen); /* little-endian */
		if ((e->check == RTNL_SC_MAX && v > e->arg) ||
		    (e->check == RTNL_SC_MIN && v < e->arg) ||
		    (e->check == RTNL_SC_SMIN && (int32_t)v < (int32_t)e->arg))
			return rtnl__fail(ext, -ERANGE, "integer out of range");
		if (e->check == RTNL_SC_MASK && (v & ~e->arg))
			return rtnl__fail(ext, -EINVAL, "reserved bit set");
	}
	ext->bad = NULL;
	if (rem)
		return rtnl__fail(ext, -EINVAL, "bytes leftover after parsing attributes");
	return 0;
}

/**
 * rtnl__parse_strict() - nlmsg_parse() with a policy: the header checked
 * long enough, the attributes indexed in @tb, then each checked against
 * @pol whatever the socket's NETLINK_GET_STRICT_CHK (the requests Linux
 * parses so)
 * @h:		the message
 * @hdrlen:	size of its family header
 * @pol:	by type, @maxtype + 1 entries
 * @maxtype:	the policy's last type
 * @tb:		the attributes, by type
 * @ext:	extended ack
 *
 * Return: 0, or -EINVAL or -ERANGE with Linux's message
 */
int rtnl__parse_strict(const struct nlmsghdr *h, size_t hdrlen,
		       const struct rtnl_spol *pol, unsigned int maxtype,
		       struct rtnl_attrs *tb, struct rtnl_ext *ext)
{
	size_t off = NLMSG_SPACE(hdrlen);
	int ret;

	ret = rtnl__parse(h, hdrlen, maxtype, false, tb, ext);
	if (ret || h->nlmsg_len <= off)
		return ret;
	return strict_run((const uint8_t *)h + off, h->nlmsg_len - off, pol,
			  maxtype, ext);
}

/**
 * rtnl__parse_nested_strict() - nla_parse_nested() with a policy: the
 * attributes inside @nest, as rtnl__parse_strict() parses a message's
 * @nest:	the nested attribute
 * @pol:	by type, @maxtype + 1 entries
 * @maxtype:	the policy's last type
 * @tb:		the attributes, by type
 * @ext:	extended ack
 *
 * Return: 0, or -EINVAL or -ERANGE with Linux's message
 */
int rtnl__parse_nested_strict(const struct nlattr *nest,
			      const struct rtnl_spol *pol, unsigned int maxtype,
			      struct rtnl_attrs *tb, struct rtnl_ext *ext)
{
	int ret = rtnl__parse_nested(nest, maxtype, tb, ext);

	return ret ? ret : strict_run(RTNL_ATTR_DATA(nest), RTNL_ATTR_LEN(nest),
				      pol, maxtype, ext);
}

/**
 * rtnl__validate_strict() - nla_validate(a, a->nla_len, ...): the one
 * attribute @a checked against @pol as rtnl__parse_strict() checks each
 * (rtnl_alt_ifname() so checks each name of a property list)
 * @a:		the attribute
 * @pol:	by type, @maxtype + 1 entries
 * @maxtype:	the policy's last type
 * @ext:	extended ack
 *
 * Return: 0, or -EINVAL or -ERANGE with Linux's message
 */
int rtnl__validate_strict(const struct nlattr *a, const struct rtnl_spol *pol,
			  unsigned int maxtype, struct rtnl_ext *ext)
{
	return strict_run((const uint8_t *)a, a->nla_len, pol, maxtype, ext);
}

static int policy_attrs(const uint8_t *p, size_t len,
			const struct rtnl_policy *pol, unsigned int maxtype,
			struct rtnl_ext *ext);

/**
 * rtnl__policy() - check every attribute of a request against the lengths
 * of a policy, as Linux does while parsing, before the handler looks at
 * anything: each occurrence of a type counts (nla_validate() walks them
 * all), not the last one alone
 * @h:		the message (its header already checked long enough)
 * @hdrlen:	size of its family header
 * @pol:	by type, @maxtype + 1 of them
 * @maxtype:	highest type @pol covers (others are not checked)
 * @ext:	extended ack
 *
 * Return: 0, or -ERANGE 'Attribute failed policy validation' with the
 * attribute as the bad one
 */
int rtnl__policy(const struct nlmsghdr *h, size_t hdrlen,
		 const struct rtnl_policy *pol, unsigned int maxtype,
		 struct rtnl_ext *ext)
{
	size_t off = NLMSG_SPACE(hdrlen);

	if (h->nlmsg_len <= off)
		return 0;
	return policy_attrs((const uint8_t *)h + off, h->nlmsg_len - off, pol,
			    maxtype, ext);
}

/**
 * rtnl__policy_nested() - rtnl__policy() for the attributes inside @nest
 * (nla_parse_nested()'s validation)
 * @nest:	the nested attribute
 * @pol:	by type, @maxtype + 1 of them
 * @maxtype:	highest type @pol covers
 * @ext:	extended ack
 *
 * Return: 0, or -ERANGE 'Attribute failed policy validation'
 */
int rtnl__policy_nested(const struct nlattr *nest, const struct rtnl_policy *pol,
			unsigned int maxtype, struct rtnl_ext *ext)
{
	return policy_attrs((const uint8_t *)nest + NLA_HDRLEN,
			    nest->nla_len - NLA_HDRLEN, pol, maxtype, ext);
}

static int policy_attrs(const uint8_t *p, size_t len,
			const struct rtnl_policy *pol, unsigned int maxtype,
			struct rtnl_ext *ext)
{
	const struct nlattr *a;
	unsigned int type;
	size_t alen;

	while ((a = rtnl__next_attr(&p, &len))) {
		type = a->nla_type & NLA_TYPE_MASK;
		alen = a->nla_len - NLA_HDRLEN;
		if (type <= maxtype && (pol[type].check == RTNL_P_REJECT ||
					pol[type].check == RTNL_P_UNSUPP)) {
			ext->bad = a;
			return rtnl__fail(ext, -EINVAL, pol[type].check == RTNL_P_REJECT ?
					  "Attribute failed policy validation" :
					  "Unsupported attribute");
		}
		/* NLA_STRING: none at all fails; a NUL at the end does
		 * not count against its .len */
		if (type <= maxtype && pol[type].str && !alen) {
			ext->bad = a;
			return rtnl__fail(ext, -ERANGE,
					  "Attribute failed policy validation");
		}
		if (type <= maxtype && pol[type].str &&
		    !((const uint8_t *)a)[a->nla_len - 1])
			alen--;
		if (type <= maxtype &&
		    ((pol[type].min && alen < pol[type].min) ||
		     (pol[type].max && alen > pol[type].max) ||
		     (pol[type].nest && alen && alen < NLA_HDRLEN))) {
			ext->bad = a;
			return rtnl__fail(ext, -ERANGE,
					  "Attribute failed policy validation");
		}
		if (type <= maxtype && alen >= 4 &&
		    (pol[type].check == RTNL_P_MIN_U32 ||
		     pol[type].check == RTNL_P_MIN_S32)) {
			uint32_t v = rtnl__get_u32(a);

			if (pol[type].check == RTNL_P_MIN_U32 ?
			    (int64_t)v < pol[type].vmin :
			    (int32_t)v < pol[type].vmin) {
				ext->bad = a;
				return rtnl__fail(ext, -ERANGE, "integer out of range");
			}
		}
	}
	return 0;
}

/**
 * rtnl__get_u32() - nla_get_u32(): the first 4 bytes of an attribute that
 * a policy has checked long enough
 * @a:		the attribute
 *
 * Return: its value
 */
uint32_t rtnl__get_u32(const struct nlattr *a)
{
	uint32_t v;

	memcpy(&v, RTNL_ATTR_DATA(a), sizeof(v));
	return v;
}

/**
 * rtnl__attr_u32() - read a u32 attribute as NLA_U32's policy does
 * @a:		the attribute
 * @v:		its value
 * @ext:	extended ack
 *
 * Return: 0, or -ERANGE when shorter than 4 bytes (validate_nla())
 */
int rtnl__attr_u32(const struct nlattr *a, uint32_t *v, struct rtnl_ext *ext)
{
	if (a->nla_len < NLA_HDRLEN + sizeof(*v)) {
		ext->bad = a;
		return rtnl__fail(ext, -ERANGE,
				  "Attribute failed policy validation");
	}
	memcpy(v, (const uint8_t *)a + NLA_HDRLEN, sizeof(*v));
	return 0;
}

/**
 * rtnl__attr_addr() - read an address attribute of @family
 * @a:		the attribute
 * @family:	AF_INET (4 bytes) or AF_INET6 (16)
 * @out:	16 bytes, zero past the address
 * @ext:	extended ack
 *
 * Return: 0, or -ERANGE when too short (Linux's policies NLA_U32 and
 * .len = sizeof(struct in6_addr))
 */
int rtnl__attr_addr(const struct nlattr *a, uint8_t family, uint8_t *out,
		    struct rtnl_ext *ext)
{
	size_t alen = family == AF_INET6 ? 16 : 4;

	memset(out, 0, 16);
	if (a->nla_len < NLA_HDRLEN + alen) {
		ext->bad = a;
		return rtnl__fail(ext, -ERANGE,
				  "Attribute failed policy validation");
	}
	memcpy(out, (const uint8_t *)a + NLA_HDRLEN, alen);
	return 0;
}

/* ---- output ---- */

static void lose(struct rtnl *r)
{
	r->overrun = true;
}

/* The socket filter's verdict on @b: false drops it (its data freed);
 * else it may be trimmed */
static bool filter_pass(struct rtnl *r, struct rtnl_buf *b)
{
	size_t keep;

	if (!r->filter || !b->len)
		return true;
	keep = r->filter(r->arg, b->data, b->len);
	if (!keep) {
		free(b->data);
		b->data = NULL;
		b->len = 0;
		return false;
	}
	if (keep < b->len)
		b->len = keep;
	return true;
}

/* Queue @b (its data now belongs to the queue, or is freed); @group:
 * the notification's (filtered already), 0 for a reply */
static int enqueue_group(struct rtnl *r, struct rtnl_buf *b,
			 unsigned int group)
{
	struct rtnl_out *o;

	if (!group && !filter_pass(r, b))
		return 0;
	if (!b->len || r->queued + b->len > RTNL_QUEUE_MAX ||
	    !(o = malloc(sizeof(*o)))) {
		free(b->data);
		b->data = NULL;
		if (b->len)
			lose(r);
		return b->len ? -ENOBUFS : 0;
	}
	o->next = NULL;
	o->len = b->len;
	o->truesize = rtnl_truesize(b->len, group);
	o->data = b->data;
	b->data = NULL;
	*r->tail = o;
	r->tail = &o->next;
	r->queued += o->len;
	r->queued_true += o->truesize;
	return 0;
}

static int enqueue(struct rtnl *r, struct rtnl_buf *b)
{
	return enqueue_group(r, b, 0);
}

static void dequeue(struct rtnl *r)
{
	struct rtnl_out *o = r->head;

	r->head = o->next;
	if (!r->head)
		r->tail = &r->head;
	r->queued -= o->len;
	r->queued_true -= o->truesize;
	free(o->data);
	free(o);
}

static size_t rmem(struct rtnl *r);

/* The head datagram went to the program's end: remember it until read.
 * Without memory it is forgotten, which only makes room look larger. */
static void sent_push(struct rtnl *r, const struct rtnl_out *o)
{
	struct rtnl_sent *e;

	if (!r->inflight)
		return;
	if (r->sent_n == r->sent_cap)
		rmem(r);	/* forget what was read: a socket joined to no
				 * group would else keep every reply */
	if (r->sent_n == r->sent_cap) {
		size_t cap = r->sent_cap ? 2 * r->sent_cap : 64, i;
		struct rtnl_sent *n = malloc(cap * sizeof(*n));

		if (!n)
			return;
		for (i = 0; i < r->sent_n; i++)
			n[i] = r->sent[(r->sent_head + i) & (r->sent_cap - 1)];
		free(r->sent);
		r->sent = n;
		r->sent_cap = cap;
		r->sent_head = 0;
	}
	e = &r->sent[(r->sent_head + r->sent_n++) & (r->sent_cap - 1)];
	e->host = (uint32_t)host_truesize(o->len);
	e->linux = (uint32_t)o->truesize;
	r->sent_host += e->host;
	r->sent_linux += e->linux;
}

/*
 * What the socket's receive queue would hold on Linux: what waits here
 * plus what the program has not read of what was sent.  The program reads
 * in order, so of the datagrams sent, the newest ones that add up to what
 * the host still charges for (@inflight) are the unread ones.
 */
static size_t rmem(struct rtnl *r)
{
	if (r->inflight && r->sent_n) {
		size_t left = r->inflight(r->arg);

		while (r->sent_n && r->sent_host > left) {
			struct rtnl_sent *e = &r->sent[r->sent_head];

			r->sent_host -= e->host;
			r->sent_linux -= e->linux;
			r->sent_head = (r->sent_head + 1) & (r->sent_cap - 1);
			r->sent_n--;
		}
	}
	return r->queued_true + r->sent_linux;
}

/* Put NLMSG_DONE carrying @err (and @ext's text) into @b: 0 or -EMSGSIZE */
static int done_put(struct rtnl *r, struct rtnl_buf *b, uint32_t seq,
		    uint16_t flags, int err, const struct rtnl_ext *ext)
{
	size_t mark = b->len;
	struct nlmsghdr *h;
	int32_t e = err;

	h = rtnl__msg_put(b, NLMSG_DONE, NLM_F_MULTI | flags, seq, r->portid,
			  sizeof(e));
	if (!h)
		return -EMSGSIZE;
	memcpy(NLMSG_DATA(h), &e, sizeof(e));
	if (ext && ext->msg[0] && (r->opts & RTNL_O_EXT_ACK)) {
		h->nlmsg_flags |= NLM_F_ACK_TLVS;
		if (rtnl__put_str(b, NLMSGERR_ATTR_MSG, ext->msg)) {
			b->len = mark;
			return -EMSGSIZE;
		}
	}
	rtnl__msg_end(b, h);
	return 0;
}

static void dump_free(struct rtnl *r)
{
	if (r->dump)
		rtnl__diag_release(r->dump);
	free(r->dump);
	r->dump = NULL;
}

/* One datagram of the dump in progress into the queue */
static void dump_step(struct rtnl *r)
{
	struct rtnl_dump *d = r->dump;
	struct rtnl_buf b;
	int ret;

	if (rtnl__buf_init(&b, d->room > r->dgram ? d->room : r->dgram)) {
		lose(r);
		dump_free(r);
		return;
	}
	ret = d->done_next ? 1 : d->ops->fill(r, d, &b);
	if (!ret && !b.len)
		ret = -EMSGSIZE;	/* one message larger than a datagram */
	if (ret == 1 && b.len && d->split_done) {
		d->done_next = true;	/* DONE alone, in the next part */
		enqueue(r, &b);
		return;
	}
	if (ret) {
		if (done_put(r, &b, d->seq, d->answer_flags, ret < 0 ? ret : 0,
			     NULL)) {
			enqueue(r, &b);
			if (!rtnl__buf_init(&b, NLMSG_SPACE(sizeof(int))))
				done_put(r, &b, d->seq, d->answer_flags,
					 ret < 0 ? ret : 0, NULL);
		}
		dump_free(r);
	}
	enqueue(r, &b);
}

/* Send what waits; with @advance, let a dump produce more as room comes */
static void flush(struct rtnl *r, bool advance)
{
	int ret;

	if (r->flushing)
		return;
	r->flushing = true;
	for (;;) {
		if (!r->head) {
			if (!advance || !r->dump || r->blocked)
				break;
			dump_step(r);
			continue;
		}
		ret = r->send(r->arg, r->head->data, r->head->len);
		if (ret == -EAGAIN) {
			r->blocked = true;
			break;
		}
		if (ret < 0)
			lose(r);
		else
			sent_push(r, r->head);
		dequeue(r);
	}
	r->flushing = false;
}

/**
 * rtnl__unicast() - queue a reply datagram to the program
 * @r:		the socket
 * @b:		the datagram; its data is taken
 *
 * Return: 0, or -ENOBUFS when it was lost
 */
int rtnl__unicast(struct rtnl *r, struct rtnl_buf *b)
{
	return enqueue(r, b);
}

/**
 * rtnl__multicast() - deliver a notification if the socket joined @group
 * @r:		the socket
 * @group:	RTNLGRP_*
 * @b:		the datagram; its data is taken
 */
void rtnl__multicast(struct rtnl *r, unsigned int group, struct rtnl_buf *b)
{
	size_t used, size;

	if (!group || group > 64 || !(r->groups & (1ull << (group - 1)))) {
		free(b->data);
		b->data = NULL;
		return;
	}
	if (!filter_pass(r, b))
		return;
	/* netlink_broadcast_deliver() of Linux 6.18: kept while it fits the
	 * receive buffer, none after one was lost (NETLINK_S_CONGESTED) until
	 * the queue was read empty; ENOBUFS once, at the first loss */
	size = rtnl_truesize(b->len, group);
	/* what was sent is unread at most: no need to ask when that fits */
	used = !r->congested && r->queued_true + r->sent_linux + size <= r->rcvbuf ?
	       r->queued_true + r->sent_linux : rmem(r);
	if (r->congested && !used)
		r->congested = false;
	if (r->congested || used + size > r->rcvbuf) {
		free(b->data);
		b->data = NULL;
		if (!(r->opts & RTNL_O_NO_ENOBUFS) && !r->congested) {
			r->congested = true;
			lose(r);
		}
		return;
	}
	if (!enqueue_group(r, b, group) && !r->blocked)
		flush(r, false);
}

/* ---- acks ---- */

static size_t ack_tlv_len(const struct rtnl *r, int err,
			  const struct rtnl_ext *ext)
{
	size_t len = 0;

	if (!(r->opts & RTNL_O_EXT_ACK) || !err)
		return 0;
	if (ext->msg[0])
		len += NLA_ALIGN(NLA_HDRLEN + strlen(ext->msg) + 1);
	if (ext->bad)
		len += NLA_ALIGN(NLA_HDRLEN + sizeof(uint32_t));
	return len;
}

/* NLMSG_ERROR for @h as netlink_ack() (Linux 6.x) builds it */
static void ack(struct rtnl *r, const struct nlmsghdr *h, int err,
		const struct rtnl_ext *ext)
{
	bool full = err && !(r->opts & RTNL_O_CAP_ACK);
	size_t tlv = ack_tlv_len(r, err, ext);
	size_t body = full ? NLMSG_ALIGN(h->nlmsg_len) : sizeof(*h);
	struct nlmsgerr *e;
	struct nlmsghdr *rep;
	struct rtnl_buf b;

	if (rtnl__buf_init(&b, NLMSG_HDRLEN + sizeof(int) + body + tlv)) {
		lose(r);
		return;
	}
	rep = rtnl__msg_put(&b, NLMSG_ERROR, (full ? 0 : NLM_F_CAPPED) |
			    (tlv ? NLM_F_ACK_TLVS : 0), h->nlmsg_seq,
			    r->portid, sizeof(int) + body);
	e = NLMSG_DATA(rep);
	e->error = err;
	memcpy(&e->msg, h, full ? h->nlmsg_len : sizeof(*h));
	if (tlv && ext->msg[0])
		rtnl__put_str(&b, NLMSGERR_ATTR_MSG, ext->msg);
	if (tlv && ext->bad)
		rtnl__put_u32(&b, NLMSGERR_ATTR_OFFS, (uint32_t)
			      ((const uint8_t *)ext->bad - (const uint8_t *)h));
	rtnl__msg_end(&b, rep);
	enqueue(r, &b);
}

/* ---- the message loop ---- */

static const struct rtnl_handler *handler_find(uint16_t type)
{
	size_t i;

	for (i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
		if (handlers[i].type == type)
			return &handlers[i];
	return NULL;
}

/**
 * rtnl__dump_start() - a dump request: its first part now, its errors in
 *			NLMSG_DONE
 * @r:		the socket
 * @h:		the request
 * @dumpit:	sets r->dump up (rtnl__dump_new()), or fails
 * @ext:	the extended ack
 *
 * Return: DUMP_STARTED (answered), or -EBUSY while another dump runs
 */
int rtnl__dump_start(struct rtnl *r, const struct nlmsghdr *h,
		     rtnl_doit_fn *dumpit, struct rtnl_ext *ext)
{
	struct rtnl_buf b;
	int ret;

	if (r->dump)
		return -EBUSY;		/* netlink_dump_start(): cb_running */
	ret = dumpit(r, h, ext);
	if (ret >= 0 && r->dump) {
		dump_step(r);
		return DUMP_STARTED;
	}
	if (rtnl__buf_init(&b, NLMSG_SPACE(sizeof(int)) + NLA_HDRLEN +
			   sizeof(ext->msg) + 4)) {
		lose(r);
		return DUMP_STARTED;
	}
	done_put(r, &b, h->nlmsg_seq, 0, ret, ext);
	enqueue(r, &b);
	return DUMP_STARTED;
}

/* rtnetlink_rcv_msg() */
static int rcv_msg(struct rtnl *r, const struct nlmsghdr *h,
		   struct rtnl_ext *ext)
{
	const struct rtnl_handler *hd;
	int kind;

	if (r->proto == NETLINK_SOCK_DIAG)
		return rtnl__diag_rcv(r, h, ext);
	if (h->nlmsg_type > RTM_MAX)
		return -EOPNOTSUPP;
	/* "All the messages must have at least 1 byte length" */
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct rtgenmsg)))
		return 0;
	hd = handler_find(h->nlmsg_type);
	if (hd && hd->family &&
	    ((const struct rtgenmsg *)NLMSG_DATA(h))->rtgen_family != hd->family)
		return -EOPNOTSUPP;
	kind = (h->nlmsg_type - RTM_BASE) & 3;
	if (kind == 2 && (h->nlmsg_flags & NLM_F_DUMP)) {
		if (!hd || !hd->dumpit)
			return -EOPNOTSUPP;
		return rtnl__dump_start(r, h, hd->dumpit, ext);
	}
	if (!hd || !hd->doit)
		return -EOPNOTSUPP;
	/* no handler here takes RTNL_FLAG_BULK_DEL_SUPPORTED's requests
	 * (Linux's are the bridge's fdb and mdb): NLM_F_BULK, which is
	 * NLM_F_EXCL's bit, makes a delete fail before it is parsed */
	if (kind == 1 && (h->nlmsg_flags & NLM_F_BULK))
		return rtnl__fail(ext, -EOPNOTSUPP, "Bulk delete is not supported");
	return hd->doit(r, h, ext);
}

/* One message, acked as netlink_rcv_skb() does */
static void rcv_one(struct rtnl *r, const struct nlmsghdr *h)
{
	struct rtnl_ext ext = { .msg = "", .bad = NULL };
	int err = 0;

	if ((h->nlmsg_flags & NLM_F_REQUEST) &&
	    h->nlmsg_type >= NLMSG_MIN_TYPE) {
		net_set_origin(r->net, r->portid, h->nlmsg_seq);
		err = rcv_msg(r, h, &ext);
		net_set_origin(r->net, 0, 0);
	}
	if (err == DUMP_STARTED)
		return;
	if ((h->nlmsg_flags & NLM_F_ACK) || err)
		ack(r, h, err, &ext);
}

/**
 * rtnl_input() - take one datagram the program sent to the kernel
 * @r:		the socket
 * @buf:	the datagram
 * @len:	its length
 *
 * Every request in it is answered (or fails) as Linux would; the replies
 * are sent before this returns as far as the program's queue allows.
 *
 * Return: 0, -EINVAL for misuse, -ENOMEM
 */
int rtnl_input(struct rtnl *r, const void *buf, size_t len)
{
	const struct nlmsghdr *h;
	size_t off = 0, step;
	uint8_t *copy;

	if (!r || (!buf && len))
		return -EINVAL;
	if (len < NLMSG_HDRLEN)
		return 0;
	copy = malloc(len);		/* aligned for the casts below */
	if (!copy)
		return -ENOMEM;
	memcpy(copy, buf, len);
	while (len - off >= NLMSG_HDRLEN) {
		h = (const struct nlmsghdr *)(copy + off);
		if (h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > len - off)
			break;
		rcv_one(r, h);
		step = NLMSG_ALIGN(h->nlmsg_len);
		off += step < len - off ? step : len - off;
	}
	free(copy);
	flush(r, true);
	return 0;
}

/**
 * rtnl_set_rcvbuf() - see rtnl.h
 * @r:		the socket
 * @bytes:	Linux's sk_rcvbuf
 */
void rtnl_set_rcvbuf(struct rtnl *r, size_t bytes)
{
	if (r)
		r->rcvbuf = bytes;
}

/**
 * rtnl_set_inflight() - see rtnl.h
 * @r:		the socket
 * @fn:		what the program's end holds unread, in host bytes
 */
void rtnl_set_inflight(struct rtnl *r, rtnl_inflight_fn *fn)
{
	if (r)
		r->inflight = fn;
}

/**
 * rtnl_set_filter() - see rtnl.h
 * @r:		the socket
 * @fn:		the filter, NULL for none
 */
void rtnl_set_filter(struct rtnl *r, rtnl_filter_fn *fn)
{
	if (r)
		r->filter = fn;
}

/**
 * rtnl_resume() - the program's queue has room again: continue sending
 * @r:		the socket
 */
void rtnl_resume(struct rtnl *r)
{
	if (!r)
		return;
	r->blocked = false;
	flush(r, true);
}

int rtnl_take_overrun(struct rtnl *r)
{
	if (!r || !r->overrun)
		return 0;
	r->overrun = false;
	return (r->opts & RTNL_O_NO_ENOBUFS) ? 0 : -ENOBUFS;
}

void rtnl_set_dgram_size(struct rtnl *r, size_t size)
{
	if (!r)
		return;
	if (size < RTNL_DGRAM_MIN)
		size = RTNL_DGRAM_MIN;
	if (size > RTNL_DGRAM_MAX)
		size = RTNL_DGRAM_MAX;
	r->dgram = size;
}

size_t rtnl_dgram_size(const struct rtnl *r)
{
	return r ? r->dgram : 0;
}

/*
 * Whether Linux 6.18 sends the NLMSG_DONE of the dump @h asks for apart
 * from its last messages (struct rtnl_dump's @split_done): links but for
 * inet6_dump_ifinfo(), IPv4 addresses, routes and qdiscs (their dumps
 * return skb->len, or have RTNL_FLAG_DUMP_SPLIT_NLM_DONE), and whatever
 * goes through rtnl_dump_all() (family 0 for addresses and netconf).
 * Checked with two dumps in one datagram in a 6.18 namespace.
 */
static bool dump_splits_done(const struct nlmsghdr *h)
{
	uint8_t family = ((const struct rtgenmsg *)NLMSG_DATA(h))->rtgen_family;

	switch (h->nlmsg_type) {
	case RTM_GETLINK:
		return family != AF_INET6 && family != AF_BRIDGE;
	case RTM_GETADDR:
		return family != AF_INET6;
	case RTM_GETNETCONF:
		return family != AF_INET && family != AF_INET6;
	case RTM_GETROUTE:
	case RTM_GETQDISC:
		return true;
	default:
		return false;
	}
}

/**
 * rtnl__dump_new() - make the socket's dump in progress
 * @r:		the socket
 * @h:		the dump request
 * @ops:	its kind
 *
 * Return: the dump, zeroed but for its request fields; NULL without memory
 */
struct rtnl_dump *rtnl__dump_new(struct rtnl *r, const struct nlmsghdr *h,
				 const struct rtnl_dump_ops *ops)
{
	struct rtnl_dump *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->ops = ops;
	d->seq = h->nlmsg_seq;
	d->type = h->nlmsg_type;
	if (r->proto == NETLINK_ROUTE)
		d->split_done = dump_splits_done(h);
	r->dump = d;
	return d;
}

/**
 * rtnl__dump_families() - the families a dump walks, as rtnl_dump_all():
 *			   AF_INET or AF_INET6 alone, anything else both
 * @d:		the dump, with no family yet
 * @family:	the request's family
 */
void rtnl__dump_families(struct rtnl_dump *d, uint8_t family)
{
	if (family == AF_INET || family == AF_INET6) {
		d->families[d->n_fam++] = family;
	} else {
		d->families[d->n_fam++] = AF_INET;
		d->families[d->n_fam++] = AF_INET6;
	}
}

/* ---- options and groups ---- */

static const struct {
	int opt;
	unsigned int bit;
} flag_opts[] = {
	{ NETLINK_PKTINFO,		RTNL_O_PKTINFO },
	{ NETLINK_BROADCAST_ERROR,	RTNL_O_BCAST_ERR },
	{ NETLINK_NO_ENOBUFS,		RTNL_O_NO_ENOBUFS },
	{ NETLINK_LISTEN_ALL_NSID,	RTNL_O_LISTEN_ALL },
	{ NETLINK_CAP_ACK,		RTNL_O_CAP_ACK },
	{ NETLINK_EXT_ACK,		RTNL_O_EXT_ACK },
	{ NETLINK_GET_STRICT_CHK,	RTNL_O_STRICT },
};

static int flag_bit(int opt)
{
	size_t i;

	for (i = 0; i < sizeof(flag_opts) / sizeof(flag_opts[0]); i++)
		if (flag_opts[i].opt == opt)
			return (int)flag_opts[i].bit;
	return 0;
}

/* @groups become the socket's: the network watches its neighbour tables
 * while a socket listens to RTNLGRP_NEIGH (net_neigh_watch()) */
static void set_groups(struct rtnl *r, uint64_t groups)
{
	uint64_t neigh = 1ull << (RTNLGRP_NEIGH - 1);

	if (r->proto == NETLINK_ROUTE && ((r->groups ^ groups) & neigh))
		net_neigh_watch(r->net, (groups & neigh) != 0);
	r->groups = groups;
}

/**
 * rtnl_setsockopt() - setsockopt(SOL_NETLINK, @opt)
 * @r:		the socket
 * @opt:	NETLINK_*
 * @val:	the value
 * @len:	its length
 *
 * As netlink_setsockopt(): a value shorter than an int reads as 0.
 *
 * Return: 0, -EINVAL (bad group), -ENOPROTOOPT (unknown option)
 */
int rtnl_setsockopt(struct rtnl *r, int opt, const void *val, size_t len)
{
	unsigned int v = 0;
	int bit;

	if (!r || (len && !val))
		return -EINVAL;
	if (len >= sizeof(int))
		memcpy(&v, val, sizeof(v));
	if (opt == NETLINK_ADD_MEMBERSHIP || opt == NETLINK_DROP_MEMBERSHIP) {
		if (!v || v - 1 >= RTNLGRP_MAX)
			return -EINVAL;
		if (opt == NETLINK_ADD_MEMBERSHIP)
			set_groups(r, r->groups | 1ull << (v - 1));
		else
			set_groups(r, r->groups & ~(1ull << (v - 1)));
		return 0;
	}
	bit = flag_bit(opt);
	if (!bit)
		return -ENOPROTOOPT;
	if (v)
		r->opts |= (unsigned int)bit;
	else
		r->opts &= ~(unsigned int)bit;
	return 0;
}

/* NETLINK_LIST_MEMBERSHIPS: as many u32 words of the bitmap as fit */
static int list_memberships(const struct rtnl *r, void *val, size_t *len)
{
	size_t pos;
	uint32_t w;

	for (pos = 0; pos * 8 < RTNLGRP_MAX; pos += sizeof(w)) {
		if (*len - pos < sizeof(w) || *len < pos)
			break;
		w = (uint32_t)(r->groups >> (pos * 8));
		memcpy((uint8_t *)val + pos, &w, sizeof(w));
	}
	*len = ((RTNLGRP_MAX + 7) / 8 + 3) & ~3u;
	return 0;
}

/**
 * rtnl_getsockopt() - getsockopt(SOL_NETLINK, @opt)
 * @r:		the socket
 * @opt:	NETLINK_*
 * @val:	where the value goes
 * @len:	in: room at @val; out: the option's length
 *
 * Return: 0, -EINVAL (room for less than an int), -ENOPROTOOPT
 */
int rtnl_getsockopt(struct rtnl *r, int opt, void *val, size_t *len)
{
	int bit, v;

	if (!r || !len || (*len && !val))
		return -EINVAL;
	if (opt == NETLINK_LIST_MEMBERSHIPS)
		return list_memberships(r, val, len);
	bit = flag_bit(opt);
	if (!bit)
		return -ENOPROTOOPT;
	if (*len < sizeof(int))
		return -EINVAL;
	v = !!(r->opts & (unsigned int)bit);
	memcpy(val, &v, sizeof(v));
	*len = sizeof(v);
	return 0;
}

/**
 * rtnl_bind() - bind(): the nl_groups bitmask replaces groups 1..32
 * @r:		the socket
 * @groups:	RTMGRP_* bits (group n is bit n-1)
 *
 * Return: 0, or -EINVAL for misuse
 */
int rtnl_bind(struct rtnl *r, uint32_t groups)
{
	if (!r)
		return -EINVAL;
	set_groups(r, (r->groups & ~0xffffffffull) | groups);
	return 0;
}

uint32_t rtnl_portid(const struct rtnl *r)
{
	return r ? r->portid : 0;
}

void rtnl_set_portid(struct rtnl *r, uint32_t portid)
{
	if (r)
		r->portid = portid;
}

/* ---- notifications ---- */

static unsigned int ev_group(const struct net_event *ev)
{
	switch (ev->type) {
	case NET_EV_NEWLINK:
	case NET_EV_DELLINK:
		return RTNLGRP_LINK;
	case NET_EV_NEWADDR:
	case NET_EV_DELADDR:
		return ev->addr->family == AF_INET6 ? RTNLGRP_IPV6_IFADDR :
						      RTNLGRP_IPV4_IFADDR;
	case NET_EV_NEWROUTE:
	case NET_EV_DELROUTE:
		return ev->route->family == AF_INET6 ? RTNLGRP_IPV6_ROUTE :
						       RTNLGRP_IPV4_ROUTE;
	case NET_EV_NETCONF:
		return ev->conf->family == AF_INET6 ? RTNLGRP_IPV6_NETCONF :
						      RTNLGRP_IPV4_NETCONF;
	case NET_EV_NEWRULE:
	case NET_EV_DELRULE:
		return ev->rule->family == AF_INET6 ? RTNLGRP_IPV6_RULE :
						      RTNLGRP_IPV4_RULE;
	case NET_EV_NEWNEIGH:
	case NET_EV_DELNEIGH:
		return RTNLGRP_NEIGH;
	case NET_EV_NEWPREFIX:
		return RTNLGRP_IPV6_PREFIX;
	case NET_EV_NEWNEXTHOP:
	case NET_EV_DELNEXTHOP:
		return RTNLGRP_NEXTHOP;
	case NET_EV_STATS:
		return RTNLGRP_STATS;
	}
	return 0;
}

/* inet6_fill_prefix(): a prefixmsg, the prefix and its lifetimes */
static int fill_prefix(struct rtnl_buf *b, const struct net_prefix *p,
		       uint32_t seq, uint32_t pid)
{
	struct prefix_cacheinfo ci = { p->preferred, p->valid };
	size_t mark = b->len;
	struct prefixmsg *pm;
	struct nlmsghdr *h;

	h = rtnl__msg_put(b, RTM_NEWPREFIX, 0, seq, pid, sizeof(*pm));
	if (!h)
		return -EMSGSIZE;
	pm = NLMSG_DATA(h);
	pm->prefix_family = AF_INET6;
	pm->prefix_ifindex = (int)p->ifindex;
	pm->prefix_type = 3;		/* ND_OPT_PREFIX_INFORMATION */
	pm->prefix_len = p->plen;
	pm->prefix_flags = p->flags;
	if (rtnl__put(b, PREFIX_ADDRESS, p->prefix, 16) ||
	    rtnl__put(b, PREFIX_CACHEINFO, &ci, sizeof(ci))) {
		b->len = mark;
		return -EMSGSIZE;
	}
	rtnl__msg_end(b, h);
	return 0;
}


/* net_listen_fn: one event, one notification, with the pid and seq of
 * the request that caused it (0, 0 for none) */
static void on_event(void *arg, const struct net_event *ev)
{
	static const uint16_t types[] = {
		[NET_EV_NEWLINK] = RTM_NEWLINK, [NET_EV_DELLINK] = RTM_DELLINK,
		[NET_EV_NEWADDR] = RTM_NEWADDR, [NET_EV_DELADDR] = RTM_DELADDR,
		[NET_EV_NEWROUTE] = RTM_NEWROUTE,
		[NET_EV_DELROUTE] = RTM_DELROUTE,
		[NET_EV_NEWRULE] = RTM_NEWRULE, [NET_EV_DELRULE] = RTM_DELRULE,
		[NET_EV_NEWNEIGH] = RTM_NEWNEIGH,
		[NET_EV_DELNEIGH] = RTM_DELNEIGH,
		[NET_EV_NEWPREFIX] = RTM_NEWPREFIX,
		[NET_EV_NEWNEXTHOP] = RTM_NEWNEXTHOP,
		[NET_EV_DELNEXTHOP] = RTM_DELNEXTHOP,
	};
	unsigned int group = ev_group(ev);
	bool link = ev->type == NET_EV_NEWLINK || ev->type == NET_EV_DELLINK;
	struct rtnl *r = arg;
	struct rtnl_buf b;
	int ret;

	if (!group || !(r->groups & (1ull << (group - 1))))
		return;
	/* a link's message is larger with altnames */
	if (rtnl__buf_init(&b, link ? rtnl__link_size(ev->link) : RTNL_NOTIFY_BUF)) {
		lose(r);
		return;
	}
	if (link)
		ret = rtnl__fill_link(&b, ev->link, types[ev->type], 0,
				      ev->seq, ev->portid);
	else if (ev->type == NET_EV_NEWADDR || ev->type == NET_EV_DELADDR)
		ret = rtnl__fill_addr(&b, ev->addr, types[ev->type], 0,
				      ev->seq, ev->portid);
	else if (ev->type == NET_EV_NETCONF)
		ret = rtnl__fill_netconf(&b, ev->conf, ev->conf->added, 0,
					 ev->seq, ev->portid);
	else if (ev->type == NET_EV_NEWRULE || ev->type == NET_EV_DELRULE)
		ret = rtnl__fill_rule(&b, ev->rule, ev->rule_flags,
				      types[ev->type], 0, ev->seq, ev->portid);
	else if (ev->type == NET_EV_NEWNEIGH || ev->type == NET_EV_DELNEIGH)
		ret = rtnl__fill_neigh(&b, ev->neigh, types[ev->type], 0,
				       ev->seq, ev->portid);
	else if (ev->type == NET_EV_NEWPREFIX)
		ret = fill_prefix(&b, ev->prefix, ev->seq, ev->portid);
	else if (ev->type == NET_EV_NEWNEXTHOP || ev->type == NET_EV_DELNEXTHOP)
		ret = rtnl__fill_nexthop(&b, ev->nh, types[ev->type], 0,
					 ev->seq, ev->portid);
	else if (ev->type == NET_EV_STATS)
		ret = rtnl__fill_stats_info(&b, ev->link);
	else
		ret = rtnl__fill_route(&b, r->net, ev->route, types[ev->type], 0,
				       ev->seq, ev->portid);
	if (ret) {
		free(b.data);
		lose(r);
		return;
	}
	rtnl__multicast(r, group, &b);
}

/* ---- lifecycle ---- */

/**
 * rtnl_new_proto() - a netlink socket's protocol side
 * @n:		the network it answers from (and listens to)
 * @proto:	NETLINK_ROUTE, or NETLINK_SOCK_DIAG (rtnl_set_socks() gives
 *		it the sockets to report; it joins no groups)
 * @portid:	its nl_pid, put in every reply
 * @send:	gives one datagram to the program
 * @arg:	@send's argument
 * @out:	the new socket
 *
 * Return: 0, -EINVAL, -EPROTONOSUPPORT, -ENOMEM, or net_listen()'s error
 */
int rtnl_new_proto(struct net *n, int proto, uint32_t portid,
		   rtnl_send_fn *send, void *arg, struct rtnl **out)
{
	struct rtnl *r;
	int ret;

	if (!n || !send || !out)
		return -EINVAL;
	if (proto != NETLINK_ROUTE && proto != NETLINK_SOCK_DIAG)
		return -EPROTONOSUPPORT;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->net = n;
	r->proto = proto;
	r->portid = portid;
	r->uid = net_own_uid(n);
	r->send = send;
	r->arg = arg;
	r->dgram = RTNL_DGRAM_DEFAULT;
	r->rcvbuf = RTNL_RCVBUF_DEFAULT;
	r->tail = &r->head;
	ret = proto == NETLINK_ROUTE ? net_listen(n, on_event, r) : 0;
	if (ret) {
		free(r);
		return ret;
	}
	*out = r;
	return 0;
}

/**
 * rtnl_set_uid() - the user a socket's requests come from (Linux's
 *		    current_uid(), which `ip route get` without `uid` asks
 *		    as): its maker's; the supervisor's until set
 * @r:		the socket
 * @uid:	the uid
 */
void rtnl_set_uid(struct rtnl *r, uint32_t uid)
{
	if (r)
		r->uid = uid;
}

/**
 * rtnl_new() - a NETLINK_ROUTE socket's protocol side: rtnl_new_proto()
 * @n:		the network it answers from (and listens to)
 * @portid:	its nl_pid
 * @send:	gives one datagram to the program
 * @arg:	@send's argument
 * @out:	the new socket
 *
 * Return: as rtnl_new_proto()
 */
int rtnl_new(struct net *n, uint32_t portid, rtnl_send_fn *send, void *arg,
	     struct rtnl **out)
{
	return rtnl_new_proto(n, NETLINK_ROUTE, portid, send, arg, out);
}

/**
 * rtnl_set_socks() - where a NETLINK_SOCK_DIAG socket learns the sockets
 * @r:		the socket
 * @fn:		lists them (NULL: there are none)
 * @arg:	@fn's argument
 */
void rtnl_set_socks(struct rtnl *r, rtnl_socks_fn *fn, void *arg)
{
	if (!r)
		return;
	r->socks = fn;
	r->socks_arg = arg;
}

/**
 * rtnl_free() - stop listening and drop what is queued
 * @r:		the socket, or NULL
 */
void rtnl_free(struct rtnl *r)
{
	if (!r)
		return;
	if (r->proto == NETLINK_ROUTE)
		net_unlisten(r->net, on_event, r);
	set_groups(r, 0);
	while (r->head)
		dequeue(r);
	dump_free(r);
	free(r->sent);
	free(r);
}
