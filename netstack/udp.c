/* SPDX-License-Identifier: MIT */
/*
 * udp.c - UDP sockets: lwIP's udp_pcb behind an AF_UNIX datagram pair.
 *
 * Datagrams from the network are written into the program's end at once,
 * so read(), recv() and poll() work natively; their addresses wait in a
 * queue (struct dgram_meta).  A trapped recvfrom()/recvmsg() that asks for
 * the address pulls the next datagram out of the program's end itself
 * (the supervisor holds that end for this), finds its address, and copies
 * both to the program.  Datagrams the program sends without an address
 * arrive on sv and go to the connected peer; sends with an address are
 * trapped and go straight to udp_sendto().
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "lwip/ip.h"
#include "lwip/pbuf.h"
#include "lwip/udp.h"

#include "internal.h"
#include "log.h"

#define SV_SNDBUF	(4 * 1024 * 1024)	/* capped by wmem_max */
#define MQ_MAX		4096

/*
 * Tells a datagram from its neighbours in the queue: FNV-1a over the
 * length and the first HASH_HEAD bytes, so the per-datagram cost does not
 * grow with the payload.
 */
#define HASH_HEAD	256

static uint64_t hash(const uint8_t *p, size_t n)
{
	uint64_t h = (0xcbf29ce484222325ull ^ n) * 0x100000001b3ull;
	size_t i;

	for (i = 0; i < n && i < HASH_HEAD; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

static void on_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p,
		    const ip_addr_t *addr, u16_t port)
{
	struct sock *s = arg;
	struct dgram_meta *m;
	u16_t n;

	n = pbuf_copy_partial(p, s->ns->iobuf, p->tot_len, 0);
	pbuf_free(p);
	if (s->mq_len >= MQ_MAX)
		return;
	m = calloc(1, sizeof(*m));
	if (!m)
		return;
	if (send(s->sv, s->ns->iobuf, n, MSG_DONTWAIT | MSG_NOSIGNAL) != n) {
		free(m);	/* the program's queue is full: dropped */
		return;
	}
	ip_addr_copy(m->src, *addr);
	ip_addr_copy(m->dst, *ip_current_dest_addr());
	m->sport = port;
	m->ttl = 64;
	m->len = n;
	m->hash = hash(s->ns->iobuf, n);
	if (s->mq_tail)
		s->mq_tail->next = m;
	else
		s->mq_head = m;
	s->mq_tail = m;
	s->mq_len++;
	ns__retry_waiters(s, W_RECV, ns__udp_recv_call);
}

/**
 * ns__udp_open() - give the socket its lwIP pcb
 * @s:		the socket
 *
 * Return: 0 or -ENOMEM
 */
int ns__udp_open(struct sock *s)
{
	u8_t type = s->family == AF_INET ? IPADDR_TYPE_V4 : IPADDR_TYPE_ANY;
	int v = SV_SNDBUF;

	s->pcb.udp = udp_new_ip_type(type);
	if (!s->pcb.udp)
		return -ENOMEM;
	udp_recv(s->pcb.udp, on_recv, s);
	setsockopt(s->sv, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v));
	ns__sock_poll(s, UV_READABLE);
	return 0;
}

/**
 * ns__udp_bind() - bind() on a UDP socket
 * @s:		the socket
 * @ip:		local address
 * @port:	local port or 0
 *
 * Return: 0 or a negative errno
 */
int ns__udp_bind(struct sock *s, const ip_addr_t *ip, uint16_t port)
{
	ip_addr_t a;
	err_t e;

	if (s->pcb.udp->local_port)
		return -EINVAL;
	if (!ns__addr_is_local(ip))
		return -EADDRNOTAVAIL;
	ip_addr_copy(a, *ip);
	if (s->family == AF_INET6 && IP_IS_V6(ip) && ip_addr_isany(ip))
		a = s->v6only ? *IP6_ADDR_ANY : *IP_ANY_TYPE;
	if (s->reuseaddr)
		ip_set_option(s->pcb.udp, SOF_REUSEADDR);
	e = udp_bind(s->pcb.udp, &a, port);
	if (e == ERR_USE) {
		ns__scan(s->ns);
		e = udp_bind(s->pcb.udp, &a, port);
	}
	return ns__err_lwip(e);
}

/**
 * ns__udp_connect() - connect() on a UDP socket; NULL @ip disconnects
 * @s:		the socket
 * @ip:		peer, or NULL for AF_UNSPEC
 * @port:	peer port
 *
 * Return: 0 or a negative errno
 */
