#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# radvd.sh - Debian's radvd, unprivileged in a sandbox, advertises a
# prefix, and a host sandbox on the same link takes it as Linux does: a
# SLAAC address from it and a default route through radvd's sandbox.
# radvd opens a raw ICMPv6 socket and sets IPV6_CHECKSUM at level SOL_RAW
# (its offset 2, where RFC 3542 wants it asked), which the sandbox
# refused with EINVAL until it followed Linux's do_rawv6_setsockopt()
# (EINVAL only at IPPROTO_IPV6): radvd said "setsockopt(IPV6_CHECKSUM):
# Invalid argument" and stopped.
#
#   R (router): radvd -n, eth0 fd00:77::1/64  ====  H: --no-forward, eth0
#   prefix fd00:77::/64, an RA every 3-4 s          (no address)
#
# Checks: radvd runs (no IPV6_CHECKSUM error) and answers H's router
# solicitation; H's eth0 gets an fd00:77::/64 address and `default via
# fe80::... dev eth0 proto ra`; H pings fd00:77::1 through it.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need radvd ip ping

stage_ping
cat >"$RUN/r.conf" <<EOF
link add eth0 type link local $RUN/r.link remote $RUN/h.link
addr add fd00:77::1/64 dev eth0
EOF
cat >"$RUN/h.conf" <<EOF
link add eth0 type link local $RUN/h.link remote $RUN/r.link
EOF
cat >"$RUN/radvd.conf" <<'EOF'
interface eth0 {
  AdvSendAdvert on;
  MinRtrAdvInterval 3;
  MaxRtrAdvInterval 4;
  prefix fd00:77::/64 { AdvOnLink on; AdvAutonomous on; };
};
EOF
inner_script host.sh <<'EOF'
#!/bin/sh
# $1: ping.  Wait up to 15 s for the SLAAC address, show what H has,
# ping R
for i in $(seq 1 60); do
	ip -6 addr show dev eth0 | grep -q 'inet6 fd00:77::' && break
	sleep 0.25
done
ip -6 addr show dev eth0
ip -6 route
"$1" -6 -c 2 -W 2 fd00:77::1
EOF
chmod 644 "$RUN/r.conf" "$RUN/h.conf" "$RUN/radvd.conf"

step "R: radvd in a sandbox"
# shellcheck disable=SC2086 # RRS_OPTS, as rrs_run splits it
bg unpriv "$RRS" ${RRS_OPTS:-} --no-control -c "$RUN/r.conf" -- \
	radvd -n -d 1 -m stderr -C "$RUN/radvd.conf" -p "$RUN/radvd.pid" \
	>"$RUN/radvd.out" 2>"$RUN/radvd.err"
R=$BG_PID
sleep 1
pid_alive "$R" || { LAST_OUT=$RUN/radvd.out LAST_ERR=$RUN/radvd.err; fail "radvd stopped at once"; }

step "H: a host on R's link takes the advertised prefix"
rrs_run 40 host --no-control --no-forward -c "$RUN/h.conf" -- sh "$RUN/host.sh" "$PING"
expect_rc 0 "host.sh in H (the ping to fd00:77::1 through radvd's route)"
sed 's/^/    H: /' "$RUN/host.out" >&2
grep -qE 'inet6 fd00:77::[0-9a-f:]+/64 scope global dynamic' "$RUN/host.out" ||
	fail "H has no SLAAC address from fd00:77::/64"
grep -qE '^default via fe80::[0-9a-f:]+ dev eth0 proto ra ' "$RUN/host.out" ||
	fail "H has no default route from the RA"
kill "$R" 2>/dev/null || true
wait_pid 10 "$R" || true
LAST_OUT=$RUN/radvd.out LAST_ERR=$RUN/radvd.err
! grep -q 'IPV6_CHECKSUM' "$RUN/radvd.err" || fail "radvd could not set IPV6_CHECKSUM"
log "ok: radvd advertised, H took $(grep -oE 'fd00:77::[0-9a-f:]+/64' "$RUN/host.out" | head -n 1) and its default route"
log "PASS"
