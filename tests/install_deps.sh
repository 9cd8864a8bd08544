#!/usr/bin/env bash
# Installs what fairaudit needs to build and test, from Debian's packages (bookworm or later).
# Run as root, or as a user who may use sudo. Safe to run again.
set -euo pipefail
packages=(
  build-essential cmake pkg-config ca-certificates
  libgsl-dev libcsv-dev libcmocka-dev libjansson-dev zlib1g-dev libsqlite3-dev
  gzip
  # SHA-256 of inputs (OpenSSL libcrypto) and policy files (libinih)
  libssl-dev libinih-dev
  # Report tests: the JSON Schema validator, and a browser that renders the HTML report
  python3 python3-jsonschema chromium jq
  # Fuzzing (tests/fuzz, tests/scripts/test_fuzz_smoke.sh): clang with libFuzzer and the
  # sanitizer runtimes (clang only recommends libclang-rt, and recommends are not installed
  # here), and clang's OpenMP runtime for the threaded parse. Unversioned names, so that later
  # Debian releases get their own default clang.
  clang libclang-rt-dev libomp-dev
  # The MPI driver fairaudit-mpi (-DFAIRAUDIT_MPI=ON; tests/scripts/test_mpi.sh).
  libopenmpi-dev openmpi-bin
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends "${missing[@]}"
