# SPDX-License-Identifier: MIT
# shellcheck shell=bash
#
# birdlib.sh - helpers for the scenarios that run Debian's BIRD (bird2)
# inside rrsandbox, sourced after lib.sh.  A "router" is one sandbox,
# `rrsandbox -s $RUN/NAME.rrs -c $RUN/NAME.net -- bird -f -c $RUN/NAME.bird
# -s $RUN/NAME.ctl`, run unprivileged in the background; birdc and rrctl
# reach it through those two AF_UNIX sockets from outside.
#
# RRS_WRAP, an array (empty unless the scenario sets it), goes before
# rrsandbox, birdc and rrctl, after unpriv: tests/container/bgp_profile.sh
# puts seccomp-exec and a container profile there, as `docker run` and
# `docker exec` would.

need bird birdc
stage_rrctl
declare -A ROUTER_PID=()
RRS_WRAP=()

# router_start() - start router NAME from $RUN/NAME.net and $RUN/NAME.bird
# @1: name
# @@: more rrsandbox options
router_start() {
	local n=$1
	shift
	rm -f "$RUN/$n.ctl" "$RUN/$n.rrs"
	log "start router $n"
	# shellcheck disable=SC2086
	bg unpriv "${RRS_WRAP[@]}" "$RRS" ${RRS_OPTS:-} -s "$RUN/$n.rrs" -c "$RUN/$n.net" "$@" -- \
		bird -f -c "$RUN/$n.bird" -s "$RUN/$n.ctl" \
		>"$RUN/$n.out" 2>"$RUN/$n.err"
	ROUTER_PID[$n]=$BG_PID
}

# router_alive() - fail unless router NAME's supervisor still runs
router_alive() {
	pid_alive "${ROUTER_PID[$1]}" ||
		{ LAST_OUT=$RUN/$1.out LAST_ERR=$RUN/$1.err; fail "router $1 exited"; }
}

# bird_pid() - BIRD's pid in a router started by router_start (the
# supervisor's child)
# @1: the supervisor's pid
bird_pid() {
	pgrep -P "$1" -x bird | head -n 1
}

# bc() - birdc to router NAME, bounded; prints its output
# @1: name
# @@: birdc command words
bc() {
	local n=$1
	shift
	with_timeout 10 unpriv "${RRS_WRAP[@]}" birdc -s "$RUN/$n.ctl" "$@"
}

# rc_() - rrctl to router NAME, bounded; prints its output
rc_() {
	local n=$1
	shift
	with_timeout 10 unpriv "${RRS_WRAP[@]}" "$RRCTL" -s "$RUN/$n.rrs" "$@"
}

# bird_bgp_pair() - BIRD's eBGP protocols p4 and p6 of router ME (1 or
# 2) to its peer on 10.0.1.0/24 and fd00:1::/64, with the short timers of
# the soak (hold 3 s, keepalive 1 s, a second between tries), debugging
# states and events, every route both ways
# @1: me  @2: peer  @3: AS  @4: peer AS  @5: more words for both (optional)
bird_bgp_pair() {
	local f l nb
	for f in 4 6; do
		if [ $f = 4 ]; then l=10.0.1.$1 nb=10.0.1.$2; else l=fd00:1::$1 nb=fd00:1::$2; fi
		cat <<EOF
protocol bgp p$f {
	local $l as $3; neighbor $nb as $4; ${5:-}
	hold time 3; keepalive time 1; connect retry time 1;
	connect delay time 1; error wait time 1, 2;
	debug { states, events };
	ipv$f { import all; export all; };
}
EOF
	done
}

# want_routes() - wait up to 10 s until router NAME's table (rrctl show
# routes) has each prefix as a route of BIRD's; fail naming the missing
# @1: name
# @@: prefixes
want_routes() {
	local n=$1 p i miss=
	shift
	for ((i = 0; i < 50; i++)); do
		rc_ "$n" show routes >"$RUN/$n.routes" 2>&1 || true
		miss=
		for p in "$@"; do
			grep -q "^$p .*proto bird" "$RUN/$n.routes" || miss="$miss $p"
		done
		[ -z "$miss" ] && return 0
		sleep 0.2
	done
	LAST_OUT=$RUN/$n.routes LAST_ERR=
	fail "routes missing from $n's table:$miss"
}

# routers_stop() - stop routers with SIGTERM; fail unless each exits 0
# within 15 s
# @@: names
routers_stop() {
	local r rc
	step "routers stop cleanly on SIGTERM"
	for r in "$@"; do kill -TERM "${ROUTER_PID[$r]}"; done
	for r in "$@"; do
		rc=0
		wait_pid 15 "${ROUTER_PID[$r]}" || rc=$?
		[ "$rc" -eq 0 ] || { LAST_OUT=$RUN/$r.out LAST_ERR=$RUN/$r.err; fail "router $r exited with $rc"; }
	done
}

# proto_state() - print BIRD's state info of protocol PROTO on NAME
# (Established, Active, Connect, ...), or nothing
proto_state() {
	bc "$1" show protocols "$2" 2>/dev/null |
		awk -v p="$2" '$1 == p { print $6 }'
}

