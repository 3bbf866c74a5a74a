// SPDX-License-Identifier: MIT
/*
 * hostsock.c - the fast path: a TCP connection that the routing table sends
 * out of the host uplink runs on a real host socket.
 *
 * When a program connects an emulated TCP socket and the route to the
 * destination leaves through a device of kind "host" (net_dev_is_uplink()),
 * the supervisor checks the uplink's ACL, opens a host TCP socket, gives it
 * the options the program set so far, starts the connection, and puts the
 * host socket in the program's fd table at the same number, replacing the
 * socket pair end (SECCOMP_ADDFD_FLAG_SETFD, as dup2()).  Data then moves
 * through the host kernel alone: no pair, no lwIP, no supervisor.
 *
 * What the program sees.  getsockname() gives the sandbox's view: the
 * source address the route chose (the uplink's address) with the port the
 * host kernel picked; getpeername() the destination as connected, as
 * slirp4netns presents them.  The uplink's gateway stands for the host's
 * loopback, as slirp4netns's 10.0.2.2 does (still subject to the ACL,
 * which denies the host's loopback unless allowed).  Options set before connect() are replayed
 * (below); later ones reach the host socket directly.  A bound local
 * address or port is not kept: the host picks its own.  Other fds that
 * referred to the same socket before connect() (dup() or fork() between
 * socket() and connect()) keep the old, unconnected emulated socket.
 *
 * The supervisor keeps the socket as a struct sock with @host set, found
 * by the host socket's inode, so that trapped calls on it stay checked:
 * connect() again (BIRD's completion check, or a retry after a failure)
 * runs here against the ACL, never as the program gives it to the kernel,
 * and listen(), bind() and MSG_FASTOPEN, which would reach the host
 * unchecked, are refused.  Where pidfd_getfd() works the supervisor holds
 * no reference to the host socket (the program's close is the last one,
 * and the connection ends at once); where it does not (Docker's profile),
 * it holds one, and the liveness scan (ns__scan()) lets it go within ten
 * seconds of the program's last close, or at once when the process exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "internal.h"
#include "log.h"
#include <sys/syscall.h>

#include "net.h"
#include "netint.h"

static int host_route(struct sock *s, struct net *n, const ip_addr_t *ip,
		      uint16_t port, ip_addr_t *src, ip_addr_t *hdst);

/**
 * ns__host_route() - whether a destination leaves through the host uplink
 * @s:		the socket (its SO_BINDTODEVICE counts)
 * @ip:		destination
 * @port:	its port
 * @src:	set to the sandbox's source address for it, when true
 * @hdst:	set to the host's destination for it, when true: @ip, except
 *		that the uplink's gateway (10.0.2.2, fd00::2) stands for the
 *		host's loopback (127.0.0.1, ::1), as with slirp4netns
 *
 * DNS over TCP to a loopback resolver of the host's resolv.conf (uplink.c)
 * goes to the host's resolver at that address, as its UDP does; the
 * program sees it as a connection over its loopback (from 127.0.0.1).
 *
 * The routing rules see the socket's bound address, or for an unbound
 * one the source the first lookup chose, as Linux's ip_route_connect(),
 * and TCP, the ports (the local one if bound) and the owner.
 *
 * Return: 1 through the uplink and allowed, 0 not through the uplink (the
 * stack's business), -EACCES when the uplink's ACL denies it (the host's
 * loopback unless allowed: the gateway is judged as what it stands for),
 * or the error a rule gives the chosen source (EINVAL for a blackhole...)
 */
int ns__host_route(struct sock *s, const ip_addr_t *ip, uint16_t port,
		   ip_addr_t *src, ip_addr_t *hdst)
{
	struct net *n = ns_net(s->ns);
	int ret;

	net_own_set(n, IPPROTO_TCP, s->bind_port, port, s->uid);
	ret = host_route(s, n, ip, port, src, hdst);
	net_own_clear(n);
	return ret;
}

