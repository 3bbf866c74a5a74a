/* SPDX-License-Identifier: MIT */
/*
 * sock.c - emulated sockets: their pairs, their table, their lifetime.
 *
 * Every AF_INET/AF_INET6 socket is an AF_UNIX socket pair.  The program's
 * end is installed in its fd table; the supervisor's end (sv) is watched
 * by the loop.  Sockets are found by the inode of the program's end, so
 * dup(), fork() and fd passing need no bookkeeping.
 *
 * Theory of operation (last close).  When the supervisor holds no
 * reference to the program's end, the program's last close shows as
 * POLLHUP on sv.  Some sockets need the program's end (tref): listeners
 * and datagram sockets to drain readiness bytes or datagrams, TCP sockets
 * until connected to raise the send buffer they were created with.  Those
 * are "held"; ns__scan() in stack.c finds the ones the program dropped.
 *
 * Blocking calls are parked here as waiters on their socket and finished
 * when it becomes ready, or dropped when the tracee gave up on them.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "internal.h"
#include "log.h"
#include "net.h"

static unsigned int hash_ino(uint64_t ino)
{
	return (unsigned int)((ino * 0x9E3779B97F4A7C15ull) >> 52) & (NS_HASH_SIZE - 1);
}

static void on_poll(struct ns_watch *h, int status, int events);

/**
 * ns__sock_uid() - the owner a socket made by a call gets, Linux's sk_uid:
 *		    the fsuid of the process that made it
 * @ns:		the stack
 * @pid:	that process, 0 when not known
 *
 * A supervisor that is not root traces processes that all have its ids:
 * a traced process gains none from a set-user-ID program, and setuid()
 * and setfsuid() can only pick among its own.  Run as root, the
 * sandbox's processes may have taken others: /proc/PID/status tells.
 *
 * Return: the uid
 */
uint32_t ns__sock_uid(struct ns *ns, pid_t pid)
{
	uint32_t uid = net_own_uid(ns->net), r, e, sv, fs;
	char path[40], line[128];
	FILE *f;

	if (uid || pid <= 0)
		return uid;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return uid;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Uid: %u %u %u %u", &r, &e, &sv, &fs) == 4) {
			uid = fs;
			break;
		}
	fclose(f);
	return uid;
}

/**
 * ns__sock_new() - allocate a socket object, not yet registered
 * @ns:		the stack
 * @family:	AF_INET or AF_INET6
 * @type:	SOCK_STREAM, SOCK_DGRAM or SOCK_RAW
 * @proto:	IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP(V6) (ping) or raw's
 *
 * Return: the socket, or NULL when out of memory
 */
struct sock *ns__sock_new(struct ns *ns, int family, int type, int proto)
{
	struct sock *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->ns = ns;
	s->family = family;
	s->type = type;
	s->proto = proto;
	s->cookie = ++ns->cookies;
	s->uid = net_own_uid(ns->net);
	/* only a datagram socket may move to a loopback UDP pair (errq.c),
	 * the one use; a look costs a system call */
	if (ns->trc && type != SOCK_STREAM && family != AF_NETLINK &&
	    family != AF_PACKET)
		s->dup_epoch = trc_dup_epoch(ns->trc);
	s->sv = -1;
	ns__watch_init(&s->watch, ns, -1, on_poll);
	s->tref = -1;
	s->tcopy = -1;
	s->incoming_cpu = -1;
	s->txrehash = 1;	/* net.core.txrehash (sk_setsockopt()) */
	s->ttl = s->ip_ttl = 64;
	/* inet_create() with ip_no_pmtu_disc 0, inet6_create(): WANT (1),
	 * which only reads back here: DF goes with DO and PROBE */
	s->pmtudisc = s->ip_pmtudisc = IP_PMTUDISC_WANT;
	s->rcvlowat = 1;	/* sock_init_data() */
	s->max_pacing_rate = UINT64_MAX;	/* ~0UL: none */
	s->quickack = true;	/* TCP_QUICKACK reads 1 until set to 0 */
	ns__mcast_init(s);
	s->rcvbuf = 212992;
	s->sndbuf = 212992;
	s->next = ns->all;
	if (ns->all)
		ns->all->prev = s;
	ns->all = s;
	ns->nsocks++;
	return s;
}

