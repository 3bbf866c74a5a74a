# SPDX-License-Identifier: MIT
# shellcheck shell=bash
#
# lib.sh - shared helpers for the scenario tests, sourced by every
# tests/scenario/<name>.sh. It stages rrsandbox ($RRSANDBOX) and the test
# programs ($RRS_PROGS) into a fresh work dir an unprivileged user can read,
# runs commands as that user (unpriv), bounds every command in time
# (with_timeout, wait_pid) and, on exit, kills every process the script
# started (by pid) and removes the work dir; a watchdog (../watchdog.sh)
# makes that exit happen before CTest's TIMEOUT. It knows nothing of
# rrsandbox's internals: only its command-line contract
# (tests/scenario/README.md).
#
# Exit codes of a scenario: 0 pass, 77 skip (CTest SKIP_RETURN_CODE), any
# other value fail.

# Python from the distribution: a pyenv shim under /root is not runnable by
# the unprivileged user.
PY=/usr/bin/python3
# PATH handed to every command run as the unprivileged user.
UNPRIV_PATH=/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin
# uid/gid the tests run as when started as root.
UNPRIV_ID=65534

SCENARIO=$(basename "${BASH_SOURCE[1]:-$0}" .sh)
# this folder, absolute (stage() changes into the work dir)
RRS_SCENARIO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RRS_BG_PIDS=()
WORK=
LAST_OUT=
LAST_ERR=
RC=0

# log() - progress line on stderr, visible with ctest -V
log() {
	printf '[%s] %s\n' "$SCENARIO" "$*" >&2
}

# step() - announce one checked step
step() {
	printf '[%s] --- %s\n' "$SCENARIO" "$*" >&2
}

# show_last() - dump the tails of the last captured stdout/stderr
show_last() {
	local f
	for f in "$LAST_OUT" "$LAST_ERR"; do
		if [ -z "$f" ] || [ ! -s "$f" ]; then continue; fi
		printf '[%s] ---- tail of %s:\n' "$SCENARIO" "${f##*/}" >&2
		tail -n 40 "$f" | sed 's/^/    /' >&2
	done
}

# bad() - record a failed check, show the files it was made on, and keep
#         going (checks_done() fails the scenario at the end)
# @1: what was expected
# @@: (optional) files under $RUN to show
FAILS=()
bad() {
	local f
	printf 'FAIL: %s: %s\n' "$SCENARIO" "$1" >&2
	FAILS+=("$1")
	shift
	for f in "$@"; do
		printf '[%s] ---- %s:\n' "$SCENARIO" "$f" >&2
		if [ -s "$RUN/$f" ]; then
			head -n 60 "$RUN/$f" | sed 's/^/    /' >&2
		else
			echo "    (empty or missing)" >&2
		fi
	done
}

