# SPDX-License-Identifier: MIT
#
# mcast_selfcheck.py - run by mcast.sh inside one sandbox (and, to check
# the expectations, natively in a network namespace on Linux): multicast
# socket options, their errors, IP_MULTICAST_LOOP and IP_MULTICAST_ALL;
# UDP, raw and TCP sockets bound to the device's broadcast address (TCP:
# a group too), and the sandbox's own broadcasts looped back to it.
# Usage: mcast_selfcheck.py IFNAME (an Ethernet device with an IPv4 address)
import errno, socket, struct, sys
IP_MULTICAST_ALL, IP_PKTINFO = 49, 8
ifname = sys.argv[1]
ifi = socket.if_nametoindex(ifname)
fails = []
def expect(what, fn, err=0):
    try:
        fn()
        got = 0
    except OSError as e:
        got = e.errno
    if got != err:
        fails.append("%s: errno %s, expected %s" % (what, errno.errorcode.get(got, got), errno.errorcode.get(err, err)))
def eq(what, got, want):
    if got != want:
        fails.append("%s: %r, expected %r" % (what, got, want))
mreqn = lambda g, i: struct.pack("4s4si", socket.inet_aton(g), b"\0" * 4, i)
mreq6 = lambda g, i: socket.inet_pton(socket.AF_INET6, g) + struct.pack("I", i)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
eq("IP_MULTICAST_TTL default", s.getsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL), 1)
eq("IP_MULTICAST_LOOP default", s.getsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP), 1)
eq("IP_MULTICAST_ALL default", s.getsockopt(socket.IPPROTO_IP, IP_MULTICAST_ALL), 1)
J, D = socket.IP_ADD_MEMBERSHIP, socket.IP_DROP_MEMBERSHIP
expect("join a unicast group", lambda: s.setsockopt(socket.IPPROTO_IP, J, mreqn("10.9.9.9", ifi)), errno.EINVAL)
expect("join with a short optlen", lambda: s.setsockopt(socket.IPPROTO_IP, J, b"\xef\1\2\3"), errno.EINVAL)
expect("join on a missing device", lambda: s.setsockopt(socket.IPPROTO_IP, J, mreqn("239.1.2.3", 999)), errno.ENODEV)
expect("join (ip_mreqn)", lambda: s.setsockopt(socket.IPPROTO_IP, J, mreqn("239.1.2.3", ifi)))
expect("join again", lambda: s.setsockopt(socket.IPPROTO_IP, J, mreqn("239.1.2.3", ifi)), errno.EADDRINUSE)
expect("drop", lambda: s.setsockopt(socket.IPPROTO_IP, D, mreqn("239.1.2.3", ifi)))
expect("drop again", lambda: s.setsockopt(socket.IPPROTO_IP, D, mreqn("239.1.2.3", ifi)), errno.EADDRNOTAVAIL)
expect("IP_MULTICAST_TTL 256", lambda: s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 256), errno.EINVAL)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 7)
eq("IP_MULTICAST_TTL set", s.getsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL), 7)
expect("IP_MULTICAST_IF to an address not ours", lambda: s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("10.9.9.9")), errno.EADDRNOTAVAIL)
t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
expect("join on TCP", lambda: t.setsockopt(socket.IPPROTO_IP, J, mreqn("239.1.2.3", ifi)), errno.EPROTO)
expect("IP_MULTICAST_TTL on TCP", lambda: t.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 3), errno.EINVAL)
expect("IP_MULTICAST_LOOP on TCP", lambda: t.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0))
eq("IP_MULTICAST_TTL of TCP", t.getsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL), 1)
t6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
expect("IPV6_MULTICAST_HOPS on TCP", lambda: t6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 3), errno.ENOPROTOOPT)
expect("IPV6_MULTICAST_IF on TCP", lambda: t6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, ifi), errno.ENOPROTOOPT)
expect("IPV6_JOIN_GROUP on TCP", lambda: t6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, mreq6("ff02::123", ifi)), errno.EPROTO)
eq("IPV6_MULTICAST_HOPS of TCP", t6.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS), 1)
u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
eq("IPV6_MULTICAST_HOPS default", u.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS), 1)
eq("IPV6_MULTICAST_LOOP default", u.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_LOOP), 1)
J6, D6 = socket.IPV6_JOIN_GROUP, socket.IPV6_LEAVE_GROUP
expect("join6 a unicast group", lambda: u.setsockopt(socket.IPPROTO_IPV6, J6, mreq6("fd00::1", ifi)), errno.EINVAL)
expect("join6 on a missing device", lambda: u.setsockopt(socket.IPPROTO_IPV6, J6, mreq6("ff02::123", 999)), errno.ENODEV)
expect("join6", lambda: u.setsockopt(socket.IPPROTO_IPV6, J6, mreq6("ff02::123", ifi)))
expect("join6 again", lambda: u.setsockopt(socket.IPPROTO_IPV6, J6, mreq6("ff02::123", ifi)), errno.EADDRINUSE)
expect("leave6", lambda: u.setsockopt(socket.IPPROTO_IPV6, D6, mreq6("ff02::123", ifi)))
expect("leave6 again", lambda: u.setsockopt(socket.IPPROTO_IPV6, D6, mreq6("ff02::123", ifi)), errno.EADDRNOTAVAIL)
expect("join6 on interface 0 (the ff00::/8 route's device)", lambda: u.setsockopt(socket.IPPROTO_IPV6, J6, mreq6("ff02::124", 0)))
expect("leave6 on interface 0", lambda: u.setsockopt(socket.IPPROTO_IPV6, D6, mreq6("ff02::124", 0)))
expect("IPV6_MULTICAST_LOOP 2", lambda: u.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_LOOP, 2), errno.EINVAL)
expect("IPV6_MULTICAST_IF missing", lambda: u.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, 999), errno.ENODEV)
u.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, ifi)
eq("IPV6_MULTICAST_IF set", u.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF), ifi)

