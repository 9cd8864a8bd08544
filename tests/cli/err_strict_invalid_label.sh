#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# --strict: the first invalid row is an error naming file, line, record and column. A quoted
# field over lines 3-4 makes the record number (3) differ from the line (5).
printf 'group,label,pred\na,1,1\n"b\nc",0,1\nd,maybe,1\ne,1,1\n' >strict.csv
"$FAIRAUDIT" audit strict.csv --group group --label label --pred pred --strict
