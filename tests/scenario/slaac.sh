#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# slaac.sh - a host (IPv6 forwarding off) takes router advertisements as
# Linux 6.x does: an address from the prefix (EUI-64, "dynamic
# mngtmpaddr", the RA's lifetimes), its prefix route expiring with it,
# `default via ROUTER proto ra metric 1024 expires N hoplimit 64` that
# carries a ping to the router's fd01::1, the router's neighbour entry
# flagged `router`, RTM_NEWPREFIX; all gone when the host's eth0 goes
# down and back with the next RA once it is up again; the default route
# gone for good when the router's BIRD stops (its last RA has lifetime
# 0); a router (forwarding on) ignores them; a device whose forwarding
# alone is turned off inside (all stays 1) takes them, and an MTU option
# and cur hop limit become conf/eth0/mtu and hop_limit and the default
# route's mtu and hoplimit.  The same runs in two
# sandboxes (as the unprivileged user) and in two network namespaces (as
# root); `ip -6 addr`, `ip -6 route`, `ip -6 neigh` and `ip -o -6
# monitor` (address and route; prefix apart) are normalised (MAC,
# link-local and EUI-64 parts, lifetimes) and must be the same.
#
#   R: eth0 fd00::1/64, lo fd01::1      H: eth0 (no address)
#      BIRD radv (prefix fd00::/64,     --no-forward (pass "host"),
#      max ra interval 4)   ==========  forwarding on (pass "router")
#
# Needs root for the namespace side (skips with 77 otherwise), bird,
# birdc and ip.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need bird birdc ip sed diff tcpdump ping

[ "$(id -u)" -eq 0 ] || skip "the Linux side needs root (ip netns add)"
stage_ping
ns_names slaac

cat >"$RUN/bird.conf" <<EOF
log stderr all;
router id 10.0.0.1;
protocol device { scan time 10; }
protocol radv { interface "eth0" { max ra interval 4; prefix fd00::/64; }; }
EOF
cat >"$RUN/r.conf" <<EOF
link add eth0 type link local $RUN/r.link remote $RUN/h.link
addr add fd00::1/64 dev eth0
addr add fd01::1/128 dev lo
EOF
cat >"$RUN/h.conf" <<EOF
link add eth0 type link local $RUN/h.link remote $RUN/r.link
EOF
# the third pass: an MTU option and a hop limit of 50
sed 's/max ra interval 4;/max ra interval 4; link mtu 1400; current hop limit 50;/' \
	"$RUN/bird.conf" >"$RUN/bird_mtu.conf"
chmod 644 "$RUN/bird.conf" "$RUN/bird_mtu.conf" "$RUN/r.conf" "$RUN/h.conf"
HSH=h.sh BIRDCONF=bird.conf

# r.sh DIR CONF: BIRD until DIR/stop, then BIRD stops (its last RA has
# router lifetime 0) and DIR/rdone says so
inner_script r.sh <<'EOF'
#!/bin/sh
d=$1
bird -f -c "$d/$2" -s "$d/bird.ctl" 2>"$d/bird.log" &
b=$!
while [ ! -e "$d/stop" ]; do sleep 0.1; done
kill $b
wait $b
touch "$d/rdone"
EOF

# ra_wait.sh, sourced by h.sh and h2.sh: ra_wait waits until a default
# route from an RA and an address from its prefix show (10 s at most)
inner_script ra_wait.sh <<'EOF'
ra_wait() {
	n=0
	until ip -6 route | grep -q "^default via .* proto ra" &&
		ip -6 addr show dev eth0 | grep -q "scope global"; do
		n=$((n + 1)); [ $n -lt 100 ] || break
		sleep 0.1
	done
}
EOF