/**
 * ns__sock_pair() - make the socket's AF_UNIX pair
 * @s:		the socket; its sv is set
 * @type:	SOCK_STREAM or SOCK_DGRAM
 * @nonblock:	set O_NONBLOCK on the program's end
 * @tracee_end:	set to the program's end, for the caller to install
 *
 * Return: 0 or a negative errno
 */
int ns__sock_pair(struct sock *s, int type, bool nonblock, int *tracee_end)
{
	int sp[2];
	struct stat st;

	if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sp))
		return -errno;
	if (fcntl(sp[0], F_SETFL, O_NONBLOCK) ||
	    (nonblock && fcntl(sp[1], F_SETFL, O_NONBLOCK | O_RDWR)) ||
	    fstat(sp[1], &st)) {
		int ret = -errno;

		close(sp[0]);
		close(sp[1]);
		return ret;
	}
	/* A TCP program's send(MSG_OOB) is AF_UNIX's out-of-band byte
	 * (Linux 5.15), which a plain read of sv skips: taken inline, it goes
	 * out with the stream instead of being lost (no urgent data here) */
	if (type == SOCK_STREAM)
		setsockopt(sp[0], SOL_SOCKET, SO_OOBINLINE, &(int){ 1 }, sizeof(int));
	s->sv = sp[0];
	s->ino = st.st_ino;
	*tracee_end = sp[1];
	return 0;
}

/**
 * ns__sock_register() - make the socket findable by its program end's inode
 * @s:		the socket
 * @ino:	inode of the program's end
 */
void ns__sock_register(struct sock *s, uint64_t ino)
{
	unsigned int h = hash_ino(ino);

	s->ino = ino;
	s->hnext = s->ns->hash[h];
	s->ns->hash[h] = s;
}

/**
 * ns__sock_find() - the socket whose program end has inode @ino
 * @ns:		the stack
 * @ino:	inode
 *
 * Return: the socket or NULL
 */
struct sock *ns__sock_find(struct ns *ns, uint64_t ino)
{
	struct sock *s;

	for (s = ns->hash[hash_ino(ino)]; s; s = s->hnext)
		if (s->ino == ino)
			return s;
	return NULL;
}

static void unregister(struct sock *s)
{
	struct sock **pp;

	for (pp = &s->ns->hash[hash_ino(s->ino)]; *pp; pp = &(*pp)->hnext) {
		if (*pp == s) {
			*pp = s->hnext;
			return;
		}
	}
}

/**
 * ns__sock_rekey() - the program's end is another socket now: find it by
 *		      that one's inode
 * @s:		the socket
 * @ino:	inode of the new program end
 */
void ns__sock_rekey(struct sock *s, uint64_t ino)
{
	unregister(s);
	ns__sock_register(s, ino);
}

/**
 * ns__sock_drop_tref() - stop holding the program's end
 * @s:		the socket
 */
void ns__sock_drop_tref(struct sock *s)
{
	if (s->tref < 0)
		return;
	close(s->tref);
	s->tref = -1;
}

/**
 * ns__sock_set_held() - whether only a liveness scan can find the last close
 * @s:		the socket
 * @held:	true when sv will not see the program's last close as POLLHUP
 */
void ns__sock_set_held(struct sock *s, bool held)
{
	if (s->held == held)
		return;
	s->held = held;
	if (held) {
		/* A close is seen by scans only (the filter does not trap
		 * close()): one within a second, and one at once when many
		 * held sockets were made since the last. */
		if (++s->ns->held > s->ns->held_scanned + NS_HELD_BURST)
			ns__scan_next_turn(s->ns);
		else
			ns__scan_soon(s->ns);
	} else {
		s->ns->held--;
	}
}

/*
 * A fetched program end, kept a little.  Every trapped receive on a
 * netlink socket takes its answer out of the program's end, and fetching
 * that end costs three system calls (pidfd_getfd(), fstat(), close()):
 * `ip -batch` makes two such receives per route.  So the copy a netlink
 * socket's receive fetched is kept while the socket is busy, in one of
 * NS_TCOPY_N slots, and closed once a tick of NS_TCOPY_MS went by without
 * its use.  Holding it delays the POLLHUP that tells sv of the program's
 * last close by as much.  The copy is the same open file as the fd it was
 * fetched from (trc_fd_fetch() checked its inode), and a call reaches this
 * socket only through an fd that names that inode, so any call may use
 * it.
 */
