#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# mcast.sh - multicast UDP between sandboxes on one shared segment, and
# the socket options and errors of multicast as Linux gives them.
#
#      A: sender                B: member              C: member, leaves
#      eth0 10.0.0.1            eth0 10.0.0.2          eth0 10.0.0.3
#           fd00::1                  fd00::2                fd00::3
#        |                        |                      |
#   =====+========================+======================+=====  one `link`
#
# B and C join 239.1.2.3 and ff02::123 on eth0; A sends "one" to both
# groups; C drops its memberships after "one"; A sends "two" and "stop".
# B gets all three with TTL / hop limit 1 (the multicast default) and
# IP_PKTINFO / IPV6_PKTINFO naming the group and eth0, the IPv6 sender's
# link-local address with eth0 as its scope; C gets "one" only.
# Then, in A alone, selfcheck.py: defaults (IP_MULTICAST_TTL 1, LOOP 1,
# ALL 1), EINVAL / ENODEV / EADDRINUSE / EADDRNOTAVAIL / EPROTO where
# Linux gives them, IP_MULTICAST_LOOP delivering (or not) the sender's own
# datagram, IP_MULTICAST_ALL on and off, UDP and raw sockets bound to
# eth0's broadcast address, own broadcasts looped back, an AF_INET6
# socket's IPv4 options (apart from its IPv6 ones, IP_MULTICAST_ALL off)
# and its v4-mapped multicast (TTL, joins, IPV6_MULTICAST_LOOP).  Every
# expectation was checked against Linux 6.18 in a network namespace.  And, A to B, raw IPv6 with
# IPV6_CHECKSUM: a packet with a bad checksum never reaches the socket.
# And B with conf/eth0/disable_ipv6 1 gets nothing of a group it joined,
# loses fd00::2, and at 0 gets the group again and its link-local back;
# A sends to it by sin6_scope_id alone.  A sends to a group without a
# device: out of the device of the first ff00::/8 route, ENETUNREACH with
# none; A pings ff02::1%eth0 and its own link-local and answers itself;
# ff02::1 without a device is refused (ping socket: EINVAL).
# Last, mcast_ssm.py: source filters (IP_ADD_SOURCE_MEMBERSHIP and the
# other RFC 3678 options, IPv4 and IPv6), their errors, what getsockopt()
# reads back and which sources' datagrams each filter lets in, in a
# sandbox with two addresses of each family on eth0 (and a device eth1:
# whose memberships count for a group's datagram), compared line by
# line with the same script on Linux in a network namespace (root), or
# else with mcast_ssm.linux, what Linux 6.18 printed; where the
# namespace can be made, also mcast_ssm_fuzz.py, seeded random joins,
# leaves and filters, line by line.  Then iperf (2)
# as a real program: a server joined to (10.0.0.11, 232.1.1.20) gets the
# stream a client sends from 10.0.0.11, not the one from 10.0.0.1.

set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"

for i in 1 2 3; do
	remotes=
	for j in 1 2 3; do
		[ "$j" = "$i" ] || remotes="$remotes remote $RUN/seg$j.link"
	done
	cat >"$RUN/net$i.conf" <<EOF
link add eth0 type link local $RUN/seg$i.link$remotes
addr add 10.0.0.$i/24 dev eth0
addr add fd00::$i/64 dev eth0
EOF
done

