/* report_ratio.c -- the report of a ratio study: a jansson tree (docs/json-schema.md, "Ratio
 * study"), dumped as JSON, and an aligned text report. Each statistic is shown beside its IAAO
 * range as information only; the exit code never depends on it. */
#include <jansson.h>
#include <math.h>
#include <string.h>
#include "ratio_internal.h"
#include "report_internal.h"



static json_t *u64(fair__jctx *c, uint64_t v) { return fair__jchk(c, json_integer((json_int_t)v)); }
static json_t *real(fair__jctx *c, double v) { return fair__jchk(c, isfinite(v) ? json_real(v) : json_null()); }
static json_t *str(fair__jctx *c, const char *s) { return fair__jchk(c, fair__json_string(s)); }

static json_t *pair(fair__jctx *c, double lo, double hi)
{
    json_t *a = fair__jchk(c, json_array());
    fair__jpush(c, a, real(c, lo));
    fair__jpush(c, a, real(c, hi));
    return a;
}

/* The IAAO range of statistic f, or NULL when it has none. */
static const fair_ratio_range *range_of(const fair_ratio_options *o, size_t f)
{
    switch (f) {
    case FAIR_RATIO_MEDIAN: return &o->range_median;
    case FAIR_RATIO_COD: return &o->range_cod;
    case FAIR_RATIO_PRD: return &o->range_prd;
    case FAIR_RATIO_PRB: return &o->range_prb;
    case FAIR_RATIO_MKI: return &o->range_mki;
    case FAIR_RATIO_VEI: return &o->range_vei;
    default: return NULL;
    }
}

/* {value, ci_low, ci_high, ci_method, intervals, bootstrap, iaao_range, within_range}, or
 * {value: null, reason}. The primary interval: the IAAO order-statistic interval for the
 * median, the OLS t interval for the PRB, the bootstrap percentile interval for the others. */
static json_t *stat_json(fair__jctx *c, const fair_ratio *r, const fair__rset *rs, size_t f)
{
    const fair__num *v = &rs->st[f];
    const fair__boot *bt = &rs->boot[f];
    const fair__ci *primary = NULL;
    const fair_ratio_range *rg = range_of(&r->opt, f);
    const char *method = NULL;
    json_t *m = fair__jchk(c, json_object()), *iv;
    if (!v->defined) {
        fair__jset(c, m, "value", fair__jchk(c, json_null()));
        fair__jset(c, m, "reason", str(c, v->reason));
        return m;
    }
    fair__jset(c, m, "value", real(c, v->value));
    iv = fair__jchk(c, json_object());
    if (f == FAIR_RATIO_MEDIAN && rs->median_rank.ok) {
        json_t *ranks = fair__jchk(c, json_array());
        fair__jset(c, iv, "iaao_rank", pair(c, rs->median_rank.lo, rs->median_rank.hi));
        fair__jpush(c, ranks, u64(c, rs->rank_lo));
        fair__jpush(c, ranks, u64(c, rs->rank_hi));
        fair__jset(c, m, "iaao_rank_order", ranks);
        primary = &rs->median_rank;
        method = "iaao_rank";
    }
    if (f == FAIR_RATIO_PRB && rs->prb_ols.ok) {
        fair__jset(c, iv, "ols_t", pair(c, rs->prb_ols.lo, rs->prb_ols.hi));
        primary = &rs->prb_ols;
        method = "ols_t";
    }
    if (bt->computed) {
        json_t *info = fair__jchk(c, json_object());
        if (bt->pct.ok) fair__jset(c, iv, "percentile", pair(c, bt->pct.lo, bt->pct.hi));
        fair__jset(c, info, "replicates", u64(c, r->opt.bootstrap));
        fair__jset(c, info, "undefined_replicates", u64(c, bt->undefined));
        fair__jset(c, m, "bootstrap", info);
        if (!primary && bt->pct.ok) {
            primary = &bt->pct;
            method = "percentile";
        }
    }
    if (primary) {
        fair__jset(c, m, "ci_low", real(c, primary->lo));
        fair__jset(c, m, "ci_high", real(c, primary->hi));
        fair__jset(c, m, "ci_method", str(c, method));
    }
    if (json_object_size(iv)) fair__jset(c, m, "intervals", iv);
    else json_decref(iv);
    if (rg) {
        fair__jset(c, m, "iaao_range", pair(c, rg->lo, rg->hi));
        fair__jset(c, m, "within_range", fair__jchk(c, json_boolean(v->value >= rg->lo && v->value <= rg->hi)));
    }
    return m;
}