# loopback of own multicast, and IP_MULTICAST_ALL
def sock4(port, join, loop=1, mall=1):
    x = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    x.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    x.setsockopt(socket.IPPROTO_IP, IP_MULTICAST_ALL, mall)
    x.bind(("0.0.0.0", port))
    if join:
        x.setsockopt(socket.IPPROTO_IP, J, mreqn(join, ifi))
    x.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, mreqn("0.0.0.0", ifi))
    x.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, loop)
    x.settimeout(0.5)
    return x
def got(x):
    try:
        return x.recv(100)
    except socket.timeout:
        return None
a = sock4(7001, "239.1.2.3")
a.sendto(b"loop", ("239.1.2.3", 7001))
eq("own datagram looped back (IP_MULTICAST_LOOP 1)", got(a), b"loop")
a.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
a.sendto(b"noloop", ("239.1.2.3", 7001))
eq("own datagram not looped (IP_MULTICAST_LOOP 0)", got(a), None)
a.close()
# b joined 239.1.2.4; c (port 7002 too, not joined) gets it only with
# IP_MULTICAST_ALL on (Linux's default); d with it off does not
b = sock4(7002, "239.1.2.4")
c = sock4(7003, None)
d = sock4(7003, None, mall=0)
e = sock4(7004, None, loop=1)
e.sendto(b"all", ("239.1.2.4", 7002))
e.sendto(b"all3", ("239.1.2.4", 7003))
eq("joined socket receives", got(b), b"all")
eq("IP_MULTICAST_ALL 1 (default): a socket that did not join receives", got(c), b"all3")
eq("IP_MULTICAST_ALL 0: a socket that did not join does not", got(d), None)