/* ns__host_route()'s work, the socket named to the rules */
static int host_route(struct sock *s, struct net *n, const ip_addr_t *ip,
		      uint16_t port, ip_addr_t *src, ip_addr_t *hdst)
{
	struct rt_result res;
	uint8_t fam, sfam = 0, dst[16], sb[16], bsrc[16];
	struct net_dev *d;
	ip_addr_t bound;

	if (net__uplink_dns_tcp(n, ip, port)) {
		ip_addr_copy(*hdst, *ip);
		ip_addr_set_ip4_u32_val(*src, PP_HTONL(IPADDR_LOOPBACK));
		return 1;
	}
	ns__ip_to_bytes(ip, &fam, dst);
	/* a bound socket's source counts for the routing rules */
	if (ns__tcp_bound_addr(s, &bound))
		ns__ip_to_bytes(&bound, &sfam, bsrc);
	if (net_route_get_from(n, fam, dst, sfam == fam ? bsrc : NULL,
			       s->bound_ifindex, 0, &res, sb) ||
	    !res.route.n_nh || !net_dev_is_uplink(n, res.route.nh[res.nh].ifindex))
		return 0;
	if (sfam != fam && !rt_rules_default(n->rt, fam)) {
		/* ip_route_connect(): the route again, from the source the
		 * first lookup chose, which the rules may send elsewhere or
		 * refuse (that error is connect()'s) */
		struct rt_result again;
		uint8_t sb2[16];
		int ret = net_route_get_from(n, fam, dst, sb, s->bound_ifindex,
					     0, &again, sb2);

		if (ret)
			return ret;
		if (!again.route.n_nh || again.route.nh[again.nh].ifindex !=
					 res.route.nh[res.nh].ifindex)
			return 0;
	}
	/* the gateway stands for the host's loopback, as the device has it */
	d = net__dev(n, res.route.nh[res.nh].ifindex);
	vdev_host_to_host(d->vdev, fam == AF_INET6, dst);
	ns__ip_from_bytes(fam, dst, hdst);
	if (!net_uplink_allowed(n, fam, dst))
		return -EACCES;
	ns__ip_from_bytes(fam, sb, src);
	return 1;
}

static void setopt(int fd, int level, int name, int val)
{
	if (setsockopt(fd, level, name, &val, sizeof(val)))
		debug("host socket: option %d/%d: %s", level, name,
		      strerror(errno));
}

/* The options the program set on the emulated socket, on the host one.
 * Buffer sizes only when changed from the default: setting them turns the
 * host's autotuning off. */
static int replay_opts(const struct sock *s, int h)
{
	bool v6 = s->family == AF_INET6;

	if (s->reuseaddr)
		setopt(h, SOL_SOCKET, SO_REUSEADDR, 1);
	if (s->reuseport)
		setopt(h, SOL_SOCKET, SO_REUSEPORT, 1);
	if (s->keepalive)
		setopt(h, SOL_SOCKET, SO_KEEPALIVE, 1);
	if (s->keepidle)
		setopt(h, IPPROTO_TCP, TCP_KEEPIDLE, s->keepidle);
	if (s->keepintvl)
		setopt(h, IPPROTO_TCP, TCP_KEEPINTVL, s->keepintvl);
	if (s->keepcnt)
		setopt(h, IPPROTO_TCP, TCP_KEEPCNT, s->keepcnt);
	if (s->nodelay)
		setopt(h, IPPROTO_TCP, TCP_NODELAY, 1);
	if (s->user_timeout)
		setopt(h, IPPROTO_TCP, TCP_USER_TIMEOUT, s->user_timeout);
	if (s->maxseg)
		setopt(h, IPPROTO_TCP, TCP_MAXSEG, s->maxseg);
	if (s->rcvbuf_set)
		setopt(h, SOL_SOCKET, SO_RCVBUF, s->rcvbuf);
	if (s->sndbuf_set)
		setopt(h, SOL_SOCKET, SO_SNDBUF, s->sndbuf);
	if (s->priority)
		setopt(h, SOL_SOCKET, SO_PRIORITY, s->priority);
	if (s->max_pacing_rate != UINT64_MAX &&
	    setsockopt(h, SOL_SOCKET, SO_MAX_PACING_RATE, &s->max_pacing_rate,
		       sizeof(s->max_pacing_rate)))
		debug("host socket: SO_MAX_PACING_RATE: %s", strerror(errno));
	if (s->linger.l_onoff &&
	    setsockopt(h, SOL_SOCKET, SO_LINGER, &s->linger, sizeof(s->linger)))
		debug("host socket: SO_LINGER: %s", strerror(errno));
	/* an AF_INET6 socket's IPv4 values apart (ns__ttl()) */
	if (s->ttl != 64)
		setopt(h, v6 ? IPPROTO_IPV6 : IPPROTO_IP,
		       v6 ? IPV6_UNICAST_HOPS : IP_TTL, s->ttl);
	if (v6 && s->ip_ttl != 64)
		setopt(h, IPPROTO_IP, IP_TTL, s->ip_ttl);
	if (s->tos)
		setopt(h, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_TCLASS : IP_TOS,
		       s->tos);
	if (v6 && s->ip_tos)
		setopt(h, IPPROTO_IP, IP_TOS, s->ip_tos);
	if (s->cc[0] &&
	    setsockopt(h, IPPROTO_TCP, TCP_CONGESTION, s->cc, (socklen_t)strlen(s->cc)))
		debug("host socket: TCP_CONGESTION %s: %s", s->cc, strerror(errno));
	if (s->minttl)
		setopt(h, IPPROTO_IP, IP_MINTTL, s->minttl);
	if (v6 && s->minhops)
		setopt(h, IPPROTO_IPV6, IPV6_MINHOPCOUNT, s->minhops);
	if (v6)
		setopt(h, IPPROTO_IPV6, IPV6_V6ONLY, s->v6only);
	/* Keys must be on the socket before its SYN: refused keys fail the
	 * connect, as they would have failed the program's setsockopt(). */
	return ns__md5_replay(s, h);
}

