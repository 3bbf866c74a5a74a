#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# untrapped.sh - what the sandbox costs a system call that it does not
# trap: getppid(), and recv(MSG_DONTWAIT) on an idle connected TCP socket
# (EAGAIN; inside, the fd is the program's end of an emulated socket and
# the call stays in the kernel). 1,000,000 calls of each (BENCH_CALLS), in
# batches of 1,000 timed as a whole; per call the median over batches.
# BENCH_ROUNDS rounds (default 5) alternate the sandbox and the baseline,
# the same calls natively; each time is the median over the rounds, each
# ratio the median of the rounds' own ratios. A
# third column, the floor, runs the same loops natively under a one-rule
# seccomp filter: what any filter costs a system call on this kernel
# (the slow syscall entry path), which rrsandbox cannot go below.  A
# fourth, the argument floor, runs recv() under a filter that only denies
# recvfrom() with an address: rrsandbox must trap that one (an emulated
# datagram's source) and not the rest, so the kernel runs the filter for
# every recvfrom(), where for the one-rule filter it skips the run (its
# cache of calls allowed whatever their arguments).
#
# Target: within 5 % of native (ratio <= 1.05) for both calls.
#
#   rrsandbox -- trap_rt untrapped N    trap_rt untrapped N   ... N filtered
#   +------------------------------+
#   | getppid, recv -> kernel only |      getppid, recv        (1-rule filter)
#   +------------------------------+

set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

CALLS=${BENCH_CALLS:-1000000}
H=$(helper) || broken "cannot build bench/progs/trap_rt.c"
log "$CALLS calls of each x $BENCH_ROUNDS rounds"

sb_pp=() sb_rv=() nat_pp=() nat_rv=() fl_pp=() fl_rv=() ar_rv=()
for ((r = 1; r <= BENCH_ROUNDS; r++)); do
	line=$(timeout -k 5 300 "$RRS" -- "$H" untrapped "$CALLS" </dev/null) ||
		broken "trap_rt untrapped inside rrsandbox failed (round $r)"
	log "round $r sandbox: $line"
	sb_pp+=("$(kv "$line" getppid_ns)") sb_rv+=("$(kv "$line" recv_ns)")
	line=$(timeout -k 5 300 "$H" untrapped "$CALLS" </dev/null) ||
		broken "trap_rt untrapped natively failed (round $r)"
	log "round $r native:  $line"
	nat_pp+=("$(kv "$line" getppid_ns)") nat_rv+=("$(kv "$line" recv_ns)")
	line=$(timeout -k 5 300 "$H" untrapped "$CALLS" filtered </dev/null) ||
		broken "trap_rt untrapped filtered failed (round $r)"
	log "round $r floor:   $line"
	fl_pp+=("$(kv "$line" getppid_ns)") fl_rv+=("$(kv "$line" recv_ns)")
	line=$(timeout -k 5 300 "$H" untrapped "$CALLS" argfilter </dev/null) ||
		broken "trap_rt untrapped argfilter failed (round $r)"
	log "round $r argument floor: $line"
	ar_rv+=("$(kv "$line" recv_ns)")
done

SPP=$(median "${sb_pp[@]}") SRV=$(median "${sb_rv[@]}")
NPP=$(median "${nat_pp[@]}") NRV=$(median "${nat_rv[@]}")
FPP=$(median "${fl_pp[@]}") FRV=$(median "${fl_rv[@]}")
ARV=$(median "${ar_rv[@]}")
awk "BEGIN { exit !($NPP > 0 && $NRV > 0 && $SPP > 0 && $SRV > 0) }" ||
	broken "a zero median (getppid $SPP/$NPP ns, recv $SRV/$NRV ns)"
# Ratios within a round, then their median: the machine drifts between
# rounds more than the difference measured here.
rpp=() rrv=() qpp=() qrv=() arv=()
for ((i = 0; i < BENCH_ROUNDS; i++)); do
	rpp+=("$(calc %.4f "${sb_pp[i]} / ${nat_pp[i]}")")
	rrv+=("$(calc %.4f "${sb_rv[i]} / ${nat_rv[i]}")")
	qpp+=("$(calc %.4f "${fl_pp[i]} / ${nat_pp[i]}")")
	qrv+=("$(calc %.4f "${fl_rv[i]} / ${nat_rv[i]}")")
	arv+=("$(calc %.4f "${ar_rv[i]} / ${nat_rv[i]}")")
done
log "ratios per round, getppid: ${rpp[*]}; recv: ${rrv[*]}"
log "floor ratios per round, getppid: ${qpp[*]}; recv: ${qrv[*]}; recv, argument floor: ${arv[*]}"
RPP=$(calc %.3f "$(median "${rpp[@]}")") RRV=$(calc %.3f "$(median "${rrv[@]}")")
QPP=$(calc %.3f "$(median "${qpp[@]}")") QRV=$(calc %.3f "$(median "${qrv[@]}")")
ARR=$(calc %.3f "$(median "${arv[@]}")")
us() { calc %.3f "($1) / 1000"; }
verdict=$(awk "BEGIN { print ($RPP <= 1.05 && $RRV <= 1.05) ? \"met\" : \"missed\" }")
if [ "$verdict" = missed ] &&
	awk "BEGIN { exit !($QPP > 1.05 || $QRV > 1.05) }"; then
	verdict="missed; any seccomp filter alone costs ratio $QPP, $QRV here"
elif [ "$verdict" = missed ] && awk "BEGIN { exit !($RPP <= 1.05 && $ARR > 1.05) }"; then
	verdict="missed for recv; a filter that reads recvfrom's arguments at all costs ratio $ARR here"
fi
result "$(us "$SPP") us getppid, $(us "$SRV") us recv-EAGAIN (baseline: $(us "$NPP") us, $(us "$NRV") us native, ratio $RPP, $RRV; one-rule filter floor: $(us "$FPP") us, $(us "$FRV") us, ratio $QPP, $QRV; argument floor for recv: $(us "$ARV") us, ratio $ARR) [target: ratio <= 1.05 for both: $verdict]"