static json_t *num_json(fair__jctx *c, const fair__num *n)
{
    json_t *o = fair__jchk(c, json_object());
    if (n->defined) {
        fair__jset(c, o, "value", real(c, n->value));
    } else {
        fair__jset(c, o, "value", fair__jchk(c, json_null()));
        fair__jset(c, o, "reason", str(c, n->reason));
    }
    return o;
}

static json_t *set_json(fair__jctx *c, const fair_ratio *r, const fair__rset *rs, const char *key)
{
    json_t *o = fair__jchk(c, json_object()), *m = fair__jchk(c, json_object()), *e = fair__jchk(c, json_object());
    json_t *ch = fair__jchk(c, json_object());
    fair__jset(c, o, key, str(c, rs->label));
    fair__jset(c, o, "n", u64(c, rs->n));
    fair__jset(c, o, "trimmed", u64(c, rs->trimmed));
    fair__jset(c, o, "too_small", fair__jchk(c, json_boolean(rs->too_small)));
    for (size_t f = 0; f < FAIR_RATIO_STAT_COUNT; f++)
        fair__jset(c, m, fair__ratio_stat_names[f], stat_json(c, r, rs, f));
    fair__jset(c, o, "metrics", m);
    for (size_t k = 0; k < FAIR__RERR_COUNT; k++) fair__jset(c, e, fair__ratio_err_names[k], num_json(c, &rs->err[k]));
    fair__jset(c, o, "errors", e);
    fair__jset(c, ch, "band_share", real(c, rs->chasing.band_share));
    fair__jset(c, ch, "largest_jump", real(c, rs->chasing.max_jump));
    fair__jset(c, ch, "jump_at", real(c, rs->chasing.jump_at));
    fair__jset(c, ch, "flagged", fair__jchk(c, json_boolean(rs->chasing.flagged)));
    fair__jset(c, o, "sales_chasing", ch);
    return o;
}

static const char *trim_name(fair_ratio_trim t)
{
    switch (t) {
    case FAIR_RATIO_TRIM_IQR15: return "iqr1.5";
    case FAIR_RATIO_TRIM_IQR3: return "iqr3";
    case FAIR_RATIO_TRIM_P5P95: return "p5p95";
    default: return "none";
    }
}

static json_t *options_json(fair__jctx *c, const fair_ratio *r)
{
    const fair_ratio_options *o = &r->opt;
    json_t *j = fair__jchk(c, json_object()), *g = fair__jchk(c, json_array()), *b, *rg = fair__jchk(c, json_object());
    json_t *ch = fair__jchk(c, json_object());
    fair__jset(c, j, "assessed", str(c, o->assessed_col));
    fair__jset(c, j, "sale_price", str(c, o->sale_col));
    for (size_t i = 0; i < o->n_group_cols; i++) fair__jpush(c, g, str(c, o->group_cols[i]));
    fair__jset(c, j, "groups", g);
    fair__jset(c, j, "quantiles", u64(c, o->quantiles));
    fair__jset(c, j, "strata_basis", str(c, o->strata == FAIR_RATIO_STRATA_SALE ? "sale_price" : "value_proxy"));
    fair__jset(c, j, "trim", str(c, trim_name(o->trim)));
    fair__jset(c, j, "ci_level", real(c, o->ci_level));
    fair__jset(c, j, "min_group_size", u64(c, o->min_group_size));
    fair__jset(c, j, "delimiter", fair__jchk(c, json_stringn(&r->delim, 1)));
    fair__jset(c, j, "decimal_comma", fair__jchk(c, json_boolean(r->comma_decimal)));
    b = fair__jchk(c, json_object());
    fair__jset(c, b, "replicates", u64(c, o->bootstrap));
    fair__jset(c, b, "seed", u64(c, o->seed));
    fair__jset(c, b, "scheme", str(c, o->boot_scheme == FAIR_BOOT_SIMPLE ? "simple" : "stratified"));
    fair__jset(c, b, "primary_interval", str(c, "percentile"));
    fair__jset(c, b, "rng", str(c, FAIR_RNG_NAME));
    fair__jset(c, j, "bootstrap", b);
    for (size_t f = 0; f < FAIR_RATIO_STAT_COUNT; f++) {
        const fair_ratio_range *x = range_of(o, f);
        if (x) fair__jset(c, rg, fair__ratio_stat_names[f], pair(c, x->lo, x->hi));
    }
    fair__jset(c, j, "iaao_ranges", rg);
    fair__jset(c, ch, "band", real(c, o->chasing_band));
    fair__jset(c, ch, "gap", real(c, o->chasing_gap));
    fair__jset(c, j, "sales_chasing", ch);
    return j;
}

