#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# ospf.sh - OSPFv2 and OSPFv3 between three sandboxed BIRDs on one shared
# segment: raw IP protocol 89, multicast 224.0.0.5/6 and ff02::5/6 through
# IGMP/MLD joins, a DR and a BDR elected, every adjacency Full, each
# router's stub prefix installed by BIRD's kernel protocol (seen with
# `ip route` inside the sandbox) and reached with ping over it.
#
#        A (prio 1)            B (prio 2)            C (prio 3)
#     stub0 10.1.1.1/24     stub0 10.1.2.1/24     stub0 10.1.3.1/24
#           fd01:1::1/64          fd01:2::1/64          fd01:3::1/64
#     eth0 10.0.0.1         eth0 10.0.0.2         eth0 10.0.0.3
#          fd00::1               fd00::2               fd00::3
#       |                     |                     |
#   ====+=====================+=====================+====  one `link` with
#                 10.0.0.0/24, fd00::/64                   two remotes each
#
# stub0 is a link whose far end never exists (a stub network: frames to
# it are dropped).  Timers: hello 1 s, dead 4 s, wait 2 s.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need bird birdc ip ping

# A copy without /usr/bin/ping's file capabilities (relink.sh says why).
stage_ping

ids=(1 2 3)
name=(x A B C)
for i in "${ids[@]}"; do
	remotes=
	for j in "${ids[@]}"; do
		[ "$j" = "$i" ] || remotes="$remotes remote $RUN/seg$j.link"
	done
	cat >"$RUN/net$i.conf" <<EOF
link add eth0 type link local $RUN/seg$i.link$remotes
link add stub0 type link local $RUN/stub$i.link remote $RUN/nowhere$i.link
addr add 10.0.0.$i/24 dev eth0
addr add fd00::$i/64 dev eth0
addr add 10.1.$i.1/24 dev stub0
addr add fd01:$i::1/64 dev stub0
EOF
	cat >"$RUN/bird$i.conf" <<EOF
log stderr all;
router id 10.0.0.$i;
protocol device { scan time 10; }
protocol kernel k4 { ipv4 { export all; }; }
protocol kernel k6 { ipv6 { export all; }; }
protocol ospf v2 o4 {
	ipv4 { import all; export none; };
	area 0 {
		interface "eth0" { hello 1; dead 4; wait 2; priority $i; };
		interface "stub0" { stub; };
	};
}
protocol ospf v3 o6 {
	ipv6 { import all; export none; };
	area 0 {
		interface "eth0" { hello 1; dead 4; wait 2; priority $i; };
		interface "stub0" { stub; };
	};
}
EOF
done

# Runs in each sandbox: BIRD, then, once the kernel table has the other
# two stubs (IPv4 and IPv6), `ip route` and pings to them; BIRD keeps
# running until the host says stop.
inner_script r.sh <<EOF
#!/bin/sh
me=\$1; o1=\$2; o2=\$3
bird -f -c bird\$me.conf -s $RUN/bird\$me.ctl 2>bird\$me.log &
have() { ip -4 route | grep -q "^10.1.\$1.0/24 via 10.0.0.\$1 dev eth0 proto bird" &&
	ip -6 route | grep -q "^fd01:\$1::/64 via fe80::.* dev eth0 proto bird"; }
i=0
until have \$o1 && have \$o2; do
	i=\$((i + 1)); [ \$i -lt 600 ] || { echo timeout >done\$me; exit 10; }
	sleep 0.1
done
ip -4 route >route4.\$me; ip -6 route >route6.\$me
r=0
for o in \$o1 \$o2; do
	$WORK/bin/ping -c2 -i0.3 -W2 10.1.\$o.1 >ping4.\$me.\$o 2>&1 || r=11
	$WORK/bin/ping -6 -c2 -i0.3 -W2 fd01:\$o::1 >ping6.\$me.\$o 2>&1 || r=12
done
echo \$r >done\$me
while [ ! -e stop ]; do sleep 0.2; done
exit \$r
EOF

step "three BIRDs on one segment"
start=$SECONDS
pids=()
for i in "${ids[@]}"; do
	others=()
	for j in "${ids[@]}"; do [ "$j" = "$i" ] || others+=("$j"); done
	bg unpriv "$RRS" --no-control -c "$RUN/net$i.conf" -- sh "$RUN/r.sh" "$i" "${others[@]}" \
		>"$RUN/s$i.out" 2>"$RUN/s$i.err" </dev/null
	pids+=("$BG_PID")
