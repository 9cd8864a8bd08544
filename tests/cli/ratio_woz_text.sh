#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): the ratio study of the committed WOZ sample, text
# report; Oosterpark (the planted regressivity) shows PRB, MKI and VEI outside their ranges.
# The input is named by a relative path, so that the report does not depend on the checkout.
cp "$SRC/datasets/woz_sample.csv" woz_sample.csv
"$FAIRAUDIT" ratio woz_sample.csv --assessed valuation --sale-price sale_price \
  --group neighbourhood --bootstrap 200 --threads 2 --quantiles 4
