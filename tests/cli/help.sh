#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# --help of the program and of audit: exit 0, text on stdout, nothing on stderr. Only the
# first lines are pinned, so that editing the help does not mean editing this test.
"$FAIRAUDIT" --help >help.txt || exit
"$FAIRAUDIT" audit --help >audit-help.txt || exit
"$FAIRAUDIT" audit -h >audit-h.txt || exit
[ -s help.txt ] && [ -s audit-help.txt ] || { echo "empty help"; exit 1; }
cmp -s audit-help.txt audit-h.txt || { echo "-h and --help differ"; exit 1; }
head -n 1 help.txt audit-help.txt
