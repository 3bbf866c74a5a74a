/* SPDX-License-Identifier: MIT */
/*
 * pksock.c - AF_PACKET sockets on the loopback, checked against Linux.
 *
 * A self-checking program (TAP-style output, see tap.h) that runs
 * unchanged natively in a fresh network namespace (CTest runs it under
 * `unshare -n` as root, where packet sockets need CAP_NET_RAW) and inside
 * rrsandbox, where the sandbox's own lo is the device.  It checks:
 *  - socket(), socketpair(), SO_DOMAIN/SO_TYPE/SO_PROTOCOL;
 *  - bind() (lengths, family, unknown ifindex), getsockname() bound and
 *    unbound, and the calls a packet socket has not (EOPNOTSUPP);
 *  - what each socket sees of one UDP datagram over lo: ETH_P_ALL both
 *    copies, outgoing first, SOCK_DGRAM ETH_P_IP the received one from
 *    its IP header, ETH_P_IPV6 and protocol 0 nothing; their sockaddr_ll,
 *    PACKET_AUXDATA, MSG_TRUNC, PACKET_IGNORE_OUTGOING, PACKET_STATISTICS;
 *  - a classic BPF filter that picks one port and cuts to 42 bytes;
 *  - sends: a SOCK_DGRAM IPv4 packet and a SOCK_RAW frame reach a UDP
 *    socket; the sender sees only the looped copy of its own frame;
 *    ENXIO, EINVAL as Linux;
 *  - memberships, unknown options;
 *  - a blocked recvfrom() woken by a frame.
 *
 * Usage: pksock [--sandbox]
 *   --sandbox	rrsandbox's documented differences become TODO checks
 * Exit status: 0 if every check passed, 1 if not, 2 on a watchdog timeout.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include "tap.h"

static const struct tap_todo sandbox_todo[] = {
	{ "send() on an unbound socket*",
	  "a plain send() runs natively into the socket's pair: the frame is dropped, not refused" },
	{ NULL, NULL }
};

static int lo;
static uint16_t port_a, port_b;	/* two bound UDP ports on 127.0.0.1 */
static int udp_a, udp_b;
static uint16_t port_any;	/* and one on 0.0.0.0 */
static int udp_any;

#define MARK "pksock-mark"

static int pk(int type, int proto)
{
	return socket(AF_PACKET, type | SOCK_CLOEXEC, htons(proto));
}

static int pk_bind(int fd, int ifindex, int proto)
{
	struct sockaddr_ll a = { .sll_family = AF_PACKET, .sll_ifindex = ifindex,
				 .sll_protocol = htons(proto) };

	return bind(fd, (struct sockaddr *)&a, sizeof(a));
}

static int udp_bound(uint16_t *port, uint32_t addr)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(addr) };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(fd, (struct sockaddr *)&a, &len)) {
		printf("Bail out! UDP socket: %s\n", strerror(errno));
		exit(1);
	}
	*port = ntohs(a.sin_port);
	return fd;
}

static void udp_send(uint16_t port, const char *msg)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	sendto(fd, msg, strlen(msg), 0, (struct sockaddr *)&a, sizeof(a));
	close(fd);
}

/* A datagram within a second; its length or -1. */
static ssize_t recv_wait(int fd, char *buf, size_t len)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, 1000) != 1)
		return -1;
	return recv(fd, buf, len, MSG_DONTWAIT);
}

/* Empty a socket's queue. */
static void drain(int fd)
{
	char b[2048];

	while (recv(fd, b, sizeof(b), MSG_DONTWAIT) >= 0)
		;
}

struct got {
	ssize_t n;
	int flags;
	uint8_t data[2048];
	struct sockaddr_ll from;
	socklen_t fromlen;
	bool aux;
	struct tpacket_auxdata a;
};

