/* test_binomial.c -- the binomial sampler of binomial.c (inversion and Hormann's BTRD) against
 * the exact distribution: GSL's probability mass function (gsl_ran_binomial_pdf, an
 * independent implementation) and the closed-form mean n p and variance n p (1 - p). Each case
 * draws from a fixed stream, so the test is deterministic; its thresholds are ones a correct
 * sampler fails with probability about 1e-6 per case, and a sampler off by a few percent in any
 * region of the distribution (a wrong constant in BTRD's hat, an off-by-one in the recursion of
 * step 3.1, a wrong sign in the symmetry p > 1/2) fails at once at these sample sizes. */
#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include "fair_test.h"
#include <fairaudit/fairaudit.h>
#include "internal.h"

/* fc(k) against its definition, log(k!) - ((k + 1/2) log(k + 1) - (k + 1) + log(2 pi) / 2),
 * with lgamma for log(k!): the table (k < 10) to 1e-13, the series to its stated bound. */
static void test_stirling_tail(void **state)
{
    (void)state;
    for (int k = 0; k < 200; k++) {
        const double x = k;
        const double want = lgamma(x + 1.0) - ((x + 0.5) * log(x + 1.0) - (x + 1.0) + 0.5 * log(2.0 * 3.14159265358979323846));
        const double tol = k < 10 ? 1e-13 : 4e-11;
        if (fabs(fair__stirling_tail(x) - want) > tol)
            fail_msg("fc(%d) = %.17g, want %.17g", k, fair__stirling_tail(x), want);
    }
}

/* Draws `reps` variates of Binomial(n, p) and checks: every one in [0, n]; the sample mean and
 * variance within 5 standard errors of n p and n p q (the variance's standard error from the
 * fourth central moment); and a chi-square test over the support, cells merged from the tails
 * in until each expects at least 20, against gsl_ran_binomial_pdf, p-value above 1e-6. */
static void check_binomial(uint64_t n, double p, size_t reps, uint64_t stream)
{
    fair_rng r;
    const double mean = (double)n * p, var = mean * (1.0 - p);
    double sum = 0.0, sum2 = 0.0;
    /* Counts by value over the window mean +- 12 sd (clipped to [0, n]); outside it the
     * binomial has mass below 1e-30, so a draw there is a failure. */
    const double sd = sqrt(var);
    const uint64_t lo = mean - 12.0 * sd - 1.0 > 0.0 ? (uint64_t)(mean - 12.0 * sd - 1.0) : 0;
    const uint64_t hi = mean + 12.0 * sd + 1.0 < (double)n ? (uint64_t)(mean + 12.0 * sd + 1.0) : n;
    const size_t width = (size_t)(hi - lo + 1);
    uint64_t *count = calloc(width, sizeof *count);
    double chi = 0.0, exp_acc = 0.0, obs_acc = 0.0, pv;
    size_t cells = 0;
    assert_non_null(count);
    fair_rng_seed(&r, 20261129u, stream);
    for (size_t i = 0; i < reps; i++) {
        const uint64_t k = fair__binomial(&r, n, p);
        if (k > n || k < lo || k > hi)
            fail_msg("Binomial(%llu, %g): draw %llu outside [%llu, %llu]", (unsigned long long)n, p,
                     (unsigned long long)k, (unsigned long long)lo, (unsigned long long)hi);
        count[k - lo]++;
        sum += (double)k;
        sum2 += (double)k * (double)k;
    }
    {
        const double m = sum / (double)reps, v = sum2 / (double)reps - m * m;
        /* Var of the sample variance ~ (mu4 - var^2) / reps, mu4 = 3 var^2 + var (1 - 6 p q). */
        const double mu4 = 3.0 * var * var + var * (1.0 - 6.0 * p * (1.0 - p));
        if (fabs(m - mean) > 5.0 * sqrt(var / (double)reps))
            fail_msg("Binomial(%llu, %g): mean %.6f, want %.6f", (unsigned long long)n, p, m, mean);
        if (fabs(v - var) > 5.0 * sqrt((mu4 - var * var) / (double)reps))
            fail_msg("Binomial(%llu, %g): variance %.6f, want %.6f", (unsigned long long)n, p, v, var);
    }
    /* Cells: consecutive values pooled until the expected count reaches 20; the last pool is
     * merged into the one before. The window's outside (mass < 1e-30) goes to the end cells. */
    for (size_t j = 0; j < width; j++) {
        exp_acc += gsl_ran_binomial_pdf((unsigned int)(lo + j), p, (unsigned int)n) * (double)reps;
        obs_acc += (double)count[j];
        if (exp_acc >= 20.0 || j + 1 == width) {
            if (exp_acc > 0.0) {
                chi += (obs_acc - exp_acc) * (obs_acc - exp_acc) / exp_acc;
                cells++;
            }
            exp_acc = obs_acc = 0.0;
        }
    }
    free(count);
    assert_true(cells >= 2);
    pv = gsl_cdf_chisq_Q(chi, (double)(cells - 1));
    if (pv < 1e-6)
        fail_msg("Binomial(%llu, %g): chi-square %.2f on %zu cells, p = %.3g", (unsigned long long)n,
                 p, chi, cells, pv);
}

/* Each region of the sampler: inversion (mean below 10, down to tiny p), BTRD with the
 * recursion of step 3.1 (|k - m| <= 15: small spread), BTRD's squeeze and Stirling steps
 * (large spread), the symmetry for p > 1/2, and the score bootstrap's usual call (a cell of
 * a 2M-row group). */
