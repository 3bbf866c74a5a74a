#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# bfd.sh - BFD-backed BGP sessions between sandboxed BIRDs, single hop and
# multihop:
#
#   A (AS 65001) eth0 10.0.1.1 fd00:1::1 === B (AS 65002) eth0 10.0.1.2 fd00:1::2
#                                            eth1 10.0.2.1 === C (AS 65003) eth0 10.0.2.2
#   A-B: BGP over IPv4 and IPv6 with `bfd on` (single-hop BFD, UDP 3784,
#        which BIRD takes only with TTL 255: IP_RECVTTL must tell it)
#   A-C: BGP multihop 2 through B with `bfd on` (multihop BFD, UDP 4784)
#   hold time 30 s: only BFD can bring a session down within seconds;
#   B and C are passive, so no connection collision (which BIRD settles by
#   closing one session with a Cease) can take a session down on its own
#
# Checks: every BFD session comes Up (300 ms x 5: detection in 1.5 s, with
# room for a loaded machine); when C's BIRD freezes (SIGSTOP), A's
# multihop BFD session and with it A-C go down within 5 s while A-B stays
# Established; after SIGCONT everything comes back; when B's BIRD
# freezes, A-B goes down on both families within 5 s.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/scenario/birdlib.sh
source "$RRS_SCENARIO_DIR/birdlib.sh"

cat >"$RUN/A.net" <<EOF
link add eth0 type link local $RUN/ab.link remote $RUN/ba.link
addr add 10.0.1.1/24 dev eth0
addr add fd00:1::1/64 dev eth0
route add 10.0.2.0/24 via 10.0.1.2
EOF
cat >"$RUN/B.net" <<EOF
link add eth0 type link local $RUN/ba.link remote $RUN/ab.link
link add eth1 type link local $RUN/bc.link remote $RUN/cb.link
addr add 10.0.1.2/24 dev eth0
addr add fd00:1::2/64 dev eth0
addr add 10.0.2.1/24 dev eth1
EOF
cat >"$RUN/C.net" <<EOF
link add eth0 type link local $RUN/cb.link remote $RUN/bc.link
addr add 10.0.2.2/24 dev eth0
route add 10.0.1.0/24 via 10.0.2.1
EOF

# bgp NAME LOCAL NEIGHBOR AS PEER-AS FAMILY [OPTIONS...]
bgp() {
	local name=$1 loc=$2 nb=$3 as=$4 pas=$5 fam=$6
	shift 6
	cat <<EOF
protocol bgp $name {
	local $loc as $as; neighbor $nb as $pas;
	hold time 30; keepalive time 10; connect retry time 1;
	connect delay time 1; error wait time 1, 2;
	bfd on; $*
	$fam { import none; export none; };
}
EOF
}
bfd_conf() { # NAME ROUTER-ID
	cat <<EOF
log "$RUN/$1.log" all;
router id $2;
protocol device { }
protocol bfd {
	debug { events };
	interface "*" { interval 300 ms; multiplier 5; };
	multihop { interval 300 ms; multiplier 5; };
}
EOF
}
{
	bfd_conf A 10.0.1.1
	bgp ab4 10.0.1.1 10.0.1.2 65001 65002 ipv4
	bgp ab6 fd00:1::1 fd00:1::2 65001 65002 ipv6
	bgp ac4 10.0.1.1 10.0.2.2 65001 65003 ipv4 "multihop 2;"
} >"$RUN/A.bird"
{
	bfd_conf B 10.0.1.2
	bgp ba4 10.0.1.2 10.0.1.1 65002 65001 ipv4 "passive on;"
	bgp ba6 fd00:1::2 fd00:1::1 65002 65001 ipv6 "passive on;"
} >"$RUN/B.bird"
{
	bfd_conf C 10.0.2.2
	bgp ca4 10.0.2.2 10.0.1.1 65003 65001 ipv4 "multihop 2; passive on;"
} >"$RUN/C.bird"
chmod 644 "$RUN"/*.net "$RUN"/*.bird

# bfd_state NAME ADDR: BIRD's state of its BFD session to ADDR
bfd_state() {
	bc "$1" show bfd sessions 2>/dev/null | awk -v a="$2" '$1 == a { print $3 }'
}
wait_bfd() { # NAME ADDR STATE SECONDS
	local i
	for ((i = 0; i < $4 * 5; i++)); do
		[ "$(bfd_state "$1" "$2")" = "$3" ] && return 0
		sleep 0.2
	done
	return 1
}
# down_within NAME PROTO SECONDS: PROTO leaves Established within SECONDS
down_within() {
	local i
	for ((i = 0; i < $3 * 10; i++)); do
		[ "$(proto_state "$1" "$2")" != Established ] && return 0
		sleep 0.1
	done
	return 1
}

step "BGP with BFD, single hop and multihop, comes up"
for r in A B C; do router_start "$r"; done
for r in A B C; do wait_ctl "$r"; done
for rp in A:ab4 A:ab6 A:ac4 B:ba4 C:ca4; do
	wait_state "${rp%%:*}" "${rp#*:}" Established 20 ||
		{ show_router "${rp%%:*}"; fail "${rp#*:} on ${rp%%:*} not Established"; }
done
for s in A:10.0.1.2 A:fd00:1::2 A:10.0.2.2 B:10.0.1.1 C:10.0.1.1; do
	wait_bfd "${s%%:*}" "${s#*:}" Up 10 ||
		{ show_router "${s%%:*}"; fail "BFD session from ${s%%:*} to ${s#*:} not Up"; }
done

step "C freezes: multihop BFD takes A-C down within 5 s, A-B stays"
cbird=$(bird_pid "${ROUTER_PID[C]}")
bbird=$(bird_pid "${ROUTER_PID[B]}")
[ -n "$cbird" ] && [ -n "$bbird" ] || fail "cannot find B's and C's BIRD processes"
kill -STOP "$cbird"
down_within A ac4 5 || { kill -CONT "$cbird"; show_router A; fail "A-C still Established 5 s after C froze"; }
[ "$(proto_state A ab4)" = Established ] && [ "$(proto_state A ab6)" = Established ] ||
	{ kill -CONT "$cbird"; show_router A; show_router B; fail "A-B went down when C froze"; }
grep -q 'ac4: .*BFD session down' "$RUN/A.log" || log "note: A's log does not name BFD for ac4"
kill -CONT "$cbird"
for p in ac4 ab4 ab6; do
	wait_state A $p Established 20 || { show_router A; fail "$p not Established after C resumed"; }
done
for s in 10.0.1.2 fd00:1::2 10.0.2.2; do
	wait_bfd A "$s" Up 10 || { show_router A; fail "BFD session from A to $s not Up after C resumed"; }
done

step "B freezes: single-hop BFD takes A-B down within 5 s on both families"
kill -STOP "$bbird"
down_within A ab4 5 && down_within A ab6 5 ||
	{ kill -CONT "$bbird"; show_router A; fail "A-B still Established 5 s after B froze"; }
kill -CONT "$bbird"
for p in ab4 ab6; do
	wait_state A $p Established 20 || { show_router A; fail "$p did not come back after B resumed"; }
done
log "PASS"
