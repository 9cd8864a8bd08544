#!/usr/bin/env bash
# Golden CLI test: an unknown column is an input error (exit 3) listing the header.
printf 'a,s\n1,2\n' >x.csv
"$FAIRAUDIT" ratio x.csv --assessed a --sale-price price
