# SPDX-License-Identifier: MIT
#
# mcast_ssm.py - source filters of multicast sockets (RFC 3678): the
# IPv4 options IP_ADD_SOURCE_MEMBERSHIP, IP_DROP_SOURCE_MEMBERSHIP,
# IP_BLOCK_SOURCE, IP_UNBLOCK_SOURCE and IP_MSFILTER, the protocol-
# independent MCAST_JOIN_SOURCE_GROUP, MCAST_LEAVE_SOURCE_GROUP,
# MCAST_BLOCK_SOURCE, MCAST_UNBLOCK_SOURCE and MCAST_MSFILTER at both
# levels, their errors, what getsockopt() reads back, and which
# datagrams each filter lets through.  Prints one line per check, so
# that mcast.sh can compare a run in a sandbox with one on Linux in a
# network namespace (or, without root, with mcast_ssm.linux, what Linux
# 6.18 printed).  The options' numbers and structures are in
# mcast_ssm_lib.py.
#
# Usage: mcast_ssm.py IFNAME ADDR4 ADDR4B ADDR6 ADDR6B IFNAME2
#   IFNAME: an Ethernet device holding the four addresses; datagrams are
#   sent from two sources of each family and looped back to the
#   receivers (IP_MULTICAST_LOOP, IPV6_MULTICAST_LOOP); a route
#   232.1.1.20/32 dev IFNAME is there for a send without a device.  IFNAME2: a
#   second one, with an address of each family: a membership on IFNAME
#   of a socket with IP(V6)_MULTICAST_ALL off takes the group's datagrams
#   coming in on IFNAME2 for IPv6 (inet6_mc_check() asks for the group
#   on any device), not for IPv4 (ip_mc_sf_allow() asks for that one).
import errno, socket, struct, sys

from mcast_ssm_lib import *  # noqa: F401,F403 (the options and structures)

ifname, a4, b4, a6, b6, ifname2 = sys.argv[1:7]
ifi = socket.if_nametoindex(ifname)
ifi2 = socket.if_nametoindex(ifname2)


def so(level, name, val):
    return lambda: s.setsockopt(level, name, val)


