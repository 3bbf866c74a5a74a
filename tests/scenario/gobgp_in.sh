#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# gobgp_in.sh - a second BGP implementation inside a sandbox: GoBGP's
# gobgpd (a Go program: many threads, its own system-call layer, epoll in
# edge-triggered mode, gRPC over the sandbox's loopback for its CLI) in
# sandbox A peers with BIRD in sandbox B over IPv4 and IPv6 on a link.
# Each announces a stub address on its lo; B's kernel protocol installs
# A's, and B's pings to it follow the route, answered by A's stack (gobgpd
# installs no routes: A answers through its connected ones).
# Hold time 3 s, keepalive 1 s: no session may drop while the test runs.
# A route gobgpd withdraws leaves B's table.
#
#   A: gobgpd AS 65001 (job runner)         B: BIRD AS 65002 (job runner)
#   lo 203.0.113.1/32 2001:db8:200::1/128   lo 198.51.100.1/32 2001:db8:100::1/128
#   eth0 10.0.1.1/24 fd00:1::1/64  ======  eth0 10.0.1.2/24 fd00:1::2/64

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/scenario/birdlib.sh
source "$RRS_SCENARIO_DIR/birdlib.sh"
need gobgpd gobgp ip ping
stage_ping

cat >"$RUN/a.net" <<EOF
link add eth0 type link local $RUN/a.link remote $RUN/b.link
addr add 10.0.1.1/24 dev eth0
addr add fd00:1::1/64 dev eth0
addr add 203.0.113.1/32 dev lo
addr add 2001:db8:200::1/128 dev lo
EOF
cat >"$RUN/b.net" <<EOF
link add eth0 type link local $RUN/b.link remote $RUN/a.link
addr add 10.0.1.2/24 dev eth0
addr add fd00:1::2/64 dev eth0
addr add 198.51.100.1/32 dev lo
addr add 2001:db8:100::1/128 dev lo
EOF
cat >"$RUN/a.toml" <<EOF
[global.config]
  as = 65001
  router-id = "10.0.1.1"
  local-address-list = ["10.0.1.1", "fd00:1::1"]
[[neighbors]]
  [neighbors.config]
    neighbor-address = "10.0.1.2"
    peer-as = 65002
  [neighbors.timers.config]
    connect-retry = 1
    hold-time = 3
    keepalive-interval = 1
