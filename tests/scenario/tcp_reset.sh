#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# tcp_reset.sh - the reset lwIP sends for a segment no connection wants
# carries that segment's TOS (IPv6: traffic class) less the ECN bits, as
# Linux's tcp_v4_send_reset()/tcp_v6_send_reset() do; and its TTL / hop
# limit is 64 whatever the sender's.  A program in one sandbox connects
# to a closed port on 127.0.0.1 and ::1 with IP_TOS / IPV6_TCLASS 0xb9
# and IP_TTL / IPV6_UNICAST_HOPS 200 (ECONNREFUSED each), and once more
# with 0; the capture of lo must show each SYN and its RST with these
# values, TCP keeping the ECN bits to itself (getsockopt() gives 0xb8,
# and so does the SYN).
#
#   rrsandbox -c lo.conf (pcap start lo lo.pcap) -- python3 rst.py PORT
#   +---------------------------------------------------------------+
#   | SYN 127.0.0.1 -> 127.0.0.1:PORT tos 0xb8 ttl 200  -> RST tos 0xb8 ttl 64
#   | SYN ::1 -> ::1:PORT class 0xb8 hlim 200           -> RST class 0xb8 hlim 64
#   | the same with 0                                    -> RST tos 0x0 / class 0x00
#   +---------------------------------------------------------------+
#
# Then the errors a program reads after a reset, as Linux 6.x gives them
# (recorded below; compared with a namespace's when run as root), through
# lwIP (--no-shortcut) and through the local shortcut (one AF_UNIX pair):
# a peer closing with SO_LINGER {1, 0} set on its listener (the accepted
# socket inherits it) or on the client before connect() resets the
# connection: the other side reads what was sent first, then ECONNRESET
# once, then EOF.  Before, the accepted socket did not inherit SO_LINGER
# and a shortcut's close read as EOF.
#
#   rrsandbox [--no-shortcut] -- python3 linger.py
#   +-------------------------------------------------------------------+
#   | listener 127.0.0.1 / ::1 with SO_LINGER {1, 0}                    |
#   |   accept; send "bye"; close  ->  client: "bye", ECONNRESET, EOF   |
#   | client with SO_LINGER {1, 0}; connect                             |
#   |   send "bye"; close          ->  server: "bye", ECONNRESET, EOF   |
#   +-------------------------------------------------------------------+

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need tcpdump "$PY"

cat >"$RUN/lo.conf" <<EOF
pcap start lo $RUN/lo.pcap
EOF
chmod 644 "$RUN/lo.conf"

inner_script rst.py <<'EOF'
#!/usr/bin/python3
# rst.py PORT: a refused connect to PORT on 127.0.0.1 and ::1, with TOS
# 0xb9 and TTL 200, then with 0 and the default TTL; prints each result
import socket, sys
port = int(sys.argv[1])
for tos in (0xb9, 0):
    for fam, addr, lvl, opt, hop in (
            (socket.AF_INET, "127.0.0.1", socket.IPPROTO_IP, socket.IP_TOS,
             socket.IP_TTL),
            (socket.AF_INET6, "::1", socket.IPPROTO_IPV6, socket.IPV6_TCLASS,
             socket.IPV6_UNICAST_HOPS)):
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.setsockopt(lvl, opt, tos)
        if s.getsockopt(lvl, opt) != tos & ~3:
            print(addr, tos, "getsockopt gives", s.getsockopt(lvl, opt))
        if tos:
            s.setsockopt(lvl, hop, 200)
        s.settimeout(5)
        try:
            s.connect((addr, port))
            print(addr, tos, "connected")
        except ConnectionRefusedError:
            print(addr, tos, "refused")
        except OSError as e:
            print(addr, tos, "error", e)
        s.close()
EOF

port=$(free_port)
step "refused connects with TOS 0xb9 and 0 to port $port"
rrs_run 30 rst --no-control -c "$RUN/lo.conf" -- "$PY" "$RUN/rst.py" "$port"
expect_rc 0 "rst.py"
for l in "127.0.0.1 185 refused" "::1 185 refused" "127.0.0.1 0 refused" "::1 0 refused"; do
	grep -qxF "$l" "$RUN/rst.out" || fail "no line '$l' from rst.py"
done
grep -q 'getsockopt gives' "$RUN/rst.out" &&
	fail "getsockopt() of IP_TOS / IPV6_TCLASS on a TCP socket kept the ECN bits"

