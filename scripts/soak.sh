#!/bin/sh
# The soak bar (issue 11): an hour of mixed load — tracking batches, survey responses (30 % detractors: rule → case →
# webhook), dashboard reads (API and HTML pages), webhook deliveries with retries — at half the capacity measured at the
# start, against the Release `opencem serve` on a fresh database. Prints a row per minute (counts, errors, p50/p95/p99,
# the server's RSS), writes them to bench/results/soak-DB-Nm.csv and .md, and judges: no errors, p99 stable, memory
# flat over the last two thirds of the run (see BENCHMARKS.md, "Soak"). Exits non-zero on FAIL.
# Usage: scripts/soak.sh [sqlite|postgres] [minutes] [extra SoakBench options, e.g. --rate 8000]
# Needs the PostgreSQL server binaries (/usr/lib/postgresql/*/bin) for postgres.
set -eu
cd "$(dirname "$0")/.."
db="${1:-sqlite}"
minutes="${2:-60}"
[ $# -gt 0 ] && shift
[ $# -gt 0 ] && shift
case "$db" in
  sqlite|postgres) ;;
  *) echo "usage: $0 [sqlite|postgres] [minutes] [SoakBench options]" >&2; exit 2 ;;
esac
dotnet build src/OpenCem.Cli -c Release -nologo -v q
dotnet build bench/OpenCem.SoakBench -c Release -nologo -v q
exec dotnet bench/OpenCem.SoakBench/bin/Release/net10.0/OpenCem.SoakBench.dll --db "$db" --minutes "$minutes" "$@"