/* The next frame (waiting up to @ms), with its address and auxdata. */
static ssize_t next(int fd, struct got *g, size_t room, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(struct tpacket_auxdata)) + 64];
	} ctl;
	struct iovec iov = { g->data, room };
	struct msghdr mh = { .msg_name = &g->from, .msg_namelen = sizeof(g->from),
			     .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = ctl.b, .msg_controllen = sizeof(ctl.b) };
	struct cmsghdr *c;

	memset(&g->from, 0, sizeof(g->from));
	g->aux = false;
	g->n = -1;
	if (poll(&p, 1, ms) != 1)
		return -1;
	g->n = recvmsg(fd, &mh, MSG_DONTWAIT | MSG_TRUNC);
	g->flags = mh.msg_flags;
	g->fromlen = mh.msg_namelen;
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level == SOL_PACKET && c->cmsg_type == PACKET_AUXDATA) {
			memcpy(&g->a, CMSG_DATA(c), sizeof(g->a));
			g->aux = true;
		}
	}
	return g->n;
}

/* Whether a frame (from its link header, or its IP header when @ip) is
 * the IPv4 UDP datagram to @port carrying MARK. */
static bool is_mark(const struct got *g, bool ip, uint16_t port)
{
	size_t off = ip ? 0 : ETH_HLEN;
	const uint8_t *d = g->data + off;

	if (g->n < (ssize_t)(off + 28 + strlen(MARK)))
		return false;
	if (!ip && (g->data[12] != 0x08 || g->data[13] != 0x00))
		return false;
	return d[0] == 0x45 && d[9] == IPPROTO_UDP &&
	       ((d[22] << 8) | d[23]) == port && !memcmp(d + 28, MARK, strlen(MARK));
}

/* The next frame that is_mark(), skipping others (ND, MLD...). */
static ssize_t next_mark(int fd, struct got *g, bool ip, uint16_t port, int ms)
{
	int tries = 32;

	while (tries-- && next(fd, g, sizeof(g->data), ms) >= 0)
		if (is_mark(g, ip, port))
			return g->n;
	return -1;
}

/* ---- socket(), bind(), names -------------------------------------------- */

static void t_socket(void)
{
	int sv[2], fd, v;
	socklen_t len = sizeof(v);

	tap_errno("socket(AF_PACKET, SOCK_STREAM)", socket(AF_PACKET, SOCK_STREAM, 0),
		  ESOCKTNOSUPPORT);
	tap_errno("socketpair(AF_PACKET, SOCK_RAW)",
		  socketpair(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL), sv), EOPNOTSUPP);
	fd = pk(SOCK_RAW, ETH_P_ALL);
	if (!tap_ok("socket(AF_PACKET, SOCK_RAW, ETH_P_ALL)", fd))
		return;
	getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &v, &len);
	tap_int("SO_DOMAIN", v, AF_PACKET);
	getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len);
	tap_int("SO_TYPE", v, SOCK_RAW);
	getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &v, &len);
	tap_int("SO_PROTOCOL: 0, whatever the EtherType", v, 0);
	close(fd);
}

