#!/usr/bin/env python3
"""Differential check of fairaudit against Fairlearn (reference implementation).

Usage:
    PYTHONPATH=/path/to/fairlearn[:/path/to/narwhals/src] \
        python3 tests/reference/fairlearn_diff.py BUILD/fairaudit [--keep DIR] [--verbose]

This is a manual, documented reference check, not part of the project's test suite
(ctest does not run it and the project's own tests need no Python). See README.md beside
this file for the exact environment it was run in and the results obtained.

What it does
  * Generates datasets from fixed seeds: several group columns of 2-8 groups of unequal
    sizes, with groups planted to have no actual positives, no actual negatives, no one
    selected, everyone selected, only true negatives, or a single row; plus whole-dataset
    edge cases (no one selected, everyone selected, a perfect classifier, rare outcomes)
    and a set of randomly parameterised datasets.
  * Writes each as CSV and runs `fairaudit audit FILE --group ... --label y --pred pred
    --format json --min-group-size 0` (and `--intersect` for some cases).
  * Per group, compares fairaudit's metrics with fairlearn.metrics.MetricFrame over:
        selection_rate  fairlearn.metrics.selection_rate
        tpr             fairlearn.metrics.true_positive_rate
        fpr             fairlearn.metrics.false_positive_rate
        fnr             fairlearn.metrics.false_negative_rate
        tnr             fairlearn.metrics.true_negative_rate
        ppv             sklearn.metrics.precision_score
        accuracy        sklearn.metrics.accuracy_score
        balanced_accuracy sklearn.metrics.balanced_accuracy_score
        f1              sklearn.metrics.f1_score
        base_rate       mean of y_true
        n               fairlearn.metrics.count
    For the intersection (--intersect), MetricFrame gets all the group columns as
    sensitive features; its rows for combinations that do not occur (all NaN) must be
    exactly the combinations fairaudit does not list.
  * Per attribute, compares fairaudit's summary with Fairlearn's functions
    demographic_parity_difference/ratio, equalized_odds_difference/ratio (method=
    "between_groups", agg="worst_case", the defaults) and equal_opportunity_difference.
    Fairlearn's rates are 0 (not NaN) for a group whose denominator is zero, and such
    groups take part in its max/min; fairaudit leaves undefined rates out of its
    summaries. So the official functions are compared ("fairlearn" rows of the table)
    only for attributes where every group has every rate that the summary uses defined.
    Every attribute is also compared ("fairlearn-nan" rows) with the same Fairlearn
    aggregation (MetricFrame.difference()/ratio() and the worst-case max()/min() of
    equalized_odds_*) applied to the Fairlearn rates with zero-denominator groups set to
    NaN, which is fairaudit's documented convention.

Outcome classes for each compared value
  numeric    both give a number; |difference| must be <= 1e-12.
  nan=null   Fairlearn gives NaN, fairaudit null with a reason: counted as agreement.
  zero-div   Fairlearn/sklearn give a number for a rate whose denominator is zero
             (0.0, or for balanced accuracy the recall of the one class present), and
             fairaudit gives null with a reason: a definitional difference, reported.
  1-group    fewer than two groups have the rate defined: pandas' max-min over one value
             is 0 (ratio 1 or NaN); fairaudit gives null with a reason: reported.
  nan-min    equalized odds ratio where one of the TPR/FPR ratios is NaN (0/0: the rate is
             0 in every group): Fairlearn's builtin min() over [tpr_ratio, fpr_ratio]
             returns the other ratio; fairaudit gives null: reported.
  FAIL       anything else (a number against null/NaN without one of the reasons above,
             a missing or extra group, a count mismatch, a difference > 1e-12).

Exit status: 0 PASS, 1 FAIL, 2 setup error (missing modules or binary).
"""

import argparse
import collections
import json
import math
import os
import subprocess
import sys
import tempfile
import warnings

TOL = 1e-12

