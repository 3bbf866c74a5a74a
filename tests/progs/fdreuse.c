// SPDX-License-Identifier: MIT
/*
 * fdreuse.c - an fd number that named a socket and then names something
 * else: every trapped call on it must see the new file.
 *
 * Usage: fdreuse [basic | clone | clone3]
 *
 * Each check opens an INET socket, asks a trapped question about it
 * twice (getsockopt(SO_DOMAIN)), then makes its number name something else
 * and asks again: close() (also with bits above the fd's 32) and a new
 * AF_UNIX socket on the freed number,
 * dup2(), dup3(), close_range(), a close-on-exec socket gone after
 * execve() (the program runs itself again), a close by another thread,
 * and (modes clone and clone3, each its own run) a close by another
 * process sharing the fd table (clone() or clone3() with CLONE_FILES, no
 * CLONE_THREAD).  A supervisor that remembered which fd is which socket
 * past any of these answers for the old socket.  Each basic check runs in
 * a child of its own, so none starts with another's history.
 *
 * Runs natively (where it must pass) and in rrsandbox, unchanged.  Plain
 * libc and pthreads; nothing waits unbounded.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

#define EXEC_FD		200	/* check_exec()'s socket */
#define PEER_FD		201	/* check_clone()'s AF_UNIX peer */

#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef SYS_clone3
#define SYS_clone3 435
#endif

/* Where a check's child reports its counts, or -1 in the parent. */
static int report_fd = -1;

struct counts {
	int count, failed;
};

/* In a check's child: hand the counts over and end. */
static void report(void)
{
	struct counts c = { tap_count, tap_failed };

	fflush(stdout);
	_exit(write(report_fd, &c, sizeof(c)) == sizeof(c) ? 0 : 1);
}

/* A setup step failed: nothing more can be checked here. */
static void bail(void)
{
	if (report_fd >= 0)
		report();
	exit(tap_done());
}

/* A check this kernel cannot run: a TAP skip, said loudly. */
static void skip(const char *what)
{
	tap_count++;
	printf("ok %d - %s # SKIP not in this kernel (ENOSYS)\n", tap_count, what);
	fprintf(stderr, "fdreuse: SKIP %s: not in this kernel\n", what);
}

/* SO_DOMAIN of @fd (a trapped call in the sandbox), or -errno. */
static int domain_of(int fd)
{
	int v = -1;
	socklen_t len = sizeof(v);

	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &v, &len))
		return -errno;
	return v;
}

static const char *dom_name(int d)
{
	static char buf[32];

	switch (d) {
	case AF_UNIX: return "AF_UNIX";
	case AF_INET: return "AF_INET";
	case AF_INET6: return "AF_INET6";
	}
	if (d < 0)
		snprintf(buf, sizeof(buf), "-%s", tap_errname(-d));
	else
		snprintf(buf, sizeof(buf), "%d", d);
	return buf;
}

/*
 * known_socket() - a new INET socket, asked about twice so that a
 * supervisor knows it
 *
 * A copy stays open at another number for the rest of the process, so
 * that the socket outlives its first number: a supervisor that still took
 * the number for the socket would find the socket alive and answer for
 * it (were it gone, the call would fall through to the kernel, which
 * would hide the mistake).
 */
static int known_socket(int family, int type)
{
	int s = socket(family, type, 0), d1, d2;

	if (s < 0 || dup(s) < 0) {
		tap_result(0, "setup: socket", "failed: %s", tap_errname(errno));
		bail();
	}
	d1 = domain_of(s);
	d2 = domain_of(s);
	if (d1 != family || d2 != family) {
		tap_result(0, "setup: SO_DOMAIN of a new socket", "got %s then %s",
			   dom_name(d1), dom_name(d2));
		bail();
	}
	return s;
}

/*
 * now_unix() - check that @fd now names an AF_UNIX datagram socket whose
 * peer is @peer: SO_DOMAIN, and a sendmsg() (trapped in the sandbox) that
 * arrives at @peer
 * @what:	the check's name
 */
