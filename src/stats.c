/* stats.c -- analytic confidence intervals for proportions and their ratio and difference,
 * tests of "no difference" (two-proportion z, Pearson chi-square, Fisher exact) and the Holm and
 * Benjamini-Hochberg p-value adjustments. GSL supplies the distributions; where a GSL routine
 * can fail (and so call the process-wide GSL error handler) the inputs are kept inside the
 * domain where it cannot, or the computation is done here instead. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_log.h>
#include "internal.h"

/* ---- tuning constants (STYLE C2: named, not inline) ---- */

/* Two tables' probabilities count as equal when they differ by less than this relative amount;
 * the value of R's fisher.test (relErr <- 1 + 10^(-7)). */
#define FISHER_REL_TOL 1e-7

/* Table probabilities below exp(-FISHER_LOG_CUTOFF) times the modal one are exactly zero in
 * double precision (exp(-746) underflows), so the walk over the support stops there. */
#define FISHER_LOG_CUTOFF 750.0

/* Largest count (or total of counts) accepted: every count must convert to double without
 * rounding. Larger ones are FAIR_EINVAL. */
#define EXACT_COUNT_MAX (UINT64_C(1) << 53)

/* gsl_cdf_chisq_Q() stays on its converging branches only for moderate degrees of freedom:
 * a sweep of 2e7 random (df, x) pairs found its first failure (GSL_EMAXITER, which would reach
 * the GSL error handler) at df = 1.78e6 with GSL 2.7.1. Beyond this bound we return
 * FAIR_ENUMERIC instead of risking it. */
#define CHISQ_MAX_DF 1.0e6

/* Chi-square margins of the shorter table dimension are cached on the stack up to this many;
 * larger tables recompute them (no allocation, see fair_stats_chisq_indep). */
#define CHISQ_MARGIN_CACHE 128

/* Newton iterations allowed when inverting the incomplete beta function, and the continued
 * fraction's iteration budget: it converges in O(sqrt(max(a, b))) terms (Numerical Recipes,
 * 3rd ed., section 6.4), so the budget grows with the parameters. */
#define BETA_NEWTON_MAX_ITER 200
#define BETA_CF_BASE_ITER 1000.0
#define BETA_CF_SQRT_FACTOR 20.0

/* Incomplete beta tails whose relevant integer parameter is at most this are summed as finite
 * binomial series (see log_beta_tail); the cost is this many terms per evaluation. */
#define BETA_FINITE_SUM_MAX 2000.0

/* ---- small helpers ---- */


/* True when `level` is a usable confidence level, strictly inside (0, 1); false for NaN. */
static int level_ok(double level) { return level > 0.0 && level < 1.0; }

/* The two-sided standard normal critical value z_{1-alpha/2} for confidence `level`. Computed
 * from the upper tail, Qinv((1 - level)/2), which keeps its precision as level approaches 1; the
 * argument lies in (0, 0.5), where GSL's quantile neither fails nor calls the error handler. */
static double z_two_sided(double level) { return gsl_cdf_ugaussian_Qinv(0.5 * (1.0 - level)); }

/* Checks the counts of one or two proportions (pass x2 = n2 = 1 for one): FAIR_EINVAL when
 * x > n or n > 2^53 (counts must convert to double exactly), then FAIR_EDATA when n == 0. */
static fair_status check_counts(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2)
{
    FAIR__RETURN_IF(x1 > n1 || x2 > n2, FAIR_EINVAL, NULL, "successes exceed trials");
    FAIR__RETURN_IF(n1 > EXACT_COUNT_MAX || n2 > EXACT_COUNT_MAX, FAIR_EINVAL, NULL,
                    "trials exceed 2^53");
    FAIR__RETURN_IF(n1 == 0 || n2 == 0, FAIR_EDATA, NULL, "proportion of 0 trials");
    return FAIR_OK;
}

/* ---- Wilson score interval ---- */

/* Wilson (1927) score interval; Agresti & Coull (1998), eq. (2); the interval of R's
 * prop.test(x, n, correct = FALSE). With p = x/n, z22n = z^2/(2n) and
 * s = sqrt(p(1-p)/n + z^2/(4n^2)) the bounds are (p + z22n -+ z s)/(1 + 2 z22n). The upper one is
 * a sum of positive terms; the lower one cancels when p is small, so it is taken in the
 * equivalent form p^2 / (p + z22n + z s) (multiply by the conjugate: the numerator's product is
 * p^2 (1 + 2 z22n)). Both keep full relative precision. As R, lo = 0 at x = 0, hi = 1 at x = n. */
static void wilson(uint64_t x, uint64_t n, double z, double *lo, double *hi)
{
    double dn = (double)n;
    double p = (double)x / dn, q = (double)(n - x) / dn;
    double z22n = z * z / (2.0 * dn);
    double s = sqrt(p * q / dn + z22n / (2.0 * dn));
    double upper_num = p + z22n + z * s; /* numerator of the upper bound */
    *lo = x == 0 ? 0.0 : p * p / upper_num;
    *hi = x == n ? 1.0 : fmin(1.0, upper_num / (1.0 + 2.0 * z22n)); /* rounding can pass 1 */
}

