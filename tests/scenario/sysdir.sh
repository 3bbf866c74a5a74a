#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# sysdir.sh - the sysctl directories /proc/sys/net/ipv4|ipv6/conf and
# ipv4|ipv6/neigh list the sandbox's devices (netstack/procsys.c), as in
# a network namespace with the same devices.  A sandbox with lo, eth0 and
# rrs9 (no host has an rrs9): `ls` of conf lists all, default, eth0, lo
# and rrs9 and none of the host's other devices; conf/rrs9 lists
# devconf.c's files, `ls -l` with Linux's modes (mc_forwarding 0444,
# stable_secret 0600) and without an error; a host device the sandbox
# lacks is ENOENT; `sysctl -a` prints net.ipv4.conf.rrs9.* and
# net.ipv4.conf.eth0.* and no "unknown key" or other error for
# net.ipv4|ipv6.conf|neigh; `sysctl KEY` and `sysctl -w KEY=1` of rrs9
# work; `find`, `ls` in the directory as working directory, and python3
# through a directory fd (listdir, stat and open relative to it) see the
# same; bad pointers are EFAULT (a stat answered by the supervisor too);
# the supervisor's copy of the directories is gone after the run.  The
# neighbour parameters are the sandbox's own (netstack/neighparm.c):
# neigh/rrs9/* read a new namespace's values and take writes in Linux's
# units and ranges (nw.sh: a value written in milliseconds read back in
# seconds, jiffies or packets; refused writes change nothing), and
# neigh/default/ is absent.  As root, the same scripts in a network
# namespace holding lo and a veth pair eth0 - rrs9 (nw.sh as root, the
# only one there who may write): the directory listings, `find`'s, `ls
# -l`'s modes, the set of net.ipv4|ipv6.conf|neigh keys `sysctl -a`
# prints, the net.ipv4|ipv6.neigh keys with their values, what python3
# saw and what nw.sh read must be the same.
#
#   rrsandbox -c sd.conf -- sh sd.sh sb      netns rrs-sd-PID (root)
#   +----------------------------------+     +---------------------------+
#   | lo, eth0 (link), rrs9 (link)     |     | lo, eth0 - rrs9 (veth)    |
#   | ls, ls -l, sysctl -a, find,      |     | sh sd.sh ns (as uid 65534)|
#   | sd.py: a dir fd, stats, EFAULT   |     +---------------------------+
#   +----------------------------------+
#        sb.* files  <-- compared -->  ns.* files

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need sysctl find ls ip "$PY"


# a device of the host's that the sandbox lacks, if there is one
host_dev_other

cat >"$RUN/sd.conf" <<EOF
link add eth0 type link local $RUN/a.link remote $RUN/b.link
link add rrs9 type link local $RUN/c.link remote $RUN/d.link
EOF
chmod 644 "$RUN/sd.conf"

# sd.sh KIND HOSTDEV: what KIND (sb: the sandbox, ns: the namespace) sees
inner_script sd.sh <<'EOF'
#!/bin/sh
k=$1
ls /proc/sys/net/ipv4/conf >$k.ls4 2>&1
ls /proc/sys/net/ipv6/conf >$k.ls6 2>&1
ls /proc/sys/net/ipv4/neigh >$k.lsn4 2>&1
ls /proc/sys/net/ipv6/neigh >$k.lsn6 2>&1
ls /proc/sys/net/ipv4/conf/rrs9 /proc/sys/net/ipv6/conf/rrs9 >$k.lsdev 2>&1
ls -l /proc/sys/net/ipv4/conf/rrs9 /proc/sys/net/ipv6/conf/rrs9 \
	/proc/sys/net/ipv4/neigh/rrs9 >$k.lsl 2>$k.lsl.err
sysctl -a >$k.sysctl 2>$k.sysctl.err
find /proc/sys/net/ipv4/conf /proc/sys/net/ipv6/conf \
	/proc/sys/net/ipv4/neigh /proc/sys/net/ipv6/neigh >$k.find 2>&1
(cd /proc/sys/net/ipv6/conf && ls) >$k.cwd 2>&1
sysctl net.ipv4.conf.rrs9.accept_local net.ipv6.conf.rrs9.mtu >$k.one 2>&1
python3 sd.py $k >$k.py 2>&1
if [ "$k" = sb ]; then
	sysctl -w net.ipv4.conf.rrs9.forwarding=0 >sb.w 2>&1
	cat /proc/sys/net/ipv4/conf/rrs9/forwarding >>sb.w 2>&1
	cat /proc/sys/net/ipv4/neigh/rrs9/mcast_solicit >sb.neigh 2>&1
	cat /proc/sys/net/ipv4/neigh/default/gc_thresh1 \
		/proc/sys/net/ipv6/neigh/default/retrans_time >sb.ndflt 2>&1
	echo "rc=$?" >>sb.ndflt
	if [ "$2" != - ]; then
		ls /proc/sys/net/ipv4/conf/"$2" >sb.hostdev 2>&1
		echo "rc=$?" >>sb.hostdev
	fi
