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
log "PASS"
