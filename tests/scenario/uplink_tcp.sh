#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# uplink_tcp.sh - TCP through the host uplink on the fast path, and
# published ports (TCP and UDP), against real servers and clients on the
# host's loopback.
#
#   host 127.0.0.1:H  python3 http.server (www/)          host curl
#        ^                                                  |
#        | the program's own host socket                    | 127.0.0.1:HP
#   +----|------------------------------------+   +---------v---------------+
#   | rrsandbox --uplink                      |   | rrsandbox --uplink      |
#   |   curl http://10.0.2.2:H/big.bin        |   |   -p 127.0.0.1:HP:8000  |
#   |   probe.py: names, blocking and non-    |   |   python3 http.server   |
#   |   blocking connect, refused, denied     |   |   0.0.0.0:8000          |
#   +-----------------------------------------+   +-------------------------+
#
# 10.0.2.2, the uplink's gateway, stands for the host's loopback, which the
# ACL denies unless --uplink-allow 127.0.0.1/32 is given.  Checked: bytes
# arrive byte-exact both ways; the program sees the sandbox's names
# (10.0.2.15 and the gateway); a denied destination gives EACCES and never
# reaches the server; connect() behaves as on Linux in both modes; -v logs
# the switch to a host socket; a published port reaches the sandbox's
# listener and shows the client as the gateway; rrctl publish/unpublish at
# runtime; nothing listening in the sandbox resets the host client.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need curl sha256sum

stage_rrctl

# ---- the host's servers ----
host_www

step "curl in the sandbox fetches from the host (fast path)"
rrs_run 60 curl -v --uplink --uplink-allow 127.0.0.1/32 -- \
	curl -fsS --max-time 30 -o "$RUN/got.bin" "http://10.0.2.2:$H/big.bin"
expect_rc 0 "curl http://10.0.2.2:$H/big.bin"
[ "$(sha "$RUN/got.bin")" = "$(sha "$RUN/www/big.bin")" ] ||
	fail "the file fetched through the uplink differs"
grep -q "a host socket now" "$RUN/curl.err" ||
	fail "-v did not log the switch to a host socket"

inner_script probe.py <<'EOF'
import errno, fcntl, os, select, socket, sys

port, closed, port6 = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
out = []

# a blocking connect leaves a blocking socket (no timeout: python would
# make it non-blocking itself)
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect(("10.0.2.2", port))
fl = fcntl.fcntl(s.fileno(), fcntl.F_GETFL)
out.append("blocking file %s" % ("O_NONBLOCK" if fl & os.O_NONBLOCK else "ok"))
s.close()

# IPv6: fd00::2 stands for the host's ::1
s = socket.create_connection(("fd00::2", port6), timeout=10)
out.append("v6 %s %s" % (s.getsockname()[0], s.getpeername()[:2]))
s.close()

# blocking connect: the sandbox's names
s = socket.create_connection(("10.0.2.2", port), timeout=10)
out.append("blocking %s %s" % (s.getsockname()[0], s.getpeername()))
s.sendall(b"GET /small.txt HTTP/1.0\r\n\r\n")
data = b""
while True:
    b = s.recv(65536)
    if not b:
        break
    data += b
out.append("reply %s" % data.split(b"\r\n\r\n", 1)[-1].strip().decode())
s.close()

# non-blocking connect as BIRD makes it: EINPROGRESS, POLLOUT, connect again
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setblocking(False)
r = s.connect_ex(("10.0.2.2", port))
out.append("nb first %s" % errno.errorcode.get(r, r))
p = select.poll()
p.register(s, select.POLLOUT)
ev = p.poll(10000)
r = s.connect_ex(("10.0.2.2", port))
out.append("nb again %s so_error %d" % (errno.errorcode.get(r, r),
                                       s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)))
r = s.connect_ex(("10.0.2.2", port))
out.append("nb third %s" % errno.errorcode.get(r, r))
s.close()

# a closed host port: refused, both ways
try:
    socket.create_connection(("10.0.2.2", closed), timeout=10)
    out.append("closed connected")
