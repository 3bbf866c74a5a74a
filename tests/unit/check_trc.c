/* SPDX-License-Identifier: MIT */
/*
 * check_trc.c - unit tests of tracer/: /proc helpers, the seccomp filter,
 * and the notify backend end to end.
 *
 * proc.c is tested on this process and on forked children; filter.c by
 * loading trc__filter_new(getppid()) in a forked child, which then makes
 * the calls a sandboxed program would and reports every unexpected result
 * back through a pipe (a child must not call ck_assert: its failure would
 * not be this test's).  The notify round trips answer the child's trapped
 * calls from the test process with the raw SECCOMP_IOCTL_NOTIF_* ioctls;
 * the trc_spawn() tests run this very binary as the tracee ("--tracee
 * WHAT", see tracee_main()) on a libuv loop and answer through trc.h.
 * Linked with rrs_trc only; run as any user (no privileges needed).
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/filter.h>
#include <linux/openat2.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <netinet/in.h>
#include <unistd.h>

#include "tracer/internal.h"
#include "tracer/trc.h"

#ifndef __X32_SYSCALL_BIT
#define __X32_SYSCALL_BIT 0x40000000
#endif

/* i386 system call numbers (arch/x86/entry/syscalls/syscall_32.tbl). */
enum {
	I386_GETPID = 20, I386_KILL = 37, I386_SOCKETCALL = 102,
	I386_SOCKET = 359, I386_SOCKETPAIR = 360, I386_CONNECT = 362,
	I386_IO_URING_SETUP = 425,
};

#define DEADLINE_MS 5000

/* ---- children that report their own failures ---- */

static int report_fd = -1;	/* in a child: where its failures go */

static void child_fail(int line, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void child_fail(int line, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	n = snprintf(buf, sizeof(buf), "line %d: ", line);
	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof(buf) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	strcat(buf, "\n");
	if (write(report_fd, buf, strlen(buf)) < 0)
		_exit(2);
}

#define CHILD_CHECK(cond, ...) \
	do { if (!(cond)) child_fail(__LINE__, __VA_ARGS__); } while (0)
#define CHILD_REQUIRE(cond, ...) \
	do { if (!(cond)) { child_fail(__LINE__, __VA_ARGS__); _exit(1); } } while (0)
/* @call must fail with errno @e. */
#define CHILD_ERRNO(call, e) do { \
	long r_; \
	errno = 0; \
	r_ = (long)(call); \
	CHILD_CHECK(r_ == -1 && errno == (e), "%s = %ld (%s), want %s", #call, \
		    r_, strerror(errno), strerror(e)); \
	} while (0)

typedef void (*child_fn)(void *arg);

/*
 * child_start() - fork a child that runs @fn and exits 0
 * @fn:		what the child does; it reports failures with CHILD_*
 * @arg:	passed to @fn
 * @rfd:	set to the read end of its report pipe
 *
 * Return: its pid
 */
static pid_t child_start(child_fn fn, void *arg, int *rfd)
{
	int p[2];
	pid_t pid;

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	fflush(NULL);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(p[0]);
		report_fd = p[1];
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		fn(arg);
		_exit(0);
	}
	close(p[1]);
	*rfd = p[0];
	return pid;
}

/* Wait for a child of child_start(): it must exit with @want having
 * reported nothing (nor anything that inherited its report pipe). */
static void child_finish_status(pid_t pid, int rfd, int want)
{
	char buf[4096];
	size_t len = 0;
	int status = 0;

	for (;;) {
		struct pollfd pfd = { .fd = rfd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, DEADLINE_MS) != 1) {
			kill(pid, SIGKILL);
			break;
		}
		n = read(rfd, buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == sizeof(buf) - 1)
			break;
	}
	buf[len] = '\0';
	close(rfd);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(len == 0, "child reported:\n%s", buf);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == want,
		      "child status 0x%x (signal %d), want exit %d", status,
		      WIFSIGNALED(status) ? WTERMSIG(status) : 0, want);
}

static void child_finish(pid_t pid, int rfd)
{
	child_finish_status(pid, rfd, 0);
}

/* In a child: load the sandbox's filter, the test process as supervisor. */
static scmp_filter_ctx child_load_filter(void)
{
	scmp_filter_ctx ctx;
	int e = 0, ret;

	ctx = trc__filter_new(getppid(), false, &e);
	CHILD_REQUIRE(ctx, "trc__filter_new: %s", strerror(-e));
	ret = seccomp_load(ctx);
	CHILD_REQUIRE(ret == 0, "seccomp_load: %s", strerror(-ret));
	return ctx;
}

/*
 * Load the filter with no listener at all: a trapped call then fails with
 * ENOSYS at once instead of waiting for a supervisor nobody runs (a
 * listener, once made, would have to be answered to pass its fd on): the
 * filter is exported and loaded by hand, without
 * SECCOMP_FILTER_FLAG_NEW_LISTENER.
 */
static void child_load_filter_alone(void)
{
	static struct sock_filter insn[4096];
	struct sock_fprog prog = { .filter = insn };
	scmp_filter_ctx ctx;
	int e = 0, mfd;
	ssize_t n;

	ctx = trc__filter_new(getppid(), false, &e);
	CHILD_REQUIRE(ctx, "trc__filter_new: %s", strerror(-e));
	mfd = memfd_create("filter", MFD_CLOEXEC);
	CHILD_REQUIRE(mfd >= 0, "memfd_create: %s", strerror(errno));
	e = seccomp_export_bpf(ctx, mfd);
	CHILD_REQUIRE(e == 0, "seccomp_export_bpf: %s", strerror(-e));
	n = pread(mfd, insn, sizeof(insn), 0);
	CHILD_REQUIRE(n > 0 && n % sizeof(insn[0]) == 0 && n < (ssize_t)sizeof(insn),
		      "reading the exported filter: %zd", n);
	close(mfd);
	seccomp_release(ctx);
	prog.len = (unsigned short)(n / sizeof(insn[0]));
	CHILD_REQUIRE(!prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs");
	CHILD_REQUIRE(!syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog),
		      "seccomp(SET_MODE_FILTER): %s", strerror(errno));
}

static long int80(long nr, long a, long b, long c)
{
	long ret;

	/* The kernel clears r8-r11 on return from an int $0x80 (4.14+). */
	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(nr), "b"(a), "c"(b), "d"(c)
			 : "r8", "r9", "r10", "r11", "memory");
	return ret;
}

static int send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	char byte = 'L';
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	char byte;
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct pollfd pfd = { .fd = sock, .events = POLLIN };
	struct cmsghdr *cm;
	int fd;

	if (poll(&pfd, 1, DEADLINE_MS) != 1 || recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

static bool has(const pid_t *pids, size_t n, pid_t p)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (pids[i] == p)
			return true;
	return false;
}

/* ---- trc_fd_inode() ---- */

