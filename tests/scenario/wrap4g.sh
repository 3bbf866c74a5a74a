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
#   |                    (lwIP pcb)   lo   (lwIP pcb)  | seqstream check N|
#   +-------------------------------------------------------------------+
#   N = 4 GiB + 256 MiB (RRS_WRAP_BYTES); --no-shortcut keeps the
#   connection in lwIP instead of handing both programs one AF_UNIX pair.
#   While it runs, SIGUSR1's stats line must show the connection's pcbs.
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
# $1: port, $2: bytes, $3: seqstream. Exit status names the failing step.
nc -l 127.0.0.1 "$1" </dev/null | "$3" check "$2" >check.out 2>&1 &
c=$!
i=0
while :; do
	if "$3" gen "$2" | nc -N 127.0.0.1 "$1" 2>gen.err; then break; fi
	grep -q refused gen.err || { cat gen.err >&2; exit 10; }
	i=$((i + 1))
	[ $i -lt 100 ] || exit 11
	sleep 0.1
done
wait $c || exit 12
EOF

ERR=$RUN/rrs.err
port=$(free_port)
step "$BYTES bytes over one lwIP TCP connection, port $port"
start=$(date +%s%N)
LAST_OUT=$RUN/rrs.out LAST_ERR=$ERR
# --no-shortcut is the point of this test, whatever RRS_OPTS says
# shellcheck disable=SC2086
bg unpriv "$RRS" ${RRS_OPTS:-} --no-shortcut -- sh "$RUN/wrap.sh" "$port" "$BYTES" \
	"$PROGS/seqstream" >"$LAST_OUT" 2>"$ERR"
pid=$BG_PID

# The connection must be lwIP's: a few seconds in, the stats line counts
# its two pcbs (and the listener's, until nc closes it).
seen=
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
wait_pid 110 "$pid" || RC=$?
[ "$RC" -ne 124 ] || fail "the transfer did not end within 110 s"
ms=$((($(date +%s%N) - start) / 1000000))
expect_rc 0 "rrsandbox -- sh wrap.sh (status = failing step, see wrap.sh)"
[ -f "$RUN/check.out" ] || fail "no checker output"
log "$(cat "$RUN/check.out")"
grep -q "^seqstream check: $BYTES bytes exact\$" "$RUN/check.out" ||
	fail "stream not exact: $(cat "$RUN/check.out")"
log "ok: $BYTES bytes in $ms ms ($((BYTES * 1000 / 1048576 / (ms > 0 ? ms : 1))) MiB/s)"
log "PASS"
