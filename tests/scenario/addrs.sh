#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# addrs.sh - several IPv4 addresses on a device, and a router's /32 on lo,
# used across a link as on Linux: they answer ARP and pings, take bound
# sockets, are chosen as sources by the subnet of the next hop, and a
# primary's deletion takes its secondary with it.  And eight IPv6 /128s
# on lo (lwIP held 4 addresses per device, ::1 among them).
#
#   A: eth0 10.0.0.1/24, 10.0.1.1/24 (another subnet), 10.0.0.3/24
#      (secondary of 10.0.0.1), fd00::1/64; lo 127.0.0.1/8, 10.9.9.9/32
#      and fd00:9::1/128 ... fd00:9::8/128
#   B: eth0 10.0.0.2/24, 10.0.1.2/24, fd00::2/64; 10.9.9.9/32 on-link
#      (dev eth0), fd00:9::/64 via fd00::1
#
# From B (a job file run inside it): ping each of A's addresses (ARP for
# the secondaries and for lo's /32 through eth0, answered by A as Linux
# with arp_ignore 0); TCP to A's secondary and to 10.9.9.9; ip route
# get's and a connected UDP socket's source for each subnet; A's UDP
# answers, from a socket bound to 0.0.0.0, come from its address in B's
# subnet whichever address B sent to (as on Linux); B's TCP and UDP to
# its own addresses take them as sources (not lo's 127.0.0.1).  Then A
# deletes 10.0.0.1/24: 10.0.0.3 goes with it
# (rrctl show addrs), 10.0.1.1 still answers, 10.0.0.1 no longer does.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need ping nc python3 tcpdump

stage_rrctl
stage_ping

cat >"$RUN/a.conf" <<EOF
link add eth0 type link local $RUN/a0.link remote $RUN/b0.link
addr add 10.0.0.1/24 dev eth0
addr add 10.0.1.1/24 dev eth0
addr add 10.0.0.3/24 dev eth0
addr add 10.9.9.9/32 dev lo
addr add fd00::1/64 dev eth0
$(for i in 1 2 3 4 5 6 7 8; do echo "addr add fd00:9::$i/128 dev lo"; done)
EOF
cat >"$RUN/b.conf" <<EOF
link add eth0 type link local $RUN/b0.link remote $RUN/a0.link
addr add 10.0.0.2/24 dev eth0
addr add 10.0.1.2/24 dev eth0
route add 10.9.9.9/32 dev eth0
addr add fd00::2/64 dev eth0
route add fd00:9::/64 via fd00::1
pcap start eth0 $RUN/b.pcap
EOF

# A: a TCP server on every address (nc -k) and a UDP echo that reports
# (bound to 0.0.0.0, so its answers take the source the route gives, as
# on Linux: the device's address in the client's subnet, whichever
# address the client sent to)
inner_script a.sh <<'EOF'
#!/bin/sh
nc -k -l 0.0.0.0 "$1" </dev/null >tcp.recv 2>tcp.err &
python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", int(sys.argv[1])))
while True:
    d, a = s.recvfrom(100)
    s.sendto(d, a)
' "$1" &
sleep 60
EOF
inner_script b.sh <<'EOF'
#!/bin/sh
# b.sh PORT PING RRCTL ASOCK
p=$1 ping=$2 rrctl=$3 asock=$4
for ip in 10.0.0.1 10.0.1.1 10.0.0.3 10.9.9.9 fd00:9::1 fd00:9::8; do
	"$ping" -n -c 2 -i 0.2 -W 2 $ip >/dev/null 2>&1 && echo "ping $ip ok" || echo "ping $ip FAILED"
done
for ip in 10.0.0.3 10.9.9.9; do
	echo "to $ip" | nc -N -w 3 $ip "$p" && echo "tcp $ip ok" || echo "tcp $ip FAILED"
done
ip route get 10.0.0.9 | head -n1
ip route get 10.0.1.9 | head -n1
python3 -c '
import socket, sys
port = int(sys.argv[1])
for dst in ("10.0.0.3", "10.0.1.1", "10.9.9.9"):
    c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    c.connect((dst, port))          # the source the route gives
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.settimeout(3)
    u.sendto(b"x", (dst, port))
    try:
        d, a = u.recvfrom(100)
        print("udp", dst, "source", c.getsockname()[0], "answered from", a[0])
    except OSError as e:
        print("udp", dst, "FAILED", e)
