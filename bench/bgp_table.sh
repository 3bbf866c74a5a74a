#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# bgp_table.sh - a full table through BGP into the kernel protocol: BIRD A
# announces every prefix of /work/shared/data/prefixes-v4.txt and
# prefixes-v6.txt (BENCH_V4, BENCH_V6; static blackholes) over eBGP to
# BIRD B, whose `protocol kernel` installs them all
#
#   (a) two sandboxes on a link          (b) two network namespaces on a
#       A 10.0.1.1 fd00:1::1                 veth pair (root only), the
#       B 10.0.1.2 fd00:1::2                 same addresses and configs
#
# in one run.  Time to converge: from B's sessions reaching Established
# until B's kernel protocols have exported every route (BIRD waits for
# the ack of each, so "exported" counts installed routes); B's supervisor
# CPU time from A's start is given too, steadier on a busy box, and its
# trapped calls and reads of BIRD's memory a route (counts: the same on
# any box).  Memory: B's supervisor VmRSS grown over the routes, against
# the machine's Slab growth for the namespaces (machine-wide: approximate
# on a busy box).
#
# Goal: no slower than the kernel (ratio of times <= 1), memory per route
# reported.  Not root: "baseline: n/a (needs root for network namespaces)".

set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
need bird birdc ip awk

V4=${BENCH_V4:-/work/shared/data/prefixes-v4.txt}
V6=${BENCH_V6:-/work/shared/data/prefixes-v6.txt}
[ -r "$V4" ] || broken "no IPv4 prefix file $V4 (set BENCH_V4)"
[ -r "$V6" ] || broken "no IPv6 prefix file $V6 (set BENCH_V6)"
N4=$(grep -c . "$V4")
N6=$(grep -c . "$V6")
N=$((N4 + N6))
chmod 755 "$WORK"

