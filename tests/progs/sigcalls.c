// SPDX-License-Identifier: MIT
/*
 * sigcalls.c - calls Linux never fails with EINTR, made while a signal
 * whose handler lacks SA_RESTART arrives every few tens of microseconds.
 *
 * Usage: sigcalls [--sandbox] [SECONDS]
 *
 * dash's SIGCHLD handler is such a handler: a job that ends while the
 * shell forks the next command, closes a pipe end or dup2()s a redirect
 * must not make that call fail.  Linux restarts fork() itself
 * (ERESTARTNOINTR) and never interrupts close(), dup(), dup2(), dup3(),
 * fcntl(F_DUPFD) or a pipe's creation.  Each check runs its call in a loop
 * for SECONDS (default 1) under an interval timer of 37 us, and counts
 * the calls that failed with EINTR; it wants none.
 *
 * Inside rrsandbox (--sandbox) the calls the supervisor still traps
 * (tracer/filter.c: close, dup, dup2, dup3, fcntl F_DUPFD, for its fd
 * cache and its count of duplicated files) can fail so: a trapped call
 * whose caller takes a signal before the supervisor answers returns
 * -ERESTARTSYS, which becomes EINTR without SA_RESTART.  Those are TAP
 * TODO checks there (docs/troubleshooting.md says so); fork(), vfork()
 * and pipe() are not trapped and must pass everywhere.
 *
 * Runs natively (where it must pass) and in rrsandbox, unchanged.  Plain
 * libc; each loop is bounded in time.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

static volatile sig_atomic_t ticks;

static void on_tick(int sig)
{
	(void)sig;
	ticks++;
}

static const struct tap_todo sandbox_todo[] = {
	{ "close() *", "trapped for the supervisor's fd cache" },
	{ "dup*() *", "trapped: it gives a file another reference" },
	{ "fcntl(F_DUPFD) *", "trapped: it gives a file another reference" },
	{ NULL, NULL },
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The timer: SIGALRM every 37 us, its handler without SA_RESTART. */
static void storm(int on)
{
	struct itimerval it = { { 0, on ? 37 : 0 }, { 0, on ? 37 : 0 } };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_tick;
	sa.sa_flags = 0;		/* no SA_RESTART, as dash's SIGCHLD */
	sigemptyset(&sa.sa_mask);
	if (on && sigaction(SIGALRM, &sa, NULL)) {
		perror("sigcalls: sigaction");
		exit(2);
	}
	if (setitimer(ITIMER_REAL, &it, NULL)) {
		perror("sigcalls: setitimer");
		exit(2);
	}
}

/* waitpid() itself may be interrupted (Linux too): retried. */
static int reap(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

enum op { OP_FORK, OP_VFORK, OP_PIPE, OP_CLOSE, OP_DUP, OP_DUP2, OP_DUP3,
	  OP_DUPFD };

/*
 * One call of @op; 0, 1 when it failed with EINTR, -1 on any other
 * failure.  @fd is an open pipe end to duplicate.
 */
static int once(enum op op, int fd)
{
	int p[2], r = -1, e;
	pid_t pid;

	switch (op) {
	case OP_FORK:
		pid = fork();
		if (pid == 0)
			_exit(0);
		if (pid < 0)
			return errno == EINTR ? 1 : -1;
		return reap(pid);
	case OP_VFORK:
		pid = vfork();
		if (pid == 0)
			_exit(0);
		if (pid < 0)
			return errno == EINTR ? 1 : -1;
		return reap(pid);
	case OP_PIPE:
		if (pipe(p))
			return errno == EINTR ? 1 : -1;
		close(p[0]);
		close(p[1]);
		return 0;
	case OP_CLOSE:
		/* a copy made with F_DUPFD_CLOEXEC above 100, then closed */
		while ((r = fcntl(fd, F_DUPFD_CLOEXEC, 100)) < 0 && errno == EINTR)
			;
		if (r < 0)
			return -1;
		if (close(r) == 0)
			return 0;
		e = errno;
		/* EINTR: Linux's close() would have closed it anyway */
		while (close(r) && errno == EINTR)
			;
		return e == EINTR ? 1 : -1;
	case OP_DUP:
		r = dup(fd);
		break;
	case OP_DUP2:
		r = dup2(fd, 150);
		break;
	case OP_DUP3:
		r = dup3(fd, 151, O_CLOEXEC);
		break;
	case OP_DUPFD:
		r = fcntl(fd, F_DUPFD, 160);
		break;
	}
	if (r < 0)
		return errno == EINTR ? 1 : -1;
	close(r);
	return 0;
}

/* Runs @op for @secs under the storm; checks that none failed. */
static void check(const char *desc, enum op op, int fd, double secs)
{
	long calls = 0, eintr = 0, other = 0;
	sig_atomic_t t0 = ticks;
	double end;
	int r;

	storm(1);
	end = now() + secs;
	while (now() < end) {
		r = once(op, fd);
		calls++;
		if (r > 0)
			eintr++;
		else if (r < 0)
			other++;
	}
	storm(0);
	tap_info("%s: %ld calls, %ld signals, %ld EINTR, %ld other failures",
		 desc, calls, (long)(ticks - t0), eintr, other);
	tap_result(eintr == 0 && other == 0 && calls > 0, desc,
		   "%ld of %ld calls failed with EINTR, %ld otherwise",
		   eintr, calls, other);
}

int main(int argc, char **argv)
{
	double secs = 1;
	int i, p[2];

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--sandbox"))
			tap_todo_use(sandbox_todo, "sandbox");
		else if ((secs = atof(argv[i])) <= 0 || secs > 60) {
			fprintf(stderr, "usage: sigcalls [--sandbox] [SECONDS]\n");
			return 2;
		}
	}
	if (pipe(p)) {
		perror("sigcalls: pipe");
		return 2;
	}
	check("fork() is never interrupted", OP_FORK, p[1], secs);
	check("vfork() is never interrupted", OP_VFORK, p[1], secs);
	check("pipe() is never interrupted", OP_PIPE, p[1], secs);
	check("close() is never interrupted", OP_CLOSE, p[1], secs);
	check("dup() is never interrupted", OP_DUP, p[1], secs);
	check("dup2() is never interrupted", OP_DUP2, p[1], secs);
	check("dup3() is never interrupted", OP_DUP3, p[1], secs);
	check("fcntl(F_DUPFD) is never interrupted", OP_DUPFD, p[1], secs);
	return tap_done();
}
