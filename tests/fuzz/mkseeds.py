#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""mkseeds.py - write the seed corpus of fuzz_rtnl and fuzz_rtnl_net
(tests/data/rtnl/corpus/*.bin): one input each, the first byte the
harness's options (fuzz_rtnl.c), the rest one datagram of requests.

Seeds reach the handlers a mutated golden dump hardly would: ip addrlabel
(RTM_NEWADDRLABEL, DELADDRLABEL, GETADDRLABEL get and dump), ip neigh
add/replace/del/get of static entries, ip netconf get and dump, IPv6
routes with RTA_EXPIRES, ip route get ... iif DEV, two dumps in one
datagram, requests with several faults, ip route get 0.0.0.0 and
through a device, nexthop objects and routes on them, device statistics
(ip stats show and set).  The corpus replay test
(unit.rtnl_corpus) runs every file through the harness; a crash, a
sanitizer report or a malformed reply fails it.

With --sysctl, it writes fuzz_sysctl's seeds instead (tests/data/sysctl):
byte 0 the family (bit 0: IPv6) and the directory (bits 1-2: all,
default, lo, eth0), byte 1 the file's index, then the bytes written.

Usage: mkseeds.py [--sysctl] DIR   (rewrites the files it knows; others
       are kept)
"""
import os
import socket
import struct
import sys

NLM_F_REQUEST, NLM_F_ACK, NLM_F_ROOT, NLM_F_MATCH = 1, 4, 0x100, 0x200
NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH
NLM_F_REPLACE, NLM_F_EXCL, NLM_F_CREATE = 0x100, 0x200, 0x400
NLM_F_BULK = 0x200          # in a delete
RTM_DELLINK, RTM_DELADDR, RTM_DELRULE = 17, 21, 33

RTM_NEWROUTE, RTM_DELROUTE, RTM_GETROUTE = 24, 25, 26
RTM_NEWNEIGH, RTM_DELNEIGH, RTM_GETNEIGH = 28, 29, 30
RTM_GETNETCONF = 82
RTM_NEWADDRLABEL, RTM_DELADDRLABEL, RTM_GETADDRLABEL = 72, 73, 74

AF_INET, AF_INET6 = 2, 10
NUD_REACHABLE, NUD_STALE, NUD_NOARP, NUD_PERMANENT = 0x02, 0x04, 0x40, 0x80
NTF_ROUTER = 0x80
NDA_DST, NDA_LLADDR, NDA_PROBES, NDA_PROTOCOL = 1, 2, 4, 12
IFAL_ADDRESS, IFAL_LABEL = 1, 2
NETCONFA_IFINDEX = 1
NETCONFA_IFINDEX_ALL, NETCONFA_IFINDEX_DEFAULT = -1, -2
RTA_DST, RTA_SRC, RTA_IIF, RTA_OIF, RTA_TABLE, RTA_MARK, RTA_EXPIRES = \
    1, 2, 3, 4, 15, 16, 23
RTM_F_LOOKUP_TABLE, RTM_F_FIB_MATCH = 0x1000, 0x2000
RTM_F_CLONED, RTNH_F_ONLINK = 0x200, 0x4
RTA_GATEWAY, RTA_METRICS, RTA_NH_ID = 5, 8, 30
RTN_UNICAST, RTN_BLACKHOLE = 1, 6
RTM_NEWLINK, RTM_GETLINK, RTM_NEWADDR, RTM_GETADDR = 16, 18, 20, 22
IFLA_ADDRESS, IFLA_IFNAME, IFLA_MTU, IFLA_LINKINFO = 1, 3, 4, 18
IFLA_INFO_KIND = 1
IFF_UP = 1
IFA_LOCAL, IFA_LABEL, IFA_CACHEINFO = 2, 3, 6
RTM_NEWNEXTHOP, RTM_DELNEXTHOP, RTM_GETNEXTHOP = 104, 105, 106
NHA_ID, NHA_GROUP, NHA_BLACKHOLE, NHA_OIF, NHA_GATEWAY, NHA_GROUPS = \
    1, 2, 4, 5, 6, 9
RTM_GETSTATS, RTM_SETSTATS = 94, 95
IFLA_STATS_GET_FILTERS, IFLA_STATS_SET_OFFLOAD_XSTATS_L3_STATS = 1, 2
IFLA_STATS_LINK_OFFLOAD_XSTATS = 4
NLA_F_NESTED = 0x8000
RTM_NEWLINKPROP, RTM_DELLINKPROP = 108, 109
IFLA_PROP_LIST, IFLA_ALT_IFNAME = 52, 53

# harness options, first byte (fuzz_rtnl.c)
STRICT, EXTACK = 1, 2


def attr(t, data):
    n = 4 + len(data)
    return struct.pack("=HH", n, t) + data + b"\0" * ((4 - n % 4) % 4)


def u32(t, v):
    return attr(t, struct.pack("=I", v))


def msg(t, flags, body, seq=1):
    n = 16 + len(body)
    return struct.pack("=IHHII", n, t, flags, seq, 0) + body + \
        b"\0" * ((4 - n % 4) % 4)


def ip(a):
    return socket.inet_pton(AF_INET6 if ":" in a else AF_INET, a)


def ifal(t, flags, plen, ifindex, pfx=None, label=None, seq=1):
    body = struct.pack("=BBBBII", AF_INET6, 0, plen, 0, ifindex, 0)
    if pfx is not None:
        body += attr(IFAL_ADDRESS, ip(pfx))
    if label is not None:
        body += u32(IFAL_LABEL, label)
    return msg(t, flags, body, seq)


def ndm(t, flags, fam, ifindex, state, nflags=0, dst=None, ll=None,
        proto=None, seq=1):
    body = struct.pack("=BBHiHBB", fam, 0, 0, ifindex, state, nflags, 0)
    if dst is not None:
        body += attr(NDA_DST, ip(dst))
    if ll is not None:
        body += attr(NDA_LLADDR, ll)
    if proto is not None:
        body += attr(NDA_PROTOCOL, bytes([proto]))
    return msg(t, flags, body, seq)


def ncm(flags, fam, ifindex=None, seq=1):
    body = struct.pack("=B3x", fam)
    if ifindex is not None:
        body += attr(NETCONFA_IFINDEX, struct.pack("=i", ifindex))
    return msg(RTM_GETNETCONF, flags, body, seq)


def rtm(t, flags, fam, dlen, attrs, rflags=0, table=254, typ=RTN_UNICAST,
        seq=1, proto=3, scope=0, slen=0):
    body = struct.pack("=BBBBBBBBI", fam, dlen, slen, 0, table, proto, scope,
                       typ, rflags) + b"".join(attrs)
    return msg(t, flags, body, seq)


def ifsm(t, flags, ifindex, mask, attrs, seq=1, fam=0):
    body = struct.pack("=BBHII", fam, 0, 0, ifindex, mask) + b"".join(attrs)
    return msg(t, flags, body, seq)


def ifi(t, flags, ifindex, attrs, seq=1, fam=0):
    body = struct.pack("=BxHiII", fam, 0, ifindex, 0, 0) + b"".join(attrs)
    return msg(t, flags, body, seq)


def ifi_up(t, flags, ifindex, attrs, seq=1):
    body = struct.pack("=BxHiII", 0, 0, ifindex, IFF_UP, IFF_UP) + \
        b"".join(attrs)
    return msg(t, flags, body, seq)


def nhm(t, flags, fam, attrs, seq=1, nflags=0):
    body = struct.pack("=BBBBI", fam, 0, 0, 0, nflags) + b"".join(attrs)
    return msg(t, flags, body, seq)


def grp(*members):
    return attr(NHA_GROUP, b"".join(struct.pack("=IBBH", i, w, 0, 0)
                                    for i, w in members))


def kind(k):
    return attr(IFLA_LINKINFO, attr(IFLA_INFO_KIND, k))


def ifa(t, flags, fam, plen, ifindex, attrs, seq=1):
    body = struct.pack("=BBBBI", fam, plen, 0, 0, ifindex) + b"".join(attrs)
    return msg(t, flags, body, seq)


REQ_ACK = NLM_F_REQUEST | NLM_F_ACK
NEW = REQ_ACK | NLM_F_CREATE | NLM_F_EXCL
MAC = b"\x02\x00\x5e\x10\x00\x07"

SEEDS = {
    # ip addrlabel add, list, get, replace, del (the fake's eth0 is 2)
    "addrlabel-add-list.bin": (EXTACK, [
        ifal(RTM_NEWADDRLABEL, NEW, 64, 0, "2001:db8:1::", 7, 1),
        ifal(RTM_NEWADDRLABEL, NEW, 48, 2, "2001:db8::", 9, 2),
        ifal(RTM_NEWADDRLABEL, NEW | NLM_F_REPLACE, 64, 0, "2001:db8:1::",
             8, 3),
        ifal(RTM_GETADDRLABEL, NLM_F_REQUEST | NLM_F_DUMP, 0, 0, seq=4),
        ifal(RTM_GETADDRLABEL, NLM_F_REQUEST, 128, 0, "2001:db8:1::5",
             seq=5),
        ifal(RTM_DELADDRLABEL, REQ_ACK, 64, 0, "2001:db8:1::", 8, 6),
        ifal(RTM_DELADDRLABEL, REQ_ACK, 64, 0, "2001:db8:1::", 8, 7),
    ]),
    "addrlabel-errors.bin": (STRICT | EXTACK, [
        ifal(RTM_NEWADDRLABEL, NEW, 129, 0, "::", 1, 1),
        ifal(RTM_NEWADDRLABEL, NEW, 0, 99, "::", 1, 2),
        ifal(RTM_NEWADDRLABEL, NEW, 96, 0, "::ffff:0:0", 4294967295, 3),
        ifal(RTM_NEWADDRLABEL, NEW, 0, 0, "::", seq=4),
        ifal(RTM_GETADDRLABEL, NLM_F_REQUEST, 128, 7, "::1", seq=5),
        ifal(RTM_GETADDRLABEL, NLM_F_REQUEST | NLM_F_DUMP, 3, 0, seq=6),
    ]),
    # ip neigh add/replace/change/get/del of static entries on eth0
    "neigh-static.bin": (EXTACK, [
        ndm(RTM_NEWNEIGH, NEW, AF_INET, 2, NUD_PERMANENT, dst="192.168.1.7",
            ll=MAC, seq=1),
        ndm(RTM_NEWNEIGH, NEW | NLM_F_REPLACE, AF_INET6, 2, NUD_NOARP,
            NTF_ROUTER, "fe80::7", MAC, 4, seq=2),
        ndm(RTM_NEWNEIGH, REQ_ACK | NLM_F_REPLACE, AF_INET, 2, NUD_STALE,
            dst="192.168.1.7", seq=3),
        ndm(RTM_NEWNEIGH, NEW, AF_INET, 2, NUD_REACHABLE, dst="192.168.1.7",
            ll=MAC, seq=4),
        ndm(RTM_GETNEIGH, NLM_F_REQUEST, AF_INET6, 2, 0, dst="fe80::7",
            seq=5),
        ndm(RTM_GETNEIGH, NLM_F_REQUEST | NLM_F_DUMP, 0, 0, 0, seq=6),
        ndm(RTM_DELNEIGH, REQ_ACK, AF_INET, 2, 0, dst="192.168.1.7", seq=7),
        ndm(RTM_DELNEIGH, REQ_ACK, AF_INET6, 2, 0, dst="fe80::7", seq=8),
    ]),
    "neigh-errors.bin": (STRICT | EXTACK, [
        ndm(RTM_NEWNEIGH, NEW, AF_INET, 1, NUD_PERMANENT, dst="127.0.0.9",
            ll=MAC, seq=1),
        ndm(RTM_NEWNEIGH, NEW, AF_INET, 2, 0x01, dst="192.168.1.8",
            ll=MAC, seq=2),
        ndm(RTM_NEWNEIGH, NEW, AF_INET6, 2, NUD_PERMANENT, dst="192.168.1.8",
            ll=MAC, seq=3),
        ndm(RTM_NEWNEIGH, NEW, AF_INET, 0, NUD_PERMANENT, dst="192.168.1.8",
            ll=MAC, seq=4),
        ndm(RTM_NEWNEIGH, NEW, AF_INET, 2, NUD_PERMANENT, dst="192.168.1.8",
            ll=b"\x01", seq=5),
        ndm(RTM_NEWNEIGH, NEW, AF_INET, 2, NUD_PERMANENT, 0x08,
            "192.168.1.8", MAC, seq=6),
        ndm(RTM_DELNEIGH, REQ_ACK, AF_INET, 2, 0, dst="192.168.1.99",
            seq=7),
        ndm(RTM_GETNEIGH, NLM_F_REQUEST, AF_INET, 0, 0, dst="192.168.1.1",
            seq=8),
        ndm(RTM_GETNEIGH, NLM_F_REQUEST, AF_INET, 2, 0, seq=9),
    ]),
    # attributes Linux's policies refuse (ERANGE) before anything else:
    # a short NDA_PROBES, an NDA_LLADDR past MAX_ADDR_LEN, a short
    # IFAL_ADDRESS before a good one, a short IFAL_LABEL
    "policy.bin": (EXTACK, [
        ndm(RTM_NEWNEIGH, NEW, AF_INET6, 2, NUD_PERMANENT, dst="fe80::8",
            ll=MAC, seq=1),
        msg(RTM_NEWNEIGH, NEW, struct.pack("=BBHiHBB", AF_INET, 0, 0, 2,
                                           NUD_PERMANENT, 0, 0) +
            attr(NDA_DST, ip("192.168.1.8")) + attr(NDA_LLADDR, b"\1" * 40),
            2),
        msg(RTM_NEWADDRLABEL, NEW, struct.pack("=BBBBII", AF_INET6, 0, 129,
                                               0, 0, 0) +
            attr(IFAL_ADDRESS, b"\x20\x01\x0d\xb8") +
            attr(IFAL_ADDRESS, ip("2001:db8::")) + u32(IFAL_LABEL, 7), 3),
        msg(RTM_NEWADDRLABEL, NEW, struct.pack("=BBBBII", AF_INET6, 0, 64,
                                               0, 0, 0) +
            attr(IFAL_ADDRESS, ip("2001:db8::")) + attr(IFAL_LABEL, b"\7"),
            4),
        msg(RTM_NEWNEIGH, NEW, struct.pack("=BBHiHBB", AF_INET6, 0, 0, 2,
                                           NUD_PERMANENT, 0, 0) +
            attr(NDA_DST, ip("fe80::9")) + attr(NDA_LLADDR, MAC) +
            attr(NDA_PROBES, b"\4"), 5),
    ]),
    # NLM_F_BULK (NLM_F_EXCL's bit) on every kind of delete: EOPNOTSUPP
    "bulk-delete.bin": (EXTACK, [
        ndm(RTM_NEWNEIGH, NEW, AF_INET, 2, NUD_PERMANENT, dst="192.168.1.9",
            ll=MAC, seq=1),
        ndm(RTM_DELNEIGH, REQ_ACK | NLM_F_BULK, AF_INET, 2, 0,
            dst="192.168.1.9", seq=2),
        ndm(RTM_DELNEIGH, REQ_ACK | NLM_F_BULK, AF_INET, 99, 0, seq=3),
        rtm(RTM_DELROUTE, REQ_ACK | NLM_F_BULK, AF_INET, 24,
            [attr(RTA_DST, ip("192.168.1.0"))], seq=4),
        msg(RTM_DELRULE, REQ_ACK | NLM_F_BULK,
            struct.pack("=BBBBBBBBI", AF_INET, 0, 0, 0, 0, 0, 0, 0, 0), 5),
        msg(RTM_DELADDR, REQ_ACK | NLM_F_BULK,
            struct.pack("=BBBBI", AF_INET, 24, 0, 0, 2) +
            attr(2, ip("192.168.1.2")), 6),
        msg(RTM_DELLINK, REQ_ACK | NLM_F_BULK,
            struct.pack("=BBHiII", 0, 0, 0, 2, 0, 0), 7),
        ifal(RTM_DELADDRLABEL, REQ_ACK | NLM_F_BULK, 64, 0, "2001:db8::",
             7, 8),
        ndm(RTM_GETNEIGH, NLM_F_REQUEST, AF_INET, 2, 0, dst="192.168.1.9",
            seq=9),
    ]),
    # ip netconf show (all, default, a device) and its dump
    "netconf.bin": (STRICT | EXTACK, [
        ncm(NLM_F_REQUEST, AF_INET, NETCONFA_IFINDEX_ALL, 1),
        ncm(NLM_F_REQUEST, AF_INET6, NETCONFA_IFINDEX_DEFAULT, 2),
        ncm(NLM_F_REQUEST, AF_INET6, 2, 3),
        ncm(NLM_F_REQUEST, AF_INET, 77, 4),
        ncm(NLM_F_REQUEST, AF_INET6, 77, 8),    # EINVAL, IPv4's ENODEV
        ncm(NLM_F_REQUEST, AF_INET, seq=5),
        ncm(NLM_F_REQUEST | NLM_F_DUMP, 0, seq=6),
        ncm(NLM_F_REQUEST | NLM_F_DUMP, AF_INET6, seq=7),
    ]),
    # ip -6 route add ... expires N, replace without, dump, del
    "route6-expires.bin": (EXTACK, [
        rtm(RTM_NEWROUTE, NEW, AF_INET6, 64,
            [attr(RTA_DST, ip("2001:db8:5::")), u32(RTA_OIF, 2),
             u32(RTA_EXPIRES, 100)], seq=1),
        rtm(RTM_NEWROUTE, NEW, AF_INET6, 48,
            [attr(RTA_DST, ip("2001:db8:6::")), u32(RTA_OIF, 2),
             u32(RTA_EXPIRES, 4294967295)], seq=2),
        rtm(RTM_NEWROUTE, REQ_ACK | NLM_F_CREATE | NLM_F_REPLACE, AF_INET6,
            64, [attr(RTA_DST, ip("2001:db8:5::")), u32(RTA_OIF, 2)], seq=3),
        rtm(RTM_NEWROUTE, NEW, AF_INET6, 64,
            [attr(RTA_DST, ip("2001:db8:7::")), u32(RTA_OIF, 2),
             attr(RTA_EXPIRES, b"\x01")], seq=4),
        rtm(RTM_NEWROUTE, NEW, AF_INET, 24,
            [attr(RTA_DST, ip("10.9.9.0")), u32(RTA_OIF, 2),
             u32(RTA_EXPIRES, 5)], seq=5),
        rtm(RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, AF_INET6, 0, [],
            seq=6, table=0, typ=0, proto=0),
        rtm(RTM_DELROUTE, REQ_ACK, AF_INET6, 48,
            [attr(RTA_DST, ip("2001:db8:6::"))], seq=7),
    ]),
    # ip route get ... iif eth0 (from, mark, fibmatch, a missing device)
    "route-get-iif.bin": (STRICT | EXTACK, [
        rtm(RTM_NEWROUTE, NEW, AF_INET, 24,
            [attr(RTA_DST, ip("10.7.0.0")), u32(RTA_OIF, 2)], seq=1),
        rtm(RTM_GETROUTE, NLM_F_REQUEST, AF_INET, 32,
            [attr(RTA_DST, ip("10.7.0.9")), attr(RTA_SRC, ip("192.168.1.1")),
             u32(RTA_IIF, 2)], seq=2, table=0, typ=0, proto=0, slen=32),
        rtm(RTM_GETROUTE, NLM_F_REQUEST, AF_INET, 32,
            [attr(RTA_DST, ip("10.7.0.9")), u32(RTA_IIF, 2),
             u32(RTA_MARK, 5)], RTM_F_FIB_MATCH, seq=3, table=0, typ=0,
            proto=0),
        rtm(RTM_GETROUTE, NLM_F_REQUEST, AF_INET, 32,
            [attr(RTA_DST, ip("10.7.0.9")), u32(RTA_IIF, 99)], seq=4,
            table=0, typ=0, proto=0),
        rtm(RTM_GETROUTE, NLM_F_REQUEST, AF_INET6, 128,
            [attr(RTA_DST, ip("fe80::2")), u32(RTA_IIF, 2)], seq=5,
            table=0, typ=0, proto=0),
        rtm(RTM_GETROUTE, NLM_F_REQUEST, AF_INET, 32,
            [attr(RTA_DST, ip("224.0.0.1")), attr(RTA_SRC, ip("0.0.0.0")),
             u32(RTA_IIF, 2)], RTM_F_LOOKUP_TABLE, seq=6, table=0, typ=0,
            proto=0, slen=32),
        rtm(RTM_GETROUTE, NLM_F_REQUEST, AF_INET, 32,
            [attr(RTA_DST, ip("10.7.0.9")), attr(RTA_IIF, b"\x02")],
            seq=7, table=0, typ=0, proto=0),
        # RTA_SRC without rtm_src_len: EINVAL under strict checking
        rtm(RTM_GETROUTE, NLM_F_REQUEST, AF_INET6, 128,
            [attr(RTA_DST, ip("2001:db8::5")), attr(RTA_SRC, ip("2001:db8::2")),
             u32(RTA_IIF, 2)], seq=8, table=0, typ=0, proto=0),
    ]),
    # Two dumps in one datagram: the second meets the first running
    # (EBUSY) where Linux sends NLMSG_DONE apart, and runs where not
    "dump-pair.bin": (EXTACK, [
        ifa(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, AF_INET, 0, 0, [], 1),
        ifi(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 0, [], 2),
        ifa(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, AF_INET6, 0, 0, [], 3),
        ifi(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 0, [], 4),
        ifi(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 0, [], 5, fam=7),
    ]),
    # ip link add type dummy (dummy%d: the fake's next index is 3), with
    # a %d name, MTU and MAC, made up at once, an address on it, deleted;
    # then a veth (Unknown device type), a MAC of 3 bytes, a multicast
    # MAC, an MTU of 10, an index asked for, a second %d
    "dummy.bin": (EXTACK, [
        ifi(RTM_NEWLINK, NEW, 0, [kind(b"dummy")], 1),
        ifi(RTM_NEWLINK, NEW, 0,
            [attr(IFLA_IFNAME, b"dm%d"), u32(IFLA_MTU, 9000),
             attr(IFLA_ADDRESS, MAC), kind(b"dummy")], 2),
        ifi_up(RTM_NEWLINK, NEW, 0,
               [attr(IFLA_IFNAME, b"up0d"), kind(b"dummy\0")], 3),
        ifa(RTM_NEWADDR, NEW, AF_INET, 32, 3,
            [attr(IFA_LOCAL, ip("10.255.0.1"))], 4),
        ifi(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 0, [], 5),
        ifi(RTM_DELLINK, REQ_ACK, 3, [], 6),
        ifi(RTM_NEWLINK, NEW, 0, [attr(IFLA_IFNAME, b"v0"), kind(b"veth")], 7),
        ifi(RTM_NEWLINK, NEW, 0,
            [attr(IFLA_ADDRESS, b"\1\2\3"), kind(b"dummy")], 8),
        ifi(RTM_NEWLINK, NEW, 0,
            [attr(IFLA_ADDRESS, b"\x01" + MAC[1:]), kind(b"dummy")], 9),
        ifi(RTM_NEWLINK, NEW, 0, [u32(IFLA_MTU, 10), kind(b"dummy")], 10),
        ifi(RTM_NEWLINK, NEW, 42, [kind(b"dummy")], 11),
        ifi(RTM_NEWLINK, NEW, 0,
            [attr(IFLA_IFNAME, b"%d%d"), kind(b"dummy")], 12),
    ]),
    # Nexthop objects (ip nexthop): a gateway on eth0, a blackhole, an IPv6
    # gateway, a group of them; routes on them; the gateway replaced, a
    # get, dumps (all, groups only), a member deleted (the group shrinks),
    # the group; a group of a missing id and one twice, a route on none
    "nexthop.bin": (EXTACK | STRICT, [
        nhm(RTM_NEWNEXTHOP, NEW, AF_INET,
            [u32(NHA_ID, 1), attr(NHA_GATEWAY, ip("10.0.0.2")),
             u32(NHA_OIF, 2)], 1),
        nhm(RTM_NEWNEXTHOP, NEW, AF_INET, [u32(NHA_ID, 2),
                                           attr(NHA_BLACKHOLE, b"")], 2),
        nhm(RTM_NEWNEXTHOP, NEW, AF_INET6,
            [u32(NHA_ID, 3), attr(NHA_GATEWAY, ip("fe80::2")),
             u32(NHA_OIF, 2)], 3),
        nhm(RTM_NEWNEXTHOP, NEW, 0, [u32(NHA_ID, 10), grp((1, 0), (3, 2))], 4),
        rtm(RTM_NEWROUTE, NEW, AF_INET, 16,
            [attr(RTA_DST, ip("10.9.0.0")), u32(RTA_NH_ID, 10)], seq=5),
        rtm(RTM_NEWROUTE, NEW, AF_INET6, 64,
            [attr(RTA_DST, ip("fd09::")), u32(RTA_NH_ID, 3)], seq=6),
        rtm(RTM_NEWROUTE, NEW, AF_INET, 16,
            [attr(RTA_DST, ip("10.8.0.0")), u32(RTA_NH_ID, 2)], seq=7),
        nhm(RTM_NEWNEXTHOP, REQ_ACK | NLM_F_REPLACE, AF_INET,
            [u32(NHA_ID, 1), attr(NHA_GATEWAY, ip("10.0.0.3")),
             u32(NHA_OIF, 2)], 8),
        nhm(RTM_GETNEXTHOP, NLM_F_REQUEST, 0, [u32(NHA_ID, 10)], 9),
        nhm(RTM_GETNEXTHOP, NLM_F_REQUEST | NLM_F_DUMP, 0, [], 10),
        nhm(RTM_GETNEXTHOP, NLM_F_REQUEST | NLM_F_DUMP, 0,
            [attr(NHA_GROUPS, b"")], 11),
        rtm(RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, AF_INET, 0, [], seq=12),
        nhm(RTM_DELNEXTHOP, REQ_ACK, 0, [u32(NHA_ID, 3)], 13),
        nhm(RTM_DELNEXTHOP, REQ_ACK, 0, [u32(NHA_ID, 10)], 14),
        nhm(RTM_NEWNEXTHOP, NEW, 0, [u32(NHA_ID, 11), grp((7, 0))], 15),
        nhm(RTM_NEWNEXTHOP, NEW, 0, [u32(NHA_ID, 11), grp((1, 0), (1, 0))],
            16),
        rtm(RTM_NEWROUTE, NEW, AF_INET, 16,
            [attr(RTA_DST, ip("10.7.0.0")), u32(RTA_NH_ID, 99)], seq=17),
    ]),
    # Device statistics (ip stats): a dump of every group, a get of one
    # device with the offload group narrowed, L3 statistics asked for
    # (twice) and no more; a mask past the groups, a filter of a group
    # not asked for, a value past 1
    "stats.bin": (EXTACK | STRICT, [
        ifsm(RTM_GETSTATS, NLM_F_REQUEST | NLM_F_DUMP, 0, 0x1f, [], 1),
        ifsm(RTM_GETSTATS, NLM_F_REQUEST, 2, 0x08,
             [attr(IFLA_STATS_GET_FILTERS | NLA_F_NESTED,
                   u32(IFLA_STATS_LINK_OFFLOAD_XSTATS, 6))], 2),
        ifsm(RTM_SETSTATS, REQ_ACK, 2, 0,
             [attr(IFLA_STATS_SET_OFFLOAD_XSTATS_L3_STATS, b"\1")], 3),
        ifsm(RTM_SETSTATS, REQ_ACK, 2, 0,
             [attr(IFLA_STATS_SET_OFFLOAD_XSTATS_L3_STATS, b"\1")], 4),
        ifsm(RTM_GETSTATS, NLM_F_REQUEST, 2, 0x09, [], 5),
        ifsm(RTM_SETSTATS, REQ_ACK, 2, 0,
             [attr(IFLA_STATS_SET_OFFLOAD_XSTATS_L3_STATS, b"\0")], 6),
        ifsm(RTM_GETSTATS, NLM_F_REQUEST, 2, 0x20, [], 7),
        ifsm(RTM_GETSTATS, NLM_F_REQUEST, 2, 0x01,
             [attr(IFLA_STATS_GET_FILTERS | NLA_F_NESTED,
                   u32(IFLA_STATS_LINK_OFFLOAD_XSTATS, 2))], 8),
        ifsm(RTM_SETSTATS, REQ_ACK, 2, 0,
             [attr(IFLA_STATS_SET_OFFLOAD_XSTATS_L3_STATS, b"\2")], 9),
    ]),
    # ip link property add/del: altnames added, a device found by one
    # (RTM_GETLINK, RTM_NEWLINK), a taken one, an unflagged list, the
    # primary name and a missing one deleted, a dump listing them
    "altname.bin": (EXTACK | STRICT, [
        ifi(RTM_NEWLINKPROP, REQ_ACK, 2,
            [attr(IFLA_PROP_LIST | NLA_F_NESTED,
                  attr(IFLA_ALT_IFNAME, b"uplink0\0") +
                  attr(IFLA_ALT_IFNAME, b"a" * 127 + b"\0"))], 1),
        ifi(RTM_NEWLINKPROP, REQ_ACK, 1,
            [attr(IFLA_PROP_LIST | NLA_F_NESTED,
                  attr(IFLA_ALT_IFNAME, b"uplink0\0"))], 2),
        ifi(RTM_GETLINK, NLM_F_REQUEST, 0,
            [attr(IFLA_ALT_IFNAME, b"uplink0\0")], 3),
        ifi_up(RTM_NEWLINK, REQ_ACK, 0, [attr(IFLA_IFNAME, b"uplink0\0"),
                                         u32(IFLA_MTU, 1400)], 4),
        ifi(RTM_NEWLINKPROP, REQ_ACK, 2,
            [attr(IFLA_PROP_LIST, attr(IFLA_ALT_IFNAME, b"x\0"))], 5),
        ifi(RTM_DELLINKPROP, REQ_ACK, 2,
            [attr(IFLA_PROP_LIST | NLA_F_NESTED,
                  attr(IFLA_ALT_IFNAME, b"eth0\0") +
                  attr(IFLA_ALT_IFNAME, b"nope\0"))], 6),
        ifi(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 0, [u32(29, 1)], 7),
        ifi(RTM_DELLINKPROP, REQ_ACK, 0,
            [attr(IFLA_ALT_IFNAME, b"uplink0\0"),
             attr(IFLA_PROP_LIST | NLA_F_NESTED,
                  attr(IFLA_ALT_IFNAME, b"uplink0\0"))], 8),
    ]),
    # Requests with several faults (the first Linux reports wins), ip
    # route get 0.0.0.0 and through a device, onlink without a gateway,
    # an IPv6 delete marked cloned
    "faults.bin": (EXTACK, [
        rtm(RTM_NEWROUTE, NEW, AF_INET, 33,
            [attr(RTA_DST, ip("10.77.0.0")), attr(RTA_GATEWAY, b"\1\2")], seq=1),
        rtm(RTM_NEWROUTE, NEW, AF_INET6, 129, [attr(RTA_METRICS, b"\1")],
            RTM_F_CLONED, seq=2, typ=99),
        rtm(RTM_NEWROUTE, NEW, AF_INET, 24,
            [attr(RTA_DST, ip("10.77.0.0")), u32(RTA_NH_ID, 5),
             u32(RTA_OIF, 99)], seq=3),
        rtm(RTM_NEWROUTE, NEW, AF_INET, 24,
            [attr(RTA_DST, ip("10.77.0.0")), u32(RTA_OIF, 2)], RTNH_F_ONLINK,
            seq=4),
        rtm(RTM_NEWROUTE, NEW, AF_INET, 24,
            [attr(RTA_DST, ip("10.78.0.0")), u32(RTA_OIF, 99)], seq=5,
            typ=RTN_BLACKHOLE),
        rtm(RTM_DELROUTE, REQ_ACK, AF_INET6, 64,
            [attr(RTA_DST, ip("2001:db8::"))], RTM_F_CLONED, seq=6),
        rtm(RTM_DELROUTE, REQ_ACK, AF_INET, 8,
            [attr(RTA_DST, ip("10.0.0.0"))], seq=7, table=77),
        rtm(RTM_GETROUTE, NLM_F_REQUEST, AF_INET, 32,
            [attr(RTA_DST, ip("0.0.0.0"))], seq=8, table=0, typ=0, proto=0),
        rtm(RTM_GETROUTE, NLM_F_REQUEST, AF_INET, 32,
            [attr(RTA_DST, ip("8.8.8.8")), u32(RTA_OIF, 1)], seq=9, table=0,
            typ=0, proto=0),
        rtm(RTM_GETROUTE, NLM_F_REQUEST, AF_INET, 32,
            [attr(RTA_DST, ip("224.0.0.1")), u32(RTA_OIF, 2)], seq=10,
            table=0, typ=0, proto=0),
        ifa(RTM_NEWADDR, NEW, AF_INET, 33, 99,
            [attr(IFA_LOCAL, ip("10.77.0.1")), attr(IFA_LABEL, b"x" * 20)], 11),
        ifa(RTM_NEWADDR, NEW, AF_INET, 24, 99,
            [attr(IFA_LOCAL, ip("10.77.0.1")),
             attr(IFA_CACHEINFO, struct.pack("=IIII", 100, 10, 0, 0))], 12),
        ifi(RTM_NEWLINK, REQ_ACK, 2,
            [u32(IFLA_MTU, 10), attr(IFLA_IFNAME, b"a" * 16)], 13),
        ifi(RTM_NEWLINK, REQ_ACK, 2,
            [u32(IFLA_MTU, 10), attr(IFLA_ADDRESS, b"\1\2\3")], 14),
    ]),
}


# fuzz_sysctl: (family and directory byte, file index, written bytes);
# the indices are devconf.c's (IPv4 27 rp_filter, 16 forwarding; IPv6 25
# forwarding, 26 hop_limit, 36 mtu, 30 ioam6_id_wide, 17 disable_ipv6, 27
# ignore_routes_with_linkdown, 41 proxy_ndp)
SYSCTL = {
    "rp-filter-eth0.bin": (0 | 3 << 1, 27, b"2\n"),
    "forwarding-all.bin": (0 | 0 << 1, 16, b"1\n"),
    "forwarding6-default.bin": (1 | 1 << 1, 25, b"  0x1"),
    "hop-limit-eth0.bin": (1 | 3 << 1, 26, b"-0\n"),
    "mtu6-eth0.bin": (1 | 3 << 1, 36, b"1400"),
    "ioam6-wide-lo.bin": (1 | 2 << 1, 30, b"4294967295 "),
    "disable-ipv6-all.bin": (1 | 0 << 1, 17, b"1\t"),
    "linkdown-all.bin": (1 | 0 << 1, 27, b"010"),
    "proxy-ndp-eth0.bin": (1 | 3 << 1, 41, b"+1"),
    "rp-filter-default.bin": (0 | 1 << 1, 27, b" " * 40 + b"-2147483648"),
}


def main():
    args = sys.argv[1:]
    sysctl = args[:1] == ["--sysctl"]
    if sysctl:
        args = args[1:]
    if len(args) != 1:
        sys.exit(__doc__)
    d = args[0]
    os.makedirs(d, exist_ok=True)
    if sysctl:
        for name, (b0, idx, text) in sorted(SYSCTL.items()):
            with open(os.path.join(d, name), "wb") as f:
                f.write(bytes([b0, idx]) + text)
        return
    for name, (opt, msgs) in sorted(SEEDS.items()):
        with open(os.path.join(d, name), "wb") as f:
            f.write(bytes([opt]) + b"".join(msgs))


if __name__ == "__main__":
    main()
