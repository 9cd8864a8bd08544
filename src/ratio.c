/* ratio.c -- a sales ratio study: reads the sales through the CSV ingest, puts them in one
 * canonical order (so nothing depends on the thread count), trims outliers, computes the
 * statistics overall, per group and per value stratum, and bootstraps their intervals with
 * per-row multiplicities, one replicate per job, streams keyed by (seed, cell, replicate). */
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "ratio_internal.h"

static const char *const skip_names[FAIR_RATIO_SKIP_COUNT] = {
#define X(id, key, text) #key,
    FAIR_RATIO_SKIP_MAP(X)
#undef X
};
static const char *const skip_texts[FAIR_RATIO_SKIP_COUNT] = {
#define X(id, key, text) text,
    FAIR_RATIO_SKIP_MAP(X)
#undef X
};

const char *fair_ratio_skip_name(fair_ratio_skip_reason r)
{
    return (size_t)r < FAIR_RATIO_SKIP_COUNT ? skip_names[r] : "unknown";
}

const char *fair_ratio_skip_text(fair_ratio_skip_reason r)
{
    return (size_t)r < FAIR_RATIO_SKIP_COUNT ? skip_texts[r] : "unknown";
}

void fair_ratio_options_init(fair_ratio_options *o)
{
    fair_audit_options ao;
    fair_audit_options_init(&ao);
    memset(o, 0, sizeof *o);
    o->quantiles = 10;
    o->strata = FAIR_RATIO_STRATA_PROXY;
    o->trim = FAIR_RATIO_TRIM_NONE;
    o->bootstrap = 1000;
    o->seed = FAIR_DEFAULT_SEED;
    o->boot_scheme = FAIR_BOOT_STRATIFIED;
    o->ci_level = 0.95;
    o->min_group_size = 30;
    o->range_median = (fair_ratio_range){0.90, 1.10};
    o->range_cod = (fair_ratio_range){5.0, 15.0};
    o->range_prd = (fair_ratio_range){0.98, 1.03};
    o->range_prb = (fair_ratio_range){-0.05, 0.05};
    o->range_mki = (fair_ratio_range){0.95, 1.05};
    o->range_vei = (fair_ratio_range){-10.0, 10.0};
    o->chasing_band = 0.02;
    o->chasing_gap = 0.03;
    o->max_field_bytes = ao.max_field_bytes;
    o->max_line_bytes = ao.max_line_bytes;
    o->max_columns = ao.max_columns;
    o->max_groups = ao.max_groups;
    o->chunk_bytes = ao.chunk_bytes;
    o->max_gzip_ratio = ao.max_gzip_ratio;
    o->max_sales = 100000000u;
}

/* ---- accessors ---- */
uint64_t fair_ratio_rows_read(const fair_ratio *r) { return r->rows_read; }
uint64_t fair_ratio_sales(const fair_ratio *r) { return r->sales; }
uint64_t fair_ratio_rows_skipped(const fair_ratio *r, fair_skip_reason why)
{
    return (size_t)why < FAIR_SKIP_COUNT ? r->skipped[why] : 0;
}
uint64_t fair_ratio_rows_skipped_value(const fair_ratio *r, fair_ratio_skip_reason why)
{
    return (size_t)why < FAIR_RATIO_SKIP_COUNT ? r->vskipped[why] : 0;
}
int fair_ratio_overall(const fair_ratio *r, fair_ratio_stat s, double *value)
{
    if ((size_t)s >= FAIR_RATIO_STAT_COUNT || !r->all.st[s].defined) return 0;
    *value = r->all.st[s].value;
    return 1;
}

static void set_release(fair__rset *s) { fair__free(s->label); }

void fair_ratio_free(fair_ratio *r)
{
    if (!r) return;
    fair__free(r->input_name);
    for (size_t i = 0; i < r->n_shards; i++) fair__free(r->shards[i]);
    fair__free(r->shards);
    fair__free(r->assessed_col);
    fair__free(r->sale_col);
    fair__free(r->reference);
    for (size_t i = 0; r->group_cols && i < r->opt.n_group_cols; i++) fair__free(r->group_cols[i]);
    fair__free(r->group_cols);
    set_release(&r->all);
    for (size_t i = 0; i < r->n_attrs; i++) {
        for (size_t g = 0; g < r->attrs[i].n_groups; g++) set_release(&r->attrs[i].groups[g]);
        fair__free(r->attrs[i].groups);
        fair__free(r->attrs[i].name);
    }
    fair__free(r->attrs);
    for (size_t k = 0; k < r->n_strata; k++) set_release(&r->strata[k]);
    fair__free(r->strata);
    fair__free(r);
}

/* ---- canonical order ---- */

/* qsort context is not reentrant in C17, so the comparators see plain records. */
typedef struct {
    const char *k;
    size_t len;
    size_t entry;
} key_ref;

static int cmp_key(const void *x, const void *y)
{
    const key_ref *p = x, *q = y;
    size_t n = p->len < q->len ? p->len : q->len;
    int c = n ? memcmp(p->k, q->k, n) : 0;
    if (c) return c;
    return (p->len > q->len) - (p->len < q->len);
}

