/* bootstrap.c -- bootstrap confidence intervals on sufficient statistics.
 *
 * Resampling n rows with replacement and counting them into the four confusion cells has the
 * same distribution as drawing the cell counts from Multinomial(n, observed cell proportions)
 * (docs/bootstrap.md), so a replicate costs O(cells), not O(rows). Stratified resampling
 * draws each group independently with its own n; simple resampling first draws the group
 * sizes from Multinomial(N, n_g / N) and then each group's cells given its size, which is the
 * same joint multinomial over all (group, cell) pairs, decomposed.
 *
 * Determinism: the numbers of replicate b for group g of attribute a come from the PCG32
 * stream fair_rng_seed(key(seed, name of a, label of g), b), so they do not depend on which thread draws them
 * or in which order. Each replicate writes its own slot; each statistic's intervals come from
 * its own replicates alone, whichever thread computes them. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <limits.h>
#include <math.h>
#include <string.h>
#include "audit_internal.h"

/* Statistics per group and replicate: the metrics, then the ratios, then the differences. */
#define NM FAIR_METRIC_COUNT
#define NS (3 * NM)
#define FAIR__MAX_REPLICATES 1000000ULL /* 10^6 x 39 statistics x 8 bytes = 312 MB at most */

/* ---- PCG32 as a GSL generator, so GSL's binomial sampler draws from our streams ---- */

static void pcg_set(void *state, unsigned long seed) { fair_rng_seed(state, seed, 0); }
static unsigned long pcg_get(void *state) { return fair__pcg32_next(state); }
static double pcg_get_double(void *state) { return fair__rng_uniform(state); }

static const gsl_rng_type pcg_gsl_type = {"fairaudit-pcg32", 0xffffffffUL, 0, sizeof(fair_rng),
                                          pcg_set, pcg_get, pcg_get_double};

/* The stream key of a unit of an attribute: `attr` and `unit` are hashes of the attribute's
 * name and of the group's label (of "" for the group sizes of the simple scheme; a group
 * label is never empty). Keying by names, not positions, keeps a group's intervals the same
 * whatever other --group columns are analysed beside it. */
static uint64_t stream_key(uint64_t seed, uint64_t attr, uint64_t unit)
{
    uint64_t x = seed;
    uint64_t h = fair_rng_splitmix64(&x);
    x = h ^ (attr * 0x9e3779b97f4a7c15ULL);
    h = fair_rng_splitmix64(&x);
    x = h ^ (unit * 0xbf58476d1ce4e5b9ULL);
    return fair_rng_splitmix64(&x);
}

/* Binomial(n, p) for 64-bit n: GSL's sampler takes unsigned int, so larger n is split into
 * parts whose draws add up (a sum of independent binomials with one p is binomial). */
static uint64_t binomial(const gsl_rng *r, double p, uint64_t n)
{
    uint64_t k = 0;
    if (p <= 0.0 || n == 0) return 0;
    if (p >= 1.0) return n;
    while (n > 0) {
        unsigned int m = n > UINT_MAX ? UINT_MAX : (unsigned int)n;
        k += gsl_ran_binomial(r, p, m);
        n -= m;
    }
    return k;
}

/* Multinomial(n, w / sum w) by conditional binomials (as gsl_ran_multinomial does). */
static void multinomial(const gsl_rng *r, uint64_t n, const uint64_t *w, size_t k, uint64_t *out)
{
    uint64_t wleft = 0, left = n;
    for (size_t i = 0; i < k; i++) wleft += w[i];
    for (size_t i = 0; i < k; i++) {
        out[i] = wleft ? binomial(r, (double)w[i] / (double)wleft, left) : 0;
        left -= out[i];
        wleft -= w[i];
    }
}

static void counts_to_cells(const fair_counts *c, uint64_t cell[4])
{
    cell[0] = c->tp, cell[1] = c->fp, cell[2] = c->tn, cell[3] = c->fn;
}

