/* SPDX-License-Identifier: MIT */
/*
 * trap_rt.c - system call timing loops for the benchmarks in bench/.
 *
 * A tracee, not project code: plain libc, run unchanged natively (the
 * baseline) and inside rrsandbox by bench/trap_roundtrip.sh and
 * bench/untrapped.sh (and pingpong and echo by bench/tcp_latency.sh,
 * uplink_latency.sh and publish_latency.sh).  It knows
 * nothing of rrsandbox.  The trap, untrapped and pingpong modes open a
 * connected TCP pair on 127.0.0.1 (their own
 * listener, port 0), so inside the sandbox both ends are emulated sockets,
 * then time one kind of call:
 *
 *   trap N       getsockopt(SO_TYPE) on the client socket, N calls, each
 *                timed on its own with clock_gettime(CLOCK_MONOTONIC) and
 *                corrected by the clock's own cost; inside the sandbox
 *                every getsockopt is trapped and answered by the supervisor.
 *   untrapped N  getppid() and recv(MSG_DONTWAIT) on the idle client
 *                socket (EAGAIN), N calls each in batches of BATCH, each
 *                batch timed as a whole; inside the sandbox neither call
 *                leaves the kernel (recv without an address is not trapped).
 *                "untrapped N filtered" first installs a one-rule seccomp
 *                filter (getsockopt gives EPERM, all else allowed): the
 *                floor, what any filter costs a system call on this kernel.
 *                "untrapped N argfilter" installs instead a filter that
 *                denies recvfrom() with an address and allows the rest:
 *                the floor for recv() in a filter that, like rrsandbox's,
 *                must read recvfrom's arguments (the kernel then runs the
 *                filter for every recvfrom; it skips the first one's run
 *                for the calls it allows whatever their arguments).
 *   pingpong N   N round trips of a 14-byte message (sockperf's size) over
 *                the TCP pair with plain write() and read(), which no
 *                sandbox traps: a forked child echoes; the parent times
 *                each round trip and prints half of it, as sockperf does.
 *                "pingpong N ADDR PORT" connects to ADDR:PORT (numeric
 *                IPv4) instead, where "echo" answers, in another process
 *                or another sandbox (bench/uplink_latency.sh and
 *                publish_latency.sh); a refused connect is retried for 10 s,
 *                and a socket the connect left O_NONBLOCK is put back to
 *                blocking with a warning on stderr.
 *   echo PORT [ADDR]  the other end of "pingpong N ADDR PORT": listens on
 *                ADDR:PORT (default 0.0.0.0), prints "listening port=PORT"
 *                once it does, accepts one connection and echoes each
 *                14-byte message with read() and write() until EOF.
 *   notify N     the floor under "trap": a bare seccomp-notify round trip
 *                with no rrsandbox.  A forked child traps its own
 *                getsockopt calls to this process, which answers each with
 *                two ioctls (NOTIF_RECV, NOTIF_SEND; sync wake-up when the
 *                kernel has it) and nothing else; the child times them as
 *                in "trap" and prints the same line.  Run natively only.
 *                "notify N nosync" leaves sync wake-up off.
 *                "notify N work" answers each call after the system calls
 *                rrsandbox makes for a trapped getsockopt(SO_TYPE), with
 *                nothing of its own between them: epoll_wait() on the
 *                listener, NOTIF_RECV, pidfd_getfd() + statx() + close()
 *                of the call's fd, process_vm_readv() of optlen,
 *                NOTIF_ID_VALID, process_vm_writev() of optval and
 *                optlen, NOTIF_SEND: what any supervisor of this design
 *                costs on this kernel.
 *   syncwake     whether this kernel takes SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
 *                (kernel 6.6+): prints "yes" or "no".
 *   open N       openat() of /dev/null for reading, N calls, each timed on
 *                its own as in "trap" (the close() after each is not
 *                timed); inside rrsandbox every open is trapped (unless
 *                --no-proc-net) and let through by the supervisor
 *                (bench/open_trap.sh).
 *   openw N      the same for writing, as a shell's `>` opens:
 *                O_WRONLY | O_CREAT | O_TRUNC (trapped too, for the
 *                forwarding sysctls).
 *   opendir N    openat() of /dev for reading as opendir() makes it
 *                (O_DIRECTORY | O_NONBLOCK), timed as "open": trapped
 *                too, for the sysctl directories (netstack/procsys.c).
 *   stat N       stat() of /dev/null (newfstatat() from AT_FDCWD),
 *                timed as "open": trapped too, for the same.
 *   fork N       fork() in the parent, N calls, each timed on its own as
 *                in "trap" from the call to its return in the parent; the
 *                child _exit()s at once and is reaped, untimed
 *                (bench/fork_close.sh).
 *   connect N    a whole short TCP connection, N times, each timed on its
 *                own as in "trap": socket(), a blocking connect() to a
 *                listener on 127.0.0.1 that a forked child serves (accept(),
 *                read one byte, write it back, close()), write() one byte,
 *                read() the answer, close().  Inside the sandbox that is a
 *                socket, a connect and an accept trapped
 *                (bench/tcp_connect.sh); pgbench -C and a proxy opening
 *                a connection per request do the same.
 *   close N      close() of a pipe's read end, N calls, each timed on its
 *                own (the pipe() before and the other end's close() after
 *                are not); not trapped by rrsandbox (it was until
 *                2026-12, for the supervisor's fd cache).
 *
 * Results go to stdout as one line of key=value pairs (nanoseconds):
 *   trap, notify, open, fork, close:
 *              n= median_ns= p90_ns= p99_ns= mean_ns= min_ns= clock_ns=
 *   untrapped: n= batch= getppid_ns= getppid_p90_ns= recv_ns= recv_p90_ns=
 *              (per call: median and p90 over the batches)
 *   pingpong:  n= median_ns= p90_ns= p99_ns= mean_ns= min_ns= (half trips)
 *   echo:      listening port= (before its connection; nothing after)
 * Exit status 0, or 1 with a message on stderr when a call fails in a way
 * that makes the measurement meaningless.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/uio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Kernel 6.6 names; Debian 12's headers (6.1) lack them. */
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

