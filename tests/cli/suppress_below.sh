#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# --suppress-below 5: the group "65+, retired" (3 rows) shows no figure, in text and in JSON.
args=(--group age_band --label label --pred pred --bootstrap 0 --suppress-below 5)
"$FAIRAUDIT" audit "$SRC/tests/data/decisions.csv" "${args[@]}" >r.txt || exit
"$FAIRAUDIT" audit "$SRC/tests/data/decisions.csv" "${args[@]}" --format json >r.json || exit
grep -e '^65+' -e 'suppressed' r.txt
sed -n '/"group": "65+, retired"/,/}/p' r.json
