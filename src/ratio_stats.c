/* ratio_stats.c -- the statistics of a sales ratio study on arrays: median, means, COD, PRD,
 * PRB, KI and MKI (weighted by bootstrap multiplicities, or not), the median's order-statistic
 * interval, VEI, valuation errors, Kruskal-Wallis and the sales-chasing figures. Formulas and
 * sources are in docs/ratio.md. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>
#include <stdlib.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <string.h>
#include "ratio_internal.h"

const char *const fair__ratio_stat_names[FAIR_RATIO_STAT_COUNT] = {
    "median_ratio", "mean_ratio", "weighted_mean_ratio", "cod", "prd", "prb", "ki", "mki", "vei"};
const char *const fair__ratio_err_names[FAIR__RERR_COUNT] = {"mean_error", "mae", "mape", "rmse"};

static fair__num defined(double v)
{
    fair__num n = {1, v, NULL};
    if (!isfinite(v)) n = (fair__num){0, 0, "not a finite number"};
    return n;
}

static fair__num undefined(const char *why) { return (fair__num){0, 0, why}; }

double fair__ratio_quantile7(const double *sorted, size_t n, double p)
{
    /* gsl_stats_quantile_from_sorted_data: delta = (n-1) p, i = floor(delta), linear
     * interpolation between x[i] and x[i+1]: Hyndman & Fan's type 7, R's default. */
    return gsl_stats_quantile_from_sorted_data(sorted, 1, n, p);
}

/* Point statistics of m sales: ar, sr in ascending order of ratio, as, ss in ascending order
 * of sale price. x, y: scratch of m doubles. */
static void point(const double *ar, const double *sr, const double *as, const double *ss, size_t m,
                  double level, double *x, double *y, fair__num out[FAIR_RATIO_STAT_COUNT],
                  fair__ci *prb_ci)
{
    const double n = (double)m, ln2 = log(2.0);
    double med;
    fair__ksum sr_ = {0, 0}, sa = {0, 0}, ss_ = {0, 0}, sdev = {0, 0};

    for (size_t f = 0; f < FAIR_RATIO_STAT_COUNT; f++) out[f] = undefined("no sales");
    if (prb_ci) prb_ci->ok = 0;
    if (m == 0) return;
    /* Median: the mean of the two middle order statistics when n is even (R's median). */
    med = m % 2 ? ar[m / 2] / sr[m / 2]
                : 0.5 * (ar[m / 2 - 1] / sr[m / 2 - 1] + ar[m / 2] / sr[m / 2]);
    out[FAIR_RATIO_MEDIAN] = defined(med);
    for (size_t i = 0; i < m; i++) {
        double r = ar[i] / sr[i];
        fair__ksum_add(&sr_, r);
        fair__ksum_add(&sa, ar[i]);
        fair__ksum_add(&ss_, sr[i]);
        fair__ksum_add(&sdev, fabs(r - med));
        /* PRB (IAAO 2013 appendix B; Gloudemans 2011): regress (r - med) / med on
         * log2 of the value proxy (A / med + S) / 2. */
        x[i] = log(0.5 * (ar[i] / med + sr[i])) / ln2;
        y[i] = (r - med) / med;
    }
    {
        double mean = fair__ksum_value(&sr_) / n;
        double wmean = fair__ksum_value(&sa) / fair__ksum_value(&ss_);
        out[FAIR_RATIO_MEAN] = defined(mean);
        out[FAIR_RATIO_WEIGHTED_MEAN] = defined(wmean);
        /* COD = 100 * mean |r - median| / median (IAAO 2013, appendix B) */
        out[FAIR_RATIO_COD] = defined(100.0 * (fair__ksum_value(&sdev) / n) / med);
        /* PRD = mean ratio / weighted mean ratio */
        out[FAIR_RATIO_PRD] = defined(mean / wmean);
    }
    if (m < 3) {
        out[FAIR_RATIO_PRB] = undefined("fewer than 3 sales");
    } else {
        double c0, c1, c00, c01, c11, sumsq;
        int rc = gsl_fit_linear(x, 1, y, 1, m, &c0, &c1, &c00, &c01, &c11, &sumsq);
        if (rc != GSL_SUCCESS || !isfinite(c1)) {
            out[FAIR_RATIO_PRB] = undefined("the value proxy does not vary");
        } else {
            out[FAIR_RATIO_PRB] = defined(c1);
            if (prb_ci && isfinite(c11) && c11 >= 0) {
                /* t interval of the slope, n - 2 degrees of freedom (R's confint.lm) */
                double t = gsl_cdf_tdist_Pinv(0.5 + 0.5 * level, n - 2.0);
                prb_ci->ok = 1;
                prb_ci->lo = c1 - t * sqrt(c11);
                prb_ci->hi = c1 + t * sqrt(c11);
            }
        }
    }
    /* KI and MKI (Quintos 2020): Gini coefficients of assessed values and of sale prices, both
     * with the sales ranked by sale price: G = 2 sum(v_i i) / (n sum v) - (n + 1) / n. */
    {
        fair__ksum ga = {0, 0}, gs = {0, 0};
        double gini_a, gini_s;
        for (size_t i = 0; i < m; i++) {
            fair__ksum_add(&ga, as[i] * (double)(i + 1));
            fair__ksum_add(&gs, ss[i] * (double)(i + 1));
        }
        gini_a = (2.0 * fair__ksum_value(&ga) / fair__ksum_value(&sa) - (n + 1.0)) / n;
        gini_s = (2.0 * fair__ksum_value(&gs) / fair__ksum_value(&ss_) - (n + 1.0)) / n;
        out[FAIR_RATIO_KI] = defined(gini_a - gini_s);
        out[FAIR_RATIO_MKI] = gini_s > 0 ? defined(gini_a / gini_s)
                                         : undefined("every sale price is the same");
    }
    out[FAIR_RATIO_VEI] = undefined("needs value strata (fair__ratio_vei)");
}

