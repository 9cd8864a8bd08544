#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# -o writes the report through a temporary file renamed into place: afterwards the folder
# holds the report and nothing else, also when it replaces an older report; stdout stays quiet.
mkdir out
echo "old report" >out/report.json
"$FAIRAUDIT" audit "$SRC/tests/data/decisions.csv" --group sex --label label --pred pred \
  -o out/report.json -o out/report.txt || exit
ls -A out
tail -n 1 out/report.json
head -n 1 out/report.txt
