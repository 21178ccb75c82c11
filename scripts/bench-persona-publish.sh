#!/bin/bash
# usage: scripts/bench-persona-publish.sh BIN DB (BIN: a folder with opencem.dll, e.g. from dotnet build -c Release src/OpenCem.Cli -o BIN; DB: a copy of an opencem demo database; needs sqlite3)
# — publish timings: first publish, a re-run after 5 % of customers' fees changed, an unchanged re-run,
# a run with another k (most customers change), and a full rollup recount as the baseline in the same run.
BIN=$1; DB=$2
run() { dotnet $BIN/opencem.dll personas run $1 --db $DB | grep -o "publishing [0-9]* ms"; }
echo "first      $(run '--k 4 --seed 42')"
sqlite3 $DB "UPDATE customers SET traits = json_set(traits, '\$.monthlyFee', 150) WHERE id % 20 = 0 AND traits LIKE '%monthlyFee%'"
echo "5% fees    $(run '--k 4 --seed 42')"
echo "unchanged  $(run '--k 4 --seed 42')"
echo "k=5        $(run '--k 5 --seed 7')"
echo "recount    $(dotnet $BIN/opencem.dll analytics rebuild --db $DB | grep -o 'in [0-9.]* s')"
sqlite3 $DB "SELECT 'changed by the 5% run: ' || sum(r1.number<>r2.number) || ' of ' || count(*) FROM persona_assignments r1 JOIN persona_assignments r2 ON r2.customer_id=r1.customer_id AND r2.run_id=2 WHERE r1.run_id=1"