static json_t *build(const fair_ratio *r, const fair_report_run *run, fair__jctx *c)
{
    json_t *root = fair__jchk(c, json_object()), *tool = fair__jchk(c, json_object()), *res = fair__jchk(c, json_object());
    json_t *in = fair__jchk(c, json_object()), *rows = fair__jchk(c, json_object()), *sk = fair__jchk(c, json_object());
    json_t *attrs = fair__jchk(c, json_array()), *strata = fair__jchk(c, json_object()), *sg = fair__jchk(c, json_array());
    uint64_t total = 0;
    fair__jset(c, root, "schema_version", u64(c, FAIR__JSON_SCHEMA_VERSION));
    fair__jset(c, root, "kind", str(c, "ratio"));
    fair__jset(c, tool, "name", str(c, "fairaudit"));
    fair__jset(c, tool, "version", str(c, fair_version_string()));
    fair__jset(c, root, "tool", tool);

    fair__jset(c, res, "kind", str(c, "ratio_study"));
    fair__jset(c, in, "bytes", u64(c, r->input_bytes));
    /* merged partial states: the sum of the shards' sizes, "mixed" compression (gzip == 2) */
    fair__jset(c, in, "compression", str(c, r->gzip == 2 ? "mixed" : r->gzip ? "gzip" : "none"));
    fair__jset(c, res, "input", in);
    fair__jset(c, res, "options", options_json(c, r));
    for (size_t k = 0; k < FAIR_SKIP_COUNT; k++) total += r->skipped[k];
    for (size_t k = 0; k < FAIR_RATIO_SKIP_COUNT; k++) total += r->vskipped[k];
    fair__jset(c, rows, "read", u64(c, r->rows_read));
    fair__jset(c, rows, "used", u64(c, r->sales));
    fair__jset(c, sk, "total", u64(c, total));
    fair__jset(c, sk, fair_skip_name(FAIR_SKIP_WRONG_FIELD_COUNT), u64(c, r->skipped[FAIR_SKIP_WRONG_FIELD_COUNT]));
    fair__jset(c, sk, fair_skip_name(FAIR_SKIP_MISSING_GROUP), u64(c, r->skipped[FAIR_SKIP_MISSING_GROUP]));
    for (size_t k = 0; k < FAIR_RATIO_SKIP_COUNT; k++)
        fair__jset(c, sk, fair_ratio_skip_name((fair_ratio_skip_reason)k), u64(c, r->vskipped[k]));
    fair__jset(c, rows, "skipped", sk);
    fair__jset(c, rows, "trimmed", u64(c, r->trimmed));
    if (r->opt.trim != FAIR_RATIO_TRIM_NONE) fair__jset(c, rows, "trim_bounds", pair(c, r->trim_lo, r->trim_hi));
    fair__jset(c, res, "rows", rows);
    fair__jset(c, res, "overall", set_json(c, r, &r->all, "group"));
    for (size_t j = 0; j < r->n_attrs; j++) {
        const fair__rattr *at = &r->attrs[j];
        json_t *a = fair__jchk(c, json_object()), *gs = fair__jchk(c, json_array()), *kw = fair__jchk(c, json_object());
        fair__jset(c, a, "attribute", str(c, at->name));
        fair__jset(c, a, "reference", str(c, at->groups[at->ref].label));
        fair__jset(c, a, "reference_rule", str(c, at->ref_rule));
        for (size_t g = 0; g < at->n_groups; g++) {
            const fair__rset *x = &at->groups[g];
            json_t *o = set_json(c, r, x, "group"), *vs = fair__jchk(c, json_object());
            json_t *d = num_json(c, &x->median_diff), *mr = fair__jchk(c, json_object());
            if (x->median_diff.defined && x->boot_median_diff.computed) {
                json_t *info = fair__jchk(c, json_object());
                if (x->boot_median_diff.pct.ok) {
                    fair__jset(c, d, "ci_low", real(c, x->boot_median_diff.pct.lo));
                    fair__jset(c, d, "ci_high", real(c, x->boot_median_diff.pct.hi));
                    fair__jset(c, d, "ci_method", str(c, "percentile"));
                }
                fair__jset(c, info, "replicates", u64(c, r->opt.bootstrap));
                fair__jset(c, info, "undefined_replicates", u64(c, x->boot_median_diff.undefined));
                fair__jset(c, d, "bootstrap", info);
            }
            fair__jset(c, mr, "difference", d);
            fair__jset(c, vs, "median_ratio", mr);
            fair__jset(c, o, "vs_reference", vs);
            fair__jpush(c, gs, o);
        }
        fair__jset(c, a, "groups", gs);
        fair__jset(c, kw, "statistic", num_json(c, &at->kw_h));
        fair__jset(c, kw, "df", num_json(c, &at->kw_df));
        fair__jset(c, kw, "p_value", num_json(c, &at->kw_p));
        fair__jset(c, a, "kruskal_wallis", kw);
        fair__jpush(c, attrs, a);
    }
    fair__jset(c, res, "attributes", attrs);
    fair__jset(c, strata, "basis", str(c, r->opt.strata == FAIR_RATIO_STRATA_SALE ? "sale_price" : "value_proxy"));
    for (size_t q = 0; q < r->n_strata; q++) {
        json_t *o = set_json(c, r, &r->strata[q], "stratum");
        fair__jset(c, o, "range", pair(c, r->strata[q].lo, r->strata[q].hi));
        fair__jpush(c, sg, o);
    }
    fair__jset(c, strata, "groups", sg);
    fair__jset(c, res, "strata", strata);
    fair__jset(c, root, "results", res);

    {
        json_t *paths = NULL; /* merged partial states of several inputs: their paths */
        if (r->n_shards) {
            paths = fair__jchk(c, json_array());
            for (size_t i = 0; i < r->n_shards; i++) fair__jpush(c, paths, str(c, r->shards[i]));
        }
        fair__jset(c, root, "run", fair__run_json(c, r->input_name, paths, run, r->opt.n_threads, r->threads_used));
    }
    return root;
}

