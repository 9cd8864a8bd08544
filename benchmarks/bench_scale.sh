#!/usr/bin/env bash
# bench_scale.sh -- the scale-out benchmarks (docs/scale-out.md; results in RESULTS.md):
#   1. `fairaudit merge` of 1,000 partial states of 20 groups each (target: under 1 s), without
#      and with the bootstrap, and with a score column; wall-time median of --reps runs and the
#      instruction count of one run (valgrind --tool=callgrind; it does not depend on the load).
#   2. the 10M-row file of bench.sh read by `mpirun -np 2 fairaudit-mpi --threads 1` against
#      `fairaudit audit --threads 2` (target: no slower): wall and CPU medians, with Open MPI's
#      defaults and with the single-node transports only (--mca pml ob1 --mca btl self,vader
#      --mca osc ^ucx: no probing of UCX and OFI network stacks at start-up), and Open MPI's
#      start-up alone (`fairaudit-mpi --help` on 2 ranks) both ways.
# usage: benchmarks/bench_scale.sh [--reps N] [--skip-mpi] [--skip-merge]
# environment: FAIRAUDIT (default build/fairaudit), FAIRAUDIT_MPI (default build-mpi/fairaudit-mpi),
#   BENCH_DIR (default /tmp/fairaudit-bench: bench.sh's cached CSV files; bench_10000000.csv is
#   made by `benchmarks/bench.sh` or gen_bench if missing).
set -euo pipefail
export LC_ALL=C
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
. "$here/lib.sh"
fa=${FAIRAUDIT:-$root/build/fairaudit}
fm=${FAIRAUDIT_MPI:-$root/build-mpi/fairaudit-mpi}
bench_dir=${BENCH_DIR:-/tmp/fairaudit-bench}
reps=5 skip_mpi=0 skip_merge=0
while [ $# -gt 0 ]; do
  case $1 in
    --reps) reps=$2; shift 2 ;;
    --skip-mpi) skip_mpi=1; shift ;;
    --skip-merge) skip_merge=1; shift ;;
    *) echo "usage: bench_scale.sh [--reps N] [--skip-mpi]" >&2; exit 2 ;;
  esac
done
if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
mkdir -p "$bench_dir"
work=$(mktemp -d "$bench_dir/scale.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Sets wall (median s), cpu (median user + system s) and walls (all runs) for a command.
measure() {
  local w=() c=() t0 t1 i
  "$@" >/dev/null
  for ((i = 0; i < reps; i++)); do
    t0=$EPOCHREALTIME
    /usr/bin/time -f '%U %S' -o "$work/t" -- "$@" >/dev/null
    t1=$EPOCHREALTIME
    w+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')")
    c+=("$(awk '{ print $1 + $2 }' "$work/t")")
  done
  wall=$(printf '%s\n' "${w[@]}" | median)
  cpu=$(printf '%s\n' "${c[@]}" | median)
  walls="${w[*]}"
}
instructions() { # the instruction count (callgrind's Ir) of one run of a command
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
    sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
}

echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%F %H:%M UTC')"
if [ "$skip_merge" = 0 ]; then
echo "== 1. merging 1,000 partial states of 20 groups (200 rows each; scores with 3 decimals)"
cd "$work"
awk 'BEGIN {
  for (s = 1; s <= 1000; s++) {
    f = sprintf("shard%04d.csv", s)
    print "group,label,pred,score" > f
    for (i = 0; i < 200; i++) {
      h = (s * 7919 + i * 104729) % 1000003
      printf "g%02d,%d,%d,0.%03d\n", h % 20, (h / 20) % 2, (h / 40) % 2, h % 1000 > f
    }
    close(f)
  }
}'
t0=$EPOCHREALTIME
for f in shard*.csv; do
  "$fa" partial "$f" --group group --label label --pred pred --threads 1 -o "${f%.csv}.state"
  "$fa" partial "$f" --group group --label label --pred pred --score score --threads 1 \
    -o "${f%.csv}.score.state"
done
echo "  (2,000 partial runs took $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s;" \
  "state files $(du -ch shard*[0-9].state | tail -1 | cut -f1) and $(du -ch shard*.score.state | tail -1 | cut -f1) with scores)"
states=(shard*[0-9].state)
sstates=(shard*.score.state)
printf '  %-44s %8s %8s %14s\n' command "wall s" "CPU s" "instructions"
for variant in "--bootstrap 0" "--bootstrap 1000" "--score --bootstrap 0" "--score --bootstrap 1000"; do
  case $variant in
    --score*) set -- "${sstates[@]}"; b=${variant#--score } ;;
    *) set -- "${states[@]}"; b=$variant ;;
  esac
  measure "$fa" merge "$@" $b --threads 1 --format json
  ir=$(instructions "$fa" merge "$@" $b --threads 1 --format json)
  printf '  %-44s %8s %8s %14s   (runs: %s)\n' "merge 1000 states $variant --threads 1" "$wall" "$cpu" "$ir" "$walls"
done

fi
[ "$skip_mpi" = 1 ] && exit 0
echo "== 2. the 10M-row file: 2 MPI ranks of 1 thread against 1 process of 2 threads"
big=$bench_dir/bench_10000000.csv
if [ ! -f "$big" ]; then
  cc -O2 -o "$work/gen_bench" "$here/gen_bench.c"
  "$work/gen_bench" 10000000 42 >"$big"
fi
cat "$big" >/dev/null # warm page cache
opts=(--group group --label label --pred pred --format json)
local_mca=(--mca pml ob1 --mca btl self,vader --mca osc ^ucx)
printf '  %-60s %8s %8s\n' command "wall s" "CPU s"
measure mpirun --oversubscribe -np 2 "$fm" --help
printf '  %-60s %8s %8s   (runs: %s)\n' "mpirun -np 2 fairaudit-mpi --help (start-up)" "$wall" "$cpu" "$walls"
measure mpirun --oversubscribe -np 2 "${local_mca[@]}" "$fm" --help
printf '  %-60s %8s %8s   (runs: %s)\n' "same, single-node transports" "$wall" "$cpu" "$walls"
for extra in "" "--score score"; do
  measure "$fa" audit "$big" "${opts[@]}" $extra --threads 2
  printf '  %-60s %8s %8s   (runs: %s)\n' "audit --threads 2 $extra" "$wall" "$cpu" "$walls"
  measure mpirun --oversubscribe -np 2 "$fm" audit "$big" "${opts[@]}" $extra --threads 1
  printf '  %-60s %8s %8s   (runs: %s)\n' "mpirun -np 2 fairaudit-mpi --threads 1 $extra" "$wall" "$cpu" "$walls"
  measure mpirun --oversubscribe -np 2 "${local_mca[@]}" "$fm" audit "$big" "${opts[@]}" $extra --threads 1
  printf '  %-60s %8s %8s   (runs: %s)\n' "same, single-node transports $extra" "$wall" "$cpu" "$walls"
  measure "$fa" audit "$big" "${opts[@]}" $extra --threads 1
  printf '  %-60s %8s %8s   (runs: %s)\n' "audit --threads 1 $extra" "$wall" "$cpu" "$walls"
done
