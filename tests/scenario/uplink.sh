#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# uplink.sh - the host uplink (--uplink): UDP, ping and DNS from inside the
# sandbox reach the host through the supervisor's own host sockets.
#
#   netns rrs-uplink-PID (root sets it up; everything below runs in it)
#   +-------------------------------------------------------------------+
#   |  rrsandbox --uplink (uid 65534, no caps)      host side           |
#   |  +--------------------------------+                               |
#   |  | up0 10.0.2.15/24, fd00::15/64  |  UDP,     v0 192.0.2.1/24     |
#   |  | default via 10.0.2.2, fd00::2  |--ping---> v0 2001:db8::1/64   |
#   |  | python3 UDP client, ping,      |  (NAT)     udp echo :P        |
#   |  | getent ahostsv4                |--DNS----> 127.0.0.53:53 (own  |
#   |  +--------------------------------+            mount ns: resolv)  |
#   +-------------------------------------------------------------------+
#
# Last, a second sandbox routed through an uplinked one connects over TCP
# to host destinations that cannot be reached (no route, no neighbour):
# the uplinked sandbox relays the host's failures as a NAT would
# (ENETUNREACH, EHOSTUNREACH; netstack/tcpfwd.c).
#
# The network namespace stands in for the host: its 192.0.2.1 is a host
# address the uplink allows by default (the host's loopback is denied
# unless `uplink allow` says otherwise), and its ping_group_range can be
# opened without touching the machine's.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need ip ping getent unshare

[ "$(id -u)" -eq 0 ] || skip "the host side needs root (ip netns add)"
NS=rrs-uplink-$$
ip netns add "$NS" 2>/dev/null || skip "ip netns add refused: no network namespaces here"
# set +e first: under errexit, `(exit $rc)` with rc != 0 would end the
# trap before cleanup() killed the servers.
trap 'rc=$?; set +e; for p in "${RRS_BG_PIDS[@]}"; do kill "$p" 2>/dev/null; done; ip netns del "$NS" 2>/dev/null; (exit $rc); cleanup' EXIT
nsx() { ip netns exec "$NS" "$@"; }
ip -n "$NS" link set lo up
ip -n "$NS" link add v0 type veth peer name v1 || fail "veth pair in $NS"
nsx sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
	net.ipv6.conf.v0.accept_dad=0 || skip "no IPv6 sysctls in the namespace"
ip -n "$NS" addr add 192.0.2.1/24 dev v0
ip -n "$NS" addr add 2001:db8::1/64 dev v0 nodad
ip -n "$NS" link set v0 up
ip -n "$NS" link set v1 up
nsx sysctl -qw net.ipv4.ping_group_range="0 2147483647" ||
	skip "cannot open net.ipv4.ping_group_range in the namespace"

stage_ping

# nsrun() - rrsandbox as the unprivileged user inside the namespace
# @1: seconds, @2: tag of $RUN/TAG.out and .err, @@: rrsandbox arguments
nsrun() {
	local secs=$1 tag=$2
	shift 2
	LAST_OUT=$RUN/$tag.out
	LAST_ERR=$RUN/$tag.err
	log "run in $NS: rrsandbox $*"
	RC=0
	timeout -k 5 "$secs" ip netns exec "$NS" "${UNPRIV_CMD[@]}" "$RRS" "$@" \
		>"$LAST_OUT" 2>"$LAST_ERR" </dev/null || RC=$?
	log "exit status $RC"
}

cat >"$WORK/echo.py" <<'EOF'
import socket, sys
fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
while True:
    d, a = s.recvfrom(65535)
    s.sendto(d, a)
EOF
# A tiny DNS responder, UDP and TCP (RFC 1035 4.1, 4.2.2): A for one
# name, NXDOMAIN for others
cat >"$WORK/dns.py" <<'EOF'
import socket, struct, sys, threading
addr, name, answer = sys.argv[1], sys.argv[2].lower(), sys.argv[3]

def reply(q):
    if len(q) < 17:
        return None
    i, labels = 12, []
    while i < len(q) and q[i]:
        labels.append(q[i + 1:i + 1 + q[i]].decode(errors="replace"))
        i += 1 + q[i]
    if i + 5 > len(q):
        return None
    qtype = struct.unpack("!H", q[i + 1:i + 3])[0]
    hit = ".".join(labels).lower() == name
    an = 1 if hit and qtype == 1 else 0
    hdr = q[:2] + struct.pack("!HHHHH", 0x8180 | (0 if hit else 3), 1, an, 0, 0)
    rr = b""
    if an:
        rr = struct.pack("!HHHLH", 0xc00c, 1, 1, 60, 4) + socket.inet_aton(answer)
    return hdr + q[12:i + 5] + rr

