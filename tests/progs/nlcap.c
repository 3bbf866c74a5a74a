/* SPDX-License-Identifier: MIT */
/*
 * nlcap.c - how many route notifications a NETLINK_ROUTE socket keeps while
 * its program reads none, and how the loss of the rest is told.
 *
 * A listener joins RTMGRP_IPV4_ROUTE; another socket adds N routes (dev
 * lo, 10.x.y.0/24); then the listener is read until EAGAIN with
 * recvfrom() (an address asked for: rrsandbox traps it and can fail it
 * with ENOBUFS).  Linux 6.18 keeps a notification while the skbs already
 * queued plus its own (832 bytes each for these) fit sk_rcvbuf
 * (netlink_broadcast_deliver()), then loses every later one until the
 * queue was read empty (NETLINK_S_CONGESTED), and fails the first
 * recvmsg() once with ENOBUFS (sk_err), before the kept messages.
 * Measured in a network namespace on 6.18: 212992 bytes (the default)
 * keep 256 of 1000, SO_RCVBUF 65536 (131072) 157, SO_RCVBUF 0 (2304) 2,
 * SO_RCVBUFFORCE 1 MiB (2097152) 2520 of 5000; IPv6 routes (1280 bytes
 * each: their skbs are not trimmed) 166 of 1000.  The checks allow 10 %
 * around floor(sk_rcvbuf / truesize).
 *
 * Then: once read empty, the next notification comes again, ENOBUFS is
 * not told twice, and a dump of all the routes through a socket with the
 * smallest buffer (2304) is complete: dumps wait, they are never lost.
 *
 * Natively it must run as root in a fresh network namespace with lo up
 * (it adds routes): unshare -n sh -c 'ip link set lo up && exec nlcap'.
 * SO_RCVBUFFORCE needs CAP_NET_ADMIN natively; rrsandbox grants it as it
 * grants route changes.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "tap.h"

#define NOTIF_TRUESIZE	832	/* an IPv4 route notification's skb */
#define NOTIF6_TRUESIZE	1280	/* an IPv6 one's (not trimmed) */

static int lo_index;
static int family = AF_INET;	/* of the routes routes_from() makes */
static unsigned int seq = 1;

struct req {
	struct nlmsghdr h;
	struct rtmsg r;
	char attrs[64];
};

static void put_attr(struct req *q, unsigned short type, const void *d,
		     size_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)q + NLMSG_ALIGN(q->h.nlmsg_len));

	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(a), d, len);
	q->h.nlmsg_len = NLMSG_ALIGN(q->h.nlmsg_len) + RTA_ALIGN(a->rta_len);
}

/* Add (or delete) routes 10.(@o2 + i/256).(i%256).0/24 dev lo, @i from
 * @from to @n - 1, 64 to a datagram, each acked.  Return: how many
 * failed, -1 on an I/O error. */
static int routes_from(int fd, int o2, int from, int n, int type)
{
	static char buf[64 * sizeof(struct req)];
	static char ans[1 << 16];
	int i = from, bad = 0;

	while (i < n) {
		size_t len = 0;
		int k, want = 0;

		for (k = 0; k < 64 && i < n; k++, i++) {
			struct req *q = (struct req *)(buf + len);
			unsigned char dst[16] = { 10, (unsigned char)(o2 + i / 256),
						  (unsigned char)(i % 256), 0 };

			if (family == AF_INET6) {	/* fd10:0:O2:I::/64 */
				memset(dst, 0, sizeof(dst));
				dst[0] = 0xfd;
				dst[1] = 0x10;
				dst[5] = (unsigned char)o2;
				dst[6] = (unsigned char)(i >> 8);
				dst[7] = (unsigned char)i;
			}

			memset(q, 0, sizeof(*q));
			q->h.nlmsg_len = NLMSG_LENGTH(sizeof(q->r));
			q->h.nlmsg_type = (unsigned short)type;
			q->h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK |
				(type == RTM_NEWROUTE ? NLM_F_CREATE | NLM_F_EXCL : 0);
			q->h.nlmsg_seq = seq++;
			q->r.rtm_family = (unsigned char)family;
			q->r.rtm_dst_len = family == AF_INET6 ? 64 : 24;
			q->r.rtm_table = RT_TABLE_MAIN;
			q->r.rtm_protocol = RTPROT_BOOT;
			q->r.rtm_scope = RT_SCOPE_LINK;
			q->r.rtm_type = RTN_UNICAST;
			put_attr(q, RTA_DST, dst, family == AF_INET6 ? 16 : 4);
			put_attr(q, RTA_OIF, &lo_index, 4);
			len += NLMSG_ALIGN(q->h.nlmsg_len);
			want++;
		}
		if (send(fd, buf, len, 0) != (ssize_t)len)
			return -1;
		while (want > 0) {
			ssize_t got = recv(fd, ans, sizeof(ans), 0);
			struct nlmsghdr *h = (struct nlmsghdr *)ans;
			size_t left;

			if (got <= 0)
				return -1;
			left = (size_t)got;
			for (; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
				if (h->nlmsg_type != NLMSG_ERROR)
					continue;
				want--;
				if (((struct nlmsgerr *)NLMSG_DATA(h))->error)
					bad++;
			}
		}
	}
	return bad;
}