static fair_counts cells_to_counts(const uint64_t cell[4])
{
    fair_counts c = {cell[0], cell[1], cell[2], cell[3]};
    return c;
}

/* One group's replicate counts: n* rows from its cell proportions. */
static fair_counts draw_group(const fair_counts *c, uint64_t n_star, uint64_t key, uint64_t b)
{
    fair_rng st;
    gsl_rng r = {&pcg_gsl_type, &st};
    uint64_t w[4], out[4];
    fair_rng_seed(&st, key, b);
    counts_to_cells(c, w);
    multinomial(&r, n_star, w, 4, out);
    return cells_to_counts(out);
}

/* The NS statistics of a group against the reference; NaN marks "not defined" (internal only;
 * never written to a report). */
static void group_stats(const fair_counts *g, const fair_counts *ref, double *out)
{
    fair_metric_value m[NM], r[NM];
    fair_metrics_compute(g, m);
    fair_metrics_compute(ref, r);
    for (size_t k = 0; k < NM; k++) {
        out[k] = m[k].defined ? m[k].value : NAN;
        out[NM + k] = m[k].defined && r[k].defined && r[k].value != 0.0 ? m[k].value / r[k].value : NAN;
        out[2 * NM + k] = m[k].defined && r[k].defined ? m[k].value - r[k].value : NAN;
    }
}

/* Summaries from all groups' counts, as doubles with NaN for "not defined". */
static void summary_stats(const fair_counts *c, size_t n_groups, const unsigned char *eligible,
                          size_t ref, fair_metric_value (*m)[NM], double *out)
{
    fair__num s[FAIR__SUM_COUNT];
    for (size_t g = 0; g < n_groups; g++) fair_metrics_compute(&c[g], m[g]);
    fair__summaries((const fair_metric_value(*)[NM])m, eligible, n_groups, ref, s);
    for (size_t k = 0; k < FAIR__SUM_COUNT; k++) out[k] = s[k].defined ? s[k].value : NAN;
}

/* ---- intervals from replicates ---- */

/* Per-thread scratch of intervals(): the defined replicates of a statistic, to sort, and the
 * sort's 2 B words. */
typedef struct {
    double *v;
    uint64_t *tmp;
} boot_scratch;

/* Quantile p of sorted s[0..n) by linear interpolation between order statistics (Hyndman &
 * Fan 1996, type 7, R's default). */
static double quantile(const double *s, size_t n, double p)
{
    const double h = (double)(n - 1) * p, f = floor(h);
    const size_t k = (size_t)f;
    if (k + 1 >= n || h == f) return s[k];
    return s[k] + (h - f) * (s[k + 1] - s[k]);
}

/* Jackknife acceleration (Efron 1987; Efron & Tibshirani 1993, eq. 14.15) from leave-one-out
 * values theta[i js] with multiplicities w[i] (the rows sharing one cell give the same value).
 * Returns 0 when some leave-one-out value is undefined. */
static int acceleration(const double *theta, size_t js, const uint64_t *w, size_t n, double *a)
{
    double sw = 0, mean = 0, num = 0, den = 0;
    for (size_t i = 0; i < n; i++) {
        if (!w[i]) continue;
        if (isnan(theta[i * js])) return 0;
        sw += (double)w[i];
        mean += (double)w[i] * theta[i * js];
    }
    if (sw == 0) return 0;
    mean /= sw;
    for (size_t i = 0; i < n; i++) {
        double d;
        if (!w[i]) continue;
        d = mean - theta[i * js];
        num += (double)w[i] * d * d * d;
        den += (double)w[i] * d * d;
    }
    *a = den > 0 ? num / (6.0 * pow(den, 1.5)) : 0.0;
    return 1;
}

/* Percentile and BCa intervals of one statistic from its replicates vals[0..B) (NaN =
 * undefined), its point estimate and its jackknife values jack[i js] (i < nj). */
