#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# procnet.sh - /proc/net inside a sandbox is the sandbox's own: dev, route,
# ipv6_route, if_inet6, arp, tcp, tcp6, udp, udp6, raw, raw6, igmp, igmp6
# and dev_mcast, in Linux's text formats, so that net-tools (ifconfig,
# route, arp, netstat) and `ip maddr` show the sandbox's devices, routes,
# neighbours, sockets and multicast groups and never the host's
# (fib_trie and fib_triestat: fib_trie.sh).
# Sandboxes A and B share one link, on a device named rrs0 (no host has
# one); A has a route to an IPv4 and an IPv6 prefix through B and pings B
# once, so its ARP cache holds B.  Inside A: `ifconfig -a` lists lo and
# rrs0 only (with A's addresses, MAC and non-zero packet counts), `route
# -n`, `route -6 -n` and `netstat -6rn` show A's routes and none of the
# host's (its default gateway), `arp -n` shows B's MAC on rrs0, `netstat`
# lists A's TCP listeners (nc; -p names it: the inodes are the program's
# fds), UDP and raw sockets and none of the host's, `netstat -i` lists
# rrs0, /proc/net/if_inet6 holds fd00::1, `ip maddr` lists rrs0's groups
# (224.0.0.1, its solicited-node group, their MACs) on lo and rrs0 only;
# the header line of each file is
# the host kernel's, byte for byte; python3 (pn.py) finds A's listeners by
# every way of naming the files (/proc/net, /proc/self/net,
# /proc/thread-self/net from two threads, /proc/PID/net, task/TID, paths
# with // . and .., a dir_fd of
# /proc/net, the cwd after chdir to /proc/self/net), and opening one for
# writing still fails with EACCES; /proc/net/snmp (`netstat -s`) counts
# A's pings to B (lwIP's counters: 1 to 5 echo requests out, at least one
# and at most as many replies in) and sockstat/sockstat6 (`ss -s`) A's
# sockets, one TCP, UDP and raw socket of each family; /proc/net/unix
# does not list the AF_UNIX pairs behind them (so `lsof -i` shows nc's
# listener as TCP); `sysctl` and /proc/sys/net/.../forwarding
# say the sandbox forwards (1), and say 0 in a sandbox run with
# --no-forward, whatever the host's; written inside (`sysctl -w`, `echo >`)
# or with `rrctl sysctl` they set the sandbox's value, "all" setting
# "default" and every device as on Linux; a bad value is left out with a
# warning, and other sysctls stay the host's (EACCES).  Then `rrsandbox --no-proc-net`: its
# /proc/net/dev is the host's again.
#
#   host: python3 TCP listener and UDP socket on 127.0.0.1:HP; its own
#         interfaces, routes (maybe a default gateway) and ARP entries
#
#   rrsandbox -c a.conf -- sh a.sh          rrsandbox -c b.conf -- sh b.sh
#   +---------------------------------------+  link  +----------------------+
#   | rrs0 10.0.0.1/24 fd00::1/64           |--------| rrs0 10.0.0.2/24     |
#   | 192.168.5.0/24 via 10.0.0.2           | a.link |      fd00::2/64      |
#   | 2001:db8:5::/48 via fd00::2           | b.link | ip -o link >b_link   |
#   | ping -c 1 10.0.0.2                    |        +----------------------+
#   | nc -lk 10.0.0.1 P1, nc -lk fd00::1 P2 |
#   | socks.py: UDP 10.0.0.1:P3 and         |
#   |   [fd00::1]:P3, raw ICMP and ICMPv6   |
#   | ifconfig -a, route -n, route -6 -n,   |
#   | netstat -6rn, arp -n, netstat -tln,   |
#   |   -tlnp, -uanp, -wanp, -tanu, -i,     |
#   | cat /proc/net/if_inet6, ip maddr,     |
#   |   /proc/<nc's pid>/net/tcp,           |
#   | pn.py: tcp and tcp6 by every path     |
#   +---------------------------------------+
#   rrsandbox --no-proc-net -c n.conf -- cat /proc/net/dev  -> the host's names
#
# The sandboxes coming up, the ping and the listeners are checked first
# and stop the scenario; after that every /proc/net check runs and all
# failures are listed at the end.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need ifconfig route arp netstat nc ip ping "$PY"

stage_ping

# has FILE REGEX WHAT: a line of $RUN/FILE matches the extended regex
has() {
	if [ ! -e "$RUN/$1" ]; then
		bad "$3: $1 is missing"
	elif grep -Eq -- "$2" "$RUN/$1"; then
		log "ok: $3"
	else
		bad "$3: expected a line matching '$2' in $1" "$1"
	fi
}
# lacks FILE REGEX WHAT: no line of $RUN/FILE matches
lacks() {
	if [ ! -e "$RUN/$1" ]; then
		bad "$3: $1 is missing"
	elif grep -Eq -- "$2" "$RUN/$1"; then
		bad "$3: expected no line matching '$2' in $1" "$1"
	else
		log "ok: $3"
	fi
}
# ran NAME CMD: the inner script's command NAME exited 0 ($RUN/NAME.rc;
# its output in NAME.txt and NAME.err)
ran() {
	local rc
	rc=$(cat "$RUN/$1.rc" 2>/dev/null) || rc=missing
	if [ "$rc" = 0 ]; then
		log "ok: $2 exited 0"
	else
		bad "$2: expected exit status 0, got $rc" "$1.txt" "$1.err"
	fi
}
# quiet NAME CMD: the command NAME printed nothing on stderr (as on Linux;
# a host interface name in /proc/net makes net-tools complain about it)
quiet() {
	if [ -s "$RUN/$1.err" ]; then
		bad "$2: expected nothing on stderr" "$1.err"
	else
		log "ok: $2 printed nothing on stderr"
	fi
}
# only NAMES-FILE SHOWN-FILE WHAT ALLOWED...: every line of $RUN/NAMES-FILE
# (one interface name a line, taken from SHOWN-FILE) is one of ALLOWED;
# the host's names are marked
only() {
	local f=$1 shown=$2 what=$3 n extra=
	shift 3
	while read -r n; do
		case " $* " in *" $n "*) continue ;; esac
		extra="$extra $n"
		if grep -qxF -- "$n" "$RUN/host_names"; then extra="$extra(host's)"; fi
	done <"$RUN/$f"
	if [ -n "$extra" ]; then
		bad "$what: expected only the interfaces $*; also listed:$extra" "$shown"
	else
		log "ok: $what: only $*"
	fi
}