static void t_bind(void)
{
	struct sockaddr_ll a = { .sll_family = AF_PACKET, .sll_ifindex = lo };
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len;
	int fd = pk(SOCK_RAW, ETH_P_ALL);

	tap_errno("bind() 12 bytes of a sockaddr_ll",
		  bind(fd, (struct sockaddr *)&a, 12), EINVAL);
	memcpy(&a, &sin, sizeof(sin) < sizeof(a) ? sizeof(sin) : sizeof(a));
	a.sll_ifindex = lo;
	tap_errno("bind() with AF_INET", bind(fd, (struct sockaddr *)&a, sizeof(a)),
		  EINVAL);
	tap_errno("bind() to ifindex 9999", pk_bind(fd, 9999, ETH_P_ALL), ENODEV);

	memset(&a, 0, sizeof(a));
	len = sizeof(a);
	tap_ok("getsockname() unbound", getsockname(fd, (struct sockaddr *)&a, &len));
	tap_int("unbound: length (no hardware address)", len, 12);
	tap_int("unbound: sll_ifindex", a.sll_ifindex, 0);
	tap_int("unbound: sll_protocol", ntohs(a.sll_protocol), ETH_P_ALL);
	tap_int("unbound: sll_hatype", a.sll_hatype, 0);

	tap_ok("bind() to lo, protocol 0 (keeps ETH_P_ALL)", pk_bind(fd, lo, 0));
	memset(&a, 0, sizeof(a));
	len = sizeof(a);
	tap_ok("getsockname() bound", getsockname(fd, (struct sockaddr *)&a, &len));
	tap_int("bound: length", len, 18);
	tap_int("bound: sll_family", a.sll_family, AF_PACKET);
	tap_int("bound: sll_ifindex", a.sll_ifindex, lo);
	tap_int("bound: sll_protocol", ntohs(a.sll_protocol), ETH_P_ALL);
	tap_int("bound: sll_hatype", a.sll_hatype, ARPHRD_LOOPBACK);
	tap_int("bound: sll_halen", a.sll_halen, 6);

	len = sizeof(a);
	tap_errno("getpeername()", getpeername(fd, (struct sockaddr *)&a, &len), EOPNOTSUPP);
	tap_errno("connect()", connect(fd, (struct sockaddr *)&a, sizeof(a)), EOPNOTSUPP);
	tap_errno("listen()", listen(fd, 1), EOPNOTSUPP);
	tap_errno("shutdown()", shutdown(fd, SHUT_RDWR), EOPNOTSUPP);
	close(fd);
}

/* ---- receiving ---------------------------------------------------------- */

static void t_receive(void)
{
	int all = pk(SOCK_RAW, ETH_P_ALL), ip = pk(SOCK_DGRAM, ETH_P_IP);
	int v6 = pk(SOCK_RAW, ETH_P_IPV6), none = pk(SOCK_RAW, 0), on = 1;
	size_t ulen = 28 + strlen(MARK);
	struct got g;
	char tiny[10];
	struct pollfd p[2] = { { .fd = v6, .events = POLLIN },
			       { .fd = none, .events = POLLIN } };

	pk_bind(all, lo, 0);
	pk_bind(ip, lo, 0);
	pk_bind(v6, lo, 0);
	tap_ok("PACKET_AUXDATA on", setsockopt(all, SOL_PACKET, PACKET_AUXDATA, &on,
					       sizeof(on)));
	setsockopt(ip, SOL_PACKET, PACKET_AUXDATA, &on, sizeof(on));
	drain(all);
	drain(ip);
	udp_send(port_a, MARK);

	tap_ret("ETH_P_ALL: first copy's length", next_mark(all, &g, false, port_a, 2000),
		(long)(ETH_HLEN + ulen));
	tap_int("first copy: PACKET_OUTGOING", g.from.sll_pkttype, PACKET_OUTGOING);
	tap_int("first copy: sll_protocol ETH_P_IP", ntohs(g.from.sll_protocol), ETH_P_IP);
	tap_int("first copy: sll_ifindex", g.from.sll_ifindex, lo);
	tap_int("first copy: sll_hatype", g.from.sll_hatype, ARPHRD_LOOPBACK);
	tap_int("first copy: sll_halen", g.from.sll_halen, 6);
	tap_int("first copy: msg_namelen", g.fromlen, sizeof(struct sockaddr_ll));
	tap_int("first copy: an all-zero Ethernet header",
		!memcmp(g.data, "\0\0\0\0\0\0\0\0\0\0\0\0", 12), 1);
	tap_int("first copy: auxdata", g.aux, 1);
	tap_int("auxdata: TP_STATUS_USER", !!(g.a.tp_status & TP_STATUS_USER), 1);
	tap_int("auxdata: tp_len", g.a.tp_len, ETH_HLEN + ulen);
	tap_int("auxdata: tp_snaplen", g.a.tp_snaplen, ETH_HLEN + ulen);
	tap_int("auxdata: tp_mac", g.a.tp_mac, 0);
	tap_int("auxdata: tp_net", g.a.tp_net, ETH_HLEN);
	tap_ret("ETH_P_ALL: second copy", next_mark(all, &g, false, port_a, 2000),
		(long)(ETH_HLEN + ulen));
	tap_int("second copy: PACKET_HOST", g.from.sll_pkttype, PACKET_HOST);

	tap_ret("SOCK_DGRAM ETH_P_IP: from the IP header",
		next_mark(ip, &g, true, port_a, 2000), (long)ulen);
	tap_int("SOCK_DGRAM: the received copy only (PACKET_HOST)", g.from.sll_pkttype,
		PACKET_HOST);
	tap_int("SOCK_DGRAM: auxdata tp_net", g.a.tp_net, 0);
	tap_int("SOCK_DGRAM: no second copy", next_mark(ip, &g, true, port_a, 200), -1);
	tap_int("ETH_P_IPV6 and protocol 0: nothing", poll(p, 2, 200), 0);

	/* a short buffer: MSG_TRUNC says the whole length */
	drain(all);
	udp_send(port_a, MARK);
	tap_ret("recv(10 bytes, MSG_TRUNC)",
		recv(all, tiny, sizeof(tiny), MSG_TRUNC), (long)(ETH_HLEN + ulen));
	tap_ret("recvmsg(10 bytes, MSG_TRUNC): the whole length",
		next(all, &g, sizeof(tiny), 2000), (long)(ETH_HLEN + ulen));
	tap_int("recvmsg(10 bytes): msg_flags MSG_TRUNC", !!(g.flags & MSG_TRUNC), 1);

	/* PACKET_IGNORE_OUTGOING */
	tap_ok("PACKET_IGNORE_OUTGOING on",
	       setsockopt(all, SOL_PACKET, PACKET_IGNORE_OUTGOING, &on, sizeof(on)));
	drain(all);
	udp_send(port_a, MARK);
	next_mark(all, &g, false, port_a, 2000);
	tap_int("PACKET_IGNORE_OUTGOING: the received copy first", g.from.sll_pkttype,
		PACKET_HOST);
	tap_int("PACKET_IGNORE_OUTGOING: no other",
		next_mark(all, &g, false, port_a, 200), -1);
	close(all);
	close(ip);
	close(v6);
	close(none);
}

