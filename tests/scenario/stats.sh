#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# stats.sh - nothing leaks: a program opens and closes 10,000 TCP
# connections (9 in 10 over 127.0.0.1, 1 in 10 over ::1, half closed first by
# the client, half by the server, half connected blocking, half with a
# timeout) and 200 UDP sockets, all to listeners of its own; rrsandbox's
# SIGUSR1 stats line must come back to what it was before (after the
# connections: as with only the listeners open; after closing the
# listeners: as before the first socket) within $RRS_STATS_SETTLE seconds
# (default 25: lwIP keeps TIME_WAIT pcbs 2*TCP_MSL = 20 s). Polling goes on to 45 s
# so that a failure tells slow from leaked; the times are logged.  At S1,
# `rrctl show stats` must give the SIGUSR1 line's counters.  After the
# churn, traps and mem_reads must count at least three traps and one read
# a connection.
#
#   host (test)                         rrsandbox -- python3 churn.py
#     |  SIGUSR1 -> "rrsandbox: stats: fds= socks= tcp_pcbs= udp_pcbs="
#     |  files phaseN <- program / goN -> program
#     |                                 +-----------------------------+
#     |  S0: no sockets                 | listeners 127.0.0.1:P, ::1:P|
#     |  S1: listeners open             | 10000 x connect/accept/    |
#     |  S2 == S1 after the churn       |   ping/pong/close           |
#     |  S3 == S0 after closing all     | UDP :P  200 x socket/sendto |
#                                       +-----------------------------+

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"

SETTLE=${RRS_STATS_SETTLE:-25}
OBSERVE=45
NCONN=${RRS_STATS_CONNS:-10000}

inner_script churn.py <<'EOF'
"""Open and close many sockets in phases the test steps through."""
import os
import signal
import socket
import sys
import time

port, nconn = int(sys.argv[1]), int(sys.argv[2])
# the wait below looks relative to a directory fd: a stat() by path is
# trapped (the sysctl directories), and would move the traps counter
# between the SIGUSR1 line and `rrctl show stats`
here = os.open(".", os.O_RDONLY | os.O_DIRECTORY)


def exists(name):
    try:
        os.stat(name, dir_fd=here)
        return True
    except FileNotFoundError:
        return False


def phase(n, text="ready"):
    with open(f"phase{n}.tmp", "w") as f:
        f.write(text + "\n")
    os.rename(f"phase{n}.tmp", f"phase{n}")
    end = time.monotonic() + 90
    while not exists(f"go{n}"):
        if time.monotonic() > end:
            sys.exit(f"timed out waiting for go{n}")
        time.sleep(0.05)


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            raise EOFError(f"EOF after {len(buf)} of {n} bytes")
        buf += chunk
    return buf


def one_tcp(i, ls, addr):
    c = socket.socket(ls.family, socket.SOCK_STREAM)
    if i % 4 >= 2:
        c.settimeout(10)  # non-blocking connect, poll, SO_ERROR
    c.connect((addr, port))
    a, _ = ls.accept()
    c.sendall(b"ping")
    assert recv_exact(a, 4) == b"ping"
    a.sendall(b"pong")
    assert recv_exact(c, 4) == b"pong"
    first, second = (c, a) if i % 2 else (a, c)
    first.close()
    assert second.recv(1) == b"", "no EOF after the peer closed"
    second.close()


def main():
    signal.alarm(120)  # a hung call must not outlive the test
    phase(0)

    l4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    l4.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l4.bind(("127.0.0.1", port))
    l4.listen(16)
    l6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    l6.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l6.bind(("::1", port))
    l6.listen(16)
    us = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    us.bind(("127.0.0.1", port))
    phase(1)

    t0 = time.monotonic()
    for i in range(nconn):
        if i % 10 == 9:
            one_tcp(i, l6, "::1")
        else:
            one_tcp(i, l4, "127.0.0.1")
    t1 = time.monotonic()
    for i in range(200):
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.settimeout(10)
        u.sendto(b"u%d" % i, ("127.0.0.1", port))
        data, peer = us.recvfrom(100)
        assert data == b"u%d" % i
        us.sendto(data, peer)
        assert u.recv(100) == data
        u.close()
    t2 = time.monotonic()
    phase(2, f"{nconn} tcp in {t1 - t0:.2f}s, 200 udp in {t2 - t1:.2f}s")

    l4.close()
    l6.close()
    us.close()
    phase(3)


main()
EOF

ERR=$RUN/rrs.err
port=$(free_port)
step "$NCONN TCP connections and 200 UDP sockets, port $port"
LAST_OUT=$RUN/rrs.out LAST_ERR=$ERR
stage_rrctl
bg unpriv "$RRS" -s "$RUN/ctl.sock" -- "$PY" "$RUN/churn.py" "$port" "$NCONN" >"$LAST_OUT" 2>"$ERR"
pid=$BG_PID

