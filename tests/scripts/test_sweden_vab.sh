#!/usr/bin/env bash
# Validation against published results: precision (PPV) per group of the Swedish VAB fraud
# model, as bootstrapped by Lighthouse Reports (repository Lighthouse-Reports/suspicion_machines_sweden,
# commit 9471272b). Provenance of every number below, the recipe and the tolerance derivation:
# tests/validation/sweden_vab.md.
#
# Usage (ctest): bash test_sweden_vab.sh <fairaudit binary> <source dir> <build dir>
# Exit 0 = agrees, 1 = disagrees, 77 = skipped (the shared data are absent).
#
# Their recipe (util/bootstrap.py, util/ConfusionMatrix.py, sweden_algo_fairness.ipynb):
#   - rows: all 6,129 rows of a sheet; "model-selected" = selection_method != Random
#     (High Risk, High High Risk, Follow-up Control; selected_by_model = 1 here), label =
#     any result other than "No Errors Found" (errors_found = 1 here);
#   - statistic: per group, TP / (TP + FP) among model-selected rows (PPV);
#   - resampling: 10,000 draws of all 6,129 rows with replacement, NOT within group
#     (fairaudit --bootstrap-scheme simple, fed the whole file: random-sample rows have
#     pred = 0 and cannot enter a PPV, but they take part in the draw exactly as in theirs);
#   - interval: pandas quantile(0.05) and quantile(0.95) (linear, type 7) = a 90 % percentile
#     interval (fairaudit --ci 0.90 --ci-method percentile);
#   - their printed "mean" is the mean of the 10,000 replicates, rounded to 4 decimals; the
#     exact point estimate is printed elsewhere (checkpoint notebook), to 16 digits.
#
# Tolerance for a bound (q = 0.05 or 0.95) published to 4 decimals:
#   tol = 4 * sqrt(2) * sqrt(q (1 - q) / B) / phi(z_q) * sigma + 0.00005
# sqrt(q(1-q)/B)/f(x_q) is the Monte Carlo standard error of a quantile of B replicates, with
# the replicate density f taken normal with sd sigma, so f(x_q) = phi(z_q) / sigma; sqrt(2)
# because both their run and ours carry that error (independent streams); 4 standard errors;
# 0.00005 = half a unit of their 4-decimal rounding. sigma = sqrt(p (1 - p) / n) from the
# counts fairaudit reports (n = TP + FP of the group); for a difference of two groups,
# sigma = sqrt(sigma0^2 + sigma1^2). With B = 10000: tol = 0.11954 sigma + 0.00005.
# Their bootstrap mean against our exact point estimate: 4 * sigma / sqrt(B) + 0.00005 (the
# bootstrap mean of k*/n* is unbiased for k/n given n* > 0, so only Monte Carlo error remains).
# The exact point estimate must agree to 1e-12 (their 16-digit prints differ from one another
# in the last digit, by floating-point order of operations).
set -uo pipefail