json_t *fair__ratio_doc(const fair_ratio *r, const fair_report_run *run)
{
    fair__jctx c = {0};
    json_t *root = build(r, run, &c);
    if (c.failed) {
        json_decref(root);
        return NULL;
    }
    return root;
}

static fair_status ratio_json(const fair_ratio *r, const fair_report_run *run, FILE *out,
                              fair_error *err)
{
    json_t *root = fair__ratio_doc(r, run);
    int rc;
    if (!root) return fair__fail(err, FAIR_ENOMEM, "out of memory building the JSON report");
    rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    json_decref(root);
    if (rc != 0 && !ferror(out))
        return fair__fail(err, FAIR_ENOMEM, "out of memory writing the JSON report");
    if (rc != 0 || fputc('\n', out) == EOF) return fair__fail(err, FAIR_EIO, "cannot write the JSON report");
    return FAIR_OK;
}

/* ---- text ---- */

/* A value in a cell of `width` with `prec` decimals (a leading blank when `gap`), or n/a. */
static void cellv(FILE *out, const fair__num *v, int gap, int width, int prec)
{
    if (gap) fputc(' ', out);
    if (v->defined) fprintf(out, "%*.*f", width, prec, v->value);
    else fprintf(out, "%*s", width, "n/a");
}

static void row(FILE *out, const fair__rset *rs)
{
    char lab[24];
    fair__snprintf(lab, sizeof lab, "%s", rs->label);
    for (char *p = lab; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f) *p = '?';
    fprintf(out, "  %-16s %8llu", lab, (unsigned long long)rs->n);
    cellv(out, &rs->st[FAIR_RATIO_MEDIAN], 1, 8, 4);
    if (rs->st[FAIR_RATIO_MEDIAN].defined && rs->median_rank.ok)
        fprintf(out, " [%.3f, %.3f]", rs->median_rank.lo, rs->median_rank.hi);
    else
        fprintf(out, " %16s", "");
    cellv(out, &rs->st[FAIR_RATIO_COD], 1, 7, 2);
    cellv(out, &rs->st[FAIR_RATIO_PRD], 1, 6, 3);
    cellv(out, &rs->st[FAIR_RATIO_PRB], 1, 7, 3);
    cellv(out, &rs->st[FAIR_RATIO_MKI], 1, 6, 3);
    cellv(out, &rs->st[FAIR_RATIO_VEI], 1, 6, 1);
    if (rs->too_small) fputs("  small", out);
    if (rs->chasing.flagged) fputs("  chasing?", out);
    fputc('\n', out);
}

