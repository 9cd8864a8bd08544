#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# A header (CRLF) followed by nothing but an empty line: no data rows.
printf 'group,label,pred\r\n\r\n' >header.csv
"$FAIRAUDIT" audit header.csv --group group --label label --pred pred
