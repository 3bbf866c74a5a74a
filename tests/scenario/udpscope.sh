#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# udpscope.sh - IPv6 scopes of datagram sockets, and the source a UDP
# connect() takes, as Linux 6.18 gives them.
#
#        A: eth0 fd00::1 10.0.0.1       eth1 fd01::1 10.0.1.1
#              |                           |
#   ===========+=====  link  ====   =======+========  link  ====
#              |                           |
#        B0: eth0 fe80::99 fd00::2   B1: eth0 fe80::99 fd01::2
#
# probe.py, in A alone: connect() of UDP, ping and raw ICMPv6 sockets to
# link-local addresses and to interface-, link-, site- and global-scope
# groups, with and without sin6_scope_id, SO_BINDTODEVICE and
# IP(V6)_MULTICAST_IF; each line says the result, the device the socket is
# then bound to (SO_BINDTODEVICE) and getsockname() (LL(dev): that
# device's link-local address); then connect(AF_UNSPEC), ping and raw
# sockets' connect() (their source too) and sendto() without a scope id.  bind.py, in A alone: bind() of UDP, TCP,
# ping and raw sockets to A's link-local address, TCP connect() to
# fe80::99, with and without scope ids and SO_BINDTODEVICE.  The expected
# lines of both are what the same scripts printed in a network namespace
# of Linux 6.18 with the same devices and addresses (veth peers in their
# own namespaces holding fe80::99; ping_group_range opened).
# Then A sends to fe80::99 without a scope id: by the first fe80::/64
# route's device (eth0: B0 gets "one"), by SO_BINDTODEVICE eth1 ("two")
# and by IPV6_PKTINFO's eth1 ("three") to B1, and, once eth0's fe80::/64
# route is deleted, by eth1's ("four" to B1), as on Linux; and to ff01::1
# (interface-local) unscoped, %eth0 and %eth1, which Linux never puts on
# the wire.  Then, with default routes via B1 (metric 100) and B0 (200),
# to 192.0.2.1 and 2001:db8::1, which both hold: a socket bound to eth0
# ("five") or naming it in IP(V6)_PKTINFO ("seven") sends to eth0's
# gateway B0, an unbound one ("six") to B1, and with eth0's defaults gone
# IPv4 goes on link ("eight4": ARP for 192.0.2.1, B0 answers) while IPv6
# is ENETUNREACH; with a default route through eth0 back, fe80::98%eth0
# goes to its gateway (A's neighbour table asks for fd00::2), as Linux
# 6.x does (checked with veth namespaces).

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"

cat >"$RUN/a.conf" <<EOF
link add eth0 type link local $RUN/a0.link remote $RUN/b0.link
link add eth1 type link local $RUN/a1.link remote $RUN/b1.link
addr add 10.0.0.1/24 dev eth0
addr add fd00::1/64 dev eth0
addr add 10.0.1.1/24 dev eth1
addr add fd01::1/64 dev eth1
EOF
for i in 0 1; do
	cat >"$RUN/b$i.conf" <<EOF
