#!/usr/bin/env bash
# Golden CLI test: a ratio study needs both value columns (exit 2).
printf 'a,s\n1,2\n' >x.csv
"$FAIRAUDIT" ratio x.csv --assessed a
