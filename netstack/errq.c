// SPDX-License-Identifier: MIT
/*
 * errq.c - POLLERR for a datagram socket's error queue.
 *
 * On Linux, a UDP, ping or raw socket with IP_RECVERR (IPV6_RECVERR) says
 * POLLERR while its error queue holds an ICMP error, and programs such as
 * traceroute read the queue (recvmsg(MSG_ERRQUEUE)) only then.  Without
 * IP_RECVERR, a connected UDP socket that gets a port unreachable says
 * POLLERR too, and its next recv() or send() fails with ECONNREFUSED:
 * how resolvers and clients with a timeout learn at once that nothing
 * listens.  The program's end of an ordinary pair (sock.c) is an AF_UNIX
 * socket, which can say POLLERR only for errors the supervisor cannot set
 * without ending the connection; udp.c then puts an empty "marker"
 * datagram in instead, and poll() says POLLIN.
 *
 * So when a program turns IP_RECVERR on, or connects a UDP socket, its
 * socket moves to a pair of host UDP sockets on 127.0.0.1, connected to
 * each other: the program's new end (installed at the same fd number, as
 * dup2() would) and sv.  Datagrams cross them as they crossed the AF_UNIX
 * pair.  To raise POLLERR for the error queue the supervisor sends one
 * byte from the program's end (through its own reference, tref) with
 * MSG_ZEROCOPY to a sink socket that discards it: the kernel queues the
 * completion on that end's error queue, and poll() and epoll say POLLERR,
 * as on Linux, until the supervisor reads the completion back, which it
 * does when the program has read the last emulated error.  Consecutive
 * completions merge, so the real queue holds one entry however many
 * errors wait.  On loopback the completion is queued before sendmsg()
 * returns (the sink is drained at once all the same, which frees the
 * datagram if it was not).
 *
 * A port unreachable on a connected socket without IP_RECVERR becomes
 * the host's own pending error of the program's end (ns__errq_refuse()):
 * the end, connected for a moment to port 0 of 127.0.0.1, which no socket
 * can be bound to, sends an empty datagram; the host answers with its own
 * port unreachable before send() returns, and the end keeps the error
 * when it is connected back to sv.  poll() then says POLLERR, and recv(),
 * send() and the rest fail once with ECONNREFUSED, run by the host
 * kernel; whichever reads it first, the program natively or a trapped
 * call, reads it for both (ns__errq_take_host()).
 *
 * What it costs and changes:
 *   - The switch happens once, in the trapped setsockopt() or connect(),
 *     and only while nothing is queued either way and no other fd refers
 *     to the socket: known from the caller's own fds (trc_fd_count())
 *     while no other process can have got it since the socket was made
 *     (trc_dup_epoch()), else by a liveness-style scan of the sandbox's
 *     fds (0.5 ms and more); otherwise the socket keeps its AF_UNIX pair
 *     and the marker, and a connected one's error reaches only trapped
 *     calls.  Switched sockets are held (tref): a UDP socket shows no
 *     hangup when the program closes it (close() is not trapped).  Its
 *     last close is found by the liveness scan (ns__scan(), also run once
 *     NS_HELD_BURST sockets became held) or by a datagram for it
 *     (ns__held_alive()), confirmed by the host (ns__errq_gone()).
 *   - Datagrams above 65507 bytes (IPv4 UDP's largest) cannot reach the
 *     program on such a socket; those are dropped.  A burst the supervisor
 *     has not read yet is bounded by sv's receive buffer (rmem_max) and
 *     dropped beyond it, where the AF_UNIX pair made the sender wait.
 *   - The two sockets take two ports of 127.0.0.1 on the host, connected
 *     to each other: no other host socket can send into them.
 *   - recv()/recvfrom() without an address and with MSG_ERRQUEUE are not
 *     trapped, reach the kernel, and read the completion instead of the
 *     error (no data, no control message): POLLERR goes until the next.
 *   - Only ECONNREFUSED is made the host's pending error: the host can
 *     make no other.  A connected socket's other hard errors (EMSGSIZE,
 *     EHOSTUNREACH, ...) reach trapped calls only, as before the move.
 *   - While the end is connected to port 0 (three system calls), a
 *     datagram the program sends natively from another thread is lost.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <net/if.h>
#include <sys/stat.h>
#include <sys/time.h>

#include "internal.h"
#include "log.h"

#define ERRQ_BUF	(4 * 1024 * 1024)	/* capped by rmem_max, wmem_max */
#define REFUSE_WAIT_MS	20	/* for the host's port unreachable */

