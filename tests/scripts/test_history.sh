#!/usr/bin/env bash
# The history database under the conditions of nightly jobs (docs/history.md):
#   1. several jobs appending to the same database at once: every run stored, none lost;
#   2. jobs killed (SIGKILL) at random moments while writing: the database passes SQLite's
#      integrity check, and every run in it is complete (as many figures as the report has);
#   3. a database that is not a history, and a report that is not a report: clear errors;
# and that `audit --history` records the run it reports.
# Usage (ctest): bash test_history.sh FAIRAUDIT SRC_DIR BUILD_DIR.
set -uo pipefail
bin=$(realpath "$1")
src=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
export NO_COLOR=1

failures=0
fail() {
  echo "test_history: FAIL: $*"
  failures=$((failures + 1))
}

# A report with a few thousand figures, so that storing one takes a while.
"$bin" audit "$src/datasets/benefits_demo.csv" --group nationality --group age_band --group sex \
  --group district --intersect --label label --pred pred --bootstrap 0 --min-group-size 1 \
  --format json >big.json || { echo "test_history: cannot make the report"; exit 1; }

# Figures of one complete run, from a database holding only it.
"$bin" history one.db --add big.json 2>/dev/null || fail "--add on a new database"
per_run=$("$bin" history one.db | awk 'NR == 2 { print $NF }')
[ "${per_run:-0}" -gt 1000 ] || fail "expected over 1000 figures per run, got '$per_run'"

# audit --history records the run it reports, policy checks included.
"$bin" audit "$src/datasets/benefits_demo.csv" --group sex --label label --pred pred \
  --bootstrap 0 --history cli.db --format json >cli.json || fail "audit --history"
"$bin" history cli.db --check | grep -q ": ok, 1 runs" || fail "audit --history: not 1 run"
"$bin" history cli.db --metric selection_rate --attribute sex --format json >series.json ||
  fail "history of the recorded run"
[ "$(jq '.results.series | length' series.json)" = "$(jq '.results.attributes[0].groups | length' cli.json)" ] ||
  fail "audit --history: a series per group of the report expected"

# 1. Concurrent writers.
for i in 1 2 3 4 5 6; do
  "$bin" history conc.db --add big.json 2>"conc$i.err" &
done
wait
for i in 1 2 3 4 5 6; do
  grep -q "recorded" "conc$i.err" || fail "concurrent writer $i: $(cat "conc$i.err")"
done
"$bin" history conc.db --check | grep -q ": ok, 6 runs" || fail "concurrent writers: not 6 runs"
"$bin" history conc.db | awk -v n="$per_run" 'NR > 1 && $NF != n { bad = 1 } END { exit bad }' ||
  fail "concurrent writers: a run with a different number of figures"

# 2. Writers killed mid-write.
for i in $(seq 1 20); do
  "$bin" history kill.db --add big.json 2>/dev/null &
  pid=$!
  sleep "0.$((RANDOM % 8))$((RANDOM % 10))"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
done
"$bin" history kill.db --add big.json 2>/dev/null || fail "append after the kills"
"$bin" history kill.db --check >check.out 2>&1 || fail "integrity after kills: $(cat check.out)"
"$bin" history kill.db | awk -v n="$per_run" 'NR > 1 && $NF != n { bad = 1 } END { exit bad }' ||
  fail "a killed writer left a partial run"
runs=$(sed -n 's/.*ok, \([0-9]*\) runs/\1/p' check.out)
echo "test_history: $((21 - ${runs:-0})) of 20 writers killed before they committed; $(cat check.out)"

# 3. Foreign files.
echo "not a database" >text.db
"$bin" history text.db --add big.json 2>err.txt
[ $? -eq 3 ] || fail "a text file as the database: expected exit 3"
grep -q "not a fairaudit history" err.txt || fail "a text file as the database: $(cat err.txt)"
echo '{"hello": 1}' >notreport.json
"$bin" history one.db --add notreport.json 2>err.txt
[ $? -eq 3 ] || fail "not a report: expected exit 3"
grep -q "not a fairaudit report" err.txt || fail "not a report: $(cat err.txt)"
"$bin" history one.db --check | grep -q ": ok, 1 runs" || fail "a refused report changed the database"

[ "$failures" -eq 0 ] || exit 1
echo "test_history: ok"
