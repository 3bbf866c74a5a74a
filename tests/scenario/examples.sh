#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# examples.sh - the ready configurations in examples/ stay working: every
# BIRD config there (*.bird) parses with Debian's bird (`bird -p`), every
# rrsandbox network file (*.net) loads (`rrsandbox -c FILE -- true`, in a
# scratch copy of its folder), and the BGP demo `make demo` runs
# (examples/demo-bgp.sh: two BIRDs reach Established, ping across, stop
# cleanly) passes as the unprivileged user; and the DN42-style node
# (examples/dn42-node) peers with its simulated uplink, takes only the
# DN42 networks (not the leaks the uplink also sends), installs them with
# its own address as source, and pings across, over point-to-point
# addresses (`addr add A/32 peer B`) as a DN42 tunnel has them; and the
# OSPF triangle with iBGP on top (examples/ospf-triangle/run.sh) reroutes
# OSPF's and BGP's routes around a removed link without dropping the BGP
# session.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need bird birdc ping ip

repo=$(cd "$RRS_SCENARIO_DIR/../.." && pwd)
stage_rrctl
cp -r "$repo/examples" "$WORK/examples"
chmod -R a+rX "$WORK/examples"

step "every BIRD config in examples/ parses"
n=0
while IFS= read -r f; do
	rel=${f#"$WORK/examples/"}
	( cd "$(dirname "$f")" && with_timeout 10 unpriv bird -p -c "$f" ) \
		>"$RUN/parse.out" 2>&1 || { LAST_OUT=$RUN/parse.out LAST_ERR=; fail "bird -p rejects examples/$rel"; }
	n=$((n + 1))
done < <(find "$WORK/examples" -name '*.bird' | sort)
[ "$n" -gt 0 ] || fail "no *.bird file found under examples/"
log "$n BIRD configs parse"

step "every rrsandbox network file in examples/ loads"
n=0
while IFS= read -r f; do
	rel=${f#"$WORK/examples/"}
	scratch=$RUN/net.$n
	cp -r "$(dirname "$f")" "$scratch"
	chmod -R a+rwX "$scratch"
	( cd "$scratch" && rrs_run 10 "net$n" -c "$scratch/$(basename "$f")" --no-control -- true; [ "$RC" -eq 0 ] ) ||
		fail "rrsandbox -c examples/$rel -- true failed"
	n=$((n + 1))
done < <(find "$WORK/examples" -name '*.net' | sort)
[ "$n" -gt 0 ] || fail "no *.net file found under examples/"
log "$n network files load"

step "the BGP demo (make demo) passes unprivileged"
LAST_OUT=$RUN/demo.out LAST_ERR=$RUN/demo.err
with_timeout 90 unpriv sh "$WORK/examples/demo-bgp.sh" "$RRS" >"$RUN/demo.out" 2>"$RUN/demo.err" ||
	fail "examples/demo-bgp.sh failed"
grep -q 'both routers stopped cleanly' "$RUN/demo.out" || fail "the demo did not finish"
[ "$(grep -c Established "$RUN/demo.out")" -ge 4 ] || fail "the demo showed fewer than 4 Established sessions"
# four pings inside the routers, a fifth through rrctl exec when tcpdump
# is there to show rrctl capture's view of it
pings=4
command -v tcpdump >/dev/null && pings=5
[ "$(grep -c ' 0% packet loss' "$RUN/demo.out")" -eq "$pings" ] &&
	! grep -q ' [1-9][0-9]*% packet loss' "$RUN/demo.out" ||
	fail "the demo's pings lost packets (want $pings without loss)"
if [ "$pings" -eq 5 ]; then
	[ "$(grep -c ': ICMP echo re' "$RUN/demo.out")" -eq 4 ] ||
		fail "the demo's rrctl capture did not show two requests and two replies"
fi
step "the DN42-style node takes DN42 routes only, and pings across"
dn=$RUN/dn42
cp -r "$WORK/examples/dn42-node" "$dn"
cat >"$dn/check.sh" <<'EOF'
#!/bin/sh
# inside the node's sandbox: BIRD, then what it learnt and installed
bird -f -c node.bird -s node.ctl 2>node.log &
i=0
until [ "$(birdc -s node.ctl show protocols 2>/dev/null | grep -c Established)" -eq 2 ]; do
	i=$((i + 1)); [ $i -lt 150 ] || { birdc -s node.ctl show protocols; exit 3; }
	sleep 0.2
done
sleep 1
birdc -s node.ctl show route
ip addr show dev eth0
ip route
ip -6 route
./ping -c 2 -i 0.2 -W 2 172.22.99.1 || exit 4
./ping -6 -c 2 -i 0.2 -W 2 fd42:99::1 || exit 5
# the source a socket takes is the route's krt_prefsrc, as on Linux
python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.connect(("172.22.99.1", 9)); print("source", s.getsockname()[0])'
python3 -c 'import socket; s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); s.connect(("fd42:99::1", 9)); print("source", s.getsockname()[0])'
EOF
cp /usr/bin/ping "$dn/ping"
chmod -R a+rwX "$dn"
cd "$dn"
bg unpriv "$RRS" --no-control -c uplink.net -- bird -f -c uplink.bird -s uplink.ctl \
	>"$RUN/uplink.out" 2>"$RUN/uplink.err"
rrs_run 60 dn42 --no-control -c node.net -- sh ./check.sh
cd "$RUN"
[ "$RC" -eq 0 ] || fail "the DN42 node's check failed (status $RC)"
grep -q '^172.22.99.0/24 .*\[uplink4 ' "$RUN/dn42.out" || fail "the node did not take 172.22.99.0/24"
grep -q '^fd42:99::/64 .*\[uplink6 ' "$RUN/dn42.out" || fail "the node did not take fd42:99::/64"
grep -Eq '^(192.168.50.0/24|8.8.8.0/24|172.20.53.0/28|2001:db8::/32) ' "$RUN/dn42.out" &&
	fail "the node took a route its filters must refuse"
grep -q '^    inet 10.42.0.1 peer 10.42.0.2/32 scope global eth0$' "$RUN/dn42.out" &&
	grep -q '^    inet6 fd42:ffff:53::1 peer fd42:ffff:53::2/128 scope global *$' "$RUN/dn42.out" ||
	fail "eth0 lacks its point-to-point addresses"
grep -q '^10.42.0.2 dev eth0 proto kernel scope link src 10.42.0.1 *$' "$RUN/dn42.out" &&
	grep -q '^fd42:ffff:53::2 dev eth0 proto kernel metric 256 ' "$RUN/dn42.out" ||
	fail "no connected route to eth0's peers"
grep -q '^172.22.99.0/24 via 10.42.0.2 dev eth0 proto bird src 172.20.53.1' "$RUN/dn42.out" ||
	fail "172.22.99.0/24 not installed with the node's own source"
grep -qx 'source 172.20.53.1' "$RUN/dn42.out" ||
	fail "a socket to 172.22.99.1 does not take the route's source 172.20.53.1"
grep -qx 'source fd42:4242:53::1' "$RUN/dn42.out" ||
	fail "a socket to fd42:99::1 does not take the route's source fd42:4242:53::1"
step "the OSPF triangle with iBGP on top reroutes, the session stays"
cd "$RUN"
LAST_OUT=$RUN/tri.out LAST_ERR=$RUN/tri.err
with_timeout 150 unpriv sh "$WORK/examples/ospf-triangle/run.sh" "$RRS" >"$RUN/tri.out" 2>"$RUN/tri.err" ||
	fail "examples/ospf-triangle/run.sh failed"
grep -q "^== B's iBGP session to C stayed up" "$RUN/tri.out" || fail "the triangle did not finish"
log "PASS"