static void on_tcopy_tick(uv_timer_t *h)
{
	struct ns *ns = h->data;
	unsigned int i, kept = 0;
	struct sock *s;

	for (i = 0; i < NS_TCOPY_N; i++) {
		if (!(s = ns->tcopy[i]))
			continue;
		if (s->tcopy_used) {
			s->tcopy_used = false;
			kept++;
		} else {
			ns__sock_drop_tcopy(s);
		}
	}
	if (!kept)
		uv_timer_stop(h);
}

static void keep_copy(struct sock *s, int t)
{
	struct ns *ns = s->ns;
	unsigned int i;

	for (i = 0; i < NS_TCOPY_N; i++) {
		if (!ns->tcopy[i]) {
			ns->tcopy[i] = s;
			s->tcopy = t;
			s->tcopy_used = true;
			if (!uv_is_active((uv_handle_t *)&ns->tcopy_timer))
				uv_timer_start(&ns->tcopy_timer, on_tcopy_tick,
					       NS_TCOPY_MS, NS_TCOPY_MS);
			return;
		}
	}
}

/**
 * ns__sock_drop_tcopy() - close the kept copy of the program's end, if any
 * @s:		the socket
 */
void ns__sock_drop_tcopy(struct sock *s)
{
	unsigned int i;

	if (s->tcopy < 0)
		return;
	for (i = 0; i < NS_TCOPY_N; i++)
		if (s->ns->tcopy[i] == s)
			s->ns->tcopy[i] = NULL;
	close(s->tcopy);
	s->tcopy = -1;
}

/**
 * ns__tcopy_init() - the timer that lets kept copies go
 * @ns:		the stack
 */
void ns__tcopy_init(struct ns *ns)
{
	uv_timer_init(ns->loop, &ns->tcopy_timer);
	ns->tcopy_timer.data = ns;
}

/*
 * The program's end fetched while a trapped call on its socket is
 * answered is kept until the answer went (ns__call_done()), in
 * ns->ccopy: a connect() reads the end's O_NONBLOCK, its SO_SNDTIMEO
 * when it blocks, and raises its send buffer once connected (on the
 * loopback, inside the call), a send with an address writes into it, and
 * each fetch costs three system calls.  Where pidfd_getfd() works, the
 * copy is made as the call's fd is looked up (trc_fd_lookup()), and
 * ns__call_begin() keeps it.
 * As for the netlink copies above, any call may use it: ccopy_ino is
 * checked against the socket's inode, which changes when the socket gets
 * a new end (renew(), errq.c), and the copy keeps that inode's file, so
 * no other socket can have it meanwhile.
 */

/**
 * ns__call_begin() - a trapped call on @s is being answered
 * @ns:		the stack
 * @s:		its socket, or NULL
 * @copy:	the program's end of @s fetched to find it (trc_fd_lookup()),
 *		now ns->ccopy; or -1
 */
void ns__call_begin(struct ns *ns, struct sock *s, int copy)
{
	ns->call_sock = s;
	if (copy >= 0 && s && ns->ccopy < 0) {
		ns->ccopy = copy;
		ns->ccopy_ino = s->ino;
	} else if (copy >= 0) {
		close(copy);
	}
}

/**
 * ns__call_done() - the call is answered: let its fetched end go
 * @ns:		the stack
 */
void ns__call_done(struct ns *ns)
{
	ns->call_sock = NULL;
	if (ns->ccopy >= 0)
		close(ns->ccopy);
	ns->ccopy = -1;
}

/* The program's end, if the supervisor has it without a fetch; else -1. */
static int end_at_hand(struct sock *s)
{
	struct ns *ns = s->ns;

	if (s->tref >= 0)
		return s->tref;
	if (s->tcopy >= 0) {
		s->tcopy_used = true;
		return s->tcopy;
	}
	if (ns->ccopy >= 0 && ns->ccopy_ino == s->ino)
		return ns->ccopy;
	return -1;
}

/**
 * ns__tref_get() - the program's end of the pair, to drain it
 * @s:		the socket
 * @pid:	a tracee that has it open (the caller of the current call)
 * @fd:		its fd number there
 *
 * Return: the held reference, or a copy fetched with pidfd_getfd() that
 * ns__tref_put() closes (or keeps, see above); a negative errno if
 * neither is possible
 */
