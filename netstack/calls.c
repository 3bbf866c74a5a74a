/* SPDX-License-Identifier: MIT */
/*
 * calls.c - the trapped socket calls: decode, find the socket, dispatch.
 *
 * One table maps each trapped system call to its handler.  A handler gets
 * the socket named by the call's first argument (found by the inode of
 * the program's fd) and returns a value, a negative errno, or one of
 * NS_CONTINUE (not ours: the kernel runs it), NS_PARKED (answered later)
 * and NS_DONE (answered already, with an fd).  Arguments from the program
 * are hostile: every pointer may be bad (-EFAULT), every length wrong
 * (-EINVAL); nothing here trusts them.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <linux/sockios.h>
#include <linux/time_types.h>

#include "lwip/ip_addr.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"

#include "internal.h"
#include "log.h"
#include "vdev.h"

#define MAX_ADDRLEN	128
#define MAX_IOVCNT	1024	/* UIO_MAXIOV */

/* Loopback passes a trapped call may run before its answer: a TCP
 * handshake's SYN, SYN-ACK and ACK, and one more for an ICMP error. */
#define LO_CALL_PASSES	4

typedef int64_t (*call_fn)(struct ns *ns, struct trc_call *c, struct sock *s,
			   int fd);

/*
 * inet_socket_args() - whether an AF_INET or AF_INET6 socket of @type and
 * *@proto can be made, as inet_create() and inet6_create() judge
 * @proto:	the protocol asked, set to the one chosen for 0
 *
 * Return: 0, -EINVAL, -EPROTONOSUPPORT or -ESOCKTNOSUPPORT
 */
static int inet_socket_args(int domain, int type, int *proto)
{
	/* inet_create(): IPPROTO_MAX is 263 since Linux 5.6 (MPTCP's 262,
	 * which the sandbox lacks: EPROTONOSUPPORT, as a kernel without it) */
	if (*proto < 0 || *proto >= 263)
		return -EINVAL;
	switch (type) {
	case SOCK_STREAM:
		if (*proto && *proto != IPPROTO_TCP)
			return -EPROTONOSUPPORT;
		*proto = IPPROTO_TCP;
		return 0;
	case SOCK_DGRAM:
		/* Ping sockets: always allowed, no ping_group_range. */
		if (*proto == (domain == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6))
			return 0;
		if (*proto && *proto != IPPROTO_UDP)
			return -EPROTONOSUPPORT;
		*proto = IPPROTO_UDP;
		return 0;
	case SOCK_RAW:
		/* The sandbox is the program's own network: no CAP_NET_RAW. */
		return !*proto || *proto > 255 ? -EPROTONOSUPPORT : 0;
	default:
		/* __sock_create() refuses a type from SOCK_MAX (11) on;
		 * inet_create() finds none registered for the rest, 0
		 * included */
		return type > 10 ? -EINVAL : -ESOCKTNOSUPPORT;
	}
}

static int64_t do_socket(struct ns *ns, struct trc_call *c, struct sock *unused,
			 int unused_fd)
{
	int domain = (int)trc_call_arg(c, 0);
	int type = (int)trc_call_arg(c, 1) & 0xf;
	int flags = (int)trc_call_arg(c, 1) & ~0xf;
	int proto = (int)trc_call_arg(c, 2);
	struct sock *s;
	int tend, ret;

	if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	if (domain == AF_NETLINK)
		return ns__nl_socket(ns, c, type, flags, proto);
	if (domain == AF_PACKET)
		return ns__pk_socket(ns, c, type, flags, proto);
	if (domain != AF_INET && domain != AF_INET6)
		return -EAFNOSUPPORT;
	if ((ret = inet_socket_args(domain, type, &proto)))
		return ret;
	s = ns__sock_new(ns, domain, type, proto);
	if (!s)
		return -ENOMEM;
	s->uid = ns__sock_uid(ns, c ? trc_call_pid(c) : 0);
	/* Datagram pairs are SEQPACKET: like DGRAM, but the program's last
	 * close shows as POLLHUP on sv. */
	ret = ns__sock_pair(s, type == SOCK_STREAM ? SOCK_STREAM : SOCK_SEQPACKET,
			    flags & SOCK_NONBLOCK, &tend);
	if (ret) {
		ns__sock_free(s);
		return ret;
	}
	ns__sock_register(s, s->ino);
	if (type == SOCK_STREAM) {
		ns__tcp_stuff(s, tend);
		ret = ns__tcp_open(s);
	} else if (ns__on_raw(s)) {
		ret = ns__raw_open(s);
	} else {
		ret = ns__udp_open(s);
	}
	if (ret) {
		close(tend);
		ns__sock_free(s);
		return ret;
	}
	ns__sock_install(ns, c, s, tend, flags, type == SOCK_STREAM ?
			 UV_DISCONNECT : UV_READABLE | UV_DISCONNECT);
	return NS_DONE;
}

/*
 * socketpair() of a family other than AF_UNIX (the filter lets AF_UNIX
 * through and traps the rest): refused in __sys_socketpair()'s order.
 * Flags (EINVAL); the two fd numbers it writes to @sv before it makes a
 * socket (EFAULT: here the 8 bytes are read and written back as they
 * were); the first socket's making (socket()'s errors: no family but
 * AF_INET, AF_INET6 and AF_NETLINK, as socket() here); then EOPNOTSUPP,
 * as no protocol but AF_UNIX makes pairs.  Never run natively.
 */
static int64_t do_socketpair(struct ns *ns, struct trc_call *c,
			     struct sock *unused, int unused_fd)
{
	int domain = (int)trc_call_arg(c, 0);
	int type = (int)trc_call_arg(c, 1) & 0xf;
	int flags = (int)trc_call_arg(c, 1) & ~0xf;
	int proto = (int)trc_call_arg(c, 2), ret;
	int sv[2];

	if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	if (trc_mem_read(c, trc_call_arg(c, 3), sv, sizeof(sv)) ||
	    trc_mem_write(c, trc_call_arg(c, 3), sv, sizeof(sv)))
		return -EFAULT;
	if (domain == AF_NETLINK) {
		/* netlink_create(); a protocol the sandbox lacks is the
		 * host's all the same */
		if (type != SOCK_RAW && type != SOCK_DGRAM)
			return -ESOCKTNOSUPPORT;
		if (proto < 0 || proto >= 32)	/* MAX_LINKS */
			return -EPROTONOSUPPORT;
		return -EOPNOTSUPP;
	}
	if (domain == AF_PACKET)	/* packet_create(), then no pairs */
		return type != SOCK_RAW && type != SOCK_DGRAM ? -ESOCKTNOSUPPORT
							      : -EOPNOTSUPP;
	if (domain != AF_INET && domain != AF_INET6)
		return -EAFNOSUPPORT;
	if ((ret = inet_socket_args(domain, type, &proto)))
		return ret;
	return -EOPNOTSUPP;
}

/**
 * ns__sock_install() - put a new socket's program end into the program
 * @ns:		the stack
 * @c:		the socket() call; finished here
 * @s:		the socket, registered, with its pair
 * @tend:	the program's end (closed or kept here)
 * @flags:	SOCK_NONBLOCK, SOCK_CLOEXEC from socket()
 * @events:	what to watch on sv once the supervisor drops its reference
 *
 * On failure the socket is freed and the program gets the error.
 *
 * Return: 0, or the negative errno of a failure (@s is gone)
 */
int ns__sock_install(struct ns *ns, struct trc_call *c, struct sock *s,
		     int tend, int flags, int events)
{
	static const char *const fam[] = { [AF_INET] = "AF_INET",
		[AF_INET6] = "AF_INET6", [AF_NETLINK] = "AF_NETLINK",
		[AF_PACKET] = "AF_PACKET" };
	pid_t pid = trc_call_pid(c);
	int ret;

	ret = trc_call_addfd(c, tend, flags & SOCK_CLOEXEC);	/* frees c */
	calls("pid %d: socket(%s, %s) = %d", (int)pid, fam[s->family],
	      s->type == SOCK_STREAM ? "SOCK_STREAM" :
	      s->type == SOCK_RAW ? "SOCK_RAW" : "SOCK_DGRAM", ret);
	if (ret < 0) {
		close(tend);
		ns__sock_free(s);
		return ret;
	}
	s->hint_pid = pid;
	s->hint_fd = ret;
	if (ns->fetch) {
		/* Drop our reference: sv sees the program's last close. */
		close(tend);
		ns__sock_poll(s, events);
	} else {
		s->tref = tend;
		ns__sock_set_held(s, true);
	}
	return 0;
}

