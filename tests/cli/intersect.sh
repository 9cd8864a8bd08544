#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# --intersect adds the cross of the --group columns as one more attribute.
"$FAIRAUDIT" audit "$SRC/tests/data/decisions.csv" --group sex --group age_band --intersect \
  --label label --pred pred --bootstrap 0 --format json >r.json || exit
grep -E '^ *"attribute":|"intersect":' r.json
grep -c '"group": "F & ' r.json