START_TEST(trc_fd_inode_socket_matches_fstat)
{
	struct stat st;
	uint64_t ino = 0;
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(trc_fd_inode(NULL, getpid(), sv[1], &ino), 0);
	ck_assert_int_eq(fstat(sv[1], &st), 0);
	ck_assert_uint_eq(ino, st.st_ino);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

/* A pipe whose EOF releases children; each closes its write end first. */
static void hold_until_eof(void *arg)
{
	int *go = arg;
	char b;

	close(go[1]);
	CHILD_CHECK(read(go[0], &b, 1) == 0, "release pipe");
}

START_TEST(trc_fd_inode_other_process_matches_fstat)
{
	int sv[2], go[2], rfd;
	struct stat st;
	uint64_t ino = 0;
	pid_t pid;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	ck_assert_int_eq(fstat(sv[1], &st), 0);
	ck_assert_int_eq(pipe(go), 0);
	pid = child_start(hold_until_eof, go, &rfd);
	close(go[0]);
	close(sv[1]);		/* only the child has it now */
	ck_assert_int_eq(trc_fd_inode(NULL, pid, sv[1], &ino), 0);
	ck_assert_uint_eq(ino, st.st_ino);
	ck_assert_int_eq(trc_fd_inode(NULL, getpid(), sv[1], &ino), -EBADF);
	close(go[1]);
	child_finish(pid, rfd);
	close(sv[0]);
}
END_TEST

START_TEST(trc_fd_inode_pipe_enotsock)
{
	uint64_t ino = 0;
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(trc_fd_inode(NULL, getpid(), p[0], &ino), -ENOTSOCK);
	ck_assert_int_eq(trc_fd_inode(NULL, getpid(), p[1], &ino), -ENOTSOCK);
	close(p[0]);
	close(p[1]);
}
END_TEST

START_TEST(trc_fd_inode_closed_ebadf)
{
	uint64_t ino = 0;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(trc_fd_inode(NULL, getpid(), fd, &ino), -EBADF);
	ck_assert_int_eq(trc_fd_inode(NULL, getpid(), -1, &ino), -EBADF);
	ck_assert_int_eq(trc_fd_inode(NULL, getpid(), INT_MAX, &ino), -EBADF);
}
END_TEST

/* ---- trc_fd_flags() ---- */

START_TEST(trc_fd_flags_nonblock_follows_fcntl)
{
	int fd = socket(AF_UNIX, SOCK_STREAM, 0), fl;

	ck_assert_int_ge(fd, 0);
	fl = trc_fd_flags(getpid(), fd);
	ck_assert_int_ge(fl, 0);
	ck_assert_int_eq(fl & O_ACCMODE, O_RDWR);
	ck_assert_int_eq(fl & O_NONBLOCK, 0);
	ck_assert_int_eq(fcntl(fd, F_SETFL, O_NONBLOCK), 0);
	ck_assert_int_eq(trc_fd_flags(getpid(), fd) & O_NONBLOCK, O_NONBLOCK);
	ck_assert_int_eq(fcntl(fd, F_SETFL, 0), 0);
	ck_assert_int_eq(trc_fd_flags(getpid(), fd) & O_NONBLOCK, 0);
	close(fd);
}
END_TEST

START_TEST(trc_fd_flags_socket_type_flag_seen)
{
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(trc_fd_flags(getpid(), fd) & O_NONBLOCK, O_NONBLOCK);
	close(fd);
}
END_TEST

START_TEST(trc_fd_flags_access_mode_of_pipe)
{
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(trc_fd_flags(getpid(), p[0]) & O_ACCMODE, O_RDONLY);
	ck_assert_int_eq(trc_fd_flags(getpid(), p[1]) & O_ACCMODE, O_WRONLY);
	close(p[0]);
	close(p[1]);
}
END_TEST

START_TEST(trc_fd_flags_closed_ebadf)
{
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(trc_fd_flags(getpid(), fd), -EBADF);
}
END_TEST

/* ---- trc_fd_fetch() ---- */

START_TEST(trc_fd_fetch_same_socket)
{
	struct stat st, got_st;
	uint64_t ino;
	int sv[2], got;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(fstat(sv[0], &st), 0);
	ino = st.st_ino;
	got = trc_fd_fetch(NULL, getpid(), sv[0], ino);
	if (got == -EPERM) {
		/* Docker's default seccomp profile refuses pidfd_getfd(). */
		fprintf(stderr, "trc_fd_fetch_same_socket: pidfd_getfd refused, skipped\n");
		return;
	}
	ck_assert_int_ge(got, 0);
	ck_assert_int_eq(fstat(got, &got_st), 0);
	ck_assert_uint_eq(got_st.st_ino, ino);
	close(got);
	ck_assert_int_eq(trc_fd_fetch(NULL, getpid(), sv[0], ino + 1), -ESTALE);
	/* A closed fd: not the lowest free number, which the pidfd that
	 * trc_fd_fetch() opens in this same process would take. */
	got = fcntl(sv[0], F_DUPFD_CLOEXEC, 500);
	ck_assert_int_ge(got, 500);
	close(got);
	ck_assert_int_eq(trc_fd_fetch(NULL, getpid(), got, ino), -EBADF);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

/* A child holding a socket; its fd number and inode come back on a pipe,
 * and it lives until @go's write end is closed. */
struct holder {
	pid_t pid;
	int fd;
	uint64_t ino;
};

static void *holder_thread(void *arg)
{
	char c;

	return read(*(int *)arg, &c, 1) < 0 ? NULL : arg;
}

static void holder_start_threads(struct holder *h, int go_r, int go_w,
				 bool thread)
{
	struct stat st;
	int p[2], sv[2];
	pthread_t th;
	pid_t pid;

	ck_assert_int_eq(pipe(p), 0);
	h->pid = fork();
	ck_assert_int_ge(h->pid, 0);
	if (h->pid == 0) {
		char c;

		close(go_w);
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) || fstat(sv[0], &st))
			_exit(1);
		h->fd = sv[0];
		h->ino = st.st_ino;
		if (thread && pthread_create(&th, NULL, holder_thread, &go_r))
			_exit(1);
		if (write(p[1], h, sizeof(*h)) != sizeof(*h))
			_exit(1);
		if (read(go_r, &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	pid = h->pid;	/* the child sent its own view: 0 */
	ck_assert_int_eq(read(p[0], h, sizeof(*h)), sizeof(*h));
	h->pid = pid;
	close(p[0]);
}

static void holder_start(struct holder *h, int go_r, int go_w)
{
	holder_start_threads(h, go_r, go_w, false);
}

/* End a holder: EOF on @go releases it; it is reaped and @go closed. */
static void holder_stop(const struct holder *h, int go[2])
{
	close(go[1]);
	ck_assert_int_eq(waitpid(h->pid, NULL, 0), h->pid);
	close(go[0]);
}

static int count_fds(void)
{
	struct dirent *de;
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n - 1;	/* the directory's own fd */
}

START_TEST(trc_fd_fetch_pidfd_cache_bounded)
{
	struct trc__pidfds c = { 0 };
	struct holder h[TRC__PIDFD_N + 8];
	int go[2], base, i, got;

	ck_assert_int_eq(pipe(go), 0);
	base = count_fds();
	for (i = 0; i < TRC__PIDFD_N + 8; i++)
		holder_start(&h[i], go[0], go[1]);
	for (i = 0; i < TRC__PIDFD_N + 8; i++) {
		got = trc__fd_fetch(&c, h[i].pid, h[i].fd, h[i].ino);
		if (got == -EPERM) {
			fprintf(stderr, "pidfd_getfd refused, skipped\n");
			break;
		}
		ck_assert_int_ge(got, 0);
		close(got);
		/* Again, now from the cache: the same socket. */
		got = trc__fd_fetch(&c, h[i].pid, h[i].fd, h[i].ino);
		ck_assert_int_ge(got, 0);
		close(got);
		ck_assert_int_eq(trc__fd_fetch(&c, h[i].pid, h[i].fd, h[i].ino + 1),
				 -ESTALE);
	}
	/* At most TRC__PIDFD_N entries stay open, a pidfd and a directory each,
	 * and trc__pidfds_free() closes them (the pipe's two ends are part
	 * of base). */
	ck_assert_int_le(count_fds(), base + 2 * TRC__PIDFD_N);
	trc__pidfds_free(&c);
	ck_assert_int_eq(count_fds(), base);
	close(go[1]);
	for (i = 0; i < TRC__PIDFD_N + 8; i++)
		ck_assert_int_eq(waitpid(h[i].pid, NULL, 0), h[i].pid);
	close(go[0]);
}
END_TEST

START_TEST(trc_fd_fetch_dead_process_not_served_from_cache)
{
	struct trc__pidfds c = { 0 };
	struct holder h;
	int go[2], got;

	ck_assert_int_eq(pipe(go), 0);
	holder_start(&h, go[0], go[1]);
	got = trc__fd_fetch(&c, h.pid, h.fd, h.ino);
	if (got == -EPERM)
		return;
	ck_assert_int_ge(got, 0);	/* its pidfd is cached now */
	close(got);
	close(go[1]);
	ck_assert_int_eq(waitpid(h.pid, NULL, 0), h.pid);
	/* Reaped, not forgotten: the cached pidfd names a dead process. */
	got = trc__fd_fetch(&c, h.pid, h.fd, h.ino);
	ck_assert_int_lt(got, 0);
	ck_assert(got == -ESRCH || got == -EBADF);
	close(go[0]);
	trc__pidfds_free(&c);
}
END_TEST

START_TEST(trc_fd_inode_cached_same_answers)
{
	struct trc__pidfds c = { 0 };
	struct holder h;
	int go[2], base, got;
	uint64_t ino = 0;

	ck_assert_int_eq(pipe(go), 0);
	holder_start(&h, go[0], go[1]);
	base = count_fds();
	ck_assert_int_eq(trc__fd_inode(&c, h.pid, h.fd, &ino), 0);
	ck_assert_uint_eq(ino, h.ino);
	ck_assert_int_eq(count_fds(), base + 2);	/* its entry */
	ino = 0;
	ck_assert_int_eq(trc__fd_inode(&c, h.pid, h.fd, &ino), 0);
	ck_assert_uint_eq(ino, h.ino);
	/* The holder has the pipe's read end at go[0]'s number. */
	ck_assert_int_eq(trc__fd_inode(&c, h.pid, go[0], &ino), -ENOTSOCK);
	ck_assert_int_eq(trc__fd_inode(&c, h.pid, h.fd + 100, &ino), -EBADF);
	ck_assert_int_eq(trc__fd_inode(&c, h.pid, INT_MAX, &ino), -EBADF);
	ck_assert_int_eq(trc__fd_inode(&c, h.pid, -1, &ino), -EBADF);
	ck_assert_int_eq(count_fds(), base + 2);	/* no churn on EBADF */
	/* Nor when a fetch finds no such fd. */
	got = trc__fd_fetch(&c, h.pid, h.fd + 100, h.ino);
	ck_assert(got == -EBADF || got == -EPERM);
	ck_assert_int_eq(count_fds(), base + 2);
	/* A pid outside our namespace (0 in a notification) makes no entry
	 * and does not stop threads from getting theirs. */
	ck_assert_int_eq(trc__fd_inode(&c, 0, h.fd, &ino), -EBADF);
	ck_assert(!c.no_thread_pidfd);
	ck_assert_int_eq(count_fds(), base + 2);
	trc__pidfds_free(&c);
	ck_assert_int_eq(count_fds(), base);
	close(go[1]);
	ck_assert_int_eq(waitpid(h.pid, NULL, 0), h.pid);
	close(go[0]);
}
END_TEST

static void timer_unused(uv_timer_t *t)
{
	(void)t;
}

static bool has_entry(const struct trc__pidfds *c, pid_t pid)
{
	unsigned int i;

	for (i = 0; i < TRC__PIDFD_N; i++)
		if (c->pid[i] == pid && c->ent[i])
			return true;
	return false;
}

START_TEST(trc_fd_inode_dead_process_entry_dropped)
{
	struct trc__pidfds c = { 0 };
	struct holder h;
	uv_loop_t loop;
	uv_timer_t alive;	/* entries' handles do not keep a loop */
	uint64_t ino = 0;
	int go[2], i;

	ck_assert_int_eq(uv_loop_init(&loop), 0);
	uv_timer_init(&loop, &alive);
	uv_timer_start(&alive, timer_unused, 60000, 0);
	c.loop = &loop;
	ck_assert_int_eq(pipe(go), 0);
	holder_start(&h, go[0], go[1]);
	ck_assert_int_eq(trc__fd_inode(&c, h.pid, h.fd, &ino), 0);
	ck_assert_int_eq(trc__fd_inode(&c, h.pid, h.fd, &ino), 0);
	ck_assert_uint_eq(ino, h.ino);
	ck_assert(has_entry(&c, h.pid));	/* its /proc/PID/fd kept */
	close(go[1]);
	/* Its exit makes its pidfd readable, and the loop's next turn drops
	 * the entry before any call of a process that could have its pid by
	 * then (the pid space would have to wrap within one turn of the
	 * loop); the directory could not answer for another anyway. */
	for (i = 0; i < 200 && has_entry(&c, h.pid); i++) {
		uv_run(&loop, UV_RUN_NOWAIT);
		usleep(10000);
	}
	ck_assert(!has_entry(&c, h.pid));
	ck_assert_int_eq(waitpid(h.pid, NULL, 0), h.pid);
	ino = 0;
	ck_assert_int_eq(trc__fd_inode(&c, h.pid, h.fd, &ino), -EBADF);
	ck_assert_uint_eq(ino, 0);
	close(go[0]);
	trc__pidfds_free(&c);
	uv_close((uv_handle_t *)&alive, NULL);
	ck_assert_int_eq(uv_run(&loop, UV_RUN_DEFAULT), 0);
	ck_assert_int_eq(uv_loop_close(&loop), 0);
}
END_TEST

/* Every lookup asks /proc: a number with no fd is EBADF, one that names
 * no socket ENOTSOCK, whatever was asked before. */
START_TEST(trc_fd_inode_asks_each_time)
{
	struct trc__pidfds c = { 0 };
	struct holder h;
	uint64_t ino = 0;
	int go[2];

	ck_assert_int_eq(pipe(go), 0);
	holder_start(&h, go[0], go[1]);
	ck_assert_int_eq(trc__fd_inode(&c, h.pid, h.fd, &ino), 0);
	ck_assert_uint_eq(ino, h.ino);
	ck_assert_int_eq(trc__fd_inode(&c, h.pid, h.fd + 50, &ino), -EBADF);
	ck_assert_int_eq(trc__fd_inode(&c, h.pid, -1, &ino), -EBADF);
	ck_assert_int_eq(trc__fd_inode(&c, h.pid, go[0], &ino), -ENOTSOCK);
	ck_assert_int_eq(trc__fd_inode(NULL, h.pid, h.fd, &ino), 0);
	ck_assert_uint_eq(ino, h.ino);
	holder_stop(&h, go);
	trc__pidfds_free(&c);
}
END_TEST

/* A process with two threads is answered as one with one. */
START_TEST(trc_fd_inode_threads)
{
	struct trc__pidfds c = { 0 };
	struct holder h;
	uint64_t ino = 0;
	int go[2];

	ck_assert_int_eq(pipe(go), 0);
	holder_start_threads(&h, go[0], go[1], true);
	ck_assert_int_eq(trc__fd_inode(&c, h.pid, h.fd, &ino), 0);
	ck_assert_int_eq(trc__fd_inode(&c, h.pid, h.fd, &ino), 0);
	ck_assert_uint_eq(ino, h.ino);
	ck_assert_int_eq(trc__fd_inode(&c, h.pid, h.fd + 50, &ino), -EBADF);
	holder_stop(&h, go);
	trc__pidfds_free(&c);
}
END_TEST

/* A thread that sends its id on @ready and waits for EOF on @go. */
struct waiter {
	int ready[2], go[2];
};

static void *waiter_main(void *arg)
{
	struct waiter *w = arg;
	pid_t tid = (pid_t)syscall(SYS_gettid);
	char b;

	if (write(w->ready[1], &tid, sizeof(tid)) != sizeof(tid))
		return NULL;
	if (read(w->go[0], &b, 1) < 0)
		return NULL;
	return NULL;
}

START_TEST(trc_fd_inode_thread_cached_until_it_exits)
{
	struct trc__pidfds c = { 0 }, c2 = { 0 };
	struct waiter w;
	struct stat st;
	uint64_t ino = 0;
	int sv[2], base, got, i, r = 0;
	pthread_t th;
	pid_t tid;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(fstat(sv[0], &st), 0);
	ck_assert_int_eq(pipe(w.ready), 0);
	ck_assert_int_eq(pipe(w.go), 0);
	ck_assert_int_eq(pthread_create(&th, NULL, waiter_main, &w), 0);
	ck_assert_int_eq(read(w.ready[0], &tid, sizeof(tid)), sizeof(tid));
	ck_assert_int_ne(tid, getpid());
	base = count_fds();
	ck_assert_int_eq(trc__fd_inode(&c, tid, sv[0], &ino), 0);
	ck_assert_uint_eq(ino, st.st_ino);
	/* An entry of its own where the kernel has PIDFD_THREAD (6.9+). */
	ck_assert_int_eq(count_fds(), base + (c.no_thread_pidfd ? 0 : 2));
	ino = 0;
	ck_assert_int_eq(trc__fd_inode(&c, tid, sv[0], &ino), 0);
	ck_assert_uint_eq(ino, st.st_ino);
	ck_assert_int_eq(trc__fd_inode(&c, tid, sv[0] + 100, &ino), -EBADF);
	/* A thread's pidfd_open() fails with ENOENT since 6.9 (EINVAL
	 * before); fetching through its group must work either way, with
	 * or without the thread's entry. */
	got = trc__fd_fetch(&c, tid, sv[0], st.st_ino);
	ck_assert(got >= 0 || got == -EPERM);
	if (got >= 0)
		close(got);
	got = trc__fd_fetch(&c2, tid, sv[0], st.st_ino);
	ck_assert(got >= 0 || got == -EPERM);
	if (got >= 0)
		close(got);
	trc__pidfds_free(&c2);
	close(w.go[1]);
	ck_assert_int_eq(pthread_join(th, NULL), 0);
	/* The thread is gone: its directory answers nothing any more.  The
	 * join returns once the thread cleared its tid, a little before the
	 * kernel has released it: give that up to a second. */
	for (i = 0; i < 100 &&
	     (r = trc__fd_inode(&c, tid, sv[0], &ino)) == 0; i++)
		usleep(10000);
	ck_assert_int_eq(r, -EBADF);
	trc__pidfds_free(&c);
	ck_assert_int_eq(count_fds(), base - 1);	/* go[1] closed */
	close(w.go[0]);
	close(w.ready[0]);
	close(w.ready[1]);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

/* ---- trc__fd_lookup() ---- */

/* Whether pidfd_getfd() works on this process (Docker's default seccomp
 * profile refuses it): else trc__fd_lookup() never copies. */
static bool can_getfd(void)
{
	int pfd = (int)syscall(SYS_pidfd_open, getpid(), 0), got;

	if (pfd < 0)
		return false;
	got = (int)syscall(SYS_pidfd_getfd, pfd, pfd, 0);
	close(pfd);
	if (got < 0)
		return false;
	close(got);
	return true;
}

/* Another process's socket: found by /proc the first time, then through
 * a copy of that very socket the caller owns; a pipe, a closed number
 * and a dead process as trc__fd_inode() answers them, with no copy left
 * open. */
START_TEST(trc_fd_lookup_copy_of_socket)
{
	struct trc__pidfds c = { 0 };
	struct holder h;
	struct stat st;
	uint64_t ino = 0;
	int go[2], copy = 7, base, r;

	ck_assert_int_eq(pipe(go), 0);
	holder_start(&h, go[0], go[1]);
	ck_assert_int_eq(trc__fd_lookup(&c, h.pid, h.fd, &ino, &copy), 0);
	ck_assert_uint_eq(ino, h.ino);
	ck_assert_int_eq(copy, -1);	/* a first lookup asks /proc */
	ino = 0;
	ck_assert_int_eq(trc__fd_lookup(&c, h.pid, h.fd, &ino, &copy), 0);
	ck_assert_uint_eq(ino, h.ino);
	if (!can_getfd()) {
		fprintf(stderr, "trc_fd_lookup_copy_of_socket: pidfd_getfd refused here, no copy to check\n");
		ck_assert_int_eq(copy, -1);
	} else {
		ck_assert_int_ge(copy, 0);
		ck_assert_int_eq(fstat(copy, &st), 0);
		ck_assert(S_ISSOCK(st.st_mode));
		ck_assert_uint_eq(st.st_ino, h.ino);
		close(copy);
	}
	base = count_fds();
	ino = 0;
	ck_assert_int_eq(trc__fd_lookup(&c, h.pid, go[0], &ino, &copy), -ENOTSOCK);
	ck_assert_int_eq(copy, -1);
	ck_assert_int_eq(trc__fd_lookup(&c, h.pid, h.fd + 50, &ino, &copy), -EBADF);
	ck_assert_int_eq(copy, -1);
	ck_assert_int_eq(trc__fd_lookup(&c, h.pid, -1, &ino, &copy), -EBADF);
	ck_assert_int_eq(copy, -1);
	ck_assert_uint_eq(ino, 0);
	ck_assert_int_eq(count_fds(), base);	/* nothing kept */
	/* Reaped with its entry still cached: no copy of anything. */
	holder_stop(&h, go);
	r = trc__fd_lookup(&c, h.pid, h.fd, &ino, &copy);
	ck_assert_int_eq(r, -EBADF);
	ck_assert_int_eq(copy, -1);
	ck_assert_uint_eq(c.n_graves, 0);
	trc__pidfds_free(&c);
}
END_TEST

/* Make fd @at a socket, look it up twice (the second through a copy),
 * then put @what at that number, as a program that closed the socket
 * and opened something else there. */
static void hinted_then_replaced(struct trc__pidfds *c, int at, int what)
{
	uint64_t ino = 0;
	int sv[2], copy;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(dup2(sv[0], at), at);
	close(sv[0]);
	close(sv[1]);
	ck_assert_int_eq(trc__fd_lookup(c, getpid(), at, &ino, &copy), 0);
	ck_assert_int_eq(trc__fd_lookup(c, getpid(), at, &ino, &copy), 0);
	if (c->n_graves < TRC__GRAVES_N)
		ck_assert_int_ge(copy, 0);
	else
		ck_assert_int_eq(copy, -1);	/* none once that many kept */
	if (copy >= 0)
		close(copy);
	ck_assert_int_eq(dup2(what, at), at);
}

/* A number that named a socket and names something else now: ENOTSOCK,
 * as by /proc.  A copy of a pipe or of an O_PATH file (one of a named
 * AF_UNIX socket's file is S_ISSOCK, on another device) is closed at
 * once; one of a regular file, whose close() would run its file system's
 * flush (FUSE asks its server), is kept until trc__pidfds_free(), and
 * once TRC__GRAVES_N are kept no copy is made any more. */
START_TEST(trc_fd_lookup_replaced_number)
{
	struct trc__pidfds c = { 0 };
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char dir[] = "/tmp/rrs-lookup.XXXXXX";
	uint64_t ino = 0;
	int p[2], s, o, f, at, copy = 7, base, i;

	if (!can_getfd()) {
		fprintf(stderr, "trc_fd_lookup_replaced_number: pidfd_getfd refused here, skipped\n");
		return;
	}
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(pipe(p), 0);
	at = fcntl(p[0], F_DUPFD_CLOEXEC, 600);
	ck_assert_int_ge(at, 600);

	/* a pipe */
	hinted_then_replaced(&c, at, p[0]);
	base = count_fds();
	ck_assert_int_eq(trc__fd_lookup(&c, getpid(), at, &ino, &copy), -ENOTSOCK);
	ck_assert_int_eq(copy, -1);
	ck_assert_int_eq(count_fds(), base);
	ck_assert_uint_eq(c.n_graves, 0);

	/* an O_PATH fd of a named socket's file */
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/s", dir);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_ge(s, 0);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	o = open(sa.sun_path, O_PATH | O_CLOEXEC);
	ck_assert_int_ge(o, 0);
	hinted_then_replaced(&c, at, o);
	base = count_fds();
	ck_assert_int_eq(trc__fd_lookup(&c, getpid(), at, &ino, &copy), -ENOTSOCK);
	ck_assert_int_eq(copy, -1);
	ck_assert_int_eq(count_fds(), base);
	ck_assert_uint_eq(c.n_graves, 0);
	/* not remembered as a socket: /proc answers the next time too */
	ck_assert_int_eq(trc__fd_lookup(&c, getpid(), at, &ino, &copy), -ENOTSOCK);
	ck_assert_int_eq(count_fds(), base);

	/* regular files, until no more copies are kept */
	f = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	ck_assert_int_ge(f, 0);
	for (i = 0; i < TRC__GRAVES_N; i++) {
		hinted_then_replaced(&c, at, f);
		base = count_fds();
		ck_assert_int_eq(trc__fd_lookup(&c, getpid(), at, &ino, &copy),
				 -ENOTSOCK);
		ck_assert_int_eq(copy, -1);
		ck_assert_int_eq(count_fds(), base + 1);	/* kept */
		ck_assert_uint_eq(c.n_graves, (unsigned int)i + 1);
	}
	/* full: a socket is still found, by /proc, with no copy */
	hinted_then_replaced(&c, at, s);
	ck_assert_int_eq(trc__fd_lookup(&c, getpid(), at, &ino, &copy), 0);
	ck_assert_int_eq(copy, -1);
	ck_assert_int_eq(trc__fd_lookup(&c, getpid(), at, &ino, &copy), 0);
	ck_assert_int_eq(copy, -1);
	base = count_fds();
	trc__pidfds_free(&c);
	ck_assert_uint_eq(c.n_graves, 0);
	ck_assert_int_lt(count_fds(), base - TRC__GRAVES_N + 1);
	close(at);
	close(f);
	close(o);
	close(s);
	close(p[0]);
	close(p[1]);
	unlink(sa.sun_path);
	rmdir(dir);
}
END_TEST

/* A thread is looked up by /proc (its pidfd is not kept for fetches):
 * the right inode, never a copy. */
START_TEST(trc_fd_lookup_thread_no_copy)
{
	struct trc__pidfds c = { 0 };
	struct waiter w;
	struct stat st;
	uint64_t ino = 0;
	int sv[2], copy = 7, i;
	pthread_t th;
	pid_t tid;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(fstat(sv[0], &st), 0);
	ck_assert_int_eq(pipe(w.ready), 0);
	ck_assert_int_eq(pipe(w.go), 0);
	ck_assert_int_eq(pthread_create(&th, NULL, waiter_main, &w), 0);
	ck_assert_int_eq(read(w.ready[0], &tid, sizeof(tid)), sizeof(tid));
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(trc__fd_lookup(&c, tid, sv[0], &ino, &copy), 0);
		ck_assert_uint_eq(ino, st.st_ino);
		ck_assert_int_eq(copy, -1);
	}
	close(w.go[1]);
	ck_assert_int_eq(pthread_join(th, NULL), 0);
	trc__pidfds_free(&c);
	close(w.go[0]);
	close(w.ready[0]);
	close(w.ready[1]);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

/* ---- trc__proc_descendants() ---- */

struct tree {
	int go, go_w;	/* EOF on go releases everyone */
	int ready;	/* write end: the grandchild's pid goes here */
	bool orphan;	/* the child exits at once, leaving the grandchild */
};

static void make_tree(void *arg)
{
	struct tree *t = arg;
	pid_t g;
	char b;

	close(t->go_w);
	g = fork();
	CHILD_REQUIRE(g >= 0, "fork: %s", strerror(errno));
	if (g == 0) {
		close(report_fd);	/* the test waits for its EOF */
		if (read(t->go, &b, 1) < 0)
			_exit(1);
		_exit(0);
	}
	CHILD_REQUIRE(write(t->ready, &g, sizeof(g)) == sizeof(g), "write");
	if (t->orphan)
		return;
	CHILD_CHECK(read(t->go, &b, 1) == 0, "release pipe");
	waitpid(g, NULL, 0);
}

START_TEST(trc_proc_descendants_finds_child_and_grandchild)
{
	struct tree t = { .orphan = false };
	int go[2], ready[2], rfd;
	pid_t child, grandchild = 0, *pids = NULL;
	size_t n = 0;

	ck_assert_int_eq(pipe(go), 0);
	ck_assert_int_eq(pipe(ready), 0);
	t.go = go[0];
	t.go_w = go[1];
	t.ready = ready[1];
	child = child_start(make_tree, &t, &rfd);
	close(ready[1]);
	ck_assert_int_eq(read(ready[0], &grandchild, sizeof(grandchild)),
			 sizeof(grandchild));

	ck_assert_int_eq(trc__proc_descendants(getpid(), &pids, &n), 0);
	ck_assert_msg(has(pids, n, child), "child %d missing", (int)child);
	ck_assert_msg(has(pids, n, grandchild), "grandchild %d missing",
		      (int)grandchild);
	ck_assert(!has(pids, n, getpid()));
	ck_assert(!has(pids, n, getppid()));
	ck_assert_uint_eq(n, 2);
	free(pids);

	ck_assert_int_eq(trc__proc_descendants(child, &pids, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(pids[0], grandchild);
	free(pids);

	ck_assert_int_eq(trc__proc_descendants(grandchild, &pids, &n), 0);
	ck_assert_uint_eq(n, 0);
	free(pids);

	close(go[1]);
	close(go[0]);
	close(ready[0]);
	child_finish(child, rfd);
}
END_TEST

START_TEST(trc_proc_descendants_keeps_orphans_of_subreaper)
{
	struct tree t = { .orphan = true };
	int go[2], ready[2], rfd, status;
	pid_t child, grandchild = 0, *pids = NULL;
	size_t n = 0;

	/* The supervisor is a child subreaper (notify.c, trc_spawn()). */
	ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	ck_assert_int_eq(pipe(go), 0);
	ck_assert_int_eq(pipe(ready), 0);
	t.go = go[0];
	t.go_w = go[1];
	t.ready = ready[1];
	child = child_start(make_tree, &t, &rfd);
	close(ready[1]);
	ck_assert_int_eq(read(ready[0], &grandchild, sizeof(grandchild)),
			 sizeof(grandchild));
	child_finish(child, rfd);	/* the grandchild is ours now */

	ck_assert_int_eq(trc__proc_descendants(getpid(), &pids, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(pids[0], grandchild);
	free(pids);

	close(go[1]);
	ck_assert_int_eq(waitpid(grandchild, &status, 0), grandchild);
	close(go[0]);
	close(ready[0]);
}
END_TEST

/* ---- the filter, from inside a filtered child ---- */

static void filter_io_uring(void *arg)
{
	uint32_t params[32];

	memset(params, 0, sizeof(params));
	child_load_filter_alone();
	CHILD_ERRNO(syscall(__NR_io_uring_setup, 1, params), ENOSYS);
	CHILD_ERRNO(syscall(__NR_io_uring_enter, 0, 1, 0, 0, NULL, 0), ENOSYS);
	CHILD_ERRNO(syscall(__NR_io_uring_register, 0, 0, NULL, 0), ENOSYS);
}

START_TEST(trc_filter_io_uring_enosys)
{
	int rfd;
	pid_t pid = child_start(filter_io_uring, NULL, &rfd);

	child_finish(pid, rfd);
}
END_TEST

static void filter_socketpair(void *arg)
{
	int sv[2];

	/* Other families are trapped, for the supervisor to refuse with
	 * Linux's errors (badcalls checks them): ENOSYS with no listener,
	 * never run natively. */
	child_load_filter_alone();
	CHILD_ERRNO(socketpair(AF_INET, SOCK_STREAM, 0, sv), ENOSYS);
	CHILD_ERRNO(socketpair(AF_INET6, SOCK_DGRAM, 0, sv), ENOSYS);
	CHILD_ERRNO(socketpair(AF_NETLINK, SOCK_RAW, 0, sv), ENOSYS);
	CHILD_ERRNO(socketpair(AF_TIPC, SOCK_SEQPACKET, 0, sv), ENOSYS);
	CHILD_CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0,
		    "socketpair(AF_UNIX): %s", strerror(errno));
}

START_TEST(trc_filter_socketpair_others_trapped)
{
	int rfd;
	pid_t pid = child_start(filter_socketpair, NULL, &rfd);

	child_finish(pid, rfd);
}
END_TEST

static void filter_unix(void *arg)
{
	char buf[8];
	int fd, sv[2];

	child_load_filter_alone();
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	CHILD_CHECK(fd >= 0, "socket(AF_UNIX, STREAM): %s", strerror(errno));
	close(fd);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	CHILD_CHECK(fd >= 0, "socket(AF_UNIX, DGRAM): %s", strerror(errno));
	close(fd);
	/* Plain data transfer is never trapped: sendto/recvfrom without an
	 * address, read and write. */
	CHILD_REQUIRE(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0, "socketpair");
	CHILD_CHECK(sendto(sv[0], "abc", 3, 0, NULL, 0) == 3, "sendto: %s",
		    strerror(errno));
	CHILD_CHECK(recvfrom(sv[1], buf, sizeof(buf), 0, NULL, NULL) == 3,
		    "recvfrom: %s", strerror(errno));
	CHILD_CHECK(write(sv[1], "de", 2) == 2, "write: %s", strerror(errno));
	CHILD_CHECK(read(sv[0], buf, sizeof(buf)) == 2, "read: %s", strerror(errno));
	/* With the listener gone, a trapped call fails rather than block:
	 * proves the calls above were not trapped. */
	CHILD_ERRNO(socket(AF_INET, SOCK_STREAM, 0), ENOSYS);
}

START_TEST(trc_filter_socket_unix_allowed)
{
	int rfd;
	pid_t pid = child_start(filter_unix, NULL, &rfd);

	child_finish(pid, rfd);
}
END_TEST

static void filter_kill(void *arg)
{
	pid_t sup = getppid();
	siginfo_t si;
	long r;

	child_load_filter_alone();
	/* Signal 0 first: if the filter let it through, stop before SIGKILL. */
	errno = 0;
	r = kill(sup, 0);
	CHILD_REQUIRE(r == -1 && errno == EPERM,
		      "kill(supervisor, 0) = %ld (%s): not refused", r, strerror(errno));
	CHILD_ERRNO(kill(sup, SIGKILL), EPERM);
	CHILD_ERRNO(syscall(SYS_tkill, sup, 0), EPERM);
	CHILD_ERRNO(syscall(SYS_tgkill, sup, sup, 0), EPERM);
	CHILD_ERRNO(syscall(SYS_pidfd_open, sup, 0), EPERM);
	memset(&si, 0, sizeof(si));
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	si.si_uid = getuid();
	CHILD_ERRNO(syscall(SYS_rt_sigqueueinfo, sup, 0, &si), EPERM);
	CHILD_ERRNO(syscall(SYS_rt_tgsigqueueinfo, sup, sup, 0, &si), EPERM);
	CHILD_ERRNO(kill(-1, 0), EPERM);
	/* Only the supervisor is protected. */
	CHILD_CHECK(kill(getpid(), 0) == 0, "kill(self, 0): %s", strerror(errno));
	r = syscall(SYS_pidfd_open, getpid(), 0);
	CHILD_CHECK(r >= 0, "pidfd_open(self): %s", strerror(errno));
}

START_TEST(trc_filter_kill_supervisor_eperm)
{
	int rfd;
	pid_t pid = child_start(filter_kill, NULL, &rfd);

	child_finish(pid, rfd);
}
END_TEST

static void filter_group_kill(void *arg)
{
	child_load_filter_alone();
	/* If one got through, the test process would die of it: the test
	 * then fails with "signal 9" rather than this report. */
	CHILD_ERRNO(kill(0, SIGKILL), EPERM);
	CHILD_ERRNO(kill(0, SIGSTOP), EPERM);
	CHILD_ERRNO(kill(-getpgrp(), SIGKILL), EPERM);
	CHILD_ERRNO(kill(-getpgrp(), SIGSTOP), EPERM);
}

START_TEST(trc_filter_group_sigkill_eperm)
{
	int rfd;
	pid_t pid;

	/* Check's fork mode runs each test in its own process group, so a
	 * group signal stays within this test. */
	ck_assert_int_eq(getpgrp(), getpid());
	pid = child_start(filter_group_kill, NULL, &rfd);
	child_finish(pid, rfd);
}
END_TEST

static void filter_group_other(void *arg)
{
	child_load_filter_alone();
	CHILD_ERRNO(kill(0, SIGUSR2), EPERM);
	CHILD_ERRNO(kill(-getpgrp(), SIGQUIT), EPERM);
	CHILD_ERRNO(kill(0, SIGTSTP), EPERM);
}

/*
 * Regression (fixed; was in tracer/filter.c:84-92, with tracer/notify.c child() leaving
 * the program in the supervisor's process group): protect_supervisor()
 * refuses only SIGKILL and SIGSTOP to the shared process group.  Any other
 * group signal whose default action terminates or stops reaches the
 * supervisor and kills it (SIGUSR2, SIGQUIT, SIGALRM, SIGPIPE, SIGXCPU,
 * ...) or stops it (SIGTSTP, SIGTTIN, SIGTTOU).  Reproduction:
 *   setsid sh -c 'rrsandbox -- sh -c "kill -USR2 0; sleep 1"; echo $?'
 * prints nothing: rrsandbox and its parent die of SIGUSR2.  Either refuse
 * every signal to the supervisor's group here, or run the program in a
 * process group of its own and refuse kill(-supervisor's pgid, any).
 * Here the test process plays the supervisor and ignores these signals,
 * so a signal that gets through harms no one.
 */
START_TEST(trc_filter_group_signals_to_supervisor_eperm)
{
	int rfd;
	pid_t pid;

	ck_assert_int_eq(getpgrp(), getpid());
	signal(SIGUSR2, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	pid = child_start(filter_group_other, NULL, &rfd);
	child_finish(pid, rfd);
}
END_TEST

static void probe_ia32(void *arg)
{
	/* Without IA32 emulation int $0x80 faults: the child is to die of
	 * it, not ASan's handler to report it */
	signal(SIGSEGV, SIG_DFL);
	CHILD_CHECK(int80(I386_GETPID, 0, 0, 0) == getpid(), "int $0x80 getpid");
}

/* Whether the kernel runs i386 system calls (IA32_EMULATION). */
static bool have_ia32(void)
{
	int rfd, status;
	pid_t pid = child_start(probe_ia32, NULL, &rfd);
	char b;

	while (read(rfd, &b, 1) > 0)
		;
	close(rfd);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void filter_i386(void *arg)
{
	long fd, r;

	child_load_filter_alone();
	r = int80(I386_SOCKETCALL, 1 /* SYS_SOCKET */, 0, 0);
	CHILD_CHECK(r == -ENOSYS, "i386 socketcall(SYS_SOCKET) = %ld", r);
	r = int80(I386_SOCKETCALL, 3 /* SYS_CONNECT */, 0, 0);
	CHILD_CHECK(r == -ENOSYS, "i386 socketcall(SYS_CONNECT) = %ld", r);
	r = int80(I386_SOCKET, AF_INET, SOCK_STREAM, 0);
	CHILD_CHECK(r == -EAFNOSUPPORT, "i386 socket(AF_INET) = %ld", r);
	r = int80(I386_SOCKET, AF_INET6, SOCK_DGRAM, 0);
	CHILD_CHECK(r == -EAFNOSUPPORT, "i386 socket(AF_INET6) = %ld", r);
	r = int80(I386_SOCKETPAIR, AF_INET, SOCK_STREAM, 0);
	CHILD_CHECK(r == -EOPNOTSUPP, "i386 socketpair(AF_INET) = %ld", r);
	r = int80(I386_CONNECT, 0, 0, 0);
	CHILD_CHECK(r == -ENOSYS, "i386 connect = %ld", r);
	r = int80(I386_IO_URING_SETUP, 1, 0, 0);
	CHILD_CHECK(r == -ENOSYS, "i386 io_uring_setup = %ld", r);
	r = int80(I386_KILL, getppid(), 0, 0);
	CHILD_CHECK(r == -EPERM, "i386 kill(supervisor, 0) = %ld", r);
	fd = int80(I386_SOCKET, AF_UNIX, SOCK_STREAM, 0);
	CHILD_CHECK(fd >= 0, "i386 socket(AF_UNIX) = %ld", fd);
	if (fd >= 0)
		close((int)fd);
	r = int80(I386_GETPID, 0, 0, 0);
	CHILD_CHECK(r == getpid(), "i386 getpid = %ld", r);
}

START_TEST(trc_filter_i386_socketcall_enosys)
{
	int rfd;
	pid_t pid;

	if (!have_ia32()) {
		fprintf(stderr, "trc_filter_i386: no IA32 emulation, skipped\n");
		return;
	}
	pid = child_start(filter_i386, NULL, &rfd);
	child_finish(pid, rfd);
}
END_TEST

static void filter_x32(void *arg)
{
	child_load_filter_alone();
	CHILD_ERRNO(syscall(__X32_SYSCALL_BIT | __NR_getpid), ENOSYS);
	CHILD_ERRNO(syscall(__X32_SYSCALL_BIT | __NR_socket, AF_INET, SOCK_STREAM, 0),
		    ENOSYS);
}

START_TEST(trc_filter_x32_enosys)
{
	int rfd;
	pid_t pid = child_start(filter_x32, NULL, &rfd);

	child_finish(pid, rfd);
}
END_TEST

/* ---- the filter's notifications, answered by hand ---- */

struct notif {
	struct seccomp_notif *req;
	size_t size;		/* the kernel's struct seccomp_notif, or ours */
	int listener;
};

/* In the child: hand the listener over on TRC__CTL_FD, as notify.c does. */
/* The fds stay open: under the filter, each close() would be one more
 * call for the test's supervisor to answer. */
static void child_send_listener(int ctl)
{
	scmp_filter_ctx ctx;
	int fd;

	CHILD_REQUIRE(dup2(ctl, TRC__CTL_FD) == TRC__CTL_FD, "dup2");
	ctx = child_load_filter();
	fd = seccomp_notify_fd(ctx);
	CHILD_REQUIRE(fd >= 0, "seccomp_notify_fd: %d", fd);
	CHILD_REQUIRE(send_fd(TRC__CTL_FD, fd) == 0,
		      "sendmsg on TRC__CTL_FD: %s", strerror(errno));
	seccomp_release(ctx);
}

static void notify_reply_child(void *arg)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int p[2];

	child_send_listener(*(int *)arg);
	CHILD_ERRNO(socket(AF_INET, SOCK_STREAM, 0), EAFNOSUPPORT);
	CHILD_REQUIRE(pipe(p) == 0, "pipe");
	CHILD_ERRNO(bind(p[0], (struct sockaddr *)&a, sizeof(a)), ENOTSOCK);
}

static void notify_addfd_child(void *arg)
{
	int fd;

	child_send_listener(*(int *)arg);
	fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	CHILD_REQUIRE(fd >= 0, "socket(AF_INET6): %s", strerror(errno));
	CHILD_CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC, "FD_CLOEXEC not set");
	CHILD_CHECK(write(fd, "ok", 2) == 2, "write: %s", strerror(errno));
}

/* Fork @fn's child and take its listener. */
static pid_t notify_start(child_fn fn, struct notif *n, int *rfd)
{
	struct seccomp_notif_sizes sizes;
	int sp[2];
	pid_t pid;

	ck_assert_int_eq(syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes), 0);
	n->size = sizes.seccomp_notif > sizeof(*n->req) ?
		  sizes.seccomp_notif : sizeof(*n->req);
	n->req = calloc(1, n->size);
	ck_assert_ptr_nonnull(n->req);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp), 0);
	pid = child_start(fn, &sp[1], rfd);
	close(sp[1]);
	n->listener = recv_fd(sp[0]);
	close(sp[0]);
	ck_assert_msg(n->listener >= 0, "no listener from the child");
	return pid;
}

static void notify_recv(struct notif *n, pid_t pid, int nr)
{
	struct pollfd pfd = { .fd = n->listener, .events = POLLIN };

	ck_assert_int_eq(poll(&pfd, 1, DEADLINE_MS), 1);
	memset(n->req, 0, n->size);	/* RECV wants it zeroed */
	ck_assert_int_eq(ioctl(n->listener, SECCOMP_IOCTL_NOTIF_RECV, n->req), 0);
	ck_assert_int_eq(n->req->pid, pid);
	ck_assert_uint_eq(n->req->data.arch, AUDIT_ARCH_X86_64);
	ck_assert_int_eq(n->req->data.nr, nr);
	ck_assert_int_eq(ioctl(n->listener, SECCOMP_IOCTL_NOTIF_ID_VALID,
			       &n->req->id), 0);
}

static void notify_send(struct notif *n, int64_t val, int32_t error, uint32_t flags)
{
	struct seccomp_notif_resp resp = {
		.id = n->req->id, .val = val, .error = error, .flags = flags,
	};

	ck_assert_int_eq(ioctl(n->listener, SECCOMP_IOCTL_NOTIF_SEND, &resp), 0);
}

START_TEST(trc_notify_socket_answered)
{
	struct notif n;
	int rfd;
	pid_t pid = notify_start(notify_reply_child, &n, &rfd);

	notify_recv(&n, pid, __NR_socket);
	ck_assert_uint_eq(n.req->data.args[0], AF_INET);
	ck_assert_uint_eq(n.req->data.args[1], SOCK_STREAM);
	notify_send(&n, 0, -EAFNOSUPPORT, 0);
	/* bind is trapped whatever the fd; the kernel runs it on CONTINUE. */
	notify_recv(&n, pid, __NR_bind);
	notify_send(&n, 0, 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE);
	child_finish(pid, rfd);
	close(n.listener);
	free(n.req);
}
END_TEST

START_TEST(trc_notify_addfd_installs_socket)
{
	struct seccomp_notif_addfd add = { 0 };
	struct pollfd pfd;
	struct notif n;
	char buf[8];
	int rfd, sp[2], fd;
	pid_t pid = notify_start(notify_addfd_child, &n, &rfd);

	notify_recv(&n, pid, __NR_socket);
	ck_assert_uint_eq(n.req->data.args[0], AF_INET6);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sp), 0);
	add.id = n.req->id;
	add.flags = SECCOMP_ADDFD_FLAG_SEND;
	add.srcfd = (uint32_t)sp[1];
	add.newfd_flags = O_CLOEXEC;
	fd = ioctl(n.listener, SECCOMP_IOCTL_NOTIF_ADDFD, &add);
	ck_assert_msg(fd >= 0, "ADDFD: %s", strerror(errno));
	close(sp[1]);
	pfd.fd = sp[0];
	pfd.events = POLLIN;
	ck_assert_int_eq(poll(&pfd, 1, DEADLINE_MS), 1);
	ck_assert_int_eq(recv(sp[0], buf, sizeof(buf), 0), 2);
	ck_assert_mem_eq(buf, "ok", 2);
	child_finish(pid, rfd);
	close(sp[0]);
	close(n.listener);
	free(n.req);
}
END_TEST

/* ---- trc__wait_exec(): the calls before the program's exec ---- */

static struct {
	int ep;			/* the error pipe's write end */
	const char *prog;	/* a copy of this binary */
} early;

/*
 * The child of trc_wait_exec_holds_program_calls: its own trapped call
 * before exec runs in the kernel; then a helper holds the error pipe open
 * for a second, as the zygote once did, while another makes a trapped
 * call (answered EACCES by the test) and the child execs @early.prog,
 * whose socket() the test answers EACCES too ("--tracee socket" exits
 * with its errno).
 */
static void early_child(void *arg)
{
	char *argv[] = { (char *)early.prog, "--tracee", "socket", NULL };
	pid_t kid;
	int s, e;

	child_send_listener(*(int *)arg);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	CHILD_REQUIRE(s >= 0, "the child's own socket() before exec: %s",
		      strerror(errno));
	close(s);
	kid = fork();
	CHILD_REQUIRE(kid >= 0, "fork: %s", strerror(errno));
	if (kid == 0) {
		usleep(1000 * 1000);	/* holding the pipe */
		_exit(0);
	}
	kid = fork();
	CHILD_REQUIRE(kid >= 0, "fork: %s", strerror(errno));
	if (kid == 0) {
		close(early.ep);
		CHILD_ERRNO(socket(AF_INET6, SOCK_DGRAM, 0), EACCES);
		_exit(0);
	}
	execv(early.prog, argv);
	e = errno;
	CHILD_CHECK(0, "execv %s: %s", early.prog, strerror(e));
	if (write(early.ep, &e, sizeof(e)) < 0)
		_exit(2);
	_exit(1);
}

/* A copy of this binary beside it (another file, so not "our code"). */
static char *copy_self(void)
{
	char self[PATH_MAX], *path, buf[65536];
	int in, out;
	ssize_t n;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	ck_assert_int_gt(n, 0);
	self[n] = '\0';
	ck_assert_int_gt(asprintf(&path, "%s.copy.XXXXXX", self), 0);
	ck_assert_int_ge(out = mkostemp(path, O_CLOEXEC), 0);
	ck_assert_int_ge(in = open(self, O_RDONLY | O_CLOEXEC), 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		ck_assert_int_eq(write(out, buf, (size_t)n), n);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(fchmod(out, 0700), 0);
	close(in);
	close(out);
	return path;
}

/*
 * Before the error pipe closes, trc__wait_exec() lets the kernel run only
 * the child's own calls; the program's first call, made while another
 * process still held the pipe, and that process's sibling's call wait,
 * unanswered, for the loop (here: the test).  Each answer sent here
 * succeeding proves that nothing answered the call before.
 */
START_TEST(trc_wait_exec_holds_program_calls)
{
	struct trc__early h = { 0 };
	struct seccomp_notif **all;
	int rfd, e = 0, ep[2];
	unsigned int n_all = 0, i, prog_calls = 0, other_calls = 0;
	struct notif n;
	ssize_t got;
	pid_t pid;

	early.prog = copy_self();
	ck_assert_int_eq(pipe2(ep, O_CLOEXEC), 0);
	early.ep = ep[1];
	pid = notify_start(early_child, &n, &rfd);
	close(ep[1]);
	got = trc__wait_exec(n.listener, ep[0], pid, 0, n.size, &h, &e);
	unlink(early.prog);	/* exec'd, or never will be */
	ck_assert_int_eq(got, 0);
	/* those that came after the pipe closed are still in the kernel */
	all = calloc(2, sizeof(*all));
	ck_assert_ptr_nonnull(all);
	for (i = 0; i < h.len && n_all < 2; i++)
		all[n_all++] = trc__early_notif(&h, h.n[i]);
	ck_assert_uint_eq(h.len, n_all);
	while (n_all < 2) {
		struct pollfd p = { .fd = n.listener, .events = POLLIN };
		struct seccomp_notif *r = calloc(1, n.size);

		ck_assert_ptr_nonnull(r);
		ck_assert_msg(poll(&p, 1, DEADLINE_MS) == 1 && (p.revents & POLLIN) &&
			      !ioctl(n.listener, SECCOMP_IOCTL_NOTIF_RECV, r),
			      "%u of the 2 calls made before the exec's EOF "
			      "waited; the others ran unanswered", n_all);
		all[n_all++] = r;
	}
	for (i = 0; i < n_all; i++) {
		struct seccomp_notif_resp resp = {
			.id = all[i]->id, .error = -EACCES,
		};

		ck_assert_int_eq(all[i]->data.nr, __NR_socket);
		if ((pid_t)all[i]->pid == pid &&
		    all[i]->data.args[0] == AF_INET)
			prog_calls++;
		else if (all[i]->data.args[0] == AF_INET6)
			other_calls++;
		ck_assert_int_eq(ioctl(n.listener, SECCOMP_IOCTL_NOTIF_SEND,
				       &resp), 0);
		if (i >= h.len)
			free(all[i]);
	}
	ck_assert_uint_eq(prog_calls, 1);
	ck_assert_uint_eq(other_calls, 1);
	free(all);
	trc__early_free(&h);
	child_finish_status(pid, rfd, EACCES);	/* the program's answer */
	close(ep[0]);
	close(n.listener);
	free(n.req);
	free((char *)early.prog);
}
END_TEST

/* ---- trc_new() / trc_spawn(): this binary as the tracee ---- */

/*
 * tracee_main() - what this binary does when run as "--tracee WHAT"
 *
 * Return: its exit status; the test reads it as from waitpid()
 */
static void on_usr1(int sig)
{
	(void)sig;
}

/* "opens": the calls that look a file up by path, each trapped once with
 * trc_opts.trap_open (stat, lstat, newfstatat (twice: AT_FDCWD as an int
 * and sign-extended) and statx from the working directory, readlink,
 * readlinkat, lgetxattr), then those that never are
 * (fstat, fstatat and statx on an fd or relative to a directory fd).
 * 0 when each did what the kernel does. */
static int stats_by_path(void)
{
	struct statx stx;
	struct stat st;
	char buf[8];
	int fd, dir;

	/* glibc's stat() passes AT_FDCWD as an int, Go sign-extended */
	if (stat("/dev/null", &st) || syscall(SYS_stat, "/dev/null", &st) ||
	    syscall(SYS_newfstatat, (long)AT_FDCWD, "/dev/null", &st, 0L) ||
	    syscall(SYS_lstat, "/dev/null", &st) ||
	    statx(AT_FDCWD, "/dev/null", 0, STATX_BASIC_STATS, &stx) ||
	    readlink("/dev/null", buf, sizeof(buf)) >= 0 ||
	    readlinkat(AT_FDCWD, "/dev/null", buf, sizeof(buf)) >= 0 ||
	    lgetxattr("/dev/null", "user.rrs", buf, sizeof(buf)) >= 0)
		return 1;
	fd = open("/dev/null", O_PATH | O_CLOEXEC);
	dir = open("/dev", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || dir < 0 || fstat(fd, &st) ||
	    fstatat(dir, "null", &st, 0) ||
	    statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx))
		return 2;
	close(fd);
	close(dir);
	return 0;
}

static int tracee_main(const char *what)
{
	if (!strcmp(what, "exit7"))
		return 7;
	if (!strcmp(what, "socket")) {
		/* The supervisor answers EACCES. */
		return socket(AF_INET, SOCK_STREAM, 0) < 0 ? errno : 0;
	}
	if (!strcmp(what, "addfd")) {
		int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);

		if (fd < 0)
			return 1;
		if (!(fcntl(fd, F_GETFD) & FD_CLOEXEC))
			return 2;
		return write(fd, "ok", 2) == 2 ? 0 : 3;
	}
	if (!strcmp(what, "opens")) {
		/* The same file by each of the three calls for reading,
		 * then for writing (O_WRONLY, with the flags of a shell's >
		 * and >>: trapped), for reading and writing (O_RDWR, also
		 * with O_CREAT: trapped), writing with O_SYNC (never
		 * trapped) and as a directory (trapped: opendir()). */
		struct open_how how = { .flags = O_RDONLY | O_CLOEXEC };
		int fd[3], i;

		fd[0] = (int)syscall(SYS_open, "/dev/null", O_RDONLY);
		fd[1] = openat(AT_FDCWD, "/dev/null", O_RDONLY | O_CLOEXEC);
		fd[2] = (int)syscall(SYS_openat2, AT_FDCWD, "/dev/null", &how,
				     sizeof(how));
		for (i = 0; i < 3; i++)
			if (fd[i] < 0 && (i < 2 || errno != ENOSYS))
				_exit(10 + i);
		if (openat(AT_FDCWD, "/dev/null", O_WRONLY) < 0)
			_exit(13);
		if (openat(AT_FDCWD, "/dev/null", O_WRONLY | O_CREAT | O_TRUNC |
			   O_APPEND | O_CLOEXEC, 0666) < 0)
			_exit(15);
		if (openat(AT_FDCWD, "/dev/null", O_RDWR) < 0)
			_exit(16);
		if (openat(AT_FDCWD, "/dev/null", O_RDWR | O_CREAT | O_CLOEXEC, 0666) < 0)
			_exit(18);
		if (openat(AT_FDCWD, "/dev/null", O_WRONLY | O_SYNC) < 0)
			_exit(17);
		if (openat(AT_FDCWD, "/dev/null", O_RDONLY | O_DIRECTORY) >= 0 ||
		    errno != ENOTDIR)
			_exit(14);
		if (stats_by_path())
			_exit(19);
		/* _exit(): no sanitizer's exit-time files (LeakSanitizer
		 * opens /proc from another task), which would be trapped */
		_exit(0);
	}
	if (!strcmp(what, "continue")) {
		struct sockaddr_in a = { .sin_family = AF_INET };
		int p[2];

		if (pipe(p))
			return 1;
		return bind(p[0], (struct sockaddr *)&a, sizeof(a)) ? errno : 0;
	}
	if (!strcmp(what, "mem")) {
		struct sockaddr_in a = {
			.sin_family = AF_INET, .sin_port = htons(4242),
			.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
		}, out;
		socklen_t len = sizeof(out);

		/* The supervisor reads this address ... */
		if (bind(0, (struct sockaddr *)&a, sizeof(a)))
			return 10;
		/* ... writes one here ... */
		memset(&out, 0, sizeof(out));
		if (getsockname(0, (struct sockaddr *)&out, &len))
			return 11;
		if (len != sizeof(out) || out.sin_port != htons(4343) ||
		    out.sin_addr.s_addr != htonl(0x7f000002))
			return 12;
		/* ... and finds this pointer bad. */
		if (getpeername(0, (struct sockaddr *)1, &len) == 0 || errno != EFAULT)
			return 13;
		return 0;
	}
	if (!strcmp(what, "ahead")) {
		/* The supervisor writes 'n' and the call's number into the
		 * buffer named by the msghdr's iovec. */
		char a[8], b[8];
		struct iovec one = { a, sizeof(a) }, two = { b, sizeof(b) };
		struct msghdr mh = { .msg_iov = &one, .msg_iovlen = 1 };
		char *buf = a;
		int i;

		for (i = 0; i < 4; i++) {
			if (i == 2) {
				mh.msg_iov = &two;	/* another array */
				buf = b;
			}
			memset(buf, 0, 8);
			if (recvmsg(0, &mh, 0) != 2 || buf[0] != 'n' ||
			    buf[1] != '0' + i)
				return 20 + i;
		}
		mh.msg_iov = (struct iovec *)1;
		if (recvmsg(0, &mh, 0) != -1 || errno != EFAULT)
			return 30;
		return 0;
	}
	if (!strcmp(what, "dups")) {
		/* getsockname(0) marks each step for the supervisor */
		int sp[2], st;
		pid_t kid;

		getsockname(0, NULL, NULL);
		if (dup(0) < 0)
			return 1;
		getsockname(0, NULL, NULL);
		if (fcntl(0, F_DUPFD_CLOEXEC, 10) < 0)
			return 2;
		getsockname(0, NULL, NULL);
		if (fcntl(0, F_GETFL) < 0)		/* not counted */
			return 3;
		getsockname(0, NULL, NULL);
		if (dup2(0, 20) != 20)
			return 4;
		getsockname(0, NULL, NULL);
		kid = fork();
		if (kid == 0)
			_exit(0);
		if (kid < 0 || waitpid(kid, &st, 0) != kid)
			return 5;
		getsockname(0, NULL, NULL);
		if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sp) || send_fd(sp[0], 0))
			return 6;
		getsockname(0, NULL, NULL);
		if (unshare(CLONE_FILES))
			return 7;
		getsockname(0, NULL, NULL);
		return 0;
	}
	if (!strcmp(what, "replay")) {
		/* the supervisor signals each first call, then answers it
		 * (answer_replay()); getsockname(7, NULL, TAG) tags them */
		struct sigaction sa = { .sa_handler = on_usr1,
					.sa_flags = SA_RESTART };
		long ret;

		sigemptyset(&sa.sa_mask);
		sigaction(SIGUSR1, &sa, NULL);
		if (syscall(SYS_getsockname, 7, 0, 0x5a) != 42)
			return 1;	/* restarted: the answer it lost */
		sa.sa_flags = 0;
		sigaction(SIGUSR1, &sa, NULL);
		ret = syscall(SYS_getsockname, 7, 0, 0x5b);
		if (ret != -1 || errno != EINTR)
			return 2;
		if (syscall(SYS_getsockname, 7, 0, 0x6b) != 44)
			return 3;	/* another call: answered afresh */
		if (syscall(SYS_getsockname, 7, 0, 0x5b) != 46)
			return 4;	/* ... and 0x5b's answer is gone */
		ret = syscall(SYS_getsockname, 7, 0, 0x5c);
		if (ret != -1 || errno != EINTR)
			return 5;
		if (syscall(SYS_getsockname, 7, 0, 0x5c) != 45)
			return 6;	/* retried at once: the answer it lost */
		return 0;
	}
	return 99;
}