if [ $# -lt 2 ]; then
    echo "usage: $0 <fairaudit binary> <source dir> [build dir]" >&2
    exit 2
fi
bin=$1 src=$2
data="$src/../shared/datasets/sweden_vab"

for f in gender income education foreign_background; do
    if [ ! -r "$data/sweden_$f.csv" ]; then
        echo "SKIPPED: ../shared/datasets/sweden_vab is absent (no readable $data/sweden_$f.csv)"
        exit 77
    fi
done
if [ ! -x "$bin" ]; then
    echo "FAIL: fairaudit binary '$bin' is not executable"
    exit 1
fi

B=10000
SEED=42
LEVEL=0.90
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Published numbers, per group (see tests/validation/sweden_vab.md for the cell of each):
#   attr file csv_group their_name exact_point boot_mean lo(5%) hi(95%) algo_share
# exact_point: .ipynb_checkpoints/sweden_algo_bootstrapping-checkpoint.ipynb, cell 12 output;
# boot_mean, lo, hi: sweden_algo_fairness.ipynb, cell 15 (In [22]) output, "Predictive Parity";
# algo_share: sweden_algo_fairness.ipynb, cell 11 (In [20]) output, "Statistical Parity".
cat >"$tmp/published_groups" <<'EOF'
gender    gender             M        M               0.5202907328891581  0.5202 0.4997 0.5403 0.325
gender    gender             F        K               0.4794520547945205  0.4795 0.4655 0.4933 0.675
income    income             <median  <Median_Income  0.5133565621370499  0.5133 0.4972 0.5293 0.508
income    income             >=median >Median_Income  0.47138855542216884 0.4715 0.4551 0.4882 0.492
education education          low      Low_Education   0.5093914350112697  0.5094 0.4963 0.5227 0.786
education education          high     High_Education  0.4315886134067952  0.4318 0.4073 0.4564 0.214
foreign   foreign_background 0        0               0.4543252595155709  0.4542 0.4393 0.4690 0.569
foreign   foreign_background 1        1               0.5433394160583941  0.5433 0.5254 0.5610 0.431
EOF
# Published differences group0 - group1 (same cell 15): attr group0 group1 mean lo hi sd
cat >"$tmp/published_diffs" <<'EOF'
gender    M        F        0.0407  0.0161  0.0652  0.0149
income    <median  >=median 0.0417  0.0189  0.0647  0.0139
education low      high     0.0777  0.0499  0.1052  0.0168
foreign   0        1       -0.0891 -0.1124 -0.0657  0.0143
EOF

# Flattens fairaudit's pretty-printed JSON (one member per line) into "path<TAB>value" lines,
# array elements numbered: results.attributes.0.groups.1.metrics.ppv.ci_low<TAB>0.50...
flatten() {
    awk '{
        line = $0; sub(/^[ \t]+/, "", line); sub(/,$/, "", line)
        key = ""; rest = line
        if (match(line, /^"[^"]*": /)) { key = substr(line, 2, RLENGTH - 4); rest = substr(line, RLENGTH + 1) }
        else if (d > 0 && isarr[d]) key = idx[d]++
        if (rest == "{" || rest == "[") { d++; stk[d] = key; isarr[d] = (rest == "["); idx[d] = 0; next }
        if (rest == "}" || rest == "]") { d--; next }
        path = ""; for (i = 2; i <= d; i++) path = path stk[i] "."
        print path key "\t" rest
    }'
}
# jget FLAT PATH: the value at PATH (strings keep their quotes), empty if absent.
jget() { awk -F'\t' -v k="$2" '$1 == k { print $2; exit }' "$1"; }
# gpath FLAT GROUP: "results.attributes.0.groups.N" of the group named GROUP.
gpath() {
    awk -F'\t' -v g="\"$2\"" '$1 ~ /^results\.attributes\.0\.groups\.[0-9]+\.group$/ && $2 == g {
        sub(/\.group$/, "", $1); print $1; exit }' "$1"
}

fail=0
note_fail() { echo "FAIL: $*"; fail=1; }

# Run fairaudit once per attribute, the reference being their group1 so that
# vs_reference.ppv.difference = group0 - group1 as they printed it.
for spec in gender:gender:F income:income:'>=median' education:education:high foreign:foreign_background:1; do
    attr=${spec%%:*}; rest=${spec#*:}; file=${rest%%:*}; ref=${rest#*:}
    if ! "$bin" audit "$data/sweden_$file.csv" --group group --label errors_found \
        --pred selected_by_model --bootstrap "$B" --seed "$SEED" --ci "$LEVEL" \
        --bootstrap-scheme simple --ci-method percentile --min-group-size 30 \
        --reference "group=$ref" --format json >"$tmp/$attr.json" 2>"$tmp/$attr.err"; then
        note_fail "fairaudit failed on sweden_$file.csv: $(cat "$tmp/$attr.err")"
        continue
    fi
    flatten <"$tmp/$attr.json" >"$tmp/$attr.flat"
    used=$(jget "$tmp/$attr.flat" results.rows.used)
    scheme=$(jget "$tmp/$attr.flat" results.options.bootstrap.scheme)
    reps=$(jget "$tmp/$attr.flat" results.options.bootstrap.replicates)
    [ "$used" = 6129 ] || note_fail "$attr: rows used $used, expected all 6129"
    [ "$scheme" = '"simple"' ] || note_fail "$attr: bootstrap scheme $scheme, expected \"simple\""
    [ "$reps" = "$B" ] || note_fail "$attr: $reps replicates, expected $B"
done

# sigma of a group's PPV from fairaudit's counts: sqrt(p(1-p)/n), n = tp + fp.
sigma_of() {
    awk -v tp="$1" -v fp="$2" 'BEGIN { n = tp + fp; p = tp / n; printf "%.10f", sqrt(p * (1 - p) / n) }'
}

# One row of the table; exit status 1 when a bound is out of tolerance.
# row LABEL PUB_LO PUB_HI FA_LO FA_HI SIGMA
row() {
    awk -v lab="$1" -v plo="$2" -v phi="$3" -v flo="$4" -v fhi="$5" -v s="$6" -v B="$B" 'BEGIN {
        z = 1.6448536269514722; q = 0.05                  # z_{0.95}; the 5 % and 95 % quantiles
        pdf = exp(-z * z / 2) / sqrt(2 * 3.141592653589793)
        tol = 4 * sqrt(2) * sqrt(q * (1 - q) / B) / pdf * s + 0.00005
        dlo = flo - plo; if (dlo < 0) dlo = -dlo
        dhi = fhi - phi; if (dhi < 0) dhi = -dhi
        ok = (dlo <= tol && dhi <= tol)
        printf "%-34s [%7.4f, %7.4f]  [%7.4f, %7.4f]  %.5f/%.5f  %.5f  %s\n", lab, plo, phi, flo, fhi, dlo, dhi, tol, ok ? "ok" : "OUT"
        exit ok ? 0 : 1
    }'
}