static void intervals(const double *vals, uint64_t B, double est, int est_defined,
                      const double *jack, size_t js, const uint64_t *jw, size_t nj, double level,
                      const boot_scratch *sc, fair__boot *out)
{
    size_t d = 0, below = 0, equal = 0;
    double alpha = 1.0 - level, z0, a, zl, zh, p1, p2, *sorted = sc->v;
    memset(out, 0, sizeof *out);
    out->computed = 1;
    for (uint64_t b = 0; b < B; b++) {
        if (isnan(vals[b])) {
            out->undefined++;
            continue;
        }
        sorted[d++] = vals[b];
        if (est_defined) {
            below += vals[b] < est;
            equal += vals[b] == est;
        }
    }
    if (d < 2) {
        out->bca_reason = "fewer than two replicates with the statistic defined";
        return;
    }
    /* One sort serves all four quantiles: sorting (radix) costs less than selecting each. */
    fair__sort_f64_with(sorted, sc->tmp, d);
    out->pct.ok = 1;
    out->pct.lo = quantile(sorted, d, alpha / 2);
    out->pct.hi = quantile(sorted, d, 1 - alpha / 2);
    if (!est_defined) {
        out->bca_reason = "the point estimate is not defined";
        return;
    }
    /* Bias correction z0 = Phi^-1(share of replicates below the estimate), ties counted half. */
    p1 = ((double)below + 0.5 * (double)equal) / (double)d;
    if (p1 <= 0.0 || p1 >= 1.0) {
        out->bca_reason = "every replicate lies on one side of the estimate";
        return;
    }
    if (!acceleration(jack, js, jw, nj, &a)) {
        out->bca_reason = "a jackknife value is not defined";
        return;
    }
    z0 = gsl_cdf_ugaussian_Pinv(p1);
    zl = gsl_cdf_ugaussian_Pinv(alpha / 2);
    zh = gsl_cdf_ugaussian_Pinv(1 - alpha / 2);
    p1 = gsl_cdf_ugaussian_P(z0 + (z0 + zl) / (1 - a * (z0 + zl)));
    p2 = gsl_cdf_ugaussian_P(z0 + (z0 + zh) / (1 - a * (z0 + zh)));
    if (!(p1 >= 0 && p1 <= 1 && p2 >= 0 && p2 <= 1 && p1 <= p2)) {
        out->bca_reason = "the adjusted percentiles fall outside [0, 1]";
        return;
    }
    out->bca.ok = 1;
    out->bca.lo = quantile(sorted, d, p1);
    out->bca.hi = quantile(sorted, d, p2);
}

/* K statistics whose intervals intervals_all() computes: statistic k has its replicates at
 * vals[k B ..], its point estimate est[k] (NaN: not defined), its jackknife values at
 * jack[k ks + i js] (i < nj, with multiplicities jw[i]), and its intervals go to *dst[k]. */
typedef struct {
    const double *vals, *est, *jack;
    size_t K, ks, js, nj;
    const uint64_t *jw;
    fair__boot *const *dst;
} stat_set;

/* The intervals of a stat_set, the statistics shared among `nt` threads (sc: one scratch a
 * thread). Each statistic's intervals depend on its own numbers only. */
static void intervals_all(const stat_set *ss, uint64_t B, double level, const boot_scratch *sc,
                          size_t nt)
{
    (void)nt; /* only read by the OpenMP pragma */
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, 1) num_threads((int)nt) if (nt > 1 && ss->K * B >= 4096)
#endif
    for (size_t k = 0; k < ss->K; k++)
        intervals(&ss->vals[k * B], B, ss->est[k], !isnan(ss->est[k]), ss->jack + k * ss->ks, ss->js,
                  ss->jw, ss->nj, level, &sc[fair__thread_num()], ss->dst[k]);
}

/* ---- score metrics ---- */

#define SCORE_BOOT_BINS 128 /* histogram cells per label for resampling score metrics */
#define N_SCORE_BOOT 7      /* auc .. calibration_intercept: the score metrics bootstrapped */

