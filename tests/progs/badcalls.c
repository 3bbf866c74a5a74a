/* SPDX-License-Identifier: MIT */
/*
 * badcalls.c - hundreds of wrong socket calls, each checked for Linux's errno.
 *
 * A self-checking program (TAP-style output, see tap.h) that runs unchanged
 * natively, where every check must pass, and inside rrsandbox, whose
 * supervisor must answer hostile arguments the way the kernel does: bad
 * pointers (NULL, (void *)1, an unmapped page, a read-only page for output)
 * give EFAULT, bad lengths EINVAL, bad descriptors EBADF or ENOTSOCK,
 * unknown options ENOPROTOOPT, wrong families EAFNOSUPPORT or EINVAL, and
 * calls in the wrong state their own errnos.  Where Linux's answer is
 * surprising, the check expects what Linux does and a comment names the
 * kernel function that decides it.
 *
 * Usage: badcalls [--sandbox] [ITERATIONS]   (default 3)
 *
 * The whole set runs ITERATIONS times, and the program ends by checking that
 * no descriptor leaked, so a supervisor that leaks per call shows up.  A
 * checked call that blocks where Linux answers at once is cut short after
 * a second and shows as -1/EINTR.  Only loopback is used.  --sandbox turns
 * the checks in sandbox_todo[] (rrsandbox's documented differences) into
 * TAP TODO checks, which may fail; apart from that list it knows nothing of
 * rrsandbox.  Exit status: 0 if every check passed (TODO checks aside), 1 if
 * not, 2 on a watchdog timeout.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/netlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

static int iter;		/* current iteration, for descriptions */
static void *unmapped;		/* a page that was mapped and unmapped */
static void *rdonly;		/* a read-only page (bad for output) */

/* The pointers no call may dereference, and their names. */
#define NBAD 3
static void *bad[NBAD];
static const char *const badname[NBAD] = { "NULL", "(void *)1", "unmapped" };

/*
 * Every checked call runs under a guard: a one-shot SIGALRM (handler
 * installed without SA_RESTART) after GUARD_MS turns a call that blocks,
 * where Linux answers at once, into -1/EINTR, so one hang costs a second
 * and a failed check instead of the run.  A watchdog thread (which blocks
 * all signals, so SIGALRM always reaches the main thread) ends the run if
 * an iteration takes longer than WATCHDOG_S.
 */
#define GUARD_MS	1000
#define WATCHDOG_S	120

static long guard_val;			/* the guarded call's result */
static volatile long watchdog_end;	/* CLOCK_MONOTONIC seconds */

static void on_alarm(int sig)
{
	(void)sig;
}

static void guard_on(void)
{
	struct itimerval it = { { 0, 0 }, { GUARD_MS / 1000, GUARD_MS % 1000 * 1000 } };

	setitimer(ITIMER_REAL, &it, NULL);
}

/* Stops the guard; keeps errno. */
static void guard_off(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 0 } };
	int saved = errno;

	setitimer(ITIMER_REAL, &it, NULL);
	errno = saved;
}

#define GUARDED(call) (guard_on(), guard_val = (long)(call), guard_off(), guard_val)

static void *watchdog(void *arg)
{
	static const char msg[] = "Bail out! badcalls: watchdog timeout\n";
	struct timespec ts;
	sigset_t all;

	(void)arg;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		if (ts.tv_sec > watchdog_end)
			break;
		sleep(1);
	}
	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(3);
	_exit(2);
}

static void watchdog_feed(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	watchdog_end = ts.tv_sec + WATCHDOG_S;
}