# ---- IPv4 options on an AF_INET UDP socket ----
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
G = "232.1.1.1"
do("add source: short", so(IP, IP_ADD_SOURCE_MEMBERSHIP, mreqs(G, "10.9.0.5")[:8]))
do("add source: long", so(IP, IP_ADD_SOURCE_MEMBERSHIP, mreqs(G, "10.9.0.5") + bytes(4)))
do("add source: unicast group", so(IP, IP_ADD_SOURCE_MEMBERSHIP, mreqs("10.1.1.1", "10.9.0.5", a4)))
do("add source: no such address", so(IP, IP_ADD_SOURCE_MEMBERSHIP, mreqs(G, "10.9.0.5", "10.99.0.1")))
do("add source: no device (no route)", so(IP, IP_ADD_SOURCE_MEMBERSHIP, mreqs(G, "10.9.0.5")))
do("block: not joined", so(IP, IP_BLOCK_SOURCE, mreqs(G, "10.9.0.5", a4)))
do("drop source: not joined", so(IP, IP_DROP_SOURCE_MEMBERSHIP, mreqs(G, "10.9.0.5", a4)))
do("add source", so(IP, IP_ADD_SOURCE_MEMBERSHIP, mreqs(G, "10.9.0.5", a4)))
do("add source again", so(IP, IP_ADD_SOURCE_MEMBERSHIP, mreqs(G, "10.9.0.5", a4)))
do("add a second source", so(IP, IP_ADD_SOURCE_MEMBERSHIP, mreqs(G, "10.9.0.6", a4)))
do("add a third, before the others", so(IP, IP_ADD_SOURCE_MEMBERSHIP, mreqs(G, "10.9.0.1", a4)))
do("block in include mode", so(IP, IP_BLOCK_SOURCE, mreqs(G, "10.9.0.7", a4)))
do("unblock in include mode", so(IP, IP_UNBLOCK_SOURCE, mreqs(G, "10.9.0.5", a4)))
do("any-source join of the same group", so(IP, socket.IP_ADD_MEMBERSHIP, in4(G) + in4(a4)))
do("IP_MSFILTER get, room for 8", lambda: get_msfilter(s, G, a4, 8))
do("IP_MSFILTER get, room for 1", lambda: get_msfilter(s, G, a4, 1))
do("IP_MSFILTER get, room for 0", lambda: get_msfilter(s, G, a4, 0))
do("IP_MSFILTER get, short", lambda: len(getopt_in(s, IP, IP_MSFILTER, msfilter(G, a4, 0, [])[:12])))
do("IP_MSFILTER get, other group", lambda: get_msfilter(s, "232.1.1.99", a4, 4))
do("IP_MSFILTER get, unicast group", lambda: get_msfilter(s, "10.1.1.1", a4, 4))
do("MCAST_MSFILTER get", lambda: get_gfilter(s, IP, ifi, G, 8))
do("MCAST_MSFILTER get, room for 1", lambda: get_gfilter(s, IP, ifi, G, 1))
do("MCAST_MSFILTER get, interface 0", lambda: get_gfilter(s, IP, 0, G, 8))
do("MCAST_MSFILTER get, IPv6 group", lambda: get_gfilter(s, IP, ifi, "ff3e::1", 8))
do("drop a source not there", so(IP, IP_DROP_SOURCE_MEMBERSHIP, mreqs(G, "10.9.0.9", a4)))
do("drop a source", so(IP, IP_DROP_SOURCE_MEMBERSHIP, mreqs(G, "10.9.0.6", a4)))
do("drop another", so(IP, IP_DROP_SOURCE_MEMBERSHIP, mreqs(G, "10.9.0.1", a4)))
do("after two drops", lambda: get_msfilter(s, G, a4, 8))
do("drop the last (leaves)", so(IP, IP_DROP_SOURCE_MEMBERSHIP, mreqs(G, "10.9.0.5", a4)))
do("after the last drop", lambda: get_msfilter(s, G, a4, 8))
do("any-source leave after it", so(IP, socket.IP_DROP_MEMBERSHIP, in4(G) + in4(a4)))
G2 = "232.1.1.2"
do("any-source join", so(IP, socket.IP_ADD_MEMBERSHIP, in4(G2) + in4(a4)))
do("any-source join: filter", lambda: get_msfilter(s, G2, a4, 8))
do("block a source", so(IP, IP_BLOCK_SOURCE, mreqs(G2, "10.9.0.5", a4)))
do("block it again", so(IP, IP_BLOCK_SOURCE, mreqs(G2, "10.9.0.5", a4)))
do("blocked: filter", lambda: get_msfilter(s, G2, a4, 8))
do("add source in exclude mode", so(IP, IP_ADD_SOURCE_MEMBERSHIP, mreqs(G2, "10.9.0.6", a4)))
do("drop source in exclude mode", so(IP, IP_DROP_SOURCE_MEMBERSHIP, mreqs(G2, "10.9.0.5", a4)))
do("unblock it", so(IP, IP_UNBLOCK_SOURCE, mreqs(G2, "10.9.0.5", a4)))
do("unblock it again", so(IP, IP_UNBLOCK_SOURCE, mreqs(G2, "10.9.0.5", a4)))
do("unblocked: filter", lambda: get_msfilter(s, G2, a4, 8))
do("add source to the empty exclude filter", so(IP, IP_ADD_SOURCE_MEMBERSHIP, mreqs(G2, "10.9.0.6", a4)))
do("switched to include", lambda: get_msfilter(s, G2, a4, 8))
for i in range(1, 12):  # net.ipv4.igmp_max_msf: 10
    do("add source %d of 11" % i, so(IP, IP_ADD_SOURCE_MEMBERSHIP, mreqs("232.1.1.4", "10.9.1.%d" % i, a4)))
