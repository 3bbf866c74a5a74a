#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# capture.sh - `rrctl capture DEV`: a live pcap stream of a sandbox's
# device on rrctl's stdout, for tcpdump -r - (tcpdump -i cannot capture
# inside: no mmap rings).
#
#   A: rrsandbox -s a.sock -c a.conf -- sleep     eth0 10.7.0.1/24
#   B: rrsandbox -s b.sock -c b.conf -- sleep     eth0 10.7.0.2/24, d0 dummy
#   A and B on one link; rrctl and tcpdump run unprivileged on the host.
#
# Checked: `rrctl capture eth0 | tcpdump -n -c 6 -r -` shows A's pings to
# B while they still run (live, not at the end), and rrctl exits 0 as soon
# as tcpdump has gone ("its reader went away"); into a file, SIGINT stops
# it with status 0 and its count on stderr, which is the file's count of
# records; beside it, `capture eth0 icmp and src host 10.7.0.1` takes the
# three echo requests only; an unknown device, a filter that does not
# compile, stdout /dev/null, or a terminal without tcpdump installed are
# refused (1, 1, 1, 2) with their messages; at a terminal (script(1))
# rrctl shows the stream with tcpdump, and a typed ^C ends both (0) with
# every frame shown and no error from tcpdump; removing the device ends the capture
# with 1 ("the device was removed"); a reader that never reads makes the
# supervisor drop frames (counted) and never wait: 20 MB from A to B
# arrive whole meanwhile; the supervisor's open fds are back to where
# they were.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need tcpdump socat head

stage_rrctl
stage_ping
port=$(free_port)

cat >"$RUN/a.conf" <<EOF
link add eth0 type link local $RUN/a.link remote $RUN/b.link
addr add 10.7.0.1/24 dev eth0
EOF
cat >"$RUN/b.conf" <<EOF
link add eth0 type link local $RUN/b.link remote $RUN/a.link
addr add 10.7.0.2/24 dev eth0
link add d0 type dummy
EOF
chmod 644 "$RUN/a.conf" "$RUN/b.conf"

bg unpriv "$RRS" -s "$RUN/a.sock" -c "$RUN/a.conf" -- sleep 600 \
	>"$RUN/a.out" 2>"$RUN/a.err"
a=$BG_PID
bg unpriv "$RRS" -s "$RUN/b.sock" -c "$RUN/b.conf" -- sleep 600 \
	>"$RUN/b.out" 2>"$RUN/b.err"
b=$BG_PID
wait_sock 10 "$RUN/a.sock" "$a" || fail "sandbox A did not start"
wait_sock 10 "$RUN/b.sock" "$b" || fail "sandbox B did not start"
# fds_of PID [PATTERN]: how many fds PID has (whose link matches PATTERN)
fds_of() {
	local f n=0
	for f in "/proc/$1/fd/"*; do
		[[ "$(readlink "$f" 2>/dev/null)" =~ ${2:-.} ]] && n=$((n + 1))
	done
	echo "$n"
}
# same_fds PID BEFORE [PATTERN]: wait up to 5 s for PID's fds to be
# BEFORE; else list them in $RUN/fds.txt (for bad())
same_fds() {
	local i f
	for ((i = 0; i < 50; i++)); do
		[ "$(fds_of "$1" "${3:-}")" -eq "$2" ] && return 0
		sleep 0.1
	done
	for f in "/proc/$1/fd/"*; do
		echo "${f##*/} $(readlink "$f" 2>/dev/null)"
	done >"$RUN/fds.txt"
	return 1
}
# B's first exec opens what the helper of every later one needs
with_timeout 20 unpriv "$RRCTL" -s "$RUN/b.sock" exec true ||
	fail "rrctl exec true in B failed"
# what a capture may hold: its control connection, and a pipe, socket or
# file of the work dir for its stream (pidfds and /proc/PID/fd come and go
# with the sandbox's processes, netstack's "fd lookup")
capfds="^(pipe:|socket:|$WORK/)"
fds_before=$(fds_of "$b" "$capfds")

# rrctl_b ARGS...: rrctl on B as the unprivileged user
rrctl_b() { "${UNPRIV_CMD[@]}" "$RRCTL" -s "$RUN/b.sock" "$@"; }

# started FILE: wait until FILE holds at least the pcap header
started() {
	local i
	for ((i = 0; i < 50; i++)); do
		[ "$(stat -c %s "$1" 2>/dev/null || echo 0)" -ge 24 ] && return 0
		sleep 0.1
	done
	return 1
}

