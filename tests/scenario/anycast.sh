#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# anycast.sh - IPv6 subnet-router anycast addresses of a router, as Linux
# 6.18 joins and answers them with forwarding on (addrconf_join_anycast()):
# each IPv6 address's prefix with the host bits zero (fd00:: for
# fd00::1/64, fe80:: for the link-local; none for a /127, a /128 or ::/0)
# gets `anycast fd00:: dev eth0 table local proto kernel metric 0`,
# counted by the addresses that share it, and it goes and comes with
# forwarding (all and per device), the addresses, the device (down, up,
# disable_ipv6, an MTU below 1280); a socket's IPV6_JOIN_ANYCAST adds a
# user of its own (acjoin.py), an anycast route added by hand makes its
# address the sandbox's.
#
# 1. (root) The same commands in a sandbox (as the unprivileged user) and
#    in a network namespace with net.ipv6.conf.all.forwarding=1: outputs
#    (`ip -6 route show table local`, `ip -6 route get`, /proc/net/anycast6,
#    `ip -6 addr replace` of another prefix length, the two echo sysctls,
#    acjoin.py's setsockopt results) and `ip -o monitor route address
#    netconf` normalised (link-local addresses) and compared.
#
#   rrsandbox -c sb.conf (uid 65534)          netns rrs-any-A (root)
#   eth0 (link) 10.0.0.1/24 fd00::1/64        eth0 (veth, peer up in B), same
#
# 2. A ping of the anycast addresses between two sandboxes: A routes (the
#    default), B does not (--no-forward, so fd00:9:: is not its own too).
#    Linux answers B's neighbour solicitation for fd00:9:: (router flag,
#    no override, from fd00:9::1) and the echo request from the address
#    source selection picks (fd00:9::1; fe80::%eth0 from A's link-local);
#    TCP to the anycast address is dropped without a reset (connect()
#    times out), UDP to a closed port gets port unreachable (from the
#    anycast address itself, as Linux's icmp6_send()).  fd07::5 (an
#    anycast route added by hand) and fd00:9::77 (a socket of A holds it,
#    hold.py) are answered from fd00:9::1.  With anycast_src_echo_reply
#    fd00:9:: and fe80:: answer from themselves, with echo_ignore_anycast
#    not at all (fd07::5 from fd00:9::1 either way, as Linux 6.18).
#    Without forwarding (A --no-forward) only fd00:9::77 answers.
#
#   A (rrsandbox -c a.conf)                    B (rrsandbox --no-forward)
#   eth0 10.0.9.1 fd00:9::1  ---- link ----   eth0 10.0.9.2 fd00:9::2
#   anycast fd00:9::, fe80::, fd07::5,        ping fd00:9::, fe80::%eth0,
#   fd00:9::77 (IPV6_JOIN_ANYCAST)            fd07::5, fd00:9::77

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need ip sed diff ping "$PY"

stage_ping

# ---- 1. against Linux ----

