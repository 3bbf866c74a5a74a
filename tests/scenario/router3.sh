#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# router3.sh - three sandboxes on two links, the middle one a router: TCP
# through it byte-exact (IPv4 and IPv6), what its pcap taps saw, TTL 1 and
# the route types answered with ICMP as Linux answers them, and, once the
# sandbox has ping, ping / traceroute / "fragmentation needed" through it.
#
#   A (a.conf)                    B (b.conf, --pcap)                 C (c.conf)
#   eth0 10.0.1.1/24  fd00:1::1   eth0 10.0.1.2  eth1 10.0.2.1       eth0 10.0.2.2/24
#        default via B  ab.link   fd00:1::2      fd00:2::1  bc.link  fd00:2::2
#   nc -N C <big  ============>   forwards, MTU 1280 on eth1  =====>  nc -l >recv4/6
#   udp TTL 1 to C ==> B: time exceeded back to A, nothing reaches C
#   udp to 10.9.1.1 (unreachable), 10.9.2.1 (prohibit), 10.9.3.1 (blackhole),
#       192.0.2.1 (no route) ==> B: ICMP 3/1, 3/13, nothing, 3/0
#   big: 100 MiB random, checked with sha256 on the host
#
# B's forwarding switched off from inside (echo > of eth0's IPv4, sysctl
# -w of IPv6's all) stops A's datagrams to C, and switched on again (echo
# >, python's open("w")) lets them through.
# Then ping, traceroute (UDP and -I, IPv4 and IPv6: B at hop 1, C at
# hop 2, read from the error queue after POLLERR), ping -6 -I eth0 to B
# and ping -6 ff02::1%eth0 (B answers), and Don't Fragment:
# ping -M do and a UDP socket with IP_MTU_DISCOVER get B's
# "fragmentation needed" (MTU 1280), or EMSGSIZE locally above A's own
# MTU.  Should ping not work in
# the sandbox, that step prints "SKIP-PART: ..." and the scenario FAILS.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need nc sha256sum tcpdump "$PY"

BIG_MIB=${RRS_ROUTER3_MIB:-100}
head -c $((BIG_MIB << 20)) /dev/urandom >"$RUN/big"
head -c $((8 << 20)) /dev/urandom >"$RUN/big6"
chmod 644 "$RUN/big" "$RUN/big6"
mkdir "$RUN/pcap"
chmod 777 "$RUN/pcap"

narrow_path <<EOF
route add unreachable 10.9.1.0/24
route add prohibit 10.9.2.0/24
route add blackhole 10.9.3.0/24
route add prohibit fd00:92::/32
EOF

# udp.py: send / receive UDP datagrams with a given TTL (hop limit)
inner_script udp.py <<'EOF'
import socket, sys, time
mode, fam, addr, port = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
af = socket.AF_INET6 if fam == "6" else socket.AF_INET
s = socket.socket(af, socket.SOCK_DGRAM)
if mode == "recv":		# print every datagram until "stop" or 100 s of none
    s.bind((addr, port))	# (the first comes after A's TCP transfers, as
    s.settimeout(100)		# long as A may take: 20 s was short under ASAN)
    out = open(sys.argv[5], "w")
    while True:
        try:
            data = s.recv(2048).decode()
        except socket.timeout:
            break
        out.write(data + "\n")
        out.flush()
        if data.startswith("stop"):
            break
    sys.exit(0)
ttl = int(sys.argv[5])		# send TEXT with TTL
if af == socket.AF_INET6:
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, ttl)
else:
    s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)
if len(sys.argv) > 7 and sys.argv[7] == "df":
    s.setsockopt(socket.IPPROTO_IP, 10, 2)	# IP_MTU_DISCOVER, _DO
try:
    s.sendto(sys.argv[6].encode(), (addr, port))
except OSError as e:
    print("sendto:", e, file=sys.stderr)
    sys.exit(3)
