/* audit.c -- a classification audit: from per-group counts to metrics, comparisons with a
 * reference group, per-attribute summaries and tests of "no difference" (docs/metrics.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "audit_internal.h"

const fair_metric_id fair__tested_metrics[FAIR__N_TESTED] = {FAIR_METRIC_SELECTION_RATE,
                                                             FAIR_METRIC_TPR, FAIR_METRIC_FPR};

const char *const fair__summary_names[FAIR__SUM_COUNT] = {
#define X(id, name) #name,
    FAIR__SUMMARY_MAP(X)
#undef X
};

static const char *const skip_names[FAIR_SKIP_COUNT] = {
#define X(id, key, text) #key,
    FAIR_SKIP_MAP(X)
#undef X
};
static const char *const skip_texts[FAIR_SKIP_COUNT] = {
#define X(id, key, text) text,
    FAIR_SKIP_MAP(X)
#undef X
};

const char *fair_skip_name(fair_skip_reason r)
{
    return (unsigned)r < FAIR_SKIP_COUNT ? skip_names[r] : "unknown";
}

const char *fair_skip_text(fair_skip_reason r)
{
    return (unsigned)r < FAIR_SKIP_COUNT ? skip_texts[r] : "unknown";
}

void fair_audit_options_init(fair_audit_options *o)
{
    memset(o, 0, sizeof *o);
    o->threshold = 0.5;
    o->favourable = 1;
    o->min_group_size = 30;
    o->score_min = 0.0;
    o->score_max = 1.0;
    o->ci_level = 0.95;
    o->interval = FAIR_INTERVAL_WILSON;
    o->p_adjust = FAIR_P_ADJUST_HOLM;
    o->max_field_bytes = (size_t)1 << 20;
    o->max_line_bytes = (size_t)8 << 20;
    o->max_columns = 10000;
    o->max_groups = 100000;
    o->max_gzip_ratio = 200.0;
    o->max_distinct_scores = 65536;
    o->calibration_bins = 10;
    o->chunk_bytes = (size_t)1 << 20;
    o->bootstrap = 1000;
    o->seed = FAIR_DEFAULT_SEED;
    o->boot_scheme = FAIR_BOOT_STRATIFIED;
    o->boot_ci = FAIR_BOOT_CI_PERCENTILE;
}

static fair__num num_ok(double v)
{
    fair__num r = {1, v, NULL};
    return r;
}

static fair__num num_undef(const char *why)
{
    fair__num r = {0, 0.0, why};
    return r;
}

/* ---------------------------------------------------------------------------------------- */
/* Building attributes from the group-key table */

static void free_attr(fair__attr *at)
{
    for (size_t g = 0; g < at->n_groups; g++) {
        fair__group *gr = &at->groups[g];
        fair__free(gr->label);
        for (size_t k = 0; gr->parts && k < gr->n_parts; k++) fair__free(gr->parts[k]);
        fair__free(gr->parts);
        fair__shist_release(&gr->hist);
        fair__free(gr->reliability);
    }
    fair__free(at->groups);
    fair__free(at->name);
    for (size_t i = 0; at->at_threshold && i < at->n_thresholds; i++) free_attr(&at->at_threshold[i]);
    fair__free(at->at_threshold);
    fair__free(at->thresholds);
    if (at->top) free_attr(at->top);
    fair__free(at->top);
    memset(at, 0, sizeof *at);
}

void fair_audit_free(fair_audit *a)
{
    if (!a) return;
    for (size_t i = 0; i < a->n_attrs; i++) free_attr(&a->attrs[i]);
    fair__free(a->attrs);
    for (size_t i = 0; a->group_cols && i < a->opt.n_group_cols; i++) fair__free(a->group_cols[i]);
    fair__free(a->group_cols);
    fair__free(a->input_name);
    for (size_t i = 0; i < a->n_shards; i++) fair__free(a->shards[i].name);
    fair__free(a->shards);
    fair__free(a->label_col);
    fair__free(a->pred_col);
    fair__free(a->score_col);
    fair__free(a->label_positive);
    fair__free(a->pred_positive);
    fair__free(a);
}

static int cmp_groups(const void *x, const void *y)
{
    const fair__group *a = x, *b = y;
    int c = strcmp(a->label, b->label);
    for (size_t k = 0; c == 0 && k < a->n_parts && k < b->n_parts; k++)
        c = strcmp(a->parts[k], b->parts[k]);
    return c;
}

/* Joins parts with " & ". */
static char *join_parts(const char *const *ptr, const size_t *len, size_t n)
{
    size_t total = 1;
    char *s, *w;
    for (size_t k = 0; k < n; k++) total += len[k] + (k ? 3 : 0);
    s = fair__malloc(total);
    if (!s) return NULL;
    w = s;
    for (size_t k = 0; k < n; k++) {
        if (k) memcpy(w, " & ", 3), w += 3;
        memcpy(w, ptr[k], len[k]);
        w += len[k];
    }
    *w = '\0';
    return s;
}

static void cells_to_counts(const fair__cell *cell, fair_counts *c)
{
    c->tn += cell->n[0];
    c->fp += cell->n[1];
    c->fn += cell->n[2];
    c->tp += cell->n[3];
}

/* The attribute of group column `col` (a marginal of the key table), or, with col ==
 * SIZE_MAX, the intersection of all group columns. */