' "$p"
# to B's own addresses: each is its own source (Linux's local routes)
python3 -c '
import socket
for dst in ("10.0.0.2", "10.0.1.2", "127.0.0.1"):
    l = socket.socket()
    l.bind((dst, 0))
    l.listen()
    c = socket.create_connection(l.getsockname(), timeout=3)
    s, peer = l.accept()
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.connect((dst, 9))
    print("local", dst, "tcp source", c.getsockname()[0], "accepted from",
          peer[0], "udp source", u.getsockname()[0])
'
"$rrctl" -s "$asock" addr del 10.0.0.1/24 dev eth0 && echo "deleted 10.0.0.1/24"
"$rrctl" -s "$asock" show addrs | grep 'inet ' | sed 's/^/A: /'
"$ping" -n -c 2 -i 0.2 -W 1 10.0.1.1 >/dev/null 2>&1 && echo "after: ping 10.0.1.1 ok" || echo "after: ping 10.0.1.1 FAILED"
"$ping" -n -c 1 -W 1 10.0.0.1 >/dev/null 2>&1 && echo "after: ping 10.0.0.1 answered" || echo "after: ping 10.0.0.1 unanswered"
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
sleep 0.5	# its servers listen
rrs_run 60 b --no-control -c "$RUN/b.conf" -- sh "$RUN/b.sh" "$port" \
	"$WORK/bin/ping" "$RRCTL" "$RUN/a.rrs"
expect_rc 0 "B's checks"
kill "$a" 2>/dev/null || true
wait "$a" 2>/dev/null || true

out=$LAST_OUT
check() { # TEXT WHAT
	grep -qxF -- "$1" "$out" || fail "$2 (no line '$1')"
}
step "A's secondary, other-subnet and lo addresses answer across the link"
for ip in 10.0.0.1 10.0.1.1 10.0.0.3 10.9.9.9 fd00:9::1 fd00:9::8; do
	check "ping $ip ok" "ping from B to A's $ip"
done
check "tcp 10.0.0.3 ok" "TCP to A's secondary address"
check "tcp 10.9.9.9 ok" "TCP to A's /32 on lo, reached on-link"
for l in 'to 10.0.0.3' 'to 10.9.9.9'; do
	grep -qx "$l" "$RUN/tcp.recv" || { LAST_OUT=$RUN/tcp.recv; fail "A's server did not get '$l'"; }
done

step "sources follow the next hop's subnet"
# B's ARP request for A's address in its second subnet names B's address
# there (Linux's arp_solicit()), not the first one lwIP's netif holds
arp=$(tcpdump -nn -r "$RUN/b.pcap" arp 2>/dev/null | grep 'Request who-has 10\.0\.1\.1 ' || true)
[ -n "$arp" ] || fail "no ARP request from B for 10.0.1.1 in its pcap"
grep -q 'tell 10\.0\.1\.2,' <<<"$arp" ||
	fail "B's ARP request for 10.0.1.1 does not name 10.0.1.2: $arp"
grep -q 'tell 10\.0\.0\.2,' <<<"$arp" &&
	fail "B's ARP request for 10.0.1.1 names 10.0.0.2: $arp"
grep -q '^10\.0\.0\.9 dev eth0 src 10\.0\.0\.2 ' "$out" || fail "B's source for 10.0.0.9 is not 10.0.0.2"
grep -q '^10\.0\.1\.9 dev eth0 src 10\.0\.1\.2 ' "$out" || fail "B's source for 10.0.1.9 is not its secondary 10.0.1.2"
check "udp 10.0.0.3 source 10.0.0.2 answered from 10.0.0.1" "UDP to A's secondary"
check "udp 10.0.1.1 source 10.0.1.2 answered from 10.0.1.1" "UDP in the second subnet"
check "udp 10.9.9.9 source 10.0.0.2 answered from 10.0.0.1" "UDP to A's lo address"

for ip in 10.0.0.2 10.0.1.2 127.0.0.1; do
	check "local $ip tcp source $ip accepted from $ip udp source $ip" \
		"B's connections to its own $ip"
done

step "deleting a primary takes its secondary"
check "deleted 10.0.0.1/24" "rrctl addr del on A"
grep -q '^A: .*10\.0\.0\.3' "$out" && fail "10.0.0.3 stayed after its primary went"
grep -q '^A: .*10\.0\.1\.1/24' "$out" || fail "10.0.1.1 went too"
check "after: ping 10.0.1.1 ok" "10.0.1.1 after the delete"
check "after: ping 10.0.0.1 unanswered" "10.0.0.1 still answered after its delete"
log "PASS"
