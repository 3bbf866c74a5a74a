#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# link.sh - two sandboxes on one `link` (an Ethernet segment carried over
# AF_UNIX datagram sockets), set up by `-c FILE`: TCP over IPv4 and IPv6
# from A to B, byte-exact through ARP/ND and both lwIP stacks; `ip addr`,
# `ip link` and `ip route` inside A show A's own devices, addresses and
# routes (rtnetlink); then a third sandbox C changed at runtime with
# rrctl, and what C's own `ip` then sees.
#
#   rrsandbox -c a.conf                       rrsandbox -c b.conf
#   +---------------------------+             +---------------------------+
#   | eth0 10.0.0.1/24 fd00::1  |--a.link/b.link--| eth0 10.0.0.2/24 fd00::2 |
#   | nc -N 10.0.0.2 P   <big   |  ========>  | nc -l 10.0.0.2 P  >recv4  |
#   | nc -N fd00::2 P    <big   |  ========>  | nc -l fd00::2 P   >recv6  |
#   | ip addr/link/route >files |             +---------------------------+
#   +---------------------------+
#   rrsandbox -s c.sock -- sh c.sh   <---- rrctl -s c.sock link/addr/route ...
#   big: 4 MiB random, checked with sha256 on the host

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need nc ip sha256sum

stage_rrctl

head -c 4194304 /dev/urandom >"$RUN/big"
chmod 644 "$RUN/big"

conf() { # NAME LOCAL REMOTE V4 V6
	cat >"$RUN/$1.conf" <<EOF
# sandbox $1
link add eth0 type link local $RUN/$2.link remote $RUN/$3.link
addr add $4/24 dev eth0
addr add $5/64 dev eth0
EOF
}
conf a a b 10.0.0.1 fd00::1
conf b b a 10.0.0.2 fd00::2

inner_script b.sh <<'EOF'
#!/bin/sh
nc -l 10.0.0.2 "$1" </dev/null >recv4 || exit 10
nc -l fd00::2 "$1" </dev/null >recv6 || exit 11
EOF

inner_script a.sh <<'EOF'
#!/bin/sh
# client ADDR PORT: send big, retried while B's listener is not up yet
client() {
	i=0
	while :; do
		if nc -v -N -w 30 "$1" "$2" <big >/dev/null 2>"c.err"; then return 0; fi
		grep -q refused c.err || { cat c.err >&2; return 1; }
		i=$((i + 1))
		[ $i -lt 100 ] || return 1
		sleep 0.1
	done
}
ip -4 addr >ip_addr4 2>&1 || exit 20
ip -6 addr >ip_addr6 2>&1 || exit 21
ip link >ip_link 2>&1 || exit 22
ip route >ip_route4 2>&1 || exit 23
ip -6 route >ip_route6 2>&1 || exit 24
client 10.0.0.2 "$1" || exit 10
client fd00::2 "$1" || exit 11
EOF

port=$(free_port)
step "B then A on one link, TCP port $port"
LAST_OUT=$RUN/b.out LAST_ERR=$RUN/b.err
bg unpriv "$RRS" --no-control -c "$RUN/b.conf" -- sh "$RUN/b.sh" "$port" \
	>"$RUN/b.out" 2>"$RUN/b.err" </dev/null
b=$BG_PID
bg unpriv "$RRS" --no-control -c "$RUN/a.conf" -- sh "$RUN/a.sh" "$port" \
	>"$RUN/a.out" 2>"$RUN/a.err" </dev/null
a=$BG_PID
rc=0
wait_pid 100 "$a" || rc=$?
LAST_OUT=$RUN/c.err LAST_ERR=$RUN/a.err
[ "$rc" -eq 0 ] || fail "sandbox A: status $rc (see a.sh; c.err is the last nc's)"
rc=0
wait_pid 20 "$b" || rc=$?
LAST_OUT=$RUN/b.out LAST_ERR=$RUN/b.err
[ "$rc" -eq 0 ] || fail "sandbox B: status $rc (see b.sh)"
for f in recv4 recv6; do
	[ "$(sha "$RUN/$f")" = "$(sha "$RUN/big")" ] ||
		fail "$f differs from what A sent ($(stat -c %s "$RUN/$f") bytes)"
	log "ok: $f byte-exact over the link"
done