# checks_done() - fail if bad() recorded anything, naming each failure
checks_done() {
	local f
	[ ${#FAILS[@]} -eq 0 ] && return 0
	LAST_OUT='' LAST_ERR=''
	for f in "${FAILS[@]}"; do
		log "failed: $f"
	done
	fail "${#FAILS[@]} check(s) failed (each shown above with its output)"
}

# skip() - mark the scenario skipped (never passed) and stop
# @1: reason, printed as "SKIP: reason"
skip() {
	printf 'SKIP: %s: %s\n' "$SCENARIO" "$*" >&2
	exit 77
}

# fail() - mark the scenario failed and stop, showing the last output
# @1: what went wrong
fail() {
	printf 'FAIL: %s: %s\n' "$SCENARIO" "$*" >&2
	show_last
	exit 1
}

# need() - skip loudly unless every named program is installed
# @@: program names or absolute paths
need() {
	local p
	for p in "$@"; do
		if [ "${p#/}" != "$p" ]; then
			[ -x "$p" ] || skip "required program $p is not installed"
		else
			command -v "$p" >/dev/null 2>&1 ||
				skip "required program $p is not installed"
		fi
	done
}

# with_timeout() - run a command, killing its process group after SECS
# @1: seconds
# @@: command; a leading "unpriv" is honoured
# Return: the command's status, 124 on timeout (137 if it had to be KILLed)
with_timeout() {
	local secs=$1
	shift
	if [ "${1:-}" = unpriv ]; then
		shift
		timeout -k 5 "$secs" "${UNPRIV_CMD[@]}" "$@"
	else
		timeout -k 5 "$secs" "$@"
	fi
}

# unpriv() - run a command as an unprivileged user without capabilities
# @@: command
unpriv() {
	"${UNPRIV_CMD[@]}" "$@"
}

# bg() - start a command in the background and remember its pid for
#        cleanup; the command is exec'd, so $BG_PID is its own pid
#        (a leading "unpriv" is honoured: the pid is then the program's)
# @@: command
# Return: sets BG_PID
bg() {
	if [ "${1:-}" = unpriv ]; then
		shift
		(exec "${UNPRIV_CMD[@]}" "$@") &
	else
		(exec "$@") &
	fi
	BG_PID=$!
	RRS_BG_PIDS+=("$BG_PID")
}

# pid_alive() - whether a pid names a live, non-zombie process
# @1: pid
pid_alive() {
	local line rest
	[ -r "/proc/$1/stat" ] || return 1
	read -r line <"/proc/$1/stat" 2>/dev/null || return 1
	rest=${line##*) }
	[ "${rest%% *}" != Z ] && [ "${rest%% *}" != X ]
}

# wait_pid() - wait for a background child with a deadline, KILL it after
# @1: seconds
# @2: pid (a child of this shell, started by bg)
# Return: its exit status; 124 if it had to be killed
wait_pid() {
	local secs=$1 pid=$2 i rc=0
	for ((i = 0; i < secs * 10; i++)); do
		pid_alive "$pid" || break
		sleep 0.1
	done
	if pid_alive "$pid"; then
		log "pid $pid still running after ${secs}s, killing it"
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		return 124
	fi
	wait "$pid" || rc=$?
	return "$rc"
}

# wait_file() - wait until a file exists and is non-empty
# @1: seconds
# @2: path
# Return: 0 when it appeared, 1 on timeout
wait_file() {
	local secs=$1 f=$2 i
	for ((i = 0; i < secs * 10; i++)); do
		[ -s "$f" ] && return 0
		sleep 0.1
	done
	return 1
}

# wait_sock() - wait for a control socket (a socket file) to appear
# @1: seconds  @2: its path  @3: (optional) a pid that must stay alive
# Return: 0 when it is there, 1 when time ran out or the pid ended
wait_sock() {
	local secs=$1 f=$2 pid=${3:-} i
	for ((i = 0; i < secs * 10; i++)); do
		[ -S "$f" ] && return 0
		[ -z "$pid" ] || pid_alive "$pid" || return 1
		sleep 0.1
	done
	[ -S "$f" ]
}

# free_port() - print a TCP and UDP port free on host 127.0.0.1 and ::1
#
# The sandbox has its own loopback, so host ports only matter for the
# isolation checks and for running the inner commands natively; picking
# below the kernel's ephemeral range keeps clear of outgoing connections.
# A port is handed out once per scenario (recorded in $WORK/.ports): ports
# meant for the sandbox are free on the host but nothing binds them there,
# so without the record a later call could return one of them again (the
# ss scenario's host listener once took the sandbox's own port).
free_port() {
	RRS_PORTS_FILE=${WORK:+$WORK/.ports} "$PY" - <<'EOF'
import os, random, socket
record = os.environ.get("RRS_PORTS_FILE") or ""
given = set()
if record and os.path.exists(record):
    with open(record) as f:
        given = {int(w) for w in f.read().split()}
for _ in range(200):
    port = random.randint(20000, 32000)
    if port in given:
        continue
    ok = True
    for fam, addr in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
        for typ in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
            s = socket.socket(fam, typ)
            try:
                s.bind((addr, port))
            except OSError:
                if fam == socket.AF_INET:
                    ok = False
            finally:
                s.close()
    if ok:
        if record:
            with open(record, "a") as f:
                f.write("%d\n" % port)
        print(port)
        break
else:
    raise SystemExit("no free port")
EOF
}

# rrs_run() - run rrsandbox as the unprivileged user, bounded in time,
#             capturing its output in $RUN/<tag>.out and $RUN/<tag>.err
# @1: seconds
# @2: tag naming the capture files
# @@: rrsandbox arguments (options, --, program...)
# Return: sets RC to rrsandbox's status; never fails itself
rrs_run() {
	local secs=$1 tag=$2
	shift 2
	LAST_OUT=$RUN/$tag.out
	LAST_ERR=$RUN/$tag.err
	log "run: rrsandbox $*"
	RC=0
	# RRS_OPTS: extra rrsandbox options for a test variant (word-split)
	# shellcheck disable=SC2086
	with_timeout "$secs" unpriv "$RRS" ${RRS_OPTS:-} "$@" \
		>"$LAST_OUT" 2>"$LAST_ERR" </dev/null || RC=$?
	log "exit status $RC"
}

# expect_rc() - fail unless the last rrs_run exited with the given status
# @1: expected status
# @2: what was run, for the message
expect_rc() {
	local said=
	[ "$RC" -eq "$1" ] && return 0
	# what the program and rrsandbox said: the why of most failures
	[ -s "${LAST_ERR:-}" ] &&
		said=" (stderr: $(tail -n 5 "$LAST_ERR" | tr '\n' '|'))"
	fail "$2: expected exit status $1, got $RC$said"
}

# want_lines() - fail unless a file holds each line given, exactly
# @1: the file  @2: whose output it is, for the message
# @@: the lines
want_lines() {
	local f=$1 who=$2 l
	shift 2
	for l in "$@"; do
		grep -qxF "$l" "$f" ||
			fail "$who: no line '$l' (${f##*/}: $(tr '\n' '|' <"$f"))"
	done
}

# ip6_frags() - the IPv6 fragments (next header 44) a source sent in a
# capture, one `tcpdump -nn -e` line each, into a file that fail() then
# shows (LAST_OUT)
# @1: the pcap  @2: the source address  @3: the file
ip6_frags() {
	tcpdump -nn -e -r "$1" "src host $2 and ip6[6] = 44" >"$3" 2>/dev/null || true
	LAST_OUT=$3 LAST_ERR=
}

# sha() - print the sha256 of a file
sha() {
	sha256sum "$1" | cut -d' ' -f1
}

# inner_script() - write stdin to $RUN/<name> for the sandbox to run
# @1: file name
inner_script() {
	cat >"$RUN/$1"
	chmod 755 "$RUN/$1"
}

# inner_rawnl() - $RUN/rawnl.py (tests/scenario/rawnl.py): attributes and
# the reading of an NLMSG_ERROR, for the scenarios' raw netlink scripts
inner_rawnl() {
	inner_script rawnl.py <"$RRS_SCENARIO_DIR/rawnl.py"
}

# stage_rrctl() - rrctl (from $RRCTL, else beside $RRSANDBOX) copied where
# the unprivileged user can run it; sets RRCTL to that copy
stage_rrctl() {
	local src=${RRCTL:-$(dirname "$RRSANDBOX")/rrctl}

	[ -x "$src" ] || fail "rrctl not found at $src (build it, or set RRCTL)"
	cp "$src" "$WORK/bin/rrctl"
	chmod 755 "$WORK/bin/rrctl"
	RRCTL=$WORK/bin/rrctl
}

# stage_bin() - a program from PATH copied to $WORK/bin, where the
# unprivileged user can run it, without the file capabilities Debian
# gives some (ping, arping: inside the sandbox their sockets need none)
# @1: its name
stage_bin() {
	cp "$(command -v "$1")" "$WORK/bin/$1"
	chmod 755 "$WORK/bin/$1"
}

# stage_ping() - stage_bin ping; sets PING to that copy
stage_ping() {
	stage_bin ping
	PING=$WORK/bin/ping
}

# host_socks() - a TCP listener and a UDP socket of the host's own on
# 127.0.0.1:PORT (python3), which a sandbox must never list; fails unless
# the kernel has both within 5 s.  Sets HOST_SOCKS_PID (killed by cleanup).
# @1: port
host_socks() {
	local hex i
	hex=$(printf '%04X' "$1")
	bg "$PY" -c "
import socket, time
t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(('127.0.0.1', $1)); t.listen()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('127.0.0.1', $1))
time.sleep(100)"
	HOST_SOCKS_PID=$BG_PID
	for ((i = 0; i < 50; i++)); do
		grep -q ": 0100007F:$hex 00000000:0000 0A " /proc/net/tcp &&
			grep -q ": 0100007F:$hex 00000000:0000 07 " /proc/net/udp &&
			return 0
		sleep 0.1
	done
	fail "the host's TCP listener and UDP socket on 127.0.0.1:$1 did not start"
}

# host_www() - a web root $RUN/www (big.bin, 8 MiB of random bytes, and
# small.txt) served on the host's loopback by python3's http.server as the
# unprivileged user, on 127.0.0.1:$H and [::1]:$H6 (both set here); fails
# unless both answer within 10 s
host_www() {
	mkdir "$RUN/www"
	head -c 8388608 /dev/urandom >"$RUN/www/big.bin"
	echo hello >"$RUN/www/small.txt"
	chmod -R a+rX "$RUN/www"
	H=$(free_port)
	bg unpriv "$PY" -m http.server --bind 127.0.0.1 --directory "$RUN/www" "$H" \
		>"$RUN/hostsrv.out" 2>"$RUN/hostsrv.err" </dev/null
	H6=$(free_port)
	bg unpriv "$PY" -m http.server --bind ::1 --directory "$RUN/www" "$H6" \
		>"$RUN/hostsrv6.out" 2>"$RUN/hostsrv6.err" </dev/null
	for _ in $(seq 1 100); do
		curl -fsS -o /dev/null "http://127.0.0.1:$H/small.txt" 2>/dev/null &&
			curl -gfsS -o /dev/null "http://[::1]:$H6/small.txt" 2>/dev/null && break
		sleep 0.1
	done
	curl -fsS -o /dev/null "http://127.0.0.1:$H/small.txt" ||
		fail "the host's http.server did not start on 127.0.0.1:$H"
	curl -gfsS -o /dev/null "http://[::1]:$H6/small.txt" ||
		fail "the host's http.server did not start on [::1]:$H6"
}

# host_dev_other() - set host_dev to a device of the host's that the
# sandboxes of the sysctl and /sys scenarios lack (none of lo, eth0, rrs8,
# rrs9), or "-" when the host has no other; and log it
host_dev_other() {
	local d

	host_dev=-
	for d in /sys/class/net/*; do
		d=${d##*/}
		case $d in lo | eth0 | rrs8 | rrs9 | '*') ;; *) host_dev=$d; break ;; esac
	done
	log "host device the sandbox lacks: $host_dev"
}