int ns__udp_connect(struct sock *s, const ip_addr_t *ip, uint16_t port)
{
	struct netif *n;

	if (!ip) {
		udp_disconnect(s->pcb.udp);
		return 0;
	}
	n = ip_route(IP_IS_V4(ip) ? IP4_ADDR_ANY : IP6_ADDR_ANY, ip);
	if (!n)
		return -ENETUNREACH;
	return ns__err_lwip(udp_connect(s->pcb.udp, ip, port));
}

/**
 * ns__udp_sendto() - send one datagram
 * @s:		the socket
 * @data:	payload
 * @len:	its length
 * @ip:		destination, or NULL for the connected peer
 * @port:	destination port
 * @o:		TTL, TOS and source for this datagram, or NULL for the socket's
 *
 * Return: @len or a negative errno
 */
int64_t ns__udp_sendto(struct sock *s, const void *data, size_t len,
		       const ip_addr_t *ip, uint16_t port,
		       const struct ns_sendopts *o)
{
	struct udp_pcb *u = s->pcb.udp;
	struct netif *netif;
	struct pbuf *p;
	err_t e;

	if (!ip && !(u->flags & UDP_FLAGS_CONNECTED))
		return -EDESTADDRREQ;
	if (!ip) {
		ip = &u->remote_ip;
		port = u->remote_port;
	}
	/*
	 * IPv4: 65535 less the IP and UDP headers, as Linux.  IPv6: Linux
	 * allows 65527 (the payload length excludes the IPv6 header), but
	 * lwIP keeps a whole packet's length in 16 bits, so the IPv6 header
	 * must fit too: 65487.
	 */
	if (len > (IP_IS_V6(ip) ? 65487u : 65507u))
		return -EMSGSIZE;
	/* Big payloads leave no room for headers in one pbuf: lwIP chains
	 * a header pbuf in front of a PBUF_RAW one. */
	p = pbuf_alloc(len > 65535 - 128 ? PBUF_RAW : PBUF_TRANSPORT, (u16_t)len,
		       PBUF_RAM);
	if (!p)
		return -ENOBUFS;
	memcpy(p->payload, data, len);
	u->ttl = (u8_t)(o ? o->ttl : s->ttl);
	u->tos = (u8_t)(o ? o->tos : s->tos);
	if (o && o->has_src) {
		netif = ip_route(&o->src, ip);
		e = netif ? udp_sendto_if_src(u, p, ip, port, netif, &o->src) : ERR_RTE;
	} else {
		e = udp_sendto(u, p, ip, port);
	}
	u->ttl = (u8_t)s->ttl;
	u->tos = (u8_t)s->tos;
	pbuf_free(p);
	if (e != ERR_OK)
		return ns__err_lwip(e);
	return (int64_t)len;
}

/* A zero-length read on a SEQPACKET pair is an empty datagram or EOF. */
static bool sv_eof(struct sock *s)
{
	struct pollfd pfd = { .fd = s->sv, .events = POLLRDHUP };

	return poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLRDHUP | POLLHUP));
}

/* Datagrams the program sent on its end without an address. */
void ns__udp_io(struct sock *s, int status, int events)
{
	int rounds = 64;

	if (status < 0) {
		/* POLLERR: closed with datagrams unread in the program's end. */
		ns__sock_end(s);
		return;
	}
	while (rounds--) {
		ssize_t n = recv(s->sv, s->ns->iobuf, NS_IOBUF, MSG_DONTWAIT);

		if (n < 0)
			break;
		if (n == 0 && sv_eof(s)) {
			ns__sock_end(s);	/* closed, or shutdown(SHUT_WR) */
			return;
		}
		if (s->pcb.udp && (s->pcb.udp->flags & UDP_FLAGS_CONNECTED))
			ns__udp_sendto(s, s->ns->iobuf, (size_t)n, NULL, 0, NULL);
	}
}

static struct dgram_meta *meta_find(struct sock *s, size_t len, uint64_t h,
				    bool peek)
{
	struct dgram_meta *m;

	/* Entries before the match were read natively: drop them. */
	while ((m = s->mq_head) && !(m->len == len && m->hash == h)) {
		s->mq_head = m->next;
		if (!s->mq_head)
			s->mq_tail = NULL;
		s->mq_len--;
		free(m);
	}
	if (!m || peek)
		return m;
	s->mq_head = m->next;
	if (!s->mq_head)
		s->mq_tail = NULL;
	s->mq_len--;
	m->next = NULL;
	return m;
}

