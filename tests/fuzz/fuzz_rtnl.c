/* SPDX-License-Identifier: MIT */
/*
 * fuzz_rtnl.c - libFuzzer harness for the rtnetlink engine
 * (netstack/rtnl*.c) over the fake network of rtnl_fake_net.c.
 *
 * The first input byte picks socket options (strict checking, extended
 * ack, capped acks, groups) and how many datagrams the program's end
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
	if (rtnl_new(n, 99, sink_send, &s, &r)) {
		fake_net_free(n);
		return 0;
	}
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
