/* SPDX-License-Identifier: MIT */
/*
 * nlbad.c - hundreds of malformed NETLINK_ROUTE requests, each checked for
 * the answer Linux gives.
 *
 * A self-checking program (TAP-style output, see tap.h) that runs
 * unchanged natively, in a fresh network namespace (CTest runs it under
 * `unshare -n` as root), and inside rrsandbox, whose rtnetlink emulation
 * must answer hostile requests as the kernel does: short headers and bad
 * lengths are dropped without a word, unknown types give EOPNOTSUPP, bad
 * attribute sizes ERANGE or EINVAL, bad prefix lengths EINVAL, unknown
 * devices ENODEV, missing routes ESRCH, junk in strict dumps an EINVAL in
 * NLMSG_DONE; MSG_PEEK|MSG_TRUNC tells a reply's full length and a tiny
 * buffer truncates one datagram without losing the next; a send to a bad
 * destination fails before its payload is looked at.  None of the
 * requests may change anything: the address and route dumps are compared
 * before and after.  The program ends by checking that no descriptor
 * leaked, that its parent (the supervisor, in a sandbox) holds as many
 * descriptors as before when that can be read, and that the socket still
 * answers; then that a busy socket, closed, is let go at once, and
 * within 2 s when another thread closes it.  Only the namespace's or
 * the sandbox's own network is touched.
 *
 * Usage: nlbad [--sandbox] [ITERATIONS]   (default 3)
 * Exit status: 0 if every check passed, 1 if not, 2 on a watchdog timeout.
 */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>

#include "tap.h"

#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK	12
#endif

#define NO_ANSWER	(-1000)		/* xfer(): nothing came back */
#define BUFSZ		65536

static uint32_t seq = 1000;
static char desc_buf[256];

/* A check description (printf style), kept until the next call */
static const char *dsc(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static const char *dsc(const char *fmt, ...)
{
	int e = errno;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(desc_buf, sizeof(desc_buf), fmt, ap);
	va_end(ap);
	errno = e;
	return desc_buf;
}

static int nl_open(int strict)
{
	struct sockaddr_nl a = { .nl_family = AF_NETLINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd < 0)
		return -1;
	if (strict)
		setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &strict,
			   sizeof(strict));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* recv(), or with @named recvmsg() asking for the sender's address as
 * iproute2 does (which the supervisor traps): it must be the kernel's. */
static ssize_t recv_reply(int fd, void *buf, size_t len, int named)
{
	struct sockaddr_nl a;
	struct iovec v = { buf, len };
	struct msghdr mh = { .msg_name = &a, .msg_namelen = sizeof(a),
			     .msg_iov = &v, .msg_iovlen = 1 };
	ssize_t n;

	if (!named)
		return recv(fd, buf, len, 0);
	n = recvmsg(fd, &mh, 0);
	if (n >= 0 && (mh.msg_namelen != sizeof(a) ||
		       a.nl_family != AF_NETLINK || a.nl_pid != 0)) {
		errno = EPROTO;
		return -1;
	}
	return n;
}

/*
 * Send @len bytes of @msg (its seq set here when it holds a header) and
 * wait @ms for the answer to that seq, read by recv_reply(): 0 for an ack
 * or a finished dump, the positive errno of NLMSG_ERROR or NLMSG_DONE, or
 * NO_ANSWER.
 */
static int xfer_named(int fd, void *msg, size_t len, int ms, int named)
{
	static uint8_t buf[BUFSZ];
	struct nlmsghdr *h = msg;
	uint32_t s = ++seq;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	if (len >= sizeof(*h))
		h->nlmsg_seq = s;
	if (send(fd, msg, len, 0) < 0)
		return errno;
	while (poll(&p, 1, ms) == 1) {
		n = recv_reply(fd, buf, sizeof(buf), named);
		if (n < 0)
			return errno == ENOBUFS ? ENOBUFS : NO_ANSWER;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != s)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR)
				return -((struct nlmsgerr *)NLMSG_DATA(h))->error;
			if (h->nlmsg_type == NLMSG_DONE)
				return -*(int *)NLMSG_DATA(h);
		}
	}
	return NO_ANSWER;
}

static int xfer(int fd, void *msg, size_t len, int ms)
{
	return xfer_named(fd, msg, len, ms, 0);
}

/* Checks that a request gets @want (0: ack, NO_ANSWER: silence) */
static void expect(int fd, const char *what, void *msg, size_t len, int want)
{
	int got = xfer(fd, msg, len, want == NO_ANSWER ? 200 : 2000);

	tap_result(got == want, what, "got %s, want %s",
		   got == NO_ANSWER ? "no answer" : tap_errname(got),
		   want == NO_ANSWER ? "no answer" : tap_errname(want));
}

/* A request: header, family header of @hdrlen bytes, room for attributes */
struct req {
	struct nlmsghdr h;
	uint8_t body[1024];
};

static void *req_init(struct req *r, uint16_t type, uint16_t flags,
		      size_t hdrlen)
{
	memset(r, 0, sizeof(*r));
	r->h.nlmsg_len = NLMSG_LENGTH(hdrlen);
	r->h.nlmsg_type = type;
	r->h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	return r->body;
}

