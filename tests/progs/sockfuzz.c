/* SPDX-License-Identifier: MIT */
/*
 * sockfuzz.c - a deterministic, seeded fuzzer of socket calls.
 *
 * A tracee for hunting supervisor crashes, hangs and leaks: it keeps a pool
 * of up to POOL descriptors (IPv4 and IPv6 TCP, UDP, raw ICMP and ping
 * sockets, NETLINK_ROUTE and NETLINK_SOCK_DIAG sockets, an AF_UNIX pair for
 * SCM_RIGHTS, a pipe, closed numbers) and makes random calls on them:
 * socket, bind, connect, listen, accept4, the names, the options, every
 * send and receive (always MSG_DONTWAIT, with random flags and control
 * messages), ioctl, shutdown, close, dup, fcntl, poll, unshare, random or
 * mutated rtnetlink and sock_diag requests and well-formed ones that change
 * links (up, down, MTU, new links), addresses, routes and neighbours, and
 * "pairup": a listener and a client that connects to it (or two connected
 * UDP sockets), so that data flows.  Pointers are sometimes bad:
 * NULL, (void *)1, an unmapped page, a read-only page for output, a
 * PROT_NONE page, a kernel address, or a buffer that runs into a PROT_NONE
 * page.  Every buffer it hands to the kernel lies in its arena, lanes of
 * memory each followed by a PROT_NONE page, so a length that lies gives
 * EFAULT and never overwrites the fuzzer's own state.
 *
 * Results are counted, not checked: the program must only never be killed,
 * never block and always finish.  Nothing blocks: every socket is made
 * non-blocking and O_NONBLOCK is never cleared, receives and sends carry
 * MSG_DONTWAIT, poll() waits 0 ms, SO_LINGER is only ever set with a zero
 * time.  Each step's call is drawn from the seed alone (its arguments from
 * a stream of the step's own, and the pool), so a seed always makes the
 * same calls: the "sequence" hash printed at the end says so; the
 * "results" hash may differ where timing decides (an accept() that comes
 * before or after the connection).  Under -j or -S nothing is repeatable.
 *
 * It drops every capability first (capset(2)), so that natively, even as
 * root, it can change nothing of the host's network: netlink requests that
 * change something, SIOCS* ioctls and raw sockets fail with EPERM as for
 * any user.  Only loopback addresses are used.
 *
 * Usage: sockfuzz [-s SEED] [-n CALLS] [-t SECONDS] [-F] [-p] [-v]
 *   -s SEED     random seed (default 1)
 *   -n CALLS    calls to make (default 20000)
 *   -t SECONDS  stop after that long even if CALLS were not made
 *   -F          no forked child (by default a child made at a quarter of
 *               the run makes CALLS/4 calls of its own seed, sharing the
 *               pool's sockets, then exits)
 *   -p          pause: print "sockfuzz: ready start" and "sockfuzz: ready
 *               end" on stderr and wait for a line on stdin at each, so
 *               that a harness can count the supervisor's fds
 *   -v          trace every call on stderr (repeat for arguments)
 *   -c LIST     only these calls (comma-separated names from the summary)
 *   -S USEC     a storm of SIGUSR2 every USEC microseconds, whose handler
 *               lacks SA_RESTART: calls fail with EINTR now and then
 *   -j THREADS  that many threads (up to MAXT), each with its own seed
 *               (SEED + 1000 i) and CALLS calls, on the one pool: racy on
 *               purpose (one closes what another uses), so not repeatable
 *   -w          wider requests: routing rules (RTM_NEWRULE, DELRULE,
 *               GETRULE with FRA_* selectors), every route metric
 *               (RTAX_*, congctl names), RTA_FLOW, RTA_PREF, RTA_EXPIRES,
 *               route gets with marks, sources and input devices, and
 *               SIOCADDRT/SIOCDELRT with a struct rtentry as route(8)
 *               fills it (its rt_dev name sometimes running into a guard
 *               page).  Off by default, so that a seed without it makes
 *               the calls it always made
 *   -k          packet sockets too: AF_PACKET SOCK_RAW and SOCK_DGRAM
 *               among the sockets made, sockaddr_ll addresses (devices 0
 *               to 3 mostly), SOL_PACKET options.  Off by default, as -w
 *
 * Output: TAP; the counts of calls and errnos as comments.  Exit status 0
 * when the run (and the child) finished, 1 if the child did not exit 0 or
 * the supervisor (RRS_RRCTL set) still serves sockets after the last
 * close, 2 on a watchdog timeout (a call blocked: "Bail out!" names it).
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/fib_rules.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

#define POOL		16	/* descriptors kept */
#define NLANES		64	/* arena lanes */
#define MAXT		8	/* threads (-j) */
#define LANE		(64 * 1024)	/* bytes of one lane */
#define PAGE		4096
#define WATCHDOG_S	60	/* no call may take longer */
#define PORT_BASE	47310	/* ports PORT_BASE .. PORT_BASE + NPORTS - 1 */
#define NPORTS		4
#define MAXFD		1024	/* fds swept */

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#ifndef MSG_ZEROCOPY
#define MSG_ZEROCOPY 0x4000000
#endif
#ifndef SIOCOUTQNSD
#define SIOCOUTQNSD 0x894B
#endif
#ifndef SIOCGSKNS
#define SIOCGSKNS 0x894C
#endif
#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif
#ifndef SCM_TXTIME
#define SCM_TXTIME 61
#endif

/*
 * ---- random numbers: xorshift64* ----
 *
 * Two streams: the main one picks each step's call and a seed for the
 * step's own stream, which draws its arguments.  So the calls made depend
 * on the seed only, whatever the results (a slot empty because a socket()
 * failed, a connection not yet accepted); the arguments depend on the
 * seed and the pool, which results change.
 */
static __thread uint64_t rs;		/* the current stream's state */
static __thread uint64_t rs_main;	/* the main stream's */
static __thread uint64_t seq_hash;	/* of the calls picked: the call sequence */
static __thread uint64_t res_hash;	/* of every result */
static __thread volatile long cur_step;	/* the step being made */

static uint64_t rnd(void)
{
	uint64_t r;

	rs ^= rs >> 12;
	rs ^= rs << 25;
	rs ^= rs >> 27;
	r = rs * 0x2545F4914F6CDD1DULL;
	return r;
}

/* A number in 0 .. n - 1 (0 if n is 0). */
static uint32_t rn(uint32_t n)
{
	uint64_t r = rnd();

	return n ? (uint32_t)((r >> 16) % n) : 0;
}

/* True @pct times in 100. */
static int chance(int pct)
{
	return (int)rn(100) < pct;
}

static void rbytes(void *p, size_t n)
{
	unsigned char *b = p;

	while (n--)
		*b++ = (unsigned char)rn(256);
}

/* An "interesting" 32-bit value. */
static uint32_t rval(void)
{
	static const uint32_t v[] = {
		0, 1, 2, 3, 4, 7, 8, 15, 16, 64, 127, 128, 255, 256, 1024,
		1500, 4096, 65535, 65536, 0x7fffffff, 0x80000000, 0xffffffff,
		0xfffffffe, 0xffff,
	};

	switch (rn(4)) {
	case 0:
		return (uint32_t)rnd();
	case 1:
		return rn(8);
	default:
		return v[rn(sizeof(v) / sizeof(v[0]))];
	}
}

/* ---- memory: the arena and the bad pointers ---- */

static unsigned char *arena;	/* NLANES lanes, each then a PROT_NONE page */
static __thread int lane_first, lane_count = NLANES, lane_next;	/* this thread's */
static void *unmapped;		/* a page that was mapped and unmapped */
static unsigned char *rdonly;	/* a read-only page of random bytes */

static unsigned char *lane_start(int i)
{
	return arena + (size_t)i * (LANE + PAGE);
}

/*
 * A buffer of @n bytes (<= LANE) in the next lane, zeroed: tight (ending
 * at the lane's guard page) half of the time, so that a length longer
 * than @n faults, else at the lane's start.
 */
static void *abuf(size_t n)
{
	unsigned char *l = lane_start(lane_first + lane_next);

	lane_next = (lane_next + 1) % lane_count;
	if (n > LANE)
		n = LANE;
	if (chance(50))
		l += LANE - n;
	memset(l, 0, n);
	return l;
}

/* A pointer no call may use (for output, rdonly too if @out). */
static void *bad_ptr(int out)
{
	switch (rn(out ? 8 : 7)) {
	case 0:
		return NULL;
	case 1:
		return (void *)1;
	case 2:
		return unmapped;
	case 3:
		return lane_start(rn(NLANES)) + LANE;	/* a guard page */
	case 4:
		return (void *)0xffff888000000000ULL;
	case 5:
		return (void *)-1L;
	case 6:
		return (void *)(uintptr_t)(PAGE * 16 + rn(PAGE));
	default:
		return rdonly + rn(PAGE);
	}
}

/* Mostly @good, sometimes a bad pointer; for input, sometimes rdonly. */
static void *maybe_bad(void *good, int out, int pct)
{
	if (!chance(pct))
		return good;
	if (!out && chance(20))
		return rdonly + rn(PAGE);
	return bad_ptr(out);
}

/* A length: mostly @n, sometimes a lie. */
static uint32_t maybe_len(uint32_t n, int pct)
{
	static const uint32_t v[] = {
		0, 1, 2, 3, 4, 7, 8, 12, 15, 16, 23, 24, 27, 28, 29, 64, 110,
		128, 129, 4096, 65536, 0x7fffffff, 0x80000000, 0xffffffff,
		0xfffffff0,
	};

	if (!chance(pct))
		return n;
	switch (rn(4)) {
	case 0:
		return n + 1;
	case 1:
		return n ? n - 1 : 0;
	case 2:
		return rn(65);
	default:
		return v[rn(sizeof(v) / sizeof(v[0]))];
	}
}

/* ---- the pool ---- */

enum kind {
	K_NONE, K_TCP4, K_TCP6, K_UDP4, K_UDP6, K_RAW4, K_RAW6, K_PING4,
	K_PING6, K_NLROUTE, K_NLDIAG, K_UNIX, K_PIPE, K_STALE, K_OTHER,
	K_PKRAW, K_PKDGRAM,	/* -k only */
	K_MAX
};

static const struct kdef {
	int af, type, proto;
	const char *name;
} kinds[K_MAX] = {
	[K_NONE] = { 0, 0, 0, "none" },
	[K_TCP4] = { AF_INET, SOCK_STREAM, 0, "tcp4" },
	[K_TCP6] = { AF_INET6, SOCK_STREAM, 0, "tcp6" },
	[K_UDP4] = { AF_INET, SOCK_DGRAM, 0, "udp4" },
	[K_UDP6] = { AF_INET6, SOCK_DGRAM, 0, "udp6" },
	[K_RAW4] = { AF_INET, SOCK_RAW, IPPROTO_ICMP, "raw4" },
	[K_RAW6] = { AF_INET6, SOCK_RAW, IPPROTO_ICMPV6, "raw6" },
	[K_PING4] = { AF_INET, SOCK_DGRAM, IPPROTO_ICMP, "ping4" },
	[K_PING6] = { AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6, "ping6" },
	[K_NLROUTE] = { AF_NETLINK, SOCK_RAW, NETLINK_ROUTE, "nlroute" },
	[K_NLDIAG] = { AF_NETLINK, SOCK_DGRAM, NETLINK_SOCK_DIAG, "nldiag" },
	[K_UNIX] = { AF_UNIX, SOCK_DGRAM, 0, "unix" },
	[K_PIPE] = { 0, 0, 0, "pipe" },
	[K_STALE] = { 0, 0, 0, "stale" },
	[K_OTHER] = { 0, 0, 0, "other" },
	/* protocols in host order: socket() takes them htons()'d */
	[K_PKRAW] = { AF_PACKET, SOCK_RAW, ETH_P_ALL, "pkraw" },
	[K_PKDGRAM] = { AF_PACKET, SOCK_DGRAM, ETH_P_IP, "pkdgram" },
};

static int packets;	/* -k: packet sockets too (kinds, addresses, options) */

static struct slot {
	int fd;
	enum kind kind;
} pool[POOL];

/* The family a slot's socket has, AF_INET if it is not one. */
static int slot_af(int i)
{
	int af = kinds[pool[i].kind].af;

	return af ? af : AF_INET;
}

static int pick_slot(void)
{
	return (int)rn(POOL);
}

/* A slot, mostly one that holds an fd (the draws never depend on it). */
static int pick_live(void)
{
	int i = pick_slot(), j;

	if (chance(85))
		for (j = 0; j < POOL; j++)
			if (pool[(i + j) % POOL].fd >= 0 &&
			    pool[(i + j) % POOL].kind != K_STALE)
				return (i + j) % POOL;
	return i;
}

/*
 * An fd argument: mostly a pool slot's, sometimes a wrong number; stdio
 * only for calls that cannot change it (@stdio).
 */
static int pick_fd_io(int *slotp, int stdio)
{
	int i = pick_live(), r = (int)rn(100);

	*slotp = i;
	if (r < 88)
		return pool[i].fd;
	*slotp = -1;
	if (r < 91)
		return -1;
	if (r < 94)
		return 900 + (int)rn(100);	/* closed */
	if (r < 97)
		return stdio ? (int)rn(3) : -1 - (int)rn(3);
	return chance(50) ? INT_MAX : 1 << 20;
}

#define pick_fd(slotp) pick_fd_io(slotp, 0)

/* Closes what slot @i holds (never stdio) and empties it. */
static void slot_drop(int i)
{
	if (pool[i].fd > 2 && pool[i].kind != K_STALE)
		close(pool[i].fd);
	pool[i].fd = -1;
	pool[i].kind = K_NONE;
}

static void slot_set(int i, int fd, enum kind k)
{
	slot_drop(i);
	pool[i].fd = fd;
	pool[i].kind = k;
}

