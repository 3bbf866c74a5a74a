#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# drain.sh - what a program's TCP connections still hold when it exits is
# delivered, as the kernel delivers it after a process exit:
#
#   B: python3 sends 2 MB on an accepted     A: python3 connects and reads
#      connection and exits at once             to EOF: all 2 MB, then EOF
#   (two sandboxes on one link, 10.0.5.2 and 10.0.5.1)
#
# Then the bound: B's peer stops answering (A's supervisor is stopped with
# SIGSTOP once connected), B sends what fits and exits; B's rrsandbox ends
# after DRAIN_MS (2 s), not waiting for ACKs that never come.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"

cat >"$RUN/a.conf" <<EOF
link add eth0 type link local $RUN/a.link remote $RUN/b.link
addr add 10.0.5.1/24 dev eth0
EOF
cat >"$RUN/b.conf" <<EOF
link add eth0 type link local $RUN/b.link remote $RUN/a.link
addr add 10.0.5.2/24 dev eth0
EOF
inner_script srv.py <<'EOF'
import os, socket, sys, time
n = int(sys.argv[1])
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.0.5.2", 7000))
s.listen(1)
c, _ = s.accept()
if n <= 4 << 20:
    c.sendall(b"x" * n)
else:				# told to go, send what fits, unacknowledged
    open("accepted", "w").write("1")
    while not os.path.exists("go"):
        time.sleep(0.05)
    c.setblocking(False)
    try:
        while True:
            c.send(b"x" * 65536)
    except BlockingIOError:
        pass
os._exit(0)			# no close, no shutdown: the exit closes
EOF
inner_script cli.py <<'EOF'
import socket, sys, time
for _ in range(100):
    try:
        s = socket.create_connection(("10.0.5.2", 7000))
        break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit(3)
if sys.argv[1] == "stall":
    time.sleep(30)		# never reads
    sys.exit(0)
s.settimeout(15)
n = 0
while True:
    d = s.recv(65536)
    if not d:
        break
    n += len(d)
print(n)
EOF
chmod 644 "$RUN"/*.conf

step "a program exits with 2 MB unsent: the peer reads all of it, then EOF"
bg unpriv "$RRS" --no-control -c "$RUN/b.conf" -- "$PY" "$RUN/srv.py" 2000000 \
	>"$RUN/srv.out" 2>"$RUN/srv.err"
srv=$BG_PID
rrs_run 30 cli --no-control -c "$RUN/a.conf" -- "$PY" "$RUN/cli.py" read
expect_rc 0 "the reader"
[ "$(cat "$RUN/cli.out")" = 2000000 ] || fail "the reader got $(cat "$RUN/cli.out") bytes, want 2000000 and EOF"
rc=0
wait_pid 10 "$srv" || rc=$?
[ "$rc" -eq 0 ] || { LAST_OUT=$RUN/srv.out LAST_ERR=$RUN/srv.err; fail "the sender's rrsandbox exited with $rc"; }

step "a peer that stops answering: the supervisor ends 2 s after the exit"
rm -f "$RUN/a.link" "$RUN/b.link"
bg unpriv "$RRS" --no-control -c "$RUN/b.conf" -- "$PY" "$RUN/srv.py" 16000000 \
	>"$RUN/srv2.out" 2>"$RUN/srv2.err"
srv=$BG_PID
bg unpriv "$RRS" --no-control -c "$RUN/a.conf" -- "$PY" "$RUN/cli.py" stall \
	>"$RUN/cli2.out" 2>"$RUN/cli2.err"
cli=$BG_PID
wait_file 30 "$RUN/accepted" || fail "the sender never accepted the connection"
kill -STOP "$cli"
echo go >"$RUN/go"
start=$(date +%s%N)
rc=0
wait_pid 10 "$srv" || rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
kill -CONT "$cli"
LAST_OUT=$RUN/srv2.out LAST_ERR=$RUN/srv2.err
[ "$rc" -ne 124 ] || fail "the sender's rrsandbox did not end within 10 s of its program's exit"
[ "$rc" -eq 0 ] || fail "the sender's rrsandbox exited with $rc"
log "the sender's sandbox ended $ms ms after it was told to send"
[ "$ms" -ge 1900 ] || fail "the sender's sandbox ended after $ms ms: it did not wait for its data to be acknowledged"
log "PASS"
