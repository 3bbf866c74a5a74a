#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# sockperf.sh - sockperf ping-pong latency, server and client in one
# sandbox, TCP and UDP over 127.0.0.1 (sockperf 3.7 takes no IPv6 address).
# Passes when the client exits 0 and prints its latency summary with
# messages received; the latency is logged, not judged (bench/ does that).
#
#   rrsandbox -- sh sockperf.sh  (one sandbox, lwIP loopback)
#   +-----------------------------------------------------------+
#   |  sockperf sr --tcp -i 127.0.0.1 -p P1  <==>  sockperf pp --tcp -t 2
#   |  sockperf sr -i 127.0.0.1 -p P2 (UDP)  <==>  sockperf pp -t 2
#   +-----------------------------------------------------------+

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need sockperf

inner_script sockperf.sh <<'EOF'
#!/bin/sh
# $1: TCP port, $2: UDP port. Both run; exit status 10 if TCP failed,
# 11 if UDP failed, 12 if both.
# sockperf 3.7 exits 0 even when it could not connect or got no answer,
# so the output decides whether to retry.
# run TAG PORT [--tcp]: one server, a client retried while not answered
run() {
	tag=$1 port=$2
	shift 2
	sockperf sr "$@" -i 127.0.0.1 -p "$port" >"$tag.srv" 2>&1 &
	s=$!
	sleep 0.3
	i=0
	while :; do
		sockperf pp "$@" -i 127.0.0.1 -p "$port" -t 2 >"$tag.out" 2>&1
		rc=$?
		grep -q 'Summary: Latency is' "$tag.out" && break
		grep -qE 'Connection refused|No messages were received' "$tag.out" || break
		i=$((i + 1))
		[ $i -lt 10 ] || break
		sleep 0.2
	done
	kill $s
	wait $s
	[ "$rc" -eq 0 ] && grep -q 'Summary: Latency is' "$tag.out"
}
st=0
run tcp "$1" --tcp || st=10
run udp "$2" || st=$((st ? 12 : 11))
exit $st
EOF

p1=$(free_port) p2=$(free_port)
step "sockperf ping-pong, TCP port $p1, UDP port $p2"
rrs_run 90 sockperf -- sh "$RUN/sockperf.sh" "$p1" "$p2"
for t in tcp udp; do
	[ -f "$RUN/$t.out" ] || continue
	line=$(grep -a 'Summary: Latency is' "$RUN/$t.out" | sed 's/\x1b\[[0-9;]*m//g' || true)
	recv=$(grep -a 'Valid Duration' "$RUN/$t.out" | sed 's/.*ReceivedMessages=//' || true)
	log "$t: ${line:-no latency line}, received ${recv:-?} messages"
done
LAST_OUT=$RUN/tcp.out LAST_ERR=$RUN/udp.out  # shown on failure
expect_rc 0 "rrsandbox -- sh sockperf.sh (10: TCP failed, 11: UDP failed, 12: both)"
for t in tcp udp; do
	recv=$(grep -a 'Valid Duration' "$RUN/$t.out" | sed 's/.*ReceivedMessages=//')
	[ "${recv:-0}" -gt 0 ] || fail "$t: no messages received"
done

log "PASS"
