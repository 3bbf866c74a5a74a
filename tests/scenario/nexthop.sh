#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# nexthop.sh - nexthop objects (`ip nexthop`) and the routes that use
# them (`ip route add PREFIX nhid ID`), as Linux 6.18 keeps them.
#
# 1. (root) The same commands in a sandbox (as the unprivileged user) and
#    in a network namespace: single nexthops (gateway, device, onlink,
#    link-local gateway, blackhole, FDB), groups with weights, ids given
#    out, the errors of bad ones (device down or missing, unreachable or
#    local gateway, a blackhole in a group of two, a group in a group,
#    a member twice, kinds that cannot replace each other), routes on
#    them (IPv4 through an IPv6 nexthop, a blackhole's, host and link
#    scope, routes that reject by their type, another table) and theirs
#    (an IPv6 route on an IPv4 nexthop, an FDB nexthop, a nexthop and a
#    device together), append, replace and delete of such routes, a
#    nexthop replaced (its routes follow, a blackhole's turn unicast), a
#    member deleted (its groups shrink), a device down (its nexthops
#    go, and their routes), flush.  (No nexthop replaced here has two
#    routes of one family in a table: the sandbox tells them in the
#    tables' order, Linux IPv4's by descending prefix and IPv6's newest
#    first.)  Outputs, errors and exit statuses,
#    and `ip -o monitor nexthop route` meanwhile, must be the same.
#    nhraw.py then sends raw requests Linux's strict parsing refuses
#    (unknown and unsupported attributes, wrong sizes, header values,
#    group entries) and prints the errno and extended ack of each, and
#    the attributes a dump gives: the same on both sides.
#
#   rrsandbox -c sb.conf (uid 65534)        netns rrs-nh-PID-a (root)
#   eth0 (link) 10.0.0.1/24 fd00::1/64      eth0 (veth, peer up in B), same
#   eth1 (link), eth2 (link, down)           eth1, eth2 (veths), same
#
# 2. Traffic follows them, between two sandboxes: A reaches B's 10.99.0.1
#    and fd99::1 by routes on nexthop objects (a gateway each, made by
#    `nexthop add` and `route add ... nhid` in A's -c file, then a group
#    of two), not with the nexthop replaced by a blackhole, again once it
#    is a gateway again, and gets ENETUNREACH once the group is deleted
#    (its route goes with it).
#
#   A (rrsandbox -c a.conf)                   B (rrsandbox -c b.conf)
#   eth0 10.0.9.1 fd00:9::1 ---- link ----   eth0 10.0.9.2 fd00:9::2
#   10.99.0.0/24, fd99::/64 nhid ...          lo 10.99.0.1 fd99::1

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need ip sed diff "$PY" ping

stage_ping

# ---- 1. against Linux ----

