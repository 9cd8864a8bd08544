#!/usr/bin/env bash
# Fuzz smoke test (docs/security.md, tests/fuzz/): builds the libFuzzer targets with clang,
# AddressSanitizer and UndefinedBehaviorSanitizer in BUILD_DIR/fuzz-smoke, replays every input
# in tests/fuzz/regressions/ (inputs that once failed), then fuzzes each target for
# $FAIR_FUZZ_SECONDS seconds (20) from its seed corpus. Any crash, leak, undefined behaviour or
# broken invariant fails the test, and libFuzzer prints the input (also in base64).
#
# The regressions run twice: with OMP_THREAD_LIMIT=1, where the fuzz build's reversed job order
# (FAIR_JOBS_REVERSED) makes one thread take every parallel job against file order, a schedule
# OpenMP allows and the one those bugs needed, so they replay every time; and with real threads.
#
# Skipped (exit 77) when clang or libFuzzer is missing (tests/install_deps.sh installs them),
# and in the sanitizer build: it runs once, in the release tier, and brings its own sanitizers.
# Usage (ctest): bash test_fuzz_smoke.sh FAIRAUDIT SRC_DIR BUILD_DIR.
set -euo pipefail
src=$(realpath "$2")
build=$(realpath "$3")
seconds=${FAIR_FUZZ_SECONDS:-20}
targets=(fuzz_ingest fuzz_report fuzz_parse_double fuzz_policy fuzz_state fuzz_doc)

if grep -q '^FAIR_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
  echo "SKIPPED: the fuzz smoke test runs in the release build's ctest (its targets bring their" \
    "own ASan and UBSan)"
  exit 77
fi
cc=${FUZZ_CC:-clang}
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf '%s\n' '#include <stdint.h>' '#include <stddef.h>' \
  'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
  'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
  >"$probe/p.c"
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "SKIPPED: no $cc; the fuzz targets need clang with libFuzzer (Debian: clang libclang-rt-dev)"
  exit 77
fi
if ! "$cc" -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" >"$probe/log" 2>&1; then
  echo "SKIPPED: $cc cannot link libFuzzer (Debian: libclang-rt-dev):"
  head -5 "$probe/log"
  exit 77
fi
cmake_args=()
if ! echo 'int main(void) { return 0; }' >"$probe/o.c" ||
  ! "$cc" -fopenmp "$probe/o.c" -o "$probe/o" >/dev/null 2>&1; then
  echo "test_fuzz_smoke: $cc has no OpenMP runtime (Debian: libomp-dev): fuzzing one thread only"
  cmake_args+=(-DFAIR_OPENMP=OFF)
fi

fbuild=$build/fuzz-smoke
started=$SECONDS
if [ ! -f "$fbuild/CMakeCache.txt" ]; then
  CC=$cc cmake -S "$src" -B "$fbuild" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFAIR_FUZZ=ON \
    -DBUILD_TESTING=OFF "${cmake_args[@]}" >"$probe/cmake.log" 2>&1 ||
    { cat "$probe/cmake.log"; exit 1; }
fi
cmake --build "$fbuild" -j "$(nproc 2>/dev/null || echo 2)" --target "${targets[@]}" >"$probe/build.log" 2>&1 ||
  { tail -40 "$probe/build.log"; exit 1; }
echo "test_fuzz_smoke: built ${targets[*]} in $((SECONDS - started)) s"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export KMP_BLOCKTIME=0 # OpenMP threads sleep between regions rather than spin
for t in "${targets[@]}"; do
  reg=$src/tests/fuzz/regressions/$t
  [ -d "$reg" ] || continue
  n=$(find "$reg" -type f | wc -l)
  # A file argument runs that input -runs times.
  OMP_THREAD_LIMIT=1 "$fbuild/tests/fuzz/$t" -runs=1 "$reg"/* >"$probe/replay.log" 2>&1 ||
    { cat "$probe/replay.log"; echo "test_fuzz_smoke: $t: a regression input fails again"; exit 1; }
  "$fbuild/tests/fuzz/$t" -runs=20 "$reg"/* >"$probe/replay.log" 2>&1 ||
    { cat "$probe/replay.log"; echo "test_fuzz_smoke: $t: a regression input fails again"; exit 1; }
  echo "test_fuzz_smoke: $t: $n regression inputs pass (one thread against file order, and threads)"
done

for t in "${targets[@]}"; do
  case $t in
    fuzz_parse_double) dict=number.dict max_len=512 ;;
    fuzz_policy) dict=ini.dict max_len=4096 ;;
    fuzz_state) dict=state.dict max_len=8192 ;;
    fuzz_doc) dict=json.dict max_len=32768 ;;
    *) dict=csv.dict max_len=4096 ;;
  esac
  mkdir -p "$probe/$t" "$fbuild/artifacts"
  if ! (cd "$probe/$t" && "$fbuild/tests/fuzz/$t" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -max_len=$max_len -dict="$src/tests/fuzz/$dict" -print_final_stats=1 \
    -artifact_prefix="$fbuild/artifacts/$t-" "$probe/$t" "$src/tests/fuzz/corpus/$t" \
    >"$probe/$t.log" 2>&1); then
    tail -60 "$probe/$t.log"
    echo "test_fuzz_smoke: $t failed; the input is above (base64) and in $fbuild/artifacts/." \
      "Fix the bug, then add the input to tests/fuzz/regressions/$t/."
    exit 1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$probe/$t.log")
  echo "test_fuzz_smoke: $t: $runs inputs in ${seconds} s, no failure"
done
echo "test_fuzz_smoke: passed in $((SECONDS - started)) s"
