/* SPDX-License-Identifier: MIT */
/*
 * netlink.c - NETLINK_ROUTE and NETLINK_SOCK_DIAG sockets: the socket side
 * of rtnetlink and of inet_diag.
 *
 * A netlink socket is, like the others, an AF_UNIX pair (SOCK_SEQPACKET,
 * so datagram boundaries and the program's last close both show); its
 * protocol engine is a struct rtnl (rtnl.c) answering from the sandbox's
 * struct net.  Requests reach the engine two ways: a trapped sendto() or
 * sendmsg() is read from the program's memory, and a plain send() or
 * write() lands in the pair and is read from sv.  Answers and
 * notifications are written into sv; the program reads them natively, or
 * through a trapped recvmsg()/recvfrom(), which also fills msg_name with
 * the kernel's address (shared with UDP: ns__udp_recv_call()).  A dump too
 * big for the pair waits for room (POLLOUT on sv) and resumes.
 *
 * Port ids follow Linux: a socket holds one once bound (bind(), connect()
 * or a send), the one bind() named if free, else its process's pid if
 * free, else a unique negative number (nl_autobind()).  SOL_SOCKET
 * options but the buffers, filters and a few of netlink's own are any
 * socket's, answered as for an inet one (sockopt.c).  A classic BPF filter
 * (SO_ATTACH_FILTER, cbpf.c) runs on each datagram before the engine
 * queues it (rtnl_set_filter()).  NETLINK_SOCK_DIAG sockets
 * share all of this; their engine answers about the sandbox's sockets
 * (diag.c lists them).  Other netlink protocols are refused with
 * EPROTONOSUPPORT.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/sockios.h>

#include "internal.h"
#include "log.h"
#include "net.h"
#include "rtnl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#ifndef SO_PASSPIDFD
#define SO_PASSPIDFD		76
#endif

#define NL_ADDRLEN	((int32_t)sizeof(struct sockaddr_nl))
#define NL_OPTMAX	64

/* Port ids are per protocol, as Linux's netlink tables, and a socket
 * holds one once bound (nl_autobind()) */
static bool portid_used(struct ns *ns, int proto, uint32_t portid)
{
	struct sock *s;

	for (s = ns->all; s; s = s->next)
		if (s->family == AF_NETLINK && s->proto == proto && s->rtnl &&
		    s->nl_bound && rtnl_portid(s->rtnl) == portid)
			return true;
	return false;
}

/* netlink_autobind(): the pid first, then -4097, -4098, ... */
static uint32_t new_portid(struct ns *ns, int proto, pid_t pid)
{
	uint32_t id;

	if (!portid_used(ns, proto, (uint32_t)pid))
		return (uint32_t)pid;
	do {
		id = (uint32_t)(-4097 - (int64_t)ns->nl_rover++);
	} while (portid_used(ns, proto, id));
	return id;
}

/*
 * Bind a socket at its first bind(), connect() or send, as
 * netlink_autobind(): the port id it was given when made (its process's
 * pid, or the next free negative one), unless a socket bound since took
 * it (a bind() that named it, say): then the next free negative one.
 */
static void nl_autobind(struct sock *s)
{
	uint32_t id = rtnl_portid(s->rtnl);

	if (s->nl_bound)
		return;
	if (portid_used(s->ns, s->proto, id))	/* so new_portid() roves */
		rtnl_set_portid(s->rtnl, new_portid(s->ns, s->proto, (pid_t)id));
	s->nl_bound = true;
}

static void retry_readers(struct sock *s)
{
	if (s->waiters)
		ns__retry_waiters(s, W_RECV, ns__udp_recv_call);
}

/* rtnl_send_fn: one datagram into the program's end */
static int nl_send(void *arg, const void *buf, size_t len)
{
	struct sock *s = arg;
	ssize_t n;

	if (s->sv < 0)
		return -EPIPE;
	n = send(s->sv, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			s->nl_out_wait = true;
			ns__sock_poll(s, UV_READABLE | UV_WRITABLE | UV_DISCONNECT);
			return -EAGAIN;
		}
		return -errno;
	}
	retry_readers(s);
	return 0;
}

