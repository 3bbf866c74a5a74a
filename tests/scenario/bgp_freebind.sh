#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# bgp_freebind.sh - BIRD's `strict bind; free bind;` listens on an address
# the sandbox does not hold yet (IP_FREEBIND, IPV6_FREEBIND), and the
# session comes up once the address is added at runtime.
#
#   A (A.net)                                  B (B.net)
#   eth0 10.0.1.1/24  fd00:1::1/64  ==link==   eth0 10.0.1.2/24  fd00:1::2/64
#   BIRD: p4 to 10.0.1.22, p6 to fd00:1::22    BIRD: p4 local 10.0.1.22,
#                                                    p6 local fd00:1::22,
#                                                    passive, strict bind,
#                                                    free bind
#
# B's BIRD binds its listening sockets to 10.0.1.22 and fd00:1::22 at
# start, before any device has them: without IP_FREEBIND at work the bind
# fails ("Cannot open listening socket", EADDRNOTAVAIL) and the sessions
# never come up, as on Linux without `free bind`.  Then `rrctl addr add`
# gives B both addresses; A's next tries (connect retry 1 s) reach B's
# listeners and both sessions are Established within 20 s.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/scenario/birdlib.sh
source "$RRS_SCENARIO_DIR/birdlib.sh"

for n in A B; do
	i=1 p=2
	[ $n = B ] && i=2 p=1
	cat >"$RUN/$n.net" <<EOF
link add eth0 type link local $RUN/l$i.sock remote $RUN/l$p.sock
addr add 10.0.1.$i/24 dev eth0
addr add fd00:1::$i/64 dev eth0
EOF
	bird_conf_head "$n" "10.0.1.$i" >"$RUN/$n.bird"
done
for f in 4 6; do
	if [ $f = 4 ]; then a=10.0.1.1 b=10.0.1.22; else a=fd00:1::1 b=fd00:1::22; fi
	cat >>"$RUN/A.bird" <<EOF
protocol bgp p$f {
	local $a as 65001; neighbor $b as 65002;
	hold time 6; keepalive time 2; connect retry time 1;
	connect delay time 1; error wait time 1, 2;
	ipv$f { import all; export all; };
}
EOF
	cat >>"$RUN/B.bird" <<EOF
protocol bgp p$f {
	local $b as 65002; neighbor $a as 65001;
	passive; strict bind; free bind;
	hold time 6; keepalive time 2;
	ipv$f { import all; export all; };
}
EOF
done
chmod 644 "$RUN/A.net" "$RUN/B.net" "$RUN/A.bird" "$RUN/B.bird"

step "B's BIRD listens on addresses it does not hold yet"
router_start A
router_start B
wait_ctl A
wait_ctl B
sleep 2
for p in p4 p6; do
	s=$(proto_state A $p)
	[ "$s" != Established ] || fail "A's $p Established before B holds its address"
done
rc_ B show addrs >"$RUN/B.addrs" 2>&1 || true
LAST_OUT=$RUN/B.addrs LAST_ERR=
grep -q "^inet 10\.0\.1\.2/24 " "$RUN/B.addrs" || fail "rrctl show addrs: no 10.0.1.2 on B"
! grep -q "10\.0\.1\.22/\|fd00:1::22/" "$RUN/B.addrs" || fail "B holds the address already"
LAST_OUT='' LAST_ERR=''
log "ok: B runs without 10.0.1.22 and fd00:1::22; A's sessions wait"

step "the addresses come; both sessions come up on B's early listeners"
rc_ B addr add 10.0.1.22/24 dev eth0 || fail "rrctl addr add 10.0.1.22"
rc_ B addr add fd00:1::22/64 dev eth0 || fail "rrctl addr add fd00:1::22"
for p in p4 p6; do
	wait_state A $p Established 20 ||
		{ show_router A; show_router B; fail "A's $p not Established after B got its address"; }
	wait_state B $p Established 5 ||
		{ show_router A; show_router B; fail "B's $p not Established"; }
done
if grep -qi "cannot open listening socket\|Address not available\|Cannot assign" "$RUN/B.log"; then
	LAST_OUT=$RUN/B.log LAST_ERR=
	fail "B's BIRD could not bind its listening sockets"
fi
log "ok: p4 and p6 Established; B's BIRD logged no bind error"

routers_stop A B
log "PASS"