fi
EOF

# nw.sh KIND: neigh/rrs9/ written (sysctl -w, and plain writes, some of
# which Linux refuses: 2>/dev/null, as the sandbox's cannot fail) and read
# back in the other units
inner_script nw.sh <<'EOF'
#!/bin/sh
k=$1
n4=net.ipv4.neigh.rrs9
n6=net.ipv6.neigh.rrs9
{
sysctl -w $n4.base_reachable_time_ms=1001 $n4.retrans_time=33 \
	$n4.unres_qlen=5 $n6.retrans_time_ms=333 $n6.base_reachable_time=7 \
	$n4.locktime=77 $n6.delay_first_probe_time=2 $n6.anycast_delay=1 \
	$n4.interval_probe_time_ms=1 $n6.unres_qlen_bytes=2089 $n4.mcast_resolicit=0x10
sysctl $n4.base_reachable_time $n4.base_reachable_time_ms $n4.retrans_time \
	$n4.retrans_time_ms $n4.unres_qlen_bytes $n4.unres_qlen $n6.retrans_time \
	$n6.retrans_time_ms $n6.base_reachable_time_ms $n4.locktime \
	$n6.delay_first_probe_time $n6.anycast_delay $n4.interval_probe_time_ms \
	$n6.unres_qlen $n4.mcast_resolicit
d=/proc/sys/net/ipv4/neigh/rrs9
echo -1 >$d/mcast_solicit
echo 0 >$d/interval_probe_time_ms
echo 9000000 >$d/base_reachable_time
echo 1027505 >$d/unres_qlen
echo 2147483648 >$d/retrans_time_ms
echo abc >$d/ucast_solicit
echo 8589934 >/proc/sys/net/ipv6/neigh/rrs9/gc_stale_time
} >$k.nw 2>/dev/null
sysctl -a 2>/dev/null | grep -E '^net\.ipv[46]\.neigh\.' >>$k.nw
# IPv6 gone with a small MTU and back: its neigh/rrs9 goes, then comes
# back with a namespace's values, listed first by `ip ntable` (newest)
{
ip link set rrs9 mtu 1200
ls /proc/sys/net/ipv6/neigh
ip ntable change name ndisc_cache dev rrs9 queue 3
echo "rc=$?"
ip link set rrs9 mtu 1500
ip -6 ntable show | grep dev
sysctl net.ipv6.neigh.rrs9.retrans_time_ms net.ipv6.neigh.rrs9.base_reachable_time_ms
} >>$k.nw 2>&1
EOF

# sd.py KIND: a directory fd, lookups relative to it and by path, bad
# pointers; the sandbox's copy's folder into KIND.copy
inner_script sd.py <<'EOF'
#!/usr/bin/python3
import ctypes, errno, os, stat, sys

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
AT_FDCWD = -100
NR_NEWFSTATAT, NR_STATX, NR_READLINK = 262, 332, 89


def err(r):
    return "ok" if r >= 0 else errno.errorcode[ctypes.get_errno()]


def sys_(*a):
    return err(libc.syscall(*[ctypes.c_long(x) if isinstance(x, int) else x
                              for x in a]))


fd = os.open("/proc/sys/net/ipv4/conf", os.O_RDONLY | os.O_DIRECTORY)
print("listdir", " ".join(sorted(os.listdir(fd))))
f = os.open("rrs9/accept_local", os.O_RDONLY, dir_fd=fd)
print("rrs9/accept_local by the dir fd:", os.read(f, 64).decode().strip())
os.close(f)
st = os.stat("rrs9", dir_fd=fd)
print("rrs9 by the dir fd: dir", stat.S_ISDIR(st.st_mode),
      "mode %o" % (st.st_mode & 0o7777))
st = os.stat("/proc/sys/net/ipv4/conf/rrs9/rp_filter")
print("rp_filter by path: reg", stat.S_ISREG(st.st_mode),
      "mode %o" % (st.st_mode & 0o7777))
st = os.lstat("/proc/sys/net/ipv6/conf/rrs9")
print("ipv6 rrs9 by path: dir", stat.S_ISDIR(st.st_mode))
for p in ("/proc/sys/net/ipv4/conf/rrs9", "/proc/sys/net/ipv4/conf/nosuch0"):
    try:
        os.readlink(p)
        print("readlink", p, "ok")
    except OSError as e:
        print("readlink", p, errno.errorcode[e.errno])
