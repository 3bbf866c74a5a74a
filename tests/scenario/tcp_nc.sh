#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# tcp_nc.sh - TCP through the sandbox's loopback with netcat-openbsd and
# socat: byte-exact transfers each way over 127.0.0.1 and ::1, a listener
# restarted at once on its port, and 5 MiB echoed both ways at once with
# half-close (nc -N: shutdown(SHUT_WR) after EOF on stdin, the peer still
# sends after it).
#
#   rrsandbox -- sh nc.sh  (one sandbox, lwIP loopback)
#   +--------------------------------------------------------------+
#   |  nc -l 127.0.0.1:P1 >srv4            <====  nc -N 127.0.0.1 P1 <big
#   |  nc -N -l 127.0.0.1:P1 <reply (again) ====> nc 127.0.0.1 P1 >cli4
#   |  nc -l ::1:P2 >srv6                  <====  nc -N ::1 P2 <big
#   |  nc -N -l ::1:P2 <reply              ====>  nc ::1 P2 >cli6
#   |  socat TCP6-LISTEN ::1:P3 EXEC:cat    <====>  nc -N ::1 P3 <big >echo6
#   |  socat TCP4-LISTEN 127.0.0.1:P4 EXEC:cat <=>  nc -N 127.0.0.1 P4 <big >echo4
#   +--------------------------------------------------------------+
#   big: 5 MiB random, reply: 1 MiB random; checked with sha256 on the host

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need nc socat sha256sum

head -c 5242880 /dev/urandom >"$RUN/big"
head -c 1048576 /dev/urandom >"$RUN/reply"
chmod 644 "$RUN/big" "$RUN/reply"

inner_script nc.sh <<'EOF'
#!/bin/sh
# $1..$4: ports. Exit status names the failing step.
# client ADDR PORT IN OUT [-N]: nc, retried only while the listener is not up
client() {
	i=0
	while :; do
		# shellcheck disable=SC2086
		if nc -v $5 "$1" "$2" <"$3" >"$4" 2>"$4.err"; then return 0; fi
		grep -q refused "$4.err" || { cat "$4.err" >&2; return 1; }
		i=$((i + 1))
		[ $i -lt 100 ] || return 1
		sleep 0.1
	done
}
# One direction per nc pair: a listening nc closes as soon as the network
# side ends and its input buffer is empty, even before its own input is
# all sent, so "both ways at once" is socat's part below.
nc -l 127.0.0.1 "$1" </dev/null >srv4 &
l=$!
client 127.0.0.1 "$1" big sink4 -N || exit 10
wait $l || exit 11
# the same port again at once (the last connection is in TIME_WAIT; nc
# sets SO_REUSEADDR, as most servers do), the other way
nc -N -l 127.0.0.1 "$1" <reply >again4.srv 2>again4.err &
l=$!
client 127.0.0.1 "$1" /dev/null cli4 || { cat again4.err >&2; exit 18; }
wait $l || { cat again4.err >&2; exit 19; }

nc -l ::1 "$2" </dev/null >srv6 &
l=$!
client ::1 "$2" big sink6 -N || exit 12
wait $l || exit 13
nc -N -l ::1 "$2" <reply >/dev/null &
l=$!
client ::1 "$2" /dev/null cli6 || exit 20
wait $l || exit 21

socat -t 30 "TCP6-LISTEN:$3,bind=[::1]" EXEC:cat &
l=$!
client ::1 "$3" big echo6 -N || exit 14
wait $l || exit 15

socat -t 30 "TCP4-LISTEN:$4,bind=127.0.0.1" EXEC:cat &
l=$!
client 127.0.0.1 "$4" big echo4 -N || exit 16
wait $l || exit 17
EOF

p1=$(free_port) p2=$(free_port) p3=$(free_port) p4=$(free_port)
step "nc/socat transfers, ports $p1 $p2 $p3 $p4"
rrs_run 90 nc -- sh "$RUN/nc.sh" "$p1" "$p2" "$p3" "$p4"
expect_rc 0 "rrsandbox -- sh nc.sh (status = failing step, see nc.sh)"

big=$(sha "$RUN/big") reply=$(sha "$RUN/reply")
check() {
	local f=$1 want=$2 what=$3
	[ -f "$RUN/$f" ] || fail "$what: $f missing"
	[ "$(sha "$RUN/$f")" = "$want" ] ||
		fail "$what: $f differs ($(stat -c %s "$RUN/$f") bytes)"
	log "ok: $what ($(stat -c %s "$RUN/$f") bytes)"
}
check srv4 "$big" "IPv4 client -> listener"
check cli4 "$reply" "IPv4 listener -> client, listener restarted on its port at once"
check srv6 "$big" "IPv6 client -> listener"
check cli6 "$reply" "IPv6 listener -> client"
check echo6 "$big" "IPv6 echo after half-close"
check echo4 "$big" "IPv4 echo after half-close"

log "PASS"