void fair__ratio_point(const double *ar, const double *sr, const double *as, const double *ss,
                       size_t n, double level, double *x, double *y,
                       fair__num out[FAIR_RATIO_STAT_COUNT], fair__ci *prb_ci)
{
    point(ar, sr, as, ss, n, level, x, y, out, prb_ci);
}

/* The same statistics for a bootstrap replicate, where sale i of the set stands for c_i copies
 * (c_i its multiplicity), in four passes over the set's contiguous arrays and no sorting or
 * copying of sales, and no branch on whether a sale was drawn (which the processor cannot
 * predict):
 *   1. the multiplicities in ratio order (read at increasing positions); N; the rows with
 *      c_i > 0 and their counts, compacted (integer work only);
 *   2. the median by a cumulative walk over those rows, which also gives sum |r - med| without
 *      another pass: the rows before the one holding order statistic N/2 have r <= med and the
 *      others r >= med, so sum c |r - med| = (Sr - 2 Slt) - med (N - 2 Wlt) with Wlt, Slt the
 *      count and sum c r of the rows before;
 *   3. over those rows again: sum c r (a row drawn 0 times would add +0, so it equals the sum
 *      over all rows bit for bit) and the PRB regression's weighted sums of x and y, the slope
 *      from their centred moments (x shifted by a constant keeps the sums small);
 *   4. in sale-price order: sum c A, sum c S, and the Gini sums: a row standing for c copies
 *      takes the ranks R+1..R+c, whose sum is c R + c (c + 1) / 2.
 * The passes stream about 60 bytes per sale and set, so each array is read in one pass only
 * where it can be (A and S in pass 4). Passes 3 and 4 take two rows at a time in two lanes
 * (even and odd rows of the pass), each sum the sum of its two lanes at the end plus an odd
 * last row: half the length of each chain of dependent additions, and SSE2's two-double
 * operations on x86-64. Sums are plain, in this fixed order (so results do not depend on
 * threads); with all c_i = 1 they agree with fair__ratio_point() to about 1e-13
 * (tests/unit/test_ratio.c).
 *
 * The PRB's x = ln(A / med + S) depends on the replicate's median. With m0 the set's own
 * median and t = 1 - m0 / med, A / med + S = (A / m0 + S) (1 - w t), w = (A / m0) / (A / m0 + S)
 * in (0, 1), so x = ln(A / m0 + S) + ln(1 - w t): the first term is computed once per set
 * (fair__ratio_replicate_prepare), the second by its series -sum_j (w t)^j / j up to j = 6.
 * For |t| <= 2^-9 (FAIR__RATIO_SERIES_MAX) the remainder is below |w t|^7 / 7 / (1 - |w t|)
 * < 2e-20, far under the rounding of x itself; for larger |t| (small sets) x comes from log()
 * row by row. At a million sales |t| is about 1e-3. */
