#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# ping.sh - ICMP inside one sandbox, as an unprivileged user: iputils ping
# over IPv4 and IPv6 loopback and to the sandbox's own IPv4 and IPv6
# addresses on a link device (ping sockets), ping to an unroutable address failing cleanly,
# raw ICMP sockets and ICMP errors on UDP sockets (tests/progs/icmpsock),
# and Debian's traceroute, UDP (IP_RECVERR, MSG_ERRQUEUE) and ICMP (-I).
#
#   rrsandbox -c a.conf -- sh ping.sh
#   +--------------------------------------------------+
#   | lo 127.0.0.1 ::1                                 |
#   | eth0 10.0.0.1/24 fd00:10::1/64 (link, no remote) |
#   |   ping 127.0.0.1, ::1, 10.0.0.1,                 |
#   |        fd00:10::1                 -> 0% loss     |
#   |   ping 192.0.2.1 (no route)       -> unreachable |
#   |   icmpsock --sandbox              -> TAP, all ok |
#   |   traceroute [-I] -n 127.0.0.1    -> hop 1 lo    |
#   |   ping -I eth0 10.0.0.1, fd00:10::1 -> answered, |
#   |                          through lo, not on eth0 |
#   |   tcpdump -i lo  -> fails; the supervisor says   |
#   |      once to use rrctl capture or --pcap         |
#   +--------------------------------------------------+

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need ping traceroute

[ -x "$PROGS/icmpsock" ] || fail "icmpsock not found in $PROGS (build it, or set RRS_PROGS)"

# A copy without /usr/bin/ping's file capabilities: with those, execve()
# fails (EPERM) for a process whose bounding set lacks CAP_NET_RAW, and
# the sandbox needs none.
stage_ping

cat >"$RUN/a.conf" <<EOF
link add eth0 type link local $RUN/a.link remote $RUN/b.link
addr add 10.0.0.1/24 dev eth0
addr add fd00:10::1/64 dev eth0
EOF

inner_script ping.sh <<EOF
#!/bin/sh
$PING -c 3 -i 0.2 -W 2 127.0.0.1 >ping4 2>&1 || exit 10
$PING -6 -c 3 -i 0.2 -W 2 ::1 >ping6 2>&1 || exit 11
$PING -c 2 -i 0.2 -W 2 10.0.0.1 >ping_link 2>&1 || exit 12
$PING -6 -c 2 -i 0.2 -W 2 fd00:10::1 >ping_link6 2>&1 || exit 18
$PING -c 1 -W 1 192.0.2.1 >ping_unreach 2>&1 && exit 13
$PROGS/icmpsock --sandbox >icmpsock 2>&1 || exit 14
traceroute -n -q 1 -m 3 127.0.0.1 >tr_udp 2>&1 || exit 15
traceroute -n -I -q 1 -m 3 127.0.0.1 >tr_icmp 2>&1 || exit 16
traceroute -6 -n -q 1 -m 3 ::1 >tr_udp6 2>&1 || exit 17
# bound to eth0, to eth0's own address: through lo, never onto the link,
# and answered (the reply comes in on lo, taken as eth0's, as rt_iif)
$PING -I eth0 -c 1 -W 1 10.0.0.1 >ping_bound 2>&1 || exit 19
$PING -6 -I eth0 -c 1 -W 1 fd00:10::1 >>ping_bound 2>&1 || exit 20
# live capture needs the mmap rings the sandbox has not: tcpdump -i fails,
# and the supervisor says what to use instead
if command -v tcpdump >/dev/null; then
	timeout 10 tcpdump -i lo -c 1 >tcpdump_live 2>&1 && exit 21
fi
exit 0
EOF

