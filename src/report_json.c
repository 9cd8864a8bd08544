/* report_json.c -- the JSON report (docs/json-schema.md), built with jansson. The `results`
 * part depends only on the input, the options and the seed; what varies between runs (paths,
 * command line, threads, time) goes into `run`. No NaN or infinity is ever written: an
 * undefined value is null with a reason. */
#include <jansson.h>
#include <stdint.h>
#include <string.h>
#include "audit_internal.h"
#include "report_internal.h"



static json_t *u64(fair__jctx *c, uint64_t v) { return fair__jchk(c, json_integer((json_int_t)v)); }

/* 32 bytes as 64 lower-case hex digits. */
static json_t *hex32(fair__jctx *c, const unsigned char *d)
{
    static const char hex[] = "0123456789abcdef";
    char h[65];
    for (size_t k = 0; k < 32; k++) {
        h[2 * k] = hex[d[k] >> 4];
        h[2 * k + 1] = hex[d[k] & 15u];
    }
    h[64] = '\0';
    return fair__jchk(c, json_string(h));
}

/* A JSON string. jansson refuses bytes that are not UTF-8 (json_string() returns NULL, which
 * would read as "out of memory" and lose the whole report), and a file name or a --positive
 * value need not be UTF-8 ("donn\xe9es.csv" from a Latin-1 system). Such a string is written
 * with its bytes from 0x80 as the text \xHH, as error messages show them (csv_ingest.c,
 * excerpt()). Found by tests/fuzz/fuzz_report. */
static json_t *str(fair__jctx *c, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    size_t n, j = 0;
    char *t;
    json_t *v;
    if (!s) return fair__jchk(c, json_null());
    n = strlen(s);
    if (fair__utf8_valid((const unsigned char *)s, n)) return fair__jchk(c, json_string(s));
    t = n < SIZE_MAX / 4 ? fair__malloc(4 * n + 1) : NULL;
    if (!t) return fair__jchk(c, NULL);
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80) {
            t[j++] = (char)b;
        } else {
            t[j++] = '\\';
            t[j++] = 'x';
            t[j++] = hex[b >> 4];
            t[j++] = hex[b & 15u];
        }
    }
    t[j] = '\0';
    v = json_string(t);
    fair__free(t);
    return fair__jchk(c, v);
}

json_t *fair__json_string(const char *s)
{
    fair__jctx c = {0};
    json_t *v = str(&c, s);
    if (c.failed) {
        json_decref(v);
        return NULL;
    }
    return v;
}

static json_t *pair(fair__jctx *c, double lo, double hi)
{
    json_t *a = fair__jchk(c, json_array());
    fair__jpush(c, a, fair__jchk(c, json_real(lo)));
    fair__jpush(c, a, fair__jchk(c, json_real(hi)));
    return a;
}

/* {"value": v} or {"value": null, "reason": "..."} */
static json_t *num(fair__jctx *c, const fair__num *n)
{
    json_t *o = fair__jchk(c, json_object());
    if (n->defined) {
        fair__jset(c, o, "value", fair__jchk(c, json_real(n->value)));
    } else {
        fair__jset(c, o, "value", fair__jchk(c, json_null()));
        fair__jset(c, o, "reason", str(c, n->reason));
    }
    return o;
}

/* Adds a bootstrap interval set to `intervals`; returns the primary bootstrap interval or NULL. */
static const fair__ci *boot_intervals(fair__jctx *c, json_t *m, json_t *iv, const fair__boot *bt,
                                      const fair_audit_options *o, const char **method)
{
    const fair__ci *primary = NULL;
    json_t *info;
    if (!bt->computed) return NULL;
    if (bt->pct.ok) fair__jset(c, iv, "percentile", pair(c, bt->pct.lo, bt->pct.hi));
    if (bt->bca.ok) fair__jset(c, iv, "bca", pair(c, bt->bca.lo, bt->bca.hi));
    info = fair__jchk(c, json_object());
    fair__jset(c, info, "replicates", u64(c, o->bootstrap));
    fair__jset(c, info, "undefined_replicates", u64(c, bt->undefined));
    if (!bt->bca.ok && bt->bca_reason) fair__jset(c, info, "bca_reason", str(c, bt->bca_reason));
    fair__jset(c, m, "bootstrap", info);
    if (o->boot_ci == FAIR_BOOT_CI_BCA && bt->bca.ok) {
        primary = &bt->bca;
        *method = "bca";
    } else if (bt->pct.ok) {
        primary = &bt->pct;
        *method = "percentile";
    }
    return primary;
}

