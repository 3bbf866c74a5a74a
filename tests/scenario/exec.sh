#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# exec.sh - `rrctl exec`: more programs in a running sandbox, their sockets
# served by it as those of the sandbox's own program.
#
#   rrsandbox -n NAME -c a.conf -- sh a.sh   (lo, and d0 10.9.0.1/24)
#     a.sh: socat echo server on 127.0.0.1:P, then waits
#   rrctl -s a.sock exec ...                  (from the host, unprivileged)
#
# Checked: an exec'd `ip` sees the sandbox's devices and addresses, not the
# host's; an exec'd socat reaches the program's echo server on the
# sandbox's 127.0.0.1, which the host's loopback does not have; an exec'd
# server is reached by another exec'd client; stdin, stdout, the working
# directory and the environment are rrctl's, and -e NAME=VALUE, -e NAME
# and -w DIR change them as docker exec's do; with -t the program has a
# terminal of its own (a session leader in its foreground), reads typed
# lines from it, and a Ctrl-C typed ends it with 130; exit statuses are PROGRAM's
# (7), 128+N when killed (143), 127 for a command not found, 126 for a
# file that is not executable, with their messages; Ctrl-C (SIGINT to
# rrctl) reaches the program and rrctl exits 130; a program whose rrctl
# was killed gets SIGHUP; the helper process is the supervisor's child,
# not the program's; a job still running when the sandbox's program
# exits is killed with the tree and its rrctl says 137; `--no-exec` and
# a sandbox whose program exited (under --wait-all) refuse with 125; a
# helper stopped by a program of the sandbox (same uid) holds rrctl 10 s
# at most (125); one killed leaves its job running to its own status, and
# later execs are refused with 125.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need socat ip sh tr pgrep ps

stage_rrctl
port=$(free_port)
port2=$(free_port)

cat >"$RUN/a.conf" <<EOF
link add d0 type dummy
addr add 10.9.0.1/24 dev d0
EOF
inner_script a.sh <<'EOF'
#!/bin/sh
# a.sh PORT: an echo server for the exec'd clients, then wait to be ended
socat TCP4-LISTEN:"$1",bind=127.0.0.1,reuseaddr,fork EXEC:cat &
echo $! >a.server
exec sleep 60
EOF

bg unpriv "$RRS" -s "$RUN/a.sock" -c "$RUN/a.conf" -- sh "$RUN/a.sh" "$port" \
	>"$RUN/a.out" 2>"$RUN/a.err"
a=$BG_PID
wait_sock 10 "$RUN/a.sock" "$a" || fail "sandbox A did not start"
wait_file 10 "$RUN/a.server" || fail "A's echo server did not start"

# ex TAG [rrctl exec args...]: run rrctl exec, output in $RUN/TAG.out/.err,
# its status in XRC (stdin from $XIN, default /dev/null)
ex() {
	local tag=$1
	shift
	XRC=0
	LAST_OUT=$RUN/$tag.out LAST_ERR=$RUN/$tag.err
	with_timeout 20 unpriv "$RRCTL" -s "$RUN/a.sock" exec "$@" \
		<"${XIN:-/dev/null}" >"$LAST_OUT" 2>"$LAST_ERR" || XRC=$?
	log "rrctl exec $*: status $XRC"
}

# ex_bg NAME: `rrctl exec sh NAME.sh` from $RUN in the background, until
# it wrote NAME.pid; rrctl's pid in EXB_PID
ex_bg() {
	(cd "$RUN" && exec "${UNPRIV_CMD[@]}" "$RRCTL" -s "$RUN/a.sock" exec \
		sh "$1.sh" >"$RUN/$1.out" 2>"$RUN/$1.err") &
	EXB_PID=$!
	RRS_BG_PIDS+=("$EXB_PID")
	wait_file 10 "$RUN/$1.pid" || fail "$1.sh did not start"
}

