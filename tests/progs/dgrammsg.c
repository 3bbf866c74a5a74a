/* SPDX-License-Identifier: MIT */
/*
 * dgrammsg.c - what sendmsg() makes of control messages on a UDP socket,
 * and what the datagram brings to recvmsg(), as a table.
 *
 * One UDP socket on loopback sends one byte to itself per case, with a
 * control buffer: none, IP_TTL, IP_TOS, IP_PKTINFO, IP_PROTOCOL,
 * IP_RETOPTS, the SOL_SOCKET ones, IPv6's HOPLIMIT, TCLASS, PKTINFO,
 * DONTFRAG, NEXTHOP and RFC 2292's, unknown types, other levels, and
 * malformed buffers; good and bad values.  Each line says what sendmsg()
 * answered and, when it sent, the control messages recvmsg() got (every
 * receive option on: PKTINFO, TTL or hop limit, TOS or traffic class)
 * with their bytes, and its flags.  Kinds: udp4; udp6 (to ::1); udp6m
 * (an IPv6 socket sending to ::ffff:127.0.0.1, Linux's IPv4 path); ping4
 * and ping6 (ping sockets sending an echo request to themselves, which
 * the stack answers: net.ipv4.ping_group_range must hold the gid).
 *
 * Nothing is judged here: tests/scenario/dgrammsg.sh runs this natively
 * and in rrsandbox and compares the tables; the kernel the test runs on
 * is the reference.  Traffic stays on loopback, one byte a case.
 *
 * Usage: dgrammsg [KIND]...   (udp4 udp6 udp6m ping4 ping6 raw4 raw6;
 *                             default: all but the raw ones, raw sockets
 *                             of protocol 89 that need CAP_NET_RAW
 *                             natively)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tap.h"

#ifndef IP_PROTOCOL
#define IP_PROTOCOL		52
#endif
#ifndef SCM_TXTIME
#define SCM_TXTIME		61
#endif
#ifndef IPV6_2292PKTINFO
#define IPV6_2292PKTINFO	2
#endif
#ifndef IPV6_2292HOPLIMIT
#define IPV6_2292HOPLIMIT	8
#endif

/* The control buffer of one case: up to two messages, or raw bytes;
 * aligned as struct cmsghdr (its flexible array member keeps it out of
 * a union not at a struct's end) */
struct cbuf {
	union {
		char buf[256];
		size_t align;
	} u;
	size_t len;
};
_Static_assert(_Alignof(size_t) >= _Alignof(struct cmsghdr), "cbuf alignment");

static void add(struct cbuf *b, int level, int type, const void *data, size_t dlen)
{
	struct cmsghdr *cm = (struct cmsghdr *)(b->u.buf + b->len);

	memset(cm, 0, CMSG_SPACE(dlen));
	cm->cmsg_level = level;
	cm->cmsg_type = type;
	cm->cmsg_len = CMSG_LEN(dlen);
	memcpy(CMSG_DATA(cm), data, dlen);
	b->len += CMSG_SPACE(dlen);
}

static void add_int(struct cbuf *b, int level, int type, int v)
{
	add(b, level, type, &v, sizeof(v));
}

static int s = -1;
static struct sockaddr_storage self;
static socklen_t self_len;
static const char *kind;

static void die(const char *what)
{
	fprintf(stderr, "dgrammsg: %s(%s): %s\n", what, kind, strerror(errno));
	exit(1);
}

static void on(int level, int name)
{
	int one = 1;

	if (setsockopt(s, level, name, &one, sizeof(one)))
		die("setsockopt");
}

static int ping(void)
{
	return kind[0] == 'p';
}

static void open_kind(void)
{
	int v6 = strchr(kind, '6') != NULL, mapped = strstr(kind, "6m") != NULL;

	/* raw4, raw6: OSPF's protocol, as BIRD opens them */
	if (kind[0] == 'r')
		s = socket(v6 ? AF_INET6 : AF_INET, SOCK_RAW, 89);
	else
		s = socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM,
			   !ping() ? 0 : v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
	if (s < 0)
		die("socket");
	/* the mapped kind binds to any: a dual-stack socket */
	self_len = tap_loopback(v6 ? AF_INET6 : AF_INET, mapped, 0, &self);
	if (bind(s, (struct sockaddr *)&self, self_len))
		die("bind");
	if (getsockname(s, (struct sockaddr *)&self, &self_len))
		die("getsockname");
	if (mapped) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&self;

		inet_pton(AF_INET6, "::ffff:127.0.0.1", &a->sin6_addr);
	}
	if (!v6 || mapped) {
		on(IPPROTO_IP, IP_PKTINFO);
		on(IPPROTO_IP, IP_RECVTTL);
		on(IPPROTO_IP, IP_RECVTOS);
	}
	if (v6) {
		on(IPPROTO_IPV6, IPV6_RECVPKTINFO);
		on(IPPROTO_IPV6, IPV6_RECVHOPLIMIT);
		on(IPPROTO_IPV6, IPV6_RECVTCLASS);
	}
}

