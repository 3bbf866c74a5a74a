/* SPDX-License-Identifier: MIT */
/*
 * diagcheck.c - NETLINK_SOCK_DIAG answers about sockets this program made,
 * each checked for what Linux answers.
 *
 * A self-checking program (TAP-style output, see tap.h) that runs
 * unchanged natively in a fresh network namespace (CTest runs it under
 * `unshare -n` as root, so that the only inet sockets there are its own)
 * and inside rrsandbox, whose inet_diag emulation must say the same: a
 * TCP listener (its backlog as the send queue), both ends of a connection
 * to it, a TCP socket only bound (listed only when the request asks for
 * Linux 6.5's pseudo-state TCP_BOUND_INACTIVE, which ss before 6.5 never
 * does), an IPv6 listener on ::1 (IPv6-only), a bound UDP socket and a
 * connected IPv6 one, found by family, protocol and state, each with its
 * ports, addresses, uid and the inode fstat() gives; the lookup of one TCP
 * socket by its addresses (ENOENT for another cookie, or for no such
 * socket); the attributes idiag_ext asks for; filter bytecodes that pass
 * inet_diag's audit, run on each socket, and ones that fail it; the errors
 * for malformed requests.
 *
 * Usage: diagcheck [--sandbox]
 * Exit status: 0 if every check passed, 1 if not, 2 on a watchdog timeout.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>

#include "tap.h"

#define MAXSOCK	32

/* One socket as a dump gave it */
struct entry {
	struct inet_diag_msg m;
	int has_v6only;
	uint8_t v6only;
	int info_len;		/* INET_DIAG_INFO's payload, -1 when absent */
	int skmem_len;		/* INET_DIAG_SKMEMINFO's, -1 when absent */
	int has_shutdown;
};

struct req {
	struct nlmsghdr h;
	struct inet_diag_req_v2 r;
	uint8_t extra[64];
};

static uint32_t seq = 500;

static int nl_open(void)
{
	struct timeval tv = { 2, 0 };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);

	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

static void req_init(struct req *q, uint16_t type, uint16_t flags,
		     uint8_t family, uint8_t proto, uint32_t states)
{
	memset(q, 0, sizeof(*q));
	q->h.nlmsg_len = NLMSG_LENGTH(sizeof(q->r));
	q->h.nlmsg_type = type;
	q->h.nlmsg_flags = flags;
	q->h.nlmsg_seq = ++seq;
	q->r.sdiag_family = family;
	q->r.sdiag_protocol = proto;
	q->r.idiag_states = states;
	q->r.id.idiag_cookie[0] = q->r.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
}

/*
 * Send @q and read the answer: the sockets into @out (up to @max) and
 * their number into @n.  Return: 0 after NLMSG_DONE or one answer, a
 * positive errno from an NLMSG_ERROR (or NLMSG_DONE), -1 when nothing
 * came or the answer was malformed.
 */
static int talk(int fd, const void *q, size_t len, struct entry *out,
		size_t max, size_t *n)
{
	static uint8_t buf[65536] __attribute__((aligned(4)));
	const struct nlmsghdr *sent = q;
	ssize_t got;

	*n = 0;
	if (send(fd, q, len, 0) != (ssize_t)len)
		return -1;
	for (;;) {
		const struct nlmsghdr *h;
		size_t left;

		got = recv(fd, buf, sizeof(buf), 0);
		if (got <= 0)
			return -1;
		left = (size_t)got;
		for (h = (const void *)buf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
			const struct inet_diag_msg *m = NLMSG_DATA(h);
			const struct rtattr *a;
			size_t alen;

			if (h->nlmsg_seq != sent->nlmsg_seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);

				if (e->error)
					return -e->error;
				continue;	/* the ack of a lookup */
			}
			if (h->nlmsg_type == NLMSG_DONE) {
				int v;

				memcpy(&v, NLMSG_DATA(h), sizeof(v));
				return v < 0 ? -v : 0;
			}
			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*m)))
				return -1;
			if (*n < max) {
				struct entry *e = &out[*n];

				memset(e, 0, sizeof(*e));
				e->m = *m;
				e->info_len = e->skmem_len = -1;
				alen = h->nlmsg_len - NLMSG_LENGTH(sizeof(*m));
				for (a = (const void *)(m + 1); RTA_OK(a, alen);
				     a = RTA_NEXT(a, alen))
					if (a->rta_type == INET_DIAG_SKV6ONLY) {
						e->has_v6only = 1;
						e->v6only = *(const uint8_t *)RTA_DATA(a);
					} else if (a->rta_type == INET_DIAG_INFO) {
						e->info_len = (int)RTA_PAYLOAD(a);
					} else if (a->rta_type == INET_DIAG_SKMEMINFO) {
						e->skmem_len = (int)RTA_PAYLOAD(a);
					} else if (a->rta_type == INET_DIAG_SHUTDOWN) {
						e->has_shutdown = 1;
					}
			}
			(*n)++;
			if (!(h->nlmsg_flags & NLM_F_MULTI))
				return 0;	/* a lookup's one answer */
		}
	}
}

