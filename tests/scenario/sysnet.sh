#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# sysnet.sh - /sys/class/net and /sys/devices/virtual/net list the
# sandbox's devices and their files hold the sandbox's values
# (netstack/sysnet.c), as in a network namespace with the same devices.
# A sandbox with lo, rrs9 and eth0 (in that order: the indexes of a veth
# pair eth0 - rrs9 made in a new namespace): `ls /sys/class/net` lists
# eth0, lo and rrs9 and none of the host's other devices, each a link to
# ../../devices/virtual/net/DEV; `ls`, `ls -l` (modes), `find`, `readlink`,
# `realpath` (through "..": access()), `test -r`, `-w`, `-x`, `cat` of the attributes (flags 0x1003, type 1, mtu, ...) of
# lo and eth0, `cat /sys/class/net/*/mtu`, a working directory in
# /sys/class/net and python3 through a directory fd; ENOENT for a device
# the sandbox lacks, EACCES for a write; after `ip link set eth0 mtu
# 1400`, `... alias`, `... down` and renaming rrs9 the files follow.  In
# the sandbox: eth0/address is what `ip link` shows, the mtu 1400,
# operstate down; the supervisor's copy is gone after the run, and one
# a supervisor killed with SIGKILL left is removed by the next.  As root,
# the same script in a network namespace holding lo (up) and the veth
# pair (uid 65534 where it matters): every output must be the same but
# eth0's address (random on both).  What differs by design (iflink, the
# veth's peer) is not compared; the carrier counts are, after the down
# and up too, and speed and duplex (a link device has a veth's link
# settings: 10000 full while up, EINVAL while down; lo: EINVAL).
#
#   rrsandbox -c sn.conf -- sh sn.sh sb      netns rrs-sn-PID (root)
#   +----------------------------------+     +---------------------------+
#   | lo, rrs9 (link), eth0 (link)     |     | lo, eth0 - rrs9 (veth)    |
#   | ls, cat, find, readlink, ip link |     | sh sn.sh ns               |
#   +----------------------------------+     +---------------------------+
#        sb.* files  <-- compared -->  ns.* files

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need find ls readlink realpath ip "$PY"

# a device of the host's that the sandbox lacks, if there is one
host_dev_other

cat >"$RUN/sn.conf" <<EOF
link add rrs9 type link local $RUN/c.link remote $RUN/d.link
link add eth0 type link local $RUN/a.link remote $RUN/b.link
EOF
chmod 644 "$RUN/sn.conf"

