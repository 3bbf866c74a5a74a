#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# tcp_connect.sh - what a whole short TCP connection costs in one sandbox:
# trap_rt connect (bench/progs/trap_rt.c) makes socket(), a blocking
# connect() to a listener on 127.0.0.1 that its forked child serves
# (accept(), one byte read and written back, close()), one byte there and
# back, and close(), BENCH_CONNS times (default 5,000, after 2,000 untimed),
# each connection timed on its own with CLOCK_MONOTONIC: median and p90.
# Inside the sandbox that is three trapped calls (socket, connect, accept)
# and the supervisor's work around them; pgbench -C and a proxy that
# opens a connection per request (nginx's proxy_pass without keep-alive)
# do the same.  BENCH_ROUNDS rounds (default 5) alternate the sandbox's
# default (the local shortcut), --no-shortcut (the lwIP path), and the
# same program natively on the host's loopback; each figure is the median
# over the rounds.  slirp4netns has no counterpart: both ends in its
# namespace would talk over that namespace's own kernel loopback.
#
# Target: none (for tracking; the ratio to host loopback).
#
#   rrsandbox -- trap_rt connect N            trap_rt connect N (host)
#   +-------------------------------------+
#   | client --127.0.0.1--> forked server |
#   +-------------------------------------+

set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

CONNS=${BENCH_CONNS:-5000}
H=$(helper) || broken "cannot build bench/progs/trap_rt.c"
lwip=0
rrs_has_opt --no-shortcut && lwip=1
log "kernel $(uname -r), $CONNS connections x $BENCH_ROUNDS rounds"

sb=() sb90=() lw=() lw90=() na=() na90=()
for ((r = 1; r <= BENCH_ROUNDS; r++)); do
	measure "round $r sandbox" sb sb90 "$RRS" -- "$H" connect "$CONNS"
	if [ $lwip = 1 ]; then
		measure "round $r lwIP   " lw lw90 "$RRS" --no-shortcut -- "$H" connect "$CONNS"
	fi
	measure "round $r native " na na90 "$H" connect "$CONNS"
done

us() { calc %.1f "($1) / 1000"; }
SB=$(median "${sb[@]}") SB90=$(median "${sb90[@]}")
NA=$(median "${na[@]}") NA90=$(median "${na90[@]}")
for v in "$SB" "$NA"; do
	[ "${v%.*}" -gt 0 ] || broken "a zero median (sandbox $SB ns, native $NA ns)"
done
log "sandbox rounds (median ns): ${sb[*]}"
log "native rounds (median ns):  ${na[*]}"
lwfig=
if [ $lwip = 1 ]; then
	LW=$(median "${lw[@]}") LW90=$(median "${lw90[@]}")
	log "lwIP rounds (median ns):    ${lw[*]}"
	lwfig="; lwIP path (--no-shortcut): $(us "$LW") us, $(us "$LW90") us p90, ratio $(calc %.2f "$LW / $NA")"
fi
result "$(us "$SB") us median a connection, $(us "$SB90") us p90 (baseline: $(us "$NA") us, $(us "$NA90") us p90 host loopback, ratio $(calc %.2f "$SB / $NA")$lwfig; slirp4netns: n/a, both ends would share its namespace's kernel loopback) [target: none, for tracking]"
