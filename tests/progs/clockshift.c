/* SPDX-License-Identifier: MIT */
/*
 * clockshift.c - an LD_PRELOAD library that moves a process's monotonic
 * clocks forward, so that lwIP's sys_now() (CLOCK_MONOTONIC in
 * milliseconds, truncated to 32 bits) wraps a few seconds after the
 * process starts instead of after 49.7 days of host uptime.  Used by
 * tests/scenario/clockwrap.sh on rrsandbox's supervisor.
 *
 *   LD_PRELOAD=.../clockshift.so RRS_CLOCKSHIFT_WRAP_IN=15 rrsandbox ...
 *
 * At load time (the constructor) one offset is chosen, the smallest one
 * that is not negative and puts CLOCK_MONOTONIC at a multiple of 2^32 ms
 * exactly RRS_CLOCKSHIFT_WRAP_IN seconds (default 15, fractions allowed)
 * later.  clock_gettime() then adds that offset to CLOCK_MONOTONIC,
 * CLOCK_MONOTONIC_COARSE, CLOCK_MONOTONIC_RAW and CLOCK_BOOTTIME alike,
 * so any two of them still differ as they did; every other clock
 * (CLOCK_REALTIME, CPU-time clocks) reads as it is.  The resolution of a
 * clock does not change, so clock_getres() is left alone.
 *
 * The constructor prints one line to stderr, "clockshift: pid N: ...",
 * naming the offset and the CLOCK_REALTIME time of the wrap, and removes
 * LD_PRELOAD and RRS_CLOCKSHIFT_WRAP_IN from the environment: programs
 * the process runs afterwards (the sandboxed tree) see the true clocks.
 *
 * The true clock is libc's own clock_gettime() (dlsym(RTLD_NEXT), so the
 * vDSO's speed), or the system call when that cannot be found.  Only the
 * process's calls through the dynamic symbol are shifted: libc's calls to
 * itself and raw system calls are not, and none of those is the clock
 * that lwIP or libuv read.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* RTLD_NEXT; CMake defines it for every target */
#endif
#include <dlfcn.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

#define NS_PER_SEC	1000000000LL
/* 2^32 milliseconds in nanoseconds (about 4.3e15, far within int64_t) */
#define WRAP_NS		(4294967296LL * 1000000LL)
#define DEFAULT_WRAP_IN	15.0

typedef int (*gettime_fn)(clockid_t, struct timespec *);

static gettime_fn real_gettime;
static int64_t shift_ns;

/* the clock as the kernel has it */
static int true_gettime(clockid_t id, struct timespec *ts)
{
	if (real_gettime)
		return real_gettime(id, ts);
	return (int)syscall(SYS_clock_gettime, id, ts);
}

static int shifted(clockid_t id)
{
	switch (id) {
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_BOOTTIME:
		return 1;
	default:
		return 0;
	}
}

static int64_t ts_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * NS_PER_SEC + ts->tv_nsec;
}

/**
 * clock_gettime() - libc's, with the monotonic clocks moved by shift_ns
 * @id:		the clock
 * @ts:		where the time goes
 *
 * Return: 0, or -1 with errno set (as libc's)
 */
int clock_gettime(clockid_t id, struct timespec *ts)
{
	int64_t ns;
	int ret;

	ret = true_gettime(id, ts);
	if (ret != 0 || !shifted(id))
		return ret;
	ns = ts_ns(ts) + shift_ns;
	ts->tv_sec = (time_t)(ns / NS_PER_SEC);
	ts->tv_nsec = (long)(ns % NS_PER_SEC);
	return 0;
}

/* RRS_CLOCKSHIFT_WRAP_IN in nanoseconds; exits on a bad value, so that a
 * test never runs with a clock it did not ask for */
static int64_t wrap_in_ns(void)
{
	const char *s = getenv("RRS_CLOCKSHIFT_WRAP_IN");
	double secs = DEFAULT_WRAP_IN;
	char *end;

	if (s && *s) {
		errno = 0;
		secs = strtod(s, &end);
		/* at most one period of the 32-bit millisecond clock */
		if (errno || end == s || *end || !isfinite(secs) ||
		    secs < 0 || secs > 4294967.0) {
			fprintf(stderr, "clockshift: RRS_CLOCKSHIFT_WRAP_IN=%s: "
				"not a number of seconds in [0, 4294967]\n", s);
			_exit(125);
		}
	}
	return (int64_t)(secs * (double)NS_PER_SEC + 0.5);
}

__attribute__((constructor)) static void clockshift_init(void)
{
	struct timespec mono, real;
	int64_t in_ns, now_ns, wrap_at, k;

	real_gettime = (gettime_fn)dlsym(RTLD_NEXT, "clock_gettime");
	in_ns = wrap_in_ns();
	if (true_gettime(CLOCK_MONOTONIC, &mono) != 0 ||
	    true_gettime(CLOCK_REALTIME, &real) != 0) {
		perror("clockshift: clock_gettime");
		_exit(125);
	}
	now_ns = ts_ns(&mono);
	/* the first multiple of 2^32 ms at or after now + in_ns */
	k = (now_ns + in_ns + WRAP_NS - 1) / WRAP_NS;
	if (k < 1)
		k = 1;
	shift_ns = k * WRAP_NS - in_ns - now_ns;
	wrap_at = ts_ns(&real) + in_ns;
	fprintf(stderr, "clockshift: pid %ld: monotonic clocks +%lld.%09lld s; "
		"CLOCK_MONOTONIC reaches %lld x 2^32 ms in %lld.%03lld s, at "
		"CLOCK_REALTIME %lld.%09lld\n", (long)getpid(),
		(long long)(shift_ns / NS_PER_SEC),
		(long long)(shift_ns % NS_PER_SEC), (long long)k,
		(long long)(in_ns / NS_PER_SEC),
		(long long)(in_ns % NS_PER_SEC / 1000000),
		(long long)(wrap_at / NS_PER_SEC),
		(long long)(wrap_at % NS_PER_SEC));
	/* only this process runs shifted, not what it executes */
	unsetenv("LD_PRELOAD");
	unsetenv("RRS_CLOCKSHIFT_WRAP_IN");
}
