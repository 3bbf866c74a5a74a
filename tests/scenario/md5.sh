#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# md5.sh - TCP MD5 signatures (RFC 2385, TCP_MD5SIG) between rrsandbox's
# lwIP and Linux's own implementation, so each side checks the other's
# signatures: python3 sockets with TCP_MD5SIG both ways over IPv4 and
# IPv6 (256 KiB each way, sha256-exact); a wrong key, a missing key and an
# unexpected signature each refused and counted on the side that refused
# it (Linux's nstat TcpExtTCPMD5*, rrsandbox's SIGUSR1 md5_* counters);
# then a sandboxed BIRD with `password` peering with a BIRD on the host
# kernel: Established, a route learned each way; with a wrong password it
# never establishes and rrsandbox's md5_failure rises.
#
#   rrsandbox -c sb.conf (uid 65534)       netns rrs-md5-PID (root, Linux TCP)
#   +----------------------------+         +-----------------------------+
#   | eth0 (link)                | sb.link | tap0 10.0.0.2/24 fd00::2/64 |
#   |  10.0.0.1/24 fd00::1/64    |<=======>|   relay.py (TAP <-> AF_UNIX |
#   | md5peer.py / bird -f       | ns.link |   datagrams, one per frame) |
#   |  AS 65001, 192.0.2.0/24    |         | md5peer.py / bird -f        |
#   +----------------------------+         |  AS 65002, 198.51.100.0/24  |
#                                          +-----------------------------+
#
# Needs root for the namespace side, /dev/net/tun, python3, bird and birdc
# (Debian's bird2); skips with 77 and the reason otherwise.  BGP sessions
# are multihop: single-hop BGP binds to the device (SO_BINDTODEVICE).

# The sh -c scripts below take their arguments as $0, $1...
# shellcheck disable=SC2016

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need ip nstat

[ "$(id -u)" -eq 0 ] || skip "the Linux side needs root (ip netns add, a TAP device)"
[ -c /dev/net/tun ] || skip "no /dev/net/tun: cannot create the namespace's TAP device"
NS=rrs-md5-$$
ip netns add "$NS" 2>/dev/null || skip "ip netns add refused: no network namespaces here"
# set +e first: under errexit, `(exit $rc)` with rc != 0 would end the
# trap before cleanup() killed the relay and the BIRDs.
trap 'rc=$?; set +e; ip netns del "$NS" 2>/dev/null; (exit $rc); cleanup' EXIT
nsx() { ip netns exec "$NS" "$@"; }
nsx sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 ||
	skip "no IPv6 sysctls in the namespace"
ip -n "$NS" link set lo up

# relay.py NAME LOCAL REMOTE: frames of TAP device NAME go to the AF_UNIX
# datagram path REMOTE (the sandbox's link), datagrams to LOCAL become frames.
cat >"$WORK/relay.py" <<'EOF'
import errno, fcntl, os, select, socket, struct, sys

name, local, remote = sys.argv[1:4]
TUNSETIFF, IFF_TAP, IFF_NO_PI = 0x400454CA, 0x0002, 0x1000
tap = os.open("/dev/net/tun", os.O_RDWR)
fcntl.ioctl(tap, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TAP | IFF_NO_PI))
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(local)
os.chmod(local, 0o666)      # the sandbox runs as another user
print("ready", flush=True)
while True:
    r, _, _ = select.select([tap, s], [], [])
    if tap in r:
        frame = os.read(tap, 65536)
        try:
            s.sendto(frame, remote)
        except OSError as e:    # sandbox not up, or its queue full: lost
            if e.errno not in (errno.ENOENT, errno.ECONNREFUSED, errno.EAGAIN):
                raise
    if s in r:
        os.write(tap, s.recv(65536))
EOF

# md5peer.py listen|connect ADDR PORT PEER KEY SECS: TCP_MD5SIG for PEER
# ("-" for none), then 256 KiB each way; prints "ok N", exits 2 on timeout.
inner_script md5peer.py <<'EOF'
import hashlib, socket, struct, sys, time

TCP_MD5SIG = 14