try:
    import numpy as np
    import pandas as pd
    import sklearn
    import sklearn.metrics as skm
    import fairlearn
    from fairlearn.metrics import (
        MetricFrame,
        count,
        demographic_parity_difference,
        demographic_parity_ratio,
        equal_opportunity_difference,
        equalized_odds_difference,
        equalized_odds_ratio,
        false_negative_rate,
        false_positive_rate,
        selection_rate,
        true_negative_rate,
        true_positive_rate,
    )
except ImportError as e:  # pragma: no cover - environment problem
    sys.stderr.write(
        "fairlearn_diff.py: cannot import %s.\n"
        "Needs numpy, pandas, scikit-learn, scipy and Fairlearn (with narwhals) on\n"
        "PYTHONPATH; see tests/reference/README.md.\n" % e
    )
    sys.exit(2)


# ----------------------------------------------------------------------------------------
# Datasets

SPECIALS = ("no_pos", "no_neg", "no_sel", "all_sel", "all_tn", "single", "pair")


def _assign_column(rng, y, p, k, specials, max_special):
    """Group labels for one column: `specials` groups drawn from rows meeting their
    condition, the remaining k - len(specials) groups over the other rows with unequal
    (Dirichlet) shares."""
    n = len(y)
    col = np.full(n, -1, dtype=np.int64)
    free = np.ones(n, dtype=bool)
    for gi, kind in enumerate(specials):
        cond = {
            "no_pos": y == 0,
            "no_neg": y == 1,
            "no_sel": p == 0,
            "all_sel": p == 1,
            "all_tn": (y == 0) & (p == 0),
            "single": np.ones(n, dtype=bool),
            "pair": np.ones(n, dtype=bool),
        }[kind]
        idx = np.flatnonzero(cond & free)
        if kind == "single":
            size = 1
        elif kind == "pair":
            size = 2
        else:
            size = int(rng.integers(1, max(2, max_special) + 1))
        size = min(size, len(idx))
        if size == 0:
            continue
        chosen = rng.choice(idx, size=size, replace=False)
        col[chosen] = gi
        free[chosen] = False
    n_reg = k - len(specials)
    rest = np.flatnonzero(free)
    if n_reg > 0:
        shares = rng.dirichlet(np.full(n_reg, 0.8))
        col[rest] = len(specials) + rng.choice(n_reg, size=len(rest), p=shares)
    elif len(rest):
        # every group is special: the leftover rows join the last special group
        col[rest] = len(specials) - 1
    return col


