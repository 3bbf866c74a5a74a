#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# uplink_fwd.sh - TCP that one sandbox routes through another's host
# uplink: terminated in A's supervisor and relayed over its own host
# sockets (netstack/tcpfwd.c), as slirp4netns or a Linux NAT carries it.
#
#   host 127.0.0.1:H / [::1]:H6   python3 http.server (www/)
#        ^                         sink.py, half.py (nc-like half close)
#        | A's supervisor's own host sockets (NAT)
#   +----|-------------------------------+         +---------------------------+
#   | A: rrsandbox --uplink -s a.sock    |  link   | B: rrsandbox -c b.conf    |
#   |    up0 10.0.2.15, fd00::15         |=========| eth0 10.0.9.2, fd00:9::2  |
#   |    eth0 10.0.9.1, fd00:9::1        | a.link  | default via 10.0.9.1,     |
#   |    --uplink-allow 127.0.0.1, ::1   | b.link  |   fd00:9::1               |
#   |    sleep (nothing of its own)      |         | curl, nc, probe.py        |
#   +------------------------------------+         +---------------------------+
#
# B reaches the host's loopback at 10.0.2.2 and fd00::2, the gateway of
# A's uplink.  Checked: curl fetches 8 MiB byte-exact over IPv4 and IPv6
# and sees the destination as its peer; half-closes both ways (nc -N and
# a server that answers after the client's FIN, then closes first); a
# closed host port gives ECONNREFUSED; a destination A's rules deny gives
# EHOSTUNREACH (IPv4) / EACCES (IPv6) and never reaches the server; 200
# connections opened and closed leave A's supervisor with the fds it had
# and `show links` with no relay; UDP answers come back through A; past
# the bound (lowered by RRSANDBOX_FWD_MAX) a connection is refused and
# counted; removing the uplink resets a relay on both sides.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need curl nc sha256sum

stage_rrctl
rrctl() { with_timeout 10 unpriv "$RRCTL" -s "$RUN/a.sock" "$@"; }

# ---- the host's servers ----
host_www

# ---- A: the uplink, routing for B ----
routed_pair a b
bg unpriv "$RRS" -s "$RUN/a.sock" --uplink --uplink-allow 127.0.0.1/32 \
	--uplink-allow ::1/128 -c "$RUN/a.conf" -- sleep 600 \
	>"$RUN/a.out" 2>"$RUN/a.err" </dev/null
A=$BG_PID
wait_sock 10 "$RUN/a.sock" || true	# the rrctl below says
rrctl show links >"$RUN/links0.out" || fail "A's control socket did not come up"

# b() - run PROGRAM in B: @1 seconds, @2 tag, @@ program and arguments
b() {
	local secs=$1 tag=$2
	shift 2
	rrs_run "$secs" "$tag" --no-control -c "$RUN/b.conf" -- "$@"
}

step "curl in B fetches 8 MiB from the host through A (IPv4, IPv6)"
b 60 curl4 curl -fsS --max-time 40 -w '%{remote_ip}\n' -o "$RUN/got4.bin" \
	"http://10.0.2.2:$H/big.bin"
expect_rc 0 "curl http://10.0.2.2:$H/big.bin in B"
[ "$(sha "$RUN/got4.bin")" = "$(sha "$RUN/www/big.bin")" ] ||
	fail "the file fetched through A differs (IPv4)"
[ "$(cat "$RUN/curl4.out")" = 10.0.2.2 ] ||
	fail "curl's peer was not the destination: $(cat "$RUN/curl4.out")"
b 60 curl6 curl -gfsS --max-time 40 -w '%{remote_ip}\n' -o "$RUN/got6.bin" \
	"http://[fd00::2]:$H6/big.bin"
expect_rc 0 "curl http://[fd00::2]:$H6/big.bin in B"
[ "$(sha "$RUN/got6.bin")" = "$(sha "$RUN/www/big.bin")" ] ||
	fail "the file fetched through A differs (IPv6)"

step "UDP from B through A: the host's answers come back over the link"
inner_script uecho.py <<'EOF'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(sys.argv[1])))
print("up", flush=True)
while True:
    d, a = s.recvfrom(65535)
    s.sendto(d[::-1], a)