# recv.py NAME [leave]: join both groups on eth0, log every datagram as
# "FAMILY DATA ttl=T dst=D ifindex=I from=SCOPE" until "stop" on both
# (or 10 s); with "leave", drop the memberships after "one" and say so.
inner_script recv.py <<'EOF'
import os, select, socket, struct, sys, time
name, leave = sys.argv[1], len(sys.argv) > 2
ifi = socket.if_nametoindex("eth0")
IP_PKTINFO, IP_RECVTTL = 8, 12
s4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s4.bind(("0.0.0.0", 7000))
m4 = struct.pack("4s4si", socket.inet_aton("239.1.2.3"), b"\0" * 4, ifi)
s4.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, m4)
s4.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
s4.setsockopt(socket.IPPROTO_IP, IP_RECVTTL, 1)
s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
s6.bind(("::", 7000))
m6 = socket.inet_pton(socket.AF_INET6, "ff02::123") + struct.pack("I", ifi)
s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, m6)
s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVPKTINFO, 1)
s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVHOPLIMIT, 1)
open(name + ".ready", "w").write("1\n")
out = open(name + ".log", "w")
stopped, ones, end = set(), set(), time.time() + 10
while len(stopped) < 2 and time.time() < end:
    for s in select.select([s4, s6], [], [], 0.5)[0]:
        data, anc, _, frm = s.recvmsg(100, 200)
        fam = "4" if s is s4 else "6"
        ttl = dst = idx = None
        for lvl, typ, d in anc:
            if (lvl, typ) in ((socket.IPPROTO_IP, socket.IP_TTL), (socket.IPPROTO_IPV6, socket.IPV6_HOPLIMIT)):
                ttl = struct.unpack("i", d[:4])[0]
            elif (lvl, typ) == (socket.IPPROTO_IP, IP_PKTINFO):
                idx = struct.unpack("i", d[:4])[0]
                dst = socket.inet_ntoa(d[8:12])
            elif (lvl, typ) == (socket.IPPROTO_IPV6, socket.IPV6_PKTINFO):
                dst = socket.inet_ntop(socket.AF_INET6, d[:16])
                idx = struct.unpack("I", d[16:20])[0]
        scope = frm[3] if fam == "6" else "-"
        out.write("%s %s ttl=%s dst=%s ifindex=%s scope=%s\n" % (fam, data.decode(), ttl, dst, idx, scope))
        out.flush()
        if data == b"stop":
            stopped.add(fam)
        if data == b"one":
            ones.add(fam)
        if leave and len(ones) == 2 and not os.path.exists(name + ".left"):
            s4.setsockopt(socket.IPPROTO_IP, socket.IP_DROP_MEMBERSHIP, m4)
            s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_LEAVE_GROUP, m6)
            open(name + ".left", "w").write("1\n")
open(name + ".ifindex", "w").write("%d\n" % ifi)
EOF

# send.py: "one" to both groups, "two" and "stop" once C has left
inner_script send.py <<'EOF'
import os, socket, struct, sys, time
def wait(f):
    for _ in range(200):
        if os.path.exists(f):
            return
        time.sleep(0.05)
    sys.exit("no " + f)
ifi = socket.if_nametoindex("eth0")
s4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s4.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, struct.pack("4s4si", b"\0" * 4, b"\0" * 4, ifi))
s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, ifi)
def send(m):
    s4.sendto(m, ("239.1.2.3", 7000))
    s6.sendto(m, ("ff02::123", 7000))
wait("b.ready"); wait("c.ready")
time.sleep(0.5)
send(b"one")
wait("c.left")
time.sleep(0.5)
send(b"two")
time.sleep(0.2)
send(b"stop")
EOF
# v6off.py in B: a group joined on eth0 stops arriving while
# conf/eth0/disable_ipv6 is 1 (ipv6_rcv() drops), and arrives again at 0,
# when eth0 has its link-local address back and not fd00::2 (Linux's
# addrconf_ifdown() and NETDEV_UP).  Lines: "before a1", "off N" (N
# datagrams while off), "on a3", "addrs ..." (eth0's IPv6 addresses).
inner_script v6off.py <<'EOF'
import os, socket, struct, subprocess, time
ifi = socket.if_nametoindex("eth0")
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", 7001))
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP,
             socket.inet_pton(socket.AF_INET6, "ff02::124") + struct.pack("I", ifi))
out = open("v6off.log", "w")
def conf(v):
    with open("/proc/sys/net/ipv6/conf/eth0/disable_ipv6", "w") as f:
        f.write(v + "\n")
def drain():
    s.setblocking(False)
    try:
        while True:
            s.recv(100)
    except BlockingIOError:
        pass
open("b.ready", "w").write("1\n")
s.settimeout(5)
out.write("before %s\n" % s.recv(100).decode())
conf("1")
drain()
open("b.off", "w").write("1\n")
n, end = 0, time.time() + 1.5
while time.time() < end:
    s.settimeout(max(end - time.time(), 0.01))
    try:
        s.recv(100)
        n += 1
    except socket.timeout:
        pass
out.write("off %d\n" % n)
conf("0")
open("b.on", "w").write("1\n")
s.settimeout(5)
try:
    out.write("on %s\n" % s.recv(100).decode())
except socket.timeout:
    out.write("on nothing\n")
open("b.done", "w").write("1\n")
addrs = subprocess.run(["ip", "-6", "-o", "addr", "show", "dev", "eth0"],
                       capture_output=True, text=True).stdout.split("\n")
