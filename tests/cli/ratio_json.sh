#!/usr/bin/env bash
# Golden CLI test: -o FILE.json writes the JSON report atomically, and its results part is the
# same for 1 and 3 threads; a few of its keys are shown.
for t in 1 3; do
  "$FAIRAUDIT" ratio "$SRC/datasets/woz_sample.csv" --assessed valuation --sale-price sale_price \
    --group neighbourhood --group property_type --reference neighbourhood=Binnenstad \
    --bootstrap 100 --trim iqr3 --threads $t --chunk-bytes 4096 -o r$t.json || exit
  sed '/"run":/,$d' r$t.json >res$t.json
done
cmp res1.json res3.json || exit 1
grep -E '"(schema_version|kind|trim|trimmed|reference|ci_method)":' r1.json | sort | uniq -c
