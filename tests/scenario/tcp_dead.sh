#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# tcp_dead.sh - a TCP connection between two sandboxes that ends badly
# reads as an error in the program, never as an orderly EOF.  A serves
# on 10.0.9.1:PORT; B connects (IPv4 and IPv6, keepalive 1 s / 1 s / 2
# probes) and waits in poll().
#
#   A (rrsandbox -c a.conf)                B (rrsandbox -c b.conf)
#   eth0 10.0.9.1 fd00:9::1  ---- link ----  eth0 10.0.9.2 fd00:9::2
#   server.py PORT                           client.py PORT
#
# 1. reset: A's first connection closes with SO_LINGER {1, 0} after
#    B's "go" and its "bye"; B reads "bye", then ECONNRESET, then EOF, and
#    POLLERR came with it (Linux: the same).
# 2. timeout: A's sandbox is killed (no FIN, no RST); B's keepalive gives
#    up: poll() says POLLERR, SO_ERROR is ETIMEDOUT, and a read is an
#    error (Linux: ETIMEDOUT; here ECONNRESET, the one error an AF_UNIX
#    end can give) then EOF.  Before, both read as EOF.
# 3. user timeout: B's third connection has TCP_USER_TIMEOUT 1.5 s; data
#    it sends once A is gone waits for an ACK, and the connection ends as
#    the keepalive one did, within 1.4 to 4 s (Linux, its peer dropping
#    everything: POLLIN|POLLERR|POLLHUP in 1.9 s, SO_ERROR ETIMEDOUT,
#    then EOF).  Before, lwIP went on retransmitting.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need "$PY"

routed_pair a b

inner_script server.py <<'EOF'
#!/usr/bin/python3
# server.py PORT: on 10.0.9.1 and fd00:9::1; the first IPv4 and IPv6
# connections get "bye" and a reset; the second ones are kept open
import socket, struct, sys, time
port = int(sys.argv[1])
ls = []
for fam, addr in ((socket.AF_INET, "10.0.9.1"), (socket.AF_INET6, "fd00:9::1")):
    l = socket.socket(fam)
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.bind((addr, port))
    l.listen()
    ls.append(l)
print("listening", flush=True)
kept = []
for l in ls:
    a, _ = l.accept()
    a.recv(2)	# the client is connected: its connect() cannot see the reset
    a.send(b"bye")
    a.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    a.close()
    b, _ = l.accept()
    kept.append(b)
    u, _ = l.accept()	# the client's TCP_USER_TIMEOUT one
    kept.append(u)
print("kept", flush=True)
time.sleep(60)
EOF

inner_script client.py <<'EOF'
#!/usr/bin/python3
# client.py PORT: one line per event, "FAMILY CASE what"
import errno, select, socket, sys, time
port = int(sys.argv[1])

def connect(fam, addr):
    for _ in range(100):
        try:
            return socket.create_connection((addr, port), timeout=5)
        except OSError:
            time.sleep(0.1)
    raise SystemExit("cannot connect to %s" % addr)

def wait_err(c, secs):
    p = select.poll()
    p.register(c, select.POLLIN | select.POLLRDHUP)
    ev = p.poll(secs * 1000)
    return ev[0][1] if ev else 0

def read(c):
    try:
        return repr(c.recv(100))
    except OSError as e:
        return errno.errorcode[e.errno]

def flags(ev):
    return "|".join(n for b, n in ((select.POLLIN, "IN"), (select.POLLERR, "ERR"),
                                    (select.POLLHUP, "HUP")) if ev & b)

fams = (("v4", socket.AF_INET, "10.0.9.1"), ("v6", socket.AF_INET6, "fd00:9::1"))
kept = []
for tag, fam, addr in fams:
    c = connect(fam, addr)
    c.settimeout(None)
    c.send(b"go")
    deadline = time.time() + 5
    data = b""
    while len(data) < 3 and time.time() < deadline:
        data += c.recv(3 - len(data))
    print(tag, "reset data", repr(data), flush=True)
    ev = 0
    while time.time() < deadline and not ev & select.POLLHUP:
        ev = wait_err(c, 1)
        time.sleep(0.05)
    print(tag, "reset poll", flags(ev), flush=True)
    print(tag, "reset read", read(c), flush=True)
    print(tag, "reset read", read(c), flush=True)
    c.close()
    k = connect(fam, addr)
    k.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    k.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
    k.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
    k.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 2)
    u = connect(fam, addr)
    u.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, 1500)
    kept.append((tag, k, u))
