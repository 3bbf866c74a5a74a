#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# fib_trie.sh - /proc/net/fib_trie and /proc/net/fib_triestat inside a
# sandbox are the sandbox's IPv4 tables, printed as Linux 6.18 prints
# them: its LC-trie's nodes ("+-- PREFIX/LEN BITS FULL EMPTY"), leaves
# and their routes ("/PLEN SCOPE TYPE"), table by table ("Main:",
# "Local:", "Id N:"), and the trie's counts.
#
# 1. (root) The same commands in a sandbox (as the unprivileged user) and
#    in a network namespace, each setup in a fresh one, their outputs
#    compared as they are (nothing in these files names a device):
#    a. addresses only (eth0 10.1.2.3/24, 192.168.50.1/24, lo 10.9.0.1/32):
#       local and main share one trie, printed under both headers;
#    b. routes: a default route, a /32, blackhole, unreachable and
#       prohibit routes, one prefix at two metrics and one with a TOS,
#       and 40 /24s under 10.0.0.0/8, enough for nodes of several bits;
#       then two of those deleted (Linux's resizes after them leave the
#       shape a fresh build has), then 20 more: Linux keeps a node
#       doubled that a table built afresh would not (halving waits until
#       a quarter of the slots are used, doubling needs half), so that
#       read is compared without the nodes' lines, leaves and routes in
#       order, and fib_triestat's leaf and prefix counts;
#    c. a custom rule first (Linux unmerges local from main then), then
#       addresses and routes in main, table 100 and table 300: "Id 300:",
#       "Id 100:", "Main:", "Local:" in that order, each its own trie;
#       then table 100's routes deleted: fib_trie leaves it out,
#       fib_triestat lists it empty; then the rule deleted: the rules are
#       the default ones again, and local and main stay apart;
#    d. a default rule deleted first (that unmerges them too), then an
#       address and a route, then the rule back.
#
#   rrsandbox -c sb.conf (uid 65534)        netns rrs-fib-PID-a (root)
#   eth0 (link, up)                          eth0 (veth, peer up in B)
#   [a: 10.1.2.3/24 192.168.50.1/24 on eth0, 10.9.0.1/32 on lo]
#
# 2. The idiom of containers without iproute2 for one's own addresses,
#    awk '/32 host/ { print f } {f=$2}' /proc/net/fib_trie, gives the
#    sandbox's addresses (setup a's and 127.0.0.1) and none of the
#    host's; as any user, without a namespace to compare with.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need ip sed diff awk grep sort

FILES='cat /proc/net/fib_trie /proc/net/fib_triestat'
# a read after deletions whose resizes Linux remembers: leaves and routes
# (node lines dropped, indentation too, as it follows the nodes), headers,
# and the leaf and prefix counts
LEAVES="sed -e '/+-- /d' -e 's/^ *//' /proc/net/fib_trie; grep -E '^[A-Z][a-z]* ?-?[0-9]*:$|Leaves|Prefixes' /proc/net/fib_triestat"
AWK="awk '/32 host/ { print f } {f=\$2}' /proc/net/fib_trie | sort -u"

# a: the addresses come from the sandbox's -c file, and in the namespace
# from ns_setup()'s $1
cat >"$RUN/a.cmds" <<EOF
$FILES
$AWK
EOF

{
	cat <<'EOF'
ip addr add 10.1.2.3/24 dev eth0
ip addr add 192.168.7.1/16 dev eth0
ip route add default via 10.1.2.1
ip route add 10.50.0.7/32 via 10.1.2.9
ip route add blackhole 198.51.100.0/24
ip route add unreachable 203.0.113.0/24
ip route add prohibit 100.64.0.0/10
ip route add 172.16.0.0/12 via 10.1.2.9 metric 10
ip route add 172.16.0.0/12 via 10.1.2.8 metric 5
ip route add 172.16.0.0/16 via 10.1.2.8 tos 0x10
EOF
	echo 'i=0; while [ $i -lt 40 ]; do ip route add 10.$((i * 3)).$((i * 7 % 256)).0/24 via 10.1.2.9 || exit 1; i=$((i + 1)); done'
	echo "$FILES"
	echo 'ip route del 10.3.7.0/24'
	echo 'ip route del 10.6.14.0/24'
	echo "$FILES"
	echo 'i=10; while [ $i -lt 30 ]; do ip route del 10.$((i * 3)).$((i * 7 % 256)).0/24 || exit 1; i=$((i + 1)); done'
	echo "$LEAVES"
} >"$RUN/b.cmds"

