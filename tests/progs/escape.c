/* SPDX-License-Identifier: MIT */
/*
 * escape.c - tries the known ways out of rrsandbox; each must fail inside.
 *
 * A self-checking program (TAP-style output, see tap.h).  With
 * --expect-sandbox it checks that none of these reaches the host's network
 * stack or the supervisor: io_uring, the i386 ABI from 64-bit code (int $0x80
 * with socketcall and with the i386 socket call), x32 syscalls, AF_PACKET,
 * AF_VSOCK, netlink families other than the sandbox's own, sockets made in
 * a forked, untraced-clone, threaded or re-executed process, and, aimed at
 * the supervisor: ptrace, process_vm_readv/writev, /proc/PID/mem,
 * pidfd_getfd and, only when --supervisor is given, signals.
 *
 * Natively these calls succeed (it is the host), so without --expect-sandbox
 * the program only reports what happened as "# info" lines and exits 0; it
 * then never touches its parent.
 *
 * A socket "reaches the host" when the kernel says it is an inet, packet,
 * vsock or netlink socket: the xattr system.sockprotoname names the kernel
 * protocol behind any socket fd ("TCP", "UDPv6", "PACKET", ...), whereas a
 * socket served by rrsandbox is an AF_UNIX end ("UNIX-STREAM", ...).  Each
 * probe runs in a forked child, so a probe that the filter kills (SIGSYS)
 * counts as refused instead of ending the run.
 *
 * Usage: escape [--expect-sandbox] [--supervisor PID|ppid]
 *        (--probe-exec is used internally after a re-exec)
 *
 * It knows nothing of rrsandbox's internals.  Exit status: 0 if every check
 * passed (always 0 natively), 1 if not.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "tap.h"

#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef PTRACE_SEIZE
#define PTRACE_SEIZE 0x4206
#endif

#define X32_BIT		0x40000000L
#define I386_SOCKETCALL	102	/* i386 __NR_socketcall */
#define I386_SOCKET	359	/* i386 __NR_socket */
#define I386_IOCTL	54	/* i386 __NR_ioctl */
#define SYS_SOCKET_CALL	1	/* socketcall's SYS_SOCKET */

static int sandboxed;		/* --expect-sandbox */

/* What a probe did, reported by the forked child that ran it. */
struct res {
	long ret;		/* the call's return value */
	int err;		/* errno after it */
	int sig;		/* signal that killed the child, or 0 */
	char proto[32];		/* kernel protocol of a returned fd, or "" */
};

typedef long (*probe_fn)(const long *arg);

/* Kernel protocol behind a socket fd ("TCP", "UNIX-STREAM", ...). */
static void sock_proto(int fd, char *buf, size_t size)
{
	ssize_t n = fgetxattr(fd, "system.sockprotoname", buf, size - 1);

	if (n < 0)
		snprintf(buf, size, "? (%s)", tap_errname(errno));
	else
		buf[n] = '\0';
}

/**
 * run_probe() - run one call in a forked child and collect its outcome
 * @fn:		the probe
 * @arg:	its arguments
 * @is_fd:	whether a non-negative return is a file descriptor
 *
 * Return: what happened; a child killed by a signal has @sig set.
 */
static struct res run_probe(probe_fn fn, const long *arg, int is_fd)
{
	struct res r = { -1, 0, 0, "" };
	int p[2], st;
	pid_t pid;

