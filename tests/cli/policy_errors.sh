#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# A policy that cannot be used is a usage error (exit 2), before the input is read: the message
# names the file and line, and an unknown metric lists the valid ones.
D=$SRC/datasets/benefits_demo.csv
run() { "$FAIRAUDIT" audit "$D" --group sex --label label --pred pred --bootstrap 0 --policy "$1" >/dev/null; echo "exit $?"; }
printf '[check x]\nmetric = disparate_impact\nmin = 0.8\n' >unknown_metric.ini
run unknown_metric.ini
printf '[policy]\nname = test\n\n[check x\nmetric = tpr\n' >syntax.ini
run syntax.ini
printf '[check x]\nmetric = tpr\nmin = 0.8\nattributes = race\n' >unknown_attribute.ini
run unknown_attribute.ini
printf '[check x]\nmetric = tpr\nmin = 0,8\n' >bad_number.ini
run bad_number.ini
run missing.ini
