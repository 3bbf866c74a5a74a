// SPDX-License-Identifier: MIT
/*
 * icmpsock.c - ping sockets, raw ICMP sockets and ICMP errors on UDP
 * sockets, over the loopback, checked against what Linux does.
 *
 * Usage: icmpsock [--sandbox]
 *
 * Raw ICMP and ICMPv6 sockets: an echo request we build ourselves to
 * 127.0.0.1 / ::1 comes back as an echo reply, with the IPv4 header (IPv4)
 * or without one (IPv6); ICMP_FILTER blocks the types it names; with
 * IP_HDRINCL our own IPv4 header goes out, completed as Linux does.  Ping
 * sockets (SOCK_DGRAM, IPPROTO_ICMP/ICMPV6): the identifier is the bound
 * "port", only echo requests may be sent, replies come from the ICMP
 * header on.  UDP to a closed port: ECONNREFUSED on the next receive of a
 * connected socket, in SO_ERROR, and with IP_RECVERR / IPV6_RECVERR a
 * sock_extended_err on the error queue, quoting our whole datagram, and
 * POLLERR (poll and epoll) exactly while the queue holds one; data still
 * flows both ways on such a socket.  Without IP_RECVERR, a connected
 * socket's port unreachable is the pending error of calls rrsandbox does
 * not trap too (poll, recv, send); a socket with a second fd stays one.
 *
 * Natively, raw sockets need CAP_NET_RAW and ping sockets need the group
 * in net.ipv4.ping_group_range: checks that cannot run say so and are
 * skipped.  With --sandbox (inside rrsandbox, which allows both) nothing
 * may be skipped.  Plain libc; every wait is bounded by poll() timeouts.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <linux/errqueue.h>
#include <linux/filter.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

#ifndef ICMP_FILTER
#define ICMP_FILTER	1	/* <linux/icmp.h>, which clashes with glibc's */
#endif

#define WAIT_MS		3000
#define ECHO_ID		0x1234

static int sandbox;

/* Internet checksum (RFC 1071) of @len bytes. */
static uint16_t cksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

static socklen_t lo_addr(int af, uint16_t port, struct sockaddr_storage *ss)
{
	return tap_loopback(af, 0, port, ss);
}

/* An echo request: type, id, seq, 16 bytes of data; IPv4 checksum set. */
static size_t echo(int af, uint8_t *buf, uint16_t id, uint16_t seq)
{
	memset(buf, 0, 24);
	buf[0] = af == AF_INET ? ICMP_ECHO : ICMP6_ECHO_REQUEST;
	buf[4] = (uint8_t)(id >> 8);
	buf[5] = (uint8_t)id;
	buf[6] = (uint8_t)(seq >> 8);
	buf[7] = (uint8_t)seq;
	memcpy(buf + 8, "rrsandbox icmp!!", 16);
	if (af == AF_INET) {
		uint16_t s = cksum(buf, 24);

		memcpy(buf + 2, &s, 2);
	}
	return 24;
}

/* Wait for readability (or an error) on @fd.  Return: revents, 0 on timeout */
static int wait_in(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1 ? p.revents : 0;
}

/*
 * Read packets until one is an echo reply; @hdr is the bytes before the
 * ICMP header (the IPv4 header of a raw socket, found by its IHL, when
 * -1).  Return: its length, the ICMP offset in *@off, or -1.
 */
static ssize_t read_reply(int fd, int af, uint8_t *buf, size_t size, int hdr,
			  int *off, struct sockaddr_storage *from)
{
	uint8_t reply = af == AF_INET ? ICMP_ECHOREPLY : ICMP6_ECHO_REPLY;
	int i;

	for (i = 0; i < 16 && wait_in(fd, WAIT_MS); i++) {
		socklen_t fl = sizeof(*from);
		ssize_t n = recvfrom(fd, buf, size, MSG_DONTWAIT,
				     (struct sockaddr *)from, &fl);

		if (n < 1)
			continue;
		*off = hdr >= 0 ? hdr : (buf[0] & 0xf) * 4;
		if (n >= *off + 8 && buf[*off] == reply)
			return n;
	}
	return -1;
}

/* A socket natively refused for want of privilege: skip, unless --sandbox. */
static int usable(const char *what, int fd)
{
	if (fd >= 0)
		return 1;
	if (!sandbox && (errno == EPERM || errno == EACCES)) {
		tap_info("skip %s: %s (needs CAP_NET_RAW or ping_group_range)",
			 what, strerror(errno));
		return 0;
	}
	tap_ok(what, fd);
	return 0;
}

static void t_raw4(void)
{
	struct sockaddr_storage ss, from;
	uint8_t buf[2048];
	socklen_t len = lo_addr(AF_INET, 0, &ss);
	uint32_t filter;
	ssize_t n;
	int fd, off;

	fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	if (!usable("socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)", fd))
		return;
	tap_ret("raw4: sendto echo request", sendto(fd, buf, echo(AF_INET, buf, ECHO_ID, 1),
						  0, (struct sockaddr *)&ss, len), 24);
	n = read_reply(fd, AF_INET, buf, sizeof(buf), -1, &off, &from);
	tap_int("raw4: an echo reply comes", n > 0, 1);
	if (n > 0) {
		tap_int("raw4: read starts with the IPv4 header", buf[0] >> 4, 4);
		tap_int("raw4: IPv4 header's protocol is ICMP", buf[9], IPPROTO_ICMP);
		tap_int("raw4: length is IP header + ICMP", n, off + 24);
		tap_int("raw4: reply keeps our identifier",
			buf[off + 4] << 8 | buf[off + 5], ECHO_ID);
		tap_int("raw4: from 127.0.0.1",
			ntohl(((struct sockaddr_in *)&from)->sin_addr.s_addr),
			INADDR_LOOPBACK);
	}
	filter = 1u << ICMP_ECHOREPLY | 1u << ICMP_ECHO;
	tap_ok("raw4: setsockopt(ICMP_FILTER)",
	       setsockopt(fd, SOL_RAW, ICMP_FILTER, &filter, sizeof(filter)));
	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
	sendto(fd, buf, echo(AF_INET, buf, ECHO_ID, 2), 0, (struct sockaddr *)&ss, len);
	/* Natively the host's other ICMP (a port unreachable of another
	 * test) may come meanwhile: only an echo or echo reply counts. */
	for (n = 0, off = 0; wait_in(fd, 300); ) {
		ssize_t k = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		int hl = k > 0 ? (buf[0] & 0xf) * 4 : 0;

		if (k > hl && (buf[hl] == ICMP_ECHO || buf[hl] == ICMP_ECHOREPLY))
			off++;
		if (++n > 64)
			break;
	}
	tap_int("raw4: ICMP_FILTER blocks echo and echo reply", off, 0);
	close(fd);
}

