#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# reroute.sh - traffic follows a route replaced at runtime at once, IPv4
# and IPv6, even to a destination it already talked to: lwIP's IPv6
# destination cache keeps a next hop per destination, and a stale one
# sent every later packet to the old neighbour (lost for good once that
# one is gone: the flaky OSPFv3 reroute of scenario.ospf_triangle).
#
#   B: lo 10.99.0.1/32, fd99::1/128   eth0 10.0.1.2 fd00:1::2 ---+
#                                                                 | A: routes to
#   C: lo 10.99.0.1/32, fd99::1/128   eth0 10.0.2.2 fd00:2::2 ---+ the anycast
#                                                                   address via B,
# pings it, replaces the routes to go via C, takes B's link down, pings again.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need ping

stage_rrctl
stage_ping

cat >"$RUN/a.conf" <<EOF
link add eth0 type link local $RUN/a0.link remote $RUN/b0.link
link add eth1 type link local $RUN/a1.link remote $RUN/c0.link
addr add 10.0.1.1/24 dev eth0
addr add 10.0.2.1/24 dev eth1
addr add fd00:1::1/64 dev eth0
addr add fd00:2::1/64 dev eth1
route add 10.99.0.1/32 via 10.0.1.2
route add fd99::1/128 via fd00:1::2
EOF
for x in b:0:1 c:1:2; do	# name : A's device : subnet
	IFS=: read -r r ai net <<<"$x"
	cat >"$RUN/$r.conf" <<EOF
link add eth0 type link local $RUN/${r}0.link remote $RUN/a$ai.link
addr add 10.0.$net.2/24 dev eth0
addr add fd00:$net::2/64 dev eth0
addr add 10.99.0.1/32 dev lo
addr add fd99::1/128 dev lo
EOF
done

inner_script a.sh <<'EOF'
#!/bin/sh
# a.sh PING RRCTL BSOCK ASOCK
ping=$1 rrctl=$2 bsock=$3 asock=$4
for f in "" -6; do
	d=10.99.0.1; [ -z "$f" ] || d=fd99::1
	"$ping" $f -n -c 2 -i 0.2 -W 2 $d >/dev/null 2>&1 && echo "before $d ok" || echo "before $d FAILED"
done
"$rrctl" -s "$asock" route replace 10.99.0.1/32 via 10.0.2.2 &&
	"$rrctl" -s "$asock" route replace fd99::1/128 via fd00:2::2 &&
	"$rrctl" -s "$bsock" link set eth0 down && echo "rerouted, B's link down"
for f in "" -6; do
	d=10.99.0.1; [ -z "$f" ] || d=fd99::1
	"$ping" $f -n -c 3 -i 0.2 -W 2 $d >/dev/null 2>&1 && echo "after $d ok" || echo "after $d FAILED"
done
exit 0
EOF

bg unpriv "$RRS" -s "$RUN/b.rrs" -c "$RUN/b.conf" -- sleep 30 >"$RUN/b.out" 2>"$RUN/b.err"
b=$BG_PID
bg unpriv "$RRS" --no-control -c "$RUN/c.conf" -- sleep 30 >"$RUN/c.out" 2>"$RUN/c.err"
c=$BG_PID
wait_sock 10 "$RUN/b.rrs" || { LAST_OUT=$RUN/b.out LAST_ERR=$RUN/b.err; fail "B did not start"; }
rrs_run 60 a -s "$RUN/a.rrs" -c "$RUN/a.conf" -- sh "$RUN/a.sh" \
	"$WORK/bin/ping" "$WORK/bin/rrctl" "$RUN/b.rrs" "$RUN/a.rrs"
expect_rc 0 "A's pings"
kill "$b" "$c" 2>/dev/null || true
wait "$b" "$c" 2>/dev/null || true

step "the anycast address through B, then through C once rerouted"
for l in "before 10.99.0.1 ok" "before fd99::1 ok" "rerouted, B's link down" \
	"after 10.99.0.1 ok" "after fd99::1 ok"; do
	grep -qxF "$l" "$LAST_OUT" || fail "no line '$l'"
done
log "PASS"
