#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# bird_kernel.sh - BIRD's kernel, device and direct protocols against the
# sandbox's rtnetlink:
#
#   K: BIRD, `protocol kernel` with learn, scan time 1, debug all     P: sleep
#   eth0 10.0.1.1/24 fd00:1::1/64  =====================  eth0 10.0.1.2 fd00:1::2
#   eth1 10.0.2.1/24 fd00:2::1/64  (stub, no peer)        stub0 172.17.0.1/16
#   static: 172.16/16 via 10.0.1.2 weight 2 + via 10.0.2.2 (ECMP),
#           172.17/16 via 10.0.1.2, 172.18/16 unreachable,
#           fd77::/32 via fd00:1::2 + via fd00:2::2, fd78::/32 via fd00:2::2
#
# Checks: the routes are installed as BIRD exported them (ECMP with
# weights as RTA_MULTIPATH, unreachable, proto bird) and `ip route` inside
# K shows them; BIRD's periodic scans find every route "seen", never
# "updating" (what it reads back is what it wrote); an alien route added
# with `ip route add` inside K is learned; ping from K follows 172.17/16
# to P; `rrctl addr add` and `link del` at runtime are followed by the
# device and direct protocols (a new prefix appears in BIRD, a removed
# device's prefixes and the routes through it go).  A second kernel
# protocol fills table 100 (kernel table 100) with a route carrying
# krt_advmss and krt_realm; a rule sends K's packets from 10.0.2.1 to that
# table, so ping from 10.0.2.1 reaches P's 172.19.0.1 and from 10.0.1.1
# does not (main has no such route).

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/scenario/birdlib.sh
source "$RRS_SCENARIO_DIR/birdlib.sh"
need ping ip
cp /usr/bin/ping "$WORK/bin/ping"
chmod 755 "$WORK/bin/ping"

