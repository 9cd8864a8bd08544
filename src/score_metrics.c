/* score_metrics.c -- the score metrics of include/fairaudit/score.h from one group's score
 * histogram: AUC (Mann-Whitney), Brier score, calibration in the large, ECE and MCE over a
 * reliability curve, logistic recalibration (slope and intercept, by IRLS) and the
 * Hosmer-Lemeshow test. Every metric is a streaming pass over the histogram in score order (the
 * fit: a few passes per Newton iteration); nothing is allocated. */
#include <float.h>
#include <math.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include "audit_internal.h"
#include "internal.h"

/* ---- tuning constants (STYLE C2: named, not inline) ---- */

/* Largest number of rows accepted: every count, and every sum of counts, must convert to double
 * without rounding (the same bound as stats.c). */
#define EXACT_COUNT_MAX (UINT64_C(1) << 53)

/* gsl_cdf_chisq_Q() is used only up to this many degrees of freedom, the bound stats.c
 * established for GSL 2.7.1 (beyond ~1.78e6 it can fail and reach the GSL error handler). */
#define CHISQ_MAX_DF 1.0e6

/* The 2 x 2 information matrix I of the recalibration fit is treated as singular when
 * det(I) <= INFO_SINGULAR_REL * I00 * I11, i.e. when the weighted correlation of the two
 * regressors (1, x) reaches 1 - 5e-13. The margin keeps GSL's Cholesky pivot I11 - I01^2 / I00
 * (computed with a few roundings of relative size DBL_EPSILON) well away from <= 0, where
 * gsl_linalg_cholesky_decomp1 would call the GSL error handler. */
#define INFO_SINGULAR_REL 1e-12

/* Step halving in the Newton iteration (as R's glm.fit on a failed step): a step is halved while
 * it lowers the log-likelihood by more than LL_SLACK_REL * (1 + |log-likelihood|), which is well
 * above the rounding noise of the compensated sum, at most LL_MAX_HALVINGS times. */
#define LL_SLACK_REL 1e-12
#define LL_MAX_HALVINGS 30

/* Defaults of fair_score_options_init (documented in score.h). */
#define DEFAULT_BINS 10
#define DEFAULT_CLAMP_EPS 1e-6
#define DEFAULT_LEVEL 0.95
#define DEFAULT_MAX_ITER 50
#define DEFAULT_TOL 1e-10

/* ---- reasons a metric is not defined (static strings, per score.h) ---- */

static const char R_EMPTY[] = "group has no rows";
static const char R_NOT_PROB[] = "scores are not probabilities (--score-range is not 0:1)";
static const char R_NO_POS[] = "no positives: auc needs both labels";
static const char R_NO_NEG[] = "no negatives: auc needs both labels";
static const char R_ONE_LABEL[] = "one label only: the recalibration fit needs both labels";
static const char R_NO_SPREAD[] =
    "logit(score) takes a single value: the calibration slope is not identifiable";
static const char R_SEPARATED[] =
    "a threshold on the score separates the labels (complete or quasi-complete separation): "
    "the recalibration fit has no finite maximum";
static const char R_LITTLE_SPREAD[] =
    "logit(score) varies too little for the recalibration fit (singular information)";
static const char R_NO_CONV[] =
    "the recalibration fit did not converge within max_iter iterations";
static const char R_STALLED[] =
    "the recalibration fit did not converge: no step along the Newton direction raised the "
    "likelihood";
static const char R_SINGULAR[] =
    "the recalibration fit did not converge: its information matrix became singular";
static const char R_HL_GROUPS[] =
    "hosmer-lemeshow needs at least 3 non-empty groups (df = groups - 2 < 1)";
static const char R_HL_INF[] =
    "hosmer-lemeshow statistic is infinite: a group with (almost) no expected variance, such as "
    "one whose scores are all 0 or all 1, disagrees with its labels";
static const char R_HL_DF_MAX[] = "hosmer-lemeshow has more than 10^6 degrees of freedom";

static const char *const score_metric_names[FAIR_SCORE_METRIC_COUNT] = {
#define X(id, name) #name,
    FAIR_SCORE_METRIC_MAP(X)
#undef X
};

/* ---- small helpers ---- */


/* An unsigned 128-bit integer, for the exact Mann-Whitney sum and the exact comparisons of the
 * quantile binning (products of two counts up to 2^54 each). Portable C: no __int128. */
typedef struct {
    uint64_t hi, lo;
} u128;

/* The full product a * b (schoolbook multiplication on 32-bit halves). */
static u128 mul64(uint64_t a, uint64_t b)
{
    const uint64_t m32 = UINT64_C(0xffffffff);
    uint64_t a0 = a & m32, a1 = a >> 32, b0 = b & m32, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint64_t mid = (p00 >> 32) + (p01 & m32) + (p10 & m32); /* < 3 * 2^32: no overflow */
    u128 r;
    r.lo = (mid << 32) | (p00 & m32);
    r.hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
    return r;
}

/* *acc += v; the callers' sums stay below 2^108, so the carry out of hi cannot happen. */
static void add128(u128 *acc, u128 v)
{
    uint64_t lo = acc->lo + v.lo;
    acc->hi += v.hi + (lo < v.lo);
    acc->lo = lo;
}

static int ge128(u128 a, u128 b) { return a.hi > b.hi || (a.hi == b.hi && a.lo >= b.lo); }

/* v as a double: hi * 2^64 is exact here (hi < 2^53), so there are two roundings at most. */
static double u128_to_double(u128 v) { return (double)v.hi * 0x1p64 + (double)v.lo; }

/* The logistic function p = 1 / (1 + exp(-eta)), q = 1 - p and, with `logs`, their logs, from
 * one exp and one log1p of e = exp(-|eta|) <= 1: no overflow, and no cancellation in q or the
 * logs for any finite eta. */