# Until eth0's link-local anycast route is there: a veth gets its carrier,
# and then its link-local address, up to a second after `up` (the link
# device at once)
LL_WAIT='i=0; while ! ip -6 route show table local type anycast | grep -q "^anycast fe80::" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done'
# The commands, in order; each runs under sh -c (waits: Linux completes
# DAD-less addresses in a work queue, a moment after the command)
cat >"$RUN/cmds" <<'EOF'
ip -6 route show table local
ip -6 route show table all
cat /proc/net/anycast6
ip -6 maddr show dev eth0 | sort
ip -6 addr add fd00::2/64 dev eth0 nodad
ip -6 addr add fd00:1::1/127 dev eth0 nodad
ip -6 addr add fd00:2::1/128 dev eth0 nodad
ip -6 addr add fd00:3::1/64 dev eth0 nodad noprefixroute
ip -6 addr add fd00::1:1/112 dev eth0 nodad
ip -6 addr add fd00:5::/64 dev eth0 nodad
ip -6 addr add fd00:6::1/64 peer fd00:7::1/64 dev eth0 nodad
ip -6 route show table local
cat /proc/net/anycast6
ip -6 route get fd00::
ip -6 route get fd00::1
ip -6 route get fe80:: oif eth0
ip -6 route get fd00:: from fd00::99 iif eth0
ip -6 addr del fd00::1/64 dev eth0
ip -6 route show table local type anycast
ip -6 addr del fd00::2/64 dev eth0
ip -6 addr del fd00:6::1/64 peer fd00:7::1/64 dev eth0
ip -6 addr del fd00:5::/64 dev eth0
ip -6 route show table local
cat /proc/net/anycast6
ip -6 addr add fd00::1/64 dev eth0 nodad
ip link set eth0 down
ip -6 route show table local type anycast
ip -6 addr add fd00:8::1/64 dev eth0 nodad
ip -6 route show table local type anycast
ip link set eth0 up
LL_WAIT
ip -6 route show table local type anycast
echo 0 > /proc/sys/net/ipv6/conf/all/forwarding
ip -6 route show table local type anycast
cat /proc/net/anycast6
ip -6 maddr show dev eth0 | sort
echo 1 > /proc/sys/net/ipv6/conf/eth0/forwarding
ip -6 route show table local type anycast
cat /proc/net/anycast6
ip -6 maddr show dev eth0 | sort
echo 0 > /proc/sys/net/ipv6/conf/eth0/forwarding
echo 1 > /proc/sys/net/ipv6/conf/all/forwarding
ip -6 route show table local type anycast
sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
ip -6 route show table local
cat /proc/net/anycast6
sysctl -qw net.ipv6.conf.eth0.disable_ipv6=0
LL_WAIT
ip -6 route show table local
ip -6 addr add fd00::1/64 dev eth0 nodad
ip -6 route del anycast fd00:: dev eth0 table local
ip -6 addr add fd00::3/64 dev eth0 nodad
ip -6 route show table local type anycast
cat /proc/net/anycast6
ip -6 addr del fd00::3/64 dev eth0
ip -6 addr del fd00::1/64 dev eth0
ip -6 addr add fd00::1/64 dev eth0 nodad
ip -6 route show table local type anycast
ip link set eth0 mtu 1200
ip -6 route show table local
ip link set eth0 mtu 1500
LL_WAIT
ip -6 route show table local
ip -6 addr add fd00::1/64 dev eth0 nodad
ip -6 addr add fd00::1/64 dev lo nodad
ip -6 route show table local
cat /proc/net/anycast6
ip -6 addr del fd00::1/64 dev lo
echo 0 > /proc/sys/net/ipv6/conf/all/forwarding
ip link set eth0 down
echo 1 > /proc/sys/net/ipv6/conf/all/forwarding
ip -6 route show table local type anycast
cat /proc/net/anycast6
ip link set eth0 up
LL_WAIT
ip -6 route show table local type anycast
cat /proc/net/anycast6
ip -6 addr add fd00:0:0:4::1/64 dev eth0 nodad
ip -6 addr replace fd00:0:0:4::1/48 dev eth0 nodad
ip -6 addr show dev eth0 to fd00:0:0:4::/64
ip -6 route show table all match fd00:0:0:4::1
cat /proc/net/anycast6
ip -6 addr del fd00:0:0:4::1/48 dev eth0
ip -6 addr del fd00:0:0:4::1/64 dev eth0
ip -6 route show table all match fd00:0:0:4::1
ip -6 addr del fd00::1/64 dev eth0
cat /proc/net/anycast6
ip link set eth0 down
cat /proc/net/anycast6
ip link set eth0 up
LL_WAIT
ip -6 addr add fd00::1/64 dev eth0 nodad
ip -6 route show table local type anycast
cat /proc/net/anycast6
sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
cat /proc/net/anycast6
sysctl -qw net.ipv6.conf.eth0.disable_ipv6=0
LL_WAIT
cat /proc/net/anycast6
cat /proc/sys/net/ipv6/icmp/echo_ignore_anycast /proc/sys/net/ipv6/anycast_src_echo_reply
echo 2 > /proc/sys/net/ipv6/icmp/echo_ignore_anycast
sysctl -qw net.ipv6.anycast_src_echo_reply=256 2>/dev/null; cat /proc/sys/net/ipv6/anycast_src_echo_reply
sysctl -qw net.ipv6.anycast_src_echo_reply=-1 2>/dev/null; cat /proc/sys/net/ipv6/anycast_src_echo_reply
sysctl net.ipv6.icmp.echo_ignore_anycast net.ipv6.anycast_src_echo_reply
sysctl -qw net.ipv6.icmp.echo_ignore_anycast=0
ip -6 route add anycast fd07::5 dev eth0 table local
ip -6 route show table local type anycast
ip -6 route get fd07::5 from fd00::99 iif eth0
ip -6 route get fd07::5
PING -6 -c 1 -W 1 fd07::5 >/dev/null; echo "ping $?"
cat /proc/net/anycast6
ip -6 route del anycast fd07::5 dev eth0 table local
/usr/bin/python3 acjoin.py fd00:77::5 eth0
/usr/bin/python3 acjoin.py fd00:77::5 0
/usr/bin/python3 acjoin.py fd00:: eth0
/usr/bin/python3 acjoin.py fd00::1 eth0
/usr/bin/python3 acjoin.py ff02::5 eth0
/usr/bin/python3 acjoin.py fd00:77::5 99
echo 0 > /proc/sys/net/ipv6/conf/all/forwarding
/usr/bin/python3 acjoin.py fd00:77::5 eth0
/usr/bin/python3 acjoin.py fd00::7 0
/usr/bin/python3 acjoin.py fe80::7 eth0
echo 1 > /proc/sys/net/ipv6/conf/all/forwarding
EOF
# (PING: the staged ping, which needs no capabilities in the sandbox)
awk -v w="$LL_WAIT" -v p="$PING" '$0 == "LL_WAIT" { print w; next }
	/^PING / { sub(/^PING/, p) } { print }' "$RUN/cmds" >"$RUN/cmds.w"
