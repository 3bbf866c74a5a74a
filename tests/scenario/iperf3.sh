#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# iperf3.sh - iperf3 server and client in one sandbox: TCP over 127.0.0.1
# and ::1, UDP at 50 Mbit/s over 127.0.0.1 and ::1, 2 s each, and TCP
# over 127.0.0.1 paced by --fq-rate 20M (SO_MAX_PACING_RATE, which keeps
# the connection in lwIP). Passes when every client exits 0 and its --json
# report shows bytes received, the paced one at 10 to 22 Mbit/s (unpaced,
# gigabits); the other rates are logged, not judged (bench/ does that).
#
#   rrsandbox -- sh iperf3.sh  (one sandbox, lwIP loopback)
#   +--------------------------------------------------------------+
#   |  iperf3 -s -1 -B 127.0.0.1 -p P1  <== control + TCP ==  iperf3 -c 127.0.0.1 -t 2
#   |  iperf3 -s -1 -B 127.0.0.1 -p P2  <== control + UDP ==  iperf3 -c ... -u -b 50M
#   |  iperf3 -s -1 -B ::1 -p P3        <== control + TCP ==  iperf3 -c ::1 -t 2
#   |  iperf3 -s -1 -B ::1 -p P4        <== control + UDP ==  iperf3 -c ::1 -u -b 50M
#   |  iperf3 -s -1 -B 127.0.0.1 -p P5  <== control + TCP ==  iperf3 -c ... --fq-rate 20M
#   +--------------------------------------------------------------+

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need iperf3

# iperf3 3.12 exits 0 with --json even when it could not connect: the
# report's "error" tells. Exit 0 ok, 2 refused (retry), 1 anything else.
inner_script iperf_check.py <<'EOF'
import json, sys
path, udp, paced = sys.argv[1], sys.argv[2] == "udp", sys.argv[2] == "paced"
try:
    rep = json.load(open(path))
except (OSError, ValueError) as e:
    print(f"{path}: no JSON report: {e}")
    sys.exit(1)
err = rep.get("error")
if err:
    print(f"{path}: error: {err}")
    sys.exit(2 if "refused" in err else 1)
end = rep["end"]
recv = end["sum_received"] if not udp else end.get("sum_received", end["sum"])
sent = end["sum_sent"]
if recv["bytes"] <= 0:
    print(f"{path}: no bytes received: {recv}")
    sys.exit(1)
extra = ""
if udp:
    extra = f", {recv.get('lost_packets', '?')} of {recv.get('packets', '?')} datagrams lost"
print(f"{path}: sent {sent['bytes']} B, received {recv['bytes']} B, "
      f"{recv['bits_per_second'] / 1e6:.1f} Mbit/s{extra}")
# 50 Mbit/s inside one sandbox loses next to nothing (the server, which
# reads with read(), once got its first 4096 datagrams only)
if udp and recv["bytes"] < 0.9 * sent["bytes"]:
    print(f"{path}: less than 90 % of what was sent arrived")
    sys.exit(1)
# --fq-rate 20M: Linux's own pacing gives 20.0 to 20.9 here
if paced and not 10e6 <= recv["bits_per_second"] <= 22e6:
    print(f"{path}: paced at 20 Mbit/s, but not 10 to 22")
    sys.exit(1)
EOF

inner_script iperf3.sh <<'EOF'
#!/bin/sh
# $1..$5: ports, $6: python. All five run; the exit status is 10 + the
# number of failed tests.
# Each test has its own port: re-listening on a port just closed is
# tcp_nc.sh's business, not this one's.
# run TAG ADDR PORT CLIENT-ARGS...: one server for one test, client retried
# while refused; $kind (tcp, udp or paced) tells the checker what to read
run() {
	tag=$1 addr=$2
	shift 2
	port=$1
	shift
	iperf3 -s -1 -B "$addr" -p "$port" >"$tag.srv" 2>&1 &
	s=$!
	i=0
	while :; do
		iperf3 -c "$addr" -p "$port" -t 2 --json "$@" >"$tag.json" 2>"$tag.err"
		rc=$?
		"$py" iperf_check.py "$tag.json" "$kind" >"$tag.sum"
		chk=$?
		[ $chk -eq 2 ] || break
		i=$((i + 1))
		[ $i -lt 100 ] || break
		sleep 0.1
	done
	cat "$tag.sum"
	[ "$chk" -eq 0 ] || sed "s/^/$tag server: /" "$tag.srv"
	# a server that never got its client would wait forever
	[ "$chk" -eq 0 ] || kill "$s" 2>/dev/null
	wait $s
	srv=$?
	[ "$rc" -eq 0 ] && [ "$chk" -eq 0 ] && [ "$srv" -eq 0 ]
}
py=$6
failed=0
kind=tcp; run tcp4 127.0.0.1 "$1" || failed=$((failed + 1))
kind=udp; run udp4 127.0.0.1 "$2" -u -b 50M || failed=$((failed + 1))
kind=tcp; run tcp6 ::1 "$3" || failed=$((failed + 1))
kind=udp; run udp6 ::1 "$4" -u -b 50M || failed=$((failed + 1))
kind=paced; run paced4 127.0.0.1 "$5" --fq-rate 20M || failed=$((failed + 1))
[ $failed -eq 0 ] || exit $((10 + failed))
EOF

ports=()
for _ in 1 2 3 4 5; do ports+=("$(free_port)"); done
step "iperf3 TCP and UDP, IPv4 and IPv6, paced TCP, ports ${ports[*]}"
rrs_run 100 iperf3 -- sh "$RUN/iperf3.sh" "${ports[@]}" "$PY"
for t in tcp4 udp4 tcp6 udp6 paced4; do
	[ -f "$RUN/$t.sum" ] && log "$(cat "$RUN/$t.sum")"
done
expect_rc 0 "rrsandbox -- sh iperf3.sh (status 10 + number of failed tests; see the lines above)"

log "PASS"