struct run {
	uv_loop_t loop;
	uv_timer_t guard;
	struct trc *t;
	int status;
	bool exited, timed_out;
	int calls;
	bool trap_open;		/* trc_opts.trap_open */
	int opens;		/* opens of /dev/null seen (answer_opens) */
	int stats;		/* lookups of /dev/null by path seen (same) */
	int sv;			/* addfd: our end */
	uint64_t marks[16];	/* dups: trc_dup_epoch() at each mark */
	uint64_t dup_calls[16];	/* dups: trc_stats().dup_calls then */
	int wrongly_trapped;	/* dups: fork, clone, dup, dup2, fcntl seen */
	int seen[4];		/* replay: calls tagged 0x5a, 0x5b, 0x5c, 0x6b */
	uint64_t replays;	/* trc_stats().replays when the program exited */
	int nmarks;
	char note[256];		/* the first problem a callback saw */
	void (*on_call)(struct run *r, struct trc_call *c);
};

static void run_note(struct run *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void run_note(struct run *r, const char *fmt, ...)
{
	va_list ap;

	if (r->note[0])
		return;
	va_start(ap, fmt);
	vsnprintf(r->note, sizeof(r->note), fmt, ap);
	va_end(ap);
}

static void run_syscall(void *data, struct trc_call *c)
{
	struct run *r = data;

	r->calls++;
	if (trc_call_pid(c) != trc_main_pid(r->t))
		run_note(r, "call from pid %d, not the program", (int)trc_call_pid(c));
	r->on_call(r, c);
}

static void run_exited(void *data, int status)
{
	struct run *r = data;
	struct trc_stats st;

	trc_stats(r->t, &st);
	r->replays = st.replays;
	r->status = status;
	r->exited = true;
	ck_assert_int_eq(trc_signal(r->t, SIGTERM), -ESRCH);
	trc_free(r->t);
	r->t = NULL;
	uv_close((uv_handle_t *)&r->guard, NULL);
}

static const struct trc_ops run_ops = {
	.syscall = run_syscall,
	.exited = run_exited,
};

static void on_guard(uv_timer_t *h)
{
	struct run *r = h->data;

	r->timed_out = true;
	trc_signal(r->t, SIGKILL);
}

/* Run "--tracee @what" under the tracer; return its waitpid() status. */
static int run_tracee(struct run *r, const char *what)
{
	char self[PATH_MAX];
	char *argv[] = { self, "--tracee", (char *)what, NULL };
	struct trc_opts opts = { .argv = argv, .trap_open = r->trap_open };
	ssize_t n;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	ck_assert_int_gt(n, 0);
	self[n] = '\0';
	ck_assert_int_eq(uv_loop_init(&r->loop), 0);
	ck_assert_int_eq(trc_new(&r->loop, &run_ops, r, &r->t), 0);
	ck_assert_int_eq(uv_timer_init(&r->loop, &r->guard), 0);
	r->guard.data = r;
	ck_assert_int_eq(uv_timer_start(&r->guard, on_guard, 10000, 0), 0);
	ck_assert_int_eq(trc_spawn(r->t, &opts), 0);
	ck_assert_int_gt(trc_main_pid(r->t), 0);
	ck_assert_int_eq(uv_run(&r->loop, UV_RUN_DEFAULT), 0);
	ck_assert(!r->timed_out);
	ck_assert(r->exited);
	ck_assert_msg(!r->note[0], "%s", r->note);
	ck_assert_int_eq(uv_loop_close(&r->loop), 0);
	return r->status;
}

static void answer_continue(struct run *r, struct trc_call *c)
{
	trc_call_continue(c);
}

/* Count the opens of /dev/null; let the kernel run every call. */
static void answer_opens(struct run *r, struct trc_call *c)
{
	int nr = trc_call_nr(c);
	char path[16] = "";

	if (nr == __NR_open || nr == __NR_openat || nr == __NR_openat2) {
		uint64_t at = trc_call_arg(c, nr == __NR_open ? 0 : 1);

		if (!trc_mem_read(c, at, path, sizeof(path) - 1) &&
		    !strcmp(path, "/dev/null"))
			r->opens++;
	} else {
		bool at0 = nr == __NR_newfstatat || nr == __NR_statx ||
			   nr == __NR_readlinkat;

		if (!trc_mem_read(c, trc_call_arg(c, at0), path, sizeof(path) - 1) &&
		    !strcmp(path, "/dev/null"))
			r->stats++;
	}
	trc_call_continue(c);
}

static void answer_eacces(struct run *r, struct trc_call *c)
{
	if (trc_call_nr(c) != __NR_socket || trc_call_arg(c, 0) != AF_INET ||
	    trc_call_arg(c, 1) != SOCK_STREAM) {
		run_note(r, "unexpected call %d", trc_call_nr(c));
		trc_call_continue(c);
		return;
	}
	trc_call_reply(c, -EACCES);
}

static void answer_addfd(struct run *r, struct trc_call *c)
{
	int sp[2], fd;

	if (trc_call_nr(c) != __NR_socket) {
		trc_call_continue(c);
		return;
	}
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sp)) {
		trc_call_reply(c, -errno);
		return;
	}
	fd = trc_call_addfd(c, sp[1], true);
	if (fd < 0)
		run_note(r, "trc_call_addfd: %s", strerror(-fd));
	close(sp[1]);
	r->sv = sp[0];
}

