/* SPDX-License-Identifier: MIT */
/*
 * rt_bench.c - timing of router/ (rrs_rt) on full-size tables, for
 * bench/route_lookup.sh.  Loads the IPv4 prefixes of a file (one
 * `a.b.c.d/len` a line) into table main as unicast routes via 2 and one
 * of four gateways, timing the load and reading rt_set_stats() for the
 * bytes per route; then times rt_lookup_fast() on table 254 with
 * uniformly random addresses (xorshift, made inside the loop so no array
 * of addresses competes for the cache), best of BENCH rounds.  The same
 * for IPv6 from a second file, with addresses random in 2000::/3 (uniform
 * over all of ::/0 nearly every lookup would end at the first byte).
 * Then walks every route as a netlink dump of the table does (`ip route
 * show table all`, BIRD's kernel scan): in batches of DUMP_BATCH routes,
 * each resumed after the last route of the one before.
 * Times are given twice: on the wall clock and in the thread's CPU time
 * (_cpu keys), which on a shared, busy machine leaves out the time other
 * processes held the core (not what they did to its caches).
 * Lines that do not parse, or that rt_add() refuses, are counted and
 * skipped.  Prints one line of key=value pairs on stdout.
 *
 * Usage: rt_bench V4FILE V6FILE [LOOKUPS [ROUNDS]]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <linux/rtnetlink.h>

#include "router.h"

struct pfx {
	uint8_t dst[16];
	uint8_t len;
};

/* Seconds on @clock: CLOCK_MONOTONIC (wall) or CLOCK_THREAD_CPUTIME_ID */
static double now(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/**
 * struct span - one timed stretch, on the wall clock and in CPU time: on
 * a shared machine the wall clock also counts the time other processes
 * held the core, the thread's CPU time does not
 */
struct span {
	double wall;
	double cpu;
};

static void span_start(struct span *t)
{
	t->wall = now(CLOCK_MONOTONIC);
	t->cpu = now(CLOCK_THREAD_CPUTIME_ID);
}

static void span_end(struct span *t)
{
	t->wall = now(CLOCK_MONOTONIC) - t->wall;
	t->cpu = now(CLOCK_THREAD_CPUTIME_ID) - t->cpu;
}

/* Read "addr/len" lines; Return: number read, *bad counts the others */
static size_t load_file(const char *path, int family, struct pfx **out, size_t *bad)
{
	char line[256], *slash;
	size_t n = 0, cap = 0;
	struct pfx *v = NULL, *nv;
	FILE *f = fopen(path, "r");
	long len;

	*bad = 0;
	if (!f) {
		perror(path);
		exit(1);
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = 0;
		slash = strchr(line, '/');
		if (!slash) {
			(*bad)++;
			continue;
		}
		*slash = 0;
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				exit(1);
			v = nv;
		}
		memset(&v[n], 0, sizeof(v[n]));
		len = strtol(slash + 1, NULL, 10);
		if (inet_pton(family, line, v[n].dst) != 1 || len < 0 ||
		    len > (family == AF_INET ? 32 : 128)) {
			(*bad)++;
			continue;
		}
		v[n++].len = (uint8_t)len;
	}
	fclose(f);
	*out = v;
	return n;
}

/* Add every prefix; Return: routes added, *secs the time taken */
static size_t add_all(struct rt_set *s, int family, const struct pfx *v, size_t n,
		      struct span *secs)
{
	static struct rt_route r;
	size_t k, added = 0;

	memset(&r, 0, sizeof(r));
	r.family = (uint8_t)family;
	r.type = RTN_UNICAST;
	r.protocol = 12;	/* bird */
	r.table = RT_TABLE_MAIN_ID;
	r.n_nh = 1;
	r.nh[0].ifindex = 2;
	r.nh[0].has_gw = true;
	r.nh[0].weight = 1;
	if (family == AF_INET) {
		r.nh[0].gw[0] = 192;
		r.nh[0].gw[2] = 2;
	} else {
		r.nh[0].gw[0] = 0xfe;
		r.nh[0].gw[1] = 0x80;
	}
	span_start(secs);
	for (k = 0; k < n; k++) {
		memcpy(r.dst, v[k].dst, 16);
		r.dst_len = v[k].len;
		r.nh[0].gw[family == AF_INET ? 3 : 15] = (uint8_t)(1 + k % 4);
		if (!rt_add(s, &r, RT_ADD_CREATE | RT_ADD_EXCL))
			added++;
	}
	span_end(secs);
	return added;
}

#define DUMP_BATCH	100	/* routes in a 32 KiB dump datagram, about */

struct dump {
	struct rt_route last;
	size_t n, total;
};

static int dump_fn(void *arg, const struct rt_route *r)
{
	struct dump *d = arg;

	if (d->n == DUMP_BATCH)
		return 1;
	d->last = *r;
	d->n++;
	d->total++;
	return 0;
}

