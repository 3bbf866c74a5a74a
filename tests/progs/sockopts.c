/* SPDX-License-Identifier: MIT */
/*
 * sockopts.c - what setsockopt() and getsockopt() answer, as a table.
 *
 * For each kind of socket (TCP, UDP and ping, IPv4 and IPv6; new, and a
 * TCP listener and a UDP socket connected to itself on loopback; and a
 * NETLINK_ROUTE one, for the options of any socket) and each
 * option in the list below, on a fresh socket each time: setsockopt() with a few
 * values (1, 0, -1, 2, 255, 65536, INT_MAX), with a short and a long
 * length, with a NULL value, then getsockopt() with room for an int, for
 * one byte, for none and for "-1".  One line per call: what was asked, the result
 * (ok or the errno's name) and, for a get, the length and bytes returned.
 * Nothing is judged here: tests/scenario/sockopts.sh runs this natively
 * and in rrsandbox and compares the two tables, so the kernel the test
 * runs on is the reference, and the known differences are listed there.
 *
 * Usage: sockopts [KIND...]   (tcp4 tcp6 udp4 udp6, tcp4-listen
 *                              tcp6-listen udp4-conn udp6-conn, ping4
 *                              ping6, raw4 raw6 icmp4 icmp6, nl; default: all
 *                              but the raw ones, which need CAP_NET_RAW
 *                              natively; ping
 *                              sockets need net.ipv4.ping_group_range to
 *                              hold the gid)
 *
 * A few answers are the machine's, not the socket's (a cookie, a clock,
 * buffers, a port the kernel chose): their bytes print as "*".
 */
#include <errno.h>
#include <linux/netlink.h>
#include <limits.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tap.h"

/* Names glibc 2.36's headers may lack: <linux/...> values. */
#ifndef SO_BUSY_POLL
#define SO_BUSY_POLL		46
#endif
#ifndef SO_INCOMING_NAPI_ID
#define SO_INCOMING_NAPI_ID	56
#endif
#ifndef SO_ZEROCOPY
#define SO_ZEROCOPY		60
#endif
#ifndef SO_TXTIME
#define SO_TXTIME		61
#endif
#ifndef SO_BINDTOIFINDEX
#define SO_BINDTOIFINDEX	62
#endif
#ifndef SO_PREFER_BUSY_POLL
#define SO_PREFER_BUSY_POLL	69
#endif
#ifndef SO_BUSY_POLL_BUDGET
#define SO_BUSY_POLL_BUDGET	70
#endif
#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE		71
#endif
#ifndef SO_BUF_LOCK
#define SO_BUF_LOCK		72
#endif
#ifndef SO_RESERVE_MEM
#define SO_RESERVE_MEM		73
#endif
#ifndef SO_TXREHASH
#define SO_TXREHASH		74
#endif
#ifndef SO_RCVMARK
#define SO_RCVMARK		75
#endif
#ifndef SO_PASSPIDFD
#define SO_PASSPIDFD		76
#endif
#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD		77
#endif
#ifndef SO_RCVPRIORITY
#define SO_RCVPRIORITY		82
#endif
#ifndef TCP_IS_MPTCP
#define TCP_IS_MPTCP		43
#endif
#ifndef TCP_TX_DELAY
#define TCP_TX_DELAY		37
#endif
#ifndef TCP_INQ
#define TCP_INQ			36
#endif
#ifndef TCP_FASTOPEN_NO_COOKIE
#define TCP_FASTOPEN_NO_COOKIE	34
#endif
#ifndef IP_RECVFRAGSIZE
#define IP_RECVFRAGSIZE		25
#endif
#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT	24
#endif
#ifndef IP_RECVERR_RFC4884
#define IP_RECVERR_RFC4884	26
#endif
#ifndef IP_LOCAL_PORT_RANGE
#define IP_LOCAL_PORT_RANGE	51
#endif
#ifndef IP_PROTOCOL
#define IP_PROTOCOL		52
#endif
#ifndef IPV6_FLOWINFO
#define IPV6_FLOWINFO		11
#endif
#ifndef IPV6_AUTOFLOWLABEL
#define IPV6_AUTOFLOWLABEL	70
#endif
#ifndef IPV6_ADDR_PREFERENCES
#define IPV6_ADDR_PREFERENCES	72
#endif
#ifndef IPV6_MINHOPCOUNT
#define IPV6_MINHOPCOUNT	73
#endif
#ifndef IPV6_ORIGDSTADDR
#define IPV6_ORIGDSTADDR	74
#endif
#ifndef IPV6_RECVORIGDSTADDR
#define IPV6_RECVORIGDSTADDR	IPV6_ORIGDSTADDR
#endif
#ifndef IPV6_TRANSPARENT
#define IPV6_TRANSPARENT	75
#endif
#ifndef IPV6_UNICAST_IF
#define IPV6_UNICAST_IF		76
#endif
#ifndef IPV6_RECVFRAGSIZE
#define IPV6_RECVFRAGSIZE	77
#endif
#ifndef IPV6_FREEBIND
#define IPV6_FREEBIND		78
#endif
#ifndef IPV6_RECVERR_RFC4884
#define IPV6_RECVERR_RFC4884	31
#endif
#ifndef UDP_NO_CHECK6_TX
#define UDP_NO_CHECK6_TX	101
#endif
#ifndef SOL_RAW
#define SOL_RAW			255
#endif
#ifndef ICMP_FILTER
#define ICMP_FILTER		1	/* <linux/icmp.h> */
#endif
#ifndef UDP_NO_CHECK6_RX
#define UDP_NO_CHECK6_RX	102
#endif
#ifndef UDP_SEGMENT
#define UDP_SEGMENT		103
#endif
#ifndef UDP_GRO
#define UDP_GRO			104
#endif