static void t_stats(void)
{
	int fd = pk(SOCK_DGRAM, ETH_P_IP);
	struct tpacket_stats st;
	socklen_t len = sizeof(st);

	pk_bind(fd, lo, 0);
	getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &len);	/* reset */
	udp_send(port_a, MARK);
	udp_send(port_a, MARK);
	len = sizeof(st);
	tap_ok("PACKET_STATISTICS", getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &len));
	tap_int("PACKET_STATISTICS: tp_packets", st.tp_packets, 2);
	tap_int("PACKET_STATISTICS: tp_drops", st.tp_drops, 0);
	len = sizeof(st);
	getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &len);
	tap_int("PACKET_STATISTICS: reset by reading", st.tp_packets, 0);
	close(fd);
}

/* ip and udp[2] == port_b, cut to 42 bytes (tcpdump -dd style) */
static void t_filter(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, 0, 5),
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 23),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, 0, 3),
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 36),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),	/* port_b */
		BPF_STMT(BPF_RET | BPF_K, 42),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };
	int fd = pk(SOCK_RAW, ETH_P_ALL), on = 1;
	struct got g;

	f[5].k = port_b;
	pk_bind(fd, lo, 0);
	setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &on, sizeof(on));
	setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &on, sizeof(on));
	tap_ok("SO_ATTACH_FILTER on a packet socket",
	       setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)));
	drain(fd);
	udp_send(port_a, MARK);
	udp_send(port_b, MARK);
	tap_ret("filter: only port B's, cut to 42", next(fd, &g, sizeof(g.data), 2000), 42);
	tap_int("filter: the datagram to port B", ((g.data[36] << 8) | g.data[37]), port_b);
	tap_int("filter: auxdata tp_len, the whole frame", g.a.tp_len,
		ETH_HLEN + 28 + strlen(MARK));
	tap_int("filter: auxdata tp_snaplen", g.a.tp_snaplen, 42);
	tap_int("filter: nothing else", next(fd, &g, sizeof(g.data), 200), -1);
	close(fd);
}

