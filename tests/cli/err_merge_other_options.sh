#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# States made with different options are refused, naming the difference (exit 3).
cp "$SRC/tests/data/decisions.csv" d.csv && d=d.csv
"$FAIRAUDIT" partial "$d" --group sex --label label --pred pred -o a.state || exit
"$FAIRAUDIT" partial "$d" --group sex --label label --pred pred --positive 1 -o b.state || exit
"$FAIRAUDIT" merge a.state b.state
