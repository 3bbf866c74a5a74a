#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# bgp.sh - three sandboxed BIRDs (Debian's bird2, unmodified, unprivileged)
# in a row, speaking eBGP over IPv4 and IPv6 with short timers:
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
# (0xc0) and TTL (255 with ttl security, 1 for plain single hop); ping and
# ping -6 from A reach C's stub
# addresses through B along them.  Then A-C is reconfigured to multihop 1
# (`birdc configure`): with ttl security that expects TTL 255, which
# packets forwarded by B cannot have, so the session must not come back,
# and C's supervisor counts the dropped segments (SIGUSR1 stats).

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/scenario/birdlib.sh
source "$RRS_SCENARIO_DIR/birdlib.sh"
need ping

cp /usr/bin/ping "$WORK/bin/ping"
chmod 755 "$WORK/bin/ping"

# net_conf NAME "IF LOCAL REMOTE V4 V6"...: one link per argument, its
# endpoints AF_UNIX paths under $RUN (REMOTE "-": a stub with no peer)
net_conf() {
	local n=$1 l if loc rem a4 a6
	shift
	for l in "$@"; do
		read -r if loc rem a4 a6 <<<"$l"
		[ "$rem" = - ] && rem=nowhere-$n-$if
		echo "link add $if type link local $RUN/$loc remote $RUN/$rem"
		echo "addr add $a4 dev $if"
		echo "addr add $a6 dev $if"
	done
}
net_conf A "eth0 ab.link ba.link 10.0.1.1/24 fd00:1::1/64" \
	"eth1 a1.link - 192.168.1.1/24 fd99:1::1/64" >"$RUN/A.net"
net_conf B "eth0 ba.link ab.link 10.0.1.2/24 fd00:1::2/64" \
	"eth1 bc.link cb.link 10.0.2.1/24 fd00:2::1/64" \
	"eth2 b2.link - 192.168.2.1/24 fd99:2::1/64" >"$RUN/B.net"
net_conf C "eth0 cb.link bc.link 10.0.2.2/24 fd00:2::2/64" \
	"eth1 c1.link - 192.168.3.1/24 fd99:3::1/64" >"$RUN/C.net"

