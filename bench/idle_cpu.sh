#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# idle_cpu.sh - what an idle router costs: two sandboxed BIRDs on a link
# with established eBGP sessions (IPv4 and IPv6) and default timers (hold
# 240 s, keepalive 80 s, kernel scan 60 s), left alone for
# BENCH_IDLE_SECS (default 60) after a 5 s settle.  Reported: the CPU
# time of each supervisor (all its threads, /proc/PID/task/*/schedstat)
# as a share of one core, and its wake-ups per second (context switches).
# Baseline, in the same run: the BIRDs' own CPU in the sandboxes, and
# the same two BIRDs in network namespaces on the host kernel (root only).
#
# Goal: each supervisor under 0.1 % of one core.

set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
need bird birdc ip awk

SECS=${BENCH_IDLE_SECS:-60}
chmod 755 "$WORK"

for n in A B; do
	if [ $n = A ]; then me=1 peer=2 as=65001 pas=65002 l=a r=b
	else me=2 peer=1 as=65002 pas=65001 l=b r=a; fi
	cat >"$WORK/$n.net" <<EOF
link add eth0 type link local $WORK/$l.link remote $WORK/$r.link
addr add 10.0.1.$me/24 dev eth0
addr add fd00:1::$me/64 dev eth0
EOF
	cat >"$WORK/$n.bird" <<EOF
router id 10.0.1.$me;
protocol device { }
protocol direct { ipv4; ipv6; }
protocol kernel { ipv4 { export all; }; }
protocol kernel { ipv6 { export all; }; }
protocol static { ipv4; route 192.168.$me.0/24 blackhole; }
protocol bgp p4 { local 10.0.1.$me as $as; neighbor 10.0.1.$peer as $pas; connect delay time 1; ipv4 { import all; export all; }; }
protocol bgp p6 { local fd00:1::$me as $as; neighbor fd00:1::$peer as $pas; connect delay time 1; ipv6 { import all; export all; }; }
EOF
done
chmod 644 "$WORK"/*.net "$WORK"/*.bird

# cpu_ns PID: CPU time of all threads of PID, in ns
cpu_ns() {
	cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'
}
# switches PID: context switches of all threads of PID
switches() {
	cat /proc/"$1"/task/*/status 2>/dev/null |
		awk '/ctxt_switches/ { s += $2 } END { print s + 0 }'
}
established() {
	[ "$(birdc -s "$WORK/$1.ctl" show protocols 2>/dev/null |
		awk '$1 ~ /^p[46]$/ && $6 == "Established"' | wc -l)" -eq 2 ]
}
wait_established() {
	local i
	for ((i = 0; i < 300; i++)); do
		established A && established B && return 0
		sleep 0.1
	done
	broken "$1: sessions not Established in 30 s"
}
# bird_pid SUPERVISOR: BIRD's pid, the supervisor's child
bird_pid() {
	pgrep -P "$1" -x bird | head -n 1
}
pct() {
	calc %.3f "100 * ($1) / ($SECS * 1e9)"
}

# (a) the sandboxes
for n in B A; do
	spawn "$RRS" --no-control -c "$WORK/$n.net" -- bird -f -c "$WORK/$n.bird" -s "$WORK/$n.ctl" 2>"$WORK/$n.err"
	eval "S$n=\$BG_PID"
done
wait_established sandbox
sleep 5
BA=$(bird_pid "$SA") BB=$(bird_pid "$SB")
if [ -z "$BA" ] || [ -z "$BB" ]; then
	broken "cannot find the BIRD processes"
fi
a0=$(cpu_ns "$SA") b0=$(cpu_ns "$SB") w0=$(switches "$SA") x0=$(switches "$SB")
ba0=$(cpu_ns "$BA") bb0=$(cpu_ns "$BB")
log "idle for $SECS s (supervisors $SA, $SB; BIRDs $BA, $BB)"
sleep "$SECS"
if ! established A || ! established B; then
	broken "a session dropped while idle"
fi
a1=$(cpu_ns "$SA") b1=$(cpu_ns "$SB") w1=$(switches "$SA") x1=$(switches "$SB")
ba1=$(cpu_ns "$BA") bb1=$(cpu_ns "$BB")
stop_pid "$SA"
stop_pid "$SB"
pa=$(pct "$a1 - $a0") pb=$(pct "$b1 - $b0")
wa=$(calc %.1f "($w1 - $w0) / $SECS") wb=$(calc %.1f "($x1 - $x0) / $SECS")
bird_sb=$(pct "($ba1 - $ba0 + $bb1 - $bb0) / 2")
log "supervisors: A $pa %, B $pb %; wake-ups/s A $wa, B $wb; BIRD $bird_sb % each"

# (b) the kernel, in network namespaces
base="BIRD itself $bird_sb % in the sandbox; kernel namespaces: n/a (needs root)"
if netns_pair idle; then
	spawn ip netns exec "$NSB" bird -f -c "$WORK/B.bird" -s "$WORK/B.ctl" 2>"$WORK/nsB.err"
	NB=$BG_PID
	spawn ip netns exec "$NSA" bird -f -c "$WORK/A.bird" -s "$WORK/A.ctl" 2>"$WORK/nsA.err"
	NA=$BG_PID
	wait_established kernel
	sleep 5
	k0=$(($(cpu_ns "$NA") + $(cpu_ns "$NB")))
	sleep "$SECS"
	k1=$(($(cpu_ns "$NA") + $(cpu_ns "$NB")))
	stop_pid "$NA"
	stop_pid "$NB"
	netns_del
	bird_ns=$(pct "($k1 - $k0) / 2")
	base="BIRD itself $bird_sb % in the sandbox, $bird_ns % in a kernel namespace"
fi

verdict=met
awk "BEGIN { exit !($pa < 0.1 && $pb < 0.1) }" || verdict=missed
result "supervisor A $pa %, B $pb % of one core over $SECS s idle with established BGP; $wa, $wb wake-ups/s (baseline: $base) [goal: < 0.1 %: $verdict]"
