/* SPDX-License-Identifier: MIT */
/*
 * nlfilter.c - classic BPF socket filters (SO_ATTACH_FILTER) on
 * NETLINK_ROUTE sockets, checked against Linux.
 *
 * A self-checking program (TAP-style output, see tap.h) that runs
 * unchanged natively in a fresh network namespace (CTest runs it under
 * `unshare -n` as root: it adds routes and an address on lo) and inside
 * rrsandbox.  It attaches the filter FRR's zebra puts on its listening
 * socket (netlink_install_filter(): drop what the program's own command
 * socket caused, but address changes) and checks that the route its
 * command socket adds is not seen while another socket's route and its
 * own address are; that a filter returning 0 drops replies, dumps and
 * acks, and one returning 20 trims each datagram to 20 bytes; that
 * SKF_AD_NLATTR finds an attribute; SO_GET_FILTER's counting in
 * instructions; SO_DETACH_FILTER and SO_LOCK_FILTER; and the filters
 * Linux refuses.
 *
 * Usage: nlfilter
 * Exit status: 0 if every check passed, 1 if not, 2 on a watchdog timeout.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "tap.h"

#ifndef SO_LOCK_FILTER
#define SO_LOCK_FILTER 44
#endif

#define R_OWN	"198.51.100.0"	/* added by the filtered program's command socket */
#define R_OTHER	"203.0.113.0"	/* added by another socket */
#define A_OWN	"192.0.2.77"	/* an address the command socket adds */

static unsigned int lo_index;

static int nl_open(uint32_t groups)
{
	struct sockaddr_nl a = { .nl_family = AF_NETLINK, .nl_groups = groups };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		return -1;
	}
	return fd;
}

static uint32_t portid(int fd)
{
	struct sockaddr_nl a;
	socklen_t len = sizeof(a);

	memset(&a, 0, sizeof(a));
	getsockname(fd, (struct sockaddr *)&a, &len);
	return a.nl_pid;
}

static int attach(int fd, struct sock_filter *f, unsigned short n)
{
	struct sock_fprog p = { .len = n, .filter = f };

	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &p, sizeof(p));
}

struct req {
	struct nlmsghdr h;
	union {
		struct rtmsg rt;
		struct ifaddrmsg ifa;
		struct ifinfomsg ifi;
	} u;
	char attrs[64];
};

static void put_attr(struct req *q, uint16_t type, const void *v, size_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)q + NLMSG_ALIGN(q->h.nlmsg_len));

	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(a), v, len);
	q->h.nlmsg_len = NLMSG_ALIGN(q->h.nlmsg_len) + RTA_ALIGN(a->rta_len);
}

/* Send @q and read its ack: the error it carries (0 for success). */
static int request(int fd, struct req *q)
{
	static uint32_t seq = 100;
	char buf[4096];
	ssize_t n;

	q->h.nlmsg_seq = ++seq;
	if (send(fd, q, q->h.nlmsg_len, 0) < 0)
		return -errno;
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < (ssize_t)(NLMSG_HDRLEN + sizeof(int)) ||
	    ((struct nlmsghdr *)buf)->nlmsg_type != NLMSG_ERROR)
		return -EPROTO;
	return ((struct nlmsgerr *)NLMSG_DATA(buf))->error;
}

/* RTM_NEWROUTE or RTM_DELROUTE of @dst/24 through lo */
static int route(int fd, uint16_t type, const char *dst)
{
	struct req q;
	struct in_addr a;

	memset(&q, 0, sizeof(q));
	inet_pton(AF_INET, dst, &a);
	q.h.nlmsg_len = NLMSG_LENGTH(sizeof(q.u.rt));
	q.h.nlmsg_type = type;
	q.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK |
			  (type == RTM_NEWROUTE ? NLM_F_CREATE | NLM_F_EXCL : 0);
	q.u.rt.rtm_family = AF_INET;
	q.u.rt.rtm_dst_len = 24;
	q.u.rt.rtm_table = RT_TABLE_MAIN;
	q.u.rt.rtm_protocol = RTPROT_STATIC;
	q.u.rt.rtm_scope = RT_SCOPE_LINK;
	q.u.rt.rtm_type = RTN_UNICAST;
	put_attr(&q, RTA_DST, &a, sizeof(a));
	put_attr(&q, RTA_OIF, &lo_index, sizeof(lo_index));
	return request(fd, &q);
}