link add eth0 type link local $RUN/b$i.link remote $RUN/a$i.link
addr add fe80::99/64 dev eth0
addr add fd0$i::2/64 dev eth0
addr add 10.0.$i.2/24 dev eth0
addr add 192.0.2.1/32 dev eth0
addr add 2001:db8::1/128 dev eth0
EOF
done
chmod 644 "$RUN"/*.conf

inner_script probe.py <<'EOF'
import ctypes, errno, socket, struct

SO_BINDTODEVICE = 25
I0, I1 = socket.if_nametoindex("eth0"), socket.if_nametoindex("eth1")
libc = ctypes.CDLL(None, use_errno=True)
# link-local addresses by device, from /proc/net/if_inet6
LL = {}
for line in open("/proc/net/if_inet6"):
    w = line.split()
    a = socket.inet_ntop(socket.AF_INET6, bytes.fromhex(w[0]))
    if a.startswith("fe80:"):
        LL[a] = w[5]


def dev(s):
    return s.getsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, 16).rstrip(b"\0").decode()


def name(s):
    n = s.getsockname()
    if len(n) == 4:
        a = n[0].split("%")[0]
        if a in LL:
            a = "LL(%s)" % LL[a]
        return "%s%%%s" % (a, socket.if_indextoname(n[3]) if n[3] else 0)
    return n[0]


def err(e):
    return errno.errorcode.get(e.errno, str(e.errno))


def t(label, fam, addr, pre=None, typ=socket.SOCK_DGRAM, proto=0):
    s = socket.socket(fam, typ, proto)
    try:
        if pre:
            pre(s)
        s.connect(addr)
        r = "ok dev=%r name=%s" % (dev(s), name(s))
    except OSError as e:
        r = err(e) + " dev=%r" % dev(s)
    print("connect %-28s %s" % (label, r))
    return s


def mcif(i):
    return lambda s: s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, i)


def mcif4(i):
    return lambda s: s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                                  struct.pack("4s4si", b"\0" * 4, b"\0" * 4, i))


def btd(d):
    return lambda s: s.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, d.encode())


def unspec(s, label):
    sa = struct.pack("H", 0) + b"\0" * 26
    r = libc.connect(s.fileno(), sa, len(sa))
    print("connect %-28s %s dev=%r name=%s" % (label, "ok" if r == 0 else "fail",
                                              dev(s), name(s)))


A6, A4 = socket.AF_INET6, socket.AF_INET
t("ff02::1", A6, ("ff02::1", 9))
t("ff02::1%eth0", A6, ("ff02::1", 9, 0, I0))
t("ff02::1%eth1", A6, ("ff02::1", 9, 0, I1))
t("ff02::1 mcif=eth1", A6, ("ff02::1", 9), mcif(I1))
t("ff02::1%eth0 mcif=eth1", A6, ("ff02::1", 9, 0, I0), mcif(I1))
t("ff02::1 btd=eth1", A6, ("ff02::1", 9), btd("eth1"))
t("ff02::1%eth0 btd=eth1", A6, ("ff02::1", 9, 0, I0), btd("eth1"))
t("ff01::1", A6, ("ff01::1", 9))
t("ff01::1%eth1", A6, ("ff01::1", 9, 0, I1))
t("ff05::1", A6, ("ff05::1", 9))
t("ff05::1%eth1", A6, ("ff05::1", 9, 0, I1))
t("ff05::1 mcif=eth1", A6, ("ff05::1", 9), mcif(I1))
t("ff0e::1 mcif=eth1", A6, ("ff0e::1", 9), mcif(I1))
t("fe80::99", A6, ("fe80::99", 9))
t("fe80::99%eth0", A6, ("fe80::99", 9, 0, I0))
t("fe80::99%eth1", A6, ("fe80::99", 9, 0, I1))
t("fe80::99 btd=eth1", A6, ("fe80::99", 9), btd("eth1"))
t("fe80::99 mcif=eth1", A6, ("fe80::99", 9), mcif(I1))
t("fe80::99%eth0 btd=eth1", A6, ("fe80::99", 9, 0, I0), btd("eth1"))
t("fd00::99", A6, ("fd00::99", 9))
t("fd00::99%eth1", A6, ("fd00::99", 9, 0, I1))
unspec(t("fe80::99%eth1", A6, ("fe80::99", 9, 0, I1)), "  then AF_UNSPEC")
unspec(t("fd01::99 btd=eth1", A6, ("fd01::99", 9), btd("eth1")), "  then AF_UNSPEC")
t("239.1.2.3", A4, ("239.1.2.3", 9))
t("239.1.2.3 mcif=eth1", A4, ("239.1.2.3", 9), mcif4(I1))
t("224.0.0.1 mcif=eth1", A4, ("224.0.0.1", 9), mcif4(I1))
t("239.1.2.3 btd=eth1", A4, ("239.1.2.3", 9), btd("eth1"))
t("10.0.1.99", A4, ("10.0.1.99", 9))
for kind, typ in (("ping", socket.SOCK_DGRAM), ("raw", socket.SOCK_RAW)):
    t("%s 10.0.1.99" % kind, A4, ("10.0.1.99", 0), None, typ, socket.IPPROTO_ICMP)
    t("%s fd01::99" % kind, A6, ("fd01::99", 0), None, typ, socket.IPPROTO_ICMPV6)
    for a in ("fe80::99", "ff02::1"):
        t("%s %s" % (kind, a), A6, (a, 0), None, typ, socket.IPPROTO_ICMPV6)
        t("%s %s%%eth1" % (kind, a), A6, (a, 0, 0, I1), None, typ,
          socket.IPPROTO_ICMPV6)
        s = socket.socket(A6, typ, socket.IPPROTO_ICMPV6)
        try:
            s.sendto(bytes([128, 0, 0, 0, 0, 0, 0, 1]), (a, 0))
            r = "ok"
        except OSError as e:
            r = err(e)
        print("sendto  %-28s %s" % ("%s %s" % (kind, a), r))
EOF

# Linux 6.18's lines (netns, same devices and addresses)
cat >"$RUN/probe.want" <<'EOF'
connect ff02::1                      EINVAL dev=''
connect ff02::1%eth0                 ok dev='eth0' name=LL(eth0)%eth0
connect ff02::1%eth1                 ok dev='eth1' name=LL(eth1)%eth1
connect ff02::1 mcif=eth1            ok dev='eth1' name=LL(eth1)%eth1
connect ff02::1%eth0 mcif=eth1       ok dev='eth0' name=LL(eth0)%eth0
connect ff02::1 btd=eth1             ok dev='eth1' name=LL(eth1)%eth1
connect ff02::1%eth0 btd=eth1        EINVAL dev='eth1'
connect ff01::1                      EINVAL dev=''
connect ff01::1%eth1                 ok dev='eth1' name=LL(eth1)%eth1
connect ff05::1                      ok dev='' name=fd00::1%0
connect ff05::1%eth1                 ok dev='' name=fd00::1%0
connect ff05::1 mcif=eth1            ok dev='' name=fd01::1%0
connect ff0e::1 mcif=eth1            ok dev='' name=fd01::1%0
connect fe80::99                     EINVAL dev=''
connect fe80::99%eth0                ok dev='eth0' name=LL(eth0)%eth0
connect fe80::99%eth1                ok dev='eth1' name=LL(eth1)%eth1
connect fe80::99 btd=eth1            ok dev='eth1' name=LL(eth1)%eth1
connect fe80::99 mcif=eth1           EINVAL dev=''
connect fe80::99%eth0 btd=eth1       EINVAL dev='eth1'
connect fd00::99                     ok dev='' name=fd00::1%0
connect fd00::99%eth1                ok dev='' name=fd00::1%0
connect fe80::99%eth1                ok dev='eth1' name=LL(eth1)%eth1
connect   then AF_UNSPEC             ok dev='' name=::%0
connect fd01::99 btd=eth1            ok dev='eth1' name=fd01::1%0
connect   then AF_UNSPEC             ok dev='' name=::%0
connect 239.1.2.3                    ENETUNREACH dev=''
connect 239.1.2.3 mcif=eth1          ok dev='' name=10.0.1.1
connect 224.0.0.1 mcif=eth1          ok dev='' name=10.0.1.1
connect 239.1.2.3 btd=eth1           ok dev='eth1' name=10.0.1.1
connect 10.0.1.99                    ok dev='' name=10.0.1.1
connect ping 10.0.1.99               ok dev='' name=10.0.1.1
connect ping fd01::99                ok dev='' name=fd01::1%0
connect ping fe80::99                EINVAL dev=''
connect ping fe80::99%eth1           ok dev='eth1' name=LL(eth1)%eth1
sendto  ping fe80::99                EINVAL
connect ping ff02::1                 EINVAL dev=''
connect ping ff02::1%eth1            ok dev='eth1' name=LL(eth1)%eth1
sendto  ping ff02::1                 EINVAL
connect raw 10.0.1.99                ok dev='' name=10.0.1.1
connect raw fd01::99                 ok dev='' name=fd01::1%0
connect raw fe80::99                 EINVAL dev=''
connect raw fe80::99%eth1            ok dev='eth1' name=LL(eth1)%eth1
sendto  raw fe80::99                 ok
connect raw ff02::1                  EINVAL dev=''
connect raw ff02::1%eth1             ok dev='eth1' name=LL(eth1)%eth1
sendto  raw ff02::1                  ok
EOF

step "connect() and sendto() with and without scope ids, A alone"
rrs_run 30 probe --no-control -c "$RUN/a.conf" -- "$PY" "$RUN/probe.py"
expect_rc 0 "probe.py in A"
if ! diff -u "$RUN/probe.want" "$RUN/probe.out" >"$RUN/probe.diff"; then
	bad "probe.py: lines differ from Linux's (- Linux, + sandbox)" probe.diff
else
	log "ok: $(wc -l <"$RUN/probe.out") lines as Linux's"
fi

# bind.py: bind() of UDP, TCP, ping and raw sockets to A's own link-local
# address with and without a scope id, against SO_BINDTODEVICE, and with
# the other device's scope; TCP connect() to fe80::99 likewise (its SYN
# goes nowhere: nobody listens yet)
inner_script bind.py <<'EOF'
import errno, socket

SO_BINDTODEVICE = 25
I0, I1 = socket.if_nametoindex("eth0"), socket.if_nametoindex("eth1")
LL = {}
for line in open("/proc/net/if_inet6"):
    w = line.split()
    a = socket.inet_ntop(socket.AF_INET6, bytes.fromhex(w[0]))
    if a.startswith("fe80:"):
        LL[w[5]] = a


def dev(s):
    return s.getsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, 16).rstrip(b"\0").decode()


def err(e):
    return errno.errorcode.get(e.errno, str(e.errno))


def t(label, typ, op, addr, btd=None):
    s = socket.socket(socket.AF_INET6, typ)
    s.setblocking(False)
    try:
        if btd:
            s.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, btd.encode())
        getattr(s, op)(addr)
        r = "ok"
    except OSError as e:
        r = err(e)
    n = s.getsockname()
    print("%-36s %-12s dev=%r scope=%s" % (label, r, dev(s), socket.if_indextoname(n[3]) if n[3] else 0))


U, T = socket.SOCK_DGRAM, socket.SOCK_STREAM
for k, typ in (("udp", U), ("tcp", T)):
    t(k + " bind LL(eth1)", typ, "bind", (LL["eth1"], 0))
    t(k + " bind LL(eth1)%eth1", typ, "bind", (LL["eth1"], 0, 0, I1))
    t(k + " bind LL(eth1) btd=eth1", typ, "bind", (LL["eth1"], 0), "eth1")
    t(k + " bind LL(eth1)%eth1 btd=eth0", typ, "bind", (LL["eth1"], 0, 0, I1), "eth0")
    t(k + " bind LL(eth1)%eth0", typ, "bind", (LL["eth1"], 0, 0, I0))
    t(k + " bind fd01::1%eth0", typ, "bind", ("fd01::1", 0, 0, I0))
t("tcp connect fe80::99", T, "connect", ("fe80::99", 9))
t("tcp connect fe80::99%eth1", T, "connect", ("fe80::99", 9, 0, I1))
t("tcp connect fe80::99 btd=eth1", T, "connect", ("fe80::99", 9), "eth1")
t("tcp connect fe80::99%eth0 btd=eth1", T, "connect", ("fe80::99", 9, 0, I0), "eth1")
t("tcp connect fd01::99%eth0", T, "connect", ("fd01::99", 9, 0, I0))
for k, typ, pr in (("ping", socket.SOCK_DGRAM, socket.IPPROTO_ICMPV6), ("raw", socket.SOCK_RAW, socket.IPPROTO_ICMPV6)):
    for label, addr, b in (("LL(eth1)", (LL["eth1"], 0), None),
                           ("LL(eth1)%eth1", (LL["eth1"], 0, 0, I1), None),
                           ("LL(eth1) btd=eth1", (LL["eth1"], 0), "eth1"),
                           ("LL(eth1)%eth1 btd=eth0", (LL["eth1"], 0, 0, I1), "eth0"),
                           ("LL(eth1)%eth0", (LL["eth1"], 0, 0, I0), None)):
        s = socket.socket(socket.AF_INET6, typ, pr)
        try:
            if b:
                s.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, b.encode())
            s.bind(addr)
            r = "ok"
        except OSError as e:
            r = err(e)
        print("%-36s %-12s dev=%r" % (k + " bind " + label, r, dev(s)))
EOF
cat >"$RUN/bind.want" <<'EOF'
udp bind LL(eth1)                    EINVAL       dev='' scope=0
udp bind LL(eth1)%eth1               ok           dev='eth1' scope=eth1
udp bind LL(eth1) btd=eth1           ok           dev='eth1' scope=eth1
udp bind LL(eth1)%eth1 btd=eth0      ok           dev='eth1' scope=eth1
udp bind LL(eth1)%eth0               EADDRNOTAVAIL dev='eth0' scope=0
udp bind fd01::1%eth0                ok           dev='' scope=0
tcp bind LL(eth1)                    EINVAL       dev='' scope=0
tcp bind LL(eth1)%eth1               ok           dev='eth1' scope=eth1
tcp bind LL(eth1) btd=eth1           ok           dev='eth1' scope=eth1
tcp bind LL(eth1)%eth1 btd=eth0      ok           dev='eth1' scope=eth1
tcp bind LL(eth1)%eth0               EADDRNOTAVAIL dev='eth0' scope=0
tcp bind fd01::1%eth0                ok           dev='' scope=0
tcp connect fe80::99                 EINVAL       dev='' scope=0
tcp connect fe80::99%eth1            EINPROGRESS  dev='eth1' scope=eth1
tcp connect fe80::99 btd=eth1        EINPROGRESS  dev='eth1' scope=eth1
tcp connect fe80::99%eth0 btd=eth1   EINVAL       dev='eth1' scope=0
tcp connect fd01::99%eth0            EINPROGRESS  dev='' scope=0
ping bind LL(eth1)                   EINVAL       dev=''
ping bind LL(eth1)%eth1              ok           dev='eth1'
ping bind LL(eth1) btd=eth1          EINVAL       dev='eth1'
ping bind LL(eth1)%eth1 btd=eth0     ok           dev='eth1'
ping bind LL(eth1)%eth0              EADDRNOTAVAIL dev=''
raw bind LL(eth1)                    EINVAL       dev=''
raw bind LL(eth1)%eth1               ok           dev='eth1'
raw bind LL(eth1) btd=eth1           ok           dev='eth1'
raw bind LL(eth1)%eth1 btd=eth0      ok           dev='eth1'
raw bind LL(eth1)%eth0               EADDRNOTAVAIL dev='eth0'
EOF

step "bind() and TCP connect() with and without scope ids, A alone"
rrs_run 30 bind --no-control -c "$RUN/a.conf" -- "$PY" "$RUN/bind.py"
expect_rc 0 "bind.py in A"
if ! diff -u "$RUN/bind.want" "$RUN/bind.out" >"$RUN/bind.diff"; then
	bad "bind.py: lines differ from Linux's (- Linux, + sandbox)" bind.diff
else
	log "ok: $(wc -l <"$RUN/bind.out") lines as Linux's"
fi

# routes.py scope: UDP, ping and raw sockets sending to fe80::99 and
# ff02::1 by eth0 (scope id, SO_BINDTODEVICE, IPV6_PKTINFO,
# IPV6_MULTICAST_IF), a bound UDP socket to global addresses and a TCP
# connect(), with the routes, once eth0's fe80::/64 route is deleted, once
# its multicast ff00::/8 route of table local too, with a default route
# through eth0, and with the two added back.  routes.py src: the source
# an IPv4 connect() takes by IP_MULTICAST_IF or SO_BINDTODEVICE (lo, eth1,
# eth1 without its address).  The expected lines are Linux 6.18's (the
# same script in a network namespace with the same devices and addresses).
inner_script routes.py <<'EOF'
# routes.py scope|src (udpscope.sh)
import errno, os, socket, struct, subprocess, sys

SO_BINDTODEVICE = 25
IP_MULTICAST_IF = 32
IPV6_MULTICAST_IF = 17
IPV6_PKTINFO = 50
ECHO6 = bytes([128, 0, 0, 0, 0, 1, 0, 1]) + b"x"
ECHO4 = bytes([8, 0, 0, 0, 0, 1, 0, 1]) + b"x"


def ix(n):
    return socket.if_nametoindex(n)


def ip(*a):
    r = subprocess.run(["ip"] + list(a), capture_output=True, text=True)
    if r.returncode:
        print("  (ip %s: %s)" % (" ".join(a), r.stderr.strip()))


def res(f):
    try:
        r = f()
        return "ok" if r is None or isinstance(r, int) else str(r)
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e.errno))


def mk(kind, fam=socket.AF_INET6):
    if kind == "udp":
        return socket.socket(fam, socket.SOCK_DGRAM)
    if kind == "tcp":
        return socket.socket(fam, socket.SOCK_STREAM)
    pr = socket.IPPROTO_ICMPV6 if fam == socket.AF_INET6 else socket.IPPROTO_ICMP
    return socket.socket(fam, socket.SOCK_DGRAM if kind == "ping" else socket.SOCK_RAW, pr)


def payload(kind, fam=socket.AF_INET6):
    if kind == "udp":
        return b"x"
    return ECHO6 if fam == socket.AF_INET6 else ECHO4


def port(kind):
    return 9 if kind == "udp" else 0


def scope_round(tag):
    e0 = ix("eth0")
    for dst in ("fe80::99", "ff02::1"):
        for kind in ("udp", "ping", "raw"):
            out = []
            s = mk(kind)
            out.append("sendto%%eth0=" + res(lambda: s.sendto(payload(kind), (dst, port(kind), 0, e0))))
            s.close()
            s = mk(kind)
            out.append("connect%%eth0=" + res(lambda: s.connect((dst, port(kind), 0, e0))))
            s.close()
            s = mk(kind)
            s.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, b"eth0")
            out.append("bindtodev+sendto=" + res(lambda: s.sendto(payload(kind), (dst, port(kind)))))
            s.close()
            s = mk(kind)
            pi = socket.inet_pton(socket.AF_INET6, "::") + struct.pack("I", e0)
            out.append("pktinfo+sendmsg=" + res(lambda: s.sendmsg(
                [payload(kind)], [(socket.IPPROTO_IPV6, IPV6_PKTINFO, pi)], 0,
                (dst, port(kind)))))
            s.close()
            if dst.startswith("ff"):
                s = mk(kind)
                s.setsockopt(socket.IPPROTO_IPV6, IPV6_MULTICAST_IF, e0)
                out.append("mcastif+sendto=" + res(lambda: s.sendto(payload(kind), (dst, port(kind)))))
                s.close()
            print("%s %s %s: %s" % (tag, dst, kind, " ".join(out)))
    # a global destination through a bound device with no route by it
    for dst in ("fd01::2", "2001:db8:5::5"):
        s = mk("udp")
        s.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, b"eth0")
        print("%s %s udp bindtodev+sendto: %s" % (tag, dst, res(lambda: s.sendto(b"x", (dst, 9)))))
        s.close()
    s = mk("tcp")
    s.setblocking(False)
    rc = s.connect_ex(("fe80::99", 9, 0, e0))
    print("%s fe80::99 tcp connect%%eth0: %s" % (tag, errno.errorcode.get(rc, "ok")))
    s.close()


def scope():
    scope_round("base")
    ip("-6", "route", "del", "fe80::/64", "dev", "eth0")
    scope_round("nofe80")
    ip("-6", "route", "del", "multicast", "ff00::/8", "dev", "eth0", "table", "local")
    scope_round("nomcast")
    ip("-6", "route", "add", "default", "via", "fd00::2", "dev", "eth0")
    scope_round("default")
    ip("-6", "route", "del", "default", "via", "fd00::2", "dev", "eth0")
    ip("-6", "route", "add", "fe80::/64", "dev", "eth0", "metric", "1024")
    ip("-6", "route", "add", "multicast", "ff00::/8", "dev", "eth0", "table", "local", "metric", "1024")
    scope_round("back")


def name(s):
    try:
        return s.getsockname()[0]
    except OSError as e:
        return errno.errorcode[e.errno]


def src_case(tag, kind, setup, dst):
    s = mk(kind, socket.AF_INET)
    try:
        setup(s)
    except OSError as e:
        print("%s %s: setup %s" % (tag, kind, errno.errorcode[e.errno]))
        return
    r = res(lambda: s.connect((dst, port(kind))))
    print("%s %s connect %s: %s src %s" % (tag, kind, dst, r, name(s)))
    s.close()


def mreqn(dev):
    return struct.pack("4s4si", b"\0" * 4, b"\0" * 4, ix(dev))


def src():
    lo, e0, e1 = ix("lo"), ix("eth0"), ix("eth1")
    for kind in ("udp", "ping", "raw"):
        for dst in ("239.1.2.3", "224.0.0.251"):
            src_case("mcif-lo-index", kind, lambda s: s.setsockopt(socket.IPPROTO_IP, IP_MULTICAST_IF, mreqn("lo")), dst)
            src_case("mcif-127.0.0.1", kind, lambda s: s.setsockopt(socket.IPPROTO_IP, IP_MULTICAST_IF, socket.inet_aton("127.0.0.1")), dst)
            src_case("mcif-eth1", kind, lambda s: s.setsockopt(socket.IPPROTO_IP, IP_MULTICAST_IF, mreqn("eth1")), dst)
            src_case("bindtodev-lo", kind, lambda s: s.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, b"lo"), dst)
        src_case("bindtodev-lo", kind, lambda s: s.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, b"lo"), "10.0.0.5")
        src_case("bindtodev-eth1", kind, lambda s: s.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, b"eth1"), "10.0.0.5")
        src_case("bindtodev-eth1", kind, lambda s: s.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, b"eth1"), "10.9.9.9")
    ip("-4", "addr", "del", "10.0.1.1/24", "dev", "eth1")
    for kind in ("udp", "ping"):
        src_case("noaddr mcif-eth1", kind, lambda s: s.setsockopt(socket.IPPROTO_IP, IP_MULTICAST_IF, mreqn("eth1")), "239.1.2.3")
        src_case("noaddr bindtodev-eth1", kind, lambda s: s.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, b"eth1"), "239.1.2.3")
        src_case("noaddr bindtodev-eth1", kind, lambda s: s.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, b"eth1"), "10.0.1.5")
        src_case("noaddr bindtodev-eth1", kind, lambda s: s.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, b"eth1"), "255.255.255.255")
    ip("-4", "addr", "add", "10.0.1.1/24", "dev", "eth1")


{"scope": scope, "src": src}[sys.argv[1]]()
EOF
cat >"$RUN/routes_scope.want" <<'EOF'
base fe80::99 udp: sendto%%eth0=ok connect%%eth0=ok bindtodev+sendto=ok pktinfo+sendmsg=ok
base fe80::99 ping: sendto%%eth0=ok connect%%eth0=ok bindtodev+sendto=ok pktinfo+sendmsg=EINVAL
base fe80::99 raw: sendto%%eth0=ok connect%%eth0=ok bindtodev+sendto=ok pktinfo+sendmsg=ok
base ff02::1 udp: sendto%%eth0=ok connect%%eth0=ok bindtodev+sendto=ok pktinfo+sendmsg=ok mcastif+sendto=ok
base ff02::1 ping: sendto%%eth0=ok connect%%eth0=ok bindtodev+sendto=ok pktinfo+sendmsg=EINVAL mcastif+sendto=ok
base ff02::1 raw: sendto%%eth0=ok connect%%eth0=ok bindtodev+sendto=ok pktinfo+sendmsg=ok mcastif+sendto=ok
base fd01::2 udp bindtodev+sendto: ENETUNREACH
base 2001:db8:5::5 udp bindtodev+sendto: ENETUNREACH
base fe80::99 tcp connect%eth0: EINPROGRESS
nofe80 fe80::99 udp: sendto%%eth0=ENETUNREACH connect%%eth0=ENETUNREACH bindtodev+sendto=ENETUNREACH pktinfo+sendmsg=ENETUNREACH
nofe80 fe80::99 ping: sendto%%eth0=ENETUNREACH connect%%eth0=ENETUNREACH bindtodev+sendto=ENETUNREACH pktinfo+sendmsg=EINVAL
nofe80 fe80::99 raw: sendto%%eth0=ENETUNREACH connect%%eth0=ENETUNREACH bindtodev+sendto=ENETUNREACH pktinfo+sendmsg=ENETUNREACH
nofe80 ff02::1 udp: sendto%%eth0=ok connect%%eth0=ok bindtodev+sendto=ok pktinfo+sendmsg=ok mcastif+sendto=ok
nofe80 ff02::1 ping: sendto%%eth0=ok connect%%eth0=ok bindtodev+sendto=ok pktinfo+sendmsg=EINVAL mcastif+sendto=ok
nofe80 ff02::1 raw: sendto%%eth0=ok connect%%eth0=ok bindtodev+sendto=ok pktinfo+sendmsg=ok mcastif+sendto=ok
nofe80 fd01::2 udp bindtodev+sendto: ENETUNREACH
nofe80 2001:db8:5::5 udp bindtodev+sendto: ENETUNREACH
nofe80 fe80::99 tcp connect%eth0: ENETUNREACH
nomcast fe80::99 udp: sendto%%eth0=ENETUNREACH connect%%eth0=ENETUNREACH bindtodev+sendto=ENETUNREACH pktinfo+sendmsg=ENETUNREACH
nomcast fe80::99 ping: sendto%%eth0=ENETUNREACH connect%%eth0=ENETUNREACH bindtodev+sendto=ENETUNREACH pktinfo+sendmsg=EINVAL
nomcast fe80::99 raw: sendto%%eth0=ENETUNREACH connect%%eth0=ENETUNREACH bindtodev+sendto=ENETUNREACH pktinfo+sendmsg=ENETUNREACH
nomcast ff02::1 udp: sendto%%eth0=ENETUNREACH connect%%eth0=ENETUNREACH bindtodev+sendto=ENETUNREACH pktinfo+sendmsg=ENETUNREACH mcastif+sendto=ENETUNREACH
nomcast ff02::1 ping: sendto%%eth0=ENETUNREACH connect%%eth0=ENETUNREACH bindtodev+sendto=ENETUNREACH pktinfo+sendmsg=EINVAL mcastif+sendto=ENETUNREACH
nomcast ff02::1 raw: sendto%%eth0=ENETUNREACH connect%%eth0=ENETUNREACH bindtodev+sendto=ENETUNREACH pktinfo+sendmsg=ENETUNREACH mcastif+sendto=ENETUNREACH
nomcast fd01::2 udp bindtodev+sendto: ENETUNREACH
nomcast 2001:db8:5::5 udp bindtodev+sendto: ENETUNREACH
nomcast fe80::99 tcp connect%eth0: ENETUNREACH
default fe80::99 udp: sendto%%eth0=ok connect%%eth0=ok bindtodev+sendto=ok pktinfo+sendmsg=ok
default fe80::99 ping: sendto%%eth0=ok connect%%eth0=ok bindtodev+sendto=ok pktinfo+sendmsg=EINVAL
default fe80::99 raw: sendto%%eth0=ok connect%%eth0=ok bindtodev+sendto=ok pktinfo+sendmsg=ok
default ff02::1 udp: sendto%%eth0=ok connect%%eth0=ok bindtodev+sendto=ok pktinfo+sendmsg=ok mcastif+sendto=ok
default ff02::1 ping: sendto%%eth0=ok connect%%eth0=ok bindtodev+sendto=ok pktinfo+sendmsg=EINVAL mcastif+sendto=ok
default ff02::1 raw: sendto%%eth0=ok connect%%eth0=ok bindtodev+sendto=ok pktinfo+sendmsg=ok mcastif+sendto=ok
default fd01::2 udp bindtodev+sendto: ok
default 2001:db8:5::5 udp bindtodev+sendto: ok
default fe80::99 tcp connect%eth0: EINPROGRESS
back fe80::99 udp: sendto%%eth0=ok connect%%eth0=ok bindtodev+sendto=ok pktinfo+sendmsg=ok
back fe80::99 ping: sendto%%eth0=ok connect%%eth0=ok bindtodev+sendto=ok pktinfo+sendmsg=EINVAL
back fe80::99 raw: sendto%%eth0=ok connect%%eth0=ok bindtodev+sendto=ok pktinfo+sendmsg=ok
back ff02::1 udp: sendto%%eth0=ok connect%%eth0=ok bindtodev+sendto=ok pktinfo+sendmsg=ok mcastif+sendto=ok
back ff02::1 ping: sendto%%eth0=ok connect%%eth0=ok bindtodev+sendto=ok pktinfo+sendmsg=EINVAL mcastif+sendto=ok
back ff02::1 raw: sendto%%eth0=ok connect%%eth0=ok bindtodev+sendto=ok pktinfo+sendmsg=ok mcastif+sendto=ok
back fd01::2 udp bindtodev+sendto: ENETUNREACH
back 2001:db8:5::5 udp bindtodev+sendto: ENETUNREACH
back fe80::99 tcp connect%eth0: EINPROGRESS
EOF
cat >"$RUN/routes_src.want" <<'EOF'
mcif-lo-index udp connect 239.1.2.3: ok src 10.0.0.1
mcif-127.0.0.1 udp connect 239.1.2.3: ok src 127.0.0.1
mcif-eth1 udp connect 239.1.2.3: ok src 10.0.1.1
bindtodev-lo udp connect 239.1.2.3: ok src 10.0.0.1
mcif-lo-index udp connect 224.0.0.251: ok src 10.0.0.1
mcif-127.0.0.1 udp connect 224.0.0.251: ok src 127.0.0.1
mcif-eth1 udp connect 224.0.0.251: ok src 10.0.1.1
bindtodev-lo udp connect 224.0.0.251: ok src 10.0.0.1
bindtodev-lo udp connect 10.0.0.5: ok src 10.0.0.1
bindtodev-eth1 udp connect 10.0.0.5: ok src 10.0.1.1
bindtodev-eth1 udp connect 10.9.9.9: ok src 10.0.1.1
mcif-lo-index ping connect 239.1.2.3: ok src 10.0.0.1
mcif-127.0.0.1 ping connect 239.1.2.3: ok src 127.0.0.1
mcif-eth1 ping connect 239.1.2.3: ok src 10.0.1.1
bindtodev-lo ping connect 239.1.2.3: ok src 10.0.0.1
mcif-lo-index ping connect 224.0.0.251: ok src 10.0.0.1
mcif-127.0.0.1 ping connect 224.0.0.251: ok src 127.0.0.1
mcif-eth1 ping connect 224.0.0.251: ok src 10.0.1.1
bindtodev-lo ping connect 224.0.0.251: ok src 10.0.0.1
bindtodev-lo ping connect 10.0.0.5: ok src 10.0.0.1
bindtodev-eth1 ping connect 10.0.0.5: ok src 10.0.1.1
bindtodev-eth1 ping connect 10.9.9.9: ok src 10.0.1.1
mcif-lo-index raw connect 239.1.2.3: ok src 10.0.0.1
mcif-127.0.0.1 raw connect 239.1.2.3: ok src 127.0.0.1
mcif-eth1 raw connect 239.1.2.3: ok src 10.0.1.1
bindtodev-lo raw connect 239.1.2.3: ok src 10.0.0.1
mcif-lo-index raw connect 224.0.0.251: ok src 10.0.0.1
mcif-127.0.0.1 raw connect 224.0.0.251: ok src 127.0.0.1
mcif-eth1 raw connect 224.0.0.251: ok src 10.0.1.1
bindtodev-lo raw connect 224.0.0.251: ok src 10.0.0.1
bindtodev-lo raw connect 10.0.0.5: ok src 10.0.0.1
bindtodev-eth1 raw connect 10.0.0.5: ok src 10.0.1.1
bindtodev-eth1 raw connect 10.9.9.9: ok src 10.0.1.1
noaddr mcif-eth1 udp connect 239.1.2.3: ok src 10.0.0.1
noaddr bindtodev-eth1 udp connect 239.1.2.3: ok src 10.0.0.1
noaddr bindtodev-eth1 udp connect 10.0.1.5: ok src 10.0.0.1
noaddr bindtodev-eth1 udp connect 255.255.255.255: EACCES src 0.0.0.0
noaddr mcif-eth1 ping connect 239.1.2.3: ok src 10.0.0.1
noaddr bindtodev-eth1 ping connect 239.1.2.3: ok src 10.0.0.1
noaddr bindtodev-eth1 ping connect 10.0.1.5: ok src 10.0.0.1
noaddr bindtodev-eth1 ping connect 255.255.255.255: EACCES src 0.0.0.0
EOF

for what in scope src; do
	step "routes.py $what: as Linux's, A alone"
	rrs_run 30 "routes_$what" --no-control -c "$RUN/a.conf" -- "$PY" "$RUN/routes.py" "$what"
	expect_rc 0 "routes.py $what in A"
	if ! diff -u "$RUN/routes_$what.want" "$RUN/routes_$what.out" >"$RUN/routes_$what.diff"; then
		bad "routes.py $what: lines differ from Linux's (- Linux, + sandbox)" "routes_$what.diff"
	else
		log "ok: $(wc -l <"$RUN/routes_$what.out") lines as Linux's"
	fi
done

# recv.py NAME: log each datagram to port 9 until A is done (or 15 s)
inner_script recv.py <<'EOF'
import os, select, socket, sys, time
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", 9))
open(sys.argv[1] + ".ready", "w").write("1\n")
out = open(sys.argv[1] + ".log", "w")
end, done = time.time() + 15, None
while time.time() < end and (done is None or time.time() < done):
    if done is None and os.path.exists("a.done"):
        done = time.time() + 0.5
    if select.select([s], [], [], 0.1)[0]:
        out.write(s.recv(100).decode() + "\n")
        out.flush()
EOF

# send.py: four datagrams to fe80::99 without a scope id
inner_script send.py <<'EOF'
import errno, os, socket, subprocess, sys, time
SO_BINDTODEVICE = 25
for f in ("b0.ready", "b1.ready"):
    for _ in range(200):
        if os.path.exists(f):
            break
        time.sleep(0.05)
    else:
        sys.exit("no " + f)
def send(m, pre=None, anc=()):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    if pre:
        pre(s)
    s.sendmsg([m], list(anc), 0, ("fe80::99", 9))
    time.sleep(0.3)
send(b"one")
# interface-local groups: looped back only, never on the wire
for i in (0, socket.if_nametoindex("eth0"), socket.if_nametoindex("eth1")):
    socket.socket(socket.AF_INET6, socket.SOCK_DGRAM).sendto(b"if", ("ff01::1", 9, 0, i))
send(b"two", lambda s: s.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, b"eth1"))
pi = socket.inet_pton(socket.AF_INET6, "::") + socket.if_nametoindex("eth1").to_bytes(4, sys.byteorder)
send(b"three", None, [(socket.IPPROTO_IPV6, socket.IPV6_PKTINFO, pi)])
subprocess.run(["ip", "-6", "route", "del", "fe80::/64", "dev", "eth0"], check=True)
send(b"four")
# off-link through default routes: B1 is the better gateway, B0 eth0's
# (B0 and B1 both hold 192.0.2.1 and 2001:db8::1)
def ip(*a):
    subprocess.run(["ip"] + list(a), check=True)
ip("route", "add", "default", "via", "10.0.1.2", "dev", "eth1", "metric", "100")
ip("route", "add", "default", "via", "10.0.0.2", "dev", "eth0", "metric", "200")
ip("-6", "route", "add", "::/0", "via", "fd01::2", "dev", "eth1", "metric", "100")
ip("-6", "route", "add", "::/0", "via", "fd00::2", "dev", "eth0", "metric", "200")
I0 = socket.if_nametoindex("eth0").to_bytes(4, sys.byteorder)
def send_off(m, fam, how=None):
    s = socket.socket(fam, socket.SOCK_DGRAM)
    anc = []
    if how == "dev":
        s.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, b"eth0")
    elif how == "pktinfo" and fam == socket.AF_INET:
        anc = [(socket.IPPROTO_IP, 8, I0 + bytes(8))]	# IP_PKTINFO
    elif how == "pktinfo":
        anc = [(socket.IPPROTO_IPV6, socket.IPV6_PKTINFO, bytes(16) + I0)]
    s.sendmsg([m], anc, 0, ("192.0.2.1" if fam == socket.AF_INET else "2001:db8::1", 9))
    time.sleep(0.3)
for fam, v in ((socket.AF_INET, b"4"), (socket.AF_INET6, b"6")):
    send_off(b"five" + v, fam, "dev")
    send_off(b"six" + v, fam)
    send_off(b"seven" + v, fam, "pktinfo")
# no route through eth0 left: IPv4 assumes the destination on link
# (ARP for 192.0.2.1 itself, which B0 holds), IPv6 is unreachable
ip("route", "del", "default", "via", "10.0.0.2", "dev", "eth0")
ip("-6", "route", "del", "::/0", "via", "fd00::2", "dev", "eth0")
send_off(b"eight4", socket.AF_INET, "dev")
try:
    send_off(b"eight6", socket.AF_INET6, "dev")
    sys.exit("eight6: sent, expected ENETUNREACH")
except OSError as e:
    if e.errno != errno.ENETUNREACH:
        raise
# a link-local destination through a default route: eth0's fe80::/64
# route is gone (above), so fe80::98%eth0 goes to the gateway, B0's
# fd00::2, whose neighbour entry is asked for, never fe80::98's
ip("-6", "route", "add", "::/0", "via", "fd00::2", "dev", "eth0", "metric", "200")
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.sendto(b"nine", ("fe80::98", 9, 0, socket.if_nametoindex("eth0")))
time.sleep(0.3)
neigh = subprocess.run(["ip", "-6", "neigh", "show", "dev", "eth0"], check=True,
                       capture_output=True, text=True).stdout
if "fe80::98 " in neigh or "fd00::2 " not in neigh:
    sys.exit("nine: expected a neighbour entry for fd00::2, not fe80::98:\n" + neigh)
open("a.done", "w").write("1\n")
EOF

step "sendto(fe80::99) without a scope id: the first fe80::/64 route's device"
pids=()
for i in 0 1; do
	bg unpriv "$RRS" --no-control -c "$RUN/b$i.conf" -- "$PY" "$RUN/recv.py" "b$i" \
		>"$RUN/b$i.out" 2>"$RUN/b$i.err" </dev/null
	pids+=("$BG_PID")
done
rrs_run 30 send --no-control -c "$RUN/a.conf" -- "$PY" "$RUN/send.py"
expect_rc 0 "send.py in A"
for i in 0 1; do
	rc=0
	wait_pid 20 "${pids[$i]}" || rc=$?
	LAST_OUT=$RUN/b$i.out LAST_ERR=$RUN/b$i.err
	[ "$rc" -eq 0 ] || fail "recv.py in B$i: status $rc"
done
got0=$(tr '\n' ' ' <"$RUN/b0.log")
got1=$(tr '\n' ' ' <"$RUN/b1.log")
want0="one five4 seven4 five6 seven6 eight4 "
want1="two three four six4 six6 "
[ "$got0" = "$want0" ] ||
	bad "B0 (eth0's link): expected '$want0', got '$got0'" b0.log
[ "$got1" = "$want1" ] ||
	bad "B1 (eth1's link): expected '$want1', got '$got1'" b1.log
[ "$got0$got1" = "$want0$want1" ] &&
	log "ok: one by eth0's fe80::/64 route, two by SO_BINDTODEVICE, three by IPV6_PKTINFO, four by eth1's route once eth0's is gone; off-link five (SO_BINDTODEVICE eth0) and seven (PKTINFO eth0) by eth0's default gateway B0, six by the better one, B1, eight on link when eth0 has no route"

checks_done
log "passed"
