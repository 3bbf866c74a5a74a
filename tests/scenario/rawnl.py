# SPDX-License-Identifier: MIT
"""rawnl.py - for the scenarios' raw netlink scripts (iproute.sh's
nlerrs.py, nexthop.sh's nhraw.py, ipstats.sh's statsraw.py, altname.sh's
altraw.py), which find it beside them in $RUN (lib.sh's inner_rawnl):
sockets, requests and attributes to send, and what an NLMSG_ERROR
says."""
import socket
import struct


def sock(strict=False, rcvbuf=0):
    """A bound NETLINK_ROUTE socket with extended acks, and
    NETLINK_GET_STRICT_CHK when @strict; SO_RCVBUF @rcvbuf when not 0."""
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
    s.setsockopt(270, 11, 1)  # NETLINK_EXT_ACK
    if strict:
        s.setsockopt(270, 12, 1)  # NETLINK_GET_STRICT_CHK
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.bind((0, 0))
    return s


def request(t, nlflags, body, strict=False, rcvbuf=0):
    """Message type @t (NLM_F_REQUEST | NLM_F_ACK | @nlflags, sequence 1)
    with @body, on a socket of its own (sock()): the first datagram of
    the answer."""
    s = sock(strict, rcvbuf)
    s.send(struct.pack("=IHHII", 16 + len(body), t, 1 | 4 | nlflags, 1, 0) + body)
    r = s.recv(max(65536, rcvbuf))
    s.close()
    return r


def dump_msgs(t, body, strict=False):
    """A dump of message type @t (NLM_F_REQUEST | NLM_F_DUMP, sequence 2)
    with @body, on a socket of its own: its messages, each as (datagram,
    offset, length), and how it ended, (NLMSG_DONE or NLMSG_ERROR, the
    bytes from that message on)."""
    s = sock(strict)
    s.send(struct.pack("=IHHII", 16 + len(body), t, 1 | 0x300, 2, 0) + body)
    msgs = []
    while True:
        r = s.recv(65536)
        off = 0
        while off + 16 <= len(r):
            ln, typ = struct.unpack_from("=IH", r, off)
            if typ in (2, 3):
                s.close()
                return msgs, (typ, r[off:])
            msgs.append((r, off, ln))
            off += (ln + 3) & ~3


def attr(t, data):
    """One attribute of type @t, padded to 4 bytes."""
    ln = 4 + len(data)
    return struct.pack("=HH", ln, t) + data + b"\0" * ((4 - ln % 4) % 4)


def u32(v):
    """A u32 in host order."""
    return struct.pack("=I", v)

NLM_F_CAPPED = 0x100    # the request is not echoed back whole
NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS = 1, 2


def _tlvs(r, off, ln):
    """The extended ack's message and " @N" bad attribute offset in the
    attributes of @r from @off to @ln."""
    msg, bad = "", ""
    while off + 4 <= ln:
        alen, at = struct.unpack_from("=HH", r, off)
        if alen < 4:
            break
        if at == NLMSGERR_ATTR_MSG:
            msg = r[off + 4:off + alen].rstrip(b"\0").decode()
        elif at == NLMSGERR_ATTR_OFFS:
            bad = " @%d" % struct.unpack_from("=I", r, off + 4)[0]
        off += (alen + 3) & ~3
    return msg, bad


def ack_text(r):
    """The errno of the NLMSG_ERROR at the start of @r, its extended ack
    message ("" for none) and " @N" for the offset of the attribute it
    names ("" for none)."""
    err = struct.unpack_from("=i", r, 16)[0]
    ln = struct.unpack_from("=I", r, 0)[0]
    fl = struct.unpack_from("=H", r, 6)[0]
    echoed = struct.unpack_from("=I", r, 20)[0]
    off = 16 + 4 + (16 if fl & NLM_F_CAPPED else (echoed + 3) & ~3)
    return (err,) + _tlvs(r, off, ln)


def done_text(r):
    """The same of the NLMSG_DONE at the start of @r: its int, then the
    extended ack attributes that may follow it."""
    ln = struct.unpack_from("=I", r, 0)[0]
    return (struct.unpack_from("=i", r, 16)[0],) + _tlvs(r, 20, ln)
