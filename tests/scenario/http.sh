#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# http.sh - python3 http.server and curl inside one sandbox, over 127.0.0.1
# and [::1]: a 3 MiB file fetched byte-exact, then 20 small files fetched
# in one curl run (one connection each: http.server speaks HTTP/1.0).
#
#   rrsandbox -- sh http.sh  (one sandbox, lwIP loopback)
#   +--------------------------------------------------------------+
#   |  python3 -m http.server --bind 127.0.0.1 P1  <--  curl http://127.0.0.1:P1/
#   |  python3 -m http.server --bind ::1 P2        <--  curl -g http://[::1]:P2/
#   +--------------------------------------------------------------+

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need curl sha256sum

mkdir "$RUN/www"
head -c 3145728 /dev/urandom >"$RUN/www/big.bin"
for i in $(seq 1 20); do
	printf 'small file %d\n' "$i" >"$RUN/www/s$i.txt"
done
chmod -R a+rX "$RUN/www"

inner_script http.sh <<'EOF'
#!/bin/sh
# $1: IPv4 port, $2: IPv6 port, $3: python. Exit status names the failing step.

# fetch URLBASE OUT TAG: wait for the server, then fetch big and the small ones
fetch() {
	i=0
	while :; do
		if curl -fsS --max-time 30 -o "$2" "$1/big.bin" 2>"$3.err"; then break; fi
		# 7: could not connect (server not up yet); anything else is final
		grep -q '(7)' "$3.err" || { cat "$3.err" >&2; return 1; }
		i=$((i + 1))
		[ $i -lt 150 ] || { cat "$3.err" >&2; return 1; }
		sleep 0.1
	done
	base=$1 out=$3
	set --
	for n in $(seq 1 20); do set -- "$@" "$base/s$n.txt"; done
	curl -fsS --max-time 30 "$@" >"$out.small" || return 1
}

"$3" -m http.server --bind 127.0.0.1 --directory www "$1" >srv4.log 2>&1 &
s=$!
fetch "http://127.0.0.1:$1" got4.bin v4 || exit 10
kill $s; wait $s

"$3" -m http.server --bind ::1 --directory www "$2" >srv6.log 2>&1 &
s=$!
fetch "http://[::1]:$2" got6.bin v6 || exit 11
kill $s; wait $s
exit 0
EOF

p1=$(free_port) p2=$(free_port)
step "http.server + curl, ports $p1 (IPv4) and $p2 (IPv6)"
rrs_run 90 http -- sh "$RUN/http.sh" "$p1" "$p2" "$PY"
expect_rc 0 "rrsandbox -- sh http.sh (status = failing step, see http.sh)"

want=$(sha "$RUN/www/big.bin")
seq 1 20 | sed 's/^/small file /' >"$RUN/small.want"
for v in 4 6; do
	[ "$(sha "$RUN/got$v.bin")" = "$want" ] ||
		fail "IPv$v: fetched big.bin differs ($(stat -c %s "$RUN/got$v.bin") bytes)"
	cmp -s "$RUN/small.want" "$RUN/v$v.small" ||
		fail "IPv$v: the 20 small files came back wrong"
	grep -q '"GET /big.bin HTTP/1.1" 200' "$RUN/srv$v.log" ||
		fail "IPv$v: the server did not log the GET"
	log "ok: IPv$v, 3 MiB file byte-exact and 20 small files"
done

log "PASS"
