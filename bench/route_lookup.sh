#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# route_lookup.sh - router/'s speed and size on full tables: rt_bench
# (bench/progs/rt_bench.c) loads the 346,496 IPv4 prefixes of
# /work/shared/data/prefixes-v4.txt (BENCH_V4) into table main, one
# unicast route each via dev 2 and one of four gateways, and times the
# load; then times rt_lookup_fast() on table 254 with uniformly random
# addresses, BENCH_LOOKUPS (default 20,000,000) per round, best of
# BENCH_ROUNDS rounds on one core; then the same for the IPv6 prefixes
# (BENCH_V6), with addresses random in 2000::/3; then walks both tables
# as a netlink dump does (in batches of 100 routes, each resumed after the
# last: `ip route show table all`, BIRD's kernel scan).  Rates are given by the
# wall clock (the verdict) and by the thread's CPU time, which on a busy
# shared machine leaves out the time other processes held the core (the
# load average goes to stderr).  Bytes per route is
# rt_set_stats() bytes over routes, for each family's load.  Both figures
# (lookups and memory) go in one line.  There is no baseline in the same
# run: the kernel's own FIB lookup cannot be timed alone from userspace.
#
# Targets: >= 50 Mlookups/s IPv4 random, < 120 bytes per IPv4 route, load
# well under a second.
#
#   rt_bench V4FILE V6FILE LOOKUPS ROUNDS
#     load v4 -> stats -> lookups (random /0) -> load v6 -> stats -> lookups
#     -> dump

set -euo pipefail
# Only lib.sh's helpers: this benchmark needs no rrsandbox binary.
BENCH_LIB_ONLY=1
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
BENCH_NAME=route_lookup
exec 3>&1 1>&2

V4=${BENCH_V4:-/work/shared/data/prefixes-v4.txt}
V6=${BENCH_V6:-/work/shared/data/prefixes-v6.txt}
LOOKUPS=${BENCH_LOOKUPS:-20000000}

# rt_bench_path() - print a built rt_bench, building it by hand if CMake
#                   has not
rt_bench_path() {
	local src=$BENCH_DIR/progs/rt_bench.c r=$BENCH_REPO/router out
	for out in "${RT_BENCH:-}" "$BENCH_BUILD/bench/rt_bench"; do
		if [ -n "$out" ] && [ -x "$out" ] && [ "$out" -nt "$src" ] &&
			[ "$out" -nt "$r/trie.c" ] && [ "$out" -nt "$r/table.c" ] &&
			[ "$out" -nt "$r/addr.c" ] && [ "$out" -nt "$r/rule.c" ]; then
			printf '%s\n' "$out"
			return 0
		fi
	done
	out=${TMPDIR:-/tmp}/rrs-bench-$(id -u)/rt_bench
	mkdir -p "$(dirname "$out")" || return 1
	log "building $out by hand from $src and router/"
	${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -I"$r" -o "$out.tmp" "$src" \
		"$r/trie.c" "$r/table.c" "$r/addr.c" "$r/rule.c" && mv "$out.tmp" "$out" || return 1
	printf '%s\n' "$out"
}

[ -r "$V4" ] || broken "no IPv4 prefix file $V4 (set BENCH_V4)"
[ -r "$V6" ] || broken "no IPv6 prefix file $V6 (set BENCH_V6)"
B=$(rt_bench_path) || broken "cannot build bench/progs/rt_bench.c"
log "$B, $LOOKUPS lookups x $BENCH_ROUNDS rounds, load $(cut -d' ' -f1-3 /proc/loadavg)"
line=$(timeout -k 5 600 "$B" "$V4" "$V6" "$LOOKUPS" "$BENCH_ROUNDS" </dev/null) ||
	broken "rt_bench failed"
log "$line"

r4=$(kv "$line" v4_mlps) r6=$(kv "$line" v6_mlps)
c4=$(kv "$line" v4_mlps_cpu) c6=$(kv "$line" v6_mlps_cpu)
l4=$(kv "$line" v4_load_s) l6=$(kv "$line" v6_load_s)
n4=$(kv "$line" v4_routes) n6=$(kv "$line" v6_routes)
b4=$(kv "$line" v4_bytes_per_route) b6=$(kv "$line" v6_bytes_per_route)
h4=$(kv "$line" v4_hit_pct)
dn=$(kv "$line" dump_routes) ds=$(kv "$line" dump_s)
if [ -z "$r4" ] || [ -z "$b4" ] || [ -z "$l4" ]; then
	broken "unreadable rt_bench output: $line"
fi
[ "${n4:-0}" -gt 0 ] || broken "no IPv4 route loaded from $V4"
[ "${dn:-0}" -eq $((n4 + ${n6:-0})) ] || broken "the dump walked ${dn:-?} routes of $((n4 + ${n6:-0}))"

verdict() { awk "BEGIN { print ($1) ? \"met\" : \"missed\" }"; }
result "$r4 Mlookups/s IPv4 random ($h4 % matched; ${c4:-?} by CPU time), $r6 Mlookups/s IPv6 random in 2000::/3 (${c6:-?} by CPU time), $l4 s to load $n4 IPv4 routes ($l6 s for $n6 IPv6), $b4 bytes/route IPv4, $b6 bytes/route IPv6, ${ds:-?} s to dump all ${dn:-?} in batches of 100 (baseline: n/a, no in-kernel lookup timing in this script; one core, best of $BENCH_ROUNDS rounds of $LOOKUPS) [target: >= 50 Mlookups/s IPv4: $(verdict "$r4 >= 50"); < 120 bytes/route IPv4: $(verdict "$b4 < 120"); load < 1 s: $(verdict "$l4 < 1")]"