cat >"$RUN/c.cmds" <<EOF
ip rule add from 10.7.0.0/16 table 100
ip addr add 10.1.2.3/24 dev eth0
ip addr add 10.1.5.3/24 dev eth0
ip route add default via 10.1.2.1
ip route add 5.0.0.0/8 via 10.1.2.7 table 100
ip route add 6.0.0.0/8 via 10.1.2.7 table 100
ip route add unreachable 6.6.0.0/16 table 100
ip route add 7.0.0.0/8 via 10.1.2.7 table 300
ip route add 10.50.0.7/32 via 10.1.2.9
$FILES
ip route del 5.0.0.0/8 table 100
ip route del 10.50.0.7/32
$FILES
ip route flush table 100
$FILES
ip rule del from 10.7.0.0/16 table 100
$FILES
EOF

cat >"$RUN/d.cmds" <<EOF
ip rule del pref 32767
ip addr add 10.1.2.3/24 dev eth0
ip route add default via 10.1.2.1
$FILES
ip rule add pref 32767 table default
$FILES
EOF
inner_run_sh

cat >"$RUN/sb.conf" <<EOF
link add eth0 type link local $RUN/eth0.a remote $RUN/eth0.b
link set eth0 up
EOF
cat "$RUN/sb.conf" - >"$RUN/sba.conf" <<'EOF'
addr add 10.1.2.3/24 dev eth0
addr add 192.168.50.1/24 dev eth0
addr add 10.9.0.1/32 dev lo
EOF
chmod 644 "$RUN/sb.conf" "$RUN/sba.conf"
A_ADDRS=$'10.1.2.3/24 dev eth0\n192.168.50.1/24 dev eth0\n10.9.0.1/32 dev lo'

# a fresh namespace as the sandbox (ns_one_veth()), then `ip addr add` of
# each line of $1
ns_setup() {
	local l
	ns_one_veth || return 1
	while IFS= read -r l; do
		[ -z "$l" ] || ip -n "$NS_A" addr add $l || return 1
	done <<<"${1:-}"
}

# ---- 2. (first, as any user) the awk idiom ----

step "the awk idiom in the sandbox"
rrs_run 60 awk --no-control -c "$RUN/sba.conf" -- sh -c \
	"awk '/32 host/ { print f } {f=\$2}' /proc/net/fib_trie"
expect_rc 0 "awk in the sandbox"
sort -u "$RUN/awk.out" >"$RUN/awk.ips"
printf '%s\n' 10.1.2.3 10.9.0.1 127.0.0.1 192.168.50.1 >"$RUN/awk.want"
diff -u "$RUN/awk.want" "$RUN/awk.ips" ||
	fail "the awk idiom does not give exactly the sandbox's addresses"
# the host's own, by the same idiom outside
awk '/32 host/ { print f } {f=$2}' /proc/net/fib_trie | sort -u |
	grep -vxF -f "$RUN/awk.want" >"$RUN/host.ips" || true
if grep -qxF -f "$RUN/host.ips" "$RUN/awk.ips" 2>/dev/null && [ -s "$RUN/host.ips" ]; then
	fail "the sandbox's fib_trie lists the host's addresses: $(tr '\n' ' ' <"$RUN/host.ips")"
fi
log "ok: awk gives $(tr '\n' ' ' <"$RUN/awk.ips")(host's, absent: $(tr '\n' ' ' <"$RUN/host.ips"))"

# ---- 1. against Linux ----

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP-PART: fib_trie.sh: not root, no namespace to compare with" >&2
	exit 0
fi
ns_names fib
bad=0
for s in a b c d; do
	conf=sb.conf
	[ "$s" != a ] || conf=sba.conf
	step "setup $s in the sandbox"
	rrs_run 90 "sb$s" --no-control -c "$RUN/$conf" -- sh -c \
		'cd "$1" && sh run.sh "$2.cmds" "sb.$2"' sh "$RUN" "$s"
	expect_rc 0 "setup $s in the sandbox"
	grep -q '^  |-- \|^[A-Z][a-z]*:$' "$RUN/sb.$s" ||
		fail "setup $s: the sandbox printed no trie"
	step "setup $s in a network namespace"
	addrs=
	[ "$s" != a ] || addrs=$A_ADDRS
	if ! ns_setup "$addrs"; then
		ns_cleanup
		echo "SKIP-PART: fib_trie.sh: no network namespace with veths here" >&2
		exit 0
	fi
	(cd "$RUN" && ip netns exec "$NS_A" sh run.sh "$s.cmds" "linux.$s") ||
		fail "setup $s in the namespace"
	same_as_linux "sb.$s" "linux.$s" "setup $s" || bad=1
done
ns_cleanup
[ "$bad" = 0 ] || fail "the sandbox's fib_trie or fib_triestat is not Linux's"
# what must be there whatever Linux says
grep -q '^ *+-- 10.0.0.0/9 [3-9] ' "$RUN/sb.b" ||
	fail "setup b: no node of several bits for the 40 /24s"
grep -q '^Id 100:$' "$RUN/sb.c" || fail "setup c: no table 100"
log "ok: $(wc -l <"$RUN/sb.a") + $(wc -l <"$RUN/sb.b") + $(wc -l <"$RUN/sb.c") lines alike"