/*
 * The fuzzer makes sockets and pipes only, and the kernel gives it a
 * netns fd (SIOCGSKNS) and pidfds (getsockopt SO_PEERPIDFD, SCM_PIDFD
 * after SO_PASSPIDFD, on its AF_UNIX pair): an fd naming anything else
 * (an eventfd, an epoll, a seccomp listener, a file) came from elsewhere,
 * such as a supervisor that installed one of its own fds.  Told once per
 * kind.
 */
static int nforeign;
static int inherited = 1;	/* until the first sweep: fds we were given */

static void foreign(int fd)
{
	static char seen[8][64];
	char path[64], link[128];
	ssize_t k;
	int j;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if ((k = readlink(path, link, sizeof(link) - 1)) < 0)
		return;
	link[k] = 0;
	if (!strncmp(link, "socket:", 7) || !strncmp(link, "pipe:", 5) ||
	    !strncmp(link, "net:", 4) || !strcmp(link, "anon_inode:[pidfd]"))
		return;
	nforeign++;
	for (j = 0; j < 8 && seen[j][0]; j++)
		if (!strncmp(seen[j], link, 20))
			return;
	if (j < 8)
		snprintf(seen[j], sizeof(seen[j]), "%.20s", link);
	tap_info("foreign fd %d: %s (step %ld)", fd, link, cur_step);
}

/*
 * Closes every fd above stdio that no slot names: accept4, SCM_RIGHTS,
 * dup and SIOCGSKNS make some that the pool may not keep.
 */
static void sweep(void)
{
	static struct pollfd p[MAXFD];
	static unsigned char keep[MAXFD];
	int i;

	memset(keep, 0, sizeof(keep));
	for (i = 0; i < POOL; i++)
		if (pool[i].fd >= 0 && pool[i].fd < MAXFD)
			keep[pool[i].fd] = 1;
	for (i = 0; i < MAXFD; i++) {
		p[i].fd = i;
		p[i].events = 0;
		p[i].revents = 0;
	}
	if (poll(p + 3, MAXFD - 3, 0) < 0)
		return;
	for (i = 3; i < MAXFD; i++) {
		if (p[i].revents & POLLNVAL)
			continue;
		if (!inherited)
			foreign(i);
		if (!keep[i])
			close(i);
	}
}

/* ---- bookkeeping ---- */

enum call {
	C_SOCKET, C_SOCKETPAIR, C_PIPE, C_BIND, C_CONNECT, C_LISTEN, C_ACCEPT,
	C_GETNAME, C_SETSOCKOPT, C_GETSOCKOPT, C_SEND, C_RECV, C_SENDMSG,
	C_RECVMSG, C_SENDMMSG, C_RECVMMSG, C_IOCTL, C_SHUTDOWN, C_CLOSE,
	C_DUP, C_FCNTL, C_POLL, C_NLSEND, C_UNSHARE, C_PAIRUP, C_MAX
};

static const struct cdef {
	const char *name;
	int weight;
} calls[C_MAX] = {
	[C_SOCKET] = { "socket", 8 },
	[C_SOCKETPAIR] = { "socketpair", 1 },
	[C_PIPE] = { "pipe", 1 },
	[C_BIND] = { "bind", 8 },
	[C_CONNECT] = { "connect", 10 },
	[C_LISTEN] = { "listen", 5 },
	[C_ACCEPT] = { "accept4", 8 },
	[C_GETNAME] = { "getname", 5 },
	[C_SETSOCKOPT] = { "setsockopt", 14 },
	[C_GETSOCKOPT] = { "getsockopt", 10 },
	[C_SEND] = { "send", 8 },
	[C_RECV] = { "recv", 8 },
	[C_SENDMSG] = { "sendmsg", 8 },
	[C_RECVMSG] = { "recvmsg", 8 },
	[C_SENDMMSG] = { "sendmmsg", 3 },
	[C_RECVMMSG] = { "recvmmsg", 3 },
	[C_IOCTL] = { "ioctl", 6 },
	[C_SHUTDOWN] = { "shutdown", 3 },
	[C_CLOSE] = { "close", 4 },
	[C_DUP] = { "dup", 2 },
	[C_FCNTL] = { "fcntl", 2 },
	[C_POLL] = { "poll", 3 },
	[C_NLSEND] = { "nlsend", 10 },
	[C_UNSHARE] = { "unshare", 1 },
	[C_PAIRUP] = { "pairup", 4 },
};

static unsigned enabled = (1u << C_MAX) - 1;
static __thread long ncalls[C_MAX], nok[C_MAX];
static __thread long nerr[256];
static int verbose;
static __thread const char *tag = "";	/* "child ", "thread N " */

static __thread char trace[256];	/* the current call, for the watchdog */
static int nthreads = 1;
static char *traces[MAXT];		/* each thread's trace, for the watchdog */
static volatile long *steps[MAXT];	/* and its step */

/* Records a call's outcome (@ret, errno) and traces it. */
static long done(enum call c, long ret)
{
	int e = errno;

	ncalls[c]++;
	if (ret >= 0)
		nok[c]++;
	else
		nerr[e & 255]++;
	res_hash = (res_hash ^ (uint64_t)(ret < 0 ? -e : ret > 0)) *
		   0x100000001b3ULL;
	if (verbose)
		fprintf(stderr, "%s%ld: %s = %s\n", tag, cur_step, trace,
			tap_outcome(ret, e));
	errno = e;
	return ret;
}

/* Describes the call about to be made (for -v and the watchdog). */
static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(trace, sizeof(trace), fmt, ap);
	va_end(ap);
}

static void put_num(char *b, size_t *n, long v)
{
	char t[24];
	int k = 0;

	if (v < 0) {
		b[(*n)++] = '-';
		v = -v;
	}
	do
		t[k++] = (char)('0' + v % 10);
	while ((v /= 10) && k < 23);
	while (k)
		b[(*n)++] = t[--k];
}

/* A fault in the fuzzer: names the call it was making, then dies of it. */
static void on_fault(int sig, siginfo_t *si, void *uc)
{
	static const char m[] = "Bail out! sockfuzz: fatal signal ";
	char b[512];
	size_t n = 0, l;

	(void)uc;
	memcpy(b, m, sizeof(m) - 1);
	n += sizeof(m) - 1;
	put_num(b, &n, sig);
	memcpy(b + n, " at 0x", 6);
	n += 6;
	for (l = 0; l < 16; l++)
		b[n++] = "0123456789abcdef"[((uintptr_t)si->si_addr >> (60 - 4 * l)) & 15];
	memcpy(b + n, ", step ", 7);
	n += 7;
	put_num(b, &n, cur_step);
	b[n++] = ':';
	b[n++] = ' ';
	l = strnlen(trace, sizeof(trace));
	memcpy(b + n, trace, l);
	n += l;
	b[n++] = '\n';
	if (write(STDERR_FILENO, b, n) < 0)
		_exit(3);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void on_storm(int sig)
{
	(void)sig;
}

static void on_alarm(int sig)
{
	static const char m1[] = "Bail out! sockfuzz: watchdog: call ";
	static const char m2[] = " blocked: ";
	char b[512];
	size_t n = 0, l;

	int t;

	(void)sig;
	for (t = 0; t < MAXT; t++) {
		if (!traces[t])
			continue;
		n = 0;
		memcpy(b, m1, sizeof(m1) - 1);
		n += sizeof(m1) - 1;
		put_num(b, &n, *steps[t]);
		memcpy(b + n, m2, sizeof(m2) - 1);
		n += sizeof(m2) - 1;
		l = strnlen(traces[t], sizeof(trace));
		memcpy(b + n, traces[t], l);
		n += l;
		b[n++] = '\n';
		if (write(STDOUT_FILENO, b, n) < 0 || write(STDERR_FILENO, b, n) < 0)
			_exit(2);
	}
	_exit(2);
}

/* ---- addresses ---- */

static void lo4(struct in_addr *a)
{
	static const uint32_t v[] = {
		0x7f000001, 0x7f000001, 0x7f000001, 0, 0x7f000002, 0x7f0000ff,
		0x7fffffff, 0xffffffff, 0xe0000001,
	};

	a->s_addr = htonl(v[rn(sizeof(v) / sizeof(v[0]))]);
}

static void lo6(struct in6_addr *a)
{
	memset(a, 0, sizeof(*a));
	switch (rn(8)) {
	case 0:	/* :: */
		break;
	case 1:	/* ::ffff:127.0.0.1 */
		a->s6_addr[10] = a->s6_addr[11] = 0xff;
		a->s6_addr[12] = 127;
		a->s6_addr[15] = 1;
		break;
	case 2:	/* fe80::1 */
		a->s6_addr[0] = 0xfe;
		a->s6_addr[1] = 0x80;
		a->s6_addr[15] = 1;
		break;
	case 3:	/* ff02::1 */
		a->s6_addr[0] = 0xff;
		a->s6_addr[1] = 0x02;
		a->s6_addr[15] = 1;
		break;
	default:	/* ::1 */
		a->s6_addr[15] = 1;
		break;
	}
}

static uint16_t rport(void)
{
	if (chance(10))
		return (uint16_t)rn(65536);
	if (chance(15))
		return 0;
	return (uint16_t)(PORT_BASE + rn(NPORTS));
}

/* Fills @ss with an address of family @af; returns its length. */
static socklen_t fill_addr(int af, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (af == AF_INET) {
		struct sockaddr_in *s = (struct sockaddr_in *)ss;

		s->sin_family = AF_INET;
		s->sin_port = htons(rport());
		lo4(&s->sin_addr);
		return sizeof(*s);
	}
	if (af == AF_INET6) {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)ss;

		s->sin6_family = AF_INET6;
		s->sin6_port = htons(rport());
		lo6(&s->sin6_addr);
		if (chance(10))
			s->sin6_scope_id = chance(50) ? rn(4) : (uint32_t)rnd();
		if (chance(5))
			s->sin6_flowinfo = (uint32_t)rnd();
		return sizeof(*s);
	}
	if (af == AF_NETLINK) {
		struct sockaddr_nl *s = (struct sockaddr_nl *)ss;

		s->nl_family = AF_NETLINK;
		s->nl_pid = chance(60) ? 0 : chance(50) ? (uint32_t)getpid() : rval();
		s->nl_groups = chance(60) ? 0 : rval();
		return sizeof(*s);
	}
	if (af == AF_PACKET && packets) {	/* not without -k: seeds keep their calls */
		static const uint16_t protos[] = { ETH_P_ALL, ETH_P_IP, ETH_P_IPV6, ETH_P_ARP, 0 };
		struct sockaddr_ll *s = (struct sockaddr_ll *)ss;

		s->sll_family = AF_PACKET;
		s->sll_ifindex = chance(80) ? (int)rn(4) : (int)rval();
		s->sll_protocol = htons(chance(85) ? protos[rn(5)] : (uint16_t)rnd());
		s->sll_hatype = (uint16_t)(chance(80) ? 1 : rnd());
		s->sll_pkttype = (uint8_t)(chance(80) ? 0 : rn(8));
		s->sll_halen = (uint8_t)(chance(80) ? 6 : rn(chance(50) ? 9 : 256));
		rbytes((char *)s->sll_addr, sizeof(s->sll_addr));
		return chance(85) ? sizeof(*s) : 12 + rn(9);
	}
	ss->ss_family = (sa_family_t)af;
	rbytes((char *)ss + 2, 30);
	return af == AF_UNSPEC ? 16 : 2 + rn(40);
}

/*
 * An address for a socket of family @af in the arena: mostly a good one,
 * sometimes another family's, AF_UNSPEC or junk; its length sometimes a
 * lie, its pointer sometimes bad.
 */
static void *gen_addr(int af, socklen_t *lenp)
{
	static const int other[] = {
		AF_INET, AF_INET6, AF_NETLINK, AF_UNSPEC, AF_UNIX, AF_PACKET,
		AF_INET, AF_INET6, 200,
	};
	struct sockaddr_storage ss;
	socklen_t len;
	void *p;

	if (chance(75))
		len = fill_addr(af, &ss);
	else
		len = fill_addr(other[rn(sizeof(other) / sizeof(other[0]))], &ss);
	p = abuf(len);
	memcpy(p, &ss, len);
	*lenp = maybe_len(len, 15);
	return maybe_bad(p, 0, 5);
}

/* ---- netlink requests ---- */

static int wide;	/* -w: rules, metrics and route gets in nl_tmpl() */

struct nlbuf {
	unsigned char *b;
	size_t len, cap;
};

static void *nl_put(struct nlbuf *n, const void *data, size_t len)
{
	void *p;

	if (n->len + len > n->cap)
		return NULL;
	p = n->b + n->len;
	if (data)
		memcpy(p, data, len);
	else
		rbytes(p, len);
	n->len += len;
	return p;
}

static void nl_align(struct nlbuf *n)
{
	size_t a = NLMSG_ALIGN(n->len);

	if (a <= n->cap) {
		memset(n->b + n->len, 0, a - n->len);
		n->len = a;
	}
}

/* An attribute payload: an integer, an address, a name, bytes or a nest. */
static void nl_attrs(struct nlbuf *n, int depth);

static void nl_attr(struct nlbuf *n, int depth)
{
	static const char *const names[] = {
		"lo", "eth0", "up0", "dummy0", "", "lo0123456789abcdefg",
	};
	size_t at = n->len, plen;
	struct rtattr *rta;
	uint32_t v;

	rta = nl_put(n, "\0\0\0\0", 4);
	if (!rta)
		return;
	rta->rta_type = (unsigned short)(chance(85) ? rn(64) : rnd());
	if (chance(10))
		rta->rta_type |= NLA_F_NESTED;
	switch (rn(depth < 3 ? 8 : 7)) {
	case 0:
		v = rval();
		nl_put(n, &v, 1);
		break;
	case 1:
		v = rval();
		nl_put(n, &v, 2);
		break;
	case 2:
		v = rval();
		nl_put(n, &v, 4);
		break;
	case 3: {
		struct in_addr a;

		lo4(&a);
		nl_put(n, &a, 4);
		break;
	}
	case 4: {
		struct in6_addr a;

		lo6(&a);
		nl_put(n, &a, 16);
		break;
	}
	case 5: {
		const char *s = names[rn(sizeof(names) / sizeof(names[0]))];

		nl_put(n, s, strlen(s) + !chance(10));
		break;
	}
	case 6:
		nl_put(n, NULL, rn(70));
		break;
	default:
		nl_attrs(n, depth + 1);
		break;
	}
	plen = n->len - at;
	rta = (struct rtattr *)(n->b + at);
	rta->rta_len = (unsigned short)(chance(90) ? plen : maybe_len((uint32_t)plen, 100));
	nl_align(n);
}

