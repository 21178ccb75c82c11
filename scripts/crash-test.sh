#!/bin/sh
# The crash quality bar (issue 11): 1,000,000 tracking events sent with retries while the server is killed with
# SIGKILL five times, on SQLite, on PostgreSQL, and on PostgreSQL with the database restarted mid-run
# (`pg_ctl restart -m immediate`) while the server keeps running. Each run checks the database afterwards and prints
# PASS/FAIL; the script exits non-zero if any run fails.
# Usage: scripts/crash-test.sh [sqlite|postgres|pg-restart|all] [extra CrashBench options, e.g. --events 200000]
# Needs the PostgreSQL server binaries (/usr/lib/postgresql/*/bin) for the PostgreSQL runs.
set -eu
cd "$(dirname "$0")/.."
which="${1:-all}"
[ $# -gt 0 ] && shift
dotnet build src/OpenCem.Cli -c Release -nologo -v q
dotnet build bench/OpenCem.CrashBench -c Release -nologo -v q
bench="dotnet bench/OpenCem.CrashBench/bin/Release/net10.0/OpenCem.CrashBench.dll"
status=0
run() {
  echo "== crash-test $*"
  $bench "$@" || status=1
}
case "$which" in
  sqlite) run --db sqlite --kills 5 "$@" ;;
  postgres) run --db postgres --kills 5 "$@" ;;
  pg-restart) run --db postgres --kills 0 --pg-restarts 2 "$@" ;;
  all)
    run --db sqlite --kills 5 "$@"
    run --db postgres --kills 5 "$@"
    run --db postgres --kills 0 --pg-restarts 2 "$@"
    ;;
  *) echo "usage: $0 [sqlite|postgres|pg-restart|all] [CrashBench options]" >&2; exit 2 ;;
esac
exit $status