/* The program's address copied in, as move_addr_to_kernel(): -EINVAL for
 * a length out of range, -EFAULT; @len set to what was read. */
static int read_addr(struct trc_call *c, uint64_t uaddr, uint64_t ulen,
		     bool check, struct sockaddr_storage *ss, size_t *len)
{
	int64_t l = (int32_t)ulen;

	if (l < 0 || l > MAX_ADDRLEN)
		return -EINVAL;
	if (l > (int64_t)sizeof(*ss))
		l = sizeof(*ss);
	*len = (size_t)l;
	if (check ? trc_mem_read(c, uaddr, ss, *len) :
		    trc_mem_read_first(c, uaddr, ss, *len))
		return -EFAULT;
	return 0;
}

/* The call's address for its -v log line */
static void log_addr(struct sock *s, const ip_addr_t *ip, uint16_t port)
{
	char a[IPADDR_STRLEN_MAX];

	if (!log_enabled(LOG_CALLS))
		return;
	ipaddr_ntoa_r(ip, a, sizeof(a));
	snprintf(s->ns->what, sizeof(s->ns->what),
		 IP_IS_V6(ip) ? ", [%s]:%u" : ", %s:%u", a, port);
}

/* ns__addr_from_user() on what read_addr() read, logged with -v */
static int parse_addr(struct sock *s, const struct sockaddr_storage *ss,
		      size_t len, ip_addr_t *ip, uint16_t *port)
{
	int ret = ns__addr_from_user(s, ss, len, ip, port);

	if (!ret)
		log_addr(s, ip, *port);
	return ret;
}

/* Copy in a sockaddr and parse it for @s; unchecked (@check false), the
 * call's next checked read or trc_call_verify() checks it before use. */
static int get_addr(struct trc_call *c, struct sock *s, uint64_t uaddr,
		    uint64_t ulen, ip_addr_t *ip, uint16_t *port, bool check)
{
	struct sockaddr_storage ss;
	size_t len;
	int ret = read_addr(c, uaddr, ulen, check, &ss, &len);

	return ret ? ret : parse_addr(s, &ss, len, ip, port);
}

/*
 * v4_name_on_v6() - an AF_INET name given to a UDP socket of AF_INET6, as
 * udpv6_sendmsg() and ip6_datagram_connect() take it: the IPv4 address
 * and port, as a v4-mapped name would give them.  A send is refused with
 * ENETUNREACH on an IPV6_V6ONLY socket, then as udp_sendmsg() refuses
 * (MSG_OOB, a short name, port 0); a connect (@flags -1) with
 * EAFNOSUPPORT, then as __ip4_datagram_connect() (a short name).
 *
 * Return: 0, or a negative errno
 */
static int v4_name_on_v6(struct sock *s, const struct sockaddr_storage *ss,
			 size_t len, int flags, ip_addr_t *ip, uint16_t *port)
{
	struct sockaddr_in sin;
	bool send = flags >= 0;

	if (s->v6only)
		return send ? -ENETUNREACH : -EAFNOSUPPORT;
	if (send && (flags & MSG_OOB))
		return -EOPNOTSUPP;
	if (len < sizeof(sin))
		return -EINVAL;
	memcpy(&sin, ss, sizeof(sin));
	ip_addr_set_ip4_u32_val(*ip, sin.sin_addr.s_addr);
	*port = ntohs(sin.sin_port);
	if (send && !*port)
		return -EINVAL;
	log_addr(s, ip, *port);
	return 0;
}

/*
 * get_send_addr() - a datagram's destination, judged as Linux's sendmsg()
 * of its protocol judges it before the payload:
 * - MSG_OOB is EOPNOTSUPP before the address is looked at in
 *   udp_sendmsg(), raw_sendmsg(), rawv6_sendmsg() and
 *   ping_common_sendmsg() (after their EMSGSIZE past 65535 bytes, left
 *   to ns__gather()); udpv6_sendmsg() ignores it, but hands a datagram
 *   to IPv4 (a v4-mapped destination) to udp_sendmsg();
 * - udpv6_sendmsg() takes an AF_UNSPEC name as none, hands an AF_INET
 *   one to udp_sendmsg() (ENETUNREACH on an IPV6_V6ONLY socket; EINVAL
 *   shorter than a sockaddr_in) and refuses other families with EINVAL
 *   (EAFNOSUPPORT elsewhere);
 * - a UDP destination port 0 is EINVAL.
 * @flags:	the call's flags (MSG_*)
 * @paylen:	the payload's length
 *
 * Return: 0, 1 for no name (the call goes on as without one), or a
 * negative errno as get_addr()
 */
static int get_send_addr(struct trc_call *c, struct sock *s, uint64_t uaddr,
			 uint64_t ulen, int flags, uint64_t paylen, ip_addr_t *ip,
			 uint16_t *port)
{
	bool udp = !ns__on_raw(s), oob = (flags & MSG_OOB) && paylen <= 65535;
	struct sockaddr_storage ss;
	size_t len;
	int ret;

	if ((ret = read_addr(c, uaddr, ulen, false, &ss, &len)))
		return ret;
	/* inet_send_prepare(): a UDP socket gets its port before its
	 * protocol looks at the name, so a refused one leaves it bound */
	if (udp && s->type == SOCK_DGRAM && (ret = ns__udp_autobind(s)))
		return ret;
	if (oob && (!udp || s->family == AF_INET))
		return -EOPNOTSUPP;
	if (udp && s->family == AF_INET6 && len >= sizeof(sa_family_t)) {
		if (ss.ss_family == AF_UNSPEC)
			return 1;
		if (ss.ss_family == AF_INET)
			return v4_name_on_v6(s, &ss, len, flags, ip, port);
		if (ss.ss_family != AF_INET6)
			return -EINVAL;
	}
	/* a scope id naming no device: no route (bind()'s ENODEV) */
	if ((ret = parse_addr(s, &ss, len, ip, port)))
		return ret == -ENODEV ? -ENETUNREACH : ret;
	if (udp && oob && IP_IS_V4(ip))
		return -EOPNOTSUPP;
	return udp && !*port ? -EINVAL : 0;
}

/*
 * A datagram to the wildcard goes to this host, as on Linux: IPv4 to the
 * socket's bound address, else 127.0.0.1 (__ip_route_output_key() with
 * no destination); IPv6 to ::1 (udpv6_sendmsg(), rawv6_sendmsg() and
 * ip6_datagram_connect(): "connect to self if remote address is
 * unspecified"), except that an IPv6 ping socket's sendto() does not
 * (ping_v6_sendmsg(): ENETUNREACH, as natively).  glibc's getaddrinfo()
 * sorts its answers by connect()ing a UDP socket to each, so `::` and
 * `0.0.0.0` must route.  TCP does the same in ns__tcp_connect().
 *
 * Return: 0, or -ENETUNREACH
 */
static int wildcard_to_self(struct sock *s, ip_addr_t *ip, bool connect)
{
	static const ip_addr_t lo4 = IPADDR4_INIT_BYTES(127, 0, 0, 1);
	static const ip_addr_t lo6 = IPADDR6_INIT_HOST(0, 0, 0, 1);
	ip_addr_t local;
	uint16_t port;

	if (!ip_addr_isany(ip))
		return 0;
	if (IP_IS_V6(ip)) {
		if (!connect && s->type == SOCK_DGRAM && s->proto == IPPROTO_ICMPV6)
			return -ENETUNREACH;
		ip_addr_copy(*ip, lo6);
		return 0;
	}
	if (ns__on_raw(s))
		ns__raw_names(s, false, &local, &port);
	else
		ns__udp_names(s, false, &local, &port);
	if (IP_IS_V4(&local) && !ip_addr_isany(&local))
		ip_addr_copy(*ip, local);
	else
		ip_addr_copy(*ip, lo4);
	return 0;
}

/**
 * ns__sock_name() - an inet socket's own name, or its peer's (getsockname(),
 *		     getpeername(), IP_PROTOCOL's port)
 * @s:		the socket
 * @peer:	the peer's, else its own
 * @ip:		set to the address
 * @port:	set to the port
 */