do("eleven: filter count", lambda: get_msfilter(s, "232.1.1.4", a4, 0))
do("IP_MSFILTER set: mode 2", so(IP, IP_MSFILTER, msfilter(G2, a4, 2, ["10.9.0.5"])))
do("IP_MSFILTER set: short", so(IP, IP_MSFILTER, msfilter(G2, a4, EXCLUDE, [])[:12]))
do("IP_MSFILTER set: fewer sources than numsrc", so(IP, IP_MSFILTER, msfilter(G2, a4, EXCLUDE, ["10.9.0.5"], 2)))
do("IP_MSFILTER set: 11 sources", so(IP, IP_MSFILTER, msfilter(G2, a4, EXCLUDE, ["10.9.2.%d" % i for i in range(11)])))
do("IP_MSFILTER set: unicast group", so(IP, IP_MSFILTER, msfilter("10.1.1.1", a4, EXCLUDE, ["10.9.0.5"])))
do("IP_MSFILTER set: not joined", so(IP, IP_MSFILTER, msfilter("232.1.1.3", a4, EXCLUDE, ["10.9.0.5"])))
do("IP_MSFILTER set: exclude two", so(IP, IP_MSFILTER, msfilter(G2, a4, EXCLUDE, ["10.9.0.8", "10.9.0.7"])))
do("IP_MSFILTER set: filter", lambda: get_msfilter(s, G2, a4, 8))
do("IP_MSFILTER set: exclude none", so(IP, IP_MSFILTER, msfilter(G2, a4, EXCLUDE, [])))
do("IP_MSFILTER set: filter now", lambda: get_msfilter(s, G2, a4, 8))
do("IP_MSFILTER set: include none (leaves)", so(IP, IP_MSFILTER, msfilter(G2, a4, INCLUDE, [])))
do("IP_MSFILTER set: after leaving", lambda: get_msfilter(s, G2, a4, 8))
do("IP_MSFILTER set: include none, not joined", so(IP, IP_MSFILTER, msfilter(G2, a4, INCLUDE, [])))
G3 = "232.1.1.3"
do("MCAST_JOIN_SOURCE_GROUP: short", so(IP, MCAST_JOIN_SOURCE_GROUP, gsreq(ifi, G3, "10.9.0.5")[:200]))
do("MCAST_JOIN_SOURCE_GROUP: long", so(IP, MCAST_JOIN_SOURCE_GROUP, gsreq(ifi, G3, "10.9.0.5") + bytes(8)))
do("MCAST_JOIN_SOURCE_GROUP: IPv6 group", so(IP, MCAST_JOIN_SOURCE_GROUP, gsreq(ifi, "ff3e::1", "10.9.0.5")))
do("MCAST_JOIN_SOURCE_GROUP: IPv6 source", so(IP, MCAST_JOIN_SOURCE_GROUP, gsreq(ifi, G3, "fd00::5")))
do("MCAST_JOIN_SOURCE_GROUP: no such device", so(IP, MCAST_JOIN_SOURCE_GROUP, gsreq(999, G3, "10.9.0.5")))
do("MCAST_JOIN_SOURCE_GROUP: unicast group", so(IP, MCAST_JOIN_SOURCE_GROUP, gsreq(ifi, "10.1.1.1", "10.9.0.5")))
do("MCAST_JOIN_SOURCE_GROUP", so(IP, MCAST_JOIN_SOURCE_GROUP, gsreq(ifi, G3, "10.9.0.5")))
do("MCAST_JOIN_SOURCE_GROUP: again", so(IP, MCAST_JOIN_SOURCE_GROUP, gsreq(ifi, G3, "10.9.0.5")))
do("MCAST_JOIN_SOURCE_GROUP: a second source", so(IP, MCAST_JOIN_SOURCE_GROUP, gsreq(ifi, G3, "10.9.0.6")))
do("MCAST_JOIN_SOURCE_GROUP: filter", lambda: get_gfilter(s, IP, ifi, G3, 8))
do("MCAST_BLOCK_SOURCE in include mode", so(IP, MCAST_BLOCK_SOURCE, gsreq(ifi, G3, "10.9.0.7")))
do("MCAST_LEAVE_SOURCE_GROUP: one", so(IP, MCAST_LEAVE_SOURCE_GROUP, gsreq(ifi, G3, "10.9.0.5")))
do("MCAST_LEAVE_SOURCE_GROUP: not there", so(IP, MCAST_LEAVE_SOURCE_GROUP, gsreq(ifi, G3, "10.9.0.5")))
do("MCAST_LEAVE_SOURCE_GROUP: the last", so(IP, MCAST_LEAVE_SOURCE_GROUP, gsreq(ifi, G3, "10.9.0.6")))
do("MCAST_LEAVE_SOURCE_GROUP: group gone", lambda: get_gfilter(s, IP, ifi, G3, 8))
do("MCAST_JOIN_GROUP then MCAST_BLOCK_SOURCE", lambda: (
    s.setsockopt(IP, MCAST_JOIN_GROUP, struct.pack("I4x", ifi) + ss(G3)),
    s.setsockopt(IP, MCAST_BLOCK_SOURCE, gsreq(ifi, G3, "10.9.0.7")))[-1])