static void set_primary(fair__jctx *c, json_t *m, const fair__ci *ci, const char *method)
{
    fair__jset(c, m, "ci_low", fair__jchk(c, json_real(ci->lo)));
    fair__jset(c, m, "ci_high", fair__jchk(c, json_real(ci->hi)));
    fair__jset(c, m, "ci_method", str(c, method));
}

static json_t *metric(fair__jctx *c, const fair__group *gr, size_t k, const fair_audit_options *o)
{
    const fair_metric_value *v = &gr->m[k];
    const fair__ci *analytic = o->interval == FAIR_INTERVAL_CLOPPER_PEARSON ? &gr->cp[k] : &gr->wilson[k];
    const fair__ci *boot;
    const char *bmethod = NULL, *why;
    json_t *m = fair__jchk(c, json_object()), *iv;
    if (!v->defined) {
        fair__jset(c, m, "value", fair__jchk(c, json_null()));
        fair__jset(c, m, "reason", str(c, v->reason));
        return m;
    }
    fair__jset(c, m, "value", fair__jchk(c, json_real(v->value)));
    iv = fair__jchk(c, json_object());
    if (gr->wilson[k].ok) fair__jset(c, iv, "wilson", pair(c, gr->wilson[k].lo, gr->wilson[k].hi));
    if (gr->cp[k].ok) fair__jset(c, iv, "clopper_pearson", pair(c, gr->cp[k].lo, gr->cp[k].hi));
    boot = boot_intervals(c, m, iv, &gr->boot_m[k], o, &bmethod);
    why = fair__unreliable(gr, k);
    /* As in the text report: an untrustworthy bootstrap interval is not the primary one. */
    if (boot && !why) set_primary(c, m, boot, bmethod);
    else if (analytic->ok) set_primary(c, m, analytic, fair__interval_name(o->interval));
    if (json_object_size(iv)) fair__jset(c, m, "intervals", iv);
    else json_decref(iv);
    if (gr->boot_m[k].computed) fair__jset(c, m, "unreliable", fair__jchk(c, json_boolean(why != NULL)));
    if (why) fair__jset(c, m, "unreliable_reason", str(c, why));
    return m;
}

static json_t *cmp(fair__jctx *c, const fair__cmp *x, const fair__boot *bt, const char *method,
                   const fair_audit_options *o)
{
    json_t *m = num(c, &x->est), *iv;
    const fair__ci *boot;
    const char *bmethod = NULL;
    if (!x->est.defined) return m;
    iv = fair__jchk(c, json_object());
    if (x->ci.ok) fair__jset(c, iv, method, pair(c, x->ci.lo, x->ci.hi));
    boot = boot_intervals(c, m, iv, bt, o, &bmethod);
    if (boot) set_primary(c, m, boot, bmethod);
    else if (x->ci.ok) set_primary(c, m, &x->ci, method);
    if (json_object_size(iv)) fair__jset(c, m, "intervals", iv);
    else json_decref(iv);
    return m;
}