static void test_binomial_distribution(void **state)
{
    (void)state;
    check_binomial(1, 0.3, 200000, 1);
    check_binomial(5, 0.3, 200000, 2);
    check_binomial(40, 0.2, 200000, 3);         /* mean 8: inversion */
    check_binomial(1000000, 4e-6, 200000, 4);   /* mean 4: inversion, q^n near e^-4 */
    check_binomial(25, 0.4, 200000, 5);         /* mean 10: BTRD, every k near the mode */
    check_binomial(100, 0.3, 200000, 6);        /* sd 4.6: mostly step 3.1 */
    check_binomial(10000, 0.4, 200000, 7);      /* sd 49: steps 3.2 and 3.3 */
    check_binomial(2000000, 0.004, 200000, 8);  /* the score bootstrap's cells */
    check_binomial(1000, 0.9, 200000, 9);       /* p > 1/2 */
    check_binomial(60, 0.95, 200000, 10);       /* p > 1/2, mean of n - k below 10 */
    check_binomial(4000000000u, 0.5, 200000, 11); /* near GSL's 32-bit n */
}

/* The edges: p outside (0, 1), n = 0; and a count past 2^52, drawn in parts. */
static void test_binomial_edges(void **state)
{
    fair_rng r;
    uint64_t big = UINT64_C(1) << 60, k;
    (void)state;
    fair_rng_seed(&r, 1u, 0u);
    assert_int_equal(fair__binomial(&r, 10, 0.0), 0);
    assert_int_equal(fair__binomial(&r, 10, -1.0), 0);
    assert_int_equal(fair__binomial(&r, 10, NAN), 0);
    assert_int_equal(fair__binomial(&r, 10, 1.0), 10);
    assert_int_equal(fair__binomial(&r, 0, 0.5), 0);
    k = fair__binomial(&r, big, 0.5);
    /* sd = 2^29: within 8 sd of 2^59. */
    assert_true(fabs((double)k - 0x1p59) < 8.0 * 0x1p29);
}

/* fair__multinomial_tree() against the multinomial's moments: the counts add up to n, a leaf
 * of weight 0 stays 0, each leaf's mean and variance are n p_i and n p_i (1 - p_i), and two
 * leaves' covariance is -n p_i p_j, seen in the variance of their sum (all within 5 standard
 * errors over 100000 draws). Weights 1, 2, 3, 0, 4
 * over 8 leaves (the last three empty), n = 1000; split[j] is node j's left share. */
static void test_multinomial_tree(void **state)
{
    static const double w[8] = {1, 2, 3, 0, 4, 0, 0, 0};
    const uint64_t n = 1000;
    const size_t reps = 100000;
    double tw[16], split[8], sum[8] = {0}, sum2[8] = {0}, s14 = 0.0, s14sq = 0.0;
    fair_rng r;
    (void)state;
    for (size_t i = 0; i < 8; i++) tw[8 + i] = w[i];
    for (size_t j = 7; j >= 1; j--) {
        tw[j] = tw[2 * j] + tw[2 * j + 1];
        split[j] = tw[j] > 0 ? tw[2 * j] / tw[j] : 0.0;
    }
    split[0] = 0.0;
    fair_rng_seed(&r, 7u, 3u);
    for (size_t b = 0; b < reps; b++) {
        uint64_t c[16], tot = 0;
        fair__multinomial_tree(&r, n, split, 8, c);
        for (size_t i = 0; i < 8; i++) {
            tot += c[8 + i];
            sum[i] += (double)c[8 + i];
            sum2[i] += (double)c[8 + i] * (double)c[8 + i];
        }
        assert_int_equal(tot, n);
        assert_int_equal(c[8 + 3], 0);
        s14 += (double)(c[8 + 1] + c[8 + 4]);
        s14sq += (double)(c[8 + 1] + c[8 + 4]) * (double)(c[8 + 1] + c[8 + 4]);
    }
    for (size_t i = 0; i < 8; i++) {
        const double p = w[i] / 10.0, mean = (double)n * p, var = mean * (1.0 - p);
        const double m = sum[i] / (double)reps, v = sum2[i] / (double)reps - m * m;
        const double mu4 = 3.0 * var * var + var * (1.0 - 6.0 * p * (1.0 - p));
        assert_true(fabs(m - mean) <= 5.0 * sqrt(var / (double)reps) + 1e-12);
        assert_true(fabs(v - var) <= 5.0 * sqrt((mu4 - var * var) / (double)reps) + 1e-12);
    }
    {
        /* Leaves 1 and 4 together are Binomial(n, 0.6): their covariance, -n p1 p4, is what
         * makes the variance of the sum n 0.6 0.4 rather than the sum of the variances. */
        const double p = 0.6, mean = (double)n * p, var = mean * (1.0 - p);
        const double m = s14 / (double)reps, v = s14sq / (double)reps - m * m;
        const double mu4 = 3.0 * var * var + var * (1.0 - 6.0 * p * (1.0 - p));
        assert_true(fabs(m - mean) <= 5.0 * sqrt(var / (double)reps));
        if (fabs(v - var) > 5.0 * sqrt((mu4 - var * var) / (double)reps))
            fail_msg("variance of leaves 1 + 4: %.3f, want %.3f", v, var);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stirling_tail),
        cmocka_unit_test(test_binomial_distribution),
        cmocka_unit_test(test_binomial_edges),
        cmocka_unit_test(test_multinomial_tree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
