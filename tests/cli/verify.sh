#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# fairaudit verify re-runs an audit from its JSON report: the same numbers (exit 0) with many
# options recorded, on other thread counts; a changed input is refused by its SHA-256 (exit 3);
# a report whose numbers were altered differs (exit 1).
cp "$SRC/datasets/benefits_demo.csv" data.csv
sha256sum data.csv | cut -c1-64
"$FAIRAUDIT" audit data.csv --group nationality --group age_band --intersect --label label \
  --score score --threshold 0.5 --thresholds 0.4,0.6 --top-fraction 0.1 \
  --reference nationality=NL --suppress-below 300 --min-group-size 400 --bootstrap 50 \
  --bootstrap-scheme simple --ci-method bca --interval clopper-pearson --p-adjust bh \
  --binning quantile --calibration-bins 5 --ci 0.9 --seed 7 -o a.json
jq -r .results.input.sha256 a.json
"$FAIRAUDIT" verify a.json --threads 1
echo "exit $?"
"$FAIRAUDIT" audit data.csv --group sex --label label --pred pred --positive 1 --reference best \
  --favourable 0 --bootstrap 20 -o b.json
"$FAIRAUDIT" verify b.json --threads 3
echo "exit $?"
jq '.results.attributes[0].groups[0].counts.tp += 1' b.json >altered.json
"$FAIRAUDIT" verify altered.json
echo "exit $?"
sed -i '2s/,0,0.192,/,1,0.192,/' data.csv
"$FAIRAUDIT" verify b.json
echo "exit $?"
"$FAIRAUDIT" verify b.json --input "$SRC/datasets/benefits_demo.csv" | sed "s|$SRC/||"
echo "exit $?"
"$FAIRAUDIT" verify nosuch.json
echo "exit $?"