static void now_unix(const char *what, int fd, int peer)
{
	char desc[160], buf[8] = "";
	struct iovec iov = { .iov_base = "ping", .iov_len = 4 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;
	int d = domain_of(fd);

	snprintf(desc, sizeof(desc), "%s: SO_DOMAIN is AF_UNIX", what);
	tap_result(d == AF_UNIX, desc, "got %s", dom_name(d));
	snprintf(desc, sizeof(desc), "%s: sendmsg() reaches the AF_UNIX peer",
		 what);
	n = sendmsg(fd, &mh, MSG_DONTWAIT);
	if (n == 4)
		n = recv(peer, buf, sizeof(buf), MSG_DONTWAIT);
	tap_result(n == 4 && !memcmp(buf, "ping", 4), desc, "got %zd (%s)", n,
		   n < 0 ? tap_errname(errno) : "bytes");
}

/* An AF_UNIX datagram pair; @sp[0] takes the lowest free number. */
static void unix_pair(int sp[2])
{
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sp)) {
		tap_result(0, "setup: socketpair", "failed: %s", tap_errname(errno));
		bail();
	}
}

static void check_close(void)
{
	int s = known_socket(AF_INET, SOCK_DGRAM), sp[2];

	close(s);
	unix_pair(sp);
	tap_result(sp[0] == s, "close: the new socket takes the freed number",
		   "got %d, want %d", sp[0], s);
	now_unix("close, then socketpair()", sp[0], sp[1]);
}

/* close() takes an unsigned int: bits above it are the kernel's to ignore
 * and must not keep the number's old meaning either. */
static void check_close_wide(void)
{
	int s = known_socket(AF_INET, SOCK_DGRAM), sp[2];
	long r = syscall(SYS_close, 0x100000000L | s);

	tap_result(r == 0, "close(fd | 1 << 32): closes fd", "got %ld (%s)", r,
		   tap_errname(errno));
	unix_pair(sp);
	tap_result(sp[0] == s, "close(fd | 1 << 32): the number is free",
		   "got %d, want %d", sp[0], s);
	now_unix("close(fd | 1 << 32), then socketpair()", sp[0], sp[1]);
}

static void check_dup(int three)
{
	int s = known_socket(AF_INET6, SOCK_STREAM), sp[2], r;
	const char *what = three ? "dup3() over it" : "dup2() over it";

	unix_pair(sp);
	r = three ? dup3(sp[0], s, O_CLOEXEC) : dup2(sp[0], s);
	tap_result(r == s, three ? "dup3: returns the target" :
		   "dup2: returns the target", "got %d (%s)", r,
		   tap_errname(errno));
	now_unix(what, s, sp[1]);
}

static void check_close_range(void)
{
	int s = known_socket(AF_INET, SOCK_STREAM), sp[2];
	long r = syscall(SYS_close_range, s, s, 0);

	if (r && errno == ENOSYS) {
		skip("close_range()");
		close(s);
		return;
	}
	tap_result(r == 0, "close_range: returns 0", "got %ld (%s)", r,
		   tap_errname(errno));
	/* first above last: refused, and nothing is forgotten or broken */
	r = syscall(SYS_close_range, s + 10, s, 0);
	tap_result(r == -1 && errno == EINVAL, "close_range(fd + 10, fd): EINVAL",
		   "got %ld (%s)", r, tap_errname(errno));
	unix_pair(sp);
	tap_result(sp[0] == s, "close_range: the new socket takes the number",
		   "got %d, want %d", sp[0], s);
	now_unix("close_range(), then socketpair()", sp[0], sp[1]);
}

/*
 * Part one: a close-on-exec socket, kept alive by a dup that is not.  It
 * sits at a high number: the new program's dynamic loader opens and
 * closes its libraries at the lowest free ones, and a close there would
 * hide a supervisor's mistake about the number.
 */
static void check_exec(const char *self)
{
	int t = socket(AF_INET, SOCK_DGRAM, 0), keep = dup(t);
	int s = dup3(t, EXEC_FD, O_CLOEXEC), d;
	char a[16], b[16], c[16], f[16], r[16];

	if (t < 0 || keep < 0 || s != EXEC_FD || close(t)) {
		tap_result(0, "setup: socket and dups", "failed: %s",
			   tap_errname(errno));
		bail();
	}
	d = domain_of(s);
	d = d == AF_INET ? domain_of(s) : d;
	tap_result(d == AF_INET, "exec: SO_DOMAIN before", "got %s",
		   dom_name(d));
	snprintf(a, sizeof(a), "%d", s);
	snprintf(b, sizeof(b), "%d", keep);
	snprintf(c, sizeof(c), "%d", tap_count);
	snprintf(f, sizeof(f), "%d", tap_failed);
	snprintf(r, sizeof(r), "%d", report_fd);
	fflush(stdout);
	execl(self, self, "--after-exec", a, b, c, f, r, (char *)NULL);
	tap_result(0, "exec: execl", "failed: %s", tap_errname(errno));
}