int ns__tref_get(struct sock *s, pid_t pid, int fd)
{
	struct ns *ns = s->ns;
	int t = end_at_hand(s);

	if (t >= 0)
		return t;
	if (!ns->fetch)
		return -EBADF;
	t = trc_fd_fetch(ns->trc, pid, fd, s->ino);
	if (t >= 0 && s->family == AF_NETLINK) {
		keep_copy(s, t);
	} else if (t >= 0 && s == ns->call_sock && ns->ccopy < 0) {
		ns->ccopy = t;
		ns->ccopy_ino = s->ino;
	}
	return t;
}

/**
 * ns__tref_put() - done with what ns__tref_get() gave
 * @s:		the socket
 * @fd:		that fd
 */
void ns__tref_put(struct sock *s, int fd)
{
	if (fd >= 0 && fd != s->tref && fd != s->tcopy && fd != s->ns->ccopy)
		close(fd);
}

/**
 * ns__tref_own() - make what ns__tref_get() gave the caller's to keep
 * @s:		the socket
 * @fd:		that fd
 *
 * Return: @fd, no longer the call's kept copy if it was
 */
int ns__tref_own(struct sock *s, int fd)
{
	if (fd >= 0 && fd == s->ns->ccopy)
		s->ns->ccopy = -1;
	return fd;
}

/**
 * ns__sock_copy_timeouts() - give a new program end the old one's
 *			      SO_RCVTIMEO and SO_SNDTIMEO
 * @s:		the socket, still registered under the old end's inode
 * @c:		the call that replaces the end
 * @fd:		the program's fd number, still naming the old end
 * @to:		the new end (a host socket, a pair end)
 *
 * The kernel keeps both timeouts on the program's end (sockopt.c lets
 * those calls through), so an end that replaces it must take them over.
 *
 * Return: 0, or a negative errno when one could not be read or set
 */
int ns__sock_copy_timeouts(struct sock *s, struct trc_call *c, int fd, int to)
{
	static const int opt[] = { SO_RCVTIMEO, SO_SNDTIMEO };
	struct timeval tv;
	socklen_t len;
	int old, i, ret = 0;

	old = ns__tref_get(s, trc_call_pid(c), fd);
	if (old < 0)
		return old;
	for (i = 0; i < 2 && !ret; i++) {
		len = sizeof(tv);
		if (getsockopt(old, SOL_SOCKET, opt[i], &tv, &len) ||
		    ((tv.tv_sec || tv.tv_usec) &&
		     setsockopt(to, SOL_SOCKET, opt[i], &tv, sizeof(tv))))
			ret = -errno;
	}
	ns__tref_put(s, old);
	return ret;
}

/**
 * ns__sock_end() - the program's end signalled close or EOF on sv
 * @s:		the socket; freed when that was its last close
 *
 * Without a reference of ours, POLLHUP is the last close: free the socket.
 * Otherwise (a shutdown, or an end we hold) stop watching sv, whose state
 * will not change again, and leave the close to the liveness scan.
 *
 * Return: true if @s was freed
 */
bool ns__sock_end(struct sock *s)
{
	if (!s->held && !s->listener && s->tref < 0 && ns__sock_closed(s)) {
		ns__sock_free(s);
		return true;
	}
	ns__sock_poll(s, 0);
	if (!s->listener)
		ns__sock_set_held(s, true);
	return false;
}

/**
 * ns__sock_closed() - whether the program's end is gone
 * @s:		the socket
 *
 * Only meaningful while the supervisor holds no reference to that end and
 * has not shut down sv's sending side: then POLLHUP on sv means the
 * program's last close (or shutdown(SHUT_RDWR), which leaves nothing to do).
 *
 * Return: true if sv reports POLLHUP
 */
bool ns__sock_closed(struct sock *s)
{
	struct pollfd pfd = { .fd = s->sv, .events = 0 };

	return s->sv >= 0 && poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLHUP);
}

/* Field @k (from 0) of the numbers in the sysctl file @path, else @def. */
static int sysctl_field(const char *path, int k, int def)
{
	char buf[128], *p = buf, *end;
	ssize_t n;
	long v = def;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return def;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return def;
	buf[n] = '\0';
	for (; k >= 0; k--, p = end) {
		v = strtol(p, &end, 10);
		if (end == p)
			return def;
	}
	return v > 0 && v <= INT32_MAX / 2 ? (int)v : def;
}

/**
 * ns__sock_rmem_max() - the host's net.core.rmem_max (global, so what a
 *			 new network namespace has too), read once
 *
 * Return: bytes; 212992 if it cannot be read
 */
int ns__sock_rmem_max(void)
{
	static int v;

	if (!v)
		v = sysctl_field("/proc/sys/net/core/rmem_max", 0, 212992);
	return v;
}

