#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# docker_profile.sh - rrsandbox as `docker run` without --privileged runs
# it, without a container engine (none works on these machines): Docker's
# default seccomp profile loaded with libseccomp (seccomp-exec), no
# capabilities, uid 65534.  A TCP exchange (python3 http.server and curl,
# nc upload) and a UDP one (python3 echo) must be byte-exact, rrsandbox
# must log that it holds the program's ends ("pidfd_getfd no": Docker's
# profile refuses pidfd_getfd), and a probe without rrsandbox must show
# that the profile really refuses pidfd_getfd while allowing what rrsandbox
# needs.  The same runs under Podman's profile when it is installed
# (/usr/share/containers/seccomp.json, golang-github-containers-common);
# there rrsandbox must log what the probe finds: Debian 12's Podman profile
# (0.50.1) allows pidfd_getfd, so "pidfd_getfd yes".  Without it, a SKIP
# line says so and the Docker part alone decides.
#
#   root (ctest) -- setpriv: uid 65534, no caps, no_new_privs (lib.sh unpriv)
#   +------------------------------------------------------------------+
#   | seccomp-exec PROFILE --          seccomp filter 1: the profile   |
#   |  +-------------------------------------------------------------+ |
#   |  | rrsandbox -vv --             probes pidfd_getfd: EPERM      | |
#   |  |  +--------------------------------------------------------+ | |
#   |  |  | sh inner.sh                filter 2: rrsandbox's,      | | |
#   |  |  |                            stacked on filter 1         | | |
#   |  |  |  http.server 127.0.0.1:T  ==big==>  curl  >got          | | |
#   |  |  |  nc -l 127.0.0.1:N >nc.got <==big==  nc -N             | | |
#   |  |  |  udp.py server 127.0.0.1:U <=dgrams=> udp.py client     | | |
#   |  |  +-------------- lwIP loopback inside rrsandbox ----------+ | |
#   |  +-------------------------------------------------------------+ |
#   +------------------------------------------------------------------+
#   probe.py, run the same way without rrsandbox (and once without the
#   profile): pidfd_getfd EPERM, pidfd_open and process_vm_readv allowed.
#
# Environment: RRSANDBOX, RRS_SECCOMP_EXEC (the binaries), RRS_DOCKER_PROFILE
# (default: ../shared/containers/docker-default-seccomp.json beside the
# repository), RRS_PODMAN_PROFILE (default /usr/share/containers/seccomp.json).

set -euo pipefail
# Before lib.sh, which enters the work dir.
REPO=$(cd "$(dirname "$0")/../.." && pwd)
: "${RRS_DOCKER_PROFILE:=$REPO/../shared/containers/docker-default-seccomp.json}"
: "${RRS_PODMAN_PROFILE:=/usr/share/containers/seccomp.json}"
: "${RRS_SECCOMP_EXEC:=$REPO/build/tests/container/seccomp-exec}"
# shellcheck source=../scenario/lib.sh source-path=SCRIPTDIR
source "$REPO/tests/scenario/lib.sh"

[ -f "$RRS_DOCKER_PROFILE" ] ||
	skip "Docker's seccomp profile not found at $RRS_DOCKER_PROFILE (it lives in shared/containers/ beside the repository)"
[ -x "$RRS_SECCOMP_EXEC" ] ||
	fail "seccomp-exec not found at $RRS_SECCOMP_EXEC (build it, or set RRS_SECCOMP_EXEC)"
need curl nc sha256sum

# Stage seccomp-exec and the profiles where uid 65534 can read them.
SX=$WORK/bin/seccomp-exec
cp "$RRS_SECCOMP_EXEC" "$SX"
chmod 755 "$SX"
mkdir "$WORK/profiles"
cp "$RRS_DOCKER_PROFILE" "$WORK/profiles/docker.json"
if [ -f "$RRS_PODMAN_PROFILE" ]; then
	cp "$RRS_PODMAN_PROFILE" "$WORK/profiles/podman.json"
fi
chmod -R a+rX "$WORK/profiles"

# probe.py: what the kernel answers this process, one "key=value" a line.
# pidfd_getfd on fd 0x7ffffff0: EPERM when refused, EBADF when allowed
# (the kernel checks permission before the fd), as rrsandbox's own probe.
inner_script probe.py <<'EOF'
import ctypes, errno, os

