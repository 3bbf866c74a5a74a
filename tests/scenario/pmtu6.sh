#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# pmtu6.sh - big datagrams through a narrow link: fragments reassembled
# (IPv4 and IPv6), and an IPv6 path MTU learned from "packet too big" kept
# while other routes change, as Linux keeps a route's PMTU exception while
# other prefixes come and go (BIRD changes routes all the time).  lwIP
# keeps the PMTU in its destination cache, which every route change used
# to empty: each change cost the next large packet to that destination
# (dropped at the narrow link, another "too big", a retransmission).
#
#   A (a.conf)                 B (b.conf, pcap)                   C (c.conf)
#   eth0 10.0.1.1/24   a.link  eth0 10.0.1.2   eth1 10.0.2.1      eth0 10.0.2.2/24
#        fd00:1::1/64          fd00:1::2       fd00:2::1          fd00:2::2/64
#        default via B ======> forwards; eth1 MTU 1280   =======> MTU 1280
#
# First a 20000-byte IPv4 ping, A's first packet to B: its 14 fragments
# wait together for B's ARP answer, B cuts each to 1280, C reassembles 17
# and answers the same way back.  (lwIP kept 8 packets for an unresolved
# neighbour and held 10 fragments for reassembly, and on 64-bit lost every
# fragmented IPv6 packet: IPV6_FRAG_COPYHEADER.)
#
# A pings C with 1400-byte payloads (1448-byte packets): the first is too
# big for B's eth1 and B answers "packet too big" (MTU 1280); from then on
# A fragments to 1280 and its pings reach C, 20000 bytes too.  Then A adds and removes
# unrelated routes (fd00:99::/64, 10.99.0.0/24), and pings again: still
# fragmented from the first packet, so B sends no second "too big".  A
# route change that does cover C (a more specific route to C's /64 via B)
# forgets C's PMTU, as Linux's new route has no exception: one more.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need ping tcpdump

stage_rrctl
stage_ping
mkdir "$RUN/pcap"
chmod 777 "$RUN/pcap"

narrow_path <<EOF
pcap start eth0 $RUN/pcap/eth0.pcap
pcap start eth1 $RUN/pcap/eth1.pcap
EOF

inner_script a.sh <<'EOF'
#!/bin/sh
# a.sh PING RRCTL ASOCK
ping=$1 rrctl=$2 asock=$3
big() { "$ping" -6 -n -c 1 -W 2 -s 1400 fd00:2::2 >/dev/null 2>&1; }
"$ping" -n -c 1 -W 2 -s 20000 10.0.2.2 >/dev/null 2>&1 &&
	echo "v4 20000 ok" || echo "v4 20000 FAILED"
big	# lost: too big for B's eth1; A learns the MTU
big && echo "learned ok" || echo "learned FAILED"
"$ping" -6 -n -c 1 -W 2 -s 20000 fd00:2::2 >/dev/null 2>&1 &&
	echo "v6 20000 ok" || echo "v6 20000 FAILED"
for i in 1 2 3 4 5; do
	"$rrctl" -s "$asock" route add fd00:99::/64 via fd00:1::2 &&
	"$rrctl" -s "$asock" route add 10.99.0.0/24 via 10.0.1.2 &&
	"$rrctl" -s "$asock" route del fd00:99::/64 &&
	"$rrctl" -s "$asock" route del 10.99.0.0/24 || echo "route change FAILED"
	big && echo "kept $i ok" || echo "kept $i FAILED"
done
"$rrctl" -s "$asock" route add fd00:2::/64 via fd00:1::2 || echo "route change FAILED"
big	# lost again: the new route has no PMTU yet
big && echo "relearned ok" || echo "relearned FAILED"
exit 0
EOF

bg unpriv "$RRS" --no-control -c "$RUN/b.conf" -- sleep 60 >"$RUN/b.out" 2>"$RUN/b.err"
b=$BG_PID
bg unpriv "$RRS" --no-control -c "$RUN/c.conf" -- sleep 60 >"$RUN/c.out" 2>"$RUN/c.err"
c=$BG_PID
sleep 0.5
rrs_run 60 a -s "$RUN/a.rrs" -c "$RUN/a.conf" -- sh "$RUN/a.sh" \
	"$WORK/bin/ping" "$WORK/bin/rrctl" "$RUN/a.rrs"
expect_rc 0 "A's pings"
kill "$b" "$c" 2>/dev/null || true
wait "$b" "$c" 2>/dev/null || true

step "big pings reassembled; A learns C's path MTU, keeps it across other route changes"
for l in "v4 20000 ok" "learned ok" "v6 20000 ok" "kept 1 ok" "kept 2 ok" \
	"kept 3 ok" "kept 4 ok" "kept 5 ok" "relearned ok"; do
	grep -qxF "$l" "$LAST_OUT" || fail "no line '$l'"
done
n=$(tcpdump -nn -r "$RUN/pcap/eth0.pcap" 'icmp6 and ip6[40] = 2 and dst host fd00:1::1' 2>/dev/null | wc -l)
LAST_OUT= LAST_ERR=
[ "$n" -eq 2 ] || fail "B sent $n 'packet too big' to A, want 2 (the first ping, and after the route to C's prefix changed)"
log "ok: 2 'packet too big' from B: the first ping's and the one after C's route changed"
log "PASS"