/* Wilson interval of x/n at confidence `level` into *lo, *hi (see stats.h). EINVAL for NULL
 * outputs, a level outside (0, 1), x > n or n > 2^53; EDATA for n == 0. Outputs are written only
 * on success. */
fair_status fair_stats_wilson(uint64_t x, uint64_t n, double level, double *lo, double *hi)
{
    FAIR__RETURN_IF(!lo || !hi, FAIR_EINVAL, NULL, "NULL output");
    FAIR__RETURN_IF(!level_ok(level), FAIR_EINVAL, NULL, "level %g not in (0, 1)", level);
    FAIR__FORWARD(check_counts(x, n, 1, 1));
    wilson(x, n, z_two_sided(level), lo, hi);
    return FAIR_OK;
}

/* ---- Clopper-Pearson: inverse of the regularized incomplete beta function ----
 * GSL's gsl_cdf_beta_Pinv is not used: its continued fraction stops after 512 terms and returns
 * NaN for large parameters (a, b around 10^6 and up), a failed Newton refinement calls the GSL
 * error handler, and log B(a, b) from log-gammas loses ~1e-7 of absolute accuracy at counts of
 * 10^8. The incomplete beta and its inverse are done here instead, in logs. */

/* log Gamma*(z) = log Gamma(z) - [(z - 1/2) log z - z + log(2 pi)/2], the Stirling remainder
 * (Loader 2000, "stirlerr"), from GSL's gamma*; z > 0, so gsl_sf_gammastar_e stays in its
 * domain and cannot call the error handler. */
static double stirling_remainder(double z)
{
    gsl_sf_result r;
    if (gsl_sf_gammastar_e(z, &r) != 0) return NAN;
    return log(r.val);
}

/* a (log(1 + e) - e) for e = x/x0 - 1 > -1, with log(1 + e) = log(x/x0) passed in `log_ratio`
 * for use when e is near -1 (where 1 + e has lost its relative precision). */
static double log1pmx_term(double a, double e, double log_ratio)
{
    const double series_range = 0.5; /* GSL's log(1+e) - e is cancellation-free below this */
    gsl_sf_result r;
    if (fabs(e) < series_range) {
        if (gsl_sf_log_1plusx_mx_e(e, &r) != 0) return NAN; /* cannot fail: e > -1 */
        return a * r.val;
    }
    return a * ((e > 0.0 ? log1p(e) : log_ratio) - e);
}

/* log of the front factor x^a y^b / B(a, b) of the incomplete beta function, y = 1 - x, a, b > 0,
 * x = exp(u). Writing log B with Stirling's series and x0 = a/(a+b), y0 = b/(a+b) gives
 *   a log(x/x0) + b log(y/y0) + log(ab/(a+b))/2 - log(2 pi)/2 - d(a) - d(b) + d(a+b)
 * with d the Stirling remainder (the decomposition of Temme 1992 and of TOMS 708's brcomp).
 * The two logs nearly cancel near the mean; since a e1 + b e2 = 0 exactly for e1 = x/x0 - 1 and
 * e2 = y/y0 - 1, they are summed as a (log(1+e1) - e1) + b (log(1+e2) - e2), each part free of
 * cancellation. The result keeps ~1e-15 absolute accuracy at parameters of 10^8, where the
 * difference of log-gammas keeps only ~1e-7. */
static double log_beta_front(double a, double b, double u, double x, double y)
{
    const double half_log_2pi = 0.91893853320467274178; /* log(2 pi)/2 */
    double ab = a + b;
    double t = x * ab - a; /* (x - x0)(a + b) */
    double e1 = t / a, e2 = -t / b;
    double terms = log1pmx_term(a, e1, u - log(a / ab)) + log1pmx_term(b, e2, log(y) - log(b / ab));
    return terms + 0.5 * log(a * (b / ab)) - half_log_2pi - stirling_remainder(a) -
           stirling_remainder(b) + stirling_remainder(ab);
}

/* Continued fraction for I_x(a, b) (Numerical Recipes, 3rd ed., eq. 6.4.5, evaluated by the
 * modified Lentz method, Thompson & Barnett 1986), given x and y = 1 - x. Valid and quickly
 * convergent for x < (a + 1)/(a + b + 2). FAIR_ENUMERIC if the iteration budget runs out. */