/* Radix sorts by the last key first. */
fair_status fair__sort_sales(fair__sale *x, size_t n)
{
    fair__kv *kv = fair__malloc(2 * (n ? n : 1) * sizeof *kv);
    fair__sale *y = fair__malloc((n ? n : 1) * sizeof *y);
    if (!kv || !y) {
        fair__free(kv);
        fair__free(y);
        return FAIR_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) kv[i] = (fair__kv){fair__f64_key(x[i].a), i};
    fair__kv_sort(kv, kv + n, n);
    for (size_t i = 0; i < n; i++) kv[i].k = fair__f64_key(x[kv[i].v].s);
    fair__kv_sort(kv, kv + n, n);
    for (size_t i = 0; i < n; i++) kv[i].k = x[kv[i].v].key;
    fair__kv_sort(kv, kv + n, n);
    for (size_t i = 0; i < n; i++) y[i] = x[kv[i].v];
    memcpy(x, y, n * sizeof *x);
    fair__free(kv);
    fair__free(y);
    return FAIR_OK;
}

/* out[0..n): the indices 0..n-1 ordered by (k1[i], k2[i], i), a total order. */
static fair_status order_by(const double *k1, const double *k2, size_t n, size_t *out)
{
    fair__kv *kv = fair__malloc(2 * (n ? n : 1) * sizeof *kv);
    if (!kv) return FAIR_ENOMEM;
    for (size_t i = 0; i < n; i++) kv[i] = (fair__kv){fair__f64_key(k2[i]), i};
    fair__kv_sort(kv, kv + n, n);
    for (size_t i = 0; i < n; i++) kv[i].k = fair__f64_key(k1[kv[i].v]);
    fair__kv_sort(kv, kv + n, n);
    for (size_t i = 0; i < n; i++) out[i] = (size_t)kv[i].v;
    fair__free(kv);
    return FAIR_OK;
}

/* ---- the study ---- */

/* Work arrays of one run. */
typedef struct {
    size_t n;             /* sales after trimming */
    double *a, *s;        /* canonical order */
    size_t *cell;         /* cell (group combination) rank per sale */
    size_t *by_r, *by_s;  /* all sales by ratio, by sale price */
    size_t n_cells;
    size_t *cell_lo;      /* sales of cell c: [cell_lo[c], cell_lo[c + 1]) */
    uint64_t *cell_hash;  /* stream key of each cell */
    /* sets: 0 = all, then each attribute's groups, then the value strata */
    size_t n_sets;
    fair__rset **set;     /* borrowed pointers into the result */
    fair__rsorted *sd;    /* per set: its sales by ratio and by sale price */
    size_t **member;      /* per attribute: group of each sale */
} work;

static void work_release(work *w)
{
    fair__free(w->a);
    fair__free(w->s);
    fair__free(w->cell);
    fair__free(w->by_r);
    fair__free(w->by_s);
    fair__free(w->cell_lo);
    fair__free(w->cell_hash);
    for (size_t k = 0; w->sd && k < w->n_sets; k++) {
        fair__free(w->sd[k].rr);
        fair__free(w->sd[k].ar);
        fair__free(w->sd[k].sr);
        fair__free(w->sd[k].as);
        fair__free(w->sd[k].ss);
        fair__free(w->sd[k].ir);
        fair__free(w->sd[k].is);
        fair__free(w->sd[k].lx);
        fair__free(w->sd[k].wx);
    }
    fair__free(w->sd);
    fair__free(w->set);
}

static fair_status oom(fair_error *err) { return fair__fail(err, FAIR_ENOMEM, "out of memory in the ratio study"); }

/* The trimming bounds of sorted ratios r[0..n) (R's type 7 quantiles, as assessr). */
static void trim_bounds(const double *r, size_t n, fair_ratio_trim t, double *lo, double *hi)
{
    if (t == FAIR_RATIO_TRIM_P5P95) {
        *lo = fair__ratio_quantile7(r, n, 0.05);
        *hi = fair__ratio_quantile7(r, n, 0.95);
    } else {
        double q1 = fair__ratio_quantile7(r, n, 0.25), q3 = fair__ratio_quantile7(r, n, 0.75);
        double k = t == FAIR_RATIO_TRIM_IQR3 ? 3.0 : 1.5;
        *lo = q1 - k * (q3 - q1);
        *hi = q3 + k * (q3 - q1);
    }
}

/* Fills sets k0 .. k0 + ng - 1 with the sales for which member[i] == 0 .. ng - 1 (member NULL,
 * k0 0, ng 1: all of them, which must come first), in one pass over each order of all sales. */
