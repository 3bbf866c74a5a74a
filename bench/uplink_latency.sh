#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# uplink_latency.sh - TCP round-trip latency from a sandbox to the host
# through the host uplink's fast path: sockperf ping-pong (sockperf pp
# --tcp, 14-byte messages) inside `rrsandbox --uplink --uplink-allow
# 127.0.0.1/32` to sockperf sr on the host's 127.0.0.1, reached as the
# uplink's gateway 10.0.2.2 (the connect() gets a real host socket),
# BENCH_SECONDS long (default 10). Baselines in the same run: the same pair
# natively on the host's loopback (once before and once after the sandbox,
# averaged), and slirp4netns, sockperf pp in a user+net namespace to the
# same kind of server, at MTU 65520 and at MTU 1500. sockperf reports half
# the round trip; the figures are its median (percentile 50) and average,
# in us. Each run gets a fresh server.
#
# sockperf passes an address to every sendto() and recvfrom(), even on
# TCP; the sandbox's filter traps those on any fd and the supervisor lets
# them continue on a host socket, so each message still costs two trap
# round trips. A second figure shows the data path without them:
# trap_rt pingpong (14 bytes with plain write() and read(), never
# trapped, 20,000 round trips) inside the sandbox to trap_rt echo on the
# host's 127.0.0.1, against the same pair natively, in BENCH_ROUNDS
# (default 5) alternating host/sandbox rounds, median of the rounds'
# medians: one short run of it swings between about 3 and 9 us with the
# machine's load.
#
# Pinned, once more each: the host's server on CPU 1 and the client
# (sockperf, or rrsandbox with its supervisor and program) on CPU 0, as
# on two machines.  Unpinned, three busy tasks share two CPUs and the
# scheduler places them anew each run; on these VMs a wake-up across CPUs
# costs about 5 us, and the sandbox's figure moves by half with where its
# program waits for the reply (blocked in recvfrom(), woken from the
# server's CPU, or still in its trap, woken by the supervisor on its own).
#
# Target: median at most 1.2 times host loopback's (ratio <= 1.2), taken
# unpinned; the pinned ratio is for comparison.
#
#   rrsandbox --uplink                  host                unshare -Urn + slirp4netns
#   +--------------------------+                            +-------------------------+
#   | sockperf pp 10.0.2.2:P   |    sockperf pp 127.0.0.1   | sockperf pp 10.0.2.2:P  |--tap0--
#   | trap_rt pingpong         |    trap_rt pingpong        +-------------------------+       |
#   +-----------|--------------+                            MTU 65520, then 1500              |
#               v                                                                            v
#     host: sockperf sr / trap_rt echo 127.0.0.1:P (a fresh one each run)  <-----------slirp4netns

set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
need sockperf

SECS=$BENCH_SECONDS
T=$((SECS + 60))
UPLINK=(--uplink --uplink-allow 127.0.0.1/32)
H=$(helper) || broken "cannot build bench/progs/trap_rt.c"

# pp() - one sockperf ping-pong against a fresh sockperf sr on the host's
#        127.0.0.1; leaves "MEDIAN AVG N" in $WORK/TAG.fig (run in this
#        shell, so slirp_run's SLIRP_NA stays visible)
# @1: tag (file prefix)
# @2: the address the client dials (127.0.0.1 or 10.0.2.2)
# @@: prefix command (timeout and rrsandbox, or slirp_run)
# Return: 1 when sockperf failed
# SRV_PIN, CLI_PIN: prefix commands for the server and the client (taskset)
SRV_PIN=() CLI_PIN=()
pp() {
	local tag=$1 addr=$2 port srv
	shift 2
	port=$(free_port)
	spawn "${SRV_PIN[@]}" sockperf sr --tcp -i 127.0.0.1 -p "$port" >"$WORK/$tag.srv" 2>&1
	srv=$BG_PID
	if ! wait_grep 10 'block on socket' "$WORK/$tag.srv"; then
		log "$tag: sockperf sr did not start: $(tail -n 2 "$WORK/$tag.srv")"
		stop_pid "$srv"
		return 1
	fi
	log "$tag: sockperf pp to $addr:$port (host 127.0.0.1:$port), $SECS s"
	"${CLI_PIN[@]}" "$@" sockperf pp --tcp -i "$addr" -p "$port" -t "$SECS" \
		</dev/null >"$WORK/$tag.out" 2>&1 || true
	stop_pid "$srv"
	# sockperf 3.7 exits 0 even when it could not connect: its output decides
	if ! sockperf_parse "$WORK/$tag.out" '%.2f %.2f %d\n' >"$WORK/$tag.fig" 2>/dev/null; then
		log "$tag failed: $(tail -n 3 "$WORK/$tag.out")"
		return 1
	fi
	log "$tag: median/avg/messages $(cat "$WORK/$tag.fig")"
}