void ns__sock_name(struct sock *s, bool peer, ip_addr_t *ip, uint16_t *port)
{
	if (s->type == SOCK_STREAM)
		ns__tcp_names(s, peer, ip, port);
	else if (ns__on_raw(s))
		ns__raw_names(s, peer, ip, port);
	else
		ns__udp_names(s, peer, ip, port);
}

/*
 * A bind() or connect() that failed as made a second time (EINVAL,
 * EISCONN) and may be the return of one a signal took its success from
 * (tracer/notify.c struct replay): done already if the socket is bound or
 * connected to that very address and port (any port, for a bind to 0).
 */
static bool done_before(struct trc_call *c, struct sock *s, bool peer,
			const ip_addr_t *ip, uint16_t port)
{
	ip_addr_t has;
	uint16_t has_port;

	if (!trc_call_again(c))
		return false;
	ns__sock_name(s, peer, &has, &has_port);
	if (!has_port || (port && port != has_port))
		return false;
	if (ip_addr_isany(&has) && ip_addr_isany(ip))
		return true;
	return ip_addr_cmp(&has, ip);
}

/* bind() of @s to what the call named: 0 or a negative errno */
static int bind_to(struct sock *s, ip_addr_t *ip, uint16_t port)
{
	int ret;

	if (s->type == SOCK_DGRAM && s->proto == IPPROTO_ICMPV6) {
		/* ping_check_bind_addr(): a scope id it needs, never
		 * SO_BINDTODEVICE's; the device is bound once the address
		 * is found on it (ping_set_saddr()) */
		if (ns__addr_unscoped(ip))
			return -EINVAL;
		ret = ns__raw_bind(s, ip, port);
		return ret ? ret : ns__addr_scope_take(s, ip, true, false);
	}
	/* inet6_bind(): TCP takes no group */
	if (s->type == SOCK_STREAM && IP_IS_V6(ip) && ip6_addr_ismulticast(ip_2_ip6(ip)))
		return -EINVAL;
	/* __inet6_bind(), rawv6_bind(): a scope id binds the device,
	 * whatever the bind's outcome */
	if ((ret = ns__addr_scope_take(s, ip, true, false)))
		return ret;
	if (ns__on_raw(s))
		return ns__raw_bind(s, ip, port);
	ret = s->type == SOCK_STREAM ? ns__tcp_bind(s, ip, port) :
				       ns__udp_bind(s, ip, port);
	/* __inet6_bind(): an IPv6 address, not v4-mapped, makes the socket
	 * IPv6-only, as IPV6_V6ONLY then reads */
	if (!ret && s->family == AF_INET6 && IP_IS_V6(ip) &&
	    !ip6_addr_isany(ip_2_ip6(ip)))
		s->v6only = true;
	if (!ret && s->family == AF_INET6 && IP_IS_V4(ip) && ip_addr_isany(ip))
		s->v4any_bound = true;
	return ret;
}

static int64_t do_bind(struct ns *ns, struct trc_call *c, struct sock *s, int fd)
{
	ip_addr_t ip;
	uint16_t port;
	int ret;

	ret = get_addr(c, s, trc_call_arg(c, 1), trc_call_arg(c, 2), &ip, &port,
		       true);
	if (ret)
		return ret == -ENETUNREACH ? -EINVAL : ret;	/* mapped, V6ONLY */
	ret = bind_to(s, &ip, port);
	if (ret == -EINVAL && done_before(c, s, false, &ip, port)) {
		calls("pid %d: bind() made again after a signal: bound already",
		      (int)trc_call_pid(c));
		return 0;
	}
	return ret;
}

static int64_t do_connect(struct ns *ns, struct trc_call *c, struct sock *s,
			  int fd)
{
	int32_t len = (int32_t)trc_call_arg(c, 2);
	struct sockaddr_storage ss;
	ip_addr_t ip;
	uint16_t port;
	bool have;
	int64_t r;
	int ret;

	if (s->family != AF_NETLINK && s->type != SOCK_STREAM)
		ns__dgram_send_written(s);	/* written before: the old peer */
	/* The whole address in one read (get_addr() finds it in the call's
	 * memo), checked before its family decides anything.  A length
	 * Linux refuses (move_addr_to_kernel()) is left to get_addr(). */
	have = len >= (int32_t)sizeof(sa_family_t) && len <= MAX_ADDRLEN &&
	       !trc_mem_read_first(c, trc_call_arg(c, 1), &ss,
				   len < (int32_t)sizeof(ss) ? (size_t)len :
								sizeof(ss));
	if (have && ss.ss_family == AF_UNSPEC) {
		if ((ret = trc_call_verify(c)))
			return ret;
		if (s->type == SOCK_STREAM)
			return ns__tcp_disconnect(s, c, fd);
		/* __udp_disconnect() (raw and ping sockets' too) unbinds
		 * the device, SO_BINDTODEVICE's as well (Linux 6.18) */
		if (s->bound_ifindex) {
			s->bound_ifindex = 0;
			ns__bind_dev_apply(s);
		}
		if (ns__on_raw(s))
			return ns__raw_connect(s, NULL);
		return ns__udp_connect(s, NULL, 0);
	}
	/* inet_dgram_connect(): a UDP socket gets its port before its
	 * protocol looks at the address, so a refused one leaves it bound */
	if (have && s->type == SOCK_DGRAM && !ns__on_raw(s) &&
	    ((ret = trc_call_verify(c)) || (ret = ns__udp_autobind(s))))
		return ret;
	if (have && ss.ss_family == AF_INET && s->family == AF_INET6 &&
	    s->type == SOCK_DGRAM && !ns__on_raw(s)) {
		/* ip6_datagram_connect(): __ip4_datagram_connect() */
		if ((ret = trc_call_verify(c)) ||
		    (ret = v4_name_on_v6(s, &ss, (size_t)len, -1, &ip, &port)))
			return ret;
	} else if ((ret = get_addr(c, s, trc_call_arg(c, 1), trc_call_arg(c, 2),
				   &ip, &port, true))) {
		/* a scope id naming no device: no route (Linux looks it up
		 * only to route, where bind() says ENODEV) */
		return ret == -ENODEV ? -ENETUNREACH : ret;
	}
	if (s->type == SOCK_STREAM) {
		/* tcp_v6_connect(): a group is unreachable before its scope
		 * is looked at */
		if (IP_IS_V6(&ip) && ip6_addr_ismulticast(ip_2_ip6(&ip)))
			return -ENETUNREACH;
		if ((ret = ns__addr_scope_take(s, &ip, false, false)))
			return ret;
		/* a device (the scope id's) needs a route through it */
		if (IP_IS_V6(&ip) && s->bound_ifindex &&
		    (ret = ns__dgram_strict6(s, ip_2_ip6(&ip), s->bound_ifindex,
					     NULL, false)))
			return ret;
		/* a listener that was shut down: its pair is spent */
		if ((ret = ns__tcp_unshut(s, c, fd)))
			return ret;
		r = ns__tcp_connect(s, c, fd, &ip, port);
		if (r == -EISCONN && s->state == SK_CONNECTED &&
		    done_before(c, s, true, &ip, port)) {
			calls("pid %d: connect() made again after a signal: "
			      "connected already", (int)trc_call_pid(c));
			return 0;
		}
		return r;
	}
	if ((ret = ns__addr_scope_take(s, &ip, false, true)))
		return ret;
	wildcard_to_self(s, &ip, true);
	if (ns__on_raw(s))
		return ns__raw_connect(s, &ip);
	ret = ns__udp_connect(s, &ip, port);
	/* errq.c: a port unreachable is to say POLLERR and fail recv() */
	if (!ret && s->proto == IPPROTO_UDP)
		ns__errq_switch(s, c, fd, "connect()'s errors");
	return ret;
}

static int64_t do_listen(struct ns *ns, struct trc_call *c, struct sock *s,
			 int fd)
{
	int ret;

	if (s->type != SOCK_STREAM)
		return -EOPNOTSUPP;
	/* a listener that was shut down: its pair is spent */
	if ((ret = ns__tcp_unshut(s, c, fd)))
		return ret;
	return ns__tcp_listen(s, (int)trc_call_arg(c, 1));
}

static int64_t do_accept(struct ns *ns, struct trc_call *c, struct sock *s,
			 int fd)
{
	int flags = trc_call_nr(c) == SYS_accept4 ? (int)trc_call_arg(c, 3) : 0;

	if (s->type != SOCK_STREAM)
		return -EOPNOTSUPP;
	return ns__tcp_accept(s, c, fd, trc_call_arg(c, 1), trc_call_arg(c, 2),
			      flags);
}

