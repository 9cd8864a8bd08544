#!/usr/bin/env bash
# The JSON Schema of the report (docs/schema/report.schema.json) is a valid draft 2020-12 schema,
# accepts the reports of a range of audits (every option that shapes the report: score,
# intersection, what-ifs, top k, suppression, policy, gzip and standard input), and rejects
# reports with an unknown key, a wrong type or a missing key. The CLI golden tests validate
# every JSON they write too (tests/run_cli_test.sh).
# Usage (ctest): bash test_json_schema.sh FAIRAUDIT SRC_DIR BUILD_DIR. Skipped (77) without
# python3-jsonschema (tests/install_deps.sh installs it).
set -euo pipefail
bin=$1 src=$2
/usr/bin/python3 -c 'import jsonschema' 2>/dev/null || { echo "SKIPPED: no python3-jsonschema"; exit 77; }
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
D=$src/datasets/benefits_demo.csv
printf '[check a]\nmetric = demographic_parity_ratio\nmin = 0.8\n[check b]\nmetric = ece\nmax = 0.05\njudge = significant\n[check c]\nmetric = tpr\nvs_reference = difference\nmin = -0.1\nmax = 0.1\n' >"$w/p.ini"
"$bin" audit "$D" --group nationality --group age_band --intersect --label label --pred pred \
  --score score --thresholds 0.4,0.6 --top-k 500 --bootstrap 50 --ci-method bca \
  --suppress-below 300 --policy "$w/p.ini" -o "$w/a.json" || [ $? = 1 ]
"$bin" audit "$D" --group sex --label label --score score --threshold 0.5 --bootstrap 0 \
  --score-range 0:1 --binning quantile --max-distinct-scores 100 -o "$w/b.json"
gzip -c "$D" | "$bin" audit - --group district --label label --pred pred --bootstrap 0 \
  --interval clopper-pearson --p-adjust none --format json >"$w/c.json"
"$bin" audit "$src/tests/data/decisions.csv" --group sex --label label --pred pred --threads 2 \
  --reference best --favourable 0 --bootstrap 10 --bootstrap-scheme simple -o "$w/d.json"
/usr/bin/python3 "$src/tests/validate_json.py" "$src/docs/schema/report.schema.json" "$w"/*.json
# The schema must be able to fail: each of these broken copies must be rejected.
n=0
for edit in '.results.input.extra = 1' '.results.rows.read = "20000"' 'del(.results.input.sha256)' \
  '.results.attributes[0].groups[0].metrics.tpr.value = "x"' '.results.policy.checks[0].outcome = "maybe"' \
  '.schema_version = 1' '.run.unknown = true'; do
  n=$((n + 1))
  jq "$edit" "$w/a.json" >"$w/broken$n.json"
  if /usr/bin/python3 "$src/tests/validate_json.py" "$src/docs/schema/report.schema.json" "$w/broken$n.json" >/dev/null; then
    echo "test_json_schema: the schema accepts a report with '$edit'"
    exit 1
  fi
done
echo "test_json_schema: $n broken reports rejected"