/* ---- sending ------------------------------------------------------------ */

static uint16_t csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* An IPv4 UDP datagram @src -> @dst:@port with @msg (no UDP checksum)
 * at @b.  Return: its length. */
static size_t build_udp(uint8_t *b, const char *src, const char *dst,
			uint16_t port, const char *msg)
{
	size_t n = strlen(msg), len = 28 + n;
	uint16_t c;

	memset(b, 0, 28);
	b[0] = 0x45;
	b[2] = (uint8_t)(len >> 8);
	b[3] = (uint8_t)len;
	b[8] = 64;
	b[9] = IPPROTO_UDP;
	inet_pton(AF_INET, src, b + 12);
	inet_pton(AF_INET, dst, b + 16);
	c = csum(b, 20);
	b[10] = (uint8_t)(c >> 8);
	b[11] = (uint8_t)c;
	b[20] = 0x30; b[21] = 0x39;	/* source port 12345 */
	b[22] = (uint8_t)(port >> 8);
	b[23] = (uint8_t)port;
	b[24] = (uint8_t)((8 + n) >> 8);
	b[25] = (uint8_t)(8 + n);
	memcpy(b + 28, msg, n);
	return len;
}

/*
 * What a packet socket sends on lo comes in as from a wire: Linux takes
 * it from a foreign source to an address of lo's, and drops a martian
 * (127.0.0.0/8) or one from its own address.
 */
#define FOREIGN	"198.51.100.9"
#define OWN	"192.0.2.1"

/* sendmmsg() of two datagrams and a runt: the two go, the count says 2
 * (__sys_sendmmsg() reports no error after the first message), and each
 * msg_len is its length */
