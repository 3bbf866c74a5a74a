/* SPDX-License-Identifier: MIT */
/*
 * polltable.c - what poll() says of TCP and UDP sockets in each state,
 * as a table.
 *
 * On loopback, IPv4 and IPv6: a new TCP socket, a listener before and
 * after a connection waits, a connect() refused, a connection idle, with
 * data, after the peer's shutdown(SHUT_WR), after the peer's close() with
 * data unread (a reset), after the socket's own shutdown() each way;
 * a new UDP socket, one with a datagram, a connected one after a send to
 * a closed port.  Each line: the state, poll()'s events once the one
 * awaited came (2 s at most), SO_ERROR, and what a recv() then answers.
 *
 * Nothing is judged here: tests/scenario/addrmatrix.sh runs this natively
 * in a network namespace holding lo only and in rrsandbox, and compares
 * the tables.  Only loopback is used.
 *
 * Usage: polltable
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tap.h"

static int fam;

static void die(const char *what)
{
	fprintf(stderr, "polltable: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int sock(int type)
{
	int s = socket(fam, type | SOCK_NONBLOCK, 0);

	if (s < 0)
		die("socket");
	return s;
}

/* loopback, port @port */
static socklen_t lo(struct sockaddr_storage *ss, unsigned short port)
{
	return tap_loopback(fam, 0, port, ss);
}

static unsigned short port_of(int s)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(s, (struct sockaddr *)&ss, &len))
		die("getsockname");
	return ntohs(fam == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port :
				      ((struct sockaddr_in6 *)&ss)->sin6_port);
}

/* A socket of @type bound to a port of loopback the kernel chose */
static int bound(int type)
{
	struct sockaddr_storage ss;
	int s = sock(type);

	if (bind(s, (struct sockaddr *)&ss, lo(&ss, 0)))
		die("bind");
	return s;
}

/* Loopback at a port nothing has (one given and taken back) into @ss */
static socklen_t closed_port(int type, struct sockaddr_storage *ss)
{
	int s = bound(type);
	socklen_t len = lo(ss, port_of(s));

	close(s);
	return len;
}

/* poll() until @want (any of it) shows, 2 s at most, the other events
 * aside (a sandbox tells some a turn of its loop after Linux would); the
 * events then */
static short wait_for(int s, short want)
{
	struct pollfd p = { .fd = s, .events = POLLIN | POLLOUT | POLLRDHUP | POLLPRI };
	int i;

	for (i = 0; i < 200; i++) {
		if (poll(&p, 1, 0) < 0)
			die("poll");
		if (!want || (p.revents & want))
			break;
		usleep(10000);
	}
	return p.revents;
}

/* One line: the state, poll's events, SO_ERROR, a recv()'s answer */
static void line(const char *state, int s, short want, int do_recv)
{
	static const struct { short bit; const char *name; } bits[] = {
		{ POLLIN, "IN" }, { POLLPRI, "PRI" }, { POLLOUT, "OUT" },
		{ POLLERR, "ERR" }, { POLLHUP, "HUP" }, { POLLRDHUP, "RDHUP" },
		{ POLLNVAL, "NVAL" },
	};
	short ev = wait_for(s, want);
	socklen_t len = sizeof(int);
	int err = 0;
	size_t i;
	char buf[64];
	ssize_t n;

	printf("%s %s: poll=", fam == AF_INET ? "v4" : "v6", state);
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (ev & bits[i].bit)
			printf("%s ", bits[i].name);
	if (getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len))
		err = errno;
	printf("SO_ERROR=%s", tap_errname(err));
	if (do_recv) {
		n = recv(s, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0)
			printf(" recv=%s", tap_errname(errno));
		else
			printf(" recv=%zd", n);
	}
	printf("\n");
}

