/* SPDX-License-Identifier: MIT */
/*
 * fuzz_rtnl.c - libFuzzer harness for the rtnetlink engine
 * (netstack/rtnl*.c) over the fake network of rtnl_fake_net.c.
 *
 * The first input byte picks socket options (strict checking, extended
 * ack, capped acks, groups; capped acks and groups together: a
 * NETLINK_SOCK_DIAG socket over a small fixed socket table instead) and
 * how many datagrams the program's end
 * takes before saying -EAGAIN; the rest is one datagram given to
 * rtnl_input(), then the socket is resumed until it is drained.  Every
 * reply is walked as a netlink reader would, to catch malformed output.
 * Built only with clang (-fsanitize=fuzzer); run as
 *	./fuzz_rtnl -max_total_time=60 [corpus dir]
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <linux/netlink.h>
#include <netinet/in.h>

#include "rtnl.h"
#include "rtnl_fake_net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct sink {
	unsigned int budget;
	size_t bytes;
};

/* Check that each datagram is a sequence of whole, aligned messages */
static int sink_send(void *arg, const void *buf, size_t len)
{
	struct sink *s = arg;
	const uint8_t *p = buf;
	size_t off = 0;

	if (!s->budget)
		return -EAGAIN;
	s->budget--;
	if (len > RTNL_DGRAM_MAX)
		abort();
	while (off < len) {
		const struct nlmsghdr *h = (const void *)(p + off);

		if (len - off < NLMSG_HDRLEN || h->nlmsg_len < NLMSG_HDRLEN ||
		    h->nlmsg_len > len - off)
			abort();
		off += NLMSG_ALIGN(h->nlmsg_len);
	}
	if (off != len)
		abort();
	s->bytes += len;
	return 0;
}

/* rtnl_socks_fn: a listener, a connection, a UDP and a raw socket per
 * family */
static int fuzz_socks(void *arg, bool want_info, struct rtnl_sockinfo **out,
		      size_t *n)
{
	static const uint8_t protos[4] = { IPPROTO_TCP, IPPROTO_TCP,
					   IPPROTO_UDP, IPPROTO_RAW };
	struct rtnl_sockinfo *s = calloc(8, sizeof(*s));
	size_t i;

	(void)arg;
	if (!s)
		return -ENOMEM;
	for (i = 0; i < 8; i++) {
		s[i].family = i < 4 ? AF_INET : AF_INET6;
		s[i].protocol = protos[i % 4];
		s[i].state = i % 4 == 0 ? 10 : i % 4 == 1 ? 1 : 7;
		s[i].sport = (uint16_t)(100 + i);
		s[i].dport = i % 4 == 1 ? 179 : 0;
		s[i].src[0] = s[i].dst[0] = (uint8_t)i;
		s[i].ino = 1000 + i;
		s[i].cookie = i;
		s[i].has_info = want_info;
	}
	*out = s;
	*n = 8;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sink s = { 0 };
	struct rtnl *r;
	struct net *n;
	int one = 1, i;

	if (!size)
		return 0;
	n = fake_net_new();
	fake_net_fill(n, 254, 40);
	if (rtnl_new_proto(n, (data[0] & 0x0c) == 0x0c ? NETLINK_SOCK_DIAG :
			   NETLINK_ROUTE, 99, sink_send, &s, &r)) {
		fake_net_free(n);
		return 0;
	}
	rtnl_set_socks(r, fuzz_socks, NULL);
	if (data[0] & 1)
		rtnl_setsockopt(r, NETLINK_GET_STRICT_CHK, &one, sizeof(one));
	if (data[0] & 2)
		rtnl_setsockopt(r, NETLINK_EXT_ACK, &one, sizeof(one));
	if (data[0] & 4)
		rtnl_setsockopt(r, NETLINK_CAP_ACK, &one, sizeof(one));
	if (data[0] & 8)
		rtnl_bind(r, ~0u);
	s.budget = (data[0] >> 4) ? (data[0] >> 4) : ~0u;
	rtnl_input(r, data + 1, size - 1);
	for (i = 0; i < 100000; i++) {
		s.budget = 1;
		rtnl_resume(r);
		if (s.budget)		/* nothing more was waiting */
			break;
	}
	rtnl_take_overrun(r);
	rtnl_free(r);
	fake_net_free(n);
	return 0;
}