step "live: rrctl capture eth0 | tcpdump -c 6 -r - while A pings B"
(
	set +e
	"${UNPRIV_CMD[@]}" "$RRCTL" -s "$RUN/b.sock" capture eth0 2>"$RUN/live.err" |
		"${UNPRIV_CMD[@]}" tcpdump -l -n -c 6 -r - >"$RUN/live.out" 2>"$RUN/live.td"
	echo "${PIPESTATUS[0]} ${PIPESTATUS[1]}" >"$RUN/live.rc"
) &
live=$!
RRS_BG_PIDS+=("$live")
for ((i = 0; i < 50; i++)); do
	grep -q 'reading from file -' "$RUN/live.td" 2>/dev/null && break
	sleep 0.1
done
grep -q 'reading from file -' "$RUN/live.td" ||
	bad "tcpdump did not get the stream's header within 5 s" live.td live.err
bg unpriv "$RRCTL" -s "$RUN/a.sock" exec "$PING" -c 25 -i 0.2 10.7.0.2 \
	>"$RUN/ping.out" 2>&1
pinger=$BG_PID
wait_pid 5 "$live" || bad "the capture pipeline did not end within 5 s" live.td live.err
if pid_alive "$pinger"; then
	log "ok: tcpdump had its 6 packets while the pings still ran"
else
	bad "the pings ended before the capture pipeline did: not live" live.out
fi
wait_pid 15 "$pinger" || true
LAST_OUT=$RUN/live.out LAST_ERR=$RUN/live.err
grep -q '10\.7\.0\.1 > 10\.7\.0\.2: ICMP echo request' "$RUN/live.out" ||
	bad "no echo request from A in B's live capture" live.out live.td
grep -q '10\.7\.0\.2 > 10\.7\.0\.1: ICMP echo reply' "$RUN/live.out" ||
	bad "no echo reply from B in its live capture" live.out
[ "$(cat "$RUN/live.rc" 2>/dev/null)" = "0 0" ] ||
	bad "rrctl capture | tcpdump -c 6: statuses '$(cat "$RUN/live.rc" 2>/dev/null)', want '0 0'" live.err
grep -q '^rrctl: capture on eth0 ended: its reader went away ([0-9]* frames, 0 dropped)$' \
	"$RUN/live.err" || bad "rrctl did not say its reader went away" live.err
log "ok: live capture through tcpdump, rrctl ends with its reader"

step "into a file, stopped by SIGINT: the count on stderr is the file's; a filter"
bg unpriv "$RRCTL" -s "$RUN/b.sock" capture eth0 >"$RUN/cap.pcap" 2>"$RUN/cap.err"
cap=$BG_PID
bg unpriv "$RRCTL" -s "$RUN/b.sock" capture eth0 icmp and src host 10.7.0.1 \
	>"$RUN/req.pcap" 2>"$RUN/req.err"
req=$BG_PID
started "$RUN/cap.pcap" || bad "no pcap header in the file within 5 s" cap.err
started "$RUN/req.pcap" || bad "no pcap header in the filtered file within 5 s" req.err
with_timeout 20 unpriv "$RRCTL" -s "$RUN/a.sock" exec "$PING" -c 3 -i 0.2 10.7.0.2 \
	>"$RUN/ping3.out" 2>&1 || bad "ping from A to B failed" ping3.out
sleep 0.2
kill -INT "$cap" "$req"
rc=0
wait_pid 5 "$cap" || rc=$?
[ "$rc" -eq 0 ] || bad "rrctl capture stopped by SIGINT: status $rc, want 0" cap.err
rc=0
wait_pid 5 "$req" || rc=$?
[ "$rc" -eq 0 ] || bad "the filtered capture stopped by SIGINT: status $rc, want 0" req.err
# the filter ran in the sandbox: the file and the count hold the three
# echo requests only
n=$(tcpdump -n -r "$RUN/req.pcap" 2>/dev/null | tee "$RUN/req.txt" | wc -l)
m=$(grep -c '10\.7\.0\.1 > 10\.7\.0\.2: ICMP echo request' "$RUN/req.txt" || true)
[ "$n" -eq 3 ] && [ "$m" -eq 3 ] &&
	grep -qx 'rrctl: capture on eth0: 3 frames, 0 dropped' "$RUN/req.err" ||
	bad "capture eth0 icmp and src host 10.7.0.1: $n records ($m requests), want the 3 requests" req.txt req.err