/**
 * ns__sock_wmem_max() - the host's net.core.wmem_max, read once
 *
 * Return: bytes; 212992 if it cannot be read
 */
int ns__sock_wmem_max(void)
{
	static int v;

	if (!v)
		v = sysctl_field("/proc/sys/net/core/wmem_max", 0, 212992);
	return v;
}

/**
 * ns__caller_net_admin() - whether a thread has CAP_NET_ADMIN in the
 *			    initial user namespace, as Linux's
 *			    sockopt_capable() asks for SO_RCVBUFFORCE and
 *			    SO_SNDBUFFORCE (capable(), not ns_capable(): a
 *			    buffer past rmem_max is the host's memory, not
 *			    the network's)
 * @tid:	the calling thread (a notification's pid)
 *
 * Return: true if its effective set holds CAP_NET_ADMIN (12) and it is
 * in the initial user namespace (PROC_USER_INIT_INO, 4026531837)
 */
bool ns__caller_net_admin(pid_t tid)
{
	unsigned long long eff = 0;
	char path[48], line[128];
	bool found = false;
	ssize_t n;
	FILE *f;

	if (tid <= 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)tid);
	n = readlink(path, line, sizeof(line) - 1);
	if (n <= 0)
		return false;
	line[n] = '\0';
	if (strcmp(line, "user:[4026531837]"))
		return false;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "CapEff: %llx", &eff) == 1;
	fclose(f);
	return found && (eff >> 12 & 1);
}

/**
 * ns__sock_buf() - the buffer size Linux would report (sk_rcvbuf,
 *		    sk_sndbuf): twice what SO_RCVBUF / SO_SNDBUF was given,
 *		    else the default of the socket's kind
 * @s:		the socket
 * @rcv:	the receive buffer, else the send buffer
 *
 * The defaults are what a new network namespace gives: TCP's
 * tcp_rmem[1] and tcp_wmem[1] (copied from the host's: 131072 and 16384
 * by default), every other kind's rmem_default and wmem_default (global:
 * 212992), read once from the host.  What the sandbox gives its pairs is
 * its own affair (s->rcvbuf and s->sndbuf start at 212992 for that).
 *
 * Return: bytes
 */
int ns__sock_buf(const struct sock *s, bool rcv)
{
	static int tcp_r, tcp_w, def_r, def_w;

	if (rcv ? s->rcvbuf_set : s->sndbuf_set)
		return 2 * (rcv ? s->rcvbuf : s->sndbuf);
	if (!tcp_r) {
		tcp_r = sysctl_field("/proc/sys/net/ipv4/tcp_rmem", 1, 131072);
		tcp_w = sysctl_field("/proc/sys/net/ipv4/tcp_wmem", 1, 16384);
		def_r = sysctl_field("/proc/sys/net/core/rmem_default", 0, 212992);
		def_w = sysctl_field("/proc/sys/net/core/wmem_default", 0, 212992);
	}
	if (s->type == SOCK_STREAM && s->family != AF_NETLINK)
		return rcv ? tcp_r : tcp_w;
	return rcv ? def_r : def_w;
}

/**
 * ns__tcp_rmem_max() - tcp_rmem[2], read once from the host (a new
 *			network namespace copies it)
 *
 * Return: bytes
 */
int ns__tcp_rmem_max(void)
{
	static int v;

	if (!v)
		v = sysctl_field("/proc/sys/net/ipv4/tcp_rmem", 2, 6291456);
	return v;
}

/**
 * ns__sock_close_sv() - close the supervisor's end and stop watching it
 * @s:		the socket, which stays (for getsockopt(SO_ERROR) and the like)
 */
void ns__sock_close_sv(struct sock *s)
{
	ns__watch_drop(&s->watch);
	s->poll_events = 0;
	if (s->sv >= 0)
		close(s->sv);
	s->sv = -1;
}

/**
 * ns__sock_forget_sv() - give the supervisor's end away without closing it
 * @s:		the socket; its watch stops, sv becomes -1
 */
void ns__sock_forget_sv(struct sock *s)
{
	ns__watch_drop(&s->watch);
	s->poll_events = 0;
	s->sv = -1;
}

/**
 * ns__sock_free() - release everything of a socket
 * @s:		the socket, freed
 *
 * Blocking calls still parked on it are answered with EBADF, as when a
 * descriptor is closed under a blocked call.
 */
