#!/bin/sh
# SPDX-License-Identifier: MIT
# deps.sh - install the Debian packages rrsandbox builds and tests with.
#
# Usage: deps.sh [build|test]
#
# Installs only what is missing, with sudo when not root.  "build" is what
# compiling needs; "test" adds the real programs the scenario tests run
# (bird2, gobgpd and frr start their system services where the machine
# runs services, keepalived only once /etc/keepalived/keepalived.conf
# exists; the tests start instances of their own and leave those alone).
set -eu

build="cmake make gcc libc6-dev pkg-config libseccomp-dev libuv1-dev check libsubunit-dev libpcap-dev patch xz-utils ca-certificates"
test="iproute2 iputils-ping iputils-tracepath mtr-tiny traceroute netcat-openbsd socat curl iperf3 sockperf python3 bird2 util-linux procps golang-github-containers-common slirp4netns tcpdump gobgpd net-tools lsof dnsmasq-base bind9-dnsutils frr keepalived iputils-arping ethtool haproxy iperf radvd"

want=$build
[ "${1:-build}" = test ] && want="$build $test"

missing=
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	sudo=
elif command -v sudo >/dev/null 2>&1; then
	sudo=sudo
else
	echo "deps.sh: missing packages:$missing; install them as root" >&2
	exit 1
fi
echo "deps.sh: installing$missing"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
# shellcheck disable=SC2086
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	--no-install-recommends $missing