# ------------------------------------------------------------ the host's view
tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' >"$RUN/host_names"
grep -qxF rrs0 "$RUN/host_names" &&
	skip "the host has an interface named rrs0: the sandbox's could not be told from it"
host_others=$(grep -vxF lo "$RUN/host_names" | tr '\n' ' ' || true)
log "host interfaces besides lo: ${host_others:-none}"
host_gw=
g=$(awk 'NR > 1 && $2 == "00000000" { print $3; exit }' /proc/net/route)
if [ -n "$g" ] && [ "$g" != 00000000 ]; then
	host_gw=$(printf '%d.%d.%d.%d' "0x${g:6:2}" "0x${g:4:2}" "0x${g:2:2}" "0x${g:0:2}")
fi
log "host default gateway: ${host_gw:-none}"
for f in dev route arp tcp tcp6 udp udp6 raw raw6 igmp; do
	head -n 1 "/proc/net/$f" >"$RUN/host_hdr_$f"
done

# -------------------------------------------------------------- the configs
cat >"$RUN/a.conf" <<EOF
link add rrs0 type link local $RUN/a.link remote $RUN/b.link
addr add 10.0.0.1/24 dev rrs0
addr add fd00::1/64 dev rrs0
route add 192.168.5.0/24 via 10.0.0.2
route add 2001:db8:5::/48 via fd00::2
EOF
cat >"$RUN/b.conf" <<EOF
link add rrs0 type link local $RUN/b.link remote $RUN/a.link
addr add 10.0.0.2/24 dev rrs0
addr add fd00::2/64 dev rrs0
EOF
cat >"$RUN/n.conf" <<EOF
link add rrs0 type link local $RUN/n.link remote $RUN/nowhere.link
addr add 10.0.0.1/24 dev rrs0
EOF
chmod 644 "$RUN/a.conf" "$RUN/b.conf" "$RUN/n.conf"

# b.sh: B's MAC for the outside, then wait (bounded) to be told to stop
inner_script b.sh <<'EOF'
#!/bin/sh
ip -o link show rrs0 >b_link.tmp 2>&1 || exit 10
mv b_link.tmp b_link
i=0
while [ ! -e b_stop ]; do
	i=$((i + 1))
	[ $i -lt 900 ] || exit 11
	sleep 0.1
done
EOF

inner_script socks.py <<'EOF'
#!/usr/bin/python3
# socks.py P3: UDP sockets on 10.0.0.1:P3 and [fd00::1]:P3, raw ICMP and
# ICMPv6 sockets, a TCP and a UDP socket never bound (which sockstat's
# "inuse" does not count: they are in no hash table); writes "ready" and
# waits to be killed
import os, socket, sys, time
p3 = int(sys.argv[1])
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("10.0.0.1", p3))
u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
u6.bind(("fd00::1", p3))
r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
r6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
t_idle = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
u_idle = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
with open("ready.tmp", "w") as f:
    f.write("ready\n")
os.rename("ready.tmp", "ready")
time.sleep(60)
EOF

inner_script pn.py <<'EOF'
#!/usr/bin/python3
"""pn.py P1 P2 HP: A's TCP listeners (10.0.0.1:P1, [fd00::1]:P2) found in
/proc/net/tcp and tcp6 by every way of naming them, the host's listener
(127.0.0.1:HP) by none; opening for writing fails with EACCES.  One line
per check, "ok ..." or "FAIL ..." with what was read; status 1 on any
failure."""
import os
import sys
import threading

p1, p2, hp = (int(a) for a in sys.argv[1:4])
# as Linux prints them: addresses in the kernel's (little-endian) words
LISTEN = {
    "tcp": "0100000A:%04X 00000000:0000 0A " % p1,
    "tcp6": "000000FD000000000000000001000000:%04X "
            "00000000000000000000000000000000:0000 0A " % p2,
}
HOST = "0100007F:%04X " % hp
bad = 0


def check(how, name, read):
    """read() returns the text of /proc/net/NAME (tcp or tcp6)"""
    global bad
    try:
        text = read()
    except OSError as e:
        print(f"FAIL {how}: {e!r}")
        bad += 1
        return
    lines = text.splitlines()
    mine = [l for l in lines if ": " + LISTEN[name] in l]
    host = [l for l in lines if ": " + HOST in l]
    if mine and not host:
        print(f"ok {how}: {mine[0].strip()}")
        return
    if not mine:
        print(f"FAIL {how}: expected a line with '{LISTEN[name]}' (the sandbox's listener)")
    else:
        print(f"FAIL {how}: expected no line with '{HOST}' (the host's listener)")
    print("    it read:")
    for l in lines[:40]:
        print("      " + l)
    bad += 1


