#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# vrrp.sh - keepalived's VRRP between two sandboxes on a shared segment,
# with a client in a third: A (priority 150) becomes master of the
# virtual address 10.0.0.100 and B (100) its backup; C pings the address
# and learns A's MAC for it.  A's keepalived is stopped (SIGTERM to its
# rrsandbox, forwarded: it gives up with a priority 0 advertisement); B
# takes over, adds the address and announces it with gratuitous ARPs,
# which keepalived sends on an AF_PACKET socket.  C's neighbour entry for
# 10.0.0.100 must turn to B's MAC by those alone (C sends no ARP request
# meanwhile: its entry stays reachable), and C's pings go on, now answered
# by B.  VRRP itself is protocol 112 on raw IP sockets to 224.0.0.18.
#
#   A: eth0 10.0.0.1  ---+--- B: eth0 10.0.0.2        (one shared link)
#      keepalived 150    |       keepalived 100
#                        +--- C: eth0 10.0.0.3: ping 10.0.0.100, ip neigh

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need ip keepalived
stage_rrctl
stage_ping
KA=$(command -v keepalived)
VIP=10.0.0.100

for i in 1 2 3; do
	{
		printf 'link add eth0 type link local %s/l%s.link' "$RUN" "$i"
		for j in 1 2 3; do
			[ "$j" = "$i" ] || printf ' remote %s/l%s.link' "$RUN" "$j"
		done
		printf '\naddr add 10.0.0.%s/24 dev eth0\n' "$i"
	} >"$RUN/net$i.conf"
done
for i in 1 2; do
	cat >"$RUN/ka$i.conf" <<EOF
global_defs {
	router_id sandbox$i
	enable_script_security
}
vrrp_instance V1 {
	state BACKUP
	interface eth0
	virtual_router_id 51
	priority $((200 - 50 * i))
	advert_int 1
	virtual_ipaddress {
		$VIP/24
	}
}
EOF
done
chmod 644 "$RUN"/*.conf

# c.sh: ping the virtual address until it answers, note its MAC; once the
# host says A is gone, wait for the MAC to change without asking (no ping
# meanwhile), then ping again.
inner_script c.sh <<EOF
#!/bin/sh
mac() { ip neigh show $VIP dev eth0 | sed -n 's/.* lladdr \([0-9a-f:]*\).*/\1/p'; }
n=0
until $PING -c 1 -W 1 $VIP >/dev/null 2>&1; do
	n=\$((n + 1)); [ \$n -lt 60 ] || { echo "no answer from $VIP" >c.fail; exit 1; }
done
mac >mac1
ip neigh show $VIP >neigh1
while [ ! -e phase2 ]; do sleep 0.1; done
n=0
while [ "\$(mac)" = "\$(cat mac1)" ]; do
	n=\$((n + 1)); [ \$n -lt 100 ] || { ip neigh show >neigh2; echo "MAC unchanged after 10 s" >c.fail; exit 1; }
	sleep 0.1
done
mac >mac2
ip neigh show $VIP >neigh2
$PING -c 3 -i 0.3 -W 1 $VIP >ping2 2>&1 || { echo "no answer after the take-over" >c.fail; exit 1; }
echo ok >c.ok
while [ ! -e stop ]; do sleep 0.2; done
EOF

start=$SECONDS
for i in 1 2; do
	bg unpriv "$RRS" -c "$RUN/net$i.conf" -s "$RUN/s$i.sock" -- \
		"$KA" -n -l -D -P -f "$RUN/ka$i.conf" -p "$RUN/k$i.pid" -r "$RUN/v$i.pid" \
		>"$RUN/ka$i.log" 2>&1 </dev/null
	eval "s$i=\$BG_PID"
done
bg unpriv "$RRS" --no-control -c "$RUN/net3.conf" -- sh "$RUN/c.sh" \
	>"$RUN/c.out" 2>&1 </dev/null
