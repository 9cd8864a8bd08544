#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# The whole text report on the small fixture tests/data/decisions.csv (64 rows): bootstrap
# intervals with the default seed, a score column, two attributes. Regenerate with REGEN=1.
cd "$SRC/tests/data" || exit
"$FAIRAUDIT" audit decisions.csv --group sex --group age_band --label label --pred pred \
  --score score
