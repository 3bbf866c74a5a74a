#!/bin/bash
# SPDX-License-Identifier: MIT
#
# unpriv.sh - run one test program inside rrsandbox as an unprivileged user
# without capabilities, as the project requires (rrsandbox never needs
# root).  Called by the progs.sandbox.* tests (tests/progs/CMakeLists.txt).
#
# Usage: unpriv.sh RRSANDBOX PROG [ARGS...]
#        runs RRSANDBOX [$RRS_OPTS] -- PROG ARGS... (RRS_OPTS: extra
#        rrsandbox options, word-split, e.g. --no-shortcut)
#
# As root (CI), it stages copies of RRSANDBOX and PROG in a fresh directory
# that uid 65534 can read, and runs them there as uid/gid 65534 with no
# groups, no capabilities (inheritable, bounding set) and no_new_privs, in a
# clean environment (PATH, HOME, TMPDIR: a directory of its own there, plus
# RRSANDBOX_NO_PIDFD_GETFD, ASAN_OPTIONS and UBSAN_OPTIONS when set).
# Root's CAP_SYS_PTRACE would otherwise let the sandboxed program attach
# the supervisor.  As anyone
# else, it runs the command directly, once it has checked that the caller
# holds no effective capability.  Either way RRS_RRCTL names the rrctl
# beside RRSANDBOX (staged too), for tap_sandbox_socks() in tap.h.
#
# Exit status: the command's; 77 (CTest SKIP_RETURN_CODE) with "SKIP: ..."
# on stderr when it cannot run unprivileged; 2 on a usage or staging error;
# 143 when the watchdog (../watchdog.sh) stopped it before CTest's TIMEOUT.

UNPRIV_ID=65534
UNPRIV_PATH=/usr/sbin:/usr/bin:/sbin:/bin
PASS_ENV=(RRSANDBOX_NO_PIDFD_GETFD ASAN_OPTIONS UBSAN_OPTIONS)

stage=
child=

# skip() - report why the test cannot run and exit 77
# @*: reason
skip() {
	printf 'SKIP: unpriv.sh: %s\n' "$*" >&2
	exit 77
}

# die() - report a usage or staging error and exit 2
# @*: message
die() {
	printf 'unpriv.sh: %s\n' "$*" >&2
	exit 2
}

# cleanup() - stop a command still running and remove the staging dir
cleanup() {
	watchdog_stop
	if [ -n "$child" ]; then
		kill -TERM "$child" 2>/dev/null
	fi
	if [ -n "$stage" ]; then
		rm -rf -- "$stage"
	fi
}

# run_direct() - run the command as the caller, who must hold no capability
# @1: rrsandbox
# @2: program
# @@: its arguments
run_direct() {
	local key val capeff=

	# Read by the shell itself: a child's /proc/self would be its own.
	while read -r key val; do
		if [ "$key" = CapEff: ]; then
			capeff=$val
		fi
	done </proc/self/status
	if [ -z "$capeff" ]; then
		skip "no CapEff line in /proc/self/status"
	fi
	if [ $((16#$capeff)) -ne 0 ]; then
		skip "uid $EUID holds capabilities (CapEff $capeff); run as root or drop them"
	fi
	if [ -x "${1%/*}/rrctl" ]; then
		RRS_RRCTL=$(cd "${1%/*}" && pwd)/rrctl
		export RRS_RRCTL
	fi
	# shellcheck disable=SC2086 # RRS_OPTS is word-split on purpose
	exec "$1" ${RRS_OPTS:-} -- "${@:2}"
}

# run_staged() - as root: run staged copies as uid 65534 without capabilities
# @1: rrsandbox
# @2: program
# @@: its arguments
run_staged() {
	local sup=$1 prog=$2 name rc var
	local -a envv

	shift 2
	command -v setpriv >/dev/null 2>&1 || skip "setpriv (util-linux) is not installed"
	# Under /tmp, not $TMPDIR: root's TMPDIR may be closed to uid 65534.
	stage=$(mktemp -d /tmp/rrs-unpriv.XXXXXX) || die "mktemp -d failed"
	chmod 755 "$stage" || die "chmod $stage failed"
	name=${prog##*/}
	[ "$name" != rrsandbox ] || name=prog.$name
	if ! cp -- "$sup" "$stage/rrsandbox" || ! cp -- "$prog" "$stage/$name" ||
		! chmod 755 "$stage/rrsandbox" "$stage/$name"; then
		die "cannot stage $sup and $prog in $stage"
	fi
	# TMPDIR the program may write to (iperf3 makes its buffer file
	# there): the staging dir itself is root's.
	if ! mkdir -m 700 "$stage/tmp" || ! chown "$UNPRIV_ID:$UNPRIV_ID" "$stage/tmp"; then
		die "cannot make $stage/tmp for uid $UNPRIV_ID"
	fi
	envv=(PATH="$UNPRIV_PATH" HOME="$stage" TMPDIR="$stage/tmp")
	if [ -x "${sup%/*}/rrctl" ]; then
		if ! cp -- "${sup%/*}/rrctl" "$stage/rrctl" || ! chmod 755 "$stage/rrctl"; then
			die "cannot stage ${sup%/*}/rrctl in $stage"
		fi
		envv+=(RRS_RRCTL="$stage/rrctl")
	fi
	cd "$stage" || die "cd $stage failed"

	for var in "${PASS_ENV[@]}"; do
		if [ -n "${!var+set}" ]; then
			envv+=("$var=${!var}")
		fi
	done

	# In the background, so that a signal to this script is handled at
	# once (the traps below exit, and cleanup() passes TERM on: setpriv
	# and env exec, so $child is rrsandbox itself).  <&0 keeps stdin,
	# which a background command would otherwise get as /dev/null.
	# shellcheck disable=SC2086 # RRS_OPTS is word-split on purpose
	setpriv --reuid="$UNPRIV_ID" --regid="$UNPRIV_ID" --clear-groups \
		--inh-caps=-all --bounding-set=-all --no-new-privs \
		env -i "${envv[@]}" "$stage/rrsandbox" ${RRS_OPTS:-} -- "$stage/$name" "$@" <&0 &
	child=$!
	rc=0
	wait "$child" || rc=$?
	child=
	return "$rc"
}

# shellcheck source=tests/watchdog.sh
source "$(dirname "${BASH_SOURCE[0]}")/../watchdog.sh" ||
	die "cannot read watchdog.sh beside ${BASH_SOURCE[0]}"

trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

[ $# -ge 2 ] || die "usage: unpriv.sh RRSANDBOX PROG [ARGS...]"
[ -x "$1" ] || die "$1 is not an executable"
[ -x "$2" ] || die "$2 is not an executable"

if [ "$EUID" -eq 0 ]; then
	# (run_direct execs: CTest's kill then reaches rrsandbox itself)
	watchdog_start "unpriv.sh ${2##*/}"
	rc=0
	run_staged "$@" || rc=$?
	exit "$rc"
fi
run_direct "$@"