/* The score section of a group: metrics, recalibration details, reliability curve. */
static json_t *score_json(fair__jctx *c, const fair__group *gr, const fair_audit_options *o)
{
    const fair_score_metrics *sm = &gr->sm;
    json_t *j = fair__jchk(c, json_object()), *m = fair__jchk(c, json_object()), *rel = fair__jchk(c, json_array());
    fair__jset(c, j, "distinct_scores", u64(c, gr->hist.count));
    fair__jset(c, j, "rounded_to_grid", fair__jchk(c, json_boolean(gr->hist.quantized)));
    if (gr->hist.quantized) {
        /* What rounding to the grid can change (docs/metrics.md): AUC only through pairs of a
         * positive and a negative now tied in one cell, each by at most 1/2; the Brier score by
         * at most one step, as |d(s - y)^2 / ds| <= 2 and scores move by half a step at most. */
        const double step = (o->score_max - o->score_min) / FAIR__SCORE_GRID;
        double pos = 0, neg = 0, tied = 0;
        json_t *b = fair__jchk(c, json_object());
        for (size_t i = 0; i < gr->hist.count; i++) {
            double k0 = (double)(gr->hist.n[i][0] + gr->hist.n[i][1]);
            double k1 = (double)(gr->hist.n[i][2] + gr->hist.n[i][3]);
            pos += k1;
            neg += k0;
            tied += k0 * k1;
        }
        fair__jset(c, j, "grid_step", fair__jchk(c, json_real(step)));
        fair__jset(c, b, "auc", pos > 0 && neg > 0 ? fair__jchk(c, json_real(0.5 * tied / (pos * neg))) : fair__jchk(c, json_null()));
        if (gr->sm.m[FAIR_SCORE_BRIER].defined) fair__jset(c, b, "brier", fair__jchk(c, json_real(step)));
        fair__jset(c, b, "ece_mce", str(c, "rows within half a grid step of a bin edge may change bins"));
        fair__jset(c, j, "rounding_bounds", b);
    }
    for (size_t k = 0; k < FAIR_SCORE_METRIC_COUNT; k++) {
        fair__cmp x = {{sm->m[k].defined, sm->m[k].value, sm->m[k].reason}, {0, 0, 0}};
        json_t *sj = cmp(c, &x, &gr->boot_score[k], "none", o);
        const char *why = sm->m[k].defined ? fair__unreliable_score(gr, k) : NULL;
        if (sj && sm->m[k].defined && gr->boot_score[k].computed) fair__jset(c, sj, "unreliable", fair__jchk(c, json_boolean(why != NULL)));
        if (sj && why) fair__jset(c, sj, "unreliable_reason", str(c, why));
        fair__jset(c, m, fair_score_metric_name((fair_score_metric_id)k), sj);
    }
    if (sm->m[FAIR_SCORE_SLOPE].defined) {
        json_t *se = fair__jchk(c, json_object());
        fair__jset(c, se, "calibration_slope", fair__jchk(c, json_real(sm->slope_se)));
        fair__jset(c, se, "calibration_intercept", fair__jchk(c, json_real(sm->intercept_se)));
        fair__jset(c, j, "standard_errors", se);
    }
    if (sm->m[FAIR_SCORE_HL_STAT].defined) fair__jset(c, j, "hosmer_lemeshow_df", fair__jchk(c, json_real(sm->hl_df)));
    fair__jset(c, j, "metrics", m);
    for (size_t b = 0; b < sm->n_bins; b++) {
        const fair_reliability_bin *rb = &gr->reliability[b];
        json_t *e = fair__jchk(c, json_object());
        fair__jset(c, e, "lo", fair__jchk(c, json_real(rb->lo)));
        fair__jset(c, e, "hi", fair__jchk(c, json_real(rb->hi)));
        fair__jset(c, e, "n", u64(c, rb->n));
        fair__jset(c, e, "positives", u64(c, rb->positives));
        fair__jset(c, e, "mean_score", rb->n ? fair__jchk(c, json_real(rb->mean_score)) : fair__jchk(c, json_null()));
        fair__jset(c, e, "observed_rate", rb->n ? fair__jchk(c, json_real(rb->observed)) : fair__jchk(c, json_null()));
        if (rb->wilson_ok) fair__jset(c, e, "wilson", pair(c, rb->wilson_lo, rb->wilson_hi));
        fair__jpush(c, rel, e);
    }
    fair__jset(c, j, "reliability", rel);
    return j;
}

