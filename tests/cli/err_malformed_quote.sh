#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# A quote inside an unquoted field (a"b), RFC 4180 section 2.5.
printf 'group,label,pred\na,1,1\na"b,1,1\n' >quote.csv
"$FAIRAUDIT" audit quote.csv --group group --label label --pred pred