/* Formats a description prefixed with the iteration (errno survives). */
static const char *dsc(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *dsc(const char *fmt, ...)
{
	static char buf[4][200];
	static int i;
	int saved = errno, n;
	va_list ap;

	i = (i + 1) % 4;
	n = snprintf(buf[i], sizeof(buf[i]), "[%d] ", iter);
	va_start(ap, fmt);
	vsnprintf(buf[i] + n, sizeof(buf[i]) - n, fmt, ap);
	va_end(ap);
	errno = saved;
	return buf[i];
}

#define EXPECT(want, call, ...) tap_errno(dsc(__VA_ARGS__), GUARDED(call), (want))
#define RETURNS(want, call, ...) tap_ret(dsc(__VA_ARGS__), GUARDED(call), (want))

/* Records a failed setup step (silent on success). Return: ret >= 0. */
static int need(const char *what, long ret)
{
	if (ret < 0)
		tap_result(0, dsc("setup: %s", what), "failed: %s",
			   tap_outcome(ret, errno));
	return ret >= 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static socklen_t mkaddr(int af, const char *ip, uint16_t port,
			struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (af == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		inet_pton(AF_INET, ip, &sin->sin_addr);
		return sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		inet_pton(AF_INET6, ip, &sin6->sin6_addr);
		return sizeof(*sin6);
	}
}

static const char *lo(int af)
{
	return af == AF_INET ? "127.0.0.1" : "::1";
}

static const char *F(int af)
{
	return af == AF_INET ? "4" : "6";
}

static int setint(int fd, int level, int opt, int val)
{
	return setsockopt(fd, level, opt, &val, sizeof(val));
}

static void xclose_int(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Accepts and closes whatever is pending on a non-blocking listener. */
static void flush_listener(int l)
{
	int fd;

	while ((fd = accept(l, NULL, NULL)) >= 0)
		close(fd);
}

static int wait_in(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms);
}

/* A UDP socket bound to loopback port 0; @addr gets its name. */
static int udp_bound(int af, struct sockaddr_storage *addr)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(*addr);
	int fd = socket(af, SOCK_DGRAM, 0);

	if (!need("udp socket()", fd))
		return -1;
	if (!need("udp bind()", bind(fd, (struct sockaddr *)&ss, mkaddr(af, lo(af), 0, &ss))) ||
	    !need("udp getsockname()", getsockname(fd, (struct sockaddr *)addr, &len))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A non-blocking TCP listener on loopback port 0; @addr gets its name. */
static int tcp_listener(int af, struct sockaddr_storage *addr)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(*addr);
	int fd = socket(af, SOCK_STREAM | SOCK_NONBLOCK, 0);

	if (!need("tcp socket()", fd))
		return -1;
	if (!need("tcp bind()", bind(fd, (struct sockaddr *)&ss, mkaddr(af, lo(af), 0, &ss))) ||
	    !need("listen()", listen(fd, 16)) ||
	    !need("tcp getsockname()", getsockname(fd, (struct sockaddr *)addr, &len))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Connects a client to @l and waits until it is pending. Return: the fd. */
static int pending_client(int l, const struct sockaddr_storage *la)
{
	socklen_t len = la->ss_family == AF_INET ? sizeof(struct sockaddr_in)
						 : sizeof(struct sockaddr_in6);
	int c = socket(la->ss_family, SOCK_STREAM, 0);

	if (!need("client socket()", c))
		return -1;
	if (!need("client connect()", connect(c, (const struct sockaddr *)la, len)) ||
	    !need("listener readable", wait_in(l, 2000) == 1 ? 0 : -1)) {
		close(c);
		return -1;
	}
	return c;
}

/* Empties a datagram socket's queue. */
static void drain(int fd)
{
	char buf[256];

	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
		;
}

/*
 * Empties @to's queue of everything @from has sent it, also what is still
 * on its way: sends a marker and reads up to it (2 s at most).  Linux's
 * loopback queues a datagram before the send returns, but a program may not
 * count on that, so neither does this one; and a call that wrongly sent
 * leaves no stray datagram for the next check.
 */
static void drain_from(int from, int to, const struct sockaddr_storage *ta)
{
	static const char mark[] = "badcalls: end of queue";
	socklen_t len = ta->ss_family == AF_INET ? sizeof(struct sockaddr_in)
						 : sizeof(struct sockaddr_in6);
	char buf[256];
	int i;
	long n;

	if (sendto(from, mark, sizeof(mark), 0, (const struct sockaddr *)ta, len) < 0) {
		drain(to);
		return;
	}
	for (i = 0; i < 1000 && wait_in(to, 2000) == 1; i++) {
		n = recv(to, buf, sizeof(buf), MSG_DONTWAIT);
		if (n == (long)sizeof(mark) && !memcmp(buf, mark, sizeof(mark)))
			break;
	}
}

/* Sends one datagram from @from to @to's address and waits for it. */
static int queue_dgram(int from, int to, const struct sockaddr_storage *ta)
{
	socklen_t len = ta->ss_family == AF_INET ? sizeof(struct sockaddr_in)
						 : sizeof(struct sockaddr_in6);

	drain(to);
	if (!need("sendto()", sendto(from, "dgram", 5, 0, (const struct sockaddr *)ta, len)))
		return -1;
	return need("datagram arrives", wait_in(to, 2000) == 1 ? 0 : -1) ? 0 : -1;
}

/* ---- descriptors that are not sockets ----------------------------------- */

enum op { OP_BIND, OP_CONNECT, OP_LISTEN, OP_ACCEPT, OP_ACCEPT4, OP_GETSOCKNAME,
	  OP_GETPEERNAME, OP_SETSOCKOPT, OP_GETSOCKOPT, OP_SHUTDOWN, OP_SEND,
	  OP_SENDTO, OP_RECVFROM, OP_SENDMSG, OP_RECVMSG, OP_SENDMMSG,
	  OP_RECVMMSG, OP_IOCTL_FIONREAD_SOCK, NOPS };

static const char *const opname[NOPS] = {
	"bind", "connect", "listen", "accept", "accept4", "getsockname",
	"getpeername", "setsockopt", "getsockopt", "shutdown", "send", "sendto",
	"recvfrom", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg", "SIOCGIFINDEX",
};

/* Runs socket call @op on @fd with otherwise valid arguments. */
static long do_op(enum op op, int fd)
{
	struct sockaddr_storage ss;
	socklen_t sl = mkaddr(AF_INET, "127.0.0.1", 9, &ss);
	char buf[16] = "x";
	struct iovec iov = { buf, 1 };
	struct msghdr mh = { .msg_name = &ss, .msg_namelen = sl,
			     .msg_iov = &iov, .msg_iovlen = 1 };
	struct mmsghdr mm = { .msg_hdr = mh };
	struct ifreq ifr;
	int v = 1;

	switch (op) {
	case OP_BIND:		return bind(fd, (struct sockaddr *)&ss, sl);
	case OP_CONNECT:	return connect(fd, (struct sockaddr *)&ss, sl);
	case OP_LISTEN:		return listen(fd, 1);
	case OP_ACCEPT:		return accept(fd, (struct sockaddr *)&ss, &sl);
	case OP_ACCEPT4:	return accept4(fd, NULL, NULL, SOCK_NONBLOCK);
	case OP_GETSOCKNAME:	return getsockname(fd, (struct sockaddr *)&ss, &sl);
	case OP_GETPEERNAME:	return getpeername(fd, (struct sockaddr *)&ss, &sl);
	case OP_SETSOCKOPT:	return setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &v, sizeof(v));
	case OP_GETSOCKOPT:	sl = sizeof(v);
				return getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &sl);
	case OP_SHUTDOWN:	return shutdown(fd, SHUT_RDWR);
	case OP_SEND:		return send(fd, buf, 1, MSG_DONTWAIT | MSG_NOSIGNAL);
	case OP_SENDTO:		return sendto(fd, buf, 1, MSG_DONTWAIT | MSG_NOSIGNAL,
					      (struct sockaddr *)&ss, sl);
	case OP_RECVFROM:	return recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
						(struct sockaddr *)&ss, &sl);
	case OP_SENDMSG:	return sendmsg(fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
	case OP_RECVMSG:	return recvmsg(fd, &mh, MSG_DONTWAIT);
	case OP_SENDMMSG:	return sendmmsg(fd, &mm, 1, MSG_DONTWAIT | MSG_NOSIGNAL);
	case OP_RECVMMSG:	return recvmmsg(fd, &mm, 1, MSG_DONTWAIT, NULL);
	case OP_IOCTL_FIONREAD_SOCK:
		memset(&ifr, 0, sizeof(ifr));
		strcpy(ifr.ifr_name, "lo");
		return ioctl(fd, SIOCGIFINDEX, &ifr);
	case NOPS:
		break;
	}
	return -2;
}

static void t_badfds(void)
{
	int pfd[2] = { -1, -1 }, file = -1, opath = -1, devnull = -1, efd = -1,
	    ep = -1, closed, i, j;
	char path[] = "/tmp/badcalls.XXXXXX";
	struct badfd { const char *name; int fd; int want; } fds[10];
	int n = 0;

	if (!need("pipe()", pipe(pfd)))
		return;
	file = mkstemp(path);
	if (file >= 0)
		unlink(path);
	opath = open("/", O_PATH);
	devnull = open("/dev/null", O_RDWR);
	efd = eventfd(0, 0);
	ep = epoll_create1(0);
	closed = dup(pfd[0]);
	close(closed);

	fds[n++] = (struct badfd){ "-1", -1, EBADF };
	fds[n++] = (struct badfd){ "9999", 9999, EBADF };
	fds[n++] = (struct badfd){ "INT_MAX", INT_MAX, EBADF };
	fds[n++] = (struct badfd){ "a closed fd", closed, EBADF };
	fds[n++] = (struct badfd){ "an O_PATH fd", opath, EBADF };
	fds[n++] = (struct badfd){ "a pipe", pfd[1], ENOTSOCK };
	fds[n++] = (struct badfd){ "a regular file", file, ENOTSOCK };
	fds[n++] = (struct badfd){ "/dev/null", devnull, ENOTSOCK };
	fds[n++] = (struct badfd){ "an eventfd", efd, ENOTSOCK };
	fds[n++] = (struct badfd){ "an epoll fd", ep, ENOTSOCK };

	for (i = 0; i < n; i++) {
		if (fds[i].fd < 0 && strcmp(fds[i].name, "-1")) {
			need(fds[i].name, -1);
			continue;
		}
		for (j = 0; j < NOPS; j++) {
			/* SIOCGIFINDEX is a socket ioctl: off sockets it is ENOTTY,
			 * but an epoll fd answers unknown ioctls with EINVAL. */
			int want = fds[i].want;

			if (j == OP_IOCTL_FIONREAD_SOCK && want == ENOTSOCK)
				want = fds[i].fd == ep ? EINVAL : ENOTTY;

			EXPECT(want, do_op(j, fds[i].fd), "%s on %s", opname[j], fds[i].name);
		}
	}
	close(pfd[0]);
	close(pfd[1]);
	if (file >= 0)
		close(file);
	if (opath >= 0)
		close(opath);
	if (devnull >= 0)
		close(devnull);
	if (efd >= 0)
		close(efd);
	if (ep >= 0)
		close(ep);
}

/* ---- socket() and socketpair() ------------------------------------------ */

static void t_socket(void)
{
	int sv[2], i;
	int fam[2] = { AF_INET, AF_INET6 };

	EXPECT(EAFNOSUPPORT, socket(9999, SOCK_STREAM, 0), "socket(9999, STREAM, 0)");
	EXPECT(EAFNOSUPPORT, socket(-1, SOCK_STREAM, 0), "socket(-1, STREAM, 0)");
	EXPECT(EAFNOSUPPORT, socket(AF_MAX, SOCK_STREAM, 0), "socket(AF_MAX, STREAM, 0)");
	for (i = 0; i < 2; i++) {
		int af = fam[i];

		EXPECT(EINVAL, socket(af, 9999, 0), "socket(v%s, 9999, 0)", F(af));
		EXPECT(EINVAL, socket(af, -1, 0), "socket(v%s, -1, 0)", F(af));
		EXPECT(EINVAL, socket(af, SOCK_STREAM | 0x40000000, 0),
		       "socket(v%s, STREAM|0x40000000, 0)", F(af));
		EXPECT(EINVAL, socket(af, SOCK_DGRAM | O_APPEND, 0),
		       "socket(v%s, DGRAM|O_APPEND, 0)", F(af));
		EXPECT(EINVAL, socket(af, SOCK_STREAM, -1), "socket(v%s, STREAM, -1)", F(af));
		EXPECT(EINVAL, socket(af, SOCK_STREAM, 9999), "socket(v%s, STREAM, 9999)", F(af));
		EXPECT(EPROTONOSUPPORT, socket(af, SOCK_STREAM, IPPROTO_UDP),
		       "socket(v%s, STREAM, IPPROTO_UDP)", F(af));
		EXPECT(EPROTONOSUPPORT, socket(af, SOCK_DGRAM, IPPROTO_TCP),
		       "socket(v%s, DGRAM, IPPROTO_TCP)", F(af));
		EXPECT(EPROTONOSUPPORT, socket(af, SOCK_STREAM, 200),
		       "socket(v%s, STREAM, 200)", F(af));
		EXPECT(EPROTONOSUPPORT, socket(af, SOCK_DGRAM, IPPROTO_ICMPV6 + 100),
		       "socket(v%s, DGRAM, 158)", F(af));
		/* Protocols run to IPPROTO_MAX, 263 since Linux 5.6 (MPTCP's
		 * 262): past 255 a protocol is unknown, not out of range. */
		EXPECT(EPROTONOSUPPORT, socket(af, SOCK_STREAM, 256),
		       "socket(v%s, STREAM, 256)", F(af));
		EXPECT(EPROTONOSUPPORT, socket(af, SOCK_DGRAM, 261),
		       "socket(v%s, DGRAM, 261)", F(af));
		EXPECT(ESOCKTNOSUPPORT, socket(af, SOCK_RDM, 262),
		       "socket(v%s, RDM, 262)", F(af));
		EXPECT(EINVAL, socket(af, SOCK_STREAM, 263), "socket(v%s, STREAM, 263)", F(af));
		/* inet_create(): no protocol registered for the type at all. */
		EXPECT(ESOCKTNOSUPPORT, socket(af, SOCK_SEQPACKET, 0),
		       "socket(v%s, SEQPACKET, 0)", F(af));
		EXPECT(ESOCKTNOSUPPORT, socket(af, SOCK_RDM, 0), "socket(v%s, RDM, 0)", F(af));
		EXPECT(ESOCKTNOSUPPORT, socket(af, 0, 0), "socket(v%s, type 0, 0)", F(af));
		EXPECT(ESOCKTNOSUPPORT, socket(af, 0, IPPROTO_TCP),
		       "socket(v%s, type 0, IPPROTO_TCP)", F(af));
		EXPECT(ESOCKTNOSUPPORT, socketpair(af, 0, 0, sv),
		       "socketpair(v%s, type 0)", F(af));
		EXPECT(EOPNOTSUPP, socketpair(af, SOCK_STREAM, 0, sv),
		       "socketpair(v%s, STREAM)", F(af));
		EXPECT(EOPNOTSUPP, socketpair(af, SOCK_DGRAM, 0, sv),
		       "socketpair(v%s, DGRAM)", F(af));
		/* __sys_socketpair() stores the fds before creating sockets. */
		EXPECT(EFAULT, socketpair(af, SOCK_STREAM, 0, NULL),
		       "socketpair(v%s, STREAM, NULL)", F(af));
		EXPECT(EINVAL, socketpair(af, 9999, 0, sv), "socketpair(v%s, 9999)", F(af));
		EXPECT(EPROTONOSUPPORT, socketpair(af, SOCK_STREAM, IPPROTO_UDP, sv),
		       "socketpair(v%s, STREAM, IPPROTO_UDP)", F(af));
	}
	EXPECT(EAFNOSUPPORT, socketpair(9999, SOCK_STREAM, 0, sv), "socketpair(9999)");
	EXPECT(EINVAL, socketpair(9999, SOCK_STREAM | 0x100000, 0, sv),
	       "socketpair(9999, bad flags)");
	/* netlink_create() judges type and protocol; no pairs */
	EXPECT(EOPNOTSUPP, socketpair(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE, sv),
	       "socketpair(netlink, RAW, ROUTE)");
	EXPECT(ESOCKTNOSUPPORT, socketpair(AF_NETLINK, SOCK_STREAM, NETLINK_ROUTE, sv),
	       "socketpair(netlink, STREAM)");
	EXPECT(EPROTONOSUPPORT, socketpair(AF_NETLINK, SOCK_DGRAM, 32, sv),
	       "socketpair(netlink, DGRAM, 32)");
}

/* ---- bind() -------------------------------------------------------------- */

static void t_bind(int af)
{
	struct sockaddr_storage ss;
	socklen_t len = mkaddr(af, lo(af), 0, &ss);
	int t, u, t2, i;

	t = socket(af, SOCK_STREAM, 0);
	u = socket(af, SOCK_DGRAM, 0);
	if (!need("socket()", t) || !need("socket()", u))
		goto out;
	for (i = 0; i < NBAD; i++) {
		EXPECT(EFAULT, bind(t, bad[i], len), "bind(tcp%s, %s, %u)", F(af), badname[i], len);
		EXPECT(EFAULT, bind(u, bad[i], len), "bind(udp%s, %s, %u)", F(af), badname[i], len);
	}
	EXPECT(EINVAL, bind(t, NULL, 0), "bind(tcp%s, NULL, 0)", F(af));
	EXPECT(EINVAL, bind(u, NULL, 0), "bind(udp%s, NULL, 0)", F(af));
	EXPECT(EINVAL, bind(t, (struct sockaddr *)&ss, (socklen_t)-1),
	       "bind(tcp%s, addr, -1)", F(af));
	EXPECT(EINVAL, bind(t, (struct sockaddr *)&ss, sizeof(ss) + 1),
	       "bind(tcp%s, addr, 129)", F(af));
	EXPECT(EINVAL, bind(t, (struct sockaddr *)&ss, 1), "bind(tcp%s, addr, 1)", F(af));
	if (af == AF_INET) {
		EXPECT(EINVAL, bind(t, (struct sockaddr *)&ss, len - 1), "bind(tcp4, addr, 15)");
		EXPECT(EINVAL, bind(u, (struct sockaddr *)&ss, len - 1), "bind(udp4, addr, 15)");
		ss.ss_family = AF_INET6;
		EXPECT(EAFNOSUPPORT, bind(t, (struct sockaddr *)&ss, sizeof(struct sockaddr_in6)),
		       "bind(tcp4, AF_INET6 address)");
		EXPECT(EAFNOSUPPORT, bind(u, (struct sockaddr *)&ss, sizeof(struct sockaddr_in6)),
		       "bind(udp4, AF_INET6 address)");
		/* inet_bind(): AF_UNSPEC passes only with INADDR_ANY. */
		ss.ss_family = AF_UNSPEC;
		EXPECT(EAFNOSUPPORT, bind(t, (struct sockaddr *)&ss, len),
		       "bind(tcp4, AF_UNSPEC 127.0.0.1)");
		len = mkaddr(af, "203.0.113.1", 0, &ss);
		EXPECT(EADDRNOTAVAIL, bind(t, (struct sockaddr *)&ss, len),
		       "bind(tcp4, non-local 203.0.113.1)");
		EXPECT(EADDRNOTAVAIL, bind(u, (struct sockaddr *)&ss, len),
		       "bind(udp4, non-local 203.0.113.1)");
		t2 = socket(af, SOCK_STREAM, 0);
		if (need("socket()", t2)) {
			len = mkaddr(af, "0.0.0.0", 0, &ss);
			ss.ss_family = AF_UNSPEC;
			RETURNS(0, bind(t2, (struct sockaddr *)&ss, len),
				"bind(tcp4, AF_UNSPEC 0.0.0.0) is taken as AF_INET");
			close(t2);
		}
	} else {
		/* inet6_bind(): shorter than SIN6_LEN_RFC2133 (24) first. */
		EXPECT(EINVAL, bind(t, (struct sockaddr *)&ss, 23), "bind(tcp6, addr, 23)");
		EXPECT(EINVAL, bind(u, (struct sockaddr *)&ss, 23), "bind(udp6, addr, 23)");
		ss.ss_family = AF_INET;
		EXPECT(EINVAL, bind(t, (struct sockaddr *)&ss, sizeof(struct sockaddr_in)),
		       "bind(tcp6, AF_INET address, 16)");
		EXPECT(EAFNOSUPPORT, bind(t, (struct sockaddr *)&ss, len),
		       "bind(tcp6, AF_INET family, 28)");
		EXPECT(EAFNOSUPPORT, bind(u, (struct sockaddr *)&ss, len),
		       "bind(udp6, AF_INET family, 28)");
		len = mkaddr(af, "2001:db8::1", 0, &ss);
		EXPECT(EADDRNOTAVAIL, bind(t, (struct sockaddr *)&ss, len),
		       "bind(tcp6, non-local 2001:db8::1)");
		EXPECT(EADDRNOTAVAIL, bind(u, (struct sockaddr *)&ss, len),
		       "bind(udp6, non-local 2001:db8::1)");
		len = mkaddr(af, "fe80::1", 0, &ss);
		EXPECT(EINVAL, bind(t, (struct sockaddr *)&ss, len),
		       "bind(tcp6, fe80::1 without scope or device)");
		t2 = socket(af, SOCK_STREAM, 0);
		if (need("socket()", t2)) {
			setint(t2, IPPROTO_IPV6, IPV6_V6ONLY, 1);
			len = mkaddr(af, "::ffff:127.0.0.1", 0, &ss);
			EXPECT(EINVAL, bind(t2, (struct sockaddr *)&ss, len),
			       "bind(tcp6 V6ONLY, ::ffff:127.0.0.1)");
			len = mkaddr(af, "::1", 0, &ss);
			RETURNS(0, bind(t2, (struct sockaddr *)&ss, 24),
				"bind(tcp6, ::1, 24 = RFC 2133 length) works");
			close(t2);
		}
	}
	len = mkaddr(af, lo(af), 0, &ss);
	RETURNS(0, bind(t, (struct sockaddr *)&ss, len), "bind(tcp%s) once", F(af));
	EXPECT(EINVAL, bind(t, (struct sockaddr *)&ss, len), "bind(tcp%s) twice", F(af));
	RETURNS(0, bind(u, (struct sockaddr *)&ss, len), "bind(udp%s) once", F(af));
	EXPECT(EINVAL, bind(u, (struct sockaddr *)&ss, len), "bind(udp%s) twice", F(af));
out:
	if (t >= 0)
		close(t);
	if (u >= 0)
		close(u);
}

/* ---- connect() ------------------------------------------------------------ */

static void t_connect(int af)
{
	struct sockaddr_storage la, ss;
	socklen_t len = mkaddr(af, lo(af), 9, &ss);
	int t = -1, u = -1, l, c = -1, i;
	sa_family_t fam;

	l = tcp_listener(af, &la);
	t = socket(af, SOCK_STREAM, 0);
	u = socket(af, SOCK_DGRAM, 0);
	if (l < 0 || !need("socket()", t) || !need("socket()", u))
		goto out;
	for (i = 0; i < NBAD; i++) {
		EXPECT(EFAULT, connect(t, bad[i], len), "connect(tcp%s, %s)", F(af), badname[i]);
		EXPECT(EFAULT, connect(u, bad[i], len), "connect(udp%s, %s)", F(af), badname[i]);
	}
	EXPECT(EINVAL, connect(t, (struct sockaddr *)&ss, 0), "connect(tcp%s, addr, 0)", F(af));
	EXPECT(EINVAL, connect(u, (struct sockaddr *)&ss, 0), "connect(udp%s, addr, 0)", F(af));
	EXPECT(EINVAL, connect(t, (struct sockaddr *)&ss, (socklen_t)-1),
	       "connect(tcp%s, addr, -1)", F(af));
	EXPECT(EINVAL, connect(t, (struct sockaddr *)&ss, sizeof(ss) + 1),
	       "connect(tcp%s, addr, 129)", F(af));
	EXPECT(EINVAL, connect(u, (struct sockaddr *)&ss, sizeof(ss) + 1),
	       "connect(udp%s, addr, 129)", F(af));
	/* move_addr_to_kernel() refuses the length before any family looks:
	 * AF_UNSPEC (disconnect) too */
	fam = ss.ss_family;
	ss.ss_family = AF_UNSPEC;
	EXPECT(EINVAL, connect(u, (struct sockaddr *)&ss, sizeof(ss) + 1),
	       "connect(udp%s, AF_UNSPEC, 129)", F(af));
	EXPECT(EINVAL, connect(t, (struct sockaddr *)&ss, sizeof(ss) + 1),
	       "connect(tcp%s, AF_UNSPEC, 129)", F(af));
	ss.ss_family = fam;
	if (af == AF_INET) {
		EXPECT(EINVAL, connect(t, (struct sockaddr *)&ss, 15), "connect(tcp4, addr, 15)");
		EXPECT(EINVAL, connect(u, (struct sockaddr *)&ss, 15), "connect(udp4, addr, 15)");
		ss.ss_family = AF_INET6;
		EXPECT(EAFNOSUPPORT, connect(t, (struct sockaddr *)&ss, 28),
		       "connect(tcp4, AF_INET6 family)");
		EXPECT(EAFNOSUPPORT, connect(u, (struct sockaddr *)&ss, 28),
		       "connect(udp4, AF_INET6 family)");
		/* ip_route_connect() finds a multicast route: no TCP there. */
		len = mkaddr(af, "224.0.0.1", 9, &ss);
		EXPECT(ENETUNREACH, connect(t, (struct sockaddr *)&ss, len),
		       "connect(tcp4, 224.0.0.1)");
	} else {
		EXPECT(EINVAL, connect(t, (struct sockaddr *)&ss, 23), "connect(tcp6, addr, 23)");
		EXPECT(EINVAL, connect(u, (struct sockaddr *)&ss, 23), "connect(udp6, addr, 23)");
		ss.ss_family = 1;	/* AF_UNIX */
		EXPECT(EAFNOSUPPORT, connect(t, (struct sockaddr *)&ss, 28),
		       "connect(tcp6, AF_UNIX family)");
		EXPECT(EAFNOSUPPORT, connect(u, (struct sockaddr *)&ss, 28),
		       "connect(udp6, AF_UNIX family)");
		len = mkaddr(af, "fe80::1", 9, &ss);
		EXPECT(EINVAL, connect(t, (struct sockaddr *)&ss, len),
		       "connect(tcp6, fe80::1 without scope)");
		c = socket(af, SOCK_STREAM, 0);
		if (need("socket()", c)) {
			setint(c, IPPROTO_IPV6, IPV6_V6ONLY, 1);
			len = mkaddr(af, "::ffff:127.0.0.1", 9, &ss);
			/* tcp_v6_connect(): v4-mapped on a v6-only socket. */
			EXPECT(ENETUNREACH, connect(c, (struct sockaddr *)&ss, len),
			       "connect(tcp6 V6ONLY, ::ffff:127.0.0.1)");
			xclose_int(&c);
		}
	}
	/* __inet_stream_connect(): a listener is not in TCP_CLOSE. */
	len = af == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
	EXPECT(EISCONN, connect(l, (struct sockaddr *)&la, len), "connect(listener%s)", F(af));
	c = socket(af, SOCK_STREAM, 0);
	if (need("socket()", c) &&
	    RETURNS(0, connect(c, (struct sockaddr *)&la, len), "connect(tcp%s) to listener", F(af))) {
		EXPECT(EISCONN, connect(c, (struct sockaddr *)&la, len), "connect(tcp%s) twice", F(af));
		EXPECT(EINVAL, listen(c, 1), "listen(connected tcp%s)", F(af));
		EXPECT(EINVAL, bind(c, (struct sockaddr *)&la, len), "bind(connected tcp%s)", F(af));
	}
	RETURNS(0, listen(l, 32), "listen(listener%s) again", F(af));
	RETURNS(0, listen(t, -5), "listen(tcp%s, -5)", F(af));
	EXPECT(EOPNOTSUPP, listen(u, 1), "listen(udp%s)", F(af));
out:
	xclose_int(&c);
	xclose_int(&t);
	xclose_int(&u);
	if (l >= 0) {
		flush_listener(l);
		close(l);
	}
}

/* ---- accept() -------------------------------------------------------------- */

static void t_accept(int af)
{
	struct sockaddr_storage la, ss;
	socklen_t sl, full = af == AF_INET ? sizeof(struct sockaddr_in)
					   : sizeof(struct sockaddr_in6);
	unsigned char canary[sizeof(ss)];
	int l, t = -1, u = -1, c, fd, i;

	l = tcp_listener(af, &la);
	t = socket(af, SOCK_STREAM, 0);
	u = socket(af, SOCK_DGRAM, 0);
	if (l < 0 || !need("socket()", t) || !need("socket()", u))
		goto out;
	EXPECT(EINVAL, accept(t, NULL, NULL), "accept(unbound tcp%s)", F(af));
	mkaddr(af, lo(af), 0, &ss);
	bind(t, (struct sockaddr *)&ss, full);
	EXPECT(EINVAL, accept(t, NULL, NULL), "accept(bound, not listening tcp%s)", F(af));
	EXPECT(EOPNOTSUPP, accept(u, NULL, NULL), "accept(udp%s)", F(af));
	EXPECT(EINVAL, accept4(l, NULL, NULL, 1), "accept4(listener%s, flags 1)", F(af));
	EXPECT(EINVAL, accept4(l, NULL, NULL, O_APPEND), "accept4(listener%s, O_APPEND)", F(af));
	EXPECT(EAGAIN, accept(l, NULL, NULL), "accept(listener%s) with none pending", F(af));
	/* do_accept(): the address is written only after a connection is
	 * taken, so with none pending bad pointers are not looked at. */
	for (i = 1; i < NBAD; i++) {
		sl = sizeof(ss);
		EXPECT(EAGAIN, accept(l, bad[i], &sl),
		       "accept(listener%s, %s, &len), none pending", F(af), badname[i]);
		EXPECT(EAGAIN, accept(l, (struct sockaddr *)&ss, bad[i]),
		       "accept(listener%s, &addr, %s), none pending", F(af), badname[i]);
	}

	/* With one pending, the connection is taken, then the copy fails. */
	for (i = 1; i < NBAD + 1; i++) {
		void *p = i < NBAD ? bad[i] : rdonly;

		c = pending_client(l, &la);
		if (c < 0)
			break;
		sl = sizeof(ss);
		EXPECT(EFAULT, fd = accept(l, p, &sl), "accept(listener%s, %s, &len), one pending",
		       F(af), i < NBAD ? badname[i] : "read-only page");
		if (fd >= 0)
			close(fd);
		close(c);
	}
	for (i = 0; i < NBAD + 1; i++) {
		void *p = i < NBAD ? bad[i] : rdonly;

		c = pending_client(l, &la);
		if (c < 0)
			break;
		EXPECT(EFAULT, fd = accept(l, (struct sockaddr *)&ss, p),
		       "accept(listener%s, &addr, %s), one pending", F(af),
		       i < NBAD ? badname[i] : "read-only page");
		if (fd >= 0)
			close(fd);
		close(c);
	}
	c = pending_client(l, &la);
	if (c >= 0) {
		sl = (socklen_t)-1;
		EXPECT(EINVAL, fd = accept(l, (struct sockaddr *)&ss, &sl),
		       "accept(listener%s, &addr, &-1), one pending", F(af));
		if (fd >= 0)
			close(fd);
		close(c);
	}
	c = pending_client(l, &la);
	if (c >= 0) {
		sl = 4;
		memset(&ss, 0xaa, sizeof(ss));
		memset(canary, 0xaa, sizeof(canary));
		fd = accept(l, (struct sockaddr *)&ss, &sl);
		if (tap_ok(dsc("accept(listener%s, &addr, &4) truncates", F(af)), fd)) {
			tap_int(dsc("accept(&4) reports the full length"), sl, full);
			tap_int(dsc("accept(&4) writes only 4 bytes"),
				memcmp((char *)&ss + 4, canary, sizeof(ss) - 4), 0);
			close(fd);
		}
		close(c);
	}
	c = pending_client(l, &la);
	if (c >= 0) {
		sl = sizeof(ss);
		fd = accept(l, NULL, &sl);
		if (tap_ok(dsc("accept(listener%s, NULL, &len) ignores len", F(af)), fd))
			close(fd);
		close(c);
	}
	/* shutdown(SHUT_RD) on a listener disconnects it (inet_shutdown()). */
	flush_listener(l);
	RETURNS(0, shutdown(l, SHUT_WR), "shutdown(listener%s, SHUT_WR) is a no-op", F(af));
	EXPECT(EAGAIN, accept(l, NULL, NULL), "listener%s still listens after SHUT_WR", F(af));
	RETURNS(0, shutdown(l, SHUT_RD), "shutdown(listener%s, SHUT_RD)", F(af));
	EXPECT(EINVAL, accept(l, NULL, NULL), "accept after shutdown(listener%s, SHUT_RD)", F(af));
out:
	if (l >= 0) {
		flush_listener(l);
		close(l);
	}
	xclose_int(&t);
	xclose_int(&u);
}

/* ---- getsockname() and getpeername() -------------------------------------- */

static int tcp_pair(int af, int *c, int *s)
{
	struct sockaddr_storage la;
	int l = tcp_listener(af, &la);

	*c = *s = -1;
	if (l < 0)
		return -1;
	*c = pending_client(l, &la);
	if (*c >= 0) {
		*s = accept(l, NULL, NULL);
		if (!need("accept()", *s))
			xclose_int(c);
	}
	close(l);
	return *s < 0 ? -1 : 0;
}

static void t_names(int af)
{
	struct sockaddr_storage ss;
	unsigned char canary[sizeof(ss)];
	socklen_t sl, full = af == AF_INET ? sizeof(struct sockaddr_in)
					   : sizeof(struct sockaddr_in6);
	int c, s, t, i;

	if (tcp_pair(af, &c, &s) < 0)
		return;
	t = socket(af, SOCK_STREAM, 0);
	if (!need("socket()", t))
		goto out;
	for (i = 0; i < NBAD; i++) {
		sl = sizeof(ss);
		EXPECT(EFAULT, getsockname(c, bad[i], &sl), "getsockname(tcp%s, %s, &len)",
		       F(af), badname[i]);
		EXPECT(EFAULT, getpeername(c, bad[i], &sl), "getpeername(tcp%s, %s, &len)",
		       F(af), badname[i]);
		EXPECT(EFAULT, getsockname(c, (struct sockaddr *)&ss, bad[i]),
		       "getsockname(tcp%s, &addr, %s)", F(af), badname[i]);
		EXPECT(EFAULT, getpeername(c, (struct sockaddr *)&ss, bad[i]),
		       "getpeername(tcp%s, &addr, %s)", F(af), badname[i]);
		/* __sys_getpeername(): getname() fails before any copy. */
		EXPECT(ENOTCONN, getpeername(t, bad[i], &sl),
		       "getpeername(unconnected tcp%s, %s, &len)", F(af), badname[i]);
		EXPECT(ENOTCONN, getpeername(t, (struct sockaddr *)&ss, bad[i]),
		       "getpeername(unconnected tcp%s, &addr, %s)", F(af), badname[i]);
	}
	sl = sizeof(ss);
	EXPECT(EFAULT, getsockname(c, rdonly, &sl), "getsockname(tcp%s, read-only page, &len)", F(af));
	EXPECT(EFAULT, getsockname(c, (struct sockaddr *)&ss, rdonly),
	       "getsockname(tcp%s, &addr, read-only len)", F(af));
	sl = (socklen_t)-1;
	EXPECT(EINVAL, getsockname(c, (struct sockaddr *)&ss, &sl), "getsockname(tcp%s, &-1)", F(af));
	sl = (socklen_t)-1;
	EXPECT(EINVAL, getpeername(c, (struct sockaddr *)&ss, &sl), "getpeername(tcp%s, &-1)", F(af));
	sl = 0;
	RETURNS(0, getsockname(c, (struct sockaddr *)&ss, &sl), "getsockname(tcp%s, &0)", F(af));
	tap_int(dsc("getsockname(&0) reports the full length"), sl, full);
	sl = 4;
	memset(&ss, 0xaa, sizeof(ss));
	memset(canary, 0xaa, sizeof(canary));
	RETURNS(0, getpeername(c, (struct sockaddr *)&ss, &sl), "getpeername(tcp%s, &4)", F(af));
	tap_int(dsc("getpeername(&4) reports the full length"), sl, full);
	tap_int(dsc("getpeername(&4) writes only 4 bytes"),
		memcmp((char *)&ss + 4, canary, sizeof(ss) - 4), 0);
out:
	xclose_int(&t);
	close(c);
	close(s);
}

/* ---- setsockopt() and getsockopt() ----------------------------------------- */

static void t_sockopt(int af)
{
	int ip = af == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
	int ttl = af == AF_INET ? IP_TTL : IPV6_UNICAST_HOPS;
	struct timeval tv;
	struct linger lg = { 1, 1 };
	struct sockaddr_storage ss;
	int t, u, i, v = 1;
	socklen_t ol;

	t = socket(af, SOCK_STREAM, 0);
	u = socket(af, SOCK_DGRAM, 0);
	if (!need("socket()", t) || !need("socket()", u))
		goto out;
	for (i = 0; i < NBAD; i++) {
		EXPECT(EFAULT, setsockopt(t, SOL_SOCKET, SO_REUSEADDR, bad[i], 4),
		       "setsockopt(tcp%s, SO_REUSEADDR, %s)", F(af), badname[i]);
		EXPECT(EFAULT, setsockopt(t, IPPROTO_TCP, TCP_NODELAY, bad[i], 4),
		       "setsockopt(tcp%s, TCP_NODELAY, %s)", F(af), badname[i]);
		EXPECT(EFAULT, setsockopt(u, SOL_SOCKET, SO_BROADCAST, bad[i], 4),
		       "setsockopt(udp%s, SO_BROADCAST, %s)", F(af), badname[i]);
		/* do_ipv6_setsockopt() takes a NULL optval as the value 0. */
		if (af == AF_INET6 && !bad[i]) {
			int hops = -2;
			socklen_t hl = sizeof(hops);

			RETURNS(0, setsockopt(t, ip, ttl, bad[i], 4),
				"setsockopt(tcp6, IPV6_UNICAST_HOPS, NULL) sets 0");
			RETURNS(0, getsockopt(t, ip, ttl, &hops, &hl),
				"getsockopt(tcp6, IPV6_UNICAST_HOPS)");
			RETURNS(0, hops, "IPV6_UNICAST_HOPS is 0 after a NULL value");
		} else
			EXPECT(EFAULT, setsockopt(t, ip, ttl, bad[i], 4),
			       "setsockopt(tcp%s, TTL, %s)", F(af), badname[i]);
		EXPECT(EFAULT, setsockopt(t, SOL_SOCKET, SO_LINGER, bad[i], sizeof(lg)),
		       "setsockopt(tcp%s, SO_LINGER, %s)", F(af), badname[i]);
		ol = 4;
		EXPECT(EFAULT, getsockopt(t, SOL_SOCKET, SO_TYPE, bad[i], &ol),
		       "getsockopt(tcp%s, SO_TYPE, %s, &4)", F(af), badname[i]);
		EXPECT(EFAULT, getsockopt(t, SOL_SOCKET, SO_TYPE, &v, bad[i]),
		       "getsockopt(tcp%s, SO_TYPE, &v, %s)", F(af), badname[i]);
		ol = 4;
		EXPECT(EFAULT, getsockopt(t, IPPROTO_TCP, TCP_NODELAY, bad[i], &ol),
		       "getsockopt(tcp%s, TCP_NODELAY, %s, &4)", F(af), badname[i]);
		EXPECT(EFAULT, getsockopt(t, IPPROTO_TCP, TCP_NODELAY, &v, bad[i]),
		       "getsockopt(tcp%s, TCP_NODELAY, &v, %s)", F(af), badname[i]);
		ol = 4;
		EXPECT(EFAULT, getsockopt(u, ip, ttl, bad[i], &ol),
		       "getsockopt(udp%s, TTL, %s, &4)", F(af), badname[i]);
		EXPECT(EFAULT, getsockopt(u, SOL_SOCKET, SO_ERROR, &v, bad[i]),
		       "getsockopt(udp%s, SO_ERROR, &v, %s)", F(af), badname[i]);
	}
	ol = 4;
	EXPECT(EFAULT, getsockopt(t, SOL_SOCKET, SO_TYPE, rdonly, &ol),
	       "getsockopt(tcp%s, SO_TYPE, read-only page)", F(af));
	EXPECT(EINVAL, setsockopt(t, SOL_SOCKET, SO_REUSEADDR, &v, 0),
	       "setsockopt(tcp%s, SO_REUSEADDR, len 0)", F(af));
	EXPECT(EINVAL, setsockopt(t, SOL_SOCKET, SO_REUSEADDR, &v, (socklen_t)-1),
	       "setsockopt(tcp%s, SO_REUSEADDR, len -1)", F(af));
	EXPECT(EINVAL, setsockopt(t, IPPROTO_TCP, TCP_NODELAY, &v, 2),
	       "setsockopt(tcp%s, TCP_NODELAY, len 2)", F(af));
	EXPECT(EINVAL, setsockopt(t, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg) - 1),
	       "setsockopt(tcp%s, SO_LINGER, short)", F(af));
	EXPECT(EINVAL, setsockopt(t, SOL_SOCKET, SO_RCVTIMEO, &tv, 4),
	       "setsockopt(tcp%s, SO_RCVTIMEO, len 4)", F(af));
	/* sock_set_timeout(): a bad tv_usec is EDOM, not EINVAL. */
	tv = (struct timeval){ 1, 1000000 };
	EXPECT(EDOM, setsockopt(t, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)),
	       "setsockopt(tcp%s, SO_RCVTIMEO, usec 1000000)", F(af));
	tv = (struct timeval){ 1, -1 };
	EXPECT(EDOM, setsockopt(t, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)),
	       "setsockopt(tcp%s, SO_SNDTIMEO, usec -1)", F(af));
	EXPECT(ENODEV, setsockopt(t, SOL_SOCKET, SO_BINDTODEVICE, "nosuchdev0", 11),
	       "setsockopt(tcp%s, SO_BINDTODEVICE, nosuchdev0)", F(af));
	EXPECT(ENOPROTOOPT, setsockopt(t, SOL_SOCKET, 9999, &v, 4),
	       "setsockopt(tcp%s, SOL_SOCKET, 9999)", F(af));
	EXPECT(ENOPROTOOPT, setsockopt(t, IPPROTO_TCP, 9999, &v, 4),
	       "setsockopt(tcp%s, IPPROTO_TCP, 9999)", F(af));
	EXPECT(ENOPROTOOPT, setsockopt(t, ip, 9999, &v, 4), "setsockopt(tcp%s, IP level, 9999)", F(af));
	EXPECT(ENOPROTOOPT, setsockopt(t, 9999, 1, &v, 4), "setsockopt(tcp%s, level 9999)", F(af));
	EXPECT(ENOPROTOOPT, setsockopt(u, 9999, 1, &v, 4), "setsockopt(udp%s, level 9999)", F(af));
	EXPECT(ENOPROTOOPT, setsockopt(u, IPPROTO_TCP, TCP_NODELAY, &v, 4),
	       "setsockopt(udp%s, TCP_NODELAY)", F(af));
	EXPECT(EINVAL, setsockopt(t, IPPROTO_TCP, TCP_MAXSEG, &v, 4),
	       "setsockopt(tcp%s, TCP_MAXSEG 1)", F(af));
	EXPECT(EINVAL, setint(t, ip, ttl, 256), "setsockopt(tcp%s, TTL 256)", F(af));
	EXPECT(EINVAL, setint(t, ip, ttl, -2), "setsockopt(tcp%s, TTL -2)", F(af));
	if (af == AF_INET) {
		EXPECT(EINVAL, setint(t, ip, ttl, 0), "setsockopt(tcp4, IP_TTL 0)");
		EXPECT(ENOPROTOOPT, setint(t, IPPROTO_IPV6, IPV6_V6ONLY, 1),
		       "setsockopt(tcp4, IPV6_V6ONLY)");
		/* do_ip_getsockopt() answers a foreign level with EOPNOTSUPP,
		 * unlike do_ip_setsockopt()'s ENOPROTOOPT. */
		ol = 4;
		EXPECT(EOPNOTSUPP, getsockopt(t, IPPROTO_IPV6, IPV6_V6ONLY, &v, &ol),
		       "getsockopt(tcp4, IPV6_V6ONLY)");
		ol = 4;
		EXPECT(ENOPROTOOPT, getsockopt(t, IPPROTO_IP, 9999, &v, &ol),
		       "getsockopt(tcp4, IPPROTO_IP, 9999)");
	} else {
		RETURNS(0, bind(u, (struct sockaddr *)&ss, mkaddr(af, "::1", 0, &ss)),
			"bind(udp6)");
		EXPECT(EINVAL, setint(u, IPPROTO_IPV6, IPV6_V6ONLY, 1),
		       "setsockopt(udp6 bound, IPV6_V6ONLY)");
		ol = 4;
		EXPECT(ENOPROTOOPT, getsockopt(t, IPPROTO_IPV6, 9999, &v, &ol),
		       "getsockopt(tcp6, IPPROTO_IPV6, 9999)");
	}
	ol = (socklen_t)-1;
	EXPECT(EINVAL, getsockopt(t, SOL_SOCKET, SO_TYPE, &v, &ol),
	       "getsockopt(tcp%s, SO_TYPE, len -1)", F(af));
	ol = 4;
	EXPECT(ENOPROTOOPT, getsockopt(t, SOL_SOCKET, 9999, &v, &ol),
	       "getsockopt(tcp%s, SOL_SOCKET, 9999)", F(af));
	ol = 4;
	EXPECT(ENOPROTOOPT, getsockopt(t, IPPROTO_TCP, 9999, &v, &ol),
	       "getsockopt(tcp%s, IPPROTO_TCP, 9999)", F(af));
	/* A foreign level: do_ip_getsockopt() says EOPNOTSUPP,
	 * ipv6_getsockopt() ENOPROTOOPT. */
	ol = 4;
	EXPECT(af == AF_INET ? EOPNOTSUPP : ENOPROTOOPT,
	       getsockopt(u, IPPROTO_TCP, TCP_NODELAY, &v, &ol),
	       "getsockopt(udp%s, TCP_NODELAY)", F(af));
	ol = 1;
	v = 0;
	RETURNS(0, getsockopt(t, SOL_SOCKET, SO_TYPE, &v, &ol), "getsockopt(tcp%s, SO_TYPE, len 1)", F(af));
	tap_int(dsc("getsockopt(SO_TYPE, len 1) keeps len 1"), ol, 1);
	tap_int(dsc("getsockopt(SO_TYPE, len 1) writes one byte"), v, SOCK_STREAM);
	ol = 0;
	RETURNS(0, getsockopt(t, SOL_SOCKET, SO_TYPE, &v, &ol), "getsockopt(tcp%s, SO_TYPE, len 0)", F(af));
	tap_int(dsc("getsockopt(SO_TYPE, len 0) keeps len 0"), ol, 0);
	ol = (socklen_t)-1;
	EXPECT(EINVAL, getsockopt(t, IPPROTO_TCP, TCP_NODELAY, &v, &ol),
	       "getsockopt(tcp%s, TCP_NODELAY, len -1)", F(af));