/* A multinomial over up to 2 x SCORE_BOOT_BINS cells drawn down a binary tree (the score
 * bootstrap's): the cells are the leaves of a complete tree of SCORE_TREE leaves (those past
 * the last cell have weight 0), and each inner node splits its count between its two halves
 * by one binomial, with the left half's share of the weight. That is the multinomial
 * (conditioning on a half's total is exact), with draws from binomial.c's sampler (BTRD) on
 * the stream itself. The nodes are taken level by level, so the draws of a level do not wait
 * on one another (a cell-by-cell chain of conditional binomials makes every draw wait for the
 * last); the split probabilities depend on the group only and are set once. */
#define SCORE_TREE (2 * SCORE_BOOT_BINS)

/* The tree for weights w[0 .. k), 1 <= k <= SCORE_TREE: returns its leaves (the least power
 * of two >= k, at least 2) and sets split[j], node j's left share, j = 1 .. leaves - 1 (node j's
 * children are 2j and 2j + 1, leaf i is node leaves + i). */
static size_t tree_splits(const uint64_t *w, size_t k, double split[SCORE_TREE])
{
    uint64_t tw[2 * SCORE_TREE];
    size_t leaves = 2;
    while (leaves < k) leaves *= 2;
    for (size_t i = 0; i < leaves; i++) tw[leaves + i] = i < k ? w[i] : 0;
    for (size_t j = leaves - 1; j >= 1; j--) {
        tw[j] = tw[2 * j] + tw[2 * j + 1];
        split[j] = tw[j] ? (double)tw[2 * j] / (double)tw[j] : 0.0;
    }
    split[0] = 0.0;
    return leaves;
}

/* The group's histogram with at most SCORE_BOOT_BINS distinct values: consecutive distinct
 * scores are pooled into bins of about n / SCORE_BOOT_BINS rows (whole values only), each bin
 * at the row-weighted mean of its scores. Exact when there are few distinct scores. */
static size_t coarsen(const fair__shist *h, double *s, uint64_t *n0, uint64_t *n1)
{
    uint64_t n = 0, before = 0, in_bin = 0;
    size_t m = 0, last = 0;
    double sum = 0;
    const int exact = h->count <= SCORE_BOOT_BINS;
    for (size_t i = 0; i < h->count; i++) n += h->n[i][0] + h->n[i][1] + h->n[i][2] + h->n[i][3];
    for (size_t i = 0; i < h->count; i++) {
        uint64_t k0 = h->n[i][0] + h->n[i][1], k1 = h->n[i][2] + h->n[i][3];
        size_t bin = exact ? i : (size_t)((double)before * SCORE_BOOT_BINS / (double)n);
        if (m == 0 || bin > last) {
            if (m > 0) s[m - 1] = in_bin ? sum / (double)in_bin : h->s[i];
            n0[m] = n1[m] = 0;
            sum = 0;
            in_bin = 0;
            last = bin;
            m++;
        }
        n0[m - 1] += k0;
        n1[m - 1] += k1;
        sum += h->s[i] * (double)(k0 + k1);
        in_bin += k0 + k1;
        before += k0 + k1;
    }
    if (m > 0) s[m - 1] = in_bin ? sum / (double)in_bin : h->s[h->count - 1];
    return m;
}

static void score_stats(const double *s, const fair__score_resample *rs, const uint64_t *n0,
                        const uint64_t *n1, size_t m, const fair_score_options *so, double *out)
{
    fair_score_hist h = {s, n0, n1, m};
    fair_score_metrics sm;
    if (fair__score_metrics_resampled(&h, rs, so, &sm) != FAIR_OK) {
        for (size_t k = 0; k < N_SCORE_BOOT; k++) out[k] = NAN;
        return;
    }
    for (size_t k = 0; k < N_SCORE_BOOT; k++) out[k] = sm.m[k].defined ? sm.m[k].value : NAN;
}

