#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# An option audit does not have.
"$FAIRAUDIT" audit in.csv --group group --label label --pred pred --colour
