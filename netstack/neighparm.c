/* SPDX-License-Identifier: MIT */
/*
 * neighparm.c - the neighbour tables' parameters (neighparm.h): the files
 * of /proc/sys/net/ipv4|ipv6/neigh/DEV/ with the values a network
 * namespace's devices start with (Linux's arp_tbl.parms and
 * nd_tbl.parms, which neigh_parms_alloc() copies), kept as Linux keeps
 * them (ints, times in jiffies) and read and written through the
 * conversions of Linux 6.18's handlers (net/core/neighbour.c's
 * neigh_sysctl_template, IPv6's ndisc_ifinfo_sysctl_change(),
 * kernel/sysctl.c's proc_dointvec*() and include/linux/jiffies.h), so
 * that a value written in one unit reads back in another as on Linux
 * (base_reachable_time_ms 1001 reads 1004 at HZ 250).
 *
 * The sandbox keeps and shows them; lwIP's ARP and neighbour discovery
 * run on their own timers (docs/configuration.md).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>

#include "devconf.h"
#include "neighparm.h"

#define USER_HZ		100
#define MAX_JIFFY_OFFSET ((uint64_t)((LONG_MAX >> 1) - 1))

/* Kinds of handlers (neigh_sysctl_template's, ndisc's for IPv6) */
enum kind {
	K_INT,		/* proc_dointvec(): IPv6's retrans_time, raw jiffies */
	K_ZERO_INTMAX,	/* proc_dointvec_minmax(), 0 .. INT_MAX */
	K_JIFFIES,	/* proc_dointvec_jiffies(): seconds */
	K_USERHZ,	/* proc_dointvec_userhz_jiffies(): 1/100 s */
	K_MS,		/* proc_dointvec_ms_jiffies(): milliseconds */
	K_MS_POSITIVE,	/* the same, at least one jiffy */
	K_UNRES_QLEN,	/* proc_unres_qlen(): packets of NEIGHPARM_TRUESIZE */
};

static const struct file {
	const char *name;
	enum neighparm_var var;
	enum kind kind;
} files[] = {	/* sorted, as the directory lists them */
	{ "anycast_delay", NPV_ANYCAST_DELAY, K_USERHZ },
	{ "app_solicit", NPV_APP_PROBES, K_ZERO_INTMAX },
	{ "base_reachable_time", NPV_BASE_REACHABLE_TIME, K_JIFFIES },
	{ "base_reachable_time_ms", NPV_BASE_REACHABLE_TIME, K_MS },
	{ "delay_first_probe_time", NPV_DELAY_PROBE_TIME, K_JIFFIES },
	{ "gc_stale_time", NPV_GC_STALETIME, K_JIFFIES },
	{ "interval_probe_time_ms", NPV_INTERVAL_PROBE_TIME_MS, K_MS_POSITIVE },
	{ "locktime", NPV_LOCKTIME, K_USERHZ },
	{ "mcast_resolicit", NPV_MCAST_REPROBES, K_ZERO_INTMAX },
	{ "mcast_solicit", NPV_MCAST_PROBES, K_ZERO_INTMAX },
	{ "proxy_delay", NPV_PROXY_DELAY, K_USERHZ },
	{ "proxy_qlen", NPV_PROXY_QLEN, K_ZERO_INTMAX },
	{ "retrans_time", NPV_RETRANS_TIME, K_USERHZ },
	{ "retrans_time_ms", NPV_RETRANS_TIME, K_MS },
	{ "ucast_solicit", NPV_UCAST_PROBES, K_ZERO_INTMAX },
	{ "unres_qlen", NPV_QUEUE_LEN_BYTES, K_UNRES_QLEN },
	{ "unres_qlen_bytes", NPV_QUEUE_LEN_BYTES, K_ZERO_INTMAX },
};

#define N_FILES	((int)(sizeof(files) / sizeof(files[0])))

/* ---- the host's HZ ---- */

static long read_long(const char *path)
{
	char buf[32];
	FILE *f = fopen(path, "re");
	long v = -1;

	if (!f)
		return -1;
	if (fgets(buf, sizeof(buf), f))
		v = strtol(buf, NULL, 10);
	fclose(f);
	return v;
}