static fair_status boot_scores(fair__group *gr, const fair_audit_options *o, uint64_t attr_hash,
                               const uint64_t *sizes, size_t G, size_t nt, double *vals,
                               const boot_scratch *sc, fair_error *err)
{
    const uint64_t B = o->bootstrap;
    double s[SCORE_BOOT_BINS], logit[SCORE_BOOT_BINS], split[SCORE_TREE], *jack;
    size_t leaves;
    fair__score_resample hint;
    uint64_t n0[SCORE_BOOT_BINS], n1[SCORE_BOOT_BINS], w[2 * SCORE_BOOT_BINS];
    uint64_t key = stream_key(o->seed, attr_hash ^ 0x73636f7265ULL /* "score" */,
                              fair__hash(gr->label, strlen(gr->label)));
    fair_score_options so;
    size_t m = coarsen(&gr->hist, s, n0, n1);
    (void)nt; /* the thread count is only read by the OpenMP pragma */
    fair__score_options_from(o, &so);
    {
        /* Every replicate's fit starts at the coarsened whole sample's. */
        fair_score_hist h = {s, n0, n1, m};
        double v[N_SCORE_BOOT];
        fair__score_logits(&h, &so, logit);
        hint.logit = logit;
        hint.warm = 0;
        score_stats(s, &hint, n0, n1, m, &so, v);
        hint.a = v[FAIR_SCORE_INTERCEPT];
        hint.b = v[FAIR_SCORE_SLOPE];
        hint.warm = !isnan(hint.a) && !isnan(hint.b);
    }
    for (size_t i = 0; i < m; i++) w[2 * i] = n0[i], w[2 * i + 1] = n1[i];
    leaves = tree_splits(w, 2 * m, split);
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads((int)nt)
#endif
    for (uint64_t b = 0; b < B; b++) {
        fair_rng rs;
        uint64_t c[2 * SCORE_TREE], x0[SCORE_BOOT_BINS], x1[SCORE_BOOT_BINS];
        const uint64_t *x = c + leaves; /* the cells: the tree's leaves */
        double v[N_SCORE_BOOT];
        fair_rng_seed(&rs, key, b);
        fair__multinomial_tree(&rs, sizes ? sizes[b * G] : gr->n, split, leaves, c);
        for (size_t i = 0; i < m; i++) x0[i] = x[2 * i], x1[i] = x[2 * i + 1];
        score_stats(s, &hint, x0, x1, m, &so, v);
        for (size_t k = 0; k < N_SCORE_BOOT; k++) vals[k * B + b] = v[k];
    }
    jack = fair__malloc(2 * m * N_SCORE_BOOT * sizeof *jack);
    FAIR__RETURN_IF(!jack, FAIR_ENOMEM, err, "out of memory for the score bootstrap");
    /* Jackknife: leave out one row of each (score bin, label) cell; cell j = 2 i + label, as
     * in w. Each leave-one-out histogram is its own copy, so the cells run in parallel. */
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads((int)nt)
#endif
    for (size_t j = 0; j < 2 * m; j++) {
        uint64_t c0[SCORE_BOOT_BINS], c1[SCORE_BOOT_BINS];
        double v[N_SCORE_BOOT] = {0};
        if (w[j]) {
            memcpy(c0, n0, m * sizeof *c0);
            memcpy(c1, n1, m * sizeof *c1);
            (j & 1 ? c1 : c0)[j / 2]--;
            score_stats(s, &hint, c0, c1, m, &so, v);
        }
        for (size_t k = 0; k < N_SCORE_BOOT; k++) jack[k * 2 * m + j] = v[k];
    }
    {
        /* The point estimates are the exact ones; the replicates come from the coarsened
         * histogram. */
        double est[N_SCORE_BOOT];
        fair__boot *dst[N_SCORE_BOOT];
        stat_set ss = {.vals = vals, .est = est, .jack = jack, .K = N_SCORE_BOOT, .ks = 2 * m, .js = 1,
                       .nj = 2 * m, .jw = w, .dst = dst};
        for (size_t k = 0; k < N_SCORE_BOOT; k++) {
            est[k] = gr->sm.m[k].defined ? gr->sm.m[k].value : NAN;
            dst[k] = &gr->boot_score[k];
        }
        intervals_all(&ss, B, o->ci_level, sc, nt);
    }
    fair__free(jack);
    return FAIR_OK;
}

