#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# A NUL byte inside a field (line 3) is not text.
printf 'group,label,pred\na,1,1\nb\0c,1,1\n' >nul.csv
"$FAIRAUDIT" audit nul.csv --group group --label label --pred pred