def path(p):
    def read():
        with open(p) as f:
            return f.read()
    return read


def from_thread(p):
    def read():
        res = {}

        def run():
            try:
                res["text"] = path(p)()
            except OSError as e:
                res["err"] = e
        t = threading.Thread(target=run)
        t.start()
        t.join(10)
        if "err" in res:
            raise res["err"]
        return res["text"]
    return read


def at(dirfd, name):
    def read():
        fd = os.open(name, os.O_RDONLY, dir_fd=dirfd)
        chunks = []
        while True:
            b = os.read(fd, 65536)
            if not b:
                break
            chunks.append(b)
        os.close(fd)
        return b"".join(chunks).decode()
    return read


pid = os.getpid()
check("/proc/net/tcp", "tcp", path("/proc/net/tcp"))
check("/proc/net/tcp6", "tcp6", path("/proc/net/tcp6"))
check("/proc/self/net/tcp", "tcp", path("/proc/self/net/tcp"))
check("/proc/thread-self/net/tcp", "tcp", path("/proc/thread-self/net/tcp"))
check("/proc/thread-self/net/tcp6 from a second thread", "tcp6",
      from_thread("/proc/thread-self/net/tcp6"))
check(f"/proc/{pid}/net/tcp (its own pid)", "tcp", path(f"/proc/{pid}/net/tcp"))
check("/proc//net/./tcp", "tcp", path("/proc//net/./tcp"))
check("/proc/net/../net/tcp", "tcp", path("/proc/net/../net/tcp"))
check(f"/proc/self/task/{pid}/net/tcp", "tcp", path(f"/proc/self/task/{pid}/net/tcp"))
check(f"/proc/{pid}/task/{pid}/net/tcp", "tcp", path(f"/proc/{pid}/task/{pid}/net/tcp"))
# the supervisor's: not a process of the sandbox, so the kernel's answer
# (the host's table, or EACCES: it is not dumpable)
sup = os.getpid()
while sup > 1:
    with open(f"/proc/{sup}/stat") as f:
        st = f.read()
    if st[st.index("(") + 1:st.rindex(")")] == "rrsandbox":
        break
    sup = int(st[st.rindex(")") + 2:].split()[1])
try:
    text = path(f"/proc/{sup}/net/tcp")()
    mine = ": " + LISTEN["tcp"] in text
except PermissionError:
    text, mine = "EACCES", False
if sup > 1 and not mine:
    print(f"ok /proc/{sup}/net/tcp (the supervisor's): not the sandbox's")
else:
    print(f"FAIL /proc/{sup}/net/tcp (the supervisor's, found: {sup > 1}): "
          f"expected the kernel's answer, got the sandbox's")
    bad += 1
d = os.open("/proc/net", os.O_RDONLY | os.O_DIRECTORY)
check("tcp at a dir_fd of /proc/net", "tcp", at(d, "tcp"))
check("tcp6 at a dir_fd of /proc/net", "tcp6", at(d, "tcp6"))
os.close(d)
os.chdir("/proc/self/net")
check("tcp after chdir('/proc/self/net')", "tcp", path("tcp"))
check("tcp6 after chdir('/proc/self/net')", "tcp6", path("tcp6"))
for p in ("/proc/net/tcp", "tcp6"):
    try:
        open(p, "w").close()
    except PermissionError as e:
        print(f"ok open({p!r}, 'w'): {e!r}")
    except OSError as e:
        print(f"FAIL open({p!r}, 'w'): {e!r}, want PermissionError (EACCES)")
        bad += 1
    else:
        print(f"FAIL open({p!r}, 'w') succeeded, want PermissionError (EACCES)")
        bad += 1
sys.exit(1 if bad else 0)
EOF

# a.sh PING P1 P2 P3 HP: ping B, start the sockets, then every tool; each
# tool's output in NAME.txt and status in NAME.rc; the script's status is
# 10 (ping), 11 (listeners not up) or 12 (socks.py), else 0
inner_script a.sh <<'EOF'
#!/bin/sh
PING=$1 P1=$2 P2=$3 P3=$4 HP=$5
ip -o link show rrs0 >a_link 2>&1 || exit 13
i=0
until $PING -c 1 -W 2 10.0.0.2 >ping.txt 2>&1; do
	i=$((i + 1))
	[ $i -lt 5 ] || exit 10
	sleep 0.5
done
nc -lk 10.0.0.1 "$P1" >/dev/null </dev/null &
n4=$!
nc -lk fd00::1 "$P2" >/dev/null </dev/null &
n6=$!
/usr/bin/python3 ./socks.py "$P3" >socks.txt 2>&1 &
py=$!
stop() {
	kill $n4 $n6 $py 2>/dev/null
}
i=0
until [ -s ready ]; do
	i=$((i + 1))
	kill -0 $py 2>/dev/null || { stop; exit 12; }
	[ $i -lt 100 ] || { stop; exit 12; }
	sleep 0.1
done
i=0
until nc -z 10.0.0.1 "$P1" 2>/dev/null && nc -z fd00::1 "$P2" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || { stop; exit 11; }
	sleep 0.1
