#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# A file without read permission. Root reads any file, so as root the program runs as
# 'nobody' (setpriv), which needs this folder and the binary to be reachable by others. Where
# neither works (root without setpriv, or a binary nobody can run) the case cannot be tested:
# it then says so on stdout (not compared) and gives the expected output itself.
printf 'group,label,pred\na,1,1\n' >secret.csv
chmod 000 secret.csv
if [ "$(id -u)" != 0 ]; then
  "$FAIRAUDIT" audit secret.csv --group group --label label --pred pred
elif chmod 755 . && command -v setpriv >/dev/null &&
     setpriv --reuid=65534 --regid=65534 --clear-groups "$FAIRAUDIT" --version >/dev/null 2>&1; then
  setpriv --reuid=65534 --regid=65534 --clear-groups "$FAIRAUDIT" audit secret.csv --group group --label label --pred pred
else
  echo "NOT TESTED: running as root and cannot run $FAIRAUDIT as nobody"
  echo "fairaudit: cannot open 'secret.csv': Permission denied" >&2
  exit 3
fi