/* The emulated socket that stands for a host socket in the program. */
static struct sock *host_sock_new(struct sock *from, int h)
{
	struct sock *hs;
	struct stat st;

	if (fstat(h, &st))
		return NULL;
	hs = ns__sock_new(from->ns, from->family, SOCK_STREAM, IPPROTO_TCP);
	if (!hs)
		return NULL;
	hs->host = true;
	hs->state = SK_CONNECTING;
	hs->v6only = from->v6only;
	ns__sock_register(hs, st.st_ino);
	ns__sock_set_held(hs, true);
	return hs;
}

static void set_names(struct sock *hs, int h, const ip_addr_t *src,
		      const ip_addr_t *ip, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	uint16_t lport = 0;

	if (!getsockname(h, (struct sockaddr *)&ss, &len))
		lport = ntohs(ss.ss_family == AF_INET ?
			      ((struct sockaddr_in *)&ss)->sin_port :
			      ((struct sockaddr_in6 *)&ss)->sin6_port);
	hs->lip = *src;
	hs->lport = lport;
	hs->rip = *ip;
	hs->rport = port;
}

/* connect() on @h without blocking the loop, whatever the program's
 * O_NONBLOCK on the shared description says. */
static int connect_nb(int h, const struct sockaddr *sa, socklen_t len)
{
	int fl = fcntl(h, F_GETFL), ret;

	if (fl >= 0 && !(fl & O_NONBLOCK))
		fcntl(h, F_SETFL, fl | O_NONBLOCK);
	ret = connect(h, sa, len) ? -errno : 0;
	if (fl >= 0 && !(fl & O_NONBLOCK))
		fcntl(h, F_SETFL, fl);
	return ret;
}

/* Park a blocking connect until the host socket is writable. */
static int64_t park_connect(struct sock *hs, struct trc_call *c, int fd, int h)
{
	int t = dup(h);

	if (t < 0)
		return -errno;
	return ns__park_host(hs, c, fd, t);
}

/**
 * ns__host_connect_done() - finish a parked blocking connect (sock.c)
 * @hs:		the host socket's struct sock
 * @c:		the call
 * @fd:		its fd number in the program
 *
 * Return: 0, the connection's error, or NS_PARKED when not done yet
 */