#ifndef SYS_pidfd_open
#define SYS_pidfd_open	434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd	438
#endif

#define WARMUP	2000	/* untimed calls before each timed loop */
#define BATCH	1000	/* calls per timed batch in untrapped mode */

/**
 * die() - print a message (and errno's text if set) and exit 1
 * @what:	what failed
 */
static void die(const char *what)
{
	if (errno)
		fprintf(stderr, "trap_rt: %s: %s\n", what, strerror(errno));
	else
		fprintf(stderr, "trap_rt: %s\n", what);
	exit(1);
}

/**
 * now_ns() - CLOCK_MONOTONIC in nanoseconds
 *
 * Return: the time
 */
static inline int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/**
 * pct() - a percentile of a sorted array (nearest rank)
 * @v:		sorted values
 * @n:		number of values, > 0
 * @p:		percentile, 0 to 100
 *
 * Return: the value at that rank
 */
static int64_t pct(const int64_t *v, size_t n, double p)
{
	size_t i = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);

	return v[i < n ? i : n - 1];
}

/**
 * tcp_pair() - connect a TCP client to a listener of our own on 127.0.0.1
 * @cli:	set to the client socket
 * @srv:	set to the accepted socket
 */
static void tcp_pair(int *cli, int *srv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int l;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0)
		die("socket");
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(l, 4) || getsockname(l, (struct sockaddr *)&a, &len))
		die("listen on 127.0.0.1");
	*cli = socket(AF_INET, SOCK_STREAM, 0);
	if (*cli < 0)
		die("socket");
	if (connect(*cli, (struct sockaddr *)&a, sizeof(a)))
		die("connect to 127.0.0.1");
	*srv = accept(l, NULL, NULL);
	if (*srv < 0)
		die("accept");
	close(l);
}

