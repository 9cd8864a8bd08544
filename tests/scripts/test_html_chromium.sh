#!/usr/bin/env bash
# The HTML report in a real browser: Debian's chromium renders the report of the demo audit (with
# a score and a policy) and of a file whose group values are markup, headless. The page must
# log no console message (it has no scripts; the Content-Security-Policy would report any
# blocked one), must not run the injected <script> (its text stays text), and must draw its
# charts: the SVG elements and their marks are counted in the DOM after rendering.
# Usage (ctest): bash test_html_chromium.sh FAIRAUDIT SRC_DIR BUILD_DIR. Skipped (77) only when
# chromium is not installed (tests/install_deps.sh installs it).
set -euo pipefail
bin=$1 src=$2
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "SKIPPED: no chromium (Debian package chromium)"; exit 77; }
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
flags=(--headless --disable-gpu --no-first-run --disable-extensions --user-data-dir="$w/profile"
  --enable-logging=stderr --v=0)
[ "$(id -u)" -ne 0 ] || flags+=(--no-sandbox) # chromium refuses to run as root with its sandbox
render() { timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$1" 2>"$1.log"; }

printf '[check ff]\nmetric = selection_rate\nvs_reference = ratio\nmin = 0.8\n[check cal]\nmetric = ece\nmax = 0.05\n' >"$w/p.ini"
"$bin" audit "$src/datasets/benefits_demo.csv" --group nationality --group sex --label label --pred pred \
  --score score --bootstrap 100 --policy "$w/p.ini" -o "$w/demo.html" || [ $? = 1 ]
{
  echo 'group,label,pred'
  for i in $(seq 1 60); do
    echo "\"<script>document.title='pwned';console.error('injected')</script>\",$((i % 2)),$((i % 3 == 0))"
    echo "\"<img src=x onerror=alert(1)>\",$((i % 2)),$((i % 4 == 0))"
  done
} >"$w/evil.csv"
"$bin" audit "$w/evil.csv" --group group --label label --pred pred --bootstrap 0 -o "$w/evil.html"

render "$w/demo.html" >"$w/demo.dom"
render "$w/evil.html" >"$w/evil.dom"
fail=0
for page in demo evil; do
  if grep -E 'CONSOLE|Uncaught|Refused to' "$w/$page.html.log"; then
    echo "test_html_chromium: $page.html logged console messages"
    fail=1
  fi
  [ -s "$w/$page.dom" ] || { echo "test_html_chromium: $page.html: chromium gave no DOM"; cat "$w/$page.html.log"; exit 1; }
done
# demo: per attribute a rate chart and a ratio chart, and reliability curves (2 attributes).
svgs=$(grep -o '<svg' "$w/demo.dom" | wc -l)
circles=$(grep -o '<circle' "$w/demo.dom" | wc -l)
lines=$(grep -o '<polyline' "$w/demo.dom" | wc -l)
echo "demo.html: $svgs charts, $circles points, $lines reliability curves"
[ "$svgs" -eq 6 ] && [ "$circles" -ge 8 ] && [ "$lines" -eq 5 ] || { echo "test_html_chromium: charts missing"; fail=1; }
# evil: the markup is text; no element came from the data; the title is the page's own.
if grep -q '<img src="x"' "$w/evil.dom" || grep -q '<script' "$w/evil.dom" || grep -q '<title>pwned' "$w/evil.dom"; then
  echo "test_html_chromium: markup from the data became elements"
  fail=1
fi
grep -q '&lt;script&gt;document.title' "$w/evil.dom" || { echo "test_html_chromium: the group label is not shown as text"; fail=1; }
[ $fail -eq 0 ] && echo "test_html_chromium: both pages render without console messages; the injected markup stays text"
exit $fail