# h.sh DIR TAG: the monitor from the start; the views once a default
# route from an RA shows (or after 10 s: a router takes none), then again
# after the router stopped
inner_script h.sh <<'EOF'
#!/bin/sh
d=$1 t=$2 PING=$3
. "$d/ra_wait.sh"
views() {
	for v in "$@"; do
		echo "### $v"; $v
	done >>"$d/$t.out" 2>&1
}
ip -o -6 monitor address route >"$d/$t.mon" 2>&1 &
m=$!
# RTM_NEWPREFIX apart: Linux tells a new prefix's address later (its DAD
# work), the sandbox at once, so the two orders differ there
ip -o -6 monitor prefix >"$d/$t.pfx" 2>&1 &
p=$!
echo 1 >"$d/$t.ready"
ra_wait
# a second RA: lifetimes renewed
sleep 3.5
views "ip -6 addr show dev eth0" "ip -6 route" "ip -6 route show table all" "ip -6 neigh"
kill $m $p
wait $m $p 2>/dev/null
# through the default route to the router's fd01::1: its neighbour
# entry then flags it a router (NTF_ROUTER)
"$PING" -6 -c 1 -W 3 fd01::1 >/dev/null 2>&1
echo "ping fd01::1: $?" >"$d/$t.nb"
ip -6 neigh show dev eth0 | grep " router " >>"$d/$t.nb"
# down: the address and the routes go; up: a solicitation, the next RA
# gives them back
ip link set eth0 down
views "ip -6 addr show dev eth0 scope global" "ip -6 route show proto ra" "ip -6 route show fd00::/64"
ip link set eth0 up
ra_wait
views "ip -6 addr show dev eth0 scope global" "ip -6 route show proto ra" "ip -6 route show fd00::/64"
ip -o -6 monitor address route >"$d/$t.mon2" 2>&1 &
m=$!
sleep 0.5
touch "$d/stop"
n=0
until [ -e "$d/rdone" ]; do n=$((n + 1)); [ $n -lt 200 ] || break; sleep 0.1; done
sleep 1
views "ip -6 route" "ip -6 addr show dev eth0 scope global"
kill $m
wait $m 2>/dev/null
exit 0
EOF

# h2.sh DIR TAG: IPv6 forwarding off on eth0 alone, written inside (all
# stays 1); the views once an RA was taken
inner_script h2.sh <<'EOF'
#!/bin/sh
d=$1 t=$2
. "$d/ra_wait.sh"
sysctl -qw net.ipv6.conf.eth0.forwarding=0
echo 1 >"$d/$t.ready"
ra_wait
sleep 0.5
for v in "ip -6 route" "ip -6 addr show dev eth0 scope global" \
	"cat /proc/sys/net/ipv6/conf/all/forwarding /proc/sys/net/ipv6/conf/eth0/forwarding" \
	"cat /proc/sys/net/ipv6/conf/eth0/mtu /proc/sys/net/ipv6/conf/eth0/hop_limit"; do
	echo "### $v"; $v
done >"$d/$t.out" 2>&1
touch "$d/stop"
n=0
until [ -e "$d/rdone" ]; do n=$((n + 1)); [ $n -lt 200 ] || break; sleep 0.1; done
exit 0
EOF

# norm FILE: the EUI-64 half of fd00:: addresses, lifetimes and expiries
# made alike (compare() then drops the monitor's repeats: each RA tells
# the address again, and how many come in the time differs)
norm() {
	sed -E -e "s/$EUI_FD00/fd00::EUI/g" \
		-e 's/(valid_lft|preferred_lft) [0-9]+sec/\1 Nsec/g' \
		-e 's/expires [0-9]+sec/expires Nsec/g' \
		-e 's/lladdr [0-9a-f:]{17}/lladdr MAC/' "$1"
}

# sandbox_pass TAG [H OPTIONS]
sandbox_pass() {
	local tag=$1 r h
	shift
	rm -f "$RUN/stop" "$RUN/rdone"
	bg unpriv "$RRS" --no-control -c "$RUN/h.conf" "$@" -- sh "$RUN/$HSH" "$RUN" "sb-$tag" "$PING" \
		>"$RUN/h-$tag.out" 2>"$RUN/h-$tag.err" </dev/null
	h=$BG_PID
	wait_file 20 "$RUN/sb-$tag.ready" || fail "$tag: the host sandbox did not start"
	bg unpriv "$RRS" --no-control -c "$RUN/r.conf" -- sh "$RUN/r.sh" "$RUN" "$BIRDCONF" \
		>"$RUN/r-$tag.out" 2>"$RUN/r-$tag.err" </dev/null
	r=$BG_PID
	LAST_ERR=$RUN/h-$tag.err
	wait_pid 60 "$h" || fail "$tag: the host sandbox failed"
	wait_pid 20 "$r" || fail "$tag: the router sandbox failed"
}