static void nl_attrs(struct nlbuf *n, int depth)
{
	int i, k = (int)rn(depth ? 4 : 7);

	for (i = 0; i < k; i++)
		nl_attr(n, depth);
}

static const int nl_families[] = {
	AF_UNSPEC, AF_INET, AF_INET6, AF_INET, AF_INET6, AF_UNSPEC,
	AF_BRIDGE, AF_PACKET, AF_MPLS, AF_NETLINK, AF_UNIX, 250,
};

static int nl_family(void)
{
	return nl_families[rn(sizeof(nl_families) / sizeof(nl_families[0]))];
}

/* The family header of rtnetlink message @type. */
static void nl_rtnl_hdr(struct nlbuf *n, int type)
{
	int group = type >= RTM_BASE ? (type - RTM_BASE) / 4 : -1;

	if (chance(5)) {
		nl_put(n, NULL, rn(32));
		return;
	}
	switch (group) {
	case 0: {	/* link */
		struct ifinfomsg m = { 0 };

		m.ifi_family = (unsigned char)nl_family();
		m.ifi_type = (unsigned short)(chance(80) ? 0 : rval());
		m.ifi_index = chance(80) ? (int)rn(5) : (int)rval();
		m.ifi_flags = chance(50) ? 0 : chance(50) ? IFF_UP : rval();
		m.ifi_change = chance(50) ? 0 : rval();
		nl_put(n, &m, sizeof(m));
		break;
	}
	case 1: {	/* addr */
		struct ifaddrmsg m = { 0 };

		m.ifa_family = (unsigned char)nl_family();
		m.ifa_prefixlen = (unsigned char)(chance(80) ? rn(130) : rn(256));
		m.ifa_flags = (unsigned char)(chance(70) ? 0 : rn(256));
		m.ifa_scope = (unsigned char)(chance(70) ? 0 : rn(256));
		m.ifa_index = chance(80) ? rn(5) : rval();
		nl_put(n, &m, sizeof(m));
		break;
	}
	case 2: {	/* route */
		static const unsigned char tables[] = { 0, 254, 255, 253, 1, 100 };
		struct rtmsg m = { 0 };

		m.rtm_family = (unsigned char)nl_family();
		m.rtm_dst_len = (unsigned char)(chance(80) ? rn(130) : rn(256));
		m.rtm_src_len = (unsigned char)(chance(80) ? 0 : rn(256));
		m.rtm_tos = (unsigned char)(chance(80) ? 0 : rn(256));
		m.rtm_table = chance(80) ? tables[rn(sizeof(tables))] : (unsigned char)rn(256);
		m.rtm_protocol = (unsigned char)rn(20);
		m.rtm_scope = (unsigned char)(chance(50) ? 0 : rn(256));
		m.rtm_type = (unsigned char)(chance(80) ? rn(12) : rn(256));
		m.rtm_flags = chance(70) ? 0 : rval();
		nl_put(n, &m, sizeof(m));
		break;
	}
	case 3: {	/* neigh */
		struct ndmsg m = { 0 };

		m.ndm_family = (unsigned char)nl_family();
		m.ndm_ifindex = chance(80) ? (int)rn(5) : (int)rval();
		m.ndm_state = (unsigned short)(chance(50) ? 0 : rval());
		m.ndm_flags = (unsigned char)(chance(70) ? 0 : rn(256));
		m.ndm_type = (unsigned char)rn(12);
		nl_put(n, &m, sizeof(m));
		break;
	}
	default: {
		unsigned char *p = nl_put(n, NULL, 4 * rn(7));

		if (p && n->b + n->len > p)
			*p = (unsigned char)nl_family();
		break;
	}
	}
}

/* A sock_diag request's body: inet_diag_req_v2 and maybe a bytecode. */
static void nl_diag_body(struct nlbuf *n, int type)
{
	static const int protos[] = {
		IPPROTO_TCP, IPPROTO_UDP, IPPROTO_RAW, IPPROTO_ICMP,
		IPPROTO_ICMPV6, IPPROTO_UDPLITE, IPPROTO_SCTP, 0, 255,
	};
	struct inet_diag_req_v2 r = { 0 };
	size_t at;
	int i, k;

	if (type == TCPDIAG_GETSOCK || type == DCCPDIAG_GETSOCK) {
		struct inet_diag_req o = { 0 };

		o.idiag_family = (unsigned char)nl_family();
		o.idiag_ext = (unsigned char)rn(256);
		o.idiag_states = chance(50) ? ~0u : rval();
		nl_put(n, &o, sizeof(o));
		return;
	}
	r.sdiag_family = (unsigned char)nl_family();
	r.sdiag_protocol = (unsigned char)protos[rn(sizeof(protos) / sizeof(protos[0]))];
	r.idiag_ext = (unsigned char)(chance(50) ? 0 : rn(256));
	r.idiag_states = chance(50) ? ~0u : rval();
	if (chance(30)) {
		r.id.idiag_sport = htons(rport());
		r.id.idiag_dport = htons(rport());
		r.id.idiag_src[0] = htonl(0x7f000001);
		r.id.idiag_dst[0] = htonl(0x7f000001);
		r.id.idiag_if = rn(3);
		r.id.idiag_cookie[0] = chance(50) ? INET_DIAG_NOCOOKIE : rval();
		r.id.idiag_cookie[1] = chance(50) ? INET_DIAG_NOCOOKIE : rval();
	}
	nl_put(n, &r, chance(90) ? sizeof(r) : rn(sizeof(r)));
	if (!chance(40))
		return;
	/* INET_DIAG_REQ_BYTECODE: random ops with random jumps */
	at = n->len;
	if (!nl_put(n, "\0\0\0\0", 4))
		return;
	((struct rtattr *)(n->b + at))->rta_type = chance(80) ? INET_DIAG_REQ_BYTECODE : (unsigned short)rn(8);
	k = 1 + (int)rn(6);
	for (i = 0; i < k; i++) {
		struct inet_diag_bc_op op;

		op.code = (unsigned char)(chance(90) ? rn(INET_DIAG_BC_MARK_COND + 2) : rn(256));
		op.yes = (unsigned char)(chance(70) ? 4 * (1 + rn(3)) : rn(256));
		op.no = (unsigned short)(chance(70) ? 4 * (1 + rn(k * 3)) : rnd());
		nl_put(n, &op, sizeof(op));
		if (chance(50)) {
			struct inet_diag_hostcond hc = { 0 };

			hc.family = (unsigned char)nl_family();
			hc.prefix_len = (unsigned char)rn(140);
			hc.port = chance(50) ? -1 : PORT_BASE + (int)rn(NPORTS);
			nl_put(n, &hc, sizeof(hc));
			if (chance(70))
				nl_put(n, "\x7f\0\0\x01", 4);
			else
				nl_put(n, NULL, 4 * rn(5));
		} else if (chance(50)) {
			nl_put(n, NULL, 4 * rn(3));	/* a port or mark operand */
		}
	}
	((struct rtattr *)(n->b + at))->rta_len =
		(unsigned short)maybe_len((uint32_t)(n->len - at), 10);
	nl_align(n);
}

/* An attribute of @len bytes of @data (random if NULL) in @n. */
static void nl_a(struct nlbuf *n, unsigned short type, const void *data, size_t len)
{
	struct rtattr *rta;
	size_t at = n->len;

	if (!(rta = nl_put(n, "\0\0\0\0", 4)))
		return;
	rta->rta_type = type;
	nl_put(n, data, len);
	((struct rtattr *)(n->b + at))->rta_len = (unsigned short)(n->len - at);
	nl_align(n);
}

static void nl_u32(struct nlbuf *n, unsigned short type, uint32_t v)
{
	nl_a(n, type, &v, 4);
}

/* An address of @af (IPv4 or IPv6), a loopback one mostly. */
static void nl_addr(struct nlbuf *n, unsigned short type, int af)
{
	unsigned char a[16];

	if (af == AF_INET6) {
		lo6((struct in6_addr *)a);
		if (chance(30))
			a[15] = (unsigned char)rn(256);
	} else {
		lo4((struct in_addr *)a);
		if (chance(40))
			a[3] = (unsigned char)rn(256);
	}
	nl_a(n, type, a, af == AF_INET6 ? 16 : 4);
}

/* The attribute opening a nest in @n; nl_end() closes it. */
static size_t nl_nest(struct nlbuf *n, unsigned short type)
{
	size_t at = n->len;

	nl_a(n, type | NLA_F_NESTED, NULL, 0);
	return at;
}

static void nl_end(struct nlbuf *n, size_t at)
{
	if (at + 4 <= n->len)
		((struct rtattr *)(n->b + at))->rta_len = (unsigned short)(n->len - at);
}

/* A priority, table or goto target of a rule: mostly ones that exist. */
static uint32_t nl_rule_num(void)
{
	static const uint32_t v[] = {
		0, 1, 100, 101, 200, 253, 254, 255, 256, 1000, 32765, 32766,
		32767, 0xffffffff,
	};

	return chance(85) ? v[rn(sizeof(v) / sizeof(v[0]))] : rval();
}

/* A device name for a rule or a route: lo, the uplink, none, too long. */
static void nl_ifname(struct nlbuf *n, unsigned short type)
{
	static const char *const names[] = {
		"lo", "up0", "eth0", "fz0", "", "lo0123456789abcdefg",
	};
	const char *s = names[rn(sizeof(names) / sizeof(names[0]))];

	nl_a(n, type, s, strlen(s) + !chance(10));
}

/*
 * -w: a routing rule (fib_rule_hdr and FRA_* selectors), mostly well
 * formed: sources and destinations of the family, priorities and tables
 * that exist, marks, device names, gotos, suppress_prefixlength, and now
 * and then a selector rrsandbox refuses.  Returns its type.
 */
static int nl_tmpl_rule(struct nlbuf *n, int af)
{
	static const unsigned short refused[] = {
		FRA_TUN_ID, FRA_SUPPRESS_IFGROUP, FRA_L3MDEV, FRA_UID_RANGE,
		FRA_IP_PROTO, FRA_SPORT_RANGE, FRA_DPORT_RANGE, 25, 26, 27, 28,
		29, 30, 31, 40,
	};
	struct fib_rule_hdr fr = { 0 };
	unsigned int bits = af == AF_INET ? 32 : 128;

	fr.family = (unsigned char)(chance(95) ? af : nl_family());
	fr.src_len = (unsigned char)(chance(60) ? 0 : chance(80) ? rn(bits + 1) : rn(256));
	fr.dst_len = (unsigned char)(chance(70) ? 0 : chance(80) ? rn(bits + 1) : rn(256));
	fr.tos = (unsigned char)(chance(85) ? 0 : chance(50) ? 4 * rn(8) : rn(256));
	fr.table = (unsigned char)(chance(50) ? 0 : nl_rule_num());
	fr.action = (unsigned char)(chance(60) ? FR_ACT_TO_TBL : rn(10));
	fr.flags = chance(80) ? 0 : chance(60) ? FIB_RULE_INVERT : rval();
	nl_put(n, &fr, sizeof(fr));
	if (fr.src_len || chance(5))
		chance(90) ? nl_addr(n, FRA_SRC, af) : nl_addr(n, FRA_SRC, AF_INET6 + AF_INET - af);
	if (fr.dst_len || chance(5))
		chance(90) ? nl_addr(n, FRA_DST, af) : nl_addr(n, FRA_DST, AF_INET6 + AF_INET - af);
	if (chance(60))
		nl_u32(n, FRA_PRIORITY, nl_rule_num());
	if (chance(40))
		nl_u32(n, FRA_TABLE, nl_rule_num());
	if (chance(15))
		nl_u32(n, FRA_FWMARK, chance(50) ? rn(4) : rval());
	if (chance(10))
		nl_u32(n, FRA_FWMASK, chance(50) ? 0xff : rval());
	if (chance(15))
		nl_ifname(n, FRA_IIFNAME);
	if (chance(10))
		nl_ifname(n, FRA_OIFNAME);
	if (fr.action == FR_ACT_GOTO ? chance(90) : chance(5))
		nl_u32(n, FRA_GOTO, nl_rule_num());
	if (chance(10))
		nl_u32(n, FRA_SUPPRESS_PREFIXLEN, chance(50) ? 0xffffffff : rn(130));
	if (chance(10))
		nl_a(n, FRA_PROTOCOL, NULL, chance(90) ? 1 : rn(6));
	if (chance(10))
		nl_u32(n, FRA_FLOW, rval());
	if (chance(5))
		nl_a(n, refused[rn(sizeof(refused) / sizeof(refused[0]))], NULL, rn(13));
	return chance(50) ? RTM_NEWRULE : chance(70) ? RTM_DELRULE : RTM_GETRULE;
}

/*
 * -w: more of a route than nl_tmpl() gives: every metric (RTAX_CC_ALGO by
 * name), realms, an IPv6 preference, an expiry, and for a get the
 * selectors of `ip route get` (a source, a mark, an input device, ports).
 */
