#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# policy.sh - routing rules steer real traffic: R forwards A's TCP
# connections to the same anycast address to B or to C by the source A
# uses (`rule add from ... table 100`, IPv4 and IPv6, set in R's -c file)
# or by its TOS or traffic class (`rule add from ... tos 0x10 ...`),
# then by the device they came in on (`ip rule add iif eth0 ...` run inside
# R): A's connections go to C, R's own still to B (they come from lo).
# A local rule on A (`from A's second address` to a table with a
# blackhole) refuses that source's connect (EINVAL, as Linux), and only
# to that prefix; so does one for the source an unbound socket gets.
# Rules on R by L4: `ipproto tcp dport P2` and `ipproto udp` send A's
# forwarded TCP connections to port P2 and its UDP datagrams to C, and
# R's own (unbound) ones too, from eth2's address: the route and the
# source follow the socket's protocol and ports.  `uidrange U-U dport P3`
# (U: the user the sandboxes run as) sends R's own connections to P3 to
# C, and A's forwarded ones (uid 0) to B.
#
#   A: eth0 10.0.1.1 + .11/24          R: eth0 10.0.1.2   eth1 10.0.2.1 --- B: 10.0.2.2
#      fd00:1::1 + ::11/64  ==========>    fd00:1::2      fd00:2::1         fd00:2::2
#      default via R                       main: anycast via B              lo 10.99.0.1
#                                          table 100: via C                    fd99::1
#                                          rule from A's .11 / ::11         (and C the same
#                                            lookup 100                      on eth2/10.0.3.x)
#
# Each of B and C answers a connection with its name and the peer address
# it saw, so the test knows who answered and that the source was kept.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need "$PY" ip

port=$(free_port)
port2=$(free_port)
[ "$port2" != "$port" ] || port2=$((port + 1))
port3=$((port2 + 1))
[ "$port3" != "$port" ] || port3=$((port3 + 1))
uid=$("${UNPRIV_CMD[@]}" id -u)
cat >"$RUN/a.conf" <<EOF
link add eth0 type link local $RUN/a.link remote $RUN/ra.link
addr add 10.0.1.1/24 dev eth0
addr add 10.0.1.11/24 dev eth0
addr add fd00:1::1/64 dev eth0
addr add fd00:1::11/64 dev eth0
route add default via 10.0.1.2
route add default via fd00:1::2
route add blackhole 10.98.0.0/16 table 7
rule add from 10.0.1.11 to 10.98.0.0/16 table 7 pref 100
rule add from 10.0.1.1 to 10.97.0.0/16 blackhole pref 101
rule add from 10.0.1.1 to 10.96.0.0/16 ipproto tcp dport $port3 prohibit pref 102
EOF
cat >"$RUN/r.conf" <<EOF
link add eth0 type link local $RUN/ra.link remote $RUN/a.link
link add eth1 type link local $RUN/rb.link remote $RUN/b.link
link add eth2 type link local $RUN/rc.link remote $RUN/c.link
addr add 10.0.1.2/24 dev eth0
addr add fd00:1::2/64 dev eth0
addr add 10.0.2.1/24 dev eth1
addr add fd00:2::1/64 dev eth1
addr add 10.0.3.1/24 dev eth2
addr add fd00:3::1/64 dev eth2
route add 10.99.0.1/32 via 10.0.2.2
route add fd99::1/128 via fd00:2::2
route add 10.99.0.1/32 via 10.0.3.2 table 100
route add fd99::1/128 via fd00:3::2 table 100
rule add from 10.0.1.11 table 100
rule add from fd00:1::11 table 100
rule add from 10.0.1.1 tos 0x10 table 100
rule add from fd00:1::1 tos 0x10 table 100
rule add ipproto tcp dport $port2 table 100
rule add ipproto tcp dport $port2 table 100 family inet6
rule add ipproto udp table 100
rule add ipproto udp table 100 family inet6
rule add uidrange $uid-$uid dport $port3 table 100
EOF
for x in b:2 c:3; do	# name : subnet
	IFS=: read -r r net <<<"$x"
	cat >"$RUN/$r.conf" <<EOF
