// SPDX-License-Identifier: MIT
/*
 * publish.c - published ports: `-p [HOSTADDR:]HOSTPORT:PORT[/tcp]` and
 * `publish`, as `docker run -p`.
 *
 * The supervisor listens on the host at HOSTADDR:HOSTPORT.  A connection
 * that arrives there is accepted on the host and queued on the sandbox's
 * listener for PORT (a TCP listener bound to the wildcard or to the
 * uplink's address); the program's accept() then gets the host socket
 * itself, so the data runs at the host kernel's speed, as on the fast path
 * (hostsock.c).  The program sees the connection as arriving through the
 * uplink: its local address is the uplink's, and the client's address is
 * the client's own, except that a client from the host's 127.0.0.1 (::1)
 * appears as the uplink's gateway (10.0.2.2, fd00::2), by the device's own
 * mapping (vdev_host_from_host()), as slirp4netns shows it.  With no listener for PORT the connection is reset.
 *
 * A UDP port (`/udp`) is a pinned flow of the uplink device
 * (vdev_host_publish_udp()): datagrams to the host socket are delivered to
 * the uplink's address and PORT, from the client as the uplink presents
 * it, and the program's answers to that client leave from the published
 * socket.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "internal.h"
#include "log.h"
#include "netint.h"

/* Connections a listener may have waiting for accept(), Linux's somaxconn */
#define PUB_BACKLOG	4096

/**
 * struct net_pub - one published port
 */
struct net_pub {
	struct net_pub *next;
	struct net *net;
	struct net_publish p;
	int fd;			/* the host listener (TCP); UDP: the device's */
	uv_poll_t *poll;	/* on it (TCP); its own allocation */
	uint32_t ifindex;	/* UDP: the uplink device holding the socket */
	uint64_t accepted, refused;
};

/**
 * ns__uplink_view() - the uplink and the sandbox's address on it for one
 * family, from the default route, when that leads out of the uplink
 * @n:		the network
 * @fam:	AF_INET or AF_INET6
 * @local:	set to the sandbox's source address through it
 *
 * Return: the uplink device when the default route of @fam leaves through
 * it, else NULL
 */
struct net_dev *ns__uplink_view(struct net *n, uint8_t fam, ip_addr_t *local)
{
	static const uint8_t zero[16];
	struct rt_result res;
	const struct rt_nexthop *nh;
	uint8_t src[16];

	if (net_route_get(n, fam, zero, 0, &res, src) || !res.route.n_nh)
		return NULL;
	nh = &res.route.nh[res.nh];
	if (!net_dev_is_uplink(n, nh->ifindex))
		return NULL;
	ns__ip_from_bytes(fam, src, local);
	return net__dev(n, nh->ifindex);
}

/* The sandbox's listener for a connection to @port of family @fam. */
static struct sock *find_listener(struct ns *ns, uint8_t fam, uint16_t port,
				  const ip_addr_t *local)
{
	struct sock *s, *best = NULL;

	for (s = ns->all; s; s = s->next) {
		if (s->state != SK_LISTEN || s->host || s->type != SOCK_STREAM ||
		    s->lport != port)
			continue;
		if (fam == AF_INET && s->family == AF_INET6 && s->v6only)
			continue;
		if (fam == AF_INET6 && s->family == AF_INET)
			continue;
		if (ip_addr_cmp(&s->lip, local))
			return s;	/* bound to the uplink's address */
		if (ip_addr_isany(&s->lip) && (!best || best->family != fam))
			best = s;	/* the wildcard; of the same family first */
	}
	return best;
}

static void refuse(int h)
{
	struct linger lg = { 1, 0 };

	setsockopt(h, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));	/* RST */
	close(h);
}

/* Connections queued on a listener, counted up to PUB_BACKLOG. */
static unsigned int queued(const struct sock *l)
{
	const struct sock *c;
	unsigned int n = 0;

	for (c = l->acc_head; c && n < PUB_BACKLOG; c = c->acc_next)
		n++;
	return n;
}

