#!/bin/sh
# show.sh NAME PEER4 PEER6 - run inside router NAME's sandbox by
# ../demo-bgp.sh: start BIRD, wait for both BGP sessions, then show what
# the sandbox's own programs see (birdc, ip route) and ping the peer's
# stub network along the routes BIRD installed.  SIGTERM stops BIRD.
n=$1 peer4=$2 peer6=$3
ping=${PING:-ping}
bird -f -c "$n.bird" -s "$n.ctl" 2>"$n.log" &
bird=$!
trap 'kill -TERM $bird; wait $bird; exit 0' TERM INT
i=0
until [ "$(birdc -s "$n.ctl" show protocols 2>/dev/null | grep -c Established)" -eq 2 ]; do
	i=$((i + 1))
	if [ $i -gt 150 ] || ! kill -0 $bird 2>/dev/null; then
		echo "router $n: BGP not Established after 30 s" >"$n.show"
		birdc -s "$n.ctl" show protocols >>"$n.show" 2>&1
		touch "$n.done"
		wait $bird
		exit 1
	fi
	sleep 0.2
done
sleep 1		# the routes reach the kernel protocol
{
	echo "== router $n: birdc show protocols"
	birdc -s "$n.ctl" show protocols
	echo "== router $n: ip route; ip -6 route"
	ip route
	ip -6 route
	echo "== router $n: ping the peer's stub network"
	$ping -c 2 -i 0.2 -W 2 "$peer4"
	$ping -6 -c 2 -i 0.2 -W 2 "$peer6"
} >"$n.show" 2>&1
touch "$n.done"
wait $bird