EOF
inner_script uclient.py <<'EOF'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
for m in (b"hello", b"x" * 1400 + b"y"):
    s.sendto(m, ("10.0.2.2", int(sys.argv[1])))
    d, a = s.recvfrom(65535)
    print("%s %s" % (d == m[::-1], a[0]))
EOF
U=$(free_port)
bg unpriv "$PY" "$RUN/uecho.py" "$U" >"$RUN/uecho.out" 2>&1 </dev/null
wait_file 10 "$RUN/uecho.out" || fail "the host's UDP echo did not start"
b 30 udp "$PY" "$RUN/uclient.py" "$U"
expect_rc 0 "uclient.py in B"
[ "$(cat "$RUN/udp.out")" = "$(printf 'True 10.0.2.2\nTrue 10.0.2.2')" ] ||
	fail "UDP through A: $(cat "$RUN/udp.out")"

# ---- half-closes ----
# half.py: connection 1 reads to the client's FIN, then answers and
# closes; connection 2 sends, closes its side first, then reads the
# client's late data to its FIN.  Each line it prints is checked below.
inner_script half.py <<'EOF'
import hashlib, socket, sys
fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
l = socket.socket(fam, socket.SOCK_STREAM)
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind((sys.argv[1], int(sys.argv[2])))
l.listen(8)
print("up", flush=True)
for mode in sys.argv[3:]:
    c, _ = l.accept()
    c.settimeout(30)
    data = b""
    if mode == "server-first":
        c.sendall(b"from host, then FIN\n")
        c.shutdown(socket.SHUT_WR)
    while True:
        b = c.recv(65536)
        if not b:
            break
        data += b
    if mode == "client-first":
        c.sendall(("got %d %s\n" % (len(data), hashlib.sha256(data).hexdigest())).encode())
        print("client-first eof after %d" % len(data), flush=True)
    else:
        print("server-first then got [%s]" % data.decode(), flush=True)
    c.close()
EOF
inner_script late.py <<'EOF'
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=30)
data = b""
while True:
    b = s.recv(65536)
    if not b:
        break
    data += b
print("read %r" % data.decode(), flush=True)
s.sendall(b"late data after the host's FIN")
print("peer %s %d" % s.getpeername()[:2], flush=True)
s.shutdown(socket.SHUT_WR)
s.close()
EOF
head -c 1048576 /dev/urandom >"$RUN/up.bin"
chmod 644 "$RUN/up.bin"
upsha=$(sha "$RUN/up.bin")
P=$(free_port)
bg unpriv "$PY" "$RUN/half.py" 127.0.0.1 "$P" client-first server-first \
	>"$RUN/half.out" 2>"$RUN/half.err" </dev/null
half=$BG_PID
wait_file 10 "$RUN/half.out" || fail "half.py did not start"
P6=$(free_port)
bg unpriv "$PY" "$RUN/half.py" ::1 "$P6" client-first >"$RUN/half6.out" \
	2>"$RUN/half6.err" </dev/null
half6=$BG_PID
wait_file 10 "$RUN/half6.out" || fail "half.py (IPv6) did not start"

step "half-close from B: nc -N sends 1 MiB and its FIN, reads the answer"
inner_script ncn.sh <<'EOF'
#!/bin/sh
exec nc -N "$1" "$2" <"$3"
EOF
b 30 ncn4 sh "$RUN/ncn.sh" 10.0.2.2 "$P" "$RUN/up.bin"
expect_rc 0 "nc -N 10.0.2.2 $P in B"
[ "$(cat "$RUN/ncn4.out")" = "got 1048576 $upsha" ] ||
	fail "the host did not get B's data and FIN, or its answer did not come back: $(cat "$RUN/ncn4.out")"
b 30 ncn6 sh "$RUN/ncn.sh" fd00::2 "$P6" "$RUN/up.bin"
expect_rc 0 "nc -N fd00::2 $P6 in B"
[ "$(cat "$RUN/ncn6.out")" = "got 1048576 $upsha" ] ||
	fail "IPv6: the host did not get B's data and FIN: $(cat "$RUN/ncn6.out")"

