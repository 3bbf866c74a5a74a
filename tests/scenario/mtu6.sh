#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# mtu6.sh - a device's MTU set below 1280 takes IPv6 off it altogether,
# as Linux's addrconf_notify(NETDEV_CHANGEMTU) does, and 1280 or more
# gives it a new start.  The same commands run in a sandbox (as the
# unprivileged user) and in a network namespace (as root); outputs,
# errors, exit statuses and what `ip -o monitor` sees are normalised
# (MAC and link-local addresses) and must be the same.
#
#   rrsandbox -c sb.conf (uid 65534)       netns rrs-mtu6-A (root)
#   eth0 (link) 10.0.0.1/24 fd00::1/64     eth0 (veth, peer up in B), same
#
# Below 1280: the IPv6 routes and addresses go (each told), then
# net.ipv6.conf.eth0 (RTM_DELNETCONF); an IPv6 address is refused with
# EINVAL, a route with ENODEV; IPv4 is untouched.  Back at 1300: a new
# conf/eth0 from conf/default (RTM_NEWNETCONF), the multicast route and
# the link-local address, not fd00::1.  A device made with an MTU
# below 1280 (eth1) has no IPv6 until it gets 1280.  Two passes: a
# router (the sandbox's default, the namespace with IPv6 forwarding on:
# subnet-router anycast routes come and go with IPv6 too), then a host
# (--no-forward, forwarding off).
#
# Needs root for the namespace side (skips with 77 otherwise) and ip.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need ip sed diff

[ "$(id -u)" -eq 0 ] || skip "the Linux side needs root (ip netns add)"
ns_names mtu6
# ns_setup FORWARDING: the namespaces afresh, as the sandbox: no DAD,
# addresses kept while down, and IPv6 forwarding FORWARDING (1: a router,
# each prefix with its subnet-router anycast route, as the sandbox by
# default; 0: as the sandbox with --no-forward)
ns_setup() {
	ns_cleanup
	ip netns add "$NS_A" 2>/dev/null || skip "ip netns add refused: no network namespaces here"
	ip netns add "$NS_B" || fail "ip netns add $NS_B"
	nsx sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
		net.ipv6.conf.default.keep_addr_on_down=1 \
		net.ipv6.conf.all.forwarding="$1" ||
		skip "no IPv6 sysctls in the namespace"
	ip -n "$NS_A" link add eth0 type veth peer name peer0 netns "$NS_B" ||
		skip "cannot create a veth pair"
	nsx sysctl -qw net.ipv6.conf.eth0.accept_dad=0 net.ipv6.conf.eth0.keep_addr_on_down=1
	ip -n "$NS_A" link add eth1 mtu 1200 type veth peer name peer1 netns "$NS_B" ||
		skip "cannot create a veth pair"
	ip -n "$NS_B" link set peer0 up
	ip -n "$NS_B" link set peer1 up
	ip -n "$NS_A" link set eth1 up
	ip -n "$NS_A" link set lo up
	ip -n "$NS_A" addr add 10.0.0.1/24 dev eth0
	ip -n "$NS_A" addr add fd00::1/64 dev eth0
	ip -n "$NS_A" link set eth0 up
}

cat >"$RUN/sb.conf" <<EOF
link add eth0 type link local $RUN/sb.link remote $RUN/absent.link
addr add 10.0.0.1/24 dev eth0
addr add fd00::1/64 dev eth0
link add eth1 type link local $RUN/sb1.link remote $RUN/absent1.link mtu 1200
EOF