do("MCAST_UNBLOCK_SOURCE: not blocked", so(IP, MCAST_UNBLOCK_SOURCE, gsreq(ifi, G3, "10.9.0.8")))
do("MCAST_BLOCK_SOURCE: filter", lambda: get_gfilter(s, IP, ifi, G3, 8))
do("MCAST_UNBLOCK_SOURCE", so(IP, MCAST_UNBLOCK_SOURCE, gsreq(ifi, G3, "10.9.0.7")))
do("MCAST_MSFILTER set: short", so(IP, MCAST_MSFILTER, gfilter(ifi, G3, EXCLUDE, [])[:140]))
do("MCAST_MSFILTER set: 11 sources", so(IP, MCAST_MSFILTER, gfilter(ifi, G3, EXCLUDE, ["10.9.2.%d" % i for i in range(11)])))
do("MCAST_MSFILTER set: fewer sources than numsrc", so(IP, MCAST_MSFILTER, gfilter(ifi, G3, EXCLUDE, ["10.9.0.5"], 2)))
do("MCAST_MSFILTER set: IPv6 source", so(IP, MCAST_MSFILTER, gfilter(ifi, G3, EXCLUDE, ["fd00::5"])))
do("MCAST_MSFILTER set: IPv6 group", so(IP, MCAST_MSFILTER, gfilter(ifi, "ff3e::1", EXCLUDE, ["10.9.0.5"])))
do("MCAST_MSFILTER set: mode 7", so(IP, MCAST_MSFILTER, gfilter(ifi, G3, 7, ["10.9.0.5"])))
do("MCAST_MSFILTER set: no such device", so(IP, MCAST_MSFILTER, gfilter(999, G3, EXCLUDE, ["10.9.0.5"])))
do("MCAST_MSFILTER set: include three", so(IP, MCAST_MSFILTER, gfilter(ifi, G3, INCLUDE, ["10.9.0.9", "10.9.0.8", "10.9.0.9"])))
do("MCAST_MSFILTER set: filter", lambda: get_gfilter(s, IP, ifi, G3, 8))
do("MCAST_MSFILTER set: include none (leaves)", so(IP, MCAST_MSFILTER, gfilter(ifi, G3, INCLUDE, [])))
do("MCAST_MSFILTER set: after leaving", lambda: get_gfilter(s, IP, ifi, G3, 8))
s.close()
t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
do("TCP: IP_ADD_SOURCE_MEMBERSHIP", lambda: t.setsockopt(IP, IP_ADD_SOURCE_MEMBERSHIP, mreqs(G, "10.9.0.5", a4)))
do("TCP: MCAST_JOIN_SOURCE_GROUP", lambda: t.setsockopt(IP, MCAST_JOIN_SOURCE_GROUP, gsreq(ifi, G, "10.9.0.5")))
do("TCP: IP_MSFILTER set", lambda: t.setsockopt(IP, IP_MSFILTER, msfilter(G, a4, EXCLUDE, [])))
do("TCP: IP_MSFILTER get", lambda: get_msfilter(t, G, a4, 2))
t.close()