static fair_status beta_cf(double a, double b, double x, double y, double *out)
{
    const double tiny = 1e-300; /* replaces a zero denominator (Lentz's trick) */
    double qab = a + b, qap = a + 1.0, qam = a - 1.0;
    /* First denominator 1 - (a+b) x/(a+1). When x is near 1 and a large it cancels; then it is
     * taken from y = 1 - x as ((1 - b) + (a+b) y)/(a+1), which is exact in the same way. */
    double c = 1.0, d = x > 0.5 ? ((1.0 - b) + qab * y) / qap : 1.0 - qab * x / qap, h;
    double max_iter = BETA_CF_BASE_ITER + BETA_CF_SQRT_FACTOR * sqrt(fmax(a, b));
    double m;

    if (fabs(d) < tiny) d = tiny;
    d = 1.0 / d;
    h = d;
    for (m = 1.0; m <= max_iter; m += 1.0) {
        double m2 = 2.0 * m, aa, del;
        aa = m * (b - m) * x / ((qam + m2) * (a + m2)); /* even step */
        d = 1.0 + aa * d;
        if (fabs(d) < tiny) d = tiny;
        c = 1.0 + aa / c;
        if (fabs(c) < tiny) c = tiny;
        d = 1.0 / d;
        h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)); /* odd step */
        d = 1.0 + aa * d;
        if (fabs(d) < tiny) d = tiny;
        c = 1.0 + aa / c;
        if (fabs(c) < tiny) c = tiny;
        d = 1.0 / d;
        del = d * c;
        h *= del;
        if (fabs(del - 1.0) <= DBL_EPSILON) {
            *out = h;
            return FAIR_OK;
        }
    }
    return fair__fail(NULL, FAIR_ENUMERIC, "incomplete beta continued fraction did not converge");
}

/* log of sum_{j=0}^{k} C(N, j) s^j r^(N-j), a head of the Binomial(N, s) distribution, given
 * log s and log r (r = 1 - s). The terms follow from the first, r^N, by the exact ratio
 * (N - j)/(j + 1) * s/r, each adding one rounding of relative size ~eps; partial sums are kept
 * scaled (all terms are positive) so that neither underflow nor overflow occurs. */
static double log_binom_head(double big_n, double k, double log_s, double log_r)
{
    const double rescale = 1e280; /* scaled sums are divided by this when they exceed it */
    double ratio_sr = exp(log_s - log_r), term = 1.0, sum = 1.0, offset = big_n * log_r;
    double j;
    for (j = 0.0; j < k; j += 1.0) {
        term *= (big_n - j) / (j + 1.0) * ratio_sr;
        sum += term;
        if (sum > rescale) {
            sum /= rescale;
            term /= rescale;
            offset += log(rescale);
        }
    }
    return offset + log(sum);
}

/* One tail of the Beta(a, b) distribution at x = exp(u) in (0, 1), integers a, b >= 1, in logs:
 * log I_x(a, b) when `upper` is 0, log(1 - I_x(a, b)) when it is 1, and in *slope the derivative
 * of that log with respect to u (+-x f(x) divided by the tail, f the Beta density).
 * One tail is computed directly, the other as log1p of minus it. Below the switch point
 * (a + 1)/(a + b + 2) the direct one is I_x(a, b), above it 1 - I_x(a, b) = I_{1-x}(b, a)
 * (Numerical Recipes, 3rd ed., eqs. 6.4.5-6.4.6), from the continued fraction.
 * With its first parameter p large and its second q small, the continued fraction grows to
 * ~p/q near x = 1 and loses that factor of precision (~1e-9 at p = 10^8, q = 2). There, for
 * integer parameters, the same tail is taken as a finite binomial sum, whose error grows only
 * with its q terms: I_x(a, b) = P(Binomial(a + b - 1, 1 - x) <= b - 1) below the switch point,
 * 1 - I_x(a, b) = P(Binomial(a + b - 1, x) <= a - 1) above it. The sum is chosen when p >= q^2,
 * which is where its error (~q eps) is the smaller of the two. */
static fair_status log_beta_tail(double a, double b, double u, int upper, double *log_tail,
                                 double *slope)
{
    double x = exp(u), y = -expm1(u); /* y = 1 - x without cancellation */
    double log_y = x < 0.5 ? log1p(-x) : log(y); /* relative accuracy of y does not suffice */
    double big_n = a + b - 1.0;
    double ln_front = log_beta_front(a, b, u, x, y);
    double cf, direct; /* direct: log of the tail computed first */
    int direct_is_lower = x < (a + 1.0) / (a + b + 2.0);

    FAIR__RETURN_IF(isnan(ln_front), FAIR_ENUMERIC, NULL, "incomplete beta front factor failed");
    if (direct_is_lower && b <= BETA_FINITE_SUM_MAX && a >= b * b) {
        direct = log_binom_head(big_n, b - 1.0, log_y, u);
    } else if (direct_is_lower) {
        FAIR__FORWARD(beta_cf(a, b, x, y, &cf));
        direct = ln_front + log(cf / a);
    } else if (a <= BETA_FINITE_SUM_MAX && b >= a * a) {
        direct = log_binom_head(big_n, a - 1.0, u, log_y);
    } else {
        FAIR__FORWARD(beta_cf(b, a, y, x, &cf));
        direct = ln_front + log(cf / b);
    }
    if (direct_is_lower == !upper) {
        *log_tail = direct;
    } else {
        FAIR__RETURN_IF(!(direct < 0.0), FAIR_ENUMERIC, NULL, "incomplete beta lost precision");
        *log_tail = log1p(-exp(direct));
    }
    /* x f(x) = x^a y^(b-1) / B(a, b) */
    *slope = exp(ln_front - log_y - *log_tail);
    if (upper) *slope = -*slope;
    return FAIR_OK;
}

