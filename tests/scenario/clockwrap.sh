#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# clockwrap.sh - the supervisors ride through the wrap of lwIP's 32-bit
# millisecond clock.  sys_now() (netstack/lwip/sys_arch.c) is
# CLOCK_MONOTONIC in milliseconds truncated to 32 bits: it wraps every
# 49.7 days of host uptime, under lwIP's timers and its TCP timestamps
# (TSval = sys_now()).  Both supervisors run with tests/progs/clockshift.so
# preloaded, which moves their monotonic clocks so that sys_now() wraps
# WRAP_IN (15) s after each starts; it drops LD_PRELOAD at once, so BIRD
# and the rest of the sandboxed tree read the true clocks.
#
#   A (AS 65001)                          B (AS 65002, passive; pcap)
#   eth0 10.0.1.1/24 fd00:1::1/64  ====  eth0 10.0.1.2/24 fd00:1::2/64
#   eth1 192.168.1.1/24 fd99:1::1/64      eth1 192.168.2.1/24 fd99:2::1/64
#   (eth1: stubs with no peer, announced through `protocol direct`)
#   static late4/late6 on A: disabled until after the wrap
#
# eBGP on both families, hold time 3 s and keepalive 1 s; B is passive,
# so no connection collision makes a state change of its own.  Beside
# BGP, each side holds one idle TCP connection to the other with
# keepalive probes every second or so (TCP_KEEPIDLE 1): segments that
# only lwIP's TCP timer sends, so a timer stalled by the wrap shows.
#
# Checks: the four sessions Established, routes installed and pinged
# before either clock wraps; until AFTER (20) s after the later wrap no
# session changes state (the "since" of birdc show protocols) and neither
# BIRD logs a hold timer expiry or an error; a route enabled after the
# wrap reaches B's table; ping, ping -6 and 4 MiB of TCP (sha256) between
# the stubs along the BGP routes after the wrap; the supervisors use
# little CPU across it (no busy loop); both exit cleanly.  Then B's pcap
# (tcpdump) proves the wrap happened inside lwIP: in each direction of
# each BGP connection TSval goes from above 4294000000 to a small value,
# where the preloaded library said it would, and no TSval ever goes back
# (modulo 2^32); each side's keepalive probes go on across its wrap with
# no gap above 4 s; every segment but a reset carries the timestamp
# option (RFC 7323), keepalive probes included.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/scenario/birdlib.sh
source "$RRS_SCENARIO_DIR/birdlib.sh"

need tcpdump nc ping sha256sum ldd
stage_ping

WRAP_IN=15	# seconds from a supervisor's start to its sys_now() wrap
AFTER=20	# seconds watched after the later of the two wraps
KA_PORT=5002
XFER_PORT=5003

SHIM=$PROGS/clockshift.so
[ -f "$SHIM" ] || fail "clockshift.so not found in $PROGS (build it, or set RRS_PROGS)"
# Under AddressSanitizer its runtime must come first in the library list.
PRELOAD=$SHIM
asan=$(ldd "$RRS" 2>/dev/null | awk '/libasan/ { print $3; exit }')
[ -z "$asan" ] || PRELOAD=$asan:$SHIM

for n in A B; do
	if [ $n = A ]; then me=1 peer=2 as=65001 pas=65002 loc=a rem=b extra=
	else me=2 peer=1 as=65002 pas=65001 loc=b rem=a extra="passive on;"; fi
	cat >"$RUN/$n.net" <<EOF
link add eth0 type link local $RUN/$loc.link remote $RUN/$rem.link
addr add 10.0.1.$me/24 dev eth0
addr add fd00:1::$me/64 dev eth0
link add eth1 type link local $RUN/$loc-stub.link remote $RUN/nowhere-$loc.link
addr add 192.168.$me.1/24 dev eth1
addr add fd99:$me::1/64 dev eth1
EOF
	{
		bird_conf_head $n 10.0.1.$me
		bird_bgp_pair $me $peer $as $pas "$extra"
		if [ $n = A ]; then
			echo "protocol static late4 { disabled; ipv4; route 172.16.1.0/24 blackhole; }"
			echo "protocol static late6 { disabled; ipv6; route fd77:1::/32 blackhole; }"
		fi
	} >"$RUN/$n.bird"
