#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# unbound.sh - unbound, the validating resolver, serves in a sandbox.  It
# sets IPV6_MTU 1280 on its UDP sockets (and IPV6_MTU_DISCOVER,
# IP_MTU_DISCOVER to IP_PMTUDISC_OMIT) and did not start at all while the
# sandbox refused IPV6_MTU with ENOPROTOOPT ("could not open ports").
#
#   A (a.conf, --pcap)                       B (b.conf)
#   eth0 10.0.9.1/24  fd00:9::1/64  ==link==  eth0 10.0.9.2/24  fd00:9::2/64
#   dig                                       unbound on port 53
#
# unbound answers its local data to dig from A over UDP and TCP, IPv4 and
# IPv6, and to B itself on ::1 and 127.0.0.1.  A TXT name with five
# 250-byte records (max-udp-size 4096, dig +bufsize=4096) comes whole in
# a 1355-byte answer, which unbound's IPV6_MTU has sent in two fragments,
# the first 1280 bytes (a 1294-byte frame in A's pcap), as Linux sends it.
#
# unbound is not among scripts/deps.sh's packages: Debian's `unbound`
# installs and starts a system resolver, which `make test` must not do to
# a machine.  Skips (77) without it; `apt-get install unbound` runs it.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need unbound dig tcpdump python3

routed_pair a b
inner_dns_sh
mkdir "$RUN/pcap"
chmod 777 "$RUN/pcap"

{
	cat <<'EOF'
server:
  interface: 127.0.0.1
  interface: ::1
  interface: 10.0.9.2
  interface: fd00:9::2
  port: 53
  interface-automatic: no
  do-daemonize: no
  username: ""
  chroot: ""
  pidfile: ""
  use-syslog: no
  logfile: ""
  verbosity: 1
  access-control: 127.0.0.0/8 allow
  access-control: ::1 allow
  access-control: 10.0.9.0/24 allow
  access-control: fd00:9::/64 allow
  max-udp-size: 4096
  do-not-query-localhost: yes
  local-zone: "sandbox." static
  local-data: "u.sandbox. IN A 10.7.7.7"
  local-data: "u.sandbox. IN AAAA fd00::77"
EOF
	python3 -c 'for c in "abcde": print("  local-data: \x27big.sandbox. IN TXT \"%s\"\x27" % (c * 250))'
	cat <<'EOF'
remote-control:
  control-enable: no
EOF
} >"$RUN/unbound.conf"
chmod 644 "$RUN/unbound.conf"

inner_script b.sh <<'EOF'
#!/bin/sh
# b.sh CONF: unbound, asked by B itself once it answers; runs until killed
unbound -d -c "$1" &
sh "$(dirname "$0")/dns_wait.sh" 127.0.0.1 u.sandbox || exit 1
echo "self v4 $(dig +short +time=2 +tries=1 @127.0.0.1 u.sandbox A)"
echo "self v6 $(dig +short +time=2 +tries=1 @::1 u.sandbox AAAA)"
echo "ready"
wait
EOF

inner_script a.sh <<'EOF'
#!/bin/sh
# a.sh: asks B's unbound once it answers
tmp=$(mktemp -d)
sh "$(dirname "$0")/dns_ask.sh" u.sandbox "$tmp/big" || exit 1
echo "big answers $(grep -c '^big\.sandbox\..*TXT' "$tmp/big")"
grep -q '^;; flags:.* tc[ ;]' "$tmp/big" && echo "big truncated"
sed -n 's/^;; MSG SIZE  rcvd: /big size /p' "$tmp/big"
rm -rf "$tmp"
EOF

bg unpriv "$RRS" --no-control -c "$RUN/b.conf" -- sh "$RUN/b.sh" "$RUN/unbound.conf" \
	>"$RUN/b.out" 2>"$RUN/b.err"
b=$BG_PID
rrs_run 60 a --no-control -c "$RUN/a.conf" --pcap "$RUN/pcap" -- sh "$RUN/a.sh"
expect_rc 0 "A's queries"
kill "$b" 2>/dev/null || true
wait "$b" 2>/dev/null || true

step "unbound in B answers A over UDP and TCP, IPv4 and IPv6, and B itself"
grep -q "could not open ports" "$RUN/b.err" && fail "unbound could not open its ports (b.err)"
want_lines "$LAST_OUT" A "v4 udp 10.7.7.7" "v6 udp fd00::77" "v4 tcp fd00::77" \
	"v6 tcp 10.7.7.7" "big answers 5" "big size 1355"
! grep -q "big truncated" "$LAST_OUT" || fail "A: the big TXT answer came truncated"
want_lines "$RUN/b.out" B "self v4 10.7.7.7" "self v6 fd00::77"
log "ok: 7 answers, the big one whole"

step "A's pcap: the 1355-byte answer in two fragments, the first 1280 bytes (IPV6_MTU)"
ip6_frags "$RUN/pcap/eth0.pcap" fd00:9::2 "$RUN/frags.txt"
n=$(wc -l <"$RUN/frags.txt")
[ "$n" -eq 2 ] || fail "$n fragments from B, want 2"
grep -q ', length 1294: fd00:9::2 > fd00:9::1: frag (0|1232) 53 > ' "$RUN/frags.txt" ||
	fail "no first fragment of 1280 bytes (a 1294-byte frame) from port 53"
log "ok: 2 fragments, the first 1280 bytes"
log "PASS"
