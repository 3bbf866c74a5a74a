#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# sockopts.sh - socket options and datagram control messages answer in
# the sandbox as the kernel under the test answers an unprivileged
# program.  Two tables, each printed by a program of tests/progs, one line
# per call, natively and in rrsandbox, both as the unprivileged user:
#
#   sockopts   about 140 options of TCP and UDP sockets, IPv4 and IPv6
#              (new, a loopback listener, a UDP socket connected to
#              itself), with good, bad, short, long, NULL values and
#              lengths, and what getsockopt() reads back
#   dgrammsg   sendmsg() on a UDP socket sending to itself on loopback
#              (IPv4, IPv6, and an IPv6 socket to a v4-mapped address)
#              with each control message Linux knows, good and bad, and
#              the messages recvmsg() then brings
#
# Each pair of tables must be the same line for line, but for the known
# differences listed in PROG.known beside this script (an ERE matched
# against the native line, a tab, and the reason: an option the sandbox
# does not serve, or one whose answer is the machine's).  A listed
# difference that no longer differs is logged, not failed: some depend on
# the host (its devices, its congestion control).

set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)	# before lib.sh moves to the work dir
# shellcheck source=tests/scenario/lib.sh
source "$HERE/lib.sh"
need awk

# compare_table() - run PROG natively and in rrsandbox and compare the
#                   tables, its known differences aside
# @1: the program (in $PROGS); its list is $HERE/@1.known
# @2: the fewest lines a table may have
compare_table() {
	local prog=$1 least=$2 known=$HERE/$1.known rc n cmp=$RUN/$1.compare
	[ -x "$PROGS/$prog" ] ||
		skip "no tests/progs/$prog in RRS_PROGS (build the tree first)"
	[ -r "$known" ] || fail "no list of known differences $known"

	step "$prog: the table natively"
	rc=0
	with_timeout 120 unpriv "$PROGS/$prog" >"$RUN/$prog.native" 2>"$RUN/$prog.native.err" || rc=$?
	LAST_OUT=$RUN/$prog.native LAST_ERR=$RUN/$prog.native.err
	[ "$rc" -eq 0 ] || fail "$prog natively: status $rc"

	step "$prog: the table in rrsandbox"
	rrs_run 180 "$prog" -- "$PROGS/$prog"
	[ "$RC" -eq 0 ] || fail "$prog in rrsandbox: status $RC"

	n=$(wc -l <"$RUN/$prog.native")
	[ "$n" -ge "$least" ] || fail "$prog: only $n lines natively"
	[ "$n" -eq "$(wc -l <"$RUN/$prog.out")" ] ||
		fail "$prog: $n lines natively, $(wc -l <"$RUN/$prog.out") in the sandbox"

	step "$prog: compare, known differences aside"
	# "ERE<TAB>reason" lines, # comments; POSIX EREs (mawk knows no \S)
	grep -v '^#' "$known" | grep . >"$RUN/$prog.known" || true
	awk -F'\t' -v out="$cmp" '
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
		}' "$RUN/$prog.known" "$RUN/$prog.native" "$RUN/$prog.out"
	grep '^summary' "$cmp" | sed "s/^/    $prog /" >&2
	if grep -q '^unused' "$cmp"; then
		log "$prog: listed differences that did not differ here (the host's, or fixed):"
		grep '^unused' "$cmp" | sed 's/^/    /' >&2
	fi
	if grep -q '^differs' "$cmp"; then
		grep -A1 '^differs' "$cmp" | head -n 80 | sed 's/^/    /' >&2
		bad "$prog: $(grep -c '^differs' "$cmp") answers differ from the kernel's and are not known differences"
	fi
}

compare_table sockopts 10000
compare_table dgrammsg 100
checks_done
log "PASS"