static fair_status fill_sets(work *w, size_t k0, const size_t *member, size_t ng)
{
    size_t *pos = fair__calloc(ng, sizeof *pos);
    if (!pos) return FAIR_ENOMEM;
    for (size_t i = 0; i < w->n; i++) pos[member ? member[i] : 0]++;
    for (size_t g = 0; g < ng; g++) {
        fair__rsorted *d = &w->sd[k0 + g];
        size_t c = pos[g] ? pos[g] : 1;
        d->m = pos[g];
        d->rr = fair__malloc(c * sizeof *d->rr);
        d->ar = fair__malloc(c * sizeof *d->ar);
        d->sr = fair__malloc(c * sizeof *d->sr);
        d->as = fair__malloc(c * sizeof *d->as);
        d->ss = fair__malloc(c * sizeof *d->ss);
        if (member) { /* the set of all sales has none: its positions are 0, 1, ... */
            d->ir = fair__malloc(c * sizeof *d->ir);
            d->is = fair__malloc(c * sizeof *d->is);
        }
        if (!d->rr || !d->ar || !d->sr || !d->as || !d->ss || (member && (!d->ir || !d->is))) {
            fair__free(pos);
            return FAIR_ENOMEM;
        }
    }
    memset(pos, 0, ng * sizeof *pos);
    if (!member) { /* all sales: gathered from the canonical order */
        fair__rsorted *d = &w->sd[k0];
        for (size_t i = 0; i < w->n; i++) {
            size_t id = w->by_r[i];
            d->ar[i] = w->a[id];
            d->sr[i] = w->s[id];
            d->rr[i] = w->a[id] / w->s[id];
        }
        for (size_t i = 0; i < w->n; i++) {
            size_t id = w->by_s[i];
            d->as[i] = w->a[id];
            d->ss[i] = w->s[id];
        }
    } else { /* read in order from the set of all sales (set 0, filled first) */
        const fair__rsorted *all = &w->sd[0];
        for (size_t i = 0; i < w->n; i++) {
            size_t g = member[w->by_r[i]], j = pos[g]++;
            fair__rsorted *d = &w->sd[k0 + g];
            d->ar[j] = all->ar[i];
            d->sr[j] = all->sr[i];
            d->rr[j] = all->rr[i];
            d->ir[j] = (uint32_t)i;
        }
        memset(pos, 0, ng * sizeof *pos);
        for (size_t i = 0; i < w->n; i++) {
            size_t g = member[w->by_s[i]], j = pos[g]++;
            fair__rsorted *d = &w->sd[k0 + g];
            d->as[j] = all->as[i];
            d->ss[j] = all->ss[i];
            d->is[j] = (uint32_t)i;
        }
    }
    fair__free(pos);
    return FAIR_OK;
}

/* Point statistics of set k. scr: 5 m + 5 doubles, m the set's sales. */
static void point_set(const work *w, size_t k, const fair_ratio_options *o, double *scr)
{
    fair__rset *rs = w->set[k];
    const fair__rsorted *d = &w->sd[k];
    const size_t m = d->m;
    double *x = scr, *y = scr + m;
    rs->n = m;
    rs->too_small = m < o->min_group_size;
    fair__ratio_point(d->ar, d->sr, d->as, d->ss, m, o->ci_level, x, y, rs->st, &rs->prb_ols);
    if (m && fair__ratio_median_ranks(m, o->ci_level, &rs->rank_lo, &rs->rank_hi)) {
        rs->median_rank.ok = 1;
        rs->median_rank.lo = d->ar[rs->rank_lo - 1] / d->sr[rs->rank_lo - 1];
        rs->median_rank.hi = d->ar[rs->rank_hi - 1] / d->sr[rs->rank_hi - 1];
    }
    fair__ratio_errors(d->ar, d->sr, m, rs->err);
    rs->st[FAIR_RATIO_VEI] = fair__ratio_vei(d->ar, d->sr, m, fair__ratio_vei_strata(m), scr);
    for (size_t i = 0; i < m; i++) x[i] = d->ar[i] / d->sr[i];
    rs->chasing = fair__ratio_chasing(x, m, o->chasing_band, o->chasing_gap);
}

/* Draws replicate b's multiplicities into c8 (8 bits; returns 1, leaving c8 unfinished, when a
 * count would pass 255) or c32: n draws over all sales (simple), or within each cell with the
 * cell's own stream (stratified). The same (seed, cell, b) gives the same draws whichever
 * thread runs it, and both widths draw the same numbers. */
static int draw(const work *w, const fair_ratio_options *o, uint64_t b, uint8_t *c8, uint32_t *c32)
{
    fair_rng r;
    uint32_t buf[1024];
    for (size_t c = 0; c < (o->boot_scheme == FAIR_BOOT_SIMPLE ? 1 : w->n_cells); c++) {
        size_t lo = o->boot_scheme == FAIR_BOOT_SIMPLE ? 0 : w->cell_lo[c];
        size_t m = o->boot_scheme == FAIR_BOOT_SIMPLE ? w->n : w->cell_lo[c + 1] - lo;
        if (o->boot_scheme == FAIR_BOOT_SIMPLE) fair_rng_seed(&r, o->seed, b);
        else fair_rng_seed(&r, o->seed ^ w->cell_hash[c], b);
        /* the draws fair_rng_bounded(&r, m) in order, a buffer at a time */
        for (size_t i0 = 0; i0 < m; i0 += 1024) {
            size_t nb = m - i0 < 1024 ? m - i0 : 1024;
            fair__rng_bounded_fill(&r, (uint32_t)m, buf, nb);
            for (size_t i = 0; i < nb; i++) {
                size_t j = lo + buf[i];
                if (c32) {
                    c32[j]++;
                } else if (++c8[j] == 0) {
                    return 1;
                }
            }
        }
    }
    return 0;
}

/* Bootstrap: B replicates; each draws multiplicities for every sale (within each cell when
 * stratified), lays them out in the ratio order and in the sale-price order of all sales (in
 * which every set's sales lie at increasing positions), and evaluates every set.
 * vals[(k * STAT + f) * B + b]; NaN = undefined. */