static int64_t names(struct trc_call *c, struct sock *s, bool peer)
{
	ip_addr_t ip;
	uint16_t port;
	int32_t len;

	/* As Linux: not connected before any copying; a reset connection
	 * (SK_CLOSED) has no peer either (TCP_CLOSE). */
	if (peer && s->type == SOCK_STREAM && s->state != SK_CONNECTED)
		return -ENOTCONN;
	if (peer && ns__on_raw(s) && !ns__raw_connected(s))
		return -ENOTCONN;
	ns__sock_name(s, peer, &ip, &port);
	if (peer && s->type != SOCK_STREAM && !ns__on_raw(s) && !port)
		return -ENOTCONN;	/* UDP, not connected */
	if (trc_mem_read(c, trc_call_arg(c, 2), &len, sizeof(len)))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	if (!trc_call_arg(c, 1) && len)
		return -EFAULT;
	return ns__addr_put(c, s, &ip, port, trc_call_arg(c, 1), trc_call_arg(c, 2));
}

static int64_t do_getsockname(struct ns *ns, struct trc_call *c, struct sock *s,
			      int fd)
{
	return names(c, s, false);
}

static int64_t do_getpeername(struct ns *ns, struct trc_call *c, struct sock *s,
			      int fd)
{
	return names(c, s, true);
}

static int64_t do_shutdown(struct ns *ns, struct trc_call *c, struct sock *s,
			   int fd)
{
	int how = (int)trc_call_arg(c, 1);

	if (how < SHUT_RD || how > SHUT_RDWR)
		return -EINVAL;
	if (s->type == SOCK_STREAM)
		return ns__tcp_shutdown(s, c, fd, how);
	if (ns__on_raw(s) ? !ns__raw_connected(s) :
	    s->type == SOCK_DGRAM && !(s->pcb.udp->flags & UDP_FLAGS_CONNECTED))
		return -ENOTCONN;
	/* The kernel shuts the program's end; sv sees EOF or EPIPE.  Noted,
	 * so that EOF on sv without it means the program closed. */
	if (how != SHUT_RD)
		s->prog_shut_wr = true;
	return NS_CONTINUE;
}

/* -v: name the level and option of a [gs]etsockopt(), as strace does */
static void opt_what(struct ns *ns, struct trc_call *c)
{
	static const struct { int level, name; const char *s; } names[] = {
#define O(l, n) { l, n, #l ", " #n }
		O(SOL_SOCKET, SO_REUSEADDR), O(SOL_SOCKET, SO_REUSEPORT),
		O(SOL_SOCKET, SO_KEEPALIVE), O(SOL_SOCKET, SO_BROADCAST),
		O(SOL_SOCKET, SO_RCVBUF), O(SOL_SOCKET, SO_SNDBUF),
		O(SOL_SOCKET, SO_RCVBUFFORCE), O(SOL_SOCKET, SO_SNDBUFFORCE),
		O(SOL_SOCKET, SO_ERROR), O(SOL_SOCKET, SO_TYPE),
		O(SOL_SOCKET, SO_BINDTODEVICE), O(SOL_SOCKET, SO_BINDTOIFINDEX),
		O(SOL_SOCKET, SO_DONTROUTE), O(SOL_SOCKET, SO_PRIORITY),
		O(SOL_SOCKET, SO_LINGER), O(SOL_SOCKET, SO_TIMESTAMP),
		O(SOL_SOCKET, SO_RCVTIMEO), O(SOL_SOCKET, SO_SNDTIMEO),
		O(IPPROTO_IP, IP_TOS), O(IPPROTO_IP, IP_TTL),
		O(IPPROTO_IP, IP_MINTTL), O(IPPROTO_IP, IP_PKTINFO),
		O(IPPROTO_IP, IP_RECVTTL), O(IPPROTO_IP, IP_RECVERR),
		O(IPPROTO_IP, IP_MTU_DISCOVER), O(IPPROTO_IP, IP_HDRINCL),
		O(IPPROTO_IP, IP_MULTICAST_IF), O(IPPROTO_IP, IP_MULTICAST_TTL),
		O(IPPROTO_IP, IP_MULTICAST_LOOP), O(IPPROTO_IP, IP_ADD_MEMBERSHIP),
		O(IPPROTO_IP, IP_DROP_MEMBERSHIP), O(IPPROTO_IP, IP_FREEBIND),
		O(IPPROTO_IPV6, IPV6_V6ONLY), O(IPPROTO_IPV6, IPV6_UNICAST_HOPS),
		O(IPPROTO_IPV6, IPV6_MINHOPCOUNT), O(IPPROTO_IPV6, IPV6_TCLASS),
		O(IPPROTO_IPV6, IPV6_RECVPKTINFO), O(IPPROTO_IPV6, IPV6_RECVHOPLIMIT),
		O(IPPROTO_IPV6, IPV6_2292PKTINFO), O(IPPROTO_IPV6, IPV6_2292HOPLIMIT),
		O(IPPROTO_IPV6, IPV6_CHECKSUM), O(IPPROTO_IPV6, IPV6_MULTICAST_IF),
		O(IPPROTO_IPV6, IPV6_MULTICAST_HOPS), O(IPPROTO_IPV6, IPV6_MULTICAST_LOOP),
		O(IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP), O(IPPROTO_IPV6, IPV6_DROP_MEMBERSHIP),
		O(IPPROTO_IPV6, IPV6_JOIN_ANYCAST), O(IPPROTO_IPV6, IPV6_LEAVE_ANYCAST),
		O(IPPROTO_IPV6, IPV6_RECVERR), O(IPPROTO_IPV6, IPV6_MTU),
		O(IPPROTO_IPV6, IPV6_MTU_DISCOVER), O(IPPROTO_IPV6, IPV6_DONTFRAG),
		O(IPPROTO_IPV6, IPV6_FREEBIND),
		O(IPPROTO_TCP, TCP_NODELAY), O(IPPROTO_TCP, TCP_MAXSEG),
		O(IPPROTO_TCP, TCP_KEEPIDLE), O(IPPROTO_TCP, TCP_KEEPINTVL),
		O(IPPROTO_TCP, TCP_KEEPCNT), O(IPPROTO_TCP, TCP_INFO),
		O(IPPROTO_TCP, TCP_MD5SIG), O(IPPROTO_TCP, TCP_MD5SIG_EXT),
		O(IPPROTO_TCP, TCP_CONGESTION), O(IPPROTO_TCP, TCP_USER_TIMEOUT),
#undef O
	};
	int level = (int)trc_call_arg(c, 1), name = (int)trc_call_arg(c, 2);
	size_t i;

	if (!log_enabled(LOG_CALLS))
		return;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].level == level && names[i].name == name) {
			snprintf(ns->what, sizeof(ns->what), ", %s", names[i].s);
			return;
		}
	snprintf(ns->what, sizeof(ns->what), ", %d, %d", level, name);
}

static int64_t do_setsockopt(struct ns *ns, struct trc_call *c, struct sock *s,
			     int fd)
{
	int level = (int)trc_call_arg(c, 1), name = (int)trc_call_arg(c, 2);
	int64_t ret;

	opt_what(ns, c);
	if (s->family == AF_NETLINK || s->type == SOCK_STREAM)
		return ns__setsockopt(s, c);
	ns__dgram_send_written(s);	/* written before: the old options */
	ret = ns__setsockopt(s, c);
	/* errq.c: a socket that asks for its errors gets POLLERR for them */
	if (!ret && (s->recverr || s->ip_recverr) &&
	    ((level == IPPROTO_IP && name == IP_RECVERR) ||
	     (level == IPPROTO_IPV6 && name == IPV6_RECVERR)))
		ns__errq_switch(s, c, fd, "POLLERR");
	return ret;
}

static int64_t do_getsockopt(struct ns *ns, struct trc_call *c, struct sock *s,
			     int fd)
{
	opt_what(ns, c);
	return ns__getsockopt(s, c);
}

/* Gather @len bytes of the program's data into the stack's buffer. */
/**
 * ns__gather() - copy the program's buffers into the stack's iobuf
 * @ns:		the stack
 * @c:		the call
 * @iov:	the program's buffers (tracee addresses)
 * @iovcnt:	their number
 * @len:	set to the bytes copied
 *
 * Return: 0, -EMSGSIZE past 65535 bytes, or -EFAULT
 */
