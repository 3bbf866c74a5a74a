#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# bgp_profile.sh - the BGP scenario (tests/scenario/bgpnet.sh, as in
# scenario.bgp) with every rrsandbox started as `docker run` without
# --privileged starts a container's process, without a container engine
# (none works on these machines): Docker's default seccomp profile loaded
# with libseccomp (seccomp-exec), no capabilities, uid 65534.  birdc and
# rrctl run the same way, as `docker exec` would.  Then again under
# Podman's profile when it is installed (/usr/share/containers/
# seccomp.json); without it, a SKIP line says so and the Docker part alone
# decides.
#
#   root (ctest) -- setpriv: uid 65534, no caps, no_new_privs (lib.sh unpriv)
#   +-------------------------------------------------------------------+
#   | seccomp-exec PROFILE --              seccomp filter 1: the profile |
#   |  rrsandbox -vv -c X.net -- sh router.sh X    (X = A, B, C)         |
#   |    bird -f -c X.bird     filter 2: rrsandbox's, stacked on it      |
#   +-------------------------------------------------------------------+
#   A (AS 65001) === B (AS 65002) === C (AS 65003), eBGP over IPv4 and
#   IPv6, A-C multihop through B; each announces a stub network
#
# Checks, for each profile: each supervisor runs as uid 65534 without
# capabilities, with no_new_privs, in seccomp filter mode, and its program
# under at least one filter more (the profile's, then rrsandbox's); the
# supervisor logs "pidfd_getfd no" where a probe under the profile finds
# pidfd_getfd refused (Docker's: it must be), "pidfd_getfd yes" where it
# is allowed (Debian 12's Podman profile); every BGP session Established,
# the learnt routes installed by BIRD's kernel protocol (rrctl, and `ip
# route` inside A), ping and ping -6 from A to C's stubs through B,
# traceroute (UDP and -I) showing B then C (IP_RECVERR sockets moved to
# loopback UDP pairs for POLLERR under the profile too); the
# routers stop with status 0 on SIGTERM.
#
# Environment: RRSANDBOX, RRCTL, RRS_SECCOMP_EXEC (the binaries),
# RRS_DOCKER_PROFILE (default: ../shared/containers/docker-default-
# seccomp.json beside the repository), RRS_PODMAN_PROFILE (default
# /usr/share/containers/seccomp.json).

set -euo pipefail
# Before lib.sh, which enters the work dir.
REPO=$(cd "$(dirname "$0")/../.." && pwd)
: "${RRS_DOCKER_PROFILE:=$REPO/../shared/containers/docker-default-seccomp.json}"
: "${RRS_PODMAN_PROFILE:=/usr/share/containers/seccomp.json}"
: "${RRS_SECCOMP_EXEC:=$REPO/build/tests/container/seccomp-exec}"
# What rrsandbox logs must come from the profile, not from this switch.
unset RRSANDBOX_NO_PIDFD_GETFD RRS_OPTS
# shellcheck source=../scenario/lib.sh source-path=SCRIPTDIR
source "$REPO/tests/scenario/lib.sh"
# shellcheck source=../scenario/birdlib.sh
source "$RRS_SCENARIO_DIR/birdlib.sh"
# shellcheck source=../scenario/bgpnet.sh
source "$RRS_SCENARIO_DIR/bgpnet.sh"

[ -f "$RRS_DOCKER_PROFILE" ] ||
	skip "Docker's seccomp profile not found at $RRS_DOCKER_PROFILE (it lives in shared/containers/ beside the repository)"
[ -x "$RRS_SECCOMP_EXEC" ] ||
	fail "seccomp-exec not found at $RRS_SECCOMP_EXEC (build it, or set RRS_SECCOMP_EXEC)"

# Stage seccomp-exec and the profiles where uid 65534 can read them.
SX=$WORK/bin/seccomp-exec
cp "$RRS_SECCOMP_EXEC" "$SX"
chmod 755 "$SX"
mkdir "$WORK/profiles"
cp "$RRS_DOCKER_PROFILE" "$WORK/profiles/docker.json"
[ ! -f "$RRS_PODMAN_PROFILE" ] || cp "$RRS_PODMAN_PROFILE" "$WORK/profiles/podman.json"
chmod -R a+rX "$WORK/profiles"

# probe_getfd() - what pidfd_getfd gives uid 65534 under a profile (EPERM:
# refused; EBADF: allowed, the kernel checks permission before the fd),
# as rrsandbox's own probe at start
# @1: staged profile, or "" for none
probe_getfd() {
	local wrap=()
	[ -z "$1" ] || wrap=("$SX" "$1" --)
	with_timeout 20 unpriv "${wrap[@]}" "$PY" -c '
import ctypes, errno, os
libc = ctypes.CDLL(None, use_errno=True)
pfd = libc.syscall(434, os.getpid(), 0)             # pidfd_open
if pfd < 0:
    print("pidfd_open:" + errno.errorcode[ctypes.get_errno()])
elif libc.syscall(438, pfd, 0x7FFFFFF0, 0) < 0:     # pidfd_getfd
    print(errno.errorcode[ctypes.get_errno()])
else:
    print("ok")' </dev/null
}

# status_of() - one field of /proc/PID/status, its first word
# @1: pid, @2: field
status_of() {
	awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null
}