def make_dataset(spec):
    """A DataFrame with the group columns of `spec`, `y` (label) and `pred`."""
    rng = np.random.default_rng(spec["seed"])
    n = spec["n"]
    drv = spec["driver"]
    k0 = drv["k"]
    # unequal shares, none below 0.1/k0, so that every driver group occurs
    shares = 0.9 * rng.dirichlet(np.full(k0, 0.7)) + 0.1 / k0
    g0 = rng.choice(k0, size=n, p=shares)
    prev = rng.uniform(*spec["prev"], size=k0)[g0]
    tpr = rng.uniform(*spec["tpr"], size=k0)[g0]
    fpr = rng.uniform(*spec["fpr"], size=k0)[g0]
    y = (rng.random(n) < prev).astype(np.int64)
    p = np.where(y == 1, rng.random(n) < tpr, rng.random(n) < fpr).astype(np.int64)
    cols = {drv["col"]: g0}
    for c in spec.get("cols", []):
        cols[c["col"]] = _assign_column(
            rng, y, p, c["k"], c.get("special", []), c.get("max_special", max(2, n // 40))
        )
    df = pd.DataFrame(
        {name: ["%s%d" % (name[:3], v) for v in vals] for name, vals in cols.items()}
    )
    df["y"] = y
    df["pred"] = p
    return df


def fixed_cases():
    return [
        dict(name="mixed", seed=20240101, n=4000, driver=dict(col="race", k=5),
             prev=(0.2, 0.6), tpr=(0.5, 0.95), fpr=(0.05, 0.4),
             cols=[dict(col="sex", k=2),
                   dict(col="region", k=8,
                        special=["no_pos", "no_sel", "all_tn", "no_neg", "all_sel", "single"]),
                   dict(col="age", k=3, special=["pair"])],
             intersect=[["race", "sex"], ["race", "sex", "age"]]),
        dict(name="small", seed=7, n=120, driver=dict(col="grp", k=4),
             prev=(0.1, 0.7), tpr=(0.3, 0.9), fpr=(0.05, 0.5),
             cols=[dict(col="site", k=6, special=["no_pos", "no_sel"], max_special=6),
                   dict(col="lang", k=2, special=["single"])],
             intersect=[["grp", "site", "lang"]]),
        dict(name="rare", seed=31337, n=400, driver=dict(col="grp", k=8),
             prev=(0.0, 0.04), tpr=(0.3, 0.7), fpr=(0.0, 0.04),
             cols=[dict(col="zone", k=3)],
             intersect=[["grp", "zone"]]),
        dict(name="nobody_selected", seed=5, n=600, driver=dict(col="grp", k=3),
             prev=(0.2, 0.5), tpr=(0.0, 0.0), fpr=(0.0, 0.0),
             cols=[dict(col="sub", k=4, special=["no_pos"])]),
        dict(name="everyone_selected", seed=6, n=600, driver=dict(col="grp", k=4),
             prev=(0.2, 0.5), tpr=(1.0, 1.0), fpr=(1.0, 1.0),
             cols=[dict(col="sub", k=2)]),
        dict(name="perfect", seed=8, n=900, driver=dict(col="grp", k=3),
             prev=(0.2, 0.6), tpr=(1.0, 1.0), fpr=(0.0, 0.0),
             cols=[dict(col="sub", k=5, special=["no_neg"])]),
        dict(name="clean_many", seed=99, n=20000, driver=dict(col="race", k=8),
             prev=(0.1, 0.9), tpr=(0.1, 0.99), fpr=(0.01, 0.6),
             cols=[dict(col="sex", k=2), dict(col="age", k=7)],
             intersect=[["race", "sex"], ["sex", "age"], ["race", "sex", "age"]]),
    ]


def random_cases(count_, base_seed=1000):
    out = []
    meta = np.random.default_rng(base_seed)
    for i in range(count_):
        n = int(meta.integers(40, 3000))
        n_cols = int(meta.integers(2, 5))
        lo = float(meta.uniform(0.0, 0.5))
        cols = []
        for j in range(1, n_cols):
            k = int(meta.integers(2, 9))
            n_spec = int(meta.integers(0, min(k, 4) + 1))
            special = list(meta.choice(SPECIALS, size=n_spec, replace=False))
            cols.append(dict(col="c%d" % j, k=k, special=special))
        spec = dict(name="random%02d" % i, seed=base_seed + 1 + i, n=n,
                    driver=dict(col="c0", k=int(meta.integers(2, 9))),
                    prev=(lo, min(1.0, lo + float(meta.uniform(0.0, 0.6)))),
                    tpr=(float(meta.uniform(0, 0.5)), float(meta.uniform(0.5, 1.0))),
                    fpr=(float(meta.uniform(0, 0.3)), float(meta.uniform(0.3, 0.8))),
                    cols=cols)
        if i % 3 == 0:
            spec["intersect"] = [["c%d" % j for j in range(n_cols)]]
        out.append(spec)
    return out


# ----------------------------------------------------------------------------------------
# Fairlearn side

def _base_rate(y_true, y_pred):
    return np.mean(y_true)


FL_METRICS = collections.OrderedDict([
    ("selection_rate", selection_rate),
    ("tpr", true_positive_rate),
    ("fpr", false_positive_rate),
    ("fnr", false_negative_rate),
    ("tnr", true_negative_rate),
    ("ppv", skm.precision_score),
    ("accuracy", skm.accuracy_score),
    ("balanced_accuracy", skm.balanced_accuracy_score),
    ("f1", skm.f1_score),
    ("base_rate", _base_rate),
    ("n", count),
])


def _nan_if(fn, undefined):
    """A Fairlearn rate that is NaN where its denominator is zero (fairaudit's convention)."""
    def wrapped(y_true, y_pred):
        y_true = np.asarray(y_true)
        y_pred = np.asarray(y_pred)
        return np.nan if undefined(y_true, y_pred) else fn(y_true, y_pred)
    return wrapped


NAN_AWARE = {
    "selection_rate": _nan_if(selection_rate, lambda t, p: len(t) == 0),
    "tpr": _nan_if(true_positive_rate, lambda t, p: not (t == 1).any()),
    "fpr": _nan_if(false_positive_rate, lambda t, p: not (t == 0).any()),
}


def counts_of(y, p):
    y = np.asarray(y)
    p = np.asarray(p)
    return dict(tp=int(((y == 1) & (p == 1)).sum()), fp=int(((y == 0) & (p == 1)).sum()),
                tn=int(((y == 0) & (p == 0)).sum()), fn=int(((y == 1) & (p == 0)).sum()))


def zero_denominator(metric, c):
    pos, neg = c["tp"] + c["fn"], c["fp"] + c["tn"]
    sel = c["tp"] + c["fp"]
    return {
        "selection_rate": pos + neg == 0, "accuracy": pos + neg == 0,
        "base_rate": pos + neg == 0, "n": False,
        "tpr": pos == 0, "fnr": pos == 0, "fpr": neg == 0, "tnr": neg == 0,
        "ppv": sel == 0, "balanced_accuracy": pos == 0 or neg == 0,
        "f1": 2 * c["tp"] + c["fp"] + c["fn"] == 0,
    }[metric]


# ----------------------------------------------------------------------------------------
# Bookkeeping

class Tally:
    def __init__(self):
        self.rows = collections.OrderedDict()
        self.notes = []  # (category, text)
        self.failures = []

    def row(self, key):
        if key not in self.rows:
            self.rows[key] = dict(compared=0, maxdiff=0.0, nan_null=0, zero_div=0,
                                  one_group=0, nan_min=0, not_cmp=0, fail=0,
                                  zd_values=collections.Counter())
        return self.rows[key]

    def numeric(self, key, a, b, where):
        r = self.row(key)
        r["compared"] += 1
        d = abs(a - b)
        if d > r["maxdiff"]:
            r["maxdiff"] = d
        if not d <= TOL:
            self.fail(key, "%s: fairlearn %.17g vs fairaudit %.17g (|diff| %.3g)" % (where, a, b, d))

    def fail(self, key, text):
        self.row(key)["fail"] += 1
        self.failures.append("%s: %s" % (key, text))


def is_nan(v):
    return v is None or (isinstance(v, float) and math.isnan(v))


def fa_value(obj):
    v = obj.get("value")
    return (None, obj.get("reason")) if v is None else (float(v), None)


# ----------------------------------------------------------------------------------------
# Comparisons

def run_fairaudit(binary, csv_path, cols, intersect):
    cmd = [binary, "audit", csv_path]
    for c in cols:
        cmd += ["--group", c]
    cmd += ["--label", "y", "--pred", "pred", "--format", "json", "--min-group-size", "0"]
    if intersect:
        cmd.append("--intersect")
    res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    if res.returncode != 0:
        raise RuntimeError("%s exited %d: %s" % (" ".join(cmd), res.returncode,
                                                 res.stderr.decode(errors="replace")))
    return json.loads(res.stdout), cmd


def compare_groups(tally, case, attr, df, feats, fa_groups, section):
    """Per-group metrics of one attribute (feats: list of group columns)."""
    y = df["y"].to_numpy()
    p = df["pred"].to_numpy()
    sf = df[feats[0]] if len(feats) == 1 else df[feats]
    mf = MetricFrame(metrics=dict(FL_METRICS), y_true=y, y_pred=p, sensitive_features=sf)
    by = mf.by_group
    fa_by_key = {}
    for g in fa_groups:
        key = (g["group"],) if len(feats) == 1 else tuple(g["values"])
        fa_by_key[key] = g
    seen = set()
    for idx, row in by.iterrows():
        key = idx if isinstance(idx, tuple) else (idx,)
        key = tuple(str(k) for k in key)
        where = "%s/%s/%s" % (case, attr, " & ".join(key))
        if key not in fa_by_key:
            if all(is_nan(row[m]) for m in FL_METRICS if m != "n"):
                tally.row("%s: absent combination (NaN row, not listed)" % section)["nan_null"] += 1
            else:
                tally.fail("%s: groups" % section, "%s: in Fairlearn, not in fairaudit" % where)
            continue
        seen.add(key)
        g = fa_by_key[key]
        mask = np.ones(len(df), dtype=bool)
        for f, v in zip(feats, key):
            mask &= (df[f].to_numpy() == v)
        c = counts_of(y[mask], p[mask])
        if c != g["counts"]:
            tally.fail("%s: counts" % section, "%s: counts %s vs fairaudit %s" % (where, c, g["counts"]))
        tally.row("%s: counts tp/fp/tn/fn" % section)["compared"] += 1
        for m in FL_METRICS:
            rk = "%s: %s" % (section, m)
            fl = float(row[m])
            if m == "n":
                tally.numeric(rk, fl, float(g["n"]), where)
                continue
            fv, reason = fa_value(g["metrics"][m])
            if fv is not None and not is_nan(fl):
                tally.numeric(rk, fl, fv, where)
            elif fv is None and is_nan(fl):
                tally.row(rk)["nan_null"] += 1
            elif fv is None and reason and zero_denominator(m, c):
                r = tally.row(rk)
                r["zero_div"] += 1
                r["zd_values"][repr(fl)] += 1
            else:
                tally.fail(rk, "%s: fairlearn %r vs fairaudit %r (%s)" % (where, fl, fv, reason))
    for key in fa_by_key:
        if key not in seen:
            tally.fail("%s: groups" % section, "%s/%s/%s: in fairaudit, not in Fairlearn"
                       % (case, attr, " & ".join(key)))
    return by


def _classify_summary(tally, rk, fl, fa_obj, where, explain):
    """explain(): the category name for a number-vs-null mismatch, or None."""
    fv, reason = fa_value(fa_obj)
    if fv is not None and not is_nan(fl):
        tally.numeric(rk, fl, fv, where)
    elif fv is None and is_nan(fl):
        tally.row(rk)["nan_null"] += 1
    else:
        cat = explain() if (fv is None and reason) else None
        if cat:
            tally.row(rk)[cat] += 1
            tally.notes.append((cat, "%s %s: fairlearn %r, fairaudit null (%s)" % (rk, where, fl, reason)))
        else:
            tally.fail(rk, "%s: fairlearn %r vs fairaudit %r (%s)" % (where, fl, fv, reason))


def compare_summary(tally, case, attr, df, feats, by, fa_summary, section):
    y = df["y"].to_numpy()
    p = df["pred"].to_numpy()
    sf = df[feats[0]] if len(feats) == 1 else df[feats]
    where = "%s/%s" % (case, attr)
    present = by[~by["n"].isna() & (by["n"] > 0)]

    # Which rates are defined in every group (then the official functions are comparable).
    pos = present["base_rate"] * present["n"]
    all_pos = bool((pos > 0.5).all())
    all_neg = bool((pos < present["n"] - 0.5).all())

    official = collections.OrderedDict([
        ("demographic_parity_difference", (demographic_parity_difference, True)),
        ("demographic_parity_ratio", (demographic_parity_ratio, True)),
        ("equalized_odds_difference", (equalized_odds_difference, all_pos and all_neg)),
        ("equalized_odds_ratio", (equalized_odds_ratio, all_pos and all_neg)),
        ("equal_opportunity_difference", (equal_opportunity_difference, all_pos)),
    ])
    for name, (fn, comparable) in official.items():
        rk = "%s: %s [fairlearn]" % (section, name)
        fl = float(fn(y, p, sensitive_features=sf))
        if not comparable:
            fv, reason = fa_value(fa_summary[name])
            same = (fv is None and is_nan(fl)) or (
                fv is not None and not is_nan(fl) and abs(fl - fv) <= TOL)
            tally.row(rk)["not_cmp"] += 1
            tally.notes.append(("not comparable, " + ("same value" if same else "values differ"),
                                "%s %s: a group has a zero denominator; "
                                "fairlearn %r (zero-division rate 0 included), fairaudit %r%s"
                                % (rk, where, fl, fv, "" if fv is not None else " (%s)" % reason)))
            continue

        def explain(name=name):
            if len(present) < 2:
                return "one_group"
            if name == "equalized_odds_ratio":
                eo = MetricFrame(metrics={"tpr": true_positive_rate, "fpr": false_positive_rate},
                                 y_true=y, y_pred=p, sensitive_features=sf)
                r = eo.ratio()
                if r.isna().any() and not r.isna().all():
                    return "nan_min"
            return None
        _classify_summary(tally, rk, fl, fa_summary[name], where, explain)

    # Same aggregation, with zero-denominator group rates as NaN (fairaudit's convention).
    eo = MetricFrame(metrics=dict(NAN_AWARE), y_true=y, y_pred=p, sensitive_features=sf)
    diff = eo.difference()
    ratio = eo.ratio()
    ndef = eo.by_group.notna().sum()
    derived = collections.OrderedDict([
        ("demographic_parity_difference", (diff["selection_rate"], ["selection_rate"])),
        ("demographic_parity_ratio", (ratio["selection_rate"], ["selection_rate"])),
        # exactly the expressions of fairlearn.metrics.equalized_odds_*(agg="worst_case")
        ("equalized_odds_difference", (max(diff[["tpr", "fpr"]]), ["tpr", "fpr"])),
        ("equalized_odds_ratio", (min(ratio[["tpr", "fpr"]]), ["tpr", "fpr"])),
        ("equal_opportunity_difference", (diff["tpr"], ["tpr"])),
    ])
    for name, (fl, rates) in derived.items():
        rk = "%s: %s [fairlearn-nan]" % (section, name)

        def explain(name=name, rates=rates):
            if any(ndef[r] < 2 for r in rates):
                return "one_group"
            if name == "equalized_odds_ratio" and ratio[rates].isna().any():
                return "nan_min"
            return None
        _classify_summary(tally, rk, float(fl), fa_summary[name], where, explain)


def run_case(binary, spec, workdir, tally, keep):
    df = make_dataset(spec)
    case = spec["name"]
    csv_path = os.path.join(workdir, case + ".csv")
    df.to_csv(csv_path, index=False)
    cols = [spec["driver"]["col"]] + [c["col"] for c in spec.get("cols", [])]
    runs = [(cols, False)] + [(ic, True) for ic in spec.get("intersect", [])]
    for feats_list, intersect in runs:
        report, cmd = run_fairaudit(binary, csv_path, feats_list, intersect)
        if keep:
            tag = "_".join(feats_list) + ("_x" if intersect else "")
            with open(os.path.join(workdir, "%s.%s.json" % (case, tag)), "w") as fh:
                json.dump(report, fh, indent=1)
        rows = report["results"]["rows"]
        if rows.get("used") != len(df):
            tally.fail("rows", "%s: fairaudit used %r of %d rows" % (case, rows, len(df)))
        attrs = report["results"]["attributes"]
        expected = len(feats_list) + (1 if intersect else 0)
        if len(attrs) != expected:
            tally.fail("attributes", "%s: %d attributes, expected %d" % (case, len(attrs), expected))
            continue
        for a in attrs:
            feats = a["columns"]
            is_x = len(feats) > 1
            if intersect and not is_x:
                continue  # the single attributes of an --intersect run are those of the plain run
            section = "intersect" if is_x else "group"
            by = compare_groups(tally, case, a["attribute"], df, feats, a["groups"], section)
            sect = "intersect summary" if is_x else "summary"
            compare_summary(tally, case, a["attribute"], df, feats, by, a["summary"], sect)
    return len(df)


# ----------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("fairaudit", help="path to the fairaudit binary")
    ap.add_argument("--random", type=int, default=24, help="number of random datasets (24)")
    ap.add_argument("--keep", metavar="DIR", help="keep CSVs and JSON reports in DIR")
    ap.add_argument("--verbose", action="store_true", help="list every reported difference")
    args = ap.parse_args()
    binary = os.path.abspath(args.fairaudit)
    if not os.access(binary, os.X_OK):
        sys.stderr.write("fairlearn_diff.py: %s is not an executable\n" % binary)
        return 2

    print("fairaudit: %s" % binary)
    print("fairlearn %s (%s), scikit-learn %s, pandas %s, numpy %s, python %s"
          % (fairlearn.__version__, os.path.dirname(fairlearn.__file__), sklearn.__version__,
             pd.__version__, np.__version__, sys.version.split()[0]))
    specs = fixed_cases() + random_cases(args.random)
    tally = Tally()
    wcount = collections.Counter()
    total_rows = 0
    ctx = tempfile.TemporaryDirectory(prefix="fairlearn_diff_")
    workdir = args.keep or ctx.name
    os.makedirs(workdir, exist_ok=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for spec in specs:
            total_rows += run_case(binary, spec, workdir, tally, args.keep)
        for w in caught:
            msg = str(w.message).split("\n")[0]
            wcount["%s: %s" % (w.category.__name__, msg[:90])] += 1
    ctx.cleanup()

    print("%d datasets, %d rows in all; tolerance %g\n" % (len(specs), total_rows, TOL))
    hdr = ("%-58s %8s %10s %8s %8s %7s %7s %7s %5s"
           % ("metric", "compared", "max|diff|", "nan=null", "zero-div", "1-group",
              "nan-min", "not-cmp", "FAIL"))
    print(hdr)
    print("-" * len(hdr))
    for key, r in tally.rows.items():
        print("%-58s %8d %10.3g %8d %8d %7d %7d %7d %5d"
              % (key, r["compared"], r["maxdiff"], r["nan_null"], r["zero_div"],
                 r["one_group"], r["nan_min"], r["not_cmp"], r["fail"]))
    overall = max([r["maxdiff"] for r in tally.rows.values()] + [0.0])
    print("\nmax |diff| over all numeric comparisons: %.3g" % overall)

    zd = [(k, r["zd_values"]) for k, r in tally.rows.items() if r["zd_values"]]
    if zd:
        print("\nzero-div: Fairlearn/sklearn value where fairaudit is null (value x count):")
        for k, vals in zd:
            print("  %-40s %s" % (k, ", ".join("%s x%d" % (v, c) for v, c in sorted(vals.items()))))
    cats = collections.Counter(c for c, _ in tally.notes)
    if tally.notes:
        print("\nreported summary differences: %s" % ", ".join("%s %d" % kv for kv in sorted(cats.items())))
        shown = collections.Counter()
        for cat, text in tally.notes:
            shown[cat] += 1
            if args.verbose or shown[cat] <= 4:
                print("  [%s] %s" % (cat, text))
        if not args.verbose:
            print("  (first 4 of each kind; --verbose lists all)")
    if wcount:
        print("\nwarnings raised while computing the reference values:")
        for k, c in wcount.most_common():
            print("  %6d  %s" % (c, k))
    if tally.failures:
        print("\nfailures:")
        for f in tally.failures[:50]:
            print("  " + f)
        if len(tally.failures) > 50:
            print("  ... %d more" % (len(tally.failures) - 50))
    ok = not tally.failures and overall <= TOL
    print("\n%s: %d values compared numerically, max |diff| %.3g (tolerance %g), %d failures"
          % ("PASS" if ok else "FAIL", sum(r["compared"] for r in tally.rows.values()),
             overall, TOL, len(tally.failures)))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
