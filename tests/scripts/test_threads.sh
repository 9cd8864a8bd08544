#!/usr/bin/env bash
# Results do not depend on threads or byte ranges (STYLE P3): two generated CSVs of a few MB
# are audited with --threads 1, 2, 7 and --chunk-bytes 1000, 4096, 65536, 8388608, and the JSON
# reports, cut before their "run" part, must be byte-identical.
#   flat.csv: quoted fields with delimiters and doubled quotes, CRLF and LF lines, empty lines,
#             rows skipped for every reason; no field spans lines, so the speculative ranges
#             always chain up and the parallel path makes the counts (parse_threads > 1).
#   multi.csv: the same plus quoted fields holding LF, CRLF and lone CR, and records ended by a
#             lone CR; range starts land inside such fields, the chain check fails and the file
#             is parsed again by one reader (parse_threads = 1).
# Usage (ctest): bash test_threads.sh FAIRAUDIT SRC_DIR BUILD_DIR. Exit 77 = skipped.
set -euo pipefail
bin=$(realpath "$1")
command -v awk >/dev/null || { echo "test_threads: no awk; skipped"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# Deterministic rows from integer hashes (no rand(): mawk and gawk would differ).
# Columns: id,group,region,label,score,pred. Row i with i % 1000 == 1..9 is skipped for, in
# order: field count, missing group, missing label, invalid label, missing prediction, invalid
# prediction, missing score, invalid score, score out of range.
generate() { # rows multi
  awk -v rows="$1" -v multi="$2" 'BEGIN {
    g[0] = "NL"; g[1] = "EU"; g[2] = "non-EU"; g[3] = "\"Caribbean, other\"";
    g[4] = "\"say \"\"hi\"\"\""; g[5] = "\"a;b|c\ttab\""
    ng = 6
    if (multi) {
      g[6] = "\"north\nwest\""; g[7] = "\"two\r\nlines\""; g[8] = "\"lone\rcr\""; ng = 9
    }
    printf "id,group,region,label,score,pred\r\n"
    for (i = 1; i <= rows; i++) {
      h = (i * 7919 + 17) % 1009; k = i % 1000
      grp = g[h % ng]; reg = "r" (h % 7)
      sc = sprintf("0.%03d", (i * 613) % 1000); if (i % 13 == 0) sc = "\"" sc "\""
      lab = (h % 3 == 0) ? "1" : "0"; if (i % 17 == 0) lab = " yes "
      prd = ((h + i) % 4 == 0) ? "1" : "0"; if (i % 19 == 0) prd = "Nee"
      if (k == 2) grp = ""; if (k == 3) lab = ""; if (k == 4) lab = "maybe"
      if (k == 5) prd = ""; if (k == 6) prd = "perhaps"; if (k == 7) sc = ""
      if (k == 8) sc = "abc"; if (k == 9) sc = "1.5"
      if (k == 1) printf "%d,%s,%s,%s,%s", i, grp, reg, lab, sc
      else printf "%d,%s,%s,%s,%s,%s", i, grp, reg, lab, sc, prd
      if (i == rows) break
      if (multi && i % 997 == 0) printf "\r"; else if (i % 3 == 0) printf "\r\n"; else printf "\n"
      if (i % 101 == 0) printf "\n"; if (i % 211 == 0) printf "\r\n"
    }
  }'
}
generate 60000 0 >flat.csv
generate 60000 1 >multi.csv

args=(--group group --group region --intersect --label label --pred pred --score score
  --format json)
results() { sed '/^  "run": {/,$d' "$1"; }
parse_threads() { sed -n 's/^ *"parse_threads": \([0-9]*\).*/\1/p' "$1"; }

"$bin" audit flat.csv "${args[@]}" --threads 7 --chunk-bytes 4096 >probe.json
if [ "$(parse_threads probe.json)" = 1 ]; then
  echo "test_threads: built without OpenMP (one parse thread); skipped"
  exit 77
fi

runs=0
for f in flat multi; do
  "$bin" audit $f.csv "${args[@]}" --threads 1 >$f.base.json
  results $f.base.json >$f.base
  # Every skip reason occurs (the counts are in the results part).
  for reason in wrong_field_count missing_group missing_label invalid_label missing_prediction \
      invalid_prediction missing_score invalid_score score_out_of_range; do
    grep -Eq "\"$reason\": 60,?$" $f.base ||
      { echo "test_threads: $f.csv: $reason is not 60"; exit 1; }
  done
  for t in 1 2 7; do
    for c in 1000 4096 65536 8388608; do
      "$bin" audit $f.csv "${args[@]}" --threads $t --chunk-bytes $c >out.json
      results out.json >out
      if ! cmp -s $f.base out; then
        echo "test_threads: $f.csv --threads $t --chunk-bytes $c differs from --threads 1:"
        diff $f.base out | head -20
        exit 1
      fi
      pt=$(parse_threads out.json)
      # Which path made the counts: ranges (flat, small ranges) or one reader (multi).
      if [ $t -gt 1 ] && [ $c -le 4096 ]; then
        if [ $f = flat ] && [ "$pt" != $t ]; then
          echo "test_threads: flat.csv --threads $t --chunk-bytes $c: parse_threads $pt," \
            "expected $t"
          exit 1
        fi
        if [ $f = multi ] && [ "$pt" != 1 ]; then
          echo "test_threads: multi.csv --threads $t --chunk-bytes $c: parse_threads $pt," \
            "expected 1"
          exit 1
        fi
      fi
      runs=$((runs + 1))
    done
  done
done
echo "test_threads: results identical in $runs runs (threads 1 2 7 x chunk-bytes 1000 4096 65536" \
  "8388608) on flat.csv ($(wc -c <flat.csv) bytes, ranges chain up) and multi.csv" \
  "($(wc -c <multi.csv) bytes, multi-line fields: serial fallback)"