/* RTM_NEWADDR or RTM_DELADDR of @addr/32 on lo */
static int address(int fd, uint16_t type, const char *addr)
{
	struct req q;
	struct in_addr a;

	memset(&q, 0, sizeof(q));
	inet_pton(AF_INET, addr, &a);
	q.h.nlmsg_len = NLMSG_LENGTH(sizeof(q.u.ifa));
	q.h.nlmsg_type = type;
	q.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK |
			  (type == RTM_NEWADDR ? NLM_F_CREATE | NLM_F_EXCL : 0);
	q.u.ifa.ifa_family = AF_INET;
	q.u.ifa.ifa_prefixlen = 32;
	q.u.ifa.ifa_scope = RT_SCOPE_HOST;
	q.u.ifa.ifa_index = lo_index;
	put_attr(&q, IFA_LOCAL, &a, sizeof(a));
	put_attr(&q, IFA_ADDRESS, &a, sizeof(a));
	return request(fd, &q);
}

/* Ask for a dump of the links; no ack. */
static int dump_links(int fd)
{
	struct req q;

	memset(&q, 0, sizeof(q));
	q.h.nlmsg_len = NLMSG_LENGTH(sizeof(q.u.ifi));
	q.h.nlmsg_type = RTM_GETLINK;
	q.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	q.h.nlmsg_seq = 7;
	return send(fd, &q, q.h.nlmsg_len, 0) < 0 ? -1 : 0;
}

/* What a socket received within @ms of quiet */
struct seen {
	bool route_own, route_other, addr_own;
	int datagrams;
	ssize_t first_len;
	uint16_t first_type;
};

static void drain(int fd, int ms, struct seen *w)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct in_addr own, other, aown;
	char buf[32768];

	memset(w, 0, sizeof(*w));
	w->first_len = -1;
	inet_pton(AF_INET, R_OWN, &own);
	inet_pton(AF_INET, R_OTHER, &other);
	inet_pton(AF_INET, A_OWN, &aown);
	while (poll(&p, 1, ms) == 1) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		struct nlmsghdr *h;
		size_t left;

		if (n < 0)
			break;
		if (!w->datagrams++) {
			w->first_len = n;
			w->first_type = n >= NLMSG_HDRLEN ?
					((struct nlmsghdr *)buf)->nlmsg_type : 0;
		}
		left = (size_t)n;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
			struct rtattr *a;
			size_t alen;

			if (h->nlmsg_type == RTM_NEWROUTE &&
			    h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct rtmsg))) {
				struct rtmsg *rt = NLMSG_DATA(h);

				alen = RTM_PAYLOAD(h);
				for (a = RTM_RTA(rt); RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
					if (a->rta_type != RTA_DST || rt->rtm_dst_len != 24)
						continue;
					if (!memcmp(RTA_DATA(a), &own, 4))
						w->route_own = true;
					if (!memcmp(RTA_DATA(a), &other, 4))
						w->route_other = true;
				}
			} else if (h->nlmsg_type == RTM_NEWADDR &&
				   h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct ifaddrmsg))) {
				struct ifaddrmsg *ifa = NLMSG_DATA(h);

				alen = IFA_PAYLOAD(h);
				for (a = IFA_RTA(ifa); RTA_OK(a, alen); a = RTA_NEXT(a, alen))
					if (a->rta_type == IFA_LOCAL && !memcmp(RTA_DATA(a), &aown, 4))
						w->addr_own = true;
			}
		}
	}
}

/* zebra's filter: drop what @pid caused, but address changes */
static unsigned short zebra_filter(struct sock_filter *f, uint32_t pid)
{
	struct sock_filter z[] = {
		BPF_STMT(BPF_LD | BPF_ABS | BPF_W, offsetof(struct nlmsghdr, nlmsg_pid)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htonl(pid), 0, 4),
		BPF_STMT(BPF_LD | BPF_ABS | BPF_H, offsetof(struct nlmsghdr, nlmsg_type)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htons(RTM_NEWADDR), 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htons(RTM_DELADDR), 1, 0),
		BPF_STMT(BPF_RET | BPF_K, 0),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
	};

	memcpy(f, z, sizeof(z));
	return sizeof(z) / sizeof(z[0]);
}

