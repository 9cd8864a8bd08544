#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# No --label.
"$FAIRAUDIT" audit in.csv --group group --pred pred