cat >"$RUN/cmds" <<'EOF'
ip nexthop add id 1 via 10.0.0.2 dev eth0
ip nexthop add id 2 via 10.0.0.3 dev eth0 proto static
ip nexthop add id 3 blackhole proto bird
ip -6 nexthop add id 4 via fd00::2 dev eth0
ip -6 nexthop add id 5 dev eth0
ip nexthop add id 6 dev eth1
ip nexthop add id 7 via 10.9.0.1 dev eth0 onlink
ip -6 nexthop add id 8 via fe80::1 dev eth0
ip nexthop add id 9 fdb via 10.0.0.5
ip nexthop add id 10 group 1/2,3
ip nexthop add id 11 group 1/4
ip nexthop add id 12 group 3
ip nexthop add id 13 group 4,200/8
ip nexthop add id 14 fdb group 9
ip nexthop add via 10.0.0.6 dev eth0
ip nexthop add via 10.0.0.7 dev eth0
ip -6 nexthop add id 40 blackhole
ip nexthop add id 41 blackhole
ip -d nexthop show
ip nexthop show dev eth0
ip nexthop show dev lo
ip nexthop show groups
ip -6 nexthop show
ip nexthop show fdb
ip nexthop get id 13
ip nexthop bucket show
ip nexthop bucket show id 10
ip nexthop bucket show id 1
ip nexthop bucket show id 99
ip nexthop bucket get id 10 index 0
ip nexthop add id 1 via 10.0.0.4 dev eth0
ip nexthop add id 20 via 10.9.9.9 dev eth0
ip -6 nexthop add id 20 via fd09::1 dev eth0
ip -6 nexthop add id 20 via fd00::1 dev eth0
ip nexthop add id 20 via 10.0.0.2
ip nexthop add id 20 dev eth2
ip nexthop add id 20 via 10.0.0.2 dev lo
ip nexthop add id 20 group 3/1
ip nexthop add id 20 group 10/1
ip nexthop add id 20 group 1/1
ip nexthop add id 20 group 99
ip nexthop add id 20 group 9/1
ip -6 nexthop add id 20 group 1
ip nexthop replace id 1 group 2
ip nexthop replace id 10 via 10.0.0.4 dev eth0
ip nexthop replace id 10 group 1 type resilient
ip nexthop replace id 30 via 10.0.0.4 dev eth0
ip nexthop show id 30
ip nexthop del id 30
ip nexthop del id 30
ip nexthop get id 99
ip route add 10.1.0.0/16 nhid 1
ip route add 10.2.0.0/16 nhid 10
ip route add 10.3.0.0/16 nhid 3
ip route add 10.4.0.0/16 nhid 4
ip route add 10.5.0.0/16 nhid 11
ip route add 10.6.0.0/16 nhid 12
ip route add 10.7.0.0/16 nhid 7
ip route add 10.8.0.0/16 nhid 6 scope host
ip route add unreachable 10.9.0.0/16 nhid 1
ip route add 10.10.0.0/16 nhid 2 table 100
ip route add blackhole 10.11.0.0/16 nhid 2
ip route add prohibit 10.12.0.0/16 nhid 41
ip -6 route add fd01::/64 nhid 4
ip -6 route add fd02::/64 nhid 13
ip -6 route add fd03::/64 nhid 40
ip -6 route add fd04::/64 nhid 5
ip route add 10.20.0.0/16 nhid 99
ip route add 10.20.0.0/16 nhid 9
ip route add 10.20.0.0/16 nhid 10 scope host
ip route add 10.20.0.0/16 nhid 1 scope host
ip route add 10.20.0.0/16 nhid 7 scope link
ip route add 10.20.0.0/16 nhid 1 dev eth0
ip -6 route add fd20::/64 nhid 1
ip -6 route add fd20::/64 nhid 11
ip -6 route add fd20::/64 nhid 3
ip route append 10.1.0.0/16 nhid 2
ip route add 10.1.0.0/16 nhid 2
ip route replace 10.1.0.0/16 nhid 2
ip -6 route append fd01::/64 nhid 4
ip -6 route add fd01::/64 via fd00::9
ip route show
ip route show table 100
ip -6 route show | grep -v ^fe80
ip route get 10.1.0.1 | sed 's/ uid [0-9]*//'
ip route get 10.3.0.1
ip route get fibmatch 10.2.0.1
ip -6 route get fd01::1
cat /proc/net/route
grep -v '^fe80\|^ff00\|^00000000000000000000000000000000 00' /proc/net/ipv6_route | awk '{ $7 = "REFCNT"; print }'
ip route del 10.1.0.0/16 dev eth0
ip route del 10.1.0.0/16 nhid 3
ip route del 10.1.0.0/16 nhid 99
ip route del 10.1.0.0/16 nhid 2
ip route show 10.1.0.0/16
ip -6 route del fd04::/64 dev eth0
ip -6 route show | grep -v ^fe80
ip nexthop replace id 2 via 10.0.0.4 dev eth0
ip nexthop replace id 4 via 10.0.0.9 dev eth0
ip nexthop replace id 3 via 10.0.0.8 dev eth0
ip nexthop replace id 41 via 10.0.0.9 dev eth0
ip route show
ip route get 10.11.0.1
ip route get 10.12.0.1
ip nexthop del id 1
ip nexthop show
ip route show
ip nexthop del id 12
ip link set eth1 down
ip nexthop show
ip route show
ip nexthop flush
ip nexthop show
ip route show
ip -6 route show | grep -v ^fe80
EOF
# What ip monitor sees: the changes alone
grep -v -e ' show\| get \|^cat ' "$RUN/cmds" >"$RUN/mon_cmds"

