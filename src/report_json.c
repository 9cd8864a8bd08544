/* report_json.c -- the JSON report (docs/json-schema.md), built with jansson. The `results`
 * part depends only on the input, the options and the seed; what varies between runs (paths,
 * command line, threads, time) goes into `run`. No NaN or infinity is ever written: an
 * undefined value is null with a reason. */
#include <jansson.h>
#include <stdint.h>
#include <string.h>
#include "audit_internal.h"
#include "report_internal.h"


/* jansson returns -1 on allocation failure from every setter; one flag catches them all. */
typedef struct {
    int failed;
} jctx;

static json_t *chk(jctx *c, json_t *v)
{
    if (!v) c->failed = 1;
    return v;
}

static void set(jctx *c, json_t *obj, const char *key, json_t *v)
{
    if (!v || !obj || json_object_set_new(obj, key, v) != 0) c->failed = 1;
}

static void push(jctx *c, json_t *arr, json_t *v)
{
    if (!v || !arr || json_array_append_new(arr, v) != 0) c->failed = 1;
}

static json_t *u64(jctx *c, uint64_t v) { return chk(c, json_integer((json_int_t)v)); }

/* 32 bytes as 64 lower-case hex digits. */
static json_t *hex32(jctx *c, const unsigned char *d)
{
    static const char hex[] = "0123456789abcdef";
    char h[65];
    for (size_t k = 0; k < 32; k++) {
        h[2 * k] = hex[d[k] >> 4];
        h[2 * k + 1] = hex[d[k] & 15u];
    }
    h[64] = '\0';
    return chk(c, json_string(h));
}

/* A JSON string. jansson refuses bytes that are not UTF-8 (json_string() returns NULL, which
 * would read as "out of memory" and lose the whole report), and a file name or a --positive
 * value need not be UTF-8 ("donn\xe9es.csv" from a Latin-1 system). Such a string is written
 * with its bytes from 0x80 as the text \xHH, as error messages show them (csv_ingest.c,
 * excerpt()). Found by tests/fuzz/fuzz_report. */
static json_t *str(jctx *c, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    size_t n, j = 0;
    char *t;
    json_t *v;
    if (!s) return chk(c, json_null());
    n = strlen(s);
    if (fair__utf8_valid((const unsigned char *)s, n)) return chk(c, json_string(s));
    t = n < SIZE_MAX / 4 ? fair__malloc(4 * n + 1) : NULL;
    if (!t) return chk(c, NULL);
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
    return chk(c, v);
}

json_t *fair__json_string(const char *s)
{
    jctx c = {0};
    json_t *v = str(&c, s);
    if (c.failed) {
        json_decref(v);
        return NULL;
    }
    return v;
}

static json_t *pair(jctx *c, double lo, double hi)
{
    json_t *a = chk(c, json_array());
    push(c, a, chk(c, json_real(lo)));
    push(c, a, chk(c, json_real(hi)));
    return a;
}

/* {"value": v} or {"value": null, "reason": "..."} */
static json_t *num(jctx *c, const fair__num *n)
{
    json_t *o = chk(c, json_object());
    if (n->defined) {
        set(c, o, "value", chk(c, json_real(n->value)));
    } else {
        set(c, o, "value", chk(c, json_null()));
        set(c, o, "reason", str(c, n->reason));
    }
    return o;
}

/* Adds a bootstrap interval set to `intervals`; returns the primary bootstrap interval or NULL. */
static const fair__ci *boot_intervals(jctx *c, json_t *m, json_t *iv, const fair__boot *bt,
                                      const fair_audit_options *o, const char **method)
{
    const fair__ci *primary = NULL;
    json_t *info;
    if (!bt->computed) return NULL;
    if (bt->pct.ok) set(c, iv, "percentile", pair(c, bt->pct.lo, bt->pct.hi));
    if (bt->bca.ok) set(c, iv, "bca", pair(c, bt->bca.lo, bt->bca.hi));
    info = chk(c, json_object());
    set(c, info, "replicates", u64(c, o->bootstrap));
    set(c, info, "undefined_replicates", u64(c, bt->undefined));
    if (!bt->bca.ok && bt->bca_reason) set(c, info, "bca_reason", str(c, bt->bca_reason));
    set(c, m, "bootstrap", info);
    if (o->boot_ci == FAIR_BOOT_CI_BCA && bt->bca.ok) {
        primary = &bt->bca;
        *method = "bca";
    } else if (bt->pct.ok) {
        primary = &bt->pct;
        *method = "percentile";
    }
    return primary;
}

