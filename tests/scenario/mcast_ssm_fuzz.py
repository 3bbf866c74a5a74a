# SPDX-License-Identifier: MIT
#
# mcast_ssm_fuzz.py - a seeded run of random multicast membership and
# source filter calls (joins and leaves of both families by device,
# address or neither; the ten source options; IP_MSFILTER and
# MCAST_MSFILTER set and read; IP(V6)_MULTICAST_ALL; sockets closed and
# made again) on four sockets, one printed line per call.  The same seed
# gives the same calls, so mcast.sh runs it in a sandbox and on Linux in
# a network namespace and compares the lines: what is joined where, each
# filter's state and every error must come out as Linux's.
#
# Usage: mcast_ssm_fuzz.py IFNAME ADDR4 ADDR4B ADDR6 ADDR6B IFNAME2 SEED CALLS
#   (the devices and addresses of mcast_ssm.py)
import random, socket, struct, sys

from mcast_ssm_lib import *  # noqa: F401,F403 (the options and structures)

ifname, a4, b4, a6, b6, ifname2 = sys.argv[1:7]
seed, calls = int(sys.argv[7]), int(sys.argv[8])
ifi = socket.if_nametoindex(ifname)
ifi2 = socket.if_nametoindex(ifname2)
rng = random.Random(seed)
G4 = ["232.1.1.1", "232.1.1.2", "239.9.9.9", "10.1.1.1"]
G6 = ["ff3e::1", "ff3e::2", "ff02::9", "fd00::9"]
S4 = ["10.9.0.1", "10.9.0.2", "10.9.0.3", b4]
S6 = ["fd00::a", "fd00::b", "fd00::c", b6]
IFS = [0, ifi, ifi2, 99]		# printed as their place here
ADDRS = ["0.0.0.0", a4, "10.0.1.1", "10.99.0.1"]
KINDS = [(socket.AF_INET, socket.SOCK_DGRAM), (socket.AF_INET6, socket.SOCK_DGRAM),
         (socket.AF_INET, socket.SOCK_DGRAM), (socket.AF_INET6, socket.SOCK_STREAM)]
socks = [socket.socket(f, t) for f, t in KINDS]
for n in range(calls):
    k = rng.randrange(len(socks))
    s = socks[k]
    v6 = rng.random() < 0.5 and s.family == socket.AF_INET6
    op = rng.randrange(12)
    g = rng.choice(G6 if v6 else G4)
    src = rng.choice(S6 if v6 else S4)
    i = rng.choice(IFS)
    a = rng.choice(ADDRS)
    lvl = IP6 if v6 else IP
    label = "%d s%d %s %s if%d %s" % (n, k, g, src, IFS.index(i), a)
    if op == 0 and not v6:
        name = rng.choice([IP_ADD_SOURCE_MEMBERSHIP, IP_DROP_SOURCE_MEMBERSHIP,
                           IP_BLOCK_SOURCE, IP_UNBLOCK_SOURCE])
        do("%s opt%d" % (label, name), lambda: s.setsockopt(IP, name, mreqs(g, src, a)))
    elif op in (0, 1, 2):
        name = rng.choice([MCAST_JOIN_SOURCE_GROUP, MCAST_LEAVE_SOURCE_GROUP,
                           MCAST_BLOCK_SOURCE, MCAST_UNBLOCK_SOURCE])
        do("%s opt%d" % (label, name), lambda: s.setsockopt(lvl, name, gsreq(i, g, src)))
    elif op in (3, 4):
        join = op == 3
        if v6:
            name = socket.IPV6_JOIN_GROUP if join else socket.IPV6_LEAVE_GROUP
            do("%s %s6" % (label, "join" if join else "leave"),
               lambda: s.setsockopt(IP6, name, in6(g) + struct.pack("I", i)))
        else:
            name = socket.IP_ADD_MEMBERSHIP if join else socket.IP_DROP_MEMBERSHIP
            do("%s %s4" % (label, "join" if join else "leave"),
               lambda: s.setsockopt(IP, name, in4(g) + in4(a) + struct.pack("i", i)))
    elif op == 5 and not v6:
        srcs = rng.sample(S4, rng.randrange(0, 4))
        mode = rng.choice([EXCLUDE, INCLUDE, INCLUDE, EXCLUDE, 2])
        do("%s msf %d %s" % (label, mode, srcs),
           lambda: s.setsockopt(IP, IP_MSFILTER, msfilter(g, a, mode, srcs)))
    elif op in (5, 6):
        srcs = rng.sample(S6 if v6 else S4, rng.randrange(0, 4))
        mode = rng.choice([EXCLUDE, INCLUDE, INCLUDE, EXCLUDE, 3])
        do("%s gf %d %s" % (label, mode, srcs),
           lambda: s.setsockopt(lvl, MCAST_MSFILTER, gfilter(i, g, mode, srcs)))
    elif op == 7 and not v6:
        room = rng.randrange(0, 5)
        do("%s getmsf %d" % (label, room), lambda: get_msfilter(s, g, a, room))
    elif op in (7, 8, 9):
        room = rng.randrange(0, 5)
        do("%s getgf %d" % (label, room), lambda: get_gfilter(s, lvl, i, g, room))
    elif op == 10:
        v = rng.randrange(2)
        do("%s all %d" % (label, v), lambda: s.setsockopt(lvl, 49 if lvl == IP else 29, v))
    else:
        s.close()
        socks[k] = socket.socket(*KINDS[k])
        out(label, "closed, made again")