fair_status fair__ratio_replicate_prepare(fair__rsorted *d)
{
    const size_t m = d->m;
    double sum = 0, x0, inv;
    d->lx = fair__malloc((m ? m : 1) * sizeof *d->lx);
    d->wx = fair__malloc((m ? m : 1) * sizeof *d->wx);
    d->m0 = 0;
    if (!d->lx || !d->wx) return FAIR_ENOMEM;
    if (m == 0) return FAIR_OK;
    d->m0 = gsl_stats_median_from_sorted_data(d->rr, 1, m);
    inv = 1.0 / d->m0;
    for (size_t i = 0; i < m; i++) {
        double u = d->ar[i] * inv, p = u + d->sr[i];
        d->lx[i] = log(p);
        d->wx[i] = u / p;
        sum += d->lx[i];
    }
    x0 = sum / (double)m;
    for (size_t i = 0; i < m; i++) d->lx[i] -= x0;
    return FAIR_OK;
}

/* Two doubles, operated on element by element (GCC's vector extension: SSE2 on x86-64, plain
 * scalar code elsewhere; the same IEEE results either way). */
typedef double v2d __attribute__((vector_size(2 * sizeof(double))));

/* The PRB's regressor of two rows by the series above: x = lx - u (1 + u/2 + ... + u^5/6),
 * u = w t. */
static inline v2d series_x(v2d lx, v2d w, double t)
{
    const v2d u = w * t;
    v2d s = 0.2 + u * (1.0 / 6.0);
    s = 0.25 + u * s;
    s = 1.0 / 3.0 + u * s;
    s = 0.5 + u * s;
    s = 1.0 + u * s;
    return lx - u * s;
}

/* Multiplicity at position p: from the 32-bit counts when given, else the 8-bit ones. */
static inline uint32_t count_of(const uint8_t *c8, const uint32_t *c32, uint32_t p)
{
    return c32 ? c32[p] : c8[p];
}

/* c (c + 1) / 2 for c = 0..255, exact: the Gini pass's 0.5 c (c + 1) with 8-bit counts. */
#define HALF1(c) (double)((c) * ((c) + 1) / 2)
#define HALF4(c) HALF1(c), HALF1(c + 1), HALF1(c + 2), HALF1(c + 3)
#define HALF16(c) HALF4(c), HALF4(c + 4), HALF4(c + 8), HALF4(c + 12)
#define HALF64(c) HALF16(c), HALF16(c + 16), HALF16(c + 32), HALF16(c + 48)
static const double half8[256] = {HALF64(0), HALF64(64), HALF64(128), HALF64(192)};

/* The replicate for one width of counts (r8, s8 or r32, s32) and one kind of set (ident: the
 * set of all sales, without position arrays): in line with constant arguments, so
 * that the compiler makes one copy of the passes per case. */