static void logistic(double eta, int logs, double *p, double *q, double *log_p, double *log_q)
{
    double e = exp(-fabs(eta)), l = logs ? log1p(e) : 0.0, big = 1.0 / (1.0 + e),
           small = e / (1.0 + e);
    *p = eta >= 0.0 ? big : small;
    *q = eta >= 0.0 ? small : big;
    if (logs) {
        *log_p = eta >= 0.0 ? -l : eta - l;
        *log_q = eta >= 0.0 ? -eta - l : -l;
    }
}

/* logit of s clamped to [eps, 1 - eps]: log(c) - log1p(-c), accurate near both ends. */
static double clamped_logit(double s, double eps)
{
    double c = s < eps ? eps : s > 1.0 - eps ? 1.0 - eps : s;
    return log(c) - log1p(-c);
}

/* clamped_logit of entry i of histogram h, from the caller's array `logit` when there is one. */
#define LOGIT_OF(logit, h, i, eps) ((logit) ? (logit)[i] : clamped_logit((h)->s[i], (eps)))

static void set_undefined(fair_metric_value *v, const char *why)
{
    v->value = 0.0;
    v->defined = 0;
    v->reason = why;
    v->num = v->den = 0;
}

static void set_value(fair_metric_value *v, double x)
{
    v->value = x;
    v->defined = 1;
    v->reason = NULL;
    v->num = v->den = 0;
}

/* ---- public: names and options ---- */

const char *fair_score_metric_name(fair_score_metric_id m)
{
    return (unsigned)m < FAIR_SCORE_METRIC_COUNT ? score_metric_names[m] : "unknown";
}

/* Fills `o` with the defaults documented in score.h. NULL is a no-op. */
void fair_score_options_init(fair_score_options *o)
{
    if (!o) return;
    memset(o, 0, sizeof *o);
    o->bins = DEFAULT_BINS;
    o->binning = FAIR_BINNING_UNIFORM;
    o->range_lo = 0.0;
    o->range_hi = 1.0;
    o->probabilities = 1;
    o->clamp_eps = DEFAULT_CLAMP_EPS;
    o->level = DEFAULT_LEVEL;
    o->max_iter = DEFAULT_MAX_ITER;
    o->tol = DEFAULT_TOL;
}

/* ---- input checks ---- */

/* FAIR_EINVAL (with the reason in `err`) for options outside their domain: no bins, an unknown
 * binning, an empty or non-finite range (range_lo < range_hi is required), a probability range
 * outside [0, 1], clamp_eps outside (0, 0.5), level outside (0, 1), max_iter == 0, tol <= 0. */
static fair_status check_options(const fair_score_options *o, fair_error *err)
{
    FAIR__RETURN_IF(o->bins == 0, FAIR_EINVAL, err, "the number of bins must be at least 1");
    FAIR__RETURN_IF(o->binning != FAIR_BINNING_UNIFORM && o->binning != FAIR_BINNING_QUANTILE,
                    FAIR_EINVAL, err, "unknown binning %d", (int)o->binning);
    FAIR__RETURN_IF(!isfinite(o->range_lo) || !isfinite(o->range_hi) ||
                        !(o->range_lo < o->range_hi),
                    FAIR_EINVAL, err, "score range [%g, %g] is empty or not finite", o->range_lo,
                    o->range_hi);
    FAIR__RETURN_IF(o->probabilities && (o->range_lo < 0.0 || o->range_hi > 1.0), FAIR_EINVAL,
                    err, "probabilities need a score range within [0, 1], not [%g, %g]",
                    o->range_lo, o->range_hi);
    FAIR__RETURN_IF(!(o->clamp_eps > 0.0 && o->clamp_eps < 0.5), FAIR_EINVAL, err,
                    "clamp_eps %g not in (0, 0.5)", o->clamp_eps);
    FAIR__RETURN_IF(!(o->level > 0.0 && o->level < 1.0), FAIR_EINVAL, err,
                    "level %g not in (0, 1)", o->level);
    FAIR__RETURN_IF(o->max_iter == 0, FAIR_EINVAL, err, "max_iter must be at least 1");
    FAIR__RETURN_IF(!(o->tol > 0.0 && isfinite(o->tol)), FAIR_EINVAL, err,
                    "tol %g is not a positive number", o->tol);
    return FAIR_OK;
}

/* FAIR_EINVAL unless the histogram is well formed: arrays present when m > 0, scores finite,
 * strictly ascending and inside [range_lo, range_hi], at most 2^53 rows in all. Sets *n_pos and
 * *n_neg to the totals of n1 and n0. */
static fair_status check_hist(const fair_score_hist *h, const fair_score_options *o,
                              uint64_t *n_pos, uint64_t *n_neg, fair_error *err)
{
    uint64_t pos = 0, neg = 0;
    size_t i;

    FAIR__RETURN_IF(h->m > 0 && (!h->s || !h->n0 || !h->n1), FAIR_EINVAL, err,
                    "histogram with %zu scores has a NULL array", h->m);
    for (i = 0; i < h->m; i++) {
        double s = h->s[i];
        FAIR__RETURN_IF(!isfinite(s), FAIR_EINVAL, err, "score %zu is not finite", i);
        FAIR__RETURN_IF(i > 0 && !(s > h->s[i - 1]), FAIR_EINVAL, err,
                        "histogram scores not strictly ascending at index %zu (%.17g after %.17g)",
                        i, s, h->s[i - 1]);
        FAIR__RETURN_IF(s < o->range_lo || s > o->range_hi, FAIR_EINVAL, err,
                        "score %.17g outside the score range [%g, %g]", s, o->range_lo,
                        o->range_hi);
        FAIR__RETURN_IF(h->n1[i] > EXACT_COUNT_MAX - pos - neg ||
                            h->n0[i] > EXACT_COUNT_MAX - pos - neg - h->n1[i],
                        FAIR_EINVAL, err, "histogram has more than 2^53 rows");
        pos += h->n1[i];
        neg += h->n0[i];
    }
    *n_pos = pos;
    *n_neg = neg;
    return FAIR_OK;
}

