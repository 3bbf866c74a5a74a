#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# dummy.sh - dummy devices, as a router uses them to hold its own
# addresses: made inside the sandbox with `ip link add NAME type dummy`
# (rtnetlink) and from outside with `rrctl link add NAME type dummy`.
#
#   A: eth0 10.0.0.1/24 fd00::1/64; makes lo1 itself (down, then up),
#      10.255.0.1/32 and fd00:ff::1/128 on it, 198.51.100.0/24 dev lo1,
#      and a TCP server on 10.255.0.1
#   B: eth0 10.0.0.2/24 fd00::2/64; routes to those through A
#
# Checked: A's new lo1 shows as Linux's dummy (`ip -d link`: kind dummy,
# <BROADCAST,NOARP>, down, then state UNKNOWN with an fe80:: address once
# up), a second `ip link add` of it says "File exists"; a name with %d,
# added or set, takes the first free number (rn0, rn1, rn0 renamed rn2),
# two %d are refused; from B, pings to
# both addresses and TCP to the server on lo1 are answered, while pings
# routed into lo1 (198.51.100.7) are not, and lo1 counts them as sent;
# rrctl adds lo2 (up at once) and deletes lo1, after which its address
# answers no more; B makes dummies until it holds 250 devices, and the
# next one is refused (lwIP numbers its interfaces in 8 bits).

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need ping nc ip

stage_rrctl
stage_ping

cat >"$RUN/a.conf" <<EOF
link add eth0 type link local $RUN/a0.link remote $RUN/b0.link
addr add 10.0.0.1/24 dev eth0
addr add fd00::1/64 dev eth0
EOF
cat >"$RUN/b.conf" <<EOF
link add eth0 type link local $RUN/b0.link remote $RUN/a0.link
addr add 10.0.0.2/24 dev eth0
addr add fd00::2/64 dev eth0
route add 10.255.0.1/32 via 10.0.0.1
route add fd00:ff::/64 via fd00::1
route add 198.51.100.0/24 via 10.0.0.1
EOF

inner_script a.sh <<'EOF'
#!/bin/sh
# a.sh PORT: lo1 made and set up by the program itself
ip link add lo1 type dummy && echo "add ok" || echo "add FAILED"
ip link add lo1 type dummy 2>&1 | sed 's/^/again: /'
ip -d link show lo1 >down.txt 2>&1
# names with %d: the first free number, the renamed device's own taken
ip link add rn%d type dummy && ip link add rn%d type dummy
ip link set rn0 name rn%d
ip link set rn1 name rn%d%d 2>&1 | sed 's/^/two: /'
echo "pattern names: $(ip -o link | awk -F': ' '$2 ~ /^rn/ { printf "%s ", $2 }')"
ip link del rn1 && ip link del rn2
ip link set lo1 up
ip addr add 10.255.0.1/32 dev lo1
ip addr add fd00:ff::1/128 dev lo1
ip route add 198.51.100.0/24 dev lo1
ip -d link show lo1 >up.txt 2>&1
ip -6 addr show dev lo1 >>up.txt 2>&1
nc -k -l 10.255.0.1 "$1" </dev/null >tcp.recv 2>tcp.err &
echo ready >ready
sleep 60
EOF
inner_script b.sh <<'EOF'
#!/bin/sh
# b.sh PORT PING RRCTL ASOCK
p=$1 ping=$2 rrctl=$3 asock=$4
i=0
until [ -e ready ] || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
for ip in 10.255.0.1 fd00:ff::1; do
	"$ping" -n -c 2 -i 0.2 -W 2 $ip >/dev/null 2>&1 && echo "ping $ip ok" || echo "ping $ip FAILED"
done
echo "to lo1" | nc -N -w 3 10.255.0.1 "$p" && echo "tcp ok" || echo "tcp FAILED"
"$rrctl" -s "$asock" show links | sed 's/^/A0: /'
"$ping" -n -c 3 -i 0.2 -W 1 198.51.100.7 >/dev/null 2>&1 && echo "into lo1 answered" || echo "into lo1 unanswered"
"$rrctl" -s "$asock" show links | sed 's/^/A1: /'
"$rrctl" -s "$asock" link add lo2 type dummy && echo "lo2 added"
"$rrctl" -s "$asock" link del lo1 && echo "lo1 deleted"
"$rrctl" -s "$asock" show links | sed 's/^/A2: /'
"$ping" -n -c 1 -W 1 10.255.0.1 >/dev/null 2>&1 && echo "after: answered" || echo "after: unanswered"
# B's own: dummies until the sandbox is full
i=0
while [ $i -lt 300 ]; do
	ip link add "d$i" type dummy 2>err.txt || break
	i=$((i + 1))
done
echo "made $i: $(cat err.txt)"
echo "devices $(ip -o link | wc -l)"
ip link del d0 && ip link add again type dummy && echo "room again"
exit 0
EOF

