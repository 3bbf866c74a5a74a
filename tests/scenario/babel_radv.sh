#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# babel_radv.sh - two sandboxed BIRDs on one link: Babel (UDP 6696 on
# ff02::1:6) exchanges their stub prefixes, IPv4 and IPv6, into each
# other's kernel tables; A's BIRD also runs RAdv (raw ICMPv6 with
# ICMP6_FILTER, ff02::2 joined), and B's pcap tap shows its router
# advertisements to ff02::1 with hop limit 255 and the prefix.
#
#   A: eth0 10.0.0.1 fd00::1  ============  B: eth0 10.0.0.2 fd00::2
#      stub0 10.1.1.1/24 fd01:1::1/64          stub0 10.1.2.1/24 fd01:2::1/64
#      babel, radv (prefix fd00::/64)          babel; --pcap

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need bird birdc ip tcpdump

for i in 1 2; do
	j=$((3 - i))
	cat >"$RUN/net$i.conf" <<EOF
link add eth0 type link local $RUN/l$i.link remote $RUN/l$j.link
link add stub0 type link local $RUN/stub$i.link remote $RUN/nowhere$i.link
addr add 10.0.0.$i/24 dev eth0
addr add fd00::$i/64 dev eth0
addr add 10.1.$i.1/24 dev stub0
addr add fd01:$i::1/64 dev stub0
EOF
	cat >"$RUN/bird$i.conf" <<EOF
log stderr all;
router id 10.0.0.$i;
protocol device { scan time 10; }
protocol direct { ipv4; ipv6; interface "stub0"; }
protocol kernel k4 { ipv4 { export where source = RTS_BABEL; }; }
protocol kernel k6 { ipv6 { export where source = RTS_BABEL; }; }
protocol babel {
	ipv4 { import all; export all; };
	ipv6 { import all; export all; };
	interface "eth0" { type wired; hello interval 1 s; };
}
EOF
done
cat >>"$RUN/bird1.conf" <<EOF
protocol radv { interface "eth0" { max ra interval 4; prefix fd00::/64; }; }
EOF
mkdir "$RUN/pcap"
chmod 777 "$RUN/pcap"

# r.sh ID FAR: BIRD; once the far stub is in the kernel table (v4, v6),
# `ip route` into a file; BIRD runs until the host says stop.
inner_script r.sh <<EOF
#!/bin/sh
me=\$1; far=\$2
bird -f -c bird\$me.conf -s $RUN/bird\$me.ctl 2>bird\$me.log &
n=0
until ip -4 route | grep -q "^10.1.\$far.0/24 via 10.0.0.\$far dev eth0 proto bird" &&
	ip -6 route | grep -q "^fd01:\$far::/64 via fe80::.* dev eth0 proto bird"; do
	n=\$((n + 1)); [ \$n -lt 600 ] || { echo 10 >done\$me; exit 10; }
	sleep 0.1
done
ip -4 route >route4.\$me; ip -6 route >route6.\$me
echo 0 >done\$me
while [ ! -e stop ]; do sleep 0.2; done
EOF

step "Babel between A and B; RAdv from A"
start=$SECONDS
bg unpriv "$RRS" --no-control -c "$RUN/net1.conf" -- sh "$RUN/r.sh" 1 2 \
	>"$RUN/s1.out" 2>"$RUN/s1.err" </dev/null
a=$BG_PID
bg unpriv "$RRS" --no-control --pcap "$RUN/pcap" -c "$RUN/net2.conf" -- sh "$RUN/r.sh" 2 1 \
	>"$RUN/s2.out" 2>"$RUN/s2.err" </dev/null
b=$BG_PID
for i in 1 2; do
	LAST_OUT=$RUN/bird$i.log LAST_ERR=$RUN/s$i.err
	wait_file 60 "$RUN/done$i" || fail "sandbox $i: no Babel route to the far stub within 60 s"
	[ "$(cat "$RUN/done$i")" = 0 ] || fail "sandbox $i: step failed"
done
log "ok: Babel routes to the far stubs in both kernel tables after $((SECONDS - start)) s"
sed 's/^/    /' "$RUN/route4.2" "$RUN/route6.2" >&2
with_timeout 10 unpriv birdc -s "$RUN/bird2.ctl" show babel neighbors >"$RUN/nbr" 2>&1 ||
	fail "birdc show babel neighbors"
LAST_OUT=$RUN/nbr LAST_ERR=
grep -Eq '^fe80::[0-9a-f:]+ +eth0 ' "$RUN/nbr" || fail "B: A is no Babel neighbor on eth0"
# at most 4 s between advertisements: wait for one after the start
sleep 5
touch "$RUN/stop"
for p in "$a" "$b"; do
	rc=0
	wait_pid 20 "$p" || rc=$?
	[ "$rc" -eq 0 ] || fail "a sandbox exited with status $rc"
done
tcpdump -r "$RUN/pcap/eth0.pcap" -n -v 'icmp6 and ip6[40] = 134' >"$RUN/ra" 2>/dev/null || true
LAST_OUT=$RUN/ra
grep -q 'hlim 255, .* > ff02::1: .*router advertisement' "$RUN/ra" ||
	fail "B saw no router advertisement to ff02::1 with hop limit 255"
grep -q 'prefix info option .*fd00::/64' "$RUN/ra" || fail "the advertisements carry no fd00::/64"
log "ok: $(grep -c 'router advertisement' "$RUN/ra") router advertisements from A's RAdv with fd00::/64"
log "PASS in $((SECONDS - start)) s"
