#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# tracepath.sh - tracepath, mtr and ping through a router, and the
# error-queue and control-message details they read, compared with Linux:
# three sandboxes (A - B - C, B forwarding, its link to C MTU 1280) and
# three network namespaces wired the same way (veth pairs), the same
# commands run in A of each, outputs normalised (times) and compared.
#
#   A eth0 10.0.1.1 fd00:1::1 --- B eth0 10.0.1.2 fd00:1::2
#     default via B                 eth1 10.0.2.1 fd00:2::1 (MTU 1280) --- C eth0 10.0.2.2 fd00:2::2
#
# - cmsg.py: the order of the IPv6 receive control messages with RFC
#   3542's and RFC 2292's options on (IPV6_2292PKTINFO, IPV6_2292HOPLIMIT,
#   which tracepath -6 sets), and a local EMSGSIZE read from the error
#   queue (unconnected and connected, IPv4 and IPv6): its name's port
#   (IPv4: the connected port or 0; IPv6: the destination's) and its
#   control messages (a timestamp and the error, nothing else);
# - tracepath -n and -6: hops, "pmtu 1280" from B, "reached", the hops
#   back; the [LOCALHOST] line with a time for IPv6 only (tracepath -6's
#   first 128000-byte probe is refused with a local error carrying the
#   MTU);
# - mtr -r: hop, host, loss and count columns;
# - an address on C's link that no one answers (10.0.2.9, fd00:2::9):
#   B gives up resolving it after three requests (about 3 s) and answers
#   what waited with an ICMP host unreachable (ICMPv6 address
#   unreachable), so ping from A prints "Destination Host Unreachable"
#   ("Address unreachable") from B, nc's connect fails with "No route to
#   host", tracepath ends with "!H"; the same from B itself, its own
#   address the sender; B's `ip neigh` then lists both addresses FAILED
#   (deleted and flushed as any entry);
# - traceroute -T (a raw TCP socket reading the time exceeded that
#   quotes its SYN), IPv4 and IPv6: B at hop 1, C at hop 2;
# - ping -6 -s 2000 (last, when A knows the path MTU from tracepath -6:
#   its fragments fit, as on Linux) and ping -6 -s 2000 to fd00:2::3 (a
#   path A never used: A sends it in two fragments, the first too big for
#   B's link to C, and B's "Packet too big: mtu=1280", quoting the
#   fragment header, reaches ping).
#
# The sandboxes run as the unprivileged user.  Needs root for the
# namespaces (skips with 77 otherwise), tracepath, mtr and python3.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need ip tracepath mtr sed diff "$PY"

[ "$(id -u)" -eq 0 ] || skip "the Linux side needs root (ip netns add)"
ns_names tracepath
NS_C=rrs-tracepath-$$-c
trap 'rc=$?; ns_cleanup; ip netns del "$NS_C" 2>/dev/null; set +e; (exit $rc); cleanup' EXIT

narrow_path </dev/null

# cmsg.py DST4 DST6: control messages and error-queue entries, one line each
inner_script cmsg.py <<'EOF'
import errno, socket, struct, sys

def types(anc):
    return [(level, kind) for level, kind, _ in anc]

r = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
r.bind(("::1", 0))
# IPV6_RECVPKTINFO, IPV6_2292PKTINFO, IPV6_RECVHOPLIMIT, IPV6_2292HOPLIMIT,
# IPV6_RECVTCLASS
for opt in (49, 2, 51, 8, 66):
    r.setsockopt(41, opt, 1)
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.sendto(b"x", r.getsockname()[:2])
_, anc, _, _ = r.recvmsg(10, 512)
print("all on:", types(anc))
for level, kind, data in anc:
    if kind in (2, 50):
        print("pktinfo", kind, socket.inet_ntop(socket.AF_INET6, data[:16]),
              struct.unpack("I", data[16:20])[0] == socket.if_nametoindex("lo"))
    if kind in (8, 52):
        print("hoplimit", kind, struct.unpack("i", data)[0])
for opt in (49, 51, 66):
    r.setsockopt(41, opt, 0)
s.sendto(b"y", r.getsockname()[:2])
print("2292 only:", types(r.recvmsg(10, 512)[1]))
r.setsockopt(41, 2, 0)
r.setsockopt(41, 8, 0)
print("off:", r.getsockopt(41, 2), r.getsockopt(41, 8))
s.sendto(b"z", r.getsockname()[:2])
print("none:", types(r.recvmsg(10, 512)[1]))
for kind, data in ((2, socket.inet_pton(socket.AF_INET6, "::1") + bytes(4)),
                   (8, struct.pack("i", 7))):
    r.setsockopt(41, 51, 1)
    s.sendmsg([b"w"], [(41, kind, data)], 0, r.getsockname()[:2])
    print("sent with", kind, [(l, k, d.hex()) for l, k, d in r.recvmsg(10, 512)[1]])