static fair_status bootstrap(const work *w, const fair_ratio_options *o, size_t nthreads,
                             double *vals, fair_error *err)
{
    const uint64_t B = o->bootstrap;
    const size_t NS = FAIR_RATIO_STAT_COUNT, n = w->n;
    uint32_t *by_r = fair__malloc(n * sizeof *by_r), *by_s = fair__malloc(n * sizeof *by_s);
    int failed = 0;
    if (!by_r || !by_s) failed = 1;
    for (size_t i = 0; !failed && i < n; i++) {
        by_r[i] = (uint32_t)w->by_r[i];
        by_s[i] = (uint32_t)w->by_s[i];
    }
#ifdef _OPENMP
#pragma omp parallel for num_threads((int)nthreads) schedule(dynamic, 1) reduction(| : failed)
#endif
    for (size_t k = 0; k < w->n_sets; k++)
        if (fair__ratio_replicate_prepare(&w->sd[k]) != FAIR_OK) failed = 1;
    if (failed) {
        fair__free(by_r);
        fair__free(by_s);
        return oom(err);
    }
#ifdef _OPENMP
#pragma omp parallel num_threads((int)nthreads) reduction(| : failed)
#endif
    {
        uint8_t *c8 = fair__calloc(3 * n, 1);
        uint32_t *c32 = NULL, *wr = fair__malloc(2 * n * sizeof *wr);
        if (!c8 || !wr) failed = 1;
#ifdef _OPENMP
#pragma omp for schedule(dynamic, 1)
#endif
        for (uint64_t b = 0; b < B; b++) {
            fair__rcounts cnt = {c8 + n, c8 + 2 * n, NULL, NULL};
            if (!c8 || !wr) continue;
            memset(c8, 0, n);
            if (draw(w, o, b, c8, NULL)) {
                /* a count passed 255: redo the draws with 32-bit counts */
                if (!c32) c32 = fair__malloc(3 * n * sizeof *c32);
                if (!c32) {
                    failed = 1;
                    continue;
                }
                memset(c32, 0, n * sizeof *c32);
                draw(w, o, b, NULL, c32);
                for (size_t i = 0; i < n; i++) {
                    c32[n + i] = c32[by_r[i]];
                    c32[2 * n + i] = c32[by_s[i]];
                }
                cnt = (fair__rcounts){NULL, NULL, c32 + n, c32 + 2 * n};
            } else {
                for (size_t i = 0; i < n; i++) {
                    c8[n + i] = c8[by_r[i]];
                    c8[2 * n + i] = c8[by_s[i]];
                }
            }
            for (size_t k = 0; k < w->n_sets; k++) {
                fair__num st[FAIR_RATIO_STAT_COUNT];
                fair__ratio_replicate(&w->sd[k], &cnt, wr, wr + n, st);
                for (size_t f = 0; f < NS; f++)
                    vals[(k * NS + f) * B + b] = st[f].defined ? st[f].value : NAN;
            }
        }
        fair__free(c8);
        fair__free(c32);
        fair__free(wr);
    }
    (void)nthreads;
    fair__free(by_r);
    fair__free(by_s);
    if (failed) return oom(err);
    return FAIR_OK;
}

/* Percentile interval of replicate values v[0..B) (NaN = undefined); tmp: B doubles. */
static void percentile(const double *v, uint64_t B, double level, double *tmp, fair__boot *out)
{
    size_t d = 0;
    for (uint64_t b = 0; b < B; b++)
        if (!isnan(v[b])) tmp[d++] = v[b];
    out->computed = 1;
    out->undefined = B - d;
    out->bca_reason = "not computed for ratio statistics (medians and COD use percentile intervals)";
    if (d < 2) return;
    gsl_sort(tmp, 1, d);
    out->pct.ok = 1;
    out->pct.lo = fair__ratio_quantile7(tmp, d, 0.5 - 0.5 * level);
    out->pct.hi = fair__ratio_quantile7(tmp, d, 0.5 + 0.5 * level);
}

static fair_status copy_options(fair_ratio *r, const fair_ratio_options *o)
{
    r->opt = *o;
    r->assessed_col = fair__strdup(o->assessed_col);
    r->sale_col = fair__strdup(o->sale_col);
    r->reference = o->reference ? fair__strdup(o->reference) : NULL;
    r->group_cols = fair__calloc(o->n_group_cols ? o->n_group_cols : 1, sizeof(char *));
    if (!r->assessed_col || !r->sale_col || (o->reference && !r->reference) || !r->group_cols)
        return FAIR_ENOMEM;
    for (size_t i = 0; i < o->n_group_cols; i++)
        if (!(r->group_cols[i] = fair__strdup(o->group_cols[i]))) return FAIR_ENOMEM;
    r->opt.assessed_col = r->assessed_col;
    r->opt.sale_col = r->sale_col;
    r->opt.reference = r->reference;
    r->opt.group_cols = (const char *const *)r->group_cols;
    return FAIR_OK;
}

/* The reference group of attribute `at`: the value named by --reference (VALUE with one
 * group column, ATTR=VALUE with several), else the largest group (ties: bytewise first). */