def tcp():
    l = socket.socket()
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.bind((addr, 53))
    l.listen(8)
    while True:
        c, _ = l.accept()
        with c:
            q = b""
            while len(q) < 2 or len(q) < 2 + struct.unpack("!H", q[:2])[0]:
                d = c.recv(4096)
                if not d:
                    break
                q += d
            r = reply(q[2:])
            if r:
                c.sendall(struct.pack("!H", len(r)) + r)

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((addr, 53))
threading.Thread(target=tcp, daemon=True).start()
print("ready", flush=True)
while True:
    q, peer = s.recvfrom(512)
    r = reply(q)
    if r:
        s.sendto(r, peer)
EOF
chmod 644 "$WORK/echo.py" "$WORK/dns.py"

inner_script udp.py <<'EOF'
import errno, os, socket, sys, time
port, closed = int(sys.argv[1]), int(sys.argv[2])
ok = True
for fam, host in ((socket.AF_INET, "192.0.2.1"), (socket.AF_INET6, "2001:db8::1")):
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.settimeout(3)
    for size in (1, 1400, 60000):
        data = os.urandom(size)
        s.sendto(data, (host, port))
        try:
            got, peer = s.recvfrom(65535)
        except OSError as e:
            print(f"echo {host} {size}: {e}"); ok = False; continue
        good = got == data and peer[0] == host and peer[1] == port
        print(f"echo {host} {size}: {'ok' if good else 'MISMATCH'} from {peer[:2]}")
        ok &= good
    # A closed port: the host's ICMP port unreachable reaches the socket.
    c = socket.socket(fam, socket.SOCK_DGRAM)
    c.connect((host, closed))
    c.send(b"anyone?")
    err = 0
    for _ in range(30):
        time.sleep(0.1)
        err = c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if err:
            break
    print(f"closed {host}: {errno.errorcode.get(err, err)}")
    ok &= err == errno.ECONNREFUSED
sys.exit(0 if ok else 1)
EOF

inner_script noroute.py <<'EOF'
import errno, socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    s.sendto(b"x", ("192.0.2.1", 9))
    print("sent")
except OSError as e:
    print(errno.errorcode.get(e.errno, e.errno))
EOF

port=$(free_port)
closed=$(free_port)
[ "$port" != "$closed" ] || closed=$((port + 1))
bg ip netns exec "$NS" "$PY" "$WORK/echo.py" 192.0.2.1 "$port"
bg ip netns exec "$NS" "$PY" "$WORK/echo.py" 2001:db8::1 "$port"
sleep 0.5

step "without --uplink there is no route out"
nsrun 20 noroute --no-control -- "$PY" "$RUN/noroute.py"
expect_rc 0 "python3 noroute.py"
grep -qx ENETUNREACH "$LAST_OUT" || fail "without --uplink: $(cat "$LAST_OUT")"

step "--uplink: up0, its addresses and default routes"
nsrun 20 show --no-control --uplink -- sh -c \
	'ip addr show up0; ip route; ip -6 route; ip link del up0 && ip route && ip -6 route'
expect_rc 0 "ip addr/route with --uplink"
show_out() { sed 's/^/    /' "$LAST_OUT" >&2; }
show_out
grep -q "link/none" "$LAST_OUT" || fail "up0 is not link/none"
grep -q "inet 10.0.2.15/24 scope global up0" "$LAST_OUT" || fail "no 10.0.2.15/24 on up0"
grep -q "inet6 fd00::15/64 scope global" "$LAST_OUT" || fail "no fd00::15/64 on up0"
[ "$(grep -c "^default via 10.0.2.2 dev up0" "$LAST_OUT")" -eq 1 ] || fail "no IPv4 default route via 10.0.2.2"
[ "$(grep -c "^default via fd00::2 dev up0" "$LAST_OUT")" -eq 1 ] || fail "no IPv6 default route via fd00::2"
# after `ip link del up0`, the second route listing has no default
[ "$(grep -c "^default" "$LAST_OUT")" -eq 2 ] || fail "default routes left after ip link del up0"

step "UDP echo (IPv4, IPv6), byte-exact; a closed port is ECONNREFUSED"
nsrun 30 udp --no-control --uplink -- "$PY" "$RUN/udp.py" "$port" "$closed"
show_out
expect_rc 0 "python3 udp.py through the uplink"

