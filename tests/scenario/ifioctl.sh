#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# ifioctl.sh - interface ioctls (SIOCGIF*, SIOCSIF*) inside a sandbox with
# a link device answer from the sandbox's devices, on an AF_UNIX socket
# (native: glibc's if_nametoindex() asks on one) as on an emulated AF_INET
# one, and never from the host's: no host-only interface name resolves, no
# host address shows in SIOCGIFCONF, and setters change the sandbox's
# device as `ip` then shows it.
#
#   host: ls /sys/class/net -> names passed to the probe
#   rrsandbox -c eth0.conf -- probe.py HOSTNAMES...
#   +-----------------------------------------------------------+
#   | lo 127.0.0.1/8       eth0 10.0.0.1/24 (link, peer absent) |
#   | socket.if_nameindex(), if_nametoindex("eth0")             |
#   | AF_UNIX: SIOCGIFCONF/INDEX/NAME/FLAGS/MTU/HWADDR/TXQLEN    |
#   | AF_INET: SIOCGIFADDR/NETMASK, SIOCSIFADDR; SIOCSIFFLAGS   |
#   | alias eth0:1 (ifconfig eth0:1 ADDR), its peer, its down   |
#   | ip -o link, ip -4 -o addr: what the setters did           |
#   +-----------------------------------------------------------+

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need ip

cat >"$RUN/eth0.conf" <<EOF
link add eth0 type link local $RUN/a.link remote $RUN/b.link
addr add 10.0.0.1/24 dev eth0
EOF

inner_script probe.py <<'EOF'
"""Interface ioctls inside the sandbox; one line per check, exit 1 on any
failure.  Usage: probe.py HOST_IFNAME...  (the host's interfaces)"""
import array
import errno
import fcntl
import socket
import struct
import subprocess
import sys

SIOCGIFNAME, SIOCGIFCONF, SIOCGIFFLAGS, SIOCSIFFLAGS = 0x8910, 0x8912, 0x8913, 0x8914
SIOCGIFADDR, SIOCSIFADDR, SIOCGIFNETMASK = 0x8915, 0x8916, 0x891b
SIOCGIFDSTADDR, SIOCSIFDSTADDR, SIOCSIFNAME = 0x8917, 0x8918, 0x8923
SIOCGIFMTU, SIOCSIFMTU, SIOCGIFHWADDR, SIOCGIFINDEX = 0x8921, 0x8922, 0x8927, 0x8933
SIOCGIFTXQLEN, SIOCETHTOOL = 0x8942, 0x8946
IFF_UP, IFF_BROADCAST, IFF_LOOPBACK, IFF_MULTICAST = 0x1, 0x2, 0x8, 0x1000
IFF_NOARP, IFF_PROMISC = 0x80, 0x100
bad = 0


def check(name, got, want):
    global bad
    if got == want:
        print("ok:", name, "=", got)
    else:
        print("FAIL:", name, "got", got, "want", want)
        bad += 1


def ifreq(name, tail=b""):
    return struct.pack("16s24s", name.encode(), tail)


def ioctl(s, req, arg):
    """the result buffer, or the errno name"""
    try:
        return fcntl.ioctl(s.fileno(), req, arg)
    except OSError as e:
        return errno.errorcode[e.errno]


def ifconf(s, size):
    buf = array.array("B", bytes(max(size, 1)))
    addr = buf.buffer_info()[0] if size else 0
    r = ioctl(s, SIOCGIFCONF, struct.pack("iL", size, addr))
    if isinstance(r, str):
        return r
    n = struct.unpack("iL", r)[0]
    return [(bytes(buf[k:k + 16]).rstrip(b"\0").decode(),
             socket.inet_ntoa(bytes(buf[k + 20:k + 24])))
            for k in range(0, n if size else 0, 40)] if size else n


def ethtool(s, name, buf):
    """SIOCETHTOOL with @buf as the command's struct: the struct back, or
    the errno name"""
    b = array.array("B", buf)
    r = ioctl(s, SIOCETHTOOL, ifreq(name, struct.pack("Q", b.buffer_info()[0])))
    return r if isinstance(r, str) else bytes(b)


