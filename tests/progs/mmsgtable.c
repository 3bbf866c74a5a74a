/* SPDX-License-Identifier: MIT */
/*
 * mmsgtable.c - what sendmmsg() and recvmmsg() answer, as a table.
 *
 * On a UDP socket sending to itself on loopback (IPv4, IPv6, and an IPv6
 * one to ::ffff:127.0.0.1) and on a connected loopback TCP pair: vectors
 * of 0, 1, 3 and 1025 entries (past UIO_MAXIOV), an entry with a bad
 * name, iovec or length first or later, a NULL vector, MSG_DONTWAIT,
 * MSG_WAITFORONE, MSG_PEEK, MSG_TRUNC, short buffers and names, and
 * recvmmsg()'s timeout (zero, bad, unreadable).  Each line: what the call
 * returned, and for each entry it filled msg_len, msg_flags and
 * msg_namelen; after a call that returned fewer than asked, SO_ERROR
 * (where Linux leaves a later entry's error) and what is left queued.
 *
 * Nothing is judged here: tests/scenario/addrmatrix.sh runs this natively
 * in a network namespace holding lo only and in rrsandbox, and compares
 * the tables.  Only loopback is used.
 *
 * Usage: mmsgtable
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

#define BAD_PTR	((void *)16)	/* never mapped */
#define VMAX	1100

static int s = -1, peer = -1;	/* peer: the TCP pair's other end */
static const char *kind;
static struct sockaddr_storage self;
static socklen_t self_len;
static struct mmsghdr mv[VMAX];
static struct iovec iov[VMAX];
static struct sockaddr_storage names[VMAX];
static char bufs[8][64];

