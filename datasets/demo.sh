#!/usr/bin/env bash
# The demo: installs what is missing, builds fairaudit, and audits the bundled synthetic
# benefits-fraud dataset by nationality, age band and sex (and their intersection), writing
# the report to standard output and to demo-report.json.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/install_deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc 2>/dev/null || echo 2)" --target fair_cli
./build/fairaudit audit datasets/benefits_demo.csv \
  --group nationality --group age_band --group sex --intersect \
  --label label --pred pred --reference best --favourable 0 --format text -o demo-report.json
echo
echo "JSON report written to demo-report.json"