def ethtool_checks(s, fam):
    """A link device has a veth's ethtool operations (Linux 6.18 checked
    with the same structs on a veth: driver "veth" there), lo the
    loopback's (the link state only)"""
    r = ethtool(s, "eth0", struct.pack("I", 3) + bytes(192))  # GDRVINFO
    check(fam + " ETHTOOL_GDRVINFO eth0", (r[4:36].rstrip(b"\0"), r[36:40].rstrip(b"\0")),
          (b"rrsandbox-link", b"1.0"))
    r = ethtool(s, "eth0", struct.pack("II", 0xa, 0))  # GLINK
    check(fam + " ETHTOOL_GLINK eth0", struct.unpack("II", r), (0xa, 1))
    r = ethtool(s, "eth0", struct.pack("I", 1) + bytes(40))  # GSET
    check(fam + " ETHTOOL_GSET eth0: cmd, speed, duplex, port, autoneg",
          struct.unpack_from("IxxxxxxxxHBB", r) + (r[18],), (1, 10000, 1, 0, 0))
    # GLINKSETTINGS: the first call learns the count of mask words
    r = ethtool(s, "eth0", struct.pack("I", 0x4c) + bytes(44))
    nw = struct.unpack_from("b", r, 15)[0]
    check(fam + " ETHTOOL_GLINKSETTINGS handshake: mask words", nw, -4)
    r = ethtool(s, "eth0", struct.pack("I", 0x4c) + bytes(11) + struct.pack("b", 4) +
                bytes(32) + bytes(48))
    check(fam + " ETHTOOL_GLINKSETTINGS eth0: speed, duplex, words",
          struct.unpack_from("IIB", r) + (struct.unpack_from("b", r, 15)[0],),
          (0x4c, 10000, 1, 4))
    check(fam + " ETHTOOL_GLINK lo", struct.unpack("II", ethtool(s, "lo", struct.pack("II", 0xa, 0))),
          (0xa, 1))
    check(fam + " ETHTOOL_GDRVINFO lo", ethtool(s, "lo", struct.pack("I", 3) + bytes(192)), "ENOTSUP")
    check(fam + " ETHTOOL_GSET lo", ethtool(s, "lo", struct.pack("I", 1) + bytes(40)), "ENOTSUP")
    check(fam + " ETHTOOL_GWOL eth0", ethtool(s, "eth0", struct.pack("I", 5) + bytes(20)), "ENOTSUP")
    check(fam + " ETHTOOL_GLINK nosuch0", ethtool(s, "nosuch0", struct.pack("II", 0xa, 0)), "ENODEV")


def ip_link_mac():
    out = subprocess.run(["ip", "-o", "link", "show", "eth0"], check=True,
                         capture_output=True, text=True).stdout
    return out.split("link/ether ")[1].split()[0]


check("if_nameindex()", socket.if_nameindex(), [(1, "lo"), (2, "eth0")])
check("if_nametoindex(eth0)", socket.if_nametoindex("eth0"), 2)
check("if_indextoname(1)", socket.if_indextoname(1), "lo")

u = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
i4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for s, fam in ((u, "unix"), (i4, "inet")):
    want = [("lo", "127.0.0.1"), ("eth0", "10.0.0.1")]
    check(fam + " SIOCGIFCONF", ifconf(s, 400), want)
    check(fam + " SIOCGIFCONF length query", ifconf(s, 0), 80)
    check(fam + " SIOCGIFCONF room for one", ifconf(s, 79), want[:1])
    for name, idx in (("lo", 1), ("eth0", 2)):
        r = ioctl(s, SIOCGIFINDEX, ifreq(name))
        check(fam + " SIOCGIFINDEX " + name, struct.unpack_from("i", r, 16)[0], idx)
        r = ioctl(s, SIOCGIFNAME, struct.pack("16si20s", b"", idx, b""))
        check(fam + " SIOCGIFNAME %d" % idx, r[:16].rstrip(b"\0").decode(), name)
    r = ioctl(s, SIOCGIFFLAGS, ifreq("eth0"))
    f = struct.unpack_from("h", r, 16)[0]
    check(fam + " SIOCGIFFLAGS eth0", f & (IFF_UP | IFF_BROADCAST | IFF_MULTICAST | IFF_LOOPBACK),
          IFF_UP | IFF_BROADCAST | IFF_MULTICAST)
    r = ioctl(s, SIOCGIFFLAGS, ifreq("lo"))
    check(fam + " SIOCGIFFLAGS lo", struct.unpack_from("h", r, 16)[0] & (IFF_UP | IFF_LOOPBACK),
          IFF_UP | IFF_LOOPBACK)
    check(fam + " SIOCGIFMTU eth0", struct.unpack_from("i", ioctl(s, SIOCGIFMTU, ifreq("eth0")), 16)[0], 1500)
    check(fam + " SIOCGIFMTU lo", struct.unpack_from("i", ioctl(s, SIOCGIFMTU, ifreq("lo")), 16)[0], 65536)
    check(fam + " SIOCGIFTXQLEN eth0", struct.unpack_from("i", ioctl(s, SIOCGIFTXQLEN, ifreq("eth0")), 16)[0], 1000)
    r = ioctl(s, SIOCGIFHWADDR, ifreq("eth0"))
    check(fam + " SIOCGIFHWADDR eth0 family", struct.unpack_from("H", r, 16)[0], 1)
    check(fam + " SIOCGIFHWADDR eth0", ":".join("%02x" % b for b in r[18:24]), ip_link_mac())
    r = ioctl(s, SIOCGIFHWADDR, ifreq("lo"))
    check(fam + " SIOCGIFHWADDR lo", (struct.unpack_from("H", r, 16)[0], r[18:24]), (772, bytes(6)))
    check(fam + " SIOCETHTOOL eth0", ioctl(s, SIOCETHTOOL, ifreq("eth0", struct.pack("Q", 0))), "EFAULT")
    ethtool_checks(s, fam)
    check(fam + " SIOCGIFINDEX nosuch0", ioctl(s, SIOCGIFINDEX, ifreq("nosuch0")), "ENODEV")
    check(fam + " SIOCGIFNAME 3", ioctl(s, SIOCGIFNAME, struct.pack("16si20s", b"", 3, b"")), "ENODEV")
    check(fam + " SIOCGIFINDEX bad pointer", ioctl(s, SIOCGIFINDEX, 16), "EFAULT")
    for host in sys.argv[1:]:
        if host not in ("lo", "eth0"):
            check(fam + " SIOCGIFINDEX host's " + host, ioctl(s, SIOCGIFINDEX, ifreq(host)), "ENODEV")

# IPv4 address requests are AF_INET's (Linux: ENOTTY elsewhere).
check("unix SIOCGIFADDR", ioctl(u, SIOCGIFADDR, ifreq("eth0")), "ENOTTY")
check("inet SIOCGIFADDR eth0", socket.inet_ntoa(ioctl(i4, SIOCGIFADDR, ifreq("eth0"))[20:24]), "10.0.0.1")
check("inet SIOCGIFNETMASK eth0", socket.inet_ntoa(ioctl(i4, SIOCGIFNETMASK, ifreq("eth0"))[20:24]),
      "255.255.255.0")

# Setters change the sandbox's device; ip (rtnetlink) sees it.
sin = struct.pack("HH4s8s", socket.AF_INET, 0, socket.inet_aton("10.1.2.3"), b"")
check("unix SIOCSIFADDR", ioctl(u, SIOCSIFADDR, ifreq("eth0", sin)), "ENOTTY")
check("inet SIOCSIFADDR eth0 10.1.2.3", isinstance(ioctl(i4, SIOCSIFADDR, ifreq("eth0", sin)), bytes), True)


def sin_of(a):
    return struct.pack("HH4s8s", socket.AF_INET, 0, socket.inet_aton(a), b"")


