#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# --version prints "fairaudit X.Y.Z", the project version in CMakeLists.txt.
expected=$(sed -n 's/^project(fairaudit VERSION \([0-9.]*\).*/fairaudit \1/p' "$SRC/CMakeLists.txt")
out=$("$FAIRAUDIT" --version) || exit
[ "$out" = "$expected" ] || { echo "'$out' is not '$expected' (CMakeLists.txt)"; exit 1; }
echo "--version matches CMakeLists.txt"