/* ---- reliability bins and Hosmer-Lemeshow groups ----
 *
 * Uniform binning: with K bins over [lo, hi], the edges are e_j = lo + ((hi - lo) * j) / K in
 * floating point (e_0 = lo; each operation correctly rounded, so e_j is non-decreasing in j, and
 * over [0, 1] e_j is the double nearest to j/K: a score written as 0.7 lands in bin 7 of 10). A
 * score s goes to the largest j < K with e_j <= s: bin j is [e_j, e_{j+1}), and the last bin is
 * [e_{K-1}, hi], closed. Every bin is reported, empty ones included.
 *
 * Quantile binning (also the Hosmer-Lemeshow groups): the histogram is walked in score order and
 * each distinct score value goes, with all its rows, to the bin of its mid-rank:
 *     bin(i) = floor(K * (B_i + n_i / 2) / n) = floor(K (2 B_i + n_i) / (2 n)),
 * where n_i is the value's row count, B_i the rows with a lower score and n the group's rows
 * (the mid-distribution function of Parzen 2004, times K). Without ties bin j holds the rows
 * of ranks [j n / K, (j + 1) n / K) to within one row; a heavily tied value goes where most of
 * its rows' ranks fall, instead of dragging its neighbours along. bin(i) is non-decreasing in i
 * and at most K - 1; bins no value falls into are skipped, so fewer than K may be reported. The
 * comparison is exact in 128-bit integers. */

/* The totals of one bin. */
typedef struct {
    double lo, hi;  /* uniform: [e_j, e_{j+1}) (the last closed); quantile: min and max score */
    uint64_t n;     /* rows */
    uint64_t pos;   /* rows with label 1 */
    fair__ksum sum_s;     /* sum of scores, E */
    fair__ksum sum_1ms;   /* sum of (1 - score), n - E computed without cancellation */
} bin_acc;

/* Walks the bins of one histogram in score order (no allocation). */
typedef struct {
    const fair_score_hist *h;
    const fair_score_options *o;
    fair_binning binning;
    uint64_t n;     /* rows in the histogram */
    size_t i;       /* next histogram entry */
    uint64_t before; /* rows in the entries before i (B_i) */
    size_t j;       /* uniform: next bin; quantile: bin of the last value placed */
} bin_iter;

static void bin_iter_init(bin_iter *it, const fair_score_hist *h, const fair_score_options *o,
                          fair_binning binning, uint64_t n)
{
    it->h = h;
    it->o = o;
    it->binning = binning;
    it->n = n;
    it->i = 0;
    it->before = 0;
    it->j = 0;
}

/* Edge e_j of the uniform binning (see above). */
static double uniform_edge(const fair_score_options *o, size_t j)
{
    return o->range_lo + ((o->range_hi - o->range_lo) * (double)j) / (double)o->bins;
}

/* Adds histogram entry i to bin b. */
static void bin_add(bin_acc *b, const fair_score_hist *h, size_t i)
{
    uint64_t ni = h->n0[i] + h->n1[i];
    b->n += ni;
    b->pos += h->n1[i];
    fair__ksum_add(&b->sum_s, (double)ni * h->s[i]);
    fair__ksum_add(&b->sum_1ms, (double)ni * (1.0 - h->s[i]));
}

/* The mid-rank bin of a value with `before` rows below it and `ni` rows, searching upwards from
 * bin `from` (bins are non-decreasing in score): the largest g < K with
 * K (2 before + ni) >= 2 n g, i.e. g = floor(K (2 before + ni) / (2 n)). */
static size_t quantile_bin(uint64_t before, uint64_t ni, uint64_t n, size_t k, size_t from)
{
    const u128 rank = mul64((uint64_t)k, 2 * before + ni);
    size_t g = from;
    while (g + 1 < k && ge128(rank, mul64(2 * n, (uint64_t)(g + 1)))) g++;
    return g;
}

/* Fills *b with the next bin and returns 1, or returns 0 when there are no more. */
static int bin_next(bin_iter *it, bin_acc *b)
{
    const fair_score_hist *h = it->h;
    const size_t k = it->o->bins;

    memset(b, 0, sizeof *b);
    if (it->binning == FAIR_BINNING_UNIFORM) {
        int last;
        double next_edge;
        if (it->j >= k) return 0;
        last = it->j + 1 == k;
        next_edge = last ? it->o->range_hi : uniform_edge(it->o, it->j + 1);
        b->lo = uniform_edge(it->o, it->j);
        b->hi = next_edge;
        /* Entries left over are >= e_j (lower ones went to earlier bins); take those < e_{j+1},
         * or all of them in the last, closed bin. */
        for (; it->i < h->m && (last || h->s[it->i] < next_edge); it->i++) bin_add(b, h, it->i);
        it->j++;
        return 1;
    }

    /* Quantile: skip empty entries, then gather the run of values sharing the first one's bin. */
    while (it->i < h->m && h->n0[it->i] + h->n1[it->i] == 0) it->i++;
    if (it->i >= h->m) return 0;
    {
        size_t g = 0;
        int first = 1;
        for (; it->i < h->m; it->i++) {
            uint64_t ni = h->n0[it->i] + h->n1[it->i];
            size_t gi;
            if (ni == 0) continue; /* an empty entry belongs nowhere */
            gi = quantile_bin(it->before, ni, it->n, k, it->j);
            if (first) {
                g = gi;
                b->lo = h->s[it->i];
                first = 0;
            } else if (gi != g) {
                break;
            }
            it->j = gi;
            b->hi = h->s[it->i];
            bin_add(b, h, it->i);
            it->before += ni;
        }
    }
    return 1;
}

/* ---- logistic recalibration ---- */

/* The data of the fit: the histogram and the regressor x_i = logit(clamp(s_i)) - xbar, centred
 * at its row mean xbar. Centring leaves the slope unchanged, moves the intercept to
 * a_c = a + b xbar and keeps the 2 x 2 information well conditioned when the scores sit far from
 * 1/2 or one score carries almost every row (centring against ill-conditioning: Belsley, Kuh &
 * Welsch, Regression Diagnostics, 1980). */