/**
 * clock_cost() - median cost of a back-to-back pair of clock readings
 *
 * Return: nanoseconds, subtracted from each single-call sample
 */
static int64_t clock_cost(void)
{
	enum { N = 10001 };
	static int64_t v[N];
	int64_t t0;
	size_t i;

	for (i = 0; i < N; i++) {
		t0 = now_ns();
		v[i] = now_ns() - t0;
	}
	qsort(v, N, sizeof(v[0]), cmp_i64);
	return v[N / 2];
}

/**
 * full_io() - read or write exactly @len bytes
 * @fd:		the socket
 * @buf:	the bytes
 * @len:	how many
 * @wr:		write if set, else read
 *
 * Return: 0, or -1 on an error or EOF
 */
static int full_io(int fd, char *buf, size_t len, int wr)
{
	ssize_t r;
	size_t done = 0;

	while (done < len) {
		r = wr ? write(fd, buf + done, len - done) :
			 read(fd, buf + done, len - done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		done += (size_t)r;
	}
	return 0;
}

/**
 * parse_addr() - a numeric IPv4 address and port
 * @a:		set to the address
 * @host:	dotted quad
 * @port:	decimal port
 */
static void parse_addr(struct sockaddr_in *a, const char *host,
		       const char *port)
{
	char *end;
	unsigned long p = strtoul(port, &end, 10);

	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	errno = 0;
	if (*end || p == 0 || p > 65535 || inet_pton(AF_INET, host,
						     &a->sin_addr) != 1)
		die("need a numeric IPv4 address and a port");
	a->sin_port = htons((uint16_t)p);
}

/**
 * check_blocking() - make sure a socket we never made non-blocking is not
 * @fd:		the connected socket
 *
 * A blocking connect() must leave the socket blocking; where a sandbox
 * gets that wrong, read() would give EAGAIN and end the ping-pong.  Say
 * so on stderr (the benchmark logs it) and put the socket right, so the
 * figure is still the data path's.
 *
 * Return: @fd
 */
static int check_blocking(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl >= 0 && (fl & O_NONBLOCK)) {
		fprintf(stderr, "trap_rt: warning: a blocking connect() left "
			"the socket O_NONBLOCK; clearing it\n");
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	}
	return fd;
}

/**
 * connect_to() - connect a TCP socket to ADDR:PORT, retrying while refused
 * @host:	numeric IPv4 address
 * @port:	port
 *
 * Return: the connected socket (TCP_NODELAY set before connect)
 */
static int connect_to(const char *host, const char *port)
{
	struct sockaddr_in a;
	int fd, one = 1, i;

	parse_addr(&a, host, port);
	for (i = 0; i < 100; i++) {
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0)
			die("socket");
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (!connect(fd, (struct sockaddr *)&a, sizeof(a)))
			return check_blocking(fd);
		if (errno != ECONNREFUSED)
			break;
		close(fd);
		usleep(100000);
	}
	die("connect");
	return -1;
}

/**
 * mode_echo() - accept one connection and echo 14-byte messages until EOF
 * @port:	port to listen on
 * @host:	address to listen on (numeric IPv4)
 */
static void mode_echo(const char *port, const char *host)
{
	struct sockaddr_in a;
	char msg[14];
	int l, fd, one = 1;

	parse_addr(&a, host, port);
	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0)
		die("socket");
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 4))
		die("listen");
	printf("listening port=%s\n", port);
	fd = accept(l, NULL, NULL);
	if (fd < 0)
		die("accept");
	close(l);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	while (!full_io(fd, msg, sizeof(msg), 0))
		if (full_io(fd, msg, sizeof(msg), 1))
			break;
	close(fd);
}

/**
 * mode_pingpong() - time N round trips of 14 bytes with read and write
 * @n:		number of timed round trips
 * @host:	numeric IPv4 address of an "echo" elsewhere, or NULL for a
 *		pair of our own with a forked child echoing
 * @port:	its port (with @host)
 */