step "what ip shows inside A"
LAST_OUT=$RUN/ip_addr4 LAST_ERR=
expect_line() { # FILE REGEX WHAT
	grep -Eq -- "$2" "$RUN/$1" || { LAST_OUT=$RUN/$1; fail "$3: no line /$2/ in $1"; }
	log "ok: $3"
}
expect_line ip_addr4 'inet 127\.0\.0\.1/8 .*scope host lo' "ip -4 addr: lo"
expect_line ip_addr4 'inet 10\.0\.0\.1/24 .*scope global eth0' "ip -4 addr: eth0"
expect_line ip_addr6 'inet6 ::1/128 scope host' "ip -6 addr: ::1"
expect_line ip_addr6 'inet6 fd00::1/64 scope global' "ip -6 addr: fd00::1"
expect_line ip_addr6 'inet6 fe80::[0-9a-f:]+/64 scope link' "ip -6 addr: link-local"
expect_line ip_link '^1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536' "ip link: lo"
expect_line ip_link '^2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500' "ip link: eth0"
expect_line ip_link 'link/ether [0-9a-f][26ae]:' "ip link: a locally administered unicast MAC"
expect_line ip_route4 '^10\.0\.0\.0/24 dev eth0 proto kernel scope link src 10\.0\.0\.1' "ip route: connected"
expect_line ip_route6 '^fd00::/64 dev eth0 proto kernel metric 256' "ip -6 route: connected"
grep -q 192.168 "$RUN/ip_addr4" "$RUN/ip_route4" &&
	fail "ip inside the sandbox shows a host address"

step "rrctl changes a running sandbox; its programs see it"
inner_script c.sh <<'EOF'
#!/bin/sh
i=0
while [ ! -e go ]; do
	i=$((i + 1))
	[ $i -lt 300 ] || exit 30
	sleep 0.1
done
ip route >c_route 2>&1 || exit 31
ip addr >c_addr 2>&1 || exit 32
EOF
bg unpriv "$RRS" -s "$RUN/c.sock" -- sh "$RUN/c.sh" >"$RUN/c.out" 2>"$RUN/c.err" </dev/null
c=$BG_PID
wait_sock 10 "$RUN/c.sock" || fail "sandbox C made no control socket"
ctl() { # EXPECTED-STATUS ARGS...
	local want=$1 rc=0
	shift
	with_timeout 10 unpriv "$RRCTL" -s "$RUN/c.sock" "$@" >"$RUN/ctl.out" 2>"$RUN/ctl.err" || rc=$?
	LAST_OUT=$RUN/ctl.out LAST_ERR=$RUN/ctl.err
	[ "$rc" -eq "$want" ] || fail "rrctl $*: status $rc, expected $want"
}
ctl 0 link add eth1 type link local "$RUN/c.link" remote "$RUN/d.link"
ctl 0 addr add 10.7.0.1/24 dev eth1
ctl 0 route add 10.8.0.0/16 via 10.7.0.2
ctl 0 route add blackhole 10.9.0.0/16
ctl 0 show routes
grep -q '10.8.0.0/16 via 10.7.0.2 dev eth1' "$RUN/ctl.out" || fail "show routes: no 10.8.0.0/16"
ctl 1 route add 10.10.0.0/16 via 10.99.0.1
grep -q 'route add' "$RUN/ctl.err" || fail "a failed rrctl command does not name itself"
ctl 1 link set eth9 up
rc=0
with_timeout 10 unpriv "$RRCTL" -s "$RUN/nothing.sock" show links 2>"$RUN/ctl.err" || rc=$?
[ "$rc" -eq 2 ] || fail "rrctl to a missing socket: status $rc, expected 2"
touch "$RUN/go"
rc=0
wait_pid 30 "$c" || rc=$?
LAST_OUT=$RUN/c.out LAST_ERR=$RUN/c.err
[ "$rc" -eq 0 ] || fail "sandbox C: status $rc"
expect_line c_route '^10\.8\.0\.0/16 via 10\.7\.0\.2 dev eth1' "ip route in C: rrctl's route"
expect_line c_route '^blackhole 10\.9\.0\.0/16' "ip route in C: the blackhole"
expect_line c_addr 'inet 10\.7\.0\.1/24 .*eth1' "ip addr in C: rrctl's address"
[ ! -e "$RUN/c.sock" ] || fail "C's control socket outlived it"
log "PASS"
