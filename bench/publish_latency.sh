#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# publish_latency.sh - TCP round-trip latency from the host into a sandbox
# through a published port: sockperf sr --tcp inside `rrsandbox -p
# 127.0.0.1:HP:11111` (which implies --uplink), sockperf pp --tcp (14-byte
# messages) on the host to 127.0.0.1:HP (the sandbox's accept() gets the
# host's accepted socket itself), BENCH_SECONDS long (default 10).
# Baselines in the same run: the same pair natively on the host's loopback
# (once before and once after the sandbox, averaged), and slirp4netns's
# port forwarding (sockperf sr in a user+net namespace, the host's
# 127.0.0.1:HP forwarded to it by add_hostfwd over slirp4netns's API
# socket) at MTU 65520 and at MTU 1500. sockperf reports half the round
# trip; the figures are its median (percentile 50) and average, in us.
#
# sockperf sr passes an address to every recvfrom() and sendto(), even on
# TCP; the sandbox's filter traps those on any fd and the supervisor lets
# them continue on a host socket, so each message still costs two trap
# round trips in the sandbox. A second figure shows the data path without
# them: trap_rt echo (14 bytes with plain read() and write(), never
# trapped) in the sandbox, trap_rt pingpong (20,000 round trips) on the
# host, against the same pair natively, in BENCH_ROUNDS (default 5)
# alternating host/sandbox rounds, median of the rounds' medians: one
# short run of it swings between about 3 and 9 us with the machine's load.
#
# Pinned, once more each: the server (sockperf sr on the host, or
# rrsandbox with its supervisor and sockperf sr) on CPU 1 and the client
# on CPU 0, as on two machines; unpinned, the scheduler places three busy
# tasks on two CPUs anew each run, and a wake-up across CPUs costs about
# 5 us on these VMs (see uplink_latency.sh).
#
# Target: median at most 1.2 times host loopback's (ratio <= 1.2), taken
# unpinned; the pinned ratio is for comparison.
#
#   host: sockperf pp / trap_rt pingpong to 127.0.0.1:HP (the same client each run)
#          |                          |                          |
#          v rrsandbox's listener     v                          v slirp4netns's listener
#   +----------------------------+  host: sockperf sr      +--------------------------+
#   | rrsandbox -p HP:11111      |  / trap_rt echo         | unshare -Urn             |
#   |   sockperf sr -p 11111     |  127.0.0.1:HP           |   sockperf sr -p 11111   |
#   |   / trap_rt echo 11111     |                         |   (10.0.2.100, tap0,     |
#   +----------------------------+                         |    MTU 65520, then 1500) |
#                                                          +--------------------------+

set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
need sockperf

SECS=$BENCH_SECONDS
T=$((SECS + 60))
IN_PORT=11111
H=$(helper) || broken "cannot build bench/progs/trap_rt.c"

# pp() - sockperf pp on the host to 127.0.0.1:PORT once the server's output
#        ($WORK/TAG.srv) says it waits for messages; leaves "MEDIAN AVG N"
#        in $WORK/TAG.fig
# @1: tag
# @2: port on the host's 127.0.0.1
# Return: 1 when the server did not start or sockperf failed
pp() {
	local tag=$1 port=$2
	if ! wait_grep 10 'block on socket' "$WORK/$tag.srv"; then
		log "$tag: sockperf sr did not start: $(tail -n 2 "$WORK/$tag.srv" 2>/dev/null)"
		return 1
	fi
	log "$tag: sockperf pp to 127.0.0.1:$port, $SECS s"
	"${CLI_PIN[@]}" timeout -k 5 "$T" sockperf pp --tcp -i 127.0.0.1 -p "$port" -t "$SECS" \
		</dev/null >"$WORK/$tag.out" 2>&1 || true
	# sockperf 3.7 exits 0 even when it could not connect: its output decides
	if ! sockperf_parse "$WORK/$tag.out" '%.2f %.2f %d\n' >"$WORK/$tag.fig" 2>/dev/null; then
		log "$tag failed: $(tail -n 3 "$WORK/$tag.out")"
		return 1
	fi
	log "$tag: median/avg/messages $(cat "$WORK/$tag.fig")"
}