static json_t *group_json(fair__jctx *c, const fair__attr *at, size_t g, const fair_audit_options *o)
{
    const fair__group *gr = &at->groups[g];
    json_t *j = fair__jchk(c, json_object()), *counts, *metrics, *vs;
    fair__jset(c, j, "group", str(c, gr->label));
    if (gr->parts) {
        json_t *vals = fair__jchk(c, json_array());
        for (size_t k = 0; k < gr->n_parts; k++) fair__jpush(c, vals, str(c, gr->parts[k]));
        fair__jset(c, j, "values", vals);
    }
    fair__jset(c, j, "suppressed", fair__jchk(c, json_boolean(gr->suppressed)));
    if (gr->suppressed) {
        fair__jset(c, j, "n", fair__jchk(c, json_null()));
        fair__jset(c, j, "reason", str(c, "fewer rows than the disclosure limit (--suppress-below)"));
        return j;
    }
    fair__jset(c, j, "n", u64(c, gr->n));
    fair__jset(c, j, "is_reference", fair__jchk(c, json_boolean(g == at->ref)));
    fair__jset(c, j, "too_small", fair__jchk(c, json_boolean(gr->too_small)));
    counts = fair__jchk(c, json_object());
    fair__jset(c, counts, "tp", u64(c, gr->c.tp));
    fair__jset(c, counts, "fp", u64(c, gr->c.fp));
    fair__jset(c, counts, "tn", u64(c, gr->c.tn));
    fair__jset(c, counts, "fn", u64(c, gr->c.fn));
    fair__jset(c, j, "counts", counts);
    metrics = fair__jchk(c, json_object());
    for (size_t k = 0; k < FAIR_METRIC_COUNT; k++)
        fair__jset(c, metrics, fair_metric_name((fair_metric_id)k), metric(c, gr, k, o));
    fair__jset(c, j, "metrics", metrics);
    if (gr->has_hist) fair__jset(c, j, "score", score_json(c, gr, o));
    if (g == at->ref) return j;
    vs = fair__jchk(c, json_object());
    for (size_t k = 0; k < FAIR_METRIC_COUNT; k++) {
        json_t *e = fair__jchk(c, json_object());
        fair__jset(c, e, "ratio", cmp(c, &gr->ratio[k], &gr->boot_ratio[k], "katz_log", o));
        fair__jset(c, e, "difference", cmp(c, &gr->diff[k], &gr->boot_diff[k], "newcombe", o));
        for (size_t t = 0; t < FAIR__N_TESTED; t++) {
            const fair__ztest *zt = &gr->test[t];
            json_t *test;
            if (fair__tested_metrics[t] != (fair_metric_id)k) continue;
            test = fair__jchk(c, json_object());
            fair__jset(c, test, "method", str(c, "two_proportion_z"));
            if (zt->p.defined) {
                fair__jset(c, test, "z", fair__jchk(c, json_real(zt->z.value)));
                fair__jset(c, test, "p", fair__jchk(c, json_real(zt->p.value)));
                fair__jset(c, test, "p_adjusted", zt->p_adj.defined ? fair__jchk(c, json_real(zt->p_adj.value)) : fair__jchk(c, json_null()));
            } else {
                fair__jset(c, test, "p", fair__jchk(c, json_null()));
                fair__jset(c, test, "reason", str(c, zt->p.reason));
            }
            fair__jset(c, e, "test", test);
        }
        fair__jset(c, vs, fair_metric_name((fair_metric_id)k), e);
    }
    fair__jset(c, j, "vs_reference", vs);
    return j;
}

