#!/bin/sh
# Server time of dashboard pages (and API calls) on a demo database, with the metrics API call behind the Overview's
# NPS tile as the baseline measured in the same run. Sequential requests from one signed-in client on loopback.
# Usage: BENCH_DB=/path/demo.db [BENCH_CUSTOMERS=200000] scripts/bench-pages.sh [REQUESTS]
#   The database is generated first when missing (200,000 customers is about 10 million interactions).
#   Needs a built CLI: dotnet build -c Release src/OpenCem.Cli (BENCH_CONFIG=Debug for a Debug build).
#   BENCH_PAGES: the pages to measure (space-separated paths; default every page, a persona's scenario and one customer
#   and case); BENCH_APIS: API paths to measure with an admin key (default none); BENCH_WARMUP: warm-up requests (5).
#   scripts/bench-overview.sh and scripts/bench-organisation.sh are this script with their pages and APIs.
#   The last line is the server's resident memory (now and peak): scripts/memory-10m.sh reads it.
set -euf
requests="${1:-100}"
here="$(cd "$(dirname "$0")/.." && pwd)"
cli="$here/src/OpenCem.Cli/bin/${BENCH_CONFIG:-Release}/net10.0/opencem.dll"
db="${BENCH_DB:-/tmp/opencem-bench-pages.db}"
port="${BENCH_PORT:-5398}"
url="http://127.0.0.1:$port"
warmup="${BENCH_WARMUP:-5}"
work="$(mktemp -d)"
if [ ! -f "$db" ]; then
  dotnet "$cli" demo --db "$db" --customers "${BENCH_CUSTOMERS:-200000}" --no-serve
fi
key="$(dotnet "$cli" keys create --db "$db" --name bench-pages --kind admin 2>/dev/null)"
dotnet "$cli" serve --db "$db" --urls "$url" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
until grep -q "Press Ctrl+C" "$work/serve.log" 2>/dev/null; do
  kill -0 $server 2>/dev/null || { cat "$work/serve.log"; exit 1; }
  sleep 2
done
jar="$work/cookies"
token="$(curl -s -c "$jar" -b "$jar" "$url/sign-in" | sed -n 's/.*name="__RequestVerificationToken" value="\([^"]*\)".*/\1/p')"
curl -s -o /dev/null -c "$jar" -b "$jar" "$url/sign-in" --data-urlencode "_handler=sign-in" --data-urlencode "__RequestVerificationToken=$token" \
  --data-urlencode "Form.Email=admin@demo.opencem.test" --data-urlencode "Form.Password=demo-admin-42" --data-urlencode "Form.ReturnUrl=/"
status="$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" "$url/")"
[ "$status" = 200 ] || { echo "sign-in failed: GET / answered $status"; exit 1; }
quarter="$(date -u +%Y)-$(printf %02d $(( ($(date -u +%-m) - 1) / 3 * 3 + 1 )))-01"

measure() { # name, then curl arguments; prints median and p95 in ms
  name="$1"; shift
  code="$(curl -s -o /dev/null -w '%{http_code}' "$@")"
  [ "$code" = 200 ] || { printf "%-28s answered %s\n" "$name" "$code"; return 0; }
  i=0; while [ $i -lt "$warmup" ]; do curl -s -o /dev/null "$@"; i=$((i + 1)); done
  times="$work/times"; i=0; : >"$times"
  while [ $i -lt "$requests" ]; do curl -s -o /dev/null -w '%{time_total}\n' "$@" >>"$times"; i=$((i + 1)); done
  sort -n "$times" | awk -v n="$name" '{ t[NR] = $1 * 1000 } END { printf "%-28s n=%d  p50=%7.1f ms  p95=%7.1f ms\n", n, NR, t[int(NR * 0.5 + 0.5)], t[int(NR * 0.95 + 0.5)] }'
}
echo "interactions: $(sqlite3 "$db" 'SELECT COUNT(*) FROM interactions' 2>/dev/null || echo '?')  customers: $(sqlite3 "$db" 'SELECT COUNT(*) FROM customers' 2>/dev/null || echo '?')"
measure "baseline-api-metrics-nps" -H "Authorization: Bearer $key" "$url/api/v1/analytics/metrics?metric=nps&interval=quarter&from=$quarter"
for api in ${BENCH_APIS:-}; do
  measure "api $api" -H "Authorization: Bearer $key" "$url$api"
done
if [ -z "${BENCH_PAGES+set}" ]; then
  persona="$(curl -s -b "$jar" "$url/personas" | sed -n 's/.*href="\/personas?persona=\([0-9][0-9]*\)".*/\1/p' | head -1)"
  customer="$(curl -s -b "$jar" "$url/customers?q=%40" | sed -n 's/.*href="\/customers\/\([0-9][0-9]*\)".*/\1/p' | head -1)"
  case_id="$(curl -s -b "$jar" "$url/cases" | sed -n 's/.*href="\/cases\/\([0-9][0-9]*\)".*/\1/p' | head -1)"
  BENCH_PAGES="/ /?period=year /touchpoints /drivers /journeys /text /customers /cases /surveys /value /settings /organisation /experience /co-creation /personas"
  [ -n "$persona" ] && BENCH_PAGES="$BENCH_PAGES /personas?persona=$persona"
  [ -n "$customer" ] && BENCH_PAGES="$BENCH_PAGES /customers/$customer"
  [ -n "$case_id" ] && BENCH_PAGES="$BENCH_PAGES /cases/$case_id"
fi
for page in $BENCH_PAGES; do
  measure "page $page" -b "$jar" "$url$page"
done
# The server's resident memory after the run, now and at its peak (the kernel's VmRSS and VmHWM).
awk '/^VmRSS|^VmHWM/ { printf "%s %.0f MiB  ", $1, $2 / 1024 } END { print "" }' "/proc/$server/status"