# SRV_PIN, CLI_PIN: prefix commands for the server and the client (taskset)
SRV_PIN=() CLI_PIN=()

# rw() - trap_rt pingpong on the host to 127.0.0.1:PORT once trap_rt echo's
#        output ($WORK/TAG.srv) says it listens; leaves the median half
#        trip (us) in $WORK/TAG.fig
# @1: tag
# @2: port on the host's 127.0.0.1
rw() {
	local tag=$1 port=$2 line
	wait_grep 10 '^listening' "$WORK/$tag.srv" || {
		log "$tag: trap_rt echo did not start: $(tail -n 2 "$WORK/$tag.srv" 2>/dev/null)"
		return 1
	}
	line=$(timeout -k 5 120 "$H" pingpong 20000 127.0.0.1 "$port" </dev/null \
		2>"$WORK/$tag.err") || {
		log "$tag failed: $(tail -n 2 "$WORK/$tag.err")"
		return 1
	}
	log "$tag: $line"
	calc %.2f "$(kv "$line" median_ns) / 1000" >"$WORK/$tag.fig"
}

# native() - server and client on the host's loopback
# @1: pp or rw
# @2: tag
native() {
	local port srv rc=0
	port=$(free_port)
	if [ "$1" = pp ]; then
		spawn "${SRV_PIN[@]}" sockperf sr --tcp -i 127.0.0.1 -p "$port" >"$WORK/$2.srv" 2>&1
	else
		spawn "$H" echo "$port" 127.0.0.1 >"$WORK/$2.srv" 2>&1
	fi
	srv=$BG_PID
	"$1" "$2" "$port" || rc=1
	stop_pid "$srv"
	return $rc
}

# sandboxed() - the server in rrsandbox, published on the host's 127.0.0.1
# @1: pp or rw
# @2: tag
sandboxed() {
	local hp srv rc=0 prog
	hp=$(free_port)
	prog=(sockperf sr --tcp -p "$IN_PORT")
	[ "$1" = pp ] || prog=("$H" echo "$IN_PORT")
	log "$2: rrsandbox -p 127.0.0.1:$hp:$IN_PORT -- ${prog[*]}"
	spawn "${SRV_PIN[@]}" timeout -k 5 "$T" "$RRS" -p "127.0.0.1:$hp:$IN_PORT" -- "${prog[@]}" \
		</dev/null >"$WORK/$2.srv" 2>&1
	srv=$BG_PID
	"$1" "$2" "$hp" || rc=1
	stop_pid "$srv"
	return $rc
}

# slirp_client() - SLIRP_WHILE: forward the host port, run the client,
#                  then tell the namespace's server to end (the file
#                  $WORK/$SL_TAG.done)
slirp_client() {
	slirp_forward pp
	: >"$WORK/$SL_TAG.done"
}