# ---- IPv6 ----
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
H = "ff3e::1234"
do("v6 join source: short", so(IP6, MCAST_JOIN_SOURCE_GROUP, gsreq(ifi, H, "fd00::5")[:200]))
do("v6 join source: long", so(IP6, MCAST_JOIN_SOURCE_GROUP, gsreq(ifi, H, "fd00::5") + bytes(8)))
do("v6 join source: IPv4 group", so(IP6, MCAST_JOIN_SOURCE_GROUP, gsreq(ifi, G, "10.9.0.5")))
do("v6 join source: IPv4 source", so(IP6, MCAST_JOIN_SOURCE_GROUP, gsreq(ifi, H, "10.9.0.5")))
do("v6 join source: unicast group", so(IP6, MCAST_JOIN_SOURCE_GROUP, gsreq(ifi, "fd00::9", "fd00::5")))
do("v6 join source: no such device", so(IP6, MCAST_JOIN_SOURCE_GROUP, gsreq(999, H, "fd00::5")))
do("v6 block: not joined", so(IP6, MCAST_BLOCK_SOURCE, gsreq(ifi, H, "fd00::5")))
do("v6 join source", so(IP6, MCAST_JOIN_SOURCE_GROUP, gsreq(ifi, H, "fd00::5")))
do("v6 join source: again", so(IP6, MCAST_JOIN_SOURCE_GROUP, gsreq(ifi, H, "fd00::5")))
do("v6 join source: a second", so(IP6, MCAST_JOIN_SOURCE_GROUP, gsreq(ifi, H, "fd00::6")))
do("v6 join source: a second, interface 0", so(IP6, MCAST_JOIN_SOURCE_GROUP, gsreq(0, H, "fd00::7")))
do("v6 block in include mode", so(IP6, MCAST_BLOCK_SOURCE, gsreq(ifi, H, "fd00::8")))
do("v6 any-source join of the same group", so(IP6, socket.IPV6_JOIN_GROUP, in6(H) + struct.pack("I", ifi)))
do("v6 filter", lambda: get_gfilter(s, IP6, ifi, H, 8))
do("v6 filter, room for 1", lambda: get_gfilter(s, IP6, ifi, H, 1))
do("v6 filter, interface 0", lambda: get_gfilter(s, IP6, 0, H, 8))
do("v6 filter, IPv4 group", lambda: get_gfilter(s, IP6, ifi, G, 8))
do("v6 filter, short", lambda: len(getopt_in(s, IP6, MCAST_MSFILTER, gfilter(ifi, H, 0, [])[:100])))
do("v6 leave source: not there", so(IP6, MCAST_LEAVE_SOURCE_GROUP, gsreq(ifi, H, "fd00::9")))
do("v6 leave source", so(IP6, MCAST_LEAVE_SOURCE_GROUP, gsreq(ifi, H, "fd00::6")))
do("v6 leave source, interface 0", so(IP6, MCAST_LEAVE_SOURCE_GROUP, gsreq(0, H, "fd00::7")))
do("v6 leave the last source (leaves)", so(IP6, MCAST_LEAVE_SOURCE_GROUP, gsreq(ifi, H, "fd00::5")))
do("v6 after the last", lambda: get_gfilter(s, IP6, ifi, H, 8))
H2 = "ff3e::1235"
do("v6 any-source join", so(IP6, socket.IPV6_JOIN_GROUP, in6(H2) + struct.pack("I", ifi)))
do("v6 block", so(IP6, MCAST_BLOCK_SOURCE, gsreq(ifi, H2, "fd00::5")))
do("v6 block again", so(IP6, MCAST_BLOCK_SOURCE, gsreq(ifi, H2, "fd00::5")))
do("v6 blocked: filter", lambda: get_gfilter(s, IP6, ifi, H2, 8))
do("v6 unblock", so(IP6, MCAST_UNBLOCK_SOURCE, gsreq(ifi, H2, "fd00::5")))
do("v6 unblock again", so(IP6, MCAST_UNBLOCK_SOURCE, gsreq(ifi, H2, "fd00::5")))
do("v6 join source to the empty exclude filter", so(IP6, MCAST_JOIN_SOURCE_GROUP, gsreq(ifi, H2, "fd00::6")))
do("v6 switched to include", lambda: get_gfilter(s, IP6, ifi, H2, 8))
for i in range(1, 66):  # net.ipv6.mld_max_msf: 64
    try:
        s.setsockopt(IP6, MCAST_JOIN_SOURCE_GROUP, gsreq(ifi, "ff3e::1236", "fd00:1::%x" % i))
    except OSError as e:
        out("v6 join source %d of 65" % i, errno.errorcode.get(e.errno, e.errno))
