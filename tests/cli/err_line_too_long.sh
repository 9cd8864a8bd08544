#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# Line 3 has 206 bytes; --max-line-bytes 100. The file is read in one block, so this checks
# the limit on a line that arrives whole, not only on one that outgrows the buffer.
{ printf 'group,label,pred\na,1,1\n'; printf '%0200d,1,1\n' 7; printf 'b,0,0\n'; } >long.csv
"$FAIRAUDIT" audit long.csv --group group --label label --pred pred --max-line-bytes 100