# ns_names() - NS_A and NS_B, the network namespaces of a scenario's
# Linux side (rrs-TAG-PID-a and -b; the caller adds them), deleted by
# ns_cleanup, which the EXIT trap now runs before cleanup
# @1: TAG
ns_names() {
	NS_A=rrs-$1-$$-a
	NS_B=rrs-$1-$$-b
	trap 'rc=$?; ns_cleanup; set +e; (exit $rc); cleanup' EXIT
}

ns_cleanup() {
	ip netns del "$NS_A" 2>/dev/null || true
	ip netns del "$NS_B" 2>/dev/null || true
}

# ns_veth_pair() - NS_A and NS_B (ns_names()) joined by a veth pair,
# eth0 on each side, up with lo, IPv6 DAD off (as in the sandbox); back
# once both link-local addresses are usable (5 s at most).  Skips (77)
# where namespaces or veth pairs cannot be made.
ns_veth_pair() {
	local ns i
	ip netns add "$NS_A" 2>/dev/null || skip "ip netns add refused: no network namespaces here"
	ip netns add "$NS_B" || fail "ip netns add $NS_B"
	ip -n "$NS_A" link add eth0 type veth peer name eth0 netns "$NS_B" ||
		skip "cannot create a veth pair"
	for ns in "$NS_A" "$NS_B"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.eth0.accept_dad=0 ||
			skip "no IPv6 sysctls in the namespace"
		ip -n "$ns" link set lo up
		ip -n "$ns" link set eth0 up
	done
	for ((i = 0; i < 50; i++)); do
		ip -n "$NS_A" -6 route show table local | grep -q "^local fe80::" &&
			ip -n "$NS_B" -6 route show table local | grep -q "^local fe80::" &&
			return 0
		sleep 0.1
	done
}

