#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# route_insert.sh - how fast routes go in through rtnetlink, and what
# each costs in memory: the prefixes of /work/shared/data/prefixes-v4.txt
# and prefixes-v6.txt (BENCH_V4, BENCH_V6) become one `ip -batch` file,
# `route add PREFIX via GW dev eth0` with a gateway on eth0's connected
# /24 (IPv4) or /64 (IPv6), loaded by the same `ip -force -batch F`
#
#   (a) inside rrsandbox -c setup.conf   (b) in a fresh network namespace
#       eth0: a link device                  (unshare -n, root), eth0: one
#       198.18.0.1/24, fd00:198:18::1/64     end of a veth pair, the same
#                                            addresses
#
# in one run, timed the same way: date +%s%N around `ip -batch` inside
# each.  Memory: the supervisor's VmRSS before and after, over the routes
# added, against the growth of the machine's Slab (/proc/meminfo) over
# the namespace's load (machine-wide, so only approximate on a busy box).
# Also logged: the supervisor's and ip's CPU time, to show where the
# sandbox's time goes (ip waits for an ack per route: every route is a
# trapped sendmsg and recvmsg round trip through the supervisor).
#
# Not root: "baseline: n/a (needs root for a netns)".
#
# Target: at least as fast as the kernel (ratio >= 1).

set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
need ip date awk

V4=${BENCH_V4:-/work/shared/data/prefixes-v4.txt}
V6=${BENCH_V6:-/work/shared/data/prefixes-v6.txt}
[ -r "$V4" ] || broken "no IPv4 prefix file $V4 (set BENCH_V4)"
[ -r "$V6" ] || broken "no IPv6 prefix file $V6 (set BENCH_V6)"

B=$WORK/routes.batch
{
	awk 'NF { print "route add " $1 " via 198.18.0.2 dev eth0" }' "$V4"
	awk 'NF { print "route add " $1 " via fd00:198:18::2 dev eth0" }' "$V6"
} >"$B"
N=$(wc -l <"$B")
log "$N routes in $B, load $(cut -d' ' -f1-3 /proc/loadavg)"

cat >"$WORK/setup.conf" <<EOF
link add eth0 type link local $WORK/sb.link remote $WORK/absent.link
addr add 198.18.0.1/24 dev eth0
addr add fd00:198:18::1/64 dev eth0
EOF

# The program run in both: says it is ready, waits for go, times
# `ip -batch` (and its CPU time, through `times`), counts the routes,
# says it is done, and waits until told to leave (so the measurer reads
# the memory while everything is still held).
cat >"$WORK/load.sh" <<'EOF'
d=$1 b=$2
: >"$d/ready"
while [ ! -e "$d/go" ]; do sleep 0.05; done
t0=$(date +%s%N)
ip -force -batch "$b" 2>"$d/errors"
rc=$?
t1=$(date +%s%N)
times >"$d/cpu"
echo "$t0 $t1 $rc $(ip -4 route | wc -l) $(ip -6 route | wc -l)" >"$d/times"
: >"$d/loaded"
while [ ! -e "$d/leave" ]; do sleep 0.05; done
EOF
chmod 644 "$WORK/load.sh" "$WORK/setup.conf" "$B"