do("v6 sixty-five: filter count", lambda: get_gfilter(s, IP6, ifi, "ff3e::1236", 0))
do("v6 MCAST_MSFILTER set: 65 sources", so(IP6, MCAST_MSFILTER, gfilter(ifi, H2, EXCLUDE, ["fd00:2::%x" % i for i in range(65)])))
do("v6 MCAST_MSFILTER set: short", so(IP6, MCAST_MSFILTER, gfilter(ifi, H2, EXCLUDE, [])[:140]))
do("v6 MCAST_MSFILTER set: fewer sources than numsrc", so(IP6, MCAST_MSFILTER, gfilter(ifi, H2, EXCLUDE, ["fd00::5"], 2)))
do("v6 MCAST_MSFILTER set: IPv4 group", so(IP6, MCAST_MSFILTER, gfilter(ifi, G, EXCLUDE, ["fd00::5"])))
do("v6 MCAST_MSFILTER set: mode 7", so(IP6, MCAST_MSFILTER, gfilter(ifi, H2, 7, ["fd00::5"])))
do("v6 MCAST_MSFILTER set: no such device", so(IP6, MCAST_MSFILTER, gfilter(999, H2, EXCLUDE, ["fd00::5"])))
do("v6 MCAST_MSFILTER set: not joined", so(IP6, MCAST_MSFILTER, gfilter(ifi, "ff3e::99", EXCLUDE, ["fd00::5"])))
do("v6 MCAST_MSFILTER set: exclude two", so(IP6, MCAST_MSFILTER, gfilter(ifi, H2, EXCLUDE, ["fd00::8", "fd00::7"])))
do("v6 MCAST_MSFILTER set: filter", lambda: get_gfilter(s, IP6, ifi, H2, 8))
do("v6 MCAST_MSFILTER set: include none (leaves)", so(IP6, MCAST_MSFILTER, gfilter(ifi, H2, INCLUDE, [])))
do("v6 MCAST_MSFILTER set: after leaving", lambda: get_gfilter(s, IP6, ifi, H2, 8))
do("v6 socket: IPv4 source join at IPPROTO_IP", so(IP, IP_ADD_SOURCE_MEMBERSHIP, mreqs(G, "10.9.0.5", a4)))
do("v6 socket: its IPv4 filter", lambda: get_msfilter(s, G, a4, 4))
s.close()
t = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
do("v6 TCP: MCAST_JOIN_SOURCE_GROUP", lambda: t.setsockopt(IP6, MCAST_JOIN_SOURCE_GROUP, gsreq(ifi, H, "fd00::5")))
do("v6 TCP: MCAST_MSFILTER set", lambda: t.setsockopt(IP6, MCAST_MSFILTER, gfilter(ifi, H, EXCLUDE, [])))
t.close()


# ---- delivery ----
def receivers(family, port, setups):
    rs = []
    for name, setup in setups:
        r = socket.socket(family, socket.SOCK_DGRAM)
        r.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        r.bind(("0.0.0.0" if family == socket.AF_INET else "::", port))
        setup(r)
        r.settimeout(0.3)
        rs.append((name, r))
    return rs


def report(label, rs):
    for name, r in rs:
        got = []
        while True:
            try:
                d, a = r.recvfrom(100)
                got.append("%s from %s" % (d.decode(), a[0]))
            except socket.timeout:
                break
        out("%s: %s" % (label, name), sorted(got) or "nothing")
        r.close()


