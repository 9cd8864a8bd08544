#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# --group names a column the header does not have: the message lists the columns there are.
printf 'id,grp,label,pred\n1,a,1,1\n' >cols.csv
"$FAIRAUDIT" audit cols.csv --group group --label label --pred pred
