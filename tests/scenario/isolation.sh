#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# isolation.sh - the sandbox's network is its own: its loopback is not the
# host's (neither side reaches the other's listeners), it has no route
# anywhere else (ENETUNREACH at once), AF_PACKET sockets see only the
# sandbox's devices, AF_VSOCK is refused, and AF_UNIX stays native (a host
# process talks to a sandboxed one).
#
#   host 127.0.0.1 / ::1                     sandbox lo (lwIP)
#   http.server :P1  <---- x ---- curl, nc, connect()  -> ECONNREFUSED
#   curl, connect() ----- x ---->  listener :P2        -> ECONNREFUSED
#   client  ---- AF_UNIX run/inside.sock ---->  listener (native, works)
#                                  socket(AF_VSOCK) -> error
#                                  AF_PACKET: only lo; host device ENODEV
#                                  connect 10.1.2.3, 2001:db8::1 (TCP, UDP),
#                                  curl 198.51.100.1   -> ENETUNREACH
#
# The non-loopback addresses are documentation/unrouted ones used only as
# targets that must fail inside. Outside a sandbox they DO go out (on our
# machines a proxy even answers HTTP on any address), so those probes run
# only after the sandbox has been shown to have a loopback of its own: with
# a rrsandbox that passes sockets through, they are not run at all.
# 198.51.100.1 (TEST-NET-2) stands in for 192.0.2.1, a real default
# gateway on some of our machines.
#
# Every check runs; all failures are listed at the end.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need curl nc

FAILS=()
# bad() - record a failed check, keep going
bad() {
	printf 'FAIL: %s: %s\n' "$SCENARIO" "$*" >&2
	show_last
	FAILS+=("$*")
}

inner_script probe.py <<'EOF'
"""Socket calls that must fail inside the sandbox; one line per check.
Usage: probe.py local PORT HOSTDEV
                             (AF_PACKET sees lo only, not HOSTDEV; AF_VSOCK;
                              host's PORT refused)
       probe.py unrouted     (connects to unrouted addresses: ENETUNREACH;
                              never run this outside a sandbox)"""
import errno
import signal
import socket
import sys

bad = 0


def check(name, fn, want):
    """want: an errno, or None for 'any OSError'"""
    global bad
    signal.alarm(4)  # a blocking call that never returns must not hang
    try:
        fn()
    except OSError as e:
        if want is None or e.errno == want:
            print(f"ok {name}: {type(e).__name__} errno {e.errno} ({e.strerror})")
            return
        print(f"FAIL {name}: {e!r}, want {errno.errorcode[want]}")
    else:
        print(f"FAIL {name}: succeeded")
    finally:
        signal.alarm(0)
    bad += 1


def connect_blocking(fam, typ, addr):
    s = socket.socket(fam, typ)
    try:
        s.connect(addr)
    finally:
        s.close()


def connect_timeout(fam, addr):
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(3)  # non-blocking connect + poll + SO_ERROR
    try:
        s.connect(addr)
    finally:
        s.close()


def packet_own(typ, hostdev):
    """A packet socket whose devices are the sandbox's: it sees lo's
    frames (a datagram to itself), and binding to a device of the host's
    fails (ENODEV, raised)."""
    s = socket.socket(socket.AF_PACKET, typ, socket.htons(3))
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        names = [n for _, n in socket.if_nameindex()]
        if names != ["lo"]:
            raise OSError(errno.EPROTO, f"devices {names}, want ['lo']")
        s.bind(("lo", 0))
        u.bind(("127.0.0.1", 0))
        u.sendto(b"pk-own-marker", u.getsockname())
        s.settimeout(2)
        while b"pk-own-marker" not in s.recv(2048):
            pass
        if hostdev != "-":
            s.bind((hostdev, 0))
        else:
            raise OSError(errno.ENODEV, "no host device to try")
    finally:
        s.close()
        u.close()


def alarm(*_):
    raise TimeoutError(errno.ETIMEDOUT, "alarm: blocked for 4 s")


signal.signal(signal.SIGALRM, alarm)
if sys.argv[1] == "local":
    port = int(sys.argv[2])
    check(f"AF_PACKET SOCK_RAW: the sandbox's lo only, no {sys.argv[3]}",
          lambda: packet_own(socket.SOCK_RAW, sys.argv[3]), errno.ENODEV)
    check(f"AF_PACKET SOCK_DGRAM: the sandbox's lo only, no {sys.argv[3]}",
          lambda: packet_own(socket.SOCK_DGRAM, sys.argv[3]), errno.ENODEV)
    check("AF_VSOCK SOCK_STREAM",
          lambda: socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM).close(), None)
    check(f"TCP connect 127.0.0.1:{port} (host listens there)",
          lambda: connect_blocking(socket.AF_INET, socket.SOCK_STREAM,
                                   ("127.0.0.1", port)), errno.ECONNREFUSED)
    check(f"TCP connect [::1]:{port} (host listens there)",
          lambda: connect_blocking(socket.AF_INET6, socket.SOCK_STREAM,
                                   ("::1", port)), errno.ECONNREFUSED)