/*
 * IP_HDRINCL (ospfd sends so): our IPv4 header with 0 for the source,
 * total length, id and checksum goes out completed (raw_send_hdrinc()),
 * TTL and TOS as we wrote them; too short a packet or header length is
 * EINVAL; an IPPROTO_RAW socket has the option from the start and sends
 * any protocol.  Protocol 253 (RFC 3692, experiments), to 127.0.0.1.
 */
static void t_hdrincl(void)
{
	struct sockaddr_storage ss;
	socklen_t len = lo_addr(AF_INET, 0, &ss);
	uint8_t pkt[28] = { 0x45, 0x10, 0, 0, 0, 0, 0, 0, 33, 253, 0, 0,
			    0, 0, 0, 0, 127, 0, 0, 1, 'h', 'd', 'r', 'i', 'n', 'c', 'l', '!' };
	uint8_t buf[256];
	socklen_t ol = sizeof(int);
	int r, s, raw, v = -1;
	ssize_t n;

	r = socket(AF_INET, SOCK_RAW, 253);
	if (!usable("socket(AF_INET, SOCK_RAW, 253)", r))
		return;
	s = socket(AF_INET, SOCK_RAW, 253);
	raw = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	tap_result(!getsockopt(s, IPPROTO_IP, IP_HDRINCL, &v, &ol) && v == 0,
		   "hdrincl: off on a protocol's raw socket", "got %d", v);
	tap_ok("hdrincl: setsockopt(IP_HDRINCL, 1)",
	       setsockopt(s, IPPROTO_IP, IP_HDRINCL, &(int){ 1 }, sizeof(int)));
	tap_ret("hdrincl: sendto our header and 8 bytes",
		sendto(s, pkt, sizeof(pkt), 0, (struct sockaddr *)&ss, len), 28);
	n = wait_in(r, WAIT_MS) ? recv(r, buf, sizeof(buf), MSG_DONTWAIT) : -1;
	tap_int("hdrincl: the packet comes, as long as sent", n, 28);
	if (n == 28) {
		tap_int("hdrincl: total length filled", buf[2] << 8 | buf[3], 28);
		tap_int("hdrincl: an id filled", !!(buf[4] | buf[5]), 1);
		tap_int("hdrincl: TTL and TOS ours", buf[8] << 8 | buf[1], 33 << 8 | 0x10);
		tap_int("hdrincl: source filled", !memcmp(buf + 12, pkt + 16, 4), 1);
		tap_int("hdrincl: header checksum right", cksum(buf, 20), 0);
		tap_int("hdrincl: payload intact", !memcmp(buf + 20, pkt + 20, 8), 1);
	}
	tap_errno("hdrincl: 19 bytes", sendto(s, pkt, 19, 0, (struct sockaddr *)&ss, len),
		  EINVAL);
	pkt[0] = 0x48;		/* 32 bytes of header in 28 */
	tap_errno("hdrincl: a header longer than the packet",
		  sendto(s, pkt, sizeof(pkt), 0, (struct sockaddr *)&ss, len), EINVAL);
	pkt[0] = 0x45;
	v = -1;
	ol = sizeof(int);
	tap_result(raw >= 0 && !getsockopt(raw, IPPROTO_IP, IP_HDRINCL, &v, &ol) && v == 1,
		   "hdrincl: on from the start on an IPPROTO_RAW socket", "got %d", v);
	pkt[27] = '?';
	tap_ret("hdrincl: IPPROTO_RAW sends protocol 253",
		sendto(raw, pkt, sizeof(pkt), 0, (struct sockaddr *)&ss, len), 28);
	n = wait_in(r, WAIT_MS) ? recv(r, buf, sizeof(buf), MSG_DONTWAIT) : -1;
	tap_int("hdrincl: ... which the protocol's socket gets", n == 28 && buf[27] == '?', 1);
	/* a socket filter on a raw IPv4 socket sees the IP header on:
	 * keeping 24 bytes keeps the header and 4 of the payload */
	{
		struct sock_filter keep24 = BPF_STMT(BPF_RET | BPF_K, 24);
		struct sock_fprog fp = { 1, &keep24 };

		tap_ok("raw4 SO_ATTACH_FILTER keeping 24 bytes",
		       setsockopt(r, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof(fp)));
		sendto(s, pkt, sizeof(pkt), 0, (struct sockaddr *)&ss, len);
		n = wait_in(r, WAIT_MS) ? recv(r, buf, sizeof(buf), MSG_DONTWAIT) : -1;
		tap_int("raw4 filter: the packet is read as its header and 4 bytes",
			n == 24 && !memcmp(buf + 20, "hdri", 4), 1);
	}
	close(raw);
	close(s);
	close(r);
}

/*
 * IPV6_HDRINCL (rawv6_send_hdrinc()): an IPv6 IPPROTO_RAW socket has it
 * from the start, a protocol's raw socket may set it; our IPv6 header goes
 * out as written; under 40 bytes is EINVAL.  Protocol 253 to ::1, whose
 * raw socket reads the payload (IPv6 raw sockets get no header).
 */
