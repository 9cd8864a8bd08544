#!/usr/bin/env bash
# Golden CLI test (tests/run_cli_test.sh): runs in a scratch folder with $FAIRAUDIT and $SRC set.
# Group values that are markup, a spreadsheet formula or table syntax stay text in every
# format: HTML and JUnit XML escape them, the CSV puts an apostrophe before a formula and quotes
# per RFC 4180, Markdown escapes the pipe.
{
  echo 'group,label,pred'
  for i in $(seq 1 40); do
    echo "\"<script>alert(1)</script>\",$((i % 2)),$((i % 3 == 0))"
    echo "\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",$((i % 2)),$((i % 4 == 0))"
    echo "a|b,$((i % 2)),$((i % 5 == 0))"
    echo "-1+2,$((i % 3 == 0)),1"
  done
} >evil.csv
printf '[check sr]\nmetric = selection_rate\nmin = 0.3\n' >p.ini
"$FAIRAUDIT" audit evil.csv --group group --label label --pred pred --bootstrap 0 --policy p.ini \
  -o r.html -o r.csv -o r.md -o r.xml -o r.json
echo "exit $?"
echo "raw <script> in the HTML: $(grep -c '<script' r.html)"
echo "raw <script> in the XML: $(grep -c '<script' r.xml)"
grep -o '&lt;script&gt;alert(1)&lt;/script&gt;' r.html | head -1
grep -c '<svg' r.html
# The CSV, as a spreadsheet would read it: no cell starts with = + - @.
grep -e ',selection_rate,,' r.csv
python3 -c 'import csv,sys; rows=list(csv.reader(open("r.csv", newline=""))); bad=[c for r in rows for c in r[:2] if c[:1] in "=+-@"]; print(len(rows), "rows, cells that start a formula:", len(bad))'
grep -F 'a\|b' r.md | head -1
python3 -c 'import xml.etree.ElementTree as E; t=E.parse("r.xml").getroot()[0]; print(t.get("tests"), "testcases,", t.get("failures"), "failures:", [c.get("name") for c in t if c.find("failure") is not None])'