static void t_refused(void)
{
	struct sock_filter ok = BPF_STMT(BPF_RET | BPF_K, 0xffff);
	struct sock_filter noret[] = { BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0) };
	struct sock_filter ja[] = { BPF_JUMP(BPF_JMP | BPF_JA, 5, 0, 0),
				    BPF_STMT(BPF_RET | BPF_K, 0) };
	struct sock_filter jeq[] = { BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 3, 0),
				     BPF_STMT(BPF_RET | BPF_K, 0) };
	struct sock_filter mem[] = { BPF_STMT(BPF_LD | BPF_MEM, 3),
				     BPF_STMT(BPF_RET | BPF_A, 0) };
	struct sock_filter mem_maybe[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
		BPF_STMT(BPF_ST, 2),		/* only on one path */
		BPF_STMT(BPF_LD | BPF_MEM, 2),
		BPF_STMT(BPF_RET | BPF_A, 0) };
	struct sock_filter mem_ok[] = { BPF_STMT(BPF_ST, 15),
					BPF_STMT(BPF_LDX | BPF_W | BPF_MEM, 15),
					BPF_STMT(BPF_MISC | BPF_TXA, 0),
					BPF_STMT(BPF_RET | BPF_A, 0) };
	struct sock_filter div0[] = { BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 0),
				      BPF_STMT(BPF_RET | BPF_A, 0) };
	struct sock_filter shift[] = { BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 32),
				       BPF_STMT(BPF_RET | BPF_A, 0) };
	struct sock_filter anc[] = { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + 200),
				     BPF_STMT(BPF_RET | BPF_A, 0) };
	struct sock_filter op[] = { BPF_STMT(0xffff, 0), BPF_STMT(BPF_RET | BPF_K, 0) };
	struct sock_fprog p = { .len = 1, .filter = &ok };
	int fd = nl_open(0);

	if (fd < 0) {
		tap_result(0, "refused filters: a netlink socket", "%s", strerror(errno));
		return;
	}
	tap_errno("SO_DETACH_FILTER without a filter", setsockopt(fd, SOL_SOCKET,
		  SO_DETACH_FILTER, &(int){ 0 }, sizeof(int)), ENOENT);
	tap_errno("SO_ATTACH_FILTER with 8 bytes",
		  setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &p, 8), EINVAL);
	tap_errno("SO_ATTACH_FILTER of 0 instructions", attach(fd, &ok, 0), EINVAL);
	tap_errno("SO_ATTACH_FILTER of a NULL program", attach(fd, NULL, 1), EINVAL);
	tap_errno("SO_ATTACH_FILTER of a bad pointer",
		  attach(fd, (struct sock_filter *)8, 1), EFAULT);
	tap_errno("SO_ATTACH_FILTER of 4097 instructions", attach(fd, &ok, 4097), EINVAL);
	tap_errno("a filter not ending in a return", attach(fd, noret, 1), EINVAL);
	tap_errno("a jump past the end", attach(fd, ja, 2), EINVAL);
	tap_errno("a conditional jump past the end", attach(fd, jeq, 2), EINVAL);
	tap_errno("a load of memory never stored", attach(fd, mem, 2), EINVAL);
	tap_errno("a load of memory stored on one path only", attach(fd, mem_maybe, 5),
		  EINVAL);
	tap_ret("a load of memory stored before", attach(fd, mem_ok, 4), 0);
	tap_errno("a division by a constant 0", attach(fd, div0, 2), EINVAL);
	tap_errno("a shift by 32", attach(fd, shift, 2), EINVAL);
	tap_errno("an unknown ancillary load", attach(fd, anc, 2), EINVAL);
	tap_errno("an unknown instruction", attach(fd, op, 2), EINVAL);
	close(fd);
}

