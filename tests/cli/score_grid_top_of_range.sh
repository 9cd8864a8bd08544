#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# Scores rounded to the grid (more distinct scores than --max-distinct-scores) over the range
# 0.3:0.9: the grid's top, 0.3 + 65536 * (0.6 / 65536), is 0.9000000000000001 in doubles and
# was refused as outside the range (exit 3); grid values are now kept inside it.
printf 'g,label,pred,score\na,1,1,0.9\na,0,0,0.3\na,1,0,0.5\na,0,1,0.89\n' >r.csv
"$FAIRAUDIT" audit r.csv --group g --label label --pred pred --score score --score-range 0.3:0.9 \
  --max-distinct-scores 2 --bootstrap 0 --format json >out.json
echo "exit $?"
grep -c '"rounded_to_grid": true' out.json