# IPv4 multicast options of an AF_INET6 socket, for its v4-mapped traffic:
# Linux keeps them apart from the IPv6 ones (inet_sock, ipv6_pinfo), with
# IP_MULTICAST_ALL off by default; the loop is IPV6_MULTICAST_LOOP's
# (sk_mc_loop() asks by the socket's family)
IP, IP6 = socket.IPPROTO_IP, socket.IPPROTO_IPV6
MCAST_JOIN_GROUP = 42
greq4 = lambda g, i: struct.pack("I4x", i) + struct.pack("HH4s", socket.AF_INET, 0, socket.inet_aton(g)) + bytes(120)
w = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
eq("v6 socket: IP_MULTICAST_TTL default", w.getsockopt(IP, socket.IP_MULTICAST_TTL), 1)
eq("v6 socket: IP_MULTICAST_LOOP default", w.getsockopt(IP, socket.IP_MULTICAST_LOOP), 1)
eq("v6 socket: IP_MULTICAST_ALL default", w.getsockopt(IP, IP_MULTICAST_ALL), 0)
expect("v6 socket: IP_MULTICAST_TTL 9", lambda: w.setsockopt(IP, socket.IP_MULTICAST_TTL, 9))
eq("v6 socket: IP_MULTICAST_TTL set", w.getsockopt(IP, socket.IP_MULTICAST_TTL), 9)
eq("v6 socket: IPV6_MULTICAST_HOPS apart", w.getsockopt(IP6, socket.IPV6_MULTICAST_HOPS), 1)
expect("v6 socket: IP_MULTICAST_IF (ip_mreqn)", lambda: w.setsockopt(IP, socket.IP_MULTICAST_IF, mreqn("0.0.0.0", ifi)))
eq("v6 socket: IPV6_MULTICAST_IF apart", w.getsockopt(IP6, socket.IPV6_MULTICAST_IF), 0)
expect("v6 socket: join an IPv4 group (ip_mreqn)", lambda: w.setsockopt(IP, J, mreqn("239.1.2.6", ifi)))
expect("v6 socket: join it again", lambda: w.setsockopt(IP, J, mreqn("239.1.2.6", ifi)), errno.EADDRINUSE)
expect("v6 socket: MCAST_JOIN_GROUP of an IPv4 group at IPPROTO_IPV6", lambda: w.setsockopt(IP6, MCAST_JOIN_GROUP, greq4("239.1.2.7", ifi)), errno.EADDRNOTAVAIL)
expect("v6 socket: MCAST_JOIN_GROUP of an IPv4 group at IPPROTO_IP", lambda: w.setsockopt(IP, MCAST_JOIN_GROUP, greq4("239.1.2.7", ifi)))
w.close()
# r4 (IPv4, IP_RECVTTL) and r6 (AF_INET6, joined) get the v4-mapped send
# with IP_MULTICAST_TTL's TTL; n6 (AF_INET6, not joined) gets nothing
def sock6(port, join):
    x = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    x.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    x.bind(("::", port))
    if join:
        x.setsockopt(IP, J, mreqn(join, ifi))
    x.settimeout(0.5)
    return x
r4 = sock4(7005, "239.1.2.8")
r4.setsockopt(IP, 12, 1)  # IP_RECVTTL
r6 = sock6(7005, "239.1.2.8")
n6 = sock6(7005, None)
w = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
w.setsockopt(IP, socket.IP_MULTICAST_IF, mreqn("0.0.0.0", ifi))
w.setsockopt(IP, socket.IP_MULTICAST_TTL, 9)
w.sendto(b"mapped", ("::ffff:239.1.2.8", 7005))
try:
    data, anc, _, _ = r4.recvmsg(100, 64)
    ttl = [struct.unpack("i", d[:4])[0] for l, t, d in anc if l == IP and t == 2]  # IP_TTL
except socket.timeout:
    data, ttl = None, []