/* rtnl_inflight_fn: what the program's end holds unread, as the host
 * charges it to sv (SIOCOUTQ: sk_wmem_alloc of an AF_UNIX socket) */
static size_t nl_inflight(void *arg)
{
	struct sock *s = arg;
	int n = 0;

	if (s->sv < 0 || ioctl(s->sv, SIOCOUTQ, &n) || n < 0)
		return 0;
	return (size_t)n;
}

/**
 * ns__nl_socket() - socket(AF_NETLINK, ...)
 * @ns:		the stack
 * @c:		the call; answered here
 * @type:	SOCK_RAW or SOCK_DGRAM (netlink treats them alike)
 * @flags:	SOCK_NONBLOCK, SOCK_CLOEXEC
 * @proto:	NETLINK_ROUTE or NETLINK_SOCK_DIAG; others are refused
 *
 * Return: NS_DONE, or a negative errno
 */
int64_t ns__nl_socket(struct ns *ns, struct trc_call *c, int type, int flags,
		      int proto)
{
	struct sock *s;
	int tend, ret;

	if (type != SOCK_RAW && type != SOCK_DGRAM)
		return -ESOCKTNOSUPPORT;
	if (proto != NETLINK_ROUTE && proto != NETLINK_SOCK_DIAG)
		return -EPROTONOSUPPORT;
	s = ns__sock_new(ns, AF_NETLINK, type, proto);
	if (!s)
		return -ENOMEM;
	ret = ns__sock_pair(s, SOCK_SEQPACKET, flags & SOCK_NONBLOCK, &tend);
	if (ret) {
		ns__sock_free(s);
		return ret;
	}
	ret = rtnl_new_proto(ns->net, proto, new_portid(ns, proto, trc_call_pid(c)),
			     nl_send, s, &s->rtnl);
	if (ret) {
		close(tend);
		ns__sock_free(s);
		return ret;
	}
	s->uid = ns__sock_uid(ns, trc_call_pid(c));
	rtnl_set_uid(s->rtnl, s->uid);
	rtnl_set_inflight(s->rtnl, nl_inflight);
	if (proto == NETLINK_SOCK_DIAG)
		rtnl_set_socks(s->rtnl, ns__diag_socks, ns);
	ns__sock_register(s, s->ino);
	if (!ns__sock_install(ns, c, s, tend, flags, UV_READABLE | UV_DISCONNECT) &&
	    !ns->fetch)
		ns__sock_poll(s, UV_READABLE);	/* held: requests still come */
	return NS_DONE;
}

/**
 * ns__nl_close() - free the protocol engine of a closing socket
 * @s:		the socket
 */
void ns__nl_close(struct sock *s)
{
	rtnl_free(s->rtnl);
	s->rtnl = NULL;
}

/* Requests the program wrote with plain send()/write(), in order.
 * Return: how many were taken. */
static int drain(struct sock *s)
{
	int rounds = 256, taken = 0;

	while (s->sv >= 0 && rounds--) {
		ssize_t n = recv(s->sv, s->ns->iobuf, NS_IOBUF, MSG_DONTWAIT);

		if (n <= 0)
			break;	/* empty, or the end: UV_DISCONNECT tells */
		nl_autobind(s);	/* netlink_sendmsg() autobinds */
		rtnl_input(s->rtnl, s->ns->iobuf, (size_t)n);
		taken++;
	}
	return taken;
}

/**
 * ns__nl_refill() - a trapped receive found the program's end empty
 * @s:		the socket
 *
 * Requests the program wrote natively may still sit in sv, unanswered;
 * answer them now, so the receive sees what Linux would have queued.  Only
 * an empty receive pays for this look at sv: a datagram already queued
 * precedes any answer the engine could add.
 *
 * Return: 1 if requests were taken (receive again), 0 if none, or the
 * negative errno of an overrun they caused (ENOBUFS)
 */