# ex_refused SANDBOX WHAT MESSAGE: `rrctl exec true` in sandbox
# $RUN/SANDBOX.sock must fail with 125 and say MESSAGE
ex_refused() {
	local rc=0
	LAST_OUT='' LAST_ERR=$RUN/$1.refused
	with_timeout 20 unpriv "$RRCTL" -s "$RUN/$1.sock" exec true \
		2>"$LAST_ERR" || rc=$?
	[ "$rc" -eq 125 ] || fail "$2: status $rc, not 125"
	want_lines "$LAST_ERR" "$2" "$3"
}

step "an exec'd ip sees the sandbox's devices"
ex ip ip -4 -o addr show
grep -q ' d0 .*inet 10\.9\.0\.1/24' "$RUN/ip.out" ||
	fail "ip inside: no 10.9.0.1/24 on d0"
[ "$(grep -c inet "$RUN/ip.out")" -eq 2 ] ||
	fail "ip inside: not exactly lo and d0"
[ "$XRC" -eq 0 ] || fail "ip: status $XRC"

step "an exec'd client reaches the program's server on the sandbox's loopback"
echo "hello from exec" >"$RUN/line"
chmod 644 "$RUN/line"
XIN=$RUN/line ex echo socat -t 5 - TCP4:127.0.0.1:"$port"
[ "$XRC" -eq 0 ] || fail "socat inside: status $XRC"
want_lines "$RUN/echo.out" "socat inside" "hello from exec"
if socat -t 2 - TCP4:127.0.0.1:"$port" </dev/null 2>/dev/null; then
	fail "the host's 127.0.0.1:$port answered: the sandbox's loopback leaked"
fi

step "an exec'd server, reached by another exec'd client"
bg unpriv "$RRCTL" -s "$RUN/a.sock" exec socat "TCP6-LISTEN:$port2,bind=[::1]" \
	SYSTEM:'echo served' >"$RUN/srv.out" 2>"$RUN/srv.err"
srv=$BG_PID
for _ in $(seq 50); do
	ex cli socat -t 5 - "TCP6:[::1]:$port2"
	[ "$XRC" -eq 0 ] && break
	sleep 0.1
done
want_lines "$RUN/cli.out" "exec'd client" "served"
wait_pid 10 "$srv" || fail "the exec'd server: status $?"

step "stdin, stdout, working directory and environment are rrctl's"
printf 'abc\n' >"$RUN/in"
chmod 644 "$RUN/in"
XIN=$RUN/in ex tr tr a-z A-Z
want_lines "$RUN/tr.out" "tr" "ABC"
XRC=0
# shellcheck disable=SC2016 # for the inner shell
(cd "$RUN" && with_timeout 20 unpriv env RRS_MARK=mark42 \
	"$RRCTL" -s "$RUN/a.sock" exec sh -c 'echo "$PWD $RRS_MARK"' \
	>"$RUN/env.out" 2>"$RUN/env.err") || XRC=$?
[ "$XRC" -eq 0 ] || fail "sh -c: status $XRC"
want_lines "$RUN/env.out" "cwd and env" "$RUN mark42"

step "-e and -w set the environment and the directory, as docker exec's"
mkdir -p "$RUN/sub"
chmod 755 "$RUN/sub"
XRC=0
# shellcheck disable=SC2016 # for the inner shell
(cd "$RUN" && with_timeout 20 unpriv env RRS_MARK=mark42 RRS_GONE=g \
	"$RRCTL" -s "$RUN/a.sock" exec -e RRS_NEW=1 -e RRS_MARK=over \
	--env=RRS_EQ=a=b -e RRS_GONE=x -e RRS_UNSET -w sub -- \
	sh -c 'echo "$PWD ${RRS_NEW-} ${RRS_MARK-} ${RRS_EQ-} ${RRS_GONE-} ${RRS_UNSET-none}"' \
	>"$RUN/envw.out" 2>"$RUN/envw.err") || XRC=$?
[ "$XRC" -eq 0 ] || fail "-e/-w: status $XRC ($(cat "$RUN/envw.err"))"
want_lines "$RUN/envw.out" "-e and -w (relative)" "$RUN/sub 1 over a=b x none"
XRC=0
(cd "$RUN" && with_timeout 20 unpriv env -u RRS_GONE RRS_GONE2=kept \
	"$RRCTL" -s "$RUN/a.sock" exec -e RRS_GONE=x -e RRS_GONE -e RRS_GONE2 \
	-w /usr -- sh -c 'echo "$PWD ${RRS_GONE-unset} ${RRS_GONE2-}"' \
	>"$RUN/envu.out" 2>"$RUN/envu.err") || XRC=$?