out:
	xclose_int(&t);
	xclose_int(&u);
}

/* ---- TCP_MD5SIG (tcp_v4_parse_md5_keys(), tcp_v6_parse_md5_keys()) ---- */

#ifndef TCP_MD5SIG_FLAG_IFINDEX
#define TCP_MD5SIG_FLAG_IFINDEX 2
#endif

/* struct tcp_md5sig of linux/tcp.h (glibc's lacks tcpm_ifindex). */
struct md5sig {
	struct sockaddr_storage addr;
	uint8_t flags, prefixlen;
	uint16_t keylen;
	int32_t ifindex;
	uint8_t key[80];
};

static struct md5sig md5sig(int af, const char *ip, uint8_t flags,
			    uint8_t prefixlen, uint16_t keylen, int32_t ifindex)
{
	struct md5sig m;

	memset(&m, 0, sizeof(m));
	mkaddr(af, ip, 0, &m.addr);
	m.flags = flags;
	m.prefixlen = prefixlen;
	m.keylen = keylen;
	m.ifindex = ifindex;
	memset(m.key, 'k', sizeof(m.key));
	return m;
}

static void t_md5(int af)
{
	const char *peer = af == AF_INET ? "127.0.0.2" : "::2";
	int other = af == AF_INET ? AF_INET6 : AF_INET;
	struct md5sig m = md5sig(af, peer, 0, 0, 6, 0);
	socklen_t ol = sizeof(m);
	int t, u, i;

	t = socket(af, SOCK_STREAM, 0);
	u = socket(af, SOCK_DGRAM, 0);
	if (!need("socket()", t) || !need("socket()", u))
		goto out;
	for (i = 0; i < NBAD; i++) {
		EXPECT(EFAULT, setsockopt(t, IPPROTO_TCP, TCP_MD5SIG, bad[i], sizeof(m)),
		       "setsockopt(tcp%s, TCP_MD5SIG, %s)", F(af), badname[i]);
		/* do_tcp_setsockopt() reads an int before the length check */
		EXPECT(EFAULT, setsockopt(t, IPPROTO_TCP, TCP_MD5SIG, bad[i], 100),
		       "setsockopt(tcp%s, TCP_MD5SIG, %s, len 100)", F(af), badname[i]);
	}
	EXPECT(EINVAL, setsockopt(t, IPPROTO_TCP, TCP_MD5SIG, &m, 0),
	       "setsockopt(tcp%s, TCP_MD5SIG, len 0)", F(af));
	EXPECT(EINVAL, setsockopt(t, IPPROTO_TCP, TCP_MD5SIG, &m, 100),
	       "setsockopt(tcp%s, TCP_MD5SIG, len 100)", F(af));
	EXPECT(EINVAL, setsockopt(t, IPPROTO_TCP, TCP_MD5SIG, &m, (socklen_t)-1),
	       "setsockopt(tcp%s, TCP_MD5SIG, len -1)", F(af));
	m = md5sig(other, other == AF_INET ? "127.0.0.2" : "::2", 0, 0, 6, 0);
	EXPECT(EINVAL, setsockopt(t, IPPROTO_TCP, TCP_MD5SIG, &m, sizeof(m)),
	       "setsockopt(tcp%s, TCP_MD5SIG, other family)", F(af));
	m = md5sig(af, peer, 0, 0, 81, 0);
	EXPECT(EINVAL, setsockopt(t, IPPROTO_TCP, TCP_MD5SIG, &m, sizeof(m)),
	       "setsockopt(tcp%s, TCP_MD5SIG, keylen 81)", F(af));
	m = md5sig(af, peer, TCP_MD5SIG_FLAG_PREFIX, af == AF_INET ? 33 : 129, 6, 0);
	EXPECT(EINVAL, setsockopt(t, IPPROTO_TCP, TCP_MD5SIG_EXT, &m, sizeof(m)),
	       "setsockopt(tcp%s, TCP_MD5SIG_EXT, prefix too long)", F(af));
	if (af == AF_INET6) {
		m = md5sig(af, "::ffff:127.0.0.2", TCP_MD5SIG_FLAG_PREFIX, 33, 6, 0);
		EXPECT(EINVAL, setsockopt(t, IPPROTO_TCP, TCP_MD5SIG_EXT, &m, sizeof(m)),
		       "setsockopt(tcp6, TCP_MD5SIG_EXT, mapped, prefix 33)");
		m = md5sig(af, "::ffff:127.0.0.2", 0, 0, 6, 0);
		RETURNS(0, setsockopt(t, IPPROTO_TCP, TCP_MD5SIG, &m, sizeof(m)),
			"setsockopt(tcp6, TCP_MD5SIG, mapped)");
	}
	/* lo is no L3 master (VRF) device */
	m = md5sig(af, peer, TCP_MD5SIG_FLAG_IFINDEX, 0, 6, 1);
	EXPECT(EINVAL, setsockopt(t, IPPROTO_TCP, TCP_MD5SIG_EXT, &m, sizeof(m)),
	       "setsockopt(tcp%s, TCP_MD5SIG_EXT, ifindex 1)", F(af));
	m = md5sig(af, peer, 0, 0, 0, 0);
	EXPECT(ENOENT, setsockopt(t, IPPROTO_TCP, TCP_MD5SIG, &m, sizeof(m)),
	       "setsockopt(tcp%s, TCP_MD5SIG, delete absent)", F(af));
	m = md5sig(af, peer, 0, 0, 80, 0);
	RETURNS(0, setsockopt(t, IPPROTO_TCP, TCP_MD5SIG, &m, sizeof(m) + 40),
		"setsockopt(tcp%s, TCP_MD5SIG, keylen 80, longer value)", F(af));
	m = md5sig(af, peer, 0, 0, 0, 0);
	RETURNS(0, setsockopt(t, IPPROTO_TCP, TCP_MD5SIG, &m, sizeof(m)),
		"setsockopt(tcp%s, TCP_MD5SIG, delete)", F(af));
	EXPECT(ENOENT, setsockopt(t, IPPROTO_TCP, TCP_MD5SIG, &m, sizeof(m)),
	       "setsockopt(tcp%s, TCP_MD5SIG, delete again)", F(af));
	m = md5sig(af, peer, TCP_MD5SIG_FLAG_PREFIX, af == AF_INET ? 24 : 64, 6, 0);
	RETURNS(0, setsockopt(t, IPPROTO_TCP, TCP_MD5SIG_EXT, &m, sizeof(m)),
		"setsockopt(tcp%s, TCP_MD5SIG_EXT, prefix)", F(af));
	m.keylen = 0;
	m.prefixlen = af == AF_INET ? 32 : 128;
	EXPECT(ENOENT, setsockopt(t, IPPROTO_TCP, TCP_MD5SIG_EXT, &m, sizeof(m)),
	       "setsockopt(tcp%s, TCP_MD5SIG_EXT, delete other prefix)", F(af));
	m = md5sig(af, peer, 0, 0, 6, 0);
	EXPECT(ENOPROTOOPT, setsockopt(u, IPPROTO_TCP, TCP_MD5SIG, &m, sizeof(m)),
	       "setsockopt(udp%s, TCP_MD5SIG)", F(af));
	EXPECT(ENOPROTOOPT, getsockopt(t, IPPROTO_TCP, TCP_MD5SIG, &m, &ol),
	       "getsockopt(tcp%s, TCP_MD5SIG)", F(af));
out:
	xclose_int(&t);
	xclose_int(&u);
}