static inline __attribute__((always_inline)) void
replicate(const fair__rsorted *d, const uint8_t *r8, const uint32_t *r32, const uint8_t *s8,
          const uint32_t *s32, int ident, uint32_t *wr, uint32_t *nz, fair__num out[FAIR_RATIO_STAT_COUNT])
{
    const size_t m = d->m;
    size_t k = 0;
    uint64_t N = 0, cum = 0;
    double Sr = 0, Sa = 0, Ss = 0, Slt = 0, v1 = 0, v2 = 0, med, n;
    int got1 = 0;

    for (size_t f = 0; f < FAIR_RATIO_STAT_COUNT; f++) out[f] = undefined("no sales drawn");
    for (size_t i = 0; i < m; i++) {
        uint32_t c = count_of(r8, r32, ident ? (uint32_t)i : d->ir[i]);
        N += c;
        /* branch-free compaction of the rows drawn at least once, with their counts */
        nz[k] = (uint32_t)i;
        wr[k] = c;
        k += c != 0;
    }
    if (N == 0) return;
    n = (double)N;
    for (size_t j = 0; j < k; j++) {
        uint32_t c = wr[j];
        double r = d->rr[nz[j]];
        if (!got1 && cum + c > (N - 1) / 2) {
            v1 = r;
            got1 = 1;
        }
        if (cum + c > N / 2) {
            v2 = r;
            break;
        }
        cum += c;
        Slt += (double)c * r;
    }
    med = N % 2 ? v2 : 0.5 * (v1 + v2);
    {
        /* One pass over the rows drawn, in ratio order (a row drawn 0 times would add +0 to
         * every sum): the sums of r, A and S, and the PRB's. The slope does not change when x
         * or y is shifted by a constant, and scales with them: with x = ln(A / med + S) - x0
         * (log2 of the proxy is x / ln 2 plus a constant) and y = r (the PRB's y is
         * r / med - 1), PRB = ln 2 / med * cov(x, y) / var(x). */
        const double inv_med = 1.0 / med, t = (med - d->m0) / med;
        double sx = 0, sxx = 0, sxy = 0, vxx, vxy;
        if (d->lx && fabs(t) <= FAIR__RATIO_SERIES_MAX) {
            /* two rows at a time, in two lanes (even and odd rows drawn), summed at the end */
            v2d Sr2 = {0, 0}, sx2 = {0, 0}, sxx2 = {0, 0}, sxy2 = {0, 0};
            size_t j = 0;
            for (; j + 2 <= k; j += 2) {
                const size_t i0 = nz[j], i1 = nz[j + 1];
                const v2d cd = {(double)wr[j], (double)wr[j + 1]}, y = {d->rr[i0], d->rr[i1]};
                const v2d x = series_x((v2d){d->lx[i0], d->lx[i1]}, (v2d){d->wx[i0], d->wx[i1]}, t);
                Sr2 += cd * y;
                sx2 += cd * x;
                sxx2 += cd * x * x;
                sxy2 += cd * x * y;
            }
            Sr = Sr2[0] + Sr2[1];
            sx = sx2[0] + sx2[1];
            sxx = sxx2[0] + sxx2[1];
            sxy = sxy2[0] + sxy2[1];
            for (; j < k; j++) { /* an odd last row: the first lane of the same arithmetic */
                size_t i = nz[j];
                double cd = (double)wr[j], y = d->rr[i];
                double x = series_x((v2d){d->lx[i], d->lx[i]}, (v2d){d->wx[i], d->wx[i]}, t)[0];
                Sr += cd * y;
                sx += cd * x;
                sxx += cd * x * x;
                sxy += cd * x * y;
            }
        } else {
            const double x0 = log(d->ar[nz[0]] * inv_med + d->sr[nz[0]]);
            for (size_t j = 0; j < k; j++) {
                size_t i = nz[j];
                double cd = (double)wr[j];
                double x = log(d->ar[i] * inv_med + d->sr[i]) - x0, y = d->rr[i];
                Sr += cd * y;
                sx += cd * x;
                sxx += cd * x * x;
                sxy += cd * x * y;
            }
        }
        vxx = sxx - sx * sx / n;
        vxy = sxy - sx * Sr / n;
        out[FAIR_RATIO_PRB] = N < 3    ? undefined("fewer than 3 sales")
                              : vxx > 0 ? defined(log(2.0) * inv_med * vxy / vxx)
                                        : undefined("the value proxy does not vary");
    }
    out[FAIR_RATIO_MEDIAN] = defined(med);
    out[FAIR_RATIO_MEAN] = defined(Sr / n);
    out[FAIR_RATIO_COD] = defined(100.0 * ((Sr - 2.0 * Slt) - med * (n - 2.0 * (double)cum)) / n / med);
    {
        /* Branch-free: a row drawn 0 times adds 0 and leaves R as it is. */
        /* Two rows at a time, in two lanes summed at the end. R, a count, is exact. */
        double ga, gs, R = 0, gini_a, gini_s;
        v2d Sa2 = {0, 0}, Ss2 = {0, 0}, ga2 = {0, 0}, gs2 = {0, 0};
        size_t i = 0;
        for (; i + 2 <= m; i += 2) {
            const uint32_t c0 = count_of(s8, s32, ident ? (uint32_t)i : d->is[i]);
            const uint32_t c1 = count_of(s8, s32, ident ? (uint32_t)i + 1 : d->is[i + 1]);
            const v2d cd = {(double)c0, (double)c1}, Rv = {R, R + (double)c0};
            /* 0.5 cd (cd + 1) is exact, as is the table */
            const v2d half = s32 ? 0.5 * cd * (cd + 1.0) : (v2d){half8[c0], half8[c1]};
            const v2d rs = cd * Rv + half, a = {d->as[i], d->as[i + 1]}, sp = {d->ss[i], d->ss[i + 1]};
            Sa2 += cd * a;
            Ss2 += cd * sp;
            ga2 += a * rs;
            gs2 += sp * rs;
            R += (double)c0 + (double)c1;
        }
        Sa = Sa2[0] + Sa2[1];
        Ss = Ss2[0] + Ss2[1];
        ga = ga2[0] + ga2[1];
        gs = gs2[0] + gs2[1];
        for (; i < m; i++) {
            uint32_t c = count_of(s8, s32, ident ? (uint32_t)i : d->is[i]);
            double cd = (double)c;
            double rs = cd * R + (s32 ? 0.5 * cd * (cd + 1.0) : half8[c]);
            Sa += cd * d->as[i];
            Ss += cd * d->ss[i];
            ga += d->as[i] * rs;
            gs += d->ss[i] * rs;
            R += cd;
        }
        out[FAIR_RATIO_WEIGHTED_MEAN] = defined(Sa / Ss);
        out[FAIR_RATIO_PRD] = defined((Sr / n) / (Sa / Ss));
        gini_a = (2.0 * ga / Sa - (n + 1.0)) / n;
        gini_s = (2.0 * gs / Ss - (n + 1.0)) / n;
        out[FAIR_RATIO_KI] = defined(gini_a - gini_s);
        out[FAIR_RATIO_MKI] = gini_s > 0 ? defined(gini_a / gini_s)
                                         : undefined("every sale price is the same");
    }
    out[FAIR_RATIO_VEI] = undefined("not computed for a bootstrap replicate");
}

