#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# neigh_monitor.sh - `ip monitor neigh` is told what the stack learns by
# itself, as Linux 6.x tells it: B's IPv4 and IPv6 entries REACHABLE
# once A's pings resolved them (not while INCOMPLETE), then B's IPv4 one
# deleted by hand (FAILED, then gone, as before).  A runs the
# same script in a sandbox (B a sandbox too) and in a network namespace
# (B a namespace); the monitors' lines must be the same.
#
#   A 10.0.9.1, fd00:9::1 ========== B 10.0.9.2, fd00:9::2
#
# Needs root for the namespace side (skips with 77 otherwise), ip and
# ping.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need ip ping sed diff

[ "$(id -u)" -eq 0 ] || skip "the Linux side needs root (ip netns add)"
stage_ping
ns_names nmon
routed_pair a b

# a.sh DIR TAG PING: the monitor while A pings B, then deletes an entry
inner_script a.sh <<'EOF'
#!/bin/sh
d=$1 t=$2 PING=$3
ip -o monitor neigh >"$d/$t.mon" 2>&1 &
m=$!
sleep 0.3
"$PING" -c 1 -W 3 10.0.9.2 >/dev/null && echo "ping 10.0.9.2 ok" >"$d/$t.out"
"$PING" -6 -c 1 -W 3 fd00:9::2 >/dev/null && echo "ping fd00:9::2 ok" >>"$d/$t.out"
sleep 0.5
ip neigh del 10.0.9.2 dev eth0
sleep 0.5
kill $m
wait $m 2>/dev/null
ip neigh show dev eth0 >>"$d/$t.out"
exit 0
EOF

step "sandboxes"
bg unpriv "$RRS" --no-control -c "$RUN/b.conf" -- sleep 20 >/dev/null 2>"$RUN/b-sb.err" </dev/null
b=$BG_PID
LAST_ERR=$RUN/a-sb.err
unpriv "$RRS" --no-control -c "$RUN/a.conf" -- sh "$RUN/a.sh" "$RUN" sb "$PING" \
	>"$RUN/a-sb.log" 2>"$RUN/a-sb.err" </dev/null || fail "sandbox A failed"
kill "$b" 2>/dev/null || true

step "namespaces"
ns_veth_pair
ip -n "$NS_A" addr add 10.0.9.1/24 dev eth0
ip -n "$NS_A" addr add fd00:9::1/64 dev eth0
ip -n "$NS_B" addr add 10.0.9.2/24 dev eth0
ip -n "$NS_B" addr add fd00:9::2/64 dev eth0
sleep 0.3
nsx sh "$RUN/a.sh" "$RUN" linux "$PING" >"$RUN/a-linux.log" 2>&1 || fail "namespace A failed"
ns_cleanup

for f in sb.out linux.out sb.mon linux.mon; do
	sed -E 's/lladdr [0-9a-f:]{17}/lladdr MAC/' "$RUN/$f" >"$RUN/$f.u"
done
bad=0
same_as_linux sb.out.u linux.out.u "pings and the table after" || bad=1
same_as_linux sb.mon.u linux.mon.u "neighbour monitor" || bad=1
[ "$bad" = 0 ] || fail "the sandbox's neighbour notifications are not Linux's"
LAST_OUT=$RUN/sb.mon
grep -q "^10.0.9.2 dev eth0 lladdr .* REACHABLE" "$RUN/sb.mon" ||
	fail "no RTM_NEWNEIGH for B's IPv4 address resolved"
grep -q "^fd00:9::2 dev eth0 lladdr .* REACHABLE" "$RUN/sb.mon" ||
	fail "no RTM_NEWNEIGH for B's IPv6 address resolved"
log "ok: $(grep -c . "$RUN/sb.mon") neighbour messages, as Linux's"
log "PASS"
