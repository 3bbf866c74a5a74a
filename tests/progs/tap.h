/* SPDX-License-Identifier: MIT */
/*
 * tap.h - TAP-style check helpers shared by the test programs in tests/progs.
 *
 * Header-only (every program here is one file): each check prints
 * "ok N - description" or "not ok N - description: got X, want Y" on stdout
 * and counts failures; tap_done() prints the plan and gives the exit code.
 * The programs run both natively and inside rrsandbox, so nothing here may
 * depend on rrsandbox; it uses libc only (tap_sandbox_socks() runs the
 * rrctl named by RRS_RRCTL when it is set).
 *
 * Known differences: a program may hand tap_todo_use() a table of checks
 * (fnmatch(3) patterns on the description, each with a reason) that are
 * expected to fail in one setting.  Those become TAP TODO checks: a failure
 * prints "not ok N - desc: got X, want Y # TODO label: reason" and does not
 * count, and a pass prints "ok N - desc # TODO label: reason", so a fixed
 * difference shows up.  Every check not in the table counts as before.
 */
#ifndef RRS_TESTS_TAP_H
#define RRS_TESTS_TAP_H

#include <errno.h>
#include <fnmatch.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>

/* One known difference: checks whose description matches @pattern. */
struct tap_todo {
	const char *pattern;	/* fnmatch(3) pattern, no flags */
	const char *reason;	/* why it differs, printed after "# TODO" */
};

static int tap_count;	/* checks run so far */
static int tap_failed;	/* checks that failed, known differences aside */
static int tap_todo_failed;	/* known differences that failed, as listed */
static int tap_todo_passed;	/* known differences that passed after all */
static const struct tap_todo *tap_todos;	/* table, { NULL } ends it */
static const char *tap_todo_label;		/* "sandbox" and the like */

/**
 * tap_todo_use() - mark the checks in a table as known differences
 * @table:	patterns and reasons, ended by an entry with a NULL pattern
 * @label:	the setting they differ in, printed as "# TODO label: reason"
 */
static inline void tap_todo_use(const struct tap_todo *table, const char *label)
{
	tap_todos = table;
	tap_todo_label = label;
}

/* The reason if @desc is a known difference, else NULL. */
static inline const char *tap_todo_find(const char *desc)
{
	const struct tap_todo *t;

	for (t = tap_todos; t && t->pattern; t++)
		if (!fnmatch(t->pattern, desc, 0))
			return t->reason;
	return NULL;
}

/**
 * tap_loopback() - a loopback address, for the test programs' sockets
 * @family:	AF_INET or AF_INET6
 * @any:	the wildcard instead (0.0.0.0, ::)
 * @port:	its port
 * @ss:		filled in
 *
 * Return: its length
 */
static inline socklen_t tap_loopback(int family, int any, unsigned short port,
				     struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons(port);
		a->sin_addr.s_addr = any ? htonl(INADDR_ANY) : htonl(INADDR_LOOPBACK);
		return sizeof(*a);
	}
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;

	a6->sin6_family = AF_INET6;
	a6->sin6_port = htons(port);
	a6->sin6_addr = any ? in6addr_any : in6addr_loopback;
	return sizeof(*a6);
}

/**
 * tap_errname() - symbolic name of an errno value (the table programs,
 * which print lines rather than checks, use it too)
 * @e:	errno value
 *
 * Return: "EINVAL" and the like (strerrorname_np()), "0" for 0, or
 * "E<number>" for a value without a name.
 */
static inline const char *tap_errname(int e)
{
	static char buf[16];
	const char *n = e ? strerrorname_np(e) : "0";

	if (n)
		return n;
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}

/**
 * tap_result() - record one check
 * @pass:	whether it passed
 * @desc:	what was checked
 * @fmt:	printf format for "got X, want Y" (only printed on failure)
 */