except OSError as e:
    out.append("closed blocking %s" % errno.errorcode.get(e.errno, e.errno))
# as on Linux, a socket whose blocking connect failed may connect again
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
try:
    s.connect(("10.0.2.2", closed))
except OSError as e:
    pass
try:
    s.connect(("10.0.2.2", port))
    out.append("retry ok %s" % (s.getpeername(),))
except OSError as e:
    out.append("retry %s" % errno.errorcode.get(e.errno, e.errno))
s.close()
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setblocking(False)
s.connect_ex(("10.0.2.2", closed))
select.select([], [s], [], 10)
out.append("closed nb so_error %s" % errno.errorcode.get(
    s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), "0"))
try:
    out.append("closed nb peer %s" % (s.getpeername(),))
except OSError as e:
    out.append("closed nb peer %s" % errno.errorcode.get(e.errno, e.errno))
s.close()
print("\n".join(out))
EOF

CLOSED=$(free_port)
step "names and connect() semantics on the fast path"
rrs_run 60 probe --uplink --uplink-allow 127.0.0.1/32 --uplink-allow ::1/128 -- \
	"$PY" "$RUN/probe.py" "$H" "$CLOSED" "$H6"
expect_rc 0 "probe.py"
expect_line() {
	grep -qxF "$1" "$RUN/probe.out" ||
		fail "probe.py: expected the line '$1'"
}
expect_line "blocking 10.0.2.15 ('10.0.2.2', $H)"
expect_line "reply hello"
expect_line "blocking file ok"
expect_line "v6 fd00::15 ('fd00::2', $H6)"
expect_line "nb first EINPROGRESS"
# the kernel's own answers after POLLOUT: 0 (or EISCONN), then EISCONN
grep -qE "^nb again (0|EISCONN) so_error 0$" "$RUN/probe.out" ||
	fail "probe.py: a second connect() after POLLOUT did not succeed"
expect_line "nb third EISCONN"
expect_line "closed blocking ECONNREFUSED"
expect_line "closed nb so_error ECONNREFUSED"
expect_line "closed nb peer ENOTCONN"
expect_line "retry ok ('10.0.2.2', $H)"

step "the host's loopback is denied unless allowed: EACCES, never reached"
before=$(grep -c '"GET ' "$RUN/hostsrv.err" || true)
inner_script denied.py <<'EOF'
import errno, socket, sys
for addr in ("10.0.2.2", "::ffff:10.0.2.2"):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    try:
        s.connect((addr, int(sys.argv[1])))
        print("connected")
    except OSError as e:
        print(errno.errorcode.get(e.errno, e.errno))
EOF
rrs_run 30 denied --uplink -- "$PY" "$RUN/denied.py" "$H"
expect_rc 0 "denied.py"
[ "$(cat "$RUN/denied.out")" = "$(printf 'EACCES\nEACCES')" ] ||
	fail "a denied destination did not give EACCES for IPv4 and mapped IPv6"
rrs_run 30 denied2 --uplink --uplink-allow 127.0.0.0/8 \
	--uplink-deny 127.0.0.1/32 -- "$PY" "$RUN/denied.py" "$H"
[ "$(head -1 "$RUN/denied2.out")" = EACCES ] ||
	fail "--uplink-deny 127.0.0.1/32 inside an allowed 127.0.0.0/8 did not deny"
after=$(grep -c '"GET ' "$RUN/hostsrv.err" || true)
[ "$before" = "$after" ] || fail "a denied connection reached the host's server"

step "routing rules judge the fast path by the source, bound or chosen"
inner_script ruled.py <<'EOF'
import errno, socket, subprocess, sys
port = int(sys.argv[1])
def attempt(src):
    s = socket.socket()
    try:
        if src:
            s.bind((src, 0))
        s.connect(("10.0.2.2", port))
        return "connected"
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e.errno))
    finally:
        s.close()
print("before", attempt("10.0.2.15"))
subprocess.run(["ip", "rule", "add", "from", "10.0.2.15", "to", "10.0.2.2",
                "blackhole", "pref", "10"], check=True)
