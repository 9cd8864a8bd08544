#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# A quote opened on line 3 is never closed: the error names the line where the record starts.
printf 'group,label,pred\na,1,1\n"b,1,1\nc,0,0\n' >open.csv
"$FAIRAUDIT" audit open.csv --group group --label label --pred pred
