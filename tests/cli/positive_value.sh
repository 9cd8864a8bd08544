#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# --positive VALUE: exactly that value (case matters) is the positive class of label and
# prediction; any other non-empty value is negative; an empty one is missing.
printf 'group,label,pred\n' >fraud.csv
printf 'a,fraud,fraud\na,ok,fraud\na,fraud,ok\na,ok,ok\na,Fraud,ok\na,,ok\nb,fraud, fraud \n' >>fraud.csv
"$FAIRAUDIT" audit fraud.csv --group group --label label --pred pred --positive fraud \
  --format json >r.json || exit
grep -E '"(label_positive|prediction_positive|read|used|missing_label|group|tp|fp|tn|fn)":' r.json