def inaddr(req, name):
    r = ioctl(i4, req, ifreq(name))
    return r if isinstance(r, str) else socket.inet_ntoa(r[20:24])


# An alias label is an address of its own (devinet_ioctl() finds IPv4
# addresses by label): ifconfig eth0:1 10.5.0.1, its peer, then down.
check("inet SIOCGIFADDR eth0:1 before", inaddr(SIOCGIFADDR, "eth0:1"), "EADDRNOTAVAIL")
check("inet SIOCSIFADDR eth0:1 10.5.0.1",
      isinstance(ioctl(i4, SIOCSIFADDR, ifreq("eth0:1", sin_of("10.5.0.1"))), bytes), True)
check("inet SIOCGIFADDR eth0:1", inaddr(SIOCGIFADDR, "eth0:1"), "10.5.0.1")
check("inet SIOCGIFADDR eth0 beside eth0:1", inaddr(SIOCGIFADDR, "eth0"), "10.1.2.3")
check("inet SIOCGIFCONF with eth0:1", ifconf(i4, 400),
      [("lo", "127.0.0.1"), ("eth0", "10.1.2.3"), ("eth0:1", "10.5.0.1")])
check("inet SIOCSIFDSTADDR eth0:1 10.5.0.9",
      isinstance(ioctl(i4, SIOCSIFDSTADDR, ifreq("eth0:1", sin_of("10.5.0.9"))), bytes), True)
check("inet SIOCGIFDSTADDR eth0:1", inaddr(SIOCGIFDSTADDR, "eth0:1"), "10.5.0.9")
check("inet SIOCGIFDSTADDR eth0 (no peer)", inaddr(SIOCGIFDSTADDR, "eth0"), "10.1.2.3")
sys.stdout.flush()
subprocess.run(["ip", "-4", "-o", "addr", "show", "label", "eth0:1"], check=True)
check("inet SIOCSIFFLAGS eth0:1 down",
      isinstance(ioctl(i4, SIOCSIFFLAGS, ifreq("eth0:1", struct.pack("h", 0))), bytes), True)
check("inet SIOCGIFADDR eth0:1 after down", inaddr(SIOCGIFADDR, "eth0:1"), "EADDRNOTAVAIL")
check("inet SIOCSIFFLAGS eth0:9 (none)", ioctl(i4, SIOCSIFFLAGS, ifreq("eth0:9", struct.pack("h", 0))),
      "EADDRNOTAVAIL")
# A device is renamed while up (Linux 6.2 and later), and back.
check("unix SIOCSIFNAME eth0 eth8 (up)",
      isinstance(ioctl(u, SIOCSIFNAME, struct.pack("16s16s8s", b"eth0", b"eth8", b"")), bytes), True)
check("if_nametoindex(eth8)", socket.if_nametoindex("eth8"), 2)
check("unix SIOCSIFNAME eth8 eth0",
      isinstance(ioctl(u, SIOCSIFNAME, struct.pack("16s16s8s", b"eth8", b"eth0", b"")), bytes), True)
check("unix SIOCSIFMTU eth0 1400", isinstance(ioctl(u, SIOCSIFMTU, ifreq("eth0", struct.pack("i", 1400))), bytes), True)
# SIOCSIFFLAGS sets the flags an owner may (dev_change_flags()): here
# down, promiscuous, without multicast; BROADCAST is not the caller's
check("unix SIOCSIFFLAGS eth0 down promisc",
      isinstance(ioctl(u, SIOCSIFFLAGS, ifreq("eth0", struct.pack("h", IFF_PROMISC))), bytes), True)
r = ioctl(u, SIOCGIFFLAGS, ifreq("eth0"))
check("unix SIOCGIFFLAGS eth0 after", struct.unpack_from("h", r, 16)[0] &
      (IFF_UP | IFF_BROADCAST | IFF_MULTICAST | IFF_PROMISC | IFF_NOARP),
      IFF_BROADCAST | IFF_PROMISC)
