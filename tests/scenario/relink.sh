#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# relink.sh - a link removed and re-added at runtime with rrctl while pings
# run: the pings over it stop and resume; the pings over the other link,
# and a TCP connection on it, are not disturbed; `ip monitor` in A is told
# the device's configuration went and came (RTM_DELNETCONF, RTM_NEWNETCONF)
# before the device itself, as Linux tells it.
#
#            eth0 10.0.0.1/24           10.0.0.2/24
#   +-----------------------+  a0/b0   +---------------------+
#   | A: ping B (50 x 0.2s) |----------| B: answers; nc -l   |
#   |    ping C (50 x 0.2s) |          +---------------------+
#   |    nc to B, held open |  a1/c1   +---------------------+
#   +-----------------------+----------| C: answers          |
#            eth1 10.0.1.1/24           10.0.1.2/24
#   at ~3 s: rrctl link del eth1; at ~6 s: rrctl link add eth1 ... again

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need ping nc ip

stage_rrctl

# A copy without /usr/bin/ping's file capabilities: with those, execve()
# fails (EPERM) for a user whose bounding set is empty.
stage_ping

# The check that ping works at all, so a missing feature is named, not
# mistaken for a relink failure.
rrs_run 20 ping1 --no-control -- "$PING" -c 1 -W 2 127.0.0.1
expect_rc 0 "ping -c 1 127.0.0.1 in one sandbox"

eth1_add=(link add eth1 type link local "$RUN/a1.link" remote "$RUN/c1.link")
cat >"$RUN/a.conf" <<EOF
link add eth0 type link local $RUN/a0.link remote $RUN/b0.link
addr add 10.0.0.1/24 dev eth0
${eth1_add[*]}
addr add 10.0.1.1/24 dev eth1
EOF
cat >"$RUN/b.conf" <<EOF
link add eth0 type link local $RUN/b0.link remote $RUN/a0.link
addr add 10.0.0.2/24 dev eth0
EOF
cat >"$RUN/c.conf" <<EOF
link add eth0 type link local $RUN/c1.link remote $RUN/a1.link
addr add 10.0.1.2/24 dev eth0
EOF

inner_script b.sh <<'EOF'
#!/bin/sh
# one TCP connection, held for the whole run; its bytes are counted
nc -l 10.0.0.2 "$1" </dev/null >tcp.recv
EOF
inner_script a.sh <<'EOF'
#!/bin/sh
ip -o monitor link netconf >mon 2>&1 &
m=$!
"$2" -n -i 0.2 -c 50 -W 1 10.0.1.2 >pingC 2>pingC.err &
c=$!
# a byte a second over TCP to B across the whole run
i=0
while [ $i -lt 12 ]; do echo "tick $i"; i=$((i + 1)); sleep 1; done |
	nc -N 10.0.0.2 "$1" >/dev/null 2>tcp.err &
t=$!
"$2" -n -i 0.2 -c 50 -W 1 10.0.0.2 >pingB 2>pingB.err
b=$?
wait $c
wait $t || exit 12
kill $m
[ $b -eq 0 ] || exit 11
EOF

port=$(free_port)
bg unpriv "$RRS" --no-control -c "$RUN/b.conf" -- sh "$RUN/b.sh" "$port" \
	>"$RUN/b.out" 2>"$RUN/b.err" </dev/null
b=$BG_PID
bg unpriv "$RRS" --no-control -c "$RUN/c.conf" -- sleep 40 \
	>"$RUN/c.out" 2>"$RUN/c.err" </dev/null
c=$BG_PID
sleep 0.5
bg unpriv "$RRS" -s "$RUN/a.sock" -c "$RUN/a.conf" -- sh "$RUN/a.sh" "$port" "$PING" \
	>"$RUN/a.out" 2>"$RUN/a.err" </dev/null
a=$BG_PID

ctl() {
	local rc=0
	with_timeout 10 unpriv "$RRCTL" -s "$RUN/a.sock" "$@" >"$RUN/ctl.out" 2>"$RUN/ctl.err" || rc=$?
	LAST_OUT=$RUN/ctl.out LAST_ERR=$RUN/ctl.err
	[ "$rc" -eq 0 ] || fail "rrctl $*: status $rc"
}
sleep 3
step "rrctl link del eth1 while pings run"
ctl link del eth1
sleep 3
step "rrctl link add eth1 again"
ctl "${eth1_add[@]}"
ctl addr add 10.0.1.1/24 dev eth1
rc=0
wait_pid 40 "$a" || rc=$?
LAST_OUT=$RUN/pingB LAST_ERR=$RUN/a.err
if [ "$rc" -eq 11 ]; then
	missing=$(for i in $(seq 1 50); do
		grep -q "icmp_seq=$i " "$RUN/pingB" || printf '%s ' "$i"
	done)
	log "pings to B unanswered: ${missing:-none}"
fi
[ "$rc" -eq 0 ] || fail "sandbox A: status $rc (11: pings to B lost, 12: TCP to B broke)"
wait_pid 20 "$b" || fail "sandbox B did not end with the TCP connection"

# seqs answered by C, in order
mapfile -t seqs < <(sed -n 's/.*icmp_seq=\([0-9]*\) .*/\1/p' "$RUN/pingC")
LAST_OUT=$RUN/pingC LAST_ERR=$RUN/pingC.err
[ "${#seqs[@]}" -gt 0 ] || fail "no ping to C was answered"
first=${seqs[0]} last=${seqs[${#seqs[@]} - 1]}
gap=0
for ((i = 1; i < ${#seqs[@]}; i++)); do
	d=$((seqs[i] - seqs[i - 1]))
	[ $d -gt $gap ] && gap=$d
done
log "pings to C: ${#seqs[@]} of 50 answered, first $first, last $last, largest gap $gap"
[ "$first" -le 10 ] || fail "pings to C did not start before the link went"
[ "$gap" -ge 10 ] || fail "pings to C did not stop while the link was gone (largest gap $gap)"
[ "$last" -ge 45 ] || fail "pings to C did not resume after the link came back (last $last)"
grep -q ' 0% packet loss' "$RUN/pingB" || { LAST_OUT=$RUN/pingB; fail "pings to B lost packets"; }
log "ok: pings to B: 0% loss"
[ "$(grep -c tick "$RUN/tcp.recv")" -eq 12 ] || { LAST_OUT=$RUN/tcp.recv; fail "TCP to B lost data"; }
log "ok: TCP to B: all 12 lines"

# ip -o monitor link netconf in A: the first line matching each, in order
LAST_OUT=$RUN/mon LAST_ERR=
at=0
for re in '^Deleted inet (eth1|if[0-9]+) *$' '^Deleted inet6 (eth1|if[0-9]+) *$' \
	'^Deleted [0-9]+: eth1[:@]' '^inet eth1 forwarding on rp_filter off ' \
	'^inet6 eth1 forwarding on proxy_neigh off ' '^[0-9]+: eth1[:@]'; do
	n=$(tail -n +$((at + 1)) "$RUN/mon" | grep -n -m 1 -E "$re" | cut -d: -f1)
	[ -n "$n" ] || fail "ip monitor: no '$re' after line $at"
	at=$((at + n))
done
log "ok: ip monitor: eth1's netconf went before it, and came before it again"
log "PASS"
