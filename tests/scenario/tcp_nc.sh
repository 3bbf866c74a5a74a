#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# tcp_nc.sh - TCP through the sandbox's loopback with netcat-openbsd and
# socat: byte-exact 5 MiB transfers both ways at once, over 127.0.0.1 and
# ::1, with half-close (nc -N: shutdown(SHUT_WR) after EOF on stdin, the
# peer still sends after it).
#
#   rrsandbox -- sh nc.sh  (one sandbox, lwIP loopback)
#   +--------------------------------------------------------------+
#   |  nc -N -l 127.0.0.1:P1 <reply >srv4   <====>  nc -N 127.0.0.1 P1 <big >cli4
#   |  nc -N -l ::1:P2       <reply >srv6   <====>  nc -N ::1 P2       <big >cli6
#   |  socat TCP6-LISTEN ::1:P3 EXEC:cat    <====>  nc -N ::1 P3 <big >echo6
#   |  socat TCP4-LISTEN 127.0.0.1:P4 EXEC:cat <=>  nc -N 127.0.0.1 P4 <big >echo4
#   |  nc -N -l 127.0.0.1:P1 again (restarted at once) <=> nc -N 127.0.0.1 P1
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
# client ADDR PORT IN OUT: nc -N, retried only while the listener is not up
client() {
	i=0
	while :; do
		if nc -v -N "$1" "$2" <"$3" >"$4" 2>"$4.err"; then return 0; fi
		grep -q refused "$4.err" || { cat "$4.err" >&2; return 1; }
		i=$((i + 1))
		[ $i -lt 100 ] || return 1
		sleep 0.1
	done
}
nc -N -l 127.0.0.1 "$1" <reply >srv4 &
l=$!
client 127.0.0.1 "$1" big cli4 || exit 10
wait $l || exit 11

nc -N -l ::1 "$2" <reply >srv6 &
l=$!
client ::1 "$2" big cli6 || exit 12
wait $l || exit 13

socat "TCP6-LISTEN:$3,bind=[::1]" EXEC:cat &
l=$!
client ::1 "$3" big echo6 || exit 14
wait $l || exit 15

socat "TCP4-LISTEN:$4,bind=127.0.0.1" EXEC:cat &
l=$!
client 127.0.0.1 "$4" big echo4 || exit 16
wait $l || exit 17

# a server restarted at once on its port (connections from the last run
# are in TIME_WAIT; nc sets SO_REUSEADDR, as most servers do)
nc -N -l 127.0.0.1 "$1" <reply >again4.srv 2>again4.err &
l=$!
client 127.0.0.1 "$1" reply again4.cli || { cat again4.err >&2; exit 18; }
wait $l || { cat again4.err >&2; exit 19; }
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
check cli4 "$reply" "IPv4 listener -> client"
check srv6 "$big" "IPv6 client -> listener"
check cli6 "$reply" "IPv6 listener -> client"
check echo6 "$big" "IPv6 echo after half-close"
check echo4 "$big" "IPv4 echo after half-close"
check again4.srv "$reply" "IPv4 listener restarted on its port at once"
check again4.cli "$reply" "IPv4 listener restarted on its port at once, reply"

log "PASS"