out.write("addrs %s\n" % " ".join(l.split()[3] for l in addrs if l.strip()))
EOF

# v6send.py in A: to ff02::124 with only sin6_scope_id naming eth0 (no
# IPV6_MULTICAST_IF: the scope decides, as udpv6_sendmsg()): "a1" until
# B is off, "a2" while it is, "a3" once it is on again
inner_script v6send.py <<'EOF'
import os, socket, sys, time
ifi = socket.if_nametoindex("eth0")
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
def until(f, m, secs):
    end = time.time() + secs
    while not os.path.exists(f):
        if time.time() > end:
            sys.exit("no " + f)
        if m:
            s.sendto(m, ("ff02::124", 7001, 0, ifi))
        time.sleep(0.1)
until("b.ready", None, 10)
until("b.off", b"a1", 10)
for _ in range(10):
    s.sendto(b"a2", ("ff02::124", 7001, 0, ifi))
    time.sleep(0.1)
until("b.on", None, 10)
until("b.done", b"a3", 10)
EOF

cp "$HERE/mcast_selfcheck.py" "$RUN/selfcheck.py"
chmod 644 "$RUN/selfcheck.py"

# pair_run() - B (net2.conf) runs a script in the background while A
#              (net1.conf) runs another; fail unless both exit 0
# @1: A's tag (rrs_run's capture files)  @2: A's time limit, seconds
# @3: B's tag ($RUN/TAG.out and TAG.err)
# @4: A's script and its arguments, words split at spaces
# @5: B's, the same
pair_run() {
	local b rc=0 a_cmd b_cmd
	read -ra a_cmd <<<"$4"
	read -ra b_cmd <<<"$5"
	bg unpriv "$RRS" --no-control -c "$RUN/net2.conf" -- "$PY" "$RUN/${b_cmd[0]}" \
		"${b_cmd[@]:1}" >"$RUN/$3.out" 2>"$RUN/$3.err" </dev/null
	b=$BG_PID
	rrs_run "$2" "$1" --no-control -c "$RUN/net1.conf" -- "$PY" "$RUN/${a_cmd[0]}" \
		"${a_cmd[@]:1}"
	expect_rc 0 "$4 in A"
	wait_pid 20 "$b" || rc=$?
	LAST_OUT=$RUN/$3.out LAST_ERR=$RUN/$3.err
	[ "$rc" -eq 0 ] || fail "$5 in B: status $rc"
}

step "A sends to 239.1.2.3 and ff02::123; B and C joined, C leaves after one"
bg unpriv "$RRS" --no-control -c "$RUN/net2.conf" -- "$PY" "$RUN/recv.py" b \
	>"$RUN/b.out" 2>"$RUN/b.err" </dev/null
b=$BG_PID
bg unpriv "$RRS" --no-control -c "$RUN/net3.conf" -- "$PY" "$RUN/recv.py" c leave \
	>"$RUN/c.out" 2>"$RUN/c.err" </dev/null
c=$BG_PID
rrs_run 30 a --no-control -c "$RUN/net1.conf" -- "$PY" "$RUN/send.py"
expect_rc 0 "send.py in A"
rc=0
wait_pid 20 "$b" || rc=$?
LAST_OUT=$RUN/b.out LAST_ERR=$RUN/b.err
[ "$rc" -eq 0 ] || fail "recv.py in B: status $rc"
rc=0
wait_pid 20 "$c" || rc=$?
LAST_OUT=$RUN/c.out LAST_ERR=$RUN/c.err
[ "$rc" -eq 0 ] || fail "recv.py in C: status $rc"
sed 's/^/    B: /' "$RUN/b.log" >&2
sed 's/^/    C: /' "$RUN/c.log" >&2
idx=$(cat "$RUN/b.ifindex")
LAST_OUT=$RUN/b.log LAST_ERR=
for m in one two stop; do
	grep -qx "4 $m ttl=1 dst=239.1.2.3 ifindex=$idx scope=-" "$RUN/b.log" ||
		fail "B: no IPv4 '$m' with TTL 1 and IP_PKTINFO 239.1.2.3 on eth0"
	grep -qx "6 $m ttl=1 dst=ff02::123 ifindex=$idx scope=$idx" "$RUN/b.log" ||
		fail "B: no IPv6 '$m' with hop limit 1, IPV6_PKTINFO ff02::123 on eth0, scoped sender"