static void set_primary(jctx *c, json_t *m, const fair__ci *ci, const char *method)
{
    set(c, m, "ci_low", chk(c, json_real(ci->lo)));
    set(c, m, "ci_high", chk(c, json_real(ci->hi)));
    set(c, m, "ci_method", str(c, method));
}

static json_t *metric(jctx *c, const fair__group *gr, size_t k, const fair_audit_options *o)
{
    const fair_metric_value *v = &gr->m[k];
    const fair__ci *analytic = o->interval == FAIR_INTERVAL_CLOPPER_PEARSON ? &gr->cp[k] : &gr->wilson[k];
    const fair__ci *boot;
    const char *bmethod = NULL, *why;
    json_t *m = chk(c, json_object()), *iv;
    if (!v->defined) {
        set(c, m, "value", chk(c, json_null()));
        set(c, m, "reason", str(c, v->reason));
        return m;
    }
    set(c, m, "value", chk(c, json_real(v->value)));
    iv = chk(c, json_object());
    if (gr->wilson[k].ok) set(c, iv, "wilson", pair(c, gr->wilson[k].lo, gr->wilson[k].hi));
    if (gr->cp[k].ok) set(c, iv, "clopper_pearson", pair(c, gr->cp[k].lo, gr->cp[k].hi));
    boot = boot_intervals(c, m, iv, &gr->boot_m[k], o, &bmethod);
    why = fair__unreliable(gr, k);
    /* As in the text report: an untrustworthy bootstrap interval is not the primary one. */
    if (boot && !why) set_primary(c, m, boot, bmethod);
    else if (analytic->ok) set_primary(c, m, analytic, fair__interval_name(o->interval));
    if (json_object_size(iv)) set(c, m, "intervals", iv);
    else json_decref(iv);
    if (gr->boot_m[k].computed) set(c, m, "unreliable", chk(c, json_boolean(why != NULL)));
    if (why) set(c, m, "unreliable_reason", str(c, why));
    return m;
}

static json_t *cmp(jctx *c, const fair__cmp *x, const fair__boot *bt, const char *method,
                   const fair_audit_options *o)
{
    json_t *m = num(c, &x->est), *iv;
    const fair__ci *boot;
    const char *bmethod = NULL;
    if (!x->est.defined) return m;
    iv = chk(c, json_object());
    if (x->ci.ok) set(c, iv, method, pair(c, x->ci.lo, x->ci.hi));
    boot = boot_intervals(c, m, iv, bt, o, &bmethod);
    if (boot) set_primary(c, m, boot, bmethod);
    else if (x->ci.ok) set_primary(c, m, &x->ci, method);
    if (json_object_size(iv)) set(c, m, "intervals", iv);
    else json_decref(iv);
    return m;
}