/* A dump with the attributes @ext and the filter @bc of @bc_len bytes */
static int dump_bc(int fd, uint8_t family, uint8_t proto, uint32_t states,
		   uint8_t ext, const void *bc, size_t bc_len,
		   struct entry *out, size_t *n)
{
	struct req q;

	req_init(&q, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, family,
		 proto, states);
	q.r.idiag_ext = ext;
	if (bc) {
		struct rtattr *a = (struct rtattr *)((uint8_t *)&q + q.h.nlmsg_len);

		a->rta_type = INET_DIAG_REQ_BYTECODE;
		a->rta_len = RTA_LENGTH(bc_len);
		memcpy(RTA_DATA(a), bc, bc_len);
		q.h.nlmsg_len += RTA_ALIGN(a->rta_len);
	}
	return talk(fd, &q, q.h.nlmsg_len, out, MAXSOCK, n);
}

static int dump(int fd, uint8_t family, uint8_t proto, uint32_t states,
		struct entry *out, size_t *n)
{
	return dump_bc(fd, family, proto, states, 0, NULL, 0, out, n);
}

/* One operation of a filter program */
static struct inet_diag_bc_op op(uint8_t code, uint8_t yes, uint16_t no)
{
	return (struct inet_diag_bc_op){ .code = code, .yes = yes, .no = no };
}

/* The TCP/IPv4 sockets (twelve states) a filter lets through; -errno
 * when the request fails */
static long filtered(int fd, const void *bc, size_t len, struct entry *e)
{
	size_t n;
	int ret = dump_bc(fd, AF_INET, IPPROTO_TCP, 0xfff, 0, bc, len, e, &n);

	return ret ? -ret : (long)n;
}

