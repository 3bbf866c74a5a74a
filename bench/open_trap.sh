#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# open_trap.sh - what serving /proc/net costs every other file a program
# opens: the supervisor traps each open(), openat() and openat2(), reads
# the path and lets the kernel run it (netstack/procnet.c).  openat() of
# /dev/null for reading, 20,000 calls (BENCH_CALLS), each timed with
# CLOCK_MONOTONIC, median and p90 per call; BENCH_ROUNDS rounds (default
# 5) alternate the sandbox as it runs by default, the sandbox with
# --no-proc-net (opens untrapped) and the same calls natively; each figure
# is the median over the rounds.  The same for opens for writing
# (O_WRONLY | O_CREAT | O_TRUNC, a shell's `>`), trapped as well for the
# forwarding sysctls: the write figure at the end of the line.  And
# opendir() (openat() of /dev with O_DIRECTORY) and stat() of /dev/null
# (newfstatat() from AT_FDCWD), trapped as well for the sysctl
# directories (netstack/procsys.c): their figures after it.
#
# Target: none (the price of a correct /proc/net; for tracking, and for
# the choice of --no-proc-net).
#
#   rrsandbox -- trap_rt open N   rrsandbox --no-proc-net -- ...   native
#   +----------------------------+
#   | openat --notify-->         |
#   |   supervisor reads the path|
#   |   and lets the kernel run  |
#   +----------------------------+

set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

CALLS=${BENCH_CALLS:-20000}
H=$(helper) || broken "cannot build bench/progs/trap_rt.c"
log "kernel $(uname -r), $CALLS opens x $BENCH_ROUNDS rounds"

sb=() sb90=() np=() np90=() nat=() nat90=() wsb=() wsb90=() wnat=() wnat90=()
dsb=() dsb90=() dnat=() dnat90=() ssb=() ssb90=() snat=() snat90=()
for ((r = 1; r <= BENCH_ROUNDS; r++)); do
	measure "round $r sandbox     " sb sb90 "$RRS" -- "$H" open "$CALLS"
	measure "round $r --no-proc-net" np np90 "$RRS" --no-proc-net -- "$H" open "$CALLS"
	measure "round $r native      " nat nat90 "$H" open "$CALLS"
	measure "round $r sandbox, writing" wsb wsb90 "$RRS" -- "$H" openw "$CALLS"
	measure "round $r native, writing " wnat wnat90 "$H" openw "$CALLS"
	measure "round $r sandbox, opendir" dsb dsb90 "$RRS" -- "$H" opendir "$CALLS"
	measure "round $r native, opendir " dnat dnat90 "$H" opendir "$CALLS"
	measure "round $r sandbox, stat   " ssb ssb90 "$RRS" -- "$H" stat "$CALLS"
	measure "round $r native, stat    " snat snat90 "$H" stat "$CALLS"
done

us() { calc %.2f "($1) / 1000"; }
SB=$(median "${sb[@]}") SB90=$(median "${sb90[@]}")
NP=$(median "${np[@]}") NP90=$(median "${np90[@]}")
NAT=$(median "${nat[@]}") NAT90=$(median "${nat90[@]}")
WSB=$(median "${wsb[@]}") WNAT=$(median "${wnat[@]}")
DSB=$(median "${dsb[@]}") DNAT=$(median "${dnat[@]}")
SSB=$(median "${ssb[@]}") SNAT=$(median "${snat[@]}")
if [ "${NAT%.*}" -le 0 ] || [ "${SB%.*}" -le 0 ] || [ "${NP%.*}" -le 0 ] ||
	[ "${WNAT%.*}" -le 0 ] || [ "${WSB%.*}" -le 0 ]; then
	broken "a zero median (sandbox $SB ns, --no-proc-net $NP ns, native $NAT ns)"
fi
log "sandbox rounds (median ns):       ${sb[*]}"
log "--no-proc-net rounds (median ns): ${np[*]}"
log "native rounds (median ns):        ${nat[*]}"
log "writing: sandbox ${wsb[*]}, native ${wnat[*]} (median ns)"
result "$(us "$SB") us median, $(us "$SB90") us p90 an openat() (baseline: $(us "$NAT") us median, $(us "$NAT90") us p90 native, ratio $(calc %.1f "$SB / $NAT"); with --no-proc-net $(us "$NP") us, $(us "$NP90") us p90; for writing $(us "$WSB") us median, native $(us "$WNAT") us, ratio $(calc %.1f "$WSB / $WNAT"); opendir $(us "$DSB") us, native $(us "$DNAT") us; stat $(us "$SSB") us, native $(us "$SNAT") us) [target: none; what serving /proc/net costs each open, for tracking]"
