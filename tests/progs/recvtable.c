/* SPDX-License-Identifier: MIT */
/*
 * recvtable.c - what a UDP socket's receive calls answer, as a table.
 *
 * One UDP socket on loopback (IPv4, IPv6, and an IPv6 one receiving from
 * IPv4) sends itself a datagram of 0, 5 or 3000 bytes per case and takes
 * it back with recv(), recvfrom() (name room 0, 2, 8, 16, 28, 128) or
 * recvmsg() (the same rooms, control room for IP(V6)_PKTINFO none, short
 * or enough), with a buffer of 0, 3 or 4096 bytes and the flags 0,
 * MSG_PEEK, MSG_TRUNC, MSG_PEEK|MSG_TRUNC (a peek is followed by a plain
 * read that empties the queue).  Each line: what the call returned, the
 * name length and bytes it wrote, msg_flags and the control length.
 * Ports the kernel chose print as "*".
 *
 * Nothing is judged here: tests/scenario/addrmatrix.sh runs this natively
 * in a network namespace holding lo only and in rrsandbox, and compares
 * the tables.  Only loopback is used.
 *
 * Usage: recvtable
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tap.h"

static int s = -1, v6, mapped;
static struct sockaddr_storage self;
static socklen_t self_len;

static void die(const char *what)
{
	fprintf(stderr, "recvtable: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void open_kind(void)
{
	int on = 1;

	s = socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM, 0);
	if (s < 0)
		die("socket");
	self_len = tap_loopback(v6 ? AF_INET6 : AF_INET, mapped, 0, &self);
	if (bind(s, (struct sockaddr *)&self, self_len) ||
	    getsockname(s, (struct sockaddr *)&self, &self_len))
		die("bind");
	if (mapped)
		inet_pton(AF_INET6, "::ffff:127.0.0.1",
			  &((struct sockaddr_in6 *)&self)->sin6_addr);
	if (!v6 || mapped)
		setsockopt(s, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on));
	if (v6)
		setsockopt(s, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on));
}

static void send_one(size_t n)
{
	static char data[3000];
	struct pollfd p = { .fd = s, .events = POLLIN };

	memset(data, 'd', sizeof(data));
	if (sendto(s, data, n, 0, (struct sockaddr *)&self, self_len) != (ssize_t)n)
		die("sendto");
	if (poll(&p, 1, 2000) != 1)
		die("poll: the datagram did not come");
}

/* the name written: its length, family and address, the port as "*" */
static void print_name(const struct sockaddr_storage *ss, socklen_t room, socklen_t len)
{
	const unsigned char *b = (const unsigned char *)ss;
	socklen_t i, n = len < room ? len : room;

	printf(" namelen=%u name=", (unsigned)len);
	for (i = 0; i < n; i++) {
		if (i == 2 || i == 3)	/* the port */
			printf("**");
		else
			printf("%02x", b[i]);
	}
}

static const char *flagname(int f)
{
	switch (f) {
	case 0: return "0";
	case MSG_PEEK: return "PEEK";
	case MSG_TRUNC: return "TRUNC";
	case MSG_PEEK | MSG_TRUNC: return "PEEK|TRUNC";
	}
	return "?";
}

/* one receive of a datagram of @n bytes; @how: 0 recv, 1 recvfrom, 2 recvmsg */
static void one(size_t n, int how, size_t buflen, int flags, socklen_t room,
		size_t croom)
{
	union {
		char buf[256];
		struct cmsghdr align;
	} cu;
	struct sockaddr_storage ss;
	char buf[4096];
	socklen_t len = room;
	struct msghdr mh;
	struct iovec iov = { buf, buflen };
	ssize_t r;

	send_one(n);
	memset(&ss, 0xa5, sizeof(ss));
	printf("%s %zu bytes %s buf=%zu flags=%s", v6 ? mapped ? "v6m" : "v6" : "v4", n,
	       how == 0 ? "recv" : how == 1 ? "recvfrom" : "recvmsg", buflen,
	       flagname(flags));
	if (how == 0) {
		r = recv(s, buf, buflen, flags | MSG_DONTWAIT);
	} else if (how == 1) {
		printf(" room=%u", (unsigned)room);
		r = recvfrom(s, buf, buflen, flags | MSG_DONTWAIT, (struct sockaddr *)&ss, &len);
	} else {
		printf(" room=%u croom=%zu", (unsigned)room, croom);
		memset(&mh, 0, sizeof(mh));
		mh.msg_name = &ss;
		mh.msg_namelen = room;
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = croom ? cu.buf : NULL;
		mh.msg_controllen = croom;
		r = recvmsg(s, &mh, flags | MSG_DONTWAIT);
		len = mh.msg_namelen;
	}
	if (r < 0) {
		printf(": %s\n", tap_errname(errno));
	} else {
		printf(": %zd", r);
		if (how)
			print_name(&ss, room, len);
		if (how == 2)
			printf(" msg_flags=%#x controllen=%zu", (unsigned)mh.msg_flags,
			       (size_t)mh.msg_controllen);
		printf("\n");
	}
	/* empty the queue for the next case */
	while (recv(s, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
		;
}

int main(void)
{
	static const size_t sizes[] = { 0, 5, 3000 }, bufs[] = { 0, 3, 4096 };
	static const int flags[] = { 0, MSG_PEEK, MSG_TRUNC, MSG_PEEK | MSG_TRUNC };
	static const socklen_t rooms[] = { 0, 2, 8, 16, 28, 128 };
	static const size_t crooms[] = { 0, CMSG_SPACE(4), 256 };
	int k;
	size_t i, j, f, r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (k = 0; k < 3; k++) {
		v6 = k > 0;
		mapped = k == 2;
		open_kind();
		for (i = 0; i < 3; i++)
			for (j = 0; j < 3; j++)
				for (f = 0; f < 4; f++)
					one(sizes[i], 0, bufs[j], flags[f], 0, 0);
		for (i = 0; i < 3; i++)
			for (r = 0; r < sizeof(rooms) / sizeof(rooms[0]); r++)
				for (f = 0; f < 4; f++)
					one(sizes[i], 1, 4096, flags[f], rooms[r], 0);
		for (i = 1; i < 3; i++)
			for (r = 0; r < sizeof(rooms) / sizeof(rooms[0]); r++)
				for (j = 0; j < 3; j++)
					one(sizes[i], 2, 3, MSG_TRUNC * (r & 1), rooms[r], crooms[j]);
		close(s);
	}
	return 0;
}