EOF

# C: receives the TCP transfers and the UDP datagrams
inner_script c.sh <<'EOF'
#!/bin/sh
/usr/bin/python3 udp.py recv 4 10.0.2.2 "$2" udp4 &
u4=$!
/usr/bin/python3 udp.py recv 6 fd00:2::2 "$2" udp6 &
u6=$!
nc -l 10.0.2.2 "$1" </dev/null >recv4 || exit 10
nc -l fd00:2::2 "$1" </dev/null >recv6 || exit 11
wait $u4 || exit 12
wait $u6 || exit 13
EOF

# A: the transfers, then the UDP probes (TTL 1 first, a normal one last)
inner_script a.sh <<'EOF'
#!/bin/sh
client() { # ADDR PORT FILE: send FILE, retried while C's listener is not up
	i=0
	while :; do
		# -v: nc says why a connect failed (B or C may not be up yet)
		if nc -v -N -w 5 "$1" "$2" <"$3" >/dev/null 2>nc.err; then return 0; fi
		grep -Eq 'refused|unreachable|timed out' nc.err || { cat nc.err >&2; return 1; }
		i=$((i + 1))
		[ $i -lt 150 ] || return 1
		sleep 0.2
	done
}
udp() { /usr/bin/python3 udp.py send "$@"; }
client 10.0.2.2 "$1" big || exit 10
client fd00:2::2 "$1" big6 || exit 11
udp 4 10.0.2.2 "$2" 1 ttl1 || exit 20
udp 6 fd00:2::2 "$2" 1 hop1 || exit 21
for d in 10.9.1.1 10.9.2.1 10.9.3.1 192.0.2.1; do udp 4 $d "$2" 64 x || exit 22; done
for d in fd00:92::1 2001:db8::1; do udp 6 $d "$2" 64 x || exit 23; done
nc -z -w 2 10.0.2.2 9 2>/dev/null	# refused: C's RST
nc -z -w 2 fd00:2::2 9 2>/dev/null
sleep 1
udp 4 10.0.2.2 "$2" 64 stop4 || exit 24
udp 6 fd00:2::2 "$2" 64 stop6 || exit 25
EOF

port=$(free_port)
uport=$(free_port)
step "C, B (router, pcap), A: TCP ${BIG_MIB} MiB v4, 8 MiB v6, UDP probes"
bg unpriv "$RRS" --no-control -c "$RUN/c.conf" -- sh "$RUN/c.sh" "$port" "$uport" \
	>"$RUN/c.out" 2>"$RUN/c.err" </dev/null
c=$BG_PID
bg unpriv "$RRS" --no-control --pcap "$RUN/pcap" -c "$RUN/b.conf" -- \
	sh -c 'while [ ! -e stop ]; do sleep 0.2; done' >"$RUN/b.out" 2>"$RUN/b.err" </dev/null
b=$BG_PID
bg unpriv "$RRS" --no-control -c "$RUN/a.conf" -- sh "$RUN/a.sh" "$port" "$uport" \
	>"$RUN/a.out" 2>"$RUN/a.err" </dev/null
a=$BG_PID
rc=0
wait_pid 100 "$a" || rc=$?
LAST_OUT=$RUN/a.out LAST_ERR=$RUN/a.err
[ "$rc" -eq 0 ] || fail "sandbox A: status $rc (see a.sh)"
rc=0
wait_pid 100 "$c" || rc=$?
LAST_OUT=$RUN/c.out LAST_ERR=$RUN/c.err
[ "$rc" -eq 0 ] || fail "sandbox C: status $rc (see c.sh)"
touch "$RUN/stop"
rc=0
wait_pid 20 "$b" || rc=$?
LAST_OUT=$RUN/b.out LAST_ERR=$RUN/b.err
[ "$rc" -eq 0 ] || fail "sandbox B: status $rc"
[ "$(sha "$RUN/recv4")" = "$(sha "$RUN/big")" ] ||
	fail "recv4 differs from what A sent ($(stat -c %s "$RUN/recv4") bytes)"