static void t_sendmmsg(int dg, const struct sockaddr_ll *to)
{
	uint8_t b1[128], b2[128];
	struct mmsghdr mm[3];
	struct iovec iov[3];
	char got[64];
	size_t n1 = build_udp(b1, FOREIGN, OWN, port_any, "mmsg-1");
	size_t n2 = build_udp(b2, FOREIGN, OWN, port_any, "mmsg-2");
	int i;

	iov[0] = (struct iovec){ b1, n1 };
	iov[1] = (struct iovec){ b2, n2 };
	iov[2] = (struct iovec){ b1, 0 };
	memset(mm, 0, sizeof(mm));
	for (i = 0; i < 3; i++) {
		mm[i].msg_hdr.msg_name = (void *)to;
		mm[i].msg_hdr.msg_namelen = sizeof(*to);
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	mm[2].msg_hdr.msg_namelen = 12;	/* too short: EINVAL */
	tap_ret("SOCK_DGRAM sendmmsg() of two and a bad one", sendmmsg(dg, mm, 3, 0), 2);
	tap_int("...msg_len of each sent", mm[0].msg_len == n1 && mm[1].msg_len == n2, 1);
	memset(got, 0, sizeof(got));
	recv_wait(udp_any, got, sizeof(got));
	tap_int("...the UDP socket reads the first", !strcmp(got, "mmsg-1"), 1);
	memset(got, 0, sizeof(got));
	recv_wait(udp_any, got, sizeof(got));
	tap_int("...then the second", !strcmp(got, "mmsg-2"), 1);
}

static void t_send(void)
{
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_ifindex = lo,
				  .sll_protocol = htons(ETH_P_IP), .sll_halen = 6 };
	int dg = pk(SOCK_DGRAM, ETH_P_IP), raw = pk(SOCK_RAW, ETH_P_ALL);
	int watch = pk(SOCK_RAW, ETH_P_ALL), unb = pk(SOCK_RAW, ETH_P_ALL);
	uint8_t b[256];
	char got[64];
	size_t n;
	struct got g;
	struct msghdr mh;
	struct iovec iov;

	if (system("ip addr add " OWN "/32 dev lo")) {
		printf("Bail out! ip addr add " OWN "/32 dev lo failed\n");
		exit(1);
	}
	pk_bind(raw, lo, 0);
	pk_bind(watch, lo, 0);
	n = build_udp(b, FOREIGN, OWN, port_any, "via-dgram");
	tap_ret("SOCK_DGRAM sendto(lo, ETH_P_IP)",
		sendto(dg, b, n, 0, (struct sockaddr *)&to, sizeof(to)), (long)n);
	tap_ret("...the UDP socket reads it", recv_wait(udp_any, got, sizeof(got)), 9);
	n = build_udp(b, "127.0.0.1", "127.0.0.1", port_any, "martian");
	tap_ret("SOCK_DGRAM sendto(lo) 127.0.0.1 -> 127.0.0.1",
		sendto(dg, b, n, 0, (struct sockaddr *)&to, sizeof(to)), (long)n);
	n = build_udp(b, OWN, OWN, port_any, "own");
	tap_ret("SOCK_DGRAM sendto(lo) from its own address",
		sendto(dg, b, n, 0, (struct sockaddr *)&to, sizeof(to)), (long)n);
	tap_int("...neither is taken", recv_wait(udp_any, got, sizeof(got)), -1);

	drain(raw);
	drain(watch);
	memset(b, 0, ETH_HLEN);
	b[12] = 0x08;
	n = ETH_HLEN + build_udp(b + ETH_HLEN, FOREIGN, OWN, port_any, MARK "-raw");
	tap_ret("SOCK_RAW sendto(lo) a whole frame",
		sendto(raw, b, n, 0, (struct sockaddr *)&to, sizeof(to)), (long)n);
	memset(got, 0, sizeof(got));
	recv_wait(udp_any, got, sizeof(got));
	tap_int("...the UDP socket reads it", !strcmp(got, MARK "-raw"), 1);
	tap_int("the sender: only the looped copy (PACKET_HOST)",
		next_mark(raw, &g, false, port_any, 2000) >= 0 ? g.from.sll_pkttype : -1,
		PACKET_HOST);
	tap_int("the sender: no other", next_mark(raw, &g, false, port_any, 200), -1);
	tap_int("another ETH_P_ALL socket: the outgoing copy",
		next_mark(watch, &g, false, port_any, 2000) >= 0 ? g.from.sll_pkttype : -1,
		PACKET_OUTGOING);
	tap_int("another ETH_P_ALL socket: then the looped one",
		next_mark(watch, &g, false, port_any, 2000) >= 0 ? g.from.sll_pkttype : -1,
		PACKET_HOST);

	tap_errno("SOCK_RAW: 10 bytes, shorter than the header",
		  sendto(raw, b, 10, 0, (struct sockaddr *)&to, sizeof(to)), EINVAL);
	to.sll_ifindex = 9999;
	tap_errno("sendto(ifindex 9999)",
		  sendto(raw, b, n, 0, (struct sockaddr *)&to, sizeof(to)), ENXIO);
	to.sll_ifindex = lo;
	tap_errno("sendto() with a 12-byte address",
		  sendto(raw, b, n, 0, (struct sockaddr *)&to, 12), EINVAL);
	iov.iov_base = b;
	iov.iov_len = n;
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	tap_errno("sendmsg() without an address, unbound", sendmsg(unb, &mh, 0), ENXIO);
	tap_errno("send() on an unbound socket", send(unb, b, n, 0), ENXIO);
	tap_ret("send() on a bound socket", send(raw, b, n, 0), (long)n);
	memset(got, 0, sizeof(got));
	recv_wait(udp_any, got, sizeof(got));
	tap_int("...the UDP socket reads it", !strcmp(got, MARK "-raw"), 1);
	t_sendmmsg(dg, &to);
	close(dg);
	close(raw);
	close(watch);
	close(unb);
}

/* The next outgoing UDP datagram to port 9 of IP version @v on @fd
 * (from its link header), skipping others; its length or -1 */
