# SPDX-License-Identifier: MIT
# shellcheck shell=bash
#
# watchdog.sh - end a test script before CTest kills it.
#
# At a test's TIMEOUT CTest sends SIGKILL to the script's shell alone: its
# EXIT trap never runs, and what it started (sandboxes, BIRDs, network
# namespaces) lives on.  CMake hands the same TIMEOUT to the script in
# $RRS_TEST_TIMEOUT; 15 s before it, the watchdog signals the script
# (TERM, whose trap runs the script's cleanup) and the script's other
# children (a foreground command would hold that trap back until it
# ended), and says so.  Sourced by tests/scenario/lib.sh and
# tests/progs/unpriv.sh, which call watchdog_stop first in their cleanup.

RRS_WATCHDOG=

# watchdog_start() - arm the watchdog when $RRS_TEST_TIMEOUT is set
# @1: the name to report
watchdog_start() {
	local secs=${RRS_TEST_TIMEOUT:-} me=$$ name=$1
	[[ $secs =~ ^[0-9]+$ ]] && [ "$secs" -gt 30 ] || return 0
	(
		sp=
		trap '[ -n "$sp" ] && kill "$sp" 2>/dev/null; exit 0' TERM
		trap - EXIT INT HUP
		sleep $((secs - 15)) &
		sp=$!
		wait "$sp" || exit 0
		sp=
		printf 'FAIL: %s: still running after %s s, 15 s before CTest would kill it: stopping it so that it cleans up\n' \
			"$name" $((secs - 15)) >&2
		kill -TERM "$me" 2>/dev/null
		# and its foreground command (this subshell too: its trap
		# exits); without procps' pkill the script ends when that does
		pkill -TERM -P "$me" 2>/dev/null
	) &
	RRS_WATCHDOG=$!
}

# watchdog_stop() - disarm it (first thing in the script's cleanup)
watchdog_stop() {
	[ -n "$RRS_WATCHDOG" ] || return 0
	kill -TERM "$RRS_WATCHDOG" 2>/dev/null
	wait "$RRS_WATCHDOG" 2>/dev/null
	RRS_WATCHDOG=
}
