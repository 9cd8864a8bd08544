#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# --policy: the shipped four-fifths and equalized-odds policies on the demo data. The checks go
# into the JSON results and the text report; a failed check makes the exit code 1.
D=$SRC/datasets/benefits_demo.csv
args=(--group nationality --label label --pred pred --bootstrap 200)
"$FAIRAUDIT" audit "$D" "${args[@]}" --policy "$SRC/docs/policies/four-fifths.ini" -o ff.json
echo "four-fifths: exit $?"
jq -c '.results.policy | {name, judge, passed, failed, inconclusive, outcome}' ff.json
jq -r '.results.policy.checks[] | [.check, .attribute, .group, .comparison, .value, .min, .outcome] | @tsv' ff.json
jq -r '.run.policy_path | sub(".*/"; "")' ff.json
"$FAIRAUDIT" audit "$D" "${args[@]}" --policy "$SRC/docs/policies/equalized-odds.ini" >eo.txt
echo "equalized odds: exit $?"
sed -n '/^policy:/,$p' eo.txt
