#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# forward.sh - throughput and latency through a sandbox that routes: three
# sandboxes A - B - C on two links (AF_UNIX datagram sockets in the work
# dir), A and C with default routes via B, B forwarding.  iperf3 -c in A
# to iperf3 -s in C (BENCH_SECONDS, default 10; the receiver's rate from
# --json) and sockperf ping-pong (TCP, 14-byte messages, median) from A to
# C, with both links at MTU 1500 and at 65535, against the same programs
# on the host's loopback in the same run.  Three lwIP stacks and two link
# hops per packet, so no target: the figure is for tracking.
#
#   A: eth0 10.0.1.1  ==a.link/ba.link==  B: eth0 10.0.1.2   eth1 10.0.2.1  ==bc.link/c.link==  C: eth0 10.0.2.2
#      iperf3 -c / sockperf pp                 (forwards)                       iperf3 -s / sockperf sr

set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
need iperf3 sockperf

SECS=$BENCH_SECONDS

iperf_rate_py

# client.sh KIND PORT SECS OUT PY: in A, retried while C is not up yet
cat >"$WORK/client.sh" <<'EOF'
kind=$1 port=$2 secs=$3 out=$4 py=$5
i=0
while :; do
	if [ "$kind" = iperf3 ]; then
		iperf3 -c 10.0.2.2 -p "$port" -t "$secs" --json >"$out.json" 2>"$out.err"
		"$py" "$(dirname "$0")/rate.py" "$out.json" >"$out.fig" 2>>"$out.err"
		[ $? -eq 2 ] || exit 0
	else
		sockperf pp --tcp -i 10.0.2.2 -p "$port" -t "$secs" >"$out.out" 2>&1
		grep -q 'Summary: Latency is' "$out.out" && exit 0
		grep -qE 'refused|unreachable|No messages were received' "$out.out" || exit 1
	fi
	i=$((i + 1))
	[ $i -lt 50 ] || exit 1
	sleep 0.2
done
EOF

# parse_pp() - print the median latency (us) of a sockperf pp output
parse_pp() {
	sed 's/\x1b\[[0-9;]*m//g' "$1" | awk '/percentile 50\.000 =/ { med = $NF }
		END { if (med == "") exit 1; printf "%.2f\n", med }'
}

# confs() - the three sandboxes' -c files for one MTU into DIR
# @1: dir
# @2: MTU of both links
confs() {
	local d=$1 m=$2
	cat >"$d/a.conf" <<EOF
link add eth0 type link local $d/a.link remote $d/ba.link mtu $m
addr add 10.0.1.1/24 dev eth0
route add default via 10.0.1.2
EOF
	cat >"$d/b.conf" <<EOF
link add eth0 type link local $d/ba.link remote $d/a.link mtu $m
link add eth1 type link local $d/bc.link remote $d/c.link mtu $m
addr add 10.0.1.2/24 dev eth0
addr add 10.0.2.1/24 dev eth1
EOF
	cat >"$d/c.conf" <<EOF
link add eth0 type link local $d/c.link remote $d/bc.link mtu $m
addr add 10.0.2.2/24 dev eth0
route add default via 10.0.2.1
EOF
}

# run_fwd() - one measurement A -> B -> C; prints Gbit/s or us
# @1: iperf3 or sockperf
# @2: MTU
run_fwd() {
	local kind=$1 mtu=$2 d port srv b c rc=0 fig
	d=$WORK/$kind-$mtu
	mkdir -p "$d"
	confs "$d" "$mtu"
	port=$(free_port)
	if [ "$kind" = iperf3 ]; then
		srv="iperf3 -s -1 -B 10.0.2.2 -p $port"
	else
		srv="sockperf sr --tcp -i 10.0.2.2 -p $port"
	fi
	log "$kind, MTU $mtu: A -> B -> C port $port, $SECS s"
	spawn "$RRS" --no-control -c "$d/c.conf" -- sh -c "exec $srv" >"$d/c.log" 2>&1 </dev/null
	c=$BG_PID
	spawn "$RRS" --no-control -c "$d/b.conf" -- \
		sh -c "while [ ! -e '$d/stop' ]; do sleep 0.2; done" >"$d/b.log" 2>&1 </dev/null
	b=$BG_PID
	timeout -k 5 $((SECS + 60)) "$RRS" --no-control -c "$d/a.conf" -- \
		sh "$WORK/client.sh" "$kind" "$port" "$SECS" "$d/a" "$BENCH_PY" \
		>"$d/a.log" 2>&1 </dev/null || rc=$?
	touch "$d/stop"
	stop_pid "$c"
	stop_pid "$b"
	if [ "$kind" = iperf3 ]; then
		fig=$(cat "$d/a.fig" 2>/dev/null) || true
	else
		fig=$(parse_pp "$d/a.out" 2>/dev/null) || true
	fi
	if [ "$rc" -ne 0 ] || [ -z "$fig" ]; then
		log "$kind, MTU $mtu failed (status $rc): $(tail -n 5 "$d/a.log" "$d/a.err" "$d/a.out" 2>/dev/null)"
		return 1
	fi
	log "$kind, MTU $mtu: $fig"
	echo "$fig"
}

# run_host() - the same client and server on the host's loopback
# @1: iperf3 or sockperf
run_host() {
	local kind=$1 port s fig=
	port=$(free_port)
	if [ "$kind" = iperf3 ]; then
		spawn iperf3 -s -1 -B 127.0.0.1 -p "$port"
	else
		spawn sockperf sr --tcp -i 127.0.0.1 -p "$port"
	fi >"$WORK/host-$kind.srv" 2>&1
	s=$BG_PID
	sleep 0.3
	if [ "$kind" = iperf3 ]; then
		if iperf3 -c 127.0.0.1 -p "$port" -t "$SECS" --json >"$WORK/host.json" 2>&1; then
			fig=$("$BENCH_PY" "$WORK/rate.py" "$WORK/host.json" 2>/dev/null) || true
		fi
	else
		if sockperf pp --tcp -i 127.0.0.1 -p "$port" -t "$SECS" >"$WORK/host.pp" 2>&1; then
			fig=$(parse_pp "$WORK/host.pp") || true
		fi
	fi
	stop_pid "$s"
	[ -n "$fig" ] || return 1
	log "host loopback $kind: $fig"
	echo "$fig"
}

HT=$(run_host iperf3) || broken "iperf3 on host loopback failed"
T1500=$(run_fwd iperf3 1500) || broken "iperf3 through B at MTU 1500 failed"
T65535=$(run_fwd iperf3 65535) || broken "iperf3 through B at MTU 65535 failed"
HL=$(run_host sockperf) || broken "sockperf on host loopback failed"
L1500=$(run_fwd sockperf 1500) || broken "sockperf through B at MTU 1500 failed"
L65535=$(run_fwd sockperf 65535) || broken "sockperf through B at MTU 65535 failed"

result "$T1500 Gbit/s MTU 1500, $T65535 Gbit/s MTU 65535; $L1500 us, $L65535 us median latency (baseline: $HT Gbit/s, $HL us host loopback, ratio $(calc %.2f "$T1500 / $HT"), $(calc %.2f "$T65535 / $HT"); latency ratio $(calc %.2f "$L1500 / $HL"), $(calc %.2f "$L65535 / $HL")) [target: none; A -> B -> C through three lwIP stacks, for tracking]"