port=$(free_port)
# shellcheck disable=SC2217 # bg runs the command, whose stdin this is
bg unpriv "$RRS" -s "$RUN/a.rrs" -c "$RUN/a.conf" -- sh "$RUN/a.sh" "$port" \
	>"$RUN/a.out" 2>"$RUN/a.err" </dev/null
a=$BG_PID
wait_sock 10 "$RUN/a.rrs" "$a" || {
	LAST_OUT=$RUN/a.out LAST_ERR=$RUN/a.err
	pid_alive "$a" || fail "A ended at start"
	fail "A did not start"
}
rrs_run 60 b --no-control -c "$RUN/b.conf" -- sh "$RUN/b.sh" "$port" \
	"$WORK/bin/ping" "$RRCTL" "$RUN/a.rrs"
expect_rc 0 "B's checks"
kill "$a" 2>/dev/null || true
wait "$a" 2>/dev/null || true

out=$LAST_OUT
check() { # TEXT WHAT
	grep -qxF -- "$1" "$out" || fail "$2 (no line '$1')"
}
step "ip link add lo1 type dummy, inside the sandbox"
grep -qxF "add ok" "$RUN/a.out" || { LAST_OUT=$RUN/a.out; fail "A's ip link add failed"; }
grep -q '^again: .*File exists' "$RUN/a.out" ||
	{ LAST_OUT=$RUN/a.out; fail "a second ip link add of lo1 did not say File exists"; }
# listed by ifindex: rn2 was rn0, made first
grep -qxF "pattern names: rn2 rn1 " "$RUN/a.out" ||
	{ LAST_OUT=$RUN/a.out; fail "ip link add/set name rn%d did not make rn0, rn1, then rename rn0 to rn2"; }
grep -q '^two: .*Invalid argument' "$RUN/a.out" ||
	{ LAST_OUT=$RUN/a.out; fail "a name with two %d was not refused with EINVAL"; }
LAST_OUT=$RUN/down.txt
grep -q ': lo1: <BROADCAST,NOARP> .* state DOWN ' "$RUN/down.txt" || fail "new lo1 not <BROADCAST,NOARP> and DOWN"
grep -q '^ *link/ether ' "$RUN/down.txt" || fail "lo1 has no Ethernet address"
grep -qw dummy "$RUN/down.txt" || fail "ip -d link does not show kind dummy"
LAST_OUT=$RUN/up.txt
grep -q ': lo1: <BROADCAST,NOARP,UP,LOWER_UP> .* state UNKNOWN ' "$RUN/up.txt" ||
	fail "lo1 up is not <BROADCAST,NOARP,UP,LOWER_UP> state UNKNOWN"
grep -q 'inet6 fe80::.*/64 scope link' "$RUN/up.txt" || fail "lo1 up has no link-local address"
grep -q 'inet6 fd00:ff::1/128 scope global' "$RUN/up.txt" || fail "fd00:ff::1 not on lo1"

LAST_OUT=$out
step "its addresses answer across the link, its routes go nowhere"
check "ping 10.255.0.1 ok" "ping from B to 10.255.0.1 on A's lo1"
check "ping fd00:ff::1 ok" "ping from B to fd00:ff::1 on A's lo1"
check "tcp ok" "TCP from B to the server on 10.255.0.1"
grep -qx "to lo1" "$RUN/tcp.recv" || { LAST_OUT=$RUN/tcp.recv; fail "A's server on lo1 got nothing"; }
check "into lo1 unanswered" "pings routed into lo1 were answered"
# lo1's TX packets in the `show links` lines tagged $1
lo1_tx() {
	awk -v t="$1:" '$1 == t && $3 == "lo1:" { f = 1; next }
		f && $1 == t && /TX: packets/ { for (i = 1; i < NF; i++) if ($i == "TX:") print $(i + 2); exit }' "$out"
}
tx0=$(lo1_tx A0) tx1=$(lo1_tx A1)
if [ -z "$tx0" ] || [ -z "$tx1" ]; then
	fail "no TX count of lo1 in rrctl show links"
fi
[ $((tx1 - tx0)) -ge 3 ] || fail "lo1 counted $((tx1 - tx0)) packets sent, want the 3 pings routed into it"

step "rrctl link add/del of dummies"
check "lo2 added" "rrctl link add lo2 type dummy"
grep -q '^A2: [0-9]*: lo2: <BROADCAST,NOARP,UP,LOWER_UP> mtu 1500 state UNKNOWN' "$out" ||
	fail "rrctl's lo2 is not up as a dummy"
check "lo1 deleted" "rrctl link del lo1"
grep -q '^A2: [0-9]*: lo1:' "$out" && fail "lo1 still listed after its deletion"
check "after: unanswered" "10.255.0.1 still answered after lo1 went"

step "a sandbox holds 250 devices"
# lo and eth0, then 248 dummies; the next one is refused, nothing hangs
check "made 248: Error: too many devices (250)." "the 249th dummy"
check "devices 250" "devices listed when full"
check "room again" "a dummy after one was deleted"
log "PASS"