int ns__nl_refill(struct sock *s)
{
	int ret;

	if (!drain(s))
		return 0;
	ret = rtnl_take_overrun(s->rtnl);
	return ret ? ret : 1;
}

/**
 * ns__nl_io() - the supervisor's end of a netlink socket is ready
 * @s:		the socket
 * @status:	libuv's status (negative: error on sv)
 * @events:	UV_READABLE, UV_WRITABLE, UV_DISCONNECT
 */
void ns__nl_io(struct sock *s, int status, int events)
{
	if (status < 0 || (events & UV_DISCONNECT)) {
		if (ns__sock_end(s))
			return;
	}
	if (events & UV_READABLE)
		drain(s);
	if ((events & UV_WRITABLE) && s->nl_out_wait) {
		s->nl_out_wait = false;
		ns__sock_poll(s, UV_READABLE | UV_DISCONNECT);
		rtnl_resume(s->rtnl);
	}
}

/* Read a sockaddr_nl; the length rules of netlink_bind()/connect(). */
static int get_nladdr(struct trc_call *c, uint64_t uaddr, uint64_t ulen,
		      struct sockaddr_nl *nl)
{
	int32_t len = (int32_t)ulen;

	if (len < NL_ADDRLEN)
		return -EINVAL;
	if (trc_mem_read(c, uaddr, nl, sizeof(*nl)))
		return -EFAULT;
	if (nl->nl_family != AF_NETLINK)
		return -EINVAL;
	return 0;
}

static int64_t nl_bind(struct sock *s, struct trc_call *c, int fd)
{
	struct sockaddr_nl nl;
	int ret;

	ret = get_nladdr(c, trc_call_arg(c, 1), trc_call_arg(c, 2), &nl);
	if (ret)
		return ret;
	/* netlink_bind(): a bound socket keeps its port id (even 0 is
	 * EINVAL then); an unbound one takes the one named, if free, or is
	 * autobound */
	if (s->nl_bound && nl.nl_pid != rtnl_portid(s->rtnl))
		return -EINVAL;
	if (!s->nl_bound && nl.nl_pid && portid_used(s->ns, s->proto, nl.nl_pid))
		return -EADDRINUSE;
	ret = rtnl_bind(s->rtnl, nl.nl_groups);
	if (ret)
		return ret;
	s->nl_groups = nl.nl_groups;
	if (!s->nl_bound && nl.nl_pid) {
		rtnl_set_portid(s->rtnl, nl.nl_pid);
		s->nl_bound = true;
	}
	nl_autobind(s);
	return 0;
}

static int64_t nl_connect(struct sock *s, struct trc_call *c, int fd)
{
	struct sockaddr_nl nl;
	sa_family_t fam;
	int32_t len = (int32_t)trc_call_arg(c, 2);
	int ret;

	if (len >= (int32_t)sizeof(fam) &&
	    !trc_mem_read(c, trc_call_arg(c, 1), &fam, sizeof(fam)) &&
	    fam == AF_UNSPEC)
		return 0;
	ret = get_nladdr(c, trc_call_arg(c, 1), trc_call_arg(c, 2), &nl);
	if (!ret)
		nl_autobind(s);	/* netlink_connect() autobinds */
	return ret;
}

static int64_t put_name(struct trc_call *c, uint32_t pid, uint32_t groups)
{
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK, .nl_pid = pid,
				  .nl_groups = groups };
	int32_t len;

	if (trc_mem_read(c, trc_call_arg(c, 2), &len, sizeof(len)))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	if (len > NL_ADDRLEN)
		len = NL_ADDRLEN;
	if (len && trc_mem_write(c, trc_call_arg(c, 1), &nl, (size_t)len))
		return -EFAULT;
	len = NL_ADDRLEN;
	return trc_mem_write(c, trc_call_arg(c, 2), &len, sizeof(len)) ? -EFAULT : 0;
}