# nsx() - run a command in NS_A
nsx() {
	ip netns exec "$NS_A" "$@"
}

# ns_one_veth() - fresh NS_A and NS_B (ns_names()) as a sandbox with one
# link device: eth0 in NS_A a veth whose peer (peer0) is up in NS_B, lo
# and eth0 up (IPv6 DAD as Linux's default), then `ip addr add` of each
# argument on eth0; 1 when namespaces or veths cannot be made
# @@: CIDRs for eth0
ns_one_veth() {
	local a
	ns_cleanup
	ip netns add "$NS_A" 2>/dev/null && ip netns add "$NS_B" || return 1
	ip -n "$NS_A" link add eth0 type veth peer name peer0 netns "$NS_B" ||
		return 1
	ip -n "$NS_B" link set peer0 up
	ip -n "$NS_A" link set lo up
	ip -n "$NS_A" link set eth0 up
	for a in "$@"; do
		ip -n "$NS_A" addr add "$a" dev eth0 || return 1
	done
}

# one_link_conf() - $RUN/sb.conf for the sandbox ns_one_veth() stands
# for: a link device eth0 (its remote absent) with one address
# @1: the CIDR
one_link_conf() {
	cat >"$RUN/sb.conf" <<EOF
link add eth0 type link local $RUN/sb0.link remote $RUN/absent0.link
addr add $1 dev eth0
EOF
	chmod 644 "$RUN/sb.conf"
}