done
# run NAME CMD...: CMD's output in NAME.txt and NAME.err, its status in
# NAME.rc
run() {
	n=$1
	shift
	"$@" >"$n.txt" 2>"$n.err"
	echo $? >"$n.rc"
}
run ifconfig ifconfig -a
run route4 route -n
run route6 route -6 -n
run netstat6r netstat -6rn
run arp arp -n
run tln netstat -tln
run tlnp netstat -tlnp
run uanp netstat -uanp
run wanp netstat -wanp
run tanu netstat -tanu
run iface netstat -i
run if_inet6 cat /proc/net/if_inet6
run maddr ip maddr
run snmp cat /proc/net/snmp
run netstat_s netstat -s
run sockstat cat /proc/net/sockstat /proc/net/sockstat6
run unix cat /proc/net/unix
if command -v lsof >/dev/null 2>&1; then
	run lsof lsof -nP -i
fi
run fwd sh -c 'sysctl -n net.ipv4.ip_forward net.ipv6.conf.all.forwarding \
	net.ipv4.conf.default.forwarding && cat /proc/sys/net/ipv6/conf/rrs0/forwarding'
run pid_tcp cat "/proc/$n4/net/tcp"
run pn /usr/bin/python3 ./pn.py "$P1" "$P2" "$HP"
for f in dev route arp tcp tcp6 udp udp6 raw raw6 igmp; do
	head -n 1 "/proc/net/$f" >"hdr_$f" 2>&1
done
stop
exit 0
EOF

# ---------------------------------------------------------- the host sockets
p1=$(free_port) p2=$(free_port) p3=$(free_port) hp=$(free_port)
hphex=$(printf '%04X' "$hp")
host_socks "$hp"

# ---------------------------------------------------------------- A and B
step "B, then A on one link (rrs0); A pings B; ports $p1 $p2 $p3 (host: $hp)"
bg unpriv "$RRS" --no-control -c "$RUN/b.conf" -- sh "$RUN/b.sh" \
	>"$RUN/b.out" 2>"$RUN/b.err"
b=$BG_PID
LAST_OUT=$RUN/b.out LAST_ERR=$RUN/b.err
wait_file 20 "$RUN/b_link" || fail "sandbox B did not come up (no b_link in 20 s)"
mac_b=$(grep -o 'link/ether [0-9a-f:]*' "$RUN/b_link" | cut -d' ' -f2)
[ -n "$mac_b" ] || { LAST_OUT=$RUN/b_link; fail "no MAC in B's ip -o link show rrs0"; }
log "B's MAC on rrs0: $mac_b"

rrs_run 60 a --no-control -c "$RUN/a.conf" -- \
	sh "$RUN/a.sh" "$PING" "$p1" "$p2" "$p3" "$hp"
case $RC in
0) ;;
10) LAST_OUT=$RUN/ping.txt; fail "A could not ping B (10.0.0.2) over the link" ;;
11) fail "A's nc listeners on 10.0.0.1:$p1 and [fd00::1]:$p2 did not answer" ;;
12) LAST_OUT=$RUN/socks.txt; fail "socks.py (UDP and raw sockets) did not start in A" ;;
13) LAST_OUT=$RUN/a_link; fail "ip -o link show rrs0 failed in A" ;;
*) fail "sandbox A: status $RC (see a.sh)" ;;
esac
touch "$RUN/b_stop"
rc=0
wait_pid 20 "$b" || rc=$?
[ "$rc" -eq 0 ] || fail "sandbox B: status $rc (see b.sh)"
kill "$HOST_SOCKS_PID" 2>/dev/null || true
mac_a=$(grep -o 'link/ether [0-9a-f:]*' "$RUN/a_link" | cut -d' ' -f2)
log "ok: A pinged B; listeners and sockets up; A's MAC $mac_a"
LAST_OUT='' LAST_ERR=''

# ------------------------------------------------------------------ ifconfig
step "ifconfig -a: lo and rrs0, the sandbox's, none of the host's"
ran ifconfig "ifconfig -a"
quiet ifconfig "ifconfig -a"
{ grep -E '^[^[:space:]]+: flags=' "$RUN/ifconfig.txt" || true; } | cut -d: -f1 >"$RUN/ifconfig_names"
has ifconfig.txt '^lo: flags=' "ifconfig -a lists lo"
has ifconfig.txt '^rrs0: flags=' "ifconfig -a lists rrs0"
only ifconfig_names ifconfig.txt "ifconfig -a" lo rrs0
awk -v RS= '/^rrs0:/' "$RUN/ifconfig.txt" >"$RUN/ifconfig_rrs0"
has ifconfig_rrs0 '^ +inet 10\.0\.0\.1 +netmask 255\.255\.255\.0' \
	"ifconfig: rrs0 has inet 10.0.0.1 netmask 255.255.255.0"
has ifconfig_rrs0 '^ +inet6 fd00::1 +prefixlen 64 ' \
	"ifconfig: rrs0 has inet6 fd00::1 prefixlen 64 (from /proc/net/if_inet6)"
has ifconfig_rrs0 "^ +ether $mac_a " "ifconfig: rrs0's MAC is A's ($mac_a)"
has ifconfig_rrs0 '^ +RX packets [1-9][0-9]* ' "ifconfig: rrs0 received packets (the ping's)"
has ifconfig_rrs0 '^ +TX packets [1-9][0-9]* ' "ifconfig: rrs0 sent packets (the ping's)"

# -------------------------------------------------------------------- routes
step "route -n, route -6 -n, netstat -6rn: A's routes, none of the host's"
ran route4 "route -n"
quiet route4 "route -n"
has route4.txt '^10\.0\.0\.0 +0\.0\.0\.0 +255\.255\.255\.0 +U +[0-9]+ +[0-9]+ +[0-9]+ +rrs0$' \
	"route -n: 10.0.0.0/24 U on rrs0"