static fair_status pick_reference(fair__rattr *at, const fair_ratio_options *o, fair_error *err)
{
    const char *want = NULL;
    if (o->reference) {
        size_t nl = strlen(at->name);
        if (o->n_group_cols == 1 && !(strncmp(o->reference, at->name, nl) == 0 && o->reference[nl] == '='))
            want = o->reference;
        else if (strncmp(o->reference, at->name, nl) == 0 && o->reference[nl] == '=')
            want = o->reference + nl + 1;
    }
    at->ref = 0;
    at->ref_rule = "largest";
    if (want) {
        for (size_t g = 0; g < at->n_groups; g++)
            if (strcmp(at->groups[g].label, want) == 0) {
                at->ref = g;
                at->ref_rule = "value";
                return FAIR_OK;
            }
        return fair__fail(err, FAIR_EINVAL, "no group '%s' in column '%s' (--reference)", want, at->name);
    }
    for (size_t g = 1; g < at->n_groups; g++)
        if (at->groups[g].n > at->groups[at->ref].n) at->ref = g;
    return FAIR_OK;
}

static fair_status check_options(const fair_ratio_options *o, fair_error *err)
{
    FAIR__RETURN_IF(!o->assessed_col || !o->sale_col, FAIR_EINVAL, err,
                    "a ratio study needs an assessed value column and a sale price column");
    FAIR__RETURN_IF(!(o->ci_level > 0 && o->ci_level < 1), FAIR_EINVAL, err,
                    "the confidence level must lie between 0 and 1");
    FAIR__RETURN_IF(o->quantiles == 1 || o->quantiles > 100, FAIR_EINVAL, err,
                    "the number of value strata must be 0 or 2 to 100");
    FAIR__RETURN_IF(o->max_sales == 0 || o->max_sales > UINT32_MAX, FAIR_EINVAL, err,
                    "the sales limit must be 1 to 4294967295");
    FAIR__RETURN_IF(o->reference && o->n_group_cols == 0, FAIR_EINVAL, err,
                    "a reference group needs a group column");
    FAIR__RETURN_IF(o->reference && o->n_group_cols > 1 && !strchr(o->reference, '='), FAIR_EINVAL,
                    err, "with several group columns the reference is ATTR=VALUE");
    return FAIR_OK;
}