/**
 * neighparm_hz() - the host kernel's HZ, which the values are kept in
 * (as jiffies) and which shows through IPv6's retrans_time (raw jiffies)
 * and the rounding of every other time: the host's
 * ipv6/neigh/default/retrans_time over its retrans_time_ms, the same
 * value in jiffies and in milliseconds; 250 when they cannot be read.
 */
int neighparm_hz(void)
{
	static const char *const dirs[] = {
		"/proc/sys/net/ipv6/neigh/default", "/proc/sys/net/ipv6/neigh/lo",
	};
	static int hz;
	char path[96];
	long j, ms;
	size_t i;

	for (i = 0; !hz && i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/retrans_time", dirs[i]);
		j = read_long(path);
		snprintf(path, sizeof(path), "%s/retrans_time_ms", dirs[i]);
		ms = read_long(path);
		if (j > 0 && ms > 0 && j < LONG_MAX / 1000) {
			long h = (j * 1000 + ms / 2) / ms;

			if (h >= 24 && h <= 1200)
				hz = (int)h;
		}
	}
	if (!hz)
		hz = 250;
	return hz;
}

/* ---- include/linux/jiffies.h ---- */

static uint32_t jiffies_to_msecs(uint64_t j)
{
	uint64_t hz = (uint64_t)neighparm_hz();

	if (1000 % hz == 0)
		return (uint32_t)(j * (1000 / hz));
	return (uint32_t)((j * 1000 + hz - 1) / hz);
}

/* msecs_to_jiffies() takes an unsigned int */
static uint64_t msecs_to_jiffies(uint32_t m)
{
	uint64_t hz = (uint64_t)neighparm_hz();

	if ((int32_t)m < 0)
		return MAX_JIFFY_OFFSET;
	if (1000 % hz == 0)
		return (m + 1000 / hz - 1) / (1000 / hz);
	return ((uint64_t)m * hz + 999) / 1000;
}

static uint64_t jiffies_to_clock_t(uint64_t x)
{
	uint64_t hz = (uint64_t)neighparm_hz();

	return hz % USER_HZ == 0 ? x / (hz / USER_HZ) : x * USER_HZ / hz;
}

/* unsigned long arithmetic, wrapping as the kernel's */
static uint64_t clock_t_to_jiffies(uint64_t x)
{
	uint64_t hz = (uint64_t)neighparm_hz();

	if (hz % USER_HZ == 0) {
		if (x >= UINT64_MAX / (hz / USER_HZ))
			return UINT64_MAX;
		return x * (hz / USER_HZ);
	}
	if (x >= UINT64_MAX / hz * USER_HZ)
		return UINT64_MAX;
	return x * hz / USER_HZ;
}

/* ---- values ---- */

uint64_t neighparm_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint32_t random_u32(void)
{
	uint32_t r;

	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r))
		r = (uint32_t)rand();
	return r;
}

/**
 * neighparm_draw() - draw @p's reachable time again from its base, as
 * neigh_rand_reach_time(): uniformly in [base / 2, 3 * base / 2)
 * @p:		the parameters
 */
void neighparm_draw(struct neighparm *p)
{
	/* an unsigned long; get_random_u32_below() takes a u32 (0: any) */
	uint64_t base = (uint64_t)(int64_t)p->v[NPV_BASE_REACHABLE_TIME];
	uint32_t ceil = (uint32_t)base, r;

	if (!base) {
		p->reachable = 0;
		return;
	}
	r = ceil ? random_u32() % ceil : random_u32();
	p->reachable = (int32_t)(r + (base >> 1));
}

/**
 * neighparm_init() - a device's parameters as a new network namespace
 * gives them: arp_tbl's or nd_tbl's (IPv6's locktime is 0)
 * @p:		the parameters
 * @family:	AF_INET (ARP) or AF_INET6 (neighbour discovery)
 */