/* A UDP socket on 127.0.0.1, bound to a port the kernel picks; its name in
 * @at.  Non-blocking unless @blocking. */
static int loopback_udp(struct sockaddr_in *at, bool blocking)
{
	socklen_t len = sizeof(*at);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC |
			(blocking ? 0 : SOCK_NONBLOCK), 0);

	if (fd < 0)
		return -errno;
	memset(at, 0, sizeof(*at));
	at->sin_family = AF_INET;
	at->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* Bound to the host's loopback device for good (changing it takes
	 * CAP_NET_RAW): were the program ever left with such a socket that
	 * the supervisor has forgotten, its calls on it would go to the host
	 * kernel unchecked, and could then reach no further than that. */
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3) ||
	    bind(fd, (struct sockaddr *)at, sizeof(*at)) ||
	    getsockname(fd, (struct sockaddr *)at, &len)) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	return fd;
}

/* The sink the zero-copy bytes go to, opened on first use. */
static int sink(struct ns *ns)
{
	int fd, small = 1;

	if (ns->errq_sink >= 0)
		return 0;
	fd = loopback_udp(&ns->errq_sink_at, false);
	if (fd < 0)
		return fd;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	ns->errq_sink = fd;
	return 0;
}

/* Bounded: any host process may send to the sink, and must not keep the
 * supervisor here. */
static void sink_drain(struct ns *ns)
{
	char b[8];
	int i;

	for (i = 0; i < 16; i++)
		if (recv(ns->errq_sink, b, sizeof(b), MSG_DONTWAIT) < 0)
			break;
}

/* Whether anything is queued on the pair, either way, or waits on it. */
static bool pair_busy(struct sock *s)
{
	char b;

	return !ns__dgram_trim(s) || s->eq_len || s->waiters ||
	       s->prog_shut_wr || recv(s->sv, &b, 1, MSG_PEEK | MSG_DONTWAIT) >= 0;
}

/**
 * ns__errq_switch() - move a datagram socket to a pair that can say POLLERR
 * @s:		a UDP, ping or raw socket that just turned IP_RECVERR on, or
 *		a UDP socket just connected
 * @c:		that setsockopt() or connect() call
 * @fd:		the program's fd number
 * @why:	what it is for, for the log
 *
 * Does nothing where the move is not safe or not possible (see the top of
 * this file): the socket then keeps its AF_UNIX pair and the marker.
 */