# sandbox_and_linux() - the three runs of a scenario that holds the
# sandbox against Linux (ipstats, altname, nexthop): $RUN/cmds through
# run.sh (inner_run_sh), $RUN/mon_cmds through mon.sh (inner_mon_sh) and
# the raw netlink script $RUN/RAW, each in a sandbox started with -c CONF
# as the unprivileged user (sb.out, sb.mon, sb.raw), then each in a
# namespace `SETUP ARGS...` makes afresh (linux.out, linux.mon,
# linux.raw).  Root only; the caller compares (same_three).
# @1: TAG (ns_names())  @2: CONF  @3: RAW  @4: SETUP  @@: its ARGS
# Return: 0, or 1 (said with SKIP-PART) when SETUP cannot make one
sandbox_and_linux() {
	local tag=$1 conf=$2 raw=$3 setup=$4
	shift 4
	step "the commands in the sandbox"
	rrs_run 90 sandbox --no-control -c "$conf" -- sh -c \
		'cd "$1" && sh run.sh cmds sb.out' sh "$RUN"
	expect_rc 0 "the sandbox's commands"
	rrs_run 90 sandbox-mon --no-control -c "$conf" -- sh -c \
		'cd "$1" && sh mon.sh mon_cmds sb.mon' sh "$RUN"
	expect_rc 0 "the sandbox's monitor"
	rrs_run 90 sandbox-raw --no-control -c "$conf" -- sh -c \
		'cd "$1" && "$2" "$3" >sb.raw 2>&1' sh "$RUN" "$PY" "$raw"
	expect_rc 0 "$raw in the sandbox"
	step "the commands in a network namespace"
	ns_names "$tag"
	if ! "$setup" "$@"; then
		ns_cleanup
		echo "SKIP-PART: $SCENARIO.sh: no network namespace with veths here" >&2
		return 1
	fi
	(cd "$RUN" && nsx sh run.sh cmds linux.out) || fail "the namespace's commands"
	"$setup" "$@" || fail "the namespace again"
	(cd "$RUN" && nsx sh mon.sh mon_cmds linux.mon) || fail "the namespace's monitor"
	"$setup" "$@" || fail "the namespace a third time"
	(cd "$RUN" && nsx "$PY" "$raw" >linux.raw 2>&1) || fail "$raw in the namespace"
	ns_cleanup
}

# same_three() - sandbox_and_linux()'s three pairs of outputs alike
# (same_as_linux()), or fail saying the sandbox's WHAT are not Linux's
# @1: WHAT
same_three() {
	local f bad=0
	for f in out mon raw; do
		same_as_linux "sb.$f" "linux.$f" "$f" || bad=1
	done
	[ "$bad" = 0 ] || fail "the sandbox's $1 are not Linux's"
	log "ok: $(wc -l <"$RUN/sb.out.n") lines of commands, $(wc -l <"$RUN/sb.mon.n") of ip monitor and $(wc -l <"$RUN/sb.raw.n") of raw requests alike"
}

# ip_normalise() - stdin to stdout without what must differ between `ip`
# in a sandbox and in a namespace made alike: a veth's peer (@ifN,
# link-netns), MAC and link-local addresses, qlen, "pref medium",
# trailing blanks, and the error `ip` prints when it names a veth's peer
# namespace while another test's namespace goes (it asks the nsid of each
# one in /run/netns: RTM_GETNSID of a dying one; once in CI)
# @@: more sed -e programs, applied first
ip_normalise() {
	sed -E "$@" -e '/^Error: Peer netns reference is invalid\.$/d' \
		-e 's/@(if[0-9]+|NONE)//' -e 's/ link-netns(id)? [^ ]+//' \
		-e 's#link/ether [0-9a-f:]{17}#link/ether MAC#' \
		-e 's/fe80::[0-9a-f:]*[0-9a-f](\/64)?/fe80::LL\1/g' \
		-e 's/ qlen [0-9]+//' -e 's/ pref medium//' -e 's/[[:space:]]+$//'
}

# EUI_FD00: a sed -E pattern for a SLAAC address in fd00::/64, whose
# EUI-64 half comes from a MAC that differs per run; its groups print
# without leading zeros (a MAC of fe:38:00:9d:0b:9d gives
# fd00::fc38:ff:fe9d:b9d), so each part may be short
EUI_FD00='fd00::([0-9a-f]{1,4}:)?[0-9a-f]{0,2}ff:fe[0-9a-f]{0,2}:[0-9a-f]{1,4}'

# inner_dns_sh() - $RUN/dns_wait.sh and $RUN/dns_ask.sh, the DNS client
# side of the scenarios with a DNS server in sandbox B (dns.sh, unbound.sh)
# dns_wait.sh SERVER NAME: waits (10 s at most) until SERVER answers NAME's
#   A record; fails saying so
# dns_ask.sh NAME OUT: once 10.0.9.2 answers, prints NAME's A and AAAA as
#   "v4 udp", "v6 udp" (from 10.0.9.2, fd00:9::2), "v4 tcp" (AAAA from
#   10.0.9.2), "v6 tcp" (A from fd00:9::2); dig's whole answer for
#   big.sandbox TXT over IPv6 with EDNS 4096 goes into OUT
inner_dns_sh() {
	inner_script dns_wait.sh <<'EOF'
#!/bin/sh
i=0
until dig +short +time=1 +tries=1 "@$1" "$2" A >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -lt 100 ] || { echo "$1 not answering"; exit 1; }
	sleep 0.1
done
EOF
	inner_script dns_ask.sh <<'EOF'