libc = ctypes.CDLL(None, use_errno=True)
SYS_pidfd_open, SYS_clone3, SYS_pidfd_getfd = 434, 435, 438  # all arches


def res(r):
    return "ok" if r >= 0 else errno.errorcode.get(ctypes.get_errno(), "?")


class iovec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]


for line in open("/proc/self/status"):
    k, _, v = line.partition(":")
    if k in ("Uid", "CapEff", "Seccomp", "Seccomp_filters", "NoNewPrivs"):
        print("%s=%s" % (k, v.split()[0]))
pfd = libc.syscall(SYS_pidfd_open, os.getpid(), 0)
print("pidfd_open=" + res(pfd))
if pfd >= 0:
    print("pidfd_getfd=" + res(libc.syscall(SYS_pidfd_getfd, pfd, 0x7FFFFFF0, 0)))
src = ctypes.create_string_buffer(b"probe", 8)
dst = ctypes.create_string_buffer(8)
liov = iovec(ctypes.cast(dst, ctypes.c_void_p), 8)
riov = iovec(ctypes.cast(src, ctypes.c_void_p), 8)
n = libc.process_vm_readv(os.getpid(), ctypes.byref(liov), 1, ctypes.byref(riov), 1, 0)
print("process_vm_readv=" + ("ok" if n == 8 and dst.value == b"probe" else res(n)))
print("clone3=" + res(libc.syscall(SYS_clone3, None, 0)))
print("unshare_user=" + res(libc.unshare(0x10000000)))  # CLONE_NEWUSER
EOF

# udp.py: "server ADDR PORT" echoes datagrams (keeping them in udp.srv)
# until "END"; "client ADDR PORT FILE" sends FILE in datagrams of varied
# sizes over an unconnected socket, one at a time, keeping the echoes.
inner_script udp.py <<'EOF'
import socket, sys

mode, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(10)
if mode == "server":
    s.bind((addr, port))
    open("udp.ready", "w").write("1")
    with open("udp.srv", "wb") as out:
        while True:
            data, peer = s.recvfrom(65535)
            s.sendto(data, peer)
            if data == b"END":
                break
            out.write(data)
else:
    data = open(sys.argv[4], "rb").read()
    sizes = [1, 100, 512, 1000, 1400, 1472, 7, 333]
    with open("udp.echo", "wb") as out:
        pos = i = 0
        while pos < len(data):
            chunk = data[pos:pos + sizes[i % len(sizes)]]
            s.sendto(chunk, (addr, port))
            echo, peer = s.recvfrom(65535)
            if peer != (addr, port) or echo != chunk:
                sys.exit("datagram %d: bad echo from %s" % (i, peer))
            out.write(echo)
            pos += len(chunk)
            i += 1
        s.sendto(b"END", (addr, port))
        s.recvfrom(16)
    print("udp: %d datagrams echoed" % i)
EOF

# inner.sh: runs inside rrsandbox; the exit status names the failing step.
inner_script inner.sh <<'EOF'
#!/bin/sh
# $1: python3, $2: TCP port (http), $3: TCP port (nc), $4: UDP port
py=$1 tp=$2 np=$3 up=$4
"$py" probe.py >inner.status || exit 9

"$py" -m http.server --bind 127.0.0.1 --directory www "$tp" >http.log 2>&1 &
srv=$!
i=0
until curl -sS --max-time 30 -o got "http://127.0.0.1:$tp/big" 2>curl.err; do
	rc=$?
	[ $rc -eq 7 ] || { cat curl.err >&2; exit 10; }	# 7: not listening yet
	i=$((i + 1))
	[ $i -lt 100 ] || exit 11
	sleep 0.1
done
kill "$srv"
wait "$srv"

nc -l 127.0.0.1 "$np" >nc.got </dev/null &
l=$!
i=0
until nc -v -N 127.0.0.1 "$np" <big >/dev/null 2>nc.err; do
	grep -q refused nc.err || { cat nc.err >&2; exit 12; }
	i=$((i + 1))
	[ $i -lt 100 ] || exit 13
	sleep 0.1
done
wait $l || exit 14

