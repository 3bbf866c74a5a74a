#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# ospf_triangle.sh - three sandboxed BIRDs on a triangle of point-to-point
# links (OSPFv2 and OSPFv3, interface type ptp): they converge, each
# router's stub prefix is routed over the direct link; then
# `rrctl link del eth1` on B removes the B-C link at runtime and B's
# routes to C's stub move to the path through A within a bounded time, and
# ping follows them.
#
#                 A  stub0 10.1.1.1/24 fd01:1::1/64
#          eth0 /   \ eth1
#   10.0.12.1  /     \  10.0.13.1
#   fd00:12::1/       \ fd00:13::1
#             /        \
#   10.0.12.2/          \ 10.0.13.3
#   fd00:12::2           \ fd00:13::3
#      eth0 /             \ eth1
#          B ------------- C
#  stub0 10.1.2.1   eth1    eth0   stub0 10.1.3.1
#  fd01:2::1  10.0.23.2   10.0.23.3     fd01:3::1
#             fd00:23::2  fd00:23::3
#                  ^ removed with rrctl on B
#
# Timers: hello 1 s, dead 4 s; every link cost 10.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need bird birdc ip ping

stage_rrctl
stage_ping

# net ID LINK0 PEER0 NET0 LINK1 PEER1 NET1: a router's devices
net() {
	cat <<EOF
link add eth0 type link local $RUN/$2.link remote $RUN/$3.link
link add eth1 type link local $RUN/$5.link remote $RUN/$6.link
link add stub0 type link local $RUN/stub$1.link remote $RUN/nowhere$1.link
addr add 10.0.$4.$1/24 dev eth0
addr add fd00:$4::$1/64 dev eth0
addr add 10.0.$7.$1/24 dev eth1
addr add fd00:$7::$1/64 dev eth1
addr add 10.1.$1.1/24 dev stub0
addr add fd01:$1::1/64 dev stub0
EOF
}
net 1 ab ba 12 ac ca 13 >"$RUN/net1.conf"
net 2 ba ab 12 bc cb 23 >"$RUN/net2.conf"
net 3 cb bc 23 ca ac 13 >"$RUN/net3.conf"

for i in 1 2 3; do
	cat >"$RUN/bird$i.conf" <<EOF
log stderr all;
router id 10.255.0.$i;
protocol device { scan time 10; }
protocol kernel k4 { ipv4 { export all; }; }
protocol kernel k6 { ipv6 { export all; }; }
protocol ospf v2 o4 {
	ipv4 { import all; export none; };
	area 0 {
		interface "eth*" { type ptp; hello 1; dead 4; cost 10; };
		interface "stub0" { stub; };
	};
}
protocol ospf v3 o6 {
	ipv6 { import all; export none; };
	area 0 {
		interface "eth*" { type ptp; hello 1; dead 4; cost 10; };
		interface "stub0" { stub; };
	};
}
EOF
done

# r.sh ID STEPS: BIRD, then the steps (functions below) in order; BIRD
# runs until the host says stop.  Each step's result goes to a file.
inner_script r.sh <<EOF
#!/bin/sh
me=\$1; shift
bird -f -c bird\$me.conf -s $RUN/bird\$me.ctl 2>bird\$me.log &
# wait_route FAMILY PATTERN TENTHS: until \`ip route\` has a line matching
wait_route() {
	n=0
	until ip "\$1" route | grep -q "\$2"; do
		n=\$((n + 1)); [ \$n -lt "\$3" ] || return 1
		sleep 0.1
	done
}
pingok() { # ADDR [-6]: one echo answered, within \$TRIES tries (20)
	n=0
	until $WORK/bin/ping \$2 -c1 -W1 "\$1" >/dev/null 2>&1; do
		n=\$((n + 1)); [ \$n -lt "\${TRIES:-20}" ] || return 1
	done
}
case \$me in
2)	# B: both stubs over the direct links
	wait_route -4 '^10.1.1.0/24 via 10.0.12.1 dev eth0 proto bird' 600 || exit 10
	wait_route -4 '^10.1.3.0/24 via 10.0.23.3 dev eth1 proto bird' 600 || exit 11
	wait_route -6 '^fd01:3::/64 via fe80::.* dev eth1 proto bird' 600 || exit 12
	ip -4 route >route4.before; ip -6 route >route6.before
	pingok 10.1.3.1 || exit 13
	pingok fd01:3::1 -6 || exit 14
	echo 1 >converged
	while [ ! -e deleted ]; do sleep 0.1; done
	t0=\$(date +%s%N)
	# C's stub, now through A: eth0
	wait_route -4 '^10.1.3.0/24 via 10.0.12.1 dev eth0 proto bird' 300 || exit 20
	t1=\$(date +%s%N)
	wait_route -6 '^fd01:3::/64 via fe80::.* dev eth0 proto bird' 300 || exit 21
	t2=\$(date +%s%N)
	echo "\$(( (t1 - t0) / 1000000 )) \$(( (t2 - t0) / 1000000 ))" >reroute.ms
	ip -4 route >route4.after; ip -6 route >route6.after
	# the replies come back once C has dropped B (dead 4 s) and its SPF
	# ran (OSPFv3 may wait out MinLSInterval, 5 s, on a loaded machine)
	TRIES=45
	pingok 10.1.3.1 || exit 22
	pingok fd01:3::1 -6 || exit 23
	t3=\$(date +%s%N)
	echo "\$(( (t3 - t0) / 1000000 ))" >ping.ms
	echo 1 >done
	;;