/* netlink_getname(): the port id once bound (netlink_autobind() runs at
 * the first bind, connect or send), 0 before */
static int64_t nl_getsockname(struct sock *s, struct trc_call *c, int fd)
{
	drain(s);	/* a plain send() before this bound it */
	return put_name(c, s->nl_bound ? rtnl_portid(s->rtnl) : 0, s->nl_groups);
}

static int64_t nl_getpeername(struct sock *s, struct trc_call *c, int fd)
{
	return put_name(c, 0, 0);
}

/* rtnl_filter_fn: the attached filter's verdict on a datagram */
static size_t run_filter(void *arg, const void *buf, size_t len)
{
	return ns__filter_run(arg, buf, len);
}

/* SO_ATTACH_FILTER, SO_DETACH_FILTER, SO_LOCK_FILTER (sockopt.c): the
 * engine runs the filter on every datagram for the socket.  zebra's
 * drops the route notifications its own requests cause, so it does not
 * take them for another program's. */
static int64_t filter_set(struct sock *s, struct trc_call *c, int opt)
{
	int64_t ret = ns__filter_set(s, c, opt, (int32_t)trc_call_arg(c, 4));

	rtnl_set_filter(s->rtnl, s->filter ? run_filter : NULL);
	return ret;
}

/* The other SOL_SOCKET options netlink programs set; kept, never acted on. */
/*
 * A buffer's size as sock_setsockopt() keeps it (half of what getsockopt()
 * says): @val capped at @max (as unsigned: -1 is the most) unless forced
 * (a negative is 0), at most INT_MAX / 2, at least half of @min
 * (SOCK_MIN_RCVBUF, SOCK_MIN_SNDBUF).  Forced without CAP_NET_ADMIN too:
 * the program administers its network.
 */
static int buf_val(int val, bool capped, int max, int min)
{
	if (capped && (unsigned int)val > (unsigned int)max)
		val = max;
	if (val < 0)
		val = 0;
	if (val > INT_MAX / 2)
		val = INT_MAX / 2;
	return val < min / 2 ? min / 2 : val;
}

static int64_t sol_socket_set(struct sock *s, int opt, int val)
{
	switch (opt) {
	case SO_RCVBUF:
	case SO_RCVBUFFORCE:
		s->rcvbuf = buf_val(val, opt == SO_RCVBUF, ns__sock_rmem_max(), 2304);
		s->rcvbuf_set = true;
		rtnl_set_rcvbuf(s->rtnl, (size_t)s->rcvbuf * 2);
		return 0;
	case SO_SNDBUF:
	case SO_SNDBUFFORCE:
		s->sndbuf = buf_val(val, opt == SO_SNDBUF, ns__sock_wmem_max(), 4608);
		s->sndbuf_set = true;
		return 0;
	case SO_PASSCRED:	/* kept; no SCM_CREDENTIALS comes */
		s->nl_passcred = val != 0;
		return 0;
	case SO_PASSSEC:	/* kept; no security module here */
		s->nl_passsec = val != 0;
		return 0;
	case SO_REUSEPORT:	/* inet only (sk_setsockopt()) */
		return val ? -EOPNOTSUPP : 0;
	case SO_ERROR:		/* read only */
		return -ENOPROTOOPT;
	default:		/* SO_PEEK_OFF, SO_TXREHASH, SO_PASSPIDFD */
		return -EOPNOTSUPP;
	}
}

/*
 * SOL_SOCKET options a netlink socket answers itself (nl_setsockopt(),
 * nl_getsockopt()); the rest are sk_setsockopt()'s and sk_getsockopt()'s
 * for any socket, which sockopt.c answers as for an inet one.
 */
