#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# A quoted field spanning lines 3-5 grows past --max-field-bytes 16; named by the line where
# its record starts.
printf 'group,label,pred\na,1,1\n"first line\nsecond line\nthird",1,1\n' >field.csv
"$FAIRAUDIT" audit field.csv --group group --label label --pred pred --max-field-bytes 16