inner_run_sh
inner_mon_sh -o monitor nexthop route
inner_rawnl
inner_script nhraw.py <<'EOF'
import socket, struct
from rawnl import ack_text, attr, done_text, dump_msgs, request, sock, u32

# nhraw.py: nexthop requests Linux's strict parsing and checks refuse,
# each with its errno, extended-ack message and bad attribute offset;
# then the attributes a dump of nexthops 1 (a gateway) and 2 (a group)
# carries

NEW, DEL, GET = 104, 105, 106
C, X, R = 0x400, 0x200, 0x100


def nhm(fam=2, scope=0, proto=0, resvd=0, flags=0):
    return struct.pack("=BBBBI", fam, scope, proto, resvd, flags)


def grp(i, w=0, hi=0, r2=0):
    return struct.pack("=IBBH", i, w, hi, r2)


def ask(name, t, nlflags, hdr, attrs=b""):
    r = request(t, nlflags, hdr + attrs)
    typ = struct.unpack_from("=H", r, 4)[0]
    if typ != 2:
        print("%-30s reply type %d" % (name, typ))
        return
    print("%-30s %4d %s%s" % ((name,) + ack_text(r)))


def dump(name, hdr, attrs=b""):
    msgs, (typ, end) = dump_msgs(GET, hdr + attrs)
    out = []
    for r, off, ln in msgs:
        fam, scope, proto, _, flags = struct.unpack_from("=BBBBI", r, off + 16)
        a, line = off + 24, "fam %d scope %d proto %d flags %d:" % (fam, scope, proto, flags)
        while a + 4 <= off + ln:
            alen, at = struct.unpack_from("=HH", r, a)
            line += " %d=%s" % (at, r[a + 4:a + alen].hex())
            a += (alen + 3) & ~3
        out.append(line)
    out.append("%s %d" % ("done" if typ == 3 else "error",
                          struct.unpack_from("=i", end, 16)[0]))
    print(name + ":")
    for line in out:
        print("   ", line)