static ssize_t next_udp9(int fd, struct got *g, int v)
{
	int tries = 32;

	while (tries-- && next(fd, g, sizeof(g->data), 2000) >= 0) {
		const uint8_t *d = g->data + ETH_HLEN;
		size_t l4 = v == 4 ? 20 : 40;

		if (g->n < (ssize_t)(ETH_HLEN + l4 + 8) || d[0] >> 4 != v ||
		    g->data[12] != (v == 4 ? 0x08 : 0x86) ||
		    d[v == 4 ? 9 : 6] != IPPROTO_UDP ||
		    ((d[l4 + 2] << 8) | d[l4 + 3]) != 9)
			continue;
		return g->n;
	}
	return -1;
}

/*
 * A dummy device (`ip link add d0 type dummy`; natively an ifb where the
 * kernel has no dummy module: both are Ethernet with IFF_NOARP, frames
 * going nowhere).  What IP sends through it reaches a packet socket bound
 * to it as Linux's dev_queue_xmit_nit() gives it: outgoing, ARPHRD_ETHER,
 * under an Ethernet header with the device's MAC as source and, as
 * arp_constructor() and ndisc_constructor() give a NOARP device's
 * neighbours, as destination too (unicast and broadcast, IPv4 and IPv6).
 */
static void t_dummy(bool sandbox)
{
	static const char *const dst[] = { "10.9.0.2", "10.9.0.255", "2001:db8:9::2" };
	struct ifreq ifr;
	uint8_t mac[6];
	int fd, u, d0, i, on = 1;
	struct got g;

	if (system(sandbox ? "ip link add d0 type dummy" :
		   "ip link add d0 type dummy 2>/dev/null || ip link add d0 type ifb") ||
	    system("ip addr add 10.9.0.1/24 dev d0 && "
		   "ip -6 addr add 2001:db8:9::1/64 dev d0 nodad && ip link set d0 up")) {
		if (sandbox)
			tap_result(0, "dummy: ip link add d0 type dummy, addresses, up",
				   "ip failed");
		else
			tap_info("skip dummy: this kernel makes neither a dummy nor an ifb device");
		return;
	}
	d0 = (int)if_nametoindex("d0");
	u = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "d0");
	tap_ret("dummy: SIOCGIFHWADDR d0", ioctl(u, SIOCGIFHWADDR, &ifr), 0);
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	setsockopt(u, SOL_SOCKET, SO_BROADCAST, &on, sizeof(on));
	fd = pk(SOCK_RAW, ETH_P_ALL);
	tap_ret("dummy: bind to d0", pk_bind(fd, d0, ETH_P_ALL), 0);
	for (i = 0; i < 3; i++) {
		struct sockaddr_in6 to6 = { .sin6_family = AF_INET6, .sin6_port = htons(9) };
		struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
		int v = i < 2 ? 4 : 6, s = u;
		char d[96];

		if (v == 6)
			s = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (v == 4)
			inet_pton(AF_INET, dst[i], &to.sin_addr);
		else
			inet_pton(AF_INET6, dst[i], &to6.sin6_addr);
		snprintf(d, sizeof(d), "dummy: sendto %s", dst[i]);
		tap_ret(d, v == 4 ? sendto(s, MARK, strlen(MARK), 0, (struct sockaddr *)&to, sizeof(to)) :
				    sendto(s, MARK, strlen(MARK), 0, (struct sockaddr *)&to6, sizeof(to6)),
			(long)strlen(MARK));
		snprintf(d, sizeof(d), "dummy: %s: the packet socket sees it, outgoing", dst[i]);
		if (next_udp9(fd, &g, v) < 0) {
			tap_result(0, d, "nothing within 2 s");
		} else {
			tap_int(d, g.from.sll_pkttype, PACKET_OUTGOING);
			snprintf(d, sizeof(d), "dummy: %s: ARPHRD_ETHER, halen 6", dst[i]);
			tap_int(d, g.from.sll_hatype == ARPHRD_ETHER && g.from.sll_halen == 6, 1);
			snprintf(d, sizeof(d), "dummy: %s: the device's MAC as source and "
				 "destination", dst[i]);
			tap_int(d, !memcmp(g.data, mac, 6) && !memcmp(g.data + 6, mac, 6), 1);
		}
		if (s != u)
			close(s);
	}
	close(u);
	close(fd);
	if (system("ip link del d0"))
		tap_info("ip link del d0 failed");
}