/* A connected pair through a listener: *@c the client, *@a the accepted */
static void pair(int *c, int *a)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int l = bound(SOCK_STREAM);

	if (listen(l, 4))
		die("listen");
	*c = sock(SOCK_STREAM);
	len = lo(&ss, port_of(l));
	if (connect(*c, (struct sockaddr *)&ss, len) && errno != EINPROGRESS)
		die("connect");
	wait_for(l, POLLIN);
	*a = accept4(l, NULL, NULL, SOCK_NONBLOCK);
	if (*a < 0)
		die("accept");
	wait_for(*c, POLLOUT);
	close(l);
}

static void tcp_states(void)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int s, l, c, a;

	s = sock(SOCK_STREAM);
	line("tcp new", s, 0, 1);
	close(s);

	l = bound(SOCK_STREAM);
	if (listen(l, 4))
		die("listen");
	line("tcp listener idle", l, 0, 1);
	c = sock(SOCK_STREAM);
	len = lo(&ss, port_of(l));
	if (connect(c, (struct sockaddr *)&ss, len) && errno != EINPROGRESS)
		die("connect");
	line("tcp listener with a connection waiting", l, POLLIN, 0);
	close(c);
	close(l);

	len = closed_port(SOCK_STREAM, &ss);
	c = sock(SOCK_STREAM);
	if (connect(c, (struct sockaddr *)&ss, len) && errno != EINPROGRESS &&
	    errno != ECONNREFUSED)
		die("connect");
	line("tcp connect refused", c, POLLERR | POLLHUP, 1);
	close(c);

	pair(&c, &a);
	line("tcp connected idle", c, POLLOUT, 1);
	if (send(a, "hello", 5, 0) != 5)
		die("send");
	line("tcp connected with data", c, POLLIN, 0);
	shutdown(a, SHUT_WR);
	line("tcp data and the peer's FIN", c, POLLRDHUP, 1);
	line("tcp after reading it all", c, POLLIN, 1);
	close(c);
	close(a);

	pair(&c, &a);
	if (send(c, "unread", 6, 0) != 6)
		die("send");
	wait_for(a, POLLIN);
	close(a);	/* unread data: a reset */
	line("tcp reset by the peer", c, POLLERR | POLLHUP, 1);
	line("tcp after the reset's error", c, 0, 1);
	close(c);

	pair(&c, &a);
	shutdown(c, SHUT_WR);
	line("tcp own shutdown(SHUT_WR)", c, POLLOUT, 0);
	line("tcp its peer then", a, POLLRDHUP, 1);
	close(c);
	close(a);

	pair(&c, &a);
	shutdown(c, SHUT_RD);
	line("tcp own shutdown(SHUT_RD)", c, POLLIN, 1);
	shutdown(c, SHUT_WR);
	line("tcp own shutdown of both", c, POLLHUP, 1);
	close(c);
	close(a);
}

static void udp_states(void)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int s;

	s = sock(SOCK_DGRAM);
	line("udp new", s, 0, 1);
	len = lo(&ss, 0);
	if (bind(s, (struct sockaddr *)&ss, len))
		die("bind");
	line("udp bound", s, 0, 1);
	len = lo(&ss, port_of(s));
	if (sendto(s, "x", 1, 0, (struct sockaddr *)&ss, len) != 1)
		die("sendto");
	line("udp with a datagram", s, POLLIN, 0);
	line("udp after reading it", s, 0, 1);
	close(s);

	/* connected to a port nothing has: the send's port unreachable */
	len = closed_port(SOCK_DGRAM, &ss);
	s = sock(SOCK_DGRAM);
	if (connect(s, (struct sockaddr *)&ss, len))
		die("connect");
	line("udp connected", s, POLLOUT, 0);
	if (send(s, "x", 1, 0) != 1)
		die("send");
	line("udp after a send to a closed port", s, POLLERR, 0);
	line("udp the error read", s, 0, 1);
	close(s);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	fam = AF_INET;
	tcp_states();
	udp_states();
	fam = AF_INET6;
	tcp_states();
	udp_states();
	return 0;
}