GW = attr(6, socket.inet_aton("10.0.0.2"))
OIF = attr(5, u32(2))
ask("new ok 1", NEW, C | X, nhm(), attr(1, u32(1)) + GW + OIF)
ask("new ok 2 (group)", NEW, C | X, nhm(0), attr(1, u32(2)) + attr(2, grp(1, 4)))
ask("unknown type 17", NEW, C, nhm(), attr(17, u32(1)))
ask("type 0", NEW, C, nhm(), attr(0, u32(1)))
ask("groups flag in new", NEW, C, nhm(), attr(9, b""))
ask("id 2 bytes", NEW, C, nhm(), attr(1, b"\1\0"))
ask("blackhole payload", NEW, C, nhm(), attr(4, b"\1\0\0\0"))
ask("encap not nested", NEW, C, nhm(), attr(8, b""))
ask("oif nested flag", NEW, C, nhm(), struct.pack("=HH", 8, 5 | 0x8000) + u32(2))
ask("leftover", NEW, C, nhm(), attr(1, u32(5)) + b"\1\0")
ask("scope set", NEW, C, nhm(scope=253), attr(1, u32(5)) + GW + OIF)
ask("resvd set", NEW, C, nhm(resvd=1), attr(1, u32(5)) + GW + OIF)
ask("flags dead", NEW, C, nhm(flags=1), attr(1, u32(5)) + GW + OIF)
ask("family 7", NEW, C, nhm(7), attr(1, u32(5)) + GW + OIF)
ask("unspec single", NEW, C, nhm(0), attr(1, u32(5)) + GW + OIF)
ask("fdb with oif", NEW, C, nhm(), attr(1, u32(5)) + attr(11, b"") + OIF)
ask("fdb onlink", NEW, C, nhm(flags=4), attr(1, u32(5)) + attr(11, b"") + GW)
ask("group inet", NEW, C, nhm(), attr(1, u32(5)) + attr(2, grp(1)))
ask("group type 2", NEW, C, nhm(0), attr(1, u32(5)) + attr(2, grp(1)) + attr(3, b"\2\0"))
ask("group len 6", NEW, C, nhm(0), attr(1, u32(5)) + attr(2, grp(1)[:6]))
ask("group empty", NEW, C, nhm(0), attr(1, u32(5)) + attr(2, b""))
ask("group resvd2", NEW, C, nhm(0), attr(1, u32(5)) + attr(2, grp(1, r2=1)))
ask("group weight ffff", NEW, C, nhm(0), attr(1, u32(5)) + attr(2, grp(1, 255, 255)))
ask("group weight 300", NEW, C, nhm(0), attr(1, u32(5)) + attr(2, grp(1, 43, 1)))
ask("group twice", NEW, C, nhm(0), attr(1, u32(6)) + attr(2, grp(1) + grp(1)))
ask("group + oif", NEW, C, nhm(0), attr(1, u32(6)) + attr(2, grp(1)) + OIF)
ask("blackhole + oif", NEW, C, nhm(), attr(1, u32(6)) + attr(4, b"") + OIF)
ask("no device", NEW, C, nhm(), attr(1, u32(6)) + GW)
ask("oif 0", NEW, C, nhm(), attr(1, u32(6)) + GW + attr(5, u32(0)))
ask("oif 99", NEW, C, nhm(), attr(1, u32(6)) + GW + attr(5, u32(99)))
ask("gw 5 bytes", NEW, C, nhm(), attr(1, u32(6)) + OIF + attr(6, b"\1\2\3\4\5"))
ask("onlink no gw", NEW, C, nhm(flags=4), attr(1, u32(6)) + OIF)
ask("encap no type", NEW, C, nhm(), attr(1, u32(6)) + OIF + struct.pack("=HH", 4, 8 | 0x8000))
ask("encap type 99", NEW, C, nhm(), attr(1, u32(6)) + OIF + attr(7, b"\x63\0"))
ask("hw stats single", NEW, C, nhm(), attr(1, u32(6)) + OIF + attr(16, u32(1)))
ask("hw stats 2", NEW, C, nhm(0), attr(1, u32(6)) + attr(2, grp(1)) + attr(16, u32(2)))
ask("replace id 0", NEW, C | R, nhm(), GW + OIF)
ask("replace missing", NEW, R, nhm(), attr(1, u32(77)) + GW + OIF)
ask("exists, excl", NEW, C | X, nhm(), attr(1, u32(1)) + GW + OIF)
ask("exists, no flags", NEW, 0, nhm(), attr(1, u32(1)) + GW + OIF)
ask("new, no flags", NEW, 0, nhm(), attr(1, u32(8)) + GW + OIF)
ask("del no id", DEL, 0, nhm())
ask("del id 0", DEL, 0, nhm(), attr(1, u32(0)))
ask("del proto", DEL, 0, nhm(proto=3), attr(1, u32(8)))
ask("del missing", DEL, 0, nhm(), attr(1, u32(77)))
ask("del op flags", DEL, 0, nhm(), attr(1, u32(8)) + attr(14, u32(0)))
ask("del 8", DEL, 0, nhm(), attr(1, u32(8)))
ask("get missing", GET, 0, nhm(), attr(1, u32(77)))
ask("get flags", GET, 0, nhm(flags=4), attr(1, u32(1)))
ask("get 1", GET, 0, nhm(), attr(1, u32(1)))
ask("short header", NEW, C, b"\2\0\0\0")
dump("dump all", nhm(0))
dump("dump groups", nhm(0), attr(9, b""))
dump("dump oif 2", nhm(0), attr(5, u32(2)))
dump("dump inet6", nhm(10))
dump("dump master 2", nhm(0), attr(10, u32(2)))
dump("dump oif big", nhm(0), attr(5, u32(0x80000000)))
dump("dump proto", nhm(0, proto=4))
dump("dump id", nhm(0), attr(1, u32(1)))
BGET = 118
ask("bucket get no id", BGET, 0, nhm(0))
ask("bucket get flags", BGET, 0, nhm(0, flags=1), attr(1, u32(2)))
ask("bucket get no info", BGET, 0, nhm(0), attr(1, u32(2)))
ask("bucket get no index", BGET, 0, nhm(0), attr(1, u32(2)) + struct.pack("=HH", 4, 13 | 0x8000))
ask("bucket get index u32", BGET, 0, nhm(0), attr(1, u32(2)) + struct.pack("=HH", 12, 13 | 0x8000) + attr(1, u32(0)))
ask("bucket get single", BGET, 0, nhm(0), attr(1, u32(1)) + struct.pack("=HH", 12, 13 | 0x8000) + attr(1, b"\0\0"))
ask("bucket get group", BGET, 0, nhm(0), attr(1, u32(2)) + struct.pack("=HH", 12, 13 | 0x8000) + attr(1, b"\0\0"))
ask("bucket get missing", BGET, 0, nhm(0), attr(1, u32(77)) + struct.pack("=HH", 12, 13 | 0x8000) + attr(1, b"\0\0"))
for name, a in (("bucket dump", b""), ("bucket dump id 0", attr(1, u32(0))),
                ("bucket dump id 2", attr(1, u32(2))), ("bucket dump id 1", attr(1, u32(1))),
                ("bucket dump id 77", attr(1, u32(77))), ("bucket dump groups", attr(9, b"")),
                ("bucket dump nh_id 0", struct.pack("=HH", 12, 13 | 0x8000) + attr(3, u32(0)))):
    s = sock()
    body = nhm(0) + a
    s.send(struct.pack("=IHHII", 16 + len(body), BGET, 1 | 0x300, 3, 0) + body)
    r = s.recv(65536)
    s.close()
    typ = struct.unpack_from("=H", r, 4)[0]
    if typ not in (2, 3):
        print("%-30s reply type %d" % (name, typ))
        continue
    print("%-30s %s %4d %s%s" % ((name, "error" if typ == 2 else "done")
                                 + (ack_text(r) if typ == 2 else done_text(r))))