static void mode_pingpong(size_t n, const char *host, const char *port)
{
	int64_t *v, t0, sum = 0;
	int cli, srv, one = 1, st;
	char msg[14] = "rrsandbox-ping";
	size_t i;
	pid_t pid = -1;

	v = malloc(n * sizeof(*v));
	if (!v)
		die("malloc");
	if (host) {
		cli = connect_to(host, port);
	} else {
		tcp_pair(&cli, &srv);
		setsockopt(cli, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		setsockopt(srv, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			close(cli);
			while (!full_io(srv, msg, sizeof(msg), 0))
				if (full_io(srv, msg, sizeof(msg), 1))
					break;
			_exit(0);
		}
		close(srv);
	}
	for (i = 0; i < WARMUP + n; i++) {
		t0 = now_ns();
		if (full_io(cli, msg, sizeof(msg), 1) ||
		    full_io(cli, msg, sizeof(msg), 0))
			die("ping-pong");
		if (i >= WARMUP) {
			v[i - WARMUP] = (now_ns() - t0) / 2;
			sum += v[i - WARMUP];
		}
	}
	close(cli);
	if (pid > 0)
		waitpid(pid, &st, 0);
	qsort(v, n, sizeof(v[0]), cmp_i64);
	printf("n=%zu median_ns=%lld p90_ns=%lld p99_ns=%lld mean_ns=%lld "
	       "min_ns=%lld\n", n, (long long)pct(v, n, 50),
	       (long long)pct(v, n, 90), (long long)pct(v, n, 99),
	       (long long)(sum / (int64_t)n), (long long)v[0]);
	free(v);
}

/* Install @len instructions of @insn with @flags (SECCOMP_FILTER_FLAG_*):
 * what seccomp() returns, or -1 with errno set. */
static int filter_load(struct sock_filter *insn, unsigned short len,
		       unsigned int flags)
{
	struct sock_fprog prog = { .len = len, .filter = insn };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
}

/**
 * filter_getsockopt() - install a filter that acts on getsockopt only
 * @action:	what getsockopt gets (SECCOMP_RET_*); all else is allowed
 * @flags:	SECCOMP_FILTER_FLAG_*
 *
 * Return: what seccomp() returns (a listener fd with NEW_LISTENER), or -1
 *	   with errno set
 */
static int filter_getsockopt(uint32_t action, unsigned int flags)
{
	struct sock_filter insn[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getsockopt, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, action),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};

	return filter_load(insn, sizeof(insn) / sizeof(insn[0]), flags);
}

/**
 * filter_recvfrom_addr() - install a filter that denies recvfrom() with a
 *			    source address (EPERM) and allows the rest
 *
 * Return: 0, or -1 with errno set
 */
static int filter_recvfrom_addr(void)
{
	const uint32_t lo = offsetof(struct seccomp_data, args[4]);
	struct sock_filter insn[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 7),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_recvfrom, 0, 5),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, lo),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 2),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, lo + 4),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};

	return filter_load(insn, sizeof(insn) / sizeof(insn[0]), 0);
}

/**
 * time_getsockopt() - time N getsockopt(SO_TYPE) calls one by one, print
 * @n:		number of timed calls
 * @fd:		socket to ask
 * @check:	whether the answer must be SOCK_STREAM (the bare notify
 *		supervisor answers 0 without writing the value)
 */
/**
 * print_times() - the line of "trap", "notify" and "open": sort @v and
 *		   print its median, percentiles, mean and minimum
 * @v:		per-call times, ns, clock cost already subtracted
 * @n:		how many
 * @sum:	their sum
 * @clk:	the clock's own cost that was subtracted
 */
static void print_times(int64_t *v, size_t n, int64_t sum, int64_t clk)
{
	qsort(v, n, sizeof(v[0]), cmp_i64);
	printf("n=%zu median_ns=%lld p90_ns=%lld p99_ns=%lld mean_ns=%lld "
	       "min_ns=%lld clock_ns=%lld\n", n,
	       (long long)pct(v, n, 50), (long long)pct(v, n, 90),
	       (long long)pct(v, n, 99), (long long)(sum / (int64_t)n),
	       (long long)v[0], (long long)clk);
}