static void one_conn(struct net_pub *pb, int h, const struct sockaddr_storage *ss)
{
	struct net *n = pb->net;
	ip_addr_t local, peer;
	struct net_dev *d;
	uint8_t fam = pb->p.family, a[16] = { 0 };
	uint16_t cport;
	struct sock *l;

	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)ss;

		memcpy(a, &s6->sin6_addr, 16);
		cport = ntohs(s6->sin6_port);
		if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
			memmove(a, a + 12, 4);
			memset(a + 4, 0, 12);
			fam = AF_INET;
		}
	} else {
		const struct sockaddr_in *s4 = (const void *)ss;

		memcpy(a, &s4->sin_addr, 4);
		cport = ntohs(s4->sin_port);
		fam = AF_INET;
	}
	if (!(d = ns__uplink_view(n, fam, &local))) {
		debug("publish %u: no uplink route for the client's family",
		      pb->p.host_port);
		pb->refused++;
		refuse(h);
		return;
	}
	vdev_host_from_host(d->vdev, fam == AF_INET6, a);
	ns__ip_from_bytes(fam, a, &peer);
	l = find_listener(n->ns, fam, pb->p.port, &local);
	if (!l) {
		debug("publish %u: nothing listens on port %u: reset",
		      pb->p.host_port, pb->p.port);
		pb->refused++;
		refuse(h);
		return;
	}
	if (queued(l) >= PUB_BACKLOG) {
		/* the program does not accept: as a full backlog, refused
		 * (the fds would pile up in the supervisor) */
		debug("publish %u: %u connections wait for accept(): reset",
		      pb->p.host_port, PUB_BACKLOG);
		pb->refused++;
		refuse(h);
		return;
	}
	if (ns__tcp_queue_host(l, h, &local, pb->p.port, &peer, cport)) {
		pb->refused++;
		return;
	}
	pb->accepted++;
}

static void on_listener(uv_poll_t *hd, int status, int events)
{
	struct net_pub *pb = hd->data;
	struct sockaddr_storage ss;
	socklen_t len;
	int h, i;

	(void)events;
	if (status < 0)
		return;
	/* A few at a time: the loop has other work. */
	for (i = 0; i < 16; i++) {
		len = sizeof(ss);
		h = accept4(pb->fd, (struct sockaddr *)&ss, &len, SOCK_CLOEXEC);
		if (h < 0) {
			if (errno != EAGAIN && errno != EINTR &&
			    errno != ECONNABORTED)
				warn("publish %u: accept: %s", pb->p.host_port,
				     strerror(errno));
			return;
		}
		one_conn(pb, h, &ss);
	}
}

static bool same(const struct net_publish *a, const struct net_publish *b)
{
	return a->proto == b->proto && a->family == b->family &&
	       a->host_port == b->host_port &&
	       !memcmp(a->addr, b->addr, a->family == AF_INET ? 4 : 16);
}

static void pub_free(struct net_pub *pb)
{
	struct net_dev *d;

	if (pb->p.proto == IPPROTO_UDP) {
		/* the device owns the socket; gone with it if it is gone */
		d = pb->ifindex ? net__dev(pb->net, pb->ifindex) : NULL;
		if (d && pb->fd >= 0)
			vdev_host_unpublish_udp(d->vdev, pb->fd);
		free(pb);
		return;
	}
	if (pb->poll)
		uv_close((uv_handle_t *)pb->poll, (uv_close_cb)free);
	if (pb->fd >= 0)
		close(pb->fd);
	free(pb);
}