# pingpong() - trap_rt pingpong against a fresh trap_rt echo on the host's
#              127.0.0.1; prints the median half trip, us
# @1: tag
# @2: the address the client dials
# @@: prefix command
pingpong() {
	local tag=$1 addr=$2 port srv line
	shift 2
	port=$(free_port)
	spawn "$H" echo "$port" 127.0.0.1 >"$WORK/$tag.echo" 2>&1
	srv=$BG_PID
	if ! wait_grep 10 '^listening' "$WORK/$tag.echo"; then
		stop_pid "$srv"
		return 1
	fi
	line=$("$@" "$H" pingpong 20000 "$addr" "$port" </dev/null 2>"$WORK/$tag.err") || {
		log "pingpong $tag failed: $(tail -n 2 "$WORK/$tag.err")"
		stop_pid "$srv"
		return 1
	}
	stop_pid "$srv"
	log "pingpong $tag: $line $(cat "$WORK/$tag.err")"
	calc %.2f "$(kv "$line" median_ns) / 1000"
}

pp host1 127.0.0.1 timeout -k 5 $T || broken "sockperf on host loopback failed"
pp sandbox 10.0.2.2 timeout -k 5 $T "$RRS" "${UPLINK[@]}" -- ||
	broken "sockperf inside rrsandbox --uplink failed"
pp host2 127.0.0.1 timeout -k 5 $T || broken "sockperf on host loopback failed"
read -r H1_MED H1_AVG _ <"$WORK/host1.fig"
read -r SB_MED SB_AVG SB_N <"$WORK/sandbox.fig"
read -r H2_MED H2_AVG _ <"$WORK/host2.fig"
H_MED=$(calc %.2f "($H1_MED + $H2_MED) / 2") H_AVG=$(calc %.2f "($H1_AVG + $H2_AVG) / 2")
log "host loopback medians $H1_MED and $H2_MED us, mean $H_MED; sandbox $SB_MED us, $SB_N messages"

PIN_FIG="pinned: n/a (needs taskset and two CPUs)"
if can_pin; then
	SRV_PIN=(taskset -c 1) CLI_PIN=(taskset -c 0)
	if pp host_pin 127.0.0.1 timeout -k 5 $T &&
	   pp sandbox_pin 10.0.2.2 timeout -k 5 $T "$RRS" "${UPLINK[@]}" --; then
		PIN_FIG=$(pinned_fig host_pin sandbox_pin)
	else
		PIN_FIG="pinned: n/a (broken: a pinned sockperf run failed)"
	fi
	SRV_PIN=() CLI_PIN=()
fi

# The data path alone: plain read/write, alternating rounds.
PP_HS=() PP_SS=()
for ((r = 1; r <= BENCH_ROUNDS; r++)); do
	v=$(pingpong "rw_host$r" 127.0.0.1 timeout -k 5 120) ||
		broken "trap_rt pingpong natively failed"
	PP_HS+=("$v")
	v=$(pingpong "rw_sandbox$r" 10.0.2.2 timeout -k 5 120 "$RRS" "${UPLINK[@]}" --) ||
		broken "trap_rt pingpong inside rrsandbox --uplink failed"
	PP_SS+=("$v")
done
PP_H=$(calc %.2f "$(median "${PP_HS[@]}")") PP_SB=$(calc %.2f "$(median "${PP_SS[@]}")")
PP_WARN=
grep -q 'left the socket O_NONBLOCK' "$WORK"/rw_sandbox*.err &&
	PP_WARN=" (the sandbox's blocking connect() left the socket O_NONBLOCK: trap_rt cleared it)"
log "read/write ping-pong medians: host ${PP_HS[*]} us, sandbox ${PP_SS[*]} us$PP_WARN"

# slirp_fig() - the slirp4netns baseline at one MTU, as a piece of the
#               line, in $FIG
# @1: MTU
slirp_fig() {
	local med avg
	if SLIRP_MTU=$1 pp "slirp$1" 10.0.2.2 slirp_run "$T"; then
		read -r med avg _ <"$WORK/slirp$1.fig"
		printf -v FIG 'slirp4netns MTU %s: %s us median, %s us avg, ratio %s' \
			"$1" "$med" "$avg" "$(calc %.2f "$SB_MED / $med")"
	else
		slirp_na "slirp4netns MTU $1" \
			"sockperf failed: $(tail -n 1 "$WORK/slirp$1.out" 2>/dev/null)"
	fi
}
slirp_figs

RATIO=$(calc %.2f "$SB_MED / $H_MED")
PP_RATIO=$(calc %.2f "$PP_SB / $PP_H")
verdict=$(awk "BEGIN { print ($SB_MED / $H_MED <= 1.2) ? \"met\" : \"missed\" }")
v_pp=$(awk "BEGIN { print ($PP_SB / $PP_H <= 1.2) ? \"met\" : \"missed\" }")
result "$SB_MED us median, $SB_AVG us avg (baseline: $H_MED us median, $H_AVG us avg host loopback, ratio $RATIO; $PIN_FIG; $SL1; $SL2; read/write ping-pong: $PP_SB us, $PP_H us host, ratio $PP_RATIO, median of $BENCH_ROUNDS rounds$PP_WARN) [target: median ratio <= 1.2 of host loopback: $verdict; read/write: $v_pp]"