/* What came, one message after another: level/type, length, bytes. */
static void print_recv(void)
{
	union {
		char buf[512];
		struct cmsghdr align;
	} u;
	struct pollfd p = { .fd = s, .events = POLLIN };
	struct sockaddr_storage from;
	struct cmsghdr *cm;
	struct msghdr mh;
	struct iovec iov;
	char data[16];
	ssize_t n;

	if (poll(&p, 1, 2000) != 1) {
		printf(" recv=nothing\n");
		return;
	}
	iov.iov_base = data;
	iov.iov_len = sizeof(data);
	memset(&mh, 0, sizeof(mh));
	mh.msg_name = &from;
	mh.msg_namelen = sizeof(from);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = u.buf;
	mh.msg_controllen = sizeof(u.buf);
	n = recvmsg(s, &mh, MSG_DONTWAIT);
	if (n < 0) {
		printf(" recv=%s\n", tap_errname(errno));
		return;
	}
	printf(" recv=%zd flags=%#x", n, (unsigned)mh.msg_flags);
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		size_t i, dl = cm->cmsg_len - CMSG_LEN(0);

		printf(" %d/%d:", cm->cmsg_level, cm->cmsg_type);
		for (i = 0; i < dl; i++)
			printf("%02x", CMSG_DATA(cm)[i]);
	}
	printf("\n");
}

/* One case: send a byte with @b (or no buffer), print what happened. */
static void one(const char *name, const struct cbuf *b)
{
	/* a ping socket's datagram is an echo request: type, code,
	 * checksum and identifier filled by the kernel, sequence 1 */
	unsigned char echo[8] = { 8, 0, 0, 0, 0, 0, 0, 1 };
	struct msghdr mh;
	struct iovec iov;
	char x = 'x';

	if (strchr(kind, '6'))
		echo[0] = 128;
	iov.iov_base = ping() ? (void *)echo : (void *)&x;
	iov.iov_len = ping() ? sizeof(echo) : 1;
	memset(&mh, 0, sizeof(mh));
	mh.msg_name = &self;
	mh.msg_namelen = self_len;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (b && b->len) {
		mh.msg_control = (void *)b->u.buf;
		mh.msg_controllen = b->len;
	}
	printf("%s %s send=", kind, name);
	if (sendmsg(s, &mh, 0) < 0) {
		printf("%s\n", tap_errname(errno));
		return;
	}
	printf("ok");
	print_recv();
}

/* A case of one message at @level/@type with @len bytes of @data. */
static void msg_case(const char *name, int level, int type, const void *data,
		     size_t len)
{
	struct cbuf b = { .len = 0 };

	add(&b, level, type, data, len);
	one(name, &b);
}

/* A case of one int message at @level/@type. */
static void int_case(const char *name, int level, int type, int v)
{
	char what[96];

	snprintf(what, sizeof(what), "%s(%d)", name, v);
	msg_case(what, level, type, &v, sizeof(v));
}

static void byte_case(const char *name, int level, int type, unsigned char v)
{
	char what[96];

	snprintf(what, sizeof(what), "%s(byte %u)", name, v);
	msg_case(what, level, type, &v, 1);
}

