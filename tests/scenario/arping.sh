#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# arping.sh - iputils' arping (AF_PACKET SOCK_DGRAM sockets, ARP built by
# the program) between two sandboxes on one link, unprivileged: A's ARP
# requests get B's replies from B's MAC, duplicate address detection
# (arping -D, from 0.0.0.0) finds B's address taken and a free one free,
# and B's neighbour table learns A from A's requests, as Linux's
# arp_process() does for a request to one of its addresses.
#
#   A: eth0 10.1.0.1/24 ------ link ------ B: eth0 10.1.0.2/24
#   arping -c 2 10.1.0.2      -> 2 replies from B's MAC
#   arping -D -c 2 10.1.0.2   -> exit 1 (in use)
#   arping -D -c 2 10.1.0.77  -> exit 0 (free)
#   B: ip neigh show 10.1.0.1 -> A's MAC

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need arping ip
arping -V 2>&1 | grep -q iputils ||
	skip "arping is not iputils' (Debian package iputils-arping)"

stage_bin arping

cat >"$RUN/a.conf" <<CONF
link add eth0 type link local $RUN/a.link remote $RUN/b.link
addr add 10.1.0.1/24 dev eth0
CONF
cat >"$RUN/b.conf" <<CONF
link add eth0 type link local $RUN/b.link remote $RUN/a.link
addr add 10.1.0.2/24 dev eth0
CONF

# b.sh RUN: B's MAC into bmac, then, once A is done, its neighbours
inner_script b.sh <<'SCRIPT'
#!/bin/sh
run=$1
ip -o link show eth0 | sed 's/.*link\/ether \([^ ]*\).*/\1/' >"$run/bmac"
i=0
while [ ! -e "$run/a.done" ] && [ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
ip neigh show 10.1.0.1 dev eth0 >"$run/bneigh.out" 2>&1
SCRIPT

# a.sh ARPING: one line per step, and A's MAC
inner_script a.sh <<'SCRIPT'
#!/bin/sh
arping=$1
"$arping" -c 2 -w 5 -I eth0 10.1.0.2 >ping.out 2>&1
echo "ping rc=$?"
"$arping" -D -c 2 -w 5 -I eth0 10.1.0.2 >dad.out 2>&1
echo "dad taken rc=$?"
"$arping" -D -c 2 -w 5 -I eth0 10.1.0.77 >free.out 2>&1
echo "dad free rc=$?"
ip -o link show eth0 | sed 's/.*link\/ether \([^ ]*\).*/mac \1/'
SCRIPT

bg unpriv "$RRS" --no-control -c "$RUN/b.conf" -- sh "$RUN/b.sh" "$RUN" >"$RUN/b.out" 2>"$RUN/b.err"
b=$BG_PID
wait_file 10 "$RUN/bmac" || true
bmac=$(cat "$RUN/bmac" 2>/dev/null || true)
[ -n "$bmac" ] || { LAST_OUT=$RUN/b.out LAST_ERR=$RUN/b.err; fail "B did not start"; }

step "arping from A to B ($bmac)"
cd "$RUN"
rrs_run 60 a --no-control -c "$RUN/a.conf" -- sh "$RUN/a.sh" "$WORK/bin/arping"
expect_rc 0 "A's arping script"
: >"$RUN/a.done"
out=$LAST_OUT
grep -qx "ping rc=0" "$out" || { LAST_OUT=$RUN/ping.out; fail "arping 10.1.0.2 failed"; }
n=$(grep -ci "reply from 10\.1\.0\.2 \[$bmac\]" "$RUN/ping.out" || true)
[ "$n" -eq 2 ] || { LAST_OUT=$RUN/ping.out; fail "arping: $n replies from B's MAC $bmac, expected 2"; }
log "ok: two ARP replies from B's MAC"
grep -qx "dad taken rc=1" "$out" || { LAST_OUT=$RUN/dad.out; fail "arping -D 10.1.0.2: not found in use"; }
log "ok: arping -D finds 10.1.0.2 in use"
grep -qx "dad free rc=0" "$out" || { LAST_OUT=$RUN/free.out; fail "arping -D 10.1.0.77: not found free"; }
log "ok: arping -D finds 10.1.0.77 free"
amac=$(sed -n 's/^mac //p' "$out")

step "B learnt A ($amac) from its requests"
wait "$b" 2>/dev/null || true
grep -qi "^10\.1\.0\.1 .*lladdr $amac" "$RUN/bneigh.out" ||
	{ LAST_OUT=$RUN/bneigh.out; fail "B's neighbour table has no 10.1.0.1 at $amac"; }
log "ok: B's neighbour table has 10.1.0.1 at A's MAC"
log "PASS"