echo "fairaudit vs Lighthouse Reports (Sweden VAB model), PPV among model-selected rows,"
echo "90 % percentile bootstrap, B = $B, scheme simple (all rows resampled together)"
echo
printf "%-34s %-18s  %-18s  %-15s  %-7s\n" "group" "published [lo, hi]" "fairaudit [lo, hi]" "|diff| lo/hi" "tol"

while read -r attr file grp name exact mean plo phi share; do
    flat="$tmp/$attr.flat"
    [ -s "$flat" ] || continue
    gp=$(gpath "$flat" "$grp")
    if [ -z "$gp" ]; then note_fail "$attr: group '$grp' not in fairaudit's report"; continue; fi
    tp=$(jget "$flat" "$gp.counts.tp"); fp=$(jget "$flat" "$gp.counts.fp")
    val=$(jget "$flat" "$gp.metrics.ppv.value")
    lo=$(jget "$flat" "$gp.metrics.ppv.ci_low"); hi=$(jget "$flat" "$gp.metrics.ppv.ci_high")
    method=$(jget "$flat" "$gp.metrics.ppv.ci_method")
    undef=$(jget "$flat" "$gp.metrics.ppv.bootstrap.undefined_replicates")
    if [ -z "$tp" ] || [ -z "$fp" ] || [ -z "$val" ] || [ -z "$lo" ] || [ -z "$hi" ]; then
        note_fail "$attr $grp: counts.tp/fp or metrics.ppv value/ci_low/ci_high missing from the JSON"
        continue
    fi
    [ "$method" = '"percentile"' ] || note_fail "$attr $grp: ci_method $method, expected \"percentile\""
    [ "$undef" = 0 ] || note_fail "$attr $grp: $undef undefined replicates"
    s=$(sigma_of "$tp" "$fp")
    row "$attr $grp ($name)" "$plo" "$phi" "$lo" "$hi" "$s" || note_fail "$attr $grp: bound out of tolerance"
    # Point estimate: exact, and their bootstrap mean within Monte Carlo error.
    awk -v lab="$attr $grp" -v v="$val" -v e="$exact" -v m="$mean" -v s="$s" -v B="$B" 'BEGIN {
        d = v - e; if (d < 0) d = -d
        tm = 4 * s / sqrt(B) + 0.00005; dm = v - m; if (dm < 0) dm = -dm
        ok = (d <= 1e-12 && dm <= tm)
        printf "%-20s %-20s %.17f  %.1e  %s  %.5f  %.5f  %s\n", lab, e, v, d, m, dm, tm, ok ? "ok" : "OUT"
        exit ok ? 0 : 1 }' >>"$tmp/points" || note_fail "$attr $grp: point estimate disagrees (see the point table)"
    # Rows: the group's share of the 5,082 model-selected rows, as they printed it (3 decimals).
    echo "$attr $grp $tp $fp $share" >>"$tmp/shares"
