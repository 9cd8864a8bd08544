#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# Bytes after the end of the gzip stream that do not start another member.
cp "$SRC/tests/data/decisions.csv" d.csv
{ gzip -n -c d.csv; printf 'trailing junk'; } >junk.csv.gz
"$FAIRAUDIT" audit junk.csv.gz --group sex --label label --pred pred
