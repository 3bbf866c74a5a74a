#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# asyncio.sh - a Python asyncio (epoll) echo server and client, two
# processes in one sandbox. The server binds port 0 on 127.0.0.1 and ::1
# and publishes the ports getsockname() gave; the client makes 200
# length-prefixed round trips (1 byte to 200 KB) over IPv4 and 10
# concurrent connections of 20 round trips over IPv6, each echo checked,
# each connection ended by a half-close answered with EOF.
#
#   rrsandbox -- sh asyncio.sh  (one sandbox, lwIP loopback)
#   +-----------------------------------------------------------+
#   |  echo.py server                     echo.py client         |
#   |   127.0.0.1:0 (ephemeral)  <=====>   1 conn x 200 trips    |
#   |   [::1]:0     (ephemeral)  <=====>  10 conns x 20 trips    |
#   |   ports -> file ports ------------>  read by the client    |
#   +-----------------------------------------------------------+

set -euo pipefail
# shellcheck source=tests/scenario/lib.sh
source "$(dirname "$0")/lib.sh"

inner_script echo.py <<'EOF'
"""asyncio echo server/client for the asyncio scenario."""
import asyncio
import os
import random
import sys


async def handle(reader, writer):
    try:
        while True:
            hdr = await reader.readexactly(4)
            data = await reader.readexactly(int.from_bytes(hdr, "big"))
            writer.write(hdr + data)
            await writer.drain()
    except asyncio.IncompleteReadError as e:
        if e.partial:
            print("server: short frame at EOF", file=sys.stderr)
    finally:
        writer.close()


async def server():
    s4 = await asyncio.start_server(handle, "127.0.0.1", 0)
    s6 = await asyncio.start_server(handle, "::1", 0)
    p4 = s4.sockets[0].getsockname()[1]
    p6 = s6.sockets[0].getsockname()[1]
    assert p4 != 0 and p6 != 0, "getsockname gave port 0"
    with open("ports.tmp", "w") as f:
        f.write(f"{p4} {p6}\n")
    os.rename("ports.tmp", "ports")
    await asyncio.sleep(3600)


async def client_conn(host, port, rounds, seed):
    rnd = random.Random(seed)
    reader, writer = await asyncio.open_connection(host, port)
    for i in range(rounds):
        n = rnd.choice([1, 100, 1400, 65536, rnd.randint(1, 200000)])
        data = rnd.randbytes(n)
        writer.write(n.to_bytes(4, "big") + data)
        await writer.drain()
        hdr = await reader.readexactly(4)
        assert int.from_bytes(hdr, "big") == n, f"{host} round {i}: bad length"
        back = await reader.readexactly(n)
        assert back == data, f"{host} round {i}: {n} bytes came back different"
    writer.write_eof()
    rest = await reader.read()
    assert rest == b"", f"{host}: {len(rest)} bytes after half-close"
    writer.close()
    await writer.wait_closed()
    return rounds


async def client():
    for _ in range(200):
        if os.path.exists("ports"):
            break
        await asyncio.sleep(0.1)
    p4, p6 = map(int, open("ports").read().split())
    n4 = await client_conn("127.0.0.1", p4, 200, 1)
    n6 = await asyncio.gather(*(client_conn("::1", p6, 20, 100 + s)
                                for s in range(10)))
    print(f"OK ipv4 {n4} round trips, ipv6 {len(n6)}x{n6[0]} round trips")


async def main(role):
    await asyncio.wait_for(server() if role == "server" else client(), 60)


if __name__ == "__main__":
    try:
        asyncio.run(main(sys.argv[1]))
    except asyncio.TimeoutError:
        if sys.argv[1] == "client":
            raise
EOF

inner_script asyncio.sh <<'EOF'
#!/bin/sh
# $1: python
"$1" echo.py server &
s=$!
"$1" echo.py client >client.out
rc=$?
kill $s
wait $s
exit $rc
EOF

step "asyncio echo, 200 IPv4 and 10x20 IPv6 round trips"
rrs_run 90 asyncio -- sh "$RUN/asyncio.sh" "$PY"
expect_rc 0 "rrsandbox -- sh asyncio.sh"
grep -q '^OK ipv4 200 round trips, ipv6 10x20 round trips$' "$RUN/client.out" ||
	fail "client did not report all round trips: $(cat "$RUN/client.out")"
log "ok: $(cat "$RUN/client.out")"

log "PASS"