typedef struct {
    const fair_score_hist *h;
    double eps;      /* clamp of the scores before logit */
    double xbar;     /* row mean of logit(clamp(s)) */
    const double *x; /* x_i computed once (the fit evaluates it every step), then n0_i and
                      * n1_i as doubles (m each); or NULL */
    double x_max;    /* max_i |x_i| (any bound above it will do; HUGE_VAL when unknown) */
    const fair__score_resample *rs; /* the bootstrap's hints, or NULL */
} fit_data;

static double fit_x(const fit_data *d, size_t i)
{
    return d->x ? d->x[i] : clamped_logit(d->h->s[i], d->eps) - d->xbar;
}

/* n0_i and n1_i as doubles (exact: at most 2^53 rows), converted once per fit with x_i. */
static double fit_n0(const fit_data *d, size_t i)
{
    return d->x ? d->x[d->h->m + i] : (double)d->h->n0[i];
}

static double fit_n1(const fit_data *d, size_t i)
{
    return d->x ? d->x[2 * d->h->m + i] : (double)d->h->n1[i];
}

/* Score vector, Fisher information and (once asked for, fit_ll) log-likelihood of
 * y ~ a_c + b x at (a_c, b). */
typedef struct {
    double a, b;          /* the point */
    double g0, g1;        /* gradient: sum (y - p), sum (y - p) x */
    double i00, i01, i11; /* information: sum w, sum w x, sum w x^2 with w = p (1 - p) */
    int has_ll;
    double ll;            /* log-likelihood, when has_ll */
} fit_state;

/* One pass over the histogram at (a_c, b), without the log-likelihood. Frequency weights: each
 * distinct score s_i is the two rows (x_i, y = 1) with weight n1_i and (x_i, y = 0) with weight
 * n0_i, so the sums are those of the expanded data set. The estimate's fit sums with Kahan's
 * compensation; a bootstrap replicate's (at most 128 bins, fit_data.rs set) with plain sums in
 * the same order, which cost a third as much and leave a relative error of the order of
 * 128 x 2^-53 in the gradient and information, far below what moves the coefficients at the
 * replicates' tolerance (sqrt(tol)). */
static inline __attribute__((always_inline)) void fit_eval_sums(const fit_data *d, double a,
                                                                double b, fit_state *f,
                                                                int compensated)
{
    const fair_score_hist *h = d->h;
    fair__ksum g0 = {0, 0}, g1 = {0, 0}, i00 = {0, 0}, i01 = {0, 0}, i11 = {0, 0};
    size_t i;
    for (i = 0; i < h->m; i++) {
        double n1 = fit_n1(d, i), n0 = fit_n0(d, i), x, p, q, r, w;
        if (n1 + n0 == 0) continue;
        x = fit_x(d, i);
        logistic(a + b * x, 0, &p, &q, NULL, NULL);
        r = n1 * q - n0 * p; /* sum of (y - p) over the value's rows */
        w = (n1 + n0) * p * q;
        if (compensated) {
            fair__ksum_add(&g0, r);
            fair__ksum_add(&g1, r * x);
            fair__ksum_add(&i00, w);
            fair__ksum_add(&i01, w * x);
            fair__ksum_add(&i11, w * x * x);
        } else {
            g0.sum += r;
            g1.sum += r * x;
            i00.sum += w;
            i01.sum += w * x;
            i11.sum += w * x * x;
        }
    }
    f->a = a;
    f->b = b;
    f->g0 = fair__ksum_value(&g0);
    f->g1 = fair__ksum_value(&g1);
    f->i00 = fair__ksum_value(&i00);
    f->i01 = fair__ksum_value(&i01);
    f->i11 = fair__ksum_value(&i11);
    f->has_ll = 0;
    f->ll = 0.0;
}

static void fit_eval(const fit_data *d, double a, double b, fit_state *f)
{
    if (d->rs) fit_eval_sums(d, a, b, f, 0);
    else fit_eval_sums(d, a, b, f, 1);
}

/* The log-likelihood at f's point, computed on first use: the iteration needs it only to judge
 * a step it cannot accept by the gradient alone (newton). */
static double fit_ll(const fit_data *d, fit_state *f)
{
    const fair_score_hist *h = d->h;
    fair__ksum ll = {0, 0};
    if (f->has_ll) return f->ll;
    for (size_t i = 0; i < h->m; i++) {
        double n1 = fit_n1(d, i), n0 = fit_n0(d, i), p, q, log_p, log_q;
        if (n1 + n0 == 0) continue;
        logistic(f->a + f->b * fit_x(d, i), 1, &p, &q, &log_p, &log_q);
        fair__ksum_add(&ll, n1 * log_p + n0 * log_q);
    }
    f->ll = fair__ksum_value(&ll);
    f->has_ll = 1;
    return f->ll;
}

/* 1 when the information matrix of `f` is positive definite with the margin INFO_SINGULAR_REL
 * (det > margin * I00 * I11), 0 when it is (numerically) singular. */
static int info_regular(const fit_state *f)
{
    double det = f->i00 * f->i11 - f->i01 * f->i01;
    return f->i00 > 0.0 && f->i11 > 0.0 && isfinite(det) &&
           det > INFO_SINGULAR_REL * f->i00 * f->i11;
}

/* Cholesky factor of the information matrix of `f`, in the caller's 2 x 2 row-major array `m`
 * (a stack array viewed as a gsl_matrix: no heap). Returns 0 when the matrix is (numerically)
 * singular; the check comes first so that GSL never sees a matrix it would reject through its
 * error handler. */
static int info_cholesky(const fit_state *f, double m[4], gsl_matrix_view *mv)
{
    if (!info_regular(f)) return 0;
    m[0] = f->i00;
    m[1] = f->i01;
    m[2] = f->i01;
    m[3] = f->i11;
    *mv = gsl_matrix_view_array(m, 2, 2);
    return gsl_linalg_cholesky_decomp1(&mv->matrix) == GSL_SUCCESS;
}

/* Solves I beta = (r0, r1) for the matrix of `f` into beta[2]; 0 when I is singular or the
 * solution is not finite. */