p = ctypes.c_char_p(b"/proc/sys/net/ipv4/conf/rrs9")
buf = ctypes.create_string_buffer(512)
print("newfstatat bad buffer:", sys_(NR_NEWFSTATAT, AT_FDCWD, p, 1, 0))
print("statx bad buffer:", sys_(NR_STATX, AT_FDCWD, p, 0, 0x7ff, 1))
print("newfstatat bad path:", sys_(NR_NEWFSTATAT, AT_FDCWD, 1, buf, 0))
print("readlink bad path:", sys_(NR_READLINK, 1, buf, 64))
print("newfstatat good:", sys_(NR_NEWFSTATAT, AT_FDCWD, p, buf, 0))
with open(sys.argv[1] + ".copy", "w") as c:
    c.write(os.readlink("/proc/self/fd/%d" % fd) + "\n")
EOF

# ------------------------------------------------------------- the sandbox
rrs_run 60 sb -c "$RUN/sd.conf" -- sh "$RUN/sd.sh" sb "$host_dev"
expect_rc 0 "the sandbox's script"

want="all default eth0 lo rrs9"
for f in sb.ls4 sb.ls6 sb.cwd; do
	[ "$(tr '\n' ' ' <"$RUN/$f")" = "$want " ] ||
		bad "$f: expected '$want'" "$f"
done
for f in sb.lsn4 sb.lsn6; do
	[ "$(tr '\n' ' ' <"$RUN/$f")" = "eth0 lo rrs9 " ] ||
		bad "$f: expected 'eth0 lo rrs9' (no default/ in a namespace)" "$f"
done
grep -qx forwarding "$RUN/sb.lsdev" && grep -qx disable_ipv6 "$RUN/sb.lsdev" &&
	grep -qx rp_filter "$RUN/sb.lsdev" ||
	bad "ls conf/rrs9: forwarding, rp_filter and disable_ipv6" sb.lsdev
[ ! -s "$RUN/sb.lsl.err" ] || bad "ls -l printed errors" sb.lsl.err
grep -Eq '^-r--r--r-- .* mc_forwarding$' "$RUN/sb.lsl" &&
	grep -Eq '^-rw------- .* stable_secret$' "$RUN/sb.lsl" &&
	grep -Eq '^-rw-r--r-- .* forwarding$' "$RUN/sb.lsl" &&
	grep -Eq '^-rw-r--r-- .* mcast_solicit$' "$RUN/sb.lsl" ||
	bad "ls -l: Linux's modes" sb.lsl
if grep -E 'unknown key|net\.ipv[46]\.(conf|neigh)\.' "$RUN/sb.sysctl.err" >"$RUN/sb.sysctl.bad"; then
	bad "sysctl -a: errors for the conf and neigh keys" sb.sysctl.bad
fi
for k in net.ipv4.conf.rrs9.forwarding net.ipv4.conf.eth0.forwarding \
	net.ipv6.conf.rrs9.disable_ipv6 net.ipv4.conf.all.forwarding \
	net.ipv4.neigh.rrs9.mcast_solicit; do
	grep -q "^$k = " "$RUN/sb.sysctl" || bad "sysctl -a: no $k" sb.sysctl.err
done
if [ "$host_dev" != - ] && grep -q "^net\.ipv4\.conf\.$host_dev\." "$RUN/sb.sysctl"; then
	bad "sysctl -a lists the host's $host_dev"
fi
grep -qx "net.ipv4.conf.rrs9.accept_local = 0" "$RUN/sb.one" &&
	grep -qx "net.ipv6.conf.rrs9.mtu = 1500" "$RUN/sb.one" ||
	bad "sysctl KEY of rrs9" sb.one
[ "$(tr '\n' ' ' <"$RUN/sb.w")" = "net.ipv4.conf.rrs9.forwarding = 0 0 " ] ||
	bad "sysctl -w net.ipv4.conf.rrs9.forwarding=0 (1 in a sandbox), read back" sb.w
grep -qx 3 "$RUN/sb.neigh" || bad "neigh/rrs9/mcast_solicit reads 3" sb.neigh
grep -qx 'rc=1' "$RUN/sb.ndflt" && [ "$(grep -c 'No such file' "$RUN/sb.ndflt")" -eq 2 ] ||
	bad "neigh/default/ (the host namespace's alone): ENOENT" sb.ndflt