int64_t ns__host_connect_done(struct sock *hs, struct trc_call *c, int fd)
{
	int h = ns__tref_get(hs, trc_call_pid(c), fd);
	struct sockaddr_storage ss;
	ip_addr_t src, hdst;
	int64_t ret;
	int r;

	if (h < 0)
		return h;
	/* connect() again, as Linux's blocking connect ends: 0 and the
	 * socket connected, or the error (taken) and the socket free for a
	 * new attempt; reading SO_ERROR would leave it "connecting", and the
	 * next connect() would give ECONNABORTED.  The address matters only
	 * if the kernel has forgotten the attempt: the checked one. */
	if (ns__host_route(hs, &hs->rip, hs->rport, &src, &hdst) > 0) {
		r = connect_nb(h, (struct sockaddr *)&ss, (socklen_t)
			       ns__addr_to_sa(hs, &hdst, hs->rport, &ss));
	} else {
		/* the rules changed meanwhile: no new attempt, the result */
		int err = 0;
		socklen_t len = sizeof(err);

		if (getsockopt(h, SOL_SOCKET, SO_ERROR, &err, &len))
			err = errno;
		len = sizeof(ss);
		/* writable, no error and no peer: the attempt is gone */
		r = err ? -err : getpeername(h, (struct sockaddr *)&ss, &len) ?
		    -ECONNABORTED : 0;
	}
	if (r == -EALREADY || r == -EINPROGRESS)
		ret = park_connect(hs, c, fd, h);
	else
		ret = r == -EISCONN ? 0 : r;
	hs->state = ret == 0 ? SK_CONNECTED : ret == NS_PARKED ? SK_CONNECTING :
		    SK_CLOSED;
	ns__tref_put(hs, h);
	return ret;
}

/**
 * ns__host_connect() - connect() of an emulated TCP socket whose route
 * leaves through the host uplink: the fast path
 * @s:		the emulated socket, SK_NEW
 * @c:		the call
 * @fd:		the program's fd number
 * @ip:		destination
 * @port:	its port
 * @src:	the sandbox's source address for it (ns__host_route())
 * @hdst:	the host's destination for it (ns__host_route())
 *
 * Return: 0, -EINPROGRESS, NS_PARKED (blocking, until connected) or a
 * negative errno; on an error before the socket was replaced, @s stays
 * as it was, unconnected
 */
int64_t ns__host_connect(struct sock *s, struct trc_call *c, int fd,
			 const ip_addr_t *ip, uint16_t port,
			 const ip_addr_t *src, const ip_addr_t *hdst)
{
	struct sockaddr_storage ss;
	struct sock *hs = NULL;
	socklen_t len;
	int h, nb, fl, ret;
	int64_t r;

	fl = trc_fd_flags_ino(trc_call_pid(c), fd, s->ino);	/* see new_end() */
	if (fl < 0)
		return fl;
	nb = (fl & O_NONBLOCK) ? 1 : 0;
	h = socket(s->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		   IPPROTO_TCP);
	if (h < 0)
		return -errno;
	if ((ret = replay_opts(s, h)))
		goto fail;
	ns__sock_copy_timeouts(s, c, fd, h);	/* at best */
	len = (socklen_t)ns__addr_to_sa(s, hdst, port, &ss);
	if (connect(h, (struct sockaddr *)&ss, len) && errno != EINPROGRESS) {
		ret = -errno;
		goto fail;
	}
	ret = -EINPROGRESS;
	if (!nb && fcntl(h, F_SETFL, O_RDWR))
		ret = -errno;
	else if (!(hs = host_sock_new(s, h)))
		ret = -ENOMEM;
	if (ret != -EINPROGRESS)
		goto fail;
	set_names(hs, h, src, ip, port);
	ret = trc_call_setfd(c, h, fd, fl & O_CLOEXEC, s->ino);
	if (ret) {
		ns__sock_free(hs);
		goto fail;
	}
	calls("pid %d: fd %d: a host socket now, to the uplink",
	      (int)trc_call_pid(c), fd);
	if (!s->ns->fetch)
		hs->tref = h;		/* held: see the top of this file */
	if (nb) {
		r = -EINPROGRESS;
	} else {
		r = park_connect(hs, c, fd, h);
		if (r != NS_PARKED)
			hs->state = SK_CLOSED;
	}
	if (s->ns->fetch)
		close(h);
	return r;
fail:
	close(h);
	return ret;
}

/**
 * ns__host_call() - a trapped call on a host socket of the fast path
 * @hs:		its struct sock
 * @c:		the call
 * @fd:		the program's fd number
 *
 * Return: the result, or NS_CONTINUE for the kernel to run it as it is
 */