static json_t *attr_json(fair__jctx *c, const fair_audit *a, const fair__attr *at)
{
    json_t *j = fair__jchk(c, json_object()), *groups, *summary, *tests, *cols;
    fair__jset(c, j, "attribute", str(c, at->name));
    cols = fair__jchk(c, json_array());
    if (at->n_cols == 1) {
        fair__jpush(c, cols, str(c, at->name));
    } else {
        for (size_t k = 0; k < a->opt.n_group_cols; k++) fair__jpush(c, cols, str(c, a->group_cols[k]));
    }
    fair__jset(c, j, "columns", cols);
    fair__jset(c, j, "reference", str(c, at->groups[at->ref].label));
    fair__jset(c, j, "reference_rule", str(c, at->ref_rule));
    groups = fair__jchk(c, json_array());
    for (size_t g = 0; g < at->n_groups; g++) fair__jpush(c, groups, group_json(c, at, g, &a->opt));
    fair__jset(c, j, "groups", groups);
    summary = fair__jchk(c, json_object());
    fair__jset(c, summary, "groups_compared", u64(c, at->summary_groups));
    for (size_t k = 0; k < FAIR__SUM_COUNT; k++) {
        fair__cmp x = {at->summary[k], {0, 0, 0}};
        json_t *sm = cmp(c, &x, &at->boot_summary[k], "none", &a->opt);
        if (at->summary[k].defined && at->boot_summary[k].computed && k != FAIR__SUM_AOD)
            fair__jset(c, sm, "note", str(c, "a gap between the most and the least favoured group is "
                                      "biased away from no difference (0 for a difference, 1 for "
                                      "a ratio): its interval can exclude that value, and even the "
                                      "estimate, when the groups do not differ; whether they differ "
                                      "is what independence_tests and vs_reference say"));
        fair__jset(c, summary, fair__summary_names[k], sm);
    }
    fair__jset(c, j, "summary", summary);
    tests = fair__jchk(c, json_object());
    for (size_t k = 0; k < FAIR__N_INDEP; k++) {
        const fair__indep *ind = &at->indep[k];
        json_t *t = fair__jchk(c, json_object());
        fair__jset(c, t, "chi_square", num(c, &ind->stat));
        fair__jset(c, t, "df", num(c, &ind->df));
        fair__jset(c, t, "p", num(c, &ind->p));
        fair__jset(c, t, "fisher_exact_p", num(c, &ind->fisher_p));
        fair__jset(c, tests, ind->name, t);
    }
    fair__jset(c, j, "independence_tests", tests);
    if (at->n_thresholds) {
        json_t *arr = fair__jchk(c, json_array());
        for (size_t t = 0; t < at->n_thresholds; t++) {
            json_t *op = attr_json(c, a, &at->at_threshold[t]);
            fair__jset(c, op, "threshold", fair__jchk(c, json_real(at->thresholds[t])));
            fair__jpush(c, arr, op);
        }
        fair__jset(c, j, "at_thresholds", arr);
    }
    if (at->top) {
        json_t *op = attr_json(c, a, at->top);
        fair__jset(c, op, "requested", u64(c, a->top_requested));
        fair__jset(c, op, "selected", u64(c, a->top_selected));
        fair__jset(c, op, "cut_score", fair__jchk(c, json_real(a->top_cut)));
        fair__jset(c, op, "tie_rule", str(c, "every row whose score equals the cut is selected, so "
                                      "'selected' can exceed 'requested'"));
        fair__jset(c, j, "top_k", op);
    }
    return j;
}

