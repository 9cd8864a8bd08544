#!/usr/bin/env bash
# ratio_assessr.sh -- cross-check of fairaudit's ratio statistics against the Cook County
# Assessor's R package assessr (github.com/ccao-data/assessr, 0.6.0), on the sample files of
# ../shared/datasets/ratio_study. Each point statistic must agree to 1e-9 (relative, or
# absolute for values below 1 in size).
#
#   bash tests/reference/ratio_assessr.sh BUILD/fairaudit [ASSESSR_SOURCE_DIR]
#
# assessr is used from R's library, or installed into a scratch library from
# ASSESSR_SOURCE_DIR (a checkout; it needs only base R: apt-get install r-base-core).
# Needs python3 to read fairaudit's JSON. Exit 0 = all agree, 1 = a difference, 77 = skipped.
set -u
bin=$(realpath "$1")
src=$(cd "$(dirname "$0")/../.." && pwd)
data=$src/../shared/datasets/ratio_study
here=$(cd "$(dirname "$0")" && pwd)
command -v Rscript >/dev/null || { echo "skipped: no Rscript"; exit 77; }
command -v python3 >/dev/null || { echo "skipped: no python3"; exit 77; }
[ -d "$data" ] || { echo "skipped: no $data"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
lib=$work/lib
mkdir -p "$lib"
if [ $# -ge 2 ]; then
  R CMD INSTALL --no-docs -l "$lib" "$2" >"$work/install.log" 2>&1 ||
    { cat "$work/install.log"; exit 1; }
elif ! Rscript -e 'library(assessr)' >/dev/null 2>&1; then
  echo "skipped: assessr is not installed; give its source folder"; exit 77
fi
status=0
for spec in ratios_sample:assessed iaao_table_1_1:estimate iaao_table_1_4:estimate \
            iaao_table_d_1:estimate iaao_table_d_2:estimate quintos_sample:estimate; do
  name=${spec%%:*} col=${spec##*:}
  Rscript "$here/ratio_assessr.R" "$data/$name.csv" "$col" sale_price "$lib" >"$work/r.txt" || exit 1
  "$bin" ratio "$data/$name.csv" --assessed "$col" --sale-price sale_price --bootstrap 0 \
    --quantiles 0 --format json >"$work/f.json" || exit 1
  python3 - "$work/r.txt" "$work/f.json" "$name" <<'PY' || status=1
import json, sys
ref = dict((l.split()[0], float(l.split()[1])) for l in open(sys.argv[1]))
m = json.load(open(sys.argv[2]))["results"]["overall"]["metrics"]
ours = {k: m[k]["value"] for k in ("median_ratio", "mean_ratio", "weighted_mean_ratio", "cod",
                                   "prd", "prb", "ki", "mki")}
ours["prb_ci_low"], ours["prb_ci_high"] = m["prb"]["intervals"]["ols_t"]
bad = 0
for k, v in ref.items():
    d = abs(ours[k] - v) / max(1.0, abs(v))
    ok = d <= 1e-9
    bad += not ok
    print(f"{sys.argv[3]:16s} {k:20s} assessr {v:.15g}  fairaudit {ours[k]:.15g}  diff {d:.1e}"
          f"{'' if ok else '  MISMATCH'}")
sys.exit(1 if bad else 0)
PY
done
exit $status