/* ---- the attribute ---- */

static fair_counts minus_one(const fair_counts *c, size_t cell)
{
    fair_counts r = *c;
    uint64_t *p = cell == 0 ? &r.tp : cell == 1 ? &r.fp : cell == 2 ? &r.tn : &r.fn;
    if (*p) (*p)--;
    return r;
}

static uint64_t cell_of(const fair_counts *c, size_t cell)
{
    return cell == 0 ? c->tp : cell == 1 ? c->fp : cell == 2 ? c->tn : c->fn;
}

/* The replicates' group counts: draw_group() of (group g, replicate b) from its stream, or the
 * same counts from `cache` (G x B, group-major) when it could be held. A group's draws serve
 * its own statistics, every other group's as the reference, and the summaries. */
typedef struct {
    const fair_counts *cache; /* NULL: drawn on each use */
    const fair_counts *counts;
    const uint64_t *keys, *sizes, *n; /* sizes: the simple scheme's group sizes (B x G) */
    size_t G;
    uint64_t B;
} boot_draws;

static fair_counts draw_of(const boot_draws *dw, size_t g, uint64_t b)
{
    return draw_group(&dw->counts[g], dw->sizes ? dw->sizes[b * dw->G + g] : dw->n[g], dw->keys[g], b);
}

static inline fair_counts replicate(const boot_draws *dw, size_t g, uint64_t b)
{
    return dw->cache ? dw->cache[g * dw->B + b] : draw_of(dw, g, b);
}

/* The cache of draws is kept up to this size (64 MiB: 2 million group replicates). */
#define DRAW_CACHE_BYTES ((uint64_t)64 << 20)

