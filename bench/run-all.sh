#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# run-all.sh - run every benchmark in bench/ and record the run: each
# script's one result line is printed here and appended, with the machine
# (kernel, CPUs, CPU model, seccomp sync wake-up), the date and the git
# revision, as a dated section at the end of bench/RESULTS.md. Details
# (each script's stderr) go to a log dir under /tmp, which is kept.
#
# Usage: bench/run-all.sh [--build] [--no-record] [NAME...]
#   --build      make -C "$BENCH_BUILD" -j2 first (default build/)
#   --no-record  print the lines, leave RESULTS.md alone
#   NAME...      only these (trap_roundtrip untrapped open_trap fork_close tcp_throughput
#                tcp_latency tcp_connect uplink_throughput uplink_latency
#                publish_throughput publish_latency memory route_lookup
#                forward route_insert idle_cpu bgp_table),
#                or bgp_soak (an hour; never run by default);
#                default all but bgp_soak, in that order
# The environment of lib.sh applies (BENCH_SECONDS, BENCH_ROUNDS,
# RRSANDBOX, BENCH_BUILD, ...). Exit status 0 when every benchmark
# measured (met or missed), 1 when one broke; the section is recorded
# either way.

set -uo pipefail
BENCH_LIB_ONLY=1
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

ALL=(trap_roundtrip untrapped open_trap fork_close tcp_throughput tcp_latency tcp_connect uplink_throughput uplink_latency
     publish_throughput publish_latency memory route_lookup forward route_insert idle_cpu
     bgp_table)
build=0 record=1 names=()
for a in "$@"; do
	case $a in
	--build) build=1 ;;
	--no-record) record=0 ;;
	-h | --help)
		sed -n '/^# Usage:/,/^# either way/s/^# \{0,1\}//p' "$0"
		exit 0
		;;
	-*) echo "run-all.sh: unknown option '$a' (try --help)" >&2; exit 2 ;;
	*)
		[ -f "$BENCH_DIR/$a.sh" ] || {
			echo "run-all.sh: no benchmark '$a' (one of: ${ALL[*]})" >&2
			exit 2
		}
		names+=("$a")
		;;
	esac
done
[ ${#names[@]} -gt 0 ] || names=("${ALL[@]}")

if [ "$build" -eq 1 ]; then
	make -C "$BENCH_BUILD" -j2 >&2 || { echo "run-all.sh: build failed" >&2; exit 1; }
fi

LOGS=$(mktemp -d "${TMPDIR:-/tmp}/rrs-bench-logs.XXXXXX") || exit 1
RRS=${RRSANDBOX:-$BENCH_BUILD/cli/rrsandbox}
when=$(date -u '+%Y-%m-%d %H:%M UTC')
rev=$(git_rev)
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
sync=$(sync_wakeup)
machine="kernel $(uname -r), $(nproc) CPUs, ${cpu:-unknown CPU}, seccomp sync wake-up: $sync"
# Other work on the machine skews every figure: say how busy it was.
load=$(cut -d' ' -f1-3 /proc/loadavg)
built=n/a
[ -e "$RRS" ] && built=$(date -u -r "$RRS" '+%Y-%m-%d %H:%M UTC')
echo "run-all: $when, rev $rev; $machine; load $load; logs in $LOGS" >&2

lines=() status=0
for n in "${names[@]}"; do
	echo "run-all: $n ..." >&2
	start=$SECONDS
	line=$(bash "$BENCH_DIR/$n.sh" 2>"$LOGS/$n.log" </dev/null)
	rc=$?
	line=$(printf '%s\n' "$line" | tail -n 1)
	if [ "$rc" -ne 0 ]; then
		status=1
		[ -n "$line" ] || line="$n: n/a (broken: exit $rc, see $n.log)"
	elif [ -z "$line" ]; then
		status=1
		line="$n: n/a (broken: no result line, see $n.log)"
	fi
	echo "run-all: $n took $((SECONDS - start)) s" >&2
	printf '%s\n' "$line"
	lines+=("$line")
done

if [ "$record" -eq 1 ]; then
	{
		printf '\n## %s, rev %s\n\n' "$when" "$rev"
		printf -- '- machine: %s\n' "$machine"
		printf -- '- rrsandbox: %s (built %s)\n' "${RRS#"$BENCH_REPO"/}" "$built"
		printf -- '- settings: BENCH_SECONDS=%s BENCH_ROUNDS=%s BENCH_THRU_ROUNDS=%s\n' \
			"$BENCH_SECONDS" "$BENCH_ROUNDS" "$BENCH_THRU_ROUNDS"
		printf -- '- load average at start: %s, at end: %s\n\n' \
			"$load" "$(cut -d' ' -f1-3 /proc/loadavg)"
		printf '```\n'
		printf '%s\n' "${lines[@]}"
		printf '```\n'
	} >>"$BENCH_DIR/RESULTS.md"
	echo "run-all: appended to $BENCH_DIR/RESULTS.md" >&2
fi
exit "$status"