has route4.txt '^192\.168\.5\.0 +10\.0\.0\.2 +255\.255\.255\.0 +UG +[0-9]+ +[0-9]+ +[0-9]+ +rrs0$' \
	"route -n: 192.168.5.0 via 10.0.0.2, mask 255.255.255.0, UG on rrs0"
lacks route4.txt '^0\.0\.0\.0 ' "route -n: no default route (A has none)"
if [ -n "$host_gw" ]; then
	lacks route4.txt "[[:space:]]${host_gw//./\\.}[[:space:]]" \
		"route -n: not the host's default gateway $host_gw"
fi
awk 'NR > 2 { print $NF }' "$RUN/route4.txt" | sort -u >"$RUN/route4_ifs"
only route4_ifs route4.txt "route -n's Iface column" lo rrs0
for t in route6 netstat6r; do
	case $t in
	route6) cmd="route -6 -n" ;;
	*) cmd="netstat -6rn" ;;
	esac
	ran "$t" "$cmd"
	quiet "$t" "$cmd"
	has "$t.txt" '^2001:db8:5::/48 +fd00::2 +UG +[0-9]+ +[0-9]+ +[0-9]+ +rrs0$' \
		"$cmd: 2001:db8:5::/48 via fd00::2, UG on rrs0"
	has "$t.txt" '^fd00::/64 +:: +U +[0-9]+ +[0-9]+ +[0-9]+ +rrs0$' "$cmd: fd00::/64 U on rrs0"
	# the local table has no ::/0: its null entry, as Linux shows it
	has "$t.txt" '^::/0 +:: +!n +-1 +1 +0 +lo$' "$cmd: the null entry ::/0 !n -1 on lo"
	awk 'NR > 2 { print $NF }' "$RUN/$t.txt" | sort -u >"$RUN/${t}_ifs"
	only "${t}_ifs" "$t.txt" "$cmd's If column" lo rrs0
done

# ----------------------------------------------------------------------- arp
step "arp -n: B, with B's MAC, on rrs0"
ran arp "arp -n"
quiet arp "arp -n"
has arp.txt "^10\.0\.0\.2 +ether +$mac_b +C +rrs0$" "arp -n: 10.0.0.2 is B ($mac_b) on rrs0"
awk 'NR > 1 { print $NF }' "$RUN/arp.txt" | sort -u >"$RUN/arp_ifs"
only arp_ifs arp.txt "arp -n's Iface column" rrs0

# ------------------------------------------------------------------- sockets
step "netstat: A's sockets with their programs, not the host's"
ran tln "netstat -tln"
has tln.txt "^tcp +0 +0 +10\.0\.0\.1:$p1 +0\.0\.0\.0:\* +LISTEN" \
	"netstat -tln: nc's listener 10.0.0.1:$p1"
has tln.txt "^tcp6 +0 +0 +fd00::1:$p2 +:::\* +LISTEN" \
	"netstat -tln: nc's IPv6 listener [fd00::1]:$p2, as tcp6"
lacks tln.txt ":$hp " "netstat -tln: not the host's listener on 127.0.0.1:$hp"
ran tlnp "netstat -tlnp"
has tlnp.txt "^tcp +0 +0 +10\.0\.0\.1:$p1 +0\.0\.0\.0:\* +LISTEN +[0-9]+/nc" \
	"netstat -tlnp: 10.0.0.1:$p1 owned by nc (the inode is nc's fd's)"
has tlnp.txt "^tcp6 +0 +0 +fd00::1:$p2 +:::\* +LISTEN +[0-9]+/nc" \
	"netstat -tlnp: [fd00::1]:$p2 owned by nc"
lacks tlnp.txt ":$hp " "netstat -tlnp: not the host's listener on 127.0.0.1:$hp"
ran uanp "netstat -uanp"
has uanp.txt "^udp +0 +0 +10\.0\.0\.1:$p3 +0\.0\.0\.0:\* +[0-9]+/python3" \
	"netstat -uanp: UDP 10.0.0.1:$p3 owned by python3"
has uanp.txt "^udp6 +0 +0 +fd00::1:$p3 +:::\* +[0-9]+/python3" \
	"netstat -uanp: UDP [fd00::1]:$p3 owned by python3"
lacks uanp.txt ":$hp " "netstat -uanp: not the host's UDP socket on 127.0.0.1:$hp"
ran wanp "netstat -wanp"
has wanp.txt '^raw +0 +0 +0\.0\.0\.0:1 +0\.0\.0\.0:\* +7 +[0-9]+/python3' \
	"netstat -wanp: raw ICMP socket (protocol 1) owned by python3"
has wanp.txt '^raw6 +0 +0 +:::58 +:::\* +7 +[0-9]+/python3' \
	"netstat -wanp: raw ICMPv6 socket (protocol 58) owned by python3"
ran tanu "netstat -tanu"
has tanu.txt "^tcp +0 +0 +10\.0\.0\.1:$p1 +0\.0\.0\.0:\* +LISTEN" "netstat -tanu: the TCP listener"
has tanu.txt "^udp +0 +0 +10\.0\.0\.1:$p3 +0\.0\.0\.0:\*" "netstat -tanu: the UDP socket"
lacks tanu.txt ":$hp " "netstat -tanu: neither host socket on port $hp"
ran pid_tcp "cat /proc/<nc's pid>/net/tcp"
has pid_tcp.txt ": 0100000A:$(printf '%04X' "$p1") 00000000:0000 0A " \
	"/proc/<nc's pid>/net/tcp: the listener 10.0.0.1:$p1, as Linux prints it"
lacks pid_tcp.txt ": 0100007F:$hphex " "/proc/<nc's pid>/net/tcp: not the host's listener"