elif sys.argv[1] == "unrouted":
    check("TCP connect 10.1.2.3:80 (blocking)",
          lambda: connect_blocking(socket.AF_INET, socket.SOCK_STREAM,
                                   ("10.1.2.3", 80)), errno.ENETUNREACH)
    check("TCP connect 10.1.2.3:80 (with timeout)",
          lambda: connect_timeout(socket.AF_INET, ("10.1.2.3", 80)),
          errno.ENETUNREACH)
    check("TCP connect [2001:db8::1]:80 (blocking)",
          lambda: connect_blocking(socket.AF_INET6, socket.SOCK_STREAM,
                                   ("2001:db8::1", 80)), errno.ENETUNREACH)
    check("TCP connect [2001:db8::1]:80 (with timeout)",
          lambda: connect_timeout(socket.AF_INET6, ("2001:db8::1", 80)),
          errno.ENETUNREACH)
    check("UDP connect 10.1.2.3:53",
          lambda: connect_blocking(socket.AF_INET, socket.SOCK_DGRAM,
                                   ("10.1.2.3", 53)), errno.ENETUNREACH)
    check("UDP connect [2001:db8::1]:53",
          lambda: connect_blocking(socket.AF_INET6, socket.SOCK_DGRAM,
                                   ("2001:db8::1", 53)), errno.ENETUNREACH)
sys.exit(1 if bad else 0)
EOF

# ------------------------------------------------------ host -> not inside
mkdir -p "$RUN/www"
echo "host server" >"$RUN/www/index.html"
chmod -R a+rX "$RUN/www"
p1=$(free_port)
step "servers on host 127.0.0.1:$p1 and [::1]:$p1 are not reachable from inside"
bg unpriv "$PY" -m http.server --bind 127.0.0.1 --directory "$RUN/www" "$p1" \
	>"$RUN/host4.log" 2>&1
bg unpriv "$PY" -m http.server --bind ::1 --directory "$RUN/www" "$p1" \
	>"$RUN/host6.log" 2>&1
up=0
for _ in $(seq 100); do
	if curl -fsS --max-time 2 "http://127.0.0.1:$p1/" >/dev/null 2>&1 &&
		curl -fsS --max-time 2 -g "http://[::1]:$p1/" >/dev/null 2>&1; then
		up=1
		break
	fi
	sleep 0.1
done
[ $up -eq 1 ] || fail "host http.server on port $p1 did not come up"
log "host servers answer on the host"

# Until this section passes, the sandbox is not known to be one.
isolated=1
rrs_run 30 curl4 -- curl -sS --max-time 8 "http://127.0.0.1:$p1/"
[ "$RC" -eq 7 ] || {
	isolated=0
	bad "curl http://127.0.0.1:$p1/ inside: exit $RC, want 7 (the host's server must be unreachable)"
}
rrs_run 30 curl6 -- curl -sS --max-time 8 -g "http://[::1]:$p1/"
[ "$RC" -eq 7 ] || {
	isolated=0
	bad "curl http://[::1]:$p1/ inside: exit $RC, want 7 (the host's server must be unreachable)"
}
rrs_run 30 nc4 -- nc -z -w 3 127.0.0.1 "$p1"
[ "$RC" -ne 0 ] || {
	isolated=0
	bad "nc -z 127.0.0.1 $p1 inside succeeded: the host's server is reachable"
}

step "AF_PACKET the sandbox's, AF_VSOCK refused; host ports refused at the socket level"
host_dev_other
rrs_run 30 probe-local -- "$PY" "$RUN/probe.py" local "$p1" "$host_dev"
sed 's/^/    /' "$LAST_OUT" >&2
if grep -q '^FAIL TCP connect .*host listens' "$LAST_OUT"; then
	isolated=0
fi
grep -q '^FAIL' "$LAST_OUT" && bad "probe.py local: $(grep '^FAIL' "$LAST_OUT" | tr '\n' ';')"
grep -qE '^(ok|FAIL) TCP connect \[::1\]' "$LAST_OUT" || {
	isolated=0
	bad "probe.py local exited $RC without completing its checks"
}

# -------------------------------------------- inside -> not host; AF_UNIX
inner_script inside.py <<'EOF'
"""Sandboxed listeners: TCP on 127.0.0.1/::1 (must stay invisible to the
host) and AF_UNIX (must be reachable from the host)."""
import os
import socket
import sys
import time

port = int(sys.argv[1])


def wait_for(path, secs):
    end = time.monotonic() + secs
    while not os.path.exists(path):
        if time.monotonic() > end:
            sys.exit(f"timed out waiting for {path}")
        time.sleep(0.05)


listeners = []
for fam, addr in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(8)
    # prove it listens, inside
    c = socket.create_connection((addr, port), timeout=5)
    a, _ = s.accept()
    a.close()
    c.close()
    listeners.append(s)
u = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
u.bind("inside.sock")
u.listen(1)
with open("inside.tmp", "w") as f:
    f.write("ready\n")