static inline void tap_result(int pass, const char *desc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static inline void tap_result(int pass, const char *desc, const char *fmt, ...)
{
	const char *todo = tap_todo_find(desc);
	int saved = errno;
	va_list ap;

	tap_count++;
	if (pass) {
		printf("ok %d - %s", tap_count, desc);
		tap_todo_passed += !!todo;
	} else {
		if (todo)
			tap_todo_failed++;
		else
			tap_failed++;
		printf("not ok %d - %s: ", tap_count, desc);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
	}
	if (todo)
		printf(" # TODO %s: %s", tap_todo_label, todo);
	putchar('\n');
	fflush(stdout);
	errno = saved;
}

/* Formats a call's outcome: "R" if it succeeded, "-1/ENAME" if not. */
static inline const char *tap_outcome(long ret, int e)
{
	static char buf[2][48];
	static int which;

	which ^= 1;
	if (ret == -1)
		snprintf(buf[which], sizeof(buf[which]), "-1/%s", tap_errname(e));
	else
		snprintf(buf[which], sizeof(buf[which]), "%ld", ret);
	return buf[which];
}

/*
 * The checks below read errno on entry, so pass the call itself as @ret
 * (its value is computed before the check runs) and keep the other
 * arguments free of calls that may change errno: dsc()-style formatters
 * must save and restore it.
 */

/**
 * tap_errno() - check that a call failed with one errno
 * @desc:	what was checked
 * @ret:	the call's return value (errno is read on entry)
 * @want:	the errno Linux gives
 *
 * Return: whether it passed.
 */
static inline int tap_errno(const char *desc, long ret, int want)
{
	int e = errno, pass = ret == -1 && e == want;

	tap_result(pass, desc, "got %s, want -1/%s", tap_outcome(ret, e),
		   tap_errname(want));
	return pass;
}

/**
 * tap_ok() - check that a call succeeded (returned >= 0)
 * @desc:	what was checked
 * @ret:	the call's return value (errno is read on entry)
 *
 * Return: whether it passed.
 */
static inline int tap_ok(const char *desc, long ret)
{
	int e = errno;

	tap_result(ret >= 0, desc, "got %s, want success", tap_outcome(ret, e));
	return ret >= 0;
}

/* Checks that a number has the value Linux gives. */
static inline int tap_int(const char *desc, long got, long want)
{
	tap_result(got == want, desc, "got %ld, want %ld", got, want);
	return got == want;
}

/* Checks a call's return value (errno, read on entry, shown on failure). */
static inline int tap_ret(const char *desc, long ret, long want)
{
	int e = errno;

	tap_result(ret == want, desc, "got %s, want %ld", tap_outcome(ret, e),
		   want);
	return ret == want;
}

/* Prints a diagnostic line that TAP consumers ignore. */
static inline void tap_info(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static inline void tap_info(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/**
 * tap_sandbox_stat() - one counter of the supervisor's
 * @key:	its name in `show stats` ("socks", "traps", ...)
 *
 * Asks `$RRS_RRCTL -n PARENT show stats` (unpriv.sh sets RRS_RRCTL): a
 * program inside rrsandbox is its supervisor's child, and cannot count
 * the supervisor's fds itself, since the supervisor is not dumpable (its
 * /proc/PID/fd is closed to the program).  Needs popen(3) only; the
 * rrctl it runs is a child of the program, inside the sandbox, and in a
 * sanitized build runs without LeakSanitizer.
 *
 * Return: the counter, or -1 when RRS_RRCTL is unset or there is no
 * such answer
 */
static inline long tap_sandbox_stat(const char *key)
{
	const char *rrctl = getenv("RRS_RRCTL");
	char cmd[1024], line[1024], name[64], *p;
	long n = -1;
	FILE *f;

	if (!rrctl || !*rrctl || strchr(rrctl, '\'') ||
	    (size_t)snprintf(name, sizeof(name), " %s=", key) >= sizeof(name) ||
	    (size_t)snprintf(cmd, sizeof(cmd),
			     "ASAN_OPTIONS=\"$ASAN_OPTIONS:detect_leaks=0\" '%s' -n %d show stats 2>/dev/null",
			     rrctl, (int)getppid()) >= sizeof(cmd))
		return -1;
	fflush(stdout);		/* the child must not print our buffer again */
	if (!(f = popen(cmd, "r")))
		return -1;
	while (fgets(line, sizeof(line), f))
		if ((p = strstr(line, name)))
			n = strtol(p + strlen(name), NULL, 10);
	if (pclose(f))
		n = -1;
	return n;
}

/* tap_sandbox_socks() - how many sockets the supervisor serves, or -1 */
static inline long tap_sandbox_socks(void)
{
	return tap_sandbox_stat("socks");
}

/**
 * tap_sandbox_socks_settle() - tap_sandbox_socks() once it is @want, or
 *				after 2 s of asking
 * @want:	the count awaited
 */
static inline long tap_sandbox_socks_settle(long want)
{
	long got = tap_sandbox_socks();
	int i;

	for (i = 0; i < 100 && got != want; i++) {
		usleep(20000);
		got = tap_sandbox_socks();
	}
	return got;
}

/* Says why a check of the supervisor's sockets was not made. */
static inline void tap_socks_uncounted(int sandbox)
{
	tap_info("the supervisor's sockets: inside rrsandbox with RRS_RRCTL only%s",
		 sandbox ? " (RRS_RRCTL not set: not counted)" : "");
}

static inline void tap_on_alarm(int sig)
{
	static const char m[] = "Bail out! watchdog: a request hung\n";

	ssize_t n = write(1, m, sizeof(m) - 1);

	(void)sig;
	(void)n;	/* exiting either way */
	_exit(2);
}

/**
 * tap_watchdog() - bail out with status 2 if the run takes longer than
 *		    @secs seconds (a request that hangs)
 * @secs:	the limit
 */
static inline void tap_watchdog(unsigned int secs)
{
	signal(SIGALRM, tap_on_alarm);
	alarm(secs);
}

/**
 * tap_done() - print the plan and a summary
 *
 * Return: the process exit code, 0 only if every check passed but the
 * known differences (TODO), which may fail.
 */
static inline int tap_done(void)
{
	int todo = tap_todo_failed + tap_todo_passed;

	printf("1..%d\n", tap_count);
	if (todo)
		printf("# %d known differences (TODO)\n", tap_todo_failed);
	if (tap_todo_passed)
		printf("# %d TODO checks pass now: take them off the list\n",
		       tap_todo_passed);
	if (tap_failed)
		printf("# %d of %d%s checks failed\n", tap_failed,
		       tap_count - todo, todo ? " other" : "");
	else
		printf("# all %d%s checks passed\n", tap_count - todo,
		       todo ? " other" : "");
	fflush(stdout);
	return tap_failed ? 1 : 0;
}

#endif /* RRS_TESTS_TAP_H */
