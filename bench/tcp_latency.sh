#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# tcp_latency.sh - TCP round-trip latency: sockperf ping-pong (sockperf sr
# and sockperf pp --tcp, 14-byte messages) in ONE sandbox over its own
# 127.0.0.1 (BENCH_SECONDS long, default 10), against the same two
# commands on the host's loopback in the same run (once before and once
# after the sandbox, averaged), and against slirp4netns (sockperf pp in a
# user+net namespace to sockperf sr on the host's 127.0.0.1, reached as
# 10.0.2.2) when it can run here. sockperf reports half the round trip;
# the figures are its median (percentile 50) and average, in us. As in
# tcp_throughput.sh, the headline is rrsandbox's default (the local
# shortcut: one kernel AF_UNIX pair), and a run with --no-shortcut
# measures the lwIP path. sockperf passes an address to every sendto()
# and recvfrom(), even on TCP, so inside the sandbox each message costs
# trapped calls; a last figure, trap_rt pingpong (14 bytes with plain
# write() and read(), untrapped), shows the data path alone, in the
# sandbox (default and --no-shortcut) and on the host.
#
# Target: median at most twice host loopback's (ratio <= 2).
#
#   rrsandbox -- sh pp.sh            sh pp.sh (host)        unshare -Urn + slirp4netns
#   +--------------------------+                            +-------------------------+
#   | sockperf sr 127.0.0.1:P  |     sockperf sr 127.0.0.1  | sockperf pp 10.0.2.2:P  |--tap0--
#   | sockperf pp 127.0.0.1:P  |     sockperf pp 127.0.0.1  +-------------------------+       |
#   +--------------------------+                    host: sockperf sr 127.0.0.1:P <--slirp4netns

set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
need sockperf

SECS=$BENCH_SECONDS

# pp.sh PORT SECONDS OUT: server and client on 127.0.0.1. sockperf 3.7
# exits 0 even when it could not connect, so its output decides whether
# to retry.
cat >"$WORK/pp.sh" <<'EOF'
port=$1 secs=$2 out=$3
sockperf sr --tcp -i 127.0.0.1 -p "$port" >"$out.srv" 2>&1 &
s=$!
sleep 0.3
i=0
while :; do
	sockperf pp --tcp -i 127.0.0.1 -p "$port" -t "$secs" >"$out.out" 2>&1
	rc=$?
	grep -q 'Summary: Latency is' "$out.out" && break
	grep -qE 'Connection refused|No messages were received' "$out.out" || break
	i=$((i + 1))
	[ $i -lt 20 ] || break
	sleep 0.2
done
kill $s
wait $s
[ "$rc" -eq 0 ] && grep -q 'Summary: Latency is' "$out.out"
EOF

# run_pp() - one ping-pong, natively or in the sandbox; prints "MED AVG N"
# @1: tag (file prefix)
# @@: prefix command (empty for the host)
run_pp() {
	local tag=$1 port fig
	shift
	port=$(free_port)
	log "$tag: sockperf ping-pong over 127.0.0.1:$port, $SECS s"
	timeout -k 5 $((SECS + 60)) "$@" sh "$WORK/pp.sh" "$port" "$SECS" \
		"$WORK/$tag" </dev/null >"$WORK/$tag.log" 2>&1 || true
	if ! fig=$(sockperf_parse "$WORK/$tag.out" 2>/dev/null); then
		log "$tag failed: $(tail -n 5 "$WORK/$tag.out" "$WORK/$tag.log" 2>/dev/null)"
		return 1
	fi
	log "$tag: median/avg/messages $fig"
	printf '%s\n' "$fig" | awk '{ printf "%.2f %.2f %d\n", $1, $2, $3 }'
}

read -r H1_MED H1_AVG _ < <(run_pp host1) || broken "sockperf on host loopback failed"
read -r SB_MED SB_AVG SB_N < <(run_pp sandbox "$RRS" --) ||
	broken "sockperf inside rrsandbox failed"