static fair_status build_attr(const fair__ingest *in, size_t col, const fair_audit *a,
                              fair__attr *at, fair_error *err)
{
    const size_t np = in->schema.n_group;
    const char *ptr[64];
    size_t len[64];
    fair__table marg;
    const fair__table *src = &in->table;
    fair_status st = FAIR_OK;

    FAIR__RETURN_IF(np > 64, FAIR_EINVAL, err, "at most 64 --group columns");
    if (in->table.with_scores) fair__table_init_scores(&marg, &in->table.shcfg);
    else fair__table_init(&marg);
    if (col != SIZE_MAX) {
        for (size_t i = 0; i < in->table.count; i++) {
            size_t klen, idx;
            int is_new;
            const char *key = fair__table_key(&in->table, i, &klen);
            fair__key_parts(key, klen, np, ptr, len);
            st = fair__table_upsert(&marg, ptr[col], len[col], fair__table_hash(ptr[col], len[col]),
                                    &idx, &is_new);
            if (st != FAIR_OK) goto nomem;
            for (size_t k = 0; k < 4; k++) marg.cells[idx].n[k] += in->table.cells[i].n[k];
            if (marg.with_scores &&
                fair__shist_merge(&marg.hists[idx], &in->table.hists[i], &marg.shcfg) != FAIR_OK)
                goto nomem;
        }
        src = &marg;
        at->name = fair__strdup(a->group_cols[col]);
        at->n_cols = 1;
    } else {
        for (size_t k = 0; k < np; k++) {
            ptr[k] = a->group_cols[k];
            len[k] = strlen(a->group_cols[k]);
        }
        at->name = join_parts(ptr, len, np);
        at->n_cols = np;
    }
    if (!at->name) goto nomem;
    at->groups = fair__calloc(src->count, sizeof *at->groups);
    if (!at->groups) goto nomem;
    for (size_t i = 0; i < src->count; i++) {
        fair__group *gr = &at->groups[at->n_groups++];
        size_t klen;
        const char *key = fair__table_key(src, i, &klen);
        if (col != SIZE_MAX) {
            gr->label = fair__strndup(key, klen);
        } else {
            fair__key_parts(key, klen, np, ptr, len);
            gr->label = join_parts(ptr, len, np);
            gr->parts = fair__calloc(np, sizeof *gr->parts);
            if (!gr->parts) goto nomem;
            gr->n_parts = np;
            for (size_t k = 0; k < np; k++)
                if (!(gr->parts[k] = fair__strndup(ptr[k], len[k]))) goto nomem;
        }
        if (!gr->label) goto nomem;
        cells_to_counts(&src->cells[i], &gr->c);
        if (src->with_scores) {
            /* The group's histogram: moved out of the marginal table, copied from the key table. */
            fair__shist_init(&gr->hist);
            if (fair__shist_merge(&gr->hist, &src->hists[i], &src->shcfg) != FAIR_OK ||
                fair__shist_sort(&gr->hist) != FAIR_OK)
                goto nomem;
            gr->has_hist = 1;
        }
    }
    qsort(at->groups, at->n_groups, sizeof *at->groups, cmp_groups);
    fair__table_release(&marg);
    return FAIR_OK;
nomem:
    fair__table_release(&marg);
    return fair__fail(err, FAIR_ENOMEM, "out of memory building groups");
}

/* ---------------------------------------------------------------------------------------- */
/* Per-group metrics and comparisons */

void fair__score_options_from(const fair_audit_options *o, fair_score_options *so)
{
    fair_score_options_init(so);
    so->bins = o->calibration_bins;
    so->binning = o->quantile_binning ? FAIR_BINNING_QUANTILE : FAIR_BINNING_UNIFORM;
    so->range_lo = o->score_min;
    so->range_hi = o->score_max;
    so->probabilities = o->score_min == 0.0 && o->score_max == 1.0;
    so->level = o->ci_level;
}

/* The score metrics of a group from its histogram (score.h). */
static fair_status score_metrics(fair__group *gr, const fair_audit_options *o, fair_error *err)
{
    const fair__shist *h = &gr->hist;
    fair_score_options so;
    fair_score_hist sh;
    uint64_t *n0 = fair__malloc((h->count ? h->count : 1) * sizeof *n0);
    uint64_t *n1 = fair__malloc((h->count ? h->count : 1) * sizeof *n1);
    fair_status st;
    fair__score_options_from(o, &so);
    gr->reliability = fair__calloc(so.bins ? so.bins : 1, sizeof *gr->reliability);
    if (!n0 || !n1 || !gr->reliability) {
        fair__free(n0);
        fair__free(n1);
        return fair__fail(err, FAIR_ENOMEM, "out of memory for the score metrics");
    }
    for (size_t i = 0; i < h->count; i++) {
        n0[i] = h->n[i][0] + h->n[i][1];
        n1[i] = h->n[i][2] + h->n[i][3];
    }
    sh.s = h->s;
    sh.n0 = n0;
    sh.n1 = n1;
    sh.m = h->count;
    st = fair_score_metrics_compute(&sh, &so, &gr->sm, gr->reliability, err);
    fair__free(n0);
    fair__free(n1);
    return st;
}

/* score_metrics() of every group that has a histogram, the groups in parallel (each is
 * independent; 1,000 distinct scores take about a millisecond); the first error in group order
 * is returned. */