/* Solves tail(p) = t for p, where tail is I_p(a, b) (upper == 0) or 1 - I_p(a, b) (upper == 1),
 * for integers a, b >= 1 and 0 < t < 1: a Clopper-Pearson bound (Clopper & Pearson 1934).
 * Newton's method on g(u) = log tail(e^u) - log t in u = log p. The log of a beta variable has a
 * log-concave density, so both tails are log-concave and g is concave and monotone in u: from
 * either side the iterates reach the root's monotone side in one step and then converge to it
 * without overshooting. A step that leaves the bracket [u_lo, u_hi] (p in (0, 1)) is replaced by
 * bisection as a guard against rounding. */
static fair_status beta_tail_inv(double a, double b, int upper, double t, double u0, double *p)
{
    double log_t = log(t), sign = upper ? -1.0 : 1.0;
    double u = u0, u_lo = -INFINITY, u_hi = 0.0; /* sign*g < 0 at u_lo, > 0 at u_hi */
    int it;

    for (it = 0; it < BETA_NEWTON_MAX_ITER; it++) {
        double log_tail = 0.0, slope = 0.0, g, u_new;
        FAIR__FORWARD(log_beta_tail(a, b, u, upper, &log_tail, &slope));
        g = log_tail - log_t;
        if (g == 0.0) break;
        if (sign * g > 0.0)
            u_hi = fmin(u_hi, u);
        else
            u_lo = fmax(u_lo, u);
        u_new = u - g / slope;
        if (!(u_new < u_hi) || !(u_new > u_lo)) /* outside the bracket (or NaN): bisect */
            u_new = isfinite(u_lo) ? 0.5 * (u_lo + u_hi) : u_hi - 2.0 * (1.0 + fabs(u_hi));
        if (fabs(u_new - u) <= 2.0 * DBL_EPSILON * fmax(1.0, fabs(u))) {
            u = u_new;
            break;
        }
        u = u_new;
    }
    FAIR__RETURN_IF(it == BETA_NEWTON_MAX_ITER, FAIR_ENUMERIC, NULL,
                    "beta quantile did not converge");
    *p = exp(u);
    return FAIR_OK;
}

/* Clopper-Pearson interval of x/n into *lo, *hi (see stats.h); errors as fair_stats_wilson,
 * plus ENUMERIC should the beta inversion fail to converge (not seen in testing). Accurate to
 * ~1e-13 relative for n up to 10^8 and beyond; the cost grows like sqrt(n) only when the bound
 * lies near the distribution's centre (a level near 0 with n around 10^15 takes ~1 s). */
fair_status fair_stats_clopper_pearson(uint64_t x, uint64_t n, double level, double *lo,
                                       double *hi)
{
    double tail, dx, dn, u0, l = 0.0, h = 1.0;
    FAIR__RETURN_IF(!lo || !hi, FAIR_EINVAL, NULL, "NULL output");
    FAIR__RETURN_IF(!level_ok(level), FAIR_EINVAL, NULL, "level %g not in (0, 1)", level);
    FAIR__FORWARD(check_counts(x, n, 1, 1));
    /* As R's binom.test: lo = qbeta(tail, x, n - x + 1), 0 when x == 0, and
     * hi = qbeta(1 - tail, x + 1, n - x), 1 when x == n, with tail = (1 - level)/2. The upper
     * bound is found from its own upper tail, so that a tiny hi keeps its relative precision. */
    tail = 0.5 * (1.0 - level);
    dx = (double)x;
    dn = (double)n;
    u0 = log((dx + 0.5) / (dn + 1.0)); /* start: a point strictly inside (0, 1) near x/n */
    if (x > 0) FAIR__FORWARD(beta_tail_inv(dx, (double)(n - x) + 1.0, 0, tail, u0, &l));
    if (x < n) FAIR__FORWARD(beta_tail_inv(dx + 1.0, (double)(n - x), 1, tail, u0, &h));
    *lo = l;
    *hi = h;
    return FAIR_OK;
}

/* ---- two-sample intervals and tests ---- */

/* Katz log interval of (x1/n1)/(x2/n2) into *lo, *hi (see stats.h). EINVAL as
 * fair_stats_wilson for either proportion; EDATA when n1, n2, x1 or x2 is 0. */