static void answer_mem(struct run *r, struct trc_call *c)
{
	struct sockaddr_in a, out = {
		.sin_family = AF_INET, .sin_port = htons(4343),
		.sin_addr.s_addr = htonl(0x7f000002),
	};
	uint32_t len = sizeof(out);
	int ret;

	switch (trc_call_nr(c)) {
	case __NR_bind:
		if (trc_call_arg(c, 2) != sizeof(a) ||
		    trc_mem_read(c, trc_call_arg(c, 1), &a, sizeof(a)))
			run_note(r, "bind: cannot read the address");
		else if (a.sin_port != htons(4242) ||
			 a.sin_addr.s_addr != htonl(INADDR_LOOPBACK))
			run_note(r, "bind: read a wrong address");
		if (trc_mem_read(c, 0, &a, sizeof(a)) != -EFAULT ||
		    trc_mem_read(c, 1, &a, sizeof(a)) != -EFAULT)
			run_note(r, "trc_mem_read of a bad pointer is not -EFAULT");
		/* read without the check, then checked: the same bytes */
		memset(&a, 0, sizeof(a));
		if (trc_mem_read_first(c, trc_call_arg(c, 1) + 2, &a, 2) ||
		    a.sin_family != htons(4242) || trc_call_verify(c))
			run_note(r, "trc_mem_read_first or trc_call_verify failed");
		if (trc_mem_read_first(c, 0, &a, sizeof(a)) != -EFAULT ||
		    trc_mem_read_first(c, 1, &a, sizeof(a)) != -EFAULT)
			run_note(r, "trc_mem_read_first of a bad pointer is not -EFAULT");
		trc_call_reply(c, 0);
		break;
	case __NR_getsockname:
		ret = trc_mem_write(c, trc_call_arg(c, 1), &out, sizeof(out));
		if (!ret)
			ret = trc_mem_write(c, trc_call_arg(c, 2), &len, sizeof(len));
		trc_call_reply(c, ret);
		break;
	case __NR_getpeername:
		ret = trc_mem_write(c, trc_call_arg(c, 1), &out, sizeof(out));
		if (ret != -EFAULT)
			run_note(r, "trc_mem_write to (void *)1 gave %d", ret);
		trc_call_reply(c, ret);
		break;
	default:
		trc_call_continue(c);
	}
}