static json_t *options_json(fair__jctx *c, const fair_audit *a)
{
    const fair_audit_options *o = &a->opt;
    json_t *j = fair__jchk(c, json_object()), *groups = fair__jchk(c, json_array());
    char d[2] = {a->delim, '\0'};
    for (size_t k = 0; k < o->n_group_cols; k++) fair__jpush(c, groups, str(c, a->group_cols[k]));
    fair__jset(c, j, "group_columns", groups);
    fair__jset(c, j, "label_column", str(c, o->label_col));
    fair__jset(c, j, "prediction_column", str(c, o->pred_col));
    fair__jset(c, j, "score_column", str(c, o->score_col));
    fair__jset(c, j, "threshold", o->use_threshold ? fair__jchk(c, json_real(o->threshold)) : fair__jchk(c, json_null()));
    fair__jset(c, j, "label_positive", str(c, o->label_positive));
    fair__jset(c, j, "prediction_positive", str(c, o->pred_positive));
    fair__jset(c, j, "delimiter", str(c, d));
    fair__jset(c, j, "decimal_comma", fair__jchk(c, json_boolean(a->comma_decimal)));
    fair__jset(c, j, "score_range", pair(c, o->score_min, o->score_max));
    fair__jset(c, j, "calibration_bins", u64(c, o->calibration_bins));
    fair__jset(c, j, "binning", str(c, o->quantile_binning ? "quantile" : "uniform"));
    fair__jset(c, j, "max_distinct_scores", u64(c, o->max_distinct_scores));
    fair__jset(c, j, "strict", fair__jchk(c, json_boolean(o->strict)));
    fair__jset(c, j, "intersect", fair__jchk(c, json_boolean(o->intersect)));
    fair__jset(c, j, "reference_rule", str(c, o->reference_rule == FAIR_REFERENCE_BEST ? "best" : "largest"));
    fair__jset(c, j, "favourable_selection", fair__jchk(c, json_boolean(o->favourable)));
    fair__jset(c, j, "min_group_size", u64(c, o->min_group_size));
    fair__jset(c, j, "suppress_below", u64(c, o->suppress_below));
    fair__jset(c, j, "ci_level", fair__jchk(c, json_real(o->ci_level)));
    fair__jset(c, j, "interval", str(c, fair__interval_name(o->interval)));
    fair__jset(c, j, "p_adjust", str(c, fair_p_adjust_name(o->p_adjust)));
    fair__jset(c, j, "p_adjust_family", str(c, "per attribute: every group's z tests against the reference"));
    {
        json_t *b = fair__jchk(c, json_object());
        fair__jset(c, b, "replicates", u64(c, o->bootstrap));
        fair__jset(c, b, "seed", u64(c, o->seed));
        fair__jset(c, b, "scheme", str(c, o->boot_scheme == FAIR_BOOT_SIMPLE ? "simple" : "stratified"));
        fair__jset(c, b, "primary_interval", str(c, o->boot_ci == FAIR_BOOT_CI_BCA ? "bca" : "percentile"));
        fair__jset(c, b, "rng", str(c, FAIR_RNG_NAME));
        fair__jset(c, j, "bootstrap", b);
    }
    return j;
}

