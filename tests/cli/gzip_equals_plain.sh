#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# The results part of a JSON report: everything before "run" (path, command line, time).
results() { sed '/^  "run": {/,$d' "$1"; }
# A gzip file (one member, and two concatenated members) gives the report of the plain file;
# only the input's stored size and "compression" differ.
cp "$SRC/tests/data/decisions.csv" d.csv
gzip -9 -n -c d.csv >d.csv.gz
{ head -n 30 d.csv | gzip -1 -n; tail -n +31 d.csv | gzip -n; } >two.csv.gz
args=(--group sex --group age_band --label label --pred pred --score score --format json)
for f in d.csv d.csv.gz two.csv.gz; do
  "$FAIRAUDIT" audit $f "${args[@]}" >$f.json || exit
  results $f.json | grep -v -e '^      "bytes": ' -e '^      "sha256": ' -e '^      "compression": ' >$f.results
done
cmp d.csv.results d.csv.gz.results && cmp d.csv.results two.csv.gz.results && echo "same results"
grep -h '"compression"' d.csv.json d.csv.gz.json two.csv.gz.json