link add eth0 type link local $RUN/$r.link remote $RUN/r$r.link
addr add 10.0.$net.2/24 dev eth0
addr add fd00:$net::2/64 dev eth0
addr add 10.99.0.1/32 dev lo
addr add fd99::1/128 dev lo
route add default via 10.0.$net.1
route add default via fd00:$net::1
EOF
done
chmod 644 "$RUN"/*.conf

# who.py serve NAME PORT...: answer each connection and each UDP datagram
# "NAME PEER" until ./stop
# who.py ask SRC DST PORT [TOS]: connect from SRC (with IP_TOS or
# IPV6_TCLASS TOS), print the answer (or the error), retrying while the
# others start
# who.py uask SRC DST PORT: the same over UDP
inner_script who.py <<'EOF'
import os, socket, sys, threading, time
if sys.argv[1] == "serve":
    name = sys.argv[2]
    def userve(fam, addr, port):
        s = socket.socket(fam, socket.SOCK_DGRAM)
        if fam == socket.AF_INET6:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        s.bind((addr, port))
        s.settimeout(0.2)
        deadline = time.time() + 90
        while not os.path.exists("stop") and time.time() < deadline:
            try:
                d, a = s.recvfrom(100)
            except socket.timeout:
                continue
            s.sendto(("%s %s\n" % (name, a[0])).encode(), a)
    def serve(fam, addr, port):
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if fam == socket.AF_INET6:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        s.bind((addr, port))
        s.listen(8)
        s.settimeout(0.2)
        deadline = time.time() + 90
        while not os.path.exists("stop") and time.time() < deadline:
            try:
                c, a = s.accept()
            except socket.timeout:
                continue
            c.sendall(("%s %s\n" % (name, a[0])).encode())
            c.close()
    t = [threading.Thread(target=f, args=(fam, addr, int(port)))
         for port in sys.argv[3:] for f in (serve, userve)
         for fam, addr in ((socket.AF_INET, "0.0.0.0"), (socket.AF_INET6, "::"))]
    for x in t: x.start()
    for x in t: x.join()
    sys.exit(0)
src, dst, port = sys.argv[2], sys.argv[3], int(sys.argv[4])
tos = int(sys.argv[5], 0) if len(sys.argv) > 5 else 0
fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
if sys.argv[1] == "uask":
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.settimeout(0.3)
    if src != "-":
        s.bind((src, 0))
    for i in range(100):
        try:
            s.sendto(b"who", (dst, port))
            print(s.recv(100).decode().strip())
            sys.exit(0)
        except OSError as e:
            err = e
            if not isinstance(e, socket.timeout) and e.errno not in (111, 101, 113):
                break
    print("error", err.errno if err.errno else "timeout")
    sys.exit(0)
for i in range(60):
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(3)
    if tos and fam == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_TCLASS, tos)
    elif tos:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_TOS, tos)
    if src != "-":		# "-": unbound, the source the route gives
        s.bind((src, 0))
    try:
        s.connect((dst, port))
        print(s.makefile().readline().strip())
        sys.exit(0)
    except OSError as e:
        err = e
        if e.errno not in (111, 101, 113) and not isinstance(e, socket.timeout):
            break
        s.close()
        time.sleep(0.15)
print("error", err.errno if err.errno else "timeout")
EOF

# R: after ./phase2 appears, every packet from eth0 looks up table 100;
# its own connection (from lo) still follows main
inner_script r.sh <<'EOF'
#!/bin/sh
while [ ! -e phase2 ]; do [ -e stop ] && exit 0; sleep 0.1; done
ip rule add iif eth0 table 100 pref 5 || exit 10
ip -6 rule add iif eth0 table 100 pref 5 || exit 11
ip rule >r.rules
/usr/bin/python3 who.py ask 10.0.2.1 10.99.0.1 "$1" >r.own4
/usr/bin/python3 who.py ask fd00:2::1 fd99::1 "$1" >r.own6
# its own, by L4 (no iif rule for lo): TCP to port 2 and UDP to C, from
# the source of table 100's route; TCP to port 1 to B
/usr/bin/python3 who.py ask - 10.99.0.1 "$2" >r.l4tcp4
/usr/bin/python3 who.py ask - fd99::1 "$2" >r.l4tcp6
/usr/bin/python3 who.py ask - 10.99.0.1 "$1" >r.l4tcp4p1
/usr/bin/python3 who.py uask - 10.99.0.1 "$1" >r.l4udp4
/usr/bin/python3 who.py uask - fd99::1 "$1" >r.l4udp6
/usr/bin/python3 who.py ask - 10.99.0.1 "$3" >r.uid4
touch phase2.done
while [ ! -e stop ]; do sleep 0.1; done
EOF

inner_script a.sh <<'EOF'
#!/bin/sh
ask() { /usr/bin/python3 who.py ask "$@"; }
p=$1
for s in 10.0.1.1 10.0.1.11 fd00:1::1 fd00:1::11; do
	d=10.99.0.1; case $s in *:*) d=fd99::1;; esac
	echo "1 $s $(ask $s $d $p)"
done
echo "1 tos 10.0.1.1 $(ask 10.0.1.1 10.99.0.1 $p 0x10)"
echo "1 tos fd00:1::1 $(ask fd00:1::1 fd99::1 $p 0x10)"
echo "1 10.0.1.11 10.98.0.1 $(ask 10.0.1.11 10.98.0.1 $p)"
echo "1 - 10.97.0.1 $(ask - 10.97.0.1 $p)"
echo "1 - 10.96.0.1 $(ask - 10.96.0.1 $3)"
echo "1 10.0.1.11 10.0.2.2 $(ask 10.0.1.11 10.0.2.2 $p)"
# forwarded by R's L4 rules: TCP to port 2 and any UDP to C
echo "1 dport 10.0.1.1 $(ask 10.0.1.1 10.99.0.1 $2)"
echo "1 dport fd00:1::1 $(ask fd00:1::1 fd99::1 $2)"
echo "1 udp 10.0.1.1 $(/usr/bin/python3 who.py uask 10.0.1.1 10.99.0.1 $p)"
echo "1 udp fd00:1::1 $(/usr/bin/python3 who.py uask fd00:1::1 fd99::1 $p)"
echo "1 uid 10.0.1.1 $(ask 10.0.1.1 10.99.0.1 $3)"
touch phase2
i=0
while [ ! -e phase2.done ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
echo "2 10.0.1.1 $(ask 10.0.1.1 10.99.0.1 $p)"
echo "2 fd00:1::1 $(ask fd00:1::1 fd99::1 $p)"
EOF

step "B and C answer on the anycast address, R routes by rules, A asks"
for r in b c; do
	bg unpriv "$RRS" --no-control -c "$RUN/$r.conf" -- "$PY" who.py serve \
		"$(echo $r | tr bc BC)" "$port" "$port2" "$port3" \
		>"$RUN/$r.out" 2>"$RUN/$r.err" </dev/null
done
bg unpriv "$RRS" --no-control -c "$RUN/r.conf" -- sh r.sh "$port" "$port2" "$port3" \
	>"$RUN/r.out" 2>"$RUN/r.err" </dev/null
rpid=$BG_PID
rrs_run 120 a --no-control -c "$RUN/a.conf" -- sh a.sh "$port" "$port2" "$port3"
expect_rc 0 "A's script"
touch "$RUN/stop"
rc=0
wait_pid 20 "$rpid" || rc=$?
LAST_OUT=$RUN/r.out LAST_ERR=$RUN/r.err
[ "$rc" -eq 0 ] || fail "R's script: status $rc"

LAST_OUT=$RUN/a.out LAST_ERR=$RUN/a.err
want() { # LINE: a line A printed
	grep -qxF "$1" "$RUN/a.out" || fail "A: no line '$1'"
	log "ok: $1"
}
want "1 10.0.1.1 B 10.0.1.1"
want "1 fd00:1::1 B fd00:1::1"
want "1 10.0.1.11 C 10.0.1.11"
want "1 fd00:1::11 C fd00:1::11"
# R's rules on the TOS (IPv4) and the traffic class's DSCP (IPv6) of the
# packets it forwards
want "1 tos 10.0.1.1 C 10.0.1.1"
want "1 tos fd00:1::1 C fd00:1::1"
# A's own rule: that source's packets to 10.98/16 look up table 7, whose
# blackhole refuses the connect (EINVAL); to B's own address they follow
# main
want "1 10.0.1.11 10.98.0.1 error 22"
# unbound: the source the route gives (10.0.1.1) is looked up again, as
# Linux's ip_route_connect(), and its rule's blackhole refuses at once
want "1 - 10.97.0.1 error 22"
# the same with a rule by protocol and port: the second lookup sees them
want "1 - 10.96.0.1 error 13"
want "1 10.0.1.11 10.0.2.2 B 10.0.1.11"
want "2 10.0.1.1 C 10.0.1.1"
want "2 fd00:1::1 C fd00:1::1"
# R forwards by the packet's protocol and destination port
want "1 dport 10.0.1.1 C 10.0.1.1"
want "1 dport fd00:1::1 C fd00:1::1"
want "1 udp 10.0.1.1 C 10.0.1.1"
want "1 udp fd00:1::1 C fd00:1::1"
# a uid range: forwarded packets have uid 0
want "1 uid 10.0.1.1 B 10.0.1.1"
LAST_OUT=$RUN/r.rules
grep -q '^5:	from all iif eth0 lookup 100$' "$RUN/r.rules" || fail "R: no iif rule in ip rule"
for f in own4 own6; do
	LAST_OUT=$RUN/r.$f
	grep -Eq '^B (10\.0\.2\.1|fd00:2::1)$' "$RUN/r.$f" ||
		fail "R's own connection ($f) did not reach B: $(cat "$RUN/r.$f")"
done
log "ok: R's own connections (from lo) still reach B"
# R's own sockets: the rules see their protocol and ports, and the source
# is table 100's route's (eth2)
for x in "l4tcp4:C 10.0.3.1" "l4tcp6:C fd00:3::1" "l4tcp4p1:B 10.0.2.1" \
	 "l4udp4:C 10.0.3.1" "l4udp6:C fd00:3::1" "uid4:C 10.0.3.1"; do
	f=${x%%:*} w=${x#*:}
	LAST_OUT=$RUN/r.$f
	[ "$(cat "$RUN/r.$f")" = "$w" ] ||
		fail "R's own $f: '$(cat "$RUN/r.$f")', not '$w'"
	log "ok: R's own $f: $w"
done
log "PASS"
