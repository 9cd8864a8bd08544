#!/usr/bin/env bash
# bench_ratio.sh -- times `fairaudit ratio` on a 1M-sale WOZ-like file (`fairaudit gen woz
# --rows 1000000 --seed 1`, 43 MB): every statistic overall, per neighbourhood (8) and per
# decile (10), B = 1000 bootstrap replicates, 2 threads; target: under 10 s wall.
#
# usage: benchmarks/bench_ratio.sh [B] [THREADS]   (defaults 1000 and 2)
# environment: FAIRAUDIT (default build/fairaudit), BENCH_DIR (default /tmp/fairaudit-bench)
# Prints wall and CPU seconds (user + system, all threads; less disturbed by a busy machine)
# and peak RSS, for B = 0 (reading, sorting, point statistics) and for B.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${FAIRAUDIT:-build/fairaudit}
dir=${BENCH_DIR:-/tmp/fairaudit-bench}
B=${1:-1000} T=${2:-2}
mkdir -p "$dir"
f=$dir/woz1m.csv
[ -f "$f" ] || "$bin" gen woz --rows 1000000 --seed 1 -o "$f"
cat "$f" >/dev/null # warm the page cache
for b in 0 "$B"; do
  /usr/bin/time -f "B=$b threads=$T: %e s wall, %U s user, %S s sys, %M KB peak RSS" \
    "$bin" ratio "$f" --assessed valuation --sale-price sale_price --group neighbourhood \
    --quantiles 10 --bootstrap "$b" --threads "$T" -o "$dir/ratio-B$b.json"
done
