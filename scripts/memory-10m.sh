#!/bin/sh
# Issue bar: with 10 million interactions the server's resident memory stays under 1 GiB on SQLite.
# Serves a demo database of about 10 million interactions (200,000 customers; generated first when missing, which takes
# a while), requests every dashboard page and the main API reads through scripts/bench-pages.sh, then checks the
# server's peak resident memory (VmHWM) against 1 GiB. Exit 1 when over.
# Usage: BENCH_DB=/path/big.db scripts/memory-10m.sh [REQUESTS]   (needs: dotnet build -c Release src/OpenCem.Cli)
set -eu
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
BENCH_DB="${BENCH_DB:-/tmp/opencem-memory-10m.db}" BENCH_CUSTOMERS="${BENCH_CUSTOMERS:-200000}" BENCH_PORT="${BENCH_PORT:-5396}" \
  BENCH_APIS="${BENCH_APIS:-/api/v1/stats /api/v1/analytics/metrics?metric=nps&interval=month /api/v1/analytics/equity /api/v1/analytics/ladder /api/v1/analytics/drivers /api/v1/text/themes /api/v1/interactions?limit=100}" \
  "$(dirname "$0")/bench-pages.sh" "${1:-20}" | tee "$out"
peak="$(sed -n 's/.*VmHWM: \([0-9]*\) MiB.*/\1/p' "$out" | tail -1)"
[ -n "$peak" ] || { echo "no memory figure in the output"; exit 1; }
if [ "$peak" -lt 1024 ]; then echo "PASS: peak resident memory $peak MiB < 1024 MiB"; else echo "FAIL: peak resident memory $peak MiB >= 1024 MiB"; exit 1; fi