/* ---- send(), recv() and friends ------------------------------------------ */

static void t_io(int af)
{
	static char huge[70000];
	long max = af == AF_INET ? 65507 : 65527;
	struct sockaddr_storage a1, a2, ss, la;
	socklen_t full = af == AF_INET ? sizeof(struct sockaddr_in)
				       : sizeof(struct sockaddr_in6), sl;
	int c = -1, s = -1, u1, u2, t = -1, l = -1, i;
	char buf[64];

	u1 = udp_bound(af, &a1);
	u2 = udp_bound(af, &a2);
	t = socket(af, SOCK_STREAM, 0);
	l = tcp_listener(af, &la);
	if (u1 < 0 || u2 < 0 || !need("socket()", t) || l < 0 || tcp_pair(af, &c, &s) < 0)
		goto out;
	for (i = 0; i < NBAD; i++) {
		EXPECT(EFAULT, send(c, bad[i], 10, MSG_NOSIGNAL), "send(tcp%s, %s, 10)",
		       F(af), badname[i]);
		EXPECT(EFAULT, sendto(u1, bad[i], 10, 0, (struct sockaddr *)&a2, full),
		       "sendto(udp%s, %s, 10)", F(af), badname[i]);
		EXPECT(EFAULT, write(c, bad[i], 10), "write(tcp%s, %s, 10)", F(af), badname[i]);
		if (i)
			EXPECT(EFAULT, sendto(u1, "x", 1, 0, bad[i], full),
			       "sendto(udp%s, \"x\", addr %s)", F(af), badname[i]);
		else	/* __sys_sendto(): a NULL address means none. */
			EXPECT(EDESTADDRREQ, sendto(u1, "x", 1, 0, bad[i], full),
			       "sendto(udp%s, \"x\", addr NULL, len %u)", F(af), full);
	}
	/* A failed copy to user space leaves TCP data queued. */
	if (need("send()", send(c, "data", 4, 0)) && need("data arrives", wait_in(s, 2000) - 1)) {
		for (i = 0; i < NBAD; i++)
			EXPECT(EFAULT, recv(s, bad[i], 10, 0), "recv(tcp%s, %s, 10) with data",
			       F(af), badname[i]);
		EXPECT(EFAULT, recv(s, rdonly, 10, 0), "recv(tcp%s, read-only page) with data", F(af));
		RETURNS(4, recv(s, buf, sizeof(buf), MSG_DONTWAIT),
			"recv(tcp%s) still gets the data after EFAULT", F(af));
	}
	for (i = 0; i < NBAD; i++) {
		if (queue_dgram(u1, u2, &a2) < 0)
			break;
		EXPECT(EFAULT, recv(u2, bad[i], 10, 0), "recv(udp%s, %s, 10) with data",
		       F(af), badname[i]);
		if (queue_dgram(u1, u2, &a2) < 0)
			break;
		sl = sizeof(ss);
		if (i)
			EXPECT(EFAULT, recvfrom(u2, buf, sizeof(buf), 0, bad[i], &sl),
			       "recvfrom(udp%s, addr %s) with data", F(af), badname[i]);
		else
			RETURNS(5, recvfrom(u2, buf, sizeof(buf), 0, bad[i], &sl),
				"recvfrom(udp%s, addr NULL, &len) with data", F(af));
		if (queue_dgram(u1, u2, &a2) < 0)
			break;
		EXPECT(EFAULT, recvfrom(u2, buf, sizeof(buf), 0, (struct sockaddr *)&ss, bad[i]),
		       "recvfrom(udp%s, &addr, len %s) with data", F(af), badname[i]);
	}
	if (queue_dgram(u1, u2, &a2) == 0) {
		sl = (socklen_t)-1;
		EXPECT(EINVAL, recvfrom(u2, buf, sizeof(buf), 0, (struct sockaddr *)&ss, &sl),
		       "recvfrom(udp%s, &addr, &-1) with data", F(af));
	}
	drain_from(u1, u2, &a2);

	mkaddr(af, lo(af), 0, &ss);
	ss = a2;
	EXPECT(EINVAL, sendto(u1, "x", 1, 0, (struct sockaddr *)&ss, af == AF_INET ? 15 : 23),
	       "sendto(udp%s, short addrlen)", F(af));
	EXPECT(EINVAL, sendto(u1, "x", 1, 0, (struct sockaddr *)&ss, sizeof(ss) + 1),
	       "sendto(udp%s, addrlen 129)", F(af));
	EXPECT(EINVAL, sendto(u1, "x", 1, 0, (struct sockaddr *)&ss, (socklen_t)-1),
	       "sendto(udp%s, addrlen -1)", F(af));
	ss.ss_family = af == AF_INET ? AF_INET6 : AF_INET;
	if (af == AF_INET)
		EXPECT(EAFNOSUPPORT, sendto(u1, "x", 1, 0, (struct sockaddr *)&ss, 28),
		       "sendto(udp4, AF_INET6 family)");
	ss.ss_family = 1;	/* AF_UNIX */
	/* udp_sendmsg() says EAFNOSUPPORT, udpv6_sendmsg() EINVAL. */
	EXPECT(af == AF_INET ? EAFNOSUPPORT : EINVAL,
	       sendto(u1, "x", 1, 0, (struct sockaddr *)&ss, full), "sendto(udp%s, AF_UNIX family)", F(af));
	mkaddr(af, lo(af), 0, &ss);
	EXPECT(EINVAL, sendto(u1, "x", 1, 0, (struct sockaddr *)&ss, full), "sendto(udp%s, port 0)", F(af));
	EXPECT(EMSGSIZE, sendto(u1, huge, max + 1, 0, (struct sockaddr *)&a2, full),
	       "sendto(udp%s, %ld bytes)", F(af), max + 1);
	EXPECT(EMSGSIZE, sendto(u1, huge, sizeof(huge), 0, (struct sockaddr *)&a2, full),
	       "sendto(udp%s, 70000 bytes)", F(af));
	EXPECT(EDESTADDRREQ, send(u1, "x", 1, 0), "send(unconnected udp%s)", F(af));
	EXPECT(EDESTADDRREQ, sendto(u1, "x", 1, 0, NULL, 0), "sendto(unconnected udp%s, NULL, 0)", F(af));
	/* udp_sendmsg() refuses MSG_OOB, udpv6_sendmsg() ignores it. */
	if (af == AF_INET)
		EXPECT(EOPNOTSUPP, sendto(u1, "x", 1, MSG_OOB, (struct sockaddr *)&a2, full),
		       "sendto(udp4, MSG_OOB)");
	else
		RETURNS(1, sendto(u1, "x", 1, MSG_OOB, (struct sockaddr *)&a2, full),
			"sendto(udp6, MSG_OOB) sends");
	/* ... and so does udpv6_sendmsg() for IPv4 it hands to it (from a
	 * socket not bound to ::1, which would be ENETUNREACH); past 65535
	 * bytes, EMSGSIZE is first. */
	if (af == AF_INET6) {
		int m = socket(AF_INET6, SOCK_DGRAM, 0);

		mkaddr(af, "::ffff:127.0.0.1", 9, &ss);
		if (need("udp6 socket()", m))
			EXPECT(EOPNOTSUPP, sendto(m, "x", 1, MSG_OOB, (struct sockaddr *)&ss, full),
			       "sendto(unbound udp6, MSG_OOB, v4-mapped)");
		xclose_int(&m);
	} else {
		struct iovec one = { "x", 1 };
		struct msghdr m = { .msg_name = &a2, .msg_namelen = full,
				    .msg_iov = &one, .msg_iovlen = 1 };

		EXPECT(EOPNOTSUPP, sendmsg(u1, &m, MSG_OOB), "sendmsg(udp4, MSG_OOB)");
		EXPECT(EMSGSIZE, sendto(u1, huge, sizeof(huge), MSG_OOB,
					(struct sockaddr *)&a2, full),
		       "sendto(udp4, 70000 bytes, MSG_OOB)");
	}
	drain_from(u1, u2, &a2);
	EXPECT(EAGAIN, recv(u2, buf, sizeof(buf), MSG_DONTWAIT), "recv(empty udp%s, MSG_DONTWAIT)", F(af));
	/* __copy_msghdr(): a name of length 0 is no name */
	{
		struct iovec one = { "n", 1 };
		struct msghdr m0 = { .msg_name = &a2, .msg_namelen = 0,
				     .msg_iov = &one, .msg_iovlen = 1 };
		int k = socket(af, SOCK_DGRAM, 0);

		EXPECT(EDESTADDRREQ, sendmsg(u1, &m0, 0),
		       "sendmsg(unconnected udp%s, name of length 0)", F(af));
		if (need("udp socket()", k) &&
		    need("udp connect()", connect(k, (struct sockaddr *)&a2, full))) {
			RETURNS(1, sendmsg(k, &m0, 0),
				"sendmsg(connected udp%s, name of length 0) sends", F(af));
			buf[0] = 0;
			RETURNS(1, wait_in(u2, 2000) == 1 ?
				   recv(u2, buf, sizeof(buf), MSG_DONTWAIT) : -1,
				"udp%s: that datagram arrives", F(af));
			RETURNS('n', buf[0], "udp%s: it is the one sent", F(af));
		}
		xclose_int(&k);
	}

	EXPECT(ENOTCONN, recv(t, buf, sizeof(buf), 0), "recv(unconnected tcp%s)", F(af));
	EXPECT(ENOTCONN, read(t, buf, sizeof(buf)), "read(unconnected tcp%s)", F(af));
	EXPECT(EPIPE, send(t, "x", 1, MSG_NOSIGNAL), "send(unconnected tcp%s)", F(af));
	EXPECT(EPIPE, write(t, "x", 1), "write(unconnected tcp%s), SIGPIPE ignored", F(af));
	EXPECT(EPIPE, sendto(t, "x", 1, MSG_NOSIGNAL, (struct sockaddr *)&la, full),
	       "sendto(unconnected tcp%s, address)", F(af));
	EXPECT(ENOTCONN, recv(l, buf, sizeof(buf), MSG_DONTWAIT), "recv(listener%s)", F(af));
	EXPECT(EPIPE, send(l, "x", 1, MSG_NOSIGNAL), "send(listener%s)", F(af));
	/* tcp_sendmsg() ignores the address of a connected socket. */
	if (RETURNS(1, sendto(c, "x", 1, 0, (struct sockaddr *)&a1, full),
		    "sendto(connected tcp%s, other address) ignores it", F(af))) {
		wait_in(s, 2000);
		RETURNS(1, recv(s, buf, sizeof(buf), MSG_DONTWAIT),
			"... and the byte arrives on tcp%s", F(af));
	}
	EXPECT(EINVAL, recv(s, buf, sizeof(buf), MSG_OOB | MSG_DONTWAIT),
	       "recv(tcp%s, MSG_OOB) with no urgent data", F(af));
out:
	xclose_int(&c);
	xclose_int(&s);
	xclose_int(&t);
	xclose_int(&l);
	if (u1 >= 0)
		close(u1);
	if (u2 >= 0)
		close(u2);
}