/* Filter programs, checked on the listener (port @lport) and both ends */
static void bytecodes(int fd, uint16_t lport, ino_t client)
{
	struct entry e[MAXSOCK];
	struct inet_diag_bc_op p[8];
	struct inet_diag_hostcond *hc;
	uint8_t buf[64];

	/* sport == lport: the listener and the accepted end */
	p[0] = op(INET_DIAG_BC_S_EQ, 8, 12);
	p[1] = op(0, 0, lport);
	tap_int("filter sport == listener's port: 2 sockets", filtered(fd, p, 8, e), 2);
	/* dport == lport: the client end */
	p[0] = op(INET_DIAG_BC_D_EQ, 8, 12);
	tap_int("filter dport == listener's port: 1 socket", filtered(fd, p, 8, e), 1);
	tap_result(e[0].m.idiag_inode == (uint32_t)client,
		   "filter dport == listener's port: the client", "inode %u",
		   e[0].m.idiag_inode);
	/* not (sport >= lport) and not (sport <= lport) would be nothing:
	 * sport <= lport, then a jump over the rest */
	p[0] = op(INET_DIAG_BC_S_LE, 8, 12);
	tap_result(filtered(fd, p, 8, e) >= 2, "filter sport <= listener's port",
		   "fewer than 2");
	/* every port bound by the kernel here (bind to port 0, connect) */
	p[0] = op(INET_DIAG_BC_AUTO, 4, 8);
	tap_int("filter autobound: all 3", filtered(fd, p, 4, e), 3);
	/* a NOP, then a JMP that rejects */
	p[0] = op(INET_DIAG_BC_NOP, 4, 0);
	p[1] = op(INET_DIAG_BC_JMP, 4, 8);
	tap_int("filter NOP, JMP past the end: none", filtered(fd, p, 8, e), 0);
	/* source in 127.0.0.0/8, any port: all three */
	memset(buf, 0, sizeof(buf));
	memcpy(buf, &(struct inet_diag_bc_op){ INET_DIAG_BC_S_COND, 16, 20 }, 4);
	hc = (struct inet_diag_hostcond *)(buf + 4);
	hc->family = AF_INET;
	hc->prefix_len = 8;
	hc->port = -1;
	hc->addr[0] = htonl(0x7f000000);
	tap_int("filter src 127.0.0.0/8: 3", filtered(fd, buf, 16, e), 3);
	hc->addr[0] = htonl(0x0a000000);
	tap_int("filter src 10.0.0.0/8: none", filtered(fd, buf, 16, e), 0);
	hc->family = AF_UNSPEC;
	hc->prefix_len = 0;
	hc->port = lport;
	memcpy(buf, &(struct inet_diag_bc_op){ INET_DIAG_BC_S_COND, 12, 16 }, 4);
	tap_int("filter any address, source port the listener's: 2",
		filtered(fd, buf, 12, e), 2);
	/* what the audit refuses */
	p[0] = op(200, 4, 8);
	tap_int("filter with an unknown operation: EINVAL", filtered(fd, p, 4, e), -EINVAL);
	p[0] = op(INET_DIAG_BC_S_EQ, 6, 12);
	tap_int("filter whose yes is not a multiple of 4: EINVAL",
		filtered(fd, p, 8, e), -EINVAL);
	p[0] = op(INET_DIAG_BC_S_EQ, 4, 12);
	tap_int("filter whose yes skips into its operand: EINVAL",
		filtered(fd, p, 8, e), -EINVAL);
	p[0] = op(INET_DIAG_BC_S_EQ, 8, 12);
	tap_int("filter cut in its operand: EINVAL", filtered(fd, p, 4, e), -EINVAL);
	p[0] = op(INET_DIAG_BC_NOP, 4, 0);
	p[1] = op(INET_DIAG_BC_S_EQ, 8, 6);
	p[2] = op(0, 0, lport);
	tap_int("filter jumping to no operation's start: EINVAL",
		filtered(fd, p, 12, e), -EINVAL);
	p[0] = op(INET_DIAG_BC_S_EQ, 12, 8);
	p[1] = op(0, 0, lport);
	p[2] = op(INET_DIAG_BC_NOP, 4, 0);
	tap_int("filter whose no skips into its operand: EINVAL",
		filtered(fd, p, 12, e), -EINVAL);
	memcpy(buf, &(struct inet_diag_bc_op){ INET_DIAG_BC_S_COND, 16, 20 }, 4);
	hc->family = 99;
	hc->prefix_len = 0;
	hc->port = -1;
	tap_int("filter on an address of family 99: EINVAL", filtered(fd, buf, 16, e), -EINVAL);
	hc->family = AF_INET;
	hc->prefix_len = 33;
	tap_int("filter on an IPv4 prefix of 33 bits: EINVAL", filtered(fd, buf, 16, e), -EINVAL);
	hc->prefix_len = 32;
	tap_int("filter on an IPv4 address cut short: EINVAL", filtered(fd, buf, 14, e), -EINVAL);
}

/* The entry of inode @ino, or NULL */
static const struct entry *find(const struct entry *e, size_t n, ino_t ino)
{
	size_t i;

	for (i = 0; i < n && i < MAXSOCK; i++)
		if (e[i].m.idiag_inode == (uint32_t)ino)
			return &e[i];
	return NULL;
}

static ino_t ino_of(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? 0 : st.st_ino;
}

static uint16_t port_of(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		return 0;
	return ntohs(ss.ss_family == AF_INET ?
		     ((struct sockaddr_in *)&ss)->sin_port :
		     ((struct sockaddr_in6 *)&ss)->sin6_port);
}

static int tcp4(const char *addr, int listen_backlog)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	inet_pton(AF_INET, addr, &a.sin_addr);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    (listen_backlog && listen(fd, listen_backlog)))
		return -1;
	return fd;
}