static void die(const char *what)
{
	fprintf(stderr, "mmsgtable: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* loopback at @port; @mapped: IPv6's ::ffff:127.0.0.1 */
static socklen_t loopback(int v6, int mapped, uint16_t port, struct sockaddr_storage *ss)
{
	socklen_t len = tap_loopback(v6 ? AF_INET6 : AF_INET, 0, port, ss);

	if (mapped)
		inet_pton(AF_INET6, "::ffff:127.0.0.1", &((struct sockaddr_in6 *)ss)->sin6_addr);
	return len;
}

static uint16_t port_of(const struct sockaddr_storage *ss)
{
	return ntohs(ss->ss_family == AF_INET ? ((const struct sockaddr_in *)ss)->sin_port
					      : ((const struct sockaddr_in6 *)ss)->sin6_port);
}

/* kinds: udp4, udp6, udp6m (a UDP socket bound to itself) and tcp4, tcp6
 * (s the client of a loopback connection, peer the accepted end) */
static void open_kind(void)
{
	int v6 = strchr(kind, '6') != NULL, mapped = !strcmp(kind, "udp6m");
	int fam = v6 ? AF_INET6 : AF_INET, one = 1;

	if (!strncmp(kind, "udp", 3)) {
		s = socket(fam, SOCK_DGRAM, 0);
		if (s < 0)
			die("socket");
		/* mapped: bound to the wildcard, to take IPv4 */
		self_len = tap_loopback(fam, mapped, 0, &self);
		if (bind(s, (struct sockaddr *)&self, self_len) ||
		    getsockname(s, (struct sockaddr *)&self, &self_len))
			die("bind");
		self_len = loopback(v6, mapped, port_of(&self), &self);
		return;
	}
	int l = socket(fam, SOCK_STREAM, 0);

	s = socket(fam, SOCK_STREAM, 0);
	if (l < 0 || s < 0)
		die("socket");
	self_len = loopback(v6, 0, 0, &self);
	if (bind(l, (struct sockaddr *)&self, self_len) || listen(l, 1) ||
	    getsockname(l, (struct sockaddr *)&self, &self_len) ||
	    connect(s, (struct sockaddr *)&self, self_len))
		die("tcp connect");
	peer = accept(l, NULL, NULL);
	if (peer < 0)
		die("accept");
	close(l);
	/* each send its own segment at once: no Nagle wait for the ACK */
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(peer, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/* @n entries of @len bytes each (TCP: 'a', 'b', ... so the order shows),
 * with our own address as the name (UDP) */
static void fill(unsigned n, size_t len, socklen_t room)
{
	unsigned i;

	memset(mv, 0, sizeof(mv[0]) * n);
	for (i = 0; i < n; i++) {
		iov[i].iov_base = bufs[i % 8];
		iov[i].iov_len = len;
		memset(bufs[i % 8], 'a' + (int)(i % 8), sizeof(bufs[0]));
		memset(&names[i], 0xa5, sizeof(names[i]));
		mv[i].msg_hdr.msg_iov = &iov[i];
		mv[i].msg_hdr.msg_iovlen = 1;
		if (room) {
			mv[i].msg_hdr.msg_name = &names[i];
			mv[i].msg_hdr.msg_namelen = room;
		}
		mv[i].msg_len = 0xdead;
	}
}

/* sendmmsg() entries get our own name (UDP) */
static void named(unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		memcpy(&names[i], &self, self_len);
		mv[i].msg_hdr.msg_name = &names[i];
		mv[i].msg_hdr.msg_namelen = self_len;
	}
}

/* what is queued on @fd now: the reads it takes and their bytes */
static void print_left(int fd)
{
	char b[4096];
	long n = 0, bytes = 0;
	ssize_t r;

	while ((r = recv(fd, b, sizeof(b), MSG_DONTWAIT)) > 0 ||
	       (r == 0 && kind[0] == 'u')) {
		n++;
		bytes += r;
	}
	printf(" left=%ld/%ld", n, bytes);
}

/* the entries a call filled (the first 8), and SO_ERROR when it did
 * fewer than asked */
static void print_entries(int ret, unsigned upto, int sending)
{
	int i, n = ret < 0 ? 0 : ret, e;
	socklen_t len = sizeof(e);

	for (i = 0; i < n && (unsigned)i < upto && i < 8; i++) {
		printf(" [%d] len=%u flags=%#x", i, mv[i].msg_len, (unsigned)mv[i].msg_hdr.msg_flags);
		if (!sending && mv[i].msg_hdr.msg_name)
			printf(" namelen=%u", (unsigned)mv[i].msg_hdr.msg_namelen);
		if (!sending)
			printf(" data=%.*s", (int)(mv[i].msg_len < 8 ? mv[i].msg_len : 8),
			       (char *)mv[i].msg_hdr.msg_iov->iov_base);
	}
	if (ret >= 0 && (unsigned)ret < upto) {
		e = 0;
		if (getsockopt(s, SOL_SOCKET, SO_ERROR, &e, &len))
			e = -1;
		printf(" so_error=%s", e ? tap_errname(e) : "0");
	}
}

/* one sendmmsg(): the line, then what came (on s, or the TCP peer) */
static void send_case(const char *name, unsigned vlen, int flags, int named_n,
		      void (*spoil)(void))
{
	int r, e;

	fill(vlen, 3, 0);
	if (named_n)
		named(vlen);
	if (spoil)
		spoil();
	errno = 0;
	r = sendmmsg(s, mv, vlen, flags);
	e = errno;
	printf("%s sendmmsg %s = %s", kind, name, tap_outcome(r, e));
	print_entries(r, vlen, 1);
	usleep(20000);	/* let the stack deliver */
	print_left(peer >= 0 ? peer : s);
	printf("\n");
}

static void recv_case(const char *name, unsigned queued, size_t dlen, unsigned vlen,
		      size_t buflen, socklen_t room, int flags,
		      const struct timespec *to, void (*spoil)(void))
{
	static char data[64];
	struct pollfd p = { .fd = s, .events = POLLIN };
	unsigned i;
	int r, e;

	memset(data, 'q', sizeof(data));
	for (i = 0; i < queued; i++) {
		data[0] = (char)('0' + i);
		if (peer >= 0 ? send(peer, data, dlen, 0) != (ssize_t)dlen :
		    sendto(s, data, dlen, 0, (struct sockaddr *)&self, self_len) != (ssize_t)dlen)
			die("send");
	}
	if (queued && poll(&p, 1, 2000) != 1)
		die("poll: nothing came");
	usleep(20000);
	fill(vlen, buflen, room);
	if (spoil)
		spoil();
	errno = 0;
	r = recvmmsg(s, mv, vlen, flags, (struct timespec *)to);
	e = errno;
	printf("%s recvmmsg %s = %s", kind, name, tap_outcome(r, e));
	print_entries(r, vlen, 0);
	print_left(s);
	printf("\n");
}

static void bad_name2(void) { mv[1].msg_hdr.msg_name = BAD_PTR; }
static void bad_name1(void) { mv[0].msg_hdr.msg_name = BAD_PTR; }
static void short_name2(void) { mv[1].msg_hdr.msg_namelen = 3; }
static void bad_iov2(void) { mv[1].msg_hdr.msg_iov = BAD_PTR; }
static void bad_base2(void) { iov[1].iov_base = BAD_PTR; }
static void bad_base1(void) { iov[0].iov_base = BAD_PTR; }
static void big_iovlen2(void) { mv[1].msg_hdr.msg_iovlen = 2000; }
static void bad_cmsg2(void)
{
	mv[1].msg_hdr.msg_control = BAD_PTR;
	mv[1].msg_hdr.msg_controllen = 32;
}

static void send_cases(int udp)
{
	int r;

	send_case("vlen=0", 0, 0, udp, NULL);
	send_case("vlen=1", 1, 0, udp, NULL);
	send_case("vlen=3", 3, 0, udp, NULL);
	send_case("vlen=3 DONTWAIT", 3, MSG_DONTWAIT, udp, NULL);
	send_case("vlen=3 bad name [1]", 3, 0, udp, bad_name2);
	send_case("vlen=3 bad name [0]", 3, 0, udp, bad_name1);
	send_case("vlen=3 short name [1]", 3, 0, udp, short_name2);
	send_case("vlen=3 bad iov [1]", 3, 0, udp, bad_iov2);
	send_case("vlen=3 bad base [1]", 3, 0, udp, bad_base2);
	send_case("vlen=3 bad base [0]", 3, 0, udp, bad_base1);
	send_case("vlen=3 iovlen 2000 [1]", 3, 0, udp, big_iovlen2);
	send_case("vlen=3 bad control [1]", 3, 0, udp, bad_cmsg2);
	if (udp)
		send_case("vlen=2 no name", 2, 0, 0, NULL);
	send_case("vlen=1025", 1025, MSG_DONTWAIT, udp, NULL);
	r = sendmmsg(s, NULL, 1, 0);
	printf("%s sendmmsg NULL vlen=1 = %s\n", kind, tap_outcome(r, errno));
	r = sendmmsg(s, NULL, 0, 0);
	printf("%s sendmmsg NULL vlen=0 = %s\n", kind, tap_outcome(r, errno));
	r = sendmmsg(s, BAD_PTR, 2, 0);
	printf("%s sendmmsg bad vector = %s\n", kind, tap_outcome(r, errno));
	usleep(20000);
	printf("%s after the bad ones:", kind);
	print_left(peer >= 0 ? peer : s);
	printf("\n");
}

static void recv_cases(int udp)
{
	/* recvmmsg() writes the time left back: a read-only one fails with
	 * EFAULT after the call took the datagrams */
	static const struct timespec ro_zero = { 0, 0 };
	struct timespec zero = { 0, 0 }, bad = { 0, 2000000000 }, neg = { -1, 0 },
			short_to = { 0, 50000000 };
	socklen_t room = udp ? sizeof(struct sockaddr_storage) : 0;
	int r;

	recv_case("empty DONTWAIT", 0, 5, 4, 64, room, MSG_DONTWAIT, NULL, NULL);
	recv_case("2 queued vlen=4 DONTWAIT", 2, 5, 4, 64, room, MSG_DONTWAIT, NULL, NULL);
	recv_case("2 queued vlen=1", 2, 5, 1, 64, room, 0, NULL, NULL);
	recv_case("2 queued vlen=4 WAITFORONE", 2, 5, 4, 64, room, MSG_WAITFORONE, NULL, NULL);
	recv_case("1 queued vlen=4 timeout 0", 1, 5, 4, 64, room, 0, &zero, NULL);
	recv_case("2 queued vlen=4 timeout 0 DONTWAIT", 2, 5, 4, 64, room, MSG_DONTWAIT, &zero,
		  NULL);
	recv_case("1 queued vlen=4 timeout 0 read-only", 1, 5, 4, 64, room, 0, &ro_zero, NULL);
	recv_case("empty vlen=2 timeout 50ms DONTWAIT", 0, 5, 2, 64, room, MSG_DONTWAIT,
		  &short_to, NULL);
	recv_case("1 queued timeout nsec 2e9", 1, 5, 4, 64, room, MSG_DONTWAIT, &bad, NULL);
	recv_case("1 queued timeout sec -1", 1, 5, 4, 64, room, MSG_DONTWAIT, &neg, NULL);
	recv_case("1 queued timeout unreadable", 1, 5, 4, 64, room, MSG_DONTWAIT,
		  (const struct timespec *)BAD_PTR, NULL);
	recv_case("2 queued vlen=2 buf=2", 2, 5, 2, 2, room, MSG_DONTWAIT, NULL, NULL);
	recv_case("2 queued vlen=2 buf=2 TRUNC", 2, 5, 2, 2, room, MSG_DONTWAIT | MSG_TRUNC,
		  NULL, NULL);
	recv_case("2 queued vlen=3 PEEK", 2, 5, 3, 64, room, MSG_DONTWAIT | MSG_PEEK, NULL, NULL);
	if (udp) {
		recv_case("1 queued room=2", 1, 5, 1, 64, 2, MSG_DONTWAIT, NULL, NULL);
		recv_case("1 queued room=0 name", 1, 5, 1, 64, 0, MSG_DONTWAIT, NULL, NULL);
	}
	recv_case("2 queued vlen=2 bad iov [1]", 2, 5, 2, 64, room, MSG_DONTWAIT, NULL, bad_iov2);
	recv_case("2 queued vlen=2 bad base [1]", 2, 5, 2, 64, room, MSG_DONTWAIT, NULL, bad_base2);
	recv_case("2 queued vlen=2 bad base [0]", 2, 5, 2, 64, room, MSG_DONTWAIT, NULL, bad_base1);
	if (udp)
		recv_case("2 queued vlen=2 bad name [1]", 2, 5, 2, 64, room, MSG_DONTWAIT, NULL,
			  bad_name2);
	recv_case("0 queued vlen=0", 0, 5, 0, 64, room, MSG_DONTWAIT, NULL, NULL);
	r = recvmmsg(s, NULL, 1, MSG_DONTWAIT, NULL);
	printf("%s recvmmsg NULL vlen=1 = %s\n", kind, tap_outcome(r, errno));
	r = recvmmsg(s, BAD_PTR, 2, MSG_DONTWAIT, NULL);
	printf("%s recvmmsg bad vector = %s\n", kind, tap_outcome(r, errno));
	printf("%s after the bad ones:", kind);
	print_left(s);
	printf("\n");
}

int main(int argc, char **argv)
{
	static const char *kinds[] = { "udp4", "udp6", "udp6m", "tcp4", "tcp6" };
	size_t i;

	(void)argc;
	(void)argv;
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		kind = kinds[i];
		open_kind();
		send_cases(kind[0] == 'u');
		recv_cases(kind[0] == 'u');
		close(s);
		if (peer >= 0)
			close(peer);
		s = peer = -1;
	}
	return 0;
}