/* bind(): read the address unchecked, then the caller dies before the
 * check; the check must say so however the read went. */
static void answer_mem_die(struct run *r, struct trc_call *c)
{
	struct sockaddr_in a;
	int i, ret = 0;

	if (trc_call_nr(c) != __NR_bind) {
		trc_call_continue(c);
		return;
	}
	if (trc_mem_read_first(c, trc_call_arg(c, 1), &a, sizeof(a)) ||
	    a.sin_port != htons(4242))
		run_note(r, "bind: trc_mem_read_first read a wrong address");
	kill(trc_call_pid(c), SIGKILL);
	/* the notification goes stale once the killed caller is gone */
	for (i = 0; i < 2000 && trc_call_valid(c); i++)
		usleep(1000);
	ret = trc_call_verify(c);
	if (ret != -ESRCH)
		run_note(r, "trc_call_verify after the caller died gave %d", ret);
	/* a read from the memo is checked too */
	if (trc_mem_read(c, trc_call_arg(c, 1), &a, sizeof(a)) != -ESRCH)
		run_note(r, "trc_mem_read after the caller died is not -ESRCH");
	trc_call_reply(c, 0);
}

/* recvmsg(): the iovec array through the msghdr; each call's count of
 * memory reads goes to r->marks */
static void answer_ahead(struct run *r, struct trc_call *c)
{
	struct trc_stats before, after;
	struct msghdr mh;
	struct iovec iov;
	char out[2] = { 'n', (char)('0' + r->nmarks) };
	int ret;

	if (trc_call_nr(c) != __NR_recvmsg) {
		trc_call_continue(c);
		return;
	}
	trc_stats(r->t, &before);
	ret = trc_mem_read_first(c, trc_call_arg(c, 1), &mh, sizeof(mh));
	if (!ret && mh.msg_iovlen != 1)
		ret = -EINVAL;
	if (!ret)
		ret = trc_mem_read(c, (uint64_t)(uintptr_t)mh.msg_iov, &iov,
				   sizeof(iov));
	if (!ret)
		ret = trc_mem_write(c, (uint64_t)(uintptr_t)iov.iov_base, out,
				    sizeof(out));
	trc_stats(r->t, &after);
	if (r->nmarks < 16)
		r->marks[r->nmarks++] = after.mem_reads - before.mem_reads;
	trc_call_reply(c, ret ? ret : (int64_t)sizeof(out));
}

