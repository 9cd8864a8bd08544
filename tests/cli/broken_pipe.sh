#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# The reader of stdout goes away early (head -c 10). fairaudit ignores SIGPIPE, so the write
# fails with EPIPE, and it says so and exits 4: a report that was cut off is not a success
# (with 'set -o pipefail' the pipeline fails), and it does not crash. The report here is a few
# MB, far more than a pipe holds, so the write always fails whatever the timing.
awk 'BEGIN { print "group,label,pred"; for (i = 0; i < 6000; i++) print "g" i % 300 "," i % 3 % 2 "," i % 5 % 2 }' >many.csv
"$FAIRAUDIT" audit many.csv --group group --label label --pred pred --bootstrap 0 --format json | head -c 10
rc=${PIPESTATUS[0]}
echo
exit "$rc"
