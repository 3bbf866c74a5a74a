#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# icmp_rate.sh - the ICMP errors a sandbox sends are rate-limited as
# Linux 6.18 limits them (a new namespace's defaults), not one per
# offending packet.  B sends UDP datagrams to port 9 of A, where nothing
# listens, and counts the port unreachables that come back.
#
#   A (rrsandbox -c a.conf)                B (rrsandbox -c b.conf)
#   eth0 10.0.9.1 fd00:9::1  ---- link ----  eth0 10.0.9.2 fd00:9::2
#   sh: waits, then its snmp              lo 10.66.0.1-60, count.py
#
# Linux 6.18 between two namespaces over a veth (measured by hand):
# 100 datagrams at once draw 6 errors (IPv4 and IPv6: a peer's bucket
# holds 6); then a peer earns one error a second (IPv4, icmp_ratelimit
# 1000 ms) or ten (IPv6, ratelimit 100 ms); errors to the host's own
# addresses by lo are never limited (100 of 100); from 200 sources at
# once, 48 errors of 200 (icmp_msgs_burst 50).  Refusals count in
# OutRateLimitHost, OutRateLimitGlobal and Icmp6OutRateLimitHost.
# The sysctls are A's own: they read a new namespace's values, and
# written they change the limits: icmp_ratelimit 0 leaves the global one
# (about 50 of 100), icmp_ratemask 0 and ratemask 128-255 none (100).

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need "$PY" sysctl

routed_pair a b
echo "route add 10.66.0.0/24 via 10.0.9.2" >>"$RUN/a.conf"
for i in $(seq 60); do
	echo "addr add 10.66.0.$i/32 dev lo"
done >>"$RUN/b.conf"

inner_script count.py <<'EOF'
#!/usr/bin/python3
# count.py: one line per case, "CASE errors-received of datagrams-sent"
import os, select, socket, sys, time

def collect(raw, fam, wait):
    n = 0
    end = time.monotonic() + wait
    while True:
        left = end - time.monotonic()
        if left <= 0 or not select.select([raw], [], [], left)[0]:
            return n
        d = raw.recv(2000)
        typ = d[(d[0] & 15) * 4] if fam == socket.AF_INET else d[0]
        n += typ == (3 if fam == socket.AF_INET else 1)

def run(case, fam, dests, count, gap, srcs=("",)):
    raw = socket.socket(fam, socket.SOCK_RAW,
                        socket.IPPROTO_ICMP if fam == socket.AF_INET
                        else socket.IPPROTO_ICMPV6)
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    socks = []
    for src in srcs:
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.bind((src, 0))
        socks.append(s)
    sent = 0
    for _ in range(count):
        for s in socks:
            s.sendto(b"x", (dests, 9))
            sent += 1
        if gap:
            time.sleep(gap)
    print(case, collect(raw, fam, 1.0), "of", sent, flush=True)
    raw.close()
    for s in socks:
        s.close()

V4, V6 = socket.AF_INET, socket.AF_INET6
run("v4 burst", V4, "10.0.9.1", 100, 0)
run("v6 burst", V6, "fd00:9::1", 100, 0)
run("v6 steady", V6, "fd00:9::1", 30, 0.05)
run("v4 steady", V4, "10.0.9.1", 40, 0.05)
run("v4 lo", V4, "127.0.0.1", 100, 0)
run("v6 lo", V6, "::1", 100, 0)
time.sleep(0.1)
run("v4 global", V4, "10.0.9.1", 2, 0,
    ["10.66.0.%d" % i for i in range(1, 61)])

def phase(name):
    open(sys.argv[1] + "/" + name, "w").close()
    for _ in range(100):
        if os.path.exists(sys.argv[1] + "/" + name + ".ok"):
            return
        time.sleep(0.1)
    raise SystemExit("A did not take " + name)

time.sleep(1.1)	# the global credit back
phase("ratelimit0")
run("v4 ratelimit0", V4, "10.0.9.1", 100, 0)
phase("ratemask0")
run("v4 ratemask0", V4, "10.0.9.1", 100, 0)
run("v6 ratemask0", V6, "fd00:9::1", 100, 0)
EOF

inner_script a.sh <<'EOF'
#!/bin/sh
# a.sh DIR: the sysctls as they are, then written when B asks, then the
# counters when B is done
waitfor() { while [ ! -e "$1/$2" ]; do sleep 0.1; done; }
for k in icmp_ratelimit icmp_ratemask icmp_msgs_per_sec icmp_msgs_burst; do
	echo "$k $(cat /proc/sys/net/ipv4/$k)"
done >"$1/a.sysctl"
for k in ratelimit ratemask; do
	echo "icmp6_$k $(cat /proc/sys/net/ipv6/icmp/$k)"
