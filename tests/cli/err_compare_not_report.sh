#!/usr/bin/env bash
# Golden CLI test: `compare` refuses a JSON file that is not a fairaudit report (exit 3), and a
# file that is not JSON, naming line and column.
echo '{"results": {}}' >other.json
printf '{"schema_version": 1,\n  "tool": }\n' >broken.json
"$FAIRAUDIT" audit "$SRC/datasets/benefits_demo.csv" --group sex --label label --pred pred \
  --bootstrap 0 --format json >ok.json || exit
"$FAIRAUDIT" compare ok.json other.json
echo "exit $?"
"$FAIRAUDIT" compare broken.json ok.json
echo "exit $?"
"$FAIRAUDIT" compare ok.json