#ifndef IPV6_HDRINCL
#define IPV6_HDRINCL	36
#endif
static void t_hdrincl6(void)
{
	struct sockaddr_storage ss;
	socklen_t len = lo_addr(AF_INET6, 0, &ss), ol = sizeof(int);
	uint8_t pkt[48] = { 0x60, 0, 0, 0, 0, 8, 253, 33 };
	uint8_t buf[256];
	int r, s, raw, v = -1;
	ssize_t n;

	pkt[23] = 1;			/* source ::1 */
	pkt[39] = 1;			/* destination ::1 */
	memcpy(pkt + 40, "hdrinc6!", 8);
	r = socket(AF_INET6, SOCK_RAW, 253);
	if (!usable("socket(AF_INET6, SOCK_RAW, 253)", r))
		return;
	raw = socket(AF_INET6, SOCK_RAW, IPPROTO_RAW);
	s = socket(AF_INET6, SOCK_RAW, 253);
	tap_result(raw >= 0 && !getsockopt(raw, IPPROTO_IPV6, IPV6_HDRINCL, &v, &ol) && v == 1,
		   "hdrincl6: on from the start on an IPPROTO_RAW socket", "got %d", v);
	tap_ret("hdrincl6: IPPROTO_RAW sends our header and 8 bytes",
		sendto(raw, pkt, sizeof(pkt), 0, (struct sockaddr *)&ss, len), 48);
	n = wait_in(r, WAIT_MS) ? recv(r, buf, sizeof(buf), MSG_DONTWAIT) : -1;
	tap_int("hdrincl6: the protocol's socket reads the payload",
		n == 8 && !memcmp(buf, "hdrinc6!", 8), 1);
	tap_errno("hdrincl6: 39 bytes", sendto(raw, pkt, 39, 0, (struct sockaddr *)&ss, len),
		  EINVAL);
	v = -1;
	ol = sizeof(int);
	tap_result(!getsockopt(s, IPPROTO_IPV6, IPV6_HDRINCL, &v, &ol) && v == 0,
		   "hdrincl6: off on a protocol's raw socket", "got %d", v);
	tap_ok("hdrincl6: setsockopt(IPV6_HDRINCL, 1)",
	       setsockopt(s, IPPROTO_IPV6, IPV6_HDRINCL, &(int){ 1 }, sizeof(int)));
	pkt[47] = '?';
	tap_ret("hdrincl6: the protocol's socket sends our header",
		sendto(s, pkt, sizeof(pkt), 0, (struct sockaddr *)&ss, len), 48);
	n = wait_in(r, WAIT_MS) ? recv(r, buf, sizeof(buf), MSG_DONTWAIT) : -1;
	tap_int("hdrincl6: ... which comes as written", n == 8 && buf[7] == '?', 1);
	close(s);
	close(raw);
	close(r);
}

/* bind(): a raw socket may take a group (raw_bind(): VRRP's
 * 224.0.0.18), a ping socket neither a group nor a broadcast address */
static void t_bind_group(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int r, p;

	r = socket(AF_INET, SOCK_RAW, 112);
	if (usable("socket(AF_INET, SOCK_RAW, 112)", r)) {
		inet_pton(AF_INET, "224.0.0.18", &a.sin_addr);
		tap_ok("raw4: bind to 224.0.0.18", bind(r, (struct sockaddr *)&a, sizeof(a)));
		close(r);
	}
	p = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	if (usable("socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)", p)) {
		inet_pton(AF_INET, "224.0.0.18", &a.sin_addr);
		tap_errno("ping4: bind to 224.0.0.18",
			  bind(p, (struct sockaddr *)&a, sizeof(a)), EADDRNOTAVAIL);
		inet_pton(AF_INET, "127.255.255.255", &a.sin_addr);
		tap_errno("ping4: bind to lo's broadcast 127.255.255.255",
			  bind(p, (struct sockaddr *)&a, sizeof(a)), EADDRNOTAVAIL);
		close(p);
	}
}

static void t_raw6(void)
{
	struct sockaddr_storage ss, from;
	uint8_t buf[2048];
	socklen_t len = lo_addr(AF_INET6, 0, &ss);
	ssize_t n;
	int fd, off, v = 0;

	fd = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
	if (!usable("socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6)", fd))
		return;
	tap_errno("raw6: IPV6_CHECKSUM on ICMPv6", setsockopt(fd, IPPROTO_IPV6,
		  IPV6_CHECKSUM, &v, sizeof(v)), EINVAL);
	/* No checksum from us: the kernel computes ICMPv6's (RFC 3542). */
	tap_ret("raw6: sendto echo request", sendto(fd, buf, echo(AF_INET6, buf, ECHO_ID, 1),
						  0, (struct sockaddr *)&ss, len), 24);
	n = read_reply(fd, AF_INET6, buf, sizeof(buf), 0, &off, &from);
	tap_int("raw6: an echo reply comes, from the ICMPv6 header on", n, 24);
	if (n > 0)
		tap_int("raw6: reply keeps our identifier", buf[4] << 8 | buf[5], ECHO_ID);
	/* :: is this host (rawv6_sendmsg()): `ping ::` as root */
	((struct sockaddr_in6 *)&ss)->sin6_addr = in6addr_any;
	tap_ret("raw6: sendto the wildcard", sendto(fd, buf, echo(AF_INET6, buf, ECHO_ID, 2),
						   0, (struct sockaddr *)&ss, len), 24);
	n = read_reply(fd, AF_INET6, buf, sizeof(buf), 0, &off, &from);
	tap_int("raw6: the wildcard answers from ::1", n == 24 &&
		!memcmp(&((struct sockaddr_in6 *)&from)->sin6_addr, &in6addr_loopback, 16), 1);
	close(fd);
}

/*
 * A second ping socket on identifier @id, which @fd has: ping sockets
 * start with SO_REUSEADDR (INET_PROTOSW_REUSE), so the bind succeeds, and
 * the echo reply goes to the socket that got the identifier last
 * (ping_lookup()), not to both; without SO_REUSEADDR it is EADDRINUSE.
 */
static void t_ping_shared(int af, int fd, int id)
{
	int proto = af == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	const char *f = af == AF_INET ? "4" : "6";
	struct sockaddr_storage ss, from;
	socklen_t len, ol = sizeof(int);
	uint8_t buf[2048];
	int fd2, fd3, v = -1, off, zero = 0;
	char d[80];
	ssize_t n;

	fd2 = socket(af, SOCK_DGRAM, proto);
	snprintf(d, sizeof(d), "ping%s: SO_REUSEADDR is on from the start", f);
	tap_int(d, getsockopt(fd2, SOL_SOCKET, SO_REUSEADDR, &v, &ol) ? -1 : v, 1);
	len = lo_addr(af, (uint16_t)id, &ss);
	snprintf(d, sizeof(d), "ping%s: bind() to an identifier in use", f);
	tap_ret(d, bind(fd2, (struct sockaddr *)&ss, len), 0);
	lo_addr(af, 0, &ss);
	snprintf(d, sizeof(d), "ping%s: send on the second socket", f);
	tap_ret(d, sendto(fd2, buf, echo(af, buf, 7, 3), 0, (struct sockaddr *)&ss, len), 24);
	n = read_reply(fd2, af, buf, sizeof(buf), 0, &off, &from);
	snprintf(d, sizeof(d), "ping%s: the reply goes to the socket bound last", f);
	tap_int(d, n, 24);
	snprintf(d, sizeof(d), "ping%s: and not to the first", f);
	tap_int(d, wait_in(fd, 200), 0);
	fd3 = socket(af, SOCK_DGRAM, proto);
	setsockopt(fd3, SOL_SOCKET, SO_REUSEADDR, &zero, sizeof(zero));
	lo_addr(af, (uint16_t)id, &ss);
	snprintf(d, sizeof(d), "ping%s: bind() to an identifier in use without SO_REUSEADDR", f);
	tap_errno(d, bind(fd3, (struct sockaddr *)&ss, len), EADDRINUSE);
	close(fd3);
	close(fd2);
}