fair_status fair__boot_attr(fair__attr *at, const fair_audit_options *o, fair_error *err)
{
    const uint64_t attr_hash = fair__hash(at->name, strlen(at->name));
    const uint64_t B = o->bootstrap;
    const size_t G = at->n_groups;
    const int simple = o->boot_scheme == FAIR_BOOT_SIMPLE;
    size_t nt = fair__threads(o->n_threads), nt_scores, nt_max;
    double *vals = NULL, *jack = NULL, *svals = NULL, point[NS];
    uint64_t *sizes = NULL, *keys = NULL, *ns = NULL, *tmps = NULL, N = 0, jw[8];
    fair_counts *counts = NULL, *jc = NULL, *cache = NULL;
    unsigned char *eligible = NULL;
    fair_metric_value (*mscratch)[NM] = NULL;
    boot_scratch *sc = NULL;
    boot_draws dw;
    fair_status st = FAIR_OK;

    if (G == 0) return FAIR_OK;
    /* A score replicate refits a histogram of up to 2 x SCORE_BOOT_BINS cells (tens of
     * microseconds), so its threads pay from a few replicates on; a group's count replicate
     * takes about a microsecond to draw and a fraction of one for its statistics. */
    nt_scores = B >= 8 ? nt : 1;
    nt_max = nt;
    if ((uint64_t)G * B < 2000) nt = 1; /* too little work to pay for waking threads */
    FAIR__RETURN_IF(B > FAIR__MAX_REPLICATES, FAIR_EINVAL, err, "at most %llu bootstrap replicates",
                    (unsigned long long)FAIR__MAX_REPLICATES);
    if (simple) {
        FAIR__RETURN_IF((uint64_t)G > ((uint64_t)64 << 20) / B, FAIR_ELIMIT, err,
                        "simple bootstrap of %zu groups x %llu replicates needs too much memory; "
                        "use the stratified scheme or fewer replicates",
                        G, (unsigned long long)B);
    }
    vals = fair__malloc((size_t)B * NS * sizeof *vals);
    svals = fair__malloc(nt_max * (size_t)B * sizeof *svals);
    tmps = fair__malloc(nt_max * 2 * (size_t)B * sizeof *tmps);
    sc = fair__malloc(nt_max * sizeof *sc);
    keys = fair__malloc(G * sizeof *keys);
    ns = fair__malloc(G * sizeof *ns);
    counts = fair__malloc(G * sizeof *counts);
    eligible = fair__malloc(G);
    jack = fair__malloc(4 * G * (NS > FAIR__SUM_COUNT ? NS : FAIR__SUM_COUNT) * sizeof *jack);
    jc = fair__malloc(G * sizeof *jc);
    mscratch = fair__malloc(G * nt * sizeof *mscratch);
    if (simple) sizes = fair__malloc((size_t)B * G * sizeof *sizes);
    if (!vals || !svals || !tmps || !sc || !keys || !ns || !counts || !eligible || !jack || !jc ||
        !mscratch || (simple && !sizes)) {
        st = fair__fail(err, FAIR_ENOMEM, "out of memory for %llu bootstrap replicates",
                        (unsigned long long)B);
        goto out;
    }
    for (size_t t = 0; t < nt_max; t++) sc[t] = (boot_scratch){svals + t * B, tmps + t * 2 * B};
    for (size_t g = 0; g < G; g++) {
        keys[g] = stream_key(o->seed, attr_hash, fair__hash(at->groups[g].label, strlen(at->groups[g].label)));
        counts[g] = at->groups[g].c;
        ns[g] = at->groups[g].n;
        eligible[g] = !at->groups[g].too_small && !at->groups[g].suppressed;
        N += at->groups[g].n;
    }

    /* Simple scheme: the group sizes of every replicate, Multinomial(N, n_g / N). */
    if (simple) {
        uint64_t size_key = stream_key(o->seed, attr_hash, fair__hash("", 0));
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads((int)nt)
#endif
        for (uint64_t b = 0; b < B; b++) {
            fair_rng rs;
            gsl_rng r = {&pcg_gsl_type, &rs};
            fair_rng_seed(&rs, size_key, b);
            multinomial(&r, N, ns, G, &sizes[b * G]);
        }
    }

    /* Every group's replicate counts, drawn once (when they fit; else where they are used:
     * the same numbers either way). */
    dw = (boot_draws){NULL, counts, keys, sizes, ns, G, B};
    if ((uint64_t)G * B <= DRAW_CACHE_BYTES / sizeof *cache &&
        (cache = fair__malloc((size_t)G * (size_t)B * sizeof *cache)) != NULL) {
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads((int)nt)
#endif
        for (uint64_t i = 0; i < (uint64_t)G * B; i++) cache[i] = draw_of(&dw, (size_t)(i / B), i % B);
        dw.cache = cache;
    }

    /* Per group: every replicate's statistics, then the intervals. */
    for (size_t g = 0; g < G; g++) {
        fair__group *gr = &at->groups[g];
        const size_t ref = at->ref;
        const fair_counts *cg = &counts[g], *cr = &counts[ref];
        fair__boot *dst[NS];
        stat_set ss = {.vals = vals, .est = point, .jack = jack, .K = NS, .ks = 1, .js = NS, .jw = jw,
                       .dst = dst};
        size_t nj = 0;
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads((int)nt)
#endif
        for (uint64_t b = 0; b < B; b++) {
            double s[NS];
            fair_counts xg = replicate(&dw, g, b);
            fair_counts xr = g == ref ? xg : replicate(&dw, ref, b);
            group_stats(&xg, &xr, s);
            for (size_t k = 0; k < NS; k++) vals[k * B + b] = s[k];
        }
        /* Jackknife: leave out one row of each cell of the group, and of the reference. */
        for (size_t side = 0; side < (g == ref ? 1u : 2u); side++) {
            for (size_t cell = 0; cell < 4; cell++) {
                fair_counts a = side == 0 ? minus_one(cg, cell) : *cg;
                fair_counts r = side == 1 ? minus_one(cr, cell) : (g == ref ? a : *cr);
                jw[nj] = cell_of(side == 0 ? cg : cr, cell);
                group_stats(&a, &r, &jack[nj * NS]);
                nj++;
            }
        }
        group_stats(cg, cr, point);
        for (size_t k = 0; k < NM; k++) {
            dst[k] = &gr->boot_m[k];
            dst[NM + k] = &gr->boot_ratio[k];
            dst[2 * NM + k] = &gr->boot_diff[k];
        }
        ss.nj = nj;
        intervals_all(&ss, B, o->ci_level, sc, nt);
    }

    /* Score metrics: each group's (coarsened) score histogram, resampled the same way. */
    for (size_t g = 0; g < G && st == FAIR_OK; g++) {
        if (at->groups[g].has_hist && !at->groups[g].suppressed)
            st = boot_scores(&at->groups[g], o, attr_hash, simple ? &sizes[g] : NULL, G,
                             nt_scores, vals, sc, err);
    }
    if (st != FAIR_OK) goto out;

    /* Summaries: every replicate draws all groups. */
    {
        double pt[FAIR__SUM_COUNT];
        fair__boot *dst[FAIR__SUM_COUNT];
        size_t nj = 0;
        int failed = 0;
        uint64_t *sw = fair__malloc(4 * G * sizeof *sw);
        stat_set ss = {.vals = vals, .est = pt, .jack = jack, .K = FAIR__SUM_COUNT, .ks = 1,
                       .js = FAIR__SUM_COUNT, .jw = sw, .dst = dst};
        if (!sw) {
            st = fair__fail(err, FAIR_ENOMEM, "out of memory for the bootstrap");
            goto out;
        }
#ifdef _OPENMP
#pragma omp parallel num_threads((int)nt) reduction(| : failed)
#endif
        {
            size_t tid = fair__thread_num();
            fair_counts *x = fair__malloc(G * sizeof *x);
            failed |= x == NULL;
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
            for (uint64_t b = 0; b < B; b++) {
                double s[FAIR__SUM_COUNT];
                if (!x) continue;
                for (size_t g = 0; g < G; g++) x[g] = replicate(&dw, g, b);
                summary_stats(x, G, eligible, at->ref, &mscratch[tid * G], s);
                for (size_t k = 0; k < FAIR__SUM_COUNT; k++) vals[k * B + b] = s[k];
            }
            fair__free(x);
        }
        if (failed) {
            fair__free(sw);
            st = fair__fail(err, FAIR_ENOMEM, "out of memory for the bootstrap");
            goto out;
        }
        /* Jackknife: leave out one row of each cell of each group. */
        for (size_t g = 0; g < G; g++) {
            for (size_t cell = 0; cell < 4; cell++) {
                memcpy(jc, counts, G * sizeof *jc);
                jc[g] = minus_one(&counts[g], cell);
                sw[nj] = cell_of(&counts[g], cell);
                summary_stats(jc, G, eligible, at->ref, mscratch, &jack[nj * FAIR__SUM_COUNT]);
                nj++;
            }
        }
        summary_stats(counts, G, eligible, at->ref, mscratch, pt);
        for (size_t k = 0; k < FAIR__SUM_COUNT; k++) dst[k] = &at->boot_summary[k];
        ss.nj = nj;
        intervals_all(&ss, B, o->ci_level, sc, nt);
        fair__free(sw);
    }
out:
    fair__free(vals);
    fair__free(svals);
    fair__free(tmps);
    fair__free(sc);
    fair__free(keys);
    fair__free(ns);
    fair__free(counts);
    fair__free(cache);
    fair__free(eligible);
    fair__free(jack);
    fair__free(jc);
    fair__free(mscratch);
    fair__free(sizes);
    return st;
}
