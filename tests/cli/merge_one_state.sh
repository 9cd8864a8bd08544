#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# One state of the whole file: the text report of merge equals that of audit.
cp "$SRC/tests/data/decisions.csv" d.csv && d=d.csv
"$FAIRAUDIT" partial "$d" --group sex --group age_band --label label --pred pred -o a.state || exit
"$FAIRAUDIT" merge a.state --intersect --bootstrap 50 >merge.txt || exit
"$FAIRAUDIT" audit "$d" --group sex --group age_band --label label --pred pred --intersect \
  --bootstrap 50 >audit.txt || exit
cmp merge.txt audit.txt && echo same