void ns__sock_free(struct sock *s)
{
	struct ns *ns = s->ns;

	ns__waiters_fail(s, -EBADF);
	ns__mcast_close(s);
	ns__acast_close(s);
	if (s->fwd)
		ns__fwd_gone(s);
	if (s->family == AF_NETLINK)
		ns__nl_close(s);
	else if (s->family == AF_PACKET)
		ns__pk_close(s);
	else if (s->host)
		;	/* nothing of lwIP's; tref (if held) closes below */
	else if (s->type == SOCK_STREAM)
		ns__tcp_close(s);
	else if (ns__on_raw(s))
		ns__raw_close(s);
	else
		ns__udp_close(s);
	ns__tcp_rx_due_del(s);	/* ns__tcp_close() may have written it */
	ns__md5_free(s);
	free(s->filter);
	unregister(s);
	if (s->prev)
		s->prev->next = s->next;
	else
		ns->all = s->next;
	if (s->next)
		s->next->prev = s->prev;
	ns->nsocks--;
	ns__sock_set_held(s, false);
	ns__sock_drop_tref(s);
	ns__sock_drop_tcopy(s);
	ns__sock_close_sv(s);
	free(s);
}

/**
 * ns__waiter_free() - free a waiter that is no longer on its socket's list
 * @w:		the waiter; its call must have been finished
 */
void ns__waiter_free(struct waiter *w)
{
	if (w->timer)
		uv_close((uv_handle_t *)w->timer, (uv_close_cb)free);
	ns__watch_drop(&w->watch);
	if (w->tfd >= 0)
		close(w->tfd);
	free(w);
}

static void unlink_waiter(struct waiter *w)
{
	struct waiter **pp;

	for (pp = &w->s->waiters; *pp; pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			return;
		}
	}
}

/* SO_RCVTIMEO or SO_SNDTIMEO ran out: the call ends as Linux ends it. */
static void on_timeout(uv_timer_t *h)
{
	struct waiter *w = h->data;

	unlink_waiter(w);
	calls("pid %d: fd %d: timed out", (int)trc_call_pid(w->call), w->fd);
	trc_call_reply(w->call, w->kind == W_CONNECT ? -EINPROGRESS : -EAGAIN);
	ns__waiter_free(w);
}

/* The program's SO_RCVTIMEO/SO_SNDTIMEO lives on its end of the pair. */
static void arm_timeout(struct sock *s, struct waiter *w)
{
	int opt = (w->kind == W_RECV || w->kind == W_ACCEPT) ? SO_RCVTIMEO : SO_SNDTIMEO;
	struct timeval tv = { 0, 0 };
	socklen_t len = sizeof(tv);
	uint64_t ms;
	int t;

	t = ns__tref_get(s, trc_call_pid(w->call), w->fd);
	if (t < 0)
		return;
	getsockopt(t, SOL_SOCKET, opt, &tv, &len);
	ns__tref_put(s, t);
	if (!tv.tv_sec && !tv.tv_usec)
		return;
	w->timer = malloc(sizeof(*w->timer));
	if (!w->timer)
		return;
	ms = (uint64_t)tv.tv_sec * 1000 + ((uint64_t)tv.tv_usec + 999) / 1000;
	uv_timer_init(s->ns->loop, w->timer);
	w->timer->data = w;
	uv_timer_start(w->timer, on_timeout, ms, 0);
}

/* Append a waiter for @c (see ns__park()); NULL when out of memory. */
static struct waiter *park(struct sock *s, struct trc_call *c,
			   enum wait_kind kind, int fd)
{
	struct waiter *w, **pp;

	for (pp = &s->waiters; *pp;) {
		w = *pp;
		if (trc_call_pid(w->call) == trc_call_pid(c)) {
			*pp = w->next;
			trc_call_reply(w->call, -EINTR);
			ns__waiter_free(w);
		} else {
			pp = &w->next;
		}
	}
	w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->s = s;
	w->call = c;
	w->kind = kind;
	w->fd = fd;
	w->tfd = -1;
	for (pp = &s->waiters; *pp; pp = &(*pp)->next)
		;
	*pp = w;
	trc_call_park(c);
	arm_timeout(s, w);
	return w;
}

/**
 * ns__park() - park a blocking call until the socket is ready
 * @s:		the socket
 * @c:		the call
 * @kind:	what it waits for
 * @fd:		the program's fd number
 *
 * A thread makes one system call at a time, so a waiter left by the same
 * thread belongs to a call a signal interrupted: it is dropped here.  The
 * socket's receive or send timeout, if set, bounds the wait.
 *
 * Return: NS_PARKED, or -ENOMEM
 */
