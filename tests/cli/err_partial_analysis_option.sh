#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# partial takes the options that shape counts; merge those of the analysis (exit 2 each).
cp "$SRC/tests/data/decisions.csv" d.csv && d=d.csv
"$FAIRAUDIT" partial "$d" --group sex --label label --pred pred --bootstrap 10 -o a.state
echo "exit $?"
"$FAIRAUDIT" partial "$d" --group sex --label label --pred pred
echo "exit $?"
"$FAIRAUDIT" partial "$d" --group sex --label label --pred pred -o a.state || exit
"$FAIRAUDIT" merge a.state --label label
echo "exit $?"
"$FAIRAUDIT" merge
echo "exit $?"