int64_t ns__gather(struct ns *ns, struct trc_call *c, const struct iovec *iov,
		   int iovcnt, size_t *len)
{
	struct iovec l;
	size_t total = 0;
	int i;

	for (i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len > 65535 || total + iov[i].iov_len > 65535)
			return -EMSGSIZE;
		total += iov[i].iov_len;
	}
	l.iov_base = ns->iobuf;
	l.iov_len = total;
	if (trc_mem_readv(c, &l, 1, iov, (unsigned long)iovcnt))
		return -EFAULT;
	*len = total;
	return 0;
}

/*
 * One datagram to its protocol.  A pending ICMP error fails it first, as
 * Linux's sock_alloc_send_pskb() does.
 */
static int64_t send_dgram(struct sock *s, size_t len, const ip_addr_t *ip,
			  uint16_t port, const struct ns_sendopts *o)
{
	int err;

	if (ns__icmp_take_error(s, &err))
		return -err;
	if (ns__on_raw(s))
		return ns__raw_sendto(s, s->ns->iobuf, len, ip, o);
	return ns__udp_sendto(s, s->ns->iobuf, len, ip, port, o);
}

/*
 * written_first() - before a trapped send on a datagram socket, send what
 * the program wrote natively: only a connected socket has such datagrams
 * (send() without an address), and on Linux they leave before this one
 * (a connected UDP socket's send() burst, then a sendto() or a sendmsg()
 * with control data, overtook them).  Costs one empty recv() when there
 * are none; unconnected sockets (BFD, OSPF, DNS servers) pay nothing.
 */
static bool dgram_connected(const struct sock *s)
{
	return ns__on_raw(s) ? ns__raw_connected(s) :
	       s->pcb.udp && (s->pcb.udp->flags & UDP_FLAGS_CONNECTED);
}

/* Whether a datagram of @s to @ip (NULL: the connected peer) is IPv4: an
 * AF_INET6 socket's to a v4-mapped address is, as Linux sends it. */
static bool dgram_v4(const struct sock *s, const ip_addr_t *ip)
{
	if (s->family != AF_INET6)
		return true;
	if (ip)
		return IP_IS_V4(ip);
	return !ns__on_raw(s) && s->pcb.udp && IP_IS_V4(&s->pcb.udp->remote_ip);
}

static void written_first(struct sock *s)
{
	if (dgram_connected(s))
		ns__dgram_send_written(s);
}

static int64_t udp_sendmsg(struct ns *ns, struct trc_call *c, struct sock *s,
			   const struct msghdr *mh, const struct iovec *iov,
			   int flags);

static int64_t do_sendto(struct ns *ns, struct trc_call *c, struct sock *s,
			 int fd)
{
	struct iovec iov = {
		(void *)(uintptr_t)trc_call_arg(c, 1), (size_t)trc_call_arg(c, 2),
	};
	ip_addr_t ip;
	uint16_t port;
	size_t len;
	int64_t ret;

	if (s->type == SOCK_STREAM)	/* the address is ignored, as on Linux */
		return ns__tcp_send(s, c, fd, &iov, 1, (int)trc_call_arg(c, 3));
	/* the payload's read checks the address's too */
	ret = get_send_addr(c, s, trc_call_arg(c, 4), trc_call_arg(c, 5),
			    (int)trc_call_arg(c, 3), iov.iov_len, &ip, &port);
	if (ret == 1) {		/* AF_UNSPEC on IPv6: as without a name */
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

		return udp_sendmsg(ns, c, s, &mh, &iov, (int)trc_call_arg(c, 3));
	}
	if (ret)
		return ret;
	written_first(s);	/* before ns__gather() fills iobuf */
	ret = ns__gather(ns, c, &iov, 1, &len);
	if ((ret == -EMSGSIZE || !ret) && trc_call_verify(c))
		return -EFAULT;	/* the address, if no payload was read */
	if (ret == -EMSGSIZE && !wildcard_to_self(s, &ip, false))
		return ns__dgram_too_big(s, &ip, port);
	if (ret)
		return ret;
	if ((ret = wildcard_to_self(s, &ip, false)))
		return ret;
	return send_dgram(s, len, &ip, port, NULL);
}

/**
 * ns__read_msghdr_first() - copy in a msghdr and its iovec array, unchecked
 * @c:		the call
 * @umsg:	the program's msghdr
 * @mh:		filled in
 * @iov:	set to a copy of its iovec array, to free()
 *
 * Without the check that the caller still waits (trc_mem_read_first()):
 * for a send, whose next read of the program's memory (the payload, the
 * address) or trc_call_verify() checks both before anything is done.
 *
 * Return: 0, -EFAULT, -EMSGSIZE or -ENOMEM
 */
int ns__read_msghdr_first(struct trc_call *c, uint64_t umsg, struct msghdr *mh,
			  struct iovec **iov)
{
	size_t sz;

	if (trc_mem_read_first(c, umsg, mh, sizeof(*mh)))
		return -EFAULT;
	if (mh->msg_iovlen > MAX_IOVCNT)
		return -EMSGSIZE;
	sz = mh->msg_iovlen * sizeof(**iov);
	*iov = malloc(sz ? sz : 1);
	if (!*iov)
		return -ENOMEM;
	if (sz && trc_mem_read_first(c, (uint64_t)(uintptr_t)mh->msg_iov, *iov, sz)) {
		free(*iov);
		return -EFAULT;
	}
	return 0;
}

/**
 * ns__read_msghdr() - copy in a msghdr and its iovec array
 * @c:		the call
 * @umsg:	the program's msghdr
 * @mh:		filled in
 * @iov:	set to a copy of its iovec array, to free()
 *
 * Return: 0, -EFAULT, -EMSGSIZE or -ENOMEM
 */
int ns__read_msghdr(struct trc_call *c, uint64_t umsg, struct msghdr *mh,
		    struct iovec **iov)
{
	/* One check that the caller still waits covers both reads, and
	 * an EMSGSIZE decided on what they read. */
	int ret = ns__read_msghdr_first(c, umsg, mh, iov);

	if ((!ret || ret == -EMSGSIZE) && trc_call_verify(c)) {
		if (!ret)
			free(*iov);
		return -EFAULT;
	}
	return ret;
}

/* One message of a sendmmsg(): its msghdr (a name of length 0 made
 * none) and iovec array, read; @arg as mmsg_each() was given it */
typedef int64_t mmsg_one_fn(struct sock *s, struct trc_call *c,
			    const struct msghdr *mh, const struct iovec *iov,
			    void *arg);

/*
 * mmsg_each() - sendmmsg()'s loop, as ___sys_sendmsg() in __sys_sendmmsg():
 * at most UIO_MAXIOV messages, each msghdr read (checked) and handed to
 * @one, the bytes it sent written to the message's msg_len
 *
 * Return: the count sent, or the first message's error, as Linux
 */
static int64_t mmsg_each(struct sock *s, struct trc_call *c, mmsg_one_fn *one,
			 void *arg)
{
	uint64_t vec = trc_call_arg(c, 1);
	unsigned int i, n = (unsigned int)trc_call_arg(c, 2);
	struct iovec *iov;
	struct mmsghdr mm;
	int64_t ret = 0;

	if (n > MAX_IOVCNT)
		n = MAX_IOVCNT;
	for (i = 0; i < n; i++) {
		uint64_t at = vec + i * sizeof(mm);

		if ((ret = ns__read_msghdr(c, at, &mm.msg_hdr, &iov)))
			break;
		if (!mm.msg_hdr.msg_namelen)
			mm.msg_hdr.msg_name = NULL;	/* __copy_msghdr() */
		ret = one(s, c, &mm.msg_hdr, iov, arg);
		free(iov);
		if (ret < 0)
			break;
		mm.msg_len = (unsigned int)ret;
		if (trc_mem_write(c, at + offsetof(struct mmsghdr, msg_len),
				  &mm.msg_len, sizeof(mm.msg_len))) {
			ret = -EFAULT;
			break;
		}
	}
	return i ? (int64_t)i : ret;
}