step "half-close from the host: B reads to EOF, then still sends"
b 30 late "$PY" "$RUN/late.py" 10.0.2.2 "$P"
expect_rc 0 "late.py in B"
grep -qxF "read 'from host, then FIN\n'" "$RUN/late.out" ||
	fail "B did not read the host's data and EOF: $(cat "$RUN/late.out")"
grep -qxF "peer 10.0.2.2 $P" "$RUN/late.out" ||
	fail "B's peer was not the destination: $(cat "$RUN/late.out")"
wait_pid 10 "$half" || fail "half.py did not finish: $(cat "$RUN/half.err")"
grep -qxF "server-first then got [late data after the host's FIN]" "$RUN/half.out" ||
	fail "the host did not get B's data sent after its FIN: $(cat "$RUN/half.out")"
wait_pid 10 "$half6" || fail "half.py (IPv6) did not finish: $(cat "$RUN/half6.err")"

step "a closed host port: ECONNREFUSED in B (IPv4, IPv6)"
inner_script conn.py <<'EOF'
import errno, socket, sys
port = int(sys.argv[1])
for addr in sys.argv[2:]:
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(20)
    try:
        s.connect((addr, port))
        print(addr, "connected")
    except socket.timeout:
        print(addr, "timeout")
    except OSError as e:
        print(addr, errno.errorcode.get(e.errno, e.errno))
    s.close()
EOF
CLOSED=$(free_port)
b 60 refused "$PY" "$RUN/conn.py" "$CLOSED" 10.0.2.2 fd00::2
expect_rc 0 "conn.py in B"
[ "$(cat "$RUN/refused.out")" = "$(printf '10.0.2.2 ECONNREFUSED\nfd00::2 ECONNREFUSED')" ] ||
	fail "a closed host port did not give ECONNREFUSED: $(cat "$RUN/refused.out")"

# ---- many connections ----
# echo.py: the host's end for the churn and the removal: echoes each
# connection until its FIN, then closes; "hold" connections are kept open
inner_script echo.py <<'EOF'
import selectors, socket, sys
sel = selectors.DefaultSelector()
for addr in sys.argv[2:]:
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    l = socket.socket(fam, socket.SOCK_STREAM)
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.bind((addr, int(sys.argv[1])))
    l.listen(512)
    l.setblocking(False)
    sel.register(l, selectors.EVENT_READ, None)
n = 0
print("up", flush=True)
while True:
    for key, _ in sel.select():
        if key.data is None:
            c, _ = key.fileobj.accept()
            c.setblocking(False)
            sel.register(c, selectors.EVENT_READ, "c")
            n += 1
            continue
        c = key.fileobj
        try:
            b = c.recv(65536)
        except ConnectionResetError:
            print("reset", flush=True)
            b = b""
        if b:
            c.sendall(b)
        else:
            sel.unregister(c)
            c.close()
            print("closed %d" % n, flush=True)
EOF
E=$(free_port)
bg unpriv "$PY" "$RUN/echo.py" "$E" 127.0.0.1 ::1 >"$RUN/echo.out" \
	2>"$RUN/echo.err" </dev/null
wait_file 10 "$RUN/echo.out" || fail "echo.py did not start"

# fds() - A's supervisor's open fds (its fd table, read as root)
fds() { ls "/proc/$A/fd" | wc -l; }
# relayed() - the relays `show links` counts on A's uplink
relayed() { rrctl show links | sed -n 's/.* \([0-9]*\) tcp relayed.*/\1/p'; }
# refused() - TCP connections A's uplink could not carry (two so far:
# the closed port)
refused() { rrctl show links | sed -n 's/.* \([0-9]*\) tcp refused.*/\1/p'; }
fd0=$(fds)
[ "$(relayed)" = 0 ] || fail "relays left before the churn: $(rrctl show links)"
[ "$(refused)" = 2 ] || fail "the closed port was not counted: $(rrctl show links)"

