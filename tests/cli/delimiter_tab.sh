#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# --delimiter tab: commas and semicolons in the fields are text.
printf 'group\tlabel\tpred\n' >tab.tsv
printf 'a,b\t1\t1\na,b\t0\t1\nc;d\t1\t0\n' >>tab.tsv
"$FAIRAUDIT" audit tab.tsv --group group --label label --pred pred --delimiter tab --format json \
  >r.json || exit
grep -E '"(delimiter|group|tp|fp|tn|fn)":' r.json
