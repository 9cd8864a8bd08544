#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# A file that does not exist.
"$FAIRAUDIT" audit missing.csv --group group --label label --pred pred