static fair_status score_metrics_all(fair__attr *at, const fair_audit_options *o, fair_error *err)
{
    const size_t G = at->n_groups;
    size_t nt = fair__threads(o->n_threads);
    fair_status *sts;
    fair_error *errs;
    fair_status st = FAIR_OK;
    if (nt > G) nt = G;
    if (nt < 2) {
        for (size_t g = 0; g < G && st == FAIR_OK; g++)
            if (at->groups[g].has_hist) st = score_metrics(&at->groups[g], o, err);
        return st;
    }
    sts = fair__calloc(G, sizeof *sts);
    errs = fair__calloc(G, sizeof *errs);
    if (!sts || !errs) {
        fair__free(sts);
        fair__free(errs);
        return fair__fail(err, FAIR_ENOMEM, "out of memory for the score metrics");
    }
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, 1) num_threads((int)nt)
#endif
    for (size_t g = 0; g < G; g++)
        if (at->groups[g].has_hist) sts[g] = score_metrics(&at->groups[g], o, &errs[g]);
    for (size_t g = 0; g < G && st == FAIR_OK; g++) {
        st = sts[g];
        if (st != FAIR_OK && err) *err = errs[g];
    }
    fair__free(sts);
    fair__free(errs);
    return st;
}

static void group_metrics(fair__group *gr, const fair_audit_options *o)
{
    gr->n = gr->c.tp + gr->c.fp + gr->c.tn + gr->c.fn;
    gr->too_small = gr->n < o->min_group_size;
    gr->suppressed = gr->n < o->suppress_below;
    fair_metrics_compute(&gr->c, gr->m);
    for (size_t k = 0; k < FAIR_METRIC_COUNT; k++) {
        const fair_metric_value *v = &gr->m[k];
        if (!fair_metric_is_proportion((fair_metric_id)k) || v->den == 0) continue;
        gr->wilson[k].ok = fair_stats_wilson(v->num, v->den, o->ci_level, &gr->wilson[k].lo,
                                             &gr->wilson[k].hi) == FAIR_OK;
        gr->cp[k].ok = fair_stats_clopper_pearson(v->num, v->den, o->ci_level, &gr->cp[k].lo,
                                                  &gr->cp[k].hi) == FAIR_OK;
    }
}

/* group_metrics() of every group, the groups in parallel: a Clopper-Pearson bound of a group
 * of millions takes a thousand-term continued fraction in each of its Newton steps, some
 * milliseconds a group in all. */
static void group_metrics_all(fair__attr *at, const fair_audit_options *o)
{
    const size_t G = at->n_groups, nt = fair__threads(o->n_threads);
    (void)nt; /* only read by the OpenMP pragma */
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, 1) num_threads((int)nt) if (nt > 1 && G > 1)
#endif
    for (size_t g = 0; g < G; g++) group_metrics(&at->groups[g], o);
}

/* Ratio and difference of each metric against the reference group. */
static void compare_with_reference(fair__group *gr, const fair__group *ref,
                                   const fair_audit_options *o)
{
    for (size_t k = 0; k < FAIR_METRIC_COUNT; k++) {
        const fair_metric_value *x = &gr->m[k], *r = &ref->m[k];
        fair__cmp *ra = &gr->ratio[k], *df = &gr->diff[k];
        if (!x->defined || !r->defined) {
            const char *why = !x->defined ? "not defined for this group" : "not defined for the reference group";
            ra->est = df->est = num_undef(why);
            continue;
        }
        df->est = num_ok(x->value - r->value);
        ra->est = r->value == 0.0 ? num_undef("the reference group's value is 0")
                                  : num_ok(x->value / r->value);
        if (!fair_metric_is_proportion((fair_metric_id)k)) continue;
        df->ci.ok = fair_stats_newcombe_diff(x->num, x->den, r->num, r->den, o->ci_level,
                                             &df->ci.lo, &df->ci.hi) == FAIR_OK;
        ra->ci.ok = ra->est.defined &&
                    fair_stats_katz_ratio(x->num, x->den, r->num, r->den, o->ci_level, &ra->ci.lo,
                                          &ra->ci.hi) == FAIR_OK;
    }
    for (size_t t = 0; t < FAIR__N_TESTED; t++) {
        fair_metric_id k = fair__tested_metrics[t];
        const fair_metric_value *x = &gr->m[k], *r = &ref->m[k];
        double z, p;
        fair__ztest *zt = &gr->test[t];
        if (x->den && r->den &&
            fair_stats_two_prop_z(x->num, x->den, r->num, r->den, &z, &p) == FAIR_OK) {
            zt->z = num_ok(z);
            zt->p = num_ok(p);
        } else {
            const char *why = x->den == 0 || r->den == 0 ? "a denominator is 0"
                                                         : "all or none have the outcome in both groups";
            zt->z = zt->p = zt->p_adj = num_undef(why);
        }
    }
}

/* Adjusts the z tests' p-values of one attribute as one family (groups x tested metrics). */
static fair_status adjust_attr(fair__attr *at, fair_p_adjust method, fair_error *err)
{
    size_t n = at->n_groups * FAIR__N_TESTED, i = 0;
    double *p = fair__malloc(n * sizeof *p);
    fair_status st;
    FAIR__RETURN_IF(!p, FAIR_ENOMEM, err, "out of memory adjusting p-values");
    for (size_t g = 0; g < at->n_groups; g++)
        for (size_t t = 0; t < FAIR__N_TESTED; t++, i++)
            p[i] = g != at->ref && at->groups[g].test[t].p.defined ? at->groups[g].test[t].p.value : NAN;
    st = fair_stats_p_adjust(p, n, method, p);
    if (st == FAIR_OK) {
        i = 0;
        for (size_t g = 0; g < at->n_groups; g++)
            for (size_t t = 0; t < FAIR__N_TESTED; t++, i++)
                if (g != at->ref && at->groups[g].test[t].p.defined)
                    at->groups[g].test[t].p_adj = num_ok(p[i]);
    } else {
        fair__fail(err, st, "cannot adjust p-values: %s", fair_strerror(st));
    }
    fair__free(p);
    return st;
}