log "ok: ${BIG_MIB} MiB A -> B -> C over IPv4, byte-exact"
[ "$(sha "$RUN/recv6")" = "$(sha "$RUN/big6")" ] ||
	fail "recv6 differs from what A sent ($(stat -c %s "$RUN/recv6") bytes)"
log "ok: 8 MiB A -> B -> C over IPv6, byte-exact"

step "UDP with TTL / hop limit 1 ends at B"
LAST_OUT=$RUN/udp4 LAST_ERR=
grep -qx stop4 "$RUN/udp4" || fail "C got no normal IPv4 datagram (the control)"
grep -q ttl1 "$RUN/udp4" && fail "a datagram with TTL 1 reached C"
LAST_OUT=$RUN/udp6
grep -qx stop6 "$RUN/udp6" || fail "C got no normal IPv6 datagram (the control)"
grep -q hop1 "$RUN/udp6" && fail "a datagram with hop limit 1 reached C"
log "ok: TTL 1 and hop limit 1 never reached C; the controls did"

step "B's pcap taps"
count() { # FILE FILTER: packets tcpdump prints, FILE and its rotations
	local f
	for f in "$1" "$1".[0-9]; do
		if [ -e "$f" ]; then tcpdump -r "$f" -n "$2" 2>/dev/null || true; fi
	done | wc -l
}
expect_count() { # FILE FILTER MIN MAX WHAT
	local n
	n=$(count "$RUN/pcap/$1" "$2")
	LAST_OUT= LAST_ERR=
	[ "$n" -ge "$3" ] && [ "$n" -le "$4" ] ||
		fail "$5: $n packets matching '$2' in $1, expected $3..$4"
	log "ok: $5 ($n in $1)"
}
for f in eth0 eth1; do
	[ -s "$RUN/pcap/$f.pcap" ] || fail "B wrote no $f.pcap"
done
expect_count eth0.pcap "tcp and dst host 10.0.2.2" 1000 100000000 "A's IPv4 TCP on B's eth0"
expect_count eth1.pcap "tcp and dst host 10.0.2.2" 1000 100000000 "and on eth1"
expect_count eth0.pcap "ip6 and tcp and dst host fd00:2::2" 100 100000000 "A's IPv6 TCP on B's eth0"
expect_count eth1.pcap "ip6 and tcp and dst host fd00:2::2" 100 100000000 "and on eth1"
# the TTL of a forwarded packet is one less on the way out
ttl=$(tcpdump -r "$RUN/pcap/eth0.pcap" -n -v -c1 "tcp and dst host 10.0.2.2" 2>/dev/null |
	sed -n 's/.* ttl \([0-9]*\),.*/\1/p')
