#!/usr/bin/env bash
# Checks that two fairaudit binaries (e.g. with and without OpenMP) give byte-identical
# `results` in their JSON reports on the bundled demo data.
set -euo pipefail
a=$1 b=$2
cd "$(dirname "$0")/.."
results() { sed '/^  "run": {/,$d'; }
args=(audit datasets/benefits_demo.csv --group nationality --group age_band --group sex --intersect
      --label label --pred pred --format json)
if cmp <("$a" "${args[@]}" | results) <("$b" "${args[@]}" | results); then
  echo "compare_builds: results identical"
else
  echo "compare_builds: results differ between $a and $b" >&2
  exit 1
fi
# The ratio study: sorting, strata and the bootstrap must not depend on OpenMP either.
rargs=(ratio datasets/woz_sample.csv --assessed valuation --sale-price sale_price
       --group neighbourhood --group property_type --bootstrap 200 --trim iqr3 --format json)
if cmp <("$a" "${rargs[@]}" | results) <("$b" "${rargs[@]}" | results); then
  echo "compare_builds: ratio results identical"
else
  echo "compare_builds: ratio results differ between $a and $b" >&2
  exit 1
fi
