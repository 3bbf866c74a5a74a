#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# uplink_bgp.sh - a BGP daemon on the host (GoBGP's gobgpd, a second BGP
# implementation, not BIRD) peers with sandboxed BIRDs through the host
# uplink: with A over A's own outbound connection (the fast path), with B
# through a port B publishes.  Routes go both ways: gobgpd's
# 203.0.113.0/24 reaches both BIRDs, and each BIRD's static prefix reaches
# gobgpd, which passes it on to the other.
#
#   host: gobgpd AS 65001, 127.0.0.1:G (passive for 127.0.0.1),
#         connects to 127.0.0.2:HP for 127.0.0.2
#        ^                                   |
#        | 10.0.2.2:G = host 127.0.0.1:G     | -p 127.0.0.2:HP:179
#   +----|------------------------+   +------v------------------------+
#   | A: rrsandbox --uplink       |   | B: rrsandbox -p ...           |
#   |    --uplink-allow 127.0.0.1 |   |    bird: AS 65003, passive,   |
#   |    bird: AS 65002, connects |   |    neighbor 10.0.2.2          |
#   |    198.51.100.0/24          |   |    198.51.100.128/25          |
#   +-----------------------------+   +-------------------------------+

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/scenario/birdlib.sh
source "$RRS_SCENARIO_DIR/birdlib.sh"
need gobgpd gobgp

G=$(free_port)
API=$(free_port)
HP=$(free_port)
cat >"$RUN/gobgp.toml" <<EOF
[global.config]
  as = 65001
  router-id = "192.0.2.1"
  port = $G
  local-address-list = ["127.0.0.1"]

[[neighbors]]
  [neighbors.config]
    neighbor-address = "127.0.0.1"
    peer-as = 65002
  [neighbors.transport.config]
    passive-mode = true
  [neighbors.ebgp-multihop.config]
    enabled = true
    multihop-ttl = 10
  [neighbors.timers.config]
    connect-retry = 1
    hold-time = 9
    keepalive-interval = 3

[[neighbors]]
  [neighbors.config]
    neighbor-address = "127.0.0.2"
    peer-as = 65003
  [neighbors.transport.config]
    remote-port = $HP
    local-address = "127.0.0.1"
  [neighbors.ebgp-multihop.config]
    enabled = true
    multihop-ttl = 10
  [neighbors.timers.config]
    connect-retry = 1
    hold-time = 9
    keepalive-interval = 3
EOF
chmod a+r "$RUN/gobgp.toml"
gb() {
	with_timeout 10 unpriv gobgp -u 127.0.0.1 -p "$API" "$@"
}

bg unpriv gobgpd -f "$RUN/gobgp.toml" -t toml --api-hosts "127.0.0.1:$API" \
	>"$RUN/gobgpd.out" 2>"$RUN/gobgpd.err" </dev/null
gobgpd_pid=$BG_PID
LAST_OUT=$RUN/gobgpd.out LAST_ERR=$RUN/gobgpd.err
for _ in $(seq 1 50); do
	gb neighbor >/dev/null 2>&1 && break
	sleep 0.2
done
gb global rib add 203.0.113.0/24 -a ipv4 >/dev/null ||
	fail "gobgpd did not start (its API on 127.0.0.1:$API)"

for n in a b; do
	: >"$RUN/$n.net"
done
cat >"$RUN/a.bird" <<EOF
router id 10.0.2.15;
protocol device {}
protocol static { ipv4; route 198.51.100.0/24 blackhole; }
protocol bgp up {
	local as 65002;
	neighbor 10.0.2.2 port $G as 65001;
	multihop;
	hold time 9;
	connect retry time 1;
	ipv4 { import all; export where proto = "static1"; };
}
EOF
cat >"$RUN/b.bird" <<EOF
router id 10.0.2.16;
protocol device {}
protocol static { ipv4; route 198.51.100.128/25 blackhole; }
protocol bgp pub {
	local as 65003;
	neighbor 10.0.2.2 as 65001;
	passive;
	multihop;
	hold time 9;
	ipv4 { import all; export where proto = "static1"; };
}
EOF
router_start a --uplink --uplink-allow 127.0.0.1/32
router_start b -p "127.0.0.2:$HP:179"

step "both sessions reach Established"
ok=
for _ in $(seq 1 100); do
	if [ "$(proto_state a up)" = Established ] &&
		[ "$(proto_state b pub)" = Established ]; then
		ok=1
		break
	fi
	sleep 0.2
done
gb neighbor >"$RUN/neigh.txt" 2>&1 || true
LAST_OUT=$RUN/neigh.txt LAST_ERR=$RUN/gobgpd.err
[ -n "$ok" ] || fail "BGP with gobgpd did not establish (A: $(proto_state a up), B: $(proto_state b pub))"
grep -qE '^127\.0\.0\.1 +65002 .*Establ' "$RUN/neigh.txt" ||
	fail "gobgpd does not show A (127.0.0.1, AS 65002) Established"
grep -qE '^127\.0\.0\.2 +65003 .*Establ' "$RUN/neigh.txt" ||
	fail "gobgpd does not show B (127.0.0.2, AS 65003) Established"

step "routes both ways"
have_route() {	# name prefix as: BIRD on NAME has PREFIX with AS in its path
	local i
	for ((i = 0; i < 50; i++)); do
		bc "$1" show route "$2" all 2>/dev/null | grep -q "BGP.as_path: .*$3" &&
			return 0
		sleep 0.2
	done
	return 1
}
have_route a 203.0.113.0/24 65001 || fail "A did not learn gobgpd's 203.0.113.0/24"
have_route b 203.0.113.0/24 65001 || fail "B did not learn gobgpd's 203.0.113.0/24"
have_route b 198.51.100.0/24 "65001 65002" ||
	fail "B did not learn A's prefix through gobgpd"
have_route a 198.51.100.128/25 "65001 65003" ||
	fail "A did not learn B's prefix through gobgpd"
gb global rib -a ipv4 >"$RUN/rib.txt" 2>&1 || true
LAST_OUT=$RUN/rib.txt
grep -qE '198\.51\.100\.0/24 +10\.0\.2\.15 +65002 ' "$RUN/rib.txt" ||
	fail "gobgpd has no 198.51.100.0/24 from A (next hop 10.0.2.15, AS 65002)"
grep -qE '198\.51\.100\.128/25 +[0-9.]+ +65003 ' "$RUN/rib.txt" ||
	fail "gobgpd has no 198.51.100.128/25 from B (AS 65003)"

step "what each side sees"
bc b show protocols all pub >"$RUN/b.proto" 2>&1 || true
LAST_OUT=$RUN/b.proto
grep -q "Neighbor address: 10.0.2.2" "$RUN/b.proto" ||
	fail "B does not see gobgpd as the uplink's gateway"
rc_ b show uplink >"$RUN/b.uplink" 2>&1 || fail "rrctl show uplink on B failed"
LAST_OUT=$RUN/b.uplink
grep -qE "^publish 127\.0\.0\.2:$HP:179/tcp accepted [1-9]" "$RUN/b.uplink" ||
	fail "B's published port counted no connection"
router_alive a
router_alive b
pid_alive "$gobgpd_pid" || fail "gobgpd exited"
log "ok"
