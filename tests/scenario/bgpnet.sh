# SPDX-License-Identifier: MIT
# shellcheck shell=bash
#
# bgpnet.sh - the three-router eBGP network of bgp.sh, shared with the
# container scenario (tests/container/bgp_profile.sh), sourced after
# lib.sh and birdlib.sh.  It writes the routers' files and checks what
# both scenarios assert; how the routers are started is the caller's.
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
#   bgpnet_write        $RUN/{A,B,C}.net and .bird
#   bgpnet_sessions_up  every session Established within 20 s each
#   bgpnet_routes       the learned routes installed by BIRD's kernel
#                       protocol (rrctl show routes; `ip route` inside A)
#   bgpnet_ping         ping and ping -6 from A to C's stubs through B
#   bgpnet_trace        traceroute (UDP and -I, both families) from A to
#                       C's stubs: B at hop 1, C at hop 2
#
# The routers must be started with router_start_sh (bgpnet_routes,
# bgpnet_ping and bgpnet_trace run commands inside A).

need ping traceroute

cp /usr/bin/ping "$WORK/bin/ping"
chmod 755 "$WORK/bin/ping"

# bgpnet_net_conf NAME "IF LOCAL REMOTE V4 V6"...: one link per argument,
# its endpoints AF_UNIX paths under $RUN (REMOTE "-": a stub with no peer)
bgpnet_net_conf() {
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

# bgpnet_bgp NAME LOCAL NEIGHBOR AS PEER-AS FAMILY [OPTIONS...]
bgpnet_bgp() {
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

# bgpnet_write() - write the three routers' network and BIRD files
bgpnet_write() {
	bgpnet_net_conf A "eth0 ab.link ba.link 10.0.1.1/24 fd00:1::1/64" \
		"eth1 a1.link - 192.168.1.1/24 fd99:1::1/64" >"$RUN/A.net"
	bgpnet_net_conf B "eth0 ba.link ab.link 10.0.1.2/24 fd00:1::2/64" \
		"eth1 bc.link cb.link 10.0.2.1/24 fd00:2::1/64" \
		"eth2 b2.link - 192.168.2.1/24 fd99:2::1/64" >"$RUN/B.net"
	bgpnet_net_conf C "eth0 cb.link bc.link 10.0.2.2/24 fd00:2::2/64" \
		"eth1 c1.link - 192.168.3.1/24 fd99:3::1/64" >"$RUN/C.net"
	{
		bird_conf_head A 10.0.1.1
		bgpnet_bgp ab4 10.0.1.1 10.0.1.2 65001 65002 ipv4 "ttl security on;"
		bgpnet_bgp ab6 fd00:1::1 fd00:1::2 65001 65002 ipv6
		bgpnet_bgp ac4 10.0.1.1 10.0.2.2 65001 65003 ipv4 "multihop 2; ttl security on;" |
			sed 's/import all; export all;/import none; export none;/'
	} >"$RUN/A.bird"
	{
		bird_conf_head B 10.0.1.2
		bgpnet_bgp ba4 10.0.1.2 10.0.1.1 65002 65001 ipv4 "ttl security on;"
		bgpnet_bgp ba6 fd00:1::2 fd00:1::1 65002 65001 ipv6
		bgpnet_bgp bc4 10.0.2.1 10.0.2.2 65002 65003 ipv4
		bgpnet_bgp bc6 fd00:2::1 fd00:2::2 65002 65003 ipv6 "ttl security on;"
	} >"$RUN/B.bird"
	{
		bird_conf_head C 10.0.2.2
		bgpnet_bgp cb4 10.0.2.2 10.0.2.1 65003 65002 ipv4 "passive on;"
		bgpnet_bgp cb6 fd00:2::2 fd00:2::1 65003 65002 ipv6 "ttl security on;"
		bgpnet_bgp ca4 10.0.2.2 10.0.1.1 65003 65001 ipv4 "multihop 2; ttl security on;" |
			sed 's/import all; export all;/import none; export none;/'
	} >"$RUN/C.bird"
	chmod 644 "$RUN"/*.net "$RUN"/*.bird
}

# bgpnet_sessions_up() - fail unless every session reaches Established
bgpnet_sessions_up() {
	local rp
	step "every session comes up (B-C both families, A-C multihop with ttl security)"
	for rp in B:bc4 B:bc6 C:cb4 C:cb6 A:ac4 C:ca4 B:ba4 B:ba6; do
		wait_state "${rp%%:*}" "${rp#*:}" Established 20 ||
			{ show_router "${rp%%:*}"; fail "${rp#*:} on ${rp%%:*} not Established"; }
	done
}

# bgpnet_routes() - fail unless A and C installed what they learnt
bgpnet_routes() {
	step "the kernel protocol installs the learned routes; A's own ip sees them"
	want_routes A 192.168.2.0/24 192.168.3.0/24 10.0.2.0/24 fd99:2::/64 fd99:3::/64 fd00:2::/64
	want_routes C 192.168.1.0/24 192.168.2.0/24 10.0.1.0/24 fd99:1::/64 fd99:2::/64
	router_exec A 10 "ip route; ip -6 route" || fail "ip route inside A"
	grep -q '^192.168.3.0/24 via 10.0.1.2 dev eth0 proto bird' "$RUN/A.job.out" ||
		fail "A's ip route lacks 192.168.3.0/24 via 10.0.1.2 proto bird"
	grep -q '^fd99:3::/64 .*dev eth0 proto bird' "$RUN/A.job.out" ||
		fail "A's ip -6 route lacks fd99:3::/64 proto bird"
}

# bgpnet_ping() - fail unless A pings C's stub addresses along those routes
bgpnet_ping() {
	step "ping and ping -6 from A reach C's stubs through B"
	router_exec A 30 "$WORK/bin/ping -c 3 -i 0.2 -W 2 192.168.3.1 &&
$WORK/bin/ping -6 -c 3 -i 0.2 -W 2 fd99:3::1" ||
		fail "ping from A to C's stub addresses"
	grep -q '3 received' "$RUN/A.job.out" || fail "ping: replies missing"
}

# bgpnet_trace() - fail unless traceroute from A to C's stub addresses
# shows B at hop 1 and C at hop 2, in UDP and ICMP (-I) modes, IPv4 and
# IPv6.  The probes reach C on eth0 for an address of its eth1: C must
# answer a UDP probe to any of its addresses with port unreachable, and
# A's sockets must say POLLERR for the errors queued (netstack/errq.c).
bgpnet_trace() {
	local t f b c
	step "traceroute (UDP, -I; -4, -6) from A to C's stubs: B, then C"
	router_exec A 60 "traceroute -n -q1 -w2 -m5 192.168.3.1 >trace.u4 &&
traceroute -I -n -q1 -w2 -m5 192.168.3.1 >trace.i4 &&
traceroute -6 -n -q1 -w2 -m5 fd99:3::1 >trace.u6 &&
traceroute -6 -I -n -q1 -w2 -m5 fd99:3::1 >trace.i6" ||
		fail "traceroute from A to C's stubs"
	for t in "u4 10.0.1.2 192.168.3.1" "i4 10.0.1.2 192.168.3.1" \
		 "u6 fd00:1::2 fd99:3::1" "i6 fd00:1::2 fd99:3::1"; do
		read -r f b c <<<"$t"
		LAST_OUT=$RUN/trace.$f LAST_ERR=''
		grep -Eq "^ *1 +$b " "$LAST_OUT" || fail "traceroute $f: hop 1 is not B ($b)"
		grep -Eq "^ *2 +$c " "$LAST_OUT" || fail "traceroute $f: hop 2 is not C ($c)"
		! grep -Eq '^ *3 ' "$LAST_OUT" || fail "traceroute $f: went on past C"
	done
	log "ok: traceroute UDP and -I, IPv4 and IPv6: B at hop 1, C at hop 2"
}