EOF
chmod 644 "$RUN/cmds" "$RUN/mon_cmds" "$RUN/nhraw.py"
cat >"$RUN/sb.conf" <<EOF
link add eth0 type link local $RUN/sb0.link remote $RUN/absent0.link
link add eth1 type link local $RUN/sb1.link remote $RUN/absent1.link
link add eth2 type link local $RUN/sb2.link remote $RUN/absent2.link
link set eth2 down
addr add 10.0.0.1/24 dev eth0
addr add fd00::1/64 dev eth0
EOF
chmod 644 "$RUN/sb.conf"

# the namespace as the sandbox: eth0 to eth2 veths (eth0 to eth1 with
# their peers up, for a carrier), eth2 down; a router without DAD that
# keeps its addresses while down
ns_setup() {
	local i
	ns_cleanup
	ip netns add "$NS_A" 2>/dev/null && ip netns add "$NS_B" || return 1
	nsx sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 \
		net.ipv6.conf.default.keep_addr_on_down=1 \
		net.ipv6.conf.all.forwarding=1 || return 1
	for i in 0 1 2; do
		ip -n "$NS_A" link add eth$i type veth peer name peer$i netns "$NS_B" ||
			return 1
		ip -n "$NS_B" link set peer$i up
	done
	ip -n "$NS_A" link set lo up
	ip -n "$NS_A" link set eth0 up
	ip -n "$NS_A" link set eth1 up
	ip -n "$NS_A" addr add 10.0.0.1/24 dev eth0
	ip -n "$NS_A" addr add fd00::1/64 dev eth0
	# the veths' carriers (and eth0's and eth1's fe80 routes) come a
	# moment after up
	for i in $(seq 50); do
		[ "$(nsx ip -6 route show table local | grep -c '^local fe80::')" -ge 2 ] &&
			return 0
		sleep 0.1
	done
}

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP-PART: nexthop.sh: not root, no namespace to compare with" >&2
else
	if sandbox_and_linux nh "$RUN/sb.conf" nhraw.py ns_setup; then
		# eth1's own IPv6 routes as it goes down: Linux takes its
		# link-local address's local route too, the sandbox keeps it
		# (iproute.sh): not this test's business
		sed -i '/ dev eth1 /d' "$RUN/sb.mon" "$RUN/linux.mon"
		same_three "nexthop objects"
	fi
	# what must be there whatever Linux says
	grep -q '^10.5.0.0/16 nhid 11 $' "$RUN/sb.out" ||
		fail "no route on the mixed group 11 in the sandbox"
	grep -q '^blackhole 10.3.0.0/16 nhid 3 dev lo $' "$RUN/sb.out" ||
		fail "no blackhole route on nexthop 3 in the sandbox"
