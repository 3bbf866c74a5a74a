/* SPDX-License-Identifier: MIT */
/*
 * addrmatrix.c - what bind() and connect() make of addresses, as a table.
 *
 * For each kind of socket (TCP and UDP; IPv4, IPv6, IPv6 with
 * IPV6_V6ONLY) and each address in the list below (loopback, any,
 * broadcast, groups, link-local with and without a scope, v4-mapped and
 * v4-compatible, another family, AF_UNSPEC, short and long lengths, a
 * NULL pointer), on a fresh socket: bind() to it (port 0) and what
 * getsockname() then says; connect() to it (a port nothing listens on)
 * and what getsockname() and getpeername() then say; with --sendto, a UDP
 * socket's sendto() of one byte to it, with and without SO_BROADCAST.
 * Ports the kernel chose print as "*".  Without --sendto only loopback
 * is ever reached: a TCP connect() goes to loopback addresses or to ones
 * Linux refuses before sending, and a UDP connect() sends nothing.  With
 * it, datagrams go to groups and broadcast addresses: run it so only in
 * a network namespace of its own (tests/scenario/addrmatrix.sh does).
 *
 * Nothing is judged here: tests/scenario/addrmatrix.sh runs this natively
 * (in a network namespace holding lo only) and in rrsandbox and compares
 * the tables.
 *
 * Usage: addrmatrix [--sendto]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tap.h"

struct addr {
	const char *name;
	int family;		/* AF_INET, AF_INET6, AF_UNSPEC */
	const char *text;	/* for inet_pton(); NULL: all zero */
	uint32_t scope;
	int len_delta;		/* added to the family's length */
	int null;		/* a NULL pointer */
	int tcp_ok;		/* a TCP connect() may be tried: loopback,
				 * or refused before anything is sent */
};

static const struct addr addrs[] = {
	{ "0.0.0.0", AF_INET, "0.0.0.0", 0, 0, 0, 1 },
	{ "127.0.0.1", AF_INET, "127.0.0.1", 0, 0, 0, 1 },
	{ "127.0.0.2", AF_INET, "127.0.0.2", 0, 0, 0, 1 },
	{ "127.255.255.255", AF_INET, "127.255.255.255", 0, 0, 0, 0 },
	{ "255.255.255.255", AF_INET, "255.255.255.255", 0, 0, 0, 1 },
	{ "224.0.0.1", AF_INET, "224.0.0.1", 0, 0, 0, 1 },
	{ "239.1.2.3", AF_INET, "239.1.2.3", 0, 0, 0, 1 },
	{ "127.0.0.1 len-1", AF_INET, "127.0.0.1", 0, -1, 0, 1 },
	{ "127.0.0.1 len+4", AF_INET, "127.0.0.1", 0, 4, 0, 1 },
	{ "127.0.0.1 len 0", AF_INET, "127.0.0.1", 0, -16, 0, 1 },
	{ "NULL", AF_INET, NULL, 0, 0, 1, 1 },
	{ "AF_UNSPEC any", AF_UNSPEC, NULL, 0, 0, 0, 1 },
	{ "::", AF_INET6, "::", 0, 0, 0, 1 },
	{ "::1", AF_INET6, "::1", 0, 0, 0, 1 },
	{ "::1%1", AF_INET6, "::1", 1, 0, 0, 1 },
	{ "::ffff:127.0.0.1", AF_INET6, "::ffff:127.0.0.1", 0, 0, 0, 1 },
	{ "::ffff:0.0.0.0", AF_INET6, "::ffff:0.0.0.0", 0, 0, 0, 1 },
	{ "::ffff:255.255.255.255", AF_INET6, "::ffff:255.255.255.255", 0, 0, 0, 1 },
	{ "::ffff:224.0.0.1", AF_INET6, "::ffff:224.0.0.1", 0, 0, 0, 1 },
	{ "::127.0.0.1", AF_INET6, "::127.0.0.1", 0, 0, 0, 0 },
	{ "ff02::1", AF_INET6, "ff02::1", 0, 0, 0, 1 },
	{ "ff02::1%1", AF_INET6, "ff02::1", 1, 0, 0, 1 },
	{ "ff01::1%1", AF_INET6, "ff01::1", 1, 0, 0, 1 },
	{ "ff0e::1", AF_INET6, "ff0e::1", 0, 0, 0, 1 },
	{ "fe80::1", AF_INET6, "fe80::1", 0, 0, 0, 1 },
	{ "fe80::1%1", AF_INET6, "fe80::1", 1, 0, 0, 1 },
	{ "fe80::1%99", AF_INET6, "fe80::1", 99, 0, 0, 1 },
	{ "::1 len-1", AF_INET6, "::1", 0, -1, 0, 1 },
	{ "::1 len 24", AF_INET6, "::1", 0, -4, 0, 1 },
	{ "::1 len+4", AF_INET6, "::1", 0, 4, 0, 1 },
};

