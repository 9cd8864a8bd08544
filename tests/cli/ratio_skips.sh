#!/usr/bin/env bash
# Golden CLI test: rows with missing, invalid or non-positive values are skipped and counted.
printf 'a;s\n100;120\n;100\nabc;100\n-5;100\n100;\n100;0\n100,5;110\n90;100\n' >x.csv
"$FAIRAUDIT" ratio x.csv --assessed a --sale-price s --bootstrap 0 --quantiles 0 --format json \
  -o r.json >/dev/null || exit
sed -n '/"rows":/,/"overall":/p' r.json