"$py" udp.py server 127.0.0.1 "$up" &
u=$!
i=0
until [ -f udp.ready ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || exit 15
	sleep 0.1
done
"$py" udp.py client 127.0.0.1 "$up" udp.in || exit 16
wait $u || exit 17
EOF

mkdir "$RUN/www"
head -c 3145728 /dev/urandom >"$RUN/www/big"
cp "$RUN/www/big" "$RUN/big"
chmod -R a+rX "$RUN/www" "$RUN/big"

# probe() - run probe.py as the unprivileged user, under a profile or not
# @1: tag (output in $RUN/probe.TAG)
# @2: staged profile, or "" for none
probe() {
	local tag=$1 prof=$2 rc=0
	local cmd=("$PY" "$RUN/probe.py")
	[ -z "$prof" ] || cmd=("$SX" "$prof" -- "${cmd[@]}")
	LAST_OUT=$RUN/probe.$tag
	LAST_ERR=$RUN/probe.$tag.err
	with_timeout 20 unpriv "${cmd[@]}" >"$LAST_OUT" 2>"$LAST_ERR" </dev/null || rc=$?
	[ "$rc" -eq 0 ] || fail "probe ($tag): exit status $rc"
	log "probe ($tag): $(tr '\n' ' ' <"$LAST_OUT")"
}

# got() - the value of KEY in a probe's output
# @1: file
# @2: key
got() {
	sed -n "s/^$2=//p" "$1"
}

# expect() - fail unless KEY has VALUE in a probe's output
# @1: file, @2: key, @3: value, @4: what it means
expect() {
	[ "$(got "$1" "$2")" = "$3" ] ||
		fail "${1##*/}: $2 is '$(got "$1" "$2")', expected $3 ($4)"
}

# check_sha() - fail unless a file the sandbox wrote equals its source
# @1: file written, @2: source, @3: what
check_sha() {
	[ -f "$RUN/$1" ] || fail "$3: $1 missing"
	[ "$(sha "$RUN/$1")" = "$(sha "$RUN/$2")" ] ||
		fail "$3: $1 differs from $2 ($(stat -c %s "$RUN/$1") bytes)"
	log "ok: $3 ($(stat -c %s "$RUN/$1") bytes, sha256 equal)"
}

# run_profile() - the exchanges in rrsandbox under one profile
# @1: tag (docker, podman)
# @2: staged profile
# @3: "yes" or "no": what rrsandbox must log after "pidfd_getfd"
run_profile() {
	local tag=$1 prof=$2 fetch=$3 tp np up filters

	(cd "$RUN" && rm -f got nc.got udp.ready udp.srv udp.echo udp.in inner.status)
	head -c 262144 /dev/urandom >"$RUN/udp.in"
	chmod 644 "$RUN/udp.in"
	tp=$(free_port) np=$(free_port) up=$(free_port)
	step "$tag: seccomp-exec $tag.json -- rrsandbox -vv -- sh inner.sh (ports $tp $np $up)"
	LAST_OUT=$RUN/$tag.out
	LAST_ERR=$RUN/$tag.err
	RC=0
	with_timeout 45 unpriv "$SX" -v "$prof" -- "$RRS" -vv -- \
		sh "$RUN/inner.sh" "$PY" "$tp" "$np" "$up" \
		>"$LAST_OUT" 2>"$LAST_ERR" </dev/null || RC=$?
	log "exit status $RC"
	grep -q '^seccomp-exec: .*rules' "$LAST_ERR" ||
		fail "$tag: no filter summary from seccomp-exec"
	log "$(grep -m1 '^seccomp-exec: ' "$LAST_ERR")"
	grep -q 'seccomp user notification is unavailable' "$LAST_ERR" &&
		fail "$tag: rrsandbox cannot install its notify filter under the profile"
	expect_rc 0 "$tag: rrsandbox -- sh inner.sh (status = failing step, see inner.sh)"

	grep -q "pidfd_getfd $fetch" "$LAST_ERR" ||
		fail "$tag: rrsandbox's log lacks \"pidfd_getfd $fetch\": $(grep -m1 'pidfd_getfd' "$LAST_ERR" || echo 'no such line')"
	log "ok: $(grep -m1 -o "pidfd_getfd $fetch.*" "$LAST_ERR")"

	# The program inside runs under both filters, without capabilities.
	filters=$(got "$RUN/inner.status" Seccomp_filters)
	[ "${filters:-0}" -ge 2 ] ||
		fail "$tag: the program runs under ${filters:-no} seccomp filters, expected the profile's and rrsandbox's"
	expect "$RUN/inner.status" CapEff 0000000000000000 "no capabilities inside"
	log "ok: inside: uid $(got "$RUN/inner.status" Uid), $filters filters, no capabilities"

	check_sha got www/big "$tag: TCP http.server -> curl"
	check_sha nc.got big "$tag: TCP nc -N -> nc -l"
	check_sha udp.srv udp.in "$tag: UDP client -> server"
	check_sha udp.echo udp.in "$tag: UDP echoes"
}

# The restricted setting first: Docker's profile refuses pidfd_getfd (and
# clone3, unshare) and allows what rrsandbox needs.
step "probe without the profile, then under Docker's"
probe native ""
probe docker "$WORK/profiles/docker.json"
expect "$RUN/probe.docker" pidfd_getfd EPERM "Docker's profile refuses pidfd_getfd"
expect "$RUN/probe.docker" pidfd_open ok "rrsandbox needs pidfd_open"
expect "$RUN/probe.docker" process_vm_readv ok "rrsandbox reads tracee memory"
expect "$RUN/probe.docker" clone3 ENOSYS "Docker's profile answers clone3 with ENOSYS"
expect "$RUN/probe.docker" unshare_user EPERM "Docker's profile refuses unshare"
expect "$RUN/probe.docker" CapEff 0000000000000000 "no capabilities"
expect "$RUN/probe.docker" Seccomp 2 "in seccomp filter mode"
if [ "$(got "$RUN/probe.native" pidfd_getfd)" = EBADF ]; then
	log "ok: pidfd_getfd is allowed here without the profile: the profile refuses it"
else
	log "note: pidfd_getfd gives $(got "$RUN/probe.native" pidfd_getfd) here even without the profile"
fi

run_profile docker "$WORK/profiles/docker.json" "no"

if [ -f "$WORK/profiles/podman.json" ]; then
	step "probe under Podman's profile ($RRS_PODMAN_PROFILE)"
	probe podman "$WORK/profiles/podman.json"
	expect "$RUN/probe.podman" pidfd_open ok "rrsandbox needs pidfd_open"
	expect "$RUN/probe.podman" process_vm_readv ok "rrsandbox reads tracee memory"
	case $(got "$RUN/probe.podman" pidfd_getfd) in
	EBADF) fetch=yes ;;
	EPERM) fetch=no ;;
	*) fail "podman: pidfd_getfd probe gave '$(got "$RUN/probe.podman" pidfd_getfd)'" ;;
	esac
	log "Podman's profile: pidfd_getfd $(got "$RUN/probe.podman" pidfd_getfd), so rrsandbox must say \"pidfd_getfd $fetch\""
	run_profile podman "$WORK/profiles/podman.json" "$fetch"
