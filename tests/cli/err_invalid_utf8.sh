#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# A group value that is not UTF-8 (0xff): the message shows the byte escaped, so that the
# message itself stays valid UTF-8.
printf 'group,label,pred\na,1,1\nb\xff,0,1\n' >latin.csv
"$FAIRAUDIT" audit latin.csv --group group --label label --pred pred
