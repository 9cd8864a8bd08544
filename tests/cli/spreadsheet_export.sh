#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# A Dutch spreadsheet export: byte-order mark, ';' (detected), decimal comma, CRLF, ja/nee,
# and a quoted group holding ';'. Prediction from the score: 0,5 >= 0.5 counts as selected.
printf '\xef\xbb\xbfregio;label;score\r\n' >export.csv
printf 'Noord;ja;0,75\r\nNoord;nee;0,5\r\nNoord;nee;0,25\r\n"Zuid; oost";ja;0,125\r\n' >>export.csv
printf '"Zuid; oost";Nee;0,875\r\n"Zuid; oost";JA;1,0\r\n' >>export.csv
"$FAIRAUDIT" audit export.csv --group regio --label label --score score --threshold 0.5 \
  --format json >r.json || exit
grep -E '"(delimiter|decimal_comma|read|used|group|tp|fp|tn|fn)":' r.json