	if (pipe(p) < 0) {
		r.err = errno;
		return r;
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		r.ret = fn(arg);
		r.err = errno;
		if (r.ret >= 0 && is_fd)
			sock_proto((int)r.ret, r.proto, sizeof(r.proto));
		if (write(p[1], &r, sizeof(r)) != sizeof(r))
			_exit(3);
		_exit(0);
	}
	close(p[1]);
	if (pid < 0) {
		r.err = errno;
		close(p[0]);
		return r;
	}
	if (read(p[0], &r, sizeof(r)) != sizeof(r))
		r = (struct res){ -1, 0, 0, "" };
	close(p[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(st))
		r.sig = WTERMSIG(st);
	return r;
}

static const char *describe(const struct res *r)
{
	static char buf[96];

	if (r->sig)
		snprintf(buf, sizeof(buf), "killed by signal %d", r->sig);
	else if (r->ret < 0)
		snprintf(buf, sizeof(buf), "-1/%s", tap_errname(r->err));
	else if (r->proto[0])
		snprintf(buf, sizeof(buf), "fd %ld, kernel protocol %s", r->ret, r->proto);
	else
		snprintf(buf, sizeof(buf), "%ld", r->ret);
	return buf;
}

/* A socket the host kernel serves: anything but an AF_UNIX end. */
static int host_socket(const struct res *r)
{
	return !r->sig && r->ret >= 0 && strncmp(r->proto, "UNIX", 4) != 0;
}

/*
 * In the sandbox: the check "@what @verdict"; natively: one info line with
 * what happened.
 */
static void report(const char *what, const char *verdict, int pass,
		   const struct res *r)
{
	char desc[160];

	snprintf(desc, sizeof(desc), "%s %s", what, verdict);
	if (sandboxed)
		tap_result(pass, desc, "got %s", describe(r));
	else
		tap_info("%s: %s", what, describe(r));
}

/* The socket must be refused or served by the sandbox, not the host. */
static void expect_not_host(const char *what, const struct res *r)
{
	report(what, "makes no host socket", !host_socket(r), r);
}

/* The call must fail (or be killed). */
static void expect_refused(const char *what, const struct res *r)
{
	report(what, "is refused", r->sig || r->ret < 0, r);
}

/* ---- probes (each runs in a child) --------------------------------------- */

static long p_io_uring(const long *arg)
{
	static char params[120];	/* struct io_uring_params */

	(void)arg;
	return syscall(__NR_io_uring_setup, 8, params);
}

/* An i386 system call through int $0x80 from 64-bit code. */
static long int80(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(nr), "b"(a), "c"(b), "d"(c)
			 : "memory", "r8", "r9", "r10", "r11");
	ret = (int)ret;
	if (ret < 0 && ret > -4096) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}

static long p_int80_socket(const long *arg)
{
	return int80(I386_SOCKET, arg[0], arg[1], 0);
}

static long p_int80_socketcall(const long *arg)
{
	uint32_t *args = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);

	if (args == MAP_FAILED)
		return -1;
	args[0] = (uint32_t)arg[0];
	args[1] = (uint32_t)arg[1];
	args[2] = 0;
	return int80(I386_SOCKETCALL, SYS_SOCKET_CALL, (long)(uintptr_t)args, 0);
}

/* i386 ioctl(SIOCGIFINDEX, "lo") on an AF_UNIX socket: natively the
 * host's interfaces answer; in the sandbox only x86-64 calls are. */
static long p_int80_ifindex(const long *arg)
{
	char *ifr = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	(void)arg;
	if (ifr == MAP_FAILED || fd < 0)
		return -1;
	memcpy(ifr, "lo", 3);
	return int80(I386_IOCTL, fd, SIOCGIFINDEX, (long)(uintptr_t)ifr);
}

static long p_x32_socket(const long *arg)
{
	return syscall(X32_BIT | SYS_socket, arg[0], arg[1], arg[2]);
}

static long p_socket(const long *arg)
{
	return socket((int)arg[0], (int)arg[1], (int)arg[2]);
}

/* Where a probe's own child reports (a MAP_SHARED page). */
static struct res *shared;

/* socket(AF_INET) in a clone(CLONE_UNTRACED) child; result in *shared. */
static long p_untraced(const long *arg)
{
	int st;
	long pid;

	(void)arg;
	*shared = (struct res){ -1, 0, 0, "" };
	pid = syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0) {
		shared->ret = socket(AF_INET, SOCK_STREAM, 0);
		shared->err = errno;
		if (shared->ret >= 0)
			sock_proto((int)shared->ret, shared->proto, sizeof(shared->proto));
		_exit(0);
	}
	if (pid < 0)
		return -1;
	waitpid((pid_t)pid, &st, 0);
	if (WIFSIGNALED(st))
		shared->sig = WTERMSIG(st);
	return 0;
}

/* ---- checks ------------------------------------------------------------- */