static void t_get_lock(void)
{
	struct sock_filter f[8], got[8];
	unsigned short n = zebra_filter(f, 12345);
	socklen_t len;
	int fd = nl_open(0), v;

	if (fd < 0) {
		tap_result(0, "SO_GET_FILTER: a netlink socket", "%s", strerror(errno));
		return;
	}
	len = 0;
	tap_result(!getsockopt(fd, SOL_SOCKET, SO_GET_FILTER, NULL, &len) && !len,
		   "SO_GET_FILTER without a filter: length 0", "got length %u", len);
	tap_ret("SO_ATTACH_FILTER of zebra's filter", attach(fd, f, n), 0);
	len = 0;
	tap_result(!getsockopt(fd, SOL_SOCKET, SO_GET_FILTER, NULL, &len) && len == n,
		   "SO_GET_FILTER with length 0: the number of instructions",
		   "got %u, want %u", len, n);
	len = 3;
	tap_errno("SO_GET_FILTER with room for 3 instructions",
		  getsockopt(fd, SOL_SOCKET, SO_GET_FILTER, got, &len), EINVAL);
	len = n;
	memset(got, 0, sizeof(got));
	tap_result(!getsockopt(fd, SOL_SOCKET, SO_GET_FILTER, got, &len) && len == n &&
		   !memcmp(got, f, n * sizeof(*f)),
		   "SO_GET_FILTER: the instructions, length in instructions",
		   "got length %u", len);
	len = sizeof(v);
	tap_result(!getsockopt(fd, SOL_SOCKET, SO_LOCK_FILTER, &v, &len) && !v,
		   "SO_LOCK_FILTER reads 0", "got %d", v);
	tap_ret("SO_LOCK_FILTER 1", setsockopt(fd, SOL_SOCKET, SO_LOCK_FILTER,
					       &(int){ 1 }, sizeof(int)), 0);
	len = sizeof(v);
	tap_result(!getsockopt(fd, SOL_SOCKET, SO_LOCK_FILTER, &v, &len) && v == 1,
		   "SO_LOCK_FILTER reads 1", "got %d", v);
	tap_errno("locked: SO_ATTACH_FILTER", attach(fd, f, n), EPERM);
	tap_errno("locked: SO_DETACH_FILTER", setsockopt(fd, SOL_SOCKET,
		  SO_DETACH_FILTER, &(int){ 0 }, sizeof(int)), EPERM);
	tap_errno("locked: SO_LOCK_FILTER 0", setsockopt(fd, SOL_SOCKET,
		  SO_LOCK_FILTER, &(int){ 0 }, sizeof(int)), EPERM);
	close(fd);
}

static void t_zebra(void)
{
	uint32_t groups = RTMGRP_IPV4_ROUTE | RTMGRP_IPV4_IFADDR;
	int cmd = nl_open(0), oth = nl_open(0), mon = nl_open(groups);
	int ref = nl_open(groups), lbl = nl_open(groups), none = nl_open(groups);
	struct sock_filter f[8];
	struct sock_filter has_label[] = {
		/* A: the first attribute after nlmsghdr and ifaddrmsg */
		BPF_STMT(BPF_LD | BPF_IMM, NLMSG_LENGTH(sizeof(struct ifaddrmsg))),
		BPF_STMT(BPF_LDX | BPF_W | BPF_IMM, IFA_LABEL),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_NLATTR),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
	};
	struct sock_filter has_200[6];
	struct seen w;
	int ret;

	if (cmd < 0 || oth < 0 || mon < 0 || ref < 0 || lbl < 0 || none < 0) {
		tap_result(0, "zebra's filter: netlink sockets", "%s", strerror(errno));
		goto out;
	}
	memcpy(has_200, has_label, sizeof(has_200));
	has_200[1].k = 200;
	tap_ret("zebra's filter on the listening socket",
		attach(mon, f, zebra_filter(f, portid(cmd))), 0);
	tap_ret("a filter wanting IFA_LABEL (SKF_AD_NLATTR)", attach(lbl, has_label, 6), 0);
	tap_ret("a filter wanting attribute 200", attach(none, has_200, 6), 0);
	tap_ret("the command socket adds " R_OWN "/24", route(cmd, RTM_NEWROUTE, R_OWN), 0);
	tap_ret("the command socket adds " A_OWN "/32", address(cmd, RTM_NEWADDR, A_OWN), 0);
	tap_ret("another socket adds " R_OTHER "/24", route(oth, RTM_NEWROUTE, R_OTHER), 0);
	drain(ref, 300, &w);
	tap_result(w.route_own && w.route_other && w.addr_own,
		   "unfiltered: both routes and the address are told",
		   "own route %d, other route %d, address %d",
		   w.route_own, w.route_other, w.addr_own);
	drain(mon, 300, &w);
	tap_result(!w.route_own, "zebra's filter: the own route is not told", "it is");
	tap_result(w.route_other, "zebra's filter: the other socket's route is told",
		   "it is not");
	tap_result(w.addr_own, "zebra's filter: the own address is told", "it is not");
	drain(lbl, 300, &w);
	tap_result(w.addr_own && !w.route_own && !w.route_other,
		   "SKF_AD_NLATTR: the address (with IFA_LABEL) only",
		   "address %d, routes %d %d", w.addr_own, w.route_own, w.route_other);
	drain(none, 300, &w);
	tap_int("SKF_AD_NLATTR: nothing has attribute 200", w.datagrams, 0);