/* The score section of a group: metrics, recalibration details, reliability curve. */
static json_t *score_json(jctx *c, const fair__group *gr, const fair_audit_options *o)
{
    const fair_score_metrics *sm = &gr->sm;
    json_t *j = chk(c, json_object()), *m = chk(c, json_object()), *rel = chk(c, json_array());
    set(c, j, "distinct_scores", u64(c, gr->hist.count));
    set(c, j, "rounded_to_grid", chk(c, json_boolean(gr->hist.quantized)));
    if (gr->hist.quantized) {
        /* What rounding to the grid can change (docs/metrics.md): AUC only through pairs of a
         * positive and a negative now tied in one cell, each by at most 1/2; the Brier score by
         * at most one step, as |d(s - y)^2 / ds| <= 2 and scores move by half a step at most. */
        const double step = (o->score_max - o->score_min) / FAIR__SCORE_GRID;
        double pos = 0, neg = 0, tied = 0;
        json_t *b = chk(c, json_object());
        for (size_t i = 0; i < gr->hist.count; i++) {
            double k0 = (double)(gr->hist.n[i][0] + gr->hist.n[i][1]);
            double k1 = (double)(gr->hist.n[i][2] + gr->hist.n[i][3]);
            pos += k1;
            neg += k0;
            tied += k0 * k1;
        }
        set(c, j, "grid_step", chk(c, json_real(step)));
        set(c, b, "auc", pos > 0 && neg > 0 ? chk(c, json_real(0.5 * tied / (pos * neg))) : chk(c, json_null()));
        if (gr->sm.m[FAIR_SCORE_BRIER].defined) set(c, b, "brier", chk(c, json_real(step)));
        set(c, b, "ece_mce", str(c, "rows within half a grid step of a bin edge may change bins"));
        set(c, j, "rounding_bounds", b);
    }
    for (size_t k = 0; k < FAIR_SCORE_METRIC_COUNT; k++) {
        fair__cmp x = {{sm->m[k].defined, sm->m[k].value, sm->m[k].reason}, {0, 0, 0}};
        set(c, m, fair_score_metric_name((fair_score_metric_id)k),
            cmp(c, &x, &gr->boot_score[k], "none", o));
    }
    if (sm->m[FAIR_SCORE_SLOPE].defined) {
        json_t *se = chk(c, json_object());
        set(c, se, "calibration_slope", chk(c, json_real(sm->slope_se)));
        set(c, se, "calibration_intercept", chk(c, json_real(sm->intercept_se)));
        set(c, j, "standard_errors", se);
    }
    if (sm->m[FAIR_SCORE_HL_STAT].defined) set(c, j, "hosmer_lemeshow_df", chk(c, json_real(sm->hl_df)));
    set(c, j, "metrics", m);
    for (size_t b = 0; b < sm->n_bins; b++) {
        const fair_reliability_bin *rb = &gr->reliability[b];
        json_t *e = chk(c, json_object());
        set(c, e, "lo", chk(c, json_real(rb->lo)));
        set(c, e, "hi", chk(c, json_real(rb->hi)));
        set(c, e, "n", u64(c, rb->n));
        set(c, e, "positives", u64(c, rb->positives));
        set(c, e, "mean_score", rb->n ? chk(c, json_real(rb->mean_score)) : chk(c, json_null()));
        set(c, e, "observed_rate", rb->n ? chk(c, json_real(rb->observed)) : chk(c, json_null()));
        if (rb->wilson_ok) set(c, e, "wilson", pair(c, rb->wilson_lo, rb->wilson_hi));
        push(c, rel, e);
    }
    set(c, j, "reliability", rel);
    return j;
}