/* Append an attribute whose nla_len is @nla_len (may lie) with @len bytes */
static void attr(struct req *r, uint16_t type, const void *data, size_t len,
		 uint16_t nla_len)
{
	struct nlattr *a = (struct nlattr *)((uint8_t *)r + NLMSG_ALIGN(r->h.nlmsg_len));

	a->nla_type = type;
	a->nla_len = nla_len;
	if (len)
		memcpy(a + 1, data, len);
	r->h.nlmsg_len = NLMSG_ALIGN(r->h.nlmsg_len) + NLA_ALIGN(NLA_HDRLEN + len);
}

static void attr_u32(struct req *r, uint16_t type, uint32_t v)
{
	attr(r, type, &v, 4, NLA_HDRLEN + 4);
}

/* ---- snapshots: addresses and routes, seq and pid zeroed ---- */

struct snap {
	uint8_t *data;
	size_t len;
};

static void dump_into(int fd, uint16_t type, struct snap *s)
{
	static uint8_t buf[BUFSZ];
	struct { struct nlmsghdr h; struct rtmsg r; } q;
	struct nlmsghdr *h;
	ssize_t n;

	memset(&q, 0, sizeof(q));
	q.h.nlmsg_len = sizeof(q);
	q.h.nlmsg_type = type;
	q.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	q.h.nlmsg_seq = ++seq;
	if (send(fd, &q, sizeof(q), 0) < 0)
		return;
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n <= 0)
			return;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE ||
			    h->nlmsg_type == NLMSG_ERROR)
				return;
			h->nlmsg_seq = 0;
			h->nlmsg_pid = 0;
			s->data = realloc(s->data, s->len + h->nlmsg_len);
			memcpy(s->data + s->len, h, h->nlmsg_len);
			s->len += h->nlmsg_len;
		}
	}
}

static struct snap snapshot(int fd)
{
	struct snap s = { NULL, 0 };

	dump_into(fd, RTM_GETADDR, &s);
	dump_into(fd, RTM_GETROUTE, &s);
	return s;
}

/* ---- the requests ---- */

/* Datagrams too short or lying about their length: dropped unanswered */
static void bad_lengths(int fd)
{
	struct req r;
	size_t len;

	for (len = 1; len < sizeof(struct nlmsghdr); len++) {
		req_init(&r, RTM_GETLINK, 0, sizeof(struct ifinfomsg));
		expect(fd, dsc("a %zu-byte datagram is dropped", len), &r, len,
		       NO_ANSWER);
	}
	for (len = 0; len < sizeof(struct nlmsghdr); len++) {
		req_init(&r, RTM_GETLINK, 0, sizeof(struct ifinfomsg));
		r.h.nlmsg_len = (uint32_t)len;
		expect(fd, dsc("nlmsg_len %zu below the header is dropped", len),
		       &r, sizeof(struct nlmsghdr) + 16, NO_ANSWER);
	}
	req_init(&r, RTM_GETLINK, 0, sizeof(struct ifinfomsg));
	r.h.nlmsg_len = 4096;
	expect(fd, "nlmsg_len beyond the datagram is dropped", &r, 32,
	       NO_ANSWER);
	req_init(&r, RTM_GETLINK, 0, 0);
	expect(fd, "a message without payload is acked", &r, NLMSG_HDRLEN, 0);
}

/* Family headers cut short: "Invalid header" errors, per type */
static void short_headers(int fd)
{
	static const struct {
		uint16_t type;
		uint16_t flags;
		size_t hdr;
		uint8_t family;
		int want;
	} t[] = {
		{ RTM_NEWROUTE, 0, sizeof(struct rtmsg), AF_INET, EINVAL },
		{ RTM_DELROUTE, 0, sizeof(struct rtmsg), AF_INET, EINVAL },
		{ RTM_NEWROUTE, 0, sizeof(struct rtmsg), AF_INET6, EINVAL },
		{ RTM_DELROUTE, 0, sizeof(struct rtmsg), AF_INET6, EINVAL },
		{ RTM_NEWADDR, 0, sizeof(struct ifaddrmsg), AF_INET, EINVAL },
		{ RTM_DELADDR, 0, sizeof(struct ifaddrmsg), AF_INET6, EINVAL },
		{ RTM_GETROUTE, 0, sizeof(struct rtmsg), AF_INET, EINVAL },
		{ RTM_GETLINK, 0, sizeof(struct ifinfomsg), AF_UNSPEC, EINVAL },
		{ RTM_SETLINK, 0, sizeof(struct ifinfomsg), AF_UNSPEC, EINVAL },
	};
	struct req r;
	size_t i, len;
	uint8_t *b;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		for (len = 1; len < t[i].hdr; len++) {
			b = req_init(&r, t[i].type, t[i].flags, 0);
			b[0] = t[i].family;
			r.h.nlmsg_len = NLMSG_LENGTH(len);
			expect(fd, dsc("type %u family %u: %zu of %zu header bytes",
				       t[i].type, t[i].family, len, t[i].hdr),
			       &r, r.h.nlmsg_len, t[i].want);
		}
	}
}