#!/bin/sh
name=$1
sh "$(dirname "$0")/dns_wait.sh" 10.0.9.2 "$name" || exit 1
q() { dig +short +time=2 +tries=1 "$@"; }
echo "v4 udp $(q @10.0.9.2 "$name" A)"
echo "v6 udp $(q @fd00:9::2 "$name" AAAA)"
echo "v4 tcp $(q +tcp @10.0.9.2 "$name" AAAA)"
echo "v6 tcp $(q +tcp @fd00:9::2 "$name" A)"
dig +time=2 +tries=1 +bufsize=4096 @fd00:9::2 big.sandbox TXT >"$2" 2>&1
EOF
}

# inner_run_sh() - $RUN/run.sh CMDS OUT for the sandbox and a namespace
# alike: each line of CMDS run with sh -c, written to OUT after "### " with
# its output and "rc=STATUS"; then settle.sh beside it, when the scenario
# wrote one, gets the command (a wait for what Linux finishes later)
inner_run_sh() {
	inner_script run.sh <<'EOF'
#!/bin/sh
settle=$(dirname "$0")/settle.sh
while IFS= read -r c; do
	echo "### $c"
	sh -c "$c" 2>&1
	echo "rc=$?"
	[ ! -f "$settle" ] || sh "$settle" "$c"
done <"$1" >"$2"
EOF
}

# inner_mon_sh() - $RUN/mon.sh CMDS OUT: `ip ARGS` (a monitor) writing to
# OUT while each line of CMDS runs (its output dropped), a second of
# quiet before and after
# @@: ARGS, e.g. monitor link
inner_mon_sh() {
	inner_script mon.sh <<EOF
#!/bin/sh
ip $* >"\$2" 2>&1 &
m=\$!
sleep 1
while IFS= read -r c; do sh -c "\$c" >/dev/null 2>&1; done <"\$1"
sleep 1
kill \$m
wait \$m 2>/dev/null
exit 0
EOF
}

# compare_table() - run a table-printing program of tests/progs natively
#                   and in rrsandbox, both as the unprivileged user, and
#                   compare the two tables line by line, the known
#                   differences aside: PROG.known beside the scenario, lines
#                   "ERE<TAB>reason" (# comments) whose ERE is matched
#                   against the native line.  A listed difference that did
#                   not differ is logged (some are the host's), an unlisted
#                   one is bad().
# @1: the program (in $PROGS)
# @2: the fewest lines a table may have
# @3: 1: natively in a network namespace of its own with lo up and ping
#     sockets allowed to every group (root)
# @@: the program's arguments
# COMPARE_CAPS: a capability the native side keeps (net_raw, for raw
# sockets: the sandbox's program needs none)
compare_table() {
	local prog=$1 least=$2 ns=${3:-0} known=$RRS_SCENARIO_DIR/$1.known rc n
	local cmp=$RUN/$1.compare native=() w
	shift 3
	for w in "${UNPRIV_CMD[@]}"; do
		case ${COMPARE_CAPS:+caps}$w in
		caps--inh-caps=-all)
			native+=("--inh-caps=+$COMPARE_CAPS" "--ambient-caps=+$COMPARE_CAPS") ;;
		caps--bounding-set=-all)
			native+=("--bounding-set=-all,+$COMPARE_CAPS") ;;
		*)	native+=("$w") ;;
		esac
	done
	[ -x "$PROGS/$prog" ] ||
		skip "no tests/progs/$prog in RRS_PROGS (build the tree first)"
	[ -r "$known" ] || fail "no list of known differences $known"

	step "$prog: the table natively"
	rc=0
	if [ "$ns" = 1 ]; then
		# shellcheck disable=SC2016 # for the inner sh
		with_timeout 120 unshare -n sh -c 'ip link set lo up &&
			sysctl -qw net.ipv4.ping_group_range="0 2147483647" &&
			exec "$@"' sh "${native[@]}" "$PROGS/$prog" "$@" \
			>"$RUN/$prog.native" 2>"$RUN/$prog.native.err" || rc=$?
	else
		with_timeout 120 "${native[@]}" "$PROGS/$prog" "$@" >"$RUN/$prog.native" \
			2>"$RUN/$prog.native.err" || rc=$?
	fi
	LAST_OUT=$RUN/$prog.native LAST_ERR=$RUN/$prog.native.err
	[ "$rc" -eq 0 ] || fail "$prog natively: status $rc"

	step "$prog: the table in rrsandbox"
	rrs_run 180 "$prog" -- "$PROGS/$prog" "$@"
	[ "$RC" -eq 0 ] || fail "$prog in rrsandbox: status $RC"

	n=$(wc -l <"$RUN/$prog.native")
	[ "$n" -ge "$least" ] || fail "$prog: only $n lines natively"
	[ "$n" -eq "$(wc -l <"$RUN/$prog.out")" ] ||
		fail "$prog: $n lines natively, $(wc -l <"$RUN/$prog.out") in the sandbox"

	step "$prog: compare, known differences aside"
	# "ERE<TAB>reason" lines, # comments; POSIX EREs (mawk knows no \S)
	grep -v '^#' "$known" | grep . >"$RUN/$prog.known" || true
	awk -F'\t' -v out="$cmp" '
		FILENAME == ARGV[1] { re[++k] = $1; why[k] = $2; next }
		FILENAME == ARGV[2] { nat[FNR] = $0; next }
		{
			if ($0 == nat[FNR]) { same++; next }
			for (i = 1; i <= k; i++)
				if (nat[FNR] ~ re[i]) { used[i]++; known++; next }
			printf "differs: native  %s\n         sandbox %s\n", nat[FNR], $0 > out
			bad++
		}
		END {
			for (i = 1; i <= k; i++)
				if (!used[i])
					printf "unused: %s (%s)\n", re[i], why[i] > out
			printf "summary: %d same, %d known differences, %d unlisted\n",
				same, known, bad > out
		}' "$RUN/$prog.known" "$RUN/$prog.native" "$RUN/$prog.out"
	grep '^summary' "$cmp" | sed "s/^/    $prog /" >&2
	if grep -q '^unused' "$cmp"; then
		log "$prog: listed differences that did not differ here (the host's, or fixed):"
		grep '^unused' "$cmp" | sed 's/^/    /' >&2
	fi
	if grep -q '^differs' "$cmp"; then
		grep -A1 '^differs' "$cmp" | head -n 80 | sed 's/^/    /' >&2
		bad "$prog: $(grep -c '^differs' "$cmp") answers differ from the kernel's and are not known differences"
	fi
}

