#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# rip.sh - RIPv2 (UDP 520, 224.0.0.9) and RIPng (UDP 521, ff02::9)
# between three sandboxed BIRDs in a line: B runs one RIP socket per
# device, each bound to port 520 (521) and to its device, as BIRD does;
# A learns C's stub prefix through B (metric 3 hops: C's 1, +1 at B, +1
# at A) and pings it from its own stub address, and C learns A's.
#
#   A                         B                          C
#   stub0 10.1.1.1/24         stub0 10.1.2.1/24          stub0 10.1.3.1/24
#         fd01:1::1/64              fd01:2::1/64               fd01:3::1/64
#   eth0 10.0.12.1 ---------- eth0 10.0.12.2
#        fd00:12::1                fd00:12::2
#                             eth1 10.0.23.2 ----------- eth0 10.0.23.3
#                                  fd00:23::2                 fd00:23::3
#
# Timers: update 2 s, timeout 8 s, garbage 10 s.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need bird birdc ip ping

stage_ping

cat >"$RUN/net1.conf" <<EOF
link add eth0 type link local $RUN/ab.link remote $RUN/ba.link
link add stub0 type link local $RUN/stub1.link remote $RUN/nowhere1.link
addr add 10.0.12.1/24 dev eth0
addr add fd00:12::1/64 dev eth0
addr add 10.1.1.1/24 dev stub0
addr add fd01:1::1/64 dev stub0
EOF
cat >"$RUN/net2.conf" <<EOF
link add eth0 type link local $RUN/ba.link remote $RUN/ab.link
link add eth1 type link local $RUN/bc.link remote $RUN/cb.link
link add stub0 type link local $RUN/stub2.link remote $RUN/nowhere2.link
addr add 10.0.12.2/24 dev eth0
addr add fd00:12::2/64 dev eth0
addr add 10.0.23.2/24 dev eth1
addr add fd00:23::2/64 dev eth1
addr add 10.1.2.1/24 dev stub0
addr add fd01:2::1/64 dev stub0
EOF
cat >"$RUN/net3.conf" <<EOF
link add eth0 type link local $RUN/cb.link remote $RUN/bc.link
link add stub0 type link local $RUN/stub3.link remote $RUN/nowhere3.link
addr add 10.0.23.3/24 dev eth0
addr add fd00:23::3/64 dev eth0
addr add 10.1.3.1/24 dev stub0
addr add fd01:3::1/64 dev stub0
EOF
for i in 1 2 3; do
	cat >"$RUN/bird$i.conf" <<EOF
log stderr all;
router id 10.255.0.$i;
protocol device { scan time 10; }
protocol direct { ipv4; ipv6; interface "stub0"; }
protocol kernel k4 { ipv4 { export where source = RTS_RIP; }; }
protocol kernel k6 { ipv6 { export where source = RTS_RIP; }; }
protocol rip r4 {
	ipv4 { import all; export all; };
	interface "eth*" { update time 2; timeout time 8; garbage time 10; };
}
protocol rip ng r6 {
	ipv6 { import all; export all; };
	interface "eth*" { update time 2; timeout time 8; garbage time 10; };
}
EOF
done

# r.sh ID PEER-STUB: BIRD; once the kernel table has the far stub (v4 and
# v6), `ip route` and pings to it; BIRD runs until the host says stop.
inner_script r.sh <<EOF
#!/bin/sh
me=\$1; far=\$2
bird -f -c bird\$me.conf -s $RUN/bird\$me.ctl 2>bird\$me.log &
n=0
until ip -4 route | grep -q "^10.1.\$far.0/24 via .* proto bird" &&
	ip -6 route | grep -q "^fd01:\$far::/64 via fe80::.* proto bird"; do
	n=\$((n + 1)); [ \$n -lt 600 ] || { echo 10 >done\$me; exit 10; }
	sleep 0.1
done
ip -4 route >route4.\$me; ip -6 route >route6.\$me
r=0
n=0	# the far side may not have our route yet: a few tries
until $WORK/bin/ping -c1 -W1 -I 10.1.\$me.1 10.1.\$far.1 >ping4.\$me 2>&1; do
	n=\$((n + 1)); [ \$n -lt 20 ] || { r=11; break; }
