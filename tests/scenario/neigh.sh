#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# neigh.sh - the neighbour tables hold a segment's worth of neighbours, and
# `ip neigh` lists them.  Sandbox A shares one link (a segment of three)
# with B, which has 40 IPv4 and 10 IPv6 addresses on eth0, and C, which
# has 10 more IPv6 ones.  A pings each address once, twice over.  After
# the first round A's `ip neigh` must list all 40 IPv4 and 20 IPv6
# neighbours, resolved, with B's or C's MAC; `ip neigh show dev eth0`,
# `ip -6 neigh` and `ip neigh get` must agree, and getting an address
# never resolved must fail as on Linux ("Neighbour entry not found"); one
# A asks for and no one answers reads INCOMPLETE meanwhile.  A's capture of the second round
# must hold no ARP request and no neighbour solicitation: nothing was
# forgotten (lwIP's 10-entry tables evicted and asked again).  Then A
# adds permanent entries (`ip neigh add ... nud permanent`) for C's
# 10.0.0.2 and fd00:20::2, never resolved, and pings them: the third
# capture must hold the echo requests to C's MAC and no ARP request or
# neighbour solicitation for them, and the entries must read PERMANENT
# after it (used, not aged, not replaced by what C's answers taught).
#
#   A 10.0.0.1, fd00:20::1 --+-- B 10.0.0.100-139, fd00:20::100-109
#          (eth0, pcap)      +-- C 10.0.0.2, fd00:20::2, fd00:20::200-209
#                                  (MAC 02:00:00:00:0c:02)

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need ip ping tcpdump

stage_ping
stage_rrctl

cat >"$RUN/a.conf" <<EOF
link add eth0 type link local $RUN/a.link remote $RUN/b.link remote $RUN/c.link
addr add 10.0.0.1/24 dev eth0
addr add fd00:20::1/64 dev eth0
EOF
{
	echo "link add eth0 type link local $RUN/b.link remote $RUN/a.link remote $RUN/c.link"
	for i in $(seq 100 139); do echo "addr add 10.0.0.$i/24 dev eth0"; done
	for i in $(seq 100 109); do echo "addr add fd00:20::$i/64 dev eth0"; done
} >"$RUN/b.conf"
{
	echo "link add eth0 type link local $RUN/c.link remote $RUN/a.link remote $RUN/b.link address 02:00:00:00:0c:02"
	echo "addr add 10.0.0.2/24 dev eth0"
	echo "addr add fd00:20::2/64 dev eth0"
	for i in $(seq 200 209); do echo "addr add fd00:20::$i/64 dev eth0"; done
} >"$RUN/c.conf"

# a.sh PING RRCTL ASOCK PCAP PCAP3: two rounds of pings, the second
# captured; then pings through static entries, captured in PCAP3
inner_script a.sh <<'EOF'
PING=$1 RRCTL=$2 ASOCK=$3 PCAP=$4 PCAP3=$5
round() {
	for i in $(seq 100 139); do
		$PING -c 1 -W 2 10.0.0.$i >/dev/null 2>&1 || echo "no reply from 10.0.0.$i"
	done
	for i in $(seq 100 109) $(seq 200 209); do
		$PING -6 -c 1 -W 2 fd00:20::$i >/dev/null 2>&1 || echo "no reply from fd00:20::$i"
	done
}
round >lost1
ip neigh show >neigh_all 2>&1 || exit 10
ip -4 neigh show >neigh4 2>&1 || exit 11
ip -6 neigh show >neigh6 2>&1 || exit 12
ip neigh show dev eth0 >neigh_dev 2>&1 || exit 13
ip neigh get 10.0.0.120 dev eth0 >get4 2>&1 || exit 14
ip neigh get fd00:20::205 dev eth0 >get6 2>&1 || exit 15
ip neigh get 10.0.0.250 dev eth0 >get_none 2>&1 && exit 16
ip -o link show eth0 >link_a 2>&1 || exit 17
$RRCTL -s "$ASOCK" pcap start eth0 "$PCAP" || exit 18
round >lost2
$RRCTL -s "$ASOCK" pcap stop eth0 || exit 19
# an address no one answers for, while A asks: INCOMPLETE
$PING -c 1 -W 2 10.0.0.251 >/dev/null 2>&1 &
p=$!
sleep 0.5
ip neigh show 10.0.0.251 >pending 2>&1 || exit 20
wait $p
# static entries for C's addresses A never resolved, used by the pings
ip neigh add 10.0.0.2 lladdr 02:00:00:00:0c:02 dev eth0 nud permanent >static_add 2>&1 || exit 21
ip -6 neigh add fd00:20::2 lladdr 02:00:00:00:0c:02 dev eth0 nud permanent >>static_add 2>&1 || exit 21
$RRCTL -s "$ASOCK" pcap start eth0 "$PCAP3" || exit 22
: >lost3
$PING -c 2 -W 2 10.0.0.2 >/dev/null 2>&1 || echo "no reply from 10.0.0.2" >>lost3
$PING -6 -c 2 -W 2 fd00:20::2 >/dev/null 2>&1 || echo "no reply from fd00:20::2" >>lost3
$RRCTL -s "$ASOCK" pcap stop eth0 || exit 23
{ ip neigh show 10.0.0.2; ip -6 neigh show fd00:20::2; } >static_show 2>&1 || exit 24
exit 0
EOF