cat >"$RUN/K.net" <<EOF
link add eth0 type link local $RUN/k0.link remote $RUN/p0.link
link add eth1 type link local $RUN/k1.link remote $RUN/nowhere.link
addr add 10.0.1.1/24 dev eth0
addr add fd00:1::1/64 dev eth0
addr add 10.0.2.1/24 dev eth1
addr add fd00:2::1/64 dev eth1
rule add from 10.0.2.1 table 100 pref 100
EOF
cat >"$RUN/P.net" <<EOF
link add eth0 type link local $RUN/p0.link remote $RUN/k0.link
addr add 10.0.1.2/24 dev eth0
addr add fd00:1::2/64 dev eth0
link add stub0 type link local $RUN/ps.link remote $RUN/nowhere2.link
addr add 172.17.0.1/16 dev stub0
addr add 172.19.0.1/16 dev stub0
route add 10.0.2.0/24 via 10.0.1.1
EOF
cat >"$RUN/K.bird" <<EOF
log "$RUN/K.log" all;
router id 10.0.1.1;
protocol device { scan time 1; }
protocol direct { ipv4; ipv6; }
protocol kernel k4 { ipv4 { import all; export all; }; learn; scan time 1; merge paths on; debug all; }
protocol kernel k6 { ipv6 { import all; export all; }; learn; scan time 1; merge paths on; debug all; }
protocol static s4 {
	ipv4;
	route 172.16.0.0/16 via 10.0.1.2 weight 2 via 10.0.2.2;
	route 172.17.0.0/16 via 10.0.1.2;
	route 172.18.0.0/16 unreachable;
}
protocol static s6 {
	ipv6;
	route fd77::/32 via fd00:1::2 via fd00:2::2;
	route fd78::/32 via fd00:2::2;
}
ipv4 table t100;
protocol kernel k4t { ipv4 { table t100; export all; }; kernel table 100; scan time 1; debug all; }
protocol static s4t {
	ipv4 { table t100; };
	route 172.19.0.0/16 via 10.0.1.2 { krt_advmss = 1360; krt_realm = 5; };
}
EOF
chmod 644 "$RUN"/*.net "$RUN"/*.bird

step "BIRD installs its routes; K's ip shows them as exported"
bg unpriv "$RRS" --no-control -c "$RUN/P.net" -- sleep 120 >"$RUN/P.out" 2>"$RUN/P.err"
router_start_sh K
wait_ctl K
ok=
for ((i = 0; i < 50; i++)); do
	rc_ K show routes >"$RUN/K.routes" 2>&1 || true
	grep -q '^fd78::/32 .*proto bird' "$RUN/K.routes" && ok=1 && break
	sleep 0.2
done
[ -n "$ok" ] || { LAST_OUT=$RUN/K.routes LAST_ERR=; fail "BIRD's routes never reached K's table"; }
router_exec K 10 "ip route; ip -6 route" || fail "ip route inside K"
cp "$RUN/K.job.out" "$RUN/K.ip"
LAST_OUT=$RUN/K.ip LAST_ERR=
tr -s ' \t' ' ' <"$RUN/K.ip" >"$RUN/K.ip1"
grep -q '^172.16.0.0/16 proto bird metric 32 $' "$RUN/K.ip1" ||
	fail "172.16.0.0/16 is not a multipath route of BIRD's"
grep -A2 '^172.16.0.0/16' "$RUN/K.ip1" | grep -q 'nexthop via 10.0.1.2 dev eth0 weight 2' ||
	fail "172.16.0.0/16 lacks nexthop via 10.0.1.2 weight 2"
grep -A2 '^172.16.0.0/16' "$RUN/K.ip1" | grep -q 'nexthop via 10.0.2.2 dev eth1 weight 1' ||
	fail "172.16.0.0/16 lacks nexthop via 10.0.2.2 weight 1"
grep -q '^172.17.0.0/16 via 10.0.1.2 dev eth0 proto bird' "$RUN/K.ip1" || fail "172.17.0.0/16 missing"
grep -q '^unreachable 172.18.0.0/16 proto bird' "$RUN/K.ip1" || fail "unreachable 172.18.0.0/16 missing"
grep -A2 '^fd77::/32' "$RUN/K.ip1" | grep -q 'nexthop via fd00:2::2 dev eth1' ||
	fail "fd77::/32 lacks its second next hop"
grep -q '^fd78::/32 via fd00:2::2 dev eth1 proto bird' "$RUN/K.ip1" || fail "fd78::/32 missing"

step "an alien route added inside K is learned (learn)"
router_exec K 10 "ip route add 192.0.2.0/24 via 10.0.1.9 && ip -6 route add 2001:db8::/32 via fd00:1::9" ||
	fail "ip route add inside K"
for ((i = 0; i < 30; i++)); do
	bc K show route >"$RUN/K.broute" 2>&1 || true
	grep -q '^192.0.2.0/24 .*\[k4 ' "$RUN/K.broute" &&
		grep -q '^2001:db8::/32 .*\[k6 ' "$RUN/K.broute" && break
	sleep 0.2
done
LAST_OUT=$RUN/K.broute LAST_ERR=
grep -q '^192.0.2.0/24 .*\[k4 ' "$RUN/K.broute" || fail "BIRD did not learn 192.0.2.0/24"
grep -q '^2001:db8::/32 .*\[k6 ' "$RUN/K.broute" || fail "BIRD did not learn 2001:db8::/32"

step "scans read back exactly what BIRD wrote (seen, never updating)"
mark=$(wc -l <"$RUN/K.log")
sleep 3.5
tail -n +"$((mark + 1))" "$RUN/K.log" >"$RUN/K.scan"
LAST_OUT=$RUN/K.scan LAST_ERR=
seen=$(grep -c '172.16.0.0/16: seen' "$RUN/K.scan" || true)
[ "$seen" -ge 2 ] || fail "172.16.0.0/16 seen in $seen scans over 3.5 s, want at least 2"
if grep -E ': (updating|deleting|installing)' "$RUN/K.scan" >"$RUN/K.upd"; then
	LAST_OUT=$RUN/K.upd
	fail "BIRD's scans rewrote routes: what it reads back differs from what it installed"
fi

step "ping from K follows BIRD's route to P's stub"
router_exec K 20 "$WORK/bin/ping -c 3 -i 0.2 -W 2 172.17.0.1" || fail "ping 172.17.0.1 from K"

step "BIRD's table 100 and a rule: K's packets from 10.0.2.1 use it"
ok=
for ((i = 0; i < 50; i++)); do
	router_exec K 10 "ip route show table 100" || true
	grep -q '^172.19.0.0/16 ' "$RUN/K.job.out" && ok=1 && break
	sleep 0.2
done
LAST_OUT=$RUN/K.job.out LAST_ERR=
[ -n "$ok" ] || fail "BIRD's route never reached table 100"
tr -s ' \t' ' ' <"$RUN/K.job.out" >"$RUN/K.t100"
LAST_OUT=$RUN/K.t100
grep -q '^172.19.0.0/16 via 10.0.1.2 dev eth0 proto bird .*advmss 1360' "$RUN/K.t100" ||
	fail "table 100's route lacks krt_advmss as advmss 1360"
grep -q 'realm 5' "$RUN/K.t100" || fail "table 100's route lacks krt_realm as realm 5"
router_exec K 10 "ip route get 172.19.0.1 from 10.0.2.1" || fail "ip route get from 10.0.2.1"
LAST_OUT=$RUN/K.job.out
grep -q 'via 10.0.1.2 dev eth0 table 100' "$RUN/K.job.out" ||
	fail "ip route get from 10.0.2.1 did not answer table 100's route"
router_exec K 20 "$WORK/bin/ping -c 2 -i 0.2 -W 2 -I 10.0.2.1 172.19.0.1" ||
	fail "ping from 10.0.2.1 to 172.19.0.1 (the rule's table)"
if router_exec K 10 "$WORK/bin/ping -c 1 -W 1 -I 10.0.1.1 172.19.0.1"; then
	fail "ping from 10.0.1.1 reached 172.19.0.1: main has no route there"
fi
mark=$(wc -l <"$RUN/K.log")
sleep 2.5
tail -n +"$((mark + 1))" "$RUN/K.log" >"$RUN/K.scan100"
LAST_OUT=$RUN/K.scan100
grep -q '172.19.0.0/16: seen' "$RUN/K.scan100" || fail "k4t's scans do not see 172.19.0.0/16"
if grep -E '172.19.0.0/16: (updating|deleting|installing)' "$RUN/K.scan100"; then
	fail "k4t's scans rewrote its route in table 100"
fi
log "ok: table 100 from BIRD, the rule, metrics and scans"

step "device and direct follow runtime changes"
rc_ K addr add fd00:3::1/64 dev eth1 >"$RUN/rc.out" 2>&1 ||
	{ LAST_OUT=$RUN/rc.out; fail "rrctl addr add fd00:3::1/64 dev eth1"; }
for ((i = 0; i < 30; i++)); do
	bc K show route >"$RUN/K.broute" 2>&1 || true
	grep -q '^fd00:3::/64 .*\[direct1 ' "$RUN/K.broute" && break
	sleep 0.2
done
LAST_OUT=$RUN/K.broute LAST_ERR=
grep -q '^fd00:3::/64 .*\[direct1 ' "$RUN/K.broute" || fail "direct did not pick up fd00:3::/64"
rc_ K link del eth1 >"$RUN/rc.out" 2>&1 || { LAST_OUT=$RUN/rc.out; fail "rrctl link del eth1"; }
for ((i = 0; i < 30; i++)); do
	bc K show route >"$RUN/K.broute" 2>&1 || true
	grep -Eq '^(10.0.2.0/24|fd00:3::/64|fd00:2::/64) ' "$RUN/K.broute" || break
	sleep 0.2
done
grep -Eq '^(10.0.2.0/24|fd00:3::/64|fd00:2::/64) ' "$RUN/K.broute" &&
	fail "eth1's prefixes stayed in BIRD after the device was removed"
bc K show route 172.16.0.0/16 all >"$RUN/K.b16" 2>&1 || true
LAST_OUT=$RUN/K.b16
grep -q '10.0.2.2' "$RUN/K.b16" && fail "172.16.0.0/16 still has a next hop through the removed eth1"
router_alive K
log "PASS"