/* The kinds of socket each option is asked of. */
enum { ALL, TCP, UDP, V6 };

struct opt {
	int level, name;
	const char *str;
	int on;
	int machine;	/* its value is the machine's: bytes not printed
			 * (2: once the socket has a port) */
};

#define O(l, n, on) { l, n, #n, on, 0 }
#define M(l, n, on) { l, n, #n, on, 1 }
#define P(l, n, on) { l, n, #n, on, 2 }
/* at SOL_RAW, whose names others share (IPV6_CHECKSUM, IPV6_HDRINCL) */
#define R(n, on) { SOL_RAW, n, "SOL_RAW/" #n, on, 0 }

static const struct opt opts[] = {
	O(SOL_SOCKET, SO_DEBUG, ALL), O(SOL_SOCKET, SO_REUSEADDR, ALL),
	O(SOL_SOCKET, SO_TYPE, ALL), O(SOL_SOCKET, SO_ERROR, ALL),
	O(SOL_SOCKET, SO_DONTROUTE, ALL), O(SOL_SOCKET, SO_BROADCAST, ALL),
	M(SOL_SOCKET, SO_SNDBUF, ALL), M(SOL_SOCKET, SO_RCVBUF, ALL),
	O(SOL_SOCKET, SO_KEEPALIVE, ALL), O(SOL_SOCKET, SO_OOBINLINE, ALL),
	O(SOL_SOCKET, SO_NO_CHECK, ALL), O(SOL_SOCKET, SO_PRIORITY, ALL),
	O(SOL_SOCKET, SO_REUSEPORT, ALL), O(SOL_SOCKET, SO_PASSCRED, ALL),
	O(SOL_SOCKET, SO_RCVLOWAT, ALL), O(SOL_SOCKET, SO_SNDLOWAT, ALL),
	O(SOL_SOCKET, SO_PASSSEC, ALL), O(SOL_SOCKET, SO_TIMESTAMP, ALL),
	O(SOL_SOCKET, SO_ACCEPTCONN, ALL), O(SOL_SOCKET, SO_TIMESTAMPNS, ALL),
	O(SOL_SOCKET, SO_MARK, ALL), O(SOL_SOCKET, SO_TIMESTAMPING, ALL),
	O(SOL_SOCKET, SO_PROTOCOL, ALL), O(SOL_SOCKET, SO_DOMAIN, ALL),
	O(SOL_SOCKET, SO_RXQ_OVFL, ALL), O(SOL_SOCKET, SO_WIFI_STATUS, ALL),
	O(SOL_SOCKET, SO_PEEK_OFF, ALL), O(SOL_SOCKET, SO_NOFCS, ALL),
	O(SOL_SOCKET, SO_LOCK_FILTER, ALL), O(SOL_SOCKET, SO_SELECT_ERR_QUEUE, ALL),
	O(SOL_SOCKET, SO_BUSY_POLL, ALL), O(SOL_SOCKET, SO_INCOMING_CPU, ALL),
	O(SOL_SOCKET, SO_DETACH_FILTER, ALL), O(SOL_SOCKET, SO_INCOMING_NAPI_ID, ALL),
	O(SOL_SOCKET, SO_ZEROCOPY, ALL), O(SOL_SOCKET, SO_TXTIME, ALL),
	O(SOL_SOCKET, SO_BINDTOIFINDEX, ALL), O(SOL_SOCKET, SO_PREFER_BUSY_POLL, ALL),
	O(SOL_SOCKET, SO_BUSY_POLL_BUDGET, ALL), M(SOL_SOCKET, SO_NETNS_COOKIE, ALL),
	O(SOL_SOCKET, SO_BUF_LOCK, ALL), O(SOL_SOCKET, SO_RESERVE_MEM, ALL),
	O(SOL_SOCKET, SO_TXREHASH, ALL), O(SOL_SOCKET, SO_RCVMARK, ALL),
	O(SOL_SOCKET, SO_PASSPIDFD, ALL), O(SOL_SOCKET, SO_RCVPRIORITY, ALL),
	O(SOL_SOCKET, SO_MAX_PACING_RATE, ALL),
	/* read only: an inet socket's peer has no credentials */
	O(SOL_SOCKET, SO_PEERCRED, ALL), O(SOL_SOCKET, SO_PEERGROUPS, ALL),
	O(SOL_SOCKET, SO_PEERPIDFD, ALL), O(SOL_SOCKET, SO_PEERSEC, ALL),
	O(SOL_SOCKET, SO_MEMINFO, ALL), O(IPPROTO_TCP, TCP_IS_MPTCP, TCP),
	O(IPPROTO_TCP, TCP_NODELAY, TCP), O(IPPROTO_TCP, TCP_MAXSEG, TCP),
	O(IPPROTO_TCP, TCP_CORK, TCP), O(IPPROTO_TCP, TCP_KEEPIDLE, TCP),
	O(IPPROTO_TCP, TCP_KEEPINTVL, TCP), O(IPPROTO_TCP, TCP_KEEPCNT, TCP),
	O(IPPROTO_TCP, TCP_SYNCNT, TCP), O(IPPROTO_TCP, TCP_LINGER2, TCP),
	O(IPPROTO_TCP, TCP_DEFER_ACCEPT, TCP), O(IPPROTO_TCP, TCP_WINDOW_CLAMP, TCP),
	O(IPPROTO_TCP, TCP_QUICKACK, TCP), O(IPPROTO_TCP, TCP_USER_TIMEOUT, TCP),
	O(IPPROTO_TCP, TCP_FASTOPEN, TCP), O(IPPROTO_TCP, TCP_FASTOPEN_CONNECT, TCP),
	O(IPPROTO_TCP, TCP_FASTOPEN_NO_COOKIE, TCP), O(IPPROTO_TCP, TCP_NOTSENT_LOWAT, TCP),
	O(IPPROTO_TCP, TCP_THIN_LINEAR_TIMEOUTS, TCP), O(IPPROTO_TCP, TCP_THIN_DUPACK, TCP),
	O(IPPROTO_TCP, TCP_SAVE_SYN, TCP), O(IPPROTO_TCP, TCP_SAVED_SYN, TCP),
	O(IPPROTO_TCP, TCP_TX_DELAY, TCP), O(IPPROTO_TCP, TCP_INQ, TCP),
	O(IPPROTO_TCP, TCP_REPAIR, TCP), O(IPPROTO_TCP, TCP_REPAIR_QUEUE, TCP),
	O(IPPROTO_TCP, TCP_QUEUE_SEQ, TCP), O(IPPROTO_TCP, TCP_REPAIR_OPTIONS, TCP),
	M(IPPROTO_TCP, TCP_TIMESTAMP, TCP), O(IPPROTO_TCP, TCP_CC_INFO, TCP),
	O(IPPROTO_IP, IP_TOS, ALL), O(IPPROTO_IP, IP_TTL, ALL),
	O(IPPROTO_IP, IP_HDRINCL, ALL), O(IPPROTO_IP, IP_OPTIONS, ALL),
	O(IPPROTO_IP, IP_RECVOPTS, ALL), O(IPPROTO_IP, IP_RETOPTS, ALL),
	O(IPPROTO_IP, IP_PKTINFO, ALL), O(IPPROTO_IP, IP_MTU_DISCOVER, ALL),
	O(IPPROTO_IP, IP_RECVERR, ALL), O(IPPROTO_IP, IP_RECVTTL, ALL),
	O(IPPROTO_IP, IP_RECVTOS, ALL), O(IPPROTO_IP, IP_MTU, ALL),
	O(IPPROTO_IP, IP_FREEBIND, ALL), O(IPPROTO_IP, IP_PASSSEC, ALL),
	O(IPPROTO_IP, IP_TRANSPARENT, ALL), O(IPPROTO_IP, IP_MINTTL, ALL),
	O(IPPROTO_IP, IP_NODEFRAG, ALL), O(IPPROTO_IP, IP_CHECKSUM, ALL),
	O(IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, ALL), O(IPPROTO_IP, IP_RECVFRAGSIZE, ALL),
	O(IPPROTO_IP, IP_RECVERR_RFC4884, ALL), O(IPPROTO_IP, IP_ROUTER_ALERT, ALL),
	O(IPPROTO_IP, IP_RECVORIGDSTADDR, ALL), O(IPPROTO_IP, IP_MULTICAST_TTL, ALL),
	O(IPPROTO_IP, IP_MULTICAST_LOOP, ALL), O(IPPROTO_IP, IP_MULTICAST_ALL, ALL),
	O(IPPROTO_IP, IP_UNICAST_IF, ALL), O(IPPROTO_IP, IP_LOCAL_PORT_RANGE, ALL),
	P(IPPROTO_IP, IP_PROTOCOL, ALL),
	O(IPPROTO_IPV6, IPV6_ADDRFORM, V6), O(IPPROTO_IPV6, IPV6_FLOWINFO, V6),
	O(IPPROTO_IPV6, IPV6_UNICAST_HOPS, V6), O(IPPROTO_IPV6, IPV6_MULTICAST_IF, V6),
	O(IPPROTO_IPV6, IPV6_MULTICAST_HOPS, V6), O(IPPROTO_IPV6, IPV6_MULTICAST_LOOP, V6),
	O(IPPROTO_IPV6, IPV6_ROUTER_ALERT, V6), O(IPPROTO_IPV6, IPV6_MTU_DISCOVER, V6),
	O(IPPROTO_IPV6, IPV6_MTU, V6), O(IPPROTO_IPV6, IPV6_RECVERR, V6),
	O(IPPROTO_IPV6, IPV6_PATHMTU, V6),
	O(IPPROTO_IPV6, IPV6_V6ONLY, V6), O(IPPROTO_IPV6, IPV6_RECVPKTINFO, V6),
	O(IPPROTO_IPV6, IPV6_RECVHOPLIMIT, V6), O(IPPROTO_IPV6, IPV6_RECVRTHDR, V6),
	O(IPPROTO_IPV6, IPV6_RECVHOPOPTS, V6), O(IPPROTO_IPV6, IPV6_RECVDSTOPTS, V6),
	O(IPPROTO_IPV6, IPV6_RECVPATHMTU, V6), O(IPPROTO_IPV6, IPV6_RECVTCLASS, V6),
	O(IPPROTO_IPV6, IPV6_TCLASS, V6), O(IPPROTO_IPV6, IPV6_AUTOFLOWLABEL, V6),
	O(IPPROTO_IPV6, IPV6_ADDR_PREFERENCES, V6), O(IPPROTO_IPV6, IPV6_MINHOPCOUNT, V6),
	O(IPPROTO_IPV6, IPV6_RECVORIGDSTADDR, V6), O(IPPROTO_IPV6, IPV6_TRANSPARENT, V6),
	O(IPPROTO_IPV6, IPV6_UNICAST_IF, V6), O(IPPROTO_IPV6, IPV6_RECVFRAGSIZE, V6),
	O(IPPROTO_IPV6, IPV6_FREEBIND, V6), O(IPPROTO_IPV6, IPV6_DONTFRAG, V6),
	O(IPPROTO_IPV6, IPV6_RECVERR_RFC4884, V6), O(IPPROTO_IPV6, IPV6_MULTICAST_ALL, V6),
	O(IPPROTO_IPV6, IPV6_CHECKSUM, V6), R(IPV6_CHECKSUM, ALL),
	R(IPV6_HDRINCL, ALL), R(ICMP_FILTER, ALL),
	O(IPPROTO_ICMPV6, ICMP6_FILTER, V6),
	O(IPPROTO_UDP, UDP_CORK, UDP), O(IPPROTO_UDP, UDP_ENCAP, UDP),
	O(IPPROTO_UDP, UDP_NO_CHECK6_TX, UDP), O(IPPROTO_UDP, UDP_NO_CHECK6_RX, UDP),
	O(IPPROTO_UDP, UDP_SEGMENT, UDP), O(IPPROTO_UDP, UDP_GRO, UDP),
};