done
n=0
until $WORK/bin/ping -6 -c1 -W1 -I fd01:\$me::1 fd01:\$far::1 >ping6.\$me 2>&1; do
	n=\$((n + 1)); [ \$n -lt 20 ] || { r=12; break; }
done
echo \$r >done\$me
while [ ! -e stop ]; do sleep 0.2; done
exit \$r
EOF

step "RIP and RIPng along A - B - C"
start=$SECONDS
bg unpriv "$RRS" --no-control -c "$RUN/net2.conf" -- sh "$RUN/r.sh" 2 1 \
	>"$RUN/s2.out" 2>"$RUN/s2.err" </dev/null
b=$BG_PID
bg unpriv "$RRS" --no-control -c "$RUN/net1.conf" -- sh "$RUN/r.sh" 1 3 \
	>"$RUN/s1.out" 2>"$RUN/s1.err" </dev/null
a=$BG_PID
bg unpriv "$RRS" --no-control -c "$RUN/net3.conf" -- sh "$RUN/r.sh" 3 1 \
	>"$RUN/s3.out" 2>"$RUN/s3.err" </dev/null
c=$BG_PID
for i in 1 3; do
	LAST_OUT=$RUN/bird$i.log LAST_ERR=$RUN/s$i.err
	wait_file 70 "$RUN/done$i" || fail "sandbox $i: no RIP route to the far stub within 70 s"
	[ "$(cat "$RUN/done$i")" = 0 ] || fail "sandbox $i: step failed ($(cat "$RUN/done$i"))"
done
log "learned and pinged in $((SECONDS - start)) s"
sed 's/^/    /' "$RUN/route4.1" "$RUN/route6.1" >&2

step "routes and metrics"
LAST_OUT=$RUN/route4.1 LAST_ERR=
grep -q '^10.1.3.0/24 via 10.0.12.2 dev eth0 proto bird' "$RUN/route4.1" ||
	fail "A: C's stub is not routed via B"
LAST_OUT=$RUN/route4.3
grep -q '^10.1.1.0/24 via 10.0.23.2 dev eth0 proto bird' "$RUN/route4.3" ||
	fail "C: A's stub is not routed via B"
LAST_OUT=$RUN/route6.1
grep -q '^fd01:3::/64 via fe80::.* dev eth0 proto bird' "$RUN/route6.1" ||
	fail "A: C's IPv6 stub is not routed via B"
for p in r4 r6; do
	with_timeout 10 unpriv birdc -s "$RUN/bird1.ctl" show route protocol $p all \
		>"$RUN/show.$p" 2>&1 || fail "birdc show route protocol $p"
	LAST_OUT=$RUN/show.$p
	# BIRD shows the RIP metric as the route's "(120/M)"
	grep -Eq '^(10\.1\.3\.0/24|fd01:3::/64) .*\(120/3\)' "$RUN/show.$p" ||
		fail "A, $p: C's stub is not at RIP metric 3"
done
with_timeout 10 unpriv birdc -s "$RUN/bird2.ctl" show rip interfaces >"$RUN/ifs.2" 2>&1 ||
	fail "birdc show rip interfaces"
LAST_OUT=$RUN/ifs.2
[ "$(grep -c '^eth[01] .*Up' "$RUN/ifs.2")" = 4 ] ||
	fail "B: RIP and RIPng not up on both eth0 and eth1 (one socket per device)"
for i in 1 3; do
	LAST_OUT=$RUN/ping4.$i
	grep -q ' 0% packet loss' "$RUN/ping4.$i" || fail "sandbox $i: no ping to the far stub"
	LAST_OUT=$RUN/ping6.$i
	grep -q ' 0% packet loss' "$RUN/ping6.$i" || fail "sandbox $i: no ping -6 to the far stub"
done
log "ok: A and C reach each other's stubs through B at metric 3, v4 and v6"
touch "$RUN/stop"
for p in "$a" "$b" "$c"; do
	rc=0
	wait_pid 20 "$p" || rc=$?
	[ "$rc" -eq 0 ] || fail "a sandbox exited with status $rc"
done
log "PASS in $((SECONDS - start)) s"