step "each RST carries its SYN's TOS less ECN, and TTL 64"
tcpdump -nn -v -r "$RUN/lo.pcap" tcp >"$RUN/lo.txt" 2>"$RUN/tcpdump.err" || {
	LAST_OUT=$RUN/lo.txt LAST_ERR=$RUN/tcpdump.err
	fail "tcpdump could not read lo's capture"
}
LAST_OUT=$RUN/lo.txt LAST_ERR=
# tcpdump -v breaks an IPv4 packet's line after the IP header: one line
# a packet again
pairs=$(awk '/^[^ \t]/ { if (l != "") print l; l = $0; next }
	{ l = l " " $0 } END { if (l != "") print l }' "$RUN/lo.txt")
want() { # REGEX WHAT
	# a here-string, not a pipe: grep -q leaving early would SIGPIPE
	# printf, and pipefail would take the match for a failure
	grep -Eq -- "$1" <<<"$pairs" || fail "$2 (no segment matching '$1')"
}
want "IP \\(tos 0xb8, ttl 200,.* 127\\.0\\.0\\.1\\.[0-9]+ > 127\\.0\\.0\\.1\\.$port: Flags \\[S\\]" \
	"the IPv4 SYN with TOS 0xb8 (0xb9 less ECN) and TTL 200"
want "IP \\(tos 0xb8, ttl 64,.* 127\\.0\\.0\\.1\\.$port > 127\\.0\\.0\\.1\\.[0-9]+: Flags \\[R\\.\\]" \
	"the IPv4 RST with the SYN's TOS 0xb8 and TTL 64"
want "IP \\(tos 0x0, ttl 64,.* 127\\.0\\.0\\.1\\.$port > 127\\.0\\.0\\.1\\.[0-9]+: Flags \\[R\\.\\]" \
	"the IPv4 RST to a SYN with TOS 0"
want "IP6 \\(class 0xb8, (flowlabel [0-9a-fx]+, )?hlim 200,.* ::1\\.[0-9]+ > ::1\\.$port: Flags \\[S\\]" \
	"the IPv6 SYN with traffic class 0xb8 and hop limit 200"
want "IP6 \\(class 0xb8, (flowlabel [0-9a-fx]+, )?hlim 64,.* ::1\\.$port > ::1\\.[0-9]+: Flags \\[R\\.\\]" \
	"the IPv6 RST with the SYN's traffic class 0xb8 and hop limit 64"
want "IP6 \\((flowlabel [0-9a-fx]+, )?hlim 64,.* ::1\\.$port > ::1\\.[0-9]+: Flags \\[R\\.\\]" \
	"the IPv6 RST to a SYN with traffic class 0"
n=$(printf '%s\n' "$pairs" | grep -c "Flags \\[R" || true)
[ "$n" -eq 4 ] || fail "$n resets in lo's capture, want 4"

inner_script linger.py <<'EOF'
#!/usr/bin/python3
# linger.py: connections closed with SO_LINGER {1, 0}, set on the
# listener (inherited) or on the client; one line per read of the other
# side, "FAMILY CASE result"
import errno, socket, struct, time
LZ = struct.pack("ii", 1, 0)
def res(f):
    try:
        return repr(f())
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e.errno))
for fam, addr, n in ((socket.AF_INET, "127.0.0.1", "v4"),
                     (socket.AF_INET6, "::1", "v6")):
    l = socket.socket(fam)
    l.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LZ)
    l.bind((addr, 0))
    l.listen()
    c = socket.create_connection(l.getsockname()[:2], timeout=5)
    a, _ = l.accept()
    print(n, "accepted linger", res(lambda: struct.unpack(
        "ii", a.getsockopt(socket.SOL_SOCKET, socket.SO_LINGER, 8))))
    a.send(b"bye")
    a.close()
    time.sleep(0.3)
    for _ in range(3):
        print(n, "listener", res(lambda: c.recv(10)))
    c.close()
    l.close()
    l = socket.socket(fam)
    l.bind((addr, 0))
    l.listen()
    c = socket.socket(fam)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LZ)
    c.settimeout(5)
    c.connect(l.getsockname()[:2])
    a, _ = l.accept()
    a.settimeout(5)
    c.send(b"bye")
    c.close()
    time.sleep(0.3)
    for _ in range(3):
        print(n, "client", res(lambda: a.recv(10)))
    a.close()
    l.close()
EOF
# Linux 6.x, as a namespace's loopback gives it
cat >"$RUN/linger.want" <<'EOF'
v4 accepted linger (1, 0)
v4 listener b'bye'
v4 listener ECONNRESET
v4 listener b''
v4 client b'bye'
v4 client ECONNRESET
v4 client b''
v6 accepted linger (1, 0)
v6 listener b'bye'
v6 listener ECONNRESET
v6 listener b''
v6 client b'bye'
v6 client ECONNRESET
v6 client b''
EOF
if [ "$(id -u)" = 0 ] && ip netns add "rrs-lg-$$" 2>/dev/null; then
	step "linger.py in a namespace: this kernel gives the recorded results"
	ip -n "rrs-lg-$$" link set lo up
	rc=0
	ip netns exec "rrs-lg-$$" "$PY" "$RUN/linger.py" >"$RUN/linger.linux" 2>&1 || rc=$?
	ip netns del "rrs-lg-$$"
	[ "$rc" -eq 0 ] || fail "linger.py in a namespace: status $rc"
	diff -u "$RUN/linger.want" "$RUN/linger.linux" >&2 ||
		fail "this kernel's results (+) differ from those recorded (-)"
fi
for opt in "" --no-shortcut; do
	step "SO_LINGER {1, 0} closes reset the peer (${opt:-shortcut})"
	rrs_run 30 "linger$opt" --no-control $opt -- "$PY" "$RUN/linger.py"
	expect_rc 0 "linger.py"
	diff -u "$RUN/linger.want" "$LAST_OUT" >&2 ||
		fail "after a reset the sandbox (+) reads otherwise than Linux (-)${opt:+ with $opt}"
done
log "PASS"
