#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# The report's results.input.sha256 is the SHA-256 of the input as stored, as sha256sum gives it:
# a file read by several threads, standard input from a pipe, and gzip (the compressed bytes).
cp "$SRC/tests/data/decisions.csv" d.csv
gzip -9 -n -c d.csv >d.csv.gz
a=(--group sex --label label --pred pred --bootstrap 0 --format json)
for f in d.csv d.csv.gz; do
  want=$(sha256sum $f | cut -c1-64)
  got=$("$FAIRAUDIT" audit $f "${a[@]}" --threads 3 --chunk-bytes 64 | jq -r .results.input.sha256)
  [ "$want" = "$got" ] && echo "$f: same as sha256sum"
  got=$(cat $f | "$FAIRAUDIT" audit - "${a[@]}" | jq -r .results.input.sha256)
  [ "$want" = "$got" ] && echo "$f from a pipe: same as sha256sum"
done