done
[ "$(wc -l <"$RUN/b.log")" -eq 6 ] || fail "B: not exactly six datagrams"
log "ok: B received one, two, stop on both groups, TTL 1, PKTINFO right"
LAST_OUT=$RUN/c.log
if ! grep -q '^4 one ' "$RUN/c.log" || ! grep -q '^6 one ' "$RUN/c.log"; then
	fail "C: did not receive 'one' before leaving"
fi
grep -Eq ' (two|stop) ' "$RUN/c.log" && fail "C: received datagrams after leaving both groups"
log "ok: C received 'one' only: after IP_DROP_MEMBERSHIP / IPV6_LEAVE_GROUP nothing more"

step "raw IPv6 (protocol 253) with IPV6_CHECKSUM across the link: verified on receipt"
# B's socket asks for the checksum at offset 2: A's packet whose
# checksum A's own IPV6_CHECKSUM socket made gets through, one sent
# without it (garbage at the offset) is dropped, as Linux's rawv6_rcv()
inner_script raw6.py <<'EOF'
import socket, sys, time
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 253)
if sys.argv[1] == "recv":
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_CHECKSUM, 2)
    open("raw6.ready", "w").write("1\n")
    s.settimeout(5)
    out = open("raw6.log", "w")
    while True:
        try:
            d = s.recv(100)
        except socket.timeout:
            break
        out.write(d[4:].decode() + "\n")
        out.flush()
        if d[4:] == b"stop":
            break
    sys.exit(0)
good = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 253)
good.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_CHECKSUM, 2)
for _ in range(100):
    try:
        open("raw6.ready")
        break
    except OSError:
        time.sleep(0.05)
time.sleep(0.3)
good.sendto(b"\0\0\0\0good", ("fd00::2", 0))
s.sendto(b"\0\0\x12\x34bad!", ("fd00::2", 0))
good.sendto(b"\0\0\0\0stop", ("fd00::2", 0))
EOF
pair_run raw6 30 b "raw6.py send" "raw6.py recv"
LAST_OUT=$RUN/raw6.log LAST_ERR=
[ "$(tr '\n' ' ' <"$RUN/raw6.log")" = "good stop " ] ||
	fail "B: expected 'good' and 'stop' only (the bad checksum dropped)"
log "ok: IPV6_CHECKSUM verified: the good packets in, the bad one dropped"

step "B turns IPv6 off on eth0 and on again (disable_ipv6); A sends by scope id alone"
pair_run v6send 40 v6off v6send.py v6off.py
sed 's/^/    B: /' "$RUN/v6off.log" >&2
LAST_OUT=$RUN/v6off.log LAST_ERR=
grep -qx 'before a1' "$RUN/v6off.log" ||
	fail "B: nothing sent to ff02::124 by scope id alone arrived"
grep -qx 'off 0' "$RUN/v6off.log" ||
	fail "B: datagrams arrived on eth0 while its IPv6 was off"
grep -qx 'on a3' "$RUN/v6off.log" || fail "B: nothing arrived once IPv6 was on again"
grep -Eq '^addrs fe80::[0-9a-f:]+/64$' "$RUN/v6off.log" ||
	fail "B: eth0's IPv6 addresses after off and on are not its link-local alone"
log "ok: off, B's group gets nothing (ipv6_rcv() drops); on, it does, with the link-local back and fd00::2 gone"

step "a group without a device: the first ff00::/8 route's device, none without it"
# route6.py in A: to ff02::125 with no IPV6_MULTICAST_IF, no bound device
# and no scope id, as Linux's udpv6_sendmsg() and ip6_route_output() send
# it: out of the device of the first `multicast ff00::/8` route in table
# local ("m1"); with that route deleted, ENETUNREACH ("m2"); added again,
# out again ("m3"); a join without a device ENODEV without the route
# ("j2"), joined with it ("j3"), as ipv6_sock_mc_join().  B joined
# ff02::125 on eth0 and logs what arrives.
inner_script route6.py <<'EOF'
import errno, os, socket, subprocess, sys, time
for _ in range(200):
    if os.path.exists("b6.ready"):
        break
    time.sleep(0.05)
else:
    sys.exit("no b6.ready")
out = open("route6.log", "w")
def send(m):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    try:
        s.sendto(m.encode(), ("ff02::125", 7002))
        out.write("%s sent\n" % m)
    except OSError as e:
        out.write("%s %s\n" % (m, errno.errorcode[e.errno]))
    out.flush()