void fair__ratio_replicate(const fair__rsorted *d, const fair__rcounts *c, uint32_t *wr,
                           uint32_t *nz, fair__num out[FAIR_RATIO_STAT_COUNT])
{
    const int ident = d->ir == NULL;
    if (c->r32 && ident) replicate(d, NULL, c->r32, NULL, c->s32, 1, wr, nz, out);
    else if (c->r32) replicate(d, NULL, c->r32, NULL, c->s32, 0, wr, nz, out);
    else if (ident) replicate(d, c->r8, NULL, c->s8, NULL, 1, wr, nz, out);
    else replicate(d, c->r8, NULL, c->s8, NULL, 0, wr, nz, out);
}

/* IAAO Standard on Ratio Studies (2013), appendix B, "Median confidence interval": with
 * j = z sqrt(n) / 2 rounded up, the interval runs from the order statistic (n+1)/2 - j to
 * (n+1)/2 + j for odd n, and from n/2 - j to n/2 + 1 + j for even n. docs/ratio.md notes that
 * this is our reading of the standard's text. */
int fair__ratio_median_ranks(size_t n, double level, size_t *lo, size_t *hi)
{
    double z = gsl_cdf_ugaussian_Pinv(0.5 + 0.5 * level);
    double j = ceil(z * sqrt((double)n) / 2.0);
    double l, h;
    if (n == 0) return 0;
    if (n % 2) {
        l = (double)(n + 1) / 2.0 - j;
        h = (double)(n + 1) / 2.0 + j;
    } else {
        l = (double)n / 2.0 - j;
        h = (double)n / 2.0 + 1.0 + j;
    }
    if (l < 1.0 || h > (double)n) return 0;
    *lo = (size_t)l;
    *hi = (size_t)h;
    return 1;
}

