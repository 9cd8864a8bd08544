#!/usr/bin/env bash
# The MPI driver (docs/scale-out.md): `mpirun -np P fairaudit-mpi audit ...` with P = 1, 2 and 3
# (--oversubscribe: more ranks than cores is fine here) must give the JSON "results" of
# `fairaudit audit` byte for byte:
#   - one file read in P byte ranges: data.csv (a quoted line break in every record, so a
#     range start may land inside a quoted field: then the parts do not chain up and rank 0
#     reads the file alone, which must happen at least once here) and flat.csv (none: the parts chain up and the ranks' counts are
#     merged), each with --pred and with --score, the bootstrap, --thresholds and --top-k;
#   - four shard files (after the first header-less, --header-from), P ranks taking blocks of
#     them: the results of `fairaudit merge` of their partial states, byte for byte, and those of
#     `audit` on the whole file but for results.input.shards;
#   - a missing file: the exit code and message of `audit`;
#   - the ratio study, `fairaudit-mpi ratio`: one sales file (quoted line breaks in some records)
#     read in P byte ranges, the sales gathered at rank 0, with the stratified and the simple
#     bootstrap and trimming, and four shard files: the results of `fairaudit ratio` (and of
#     `fairaudit merge` of the shards' states) byte for byte.
# Needs BUILD_DIR/fairaudit-mpi (cmake -DFAIRAUDIT_MPI=ON) and mpirun; skipped (77) otherwise.
# tests/run_all.sh builds it and runs this test.
# Usage: bash test_mpi.sh FAIRAUDIT SRC_DIR BUILD_DIR.
set -euo pipefail
bin=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
build=$(realpath "$3")
mpi=$build/fairaudit-mpi
[ -x "$mpi" ] || { echo "SKIPPED: no $mpi (configure with -DFAIRAUDIT_MPI=ON)"; exit 77; }
command -v mpirun >/dev/null || { echo "SKIPPED: no mpirun (Debian: openmpi-bin)"; exit 77; }
if [ "$(id -u)" = 0 ]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
. "$here/lib_shards.sh"

run_mpi() { # ranks args...
  local np=$1
  shift
  timeout 300 mpirun --oversubscribe -np "$np" "$mpi" "$@"
}

make_data "$bin" 6000 0
mv data.csv flat.csv
make_data "$bin" 6000 1
count=(--group nationality --group age_band --label label)
analysis=(--intersect --bootstrap 100 --seed 3 --format json --threads 1)
checks=0 alone=0
for f in flat.csv data.csv; do
  for variant in pred score; do
    if [ $variant = pred ]; then
      a=("${count[@]}" --pred pred "${analysis[@]}")
    else
      a=("${count[@]}" --score score --threshold 0.5 "${analysis[@]}" --thresholds 0.3 --top-k 400)
    fi
    "$bin" audit $f "${a[@]}" >whole.json
    results whole.json >whole
    for np in 1 2 3; do
      run_mpi $np audit $f "${a[@]}" >mpi.json 2>mpi.err
      results mpi.json >mpi
      if ! cmp -s whole mpi; then
        echo "test_mpi: $f --$variant with $np ranks differs from audit:"
        diff whole mpi | head -20
        cat mpi.err
        exit 1
      fi
      if grep -q "reads '$f' alone" mpi.err; then how="rank 0 alone"; else how="ranks merged"; fi
      echo "test_mpi: $f --$variant, $np ranks: identical ($how)"
      [ "$how" = "rank 0 alone" ] && alone=$((alone + 1))
      checks=$((checks + 1))
    done
  done
done
[ "$alone" -gt 0 ] || { echo "test_mpi: the parts of data.csv always chained up"; exit 1; }

# Shard files: blocks of them per rank.
split_file 4 shard 0
a=("${count[@]}" --pred pred "${analysis[@]}")
"$bin" audit data.csv "${a[@]}" >whole.json
no_shards whole.json >whole
states=()
for i in 1 2 3 4; do
  if [ $i = 1 ]; then hf=(); else hf=(--header-from shard1.csv); fi
  "$bin" partial shard$i.csv "${count[@]}" --pred pred "${hf[@]}" -o s$i.state
  states+=(s$i.state)