int64_t ns__host_call(struct sock *hs, struct trc_call *c, int fd)
{
	struct sockaddr_storage ss;
	ip_addr_t ip, src, hdst;
	uint16_t port;
	sa_family_t fam = AF_UNSPEC;
	int32_t alen;
	socklen_t len;
	int h, ret;
	int64_t r;

	switch (trc_call_nr(c)) {
	case SYS_getsockname:
	case SYS_getpeername:
		if (trc_mem_read(c, trc_call_arg(c, 2), &alen, sizeof(alen)))
			return -EFAULT;
		if (alen < 0)
			return -EINVAL;
		if (trc_call_nr(c) == SYS_getpeername) {
			/* A connection that failed since: the host knows. */
			struct sockaddr_storage ps;
			socklen_t pl = sizeof(ps);

			h = ns__tref_get(hs, trc_call_pid(c), fd);
			if (h >= 0) {
				if (getpeername(h, (struct sockaddr *)&ps, &pl) &&
				    errno == ENOTCONN)
					hs->state = SK_CLOSED;
				ns__tref_put(hs, h);
			}
			if (hs->state != SK_CONNECTED &&
			    hs->state != SK_CONNECTING)
				return -ENOTCONN;
		}
		return ns__addr_put(c, hs, trc_call_nr(c) == SYS_getsockname ?
				    &hs->lip : &hs->rip,
				    trc_call_nr(c) == SYS_getsockname ?
				    hs->lport : hs->rport,
				    trc_call_arg(c, 1), trc_call_arg(c, 2));
	case SYS_bind:
	case SYS_listen:
		/* The host socket was bound by its connect; a listener on
		 * the host would be reachable from the host. */
		return -EINVAL;
	case SYS_accept:
	case SYS_accept4:
		return -EINVAL;
	case SYS_sendto:
		if (trc_call_arg(c, 3) & MSG_FASTOPEN)
			return -EOPNOTSUPP;
		return NS_CONTINUE;	/* TCP ignores the address */
	case SYS_sendmsg:
	case SYS_sendmmsg:
		/* MSG_FASTOPEN would connect anew, to msg_name */
		if (trc_call_arg(c, trc_call_nr(c) == SYS_sendmsg ? 2 : 3) &
		    MSG_FASTOPEN)
			return -EOPNOTSUPP;
		return NS_CONTINUE;
	case SYS_connect:
		break;
	default:
		return NS_CONTINUE;
	}
	/* connect() again: the completion check, or a new attempt after a
	 * failure, which goes to the ACL as the first did. */
	alen = (int32_t)trc_call_arg(c, 2);
	if (alen >= (int32_t)sizeof(fam) &&
	    trc_mem_read(c, trc_call_arg(c, 1), &fam, sizeof(fam)))
		return -EFAULT;
	if (fam != AF_UNSPEC) {
		if (alen < 0 || alen > (int32_t)sizeof(ss))
			return -EINVAL;
		if (trc_mem_read(c, trc_call_arg(c, 1), &ss, (size_t)alen))
			return -EFAULT;
		ret = ns__addr_from_user(hs, &ss, (size_t)alen, &ip, &port);
		if (!ret)
			ret = ns__addr_scope_bound(hs, &ip);
		if (ret)
			return ret;
		ret = ns__host_route(hs, &ip, port, &src, &hdst);
		if (ret <= 0)
			return ret ? ret : -ENETUNREACH;
		len = (socklen_t)ns__addr_to_sa(hs, &hdst, port, &ss);
	} else {
		memset(&ss, 0, sizeof(ss));
		len = sizeof(sa_family_t);
	}
	h = ns__tref_get(hs, trc_call_pid(c), fd);
	if (h < 0)
		return h;
	ret = connect_nb(h, (struct sockaddr *)&ss, len);
	if (fam != AF_UNSPEC && (!ret || ret == -EINPROGRESS))
		set_names(hs, h, &src, &ip, port);
	if (!ret) {
		hs->state = fam == AF_UNSPEC ? SK_NEW : SK_CONNECTED;
		r = 0;
	} else if (ret == -EINPROGRESS || ret == -EALREADY) {
		hs->state = SK_CONNECTING;
		r = ns__sock_nonblock(hs, c, fd, 0, 0, false);
		if (r == 0)
			r = park_connect(hs, c, fd, h);
		else if (r > 0)
			r = ret;
	} else {
		if (ret != -EISCONN)
			hs->state = SK_CLOSED;
		else
			hs->state = SK_CONNECTED;
		r = ret;
	}
	ns__tref_put(hs, h);
	return r;
}