frames=$(sed -n 's/^rrctl: capture on eth0: \([0-9]*\) frames, 0 dropped$/\1/p' "$RUN/cap.err")
records=$(tcpdump -n -r "$RUN/cap.pcap" 2>/dev/null | wc -l)
requests=$(tcpdump -n -r "$RUN/cap.pcap" 'icmp[icmptype] = icmp-echo' 2>/dev/null | wc -l)
replies=$(tcpdump -n -r "$RUN/cap.pcap" 'icmp[icmptype] = icmp-echoreply' 2>/dev/null | wc -l)
log "file: $records records, rrctl said '${frames:-?}' frames; $requests requests, $replies replies"
[ -n "$frames" ] && [ "$frames" -eq "$records" ] ||
	bad "rrctl's count (${frames:-none}) is not the file's $records records" cap.err
[ "$requests" -eq 3 ] && [ "$replies" -eq 3 ] ||
	bad "the file holds $requests echo requests and $replies replies, want 3 and 3"

step "refused: an unknown device, a bad filter, /dev/null, a terminal without tcpdump"
rc=0
rrctl_b capture eth9 >"$RUN/e1.pcap" 2>"$RUN/e1.err" || rc=$?
[ "$rc" -eq 1 ] && grep -qx "rrctl: capture: eth9: no device 'eth9'" "$RUN/e1.err" ||
	bad "capture eth9: status $rc, want 1 and 'no device'" e1.err
[ ! -s "$RUN/e1.pcap" ] || bad "capture eth9 wrote to its stdout"
rc=0
rrctl_b capture eth0 tcp port >"$RUN/e4.pcap" 2>"$RUN/e4.err" || rc=$?
[ "$rc" -eq 1 ] && grep -q "^rrctl: capture: eth0: filter 'tcp port': .*syntax error" \
	"$RUN/e4.err" || bad "capture with a bad filter: status $rc, want 1 and libpcap's reason" e4.err
rc=0
rrctl_b capture eth0 >/dev/null 2>"$RUN/e2.err" || rc=$?
[ "$rc" -eq 1 ] && grep -qx "rrctl: capture: eth0: not a pipe, a stream socket or a regular file" \
	"$RUN/e2.err" || bad "capture to /dev/null: status $rc, want 1 and why" e2.err
if command -v script >/dev/null; then
	rc=0
	with_timeout 20 unpriv script -qec "env PATH=/nonexistent $RRCTL -s $RUN/b.sock capture eth0" \
		/dev/null >"$RUN/e3.out" 2>&1 </dev/null || rc=$?
	[ "$rc" -eq 2 ] && grep -q "stdout is a terminal and tcpdump is not installed" "$RUN/e3.out" ||
		bad "capture to a terminal without tcpdump: status $rc, want 2 and why" e3.out

	step "at a terminal: tcpdump shows it; a typed Ctrl-C ends both, every frame shown"
	# script(1) gives rrctl a terminal (its sh -c execs rrctl, so the
	# status is rrctl's); the ^C written to it after 3 s is the
	# terminal's SIGINT for rrctl's process group
	(
		set +e
		(sleep 3; printf '\003'; sleep 2) |
			with_timeout 20 unpriv script -qec \
			"exec $RRCTL -s $RUN/b.sock capture eth0 icmp" /dev/null \
			>"$RUN/tty.out" 2>&1
		echo "${PIPESTATUS[1]}" >"$RUN/tty.rc"
	) &
	tty=$!
	RRS_BG_PIDS+=("$tty")
	sleep 1
	with_timeout 20 unpriv "$RRCTL" -s "$RUN/a.sock" exec "$PING" -c 2 -i 0.2 10.7.0.2 \
		>"$RUN/ping4.out" 2>&1 || bad "ping from A to B failed" ping4.out
	wait_pid 15 "$tty" || bad "rrctl capture at a terminal did not end within 15 s" tty.out
	tr -d '\r' <"$RUN/tty.out" >"$RUN/tty.txt"
	n=$(grep -c '10\.7\.0\.[12] > 10\.7\.0\.[12]: ICMP echo re' "$RUN/tty.txt" || true)
	[ "$(cat "$RUN/tty.rc" 2>/dev/null)" = 0 ] && [ "$n" -eq 4 ] &&
		grep -q 'rrctl: capture on eth0: 4 frames, 0 dropped$' "$RUN/tty.txt" &&
		! grep -q 'tcpdump: ' "$RUN/tty.txt" ||
		bad "at a terminal: status $(cat "$RUN/tty.rc" 2>/dev/null), $n ICMP lines from tcpdump, want 0, 4, the count and no tcpdump error" tty.txt