static bool nl_sol_own(int opt)
{
	switch (opt) {
	case SO_RCVBUF: case SO_RCVBUFFORCE: case SO_SNDBUF: case SO_SNDBUFFORCE:
	case SO_PASSCRED: case SO_PASSSEC: case SO_REUSEPORT: case SO_ERROR:
	case SO_PEEK_OFF: case SO_TXREHASH: case SO_PASSPIDFD:
	case SO_ATTACH_FILTER: case SO_DETACH_FILTER: case SO_LOCK_FILTER:
		return true;	/* SO_GET_FILTER is SO_ATTACH_FILTER's number */
	}
	return false;
}

static int64_t nl_setsockopt(struct sock *s, struct trc_call *c, int fd)
{
	int level = (int)trc_call_arg(c, 1), opt = (int)trc_call_arg(c, 2);
	int32_t len = (int32_t)trc_call_arg(c, 4);
	uint8_t val[NL_OPTMAX] = { 0 };
	int ival;

	if (level == SOL_SOCKET && !nl_sol_own(opt))
		return ns__setsockopt(s, c);
	if (level != SOL_SOCKET && level != SOL_NETLINK)
		return -ENOPROTOOPT;	/* netlink_setsockopt(), first */
	if (len < 0)
		return -EINVAL;
	if ((size_t)len > sizeof(val))
		len = sizeof(val);
	if (len && trc_mem_read(c, trc_call_arg(c, 3), val, (size_t)len))
		return -EFAULT;
	if (level == SOL_NETLINK)
		return rtnl_setsockopt(s->rtnl, opt, val, (size_t)len);
	if (level != SOL_SOCKET)
		return -ENOPROTOOPT;
	if (len < (int32_t)sizeof(int))
		return -EINVAL;
	if (opt == SO_ATTACH_FILTER || opt == SO_DETACH_FILTER ||
	    opt == SO_LOCK_FILTER)
		return filter_set(s, c, opt);
	memcpy(&ival, val, sizeof(ival));
	return sol_socket_set(s, opt, ival);
}

static int64_t sol_socket_get(struct sock *s, int opt, int *val)
{
	switch (opt) {
	case SO_TYPE:
		*val = s->type;
		return 0;
	case SO_DOMAIN:
		*val = AF_NETLINK;
		return 0;
	case SO_PROTOCOL:
		*val = s->proto;
		return 0;
	case SO_RCVBUF:
	case SO_SNDBUF:
		*val = ns__sock_buf(s, opt == SO_RCVBUF);
		return 0;
	case SO_ERROR:
		*val = 0;
		return 0;
	case SO_PASSCRED:
		*val = s->nl_passcred;
		return 0;
	case SO_PASSSEC:
		*val = s->nl_passsec;
		return 0;
	case SO_REUSEPORT:
		*val = 0;
		return 0;
	case SO_LOCK_FILTER:
		*val = s->filter_locked;
		return 0;
	case SO_PEEK_OFF: case SO_TXREHASH: case SO_PASSPIDFD:
		return -EOPNOTSUPP;	/* not a netlink socket's */
	default:
		return -ENOPROTOOPT;
	}
}

static int64_t nl_getsockopt(struct sock *s, struct trc_call *c, int fd)
{
	int level = (int)trc_call_arg(c, 1), opt = (int)trc_call_arg(c, 2);
	uint8_t val[NL_OPTMAX] = { 0 };
	size_t vlen = sizeof(val);
	int32_t len;
	int64_t ret;

	if (level == SOL_SOCKET && !nl_sol_own(opt))
		return ns__getsockopt(s, c);
	if (level != SOL_SOCKET && level != SOL_NETLINK)
		return -ENOPROTOOPT;	/* netlink_getsockopt(), first */
	if (trc_mem_read(c, trc_call_arg(c, 4), &len, sizeof(len)))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	if (level == SOL_NETLINK) {
		if ((size_t)len < vlen)
			vlen = (size_t)len;
		ret = rtnl_getsockopt(s->rtnl, opt, val, &vlen);
	} else if (level == SOL_SOCKET && opt == SO_GET_FILTER) {
		return ns__filter_get(s, c);
	} else if (level == SOL_SOCKET) {
		int v;

		ret = sol_socket_get(s, opt, &v);
		memcpy(val, &v, sizeof(v));
		vlen = sizeof(v);
	} else {
		return -ENOPROTOOPT;
	}
	if (ret)
		return ret;
	if ((size_t)len > vlen)
		len = (int32_t)vlen;
	if (len && trc_mem_write(c, trc_call_arg(c, 3), val, (size_t)len))
		return -EFAULT;
	return trc_mem_write(c, trc_call_arg(c, 4), &len, sizeof(len)) ? -EFAULT : 0;
}