static void header(FILE *out, const char *what)
{
    fprintf(out, "  %-16s %8s %8s %17s %7s %6s %7s %6s %6s\n", what, "n", "median", "(IAAO CI)", "COD",
            "PRD", "PRB", "MKI", "VEI");
}

/* "within" / "outside" an IAAO range, or "n/a". */
static const char *verdict(const fair__num *v, const fair_ratio_range *rg)
{
    if (!v->defined) return "n/a";
    return v->value >= rg->lo && v->value <= rg->hi ? "within" : "OUTSIDE";
}

fair_status fair__ratio_text(const fair_ratio *r, const fair_report_run *run, FILE *out,
                             fair_error *err)
{
    const fair_ratio_options *o = &r->opt;
    const fair__rset *all = &r->all;
    uint64_t skipped = 0;
    (void)run;
    for (size_t k = 0; k < FAIR_SKIP_COUNT; k++) skipped += r->skipped[k];
    for (size_t k = 0; k < FAIR_RATIO_SKIP_COUNT; k++) skipped += r->vskipped[k];
    fputs("fairaudit ratio study\n", out);
    fputs("input:      ", out);
    fair__put_clean(out, r->input_name);
    fprintf(out, "%s\n", r->gzip ? " (gzip)" : "");
    fprintf(out, "rows:       %llu read, %llu sales used, %llu skipped\n",
            (unsigned long long)r->rows_read, (unsigned long long)r->sales, (unsigned long long)skipped);
    for (size_t k = 0; k < FAIR_SKIP_COUNT; k++)
        if (r->skipped[k])
            fprintf(out, "  skipped:  %llu %s\n", (unsigned long long)r->skipped[k], fair_skip_text((fair_skip_reason)k));
    for (size_t k = 0; k < FAIR_RATIO_SKIP_COUNT; k++)
        if (r->vskipped[k])
            fprintf(out, "  skipped:  %llu %s\n", (unsigned long long)r->vskipped[k],
                    fair_ratio_skip_text((fair_ratio_skip_reason)k));
    if (o->trim != FAIR_RATIO_TRIM_NONE)
        fprintf(out, "trimmed:    %llu sales with a ratio outside [%.4f, %.4f] (%s)\n",
                (unsigned long long)r->trimmed, r->trim_lo, r->trim_hi, trim_name(o->trim));
    if (o->bootstrap)
        fprintf(out, "bootstrap:  %llu replicates (%s), seed %llu, %s; %g%% intervals\n",
                (unsigned long long)o->bootstrap, o->boot_scheme == FAIR_BOOT_SIMPLE ? "simple" : "stratified",
                (unsigned long long)o->seed, FAIR_RNG_NAME, 100 * o->ci_level);
    fputs("\nIAAO ranges (information, not a verdict):\n", out);
    {
        static const size_t shown[] = {FAIR_RATIO_MEDIAN, FAIR_RATIO_COD, FAIR_RATIO_PRD, FAIR_RATIO_PRB,
                                       FAIR_RATIO_MKI, FAIR_RATIO_VEI};
        for (size_t i = 0; i < sizeof shown / sizeof *shown; i++) {
            size_t f = shown[i];
            const fair_ratio_range *rg = range_of(o, f);
            const fair__boot *bt = &all->boot[f];
            fprintf(out, "  %-20s ", fair__ratio_stat_names[f]);
            cellv(out, &all->st[f], 0, 9, 4);
            if (f == FAIR_RATIO_PRB && all->prb_ols.ok)
                fprintf(out, "  [%.4f, %.4f] ols", all->prb_ols.lo, all->prb_ols.hi);
            else if (f == FAIR_RATIO_MEDIAN && all->median_rank.ok)
                fprintf(out, "  [%.4f, %.4f] iaao", all->median_rank.lo, all->median_rank.hi);
            else if (bt->computed && bt->pct.ok)
                fprintf(out, "  [%.4f, %.4f] pct", bt->pct.lo, bt->pct.hi);
            else
                fprintf(out, "  %22s", "");
            fprintf(out, "   range %g to %g: %s\n", rg->lo, rg->hi, verdict(&all->st[f], rg));
        }
        fprintf(out, "  %-20s ", "mean_ratio");
        cellv(out, &all->st[FAIR_RATIO_MEAN], 0, 9, 4);
        fputc('\n', out);
        fprintf(out, "  %-20s ", "weighted_mean_ratio");
        cellv(out, &all->st[FAIR_RATIO_WEIGHTED_MEAN], 0, 9, 4);
        fputc('\n', out);
        fprintf(out, "  %-20s ", "ki");
        cellv(out, &all->st[FAIR_RATIO_KI], 0, 9, 4);
        fputc('\n', out);
        fprintf(out, "  errors: mean %.6g, MAE %.6g, MAPE %.3f%%, RMSE %.6g\n",
                all->err[0].defined ? all->err[0].value : NAN, all->err[1].defined ? all->err[1].value : NAN,
                all->err[2].defined ? all->err[2].value : NAN, all->err[3].defined ? all->err[3].value : NAN);
        fprintf(out, "  sales chasing: %.1f%% of ratios within 1 +- %g; largest jump %.1f%% at %.4f%s\n",
                100 * all->chasing.band_share, o->chasing_band, 100 * all->chasing.max_jump,
                all->chasing.jump_at, all->chasing.flagged ? "  FLAGGED" : "");
    }
    for (size_t j = 0; j < r->n_attrs; j++) {
        const fair__rattr *at = &r->attrs[j];
        fputs("\ngroups by ", out);
        fair__put_clean(out, at->name);
        fputs(" (reference ", out);
        fair__put_clean(out, at->groups[at->ref].label);
        fputs("):\n", out);
        header(out, "group");
        for (size_t g = 0; g < at->n_groups; g++) row(out, &at->groups[g]);
        fputs("  median ratio minus the reference's:\n", out);
        for (size_t g = 0; g < at->n_groups; g++) {
            const fair__rset *x = &at->groups[g];
            if (g == at->ref) continue;
            fputs("    ", out);
            fair__put_clean(out, x->label);
            if (!x->median_diff.defined) {
                fputs(": n/a\n", out);
                continue;
            }
            fprintf(out, ": %+.4f", x->median_diff.value);
            if (x->boot_median_diff.computed && x->boot_median_diff.pct.ok)
                fprintf(out, " [%+.4f, %+.4f]", x->boot_median_diff.pct.lo, x->boot_median_diff.pct.hi);
            fputc('\n', out);
        }
        if (at->kw_h.defined)
            fprintf(out, "  Kruskal-Wallis: H = %.4f, df = %.0f, p = %.3g\n", at->kw_h.value,
                    at->kw_df.value, at->kw_p.value);
        else
            fprintf(out, "  Kruskal-Wallis: n/a (%s)\n", at->kw_h.reason);
    }
    if (r->n_strata) {
        fprintf(out, "\nvalue strata by %s:\n",
                o->strata == FAIR_RATIO_STRATA_SALE ? "sale price" : "the IAAO value proxy");
        header(out, "stratum");
        for (size_t q = 0; q < r->n_strata; q++) row(out, &r->strata[q]);
    }
    if (ferror(out)) return fair__fail(err, FAIR_EIO, "cannot write the text report");
    return FAIR_OK;
}