static void answer_marks(struct run *r, struct trc_call *c)
{
	struct trc_stats st;

	if (trc_call_nr(c) != __NR_getsockname) {
		if (trc_call_nr(c) == __NR_clone || trc_call_nr(c) == __NR_fork ||
		    trc_call_nr(c) == __NR_vfork || trc_call_nr(c) == __NR_dup ||
		    trc_call_nr(c) == __NR_dup2 || trc_call_nr(c) == __NR_fcntl)
			r->wrongly_trapped++;	/* trapped: it must not be */
		trc_call_continue(c);	/* a sendmsg continued is counted */
		return;
	}
	if (r->nmarks < 16) {
		r->marks[r->nmarks] = trc_dup_epoch(r->t);
		trc_stats(r->t, &st);
		r->dup_calls[r->nmarks++] = st.dup_calls;
	}
	trc_call_reply(c, 0);
}

/*
 * The first call of each tag gets its answer only after a SIGUSR1 took its
 * caller out of it (so the answer is lost, and kept); a call the tracer
 * answers from what it kept never reaches this callback.
 */
static void answer_replay(struct run *r, struct trc_call *c)
{
	static const uint64_t tag[4] = { 0x5a, 0x5b, 0x5c, 0x6b };
	static const int64_t first[4] = { 42, 43, 45, 44 };
	int i, n;

	for (i = 0; i < 4 && trc_call_arg(c, 2) != tag[i]; i++)
		;
	if (trc_call_nr(c) != __NR_getsockname || i == 4) {
		trc_call_continue(c);
		return;
	}
	n = ++r->seen[i];
	if (n == 1 && i < 3) {
		kill(trc_call_pid(c), SIGUSR1);
		for (n = 0; n < 2000 && trc_call_valid(c); n++)
			usleep(1000);
		if (trc_call_valid(c))
			run_note(r, "tag 0x%llx: the signal did not end the call",
				 (unsigned long long)tag[i]);
		trc_call_reply(c, first[i]);	/* lost */
	} else if (i == 1 && n == 2) {
		trc_call_reply(c, 46);
	} else if (i == 3 && n == 1) {
		trc_call_reply(c, 44);
	} else {
		run_note(r, "tag 0x%llx seen %d times", (unsigned long long)tag[i], n);
		trc_call_reply(c, -EIO);
	}
}