def md5sig(addr, key):
    """struct tcp_md5sig (linux/tcp.h) for one peer address."""
    if ":" in addr:
        sa = struct.pack("=HHI16sI", socket.AF_INET6, 0, 0,
                         socket.inet_pton(socket.AF_INET6, addr), 0)
    else:
        sa = struct.pack("=HH4s", socket.AF_INET, 0, socket.inet_aton(addr))
    return (sa.ljust(128, b"\0") + struct.pack("=BBHi", 0, 0, len(key), 0)
            + key.ljust(80, b"\0"))


mode, addr, port, peer, key, secs = sys.argv[1:7]
fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
s = socket.socket(fam, socket.SOCK_STREAM)
if key != "-":
    s.setsockopt(socket.IPPROTO_TCP, TCP_MD5SIG, md5sig(peer, key.encode()))
s.settimeout(float(secs))
data = bytes(range(256)) * 1024
try:
    if mode == "listen":
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((addr, int(port)))
        s.listen()
        with open("listening", "w") as f:
            f.write("1\n")
        c, _ = s.accept()
        c.settimeout(float(secs))
    else:
        s.connect((addr, int(port)))
        c = s
    c.sendall(data)
    c.shutdown(socket.SHUT_WR)
    got = b""
    while True:
        b = c.recv(65536)
        if not b:
            break
        got += b
    if hashlib.sha256(got).digest() != hashlib.sha256(data).digest():
        sys.exit(f"bad data: {len(got)} bytes")
    print("ok", len(got), flush=True)
    # rrsandbox ends with its program, and what lwIP had not sent yet
    # (the rest of our data, our FIN) with it: let it drain first.
    time.sleep(1)
except socket.timeout:
    print("timeout", flush=True)
    sys.exit(2)
EOF
cp "$RUN/md5peer.py" "$WORK/md5peer.py"

bg ip netns exec "$NS" sh -c 'log=$0; exec "$@" >"$log" 2>&1' "$WORK/relay.log" \
	"$PY" "$WORK/relay.py" tap0 "$RUN/ns.link" "$RUN/sb.link"
RELAY=$BG_PID
for _ in $(seq 50); do ip -n "$NS" link show tap0 >/dev/null 2>&1 && break; sleep 0.1; done
ip -n "$NS" link show tap0 >/dev/null 2>&1 || fail "relay.py made no tap0"
ip -n "$NS" addr add 10.0.0.2/24 dev tap0
ip -n "$NS" addr add fd00::2/64 dev tap0 nodad
ip -n "$NS" link set tap0 up

cat >"$RUN/sb.conf" <<EOF
link add eth0 type link local $RUN/sb.link remote $RUN/ns.link
addr add 10.0.0.1/24 dev eth0
addr add fd00::1/64 dev eth0
EOF

# bg_rrs ERRFILE ARGS...: rrsandbox ARGS in the background as the
# unprivileged user, its stderr (stats lines) in ERRFILE; sets BG_PID
bg_rrs() {
	local err=$1
	shift
	bg unpriv sh -c 'exec "$@" 2>"$0"' "$err" "$RRS" "$@"
}

# Linux's TcpExt counter NAME in the namespace
linux_count() {
	nsx nstat -az "$1" | awk -v n="$1" '$1 == n { print $2 }'
}

# counter NAME ERRFILE: rrsandbox's md5_NAME from its last stats line
counter() {
	grep '^rrsandbox: stats:' "$2" | tail -n 1 | tr ' ' '\n' |
		sed -n "s/^md5_$1=//p"
}

# stats PID ERRFILE: ask rrsandbox PID for its stats line, wait for it
stats() {
	local before
	before=$(grep -c '^rrsandbox: stats:' "$2" || true)
	kill -USR1 "$1"
	for _ in $(seq 50); do
		[ "$(grep -c '^rrsandbox: stats:' "$2" || true)" -gt "$before" ] && return 0
		sleep 0.1
	done
	fail "no stats line from rrsandbox after SIGUSR1"
}

step "IPv4: the sandbox connects, Linux listens, both keyed"
rm -f "$WORK/listening"
bg ip netns exec "$NS" sh -c "cd $WORK && exec $PY md5peer.py listen 10.0.0.2 1179 10.0.0.1 s3cret 15 >lin.out 2>&1"
LPID=$BG_PID
wait_file 10 "$WORK/listening" || fail "Linux listener did not start"
rrs_run 30 c4 -c sb.conf -- "$PY" md5peer.py connect 10.0.0.2 1179 10.0.0.2 s3cret 15
expect_rc 0 "keyed connect to Linux"
grep -q '^ok 262144$' "$RUN/c4.out" || fail "sandbox side did not get 256 KiB back"
wait_pid 20 "$LPID" || fail "Linux listener: $(cat "$WORK/lin.out")"
grep -q '^ok 262144$' "$WORK/lin.out" || fail "Linux side: $(cat "$WORK/lin.out")"