[[neighbors]]
  [neighbors.config]
    neighbor-address = "fd00:1::2"
    peer-as = 65002
  [neighbors.timers.config]
    connect-retry = 1
    hold-time = 3
    keepalive-interval = 1
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv6-unicast"
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
EOF
} >"$RUN/b.bird"
chmod 644 "$RUN"/*.net "$RUN/a.toml" "$RUN/b.bird"

# gobgpd.sh: gobgpd, and beside it the job runner of birdlib's router.sh
inner_script gobgpd.sh <<'EOF'
#!/bin/sh
gobgpd -f a.toml -t toml >a.gobgpd.log 2>&1 &
g=$!
trap 'kill $g 2>/dev/null; exit 0' TERM INT
while kill -0 $g 2>/dev/null; do
	if [ -f a.job ]; then
		mv a.job a.job.run
		sh a.job.run >a.job.out 2>&1
		echo $? >a.job.tmp && mv a.job.tmp a.job.rc
	fi
	sleep 0.2
done
wait $g
EOF

log "start router a (gobgpd with a job runner)"
# shellcheck disable=SC2086
bg unpriv "${RRS_WRAP[@]}" "$RRS" ${RRS_OPTS:-} -s "$RUN/a.rrs" -c "$RUN/a.net" -- \
	sh "$RUN/gobgpd.sh" >"$RUN/a.out" 2>"$RUN/a.err"
ROUTER_PID[a]=$BG_PID
router_start_sh b
wait_ctl b

step "gobgpd in A and BIRD in B reach Established on IPv4 and IPv6"
for p in p4 p6; do
	wait_state b $p Established 20 || { show_router b; fail "B's $p not Established"; }
done
since b >"$RUN/b.since0"
router_exec a 20 "for i in \$(seq 50); do gobgp neighbor >/dev/null 2>&1 && break; sleep 0.2; done
gobgp global rib add 203.0.113.1/32 -a ipv4 &&
gobgp global rib add 2001:db8:200::1/128 -a ipv6 && gobgp neighbor" ||
	fail "gobgp CLI in A (through gRPC on A's loopback)"
if ! grep -Eq '^10\.0\.1\.2 +65002 .*Establ' "$RUN/a.job.out" ||
	! grep -Eq '^fd00:1::2 +65002 .*Establ' "$RUN/a.job.out"; then
	fail "gobgpd's own view: both neighbours Established"
fi
log "ok: both sessions Established, gobgpd's view and BIRD's"

step "routes both ways: B installs A's stubs, A holds B's"
for ((i = 0; i < 50; i++)); do
	router_exec b 10 "ip route show 203.0.113.1/32; ip -6 route show 2001:db8:200::1/128" || true
	grep -q "via 10.0.1.1 dev eth0 proto bird" "$RUN/b.job.out" &&
		grep -q "via fd00:1::1 dev eth0 proto bird" "$RUN/b.job.out" && break
	sleep 0.2
done
grep -q "via 10.0.1.1 dev eth0 proto bird" "$RUN/b.job.out" ||
	fail "B's table lacks 203.0.113.1/32 via 10.0.1.1 from gobgpd"
grep -q "via fd00:1::1 dev eth0 proto bird" "$RUN/b.job.out" ||
	fail "B's table lacks 2001:db8:200::1/128 via fd00:1::1 from gobgpd"
log "ok: B installed both of A's stubs"
router_exec a 20 "gobgp global rib -a ipv4; gobgp global rib -a ipv6" ||
	fail "gobgp global rib in A"
grep -Eq '198\.51\.100\.1/32 +10\.0\.1\.2 +65002' "$RUN/a.job.out" ||
	fail "gobgpd lacks 198.51.100.1/32 from BIRD"
grep -Eq '2001:db8:100::1/128 +fd00:1::2 +65002' "$RUN/a.job.out" ||
	fail "gobgpd lacks 2001:db8:100::1/128 from BIRD"
log "ok: gobgpd holds both of B's stubs"

step "B pings A's stubs along the routes gobgpd announced"
# from B's link addresses: gobgpd installs no routes, so A answers
# through its connected routes (as a Linux host running gobgpd alone)
router_exec b 20 "$PING -c 3 -W 2 203.0.113.1 && $PING -6 -c 3 -W 2 2001:db8:200::1" ||
	fail "pings from B to A's stubs"
log "ok: 3 + 3 replies"

step "sessions hold for 8 s under hold time 3 s; a withdrawal reaches B"
sleep 8
router_exec a 20 "gobgp global rib del 203.0.113.1/32 -a ipv4" ||
	fail "gobgp global rib del in A"
for ((i = 0; i < 50; i++)); do
	router_exec b 10 "ip route show 203.0.113.1/32" || true
	[ ! -s "$RUN/b.job.out" ] && break
	sleep 0.2
done
[ ! -s "$RUN/b.job.out" ] || fail "B still has 203.0.113.1/32 after gobgpd withdrew it"
log "ok: withdrawn"
since b >"$RUN/b.since1"
same_since "$RUN/b.since0" "$RUN/b.since1" 2 || {
	show_router b
	fail "a session changed state: before '$(tr '\n' ' ' <"$RUN/b.since0")', after '$(tr '\n' ' ' <"$RUN/b.since1")'"
}
for p in p4 p6; do
	[ "$(proto_state b $p)" = Established ] || fail "B's $p is no longer Established"
done
log "ok: no session changed state"
router_alive a
router_alive b
log "PASS"
