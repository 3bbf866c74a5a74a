#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# sockopts.sh - setsockopt() and getsockopt() answer in the sandbox as the
# kernel under the test answers an unprivileged program.  tests/progs/
# sockopts asks about 140 options of TCP and UDP sockets, IPv4 and IPv6
# (new, a loopback listener, a UDP socket connected to itself), with
# good, bad, short, long and NULL values, and prints one line per
# call; it runs natively and in rrsandbox, both as the unprivileged user,
# and the two tables must be the same line for line, but for the known
# differences listed in sockopts.known beside this script (each with its
# reason: an option the sandbox does not serve, or one whose answer is the
# machine's).  A listed difference that no longer differs is logged, not
# failed: some depend on the host (its devices, its congestion control).
#
#   natively:            sockopts > native.out
#   rrsandbox -- sockopts > sandbox.out      -> compared line by line

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need awk
[ -x "$PROGS/sockopts" ] ||
	skip "no tests/progs/sockopts in RRS_PROGS (build the tree first)"
KNOWN=$(dirname "$0")/sockopts.known
[ -r "$KNOWN" ] || fail "no list of known differences $KNOWN"

step "the table natively"
rc=0
with_timeout 120 unpriv "$PROGS/sockopts" >"$RUN/native.out" 2>"$RUN/native.err" || rc=$?
LAST_OUT=$RUN/native.out LAST_ERR=$RUN/native.err
[ "$rc" -eq 0 ] || fail "sockopts natively: status $rc"

step "the table in rrsandbox"
rrs_run 180 sandbox -- "$PROGS/sockopts"
[ "$RC" -eq 0 ] || fail "sockopts in rrsandbox: status $RC"

n=$(wc -l <"$RUN/native.out")
[ "$n" -gt 1000 ] || fail "only $n lines natively"
[ "$n" -eq "$(wc -l <"$RUN/sandbox.out")" ] ||
	fail "$n lines natively, $(wc -l <"$RUN/sandbox.out") in the sandbox"

step "compare, known differences aside"
# The known list: "ERE<TAB>reason" lines, # comments; an ERE (POSIX: mawk
# knows no \S) is matched against the native line.  Prints each unlisted difference (and counts
# them), each listed pattern that matched none, and a summary.
grep -v '^#' "$KNOWN" | grep . >"$RUN/known" || true
awk -F'\t' -v out="$RUN/compare" '
	FILENAME == ARGV[1] { re[++k] = $1; why[k] = $2; next }
	FILENAME == ARGV[2] { nat[FNR] = $0; next }
	{
		if ($0 == nat[FNR]) { same++; next }
		for (i = 1; i <= k; i++)
			if (nat[FNR] ~ re[i]) { used[i]++; known++; next }
		printf "differs: native  %s\n         sandbox %s\n", nat[FNR], $0 > out
		bad++
	}
	END {
		for (i = 1; i <= k; i++)
			if (!used[i])
				printf "unused: %s (%s)\n", re[i], why[i] > out
		printf "summary: %d same, %d known differences, %d unlisted\n",
			same, known, bad > out
	}' "$RUN/known" "$RUN/native.out" "$RUN/sandbox.out"
cmp=$RUN/compare
grep '^summary' "$cmp" | sed 's/^/    /' >&2
if grep -q '^unused' "$cmp"; then
	log "listed differences that did not differ here (the host's, or fixed):"
	grep '^unused' "$cmp" | sed 's/^/    /' >&2
fi
if grep -q '^differs' "$cmp"; then
	grep -A1 '^differs' "$cmp" | head -n 80 | sed 's/^/    /' >&2
	bad "$(grep -c '^differs' "$cmp") answers differ from the kernel's and are not known differences"
fi
checks_done
log "PASS"