/* One message of ns__send_each()'s sendmmsg(); @arg points to its sender */
static int64_t send_one_of(struct sock *s, struct trc_call *c,
			   const struct msghdr *mh, const struct iovec *iov, void *arg)
{
	ns_send_one_fn *const *one = arg;

	return (*one)(s, c, (uint64_t)(uintptr_t)mh->msg_name, mh->msg_namelen,
		      iov, (int)mh->msg_iovlen);
}

/**
 * ns__send_each() - sendto(), sendmsg() or sendmmsg() on a socket whose
 *		     every message goes whole to @one (netlink, packet)
 * @s:		the socket
 * @c:		the call
 * @one:	sends one message: its destination (address and length, 0
 *		for none) and its buffers; checks the call (trc_call_verify())
 *		before it acts
 * @unchecked:	sendmsg()'s msghdr is read unchecked, for @one to check
 *		with what it reads next
 *
 * Return: @one's value for sendto() and sendmsg(); for sendmmsg() the
 * count sent, or the first message's error, as Linux
 */
int64_t ns__send_each(struct sock *s, struct trc_call *c, ns_send_one_fn *one,
		      bool unchecked)
{
	uint64_t vec = trc_call_arg(c, 1);
	struct iovec *iov, iov1;
	struct msghdr mh;
	int64_t ret;

	switch (trc_call_nr(c)) {
	case SYS_sendto:
		iov1.iov_base = (void *)(uintptr_t)trc_call_arg(c, 1);
		iov1.iov_len = (size_t)trc_call_arg(c, 2);
		return one(s, c, trc_call_arg(c, 4), (uint32_t)trc_call_arg(c, 5),
			   &iov1, 1);
	case SYS_sendmsg:
		ret = unchecked ? ns__read_msghdr_first(c, vec, &mh, &iov) :
				  ns__read_msghdr(c, vec, &mh, &iov);
		if (ret)
			return ret;
		ret = one(s, c, (uint64_t)(uintptr_t)mh.msg_name, mh.msg_namelen,
			  iov, (int)mh.msg_iovlen);
		free(iov);
		return ret;
	case SYS_sendmmsg:
		return mmsg_each(s, c, send_one_of, &one);
	default:
		return -ENOSYS;
	}
}

/* The bytes of an iovec array, saturated past 65535 */
static uint64_t iov_total(const struct iovec *iov, size_t n)
{
	uint64_t t = 0;
	size_t i;

	for (i = 0; i < n && t <= 65535; i++)
		t += iov[i].iov_len > 65536 ? 65536 : iov[i].iov_len;
	return t;
}

/* Whether a datagram to the connected peer is refused for MSG_OOB (see
 * get_send_addr()): UDP over IPv6 alone ignores the flag. */
static bool oob_refused(struct sock *s, int flags, uint64_t paylen)
{
	ip_addr_t peer;
	uint16_t port;

	if (!(flags & MSG_OOB) || paylen > 65535)
		return false;
	if (ns__on_raw(s) || s->family == AF_INET)
		return true;
	if (!dgram_connected(s))
		return false;
	ns__udp_names(s, true, &peer, &port);
	return IP_IS_V4(&peer);
}

/* One sendmsg() on a UDP socket; @umsg is the program's msghdr, @flags
 * the call's. */
static int64_t udp_sendmsg(struct ns *ns, struct trc_call *c, struct sock *s,
			   const struct msghdr *mh, const struct iovec *iov,
			   int flags)
{
	struct ns_sendopts o;
	/* the payload's size matters only to MSG_OOB (EMSGSIZE first) */
	uint64_t paylen = flags & MSG_OOB ? iov_total(iov, mh->msg_iovlen) : 0;
	ip_addr_t ip;
	uint16_t port = 0;
	size_t len;
	int64_t ret;

	if (!mh->msg_name && !dgram_connected(s)) {
		/* Before the control data and any pending error, as
		 * udp_sendmsg(), raw_sendmsg() and ping_v4_sendmsg() judge
		 * (MSG_OOB before, but for udpv6_sendmsg()); a UDP socket is
		 * bound first (inet_send_prepare()). */
		if (!ns__on_raw(s) && (ret = ns__udp_autobind(s)))
			return ret;
		return oob_refused(s, flags, paylen) ? -EOPNOTSUPP :
						       -EDESTADDRREQ;
	}
	if (!mh->msg_name && oob_refused(s, flags, paylen))
		return -EOPNOTSUPP;
	if (mh->msg_name) {
		/* Linux refuses a negative name length and cuts an over-long
		 * one to sockaddr_storage. */
		int32_t nl = (int32_t)mh->msg_namelen;

		if (nl < 0)
			return -EINVAL;
		if (nl > (int32_t)sizeof(struct sockaddr_storage))
			nl = sizeof(struct sockaddr_storage);

		ret = get_send_addr(c, s, (uint64_t)(uintptr_t)mh->msg_name, nl,
				    flags, paylen, &ip, &port);
		if (ret == 1) {	/* AF_UNSPEC on IPv6: as without a name */
			struct msghdr m = *mh;

			m.msg_name = NULL;
			return udp_sendmsg(ns, c, s, &m, iov, flags);
		}
		if (ret)
			return ret;
	}
	if ((ret = ns__cmsg_send(c, s, mh, dgram_v4(s, mh->msg_name ? &ip : NULL), &o)))
		return ret;
	written_first(s);	/* before ns__gather() fills iobuf */
	ret = ns__gather(ns, c, iov, (int)mh->msg_iovlen, &len);
	if ((ret == -EMSGSIZE || !ret) && trc_call_verify(c))
		return -EFAULT;	/* msghdr and address, if nothing read since */
	if (ret == -EMSGSIZE && mh->msg_name && !wildcard_to_self(s, &ip, false))
		return ns__dgram_too_big(s, &ip, port);
	if (ret)
		return ret;
	if (mh->msg_name && (ret = wildcard_to_self(s, &ip, false)))
		return ret;
	return send_dgram(s, len, mh->msg_name ? &ip : NULL, port, &o);
}

static int64_t do_sendmsg(struct ns *ns, struct trc_call *c, struct sock *s,
			  int fd)
{
	struct iovec *iov;
	struct msghdr mh;
	int64_t ret;

	if ((ret = ns__read_msghdr_first(c, trc_call_arg(c, 1), &mh, &iov)))
		return ret;
	if (!mh.msg_namelen)	/* __copy_msghdr(): no name */
		mh.msg_name = NULL;
	if (!mh.msg_name && !mh.msg_controllen &&
	    (s->type == SOCK_STREAM || dgram_connected(s))) {
		free(iov);
		return NS_CONTINUE;	/* to the connected peer, through sv */
	}
	if (s->type == SOCK_STREAM) {	/* the kernel would refuse the name */
		ret = trc_call_verify(c) ? -EFAULT :
		      ns__tcp_send(s, c, fd, iov, (int)mh.msg_iovlen,
				   (int)trc_call_arg(c, 2));
	} else
		ret = udp_sendmsg(ns, c, s, &mh, iov, (int)trc_call_arg(c, 2));
	free(iov);
	return ret;
}

/**
 * ns__tcp_send_call() - run a sendto/sendmsg with an address on TCP (again)
 * @s:		the socket
 * @c:		the call
 * @fd:		the program's fd
 *
 * Return: as ns__tcp_send()
 */
int64_t ns__tcp_send_call(struct sock *s, struct trc_call *c, int fd)
{
	struct iovec one, *iov;
	struct msghdr mh;
	int64_t ret;

	if (trc_call_nr(c) == SYS_sendto) {
		one.iov_base = (void *)(uintptr_t)trc_call_arg(c, 1);
		one.iov_len = (size_t)trc_call_arg(c, 2);
		return ns__tcp_send(s, c, fd, &one, 1, (int)trc_call_arg(c, 3));
	}
	if ((ret = ns__read_msghdr(c, trc_call_arg(c, 1), &mh, &iov)))
		return ret;
	ret = ns__tcp_send(s, c, fd, iov, (int)mh.msg_iovlen,
			   (int)trc_call_arg(c, 2));
	free(iov);
	return ret;
}

/* One datagram of a UDP, ping or raw sendmmsg(); @arg the call's flags */
static int64_t udp_one(struct sock *s, struct trc_call *c,
		       const struct msghdr *mh, const struct iovec *iov, void *arg)
{
	return udp_sendmsg(s->ns, c, s, mh, iov, *(const int *)arg);
}