/**
 * ns__udp_recv() - receive one datagram with its address for the program
 * @s:		the socket
 * @c:		the call
 * @fd:		the program's fd
 * @iov:	the program's buffers (tracee addresses)
 * @iovcnt:	their number
 * @addr:	program's sockaddr buffer or 0
 * @lenp:	program's socklen_t pointer (recvfrom), or 0
 * @msg:	program's msghdr (recvmsg), or 0
 * @flags:	MSG_PEEK, MSG_TRUNC, MSG_DONTWAIT
 *
 * Return: bytes received, NS_PARKED, or a negative errno
 */
int64_t ns__udp_recv(struct sock *s, struct trc_call *c, int fd,
		     const struct iovec *iov, int iovcnt, uint64_t addr,
		     uint64_t lenp, uint64_t msg, int flags)
{
	struct dgram_meta *m;
	ip_addr_t src;
	uint16_t sport = 0;
	size_t total = 0, n, copy;
	ssize_t got;
	int i, ret, nb;

	i = ns__tref_get(s, trc_call_pid(c), fd);
	if (i < 0)
		return i;
	got = recv(i, s->ns->iobuf, NS_IOBUF,
		   MSG_DONTWAIT | MSG_TRUNC | (flags & MSG_PEEK));
	ret = got < 0 ? -errno : 0;
	ns__tref_put(s, i);
	if (got < 0) {
		if (ret != -EAGAIN && ret != -EWOULDBLOCK)
			return ret;
		nb = ns__call_nonblock(c, fd, flags, MSG_DONTWAIT);
		if (nb < 0)
			return nb;
		if (nb)
			return -EAGAIN;
		return ns__park(s, c, W_RECV, fd);
	}
	n = (size_t)got > NS_IOBUF ? NS_IOBUF : (size_t)got;
	m = meta_find(s, (size_t)got, hash(s->ns->iobuf, n), flags & MSG_PEEK);
	ip_addr_set_zero(&src);
	if (m) {
		ip_addr_copy(src, m->src);
		sport = m->sport;
		if (!(flags & MSG_PEEK))
			free(m);
	}
	for (i = 0; i < iovcnt; i++)
		total += iov[i].iov_len;
	copy = n < total ? n : total;
	{
		struct iovec l = { s->ns->iobuf, copy };
		struct iovec r[64];
		size_t left = copy;
		int k;

		for (k = 0; k < iovcnt && k < 64 && left; k++) {
			r[k] = iov[k];
			if (r[k].iov_len > left)
				r[k].iov_len = left;
			left -= r[k].iov_len;
		}
		if ((ret = trc_mem_writev(c, &l, 1, r, (unsigned long)k)))
			return ret;
	}
	if (msg) {
		struct msghdr mh;
		uint32_t nl;

		if (trc_mem_read(c, msg, &mh, sizeof(mh)))
			return -EFAULT;
		nl = mh.msg_namelen;
		if (mh.msg_name &&
		    ns__addr_put_len(c, s, &src, sport, (uint64_t)(uintptr_t)mh.msg_name, &nl))
			return -EFAULT;
		mh.msg_namelen = mh.msg_name ? nl : 0;
		mh.msg_controllen = 0;
		mh.msg_flags = (size_t)got > total ? MSG_TRUNC : 0;
		if (trc_mem_write(c, msg, &mh, sizeof(mh)))
			return -EFAULT;
	} else if (addr && (ret = ns__addr_put(c, s, &src, sport, addr, lenp))) {
		return ret;
	}
	return (flags & MSG_TRUNC) ? got : (int64_t)copy;
}

/**
 * ns__udp_names() - local or peer address of a UDP socket
 * @s:		the socket
 * @peer:	the peer's, not the local one
 * @ip:		set to the address
 * @port:	set to the port
 *
 * Return: (void)
 */
void ns__udp_names(struct sock *s, bool peer, ip_addr_t *ip, uint16_t *port)
{
	struct udp_pcb *u = s->pcb.udp;

	if (peer) {
		ip_addr_copy(*ip, u->remote_ip);
		*port = (u->flags & UDP_FLAGS_CONNECTED) ? u->remote_port : 0;
	} else {
		ip_addr_copy(*ip, u->local_ip);
		*port = u->local_port;
	}
}

/**
 * ns__udp_close() - remove the pcb and the queued addresses
 * @s:		the socket
 */
void ns__udp_close(struct sock *s)
{
	struct dgram_meta *m;

	if (s->pcb.udp)
		udp_remove(s->pcb.udp);
	s->pcb.udp = NULL;
	while ((m = s->mq_head)) {
		s->mq_head = m->next;
		free(m);
	}
	s->mq_tail = NULL;
	s->mq_len = 0;
}