done <"$tmp/published_groups"

# Shares of the model-selected sample (checks that we kept the rows they called "Algorithm").
if [ -s "$tmp/shares" ]; then
    msg=$(awk '{ n[$1] += $3 + $4; r[NR] = $0 } END {
        for (i = 1; i <= NR; i++) { split(r[i], f, " ")
            if (n[f[1]] != 5082) { printf "%s: %d model-selected rows, published 5082; ", f[1], n[f[1]]; continue }
            sh = sprintf("%.3f", (f[3] + f[4]) / n[f[1]])
            if (sh + 0 != f[5] + 0) printf "%s %s: share of selected rows %s, published %s; ", f[1], f[2], sh, f[5] } }' "$tmp/shares")
    [ -z "$msg" ] || note_fail "$msg"
fi

echo
echo "point PPV: published exact (tolerance 1e-12) and published bootstrap mean (tolerance 4 sigma/sqrt(B) + 0.00005)"
printf "%-20s %-20s %-20s %-7s  %-6s  %-7s  %-7s\n" "group" "published exact" "fairaudit value" "|diff|" "mean" "|diff|" "tol"
cat "$tmp/points" 2>/dev/null

echo
printf "%-34s %-18s  %-18s  %-15s  %-7s\n" "difference (g0 - g1)" "published [lo, hi]" "fairaudit [lo, hi]" "|diff| lo/hi" "tol"
while read -r attr g0 g1 mean plo phi sd; do
    flat="$tmp/$attr.flat"
    [ -s "$flat" ] || continue
    p0=$(gpath "$flat" "$g0"); p1=$(gpath "$flat" "$g1")
    if [ -z "$p0" ] || [ -z "$p1" ]; then note_fail "$attr: groups '$g0'/'$g1' not in the report"; continue; fi
    s0=$(sigma_of "$(jget "$flat" "$p0.counts.tp")" "$(jget "$flat" "$p0.counts.fp")")
    s1=$(sigma_of "$(jget "$flat" "$p1.counts.tp")" "$(jget "$flat" "$p1.counts.fp")")
    s=$(awk -v a="$s0" -v b="$s1" 'BEGIN { printf "%.10f", sqrt(a * a + b * b) }')
    val=$(jget "$flat" "$p0.vs_reference.ppv.difference.value")
    lo=$(jget "$flat" "$p0.vs_reference.ppv.difference.ci_low")
    hi=$(jget "$flat" "$p0.vs_reference.ppv.difference.ci_high")
    if [ -z "$val" ] || [ -z "$lo" ] || [ -z "$hi" ]; then
        note_fail "$attr: no vs_reference.ppv.difference for '$g0' against '$g1'"; continue
    fi
    row "$attr $g0 - $g1" "$plo" "$phi" "$lo" "$hi" "$s" || note_fail "$attr $g0 - $g1: bound out of tolerance"
    # The sigma behind the tolerances against their sd of the replicates (5 %, plus rounding).
    msg=$(awk -v s="$s" -v sd="$sd" 'BEGIN { d = s - sd; if (d < 0) d = -d
        if (d > 0.05 * s + 0.00005) printf "normal-approximation sigma %.5f vs published sd_difference %s", s, sd }')
    [ -z "$msg" ] || note_fail "$attr $g0 - $g1: $msg"
    msg=$(awk -v v="$val" -v m="$mean" -v s="$s" -v B="$B" 'BEGIN {
        tm = 4 * s / sqrt(B) + 0.00005; dm = v - m; if (dm < 0) dm = -dm
        if (dm > tm) printf "point difference %.6f vs published bootstrap mean %s: |diff| %.6f > %.6f", v, m, dm, tm }')
    [ -z "$msg" ] || note_fail "$attr $g0 - $g1: $msg"
done <"$tmp/published_diffs"

echo
if [ "$fail" -ne 0 ]; then
    echo "FAILED: fairaudit disagrees with the published Lighthouse Reports figures (see above)"
    exit 1
fi
echo "PASSED: 8 group PPVs and 4 differences agree with Lighthouse Reports within Monte Carlo tolerance"
exit 0
