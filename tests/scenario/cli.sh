#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# cli.sh - rrsandbox's command-line contract: help, version, bad options,
# exit statuses, signal forwarding, the whole process tree being sandboxed,
# and the tree being killed (or waited for, --wait-all, until a signal)
# when PROGRAM exits.
#
#   host (test, uid 65534)
#    |  argv, exit status, SIGTERM
#    v
#   rrsandbox --------------------------------------------+
#    |  sandbox: lo 127.0.0.1/8 ::1 (lwIP, not the host's) |
#    +-- sh -c '...'                                        |
#         +-- nc -l 127.0.0.1:P  (background child)         |
#         +-- echo hi | nc -N 127.0.0.1 P  (pipeline)       |
#         +-- sleep 1000 &  (must die with PROGRAM)         |
#   ------------------------------------------------------+

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need sh nc

step "--help and -h"
for opt in --help -h; do
	rrs_run 10 "help$opt" "$opt"
	expect_rc 0 "rrsandbox $opt"
	grep -qi 'usage' "$LAST_OUT" "$LAST_ERR" ||
		fail "rrsandbox $opt printed no usage"
done

step "--version and -V"
for opt in --version -V; do
	rrs_run 10 "version$opt" "$opt"
	expect_rc 0 "rrsandbox $opt"
	grep -qi 'rrsandbox' "$LAST_OUT" "$LAST_ERR" ||
		fail "rrsandbox $opt does not name itself"
done

step "bad option gives 125 and a message"
rrs_run 10 badopt --no-such-option -- true
expect_rc 125 "rrsandbox --no-such-option"
[ -s "$LAST_ERR" ] || fail "no message on stderr for a bad option"

step "no program gives 125"
rrs_run 10 noprog --
expect_rc 125 "rrsandbox -- (no program)"

step "missing program gives 127"
rrs_run 10 missing1 -- /nonexistent/rrs-no-such-program
expect_rc 127 "rrsandbox -- /nonexistent/rrs-no-such-program"
rrs_run 10 missing2 -- rrs-no-such-program-in-path
expect_rc 127 "rrsandbox -- rrs-no-such-program-in-path"

step "non-executable program gives 126"
printf '#!/bin/sh\nexit 0\n' >"$RUN/notexec"
chmod 644 "$RUN/notexec"
rrs_run 10 notexec -- "$RUN/notexec"
expect_rc 126 "rrsandbox -- $RUN/notexec (mode 644)"

step "exit status propagates"
rrs_run 20 exit7 -- sh -c 'exit 7'
expect_rc 7 "rrsandbox -- sh -c 'exit 7'"
rrs_run 20 exit0 -- true
expect_rc 0 "rrsandbox -- true"
# shellcheck disable=SC2016 # $$ is for the inner shell
rrs_run 20 killterm -- sh -c 'kill -TERM $$'
expect_rc 143 "rrsandbox -- sh -c 'kill -TERM \$\$'"

step "stdin and stdout pass through"
LAST_OUT=$RUN/cat.out LAST_ERR=$RUN/cat.err
RC=0
printf 'through the sandbox\n' |
	with_timeout 20 unpriv "$RRS" -- cat >"$LAST_OUT" 2>"$LAST_ERR" || RC=$?
expect_rc 0 "echo | rrsandbox -- cat"
[ "$(cat "$LAST_OUT")" = "through the sandbox" ] ||
	fail "cat inside the sandbox did not echo stdin"

step "started with stdin closed: PROGRAM finds it closed, rrsandbox ends cleanly"
# (libuv once took fd 0 for the loop's own and aborted at exit)
LAST_OUT=$RUN/closed.out LAST_ERR=$RUN/closed.err
RC=0
# shellcheck disable=SC2016 # for the inner shell
with_timeout 20 unpriv "$RRS" -- sh -c 'if [ -e /proc/$$/fd/0 ]; then echo open; else echo closed; fi; exit 5' \
	<&- >"$LAST_OUT" 2>"$LAST_ERR" || RC=$?
expect_rc 5 "rrsandbox <&- -- sh -c 'exit 5'"
want_lines "$LAST_OUT" "stdin closed" "closed"

step "--pcap DIR where a FIFO holds a device's file: a clear error"
# the program of an earlier run may leave one there; opening it for
# writing held the supervisor until a reader came (no timeout: hung)
mkdir -m 777 "$RUN/pcapfifo"
mkfifo -m 666 "$RUN/pcapfifo/lo.pcap"
rrs_run 20 pcapfifo --pcap "$RUN/pcapfifo" -- sh -c 'exit 4'
expect_rc 125 "rrsandbox --pcap DIR (DIR/lo.pcap a FIFO) -- sh -c 'exit 4'"
grep -q "lo.pcap': not a regular file" "$LAST_ERR" ||
	fail "no 'not a regular file' for the FIFO in --pcap DIR"

step "-n NAME and --name NAME are accepted"
rrs_run 20 name1 -n scenario-cli -- true
expect_rc 0 "rrsandbox -n scenario-cli -- true"
rrs_run 20 name2 --name scenario-cli -- true
expect_rc 0 "rrsandbox --name scenario-cli -- true"

step "-v logs emulated calls on stderr"
rrs_run 20 verbose -v -- "$PY" -c \
	'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); s.close()'
expect_rc 0 "rrsandbox -v -- python3 (socket, bind)"
[ -s "$LAST_ERR" ] || fail "-v printed nothing on stderr"
grep -qiE 'socket|bind' "$LAST_ERR" ||
	fail "-v output mentions neither socket nor bind"

