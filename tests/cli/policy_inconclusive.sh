#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# Judged on the interval, a check whose interval straddles the threshold is inconclusive: the
# run passes (exit 0) unless the policy says "inconclusive = fail" (exit 1). The sexes differ
# little in the demo data: demographic_parity_ratio is about 0.99 with an interval around it.
D=$SRC/datasets/benefits_demo.csv
args=(--group sex --label label --pred pred --bootstrap 200 --format json)
printf '[policy]\njudge = significant\n[check dp]\nmetric = demographic_parity_ratio\nmin = 0.99\n' >p1.ini
"$FAIRAUDIT" audit "$D" "${args[@]}" --policy p1.ini >p1.json
echo "inconclusive passes: exit $?"
jq -c '.results.policy.checks[] | {value, ci_low, ci_high, outcome, reason}' p1.json
printf '[policy]\njudge = significant\ninconclusive = fail\n[check dp]\nmetric = demographic_parity_ratio\nmin = 0.99\n' >p2.ini
"$FAIRAUDIT" audit "$D" "${args[@]}" --policy p2.ini >p2.json
echo "inconclusive fails: exit $?"
jq -c '.results.policy | {outcome, inconclusive_fails}' p2.json
# Without intervals (--bootstrap 0 gives summaries none) a significance check cannot judge.
"$FAIRAUDIT" audit "$D" --group sex --label label --pred pred --bootstrap 0 --format json --policy p1.ini |
  jq -r '.results.policy.checks[0].reason'
# A failed check and a report that cannot be written: the higher exit code wins (4 > 1).
printf '[check dp]\nmetric = demographic_parity_ratio\nmin = 1\n' >p3.ini
"$FAIRAUDIT" audit "$D" --group sex --label label --pred pred --bootstrap 0 --policy p3.ini -o nosuchdir/r.json 2>/dev/null
echo "failed check and unwritable report: exit $?"
