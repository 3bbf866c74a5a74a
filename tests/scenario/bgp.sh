#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# bgp.sh - three sandboxed BIRDs (Debian's bird2, unmodified, unprivileged)
# in a row, speaking eBGP over IPv4 and IPv6 with short timers (the
# network and the shared checks live in bgpnet.sh, which
# tests/container/bgp_profile.sh runs under container seccomp profiles):
#
#   A (AS 65001)                 B (AS 65002)                 C (AS 65003)
#   eth0 10.0.1.1  fd00:1::1 === eth0 10.0.1.2  fd00:1::2
#                                eth1 10.0.2.1  fd00:2::1 === eth0 10.0.2.2  fd00:2::2
#   eth1 192.168.1.1/24          eth2 192.168.2.1/24          eth1 192.168.3.1/24
#        fd99:1::1/64                 fd99:2::1/64                 fd99:3::1/64
#   (eth1/eth2: stub links with no peer, announced through `protocol direct`)
#
# Sessions: A-B and B-C single hop on both families (C passive on B-C
# IPv4, the others active: both sides connect at once), some with `ttl
# security` (IP_MINTTL / IPV6_MINHOPCOUNT 255, sent with TTL 255); A-C
# multihop 2 through B with `ttl security` (minimum TTL 254).
#
# Checks: A-B reaches Established on IPv4 and IPv6 within 10 s of start;
# every session comes up; the routes each side announced are installed
# by BIRD's kernel protocol into the sandbox's table (rrctl show routes,
# and `ip route` inside A); B's pcap shows BGP segments with BIRD's TOS
# (0xc0) and TTL (255 with ttl security, 1 for plain single hop; resets
# for connections no longer there aside); ping and
# ping -6 from A reach C's stub addresses through B along them, and
# traceroute (UDP and -I, both families) shows B, then C's stub address
# (C answers for an address of another interface, from that address).
# Then A-C is reconfigured to multihop 1
# (`birdc configure`): with ttl security that expects TTL 255, which
# packets forwarded by B cannot have, so the session must not come back,
# and C's supervisor counts the dropped segments (SIGUSR1 stats).

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/scenario/birdlib.sh
source "$RRS_SCENARIO_DIR/birdlib.sh"
# shellcheck source=tests/scenario/bgpnet.sh
source "$RRS_SCENARIO_DIR/bgpnet.sh"

bgpnet_write

step "three sandboxed BIRDs start; A-B Established within 10 s"
t0=$(date +%s.%N)
router_start_sh A
mkdir "$RUN/pcap"
chmod 777 "$RUN/pcap"
router_start_sh B --pcap "$RUN/pcap"
router_start_sh C
for r in A B C; do wait_ctl "$r"; done
ok=
for ((i = 0; i < 60; i++)); do
	if [ "$(proto_state A ab4)" = Established ] &&
		[ "$(proto_state A ab6)" = Established ]; then
		ok=1
		break
	fi
	sleep 0.2
done
t1=$(date +%s.%N)
secs=$(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }")
[ -n "$ok" ] || { show_router A; show_router B; fail "A-B not Established on IPv4 and IPv6 after ${secs} s"; }
log "A-B Established on IPv4 and IPv6 ${secs} s after start"

bgpnet_sessions_up
bgpnet_routes

step "BGP packets carry BIRD's TTL and TOS (B's pcap)"
if command -v tcpdump >/dev/null; then
	# A -> B, ttl security: TTL 255; B -> C, plain single hop eBGP: TTL 1;
	# both TOS 0xc0 (internetwork control), as BIRD sets them.  Resets
	# are left out: one answering a segment of a connection A no longer
	# has (the loser of two sessions opened at once) belongs to no socket
	# and leaves with the default TTL, as on Linux.
	tcpdump -n -v -r "$RUN/pcap/eth0.pcap" \
		'src host 10.0.1.1 and tcp port 179 and tcp[tcpflags] & tcp-rst == 0' \
		>"$RUN/ab.txt" 2>/dev/null || true
	tcpdump -n -v -r "$RUN/pcap/eth1.pcap" 'src host 10.0.2.1 and tcp port 179' \
		>"$RUN/bc.txt" 2>/dev/null || true
	LAST_OUT=$RUN/ab.txt LAST_ERR=
	grep -q 'tos 0xc0, ttl 255,' "$RUN/ab.txt" || fail "A's BGP segments lack TOS 0xc0 / TTL 255"
	grep ' IP (' "$RUN/ab.txt" | grep -vq 'ttl 255,' && fail "an A -> B BGP segment without TTL 255"
	LAST_OUT=$RUN/bc.txt
	grep -q 'tos 0xc0, ttl 1,' "$RUN/bc.txt" || fail "B's BGP segments to C lack TOS 0xc0 / TTL 1"
else
	log "SKIP-PART: tcpdump is not installed: TTL and TOS not checked"
fi

bgpnet_ping
bgpnet_trace

step "ttl security: A-C as if one hop apart (min TTL 255) never comes back"
sed -i 's/multihop 2;/multihop 1;/' "$RUN/A.bird" "$RUN/C.bird"
bc A configure >/dev/null || fail "birdc configure on A"
bc C configure >/dev/null || fail "birdc configure on C"
sleep 1
for ((i = 0; i < 40; i++)); do
	s=$(proto_state A ac4)$(proto_state C ca4)
	case $s in *Established*) show_router A; show_router C
		fail "A-C reached Established with ttl security two hops apart ($i/40)";; esac
	sleep 0.2
done
kill -USR1 "${ROUTER_PID[C]}"
sleep 0.5
drops=$(grep -o 'minttl_drops=[0-9]*' "$RUN/C.err" | tail -n1 | cut -d= -f2)
log "C dropped ${drops:-?} segments under its minimum TTL"
[ "${drops:-0}" -gt 0 ] || { LAST_OUT='' LAST_ERR=$RUN/C.err; fail "C counted no minimum-TTL drops"; }
for rp in A:ab4 A:ab6 C:cb4 C:cb6; do
	[ "$(proto_state "${rp%%:*}" "${rp#*:}")" = Established ] ||
		{ show_router "${rp%%:*}"; fail "${rp#*:} on ${rp%%:*} dropped meanwhile"; }
done

routers_stop A B C
log "PASS"