static int info_solve(const fit_state *f, double r0, double r1, double beta[2])
{
    double m[4], rhs[2];
    gsl_matrix_view mv;
    gsl_vector_view rv = gsl_vector_view_array(rhs, 2), bv = gsl_vector_view_array(beta, 2);
    if (!info_cholesky(f, m, &mv)) return 0;
    rhs[0] = r0;
    rhs[1] = r1;
    return gsl_linalg_cholesky_solve(&mv.matrix, &rv.vector, &bv.vector) == GSL_SUCCESS &&
           isfinite(beta[0]) && isfinite(beta[1]);
}

/* Starting values of the recalibration fit, as R's glm.fit with binomial()$initialize
 * (McCullagh & Nelder, Generalized Linear Models, 2nd ed., 1989): per distinct score,
 * mu_i = (n1_i + 1/2) / (n_i + 1) and eta_i = logit(mu_i); then one weighted least-squares fit
 * of the working response z_i = eta_i + (n1_i / n_i - mu_i) / (mu_i (1 - mu_i)) on (1, x_i)
 * with weights w_i = n_i mu_i (1 - mu_i). Unlike the null model (b = 0) this start already
 * follows the data, which helps when one score carries most rows and the Newton step from b = 0
 * would land where the information is nearly singular. Returns 0 when the least-squares matrix
 * is singular. */
static int start_values(const fit_data *d, double *a, double *b)
{
    const fair_score_hist *h = d->h;
    fair__ksum s00 = {0, 0}, s01 = {0, 0}, s11 = {0, 0}, r0 = {0, 0}, r1 = {0, 0};
    fit_state ls; /* only the matrix fields are used */
    double beta[2];
    size_t i;
    for (i = 0; i < h->m; i++) {
        double n1 = fit_n1(d, i), ni = fit_n0(d, i) + n1, x, mu, v, w, z;
        if (ni == 0) continue;
        x = fit_x(d, i);
        mu = (n1 + 0.5) / (ni + 1.0);
        v = mu * (1.0 - mu);
        w = ni * v;
        z = log(mu) - log1p(-mu) + (n1 / ni - mu) / v;
        fair__ksum_add(&s00, w);
        fair__ksum_add(&s01, w * x);
        fair__ksum_add(&s11, w * x * x);
        fair__ksum_add(&r0, w * z);
        fair__ksum_add(&r1, w * x * z);
    }
    memset(&ls, 0, sizeof ls);
    ls.i00 = fair__ksum_value(&s00);
    ls.i01 = fair__ksum_value(&s01);
    ls.i11 = fair__ksum_value(&s11);
    if (!info_solve(&ls, fair__ksum_value(&r0), fair__ksum_value(&r1), beta)) return 0;
    *a = beta[0];
    *b = beta[1];
    return 1;
}

/* The recalibration fit: maximum likelihood for P(y = 1) = 1 / (1 + exp(-(a + b logit(s)))),
 * s clamped to [eps, 1 - eps] (Cox 1958, "Two further applications of a model for binary
 * regression"; the calibration slope b and intercept a of Steyerberg, Clinical Prediction Models,
 * 2nd ed., 2019), fitted in the centred form a_c + b (logit(s) - xbar) (fit_data).
 * Newton-Raphson, which for the logistic link is IRLS (Fisher scoring), from glm's starting
 * values (start_values); each step solves I delta = g with GSL's Cholesky on a 2 x 2 stack
 * matrix, and is halved while it lowers the log-likelihood (see LL_SLACK_REL) or lands where the
 * information is singular (a long step can reach a region where a single score carries all the
 * weight although the data are not separated). Converged when the full step has
 * |delta beta_k| < tol max(1, |beta_k|) for both coefficients (absolute for coefficients up to 1,
 * relative above: a coefficient in the thousands is only computed to ~1e-13 relative, so an
 * absolute 1e-10 can be out of reach), within max_iter steps. Standard errors from V = I^-1 at
 * the fit: se(b) = sqrt(V_bb), se(a) = sqrt(V_aa - 2 xbar V_ab + xbar^2 V_bb) (a = a_c - b xbar).
 * Needs both labels, two distinct logits and overlapping labels (checked by the caller, so a
 * finite maximum exists). Returns NULL on success, else the reason. */
static const char *recalibrate_fit(fit_data *d, const fair_score_options *o,
                                   double *a_out, double *b_out, double *se_a, double *se_b);

/* Stack room for the regressor and counts of the bootstrap's coarse histograms (128 bins,
 * bootstrap.c). */
#define FIT_X_STACK (3 * 128)

/* With the bootstrap's hints rs (else NULL), the clamped logits come from rs->logit. */
static const char *recalibrate(const fair_score_hist *h, const fair__score_resample *rs,
                               const fair_score_options *o, uint64_t n, double *a_out,
                               double *b_out, double *se_a, double *se_b)
{
    const double *logit = rs ? rs->logit : NULL;
    fit_data d;
    fair__ksum xsum = {0, 0};
    double stack[FIT_X_STACK], *xs;
    const char *why;
    size_t i;
    d.h = h;
    d.eps = o->clamp_eps;
    d.xbar = 0.0;
    d.x = NULL;
    d.x_max = HUGE_VAL;
    d.rs = rs;
    for (i = 0; i < h->m; i++)
        fair__ksum_add(&xsum, (double)(h->n0[i] + h->n1[i]) * LOGIT_OF(logit, h, i, d.eps));
    d.xbar = fair__ksum_value(&xsum) / (double)n;
    /* The same x_i, computed once: without the room for them (out of memory) the fit computes
     * each where it needs it, with the same result. */
    xs = 3 * h->m <= FIT_X_STACK ? stack : fair__malloc(3 * h->m * sizeof *xs);
    if (xs) {
        for (i = 0; i < h->m; i++) {
            xs[i] = LOGIT_OF(logit, h, i, d.eps) - d.xbar;
            xs[h->m + i] = (double)h->n0[i];
            xs[2 * h->m + i] = (double)h->n1[i];
        }
        d.x = xs;
        d.x_max = 0.0;
        for (i = 0; i < h->m; i++) d.x_max = fmax(d.x_max, fabs(xs[i]));
    }
    why = recalibrate_fit(&d, o, a_out, b_out, se_a, se_b);
    if (xs != stack) fair__free(xs);
    return why;
}

