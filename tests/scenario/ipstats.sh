#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# ipstats.sh - a device's statistics by groups (`ip stats`, RTM_GETSTATS
# and RTM_SETSTATS) as Linux 6.18 gives them for lo and a veth.
#
# (root) The same commands in a sandbox (as the unprivileged user) and in
# a network namespace: `ip stats show` of every device, of one, by group
# and subgroup, in JSON; the L3 offload statistics asked for (twice: the
# second changes nothing), shown, no more asked for; a device that is not
# there.  Outputs, errors and exit statuses, and `ip monitor stats`
# meanwhile (one message per change, none for the repeat), must be the
# same, but for the counters' values: the sandbox's link has no peer and
# the namespace's veth sends IPv6's own packets at its own pace, so the
# rows of numbers under RX:/TX: and the counters of JSON are masked.
# statsraw.py then sends raw requests Linux refuses (short headers, no
# filter mask, a device that is not there, strict checking's header
# rules, IFLA_STATS_GET_FILTERS' nest: unknown, unsupported and
# unflagged attributes, reserved bits, wrong sizes; a set with a family,
# a mask, a value past 1), prints the errno and extended ack of each,
# and the shape of the replies that succeed (the attributes' types and
# sizes, the offload group's bytes): the same on both sides.
#
#   rrsandbox -c sb.conf (uid 65534)        netns rrs-st-PID-a (root)
#   lo, eth0 (link) 10.0.0.1/24              lo, eth0 (veth, peer up in B)

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need ip sed diff "$PY"

cat >"$RUN/cmds" <<'EOF'
ip stats show
ip stats show dev eth0
ip stats show group link
ip stats show group offload
ip stats show group offload subgroup hw_stats_info
ip stats show group afstats
ip stats show group xstats
ip stats show dev eth0 group offload subgroup l3_stats
ip -j stats show dev lo
ip stats set dev eth0 l3_stats on
ip stats set dev eth0 l3_stats on
ip stats show dev eth0 group offload
ip -j stats show dev eth0 group offload
ip stats set dev eth0 l3_stats off
ip stats show dev eth0 group offload subgroup hw_stats_info
ip stats set dev lo l3_stats off
ip stats set dev nosuch l3_stats on
ip stats show dev nosuch
EOF
grep '^ip stats set' "$RUN/cmds" >"$RUN/mon_cmds"

inner_run_sh
inner_mon_sh monitor stats
inner_rawnl
inner_script statsraw.py <<'EOF'
import struct
from rawnl import ack_text, attr, done_text, dump_msgs, request, u32

# statsraw.py: RTM_GETSTATS and RTM_SETSTATS requests Linux refuses, each
# with its errno, extended-ack message and bad attribute offset; and the
# shape of the replies to those it answers

NEWSTATS, GETSTATS, SETSTATS = 92, 94, 95
LINK_64, XSTATS, SLAVE, OFFLOAD, AF_SPEC = 1, 2, 3, 4, 5
ALL = 0x1f


def ifsm(fam=0, ifindex=2, mask=ALL, pad1=0, pad2=0):
    return struct.pack("=BBHII", fam, pad1, pad2, ifindex, mask)


def nest(t, data):
    return attr(t | 0x8000, data)



def shape(r, off, ln):
    """An RTM_NEWSTATS: its header, then each attribute's type and size,
    the offload group's and AF_SPEC's bytes whole (no counters there)"""
    fam, _, _, idx, mask = struct.unpack_from("=BBHII", r, off + 16)
    line = "stats fam %d dev %d mask %#x:" % (fam, idx, mask)
    a = off + 28
    while a + 4 <= off + ln:
        alen, at = struct.unpack_from("=HH", r, a)
        if at in (OFFLOAD, AF_SPEC):
            line += " %d=%s" % (at, r[a + 4:a + alen].hex())
        else:
            line += " %d[%d]" % (at, alen - 4)
        a += (alen + 3) & ~3
    return line


def ask(name, t, nlflags, body, strict=False):
    r = request(t, nlflags, body, strict)
    typ = struct.unpack_from("=H", r, 4)[0]
    if typ == NEWSTATS:
        print("%-34s %s" % (name, shape(r, 0, struct.unpack_from("=I", r, 0)[0])))
    elif typ == 2:
        print("%-34s %4d %s%s" % ((name,) + ack_text(r)))
    else:
        print("%-34s reply type %d" % (name, typ))


def dump(name, body, strict=False):
    msgs, (typ, end) = dump_msgs(GETSTATS, body, strict)
    out = [shape(r, off, ln) for r, off, ln in msgs]
    out.append("done %d %s%s" % done_text(end) if typ == 3 else
               "error %d" % struct.unpack_from("=i", end, 16)[0])
    print(name + ":")
    for line in out:
        print("   ", line)


