#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# wrap4g.sh - one TCP connection through lwIP carries more than 4 GiB, so
# both ends' sequence numbers pass 2^31 and wrap past 2^32, and every byte
# arrives where it belongs.  This is the long-lived BGP session's risk
# compressed into a minute: comparisons across the wrap
# (patches/lwip/0021), the receive window and the out-of-order queue near
# it (0020), and the counters that grow with the bytes carried.
#
#   rrsandbox --no-shortcut -- sh wrap.sh   (one sandbox, lwIP loopback)
#   +-------------------------------------------------------------------+
#   |  seqstream gen N | nc -N 127.0.0.1 P  ====>  nc -l 127.0.0.1 P     |
#   |                                              | seqstream check N   |
#   |  python3 both.py client ::1 P2  <===========>  python3 both.py server|
#   |   (gen N > sock, sock > check N)      (gen N > sock, sock > check N)|
#   +-------------------------------------------------------------------+
#   N = 4 GiB + 256 MiB (RRS_WRAP_BYTES), once one way over IPv4, then
#   both ways at once over one IPv6 connection (a BGP session's updates
#   cross): 3 x N in all.  --no-shortcut keeps the connections in lwIP
#   instead of handing both programs one AF_UNIX pair; while the first
#   runs, SIGUSR1's stats line must show its lwIP pcbs.
#
# seqstream (tests/progs) makes each 8-byte word a function of its offset
# and names the first wrong byte; a lost, repeated or shifted segment
# anywhere in the 4 GiB fails with its offset.  The rate is logged.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need nc
[ -x "$PROGS/seqstream" ] ||
	fail "seqstream not found in $PROGS (build it, or set RRS_PROGS)"

BYTES=${RRS_WRAP_BYTES:-$(((4 << 30) + (256 << 20)))}
[ "$BYTES" -gt $((4 << 30)) ] ||
	log "note: RRS_WRAP_BYTES=$BYTES is not more than 4 GiB: no wrap is tested"

inner_script wrap.sh <<'EOF'
#!/bin/sh
# $1: port, $2: bytes, $3: seqstream, $4: python3, $5: second port.
# Exit status names the failing step.
echo up >started	# the supervisor is up (its SIGUSR1 handler too)
nc -l 127.0.0.1 "$1" </dev/null | "$3" check "$2" >check.out 2>&1 &
c=$!
i=0
while :; do
	# -v: nc says why a connect failed (the listener may not be up yet)
	if "$3" gen "$2" | nc -v -N 127.0.0.1 "$1" 2>gen.err; then break; fi
	grep -q refused gen.err || { cat gen.err >&2; exit 10; }
	i=$((i + 1))
	[ $i -lt 100 ] || exit 11
	sleep 0.1
done
wait $c || exit 12
# Both ways at once over one IPv6 connection, as a BGP session's updates
# cross: two python3 ends hand the socket to seqstream gen and check.
"$4" both.py server "$5" "$2" "$3" check.srv &
s=$!
"$4" both.py client "$5" "$2" "$3" check.cli || exit 13
wait $s || exit 14
EOF

inner_script both.py <<'EOF'
# One end of the two-way transfer: MODE PORT BYTES SEQSTREAM OUT.  The
# connected socket becomes seqstream gen's stdout and seqstream check's
# stdin; when gen is done, SHUT_WR, and check reads on to the peer's end.
import socket
import subprocess
import sys
import time

mode, port, nbytes, seq, out = sys.argv[1:6]
if mode == "server":
    lsock = socket.socket(socket.AF_INET6)
    lsock.bind(("::1", int(port)))
    lsock.listen(1)
    s, _ = lsock.accept()
    lsock.close()
else:
    for _ in range(100):  # retried only while the server is not up
        s = socket.socket(socket.AF_INET6)
        try:
            s.connect(("::1", int(port)))
            break
        except ConnectionRefusedError:
            s.close()
            time.sleep(0.1)
    else:
        sys.exit("both.py: connection refused 100 times")
with open(out, "w") as f:
    check = subprocess.Popen([seq, "check", nbytes], stdin=s.fileno(),
                             stdout=f, stderr=f)
    gen = subprocess.Popen([seq, "gen", nbytes], stdout=s.fileno())
    g = gen.wait()
    s.shutdown(socket.SHUT_WR)
    c = check.wait()
s.close()
sys.exit(g or c)
EOF

ERR=$RUN/rrs.err
port=$(free_port) port2=$(free_port)
step "$BYTES bytes over lwIP TCP: one way on $port, both ways on $port2"
start=$(date +%s%N)
LAST_OUT=$RUN/rrs.out LAST_ERR=$ERR
# --no-shortcut is the point of this test, whatever RRS_OPTS says
# shellcheck disable=SC2086
bg unpriv "$RRS" ${RRS_OPTS:-} --no-shortcut -- sh "$RUN/wrap.sh" "$port" "$BYTES" \
	"$PROGS/seqstream" "$PY" "$port2" >"$LAST_OUT" 2>"$ERR"
pid=$BG_PID

# The connection must be lwIP's: a few seconds in, the stats line counts
# its two pcbs (and the listener's, until nc closes it).
seen=
# SIGUSR1 would kill a supervisor still starting: wait for the program.
wait_file 30 "$RUN/started" || fail "the program never started"
for _ in $(seq 100); do
	sleep 0.2
	pid_alive "$pid" || break
	before=$(grep -c '^rrsandbox: stats:' "$ERR" || true)
	kill -USR1 "$pid" 2>/dev/null || break
	for _ in $(seq 20); do
		[ "$(grep -c '^rrsandbox: stats:' "$ERR" || true)" -gt "$before" ] && break
		sleep 0.1
	done
	line=$(grep '^rrsandbox: stats:' "$ERR" | tail -n 1 || true)
	if [[ $line =~ tcp_pcbs=([0-9]+) ]] && [ "${BASH_REMATCH[1]}" -ge 2 ]; then
		seen=$line
		break
	fi
done
[ -n "$seen" ] || fail "no stats line showed the connection's lwIP pcbs"
log "during the transfer: $seen"

RC=0
wait_pid 200 "$pid" || RC=$?
[ "$RC" -ne 124 ] || fail "the transfer did not end within 200 s"
ms=$((($(date +%s%N) - start) / 1000000))
expect_rc 0 "rrsandbox -- sh wrap.sh (status = failing step, see wrap.sh)"
for f in check.out check.srv check.cli; do
	[ -f "$RUN/$f" ] || fail "no checker output $f"
	log "$f: $(cat "$RUN/$f")"
	grep -q "^seqstream check: $BYTES bytes exact\$" "$RUN/$f" ||
		fail "stream not exact ($f): $(cat "$RUN/$f")"
done
log "ok: 3 x $BYTES bytes in $ms ms ($((3 * BYTES * 1000 / 1048576 / (ms > 0 ? ms : 1))) MiB/s)"
log "PASS"