/* 1 when the log-likelihood at cand has not fallen below cur's by more than the slack
 * LL_SLACK_REL (1 + |ll(cur)|). */
static int ll_held(const fit_data *d, fit_state *cur, fit_state *cand)
{
    const double before = fit_ll(d, cur);
    return fit_ll(d, cand) >= before - LL_SLACK_REL * (1.0 + fabs(before));
}

/* 1 when the log-likelihood provably has not fallen from cur to cand = cur + t delta, judged
 * from cur's gradient g and information I alone, so that ll_held() would hold and need not
 * compute the two log-likelihoods. The log-likelihood l is concave with Hessian -I(beta), and
 * along the step the linear predictor of row i moves by t (delta_a + delta_b x_i), at most
 * t D with D = |delta_a| + |delta_b| max |x_i|; a weight w = p (1 - p) changes by a factor of
 * at most exp(|change of the predictor|) (|d log w / d eta| = |1 - 2 p| <= 1). So with
 * Q = delta' I(cur) delta, Taylor's formula with integral remainder gives
 *     l(cand) - l(cur) >= t g.delta - Q int_0^t (t - u) exp(u D) du
 *                      >= t (g.delta - t exp(t D) Q / 2),
 * which is >= 0 when t exp(t D) <= 3/2 and g.delta >= 3/4 Q (after a Newton step g.delta = Q;
 * the margins, against 2 and 1 in exact arithmetic, cover the roundings of g, I and D, which
 * are of the order of 1e-15 relative). ll_held() then holds as well: it allows the computed
 * log-likelihoods a slack far above their rounding. A sufficient condition only: when it fails,
 * the caller computes the log-likelihoods as before, so the iteration takes the same steps. */
static int ll_held_by_bound(const fit_data *d, const fit_state *cur, const double delta[2],
                            double t)
{
    const double q = cur->i00 * delta[0] * delta[0] + 2.0 * cur->i01 * delta[0] * delta[1] +
                     cur->i11 * delta[1] * delta[1];
    const double gd = cur->g0 * delta[0] + cur->g1 * delta[1];
    const double reach = t * (fabs(delta[0]) + fabs(delta[1]) * d->x_max);
    return isfinite(q) && isfinite(gd) && q >= 0.0 && gd >= 0.75 * q &&
           t * exp(reach) <= 1.5;
}

/* Newton's iteration of recalibrate_fit() from (a, b) in the centred form. With want_se == 0
 * (the bootstrap, which uses only the coefficients) the last, converged step is taken without
 * evaluating the likelihood at its end, and *se_a, *se_b are not written. */
static const char *newton(const fit_data *dp, const fair_score_options *o, double a, double b,
                          int want_se, double *a_out, double *b_out, double *se_a, double *se_b)
{
    const fit_data d = *dp;
    /* Without standard errors the last step is taken unevaluated, and Newton's error after a
     * step of size delta is of the order of delta^2: stopping at delta < sqrt(tol) leaves an
     * error of the order of tol, as a further step would. */
    const double tol = want_se ? o->tol : sqrt(o->tol);
    fit_state cur, cand;
    double delta[2], m[4], var_a;
    gsl_matrix_view mv;
    size_t it;
    int converged = 0;

    fit_eval(&d, a, b, &cur);
    for (it = 0; it < o->max_iter && !converged; it++) {
        double t = 1.0;
        unsigned halvings = 0;
        /* An accepted step has a regular information (checked below); the start may not. */
        if (!info_solve(&cur, cur.g0, cur.g1, delta)) return R_SINGULAR;
        converged = fabs(delta[0]) < tol * fmax(1.0, fabs(a)) &&
                    fabs(delta[1]) < tol * fmax(1.0, fabs(b));
        if (converged && !want_se) {
            a += delta[0];
            b += delta[1];
            break;
        }
        for (;;) {
            fit_eval(&d, a + t * delta[0], b + t * delta[1], &cand);
            if (converged) break;
            /* The step is accepted when the log-likelihood has not fallen (by more than the
             * slack) and the information stays regular. The log-likelihood is concave, so
             * while it still rises along delta at the candidate (gradient . delta >= 0) it has
             * risen all the way from cur, and is not computed. */
            if (info_regular(&cand) &&
                (cand.g0 * delta[0] + cand.g1 * delta[1] >= 0.0 ||
                 ll_held_by_bound(&d, &cur, delta, t) || ll_held(&d, &cur, &cand)))
                break;
            if (++halvings > LL_MAX_HALVINGS) return R_STALLED;
            t *= 0.5;
        }
        a += t * delta[0];
        b += t * delta[1];
        cur = cand;
    }
    if (!converged) return R_NO_CONV;
    if (!want_se) {
        /* The information at the previous point was regular (info_solve). */
        if (!(isfinite(a) && isfinite(b))) return R_SINGULAR;
        *a_out = a - b * d.xbar;
        *b_out = b;
        return NULL;
    }

    /* cur is the state at the final (a_c, b): invert its information. */
    if (!info_cholesky(&cur, m, &mv) || gsl_linalg_cholesky_invert(&mv.matrix) != GSL_SUCCESS)
        return R_SINGULAR;
    var_a = m[0] - 2.0 * d.xbar * m[1] + d.xbar * d.xbar * m[3];
    if (!(var_a > 0.0 && m[3] > 0.0 && isfinite(var_a) && isfinite(m[3]) && isfinite(a) &&
          isfinite(b)))
        return R_SINGULAR;
    *a_out = a - b * d.xbar;
    *b_out = b;
    *se_a = sqrt(var_a);
    *se_b = sqrt(m[3]);
    return NULL;
}