G = GETSTATS
FILT = lambda data: nest(1, data)
ask("get all groups", G, 0, ifsm())
ask("get lo link", G, 0, ifsm(ifindex=1, mask=1))
ask("get mask 0x3f", G, 0, ifsm(mask=0x3f))
ask("get mask 0x3f strict", G, 0, ifsm(mask=0x3f), True)
ask("get mask 0xffff", G, 0, ifsm(mask=0xffff))
ask("get mask 0", G, 0, ifsm(mask=0))
ask("get mask 0, no dev", G, 0, ifsm(ifindex=99, mask=0))
ask("get dev 0", G, 0, ifsm(ifindex=0))
ask("get dev -1", G, 0, ifsm(ifindex=0xffffffff))
ask("get dev 99", G, 0, ifsm(ifindex=99))
ask("get short header", G, 0, struct.pack("=BBHI", 0, 0, 0, 2))
ask("get family 2", G, 0, ifsm(fam=2, mask=1))
ask("get pad1", G, 0, ifsm(pad1=1))
ask("get pad1 strict", G, 0, ifsm(pad1=1), True)
ask("get pad2 strict", G, 0, ifsm(pad2=1), True)
ask("get filters hw info", G, 0, ifsm() + FILT(attr(OFFLOAD, u32(2))))
ask("get filters l3", G, 0, ifsm() + FILT(attr(OFFLOAD, u32(4))))
ask("get filters none", G, 0, ifsm() + FILT(attr(OFFLOAD, u32(0))))
ask("get filters cpu hit", G, 0, ifsm() + FILT(attr(OFFLOAD, u32(1))))
ask("get filters bit 3", G, 0, ifsm() + FILT(attr(OFFLOAD, u32(8))))
ask("get filters bit 4", G, 0, ifsm() + FILT(attr(OFFLOAD, u32(0x10))))
ask("get filters group off", G, 0, ifsm(mask=1) + FILT(attr(OFFLOAD, u32(2))))
ask("get filters link_64", G, 0, ifsm() + FILT(attr(LINK_64, u32(1))))
ask("get filters type 6", G, 0, ifsm() + FILT(attr(6, u32(1))))
ask("get filters u16", G, 0, ifsm() + FILT(attr(OFFLOAD, b"\2\0")))
ask("get filters unflagged", G, 0, ifsm() + attr(1, attr(OFFLOAD, u32(2))))
ask("get filters empty", G, 0, ifsm() + FILT(b""))
ask("get filters leftover", G, 0, ifsm() + FILT(attr(OFFLOAD, u32(2)) + b"\1\0"))
ask("get set attr", G, 0, ifsm() + attr(2, b"\1"))
ask("get type 3", G, 0, ifsm() + attr(3, u32(0)))
ask("get type 0", G, 0, ifsm() + attr(0, u32(0)))
ask("get leftover", G, 0, ifsm() + b"\1\0\0")
S = SETSTATS
ask("set nothing", S, 0, ifsm(mask=0))
ask("set family 2", S, 0, ifsm(fam=2, mask=0) + attr(2, b"\1"))
ask("set dev 0", S, 0, ifsm(ifindex=0, mask=0) + attr(2, b"\1"))
ask("set dev 99", S, 0, ifsm(ifindex=99, mask=0) + attr(2, b"\1"))
ask("set mask", S, 0, ifsm(mask=1) + attr(2, b"\1"))
ask("set value 2", S, 0, ifsm(mask=0) + attr(2, b"\2"))
ask("set u32", S, 0, ifsm(mask=0) + attr(2, u32(1)))
ask("set filters attr", S, 0, ifsm(mask=0) + FILT(attr(OFFLOAD, u32(2))))
ask("set pad1 strict", S, 0, ifsm(mask=0, pad1=1) + attr(2, b"\1"), True)
ask("set short", S, 0, struct.pack("=BBHI", 0, 0, 0, 2))
ask("set on", S, 0, ifsm(mask=0) + attr(2, b"\1"))
ask("get after on", G, 0, ifsm(mask=1 << 3))
ask("set on again", S, 0, ifsm(mask=0) + attr(2, b"\1"))
ask("set off", S, 0, ifsm(mask=0) + attr(2, b"\0"))
ask("newstats", NEWSTATS, 0, ifsm(mask=0))
dump("dump all", ifsm(ifindex=0))
dump("dump link_64 + afspec", ifsm(ifindex=0, mask=0x11))
dump("dump dev 2", ifsm())
dump("dump dev 2 strict", ifsm(), True)
dump("dump mask 0", ifsm(ifindex=0, mask=0))
dump("dump mask 0x20 strict", ifsm(ifindex=0, mask=0x20), True)
dump("dump filters", ifsm(ifindex=0, mask=1 << 3) + FILT(attr(OFFLOAD, u32(2))))
dump("dump filters bad", ifsm(ifindex=0, mask=1) + FILT(attr(OFFLOAD, u32(2))))
EOF
chmod 644 "$RUN/cmds" "$RUN/mon_cmds" "$RUN/statsraw.py"
one_link_conf 10.0.0.1/24

# the counters' values (see the top)
mask_counters() {
	sed -E -i -e 's/^( +[0-9]+)+ *$/    COUNTERS/' \
		-e 's/"(bytes|packets|errors|dropped|over_errors|multicast|carrier_errors|collisions)":[0-9]+/"\1":N/g' \
		"$@"
}

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP-PART: ipstats.sh: not root, no namespace to compare with" >&2
else
	if sandbox_and_linux st "$RUN/sb.conf" statsraw.py ns_one_veth 10.0.0.1/24; then
		mask_counters "$RUN/sb.out" "$RUN/linux.out"
		same_three "ip stats"
	fi
	# what must be there whatever Linux says
	grep -q '^2: eth0: group offload subgroup l3_stats on used off$' "$RUN/sb.out" ||
		fail "l3_stats was not on after ip stats set in the sandbox"
	[ "$(grep -c 'l3_stats o[nf]* used off' "$RUN/sb.mon")" = 2 ] ||
		fail "ip monitor stats did not see exactly the two changes"
fi
checks_done