[ -n "$ttl" ] && [ "$ttl" -gt 1 ] || fail "no TTL found in A's first TCP packet"
expect_count eth0.pcap "tcp and dst host 10.0.2.2 and ip[8] != $ttl" 0 0 "A sends TTL $ttl"
expect_count eth1.pcap "tcp and dst host 10.0.2.2 and ip[8] = $((ttl - 1))" 1000 100000000 "TTL $ttl -> $((ttl - 1)) through B"
expect_count eth1.pcap "tcp and dst host 10.0.2.2 and ip[8] != $((ttl - 1))" 0 0 "no other TTL out of B"
expect_count eth1.pcap "tcp[tcpflags] & tcp-syn != 0 and src host 10.0.2.2 and tcp[22:2] = 1240" 1 10 "C's SYN-ACK MSS follows its MTU 1280"
expect_count eth0.pcap "icmp[0] = 11 and dst host 10.0.1.1 and icmp[24:4] = 0x0a000202" 1 1 "ICMP time exceeded from B to A"
expect_count eth0.pcap "icmp[0] = 11 and src host 10.0.1.2" 1 1 "... from B's address on A's link"
expect_count eth0.pcap "icmp6 and ip6[40] = 3 and dst host fd00:1::1" 1 1 "ICMPv6 time exceeded to A"
expect_count eth1.pcap "udp and dst host 10.0.2.2 and ip[8] = 0" 0 0 "no TTL 0 out of B"
expect_count eth0.pcap "icmp[0] = 3 and icmp[1] = 1 and icmp[24:4] = 0x0a090101" 1 1 "unreachable route: host unreachable"
expect_count eth0.pcap "icmp[0] = 3 and icmp[1] = 13 and icmp[24:4] = 0x0a090201" 1 1 "prohibit route: code 13"
expect_count eth0.pcap "icmp and icmp[24:4] = 0x0a090301" 0 0 "blackhole route: no ICMP"
expect_count eth0.pcap "icmp[0] = 3 and icmp[1] = 0 and icmp[24:4] = 0xc0000201" 1 1 "no route: net unreachable"
expect_count eth0.pcap "icmp6 and ip6[40] = 1 and ip6[41] = 1" 1 1 "IPv6 prohibit: administratively prohibited"
expect_count eth0.pcap "icmp6 and ip6[40] = 1 and ip6[41] = 0" 1 1 "IPv6 no route"
expect_count eth1.pcap "dst net 10.9.0.0/16 or dst host 192.0.2.1 or dst net fd00:92::/32" 0 0 "nothing unroutable left B"
# a refused connect's RST leaves C with Linux's default TTL, 64 (lwIP: 255)
expect_count eth1.pcap "ip and src host 10.0.2.2 and tcp src port 9 and tcp[tcpflags] & tcp-rst != 0" 1 5 "C refuses port 9 with a RST"
expect_count eth1.pcap "ip and src host 10.0.2.2 and tcp src port 9 and ip[8] != 64" 0 0 "... with TTL 64"
expect_count eth1.pcap "ip6 and src host fd00:2::2 and tcp src port 9 and ip6[7] = 64" 1 5 "C refuses port 9 over IPv6, hop limit 64"
expect_count eth1.pcap "ip6 and src host fd00:2::2 and tcp src port 9 and ip6[7] != 64" 0 0 "... and no other"

step "B with --no-forward drops what is not for it, quietly"
rm -rf "$RUN/pcap" && mkdir "$RUN/pcap" && chmod 777 "$RUN/pcap" && rm -f "$RUN/stop"
inner_script nf.sh <<'EOF'
#!/bin/sh
for i in 1 2 3 4 5 6 7 8 9 10; do
	/usr/bin/python3 udp.py send 4 10.0.2.2 "$1" 64 nf || exit 1
	/usr/bin/python3 udp.py send 4 10.0.1.2 "$1" 64 forb || exit 2
	sleep 0.1
done
EOF
bg unpriv "$RRS" --no-control -c "$RUN/c.conf" -- "$PY" udp.py recv 4 10.0.2.2 "$uport" udpnf \
	>"$RUN/c.out" 2>"$RUN/c.err" </dev/null
c=$BG_PID
bg unpriv "$RRS" --no-control --no-forward --pcap "$RUN/pcap" -c "$RUN/b.conf" -- \
	sh -c 'while [ ! -e stop ]; do sleep 0.2; done' >"$RUN/b.out" 2>"$RUN/b.err" </dev/null