static const char *recalibrate_fit(fit_data *dp, const fair_score_options *o,
                                   double *a_out, double *b_out, double *se_a, double *se_b)
{
    const fair__score_resample *rs = dp->rs;
    double a, b;
    /* The bootstrap starts where the whole sample's fit ended: a replicate's coefficients are
     * near it, so Newton needs fewer steps than from glm's start. Should that fail, the fit
     * starts again from glm's start, as the point estimate does. */
    if (rs && rs->warm &&
        !newton(dp, o, rs->a + rs->b * dp->xbar, rs->b, 0, a_out, b_out, se_a, se_b))
        return NULL;
    if (!start_values(dp, &a, &b)) return R_LITTLE_SPREAD;
    return newton(dp, o, a, b, rs == NULL, a_out, b_out, se_a, se_b);
}

/* ---- Hosmer-Lemeshow ---- */

/* Hosmer & Lemeshow (1980); Hosmer, Lemeshow & Sturdivant, Applied Logistic Regression, 3rd ed.
 * (2013), ch. 5: over the quantile groups j (the rule above) with n_j rows, O_j positives and
 * expected E_j = sum of the scores,
 *     C = sum_j (O_j - E_j)^2 / (E_j (1 - E_j / n_j)) = sum_j n_j (O_j - E_j)^2 / (E_j F_j),
 * with F_j = sum of (1 - score) = n_j - E_j summed directly (no cancellation); df = groups - 2,
 * p = Q_chisq(C, df). A group whose scores are all 0 (E_j = 0) or all 1 (F_j = 0) has zero
 * variance: it contributes nothing when it agrees (O_j = 0, resp. O_j = n_j); when it does not,
 * C is infinite (the model gave probability 0 to what happened) and the test is reported as not
 * defined. Such a group still counts in df. Returns NULL on success, else the reason. */
static const char *hosmer_lemeshow(const fair_score_hist *h, const fair_score_options *o,
                                   uint64_t n, double *stat, double *df, double *p)
{
    bin_iter it;
    bin_acc b;
    fair__ksum c = {0, 0};
    size_t groups = 0;
    double x, dof;

    bin_iter_init(&it, h, o, FAIR_BINNING_QUANTILE, n);
    while (bin_next(&it, &b)) {
        double e = fair__ksum_value(&b.sum_s), f = fair__ksum_value(&b.sum_1ms);
        double d = (double)b.pos - e;
        groups++;
        if (e <= 0.0 || f <= 0.0) {
            if (e <= 0.0 ? b.pos != 0 : b.pos != b.n) return R_HL_INF;
            continue;
        }
        fair__ksum_add(&c, (double)b.n * d * d / (e * f));
    }
    if (groups < 3) return R_HL_GROUPS;
    dof = (double)(groups - 2);
    if (dof > CHISQ_MAX_DF) return R_HL_DF_MAX;
    x = fair__ksum_value(&c);
    if (!isfinite(x)) return R_HL_INF;
    *stat = x;
    *df = dof;
    /* df in [1, CHISQ_MAX_DF] and finite x >= 0: gsl_cdf_chisq_Q converges there (stats.c). */
    *p = gsl_cdf_chisq_Q(x, dof);
    return NULL;
}

/* ---- the metrics ---- */

/* Every score metric of `h` (see score.h). Inputs are checked first; after that nothing can
 * fail, so `out` and `bins` are written only on FAIR_OK. No allocation: FAIR_ENOMEM, allowed by
 * the header, never happens. Definitions:
 *  - auc: Mann & Whitney (1947) U / (P N), a pair tied in score counting one half; one pass in
 *    ascending score with 2U = sum_i n1_i (2 N_below_i + n0_i) in exact 128-bit integers
 *    (Hanley & McNeil 1982: equal to the trapezoidal ROC area, scikit-learn's roc_auc_score).
 *    The only roundings are the conversion of 2U and 2PN to double and the division.
 *  - brier: Brier (1950), (1/n) sum_i [n0_i s_i^2 + n1_i (1 - s_i)^2].
 *  - calibration_in_the_large: (sum_i (n0_i + n1_i) s_i - P) / n, mean score minus base rate.
 *  - ece, mce: over the bins with rows, ECE = sum_j |O_j - E_j| / n (= sum_j n_j / n
 *    |observed_j - mean_score_j|), MCE = max_j |O_j - E_j| / n_j (Naeini, Cooper & Hauskrecht
 *    2015, "Obtaining well calibrated probabilities using Bayesian binning").
 *  - slope, intercept: recalibrate(); hosmer_lemeshow: hosmer_lemeshow().
 * With o->probabilities == 0 only auc and the curve are computed. */
/* fair_score_metrics_compute(), or with the bootstrap's hints rs (not NULL) what
 * fair__score_metrics_resampled() computes. */
