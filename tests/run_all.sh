#!/usr/bin/env bash
# The test command: installs what is missing, then builds and runs every test twice, in a
# normal build and under AddressSanitizer + UndefinedBehaviorSanitizer, plus a build without
# OpenMP whose reports must equal the threaded build's, and the MPI driver run with 1, 2 and 3
# ranks against the single-process audit.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/install_deps.sh
jobs=$(nproc 2>/dev/null || echo 2)

echo "== release build (OpenMP, -Werror)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFAIR_WERROR=ON >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

echo "== sanitizer build (ASan + UBSan)"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DFAIR_SANITIZE=ON -DFAIR_WERROR=ON >/dev/null
cmake --build build-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs"

echo "== build without OpenMP: same results"
# It also takes the ingest's portable 64-bit-word line scan instead of SSE2 (FAIR_SCALAR_SCAN).
cmake -S . -B build-noomp -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFAIR_OPENMP=OFF -DFAIR_WERROR=ON -DBUILD_TESTING=OFF \
  -DCMAKE_C_FLAGS=-DFAIR_SCALAR_SCAN >/dev/null
cmake --build build-noomp -j "$jobs"
bash tests/compare_builds.sh build/fairaudit build-noomp/fairaudit

echo "== MPI driver (fairaudit-mpi, Open MPI): 1, 2 and 3 ranks against audit"
cmake -S . -B build-mpi -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFAIRAUDIT_MPI=ON -DFAIR_WERROR=ON -DBUILD_TESTING=OFF >/dev/null
cmake --build build-mpi -j "$jobs"
bash tests/scripts/test_mpi.sh build-mpi/fairaudit . build-mpi

# Optional (FAIR_TSAN=1; nightly in STYLE T7): ThreadSanitizer on the threaded paths, built with
# clang and its OpenMP runtime, whose synchronisation TSan understands (with GCC's libgomp it
# reports races inside the runtime's barriers that are not there; docs/security.md).
if [ "${FAIR_TSAN:-0}" = 1 ]; then
  echo "== ThreadSanitizer build (clang, libomp): the threaded tests"
  CC=clang cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_FLAGS="-fsanitize=thread -fno-omit-frame-pointer" \
    -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread >/dev/null
  cmake --build build-tsan -j "$jobs"
  tsan_env=(TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ignore_noninstrumented_modules=1")
  # Archer, LLVM's OpenMP tool for TSan, where installed (libomp alone was clean too).
  archer=$(ls /usr/lib/llvm-*/lib/libarcher.so 2>/dev/null | tail -1 || true)
  if [ -n "$archer" ]; then tsan_env+=(OMP_TOOL_LIBRARIES="$archer"); fi
  env "${tsan_env[@]}" ctest --test-dir build-tsan --output-on-failure -j "$jobs" \
    -R '^(unit_test_bootstrap|unit_test_csv_ingest|unit_test_audit|unit_test_oom|unit_test_ratio|unit_test_state|cli_verify|cli_input_sha256|script_test_threads)$'
fi