static void time_getsockopt(size_t n, int fd, int check)
{
	int64_t *v, t0, t1, clk, sum = 0;
	int type = SOCK_STREAM;
	socklen_t len;
	size_t i;

	v = malloc(n * sizeof(*v));
	if (!v)
		die("malloc");
	clk = clock_cost();
	for (i = 0; i < WARMUP + n; i++) {
		len = sizeof(type);
		t0 = now_ns();
		if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len))
			die("getsockopt(SO_TYPE)");
		t1 = now_ns();
		if (check && (type != SOCK_STREAM || len != sizeof(type))) {
			errno = 0;
			die("getsockopt(SO_TYPE) gave a wrong answer");
		}
		if (i >= WARMUP) {
			v[i - WARMUP] = t1 - t0 - clk;
			sum += v[i - WARMUP];
		}
	}
	print_times(v, n, sum, clk);
	free(v);
}

/**
 * mode_trap() - time getsockopt(SO_TYPE) on a connected TCP socket
 * @n:		number of timed calls
 */
static void mode_trap(size_t n)
{
	int cli, srv;

	tcp_pair(&cli, &srv);
	time_getsockopt(n, cli, 1);
	close(cli);
	close(srv);
}

/* openat() of /dev/null with @flags; the close() after it untimed. */
static int64_t timed_open_flags(int flags)
{
	int64_t t0, t1;
	int fd;

	t0 = now_ns();
	fd = openat(AT_FDCWD, "/dev/null", flags | O_CLOEXEC, 0666);
	t1 = now_ns();
	if (fd < 0)
		die("openat(/dev/null)");
	close(fd);
	return t1 - t0;
}

static int64_t timed_open(void)
{
	return timed_open_flags(O_RDONLY);
}

static int64_t timed_openw(void)
{
	return timed_open_flags(O_WRONLY | O_CREAT | O_TRUNC);
}

static int64_t timed_opendir(void)
{
	int64_t t0, t1;
	int fd;

	t0 = now_ns();
	fd = openat(AT_FDCWD, "/dev", O_RDONLY | O_DIRECTORY | O_NONBLOCK |
		    O_CLOEXEC);
	t1 = now_ns();
	if (fd < 0)
		die("openat(/dev)");
	close(fd);
	return t1 - t0;
}

static int64_t timed_stat(void)
{
	struct stat st;
	int64_t t0, t1;

	t0 = now_ns();
	if (stat("/dev/null", &st))
		die("stat(/dev/null)");
	t1 = now_ns();
	return t1 - t0;
}

/* The parent's side of fork(): the child ends at once and is reaped. */
static int64_t timed_fork(void)
{
	int64_t t0, t1;
	pid_t pid;
	int st;

	t0 = now_ns();
	pid = fork();
	if (pid == 0)
		_exit(0);
	t1 = now_ns();
	if (pid < 0)
		die("fork");
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	return t1 - t0;
}

/* close() of a fresh pipe's read end; the pipe and the rest untimed. */
static int64_t timed_close(void)
{
	int64_t t0, t1;
	int p[2], r;

	if (pipe(p))
		die("pipe");
	t0 = now_ns();
	r = close(p[0]);
	t1 = now_ns();
	if (r)
		die("close");
	close(p[1]);
	return t1 - t0;
}

/**
 * mode_each() - time one call @n times, each on its own
 * @n:		number of timed calls
 * @one:	makes one call and returns its time, ns
 */
static void mode_each(size_t n, int64_t (*one)(void));

static struct sockaddr_in conn_to;	/* the "connect" mode's listener */

/* One connection to conn_to's server: socket to close, timed. */
static int64_t timed_connect(void)
{
	int64_t t0 = now_ns();
	char b = 'x';
	int fd;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	if (connect(fd, (struct sockaddr *)&conn_to, sizeof(conn_to)))
		die("connect to the connect mode's server");
	if (full_io(fd, &b, 1, 1) || full_io(fd, &b, 1, 0))
		die("one byte there and back");
	close(fd);
	return now_ns() - t0;
}