/* An answer a signal kept from its caller is given to the same call when
 * it comes back (restarted, or retried after EINTR), and to nothing else. */
START_TEST(trc_spawn_replays_answer_lost_to_signal)
{
	struct run r = { .on_call = answer_replay };
	int status = run_tracee(&r, "replay");

	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "tracee status 0x%x", status);
	ck_assert_int_eq(r.seen[0], 1);
	ck_assert_int_eq(r.seen[1], 2);
	ck_assert_int_eq(r.seen[2], 1);
	ck_assert_int_eq(r.seen[3], 1);
	ck_assert_uint_eq(r.replays, 2);
}
END_TEST

START_TEST(trc_spawn_exit_status_reported)
{
	struct run r = { .on_call = answer_continue };
	int st = run_tracee(&r, "exit7");

	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 7);
}
END_TEST

START_TEST(trc_spawn_missing_program_enoent)
{
	char *argv[] = { "/nonexistent/rrsandbox-test", NULL };
	struct trc_opts opts = { .argv = argv };
	struct run r = { .on_call = answer_continue };

	ck_assert_int_eq(uv_loop_init(&r.loop), 0);
	ck_assert_int_eq(trc_new(&r.loop, &run_ops, &r, &r.t), 0);
	ck_assert_int_eq(trc_spawn(r.t, &opts), -ENOENT);
	trc_free(r.t);
	ck_assert_int_eq(uv_run(&r.loop, UV_RUN_DEFAULT), 0);
	ck_assert_int_eq(uv_loop_close(&r.loop), 0);
}
END_TEST

/*
 * `rrctl exec`'s jobs (tracer/exec.c), with real programs: each job's
 * news as trc_exec() promises, a job a child of the zygote and so of the
 * tree, never of the program, and no job once the program exited.
 */
struct jobs {
	struct run r;
	struct trc_job *job[4];
	struct trc_job_news news[8];
	int from[8];		/* which job each news is of */
	int n;
	pid_t zygote;		/* the first job's parent */
	bool in_tree;		/* "sleep 30" in the tree, its parent too (the
				 * zygote, not the supervisor) */
	int after_exit;		/* trc_exec() once the program exited */
};

static void jobs_syscall(void *data, struct trc_call *c)
{
	(void)data;
	trc_call_continue(c);	/* the zygote's recvmsg() among them */
}

static void jobs_exited(void *data, int status)
{
	struct jobs *j = data;
	char *argv[] = { "true", NULL }, *envp[] = { NULL };
	struct trc_exec_req req = { argv, envp, "/", { 0, 1, 2 }, false };
	struct trc_job *none;

	j->after_exit = trc_exec(j->r.t, &req, NULL, NULL, &none);
	run_exited(&j->r, status);
}

static const struct trc_ops jobs_ops = {
	.syscall = jobs_syscall,
	.exited = jobs_exited,
};

/* The parent of @pid from /proc, 0 if it cannot be read. */
static pid_t parent_of(pid_t pid)
{
	char path[64], buf[512], *p;
	int ppid = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r"))) {
		if (fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')')))
			sscanf(p + 2, "%*c %d", &ppid);
		fclose(f);
	}
	return ppid;
}

static void jobs_news(void *arg, const struct trc_job_news *n)
{
	struct jobs **slot = arg, *j = slot[0];
	int which = (int)(intptr_t)slot[1];
	pid_t ppid;

	if (j->n >= 8)
		return;
	j->news[j->n] = *n;
	j->from[j->n++] = which;
	/* only "sleep 30" is sure to be alive when its STARTED is read: "sh
	 * -c 'exit 3'" may be gone (and reaped) by then */
	if (n->ev != TRC_JOB_STARTED || which != 2)
		return;
	ppid = parent_of(n->pid);
	j->zygote = ppid;
	/* the job's parent is the zygote, whose parent is the supervisor
	 * (this process), never the program */
	j->in_tree = ppid > 0 && ppid != getpid() && trc_in_tree(n->pid) &&
		     parent_of(ppid) == getpid();
	ck_assert_int_eq(trc_job_signal(j->job[2], SIGTERM), 0);
}

/* The news of job @which: index into j->news of the first of kind @ev */
static int jobs_find(const struct jobs *j, int which, enum trc_job_event ev)
{
	int i;

	for (i = 0; i < j->n; i++)
		if (j->from[i] == which && j->news[i].ev == ev)
			return i;
	return -1;
}

START_TEST(trc_exec_jobs)
{
	char *main_argv[] = { "sleep", "2", NULL };
	struct trc_opts opts = { .argv = main_argv, .exec = true };
	char *a0[] = { "sh", "-c", "exit 3", NULL };
	char *a1[] = { "/nonexistent/rrsandbox-job", NULL };
	char *a2[] = { "sleep", "30", NULL };
	char *a3[] = { "true", NULL };
	char **argv[4] = { a0, a1, a2, a3 };
	const char *cwd[4] = { "/", "/", "/", "/nonexistent/dir" };
	char *envp[] = { "PATH=/usr/bin:/bin", NULL };
	static struct jobs j;
	void *slot[4][2];
	int nul, i, k;

	memset(&j, 0, sizeof(j));
	nul = open("/dev/null", O_RDWR | O_CLOEXEC);
	ck_assert_int_ge(nul, 0);
	ck_assert_int_eq(uv_loop_init(&j.r.loop), 0);
	ck_assert_int_eq(trc_new(&j.r.loop, &jobs_ops, &j, &j.r.t), 0);
	ck_assert_int_eq(uv_timer_init(&j.r.loop, &j.r.guard), 0);
	j.r.guard.data = &j.r;
	ck_assert_int_eq(uv_timer_start(&j.r.guard, on_guard, 10000, 0), 0);
	ck_assert_int_eq(trc_spawn(j.r.t, &opts), 0);
	for (i = 0; i < 4; i++) {
		struct trc_exec_req req = { argv[i], envp, cwd[i],
					    { nul, nul, nul }, false };

		slot[i][0] = &j;
		slot[i][1] = (void *)(intptr_t)i;
		ck_assert_int_eq(trc_exec(j.r.t, &req, jobs_news, slot[i],
					  &j.job[i]), 0);
	}
	close(nul);
	ck_assert_int_eq(uv_run(&j.r.loop, UV_RUN_DEFAULT), 0);
	ck_assert(!j.r.timed_out);
	ck_assert(j.r.exited);
	ck_assert_int_eq(uv_loop_close(&j.r.loop), 0);
	ck_assert(WIFEXITED(j.r.status) && !WEXITSTATUS(j.r.status));
	ck_assert_int_eq(j.after_exit, -ESRCH);
	/* sh: started, then exit 3 */
	ck_assert_int_ge(k = jobs_find(&j, 0, TRC_JOB_STARTED), 0);
	ck_assert_int_ge(k = jobs_find(&j, 0, TRC_JOB_EXITED), 0);
	ck_assert(WIFEXITED(j.news[k].status));
	ck_assert_int_eq(WEXITSTATUS(j.news[k].status), 3);
	/* not found: failed in execvp(), never started */
	ck_assert_int_eq(jobs_find(&j, 1, TRC_JOB_STARTED), -1);
	ck_assert_int_ge(k = jobs_find(&j, 1, TRC_JOB_FAILED), 0);
	ck_assert_int_eq(j.news[k].err, ENOENT);
	ck_assert_int_eq(j.news[k].stage, TRC_JOB_STAGE_EXEC);
	/* sleep 30: ended by the SIGTERM sent when it started */
	ck_assert_int_ge(k = jobs_find(&j, 2, TRC_JOB_EXITED), 0);
	ck_assert(WIFSIGNALED(j.news[k].status));
	ck_assert_int_eq(WTERMSIG(j.news[k].status), SIGTERM);
	/* no such directory */
	ck_assert_int_ge(k = jobs_find(&j, 3, TRC_JOB_FAILED), 0);
	ck_assert_int_eq(j.news[k].err, ENOENT);
	ck_assert_int_eq(j.news[k].stage, TRC_JOB_STAGE_CWD);
	ck_assert_int_eq(j.n, 6);
	/* a child of the zygote, the supervisor's child */
	ck_assert(j.in_tree);
	ck_assert_int_gt(j.zygote, 0);
}
END_TEST

/*
 * When trc__exec_fork() returns, the zygote holds none of its caller's
 * fds but its socket.  The supervisor takes the closing of the exec error
 * pipe for the program's exec (wait_exec()) and lets calls made before it
 * run natively: a zygote that closed its copy itself, a moment after the
 * program's exec, let the program's first socket() escape the sandbox
 * (found as EPERM for a raw socket in CI).  Here the caller closes its
 * write end as its exec would: the pipe must be shut at once, every time.
 */