# same_as_linux() - whether the sandbox's and Linux's outputs (files in
# $RUN) are alike once ip_normalise()d (FILE.n beside each); if not, the
# diff (FILE.diff: Linux -, the sandbox +) is logged.  A Python traceback
# in either is never alike: a test script that failed the same way on
# both sides compares equal and tests nothing.
# @1: the sandbox's file  @2: Linux's  @3: what it is, for the log
same_as_linux() {
	local f
	for f in "$1" "$2"; do
		if grep -q '^Traceback (most recent call last)' "$RUN/$f"; then
			log "$3: a script failed in $f:"
			grep -A12 '^Traceback (most recent call last)' "$RUN/$f" | sed 's/^/    /' >&2
			return 1
		fi
	done
	ip_normalise <"$RUN/$1" >"$RUN/$1.n"
	ip_normalise <"$RUN/$2" >"$RUN/$2.n"
	diff -u "$RUN/$2.n" "$RUN/$1.n" >"$RUN/$1.diff" && return 0
	log "$3: the sandbox (+) differs from Linux (-):"
	sed 's/^/    /' "$RUN/$1.diff" >&2
	return 1
}

# routed_pair() - configs for sandbox A routing for sandbox B over a link:
# $RUN/A.conf (10.0.9.1/24, fd00:9::1/64) and $RUN/B.conf (10.0.9.2/24,
# fd00:9::2/64, default routes via A)
# @1: A's name  @2: B's name (also the link files' names)
routed_pair() {
	cat >"$RUN/$1.conf" <<EOF
link add eth0 type link local $RUN/$1.link remote $RUN/$2.link
addr add 10.0.9.1/24 dev eth0
addr add fd00:9::1/64 dev eth0
EOF
	cat >"$RUN/$2.conf" <<EOF
link add eth0 type link local $RUN/$2.link remote $RUN/$1.link
addr add 10.0.9.2/24 dev eth0
addr add fd00:9::2/64 dev eth0
route add default via 10.0.9.1
route add default via fd00:9::1
EOF
	chmod 644 "$RUN/$1.conf" "$RUN/$2.conf"
}

# narrow_path() - configs for A - B - C, B forwarding and its link to C
# narrow (MTU 1280): $RUN/a.conf (eth0 10.0.1.1/24 fd00:1::1/64, default
# routes via B), $RUN/b.conf (eth0 10.0.1.2 fd00:1::2, eth1 10.0.2.1
# fd00:2::1, MTU 1280), $RUN/c.conf (eth0 10.0.2.2 fd00:2::2, MTU 1280,
# default routes via B); links a.link/ba.link and bc.link/c.link
# stdin: more lines for b.conf (routes, pcap taps)
narrow_path() {
	cat >"$RUN/a.conf" <<EOF
link add eth0 type link local $RUN/a.link remote $RUN/ba.link
addr add 10.0.1.1/24 dev eth0
addr add fd00:1::1/64 dev eth0
route add default via 10.0.1.2
route add default via fd00:1::2
EOF
	{
		cat <<EOF
link add eth0 type link local $RUN/ba.link remote $RUN/a.link
link add eth1 type link local $RUN/bc.link remote $RUN/c.link mtu 1280
addr add 10.0.1.2/24 dev eth0
addr add fd00:1::2/64 dev eth0
addr add 10.0.2.1/24 dev eth1
addr add fd00:2::1/64 dev eth1
EOF
		cat
	} >"$RUN/b.conf"
	cat >"$RUN/c.conf" <<EOF
link add eth0 type link local $RUN/c.link remote $RUN/bc.link mtu 1280
addr add 10.0.2.2/24 dev eth0
addr add fd00:2::2/64 dev eth0
route add default via 10.0.2.1
route add default via fd00:2::1
EOF
	chmod 644 "$RUN/a.conf" "$RUN/b.conf" "$RUN/c.conf"
}