fair_status fair_stats_katz_ratio(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2,
                                  double level, double *lo, double *hi)
{
    double z, log_rr, se;
    FAIR__RETURN_IF(!lo || !hi, FAIR_EINVAL, NULL, "NULL output");
    FAIR__RETURN_IF(!level_ok(level), FAIR_EINVAL, NULL, "level %g not in (0, 1)", level);
    FAIR__FORWARD(check_counts(x1, n1, x2, n2));
    FAIR__RETURN_IF(x1 == 0 || x2 == 0, FAIR_EDATA, NULL, "ratio interval needs x1, x2 > 0");
    /* Katz, Baptista, Azen & Pike (1978): log RR +- z * sqrt(1/x1 - 1/n1 + 1/x2 - 1/n2), with
     * each 1/x - 1/n written as (n - x)/(x n) to avoid cancellation. */
    z = z_two_sided(level);
    log_rr = log(((double)x1 / (double)n1) / ((double)x2 / (double)n2));
    se = sqrt((double)(n1 - x1) / ((double)x1 * (double)n1) +
              (double)(n2 - x2) / ((double)x2 * (double)n2));
    *lo = exp(log_rr - z * se);
    *hi = exp(log_rr + z * se);
    return FAIR_OK;
}

/* Newcombe hybrid score interval of x1/n1 - x2/n2 into *lo, *hi (see stats.h). EINVAL as
 * fair_stats_wilson for either proportion; EDATA when n1 or n2 is 0. x = 0 and x = n are fine. */
fair_status fair_stats_newcombe_diff(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2,
                                     double level, double *lo, double *hi)
{
    double z, p1, p2, l1, u1, l2, u2, d;
    FAIR__RETURN_IF(!lo || !hi, FAIR_EINVAL, NULL, "NULL output");
    FAIR__RETURN_IF(!level_ok(level), FAIR_EINVAL, NULL, "level %g not in (0, 1)", level);
    FAIR__FORWARD(check_counts(x1, n1, x2, n2));
    /* Newcombe (1998), method 10: with (l_i, u_i) the Wilson intervals of p_i,
     * lo = d - sqrt((p1 - l1)^2 + (u2 - p2)^2), hi = d + sqrt((u1 - p1)^2 + (p2 - l2)^2). */
    z = z_two_sided(level);
    wilson(x1, n1, z, &l1, &u1);
    wilson(x2, n2, z, &l2, &u2);
    p1 = (double)x1 / (double)n1;
    p2 = (double)x2 / (double)n2;
    d = p1 - p2;
    *lo = d - hypot(p1 - l1, u2 - p2);
    *hi = d + hypot(u1 - p1, p2 - l2);
    return FAIR_OK;
}

/* Pooled two-proportion z statistic and its two-sided p-value into *z, *p (see stats.h).
 * EINVAL for NULL outputs, x > n or n1 + n2 > 2^53; EDATA when n1 or n2 is 0 or the pooled
 * proportion is 0 or 1 (the standard error vanishes). */
fair_status fair_stats_two_prop_z(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2, double *z,
                                  double *p)
{
    double p1, p2, pool, qool, se, zz;
    uint64_t x, n;
    FAIR__RETURN_IF(!z || !p, FAIR_EINVAL, NULL, "NULL output");
    FAIR__FORWARD(check_counts(x1, n1, x2, n2));
    FAIR__RETURN_IF(n1 > EXACT_COUNT_MAX - n2, FAIR_EINVAL, NULL, "n1 + n2 exceeds 2^53");
    x = x1 + x2;
    n = n1 + n2;
    FAIR__RETURN_IF(x == 0 || x == n, FAIR_EDATA, NULL, "pooled proportion is 0 or 1");
    /* Pooled two-proportion z test (e.g. Agresti, Categorical Data Analysis, 3rd ed., 3.1.5);
     * z^2 is the X-squared of R's prop.test(c(x1, x2), c(n1, n2), correct = FALSE). */
    p1 = (double)x1 / (double)n1;
    p2 = (double)x2 / (double)n2;
    pool = (double)x / (double)n;
    qool = (double)(n - x) / (double)n;
    se = sqrt(pool * qool * (1.0 / (double)n1 + 1.0 / (double)n2));
    zz = (p1 - p2) / se;
    *z = zz;
    *p = 2.0 * gsl_cdf_ugaussian_Q(fabs(zz));
    return FAIR_OK;
}

/* ---- Pearson chi-square test of independence ---- */

/* Margin k of the table: the sum of row k (by_row) or of column k. */
static uint64_t margin(const uint64_t *t, size_t rows, size_t cols, size_t k, int by_row)
{
    uint64_t s = 0;
    size_t i;
    if (by_row)
        for (i = 0; i < cols; i++) s += t[k * cols + i];
    else
        for (i = 0; i < rows; i++) s += t[i * cols + k];
    return s;
}