/* The number of strata for VEI: ten when there are at least 100 sales, else one per ten sales
 * and at least two (docs/ratio.md: the draft standard's table was not at hand). */
size_t fair__ratio_vei_strata(size_t n)
{
    size_t k = n / 10;
    return k > 10 ? 10 : k < 2 ? 2 : k;
}

/* VEI after the IAAO's draft Standard on Ratio Studies (exposure draft 2023): the sales in
 * ascending order of the value proxy 0.5 S + 0.5 A / median ratio, cut into k strata of equal
 * counts (stratum q: positions [q n / k, (q + 1) n / k)); VEI = 100 (median ratio of the top
 * stratum - median ratio of the bottom one) / overall median ratio. scratch: 4 n doubles. */
fair__num fair__ratio_vei(const double *a, const double *s, size_t n, size_t k, double *scratch)
{
    double med, lo_med, hi_med;
    fair__kv *kv = (fair__kv *)scratch;
    if (k < 2 || n < 2 * k) return undefined("too few sales for the value strata");
    /* The overall median: a, s are in ascending ratio order. */
    med = n % 2 ? a[n / 2] / s[n / 2] : 0.5 * (a[n / 2 - 1] / s[n / 2 - 1] + a[n / 2] / s[n / 2]);
    /* The sales by proxy, then by ratio: a stable sort of the ratio order by the proxy. */
    for (size_t i = 0; i < n; i++) kv[i] = (fair__kv){fair__f64_key(0.5 * s[i] + 0.5 * a[i] / med), i};
    fair__kv_sort(kv, kv + n, n);
    /* k strata of (nearly) equal counts: stratum q holds positions [q n / k, (q+1) n / k). The
     * median ratio of a stratum: its sales marked, then read in ratio order. */
    {
        unsigned char *mark = (unsigned char *)(scratch + 2 * n);
        double *tmp = scratch + 3 * n;
        size_t lo0 = 0, hi0 = n / k, lo1 = (k - 1) * n / k, hi1 = n, m;
        memset(mark, 0, n);
        for (size_t j = lo0; j < hi0; j++) mark[kv[j].v] = 1;
        for (size_t j = lo1; j < hi1; j++) mark[kv[j].v] = 2;
        m = 0;
        for (size_t i = 0; i < n; i++)
            if (mark[i] == 1) tmp[m++] = a[i] / s[i];
        lo_med = gsl_stats_median_from_sorted_data(tmp, 1, m);
        m = 0;
        for (size_t i = 0; i < n; i++)
            if (mark[i] == 2) tmp[m++] = a[i] / s[i];
        hi_med = gsl_stats_median_from_sorted_data(tmp, 1, m);
    }
    return defined(100.0 * (hi_med - lo_med) / med);
}