static socklen_t make(const struct addr *a, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		if (a->text)
			inet_pton(AF_INET, a->text, &s4->sin_addr);
		return (socklen_t)((int)sizeof(*s4) + a->len_delta);
	}
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		s6->sin6_scope_id = a->scope;
		if (a->text)
			inet_pton(AF_INET6, a->text, &s6->sin6_addr);
		return (socklen_t)((int)sizeof(*s6) + a->len_delta);
	}
	ss->ss_family = AF_UNSPEC;
	return sizeof(struct sockaddr_in);
}

/* "family addr port scope" of a name, the port as * when not 0 */
static void print_name(const char *what, int (*fn)(int, struct sockaddr *, socklen_t *), int s)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char buf[INET6_ADDRSTRLEN];

	memset(&ss, 0, sizeof(ss));
	printf(" %s=", what);
	if (fn(s, (struct sockaddr *)&ss, &len)) {
		printf("%s", tap_errname(errno));
		return;
	}
	if (ss.ss_family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		inet_ntop(AF_INET, &s4->sin_addr, buf, sizeof(buf));
		printf("%s:%s/%u", buf, s4->sin_port ? "*" : "0", (unsigned)len);
	} else if (ss.ss_family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, buf, sizeof(buf));
		printf("[%s%%%u]:%s/%u", buf, (unsigned)s6->sin6_scope_id,
		       s6->sin6_port ? "*" : "0", (unsigned)len);
	} else {
		printf("family %d/%u", ss.ss_family, (unsigned)len);
	}
}

static int open_kind(const char *kind)
{
	int s = socket(kind[3] == '6' ? AF_INET6 : AF_INET,
		       kind[0] == 't' ? SOCK_STREAM : SOCK_DGRAM, 0);
	int on = 1;

	if (s < 0) {
		fprintf(stderr, "addrmatrix: socket(%s): %s\n", kind, strerror(errno));
		exit(1);
	}
	if (strstr(kind, "only") &&
	    setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on))) {
		fprintf(stderr, "addrmatrix: IPV6_V6ONLY: %s\n", strerror(errno));
		exit(1);
	}
	return s;
}

/* A port nothing listens on, on loopback: one the kernel gave and took
 * back (the same in the sandbox, which has its own ports) */
static uint16_t closed_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(s, (struct sockaddr *)&a, &len)) {
		fprintf(stderr, "addrmatrix: a free port: %s\n", strerror(errno));
		exit(1);
	}
	close(s);
	return ntohs(a.sin_port);
}

/* A UDP socket's sendto() of one byte to @a: the answer, then its name
 * (a send binds a port); and with SO_BROADCAST on, for a broadcast. */
static void send_case(const char *kind, const struct addr *a, uint16_t port, int bcast)
{
	struct sockaddr_storage ss;
	socklen_t len = make(a, port, &ss);
	int s = open_kind(kind), on = 1;
	ssize_t r;

	if (bcast && setsockopt(s, SOL_SOCKET, SO_BROADCAST, &on, sizeof(on))) {
		fprintf(stderr, "addrmatrix: SO_BROADCAST: %s\n", strerror(errno));
		exit(1);
	}
	r = sendto(s, "x", 1, 0, a->null ? NULL : (struct sockaddr *)&ss, len);
	printf("%s sendto%s %s: %s", kind, bcast ? " (SO_BROADCAST)" : "", a->name,
	       r < 0 ? tap_errname(errno) : "ok");
	print_name("name", getsockname, s);
	printf("\n");
	close(s);
}

int main(int argc, char **argv)
{
	static const char *const kinds[] = {
		"tcp4", "tcp6", "tcp6only", "udp4", "udp6", "udp6only",
	};
	uint16_t port = closed_port();
	int sends = argc > 1 && !strcmp(argv[1], "--sendto");
	size_t k, i;

	if (argc > 1 && !sends) {
		fprintf(stderr, "usage: addrmatrix [--sendto]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		for (i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
			const struct addr *a = &addrs[i];
			struct sockaddr_storage ss;
			socklen_t len;
			int s, r;

			len = make(a, 0, &ss);
			s = open_kind(kinds[k]);
			r = bind(s, a->null ? NULL : (struct sockaddr *)&ss, len);
			printf("%s bind %s: %s", kinds[k], a->name, r ? tap_errname(errno) : "ok");
			print_name("name", getsockname, s);
			printf("\n");
			close(s);

			if (sends && kinds[k][0] == 'u') {
				send_case(kinds[k], a, port, 0);
				send_case(kinds[k], a, port, 1);
			}
			if (kinds[k][0] == 't' && !a->tcp_ok)
				continue;
			len = make(a, port, &ss);
			s = open_kind(kinds[k]);
			r = connect(s, a->null ? NULL : (struct sockaddr *)&ss, len);
			printf("%s connect %s: %s", kinds[k], a->name, r ? tap_errname(errno) : "ok");
			print_name("name", getsockname, s);
			print_name("peer", getpeername, s);
			printf("\n");
			close(s);
		}
	}
	return 0;
}