step "ping through the uplink (ICMP datagram sockets of the supervisor)"
nsrun 30 ping --no-control --uplink -- sh -c \
	"$PING -n -c 3 -i 0.2 -W 2 192.0.2.1 && $PING -6 -n -c 3 -i 0.2 -W 2 2001:db8::1"
show_out
expect_rc 0 "ping -c 3 through the uplink"
[ "$(grep -c " 0% packet loss" "$LAST_OUT")" -eq 2 ] || fail "pings lost"

step "ping refused by ping_group_range: one warning, answered prohibited"
nsx sysctl -qw net.ipv4.ping_group_range="1 0"
nsrun 30 pingdeny --no-control --uplink -- "$PING" -n -c 2 -i 0.2 -W 1 192.0.2.1
nsx sysctl -qw net.ipv4.ping_group_range="0 2147483647"
show_out
[ "$RC" -ne 0 ] || fail "ping passed although the host refuses ICMP sockets"
grep -q "Packet filtered\|Prohibited" "$LAST_OUT" || fail "ping saw no admin-prohibited answer"
[ "$(grep -c "ping_group_range" "$LAST_ERR")" -eq 1 ] ||
	fail "want one warning naming ping_group_range, got: $(cat "$LAST_ERR")"

step "DNS: a loopback resolver in resolv.conf answers through the uplink"
printf 'nameserver 127.0.0.53\noptions timeout:2 attempts:1\n' >"$WORK/resolv.conf"
chmod 644 "$WORK/resolv.conf"
inner_script dns.sh <<EOF
#!/bin/sh
mount --bind "$WORK/resolv.conf" /etc/resolv.conf || exit 97
rm -f "$RUN/dns.ready"	# each run waits for its own responder
"$PY" "$WORK/dns.py" 127.0.0.53 uplink.test 198.51.100.7 >"$RUN/dns.ready" &
s=\$!
for i in 1 2 3 4 5 6 7 8 9 10; do [ -s "$RUN/dns.ready" ] && break; sleep 0.2; done
"\$@"
rc=\$?
kill \$s
exit \$rc
EOF
dnsrun() {
	local tag=$1
	shift
	LAST_OUT=$RUN/$tag.out
	LAST_ERR=$RUN/$tag.err
	RC=0
	timeout -k 5 30 ip netns exec "$NS" unshare -m sh "$RUN/dns.sh" \
		"${UNPRIV_CMD[@]}" "$RRS" --no-control "$@" \
		>"$LAST_OUT" 2>"$LAST_ERR" </dev/null || RC=$?
	[ "$RC" -ne 97 ] || skip "cannot bind-mount resolv.conf in a mount namespace"
	[ -s "$RUN/dns.ready" ] || fail "the DNS responder did not start"
	log "exit status $RC"
	sed 's/^/    stderr: /' "$LAST_ERR" >&2
}
dnsrun dns --uplink -- getent ahostsv4 uplink.test
show_out
expect_rc 0 "getent ahostsv4 uplink.test with --uplink"
grep -q "^198.51.100.7 .*uplink.test" "$LAST_OUT" || fail "uplink.test did not resolve to 198.51.100.7"
# AF_UNSPEC: A and AAAA, which glibc sends together (sendmmsg)
dnsrun dnspy --uplink -- "$PY" -c \
	'import socket; print(sorted({a[4][0] for a in socket.getaddrinfo("uplink.test", 80)}))'