static void v4_cases(void)
{
	static const int ttls[] = { 1, 64, 255, 0, 256, -1 };
	static const int toss[] = { 0, 0x10, 0xff, 256, -1 };
	struct in_pktinfo pi;
	struct cbuf b;
	size_t i;

	for (i = 0; i < sizeof(ttls) / sizeof(ttls[0]); i++)
		int_case("IP_TTL", IPPROTO_IP, IP_TTL, ttls[i]);
	byte_case("IP_TTL", IPPROTO_IP, IP_TTL, 7);
	for (i = 0; i < sizeof(toss) / sizeof(toss[0]); i++)
		int_case("IP_TOS", IPPROTO_IP, IP_TOS, toss[i]);
	byte_case("IP_TOS", IPPROTO_IP, IP_TOS, 0x20);
	int_case("IP_PROTOCOL", IPPROTO_IP, IP_PROTOCOL, 17);
	int_case("IP_PROTOCOL", IPPROTO_IP, IP_PROTOCOL, 0);
	int_case("SOL_IP type 99", IPPROTO_IP, 99, 1);

	memset(&pi, 0, sizeof(pi));
	pi.ipi_spec_dst.s_addr = htonl(INADDR_LOOPBACK);
	msg_case("IP_PKTINFO(src 127.0.0.1)", IPPROTO_IP, IP_PKTINFO, &pi, sizeof(pi));
	pi.ipi_spec_dst.s_addr = htonl(0x7f000005);
	msg_case("IP_PKTINFO(src 127.0.0.5)", IPPROTO_IP, IP_PKTINFO, &pi, sizeof(pi));
	pi.ipi_spec_dst.s_addr = 0;
	pi.ipi_ifindex = 1;
	msg_case("IP_PKTINFO(ifindex 1)", IPPROTO_IP, IP_PKTINFO, &pi, sizeof(pi));
	pi.ipi_ifindex = 99;
	msg_case("IP_PKTINFO(ifindex 99)", IPPROTO_IP, IP_PKTINFO, &pi, sizeof(pi));
	pi.ipi_ifindex = 0;
	inet_pton(AF_INET, "198.51.100.7", &pi.ipi_spec_dst);
	msg_case("IP_PKTINFO(src 198.51.100.7)", IPPROTO_IP, IP_PKTINFO, &pi, sizeof(pi));
	msg_case("IP_PKTINFO(short)", IPPROTO_IP, IP_PKTINFO, &pi, sizeof(pi) - 4);

	msg_case("IP_RETOPTS(none)", IPPROTO_IP, IP_RETOPTS, "", 0);
	msg_case("IP_RETOPTS(nop nop nop end)", IPPROTO_IP, IP_RETOPTS, "\x01\x01\x01\x00", 4);

	b.len = 0;
	add_int(&b, IPPROTO_IP, IP_TTL, 9);
	add_int(&b, IPPROTO_IP, IP_TOS, 0x28);
	one("IP_TTL(9)+IP_TOS(0x28)", &b);
}

static void v6_cases(void)
{
	static const int hops[] = { 1, 64, 255, 0, 256, -1 };
	static const int tcls[] = { 0, 0x10, 0xff, 256, -1 };
	struct in6_pktinfo pi;
	struct sockaddr_in6 nh;
	struct cbuf b;
	size_t i;
	int v;

	for (i = 0; i < sizeof(hops) / sizeof(hops[0]); i++)
		int_case("IPV6_HOPLIMIT", IPPROTO_IPV6, IPV6_HOPLIMIT, hops[i]);
	byte_case("IPV6_HOPLIMIT", IPPROTO_IPV6, IPV6_HOPLIMIT, 7);
	for (i = 0; i < sizeof(tcls) / sizeof(tcls[0]); i++)
		int_case("IPV6_TCLASS", IPPROTO_IPV6, IPV6_TCLASS, tcls[i]);
	int_case("IPV6_DONTFRAG", IPPROTO_IPV6, IPV6_DONTFRAG, 1);
	int_case("IPV6_DONTFRAG", IPPROTO_IPV6, IPV6_DONTFRAG, 2);
	int_case("IPV6_2292HOPLIMIT", IPPROTO_IPV6, IPV6_2292HOPLIMIT, 5);
	int_case("SOL_IPV6 type 99", IPPROTO_IPV6, 99, 1);

	memset(&pi, 0, sizeof(pi));
	pi.ipi6_addr = in6addr_loopback;
	msg_case("IPV6_PKTINFO(src ::1)", IPPROTO_IPV6, IPV6_PKTINFO, &pi, sizeof(pi));
	msg_case("IPV6_2292PKTINFO(src ::1)", IPPROTO_IPV6, IPV6_2292PKTINFO, &pi, sizeof(pi));
	inet_pton(AF_INET6, "::ffff:127.0.0.1", &pi.ipi6_addr);
	msg_case("IPV6_PKTINFO(src ::ffff:127.0.0.1)", IPPROTO_IPV6, IPV6_PKTINFO, &pi, sizeof(pi));
	memset(&pi, 0, sizeof(pi));
	pi.ipi6_ifindex = 1;
	msg_case("IPV6_PKTINFO(ifindex 1)", IPPROTO_IPV6, IPV6_PKTINFO, &pi, sizeof(pi));
	pi.ipi6_ifindex = 99;
	msg_case("IPV6_PKTINFO(ifindex 99)", IPPROTO_IPV6, IPV6_PKTINFO, &pi, sizeof(pi));
	pi.ipi6_ifindex = 0;
	inet_pton(AF_INET6, "2001:db8::7", &pi.ipi6_addr);
	msg_case("IPV6_PKTINFO(src 2001:db8::7)", IPPROTO_IPV6, IPV6_PKTINFO, &pi, sizeof(pi));
	msg_case("IPV6_PKTINFO(short)", IPPROTO_IPV6, IPV6_PKTINFO, &pi, sizeof(pi) - 4);

	memset(&nh, 0, sizeof(nh));
	nh.sin6_family = AF_INET6;
	nh.sin6_addr = in6addr_loopback;
	msg_case("IPV6_NEXTHOP(::1)", IPPROTO_IPV6, IPV6_NEXTHOP, &nh, sizeof(nh));

	b.len = 0;
	add_int(&b, IPPROTO_IPV6, IPV6_HOPLIMIT, 9);
	add_int(&b, IPPROTO_IPV6, IPV6_TCLASS, 0x28);
	one("IPV6_HOPLIMIT(9)+IPV6_TCLASS(0x28)", &b);

	/* -1 is the socket's own hop limit (ip6_sk_dst_hoplimit()), and a
	 * later message overrides an earlier one */
	v = 33;
	if (setsockopt(s, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &v, sizeof(v)))
		die("setsockopt");
	v = -1;
	msg_case("IPV6_HOPLIMIT(-1) on hops 33", IPPROTO_IPV6, IPV6_HOPLIMIT,
		 &v, sizeof(v));
	b.len = 0;
	add_int(&b, IPPROTO_IPV6, IPV6_HOPLIMIT, 9);
	add_int(&b, IPPROTO_IPV6, IPV6_HOPLIMIT, -1);
	one("IPV6_HOPLIMIT(9)+IPV6_HOPLIMIT(-1) on hops 33", &b);
	v = -1;
	if (setsockopt(s, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &v, sizeof(v)))
		die("setsockopt");
}