# conf NAME ME PEER AS PEERAS: BIRD's config for one side
conf() {
	cat <<EOF
router id 10.0.1.$2;
protocol device { }
protocol bgp p4 {
	local 10.0.1.$2 as $4; neighbor 10.0.1.$3 as $5;
	connect delay time 1; connect retry time 1;
	ipv4 { import all; export all; };
}
protocol bgp p6 {
	local fd00:1::$2 as $4; neighbor fd00:1::$3 as $5;
	connect delay time 1; connect retry time 1;
	ipv6 { import all; export all; };
}
EOF
	if [ "$1" = A ]; then
		echo "protocol static s4 { ipv4;"
		awk 'NF { print "\troute " $1 " blackhole;" }' "$V4"
		echo "}"
		echo "protocol static s6 { ipv6;"
		awk 'NF { print "\troute " $1 " blackhole;" }' "$V6"
		echo "}"
	else
		echo 'protocol kernel k4 { ipv4 { import none; export where source = RTS_BGP; }; }'
		echo 'protocol kernel k6 { ipv6 { import none; export where source = RTS_BGP; }; }'
	fi
}
conf A 1 2 65001 65002 >"$WORK/A.bird"
conf B 2 1 65002 65001 >"$WORK/B.bird"
chmod 644 "$WORK"/*.bird
log "$N4 IPv4 + $N6 IPv6 prefixes, load $(cut -d' ' -f1-3 /proc/loadavg)"

# exported NAME PROTO: routes B's kernel protocol PROTO has exported
exported() {
	birdc -s "$WORK/$1.ctl" show protocols all "$2" 2>/dev/null |
		awk '/Routes:/ { for (i = 1; i < NF; i++) if ($(i + 1) ~ /^exported/) print $i }'
}
established() {
	[ "$(birdc -s "$WORK/$1.ctl" show protocols 2>/dev/null |
		awk '$1 ~ /^p[46]$/ && $6 == "Established"' | wc -l)" -eq 2 ]
}

# measure TAG [PID ERR]: wait for B's Established, then for every route
# exported; sets M_SECS M_SLAB (KiB grown), and for B's supervisor PID
# (stderr in ERR) M_CPU (seconds of its CPU from A's start, steadier than
# the time on a busy machine) and M_K0 M_K1 (its sup_counts() then and at
# the end)
measure() {
	local tag=$1 pid=${2:-} err=${3:-} i t0 t1 s0 e4 e6 c0=0
	# counted from A's start: routes may go in before Established is seen
	M_K0='' M_K1=''
	[ -z "$pid" ] || c0=$(cpu_ticks "$pid")
	[ -z "$pid" ] || M_K0=$(sup_counts "$pid" "$err") || true
	for ((i = 0; i < 1200; i++)); do
		established B && break
		sleep 0.1
	done
	established B || broken "$tag: B's sessions not Established in 120 s"
	t0=$(date +%s%N)
	s0=$(slab_kib)
	for ((i = 0; i < 6000; i++)); do
		e4=$(exported B k4) e6=$(exported B k6)
		[ "${e4:-0}" -ge "$N4" ] && [ "${e6:-0}" -ge "$N6" ] && break
		sleep 0.1
	done
	t1=$(date +%s%N)
	if [ "${e4:-0}" -lt "$N4" ] || [ "${e6:-0}" -lt "$N6" ]; then
		broken "$tag: B exported only ${e4:-0}/$N4 IPv4 and ${e6:-0}/$N6 IPv6 routes in 600 s"
	fi
	M_SECS=$(calc %.2f "($t1 - $t0) / 1e9")
	M_SLAB=$(($(slab_kib) - s0))
	M_CPU=''
	[ -z "$pid" ] || M_CPU=$(calc %.2f "($(cpu_ticks "$pid") - $c0) / $(getconf CLK_TCK)")
	[ -z "$pid" ] || M_K1=$(sup_counts "$pid" "$err") || true
	log "$tag: converged in $M_SECS s (IPv4 $e4, IPv6 $e6)"
}

# (a) two sandboxes
cat >"$WORK/A.net" <<EOF
link add eth0 type link local $WORK/a.link remote $WORK/b.link
addr add 10.0.1.1/24 dev eth0
addr add fd00:1::1/64 dev eth0
EOF
sed -e 's|a.link remote|b.link remote|; s|remote '"$WORK"'/b.link|remote '"$WORK"'/a.link|; s/10.0.1.1/10.0.1.2/; s/fd00:1::1/fd00:1::2/' \
	"$WORK/A.net" >"$WORK/B.net"
spawn "$RRS" --no-control -c "$WORK/B.net" -- bird -f -c "$WORK/B.bird" -s "$WORK/B.ctl" 2>"$WORK/B.err"
SB=$BG_PID
for ((i = 0; i < 100; i++)); do
	birdc -s "$WORK/B.ctl" show status >/dev/null 2>&1 && break
	sleep 0.1
done
rss0=$(vmrss_kib "$SB")
spawn "$RRS" --no-control -c "$WORK/A.net" -- bird -f -c "$WORK/A.bird" -s "$WORK/A.ctl" 2>"$WORK/A.err"
SA=$BG_PID
measure sandbox "$SB" "$WORK/B.err"
sb_secs=$M_SECS sb_cpu=$M_CPU
sb_traps=$(per_route "$M_K0" "$M_K1" "$N")
rss1=$(vmrss_kib "$SB")
sb_bpr=$(calc %.0f "($rss1 - $rss0) * 1024 / $N")
log "sandbox: B's supervisor VmRSS $rss0 -> $rss1 KiB"
stop_pid "$SA"
stop_pid "$SB"

# (b) two network namespaces
base="baseline: n/a (needs root for network namespaces)" ratio=
if netns_pair table; then
	spawn ip netns exec "$NSB" bird -f -c "$WORK/B.bird" -s "$WORK/B.ctl" 2>"$WORK/nsB.err"
	NB=$BG_PID
	for ((i = 0; i < 100; i++)); do
		birdc -s "$WORK/B.ctl" show status >/dev/null 2>&1 && break
		sleep 0.1
	done
	spawn ip netns exec "$NSA" bird -f -c "$WORK/A.bird" -s "$WORK/A.ctl" 2>"$WORK/nsA.err"
	NA=$BG_PID
	measure kernel
	ns_secs=$M_SECS
	slab=$(calc %.0f "$M_SLAB * 1024 / $N")
	routes=$(ip -n "$NSB" route | wc -l)
	log "kernel: $routes IPv4 routes in B's namespace"
	stop_pid "$NA"
	stop_pid "$NB"
	netns_del
	ratio=$(calc %.2f "$sb_secs / $ns_secs")
	base="baseline: kernel namespaces $ns_secs s, ~$slab bytes/route slab, time ratio $ratio"
fi

verdict=n/a
[ -n "$ratio" ] && verdict=missed && awk "BEGIN { exit !($ratio <= 1) }" && verdict=met
result "$N routes ($N4 IPv4, $N6 IPv6) from BGP into the sandbox's table in $sb_secs s (B's supervisor: CPU $sb_cpu s, $sb_traps), $sb_bpr bytes/route supervisor RSS ($base) [goal: no slower than the kernel: $verdict]"
