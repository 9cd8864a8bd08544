#!/usr/bin/env bash
# Golden CLI test: `compare` finds a drift planted in the current run (one in four 'non-EU' rows
# with pred 0 switched to 1) and lists it as significant, with the figures of the other groups
# unchanged (their data are the same rows).
awk -F, 'BEGIN { OFS = "," } NR > 1 && $2 == "non-EU" && $8 == 0 && $1 % 4 == 0 { $8 = 1 } { print }' \
  "$SRC/datasets/benefits_demo.csv" >current.csv
"$FAIRAUDIT" audit "$SRC/datasets/benefits_demo.csv" --group nationality --label label --pred pred \
  --bootstrap 200 --format json >base.json || exit
"$FAIRAUDIT" audit current.csv --group nationality --label label --pred pred --bootstrap 200 \
  --format json >cur.json || exit
"$FAIRAUDIT" compare base.json cur.json
