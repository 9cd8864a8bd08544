#!/usr/bin/env bash
# Partial states of a ratio study (docs/partial-state.md): a generated sales file of 20,000 rows
# (`fairaudit gen woz`) with a quoted field holding a line break in every 97th record, a quoted
# delimiter in every 89th, and invalid values (missing, not a number, zero, negative) in some
# rows, is cut into 1, 2 and 5 shards at record boundaries chosen by a fixed hash, each shard
# after the first without a header row (--header-from). For each split, `fairaudit partial ratio`
# on every shard and `fairaudit merge` of the states, in the order given and reversed, must give
# a JSON report whose "results" part is byte-identical to that of `fairaudit ratio` on the whole
# file (results.input.bytes is the shards' sum, the whole file's size): with the stratified and
# the simple bootstrap, trimming, two group columns and a reference group, and with no group
# column. Then Spark-style part files with a header each, some gzip-compressed, in another
# order (everything but results.input; compression "mixed"); `ratio --header-from`; and the
# refusals: an audit's state with a ratio study's (exit 3, naming the file and the kinds),
# states made with another --assessed column or --max-sales (exit 3, naming the option), an
# option of the other command (exit 2).
# Usage (ctest): bash test_partial_ratio.sh FAIRAUDIT SRC_DIR BUILD_DIR.
set -euo pipefail
bin=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
command -v awk >/dev/null || { echo "test_partial_ratio: no awk; skipped"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
. "$here/lib_shards.sh"

"$bin" gen woz --rows 20000 --seed 7 -o woz.csv
# columns: id,neighbourhood,property_type,sale_price,valuation (+ note)
awk -F, 'NR == 1 { print $0 ",note"; next }
  { if (NR % 211 == 0) $5 = ""; else if (NR % 223 == 0) $5 = "n/a"; else if (NR % 227 == 0) $4 = 0;
    else if (NR % 229 == 0) $4 = -5 }
  NR % 97 == 0 { print $1 "," $2 "," $3 "," $4 "," $5 ",\"two\nlines, \"\"quoted\"\"\""; next }
  NR % 89 == 0 { print $1 "," $2 "," $3 "," $4 "," $5 ",\"a,b\""; next }
  { print $1 "," $2 "," $3 "," $4 "," $5 ",plain" }' woz.csv >data.csv

cols=(--assessed valuation --sale-price sale_price)
checks=0
for variant in groups simple nogroups; do
  case $variant in
    groups) c=("${cols[@]}" --group neighbourhood --group property_type)
            a=(--bootstrap 150 --seed 5 --trim iqr1.5 --reference property_type=detached --format json) ;;
    simple) c=("${cols[@]}" --group neighbourhood)
            a=(--bootstrap 120 --seed 9 --bootstrap-scheme simple --quantiles 4 --strata-by sale-price --format json) ;;
    nogroups) c=("${cols[@]}")
            a=(--bootstrap 100 --trim p5p95 --format json) ;;
  esac
  "$bin" ratio data.csv "${c[@]}" "${a[@]}" >whole.json
  results whole.json >whole
  grep -q '"read": 20000,' whole || { echo "test_partial_ratio: expected 20000 rows"; exit 1; }
  grep -q '"invalid_assessed": [1-9]' whole || { echo "test_partial_ratio: no skipped rows"; exit 1; }
  for n in 1 2 5; do
    rm -f shard*.csv *.state
    split_file $n shard 0
    got=$(cat shard*.csv | cmp - data.csv && echo same)
    [ "$got" = same ] || { echo "test_partial_ratio: the $n shards do not make up the file"; exit 1; }
    states=()
    for i in $(seq 1 $n); do
      if [ $i = 1 ]; then hf=(); else hf=(--header-from shard1.csv); fi
      "$bin" partial ratio shard$i.csv "${c[@]}" "${hf[@]}" --threads 2 --chunk-bytes 4096 -o s$i.state
      states+=(s$i.state)
    done
    for order in given reversed; do
      if [ $order = reversed ]; then
        rev=()
        for ((k = ${#states[@]} - 1; k >= 0; k--)); do rev+=("${states[k]}"); done
        "$bin" merge "${rev[@]}" "${a[@]}" >merged.json
      else
        "$bin" merge "${states[@]}" "${a[@]}" >merged.json
      fi
      results merged.json >merged
      if ! cmp -s whole merged; then
        echo "test_partial_ratio: $variant, $n shards ($order): merge differs from ratio:"
        diff whole merged | head -20
        exit 1
      fi
      checks=$((checks + 1))
    done
  done
done

# Spark-style part files, each with its header, merged in another order, some gzip-compressed.
c=("${cols[@]}" --group neighbourhood)
a=(--bootstrap 100 --format json)
"$bin" ratio data.csv "${c[@]}" "${a[@]}" >whole.json
rm -f part*.csv part*.gz *.state
split_file 5 part 1
gzip -n part2.csv part4.csv
states=()
for f in part5.csv part2.csv.gz part1.csv part4.csv.gz part3.csv; do
  "$bin" partial ratio $f "${c[@]}" -o $f.state
  states+=($f.state)
done
"$bin" merge "${states[@]}" "${a[@]}" >merged.json
no_input whole.json >w
no_input merged.json >m
cmp -s w m || { echo "test_partial_ratio: parts with headers:"; diff w m | head; exit 1; }
grep -q '"compression": "mixed"' merged.json ||
  { echo "test_partial_ratio: gzip and plain shards: compression is not 'mixed'"; exit 1; }
grep -q '"input_path": "5 shards"' merged.json ||
  { echo "test_partial_ratio: run.input_path is not '5 shards'"; exit 1; }
checks=$((checks + 1))

# ratio --header-from on a header-less shard equals ratio of the shard with its header.
split_file 2 hs 0
{ head -n 1 data.csv; cat hs2.csv; } >hs2_with_header.csv
"$bin" ratio hs2.csv --header-from hs1.csv "${c[@]}" "${a[@]}" >a.json
"$bin" ratio hs2_with_header.csv "${c[@]}" "${a[@]}" >b.json
no_input a.json >x
no_input b.json >y
cmp -s x y || { echo "test_partial_ratio: ratio --header-from differs"; diff x y | head; exit 1; }
checks=$((checks + 1))

# Refusals. expect EXIT PATTERN command...
expect() {
  local want=$1 pattern=$2 got
  shift 2
  set +e
  "$@" >/dev/null 2>err.txt
  got=$?
  set -e
  if [ "$got" != "$want" ] || ! grep -qF -- "$pattern" err.txt; then
    echo "test_partial_ratio: '$*': exit $got (want $want), message:"
    cat err.txt
    echo "(wanted: $pattern)"
    exit 1
  fi
  checks=$((checks + 1))
}
"$bin" gen benefits --rows 50 -o b.csv
"$bin" partial b.csv --group nationality --label label --pred pred -o audit.state
"$bin" partial ratio hs1.csv "${c[@]}" -o r1.state
"$bin" partial ratio hs2.csv "${c[@]}" --header-from hs1.csv -o r2.state
"$bin" partial ratio hs2.csv --assessed sale_price --sale-price valuation --group neighbourhood \
  --header-from hs1.csv -o other.state
"$bin" partial ratio hs2.csv "${c[@]}" --max-sales 20000 --header-from hs1.csv -o limit.state
expect 3 "cannot merge 'audit.state'" "$bin" merge r1.state audit.state
expect 3 "kind of state: ratio study and classification audit" "$bin" merge r1.state audit.state
expect 3 "kind of state: classification audit and ratio study" "$bin" merge audit.state r1.state
expect 3 "cannot merge 'other.state'" "$bin" merge r1.state other.state
expect 3 "--assessed column: 'valuation' and 'sale_price'" "$bin" merge r1.state other.state
expect 3 "--max-sales: 100000000 and 20000" "$bin" merge r1.state limit.state
expect 3 "would count twice" "$bin" merge r1.state r2.state r1.state
expect 2 "--bootstrap is an option of 'merge'" "$bin" partial ratio hs1.csv "${c[@]}" --bootstrap 5 -o x.state
expect 2 "--assessed is an option of 'partial'" "$bin" merge r1.state r2.state --assessed valuation
expect 2 "partial needs -o STATE" "$bin" partial ratio hs1.csv "${c[@]}"
# A damaged state: exit 3, naming it.
head -c 100 r1.state >cut.state
expect 3 "'cut.state' is not a valid partial state" "$bin" merge cut.state
echo "test_partial_ratio: $checks checks of merged ratio states against the whole file: identical results"