/* Everything after reading: canonical order, trimming, sets, statistics, bootstrap. */
static fair_status study(fair_ratio *r, fair__ingest *ing, const fair_ratio_options *o,
                         size_t nthreads, fair_error *err)
{
    work w;
    const size_t n_entries = ing->table.count;
    key_ref *keys = NULL;
    size_t *rank = NULL, n0 = ing->n_sales, nattr = o->n_group_cols, n_q = 0;
    double *scr = NULL, *tmp = NULL, *vals = NULL;
    fair_status st = FAIR_ENOMEM;

    memset(&w, 0, sizeof w);
    /* 1. Cells in bytewise order of their keys; sales by (cell, sale price, assessed). */
    keys = fair__malloc(n_entries * sizeof *keys);
    rank = fair__malloc(n_entries * sizeof *rank);
    if (!keys || !rank) goto out;
    for (size_t e = 0; e < n_entries; e++) {
        keys[e].k = fair__table_key(&ing->table, e, &keys[e].len);
        keys[e].entry = e;
    }
    qsort(keys, n_entries, sizeof *keys, cmp_key);
    for (size_t e = 0; e < n_entries; e++) rank[keys[e].entry] = e;
    for (size_t i = 0; i < n0; i++) ing->sales[i].key = rank[ing->sales[i].key];
    if (fair__sort_sales(ing->sales, n0) != FAIR_OK) goto out;

    /* 2. Trimming, on all sales' ratios at once. */
    tmp = fair__malloc((n0 > o->bootstrap ? n0 : (size_t)o->bootstrap) * sizeof *tmp + sizeof *tmp);
    if (!tmp) goto out;
    r->trim_lo = -INFINITY;
    r->trim_hi = INFINITY;
    if (o->trim != FAIR_RATIO_TRIM_NONE) {
        for (size_t i = 0; i < n0; i++) tmp[i] = ing->sales[i].a / ing->sales[i].s;
        if (fair__sort_f64(tmp, n0) != FAIR_OK) goto out;
        trim_bounds(tmp, n0, o->trim, &r->trim_lo, &r->trim_hi);
    }

    w.a = fair__malloc(n0 * sizeof *w.a);
    w.s = fair__malloc(n0 * sizeof *w.s);
    w.cell = fair__malloc(n0 * sizeof *w.cell);
    w.cell_lo = fair__calloc(n_entries + 1, sizeof *w.cell_lo);
    w.cell_hash = fair__calloc(n_entries + 1, sizeof *w.cell_hash);
    if (!w.a || !w.s || !w.cell || !w.cell_lo || !w.cell_hash) goto out;
    {
        /* trimmed per cell, to be summed into the groups */
        uint64_t *trim_cell = fair__calloc(n_entries + 1, sizeof *trim_cell);
        if (!trim_cell) goto out;
        for (size_t i = 0; i < n0; i++) {
            const fair__sale *x = &ing->sales[i];
            double q = x->a / x->s;
            if (q < r->trim_lo || q > r->trim_hi) {
                trim_cell[x->key]++;
                r->trimmed++;
                continue;
            }
            w.a[w.n] = x->a;
            w.s[w.n] = x->s;
            w.cell[w.n++] = x->key;
        }
        r->all.trimmed = r->trimmed;
        /* 3. The group attributes: labels of each cell's parts, groups in bytewise order. */
        r->attrs = fair__calloc(nattr ? nattr : 1, sizeof *r->attrs);
        w.member = fair__calloc(nattr ? nattr : 1, sizeof *w.member);
        if (!r->attrs || !w.member) {
            fair__free(trim_cell);
            goto out;
        }
        r->n_attrs = nattr;
        for (size_t j = 0; j < nattr; j++) {
            fair__rattr *at = &r->attrs[j];
            size_t *cell_group = fair__malloc((n_entries + 1) * sizeof *cell_group);
            key_ref *lab = fair__malloc((n_entries + 1) * sizeof *lab);
            const char *parts[64];
            size_t plen[64];
            int ok = cell_group && lab && (at->name = fair__strdup(o->group_cols[j])) != NULL;
            size_t ng = 0;
            for (size_t c = 0; ok && c < n_entries; c++) {
                size_t len;
                const char *k = fair__table_key(&ing->table, keys[c].entry, &len);
                fair__key_parts(k, len, nattr, parts, plen);
                lab[c] = (key_ref){parts[j], plen[j], c};
            }
            if (ok) qsort(lab, n_entries, sizeof *lab, cmp_key);
            if (ok) at->groups = fair__calloc(n_entries ? n_entries : 1, sizeof *at->groups);
            ok = ok && at->groups;
            for (size_t c = 0; ok && c < n_entries; c++) {
                if (c == 0 || cmp_key(&lab[c], &lab[c - 1]) != 0) {
                    at->groups[ng].label = fair__strndup(lab[c].k, lab[c].len);
                    if (!at->groups[ng].label) ok = 0;
                    ng++;
                }
                cell_group[lab[c].entry] = ng - 1;
            }
            at->n_groups = ng;
            w.member[j] = ok ? fair__malloc((w.n ? w.n : 1) * sizeof(size_t)) : NULL;
            if (ok && w.member[j]) {
                for (size_t i = 0; i < w.n; i++) w.member[j][i] = cell_group[w.cell[i]];
                for (size_t c = 0; c < n_entries; c++) at->groups[cell_group[c]].trimmed += trim_cell[c];
            } else {
                ok = 0;
            }
            fair__free(cell_group);
            fair__free(lab);
            if (!ok) {
                fair__free(trim_cell);
                goto out;
            }
        }
        fair__free(trim_cell);
    }
    /* 4. Cells as ranges of the canonical order, with their stream keys (a hash of the
     * cell's key bytes: the same cell draws the same numbers whatever other cells exist). */
    w.n_cells = n_entries;
    for (size_t i = 0; i < w.n; i++) w.cell_lo[w.cell[i] + 1]++;
    for (size_t c = 0; c < n_entries; c++) w.cell_lo[c + 1] += w.cell_lo[c];
    for (size_t c = 0; c < n_entries; c++) {
        uint64_t h = fair__hash(keys[c].k, keys[c].len);
        w.cell_hash[c] = fair_rng_splitmix64(&h);
    }
    fair__free(keys);
    keys = NULL;
    if (w.n == 0) {
        st = fair__fail(err, FAIR_EDATA, "every sale was trimmed");
        goto out_status;
    }

    /* 5. Orders by ratio and by sale price (ties by the other value, then the canonical index). */
    w.by_r = fair__malloc(w.n * sizeof *w.by_r);
    w.by_s = fair__malloc(w.n * sizeof *w.by_s);
    if (!w.by_r || !w.by_s) goto out;
    for (size_t i = 0; i < w.n; i++) tmp[i] = w.a[i] / w.s[i];
    {
        fair_status s1 = FAIR_OK, s2 = FAIR_OK;
#ifdef _OPENMP
#pragma omp parallel sections num_threads(nthreads > 1 ? 2 : 1)
#endif
        {
#ifdef _OPENMP
#pragma omp section
#endif
            s1 = order_by(tmp, w.s, w.n, w.by_r);
#ifdef _OPENMP
#pragma omp section
#endif
            s2 = order_by(w.s, w.a, w.n, w.by_s);
        }
        if (s1 != FAIR_OK || s2 != FAIR_OK) goto out;
    }

    /* 6. Sets: all, the groups, the value strata. */
    n_q = o->quantiles && w.n >= o->quantiles ? o->quantiles : 0;
    w.n_sets = 1 + n_q;
    for (size_t j = 0; j < nattr; j++) w.n_sets += r->attrs[j].n_groups;
    w.set = fair__calloc(w.n_sets, sizeof *w.set);
    w.sd = fair__calloc(w.n_sets, sizeof *w.sd);
    r->strata = fair__calloc(n_q ? n_q : 1, sizeof *r->strata);
    /* scratch: the strata's value proxies and their sorted copy (2 n), and Kruskal-Wallis'
     * rank sums, one per group (at most one per cell) */
    scr = fair__malloc((2 * w.n + n_entries + 2) * sizeof *scr);
    if (!w.set || !w.sd || !r->strata || !scr) goto out;
    r->n_strata = n_q;
    {
        /* set 0 first (its median defines the value proxy, and the other sets are read from
         * it), then one family per attribute and the strata, filled in parallel; sd[k].m of
         * every set is known after this block */
        size_t k = 1, nfam = 0, fk[64 + 2]; /* at most 64 attributes, the strata, the end */
        const size_t *fmember[64 + 1];
        size_t *sq = NULL;
        int failed = 0;
        w.set[0] = &r->all;
        if (!(r->all.label = fair__strdup("all")) || fill_sets(&w, 0, NULL, 1) != FAIR_OK) goto out;
        for (size_t j = 0; j < nattr; j++) {
            for (size_t g = 0; g < r->attrs[j].n_groups; g++) w.set[k + g] = &r->attrs[j].groups[g];
            fk[nfam] = k;
            fmember[nfam++] = w.member[j];
            k += r->attrs[j].n_groups;
        }
        if (n_q) {
            /* Value strata: the IAAO value proxy 0.5 S + 0.5 A / median ratio (or the sale
             * price), cut at its type-7 quantiles j / q; stratum j holds (c_j, c_j+1], the
             * first also its minimum. */
            double med = gsl_stats_median_from_sorted_data(w.sd[0].rr, 1, w.n), *v = scr, *sorted = scr + w.n;
            sq = fair__malloc(w.n * sizeof *sq);
            if (!sq) goto out;
            for (size_t i = 0; i < w.n; i++)
                v[i] = o->strata == FAIR_RATIO_STRATA_SALE ? w.s[i] : 0.5 * w.s[i] + 0.5 * w.a[i] / med;
            memcpy(sorted, v, w.n * sizeof *v);
            if (fair__sort_f64(sorted, w.n) != FAIR_OK) {
                fair__free(sq);
                goto out;
            }
            for (size_t q = 0; q < n_q; q++) {
                char lab[32];
                fair__snprintf(lab, sizeof lab, "Q%zu", q + 1);
                r->strata[q].lo = fair__ratio_quantile7(sorted, w.n, (double)q / (double)n_q);
                r->strata[q].hi = fair__ratio_quantile7(sorted, w.n, (double)(q + 1) / (double)n_q);
                if (!(r->strata[q].label = fair__strdup(lab))) {
                    fair__free(sq);
                    goto out;
                }
            }
            for (size_t i = 0; i < w.n; i++) {
                size_t q = 0;
                while (q + 1 < n_q && v[i] > r->strata[q].hi) q++;
                sq[i] = q;
            }
            for (size_t q = 0; q < n_q; q++) w.set[k + q] = &r->strata[q];
            fk[nfam] = k;
            fmember[nfam++] = sq;
        }
        fk[nfam] = w.n_sets;
#ifdef _OPENMP
#pragma omp parallel for num_threads((int)nthreads) schedule(dynamic, 1) reduction(| : failed)
#endif
        for (size_t f = 0; f < nfam; f++)
            if (fill_sets(&w, fk[f], fmember[f], fk[f + 1] - fk[f]) != FAIR_OK) failed = 1;
        fair__free(sq);
        if (failed) goto out;
    }
    /* the sets' point statistics, in parallel (set 0, the largest, first), each thread with
     * scratch for the largest set it gets */
    {
        int failed = 0;
#ifdef _OPENMP
#pragma omp parallel num_threads((int)nthreads) reduction(| : failed)
#endif
        {
            double *ts = NULL;
            size_t cap = 0;
#ifdef _OPENMP
#pragma omp for schedule(dynamic, 1)
#endif
            for (size_t k = 0; k < w.n_sets; k++) {
                if (failed) continue;
                if (w.sd[k].m + 1 > cap) {
                    fair__free(ts);
                    cap = w.sd[k].m + 1;
                    ts = fair__malloc(5 * cap * sizeof *ts);
                    if (!ts) {
                        failed = 1;
                        continue;
                    }
                }
                point_set(&w, k, o, ts);
            }
            fair__free(ts);
        }
        if (failed) goto out;
    }

    /* 7. Groups: reference, median differences, Kruskal-Wallis. */
    for (size_t j = 0; j < nattr; j++) {
        fair__rattr *at = &r->attrs[j];
        uint64_t *ng = fair__calloc(at->n_groups, sizeof *ng);
        size_t *grp = fair__malloc(w.n * sizeof *grp);
        if (!ng || !grp) {
            fair__free(ng);
            fair__free(grp);
            goto out;
        }
        st = pick_reference(at, o, err);
        if (st != FAIR_OK) {
            fair__free(ng);
            fair__free(grp);
            goto out_status;
        }
        st = FAIR_ENOMEM;
        for (size_t g = 0; g < at->n_groups; g++) {
            fair__rset *gs = &at->groups[g], *ref = &at->groups[at->ref];
            ng[g] = gs->n;
            gs->median_diff = gs->st[0].defined && ref->st[0].defined
                                  ? (fair__num){1, gs->st[0].value - ref->st[0].value, NULL}
                                  : (fair__num){0, 0, "a median is not defined"};
        }
        for (size_t i = 0; i < w.n; i++) grp[i] = w.member[j][w.by_r[i]];
        fair__ratio_kruskal(w.sd[0].rr, grp, w.n, ng, at->n_groups, scr, &at->kw_h, &at->kw_df,
                            &at->kw_p);
        fair__free(ng);
        fair__free(grp);
    }

    /* 8. Bootstrap. */
    if (o->bootstrap > 0) {
        const size_t NS = FAIR_RATIO_STAT_COUNT;
        const uint64_t B = o->bootstrap;
        vals = w.n_sets <= SIZE_MAX / NS / B / sizeof *vals ? fair__malloc(w.n_sets * NS * B * sizeof *vals) : NULL;
        if (!vals) goto out;
        st = bootstrap(&w, o, nthreads, vals, err);
        if (st != FAIR_OK) goto out_status;
        st = FAIR_ENOMEM;
        for (size_t k = 0; k < w.n_sets; k++)
            for (size_t f = 0; f < NS; f++)
                if (f != FAIR_RATIO_VEI)
                    percentile(vals + (k * NS + f) * B, B, o->ci_level, tmp, &w.set[k]->boot[f]);
        /* median differences: replicate b of group g minus that of the reference */
        {
            size_t k0 = 1;
            double *d = fair__malloc(B * sizeof *d);
            if (!d) goto out;
            for (size_t j = 0; j < nattr; j++) {
                fair__rattr *at = &r->attrs[j];
                const double *ref = vals + ((k0 + at->ref) * NS + FAIR_RATIO_MEDIAN) * B;
                for (size_t g = 0; g < at->n_groups; g++) {
                    const double *v = vals + ((k0 + g) * NS + FAIR_RATIO_MEDIAN) * B;
                    for (uint64_t b = 0; b < B; b++) d[b] = v[b] - ref[b];
                    percentile(d, B, o->ci_level, tmp, &at->groups[g].boot_median_diff);
                }
                k0 += at->n_groups;
            }
            fair__free(d);
        }
    }
    st = FAIR_OK;
    goto out_status;
out:
    if (st == FAIR_ENOMEM) oom(err);
out_status:
    for (size_t j = 0; w.member && j < nattr; j++) fair__free(w.member[j]);
    fair__free(w.member);
    work_release(&w);
    fair__free(keys);
    fair__free(rank);
    fair__free(tmp);
    fair__free(scr);
    fair__free(vals);
    return st;
}

