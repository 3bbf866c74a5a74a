#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# uplink_throughput.sh - TCP bulk throughput from a sandbox to the host
# through the host uplink's fast path: iperf3 -c inside `rrsandbox --uplink
# --uplink-allow 127.0.0.1/32` to iperf3 -s on the host's 127.0.0.1,
# reached as the uplink's gateway 10.0.2.2 (the connect() gets a real host
# socket, so the data never meets lwIP or the supervisor), BENCH_SECONDS
# long (default 10), in BENCH_THRU_ROUNDS (default 3) rounds, median.
# Baselines in the same run: the same client natively on the host's
# loopback (before each sandbox run and once after, median), and
# slirp4netns, iperf3 -c in a user+net namespace to the same
# kind of server, at MTU 65520 (the rootless Podman default) and at MTU
# 1500. The figure is the receiver's rate from iperf3 --json. Each run
# gets a fresh server (iperf3 -s -1).
#
# Every client runs with --connect-timeout, which makes iperf3 connect
# without blocking and then restore blocking mode itself; see the
# comment at client() for why.
#
# Target: at least 0.9 times host loopback throughput (ratio >= 0.9).
#
#   rrsandbox --uplink                  host                unshare -Urn + slirp4netns
#   +-------------------------+                             +----------------------+
#   | iperf3 -c 10.0.2.2:P    |         iperf3 -c 127.0.0.1 | iperf3 -c 10.0.2.2:P |--tap0--
#   |   (a host socket)       |                             +----------------------+       |
#   +-----------|-------------+                             MTU 65520, then 1500           |
#               v                                                                         v
#          host: iperf3 -s 127.0.0.1:P  (a fresh one for each run)  <-----------slirp4netns

set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
need iperf3

SECS=$BENCH_SECONDS
UPLINK=(--uplink --uplink-allow 127.0.0.1/32)

iperf_rate_py

# client() - one iperf3 run against a fresh iperf3 -s -1 on the host's
#            127.0.0.1; leaves Gbit/s in $WORK/TAG.rate (not printed,
#            so that it runs in this shell and slirp_run's SLIRP_NA stays
#            visible). --connect-timeout (a non-blocking connect) on
#            every run alike: before 6fc8a68 a blocking connect() on
#            the fast path left the program's socket O_NONBLOCK, and
#            iperf3 failed now and then reading its results; it changes
#            nothing on the data path.
# @1: tag (file prefix)
# @2: the address the client dials (127.0.0.1 or 10.0.2.2)
# @@: prefix command (timeout and rrsandbox, or slirp_run)
# Return: 1 when iperf3 failed (SLIRP_NA set when slirp4netns could not run)
client() {
	local tag=$1 addr=$2 port srv rc=0
	shift 2
	port=$(free_port)
	spawn iperf3 -s -1 -B 127.0.0.1 -p "$port" --forceflush >"$WORK/$tag.srv" 2>&1
	srv=$BG_PID
	if ! wait_grep 10 'Server listening' "$WORK/$tag.srv"; then
		log "$tag: iperf3 -s did not start: $(tail -n 2 "$WORK/$tag.srv")"
		stop_pid "$srv"
		return 1
	fi
	log "$tag: iperf3 -c $addr:$port (host 127.0.0.1:$port), $SECS s"
	"$@" iperf3 -c "$addr" -p "$port" -t "$SECS" --connect-timeout 10000 --json \
		</dev/null >"$WORK/$tag.json" 2>"$WORK/$tag.err" || rc=$?
	stop_pid "$srv"
	if ! "$BENCH_PY" "$WORK/rate.py" "$WORK/$tag.json" >"$WORK/$tag.rate" \
		2>"$WORK/$tag.info"; then
		log "$tag failed (exit $rc): $(cat "$WORK/$tag.info"; tail -n 3 "$WORK/$tag.err")"
		return 1
	fi
	log "$tag: $(cat "$WORK/$tag.rate") Gbit/s; $(cat "$WORK/$tag.info")"
}

T=$((SECS + 60))
host_run() { client "$1" 127.0.0.1 timeout -k 5 "$T"; }
sandbox_run() { client "$1" 10.0.2.2 timeout -k 5 "$T" "$RRS" "${UPLINK[@]}" --; }
alternate host_run sandbox_run "iperf3 inside rrsandbox --uplink failed"

# slirp_fig() - the slirp4netns baseline at one MTU, as a piece of the
#              line, in $FIG
# @1: MTU
slirp_fig() {
	local sl
	if SLIRP_MTU=$1 client "slirp$1" 10.0.2.2 slirp_run "$T"; then
		sl=$(cat "$WORK/slirp$1.rate")
		printf -v FIG 'slirp4netns MTU %s: %s Gbit/s (%s x host loopback), ratio %s' "$1" \
			"$sl" "$(calc %.2f "$sl / $HOST")" "$(calc %.2f "$SB / $sl")"
	else
		slirp_na "slirp4netns MTU $1" \
			"iperf3 failed: $(head -n 1 "$WORK/slirp$1.info" 2>/dev/null)"
	fi
}
slirp_figs

RATIO=$(calc %.2f "$SB / $HOST")
verdict=$(awk "BEGIN { print ($SB / $HOST >= 0.9) ? \"met\" : \"missed\" }")
result "$SB Gbit/s (baseline: $HOST Gbit/s host loopback, ratio $RATIO; $SL1; $SL2; medians of $BENCH_THRU_ROUNDS rounds: $SB_RUNS, host $HOST_RUNS) [target: ratio >= 0.9 of host loopback: $verdict]"