step "200 connections opened and closed leave A with the fds it had ($fd0)"
inner_script churn.py <<'EOF'
import socket, sys
port, n = int(sys.argv[1]), int(sys.argv[2])
for i in range(n):
    addr = "fd00::2" if i % 2 else "10.0.2.2"
    s = socket.create_connection((addr, port), timeout=20)
    s.sendall(b"ping %d" % i)
    s.shutdown(socket.SHUT_WR)
    data = b""
    while True:
        b = s.recv(100)
        if not b:
            break
        data += b
    assert data == b"ping %d" % i, (i, data)
    s.close()
print("done %d" % n)
EOF
b 120 churn "$PY" "$RUN/churn.py" "$E" 200
expect_rc 0 "churn.py in B"
[ "$(cat "$RUN/churn.out")" = "done 200" ] || fail "the churn did not finish"
ok=
for _ in $(seq 1 50); do
	if [ "$(fds)" -eq "$fd0" ] && [ "$(relayed)" = 0 ]; then
		ok=1
		break
	fi
	sleep 0.2
done
[ -n "$ok" ] || fail "after the churn A has $(fds) fds (had $fd0), $(relayed) relays"
[ "$(refused)" = 2 ] ||
	fail "connections were refused during the churn: $(rrctl show links)"

step "a destination A's rules deny: EHOSTUNREACH (IPv6: EACCES), never reached"
# keep.py: a connection open before the rules change goes on after
inner_script keep.py <<'EOF'
import os, socket, sys, time
s = socket.create_connection(("10.0.2.2", int(sys.argv[1])), timeout=20)
s.sendall(b"one")
print(s.recv(10).decode(), flush=True)
for _ in range(300):
    if os.path.exists(sys.argv[2]):
        break
    time.sleep(0.1)
s.sendall(b"two")
print(s.recv(10).decode(), flush=True)
EOF
bg unpriv "$RRS" --no-control -c "$RUN/b.conf" -- "$PY" "$RUN/keep.py" "$E" \
	"$RUN/keep.flag" >"$RUN/keep.out" 2>"$RUN/keep.err" </dev/null
keep=$BG_PID
wait_file 20 "$RUN/keep.out" || fail "keep.py did not connect: $(cat "$RUN/keep.err")"
before=$(cat "$RUN/hostsrv.err" "$RUN/hostsrv6.err" | wc -l)
rrctl uplink deny 127.0.0.1/32 || fail "rrctl uplink deny 127.0.0.1/32"
rrctl uplink deny ::1/128 || fail "rrctl uplink deny ::1/128"
touch "$RUN/keep.flag"
wait_pid 20 "$keep" || fail "keep.py did not finish: $(cat "$RUN/keep.err")"
[ "$(cat "$RUN/keep.out")" = "$(printf 'one\ntwo')" ] ||
	fail "a connection open before the deny did not go on: $(cat "$RUN/keep.out")"
b 60 denied "$PY" "$RUN/conn.py" "$H" 10.0.2.2 fd00::2
expect_rc 0 "conn.py in B"
[ "$(cat "$RUN/denied.out")" = "$(printf '10.0.2.2 EHOSTUNREACH\nfd00::2 EACCES')" ] ||
	fail "a denied destination: $(cat "$RUN/denied.out")"
sleep 0.5
after=$(cat "$RUN/hostsrv.err" "$RUN/hostsrv6.err" | wc -l)
[ "$before" = "$after" ] || fail "a denied connection reached the host's server"
grep -q " 2 denied" <<<"$(rrctl show links)" ||
	fail "the denied SYNs were not counted: $(rrctl show links)"
rrctl uplink allow 127.0.0.1/32 || fail "rrctl uplink allow 127.0.0.1/32"

step "past the bound (RRSANDBOX_FWD_MAX=2 on a second A): refused, counted"
cat >"$RUN/a2.conf" <<EOF
link add eth0 type link local $RUN/a2.link remote $RUN/b2.link
addr add 10.0.9.1/24 dev eth0
addr add fd00:9::1/64 dev eth0
EOF
sed "s|$RUN/b.link|$RUN/b2.link|; s|$RUN/a.link|$RUN/a2.link|" "$RUN/b.conf" \
	>"$RUN/b2.conf"