def send(family, srcs, group, port, words):
    for src in srcs:
        x = socket.socket(family, socket.SOCK_DGRAM)
        if family == socket.AF_INET:
            x.setsockopt(IP, socket.IP_MULTICAST_IF, in4("0.0.0.0") + in4(src) + struct.pack("i", ifi))
        else:
            x.setsockopt(IP6, socket.IPV6_MULTICAST_IF, ifi)
        x.bind((src, 0))
        for w in words:
            x.sendto(w.encode(), (group, port))
        x.close()


D4 = "232.1.1.10"
rs = receivers(socket.AF_INET, 7100, [
    ("include the first", lambda r: r.setsockopt(IP, IP_ADD_SOURCE_MEMBERSHIP, mreqs(D4, a4, a4))),
    ("include the second", lambda r: r.setsockopt(IP, MCAST_JOIN_SOURCE_GROUP, gsreq(ifi, D4, b4))),
    ("exclude the first", lambda r: (r.setsockopt(IP, socket.IP_ADD_MEMBERSHIP, in4(D4) + in4(a4)),
                                     r.setsockopt(IP, IP_BLOCK_SOURCE, mreqs(D4, a4, a4)))),
    ("any source", lambda r: r.setsockopt(IP, socket.IP_ADD_MEMBERSHIP, in4(D4) + in4(a4))),
    ("include neither (MSFILTER)", lambda r: (r.setsockopt(IP, socket.IP_ADD_MEMBERSHIP, in4(D4) + in4(a4)),
                                              r.setsockopt(IP, IP_MSFILTER, msfilter(D4, a4, INCLUDE, ["10.9.0.5"])))),
    ("exclude both (MSFILTER)", lambda r: (r.setsockopt(IP, socket.IP_ADD_MEMBERSHIP, in4(D4) + in4(a4)),
                                           r.setsockopt(IP, IP_MSFILTER, msfilter(D4, a4, EXCLUDE, [b4, a4])))),
    ("not joined, IP_MULTICAST_ALL 1", lambda r: None),
    ("not joined, IP_MULTICAST_ALL 0", lambda r: r.setsockopt(IP, 49, 0)),
    ("joined another group's sources, IP_MULTICAST_ALL 1", lambda r: r.setsockopt(IP, IP_ADD_SOURCE_MEMBERSHIP, mreqs("232.1.1.11", a4, a4))),
    ("source left, IP_MULTICAST_ALL 0", lambda r: (r.setsockopt(IP, 49, 0),
                                                 r.setsockopt(IP, IP_ADD_SOURCE_MEMBERSHIP, mreqs(D4, a4, a4)),
                                                 r.setsockopt(IP, IP_ADD_SOURCE_MEMBERSHIP, mreqs(D4, b4, a4)),
                                                 r.setsockopt(IP, IP_DROP_SOURCE_MEMBERSHIP, mreqs(D4, a4, a4)))),
])
send(socket.AF_INET, [a4, b4], D4, 7100, ["one", "two"])
report("IPv4 delivery", rs)

D6 = "ff3e::4321"
rs = receivers(socket.AF_INET6, 7101, [
    ("include the first", lambda r: r.setsockopt(IP6, MCAST_JOIN_SOURCE_GROUP, gsreq(ifi, D6, a6))),
    ("include the second", lambda r: r.setsockopt(IP6, MCAST_JOIN_SOURCE_GROUP, gsreq(ifi, D6, b6))),
    ("exclude the first", lambda r: (r.setsockopt(IP6, socket.IPV6_JOIN_GROUP, in6(D6) + struct.pack("I", ifi)),
                                     r.setsockopt(IP6, MCAST_BLOCK_SOURCE, gsreq(ifi, D6, a6)))),
    ("any source", lambda r: r.setsockopt(IP6, socket.IPV6_JOIN_GROUP, in6(D6) + struct.pack("I", ifi))),
    ("exclude both (MSFILTER)", lambda r: (r.setsockopt(IP6, socket.IPV6_JOIN_GROUP, in6(D6) + struct.pack("I", ifi)),
                                           r.setsockopt(IP6, MCAST_MSFILTER, gfilter(ifi, D6, EXCLUDE, [b6, a6])))),
    ("not joined, IPV6_MULTICAST_ALL 1", lambda r: None),
    ("not joined, IPV6_MULTICAST_ALL 0", lambda r: r.setsockopt(IP6, 29, 0)),
])
send(socket.AF_INET6, [a6, b6], D6, 7101, ["one", "two"])
report("IPv6 delivery", rs)

