#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# altname.sh - alternative interface names (`ip link property add dev
# eth0 altname NAME`, RTM_NEWLINKPROP and RTM_DELLINKPROP) as Linux 6.18
# keeps them, and the lookups that find a device by one.
#
# (root) The same commands in a sandbox (as the unprivileged user) and in
# a network namespace: altnames added (one, two at once, 127 bytes long)
# and taken; shown by `ip link`, `ip -d link`, `ip -j link`; a device found
# by its altname (ip link show, ip addr add and show, ip route add and
# show, ip rule add iif and oif, ip link set mtu, down); a rename to a
# taken altname; the errors
# (a name taken by this or another device, too long, refused by `ip`,
# one to delete that no device has, a device's own name, a device that is
# not there).  Outputs, errors and exit statuses, and `ip monitor link`
# meanwhile (told only while a device is up), must be the same.
# altraw.py then sends what `ip` cannot: the property list's nest and
# policy, strict parsing of the rest, the device by IFLA_ALT_IFNAME, a
# request failing half way, the most altnames a device may have (the
# 64 KiB limit of the list) and a dump of such a device, SIOCGIFINDEX,
# SIOCGIFMTU, SIOCGIFADDR and SO_BINDTODEVICE by an altname: the errno
# and extended ack of each, the same on both sides.
#
#   rrsandbox -c sb.conf (uid 65534)        netns rrs-alt-PID-a (root)
#   lo, eth0 (link) 10.0.0.1/24              lo, eth0 (veth, peer up in B)

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need ip sed diff "$PY"

long=$(printf 'x%.0s' $(seq 127))
cat >"$RUN/cmds" <<EOF
ip link property add dev eth0 altname uplink0
ip link show
ip link show uplink0
ip link show dev uplink0
ip link property add dev eth0 altname uplink0
ip link property add dev lo altname uplink0
ip link property add dev lo altname eth0
ip link property add dev eth0 altname eth0
ip link property add dev eth0 altname a/b
ip link property add dev eth0 altname 'a b'
ip link property add dev eth0 altname ${long}y
ip link property add dev eth0 altname $long
ip link property add dev eth0 altname second altname third
ip link property add dev nosuch altname foo
ip link property add dev lo altname loopback0
ip link show
ip -d link show dev loopback0
ip -j link show lo
ip -j -p link show loopback0
ip link property del dev eth0 altname nope
ip link property del dev eth0 altname eth0
ip link property del dev eth0 altname lo
ip link property del dev lo altname uplink0
ip link property del dev eth0 altname loopback0
ip link property del dev eth0 altname $long
ip addr add 10.1.0.1/24 dev uplink0
ip -4 addr show dev uplink0
ip route add 10.9.0.0/16 dev uplink0
ip route show dev uplink0
ip route get 10.9.0.1 oif uplink0 | sed 's/ uid [0-9]*//'
ip rule add iif uplink0 table 100 pref 100
ip rule add oif uplink0 table 100 pref 101
ip rule show pref 100
ip rule show pref 101
ip rule del pref 100
ip rule del pref 101
ip link set uplink0 mtu 1400
ip link set dev eth0 name uplink0
ip link set dev lo name second
ip link set dev eth0 name eth0
ip link set uplink0 down
ip link show eth0
ip link property del dev uplink0 altname uplink0
ip link show uplink0
ip link property del dev second altname third
ip link show eth0
ip link property del dev lo altname loopback0
ip link show lo
EOF
cat >"$RUN/mon_cmds" <<EOF
ip link property add dev eth0 altname uplink0
ip link property add dev eth0 altname uplink0
ip link property add dev lo altname lo0 altname lo1
ip link property del dev lo altname lo1
ip link property del dev lo altname lo1
ip link set lo down
ip link property add dev lo altname lo2
ip link property del dev lo altname lo0
ip link property add dev uplink0 altname $long
EOF

inner_run_sh
inner_mon_sh monitor link
inner_rawnl
inner_script altraw.py <<'EOF'
import errno, fcntl, socket, struct
from rawnl import ack_text, attr, done_text, request, sock, u32

# altraw.py: RTM_NEWLINKPROP and RTM_DELLINKPROP requests `ip` does not
# send, each with its errno, extended-ack message and bad attribute
# offset; the altnames of eth0 after each step; ioctls and SO_BINDTODEVICE
# by an altname

NEWLINK, GETLINK, NEWPROP, DELPROP = 16, 18, 108, 109
IFNAME, MTU, STATS, MAP, NS_PID, EXT_MASK = 3, 4, 7, 14, 19, 29
GSO_MAX_SIZE, PROP_LIST, ALT, PERM = 41, 52, 53, 54
F_NESTED = 0x8000


