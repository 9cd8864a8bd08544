#!/usr/bin/env bash
# Runs one CLI golden test: tests/cli/<case>.sh is run with $FAIRAUDIT (the binary), $SRC (the
# source tree) and $WORK (a fresh scratch folder) set, in $WORK. Its exit code must equal
# <case>.exit (default 0); where <case>.stdout or <case>.stderr exist, the output must equal
# them byte for byte. Regenerate expectations with REGEN=1 (then review the diff).
set -u
script=$1 bin=$2 src=$3
case_dir=$(dirname "$script")
name=$(basename "$script" .sh)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export FAIRAUDIT=$bin SRC=$src WORK SOURCE_DATE_EPOCH=1700000000 NO_COLOR=1
(cd "$WORK" && bash "$script" >"$WORK/.stdout" 2>"$WORK/.stderr")
rc=$?
expected_rc=0
[ -f "$case_dir/$name.exit" ] && expected_rc=$(cat "$case_dir/$name.exit")
status=0
if [ "${REGEN:-0}" = 1 ]; then
  echo "$rc" >"$case_dir/$name.exit"
  [ -f "$case_dir/$name.stdout" ] && cp "$WORK/.stdout" "$case_dir/$name.stdout"
  [ -f "$case_dir/$name.stderr" ] && cp "$WORK/.stderr" "$case_dir/$name.stderr"
  exit 0
fi
if [ "$rc" != "$expected_rc" ]; then
  echo "$name: exit code $rc, expected $expected_rc"
  status=1
fi
for stream in stdout stderr; do
  if [ -f "$case_dir/$name.$stream" ] && ! diff -u "$case_dir/$name.$stream" "$WORK/.$stream"; then
    echo "$name: $stream differs from $case_dir/$name.$stream"
    status=1
  fi
done
# Every JSON report the test wrote (files and standard output) must match the documented schema
# (docs/schema/report.schema.json); skipped where python3-jsonschema is not installed.
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
  mapfile -t reports < <(find "$WORK" -name '*.json' -type f; echo "$WORK/.stdout")
  if ! /usr/bin/python3 "$src/tests/validate_json.py" "$src/docs/schema/report.schema.json" \
    "${reports[@]}" >"$WORK/.schema" 2>&1; then
    cat "$WORK/.schema"
    echo "$name: a JSON report does not match docs/schema/report.schema.json"
    status=1
  fi
fi
if [ $status -ne 0 ]; then
  echo "--- stderr of $name:"; head -c 4000 "$WORK/.stderr"
fi
exit $status
