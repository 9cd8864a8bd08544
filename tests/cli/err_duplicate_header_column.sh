#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# A selected column whose name appears twice in the header is ambiguous.
printf 'id,group,label,group,pred\n1,a,1,b,1\n' >dup.csv
"$FAIRAUDIT" audit dup.csv --group group --label label --pred pred