step "IPv6: Linux connects, the sandbox listens, both keyed"
rm -f "$RUN/listening"
bg_rrs "$RUN/l6.err" -c "$RUN/sb.conf" -- "$PY" md5peer.py listen fd00::1 1179 fd00::2 s3cret 15
SPID=$BG_PID
wait_file 10 "$RUN/listening" || fail "sandbox listener did not start"
nsx sh -c "cd $WORK && exec $PY md5peer.py connect fd00::1 1179 fd00::1 s3cret 15" >"$WORK/lin6.out" 2>&1 ||
	fail "Linux keyed connect over IPv6: $(cat "$WORK/lin6.out")"
grep -q '^ok 262144$' "$WORK/lin6.out" || fail "Linux side: $(cat "$WORK/lin6.out")"
wait_pid 20 "$SPID" || fail "sandbox listener exited with $?"

step "wrong key: Linux drops the sandbox's SYNs (TCPMD5Failure)"
f0=$(linux_count TcpExtTCPMD5Failure)
rm -f "$WORK/listening"
bg ip netns exec "$NS" sh -c "cd $WORK && exec $PY md5peer.py listen 10.0.0.2 1180 10.0.0.1 s3cret 8 >lin.out 2>&1"
LPID=$BG_PID
wait_file 10 "$WORK/listening" || fail "Linux listener did not start"
rrs_run 20 cw -c sb.conf -- "$PY" md5peer.py connect 10.0.0.2 1180 10.0.0.2 wrong 4
expect_rc 2 "connect with a wrong key"
f1=$(linux_count TcpExtTCPMD5Failure)
log "Linux TcpExtTCPMD5Failure $f0 -> $f1"
[ "$f1" -gt "$f0" ] || fail "Linux counted no MD5 failure"
wait_pid 20 "$LPID" || true

# refused SIDE_KEY LINUX_KEY COUNTER: Linux connects to a sandbox listener;
# the connection must fail and rrsandbox's md5_COUNTER rise (others not)
refused() {
	local c
	rm -f "$RUN/listening"
	bg_rrs "$RUN/listener.err" -c "$RUN/sb.conf" -- "$PY" md5peer.py listen 10.0.0.1 1181 10.0.0.2 "$1" 12
	SPID=$BG_PID
	wait_file 10 "$RUN/listening" || fail "sandbox listener did not start"
	if nsx sh -c "cd $WORK && exec $PY md5peer.py connect 10.0.0.1 1181 10.0.0.1 $2 4" \
		>"$WORK/linw.out" 2>&1; then
		fail "Linux connected (sandbox key $1, Linux key $2)"
	fi
	grep -q '^timeout$' "$WORK/linw.out" || fail "Linux side: $(cat "$WORK/linw.out")"
	stats "$SPID" "$RUN/listener.err"
	for c in notfound unexpected failure; do
		v=$(counter "$c" "$RUN/listener.err")
		log "sandbox key $1, Linux key $2: md5_$c=$v"
		if [ "$c" = "$3" ]; then
			[ "${v:-0}" -gt 0 ] || fail "md5_$c did not rise"
		else
			[ "${v:-0}" -eq 0 ] || fail "md5_$c rose too"
		fi
	done
	kill -TERM "$SPID"
	wait_pid 10 "$SPID" || true
}
step "wrong key: the sandbox drops Linux's SYNs (md5_failure)"
refused s3cret wrong failure
step "no key on Linux: the sandbox drops unsigned SYNs (md5_notfound)"
refused s3cret - notfound
step "no key in the sandbox: it drops signed SYNs (md5_unexpected)"
refused - s3cret unexpected

# ---- BIRD ----
if ! command -v bird >/dev/null 2>&1 || ! command -v birdc >/dev/null 2>&1; then
	skip "bird/birdc (Debian's bird2) not installed: the BIRD half did not run"
fi

