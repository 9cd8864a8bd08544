#!/usr/bin/env bash
# bench_ratio_scale.sh -- a ratio study's partial states and MPI run (docs/partial-state.md,
# docs/scale-out.md; results in RESULTS.md):
#   1. `fairaudit merge` of 100 partial states of a ratio study holding 1M sales together
#      (`fairaudit gen woz --rows 1000000`, cut into 100 part files with a header each) against
#      `fairaudit ratio` on the whole file, with --bootstrap 0 and --bootstrap B: wall and CPU
#      medians of --reps runs, peak RSS, and a check that the JSON results are identical;
#   2. `mpirun -np 2 fairaudit-mpi ratio FILE --threads 1` against `fairaudit ratio --threads 2`
#      and `--threads 1` on the same file.
# usage: benchmarks/bench_ratio_scale.sh [--reps N] [--boot B] [--skip-mpi] [--skip-merge]
# environment: FAIRAUDIT (default build/fairaudit), FAIRAUDIT_MPI (default
#   build-mpi/fairaudit-mpi), BENCH_DIR (default /tmp/fairaudit-bench).
set -euo pipefail
export LC_ALL=C
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
. "$here/lib.sh"
fa=$(realpath "${FAIRAUDIT:-$root/build/fairaudit}")
fm=$(realpath "${FAIRAUDIT_MPI:-$root/build-mpi/fairaudit-mpi}")
bench_dir=${BENCH_DIR:-/tmp/fairaudit-bench}
reps=3 boot=50 skip_mpi=0 skip_merge=0
while [ $# -gt 0 ]; do
  case $1 in
    --reps) reps=$2; shift 2 ;;
    --boot) boot=$2; shift 2 ;;
    --skip-mpi) skip_mpi=1; shift ;;
    --skip-merge) skip_merge=1; shift ;;
    *) echo "usage: bench_ratio_scale.sh [--reps N] [--boot B] [--skip-mpi] [--skip-merge]" >&2; exit 2 ;;
  esac
done
if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
mkdir -p "$bench_dir"
work=$(mktemp -d "$bench_dir/ratio-scale.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

# Sets wall, cpu (medians, s) and rss (largest peak RSS of one process, MiB) for a command.
measure() {
  local w=() c=() r=() t0 t1 i
  for ((i = 0; i < reps; i++)); do
    t0=$EPOCHREALTIME
    /usr/bin/time -f '%U %S %M' -o t.txt -- "$@" >out.json
    t1=$EPOCHREALTIME
    w+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')")
    c+=("$(awk '{ print $1 + $2 }' t.txt)")
    r+=("$(awk '{ printf "%.0f", $3 / 1024 }' t.txt)")
  done
  wall=$(printf '%s\n' "${w[@]}" | median)
  cpu=$(printf '%s\n' "${c[@]}" | median)
  rss=$(printf '%s\n' "${r[@]}" | sort -g | tail -1)
}
row() { printf '  %-58s %8s %8s %8s\n' "$@"; }
results() { sed '/^  "run": {/,$d' "$1"; }

echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%F %H:%M UTC')"
"$fa" gen woz --rows 1000000 --seed 1 -o woz.csv
cols=(--assessed valuation --sale-price sale_price --group neighbourhood)
if [ "$skip_merge" = 0 ]; then
# 100 part files of 10,000 sales, each with the header (as Spark writes them).
awk 'NR == 1 { h = $0; next } { p = int((NR - 2) / 10000); f = sprintf("part%03d.csv", p)
  if (!(p in seen)) { seen[p] = 1; print h > f } print > f }' woz.csv
t0=$EPOCHREALTIME
for f in part*.csv; do "$fa" partial ratio "$f" "${cols[@]}" --threads 1 -o "${f%.csv}.state"; done
echo "  (100 partial runs took $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s;" \
  "state files $(du -ch part*.state | tail -1 | cut -f1) for $(du -h woz.csv | cut -f1) of CSV)"
row command "wall s" "CPU s" "RSS MiB"
for b in 0 "$boot"; do
  a=(--bootstrap "$b" --threads 2 --format json)
  measure "$fa" ratio woz.csv "${cols[@]}" "${a[@]}"
  results out.json >whole
  row "ratio whole file --bootstrap $b --threads 2" "$wall" "$cpu" "$rss"
  measure "$fa" merge part*.state "${a[@]}"
  row "merge 100 states --bootstrap $b --threads 2" "$wall" "$cpu" "$rss"
  results out.json >merged
  grep -v '"bytes"' whole >w
  grep -v '"bytes"' merged >m
  cmp -s w m && echo "  results identical (but for results.input.bytes: 100 headers)" ||
    { echo "  RESULTS DIFFER"; diff w m | head; exit 1; }
done

fi

if [ "$skip_mpi" = 0 ] && [ -x "$fm" ]; then
  echo "== mpirun -np 2 fairaudit-mpi ratio against fairaudit ratio, --bootstrap $boot"
  row command "wall s" "CPU s" "RSS MiB"
  a=(--bootstrap "$boot" --format json)
  measure "$fa" ratio woz.csv "${cols[@]}" "${a[@]}" --threads 2
  results out.json >whole
  row "ratio --threads 2" "$wall" "$cpu" "$rss"
  measure "$fa" ratio woz.csv "${cols[@]}" "${a[@]}" --threads 1
  row "ratio --threads 1" "$wall" "$cpu" "$rss"
  measure mpirun --oversubscribe -np 2 "$fm" ratio woz.csv "${cols[@]}" "${a[@]}" --threads 1
  row "mpirun -np 2 fairaudit-mpi ratio --threads 1" "$wall" "$cpu" "$rss"
  results out.json >mpi
  cmp -s whole mpi && echo "  results identical" || { echo "  RESULTS DIFFER"; exit 1; }
fi
