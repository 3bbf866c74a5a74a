#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# ra_neigh.sh - what a host learns of a router from the source link-layer
# address option of its advertisements, as Linux 6.x learns it
# (ndisc_router_discovery()'s ndisc_update(): NUD_STALE, weak override):
# R sends hand-made RAs (router lifetime 0, from Python's raw ICMPv6
# socket), H shows `ip -6 neigh` and `ip -6 addr` after each, and
# `ip -o -6 monitor neigh` runs throughout:
#   0  option 02:00:00:00:00:0a       the router's entry, STALE, router
#   1  option ...:0b                  the new address, STALE again
#   2  option ...:0b again            nothing changes, nothing is told
#   3  an option 16 bytes long and    Linux stops there ("invalid
#      a prefix fd00::/64 (A)         link-layer address length"): no
#                                     address from the prefix
#   4  option ...:0b and the prefix   the address comes
#   then H makes the entry permanent (...:0c)
#   5  option ...:0d                  a permanent entry is not touched
# The same runs in two sandboxes (as the unprivileged user) and in two
# network namespaces (as root); the outputs must be the same.
#
#   R: eth0, Python sending RAs  ==========  H: eth0 (--no-forward)
#
# Needs root for the namespace side (skips with 77 otherwise), python3
# and ip.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need ip sed diff "$PY"

[ "$(id -u)" -eq 0 ] || skip "the Linux side needs root (ip netns add)"
ns_names ranb

cat >"$RUN/r.conf" <<EOF
link add eth0 type link local $RUN/r.link remote $RUN/h.link
EOF
cat >"$RUN/h.conf" <<EOF
link add eth0 type link local $RUN/h.link remote $RUN/r.link
EOF
chmod 644 "$RUN/r.conf" "$RUN/h.conf"

# r.py DIR TAG: each RA in turn, sent once H saw the one before
inner_script r.py <<'EOF'
import os, socket, struct, sys, time

d, tag = sys.argv[1], sys.argv[2]
idx = socket.if_nametoindex("eth0")
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, idx)

def mac(last):
    return bytes([2, 0, 0, 0, 0, last])

def sllao(addr, units=1):
    o = bytes([1, units]) + addr
    return o + bytes(units * 8 - len(o))

# prefix information: fd00::/64, on-link and autonomous, 86400/14400 s
PIO = struct.pack("!BBBBIII", 3, 4, 64, 0xc0, 86400, 14400, 0) + \
    socket.inet_pton(socket.AF_INET6, "fd00::")

STEPS = [sllao(mac(0x0a)), sllao(mac(0x0b)), sllao(mac(0x0b)),
         sllao(mac(0x0b), 2) + PIO, sllao(mac(0x0b)) + PIO,
         sllao(mac(0x0d))]

def wait(path):
    end = time.monotonic() + 20
    while not os.path.exists(path):
        if time.monotonic() > end:
            sys.exit("r.py: no " + path)
        time.sleep(0.05)

wait(f"{d}/{tag}.ready")
for k, opts in enumerate(STEPS):
    # type 134, code 0, checksum (the kernel's), hop limit 64, no flags,
    # router lifetime 0, reachable and retransmit times unspecified
    ra = struct.pack("!BBHBBHII", 134, 0, 0, 64, 0, 0, 0, 0) + opts
    s.sendto(ra, ("ff02::1", 0, 0, idx))
    open(f"{d}/{tag}.sent.{k}", "w").close()
    wait(f"{d}/{tag}.seen.{k}")
EOF

# h.sh DIR TAG: the views after each RA; the entry made permanent after
# the fifth
inner_script h.sh <<'EOF'
#!/bin/sh
d=$1 t=$2
ip -o -6 monitor neigh >"$d/$t.mon" 2>&1 &
m=$!
sleep 0.3
echo 1 >"$d/$t.ready"
for k in 0 1 2 3 4 5; do
	n=0
	until [ -e "$d/$t.sent.$k" ]; do
		n=$((n + 1)); [ $n -lt 400 ] || break
		sleep 0.05
	done
	if [ $k = 4 ]; then	# until the address from the prefix shows
		n=0
		until ip -6 addr show dev eth0 | grep -q "inet6 fd00::"; do
			n=$((n + 1)); [ $n -lt 50 ] || break
			sleep 0.1
		done
	fi
	sleep 0.5
	{
		echo "### after RA $k"
		ip -6 neigh show dev eth0
		ip -6 addr show dev eth0 scope global | grep "inet6"
	} >>"$d/$t.out" 2>&1
	if [ $k = 4 ]; then
		r=$(ip -6 neigh show dev eth0 | sed -n 's/^\(fe80::[0-9a-f:]*\) .*/\1/p')
		ip -6 neigh replace "$r" lladdr 02:00:00:00:00:0c dev eth0 nud permanent
	fi
	touch "$d/$t.seen.$k"
done
sleep 0.3
kill $m
wait $m 2>/dev/null
exit 0
EOF

norm() {
	sed -E -e "s/$EUI_FD00/fd00::EUI/g" \
		-e 's/(valid_lft|preferred_lft) [0-9]+sec/\1 Nsec/g' "$1"
}

step "sandboxes: R's advertisements to H (--no-forward)"
bg unpriv "$RRS" --no-control -c "$RUN/h.conf" --no-forward -- sh "$RUN/h.sh" "$RUN" sb \
	>"$RUN/h-sb.out" 2>"$RUN/h-sb.err" </dev/null
h=$BG_PID
wait_file 20 "$RUN/sb.ready" || fail "the host sandbox did not start"
bg unpriv "$RRS" --no-control -c "$RUN/r.conf" -- "$PY" "$RUN/r.py" "$RUN" sb \
	>"$RUN/r-sb.out" 2>"$RUN/r-sb.err" </dev/null
r=$BG_PID
LAST_ERR=$RUN/h-sb.err
wait_pid 60 "$h" || fail "the host sandbox failed"
LAST_ERR=$RUN/r-sb.err
wait_pid 20 "$r" || fail "the router sandbox failed"

step "namespaces: the same"
ns_veth_pair
nsx sh "$RUN/h.sh" "$RUN" linux &
h=$!
RRS_BG_PIDS+=("$h")
wait_file 20 "$RUN/linux.ready" || fail "the namespace's host did not start"
ip netns exec "$NS_B" "$PY" "$RUN/r.py" "$RUN" linux &
r=$!
RRS_BG_PIDS+=("$r")
wait_pid 60 "$h" || fail "the namespace's host failed"
wait_pid 20 "$r" || fail "the namespace's router failed"
ns_cleanup

for f in out mon; do
	norm "$RUN/sb.$f" >"$RUN/sb.$f.u"
	norm "$RUN/linux.$f" >"$RUN/linux.$f.u"
done
bad=0
same_as_linux sb.out.u linux.out.u "views" || bad=1
same_as_linux sb.mon.u linux.mon.u "neighbour monitor" || bad=1
[ "$bad" = 0 ] || fail "the sandbox's neighbour entry from RAs is not Linux's"
LAST_OUT=$RUN/sb.out
grep -q "lladdr 02:00:00:00:00:0a router STALE" "$RUN/sb.out" ||
	fail "no STALE router entry from the first RA's option"
grep -q "lladdr 02:00:00:00:00:0c PERMANENT" "$RUN/sb.out" ||
	fail "the permanent entry was changed"
[ "$(grep -c "inet6 fd00::" "$RUN/sb.out")" = 2 ] ||
	fail "the prefix was taken with a bad option, or not at all"
log "ok: $(grep -c . "$RUN/sb.mon") neighbour messages, the views as Linux's"
log "PASS"