try:
    r.setsockopt(41, 52, 1)     # IPV6_HOPLIMIT is not an option
except OSError as e:
    print("IPV6_HOPLIMIT:", errno.errorcode[e.errno])

dst4, dst6 = sys.argv[1], sys.argv[2]
for fam, dst in ((socket.AF_INET, dst4), (socket.AF_INET6, dst6)):
    for conn in (False, True):
        u = socket.socket(fam, socket.SOCK_DGRAM)
        if fam == socket.AF_INET:
            for opt, v in ((10, 2), (11, 1), (12, 1), (8, 1)):  # DO, RECVERR, RECVTTL, PKTINFO
                u.setsockopt(0, opt, v)
        else:   # DO, RECVERR, RECVHOPLIMIT, 2292HOPLIMIT, RECVPKTINFO
            for opt, v in ((23, 2), (25, 1), (51, 1), (8, 1), (49, 1)):
                u.setsockopt(41, opt, v)
        u.setsockopt(socket.SOL_SOCKET, 29, 1)      # SO_TIMESTAMP
        if conn:
            u.connect((dst, 5555))
        try:
            u.sendto(b"a" * 3000, (dst, 5555 if conn else 4444))
            print(fam, conn, "sent")
        except OSError as e:
            print(fam, conn, errno.errorcode[e.errno])
        data, anc, flags, name = u.recvmsg(100, 512, socket.MSG_ERRQUEUE)
        print("  data", len(data), "port", name[1], "flags", hex(flags), types(anc))
        for level, kind, d in anc:
            if kind in (11, 25):
                print("  ee", struct.unpack("IBBBBII", d[:16]))
    if fam == socket.AF_INET6:
        u = socket.socket(fam, socket.SOCK_DGRAM)
        u.setsockopt(41, 23, 2)
        u.setsockopt(41, 25, 1)
        try:
            u.sendto(b"b" * 128000, (dst, 4444))
        except OSError as e:
            print("128000 bytes:", errno.errorcode[e.errno])
        data, anc, flags, name = u.recvmsg(100, 512, socket.MSG_ERRQUEUE)
        print("  port", name[1], [struct.unpack("IBBBBII", d[:16]) for _, _, d in anc])
EOF

# mtr runs its mtr-packet, which carries file capabilities that the
# unprivileged user's empty bounding set cannot exec (EPERM; it needs
# none in a sandbox): a plain copy, named by MTR_PACKET
cp "$(command -v mtr-packet)" "$WORK/bin/mtr-packet" || skip "no mtr-packet beside mtr"
chmod 755 "$WORK/bin/mtr-packet"
stage_ping	# a copy without file capabilities, as mtr-packet's
cat >"$RUN/cmds" <<EOF
$PY cmsg.py 10.0.2.2 fd00:2::2
tracepath -n 10.0.2.2
tracepath -n -6 fd00:2::2
MTR_PACKET=$WORK/bin/mtr-packet mtr -n -r -c 1 10.0.2.2 | tail -n +3 | awk '{ print \$1, \$2, \$3, \$4 }'
MTR_PACKET=$WORK/bin/mtr-packet mtr -6 -n -r -c 1 fd00:2::2 | tail -n +3 | awk '{ print \$1, \$2, \$3, \$4 }'
$PING -c 1 -W 6 10.0.2.9
$PING -6 -c 1 -W 6 fd00:2::9
nc -v -w 10 10.0.2.9 80
nc -6 -v -w 10 fd00:2::9 80
tracepath -n -m 3 10.0.2.9 | grep '!H'
traceroute -n -q 1 -T -p 5000 10.0.2.2
traceroute -6 -n -q 1 -T -p 5000 fd00:2::2
$PING -6 -c 1 -s 2000 fd00:2::2
$PING -6 -c 1 -s 2000 -W 2 fd00:2::3
EOF
# B's own, once A is done: the same unanswered addresses from the router
cat >"$RUN/bcmds" <<EOF
$PING -c 1 -W 6 10.0.2.9
$PING -6 -c 1 -W 6 fd00:2::9
nc -v -w 10 10.0.2.9 80
ip neigh show nud failed | sort
ip -6 neigh show nud failed | sort
ip neigh del 10.0.2.9 dev eth1
ip neigh show nud failed | sort
ip -6 neigh flush dev eth1 nud failed
ip -6 neigh show nud failed | sort
EOF
inner_run_sh
chmod 644 "$RUN/cmds" "$RUN/bcmds"