/* Walk all of @s in dump batches; the number of routes seen */
static size_t dump_all(const struct rt_set *s, struct span *t)
{
	struct dump d = { .total = 0 };
	bool first = true;
	int ret;

	span_start(t);
	do {
		d.n = 0;
		ret = rt_walk(s, 0, 0, first ? NULL : &d.last, dump_fn, &d);
		first = false;
	} while (ret == 1);
	span_end(t);
	return ret ? 0 : d.total;
}

/* Time @n lookups of random addresses into *@t; *hits counts matches */
static void lookups(const struct rt_set *s, int family, size_t n, uint64_t seed,
		    size_t *hits, struct span *t)
{
	uint64_t x = seed, sum = 0;
	uint8_t a[16] = { 0 };
	struct rt_hop hop;
	size_t k, h = 0;
	int ret;

	span_start(t);
	for (k = 0; k < n; k++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		if (family == AF_INET) {
			memcpy(a, &x, 4);
		} else {
			memcpy(a, &x, 8);
			a[0] = (uint8_t)(0x20 | (a[0] & 0x1f));
		}
		ret = rt_lookup_fast(s, RT_TABLE_MAIN_ID, (uint8_t)family, a, (uint32_t)x,
				     &hop);
		h += ret > 0;
		sum += hop.ifindex + hop.gw[3];
	}
	span_end(t);
	*hits = h;
	if (sum == 42)	/* keep the results alive */
		fputc(' ', stderr);
}

/* The best rates (lookups per second) of @rounds rounds, wall and CPU;
 * each round's figures go to stderr */
static void best_rate(const struct rt_set *s, int family, size_t n, int rounds,
		      size_t *hits, struct span *best)
{
	struct span t;
	int k;

	best->wall = best->cpu = 0;
	for (k = 0; k < rounds; k++) {
		lookups(s, family, n, 0x9e3779b97f4a7c15ull + (uint64_t)k, hits, &t);
		fprintf(stderr, "rt_bench: %s round %d: %.1f M/s wall, %.1f M/s CPU time\n",
			family == AF_INET ? "IPv4" : "IPv6", k + 1, (double)n / t.wall / 1e6,
			(double)n / t.cpu / 1e6);
		if ((double)n / t.wall > best->wall)
			best->wall = (double)n / t.wall;
		if ((double)n / t.cpu > best->cpu)
			best->cpu = (double)n / t.cpu;
	}
}

int main(int argc, char **argv)
{
	size_t n4, n6, bad4, bad6, a4, a6, h4, h6, lk = 20000000, dumped;
	struct rt_stats st0, st4, st6;
	struct span l4, l6, r4, r6, w;
	struct pfx *v4, *v6;
	struct rt_set *s;
	int rounds = 3;

	if (argc < 3) {
		fprintf(stderr, "usage: rt_bench V4FILE V6FILE [LOOKUPS [ROUNDS]]\n");
		return 2;
	}
	if (argc > 3)
		lk = strtoull(argv[3], NULL, 10);
	if (argc > 4)
		rounds = atoi(argv[4]);
	n4 = load_file(argv[1], AF_INET, &v4, &bad4);
	n6 = load_file(argv[2], AF_INET6, &v6, &bad6);
	if (rt_set_new(&s))
		return 1;
	rt_set_stats(s, &st0);
	a4 = add_all(s, AF_INET, v4, n4, &l4);
	rt_set_stats(s, &st4);
	best_rate(s, AF_INET, lk, rounds, &h4, &r4);
	a6 = add_all(s, AF_INET6, v6, n6, &l6);
	rt_set_stats(s, &st6);
	best_rate(s, AF_INET6, lk, rounds, &h6, &r6);
	dumped = dump_all(s, &w);
	printf("v4_routes=%zu v4_skipped=%zu v4_load_s=%.3f v4_load_cpu_s=%.3f v4_mlps=%.1f "
	       "v4_mlps_cpu=%.1f v4_hit_pct=%.1f v4_bytes_per_route=%.1f v6_routes=%zu "
	       "v6_skipped=%zu v6_load_s=%.3f v6_load_cpu_s=%.3f v6_mlps=%.1f v6_mlps_cpu=%.1f "
	       "v6_hit_pct=%.1f v6_bytes_per_route=%.1f dump_routes=%zu dump_s=%.3f "
	       "dump_cpu_s=%.3f lookups=%zu rounds=%d\n",
	       a4, n4 - a4 + bad4, l4.wall, l4.cpu, r4.wall / 1e6, r4.cpu / 1e6,
	       100.0 * (double)h4 / (double)lk,
	       (double)(st4.bytes - st0.bytes) / (double)(a4 ? a4 : 1),
	       a6, n6 - a6 + bad6, l6.wall, l6.cpu, r6.wall / 1e6, r6.cpu / 1e6,
	       100.0 * (double)h6 / (double)lk,
	       (double)(st6.bytes - st4.bytes) / (double)(a6 ? a6 : 1), dumped, w.wall, w.cpu,
	       lk, rounds);
	rt_set_free(s);
	free(v4);
	free(v6);
	return 0;
}
