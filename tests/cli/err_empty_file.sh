#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# An empty file has no header row.
: >empty.csv
"$FAIRAUDIT" audit empty.csv --group group --label label --pred pred
