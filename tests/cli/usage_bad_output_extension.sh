#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# -o takes its format from the extension; .csv is none of them. Nothing is written.
"$FAIRAUDIT" audit in.csv --group group --label label --pred pred -o report.pdf
rc=$?
ls
exit $rc