/* Types and families nothing handles */
static void bad_types(int fd)
{
	static const uint16_t types[] = { RTM_MAX + 1, RTM_MAX + 9, 0x7ff,
					  0xffff };
	struct req r;
	struct rtmsg *rtm;
	size_t i;
	unsigned int fam;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		req_init(&r, types[i], 0, sizeof(struct rtmsg));
		expect(fd, dsc("type %#x is not supported", types[i]), &r,
		       r.h.nlmsg_len, EOPNOTSUPP);
	}
	for (fam = 3; fam < 255; fam += 23) {
		if (fam == AF_INET || fam == AF_INET6 || fam == AF_BRIDGE ||
		    fam == AF_MPLS)
			continue;
		rtm = req_init(&r, RTM_NEWROUTE, NLM_F_CREATE,
			       sizeof(struct rtmsg));
		rtm->rtm_family = (uint8_t)fam;
		expect(fd, dsc("RTM_NEWROUTE family %u", fam), &r,
		       r.h.nlmsg_len, EOPNOTSUPP);
	}
}

/* Route requests with bad fields or attributes */
/* An IPv4 route 10.77.0.0/16 on lo (or, @family AF_INET6, fd77::/16),
 * its attributes to follow */
static struct rtmsg *route16(struct req *r, uint8_t family)
{
	static const uint8_t d4[4] = { 10, 77 }, d6[16] = { 0xfd, 0x77 };
	struct rtmsg *rtm = req_init(r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL,
				     sizeof(*rtm));

	rtm->rtm_family = family;
	rtm->rtm_dst_len = 16;
	rtm->rtm_type = RTN_UNICAST;
	rtm->rtm_table = RT_TABLE_MAIN;
	if (family == AF_INET)
		attr(r, RTA_DST, d4, 4, NLA_HDRLEN + 4);
	else
		attr(r, RTA_DST, d6, 16, NLA_HDRLEN + 16);
	return rtm;
}

/* RTA_VIA (an IPv4 route's gateway of another family) malformed */
static void bad_via(int fd)
{
	struct { uint16_t family; uint8_t addr[16]; } via = { AF_INET6, { 0xfd, 0x77, [15] = 1 } };
	static const uint8_t gw4[4] = { 127, 0, 0, 2 };
	struct req r;

	route16(&r, AF_INET);
	attr(&r, RTA_VIA, &via, 1, NLA_HDRLEN + 1);
	expect(fd, "RTA_VIA of 1 byte", &r, r.h.nlmsg_len, EINVAL);
	route16(&r, AF_INET);
	via.family = 99;
	attr(&r, RTA_VIA, &via, 18, NLA_HDRLEN + 18);
	expect(fd, "RTA_VIA of family 99", &r, r.h.nlmsg_len, EINVAL);
	route16(&r, AF_INET);
	via.family = AF_INET6;
	attr(&r, RTA_VIA, &via, 6, NLA_HDRLEN + 6);
	expect(fd, "RTA_VIA AF_INET6 with 4 address bytes", &r, r.h.nlmsg_len,
	       EINVAL);
	route16(&r, AF_INET);
	attr(&r, RTA_GATEWAY, gw4, 4, NLA_HDRLEN + 4);
	attr(&r, RTA_VIA, &via, 18, NLA_HDRLEN + 18);
	expect(fd, "RTA_GATEWAY and RTA_VIA together", &r, r.h.nlmsg_len,
	       EINVAL);
	route16(&r, AF_INET6);
	attr(&r, RTA_VIA, &via, 18, NLA_HDRLEN + 18);
	expect(fd, "RTA_VIA in an IPv6 route", &r, r.h.nlmsg_len, EINVAL);
	route16(&r, AF_INET);
	attr(&r, RTA_VIA, &via, 18, NLA_HDRLEN + 18);
	expect(fd, "RTA_VIA to an IPv6 gateway without a route", &r,
	       r.h.nlmsg_len, EHOSTUNREACH);
}