static int routes(int fd, int o2, int n, int type)
{
	return routes_from(fd, o2, 0, n, type);
}

/* A listener joined to RTMGRP_IPV4_ROUTE; @opt: 0, SO_RCVBUF or
 * SO_RCVBUFFORCE with @val */
static int listener(int opt, int val)
{
	struct sockaddr_nl a = { .nl_family = AF_NETLINK,
				 .nl_groups = family == AF_INET6 ?
					      RTMGRP_IPV6_ROUTE : RTMGRP_IPV4_ROUTE };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
			NETLINK_ROUTE);

	if (fd < 0)
		return -1;
	if (opt && setsockopt(fd, SOL_SOCKET, opt, &val, sizeof(val))) {
		close(fd);
		return -2;
	}
	if (bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		return -1;
	}
	return fd;
}

struct drained {
	int msgs;	/* RTM_NEWROUTE/RTM_DELROUTE read */
	int enobufs;	/* receives that failed with ENOBUFS */
	int enobufs_at;	/* messages read before the first */
	int other;	/* another error */
};

static struct drained drain(int fd)
{
	static char buf[1 << 16];
	struct drained d = { 0, 0, -1, 0 };

	for (;;) {
		struct sockaddr_nl from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &fl);
		struct nlmsghdr *h = (struct nlmsghdr *)buf;
		size_t left;

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n < 0 && errno == ENOBUFS) {
			if (!d.enobufs++)
				d.enobufs_at = d.msgs;
			continue;
		}
		if (n < 0) {
			d.other = errno;
			break;
		}
		left = (size_t)n;
		for (; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left))
			if (h->nlmsg_type == RTM_NEWROUTE ||
			    h->nlmsg_type == RTM_DELROUTE)
				d.msgs++;
	}
	return d;
}

static int rcvbuf_of(int fd)
{
	int v = 0;
	socklen_t l = sizeof(v);

	return getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, &l) ? -1 : v;
}

/* Within 10 % of floor(sk_rcvbuf / truesize), as Linux keeps */
static void check_kept(const char *what, int kept, int rcvbuf, int n)
{
	char desc[160];
	int want = rcvbuf / (family == AF_INET6 ? NOTIF6_TRUESIZE : NOTIF_TRUESIZE);

	if (want > n)
		want = n;
	snprintf(desc, sizeof(desc), "%s: %d routes added unread, about %d "
		 "notifications kept (sk_rcvbuf %d)", what, n, want, rcvbuf);
	tap_result(kept * 10 >= want * 9 && kept * 10 <= want * 11, desc,
		   "got %d, want %d +- 10 %%", kept, want);
}