static void t_ping(int af)
{
	int proto = af == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	const char *f = af == AF_INET ? "4" : "6";
	struct sockaddr_storage ss, from, me;
	socklen_t len = lo_addr(af, 0, &ss), ml = sizeof(me);
	uint8_t buf[2048];
	char d[80];
	ssize_t n;
	int fd, off, id;

	fd = socket(af, SOCK_DGRAM, proto);
	snprintf(d, sizeof(d), "socket(AF_INET%s, SOCK_DGRAM, ICMP)", af == AF_INET ? "" : "6");
	if (!usable(d, fd))
		return;
	echo(af, buf, 7, 1);
	buf[0] = af == AF_INET ? ICMP_TIMESTAMP : ICMP6_ECHO_REPLY;
	snprintf(d, sizeof(d), "ping%s: sendto anything but an echo request", f);
	tap_errno(d, sendto(fd, buf, 24, 0, (struct sockaddr *)&ss, len), EINVAL);
	snprintf(d, sizeof(d), "ping%s: sendto echo request", f);
	tap_ret(d, sendto(fd, buf, echo(af, buf, 7, 1), 0, (struct sockaddr *)&ss, len), 24);
	getsockname(fd, (struct sockaddr *)&me, &ml);
	id = ntohs(af == AF_INET ? ((struct sockaddr_in *)&me)->sin_port :
		   ((struct sockaddr_in6 *)&me)->sin6_port);
	snprintf(d, sizeof(d), "ping%s: the first send picks an identifier", f);
	tap_int(d, id != 0, 1);
	n = read_reply(fd, af, buf, sizeof(buf), 0, &off, &from);
	snprintf(d, sizeof(d), "ping%s: the echo reply, from the ICMP header on", f);
	tap_int(d, n, 24);
	snprintf(d, sizeof(d), "ping%s: reply carries the socket's identifier", f);
	if (n > 0)
		tap_int(d, buf[4] << 8 | buf[5], id);
	/* The wildcard is this host (`ping 0.0.0.0`), but ping_v6_sendmsg()
	 * routes :: as it is: nowhere (`ping ::` uses a raw socket). */
	lo_addr(af, 0, &ss);
	if (af == AF_INET)
		((struct sockaddr_in *)&ss)->sin_addr.s_addr = htonl(INADDR_ANY);
	else
		((struct sockaddr_in6 *)&ss)->sin6_addr = in6addr_any;
	snprintf(d, sizeof(d), "ping%s: sendto the wildcard", f);
	if (af == AF_INET6) {
		tap_errno(d, sendto(fd, buf, echo(af, buf, 7, 2), 0,
				    (struct sockaddr *)&ss, len), ENETUNREACH);
	} else {
		tap_ret(d, sendto(fd, buf, echo(af, buf, 7, 2), 0,
				  (struct sockaddr *)&ss, len), 24);
		n = read_reply(fd, af, buf, sizeof(buf), 0, &off, &from);
		snprintf(d, sizeof(d), "ping%s: the wildcard answers from 127.0.0.1", f);
		tap_int(d, n == 24 && ((struct sockaddr_in *)&from)->sin_addr.s_addr ==
			htonl(INADDR_LOOPBACK), 1);
	}
	t_ping_shared(af, fd, id);
	close(fd);
}

/* A UDP port on the loopback that nothing listens on. */
static uint16_t closed_port(int af)
{
	struct sockaddr_storage ss;
	socklen_t len = lo_addr(af, 0, &ss);
	int fd = socket(af, SOCK_DGRAM, 0);
	uint16_t port;

	bind(fd, (struct sockaddr *)&ss, len);
	getsockname(fd, (struct sockaddr *)&ss, &len);
	port = ntohs(af == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port :
		     ((struct sockaddr_in6 *)&ss)->sin6_port);
	close(fd);
	return port;
}

static int udp_to_closed(int af, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len = lo_addr(af, port, &ss);
	struct timeval tv = { 3, 0 };
	int fd = socket(af, SOCK_DGRAM, 0);

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	connect(fd, (struct sockaddr *)&ss, len);
	return fd;
}

static void t_refused(int af)
{
	const char *f = af == AF_INET ? "4" : "6";
	uint16_t port = closed_port(af);
	struct sockaddr_storage from;
	socklen_t fl = sizeof(from), ol = sizeof(int);
	char d[80], b[8];
	int fd, err = -1;

	fd = udp_to_closed(af, port);
	send(fd, "x", 1, 0);
	snprintf(d, sizeof(d), "udp%s: recvfrom after a port unreachable", f);
	tap_errno(d, recvfrom(fd, b, sizeof(b), 0, (struct sockaddr *)&from, &fl),
		  ECONNREFUSED);
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &ol);
	snprintf(d, sizeof(d), "udp%s: SO_ERROR then is clear", f);
	tap_int(d, err, 0);
	send(fd, "x", 1, 0);
	usleep(300 * 1000);
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &ol);
	snprintf(d, sizeof(d), "udp%s: SO_ERROR after a port unreachable", f);
	tap_int(d, err, ECONNREFUSED);
	close(fd);
}

/* The IP_RECVERR/IPV6_RECVERR message of @mh, or NULL. */
static struct sock_extended_err *find_ee(struct msghdr *mh, int af)
{
	struct cmsghdr *cm;

	for (cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm))
		if ((af == AF_INET && cm->cmsg_level == IPPROTO_IP &&
		     cm->cmsg_type == IP_RECVERR) ||
		    (af == AF_INET6 && cm->cmsg_level == IPPROTO_IPV6 &&
		     cm->cmsg_type == IPV6_RECVERR))
			return (struct sock_extended_err *)CMSG_DATA(cm);
	return NULL;
}