mv "$RUN/cmds.w" "$RUN/cmds"
# What ip monitor sees: the same without down and up (Linux removes and
# adds again the local routes the sandbox keeps: iproute.sh's ALLOW)
grep -v -e '^ip link set eth0 \(down\|up\)$' -e '^ip .* show\|^ip .* get\|^cat ' \
	"$RUN/cmds" >"$RUN/mon_cmds"

# settle.sh CMD: after a change, a moment for Linux's work queue (an
# address's DAD-less completion adds its routes a little later)
inner_script settle.sh <<'EOF'
#!/bin/sh
case "$1" in
"ip -6 addr"*|"ip link set"*|"ip -6 route del"*|*forwarding|*disable_ipv6=*)
	sleep 0.1 ;;
esac
EOF
inner_run_sh
inner_script acjoin.py <<'EOF'
#!/usr/bin/python3
# acjoin.py ADDR DEV|IFINDEX: IPV6_JOIN_ANYCAST of ADDR on a UDP socket
# (twice), a leave, a leave of what it no longer holds, a short option,
# a join again; the anycast routes and /proc/net/anycast6 while it holds
# the address and after close
import socket, struct, subprocess, sys

JOIN, LEAVE = 27, 28    # IPV6_JOIN_ANYCAST, IPV6_LEAVE_ANYCAST


def show(tag):
    out = subprocess.run("ip -6 route show table local type anycast; "
                         "cat /proc/net/anycast6", shell=True,
                         capture_output=True, text=True).stdout
    print("--", tag)
    print(out, end="")


idx = int(sys.argv[2]) if sys.argv[2].isdigit() else socket.if_nametoindex(sys.argv[2])
mreq = socket.inet_pton(socket.AF_INET6, sys.argv[1]) + struct.pack("@I", idx)
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
for what, opt, m in (("join", JOIN, mreq), ("join again", JOIN, mreq),
                     ("leave", LEAVE, mreq), ("leave again", LEAVE, mreq),
                     ("leave more", LEAVE, mreq), ("short", JOIN, mreq[:19]),
                     ("join", JOIN, mreq)):
    try:
        s.setsockopt(socket.IPPROTO_IPV6, opt, m)
        print(what, "ok")
    except OSError as e:
        print(what, "errno", e.errno)
    if what == "join again":
        show("held")
s.close()
show("closed")
EOF
inner_script mon.sh <<'EOF'
#!/bin/sh
# mon.sh CMDS OUT: ip -o monitor while CMDS run
ip -o monitor route address netconf >"$2" 2>&1 &
m=$!
sleep 1
while IFS= read -r c; do sh -c "$c" >/dev/null 2>&1; sh settle.sh "$c"; done <"$1"
sleep 1
kill $m
wait $m 2>/dev/null
exit 0
EOF
# the same MAC on both sides: the same link-local address and groups (`ip
# maddr` lists them in another order: sorted)
MAC=02:00:00:00:aa:01
cat >"$RUN/sb.conf" <<EOF
link add eth0 type link local $RUN/sb.link remote $RUN/absent.link address $MAC
addr add 10.0.0.1/24 dev eth0
addr add fd00::1/64 dev eth0
EOF
chmod 644 "$RUN/sb.conf" "$RUN/cmds" "$RUN/mon_cmds" "$RUN/acjoin.py"

