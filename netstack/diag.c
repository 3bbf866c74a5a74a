/* SPDX-License-Identifier: MIT */
/*
 * diag.c - the sandbox's sockets as NETLINK_SOCK_DIAG reports them
 * (rtnl_diag.c answers; this lists): each TCP, UDP and raw socket of the
 * program, and lwIP's TCP connections that have no socket of their own:
 * closed by the program but not done (FIN_WAIT_*, LAST_ACK, TIME_WAIT),
 * or not yet accepted (SYN_RECV), as Linux's tables hold them.
 *
 * A socket the supervisor holds (listeners, datagram sockets, the local
 * shortcut's; see "Last close") learns of the program's last close only
 * from a scan of the sandbox's fds: one scan per request tells which of
 * them the program still has, and the others are not listed (they are
 * freed by the regular scans, not here: a request may come from a socket
 * being closed).
 *
 * The queues are what the supervisor sees: Recv-Q is what lwIP holds for
 * the program plus what waits in its end of the AF_UNIX pair (that pair's
 * buffer use, as SIOCOUTQ counts it, a little above the bytes), Send-Q
 * what the program wrote that lwIP has not had acknowledged; a listener's
 * are its waiting connections and its backlog, as Linux's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/sockios.h>

#include "lwip/tcp.h"
#include "lwip/priv/tcp_priv.h"

#include "internal.h"
#include "md5.h"
#include "rtnl.h"
#include "trc.h"

/* lwIP's TCP states as Linux's TCP_* */
static uint8_t lwip_state(enum tcp_state st)
{
	switch (st) {
	case LISTEN:		return TCP_LISTEN;
	case SYN_SENT:		return TCP_SYN_SENT;
	case SYN_RCVD:		return TCP_SYN_RECV;
	case ESTABLISHED:	return TCP_ESTABLISHED;
	case FIN_WAIT_1:	return TCP_FIN_WAIT1;
	case FIN_WAIT_2:	return TCP_FIN_WAIT2;
	case CLOSE_WAIT:	return TCP_CLOSE_WAIT;
	case CLOSING:		return TCP_CLOSING;
	case LAST_ACK:		return TCP_LAST_ACK;
	case TIME_WAIT:		return TCP_TIME_WAIT;
	default:		return TCP_CLOSE;
	}
}

/* A socket without a pcb (a local shortcut, the fast path), by what the
 * supervisor knows of its two directions */
static uint8_t sock_state(const struct sock *s)
{
	switch (s->state) {
	case SK_LISTEN:
		return TCP_LISTEN;
	case SK_CONNECTING:
		return TCP_SYN_SENT;
	case SK_CONNECTED:
		if (s->rx_fin && s->tx_eof)
			return TCP_CLOSE;
		if (s->rx_fin)
			return TCP_CLOSE_WAIT;
		return s->tx_eof ? TCP_FIN_WAIT2 : TCP_ESTABLISHED;
	default:
		return TCP_CLOSE;
	}
}

/* @ip as the socket's getsockname()/getpeername() give it: 4 bytes, or 16
 * (an IPv4 address v4-mapped) for an IPv6 socket */
static void sock_ip(const struct sock *s, const ip_addr_t *ip, uint8_t out[16])
{
	struct sockaddr_storage ss;

	ns__addr_to_sa(s, ip, 0, &ss);
	if (s->family == AF_INET)
		memcpy(out, &((struct sockaddr_in *)&ss)->sin_addr, 4);
	else
		memcpy(out, &((struct sockaddr_in6 *)&ss)->sin6_addr, 16);
}

/**
 * ns__ioctl_count() - a byte count an ioctl gives of one of the supervisor's
 *		       fds (SIOCINQ, SIOCOUTQ: on sv, what the program's end
 *		       has yet to read is sv's SIOCOUTQ)
 * @fd:		the fd, or -1
 * @req:	the request
 *
 * Return: the count, 0 when there is none or it cannot be read
 */
uint32_t ns__ioctl_count(int fd, unsigned long req)
{
	int n = 0;

	if (fd < 0 || ioctl(fd, req, &n) || n < 0)
		return 0;
	return (uint32_t)n;
}

static uint32_t pcb_unacked(const struct tcp_pcb *p)
{
	return p->state == LISTEN ? 0 : (uint32_t)(p->snd_lbb - p->lastack);
}

