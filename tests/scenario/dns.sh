#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# dns.sh - a DNS server in one sandbox answers another over their link,
# and a datagram socket's IPV6_MTU fragments its IPv6 packets as Linux's
# does (unbound sets 1280 on its UDP sockets and would not start where the
# option was refused: tests/scenario/unbound.sh).
#
#   A (a.conf, --pcap)                       B (b.conf)
#   eth0 10.0.9.1/24  fd00:9::1/64  ==link==  eth0 10.0.9.2/24  fd00:9::2/64
#   dig, probe.py                             dnsmasq on port 53, recv.py on 9
#
# dnsmasq answers dig from A over UDP and TCP, IPv4 and IPv6, and from B
# itself on 127.0.0.1 and ::1; a TXT answer of five 250-byte strings
# (EDNS buffer 4096) comes whole, in one IPv6 packet of over 1300 bytes,
# since dnsmasq sets no IPV6_MTU.
#
# probe.py: setsockopt(IPV6_MTU) takes 0 and 1280 and refuses 1000 and
# -1 (EINVAL), TCP sockets too, an AF_INET socket with ENOPROTOOPT;
# getsockopt() says the path MTU (1500 connected, ENOTCONN unconnected);
# with IPV6_MTU 1280 a 1400-byte datagram is sent in fragments, and with
# IPV6_DONTFRAG too one past 1232 bytes is refused with EMSGSIZE.  The
# expected lines are what the same script printed between two Linux 6.18
# network namespaces joined by a veth pair, with the same addresses.  B
# receives the 1400-, 1232- and 1300-byte datagrams whole; A's pcap shows
# the 1400 and 1300 ones (the last sent natively on a connected socket)
# in two fragments each, the first 1280 bytes (a 1294-byte frame).

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need dnsmasq dig python3 tcpdump

routed_pair a b
inner_dns_sh
mkdir "$RUN/pcap"
chmod 777 "$RUN/pcap"
BIG=$(python3 -c 'print(",".join(c * 250 for c in "abcde"))')

cat >"$RUN/probe.py" <<'EOF'
import errno, socket, sys
IPV6_MTU, IPV6_DONTFRAG = 24, 62
dst = (sys.argv[1], 9)
def tr(name, f):
    try:
        r = f()
        print(name, "ok" if r is None else r)
    except OSError as e:
        print(name, errno.errorcode.get(e.errno, e.errno))
def mtu(so, v):
    return lambda: so.setsockopt(socket.IPPROTO_IPV6, IPV6_MTU, v)
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
tr("set 1000", mtu(s, 1000))
tr("set -1", mtu(s, -1))
tr("set 0", mtu(s, 0))
tr("set 1280", mtu(s, 1280))
tr("get unconnected", lambda: s.getsockopt(socket.IPPROTO_IPV6, IPV6_MTU))
tr("sendto 1400", lambda: s.sendto(b"a" * 1400, dst))
tr("dontfrag", lambda: s.setsockopt(socket.IPPROTO_IPV6, IPV6_DONTFRAG, 1))
tr("sendto 1400 dontfrag", lambda: s.sendto(b"b" * 1400, dst))
tr("sendto 1232 dontfrag", lambda: s.sendto(b"c" * 1232, dst))
tr("sendto 1233 dontfrag", lambda: s.sendto(b"d" * 1233, dst))
c = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
tr("connected set 1280", mtu(c, 1280))
tr("connect", lambda: c.connect(dst))
tr("get connected", lambda: c.getsockopt(socket.IPPROTO_IPV6, IPV6_MTU))
tr("send 1300", lambda: c.send(b"e" * 1300))
t = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
tr("tcp set 1280", mtu(t, 1280))
tr("tcp set 100", mtu(t, 100))
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
tr("udp4 set", mtu(u, 1280))
EOF
cat >"$RUN/probe.expected" <<'EOF'
set 1000 EINVAL
set -1 EINVAL
set 0 ok
set 1280 ok
get unconnected ENOTCONN
sendto 1400 1400
dontfrag ok
sendto 1400 dontfrag EMSGSIZE
sendto 1232 dontfrag 1232
sendto 1233 dontfrag EMSGSIZE
connected set 1280 ok
connect ok
get connected 1500
send 1300 1300
tcp set 1280 ok
tcp set 100 EINVAL
udp4 set ENOPROTOOPT
EOF

# recv.py OUT: says "bound" in OUT once port 9 is bound, then one line
# per datagram (length, first byte), three at most, 30 s at most
cat >"$RUN/recv.py" <<'EOF'
import socket, sys
out = open(sys.argv[1], "w", buffering=1)
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", 9))
s.settimeout(30)
print("bound", file=out)
for _ in range(3):
    try:
        d = s.recv(65536)
    except socket.timeout:
        break
    print("got", len(d), d[:1].decode(), file=out)
EOF

