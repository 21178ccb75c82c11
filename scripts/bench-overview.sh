#!/bin/sh
# Server time of the dashboard's Overview page on the default demo (20,000 customers), with the metrics API call
# behind its NPS tile as the baseline measured in the same run. Sequential requests from one client on loopback.
# Usage: scripts/bench-overview.sh [REQUESTS]   (needs a built CLI: dotnet build src/OpenCem.Cli)
set -eu
requests="${1:-200}"
here="$(cd "$(dirname "$0")/.." && pwd)"
cli="$here/src/OpenCem.Cli/bin/Debug/net10.0/opencem.dll"
db="${BENCH_DB:-/tmp/opencem-bench-overview.db}"
port="${BENCH_PORT:-5397}"
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
status="$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" "$url/")"
[ "$status" = 200 ] || { echo "sign-in failed: GET / answered $status"; exit 1; }
quarter="$(date -u +%Y)-$(printf %02d $(( ($(date -u +%-m) - 1) / 3 * 3 + 1 )))-01"

measure() { # name, then curl arguments; prints median and p95 in ms
  name="$1"; shift
  i=0; while [ $i -lt 10 ]; do curl -s -o /dev/null "$@"; i=$((i + 1)); done # warm-up
  i=0; : >"$work/$name"
  while [ $i -lt "$requests" ]; do curl -s -o /dev/null -w '%{time_total}\n' "$@" >>"$work/$name"; i=$((i + 1)); done
  sort -n "$work/$name" | awk -v n="$name" '{ t[NR] = $1 * 1000 } END { printf "%-32s n=%d  p50=%.1f ms  p95=%.1f ms\n", n, NR, t[int(NR * 0.5 + 0.5)], t[int(NR * 0.95 + 0.5)] }'
}
measure "api-metrics-nps-quarter" -H "Authorization: Bearer $key" "$url/api/v1/analytics/metrics?metric=nps&interval=quarter&from=$quarter"
measure "overview-page-quarter" -b "$jar" "$url/"
measure "overview-page-year" -b "$jar" "$url/?period=year"