# slirp_fig() - the slirp4netns baseline at one MTU, as a piece of the
#               line, in $FIG
# @1: MTU
slirp_fig() {
	local med avg
	SL_TAG=slirp$1 SL_HP=$(free_port)
	rm -f "$WORK/$SL_TAG.fig" "$WORK/$SL_TAG.done"
	log "$SL_TAG: sockperf sr -p $IN_PORT in a namespace, 127.0.0.1:$SL_HP forwarded by slirp4netns"
	# shellcheck disable=SC2016 # expanded by the inner sh
	SLIRP_MTU=$1 SLIRP_API=$WORK/$SL_TAG.sock SLIRP_WHILE=slirp_client \
		slirp_run "$T" sh -c '
			sockperf sr --tcp -p "$1" >"$0.srv" 2>&1 &
			while [ ! -e "$0.done" ]; do sleep 0.1; done
			kill $!
			wait' "$WORK/$SL_TAG" "$IN_PORT" </dev/null || true
	if [ -s "$WORK/$SL_TAG.fig" ]; then
		read -r med avg _ <"$WORK/$SL_TAG.fig"
		printf -v FIG 'slirp4netns port forwarding, MTU %s: %s us median, %s us avg, ratio %s' \
			"$1" "$med" "$avg" "$(calc %.2f "$SB_MED / $med")"
	elif [ -s "$WORK/$SL_TAG.apifail" ]; then
		slirp_na "slirp4netns port forwarding, MTU $1" "$(tail -n 1 "$WORK/$SL_TAG.apifail")"
	else
		slirp_na "slirp4netns port forwarding, MTU $1" \
			"sockperf failed: $(tail -n 1 "$WORK/$SL_TAG.out" 2>/dev/null)"
	fi
}

native pp host1 || broken "sockperf on host loopback failed"
sandboxed pp sandbox || broken "sockperf sr inside rrsandbox -p failed"
native pp host2 || broken "sockperf on host loopback failed"
read -r H1_MED H1_AVG _ <"$WORK/host1.fig"
read -r SB_MED SB_AVG SB_N <"$WORK/sandbox.fig"
read -r H2_MED H2_AVG _ <"$WORK/host2.fig"
H_MED=$(calc %.2f "($H1_MED + $H2_MED) / 2") H_AVG=$(calc %.2f "($H1_AVG + $H2_AVG) / 2")

PIN_FIG="pinned: n/a (needs taskset and two CPUs)"
if can_pin; then
	SRV_PIN=(taskset -c 1) CLI_PIN=(taskset -c 0)
	if native pp host_pin && sandboxed pp sandbox_pin; then
		PIN_FIG=$(pinned_fig host_pin sandbox_pin)
	else
		PIN_FIG="pinned: n/a (broken: a pinned sockperf run failed)"
	fi
	SRV_PIN=() CLI_PIN=()
fi
log "host loopback medians $H1_MED and $H2_MED us, mean $H_MED; sandbox $SB_MED us, $SB_N messages"

# The data path alone: plain read/write, alternating rounds.
PP_HS=() PP_SS=()
for ((r = 1; r <= BENCH_ROUNDS; r++)); do
	native rw "rw_host$r" || broken "trap_rt pingpong natively failed"
	PP_HS+=("$(cat "$WORK/rw_host$r.fig")")
	sandboxed rw "rw_sandbox$r" || broken "trap_rt echo inside rrsandbox -p failed"
	PP_SS+=("$(cat "$WORK/rw_sandbox$r.fig")")
done
PP_H=$(calc %.2f "$(median "${PP_HS[@]}")") PP_SB=$(calc %.2f "$(median "${PP_SS[@]}")")
log "read/write ping-pong medians: host ${PP_HS[*]} us, sandbox ${PP_SS[*]} us"

slirp_figs

RATIO=$(calc %.2f "$SB_MED / $H_MED")
PP_RATIO=$(calc %.2f "$PP_SB / $PP_H")
verdict=$(awk "BEGIN { print ($SB_MED / $H_MED <= 1.2) ? \"met\" : \"missed\" }")
v_pp=$(awk "BEGIN { print ($PP_SB / $PP_H <= 1.2) ? \"met\" : \"missed\" }")
result "$SB_MED us median, $SB_AVG us avg (baseline: $H_MED us median, $H_AVG us avg host loopback, ratio $RATIO; $PIN_FIG; $SL1; $SL2; read/write ping-pong: $PP_SB us, $PP_H us host, ratio $PP_RATIO, median of $BENCH_ROUNDS rounds) [target: median ratio <= 1.2 of host loopback: $verdict; read/write: $v_pp]"