static void fill_tcp(struct sock *s, bool want_info, struct rtnl_sockinfo *i)
{
	struct tcp_pcb *p = s->pcb.tcp;
	ip_addr_t ip;
	uint16_t port;

	i->protocol = IPPROTO_TCP;
	snprintf(i->cong, sizeof(i->cong), "%s", ns__cc(s));
	if (s->state == SK_LISTEN)
		i->state = TCP_LISTEN;
	else if (p && s->state != SK_NEW && !s->direct && !s->host)
		i->state = lwip_state(p->state);
	else
		i->state = sock_state(s);
	ns__tcp_names(s, false, &ip, &port);
	sock_ip(s, &ip, i->src);
	i->sport = port;
	i->bound = s->state == SK_NEW && port;
	if (i->state != TCP_LISTEN) {
		ns__tcp_names(s, true, &ip, &port);
		sock_ip(s, &ip, i->dst);
		i->dport = port;
	}
	i->shutdown = (s->rx_fin ? 1 : 0) | (s->prog_shut_wr || s->tx_eof ? 2 : 0);
	if (i->state == TCP_LISTEN) {
		const struct sock *c;

		for (c = s->acc_head; c; c = c->acc_next)
			i->rqueue++;
		if (p)	/* ns__tcp_listen() gave lwIP one more */
			i->wqueue = ((const struct tcp_pcb_listen *)(const void *)p)->backlog - 1u;
	} else if (s->state == SK_CONNECTED && !s->host && !s->direct) {
		i->rqueue = s->rxq_bytes + ns__ioctl_count(s->sv, SIOCOUTQ);
		i->wqueue = ns__ioctl_count(s->sv, SIOCINQ) + (p ? pcb_unacked(p) : 0);
	}
	if (want_info) {
		ns__tcp_info_fill(s, &i->info);
		i->info.tcpi_state = i->state;
		i->has_info = true;
	}
}

/* Is @s one the program would see in `ss`? Sockets of the supervisor's
 * own (forwarded TCP relays) and ping sockets (no diag in Linux) are not. */
static bool shown(const struct sock *s)
{
	if (s->family != AF_INET && s->family != AF_INET6)
		return false;
	if (s->fwd)
		return false;
	return s->type == SOCK_STREAM || s->type == SOCK_RAW ||
	       (s->type == SOCK_DGRAM && s->proto == IPPROTO_UDP);
}

static int ptr_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(void *const *)a, y = (uintptr_t)*(void *const *)b;

	return x < y ? -1 : x > y;
}

/* A pcb's cookie: stable while it lives, and no supervisor address shown
 * to the program (MD5 of a random key and the pointer) */
static uint64_t pcb_cookie(const struct tcp_pcb *p)
{
	uint8_t d[MD5_DIGEST_LEN];
	struct md5 m;
	uint64_t c;

	md5_init(&m);
	md5_update(&m, md5_secret(), MD5_DIGEST_LEN);
	md5_update(&m, &p, sizeof(p));
	md5_final(&m, d);
	memcpy(&c, d, sizeof(c));
	return c | (uint64_t)1 << 63;	/* never a socket's counter */
}

/* lwIP's connections no socket of the program has, from @list */
static size_t add_pcbs(struct tcp_pcb *list, void **owned, size_t n_owned,
		       uint32_t uid, struct rtnl_sockinfo *out, size_t room)
{
	struct tcp_pcb *p;
	size_t n = 0;

	for (p = list; p && n < room; p = p->next) {
		struct rtnl_sockinfo *i = &out[n];
		void *key = p;

		if (bsearch(&key, owned, n_owned, sizeof(*owned), ptr_cmp))
			continue;
		memset(i, 0, sizeof(*i));
		i->protocol = IPPROTO_TCP;
		i->state = lwip_state(p->state);
		ns__ip_to_bytes(&p->local_ip, &i->family, i->src);
		ns__ip_to_bytes(&p->remote_ip, &i->family, i->dst);
		i->sport = p->local_port;
		i->dport = p->remote_port;
		i->wqueue = pcb_unacked(p);
		i->uid = uid;
		i->cookie = pcb_cookie(p);
		n++;
	}
	return n;
}

/* Socket inodes some process of the sandbox has open, sorted */
struct live {
	uint64_t *ino;
	size_t n, cap;
	bool failed;
};

static void live_add(void *data, uint64_t ino)
{
	struct live *l = data;

	if (l->failed)
		return;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		uint64_t *p = realloc(l->ino, cap * sizeof(*p));

		if (!p) {
			l->failed = true;
			return;
		}
		l->ino = p;
		l->cap = cap;
	}
	l->ino[l->n++] = ino;
}

static int ino_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Fills @l when some socket is held; false when nothing can be told
 * (no scan needed, or it failed): then every socket is listed */
static bool live_scan(struct ns *ns, struct live *l)
{
	memset(l, 0, sizeof(*l));
	if (!ns->held || !ns->trc)
		return false;
	if (trc_scan_sockets(ns->trc, live_add, l) || l->failed) {
		free(l->ino);
		l->ino = NULL;
		return false;
	}
	if (l->n)	/* no inode at all: l->ino is NULL */
		qsort(l->ino, l->n, sizeof(*l->ino), ino_cmp);
	return true;
}

static bool closed_held(const struct sock *s, const struct live *l, bool known)
{
	return known && s->held &&
	       (!l->n || !bsearch(&s->ino, l->ino, l->n, sizeof(*l->ino), ino_cmp));
}