c=$BG_PID

# wait_log SECS FILE PATTERN: until FILE has a line matching PATTERN
wait_log() {
	local n=$(($1 * 10))
	while ! grep -q "$3" "$2" 2>/dev/null; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || return 1
		sleep 0.1
	done
}

step "A becomes master of $VIP, B its backup"
LAST_OUT=$RUN/ka1.log LAST_ERR=$RUN/ka2.log
wait_log 30 "$RUN/ka1.log" '(V1) Entering MASTER STATE' || fail "A never became master"
wait_log 10 "$RUN/ka2.log" '(V1) Entering BACKUP STATE' || fail "B is not backup"
grep -q 'Sending gratuitous ARP on eth0 for '"$VIP" "$RUN/ka1.log" ||
	fail "A sent no gratuitous ARP for $VIP"
log "ok: A master after $((SECONDS - start)) s"
# eth_mac SOCK: eth0's MAC from `show links` (its link/ether line)
eth_mac() {
	with_timeout 10 unpriv "$RRCTL" -s "$1" show links |
		awk '/^[0-9]+: eth0:/ { f = 1 } f && /link\/ether/ { print $2; exit }'
}
macA=$(eth_mac "$RUN/s1.sock")
macB=$(eth_mac "$RUN/s2.sock")
[ -n "$macA" ] && [ -n "$macB" ] || fail "no MACs in 'show links' (A '$macA', B '$macB')"
with_timeout 10 unpriv "$RRCTL" -s "$RUN/s1.sock" show addrs >"$RUN/addrs1" 2>&1 || true
LAST_OUT=$RUN/addrs1
grep -q "$VIP/24" "$RUN/addrs1" || fail "A does not hold $VIP"

step "C reaches $VIP at A's MAC"
LAST_OUT=$RUN/c.out LAST_ERR=
wait_file 40 "$RUN/mac1" || fail "C: $(cat "$RUN/c.fail" 2>/dev/null || echo 'no answer')"
[ "$(cat "$RUN/mac1")" = "$macA" ] ||
	fail "C has $VIP at $(cat "$RUN/mac1"), not A's $macA"
log "ok: $(cat "$RUN/neigh1")"

step "A's keepalived stops; B takes over and announces $VIP"
t0=$SECONDS
kill -TERM "$s1"
wait_pid 20 "$s1" || true
LAST_OUT=$RUN/ka2.log LAST_ERR=$RUN/ka1.log
wait_log 15 "$RUN/ka2.log" '(V1) Entering MASTER STATE' || fail "B never became master"
grep -q 'Sending gratuitous ARP on eth0 for '"$VIP" "$RUN/ka2.log" ||
	fail "B sent no gratuitous ARP for $VIP"
touch "$RUN/phase2"
LAST_OUT=$RUN/c.out LAST_ERR=
wait_file 20 "$RUN/c.ok" || fail "C: $(cat "$RUN/c.fail" 2>/dev/null || echo 'no result') ($(cat "$RUN/neigh2" 2>/dev/null))"
[ "$(cat "$RUN/mac2")" = "$macB" ] ||
	fail "C has $VIP at $(cat "$RUN/mac2") after the take-over, not B's $macB"
with_timeout 10 unpriv "$RRCTL" -s "$RUN/s2.sock" show addrs >"$RUN/addrs2" 2>&1 || true
LAST_OUT=$RUN/addrs2
grep -q "$VIP/24" "$RUN/addrs2" || fail "B does not hold $VIP"
log "ok: B master, C's entry $(cat "$RUN/neigh2") within $((SECONDS - t0)) s; pings answered"
sed 's/^/    /' "$RUN/ping2" >&2

touch "$RUN/stop"
wait_pid 20 "$c" || fail "C's sandbox exited with an error"
kill -TERM "$s2"
wait_pid 20 "$s2" || true
log "PASS in $((SECONDS - start)) s"