# bgp NAME LOCAL NEIGHBOR AS PEER-AS FAMILY [OPTIONS...]
bgp() {
	local name=$1 loc=$2 nb=$3 as=$4 pas=$5 fam=$6
	shift 6
	cat <<EOF
protocol bgp $name {
	local $loc as $as; neighbor $nb as $pas;
	hold time 3; keepalive time 1; connect retry time 1;
	connect delay time 1; error wait time 1, 2;
	$*
	$fam { import all; export all; };
}
EOF
}
{
	bird_conf_head A 10.0.1.1
	bgp ab4 10.0.1.1 10.0.1.2 65001 65002 ipv4 "ttl security on;"
	bgp ab6 fd00:1::1 fd00:1::2 65001 65002 ipv6
	bgp ac4 10.0.1.1 10.0.2.2 65001 65003 ipv4 "multihop 2; ttl security on;" |
		sed 's/import all; export all;/import none; export none;/'
} >"$RUN/A.bird"
{
	bird_conf_head B 10.0.1.2
	bgp ba4 10.0.1.2 10.0.1.1 65002 65001 ipv4 "ttl security on;"
	bgp ba6 fd00:1::2 fd00:1::1 65002 65001 ipv6
	bgp bc4 10.0.2.1 10.0.2.2 65002 65003 ipv4
	bgp bc6 fd00:2::1 fd00:2::2 65002 65003 ipv6 "ttl security on;"
} >"$RUN/B.bird"
{
	bird_conf_head C 10.0.2.2
	bgp cb4 10.0.2.2 10.0.2.1 65003 65002 ipv4 "passive on;"
	bgp cb6 fd00:2::2 fd00:2::1 65003 65002 ipv6 "ttl security on;"
	bgp ca4 10.0.2.2 10.0.1.1 65003 65001 ipv4 "multihop 2; ttl security on;" |
		sed 's/import all; export all;/import none; export none;/'
} >"$RUN/C.bird"
chmod 644 "$RUN"/*.net "$RUN"/*.bird

step "three sandboxed BIRDs start; A-B Established within 10 s"
t0=$(date +%s.%N)
router_start_agent A
mkdir "$RUN/pcap"
chmod 777 "$RUN/pcap"
router_start_agent B --pcap "$RUN/pcap"
router_start_agent C
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

step "every session comes up (B-C both families, A-C multihop with ttl security)"
for rp in B:bc4 B:bc6 C:cb4 C:cb6 A:ac4 C:ca4 B:ba4 B:ba6; do
	wait_state "${rp%%:*}" "${rp#*:}" Established 20 ||
		{ show_router "${rp%%:*}"; fail "${rp#*:} on ${rp%%:*} not Established"; }
done

step "the kernel protocol installs the learned routes; A's own ip sees them"
want_routes() { # NAME PREFIX...: wait until rrctl shows each as proto bird
	local n=$1 p i miss
	shift
	for ((i = 0; i < 50; i++)); do
		rc_ "$n" show routes >"$RUN/$n.routes" 2>&1 || true
		miss=
		for p in "$@"; do
			grep -q "^$p .*proto bird" "$RUN/$n.routes" || miss="$miss $p"
		done
		[ -z "$miss" ] && return 0
		sleep 0.2
	done
	LAST_OUT=$RUN/$n.routes LAST_ERR=
	fail "routes missing from $n's table:$miss"
}
want_routes A 192.168.2.0/24 192.168.3.0/24 10.0.2.0/24 fd99:2::/64 fd99:3::/64 fd00:2::/64
want_routes C 192.168.1.0/24 192.168.2.0/24 10.0.1.0/24 fd99:1::/64 fd99:2::/64
router_exec A 10 "ip route; ip -6 route" || fail "ip route inside A"
grep -q '^192.168.3.0/24 via 10.0.1.2 dev eth0 proto bird' "$RUN/A.job.out" ||
	fail "A's ip route lacks 192.168.3.0/24 via 10.0.1.2 proto bird"
grep -q '^fd99:3::/64 .*dev eth0 proto bird' "$RUN/A.job.out" ||
	fail "A's ip -6 route lacks fd99:3::/64 proto bird"

step "BGP packets carry BIRD's TTL and TOS (B's pcap)"
if command -v tcpdump >/dev/null; then
	# A -> B, ttl security: TTL 255; B -> C, plain single hop eBGP: TTL 1;
	# both TOS 0xc0 (internetwork control), as BIRD sets them.
	tcpdump -n -v -r "$RUN/pcap/eth0.pcap" 'src host 10.0.1.1 and tcp port 179' \
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

step "ping and ping -6 from A reach C's stubs through B"
router_exec A 30 "$WORK/bin/ping -c 3 -i 0.2 -W 2 192.168.3.1 &&
$WORK/bin/ping -6 -c 3 -i 0.2 -W 2 fd99:3::1" ||
	fail "ping from A to C's stub addresses"
grep -q '3 received' "$RUN/A.job.out" || fail "ping: replies missing"

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
[ "${drops:-0}" -gt 0 ] || { LAST_OUT= LAST_ERR=$RUN/C.err; fail "C counted no minimum-TTL drops"; }
for rp in A:ab4 A:ab6 C:cb4 C:cb6; do
	[ "$(proto_state "${rp%%:*}" "${rp#*:}")" = Established ] ||
		{ show_router "${rp%%:*}"; fail "${rp#*:} on ${rp%%:*} dropped meanwhile"; }
done

step "routers stop cleanly on SIGTERM"
for r in A B C; do kill -TERM "${ROUTER_PID[$r]}"; done
for r in A B C; do
	rc=0
	wait_pid 15 "${ROUTER_PID[$r]}" || rc=$?
	[ "$rc" -eq 0 ] || { LAST_OUT=$RUN/$r.out LAST_ERR=$RUN/$r.err; fail "router $r exited with $rc"; }
done
log "PASS"
