#!/bin/bash
# SPDX-License-Identifier: MIT
#
# sanitized.sh - a test against the supervisor built with
# AddressSanitizer and UndefinedBehaviorSanitizer (tests/progs/
# asan_build.sh, CTest's fixture "asan").  The release build survives a
# read of freed memory without a sign, and a test passes all the same;
# the sanitized one writes a report and stops.  A whole run of the suite
# this way found a use after free that no fuzzer had reached (BIRD
# stopping with a ttl-security peer half connected, scenario bgp), so
# CTest runs a few of the widest tests like this (label asan).
#
# Usage: sanitized.sh ASAN_BUILD_DIR COMMAND [ARGS...]
#        runs COMMAND with RRSANDBOX and RRCTL set to ASAN_BUILD_DIR/cli's
#        (a scenario takes them from there; a progs test is given
#        ASAN_BUILD_DIR/cli/rrsandbox as unpriv.sh's argument), the
#        sanitizers' reports sent to files (log_path) read afterwards: any
#        report fails the run, whatever COMMAND said.  The test programs
#        stay release builds: several hand the supervisor bad pointers on
#        purpose, which a sanitized program would stop on itself.  The
#        unit tests are COMMAND themselves, as built in ASAN_BUILD_DIR
#        (tests/unit: unit.asan.*).
#
# Exit status: COMMAND's (77: skipped), or 1 when it passed but a
# sanitizer reported; 77 too when there is no sanitized build (the
# compiler cannot make one: asan.build said why); 2 on a usage error.

set -u

[ $# -ge 2 ] || { echo "usage: sanitized.sh ASAN_BUILD_DIR COMMAND [ARGS...]" >&2; exit 2; }
bdir=$1
shift
# absolute: a scenario runs from its own work dir
[ -d "$bdir" ] && bdir=$(cd "$bdir" && pwd)
if [ ! -x "$bdir/cli/rrsandbox" ] || [ ! -x "$bdir/cli/rrctl" ]; then
	echo "SKIP: sanitized.sh: no sanitized build in $bdir (see the test asan.build)" >&2
	exit 77
fi

# The supervisor runs as an unprivileged user: the reports' folder is
# writable by anyone, like /tmp, and goes when this script ends.
reports=$(mktemp -d /tmp/rrs-asan-reports.XXXXXX) || exit 2
trap 'rm -rf "$reports"' EXIT
chmod 1777 "$reports"

# LeakSanitizer checks at exit what the supervisor never freed: it stops
# the process with ptrace, which the undumpable supervisor allows only
# in sanitized builds and only at exit (cli/main.c, RRS_LEAK_CHECK).
export ASAN_OPTIONS="detect_leaks=1:exitcode=86:log_path=$reports/asan"
export UBSAN_OPTIONS="print_stacktrace=1:log_path=$reports/ubsan"
export RRSANDBOX=$bdir/cli/rrsandbox RRCTL=$bdir/cli/rrctl

"$@"
rc=$?

# A sanitized test program or tool would write here too; only the
# supervisor's and rrctl's reports name our sources, but any report is
# worth failing on: none is expected.
found=0
for f in "$reports"/*; do
	[ -e "$f" ] || continue
	found=1
	echo "FAIL: sanitized.sh: a sanitizer reported (${f##*/}) during: $*" >&2
	head -n 60 "$f" >&2
done
if [ $found -eq 1 ]; then
	[ $rc -eq 0 ] || [ $rc -eq 77 ] || exit $rc
	exit 1
fi
exit $rc