/* Part two, in the new program: the first number is gone, the dup is not. */
static void after_exec(char **argv)
{
	int s = atoi(argv[2]), keep = atoi(argv[3]), d;

	tap_count = atoi(argv[4]);
	tap_failed = atoi(argv[5]);
	report_fd = atoi(argv[6]);
	d = domain_of(s);

	tap_result(d == -EBADF, "exec: the close-on-exec number names nothing",
		   "got %s", dom_name(d));
	d = domain_of(keep);
	tap_result(d == AF_INET, "exec: the dup still names the socket",
		   "got %s", dom_name(d));
	report();
}

struct thr_arg {
	int s;
	int sp[2];
};

static void *thr_close(void *p)
{
	struct thr_arg *a = p;

	close(a->s);
	unix_pair(a->sp);
	return NULL;
}

static void check_thread(void)
{
	struct thr_arg a = { .s = known_socket(AF_INET, SOCK_DGRAM) };
	pthread_t t;

	if (pthread_create(&t, NULL, thr_close, &a)) {
		tap_result(0, "setup: pthread_create", "failed");
		return;
	}
	pthread_join(t, NULL);
	tap_result(a.sp[0] == a.s, "thread: the new socket takes the number",
		   "got %d, want %d", a.sp[0], a.s);
	now_unix("closed by another thread", a.s, a.sp[1]);
}

/* clone() or clone3() with CLONE_FILES and no CLONE_VM: as fork(), but
 * the child's close and socketpair land in our fd table. */
static void check_clone(int three)
{
	int s = known_socket(AF_INET, SOCK_DGRAM), sp[2] = { -1, -1 }, st;
	const char *what = three ? "clone3(CLONE_FILES)" : "clone(CLONE_FILES)";
	char desc[96];
	long pid;

	if (three) {
		struct clone_args ca = { .flags = CLONE_FILES,
					 .exit_signal = SIGCHLD };

		pid = syscall(SYS_clone3, &ca, sizeof(ca));
	} else {
		pid = syscall(SYS_clone, CLONE_FILES | SIGCHLD, 0, 0, 0, 0);
	}
	if (pid == 0) {
		close(s);
		unix_pair(sp);
		_exit(sp[0] == s && dup2(sp[1], PEER_FD) == PEER_FD ? 0 : 3);
	}
	if (pid < 0 && errno == ENOSYS) {
		skip(what);
		return;
	}
	snprintf(desc, sizeof(desc), "%s: the child closes and reuses the number",
		 what);
	st = -1;
	if (pid > 0)
		waitpid((pid_t)pid, &st, 0);
	tap_result(pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0, desc,
		   "got pid %ld, status 0x%x", pid, st);
	now_unix(what, s, PEER_FD);
}

/* Run @fn in a child of its own, which continues our count. */
static void in_child(const char *name, void (*fn)(void))
{
	struct counts c;
	int p[2], st = -1;
	pid_t pid;

	fflush(stdout);
	if (pipe(p)) {
		tap_result(0, "setup: pipe", "failed: %s", tap_errname(errno));
		return;
	}
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		report_fd = p[1];
		fn();
		report();
	}
	close(p[1]);
	if (pid > 0 && read(p[0], &c, sizeof(c)) == sizeof(c)) {
		tap_count = c.count;
		tap_failed = c.failed;
	}
	close(p[0]);
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st))
		tap_result(0, name, "its child failed (status 0x%x)", st);
}

static void dup2_case(void) { check_dup(0); }
static void dup3_case(void) { check_dup(1); }
static void exec_case(void) { check_exec("/proc/self/exe"); }

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "basic";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(mode, "--after-exec") && argc == 7)
		after_exec(argv);
	if (!strcmp(mode, "clone") || !strcmp(mode, "clone3")) {
		check_clone(!strcmp(mode, "clone3"));
		return tap_done();
	}
	if (strcmp(mode, "basic")) {
		fprintf(stderr, "usage: fdreuse [basic | clone | clone3]\n");
		return 2;
	}
	in_child("close", check_close);
	in_child("close wide", check_close_wide);
	in_child("dup2", dup2_case);
	in_child("dup3", dup3_case);
	in_child("close_range", check_close_range);
	in_child("thread", check_thread);
	in_child("exec", exec_case);
	return tap_done();
}
