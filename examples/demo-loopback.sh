#!/bin/sh
# SPDX-License-Identifier: MIT
# demo-loopback.sh - two programs in one sandbox talk TCP over its loopback.
#
#   +--------------------- rrsandbox (lwIP) ----------------------+
#   |  nc -l 127.0.0.1 7777  <--- lo 127.0.0.1 --->  nc 127.0.0.1 |
#   +-------------------------------------------------------------+
#
# Every emulated socket call is logged (-v).  The host's own 127.0.0.1:7777
# is never touched: the sandbox has a loopback of its own.
set -eu
rr=${1:-build/cli/rrsandbox}
[ -x "$rr" ] || { echo "demo: $rr not built; run 'make demo'" >&2; exit 1; }
command -v nc >/dev/null || { echo "demo: nc (netcat-openbsd) is missing" >&2; exit 1; }

echo "== rrsandbox -v: a TCP server and client inside one sandbox"
"$rr" -v -n demo -- sh -c '
	nc -l 127.0.0.1 7777 > "${TMPDIR:-/tmp}/rrsandbox-demo.$$" &
	srv=$!
	sleep 0.3
	echo "hello from inside the sandbox" | nc -N 127.0.0.1 7777
	wait $srv
	printf "server received: %s\n" "$(cat "${TMPDIR:-/tmp}/rrsandbox-demo.$$")"
	rm -f "${TMPDIR:-/tmp}/rrsandbox-demo.$$"
'
echo "== the host cannot see that server: nothing listens on host 127.0.0.1:7777"
if nc -z -w 1 127.0.0.1 7777 2>/dev/null; then
	echo "(something on the host listens on 7777 itself; not the sandbox's)"
else
	echo "connection refused on the host, as expected"
fi