/* Pearson chi-square test of independence on a rows x cols row-major table (see stats.h).
 * EINVAL for NULL arguments, a zero dimension or a total above 2^53; EDATA when fewer than two
 * non-empty rows or columns remain; ENUMERIC when the degrees of freedom exceed CHISQ_MAX_DF.
 * No allocation. */
fair_status fair_stats_chisq_indep(const uint64_t *table, size_t rows, size_t cols, double *stat,
                                   double *df, double *p)
{
    uint64_t total = 0, cache[CHISQ_MARGIN_CACHE];
    size_t i, j, kept_rows = 0, kept_cols = 0;
    int rows_short; /* cache the row margins (rows is the shorter dimension) */
    int cached;
    double dn, x2 = 0.0, dof;

    FAIR__RETURN_IF(!table || !stat || !df || !p, FAIR_EINVAL, NULL, "NULL argument");
    FAIR__RETURN_IF(rows == 0 || cols == 0, FAIR_EINVAL, NULL, "table has a zero dimension");
    FAIR__RETURN_IF(rows > SIZE_MAX / cols, FAIR_EINVAL, NULL, "table too large");

    /* Total (with an overflow check) and the number of non-empty rows and columns. */
    for (i = 0; i < rows; i++) {
        uint64_t r = 0;
        for (j = 0; j < cols; j++) {
            uint64_t v = table[i * cols + j];
            FAIR__RETURN_IF(v > EXACT_COUNT_MAX - total, FAIR_EINVAL, NULL,
                            "table total exceeds 2^53");
            total += v;
            r += v;
        }
        if (r > 0) kept_rows++;
    }
    for (j = 0; j < cols; j++)
        if (margin(table, rows, cols, j, 0) > 0) kept_cols++;
    FAIR__RETURN_IF(kept_rows < 2 || kept_cols < 2, FAIR_EDATA, NULL,
                    "chi-square needs 2 non-empty rows and columns (have %zu x %zu)", kept_rows,
                    kept_cols);
    dof = (double)(kept_rows - 1) * (double)(kept_cols - 1);
    FAIR__RETURN_IF(dof > CHISQ_MAX_DF, FAIR_ENUMERIC, NULL,
                    "%g degrees of freedom exceed the supported %g", dof, CHISQ_MAX_DF);

    /* Pearson (1900): X^2 = sum (O - E)^2 / E over non-empty rows and columns, E = R_i C_j / N,
     * as R's chisq.test(correct = FALSE) on the table without its empty rows and columns.
     * The loop runs over the longer dimension and takes the shorter one's margins from a
     * stack cache; tables whose shorter side exceeds the cache recompute them, costing
     * O(rows * cols * min(rows, cols)) but no allocation (the header promises none). */
    rows_short = rows <= cols;
    {
        size_t n_short = rows_short ? rows : cols, n_long = rows_short ? cols : rows, s, l;
        cached = n_short <= CHISQ_MARGIN_CACHE;
        if (cached)
            for (s = 0; s < n_short; s++) cache[s] = margin(table, rows, cols, s, rows_short);
        dn = (double)total;
        for (l = 0; l < n_long; l++) {
            uint64_t ml = margin(table, rows, cols, l, !rows_short);
            if (ml == 0) continue;
            for (s = 0; s < n_short; s++) {
                uint64_t ms = cached ? cache[s] : margin(table, rows, cols, s, rows_short);
                size_t r = rows_short ? s : l, c = rows_short ? l : s;
                double e, o, dev;
                if (ms == 0) continue;
                e = (double)ml * (double)ms / dn;
                o = (double)table[r * cols + c];
                dev = o - e;
                x2 += dev * dev / e;
            }
        }
    }
    *stat = x2;
    *df = dof;
    /* df in [1, CHISQ_MAX_DF] and x2 >= 0: the range where gsl_cdf_chisq_Q converges. */
    *p = gsl_cdf_chisq_Q(x2, dof);
    return FAIR_OK;
}

/* ---- Fisher's exact test ---- */

/* log of P(X = j + 1) / P(X = j) for the hypergeometric count X of the table's top-left cell,
 * with column-1 total m, column-2 total nn and row-1 total k:
 * (m - j)(k - j) / ((j + 1)(nn - k + j + 1)). One rounding per product, so the log of the ratio
 * is accurate to a few ulps whatever the size of the counts (unlike differences of log-gammas,
 * whose absolute error grows to ~1e-7 at counts of 10^8: as large as the tie tolerance). */
static double hyper_step(double m, double nn, double k, double j)
{
    return log(((m - j) * (k - j)) / ((j + 1.0) * (nn - k + j + 1.0)));
}

/* Walks the support from the mode `mode` towards `to` (inclusive), summing log-ratio steps with
 * Neumaier compensation, and returns log P(to) - log P(mode) in *l_to; returns 0 (and leaves
 * *l_to alone) when the walk falls below -FISHER_LOG_CUTOFF before arriving. The same sequence
 * of operations is used by fisher_sums, so the observed table's value is reproduced bit for bit. */