/* A destination other than the kernel (pid 0) has no socket here: told
 * after the payload was read, as netlink_sendmsg() finds the port only to
 * deliver (a bad payload is EFAULT first). */
static bool refused(const struct sockaddr_nl *nl)
{
	return nl->nl_pid || nl->nl_groups;
}

static int64_t nl_input(struct sock *s, struct trc_call *c,
			const struct iovec *iov, int iovcnt, bool refuse)
{
	size_t len;
	int64_t ret;

	drain(s);	/* what was sent natively comes first */
	nl_autobind(s);	/* before the payload is read */
	ret = ns__gather(s->ns, c, iov, iovcnt, &len);
	if (ret)
		return ret;
	if (trc_call_verify(c))	/* the msghdr, if nothing read since */
		return -EFAULT;
	if (refuse)
		return -ECONNREFUSED;
	rtnl_input(s->rtnl, s->ns->iobuf, len);
	return (int64_t)len;
}

#define NL_FAST_IOV	8

/*
 * A request and its destination (@uaddr, 0 for none): the address and
 * the payload in one process_vm_readv() and one ID check, where reading
 * them apart costs two of each (BIRD sends each route so).  Anything
 * unusual (many or big buffers, a fault) takes the two reads one after
 * the other, so the errors come in Linux's order: the address's (EINVAL,
 * EFAULT), the payload's (EFAULT, EMSGSIZE), then the port's.
 */
static int64_t nl_input_to(struct sock *s, struct trc_call *c, uint64_t uaddr,
			   uint32_t alen, const struct iovec *iov, int iovcnt)
{
	struct iovec l[2], r[NL_FAST_IOV + 1];
	struct sockaddr_nl nl;
	size_t total = 0;
	int64_t ret;
	int i, nr = 0;

	if (!alen)
		uaddr = 0;	/* netlink_sendmsg(): a name of length 0 is none */
	if (uaddr && (int32_t)alen < NL_ADDRLEN)
		return -EINVAL;
	for (i = 0; i < iovcnt && iovcnt <= NL_FAST_IOV && total <= 65535; i++)
		total += iov[i].iov_len > 65535 ? 65536 : iov[i].iov_len;
	if (iovcnt > NL_FAST_IOV || total > 65535)
		goto apart;
	drain(s);	/* what was sent natively comes first; uses iobuf */
	if (uaddr)
		r[nr++] = (struct iovec){ (void *)(uintptr_t)uaddr, sizeof(nl) };
	for (i = 0; i < iovcnt; i++)
		r[nr++] = iov[i];
	l[0] = (struct iovec){ &nl, uaddr ? sizeof(nl) : 0 };
	l[1] = (struct iovec){ s->ns->iobuf, total };
	if (trc_mem_readv(c, l, 2, r, (unsigned long)nr))
		goto apart;
	if (trc_call_verify(c))	/* the msghdr, if nothing read since */
		return -EFAULT;
	if (uaddr && nl.nl_family != AF_NETLINK)
		return -EINVAL;
	nl_autobind(s);
	if (uaddr && refused(&nl))
		return -ECONNREFUSED;
	rtnl_input(s->rtnl, s->ns->iobuf, total);
	return (int64_t)total;
apart:
	memset(&nl, 0, sizeof(nl));
	if (uaddr && (ret = get_nladdr(c, uaddr, alen, &nl)))
		return ret;
	return nl_input(s, c, iov, iovcnt, refused(&nl));
}