static void nl_tmpl_route_more(struct nlbuf *n, int af)
{
	static const char *const cc[] = { "cubic", "reno", "bbr", "", "nosuchcc0123456789" };
	size_t nest;
	int i, k;

	if (chance(40)) {
		nest = nl_nest(n, RTA_METRICS);
		k = 1 + (int)rn(5);
		for (i = 0; i < k; i++) {
			unsigned short t = (unsigned short)(chance(90) ? 1 + rn(RTAX_MAX + 1) : rn(64));

			if (t == RTAX_CC_ALGO && chance(80)) {
				const char *c = cc[rn(sizeof(cc) / sizeof(cc[0]))];

				nl_a(n, t, c, strlen(c) + !chance(10));
			} else if (chance(90)) {
				nl_u32(n, t, chance(50) ? rn(70000) : rval());
			} else {
				nl_a(n, t, NULL, rn(9));
			}
		}
		nl_end(n, nest);
	}
	if (chance(10))
		nl_u32(n, RTA_FLOW, rval());
	if (chance(10))
		nl_a(n, RTA_PREF, NULL, chance(90) ? 1 : rn(5));
	if (chance(10))
		nl_u32(n, RTA_EXPIRES, rval());
	if (chance(15))
		nl_u32(n, RTA_MARK, chance(50) ? rn(4) : rval());
	if (chance(15))
		nl_addr(n, RTA_SRC, af);
	if (chance(10))
		nl_u32(n, RTA_IIF, rn(4));
	if (chance(5))
		nl_u32(n, RTA_UID, rval());
	if (chance(5))
		nl_a(n, RTA_IP_PROTO, NULL, 1);
	if (chance(5))
		nl_a(n, RTA_SPORT, NULL, 2);
	if (chance(5))
		nl_a(n, RTA_DPORT, NULL, 2);
}

/*
 * A well-formed request that changes something (or asks): links up and
 * down, MTUs, names, new links of a kind; addresses, routes and
 * neighbours added and deleted, mostly on lo and loopback addresses;
 * with -w also rules, and routes with every metric.
 * Returns its type; the header is in @n, the attributes after it.
 */
static int nl_tmpl(struct nlbuf *n)
{
	static const char *const link_kinds[] = {
		"dummy", "veth", "bridge", "vlan", "ipip", "gre", "", "up0",
	};
	static const uint32_t mtus[] = {
		0, 1, 67, 68, 575, 1279, 1280, 1500, 9000, 65535, 65536,
		0xffffffff,
	};
	int af = chance(50) ? AF_INET : AF_INET6, ifi = chance(80) ? 1 : (int)rn(5);
	size_t nest, nest2;

	switch (rn(wide ? 8 : 6)) {
	case 0: {	/* a link changed or made */
		struct ifinfomsg m = { 0 };
		int mk = chance(25);

		m.ifi_family = AF_UNSPEC;
		m.ifi_index = mk ? 0 : ifi;
		m.ifi_flags = chance(50) ? IFF_UP : 0;
		m.ifi_change = chance(70) ? IFF_UP : 0;
		nl_put(n, &m, sizeof(m));
		if (chance(40))
			nl_u32(n, IFLA_MTU, mtus[rn(sizeof(mtus) / sizeof(mtus[0]))]);
		if (mk || chance(10))
			nl_a(n, IFLA_IFNAME, chance(50) ? "fz0" : "lo", 4);
		if (chance(10))
			nl_u32(n, IFLA_TXQLEN, rval());
		if (chance(10))
			nl_a(n, IFLA_ADDRESS, NULL, chance(80) ? 6 : rn(20));
		if (mk || chance(10)) {
			const char *k = link_kinds[rn(sizeof(link_kinds) / sizeof(link_kinds[0]))];

			nest = nl_nest(n, IFLA_LINKINFO);
			nl_a(n, IFLA_INFO_KIND, k, strlen(k) + 1);
			if (chance(40)) {
				nest2 = nl_nest(n, IFLA_INFO_DATA);
				if (chance(50)) {	/* veth's peer */
					struct ifinfomsg pm = { 0 };
					size_t p = nl_nest(n, 1);

					nl_put(n, &pm, sizeof(pm));
					nl_a(n, IFLA_IFNAME, "fz1", 4);
					nl_end(n, p);
				} else {
					nl_u32(n, (unsigned short)rn(8), rval());
				}
				nl_end(n, nest2);
			}
			nl_end(n, nest);
		}
		return mk ? RTM_NEWLINK : chance(90) ? RTM_NEWLINK :
		       chance(50) ? RTM_DELLINK : RTM_SETLINK;
	}
	case 1:
	case 2: {	/* an address */
		struct ifaddrmsg m = { 0 };

		m.ifa_family = (unsigned char)af;
		m.ifa_prefixlen = (unsigned char)(chance(70) ? (af == AF_INET ? 8 : 128) : rn(af == AF_INET ? 40 : 140));
		m.ifa_index = (uint32_t)ifi;
		m.ifa_scope = (unsigned char)(chance(80) ? 0 : RT_SCOPE_HOST);
		nl_put(n, &m, sizeof(m));
		nl_addr(n, IFA_LOCAL, af);
		if (chance(60))
			nl_addr(n, IFA_ADDRESS, af);
		if (chance(15))
			nl_addr(n, IFA_BROADCAST, af);
		if (chance(15))
			nl_a(n, IFA_LABEL, "lo:fz", 6);
		if (chance(15))
			nl_u32(n, IFA_FLAGS, rval());
		if (chance(10)) {
			struct ifa_cacheinfo ci = { rval(), rval(), 0, 0 };

			nl_a(n, IFA_CACHEINFO, &ci, sizeof(ci));
		}
		return chance(50) ? RTM_NEWADDR : RTM_DELADDR;
	}
	case 3:
	case 4: {	/* a route */
		struct rtmsg m = { 0 };

		m.rtm_family = (unsigned char)af;
		m.rtm_dst_len = (unsigned char)(chance(50) ? 0 : chance(50) ? (af == AF_INET ? 32 : 128) : rn(af == AF_INET ? 40 : 140));
		m.rtm_table = chance(80) ? RT_TABLE_MAIN : (unsigned char)rn(256);
		m.rtm_protocol = RTPROT_STATIC;
		m.rtm_scope = chance(60) ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
		m.rtm_type = chance(80) ? RTN_UNICAST : (unsigned char)rn(12);
		nl_put(n, &m, sizeof(m));
		if (m.rtm_dst_len || chance(20))
			nl_addr(n, RTA_DST, af);
		if (chance(60))
			nl_u32(n, RTA_OIF, (uint32_t)ifi);
		if (chance(30))
			nl_addr(n, RTA_GATEWAY, af);
		if (chance(20))
			nl_addr(n, RTA_PREFSRC, af);
		if (chance(20))
			nl_u32(n, RTA_PRIORITY, rval());
		if (chance(15))
			nl_u32(n, RTA_TABLE, chance(50) ? RT_TABLE_MAIN : rval());
		if (chance(15)) {
			nest = nl_nest(n, RTA_METRICS);
			nl_u32(n, chance(50) ? RTAX_MTU : (unsigned short)rn(20),
			       mtus[rn(sizeof(mtus) / sizeof(mtus[0]))]);
			nl_end(n, nest);
		}
		if (chance(10)) {	/* multipath: one or two hops */
			struct rtnexthop nh = { 0 };
			size_t h;
			int i, k = 1 + (int)rn(2);

			nest = n->len;
			nl_a(n, RTA_MULTIPATH, NULL, 0);
			for (i = 0; i < k; i++) {
				h = n->len;
				nh.rtnh_ifindex = ifi;
				nh.rtnh_hops = (unsigned char)rn(4);
				if (!nl_put(n, &nh, sizeof(nh)))
					break;
				if (chance(60))
					nl_addr(n, RTA_GATEWAY, af);
				((struct rtnexthop *)(n->b + h))->rtnh_len =
					(unsigned short)(chance(90) ? n->len - h : rn(40));
			}
			nl_end(n, nest);
		}
		if (wide)
			nl_tmpl_route_more(n, af);
		return chance(55) ? RTM_NEWROUTE : chance(70) ? RTM_DELROUTE : RTM_GETROUTE;
	}
	case 6:
	case 7:		/* -w: a rule */
		return nl_tmpl_rule(n, af);
	default: {	/* a neighbour */
		struct ndmsg m = { 0 };
		/* up to 19 bytes are sent: not read past the buffer */
		unsigned char ll[20] = { 2, 0, 0, 0, 0, (unsigned char)rn(256) };

		m.ndm_family = (unsigned char)af;
		m.ndm_ifindex = ifi;
		m.ndm_state = chance(70) ? NUD_PERMANENT : (unsigned short)rn(256);
		nl_put(n, &m, sizeof(m));
		nl_addr(n, NDA_DST, af);
		if (chance(80))
			nl_a(n, NDA_LLADDR, ll, chance(90) ? 6 : rn(20));
		return chance(60) ? RTM_NEWNEIGH : chance(60) ? RTM_DELNEIGH : RTM_GETNEIGH;
	}
	}
}

/*
 * Netlink messages for a socket of protocol @diag ? NETLINK_SOCK_DIAG :
 * NETLINK_ROUTE, one to three, in @b (@cap bytes); returns the length.
 */
static size_t nl_build(unsigned char *b, size_t cap, int diag)
{
	static const uint16_t rflags[] = {
		NLM_F_REQUEST, NLM_F_REQUEST | NLM_F_ACK,
		NLM_F_REQUEST | NLM_F_DUMP, NLM_F_REQUEST | NLM_F_DUMP | NLM_F_ACK,
		NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL,
		NLM_F_REQUEST | NLM_F_CREATE | NLM_F_REPLACE | NLM_F_ACK,
		NLM_F_REQUEST | NLM_F_ECHO, NLM_F_REQUEST | NLM_F_APPEND,
		0,
	};
	struct nlbuf n = { b, 0, cap };
	int i, k = chance(80) ? 1 : 2 + (int)rn(2);
	struct nlmsghdr *h;
	size_t at;
	int type;

	for (i = 0; i < k; i++) {
		at = n.len;
		h = nl_put(&n, NULL, sizeof(*h));
		if (!h)
			break;
		if (diag)
			type = chance(80) ? SOCK_DIAG_BY_FAMILY :
			       chance(50) ? (int)rn(32) : TCPDIAG_GETSOCK;
		else if (chance(85))
			type = RTM_BASE + (int)rn(RTM_GETNEXTHOP - RTM_BASE + 1);
		else
			type = chance(50) ? (int)rn(RTM_BASE) : (int)(uint16_t)rnd();
		h->nlmsg_type = (uint16_t)type;
		h->nlmsg_flags = chance(90) ? rflags[rn(sizeof(rflags) / sizeof(rflags[0]))] :
				 (uint16_t)rnd();
		h->nlmsg_seq = (uint32_t)rnd();
		h->nlmsg_pid = chance(90) ? 0 : rval();
		if (diag) {
			nl_diag_body(&n, type);
			nl_attrs(&n, 0);
		} else if (chance(45)) {
			type = nl_tmpl(&n);
			h = (struct nlmsghdr *)(b + at);
			h->nlmsg_type = (uint16_t)type;
			if (chance(80))
				h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK |
					(type % 4 == 2 ? (chance(50) ? NLM_F_DUMP : 0) :
					 (chance(70) ? NLM_F_CREATE : 0) |
					 (chance(20) ? NLM_F_EXCL : 0) |
					 (chance(20) ? NLM_F_REPLACE : 0));
			if (chance(30))
				nl_attrs(&n, 0);
		} else {
			nl_rtnl_hdr(&n, type);
			nl_attrs(&n, 0);
		}
		h = (struct nlmsghdr *)(b + at);
		h->nlmsg_len = chance(88) ? (uint32_t)(n.len - at) :
			       maybe_len((uint32_t)(n.len - at), 100);
		nl_align(&n);
	}
	/* a few flipped bytes */
	if (n.len && chance(15)) {
		k = 1 + (int)rn(4);
		for (i = 0; i < k; i++)
			b[rn((uint32_t)n.len)] ^= (unsigned char)(1 + rn(255));
	}
	return n.len;
}

/* ---- options ---- */

static const int levels[] = {
	SOL_SOCKET, IPPROTO_IP, IPPROTO_IPV6, IPPROTO_TCP, IPPROTO_UDP,
	SOL_NETLINK, IPPROTO_ICMPV6, SOL_RAW, IPPROTO_ICMP,
};

static int pick_level(void)
{
	if (packets && chance(20))
		return SOL_PACKET;
	if (chance(5))
		return chance(50) ? (int)rn(300) : (int)rval();
	return levels[rn(sizeof(levels) / sizeof(levels[0]))];
}

static int pick_optname(void)
{
	static const int far[] = {
		MCAST_JOIN_GROUP, MCAST_MSFILTER, TCP_MD5SIG, TCP_MD5SIG_EXT,
		TCP_ULP, TCP_ZEROCOPY_RECEIVE, TCP_REPAIR_WINDOW, UDP_SEGMENT,
		UDP_GRO, 200, 201, 202, 1000, -1, INT_MAX,
	};

	if (chance(8))
		return far[rn(sizeof(far) / sizeof(far[0]))];
	return (int)rn(81);
}

/* A group (224.0.0.x or ff02::x mostly) or any address of @family. */
static void fill_group(int family, struct sockaddr_storage *ss)
{
	fill_addr(family, ss);
	if (chance(70) && family == AF_INET)
		((struct sockaddr_in *)ss)->sin_addr.s_addr =
			htonl(0xe0000000u | (uint32_t)rn(300));
	else if (chance(70) && family == AF_INET6)
		memcpy(&((struct sockaddr_in6 *)ss)->sin6_addr,
		       "\xff\x02\0\0\0\0\0\0\0\0\0\0\0\0\0\x05", 16);
}

/* A source filter option's value in @p (@cap bytes), its length often
 * off by a little, its count of sources often not what follows. */