# The commands, in order; each runs under sh -c
cat >"$RUN/cmds" <<'EOF'
ip link set eth0 mtu 1200
ip -6 addr show dev eth0
ip -6 route show table all dev eth0
ls /proc/sys/net/ipv6/conf
ls /proc/sys/net/ipv6/neigh
cat /proc/sys/net/ipv6/conf/eth0/mtu
ip -6 addr add fd00::5/64 dev eth0
ip -6 route add fd01::/64 dev eth0
ip -6 route add fd02::/64 via fd00::9
ip -4 addr show dev eth0
ip -4 route show dev eth0
ip link set eth0 mtu 1279
ip link set eth0 mtu 1300
ip -6 addr show dev eth0
ip -6 route show table all dev eth0
ls /proc/sys/net/ipv6/conf
cat /proc/sys/net/ipv6/conf/eth0/mtu /proc/sys/net/ipv6/conf/eth0/forwarding
ip -6 netconf show dev eth0
ip -6 addr add fd00::5/64 dev eth0
ip -6 addr show dev eth0 scope global
ip link set eth0 mtu 1200
ip link set eth0 down
ip link set eth0 up
ip -6 addr show dev eth0
ip link set eth0 mtu 1500
ip -6 addr show dev eth0
ip -6 addr show dev eth1
ip -6 addr add fd00:1::1/64 dev eth1
ip link set eth1 mtu 1280
ip -6 addr show dev eth1
ip -6 route show table all dev eth1
EOF

# settle.sh CMD: after an MTU change a moment for Linux's work queue (a
# new link-local address is tentative until its DAD-less completion runs,
# later under load)
inner_script settle.sh <<'EOF'
#!/bin/sh
case "$1" in "ip link set"*) sleep 0.3 ;; esac
EOF
inner_run_sh

# mon.sh CMDS OUT: ip -o monitor while the MTU goes down and up again
cat >"$RUN/mon_cmds" <<'EOF'
ip link set eth0 mtu 1200
ip link set eth0 mtu 1400
EOF
inner_script mon.sh <<'EOF'
#!/bin/sh
ip -o monitor link address route netconf >"$2" 2>&1 &
m=$!
sleep 1
while IFS= read -r c; do sh -c "$c" >/dev/null 2>&1; sleep 0.3; done <"$1"
sleep 1
kill $m
wait $m 2>/dev/null
exit 0
EOF
chmod 644 "$RUN/sb.conf" "$RUN/cmds" "$RUN/mon_cmds"

# one_pass TAG FORWARDING [SANDBOX OPTIONS]: the commands and the
# monitor run in a sandbox and in the namespaces, compared
one_pass() {
	local tag=$1 fwd=$2 f bad=0
	shift 2
	step "$tag: the commands in the sandbox"
	rrs_run 60 "sandbox-$tag" --no-control "$@" -c "$RUN/sb.conf" -- sh -c \
		'cd "$1" && sh run.sh cmds "sb-$2.out" && sh mon.sh mon_cmds "sb-$2.mon"' \
		sh "$RUN" "$tag"
	expect_rc 0 "the sandbox's run"
	step "$tag: the commands in a network namespace"
	ns_setup "$fwd"
	(cd "$RUN" && nsx sh run.sh cmds "linux-$tag.out" &&
	 nsx sh mon.sh mon_cmds "linux-$tag.mon") || fail "the namespace's run"
	for f in out mon; do
		same_as_linux "sb-$tag.$f" "linux-$tag.$f" "$tag $f" || bad=1
	done
	[ "$bad" = 0 ] || fail "$tag: the sandbox's IPv6 after MTU changes is not Linux's"
	grep -q "^RTNETLINK answers: Invalid argument" "$RUN/sb-$tag.out" ||
		fail "$tag: no EINVAL for an IPv6 address below 1280"
	grep -q "Deleted inet6 eth0" "$RUN/sb-$tag.mon" || fail "$tag: no RTM_DELNETCONF seen"
}

one_pass forward 1
grep -q "^anycast fe80:: table local proto kernel metric 0" "$RUN/sb-forward.out" ||
	fail "forward: no subnet-router anycast route for the link-local prefix"
grep -q "^Deleted anycast fe80:: dev eth0 table local" "$RUN/sb-forward.mon" ||
	fail "forward: the anycast route did not go (told) with IPv6"
one_pass noforward 0 --no-forward
grep -q "anycast" "$RUN/sb-noforward.out" "$RUN/sb-noforward.mon" &&
	fail "noforward: anycast routes without forwarding"
log "PASS"