fi

# ---- 2. traffic follows them ----

routed_pair a b
cat >>"$RUN/b.conf" <<EOF
addr add 10.99.0.1/32 dev lo
addr add fd99::1/128 dev lo
EOF
# A's first objects and routes on them come from its -c file
cat >>"$RUN/a.conf" <<EOF
nexthop add id 1 via 10.0.9.2 dev eth0
nexthop add id 4 via fd00:9::2 dev eth0
route add 10.99.0.0/24 nhid 1
route add fd99::/64 nhid 4
EOF
inner_script a.sh <<EOF
#!/bin/sh
# a.sh: pings of B's loopback addresses by routes on nexthop objects
p() { $PING -c 1 -W 2 "\$@" >/dev/null 2>&1 && echo reached || echo "not reached"; }
step() { echo "## \$*"; }
i=0
until $PING -c 1 -W 1 10.0.9.2 >/dev/null 2>&1; do
	i=\$((i + 1)); [ \$i -lt 20 ] || { echo "B not up"; exit 1; }
done
step gateway
ip nexthop show
ip route show 10.99.0.0/24; ip -6 route show fd99::/64
p 10.99.0.1; p -6 fd99::1
step blackhole
ip nexthop replace id 1 blackhole
ip -6 nexthop replace id 4 blackhole
ip route show 10.99.0.0/24; ip -6 route show fd99::/64
p 10.99.0.1; p -6 fd99::1
step gateway again
ip nexthop replace id 1 via 10.0.9.2 dev eth0
ip -6 nexthop replace id 4 via fd00:9::2 dev eth0
p 10.99.0.1; p -6 fd99::1
step group
ip nexthop add id 2 via 10.0.9.2 dev eth0
ip nexthop add id 3 group 1/2
ip route replace 10.99.0.0/24 nhid 3
ip route show 10.99.0.0/24
p 10.99.0.1
step group deleted
ip nexthop del id 3
ip route show 10.99.0.0/24
$PING -c 1 -W 1 10.99.0.1 2>&1 | grep -o "Network is unreachable" | head -1
EOF
chmod 755 "$RUN/a.sh"
step "B, and A pinging it by nexthop objects"
# shellcheck disable=SC2016
bg unpriv "$RRS" --no-control -c "$RUN/b.conf" -- sh -c \
	'i=0; while [ ! -e "$1/done" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done' \
	sh "$RUN" >"$RUN/b.out" 2>"$RUN/b.err" </dev/null
BPID=$BG_PID
rrs_run 60 a --no-control -c "$RUN/a.conf" -- sh "$RUN/a.sh"
touch "$RUN/done"
wait_pid 10 "$BPID" || fail "B did not end"
expect_rc 0 "A's pings"
cat >"$RUN/want" <<'EOF'
## gateway
id 1 via 10.0.9.2 dev eth0 scope link
id 4 via fd00:9::2 dev eth0 scope link
10.99.0.0/24 nhid 1 via 10.0.9.2 dev eth0
fd99::/64 nhid 4 via fd00:9::2 dev eth0 metric 1024 pref medium
reached
reached
## blackhole
blackhole 10.99.0.0/24 nhid 1 dev lo
blackhole fd99::/64 nhid 4 dev lo metric 1024 pref medium
not reached
not reached
## gateway again
reached
reached
## group
10.99.0.0/24 nhid 3
	nexthop via 10.0.9.2 dev eth0 weight 1
	nexthop via 10.0.9.2 dev eth0 weight 1
reached
## group deleted
Network is unreachable
EOF
sed 's/[[:space:]]*$//' "$LAST_OUT" >"$RUN/got"
diff -u "$RUN/want" "$RUN/got" >&2 || fail "A's traffic did not follow its nexthop objects"
log "ok: traffic followed the nexthop objects (gateway, blackhole, group, deleted)"
checks_done