static json_t *group_json(jctx *c, const fair__attr *at, size_t g, const fair_audit_options *o)
{
    const fair__group *gr = &at->groups[g];
    json_t *j = chk(c, json_object()), *counts, *metrics, *vs;
    set(c, j, "group", str(c, gr->label));
    if (gr->parts) {
        json_t *vals = chk(c, json_array());
        for (size_t k = 0; k < gr->n_parts; k++) push(c, vals, str(c, gr->parts[k]));
        set(c, j, "values", vals);
    }
    set(c, j, "suppressed", chk(c, json_boolean(gr->suppressed)));
    if (gr->suppressed) {
        set(c, j, "n", chk(c, json_null()));
        set(c, j, "reason", str(c, "fewer rows than the disclosure limit (--suppress-below)"));
        return j;
    }
    set(c, j, "n", u64(c, gr->n));
    set(c, j, "is_reference", chk(c, json_boolean(g == at->ref)));
    set(c, j, "too_small", chk(c, json_boolean(gr->too_small)));
    counts = chk(c, json_object());
    set(c, counts, "tp", u64(c, gr->c.tp));
    set(c, counts, "fp", u64(c, gr->c.fp));
    set(c, counts, "tn", u64(c, gr->c.tn));
    set(c, counts, "fn", u64(c, gr->c.fn));
    set(c, j, "counts", counts);
    metrics = chk(c, json_object());
    for (size_t k = 0; k < FAIR_METRIC_COUNT; k++)
        set(c, metrics, fair_metric_name((fair_metric_id)k), metric(c, gr, k, o));
    set(c, j, "metrics", metrics);
    if (gr->has_hist) set(c, j, "score", score_json(c, gr, o));
    if (g == at->ref) return j;
    vs = chk(c, json_object());
    for (size_t k = 0; k < FAIR_METRIC_COUNT; k++) {
        json_t *e = chk(c, json_object());
        set(c, e, "ratio", cmp(c, &gr->ratio[k], &gr->boot_ratio[k], "katz_log", o));
        set(c, e, "difference", cmp(c, &gr->diff[k], &gr->boot_diff[k], "newcombe", o));
        for (size_t t = 0; t < FAIR__N_TESTED; t++) {
            const fair__ztest *zt = &gr->test[t];
            json_t *test;
            if (fair__tested_metrics[t] != (fair_metric_id)k) continue;
            test = chk(c, json_object());
            set(c, test, "method", str(c, "two_proportion_z"));
            if (zt->p.defined) {
                set(c, test, "z", chk(c, json_real(zt->z.value)));
                set(c, test, "p", chk(c, json_real(zt->p.value)));
                set(c, test, "p_adjusted", zt->p_adj.defined ? chk(c, json_real(zt->p_adj.value)) : chk(c, json_null()));
            } else {
                set(c, test, "p", chk(c, json_null()));
                set(c, test, "reason", str(c, zt->p.reason));
            }
            set(c, e, "test", test);
        }
        set(c, vs, fair_metric_name((fair_metric_id)k), e);
    }
    set(c, j, "vs_reference", vs);
    return j;
}

static json_t *attr_json(jctx *c, const fair_audit *a, const fair__attr *at)
{
    json_t *j = chk(c, json_object()), *groups, *summary, *tests, *cols;
    set(c, j, "attribute", str(c, at->name));
    cols = chk(c, json_array());
    if (at->n_cols == 1) {
        push(c, cols, str(c, at->name));
    } else {
        for (size_t k = 0; k < a->opt.n_group_cols; k++) push(c, cols, str(c, a->group_cols[k]));
    }
    set(c, j, "columns", cols);
    set(c, j, "reference", str(c, at->groups[at->ref].label));
    set(c, j, "reference_rule", str(c, at->ref_rule));
    groups = chk(c, json_array());
    for (size_t g = 0; g < at->n_groups; g++) push(c, groups, group_json(c, at, g, &a->opt));
    set(c, j, "groups", groups);
    summary = chk(c, json_object());
    set(c, summary, "groups_compared", u64(c, at->summary_groups));
    for (size_t k = 0; k < FAIR__SUM_COUNT; k++) {
        fair__cmp x = {at->summary[k], {0, 0, 0}};
        json_t *sm = cmp(c, &x, &at->boot_summary[k], "none", &a->opt);
        if (at->summary[k].defined && at->boot_summary[k].computed && k != FAIR__SUM_AOD)
            set(c, sm, "note", str(c, "a gap between the most and the least favoured group is "
                                      "biased away from no difference (0 for a difference, 1 for "
                                      "a ratio): its interval can exclude that value, and even the "
                                      "estimate, when the groups do not differ; whether they differ "
                                      "is what independence_tests and vs_reference say"));
        set(c, summary, fair__summary_names[k], sm);
    }
    set(c, j, "summary", summary);
    tests = chk(c, json_object());
    for (size_t k = 0; k < FAIR__N_INDEP; k++) {
        const fair__indep *ind = &at->indep[k];
        json_t *t = chk(c, json_object());
        set(c, t, "chi_square", num(c, &ind->stat));
        set(c, t, "df", num(c, &ind->df));
        set(c, t, "p", num(c, &ind->p));
        set(c, t, "fisher_exact_p", num(c, &ind->fisher_p));
        set(c, tests, ind->name, t);
    }
    set(c, j, "independence_tests", tests);
    if (at->n_thresholds) {
        json_t *arr = chk(c, json_array());
        for (size_t t = 0; t < at->n_thresholds; t++) {
            json_t *op = attr_json(c, a, &at->at_threshold[t]);
            set(c, op, "threshold", chk(c, json_real(at->thresholds[t])));
            push(c, arr, op);
        }
        set(c, j, "at_thresholds", arr);
    }
    if (at->top) {
        json_t *op = attr_json(c, a, at->top);
        set(c, op, "requested", u64(c, a->top_requested));
        set(c, op, "selected", u64(c, a->top_selected));
        set(c, op, "cut_score", chk(c, json_real(a->top_cut)));
        set(c, op, "tie_rule", str(c, "every row whose score equals the cut is selected, so "
                                      "'selected' can exceed 'requested'"));
        set(c, j, "top_k", op);
    }
    return j;
}