eq("v4-mapped multicast from a v6 socket received", data, b"mapped")
eq("its TTL is IP_MULTICAST_TTL's", ttl, [9])
eq("a v6 socket that joined the IPv4 group receives", got(r6), b"mapped")
eq("a v6 socket that did not join does not (IP_MULTICAST_ALL 0)", got(n6), None)
w.setsockopt(IP6, socket.IPV6_MULTICAST_LOOP, 0)
w.sendto(b"noloop6", ("::ffff:239.1.2.8", 7005))
eq("IPV6_MULTICAST_LOOP 0 stops the v4-mapped loop", got(r4), None)

# a socket bound to a group (__inet_bind(), __inet6_bind() take one) gets
# only that group's datagrams, and sends from the device's address
import fcntl
dev4 = socket.inet_ntoa(fcntl.ioctl(s.fileno(), 0x8915, struct.pack("16s16x", ifname.encode()))[20:24])  # SIOCGIFADDR
g = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
g.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
expect("bind to a group", lambda: g.bind(("239.1.2.9", 7006)))
eq("bound to a group: its name", g.getsockname(), ("239.1.2.9", 7006))
g.setsockopt(IP, J, mreqn("239.1.2.9", ifi))
g.setsockopt(IP, J, mreqn("239.1.2.10", ifi))
g.setsockopt(IP, socket.IP_MULTICAST_IF, mreqn("0.0.0.0", ifi))
g.settimeout(0.5)
h = sock4(7007, None)
h.sendto(b"g9", ("239.1.2.9", 7006))
h.sendto(b"g10", ("239.1.2.10", 7006))
eq("bound to a group: its group's datagram", got(g), b"g9")
eq("bound to a group: not another group's", got(g), None)
k = sock4(7008, "239.1.2.11")
g.sendto(b"from-g", ("239.1.2.11", 7008))
try:
    data, src = k.recvfrom(100)
except socket.timeout:
    data, src = None, None
eq("bound to a group: what it sends comes from the device's address", (data, src and src[0]), (b"from-g", dev4))
g6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
expect("bind6 to a link-local group without a scope id", lambda: g6.bind(("ff02::129", 7006)), errno.EINVAL)
expect("bind6 to a link-local group on the device", lambda: g6.bind(("ff02::129", 7006, 0, ifi)))
eq("bound6 to a group: its name", g6.getsockname()[:2], ("ff02::129", 7006))
g6b = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
expect("bind6 to a site-local group without a scope id", lambda: g6b.bind(("ff05::129", 7006)))
# bound to the device's broadcast address (__inet_bind(): RTN_BROADCAST
# is allowed): only datagrams to it, sends from the device's address; a
# broadcast the sandbox sends is looped back to its own sockets, as
# ip_mc_output() loops RTCF_BROADCAST (whatever IP_MULTICAST_LOOP says)
# (from the address and its netmask: `ip addr add A/24` sets no IFA_BROADCAST,
# so SIOCGIFBRDADDR says 0.0.0.0, but the broadcast route is there)
mask4 = fcntl.ioctl(s.fileno(), 0x891b, struct.pack("16s16x", ifname.encode()))[20:24]  # SIOCGIFNETMASK
brd4 = socket.inet_ntoa(bytes(a | (~m & 0xff) for a, m in zip(socket.inet_aton(dev4), mask4)))
bb = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
bb.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
expect("bind to the device's broadcast address", lambda: bb.bind((brd4, 7010)))
eq("bound to a broadcast address: its name", bb.getsockname(), (brd4, 7010))
bb.settimeout(0.5)
ba = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
ba.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ba.bind(("0.0.0.0", 7010))
ba.settimeout(0.5)
bs = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
bs.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
bs.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
bs.sendto(b"bc", (brd4, 7010))
eq("own broadcast looped back to a socket bound to it", got(bb), b"bc")
eq("own broadcast looped back to a wildcard socket", got(ba), b"bc")
bs.sendto(b"uc", (dev4, 7010))
eq("a unicast datagram: the wildcard socket's", got(ba), b"uc")
eq("a unicast datagram: not the broadcast-bound socket's", got(bb), None)
bu = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
bu.bind((dev4, 7011))
bu.settimeout(0.5)
bb.sendto(b"from-bb", (dev4, 7011))
try:
    data, src = bu.recvfrom(100)
