#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# -o into a folder that does not exist: exit 4 with the system's words; nothing on stdout.
"$FAIRAUDIT" audit "$SRC/tests/data/decisions.csv" --group sex --label label --pred pred \
  -o no/such/folder/report.json