done
chmod 644 "$RUN"/*.net "$RUN"/*.bird

# ka.py: one idle TCP connection; the connecting side asks for keepalive
# probes every second (lwIP's, from its TCP timer)
inner_script ka.py <<'EOF'
#!/usr/bin/python3
"""ka.py listen|connect ADDR PORT SECS"""
import socket
import sys
import time

mode, addr, port, secs = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
end = time.monotonic() + secs
if mode == "listen":
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(1)
    print("listening", flush=True)
    c, peer = ls.accept()
    print("accepted", peer, flush=True)
    c.settimeout(max(0.1, end - time.monotonic()))
    try:
        print("read", c.recv(1), flush=True)
    except socket.timeout:
        pass
    sys.exit(0)
for _ in range(50):
    try:
        s = socket.create_connection((addr, port), timeout=5)
        break
    except ConnectionRefusedError:
        time.sleep(0.1)
else:
    sys.exit("connection refused 50 times")
s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 5)
print("connected from port", s.getsockname()[1], flush=True)
time.sleep(max(0.0, end - time.monotonic()))
EOF

# now() - CLOCK_REALTIME in seconds, as the library and the pcap give it
now() {
	date +%s.%N
}

# rel() - seconds from time @1 to now, signed, one decimal
rel() {
	awk -v t="$1" -v n="$(now)" 'BEGIN { printf "%+.1f", n - t }'
}

# past() - whether time @1 (seconds, fractions allowed), plus @2 seconds
# if given, has come
past() {
	awk -v t="$1" -v d="${2:-0}" -v n="$(now)" 'BEGIN { exit !(n >= t + d) }'
}

# hms() - time @1 as BIRD logs it (local time, milliseconds)
hms() {
	date -d "@$1" +%T.%3N
}

# SHIM_AT: when router @1's supervisor's sys_now() wraps, from the line
# the library prints when it loads; fails unless it loaded
shim_wrap() {
	local i line=
	for ((i = 0; i < 50; i++)); do
		line=$(grep -m1 '^clockshift: ' "$RUN/$1.err" 2>/dev/null) && break
		router_alive "$1"
		sleep 0.1
	done
	[ -n "$line" ] || { LAST_OUT='' LAST_ERR=$RUN/$1.err
		fail "the clock shift is not loaded in $1's supervisor (no 'clockshift:' line on its stderr, LD_PRELOAD=$PRELOAD)"; }
	log "$1: $line"
	SHIM_AT=${line##* }
}


# cpu() - user + system clock ticks of pid @1
cpu() {
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}

step "two BIRDs under supervisors whose lwIP clock wraps $WRAP_IN s after they start"
mkdir "$RUN/pcap"
chmod 777 "$RUN/pcap"
RRS_WRAP=(env "LD_PRELOAD=$PRELOAD" "RRS_CLOCKSHIFT_WRAP_IN=$WRAP_IN")
router_start_sh A
router_start_sh B --pcap "$RUN/pcap"
RRS_WRAP=()
shim_wrap A
WA=$SHIM_AT
shim_wrap B
WB=$SHIM_AT
FIRST=$(awk -v a="$WA" -v b="$WB" 'BEGIN { printf "%.9f", (a < b ? a : b) }')
LAST=$(awk -v a="$WA" -v b="$WB" 'BEGIN { printf "%.9f", (a > b ? a : b) }')
log "sys_now() wraps at $(hms "$WA") in A, $(hms "$WB") in B"

step "the four sessions Established before the first wrap"
for r in A B; do wait_ctl "$r"; done
for rp in A:p4 A:p6 B:p4 B:p6; do
	wait_state "${rp%%:*}" "${rp#*:}" Established 10 ||
		{ show_router "${rp%%:*}"; fail "${rp#*:} on ${rp%%:*} not Established $(rel "$FIRST") s from the first wrap"; }
done
since A >"$RUN/A.since0"
since B >"$RUN/B.since0"
log "Established, $(rel "$FIRST") s from the first wrap: A $(tr '\n' ' ' <"$RUN/A.since0"), B $(tr '\n' ' ' <"$RUN/B.since0")"
past "$FIRST" -1 &&
	fail "the sessions came up only $(rel "$FIRST") s from the first wrap: too late to watch it (a loaded machine?)"

step "routes learnt, pings along them, keepalive connections open, before the wrap"
want_routes A 192.168.2.0/24 fd99:2::/64
want_routes B 192.168.1.0/24 fd99:1::/64
router_exec A 15 "! env | grep -q '^LD_PRELOAD=' &&
$PING -c 2 -i 0.2 -W 2 192.168.2.1 && $PING -6 -c 2 -i 0.2 -W 2 fd99:2::1" ||
	fail "ping from A to B's stubs before the wrap (or LD_PRELOAD reached the sandbox)"
for rp in A:10.0.1.1 B:10.0.1.2; do
	router_exec "${rp%%:*}" 10 "/usr/bin/python3 $RUN/ka.py listen ${rp#*:} $KA_PORT 90 \
>$RUN/${rp%%:*}.kal.out 2>&1 &" || fail "keepalive listener in ${rp%%:*}"
done
for rp in A:10.0.1.2 B:10.0.1.1; do
	wait_file 10 "$RUN/${rp%%:*}.kal.out" || fail "no keepalive listener in ${rp%%:*}"
	router_exec "${rp%%:*}" 10 "/usr/bin/python3 $RUN/ka.py connect ${rp#*:} $KA_PORT 90 \
>$RUN/${rp%%:*}.kac.out 2>&1 &" || fail "keepalive client in ${rp%%:*}"
done
for r in A B; do
	for ((i = 0; i < 50; i++)); do
		grep -q connected "$RUN/$r.kac.out" 2>/dev/null && break
		sleep 0.1
	done
	LAST_OUT=$RUN/$r.kac.out LAST_ERR=
	grep -q connected "$RUN/$r.kac.out" || fail "$r's keepalive connection did not open"
done
past "$FIRST" -5 && fail "the checks before the wrap ended $(rel "$FIRST") s from it, not 5 s before (a loaded machine?)"
log "ready $(rel "$FIRST") s from the first wrap"

step "across the wraps and $AFTER s beyond: no session changes state"
end=$(awk -v t="$LAST" -v a="$AFTER" 'BEGIN { printf "%.9f", t + a }')
cpu0a=$(cpu "${ROUTER_PID[A]}")
cpu0b=$(cpu "${ROUTER_PID[B]}")
t0=$(now)
late=
until past "$end"; do
	for r in A B; do
		router_alive "$r"
		since "$r" >"$RUN/$r.since1"
		same_since "$RUN/$r.since0" "$RUN/$r.since1" 2 || { show_router "$r"
			fail "a session of $r changed state $(rel "$WA") s from A's wrap, $(rel "$WB") s from B's (at $(hms "$WA") and $(hms "$WB")): was $(tr '\n' ' ' <"$RUN/$r.since0"), now $(tr '\n' ' ' <"$RUN/$r.since1")"; }
	done
	if [ -z "$late" ] && past "$LAST" 2; then
		{ bc A enable late4 >/dev/null && bc A enable late6 >/dev/null; } ||
			{ show_router A; fail "birdc enable late4/late6 on A"; }
		late=1
	fi
	sleep 1
done
cpu1a=$(cpu "${ROUTER_PID[A]}")
cpu1b=$(cpu "${ROUTER_PID[B]}")
t1=$(now)
for r in A B; do
	for p in p4 p6; do
		[ "$(proto_state "$r" $p)" = Established ] ||
			{ show_router "$r"; fail "$p on $r not Established $AFTER s after the wrap"; }
	done
	if grep -E '<(ERR|RMT)>|[Hh]old timer expired' "$RUN/$r.log" >"$RUN/$r.errs"; then
		LAST_OUT=$RUN/$r.errs LAST_ERR=
		fail "BIRD on $r logged session errors"
	fi
done
log "sessions unchanged: A $(tr '\n' ' ' <"$RUN/A.since1"), B $(tr '\n' ' ' <"$RUN/B.since1")"

step "after the wrap: a new route reaches B, the old ones stay"
want_routes B 172.16.1.0/24 fd77:1::/32 192.168.1.0/24 fd99:1::/64
want_routes A 192.168.2.0/24 fd99:2::/64

step "after the wrap: ping, ping -6 and 4 MiB of TCP between the stubs"
router_exec A 15 "$PING -c 3 -i 0.2 -W 2 192.168.2.1 && $PING -6 -c 3 -i 0.2 -W 2 fd99:2::1" ||
	fail "ping from A to B's stubs after the wrap"
head -c 4194304 /dev/urandom >"$RUN/xfer.bin"
chmod 644 "$RUN/xfer.bin"
router_exec A 10 "(nc -l 192.168.1.1 $XFER_PORT >$RUN/xfer.recv 2>$RUN/xfer.err; echo \$? >$RUN/xfer.rc) &" ||
	fail "nc listener in A"
router_exec B 30 "i=0
until nc -N 192.168.1.1 $XFER_PORT <$RUN/xfer.bin; do
	i=\$((i + 1)); [ \$i -lt 20 ] || exit 1; sleep 0.2
done" || fail "nc from B to A's stub 192.168.1.1 after the wrap"
wait_file 15 "$RUN/xfer.rc" || fail "A's nc did not finish"
LAST_OUT=$RUN/xfer.err LAST_ERR=
[ "$(cat "$RUN/xfer.rc")" = 0 ] || fail "A's nc exited with $(cat "$RUN/xfer.rc")"
[ "$(sha "$RUN/xfer.recv")" = "$(sha "$RUN/xfer.bin")" ] ||
	fail "4 MiB from B to A after the wrap: $(stat -c %s "$RUN/xfer.recv") bytes arrived, sha256 differs"

step "no busy loop across the wrap"
cpu_a=$(awk -v c0="$cpu0a" -v c1="$cpu1a" -v t0="$t0" -v t1="$t1" -v hz="$(getconf CLK_TCK)" \
	'BEGIN { printf "%.1f", 100 * (c1 - c0) / hz / (t1 - t0) }')
cpu_b=$(awk -v c0="$cpu0b" -v c1="$cpu1b" -v t0="$t0" -v t1="$t1" -v hz="$(getconf CLK_TCK)" \
	'BEGIN { printf "%.1f", 100 * (c1 - c0) / hz / (t1 - t0) }')
log "supervisor CPU across the wrap: A $cpu_a %, B $cpu_b % of one core"
for c in "A:$cpu_a" "B:$cpu_b"; do
	awk -v c="${c#*:}" 'BEGIN { exit !(c < 50) }' ||
		fail "${c%%:*}'s supervisor used ${c#*:} % of a core across the wrap (idle BGP takes about 1 %)"
done

routers_stop A B

step "B's pcap: lwIP's TCP timestamps wrapped, keepalive probes went on"
LAST_OUT=$RUN/tcp.txt LAST_ERR=
tcpdump -n -tt -r "$RUN/pcap/eth0.pcap" tcp >"$RUN/tcp.txt" 2>"$RUN/tcpdump.err" ||
	{ LAST_ERR=$RUN/tcpdump.err; fail "tcpdump -r $RUN/pcap/eth0.pcap"; }
LAST_OUT=$RUN/ts.txt
"$PY" - "$RUN/tcp.txt" "$WA" "$WB" "$AFTER" "$KA_PORT" >"$RUN/ts.txt" 2>&1 <<'EOF' ||
# Reads `tcpdump -n -tt` lines of TCP segments from the file named first:
#   1700000000.123456 IP 10.0.1.1.40000 > 10.0.1.2.179: Flags [P.], ...,
#   options [nop,nop,TS val 4294960000 ecr 4294959000], length 19: BGP
# Prints what it found; its last line says what is wrong when it fails.
import sys

wrap_at = {"A": float(sys.argv[2]), "B": float(sys.argv[3])}
after, ka_port = float(sys.argv[4]), sys.argv[5]
side = {"10.0.1.1": "A", "fd00:1::1": "A", "192.168.1.1": "A",
        "10.0.1.2": "B", "fd00:1::2": "B", "192.168.2.1": "B"}
BGP_HOSTS = ("10.0.1.1", "fd00:1::1", "10.0.1.2", "fd00:1::2")
HIGH, SMALL, HALF = 4294000000, 600000, 1 << 31
flows = {}      # (src, dst) -> [(time, tsval or None, flags, length)]
for line in open(sys.argv[1], encoding="ascii", errors="replace"):
    f = line.split()
    if len(f) < 7 or f[1] not in ("IP", "IP6") or f[5] != "Flags":
        continue
    ts = int(f[f.index("val") + 1]) if "val" in f else None
    length = f[f.index("length") + 1].rstrip(":") if "length" in f else "?"
    flows.setdefault((f[2], f[4].rstrip(":")), []).append(
        (float(f[0]), ts, f[6], length))
bad = []
wrapped = set()
for (src, dst), segs in sorted(flows.items()):
    host, sport = src.rsplit(".", 1)
    dport = dst.rsplit(".", 1)[1]
    who = side.get(host)
    if who is None:
        bad.append(f"segments from {src}, which is neither router")
        continue
    stamped = [(t, v) for t, v, _, _ in segs if v is not None]
    # RFC 7323 3.2: timestamps agreed, on every segment but resets
    # (lwIP left them off its keepalive and zero-window probes: patch 0037)
    bare = [(t, fl) for t, v, fl, _ in segs if v is None and "R" not in fl]
    if stamped and bare:
        bad.append(f"{src} > {dst}: {len(bare)} segments without the timestamp "
                   f"option, the first {bare[0][1]} at {bare[0][0]:.3f}")
    for (t0, v0), (t1, v1) in zip(stamped, stamped[1:]):
        if (v1 - v0) % (1 << 32) >= HALF:
            bad.append(f"{src} > {dst}: TSval went back from {v0} to {v1} at {t1:.3f}")
        if v0 >= HIGH and v1 < SMALL:
            # sys_now() was 0 v1 ms before t1: compare with the library's word
            skew = (t1 - v1 / 1000.0) - wrap_at[who]
            print(f"{who} {src} > {dst}: TSval {v0} -> {v1} at "
                  f"{t1 - wrap_at[who]:+.3f} s from {who}'s wrap (wrap seen {skew:+.3f} s off)")
            if abs(skew) > 1.0:
                bad.append(f"{src} > {dst}: TSval wrapped {skew:+.3f} s away from when {who}'s clock should")
            if "179" in (sport, dport):
                wrapped.add(host)
    if dport == ka_port:
        # the probing side's segments without data: its keepalive probes
        # from 5 s before the wrap (the connection is older) to the end
        # of the watch, the window's ends counting as probes for the gaps
        w = wrap_at[who]
        lo, hi = w - 5, w + after - 2
        ts = [t for t, _, fl, ln in segs if fl == "[.]," and ln == "0" and lo < t < hi]
        gaps = [b - a for a, b in zip([lo] + ts, ts + [hi])]
        before = sum(1 for t in ts if t < w)
        print(f"{who} {src} > {dst}: {before} keepalive probes in the 5 s before "
              f"{who}'s wrap, {len(ts) - before} in the {hi - w:.0f} s after, "
              f"largest gap {max(gaps):.2f} s")
        if before < 2 or len(ts) - before < 5 or max(gaps) > 4:
            bad.append(f"{src} > {dst}: {who}'s keepalive probes stalled across its wrap "
                       f"({before} before, {len(ts) - before} after, largest gap "
                       f"{max(gaps):.2f} s; lwIP's TCP timer)")
for host in BGP_HOSTS:
    if host not in wrapped:
        bad.append(f"no BGP segment from {host} ({side[host]}) shows its TSval wrapping "
                   f"from above {HIGH} to below {SMALL}: the clock shift did not reach lwIP")
if not flows:
    bad.append("no TCP segment in the pcap")
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
EOF
	fail "$(tail -n 1 "$RUN/ts.txt")"
sed 's/^/    /' "$RUN/ts.txt" >&2
log "PASS"