static fair_status compute(const fair_score_hist *h, const fair__score_resample *rs,
                           const fair_score_options *o, fair_score_metrics *out,
                           fair_reliability_bin *bins, fair_error *err)
{
    const double *logit = rs ? rs->logit : NULL;
    fair_score_metrics r;
    fair_metric_value *v = r.m;
    uint64_t n_pos = 0, n_neg = 0, n; /* set by check_hist(); zero quiets -Wmaybe-uninitialized */
    const char *why;
    size_t k;

    FAIR__RETURN_IF(!h || !o || !out, FAIR_EINVAL, err, "NULL argument");
    FAIR__FORWARD(check_options(o, err));
    FAIR__FORWARD(check_hist(h, o, &n_pos, &n_neg, err));
    n = n_pos + n_neg;

    /* Everything starts undefined; with rows and probabilities every metric below overwrites
     * this placeholder with its value or its own reason. */
    memset(&r, 0, sizeof r);
    for (k = 0; k < FAIR_SCORE_METRIC_COUNT; k++)
        set_undefined(&v[k], n == 0 ? R_EMPTY : R_NOT_PROB);

    /* AUC (any score scale). */
    if (n > 0) {
        if (n_pos == 0 || n_neg == 0) {
            set_undefined(&v[FAIR_SCORE_AUC], n_pos == 0 ? R_NO_POS : R_NO_NEG);
        } else {
            u128 two_u = {0, 0};
            uint64_t below = 0; /* label-0 rows with a lower score */
            size_t i;
            for (i = 0; i < h->m; i++) {
                add128(&two_u, mul64(h->n1[i], 2 * below + h->n0[i]));
                below += h->n0[i];
            }
            set_value(&v[FAIR_SCORE_AUC],
                      u128_to_double(two_u) / u128_to_double(mul64(2 * n_pos, n_neg)));
        }
    }

    /* Brier and calibration in the large. */
    if (n > 0 && o->probabilities) {
        fair__ksum brier = {0, 0}, sum_s = {0, 0};
        size_t i;
        for (i = 0; i < h->m; i++) {
            double s = h->s[i], n0 = (double)h->n0[i], n1 = (double)h->n1[i];
            fair__ksum_add(&brier, n0 * s * s);
            fair__ksum_add(&brier, n1 * (1.0 - s) * (1.0 - s));
            fair__ksum_add(&sum_s, (n0 + n1) * s);
        }
        set_value(&v[FAIR_SCORE_BRIER], fair__ksum_value(&brier) / (double)n);
        fair__ksum_add(&sum_s, -(double)n_pos);
        set_value(&v[FAIR_SCORE_CITL], fair__ksum_value(&sum_s) / (double)n);
    }

    /* The reliability curve, ECE and MCE. */
    {
        bin_iter it;
        bin_acc b;
        fair__ksum ece = {0, 0};
        double mce = 0.0;
        bin_iter_init(&it, h, o, o->binning, n);
        while (bin_next(&it, &b)) {
            fair_reliability_bin *rb = bins ? &bins[r.n_bins] : NULL;
            double e = fair__ksum_value(&b.sum_s), dev = fabs((double)b.pos - e);
            if (rb) {
                memset(rb, 0, sizeof *rb);
                rb->lo = b.lo;
                rb->hi = b.hi;
                rb->n = b.n;
                rb->positives = b.pos;
                if (b.n > 0) {
                    rb->mean_score = e / (double)b.n;
                    rb->observed = (double)b.pos / (double)b.n;
                    /* Wilson (1927) interval of the bin's observed rate; the level was checked
                     * and 0 < n <= 2^53, so this cannot fail. */
                    rb->wilson_ok = fair_stats_wilson(b.pos, b.n, o->level, &rb->wilson_lo,
                                                      &rb->wilson_hi) == FAIR_OK;
                    if (!rb->wilson_ok) rb->wilson_lo = rb->wilson_hi = 0.0;
                }
                r.n_bins++;
            }
            if (b.n > 0) {
                fair__ksum_add(&ece, dev);
                if (dev / (double)b.n > mce) mce = dev / (double)b.n;
            }
        }
        if (n > 0 && o->probabilities) {
            set_value(&v[FAIR_SCORE_ECE], fair__ksum_value(&ece) / (double)n);
            set_value(&v[FAIR_SCORE_MCE], mce);
        }
    }

    /* Logistic recalibration. */
    if (n > 0 && o->probabilities) {
        /* The range of the clamped logits of the positives and of the negatives. */
        double pos_lo = HUGE_VAL, pos_hi = -HUGE_VAL, neg_lo = HUGE_VAL, neg_hi = -HUGE_VAL;
        double a = 0, b = 0, se_a = 0, se_b = 0;
        size_t i;
        for (i = 0; i < h->m; i++) {
            double x = LOGIT_OF(logit, h, i, o->clamp_eps);
            /* Comparisons, not fmin/fmax calls: x is finite (a clamped logit). */
            if (h->n1[i] > 0) {
                pos_lo = x < pos_lo ? x : pos_lo;
                pos_hi = x > pos_hi ? x : pos_hi;
            }
            if (h->n0[i] > 0) {
                neg_lo = x < neg_lo ? x : neg_lo;
                neg_hi = x > neg_hi ? x : neg_hi;
            }
        }
        /* With one covariate, the maximum likelihood estimate is finite if and only if the labels
         * overlap: some negative lies above some positive and some positive above some negative
         * (Albert & Anderson 1984; otherwise a threshold on logit(s) separates them completely or
         * quasi-completely and the slope runs off to infinity). */
        if (n_pos == 0 || n_neg == 0)
            why = R_ONE_LABEL;
        else if (!(fmin(pos_lo, neg_lo) < fmax(pos_hi, neg_hi)))
            why = R_NO_SPREAD;
        else if (!(neg_hi > pos_lo && pos_hi > neg_lo))
            why = R_SEPARATED;
        else
            why = recalibrate(h, rs, o, n, &a, &b, &se_a, &se_b);
        if (why) {
            set_undefined(&v[FAIR_SCORE_SLOPE], why);
            set_undefined(&v[FAIR_SCORE_INTERCEPT], why);
        } else {
            set_value(&v[FAIR_SCORE_SLOPE], b);
            set_value(&v[FAIR_SCORE_INTERCEPT], a);
            r.slope_se = se_b;
            r.intercept_se = se_a;
        }
    }

    /* Hosmer-Lemeshow. */
    if (n > 0 && o->probabilities && !rs) {
        double stat = 0, df = 0, p = 0;
        why = hosmer_lemeshow(h, o, n, &stat, &df, &p);
        if (why) {
            set_undefined(&v[FAIR_SCORE_HL_STAT], why);
            set_undefined(&v[FAIR_SCORE_HL_P], why);
        } else {
            set_value(&v[FAIR_SCORE_HL_STAT], stat);
            set_value(&v[FAIR_SCORE_HL_P], p);
            r.hl_df = df;
        }
    }

    *out = r;
    return FAIR_OK;
}

fair_status fair_score_metrics_compute(const fair_score_hist *h, const fair_score_options *o,
                                       fair_score_metrics *out, fair_reliability_bin *bins,
                                       fair_error *err)
{
    return compute(h, NULL, o, out, bins, err);
}

void fair__score_logits(const fair_score_hist *h, const fair_score_options *o, double *logit)
{
    for (size_t i = 0; i < h->m; i++) logit[i] = clamped_logit(h->s[i], o->clamp_eps);
}

fair_status fair__score_metrics_resampled(const fair_score_hist *h, const fair__score_resample *rs,
                                          const fair_score_options *o, fair_score_metrics *out)
{
    return compute(h, rs, o, out, NULL, NULL);
}
