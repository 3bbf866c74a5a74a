#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# frr.sh - FRR's zebra, bgpd, ospfd, ospf6d and bfdd in sandbox A peer
# with BIRD in sandbox B: BGP over IPv4 and IPv6, OSPFv2 (ospfd sends its
# packets with IP_HDRINCL), OSPFv3 and a BFD session (bfdd opens an
# AF_PACKET socket for echo mode at start), on a link.  zebra reads the
# sandbox's interfaces and addresses over rtnetlink and installs what
# bgpd learns into the sandbox's table, as on a Linux router, on nexthop
# objects it makes (RTM_NEWNEXTHOP; `ip route` shows nhid N); its
# listening netlink socket carries a classic BPF filter (SO_ATTACH_FILTER)
# that drops what its own command socket caused, so zebra must never take
# its own route changes for another program's ("think we have originated"
# in its kernel debug log, which Linux never shows there).
#
# FRR insists on capabilities at start (lib/privs.c), which an ordinary
# user lacks: tests/progs/nocap.so, preloaded, lets that step pass (the
# sandbox needs none).  Hold time 3 s, keepalive 1 s: no session may drop.
#
#   A: zebra, bgpd AS 65001, ospfd          B: BIRD AS 65002, OSPF area 0
#   lo 203.0.113.1/32 2001:db8:200::1/128   lo 198.51.100.1/32 2001:db8:100::1/128
#   lo 203.0.113.2/32 (OSPF external)       lo 198.51.100.2/32 (OSPF external)
#   lo 2001:db8:200::2/128 (OSPFv3 ext.)    lo 2001:db8:100::2/128 (OSPFv3 ext.)
#   eth0 10.0.1.1/24 fd00:1::1/64  ======  eth0 10.0.1.2/24 fd00:1::2/64

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/scenario/birdlib.sh
source "$RRS_SCENARIO_DIR/birdlib.sh"
need ip ping vtysh
FRR=/usr/lib/frr
for d in zebra bgpd ospfd ospf6d bfdd; do
	[ -x "$FRR/$d" ] || skip "FRR's $d not found in $FRR (Debian package frr)"
done
getent group frrvty >/dev/null || skip "no group frrvty (Debian package frr makes it)"
SHIM=$PROGS/nocap.so
[ -f "$SHIM" ] || fail "nocap.so not found in $PROGS (build it, or set RRS_PROGS)"
stage_ping

cat >"$RUN/a.net" <<EOF
link add eth0 type link local $RUN/a.link remote $RUN/b.link
addr add 10.0.1.1/24 dev eth0
addr add fd00:1::1/64 dev eth0
addr add 203.0.113.1/32 dev lo
addr add 203.0.113.2/32 dev lo
addr add 2001:db8:200::1/128 dev lo
addr add 2001:db8:200::2/128 dev lo
EOF
cat >"$RUN/b.net" <<EOF
link add eth0 type link local $RUN/b.link remote $RUN/a.link
addr add 10.0.1.2/24 dev eth0
addr add fd00:1::2/64 dev eth0
addr add 198.51.100.1/32 dev lo
addr add 198.51.100.2/32 dev lo
addr add 2001:db8:100::1/128 dev lo
addr add 2001:db8:100::2/128 dev lo
EOF
cat >"$RUN/zebra.conf" <<EOF
hostname a
log file $RUN/a.zebra.log debugging
debug zebra kernel
debug zebra events
EOF
cat >"$RUN/bgpd.conf" <<EOF
hostname a
log file $RUN/a.bgpd.log debugging
router bgp 65001
 bgp router-id 10.0.1.1
 no bgp ebgp-requires-policy
 no bgp default ipv4-unicast
 neighbor 10.0.1.2 remote-as 65002
 neighbor 10.0.1.2 timers 1 3
 neighbor 10.0.1.2 timers connect 1
 neighbor fd00:1::2 remote-as 65002
 neighbor fd00:1::2 timers 1 3
 neighbor fd00:1::2 timers connect 1
 address-family ipv4 unicast
  network 203.0.113.1/32
  neighbor 10.0.1.2 activate
 exit-address-family
 address-family ipv6 unicast
  network 2001:db8:200::1/128
  neighbor fd00:1::2 activate
 exit-address-family