linux_side() {
	ns_setup() {
		ns_cleanup
		ip netns add "$NS_A" && ip netns add "$NS_B" || return 1
		# a router without DAD (the sandbox has none), keeping its
		# addresses while down (as the sandbox does)
		nsx sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 \
			net.ipv6.conf.default.keep_addr_on_down=1 \
			net.ipv6.conf.all.forwarding=1 || return 1
		ip -n "$NS_A" link add eth0 address "$MAC" type veth peer name peer0 netns "$NS_B" ||
			return 1
		ip -n "$NS_B" link set peer0 up
		ip -n "$NS_A" link set lo up
		ip -n "$NS_A" addr add 10.0.0.1/24 dev eth0
		ip -n "$NS_A" link set eth0 up
		# the link-local (and its anycast address) once the veth has
		# its carrier, then fd00::1, as the sandbox's configuration
		# gives them
		nsx sh -c "$LL_WAIT"
		ip -n "$NS_A" addr add fd00::1/64 dev eth0
	}
	ns_names any
	ns_setup || { ns_cleanup; return 1; }
	(cd "$RUN" && nsx sh run.sh cmds linux.out) || fail "the namespace's commands"
	ns_setup || fail "the namespace again"
	(cd "$RUN" && nsx sh mon.sh mon_cmds linux.mon) || fail "the namespace's monitor"
	ns_cleanup
}

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP-PART: anycast.sh: not root, no namespace to compare with" >&2
else
	step "the commands in the sandbox"
	rrs_run 90 sandbox --no-control -c "$RUN/sb.conf" -- sh -c \
		'cd "$1" && sh run.sh cmds sb.out' sh "$RUN"
	expect_rc 0 "the sandbox's commands"
	rrs_run 90 sandbox-mon --no-control -c "$RUN/sb.conf" -- sh -c \
		'cd "$1" && sh mon.sh mon_cmds sb.mon' sh "$RUN"
	expect_rc 0 "the sandbox's monitor"
	step "the commands in a network namespace (forwarding on)"
	if linux_side; then
		bad=0
		for f in out mon; do
			same_as_linux "sb.$f" "linux.$f" "$f" || bad=1
		done
		[ "$bad" = 0 ] || fail "the sandbox's anycast addresses are not Linux's"
		log "ok: $(wc -l <"$RUN/sb.out.n") lines of commands and $(wc -l <"$RUN/sb.mon.n") of ip monitor alike"
	else
		echo "SKIP-PART: anycast.sh: no network namespace with a veth here" >&2
	fi
	grep -q '^anycast fd00:: dev eth0 proto kernel metric 0' "$RUN/sb.out" ||
		fail "no anycast route for fd00::1/64 in the sandbox"
	grep -q '^Deleted anycast fd00:: dev eth0 table local proto kernel metric 0' "$RUN/sb.mon" ||
		fail "ip monitor: the anycast route's deletion not told"
fi

# ---- 2. a ping of the anycast addresses between two sandboxes ----

routed_pair a b
inner_script a.sh <<'EOF'
#!/bin/sh
# a.sh DIR TAG: DIR/a-TAG.cmds first (when there is one), then up until B
# is done
[ ! -f "$1/a-$2.cmds" ] || sh -x "$1/a-$2.cmds" >"$1/a-$2.cmds.out" 2>&1
echo up
while [ ! -e "$1/done" ]; do sleep 0.1; done
EOF
inner_script b.sh <<EOF
#!/bin/sh
# b.sh DIR: pings, neighbours, TCP and UDP to A's anycast addresses
cd "\$1"
$PING -6 -c 2 -i 0.3 -W 2 fd00:9:: >ping_global 2>&1
echo "rc=\$?" >>ping_global
$PING -6 -c 2 -i 0.3 -W 2 fe80::%eth0 >ping_ll 2>&1
echo "rc=\$?" >>ping_ll
$PING -6 -c 2 -i 0.3 -W 2 fd07::5 >ping_manual 2>&1
echo "rc=\$?" >>ping_manual
$PING -6 -c 2 -i 0.3 -W 2 fd00:9::77 >ping_joined 2>&1
echo "rc=\$?" >>ping_joined
ip -6 neigh show dev eth0 >neigh 2>&1
$PY probe.py fd00:9:: >probe 2>&1
EOF
inner_script hold.py <<'EOF'
#!/usr/bin/python3
# hold.py ADDR DEV DIR: IPV6_JOIN_ANYCAST of ADDR on DEV, DIR/held, then
# hold it until DIR/done is there (at most a minute)
import os, socket, struct, sys, time