b=$BG_PID
sleep 1
rrs_run 30 nf --no-control -c "$RUN/a.conf" -- sh "$RUN/nf.sh" "$uport"
touch "$RUN/stop"
wait_pid 20 "$b" || true
kill "$c" 2>/dev/null || true
wait_pid 5 "$c" || true
expect_rc 0 "nf.sh in A"
expect_count eth0.pcap "udp and dst host 10.0.2.2" 10 10 "A's datagrams for C reached B"
expect_count eth0.pcap "udp and dst host 10.0.1.2" 10 10 "and those for B itself"
expect_count eth0.pcap "icmp[0] = 3 and icmp[1] = 3 and src host 10.0.1.2" 1 10 "B still answers for itself (port unreachable)"
expect_count eth1.pcap "udp" 0 0 "--no-forward: nothing went on to C"
expect_count eth0.pcap "icmp and icmp[24:4] = 0x0a000202" 0 0 "--no-forward: no ICMP error for C's datagrams"
LAST_OUT=$RUN/udpnf
grep -q nf "$RUN/udpnf" 2>/dev/null && fail "C received a datagram through B with --no-forward"
log "ok: --no-forward"

step "B switches its forwarding off and on from inside (sysctl -w, echo >, python)"
rm -f "$RUN/swoff" "$RUN/swon" "$RUN/swondone" "$RUN/stop" "$RUN/udpsw4" "$RUN/udpsw6"
# B: IPv4 off on eth0 (A's side) only, IPv6 off for all; then both on
inner_script sw.sh <<'EOF'
#!/bin/sh
# (sysctl(8) stat()s the host's file first: a device the host lacks is
# written and read with echo and cat)
sysctl -w net.ipv6.conf.all.forwarding=0 || exit 1
echo 0 > /proc/sys/net/ipv4/conf/eth0/forwarding || exit 1
cat /proc/sys/net/ipv4/conf/eth0/forwarding /proc/sys/net/ipv4/conf/eth1/forwarding \
	/proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv6/conf/all/forwarding >swoff.tmp || exit 2
mv swoff.tmp swoff
while [ ! -e swon ]; do sleep 0.1; done
echo 1 > /proc/sys/net/ipv4/conf/eth0/forwarding || exit 3
/usr/bin/python3 -c 'open("/proc/sys/net/ipv6/conf/all/forwarding", "w").write("1")' || exit 4
cat /proc/sys/net/ipv4/conf/eth0/forwarding /proc/sys/net/ipv6/conf/all/forwarding >swondone.tmp
mv swondone.tmp swondone
while [ ! -e stop ]; do sleep 0.2; done
EOF
# A: five datagrams of each family to C, tagged with the phase
inner_script swa.sh <<'EOF'
#!/bin/sh
for i in 1 2 3 4 5; do
	/usr/bin/python3 udp.py send 4 10.0.2.2 "$1" 64 "$2"4 || exit 1
	/usr/bin/python3 udp.py send 6 fd00:2::2 "$1" 64 "$2"6 || exit 2
	sleep 0.1
done
EOF
bg unpriv "$RRS" --no-control -c "$RUN/c.conf" -- sh -c \
	'"$0" udp.py recv 4 10.0.2.2 "$1" udpsw4 & "$0" udp.py recv 6 fd00:2::2 "$1" udpsw6 & wait' \
	"$PY" "$uport" >"$RUN/c.out" 2>"$RUN/c.err" </dev/null
c=$BG_PID
bg unpriv "$RRS" --no-control -c "$RUN/b.conf" -- sh "$RUN/sw.sh" \
	>"$RUN/b.out" 2>"$RUN/b.err" </dev/null
b=$BG_PID
LAST_OUT=$RUN/b.out LAST_ERR=$RUN/b.err
wait_file 20 "$RUN/swoff" || fail "B's sysctl -w did not finish in 20 s"
[ "$(tr '\n' ' ' <"$RUN/swoff")" = "0 1 1 0 " ] ||
	fail "B after sysctl -w: expected ipv4 eth0, eth1, ip_forward and ipv6 all forwarding 0 1 1 0, got: $(tr '\n' ' ' <"$RUN/swoff")"