# ns_setup: A, B and C as namespaces, B forwarding (its own sysctls)
ns_setup() {
	local n
	for n in "$NS_A" "$NS_B" "$NS_C"; do
		ip netns add "$n" 2>/dev/null || skip "ip netns add refused: no network namespaces here"
		ip -n "$n" link set lo up
		ip netns exec "$n" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 || skip "no IPv6 sysctls in a namespace"
	done
	ip -n "$NS_A" link add eth0 type veth peer name eth0 netns "$NS_B" ||
		skip "cannot create a veth pair"
	ip -n "$NS_B" link add eth1 mtu 1280 type veth peer name eth0 netns "$NS_C" mtu 1280
	ip -n "$NS_A" addr add 10.0.1.1/24 dev eth0
	ip -n "$NS_A" addr add fd00:1::1/64 dev eth0
	ip -n "$NS_B" addr add 10.0.1.2/24 dev eth0
	ip -n "$NS_B" addr add fd00:1::2/64 dev eth0
	ip -n "$NS_B" addr add 10.0.2.1/24 dev eth1
	ip -n "$NS_B" addr add fd00:2::1/64 dev eth1
	ip -n "$NS_C" addr add 10.0.2.2/24 dev eth0
	ip -n "$NS_C" addr add fd00:2::2/64 dev eth0
	for n in "$NS_A" "$NS_B" "$NS_C"; do ip -n "$n" link set eth0 up; done
	ip -n "$NS_B" link set eth1 up
	ip -n "$NS_A" route add default via 10.0.1.2
	ip -n "$NS_A" route add default via fd00:1::2
	ip -n "$NS_C" route add default via 10.0.2.1
	ip -n "$NS_C" route add default via fd00:2::1
	ip netns exec "$NS_B" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
}

# norm: times out of tracepath's and ping's lines
norm() {
	sed -E -e 's/ +[0-9]+\.[0-9]+ms/ Tms/g' -e 's/[0-9]+\.[0-9]+ ms/T ms/g' \
		-e 's/time [0-9]+ms/time Tms/' -e 's#^rtt min/avg/max/mdev = .*#rtt T#' \
		"$RUN/$1" >"$RUN/$1.t"
}

step "B and C as sandboxes, then the commands in A"
bg unpriv "$RRS" --no-control -c "$RUN/c.conf" -- \
	sh -c "while [ ! -e '$RUN/stop' ]; do sleep 0.2; done" >"$RUN/c.out" 2>"$RUN/c.err" </dev/null
bg unpriv "$RRS" --no-control -c "$RUN/b.conf" -- sh -c \
	"while [ ! -e '$RUN/stop' ]; do sleep 0.2; done; cd '$RUN' && sh run.sh bcmds sb-b.out" \
	>"$RUN/b.out" 2>"$RUN/b.err" </dev/null
b=$BG_PID
sleep 1
rrs_run 120 sandbox --no-control -c "$RUN/a.conf" -- sh -c 'cd "$1" && sh run.sh cmds sb.out' sh "$RUN"
expect_rc 0 "the sandbox's run"
touch "$RUN/stop"
wait_pid 60 "$b" || fail "B's own commands: exit status $?"

step "the same in network namespaces"
ns_setup
(cd "$RUN" && nsx sh run.sh cmds linux.out &&
 ip netns exec "$NS_B" sh run.sh bcmds linux-b.out) || fail "the namespace's run"

norm sb.out
norm linux.out
norm sb-b.out
norm linux-b.out
bad=0
same_as_linux sb.out.t linux.out.t "A: tracepath, mtr, ping, nc, cmsg.py" || bad=1
same_as_linux sb-b.out.t linux-b.out.t "B: ping, nc" || bad=1
[ "$bad" = 0 ] || fail "the sandbox's answers are not Linux's"
grep -q "From 10.0.1.2 icmp_seq=1 Destination Host Unreachable" "$RUN/sb.out" ||
	fail "no host unreachable from B for 10.0.2.9"
grep -q "From 10.0.2.1 icmp_seq=1 Destination Host Unreachable" "$RUN/sb-b.out" ||
	fail "no host unreachable to B itself for 10.0.2.9"
grep -q "2:  10.0.2.2 .* reached" "$RUN/sb.out" || fail "tracepath did not reach C"
grep -q "2:  fd00:2::2 .* reached" "$RUN/sb.out" || fail "tracepath -6 did not reach C"
grep -q "Resume: pmtu 1280 hops 2 back 2" "$RUN/sb.out" || fail "no pmtu 1280, hops 2 back 2"
log "PASS"
