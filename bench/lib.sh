# SPDX-License-Identifier: MIT
# shellcheck shell=bash
#
# lib.sh - shared helpers for the benchmarks, sourced by every
# bench/<figure>.sh. It finds rrsandbox ($RRSANDBOX, else build/cli/) and
# the timing helper trap_rt (build/bench/, else compiled by hand into a
# cache under /tmp), gives each script a work dir, keeps the script's
# stdout for its one result line (everything else goes to stderr), starts
# background programs and ends them by pid on exit, and runs commands
# behind slirp4netns for the baselines. It knows nothing of rrsandbox's
# internals: only its command line and its SIGUSR1 stats line.
#
# Exit status of a benchmark: 0 when it measured (whether or not the
# target was met), 1 when the measurement itself broke (a program missing
# or failing, a number that could not be read).
#
# Environment: BENCH_SECONDS (length of timed network runs, default 10),
# BENCH_ROUNDS (alternating sandbox/native rounds of the syscall loops,
# default 5), BENCH_THRU_ROUNDS (alternating rounds of the uplink and
# published-port iperf3 runs, default 3), RRSANDBOX, BENCH_BUILD (the
# CMake build dir, default build/), TRAP_RT (a built helper),
# BENCH_KEEP=1 keeps the work dir.

BENCH_PY=/usr/bin/python3
BENCH_SECONDS=${BENCH_SECONDS:-10}
BENCH_ROUNDS=${BENCH_ROUNDS:-5}
BENCH_THRU_ROUNDS=${BENCH_THRU_ROUNDS:-3}
BENCH_NAME=$(basename "${BASH_SOURCE[1]:-$0}" .sh)
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_REPO=$(cd "$BENCH_DIR/.." && pwd)
BENCH_BUILD=${BENCH_BUILD:-$BENCH_REPO/build}
BENCH_PIDS=()
BENCH_NETNS=()
WORK=
# slirp_run()'s knobs are set by a script for one call, never inherited
unset SLIRP_MTU SLIRP_API SLIRP_WHILE

# log() - a detail line on stderr
log() {
	printf '[%s] %s\n' "$BENCH_NAME" "$*" >&2
}

# result() - print the one result line on the script's stdout
# @1: the line, without the leading "name: "
result() {
	printf '%s: %s\n' "$BENCH_NAME" "$1" >&3
}

# broken() - the measurement failed: say why on both streams, exit 1
# @1: reason
broken() {
	log "BROKEN: $*"
	result "n/a (broken: $*)"
	exit 1
}

# need() - break unless every named program is installed
# @@: program names or absolute paths
need() {
	local p
	for p in "$@"; do
		command -v "$p" >/dev/null 2>&1 ||
			broken "$p is not installed (apt-get install $(basename "$p"))"
	done
}

# calc() - evaluate an awk expression and print it with a format
# @1: printf format, e.g. %.2f
# @2: expression over numbers, e.g. "3.4 / 1.7"
calc() {
	awk "BEGIN { v = ($2); printf \"$1\", v }"
}