[ "$XRC" -eq 0 ] || fail "-e NAME: status $XRC ($(cat "$RUN/envu.err"))"
want_lines "$RUN/envu.out" "-e NAME takes rrctl's value, or none" "/usr unset kept"
ex wdbad -w "$RUN/no-such-dir" true
[ "$XRC" -eq 125 ] || fail "-w to a missing directory: status $XRC"
want_lines "$RUN/wdbad.err" "missing directory" "rrctl: exec: $RUN/no-such-dir: No such file or directory"
ex envbad -e =x true
[ "$XRC" -eq 125 ] || fail "-e =x: status $XRC"
want_lines "$RUN/envbad.err" "no name" "rrctl: exec: -e '=x': no variable name"
ex envpath -e PATH=/nonexistent ls
[ "$XRC" -eq 127 ] || fail "-e PATH: ls found outside the PATH given: status $XRC"

step "exit statuses and their messages"
ex st7 sh -c 'exit 7'
[ "$XRC" -eq 7 ] || fail "exit 7: status $XRC"
ex sig sh -c 'kill -TERM $$'
[ "$XRC" -eq 143 ] || fail "killed by TERM: status $XRC"
ex nf rrs-no-such-program
[ "$XRC" -eq 127 ] || fail "not found: status $XRC"
want_lines "$RUN/nf.err" "not found" "rrctl: exec: rrs-no-such-program: command not found"
ex nx "$RUN/line"
[ "$XRC" -eq 126 ] || fail "not executable: status $XRC"
want_lines "$RUN/nx.err" "not executable" "rrctl: exec: $RUN/line: Permission denied"

step "exec -t: a terminal of its own, its keys, its Ctrl-C"
# shellcheck disable=SC2016 # for the inner shell
ex tty -t sh -c 'test -t 0 && test -t 1 && echo "tty $(ps -o stat= -p $$)"'
[ "$XRC" -eq 0 ] || fail "exec -t: status $XRC"
tr -d '\r' <"$RUN/tty.out" >"$RUN/tty.txt"
grep -Eq '^tty Ss\+' "$RUN/tty.txt" ||
	fail "exec -t: not a session leader in the foreground of its terminal ($(cat "$RUN/tty.txt"))"
# shellcheck disable=SC2016 # typed into the inner shell
printf 'echo "$((6 * 7))"\nexit 3\n' >"$RUN/keys"
chmod 644 "$RUN/keys"
XIN=$RUN/keys ex keys -t sh
[ "$XRC" -eq 3 ] || fail "exec -t sh with typed lines: status $XRC"
tr -d '\r' <"$RUN/keys.out" | grep -Eq '^(\$ )?42$' ||
	fail "exec -t sh: no line 42 in $(tr -d '\r' <"$RUN/keys.out" | tr '\n' '|')"
LAST_OUT=$RUN/ctrlc.out LAST_ERR=$RUN/ctrlc.err
rc=0
(sleep 1; printf '\003') | with_timeout 20 unpriv "$RRCTL" -s "$RUN/a.sock" \
	exec -t sleep 30 >"$LAST_OUT" 2>"$LAST_ERR" || rc=$?
[ "$rc" -eq 130 ] || fail "exec -t: Ctrl-C typed: status $rc, not 130"

step "SIGINT to rrctl reaches the program"
bg unpriv "$RRCTL" -s "$RUN/a.sock" exec sleep 30
int=$BG_PID
sleep 0.5
kill -INT "$int"
rc=0
wait_pid 5 "$int" || rc=$?
[ "$rc" -eq 130 ] || fail "rrctl after SIGINT: status $rc, not 130"

