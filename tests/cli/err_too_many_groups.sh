#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# A fourth distinct group (line 5) with --max-groups 3. Parsed by 3 threads in 20-byte ranges:
# the line named is that of the serial reading, whichever thread saw the group first.
printf 'group,label,pred\na,1,1\nb,0,1\nc,1,0\nd,0,0\na,1,1\ne,1,1\n' >groups.csv
"$FAIRAUDIT" audit groups.csv --group group --label label --pred pred --max-groups 3 --threads 3 --chunk-bytes 20
