#!/bin/sh
# Server time of the employee pulse API and the dashboard's Organisation page on the default demo (20,000 customers),
# with the pulse settings read (one small query, no policy) and the metrics API call as baselines measured in the same
# run: scripts/bench-pages.sh with these APIs and page.
# Usage: scripts/bench-organisation.sh [REQUESTS]   (needs a built CLI: dotnet build src/OpenCem.Cli)
set -eu
BENCH_DB="${BENCH_DB:-/tmp/opencem-bench-organisation.db}" BENCH_CUSTOMERS="${BENCH_CUSTOMERS:-20000}" BENCH_CONFIG="${BENCH_CONFIG:-Debug}" \
  BENCH_APIS="/api/v1/pulse/settings /api/v1/pulse/enps /api/v1/pulse/enps?by=team,location&filter=tenure:3-8y /api/v1/pulse/items?by=team /api/v1/organisation/targets" \
  BENCH_PAGES="/organisation" exec "$(dirname "$0")/bench-pages.sh" "${1:-100}"