LW_MED=
if rrs_has_opt --no-shortcut; then
	read -r LW_MED LW_AVG _ < <(run_pp lwip "$RRS" --no-shortcut --) ||
		broken "sockperf inside rrsandbox --no-shortcut failed"
fi
read -r H2_MED H2_AVG _ < <(run_pp host2) || broken "sockperf on host loopback failed"
H_MED=$(calc %.2f "($H1_MED + $H2_MED) / 2") H_AVG=$(calc %.2f "($H1_AVG + $H2_AVG) / 2")
log "host loopback medians $H1_MED and $H2_MED us, mean $H_MED; sandbox $SB_N messages"

# The data path alone: plain read/write ping-pong, medians in us.
H=$(helper) || broken "cannot build bench/progs/trap_rt.c"
# pingpong() - one trap_rt pingpong run; prints its median half trip, us
# @1: tag for the log
# @@: prefix command (empty for the host)
pingpong() {
	local tag=$1 line
	shift
	line=$(timeout -k 5 120 "$@" "$H" pingpong 20000 </dev/null) || return 1
	log "pingpong $tag: $line"
	calc %.2f "$(kv "$line" median_ns) / 1000"
}
PP_SB=$(pingpong sandbox "$RRS" --) || broken "trap_rt pingpong inside rrsandbox failed"
PP_LW=
if [ -n "$LW_MED" ]; then
	PP_LW=$(pingpong lwip "$RRS" --no-shortcut --) ||
		broken "trap_rt pingpong inside rrsandbox --no-shortcut failed"
	PP_LW=", $PP_LW us lwIP path"
fi
PP_H=$(pingpong host) || broken "trap_rt pingpong natively failed"

# slirp4netns: the client in the namespace, the server on the host.
port=$(free_port)
spawn sockperf sr --tcp -i 127.0.0.1 -p "$port" >"$WORK/slirp.srv" 2>&1
srv=$BG_PID
sleep 0.3
log "slirp4netns: sockperf pp to 10.0.2.2:$port (host 127.0.0.1) from a new namespace, $SECS s"
if slirp_run $((SECS + 60)) sockperf pp --tcp -i 10.0.2.2 -p "$port" -t "$SECS" \
	>"$WORK/slirp.out" 2>&1 &&
	read -r SL_MED SL_AVG _ < <(sockperf_parse "$WORK/slirp.out" |
		awk '{ printf "%.2f %.2f\n", $1, $2 }'); then
	log "slirp4netns: median $SL_MED us, avg $SL_AVG us"
	slirp="slirp4netns: $SL_MED us median, $SL_AVG us avg, ratio $(calc %.2f "$SB_MED / $SL_MED")"
elif [ -n "${SLIRP_NA:-}" ]; then
	slirp="slirp4netns: n/a ($SLIRP_NA)"
else
	slirp="slirp4netns: n/a (sockperf failed: $(tail -n 1 "$WORK/slirp.out" 2>/dev/null))"
fi
stop_pid "$srv"
log "$slirp"

lwip='' v_lwip=''
if [ -n "$LW_MED" ]; then
	lwip="; lwIP path (--no-shortcut): $LW_MED us median, $LW_AVG us avg, ratio $(calc %.2f "$LW_MED / $H_MED")"
	v_lwip="; lwIP path: $(awk "BEGIN { print ($LW_MED / $H_MED <= 2) ? \"met\" : \"missed\" }")"
fi
RATIO=$(calc %.2f "$SB_MED / $H_MED")
verdict=$(awk "BEGIN { print ($SB_MED / $H_MED <= 2) ? \"met\" : \"missed\" }")
result "$SB_MED us median, $SB_AVG us avg (baseline: $H_MED us median, $H_AVG us avg host loopback, ratio $RATIO$lwip; $slirp; read/write ping-pong: $PP_SB us$PP_LW, $PP_H us host) [target: median ratio <= 2 of host loopback: $verdict$v_lwip]"