sleep 0.5	# C's receivers
rrs_run 30 swoff --no-control -c "$RUN/a.conf" -- sh "$RUN/swa.sh" "$uport" off
expect_rc 0 "swa.sh off in A"
touch "$RUN/swon"
LAST_OUT=$RUN/b.out LAST_ERR=$RUN/b.err
wait_file 20 "$RUN/swondone" || fail "B's writes did not finish in 20 s"
[ "$(tr '\n' ' ' <"$RUN/swondone")" = "1 1 " ] ||
	fail "B after echo and python: expected ipv4 eth0 and ipv6 all forwarding 1 1, got: $(tr '\n' ' ' <"$RUN/swondone")"
rrs_run 30 swon --no-control -c "$RUN/a.conf" -- sh "$RUN/swa.sh" "$uport" on
expect_rc 0 "swa.sh on in A"
rrs_run 30 swstop --no-control -c "$RUN/a.conf" -- sh -c \
	'sleep 0.5; "$0" udp.py send 4 10.0.2.2 "$1" 64 stop4 && "$0" udp.py send 6 fd00:2::2 "$1" 64 stop6' \
	"$PY" "$uport"
touch "$RUN/stop"
wait_pid 20 "$b" || fail "B (sw.sh) failed"
wait_pid 20 "$c" || true
for f in 4 6; do
	LAST_OUT=$RUN/udpsw$f
	grep -q "^off$f\$" "$RUN/udpsw$f" 2>/dev/null &&
		fail "IPv$f: C received a datagram while B's forwarding was off"
	n=$(grep -c "^on$f\$" "$RUN/udpsw$f" 2>/dev/null || true)
	[ "${n:-0}" -ge 4 ] ||
		fail "IPv$f: C received ${n:-0} of the 5 datagrams sent once B's forwarding was on again"
done
log "ok: B's forwarding sysctls written inside stop and restart forwarding"

step "ping, traceroute and fragmentation needed through B"
missing=
part() { # WHY: one part skipped for want of ping
	printf 'SKIP-PART: %s: %s\n' "$SCENARIO" "$*" >&2
	missing="$missing; $*"
}
cp /usr/bin/ping "$WORK/bin/ping" 2>/dev/null && chmod 755 "$WORK/bin/ping" || true
rrs_run 10 ping1 --no-control -- "$WORK/bin/ping" -c1 -W2 127.0.0.1
if [ "$RC" -ne 0 ] || ! grep -q '1 received' "$RUN/ping1.out"; then
	part "ping does not work inside a single sandbox yet (rrsandbox -- ping -c1 127.0.0.1: status $RC); ping, traceroute and the DF check are not run"
else
	# pingdf: DF, 1400 bytes: fits A's MTU (1500), not C's link (1280),
	# so B answers "fragmentation needed"; pingbig: 1528 bytes do not
	# fit A's own MTU: refused locally, as Linux ("local error"); the
	# same for UDP with IP_MTU_DISCOVER = IP_PMTUDISC_DO (udp.py ... df)
	inner_script ping.sh <<EOF
#!/bin/sh
i=0
until $WORK/bin/ping -c1 -W1 10.0.2.2 >/dev/null 2>&1; do
	i=\$((i + 1)); [ \$i -lt 50 ] || exit 9; sleep 0.2