static json_t *options_json(jctx *c, const fair_audit *a)
{
    const fair_audit_options *o = &a->opt;
    json_t *j = chk(c, json_object()), *groups = chk(c, json_array());
    char d[2] = {a->delim, '\0'};
    for (size_t k = 0; k < o->n_group_cols; k++) push(c, groups, str(c, a->group_cols[k]));
    set(c, j, "group_columns", groups);
    set(c, j, "label_column", str(c, o->label_col));
    set(c, j, "prediction_column", str(c, o->pred_col));
    set(c, j, "score_column", str(c, o->score_col));
    set(c, j, "threshold", o->use_threshold ? chk(c, json_real(o->threshold)) : chk(c, json_null()));
    set(c, j, "label_positive", str(c, o->label_positive));
    set(c, j, "prediction_positive", str(c, o->pred_positive));
    set(c, j, "delimiter", str(c, d));
    set(c, j, "decimal_comma", chk(c, json_boolean(a->comma_decimal)));
    set(c, j, "score_range", pair(c, o->score_min, o->score_max));
    set(c, j, "calibration_bins", u64(c, o->calibration_bins));
    set(c, j, "binning", str(c, o->quantile_binning ? "quantile" : "uniform"));
    set(c, j, "max_distinct_scores", u64(c, o->max_distinct_scores));
    set(c, j, "strict", chk(c, json_boolean(o->strict)));
    set(c, j, "intersect", chk(c, json_boolean(o->intersect)));
    set(c, j, "reference_rule", str(c, o->reference_rule == FAIR_REFERENCE_BEST ? "best" : "largest"));
    set(c, j, "favourable_selection", chk(c, json_boolean(o->favourable)));
    set(c, j, "min_group_size", u64(c, o->min_group_size));
    set(c, j, "suppress_below", u64(c, o->suppress_below));
    set(c, j, "ci_level", chk(c, json_real(o->ci_level)));
    set(c, j, "interval", str(c, fair__interval_name(o->interval)));
    set(c, j, "p_adjust", str(c, fair_p_adjust_name(o->p_adjust)));
    set(c, j, "p_adjust_family", str(c, "per attribute: every group's z tests against the reference"));
    {
        json_t *b = chk(c, json_object());
        set(c, b, "replicates", u64(c, o->bootstrap));
        set(c, b, "seed", u64(c, o->seed));
        set(c, b, "scheme", str(c, o->boot_scheme == FAIR_BOOT_SIMPLE ? "simple" : "stratified"));
        set(c, b, "primary_interval", str(c, o->boot_ci == FAIR_BOOT_CI_BCA ? "bca" : "percentile"));
        set(c, b, "rng", str(c, FAIR_RNG_NAME));
        set(c, j, "bootstrap", b);
    }
    return j;
}

