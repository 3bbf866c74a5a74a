#!/bin/bash
# SPDX-License-Identifier: MIT
#
# asan_fuzz.sh - sockfuzz, and a listener closed during a handshake,
# against a supervisor built with AddressSanitizer and
# UndefinedBehaviorSanitizer.  The release build survives a read of
# freed memory or a NULL handed to qsort() without a sign; the sanitizers
# abort on the first one, and the run fails.  What the fuzzer found this
# way (a bind() whose scan freed its own socket, a datagram's TOS read
# after its pbuf was freed, a control buffer cut in a message's padding
# that made the supervisor read a cmsghdr at an odd offset and, with a
# zero there, loop forever) shows why it runs with every `make test`.
#
# Usage: asan_fuzz.sh SOURCE_DIR BUILD_DIR SOCKFUZZ
#        builds the sanitized rrsandbox and rrctl in BUILD_DIR
#        (asan_build.sh) and runs SOCKFUZZ in it through unpriv.sh (one run
#        with -k, packet sockets too): seeds that
#        reached those bugs, with and without pidfd_getfd() (held ends);
#        then python3 closing a listener whose handshake waits.
#
# Exit status: 0 when every run passed; 1 when one failed (its output
# names the sanitizer's report); 77 (SKIP) when the compiler cannot build
# with the sanitizers; 2 on a usage error.

set -u

[ $# -eq 3 ] || { echo "usage: asan_fuzz.sh SOURCE_DIR BUILD_DIR SOCKFUZZ" >&2; exit 2; }
src=$1 bdir=$2 fuzz=$3
here=$(cd "$(dirname "$0")" && pwd)

# The sanitized build: CTest's fixture "asan" made it already (then this
# costs a check of what changed), or it is made now.
bash "$here/asan_build.sh" "$src" "$bdir" >/dev/null
rc=$?
[ $rc -eq 0 ] || exit $rc

# LeakSanitizer too, at the supervisor's exit (sanitized.sh says how).
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86
export UBSAN_OPTIONS=print_stacktrace=1

fail=0

# verdict() - the TAP line of one run; its sanitizer report and the end
#             of its output, and fail=1, when it failed
# @1: what ran
# @2: its exit status
# @3: its output
# @4: a line its output must hold (optional)
verdict() {
	if [ "$2" -ne 0 ] || grep -qE 'AddressSanitizer|runtime error' <<<"$3" ||
		{ [ -n "${4:-}" ] && ! grep -q -- "$4" <<<"$3"; }; then
		echo "not ok - $1 under the sanitized supervisor: status $2"
		grep -E -A 12 'ERROR: (Address|Leak)Sanitizer|runtime error' <<<"$3" | head -n 40
		tail -n 5 <<<"$3"
		fail=1
	else
		echo "ok - $1 under the sanitized supervisor"
	fi
}

# seed, "held" for RRSANDBOX_NO_PIDFD_GETFD=1, calls (a seed's calls
# depend on how many it makes: the child takes over at a quarter), and
# sockfuzz's options ("-": none; -k: packet sockets too)
for run in "604 plain 10000 -" "406 held 10000 -" "1 plain 10000 -" "2006 held 4000 -" \
	"5 plain 8000 -k"; do
	read -r seed mode calls opts <<<"$run"
	if [ "$mode" = held ]; then
		export RRSANDBOX_NO_PIDFD_GETFD=1
	else
		unset RRSANDBOX_NO_PIDFD_GETFD
	fi
	[ "$opts" != - ] || opts=
	# shellcheck disable=SC2086 # opts: no option or one word
	out=$(bash "$here/unpriv.sh" "$bdir/cli/rrsandbox" "$fuzz" -s "$seed" -n "$calls" $opts -t 200 2>&1)
	rc=$?
	if [ $rc -eq 77 ]; then
		printf '%s\n' "$out" >&2
		exit 77
	fi
	verdict "sockfuzz -s $seed${opts:+ $opts} ($mode ends)" "$rc" "$out"
done
unset RRSANDBOX_NO_PIDFD_GETFD

# A listener closed while a handshake of its waits in SYN_RCVD: lwIP sends
# the SYN-ACK again, and the route hook asked the listener's socket, freed
# by then, for its owner (BIRD stopping with a ttl-security peer half
# connected did this).  The client's IP_MINTTL 255 drops the SYN-ACKs
# (TTL 64), so the handshake stays half open; the SYN-ACK goes again at
# about 1 s and 3 s.
HS='
import socket, time
l = socket.socket()
l.bind(("127.0.0.1", 0))
l.listen()
c = socket.socket()
c.setsockopt(socket.IPPROTO_IP, 21, 255)	# IP_MINTTL
c.setblocking(False)
try:
    c.connect(l.getsockname())
except BlockingIOError:
    pass
time.sleep(0.5)
l.close()
time.sleep(3.5)
print("handshake: listener closed, SYN-ACKs sent again")
'
if ! command -v python3 >/dev/null 2>&1; then
	echo "SKIP-PART: asan_fuzz.sh: python3 is not installed: the closed listener's handshake is not run" >&2
	echo "not ok - a closed listener's handshake under the sanitized supervisor # SKIP no python3"
	exit $fail
fi
# shellcheck disable=SC2016 # expanded by the inner sh
out=$(bash "$here/unpriv.sh" "$bdir/cli/rrsandbox" /bin/sh -c 'exec python3 -c "$0"' "$HS" 2>&1)
rc=$?
verdict "a closed listener's handshake" "$rc" "$out" 'SYN-ACKs sent again'
exit $fail