/* sendto(), sendmsg(), sendmmsg(): nl_input_to() checks a sendmsg()'s
 * msghdr with what it reads */
static int64_t nl_sendcall(struct sock *s, struct trc_call *c, int fd)
{
	return ns__send_each(s, c, nl_input_to, true);
}

/* The buffer a trapped recvfrom()/recvmsg() offers: 0 when unknown */
static size_t recv_room(struct trc_call *c)
{
	struct iovec *iov;
	struct msghdr mh;
	size_t i, room = 0;

	switch (trc_call_nr(c)) {
	case SYS_recvfrom:
		return (size_t)trc_call_arg(c, 2);
	case SYS_recvmsg:
		if (ns__read_msghdr(c, trc_call_arg(c, 1), &mh, &iov))
			return 0;
		for (i = 0; i < mh.msg_iovlen; i++)
			room += iov[i].iov_len;
		free(iov);
		return room;
	default:
		return 0;
	}
}

/*
 * A trapped receive: a lost datagram fails it once with ENOBUFS, as
 * netlink_recvmsg() does after netlink_overrun(); a bigger buffer than
 * seen before makes later dump datagrams fill it (max_recvmsg_len).
 * Receives the kernel serves natively (no address asked for) see neither.
 */
static int64_t nl_recv(struct sock *s, struct trc_call *c, int fd)
{
	size_t room = recv_room(c);
	int ret;

	if (room > rtnl_dgram_size(s->rtnl))
		rtnl_set_dgram_size(s->rtnl, room);
	/* What was written natively before this is answered when the
	 * program's end is found empty (ns__nl_refill()), not here: a
	 * recv() on sv per trapped receive, nearly always EAGAIN. */
	ret = rtnl_take_overrun(s->rtnl);
	if (ret)
		return ret;
	return ns__udp_recv_call(s, c, fd);	/* recvmmsg's timeout there */
}

static int64_t nl_unsupported(struct sock *s, struct trc_call *c, int fd)
{
	return -EOPNOTSUPP;
}

static int64_t nl_ioctl(struct sock *s, struct trc_call *c, int fd)
{
	return -ENOTTY;
}

typedef int64_t (*nl_fn)(struct sock *s, struct trc_call *c, int fd);

static const nl_fn nl_table[] = {
	[SYS_bind]        = nl_bind,
	[SYS_connect]     = nl_connect,
	[SYS_listen]      = nl_unsupported,
	[SYS_accept]      = nl_unsupported,
	[SYS_accept4]     = nl_unsupported,
	[SYS_getsockname] = nl_getsockname,
	[SYS_getpeername] = nl_getpeername,
	[SYS_shutdown]    = nl_unsupported,
	[SYS_setsockopt]  = nl_setsockopt,
	[SYS_getsockopt]  = nl_getsockopt,
	[SYS_sendto]      = nl_sendcall,
	[SYS_recvfrom]    = nl_recv,
	[SYS_sendmsg]     = nl_sendcall,
	[SYS_recvmsg]     = nl_recv,
	[SYS_sendmmsg]    = nl_sendcall,
	[SYS_recvmmsg]    = nl_recv,
	[SYS_ioctl]       = nl_ioctl,
};

/**
 * ns__nl_call() - a trapped call on a netlink socket
 * @s:		the socket
 * @c:		the call
 * @fd:		the program's fd
 *
 * Return: a value, a negative errno, NS_PARKED or NS_CONTINUE
 */
int64_t ns__nl_call(struct sock *s, struct trc_call *c, int fd)
{
	int nr = trc_call_nr(c);

	if (nr < 0 || (size_t)nr >= sizeof(nl_table) / sizeof(nl_table[0]) ||
	    !nl_table[nr])
		return NS_CONTINUE;
	return nl_table[nr](s, c, fd);
}