# ------------------------------------------------------ netstat -i, if_inet6
step "netstat -i, /proc/net/if_inet6"
ran iface "netstat -i"
quiet iface "netstat -i"
has iface.txt '^rrs0 +1500 +[1-9][0-9]* +0 +[0-9]+ +[0-9]+ +[1-9][0-9]* ' \
	"netstat -i: rrs0, MTU 1500, packets both ways"
awk 'NR > 2 { print $1 }' "$RUN/iface.txt" >"$RUN/iface_names"
only iface_names iface.txt "netstat -i" lo rrs0
ran if_inet6 "cat /proc/net/if_inet6"
has if_inet6.txt '^fd000000000000000000000000000001 [0-9a-f]{2} 40 00 [0-9a-f]{2} +rrs0$' \
	"/proc/net/if_inet6: fd00::1/64, scope global, on rrs0"
has if_inet6.txt '^00000000000000000000000000000001 [0-9a-f]{2} 80 10 [0-9a-f]{2} +lo$' \
	"/proc/net/if_inet6: ::1/128, scope host, on lo"
awk '{ print $NF }' "$RUN/if_inet6.txt" | sort -u >"$RUN/if_inet6_ifs"
only if_inet6_ifs if_inet6.txt "/proc/net/if_inet6's devices" lo rrs0

step "ip maddr: rrs0's groups and their MACs, lo's all-hosts groups, lo and rrs0 only"
ran maddr "ip maddr"
quiet maddr "ip maddr"
has maddr.txt '^[0-9]+:[[:space:]]+rrs0$' "ip maddr lists rrs0"
awk -v RS='\n[0-9]+:' '/^[[:space:]]*rrs0\n/' <(printf '\n'; cat "$RUN/maddr.txt") \
	>"$RUN/maddr_rrs0"
has maddr_rrs0 '^[[:space:]]+inet +224\.0\.0\.1$' "ip maddr: rrs0 in 224.0.0.1 (IGMP)"
has maddr_rrs0 '^[[:space:]]+link +01:00:5e:00:00:01$' "ip maddr: rrs0's MAC for 224.0.0.1"
has maddr_rrs0 '^[[:space:]]+inet6 +ff02::1:ff00:1$' \
	"ip maddr: rrs0 in fd00::1's solicited-node group (MLD)"
has maddr_rrs0 '^[[:space:]]+link +33:33:ff:00:00:01$' "ip maddr: rrs0's MAC for ff02::1:ff00:1"
awk -v RS='\n[0-9]+:' '/^[[:space:]]*lo\n/' <(printf '\n'; cat "$RUN/maddr.txt") \
	>"$RUN/maddr_lo"
has maddr_lo '^[[:space:]]+inet +224\.0\.0\.1$' "ip maddr: lo in 224.0.0.1, as on Linux"
has maddr_lo '^[[:space:]]+inet6 +ff02::1$' "ip maddr: lo in ff02::1"
{ grep -E '^[0-9]+:' "$RUN/maddr.txt" || true; } | awk '{ print $2 }' >"$RUN/maddr_names"
only maddr_names maddr.txt "ip maddr" lo rrs0

# -------------------------------------------------------- the header lines
step "each file's header line is the host kernel's, byte for byte"
for f in dev route arp tcp tcp6 udp udp6 raw raw6 igmp; do
	if cmp -s "$RUN/hdr_$f" "$RUN/host_hdr_$f"; then
		log "ok: /proc/net/$f: Linux's header line"
	else
		bad "/proc/net/$f inside: expected the host's header line (cat -A): $(cat -A "$RUN/host_hdr_$f")" "hdr_$f"
	fi
done

# ---------------------------------------------------- every way of naming it
step "python3: tcp and tcp6 by path, /proc/self, thread-self, PID, dir_fd, cwd"
sed 's/^/    /' "$RUN/pn.txt" "$RUN/pn.err" >&2
while read -r line; do
	bad "pn.py: ${line#FAIL }"
done < <(grep '^FAIL' "$RUN/pn.txt" || true)
rc=$(cat "$RUN/pn.rc")
if [ "$rc" -ne 0 ] && ! grep -q '^FAIL' "$RUN/pn.txt"; then
	bad "pn.py: expected exit status 0, got $rc (output above)"
fi

# ------------------------------------------------------------------ counters
step "counters: A's pings in /proc/net/snmp and netstat -s, its sockets in sockstat"
ran snmp "cat /proc/net/snmp"
# icmp FIELD: the Icmp field's value in snmp.txt
icmp() {
	awk -v f="$1" '$1 == "Icmp:" && !h { for (i = 2; i <= NF; i++) if ($i == f) c = i; h = 1; next }
		$1 == "Icmp:" && h { print $c; exit }' "$RUN/snmp.txt"
}
out=$(icmp OutEchos) in=$(icmp InEchoReps)
# (a ping that timed out on a slow machine is sent again: a reply per
# request is not guaranteed, one at least is)
if [ -n "$out" ] && [ -n "$in" ] && [ "$out" -ge 1 ] && [ "$out" -le 5 ] &&
	[ "$in" -ge 1 ] && [ "$in" -le "$out" ]; then
	log "ok: /proc/net/snmp: Icmp OutEchos $out, InEchoReps $in (A's pings to B)"
else
	bad "/proc/net/snmp: expected Icmp OutEchos 1..5 (A's pings) and 1 to as many InEchoReps, got '$out' and '$in'" snmp.txt