# the values a namespace's devices start with (sysctl -a leaves out the
# deprecated base_reachable_time and retrans_time: nw.sh reads them)
for kv in "net.ipv4.neigh.rrs9.base_reachable_time_ms = 30000" \
	"net.ipv4.neigh.rrs9.retrans_time_ms = 1000" "net.ipv4.neigh.lo.locktime = 100" \
	"net.ipv6.neigh.eth0.locktime = 0" "net.ipv4.neigh.eth0.unres_qlen = 101" \
	"net.ipv6.neigh.rrs9.proxy_delay = 80"; do
	grep -qx "$kv" "$RUN/sb.sysctl" || bad "sysctl -a: not '$kv'" sb.sysctl
done
rrs_run 60 nw -c "$RUN/sd.conf" -- sh "$RUN/nw.sh" sb
expect_rc 0 "the sandbox's neigh writes"
for kv in "net.ipv4.neigh.rrs9.base_reachable_time = 1" \
	"net.ipv4.neigh.rrs9.unres_qlen_bytes = 10450" \
	"net.ipv4.neigh.rrs9.mcast_solicit = 3" "net.ipv4.neigh.rrs9.mcast_resolicit = 16"; do
	grep -qx "$kv" "$RUN/sb.nw" || bad "neigh writes: not '$kv'" sb.nw
done
if [ "$host_dev" != - ]; then
	grep -q 'No such file or directory' "$RUN/sb.hostdev" &&
		grep -qx 'rc=2' "$RUN/sb.hostdev" ||
		bad "ls conf/$host_dev (the host's only): ENOENT" sb.hostdev
fi
grep -qx 'rrs9/accept_local by the dir fd: 0' "$RUN/sb.py" &&
	grep -qx 'newfstatat bad buffer: EFAULT' "$RUN/sb.py" &&
	grep -qx 'statx bad buffer: EFAULT' "$RUN/sb.py" &&
	grep -qx 'newfstatat good: ok' "$RUN/sb.py" ||
	bad "python3 through a directory fd and by path" sb.py
if [ -s "$RUN/sb.copy" ]; then
	copy=$(head -n 1 "$RUN/sb.copy")
	case $copy in
	/proc/*) bad "the directory fd is procfs's, not the sandbox's copy" sb.copy ;;
	*) [ ! -e "${copy%/ipv4/conf}" ] || bad "the copy ${copy%/ipv4/conf} is left after the run" ;;
	esac
else
	bad "sd.py did not say where the copy is" sb.py
fi

# ---------------------------------------------------- against a namespace
if [ "$(id -u)" -ne 0 ]; then
	log "not root: no network namespace to compare with"
else
	NS=rrs-sd-$$
	if ! ip netns add "$NS" 2>/dev/null; then
		log "ip netns add refused: no comparison"
	else
		trap 'rc=$?; ip netns del "$NS" 2>/dev/null || true; set +e; (exit $rc); cleanup' EXIT
		ip -n "$NS" link add eth0 type veth peer name rrs9 ||
			fail "cannot create a veth pair in $NS"
		with_timeout 60 ip netns exec "$NS" "${UNPRIV_CMD[@]}" sh "$RUN/sd.sh" ns - \
			>"$RUN/ns.out" 2>&1 || bad "the script in the namespace failed" ns.out
		with_timeout 60 ip netns exec "$NS" sh "$RUN/nw.sh" ns \
			>"$RUN/ns.nwout" 2>&1 || bad "nw.sh in the namespace failed" ns.nwout
		ip netns del "$NS"
		for k in ns sb; do
			grep -E '^net\.ipv[46]\.neigh\.' "$RUN/$k.sysctl" >"$RUN/$k.nvals"
		done
		for f in ls4 ls6 lsn4 lsn6 lsdev cwd find py nvals nw; do
			diff "$RUN/ns.$f" "$RUN/sb.$f" >"$RUN/diff.$f" ||
				bad "$f differs from the namespace's (< namespace, > sandbox)" "diff.$f"
		done
		for k in ns sb; do
			awk 'NF > 2 { print $1, $NF } NF <= 2' "$RUN/$k.lsl" >"$RUN/$k.modes"
			grep -E '^net\.ipv[46]\.(conf|neigh)\.' "$RUN/$k.sysctl" |
				cut -d' ' -f1 | sort >"$RUN/$k.keys"
		done
		diff "$RUN/ns.modes" "$RUN/sb.modes" >"$RUN/diff.modes" ||
			bad "ls -l's modes differ from the namespace's" diff.modes
		diff "$RUN/ns.keys" "$RUN/sb.keys" >"$RUN/diff.keys" ||
			bad "sysctl -a's conf and neigh keys differ from the namespace's" diff.keys
		log "namespace and sandbox compared: $(wc -l <"$RUN/sb.keys") keys, $(wc -l <"$RUN/sb.find") paths, $(wc -l <"$RUN/sb.nvals") neigh values, $(wc -l <"$RUN/sb.nw") lines after neigh writes"
	fi
fi

checks_done
log "PASS"
