#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# --pred and --threshold both give the prediction.
"$FAIRAUDIT" audit in.csv --group group --label label --pred pred --score score --threshold 0.5