out:
	if (cmd >= 0) {
		ret = route(cmd, RTM_DELROUTE, R_OWN);
		ret |= route(cmd, RTM_DELROUTE, R_OTHER);
		ret |= address(cmd, RTM_DELADDR, A_OWN);
		tap_ret("clean up: routes and address deleted", ret, 0);
	}
	close(cmd);
	close(oth);
	close(mon);
	close(ref);
	close(lbl);
	close(none);
}

/* Send @q without waiting for its ack. */
static int send_only(int fd, struct req *q)
{
	q->h.nlmsg_seq = 9;
	return send(fd, q, q->h.nlmsg_len, 0) < 0 ? -1 : 0;
}

/*
 * Each socket whose filter drops a dump's datagram is closed after: Linux
 * advances a dump only when the program reads, so one whose datagrams are
 * all dropped stays running (a new dump then gets EBUSY); rrsandbox runs
 * it to its end.
 */
static void t_verdicts(void)
{
	struct sock_filter drop = BPF_STMT(BPF_RET | BPF_K, 0);
	struct sock_filter trim = BPF_STMT(BPF_RET | BPF_K, 20);
	struct sock_filter by_a[] = { BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),
				      BPF_STMT(BPF_ALU | BPF_SUB | BPF_K, 4),
				      BPF_STMT(BPF_RET | BPF_A, 0) };
	int d = nl_open(0), a = nl_open(0), fd = nl_open(0);
	struct req q;
	struct seen w;
	ssize_t whole;

	if (d < 0 || a < 0 || fd < 0) {
		tap_result(0, "verdicts: netlink sockets", "%s", strerror(errno));
		goto out;
	}
	tap_ret("a filter returning 0", attach(d, &drop, 1), 0);
	tap_ret("... a link dump asked", dump_links(d), 0);
	drain(d, 300, &w);
	tap_int("... nothing of the dump is received", w.datagrams, 0);
	memset(&q, 0, sizeof(q));
	q.h.nlmsg_len = NLMSG_LENGTH(sizeof(q.u.ifi));
	q.h.nlmsg_type = RTM_GETLINK;
	q.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	q.u.ifi.ifi_index = 999999;	/* no such link: an error ack */
	tap_ret("another, filtering all: a request for a missing link",
		(attach(a, &drop, 1), send_only(a, &q)), 0);
	drain(a, 300, &w);
	tap_int("... its error ack is not received", w.datagrams, 0);
	tap_ret("SO_DETACH_FILTER", setsockopt(a, SOL_SOCKET, SO_DETACH_FILTER,
					       &(int){ 0 }, sizeof(int)), 0);
	tap_ret("... the request again", send_only(a, &q), 0);
	drain(a, 300, &w);
	tap_result(w.datagrams == 1 && w.first_type == NLMSG_ERROR,
		   "... its error ack is received", "got %d datagrams, the first "
		   "of type %u", w.datagrams, w.first_type);
	tap_ret("a third, unfiltered: a link dump asked", dump_links(fd), 0);
	drain(fd, 300, &w);
	whole = w.first_len;
	tap_result(w.datagrams >= 2 && w.first_type == RTM_NEWLINK && whole > 40,
		   "... received: links, then the end", "got %d datagrams, the first "
		   "%zd bytes of type %u", w.datagrams, whole, w.first_type);
	tap_ret("a filter returning 20", attach(fd, &trim, 1), 0);
	tap_ret("... a link dump asked", dump_links(fd), 0);
	drain(fd, 300, &w);
	tap_result(w.first_len == 20 && w.first_type == RTM_NEWLINK,
		   "... the first datagram is trimmed to 20 bytes",
		   "got %zd bytes of type %u", w.first_len, w.first_type);
	tap_ret("a filter returning its length less 4", attach(fd, by_a, 3), 0);
	tap_ret("... a link dump asked", dump_links(fd), 0);
	drain(fd, 300, &w);
	tap_int("... the first datagram is 4 bytes shorter", w.first_len, whole - 4);
out:
	close(d);
	close(a);
	close(fd);
}

int main(void)
{
	tap_watchdog(60);
	lo_index = if_nametoindex("lo");
	if (!lo_index) {
		printf("Bail out! no lo: %s\n", strerror(errno));
		return 1;
	}
	t_refused();
	t_get_lock();
	t_zebra();
	t_verdicts();
	return tap_done();
}