void fair__ratio_errors(const double *a, const double *s, size_t n, fair__num out[FAIR__RERR_COUNT])
{
    fair__ksum e = {0, 0}, ae = {0, 0}, pe = {0, 0}, se = {0, 0};
    if (n == 0) {
        for (size_t k = 0; k < FAIR__RERR_COUNT; k++) out[k] = undefined("no sales");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        double d = a[i] - s[i];
        fair__ksum_add(&e, d);
        fair__ksum_add(&ae, fabs(d));
        fair__ksum_add(&pe, fabs(d) / s[i]);
        fair__ksum_add(&se, d * d);
    }
    out[FAIR__RERR_ME] = defined(fair__ksum_value(&e) / (double)n);
    out[FAIR__RERR_MAE] = defined(fair__ksum_value(&ae) / (double)n);
    out[FAIR__RERR_MAPE] = defined(100.0 * fair__ksum_value(&pe) / (double)n);
    out[FAIR__RERR_RMSE] = defined(sqrt(fair__ksum_value(&se) / (double)n));
}

/* Kruskal & Wallis (1952), with the correction for ties (Siegel & Castellan 1988, eq. 8.3):
 * H = [12 / (N (N+1)) sum R_g^2 / n_g - 3 (N+1)] / [1 - sum (t^3 - t) / (N^3 - N)], referred
 * to chi-square with k - 1 degrees of freedom, k the groups with sales. As R's kruskal.test. */
void fair__ratio_kruskal(const double *r, const size_t *grp, size_t N, const uint64_t *n_g,
                         size_t k, double *rsum, fair__num *h, fair__num *df, fair__num *p)
{
    double ties = 0, sum = 0, n = (double)N, hh, c;
    size_t groups = 0;
    *h = *df = *p = undefined("fewer than two groups with sales");
    for (size_t g = 0; g < k; g++) {
        rsum[g] = 0;
        groups += n_g[g] > 0;
    }
    if (groups < 2) return;
    for (size_t i = 0; i < N;) {
        size_t j = i;
        double mid;
        while (j < N && r[j] == r[i]) j++;
        mid = 0.5 * ((double)i + 1.0 + (double)j); /* mid-rank of positions i+1..j */
        for (size_t t = i; t < j; t++) rsum[grp[t]] += mid;
        ties += ((double)(j - i) * (double)(j - i) * (double)(j - i)) - (double)(j - i);
        i = j;
    }
    for (size_t g = 0; g < k; g++)
        if (n_g[g]) sum += rsum[g] * rsum[g] / (double)n_g[g];
    c = 1.0 - ties / (n * n * n - n);
    if (!(c > 0)) {
        *h = *df = *p = undefined("every ratio is the same");
        return;
    }
    hh = (12.0 / (n * (n + 1.0)) * sum - 3.0 * (n + 1.0)) / c;
    *h = defined(hh);
    *df = defined((double)(groups - 1));
    *p = defined(gsl_cdf_chisq_Q(hh, (double)(groups - 1)));
}

fair__chasing fair__ratio_chasing(const double *r, size_t n, double band, double gap)
{
    fair__chasing c = {0, 0, 0, 0};
    size_t in = 0, run = 0, best = 0;
    if (n == 0) return c;
    for (size_t i = 0; i < n; i++) {
        if (r[i] >= 1.0 - band && r[i] <= 1.0 + band) in++;
        run = i > 0 && r[i] == r[i - 1] ? run + 1 : 1;
        if (run > best) {
            best = run;
            c.jump_at = r[i];
        }
    }
    c.band_share = (double)in / (double)n;
    c.max_jump = (double)best / (double)n;
    c.flagged = c.max_jump > gap && c.jump_at >= 1.0 - band && c.jump_at <= 1.0 + band;
    return c;
}