static uint32_t fill_srcfilter(unsigned char *p, size_t cap)
{
	struct sockaddr_storage g, src;
	int fam = chance(50) ? AF_INET6 : AF_INET;
	uint32_t n, i, len;

	if (cap < GROUP_FILTER_SIZE(66))
		return 0;
	fill_group(fam, &g);
	fill_addr(chance(90) ? fam : AF_INET + AF_INET6 - fam, &src);
	memset(p, 0, cap);
	switch (rn(4)) {
	case 0: {
		struct ip_mreq_source m;

		m.imr_multiaddr = ((struct sockaddr_in *)&g)->sin_addr;
		lo4(&m.imr_interface);
		m.imr_sourceaddr = ((struct sockaddr_in *)&src)->sin_addr;
		memcpy(p, &m, sizeof(m));
		len = sizeof(m);
		break;
	}
	case 1: {
		struct group_source_req r;

		memset(&r, 0, sizeof(r));
		r.gsr_interface = rn(4);
		r.gsr_group = g;
		r.gsr_source = src;
		memcpy(p, &r, sizeof(r));
		len = sizeof(r);
		break;
	}
	case 2: {
		struct ip_msfilter m;

		n = chance(80) ? rn(12) : rval();
		m.imsf_multiaddr = ((struct sockaddr_in *)&g)->sin_addr;
		lo4(&m.imsf_interface);
		m.imsf_fmode = chance(90) ? rn(2) : rval();
		m.imsf_numsrc = n;
		memcpy(p, &m, IP_MSFILTER_SIZE(0));
		for (i = 0; i < 12; i++) {
			struct in_addr a;

			lo4(&a);
			memcpy(p + IP_MSFILTER_SIZE(i), &a, sizeof(a));
		}
		len = IP_MSFILTER_SIZE(n < 12 ? n : 12);
		break;
	}
	default: {
		struct group_filter f;

		n = chance(80) ? rn(66) : rval();
		memset(&f, 0, sizeof(f));
		f.gf_interface = rn(4);
		f.gf_group = g;
		f.gf_fmode = chance(90) ? rn(2) : rval();
		f.gf_numsrc = n;
		memcpy(p, &f, GROUP_FILTER_SIZE(0));
		for (i = 0; i < 66; i++) {
			fill_addr(fam, &src);
			memcpy(p + GROUP_FILTER_SIZE(i), &src, sizeof(src));
		}
		len = GROUP_FILTER_SIZE(n < 66 ? n : 66);
		break;
	}
	}
	if (chance(20))
		len += (uint32_t)rn(9) - 4;
	return len < cap ? len : (uint32_t)cap;
}

/* An option value in @p (@cap bytes): ints, structures or bytes. */
static uint32_t fill_optval(unsigned char *p, size_t cap)
{
	uint32_t v;

	switch (rn(7)) {
	case 0:
	case 1:
		v = rval();
		memcpy(p, &v, 4);
		return 4;
	case 2: {	/* ip_mreqn / group_req-like: ifindex and an address */
		struct ip_mreqn m = { 0 };

		lo4(&m.imr_multiaddr);
		lo4(&m.imr_address);
		m.imr_ifindex = (int)rn(4);
		memcpy(p, &m, sizeof(m));
		return chance(50) ? sizeof(m) : 8;
	}
	case 3: {	/* group_req, ipv6_mreq */
		struct group_req g = { 0 };
		struct sockaddr_storage ss;

		g.gr_interface = rn(4);
		fill_addr(chance(50) ? AF_INET6 : AF_INET, &ss);
		memcpy(&g.gr_group, &ss, sizeof(ss));
		if (chance(50)) {
			struct ipv6_mreq m6;

			lo6(&m6.ipv6mr_multiaddr);
			m6.ipv6mr_interface = rn(4);
			memcpy(p, &m6, sizeof(m6));
			return sizeof(m6);
		}
		memcpy(p, &g, sizeof(g));
		return sizeof(g);
	}
	case 4: {	/* tcp_md5sig */
		struct tcp_md5sig m = { 0 };
		struct sockaddr_storage ss;

		fill_addr(chance(50) ? AF_INET6 : AF_INET, &ss);
		memcpy(&m.tcpm_addr, &ss, sizeof(ss));
		m.tcpm_flags = (uint8_t)rn(4);
		m.tcpm_prefixlen = (uint8_t)rn(130);
		m.tcpm_keylen = (uint16_t)(chance(80) ? rn(81) : rnd());
		if (chance(30))	/* tcpm_ifindex of newer headers */
			m.__tcpm_pad = rn(3);
		rbytes(m.tcpm_key, sizeof(m.tcpm_key));
		memcpy(p, &m, sizeof(m));
		return sizeof(m);
	}
	case 5:		/* source filters: ip_mreq_source, group_source_req,
			 * ip_msfilter, group_filter, with a group */
		return fill_srcfilter(p, cap);
	default:
		v = rn(65);
		rbytes(p, v < cap ? v : cap);
		return v;
	}
}

/* ---- control messages ---- */

static const int cmsg_types[][2] = {
	{ SOL_SOCKET, SCM_RIGHTS }, { SOL_SOCKET, SCM_RIGHTS },
	{ SOL_SOCKET, SCM_CREDENTIALS }, { SOL_SOCKET, SO_MARK },
	{ SOL_SOCKET, SO_TIMESTAMPING }, { SOL_SOCKET, SCM_TXTIME },
	{ SOL_SOCKET, SO_PRIORITY },
	{ IPPROTO_IP, IP_PKTINFO }, { IPPROTO_IP, IP_TTL }, { IPPROTO_IP, IP_TOS },
	{ IPPROTO_IP, IP_RETOPTS }, { IPPROTO_IP, IP_RECVERR },
	{ IPPROTO_IP, IP_ORIGDSTADDR },
	{ IPPROTO_IPV6, IPV6_PKTINFO }, { IPPROTO_IPV6, IPV6_HOPLIMIT },
	{ IPPROTO_IPV6, IPV6_TCLASS }, { IPPROTO_IPV6, IPV6_DSTOPTS },
	{ IPPROTO_IPV6, IPV6_RTHDR }, { IPPROTO_IPV6, IPV6_HOPOPTS },
	{ IPPROTO_IPV6, IPV6_2292PKTINFO }, { IPPROTO_IPV6, IPV6_DONTFRAG },
	{ IPPROTO_IPV6, IPV6_NEXTHOP }, { IPPROTO_IPV6, 11 /* IPV6_FLOWINFO */ },
	{ IPPROTO_UDP, UDP_SEGMENT }, { IPPROTO_TCP, 0 },
};

/* Control messages in @p (@cap bytes); returns their length. */
static size_t fill_cmsgs(unsigned char *p, size_t cap)
{
	size_t len = 0, dlen, i;
	int k = 1 + (int)rn(3), j;

	for (j = 0; j < k; j++) {
		struct cmsghdr *c = (struct cmsghdr *)(p + len);
		unsigned char *d = CMSG_DATA(c);
		int t = (int)rn(sizeof(cmsg_types) / sizeof(cmsg_types[0]));

		if (len + CMSG_SPACE(64) > cap)
			break;
		c->cmsg_level = chance(90) ? cmsg_types[t][0] : pick_level();
		c->cmsg_type = chance(90) ? cmsg_types[t][1] : (int)rn(81);
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			int n = 1 + (int)rn(4), fd;

			for (i = 0; i < (size_t)n; i++) {
				fd = chance(85) ? pool[pick_slot()].fd : (int)rval();
				memcpy(d + 4 * i, &fd, 4);
			}
			dlen = 4 * (size_t)n;
		} else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
			struct ucred u = { getpid(), getuid(), getgid() };

			if (chance(30))
				u.pid = (pid_t)rval();
			memcpy(d, &u, sizeof(u));
			dlen = sizeof(u);
		} else if (c->cmsg_type == IP_PKTINFO && c->cmsg_level == IPPROTO_IP) {
			struct in_pktinfo pi = { 0 };

			pi.ipi_ifindex = (int)rn(4);
			lo4(&pi.ipi_spec_dst);
			lo4(&pi.ipi_addr);
			memcpy(d, &pi, sizeof(pi));
			dlen = sizeof(pi);
		} else if (c->cmsg_level == IPPROTO_IPV6 &&
			   (c->cmsg_type == IPV6_PKTINFO || c->cmsg_type == IPV6_2292PKTINFO)) {
			struct in6_pktinfo pi;

			lo6(&pi.ipi6_addr);
			pi.ipi6_ifindex = rn(4);
			memcpy(d, &pi, sizeof(pi));
			dlen = sizeof(pi);
		} else if (chance(60)) {
			uint32_t v = rval();

			memcpy(d, &v, 4);
			dlen = chance(80) ? 4 : 1;
		} else {
			dlen = rn(41);
			rbytes(d, dlen);
		}
		c->cmsg_len = chance(85) ? CMSG_LEN(dlen) : (size_t)maybe_len((uint32_t)CMSG_LEN(dlen), 100);
		if (chance(3))
			c->cmsg_len = (size_t)-1 - rn(16);
		len += CMSG_SPACE(dlen);
	}
	return len;
}

/* ---- message headers ---- */

static int send_flags(void)
{
	static const int f[] = {
		MSG_OOB, MSG_DONTROUTE, MSG_EOR, MSG_MORE, MSG_NOSIGNAL,
		MSG_CONFIRM, MSG_FASTOPEN, MSG_ZEROCOPY, 0x10 /* MSG_PROBE */, MSG_TRUNC,
		MSG_PEEK, MSG_BATCH,
	};
	int fl = MSG_DONTWAIT, i;

	if (chance(5))
		return (int)rnd() | MSG_DONTWAIT;
	for (i = 0; i < (int)(sizeof(f) / sizeof(f[0])); i++)
		if (chance(6))
			fl |= f[i];
	return fl;
}

static int recv_flags(void)
{
	static const int f[] = {
		MSG_PEEK, MSG_TRUNC, MSG_ERRQUEUE, MSG_WAITALL, MSG_OOB,
		MSG_CMSG_CLOEXEC, MSG_CTRUNC, MSG_WAITFORONE,
	};
	int fl = MSG_DONTWAIT, i;

	if (chance(5))
		return (int)rnd() | MSG_DONTWAIT;
	for (i = 0; i < (int)(sizeof(f) / sizeof(f[0])); i++)
		if (chance(10))
			fl |= f[i];
	return fl;
}

/* Data to send in the arena: netlink requests for a netlink slot. */
static void *gen_data(int slot, size_t *lenp)
{
	enum kind k = slot >= 0 ? pool[slot].kind : K_NONE;
	size_t n;
	void *p;

	if ((k == K_NLROUTE || k == K_NLDIAG || chance(3)) && chance(80)) {
		unsigned char tmp[8192];

		n = nl_build(tmp, sizeof(tmp), k == K_NLDIAG);
		p = abuf(n);
		memcpy(p, tmp, n);
		*lenp = n;
		return p;
	}
	switch (rn(6)) {
	case 0:
		n = 0;
		break;
	case 1:
		n = 1 + rn(64 * 1024 - 1);
		break;
	default:
		n = 1 + rn(1500);
		break;
	}
	p = abuf(n);
	if (k == K_PING4 || k == K_RAW4 || k == K_PING6 || k == K_RAW6) {
		unsigned char *b = p;

		if (n >= 8 && chance(70)) {	/* an echo request mostly */
			b[0] = (k == K_PING6 || k == K_RAW6) ? ICMP6_ECHO_REQUEST : ICMP_ECHO;
			if (chance(20))
				b[0] = (unsigned char)rn(256);
		}
	} else if (n) {
		memset(p, (int)rn(256), n < 64 ? n : 64);
	}
	*lenp = n;
	return p;
}

/* An iovec array in the arena describing @data, @n bytes. */
static struct iovec *gen_iov(void *data, size_t n, int out, size_t *cnt)
{
	struct iovec *iov;
	size_t k, i, off = 0;

	if (chance(3)) {
		*cnt = chance(50) ? 1025 : (size_t)rval();
		return maybe_bad(abuf(sizeof(*iov) * 4), out, 50);
	}
	k = chance(60) ? 1 : rn(5);
	iov = abuf(sizeof(*iov) * (k ? k : 1));
	for (i = 0; i < k; i++) {
		size_t part = i + 1 == k ? n - off : rn((uint32_t)(n - off + 1));

		iov[i].iov_base = (char *)data + off;
		iov[i].iov_len = part;
		off += part;
		if (chance(5))
			iov[i].iov_base = bad_ptr(out);
		if (chance(5))
			iov[i].iov_len = maybe_len((uint32_t)part, 100);
		if (chance(1))
			iov[i].iov_len = (size_t)-1;
	}
	*cnt = k;
	return maybe_bad(iov, 0, 3);
}

/* A msghdr for sendmsg() (@send) or recvmsg() into *m. */
static void gen_msghdr(struct msghdr *m, int slot, int af, int send)
{
	size_t n, cnt;
	void *data;
	socklen_t alen;

	memset(m, 0, sizeof(*m));
	if (send) {
		if (chance(50)) {
			m->msg_name = gen_addr(af, &alen);
			m->msg_namelen = alen;
		}
		data = gen_data(slot, &n);
	} else {
		if (chance(60)) {
			n = chance(50) ? sizeof(struct sockaddr_in6) : rn(140);
			m->msg_name = maybe_bad(abuf(n), 1, 5);
			m->msg_namelen = maybe_len((uint32_t)n, 15);
		}
		n = chance(20) ? 64 * 1024 : rn(4000);
		data = abuf(n);
	}
	m->msg_iov = gen_iov(data, n, !send, &cnt);
	m->msg_iovlen = cnt;
	if (chance(send ? 30 : 50)) {
		size_t cap = chance(50) ? 512 : rn(80), len;
		unsigned char *c = abuf(cap);

		len = send ? fill_cmsgs(c, cap) : cap;
		m->msg_control = maybe_bad(c, !send, 5);
		m->msg_controllen = chance(85) ? len : maybe_len((uint32_t)len, 100);
	}
	m->msg_flags = chance(80) ? 0 : (int)rnd();
}

/* ---- the calls ---- */

static const enum kind sock_kinds[] = {
	K_TCP4, K_TCP6, K_UDP4, K_UDP6, K_RAW4, K_RAW6, K_PING4, K_PING6,
	K_NLROUTE, K_NLDIAG, K_TCP4, K_TCP6, K_UDP4, K_UDP6, K_NLROUTE,
};

