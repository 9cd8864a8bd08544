#!/usr/bin/env bash
# instructions.sh -- counts the instructions `fairaudit audit` runs per row, with and without
# --score, on the 1M-row benchmark file (valgrind's callgrind: exact and independent of the
# machine's load, unlike wall time; this VM has no hardware counters for `perf stat`).
#
# usage: benchmarks/instructions.sh [--top N]
#   --top N   also print the N functions with the most instructions (default 0)
# environment: BENCH_DIR, FAIRAUDIT, CC as for bench.sh (the 1M file is generated if missing).
#
# The audit runs with --threads 1 and --bootstrap 0, so the count is the ingest plus the
# statistics, without the bootstrap (whose cost does not depend on the number of rows).
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
bench_dir=${BENCH_DIR:-/tmp/fairaudit-bench}
fa=${FAIRAUDIT:-$root/build/fairaudit}
top=0
rows=1000000

die() { echo "instructions.sh: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
    case $1 in
    --top) [ $# -ge 2 ] || die "--top needs a number"; top=$2; shift ;;
    -h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (try --help)" ;;
    esac
    shift
done
[[ $top =~ ^[0-9]+$ ]] || die "--top must be a whole number"
command -v valgrind >/dev/null || die "needs valgrind (apt-get install valgrind)"
[ -x "$fa" ] || die "no binary '$fa' (build it, or set FAIRAUDIT)"

mkdir -p "$bench_dir"
gen=$bench_dir/gen_bench
if [ ! -x "$gen" ] || [ "$here/gen_bench.c" -nt "$gen" ]; then
    ${CC:-cc} -std=c17 -O2 -Wall -Wextra -o "$gen" "$here/gen_bench.c"
fi
f=$bench_dir/bench_$rows.csv
if [ ! -s "$f" ] || [ "$gen" -nt "$f" ]; then
    "$gen" "$rows" 42 >"$f.tmp"
    mv "$f.tmp" "$f"
fi
bytes=$(stat -c %s "$f")
out=$(mktemp "$bench_dir/callgrind.XXXXXX")
trap 'rm -f "$out" "$out.log"' EXIT

# Runs callgrind on one command; prints the total instruction count.
count() {
    valgrind --tool=callgrind --callgrind-out-file="$out" "$@" >/dev/null 2>"$out.log" ||
        die "failed: $*"
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$out.log"
}

echo "fairaudit: $fa"
echo "file:      $f ($rows rows, $bytes bytes)"
printf '%-34s %15s %10s %10s\n' command instructions "per row" "per byte"
base=(audit "$f" --group group --label label --pred pred --threads 1 --bootstrap 0 --format json)
for k in 0 1 2; do
    case $k in
    0) name="wc -l"; n=$(count wc -l "$f") ;;
    1) name="audit"; n=$(count "$fa" "${base[@]}") ;;
    2) name="audit --score"; n=$(count "$fa" "${base[@]}" --score score) ;;
    esac
    [ "$k" != 1 ] || plain=$n
    [ "$k" != 2 ] || score=$n
    awk -v c="$name" -v n="$n" -v r="$rows" -v b="$bytes" \
        'BEGIN { printf "%-34s %15d %10.0f %10.1f\n", c, n, n / r, n / b }'
    if [ "$top" -gt 0 ] && [ "$k" -gt 0 ]; then
        callgrind_annotate "$out" 2>/dev/null | sed -n '/file:function/,$p' | sed -n "3,$((top + 2))p"
    fi
done
awk -v a="$plain" -v b="$score" 'BEGIN { printf "--score: %+.1f %% instructions\n", (b / a - 1) * 100 }'
