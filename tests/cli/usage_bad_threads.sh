#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# --threads must be 1 to 1024.
"$FAIRAUDIT" audit in.csv --group group --label label --pred pred --threads 0