# wait_state() - wait until PROTO on NAME shows STATE
# @1: name  @2: protocol  @3: state  @4: seconds
# Return: 0 when reached, 1 on timeout
wait_state() {
	local i
	for ((i = 0; i < $4 * 5; i++)); do
		[ "$(proto_state "$1" "$2")" = "$3" ] && return 0
		sleep 0.2
	done
	return 1
}

# since() - "NAME TIME" of each BGP session p4/p6 on router @1: when it
# last changed state (the "since" column of birdc show protocols)
since() {
	bc "$1" show protocols 2>/dev/null | awk '$1 ~ /^p[46]$/ { print $1, $5 }'
}

# same_since() - whether two since() outputs name the same state changes
# @1, @2: the files; @3: how many sessions each must list (default: any
# number but 0, the same in both)
# BIRD turns its monotonic time into wall-clock time at each call, so one
# change may read a few ms apart from one call to the next (seen:
# 18:35:45.646, then .645; 1 to 4 ms on a loaded machine); a drop moves
# it by more than a second (error wait time 1 s, then connect delay 1 s:
# bird_conf_head).  500 ms of slack.
same_since() {
	awk -v want="${3:-0}" '
	     function ms(t,  a) { split(t, a, ":"); return (a[1] * 3600 + a[2] * 60 + a[3]) * 1000 }
	     NR == FNR { t[$1] = $2; n++; next }
	     { m++; if (!($1 in t)) bad = 1; else { d = ms($2) - ms(t[$1]); if (d < -500 || d > 500) bad = 1 } }
	     END { exit (bad || n != m || n == 0 || (want && n != want)) }' "$1" "$2"
}

# wait_ctl() - wait until BIRD on NAME answers birdc
wait_ctl() {
	local i
	for ((i = 0; i < 100; i++)); do
		bc "$1" show status >/dev/null 2>&1 && return 0
		router_alive "$1"
		sleep 0.1
	done
	fail "BIRD in router $1 never opened its control socket"
}

# show_router() - log what a router's BIRD and supervisor said
show_router() {
	local n=$1
	log "---- router $n: birdc show protocols"
	bc "$n" show protocols 2>&1 | sed 's/^/    /' >&2 || true
	log "---- router $n: BIRD's log (last lines, protocol switching left out)"
	grep -v 'abling protocol' "$RUN/$n.log" 2>/dev/null | tail -n 30 |
		sed 's/^/    /' >&2 || true
	log "---- router $n: supervisor's stderr"
	tail -n 15 "$RUN/$n.err" 2>/dev/null | sed 's/^/    /' >&2 || true
}

# bird_conf_head() - the common start of a test BIRD config
# @1: name (log file $RUN/NAME.log)  @2: router id
bird_conf_head() {
	cat <<EOF
log "$RUN/$1.log" all;
router id $2;
protocol device { scan time 2; }
protocol direct { ipv4; ipv6; }
protocol kernel k4 { ipv4 { export all; }; scan time 2; }
protocol kernel k6 { ipv6 { export all; }; scan time 2; }
EOF
}

# Routers run router.sh: BIRD in the background, ended by TERM or INT with
# status 0; router_exec runs snippets beside it in the same sandbox
# (`rrctl exec`), so that ping and ip see the routes that BIRD installed.
inner_script router.sh <<'INNER'
#!/bin/sh
# router.sh NAME: BIRD until TERM or INT
n=$1
bird -f -c "$n.bird" -s "$n.ctl" &
bird=$!
trap 'kill $bird 2>/dev/null; exit 0' TERM INT
wait $bird
INNER

# router_start_sh() - like router_start, with router.sh as the program:
# BIRD in the background, from $RUN, ended by TERM or INT with status 0
router_start_sh() {
	local n=$1
	shift
	rm -f "$RUN/$n.ctl" "$RUN/$n.rrs" "$RUN/$n.job"*
	log "start router $n (BIRD under router.sh)"
	# shellcheck disable=SC2086
	bg unpriv "${RRS_WRAP[@]}" "$RRS" ${RRS_OPTS:-} -s "$RUN/$n.rrs" -c "$RUN/$n.net" "$@" -- \
		sh "$RUN/router.sh" "$n" >"$RUN/$n.out" 2>"$RUN/$n.err"
	ROUTER_PID[$n]=$BG_PID
}

# router_exec() - run a shell snippet inside router NAME's sandbox, with
# `rrctl exec sh -c SNIPPET` from $RUN (as RRS_WRAP says: under a seccomp
# profile in bgp_profile.sh)
# @1: name  @2: seconds  @3: the snippet
# Return: its status (124 on timeout); its output (stdout and stderr) is
# in $RUN/NAME.job.out
router_exec() {
	local n=$1 secs=$2 rc=0
	router_alive "$n"
	(cd "$RUN" && with_timeout "$secs" unpriv "${RRS_WRAP[@]}" "$RRCTL" \
		-s "$RUN/$n.rrs" exec sh -c "$3" >"$RUN/$n.job.out" 2>&1) || rc=$?
	# shellcheck disable=SC2034 # shown by lib.sh's fail()
	LAST_OUT=$RUN/$n.job.out LAST_ERR=
	return "$rc"
}