step "ping, raw sockets and traceroute in one sandbox"
cd "$RUN"
mkdir -p "$RUN/pcap" && chmod 777 "$RUN/pcap"
rrs_run 60 run --pcap "$RUN/pcap" -c "$RUN/a.conf" -- sh "$RUN/ping.sh"
for f in ping4 ping6 ping_link ping_link6 ping_unreach icmpsock tr_udp tr_icmp tr_udp6; do
	[ -f "$RUN/$f" ] && log "$f: $(tr '\n' ' ' <"$RUN/$f" | cut -c1-200)"
done
declare -A what=([10]=ping4 [11]=ping6 [12]=ping_link [13]=ping_unreach
		 [14]=icmpsock [15]=tr_udp [16]=tr_icmp [17]=tr_udp6
		 [18]=ping_link6 [19]=ping_bound [20]=ping_bound [21]=tcpdump_live)
if [ -n "${what[$RC]:-}" ]; then
	LAST_OUT=$RUN/${what[$RC]}
	fail "inner script: step ${what[$RC]} failed (status $RC)"
fi
expect_rc 0 "the inner script"

expect_line() { # FILE REGEX WHAT
	grep -Eq -- "$2" "$RUN/$1" || { LAST_OUT=$RUN/$1; fail "$3: no line /$2/ in $1"; }
	log "ok: $3"
}
expect_line ping4 ' 0% packet loss' "ping 127.0.0.1: no loss"
expect_line ping4 '^64 bytes from 127\.0\.0\.1: icmp_seq=3 ttl=[0-9]+' "ping 127.0.0.1: replies with a TTL"
expect_line ping6 ' 0% packet loss' "ping -6 ::1: no loss"
expect_line ping_link ' 0% packet loss' "ping 10.0.0.1 (own address on eth0): no loss"
expect_line ping_link6 '^64 bytes from fd00:10::1: ' "ping -6 fd00:10::1 (own address on eth0): answered"
expect_line ping_unreach 'Network is unreachable' "ping 192.0.2.1: Network is unreachable"
expect_line icmpsock '^# all [0-9]+ (other )?checks passed' "icmpsock: every check passed"
expect_line tr_udp '^ 1  127\.0\.0\.1 ' "traceroute (UDP): first hop 127.0.0.1"
expect_line tr_icmp '^ 1  127\.0\.0\.1 ' "traceroute -I: first hop 127.0.0.1"
expect_line tr_udp6 '^ 1  ::1 ' "traceroute -6 (UDP): first hop ::1"
grep -q '^ 2 ' "$RUN/tr_udp" && fail "traceroute (UDP) went past the destination"
if command -v tcpdump >/dev/null; then
	LAST_OUT=$RUN/ping_bound
	n=$(tcpdump -r "$RUN/pcap/eth0.pcap" -n 'icmp or icmp6 and ip6[40] = 128' 2>/dev/null | wc -l)
	[ "$n" -eq 0 ] || fail "ping -I eth0 to eth0's own addresses: $n echo requests went onto eth0"
	n=$(tcpdump -r "$RUN/pcap/eth0.pcap" -n 'arp or icmp6 and ip6[40] = 135' 2>/dev/null |
		grep -c 'who-has 10\.0\.0\.1 tell\|who has fd00:10::1' || true)
	[ "$n" -le 1 ] || fail "ping -I eth0 to eth0's own addresses: eth0 asked for them ($n ARP/NS, 1 is the gratuitous ARP)"
	log "ok: ping -I eth0 to eth0's own addresses answered, off the link"
	grep -q 'no mmap rings in the sandbox.*rrctl capture DEV | tcpdump -r -.*--pcap' "$LAST_ERR" ||
		fail "tcpdump -i lo: the supervisor did not say to capture with rrctl capture or --pcap"
	[ "$(grep -c 'no mmap rings' "$LAST_ERR")" -eq 1 ] ||
		fail "tcpdump -i lo: the supervisor's hint is not given exactly once"
	log "ok: tcpdump -i fails, the supervisor says once to use rrctl capture or --pcap"
else
	echo "SKIP-PART: ping.sh: tcpdump missing, the bound ping's capture is not checked" >&2
fi
log "PASS"