START_TEST(trc_exec_fork_zygote_holds_no_fd)
{
	int ep[2], zs[2], nul, st, i;
	char hello[256];
	struct pollfd p;
	pid_t kid;

	for (i = 0; i < 20; i++) {
		ck_assert_int_eq(pipe2(ep, O_CLOEXEC), 0);
		ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC,
					    0, zs), 0);
		ck_assert_int_ge(nul = open("/dev/null", O_RDWR | O_CLOEXEC), 0);
		kid = fork();
		ck_assert_int_ge(kid, 0);
		if (kid == 0) {
			close(ep[0]);
			close(zs[0]);
			trc__exec_fork(zs[1], nul);
			close(ep[1]);
			_exit(0);
		}
		close(ep[1]);
		close(zs[1]);
		close(nul);
		ck_assert_int_eq(waitpid(kid, &st, 0), kid);
		ck_assert(WIFEXITED(st) && !WEXITSTATUS(st));
		p = (struct pollfd){ .fd = ep[0], .events = POLLIN };
		ck_assert_int_eq(poll(&p, 1, 0), 1);
		ck_assert(p.revents & POLLHUP);
		ck_assert_int_eq(read(ep[0], hello, 1), 0);
		/* the zygote runs all the same: it says hello, and leaves
		 * once its socket is shut */
		ck_assert_int_gt(recv(zs[0], hello, sizeof(hello), 0), 0);
		close(zs[0]);
		close(ep[0]);
	}
}
END_TEST

START_TEST(trc_new_bad_arguments_einval)
{
	static const struct trc_ops no_exited = { .syscall = run_syscall };
	struct trc *t = NULL;
	uv_loop_t loop;

	ck_assert_int_eq(uv_loop_init(&loop), 0);
	ck_assert_int_eq(trc_new(NULL, &run_ops, NULL, &t), -EINVAL);
	ck_assert_int_eq(trc_new(&loop, NULL, NULL, &t), -EINVAL);
	ck_assert_int_eq(trc_new(&loop, &no_exited, NULL, &t), -EINVAL);
	ck_assert_int_eq(trc_new(&loop, &run_ops, NULL, NULL), -EINVAL);
	ck_assert_ptr_null(t);
	ck_assert_int_eq(uv_loop_close(&loop), 0);
}
END_TEST

START_TEST(trc_spawn_call_reply_reaches_tracee)
{
	struct run r = { .on_call = answer_eacces };
	int st = run_tracee(&r, "socket");

	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), EACCES);
	ck_assert_int_eq(r.calls, 1);
}
END_TEST

START_TEST(trc_spawn_call_continue_runs_kernel_call)
{
	struct run r = { .on_call = answer_continue };
	int st = run_tracee(&r, "continue");

	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), ENOTSOCK);
	ck_assert_int_ge(r.calls, 1);
}
END_TEST

/* open, openat and openat2 for reading (a directory's too), and openat
 * for writing (or reading and writing) with no flag but a shell's, reach
 * the supervisor with trc_opts.trap_open (the kernel then runs them), and
 * never without it; an openat with O_SYNC never does.  So do the lookups
 * by path of stats_by_path(), and never those on an fd. */
START_TEST(trc_spawn_trap_open_only_when_asked)
{
	struct run with = { .on_call = answer_opens, .trap_open = true };
	struct run without = { .on_call = answer_opens };
	int st, want = syscall(SYS_openat2, AT_FDCWD, "/", NULL, 0) < 0 &&
		       errno == ENOSYS ? 7 : 8;

	st = run_tracee(&with, "opens");
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 0);
	ck_assert_int_eq(with.opens, want);
	ck_assert_int_eq(with.stats, 8);
	st = run_tracee(&without, "opens");
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 0);
	ck_assert_int_eq(without.opens, 0);
	ck_assert_int_eq(without.stats, 0);
}
END_TEST

/* Each trapped call that may give another process an open file is
 * counted once, before it runs.  dup(), fcntl() and dup2() only give the
 * caller another fd (trc_fd_count() sees those) and a fork makes a
 * process: none is trapped (an interrupted trap would fail it with
 * EINTR).  The epoch sees the fork in the kernel's last pid, and may move
 * for any step (the host makes processes too), so only a fork's move is
 * checked. */
START_TEST(trc_spawn_dup_epoch_counts_duplications)
{
	static const char *const step[] = { "dup", "F_DUPFD_CLOEXEC",
		"F_GETFL", "dup2", "fork", "SCM_RIGHTS", "unshare" };
	static const uint64_t want[] = { 0, 0, 0, 0, 0, 1, 1 };
	struct run r = { .on_call = answer_marks };
	int st = run_tracee(&r, "dups"), i;

	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		      "tracee status 0x%x", st);
	ck_assert_int_eq(r.nmarks, 8);
	for (i = 0; i < 7; i++) {
		ck_assert_msg(r.dup_calls[i + 1] - r.dup_calls[i] == want[i],
			      "%s counted %llu times", step[i],
			      (unsigned long long)(r.dup_calls[i + 1] -
						   r.dup_calls[i]));
		ck_assert_msg(r.marks[i + 1] - r.marks[i] >= want[i],
			      "%s: epoch moved by %llu", step[i],
			      (unsigned long long)(r.marks[i + 1] - r.marks[i]));
	}
	ck_assert_msg(r.marks[5] > r.marks[4], "the fork did not move the epoch");
	ck_assert_int_eq(r.wrongly_trapped, 0);
}
END_TEST

START_TEST(trc_spawn_call_addfd_installs_fd)
{
	struct run r = { .on_call = answer_addfd, .sv = -1 };
	char buf[8];
	int st = run_tracee(&r, "addfd");

	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 0);
	ck_assert_int_ge(r.sv, 0);
	ck_assert_int_eq(recv(r.sv, buf, sizeof(buf), MSG_DONTWAIT), 2);
	ck_assert_mem_eq(buf, "ok", 2);
	close(r.sv);
}
END_TEST

START_TEST(trc_spawn_mem_read_write_and_efault)
{
	struct run r = { .on_call = answer_mem };
	int st = run_tracee(&r, "mem");

	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 0);
	ck_assert_int_eq(r.calls, 3);
}
END_TEST

/* A msghdr read again at the same place brings its iovec array along: one
 * process_vm_readv() where there were two, the second guess learnt when
 * the array moves, and a bad array pointer still EFAULT. */
START_TEST(trc_spawn_mem_read_ahead_of_msghdr)
{
	static const uint64_t want[] = { 2, 1, 2, 1, 2 };
	struct run r = { .on_call = answer_ahead };
	int st = run_tracee(&r, "ahead");
	int i;

	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		      "tracee status 0x%x", st);
	ck_assert_int_eq(r.nmarks, 5);
	for (i = 0; i < 5; i++)
		ck_assert_msg(r.marks[i] == want[i],
			      "recvmsg %d: %llu memory reads, not %llu", i,
			      (unsigned long long)r.marks[i],
			      (unsigned long long)want[i]);
}
END_TEST

START_TEST(trc_spawn_mem_read_first_checked_later)
{
	struct run r = { .on_call = answer_mem_die };
	int st = run_tracee(&r, "mem");

	ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
		      "tracee status 0x%x", st);
	ck_assert_int_eq(r.calls, 1);
}
END_TEST

static void collect_ino(void *data, uint64_t ino)
{
	uint64_t *want = data;

	if (ino == want[0])
		want[1]++;
}

START_TEST(trc_scan_sockets_finds_descendant_socket)
{
	static const struct trc_ops ops = { .syscall = run_syscall,
					    .exited = run_exited };
	uint64_t want[2] = { 0, 0 };
	int sv[2], go[2], rfd;
	struct trc *t = NULL;
	struct stat st;
	uv_loop_t loop;
	pid_t pid;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(fstat(sv[1], &st), 0);
	want[0] = st.st_ino;
	ck_assert_int_eq(pipe(go), 0);
	pid = child_start(hold_until_eof, go, &rfd);
	close(go[0]);
	close(sv[1]);		/* only the child holds it */
	ck_assert_int_eq(uv_loop_init(&loop), 0);
	ck_assert_int_eq(trc_new(&loop, &ops, NULL, &t), 0);
	ck_assert_int_eq(trc_scan_sockets(t, collect_ino, want), 0);
	ck_assert_uint_eq(want[1], 1);
	close(go[1]);
	child_finish(pid, rfd);
	want[1] = 0;
	ck_assert_int_eq(trc_scan_sockets(t, collect_ino, want), 0);
	ck_assert_uint_eq(want[1], 0);
	trc_free(t);
	ck_assert_int_eq(uv_run(&loop, UV_RUN_DEFAULT), 0);
	ck_assert_int_eq(uv_loop_close(&loop), 0);
	close(sv[0]);
}
END_TEST

static Suite *trc_suite(void)
{
	Suite *s = suite_create("trc");
	TCase *tc;

	tc = tcase_create("fd_inode");
	tcase_add_test(tc, trc_fd_inode_socket_matches_fstat);
	tcase_add_test(tc, trc_fd_inode_other_process_matches_fstat);
	tcase_add_test(tc, trc_fd_inode_pipe_enotsock);
	tcase_add_test(tc, trc_fd_inode_closed_ebadf);
	suite_add_tcase(s, tc);

	tc = tcase_create("fd_flags");
	tcase_add_test(tc, trc_fd_flags_nonblock_follows_fcntl);
	tcase_add_test(tc, trc_fd_flags_socket_type_flag_seen);
	tcase_add_test(tc, trc_fd_flags_access_mode_of_pipe);
	tcase_add_test(tc, trc_fd_flags_closed_ebadf);
	suite_add_tcase(s, tc);

	tc = tcase_create("fd_fetch");
	tcase_add_test(tc, trc_fd_fetch_same_socket);
	tcase_add_test(tc, trc_fd_fetch_pidfd_cache_bounded);
	tcase_add_test(tc, trc_fd_fetch_dead_process_not_served_from_cache);
	tcase_add_test(tc, trc_fd_inode_cached_same_answers);
	tcase_add_test(tc, trc_fd_inode_dead_process_entry_dropped);
	tcase_add_test(tc, trc_fd_inode_asks_each_time);
	tcase_add_test(tc, trc_fd_inode_threads);
	tcase_add_test(tc, trc_fd_inode_thread_cached_until_it_exits);
	tcase_add_test(tc, trc_fd_lookup_copy_of_socket);
	tcase_add_test(tc, trc_fd_lookup_replaced_number);
	tcase_add_test(tc, trc_fd_lookup_thread_no_copy);
	suite_add_tcase(s, tc);

	tc = tcase_create("descendants");
	tcase_add_test(tc, trc_proc_descendants_finds_child_and_grandchild);
	tcase_add_test(tc, trc_proc_descendants_keeps_orphans_of_subreaper);
	suite_add_tcase(s, tc);

	tc = tcase_create("scan_sockets");
	tcase_add_test(tc, trc_scan_sockets_finds_descendant_socket);
	suite_add_tcase(s, tc);

	tc = tcase_create("filter");
	tcase_set_timeout(tc, 15);
	tcase_add_test(tc, trc_filter_io_uring_enosys);
	tcase_add_test(tc, trc_filter_socketpair_others_trapped);
	tcase_add_test(tc, trc_filter_socket_unix_allowed);
	tcase_add_test(tc, trc_filter_kill_supervisor_eperm);
	tcase_add_test(tc, trc_filter_group_sigkill_eperm);
	tcase_add_test(tc, trc_filter_group_signals_to_supervisor_eperm);
	tcase_add_test(tc, trc_filter_i386_socketcall_enosys);
	tcase_add_test(tc, trc_filter_x32_enosys);
	suite_add_tcase(s, tc);

	tc = tcase_create("notify");
	tcase_set_timeout(tc, 15);
	tcase_add_test(tc, trc_notify_socket_answered);
	tcase_add_test(tc, trc_notify_addfd_installs_socket);
	tcase_add_test(tc, trc_wait_exec_holds_program_calls);
	suite_add_tcase(s, tc);

	tc = tcase_create("spawn");
	tcase_set_timeout(tc, 15);
	tcase_add_test(tc, trc_new_bad_arguments_einval);
	tcase_add_test(tc, trc_spawn_exit_status_reported);
	tcase_add_test(tc, trc_spawn_missing_program_enoent);
	tcase_add_test(tc, trc_exec_jobs);
	tcase_add_test(tc, trc_exec_fork_zygote_holds_no_fd);
	tcase_add_test(tc, trc_spawn_call_reply_reaches_tracee);
	tcase_add_test(tc, trc_spawn_call_continue_runs_kernel_call);
	tcase_add_test(tc, trc_spawn_trap_open_only_when_asked);
	tcase_add_test(tc, trc_spawn_call_addfd_installs_fd);
	tcase_add_test(tc, trc_spawn_dup_epoch_counts_duplications);
	tcase_add_test(tc, trc_spawn_replays_answer_lost_to_signal);
	tcase_add_test(tc, trc_spawn_mem_read_write_and_efault);
	tcase_add_test(tc, trc_spawn_mem_read_first_checked_later);
	tcase_add_test(tc, trc_spawn_mem_read_ahead_of_msghdr);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	SRunner *sr;
	int failed;

	if (argc == 3 && !strcmp(argv[1], "--tracee"))
		return tracee_main(argv[2]);
	sr = srunner_create(trc_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
