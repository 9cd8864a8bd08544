#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# A decompression bomb: 60 MB of one repeated row gzip to under 100 KB (a ratio near 700,
# over the default limit of 200); refused with exit 3 once past the 16 MiB allowance. With
# the limit off, the same file is read.
{ echo "g,y,p"; yes "x,1,1" | head -c 60000000; } | gzip -9 -n >bomb.csv.gz
"$FAIRAUDIT" audit bomb.csv.gz --group g --label y --pred p --bootstrap 0
rc=$?
"$FAIRAUDIT" audit bomb.csv.gz --group g --label y --pred p --bootstrap 0 --max-gzip-ratio 0 >/dev/null || exit 99
exit $rc
