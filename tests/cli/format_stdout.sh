#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# --format names every format for standard output; the Markdown report of a small audit.
"$FAIRAUDIT" audit "$SRC/tests/data/decisions.csv" --group sex --label label --pred pred \
  --bootstrap 0 --format markdown | sed "s|$SRC/||"
for f in html csv junit json; do
  "$FAIRAUDIT" audit "$SRC/tests/data/decisions.csv" --group sex --label label --pred pred \
    --bootstrap 0 --format $f >out.$f
  head -1 out.$f | cut -c1-60
done
"$FAIRAUDIT" audit "$SRC/tests/data/decisions.csv" --group sex --label label --pred pred --format pdf
echo "exit $?"
