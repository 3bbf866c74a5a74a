#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh - three sandboxed BIRDs running OSPFv2 and OSPFv3 on a triangle of
# point-to-point links, with an iBGP full mesh on top between their stub
# addresses carrying each router's customer network (cust0, 10.2.N.0/24);
# one link is removed at runtime and the routes, OSPF's and BGP's, go
# around it while the BGP sessions stay up.  No root, no namespaces: each router is an rrsandbox process.
#
#                A   stub0 10.1.1.1/24, fd01:1::1/64
#    10.0.12.0/24 \
#    fd00:12::/64 eth0    eth1   10.0.13.0/24, fd00:13::/64
#         /                    \
#        B eth1 ------------ eth0 C
#   10.1.2.1/24   10.0.23.0/24    10.1.3.1/24
#                 fd00:23::/64
#
# Files: a.net, b.net, c.net (devices and addresses, `rrsandbox -c`);
# a.bird, b.bird, c.bird (BIRD 2: OSPF type ptp with hello
# 1 s and dead 4 s, the stub0 prefix as a stub network; iBGP in AS 65000
# from stub0's address with next hop self; `protocol kernel`
# exporting into the sandbox's own routing table).  The links are AF_UNIX
# datagram sockets in a temporary folder; every sandbox's BIRD control
# socket is there too, so `birdc -s` works from outside.
#
# The reroute takes from a tenth of a second to about five: B's new
# router-LSA waits out OSPF's MinLSInterval (5 s, RFC 2328 12.4) when B
# sent one shortly before, as right after convergence.
#
# Usage: examples/ospf-triangle/run.sh [path/to/rrsandbox]
# (default build/cli/rrsandbox; needs bird and birdc from Debian's bird2)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
rr=$(cd "$(dirname "${1:-build/cli/rrsandbox}")" && pwd)/$(basename "${1:-rrsandbox}")
rrctl=$(dirname "$rr")/rrctl
[ -x "$rr" ] || { echo "ospf-triangle: $rr not built" >&2; exit 1; }
for p in bird birdc; do
	command -v $p >/dev/null || { echo "ospf-triangle: $p is missing (apt install bird2)" >&2; exit 1; }
done
d=$(mktemp -d "${TMPDIR:-/tmp}/rrsandbox-ospf.XXXXXX")
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$d"
}
trap cleanup EXIT INT TERM
cp "$here"/*.net "$here"/*.bird "$d"
cd "$d"
for r in a b c; do
	"$rr" -n "ospf-$r-$$" -c "$r.net" -- bird -f -c "$r.bird" -s "$d/$r.ctl" \
		2>"$r.log" &
	pids="$pids $!"
done

echo "== waiting for B to route C's stub over the direct link (eth1)"
i=0
until "$rrctl" -n "ospf-b-$$" show routes 2>/dev/null | grep -q '^10.1.3.0/24 via 10.0.23.3'; do
	i=$((i + 1))
	[ $i -lt 300 ] || { echo "no convergence in 30 s; see $d/*.log" >&2; exit 1; }
	sleep 0.1
done
echo "== waiting for the iBGP mesh and B's BGP route to C's customer network"
i=0
until "$rrctl" -n "ospf-b-$$" show routes 2>/dev/null | grep -q '^10.2.3.0/24 via 10.0.23.3 .*proto bird'; do
	i=$((i + 1))
	[ $i -lt 300 ] || { echo "no BGP route in 30 s; see $d/*.log" >&2; exit 1; }
	sleep 0.1
done
since=$(birdc -s "$d/b.ctl" show protocols to_c | awk '$1 == "to_c" { print $5 }')
echo "== B's protocols (birdc -s $d/b.ctl show protocols)"
birdc -s "$d/b.ctl" show protocols
echo "== B's OSPF neighbors (birdc -s $d/b.ctl show ospf neighbors)"
birdc -s "$d/b.ctl" show ospf neighbors
echo "== B's routing table (rrctl -n ospf-b-$$ show routes)"
"$rrctl" -n "ospf-b-$$" show routes

echo "== rrctl -n ospf-b-$$ link del eth1: the B-C link goes away"
"$rrctl" -n "ospf-b-$$" link del eth1
i=0
until "$rrctl" -n "ospf-b-$$" show routes | grep -q '^10.1.3.0/24 via 10.0.12.1'; do
	i=$((i + 1))
	[ $i -lt 300 ] || { echo "no reroute in 30 s" >&2; exit 1; }
	sleep 0.1
done
echo "== after $((i / 10)).$((i % 10)) s, C's stub is routed through A"
"$rrctl" -n "ospf-b-$$" show routes
"$rrctl" -n "ospf-b-$$" show routes | grep -q 'fd01:3::/64 via fe80::.* dev eth0' ||
	echo "(IPv6 still converging)"
echo "== and the BGP route to C's customer network follows it, over the same session"
i=0
until "$rrctl" -n "ospf-b-$$" show routes | grep -q '^10.2.3.0/24 via 10.0.12.1 .*proto bird'; do
	i=$((i + 1))
	[ $i -lt 300 ] || { echo "the BGP route did not follow in 30 s" >&2; exit 1; }
	sleep 0.1
done
"$rrctl" -n "ospf-b-$$" show routes | grep '^10.2.3.0/24'
now=$(birdc -s "$d/b.ctl" show protocols to_c | awk '$1 == "to_c" { print $5, $6 }')
# BIRD turns its monotonic clock into wall-clock time anew at each call,
# so one state change may read a few ms apart from one call to the next
# (seen: 1 to 4 ms on a loaded machine).  A session that dropped takes a
# new connection, after a connect delay of 1 s on either side: it reads
# at least a second later.  So half a second of slack.
same=$(echo "$since ${now% *}" | awk 'function ms(t,  a) { split(t, a, ":"); return (a[1] * 3600 + a[2] * 60 + a[3]) * 1000 }
	{ d = ms($2) - ms($1); print (d >= -500 && d <= 500) ? "yes" : "no" }')
case "$same ${now#* }" in
"yes Established") echo "== B's iBGP session to C stayed up (since $since)" ;;
*)
	echo "B's iBGP session to C dropped or restarted: $now (was up since $since)" >&2
	echo "== B's BIRD log ($d/b.log)" >&2
	cat b.log >&2
	exit 1
	;;
esac