def ifi(index=2, fam=0):
    return struct.pack("=BBHiII", fam, 0, 0, index, 0, 0)


RCV = 1 << 20  # the largest link message: 496 long altnames


def names(r, off, ln):
    """The altnames of the RTM_NEWLINK at @off"""
    out, a = [], off + 32
    while a + 4 <= off + ln:
        alen, at = struct.unpack_from("=HH", r, a)
        if alen < 4:
            break
        if at & 0x3fff == PROP_LIST:
            if not at & F_NESTED:
                out.append("(unflagged)")
            b = a + 4
            while b + 4 <= a + alen:
                blen, bt = struct.unpack_from("=HH", r, b)
                out.append(r[b + 4:b + blen].rstrip(b"\0").decode()
                           if bt == ALT else "type %d" % bt)
                b += (blen + 3) & ~3
        a += (alen + 3) & ~3
    return out


def short(v):
    return v if len(v) < 20 else "%s...(%d)" % (v[:8], len(v))


def show(what, lst):
    if len(lst) > 4:
        print("   %s: %d altnames, %s" % (what, len(lst), ", ".join(
            short(v) for v in lst[:3])))
    else:
        print("   %s: %s" % (what, ", ".join(short(v) for v in lst) or "none"))


def ask(name, t, body, flags=0):
    r = request(t, flags, body, rcvbuf=RCV)
    print("%-34s %4d %s%s" % ((name,) + ack_text(r)))


def getlink(body=None):
    body = body if body is not None else ifi()
    s = sock(rcvbuf=RCV)
    s.send(struct.pack("=IHHII", 16 + len(body), GETLINK, 1, 1, 0) + body)
    r = s.recv(RCV)
    s.close()
    if struct.unpack_from("=H", r, 4)[0] != NEWLINK:
        return "error %d" % ack_text(r)[0], []
    ln = struct.unpack_from("=I", r, 0)[0]
    return "index %d" % struct.unpack_from("=i", r, 20)[0], names(r, 0, ln)


def state(what):
    show(what, getlink()[1])


def plist(*items, flags=F_NESTED):
    return attr(PROP_LIST | flags, b"".join(items))


def alt(v, flags=0):
    return attr(ALT | flags, v if isinstance(v, bytes) else v.encode() + b"\0")


P = NEWPROP
ask("add raw0", P, ifi() + plist(alt("raw0")))
ask("add raw0 again", P, ifi() + plist(alt("raw0")))
ask("add empty payload", P, ifi() + plist(alt(b"")))
ask("add NUL only", P, ifi() + plist(alt(b"\0")))
ask("add unterminated", P, ifi() + plist(alt(b"nonul")))
ask("add 128 bytes", P, ifi() + plist(alt("y" * 128)))
ask("add 127 unterminated", P, ifi() + plist(alt(b"z" * 127)))
ask("add a/b", P, ifi() + plist(alt("a/b")))
ask("add embedded NUL", P, ifi() + plist(alt(b"emb\0edded\0")))
ask("add flagged name", P, ifi() + plist(alt("flag0", F_NESTED)))
ask("add list unflagged", P, ifi() + plist(alt("unfl0"), flags=0))
ask("add list empty", P, ifi() + plist())
ask("add list short", P, ifi() + attr(PROP_LIST | F_NESTED, b"\1\0"))
ask("add list other type", P, ifi() + plist(attr(IFNAME, b"oth0\0"), alt("oth1")))
ask("add no list", P, ifi())
ask("add second fails", P, ifi() + plist(alt("half0"), alt("raw0"), alt("half1")))
state("after the adds")
ask("add dev 99", P, ifi(99) + plist(alt("n0")))
ask("add no dev", P, ifi(0) + plist(alt("n0")))
ask("add dev -1", P, ifi(-1) + plist(alt("n0")))
ask("add by ifname", P, ifi(0) + attr(IFNAME, b"eth0\0") + plist(alt("byname0")))
ask("add by ifname alt", P, ifi(0) + attr(IFNAME, b"raw0\0") + plist(alt("byname1")))
ask("add by alt", P, ifi(0) + alt("raw0") + plist(alt("byalt0")))
ask("add by alt missing", P, ifi(0) + alt("nosuch") + plist(alt("byalt1")))
ask("add by alt too long", P, ifi(0) + alt("q" * 128) + plist(alt("byalt2")))
ask("add ifname over alt", P, ifi(0) + attr(IFNAME, b"nosuch\0") + alt("raw0") + plist(alt("x0")))
ask("add netns pid", P, ifi() + attr(NS_PID, u32(1)) + plist(alt("x1")))
ask("add type 70", P, ifi() + attr(70, u32(1)) + plist(alt("x2")))
ask("add stats attr", P, ifi() + attr(STATS, u32(1)))
ask("add map attr", P, ifi() + attr(MAP, b"\0" * 32))
ask("add mtu u16", P, ifi() + attr(MTU, b"\0\5"))
ask("add perm address", P, ifi() + attr(PERM, b"\0" * 6))
ask("add gso 100", P, ifi() + attr(GSO_MAX_SIZE, u32(100)))
ask("add ifname 16", P, ifi() + attr(IFNAME, b"a" * 16 + b"\0"))
ask("add leftover", P, ifi() + plist(alt("x3")) + b"\1\0")
ask("add short header", P, struct.pack("=BBHi", 0, 0, 0, 2))
D = DELPROP
ask("del raw0 by alt", D, ifi(0) + alt("raw0") + plist(alt("raw0")))
ask("del raw0 again", D, ifi() + plist(alt("raw0")))
ask("del eth0", D, ifi() + plist(alt("eth0")))
ask("del lo", D, ifi() + plist(alt("lo")))
ask("del lo's", D, ifi(1) + plist(alt("half0")))
ask("del empty", D, ifi() + plist(alt(b"")))
ask("del two", D, ifi() + plist(alt("half0"), alt("a/b")))
state("after the deletes")
# the most a device may have: one more than fits 64 KiB is refused
big = ["%03d" % i + "b" * 124 for i in range(600)]
for i in range(0, 600, 100):
    ask("add 100 long from %d" % i, P, ifi() + plist(*(alt(v) for v in big[i:i + 100])))
