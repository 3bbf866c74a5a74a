#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# bgp_enh.sh - one BGP session over IPv6 link-local addresses carrying
# both families, IPv4 with `extended next hop` (RFC 8950/5549), as DN42
# peers often run: IPv4 routes get IPv6 next hops, which BIRD's kernel
# protocol installs as `via inet6 fe80::... dev eth0` (RTA_VIA), and IPv4
# traffic follows them to the neighbour's link-layer address found by
# neighbour discovery (the links carry no IPv4 subnet at all).
#
#   A (AS 65001)                              B (AS 65002)
#   lo 10.0.0.1/32 (beside 127.0.0.1/8)       lo 10.0.0.2/32
#   eth0 fe80::ff:fe00:1 only ============== eth0 fe80::ff:fe00:2 only
#   eth1 192.168.1.1/24, fd99:1::1/64         eth1 192.168.2.1/24, fd99:2::1/64
#   (eth1: stub links with no peer; lo's and eth1's addresses announced
#   through `protocol direct`)
#
# Checks: the session reaches Established; each side installs the
# other's IPv4 prefixes through an IPv6 gateway (`ip route` inside A,
# rrctl show routes) and its IPv6 prefixes as usual; ping from A reaches
# B's stub and lo address, from the source Linux would pick (eth0 has no
# IPv4 address: lo's 10.0.0.1, a second address on lo) and from A's
# stub; ping -6 too (from fd99:1::1, eth0 having no global one); BIRD's
# kernel scans leave the routes alone (no re-installs, no netlink
# complaints in BIRD's log) over a few scans; withdrawing B's stub
# (link down) removes the route from A's table.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/scenario/birdlib.sh
source "$RRS_SCENARIO_DIR/birdlib.sh"
need ping

stage_ping

# enh_write() - the net and BIRD configs of router NAME
# @1: name  @2: its number (1 or 2)  @3: the peer's number  @4: AS  @5: peer AS
enh_write() {
	local n=$1 i=$2 p=$3
	cat >"$RUN/$n.net" <<EOF
link add eth0 type link local $RUN/l$i.sock remote $RUN/l$p.sock address 02:00:00:00:00:0$i
addr add 10.0.0.$i/32 dev lo
link add eth1 type link local $RUN/stub$i.sock remote $RUN/nobody$i.sock
addr add 192.168.$i.1/24 dev eth1
addr add fd99:$i::1/64 dev eth1
EOF
	{
		bird_conf_head "$n" "10.0.0.$i"
		cat <<EOF
protocol bgp peer {
	local as $4;
	neighbor fe80::ff:fe00:$p as $5;
	interface "eth0";
	hold time 6;
	keepalive time 2;
	connect retry time 1;
	ipv4 { extended next hop on; import all;
		export where source = RTS_DEVICE && net != 127.0.0.0/8; };
	ipv6 { import all; export where source = RTS_DEVICE && net != ::1/128; };
}
EOF
	} >"$RUN/$n.bird"
	chmod 644 "$RUN/$n.net" "$RUN/$n.bird"
}
enh_write A 1 2 65001 65002
enh_write B 2 1 65002 65001

step "two BIRDs peer over IPv6 link-local with extended next hop"
router_start_sh A
router_start_sh B
wait_ctl A
wait_ctl B
wait_state A peer Established 20 || { show_router A; show_router B; fail "A-B not Established"; }
log "A-B Established"

step "IPv4 routes through IPv6 gateways reach the kernel tables"
ok=
for ((i = 0; i < 50; i++)); do
	if rc_ A show routes >"$RUN/A.routes" 2>&1 &&
		grep -q '^192\.168\.2\.0/24 via inet6 fe80::ff:fe00:2 dev eth0' "$RUN/A.routes" &&
		grep -q '^10\.0\.0\.2 via inet6 fe80::ff:fe00:2 dev eth0' "$RUN/A.routes" &&
		grep -q '^fd99:2::/64 via fe80::ff:fe00:2 dev eth0' "$RUN/A.routes"; then
		ok=1
		break
	fi
	sleep 0.2
done
LAST_OUT=$RUN/A.routes LAST_ERR=
[ -n "$ok" ] || { show_router A; fail "A's table lacks B's routes through fe80::ff:fe00:2"; }
router_exec A 10 "ip route; ip -6 route" || fail "ip route inside A"
grep -q '^192\.168\.2\.0/24 via inet6 fe80::ff:fe00:2 dev eth0 proto bird' "$RUN/A.job.out" ||
	fail "ip route inside A does not show 192.168.2.0/24 via inet6 fe80::ff:fe00:2"
cp "$RUN/A.job.out" "$RUN/A.iproute"

step "IPv4 and IPv6 pings follow them"
router_exec A 30 "$WORK/bin/ping -c 3 -i 0.2 -W 2 192.168.2.1 &&
	$WORK/bin/ping -c 3 -i 0.2 -W 2 -I 192.168.1.1 192.168.2.1 &&
	$WORK/bin/ping -c 3 -i 0.2 -W 2 10.0.0.2 &&
	$WORK/bin/ping -6 -c 3 -i 0.2 -W 2 fd99:2::1" ||
	fail "ping from A to B's addresses"
grep -q ' 0% packet loss' "$RUN/A.job.out" || fail "no clean ping"
router_exec A 10 "ip route get 192.168.2.1; ip -6 route get fd99:2::1" || fail "ip route get in A"
grep -q 'src 10\.0\.0\.1 ' "$RUN/A.job.out" || fail "A's source for 192.168.2.1 is not lo's 10.0.0.1"
grep -q 'from :: via fe80::ff:fe00:2 dev eth0 proto bird src fd99:1::1 ' "$RUN/A.job.out" ||
	fail "A's source for fd99:2::1 is not eth1's fd99:1::1"
router_exec B 30 "$WORK/bin/ping -c 3 -i 0.2 -W 2 -I 192.168.2.1 192.168.1.1" ||
	fail "ping from B's stub to A's stub"

step "BIRD's kernel scans leave the routes alone"
sleep 5		# two and more scans of 2 s
router_exec A 10 "ip route; ip -6 route" || fail "ip route inside A"
diff "$RUN/A.iproute" "$RUN/A.job.out" >"$RUN/A.diff" ||
	{ LAST_OUT=$RUN/A.diff; fail "A's routes changed across kernel scans"; }
for r in A B; do
	if grep -iE 'netlink|strange|error|KRT:' "$RUN/$r.log" | grep -v 'abling protocol' >"$RUN/$r.krt"; then
		LAST_OUT=$RUN/$r.krt LAST_ERR=
		fail "BIRD in $r complained about the kernel table"
	fi
done
[ "$(proto_state A peer)" = Established ] || { show_router A; fail "the session dropped"; }

step "a withdrawn prefix leaves A's table"
rc_ B link set eth1 down >/dev/null || fail "rrctl link set eth1 down on B"
gone=
for ((i = 0; i < 50; i++)); do
	rc_ A show routes >"$RUN/A.routes" 2>&1 || true
	grep -q '^192\.168\.2\.0/24' "$RUN/A.routes" || { gone=1; break; }
	sleep 0.2
done
LAST_OUT=$RUN/A.routes LAST_ERR=
[ -n "$gone" ] || { show_router A; show_router B; fail "192.168.2.0/24 stayed in A's table"; }
grep -q '^10\.0\.0\.2 via inet6 fe80::ff:fe00:2 dev eth0' "$RUN/A.routes" ||
	fail "10.0.0.2 went with it"

routers_stop A B
log "PASS"