os.rename("inside.tmp", "inside.ready")

wait_for("host.probed", 30)
leaks = 0
for s in listeners:
    s.setblocking(False)
    try:
        a, peer = s.accept()
        print(f"LEAK: sandboxed listener accepted {peer} from the host")
        leaks += 1
        a.close()
    except BlockingIOError:
        pass
u.settimeout(20)
a, _ = u.accept()
a.settimeout(10)
got = a.recv(100)
a.sendall(b"hello-from-inside")
a.close()
print(f"unix={got.decode(errors='replace')} leaks={leaks}")
EOF

p2=$(free_port)
step "a sandboxed listener on 127.0.0.1:$p2 and [::1]:$p2 is not reachable from the host; AF_UNIX is"
LAST_OUT=$RUN/inside.out LAST_ERR=$RUN/inside.err
bg unpriv "$RRS" -- "$PY" "$RUN/inside.py" "$p2" >"$LAST_OUT" 2>"$LAST_ERR"
ipid=$BG_PID
if ! wait_file 20 "$RUN/inside.ready"; then
	fail "the sandboxed listener never became ready"
fi
log "sandboxed listeners up (checked from inside)"
host_probe() {
	unpriv "$PY" - "$p2" <<'EOF'
import errno, socket, sys
port = int(sys.argv[1])
for fam, addr in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(3)
    try:
        s.connect((addr, port))
        print(f"FAIL host connect {addr}:{port}: connected to the sandbox's listener")
    except OSError as e:
        tag = "ok" if e.errno == errno.ECONNREFUSED else "FAIL"
        print(f"{tag} host connect {addr}:{port}: errno {e.errno} ({e.strerror})")
    s.close()
EOF
}
hp=$(host_probe 2>&1) || true
printf '%s\n' "$hp" | sed 's/^/    /' >&2
case "$hp" in
*FAIL*)
	isolated=0
	bad "from the host: $(printf '%s' "$hp" | grep FAIL | tr '\n' ';')"
	;;
esac
RC=0
with_timeout 10 curl -sS --max-time 5 "http://127.0.0.1:$p2/" >/dev/null 2>&1 || RC=$?
[ "$RC" -eq 7 ] || bad "host curl http://127.0.0.1:$p2/: exit $RC, want 7"
touch "$RUN/host.probed"

reply=$(unpriv "$PY" - "$RUN/inside.sock" <<'EOF' 2>&1
import socket, sys
u = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
u.settimeout(10)
u.connect(sys.argv[1])
u.sendall(b"hello-unix")
print(u.recv(100).decode())
EOF
) || true
[ "$reply" = hello-from-inside ] ||
	bad "AF_UNIX from the host to the sandboxed listener: got '$reply'"
RC=0
wait_pid 30 "$ipid" || RC=$?
[ "$RC" -eq 0 ] || bad "inside.py exited $RC"
grep -q '^unix=hello-unix leaks=0$' "$LAST_OUT" || {
	isolated=0
	bad "inside.py reported: $(tr '\n' ';' <"$LAST_OUT")"
}
log "inside.py: $(tr '\n' ';' <"$LAST_OUT")"

# ---------------------------------------------------------------- no route
if [ $isolated -eq 1 ]; then
	step "curl to an unrouted address fails fast with ENETUNREACH"
	start=$(date +%s%N)
	rrs_run 30 unreach -- curl -sS -v --connect-timeout 5 --max-time 8 \
		http://198.51.100.1/
	ms=$((($(date +%s%N) - start) / 1000000))
	if [ "$RC" -ne 7 ]; then
		bad "curl http://198.51.100.1/ inside: exit $RC, want 7 (could not connect)"
	elif ! grep -q 'Network is unreachable' "$LAST_ERR"; then
		bad "curl http://198.51.100.1/ inside: no 'Network is unreachable' in its -v output"
	elif [ "$ms" -ge 4000 ]; then
		bad "curl http://198.51.100.1/ inside took $ms ms, not an immediate failure"
	else
		log "ok: curl failed with 'Network is unreachable' in $ms ms"
	fi

	step "connects to unrouted addresses give ENETUNREACH"
	rrs_run 30 probe-unrouted -- "$PY" "$RUN/probe.py" unrouted
	sed 's/^/    /' "$LAST_OUT" >&2
	grep -q '^FAIL' "$LAST_OUT" &&
		bad "probe.py unrouted: $(grep '^FAIL' "$LAST_OUT" | tr '\n' ';')"
	[ "$RC" -eq 0 ] || [ -s "$LAST_OUT" ] ||
		bad "probe.py unrouted exited $RC without a report"
else
	bad "unrouted-address probes NOT run: the sandbox's loopback was not shown to be its own, so they could leave the machine"
fi

if [ ${#FAILS[@]} -gt 0 ]; then
	LAST_OUT='' LAST_ERR=''
	fail "${#FAILS[@]} check(s) failed: $(printf '%s | ' "${FAILS[@]}")"
fi
log "PASS"