/* One round: listener with @opt/@val, @n routes added from 10.@o2.0.0 */
static void round_(int req, const char *what, int opt, int val, int o2, int n)
{
	char desc[160];
	struct drained d;
	int fd = listener(opt, val), rb;

	if (fd == -2 && opt == SO_RCVBUFFORCE && errno == EPERM) {
		tap_info("%s: SO_RCVBUFFORCE refused (no CAP_NET_ADMIN): skipped",
			 what);
		return;
	}
	snprintf(desc, sizeof(desc), "%s: listener", what);
	if (!tap_ok(desc, fd))
		return;
	rb = rcvbuf_of(fd);
	snprintf(desc, sizeof(desc), "%s: %d routes added", what, n);
	tap_int(desc, routes(req, o2, n, RTM_NEWROUTE), 0);
	d = drain(fd);
	tap_info("%s: %d kept, ENOBUFS %d times, first after %d", what, d.msgs,
		 d.enobufs, d.enobufs_at);
	check_kept(what, d.msgs, rb, n);
	snprintf(desc, sizeof(desc), "%s: ENOBUFS told once", what);
	tap_int(desc, d.enobufs, d.msgs < n ? 1 : 0);
	if (d.enobufs) {
		snprintf(desc, sizeof(desc), "%s: ENOBUFS before the kept ones",
			 what);
		tap_int(desc, d.enobufs_at, 0);
	}
	snprintf(desc, sizeof(desc), "%s: no other error", what);
	tap_int(desc, d.other, 0);
	/* read empty: the next change is told again, with no ENOBUFS */
	routes(req, o2, 1, RTM_DELROUTE);
	d = drain(fd);
	snprintf(desc, sizeof(desc), "%s: read empty, the next one comes", what);
	tap_int(desc, d.msgs * 10 + d.enobufs, 10);
	routes_from(req, o2, 1, n, RTM_DELROUTE);
	close(fd);
}

/* A dump of the main table through a socket with the smallest buffer,
 * read with 4 KiB at a time: every route, NLMSG_DONE, nothing lost. */
static void small_dump(int want)
{
	static char buf[4096];
	struct {
		struct nlmsghdr h;
		struct rtmsg r;
	} q = { .h = { .nlmsg_len = sizeof(q), .nlmsg_type = RTM_GETROUTE,
		       .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 7 },
		.r = { .rtm_family = AF_INET } };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	int zero = 0, got = 0, done = 0, enobufs = 0;

	if (!tap_ok("dump: socket", fd))
		return;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &zero, sizeof(zero));
	tap_int("dump: SO_RCVBUF 0 gives the minimum, 2304", rcvbuf_of(fd), 2304);
	tap_ok("dump: request", send(fd, &q, sizeof(q), 0));
	while (!done) {
		struct sockaddr_nl from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &fl);
		struct nlmsghdr *h = (struct nlmsghdr *)buf;
		size_t left;

		if (n < 0 && errno == ENOBUFS) {
			enobufs++;
			continue;
		}
		if (n <= 0)
			break;
		left = (size_t)n;
		for (; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
			struct rtmsg *r = NLMSG_DATA(h);

			if (h->nlmsg_type == NLMSG_DONE)
				done = 1;
			else if (h->nlmsg_type == RTM_NEWROUTE &&
				 r->rtm_table == RT_TABLE_MAIN &&
				 r->rtm_dst_len == 24)
				got++;
		}
	}
	tap_int("dump: NLMSG_DONE came", done, 1);
	tap_int("dump: every /24 route of the main table", got, want);
	tap_int("dump: no ENOBUFS", enobufs, 0);
	close(fd);
}

int main(int argc, char **argv)
{
	int req, big = 5000;

	tap_watchdog(240);
	if (argc > 1)
		big = atoi(argv[1]);	/* routes of the SO_RCVBUFFORCE round */
	lo_index = (int)if_nametoindex("lo");
	req = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (!tap_ok("request socket", req) || !tap_ok("lo", lo_index ? 0 : -1))
		return tap_done();
	round_(req, "default", 0, 0, 100, 1000);
	round_(req, "SO_RCVBUF 65536", SO_RCVBUF, 65536, 110, 1000);
	round_(req, "SO_RCVBUF 0", SO_RCVBUF, 0, 120, 20);
	round_(req, "SO_RCVBUFFORCE 1 MiB", SO_RCVBUFFORCE, 1 << 20, 130, big);
	tap_int("10000 routes for the dump", routes(req, 160, 10000, RTM_NEWROUTE), 0);
	small_dump(10000);
	routes(req, 160, 10000, RTM_DELROUTE);
	family = AF_INET6;
	round_(req, "IPv6 default", 0, 0, 1, 1000);
	close(req);
	return tap_done();
}
