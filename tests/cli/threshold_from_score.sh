#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# --score with --threshold: prediction = score >= threshold (0.5 itself is selected); scores
# outside --score-range are skipped.
printf 'group,label,score\n' >scores.csv
printf 'a,1,0.9\na,0,0.5\na,1,0.4999\na,0,0.1\nb,1,1.0\nb,0,1.5\nb,1,-0.2\n' >>scores.csv
"$FAIRAUDIT" audit scores.csv --group group --label label --score score --threshold 0.5 \
  --format json >r.json || exit
grep -E '"(threshold|score_column|read|used|score_out_of_range|group|tp|fp|tn|fn)":' r.json