step "B and C up; A pings 40 + 20 neighbours twice"
cd "$RUN"
bg unpriv "$RRS" --no-control -c "$RUN/b.conf" -- sleep 110 >"$RUN/b.out" 2>"$RUN/b.err"
bg unpriv "$RRS" --no-control -c "$RUN/c.conf" -- sleep 110 >"$RUN/c.out" 2>"$RUN/c.err"
rrs_run 100 a -s "$RUN/a.sock" -c "$RUN/a.conf" -- \
	sh "$RUN/a.sh" "$PING" "$RRCTL" "$RUN/a.sock" "$RUN/round2.pcap" \
	"$RUN/static.pcap"
declare -A what=([10]=neigh_all [11]=neigh4 [12]=neigh6 [13]=neigh_dev
		 [14]=get4 [15]=get6 [16]=get_none [17]=link_a [20]=pending
		 [21]=static_add [24]=static_show)
if [ -n "${what[$RC]:-}" ]; then
	LAST_OUT=$RUN/${what[$RC]}
	fail "inner script: step ${what[$RC]} failed (status $RC)"
fi
expect_rc 0 "the inner script (pcap start/stop at 18/19, 22/23)"
for f in lost1 lost2 lost3; do
	[ -s "$RUN/$f" ] && { LAST_OUT=$RUN/$f; fail "$f: pings went unanswered"; }
done
log "ok: every ping answered, both rounds"

step "ip neigh lists every neighbour, resolved"
mac_a=$(grep -o 'link/ether [0-9a-f:]*' "$RUN/link_a" | cut -d' ' -f2)
[ -n "$mac_a" ] || { LAST_OUT=$RUN/link_a; fail "no MAC in ip link show eth0"; }
# "10.0.0.100 dev eth0 lladdr 02:.. REACHABLE " (a space after the
# state, as iproute2 prints it on Linux)
count() { # FILE REGEX
	grep -Ec -- "$2" "$RUN/$1" || true
}
n4=$(count neigh4 '^10\.0\.0\.1[0-3][0-9] dev eth0 lladdr ([0-9a-f]{2}:){5}[0-9a-f]{2} REACHABLE ?$')
n6=$(count neigh6 '^fd00:20::2?[01][0-9] dev eth0 lladdr ([0-9a-f]{2}:){5}[0-9a-f]{2} (router )?(REACHABLE|STALE|DELAY|PROBE) ?$')
n6=$((n6 + $(count neigh6 '^fd00:20::10[0-9] dev eth0 lladdr ([0-9a-f]{2}:){5}[0-9a-f]{2} (router )?(REACHABLE|STALE|DELAY|PROBE) ?$')))
log "ip -4 neigh: $n4 of 40 B addresses; ip -6 neigh: $n6 of 20 B and C addresses"
[ "$n4" -eq 40 ] || { LAST_OUT=$RUN/neigh4; fail "ip -4 neigh lists $n4 of B's 40 addresses"; }
[ "$n6" -eq 20 ] || { LAST_OUT=$RUN/neigh6; fail "ip -6 neigh lists $n6 of the 20 IPv6 addresses"; }
macs=$(grep -Eo 'lladdr [0-9a-f:]+' "$RUN/neigh_all" | sort -u | wc -l)
[ "$macs" -eq 2 ] || { LAST_OUT=$RUN/neigh_all; fail "$macs link-layer addresses in ip neigh, want B's and C's"; }
grep -q "lladdr $mac_a" "$RUN/neigh_all" && { LAST_OUT=$RUN/neigh_all; fail "A's own MAC $mac_a listed as a neighbour"; }
cmp -s <(sort "$RUN/neigh_all") <(sort "$RUN/neigh4" "$RUN/neigh6") ||
	{ LAST_OUT=$RUN/neigh_all; fail "ip neigh is not ip -4 neigh plus ip -6 neigh"; }
cmp -s <(sort "$RUN/neigh_dev") <(sed 's/ dev eth0//' "$RUN/neigh_all" | sort) ||
	{ LAST_OUT=$RUN/neigh_dev; fail "ip neigh show dev eth0 differs from ip neigh"; }
log "ok: 40 + 20 entries, two MACs (B's, C's), none A's; show dev eth0 agrees"

step "ip neigh get: one entry; an address never resolved is ENOENT"
grep -Eq '^10\.0\.0\.120 dev eth0 lladdr [0-9a-f:]+ REACHABLE ?$' "$RUN/get4" ||
	{ LAST_OUT=$RUN/get4; fail "ip neigh get 10.0.0.120: no entry line"; }