done
$WORK/bin/ping -c5 -i0.2 -W2 10.0.2.2 >ping4 2>&1 || exit 10
$WORK/bin/ping -6 -c5 -i0.2 -W2 fd00:2::2 >ping6 2>&1 || exit 11
$WORK/bin/ping -6 -I eth0 -c2 -i0.2 -W2 fd00:1::2 >ping6dev 2>&1 || exit 16
$WORK/bin/ping -6 -c1 -W2 ff02::1%eth0 >ping6mc 2>&1 || exit 17
traceroute -I -n -q1 -w2 10.0.2.2 >trace4i 2>&1 || exit 12
traceroute -6 -I -n -q1 -w2 fd00:2::2 >trace6i 2>&1 || exit 13
traceroute -n -q1 -w2 10.0.2.2 >trace4 2>&1 || exit 14
traceroute -6 -n -q1 -w2 fd00:2::2 >trace6 2>&1 || exit 15
$WORK/bin/ping -M do -s 1372 -c1 -W2 10.0.2.2 >pingdf 2>&1
$WORK/bin/ping -M do -s 1500 -c1 -W2 10.0.2.2 >pingbig 2>&1
/usr/bin/python3 udp.py send 4 10.0.2.2 9 64 $(printf '%01372d' 0) df
echo "udp df: \$?" >udpdf
/usr/bin/python3 udp.py send 4 10.0.2.2 9 64 $(printf '%01500d' 0) df 2>>udpdf
echo "udp big df: \$?" >>udpdf
exit 0
EOF
	rm -rf "$RUN/pcap" && mkdir "$RUN/pcap" && chmod 777 "$RUN/pcap" && rm -f "$RUN/stop"
	bg unpriv "$RRS" --no-control -c "$RUN/c.conf" -- sh -c 'while [ ! -e stop ]; do sleep 0.2; done' \
		>"$RUN/c.out" 2>"$RUN/c.err" </dev/null
	c=$BG_PID
	bg unpriv "$RRS" --no-control --pcap "$RUN/pcap" -c "$RUN/b.conf" -- \
		sh -c 'while [ ! -e stop ]; do sleep 0.2; done' >"$RUN/b.out" 2>"$RUN/b.err" </dev/null
	b=$BG_PID
	rrs_run 90 pinga --no-control -c "$RUN/a.conf" -- sh "$RUN/ping.sh"
	touch "$RUN/stop"
	wait_pid 20 "$b" || true
	wait_pid 20 "$c" || true
	expect_rc 0 "ping.sh in A"
	LAST_OUT=$RUN/ping4
	grep -q ' 0% packet loss' "$RUN/ping4" || fail "ping A -> C lost packets"
	LAST_OUT=$RUN/ping6
	grep -q ' 0% packet loss' "$RUN/ping6" || fail "ping -6 A -> C lost packets"
	log "ok: ping and ping -6 through B, 0% loss"
	# ping -6 -I sets IPV6_PKTINFO as a socket option (its device);
	# a link-local group with a scope id leaves by it, and B answers
	# an echo request to ff02::1 (Linux's echo_ignore_multicast 0)
	LAST_OUT=$RUN/ping6dev
	grep -q ' 0% packet loss' "$RUN/ping6dev" || fail "ping -6 -I eth0 A -> B lost packets"
	LAST_OUT=$RUN/ping6mc
	grep -Eq '^64 bytes from fe80::[0-9a-f:]+%eth0: ' "$RUN/ping6mc" ||
		fail "ping -6 ff02::1%eth0: no answer from B's link-local address"
	log "ok: ping -6 -I eth0 to B, and ping -6 ff02::1%eth0 answered by B"
	for f in eth0 eth1; do
		expect_count $f.pcap "icmp[0] = 8" 5 100 "ICMP echo requests on B's $f"
		expect_count $f.pcap "icmp[0] = 0" 5 100 "ICMP echo replies on B's $f"
	done
	# DF (IP_MTU_DISCOVER = DO): ping -M do sends its 1400 bytes with
	# DF, B answers "fragmentation needed" with eth1's MTU, and ping
	# reads it from its error queue, as on Linux
	expect_count eth0.pcap "icmp[0] = 8 and ip[6] & 0x40 != 0 and ip[2:2] = 1400" 1 1 "ping -M do: 1400 bytes with DF"
	expect_count eth0.pcap "icmp[0] = 8 and ip[6] & 0x40 = 0 and ip[2:2] = 1400" 0 0 "... and none without"
	expect_count eth0.pcap "icmp[0] = 8 and ip[6] & 0x40 != 0 and ip[2:2] != 1400" 0 0 "other pings carry no DF"
	expect_count eth0.pcap "icmp[0] = 3 and icmp[1] = 4 and icmp[6:2] = 1280 and src host 10.0.1.2" 2 2 "fragmentation needed with MTU 1280 (ping, UDP)"
	expect_count eth1.pcap "ip[2:2] >= 1400 or ip[6:2] & 0x3fff != 0" 0 0 "nothing too big or fragmented went on to C"
	expect_count eth0.pcap "ip[2:2] > 1500" 0 0 "nothing above A's MTU left A"
	LAST_OUT=$RUN/pingdf
	grep -q 'Frag needed and DF set (mtu = 1280)' "$RUN/pingdf" ||
		fail "ping -M do -s 1372: no fragmentation needed reported"
	log "ok: ping -M do -s 1372 learns MTU 1280 from B"
	LAST_OUT=$RUN/pingbig
	grep -q 'local error: message too long, mtu=1500' "$RUN/pingbig" ||
		fail "ping -M do -s 1500: no local EMSGSIZE with mtu=1500"
	log "ok: ping -M do -s 1500: local error, mtu=1500"
	LAST_OUT=$RUN/udpdf
	grep -qx 'udp df: 0' "$RUN/udpdf" && grep -q 'Message too long' "$RUN/udpdf" &&
		grep -qx 'udp big df: 3' "$RUN/udpdf" ||
		fail "UDP with IP_PMTUDISC_DO: 1372 bytes not sent, or 1500 not refused"
	expect_count eth0.pcap "udp and ip[6] & 0x40 != 0 and ip[2:2] = 1400" 1 1 "UDP with IP_PMTUDISC_DO: DF set"
	log "ok: UDP with IP_PMTUDISC_DO: DF set, EMSGSIZE above the MTU"
	# traceroute -I (raw ICMP sockets): B answers TTL 1 with time
	# exceeded, C the next probe with an echo reply; traceroute's UDP
	# probes: B time exceeded, C port unreachable.  traceroute 2.1 reads
	# the error queue only after poll() says POLLERR (errq.c): without it
	# hop 1 was "*" with -I and B was shown again as hop 2 in UDP mode
	expect_count eth0.pcap "icmp[0] = 11 and src host 10.0.1.2 and icmp[28] = 8" 1 10 "traceroute -I: time exceeded from B"
	expect_count eth0.pcap "icmp6 and ip6[40] = 3 and src host fd00:1::2 and ip6[88] = 128" 1 10 "traceroute -6 -I: time exceeded from B"
	expect_count eth0.pcap "icmp[0] = 11 and src host 10.0.1.2 and icmp[28:2] >= 33434" 1 10 "traceroute: time exceeded from B"
	expect_count eth0.pcap "icmp[0] = 3 and icmp[1] = 3 and src host 10.0.2.2" 1 100 "traceroute: port unreachable from C through B"
	for t in "trace4i 10.0.1.2 10.0.2.2" "trace6i fd00:1::2 fd00:2::2" \
		 "trace4 10.0.1.2 10.0.2.2" "trace6 fd00:1::2 fd00:2::2"; do
		read -r f hop1 hop2 <<<"$t"	# $b, $c: the sandboxes' pids
		LAST_OUT=$RUN/$f
		grep -Eq "^ *1 +$hop1 " "$RUN/$f" || fail "$f: hop 1 is not B ($hop1)"
		grep -Eq "^ *2 +$hop2 " "$RUN/$f" || fail "$f: hop 2 is not C ($hop2)"
		! grep -Eq '^ *3 ' "$RUN/$f" || fail "$f: went on past C"
	done
	log "ok: traceroute, -I, -6 and -6 -I: B at hop 1, C at hop 2"
fi
[ -z "$missing" ] || fail "ping support is missing in the sandbox, so parts were not tested${missing}"
log "PASS"
