#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# bgp_soak.sh - two sandboxed BIRDs in eBGP over IPv4 and IPv6 with hold
# time 3 s and keepalive 1 s, while A flaps 200 routes (100 per family)
# every second for RRS_SOAK_SECS (default 180): zero session drops.
#
#   A (AS 65001) eth0 10.0.1.1 fd00:1::1  ===  B (AS 65002) eth0 10.0.1.2 fd00:1::2
#   static flap4/flap6: 100 routes each, disabled and enabled in turn
#
# A drop is any change of the sessions' "since" time in `birdc show
# protocols`, or a hold timer / connection error in either BIRD's log.
# B's kernel table is sampled along the way: the flapped routes must come
# and go there (the flap really reaches the kernel protocol).  The last
# line, "soak: ...", is what bench/bgp_soak.sh records.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/scenario/birdlib.sh
source "$RRS_SCENARIO_DIR/birdlib.sh"

SECS=${RRS_SOAK_SECS:-180}

for n in A B; do
	if [ $n = A ]; then me=1 peer=2 as=65001 pas=65002 loc=a rem=b
	else me=2 peer=1 as=65002 pas=65001 loc=b rem=a; fi
	cat >"$RUN/$n.net" <<EOF
link add eth0 type link local $RUN/$loc.link remote $RUN/$rem.link
addr add 10.0.1.$me/24 dev eth0
addr add fd00:1::$me/64 dev eth0
EOF
	{
		bird_conf_head $n 10.0.1.$me
		bird_bgp_pair $me $peer $as $pas
		if [ $n = A ]; then
			echo "protocol static flap4 { ipv4;"
			for ((i = 0; i < 100; i++)); do echo "	route 172.16.$i.0/24 blackhole;"; done
			echo "}"
			echo "protocol static flap6 { ipv6;"
			for ((i = 0; i < 100; i++)); do printf '\troute fd77:%x::/32 blackhole;\n' "$i"; done
			echo "}"
		fi
	} >"$RUN/$n.bird"
done
chmod 644 "$RUN"/*.net "$RUN"/*.bird

step "two BIRDs reach Established"
router_start A
router_start B
for r in A B; do wait_ctl "$r"; done
for rp in A:p4 A:p6 B:p4 B:p6; do
	wait_state "${rp%%:*}" "${rp#*:}" Established 15 ||
		{ show_router "${rp%%:*}"; fail "${rp#*:} on ${rp%%:*} not Established"; }
done
# Both sides connect at once: BIRD may settle the collision by closing
# and reopening a session in the first seconds.  The soak counts from
# when the sessions have stood still for 3 s (at most 30 s).
for ((i = 0; i < 10; i++)); do
	since A >"$RUN/A.since0"
	since B >"$RUN/B.since0"
	sleep 3
	since A >"$RUN/A.since1"
	since B >"$RUN/B.since1"
	same_since "$RUN/A.since0" "$RUN/A.since1" && same_since "$RUN/B.since0" "$RUN/B.since1" && break
	log "sessions still settling: $(tr '\n' ' ' <"$RUN/A.since1")"
done
bc A show protocols >"$RUN/A.protos0" 2>&1
# A collision's "Connection collision resolution" notification, logged
# while they settled, is not the soak's: any later one, or any other
# error, is.
declare -A log0
for r in A B; do
	log0[$r]=$(wc -l <"$RUN/$r.log")
done

step "flap 200 routes every second for $SECS s"
t_end=$(($(date +%s) + SECS))
flaps=0 seen_on=0 seen_off=0 last=
cpu0=$(awk '{ print $14 + $15 }' "/proc/${ROUTER_PID[A]}/stat")
cpu0b=$(awk '{ print $14 + $15 }' "/proc/${ROUTER_PID[B]}/stat")
rss0=$(awk '/^VmRSS:/ { print $2 }' "/proc/${ROUTER_PID[A]}/status")
rss0b=$(awk '/^VmRSS:/ { print $2 }' "/proc/${ROUTER_PID[B]}/status")
while [ "$(date +%s)" -lt "$t_end" ]; do
	if [ "$last" = off ]; then
		if ! bc A enable flap4 >/dev/null || ! bc A enable flap6 >/dev/null; then
			show_router A
			fail "birdc enable"
		fi
		last=on
	else
		if ! bc A disable flap4 >/dev/null || ! bc A disable flap6 >/dev/null; then
			show_router A
			fail "birdc disable"
		fi
		last=off
	fi
	flaps=$((flaps + 1))
	sleep 0.5
	# B's kernel table half a second after the change
	if rc_ B show routes 2>/dev/null | grep -q '^172.16.99.0/24 .*proto bird'; then
		seen_on=$((seen_on + 1))
	else
		seen_off=$((seen_off + 1))
	fi
	if [ $((flaps % 20)) -eq 0 ]; then
		for r in A B; do
			router_alive "$r"
			since "$r" >"$RUN/$r.since1"
			same_since "$RUN/$r.since0" "$RUN/$r.since1" ||
				{ show_router "$r"; fail "a session of $r dropped after $flaps flaps: $(tr '\n' ' ' <"$RUN/$r.since1")"; }
		done
	fi
	sleep 0.5
done
cpu1=$(awk '{ print $14 + $15 }' "/proc/${ROUTER_PID[A]}/stat")
cpu1b=$(awk '{ print $14 + $15 }' "/proc/${ROUTER_PID[B]}/stat")
rss1=$(awk '/^VmRSS:/ { print $2 }' "/proc/${ROUTER_PID[A]}/status")
rss1b=$(awk '/^VmRSS:/ { print $2 }' "/proc/${ROUTER_PID[B]}/status")

step "no session dropped"
for r in A B; do
	since "$r" >"$RUN/$r.since1"
	same_since "$RUN/$r.since0" "$RUN/$r.since1" ||
		{ show_router "$r"; fail "a session of $r dropped: was $(tr '\n' ' ' <"$RUN/$r.since0"), now $(tr '\n' ' ' <"$RUN/$r.since1")"; }
	for p in p4 p6; do
		[ "$(proto_state "$r" $p)" = Established ] || { show_router "$r"; fail "$p on $r not Established at the end"; }
	done
	if { head -n "${log0[$r]}" "$RUN/$r.log" | grep -v 'Connection collision resolution'
	     tail -n "+$((log0[$r] + 1))" "$RUN/$r.log"; } |
		grep -E '<(ERR|RMT)>|[Hh]old timer expired' >"$RUN/$r.errs"; then
		LAST_OUT=$RUN/$r.errs LAST_ERR=
		fail "BIRD on $r logged session errors"
	fi
done
if [ "$seen_on" -eq 0 ] || [ "$seen_off" -eq 0 ]; then
	fail "the flap did not show in B's table (present $seen_on times, absent $seen_off times)"
fi
tck=$(getconf CLK_TCK)
cpu_a=$(awk "BEGIN { printf \"%.1f\", 100 * ($cpu1 - $cpu0) / $tck / $SECS }")
cpu_b=$(awk "BEGIN { printf \"%.1f\", 100 * ($cpu1b - $cpu0b) / $tck / $SECS }")
log "soak: $SECS s, $flaps flaps of 200 routes, 0 session drops, B's table saw them present $seen_on and absent $seen_off times; supervisor CPU A $cpu_a %, B $cpu_b %"
echo "soak: $SECS s, $flaps flaps of 200 routes, 0 session drops (hold 3 s, keepalive 1 s); supervisor CPU A $cpu_a %, B $cpu_b % of one core; VmRSS A $rss0 -> $rss1 KiB, B $rss0b -> $rss1b KiB"