done >>"$1/a.sysctl"
echo up
waitfor "$1" ratelimit0
sysctl -qw net.ipv4.icmp_ratelimit=0 && touch "$1/ratelimit0.ok"
waitfor "$1" ratemask0
sysctl -qw net.ipv4.icmp_ratemask=0 net.ipv6.icmp.ratemask=128-255 &&
	touch "$1/ratemask0.ok"
sysctl net.ipv4.icmp_ratemask net.ipv6.icmp.ratemask >>"$1/a.sysctl"
waitfor "$1" done
cat /proc/net/snmp /proc/net/snmp6
EOF

step "A (nothing on port 9) waits; B sends it datagrams and counts the errors"
bg unpriv "$RRS" ${RRS_OPTS:-} --no-control -c "$RUN/a.conf" -- sh "$RUN/a.sh" "$RUN" \
	>"$RUN/a.out" 2>"$RUN/a.err" </dev/null
A=$BG_PID
wait_file 10 "$RUN/a.out" || { LAST_OUT=$RUN/a.out LAST_ERR=$RUN/a.err; fail "A did not start"; }
rrs_run 120 b --no-control -c "$RUN/b.conf" -- "$PY" "$RUN/count.py" "$RUN"
touch "$RUN/done"
expect_rc 0 "B's count.py"
wait_pid 10 "$A" || { LAST_OUT=$RUN/a.out LAST_ERR=$RUN/a.err; fail "A's snmp"; }
sed 's/^/    /' "$RUN/b.out" >&2

# got CASE: the errors B received in CASE
got() {
	local n
	n=$(sed -n "s/^$1 \([0-9]*\) of [0-9]*\$/\1/p" "$RUN/b.out")
	[ -n "$n" ] || fail "no line for '$1'"
	echo "$n"
}
# within CASE LOW HIGH WHAT
within() {
	local n
	n=$(got "$1")
	[ "$n" -ge "$2" ] && [ "$n" -le "$3" ] ||
		fail "$1: $n errors, expected $2 to $3 ($4)"
}
within "v4 burst" 6 6 "a peer's bucket holds 6"
within "v6 burst" 6 6 "a peer's bucket holds 6"
# a full bucket again (1 s of collecting refills 10), then ~15 in 1.5 s
within "v6 steady" 14 26 "6, then one per 100 ms"
# 3-4 s after the v4 burst: that many earned, then 2 in 2 s
within "v4 steady" 3 8 "one per second"
within "v4 lo" 100 100 "errors by lo are not limited"
within "v6 lo" 100 100 "errors by lo are not limited"
within "v4 global" 40 90 "icmp_msgs_burst 50 for all peers"
within "v4 ratelimit0" 40 90 "icmp_ratelimit 0: no peer limit, the global one"
within "v4 ratemask0" 100 100 "icmp_ratemask 0: no limit"
within "v6 ratemask0" 100 100 "ratemask 128-255: no limit on errors"
sed 's/^/    A: /' "$RUN/a.sysctl" >&2
for want in "icmp_ratelimit 1000" "icmp_ratemask 6168" "icmp_msgs_per_sec 1000" \
	"icmp_msgs_burst 50" "icmp6_ratelimit 100" "icmp6_ratemask 0-1,3-127" \
	"net.ipv4.icmp_ratemask = 0" "net.ipv6.icmp.ratemask = 128-255"; do
	grep -qxF "$want" "$RUN/a.sysctl" || fail "A's sysctls: no line '$want'"
done

# A's counters: what it sent, what the limits kept back
snmp() { # GROUP FIELD
	awk -v g="$1:" -v f="$2" '$1 == g { if (!h) { for (i = 2; i <= NF; i++) c[$i] = i; h = 1 }
		else { print $c[f]; exit } }' "$RUN/a.out"
}
snmp6() { # FIELD
	awk -v f="$1" '$1 == f { print $2 }' "$RUN/a.out"
}
sent4=$(($(got "v4 burst") + $(got "v4 steady") + $(got "v4 global") +
	$(got "v4 ratelimit0") + $(got "v4 ratemask0")))
[ "$(snmp Icmp OutDestUnreachs)" = "$sent4" ] ||
	fail "A's OutDestUnreachs $(snmp Icmp OutDestUnreachs), B received $sent4"
[ "$(snmp Icmp OutRateLimitHost)" -gt 0 ] || fail "OutRateLimitHost did not count"
[ "$(snmp Icmp OutRateLimitGlobal)" -gt 0 ] || fail "OutRateLimitGlobal did not count"
[ "$(snmp6 Icmp6OutRateLimitHost)" -gt 0 ] || fail "Icmp6OutRateLimitHost did not count"
log "A: OutDestUnreachs $sent4, OutRateLimitHost $(snmp Icmp OutRateLimitHost)," \
	"OutRateLimitGlobal $(snmp Icmp OutRateLimitGlobal)," \
	"Icmp6OutRateLimitHost $(snmp6 Icmp6OutRateLimitHost)"
log "PASS"