check("unix SIOCSIFFLAGS eth0 multicast",
      isinstance(ioctl(u, SIOCSIFFLAGS, ifreq("eth0", struct.pack("h", IFF_PROMISC | IFF_MULTICAST))), bytes), True)
sys.stdout.flush()
subprocess.run(["ip", "-o", "link"], check=True)
subprocess.run(["ip", "-4", "-o", "addr"], check=True)
sys.exit(1 if bad else 0)
EOF

step "interface ioctls inside a sandbox with eth0"
# shellcheck disable=SC2046
rrs_run 30 probe --no-control -c "$RUN/eth0.conf" -- "$PY" "$RUN/probe.py" $(ls /sys/class/net)
expect_rc 0 "probe.py"
out=$RUN/probe.out
n=$(grep -c '^ok:' "$out")
[ "$n" -ge 50 ] || fail "only $n checks ran"
log "ok: $n checks in the sandbox"

step "what ip shows after the ioctls"
grep -Eq '^1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536' "$out" || fail "ip -o link: no lo"
grep -Eq '^2: eth0: <BROADCAST,MULTICAST,PROMISC> mtu 1400 ' "$out" ||
	fail "ip -o link: eth0 not down with mtu 1400 after SIOCSIFFLAGS/SIOCSIFMTU"
grep -Eq 'eth0 +inet 10\.1\.2\.3/8 ' "$out" ||
	fail "ip -4 addr: no 10.1.2.3/8 (classful) on eth0 after SIOCSIFADDR"
grep -E '^[0-9]+: ' "$out" | grep -q '10\.0\.0\.1' && fail "ip -4 addr: the old address survived SIOCSIFADDR"
grep -Eq 'eth0 +inet 10\.5\.0\.1 peer 10\.5\.0\.9/8 scope global secondary eth0:1' "$out" ||
	fail "ip -4 addr show label eth0:1: no 10.5.0.1 peer 10.5.0.9 after SIOCSIFADDR/SIOCSIFDSTADDR"
grep -E '^[0-9]+: ' "$out" | tail -n +2 | grep -q '10\.5\.0\.1' &&
	fail "ip -4 addr: eth0:1 survived SIOCSIFFLAGS down"
log "ok: SIOCSIFFLAGS, SIOCSIFMTU, SIOCSIFADDR and the alias show in ip"

step "ethtool (its ioctls: the sandbox refuses NETLINK_GENERIC)"
if command -v ethtool >/dev/null 2>&1; then
	rrs_run 30 ethtool --no-control -c "$RUN/eth0.conf" -- sh -c \
		'ethtool eth0; echo "rc=$?"; ethtool -i eth0; echo "rc=$?"; ethtool lo; echo "rc=$?"'
	expect_rc 0 "ethtool in the sandbox"
	for l in "	Speed: 10000Mb/s" "	Duplex: Full" "	Link detected: yes" "driver: rrsandbox-link" \
		"version: 1.0"; do
		grep -qxF -- "$l" "$LAST_OUT" || fail "ethtool: no line '$l'"
	done
	[ "$(grep -c '^rc=0$' "$LAST_OUT")" -eq 3 ] || fail "ethtool: a command failed"
	log "ok: ethtool eth0 (10000Mb/s Full, link detected), ethtool -i eth0, ethtool lo"
else
	printf 'SKIP-PART: %s: %s\n' "$SCENARIO" "no ethtool: its output is not checked" >&2
fi

step "no host interface in the answers"
for name in $(ls /sys/class/net); do
	case $name in lo|eth0) continue ;; esac
	grep -v 'SIOCGIFINDEX host' "$out" | grep -qw -- "$name" &&
		fail "host interface $name shows inside the sandbox"
done
for a in $(ip -4 -o addr show | awk '{ split($4, p, "/"); print p[1] }'); do
	[ "$a" = 127.0.0.1 ] && continue
	grep -qF -- "$a" "$out" && fail "host address $a shows inside the sandbox"
done
log "PASS"