int64_t ns__park(struct sock *s, struct trc_call *c, enum wait_kind kind, int fd)
{
	return park(s, c, kind, fd) ? NS_PARKED : -ENOMEM;
}

/**
 * ns__retry() - run a parked call again now that its socket may be ready
 * @s:		the socket
 * @call:	the call, taken off its waiter already
 * @fd:		the program's fd number
 * @again:	the handler that runs it (it may park it once more)
 *
 * Return: true if it was parked again (nothing more is ready)
 */
bool ns__retry(struct sock *s, struct trc_call *call, int fd,
	       int64_t (*again)(struct sock *, struct trc_call *, int))
{
	int64_t ret = again(s, call, fd);

	if (ret == NS_PARKED)
		return true;
	trc_call_reply(call, ret);
	return false;
}

/**
 * ns__retry_waiters() - run again every valid waiter of @kind, in order
 * @s:		the socket
 * @kind:	what became ready
 * @again:	the handler that runs such a call
 *
 * Stops at the first that parks again: the rest would find nothing either.
 */
void ns__retry_waiters(struct sock *s, enum wait_kind kind,
		       int64_t (*again)(struct sock *, struct trc_call *, int))
{
	struct waiter *w;

	while ((w = ns__waiter_pop(s, kind))) {
		struct trc_call *call = w->call;
		int fd = w->fd;

		ns__waiter_free(w);
		if (ns__retry(s, call, fd, again))
			break;
	}
}

static int64_t park_poll(struct sock *s, struct trc_call *c,
			 enum wait_kind kind, int fd, int tfd);

static void on_writable(struct ns_watch *h, int status, int events)
{
	struct waiter *w = (struct waiter *)((char *)h -
					     offsetof(struct waiter, watch));
	struct trc_call *call = w->call;
	struct sock *s = w->s;
	enum wait_kind kind = w->kind;
	int fd = w->fd;

	unlink_waiter(w);
	ns__waiter_free(w);
	if (!trc_call_valid(call))
		trc_call_reply(call, -EINTR);
	else
		ns__retry(s, call, fd, kind == W_CONNECT ? ns__host_connect_done :
			  ns__tcp_send_call);
}

/**
 * ns__park_writable() - park a send until the program's end has room
 * @s:		the socket (a direct pair: the supervisor has no end of it)
 * @c:		the call
 * @fd:		the program's fd number
 * @tfd:	the program's end, fetched; the waiter owns it now
 *
 * Return: NS_PARKED, or a negative errno (then @tfd is closed)
 */
int64_t ns__park_writable(struct sock *s, struct trc_call *c, int fd, int tfd)
{
	return park_poll(s, c, W_SEND, fd, tfd);
}

/**
 * ns__park_host() - park a blocking connect() on a host socket of the fast
 * path until it is writable (connected or failed: hostsock.c)
 * @s:		its struct sock
 * @c:		the call
 * @fd:		the program's fd number
 * @tfd:	a reference to the host socket; the waiter owns it now
 *
 * Return: NS_PARKED, or a negative errno (then @tfd is closed)
 */
int64_t ns__park_host(struct sock *s, struct trc_call *c, int fd, int tfd)
{
	return park_poll(s, c, W_CONNECT, fd, tfd);
}

static int64_t park_poll(struct sock *s, struct trc_call *c,
			 enum wait_kind kind, int fd, int tfd)
{
	struct waiter *w = park(s, c, kind, fd);

	if (!w) {
		close(tfd);
		return -ENOMEM;
	}
	w->tfd = tfd;
	/* @tfd shares the program's open file, whose O_NONBLOCK the watch
	 * leaves as it is; if it cannot be watched, the timeout or a signal
	 * ends the wait */
	ns__watch_init(&w->watch, s->ns, tfd, on_writable);
	ns__watch_set(&w->watch, UV_WRITABLE);
	return NS_PARKED;
}

/**
 * ns__waiter_pop() - the first still-valid waiter of @kind
 * @s:		the socket
 * @kind:	kind wanted
 *
 * Waiters whose tracee was interrupted meanwhile are freed on the way.
 *
 * Return: the waiter, unlinked, for the caller to finish and free with
 * ns__waiter_free(); or NULL
 */