step "a program whose rrctl was killed gets SIGHUP"
inner_script hup.sh <<'EOF'
#!/bin/sh
trap 'echo hup >hup.got; exit 0' HUP
echo $$ >hup.pid
while :; do sleep 0.1; done
EOF
ex_bg hup
kill -KILL "$EXB_PID"
wait_file 5 "$RUN/hup.got" || fail "no SIGHUP after rrctl was killed"

step "the helper is the supervisor's child, not the program's"
helper=$(pgrep -x -P "$a" rrsandbox-exec || true)
[ -n "$helper" ] || fail "no rrsandbox-exec child of the supervisor $a"
prog=$(pgrep -x -P "$a" sleep || true)
[ -n "$prog" ] || fail "the program (sleep) is not the supervisor's child"
# its one child is the echo server a.sh started before exec
kids=$(pgrep -d, -P "$prog" || true)
[ "$kids" = "$(cat "$RUN/a.server")" ] ||
	fail "the program's children: $kids, not only the echo server"
[ "$(pgrep -c -x -P "$a" rrsandbox-exec || true)" -eq 1 ] ||
	fail "not exactly one helper: $(pgrep -a -x -P "$a" rrsandbox-exec)"

step "a job still running when the program exits ends with the tree"
inner_script long.sh <<'EOF'
#!/bin/sh
echo $$ >long.pid
exec sleep 60
EOF
ex_bg long
kill -TERM "$prog"
rc=0
wait_pid 10 "$EXB_PID" || rc=$?
[ "$rc" -eq 137 ] || fail "rrctl of a job killed with the tree: status $rc"
! pid_alive "$(cat "$RUN/long.pid")" || fail "the job outlived its sandbox"
rc=0
wait_pid 10 "$a" || rc=$?
[ "$rc" -eq 143 ] || fail "sandbox A, its program ended by TERM: status $rc"
! pid_alive "$helper" || fail "the helper outlived its sandbox"

step "--no-exec, and a program that has exited, refuse with 125"
bg unpriv "$RRS" --no-exec -s "$RUN/b.sock" -- sleep 30
b=$BG_PID
wait_sock 10 "$RUN/b.sock" "$b" || fail "sandbox B did not start"
! pgrep -x -P "$b" rrsandbox-exec >/dev/null || fail "--no-exec has a helper"
ex_refused b "--no-exec" \
	"rrctl: exec: true: the sandbox was started with --no-exec"
kill -TERM "$b"
wait_pid 10 "$b" || true
bg unpriv "$RRS" --wait-all -s "$RUN/c.sock" -- sh -c 'sleep 3 & exit 0'
c=$BG_PID
wait_sock 10 "$RUN/c.sock" "$c" || fail "sandbox C did not start"
sleep 0.5
ex_refused c "after the program's exit" \
	"rrctl: exec: true: the sandbox's program has exited"
wait_pid 10 "$c" || fail "sandbox C: status $?"

step "a helper stopped, then killed, from inside: its job runs on, new ones are refused"
bg unpriv "$RRS" -s "$RUN/d.sock" -- sleep 30
d=$BG_PID
wait_sock 10 "$RUN/d.sock" "$d" || fail "sandbox D did not start"
bg unpriv "$RRCTL" -s "$RUN/d.sock" exec sh -c 'sleep 2; exit 4'
job=$BG_PID
sleep 0.5
dhelper=$(pgrep -x -P "$d" rrsandbox-exec || true)
[ -n "$dhelper" ] || fail "sandbox D has no helper"
unpriv kill -STOP "$dhelper"
ex_refused d "a stopped helper" \
	"rrctl: $RUN/d.sock: the sandbox did not start the program within 10 s"
unpriv kill -KILL "$dhelper"
sleep 0.2
ex_refused d "a killed helper" \
	"rrctl: exec: true: the sandbox's helper (rrsandbox-exec) is gone"
rc=0
wait_pid 10 "$job" || rc=$?
[ "$rc" -eq 4 ] || fail "the job whose helper died: status $rc, not 4"
kill -TERM "$d"
rc=0
wait_pid 10 "$d" || rc=$?
[ "$rc" -eq 143 ] || fail "sandbox D: status $rc"
checks_done
