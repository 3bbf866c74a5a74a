#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# sockopts.sh - socket options and datagram control messages answer in
# the sandbox as the kernel under the test answers an unprivileged
# program.  Two tables, each printed by a program of tests/progs, one line
# per call, natively and in rrsandbox, both as the unprivileged user:
#
#   sockopts   about 140 options of TCP, UDP, ping and raw sockets, IPv4
#              and IPv6 (new, a loopback listener, a UDP socket connected
#              to itself), with good, bad, short, long, NULL values and
#              lengths, and what getsockopt() reads back
#   dgrammsg   sendmsg() on a UDP, ping or raw socket sending to itself on
#              loopback (IPv4, IPv6, and an IPv6 socket to a v4-mapped
#              address) with each control message Linux knows, good and
#              bad, and the messages recvmsg() then brings (a ping
#              socket's: of the echo reply)
#
# Each pair of tables must be the same line for line, but for the known
# differences listed in PROG.known beside this script (lib.sh's
# compare_table()).  As root the native side runs in a network namespace
# of its own with lo only, as a sandbox starts.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need awk

# Natively in a network namespace of its own with lo only, as the
# sandbox starts, where root can make one; else on the host (whose other
# devices some known differences name).
# Ping sockets only there: the host's ping_group_range may not hold the
# unprivileged user's group.
if [ "$(id -u)" -eq 0 ] && unshare -n true 2>/dev/null; then
	compare_table sockopts 10000 1
	compare_table dgrammsg 100 1
	# raw sockets (OSPF's protocol), natively with CAP_NET_RAW, which
	# the sandbox's program does not need
	COMPARE_CAPS=net_raw compare_table sockopts 3000 1 raw4 raw6 icmp4 icmp6
	COMPARE_CAPS=net_raw compare_table dgrammsg 50 1 raw4 raw6
else
	log "not root: the native tables come from the host's network, without ping and raw sockets"
	compare_table sockopts 10000 0 tcp4 tcp6 udp4 udp6 tcp4-listen tcp6-listen \
		udp4-conn udp6-conn nl
	compare_table dgrammsg 100 0 udp4 udp6 udp6m
fi
checks_done
log "PASS"