fi
ran netstat_s "netstat -s"
quiet netstat_s "netstat -s"
has netstat_s.txt "^ +[0-9]+ ICMP messages sent\$" "netstat -s: ICMP messages sent"
has netstat_s.txt "^ +echo requests: $out\$" "netstat -s: $out echo requests in the output histogram"
ran sockstat "cat /proc/net/sockstat /proc/net/sockstat6"
for l in '^TCP: inuse 1 ' '^UDP: inuse 1 ' '^RAW: inuse 1$' '^TCP6: inuse 1$' \
	'^UDP6: inuse 1$' '^RAW6: inuse 1$'; do
	has sockstat.txt "$l" "sockstat: '$l' (A's nc listeners, socks.py's bound sockets)"
done

step "/proc/net/unix: not the pairs behind A's sockets; lsof -i"
ran unix "cat /proc/net/unix"
ino=$(awk -v a="0100000A:$(printf '%04X' "$p1")" '$2 == a && $4 == "0A" { print $10; exit }' "$RUN/pid_tcp.txt")
if [ -z "$ino" ]; then
	bad "no inode for the listener 10.0.0.1:$p1 in /proc/<nc's pid>/net/tcp" pid_tcp.txt
elif awk -v i="$ino" 'NR > 1 && $7 == i { f = 1 } END { exit !f }' "$RUN/unix.txt"; then
	bad "/proc/net/unix lists inode $ino, the TCP listener's (an emulated socket, not AF_UNIX)" unix.txt
else
	log "ok: /proc/net/unix does not list the listener's inode $ino"
fi
if [ -e "$RUN/lsof.rc" ]; then
	ran lsof "lsof -nP -i"
	has lsof.txt "^nc +[0-9]+ .* TCP 10\.0\.0\.1:$p1 \(LISTEN\)\$" "lsof -i: nc's listener 10.0.0.1:$p1"
else
	printf 'SKIP-PART: %s: %s\n' "$SCENARIO" "no lsof: lsof -i is not checked" >&2
fi

# ---------------------------------------------------------------- forwarding
step "forwarding: 1 in A, 0 in a sandbox run with --no-forward"
ran fwd "sysctl -n net.ipv4.ip_forward ..., cat .../conf/rrs0/forwarding"
if [ "$(tr '\n' ' ' <"$RUN/fwd.txt")" = "1 1 1 1 " ]; then
	log "ok: A's forwarding sysctls read 1"
else
	bad "A's ip_forward, ipv6 all, ipv4 default, ipv6 rrs0 forwarding: expected 1 1 1 1" fwd.txt fwd.err
fi
rrs_run 20 nofwd --no-control --no-forward -c "$RUN/n.conf" -- sh -c \
	'sysctl -n net.ipv4.ip_forward net.ipv6.conf.all.forwarding && cat /proc/sys/net/ipv4/conf/rrs0/forwarding'
if [ "$RC" -eq 0 ] && [ "$(tr '\n' ' ' <"$RUN/nofwd.out")" = "0 0 0 " ]; then
	log "ok: --no-forward: the forwarding sysctls read 0"
else
	bad "--no-forward: expected ip_forward, ipv6 all and ipv4 rrs0 forwarding 0 0 0 (status $RC)" nofwd.out nofwd.err
fi

step "forwarding written inside: sysctl -w, echo >, a bad value, rrctl sysctl"
stage_rrctl
inner_script fwdw.sh <<'EOF'
#!/bin/sh
# fwdw.sh RRCTL SOCK HOSTDEV
sysctl -w net.ipv4.ip_forward=0 >/dev/null || echo "sysctl -w failed"
# (sysctl(8) stat()s the host's file first: rrs0 is read with cat)
{ sysctl -n net.ipv4.ip_forward net.ipv4.conf.all.forwarding net.ipv4.conf.default.forwarding \
	net.ipv4.conf.lo.forwarding && cat /proc/sys/net/ipv4/conf/rrs0/forwarding &&
	sysctl -n net.ipv6.conf.all.forwarding; } | tr '\n' ' '
echo
echo 1 > /proc/sys/net/ipv4/conf/rrs0/forwarding || echo "echo > failed"
cat /proc/sys/net/ipv4/conf/rrs0/forwarding /proc/sys/net/ipv4/ip_forward | tr '\n' ' '
echo
echo bogus > /proc/sys/net/ipv6/conf/default/forwarding || echo "the bad write failed"
# a sign Linux's proc_dointvec() refuses (strtoll() took it: 0)
printf +0 > /proc/sys/net/ipv6/conf/default/forwarding || echo "the bad write failed"
cat /proc/sys/net/ipv6/conf/default/forwarding
"$1" -s "$2" sysctl net.ipv6.conf.all.forwarding=0 net.ipv4.ip_forward
{ sysctl -n net.ipv6.conf.all.forwarding && cat /proc/sys/net/ipv6/conf/rrs0/forwarding; } | tr '\n' ' '
echo
if echo 1 2>/dev/null > /proc/sys/net/ipv4/tcp_fin_timeout; then
	echo "tcp_fin_timeout written"
else
	echo "tcp_fin_timeout refused"
fi
if cat "/proc/sys/net/ipv4/conf/$3/forwarding" 2>/dev/null; then
	echo "the host's device is there"
else
	echo "the host's device is not"
fi
# a /proc/net file opened next is still served (an absent sysctl's
# answer once leaked into the next open: ENOENT)
if head -n 1 /proc/net/arp >/dev/null 2>&1; then
	echo "proc/net served after it"
else
	echo "proc/net lost after it"