void ns__errq_switch(struct sock *s, struct trc_call *c, int fd,
		     const char *why)
{
	struct ns *ns = s->ns;
	struct sockaddr_in pa, sa;
	struct stat st;
	int p = -1, q = -1, fl, on = 1, buf = ERRQ_BUF, ret;
	bool only;

	if (s->errq_pair || s->host || s->sv < 0 || pair_busy(s))
		return;
	/* no other process can have it since it was made, and the caller has
	 * one fd naming it: the scan of every process (0.5 ms and more) is
	 * not needed */
	only = ns->trc && s->dup_epoch == trc_dup_epoch(ns->trc) &&
	       trc_fd_count(ns->trc, trc_call_pid(c), s->ino) == 1;
	if (!only && trc_fd_count(ns->trc, 0, s->ino) != 1)
		return;		/* shared: the other fds would keep the old pair */
	/* @fd's flags, read only if it still names the socket: another
	 * thread may have closed it and opened something else there */
	if ((fl = trc_fd_flags_ino(trc_call_pid(c), fd, s->ino)) < 0 ||
	    sink(ns))
		return;
	if ((p = loopback_udp(&pa, !(fl & O_NONBLOCK))) < 0 ||
	    (q = loopback_udp(&sa, false)) < 0 ||
	    connect(p, (struct sockaddr *)&sa, sizeof(sa)) ||
	    connect(q, (struct sockaddr *)&pa, sizeof(pa)) ||
	    setsockopt(p, SOL_SOCKET, SO_ZEROCOPY, &on, sizeof(on)) ||
	    fstat(p, &st) ||
	    /* a recv() that waited forever instead of 3 s would be worse
	     * than no move */
	    ns__sock_copy_timeouts(s, c, fd, p))
		goto fail;
	setsockopt(p, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	setsockopt(q, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	setsockopt(q, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	if ((ret = trc_call_setfd(c, p, fd, fl & O_CLOEXEC, s->ino))) {
		debug("socket %llu: no POLLERR pair: %s",
		      (unsigned long long)s->ino, strerror(-ret));
		goto fail;
	}
	calls("pid %d: fd %d: a loopback UDP pair now, for %s",
	      (int)trc_call_pid(c), fd, why);
	ns__sock_close_sv(s);
	ns__sock_drop_tref(s);
	ns__sock_rekey(s, st.st_ino);
	s->sv = q;
	s->tref = p;
	s->errq_pair = true;
	ns__sock_set_held(s, true);
	ns__sock_poll(s, UV_READABLE);
	return;
fail:
	if (p >= 0)
		close(p);
	if (q >= 0)
		close(q);
}

/**
 * ns__errq_raise() - make the program's end say POLLERR
 * @s:		a socket whose error queue just became non-empty
 */
void ns__errq_raise(struct sock *s)
{
	struct ns *ns = s->ns;
	struct pollfd pfd = { .fd = s->tref, .events = 0 };

	if (!s->errq_pair || s->tref < 0 || ns->errq_sink < 0)
		return;
	if (poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLERR))
		return;		/* raised already */
	if (sendto(s->tref, "e", 1, MSG_ZEROCOPY | MSG_DONTWAIT,
		   (struct sockaddr *)&ns->errq_sink_at,
		   sizeof(ns->errq_sink_at)) != 1)
		debug("socket %llu: POLLERR not raised: %s",
		      (unsigned long long)s->ino, strerror(errno));
	sink_drain(ns);
}

/**
 * ns__errq_lower() - stop saying POLLERR
 * @s:		a socket whose error queue just became empty
 */
void ns__errq_lower(struct sock *s)
{
	char ctl[128];
	struct msghdr mh;

	if (!s->errq_pair || s->tref < 0)
		return;
	do {
		memset(&mh, 0, sizeof(mh));
		mh.msg_control = ctl;
		mh.msg_controllen = sizeof(ctl);
	} while (recvmsg(s->tref, &mh, MSG_ERRQUEUE | MSG_DONTWAIT) >= 0);
}

/* 127.0.0.1 port 0, which no socket can be bound to. */
static const struct sockaddr_in *port0(void)
{
	static struct sockaddr_in at;

	at.sin_family = AF_INET;
	at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return &at;
}

/* The witness of ns__errq_refuse(), opened on first use. */
static int witness(struct ns *ns)
{
	struct sockaddr_in at;
	int fd;

	if (ns->errq_witness >= 0)
		return 0;
	fd = loopback_udp(&at, false);
	if (fd < 0)
		return fd;
	if (connect(fd, (const struct sockaddr *)port0(), sizeof(at))) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	ns->errq_witness = fd;
	return 0;
}

/**
 * ns__errq_refuse() - make ECONNREFUSED the host's pending error of the
 *		       program's end (see the top of this file)
 * @s:		a connected socket without IP_RECVERR that got a port
 *		unreachable
 *
 * The program may read the error (woken by it, on another CPU) before the
 * supervisor could look, so a witness socket of its own, also connected to
 * port 0, sends right after the program's end: the loopback handles the
 * packets one thread sends in order (on the CPU's own backlog), so once
 * the witness has its error, the program's end had its own.  Normally both are in before send()
 * returns; if the host left them to ksoftirqd, the supervisor waits for
 * the witness's, a little.
 *
 * Return: true when the host gave the program's end the error
 */
bool ns__errq_refuse(struct sock *s)
{
	struct ns *ns = s->ns;
	struct sockaddr_in back;
	socklen_t len = sizeof(back);
	struct pollfd pfd = { .events = 0 };
	int err;

	if (!s->errq_pair || s->tref < 0 || s->sv < 0 || witness(ns) ||
	    getsockname(s->sv, (struct sockaddr *)&back, &len))
		return false;
	if (connect(s->tref, (const struct sockaddr *)port0(),
		    sizeof(struct sockaddr_in)))
		return false;
	pfd.fd = ns->errq_witness;
	if (send(s->tref, "", 0, MSG_DONTWAIT) == 0 &&
	    send(ns->errq_witness, "", 0, MSG_DONTWAIT) == 0 &&
	    poll(&pfd, 1, 0) == 0)
		poll(&pfd, 1, REFUSE_WAIT_MS);
	if (pfd.revents & POLLERR) {
		len = sizeof(err);
		getsockopt(ns->errq_witness, SOL_SOCKET, SO_ERROR, &err, &len);
	} else {	/* its error may still come: start afresh next time */
		close(ns->errq_witness);
		ns->errq_witness = -1;
	}
	if (connect(s->tref, (struct sockaddr *)&back, sizeof(back))) {
		/* cannot happen: sv is bound on this very address */
		err_perror("socket %llu: the program's end is cut off from "
			   "the supervisor", (unsigned long long)s->ino);
		return false;
	}
	debug("socket %llu: ECONNREFUSED %s the host's pending error",
	      (unsigned long long)s->ino,
	      pfd.revents & POLLERR ? "made" : "not made");
	return pfd.revents & POLLERR;
}

/**
 * ns__errq_take_host() - read the host's copy of the pending error
 * @s:		a socket whose pending error the host holds too
 *		(ns__errq_refuse())
 *
 * Return: false when the program has read it already, natively
 */
bool ns__errq_take_host(struct sock *s)
{
	socklen_t len = sizeof(int);
	int err = 0;

	s->host_err = false;
	if (s->tref < 0 ||
	    getsockopt(s->tref, SOL_SOCKET, SO_ERROR, &err, &len))
		return true;	/* cannot tell: the emulated one stands */
	return err != 0;
}

/*
 * Whether the host still has the UDP socket that sv is connected to, the
 * program's end with inode @ino: an exact sock_diag lookup in the host's
 * network namespace (the host's own answer, which counts references the
 * supervisor cannot see, such as an fd in flight in SCM_RIGHTS).  Any
 * doubt answers true.
 */
static bool host_has_end(int sv, uint64_t ino)
{
	struct {
		struct nlmsghdr nh;
		struct inet_diag_req_v2 req;
	} q;
	union {
		struct nlmsghdr nh;
		char b[1024];
	} r;
	struct sockaddr_in me, peer;
	socklen_t ml = sizeof(me), pl = sizeof(peer);
	struct timeval tv = { 1, 0 };
	bool alive = true;
	ssize_t n;
	int fd;

	if (getsockname(sv, (struct sockaddr *)&me, &ml) ||
	    getpeername(sv, (struct sockaddr *)&peer, &pl))
		return true;
	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return true;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	memset(&q, 0, sizeof(q));
	q.nh.nlmsg_len = sizeof(q);
	q.nh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	q.nh.nlmsg_flags = NLM_F_REQUEST;
	q.req.sdiag_family = AF_INET;
	q.req.sdiag_protocol = IPPROTO_UDP;
	q.req.idiag_states = ~0u;
	/* udp_dump_one() looks up the socket that would receive a datagram
	 * from the source to the destination: from sv, to the program's end */
	q.req.id.idiag_sport = me.sin_port;
	q.req.id.idiag_src[0] = me.sin_addr.s_addr;
	q.req.id.idiag_dport = peer.sin_port;
	q.req.id.idiag_dst[0] = peer.sin_addr.s_addr;
	q.req.id.idiag_if = if_nametoindex("lo");
	q.req.id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
	q.req.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	if (send(fd, &q, sizeof(q), 0) == (ssize_t)sizeof(q) &&
	    (n = recv(fd, &r, sizeof(r), 0)) >= (ssize_t)sizeof(r.nh)) {
		if (r.nh.nlmsg_type == NLMSG_ERROR &&
		    n >= (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr)))
			alive = ((struct nlmsgerr *)NLMSG_DATA(&r.nh))->error !=
				-ENOENT;
		else if (r.nh.nlmsg_type == SOCK_DIAG_BY_FAMILY &&
			 n >= (ssize_t)NLMSG_LENGTH(sizeof(struct inet_diag_msg)))
			alive = ((struct inet_diag_msg *)NLMSG_DATA(&r.nh))->idiag_inode ==
				(uint32_t)ino;
	}
	close(fd);
	return alive;
}

/**
 * ns__errq_gone() - whether a moved socket the liveness scan found in no
 *		     process of the sandbox is really gone
 * @s:		the socket (errq_pair)
 *
 * The scan cannot see an fd in flight in an SCM_RIGHTS message: were the
 * socket freed then, the program would get back a host UDP socket the
 * supervisor no longer knows, whose calls would reach the host kernel.
 * So the supervisor lets go of its own reference first and asks the host
 * whether the socket still exists: only when it does not is the socket
 * freed; otherwise it stays, and its calls are still served (without the
 * supervisor's reference it can no longer be made to say POLLERR).
 *
 * Return: true when the socket can be freed
 */
bool ns__errq_gone(struct sock *s)
{
	ns__sock_drop_tref(s);
	return s->sv < 0 || !host_has_end(s->sv, s->ino);
}

/**
 * ns__errq_fini() - close the sink and the witness
 * @ns:		the stack
 */
void ns__errq_fini(struct ns *ns)
{
	if (ns->errq_sink >= 0)
		close(ns->errq_sink);
	ns->errq_sink = -1;
	if (ns->errq_witness >= 0)
		close(ns->errq_witness);
	ns->errq_witness = -1;
}