cleanup() {
	local rc=$? pid
	set +e
	trap - EXIT INT TERM HUP
	watchdog_stop
	for pid in "${RRS_BG_PIDS[@]}"; do
		pid_alive "$pid" && kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${RRS_BG_PIDS[@]}"; do
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			pid_alive "$pid" || break
			sleep 0.1
		done
		pid_alive "$pid" && kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	if [ -n "$WORK" ] && [ -d "$WORK" ]; then
		if [ -n "${RRS_KEEP:-}" ]; then
			log "keeping work dir $WORK"
		else
			rm -rf "$WORK"
		fi
	fi
	exit "$rc"
}

# stage() - build the work dir, the unprivileged command and check both
stage() {
	local repo env_pass=() v
	repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	: "${RRSANDBOX:=$repo/build/cli/rrsandbox}"
	[ -f "$RRSANDBOX" ] ||
		fail "rrsandbox binary not found at $RRSANDBOX (build it, or set RRSANDBOX)"
	[ -x "$RRSANDBOX" ] || fail "$RRSANDBOX is not executable"

	WORK=$(mktemp -d "${TMPDIR:-/tmp}/rrs-$SCENARIO.XXXXXX")
	chmod 755 "$WORK"
	mkdir "$WORK/bin" "$WORK/run"
	cp "$RRSANDBOX" "$WORK/bin/rrsandbox"
	chmod 755 "$WORK/bin" "$WORK/bin/rrsandbox"
	RRS=$WORK/bin/rrsandbox
	PROGS=$WORK/progs
	if [ -n "${RRS_PROGS:-}" ] && [ -d "$RRS_PROGS" ]; then
		cp -r "$RRS_PROGS" "$PROGS"
		chmod -R a+rX "$PROGS"
	else
		mkdir "$PROGS"
	fi
	chmod 755 "$PROGS"
	RUN=$WORK/run

	# Only what the programs need, plus sanitizer settings if present.
	for v in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS RRSANDBOX_NO_PIDFD_GETFD; do
		[ -n "${!v:-}" ] && env_pass+=("$v=${!v}")
	done
	if [ "$(id -u)" -eq 0 ]; then
		need setpriv
		chown "$UNPRIV_ID:$UNPRIV_ID" "$RUN"
		chmod 755 "$RUN"
		UNPRIV_CMD=(setpriv "--reuid=$UNPRIV_ID" "--regid=$UNPRIV_ID"
			--clear-groups --inh-caps=-all --bounding-set=-all
			--no-new-privs)
	else
		chmod 755 "$RUN"
		UNPRIV_CMD=()
	fi
	UNPRIV_CMD+=(env -i "PATH=$UNPRIV_PATH" "HOME=$RUN" "TMPDIR=$RUN"
		"LANG=C.UTF-8" "USER=nobody" ${env_pass[@]+"${env_pass[@]}"})

	# The unprivileged side must really be without capabilities, and must
	# be able to run the staged copy.
	local caps
	caps=$("${UNPRIV_CMD[@]}" sh -c 'grep "^CapEff:" /proc/self/status') ||
		skip "cannot run commands as an unprivileged user (${UNPRIV_CMD[0]} failed)"
	case "$caps" in
	*0000000000000000) ;;
	*) skip "running with capabilities ($caps): run as root (dropped with setpriv) or as a user without capabilities" ;;
	esac
	"${UNPRIV_CMD[@]}" test -x "$RRS" ||
		fail "the unprivileged user cannot execute the staged $RRS"
	"${UNPRIV_CMD[@]}" test -w "$RUN" ||
		fail "the unprivileged user cannot write $RUN"
	if command -v ldd >/dev/null && ldd "$RRS" 2>/dev/null | grep -q 'not found'; then
		fail "staged rrsandbox misses shared libraries: $(ldd "$RRS" | grep 'not found' | tr '\n' ' ')"
	fi
	cd "$RUN" || fail "cannot enter $RUN"
	log "work dir $WORK, rrsandbox from $RRSANDBOX, running as uid $("${UNPRIV_CMD[@]}" id -u)"
}

# shellcheck source=../watchdog.sh
source "$RRS_SCENARIO_DIR/../watchdog.sh"

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
need timeout "$PY"
watchdog_start "$SCENARIO"
stage