static void check_ee(int af, struct sock_extended_err *ee, const char *f)
{
	char d[80];

	snprintf(d, sizeof(d), "udp%s errqueue: ee_errno", f);
	tap_int(d, ee->ee_errno, ECONNREFUSED);
	snprintf(d, sizeof(d), "udp%s errqueue: ee_origin", f);
	tap_int(d, ee->ee_origin, af == AF_INET ? SO_EE_ORIGIN_ICMP : SO_EE_ORIGIN_ICMP6);
	snprintf(d, sizeof(d), "udp%s errqueue: ee_type/ee_code port unreachable", f);
	tap_int(d, ee->ee_type << 8 | ee->ee_code, af == AF_INET ?
		(ICMP_DEST_UNREACH << 8 | ICMP_PORT_UNREACH) :
		(ICMP6_DST_UNREACH << 8 | ICMP6_DST_UNREACH_NOPORT));
	snprintf(d, sizeof(d), "udp%s errqueue: offender is the loopback", f);
	if (af == AF_INET)
		tap_int(d, ntohl(((struct sockaddr_in *)SO_EE_OFFENDER(ee))->sin_addr.s_addr),
			INADDR_LOOPBACK);
	else
		tap_int(d, IN6_IS_ADDR_LOOPBACK(&((struct sockaddr_in6 *)
						   SO_EE_OFFENDER(ee))->sin6_addr), 1);
}

static void t_errqueue(int af)
{
	const char *f = af == AF_INET ? "4" : "6";
	uint16_t port = closed_port(af);
	struct sockaddr_storage name;
	char ctl[512], b[64], d[80];
	struct iovec iov = { b, sizeof(b) };
	struct msghdr mh = { .msg_name = &name, .msg_namelen = sizeof(name),
			     .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct sock_extended_err *ee;
	socklen_t ol = sizeof(int);
	int fd, on = 1, err = -1;
	ssize_t n;

	fd = udp_to_closed(af, port);
	setsockopt(fd, af == AF_INET ? IPPROTO_IP : IPPROTO_IPV6,
		   af == AF_INET ? IP_RECVERR : IPV6_RECVERR, &on, sizeof(on));
	send(fd, "hello", 5, 0);
	snprintf(d, sizeof(d), "udp%s errqueue: poll() says POLLERR", f);
	tap_int(d, wait_in(fd, WAIT_MS) & POLLERR, POLLERR);
	n = recvmsg(fd, &mh, MSG_ERRQUEUE);
	snprintf(d, sizeof(d), "udp%s errqueue: recvmsg(MSG_ERRQUEUE) gives our payload", f);
	tap_ret(d, n, 5);
	if (n < 0)
		goto out;
	snprintf(d, sizeof(d), "udp%s errqueue: MSG_ERRQUEUE in msg_flags", f);
	tap_int(d, !!(mh.msg_flags & MSG_ERRQUEUE), 1);
	snprintf(d, sizeof(d), "udp%s errqueue: name is where it went", f);
	tap_int(d, ntohs(af == AF_INET ? ((struct sockaddr_in *)&name)->sin_port :
			 ((struct sockaddr_in6 *)&name)->sin6_port), port);
	ee = find_ee(&mh, af);
	snprintf(d, sizeof(d), "udp%s errqueue: a RECVERR control message", f);
	tap_int(d, ee != NULL, 1);
	if (ee)
		check_ee(af, ee, f);
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &ol);
	snprintf(d, sizeof(d), "udp%s errqueue: SO_ERROR clear once read", f);
	tap_int(d, err, 0);
	snprintf(d, sizeof(d), "udp%s errqueue: then empty", f);
	tap_errno(d, recvmsg(fd, &mh, MSG_ERRQUEUE), EAGAIN);
	snprintf(d, sizeof(d), "udp%s errqueue: nothing left to read", f);
	tap_errno(d, recvfrom(fd, b, sizeof(b), MSG_DONTWAIT,
			      (struct sockaddr *)&name, &(socklen_t){ sizeof(name) }),
		  EAGAIN);
out:
	close(fd);
}

/* The pending error: SO_ERROR, read and cleared. */
static int so_error(int fd)
{
	socklen_t ol = sizeof(int);
	int err = -1;

	getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &ol);
	return err;
}

/* What poll() says now of @fd, asked for POLLIN and POLLOUT. */
static int poll_now(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };

	return poll(&p, 1, 0) == 1 ? p.revents : 0;
}

/* What epoll says now of @ep's one fd (EPOLLIN asked), or 0. */
static unsigned int epoll_now(int ep)
{
	struct epoll_event ev;

	return epoll_wait(ep, &ev, 1, 0) == 1 ? ev.events : 0;
}

/* Wait up to WAIT_MS for @fd to say POLLERR.  Return: its revents */
static int wait_err(int fd)
{
	struct pollfd p = { .fd = fd, .events = 0 };

	return poll(&p, 1, WAIT_MS) == 1 ? p.revents : 0;
}

/*
 * Without IP_RECVERR, the port unreachable of a connected UDP socket is
 * its pending error as Linux keeps it, for calls that are not trapped
 * too: poll() says POLLERR (no POLLIN), recv() and send() fail with it
 * once, whoever reads it first reads it for all (SO_ERROR after recv(),
 * recv() after SO_ERROR find none), a blocking recv() is woken by it, and
 * the socket still carries data after.  (rrsandbox moves the socket to a
 * loopback UDP pair at connect(), and makes the error the host's own.)
 */