# median() - median of the numbers given as arguments
# @@: numbers
median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
		END { if (NR == 0) exit 1
		      if (NR % 2) print v[(NR + 1) / 2]
		      else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# alternate() - BENCH_THRU_ROUNDS (default 3) rounds of a host run then a
#               sandbox run, and a last host run, so that both sides meet
#               the machine's drift alike (host loopback alone read 13
#               to 25 Gbit/s from one run to the next here); the
#               medians of their $WORK/TAG.rate in HOST and SB, the runs
#               in HOST_RUNS and SB_RUNS (for the log)
# @1: function of one host run, given its tag (hostN), leaving Gbit/s
#     in $WORK/TAG.rate
# @2: the same for the sandbox (tags sandboxN)
# @3: what broke when a sandbox run fails (for broken())
alternate() {
	local r h=() s=()
	for ((r = 1; r <= BENCH_THRU_ROUNDS; r++)); do
		"$1" "host$r" || broken "iperf3 on host loopback failed"
		h+=("$(cat "$WORK/host$r.rate")")
		"$2" "sandbox$r" || broken "$3"
		s+=("$(cat "$WORK/sandbox$r.rate")")
	done
	"$1" "host$r" || broken "iperf3 on host loopback failed"
	h+=("$(cat "$WORK/host$r.rate")")
	HOST=$(calc %.2f "$(median "${h[@]}")") SB=$(calc %.2f "$(median "${s[@]}")")
	HOST_RUNS=${h[*]} SB_RUNS=${s[*]}
	log "host loopback: $HOST_RUNS Gbit/s, median $HOST; sandbox $SB_RUNS Gbit/s, median $SB"
}

# kv() - the value of key=value in a line of such pairs
# @1: line
# @2: key
kv() {
	printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1
}

# run_one() - one run of a helper that prints a key=value line (trap_rt),
#             bounded to 300 s; prints the line, logged too
# @1: tag for the log
# @@: command
run_one() {
	local tag=$1 line
	shift
	line=$(timeout -k 5 300 "$@" </dev/null) || return 1
	log "$tag: $line"
	printf '%s\n' "$line"
}

# measure() - run_one() of a trap_rt timing mode; its median_ns and p90_ns
#             appended to two arrays, or the benchmark broken
# @1: tag for the log (and the error)
# @2: name of the array of medians
# @3: name of the array of p90s
# @@: command
measure() {
	local tag=$1 line
	local -n med_=$2 p90_=$3
	shift 3
	line=$(run_one "$tag" "$@") || broken "$tag: $* failed"
	med_+=("$(kv "$line" median_ns)") p90_+=("$(kv "$line" p90_ns)")
}

# can_pin() - whether a server and a client can each get a CPU of their
#             own (taskset, and two CPUs or more)
can_pin() {
	command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]
}

# pinned_fig() - the pinned pair's piece of a result line, from the
#                "MEDIAN ..." files $WORK/@1.fig (host) and $WORK/@2.fig
#                (sandbox)
pinned_fig() {
	local h s
	read -r h _ <"$WORK/$1.fig"
	read -r s _ <"$WORK/$2.fig"
	printf 'pinned (server CPU 1, client CPU 0): %s us median, host %s us, ratio %s' \
		"$s" "$h" "$(calc %.2f "$s / $h")"
}

# spawn() - start a command in the background, remembering its pid; the
#        command is exec'd, so $BG_PID is its own pid
# @@: command
spawn() {
	(exec "$@") &
	BG_PID=$!
	BENCH_PIDS+=("$BG_PID")
}