static const char *const kinds[] = {
	"tcp4", "tcp6", "udp4", "udp6",
	"tcp4-listen", "tcp6-listen", "udp4-conn", "udp6-conn",
	"ping4", "ping6", "raw4", "raw6", "icmp4", "icmp6", "nl",
};

static void die(const char *kind, const char *what)
{
	fprintf(stderr, "sockopts: %s(%s): %s\n", what, kind, strerror(errno));
	exit(1);
}

/* A socket of @kind: new, or listening on loopback, or bound there and
 * connected to itself; no packet is ever sent. */
static int open_kind(const char *kind)
{
	int fam = strchr(kind, '6') ? AF_INET6 : AF_INET;
	int type = kind[0] == 't' ? SOCK_STREAM : SOCK_DGRAM;
	int proto = kind[0] != 'p' ? 0 : fam == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	int s;

	/* nl: NETLINK_ROUTE, whose SOL_SOCKET options are any socket's */
	if (kind[0] == 'n') {
		s = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
		if (s < 0)
			die(kind, "socket");
		return s;
	}
	/* raw4, raw6: OSPF's protocol, as BIRD opens them; icmp4, icmp6:
	 * raw ICMP, as traceroute -I and radvd open them */
	if (kind[0] == 'r' || kind[0] == 'i') {
		type = SOCK_RAW;
		proto = kind[0] == 'r' ? 89 : fam == AF_INET ? IPPROTO_ICMP :
		       IPPROTO_ICMPV6;
	}
	s = socket(fam, type, proto);
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	if (s < 0)
		die(kind, "socket");
	if (!strchr(kind, '-'))
		return s;
	sl = tap_loopback(fam, 0, 0, &ss);
	if (bind(s, (struct sockaddr *)&ss, sl))
		die(kind, "bind");
	if (type == SOCK_STREAM) {
		if (listen(s, 1))
			die(kind, "listen");
		return s;
	}
	if (getsockname(s, (struct sockaddr *)&ss, &sl))
		die(kind, "getsockname");
	if (connect(s, (struct sockaddr *)&ss, sl))
		die(kind, "connect");
	return s;
}

