#!/usr/bin/env bash
# Partial states (docs/partial-state.md): a generated file of 30,000 decisions, with a quoted
# field holding a line break in every 97th record and quoted delimiters, is cut into 1, 2 and 5
# shards at record boundaries chosen by a fixed hash (anywhere in the file, not at round
# offsets), each shard after the first without a header row (read with --header-from). For
# each split, `fairaudit partial` on every shard and `fairaudit merge` of the states must give a
# JSON report whose "results" part is byte-identical to that of `fairaudit audit` on the whole
# file, except for results.input.shards (the shards' sizes, listed only when there are several;
# results.input.bytes is their sum, the whole file's size). With and without --score, with the
# bootstrap, --intersect, --thresholds and --top-k. Then the same with a header in every shard
# (as Spark writes part files), the states given in another order, and gzip shards, comparing
# everything but results.input; and `audit --header-from` on a header-less shard.
# Usage (ctest): bash test_partial.sh FAIRAUDIT SRC_DIR BUILD_DIR.
set -euo pipefail
bin=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
command -v awk >/dev/null || { echo "test_partial: no awk; skipped"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# data.csv: 30,000 rows, a quoted line break in every 97th record, a quoted delimiter in every 89th.
. "$here/lib_shards.sh"
make_data "$bin" 30000 97

count=(--group nationality --group sex --label label)
analysis=(--intersect --bootstrap 200 --seed 5 --format json)
checks=0
for variant in pred score; do
  if [ $variant = pred ]; then
    c=("${count[@]}" --pred pred)
    a=("${analysis[@]}")
  else
    c=("${count[@]}" --score score --threshold 0.5)
    a=("${analysis[@]}" --thresholds 0.3,0.7 --top-k 1500)
  fi
  "$bin" audit data.csv "${c[@]}" "${a[@]}" >whole.json
  results whole.json >whole
  grep -q '"read": 30000,' whole || { echo "test_partial: expected 30000 rows"; exit 1; }
  for n in 1 2 5; do
    rm -f shard*.csv *.state
    split_file $n shard 0
    got=$(cat shard*.csv | cmp - data.csv && echo same)
    [ "$got" = same ] || { echo "test_partial: the $n shards do not make up the file"; exit 1; }
    states=()
    for i in $(seq 1 $n); do
      if [ $i = 1 ]; then hf=(); else hf=(--header-from shard1.csv); fi
      "$bin" partial shard$i.csv "${c[@]}" "${hf[@]}" --threads 2 --chunk-bytes 4096 -o s$i.state
      states+=(s$i.state)
    done
    "$bin" merge "${states[@]}" "${a[@]}" >merged.json
    if [ $n = 1 ]; then
      results merged.json >merged
      cp whole expected
    else
      no_shards merged.json >merged
      no_shards whole.json >expected
      # Each shard's SHA-256 is listed, as sha256sum computes it.
      for i in $(seq 1 $n); do
        sum=$(sha256sum shard$i.csv | cut -d' ' -f1)
        grep -q "\"sha256\": \"$sum\"" merged.json ||
          { echo "test_partial: $n shards: shard $i's SHA-256 is not listed"; exit 1; }
      done
    fi
    if ! cmp -s expected merged; then
      echo "test_partial: --$variant, $n shards: merge differs from audit:"
      diff expected merged | head -20
      exit 1
    fi
    checks=$((checks + 1))
  done
  # Spark-style part files, each with its header, merged in another order, some gzip-compressed.
  rm -f shard*.csv part*.csv part*.gz *.state
  split_file 5 part 1
  gzip -n part2.csv part4.csv
  states=()
  for f in part5.csv part2.csv.gz part1.csv part4.csv.gz part3.csv; do
    "$bin" partial $f "${c[@]}" -o $f.state
    states+=($f.state)
  done
  "$bin" merge "${states[@]}" "${a[@]}" >merged.json
  no_input whole.json >w
  no_input merged.json >m
  cmp -s w m || { echo "test_partial: --$variant, parts with headers:"; diff w m | head; exit 1; }
  grep -q '"compression": "mixed"' merged.json ||
    { echo "test_partial: gzip and plain shards: compression is not 'mixed'"; exit 1; }
  checks=$((checks + 1))
done

# audit --header-from on a header-less shard equals audit of the shard with its header.
split_file 2 hs 0
{ head -n 1 data.csv; cat hs2.csv; } >hs2_with_header.csv
"$bin" audit hs2.csv --header-from hs1.csv "${count[@]}" --pred pred "${analysis[@]}" >a.json
"$bin" audit hs2_with_header.csv "${count[@]}" --pred pred "${analysis[@]}" >b.json
no_input a.json >a
no_input b.json >b
cmp -s a b || { echo "test_partial: audit --header-from differs"; diff a b | head; exit 1; }
checks=$((checks + 1))
echo "test_partial: $checks comparisons of merged states with the whole file: identical results"