def join(m):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    try:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP,
                     socket.inet_pton(socket.AF_INET6, "ff02::126") + b"\0" * 4)
        out.write("%s joined\n" % m)
    except OSError as e:
        out.write("%s %s\n" % (m, errno.errorcode[e.errno]))
def ip(*a):
    subprocess.run(["ip", "-6", "route"] + list(a) + ["table", "local"], check=True)
send("m1")
ip("del", "multicast", "ff00::/8", "dev", "eth0")
send("m2")
join("j2")
ip("add", "multicast", "ff00::/8", "dev", "eth0")
send("m3")
join("j3")
EOF
inner_script recv6.py <<'EOF'
import socket, struct
ifi = socket.if_nametoindex("eth0")
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", 7002))
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP,
             socket.inet_pton(socket.AF_INET6, "ff02::125") + struct.pack("I", ifi))
open("b6.ready", "w").write("1\n")
s.settimeout(5)
out = open("recv6.log", "w")
while True:
    try:
        m = s.recv(100).decode()
    except socket.timeout:
        break
    out.write(m + "\n")
    out.flush()
    if m == "m3":
        break
EOF
pair_run route6 30 recv6 route6.py recv6.py
sed 's/^/    A: /' "$RUN/route6.log" >&2
sed 's/^/    B: /' "$RUN/recv6.log" >&2
LAST_OUT=$RUN/route6.log LAST_ERR=
[ "$(tr '\n' ' ' <"$RUN/route6.log")" = "m1 sent m2 ENETUNREACH j2 ENODEV m3 sent j3 joined " ] ||
	fail "A: expected m1 sent, m2 ENETUNREACH and a join ENODEV (no ff00::/8 route), m3 sent, a join"
LAST_OUT=$RUN/recv6.log
[ "$(tr '\n' ' ' <"$RUN/recv6.log")" = "m1 m3 " ] || fail "B: expected m1 and m3"
log "ok: a group without a device leaves by the ff00::/8 route's device; none without the route"

step "A pings ff02::1%eth0 and its own link-local: its own answer, from eth0; ff02::1: EINVAL"
# Linux loops its own multicast echo request back and answers it, through
# lo, as from the device holding the address (`64 bytes from
# fe80::...%eth0`); the same for a ping of its own link-local address.
# ff02::1 without a device: the ICMP datagram socket an unprivileged ping
# uses refuses it (ping_v6_sendmsg(): EINVAL, "1 packets transmitted, 0
# received", as Linux 6.18 with ping_group_range; a raw socket would
# send it by the ff00::/8 route).
inner_script ping6self.sh <<'EOF'
ll=$(ip -6 -o addr show dev eth0 scope link | sed -n 's/.* inet6 \([^/]*\)\/.*/\1/p')
echo "ll $ll"
"$1" -6 -c1 -W2 ff02::1%eth0
"$1" -6 -c1 -W2 ff02::1
"$1" -6 -c1 -W2 "$ll%eth0"
EOF
if command -v ping >/dev/null; then
	stage_ping
	rrs_run 30 ping6self --no-control -c "$RUN/net1.conf" -- sh "$RUN/ping6self.sh" "$PING"
	expect_rc 0 "ping6self.sh in A"
	ll=$(sed -n 's/^ll //p' "$RUN/ping6self.out")
	[ -n "$ll" ] || fail "A: no link-local address on eth0"
	[ "$(grep -c "^64 bytes from $ll%eth0: icmp_seq=1 " "$RUN/ping6self.out")" -eq 2 ] ||
		fail "A: not two answers from its own $ll%eth0"
	grep -A3 "^PING ff02::1(" "$RUN/ping6self.out" |
		grep -q "^1 packets transmitted, 0 received" ||
		fail "A: ping ff02::1 without a device was not refused"
	log "ok: its own answer to each scoped ping, from $ll%eth0; none unscoped"
else
	log "SKIP: no ping here: A's answer to its own ping of ff02::1%eth0 not checked"
fi

step "A to its own addresses: IPV6_PKTINFO and the sender's scope name eth0, not lo"
# Linux delivers them through lo but as arriving on the device holding
# the address (ip6_rcv_core(): the local route's device); ::1 is lo's.
inner_script own6.py <<'EOF'
import socket, struct, subprocess
ifi = socket.if_nametoindex("eth0")
ll = subprocess.run(["ip", "-6", "-o", "addr", "show", "dev", "eth0", "scope", "link"],
                    capture_output=True, text=True).stdout.split()[3].split("/")[0]
r = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
r.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVPKTINFO, 1)
r.bind(("::", 7003))
r.settimeout(5)
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
lo = socket.if_nametoindex("lo")
for dst, scope, want in (("fd00::1", 0, ifi), (ll, ifi, ifi), ("::1", 0, lo)):
    s.sendto(b"x", (dst, 7003, 0, scope))
    data, anc, fl, addr = r.recvmsg(100, 100)
    got = [struct.unpack("16sI", c[2])[1] for c in anc if c[1] == socket.IPV6_PKTINFO]
    ok = got == [want] and addr[3] == (ifi if scope else 0)
    print("%s %s pktinfo=%s scope=%d" % ("ok" if ok else "bad", dst, got, addr[3]))
EOF
rrs_run 30 own6 --no-control -c "$RUN/net1.conf" -- "$PY" "$RUN/own6.py"
expect_rc 0 "own6.py in A"
sed 's/^/    A: /' "$RUN/own6.out" >&2
[ "$(grep -c '^ok ' "$RUN/own6.out")" -eq 3 ] ||
	fail "A: IPV6_PKTINFO or the scope of its own addresses is not eth0's (lo's for ::1)"
log "ok: its own addresses arrive as eth0's"

step "socket options, errors, loopback and IP_MULTICAST_ALL (selfcheck.py)"
rrs_run 30 self --no-control -c "$RUN/net1.conf" -- "$PY" "$RUN/selfcheck.py" eth0
expect_rc 0 "selfcheck.py in A"
grep -qx 'selfcheck ok' "$RUN/self.out" || fail "selfcheck.py said nothing"
log "ok: selfcheck.py"

step "source filters (mcast_ssm.py): their options, errors and deliveries as Linux's"
cp "$HERE/mcast_ssm.py" "$RUN/ssm.py"
cp "$HERE/mcast_ssm_lib.py" "$HERE/mcast_ssm_fuzz.py" "$RUN/"
chmod 644 "$RUN/mcast_ssm_lib.py" "$RUN/mcast_ssm_fuzz.py"
FUZZ_SEEDS=(1 2 3 4) FUZZ_CALLS=2500
cat >"$RUN/ssm.conf" <<EOF
link add eth0 type link local $RUN/ssm0.link remote $RUN/ssm-absent.link
addr add 10.0.0.1/24 dev eth0
addr add 10.0.0.11/24 dev eth0
addr add fd00::1/64 dev eth0
addr add fd00::11/64 dev eth0
link add eth1 type link local $RUN/ssm1.link remote $RUN/ssm-absent1.link
addr add 10.0.1.1/24 dev eth1
addr add fd01::1/64 dev eth1
route add 232.1.1.20/32 dev eth0
EOF
chmod 644 "$RUN/ssm.py" "$RUN/ssm.conf"
SSM_ARGS=(eth0 10.0.0.1 10.0.0.11 fd00::1 fd00::11 eth1)
rrs_run 60 ssm --no-control -c "$RUN/ssm.conf" -- "$PY" "$RUN/ssm.py" "${SSM_ARGS[@]}"
expect_rc 0 "ssm.py in a sandbox"
# Linux itself where a namespace can be made (root), else what Linux
# 6.18 printed (mcast_ssm.linux)
ns_names ssm
if [ "$(id -u)" -eq 0 ] && ns_one_veth 10.0.0.1/24 10.0.0.11/24 &&
	ip -n "$NS_A" addr add fd00::1/64 dev eth0 nodad &&
	ip -n "$NS_A" addr add fd00::11/64 dev eth0 nodad &&
	ip -n "$NS_A" link add eth1 type veth peer name peer1 netns "$NS_B" &&
	ip -n "$NS_B" link set peer1 up && ip -n "$NS_A" link set eth1 up &&
	ip -n "$NS_A" addr add 10.0.1.1/24 dev eth1 &&
	ip -n "$NS_A" addr add fd01::1/64 dev eth1 nodad &&
	ip -n "$NS_A" route add 232.1.1.20/32 dev eth0; then
	rc=0
	with_timeout 60 ip netns exec "$NS_A" "${UNPRIV_CMD[@]}" "$PY" "$RUN/ssm.py" \
		"${SSM_ARGS[@]}" >"$RUN/ssm.linux" 2>&1 || rc=$?
	for seed in "${FUZZ_SEEDS[@]}"; do
		[ "$rc" -eq 0 ] || break
		with_timeout 60 ip netns exec "$NS_A" "${UNPRIV_CMD[@]}" "$PY" \
			"$RUN/mcast_ssm_fuzz.py" "${SSM_ARGS[@]}" "$seed" "$FUZZ_CALLS" \
			>"$RUN/fuzz$seed.linux" 2>&1 || rc=$?
	done
	ns_cleanup
	[ "$rc" -eq 0 ] || fail "ssm.py or mcast_ssm_fuzz.py in a network namespace: status $rc"
	same_as_linux ssm.out ssm.linux "source filters" ||
		fail "the sandbox's source filters are not Linux's"
	log "ok: $(wc -l <"$RUN/ssm.out") lines as in a network namespace"
	step "random joins, leaves and source filters (mcast_ssm_fuzz.py, seeds ${FUZZ_SEEDS[*]}) against Linux's"
	for seed in "${FUZZ_SEEDS[@]}"; do
		rrs_run 60 "fuzz$seed" --no-control -c "$RUN/ssm.conf" -- "$PY" \
			"$RUN/mcast_ssm_fuzz.py" "${SSM_ARGS[@]}" "$seed" "$FUZZ_CALLS"
		expect_rc 0 "mcast_ssm_fuzz.py $seed in a sandbox"
		same_as_linux "fuzz$seed.out" "fuzz$seed.linux" "seed $seed" ||
			fail "seed $seed: the sandbox's memberships or filters are not Linux's"
	done
	log "ok: ${#FUZZ_SEEDS[@]} seeds of $FUZZ_CALLS calls, each line as Linux's"