# linux_pass TAG FORWARDING
linux_pass() {
	local tag=$1 fwd=$2
	ns_cleanup
	rm -f "$RUN/stop" "$RUN/rdone"
	ip netns add "$NS_A" 2>/dev/null || skip "ip netns add refused: no network namespaces here"
	ip netns add "$NS_B" || fail "ip netns add $NS_B"
	ip -n "$NS_B" link add eth0 type veth peer name eth0 netns "$NS_A" ||
		skip "cannot create a veth pair"
	ip netns exec "$NS_B" sysctl -qw net.ipv6.conf.all.forwarding=1 \
		net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
		net.ipv6.conf.eth0.accept_dad=0 || skip "no IPv6 sysctls in the namespace"
	# as the sandbox: no DAD, addresses added by hand kept while down
	nsx sysctl -qw net.ipv6.conf.all.forwarding="$fwd" \
		net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
		net.ipv6.conf.eth0.accept_dad=0 net.ipv6.conf.eth0.keep_addr_on_down=1
	ip -n "$NS_A" link set lo up
	ip -n "$NS_B" link set lo up
	ip -n "$NS_B" addr add fd00::1/64 dev eth0
	ip -n "$NS_B" addr add fd01::1/128 dev lo
	ip -n "$NS_B" link set eth0 up
	ip -n "$NS_A" link set eth0 up
	# the monitor starts, as in the sandbox, with the link-local address
	# and its routes there (linkwatch may wait a second for the carrier)
	local i
	for ((i = 0; i < 50; i++)); do
		nsx ip -6 route show table local | grep -q "^local fe80::" && break
		sleep 0.1
	done
	sleep 0.3
	nsx sh "$RUN/$HSH" "$RUN" "linux-$tag" "$PING" &
	local h=$!
	RRS_BG_PIDS+=("$h")
	wait_file 20 "$RUN/linux-$tag.ready" || fail "$tag: the namespace's host did not start"
	ip netns exec "$NS_B" sh "$RUN/r.sh" "$RUN" "$BIRDCONF" &
	local r=$!
	RRS_BG_PIDS+=("$r")
	wait_pid 60 "$h" || fail "$tag: the namespace's host failed"
	wait_pid 20 "$r" || fail "$tag: the namespace's router failed"
	ns_cleanup
}

compare() {
	local tag=$1 f bad=0
	for f in out mon mon2 pfx nb; do
		norm "$RUN/sb-$tag.$f" >"$RUN/sb-$tag.$f.u"
		norm "$RUN/linux-$tag.$f" >"$RUN/linux-$tag.$f.u"
	done
	for f in sb linux; do
		awk '!seen[$0]++' "$RUN/$f-$tag.mon.u" >"$RUN/$f-$tag.mon.v"
		awk '!seen[$0]++' "$RUN/$f-$tag.mon2.u" >"$RUN/$f-$tag.mon2.v"
		awk '!seen[$0]++' "$RUN/$f-$tag.pfx.u" >"$RUN/$f-$tag.pfx.v"
	done
	same_as_linux "sb-$tag.out.u" "linux-$tag.out.u" "$tag views" || bad=1
	same_as_linux "sb-$tag.mon.v" "linux-$tag.mon.v" "$tag monitor" || bad=1
	same_as_linux "sb-$tag.mon2.v" "linux-$tag.mon2.v" "$tag monitor at the end" || bad=1
	same_as_linux "sb-$tag.pfx.v" "linux-$tag.pfx.v" "$tag prefix monitor" || bad=1
	same_as_linux "sb-$tag.nb.u" "linux-$tag.nb.u" "$tag ping and router entry" || bad=1
	[ "$bad" = 0 ] || fail "$tag: the sandbox's answer to router advertisements is not Linux's"
}