step "SIGTERM to rrsandbox reaches PROGRAM"
inner_script trap.sh <<'EOF'
#!/bin/sh
trap 'echo got-term > term.got; exit 3' TERM
echo ready > term.ready
i=0
while [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
exit 9
EOF
LAST_OUT=$RUN/term.out LAST_ERR=$RUN/term.err
bg unpriv "$RRS" -- sh "$RUN/trap.sh" >"$LAST_OUT" 2>"$LAST_ERR"
pid=$BG_PID
wait_file 20 "$RUN/term.ready" || fail "the program never started (no term.ready)"
kill -TERM "$pid"
RC=0
wait_pid 20 "$pid" || RC=$?
[ "$(cat "$RUN/term.got" 2>/dev/null)" = got-term ] ||
	fail "PROGRAM's TERM trap did not run after SIGTERM to rrsandbox (status $RC)"
expect_rc 3 "rrsandbox -- sh trap.sh, then SIGTERM"

port=$(free_port)
step "tree: background child and pipeline get emulated sockets (port $port)"
inner_script tree.sh <<'EOF'
#!/bin/sh
# $1: port
nc -l 127.0.0.1 "$1" > tree.recv &
i=0
while :; do
	if echo hi | nc -N 127.0.0.1 "$1"; then break; fi
	i=$((i + 1))
	[ $i -lt 100 ] || exit 20
	sleep 0.1
done
wait
# and one level deeper: a grandchild shell runs both ends
sh -c 'nc -l ::1 "$1" > tree6.recv & i=0
	until echo hi6 | nc -N ::1 "$1"; do
		i=$((i + 1)); [ $i -lt 100 ] || exit 21; sleep 0.1
	done
	wait' sh "$1"
EOF
rrs_run 40 tree -- sh "$RUN/tree.sh" "$port"
expect_rc 0 "rrsandbox -- sh tree.sh $port"
[ "$(cat "$RUN/tree.recv")" = hi ] || fail "listener in background child got '$(cat "$RUN/tree.recv")', not 'hi'"
[ "$(cat "$RUN/tree6.recv")" = hi6 ] || fail "grandchild IPv6 listener got '$(cat "$RUN/tree6.recv")', not 'hi6'"

step "tree is killed when PROGRAM exits"
# shellcheck disable=SC2016 # $! is for the inner shell
rrs_run 20 treekill -- sh -c 'sleep 1000 & echo $! > sleep.pid; (sleep 1; echo late > late.out) & exit 0'
expect_rc 0 "rrsandbox -- sh -c 'sleep 1000 & ...; exit 0'"
spid=$(cat "$RUN/sleep.pid" 2>/dev/null) || fail "the program wrote no sleep.pid"
[ -n "$spid" ] || fail "empty sleep.pid"
for _ in $(seq 30); do
	pid_alive "$spid" || break
	sleep 0.1
done
if pid_alive "$spid" && grep -q sleep "/proc/$spid/cmdline" 2>/dev/null; then
	kill -KILL "$spid" 2>/dev/null || true
	fail "background 'sleep 1000' (pid $spid) survived PROGRAM's exit"
fi
sleep 1.5
[ ! -e "$RUN/late.out" ] || fail "a background subshell kept running after PROGRAM exited (late.out written)"

step "--wait-all waits for the whole tree"
start=$(date +%s%N)
rrs_run 20 waitall --wait-all -- sh -c '(sleep 1; echo late > waited.out) & exit 4'
end=$(date +%s%N)
expect_rc 4 "rrsandbox --wait-all -- sh -c '(sleep 1; ...) & exit 4'"
[ "$(cat "$RUN/waited.out" 2>/dev/null)" = late ] ||
	fail "--wait-all returned before the background subshell finished"
[ $(((end - start) / 1000000)) -ge 900 ] ||
	fail "--wait-all returned after $(((end - start) / 1000000)) ms, before the 1 s child"

step "--wait-all: SIGTERM after PROGRAM exited kills the rest and ends rrsandbox"
LAST_OUT=$RUN/waitterm.out LAST_ERR=$RUN/waitterm.err
# shellcheck disable=SC2016,SC2217 # $! is for the inner shell; bg runs the command, whose stdin this is
bg unpriv "$RRS" --wait-all -- sh -c 'sleep 1000 & echo $! > waitterm.pid; exit 6' \
	>"$LAST_OUT" 2>"$LAST_ERR" </dev/null
pid=$BG_PID
wait_file 20 "$RUN/waitterm.pid" || fail "the program wrote no waitterm.pid"
spid=$(cat "$RUN/waitterm.pid")
# PROGRAM has exited once its orphan is rrsandbox's (a child subreaper)
for _ in $(seq 100); do
	read -r line <"/proc/$spid/stat" || fail "'sleep 1000' (pid $spid) ended by itself"
	rest=${line##*) }
	rest=${rest#* }
	[ "${rest%% *}" != "$pid" ] || break
	sleep 0.1
done
[ "${rest%% *}" = "$pid" ] || fail "'sleep 1000' was not handed to rrsandbox: PROGRAM did not exit"
# a second signal on the heels of the first must change nothing
kill -TERM "$pid"
kill -HUP "$pid" 2>/dev/null || true
RC=0
wait_pid 5 "$pid" || RC=$?
if pid_alive "$spid"; then
	kill -KILL "$spid" 2>/dev/null || true
	fail "'sleep 1000' (pid $spid) survived SIGTERM to rrsandbox --wait-all (status $RC)"
fi
[ "$RC" -ne 124 ] || fail "rrsandbox --wait-all kept running 5 s after SIGTERM, PROGRAM gone"
expect_rc 6 "rrsandbox --wait-all -- sh -c 'sleep 1000 & ...; exit 6', then SIGTERM"

log "PASS"