static void check_sockets(void)
{
	static const struct { const char *desc; long a[3]; int refuse; } tab[] = {
		{ "x32 socket(AF_INET, SOCK_STREAM)", { AF_INET, SOCK_STREAM, 0 }, 1 },
		{ "socket(AF_PACKET, SOCK_RAW)", { AF_PACKET, SOCK_RAW, 0 }, 0 },
		{ "socket(AF_PACKET, SOCK_DGRAM)", { AF_PACKET, SOCK_DGRAM, 0 }, 0 },
		{ "socket(AF_VSOCK, SOCK_STREAM)", { AF_VSOCK, SOCK_STREAM, 0 }, 0 },
		{ "socket(AF_VSOCK, SOCK_DGRAM)", { AF_VSOCK, SOCK_DGRAM, 0 }, 0 },
		{ "socket(AF_NETLINK, NETLINK_SOCK_DIAG)", { AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG }, 0 },
		{ "socket(AF_NETLINK, NETLINK_GENERIC)", { AF_NETLINK, SOCK_RAW, NETLINK_GENERIC }, 0 },
		{ "socket(AF_NETLINK, NETLINK_NETFILTER)", { AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER }, 0 },
		{ "socket(AF_NETLINK, NETLINK_XFRM)", { AF_NETLINK, SOCK_RAW, NETLINK_XFRM }, 0 },
		{ "socket(AF_NETLINK, NETLINK_AUDIT)", { AF_NETLINK, SOCK_RAW, NETLINK_AUDIT }, 0 },
		{ "socket(AF_NETLINK, NETLINK_KOBJECT_UEVENT)", { AF_NETLINK, SOCK_DGRAM, NETLINK_KOBJECT_UEVENT }, 0 },
		{ "socket(AF_NETLINK, NETLINK_ROUTE)", { AF_NETLINK, SOCK_RAW, NETLINK_ROUTE }, 0 },
		{ "socket(AF_INET, SOCK_STREAM)", { AF_INET, SOCK_STREAM, 0 }, 0 },
		{ "socket(AF_INET6, SOCK_STREAM)", { AF_INET6, SOCK_STREAM, 0 }, 0 },
		{ "socket(AF_INET, SOCK_DGRAM)", { AF_INET, SOCK_DGRAM, 0 }, 0 },
		{ "socket(AF_INET6, SOCK_DGRAM)", { AF_INET6, SOCK_DGRAM, 0 }, 0 },
		{ "socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)", { AF_INET, SOCK_DGRAM, IPPROTO_ICMP }, 0 },
		{ "socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)", { AF_INET, SOCK_RAW, IPPROTO_ICMP }, 0 },
		{ "socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6)", { AF_INET6, SOCK_RAW, IPPROTO_ICMPV6 }, 0 },
		{ "socket(AF_INET, SOCK_RAW, 89)", { AF_INET, SOCK_RAW, 89 }, 0 },
		{ "socket(AF_INET, SOCK_STREAM, IPPROTO_MPTCP)", { AF_INET, SOCK_STREAM, 262 }, 0 },
		{ "socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE)", { AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE }, 0 },
		{ "socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP)", { AF_INET, SOCK_STREAM, IPPROTO_SCTP }, 0 },
	};
	struct res r;
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		r = run_probe(i == 0 ? p_x32_socket : p_socket, tab[i].a, 1);
		if (tab[i].refuse)
			expect_refused(tab[i].desc, &r);
		else
			expect_not_host(tab[i].desc, &r);
	}
}

static void check_i386(void)
{
	static const long v4s[2] = { AF_INET, SOCK_STREAM }, v4d[2] = { AF_INET, SOCK_DGRAM },
			  v6s[2] = { AF_INET6, SOCK_STREAM };
	struct res r;

	r = run_probe(p_int80_socketcall, v4s, 1);
	expect_not_host("int $0x80 socketcall(SYS_SOCKET, AF_INET, SOCK_STREAM)", &r);
	r = run_probe(p_int80_socketcall, v6s, 1);
	expect_not_host("int $0x80 socketcall(SYS_SOCKET, AF_INET6, SOCK_STREAM)", &r);
	r = run_probe(p_int80_socket, v4s, 1);
	expect_not_host("int $0x80 i386 socket(AF_INET, SOCK_STREAM)", &r);
	r = run_probe(p_int80_socket, v4d, 1);
	expect_not_host("int $0x80 i386 socket(AF_INET, SOCK_DGRAM)", &r);
	r = run_probe(p_int80_ifindex, NULL, 0);
	expect_refused("int $0x80 i386 ioctl(unix socket, SIOCGIFINDEX, lo)", &r);
}

static void check_io_uring(void)
{
	struct res r = run_probe(p_io_uring, NULL, 0);

	report("io_uring_setup", "is refused (ENOSYS or EPERM)",
	       r.sig || (r.ret < 0 && (r.err == ENOSYS || r.err == EPERM)), &r);
}

static void check_untraced(void)
{
	struct res r = run_probe(p_untraced, NULL, 0);

	if (r.ret == 0)
		r = *shared;
	expect_not_host("clone(CLONE_UNTRACED) child: socket(AF_INET)", &r);
}

static void *thread_socket(void *arg)
{
	struct res *r = arg;

	r->ret = socket(AF_INET6, SOCK_DGRAM, 0);
	r->err = errno;
	if (r->ret >= 0) {
		sock_proto((int)r->ret, r->proto, sizeof(r->proto));
		close((int)r->ret);
	}
	return NULL;
}