static socklen_t host_sa(const struct net_publish *p, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (p->family == AF_INET) {
		struct sockaddr_in *s4 = (void *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(p->host_port);
		memcpy(&s4->sin_addr, p->addr, 4);
		return sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (void *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(p->host_port);
		memcpy(&s6->sin6_addr, p->addr, 16);
		return sizeof(*s6);
	}
}

/* A UDP port: a host socket handed to the uplink device as a pinned
 * flow.  @pb is linked in on success, freed on failure. */
static int publish_udp(struct net *n, struct net_pub *pb, char *err,
		       size_t errlen)
{
	const struct net_publish *p = &pb->p;
	struct sockaddr_storage ss;
	struct net_dev *d;
	ip_addr_t local;
	uint8_t inner[16], fam;
	int one = 1, fd, ret;
	bool v6 = p->family == AF_INET6;

	d = ns__uplink_view(n, p->family, &local);
	if (d)
		ns__ip_to_bytes(&local, &fam, inner);
	if (!d) {
		net__seterr(err, errlen, "no %s default route through the host "
			    "uplink", v6 ? "IPv6" : "IPv4");
		free(pb);
		return -ENETUNREACH;
	}
	fd = socket(p->family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		ret = -errno;
		free(pb);
		return ret;
	}
	if (v6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	setsockopt(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP,
		   v6 ? IPV6_RECVERR : IP_RECVERR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, host_sa(p, &ss))) {
		ret = -errno;
		net__seterr(err, errlen, "host port %u/udp: %s", p->host_port,
			    strerror(-ret));
		close(fd);
		free(pb);
		return ret;
	}
	ret = vdev_host_publish_udp(d->vdev, fd, v6, inner, p->port);
	if (ret) {
		free(pb);
		return ret;
	}
	pb->fd = fd;
	pb->ifindex = d->ifindex;
	pb->next = n->pubs;
	n->pubs = pb;
	debug("published host port %u/udp to port %u", p->host_port, p->port);
	return 0;
}

/**
 * net_publish_add() - publish a port of the sandbox on the host
 * @n:		the network
 * @p:		what to publish
 * @err:	set to the reason on failure
 * @errlen:	size of @err
 *
 * Return: 0, or a negative errno: -EEXIST (already published), -ENETUNREACH
 * (no uplink), or the host's bind() or listen() error
 */
int net_publish_add(struct net *n, const struct net_publish *p, char *err,
		    size_t errlen)
{
	struct sockaddr_storage ss;
	struct net_pub *pb;
	ip_addr_t l;
	socklen_t len;
	int one = 1, ret;

	if (!n || !p || (p->family != AF_INET && p->family != AF_INET6) ||
	    !p->host_port || !p->port)
		return -EINVAL;
	if (p->proto != IPPROTO_TCP && p->proto != IPPROTO_UDP)
		return -EPROTONOSUPPORT;
	if (!ns__uplink_view(n, AF_INET, &l) && !ns__uplink_view(n, AF_INET6, &l)) {
		net__seterr(err, errlen, "no host uplink (add one: --uplink)");
		return -ENETUNREACH;
	}
	for (pb = n->pubs; pb; pb = pb->next)
		if (same(&pb->p, p)) {
			net__seterr(err, errlen, "host port %u is published "
				    "already", p->host_port);
			return -EEXIST;
		}
	pb = calloc(1, sizeof(*pb));
	if (!pb)
		return -ENOMEM;
	pb->net = n;
	pb->p = *p;
	if (p->proto == IPPROTO_UDP)
		return publish_udp(n, pb, err, errlen);
	pb->fd = socket(p->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (pb->fd < 0) {
		ret = -errno;
		goto fail;
	}
	len = host_sa(p, &ss);
	setsockopt(pb->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(pb->fd, (struct sockaddr *)&ss, len) ||
	    listen(pb->fd, 4096)) {
		ret = -errno;
		net__seterr(err, errlen, "host port %u: %s", p->host_port,
			    strerror(-ret));
		goto fail;
	}
	pb->poll = malloc(sizeof(*pb->poll));
	if (!pb->poll) {
		ret = -ENOMEM;
		goto fail;
	}
	if ((ret = uv_poll_init(n->loop, pb->poll, pb->fd)) < 0) {
		free(pb->poll);
		pb->poll = NULL;
		goto fail;
	}
	pb->poll->data = pb;
	uv_poll_start(pb->poll, UV_READABLE, on_listener);
	pb->next = n->pubs;
	n->pubs = pb;
	debug("published host port %u to port %u", p->host_port, p->port);
	return 0;
fail:
	pub_free(pb);
	return ret;
}

/**
 * net_publish_del() - stop publishing a host port
 * @n:		the network
 * @p:		proto, family, addr and host_port as published
 * @err:	set to the reason on failure
 * @errlen:	size of @err
 *
 * Connections accepted already stay.
 *
 * Return: 0 or -ESRCH
 */
int net_publish_del(struct net *n, const struct net_publish *p, char *err,
		    size_t errlen)
{
	struct net_pub **pp, *pb;

	for (pp = n ? &n->pubs : NULL; pp && (pb = *pp); pp = &pb->next)
		if (same(&pb->p, p)) {
			*pp = pb->next;
			pub_free(pb);
			return 0;
		}
	net__seterr(err, errlen, "host port %u is not published",
		    p ? p->host_port : 0);
	return -ESRCH;
}

/**
 * net_publish_walk() - call @fn for each published port, newest first
 * @n:		the network
 * @fn:		called per port; a non-zero return stops the walk
 * @arg:	passed to @fn
 *
 * Return: what @fn returned last, 0 when all were visited
 */
int net_publish_walk(struct net *n, net_publish_fn *fn, void *arg)
{
	struct net_pub *pb;
	int ret;

	for (pb = n ? n->pubs : NULL; pb; pb = pb->next)
		if ((ret = fn(arg, &pb->p, pb->accepted, pb->refused)))
			return ret;
	return 0;
}

/**
 * net__publish_free() - close every published port (net__free())
 * @n:		the network
 */
void net__publish_free(struct net *n)
{
	while (n->pubs) {
		struct net_pub *pb = n->pubs;

		n->pubs = pb->next;
		pub_free(pb);
	}
}
