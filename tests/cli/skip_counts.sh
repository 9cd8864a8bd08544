#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# Rows skipped, one for each reason, are counted by reason in the text and the JSON report.
printf 'group,label,pred,score\n' >skips.csv
printf 'a,1,1,0.9\na,0,0,0.1\nb,1,0,0.3\n' >>skips.csv
printf 'a,1,1\n,1,1,0.5\na,,1,0.5\na,2,1,0.5\na,1,,0.5\na,1,x,0.5\n' >>skips.csv
printf 'a,1,1,\na,1,1,high\na,1,1,7\n' >>skips.csv
args=(--group group --label label --pred pred --score score --bootstrap 0)
"$FAIRAUDIT" audit skips.csv "${args[@]}" >r.txt || exit
"$FAIRAUDIT" audit skips.csv "${args[@]}" --format json >r.json || exit
sed -n '/^rows:/,/^label:/p' r.txt | sed '$d'
sed -n '/^    "rows": {/,/^    },/p' r.json