void neighparm_init(struct neighparm *p, int family)
{
	static uint64_t born;
	int32_t hz = neighparm_hz();

	memset(p, 0, sizeof(*p));
	p->v[NPV_MCAST_PROBES] = 3;
	p->v[NPV_UCAST_PROBES] = 3;
	p->v[NPV_RETRANS_TIME] = hz;
	p->v[NPV_BASE_REACHABLE_TIME] = 30 * hz;
	p->v[NPV_DELAY_PROBE_TIME] = 5 * hz;
	p->v[NPV_INTERVAL_PROBE_TIME_MS] = 5 * hz;
	p->v[NPV_GC_STALETIME] = 60 * hz;
	p->v[NPV_QUEUE_LEN_BYTES] = 212992;	/* SK_WMEM_MAX */
	p->v[NPV_PROXY_QLEN] = 64;
	p->v[NPV_ANYCAST_DELAY] = hz;
	p->v[NPV_PROXY_DELAY] = 8 * hz / 10;
	p->v[NPV_LOCKTIME] = family == AF_INET ? hz : 0;
	p->born = ++born;
	neighparm_draw(p);
}

/**
 * neightbl_init() - a table as a namespace finds it: 8 hash buckets, a
 * seed, made now, its own parameters Linux's
 * @t:		the table
 * @family:	AF_INET (arp_cache) or AF_INET6 (ndisc_cache)
 */
void neightbl_init(struct neightbl *t, int family)
{
	memset(t, 0, sizeof(*t));
	neighparm_init(&t->dflt, family);
	t->dflt.born = 0;
	t->made_ms = t->rand_ms = neighparm_now_ms();
	t->hash_rnd = random_u32();
	t->shift = 3;
}

/**
 * neightbl_entries() - the table holds @entries: its hash grows as
 * neigh_hash_grow() grows it (never shrinks)
 * @t:		the table
 * @entries:	entries now
 */
void neightbl_entries(struct neightbl *t, unsigned int entries)
{
	while (t->shift < 31 && entries > (1u << t->shift)) {
		t->shift++;
		t->grows++;
	}
}

/* ---- the files ---- */

/**
 * neighparm_file() - the index of neigh/DEV/@name, -1 when a device's
 * directory has no such file (Linux 6.18's neigh_sysctl_template up to
 * base_reachable_time_ms)
 * @name:	a path's last component
 */
int neighparm_file(const char *name)
{
	int k;

	for (k = 0; k < N_FILES; k++)
		if (!strcmp(name, files[k].name))
			return k;
	return -1;
}

/* The names only neigh/default/ has (the host's namespace alone) */
bool neighparm_default_name(const char *name)
{
	return !strcmp(name, "gc_interval") || !strcmp(name, "gc_thresh1") ||
	       !strcmp(name, "gc_thresh2") || !strcmp(name, "gc_thresh3");
}

static enum kind kind_of(int family, int file)
{
	/* ndisc_ifinfo_sysctl_change(): neigh_proc_dointvec() */
	if (family == AF_INET6 && !strcmp(files[file].name, "retrans_time"))
		return K_INT;
	return files[file].kind;
}

/**
 * neighparm_print() - neigh/DEV/NAME as Linux prints it (an int, with
 * its handler's conversion, then a newline)
 * @p:		the device's parameters
 * @family:	AF_INET or AF_INET6
 * @file:	neighparm_file()
 * @buf:	where
 * @size:	its room
 *
 * Return: the length, or -ENOENT for no such file
 */
int neighparm_print(const struct neighparm *p, int family, int file,
		    char *buf, size_t size)
{
	int32_t val;
	uint64_t mag;
	bool neg;
	int n;

	if (file < 0 || file >= N_FILES)
		return -ENOENT;
	val = p->v[files[file].var];
	neg = val < 0;
	mag = neg ? -(uint64_t)(int64_t)val : (uint64_t)val;
	switch (kind_of(family, file)) {
	case K_JIFFIES:
		mag /= (uint64_t)neighparm_hz();
		break;
	case K_USERHZ:
		mag = jiffies_to_clock_t(mag);
		break;
	case K_MS:
	case K_MS_POSITIVE:
		mag = jiffies_to_msecs(mag);
		break;
	case K_UNRES_QLEN:	/* int / size_t: an unsigned division */
		val = (int32_t)((uint64_t)(int64_t)val / NEIGHPARM_TRUESIZE);
		neg = val < 0;
		mag = neg ? -(uint64_t)(int64_t)val : (uint64_t)val;
		break;
	default:
		break;
	}
	n = snprintf(buf, size, "%s%llu\n", neg ? "-" : "",
		     (unsigned long long)mag);
	return n < 0 || (size_t)n >= size ? -ENOSPC : n;
}