done
"$bin" merge "${states[@]}" "${analysis[@]}" >merged.json
results merged.json >merged
for np in 1 2 3; do
  run_mpi $np audit shard1.csv shard2.csv shard3.csv shard4.csv --header-from shard1.csv \
    "${a[@]}" >mpi.json
  results mpi.json >mpi
  cmp -s merged mpi || { echo "test_mpi: shards, $np ranks: differs from merge"; diff merged mpi | head; exit 1; }
  no_shards mpi.json >mpi
  cmp -s whole mpi || { echo "test_mpi: shards, $np ranks: differs from audit"; diff whole mpi | head; exit 1; }
  checks=$((checks + 1))
done

# The ratio study: the ranks' sales gathered at rank 0.
"$bin" gen woz --rows 6000 --seed 4 -o woz.csv
awk -F, 'NR == 1 { print $0 ",note"; next } NR % 211 == 0 { $5 = "" }
  NR % 53 == 0 { print $1 "," $2 "," $3 "," $4 "," $5 ",\"two\nlines\""; next }
  { print $1 "," $2 "," $3 "," $4 "," $5 ",plain" }' woz.csv >sales.csv
rc=(--assessed valuation --sale-price sale_price --group neighbourhood --group property_type)
for variant in stratified simple; do
  if [ $variant = stratified ]; then
    ra=("${rc[@]}" --bootstrap 100 --seed 3 --trim iqr1.5 --format json --threads 1)
  else
    ra=("${rc[@]}" --bootstrap 80 --bootstrap-scheme simple --quantiles 4 --format json --threads 1)
  fi
  "$bin" ratio sales.csv "${ra[@]}" >whole.json
  results whole.json >whole
  for np in 1 2 3; do
    run_mpi $np ratio sales.csv "${ra[@]}" >mpi.json 2>mpi.err
    results mpi.json >mpi
    if ! cmp -s whole mpi; then
      echo "test_mpi: ratio ($variant) with $np ranks differs from ratio:"
      diff whole mpi | head -20
      cat mpi.err
      exit 1
    fi
    if grep -q "reads 'sales.csv' alone" mpi.err; then how="rank 0 alone"; else how="ranks merged"; fi
    echo "test_mpi: ratio ($variant), $np ranks: identical ($how)"
    checks=$((checks + 1))
  done
done
# Four shards of the sales file (split_file cuts data.csv), blocks of them per rank.
mkdir ratio_shards
cp sales.csv ratio_shards/data.csv
ra=("${rc[@]}" --bootstrap 100 --seed 3 --format json --threads 1)
(
  cd ratio_shards
  split_file 4 shard 0
  "$bin" ratio data.csv "${ra[@]}" >whole.json
  results whole.json >whole
  for np in 1 2 3; do
    run_mpi $np ratio shard1.csv shard2.csv shard3.csv shard4.csv --header-from shard1.csv \
      "${ra[@]}" >mpi.json
    results mpi.json >mpi
    cmp -s whole mpi || { echo "test_mpi: ratio shards, $np ranks: differs from ratio"; diff whole mpi | head; exit 1; }
    echo "test_mpi: ratio, 4 shards, $np ranks: identical"
  done
)
checks=$((checks + 3))

# Errors: the exit code and message of a single process.
set +e
"$bin" audit missing.csv "${a[@]}" >/dev/null 2>want.err
want=$?
run_mpi 2 audit missing.csv "${a[@]}" >/dev/null 2>got.err
got=$?
set -e
[ "$want" = 3 ] && [ "$got" = "$want" ] && grep -qF "$(cat want.err)" got.err ||
  { echo "test_mpi: missing file: exit $got (want $want)"; cat got.err; exit 1; }
checks=$((checks + 1))
set +e
"$bin" ratio missing.csv "${ra[@]}" >/dev/null 2>want.err
want=$?
run_mpi 2 ratio missing.csv "${ra[@]}" >/dev/null 2>got.err
got=$?
set -e
[ "$want" = 3 ] && [ "$got" = "$want" ] && grep -qF "$(cat want.err)" got.err ||
  { echo "test_mpi: ratio, missing file: exit $got (want $want)"; cat got.err; exit 1; }
checks=$((checks + 1))
echo "test_mpi: $checks runs of fairaudit-mpi with 1, 2 and 3 ranks: results identical"
