#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# socat.sh - socat on both ends inside one sandbox: TCP4/TCP6 echo of 1 MiB
# (client with connect-timeout, i.e. a non-blocking connect completed
# through poll and SO_ERROR), UDP4/UDP6 request and reply over a connected
# socket (UDP-LISTEN / UDP) and over unconnected ones (UDP-RECVFROM /
# UDP-DATAGRAM: recvfrom and sendto with an address); a UDP4/UDP6 client
# of a port nothing listens on fails at once with "Connection refused", as
# on Linux (its select() says the socket is readable, its read() gets the
# port unreachable as ECONNREFUSED: neither is trapped).
#
#   rrsandbox -- sh socat.sh  (one sandbox, lwIP loopback)
#   +-----------------------------------------------------------------+
#   | socat TCP4-LISTEN:P1 EXEC:cat      <== 1 MiB ==> socat - TCP4:127.0.0.1:P1
#   | socat TCP6-LISTEN:P2 EXEC:cat      <== 1 MiB ==> socat - TCP6:[::1]:P2
#   | socat UDP4-LISTEN:P3 SYSTEM:pong   <- ping -> pong  socat - UDP4:127.0.0.1:P3
#   | socat UDP6-LISTEN:P4 SYSTEM:pong   <- ping -> pong  socat - UDP6:[::1]:P4
#   | socat UDP4-RECVFROM:P5 SYSTEM:pong <- ping -> pong  socat - UDP4-DATAGRAM:...
#   | socat UDP6-RECVFROM:P6 SYSTEM:pong <- ping -> pong  socat - UDP6-DATAGRAM:...
#   |                         (nothing on P7) <- ping --  socat - UDP4:127.0.0.1:P7
#   |                         (nothing on P7) <- ping --  socat - UDP6:[::1]:P7
#   +-----------------------------------------------------------------+

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need socat sha256sum base64

head -c 1048576 /dev/urandom >"$RUN/data"
# one ~1000-byte line for the datagrams
head -c 750 /dev/urandom | base64 -w0 >"$RUN/line"
chmod 644 "$RUN/data" "$RUN/line"

inner_script socat.sh <<'EOF'
#!/bin/sh
# $1..$7: ports. Exit status names the failing step.

# tcp_echo LISTEN CONNECT OUT: echo server, then a client retried while refused
tcp_echo() {
	socat "$1" EXEC:cat &
	l=$!
	i=0
	while :; do
		if socat -t 30 - "$2" <data >"$3" 2>"$3.err"; then break; fi
		grep -q refused "$3.err" || { cat "$3.err" >&2; return 1; }
		i=$((i + 1))
		[ $i -lt 100 ] || return 1
		sleep 0.1
	done
	wait $l
}

# udp_pong LISTEN CLIENT OUT: the server answers one datagram with
# "pong <line>"; the client keeps stdin open until the answer is in OUT
# shellcheck disable=SC2094 # OUT is written by socat, polled by the feeder
udp_pong() {
	# shellcheck disable=SC2016 # expanded by socat's shell
	socat -T 20 "$1" SYSTEM:'read l; echo "pong $l"' &
	l=$!
	sleep 0.2
	i=0
	while :; do
		: >"$3"
		{
			cat line; echo
			j=0
			while [ ! -s "$3" ] && [ $j -lt 30 ]; do sleep 0.1; j=$((j + 1)); done
		} | socat -t 0.5 - "$2" >"$3" 2>"$3.err"
		[ -s "$3" ] && break
		i=$((i + 1))
		[ $i -lt 5 ] || { cat "$3.err" >&2; return 1; }
	done
	wait $l
}

# udp_refused CLIENT OUT: the client sends a line to a port nothing
# listens on and, its stdin open 3 s more, must fail within 2 s, refused
udp_refused() {
	t0=$(date +%s)
	{ echo ping; sleep 3; } | {
		socat - "$1" >"$2" 2>"$2.err"
		echo $? >"$2.rc"
		date +%s >"$2.end"
	}
	[ "$(cat "$2.rc")" != 0 ] || { echo "$1: status 0" >&2; return 1; }
	grep -q 'Connection refused' "$2.err" || { cat "$2.err" >&2; return 1; }
	[ $(($(cat "$2.end") - t0)) -le 2 ] ||
		{ echo "$1: refused only after $(($(cat "$2.end") - t0)) s" >&2; return 1; }
}

tcp_echo "TCP4-LISTEN:$1,bind=127.0.0.1" \
	"TCP4:127.0.0.1:$1,connect-timeout=5" echo4 || exit 10
tcp_echo "TCP6-LISTEN:$2,bind=[::1]" \
	"TCP6:[::1]:$2,connect-timeout=5" echo6 || exit 11
udp_pong "UDP4-LISTEN:$3,bind=127.0.0.1" "UDP4:127.0.0.1:$3" udp4 || exit 12
udp_pong "UDP6-LISTEN:$4,bind=[::1]" "UDP6:[::1]:$4" udp6 || exit 13
udp_pong "UDP4-RECVFROM:$5,bind=127.0.0.1" \
	"UDP4-DATAGRAM:127.0.0.1:$5" udp4dg || exit 14
udp_pong "UDP6-RECVFROM:$6,bind=[::1]" \
	"UDP6-DATAGRAM:[::1]:$6" udp6dg || exit 15
udp_refused "UDP4:127.0.0.1:$7" refused4 || exit 16
udp_refused "UDP6:[::1]:$7" refused6 || exit 17
EOF

ports=()
for _ in 1 2 3 4 5 6 7; do ports+=("$(free_port)"); done
step "socat TCP and UDP, ports ${ports[*]}"
rrs_run 90 socat -- sh "$RUN/socat.sh" "${ports[@]}"
expect_rc 0 "rrsandbox -- sh socat.sh (status = failing step, see socat.sh)"

want=$(sha "$RUN/data")
for f in echo4 echo6; do
	[ "$(sha "$RUN/$f")" = "$want" ] ||
		fail "TCP $f: echo differs ($(stat -c %s "$RUN/$f") bytes of 1048576)"
	log "ok: TCP $f, 1 MiB echoed byte-exact"
done
want="pong $(cat "$RUN/line")"
for f in udp4 udp6 udp4dg udp6dg; do
	[ "$(cat "$RUN/$f")" = "$want" ] ||
		fail "UDP $f: got '$(head -c 60 "$RUN/$f")...', not the pong"
	log "ok: UDP $f request and reply"
done
log "ok: UDP4 and UDP6 clients of a closed port refused at once"

log "PASS"