static int fisher_log_rel(double m, double nn, double k, uint64_t mode, uint64_t to, double *l_to)
{
    fair__ksum l = {0.0, 0.0};
    uint64_t j;
    if (to >= mode) {
        for (j = mode; j < to; j++) {
            fair__ksum_add(&l, hyper_step(m, nn, k, (double)j));
            if (fair__ksum_value(&l) < -FISHER_LOG_CUTOFF) return 0;
        }
    } else {
        for (j = mode; j > to; j--) {
            fair__ksum_add(&l, -hyper_step(m, nn, k, (double)(j - 1)));
            if (fair__ksum_value(&l) < -FISHER_LOG_CUTOFF) return 0;
        }
    }
    *l_to = fair__ksum_value(&l);
    return 1;
}

/* Sums P(j)/P(mode) over the support [lo, hi] (all of it, and into *tail those with
 * log P(j)/P(mode) <= l_max), walking outwards from the mode until the terms underflow. */
static void fisher_sums(double m, double nn, double k, uint64_t lo, uint64_t hi, uint64_t mode,
                        double l_max, double *all, double *tail)
{
    fair__ksum s_all = {0.0, 0.0}, s_tail = {0.0, 0.0};
    fair__ksum l;
    uint64_t j;

    fair__ksum_add(&s_all, 1.0);
    if (0.0 <= l_max) fair__ksum_add(&s_tail, 1.0);
    l.sum = l.c = 0.0;
    for (j = mode; j < hi; j++) { /* right of the mode */
        double v;
        fair__ksum_add(&l, hyper_step(m, nn, k, (double)j));
        v = fair__ksum_value(&l);
        if (v < -FISHER_LOG_CUTOFF) break;
        fair__ksum_add(&s_all, exp(v));
        if (v <= l_max) fair__ksum_add(&s_tail, exp(v));
    }
    l.sum = l.c = 0.0;
    for (j = mode; j > lo; j--) { /* left of the mode */
        double v;
        fair__ksum_add(&l, -hyper_step(m, nn, k, (double)(j - 1)));
        v = fair__ksum_value(&l);
        if (v < -FISHER_LOG_CUTOFF) break;
        fair__ksum_add(&s_all, exp(v));
        if (v <= l_max) fair__ksum_add(&s_tail, exp(v));
    }
    *all = fair__ksum_value(&s_all);
    *tail = fair__ksum_value(&s_tail);
}

/* Two-sided Fisher exact p-value of [[a, b], [c, d]] into *p (see stats.h). EINVAL for a NULL
 * output or a total above 2^53; EDATA when a row or column total is 0 (the empty table
 * included). A table so extreme that its probability underflows gives p = 0, as R.
 * Time O(sqrt(total)). */
fair_status fair_stats_fisher_2x2(uint64_t a, uint64_t b, uint64_t c, uint64_t d, double *p)
{
    uint64_t m, nn, k, n, lo, hi, mode;
    double dm, dnn, dk, l_obs, all, tail, pv;

    FAIR__RETURN_IF(!p, FAIR_EINVAL, NULL, "NULL output");
    FAIR__RETURN_IF(a > EXACT_COUNT_MAX || b > EXACT_COUNT_MAX - a ||
                        c > EXACT_COUNT_MAX - a - b || d > EXACT_COUNT_MAX - a - b - c,
                    FAIR_EINVAL, NULL, "table total exceeds 2^53");
    n = a + b + c + d;
    FAIR__RETURN_IF(n == 0, FAIR_EDATA, NULL, "empty table");

    /* Conditional on the margins, a ~ Hypergeometric: column totals m = a + c, nn = b + d, row-1
     * total k = a + b; support [max(0, k - nn), min(k, m)]. As R's fisher.test, the two-sided
     * p-value sums P(j) over the tables with P(j) <= P(a) (1 + 1e-7) (Fisher 1935; the
     * "probability" method of Agresti 1992). A zero margin leaves a single possible table and
     * no test: FAIR_EDATA, per stats.h's rule for zero margins and as fair_stats_chisq_indep on
     * the same table (R's fisher.test returns p = 1 there). */
    m = a + c;
    nn = b + d;
    k = a + b;
    FAIR__RETURN_IF(m == 0 || nn == 0 || k == 0 || k == n, FAIR_EDATA, NULL,
                    "2 x 2 table with an empty row or column");
    lo = k > nn ? k - nn : 0;
    hi = k < m ? k : m;
    dm = (double)m;
    dnn = (double)nn;
    dk = (double)k;

    /* Mode: floor((k + 1)(m + 1)/(n + 2)) (Johnson, Kemp & Kotz, Univariate Discrete
     * Distributions, 6.3), computed in double and corrected by the sign of the log-ratio. */
    {
        double guess = floor((dk + 1.0) * ((dm + 1.0) / ((double)n + 2.0)));
        mode = guess <= (double)lo ? lo : guess >= (double)hi ? hi : (uint64_t)guess;
        while (mode < hi && hyper_step(dm, dnn, dk, (double)mode) > 0.0) mode++;
        while (mode > lo && hyper_step(dm, dnn, dk, (double)(mode - 1)) < 0.0) mode--;
    }

    /* R normalises exp(log P - max log P); a table that far in the tail has probability exactly
     * zero there, and so does the p-value. */
    if (!fisher_log_rel(dm, dnn, dk, mode, a, &l_obs)) {
        *p = 0.0;
        return FAIR_OK;
    }
    fisher_sums(dm, dnn, dk, lo, hi, mode, l_obs + log1p(FISHER_REL_TOL), &all, &tail);
    pv = tail / all;
    *p = pv < 1.0 ? pv : 1.0;
    return FAIR_OK;
}

