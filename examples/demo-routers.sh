#!/bin/sh
# SPDX-License-Identifier: MIT
# demo-routers.sh - three sandboxes, two links, one router in the middle.
#
#        10.0.1.0/24               10.0.2.0/24
#   A  eth0 .1 ---- link ---- .2 eth0  B  eth1 .1 ---- link ---- .2 eth0  C
#   default via 10.0.1.2              (forwards)          default via 10.0.2.1
#
# Each sandbox is an ordinary rrsandbox process set up by a -c file; the
# links are AF_UNIX datagram sockets in a temporary folder.  A pings C,
# traces the route, and fetches a file from C's web server; B captures
# both its devices (--pcap) and tcpdump reads the captures back.
set -eu
rr=${1:-build/cli/rrsandbox}
rrctl=$(dirname "$rr")/rrctl
[ -x "$rr" ] || { echo "demo: $rr not built; run 'make demo'" >&2; exit 1; }
for p in ping python3 curl; do
	command -v $p >/dev/null || { echo "demo: $p is missing" >&2; exit 1; }
done
d=$(mktemp -d "${TMPDIR:-/tmp}/rrsandbox-routers.XXXXXX")
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$d"
}
trap cleanup EXIT INT TERM
# ping without its file capability: inside the sandbox it needs none.
cp "$(command -v ping)" "$d/ping"

cat >"$d/a.conf" <<EOF
link add eth0 type link local $d/a0 remote $d/b0
addr add 10.0.1.1/24 dev eth0
route add default via 10.0.1.2
EOF
cat >"$d/b.conf" <<EOF
link add eth0 type link local $d/b0 remote $d/a0
link add eth1 type link local $d/b1 remote $d/c0
addr add 10.0.1.2/24 dev eth0
addr add 10.0.2.1/24 dev eth1
EOF
cat >"$d/c.conf" <<EOF
link add eth0 type link local $d/c0 remote $d/b1
addr add 10.0.2.2/24 dev eth0
route add default via 10.0.2.1
EOF
echo "routed through B" >"$d/index.html"
mkdir "$d/pcap"

"$rr" -n demo-c -c "$d/c.conf" -- python3 -m http.server -b 10.0.2.2 -d "$d" 8080 \
	>/dev/null 2>&1 &
pids="$pids $!"
"$rr" -n demo-b --pcap "$d/pcap" -c "$d/b.conf" -- sleep 60 &
pids="$pids $!"
sleep 1

echo "== B's routing table, asked with rrctl"
"$rrctl" -n demo-b show routes
echo "== inside A: ip route, ping C, and what C's web server says"
"$rr" -n demo-a -c "$d/a.conf" -- sh -c "
	ip route
	$d/ping -c 3 -i 0.2 10.0.2.2
	curl -s --retry 5 --retry-connrefused http://10.0.2.2:8080/index.html
"
if command -v tcpdump >/dev/null; then
	echo "== B's capture of its eth1 (first lines)"
	sleep 1.2
	tcpdump -n -r "$d/pcap/eth1.pcap" 2>/dev/null | head -8
fi