# run_side() - run load.sh under a launcher, measure around it
# @1: tag (sb or ns)
# @2: pid whose VmRSS and CPU time to read ("" : none)
# @3: the file that pid's stderr goes to (its SIGUSR1 counters), or ""
# sets R_SECS R_ADDED R_RSS0 R_RSS1 R_SLAB0 R_SLAB1 R_CPU R_FAILED, and
# R_K0 R_K1 (the supervisor's sup_counts() before and after)
run_side() {
	local d=$WORK/$1 pid=$2 err=${3:-} t0 t1 rc v4 v6 i
	for ((i = 0; i < 300; i++)); do
		[ -e "$d/ready" ] && break
		alive "$LAUNCH_PID" || broken "$1: the program ended before it started (see $d)"
		sleep 0.1
	done
	[ -e "$d/ready" ] || broken "$1: the program did not start"
	sleep 0.2
	R_RSS0=0 R_RSS1=0 R_CPU=0
	[ -z "$pid" ] || R_RSS0=$(vmrss_kib "$pid")
	[ -z "$pid" ] || R_CPU=$(cpu_ticks "$pid")
	R_SLAB0=$(slab_kib)
	R_K0='' R_K1=''
	[ -z "$err" ] || R_K0=$(sup_counts "$pid" "$err") || true
	: >"$d/go"
	for ((i = 0; i < 6000; i++)); do
		[ -e "$d/loaded" ] && break
		alive "$LAUNCH_PID" || broken "$1: the program ended while loading (see $d)"
		sleep 0.1
	done
	[ -e "$d/loaded" ] || broken "$1: no end of load in 600 s"
	R_SLAB1=$(slab_kib)
	[ -z "$pid" ] || R_RSS1=$(vmrss_kib "$pid")
	[ -z "$pid" ] || R_CPU=$(($(cpu_ticks "$pid") - R_CPU))
	[ -z "$err" ] || R_K1=$(sup_counts "$pid" "$err") || true
	: >"$d/leave"
	read -r t0 t1 rc v4 v6 <"$d/times"
	R_SECS=$(calc %.3f "($t1 - $t0) / 1e9")
	R_FAILED=$(grep -c '^Command failed' "$d/errors" || true)
	R_ADDED=$((N - R_FAILED))
	log "$1: ip -batch exit $rc, ${R_SECS} s, routes now $v4 IPv4 + $v6 IPv6," \
		"$R_FAILED commands failed; ip's CPU (user, sys / children): $(tr '\n' ' ' <"$d/cpu")"
	[ "$R_FAILED" -eq 0 ] || log "$1: first errors: $(head -n 4 "$d/errors" | tr '\n' '|')"
	wait "$LAUNCH_PID" 2>/dev/null || true
}

# (a) the sandbox
mkdir -p "$WORK/sb" && chmod 777 "$WORK/sb"
# spawned directly (no timeout wrapper), so the pid is the supervisor's;
# run_side bounds the wait and the exit trap ends it
spawn "$RRS" --no-control -c "$WORK/setup.conf" -- \
	sh "$WORK/load.sh" "$WORK/sb" "$B" 2>"$WORK/sb.err"
LAUNCH_PID=$BG_PID
run_side sb "$LAUNCH_PID" "$WORK/sb.err"
sb_secs=$R_SECS sb_added=$R_ADDED sb_failed=$R_FAILED
sb_traps=$(per_route "$R_K0" "$R_K1" "$N")
sb_rss=$(calc %.0f "($R_RSS1 - $R_RSS0) * 1024 / ($sb_added > 0 ? $sb_added : 1)")
sb_cpu=$(calc %.2f "$R_CPU / $(getconf CLK_TCK)")
sb_rate=$(calc %.0f "$N / $sb_secs")
log "sandbox: supervisor VmRSS $R_RSS0 -> $R_RSS1 KiB, CPU ${sb_cpu} s during the load"

# (b) the kernel, in a network namespace
base="baseline: n/a (needs root for a netns)" ratio=""
if [ "$(id -u)" -eq 0 ] && unshare -n true 2>/dev/null; then
	mkdir -p "$WORK/ns"
	# shellcheck disable=SC2016 # expanded by the inner sh
	spawn unshare -n sh -c '
		ip link set lo up &&
		ip link add eth0 type veth peer name peer0 &&
		ip link set peer0 up && ip link set eth0 up &&
		ip addr add 198.18.0.1/24 dev eth0 &&
		ip addr add fd00:198:18::1/64 dev eth0 nodad || exit 97
		exec timeout -k 5 900 sh "$0/load.sh" "$0/ns" "$1"' "$WORK" "$B"
	LAUNCH_PID=$BG_PID
	run_side ns ""
	ns_rate=$(calc %.0f "$N / $R_SECS")
	slab=$(calc %.0f "($R_SLAB1 - $R_SLAB0) * 1024 / ($R_ADDED > 0 ? $R_ADDED : 1)")
	ratio=$(calc %.2f "$sb_rate / $ns_rate")
	base="baseline: kernel netns $ns_rate routes/s ($R_SECS s, $R_FAILED failed), ~$slab bytes/route slab, ratio $ratio"
fi

verdict=missed
[ -n "$ratio" ] && awk "BEGIN { exit !($ratio >= 1) }" && verdict=met
[ -n "$ratio" ] || verdict="n/a"
result "$sb_rate routes/s into the sandbox ($N routes by ip -batch in $sb_secs s, $sb_failed failed; supervisor CPU $sb_cpu s, $sb_traps), $sb_rss bytes/route supervisor RSS ($base) [target: >= kernel: $verdict]"
