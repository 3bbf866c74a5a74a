#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# fork_close.sh - what the sandbox adds to two calls every shell makes all
# the time: fork() and close(), neither trapped (tracer/filter.c: a trapped
# call a signal interrupts fails with EINTR; until 2026-12 both were, and
# close() cost one trap).  fork() timed in the parent
# with the child exiting at once, 2,000 calls (BENCH_CALLS); close() of a
# pipe end, 10 times as many; each call timed on its own with
# CLOCK_MONOTONIC, median and p90 per call.  BENCH_ROUNDS rounds (default
# 5) alternate the sandbox and the same calls natively; each figure is the
# median over the rounds.
#
# Target: none (for tracking: both should cost what they cost natively).
#
#   rrsandbox -- trap_rt fork|close N        trap_rt fork|close N
#   +-------------------------------+        (host, native)
#   | fork, close: the kernel alone |
#   +-------------------------------+

set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

CALLS=${BENCH_CALLS:-2000}
H=$(helper) || broken "cannot build bench/progs/trap_rt.c"
log "kernel $(uname -r), $CALLS forks and $((CALLS * 10)) closes x $BENCH_ROUNDS rounds"

fs=() fs90=() fn=() fn90=() cs=() cs90=() cn=() cn90=()
for ((r = 1; r <= BENCH_ROUNDS; r++)); do
	measure "round $r fork sandbox " fs fs90 "$RRS" -- "$H" fork "$CALLS"
	measure "round $r fork native  " fn fn90 "$H" fork "$CALLS"
	measure "round $r close sandbox" cs cs90 "$RRS" -- "$H" close "$((CALLS * 10))"
	measure "round $r close native " cn cn90 "$H" close "$((CALLS * 10))"
done

us() { calc %.2f "($1) / 1000"; }
FS=$(median "${fs[@]}") FS90=$(median "${fs90[@]}")
FN=$(median "${fn[@]}") FN90=$(median "${fn90[@]}")
CS=$(median "${cs[@]}") CS90=$(median "${cs90[@]}")
CN=$(median "${cn[@]}") CN90=$(median "${cn90[@]}")
for v in "$FS" "$FN" "$CS" "$CN"; do
	[ "${v%.*}" -gt 0 ] ||
		broken "a zero median (fork $FS/$FN ns, close $CS/$CN ns)"
done
log "fork sandbox rounds (median ns):  ${fs[*]}"
log "fork native rounds (median ns):   ${fn[*]}"
log "close sandbox rounds (median ns): ${cs[*]}"
log "close native rounds (median ns):  ${cn[*]}"
result "fork() $(us "$FS") us median, $(us "$FS90") us p90 (baseline: $(us "$FN") us, $(us "$FN90") us p90 native, ratio $(calc %.2f "$FS / $FN")); close() $(us "$CS") us, $(us "$CS90") us p90 (native $(us "$CN") us, $(us "$CN90") us p90, ratio $(calc %.1f "$CS / $CN")) [target: none; neither trapped, for tracking]"
