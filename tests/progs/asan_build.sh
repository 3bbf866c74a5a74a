#!/bin/bash
# SPDX-License-Identifier: MIT
#
# asan_build.sh - build rrsandbox and rrctl with AddressSanitizer and
# UndefinedBehaviorSanitizer, for the tests that run a sanitized
# supervisor (asan_fuzz.sh, tests/scenario/sanitized.sh).  CTest runs it
# once as the fixture "asan" (test asan.build) before them.
#
# Usage: asan_build.sh SOURCE_DIR BUILD_DIR
#        configures BUILD_DIR (-DRRS_ASAN=ON -DRRS_UBSAN=ON
#        -DRRS_LWIP_ASSERT=ON, Debug) unless it is already, and builds
#        rrsandbox, rrctl and the unit tests (target unit_checks) there
#        (about 2 minutes on 2 CPUs the first time, then only what
#        changed)
#
# Exit status: 0 built; 77 (SKIP) when the compiler cannot build and run
# a sanitized program; 1 when configuring or building failed (the end of
# its log on stderr); 2 on a usage error.

set -u

[ $# -eq 2 ] || { echo "usage: asan_build.sh SOURCE_DIR BUILD_DIR" >&2; exit 2; }
src=$1 bdir=$2

# Can this compiler build and run a sanitized program at all?
probe=$(mktemp -d /tmp/rrs-asan-probe.XXXXXX) || exit 2
printf 'int main(void) { return 0; }\n' >"$probe/p.c"
if ! cc -fsanitize=address,undefined -o "$probe/p" "$probe/p.c" 2>"$probe/err" ||
	! "$probe/p"; then
	echo "SKIP: asan_build.sh: cc cannot build with -fsanitize=address,undefined: $(head -n 1 "$probe/err")" >&2
	rm -rf "$probe"
	exit 77
fi
rm -rf "$probe"

# lwIP's assertions too: a broken invariant of our patches aborts there
if ! grep -qx 'RRS_LWIP_ASSERT:BOOL=ON' "$bdir/CMakeCache.txt" 2>/dev/null &&
	! cmake -S "$src" -B "$bdir" -DRRS_ASAN=ON -DRRS_UBSAN=ON \
		-DRRS_LWIP_ASSERT=ON -DCMAKE_BUILD_TYPE=Debug \
		>"$bdir.configure.log" 2>&1; then
	echo "asan_build.sh: configuring $bdir failed:" >&2
	tail -n 20 "$bdir.configure.log" >&2
	exit 1
fi
# unit_checks: every unit test program (the Check suites where Check is)
targets="rrsandbox rrctl unit_checks"
# shellcheck disable=SC2086 # the list of targets
if ! cmake --build "$bdir" -j 2 --target $targets >"$bdir.build.log" 2>&1; then
	echo "asan_build.sh: building the sanitized rrsandbox failed:" >&2
	tail -n 20 "$bdir.build.log" >&2
	exit 1
fi
echo "asan_build.sh: in $bdir, $targets built with -fsanitize=address,undefined"