/* Check entry @e of socket @what: state, ports, uid */
static void check_entry(const char *what, const struct entry *e, int state,
			uint16_t sport, uint16_t dport)
{
	char d[160];

	snprintf(d, sizeof(d), "%s: listed", what);
	tap_result(e != NULL, d, "not in the dump");
	if (!e)
		return;
	snprintf(d, sizeof(d), "%s: state %d", what, state);
	tap_int(d, e->m.idiag_state, state);
	snprintf(d, sizeof(d), "%s: local port", what);
	tap_int(d, ntohs(e->m.id.idiag_sport), sport);
	snprintf(d, sizeof(d), "%s: remote port", what);
	tap_int(d, ntohs(e->m.id.idiag_dport), dport);
	snprintf(d, sizeof(d), "%s: uid", what);
	tap_int(d, e->m.idiag_uid, geteuid());
}

int main(int argc, char **argv)
{
	struct entry e[MAXSOCK];
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct sockaddr_in a4 = { .sin_family = AF_INET };
	int fd, l4, c4, s4, b4, l6, u4, u6, ret;
	uint16_t lport, cport, bport, l6port, uport, u6port;
	const struct entry *f;
	struct req q;
	size_t n;

	(void)argc;
	(void)argv;
	tap_watchdog(60);
	fd = nl_open();
	if (fd < 0) {
		printf("Bail out! no NETLINK_SOCK_DIAG socket: %s\n", strerror(errno));
		return 1;
	}
	/* the sockets */
	l4 = tcp4("127.0.0.1", 5);
	b4 = tcp4("127.0.0.1", 0);
	lport = port_of(l4);
	bport = port_of(b4);
	a4.sin_port = htons(lport);
	inet_pton(AF_INET, "127.0.0.1", &a4.sin_addr);
	c4 = socket(AF_INET, SOCK_STREAM, 0);
	if (l4 < 0 || b4 < 0 || c4 < 0 ||
	    connect(c4, (struct sockaddr *)&a4, sizeof(a4)) ||
	    (s4 = accept(l4, NULL, NULL)) < 0) {
		printf("Bail out! TCP sockets: %s\n", strerror(errno));
		return 1;
	}
	cport = port_of(c4);
	l6 = socket(AF_INET6, SOCK_STREAM, 0);
	if (l6 < 0 || bind(l6, (struct sockaddr *)&a6, sizeof(a6)) || listen(l6, 3)) {
		printf("Bail out! IPv6 listener: %s\n", strerror(errno));
		return 1;
	}
	l6port = port_of(l6);
	u4 = socket(AF_INET, SOCK_DGRAM, 0);
	a4.sin_port = 0;
	u6 = socket(AF_INET6, SOCK_DGRAM, 0);
	if (u4 < 0 || bind(u4, (struct sockaddr *)&a4, sizeof(a4)) || u6 < 0 ||
	    bind(u6, (struct sockaddr *)&a6, sizeof(a6))) {
		printf("Bail out! UDP sockets: %s\n", strerror(errno));
		return 1;
	}
	uport = port_of(u4);
	u6port = port_of(u6);
	a6.sin6_port = htons(uport);	/* any port will do for a connect */
	if (connect(u6, (struct sockaddr *)&a6, sizeof(a6))) {
		printf("Bail out! UDP connect: %s\n", strerror(errno));
		return 1;
	}

	/* TCP over IPv4, the twelve states (what ss before 6.5 asks) */
	ret = dump(fd, AF_INET, IPPROTO_TCP, 0xfff, e, &n);
	tap_int("TCP/IPv4 dump ends with NLMSG_DONE", ret, 0);
	tap_int("TCP/IPv4 dump: the listener and both ends, nothing else", n, 3);
	f = find(e, n, ino_of(l4));
	check_entry("listener", f, TCP_LISTEN, lport, 0);
	if (f) {
		tap_int("listener: Recv-Q is the queue of connections", f->m.idiag_rqueue, 0);
		tap_int("listener: Send-Q is the backlog", f->m.idiag_wqueue, 5);
		tap_int("listener: address", f->m.id.idiag_src[0], htonl(INADDR_LOOPBACK));
	}
	check_entry("client", find(e, n, ino_of(c4)), TCP_ESTABLISHED, cport, lport);
	check_entry("accepted", find(e, n, ino_of(s4)), TCP_ESTABLISHED, lport, cport);
	tap_result(!find(e, n, ino_of(b4)), "a TCP socket only bound is not listed",
		   "port %u listed", bport);
	/* ... and with TCP_BOUND_INACTIVE (13) asked for, it is, in CLOSE */
	ret = dump(fd, AF_INET, IPPROTO_TCP, 1u << 13, e, &n);
	tap_int("bound-inactive dump: the bound socket only", n, 1);
	check_entry("bound socket", find(e, n, ino_of(b4)), TCP_CLOSE, bport, 0);
	tap_result(!find(e, n, ino_of(l6)), "no IPv6 socket in an IPv4 dump", "listed");
	/* the states asked for */
	ret = dump(fd, AF_INET, IPPROTO_TCP, 1u << TCP_LISTEN, e, &n);
	tap_int("LISTEN only: the listener", n, 1);
	tap_result(ret == 0 && n == 1 && e[0].m.idiag_inode == (uint32_t)ino_of(l4),
		   "LISTEN only: that is the listener", "inode %u", n ? e[0].m.idiag_inode : 0);
	ret = dump(fd, AF_INET, IPPROTO_TCP, 1u << TCP_ESTABLISHED, e, &n);
	tap_int("ESTABLISHED only: both ends", n, 2);
	/* IPv6 */
	ret = dump(fd, AF_INET6, IPPROTO_TCP, ~0u, e, &n);
	tap_int("TCP/IPv6 dump: the listener", n, 1);
	f = find(e, n, ino_of(l6));
	check_entry("IPv6 listener", f, TCP_LISTEN, l6port, 0);
	tap_result(f && f->has_v6only && f->v6only == 1,
		   "IPv6 listener bound to ::1: IPV6_V6ONLY attribute 1",
		   "has %d, value %d", f ? f->has_v6only : -1, f ? f->v6only : -1);
	/* UDP */
	ret = dump(fd, AF_INET, IPPROTO_UDP, ~0u, e, &n);
	tap_int("UDP/IPv4 dump ends with NLMSG_DONE", ret, 0);
	tap_int("UDP/IPv4 dump: the bound socket", n, 1);
	check_entry("UDP socket", find(e, n, ino_of(u4)), TCP_CLOSE, uport, 0);
	ret = dump(fd, AF_INET6, IPPROTO_UDP, ~0u, e, &n);
	tap_int("UDP/IPv6 dump: the connected socket", n, 1);
	check_entry("connected IPv6 UDP socket", find(e, n, ino_of(u6)),
		    TCP_ESTABLISHED, u6port, uport);

	/* the attributes asked for: TCP_INFO and socket memory for TCP,
	 * memory for UDP; the shutdown bits always */
	ret = dump_bc(fd, AF_INET, IPPROTO_TCP, 1u << TCP_ESTABLISHED,
		      1 << (INET_DIAG_INFO - 1) | 1 << (INET_DIAG_SKMEMINFO - 1),
		      NULL, 0, e, &n);
	f = find(e, n, ino_of(c4));
	tap_result(f && f->info_len >= (int)offsetof(struct tcp_info, tcpi_rcv_space),
		   "INET_DIAG_INFO: a struct tcp_info", "%d bytes", f ? f->info_len : -2);
	tap_result(f && f->skmem_len == SK_MEMINFO_VARS * 4,
		   "INET_DIAG_SKMEMINFO: SK_MEMINFO_VARS counters", "%d bytes",
		   f ? f->skmem_len : -2);
	tap_result(f && f->has_shutdown, "INET_DIAG_SHUTDOWN: present", "absent");
	ret = dump_bc(fd, AF_INET, IPPROTO_UDP, ~0u,
		      1 << (INET_DIAG_INFO - 1) | 1 << (INET_DIAG_SKMEMINFO - 1),
		      NULL, 0, e, &n);
	f = find(e, n, ino_of(u4));
	tap_result(f && f->info_len < 0 && f->skmem_len == SK_MEMINFO_VARS * 4,
		   "UDP: memory, no TCP_INFO", "info %d, skmem %d",
		   f ? f->info_len : -2, f ? f->skmem_len : -2);
	bytecodes(fd, lport, ino_of(c4));

	/* one socket by its addresses: the client end */
	ret = dump(fd, AF_INET, IPPROTO_TCP, 1u << TCP_ESTABLISHED, e, &n);
	f = find(e, n, ino_of(c4));
	if (f) {
		req_init(&q, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST, AF_INET, IPPROTO_TCP, 0);
		q.r.id = f->m.id;
		ret = talk(fd, &q, q.h.nlmsg_len, e, MAXSOCK, &n);
		tap_result(ret == 0 && n == 1 && e[0].m.idiag_inode == (uint32_t)ino_of(c4),
			   "lookup by addresses and cookie finds the client",
			   "ret %d, %zu answers", ret, n);
		req_init(&q, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST, AF_INET, IPPROTO_TCP, 0);
		q.r.id = f->m.id;
		q.r.id.idiag_cookie[0] ^= 0x5555;
		tap_int("lookup with another cookie: ENOENT (TCP)",
			talk(fd, &q, q.h.nlmsg_len, e, MAXSOCK, &n), ENOENT);
		req_init(&q, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST, AF_INET, IPPROTO_TCP, 0);
		q.r.id = f->m.id;
		q.r.id.idiag_cookie[0] = q.r.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
		q.r.id.idiag_sport = htons(bport);
		q.r.id.idiag_dport = htons(1);
		tap_int("lookup of no such connection: ENOENT",
			talk(fd, &q, q.h.nlmsg_len, e, MAXSOCK, &n), ENOENT);
	} else {
		tap_result(0, "the client end for a lookup", "not found");
	}

	/* a UDP lookup: udp_dump_one() takes the request's destination as the
	 * socket's own address and port, its source as the remote's */
	req_init(&q, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST, AF_INET, IPPROTO_UDP, 0);
	q.r.id.idiag_src[0] = q.r.id.idiag_dst[0] = htonl(INADDR_LOOPBACK);
	q.r.id.idiag_sport = htons(9);
	q.r.id.idiag_dport = htons(uport);
	ret = talk(fd, &q, q.h.nlmsg_len, e, MAXSOCK, &n);
	tap_result(ret == 0 && n == 1 && e[0].m.idiag_inode == (uint32_t)ino_of(u4),
		   "UDP lookup of a datagram to the bound socket's port finds it",
		   "ret %d, %zu answers", ret, n);
	q.r.id.idiag_sport = htons(uport);
	q.r.id.idiag_dport = htons(9);
	tap_int("UDP lookup in the dump's orientation: ENOENT",
		talk(fd, &q, q.h.nlmsg_len, e, MAXSOCK, &n), ENOENT);

	/* malformed requests */
	req_init(&q, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, AF_MAX, 0, ~0u);
	tap_int("family AF_MAX: EINVAL", talk(fd, &q, q.h.nlmsg_len, e, MAXSOCK, &n), EINVAL);
	req_init(&q, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, AF_INET, IPPROTO_TCP, ~0u);
	q.h.nlmsg_len = NLMSG_LENGTH(1);
	tap_int("a request of 1 byte: EINVAL", talk(fd, &q, q.h.nlmsg_len, e, MAXSOCK, &n), EINVAL);
	req_init(&q, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, AF_INET, IPPROTO_TCP, ~0u);
	q.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct sock_diag_req));
	tap_int("an inet request of 2 bytes: EINVAL",
		talk(fd, &q, q.h.nlmsg_len, e, MAXSOCK, &n), EINVAL);
	req_init(&q, 30, NLM_F_REQUEST | NLM_F_DUMP, AF_INET, IPPROTO_TCP, ~0u);
	tap_int("message type 30: EINVAL", talk(fd, &q, q.h.nlmsg_len, e, MAXSOCK, &n), EINVAL);
	req_init(&q, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, AF_INET, IPPROTO_TCP, ~0u);
	{
		struct rtattr *a = (struct rtattr *)((uint8_t *)&q + q.h.nlmsg_len);

		a->rta_type = INET_DIAG_REQ_BYTECODE;
		a->rta_len = RTA_LENGTH(3);
		memset(RTA_DATA(a), 0, 3);
		q.h.nlmsg_len += RTA_ALIGN(a->rta_len);
	}
	tap_int("a bytecode of 3 bytes: EINVAL", talk(fd, &q, q.h.nlmsg_len, e, MAXSOCK, &n), EINVAL);
	tap_int("the socket still answers",
		dump(fd, AF_INET, IPPROTO_TCP, 1u << TCP_LISTEN, e, &n), 0);
	close(fd);
	return tap_done();
}