# stats() - ask rrsandbox for its stats line and parse it into ST_*
# Return: 1 if no new line came within 5 s
stats() {
	local before now=0 line
	before=$(grep -c '^rrsandbox: stats:' "$ERR" || true)
	kill -USR1 "$pid" 2>/dev/null || return 1
	for _ in $(seq 50); do
		now=$(grep -c '^rrsandbox: stats:' "$ERR" || true)
		[ "$now" -gt "$before" ] && break
		sleep 0.1
	done
	[ "$now" -gt "$before" ] || return 1
	line=$(grep '^rrsandbox: stats:' "$ERR" | tail -n 1)
	[[ $line =~ fds=([0-9]+)\ socks=([0-9]+)\ tcp_pcbs=([0-9]+)\ udp_pcbs=([0-9]+) ]] ||
		fail "unparsable stats line: '$line'"
	ST_FDS=${BASH_REMATCH[1]} ST_SOCKS=${BASH_REMATCH[2]}
	ST_TCP=${BASH_REMATCH[3]} ST_UDP=${BASH_REMATCH[4]}
	ST="fds=$ST_FDS socks=$ST_SOCKS tcp_pcbs=$ST_TCP udp_pcbs=$ST_UDP"
}

# at_phase() - wait for the program to reach phase N
at_phase() {
	wait_file 60 "$RUN/phase$1" && return 0
	pid_alive "$pid" || fail "rrsandbox exited before phase $1"
	fail "the program did not reach phase $1 in 60 s"
}

# settle() - poll the stats until they equal a reference. Passing takes
#            $SETTLE s at most; polling goes on to $OBSERVE s so that the
#            failure says whether the counters were slow or never came back.
# @1: reference, as "fds=.. socks=.. tcp_pcbs=.. udp_pcbs=.."
# @2: what the reference is, for the message
settle() {
	local want=$1 what=$2 start ms last_sock=""
	start=$(date +%s%N)
	while :; do
		stats || fail "no stats line within 5 s of SIGUSR1"
		ms=$((($(date +%s%N) - start) / 1000000))
		# when fds and socks came back, pcbs may still be in TIME_WAIT
		if [ -z "$last_sock" ] && [ "${ST%% tcp_pcbs=*}" = "${want%% tcp_pcbs=*}" ]; then
			last_sock=$ms
			log "fds and socks back after $ms ms"
		fi
		if [ "$ST" = "$want" ]; then
			log "all counters back after $ms ms"
			[ "$ms" -le $((SETTLE * 1000)) ] ||
				fail "counters came back only after $ms ms (limit ${SETTLE} s; fds and socks after ${last_sock} ms) to $what"
			return 0
		fi
		[ "$ms" -lt $((OBSERVE * 1000)) ] ||
			fail "leak: after $ms ms still $ST, want $want ($what)"
		log "waiting ($ms ms): $ST, want $want"
		sleep 1
	done
}

at_phase 0
stats || fail "no stats line within 5 s of SIGUSR1"
S0=$ST
log "S0 (no sockets yet): $S0"
touch "$RUN/go0"

at_phase 1
stats || fail "no stats line within 5 s of SIGUSR1"
S1=$ST
log "S1 (2 TCP listeners, 1 UDP socket): $S1"
[ "$ST_SOCKS" -ge 3 ] || log "note: socks=$ST_SOCKS with 3 sockets open"
# rrctl show stats: the same counters (fds aside: the control connection
# is one more while it is served)
ctl=$(unpriv "$RRCTL" -s "$RUN/ctl.sock" show stats) || fail "rrctl show stats failed"
[ "${ctl#* }" = "$(grep '^rrsandbox: stats:' "$ERR" | tail -n 1 | sed 's/^rrsandbox: stats: fds=[0-9]* //')" ] ||
	fail "rrctl show stats: '$ctl', the SIGUSR1 line: '$(grep '^rrsandbox: stats:' "$ERR" | tail -n 1)'"
log "rrctl show stats: $ctl"
touch "$RUN/go1"

at_phase 2
log "churn: $(cat "$RUN/phase2")"
stats || fail "no stats line within 5 s of SIGUSR1"
line=$(grep '^rrsandbox: stats:' "$ERR" | tail -n 1)
# Each connection is a socket(), a connect() and an accept() trapped at
# least (close() is not trapped), and reads the address it connects to.
[[ $line =~ traps=([0-9]+)\ mem_reads=([0-9]+) ]] ||
	fail "no traps and mem_reads in '$line'"
traps=${BASH_REMATCH[1]} reads=${BASH_REMATCH[2]}
log "traps: $traps, memory reads: $reads"
if [ "$traps" -lt $((3 * NCONN)) ] || [ "$reads" -lt "$NCONN" ]; then
	fail "$traps traps and $reads memory reads over $NCONN connections (want at least $((3 * NCONN)) and $NCONN)"
fi
settle "$S1" "the listeners' state, S1"
log "S2 == S1: $ST"
touch "$RUN/go2"

at_phase 3
settle "$S0" "the state before any socket, S0"
log "S3 == S0: $ST"
touch "$RUN/go3"

RC=0
wait_pid 30 "$pid" || RC=$?
expect_rc 0 "rrsandbox -- python3 churn.py"

log "PASS"
