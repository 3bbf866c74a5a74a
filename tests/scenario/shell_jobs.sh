#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# shell_jobs.sh - a dash script whose background jobs end all the time
# while it runs pipelines and command substitutions, in a sandbox, ends
# as it does natively.  dash's SIGCHLD handler has no SA_RESTART: every
# call the supervisor trapped that such a signal interrupted failed with
# EINTR.  A close() of a pipe's write end that failed so left dash
# holding it, and dash then read the pipe's other end forever (400 rounds
# hung within a minute); a fork() that failed so said "Cannot fork".
# close() and fork() are no longer trapped (tracer/filter.c).
#
#   rrsandbox -- dash jobs.sh ROUNDS
#   +-----------------------------------------------------------+
#   | sleep 0.002 &      (a job that ends: SIGCHLD)              |
#   | v=$(echo x | cat)  (fork, pipe, close, read to EOF)        |
#   +-----------------------------------------------------------+

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need dash sleep cat

ROUNDS=600

inner_script jobs.sh <<'EOF'
#!/bin/sh
# jobs.sh ROUNDS: each round starts a job that ends soon, then takes a
# pipeline's output; prints the rounds and the wrong results
i=0 bad=0
while [ "$i" -lt "$1" ]; do
	sleep 0.002 &
	v=$(echo x | cat) || bad=$((bad + 1))
	[ "$v" = x ] || bad=$((bad + 1))
	i=$((i + 1))
done
wait
echo "rounds $i bad $bad"
EOF

step "$ROUNDS rounds of a dash job and a command substitution"
rrs_run 110 jobs -- dash "$RUN/jobs.sh" "$ROUNDS"
{ [ "$RC" -ne 124 ] && [ "$RC" -ne 137 ]; } || fail "jobs.sh hung (a pipe end left open?)"
expect_rc 0 "jobs.sh"
grep -qxF "rounds $ROUNDS bad 0" "$RUN/jobs.out" ||
	fail "jobs.sh: expected 'rounds $ROUNDS bad 0'"
grep -q . "$RUN/jobs.err" && fail "jobs.sh wrote to stderr"
log "ok: $(cat "$RUN/jobs.out")"
