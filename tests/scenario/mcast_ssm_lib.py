# SPDX-License-Identifier: MIT
#
# mcast_ssm_lib.py - what mcast_ssm.py and mcast_ssm_fuzz.py share: the
# source filter options' numbers and structures (ip_mreq_source,
# group_source_req, ip_msfilter, group_filter), getsockopt() with an
# argument in its buffer, and one printed line per call.
import ctypes, errno, socket, struct

IP, IP6 = socket.IPPROTO_IP, socket.IPPROTO_IPV6
(IP_UNBLOCK_SOURCE, IP_BLOCK_SOURCE, IP_ADD_SOURCE_MEMBERSHIP,
 IP_DROP_SOURCE_MEMBERSHIP, IP_MSFILTER) = 37, 38, 39, 40, 41
(MCAST_JOIN_GROUP, MCAST_BLOCK_SOURCE, MCAST_UNBLOCK_SOURCE,
 MCAST_LEAVE_GROUP, MCAST_JOIN_SOURCE_GROUP, MCAST_LEAVE_SOURCE_GROUP,
 MCAST_MSFILTER) = 42, 43, 44, 45, 46, 47, 48
INCLUDE, EXCLUDE = 1, 0


def out(label, what):
    print("%s: %s" % (label, what))


def do(label, fn):
    try:
        r = fn()
        out(label, "ok" if r is None else r)
    except OSError as e:
        out(label, errno.errorcode.get(e.errno, e.errno))


def in4(a):
    return socket.inet_aton(a)


def in6(a):
    return socket.inet_pton(socket.AF_INET6, a)


def mreqs(group, source, iface="0.0.0.0"):
    return in4(group) + in4(iface) + in4(source)


def ss(addr):
    """a struct sockaddr_storage holding @addr (either family)"""
    if ":" in addr:
        b = struct.pack("HHI16sI", socket.AF_INET6, 0, 0, in6(addr), 0)
    else:
        b = struct.pack("HH4s", socket.AF_INET, 0, in4(addr))
    return b + bytes(128 - len(b))


def gsreq(iface, group, source):
    return struct.pack("I4x", iface) + ss(group) + ss(source)


def gfilter(iface, group, mode, sources, numsrc=None):
    n = len(sources) if numsrc is None else numsrc
    return (struct.pack("I4x", iface) + ss(group) + struct.pack("II", mode, n) +
            b"".join(ss(x) for x in sources))


def msfilter(group, iface, mode, sources, numsrc=None):
    n = len(sources) if numsrc is None else numsrc
    return (in4(group) + in4(iface) + struct.pack("II", mode, n) +
            b"".join(in4(x) for x in sources))


libc = ctypes.CDLL(None, use_errno=True)


def getopt_in(s, level, name, req, size=None):
    """getsockopt() with an argument in the buffer (Python's takes none)"""
    buf = ctypes.create_string_buffer(req, len(req) if size is None else size)
    n = ctypes.c_int(len(buf))
    if libc.getsockopt(s.fileno(), level, name, buf, ctypes.byref(n)) < 0:
        e = ctypes.get_errno()
        raise OSError(e, errno.errorcode.get(e, ""))
    return buf.raw[:n.value] if n.value <= len(buf) else buf.raw + b"?" * (n.value - len(buf))


def get_msfilter(s, group, iface, room):
    """getsockopt(IP_MSFILTER) with room for @room sources"""
    req = msfilter(group, iface, 0, ["0.0.0.0"] * room, room)
    r = getopt_in(s, IP, IP_MSFILTER, req)
    mode, n = struct.unpack("II", r[8:16])
    srcs = [socket.inet_ntoa(r[16 + 4 * i:20 + 4 * i]) for i in range((len(r) - 16) // 4)]
    return "len %d mode %d numsrc %d %s" % (len(r), mode, n, srcs)


def get_gfilter(s, level, iface, group, room):
    req = gfilter(iface, group, 0, ["0.0.0.0" if level == IP else "::"] * room, room)
    r = getopt_in(s, level, MCAST_MSFILTER, req)
    mode, n = struct.unpack("II", r[136:144])
    srcs = []
    for i in range((len(r) - 144) // 128):
        e = r[144 + 128 * i:272 + 128 * i]
        fam = struct.unpack("H", e[:2])[0]
        srcs.append(socket.inet_ntoa(e[4:8]) if fam == socket.AF_INET else
                    socket.inet_ntop(socket.AF_INET6, e[8:24]) if fam == socket.AF_INET6 else fam)
    return "len %d mode %d numsrc %d %s" % (len(r), mode, n, srcs)
