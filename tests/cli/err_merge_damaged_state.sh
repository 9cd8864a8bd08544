#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# A truncated state, a state with one byte changed, and a file that is no state: exit 3 each.
cp "$SRC/tests/data/decisions.csv" d.csv && d=d.csv
"$FAIRAUDIT" partial "$d" --group sex --label label --pred pred -o a.state || exit
head -c 100 a.state >cut.state
"$FAIRAUDIT" merge cut.state
echo "exit $?"
cp a.state flip.state
printf 'X' | dd of=flip.state bs=1 seek=200 conv=notrunc 2>/dev/null
"$FAIRAUDIT" merge flip.state
echo "exit $?"
"$FAIRAUDIT" merge "$d"
echo "exit $?"