mkdir "$RUN/pcap"
chmod 777 "$RUN/pcap"
step "host: router advertisements taken (sandbox --no-forward)"
sandbox_pass host --no-forward --pcap "$RUN/pcap"
step "host: router advertisements taken (namespace, forwarding 0)"
linux_pass host 0
compare host
LAST_OUT=$RUN/sb-host.out
grep -q "scope global dynamic mngtmpaddr" "$RUN/sb-host.out" || fail "host: no address from the prefix"
grep -q "^default via fe80::.* proto ra metric 1024 expires" "$RUN/sb-host.out" ||
	fail "host: no default route from the RA"
# the lifetimes themselves (normalised above): BIRD's 86400 s and 14400 s
# for the prefix, router lifetime 3 x 4 s, renewed by each RA
grep -Eq "valid_lft 86(3[6-9][0-9]|400)sec preferred_lft 14(3[6-9][0-9]|400)sec" "$RUN/sb-host.out" ||
	fail "host: the address's lifetimes are not the RA's"
grep -Eq "proto ra metric 1024 expires ([1-9]|1[0-2])sec" "$RUN/sb-host.out" ||
	fail "host: the default route's expiry is not the router lifetime"
grep -q "^prefix fd00::/64" "$RUN/sb-host.pfx" || fail "host: no RTM_NEWPREFIX told"
grep -q "^ping fd01::1: 0" "$RUN/sb-host.nb" || fail "host: no ping through the default route"
grep -q "^fe80::.* router REACHABLE" "$RUN/sb-host.nb" || fail "host: the router's entry is no router"
log "ok: the host's address, prefix route and default route are Linux's"
# the host solicited as it came up, as Linux's addrconf_dad_completed()
tcpdump -r "$RUN/pcap/eth0.pcap" -n -v 'icmp6 and ip6[40] = 133' >"$RUN/rs" 2>/dev/null || true
LAST_OUT=$RUN/rs
grep -q 'hlim 255, .*fe80::[0-9a-f:]* > ff02::2: .*router solicitation' "$RUN/rs" ||
	fail "host: no router solicitation to ff02::2 from its link-local address"
grep -q 'source link-address option' "$RUN/rs" || fail "host: the solicitation has no source link-layer option"
log "ok: the host sent $(grep -c 'router solicitation' "$RUN/rs") router solicitation(s)"

step "router: router advertisements ignored (sandbox, forwarding on)"
sandbox_pass router
step "router: router advertisements ignored (namespace, forwarding 1)"
linux_pass router 1
compare router
LAST_OUT=$RUN/sb-router.out
! grep -Eq "^default via|^fd00::|inet6 fd00" "$RUN/sb-router.out" || fail "router: took an RA"
log "ok: a forwarding device ignores them, as Linux's"

HSH=h2.sh BIRDCONF=bird_mtu.conf
step "device: forwarding off on eth0 alone, MTU and hop limit (sandbox)"
sandbox_pass dev
step "device: forwarding off on eth0 alone, MTU and hop limit (namespace)"
linux_pass dev 1
norm "$RUN/sb-dev.out" >"$RUN/sb-dev.out.u"
norm "$RUN/linux-dev.out" >"$RUN/linux-dev.out.u"
same_as_linux "sb-dev.out.u" "linux-dev.out.u" "dev views" ||
	fail "dev: the sandbox's answer to router advertisements is not Linux's"
LAST_OUT=$RUN/sb-dev.out
grep -q "proto ra metric 1024 expires [0-9]*sec mtu 1400 hoplimit 50" "$RUN/sb-dev.out" ||
	fail "dev: the default route lacks the RA's MTU and hop limit"
grep -q "^1400$" "$RUN/sb-dev.out" || fail "dev: conf/eth0/mtu is not the RA's"
log "ok: forwarding off on one device takes RAs there, MTU and hop limit as Linux"
log "PASS"