# bird_conf FILE ID AS PEER PEER_AS PREFIX PASSWORD
bird_conf() {
	cat >"$1" <<EOF
router id $2;
log stderr all;
protocol device { }
protocol static { ipv4; route $6 unreachable; }
protocol bgp peer {
  local $2 as $3;
  neighbor $4 as $5;
  multihop;
  password "$7";
  connect retry time 2;
  ipv4 { import all; export all; };
}
EOF
	chmod 644 "$1"
}
bird_conf "$RUN/sb.bird" 10.0.0.1 65001 10.0.0.2 65002 192.0.2.0/24 'md5 test'
bird_conf "$WORK/ns.bird" 10.0.0.2 65002 10.0.0.1 65001 198.51.100.0/24 'md5 test'

established() { # CTL: whether the session "peer" is Established
	birdc -s "$1" show protocols peer 2>/dev/null | grep -q Established
}

step "BIRD in the sandbox and BIRD on Linux, same password: Established"
bg ip netns exec "$NS" sh -c 'exec bird -f -c "$0" -s "$1" 2>>"$2"' \
	"$WORK/ns.bird" "$WORK/ns.ctl" "$WORK/nsbird.err"
NSBIRD=$BG_PID
bg_rrs "$RUN/sbbird.err" -c "$RUN/sb.conf" -- bird -f -c sb.bird -s "$RUN/sb.ctl"
SBBIRD=$BG_PID
ok=
for _ in $(seq 60); do
	if established "$WORK/ns.ctl" && established "$RUN/sb.ctl"; then ok=1; break; fi
	sleep 0.5
done
LAST_ERR=$RUN/sbbird.err
[ -n "$ok" ] || fail "BGP with MD5 did not establish: $(birdc -s "$WORK/ns.ctl" show protocols all peer 2>&1 | tail -n 20)"
for _ in $(seq 20); do
	birdc -s "$WORK/ns.ctl" show route 192.0.2.0/24 | grep -q 'from 10.0.0.1' &&
		birdc -s "$RUN/sb.ctl" show route 198.51.100.0/24 | grep -q 'from 10.0.0.2' && break
	sleep 0.5
done
grep -q 'from 10.0.0.1' <<<"$(birdc -s "$WORK/ns.ctl" show route 192.0.2.0/24)" ||
	fail "Linux's BIRD did not learn 192.0.2.0/24 from the sandbox"
grep -q 'from 10.0.0.2' <<<"$(birdc -s "$RUN/sb.ctl" show route 198.51.100.0/24)" ||
	fail "the sandbox's BIRD did not learn 198.51.100.0/24 from Linux"
log "routes exchanged both ways"

step "BIRD with a wrong password on Linux: never established, md5_failure rises"
kill -TERM "$NSBIRD"
wait_pid 10 "$NSBIRD" || true
bird_conf "$WORK/ns.bird" 10.0.0.2 65002 10.0.0.1 65001 198.51.100.0/24 'not the same'
lf0=$(linux_count TcpExtTCPMD5Failure)
stats "$SBBIRD" "$RUN/sbbird.err"
sf0=$(counter failure "$RUN/sbbird.err")
bg ip netns exec "$NS" sh -c 'exec bird -f -c "$0" -s "$1" 2>>"$2"' \
	"$WORK/ns.bird" "$WORK/ns.ctl" "$WORK/nsbird.err"
NSBIRD=$BG_PID
for _ in $(seq 24); do
	sleep 0.5
	established "$WORK/ns.ctl" && fail "Established with a wrong password (Linux side)"
	established "$RUN/sb.ctl" && fail "Established with a wrong password (sandbox side)"
done
stats "$SBBIRD" "$RUN/sbbird.err"
sf1=$(counter failure "$RUN/sbbird.err")
lf1=$(linux_count TcpExtTCPMD5Failure)
log "rrsandbox md5_failure $sf0 -> $sf1; Linux TcpExtTCPMD5Failure $lf0 -> $lf1"
[ "$sf1" -gt "$sf0" ] || fail "rrsandbox counted no MD5 failure"
[ "$lf1" -gt "$lf0" ] || fail "Linux counted no MD5 failure"
kill -TERM "$NSBIRD" "$SBBIRD" "$RELAY" 2>/dev/null || true
log "all checks passed"
