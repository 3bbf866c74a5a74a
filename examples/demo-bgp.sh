#!/bin/sh
# SPDX-License-Identifier: MIT
# demo-bgp.sh - two unmodified BIRDs in eBGP, each in its own sandbox,
# unprivileged, over a virtual Ethernet link (examples/bgp-two-routers).
#
#   +-- rrsandbox bgp-a --------+   link    +-- rrsandbox bgp-b --------+
#   | bird (AS 65101)           | a.link <-> | bird (AS 65102)           |
#   | eth0 10.0.12.1 fd00:12::1 |  b.link   | eth0 10.0.12.2 fd00:12::2 |
#   | stub0 192.168.101.1/24    |           | stub0 192.168.102.1/24    |
#   +---------------------------+           +---------------------------+
#
# Each router waits for Established on IPv4 and IPv6, prints `birdc show
# protocols` and `ip route` as seen inside its sandbox, and pings the
# other's stub network along the routes BIRD installed.  Then, from
# outside, `rrctl exec` pings from a while `rrctl capture` shows a's eth0
# (with tcpdump, when installed).  Then both are stopped with SIGTERM and
# must exit 0.
set -eu
rr=${1:-build/cli/rrsandbox}
case $rr in /*) ;; *) rr=$(pwd)/$rr ;; esac
[ -x "$rr" ] || { echo "demo: $rr not built; run 'make demo'" >&2; exit 1; }
for p in bird birdc ping ip; do
	command -v $p >/dev/null || { echo "demo: $p is missing (apt-get install bird2 iputils-ping iproute2)" >&2; exit 1; }
done
src=$(cd "$(dirname "$0")/bgp-two-routers" && pwd)
d=$(mktemp -d "${TMPDIR:-/tmp}/rrsandbox-bgp.XXXXXX")
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$d"
}
trap cleanup EXIT INT TERM
cp "$src"/* "$d/"
cp "$(command -v ping)" "$d/ping"
cd "$d"

echo "== starting two sandboxed BIRDs (AS 65101 and AS 65102)"
PING=$d/ping "$rr" -n "demo-bgp-a-$$" -c a.net -- sh show.sh a 192.168.102.1 fd00:102::1 &
a=$!
PING=$d/ping "$rr" -n "demo-bgp-b-$$" -c b.net -- sh show.sh b 192.168.101.1 fd00:101::1 &
b=$!
pids="$a $b"
i=0
until [ -e a.done ] && [ -e b.done ]; do
	i=$((i + 1))
	[ $i -le 450 ] || { echo "demo: the routers did not finish in 45 s" >&2; exit 1; }
	kill -0 $a 2>/dev/null && kill -0 $b 2>/dev/null ||
		{ echo "demo: a router exited early" >&2; exit 1; }
	sleep 0.1
done
cat a.show b.show
grep -q Established a.show && grep -q Established b.show || exit 1
# From outside, as `ip netns exec` and `tcpdump -i` would: rrctl runs a
# ping inside router a and watches a's eth0 meanwhile.
ctl=$(dirname "$rr")/rrctl
if [ -x "$ctl" ] && command -v tcpdump >/dev/null && command -v timeout >/dev/null; then
	echo "== router a, from outside: rrctl exec ping, and rrctl capture eth0 icmp | tcpdump"
	"$ctl" -n "demo-bgp-a-$$" capture eth0 icmp 2>/dev/null |
		timeout 10 tcpdump -n -l -c 4 -r - 2>/dev/null &
	cap=$!
	sleep 0.5
	"$ctl" -n "demo-bgp-a-$$" exec "$d/ping" -c 2 -i 0.2 192.168.102.1 >ping.out
	wait $cap || { echo "demo: the capture did not show the pings" >&2; exit 1; }
	tail -n 2 ping.out
fi
echo "== stopping both routers (SIGTERM)"
kill -TERM $a $b
rc=0
wait $a || rc=$?
wait $b || rc=$?
pids=
[ $rc -eq 0 ] || { echo "demo: a router exited with status $rc" >&2; exit 1; }
echo "== both routers stopped cleanly"
