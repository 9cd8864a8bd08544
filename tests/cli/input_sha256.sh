#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# The report's results.input.sha256 is the SHA-256 of the input as stored, as sha256sum gives it:
# a file read by several threads, standard input from a pipe, and gzip (the compressed bytes).
# Threads hash the bytes of their own ranges in turn (docs/design.md): also checked on a file
# whose quoted line breaks send it back to one reader, and with ranges shorter than a line.
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
# Quoted line breaks across range starts: the parallel parse is discarded and one reader
# parses again; the hash is the parallel jobs' (they read every byte before parsing).
{ head -1 d.csv; for i in 1 2 3 4 5 6 7 8 9; do printf 'F,"a\nb",1,1,0.5\n'; tail -n +2 d.csv | head -3; done; } >q.csv
want=$(sha256sum q.csv | cut -c1-64)
got=$("$FAIRAUDIT" audit q.csv "${a[@]}" --threads 2 --chunk-bytes 40 | jq -r '.results.input.sha256, .run.parse_threads')
[ "$got" = "$want"$'\n'1 ] && echo "q.csv (parsed again by one reader): same as sha256sum"
got=$("$FAIRAUDIT" audit d.csv "${a[@]}" --threads 2 --chunk-bytes 8 | jq -r .results.input.sha256)
[ "$(sha256sum d.csv | cut -c1-64)" = "$got" ] && echo "d.csv in 2-byte tail ranges: same as sha256sum"
# Many short ranges over a few MB, so that the threads really take turns at the hash (a turn
# taken out of order gives a wrong digest almost every time).
rows=$(($(wc -l <d.csv) - 1))
{ head -1 d.csv; yes "$(tail -n +2 d.csv)" | head -n $((1500 * rows)); } >big.csv
want=$(sha256sum big.csv | cut -c1-64)
for t in 2 3 7; do
  got=$("$FAIRAUDIT" audit big.csv "${a[@]}" --threads $t --chunk-bytes 4096 | jq -r .results.input.sha256)
  [ "$want" = "$got" ] && echo "big.csv, $t threads in 4 KiB ranges: same as sha256sum"
done
