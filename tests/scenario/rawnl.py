# SPDX-License-Identifier: MIT
"""rawnl.py - for the scenarios' raw netlink scripts (iproute.sh's
nlerrs.py, nexthop.sh's nhraw.py), which find it beside them in $RUN
(lib.sh's inner_rawnl): attributes to send, and what an NLMSG_ERROR
says."""
import struct


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