static void t_conn_refused(int af)
{
	const char *f = af == AF_INET ? "4" : "6";
	uint16_t port = closed_port(af);
	struct sockaddr_storage sa, ca, from;
	socklen_t sl = lo_addr(af, 0, &sa), cl = sizeof(ca), fl = sizeof(from);
	char b[16], d[96];
	int fd, srv;

	fd = udp_to_closed(af, port);
	send(fd, "a", 1, 0);
	snprintf(d, sizeof(d), "udp%s refused: POLLERR, no POLLIN", f);
	tap_int(d, wait_in(fd, WAIT_MS) & (POLLERR | POLLIN), POLLERR);
	snprintf(d, sizeof(d), "udp%s refused: recv() fails with it", f);
	tap_errno(d, recv(fd, b, sizeof(b), MSG_DONTWAIT), ECONNREFUSED);
	snprintf(d, sizeof(d), "udp%s refused: SO_ERROR then is clear", f);
	tap_int(d, so_error(fd), 0);
	snprintf(d, sizeof(d), "udp%s refused: no POLLERR after recv()", f);
	tap_int(d, poll_now(fd), POLLOUT);

	send(fd, "b", 1, 0);
	wait_err(fd);
	snprintf(d, sizeof(d), "udp%s refused: SO_ERROR reads the next", f);
	tap_int(d, so_error(fd), ECONNREFUSED);
	snprintf(d, sizeof(d), "udp%s refused: recv() then finds none", f);
	tap_errno(d, recv(fd, b, sizeof(b), MSG_DONTWAIT), EAGAIN);
	snprintf(d, sizeof(d), "udp%s refused: no POLLERR after SO_ERROR", f);
	tap_int(d, poll_now(fd), POLLOUT);

	send(fd, "c", 1, 0);
	wait_err(fd);
	snprintf(d, sizeof(d), "udp%s refused: send() fails with it", f);
	tap_errno(d, send(fd, "d", 1, 0), ECONNREFUSED);
	while (recv(fd, b, sizeof(b), MSG_DONTWAIT) >= 0 || errno != EAGAIN)
		;	/* "d" may have been refused too */

	send(fd, "e", 1, 0);
	snprintf(d, sizeof(d), "udp%s refused: a blocking recv() fails with it", f);
	tap_errno(d, recv(fd, b, sizeof(b), 0), ECONNREFUSED);

	srv = socket(af, SOCK_DGRAM, 0);
	bind(srv, (struct sockaddr *)&sa, sl);
	getsockname(srv, (struct sockaddr *)&sa, &sl);
	connect(fd, (struct sockaddr *)&sa, sl);
	getsockname(fd, (struct sockaddr *)&ca, &cl);
	snprintf(d, sizeof(d), "udp%s refused: then data goes out", f);
	tap_ret(d, send(fd, "data", 4, 0), 4);
	wait_in(srv, WAIT_MS);
	snprintf(d, sizeof(d), "udp%s refused: and arrives", f);
	tap_ret(d, recvfrom(srv, b, sizeof(b), MSG_DONTWAIT,
			    (struct sockaddr *)&from, &fl), 4);
	snprintf(d, sizeof(d), "udp%s refused: from the socket's name", f);
	tap_int(d, fl == cl && !memcmp(&from, &ca, cl), 1);
	sendto(srv, "back", 4, 0, (struct sockaddr *)&from, fl);
	snprintf(d, sizeof(d), "udp%s refused: and comes back", f);
	tap_ret(d, recv(fd, b, sizeof(b), 0), 4);
	close(srv);
	close(fd);
}

/*
 * POLLERR stands for a non-empty error queue, as traceroute reads it:
 * raised by the first error, kept while one is left, gone with the last;
 * no POLLIN, as there is no data.  The second error is waited for by its
 * SO_ERROR, which each queued error sets.
 */
static void t_pollerr(int af)
{
	const char *f = af == AF_INET ? "4" : "6";
	uint16_t port = closed_port(af);
	struct epoll_event ev = { .events = EPOLLIN };
	char b[64], ctl[512], d[96];
	struct iovec iov = { b, sizeof(b) };
	struct msghdr mh;
	int fd, ep, on = 1, i, err = 0;

	fd = udp_to_closed(af, port);
	setsockopt(fd, af == AF_INET ? IPPROTO_IP : IPPROTO_IPV6,
		   af == AF_INET ? IP_RECVERR : IPV6_RECVERR, &on, sizeof(on));
	ep = epoll_create1(EPOLL_CLOEXEC);
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	snprintf(d, sizeof(d), "udp%s pollerr: none before an error", f);
	tap_int(d, poll_now(fd), POLLOUT);
	send(fd, "first", 5, 0);
	snprintf(d, sizeof(d), "udp%s pollerr: POLLERR, no POLLIN, after an error", f);
	tap_int(d, wait_in(fd, WAIT_MS) & (POLLERR | POLLIN), POLLERR);
	snprintf(d, sizeof(d), "udp%s pollerr: epoll says EPOLLERR", f);
	tap_int(d, epoll_now(ep) & (EPOLLERR | EPOLLIN), EPOLLERR);
	snprintf(d, sizeof(d), "udp%s pollerr: SO_ERROR of the first", f);
	tap_int(d, so_error(fd), ECONNREFUSED);
	snprintf(d, sizeof(d), "udp%s pollerr: POLLERR stays after SO_ERROR", f);
	tap_int(d, poll_now(fd) & POLLERR, POLLERR);
	send(fd, "second", 6, 0);
	for (i = 0; i < WAIT_MS / 10 && !(err = so_error(fd)); i++)
		usleep(10000);
	snprintf(d, sizeof(d), "udp%s pollerr: SO_ERROR of the second", f);
	tap_int(d, err, ECONNREFUSED);
	for (i = 0; i < 2; i++) {
		memset(&mh, 0, sizeof(mh));
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = ctl;
		mh.msg_controllen = sizeof(ctl);
		snprintf(d, sizeof(d), "udp%s pollerr: error %d read", f, i + 1);
		tap_ret(d, recvmsg(fd, &mh, MSG_ERRQUEUE | MSG_DONTWAIT),
			i ? 6 : 5);
		snprintf(d, sizeof(d), "udp%s pollerr: %s after error %d", f,
			 i ? "no POLLERR" : "POLLERR still", i + 1);
		tap_int(d, poll_now(fd), i ? POLLOUT : POLLOUT | POLLERR);
	}
	snprintf(d, sizeof(d), "udp%s pollerr: epoll quiet once all are read", f);
	tap_int(d, epoll_now(ep), 0);
	close(ep);
	close(fd);
}

/*
 * Data still flows both ways on a socket that asked for its errors (in
 * rrsandbox it moved to another pair at IP_RECVERR): plain send() and
 * recv(), recvfrom() with an address, an empty datagram, and the
 * receiver sees the name getsockname() gives.
 */