show_out
expect_rc 0 "python3 getaddrinfo(uplink.test) with --uplink"
grep -qx "\['198.51.100.7'\]" "$LAST_OUT" || fail "getaddrinfo: $(cat "$LAST_OUT")"
# over TCP (a truncated answer's retry, options use-vc): to the host's
# resolver at the same address, seen as a loopback connection
inner_script dnstcp.py <<'EOF'
import socket, struct
q = struct.pack("!HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0)
q += b"".join(bytes([len(x)]) + x for x in (b"uplink", b"test")) + b"\0"
q += struct.pack("!HH", 1, 1)
c = socket.create_connection(("127.0.0.53", 53), timeout=5)
c.sendall(struct.pack("!H", len(q)) + q)
r = b""
while len(r) < 2 or len(r) < 2 + struct.unpack("!H", r[:2])[0]:
    d = c.recv(4096)
    if not d:
        break
    r += d
print("peer", c.getpeername()[0], "local", c.getsockname()[0])
print("answer", socket.inet_ntoa(r[-4:]) if len(r) > 20 else "none")
EOF
dnsrun dnstcp --uplink -- "$PY" "$RUN/dnstcp.py"
show_out
expect_rc 0 "DNS over TCP to 127.0.0.53 with --uplink"
grep -qx "answer 198.51.100.7" "$LAST_OUT" || fail "DNS over TCP: no answer from the host's resolver"
grep -qx "peer 127.0.0.53 local 127.0.0.1" "$LAST_OUT" ||
	fail "DNS over TCP: names $(head -n1 "$LAST_OUT")"
dnsrun dnsno --uplink -- getent ahostsv4 nothere.test
expect_rc 2 "getent ahostsv4 nothere.test (NXDOMAIN)"
dnsrun dnslo -- getent ahostsv4 uplink.test
[ "$RC" -ne 0 ] || fail "resolved without --uplink: the sandbox's lo should have caught it"
# a resolver of the sandbox's own on that address keeps its queries
inner_script ownres.sh <<EOF
#!/bin/sh
"$PY" "$WORK/dns.py" 127.0.0.53 uplink.test 203.0.113.9 >"$RUN/own.ready" &
s=\$!
for i in 1 2 3 4 5 6 7 8 9 10; do [ -s "$RUN/own.ready" ] && break; sleep 0.2; done
getent ahostsv4 uplink.test
rc=\$?
kill \$s
exit \$rc
EOF
dnsrun dnsown --uplink -- sh "$RUN/ownres.sh"
show_out
expect_rc 0 "getent with the sandbox's own resolver on 127.0.0.53"
grep -q "^203.0.113.9 .*uplink.test" "$LAST_OUT" ||
	fail "the sandbox's own resolver on 127.0.0.53 did not get the query (the host's did)"

# (not "$RRS" --help | grep -q: grep leaving early SIGPIPEs the help's
# writer, and pipefail would take the match for none)
help=$("$RRS" --help)
if grep -q -- --uplink-deny <<<"$help"; then
	step "a denied destination is answered prohibited"
	inner_script deny.py <<'EOF'
import errno, socket, sys, time
c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
c.connect(("192.0.2.1", int(sys.argv[1])))
c.send(b"x")
err = 0
for _ in range(30):
    time.sleep(0.1)
    err = c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    if err:
        break
print(errno.errorcode.get(err, err))
EOF
	nsrun 30 deny --no-control --uplink --uplink-deny 192.0.2.0/24 -- \
		"$PY" "$RUN/deny.py" "$port"
	show_out
	expect_rc 0 "python3 deny.py"
	# ICMP admin prohibited (type 3 code 13): EHOSTUNREACH, as Linux's
	# icmp_err_convert[]
	grep -qx EHOSTUNREACH "$LAST_OUT" || fail "denied destination: $(cat "$LAST_OUT")"
else
	log "SKIPPED PART: --uplink-deny does not exist yet; the denied-destination check needs it"
fi

step "TCP forwarded through the uplink: the host's connect failures, as a NAT gives them"
# A (--uplink) routes for B over a link; the namespace's host has no
# neighbour at 192.0.2.77 / 2001:db8::77 (unreachable after ARP/ND give
# up) and no route to 198.51.100.0/24 / 2001:db8:1::/48
routed_pair fa fb
inner_script fconn.py <<'EOF'
import errno, socket, sys
for addr in sys.argv[2:]:
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(20)
    try:
        s.connect((addr, int(sys.argv[1])))
        print(addr, "connected", flush=True)
    except socket.timeout:
        print(addr, "timeout", flush=True)
    except OSError as e:
        print(addr, errno.errorcode.get(e.errno, e.errno), flush=True)
    s.close()
EOF
bg ip netns exec "$NS" "${UNPRIV_CMD[@]}" "$RRS" --no-control --uplink \
	-c "$RUN/fa.conf" -- sleep 60 >"$RUN/fa.out" 2>"$RUN/fa.err" </dev/null
fa=$BG_PID
sleep 1
nsrun 60 fwdfail --no-control -c "$RUN/fb.conf" -- "$PY" "$RUN/fconn.py" 80 \
	198.51.100.1 2001:db8:1::1 192.0.2.77 2001:db8::77
show_out
expect_rc 0 "python3 fconn.py in a sandbox routed through the uplink"
[ "$(cat "$LAST_OUT")" = "$(printf '%s\n' '198.51.100.1 ENETUNREACH' \
	'2001:db8:1::1 ENETUNREACH' '192.0.2.77 EHOSTUNREACH' \
	'2001:db8::77 EHOSTUNREACH')" ] ||
	fail "forwarded TCP: the host's failures did not reach the client as a NAT gives them"
kill -TERM "$fa" 2>/dev/null
wait_pid 10 "$fa" || true
log "PASS"