EOF
cat >"$RUN/ospfd.conf" <<EOF
hostname a
log file $RUN/a.ospfd.log debugging
interface eth0
 ip ospf hello-interval 1
 ip ospf dead-interval 4
router ospf
 ospf router-id 10.0.1.1
 network 10.0.1.0/24 area 0
 redistribute connected route-map stub2
route-map stub2 permit 10
 match ip address prefix-list stub2
ip prefix-list stub2 seq 5 permit 203.0.113.2/32
EOF
cat >"$RUN/bfdd.conf" <<EOF
hostname a
log file $RUN/a.bfdd.log debugging
bfd
 peer 10.0.1.2 interface eth0
  receive-interval 200
  transmit-interval 200
 !
!
EOF
cat >"$RUN/ospf6d.conf" <<EOF
hostname a
log file $RUN/a.ospf6d.log debugging
interface eth0
 ipv6 ospf6 area 0
 ipv6 ospf6 hello-interval 1
 ipv6 ospf6 dead-interval 4
router ospf6
 ospf6 router-id 10.0.1.1
 redistribute connected route-map stub2v6
route-map stub2v6 permit 10
 match ipv6 address prefix-list stub2v6
ipv6 prefix-list stub2v6 seq 5 permit 2001:db8:200::2/128
EOF
{
	bird_conf_head b 10.0.1.2
	cat <<EOF
protocol bgp p4 {
	local 10.0.1.2 as 65002; neighbor 10.0.1.1 as 65001;
	hold time 3; keepalive time 1; connect retry time 1;
	ipv4 { import all; export where net = 198.51.100.1/32; };
}
protocol bgp p6 {
	local fd00:1::2 as 65002; neighbor fd00:1::1 as 65001;
	hold time 3; keepalive time 1; connect retry time 1;
	ipv6 { import all; export where net = 2001:db8:100::1/128; };
}
protocol ospf v3 o6 {
	ipv6 { import all; export where net = 2001:db8:100::2/128; };
	area 0 { interface "eth0" { type broadcast; hello 1; dead 4; }; };
}
protocol bfd {
	interface "eth0" { min rx interval 200 ms; min tx interval 200 ms; };
	neighbor 10.0.1.1 dev "eth0";
}
protocol ospf v2 o4 {
	ipv4 { import all; export where net = 198.51.100.2/32; };
	area 0 { interface "eth0" { type broadcast; hello 1; dead 4; }; };
}
EOF
} >"$RUN/b.bird"
mkdir "$RUN/a.vty"
chmod 644 "$RUN"/*.net "$RUN"/*.conf "$RUN/b.bird"
chmod 777 "$RUN/a.vty"

# frr.sh: zebra and bgpd as the sandbox's user, and beside them the job
# runner of birdlib's router.sh
inner_script frr.sh <<'EOF'
#!/bin/sh
shim=$1
me=$(id -un)
o="-u $me -g frrvty --vty_socket a.vty -P 0"
LD_PRELOAD=$shim /usr/lib/frr/zebra $o -f zebra.conf -i a.zebra.pid \
	-z a.zserv --log file:a.zebra.early.log >a.zebra.out 2>&1 &
z=$!
i=0
while [ ! -S a.zserv ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
LD_PRELOAD=$shim /usr/lib/frr/bgpd $o -f bgpd.conf -i a.bgpd.pid \
	-z a.zserv --log file:a.bgpd.early.log >a.bgpd.out 2>&1 &
b=$!
LD_PRELOAD=$shim /usr/lib/frr/ospfd $o -f ospfd.conf -i a.ospfd.pid \
	-z a.zserv --log file:a.ospfd.early.log >a.ospfd.out 2>&1 &
f=$!
LD_PRELOAD=$shim /usr/lib/frr/ospf6d $o -f ospf6d.conf -i a.ospf6d.pid \
	-z a.zserv --log file:a.ospf6d.early.log >a.ospf6d.out 2>&1 &
g=$!
LD_PRELOAD=$shim /usr/lib/frr/bfdd $o -f bfdd.conf -i a.bfdd.pid \
	-z a.zserv --bfdctl a.bfdctl --log file:a.bfdd.early.log >a.bfdd.out 2>&1 &
h=$!
trap 'kill $z $b $f $g $h 2>/dev/null; exit 0' TERM INT
while kill -0 $z 2>/dev/null && kill -0 $b 2>/dev/null && kill -0 $f 2>/dev/null &&
	kill -0 $g 2>/dev/null && kill -0 $h 2>/dev/null; do
	if [ -f a.job ]; then
		mv a.job a.job.run
		sh a.job.run >a.job.out 2>&1
		echo $? >a.job.tmp && mv a.job.tmp a.job.rc
	fi
	sleep 0.2
done
kill $z $b $f $g $h 2>/dev/null
exit 1
EOF

log "start router a (zebra and bgpd with a job runner)"
# shellcheck disable=SC2086
bg unpriv "${RRS_WRAP[@]}" "$RRS" ${RRS_OPTS:-} -s "$RUN/a.rrs" -c "$RUN/a.net" -- \
	sh "$RUN/frr.sh" "$SHIM" >"$RUN/a.out" 2>"$RUN/a.err"
ROUTER_PID[a]=$BG_PID
router_start_sh b
wait_ctl b

# show_frr() - what zebra and bgpd logged, for a failure
show_frr() {
	local f
	for f in a.zebra.out a.bgpd.out a.ospfd.out a.ospf6d.out a.bfdd.out \
		a.zebra.early.log a.bgpd.early.log a.ospfd.early.log a.ospf6d.early.log \
		a.bfdd.early.log; do
		[ -s "$RUN/$f" ] && tail -n 15 "$RUN/$f" | sed "s/^/$f: /" >&2
	done
	return 0
}

# route_in() - run a snippet in a router until its output has a line
# matching an extended regex, 20 s at most
# @1: router  @2: snippet  @3: regex
route_in() {
	local i
	for ((i = 0; i < 100; i++)); do
		router_exec "$1" 10 "$2" || true
		grep -Eq "$3" "$RUN/$1.job.out" && return 0
		sleep 0.2
	done
	return 1
}

# ospf_full() - wait until B's OSPF protocol has a Full neighbour, 20 s
# at most
# @1: the protocol
ospf_full() {
	local i
	for ((i = 0; i < 100; i++)); do
		birdc -s "$RUN/b.ctl" show ospf neighbors "$1" 2>/dev/null | grep -q "Full" &&
			return 0
		sleep 0.2
	done
	birdc -s "$RUN/b.ctl" show ospf neighbors "$1" >&2 || true
	return 1
}

step "bgpd in A and BIRD in B reach Established on IPv4 and IPv6"
for p in p4 p6; do
	wait_state b $p Established 30 || { show_router b; show_frr; fail "B's $p not Established"; }
done
since b >"$RUN/b.since0"
log "ok: both sessions Established"

step "zebra installs B's stubs into A's table; B installs A's"
# zebra finds nexthop objects (RTM_GETNEXTHOP answers) and installs its
# routes on them: `nhid N`, the object a gateway on eth0
route_in a "ip route show 198.51.100.1/32" "nhid [0-9]+ via 10.0.1.2 dev eth0 proto bgp" ||
	{ show_frr; fail "A's table lacks 198.51.100.1/32 nhid N via 10.0.1.2 proto bgp"; }
route_in a "ip -6 route show 2001:db8:100::1/128" "nhid [0-9]+ via fe80:[0-9a-f:]+ dev eth0 proto bgp" ||
	{ show_frr; fail "A's table lacks 2001:db8:100::1/128 nhid N proto bgp"; }
nhid=$(grep -Eo "nhid [0-9]+" "$RUN/a.job.out" | cut -d' ' -f2)
route_in a "ip -6 nexthop show id $nhid" "^id $nhid via fe80:[0-9a-f:]+ dev eth0 scope link proto zebra" ||
	{ show_frr; fail "A has no nexthop object $nhid of zebra's"; }
route_in b "ip route show 203.0.113.1/32" "via 10.0.1.1 dev eth0 proto bird" ||
	fail "B's table lacks 203.0.113.1/32 via 10.0.1.1 from bgpd"
route_in b "ip -6 route show 2001:db8:200::1/128" "via fd00:1::1 dev eth0 proto bird" ||
	fail "B's table lacks 2001:db8:200::1/128 via fd00:1::1 from bgpd"
log "ok: each side installed the other's stubs"

step "zebra's view: its interfaces, addresses and BGP routes (vtysh)"
router_exec a 20 "vtysh --vty_socket a.vty -c 'show interface eth0' -c 'show ip route bgp' -c 'show ipv6 route bgp'" ||
	{ cat "$RUN/a.job.out" >&2; fail "vtysh in A"; }
for re in '^Interface eth0 is up' 'inet 10\.0\.1\.1/24' 'inet6 fd00:1::1/64' \
	'^B>\* 198\.51\.100\.1/32 \[20/0\] via 10\.0\.1\.2, eth0' \
	'^B>\* 2001:db8:100::1/128 \[20/0\] via f[de][0-9a-f:]*, eth0'; do
	grep -Eq "$re" "$RUN/a.job.out" ||
		{ cat "$RUN/a.job.out" >&2; fail "vtysh in A: no line matching '$re'"; }
done
log "ok: eth0 up with both addresses, both BGP routes selected and installed"

step "pings along the routes: A from its stubs to B's, B to A's"
router_exec a 20 "$PING -c 2 -W 2 -I 203.0.113.1 198.51.100.1 && $PING -6 -c 2 -W 2 -I 2001:db8:200::1 2001:db8:100::1" ||
	{ cat "$RUN/a.job.out" >&2; fail "pings from A's stubs"; }
router_exec b 20 "$PING -c 2 -W 2 -I 198.51.100.1 203.0.113.1 && $PING -6 -c 2 -W 2 -I 2001:db8:100::1 2001:db8:200::1" ||
	{ cat "$RUN/b.job.out" >&2; fail "pings from B's stubs"; }
log "ok: 2 + 2 replies each way"

step "ospfd in A and BIRD's OSPF in B: a full adjacency, external routes both ways"
# ospfd sends with IP_HDRINCL (its own IPv4 header) on a raw socket of
# protocol 89, to 224.0.0.5 and to the neighbour
ospf_full o4 || { show_frr; fail "B's OSPF neighbour 10.0.1.1 not Full"; }
route_in a "ip route show 198.51.100.2/32" "via 10.0.1.2 dev eth0 proto ospf" ||
	{ show_frr; fail "A's table lacks 198.51.100.2/32 via 10.0.1.2 proto ospf"; }
route_in b "ip route show 203.0.113.2/32" "via 10.0.1.1 dev eth0 proto bird" ||
	{ show_frr; fail "B's table lacks 203.0.113.2/32 via 10.0.1.1 from ospfd"; }
router_exec a 20 "$PING -c 2 -W 2 -I 203.0.113.2 198.51.100.2" ||
	{ cat "$RUN/a.job.out" >&2; fail "ping between the OSPF stubs"; }
log "ok: Full, each side routes the other's OSPF stub, 2 replies"

step "ospf6d in A and BIRD's OSPFv3 in B: a full adjacency, external routes both ways"
ospf_full o6 || { show_frr; fail "B's OSPFv3 neighbour not Full"; }
route_in a "ip -6 route show 2001:db8:100::2/128" "via fe80:.* dev eth0 proto ospf" ||
	{ show_frr; fail "A's table lacks 2001:db8:100::2/128 proto ospf"; }
route_in b "ip -6 route show 2001:db8:200::2/128" "dev eth0 proto bird" ||
	{ show_frr; fail "B's table lacks 2001:db8:200::2/128 from ospf6d"; }
router_exec a 20 "$PING -6 -c 2 -W 2 -I 2001:db8:200::2 2001:db8:100::2" ||
	{ cat "$RUN/a.job.out" >&2; fail "ping between the OSPFv3 stubs"; }
log "ok: Full, each side routes the other's OSPFv3 stub, 2 replies"

step "B withdraws its IPv4 stub: zebra removes it from A's table"
birdc -s "$RUN/b.ctl" disable p4 >/dev/null
for ((i = 0; i < 50; i++)); do
	router_exec a 10 "ip route show 198.51.100.1/32" || true
	[ ! -s "$RUN/a.job.out" ] && break
	sleep 0.2
done
[ ! -s "$RUN/a.job.out" ] || fail "A still routes 198.51.100.1/32 after B's p4 went down"
birdc -s "$RUN/b.ctl" enable p4 >/dev/null
wait_state b p4 Established 30 || { show_frr; fail "p4 not Established again"; }
route_in a "ip route show 198.51.100.1/32" "proto bgp" ||
	fail "198.51.100.1/32 not back in A's table"
log "ok: withdrawn, then back"

step "zebra never took its own route changes for another program's, nor got an error"
# zebra logs this (debug zebra kernel) when a route notification reaches
# its listening socket that its filter should have dropped
if grep -q "think we have originated" "$RUN"/a.zebra*.log; then
	grep -m5 "think we have originated" "$RUN"/a.zebra*.log >&2
	fail "zebra saw its own route changes: its netlink socket filter did not run"
fi
# nor was any of its requests refused (ospfd has it ask for its
# neighbours' resolution: RTM_NEWNEIGH with NTF_USE, every second)
if grep -Eq "netlink-[a-z]+ \(NS 0\) error" "$RUN"/a.zebra*.log; then
	grep -E -m5 -B2 "netlink-[a-z]+ \(NS 0\) error" "$RUN"/a.zebra.early.log >&2
	fail "the sandbox refused a request of zebra's"
fi
grep -q "RTM_NEWROUTE" "$RUN"/a.zebra*.log ||
	fail "zebra's kernel debug log shows no RTM_NEWROUTE at all: the check above proves nothing"
log "ok: $(grep -c "RTM_NEWROUTE" "$RUN"/a.zebra.early.log) RTM_NEWROUTE lines, none of them its own taken for another's"
step "bfdd in A and BIRD's BFD in B: the session is up on both sides"
bfd_up=0
for ((i = 0; i < 100; i++)); do
	if bc b show bfd sessions 2>/dev/null | awk '$1 == "10.0.1.1" { print $3 }' | grep -qx Up; then
		bfd_up=1
		break
	fi
	sleep 0.2
done
[ "$bfd_up" = 1 ] || { bc b show bfd sessions >&2 || true; show_frr; fail "B's BFD session to 10.0.1.1 is not Up"; }
route_in a "vtysh --vty_socket a.vty -c 'show bfd peers'" 'Status: up' ||
	{ cat "$RUN/a.job.out" >&2; show_frr; fail "bfdd in A: the peer 10.0.1.2 is not up"; }
log "ok: BFD up both ways ($(grep -m1 'Uptime' "$RUN/a.job.out" | sed 's/^ *//'))"
since b >"$RUN/b.since1"
[ "$(proto_state b p6)" = Established ] || fail "B's p6 is no longer Established"
same_since <(grep p6 "$RUN/b.since0") <(grep p6 "$RUN/b.since1") 1 ||
	fail "p6 changed state while p4 was disabled and enabled"
router_alive a
router_alive b
log "PASS"