static json_t *build(const fair_audit *a, const fair_report_run *run, fair__jctx *c)
{
    json_t *root = fair__jchk(c, json_object()), *tool, *results, *input, *rows, *skipped, *attrs, *paths = NULL;
    uint64_t total = 0;
    fair__jset(c, root, "schema_version", fair__jchk(c, json_integer(FAIR__JSON_SCHEMA_VERSION)));
    fair__jset(c, root, "kind", str(c, "audit"));
    tool = fair__jchk(c, json_object());
    fair__jset(c, tool, "name", str(c, "fairaudit"));
    fair__jset(c, tool, "version", str(c, fair_version_string()));
    fair__jset(c, root, "tool", tool);

    results = fair__jchk(c, json_object());
    fair__jset(c, results, "kind", str(c, "classification_audit"));
    input = fair__jchk(c, json_object());
    fair__jset(c, input, "bytes", u64(c, a->input_bytes));
    /* The input's SHA-256; merged states of several inputs list theirs under "shards". */
    if (!a->n_shards) fair__jset(c, input, "sha256", hex32(c, a->input_sha256));
    fair__jset(c, input, "compression", str(c, a->gzip == 2 ? "mixed" : a->gzip ? "gzip" : "none"));
    if (a->n_shards) { /* merged partial states of several inputs: their sizes, in order */
        json_t *sh = fair__jchk(c, json_array());
        for (size_t i = 0; i < a->n_shards; i++) {
            json_t *one = fair__jchk(c, json_object());
            fair__jset(c, one, "bytes", u64(c, a->shards[i].bytes));
            if (a->shards[i].has_sha256) fair__jset(c, one, "sha256", hex32(c, a->shards[i].sha256));
            fair__jset(c, one, "compression", str(c, a->shards[i].gzip ? "gzip" : "none"));
            fair__jpush(c, sh, one);
        }
        fair__jset(c, input, "shards", sh);
    }
    fair__jset(c, results, "input", input);
    fair__jset(c, results, "options", options_json(c, a));
    rows = fair__jchk(c, json_object());
    fair__jset(c, rows, "read", u64(c, a->rows_read));
    fair__jset(c, rows, "used", u64(c, a->rows_used));
    skipped = fair__jchk(c, json_object());
    for (size_t k = 0; k < FAIR_SKIP_COUNT; k++) total += a->skipped[k];
    fair__jset(c, skipped, "total", u64(c, total));
    for (size_t k = 0; k < FAIR_SKIP_COUNT; k++)
        fair__jset(c, skipped, fair_skip_name((fair_skip_reason)k), u64(c, a->skipped[k]));
    fair__jset(c, rows, "skipped", skipped);
    if (a->opt.suppress_below > 0)
        fair__jset(c, rows, "disclosure_note",
            str(c, "row totals, the tests across groups and the marginal groups include the rows of "
                   "suppressed groups; a suppressed group's size can be recovered by subtraction"));
    fair__jset(c, results, "rows", rows);
    attrs = fair__jchk(c, json_array());
    for (size_t i = 0; i < a->n_attrs; i++) fair__jpush(c, attrs, attr_json(c, a, &a->attrs[i]));
    fair__jset(c, results, "attributes", attrs);
    fair__jset(c, root, "results", results);

    if (a->n_shards) {
        paths = fair__jchk(c, json_array());
        for (size_t i = 0; i < a->n_shards; i++) fair__jpush(c, paths, str(c, a->shards[i].name));
    }
    fair__jset(c, root, "run", fair__run_json(c, a->input_name, paths, run, a->opt.n_threads, a->threads_used));
    return root;
}

json_t *fair__run_json(fair__jctx *c, const char *input_name, json_t *input_paths,
                       const fair_report_run *run, size_t n_threads, size_t threads_used)
{
    json_t *r = fair__jchk(c, json_object());
    fair__jset(c, r, "input_path", str(c, input_name));
    if (input_paths) fair__jset(c, r, "input_paths", input_paths);
    fair__jset(c, r, "command_line", str(c, run ? run->command_line : NULL));
    fair__jset(c, r, "timestamp", str(c, run ? run->timestamp : NULL));
    fair__jset(c, r, "threads_requested", n_threads ? u64(c, n_threads) : str(c, "all cores"));
    fair__jset(c, r, "parse_threads", u64(c, threads_used));
    return r;
}

json_t *fair__report_json_tree(const fair_audit *a, const fair_report_run *run)
{
    fair__jctx c = {0};
    json_t *root = build(a, run, &c);
    if (c.failed) {
        json_decref(root);
        return NULL;
    }
    return root;
}

fair_status fair__report_json_dump(const json_t *root, FILE *out, fair_error *err)
{
    int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    /* json_dumpf() fails when a write fails (the stream's error flag is then set) or when it
     * runs out of memory (it allocates while dumping): the latter is not an I/O error. Found by
     * tests/unit/test_oom.c with jansson's allocations failed one by one. */
    if (rc != 0 && !ferror(out))
        return fair__fail(err, FAIR_ENOMEM, "out of memory writing the JSON report");
    if (rc != 0 || fputc('\n', out) == EOF)
        return fair__fail(err, FAIR_EIO, "cannot write the JSON report");
    return FAIR_OK;
}

fair_status fair__report_json(const fair_audit *a, const fair_report_run *run, FILE *out,
                              fair_error *err)
{
    json_t *root = fair__report_json_tree(a, run);
    fair_status st;
    if (!root) return fair__fail(err, FAIR_ENOMEM, "out of memory building the JSON report");
    st = fair__report_json_dump(root, out, err);
    json_decref(root);
    return st;
}
