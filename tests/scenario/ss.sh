#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# ss.sh - `ss` inside a sandbox lists the sandbox's sockets (its
# NETLINK_SOCK_DIAG answers), never the host's.  One sandbox holds an IPv4
# and an IPv6 TCP listener (nc), a connection to the first (python3 on one
# end, nc on the other), a bound UDP socket, a connected IPv6 UDP socket
# and a raw ICMP socket; the host holds a TCP listener and a UDP socket of
# its own on 127.0.0.1, and a connection inside is over before ss runs.
# Inside, ss must show each of the sandbox's
# sockets with its state, addresses and owning process (-p reads
# /proc/PID/fd, so the inodes must be the program's), filter by state and
# port, give TCP_INFO and memory (-i, -m), list unix sockets without an
# error (the kernel's, from /proc/net/unix), list the sandbox's packet and
# bound netlink sockets (from its /proc/net/packet and netlink, with the
# kernel's rtnetlink and sock_diag sockets but no other netlink protocol's
# the host has), and show neither host socket.
#
#   host: python3 TCP listener 127.0.0.1:HP, UDP 127.0.0.1:HP
#   +-------------------------- rrsandbox -- sh ss.sh ---------------------+
#   | nc -l 127.0.0.1:P1 <-- python3 (TCP client)    nc -l [::1]:P2        |
#   | python3: UDP 127.0.0.1:P3, UDP [::1]:P4 -> [::1]:P3, raw ICMP,       |
#   |          packet sockets, netlink sockets                             |
#   | ss -tanp, -uanp, -wan, -tlnie, -xa, -tn state established ..., -tnim |
#   | ss -0 -anp, -A netlink -an                                           |
#   +----------------------------------------------------------------------+

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need ss nc "$PY"

inner_script socks.py <<'EOF'
#!/usr/bin/python3
# socks.py P1 P3 P4: a TCP client of 127.0.0.1:P1, UDP sockets, a raw ICMP
# socket; writes "ready" and waits to be killed
import socket, sys, time
p1, p3, p4 = (int(a) for a in sys.argv[1:4])
for _ in range(100):
    try:
        c = socket.create_connection(("127.0.0.1", p1))
        break
    except ConnectionRefusedError:
        time.sleep(0.1)
else:
    sys.exit("listener on %d never came" % p1)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", p3))
u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
u6.bind(("::1", p4))
u6.connect(("::1", p3))
r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
# packet sockets: every protocol on lo, IPv4 on any device
pk = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
pk.bind(("lo", 0))
pd = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0800))
# a bound NETLINK_ROUTE socket in RTMGRP_LINK, and an unbound one, which
# Linux does not list
nl = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
nl.bind((0, 1))
nu = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 4)
open("nlport", "w").write("%d\n" % nl.getsockname()[0])
open("ready", "w").write("ready\n")
time.sleep(60)
EOF

# ss.sh P1 P2 P3 P4 P5: the sockets, then ss; status names a failing step
inner_script ss.sh <<'EOF'
#!/bin/sh
P1=$1 P2=$2 P3=$3 P4=$4 P5=$5
# a connection over and done before ss runs: both ends closed
nc -l 127.0.0.1 "$P5" >/dev/null </dev/null &
n5=$!
i=0
until echo over | nc -N 127.0.0.1 "$P5" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || exit 9
	sleep 0.1