static void t_recverr_data(int af)
{
	const char *f = af == AF_INET ? "4" : "6";
	struct sockaddr_storage sa, ca, from;
	socklen_t sl = lo_addr(af, 0, &sa), cl = sizeof(ca), fl;
	int srv = socket(af, SOCK_DGRAM, 0), cli = socket(af, SOCK_DGRAM, 0);
	int on = 1;
	char b[16], d[96];

	bind(srv, (struct sockaddr *)&sa, sl);
	getsockname(srv, (struct sockaddr *)&sa, &sl);
	setsockopt(cli, af == AF_INET ? IPPROTO_IP : IPPROTO_IPV6,
		   af == AF_INET ? IP_RECVERR : IPV6_RECVERR, &on, sizeof(on));
	connect(cli, (struct sockaddr *)&sa, sl);
	getsockname(cli, (struct sockaddr *)&ca, &cl);
	snprintf(d, sizeof(d), "udp%s recverr data: plain send()", f);
	tap_ret(d, send(cli, "ping", 4, 0), 4);
	wait_in(srv, WAIT_MS);
	fl = sizeof(from);
	snprintf(d, sizeof(d), "udp%s recverr data: the server gets it", f);
	tap_ret(d, recvfrom(srv, b, sizeof(b), MSG_DONTWAIT,
			    (struct sockaddr *)&from, &fl), 4);
	snprintf(d, sizeof(d), "udp%s recverr data: from the client's name", f);
	tap_int(d, fl == cl && !memcmp(&from, &ca, cl), 1);
	sendto(srv, "pong", 4, 0, (struct sockaddr *)&from, fl);
	sendto(srv, "", 0, 0, (struct sockaddr *)&from, fl);
	sendto(srv, "again", 5, 0, (struct sockaddr *)&from, fl);
	wait_in(cli, WAIT_MS);
	snprintf(d, sizeof(d), "udp%s recverr data: plain recv()", f);
	tap_ret(d, recv(cli, b, sizeof(b), 0), 4);
	snprintf(d, sizeof(d), "udp%s recverr data: an empty datagram", f);
	tap_ret(d, recv(cli, b, sizeof(b), 0), 0);
	fl = sizeof(from);
	snprintf(d, sizeof(d), "udp%s recverr data: recvfrom() with an address", f);
	tap_ret(d, recvfrom(cli, b, sizeof(b), 0, (struct sockaddr *)&from, &fl), 5);
	snprintf(d, sizeof(d), "udp%s recverr data: from the server", f);
	tap_int(d, fl == sl && !memcmp(&from, &sa, sl), 1);
	snprintf(d, sizeof(d), "udp%s recverr data: no POLLERR", f);
	tap_int(d, poll_now(cli), POLLOUT);
	close(cli);
	close(srv);
}

/*
 * A socket that asked for its errors, passed in an SCM_RIGHTS message and
 * closed, is still the same socket when it comes back seconds later: a
 * datagram sent through it reaches a listener on the loopback beside it.
 * (rrsandbox moved it to a host UDP pair at IP_RECVERR and its liveness
 * scan, 1 s after, finds it in no fd table while it is in flight: were it
 * freed then, the socket that came back would be a host socket the
 * supervisor no longer serves, and the datagram would go to the host.)
 */
static void t_in_flight(void)
{
	struct sockaddr_in la = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t ll = sizeof(la);
	int l = socket(AF_INET, SOCK_DGRAM, 0), s, t = -1, on = 1, sp[2];
	char cb[CMSG_SPACE(sizeof(int))], b[8];
	struct iovec iov = { b, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cb, .msg_controllen = sizeof(cb) };
	struct cmsghdr *cm;

	bind(l, (struct sockaddr *)&la, sizeof(la));
	getsockname(l, (struct sockaddr *)&la, &ll);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	setsockopt(s, IPPROTO_IP, IP_RECVERR, &on, sizeof(on));
	socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sp);
	b[0] = 'f';
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &s, sizeof(int));
	tap_ret("in flight: a socket with IP_RECVERR sent in SCM_RIGHTS",
		sendmsg(sp[0], &mh, 0), 1);
	close(s);
	usleep(2500 * 1000);	/* past rrsandbox's first liveness scan */
	mh.msg_controllen = sizeof(cb);
	if (recvmsg(sp[1], &mh, 0) == 1 && (cm = CMSG_FIRSTHDR(&mh)) &&
	    cm->cmsg_type == SCM_RIGHTS)
		memcpy(&t, CMSG_DATA(cm), sizeof(int));
	tap_int("in flight: it comes back", t >= 0, 1);
	tap_ret("in flight: a datagram through it",
		sendto(t, "back", 4, 0, (struct sockaddr *)&la, sizeof(la)), 4);
	wait_in(l, WAIT_MS);
	tap_ret("in flight: ... reaches the listener beside it",
		recv(l, b, sizeof(b), MSG_DONTWAIT), 4);
	close(t);
	close(sp[0]);
	close(sp[1]);
	close(l);
}

/* A second fd for @fd: 0 dup(), 1 fcntl(F_DUPFD_CLOEXEC), 2 one that went
 * through an SCM_RIGHTS message. */
static int second_fd(int fd, int how)
{
	char cb[CMSG_SPACE(sizeof(int))], b = 'r';
	struct iovec iov = { &b, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cb, .msg_controllen = sizeof(cb) };
	struct cmsghdr *cm;
	int sp[2], got = -1;

	if (how == 0)
		return dup(fd);
	if (how == 1)
		return fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sp))
		return -1;
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	if (sendmsg(sp[0], &mh, 0) == 1) {
		mh.msg_controllen = sizeof(cb);
		if (recvmsg(sp[1], &mh, 0) == 1 && (cm = CMSG_FIRSTHDR(&mh)) &&
		    cm->cmsg_type == SCM_RIGHTS)
			memcpy(&got, CMSG_DATA(cm), sizeof(int));
	}
	close(sp[0]);
	close(sp[1]);
	return got;
}

/*
 * A UDP socket given a second fd before it is connected stays one socket
 * for both: the second fd (dup(), fcntl(F_DUPFD_CLOEXEC), SCM_RIGHTS, a
 * child's after fork()) sends from the name the first connected and gets
 * the replies, and still does once the first is closed.  (rrsandbox moves
 * a UDP socket to another pair at connect() only where it knows the
 * caller's fd is the only one: it counts every call that can make
 * another, and else scans the sandbox's fds.)
 */
