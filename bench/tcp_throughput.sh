#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# tcp_throughput.sh - TCP bulk throughput: iperf3 -s and iperf3 -c in ONE
# sandbox over its own 127.0.0.1 (lwIP on both ends, BENCH_SECONDS long,
# default 10), against the same two commands on the host's loopback in the
# same run (once before and once after the sandbox, averaged), and
# against slirp4netns (MTU 65520: iperf3 -c in a user+net
# namespace to iperf3 -s on the host's 127.0.0.1, reached as 10.0.2.2) when
# it can run here. The figure is the receiver's rate from iperf3 --json.
# rrsandbox joins two of its own sockets that meet on its loopback into one
# kernel AF_UNIX pair (the local shortcut; only where pidfd_getfd works, so
# not under Docker's default profile): the headline figure is that default,
# and a second sandbox run with --no-shortcut measures the lwIP path.
#
# Target: at least half of host loopback throughput (ratio >= 0.5).
#
#   rrsandbox -- sh pair.sh         sh pair.sh (host)      unshare -Urn + slirp4netns
#   +------------------------+                             +----------------------+
#   | iperf3 -s 127.0.0.1:P  |      iperf3 -s 127.0.0.1    | iperf3 -c 10.0.2.2:P |--tap0--
#   | iperf3 -c 127.0.0.1:P  |      iperf3 -c 127.0.0.1    +----------------------+       |
#   +------------------------+                      host: iperf3 -s 127.0.0.1:P <--slirp4netns

set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
need iperf3

SECS=$BENCH_SECONDS

iperf_rate_py

# pair.sh PORT SECONDS PREFIX PY: server and client on 127.0.0.1; the
# client is retried while refused (the server may not listen yet).
cat >"$WORK/pair.sh" <<'EOF'
port=$1 secs=$2 out=$3 py=$4
iperf3 -s -1 -B 127.0.0.1 -p "$port" >"$out.srv" 2>&1 &
s=$!
i=0
while :; do
	iperf3 -c 127.0.0.1 -p "$port" -t "$secs" --json >"$out.json" 2>"$out.err"
	"$py" "$(dirname "$0")/rate.py" "$out.json" >"$out.rate" 2>"$out.info"
	rc=$?
	[ $rc -eq 2 ] || break
	i=$((i + 1))
	[ $i -lt 50 ] || break
	sleep 0.1
done
[ $rc -eq 0 ] || kill $s 2>/dev/null
wait $s
exit $rc
EOF

# run_pair() - one iperf3 pair, natively or in the sandbox; prints Gbit/s
# @1: tag (file prefix)
# @@: prefix command (empty for the host)
run_pair() {
	local tag=$1 port
	shift
	port=$(free_port)
	log "$tag: iperf3 over 127.0.0.1:$port, $SECS s"
	timeout -k 5 $((SECS + 60)) "$@" sh "$WORK/pair.sh" "$port" "$SECS" \
		"$WORK/$tag" "$BENCH_PY" </dev/null >"$WORK/$tag.out" 2>&1 || {
		log "$tag failed: $(cat "$WORK/$tag.info" 2>/dev/null; tail -n 5 "$WORK/$tag.out")"
		return 1
	}
	log "$tag: $(cat "$WORK/$tag.rate") Gbit/s; $(cat "$WORK/$tag.info")"
	cat "$WORK/$tag.rate"
}

# Host before and after the sandbox, averaged: the machine drifts.
HOST1=$(run_pair host1) || broken "iperf3 on host loopback failed"
SB=$(run_pair sandbox "$RRS" --) || broken "iperf3 inside rrsandbox failed"
lwip='' v_lwip=''
if rrs_has_opt --no-shortcut; then
	LW=$(run_pair lwip "$RRS" --no-shortcut --) ||
		broken "iperf3 inside rrsandbox --no-shortcut failed"
fi
HOST2=$(run_pair host2) || broken "iperf3 on host loopback failed"
HOST=$(calc %.2f "($HOST1 + $HOST2) / 2")
log "host loopback: $HOST1 and $HOST2 Gbit/s, mean $HOST"

# slirp4netns: the client in the namespace, the server on the host.
slirp=
port=$(free_port)
spawn iperf3 -s -1 -B 127.0.0.1 -p "$port" >"$WORK/slirp.srv" 2>&1
srv=$BG_PID
sleep 0.3
log "slirp4netns: iperf3 -c 10.0.2.2:$port (host 127.0.0.1) from a new namespace, $SECS s"
if slirp_run $((SECS + 60)) iperf3 -c 10.0.2.2 -p "$port" -t "$SECS" --json \
	>"$WORK/slirp.json" 2>"$WORK/slirp.err"; then
	if SL=$("$BENCH_PY" "$WORK/rate.py" "$WORK/slirp.json" 2>"$WORK/slirp.info"); then
		log "slirp4netns: $SL Gbit/s; $(cat "$WORK/slirp.info")"
		slirp="slirp4netns: $SL Gbit/s, ratio $(calc %.2f "$SB / $SL")"
	else
		slirp="slirp4netns: n/a (iperf3 failed: $(head -n 1 "$WORK/slirp.info"))"
	fi
else
	slirp="slirp4netns: n/a (${SLIRP_NA:-iperf3 failed: $(tail -n 1 "$WORK/slirp.err")})"
fi
stop_pid "$srv"
log "$slirp"

if [ -n "${LW:-}" ]; then
	lwip="; lwIP path (--no-shortcut): $LW Gbit/s, ratio $(calc %.2f "$LW / $HOST")"
	v_lwip="; lwIP path: $(awk "BEGIN { print ($LW / $HOST >= 0.5) ? \"met\" : \"missed\" }")"
fi
RATIO=$(calc %.2f "$SB / $HOST")
verdict=$(awk "BEGIN { print ($SB / $HOST >= 0.5) ? \"met\" : \"missed\" }")
result "$SB Gbit/s (baseline: $HOST Gbit/s host loopback, ratio $RATIO$lwip; $slirp) [target: ratio >= 0.5 of host loopback: $verdict$v_lwip]"