else
	ns_cleanup
	log "no network namespace here (not root, or refused): against mcast_ssm.linux"
	echo "SKIP-PART: $SCENARIO.sh: mcast_ssm_fuzz.py needs Linux in a network namespace to compare with" >&2
	cp "$HERE/mcast_ssm.linux" "$RUN/ssm.linux"
	same_as_linux ssm.out ssm.linux "source filters" ||
		fail "the sandbox's source filters are not Linux 6.18's"
	log "ok: $(wc -l <"$RUN/ssm.out") lines as mcast_ssm.linux"
fi

step "iperf (2) with a source-specific join: only the chosen source's stream arrives"
if ! command -v iperf >/dev/null 2>&1; then
	echo "SKIP-PART: $SCENARIO.sh: iperf (version 2) is not installed" >&2
else
	cat >"$RUN/ssm-iperf.sh" <<'EOF'
cd "$1" || exit 1
iperf -s -u -B 232.1.1.20%eth0 -H 10.0.0.11 >ssm-iperf.srv 2>&1 &
srv=$!
sleep 1
iperf -c 232.1.1.20 -u -B 10.0.0.11 -T 1 -t 2 -b 1M >ssm-iperf.c1 2>&1
iperf -c 232.1.1.20 -u -B 10.0.0.1 -T 1 -t 2 -b 1M >ssm-iperf.c2 2>&1
sleep 1
kill "$srv"
EOF
	chmod 644 "$RUN/ssm-iperf.sh"
	rrs_run 30 ssm-iperf --no-control -c "$RUN/ssm.conf" -- sh "$RUN/ssm-iperf.sh" "$RUN"
	expect_rc 0 "the iperf run"
	sed 's/^/    server: /' "$RUN/ssm-iperf.srv" >&2
	grep -q 'Joining multicast (S,G)=10.0.0.11,232.1.1.20' "$RUN/ssm-iperf.srv" ||
		fail "iperf did not join (10.0.0.11, 232.1.1.20)"
	grep -q 'connected with 10.0.0.11 ' "$RUN/ssm-iperf.srv" ||
		fail "the stream from 10.0.0.11 did not arrive"
	! grep -q 'connected with 10.0.0.1 ' "$RUN/ssm-iperf.srv" ||
		fail "the stream from 10.0.0.1, not the joined source, arrived"
	total=$(sed -nE 's#.* 0\.0000-2\.[0-9]+ sec .* [0-9]+/([0-9]+) \(.*#\1#p' "$RUN/ssm-iperf.srv" | tail -n 1)
	[ "${total:-0}" -ge 100 ] || fail "the stream's summary counts ${total:-no} datagrams"
	log "ok: $total datagrams from 10.0.0.11, none from 10.0.0.1"
fi
log "PASS"
