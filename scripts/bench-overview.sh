#!/bin/sh
# Server time of the dashboard's Overview page on the default demo (20,000 customers), with the metrics API call
# behind its NPS tile as the baseline measured in the same run: scripts/bench-pages.sh with these pages.
# Usage: scripts/bench-overview.sh [REQUESTS]   (needs a built CLI: dotnet build src/OpenCem.Cli)
set -eu
BENCH_DB="${BENCH_DB:-/tmp/opencem-bench-overview.db}" BENCH_CUSTOMERS="${BENCH_CUSTOMERS:-20000}" BENCH_CONFIG="${BENCH_CONFIG:-Debug}" \
  BENCH_PORT="${BENCH_PORT:-5397}" BENCH_WARMUP=10 BENCH_PAGES="/ /?period=year" \
  exec "$(dirname "$0")/bench-pages.sh" "${1:-200}"