static void do_socket(void)
{
	int i = pick_slot(), fd, af, type, proto, r = (int)rn(100);
	enum kind k = sock_kinds[rn(sizeof(sock_kinds) / sizeof(sock_kinds[0]))];

	if (packets && chance(20))
		k = chance(50) ? K_PKRAW : K_PKDGRAM;
	af = kinds[k].af;
	type = kinds[k].type | SOCK_NONBLOCK | (chance(50) ? SOCK_CLOEXEC : 0);
	proto = kinds[k].proto;
	if (af == AF_PACKET) {
		/* its EtherType, another, or none (0: nothing until bind()) */
		proto = htons(r < 80 ? (uint16_t)proto : r < 90 ? 0 : (uint16_t)rnd());
	} else if (r < 8) {	/* junk: whatever it makes is closed at once */
		af = chance(50) ? (int)rn(46) : (int)rval();
		type = (chance(50) ? (int)rn(12) : (int)rval()) | SOCK_NONBLOCK;
		proto = chance(50) ? (int)rn(300) : (int)rval();
		k = K_OTHER;
	} else if (r < 14) {	/* a protocol of the family, or another */
		proto = chance(50) ? (int)rn(256) : IPPROTO_UDP;
		k = kinds[k].type == SOCK_RAW ? (af == AF_INET ? K_RAW4 : K_RAW6) : K_OTHER;
	}
	note("socket(%d, %#x, %d) [%s] slot %d", af, type, proto, kinds[k].name, i);
	fd = (int)done(C_SOCKET, socket(af, type, proto));
	if (fd < 0)
		return;
	if (k == K_OTHER && (af != AF_INET && af != AF_INET6 && af != AF_NETLINK)) {
		close(fd);
		return;
	}
	if (k == K_OTHER)
		k = af == AF_INET6 ? K_UDP6 : af == AF_INET ? K_UDP4 : K_NLROUTE;
	slot_set(i, fd, k);
}

static void do_socketpair(void)
{
	int i = pick_slot(), j = pick_slot(), sv[2];

	note("socketpair(AF_UNIX, SOCK_DGRAM) slots %d %d", i, j);
	if (done(C_SOCKETPAIR, socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, sv)) < 0)
		return;
	slot_set(i, sv[0], K_UNIX);
	if (i == j)
		close(sv[1]);
	else
		slot_set(j, sv[1], K_UNIX);
}

static void do_pipe(void)
{
	int i = pick_slot(), p[2];

	int end = (int)rn(2);

	note("pipe2 slot %d, %s end", i, end ? "write" : "read");
	if (done(C_PIPE, pipe2(p, O_NONBLOCK)) < 0)
		return;
	close(p[!end]);	/* a lone write end's writes fail with EPIPE */
	slot_set(i, p[end], K_PIPE);
}

static void do_bind(void)
{
	int slot, fd = pick_fd_io(&slot, 1);
	socklen_t len;
	void *a = gen_addr(slot >= 0 ? slot_af(slot) : AF_INET, &len);

	note("bind(%d, %p, %u)", fd, a, len);
	done(C_BIND, bind(fd, a, len));
}

static void do_connect(void)
{
	int slot, fd = pick_fd(&slot);
	socklen_t len;
	void *a = gen_addr(slot >= 0 ? slot_af(slot) : AF_INET, &len);

	note("connect(%d, %p, %u)", fd, a, len);
	done(C_CONNECT, connect(fd, a, len));
}

static void do_listen(void)
{
	int slot, fd = pick_fd_io(&slot, 1), bl = chance(80) ? (int)rn(10) : (int)rval();

	note("listen(%d, %d)", fd, bl);
	done(C_LISTEN, listen(fd, bl));
}

static void do_accept(void)
{
	int slot, fd = pick_fd_io(&slot, 1), dst = pick_slot(), nfd;
	int flags = SOCK_NONBLOCK | (chance(50) ? SOCK_CLOEXEC : 0);
	socklen_t *lp = NULL;
	void *a = NULL;
	size_t n;

	if (chance(10))
		flags |= (int)rval() & ~O_NONBLOCK & ~O_ACCMODE;
	if (chance(70)) {
		n = chance(70) ? sizeof(struct sockaddr_in6) : rn(140);
		a = maybe_bad(abuf(n), 1, 8);
		lp = abuf(sizeof(*lp));
		*lp = maybe_len((uint32_t)n, 15);
		lp = maybe_bad(lp, 1, 5);
	}
	note("accept4(%d, %p, %p, %#x) slot %d", fd, a, (void *)lp, flags, dst);
	nfd = (int)done(C_ACCEPT, accept4(fd, a, lp, flags));
	if (nfd < 0)
		return;
	if (nfd <= 2) {	/* cannot happen: stdio is open */
		return;
	}
	if (chance(20))
		close(nfd);
	else
		slot_set(dst, nfd, slot >= 0 && pool[slot].kind == K_TCP6 ? K_TCP6 : K_TCP4);
}

static void do_getname(void)
{
	int slot, fd = pick_fd_io(&slot, 1), peer = chance(50);
	size_t n = chance(70) ? sizeof(struct sockaddr_in6) : rn(140);
	void *a = maybe_bad(abuf(n), 1, 8);
	socklen_t *lp = abuf(sizeof(*lp));

	*lp = maybe_len((uint32_t)n, 20);
	lp = maybe_bad(lp, 1, 5);
	note("%s(%d, %p, %p)", peer ? "getpeername" : "getsockname", fd, a, (void *)lp);
	if (peer)
		done(C_GETNAME, getpeername(fd, a, lp));
	else
		done(C_GETNAME, getsockname(fd, a, lp));
}

static void do_setsockopt(void)
{
	int slot, fd = pick_fd(&slot), level = pick_level(), opt = pick_optname();
	static unsigned char tmp[GROUP_FILTER_SIZE(66)];	/* the longest */
	unsigned char *p;
	uint32_t n = fill_optval(tmp, sizeof(tmp)), len;
	void *v;

	/* never a lingering close: natively that would block */
	if (level == SOL_SOCKET && opt == SO_LINGER && n >= 8)
		memset(tmp + 4, 0, 4);
	p = abuf(n);
	memcpy(p, tmp, n);
	len = maybe_len(n, 20);
	v = maybe_bad(p, 0, 5);
	note("setsockopt(%d, %d, %d, %p, %u)", fd, level, opt, v, len);
	done(C_SETSOCKOPT, setsockopt(fd, level, opt, v, len));
}

static void do_getsockopt(void)
{
	int slot, fd = pick_fd_io(&slot, 1), level = pick_level(), opt = pick_optname();
	size_t n = chance(60) ? 4 : rn(300);
	void *v = maybe_bad(abuf(n), 1, 8);
	socklen_t *lp = abuf(sizeof(*lp));

	*lp = maybe_len((uint32_t)n, 20);
	lp = maybe_bad(lp, 1, 5);
	note("getsockopt(%d, %d, %d, %p, %p)", fd, level, opt, v, (void *)lp);
	done(C_GETSOCKOPT, getsockopt(fd, level, opt, v, lp));
}

/*
 * Whether a read()/write() on @fd could block: every fd the fuzzer makes
 * is O_NONBLOCK, so one without it is an anomaly, told once (with what
 * the fd is) and skipped.
 */
static int would_block(int fd, int slot)
{
	int fl = fcntl(fd, F_GETFL), dom = -1, type = -1, proto = -1;
	char path[64], link[128] = "?";
	socklen_t l = sizeof(int);
	ssize_t k;

	if (fl >= 0 && !(fl & O_NONBLOCK)) {
		static int said;

		if (!said++) {
			getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &dom, &l);
			l = sizeof(int);
			getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &l);
			l = sizeof(int);
			getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &l);
			snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
			if ((k = readlink(path, link, sizeof(link) - 1)) >= 0)
				link[k] = 0;
			tap_info("%sfd %d lost O_NONBLOCK (step %ld, slot %d, %s; flags %#x, domain %d type %d protocol %d, %s)",
				 tag, fd, cur_step, slot,
				 slot >= 0 ? kinds[pool[slot].kind].name : "-",
				 fl, dom, type, proto, link);
		}
		return 1;
	}
	return 0;
}

static void do_send(void)
{
	int slot, fd = pick_fd(&slot), fl = send_flags(), how = (int)rn(4);
	size_t n;
	void *d = gen_data(slot, &n), *a = NULL;
	socklen_t alen = 0;

	d = maybe_bad(d, 0, 5);
	if (how == 1)
		a = gen_addr(slot >= 0 ? slot_af(slot) : AF_INET, &alen);
	if (how == 2 && chance(50))
		alen = maybe_len(0, 100);	/* a length without an address */
	if (how == 3) {	/* write() */
		note("write(%d, %p, %zu)", fd, d, n);
		if (would_block(fd, slot))
			return;
		done(C_SEND, write(fd, d, n));
		return;
	}
	note("sendto(%d, %p, %zu, %#x, %p, %u)", fd, d, n, fl, a, alen);
	done(C_SEND, sendto(fd, d, n, fl, a, alen));
}

static void do_recv(void)
{
	int slot, fd = pick_fd(&slot), fl = recv_flags(), how = (int)rn(4);
	size_t n = chance(20) ? 64 * 1024 : rn(4000), an;
	void *d = maybe_bad(abuf(n), 1, 5), *a = NULL;
	socklen_t *lp = NULL;

	if (chance(10))
		n = maybe_len((uint32_t)n, 100);
	if (how == 1) {
		an = chance(70) ? sizeof(struct sockaddr_in6) : rn(140);
		a = maybe_bad(abuf(an), 1, 8);
		lp = abuf(sizeof(*lp));
		*lp = maybe_len((uint32_t)an, 20);
		lp = maybe_bad(lp, 1, 5);
	}
	if (how == 3) {
		note("read(%d, %p, %zu)", fd, d, n);
		if (would_block(fd, slot))
			return;
		done(C_RECV, read(fd, d, n));
		return;
	}
	note("recvfrom(%d, %p, %zu, %#x, %p, %p)", fd, d, n, fl, a, (void *)lp);
	done(C_RECV, recvfrom(fd, d, n, fl, a, lp));
}

static void do_sendmsg(void)
{
	int slot, fd = pick_fd(&slot), fl = send_flags();
	struct msghdr *m = abuf(sizeof(*m)), tmp;

	gen_msghdr(&tmp, slot, slot >= 0 ? slot_af(slot) : AF_INET, 1);
	memcpy(m, &tmp, sizeof(tmp));
	m = maybe_bad(m, 0, 3);
	note("sendmsg(%d, %p{name %p/%u iov %p/%zu ctl %p/%zu}, %#x)", fd, (void *)m,
	     tmp.msg_name, tmp.msg_namelen, (void *)tmp.msg_iov, tmp.msg_iovlen,
	     tmp.msg_control, tmp.msg_controllen, fl);
	done(C_SENDMSG, sendmsg(fd, m, fl));
}

static void do_recvmsg(void)
{
	int slot, fd = pick_fd(&slot), fl = recv_flags();
	struct msghdr *m = abuf(sizeof(*m)), tmp;

	gen_msghdr(&tmp, slot, AF_INET, 0);
	memcpy(m, &tmp, sizeof(tmp));
	m = maybe_bad(m, 1, 3);
	note("recvmsg(%d, %p{name %p/%u iov %p/%zu ctl %p/%zu}, %#x)", fd, (void *)m,
	     tmp.msg_name, tmp.msg_namelen, (void *)tmp.msg_iov, tmp.msg_iovlen,
	     tmp.msg_control, tmp.msg_controllen, fl);
	done(C_RECVMSG, recvmsg(fd, m, fl));
	sweep();	/* SCM_RIGHTS may have brought fds */
}

static unsigned gen_vlen(void)
{
	if (chance(5))
		return chance(50) ? 1025 : rval();
	return rn(5);
}

static void do_sendmmsg(void)
{
	int slot, fd = pick_fd(&slot), fl = send_flags();
	unsigned vlen = gen_vlen(), i, k = vlen < 4 ? vlen : 4;
	struct mmsghdr *mm = abuf(sizeof(*mm) * 4), tmp;

	for (i = 0; i < k; i++) {
		memset(&tmp, 0, sizeof(tmp));
		gen_msghdr(&tmp.msg_hdr, slot, slot >= 0 ? slot_af(slot) : AF_INET, 1);
		tmp.msg_len = rval();
		memcpy(&mm[i], &tmp, sizeof(tmp));
	}
	mm = maybe_bad(mm, 0, 3);
	note("sendmmsg(%d, %p, %u, %#x)", fd, (void *)mm, vlen, fl);
	done(C_SENDMMSG, sendmmsg(fd, mm, vlen, fl));
}

static void do_recvmmsg(void)
{
	int slot, fd = pick_fd(&slot), fl = recv_flags();
	unsigned vlen = gen_vlen(), i, k = vlen < 4 ? vlen : 4;
	struct mmsghdr *mm = abuf(sizeof(*mm) * 4), tmp;
	struct timespec *ts = NULL;

	for (i = 0; i < k; i++) {
		memset(&tmp, 0, sizeof(tmp));
		gen_msghdr(&tmp.msg_hdr, slot, AF_INET, 0);
		memcpy(&mm[i], &tmp, sizeof(tmp));
	}
	mm = maybe_bad(mm, 1, 3);
	if (chance(30)) {
		ts = abuf(sizeof(*ts));
		ts->tv_sec = chance(80) ? 0 : (time_t)rval();
		ts->tv_nsec = chance(80) ? (long)rn(1000) : (long)rval();
		ts = maybe_bad(ts, 1, 20);
	}
	note("recvmmsg(%d, %p, %u, %#x, %p)", fd, (void *)mm, vlen, fl, (void *)ts);
	done(C_RECVMMSG, recvmmsg(fd, mm, vlen, fl, ts));
	sweep();
}

/*
 * -w: a route for SIOCADDRT or SIOCDELRT as route(8) gives it: struct
 * rtentry on an IPv4 socket (its rt_dev a name in the program's memory:
 * sometimes unterminated up to a guard page, or a bad pointer), struct
 * in6_rtmsg on an IPv6 one.
 */