# ---- a socket bound to the device's second address, without
# IP_MULTICAST_IF, sends to a group by its route (232.1.1.20/32 dev
# IFNAME) from that address, connected or not ----
rs = receivers(socket.AF_INET, 7104, [
    ("include the second", lambda r: r.setsockopt(IP, MCAST_JOIN_SOURCE_GROUP, gsreq(ifi, "232.1.1.20", b4))),
    ("include the first", lambda r: r.setsockopt(IP, MCAST_JOIN_SOURCE_GROUP, gsreq(ifi, "232.1.1.20", a4))),
])
for how in ("sendto", "connected"):
    x = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    x.bind((b4, 0))
    if how == "sendto":
        x.sendto(how.encode(), ("232.1.1.20", 7104))
    else:
        x.connect(("232.1.1.20", 7104))
        x.send(how.encode())
    x.close()
report("bound to the second address, no IP_MULTICAST_IF", rs)

# ---- a group with no route at all, from a bound source: out of the
# device holding that source, as Linux's __ip_route_output_key_hash()
# sends it ----
import fcntl  # noqa: E402
q = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
c2 = socket.inet_ntoa(fcntl.ioctl(q.fileno(), 0x8915,  # SIOCGIFADDR
                                  struct.pack("16s16x", ifname2.encode()))[20:24])
q.close()
rs = []
for name, dev in (("joined on the first device only, ALL 0", ifi), ("joined on the second only, ALL 0", ifi2)):
    r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    r.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    r.setsockopt(IP, 49, 0)
    r.bind(("0.0.0.0", 7105))
    r.setsockopt(IP, socket.IP_ADD_MEMBERSHIP, in4("232.1.1.30") + in4("0.0.0.0") + struct.pack("i", dev))
    r.settimeout(0.3)
    rs.append((name, r))
for src, what in ((b4, "first"), (c2, "second")):
    x = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    x.bind((src, 0))
    do("no route: send from the %s device's address" % what,
       lambda: x.sendto(what.encode(), ("232.1.1.30", 7105)) and None)
    x.close()
report("no route, bound source", rs)

# ---- which device's membership counts ----
def mdev(family, port, group, ifindex, mall):
    r = socket.socket(family, socket.SOCK_DGRAM)
    r.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    r.bind(("0.0.0.0" if family == socket.AF_INET else "::", port))
    if family == socket.AF_INET:
        r.setsockopt(IP, 49, mall)
        r.setsockopt(IP, socket.IP_ADD_MEMBERSHIP, in4(group) + in4("0.0.0.0") + struct.pack("i", ifindex))
    else:
        r.setsockopt(IP6, 29, mall)
        r.setsockopt(IP6, socket.IPV6_JOIN_GROUP, in6(group) + struct.pack("I", ifindex))
    r.settimeout(0.3)
    return r


for family, group, port in ((socket.AF_INET, "239.7.7.7", 7102), (socket.AF_INET6, "ff3e::77", 7103)):
    rs = [("joined on the first device only, ALL 0", mdev(family, port, group, ifi, 0)),
          ("joined on the second, ALL 1", mdev(family, port, group, ifi2, 1))]
    x = socket.socket(family, socket.SOCK_DGRAM)
    if family == socket.AF_INET:
        x.setsockopt(IP, socket.IP_MULTICAST_IF, in4("0.0.0.0") + in4("0.0.0.0") + struct.pack("i", ifi2))
    else:
        x.setsockopt(IP6, socket.IPV6_MULTICAST_IF, ifi2)
    x.sendto(b"in", (group, port))
    x.close()
    report("%s group in on the second device" % ("IPv4" if family == socket.AF_INET else "IPv6"), rs)
