#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# A score range whose width is not finite is refused (exit 3); it used to make every score
# metric infinite and the JSON report fail with exit 4.
printf 'g,label,pred,score\na,1,1,0.9\na,0,0,0.3\n' >r.csv
"$FAIRAUDIT" audit r.csv --group g --label label --pred pred --score score \
  --score-range=-1e308:1e308 --format json