/* ---- sendmsg(), recvmsg(), sendmmsg(), recvmmsg() ------------------------ */

/* A control buffer holding one cmsg of @level/@type with an int. */
static void mkcmsg(struct msghdr *mh, void *ctl, size_t size, int level, int type,
		   size_t len, int val)
{
	struct cmsghdr *cm;

	memset(ctl, 0, size);
	mh->msg_control = ctl;
	mh->msg_controllen = CMSG_SPACE(sizeof(int));
	cm = CMSG_FIRSTHDR(mh);
	cm->cmsg_level = level;
	cm->cmsg_type = type;
	cm->cmsg_len = len;
	memcpy(CMSG_DATA(cm), &val, sizeof(val));
}

static void t_msg(int af)
{
	int ip = af == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
	int ttl = af == AF_INET ? IP_TTL : IPV6_HOPLIMIT;
	struct sockaddr_storage a1, a2;
	socklen_t full = af == AF_INET ? sizeof(struct sockaddr_in)
				       : sizeof(struct sockaddr_in6);
	union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } ctl;
	struct iovec iov[2];
	struct msghdr mh, base;
	struct mmsghdr mm[2];
	struct timespec ts;
	char buf[64];
	int u1, u2, i;

	u1 = udp_bound(af, &a1);
	u2 = udp_bound(af, &a2);
	if (u1 < 0 || u2 < 0)
		goto out;
	iov[0] = (struct iovec){ "x", 1 };
	memset(&base, 0, sizeof(base));
	base.msg_name = &a2;
	base.msg_namelen = full;
	base.msg_iov = iov;
	base.msg_iovlen = 1;

	for (i = 0; i < NBAD; i++) {
		EXPECT(EFAULT, sendmsg(u1, bad[i], 0), "sendmsg(udp%s, %s)", F(af), badname[i]);
		EXPECT(EFAULT, recvmsg(u2, bad[i], MSG_DONTWAIT), "recvmsg(udp%s, %s)", F(af), badname[i]);
		mh = base;
		mh.msg_iov = bad[i];
		EXPECT(EFAULT, sendmsg(u1, &mh, 0), "sendmsg(udp%s, msg_iov %s)", F(af), badname[i]);
		EXPECT(EFAULT, recvmsg(u2, &mh, MSG_DONTWAIT), "recvmsg(udp%s, msg_iov %s)", F(af), badname[i]);
		mh = base;
		iov[1] = (struct iovec){ bad[i], 1 };
		mh.msg_iov = &iov[1];
		EXPECT(EFAULT, sendmsg(u1, &mh, 0), "sendmsg(udp%s, iov_base %s)", F(af), badname[i]);
		if (queue_dgram(u1, u2, &a2) == 0)
			EXPECT(EFAULT, recvmsg(u2, &mh, 0), "recvmsg(udp%s, iov_base %s) with data",
			       F(af), badname[i]);
		mh = base;
		mh.msg_name = bad[i];
		if (i)
			EXPECT(EFAULT, sendmsg(u1, &mh, 0), "sendmsg(udp%s, msg_name %s)", F(af), badname[i]);
		else	/* __copy_msghdr(): a NULL name means none. */
			EXPECT(EDESTADDRREQ, sendmsg(u1, &mh, 0), "sendmsg(udp%s, msg_name NULL, len %u)",
			       F(af), full);
		mh.msg_iov = &iov[1];
		iov[1] = (struct iovec){ buf, sizeof(buf) };
		if (i && queue_dgram(u1, u2, &a2) == 0)
			EXPECT(EFAULT, recvmsg(u2, &mh, 0), "recvmsg(udp%s, msg_name %s) with data",
			       F(af), badname[i]);
		mh = base;
		mh.msg_control = bad[i];
		mh.msg_controllen = 32;
		EXPECT(EFAULT, sendmsg(u1, &mh, 0), "sendmsg(udp%s, msg_control %s)", F(af), badname[i]);
	}
	mh = base;
	mh.msg_iovlen = 1025;
	EXPECT(EMSGSIZE, sendmsg(u1, &mh, 0), "sendmsg(udp%s, msg_iovlen 1025)", F(af));
	EXPECT(EMSGSIZE, recvmsg(u2, &mh, MSG_DONTWAIT), "recvmsg(udp%s, msg_iovlen 1025)", F(af));
	mh.msg_iovlen = SIZE_MAX;
	EXPECT(EMSGSIZE, sendmsg(u1, &mh, 0), "sendmsg(udp%s, msg_iovlen SIZE_MAX)", F(af));
	mh = base;
	mh.msg_namelen = (socklen_t)-1;
	EXPECT(EINVAL, sendmsg(u1, &mh, 0), "sendmsg(udp%s, msg_namelen -1)", F(af));
	mh.msg_namelen = af == AF_INET ? 15 : 23;
	EXPECT(EINVAL, sendmsg(u1, &mh, 0), "sendmsg(udp%s, short msg_namelen)", F(af));
	/* __copy_msghdr() clamps a long name to sockaddr_storage. */
	mh.msg_namelen = 200;
	RETURNS(1, sendmsg(u1, &mh, 0), "sendmsg(udp%s, msg_namelen 200) is clamped", F(af));
	drain_from(u1, u2, &a2);
	mh = base;
	mh.msg_control = ctl.buf;
	mh.msg_controllen = (size_t)INT_MAX + 1;
	EXPECT(ENOBUFS, sendmsg(u1, &mh, 0), "sendmsg(udp%s, msg_controllen > INT_MAX)", F(af));
	mh = base;
	mkcmsg(&mh, ctl.buf, sizeof(ctl), ip, ttl, 5, 1);
	EXPECT(EINVAL, sendmsg(u1, &mh, 0), "sendmsg(udp%s, cmsg_len 5)", F(af));
	mkcmsg(&mh, ctl.buf, sizeof(ctl), ip, ttl, sizeof(ctl) + 8, 1);
	EXPECT(EINVAL, sendmsg(u1, &mh, 0), "sendmsg(udp%s, cmsg_len beyond the buffer)", F(af));
	mkcmsg(&mh, ctl.buf, sizeof(ctl), ip, 9999, CMSG_LEN(sizeof(int)), 1);
	EXPECT(EINVAL, sendmsg(u1, &mh, 0), "sendmsg(udp%s, cmsg IP level type 9999)", F(af));
	mkcmsg(&mh, ctl.buf, sizeof(ctl), SOL_SOCKET, 9999, CMSG_LEN(sizeof(int)), 1);
	EXPECT(EINVAL, sendmsg(u1, &mh, 0), "sendmsg(udp%s, cmsg SOL_SOCKET type 9999)", F(af));
	mkcmsg(&mh, ctl.buf, sizeof(ctl), ip, ttl, CMSG_LEN(sizeof(int)), 256);
	EXPECT(EINVAL, sendmsg(u1, &mh, 0), "sendmsg(udp%s, TTL cmsg 256)", F(af));
	mkcmsg(&mh, ctl.buf, sizeof(ctl), IPPROTO_TCP, 1, CMSG_LEN(sizeof(int)), 1);
	RETURNS(1, sendmsg(u1, &mh, 0), "sendmsg(udp%s, cmsg of level TCP) is ignored", F(af));
	mkcmsg(&mh, ctl.buf, sizeof(ctl), ip, ttl, CMSG_LEN(sizeof(int)), 7);
	RETURNS(1, sendmsg(u1, &mh, 0), "sendmsg(udp%s, TTL cmsg 7)", F(af));
	drain_from(u1, u2, &a2);

	EXPECT(EFAULT, sendmmsg(u1, NULL, 1, 0), "sendmmsg(udp%s, NULL, 1)", F(af));
	EXPECT(EFAULT, sendmmsg(u1, unmapped, 1, 0), "sendmmsg(udp%s, unmapped, 1)", F(af));
	RETURNS(0, sendmmsg(u1, NULL, 0, 0), "sendmmsg(udp%s, NULL, 0)", F(af));
	memset(mm, 0, sizeof(mm));
	mm[0].msg_hdr = base;
	mm[1].msg_hdr = base;
	mm[1].msg_hdr.msg_iov = unmapped;
	/* __sys_sendmmsg(): an error after the first message is not reported. */
	RETURNS(1, sendmmsg(u1, mm, 2, 0), "sendmmsg(udp%s, good + bad) sends one", F(af));
	drain_from(u1, u2, &a2);
	EXPECT(EFAULT, recvmmsg(u2, NULL, 1, MSG_DONTWAIT, NULL), "recvmmsg(udp%s, NULL, 1)", F(af));
	mm[0].msg_hdr = base;
	mm[0].msg_hdr.msg_name = NULL;
	iov[1] = (struct iovec){ buf, sizeof(buf) };
	mm[0].msg_hdr.msg_iov = &iov[1];
	EXPECT(EAGAIN, recvmmsg(u2, mm, 1, MSG_DONTWAIT, NULL), "recvmmsg(empty udp%s)", F(af));
	EXPECT(EFAULT, recvmmsg(u2, mm, 1, 0, unmapped), "recvmmsg(udp%s, timeout unmapped)", F(af));
	ts = (struct timespec){ 0, 2000000000L };
	EXPECT(EINVAL, recvmmsg(u2, mm, 1, 0, &ts), "recvmmsg(udp%s, tv_nsec 2e9)", F(af));