print("bound", attempt("10.0.2.15"))
print("unbound", attempt(None))
subprocess.run(["ip", "rule", "del", "pref", "10"], check=True)
print("after", attempt(None))
EOF
rrs_run 30 ruled --uplink --uplink-allow 127.0.0.1/32 -- "$PY" "$RUN/ruled.py" "$H"
expect_rc 0 "ruled.py"
[ "$(cat "$RUN/ruled.out")" = "$(printf 'before connected\nbound EINVAL\nunbound EINVAL\nafter connected')" ] ||
	fail "a rule's blackhole for the uplink's source did not refuse the fast path's connect (EINVAL, as Linux)"
log "ok: a rule's blackhole refuses bound and unbound connects (EINVAL); gone, they connect"

step "500 fast-path connections opened and closed leave nothing behind"
# a host listener that never accepts: its backlog completes the handshakes
# (http.server's backlog of 5 would make this a test of SYN retries)
inner_script sink.py <<'EOF'
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(1024)
print("up", flush=True)
time.sleep(60)
EOF
SINK=$(free_port)
bg unpriv "$PY" "$RUN/sink.py" "$SINK" >"$RUN/sink.out" 2>&1 </dev/null
wait_file 10 "$RUN/sink.out" || fail "the sink listener did not start"
inner_script churn.py <<'EOF'
import socket, sys, time
for i in range(500):
    s = socket.create_connection(("10.0.2.2", int(sys.argv[1])))
    s.close()
print("done", flush=True)
time.sleep(30)
EOF
bg unpriv "$RRS" --no-control --uplink --uplink-allow 127.0.0.1/32 -- \
	"$PY" "$RUN/churn.py" "$SINK" >"$RUN/churn.out" 2>"$RUN/churn.err" </dev/null
churn=$BG_PID
LAST_OUT=$RUN/churn.out LAST_ERR=$RUN/churn.err
wait_file 60 "$RUN/churn.out" || fail "the churn did not finish"
# the liveness scan runs within a second of a socket becoming held
ok=
for _ in 1 2 3 4 5 6 7 8 9 10; do
	sleep 1
	kill -USR1 "$churn"
	sleep 0.2
	if tail -1 "$RUN/churn.err" | grep -q ' socks=0 .* held=0 '; then
		ok=1
		break
	fi
done
[ -n "$ok" ] || fail "sockets left after the churn: $(grep stats: "$RUN/churn.err" | tail -1)"
kill -TERM "$churn"
wait_pid 10 "$churn" || true

# ---- a published port ----
HP=$(free_port)
HP2=$(free_port)
inner_script srv.sh <<'EOF'
#!/bin/sh
exec "$1" -m http.server --bind 0.0.0.0 --directory "$2" 8000
EOF
step "-p 127.0.0.1:$HP:8000 reaches the sandbox's http.server"
bg unpriv "$RRS" --uplink -s "$RUN/pub.sock" -p "127.0.0.1:$HP:8000" -- \
	sh "$RUN/srv.sh" "$PY" "$RUN/www" >"$RUN/pub.out" 2>"$RUN/pub.err" </dev/null
pub=$BG_PID
ok=
for _ in $(seq 1 100); do
	if curl -fsS --max-time 10 -o "$RUN/pub.bin" "http://127.0.0.1:$HP/big.bin" \
		2>"$RUN/curl-pub.err"; then
		ok=1
		break
	fi
	sleep 0.1
done
LAST_OUT=$RUN/pub.out LAST_ERR=$RUN/pub.err
[ -n "$ok" ] || fail "curl http://127.0.0.1:$HP/big.bin failed: $(cat "$RUN/curl-pub.err")"
[ "$(sha "$RUN/pub.bin")" = "$(sha "$RUN/www/big.bin")" ] ||
	fail "the file fetched through the published port differs"
grep -q '^10\.0\.2\.2 - .*"GET /big.bin' "$RUN/pub.err" ||
	fail "the sandbox's server did not see the client as 10.0.2.2"