struct waiter *ns__waiter_pop(struct sock *s, enum wait_kind kind)
{
	struct waiter *w, **pp;

	for (pp = &s->waiters; *pp;) {
		w = *pp;
		if (w->kind != kind) {
			pp = &w->next;
			continue;
		}
		*pp = w->next;
		if (trc_call_valid(w->call))
			return w;
		trc_call_reply(w->call, -EINTR);	/* frees; tracee is gone */
		ns__waiter_free(w);
	}
	return NULL;
}

/**
 * ns__waiters_fail() - answer every parked call with @ret
 * @s:		the socket
 * @ret:	result for all of them
 */
void ns__waiters_fail(struct sock *s, int64_t ret)
{
	struct waiter *w;

	while ((w = s->waiters)) {
		s->waiters = w->next;
		trc_call_reply(w->call, ret);
		ns__waiter_free(w);
	}
}

/**
 * ns__call_nonblock() - whether a call on the program's fd must not block
 * @c:		the call
 * @fd:		the program's fd number
 * @flags:	the call's flags argument
 * @dontwait_flag: the flag that means "do not block" in @flags, or 0
 *
 * O_NONBLOCK lives in the program's open file description: read it there.
 *
 * Return: 1 for non-blocking, 0 for blocking, or a negative errno
 */
int ns__call_nonblock(struct trc_call *c, int fd, int flags, int dontwait_flag)
{
	int fl;

	if (dontwait_flag && (flags & dontwait_flag))
		return 1;
	fl = trc_fd_flags(trc_call_pid(c), fd);
	if (fl < 0)
		return fl;
	return (fl & O_NONBLOCK) ? 1 : 0;
}

/**
 * ns__sock_nonblock() - ns__call_nonblock() for a call on @s, read from
 * its program end when the supervisor has that at hand
 * @s:		the socket
 * @c:		the call
 * @fd:		the program's fd number
 * @flags:	the call's flags argument
 * @dontwait_flag: the flag that means "do not block" in @flags, or 0
 * @fetch:	fetch the end if need be: the call will use it anyway
 *
 * The end is the program's open file, so fcntl(F_GETFL) on it reads the
 * flag in one system call where /proc/PID/fdinfo takes three.  A call
 * that blocks uses the end too (its SO_RCVTIMEO or SO_SNDTIMEO), so the
 * end is fetched as well when the socket blocked the last time asked.
 *
 * Return: 1 for non-blocking, 0 for blocking, or a negative errno
 */
int ns__sock_nonblock(struct sock *s, struct trc_call *c, int fd, int flags,
		      int dontwait_flag, bool fetch)
{
	struct ns *ns = s->ns;
	int t, fl;

	if (dontwait_flag && (flags & dontwait_flag))
		return 1;
	/* a fetch here only if ns__tref_get() will keep it for the call */
	t = end_at_hand(s);
	if (t < 0 && (fetch || s->blocked) && ns->fetch &&
	    s == ns->call_sock && ns->ccopy < 0)
		t = ns__tref_get(s, trc_call_pid(c), fd);
	fl = t >= 0 ? fcntl(t, F_GETFL) : -1;
	ns__tref_put(s, t);
	if (fl < 0)
		fl = trc_fd_flags(trc_call_pid(c), fd);
	if (fl < 0)
		return fl;
	s->blocked = !(fl & O_NONBLOCK);
	return s->blocked ? 0 : 1;
}

/* lwIP's timer is re-armed by stack.c's check handle after this phase. */
static void on_poll(struct ns_watch *h, int status, int events)
{
	struct sock *s = (struct sock *)((char *)h - offsetof(struct sock, watch));

	if (s->family == AF_NETLINK)
		ns__nl_io(s, status, events);
	else if (s->type == SOCK_STREAM)
		ns__tcp_io(s, status, events);
	else
		ns__udp_io(s, status, events);
}

/**
 * ns__sock_poll() - watch the supervisor's end for @events
 * @s:		the socket
 * @events:	UV_READABLE, UV_WRITABLE, UV_DISCONNECT, or 0 to stop
 */
void ns__sock_poll(struct sock *s, int events)
{
	if (s->sv < 0 || events == s->poll_events)
		return;
	if (!s->watch.armed)	/* sv may be another fd than last time */
		ns__watch_init(&s->watch, s->ns, s->sv, on_poll);
	s->poll_events = events;
	ns__watch_set(&s->watch, events);
}