static fair_status text_of(const void *obj, const fair_report_run *run, FILE *out, fair_error *err)
{
    return fair__ratio_text(obj, run, out, err);
}

fair_status fair_ratio_report_doc(const fair_ratio *r, const fair_report_run *run,
                                  fair_report_doc **out, fair_error *err)
{
    return fair__report_doc_wrap(fair__ratio_doc(r, run), r, text_of, run, out, err);
}

fair_status fair_ratio_report_write(const fair_ratio *r, fair_format f, const fair_report_run *run,
                                    FILE *out, fair_error *err)
{
    fair_report_doc *d;
    fair_status st;
    if (f == FAIR_FORMAT_JSON) return ratio_json(r, run, out, err);
    if (f == FAIR_FORMAT_TEXT) return fair__ratio_text(r, run, out, err);
    FAIR__FORWARD(fair_ratio_report_doc(r, run, &d, err));
    st = fair_report_doc_write(d, f, 0, out, err);
    fair_report_doc_free(d);
    return st;
}

typedef struct {
    const fair_ratio *r;
    fair_format f;
    fair_report_run run;
} ratio_job;

static fair_status write_ratio(const void *ctx, FILE *fp, fair_error *err)
{
    const ratio_job *j = ctx;
    return fair_ratio_report_write(j->r, j->f, &j->run, fp, err);
}

fair_status fair_ratio_report_write_file(const fair_ratio *r, fair_format f,
                                         const fair_report_run *run, const char *path,
                                         fair_error *err)
{
    ratio_job j = {r, f, run ? *run : (fair_report_run){0}};
    j.run.color = 0;
    return fair__write_atomic(path, write_ratio, &j, err);
}
