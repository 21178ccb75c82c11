#!/bin/sh
# Server time of the employee pulse API and the dashboard's Organisation page on the default demo (20,000 customers),
# with the pulse settings read (one small query, no policy) as the baseline measured in the same run.
# Sequential requests from one client on loopback.
# Usage: scripts/bench-organisation.sh [REQUESTS]   (needs a built CLI: dotnet build src/OpenCem.Cli)
set -eu
requests="${1:-100}"
here="$(cd "$(dirname "$0")/.." && pwd)"
cli="$here/src/OpenCem.Cli/bin/Debug/net10.0/opencem.dll"
db="${BENCH_DB:-/tmp/opencem-bench-organisation.db}"
port="${BENCH_PORT:-5398}"
url="http://127.0.0.1:$port"
work="$(mktemp -d)"
dotnet "$cli" demo --db "$db" --urls "$url" >"$work/demo.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
until grep -q "Press Ctrl+C" "$work/demo.log" 2>/dev/null; do
  kill -0 $server 2>/dev/null || { cat "$work/demo.log"; exit 1; }
  sleep 2
done
key="$(sed -n 's/.*Admin API key: //p' "$work/demo.log")"
jar="$work/cookies"
token="$(curl -s -c "$jar" -b "$jar" "$url/sign-in" | sed -n 's/.*name="__RequestVerificationToken" value="\([^"]*\)".*/\1/p')"
curl -s -o /dev/null -c "$jar" -b "$jar" "$url/sign-in" --data-urlencode "_handler=sign-in" --data-urlencode "__RequestVerificationToken=$token" \
  --data-urlencode "Form.Email=admin@demo.opencem.test" --data-urlencode "Form.Password=demo-admin-42" --data-urlencode "Form.ReturnUrl=/"

measure() { # name, then curl arguments; prints median and p95 in ms
  name="$1"; shift
  i=0; while [ $i -lt 5 ]; do curl -s -o /dev/null "$@"; i=$((i + 1)); done # warm-up
  i=0; : >"$work/$name"
  while [ $i -lt "$requests" ]; do curl -s -o /dev/null -w '%{time_total}\n' "$@" >>"$work/$name"; i=$((i + 1)); done
  sort -n "$work/$name" | awk -v n="$name" '{ t[NR] = $1 * 1000 } END { printf "%-32s n=%d  p50=%.1f ms  p95=%.1f ms\n", n, NR, t[int(NR * 0.5 + 0.5)], t[int(NR * 0.95 + 0.5)] }'
}
auth="Authorization: Bearer $key"
measure "api-pulse-settings (baseline)" -H "$auth" "$url/api/v1/pulse/settings"
measure "api-pulse-enps" -H "$auth" "$url/api/v1/pulse/enps"
measure "api-pulse-enps-by-team-location" -H "$auth" "$url/api/v1/pulse/enps?by=team,location&filter=tenure:3-8y"
measure "api-pulse-items-by-team" -H "$auth" "$url/api/v1/pulse/items?by=team"
measure "api-organisation-targets" -H "$auth" "$url/api/v1/organisation/targets"
status="$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" "$url/organisation")"
if [ "$status" = 200 ]; then
  measure "organisation-page" -b "$jar" "$url/organisation"
else
  echo "organisation-page: GET /organisation answered $status (skipped)"
fi
