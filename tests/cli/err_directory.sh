#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# A directory is not an input.
mkdir folder
"$FAIRAUDIT" audit folder --group group --label label --pred pred