else
	printf 'SKIP: %s: Podman part only: %s not found (package golang-github-containers-common); the Docker part ran\n' \
		"$SCENARIO" "$RRS_PODMAN_PROFILE" >&2
fi

# A profile that refuses what rrsandbox needs: a clear error and status
# 125, never a crash (ioctl: libuv's FIONBIO and the listener's ioctls) or
# EFAULT for every call (process_vm_readv/writev).
step "profiles without ioctl, without process_vm_readv/writev: exit 125, named"
"$PY" - "$WORK/profiles" <<'EOF'
import json, sys
d = sys.argv[1]
for tag, drop in (("noioctl", {"ioctl"}),
                  ("novm", {"process_vm_readv", "process_vm_writev"})):
    p = json.load(open(d + "/docker.json"))
    for sc in p["syscalls"]:
        sc["names"] = [n for n in sc.get("names", []) if n not in drop]
    json.dump(p, open("%s/%s.json" % (d, tag), "w"))
EOF
chmod a+r "$WORK"/profiles/*.json
for tag in noioctl novm; do
	rc=0
	with_timeout 20 unpriv "$SX" "$WORK/profiles/$tag.json" -- "$RRS" --no-control \
		-- true >"$RUN/$tag.out" 2>"$RUN/$tag.err" || rc=$?
	LAST_OUT=$RUN/$tag.out LAST_ERR=$RUN/$tag.err
	[ "$rc" -eq 125 ] || fail "$tag profile: rrsandbox exited $rc, want 125"
	case $tag in
	noioctl) want='refuse ioctl()' ;;
	novm) want='process_vm_readv() is refused' ;;
	esac
	grep -qF "$want" "$RUN/$tag.err" || fail "$tag profile: no message saying '$want'"
done

log "PASS"