static int64_t do_sendmmsg(struct ns *ns, struct trc_call *c, struct sock *s,
			   int fd)
{
	int flags = (int)trc_call_arg(c, 3);

	(void)ns;
	(void)fd;
	if (s->type == SOCK_STREAM)
		return NS_CONTINUE;
	return mmsg_each(s, c, udp_one, &flags);
}

/* MSG_ERRQUEUE: the oldest ICMP error, and its marker if at the head. */
static int64_t errqueue_recv(struct sock *s, struct trc_call *c, int fd,
			     const struct iovec *iov, int iovcnt, uint64_t umsg,
			     int flags)
{
	int64_t ret = ns__icmp_errqueue_recv(s, c, iov, iovcnt, umsg, flags);

	if (ret >= 0 && !(flags & MSG_PEEK))
		ns__dgram_drop_marker(s, c, fd);
	return ret;
}

/*
 * recvmmsg()'s timeout, read and judged before anything else as
 * __sys_recvmmsg() and do_recvmmsg() do (again when a parked call is
 * retried: its first message is still to come).  @ts gets it.
 *
 * Return: 1 with a timeout, 0 without, -EFAULT, or -EINVAL for a negative
 * or over-long time
 */
static int mmsg_timeout(struct trc_call *c, struct __kernel_timespec *ts)
{
	uint64_t uts = trc_call_arg(c, 4);

	if (trc_call_nr(c) != SYS_recvmmsg || !uts)
		return 0;
	if (trc_mem_read(c, uts, ts, sizeof(*ts)))
		return -EFAULT;
	return ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000 ? -EINVAL : 1;
}

/* One message of a datagram receive, @umsg its msghdr in the program. */
static int64_t recv_one(struct sock *s, struct trc_call *c, int fd, uint64_t umsg,
			int flags)
{
	struct iovec *iov;
	struct msghdr mh;
	int64_t ret;

	if ((ret = ns__read_msghdr(c, umsg, &mh, &iov)))
		return ret;
	if (flags & MSG_ERRQUEUE)
		ret = errqueue_recv(s, c, fd, iov, (int)mh.msg_iovlen, umsg, flags);
	else
		ret = ns__udp_recv(s, c, fd, iov, (int)mh.msg_iovlen, 0, 0, umsg,
				   flags);
	free(iov);
	return ret;
}

/*
 * recvmmsg() of a datagram socket, as do_recvmmsg(): at most UIO_MAXIOV
 * messages, each one's length written to its msg_len.  The first may
 * wait (or park the call); MSG_WAITFORONE makes the rest MSG_DONTWAIT.
 * The rest are taken while datagrams are queued: where Linux would wait
 * on for more without MSG_WAITFORONE (until @vlen came, or a timeout
 * that is judged only between datagrams), the call returns what it has
 * (troubleshooting.md).  A zero timeout stops after the first, as on
 * Linux.  An error after the first message is kept as the socket's
 * pending error (sk_err: SO_ERROR, or the next trapped receive, says it)
 * unless EAGAIN.  With a timeout, the time left is written back (the
 * time spent waiting for the first message is not counted), EFAULT if it
 * cannot be, though the messages were taken, as Linux.
 *
 * Return: the count received, the first message's error, or NS_PARKED
 */
static int64_t udp_recvmmsg(struct sock *s, struct trc_call *c, int fd)
{
	uint64_t vec = trc_call_arg(c, 1);
	unsigned int i, n = (unsigned int)trc_call_arg(c, 2);
	int flags = (int)trc_call_arg(c, 3), f = flags & ~MSG_WAITFORONE;
	struct __kernel_timespec ts;
	int64_t ret = 0;
	int timed;
	uint32_t len;

	if ((timed = mmsg_timeout(c, &ts)) < 0)
		return timed;
	if (n > MAX_IOVCNT)
		n = MAX_IOVCNT;
	for (i = 0; i < n; i++) {
		uint64_t at = vec + i * sizeof(struct mmsghdr);

		ret = recv_one(s, c, fd, at, i ? f | MSG_DONTWAIT : f);
		if (ret < 0 || ret == NS_PARKED)
			break;
		len = (uint32_t)ret;
		if (trc_mem_write(c, at + offsetof(struct mmsghdr, msg_len),
				  &len, sizeof(len))) {
			ret = -EFAULT;
			break;
		}
		ret = 0;
		if (timed && !ts.tv_sec && !ts.tv_nsec) {
			i++;
			break;
		}
	}
	if (!i)
		return ret;
	if (ret < 0 && ret != -EAGAIN)
		s->so_error = (int)-ret;
	if (timed && trc_mem_write(c, trc_call_arg(c, 4), &ts, sizeof(ts)))
		return -EFAULT;
	return i;
}

/**
 * ns__udp_recv_call() - run a receive call on a UDP socket (again)
 * @s:		the socket
 * @c:		recvfrom, recvmsg or recvmmsg
 * @fd:		the program's fd
 *
 * Also netlink and packet sockets' (their engines queue datagrams alike).
 *
 * Return: as ns__udp_recv(); recvmmsg: udp_recvmmsg()
 */
int64_t ns__udp_recv_call(struct sock *s, struct trc_call *c, int fd)
{
	struct iovec one;
	int flags;

	switch (trc_call_nr(c)) {
	case SYS_recvfrom:
		one.iov_base = (void *)(uintptr_t)trc_call_arg(c, 1);
		one.iov_len = (size_t)trc_call_arg(c, 2);
		flags = (int)trc_call_arg(c, 3);
		if (flags & MSG_ERRQUEUE)
			return errqueue_recv(s, c, fd, &one, 1, 0, flags);
		return ns__udp_recv(s, c, fd, &one, 1, trc_call_arg(c, 4),
				    trc_call_arg(c, 5), 0, flags);
	case SYS_recvmsg:
		return recv_one(s, c, fd, trc_call_arg(c, 1), (int)trc_call_arg(c, 2));
	default:
		return udp_recvmmsg(s, c, fd);
	}
}

static int64_t do_recv(struct ns *ns, struct trc_call *c, struct sock *s, int fd)
{
	struct msghdr mh;

	if (s->type == SOCK_STREAM)
		return NS_CONTINUE;
	if (trc_call_nr(c) == SYS_recvmsg) {
		if (trc_mem_read(c, trc_call_arg(c, 1), &mh, sizeof(mh)))
			return -EFAULT;
		/* A plain read is native, unless the socket has control
		 * messages to give: then put_cmsg() says MSG_CTRUNC. */
		if (!mh.msg_name && !mh.msg_controllen &&
		    !(trc_call_arg(c, 2) & MSG_ERRQUEUE) &&
		    !s->timestamp && !s->timestampns && !s->pktinfo &&
		    !s->recvttl && !s->recvtos && !s->ip_pktinfo &&
		    !s->ip_recvttl && !s->ip_recvtos)
			return NS_CONTINUE;
	}
	return ns__udp_recv_call(s, c, fd);
}

/*
 * SIOCGSTAMP, SIOCGSTAMPNS (sock_gettstamp()): when the last datagram
 * came, as a timeval or a timespec; ENOENT before any (a TCP socket's
 * stamp is never set: tcp_recvmsg() takes no timestamp for it).  Linux
 * keeps the stamp of the datagram the program read last; the sandbox
 * knows when datagrams came, not when the program read them (recv() is
 * native), so this is the last one's to come.
 */
static int64_t get_stamp(struct sock *s, struct trc_call *c, bool ns_res)
{
	struct timeval tv;

	if (s->type == SOCK_STREAM || !s->rx_stamp.tv_sec)
		return -ENOENT;
	if (ns_res)
		return trc_mem_write(c, trc_call_arg(c, 2), &s->rx_stamp,
				     sizeof(s->rx_stamp)) ? -EFAULT : 0;
	tv.tv_sec = s->rx_stamp.tv_sec;
	tv.tv_usec = s->rx_stamp.tv_nsec / 1000;
	return trc_mem_write(c, trc_call_arg(c, 2), &tv, sizeof(tv)) ? -EFAULT : 0;
}

/* An int answer of an ioctl, as put_user() writes it */
static int64_t put_int(struct trc_call *c, int v)
{
	return trc_mem_write(c, trc_call_arg(c, 2), &v, sizeof(v)) ? -EFAULT : 0;
}