grep -Eq '^fd00:20::205 dev eth0 lladdr [0-9a-f:]+ ' "$RUN/get6" ||
	{ LAST_OUT=$RUN/get6; fail "ip neigh get fd00:20::205: no entry line"; }
[ "$(grep -o 'lladdr [0-9a-f:]*' "$RUN/get4")" = "$(grep '^10\.0\.0\.120 ' "$RUN/neigh4" | grep -o 'lladdr [0-9a-f:]*')" ] ||
	{ LAST_OUT=$RUN/get4; fail "ip neigh get 10.0.0.120 and ip neigh disagree on its MAC"; }
# Linux's words (ENOENT with its extended ack): "Error: Neighbour entry
# not found."
grep -q 'Neighbour entry not found' "$RUN/get_none" ||
	{ LAST_OUT=$RUN/get_none; fail "ip neigh get 10.0.0.250: want Linux's ENOENT, 'Neighbour entry not found'"; }
log "ok: get answers from the same table; unknown: $(head -n 1 "$RUN/get_none")"
# as Linux prints an address being resolved: "10.0.0.251 dev eth0 INCOMPLETE "
grep -Eq '^10\.0\.0\.251 dev eth0 INCOMPLETE ?$' "$RUN/pending" ||
	{ LAST_OUT=$RUN/pending; fail "ip neigh show 10.0.0.251 while A resolves it: want INCOMPLETE"; }
log "ok: an address being resolved reads INCOMPLETE"

step "the second round asks nothing again"
[ -s "$RUN/round2.pcap" ] || fail "no capture of the second round"
req=$(tcpdump -nr "$RUN/round2.pcap" "ether src $mac_a and arp[6:2] == 1" 2>/dev/null | wc -l)
ns=$(tcpdump -nr "$RUN/round2.pcap" "ether src $mac_a and icmp6 and ip6[40] == 135" 2>/dev/null | wc -l)
echo6=$(tcpdump -nr "$RUN/round2.pcap" "ether src $mac_a and icmp6 and ip6[40] == 128" 2>/dev/null | wc -l)
echo4=$(tcpdump -nr "$RUN/round2.pcap" "ether src $mac_a and icmp[0] == 8" 2>/dev/null | wc -l)
log "round 2 from A: $echo4 echo requests, $echo6 IPv6 echo requests, $req ARP requests, $ns neighbour solicitations"
if [ "$echo4" -ne 40 ] || [ "$echo6" -ne 20 ]; then
	fail "round 2 capture: $echo4 + $echo6 echo requests, want 40 + 20"
fi
[ "$req" -eq 0 ] || fail "round 2: A sent $req ARP requests: resolved neighbours were forgotten"
[ "$ns" -eq 0 ] || fail "round 2: A sent $ns neighbour solicitations: resolved neighbours were forgotten"
log "ok: no ARP request, no solicitation in the second round"

step "permanent entries are used: no ARP request, no solicitation for them"
[ -s "$RUN/static.pcap" ] || fail "no capture of the pings through static entries"
mac_c=02:00:00:00:0c:02
echo4=$(tcpdump -nr "$RUN/static.pcap" "ether src $mac_a and ether dst $mac_c and icmp[0] == 8" 2>/dev/null | wc -l)
echo6=$(tcpdump -nr "$RUN/static.pcap" "ether src $mac_a and ether dst $mac_c and icmp6 and ip6[40] == 128" 2>/dev/null | wc -l)
# ARP requests for 10.0.0.2 (target protocol address); solicitations
# for fd00:20::2 (the target after the ICMPv6 header)
req=$(tcpdump -nr "$RUN/static.pcap" "ether src $mac_a and arp[6:2] == 1 and arp[24:4] == 0x0a000002" 2>/dev/null | wc -l)
ns=$(tcpdump -nr "$RUN/static.pcap" "ether src $mac_a and icmp6 and ip6[40] == 135 and ip6[48:4] == 0xfd000020 and ip6[60:4] == 2" 2>/dev/null | wc -l)
log "through static entries: $echo4 + $echo6 echo requests to C's MAC, $req ARP requests, $ns solicitations for them"
[ "$echo4" -eq 2 ] && [ "$echo6" -eq 2 ] ||
	fail "want 2 + 2 echo requests sent to C's MAC, got $echo4 + $echo6"
[ "$req" -eq 0 ] || fail "A asked ARP for 10.0.0.2 $req times despite its permanent entry"
[ "$ns" -eq 0 ] || fail "A solicited fd00:20::2 $ns times despite its permanent entry"
LAST_OUT=$RUN/static_show
[ "$(grep -c "lladdr $mac_c PERMANENT" "$RUN/static_show")" -eq 2 ] ||
	fail "the static entries do not read PERMANENT with C's MAC after use"
log "ok: the entries were used as they are and stay PERMANENT"
log "PASS"
