#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# No input FILE.
"$FAIRAUDIT" audit --group group --label label --pred pred
