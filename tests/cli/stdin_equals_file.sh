#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# The results part of a JSON report: everything before "run" (path, command line, time).
results() { sed '/^  "run": {/,$d' "$1"; }
# '-' reads standard input: redirected from the file, through a pipe, gzip through a pipe, and
# redirected from the file after a preamble line was read from it (so it starts past the
# file's beginning; with 3 threads this must not read the bytes before it). All give the
# file's results.
cp "$SRC/tests/data/decisions.csv" d.csv
{ echo "# exported 2024-06-11"; cat d.csv; } >preamble.csv
args=(--group sex --label label --pred pred --format json --threads 3 --chunk-bytes 64)
"$FAIRAUDIT" audit d.csv "${args[@]}" >file.json || exit
"$FAIRAUDIT" audit - "${args[@]}" <d.csv >redirect.json || exit
cat d.csv | "$FAIRAUDIT" audit - "${args[@]}" >pipe.json || exit
gzip -n -c d.csv | "$FAIRAUDIT" audit - "${args[@]}" >gzpipe.json || exit
{ read -r _; "$FAIRAUDIT" audit - "${args[@]}" >offset.json; } <preamble.csv || exit
results file.json >file
for r in redirect pipe offset; do
  results $r.json | cmp - file && echo "$r: same results"
done
results gzpipe.json | grep -v -e '^      "bytes": ' -e '^      "sha256": ' -e '^      "compression": ' >gz
grep -v -e '^      "bytes": ' -e '^      "sha256": ' -e '^      "compression": ' file | cmp - gz && echo "gzip pipe: same results"