s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IPV6, 27,     # IPV6_JOIN_ANYCAST
             socket.inet_pton(socket.AF_INET6, sys.argv[1]) +
             struct.pack("@I", socket.if_nametoindex(sys.argv[2])))
open(os.path.join(sys.argv[3], "held"), "w").close()
for _ in range(600):
    if os.path.exists(os.path.join(sys.argv[3], "done")):
        break
    time.sleep(0.1)
EOF
# HOLD: A's commands for a socket of A that holds fd00:9::77 while B runs
HOLD="$PY $RUN/hold.py fd00:9::77 eth0 $RUN &
i=0; while [ ! -e $RUN/held ] && [ \$i -lt 50 ]; do sleep 0.1; i=\$((i + 1)); done"
inner_script probe.py <<'EOF'
#!/usr/bin/python3
# probe.py ADDR: a TCP connect and a UDP datagram to a closed port of ADDR
import socket, sys

addr = sys.argv[1]
s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
s.settimeout(1.5)
try:
    s.connect((addr, 9))
    print("tcp connected")
except socket.timeout:
    print("tcp timeout")
except OSError as e:
    print("tcp errno", e.errno)
s.close()
u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
u.settimeout(1.5)
u.connect((addr, 9))
u.send(b"x")
try:
    u.recv(100)
    print("udp data")
except socket.timeout:
    print("udp timeout")
except OSError as e:
    print("udp errno", e.errno)
EOF

# pair A-OPTIONS TAG: A with those options, B pings it
pair() {
	local tag=$2 a
	rm -f "$RUN/done" "$RUN/held" "$RUN"/ping_global "$RUN"/ping_ll "$RUN"/ping_manual \
		"$RUN"/ping_joined "$RUN"/neigh "$RUN"/probe
	# shellcheck disable=SC2086
	bg unpriv "$RRS" ${RRS_OPTS:-} --no-control $1 -c "$RUN/a.conf" -- \
		sh "$RUN/a.sh" "$RUN" "$tag" \
		>"$RUN/a-$tag.out" 2>"$RUN/a-$tag.err" </dev/null
	a=$BG_PID
	wait_file 10 "$RUN/a-$tag.out" ||
		{ LAST_OUT=$RUN/a-$tag.out LAST_ERR=$RUN/a-$tag.err; fail "$tag: A did not start"; }
	rrs_run 60 "b-$tag" --no-control --no-forward -c "$RUN/b.conf" -- sh "$RUN/b.sh" "$RUN"
	touch "$RUN/done"
	expect_rc 0 "$tag: B's pings"
	wait_pid 10 "$a" || { LAST_OUT=$RUN/a-$tag.out LAST_ERR=$RUN/a-$tag.err; fail "$tag: A did not end"; }
	for f in ping_global ping_ll ping_manual ping_joined neigh probe; do
		cp "$RUN/$f" "$RUN/$f-$tag"
		log "$tag $f: $(tr '\n' ' ' <"$RUN/$f" | cut -c1-300)"
	done
}
expect_line() { # FILE REGEX WHAT
	grep -Eq -- "$2" "$RUN/$1" || { LAST_OUT=$RUN/$1; fail "$3: no line /$2/ in $1"; }
	log "ok: $3"
}

step "B pings A's subnet-router anycast addresses (A routes)"
mkdir -p "$RUN/pcap" && chmod 777 "$RUN/pcap"
# an anycast route added by hand makes fd07::5 A's (B's default route
# takes it there; nothing answers its neighbour solicitations)
MANUAL='ip -6 route add anycast fd07::5 dev eth0 table local'
printf '%s\n' "$MANUAL" "$HOLD" | inner_script a-fwd.cmds
pair "--pcap $RUN/pcap" fwd
expect_line ping_global-fwd '^64 bytes from fd00:9::1: icmp_seq=2 ' "ping fd00:9:: answered from fd00:9::1"
expect_line ping_global-fwd '^rc=0$' "ping fd00:9:: succeeded"
expect_line ping_ll-fwd '^64 bytes from fe80::[0-9a-f:]+%eth0: icmp_seq=2 ' "ping fe80::%eth0 answered from A's link-local"
expect_line neigh-fwd '^fd00:9:: lladdr [0-9a-f:]{17} ' "B's neighbour entry for fd00:9:: is A"
if command -v tcpdump >/dev/null; then
	tcpdump -r "$RUN/pcap/eth0.pcap" -n -vv 'icmp6 and ip6[40] = 136' >"$RUN/na" 2>/dev/null || true
	expect_line na 'fd00:9::1 > fd00:9::2: .*tgt is fd00:9::, Flags \[router, solicited\]' \
		"A's advertisement of fd00:9:: is a router's, from fd00:9::1, without override"