/* ---- options ------------------------------------------------------------ */

static void t_options(void)
{
	struct packet_mreq mr = { .mr_ifindex = lo, .mr_type = PACKET_MR_PROMISC };
	int fd = pk(SOCK_RAW, ETH_P_ALL), v = 1;
	socklen_t len = sizeof(v);

	tap_ok("PACKET_ADD_MEMBERSHIP promiscuous on lo",
	       setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)));
	tap_ok("PACKET_DROP_MEMBERSHIP",
	       setsockopt(fd, SOL_PACKET, PACKET_DROP_MEMBERSHIP, &mr, sizeof(mr)));
	tap_ok("PACKET_DROP_MEMBERSHIP of none: 0",
	       setsockopt(fd, SOL_PACKET, PACKET_DROP_MEMBERSHIP, &mr, sizeof(mr)));
	tap_errno("PACKET_ADD_MEMBERSHIP 4 bytes",
		  setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, 4), EINVAL);
	mr.mr_alen = 7;
	tap_errno("PACKET_ADD_MEMBERSHIP address of 7 bytes",
		  setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)), EINVAL);
	mr.mr_alen = 9;
	tap_errno("PACKET_ADD_MEMBERSHIP address of 9 in 16 bytes",
		  setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)), EINVAL);
	mr.mr_alen = 0;
	mr.mr_type = 7;
	tap_ok("PACKET_ADD_MEMBERSHIP type 7: kept",
	       setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)));
	mr.mr_type = PACKET_MR_ALLMULTI;
	mr.mr_ifindex = 9999;
	tap_errno("PACKET_ADD_MEMBERSHIP ifindex 9999",
		  setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)), ENODEV);
	setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &v, sizeof(v));
	v = 0;
	tap_ok("getsockopt(PACKET_AUXDATA)",
	       getsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &v, &len));
	tap_int("PACKET_AUXDATA reads back", v, 1);
	tap_errno("SOL_PACKET option 99", setsockopt(fd, SOL_PACKET, 99, &v, sizeof(v)),
		  ENOPROTOOPT);
	tap_errno("IPPROTO_IP IP_TTL", setsockopt(fd, IPPROTO_IP, IP_TTL, &v, sizeof(v)),
		  ENOPROTOOPT);
	close(fd);
}

/* ---- a blocked receive -------------------------------------------------- */

struct blocked {
	int fd;
	ssize_t n;
	int err;
};

static void *block_recv(void *arg)
{
	struct blocked *b = arg;
	struct sockaddr_ll from;
	socklen_t len = sizeof(from);
	char buf[2048];

	b->n = recvfrom(b->fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
	b->err = errno;
	return NULL;
}

static void t_blocked(void)
{
	struct blocked b = { .fd = pk(SOCK_DGRAM, ETH_P_IP) };
	pthread_t th;

	pk_bind(b.fd, lo, 0);
	drain(b.fd);
	pthread_create(&th, NULL, block_recv, &b);
	usleep(300 * 1000);
	udp_send(port_a, MARK);
	pthread_join(th, NULL);		/* the watchdog bounds it */
	tap_ret("a blocked recvfrom() woken by a frame", b.n,
		(long)(28 + strlen(MARK)));
	close(b.fd);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--sandbox"))
		tap_todo_use(sandbox_todo, "sandbox");
	tap_watchdog(60);
	lo = (int)if_nametoindex("lo");
	if (!lo) {
		printf("Bail out! no lo: %s\n", strerror(errno));
		return 1;
	}
	udp_a = udp_bound(&port_a, INADDR_LOOPBACK);
	udp_b = udp_bound(&port_b, INADDR_LOOPBACK);
	udp_any = udp_bound(&port_any, INADDR_ANY);
	t_socket();
	t_bind();
	t_receive();
	t_stats();
	t_filter();
	t_send();
	t_dummy(argc > 1 && !strcmp(argv[1], "--sandbox"));
	t_options();
	t_blocked();
	return tap_done();
}