fair_status fair__ratio_ingest_options(const fair_ratio_options *o, fair_audit_options *ao,
                                       fair__sale_cols *cols, fair_error *err)
{
    FAIR__FORWARD(check_options(o, err));
    FAIR__RETURN_IF(o->n_group_cols > 64, FAIR_EINVAL, err, "at most 64 group columns");
    fair_audit_options_init(ao);
    ao->group_cols = o->group_cols;
    ao->n_group_cols = o->n_group_cols;
    ao->label_col = NULL;
    ao->delimiter = o->delimiter;
    ao->decimal = o->decimal;
    ao->strict = o->strict;
    ao->n_threads = o->n_threads;
    ao->max_field_bytes = o->max_field_bytes;
    ao->max_line_bytes = o->max_line_bytes;
    ao->max_columns = o->max_columns;
    ao->max_groups = o->max_groups;
    ao->chunk_bytes = o->chunk_bytes;
    ao->max_gzip_ratio = o->max_gzip_ratio;
    cols->assessed_col = o->assessed_col;
    cols->sale_col = o->sale_col;
    cols->max_sales = o->max_sales;
    return FAIR_OK;
}

fair_status fair__ratio_from_ingest(const char *name, fair__ingest *ing, const fair_ratio_options *o,
                                    fair_ratio **out, fair_error *err)
{
    fair_ratio *r;
    fair_status st;
    size_t nthreads = fair__threads(o->n_threads);

    *out = NULL;
    FAIR__FORWARD(check_options(o, err));

    r = fair__calloc(1, sizeof *r);
    if (!r) return oom(err);
    if (copy_options(r, o) != FAIR_OK || !(r->input_name = fair__strdup(name))) {
        fair_ratio_free(r);
        return oom(err);
    }
    r->rows_read = ing->rows_read;
    r->lines = ing->lines;
    r->input_bytes = ing->bytes;
    r->gzip = ing->gzip;
    r->delim = ing->schema.delim;
    r->comma_decimal = ing->schema.comma_decimal;
    r->threads_used = ing->threads_used;
    r->sales = ing->n_sales;
    memcpy(r->skipped, ing->skipped, sizeof r->skipped);
    memcpy(r->vskipped, ing->vskipped, sizeof r->vskipped);
    if (ing->n_sales == 0) {
        st = fair__fail(err, FAIR_EDATA, "%s: no valid sale (%llu rows read, all skipped)", name,
                        (unsigned long long)ing->rows_read);
    } else {
        st = study(r, ing, o, nthreads, err);
    }
    if (st != FAIR_OK) {
        fair_ratio_free(r);
        return st;
    }
    *out = r;
    return FAIR_OK;
}

fair_status fair_ratio_run(const char *path, const fair_ratio_options *o, fair_ratio **out,
                           fair_error *err)
{
    fair_audit_options ao;
    fair__sale_cols cols;
    fair__ingest ing;
    fair_status st;

    *out = NULL;
    FAIR__FORWARD(fair__ratio_ingest_options(o, &ao, &cols, err));
    FAIR__FORWARD(fair__ingest_sales(path, &ao, &cols, &ing, err));
    st = fair__ratio_from_ingest(path, &ing, o, out, err);
    fair__ingest_release(&ing);
    return st;
}