static json_t *build(const fair_audit *a, const fair_report_run *run, jctx *c)
{
    json_t *root = chk(c, json_object()), *tool, *results, *input, *rows, *skipped, *attrs, *r;
    uint64_t total = 0;
    set(c, root, "schema_version", chk(c, json_integer(FAIR__JSON_SCHEMA_VERSION)));
    set(c, root, "kind", str(c, "audit"));
    tool = chk(c, json_object());
    set(c, tool, "name", str(c, "fairaudit"));
    set(c, tool, "version", str(c, fair_version_string()));
    set(c, root, "tool", tool);

    results = chk(c, json_object());
    set(c, results, "kind", str(c, "classification_audit"));
    input = chk(c, json_object());
    set(c, input, "bytes", u64(c, a->input_bytes));
    /* The input's SHA-256; merged states of several inputs list theirs under "shards". */
    if (!a->n_shards) set(c, input, "sha256", hex32(c, a->input_sha256));
    set(c, input, "compression", str(c, a->gzip == 2 ? "mixed" : a->gzip ? "gzip" : "none"));
    if (a->n_shards) { /* merged partial states of several inputs: their sizes, in order */
        json_t *sh = chk(c, json_array());
        for (size_t i = 0; i < a->n_shards; i++) {
            json_t *one = chk(c, json_object());
            set(c, one, "bytes", u64(c, a->shards[i].bytes));
            if (a->shards[i].has_sha256) set(c, one, "sha256", hex32(c, a->shards[i].sha256));
            set(c, one, "compression", str(c, a->shards[i].gzip ? "gzip" : "none"));
            push(c, sh, one);
        }
        set(c, input, "shards", sh);
    }
    set(c, results, "input", input);
    set(c, results, "options", options_json(c, a));
    rows = chk(c, json_object());
    set(c, rows, "read", u64(c, a->rows_read));
    set(c, rows, "used", u64(c, a->rows_used));
    skipped = chk(c, json_object());
    for (size_t k = 0; k < FAIR_SKIP_COUNT; k++) total += a->skipped[k];
    set(c, skipped, "total", u64(c, total));
    for (size_t k = 0; k < FAIR_SKIP_COUNT; k++)
        set(c, skipped, fair_skip_name((fair_skip_reason)k), u64(c, a->skipped[k]));
    set(c, rows, "skipped", skipped);
    if (a->opt.suppress_below > 0)
        set(c, rows, "disclosure_note",
            str(c, "row totals, the tests across groups and the marginal groups include the rows of "
                   "suppressed groups; a suppressed group's size can be recovered by subtraction"));
    set(c, results, "rows", rows);
    attrs = chk(c, json_array());
    for (size_t i = 0; i < a->n_attrs; i++) push(c, attrs, attr_json(c, a, &a->attrs[i]));
    set(c, results, "attributes", attrs);
    set(c, root, "results", results);

    r = chk(c, json_object());
    set(c, r, "input_path", str(c, a->input_name));
    if (a->n_shards) {
        json_t *paths = chk(c, json_array());
        for (size_t i = 0; i < a->n_shards; i++) push(c, paths, str(c, a->shards[i].name));
        set(c, r, "input_paths", paths);
    }
    set(c, r, "command_line", str(c, run ? run->command_line : NULL));
    set(c, r, "timestamp", str(c, run ? run->timestamp : NULL));
    set(c, r, "threads_requested", a->opt.n_threads ? u64(c, a->opt.n_threads) : str(c, "all cores"));
    set(c, r, "parse_threads", u64(c, a->threads_used));
    set(c, root, "run", r);
    return root;
}

json_t *fair__report_json_tree(const fair_audit *a, const fair_report_run *run)
{
    jctx c = {0};
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
