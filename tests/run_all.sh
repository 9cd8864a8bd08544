#!/usr/bin/env bash
# The test command: installs what is missing, then builds and runs every test twice, in a
# normal build and under AddressSanitizer + UndefinedBehaviorSanitizer, plus a build without
# OpenMP whose reports must equal the threaded build's.
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
cmake -S . -B build-noomp -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFAIR_OPENMP=OFF -DFAIR_WERROR=ON -DBUILD_TESTING=OFF >/dev/null
cmake --build build-noomp -j "$jobs"
bash tests/compare_builds.sh build/fairaudit build-noomp/fairaudit