out:
	if (u1 >= 0)
		close(u1);
	if (u2 >= 0)
		close(u2);
}

/* ---- shutdown(), ioctl(), close() ----------------------------------------- */

static int so_type(int fd)
{
	socklen_t len = sizeof(int);
	int v = 0;

	return getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len) < 0 ? -1 : v;
}

/* ---- IPv4 names on a UDP socket of AF_INET6 -------------------------------- */

/*
 * udpv6_sendmsg() hands an AF_INET name to udp_sendmsg() and takes an
 * AF_UNSPEC one as none (EDESTADDRREQ unconnected); ip6_datagram_connect()
 * connects to an AF_INET
 * name as __ip4_datagram_connect() (the peer then reads v4-mapped); an
 * IPV6_V6ONLY socket refuses both (ENETUNREACH, EAFNOSUPPORT).
 */
static void t_v4_on_v6(void)
{
	struct sockaddr_storage a4;
	struct sockaddr_in6 peer;
	struct sockaddr_in un, z;
	socklen_t pl = sizeof(peer);
	int r4, s6 = -1, only = -1, on = 1;
	char buf[16];

	r4 = udp_bound(AF_INET, &a4);
	s6 = socket(AF_INET6, SOCK_DGRAM, 0);
	only = socket(AF_INET6, SOCK_DGRAM, 0);
	if (r4 < 0 || !need("udp6 socket()", s6) || !need("udp6 socket()", only) ||
	    !need("IPV6_V6ONLY", setsockopt(only, IPPROTO_IPV6, IPV6_V6ONLY, &on,
					    sizeof(on))))
		goto out;
	memcpy(&z, &a4, sizeof(z));
	z.sin_port = 0;
	memcpy(&un, &a4, sizeof(un));
	un.sin_family = AF_UNSPEC;
	RETURNS(1, sendto(s6, "a", 1, 0, (struct sockaddr *)&a4, sizeof(struct sockaddr_in)),
		"sendto(udp6, AF_INET name) sends");
	RETURNS(1, wait_in(r4, 2000) == 1 ? recv(r4, buf, sizeof(buf), MSG_DONTWAIT) : -1,
		"... to the IPv4 socket");
	EXPECT(EINVAL, sendto(s6, "a", 1, 0, (struct sockaddr *)&a4, 15),
	       "sendto(udp6, AF_INET name, 15)");
	EXPECT(EINVAL, sendto(s6, "a", 1, 0, (struct sockaddr *)&z, sizeof(z)),
	       "sendto(udp6, AF_INET name, port 0)");
	EXPECT(EOPNOTSUPP, sendto(s6, "a", 1, MSG_OOB, (struct sockaddr *)&a4,
				  sizeof(struct sockaddr_in)), "sendto(udp6, AF_INET name, MSG_OOB)");
	EXPECT(EDESTADDRREQ, sendto(s6, "a", 1, 0, (struct sockaddr *)&un, sizeof(un)),
	       "sendto(unconnected udp6, AF_UNSPEC name)");
	EXPECT(ENETUNREACH, sendto(only, "a", 1, 0, (struct sockaddr *)&a4,
				   sizeof(struct sockaddr_in)), "sendto(v6only udp6, AF_INET name)");
	EXPECT(EAFNOSUPPORT, connect(only, (struct sockaddr *)&a4, sizeof(struct sockaddr_in)),
	       "connect(v6only udp6, AF_INET name)");
	EXPECT(EINVAL, connect(s6, (struct sockaddr *)&a4, 15), "connect(udp6, AF_INET name, 15)");
	RETURNS(0, connect(s6, (struct sockaddr *)&a4, sizeof(struct sockaddr_in)),
		"connect(udp6, AF_INET name)");
	peer.sin6_family = 0;
	RETURNS(0, getpeername(s6, (struct sockaddr *)&peer, &pl), "getpeername(udp6)");
	RETURNS(1, peer.sin6_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&peer.sin6_addr) &&
		   peer.sin6_port == ((struct sockaddr_in *)&a4)->sin_port,
		"... is the IPv4 name, v4-mapped");
	/* (Linux then sends it as IPv6 to ::ffff:127.0.0.1, where it is
	 * lost; the sandbox delivers it to the peer) */
	RETURNS(1, sendto(s6, "b", 1, 0, (struct sockaddr *)&un, sizeof(un)),
		"sendto(connected udp6, AF_UNSPEC name) sends");
	drain(r4);