step "rrctl publish and unpublish at runtime"
with_timeout 10 unpriv "$RRCTL" -s "$RUN/pub.sock" publish "127.0.0.1:$HP2:8000" ||
	fail "rrctl publish 127.0.0.1:$HP2:8000 failed"
curl -fsS --max-time 10 -o /dev/null "http://127.0.0.1:$HP2/small.txt" ||
	fail "the port published at runtime does not answer"
with_timeout 10 unpriv "$RRCTL" -s "$RUN/pub.sock" show uplink >"$RUN/show.out" ||
	fail "rrctl show uplink failed"
grep -q "^publish 127.0.0.1:$HP2:8000/tcp accepted 1 refused 0$" "$RUN/show.out" ||
	fail "show uplink does not count the runtime port: $(cat "$RUN/show.out")"
with_timeout 10 unpriv "$RRCTL" -s "$RUN/pub.sock" unpublish "127.0.0.1:$HP2" ||
	fail "rrctl unpublish failed"
rc=0
curl -sS --max-time 10 -o /dev/null "http://127.0.0.1:$HP2/small.txt" 2>/dev/null || rc=$?
[ "$rc" -eq 7 ] || fail "after unpublish, curl should fail to connect (7), got $rc"

step "a published port with nothing listening in the sandbox resets the client"
with_timeout 10 unpriv "$RRCTL" -s "$RUN/pub.sock" publish "127.0.0.1:$HP2:8001" ||
	fail "rrctl publish 127.0.0.1:$HP2:8001 failed"
rc=0
curl -sS --max-time 10 -o /dev/null "http://127.0.0.1:$HP2/" 2>/dev/null || rc=$?
# a reset: while connecting (7), sending (55) or receiving (56), or an
# empty reply (52), by timing; the count below tells it from no listener
case $rc in 7 | 52 | 55 | 56) ;; *) fail "nothing listening on 8001: curl should see a reset, got $rc" ;; esac
with_timeout 10 unpriv "$RRCTL" -s "$RUN/pub.sock" show uplink >"$RUN/show.out" ||
	fail "rrctl show uplink failed"
grep -q "^publish 127.0.0.1:$HP2:8001/tcp accepted 0 refused 1$" "$RUN/show.out" ||
	fail "the reset connection was not counted as refused: $(cat "$RUN/show.out")"
kill -TERM "$pub"
wait_pid 10 "$pub" || true

step "-p 127.0.0.1:HU:5353/udp: datagrams both ways, the client seen as 10.0.2.2"
inner_script uecho.py <<'EOF'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 5353))
print("up", flush=True)
for i in range(3):
    d, a = s.recvfrom(65535)
    print("from %s" % a[0], flush=True)
    s.sendto(d[::-1], a)
EOF
HU=$(free_port)
bg unpriv "$RRS" --no-control -p "127.0.0.1:$HU:5353/udp" -- "$PY" "$RUN/uecho.py" \
	>"$RUN/uecho.out" 2>"$RUN/uecho.err" </dev/null
uecho=$BG_PID
LAST_OUT=$RUN/uecho.out LAST_ERR=$RUN/uecho.err
wait_file 20 "$RUN/uecho.out" || fail "the sandbox's UDP server did not start"
"$PY" - "$HU" >"$RUN/uclient.out" 2>&1 <<'EOF' || fail "UDP through the published port: $(cat "$RUN/uclient.out")"
import socket, sys
c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
c.settimeout(5)
for m in (b"hello", b"x" * 60000 + b"y", b"abc"):
    c.sendto(m, ("127.0.0.1", int(sys.argv[1])))
    d, a = c.recvfrom(65535)
    assert d == m[::-1], "reply differs (%d bytes)" % len(d)
print("ok")
EOF
wait_pid 10 "$uecho" || fail "the sandbox's UDP server did not end after 3 datagrams"
[ "$(grep -c '^from 10\.0\.2\.2$' "$RUN/uecho.out")" -eq 3 ] ||
	fail "the sandbox's UDP server did not see the client as 10.0.2.2"
log "ok"