static void *gen_rtentry(int slot)
{
	static const char *const devs[] = { "lo", "up0", "eth0", "", "lo:1" };
	static const unsigned short flags4[] = {
		RTF_UP, RTF_UP | RTF_HOST, RTF_UP | RTF_GATEWAY, RTF_UP | RTF_REJECT,
		RTF_UP | RTF_MTU, RTF_UP | RTF_WINDOW | RTF_IRTT, 0,
	};

	if (slot >= 0 && slot_af(slot) == AF_INET6 && chance(80)) {
		struct in6_rtmsg *m = abuf(sizeof(*m));

		lo6(&m->rtmsg_dst);
		if (chance(30))
			lo6(&m->rtmsg_gateway);
		m->rtmsg_dst_len = (unsigned short)(chance(70) ? 128 : rn(300));
		m->rtmsg_src_len = (unsigned short)(chance(90) ? 0 : rn(300));
		m->rtmsg_metric = chance(70) ? 1 : rval();
		m->rtmsg_ifindex = chance(80) ? 1 : (int)rval();
		m->rtmsg_flags = chance(80) ? flags4[rn(sizeof(flags4) / sizeof(flags4[0]))] : rval();
		m->rtmsg_type = chance(90) ? 1 : (uint32_t)rn(12);
		return m;
	} else {
		struct rtentry *rt = abuf(sizeof(*rt));
		struct sockaddr_in *d = (struct sockaddr_in *)&rt->rt_dst;
		struct sockaddr_in *g = (struct sockaddr_in *)&rt->rt_gateway;
		struct sockaddr_in *m = (struct sockaddr_in *)&rt->rt_genmask;

		d->sin_family = (sa_family_t)(chance(90) ? AF_INET : nl_family());
		lo4(&d->sin_addr);
		m->sin_family = AF_INET;
		m->sin_addr.s_addr = chance(60) ? htonl(0xffffffffu << (32 - 1 - rn(32))) :
				     (in_addr_t)rval();
		if (chance(40)) {
			g->sin_family = AF_INET;
			lo4(&g->sin_addr);
		}
		rt->rt_flags = chance(85) ? flags4[rn(sizeof(flags4) / sizeof(flags4[0]))] :
			       (unsigned short)rval();
		rt->rt_metric = (short)(chance(70) ? rn(3) : rval());
		rt->rt_mtu = chance(70) ? 1400 : rval();
		rt->rt_window = rval();
		rt->rt_irtt = (unsigned short)rval();
		if (chance(60)) {
			const char *dn = devs[rn(sizeof(devs) / sizeof(devs[0]))];
			size_t dl = strlen(dn);
			char *name;

			if (chance(15)) {	/* no NUL before the guard page */
				name = (char *)lane_start(lane_first + lane_next) + LANE - 20;
				lane_next = (lane_next + 1) % lane_count;
				memset(name, 'l', 20);
			} else {
				name = abuf(dl + 1);
				memcpy(name, dn, dl + 1);
			}
			rt->rt_dev = maybe_bad(name, 0, 10);
		}
		return rt;
	}
}

static void do_ioctl(void)
{
	static const unsigned long reqs[] = {
		FIONREAD, TIOCOUTQ, SIOCOUTQNSD, SIOCGIFCONF, SIOCGIFINDEX,
		SIOCGIFFLAGS, SIOCGIFNAME, SIOCGIFADDR, SIOCGIFNETMASK,
		SIOCGIFMTU, SIOCGIFHWADDR, SIOCGIFBRDADDR, SIOCGIFDSTADDR,
		SIOCGIFMETRIC, SIOCGIFTXQLEN, SIOCGIFMAP, 0x8946 /* SIOCETHTOOL */,
		0x8906 /* SIOCGSTAMP */, 0x8907 /* SIOCGSTAMPNS */, SIOCATMARK, SIOCGPGRP, SIOCGARP,
		SIOCGIFPFLAGS, SIOCGIFCOUNT, SIOCGSKNS, SIOCGIFBR, SIOCGIFSLAVE,
		SIOCSIFFLAGS, SIOCSIFMTU, SIOCSIFADDR, SIOCDIFADDR, SIOCADDRT,
		SIOCDELRT, SIOCSIFNAME, SIOCSARP, SIOCDARP, SIOCSPGRP,
		0x8982 /* SIOCGIFVLAN */, 0x89E0, 0x89F0, FIONBIO,
	};
	static const char *const names[] = {
		"lo", "lo", "eth0", "up0", "", "lo:0", "lo0123456789abcdefg",
	};
	int slot, fd = pick_fd(&slot);
	unsigned long req;
	void *arg;

	if (chance(85))
		req = reqs[rn(sizeof(reqs) / sizeof(reqs[0]))];
	else
		req = 0x8900 + rn(256);
	if (req == SIOCGIFCONF && chance(80)) {
		struct ifconf *ic = abuf(sizeof(*ic));
		size_t n = chance(30) ? 0 : rn(300);

		ic->ifc_len = (int)maybe_len((uint32_t)n, 20);
		ic->ifc_buf = chance(15) ? NULL : maybe_bad(abuf(n), 1, 8);
		arg = ic;
	} else if (req == FIONBIO) {
		int *v = abuf(sizeof(*v));

		*v = 1;	/* never clear O_NONBLOCK */
		arg = v;
	} else if ((req == SIOCADDRT || req == SIOCDELRT) && wide && chance(70)) {
		arg = gen_rtentry(slot);
	} else if (req == SIOCADDRT || req == SIOCDELRT) {
		arg = abuf(sizeof(struct rtentry));
		rbytes(arg, sizeof(struct rtentry));
	} else {
		struct ifreq *r = abuf(sizeof(*r));
		const char *s = names[rn(sizeof(names) / sizeof(names[0]))];

		if (chance(90))
			memcpy(r->ifr_name, s, strlen(s) < IFNAMSIZ ? strlen(s) : IFNAMSIZ);
		else
			rbytes(r->ifr_name, IFNAMSIZ);
		if (chance(50)) {
			r->ifr_ifindex = (int)rn(5);
		} else {
			struct sockaddr_storage ss;

			fill_addr(chance(70) ? AF_INET : AF_INET6, &ss);
			memcpy(&r->ifr_addr, &ss, sizeof(r->ifr_addr));
			if (chance(20))
				r->ifr_flags = (short)rnd();
		}
		arg = r;
	}
	arg = maybe_bad(arg, 1, 8);
	note("ioctl(%d, %#lx, %p)", fd, req, arg);
	done(C_IOCTL, ioctl(fd, req, arg));
	if (req == SIOCGSKNS)
		sweep();
}

static void do_shutdown(void)
{
	int slot, fd = pick_fd(&slot), how = chance(90) ? (int)rn(3) : (int)rval();

	note("shutdown(%d, %d)", fd, how);
	done(C_SHUTDOWN, shutdown(fd, how));
}

static void do_close(void)
{
	int i = pick_slot(), stale = chance(30);

	note("close(%d) slot %d%s", pool[i].fd, i, stale ? " (keep the number)" : "");
	if (pool[i].fd <= 2 || pool[i].kind == K_STALE) {
		done(C_CLOSE, pool[i].fd > 2 ? close(pool[i].fd) : (errno = EBADF, -1));
		if (pool[i].kind == K_STALE && !stale) {
			pool[i].fd = -1;
			pool[i].kind = K_NONE;
		}
		return;
	}
	done(C_CLOSE, close(pool[i].fd));
	if (stale) {
		pool[i].kind = K_STALE;
	} else {
		pool[i].fd = -1;
		pool[i].kind = K_NONE;
	}
}

static void do_dup(void)
{
	int i = pick_slot(), j = pick_slot(), how = (int)rn(3), fd = pool[i].fd, nfd;
	int target = pool[j].fd > 2 ? pool[j].fd : 3 + (int)rn(2 * POOL);
	enum kind k = pool[i].kind;

	if (how == 0) {
		note("dup(%d) slot %d", fd, j);
		nfd = (int)done(C_DUP, dup(fd));
	} else if (how == 1) {
		note("fcntl(%d, F_DUPFD_CLOEXEC, 40) slot %d", fd, j);
		nfd = (int)done(C_DUP, fcntl(fd, F_DUPFD_CLOEXEC, 40));
	} else {
		note("dup2(%d, %d) slot %d", fd, target, j);
		nfd = (int)done(C_DUP, fd > 2 ? dup2(fd, target) : (errno = EBADF, -1));
	}
	if (nfd <= 2 || nfd == fd)
		return;
	if (nfd == target) {
		/* the target's old file is gone: every slot naming it is stale */
		int s;

		for (s = 0; s < POOL; s++)
			if (pool[s].fd == target)
				pool[s].kind = K_STALE;
		if (pool[j].fd == target) {
			pool[j].kind = k;
			return;
		}
	}
	slot_set(j, nfd, k);
}

static void do_fcntl(void)
{
	int slot, fd = pick_fd(&slot), fl;

	switch (rn(4)) {
	case 0:
		note("fcntl(%d, F_GETFL)", fd);
		done(C_FCNTL, fcntl(fd, F_GETFL));
		break;
	case 1:
		fl = O_NONBLOCK | (chance(30) ? O_APPEND : 0) | (chance(10) ? O_DIRECT : 0);
		note("fcntl(%d, F_SETFL, %#x)", fd, fl);
		done(C_FCNTL, fcntl(fd, F_SETFL, fl));
		break;
	case 2:
		note("fcntl(%d, F_GETFD)", fd);
		done(C_FCNTL, fcntl(fd, F_GETFD));
		break;
	default:
		fl = chance(50) ? FD_CLOEXEC : 0;
		note("fcntl(%d, F_SETFD, %d)", fd, fl);
		done(C_FCNTL, fcntl(fd, F_SETFD, fl));
		break;
	}
}

static void do_poll(void)
{
	nfds_t n = chance(90) ? 1 + rn(POOL) : rval(), i;
	struct pollfd *p = abuf(sizeof(*p) * POOL);

	for (i = 0; i < n && i < POOL; i++) {
		p[i].fd = pool[pick_slot()].fd;
		p[i].events = (short)(chance(80) ? POLLIN | POLLOUT | POLLPRI : rnd());
	}
	p = maybe_bad(p, 1, 5);
	note("poll(%p, %lu, 0)", (void *)p, (unsigned long)n);
	done(C_POLL, poll(p, n, 0));
}

/* A netlink request to a netlink slot, well addressed, then maybe a read. */
static void do_nlsend(void)
{
	int i = pick_slot(), j, diag, fd;
	unsigned char tmp[8192];
	struct sockaddr_nl *sa = abuf(sizeof(*sa));
	size_t n;
	void *p;

	for (j = 0; j < POOL; j++)	/* the next netlink slot from i */
		if (pool[(i + j) % POOL].kind == K_NLROUTE ||
		    pool[(i + j) % POOL].kind == K_NLDIAG)
			break;
	i = (i + j) % POOL;
	diag = pool[i].kind == K_NLDIAG;
	fd = pool[i].fd;
	n = nl_build(tmp, sizeof(tmp), diag);
	p = abuf(n);
	memcpy(p, tmp, n);
	sa->nl_family = AF_NETLINK;
	note("sendto(%d [%s], %p, %zu) netlink", fd, kinds[pool[i].kind].name, p, n);
	done(C_NLSEND, sendto(fd, p, n, MSG_DONTWAIT, chance(50) ? (void *)sa : NULL,
			      sizeof(*sa)));
	if (chance(70)) {	/* read an answer: keeps the queue short */
		void *r = abuf(LANE);

		long got;

		note("recv(%d) netlink answer", fd);
		got = done(C_NLSEND, recv(fd, r, chance(90) ? LANE : rn(64), MSG_DONTWAIT |
					 (chance(10) ? MSG_TRUNC | MSG_PEEK : 0)));
		if (verbose > 1 && got >= (long)NLMSG_LENGTH(sizeof(struct nlmsgerr))) {
			struct nlmsghdr *h = r;	/* -vv: the request's type and its ack */

			if (h->nlmsg_type == NLMSG_ERROR)
				fprintf(stderr, "%s%ld: netlink type %u: error %d\n", tag,
					cur_step, ((struct nlmsghdr *)tmp)->nlmsg_type,
					((struct nlmsgerr *)NLMSG_DATA(h))->error);
		}
	}
}

static void do_unshare(void)
{
	note("unshare(CLONE_FILES)");
	done(C_UNSHARE, unshare(CLONE_FILES));
}

/*
 * Two sockets that talk: a TCP listener and a client connecting to it
 * (and maybe the accepted end), or two UDP sockets connected to each
 * other, all on one loopback port, into three slots.
 */
