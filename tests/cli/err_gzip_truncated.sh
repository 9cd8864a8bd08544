#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# A gzip stream cut in half.
cp "$SRC/tests/data/decisions.csv" d.csv
gzip -n -c d.csv >full.gz
head -c $(( $(wc -c <full.gz) / 2 )) full.gz >cut.csv.gz
"$FAIRAUDIT" audit cut.csv.gz --group sex --label label --pred pred