# under_profile() - fail unless router NAME's supervisor runs as a
# container's process would, and its program under one more filter
# @1: name, @2: tag
under_profile() {
	local n=$1 tag=$2 sup=${ROUTER_PID[$1]} kid f0 f1
	router_alive "$n"
	kid=$(pgrep -P "$sup" | head -n 1) || true
	[ -n "$kid" ] || fail "$tag: router $n: rrsandbox $sup has no child"
	[ "$(status_of "$sup" Uid)" = "$UNPRIV_ID" ] || [ "$(id -u)" -ne 0 ] ||
		fail "$tag: router $n: rrsandbox runs as uid $(status_of "$sup" Uid)"
	[ "$(status_of "$sup" CapEff)" = 0000000000000000 ] ||
		fail "$tag: router $n: rrsandbox has capabilities $(status_of "$sup" CapEff)"
	[ "$(status_of "$sup" NoNewPrivs)" = 1 ] ||
		fail "$tag: router $n: rrsandbox without no_new_privs"
	[ "$(status_of "$sup" Seccomp)" = 2 ] ||
		fail "$tag: router $n: rrsandbox not in seccomp filter mode (Seccomp: $(status_of "$sup" Seccomp))"
	f0=$(status_of "$sup" Seccomp_filters)
	f1=$(status_of "$kid" Seccomp_filters)
	if [ "${f0:-0}" -lt 1 ] || [ "${f1:-0}" -le "${f0:-0}" ]; then
		fail "$tag: router $n: filters: rrsandbox ${f0:-?}, its program ${f1:-?}; expected the profile's, then one more"
	fi
	log "ok: router $n: rrsandbox pid $sup uid $(status_of "$sup" Uid), no capabilities, $f0 filter(s); its program $f1"
}

# run_profile() - the BGP scenario with everything under one profile
# @1: tag (docker, podman)
# @2: staged profile
# @3: "yes" or "no": what rrsandbox must log after "pidfd_getfd"
run_profile() {
	local tag=$1 prof=$2 fetch=$3 r rc

	step "$tag: three routers, each rrsandbox -vv under seccomp-exec $tag.json"
	(cd "$RUN" && rm -f ./*.link nowhere-* ./*.log ./*.routes)
	bgpnet_write
	# shellcheck disable=SC2034 # birdlib.sh's
	RRS_WRAP=("$SX" -v "$prof" --)
	RRS_OPTS=-vv
	for r in A B C; do router_start_sh "$r"; done
	for r in A B C; do wait_ctl "$r"; done
	# shellcheck disable=SC2034
	RRS_WRAP=("$SX" "$prof" --)	# birdc, rrctl: without the summary

	step "$tag: the supervisors run as in a container under the profile"
	for r in A B C; do
		LAST_OUT= LAST_ERR=$RUN/$r.err
		grep -q '^seccomp-exec: .*rules' "$RUN/$r.err" ||
			fail "$tag: router $r: no filter summary from seccomp-exec"
		grep -q "pidfd_getfd $fetch" "$RUN/$r.err" ||
			fail "$tag: router $r: rrsandbox's log lacks \"pidfd_getfd $fetch\": $(grep -m1 'pidfd_getfd' "$RUN/$r.err" || echo 'no such line')"
		under_profile "$r" "$tag"
	done
	log "$(grep -m1 '^seccomp-exec: ' "$RUN/A.err")"
	log "ok: $(grep -m1 -o "pidfd_getfd $fetch.*" "$RUN/A.err")"

	bgpnet_sessions_up
	bgpnet_routes
	bgpnet_ping
	bgpnet_trace
	LAST_OUT='' LAST_ERR=$RUN/A.err
	grep -q 'a loopback UDP pair now, for POLLERR' "$RUN/A.err" ||
		fail "$tag: no socket moved for POLLERR under the profile"
	log "ok: $tag: traceroute's sockets moved for POLLERR under the profile"

	step "$tag: routers stop cleanly on SIGTERM"
	for r in A B C; do kill -TERM "${ROUTER_PID[$r]}"; done
	for r in A B C; do
		rc=0
		wait_pid 15 "${ROUTER_PID[$r]}" || rc=$?
		[ "$rc" -eq 0 ] || { LAST_OUT=$RUN/$r.out LAST_ERR=$RUN/$r.err; fail "$tag: router $r exited with $rc"; }
		mv "$RUN/$r.err" "$RUN/$tag.$r.err"
		mv "$RUN/$r.log" "$RUN/$tag.$r.log" 2>/dev/null || true
	done
	log "ok: $tag: BGP up, routes installed, pings answered under the profile"
}

step "probe: pidfd_getfd without a profile and under Docker's"
native=$(probe_getfd "") || fail "probe without a profile failed: $native"
docker=$(probe_getfd "$WORK/profiles/docker.json") ||
	fail "probe under Docker's profile failed: $docker"
log "pidfd_getfd: $native without a profile, $docker under Docker's"
[ "$docker" = EPERM ] ||
	fail "Docker's profile gives '$docker' for pidfd_getfd, expected EPERM (the held-ends path is what this test is for)"

run_profile docker "$WORK/profiles/docker.json" no

if [ -f "$WORK/profiles/podman.json" ]; then
	podman=$(probe_getfd "$WORK/profiles/podman.json") ||
		fail "probe under Podman's profile failed: $podman"
	case $podman in
	EBADF) fetch=yes ;;
	EPERM) fetch=no ;;
	*) fail "Podman's profile gives '$podman' for pidfd_getfd" ;;
	esac
	log "Podman's profile ($RRS_PODMAN_PROFILE): pidfd_getfd $podman, so rrsandbox must say \"pidfd_getfd $fetch\""
	run_profile podman "$WORK/profiles/podman.json" "$fetch"
else
	printf 'SKIP: %s: Podman part only: %s not found (package golang-github-containers-common); the Docker part ran\n' \
		"$SCENARIO" "$RRS_PODMAN_PROFILE" >&2
fi

log "PASS"