chmod 644 "$RUN/a2.conf" "$RUN/b2.conf"
bg unpriv env RRSANDBOX_FWD_MAX=2 "$RRS" -s "$RUN/a2.sock" --uplink \
	--uplink-allow 127.0.0.1/32 -c "$RUN/a2.conf" -- sleep 600 \
	>"$RUN/a2.out" 2>"$RUN/a2.err" </dev/null
A2=$BG_PID
wait_sock 10 "$RUN/a2.sock" || true	# the rrctl calls below say
inner_script cap.py <<'EOF'
import errno, socket, sys
port = int(sys.argv[1])
held = []
for i in range(4):
    s = socket.socket()
    s.settimeout(20)
    try:
        s.connect(("10.0.2.2", port))
        s.sendall(b"x")
        s.recv(10)
        held.append(s)
        print(i, "ok", flush=True)
    except OSError as e:
        print(i, errno.errorcode.get(e.errno, e.errno), flush=True)
for s in held:
    s.close()
EOF
rrs_run 60 cap --no-control -c "$RUN/b2.conf" -- "$PY" "$RUN/cap.py" "$E"
expect_rc 0 "cap.py in B"
[ "$(cat "$RUN/cap.out")" = "$(printf '0 ok\n1 ok\n2 ECONNREFUSED\n3 ECONNREFUSED')" ] ||
	fail "two relays at most: $(cat "$RUN/cap.out")"
grep -q " 2 tcp refused" <<<"$(with_timeout 10 unpriv "$RRCTL" -s "$RUN/a2.sock" show links)" ||
	fail "the refused connections were not counted"
kill -TERM "$A2"
wait_pid 20 "$A2" || true

step "removing A's uplink resets the relays through it"
inner_script hold.py <<'EOF'
import errno, socket, sys
s = socket.create_connection(("10.0.2.2", int(sys.argv[1])), timeout=20)
s.sendall(b"hello")
print("echo %s" % s.recv(100).decode(), flush=True)
s.settimeout(30)
try:
    got = s.recv(100)
    # a sandbox's reset connection reads as EOF (its pair is shut both
    # ways); SO_ERROR tells a reset from a FIN (docs/troubleshooting.md)
    err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    print("then %r %s" % (got, errno.errorcode.get(err, err)))
except OSError as e:
    print("then %s" % errno.errorcode.get(e.errno, e.errno))
EOF
# the uplink's own UDP flow sockets go with it too
fdh=$(( $(fds) - $(rrctl show links | sed -n 's/.*host: \([0-9]*\) udp flows.*/\1/p') ))
bg unpriv "$RRS" --no-control -c "$RUN/b.conf" -- "$PY" "$RUN/hold.py" "$E" \
	>"$RUN/hold.out" 2>"$RUN/hold.err" </dev/null
hold=$BG_PID
wait_file 20 "$RUN/hold.out" || fail "hold.py did not connect: $(cat "$RUN/hold.err")"
[ "$(relayed)" = 1 ] || fail "show links does not count the relay: $(rrctl show links)"
rrctl link del up0 || fail "rrctl link del up0"
wait_pid 40 "$hold" || fail "hold.py in B did not end"
grep -qxE "then (b'' )?ECONNRESET" "$RUN/hold.out" ||
	fail "B's connection was not reset: $(cat "$RUN/hold.out")"
for _ in $(seq 1 20); do
	grep -q '^reset' "$RUN/echo.out" && break
	sleep 0.2
done
grep -q '^reset' "$RUN/echo.out" || fail "the host's end was not reset"
ok=
for _ in $(seq 1 25); do
	[ "$(fds)" -eq "$fdh" ] && ok=1 && break
	sleep 0.2
done
[ -n "$ok" ] || fail "after the removal A has $(fds) fds (expected $fdh)"

LAST_OUT=$RUN/a.out LAST_ERR=$RUN/a.err
kill -TERM "$A"
wait_pid 20 "$A" || true
log ok
