/* report_ratio.c -- the report of a ratio study: a jansson tree (docs/json-schema.md, "Ratio
 * study"), dumped as JSON, and an aligned text report. Each statistic is shown beside its IAAO
 * range as information only; the exit code never depends on it. */
#include <jansson.h>
#include <math.h>
#include <string.h>
#include "ratio_internal.h"
#include "report_internal.h"


typedef struct {
    int failed;
} jc;

static json_t *chk(jc *c, json_t *v)
{
    if (!v) c->failed = 1;
    return v;
}

static void set(jc *c, json_t *o, const char *k, json_t *v)
{
    if (!v || !o || json_object_set_new(o, k, v) != 0) c->failed = 1;
}

static void push(jc *c, json_t *a, json_t *v)
{
    if (!v || !a || json_array_append_new(a, v) != 0) c->failed = 1;
}

static json_t *u64(jc *c, uint64_t v) { return chk(c, json_integer((json_int_t)v)); }
static json_t *real(jc *c, double v) { return chk(c, isfinite(v) ? json_real(v) : json_null()); }
static json_t *str(jc *c, const char *s) { return chk(c, fair__json_string(s)); }

static json_t *pair(jc *c, double lo, double hi)
{
    json_t *a = chk(c, json_array());
    push(c, a, real(c, lo));
    push(c, a, real(c, hi));
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
static json_t *stat_json(jc *c, const fair_ratio *r, const fair__rset *rs, size_t f)
{
    const fair__num *v = &rs->st[f];
    const fair__boot *bt = &rs->boot[f];
    const fair__ci *primary = NULL;
    const fair_ratio_range *rg = range_of(&r->opt, f);
    const char *method = NULL;
    json_t *m = chk(c, json_object()), *iv;
    if (!v->defined) {
        set(c, m, "value", chk(c, json_null()));
        set(c, m, "reason", str(c, v->reason));
        return m;
    }
    set(c, m, "value", real(c, v->value));
    iv = chk(c, json_object());
    if (f == FAIR_RATIO_MEDIAN && rs->median_rank.ok) {
        json_t *ranks = chk(c, json_array());
        set(c, iv, "iaao_rank", pair(c, rs->median_rank.lo, rs->median_rank.hi));
        push(c, ranks, u64(c, rs->rank_lo));
        push(c, ranks, u64(c, rs->rank_hi));
        set(c, m, "iaao_rank_order", ranks);
        primary = &rs->median_rank;
        method = "iaao_rank";
    }
    if (f == FAIR_RATIO_PRB && rs->prb_ols.ok) {
        set(c, iv, "ols_t", pair(c, rs->prb_ols.lo, rs->prb_ols.hi));
        primary = &rs->prb_ols;
        method = "ols_t";
    }
    if (bt->computed) {
        json_t *info = chk(c, json_object());
        if (bt->pct.ok) set(c, iv, "percentile", pair(c, bt->pct.lo, bt->pct.hi));
        set(c, info, "replicates", u64(c, r->opt.bootstrap));
        set(c, info, "undefined_replicates", u64(c, bt->undefined));
        set(c, m, "bootstrap", info);
        if (!primary && bt->pct.ok) {
            primary = &bt->pct;
            method = "percentile";
        }
    }
    if (primary) {
        set(c, m, "ci_low", real(c, primary->lo));
        set(c, m, "ci_high", real(c, primary->hi));
        set(c, m, "ci_method", str(c, method));
    }
    if (json_object_size(iv)) set(c, m, "intervals", iv);
    else json_decref(iv);
    if (rg) {
        set(c, m, "iaao_range", pair(c, rg->lo, rg->hi));
        set(c, m, "within_range", chk(c, json_boolean(v->value >= rg->lo && v->value <= rg->hi)));
    }
    return m;
}

static json_t *num_json(jc *c, const fair__num *n)
{
    json_t *o = chk(c, json_object());
    if (n->defined) {
        set(c, o, "value", real(c, n->value));
    } else {
        set(c, o, "value", chk(c, json_null()));
        set(c, o, "reason", str(c, n->reason));
    }
    return o;
}

static json_t *set_json(jc *c, const fair_ratio *r, const fair__rset *rs, const char *key)
{
    json_t *o = chk(c, json_object()), *m = chk(c, json_object()), *e = chk(c, json_object());
    json_t *ch = chk(c, json_object());
    set(c, o, key, str(c, rs->label));
    set(c, o, "n", u64(c, rs->n));
    set(c, o, "trimmed", u64(c, rs->trimmed));
    set(c, o, "too_small", chk(c, json_boolean(rs->too_small)));
    for (size_t f = 0; f < FAIR_RATIO_STAT_COUNT; f++)
        set(c, m, fair__ratio_stat_names[f], stat_json(c, r, rs, f));
    set(c, o, "metrics", m);
    for (size_t k = 0; k < FAIR__RERR_COUNT; k++) set(c, e, fair__ratio_err_names[k], num_json(c, &rs->err[k]));
    set(c, o, "errors", e);
    set(c, ch, "band_share", real(c, rs->chasing.band_share));
    set(c, ch, "largest_jump", real(c, rs->chasing.max_jump));
    set(c, ch, "jump_at", real(c, rs->chasing.jump_at));
    set(c, ch, "flagged", chk(c, json_boolean(rs->chasing.flagged)));
    set(c, o, "sales_chasing", ch);
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

static json_t *options_json(jc *c, const fair_ratio *r)
{
    const fair_ratio_options *o = &r->opt;
    json_t *j = chk(c, json_object()), *g = chk(c, json_array()), *b, *rg = chk(c, json_object());
    json_t *ch = chk(c, json_object());
    set(c, j, "assessed", str(c, o->assessed_col));
    set(c, j, "sale_price", str(c, o->sale_col));
    for (size_t i = 0; i < o->n_group_cols; i++) push(c, g, str(c, o->group_cols[i]));
    set(c, j, "groups", g);
    set(c, j, "quantiles", u64(c, o->quantiles));
    set(c, j, "strata_basis", str(c, o->strata == FAIR_RATIO_STRATA_SALE ? "sale_price" : "value_proxy"));
    set(c, j, "trim", str(c, trim_name(o->trim)));
    set(c, j, "ci_level", real(c, o->ci_level));
    set(c, j, "min_group_size", u64(c, o->min_group_size));
    set(c, j, "delimiter", chk(c, json_stringn(&r->delim, 1)));
    set(c, j, "decimal_comma", chk(c, json_boolean(r->comma_decimal)));
    b = chk(c, json_object());
    set(c, b, "replicates", u64(c, o->bootstrap));
    set(c, b, "seed", u64(c, o->seed));
    set(c, b, "scheme", str(c, o->boot_scheme == FAIR_BOOT_SIMPLE ? "simple" : "stratified"));
    set(c, b, "primary_interval", str(c, "percentile"));
    set(c, b, "rng", str(c, FAIR_RNG_NAME));
    set(c, j, "bootstrap", b);
    for (size_t f = 0; f < FAIR_RATIO_STAT_COUNT; f++) {
        const fair_ratio_range *x = range_of(o, f);
        if (x) set(c, rg, fair__ratio_stat_names[f], pair(c, x->lo, x->hi));
    }
    set(c, j, "iaao_ranges", rg);
    set(c, ch, "band", real(c, o->chasing_band));
    set(c, ch, "gap", real(c, o->chasing_gap));
    set(c, j, "sales_chasing", ch);
    return j;
}

static json_t *build(const fair_ratio *r, const fair_report_run *run, jc *c)
{
    json_t *root = chk(c, json_object()), *tool = chk(c, json_object()), *res = chk(c, json_object());
    json_t *in = chk(c, json_object()), *rows = chk(c, json_object()), *sk = chk(c, json_object());
    json_t *attrs = chk(c, json_array()), *strata = chk(c, json_object()), *sg = chk(c, json_array());
    json_t *rn = chk(c, json_object());
    uint64_t total = 0;
    set(c, root, "schema_version", u64(c, FAIR__JSON_SCHEMA_VERSION));
    set(c, root, "kind", str(c, "ratio"));
    set(c, tool, "name", str(c, "fairaudit"));
    set(c, tool, "version", str(c, fair_version_string()));
    set(c, root, "tool", tool);

    set(c, res, "kind", str(c, "ratio_study"));
    set(c, in, "bytes", u64(c, r->input_bytes));
    set(c, in, "compression", str(c, r->gzip ? "gzip" : "none"));
    set(c, res, "input", in);
    set(c, res, "options", options_json(c, r));
    for (size_t k = 0; k < FAIR_SKIP_COUNT; k++) total += r->skipped[k];
    for (size_t k = 0; k < FAIR_RATIO_SKIP_COUNT; k++) total += r->vskipped[k];
    set(c, rows, "read", u64(c, r->rows_read));
    set(c, rows, "used", u64(c, r->sales));
    set(c, sk, "total", u64(c, total));
    set(c, sk, fair_skip_name(FAIR_SKIP_WRONG_FIELD_COUNT), u64(c, r->skipped[FAIR_SKIP_WRONG_FIELD_COUNT]));
    set(c, sk, fair_skip_name(FAIR_SKIP_MISSING_GROUP), u64(c, r->skipped[FAIR_SKIP_MISSING_GROUP]));
    for (size_t k = 0; k < FAIR_RATIO_SKIP_COUNT; k++)
        set(c, sk, fair_ratio_skip_name((fair_ratio_skip_reason)k), u64(c, r->vskipped[k]));
    set(c, rows, "skipped", sk);
    set(c, rows, "trimmed", u64(c, r->trimmed));
    if (r->opt.trim != FAIR_RATIO_TRIM_NONE) set(c, rows, "trim_bounds", pair(c, r->trim_lo, r->trim_hi));
    set(c, res, "rows", rows);
    set(c, res, "overall", set_json(c, r, &r->all, "group"));
    for (size_t j = 0; j < r->n_attrs; j++) {
        const fair__rattr *at = &r->attrs[j];
        json_t *a = chk(c, json_object()), *gs = chk(c, json_array()), *kw = chk(c, json_object());
        set(c, a, "attribute", str(c, at->name));
        set(c, a, "reference", str(c, at->groups[at->ref].label));
        set(c, a, "reference_rule", str(c, at->ref_rule));
        for (size_t g = 0; g < at->n_groups; g++) {
            const fair__rset *x = &at->groups[g];
            json_t *o = set_json(c, r, x, "group"), *vs = chk(c, json_object());
            json_t *d = num_json(c, &x->median_diff), *mr = chk(c, json_object());
            if (x->median_diff.defined && x->boot_median_diff.computed) {
                json_t *info = chk(c, json_object());
                if (x->boot_median_diff.pct.ok) {
                    set(c, d, "ci_low", real(c, x->boot_median_diff.pct.lo));
                    set(c, d, "ci_high", real(c, x->boot_median_diff.pct.hi));
                    set(c, d, "ci_method", str(c, "percentile"));
                }
                set(c, info, "replicates", u64(c, r->opt.bootstrap));
                set(c, info, "undefined_replicates", u64(c, x->boot_median_diff.undefined));
                set(c, d, "bootstrap", info);
            }
            set(c, mr, "difference", d);
            set(c, vs, "median_ratio", mr);
            set(c, o, "vs_reference", vs);
            push(c, gs, o);
        }
        set(c, a, "groups", gs);
        set(c, kw, "statistic", num_json(c, &at->kw_h));
        set(c, kw, "df", num_json(c, &at->kw_df));
        set(c, kw, "p_value", num_json(c, &at->kw_p));
        set(c, a, "kruskal_wallis", kw);
        push(c, attrs, a);
    }
    set(c, res, "attributes", attrs);
    set(c, strata, "basis", str(c, r->opt.strata == FAIR_RATIO_STRATA_SALE ? "sale_price" : "value_proxy"));
    for (size_t q = 0; q < r->n_strata; q++) {
        json_t *o = set_json(c, r, &r->strata[q], "stratum");
        set(c, o, "range", pair(c, r->strata[q].lo, r->strata[q].hi));
        push(c, sg, o);
    }
    set(c, strata, "groups", sg);
    set(c, res, "strata", strata);
    set(c, root, "results", res);

    set(c, rn, "input_path", str(c, r->input_name));
    set(c, rn, "command_line", str(c, run ? run->command_line : NULL));
    set(c, rn, "timestamp", str(c, run ? run->timestamp : NULL));
    set(c, rn, "threads_requested", r->opt.n_threads ? u64(c, r->opt.n_threads) : str(c, "all cores"));
    set(c, rn, "parse_threads", u64(c, r->threads_used));
    set(c, root, "run", rn);
    return root;
}

json_t *fair__ratio_doc(const fair_ratio *r, const fair_report_run *run)
{
    jc c = {0};
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