print("ready", flush=True)
for tag, k, u in kept:
    ev = wait_err(k, 30)
    print(tag, "dead poll", flags(ev), flush=True)
    if tag == "v4":
        print(tag, "dead SO_ERROR", errno.errorcode.get(
            k.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), 0), flush=True)
    print(tag, "dead read", read(k), flush=True)
    print(tag, "dead read", read(k), flush=True)
    # A is gone (keepalive said so): data sent now waits for an ACK
    t0 = time.time()
    u.send(b"x" * 100)
    ev = wait_err(u, 10)
    dt = time.time() - t0
    print(tag, "ut poll", flags(ev), "in %s" % (
        "time" if 1.4 < dt < 4 else "%.1f s" % dt), flush=True)
    if tag == "v4":
        print(tag, "ut SO_ERROR", errno.errorcode.get(
            u.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), 0), flush=True)
    print(tag, "ut read", read(u), flush=True)
    print(tag, "ut read", read(u), flush=True)
EOF

port=$(free_port)
step "A serves on port $port, B connects: a reset, then A's sandbox dies"
bg unpriv "$RRS" ${RRS_OPTS:-} --no-control -c "$RUN/a.conf" -- "$PY" "$RUN/server.py" "$port" \
	>"$RUN/a.out" 2>"$RUN/a.err" </dev/null
A=$BG_PID
wait_file 10 "$RUN/a.out" || { LAST_OUT=$RUN/a.out LAST_ERR=$RUN/a.err; fail "A's server did not start"; }
bg unpriv "$RRS" ${RRS_OPTS:-} --no-control -c "$RUN/b.conf" -- "$PY" "$RUN/client.py" "$port" \
	>"$RUN/b.out" 2>"$RUN/b.err" </dev/null
B=$BG_PID
LAST_OUT=$RUN/b.out LAST_ERR=$RUN/b.err
for _ in $(seq 300); do
	grep -q '^ready' "$RUN/b.out" && break
	pid_alive "$B" || break
	sleep 0.1
done
if ! grep -q '^ready' "$RUN/b.out"; then
	pid_alive "$B" || { rc=0; wait "$B" || rc=$?; log "B ended with status $rc"; }
	fail "B's client did not get through the reset case"
fi
kill -KILL "$A"
wait_pid 10 "$A" || true
wait_pid 40 "$B" || fail "B's client failed or hung (status $?)"
sed 's/^/    /' "$RUN/b.out" >&2

expect_line() { # LINE WHAT
	grep -qxF "$1" "$RUN/b.out" || fail "$2: no line '$1'"
}
for f in v4 v6; do
	expect_line "$f reset data b'bye'" "$f: the data sent before the reset arrives"
	expect_line "$f reset poll IN|ERR|HUP" "$f: the reset polls POLLIN|POLLERR|POLLHUP"
	[ "$(grep -c "^$f reset read" "$RUN/b.out")" -eq 2 ] &&
		[ "$(grep "^$f reset read" "$RUN/b.out" | head -1)" = "$f reset read ECONNRESET" ] &&
		[ "$(grep "^$f reset read" "$RUN/b.out" | tail -1)" = "$f reset read b''" ] ||
		fail "$f: a reset reads ECONNRESET, then EOF"
	expect_line "$f dead poll IN|ERR|HUP" "$f: a connection keepalive gave up on polls POLLERR"
	[ "$(grep "^$f dead read" "$RUN/b.out" | tail -1)" = "$f dead read b''" ] ||
		fail "$f: the dead connection reads EOF after its error"
done
expect_line "v4 dead SO_ERROR ETIMEDOUT" "SO_ERROR of a connection keepalive gave up on"
expect_line "v4 dead read b''" "v4: the read after SO_ERROR took the error is EOF"
expect_line "v6 dead read ECONNRESET" "v6: a read of a connection keepalive gave up on is an error"
for f in v4 v6; do
	expect_line "$f ut poll IN|ERR|HUP in time" \
		"$f: TCP_USER_TIMEOUT 1.5 s ends a connection whose data waits (Linux: in 1.9 s)"
	[ "$(grep "^$f ut read" "$RUN/b.out" | tail -1)" = "$f ut read b''" ] ||
		fail "$f: the timed out connection reads EOF after its error"
done
expect_line "v4 ut SO_ERROR ETIMEDOUT" "SO_ERROR of a connection TCP_USER_TIMEOUT ended"
expect_line "v4 ut read b''" "v4: the read after SO_ERROR took the error is EOF"
expect_line "v6 ut read ECONNRESET" "v6: a read of a connection TCP_USER_TIMEOUT ended is an error"
log "PASS"