fi
# no route cache to flush: the write is taken, nothing said
ip route flush cache 2>&1 && echo "route cache flushed"
# read and written through one O_RDWR descriptor
python3 -c 'import os
fd = os.open("/proc/sys/net/ipv4/conf/rrs0/forwarding", os.O_RDWR)
print("rdwr read", os.read(fd, 64).decode().strip(), os.read(fd, 64) == b"")
os.write(fd, b"0")
os.close(fd)
print("rdwr now", open("/proc/sys/net/ipv4/conf/rrs0/forwarding").read().strip())'
EOF
host_fwd=$(cat /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv6/conf/all/forwarding)
# a device the host has and the sandbox not (its file must not be served)
hostdev=$(ls /proc/sys/net/ipv4/conf | grep -vxE 'all|default|lo|rrs0' | head -n 1)
rrs_run 20 fwdw -s "$RUN/fw.sock" -c "$RUN/n.conf" -- sh "$RUN/fwdw.sh" "$RRCTL" "$RUN/fw.sock" \
	"${hostdev:-nosuchdev0}"
printf '%s\n' "0 0 0 0 0 1 " "1 0 " "1" "net.ipv6.conf.all.forwarding = 0" \
	"net.ipv4.ip_forward = 0" "0 0 " "tcp_fin_timeout refused" \
	"the host's device is not" "proc/net served after it" "route cache flushed" "rdwr read 1 True" \
	"rdwr now 0" >"$RUN/fwdw.want"
if [ "$RC" -eq 0 ] && cmp -s "$RUN/fwdw.want" "$RUN/fwdw.out"; then
	log "ok: sysctl -w, echo > and rrctl sysctl set the sandbox's forwarding; other sysctls stay the host's"
else
	bad "forwarding written inside: expected (status 0) $(tr '\n' '|' <"$RUN/fwdw.want")" fwdw.out fwdw.err
fi
if grep -q 'net.ipv6.conf.default.forwarding: not a number, left as it was' "$RUN/fwdw.err"; then
	log "ok: a bad value is ignored, and the supervisor says so"
else
	bad "echo bogus > .../ipv6/conf/default/forwarding: expected the supervisor's warning" fwdw.err
fi
if [ "$(cat /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv6/conf/all/forwarding)" = "$host_fwd" ]; then
	log "ok: the host's forwarding sysctls did not change"
else
	bad "the host's ip_forward / ipv6 all forwarding changed (was $host_fwd)"
fi

# Run as root (only here, and only writing the value the host has, so
# that a failure changes nothing), a sandboxed program still cannot write
# the host's network sysctls: the kernel would let root.
if [ "$(id -u)" -eq 0 ] && [ -w /proc/sys/net/ipv4/tcp_fin_timeout ]; then
	fin=$(cat /proc/sys/net/ipv4/tcp_fin_timeout)
	LAST_OUT=$RUN/rootw.out LAST_ERR=$RUN/rootw.err
	with_timeout 20 "$RRS" --no-control -c "$RUN/n.conf" -- sh -c \
		"echo $fin > /proc/sys/net/ipv4/tcp_fin_timeout && echo written
		python3 -c 'import os; os.open(\"/proc/sys/net/ipv4/tcp_fin_timeout\", os.O_RDWR)' 2>/dev/null && echo rdwr
		cd /proc/sys/net/ipv4 && { echo $fin > tcp_fin_timeout && echo relative; }" \
		>"$RUN/rootw.out" 2>"$RUN/rootw.err" || true
	if [ "$(grep -c 'Permission denied' "$RUN/rootw.err")" -eq 2 ] &&
		! grep -qE '^(written|rdwr|relative)$' "$RUN/rootw.out"; then
		log "ok: as root, the host's tcp_fin_timeout is refused (EACCES): O_WRONLY, O_RDWR, a relative path"
	else
		bad "as root: a write of the host's tcp_fin_timeout was not refused" rootw.out rootw.err
	fi
else
	printf 'SKIP-PART: %s: %s\n' "$SCENARIO" "not root: the root-only host sysctl check is not run" >&2
fi

# ----------------------------------------------------------- --no-proc-net
step "rrsandbox --no-proc-net: /proc/net/dev is the host's"
rrs_run 20 nopn --no-control --no-proc-net -c "$RUN/n.conf" -- cat /proc/net/dev
if [ "$RC" -ne 0 ]; then
	bad "rrsandbox --no-proc-net -- cat /proc/net/dev: expected status 0, got $RC" nopn.out nopn.err
else
	tail -n +3 "$RUN/nopn.out" | cut -d: -f1 | tr -d ' ' >"$RUN/nopn_names"
	if grep -qxF rrs0 "$RUN/nopn_names"; then
		bad "--no-proc-net: expected the host's /proc/net/dev, without the sandbox's rrs0" nopn.out
	else
		log "ok: --no-proc-net: the sandbox's rrs0 is not in /proc/net/dev"
	fi
	if [ -z "$host_others" ]; then
		printf 'SKIP-PART: %s: %s\n' "$SCENARIO" \
			"the host has no interface but lo: that --no-proc-net shows the host's interfaces is not checked" >&2
	else
		# names the host still has (another test may have removed one)
		tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' >"$RUN/host_names_now"
		missing=
		for n in $host_others; do
			grep -qxF -- "$n" "$RUN/host_names_now" || continue
			grep -qxF -- "$n" "$RUN/nopn_names" || missing="$missing $n"
		done
		if [ -n "$missing" ]; then
			bad "--no-proc-net: expected the host's interfaces ($host_others) in /proc/net/dev; missing:$missing" nopn.out
		else
			log "ok: --no-proc-net: /proc/net/dev lists the host's $host_others"
		fi
	fi
fi

checks_done
log "PASS"