/* ---------------------------------------------------------------------------------------- */
/* Reference group */

static int label_listing(const fair__attr *at, char *dst, size_t cap)
{
    size_t w = 0;
    for (size_t g = 0; g < at->n_groups && w + 8 < cap; g++) {
        int r = snprintf(dst + w, cap - w, "%s'%s'", g ? ", " : "", at->groups[g].label);
        if (r < 0) break;
        w += (size_t)r;
    }
    if (w >= cap) memcpy(dst + cap - 4, "...", 4);
    return 1;
}

static fair_status choose_reference(fair__attr *at, const fair_audit_options *o, size_t n_attr_cols,
                                    fair_error *err)
{
    const char *value = NULL;
    for (size_t r = 0; r < o->n_references; r++) {
        const char *e = o->references[r];
        size_t nlen = strlen(at->name);
        if (strncmp(e, at->name, nlen) == 0 && e[nlen] == '=') value = e + nlen + 1;
        else if (!strchr(e, '=') && n_attr_cols == 1 && at->n_cols == 1) value = e;
    }
    if (value) {
        for (size_t g = 0; g < at->n_groups; g++) {
            if (strcmp(at->groups[g].label, value) == 0) {
                /* Every comparison would reveal a suppressed reference group's rates. */
                FAIR__RETURN_IF(at->groups[g].suppressed, FAIR_EINVAL, err,
                                "reference group '%s' of '%s' has fewer rows than the disclosure "
                                "limit (--suppress-below) and cannot be the reference",
                                value, at->name);
                at->ref = g;
                at->ref_rule = "value";
                return FAIR_OK;
            }
        }
        {
            char list[300];
            label_listing(at, list, sizeof list);
            return fair__fail(err, FAIR_EINVAL, "reference group '%s' is not a group of '%s'; its groups are: %s",
                              value, at->name, list);
        }
    }
    at->ref = 0;
    if (o->reference_rule == FAIR_REFERENCE_BEST) {
        /* Most favourable selection rate among groups large enough to judge. */
        int found = 0;
        at->ref_rule = "best";
        for (int pass = 0; pass < 2 && !found; pass++) {
            for (size_t g = 0; g < at->n_groups; g++) {
                const fair__group *gr = &at->groups[g], *cur = &at->groups[at->ref];
                double v, cv;
                /* Never a suppressed group: comparisons would reveal its rates. */
                if (gr->suppressed || (pass == 0 && gr->too_small) ||
                    !gr->m[FAIR_METRIC_SELECTION_RATE].defined)
                    continue;
                v = gr->m[FAIR_METRIC_SELECTION_RATE].value;
                cv = cur->m[FAIR_METRIC_SELECTION_RATE].value;
                if (!o->favourable) v = -v, cv = -cv;
                if (!found || v > cv || (v == cv && gr->n > cur->n)) at->ref = g;
                found = 1;
            }
        }
    } else {
        /* The largest group is suppressed only when every group is; then nothing is shown. */
        at->ref_rule = "largest";
        for (size_t g = 1; g < at->n_groups; g++)
            if (at->groups[g].n > at->groups[at->ref].n) at->ref = g;
    }
    return FAIR_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Summaries and tests across groups */

/* Max - min and min / max of metric k over the eligible groups. */
static void spread(const fair_metric_value (*m)[FAIR_METRIC_COUNT], const unsigned char *eligible,
                   size_t n_groups, fair_metric_id k, fair__num *diff, fair__num *ratio)
{
    double lo = 0, hi = 0;
    size_t cnt = 0;
    for (size_t g = 0; g < n_groups; g++) {
        if (!eligible[g] || !m[g][k].defined) continue;
        if (cnt == 0 || m[g][k].value < lo) lo = m[g][k].value;
        if (cnt == 0 || m[g][k].value > hi) hi = m[g][k].value;
        cnt++;
    }
    if (cnt < 2) {
        *diff = *ratio = num_undef("fewer than two groups large enough to judge have this rate defined");
        return;
    }
    *diff = num_ok(hi - lo);
    *ratio = hi == 0.0 ? num_undef("the rate is 0 in every group") : num_ok(lo / hi);
}

void fair__summaries(const fair_metric_value (*m)[FAIR_METRIC_COUNT], const unsigned char *eligible,
                     size_t n_groups, size_t ref, fair__num out[FAIR__SUM_COUNT])
{
    fair__num sr_d, sr_r, tpr_d, tpr_r, fpr_d, fpr_r, ppv_d, ppv_r;
    const fair_metric_value *r = m[ref];
    spread(m, eligible, n_groups, FAIR_METRIC_SELECTION_RATE, &sr_d, &sr_r);
    spread(m, eligible, n_groups, FAIR_METRIC_TPR, &tpr_d, &tpr_r);
    spread(m, eligible, n_groups, FAIR_METRIC_FPR, &fpr_d, &fpr_r);
    spread(m, eligible, n_groups, FAIR_METRIC_PPV, &ppv_d, &ppv_r);
    (void)ppv_r;
    out[FAIR__SUM_DP_RATIO] = sr_r;
    out[FAIR__SUM_DP_DIFF] = sr_d;
    /* Fairlearn: the larger of the TPR and FPR differences, the smaller of the two ratios. */
    if (tpr_d.defined && fpr_d.defined) out[FAIR__SUM_EO_DIFF] = num_ok(fmax(tpr_d.value, fpr_d.value));
    else out[FAIR__SUM_EO_DIFF] = tpr_d.defined ? fpr_d : tpr_d;
    if (tpr_r.defined && fpr_r.defined) out[FAIR__SUM_EO_RATIO] = num_ok(fmin(tpr_r.value, fpr_r.value));
    else out[FAIR__SUM_EO_RATIO] = tpr_r.defined ? fpr_r : tpr_r;
    out[FAIR__SUM_EOPP_DIFF] = tpr_d;
    out[FAIR__SUM_PP_DIFF] = ppv_d;
    /* AIF360's average odds difference, ((FPR_g - FPR_ref) + (TPR_g - TPR_ref)) / 2, for each
     * eligible group against the reference; the summary is the one largest in magnitude. */
    if (!r[FAIR_METRIC_TPR].defined || !r[FAIR_METRIC_FPR].defined) {
        out[FAIR__SUM_AOD] = num_undef("TPR or FPR is not defined for the reference group");
        return;
    }
    out[FAIR__SUM_AOD] = num_undef("no other group large enough to judge has TPR and FPR defined");
    for (size_t g = 0; g < n_groups; g++) {
        double v;
        if (g == ref || !eligible[g] || !m[g][FAIR_METRIC_TPR].defined || !m[g][FAIR_METRIC_FPR].defined)
            continue;
        v = 0.5 * ((m[g][FAIR_METRIC_FPR].value - r[FAIR_METRIC_FPR].value) +
                   (m[g][FAIR_METRIC_TPR].value - r[FAIR_METRIC_TPR].value));
        if (!out[FAIR__SUM_AOD].defined || fabs(v) > fabs(out[FAIR__SUM_AOD].value))
            out[FAIR__SUM_AOD] = num_ok(v);
    }
}

static fair_status summaries(fair__attr *at, fair_error *err)
{
    fair_metric_value (*m)[FAIR_METRIC_COUNT] = fair__calloc(at->n_groups, sizeof *m);
    unsigned char *eligible = fair__calloc(at->n_groups, 1);
    if (!m || !eligible) {
        fair__free(m);
        fair__free(eligible);
        return fair__fail(err, FAIR_ENOMEM, "out of memory for the summaries");
    }
    at->summary_groups = 0;
    for (size_t g = 0; g < at->n_groups; g++) {
        memcpy(m[g], at->groups[g].m, sizeof m[g]);
        eligible[g] = !at->groups[g].too_small && !at->groups[g].suppressed;
        at->summary_groups += eligible[g];
    }
    fair__summaries((const fair_metric_value(*)[FAIR_METRIC_COUNT])m, eligible, at->n_groups, at->ref,
                    at->summary);
    fair__free(m);
    fair__free(eligible);
    return FAIR_OK;
}

/* Chi-square (and, for two groups, Fisher) tests of independence between group and outcome. */
static fair_status independence(fair__attr *at, fair_error *err)
{
    static const char *const names[FAIR__N_INDEP] = {"selection", "tpr", "fpr"};
    uint64_t *t = fair__malloc(at->n_groups * 2 * sizeof *t);
    FAIR__RETURN_IF(!t, FAIR_ENOMEM, err, "out of memory for the tests");
    for (size_t k = 0; k < FAIR__N_INDEP; k++) {
        fair__indep *ind = &at->indep[k];
        double stat, df, p;
        fair_status st;
        ind->name = names[k];
        ind->groups = at->n_groups;
        for (size_t g = 0; g < at->n_groups; g++) {
            const fair_counts *c = &at->groups[g].c;
            uint64_t a = k == 0 ? c->tp + c->fp : k == 1 ? c->tp : c->fp;
            uint64_t b = k == 0 ? c->tn + c->fn : k == 1 ? c->fn : c->tn;
            t[2 * g] = a;
            t[2 * g + 1] = b;
        }
        st = fair_stats_chisq_indep(t, at->n_groups, 2, &stat, &df, &p);
        if (st == FAIR_OK) {
            ind->stat = num_ok(stat);
            ind->df = num_ok(df);
            ind->p = num_ok(p);
        } else {
            ind->stat = ind->df = ind->p =
                num_undef("fewer than two groups or outcomes with any rows in the table");
        }
        if (at->n_groups == 2 && fair_stats_fisher_2x2(t[0], t[1], t[2], t[3], &p) == FAIR_OK)
            ind->fisher_p = num_ok(p);
        else
            ind->fisher_p = num_undef(at->n_groups == 2 ? "the table has an empty margin"
                                                        : "Fisher's exact test is computed for two groups only");
    }
    fair__free(t);
    return FAIR_OK;
}

/* Everything after the reference is known: comparisons, p-values, summaries, tests and the
 * bootstrap. */
static fair_status analyse_attr(fair__attr *at, const fair_audit_options *o, fair_error *err)
{
    for (size_t g = 0; g < at->n_groups; g++)
        compare_with_reference(&at->groups[g], &at->groups[at->ref], o);
    FAIR__FORWARD(adjust_attr(at, o->p_adjust, err));
    FAIR__FORWARD(summaries(at, err));
    FAIR__FORWARD(independence(at, err));
    if (o->bootstrap > 0) FAIR__FORWARD(fair__boot_attr(at, o, err));
    return FAIR_OK;
}

void fair__attr_release(fair__attr *at) { free_attr(at); }

fair_status fair__attr_from_counts(const char *name, const char *const *labels,
                                   const fair_counts *counts, size_t n_groups,
                                   const fair_audit_options *o, size_t force_ref, fair__attr *at,
                                   fair_error *err)
{
    fair_status st;
    memset(at, 0, sizeof *at);
    at->name = fair__strdup(name);
    at->groups = fair__calloc(n_groups ? n_groups : 1, sizeof *at->groups);
    at->n_cols = 1;
    if (!at->name || !at->groups) goto nomem;
    for (size_t g = 0; g < n_groups; g++) {
        at->groups[g].label = fair__strdup(labels[g]);
        if (!at->groups[g].label) goto nomem;
        at->n_groups++;
        at->groups[g].c = counts[g];
        group_metrics(&at->groups[g], o);
    }
    if (force_ref < n_groups) {
        at->ref = force_ref;
        at->ref_rule = "value";
        st = FAIR_OK;
    } else {
        st = choose_reference(at, o, 1, err);
    }
    if (st == FAIR_OK) st = analyse_attr(at, o, err);
    if (st != FAIR_OK) free_attr(at);
    return st;
nomem:
    free_attr(at);
    return fair__fail(err, FAIR_ENOMEM, "out of memory");
}

/* The attribute again with every group's prediction replaced by score >= t: the
 * classification analysis at another operating point, with the same reference group. */
static fair_status at_operating_point(const fair__attr *at, double t, const fair_audit_options *o,
                                      fair__attr *out, fair_error *err)
{
    const char **labels = fair__calloc(at->n_groups, sizeof *labels);
    fair_counts *c = fair__calloc(at->n_groups, sizeof *c);
    fair_audit_options so = *o;
    fair_status st;
    if (!labels || !c) {
        fair__free(labels);
        fair__free(c);
        return fair__fail(err, FAIR_ENOMEM, "out of memory");
    }
    so.n_thresholds = 0;
    so.top_k = 0;
    so.top_fraction = 0;
    so.score_col = NULL; /* counts only: no score section for the shadow attribute */
    for (size_t g = 0; g < at->n_groups; g++) {
        const fair__group *gr = &at->groups[g];
        uint64_t pos = gr->c.tp + gr->c.fn, neg = gr->c.fp + gr->c.tn, tp = 0, fp = 0;
        for (size_t i = gr->hist.count; i-- > 0 && gr->hist.s[i] >= t;) {
            tp += gr->hist.n[i][2] + gr->hist.n[i][3];
            fp += gr->hist.n[i][0] + gr->hist.n[i][1];
        }
        labels[g] = gr->label;
        c[g] = (fair_counts){tp, fp, neg - fp, pos - tp};
    }
    st = fair__attr_from_counts(at->name, labels, c, at->n_groups, &so, at->ref, out, err);
    if (st == FAIR_OK) {
        out->n_cols = at->n_cols;
        out->ref_rule = at->ref_rule; /* the main analysis chose the reference */
    }
    fair__free(labels);
    fair__free(c);
    return st;
}

/* The lowest score among the k highest of all rows (ties at the cut all selected), from the
 * score histograms of the first attribute, whose groups hold every row once. *selected counts
 * the rows at or above the cut in those same histograms, so it is what the groups add up to. */
static fair_status top_cut(const fair__attr *at, uint64_t k, const fair_audit_options *o,
                           double *cut, uint64_t *selected, fair_error *err)
{
    fair__shist all;
    fair__shist_cfg cfg = {o->score_min, o->score_max, SIZE_MAX};
    uint64_t taken = 0;
    fair__shist_init(&all);
    for (size_t g = 0; g < at->n_groups; g++) {
        if (fair__shist_merge(&all, &at->groups[g].hist, &cfg) != FAIR_OK) {
            fair__shist_release(&all);
            return fair__fail(err, FAIR_ENOMEM, "out of memory for --top-k");
        }
    }
    if (fair__shist_sort(&all) != FAIR_OK) {
        fair__shist_release(&all);
        return fair__fail(err, FAIR_ENOMEM, "out of memory for --top-k");
    }
    *cut = all.count ? all.s[all.count - 1] : 0.0;
    for (size_t i = all.count; i-- > 0;) {
        taken += all.n[i][0] + all.n[i][1] + all.n[i][2] + all.n[i][3];
        *cut = all.s[i];
        if (taken >= k) break;
    }
    fair__shist_release(&all);
    /* Count as the operating point will: per group, every score >= the cut. */
    *selected = 0;
    for (size_t g = 0; g < at->n_groups; g++) {
        const fair__shist *h = &at->groups[g].hist;
        for (size_t i = h->count; i-- > 0 && h->s[i] >= *cut;)
            *selected += h->n[i][0] + h->n[i][1] + h->n[i][2] + h->n[i][3];
    }
    return FAIR_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Entry */

static fair_status copy_options(fair_audit *a, const fair_audit_options *o, fair_error *err)
{
    a->opt = *o;
    a->opt.group_cols = NULL;
    a->opt.references = NULL;
    a->opt.n_references = 0;
    a->group_cols = fair__calloc(o->n_group_cols, sizeof *a->group_cols);
    a->label_col = fair__strdup(o->label_col);
    a->pred_col = o->pred_col ? fair__strdup(o->pred_col) : NULL;
    a->score_col = o->score_col ? fair__strdup(o->score_col) : NULL;
    a->label_positive = o->label_positive ? fair__strdup(o->label_positive) : NULL;
    a->pred_positive = o->pred_positive ? fair__strdup(o->pred_positive) : NULL;
    if (!a->group_cols || !a->label_col || (o->pred_col && !a->pred_col) ||
        (o->score_col && !a->score_col) || (o->label_positive && !a->label_positive) ||
        (o->pred_positive && !a->pred_positive))
        return fair__fail(err, FAIR_ENOMEM, "out of memory");
    for (size_t i = 0; i < o->n_group_cols; i++)
        if (!(a->group_cols[i] = fair__strdup(o->group_cols[i])))
            return fair__fail(err, FAIR_ENOMEM, "out of memory");
    a->opt.label_col = a->label_col;
    a->opt.pred_col = a->pred_col;
    a->opt.score_col = a->score_col;
    a->opt.label_positive = a->label_positive;
    a->opt.pred_positive = a->pred_positive;
    return FAIR_OK;
}

fair_status fair__check_options(const fair_audit_options *o, fair_error *err)
{
    FAIR__RETURN_IF(!o->group_cols || o->n_group_cols == 0, FAIR_EINVAL, err,
                    "at least one group column is needed");
    FAIR__RETURN_IF(o->n_group_cols > 64, FAIR_EINVAL, err, "at most 64 group columns");
    FAIR__RETURN_IF(!o->label_col, FAIR_EINVAL, err, "a label column is needed");
    FAIR__RETURN_IF(!o->pred_col && !o->use_threshold, FAIR_EINVAL, err,
                    "a prediction column is needed, or a score column with a threshold");
    FAIR__RETURN_IF(o->pred_col && o->use_threshold, FAIR_EINVAL, err,
                    "give either a prediction column or a threshold, not both");
    FAIR__RETURN_IF(o->use_threshold && !o->score_col, FAIR_EINVAL, err,
                    "a threshold needs a score column");
    FAIR__RETURN_IF(!(o->ci_level > 0.0 && o->ci_level < 1.0), FAIR_EINVAL, err,
                    "the confidence level must lie strictly between 0 and 1");
    FAIR__RETURN_IF(!(o->score_min < o->score_max), FAIR_EINVAL, err,
                    "the score range must have its low end below its high end");
    /* And within +-FAIR__SCORE_MAX_ABS: with -1e308:1e308 the width, and with -2e307:1 the
     * reliability bins' edges (lo + width * j / K), overflowed to infinity, and the JSON report
     * then failed (exit 4). Found by tests/fuzz/fuzz_state. */
    FAIR__RETURN_IF(!(fabs(o->score_min) <= FAIR__SCORE_MAX_ABS &&
                      fabs(o->score_max) <= FAIR__SCORE_MAX_ABS),
                    FAIR_EINVAL, err, "the score range %g:%g must lie within -1e15:1e15",
                    o->score_min, o->score_max);
    FAIR__RETURN_IF(o->max_line_bytes == 0 || o->max_field_bytes == 0 || o->max_columns == 0 ||
                        o->max_groups == 0, FAIR_EINVAL, err, "limits must be positive");
    return FAIR_OK;
}

fair_status fair_audit_run(const char *path, const fair_audit_options *o, fair_audit **out,
                           fair_error *err)
{
    fair__ingest in;
    fair_status st;

    *out = NULL;
    FAIR__FORWARD(fair__check_options(o, err));
    FAIR__FORWARD(fair__ingest_run(path, o, &in, err));
    st = fair__audit_from_ingest(path, &in, o, out, err);
    fair__ingest_release(&in);
    return st;
}

fair_status fair__audit_from_ingest(const char *input_name, const fair__ingest *in,
                                    const fair_audit_options *o, fair_audit **out, fair_error *err)
{
    fair_audit *a;
    fair_status st;
    size_t np;

    *out = NULL;
    FAIR__FORWARD(fair__check_options(o, err));
    a = fair__calloc(1, sizeof *a);
    FAIR__RETURN_IF(!a, FAIR_ENOMEM, err, "out of memory");
    st = copy_options(a, o, err);
    if (st != FAIR_OK) goto fail;
    a->input_name = fair__strdup(input_name);
    if (!a->input_name) {
        st = fair__fail(err, FAIR_ENOMEM, "out of memory");
        goto fail;
    }
    a->input_bytes = in->bytes;
    memcpy(a->input_sha256, in->sha256, sizeof a->input_sha256);
    a->gzip = in->gzip;
    a->delim = in->schema.delim;
    a->comma_decimal = in->schema.comma_decimal;
    a->rows_read = in->rows_read;
    a->rows_used = in->rows_used;
    memcpy(a->skipped, in->skipped, sizeof a->skipped);
    a->lines = in->lines;
    a->threads_used = in->threads_used;

    np = o->n_group_cols;
    a->attrs = fair__calloc(np + 1, sizeof *a->attrs);
    if (!a->attrs) {
        st = fair__fail(err, FAIR_ENOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i <= np; i++) {
        fair__attr *at;
        if (i == np && !(o->intersect && np >= 2)) break;
        at = &a->attrs[a->n_attrs++];
        st = build_attr(in, i == np ? SIZE_MAX : i, a, at, err);
        if (st != FAIR_OK) goto fail;
        group_metrics_all(at, o);
        st = score_metrics_all(at, o, err);
        if (st != FAIR_OK) goto fail;
        st = choose_reference(at, o, np, err);
        if (st != FAIR_OK) goto fail;
        st = analyse_attr(at, o, err);
        if (st != FAIR_OK) goto fail;
    }
    /* Other operating points: --thresholds and --top-k / --top-fraction. */
    if (o->score_col && (o->n_thresholds || o->top_k || o->top_fraction > 0) && a->n_attrs) {
        if (o->top_k || o->top_fraction > 0) {
            uint64_t k = o->top_k;
            if (!k) k = (uint64_t)ceil(o->top_fraction * (double)a->rows_used);
            a->has_top = 1;
            a->top_requested = k;
            st = top_cut(&a->attrs[0], k, o, &a->top_cut, &a->top_selected, err);
            if (st != FAIR_OK) goto fail;
        }
        for (size_t i = 0; i < a->n_attrs; i++) {
            fair__attr *at = &a->attrs[i];
            if (o->n_thresholds) {
                at->at_threshold = fair__calloc(o->n_thresholds, sizeof *at->at_threshold);
                at->thresholds = fair__malloc(o->n_thresholds * sizeof *at->thresholds);
                if (!at->at_threshold || !at->thresholds) {
                    st = fair__fail(err, FAIR_ENOMEM, "out of memory");
                    goto fail;
                }
                for (size_t t = 0; t < o->n_thresholds; t++) {
                    st = at_operating_point(at, o->thresholds[t], o, &at->at_threshold[t], err);
                    if (st != FAIR_OK) goto fail;
                    at->thresholds[at->n_thresholds++] = o->thresholds[t];
                }
            }
            if (a->has_top) {
                at->top = fair__calloc(1, sizeof *at->top);
                if (!at->top) {
                    st = fair__fail(err, FAIR_ENOMEM, "out of memory");
                    goto fail;
                }
                st = at_operating_point(at, a->top_cut, o, at->top, err);
                if (st != FAIR_OK) {
                    fair__free(at->top);
                    at->top = NULL;
                    goto fail;
                }
            }
        }
    }
    /* A reference naming an attribute that does not exist is a mistake worth stopping for. */
    for (size_t r = 0; r < o->n_references; r++) {
        const char *e = o->references[r];
        int known = !strchr(e, '=') && np == 1;
        for (size_t i = 0; i < a->n_attrs && !known; i++) {
            size_t nlen = strlen(a->attrs[i].name);
            known = strncmp(e, a->attrs[i].name, nlen) == 0 && e[nlen] == '=';
        }
        if (!known) {
            st = fair__fail(err, FAIR_EINVAL,
                            strchr(e, '=') ? "reference '%s' names no attribute of this audit"
                                           : "reference '%s' needs the form ATTRIBUTE=VALUE when there are several --group columns",
                            e);
            goto fail;
        }
    }
    *out = a;
    return FAIR_OK;
fail:
    fair_audit_free(a);
    return st;
}

/* ---------------------------------------------------------------------------------------- */
/* Accessors */

uint64_t fair_audit_rows_read(const fair_audit *a) { return a->rows_read; }
uint64_t fair_audit_rows_used(const fair_audit *a) { return a->rows_used; }
uint64_t fair_audit_rows_skipped(const fair_audit *a, fair_skip_reason r)
{
    return (unsigned)r < FAIR_SKIP_COUNT ? a->skipped[r] : 0;
}
size_t fair_audit_n_attributes(const fair_audit *a) { return a->n_attrs; }
const char *fair_audit_attribute_name(const fair_audit *a, size_t attr)
{
    return attr < a->n_attrs ? a->attrs[attr].name : NULL;
}
size_t fair_audit_n_groups(const fair_audit *a, size_t attr)
{
    return attr < a->n_attrs ? a->attrs[attr].n_groups : 0;
}
const char *fair_audit_group_label(const fair_audit *a, size_t attr, size_t g)
{
    return attr < a->n_attrs && g < a->attrs[attr].n_groups ? a->attrs[attr].groups[g].label : NULL;
}
fair_counts fair_audit_group_counts(const fair_audit *a, size_t attr, size_t g)
{
    fair_counts zero = {0, 0, 0, 0};
    return attr < a->n_attrs && g < a->attrs[attr].n_groups ? a->attrs[attr].groups[g].c : zero;
}
size_t fair_audit_reference(const fair_audit *a, size_t attr)
{
    return attr < a->n_attrs ? a->attrs[attr].ref : 0;
}

const fair_score_metrics *fair_audit_group_score(const fair_audit *a, size_t attr, size_t g)
{
    const fair__group *gr;
    if (attr >= a->n_attrs || g >= a->attrs[attr].n_groups) return NULL;
    gr = &a->attrs[attr].groups[g];
    return gr->has_hist && !gr->suppressed ? &gr->sm : NULL;
}

const fair_reliability_bin *fair_audit_group_reliability(const fair_audit *a, size_t attr, size_t g)
{
    return fair_audit_group_score(a, attr, g) ? a->attrs[attr].groups[g].reliability : NULL;
}