static void check_thread(void)
{
	struct res r = { -1, 0, 0, "" };
	pthread_t t;

	if (pthread_create(&t, NULL, thread_socket, &r) == 0)
		pthread_join(t, NULL);
	expect_not_host("second thread: socket(AF_INET6, SOCK_DGRAM)", &r);
}

/* Runs this program again with --probe-exec and reads its verdict. */
static void check_exec(void)
{
	struct res r = { -1, 0, 0, "" };
	char buf[sizeof(r.proto)] = "";
	int p[2], st;
	ssize_t n;
	pid_t pid;

	if (pipe(p) < 0)
		return;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(p[1], STDOUT_FILENO);
		close(p[0]);
		close(p[1]);
		execl("/proc/self/exe", "escape", "--probe-exec", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	n = read(p[0], buf, sizeof(buf) - 1);
	close(p[0]);
	waitpid(pid, &st, 0);
	if (n > 0) {
		buf[n] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		r.ret = strcmp(buf, "refused") ? 3 : -1;
		snprintf(r.proto, sizeof(r.proto), "%s", buf);
	}
	expect_not_host("after execve: socket(AF_INET)", &r);
}

/* --probe-exec: print the kernel protocol of a new AF_INET socket. */
static int probe_exec(void)
{
	char proto[32];
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0) {
		printf("refused\n");
		return 0;
	}
	sock_proto(fd, proto, sizeof(proto));
	printf("%s\n", proto);
	return 0;
}

/* ---- the supervisor ------------------------------------------------------ */

static pid_t sup;

static long p_seize(const long *arg)
{
	(void)arg;
	/* If this succeeds, this child's exit detaches again. */
	return ptrace(PTRACE_SEIZE, sup, 0, 0);
}

static long p_attach(const long *arg)
{
	int st;
	long r;

	(void)arg;
	r = ptrace(PTRACE_ATTACH, sup, 0, 0);
	if (r == 0) {
		/* Let it go again without its SIGSTOP. */
		waitpid(sup, &st, __WALL);
		ptrace(PTRACE_DETACH, sup, 0, 0);
	}
	return r;
}

/* Address 0 is never mapped: EFAULT would mean the permission check passed. */
static long p_vm_read(const long *arg)
{
	char c;
	struct iovec l = { &c, 1 }, rem = { NULL, 1 };

	(void)arg;
	return process_vm_readv(sup, &l, 1, &rem, 1, 0);
}

static long p_vm_write(const long *arg)
{
	char c = 0;
	struct iovec l = { &c, 1 }, rem = { NULL, 1 };

	(void)arg;
	return process_vm_writev(sup, &l, 1, &rem, 1, 0);
}

static long p_proc_mem(const long *arg)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)sup, arg ? "fd" : "mem");
	return open(path, O_RDONLY | (arg ? O_DIRECTORY : 0));
}

/* Tries to copy each of the supervisor's first 256 fds. Return: a copy or -1. */
static long p_getfd(const long *arg)
{
	long pidfd = syscall(SYS_pidfd_open, sup, 0), fd = -1;
	int i, err = ESRCH;

	(void)arg;
	if (pidfd < 0)
		return -1;
	for (i = 0; i < 256 && fd < 0; i++) {
		fd = syscall(SYS_pidfd_getfd, pidfd, i, 0);
		if (fd < 0 && errno != EBADF)
			err = errno;
	}
	errno = err;
	return fd;
}

enum sigway { SIG_KILL, SIG_TKILL, SIG_TGKILL, SIG_QUEUE, SIG_PIDFD, NWAYS };
static const char *const wayname[NWAYS] = {
	"kill", "tkill", "tgkill", "rt_sigqueueinfo", "pidfd_send_signal",
};

/* arg[0]: way, arg[1]: signal. */
static long p_signal(const long *arg)
{
	siginfo_t si;
	long pidfd;
	int sig = (int)arg[1];

	switch (arg[0]) {
	case SIG_KILL:	return kill(sup, sig);
	case SIG_TKILL:	return syscall(SYS_tkill, sup, sig);
	case SIG_TGKILL: return syscall(SYS_tgkill, sup, sup, sig);
	case SIG_QUEUE:
		memset(&si, 0, sizeof(si));
		si.si_signo = sig;
		si.si_code = SI_QUEUE;
		si.si_pid = getpid();
		si.si_uid = getuid();
		return syscall(SYS_rt_sigqueueinfo, sup, sig, &si);
	case SIG_PIDFD:
		pidfd = syscall(SYS_pidfd_open, sup, 0);
		if (pidfd < 0)
			return -1;
		return syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
	}
	errno = EINVAL;
	return -1;
}