/* One getsockopt() with room for @room bytes, printed after @head;
 * @kind: the socket's (one with a port has a machine's IP_PROTOCOL). */
static void get(int s, const struct opt *o, const char *kind, const char *head,
		socklen_t room)
{
	unsigned char buf[256];
	socklen_t len = room, i;

	memset(buf, 0xa5, sizeof(buf));
	printf("%s get(room=%d)=", head, (int)room);
	if (getsockopt(s, o->level, o->name, buf, &len)) {
		printf("%s\n", tap_errname(errno));
		return;
	}
	printf("ok len=%u", (unsigned)len);
	if (o->machine == 1 || (o->machine == 2 && strchr(kind, '-'))) {
		printf(" *\n");
		return;
	}
	if (len > 16) {
		printf(" ...\n");
		return;
	}
	printf(" ");
	for (i = 0; i < len; i++)
		printf("%02x", buf[i]);
	printf("\n");
}

/* A fresh socket, one setsockopt(), then what getsockopt() says. */
static void set(const char *kind, const struct opt *o, const char *what,
		const void *val, socklen_t len)
{
	char head[160];
	int s = open_kind(kind);
	int r = setsockopt(s, o->level, o->name, val, len);

	snprintf(head, sizeof(head), "%s %s set(%s)=%s", kind, o->str, what,
		 r ? tap_errname(errno) : "ok");
	get(s, o, kind, head, sizeof(int));
	close(s);
}

