#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# addrmatrix.sh - bind() and connect() take addresses in the sandbox as
# Linux takes them in a network namespace holding lo only, as a sandbox
# starts.  tests/progs/addrmatrix binds and connects fresh TCP and UDP
# sockets (IPv4, IPv6, IPv6 with IPV6_V6ONLY) to about 30 addresses
# (loopback, any, broadcast, groups, link-local with and without a scope,
# v4-mapped and v4-compatible, another family, AF_UNSPEC, short and long
# lengths, NULL), sends a UDP datagram to each (with and without
# SO_BROADCAST), and prints each answer with getsockname() and
# getpeername(); the table natively (as root, in a namespace of its own,
# the program as the unprivileged user) and in rrsandbox must be the same
# line for line but for addrmatrix.known (lib.sh's compare_table()).
# Nothing leaves either: the namespace holds lo only, as the sandbox.
# The same for tests/progs/iotable, the socket ioctls' getters on TCP,
# UDP and AF_UNIX sockets (iotable.known), and tests/progs/polltable,
# what poll(), SO_ERROR and recv() say of TCP and UDP sockets in each
# state, through the local shortcut and through lwIP (polltable.known),
# tests/progs/recvtable, a UDP socket's receive calls with each buffer,
# name and control room and MSG_PEEK and MSG_TRUNC, and
# tests/progs/mmsgtable, sendmmsg() and recvmmsg() of UDP and TCP sockets
# with good and bad vectors, flags and timeouts (mmsgtable.known).

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need awk ip unshare
[ "$(id -u)" -eq 0 ] ||
	skip "needs root for a network namespace like a new sandbox's (the host's own routes would answer otherwise)"
unshare -n true 2>/dev/null || skip "unshare -n refused: no network namespaces here"

compare_table addrmatrix 300 1 --sendto
compare_table iotable 400 1
# readiness: through the local shortcut, and through lwIP
compare_table polltable 40 1
RRS_OPTS=--no-shortcut compare_table polltable 40 1
compare_table recvtable 400 1
compare_table mmsgtable 150 1
checks_done
log "PASS"