/* proc_dointvec()'s int: at most INT_MAX, or INT_MAX + 1 with a sign */
static int as_int(bool neg, uint64_t mag, int32_t *v)
{
	if (neg ? mag > (uint64_t)INT32_MAX + 1 : mag > INT32_MAX)
		return -EINVAL;
	*v = neg ? (int32_t)-(int64_t)mag : (int32_t)mag;
	return 0;
}

/**
 * neighparm_write() - a program's first write to neigh/DEV/NAME, taken as
 * Linux's handler takes it (devconf_parse_raw(), then the conversion and
 * range of the file's handler); a new base_reachable_time draws the
 * reachable time again (neigh_proc_base_reachable_time(), ndisc's)
 * @p:		the device's parameters
 * @family:	AF_INET or AF_INET6
 * @file:	neighparm_file()
 * @buf:	what was written (need not end in a NUL)
 * @len:	its length
 *
 * Return: 0, -ENOENT for no such file, or -EINVAL where Linux's write()
 * fails (nothing changed)
 */
int neighparm_write(struct neighparm *p, int family, int file,
		    const char *buf, size_t len)
{
	uint64_t mag, x, hz = (uint64_t)neighparm_hz();
	int32_t v;
	bool neg;

	if (file < 0 || file >= N_FILES)
		return -ENOENT;
	if (devconf_parse_raw(buf, len, &neg, &mag))
		return -EINVAL;
	switch (kind_of(family, file)) {
	case K_INT:
		if (as_int(neg, mag, &v))
			return -EINVAL;
		break;
	case K_ZERO_INTMAX:
		if (as_int(neg, mag, &v) || v < 0)
			return -EINVAL;
		break;
	case K_UNRES_QLEN:
		if (as_int(neg, mag, &v) || v < 0 ||
		    v > INT32_MAX / NEIGHPARM_TRUESIZE)
			return -EINVAL;
		v *= NEIGHPARM_TRUESIZE;
		break;
	case K_JIFFIES:	/* do_proc_dointvec_jiffies_conv() */
		if (mag > (uint64_t)(INT32_MAX / (int32_t)hz))
			return -EINVAL;
		v = (int32_t)(neg ? -(int64_t)(mag * hz) : (int64_t)(mag * hz));
		break;
	case K_USERHZ:	/* do_proc_dointvec_userhz_jiffies_conv() */
		if (USER_HZ < hz && mag > (uint64_t)(LONG_MAX / (long)hz) * USER_HZ)
			return -EINVAL;
		v = (int32_t)clock_t_to_jiffies(neg ? -mag : mag);
		break;
	case K_MS:	/* do_proc_dointvec_ms_jiffies_conv() */
	case K_MS_POSITIVE:
		x = msecs_to_jiffies((uint32_t)(neg ? -mag : mag));
		if (x > INT32_MAX)
			return -EINVAL;
		v = (int32_t)x;
		/* neigh_proc_dointvec_ms_jiffies_positive(): at least
		 * msecs_to_jiffies(1) */
		if (kind_of(family, file) == K_MS_POSITIVE &&
		    (uint64_t)v < msecs_to_jiffies(1))
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	p->v[files[file].var] = v;
	if (files[file].var == NPV_BASE_REACHABLE_TIME)
		neighparm_draw(p);
	return 0;
}

/* ---- rtnetlink ---- */

/* nla_put_msecs(): jiffies_to_msecs() of the int taken as unsigned long */
uint64_t neighparm_msecs(int32_t jiffies)
{
	return jiffies_to_msecs((uint64_t)(int64_t)jiffies);
}

/* nla_get_msecs() stored in an int (NEIGH_VAR_SET()): msecs_to_jiffies()
 * takes an unsigned int */
int32_t neighparm_jiffies(uint64_t msecs)
{
	return (int32_t)msecs_to_jiffies((uint32_t)msecs);
}

/* NDTPA_QUEUE_LEN: the bytes over SKB_TRUESIZE(ETH_FRAME_LEN), an
 * unsigned division as Linux's int / size_t */
uint32_t neighparm_qlen(int32_t bytes)
{
	return (uint32_t)((uint64_t)(int64_t)bytes / NEIGHPARM_TRUESIZE);
}