static void common_cases(void)
{
	uint64_t t = 0;
	struct cbuf b;
	int fd0 = 0;

	one("none", NULL);
	int_case("SO_MARK", SOL_SOCKET, SO_MARK, 1);
	int_case("SO_MARK", SOL_SOCKET, SO_MARK, 0);
	int_case("SO_PRIORITY", SOL_SOCKET, SO_PRIORITY, 3);
	int_case("SO_TIMESTAMPING", SOL_SOCKET, SO_TIMESTAMPING, 0);
	int_case("SOL_SOCKET type 999", SOL_SOCKET, 999, 1);
	int_case("IPPROTO_TCP type 1", IPPROTO_TCP, 1, 1);
	int_case("IPPROTO_UDP type 1", IPPROTO_UDP, 1, 1);
	msg_case("SCM_TXTIME", SOL_SOCKET, SCM_TXTIME, &t, sizeof(t));
	msg_case("SCM_RIGHTS(0)", SOL_SOCKET, SCM_RIGHTS, &fd0, sizeof(fd0));

	/* malformed: a cmsg_len under the header, past the buffer */
	b.len = 0;
	add_int(&b, IPPROTO_IP, IP_TTL, 9);
	((struct cmsghdr *)b.u.buf)->cmsg_len = sizeof(struct cmsghdr) - 1;
	one("cmsg_len under the header", &b);
	b.len = 0;
	add_int(&b, IPPROTO_IP, IP_TTL, 9);
	((struct cmsghdr *)b.u.buf)->cmsg_len = 4096;
	one("cmsg_len past the buffer", &b);
	b.len = 0;
	add_int(&b, IPPROTO_IP, IP_TTL, 9);
	b.len = sizeof(struct cmsghdr) - 2;
	one("buffer under a header", &b);
}

int main(int argc, char **argv)
{
	static const char *const kinds[] = {
		"udp4", "udp6", "udp6m", "ping4", "ping6", "raw4", "raw6",
	};
	const int n = (int)(sizeof(kinds) / sizeof(kinds[0]));
	int i, j;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (j = 1; j < argc || (argc == 1 && j == 1); j++) {
		for (i = 0; i < n; i++) {
			if (argc > 1 && strcmp(argv[j], kinds[i]))
				continue;
			if (argc == 1 && kinds[i][0] == 'r')
				continue;	/* CAP_NET_RAW: named only */
			kind = kinds[i];
			open_kind();
			common_cases();
			if (!strchr(kind, '6') || strstr(kind, "6m"))
				v4_cases();
			if (strchr(kind, '6'))
				v6_cases();
			close(s);
			s = -1;
			if (argc > 1)
				break;
		}
		if (argc > 1 && i == n) {
			fprintf(stderr, "usage: dgrammsg [udp4|udp6|udp6m|ping4|ping6|raw4|raw6]...\n");
			return 2;
		}
	}
	return 0;
}