static void do_pairup(void)
{
	int v6 = (int)rn(2), udp = chance(30), a = pick_slot(), b = pick_slot();
	int c = pick_slot(), acc = chance(60), one = 1, s1, s2, s3;
	int type = (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK;
	uint16_t port = (uint16_t)(PORT_BASE + rn(NPORTS));
	enum kind k = udp ? (v6 ? K_UDP6 : K_UDP4) : (v6 ? K_TCP6 : K_TCP4);
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;

	memset(&ss, 0, sizeof(ss));
	if (v6) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		sin6->sin6_addr = in6addr_loopback;
		len = sizeof(*sin6);
	} else {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof(*sin);
	}
	note("pairup %s port %u slots %d %d %d", kinds[k].name, port, a, b, c);
	s1 = (int)done(C_PAIRUP, socket(ss.ss_family, type, 0));
	if (s1 < 0)
		return;
	setsockopt(s1, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (done(C_PAIRUP, bind(s1, (struct sockaddr *)&ss, len)) < 0 ||
	    (!udp && done(C_PAIRUP, listen(s1, 8)) < 0)) {
		close(s1);
		return;
	}
	slot_set(a, s1, k);
	s2 = (int)done(C_PAIRUP, socket(ss.ss_family, type, 0));
	if (s2 < 0)
		return;
	done(C_PAIRUP, connect(s2, (struct sockaddr *)&ss, len));
	slot_set(b, s2, k);
	if (udp) {	/* connect the first to the second */
		len = sizeof(ss);
		if (getsockname(s2, (struct sockaddr *)&ss, &len) == 0)
			done(C_PAIRUP, connect(s1, (struct sockaddr *)&ss, len));
		return;
	}
	if (acc && a != b && b != c && a != c) {
		struct pollfd p = { s1, POLLIN, 0 };

		poll(&p, 1, 100);
		s3 = (int)done(C_PAIRUP, accept4(s1, NULL, NULL, SOCK_NONBLOCK));
		if (s3 >= 0)
			slot_set(c, s3, k);
	}
}

static void (*const fns[C_MAX])(void) = {
	[C_SOCKET] = do_socket, [C_SOCKETPAIR] = do_socketpair,
	[C_PIPE] = do_pipe, [C_BIND] = do_bind, [C_CONNECT] = do_connect,
	[C_LISTEN] = do_listen, [C_ACCEPT] = do_accept,
	[C_GETNAME] = do_getname, [C_SETSOCKOPT] = do_setsockopt,
	[C_GETSOCKOPT] = do_getsockopt, [C_SEND] = do_send,
	[C_RECV] = do_recv, [C_SENDMSG] = do_sendmsg,
	[C_RECVMSG] = do_recvmsg, [C_SENDMMSG] = do_sendmmsg,
	[C_RECVMMSG] = do_recvmmsg, [C_IOCTL] = do_ioctl,
	[C_SHUTDOWN] = do_shutdown, [C_CLOSE] = do_close, [C_DUP] = do_dup,
	[C_FCNTL] = do_fcntl, [C_POLL] = do_poll, [C_NLSEND] = do_nlsend,
	[C_UNSHARE] = do_unshare, [C_PAIRUP] = do_pairup,
};

static enum call pick_call(void)
{
	static int total;
	int c, r;

	if (!total)
		for (c = 0; c < C_MAX; c++)
			total += (enabled >> c & 1) ? calls[c].weight : 0;
	r = (int)rn((uint32_t)total);
	for (c = 0; c < C_MAX; c++) {
		if (!(enabled >> c & 1))
			continue;
		if (r < calls[c].weight)
			return (enum call)c;
		r -= calls[c].weight;
	}
	return C_POLL;
}

/* ---- the run ---- */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Fills the pool with one socket of each kind and a few more. */
static void seed_pool(void)
{
	static const enum kind first[] = {
		K_TCP4, K_TCP6, K_UDP4, K_UDP6, K_PING4, K_PING6, K_RAW4,
		K_RAW6, K_NLROUTE, K_NLDIAG, K_TCP4, K_UDP4,
	};
	int i, fd;

	for (i = 0; i < POOL; i++) {
		pool[i].fd = -1;
		pool[i].kind = K_NONE;
	}
	for (i = 0; i < (int)(sizeof(first) / sizeof(first[0])); i++) {
		const struct kdef *k = &kinds[first[i]];

		fd = socket(k->af, k->type | SOCK_NONBLOCK, k->proto);
		if (fd >= 0)
			slot_set(i, fd, first[i]);
	}
	if (!packets)
		return;
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, htons(ETH_P_ALL));
	if (fd >= 0)
		slot_set(i++, fd, K_PKRAW);
	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK, htons(ETH_P_IP));
	if (fd >= 0)
		slot_set(i, fd, K_PKDGRAM);
}

static void run(uint64_t seed, long n, double deadline, long *made)
{
	long step;
	int c;

	rs_main = seed * 0x9E3779B97F4A7C15ULL + 0x1234567;
	if (!rs_main)
		rs_main = 1;
	for (step = 0; step < n; step++) {
		uint64_t sub;

		cur_step = step;
		if (!(step & 63)) {
			alarm(WATCHDOG_S);
			if (deadline && now() > deadline)
				break;
		}
		if (!(step & 255))
			sweep();
		rs = rs_main;
		c = pick_call();
		sub = rnd();
		rs_main = rs;
		rs = sub ? sub : 1;
		seq_hash = (seq_hash ^ (uint64_t)c ^ sub << 8) * 0x100000001b3ULL;
			trace[0] = 0;
		lane_next = 0;
		fns[c]();
	}
	if (nthreads == 1)	/* else the others' watchdog stays */
		alarm(0);
	*made = step;
}

struct thr {
	pthread_t id;
	int idx;
	uint64_t seed;
	long n, made;
	double deadline, t0;
	char tag[24];
};

/* A thread of -j: its own seed, lanes and counters, the shared pool. */
static void summary(long made, double secs);

static void *thread_main(void *arg)
{
	struct thr *t = arg;

	tag = t->tag;
	lane_count = NLANES / nthreads;
	lane_first = t->idx * lane_count;
	traces[t->idx] = trace;
	steps[t->idx] = &cur_step;
	run(t->seed, t->n, t->deadline, &t->made);
	summary(t->made, now() - t->t0);
	return NULL;
}

static void summary(long made, double secs)
{
	char line[2048];
	size_t n;
	int i;

	tap_info("%s%ld calls in %.2f s; sequence %016llx results %016llx", tag,
		 made, secs, (unsigned long long)seq_hash,
		 (unsigned long long)res_hash);
	n = 0;
	for (i = 0; i < C_MAX; i++)
		if (ncalls[i] && n < sizeof(line) - 64)
			n += (size_t)snprintf(line + n, sizeof(line) - n, " %s=%ld/%ld",
					      calls[i].name, nok[i], ncalls[i]);
	tap_info("%scalls (ok/made):%s", tag, line);
	n = 0;
	for (i = 0; i < 256; i++)
		if (nerr[i] && n < sizeof(line) - 64)
			n += (size_t)snprintf(line + n, sizeof(line) - n, " %s=%ld",
					      tap_errname(i), nerr[i]);
	tap_info("%serrnos:%s", tag, line);
}

/* Drops every capability: natively as root, nothing of the host changes. */
static int drop_caps(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	return (int)syscall(SYS_capset, &h, d);
}

/* Prints the supervisor's `show stats` line (RRS_RRCTL set: in rrsandbox). */
static void sandbox_stats(const char *when)
{
	const char *rrctl = getenv("RRS_RRCTL");
	char cmd[1024], line[1024];
	FILE *f;

	if (!rrctl || !*rrctl || strchr(rrctl, '\'') ||
	    (size_t)snprintf(cmd, sizeof(cmd),
			     "ASAN_OPTIONS=\"$ASAN_OPTIONS:detect_leaks=0\" '%s' -n %d show stats 2>/dev/null",
			     rrctl, (int)getppid()) >= sizeof(cmd))
		return;
	fflush(stdout);
	if (!(f = popen(cmd, "r")))
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		tap_info("supervisor %s: %s", when, line);
	}
	pclose(f);
}

static void pause_for(const char *what)
{
	char line[64];

	fprintf(stderr, "sockfuzz: ready %s\n", what);
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin))
		return;
}

static int parse_calls(const char *list)
{
	char buf[512], *t, *save;
	int c;

	snprintf(buf, sizeof(buf), "%s", list);
	enabled = 0;
	for (t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		for (c = 0; c < C_MAX; c++)
			if (!strcmp(t, calls[c].name))
				break;
		if (c == C_MAX)
			return -1;
		enabled |= 1u << c;
	}
	return enabled ? 0 : -1;
}

/* Where the fuzzer's AF_UNIX binds leave their socket files (random
 * names): a directory of its own, emptied and removed at the end. */
static char workdir[PATH_MAX];

static void workdir_enter(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(workdir, sizeof(workdir), "%s/sockfuzz.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(workdir) || chdir(workdir)) {
		tap_info("no directory of its own (%s): socket files the fuzzer binds stay in the current one",
			 strerror(errno));
		workdir[0] = '\0';
	}
}

static void workdir_leave(void)
{
	struct dirent *de;
	DIR *d;

	if (!workdir[0])
		return;
	d = opendir(workdir);
	while (d && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			unlinkat(dirfd(d), de->d_name, 0);
	if (d)
		closedir(d);
	if (chdir("/") || rmdir(workdir))
		tap_info("%s left: %s", workdir, strerror(errno));
}

int main(int argc, char **argv)
{
	unsigned long long seed = 1;
	long n = 20000, made = 0, socks = -1, storm_us = 0;
	double secs = 0, t0, deadline = 0;
	int opt, fork_child = 1, pause_at = 0, status, i;
	pid_t child = -1;
	static struct thr thr[MAXT];
	struct sigaction sa;
	unsigned char *page;

	while ((opt = getopt(argc, argv, "s:n:t:Fpvwkc:j:S:")) != -1) {
		switch (opt) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			n = strtol(optarg, NULL, 0);
			break;
		case 't':
			secs = strtod(optarg, NULL);
			break;
		case 'F':
			fork_child = 0;
			break;
		case 'p':
			pause_at = 1;
			break;
		case 'v':
			verbose++;
			break;
		case 'w':
			wide = 1;
			break;
		case 'k':
			packets = 1;
			break;
		case 'S':
			storm_us = atol(optarg);
			break;
		case 'j':
			nthreads = atoi(optarg);
			if (nthreads >= 1 && nthreads <= MAXT)
				break;
			/* fall through */
		case 'c':
			if (parse_calls(optarg) == 0)
				break;
			/* fall through */
		default:
			fprintf(stderr, "usage: %s [-s SEED] [-n CALLS] [-t SECONDS] [-F] [-p] [-v] [-w] [-c CALL,...] [-j THREADS] [-S USEC]\n",
				argv[0]);
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sa.sa_flags = 0;
	if (storm_us > 0) {
		struct sigevent sev;
		struct itimerspec its;
		timer_t tid;

		sa.sa_handler = on_storm;	/* no SA_RESTART */
		sigaction(SIGUSR2, &sa, NULL);
		memset(&sev, 0, sizeof(sev));
		sev.sigev_notify = SIGEV_SIGNAL;
		sev.sigev_signo = SIGUSR2;
		its.it_interval.tv_sec = storm_us / 1000000;
		its.it_interval.tv_nsec = storm_us % 1000000 * 1000;
		its.it_value = its.it_interval;
		if (timer_create(CLOCK_MONOTONIC, &sev, &tid) < 0 ||
		    timer_settime(tid, 0, &its, NULL) < 0)
			tap_info("timer_create: %s (no storm)", strerror(errno));
	}
	if (drop_caps() < 0)
		tap_info("capset: %s (capabilities kept)", strerror(errno));

	arena = mmap(NULL, (size_t)NLANES * (LANE + PAGE), PROT_NONE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	page = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (arena == MAP_FAILED || page == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	for (i = 0; i < NLANES; i++)
		if (mprotect(lane_start(i), LANE, PROT_READ | PROT_WRITE) < 0) {
			perror("mprotect");
			return 2;
		}
	munmap(page, PAGE);
	unmapped = page;
	rdonly = page + PAGE;
	rs = seed + 99;
	rbytes(rdonly, PAGE);
	mprotect(rdonly, PAGE, PROT_READ);

	if (nthreads > 1)
		fork_child = 0;	/* no fork amid threads */
	tap_info("sockfuzz: seed %llu, %ld calls%s, %d thread%s%s", seed, n,
		 fork_child ? ", a child for a quarter" : "", nthreads,
		 nthreads > 1 ? "s" : "", wide ? ", wide netlink (-w)" : "");
	socks = tap_sandbox_socks();
	sandbox_stats("before");
	workdir_enter();
	if (pause_at)
		pause_for("start");
	sweep();	/* the fds we inherited go */
	inherited = 0;
	seed_pool();
	t0 = now();
	if (secs > 0)
		deadline = t0 + secs;
	traces[0] = trace;
	steps[0] = &cur_step;
	lane_count = NLANES / nthreads;
	for (i = 1; i < nthreads; i++) {
		thr[i].idx = i;
		thr[i].seed = seed + 1000 * (uint64_t)i;
		thr[i].n = n;
		thr[i].deadline = deadline;
		thr[i].t0 = t0;
		snprintf(thr[i].tag, sizeof(thr[i].tag), "thread %d ", i);
		if (pthread_create(&thr[i].id, NULL, thread_main, &thr[i])) {
			tap_info("pthread_create failed");
			nthreads = i;
			break;
		}
	}
	if (fork_child && n >= 4) {
		long first = n / 4;

		run(seed, first, deadline, &made);
		fflush(NULL);
		child = fork();
		if (child == 0) {
			long cm = 0;

			tag = "child ";
			memset(ncalls, 0, sizeof(ncalls));
			memset(nok, 0, sizeof(nok));
			memset(nerr, 0, sizeof(nerr));
			seq_hash = res_hash = 0;
			run(seed ^ 0x5eed5eedULL, n / 4, deadline, &cm);
			summary(cm, now() - t0);
			for (i = 0; i < POOL; i++)
				slot_drop(i);
			fflush(NULL);
			_exit(0);
		}
		if (child < 0)
			tap_info("fork: %s", strerror(errno));
		{
			long more = 0;

			run(seed + 1, n - first, deadline, &more);
			made += more;
		}
	} else {
		run(seed, n, deadline, &made);
	}
	summary(made, now() - t0);
	for (i = 1; i < nthreads; i++) {
		alarm(WATCHDOG_S);
		pthread_join(thr[i].id, NULL);
	}
	alarm(0);
	for (i = 0; i < POOL; i++)
		slot_drop(i);
	sweep();
	tap_ok("the fuzzer finished", 0);
	tap_int("no fd of a kind the fuzzer never makes (eventfd, epoll...)", nforeign, 0);
	if (child > 0) {
		alarm(WATCHDOG_S);
		strcpy(trace, "waitpid(child)");
		while (waitpid(child, &status, 0) < 0 && errno == EINTR)
			;
		alarm(0);
		if (WIFSIGNALED(status))
			tap_result(0, "the child finished", "killed by signal %d",
				   WTERMSIG(status));
		else
			tap_int("the child finished (exit status)", WEXITSTATUS(status), 0);
	}
	if (pause_at)
		pause_for("end");
	if (socks >= 0) {
		tap_int("the supervisor serves as many sockets as before",
			tap_sandbox_socks_settle(socks), socks);
		sandbox_stats("after");
	}
	workdir_leave();
	return tap_done();
}