except socket.timeout:
    data, src = None, None
eq("bound to a broadcast address: what it sends comes from the device's address",
   (data, src), (b"from-bb", (dev4, 7010)))
# raw sockets too (raw_bind(): RTN_BROADCAST allowed, inet_saddr 0):
# protocol 253 (experimental), IPv4 header included in what they read
rb = socket.socket(socket.AF_INET, socket.SOCK_RAW, 253)
expect("raw: bind to the device's broadcast address", lambda: rb.bind((brd4, 0)))
rw = socket.socket(socket.AF_INET, socket.SOCK_RAW, 253)
rw.settimeout(0.5)
rs = socket.socket(socket.AF_INET, socket.SOCK_RAW, 253)
rs.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
rs.sendto(b"raw-bc", (brd4, 0))
def rgot(x):
    try:
        d = x.recv(100)
        return socket.inet_ntoa(d[12:16]), d[20:]
    except socket.timeout:
        return None
eq("raw: own broadcast looped back to a raw socket", rgot(rw), (dev4, b"raw-bc"))
rb.sendto(b"raw-from-bb", (dev4, 0))
r = rgot(rw)
while r and r[1] != b"raw-from-bb":
    r = rgot(rw)
eq("raw: bound to a broadcast address, sends from the device's address", r, (dev4, b"raw-from-bb"))
# IP_HDRINCL sends are looped as others: a broadcast always, to a group
# with IP_MULTICAST_LOOP (ip_mc_output() for raw_send_hdrinc()'s packet)
def hdr4(dst, tail):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tail), 0, 0, 8, 253, 0,
                    socket.inet_aton(dev4), socket.inet_aton(dst))
    return h + tail
rh = socket.socket(socket.AF_INET, socket.SOCK_RAW, 253)
rh.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
rh.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
rh.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, mreqn("0.0.0.0", ifi))
rw.setsockopt(socket.IPPROTO_IP, J, mreqn("239.1.2.14", ifi))
def rfind(x, want):
    r = rgot(x)
    while r and r[1] != want:
        r = rgot(x)
    return r
rh.sendto(hdr4(brd4, b"hinc-bc"), (brd4, 0))
eq("IP_HDRINCL: own broadcast looped back", rfind(rw, b"hinc-bc"), (dev4, b"hinc-bc"))
rh.sendto(hdr4("239.1.2.14", b"hinc-mc"), ("239.1.2.14", 0))
eq("IP_HDRINCL: own multicast looped back (IP_MULTICAST_LOOP 1)", rfind(rw, b"hinc-mc"), (dev4, b"hinc-mc"))
rh.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
rh.sendto(hdr4("239.1.2.14", b"hinc-no"), ("239.1.2.14", 0))
eq("IP_HDRINCL: not looped with IP_MULTICAST_LOOP 0", rfind(rw, b"hinc-no"), None)
# TCP too (__inet_bind() whatever the type): bound to a broadcast address
# or a group, connect() takes the route's source and keeps the port
tl = socket.socket()
tl.bind((dev4, 0))
tl.listen(4)
for a in (brd4, "239.1.2.12"):
    tc = socket.socket()
    expect("TCP: bind to %s" % a, lambda: tc.bind((a, 0)))
    port = tc.getsockname()[1]
    tc.settimeout(2)
    expect("TCP: connect from %s" % a, lambda: tc.connect(tl.getsockname()))
    eq("TCP: bound to %s, connected: its name" % a, tc.getsockname(), (dev4, port))
    tc.close()
    tl.accept()[0].close()
tb = socket.socket()
expect("TCP: listen on the broadcast address", lambda: (tb.bind((brd4, 0)), tb.listen(1)))
if fails:
    print("\n".join(fails))
    sys.exit(1)
print("selfcheck ok")