out:
	xclose_int(&r4);
	xclose_int(&s6);
	xclose_int(&only);
}

static void t_misc(int af)
{
	struct ifreq ifr;
	int c, s, t = -1, u = -1, l = -1, n, fd;
	struct sockaddr_storage la;

	if (tcp_pair(af, &c, &s) < 0)
		return;
	t = socket(af, SOCK_STREAM, 0);
	u = socket(af, SOCK_DGRAM, 0);
	l = tcp_listener(af, &la);
	if (!need("socket()", t) || !need("socket()", u) || l < 0)
		goto out;
	EXPECT(EINVAL, shutdown(c, 3), "shutdown(tcp%s, 3)", F(af));
	EXPECT(EINVAL, shutdown(c, -1), "shutdown(tcp%s, -1)", F(af));
	EXPECT(EINVAL, shutdown(c, 99), "shutdown(tcp%s, 99)", F(af));
	EXPECT(ENOTCONN, shutdown(t, SHUT_RDWR), "shutdown(unconnected tcp%s)", F(af));
	EXPECT(ENOTCONN, shutdown(u, SHUT_RD), "shutdown(unconnected udp%s)", F(af));

	EXPECT(EINVAL, ioctl(l, FIONREAD, &n), "ioctl(listener%s, FIONREAD)", F(af));
	EXPECT(EFAULT, ioctl(c, FIONREAD, NULL), "ioctl(tcp%s, FIONREAD, NULL)", F(af));
	EXPECT(EFAULT, ioctl(c, FIONREAD, (void *)1), "ioctl(tcp%s, FIONREAD, (void *)1)", F(af));
	EXPECT(EFAULT, ioctl(u, FIONREAD, unmapped), "ioctl(udp%s, FIONREAD, unmapped)", F(af));
	EXPECT(EFAULT, ioctl(c, FIONBIO, NULL), "ioctl(tcp%s, FIONBIO, NULL)", F(af));
	EXPECT(ENOTTY, ioctl(c, _IO('z', 99), 0), "ioctl(tcp%s, unknown request)", F(af));
	EXPECT(ENOTTY, ioctl(u, _IO('z', 99), 0), "ioctl(udp%s, unknown request)", F(af));
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "nosuchdev0");
	EXPECT(ENODEV, ioctl(u, SIOCGIFINDEX, &ifr), "ioctl(udp%s, SIOCGIFINDEX nosuchdev0)", F(af));
	EXPECT(ENODEV, ioctl(u, SIOCGIFFLAGS, &ifr), "ioctl(udp%s, SIOCGIFFLAGS nosuchdev0)", F(af));
	EXPECT(EFAULT, ioctl(u, SIOCGIFINDEX, unmapped), "ioctl(udp%s, SIOCGIFINDEX, unmapped)", F(af));
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_ifindex = 99999;
	EXPECT(ENODEV, ioctl(u, SIOCGIFNAME, &ifr), "ioctl(udp%s, SIOCGIFNAME 99999)", F(af));
	strcpy(ifr.ifr_name, "lo");
	RETURNS(0, ioctl(u, SIOCGIFINDEX, &ifr), "ioctl(udp%s, SIOCGIFINDEX lo)", F(af));

	fd = dup(u);
	RETURNS(0, close(fd), "close(dup of udp%s)", F(af));
	EXPECT(EBADF, close(fd), "close(udp%s dup) twice", F(af));
	EXPECT(EBADF, getsockname(fd, (struct sockaddr *)&la, &(socklen_t){ sizeof(la) }),
	       "getsockname(closed dup of udp%s)", F(af));
	RETURNS(SOCK_DGRAM, so_type(u), "original udp%s survives closing its dup", F(af));