static size_t count_pcbs(const struct tcp_pcb *p)
{
	size_t n = 0;

	for (; p; p = p->next)
		n++;
	return n;
}

/**
 * ns__sock_meminfo() - SO_MEMINFO: sk_get_meminfo()'s counters, as inet_diag
 *			 reports them (rtnl_sock_meminfo())
 * @s:		an AF_INET or AF_INET6 socket
 * @mem:	RTNL_MEMINFO_VARS counters, filled in
 */
void ns__sock_meminfo(struct sock *s, uint32_t *mem)
{
	struct rtnl_sockinfo i;

	memset(&i, 0, sizeof(i));
	i.rcvbuf = (uint32_t)ns__sock_buf(s, true);
	i.sndbuf = (uint32_t)ns__sock_buf(s, false);
	if (s->type == SOCK_STREAM)
		fill_tcp(s, false, &i);
	else	/* ping sockets too, which inet_diag does not list */
		i.rqueue = ns__ioctl_count(s->sv, SIOCOUTQ);
	rtnl_sock_meminfo(&i, mem);
}

/**
 * ns__diag_socks() - rtnl_socks_fn: the sandbox's sockets, oldest first
 * @arg:	the stack (struct ns)
 * @want_info:	fill TCP_INFO of TCP sockets
 * @out:	set to a malloc()ed array
 * @n:		set to its length
 *
 * Return: 0, or -ENOMEM
 */
int ns__diag_socks(void *arg, bool want_info, struct rtnl_sockinfo **out,
		   size_t *n)
{
	struct ns *ns = arg;
	size_t room = ns->nsocks + count_pcbs(tcp_active_pcbs) +
		      count_pcbs(tcp_tw_pcbs) + 1, k = 0, n_owned = 0;
	uint32_t uid = (uint32_t)geteuid();
	struct rtnl_sockinfo *all;
	struct sock *s, *last = NULL;
	struct live live;
	bool known;
	void **owned;

	all = calloc(room, sizeof(*all));
	owned = calloc(ns->nsocks + 1, sizeof(*owned));
	if (!all || !owned) {
		free(all);
		free(owned);
		return -ENOMEM;
	}
	for (s = ns->all; s; s = s->next) {
		if (s->type == SOCK_STREAM && s->pcb.tcp &&
		    (s->family == AF_INET || s->family == AF_INET6))
			owned[n_owned++] = s->pcb.tcp;
		last = s;
	}
	qsort(owned, n_owned, sizeof(*owned), ptr_cmp);
	known = live_scan(ns, &live);
	for (s = last; s && k < room; s = s->prev) {
		struct rtnl_sockinfo *i = &all[k];
		ip_addr_t ip;
		uint16_t port;

		if (!shown(s) || closed_held(s, &live, known))
			continue;
		i->family = (uint8_t)s->family;
		i->v6only = s->v6only;
		i->tos = (uint8_t)ns__tos(s, true);	/* inet->tos */
		i->tclass = (uint8_t)s->tos;		/* AF_INET6: np->tclass */
		i->ifindex = s->bound_ifindex;
		i->rcvbuf = (uint32_t)ns__sock_buf(s, true);
		i->sndbuf = (uint32_t)ns__sock_buf(s, false);
		i->uid = s->uid;
		i->ino = s->ino;
		i->cookie = s->cookie;
		i->port_locked = s->port_locked;
		if (s->type == SOCK_STREAM) {
			fill_tcp(s, want_info, i);
		} else if (s->type == SOCK_RAW) {
			i->protocol = IPPROTO_RAW;
			i->state = ns__raw_connected(s) ? TCP_ESTABLISHED : TCP_CLOSE;
			ns__raw_names(s, false, &ip, &port);
			sock_ip(s, &ip, i->src);
			i->sport = (uint16_t)s->proto;
			ns__raw_names(s, true, &ip, &port);
			sock_ip(s, &ip, i->dst);
			i->rqueue = ns__ioctl_count(s->sv, SIOCOUTQ);
		} else {
			i->protocol = IPPROTO_UDP;
			ns__udp_names(s, false, &ip, &port);
			sock_ip(s, &ip, i->src);
			i->sport = port;
			ns__udp_names(s, true, &ip, &port);
			i->dport = port;
			if (port)
				sock_ip(s, &ip, i->dst);
			i->state = port ? TCP_ESTABLISHED : TCP_CLOSE;
			i->rqueue = ns__ioctl_count(s->sv, SIOCOUTQ);
		}
		k++;
	}
	k += add_pcbs(tcp_active_pcbs, owned, n_owned, uid, all + k, room - k);
	k += add_pcbs(tcp_tw_pcbs, owned, n_owned, uid, all + k, room - k);
	free(owned);
	free(live.ino);
	*out = all;
	*n = k;
	return 0;
}