/**
 * mode_connect() - time @n whole connections to a forked server
 * @n:		number of timed connections (after WARMUP untimed ones)
 */
static void mode_connect(size_t n)
{
	socklen_t len = sizeof(conn_to);
	pid_t pid;
	int l, st;

	conn_to.sin_family = AF_INET;
	conn_to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0)
		die("socket");
	if (bind(l, (struct sockaddr *)&conn_to, sizeof(conn_to)) ||
	    listen(l, 64) ||
	    getsockname(l, (struct sockaddr *)&conn_to, &len))
		die("listen on 127.0.0.1");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		char b;

		for (;;) {
			int c = accept(l, NULL, NULL);

			if (c < 0) {
				if (errno == EINTR)
					continue;
				die("accept");
			}
			if (!full_io(c, &b, 1, 0))
				full_io(c, &b, 1, 1);
			close(c);
		}
	}
	close(l);
	mode_each(n, timed_connect);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
}

static void mode_each(size_t n, int64_t (*one)(void))
{
	int64_t *v, clk, sum = 0;
	size_t i;

	v = malloc(n * sizeof(*v));
	if (!v)
		die("malloc");
	clk = clock_cost();
	for (i = 0; i < WARMUP + n; i++) {
		int64_t t = one() - clk;

		if (i >= WARMUP) {
			v[i - WARMUP] = t;
			sum += t;
		}
	}
	print_times(v, n, sum, clk);
	free(v);
}

/**
 * time_batches() - time a call in batches and summarise per call
 * @med:	set to the median per-call time over the batches, ns
 * @p90:	set to the 90th percentile per-call time, ns
 * @v:		scratch array of @nb values
 * @nb:		number of batches
 * @fd:		socket for recv, or -1 for getppid
 */
static void time_batches(double *med, double *p90, int64_t *v, size_t nb,
			 int fd)
{
	char byte;
	size_t b, i;
	int64_t t0;

	for (b = 0; b < nb + WARMUP / BATCH; b++) {
		t0 = now_ns();
		for (i = 0; i < BATCH; i++) {
			if (fd < 0) {
				/* the raw call, so no libc version can
				 * answer it without entering the kernel */
				syscall(SYS_getppid);
			} else if (recv(fd, &byte, 1, MSG_DONTWAIT) != -1 ||
				   (errno != EAGAIN && errno != EWOULDBLOCK)) {
				die("recv(MSG_DONTWAIT) on an idle socket did "
				    "not give EAGAIN");
			}
		}
		if (b >= WARMUP / BATCH)
			v[b - WARMUP / BATCH] = now_ns() - t0;
	}
	qsort(v, nb, sizeof(v[0]), cmp_i64);
	*med = (double)pct(v, nb, 50) / BATCH;
	*p90 = (double)pct(v, nb, 90) / BATCH;
}

/**
 * mode_untrapped() - time getppid() and a recv() that gives EAGAIN
 * @n:		number of timed calls of each
 * @filtered:	0: no filter; 1: the one-rule filter of getsockopt; 2: the
 *		filter of recvfrom's address (filter_recvfrom_addr())
 */
static void mode_untrapped(size_t n, int filtered)
{
	double pp, pp90, rv, rv90;
	size_t nb = n / BATCH ? n / BATCH : 1;
	int64_t *v;
	int cli, srv;

	if (filtered < 0)
		die("untrapped: the third word is filtered or argfilter");
	v = malloc(nb * sizeof(*v));
	if (!v)
		die("malloc");
	tcp_pair(&cli, &srv);
	if (filtered == 1 && filter_getsockopt(SECCOMP_RET_ERRNO | EPERM, 0))
		die("installing a seccomp filter");
	if (filtered == 2 && filter_recvfrom_addr())
		die("installing a seccomp filter");
	time_batches(&pp, &pp90, v, nb, -1);
	time_batches(&rv, &rv90, v, nb, cli);
	printf("n=%zu batch=%d getppid_ns=%.1f getppid_p90_ns=%.1f "
	       "recv_ns=%.1f recv_p90_ns=%.1f\n",
	       nb * BATCH, BATCH, pp, pp90, rv, rv90);
	close(cli);
	close(srv);
	free(v);
}

