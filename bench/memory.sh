#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# memory.sh - the supervisor's memory: VmRSS of the rrsandbox process
# (/proc/PID/status) at start, with `sleep` as the program, and the growth
# per idle TCP connection: a python3 program in the sandbox opens 1,000
# (BENCH_CONNS) client connections to a listener of its own and holds them
# (2,000 emulated sockets, 2,000 lwIP pcbs), telling each phase through a
# file; the growth is the RSS with them open minus the RSS of the same run
# before its first socket, divided by the number of connections.
# Baselines in the same run: the host kernel's slab growth (Slab in
# /proc/meminfo, machine-wide, so approximate) for the same program run
# natively, per connection; and slirp4netns's VmRSS at start, when it can
# run here. The headline is rrsandbox's default, where connections between
# its own sockets become kernel AF_UNIX pairs (the local shortcut) and
# leave lwIP; a second run with --no-shortcut keeps both ends of each
# connection as lwIP pcbs (what a peer behind a virtual link costs).
#
# Goals: under 16 MiB at start, under 16 KiB per idle connection.
#
#   rrsandbox -- sleep 60      rrsandbox -- python3 hold.py       python3 hold.py (host)
#     VmRSS = start             phase0: VmRSS before any socket     phase0: Slab
#                               phase1: 1,000 connections held      phase1: Slab
#                               per connection = delta / 1,000      per connection = delta / 1,000

set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

CONNS=${BENCH_CONNS:-1000}
# Both ends live in the program, and the supervisor holds an end of each.
want=$((2 * CONNS + 200))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$want" ]; then
	ulimit -n "$want" 2>/dev/null || ulimit -n "$(ulimit -Hn)" ||
		broken "cannot raise RLIMIT_NOFILE to $want (hard limit $(ulimit -Hn))"
	[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge "$want" ] ||
		broken "RLIMIT_NOFILE hard limit $(ulimit -Hn) is below $want"
fi
log "RLIMIT_NOFILE $(ulimit -n), $CONNS connections"

cat >"$WORK/hold.py" <<'EOF'
"""Open N idle TCP connections to our own listener and hold them."""
import os, signal, socket, sys, time

n, d = int(sys.argv[1]), sys.argv[2]


def phase(k, text="ready"):
    """Say we reached phase k, then wait for go<k> (90 s at most)."""
    with open(f"{d}/phase{k}.tmp", "w") as f:
        f.write(text + "\n")
    os.rename(f"{d}/phase{k}.tmp", f"{d}/phase{k}")
    end = time.monotonic() + 90
    while not os.path.exists(f"{d}/go{k}"):
        if time.monotonic() > end:
            sys.exit(f"timed out waiting for go{k}")
        time.sleep(0.05)


signal.alarm(300)
phase(0)
ls = socket.socket()
ls.bind(("127.0.0.1", 0))
ls.listen(128)
held = []
t0 = time.monotonic()
for i in range(n):
    c = socket.create_connection(ls.getsockname(), timeout=10)
    a, _ = ls.accept()
    held += [c, a]
phase(1, f"{n} connections in {time.monotonic() - t0:.2f} s")
EOF

# At start: rrsandbox -- sleep (spawn execs it, so $BG_PID is rrsandbox).
spawn "$RRS" -- sleep 60 </dev/null
pid=$BG_PID
for ((i = 0; i < 50; i++)); do
	pgrep -P "$pid" -x sleep >/dev/null && break
	sleep 0.1
done
pgrep -P "$pid" -x sleep >/dev/null || broken "rrsandbox -- sleep did not start its program"
sleep 1
START=$(vmrss_kib "$pid") || broken "no VmRSS for rrsandbox (pid $pid)"
log "rrsandbox -- sleep 60: VmRSS $START KiB; $(grep -E '^(VmHWM|RssAnon|RssFile)' "/proc/$pid/status" | tr -s ' \t' ' ' | tr '\n' ' ')"
stop_pid "$pid"