else
	echo "SKIP-PART: anycast.sh: tcpdump missing, A's advertisements are not checked" >&2
fi
expect_line probe-fwd '^tcp timeout$' "TCP to fd00:9:: dropped without a reset"
expect_line probe-fwd '^udp errno 111$' "UDP to a closed port of fd00:9:: refused"
if command -v tcpdump >/dev/null; then
	tcpdump -r "$RUN/pcap/eth0.pcap" -n 'icmp6 and ip6[40] = 1' >"$RUN/unreach" 2>/dev/null || true
	expect_line unreach '^[0-9:.]+ IP6 fd00:9:: > fd00:9::2: ICMP6, destination unreachable, unreachable port' \
		"the port unreachable comes from fd00:9:: itself (Linux's icmp6_send())"
fi
expect_line ping_manual-fwd '^64 bytes from fd00:9::1: icmp_seq=2 ' \
	"ping fd07::5 (an anycast route added by hand) answered from fd00:9::1"
# a socket's IPV6_JOIN_ANYCAST: Linux 6.18 answers B's solicitation and
# ping of fd00:9::77, from fd00:9::1, forwarding on or off
expect_line ping_joined-fwd '^64 bytes from fd00:9::1: icmp_seq=2 ' \
	"ping fd00:9::77 (joined by a socket of A) answered from fd00:9::1"

# Linux 6.18 (two namespaces): with anycast_src_echo_reply a ping of
# fd00:9:: is answered from fd00:9:: itself, one of fd07::5 still from
# fd00:9::1 (its route, added by hand for fd07::5 alone, is no anycast
# destination to ipv6_anycast_destination()); with echo_ignore_anycast
# fd00:9:: and fe80:: go unanswered, fd07::5 not
step "B pings them while A has net.ipv6.anycast_src_echo_reply=1"
printf '%s\n' "$MANUAL" 'sysctl -w net.ipv6.anycast_src_echo_reply=1' | inner_script a-srcreply.cmds
pair "" srcreply
expect_line ping_global-srcreply '^64 bytes from fd00:9::: icmp_seq=2 ' "ping fd00:9:: answered from fd00:9::"
expect_line ping_ll-srcreply '^64 bytes from fe80::%eth0: icmp_seq=2 ' "ping fe80::%eth0 answered from fe80::"
expect_line ping_manual-srcreply '^64 bytes from fd00:9::1: icmp_seq=2 ' "ping fd07::5 answered from fd00:9::1"

step "B pings them while A has net.ipv6.icmp.echo_ignore_anycast=1"
printf '%s\n' "$MANUAL" 'sysctl -w net.ipv6.icmp.echo_ignore_anycast=1' | inner_script a-ignore.cmds
pair "" ignore
expect_line ping_global-ignore '^rc=[12]$' "ping fd00:9:: unanswered"
grep -q '^64 bytes' "$RUN/ping_global-ignore" && fail "A answered fd00:9:: with echo_ignore_anycast"
expect_line ping_ll-ignore '^rc=[12]$' "ping fe80::%eth0 unanswered"
expect_line ping_manual-ignore '^64 bytes from fd00:9::1: icmp_seq=2 ' "ping fd07::5 answered from fd00:9::1"

step "B pings them while A does not route (--no-forward): no answer"
printf '%s\n' "$HOLD" | inner_script a-nofwd.cmds
pair --no-forward nofwd
expect_line ping_joined-nofwd '^64 bytes from fd00:9::1: icmp_seq=2 ' \
	"ping fd00:9::77 (joined by a socket of A) answered without forwarding"
expect_line ping_global-nofwd '^rc=[12]$' "ping fd00:9:: unanswered"
grep -q '^64 bytes' "$RUN/ping_global-nofwd" && fail "A answered fd00:9:: without forwarding"
log "PASS"
