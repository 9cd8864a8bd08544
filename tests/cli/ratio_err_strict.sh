#!/usr/bin/env bash
# Golden CLI test: under --strict a non-positive sale price is an error naming line and column.
printf 'a;s\n100;120\n90;0\n' >x.csv
"$FAIRAUDIT" ratio x.csv --assessed a --sale-price s --strict