static void t_dup_connect(int af)
{
	static const char *const how_name[] = { "dup", "F_DUPFD", "SCM_RIGHTS",
						"fork" };
	const char *f = af == AF_INET ? "4" : "6";
	struct sockaddr_storage sa, ca, from;
	socklen_t sl, cl, fl;
	char b[16], d[96];
	int how, srv, s, t, go[2], st = -1;
	pid_t kid = -1;

	for (how = 0; how < 4; how++) {
		sl = lo_addr(af, 0, &sa);
		srv = socket(af, SOCK_DGRAM, 0);
		bind(srv, (struct sockaddr *)&sa, sl);
		getsockname(srv, (struct sockaddr *)&sa, &sl);
		s = socket(af, SOCK_DGRAM, 0);
		t = -1;
		if (how < 3) {
			t = second_fd(s, how);
		} else if (pipe(go) == 0 && (kid = fork()) == 0) {
			/* the child's copy: sends once the parent connected */
			close(go[1]);
			_exit(read(go[0], b, 1) == 1 && send(s, "kid", 3, 0) == 3 ?
			      0 : 1);
		}
		connect(s, (struct sockaddr *)&sa, sl);
		cl = sizeof(ca);
		getsockname(s, (struct sockaddr *)&ca, &cl);
		fl = sizeof(from);
		snprintf(d, sizeof(d), "udp%s %s then connect: the other fd sends",
			 f, how_name[how]);
		if (how < 3) {
			tap_ret(d, send(t, "two", 3, 0), 3);
		} else {
			close(go[0]);
			tap_ret(d, write(go[1], "g", 1), 1);
			close(go[1]);
		}
		wait_in(srv, WAIT_MS);
		snprintf(d, sizeof(d), "udp%s %s then connect: it arrives",
			 f, how_name[how]);
		tap_ret(d, recvfrom(srv, b, sizeof(b), MSG_DONTWAIT,
				    (struct sockaddr *)&from, &fl), 3);
		snprintf(d, sizeof(d), "udp%s %s then connect: from the connected name",
			 f, how_name[how]);
		tap_int(d, fl == cl && !memcmp(&from, &ca, cl), 1);
		if (how == 3) {
			waitpid(kid, &st, 0);
			snprintf(d, sizeof(d), "udp%s fork then connect: the child's send",
				 f);
			tap_int(d, WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0);
			close(s);
			close(srv);
			continue;
		}
		close(s);
		sendto(srv, "back", 4, 0, (struct sockaddr *)&from, fl);
		wait_in(t, WAIT_MS);
		snprintf(d, sizeof(d), "udp%s %s then connect: the other fd, "
			 "the first closed, gets the reply", f, how_name[how]);
		tap_ret(d, recv(t, b, sizeof(b), MSG_DONTWAIT), 4);
		close(t);
		close(srv);
	}
}

/*
 * Timeouts set before connect() hold after it: SO_RCVTIMEO reads back,
 * and a recv() with nothing to read gives up after it (rrsandbox moves the
 * socket to another pair at connect(), and carries them over).
 */
static void t_timeo_connect(int af)
{
	const char *f = af == AF_INET ? "4" : "6";
	struct sockaddr_storage sa;
	socklen_t sl = lo_addr(af, 0, &sa), tl = sizeof(struct timeval);
	struct timeval tv = { 0, 300 * 1000 }, got = { 0, 0 }, t0, t1;
	char b[8], d[96];
	int srv = socket(af, SOCK_DGRAM, 0), s = socket(af, SOCK_DGRAM, 0);
	long ms;

	bind(srv, (struct sockaddr *)&sa, sl);
	getsockname(srv, (struct sockaddr *)&sa, &sl);
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	connect(s, (struct sockaddr *)&sa, sl);
	getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &got, &tl);
	snprintf(d, sizeof(d), "udp%s SO_RCVTIMEO set before connect() stays", f);
	tap_int(d, got.tv_sec * 1000000L + got.tv_usec, 300000);
	tl = sizeof(got);
	getsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &got, &tl);
	snprintf(d, sizeof(d), "udp%s SO_SNDTIMEO set before connect() stays", f);
	tap_int(d, got.tv_sec * 1000000L + got.tv_usec, 300000);
	gettimeofday(&t0, NULL);
	snprintf(d, sizeof(d), "udp%s a recv() with nothing to read times out", f);
	tap_errno(d, recv(s, b, sizeof(b), 0), EAGAIN);
	gettimeofday(&t1, NULL);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_usec - t0.tv_usec) / 1000;
	snprintf(d, sizeof(d), "udp%s ... after SO_RCVTIMEO (%ld ms)", f, ms);
	tap_int(d, ms >= 250 && ms < 2500, 1);
	close(s);
	close(srv);
}

/*
 * 300 connected UDP sockets, each answered once, then closed: inside
 * rrsandbox the supervisor's sockets are back to as many as before at
 * once (each was on a pair of host sockets; `show stats` counts after a
 * scan of the sandbox's fds, as close() is not trapped, and a scan runs
 * at the latest each 64 sockets moved to such a pair).  And 50 that send
 * and close at once: every datagram still arrives.
 */
static void t_close_frees(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sa);
	int srv, s, i, before, ok = 0;
	char b[8];

	srv = socket(AF_INET, SOCK_DGRAM, 0);
	bind(srv, (struct sockaddr *)&sa, sl);
	getsockname(srv, (struct sockaddr *)&sa, &sl);
	before = sandbox ? tap_sandbox_socks() : -1;
	for (i = 0; i < 300; i++) {
		s = socket(AF_INET, SOCK_DGRAM, 0);
		connect(s, (struct sockaddr *)&sa, sl);
		ok += send(s, "x", 1, 0) == 1 && wait_in(srv, WAIT_MS) &&
		      recv(srv, b, sizeof(b), 0) == 1;
		close(s);
	}
	tap_int("300 connected UDP sockets carry a datagram each", ok, 300);
	if (before >= 0)
		tap_int("... and, closed, leave the supervisor as many sockets as before",
			tap_sandbox_socks(), before);
	else
		tap_socks_uncounted(sandbox);
	for (i = 0; i < 50; i++) {
		s = socket(AF_INET, SOCK_DGRAM, 0);
		connect(s, (struct sockaddr *)&sa, sl);
		send(s, "y", 1, 0);
		close(s);
	}
	for (ok = 0; ok < 50 && wait_in(srv, WAIT_MS) &&
		     recv(srv, b, sizeof(b), 0) == 1; ok++)
		;
	tap_int("50 connected UDP sockets that send and close at once: all arrive",
		ok, 50);
	close(srv);
}

int main(int argc, char **argv)
{
	sandbox = argc > 1 && !strcmp(argv[1], "--sandbox");
	t_raw4();
	t_hdrincl();
	t_hdrincl6();
	t_bind_group();
	t_raw6();
	t_ping(AF_INET);
	t_ping(AF_INET6);
	t_refused(AF_INET);
	t_refused(AF_INET6);
	t_errqueue(AF_INET);
	t_errqueue(AF_INET6);
	t_conn_refused(AF_INET);
	t_conn_refused(AF_INET6);
	t_pollerr(AF_INET);
	t_pollerr(AF_INET6);
	t_recverr_data(AF_INET);
	t_recverr_data(AF_INET6);
	t_in_flight();
	t_dup_connect(AF_INET);
	t_dup_connect(AF_INET6);
	t_timeo_connect(AF_INET);
	t_timeo_connect(AF_INET6);
	t_close_frees();
	return tap_done();
}