# alive() - whether a pid names a live, non-zombie process
# @1: pid
alive() {
	local line rest
	read -r line 2>/dev/null <"/proc/$1/stat" || return 1
	rest=${line##*) }
	[ "${rest%% *}" != Z ] && [ "${rest%% *}" != X ]
}

# stop_pid() - TERM a background program, KILL it after 3 s, reap it
# @1: pid (started by spawn)
stop_pid() {
	local i
	alive "$1" && kill -TERM "$1" 2>/dev/null
	for ((i = 0; i < 30; i++)); do
		alive "$1" || break
		sleep 0.1
	done
	alive "$1" && kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null || true
}

# wait_file() - wait until a file exists and is non-empty
# @1: seconds
# @2: path
# Return: 0 when it appeared, 1 on timeout
wait_file() {
	local i
	for ((i = 0; i < $1 * 10; i++)); do
		[ -s "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# sockperf_parse() - print "MEDIAN AVG N" (us, us, messages) from a
#                    sockperf pp output; fails when one is missing
# @1: file
# @2: printf format of the three, default "%s %s %d\n" (as sockperf
#     printed them)
sockperf_parse() {
	sed 's/\x1b\[[0-9;]*m//g' "$1" | awk -v fmt="${2:-%s %s %d\n}" '
		/Summary: Latency is/ { avg = $(NF - 1) }
		/percentile 50\.000 =/ { med = $NF }
		/Valid Duration/ { n = $0; sub(/.*ReceivedMessages=/, "", n) }
		END { if (avg == "" || med == "" || n + 0 <= 0) exit 1
		      printf fmt, med, avg, n }'
}

# iperf_rate_py() - write $WORK/rate.py, which prints the receiver's
#                   Gbit/s from an iperf3 --json report (ARG 1) and a
#                   line of detail on stderr.  iperf3 3.12 exits 0 with
#                   --json even when it could not connect: the report's
#                   "error" tells; rate.py then exits 2 when the peer
#                   refused or was unreachable (worth a retry), else 1.
iperf_rate_py() {
	cat >"$WORK/rate.py" <<'EOF'
import json, sys
try:
    rep = json.load(open(sys.argv[1]))
except (OSError, ValueError) as e:
    sys.exit(f"{sys.argv[1]}: no JSON report: {e}")
err = rep.get("error")
if err:
    print(f"error: {err}", file=sys.stderr)
    sys.exit(2 if "refused" in err or "unreachable" in err else 1)
end = rep["end"]
recv, sent = end["sum_received"], end["sum_sent"]
if recv["bytes"] <= 0:
    sys.exit("no bytes received")
print(f"{recv['bits_per_second'] / 1e9:.2f}")
print(f"sent {sent['bytes']} B, received {recv['bytes']} B in "
      f"{recv['seconds']:.1f} s, retransmits {sent.get('retransmits', '?')}",
      file=sys.stderr)
EOF
}

# wait_grep() - wait until a file has a line matching a pattern (a
#               server's "listening" line, say)
# @1: seconds
# @2: extended regular expression
# @3: path
# Return: 0 when it appeared, 1 on timeout
wait_grep() {
	local i
	for ((i = 0; i < $1 * 10; i++)); do
		grep -qE -- "$2" "$3" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# free_port() - print a TCP port free on host 127.0.0.1, below the
#               ephemeral range so outgoing connections keep clear of it
free_port() {
	"$BENCH_PY" - <<'EOF'
import random, socket
for _ in range(200):
    port = random.randint(20000, 32000)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    break
else:
    raise SystemExit("no free port")
EOF
}

# vmrss_kib() - VmRSS of a process in KiB
# @1: pid
vmrss_kib() {
	awk '/^VmRSS:/ { print $2; found = 1 } END { exit !found }' "/proc/$1/status"
}

# cpu_ticks() - utime + stime of a process, in clock ticks
# @1: pid
cpu_ticks() {
	awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

# slab_kib() - the kernel's Slab total in KiB (machine-wide)
slab_kib() {
	awk '/^Slab:/ { print $2 }' /proc/meminfo
}

# sup_stats() - ask a supervisor for its stats line (SIGUSR1) and print it
# @1: supervisor pid
# @2: the file its stderr goes to
# Return: 1, printing nothing, when no new line came within 5 s
sup_stats() {
	local n0 i
	n0=$(grep -c '^rrsandbox: stats:' "$2" || true)
	kill -USR1 "$1" 2>/dev/null || return 1
	for ((i = 0; i < 50; i++)); do
		if [ "$(grep -c '^rrsandbox: stats:' "$2" || true)" -gt "$n0" ]; then
			grep '^rrsandbox: stats:' "$2" | tail -n 1
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# sup_counts() - print "TRAPS MEM_READS" of a supervisor so far, from its
#                stats line (counts, not times: the same on a busy machine
#                as on a quiet one); arguments and return as sup_stats()
sup_counts() {
	local line
	line=$(sup_stats "$1" "$2") || return 1
	sed -n 's/.* traps=\([0-9]*\) mem_reads=\([0-9]*\).*/\1 \2/p' <<<"$line"
}

# per_route() - "N.NN traps and N.NN memory reads a route" between two
#               sup_counts() answers, or "no trap counts" if one is missing
# @1, @2: the answers before and after; @3: routes
per_route() {
	if [[ $1 =~ ^[0-9]+\ [0-9]+$ && $2 =~ ^[0-9]+\ [0-9]+$ ]]; then
		printf '%s traps and %s memory reads a route' \
			"$(calc %.2f "(${2% *} - ${1% *}) / $3")" \
			"$(calc %.2f "(${2#* } - ${1#* }) / $3")"
	else
		printf 'no trap counts'
	fi
}

# helper() - print the path of trap_rt, building it by hand if CMake has
#            not (bench/ not yet added to the build)
helper() {
	local src=$BENCH_DIR/progs/trap_rt.c out
	for out in "${TRAP_RT:-}" "$BENCH_BUILD/bench/trap_rt"; do
		if [ -n "$out" ] && [ -x "$out" ] && [ "$out" -nt "$src" ]; then
			printf '%s\n' "$out"
			return 0
		fi
	done
	out=${TMPDIR:-/tmp}/rrs-bench-$(id -u)/trap_rt
	if [ ! -x "$out" ] || [ "$src" -nt "$out" ]; then
		mkdir -p "$(dirname "$out")" || return 1
		log "building $out by hand from $src"
		${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -o "$out.tmp" "$src" &&
			mv "$out.tmp" "$out" || return 1
	fi
	printf '%s\n' "$out"
}

# sync_wakeup() - print "yes" or "no": does the kernel take
#                 SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (6.6+)
sync_wakeup() {
	local h
	h=$(helper) && "$h" syncwake 2>/dev/null || echo "no (probe failed)"
}

# slirp_run() - run a command in a new user and network namespace whose
#               only way out is slirp4netns (MTU 65520, the rootless
#               Podman default, unless SLIRP_MTU says otherwise); inside,
#               10.0.2.2 is the host's loopback and no other address
#               leaves the namespace; the namespace's own address is
#               10.0.2.100
# @1: seconds allowed
# @@: command (exec'd inside, bounded by timeout)
# Return: the command's status; sets SLIRP_NA to a reason when slirp4netns
#         cannot be used here (status 1). If SLIRP_WHILE names a function,
#         it runs once slirp4netns is ready, with slirp4netns's pid. If
#         SLIRP_API names a path, slirp4netns listens there for its JSON
#         API (slirp_hostfwd).
# shellcheck disable=SC2034 # SLIRP_NA is read by the callers
slirp_run() {
	local secs=$1 ready=$WORK/slirp.ready npid rc=0 i
	shift
	SLIRP_NA=
	if ! command -v slirp4netns >/dev/null 2>&1; then
		SLIRP_NA="not installed"
		return 1
	fi
	if ! unshare -Urn true 2>"$WORK/unshare.err"; then
		SLIRP_NA="no user namespace: $(head -n 1 "$WORK/unshare.err")"
		return 1
	fi
	rm -f "$ready"
	# The namespace's only process waits for slirp4netns to say ready;
	# unshare execs sh (no fork), so $npid is inside once unshare ran.
	# shellcheck disable=SC2016 # expanded by the inner sh
	spawn unshare -Urn sh -c '
		i=0
		while [ ! -s "$0" ]; do
			i=$((i + 1)); [ $i -lt 100 ] || exit 97
			sleep 0.1
		done
		secs=$1; shift
		exec timeout -k 5 "$secs" "$@"' "$ready" "$secs" "$@"
	npid=$BG_PID
	# ready when its net namespace differs from ours and its uid map is
	# written (procfs files have size 0: read them)
	for ((i = 0; i < 50; i++)); do
		if [ "$(readlink "/proc/$npid/ns/net" 2>/dev/null)" != "$(readlink /proc/self/ns/net)" ] &&
			[ -n "$(cat "/proc/$npid/uid_map" 2>/dev/null)" ]; then
			break
		fi
		sleep 0.1
	done
	if [ "$i" -ge 50 ]; then
		stop_pid "$npid"
		SLIRP_NA="the namespace did not start"
		return 1
	fi
	spawn slirp4netns --configure --mtu="${SLIRP_MTU:-65520}" \
		${SLIRP_API:+--api-socket="$SLIRP_API"} --ready-fd=4 "$npid" tap0 \
		4>"$ready" >"$WORK/slirp4netns.log" 2>&1
	SLIRP_PID=$BG_PID
	if [ -n "${SLIRP_WHILE:-}" ]; then
		wait_file 10 "$ready" && "$SLIRP_WHILE" "$SLIRP_PID"
	fi
	wait "$npid" || rc=$?
	stop_pid "$SLIRP_PID"
	if [ "$rc" -eq 97 ]; then
		SLIRP_NA="slirp4netns did not configure tap0: $(tail -n 1 "$WORK/slirp4netns.log")"
		return 1
	fi
	return "$rc"
}

# slirp_hostfwd() - ask a running slirp4netns (started by slirp_run with
#                   SLIRP_API set) to forward a host TCP port into its
#                   namespace: add_hostfwd over its AF_UNIX JSON API
# @1: host port (on 127.0.0.1)
# @2: port in the namespace (on its address, 10.0.2.100)
# Return: 0 when slirp4netns answered with a forward id, else 1 with its
#         answer on stderr
slirp_hostfwd() {
	"$BENCH_PY" - "$SLIRP_API" "$1" "$2" <<'EOF'
import json, socket, sys, time
path, hport, gport = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
req = {"execute": "add_hostfwd", "arguments": {"proto": "tcp",
       "host_addr": "127.0.0.1", "host_port": hport, "guest_port": gport}}
for _ in range(50):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(path)
        break
    except OSError:
        s.close()
        time.sleep(0.1)
else:
    sys.exit(f"slirp4netns API socket {path}: cannot connect")
s.sendall(json.dumps(req).encode())
s.shutdown(socket.SHUT_WR)
reply = b""
while True:
    b = s.recv(4096)
    if not b:
        break
    reply += b
try:
    ok = "id" in json.loads(reply).get("return", {})
except ValueError:
    ok = False
if not ok:
    sys.exit(f"add_hostfwd: {reply.decode(errors='replace') or 'no answer'}")
print(f"add_hostfwd 127.0.0.1:{hport} -> {gport}: {reply.decode().strip()}",
      file=sys.stderr)
EOF
}

# slirp_forward() - for SLIRP_WHILE: forward host 127.0.0.1:$SL_HP to the
#                   namespace's $IN_PORT, then run the client (its failure
#                   ignored); a refused forward leaves $WORK/$SL_TAG.apifail
# @1: the client function, called with $SL_TAG and $SL_HP
slirp_forward() {
	if slirp_hostfwd "$SL_HP" "$IN_PORT" 2>"$WORK/$SL_TAG.api"; then
		log "$SL_TAG: $(cat "$WORK/$SL_TAG.api")"
		"$1" "$SL_TAG" "$SL_HP" || true
	else
		mv "$WORK/$SL_TAG.api" "$WORK/$SL_TAG.apifail"
	fi
}

# slirp_na() - FIG for a slirp4netns baseline that has no figure: why
#              slirp4netns cannot run here ($SLIRP_NA), else @2
# @1: the figure's label ("slirp4netns MTU 1500")  @2: what failed
slirp_na() {
	printf -v FIG '%s: n/a (%s)' "$1" "${SLIRP_NA:-$2}"
}

# slirp_figs() - the script's slirp_fig() at MTU 65520 and 1500, into SL1
#                and SL2, logged
slirp_figs() {
	slirp_fig 65520
	SL1=$FIG
	log "$SL1"
	slirp_fig 1500
	SL2=$FIG
	log "$SL2"
}

# rrs_has_opt() - whether rrsandbox's --help lists an option
# @1: option, e.g. --no-shortcut
rrs_has_opt() {
	# a here-string, not a pipe: grep -q leaving before --help's last
	# write would fail the pipe under pipefail (SIGPIPE)
	grep -q -- "$1" <<<"$("$RRS" --help 2>/dev/null)"
}

# netns_pair() - two network namespaces joined by a veth pair, for the
#                kernel baselines (root only): each gets lo up and eth0
#                with 10.0.1.N/24 and fd00:1::N/64 (no DAD), N = 1, 2;
#                both are deleted on exit
# @1: a short tag for their names (rrs-TAG-PID-a, rrs-TAG-PID-b)
# Return: 1 when not root or namespaces are refused; sets NSA and NSB
netns_pair() {
	local s ns me v=rrs$1$$
	[ "$(id -u)" -eq 0 ] || return 1
	NSA=rrs-$1-$$-a NSB=rrs-$1-$$-b
	ip netns add "$NSA" 2>/dev/null || return 1
	BENCH_NETNS+=("$NSA")
	ip netns add "$NSB" || return 1
	BENCH_NETNS+=("$NSB")
	ip link add "${v:0:13}a" netns "$NSA" type veth peer name "${v:0:13}b" netns "$NSB" ||
		return 1
	for s in a b; do
		ns=$NSA me=1
		[ $s = b ] && ns=$NSB me=2
		ip -n "$ns" link set lo up &&
			ip -n "$ns" link set "${v:0:13}$s" name eth0 &&
			ip -n "$ns" link set eth0 up &&
			ip -n "$ns" addr add "10.0.1.$me/24" dev eth0 &&
			ip -n "$ns" addr add "fd00:1::$me/64" dev eth0 nodad || return 1
	done
}

# netns_del() - delete the namespaces netns_pair() made
netns_del() {
	local ns
	for ns in "${BENCH_NETNS[@]}"; do
		ip netns del "$ns" 2>/dev/null || true
	done
	BENCH_NETNS=()
}

# git_rev() - short revision of the tree, "+dirty" when it has changes
git_rev() {
	local rev
	rev=$(git -C "$BENCH_REPO" rev-parse --short HEAD 2>/dev/null) || {
		echo unknown
		return
	}
	[ -n "$(git -C "$BENCH_REPO" status --porcelain --untracked-files=no 2>/dev/null)" ] &&
		rev="$rev+dirty"
	echo "$rev"
}

bench_cleanup() {
	local rc=$? pid
	set +e
	trap - EXIT INT TERM HUP
	for pid in "${BENCH_PIDS[@]}"; do
		stop_pid "$pid"
	done
	netns_del
	if [ -n "$WORK" ] && [ -d "$WORK" ]; then
		if [ -n "${BENCH_KEEP:-}" ]; then
			log "keeping work dir $WORK"
		else
			rm -rf "$WORK"
		fi
	fi
	exit "$rc"
}

# run-all.sh takes the helpers only (BENCH_LIB_ONLY=1): no work dir, no
# traps, its stdout left alone.
[ -z "${BENCH_LIB_ONLY:-}" ] || return 0

# The result line goes to fd 3 (the script's stdout); anything else a
# script or its programs print lands on stderr.
exec 3>&1 1>&2

trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

RRS=${RRSANDBOX:-$BENCH_BUILD/cli/rrsandbox}
[ -x "$RRS" ] || broken "rrsandbox not found at $RRS (build it: make -C build -j2, or set RRSANDBOX)"
need timeout "$BENCH_PY"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rrs-bench-$BENCH_NAME.XXXXXX") ||
	broken "cannot make a work dir"
chmod 755 "$WORK"
log "rrsandbox $RRS, work dir $WORK, $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