else
	echo "SKIP-PART: capture.sh: script(1) missing, rrctl capture at a terminal is not checked" >&2
fi

step "the device is removed: the capture ends with 1"
(
	set +e
	"${UNPRIV_CMD[@]}" "$RRCTL" -s "$RUN/b.sock" capture d0 2>"$RUN/d0.err" |
		cat >"$RUN/d0.pcap"
	echo "${PIPESTATUS[0]}" >"$RUN/d0.rc"
) &
d0=$!
RRS_BG_PIDS+=("$d0")
started "$RUN/d0.pcap" || bad "no pcap header from d0's capture within 5 s" d0.err
rrctl_b link del d0 >"$RUN/del.out" 2>&1 || bad "link del d0 failed" del.out
wait_pid 5 "$d0" || bad "d0's capture did not end within 5 s of its removal" d0.err
[ "$(cat "$RUN/d0.rc" 2>/dev/null)" = 1 ] ||
	bad "capture of a removed device: status '$(cat "$RUN/d0.rc" 2>/dev/null)', want 1" d0.err
grep -qx 'rrctl: capture on d0 ended: the device was removed (0 frames, 0 dropped)' \
	"$RUN/d0.err" || bad "rrctl did not say the device was removed" d0.err

same_fds "$b" "$fds_before" "$capfds" ||
	bad "after the captures B's supervisor holds $(fds_of "$b" "$capfds") pipes, sockets and files, $fds_before before" fds.txt
# the stream's own fd is a pipe's or a file's, and the next check counts
# only those: the 20 MB burst makes eth0 open a socket of its own, kept,
# to wait for room at A's end of the link
files_before=$(fds_of "$b" "^(pipe:|$WORK/)")

step "a reader that never reads: frames dropped and counted, traffic unhurt"
mkfifo "$RUN/slow.fifo"
chmod 666 "$RUN/slow.fifo"
(exec sleep 60 <"$RUN/slow.fifo") &
reader=$!
RRS_BG_PIDS+=("$reader")
(exec "${UNPRIV_CMD[@]}" "$RRCTL" -s "$RUN/b.sock" capture eth0 \
	>"$RUN/slow.fifo" 2>"$RUN/slow.err") &
slow=$!
RRS_BG_PIDS+=("$slow")
bg unpriv "$RRCTL" -s "$RUN/b.sock" exec socat -u \
	"TCP4-LISTEN:$port,bind=10.7.0.2,reuseaddr" "OPEN:$RUN/recv.bin,creat,trunc" \
	>"$RUN/srv.out" 2>&1
srv=$BG_PID
sleep 0.5
t0=$(date +%s%N)
with_timeout 30 unpriv "$RRCTL" -s "$RUN/a.sock" exec sh -c \
	"head -c 20000000 /dev/zero | socat -u - TCP4:10.7.0.2:$port" \
	>"$RUN/cli.out" 2>&1 || bad "the 20 MB transfer from A failed" cli.out
wait_pid 10 "$srv" || bad "B's socat did not end after the transfer" srv.out
t1=$(date +%s%N)
size=$(stat -c %s "$RUN/recv.bin" 2>/dev/null || echo 0)
log "20 MB through A -> B in $(((t1 - t0) / 1000000)) ms with a stalled capture"
[ "$size" -eq 20000000 ] || bad "B received $size bytes of 20000000" srv.out
kill -TERM "$reader"
rc=0
wait_pid 5 "$slow" || rc=$?
[ "$rc" -eq 0 ] || bad "the stalled capture: status $rc after its reader went, want 0" slow.err
dropped=$(sed -n 's/^rrctl: capture on eth0 ended: its reader went away ([0-9]* frames, \([0-9]*\) dropped)$/\1/p' \
	"$RUN/slow.err")
log "stalled capture: $(cat "$RUN/slow.err")"
[ -n "$dropped" ] && [ "$dropped" -gt 0 ] ||
	bad "frames the reader could not take were not counted as dropped" slow.err

same_fds "$b" "$files_before" "^(pipe:|$WORK/)" ||
	bad "B's supervisor holds $(fds_of "$b" "^(pipe:|$WORK/)") pipes and files, $files_before before the stalled capture" fds.txt
pid_alive "$b" && pid_alive "$a" || bad "a supervisor ended" a.err b.err
checks_done
log "ok: rrctl capture"