/* A signal must be refused with EPERM (or the sender killed). Return: pass. */
static int tap_result_eperm(const char *desc, const struct res *r)
{
	int pass = r->sig || (r->ret < 0 && r->err == EPERM);

	tap_result(pass, desc, "got %s", describe(r));
	return pass;
}

/* Refused, and refused for lack of permission rather than a bad address. */
static void expect_eperm(const char *desc, const struct res *r)
{
	tap_result(r->sig || (r->ret < 0 && r->err != EFAULT && r->err != ESRCH), desc,
		   "got %s, want a refusal (EPERM)", describe(r));
}

static void check_supervisor(int may_signal)
{
	static const long dir = 1;
	long sa[2];
	struct res r;
	char path[64], d[128];
	int w;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)sup);
	f = fopen(path, "r");
	tap_result(f != NULL, "the supervisor's pid exists", "pid %d: %s", (int)sup,
		   tap_errname(errno));
	if (!f)
		return;
	if (fgets(d, sizeof(d), f))
		tap_info("supervisor: %.*s", (int)strcspn(d, "\n"), d);
	fclose(f);
	if (getpgid(0) == getpgid(sup))
		tap_info("same process group as the supervisor: kill(0, sig) would reach it (not tried)");

	r = run_probe(p_seize, NULL, 0);
	expect_eperm("ptrace(PTRACE_SEIZE, supervisor) refused", &r);
	if (r.ret < 0) {
		r = run_probe(p_attach, NULL, 0);
		expect_eperm("ptrace(PTRACE_ATTACH, supervisor) refused", &r);
	}
	r = run_probe(p_vm_read, NULL, 0);
	expect_eperm("process_vm_readv(supervisor) refused", &r);
	r = run_probe(p_vm_write, NULL, 0);
	expect_eperm("process_vm_writev(supervisor) refused", &r);
	r = run_probe(p_proc_mem, NULL, 0);
	expect_eperm("open(/proc/SUPERVISOR/mem) refused", &r);
	r = run_probe(p_proc_mem, &dir, 0);
	expect_eperm("open(/proc/SUPERVISOR/fd) refused", &r);
	r = run_probe(p_getfd, NULL, 1);
	tap_result(r.ret < 0, "pidfd_getfd(supervisor, 0..255) gets nothing", "got %s",
		   describe(&r));
	if (!may_signal) {
		tap_info("signals to the supervisor not tried (give --supervisor PID)");
		return;
	}
	/* Signal 0 only probes (and SIGCONT is allowed within a session
	 * whatever the uids, so it proves nothing); SIGKILL is the real test.
	 * If one gets through, the supervisor is gone and the run fails. */
	sa[0] = SIG_KILL;
	sa[1] = 0;
	r = run_probe(p_signal, sa, 0);
	tap_info("kill(supervisor, 0): %s", describe(&r));
	for (w = 0; w < NWAYS; w++) {
		sa[0] = w;
		sa[1] = SIGKILL;
		r = run_probe(p_signal, sa, 0);
		snprintf(d, sizeof(d), "%s(supervisor, SIGKILL) fails with EPERM", wayname[w]);
		tap_result_eperm(d, &r);
	}
}

int main(int argc, char **argv)
{
	const char *sup_arg = NULL;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--probe-exec"))
			return probe_exec();
		if (!strcmp(argv[i], "--expect-sandbox")) {
			sandboxed = 1;
		} else if (!strcmp(argv[i], "--supervisor") && i + 1 < argc) {
			sup_arg = argv[++i];
		} else {
			fprintf(stderr, "usage: %s [--expect-sandbox] [--supervisor PID|ppid]\n",
				argv[0]);
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(60);
	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	if (!sandboxed)
		tap_info("native mode: reporting only; these calls are expected to work here");
	check_io_uring();
	check_i386();
	check_sockets();
	check_untraced();
	check_thread();
	check_exec();

	if (!sandboxed) {
		tap_info("supervisor checks skipped natively (they need --expect-sandbox)");
		tap_result(1, "native mode: all probes ran", "%s", "");
		return tap_done();
	}
	sup = getppid();
	if (sup_arg && strcmp(sup_arg, "ppid"))
		sup = (pid_t)atoi(sup_arg);
	if (sup <= 1) {
		tap_result(0, "supervisor pid", "got %d", (int)sup);
		return tap_done();
	}
	check_supervisor(sup_arg != NULL);
	return tap_done();
}
