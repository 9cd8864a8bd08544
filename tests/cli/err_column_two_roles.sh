#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# One column in two roles: group and label.
printf 'id,group,label,pred\n1,a,1,1\n' >roles.csv
"$FAIRAUDIT" audit roles.csv --group label --label label --pred pred
