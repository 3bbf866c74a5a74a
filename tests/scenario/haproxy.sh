#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# haproxy.sh - HAProxy in one sandbox, serving on 127.0.0.1 and [::1]: it
# pauses its listeners with connect(AF_UNSPEC) (Linux's tcp_disconnect())
# and resumes them with listen() again, on SIGTTOU and SIGTTIN and on every
# reload, where the new process pauses the old one's listeners before it
# binds (-sf).  Before connect(AF_UNSPEC) was served, the pause failed and
# HAProxy stopped instead ("Some proxies refused to pause").
#
#   rrsandbox -- sh haproxy.sh  (one sandbox)
#   +------------------------------------------------------------------+
#   | haproxy (1) on 127.0.0.1:P, [::1]:P  <-- curl       "pid N1"     |
#   |   SIGTTOU: paused                    <-- curl       refused (7)  |
#   |   SIGTTIN: resumed                   <-- curl       "pid N1"     |
#   | haproxy (2) -sf N1: pauses (1), binds, (1) leaves   "pid N2"     |
#   +------------------------------------------------------------------+

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need haproxy curl

inner_script haproxy.sh <<'EOF'
#!/bin/sh
# $1: port.  Exit status names the failing step; what each curl said is
# in curl.log, HAProxy's warnings in hap1.log and hap2.log.
P=$1
cat >hap.cfg <<CFG
global
  maxconn 64
defaults
  mode http
  timeout connect 2s
  timeout client 5s
  timeout server 5s
frontend f
  bind 127.0.0.1:$P
  bind [::1]:$P v6only
  http-request return status 200 content-type text/plain lf-string "pid %pid\n"
CFG

# get URL: the body, or "refused" when nothing listens, else "error N"
get() {
	r=0
	out=$(curl -sS --max-time 5 "$1" 2>/dev/null) || r=$?
	case $r in
	0) echo "$out" ;;
	7) echo refused ;;
	*) echo "error $r" ;;
	esac
}

# until_ WANT URL: get until the answer matches WANT (a case pattern)
until_() {
	i=0
	while :; do
		a=$(get "$2")
		echo "$2: $a" >>curl.log
		case $a in $1) return 0 ;; esac
		i=$((i + 1))
		[ $i -lt 50 ] || return 1
		sleep 0.1
	done
}

haproxy -f hap.cfg -db 2>hap1.log &
h1=$!
until_ "pid *" "http://127.0.0.1:$P/" || exit 10
until_ "pid *" "http://[::1]:$P/" || exit 11
kill -TTOU $h1
until_ refused "http://127.0.0.1:$P/" || exit 12
until_ refused "http://[::1]:$P/" || exit 13
kill -TTIN $h1
until_ "pid *" "http://127.0.0.1:$P/" || exit 14
until_ "pid *" "http://[::1]:$P/" || exit 15
one=$(get "http://127.0.0.1:$P/")
echo "first: $one" >>curl.log

# a reload: the new process pauses the old one's listeners, binds, and
# sends it away
haproxy -f hap.cfg -db -sf $h1 2>hap2.log &
h2=$!
wait $h1 || exit 16
two=$(get "http://127.0.0.1:$P/")
echo "second: $two" >>curl.log
[ "$two" != "$one" ] || exit 17
case $two in "pid "*) ;; *) exit 18 ;; esac
until_ "$two" "http://[::1]:$P/" || exit 19
kill $h2
wait $h2
exit 0
EOF

p=$(free_port)
step "haproxy on port $p: pause, resume, reload"
rrs_run 90 haproxy -- sh -c 'cd "$1" && sh haproxy.sh "$2"' sh "$RUN" "$p"
LAST_OUT=$RUN/curl.log LAST_ERR=$RUN/hap1.log
expect_rc 0 "rrsandbox -- sh haproxy.sh (status = failing step, see haproxy.sh)"
grep -q 'Paused frontend f' "$RUN/hap1.log" || fail "haproxy did not pause its frontend"
grep -q 'Resumed frontend f' "$RUN/hap1.log" || fail "haproxy did not resume its frontend"
! grep -q 'refused to pause' "$RUN/hap1.log" "$RUN/hap2.log" ||
	fail "haproxy's pause was refused"
log "ok: paused (connections refused), resumed, and reloaded ($(grep -E '^(first|second):' "$RUN/curl.log" | tr '\n' ' '))"
log "PASS"