static int64_t do_ioctl(struct ns *ns, struct trc_call *c, struct sock *s,
			int fd)
{
	uint32_t req = (uint32_t)trc_call_arg(c, 1);
	struct tcp_pcb *t;
	int n = 0;

	/* Interface requests never come here (ns_syscall()): the socket's
	 * own do, as inet_ioctl(), tcp_ioctl() and sock_do_ioctl() answer */
	switch (req) {
	case FIOSETOWN: case SIOCSPGRP: case FIOGETOWN: case SIOCGPGRP:
		/* the file's owner, sock_do_ioctl()'s for any socket: the
		 * program's end is that file (F_SETOWN, not trapped, set it
		 * there too) */
		return NS_CONTINUE;
	case SIOCGSTAMP_OLD: case SIOCGSTAMPNS_OLD:
		return get_stamp(s, c, req == SIOCGSTAMPNS_OLD);
	case SIOCGSKNS:		/* CAP_NET_ADMIN over a namespace: none here */
		return -EPERM;
	case SIOCATMARK:	/* no urgent data is kept: never at the mark */
		return s->type == SOCK_STREAM ? put_int(c, 0) : -ENOTTY;
	case SIOCOUTQNSD:	/* written, not yet sent */
		if (s->type != SOCK_STREAM)
			return -ENOTTY;
		if (s->state == SK_LISTEN)
			return -EINVAL;
		if (s->state != SK_CONNECTED)
			return put_int(c, 0);
		/* what the program's end holds for the supervisor to read,
		 * and what lwIP holds unsent */
		if (s->sv >= 0 && ioctl(s->sv, FIONREAD, &n))
			n = 0;
		t = s->pcb.tcp;
		if (t && t->state >= ESTABLISHED)
			n += (int)(t->snd_lbb - t->snd_nxt);
		return put_int(c, n);
	}
	return -ENOTTY;
}

struct call_desc {
	const char *name;
	call_fn fn;
	bool on_fd;		/* arg 0 is a socket fd */
};

static const struct call_desc table[] = {
	[SYS_socket]      = { "socket", do_socket, false },
	[SYS_socketpair]  = { "socketpair", do_socketpair, false },
	[SYS_bind]        = { "bind", do_bind, true },
	[SYS_connect]     = { "connect", do_connect, true },
	[SYS_listen]      = { "listen", do_listen, true },
	[SYS_accept]      = { "accept", do_accept, true },
	[SYS_accept4]     = { "accept4", do_accept, true },
	[SYS_getsockname] = { "getsockname", do_getsockname, true },
	[SYS_getpeername] = { "getpeername", do_getpeername, true },
	[SYS_shutdown]    = { "shutdown", do_shutdown, true },
	[SYS_setsockopt]  = { "setsockopt", do_setsockopt, true },
	[SYS_getsockopt]  = { "getsockopt", do_getsockopt, true },
	[SYS_sendto]      = { "sendto", do_sendto, true },
	[SYS_recvfrom]    = { "recvfrom", do_recv, true },
	[SYS_sendmsg]     = { "sendmsg", do_sendmsg, true },
	[SYS_recvmsg]     = { "recvmsg", do_recv, true },
	[SYS_sendmmsg]    = { "sendmmsg", do_sendmmsg, true },
	[SYS_recvmmsg]    = { "recvmmsg", do_recv, true },
	[SYS_ioctl]       = { "ioctl", do_ioctl, true },
};

static void log_result(struct trc_call *c, const struct call_desc *d, int fd,
		       int64_t ret, const char *s_what)
{
	if (ret == NS_CONTINUE || ret == NS_DONE || !log_enabled(LOG_CALLS))
		return;
	const char *w = s_what;

	if (!d->on_fd) {
		/* socket(), socketpair(): their arguments, as numbers */
		calls("pid %d: %s(%d, %#x, %d) = -%s", (int)trc_call_pid(c),
		      d->name, (int)trc_call_arg(c, 0), (int)trc_call_arg(c, 1),
		      (int)trc_call_arg(c, 2), strerror((int)-ret));
	} else if (ret == NS_PARKED)
		calls("pid %d: %s(%d%s) blocks", (int)trc_call_pid(c), d->name, fd, w);
	else if (ret < 0)
		calls("pid %d: %s(%d%s) = -%s", (int)trc_call_pid(c), d->name, fd,
		      w, strerror((int)-ret));
	else
		calls("pid %d: %s(%d%s) = %lld", (int)trc_call_pid(c), d->name, fd,
		      w, (long long)ret);
}

/**
 * ns_syscall() - answer one trapped call
 * @ns:		the stack
 * @c:		the call; finished here or parked
 */
void ns_syscall(struct ns *ns, struct trc_call *c)
{
	int nr = trc_call_nr(c);
	const struct call_desc *d;
	struct sock *s = NULL;
	uint64_t ino;
	int64_t ret;
	int fd = -1, r, copy = -1;

	if (nr == SYS_bind || nr == SYS_connect)	/* done_before() */
		trc_call_once(c);
	if (ns->sysw)		/* a sysctl written is in force for the call */
		ns__procnet_pull(ns);
	if (nr == SYS_open || nr == SYS_openat || nr == SYS_openat2) {
		ret = ns__procnet_open(ns, c);
		if (ret == NS_CONTINUE)
			trc_call_continue(c);
		else if (ret != NS_DONE)
			trc_call_reply(c, ret);
		return;
	}
	if (nr == SYS_stat || nr == SYS_lstat || nr == SYS_newfstatat ||
	    nr == SYS_statx || nr == SYS_readlink || nr == SYS_readlinkat ||
	    nr == SYS_getxattr || nr == SYS_lgetxattr || nr == SYS_listxattr ||
	    nr == SYS_llistxattr || nr == SYS_access || nr == SYS_faccessat ||
	    nr == SYS_faccessat2) {
		ret = ns__procsys_stat(ns, c);
		if (ret == NS_CONTINUE)
			trc_call_continue(c);
		else
			trc_call_reply(c, ret);
		return;
	}
	if (nr < 0 || (size_t)nr >= sizeof(table) / sizeof(table[0]) ||
	    !table[nr].fn) {
		trc_call_continue(c);
		return;
	}
	d = &table[nr];
	if (d->on_fd) {
		fd = (int)trc_call_arg(c, 0);
		/* with a copy of the program's end where one can be had: the
		 * call's to use (ns->ccopy), closed when it is answered */
		r = trc_fd_lookup(ns->trc, trc_call_pid(c), fd, &ino, &copy);
		if (r == -EBADF) {
			trc_call_reply(c, -EBADF);
			return;
		}
		if (!r && nr == SYS_ioctl && ns__ifioctl_match(trc_call_arg(c, 1))) {
			/* On any socket, ours or native (AF_UNIX): never the
			 * host's interfaces. */
			s = ns__sock_find(ns, ino);
			ret = ns__ifioctl(ns, c, s ? s->family : AF_UNIX);
			log_result(c, d, fd, ret, ns->what);
			trc_call_reply(c, ret);
			if (copy >= 0)
				close(copy);
			return;
		}
		if (r || !(s = ns__sock_find(ns, ino))) {
			trc_call_continue(c);	/* not a socket of ours */
			if (copy >= 0)
				close(copy);
			return;
		}
	}
	if (s) {
		s->hint_pid = trc_call_pid(c);
		s->hint_fd = fd;
	}
	ns->what[0] = '\0';
	ns__call_begin(ns, s, copy);
	if (s && s->host)
		ret = ns__host_call(s, c, fd);
	else if (s && s->family == AF_NETLINK)
		ret = ns__nl_call(s, c, fd);
	else if (s && s->family == AF_PACKET)
		ret = ns__pk_call(s, c, fd);
	else
		ret = d->fn(ns, c, s, fd);
	log_result(c, d, fd, ret, ns->what);
	/*
	 * What the call looped to a socket of the sandbox is there before
	 * its caller goes on, as Linux's loopback delivers inside the call:
	 * a datagram sent to oneself is read at once with MSG_DONTWAIT, a
	 * blocking connect() to a listener of the sandbox has its three
	 * packets exchanged (and on_accept() answers it) before we return.
	 */
	if (ret != NS_CONTINUE)
		vdev_loopback_flush(ns->lo, LO_CALL_PASSES);
	if (ret == NS_CONTINUE)
		trc_call_continue(c);
	else if (ret != NS_PARKED && ret != NS_DONE)
		trc_call_reply(c, ret);
	ns__call_done(ns);
}
