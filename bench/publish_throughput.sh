#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# publish_throughput.sh - TCP bulk throughput from the host into a sandbox
# through a published port: iperf3 -s inside `rrsandbox -p
# 127.0.0.1:HP:5201` (which implies --uplink), iperf3 -c on the host to
# 127.0.0.1:HP (the sandbox's accept() gets the host's accepted socket
# itself, so the data never meets lwIP or the supervisor), BENCH_SECONDS
# long (default 10), in BENCH_THRU_ROUNDS (default 3) rounds, median.
# Baselines in the same run: the same client and server natively on the
# host's loopback (before each sandbox run and once after, median), and
# slirp4netns's port forwarding: iperf3 -s in a user+net
# namespace, the host's 127.0.0.1:HP forwarded to it (add_hostfwd over
# slirp4netns's API socket), at MTU 65520 and at MTU 1500. The figure is
# the receiver's rate (the server's, in the sandbox) from the client's
# iperf3 --json. Each run gets a fresh server (iperf3 -s -1).
#
# Target: at least 0.9 times host loopback throughput (ratio >= 0.9).
#
#   host: iperf3 -c 127.0.0.1:HP  (the same client for each run)
#          |                       |                          |
#          v rrsandbox's listener  v                          v slirp4netns's listener
#   +-------------------------+  host: iperf3 -s        +-------------------------+
#   | rrsandbox -p HP:5201    |  127.0.0.1:HP           | unshare -Urn            |
#   |   iperf3 -s -p 5201     |                         |   iperf3 -s -p 5201     |
#   |   (accepts the host's   |                         |   (10.0.2.100, tap0,    |
#   |    socket itself)       |                         |    MTU 65520, then 1500)|
#   +-------------------------+                         +-------------------------+

set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
need iperf3

SECS=$BENCH_SECONDS
T=$((SECS + 60))
IN_PORT=5201

iperf_rate_py

# client() - iperf3 -c on the host to 127.0.0.1:PORT, once the server's
#            output says it listens; leaves Gbit/s in $WORK/TAG.rate
# @1: tag (file prefix; the server's output is $WORK/TAG.srv)
# @2: port on the host's 127.0.0.1
# Return: 1 when the server did not start or iperf3 failed
client() {
	local tag=$1 port=$2 rc=0
	if ! wait_grep 10 'Server listening' "$WORK/$tag.srv"; then
		log "$tag: iperf3 -s did not start: $(tail -n 2 "$WORK/$tag.srv" 2>/dev/null)"
		return 1
	fi
	log "$tag: iperf3 -c 127.0.0.1:$port, $SECS s"
	timeout -k 5 "$T" iperf3 -c 127.0.0.1 -p "$port" -t "$SECS" --json \
		</dev/null >"$WORK/$tag.json" 2>"$WORK/$tag.err" || rc=$?
	if ! "$BENCH_PY" "$WORK/rate.py" "$WORK/$tag.json" >"$WORK/$tag.rate" \
		2>"$WORK/$tag.info"; then
		log "$tag failed (exit $rc): $(cat "$WORK/$tag.info"; tail -n 3 "$WORK/$tag.err")"
		return 1
	fi
	log "$tag: $(cat "$WORK/$tag.rate") Gbit/s; $(cat "$WORK/$tag.info")"
}

# native() - server and client on the host's loopback
# @1: tag
native() {
	local port srv rc=0
	port=$(free_port)
	spawn iperf3 -s -1 -B 127.0.0.1 -p "$port" --forceflush >"$WORK/$1.srv" 2>&1
	srv=$BG_PID
	client "$1" "$port" || rc=1
	stop_pid "$srv"
	return $rc
}

# sandboxed() - the server in rrsandbox, published on the host's 127.0.0.1
# @1: tag
sandboxed() {
	local hp srv rc=0
	hp=$(free_port)
	log "$1: rrsandbox -p 127.0.0.1:$hp:$IN_PORT -- iperf3 -s -p $IN_PORT"
	spawn timeout -k 5 "$T" "$RRS" -p "127.0.0.1:$hp:$IN_PORT" -- \
		iperf3 -s -1 -p "$IN_PORT" --forceflush </dev/null >"$WORK/$1.srv" 2>&1
	srv=$BG_PID
	client "$1" "$hp" || rc=1
	stop_pid "$srv"
	return $rc
}

# slirp_client() - SLIRP_WHILE: forward the host port, then run the client
#                  (its outcome is left in $WORK/$SL_TAG.rate)
slirp_client() {
	slirp_forward client
}

# slirp_fig() - the slirp4netns baseline at one MTU, as a piece of the
#               line, in $FIG
# @1: MTU
slirp_fig() {
	local sl
	SL_TAG=slirp$1 SL_HP=$(free_port)
	rm -f "$WORK/$SL_TAG.rate"
	log "$SL_TAG: iperf3 -s -p $IN_PORT in a namespace, 127.0.0.1:$SL_HP forwarded by slirp4netns"
	# the server ends after one test (-1), which ends the namespace
	# shellcheck disable=SC2016 # expanded by the inner sh
	SLIRP_MTU=$1 SLIRP_API=$WORK/$SL_TAG.sock SLIRP_WHILE=slirp_client \
		slirp_run "$T" sh -c 'exec iperf3 -s -1 -p "$1" --forceflush >"$0" 2>&1' \
		"$WORK/$SL_TAG.srv" "$IN_PORT" </dev/null || true
	if [ -s "$WORK/$SL_TAG.rate" ]; then
		sl=$(cat "$WORK/$SL_TAG.rate")
		printf -v FIG 'slirp4netns port forwarding, MTU %s: %s Gbit/s (%s x host loopback), ratio %s' \
			"$1" "$sl" "$(calc %.2f "$sl / $HOST")" "$(calc %.2f "$SB / $sl")"
	elif [ -s "$WORK/$SL_TAG.apifail" ]; then
		slirp_na "slirp4netns port forwarding, MTU $1" "$(tail -n 1 "$WORK/$SL_TAG.apifail")"
	else
		slirp_na "slirp4netns port forwarding, MTU $1" \
			"iperf3 failed: $(head -n 1 "$WORK/$SL_TAG.info" 2>/dev/null)"
	fi
}

alternate native sandboxed "iperf3 -s inside rrsandbox -p failed"

slirp_figs

RATIO=$(calc %.2f "$SB / $HOST")
verdict=$(awk "BEGIN { print ($SB / $HOST >= 0.9) ? \"met\" : \"missed\" }")
result "$SB Gbit/s (baseline: $HOST Gbit/s host loopback, ratio $RATIO; $SL1; $SL2; medians of $BENCH_THRU_ROUNDS rounds: $SB_RUNS, host $HOST_RUNS) [target: ratio >= 0.9 of host loopback: $verdict]"
