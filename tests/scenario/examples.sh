#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# examples.sh - the ready configurations in examples/ stay working: every
# BIRD config there (*.bird) parses with Debian's bird (`bird -p`), every
# rrsandbox network file (*.net) loads (`rrsandbox -c FILE -- true`, in a
# scratch copy of its folder), and the BGP demo `make demo` runs
# (examples/demo-bgp.sh: two BIRDs reach Established, ping across, stop
# cleanly) passes as the unprivileged user.

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"
need bird birdc ping ip

repo=$(cd "$RRS_SCENARIO_DIR/../.." && pwd)
cp -r "$repo/examples" "$WORK/examples"
chmod -R a+rX "$WORK/examples"

step "every BIRD config in examples/ parses"
n=0
while IFS= read -r f; do
	rel=${f#"$WORK/examples/"}
	( cd "$(dirname "$f")" && with_timeout 10 unpriv bird -p -c "$f" ) \
		>"$RUN/parse.out" 2>&1 || { LAST_OUT=$RUN/parse.out LAST_ERR=; fail "bird -p rejects examples/$rel"; }
	n=$((n + 1))
done < <(find "$WORK/examples" -name '*.bird' | sort)
[ "$n" -gt 0 ] || fail "no *.bird file found under examples/"
log "$n BIRD configs parse"

step "every rrsandbox network file in examples/ loads"
n=0
while IFS= read -r f; do
	rel=${f#"$WORK/examples/"}
	scratch=$RUN/net.$n
	cp -r "$(dirname "$f")" "$scratch"
	chmod -R a+rwX "$scratch"
	( cd "$scratch" && rrs_run 10 "net$n" -c "$scratch/$(basename "$f")" --no-control -- true; [ "$RC" -eq 0 ] ) ||
		fail "rrsandbox -c examples/$rel -- true failed"
	n=$((n + 1))
done < <(find "$WORK/examples" -name '*.net' | sort)
[ "$n" -gt 0 ] || fail "no *.net file found under examples/"
log "$n network files load"

step "the BGP demo (make demo) passes unprivileged"
LAST_OUT=$RUN/demo.out LAST_ERR=$RUN/demo.err
with_timeout 90 unpriv sh "$WORK/examples/demo-bgp.sh" "$RRS" >"$RUN/demo.out" 2>"$RUN/demo.err" ||
	fail "examples/demo-bgp.sh failed"
grep -q 'both routers stopped cleanly' "$RUN/demo.out" || fail "the demo did not finish"
[ "$(grep -c Established "$RUN/demo.out")" -ge 4 ] || fail "the demo showed fewer than 4 Established sessions"
[ "$(grep -c ' 0% packet loss' "$RUN/demo.out")" -eq 4 ] || fail "the demo's pings lost packets"
log "PASS"