state("after 600 tried")
s = sock(rcvbuf=RCV)
s.send(struct.pack("=IHHII", 32 + 8, GETLINK, 0x301, 2, 0) + ifi(0) + attr(EXT_MASK, u32(1)))
seen, done = [], False
while not done:
    r = s.recv(RCV)
    off = 0
    while off + 16 <= len(r):
        ln, typ = struct.unpack_from("=IH", r, off)
        if typ == 3:
            seen.append("done %d" % done_text(r[off:])[0])
            done = True
            break
        if typ == 2:
            seen.append("error %d" % struct.unpack_from("=i", r, off + 16)[0])
            done = True
            break
        seen.append("%d:%d" % (struct.unpack_from("=i", r, off + 20)[0],
                               len(names(r, off, ln))))
        off += (ln + 3) & ~3
s.close()
print("dump with a filter mask:", " ".join(seen))
ask("del 496 long", D, ifi() + plist(*(alt(v) for v in big[:496])))
state("after they went")
# ioctls and SO_BINDTODEVICE by an altname
ask("add io0", P, ifi() + plist(alt("io0")))
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for name in ("io0", "eth0", "nosuch"):
    try:
        print("if_nametoindex(%s) = %d" % (name, socket.if_nametoindex(name)))
    except OSError:
        print("if_nametoindex(%s): none" % name)
print("if_indextoname(2) =", socket.if_indextoname(2))
for req, what in ((0x8921, "SIOCGIFMTU"), (0x8915, "SIOCGIFADDR"),
                  (0x8933, "SIOCGIFINDEX"), (0x8913, "SIOCGIFFLAGS")):
    try:
        r = fcntl.ioctl(u, req, struct.pack("16s24s", b"io0", b""))
        print("%s io0: %s" % (what, r[16:24].hex()))
    except OSError as e:
        print("%s io0: %s" % (what, errno.errorcode[e.errno]))
u.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"io0")
print("SO_BINDTODEVICE io0 ->",
      u.getsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, 16).rstrip(b"\0").decode())
try:
    u.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"nosuch")
except OSError as e:
    print("SO_BINDTODEVICE nosuch:", errno.errorcode[e.errno])
u.close()
EOF
chmod 644 "$RUN/cmds" "$RUN/mon_cmds" "$RUN/altraw.py"
one_link_conf 10.0.0.1/24

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP-PART: altname.sh: not root, no namespace to compare with" >&2
else
	if sandbox_and_linux alt "$RUN/sb.conf" altraw.py ns_one_veth 10.0.0.1/24; then
		same_three altnames
	fi
	# what must be there whatever Linux says
	grep -q '^    altname uplink0$' "$RUN/sb.out" ||
		fail "ip link show did not show the altname in the sandbox"
	grep -q '^if_nametoindex(io0) = 2$' "$RUN/sb.raw" ||
		fail "if_nametoindex() did not find the device by its altname"
fi
checks_done