static void bad_routes(int fd)
{
	static const uint8_t dst[16] = { 10, 77 };
	struct rtnexthop nh = { .rtnh_len = 200 };
	struct req r;
	struct rtmsg *rtm;
	unsigned int plen;

	for (plen = 33; plen < 256; plen += 37) {
		rtm = req_init(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL,
			       sizeof(*rtm));
		rtm->rtm_family = AF_INET;
		rtm->rtm_dst_len = (uint8_t)plen;
		rtm->rtm_type = RTN_UNICAST;
		attr(&r, RTA_DST, dst, 4, NLA_HDRLEN + 4);
		attr_u32(&r, RTA_OIF, 1);
		expect(fd, dsc("IPv4 route /%u", plen), &r, r.h.nlmsg_len,
		       EINVAL);
	}
	for (plen = 129; plen < 256; plen += 31) {
		rtm = req_init(&r, RTM_NEWROUTE, NLM_F_CREATE, sizeof(*rtm));
		rtm->rtm_family = AF_INET6;
		rtm->rtm_dst_len = (uint8_t)plen;
		rtm->rtm_type = RTN_UNICAST;
		attr(&r, RTA_DST, dst, 16, NLA_HDRLEN + 16);
		expect(fd, dsc("IPv6 route /%u", plen), &r, r.h.nlmsg_len,
		       EINVAL);
	}
	rtm = req_init(&r, RTM_NEWROUTE, NLM_F_CREATE, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 16;
	rtm->rtm_type = RTN_UNICAST;
	attr(&r, RTA_DST, dst, 4, NLA_HDRLEN + 4);
	attr(&r, RTA_OIF, dst, 2, NLA_HDRLEN + 2);
	expect(fd, "RTA_OIF of 2 bytes", &r, r.h.nlmsg_len, ERANGE);
	rtm = req_init(&r, RTM_NEWROUTE, NLM_F_CREATE, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 16;
	rtm->rtm_type = RTN_UNICAST;
	attr(&r, RTA_DST, dst, 2, NLA_HDRLEN + 2);
	attr_u32(&r, RTA_OIF, 1);
	expect(fd, "RTA_DST of 2 bytes", &r, r.h.nlmsg_len, ERANGE);
	rtm = req_init(&r, RTM_NEWROUTE, NLM_F_CREATE, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 16;
	rtm->rtm_type = RTN_UNICAST;
	attr(&r, RTA_DST, dst, 4, NLA_HDRLEN + 4);
	attr_u32(&r, RTA_OIF, 9999);
	expect(fd, "route on ifindex 9999", &r, r.h.nlmsg_len, ENODEV);
	rtm = req_init(&r, RTM_NEWROUTE, NLM_F_CREATE, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 16;
	rtm->rtm_type = RTN_UNICAST;
	attr(&r, RTA_DST, dst, 4, NLA_HDRLEN + 4);
	attr(&r, RTA_MULTIPATH, &nh, sizeof(nh), NLA_HDRLEN + sizeof(nh));
	expect(fd, "RTA_MULTIPATH with a truncated nexthop", &r,
	       r.h.nlmsg_len, EINVAL);
	rtm = req_init(&r, RTM_NEWROUTE, NLM_F_CREATE, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 16;
	rtm->rtm_type = RTN_MAX + 1;
	attr(&r, RTA_DST, dst, 4, NLA_HDRLEN + 4);
	expect(fd, "route type RTN_MAX+1", &r, r.h.nlmsg_len, EINVAL);
	bad_via(fd);
	rtm = req_init(&r, RTM_DELROUTE, 0, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 16;
	attr(&r, RTA_DST, dst, 4, NLA_HDRLEN + 4);
	expect(fd, "deleting a route that is not there", &r, r.h.nlmsg_len,
	       ESRCH);
	rtm = req_init(&r, RTM_DELROUTE, 0, sizeof(*rtm));
	rtm->rtm_family = AF_INET6;
	rtm->rtm_dst_len = 64;
	attr(&r, RTA_DST, dst, 16, NLA_HDRLEN + 16);
	expect(fd, "deleting an IPv6 route that is not there", &r,
	       r.h.nlmsg_len, ESRCH);
}

/*
 * RTM_SETLINK of lo with IFLA_AF_SPEC, checked as validate_linkmsg() has
 * each family's validate_link_af() check it: an empty AF_INET6 part, a
 * mode past IN6_ADDR_GEN_MODE_RANDOM, IFLA_INET_CONF entries with id 0 or
 * under 4 bytes EINVAL, an unknown family EAFNOSUPPORT, a token shorter
 * than an address ERANGE (inet6_af_policy); the mode lo has and an empty
 * AF_INET part are taken.  @spec: the nest's payload.
 */
static void af_spec(int fd, const char *what, const void *spec, size_t len,
		    int want)
{
	struct ifinfomsg *ifi;
	struct req r;

	ifi = req_init(&r, RTM_SETLINK, 0, sizeof(*ifi));
	ifi->ifi_index = 1;
	attr(&r, IFLA_AF_SPEC | NLA_F_NESTED, spec, len, (uint16_t)(NLA_HDRLEN + len));
	expect(fd, what, &r, r.h.nlmsg_len, want);
}

static void af_specs(int fd)
{
	/* nested attributes: header (len, type) and payload, 4-aligned */
	static const uint8_t in6_empty[] = { 4, 0, AF_INET6, 0x80 };
	static const uint8_t fam99[] = { 4, 0, 99, 0 };
	static const uint8_t mode9[] = { 12, 0, AF_INET6, 0x80,
		5, 0, IFLA_INET6_ADDR_GEN_MODE, 0, 9, 0, 0, 0 };
	static const uint8_t mode0[] = { 12, 0, AF_INET6, 0x80,
		5, 0, IFLA_INET6_ADDR_GEN_MODE, 0, 0, 0, 0, 0 };
	static const uint8_t conf0[] = { 16, 0, AF_INET, 0x80,
		12, 0, IFLA_INET_CONF, 0x80, 8, 0, 0, 0, 1, 0, 0, 0 };
	static const uint8_t conf_short[] = { 16, 0, AF_INET, 0x80,
		12, 0, IFLA_INET_CONF, 0x80, 5, 0, 1, 0, 1, 0, 0, 0 };
	static const uint8_t in4_empty[] = { 4, 0, AF_INET, 0x80 };
	static const uint8_t token_short[] = { 12, 0, AF_INET6, 0x80,
		8, 0, IFLA_INET6_TOKEN, 0, 1, 2, 3, 4 };

	af_spec(fd, "IFLA_AF_SPEC: an empty AF_INET6 part", in6_empty,
		sizeof(in6_empty), EINVAL);
	af_spec(fd, "IFLA_AF_SPEC: family 99", fam99, sizeof(fam99), EAFNOSUPPORT);
	af_spec(fd, "IFLA_AF_SPEC: address generation mode 9", mode9, sizeof(mode9),
		EINVAL);
	af_spec(fd, "IFLA_AF_SPEC: lo's own mode (eui64)", mode0, sizeof(mode0), 0);
	af_spec(fd, "IFLA_AF_SPEC: IFLA_INET_CONF id 0", conf0, sizeof(conf0), EINVAL);
	af_spec(fd, "IFLA_AF_SPEC: IFLA_INET_CONF entry of 1 byte", conf_short,
		sizeof(conf_short), EINVAL);
	af_spec(fd, "IFLA_AF_SPEC: an empty AF_INET part", in4_empty, sizeof(in4_empty), 0);
	af_spec(fd, "IFLA_AF_SPEC: a token of 4 bytes (policy)", token_short,
		sizeof(token_short), ERANGE);
}

/* Address and link requests naming what does not exist; IFLA_AF_SPEC */
static void bad_devices(int fd)
{
	static const uint8_t a4[4] = { 10, 78, 0, 1 };
	struct ifaddrmsg *ifa;
	struct ifinfomsg *ifi;
	struct req r;
	int idx;

	for (idx = 9999; idx < 10009; idx++) {
		ifa = req_init(&r, RTM_NEWADDR, NLM_F_CREATE, sizeof(*ifa));
		ifa->ifa_family = AF_INET;
		ifa->ifa_prefixlen = 24;
		ifa->ifa_index = (uint32_t)idx;
		attr(&r, IFA_LOCAL, a4, 4, NLA_HDRLEN + 4);
		attr(&r, IFA_ADDRESS, a4, 4, NLA_HDRLEN + 4);
		expect(fd, dsc("address on ifindex %d", idx), &r,
		       r.h.nlmsg_len, ENODEV);
		ifi = req_init(&r, RTM_GETLINK, 0, sizeof(*ifi));
		ifi->ifi_index = idx;
		expect(fd, dsc("RTM_GETLINK ifindex %d", idx), &r,
		       r.h.nlmsg_len, ENODEV);
	}
	ifa = req_init(&r, RTM_DELADDR, 0, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = 24;
	ifa->ifa_index = 1;
	attr(&r, IFA_LOCAL, a4, 4, NLA_HDRLEN + 4);
	expect(fd, "deleting an address lo does not have", &r, r.h.nlmsg_len,
	       EADDRNOTAVAIL);
	ifa = req_init(&r, RTM_NEWADDR, NLM_F_CREATE, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = 40;
	ifa->ifa_index = 1;
	attr(&r, IFA_LOCAL, a4, 4, NLA_HDRLEN + 4);
	expect(fd, "IPv4 address /40", &r, r.h.nlmsg_len, EINVAL);
	af_specs(fd);
}

/* Dumps with junk under NETLINK_GET_STRICT_CHK: EINVAL in NLMSG_DONE */
static void strict_dumps(int sfd)
{
	struct rtmsg *rtm;
	struct req r;
	uint8_t f;

	for (f = 0; f < 3; f++) {
		rtm = req_init(&r, RTM_GETROUTE, NLM_F_DUMP, sizeof(*rtm));
		rtm->rtm_family = f == 2 ? AF_INET6 : AF_INET;
		if (f == 0)
			rtm->rtm_dst_len = 8;
		else if (f == 1)
			rtm->rtm_scope = 1;
		else
			attr_u32(&r, RTA_GATEWAY, 1);
		expect(sfd, dsc("strict route dump %u with junk", f), &r,
		       r.h.nlmsg_len, EINVAL);
	}
	rtm = req_init(&r, RTM_GETROUTE, NLM_F_DUMP, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	attr_u32(&r, RTA_OIF, 9999);
	expect(sfd, "strict route dump for ifindex 9999", &r, r.h.nlmsg_len,
	       ENODEV);
}

/* Reading replies: MSG_PEEK|MSG_TRUNC and a tiny buffer */
struct getlink {
	struct nlmsghdr h;
	struct ifinfomsg i;
};

/* RTM_GETLINK of lo (ifindex 1), with the next sequence number */
static void getlink_lo(struct getlink *q)
{
	memset(q, 0, sizeof(*q));
	q->h.nlmsg_len = sizeof(*q);
	q->h.nlmsg_type = RTM_GETLINK;
	q->h.nlmsg_flags = NLM_F_REQUEST;
	q->i.ifi_index = 1;
	q->h.nlmsg_seq = ++seq;
}

static void reads(int fd)
{
	struct getlink q;
	char small[8];
	struct nlmsghdr hdr;
	struct msghdr mh;
	struct iovec iov = { small, sizeof(small) };
	ssize_t peek, n;

	getlink_lo(&q);
	tap_ok("send RTM_GETLINK lo", send(fd, &q, sizeof(q), 0));
	peek = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC);
	tap_result(peek > (ssize_t)sizeof(q), "MSG_PEEK|MSG_TRUNC tells the full length",
		   "got %zd", peek);
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	n = recvmsg(fd, &mh, 0);
	tap_int("an 8-byte buffer gets 8 bytes", n, 8);
	tap_int("and MSG_TRUNC", !!(mh.msg_flags & MSG_TRUNC), 1);
	q.h.nlmsg_seq = ++seq;
	send(fd, &q, sizeof(q), 0);
	n = recvmsg(fd, &mh, MSG_TRUNC);
	tap_int("recvmsg(MSG_TRUNC) returns the full length", n, peek);
	q.h.nlmsg_seq = ++seq;
	send(fd, &q, sizeof(q), 0);
	n = recv(fd, &hdr, sizeof(hdr), MSG_TRUNC);
	tap_result(n == peek && hdr.nlmsg_seq == seq &&
		   hdr.nlmsg_len == (uint32_t)peek,
		   "the next datagram is whole after a truncated one",
		   "got %zd bytes, seq %u", n, hdr.nlmsg_seq);
}

/* Drain what a request that succeeded left queued */
static void drain_replies(int fd)
{
	char buf[8192];

	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
}

/*
 * sendmmsg(): two requests (the second with an AF_INET name of length 0,
 * which is none) and one to an AF_INET address: the first two are
 * answered in order, the count is 2 (__sys_sendmmsg() reports no error
 * after the first message) and each msg_len is the request's length.
 */
static void mmsgs(int fd)
{
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK };
	struct sockaddr_nl other = { .nl_family = AF_INET };
	struct getlink q[3];
	struct mmsghdr mm[3];
	struct iovec iov[3];
	struct nlmsghdr h;
	uint32_t first;
	int i, ok = 1;

	memset(mm, 0, sizeof(mm));
	for (i = 0; i < 3; i++) {
		getlink_lo(&q[i]);
		iov[i] = (struct iovec){ &q[i], sizeof(q[i]) };
		mm[i].msg_hdr.msg_name = i ? &other : &nl;
		mm[i].msg_hdr.msg_namelen = i == 1 ? 0 : sizeof(nl);
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	first = q[0].h.nlmsg_seq;
	tap_int("sendmmsg() of two requests and one to an AF_INET address",
		sendmmsg(fd, mm, 3, 0), 2);
	tap_int("...msg_len of each sent",
		mm[0].msg_len == sizeof(q[0]) && mm[1].msg_len == sizeof(q[1]), 1);
	for (i = 0; i < 2; i++)
		if (recv_reply(fd, &h, sizeof(h), 0) < (ssize_t)sizeof(h) ||
		    h.nlmsg_type != RTM_NEWLINK || h.nlmsg_seq != first + (uint32_t)i)
			ok = 0;
	tap_int("...both answered, in order", ok, 1);
	drain_replies(fd);
}

/*
 * sendto()/sendmsg() with a destination: netlink_sendmsg() checks the
 * address before the payload (a short one EINVAL, another family EINVAL,
 * an unreadable one EFAULT), then reads the payload (EFAULT), and only
 * then finds no socket at another port (ECONNREFUSED); the kernel's own
 * address works.
 */
static void destinations(int fd)
{
	struct getlink q;
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK };
	struct sockaddr_nl other = { .nl_family = AF_INET };
	struct sockaddr_nl port = { .nl_family = AF_NETLINK, .nl_pid = 0x7ffffff0 };
	void *bad = (void *)8;
	struct iovec iov = { &q, sizeof(q) };
	struct msghdr mh = { .msg_name = &other, .msg_namelen = sizeof(other),
			     .msg_iov = &iov, .msg_iovlen = 1 };

	getlink_lo(&q);
	tap_int("sendto() the kernel's address sends it all",
		sendto(fd, &q, sizeof(q), 0, (struct sockaddr *)&nl, sizeof(nl)),
		(long)sizeof(q));
	drain_replies(fd);
	tap_errno("sendto() with an address of 4 bytes",
		  sendto(fd, &q, sizeof(q), 0, (struct sockaddr *)&nl, 4), EINVAL);
	tap_errno("sendto() an AF_INET address",
		  sendto(fd, &q, sizeof(q), 0, (struct sockaddr *)&other,
			 sizeof(other)), EINVAL);
	tap_errno("sendto() a port no socket has",
		  sendto(fd, &q, sizeof(q), 0, (struct sockaddr *)&port,
			 sizeof(port)), ECONNREFUSED);
	tap_errno("sendto() an unreadable address",
		  sendto(fd, &q, sizeof(q), 0, bad, sizeof(nl)), EFAULT);
	tap_errno("sendto() an unreadable payload",
		  sendto(fd, bad, sizeof(q), 0, (struct sockaddr *)&nl, sizeof(nl)),
		  EFAULT);
	tap_errno("sendto() an unreadable payload to an AF_INET address",
		  sendto(fd, bad, sizeof(q), 0, (struct sockaddr *)&other,
			 sizeof(other)), EINVAL);
	tap_errno("sendmsg() to an AF_INET address", sendmsg(fd, &mh, 0), EINVAL);
	iov.iov_base = bad;
	mh.msg_name = &port;
	tap_errno("sendmsg() of an unreadable payload to another port",
		  sendmsg(fd, &mh, 0), EFAULT);
	mh.msg_name = &nl;
	tap_errno("sendmsg() of an unreadable payload", sendmsg(fd, &mh, 0),
		  EFAULT);
	iov.iov_base = &q;
	q.h.nlmsg_seq = ++seq;
	tap_int("sendmsg() to the kernel's address sends it all",
		sendmsg(fd, &mh, 0), (long)sizeof(q));
	drain_replies(fd);
	/* netlink_sendmsg(): an address of length 0 is none, even an
	 * AF_INET one */
	mh.msg_name = &other;
	mh.msg_namelen = 0;
	q.h.nlmsg_seq = ++seq;
	tap_int("sendmsg() with a name of length 0 sends it all",
		sendmsg(fd, &mh, 0), (long)sizeof(q));
	drain_replies(fd);
	q.h.nlmsg_seq = ++seq;
	tap_int("sendto() with an address of length 0 sends it all",
		sendto(fd, &q, sizeof(q), 0, (struct sockaddr *)&other, 0),
		(long)sizeof(q));
	drain_replies(fd);
	mmsgs(fd);
}

static uint32_t portid(int fd)
{
	struct sockaddr_nl a;
	socklen_t len = sizeof(a);

	memset(&a, 0, sizeof(a));
	if (getsockname(fd, (struct sockaddr *)&a, &len))
		return 0xffffffff;
	return a.nl_pid;
}

/*
 * Port ids: 0 until the socket is bound, which its first bind(),
 * connect() or send does (netlink_autobind()); the process's pid for the
 * first socket of a protocol (each protocol has its own table: the pid is
 * fd's for NETLINK_ROUTE, still free for NETLINK_SOCK_DIAG), another one
 * after.  Only the @first round looks for the pid: a sandbox may not have
 * seen the last round's close yet when the next socket binds.
 */
/*
 * netlink_bind() with a port id: an unbound socket takes one no other
 * holds (named does so, with whatever its stack held), EADDRINUSE for a
 * taken one; a bound socket may only name its own (0 too is EINVAL).
 * @taken: a bound socket.  Each round names new ids: a sandbox may not
 * have seen the last round's close yet.
 */
static void named_portids(int taken)
{
	static uint32_t round;
	const uint32_t id = 0x7fff1234 + 2 * round++;
	struct sockaddr_nl a = { .nl_family = AF_NETLINK, .nl_pid = id };
	int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	int t = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (s < 0 || t < 0) {
		tap_result(0, "port ids: two more netlink sockets", "%s", strerror(errno));
		goto out;
	}
	tap_ok("bind() to a free port id", bind(s, (struct sockaddr *)&a, sizeof(a)));
	tap_int("... getsockname() says it", portid(s), id);
	tap_ok("bind() again to the same", bind(s, (struct sockaddr *)&a, sizeof(a)));
	tap_errno("bind() of another socket to it",
		  bind(t, (struct sockaddr *)&a, sizeof(a)), EADDRINUSE);
	a.nl_pid = portid(taken);
	tap_errno("bind() to a bound socket's port id",
		  bind(t, (struct sockaddr *)&a, sizeof(a)), EADDRINUSE);
	a.nl_pid = 0;
	tap_errno("bind(0) of a socket bound to a port id",
		  bind(s, (struct sockaddr *)&a, sizeof(a)), EINVAL);
	a.nl_pid = id + 1;
	tap_errno("bind() of a bound socket to another port id",
		  bind(s, (struct sockaddr *)&a, sizeof(a)), EINVAL);
	tap_int("... it keeps its own", portid(s), id);
out:
	close(s);
	close(t);
}

static void portids(int fd, int first)
{
	struct sockaddr_nl a = { .nl_family = AF_NETLINK };
	struct getlink q;
	int r = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	int d = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	int w = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	int k = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	uint32_t id;

	if (r < 0 || d < 0 || w < 0 || k < 0) {
		tap_result(0, "port ids: four netlink sockets", "%s", strerror(errno));
		goto out;
	}
	tap_int("port id before bind: 0", portid(r), 0);
	tap_ok("bind(0)", bind(r, (struct sockaddr *)&a, sizeof(a)));
	id = portid(r);
	tap_result(id != 0 && id != portid(fd) && id != (uint32_t)getpid(),
		   "port id after bind: a new one (the pid is taken)", "got %u", id);
	tap_ok("NETLINK_SOCK_DIAG bind(0)", bind(d, (struct sockaddr *)&a, sizeof(a)));
	if (first)
		tap_int("NETLINK_SOCK_DIAG port id: the pid (a table of its own)",
			portid(d), portid(fd));
	else
		tap_result(portid(d) != 0, "NETLINK_SOCK_DIAG port id: bound", "got 0");
	getlink_lo(&q);
	tap_int("send() on an unbound socket", send(w, &q, sizeof(q), 0), sizeof(q));
	id = portid(w);
	tap_result(id != 0 && id != portid(r) && id != portid(fd),
		   "port id after a send: bound", "got %u", id);
	tap_ok("connect() to the kernel", connect(k, (struct sockaddr *)&a, sizeof(a)));
	tap_result(portid(k) != 0, "port id after connect: bound", "got 0");
	named_portids(r);
out:
	close(r);	/* -1 for those not made: EBADF, harmless */
	close(d);
	close(w);
	close(k);
}

static int lowest_free_fd(void)
{
	int fd = dup(0), ret = fd;

	if (fd >= 0)
		close(fd);
	return ret;
}

/* Descriptors of the parent (the supervisor in a sandbox); -1 unknown */
static int parent_fds(void)
{
	char path[64];
	struct dirent *e;
	DIR *d;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)getppid());
	d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void *closer(void *arg)
{
	close(*(int *)arg);
	return NULL;
}

/*
 * A busy netlink socket's close.  The supervisor keeps the program's end
 * it fetched to answer the socket's receives (netstack/sock.c), for 100
 * to 200 ms after the last, and does not see the close() (not trapped):
 * inside rrsandbox (asked with rrctl: tap_sandbox_socks()) it must serve
 * as many sockets as before within 2 s, the socket closed by the thread
 * that made the calls or (@by_thread) by another.
 */
static void thread_close(int sandbox, int by_thread)
{
	struct { struct nlmsghdr h; struct ifinfomsg i; } q;
	int fd, i, n = 0;
	long socks;
	pthread_t th;

	socks = sandbox ? tap_sandbox_socks() : -1;
	fd = nl_open(0);
	for (i = 0; i < 5 && fd >= 0; i++) {
		memset(&q, 0, sizeof(q));
		q.h.nlmsg_len = sizeof(q);
		q.h.nlmsg_type = RTM_GETLINK;
		q.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP;
		n += xfer_named(fd, &q, sizeof(q), 2000, 1) == 0;
	}
	tap_int("five link dumps answered (recvmsg() with an address)", n, 5);
	if (fd < 0)
		return;
	if (!by_thread) {
		close(fd);
		if (socks >= 0)
			tap_int("... and, closed, the supervisor serves as many sockets as before within 2 s",
				tap_sandbox_socks_settle(socks), socks);
	} else if (pthread_create(&th, NULL, closer, &fd)) {
		tap_result(0, "a thread closes the socket", "pthread_create failed");
		return;
	} else {
		pthread_join(th, NULL);
		if (socks >= 0)
			tap_int("... and, closed by another thread, the supervisor serves as many sockets as before within 2 s",
				tap_sandbox_socks_settle(socks), socks);
	}
	if (socks < 0)
		tap_socks_uncounted(sandbox);
}

static void round_of(int fd, int sfd, int first)
{
	bad_lengths(fd);
	short_headers(fd);
	bad_types(fd);
	bad_routes(fd);
	bad_devices(fd);
	strict_dumps(sfd);
	reads(fd);
	destinations(fd);
	portids(fd, first);
}

int main(int argc, char **argv)
{
	int iters = 3, i, fd, sfd, first_fd, pfds, got, sandbox = 0;
	long socks;
	struct snap before, after;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--sandbox")) {
			sandbox = 1;	/* no known differences to mark */
			continue;
		}
		iters = atoi(argv[i]);
	}
	tap_watchdog(240);
	first_fd = lowest_free_fd();
	pfds = parent_fds();
	socks = sandbox ? tap_sandbox_socks() : -1;
	fd = nl_open(0);
	sfd = nl_open(1);
	if (fd < 0 || sfd < 0) {
		printf("Bail out! no NETLINK_ROUTE socket: %s\n", strerror(errno));
		return 1;
	}
	before = snapshot(fd);
	/* lo's 127.0.0.1 at least: run natively with lo up (CMakeLists.txt) */
	tap_result(before.len > 0, "the dumps before hold something", "empty");
	for (i = 0; i < iters; i++)
		round_of(fd, sfd, i == 0);
	after = snapshot(fd);
	tap_result(after.len == before.len &&
		   !memcmp(after.data, before.data, before.len),
		   "addresses and routes are as before",
		   "%zu bytes, were %zu", after.len, before.len);
	got = xfer(fd, &(struct { struct nlmsghdr h; struct ifinfomsg i; })
		   { { sizeof(struct nlmsghdr) + sizeof(struct ifinfomsg),
		       RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP,
		       0, 0 }, { 0 } }, sizeof(struct nlmsghdr) +
		   sizeof(struct ifinfomsg), 2000);
	tap_int("the socket still answers a link dump", got, 0);
	close(fd);
	close(sfd);
	free(before.data);
	free(after.data);
	tap_int("no descriptor leaked (lowest free fd unchanged)",
		lowest_free_fd(), first_fd);
	if (pfds >= 0)
		tap_int("the parent holds as many descriptors as before",
			parent_fds(), pfds);
	/* inside rrsandbox the parent's are closed to us: ask for its sockets */
	if (socks >= 0)
		tap_int("the supervisor serves as many sockets as before",
			tap_sandbox_socks_settle(socks), socks);
	thread_close(sandbox, 0);
	thread_close(sandbox, 1);
	return tap_done();
}
