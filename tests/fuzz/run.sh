#!/usr/bin/env bash
# Builds the libFuzzer targets (once, in build-fuzz/ at the top of the tree, or in $FUZZ_BUILD)
# and runs one of them for a bounded time:
#   bash tests/fuzz/run.sh TARGET SECONDS [extra libFuzzer flags...]
# TARGET is fuzz_ingest, fuzz_parse_double, fuzz_report, fuzz_policy, fuzz_state or fuzz_doc.
# The seeds are tests/fuzz/corpus/TARGET
# and tests/fuzz/regressions/TARGET (inputs that once failed). New inputs go to a scratch corpus
# ($FUZZ_WORK/corpus, default a temporary folder), never into tests/fuzz/; crashes are
# written to $FUZZ_WORK (crash-*, leak-*, timeout-*) and the exit code is libFuzzer's (0: none).
# Needs clang with libFuzzer and libomp (tests/install_deps.sh installs them).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
target=${1:?usage: run.sh TARGET SECONDS [libFuzzer flags]}
seconds=${2:?usage: run.sh TARGET SECONDS [libFuzzer flags]}
shift 2
case $target in
  fuzz_ingest | fuzz_report) dict=$here/csv.dict max_len=8192 ;;
  fuzz_parse_double) dict=$here/number.dict max_len=512 ;;
  fuzz_policy) dict=$here/ini.dict max_len=4096 ;;
  fuzz_state) dict=$here/state.dict max_len=8192 ;;
  fuzz_doc) dict=$here/json.dict max_len=16384 ;;
  *) echo "run.sh: unknown target '$target'" >&2; exit 2 ;;
esac
build=${FUZZ_BUILD:-$src/build-fuzz}
if [ ! -f "$build/CMakeCache.txt" ]; then
  CC=${FUZZ_CC:-clang} cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DFAIR_FUZZ=ON -DBUILD_TESTING=OFF >/dev/null
fi
cmake --build "$build" --target "$target" -j "${FUZZ_JOBS:-2}" >/dev/null
work=${FUZZ_WORK:-$(mktemp -d)}
mkdir -p "$work/corpus"
# Leaks are errors. OpenMP threads sleep between parallel regions instead of spinning for 200 ms
# (libomp's default), which would take the CPU from the fuzzer and anything else on the machine.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export KMP_BLOCKTIME=${KMP_BLOCKTIME:-0}
cd "$work"
exec "$build/tests/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -max_len=$max_len -dict="$dict" -print_final_stats=1 -artifact_prefix="$work/" "$@" \
  "$work/corpus" "$here/corpus/$target" $(ls -d "$here/regressions/$target" 2>/dev/null)