/**
 * send_fd() - pass an fd over an AF_UNIX socket
 * @sock:	the socket
 * @fd:		the fd to pass
 *
 * Return: 0, or -1 with errno set
 */
static int send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	char byte = 0;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &mh, 0) == 1 ? 0 : -1;
}

/**
 * recv_fd() - receive an fd passed by send_fd()
 * @sock:	the socket
 *
 * Return: the fd, or -1
 */
static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(sock, &mh, 0) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&mh);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/*
 * work() - what rrsandbox's answer to getsockopt(fd, SOL_SOCKET, SO_TYPE,
 * optval, optlen) costs in system calls beyond the two ioctls: the fd
 * fetched and identified, optlen read and the read checked, the value
 * and its length written
 */
static void work(int lfd, const struct seccomp_notif *req, int *pidfd)
{
	int32_t len = 0, val[2] = { SOCK_STREAM, 4 };
	struct iovec lo = { &len, sizeof(len) }, lv[2] = {
		{ &val[0], 4 }, { &val[1], 4 } };
	struct iovec ro = { (void *)(uintptr_t)req->data.args[4], 4 }, rv[2] = {
		{ (void *)(uintptr_t)req->data.args[3], 4 },
		{ (void *)(uintptr_t)req->data.args[4], 4 } };
	__u64 id = req->id;
	struct statx stx;
	int fd;

	if (*pidfd < 0)
		*pidfd = (int)syscall(SYS_pidfd_open, req->pid, 0);
	fd = (int)syscall(SYS_pidfd_getfd, *pidfd, (int)req->data.args[0], 0);
	if (fd >= 0) {
		statx(fd, "", AT_EMPTY_PATH | AT_STATX_DONT_SYNC, STATX_INO, &stx);
		close(fd);
	}
	process_vm_readv(req->pid, &lo, 1, &ro, 1, 0);
	ioctl(lfd, SECCOMP_IOCTL_NOTIF_ID_VALID, &id);
	process_vm_writev(req->pid, lv, 2, rv, 2, 0);
}

/**
 * serve() - answer every notification with success until the child exits
 * @lfd:	the seccomp listener
 * @with_work:	wait with epoll_wait() and make work()'s calls first
 */
static void serve(int lfd, int with_work)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	int ep = -1, pidfd = -1;

	if (with_work && ((ep = epoll_create1(0)) < 0 ||
			  epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev)))
		die("epoll for the listener");
	for (;;) {
		if (ep >= 0 && epoll_wait(ep, &ev, 1, -1) < 0 && errno != EINTR)
			break;
		memset(&req, 0, sizeof(req));
		if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_RECV, &req)) {
			if (errno == EINTR)
				continue;
			break;		/* ENOENT once the child is gone */
		}
		if (ep >= 0)
			work(lfd, &req, &pidfd);
		memset(&resp, 0, sizeof(resp));
		resp.id = req.id;
		/* an answer to a call that was interrupted fails: fine */
		ioctl(lfd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	}
	if (ep >= 0)
		close(ep);
	if (pidfd >= 0)
		close(pidfd);
}

/**
 * mode_notify() - time a bare seccomp-notify round trip
 * @n:		number of timed calls
 * @sync:	whether to ask for sync wake-up
 * @with_work:	make rrsandbox's system calls for each (work())
 */
