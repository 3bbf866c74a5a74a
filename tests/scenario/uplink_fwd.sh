#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# uplink_fwd.sh - TCP that one sandbox routes through another's host
# uplink: terminated in A's supervisor and relayed over its own host
# sockets (netstack/tcpfwd.c), as slirp4netns or a Linux NAT carries it.
#
#   host 127.0.0.1:H / [::1]:H6   python3 http.server (www/)
#        ^                         sink.py, half.py (nc-like half close)
#        | A's supervisor's own host sockets (NAT)
#   +----|-------------------------------+         +---------------------------+
#   | A: rrsandbox --uplink -s a.sock    |  link   | B: rrsandbox -c b.conf    |
#   |    up0 10.0.2.15, fd00::15         |=========| eth0 10.0.9.2, fd00:9::2  |
#   |    eth0 10.0.9.1, fd00:9::1        | a.link  | default via 10.0.9.1,     |
#   |    --uplink-allow 127.0.0.1, ::1   | b.link  |   fd00:9::1               |
#   |    sleep (nothing of its own)      |         | curl, nc, probe.py        |
#   +------------------------------------+         +---------------------------+
#
# B reaches the host's loopback at 10.0.2.2 and fd00::2, the gateway of
# A's uplink.  Checked: curl fetches 8 MiB byte-exact over IPv4 and IPv6
# and sees the destination as its peer; half-closes both ways (nc -N and
# a server that answers after the client's FIN, then closes first); a
# closed host port gives ECONNREFUSED; a destination A's rules deny gives
# EHOSTUNREACH (IPv4) / EACCES (IPv6) and never reaches the server; 200
# connections opened and closed leave A's supervisor with the fds it had
# and `show links` with no relay; removing the uplink resets a relay.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need curl nc sha256sum

RRCTL_SRC=${RRCTL:-$(dirname "$RRSANDBOX")/rrctl}
[ -x "$RRCTL_SRC" ] || fail "rrctl not found at $RRCTL_SRC (build it, or set RRCTL)"
cp "$RRCTL_SRC" "$WORK/bin/rrctl"
chmod 755 "$WORK/bin/rrctl"
RRCTL=$WORK/bin/rrctl
rrctl() { with_timeout 10 unpriv "$RRCTL" -s "$RUN/a.sock" "$@"; }

mkdir "$RUN/www"
head -c 8388608 /dev/urandom >"$RUN/www/big.bin"
echo hello >"$RUN/www/small.txt"
chmod -R a+rX "$RUN/www"

# ---- the host's servers ----
H=$(free_port)
bg unpriv "$PY" -m http.server --bind 127.0.0.1 --directory "$RUN/www" "$H" \
	>"$RUN/hostsrv.out" 2>"$RUN/hostsrv.err" </dev/null
H6=$(free_port)
bg unpriv "$PY" -m http.server --bind ::1 --directory "$RUN/www" "$H6" \
	>"$RUN/hostsrv6.out" 2>"$RUN/hostsrv6.err" </dev/null
for _ in $(seq 1 100); do
	curl -fsS -o /dev/null "http://127.0.0.1:$H/small.txt" 2>/dev/null &&
		curl -gfsS -o /dev/null "http://[::1]:$H6/small.txt" 2>/dev/null && break
	sleep 0.1
done
curl -fsS -o /dev/null "http://127.0.0.1:$H/small.txt" ||
	fail "the host's http.server did not start on 127.0.0.1:$H"
curl -gfsS -o /dev/null "http://[::1]:$H6/small.txt" ||
	fail "the host's http.server did not start on [::1]:$H6"

# ---- A: the uplink, routing for B ----
cat >"$RUN/a.conf" <<EOF
link add eth0 type link local $RUN/a.link remote $RUN/b.link
addr add 10.0.9.1/24 dev eth0
addr add fd00:9::1/64 dev eth0
EOF
cat >"$RUN/b.conf" <<EOF
link add eth0 type link local $RUN/b.link remote $RUN/a.link
addr add 10.0.9.2/24 dev eth0
addr add fd00:9::2/64 dev eth0
route add default via 10.0.9.1
route add default via fd00:9::1
EOF
chmod 644 "$RUN/a.conf" "$RUN/b.conf"
bg unpriv "$RRS" -s "$RUN/a.sock" --uplink --uplink-allow 127.0.0.1/32 \
	--uplink-allow ::1/128 -c "$RUN/a.conf" -- sleep 600 \
	>"$RUN/a.out" 2>"$RUN/a.err" </dev/null
A=$BG_PID
for _ in $(seq 1 100); do
	[ -S "$RUN/a.sock" ] && break
	sleep 0.1
done
rrctl show links >"$RUN/links0.out" || fail "A's control socket did not come up"

# b() - run PROGRAM in B: @1 seconds, @2 tag, @@ program and arguments
b() {
	local secs=$1 tag=$2
	shift 2
	rrs_run "$secs" "$tag" --no-control -c "$RUN/b.conf" -- "$@"
}

step "curl in B fetches 8 MiB from the host through A (IPv4, IPv6)"
b 60 curl4 curl -fsS --max-time 40 -w '%{remote_ip}\n' -o "$RUN/got4.bin" \
	"http://10.0.2.2:$H/big.bin"
expect_rc 0 "curl http://10.0.2.2:$H/big.bin in B"
[ "$(sha "$RUN/got4.bin")" = "$(sha "$RUN/www/big.bin")" ] ||
	fail "the file fetched through A differs (IPv4)"
[ "$(cat "$RUN/curl4.out")" = 10.0.2.2 ] ||
	fail "curl's peer was not the destination: $(cat "$RUN/curl4.out")"
b 60 curl6 curl -gfsS --max-time 40 -w '%{remote_ip}\n' -o "$RUN/got6.bin" \
	"http://[fd00::2]:$H6/big.bin"
expect_rc 0 "curl http://[fd00::2]:$H6/big.bin in B"
[ "$(sha "$RUN/got6.bin")" = "$(sha "$RUN/www/big.bin")" ] ||
	fail "the file fetched through A differs (IPv6)"
log ok
