#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# Past --max-distinct-scores the scores are rounded to a grid; whether that happens depends on
# the union of the values only, so 1 thread and 3 threads over small byte ranges must give the
# same results part, and the report must say the scores were rounded, with the bounds.
awk 'BEGIN { print "g,y,p,s"; srand(3);
             for (i = 0; i < 3000; i++) { s = rand(); y = (rand() < s) ? 1 : 0;
               printf "%s,%d,%d,%.9f\n", (i % 2 ? "a" : "b"), y, (s >= 0.5), s } }' >q.csv
run() { "$FAIRAUDIT" audit q.csv --group g --label y --pred p --score s --max-distinct-scores 500 \
          --bootstrap 50 --threads "$1" --chunk-bytes 4000 --format json | sed '/^  "run": {/,$d'; }
run 1 >one.json || exit 1
run 3 >three.json || exit 1
cmp -s one.json three.json && echo "results identical for 1 and 3 threads"
grep -c '"rounded_to_grid": true' one.json
grep -c '"rounding_bounds"' one.json