/* ---- multiple-testing adjustment ---- */

typedef struct {
    double p;     /* the p-value */
    size_t index; /* its position in the caller's array */
} indexed_p;

/* qsort comparator: ascending p, ties by original position (a total order, so the result does
 * not depend on the qsort implementation). */
static int cmp_indexed_p(const void *va, const void *vb)
{
    const indexed_p *x = va, *y = vb;
    if (x->p < y->p) return -1;
    if (x->p > y->p) return 1;
    return (x->index > y->index) - (x->index < y->index);
}

/* Holm / Benjamini-Hochberg / no adjustment of p[0..n) into out[0..n) (see stats.h); `out` may
 * alias `p`, NaN entries stay NaN and are not counted in the family. EINVAL for NULL arrays with
 * n > 0, an unknown method, or a non-NaN value outside [0, 1]; ENOMEM when the n-entry scratch
 * index cannot be allocated (`out` is then untouched). */
fair_status fair_stats_p_adjust(const double *p, size_t n, fair_p_adjust method, double *out)
{
    indexed_p *s;
    size_t i, m = 0;

    FAIR__RETURN_IF(n > 0 && (!p || !out), FAIR_EINVAL, NULL, "NULL argument");
    FAIR__RETURN_IF(method != FAIR_P_ADJUST_NONE && method != FAIR_P_ADJUST_HOLM &&
                        method != FAIR_P_ADJUST_BH,
                    FAIR_EINVAL, NULL, "unknown p-value adjustment %d", (int)method);
    for (i = 0; i < n; i++) {
        FAIR__RETURN_IF(!isnan(p[i]) && !(p[i] >= 0.0 && p[i] <= 1.0), FAIR_EINVAL, NULL,
                        "p[%zu] = %g is not a probability", i, p[i]);
        if (!isnan(p[i])) m++;
    }
    if (method == FAIR_P_ADJUST_NONE || m == 0) {
        for (i = 0; i < n; i++) out[i] = p[i];
        return FAIR_OK;
    }
    FAIR__RETURN_IF(m > SIZE_MAX / sizeof *s, FAIR_ENOMEM, NULL, "too many p-values");
    s = fair__malloc(m * sizeof *s);
    FAIR__RETURN_IF(!s, FAIR_ENOMEM, NULL, "no memory for %zu p-values", m);

    /* The family is the m non-NaN values (R's p.adjust evaluates its default n = length(p)
     * after dropping NAs). Sorted copies make `out` aliasing `p` harmless. */
    m = 0;
    for (i = 0; i < n; i++) {
        if (isnan(p[i])) {
            out[i] = p[i];
        } else {
            s[m].p = p[i];
            s[m].index = i;
            m++;
        }
    }
    qsort(s, m, sizeof *s, cmp_indexed_p);

    if (method == FAIR_P_ADJUST_HOLM) {
        /* Holm (1979): p_(i) -> max_{j <= i} min(1, (m - j + 1) p_(j)), ascending order. */
        double run = 0.0;
        for (i = 0; i < m; i++) {
            double v = (double)(m - i) * s[i].p;
            if (v > run) run = v;
            out[s[i].index] = run < 1.0 ? run : 1.0;
        }
    } else {
        /* Benjamini & Hochberg (1995): p_(i) -> min_{j >= i} min(1, m p_(j) / j). */
        double run = INFINITY;
        for (i = m; i-- > 0;) {
            double v = (double)m / (double)(i + 1) * s[i].p;
            if (v < run) run = v;
            out[s[i].index] = run < 1.0 ? run : 1.0;
        }
    }
    fair__free(s);
    return FAIR_OK;
}

/* The method's name ("none", "holm", "bh"); "unknown" for a value outside the enum. Static. */
const char *fair_p_adjust_name(fair_p_adjust method)
{
    switch (method) {
    case FAIR_P_ADJUST_NONE:
        return "none";
    case FAIR_P_ADJUST_HOLM:
        return "holm";
    case FAIR_P_ADJUST_BH:
        return "bh";
    }
    return "unknown";
}