done
wait $n5
nc -l 127.0.0.1 "$P1" >/dev/null </dev/null &
n4=$!
nc -l ::1 "$P2" >/dev/null </dev/null &
n6=$!
/usr/bin/python3 ./socks.py "$P1" "$P3" "$P4" &
py=$!
i=0
while [ ! -s ready ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || { kill $n4 $n6 $py; exit 10; }
	sleep 0.1
done
rc=0
ss -tanpe >tcp.txt 2>tcp.err || rc=11
ss -uanp >udp.txt 2>udp.err || rc=12
ss -wan >raw.txt 2>raw.err || rc=13
ss -tlnie >listen.txt 2>listen.err || rc=14
ss -xa >unix.txt 2>unix.err || rc=15
ss -tn state established "( sport = :$P1 or dport = :$P1 )" >filt.txt 2>filt.err || rc=16
ss -tnim state established >info.txt 2>info.err || rc=17
ss -0 -anp >packet.txt 2>packet.err || rc=18
ss -A netlink -an >netlink.txt 2>netlink.err || rc=19
kill $n4 $n6 $py
exit $rc
EOF

p1=$(free_port) p2=$(free_port) p3=$(free_port) p4=$(free_port) p5=$(free_port)
hp=$(free_port)
# The host's own sockets, which the sandbox must not list
host_socks "$hp"

step "ss inside the sandbox, ports $p1 $p2 $p3 $p4 $p5 (host: $hp)"
rrs_run 60 ss -- sh "$RUN/ss.sh" "$p1" "$p2" "$p3" "$p4" "$p5"
expect_rc 0 "rrsandbox -- sh ss.sh (status = failing step, see ss.sh)"
kill "$HOST_SOCKS_PID" 2>/dev/null || true

# has FILE PATTERN WHAT: a line of FILE matches the extended regex
has() {
	grep -Eq -- "$2" "$RUN/$1" || {
		sed 's/^/    /' "$RUN/$1" >&2
		fail "$3: no line matching '$2' in $1"
	}
	log "ok: $3"
}
lacks() {
	! grep -Eq -- "$2" "$RUN/$1" || {
		sed 's/^/    /' "$RUN/$1" >&2
		fail "$3: a line matches '$2' in $1"
	}
	log "ok: $3"
}

has tcp.txt "^LISTEN +0 +1 +127\.0\.0\.1:$p1 +0\.0\.0\.0:\* +users:\(\(\"nc\",pid=[0-9]+,fd=[0-9]+\)\)" \
	"IPv4 listener, backlog 1, its process"
has tcp.txt "^LISTEN +0 +1 +\[::1\]:$p2 +\[::\]:\* +users:\(\(\"nc\"" \
	"IPv6 listener on ::1 (IPv6-only, as bound to ::1)"
has tcp.txt "^ESTAB +[0-9]+ +[0-9]+ +127\.0\.0\.1:[0-9]+ +127\.0\.0\.1:$p1 +users:\(\(\"python3\"" \
	"the client's end of the connection"
has tcp.txt "^ESTAB +[0-9]+ +[0-9]+ +127\.0\.0\.1:$p1 +127\.0\.0\.1:[0-9]+ +users:\(\(\"nc\",pid=[0-9]+,fd=[0-9]+\)\)" \
	"the accepted end of the connection"
has tcp.txt " ino:[1-9][0-9]* sk:" "inode and cookie (-e)"
lacks tcp.txt ":$hp " "the host's TCP listener is not listed"
lacks tcp.txt "^(ESTAB|LISTEN|CLOSE-WAIT) .*:$p5 " \
	"a connection both programs closed is not listed (TIME-WAIT at most)"
[ "$(grep -vc -e "^TIME-WAIT .*:$p5 " "$RUN/tcp.txt")" -eq 5 ] || {
	sed 's/^/    /' "$RUN/tcp.txt" >&2
	fail "ss -tanp: expected a header and 4 sockets (and TIME-WAIT of port $p5)"
}
has udp.txt "^UNCONN +0 +0 +127\.0\.0\.1:$p3 +0\.0\.0\.0:\* +users:\(\(\"python3\"" "bound UDP socket"
has udp.txt "^ESTAB +0 +0 +\[::1\]:$p4 +\[::1\]:$p3 +users:\(\(\"python3\"" "connected IPv6 UDP socket"
lacks udp.txt ":$hp " "the host's UDP socket is not listed"
has raw.txt "^UNCONN +0 +0 +0\.0\.0\.0:1 +0\.0\.0\.0:\*" "raw ICMP socket, its protocol as port (ss -w)"
has listen.txt "^LISTEN .*\[::1\]:$p2 .* v6only:1 " "IPV6_V6ONLY reported (-e)"
has listen.txt "reno" "congestion control (-i)"
[ ! -s "$RUN/unix.err" ] || { cat "$RUN/unix.err" >&2; fail "ss -xa printed errors"; }
has unix.txt "^Netid" "ss -xa works (from /proc/net/unix, without complaint)"
[ "$(grep -c "127.0.0.1:$p1" "$RUN/filt.txt")" -eq 2 ] || {
	sed 's/^/    /' "$RUN/filt.txt" >&2
	fail "ss state established '( sport = :$p1 or dport = :$p1 )': expected both ends"
}
log "ok: ss filters by state and port"
has info.txt "skmem:\(r[0-9]+,rb[0-9]+,t[0-9]+,tb[0-9]+" "socket memory (-m)"
has info.txt "reno .*reordering:[0-9]+" "TCP_INFO (-i: reordering is read from it)"
# packet and netlink sockets: ss reads /proc/net/packet and netlink
has packet.txt "^p_raw +UNCONN +0 +0 +\*:lo +\* +users:\(\(\"python3\"" \
	"packet socket bound to lo, its process (ss -0 -p)"
has packet.txt "^p_dgr +UNCONN +0 +0 +\[2048\]:\* +\* +users:\(\(\"python3\"" \
	"SOCK_DGRAM packet socket for IPv4 on any device"
[ "$(grep -c '^p_' "$RUN/packet.txt")" -eq 2 ] || {
	sed 's/^/    /' "$RUN/packet.txt" >&2
	fail "ss -0 -anp: expected the sandbox's 2 packet sockets alone"
}
nlport=$(cat "$RUN/nlport")
has netlink.txt "^UNCONN +0 +0 +0:$nlport +\*" "bound NETLINK_ROUTE socket, its port id"
has netlink.txt "^UNCONN +0 +0 +0:0 +\*" "rtnetlink's kernel socket"
has netlink.txt "^UNCONN +0 +0 +4:0 +\*" "sock_diag's kernel socket"
lacks netlink.txt "^UNCONN +[0-9]+ +[0-9]+ +(6|9|10|12|15|16):" \
	"no netlink socket of a protocol the sandbox does not serve (the host's)"
for f in tcp udp raw listen filt info packet netlink; do
	[ ! -s "$RUN/$f.err" ] || { cat "$RUN/$f.err" >&2; fail "ss ($f) printed errors"; }
done

log "PASS"