# sn.sh KIND HOSTDEV: what KIND (sb: the sandbox, ns: the namespace, as
# root: $SNU runs a command as a user there) sees
inner_script sn.sh <<'EOF'
#!/bin/sh
k=$1 hd=$2
cd "$(dirname "$0")" || exit 1
C=/sys/class/net
# vals DEV FILE...: "DEV/FILE: value" or the error
vals() {
	d=$1; shift
	for f in "$@"; do
		printf '%s/%s: %s\n' "$d" "$f" "$(cat "$C/$d/$f" 2>&1 |
			sed 's|^cat: .*: ||' | tr '\n' '|')"
	done
}
V="addr_len broadcast carrier dev_id dev_port dormant flags ifalias
ifindex link_mode mtu netdev_group operstate proto_down testing
tx_queue_len type uevent addr_assign_type name_assign_type threaded
gro_flush_timeout napi_defer_hard_irqs power/control power/runtime_status
power/runtime_active_time queues/rx-0/rps_flow_cnt queues/tx-0/tx_maxrate
statistics/rx_errors statistics/collisions nosuch statistics/nosuch
carrier_changes carrier_up_count carrier_down_count speed duplex"
{
	ls $C
	ls -l $C | awk 'NR > 1 { print $1, $(NF-2), $(NF-1), $NF }'
	ls /sys/devices/virtual/net
	ls $C/eth0/ $C/eth0/statistics $C/eth0/queues $C/eth0/queues/tx-0 \
		$C/eth0/power /sys/devices/virtual/net/lo/queues/rx-0
	ls -l $C/eth0/ $C/lo/statistics | awk 'NF > 2 { print $1, $9, $10, $11 }'
	readlink $C/eth0 $C/lo $C/eth0/subsystem /sys/devices/virtual/net/lo/subsystem
	realpath $C/eth0 $C/lo/ $C/eth0/subsystem/lo $C/eth0/statistics/rx_bytes \
		$C/rrs9/.. $C/rrs9/../lo/mtu
	stat -c '%n %a %F' $C $C/eth0 $C/eth0/ $C/eth0/mtu $C/eth0/statistics \
		$C/eth0/subsystem
	stat -c '%n %s' $C/eth0/mtu $C/lo/statistics/rx_bytes
	cat $C/*/mtu
	(cd $C && ls && cat eth0/type lo/type)
	cat $C/nosuch/mtu $C/eth0 2>&1
	ls $C/eth0/nosuch 2>&1
	[ "$hd" = - ] || ls $C/"$hd" 2>&1 | sed "s/$hd/HOSTDEV/"
	[ "$hd" = - ] || cat $C/"$hd"/mtu 2>&1 | sed "s/$hd/HOSTDEV/"
	$SNU sh -c "echo 1400 >$C/eth0/mtu; touch $C/newdev $C/nosuch/x; echo 1 >>$C/eth0/nosuch; cat $C/eth0/mtu" 2>&1
	# access(): test -r, -w, -x (faccessat2)
	$SNU sh -c "for p in $C/rrs9/mtu $C/rrs9 $C/rrs9/statistics/rx_bytes \
		$C/rrs9/nosuch /proc/sys/net/ipv4/conf/rrs9/forwarding; do
		[ -r \$p ] && echo \$p r; [ -w \$p ] && echo \$p w; [ -x \$p ] && echo \$p x
		[ -e \$p ] || echo \$p absent; done" 2>&1
} >$k.ls 2>&1
find $C/eth0/ /sys/devices/virtual/net/lo 2>&1 | sort >$k.find
find -L $C -maxdepth 2 2>&1 | sort >$k.findL
vals lo $V >$k.v1
vals eth0 $V >>$k.v1
cat $C/eth0/address >$k.addr 2>&1
$SNU python3 sn.py $k >$k.py 2>&1
ip link set eth0 mtu 1400
ip link set eth0 alias "the uplink"
vals eth0 mtu ifalias >$k.v2
ip link set eth0 down
vals eth0 operstate carrier flags dormant testing speed duplex >>$k.v2
ip link set rrs9 name rrs8
{ ls $C /sys/devices/virtual/net; readlink $C/rrs8; cat $C/rrs9/mtu; } >>$k.v2 2>&1
vals rrs8 mtu uevent >>$k.v2
ip link set eth0 up
# Linux's linkwatch sets operstate a moment after (under load, a namespace
# read lowerlayerdown at once); the sandbox's is set by the call
i=0
while [ "$(cat $C/eth0/operstate)" = lowerlayerdown ] && [ $i -lt 30 ]; do
	sleep 0.1
	i=$((i + 1))
done
vals eth0 operstate flags carrier_changes carrier_up_count carrier_down_count >>$k.v2
if [ "$k" = sb ]; then
	ip link show eth0 >sb.iplink 2>&1
	cat /sys/class/net/eth0/statistics/tx_packets >sb.tx 2>&1
fi
EOF

# sn.py: a directory fd, lookups relative to it, xattrs
inner_script sn.py <<'EOF'
#!/usr/bin/python3
import errno, os, stat, sys

fd = os.open("/sys/class/net", os.O_RDONLY | os.O_DIRECTORY)
print("listdir", " ".join(sorted(os.listdir(fd))))
print("readlink eth0 by the dir fd:", os.readlink("eth0", dir_fd=fd))
f = os.open("eth0/type", os.O_RDONLY, dir_fd=fd)
print("eth0/type by the dir fd:", os.read(f, 64).decode().strip())
os.close(f)
st = os.stat("eth0", dir_fd=fd)
print("eth0 by the dir fd: dir", stat.S_ISDIR(st.st_mode))
st = os.lstat("/sys/class/net/lo")
print("lo by path: link", stat.S_ISLNK(st.st_mode))
d = os.open("/sys/class/net/lo/statistics", os.O_RDONLY | os.O_DIRECTORY)
f = os.open("rx_errors", os.O_RDONLY, dir_fd=d)
print("rx_errors by the dir fd:", os.read(f, 64).decode().strip())
for p in ("/sys/class/net/eth0", "/sys/class/net/eth0/mtu"):
    for n in ("security.selinux", "system.posix_acl_access"):
        for follow in (True, False):
            try:
                os.getxattr(p, n, follow_symlinks=follow)
                print(p, n, follow, "ok")
            except OSError as e:
                print(p, n, follow, errno.errorcode[e.errno])
    print(p, "listxattr", os.listxattr(p, follow_symlinks=False))
try:
    os.open("/sys/class/net/eth0/mtu", os.O_WRONLY)
except OSError as e:
    print("open mtu O_WRONLY:", errno.errorcode[e.errno])
with open(sys.argv[1] + ".copy", "w") as c:
    c.write(os.readlink("/proc/self/fd/%d" % fd) + "\n")
EOF

# ------------------------------------------------------------- the sandbox
rrs_run 60 sb -c "$RUN/sn.conf" -- sh "$RUN/sn.sh" sb "$host_dev"
expect_rc 0 "the sandbox's script"

[ "$(head -n 3 "$RUN/sb.ls" | tr '\n' ' ')" = "eth0 lo rrs9 " ] ||
	bad "ls /sys/class/net: expected 'eth0 lo rrs9'" sb.ls
grep -qx 'lrwxrwxrwx eth0 -> ../../devices/virtual/net/eth0' "$RUN/sb.ls" ||
	bad "ls -l /sys/class/net: eth0 -> ../../devices/virtual/net/eth0" sb.ls
grep -qx 'eth0/flags: 0x1003|' "$RUN/sb.v1" &&
	grep -qx 'eth0/type: 1|' "$RUN/sb.v1" &&
	grep -qx 'lo/type: 772|' "$RUN/sb.v1" &&
	grep -qx 'eth0/mtu: 1500|' "$RUN/sb.v1" &&
	grep -qx 'lo/mtu: 65536|' "$RUN/sb.v1" &&
	grep -qx 'eth0/operstate: up|' "$RUN/sb.v1" &&
	grep -qx 'eth0/ifindex: 3|' "$RUN/sb.v1" ||
	bad "eth0's and lo's values" sb.v1
mac=$(awk '/link\/ether/ { print $2 }' "$RUN/sb.iplink")
[ -n "$mac" ] && [ "$(cat "$RUN/sb.addr")" = "$mac" ] ||
	bad "eth0/address: expected ip link's '$mac'" sb.addr sb.iplink
grep -qx 'eth0/mtu: 1400|' "$RUN/sb.v2" &&
	grep -qx 'eth0/ifalias: the uplink|' "$RUN/sb.v2" &&
	grep -qx 'eth0/operstate: down|' "$RUN/sb.v2" &&
	grep -qx 'eth0/carrier: Invalid argument|' "$RUN/sb.v2" &&
	grep -qx 'eth0/flags: 0x1002|' "$RUN/sb.v2" &&
	grep -qx 'rrs8/uevent: INTERFACE=rrs8|IFINDEX=2|' "$RUN/sb.v2" &&
	grep -q 'rrs9/mtu: No such file or directory' "$RUN/sb.v2" ||
	bad "after ip link set eth0 mtu 1400, alias, down and rrs9 renamed" sb.v2
grep -Eqx '[0-9]+' "$RUN/sb.tx" || bad "statistics/tx_packets" sb.tx
grep -q 'Permission denied' "$RUN/sb.ls" || bad "a write: EACCES" sb.ls
if [ "$host_dev" != - ]; then
	grep -q "HOSTDEV/mtu: No such file or directory" "$RUN/sb.ls" ||
		bad "$host_dev (the host's only): ENOENT" sb.ls
fi
grep -qx 'listdir eth0 lo rrs9' "$RUN/sb.py" &&
	grep -qx 'eth0/type by the dir fd: 1' "$RUN/sb.py" &&
	grep -qx 'open mtu O_WRONLY: EACCES' "$RUN/sb.py" ||
	bad "python3 through a directory fd" sb.py

if [ -s "$RUN/sb.copy" ]; then
	copy=$(head -n 1 "$RUN/sb.copy")
	case $copy in
	/sys/*) bad "the directory fd is sysfs's, not the sandbox's copy" sb.copy ;;
	*) [ ! -e "${copy%/sys/class/net}" ] ||
		bad "the copy ${copy%/sys/class/net} is left after the run" ;;
	esac
else
	bad "sn.py did not say where the copy is" sb.py
fi

# -------------------------------------- a copy left by a killed supervisor
step "a supervisor killed with SIGKILL leaves its copy; the next one removes it"
bg unpriv "$RRS" --no-control -- sh -c \
	'echo $$ >"$1"; ls /sys/class/net >/dev/null; echo up; exec sleep 60' \
	sh "$RUN/killed.pid" >"$RUN/killed.out" 2>&1 </dev/null
K=$BG_PID
wait_file 10 "$RUN/killed.out" || bad "the first supervisor did not start" killed.out
left=
for d in /dev/shm /tmp; do
	for f in "$d"/rrsandbox-sys."$K".*; do
		[ -d "$f" ] && left=$f
	done
done
kill -KILL "$K"
wait_pid 10 "$K" || true
kill -KILL "$(cat "$RUN/killed.pid")" 2>/dev/null || true
if [ -z "$left" ]; then
	bad "no rrsandbox-sys.$K.* folder in /dev/shm or /tmp while it ran"
else
	rrs_run 30 sweep --no-control -- ls /sys/class/net
	expect_rc 0 "the next supervisor"
	[ ! -e "$left" ] || bad "$left is still there after the next supervisor's run"
fi

# ---------------------------------------------------- against a namespace
if [ "$(id -u)" -ne 0 ]; then
	log "not root: no network namespace to compare with"
else
	NS=rrs-sn-$$
	if ! ip netns add "$NS" 2>/dev/null; then
		log "ip netns add refused: no comparison"
	else
		trap 'rc=$?; ip netns del "$NS" 2>/dev/null || true; set +e; (exit $rc); cleanup' EXIT
		ip -n "$NS" link add eth0 type veth peer name rrs9 ||
			fail "cannot create a veth pair in $NS"
		ip -n "$NS" link set lo up
		ip -n "$NS" link set rrs9 up
		ip -n "$NS" link set eth0 up
		with_timeout 60 ip netns exec "$NS" env PATH="$UNPRIV_PATH" \
			SNU="setpriv --reuid=$UNPRIV_ID --regid=$UNPRIV_ID --clear-groups --inh-caps=-all --bounding-set=-all" \
			sh "$RUN/sn.sh" ns "$host_dev" >"$RUN/ns.out" 2>&1 ||
			bad "the script in the namespace failed" ns.out
		ip netns del "$NS"
		for f in ls find findL v1 v2 py; do
			diff "$RUN/ns.$f" "$RUN/sb.$f" >"$RUN/diff.$f" ||
				bad "$f differs from the namespace's (< namespace, > sandbox)" "diff.$f"
		done
		log "namespace and sandbox compared: $(cat "$RUN"/sb.{ls,find,findL,v1,v2,py} | wc -l) lines"
	fi
fi

checks_done
log "PASS"