inner_script b.sh <<'EOF'
#!/bin/sh
# b.sh DIR BIG: recv.py, then dnsmasq; asks it itself; prints what
# recv.py received once it is done
dir=$1 big=$2
tmp=$(mktemp -d)
python3 "$dir/recv.py" "$tmp/recv" &
r=$!
i=0
until grep -q bound "$tmp/recv" 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 100 ] || { echo "recv.py not bound"; exit 1; }
	sleep 0.05
done
dnsmasq -k -C /dev/null -p 53 --bind-interfaces \
	--listen-address=10.0.9.2,fd00:9::2,127.0.0.1,::1 \
	--no-resolv --no-hosts --edns-packet-max=4096 \
	--address=/b.sandbox/10.9.9.9 --address=/b.sandbox/fd00::99 \
	--txt-record="big.sandbox,$big" --pid-file= -u "" \
	--log-queries --log-facility=- 2>"$tmp/dnsmasq.log" &
d=$!
sh "$dir/dns_wait.sh" 127.0.0.1 b.sandbox || { cat "$tmp/dnsmasq.log"; exit 1; }
echo "self v4 $(dig +short +time=2 +tries=1 @127.0.0.1 b.sandbox A)"
echo "self v6 $(dig +short +time=2 +tries=1 @::1 b.sandbox AAAA)"
wait $r
sed 's/^/recv /' "$tmp/recv"
kill $d
wait $d
echo "dnsmasq exit $?"
grep -c "query\[" "$tmp/dnsmasq.log" | sed 's/^/dnsmasq queries /'
rm -rf "$tmp"
EOF

inner_script a.sh <<'EOF'
#!/bin/sh
# a.sh DIR: asks B's dnsmasq once it answers, then runs probe.py
dir=$1
tmp=$(mktemp -d)
sh "$dir/dns_ask.sh" b.sandbox "$tmp/big" || exit 1
echo "big strings $(grep '^big\.sandbox\..*TXT' "$tmp/big" | grep -o '"[a-e]*"' | wc -l)"
grep -q '^;; flags:.* tc[ ;]' "$tmp/big" && echo "big truncated"
rm -rf "$tmp"
python3 "$dir/probe.py" fd00:9::2 | sed 's/^/probe /'
EOF

bg unpriv "$RRS" --no-control -c "$RUN/b.conf" -- sh "$RUN/b.sh" "$RUN" "$BIG" \
	>"$RUN/b.out" 2>"$RUN/b.err"
b=$BG_PID
rrs_run 60 a --no-control -c "$RUN/a.conf" --pcap "$RUN/pcap" -- sh "$RUN/a.sh" "$RUN"
expect_rc 0 "A's queries and probe"
wait_pid 30 "$b" || fail "B's dnsmasq and receiver did not finish (status $?)"

step "dnsmasq in B answers A over UDP and TCP, IPv4 and IPv6, and B itself"
want_lines "$LAST_OUT" A "v4 udp 10.9.9.9" "v6 udp fd00::99" "v4 tcp fd00::99" \
	"v6 tcp 10.9.9.9" "big strings 5"
! grep -q "big truncated" "$LAST_OUT" || fail "A: the big TXT answer came truncated"
want_lines "$RUN/b.out" B "self v4 10.9.9.9" "self v6 fd00::99" "dnsmasq exit 0"
n=$(tcpdump -nn -r "$RUN/pcap/eth0.pcap" 'src host fd00:9::2 and udp src port 53 and ip6[4:2] > 1300' 2>/dev/null | wc -l)
[ "$n" -eq 1 ] || fail "A's pcap: $n big TXT answers in one packet each, want 1 (dnsmasq sets no IPV6_MTU)"
log "ok: 7 answers; the big TXT answer in one packet"

step "IPV6_MTU as Linux: set, refused, read, and what it does to sends"
sed -n 's/^probe //p' "$LAST_OUT" >"$RUN/probe.out"
diff -u "$RUN/probe.expected" "$RUN/probe.out" >&2 || fail "probe.py differs from Linux (-: Linux, +: the sandbox)"
want_lines "$RUN/b.out" B "recv got 1400 a" "recv got 1232 c" "recv got 1300 e"
log "ok: probe.py as on Linux; B got the three datagrams whole"

step "A's pcap: 1400 and 1300 bytes in fragments of at most 1280, 1232 whole"
ip6_frags "$RUN/pcap/eth0.pcap" fd00:9::1 "$RUN/frags.txt"
n=$(wc -l <"$RUN/frags.txt")
[ "$n" -eq 4 ] || fail "$n fragments from A, want 4"
n=$(grep -c ', length 1294: .* frag (0|1232) ' "$RUN/frags.txt" || true)
[ "$n" -eq 2 ] || fail "$n first fragments of 1280 bytes (1294-byte frames), want 2"
n=$(tcpdump -nn -e -r "$RUN/pcap/eth0.pcap" 'src host fd00:9::1 and ip6[6] = 17 and udp dst port 9' 2>/dev/null |
	grep -c ', length 1294: .*UDP, length 1232$' || true)
[ "$n" -eq 1 ] || fail "$n whole 1232-byte datagrams, want 1"
log "ok: 2 datagrams in 4 fragments, first ones 1280 bytes; 1232 bytes in one packet"
log "PASS"