out:
	close(c);
	close(s);
	xclose_int(&t);
	xclose_int(&u);
	xclose_int(&l);
}

/*
 * rrsandbox's documented differences from Linux (see --sandbox): patterns
 * on check descriptions, "* " standing for the "[iteration] " prefix and
 * "?" for the family's digit.  Add only what is decided to stay different
 * for now, with the reason; take an entry out once its checks pass
 * ("# TODO checks pass now").
 */
#define UNCONN_END	"data calls on the program's end are native: an " \
			"unconnected socket's end is an idle AF_UNIX socket"
#define NO_DEST		"datagrams without an address go natively to the " \
			"supervisor, which drops them"

static const struct tap_todo sandbox_todo[] = {
	{ "* recv(unconnected tcp?)", UNCONN_END },
	{ "* read(unconnected tcp?)", UNCONN_END },
	{ "* send(unconnected tcp?)", UNCONN_END },
	{ "* write(unconnected tcp?), SIGPIPE ignored", UNCONN_END },
	{ "* recv(listener?)", UNCONN_END },
	{ "* send(listener?)", UNCONN_END },
	{ "* send(unconnected udp?)", NO_DEST },
	{ "* sendto(unconnected udp?, NULL, 0)", NO_DEST },
	{ "* sendto(udp?, \"x\", addr NULL, len *)", NO_DEST },
	{ "* ioctl(listener?, FIONREAD)",
	  "FIONREAD is native: a listener's end is an idle AF_UNIX socket" },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	int n = 3, counted = 0, first, last, i;
	struct sigaction sa;
	pthread_t wd;
	char *page;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--sandbox")) {
			tap_todo_use(sandbox_todo, "sandbox");
		} else if (counted++ || (n = atoi(argv[i])) <= 0) {
			fprintf(stderr, "usage: %s [--sandbox] [ITERATIONS]\n", argv[0]);
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART: blocked calls see EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	munmap(page, 4096);
	unmapped = page;
	rdonly = page + 4096;
	mprotect(rdonly, 4096, PROT_READ);
	bad[0] = NULL;
	bad[1] = (void *)1;
	bad[2] = unmapped;

	watchdog_feed();
	if (pthread_create(&wd, NULL, watchdog, NULL)) {
		fprintf(stderr, "pthread_create failed\n");
		return 2;
	}
	first = open("/dev/null", O_RDONLY);
	close(first);
	for (iter = 1; iter <= n; iter++) {
		watchdog_feed();
		t_badfds();
		t_socket();
		t_v4_on_v6();
		for (i = 0; i < 2; i++) {
			int af = i ? AF_INET6 : AF_INET;

			t_bind(af);
			t_connect(af);
			t_accept(af);
			t_names(af);
			t_sockopt(af);
			t_md5(af);
			t_io(af);
			t_msg(af);
			t_misc(af);
		}
	}
	iter = n;
	sleep_ms(100);
	last = open("/dev/null", O_RDONLY);
	close(last);
	tap_int(dsc("no descriptor leaked (lowest free fd unchanged)"), last, first);
	return tap_done();
}