done
for i in "${ids[@]}"; do
	LAST_OUT=$RUN/bird$i.log LAST_ERR=$RUN/s$i.err
	wait_file 60 "$RUN/done$i" || fail "${name[$i]}: no routes to the other stubs within 60 s"
	[ "$(cat "$RUN/done$i")" = 0 ] || fail "${name[$i]}: step failed ($(cat "$RUN/done$i"))"
done
log "converged and pinged in $((SECONDS - start)) s"

step "adjacencies, DR and BDR (birdc)"
# Priorities make C the DR and B the BDR when the three start together;
# one that starts after the election does not preempt it (RFC 2328
# 9.4), so what is asserted is one DR and one BDR, the same for all.
for p in o4 o6; do
	drs='' bdrs=''
	for i in "${ids[@]}"; do
		with_timeout 10 unpriv birdc -s "$RUN/bird$i.ctl" show ospf neighbors $p \
			>"$RUN/nbr$i.$p" 2>&1 || fail "${name[$i]}: birdc show ospf neighbors $p"
		with_timeout 10 unpriv birdc -s "$RUN/bird$i.ctl" show ospf interface $p \
			>"$RUN/if$i.$p" 2>&1 || fail "${name[$i]}: birdc show ospf interface $p"
		LAST_OUT=$RUN/nbr$i.$p LAST_ERR=
		# with three routers every pair has the DR or the BDR in it
		[ "$(grep -c $'\tFull/' "$RUN/nbr$i.$p")" = 2 ] ||
			fail "${name[$i]} $p: not two neighbors in state Full"
		LAST_OUT=$RUN/if$i.$p
		dr=$(sed -n 's/^.*Designated router (ID): //p' "$RUN/if$i.$p" | head -1)
		bdr=$(sed -n 's/^.*Backup designated router (ID): //p' "$RUN/if$i.$p" | head -1)
		if [ -z "$dr" ] || [ -z "$bdr" ] || [ "$dr" = 0.0.0.0 ] ||
			[ "$bdr" = 0.0.0.0 ] || [ "$dr" = "$bdr" ]; then
			fail "${name[$i]} $p: no distinct DR and BDR on eth0 ('$dr', '$bdr')"
		fi
		drs="$drs $dr" bdrs="$bdrs $bdr"
	done
	if [ "$(echo "$drs" | tr ' ' '\n' | sort -u | grep -c .)" != 1 ] ||
		[ "$(echo "$bdrs" | tr ' ' '\n' | sort -u | grep -c .)" != 1 ]; then
		fail "$p: the routers disagree on DR ($drs) or BDR ($bdrs)"
	fi
	log "ok: $p: every adjacency Full; DR $dr, BDR $bdr, agreed by all three"
done

step "kernel routes (ip route inside) and pings"
for i in "${ids[@]}"; do
	for o in "${ids[@]}"; do
		[ "$o" != "$i" ] || continue
		LAST_OUT=$RUN/route4.$i
		grep -q "^10.1.$o.0/24 via 10.0.0.$o dev eth0 proto bird" "$RUN/route4.$i" ||
			fail "${name[$i]}: no IPv4 route to ${name[$o]}'s stub"
		LAST_OUT=$RUN/ping4.$i.$o
		grep -q ' 0% packet loss' "$RUN/ping4.$i.$o" || fail "${name[$i]}: ping 10.1.$o.1 lost packets"
		LAST_OUT=$RUN/ping6.$i.$o
		grep -q ' 0% packet loss' "$RUN/ping6.$i.$o" || fail "${name[$i]}: ping fd01:$o::1 lost packets"
	done
done
log "ok: $(grep -c proto "$RUN/route4.1") IPv4 and $(grep -c 'proto bird' "$RUN/route6.1") IPv6 BIRD routes in A, every stub pinged"
cat "$RUN/route4.1" >&2
touch "$RUN/stop"
for p in "${pids[@]}"; do
	rc=0
	wait_pid 20 "$p" || rc=$?
	[ "$rc" -eq 0 ] || fail "a sandbox exited with status $rc"
done
log "PASS in $((SECONDS - start)) s"