static void table(const char *kind)
{
	static const int vals[] = { 1, 0, -1, 2, 255, 65536, INT_MAX };
	const int tcp = kind[0] == 't', v6 = strchr(kind, '6') != NULL;
	size_t i, j;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		const struct opt *o = &opts[i];
		char what[32], head[160];
		long long wide = 1;
		unsigned char one = 1;
		int s;

		if ((o->on == TCP && !tcp) || (o->on == UDP && tcp) ||
		    (o->on == V6 && !v6))
			continue;
		for (j = 0; j < sizeof(vals) / sizeof(vals[0]); j++) {
			snprintf(what, sizeof(what), "%d", vals[j]);
			set(kind, o, what, &vals[j], sizeof(int));
		}
		set(kind, o, "byte 1", &one, 1);
		set(kind, o, "len 0", &one, 0);
		set(kind, o, "len 8", &wide, sizeof(wide));
		set(kind, o, "NULL", NULL, sizeof(int));
		s = open_kind(kind);
		snprintf(head, sizeof(head), "%s %s fresh", kind, o->str);
		get(s, o, kind, head, sizeof(int));
		get(s, o, kind, head, 1);
		get(s, o, kind, head, 0);
		get(s, o, kind, head, 64);
		get(s, o, kind, head, (socklen_t)-1);
		close(s);
	}
}

int main(int argc, char **argv)
{
	const size_t n = sizeof(kinds) / sizeof(kinds[0]);
	size_t i, j;

	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	for (i = 0; argc == 1 && i < n; i++)
		if (kinds[i][0] != 'r' && kinds[i][0] != 'i')
			table(kinds[i]);
	for (j = 1; j < (size_t)argc; j++) {
		for (i = 0; i < n && strcmp(argv[j], kinds[i]); i++)
			;
		if (i == n) {
			fprintf(stderr, "usage: sockopts [KIND...], KIND one of tcp4 tcp6 "
				"udp4 udp6 tcp4-listen tcp6-listen udp4-conn udp6-conn "
				"ping4 ping6 raw4 raw6 nl\n");
			return 2;
		}
		table(kinds[i]);
	}
	return 0;
}
