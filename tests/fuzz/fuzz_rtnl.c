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
 *
 * Built with RTNL_REAL_NET (fuzz_rtnl_net), the same requests go to the
 * real network of net.c, neigh.c, route.c, devconf.c and lwIP: a fresh
 * stack for each input (ns_new(): lo, then eth0, a link device with
 * 192.168.1.2/24 and 2001:db8::2/64), freed after it, so that the
 * handlers' effects reach what the fake net stands in for (neighbour
 * entries in lwIP's tables, route expiry, input routes, the sysctls
 * netconf reports).  Without it (fuzz_rtnl) the fake of rtnl_fake_net.c
 * answers, as for check_rtnl.  RTNL_REPLAY_MAIN gives a main() that runs
 * each file named on the command line once, for the corpus replay test
 * of a build without libFuzzer.
 */
#include <errno.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <linux/netlink.h>
#include <netinet/in.h>
#ifdef RTNL_REPLAY_MAIN
#include <dirent.h>
#endif

#include "rtnl.h"
#ifdef RTNL_REAL_NET
#include <arpa/inet.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "netstack/internal.h"
#include "netstack/netint.h"
#include "vdev.h"
#else
#include "rtnl_fake_net.h"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct sink {
	unsigned int budget;
	size_t bytes;
	bool verbose;		/* FUZZ_RTNL_VERBOSE set: each reply told */
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
		if (s->verbose && h->nlmsg_type == NLMSG_ERROR &&
		    h->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
			fprintf(stderr, "reply seq %u: error %d\n", h->nlmsg_seq,
				*(const int *)NLMSG_DATA(h));
		else if (s->verbose)
			fprintf(stderr, "reply seq %u: type %u, %u bytes\n",
				h->nlmsg_seq, h->nlmsg_type, h->nlmsg_len);
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

#ifdef RTNL_REAL_NET
static uv_loop_t loop;
static struct ns *the_ns;
static char dir[] = "/tmp/fuzz_rtnl_net.XXXXXX";

static void addr_put(struct net *n, uint8_t family, const char *text,
		     uint8_t plen)
{
	struct net_addr a = { .ifindex = 2, .family = family, .plen = plen,
			      .valid_lft = NET_LIFE_FOREVER,
			      .preferred_lft = NET_LIFE_FOREVER };
	char err[160];

	if (inet_pton(family, text, a.addr) != 1 ||
	    net_addr_add(n, &a, NLM_F_CREATE | NLM_F_EXCL, err, sizeof(err)))
		abort();
}

static void dir_gone(void)
{
	rmdir(dir);		/* eth0's endpoint went with each stack */
}

/* A fresh stack: lo, eth0 (ifindex 2) with an address of each family */
static struct net *net_up(void)
{
	static bool made;
	char local[300], remote[300], err[160];
	const char *rem[1] = { remote };
	struct vdev_link_opts o = { .local = local, .remote = rem,
				    .n_remote = 1 };
	struct net *n;

	if (!made) {
		if (uv_loop_init(&loop) || !mkdtemp(dir))
			abort();
		atexit(dir_gone);
		made = true;
	}
	if (ns_new(&loop, &the_ns))
		abort();
	n = ns_net(the_ns);
	snprintf(local, sizeof(local), "%s/a", dir);
	snprintf(remote, sizeof(remote), "%s/b", dir);
	if (net_link_add(n, "eth0", &o, err, sizeof(err)) != 2) {
		fprintf(stderr, "fuzz_rtnl_net: eth0: %s\n", err);
		abort();
	}
	addr_put(n, AF_INET, "192.168.1.2", 24);
	addr_put(n, AF_INET6, "2001:db8::2", 64);
	return n;
}

/* Let timers that are due run (a route that expires at once), then free
 * the stack and run the loop until its handles closed */
static void net_down(struct net *n)
{
	(void)n;
	uv_run(&loop, UV_RUN_NOWAIT);
	ns_free(the_ns);
	the_ns = NULL;
	while (uv_run(&loop, UV_RUN_NOWAIT))
		;
}
#else
static struct net *net_up(void)
{
	struct net *n = fake_net_new();

	fake_net_fill(n, 254, 40);
	return n;
}

static void net_down(struct net *n)
{
	fake_net_free(n);
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sink s = { 0 };
	struct rtnl *r;
	struct net *n;
	int one = 1, i;

	if (!size)
		return 0;
	s.verbose = getenv("FUZZ_RTNL_VERBOSE") != NULL;
	n = net_up();
	if (rtnl_new_proto(n, (data[0] & 0x0c) == 0x0c ? NETLINK_SOCK_DIAG :
			   NETLINK_ROUTE, 99, sink_send, &s, &r)) {
		net_down(n);
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
	net_down(n);
	return 0;
}

#ifdef RTNL_REPLAY_MAIN
static int replay_file(const char *path)
{
	static uint8_t buf[1 << 16];
	FILE *f = fopen(path, "rb");
	size_t len;

	if (!f) {
		perror(path);
		return 1;
	}
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, len);
	printf("ok - %s\n", path);
	return 0;
}

/* Each file named, and each file of each directory named, once (the
 * corpus replay test); the harness aborts on a malformed reply, the
 * sanitizers of a sanitized build on the rest */
int main(int argc, char **argv)
{
	int i, bad = 0;

	for (i = 1; i < argc; i++) {
		struct dirent **ents;
		char path[4096];
		int n, k;

		n = scandir(argv[i], &ents, NULL, alphasort);
		if (n < 0) {
			bad |= replay_file(argv[i]);
			continue;
		}
		for (k = 0; k < n; k++) {
			if (ents[k]->d_name[0] != '.') {
				snprintf(path, sizeof(path), "%s/%s", argv[i],
					 ents[k]->d_name);
				bad |= replay_file(path);
			}
			free(ents[k]);
		}
		free(ents);
	}
	return bad;
}
#endif