# hold() - run hold.py, sampling at phases 0 and 1; prints "V0 V1"
# @1: tag (directory under $WORK)
# @2: sampler: a function given the pid of what was started
# @@: prefix command (empty: natively)
hold() {
	local tag=$1 sampler=$2 d=$WORK/$1 p v0 v1
	shift 2
	mkdir -p "$d"
	spawn "$@" "$BENCH_PY" "$WORK/hold.py" "$CONNS" "$d" </dev/null 2>"$d/err"
	p=$BG_PID
	wait_file 30 "$d/phase0" || { log "$tag: no phase 0: $(tail -n 3 "$d/err")"; return 1; }
	sleep 0.5
	v0=$("$sampler" "$p" "$d") || return 1
	touch "$d/go0"
	wait_file 120 "$d/phase1" || { log "$tag: no phase 1: $(tail -n 3 "$d/err")"; return 1; }
	log "$tag: $(cat "$d/phase1")"
	sleep 1
	v1=$("$sampler" "$p" "$d") || return 1
	touch "$d/go1"
	stop_pid "$p"
	echo "$v0 $v1"
}

sample_rss() {
	log "sandbox: $(sup_stats "$1" "$2/err"); kernel Slab $(slab_kib) KiB"
	vmrss_kib "$1"
}
sample_slab() {
	slab_kib
}

read -r R0 R1 < <(hold sandbox sample_rss "$RRS" --) ||
	broken "python3 hold.py in rrsandbox failed"
log "sandbox: VmRSS $R0 KiB before, $R1 KiB with $CONNS connections"
L0=
if rrs_has_opt --no-shortcut; then
	read -r L0 L1 < <(hold lwip sample_rss "$RRS" --no-shortcut --) ||
		broken "python3 hold.py in rrsandbox --no-shortcut failed"
	log "lwip: VmRSS $L0 KiB before, $L1 KiB with $CONNS connections"
fi
read -r S0 S1 < <(hold host sample_slab) || broken "python3 hold.py natively failed"
log "host: Slab $S0 KiB before, $S1 KiB with $CONNS connections"

slirp_rss() {
	sleep 1
	SL_RSS=$(vmrss_kib "$1") || SL_RSS=
}
SL_RSS=
SLIRP_WHILE=slirp_rss
if slirp_run 30 sleep 3 && [ -n "$SL_RSS" ]; then
	slirp="slirp4netns: $(calc %.1f "$SL_RSS / 1024") MiB at start"
else
	slirp="slirp4netns: n/a (${SLIRP_NA:-no VmRSS read})"
fi
SLIRP_WHILE=
log "$slirp"

START_MIB=$(calc %.1f "$START / 1024")
PER=$(calc %.1f "($R1 - $R0) / $CONNS")
HPER=$(calc %.1f "($S1 - $S0) / $CONNS")
ratio=n/a
awk "BEGIN { exit !($HPER > 0) }" && ratio=$(calc %.2f "$PER / $HPER")
v_start=$(awk "BEGIN { print ($START < 16384) ? \"met\" : \"missed\" }")
v_per=$(awk "BEGIN { print ($PER < 16) ? \"met\" : \"missed\" }")
lwip='' v_lwip=''
if [ -n "$L0" ]; then
	LPER=$(calc %.1f "($L1 - $L0) / $CONNS")
	lwip="; lwIP path (--no-shortcut): $LPER KiB per idle connection"
	v_lwip="; lwIP path: $(awk "BEGIN { print ($LPER < 16) ? \"met\" : \"missed\" }")"
fi
result "$START_MIB MiB at start, $PER KiB per idle connection (baseline: host kernel ~$HPER KiB slab per connection, ratio $ratio$lwip; $slirp) [goals: start < 16 MiB: $v_start; per connection < 16 KiB: $v_per$v_lwip]"
