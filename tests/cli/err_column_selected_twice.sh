#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# The same column selected twice (--group group --group group).
printf 'id,group,label,pred\n1,a,1,1\n' >twice.csv
"$FAIRAUDIT" audit twice.csv --group group --group group --label label --pred pred