static void mode_notify(size_t n, int sync, int with_work)
{
	int sp[2], lfd, fd, st;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp))
		die("socketpair");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(sp[0]);
		fd = socket(AF_INET, SOCK_STREAM, 0);
		lfd = filter_getsockopt(SECCOMP_RET_USER_NOTIF,
				       SECCOMP_FILTER_FLAG_NEW_LISTENER);
		if (fd < 0 || lfd < 0 || send_fd(sp[1], lfd))
			die("installing a seccomp listener");
		close(lfd);
		time_getsockopt(n, fd, 0);
		exit(0);
	}
	close(sp[1]);
	lfd = recv_fd(sp[0]);
	if (lfd < 0) {
		waitpid(pid, &st, 0);
		errno = 0;
		die("no seccomp listener from the child");
	}
	close(sp[0]);
	/* as rrsandbox does when the kernel has it (6.6+) */
	if (sync)
		ioctl(lfd, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
		      SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);
	serve(lfd, with_work);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st)) {
		errno = 0;
		die("the timing child failed");
	}
}

/**
 * mode_syncwake() - probe SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP in a child
 *
 * The child installs a filter with a listener (for getsockopt, which it
 * never calls), tries the flag and reports through its exit status, so
 * this process stays unfiltered.
 */
static void mode_syncwake(void)
{
	int fd, st;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		fd = filter_getsockopt(SECCOMP_RET_USER_NOTIF,
				       SECCOMP_FILTER_FLAG_NEW_LISTENER);
		if (fd < 0)
			_exit(2);
		_exit(ioctl(fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
			    SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) ? 1 : 0);
	}
	if (waitpid(pid, &st, 0) != pid)
		die("waitpid");
	if (!WIFEXITED(st) || WEXITSTATUS(st) > 1) {
		printf("no (no seccomp listener)\n");
		return;
	}
	printf("%s\n", WEXITSTATUS(st) == 0 ? "yes" : "no");
}

int main(int argc, char **argv)
{
	size_t n = argc > 2 ? strtoul(argv[2], NULL, 10) : 100000;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (n == 0)
		n = 1;
	if (argc > 1 && !strcmp(argv[1], "trap"))
		mode_trap(n);
	else if (argc > 1 && !strcmp(argv[1], "open"))
		mode_each(n, timed_open);
	else if (argc > 1 && !strcmp(argv[1], "openw"))
		mode_each(n, timed_openw);
	else if (argc > 1 && !strcmp(argv[1], "opendir"))
		mode_each(n, timed_opendir);
	else if (argc > 1 && !strcmp(argv[1], "stat"))
		mode_each(n, timed_stat);
	else if (argc > 1 && !strcmp(argv[1], "fork"))
		mode_each(n, timed_fork);
	else if (argc > 1 && !strcmp(argv[1], "close"))
		mode_each(n, timed_close);
	else if (argc > 1 && !strcmp(argv[1], "connect"))
		mode_connect(n);
	else if (argc > 1 && !strcmp(argv[1], "untrapped"))
		mode_untrapped(n, argc <= 3 ? 0 :
				  !strcmp(argv[3], "filtered") ? 1 :
				  !strcmp(argv[3], "argfilter") ? 2 : -1);
	else if (argc > 1 && !strcmp(argv[1], "pingpong"))
		mode_pingpong(n, argc > 4 ? argv[3] : NULL,
			      argc > 4 ? argv[4] : NULL);
	else if (argc > 2 && !strcmp(argv[1], "echo"))
		mode_echo(argv[2], argc > 3 ? argv[3] : "0.0.0.0");
	else if (argc > 1 && !strcmp(argv[1], "notify"))
		mode_notify(n, !(argc > 3 && !strcmp(argv[3], "nosync")),
			    argc > 3 && !strcmp(argv[3], "work"));
	else if (argc > 1 && !strcmp(argv[1], "syncwake"))
		mode_syncwake();
	else {
		fprintf(stderr, "usage: trap_rt trap [N] | open [N] | openw [N] | opendir [N] | stat [N] | fork [N] | close [N] | connect [N] | pingpong [N [ADDR PORT]] | echo PORT [ADDR] | untrapped [N [filtered|argfilter]] | notify [N [nosync|work]] | syncwake\n");
		return 2;
	}
	return 0;
}