esac
while [ ! -e stop ]; do sleep 0.2; done
EOF

step "triangle converges"
start=$SECONDS
pids=()
for i in 1 3 2; do
	ctl=(-s "$RUN/s$i.sock")
	[ $i = 2 ] && ctl=(-s "$RUN/b.sock")
	bg unpriv "$RRS" "${ctl[@]}" -c "$RUN/net$i.conf" -- sh "$RUN/r.sh" "$i" \
		>"$RUN/s$i.out" 2>"$RUN/s$i.err" </dev/null
	pids+=("$BG_PID")
done
b=${pids[2]}
LAST_OUT=$RUN/bird2.log LAST_ERR=$RUN/s2.err
if ! wait_file 70 "$RUN/converged"; then
	pid_alive "$b" || { rc=0; wait "$b" || rc=$?; fail "B's steps failed (status $rc)"; }
	fail "B: no direct routes to A's and C's stubs within 70 s"
fi
log "converged in $((SECONDS - start)) s"
for f in route4.before route6.before; do LAST_OUT=$RUN/$f; sed 's/^/    /' "$RUN/$f" >&2; done
with_timeout 10 unpriv birdc -s "$RUN/bird2.ctl" show ospf neighbors >"$RUN/nbr.before" 2>&1 ||
	fail "birdc show ospf neighbors"
LAST_OUT=$RUN/nbr.before
[ "$(grep -c $'\tFull/PtP' "$RUN/nbr.before")" = 4 ] ||
	fail "B: not four Full/PtP neighbors (A and C, OSPFv2 and v3)"
log "ok: B has A and C as Full/PtP neighbors, v2 and v3"

step "rrctl -s b.sock link del eth1 (B-C)"
with_timeout 10 unpriv "$RRCTL" -s "$RUN/b.sock" link del eth1 >"$RUN/ctl.out" 2>&1 ||
	{ LAST_OUT=$RUN/ctl.out; fail "rrctl link del eth1"; }
touch "$RUN/deleted"
LAST_OUT=$RUN/bird2.log
# what the three routers hold, for a failure's post-mortem
dump_tables() {
	local i
	for i in 1 3; do
		log "---- router $i after the removal: rrctl show routes; OSPFv3"
		with_timeout 10 unpriv "$RRCTL" -s "$RUN/s$i.sock" show routes 2>&1 |
			grep -E 'fd0|10\.' | sed 's/^/    /' >&2 || true
		with_timeout 10 unpriv birdc -s "$RUN/bird$i.ctl" show ospf neighbors o6 2>&1 |
			sed 's/^/    /' >&2 || true
		grep -v 'Started' "$RUN/bird$i.log" 2>/dev/null | tail -n 8 | sed 's/^/    /' >&2 || true
	done
	for f in route6.after; do [ -f "$RUN/$f" ] && sed 's/^/    B /' "$RUN/$f" >&2; done
}
if ! wait_file 100 "$RUN/done"; then
	dump_tables
	pid_alive "$b" || { rc=0; wait "$b" || rc=$?; fail "B's steps after the link removal failed (status $rc)"; }
	fail "B: no reroute and pings within 100 s"
fi
read -r r4 r6 <"$RUN/reroute.ms"
log "ok: B's routes to C's stub via A after ${r4} ms (IPv4), ${r6} ms (IPv6); pings through A after $(cat "$RUN/ping.ms") ms"
for f in route4.after route6.after; do sed 's/^/    /' "$RUN/$f" >&2; done
LAST_OUT=$RUN/route4.after
grep -q 'dev eth1' "$RUN/route4.after" && fail "B still has IPv4 routes on the removed eth1"
with_timeout 10 unpriv birdc -s "$RUN/bird2.ctl" show ospf neighbors >"$RUN/nbr.after" 2>&1 ||
	fail "birdc show ospf neighbors"
LAST_OUT=$RUN/nbr.after
[ "$(grep -c $'\tFull/PtP' "$RUN/nbr.after")" = 2 ] ||
	fail "B: not two Full/PtP neighbors (A only) after the removal"
log "ok: B keeps A only as neighbor"
touch "$RUN/stop"
for p in "${pids[@]}"; do
	rc=0
	wait_pid 20 "$p" || rc=$?
	[ "$rc" -eq 0 ] || fail "a sandbox exited with status $rc"
done
log "PASS in $((SECONDS - start)) s"
