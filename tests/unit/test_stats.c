/* test_stats.c -- known answers for the intervals, tests and p-value adjustments of stats.c,
 * against R 4.2.2 (Debian r-base-core 4.2.2.20221110) and Python statsmodels 0.13.5 / SciPy
 * 1.10.1 (Debian python3-statsmodels, python3-scipy), with every FAIR_E* path provoked.
 * R values were printed with options(digits = 17); Python values with repr(float(v)). */
#include <stdlib.h>
#include <string.h>
#include "fair_test.h"
#include <fairaudit/fairaudit.h>
#include "internal.h"

/* Relative tolerances. REL_EXACT: the reference and the code compute the same closed form or
 * invert the same distribution function to full precision. REL_TAIL: sums of many table
 * probabilities far in a tail, where R's dhyper and our log-ratio walk each carry ~1e-14. */
#define REL_EXACT 1e-13
#define REL_TAIL 1e-12

/* Sentinel written into outputs before a call that must fail, to check they stay untouched. */
#define UNTOUCHED -12345.678

/* ---------------------------------------------------------------- Wilson */

static void test_wilson_known(void **state)
{
    double lo, hi;
    (void)state;
    /* R 4.2.2: prop.test(37, 113, correct = FALSE)$conf.int
     *   0.24782818830455555 0.41838618120404725
     * statsmodels 0.13.5: proportion_confint(37, 113, alpha=0.05, method='wilson')
     *   (0.24782818830455555, 0.41838618120404736) */
    assert_int_equal(fair_stats_wilson(37, 113, 0.95, &lo, &hi), FAIR_OK);
    assert_rel(lo, 0.24782818830455555, REL_EXACT);
    assert_rel(hi, 0.41838618120404725, REL_EXACT);

    /* R 4.2.2: prop.test(1234, 5678, conf.level = 0.9, correct = FALSE)$conf.int
     *   0.20846298565800975 0.22646635974717524 */
    assert_int_equal(fair_stats_wilson(1234, 5678, 0.9, &lo, &hi), FAIR_OK);
    assert_rel(lo, 0.20846298565800975, REL_EXACT);
    assert_rel(hi, 0.22646635974717524, REL_EXACT);

    /* A tiny proportion, where the textbook lower bound cancels and 1 - (the failures' lower
     * bound) would lose 9 digits of hi. R 4.2.2: prop.test(3, 1e8, correct = FALSE)$conf.int
     *   1.0202707334903529e-08 8.8211877091481967e-08
     * (Python decimal, 50 digits, same formula: 1.0202707334903528e-08 8.821187709148201e-08) */
    assert_int_equal(fair_stats_wilson(3, 100000000, 0.95, &lo, &hi), FAIR_OK);
    assert_rel(lo, 1.0202707334903529e-08, REL_EXACT);
    assert_rel(hi, 8.8211877091481967e-08, REL_EXACT);
}

static void test_wilson_edges(void **state)
{
    double lo = UNTOUCHED, hi = UNTOUCHED;
    (void)state;
    /* R 4.2.2: prop.test(0, 50, correct = FALSE)$conf.int -> 0 0.071347599133358683 */
    assert_int_equal(fair_stats_wilson(0, 50, 0.95, &lo, &hi), FAIR_OK);
    assert_true(lo == 0.0);
    assert_rel(hi, 0.071347599133358683, REL_EXACT);
    /* R 4.2.2: prop.test(50, 50, correct = FALSE)$conf.int -> 0.92865240086664136 1 */
    assert_int_equal(fair_stats_wilson(50, 50, 0.95, &lo, &hi), FAIR_OK);
    assert_rel(lo, 0.92865240086664136, REL_EXACT);
    assert_true(hi == 1.0);

    lo = hi = UNTOUCHED;
    assert_int_equal(fair_stats_wilson(0, 0, 0.95, &lo, &hi), FAIR_EDATA);
    assert_int_equal(fair_stats_wilson(51, 50, 0.95, &lo, &hi), FAIR_EINVAL);
    /* Counts must convert to double exactly: n > 2^53 is out of the domain. */
    assert_int_equal(fair_stats_wilson(5, (UINT64_C(1) << 53) + 1, 0.95, &lo, &hi), FAIR_EINVAL);
    assert_int_equal(fair_stats_wilson(5, 50, 0.0, &lo, &hi), FAIR_EINVAL);
    assert_int_equal(fair_stats_wilson(5, 50, 1.0, &lo, &hi), FAIR_EINVAL);
    assert_int_equal(fair_stats_wilson(5, 50, -0.5, &lo, &hi), FAIR_EINVAL);
    assert_int_equal(fair_stats_wilson(5, 50, 1.5, &lo, &hi), FAIR_EINVAL);
    assert_int_equal(fair_stats_wilson(5, 50, NAN, &lo, &hi), FAIR_EINVAL);
    assert_int_equal(fair_stats_wilson(5, 50, 0.95, NULL, &hi), FAIR_EINVAL);
    assert_int_equal(fair_stats_wilson(5, 50, 0.95, &lo, NULL), FAIR_EINVAL);
    assert_true(lo == UNTOUCHED && hi == UNTOUCHED);
}

/* ---------------------------------------------------------------- Clopper-Pearson */

static void test_clopper_pearson_known(void **state)
{
    double lo, hi;
    (void)state;
    /* R 4.2.2: binom.test(37, 113)$conf.int -> 0.24210047134864690 0.42206589968821817
     * statsmodels 0.13.5: proportion_confint(37, 113, method='beta')
     *   (0.24210047134864682, 0.4220658996882183) */
    assert_int_equal(fair_stats_clopper_pearson(37, 113, 0.95, &lo, &hi), FAIR_OK);
    assert_rel(lo, 0.24210047134864690, REL_EXACT);
    assert_rel(hi, 0.42206589968821817, REL_EXACT);

    /* R 4.2.2: binom.test(7, 23, conf.level = 0.99)$conf.int
     *   0.097434623313945631 0.592132602019173504 */
    assert_int_equal(fair_stats_clopper_pearson(7, 23, 0.99, &lo, &hi), FAIR_OK);
    assert_rel(lo, 0.097434623313945631, REL_EXACT);
    assert_rel(hi, 0.592132602019173504, REL_EXACT);
}

/* Large counts, where GSL's beta quantile fails: the continued-fraction path (both parameters
 * large) and the finite-sum path (one parameter small, the other 10^8). */
static void test_clopper_pearson_large(void **state)
{
    double lo, hi;
    (void)state;
    /* R 4.2.2: a <- (1 - 0.99)/2; qbeta(a, 123456, 1e7 - 123456 + 1);
     *          qbeta(1 - a, 123457, 1e7 - 123456) -> 0.012255837264533304 0.012435827009932954
     * (the formulas of binom.test(123456, 1e7, conf.level = 0.99)$conf.int) */
    assert_int_equal(fair_stats_clopper_pearson(123456, 10000000, 0.99, &lo, &hi), FAIR_OK);
    assert_rel(lo, 0.012255837264533304, REL_EXACT);
    assert_rel(hi, 0.012435827009932954, REL_EXACT);

    /* R 4.2.2: a <- (1 - 0.95)/2; qbeta(a, 1, 1e8); qbeta(1 - a, 2, 1e8 - 1)
     *   2.5317807981084895e-10 5.5716432635810683e-08 */
    assert_int_equal(fair_stats_clopper_pearson(1, 100000000, 0.95, &lo, &hi), FAIR_OK);
    assert_rel(lo, 2.5317807981084895e-10, REL_EXACT);
    assert_rel(hi, 5.5716432635810683e-08, REL_EXACT);

    /* R 4.2.2: a <- (1 - 0.95)/2; qbeta(a, 5e7, 5e7 + 1); qbeta(1 - a, 5e7 + 1, 5e7)
     *   0.49990199680195929 0.50009800319804065 */
    assert_int_equal(fair_stats_clopper_pearson(50000000, 100000000, 0.95, &lo, &hi), FAIR_OK);
    assert_rel(lo, 0.49990199680195929, REL_EXACT);
    assert_rel(hi, 0.50009800319804065, REL_EXACT);

    /* R 4.2.2: binom.test(99999999, 1e8, conf.level = 0.9)$conf.int
     *   0.99999995256135565 0.99999999948706708 */
    assert_int_equal(fair_stats_clopper_pearson(99999999, 100000000, 0.9, &lo, &hi), FAIR_OK);
    assert_rel(lo, 0.99999995256135565, REL_EXACT);
    assert_rel(hi, 0.99999999948706708, REL_EXACT);
}

static void test_clopper_pearson_edges(void **state)
{
    double lo = UNTOUCHED, hi = UNTOUCHED;
    (void)state;
    /* R 4.2.2: binom.test(0, 50)$conf.int -> 0 0.071121736464197616 (= 1 - 0.025^(1/50)) */
    assert_int_equal(fair_stats_clopper_pearson(0, 50, 0.95, &lo, &hi), FAIR_OK);
    assert_true(lo == 0.0);
    assert_rel(hi, 0.071121736464197616, REL_EXACT);
    /* R 4.2.2: binom.test(50, 50)$conf.int -> 0.92887826353580238 1 */
    assert_int_equal(fair_stats_clopper_pearson(50, 50, 0.95, &lo, &hi), FAIR_OK);
    assert_rel(lo, 0.92887826353580238, REL_EXACT);
    assert_true(hi == 1.0);

    lo = hi = UNTOUCHED;
    assert_int_equal(fair_stats_clopper_pearson(0, 0, 0.95, &lo, &hi), FAIR_EDATA);
    assert_int_equal(fair_stats_clopper_pearson(8, 7, 0.95, &lo, &hi), FAIR_EINVAL);
    assert_int_equal(fair_stats_clopper_pearson(1, UINT64_MAX, 0.95, &lo, &hi), FAIR_EINVAL);
    assert_int_equal(fair_stats_clopper_pearson(3, 7, 1.0, &lo, &hi), FAIR_EINVAL);
    assert_int_equal(fair_stats_clopper_pearson(3, 7, 0.0, &lo, &hi), FAIR_EINVAL);
    assert_int_equal(fair_stats_clopper_pearson(3, 7, NAN, &lo, &hi), FAIR_EINVAL);
    assert_int_equal(fair_stats_clopper_pearson(3, 7, 0.95, NULL, &hi), FAIR_EINVAL);
    assert_true(lo == UNTOUCHED && hi == UNTOUCHED);
}

/* ---------------------------------------------------------------- Katz ratio */

static void test_katz_ratio(void **state)
{
    double lo = UNTOUCHED, hi = UNTOUCHED;
    (void)state;
    /* statsmodels 0.13.5: confint_proportions_2indep(37, 113, 52, 131, method='log',
     *   compare='ratio', alpha=0.05) -> (0.5881844972701991, 1.156828265726618) */
    assert_int_equal(fair_stats_katz_ratio(37, 113, 52, 131, 0.95, &lo, &hi), FAIR_OK);
    assert_rel(lo, 0.5881844972701991, REL_EXACT);
    assert_rel(hi, 1.156828265726618, REL_EXACT);

    /* statsmodels 0.13.5: confint_proportions_2indep(1234, 5678, 1100, 5432, method='log',
     *   compare='ratio', alpha=0.10) -> (1.0100669114167597, 1.1403116225687009) */
    assert_int_equal(fair_stats_katz_ratio(1234, 5678, 1100, 5432, 0.9, &lo, &hi), FAIR_OK);
    assert_rel(lo, 1.0100669114167597, REL_EXACT);
    assert_rel(hi, 1.1403116225687009, REL_EXACT);

    /* x1 == n1 is allowed (its variance term is 0). statsmodels 0.13.5:
     * confint_proportions_2indep(40, 40, 17, 29, method='log', compare='ratio', alpha=0.05)
     *   -> (1.2564598655251364, 2.3160585402860265) */
    assert_int_equal(fair_stats_katz_ratio(40, 40, 17, 29, 0.95, &lo, &hi), FAIR_OK);
    assert_rel(lo, 1.2564598655251364, REL_EXACT);
    assert_rel(hi, 2.3160585402860265, REL_EXACT);

    lo = hi = UNTOUCHED;
    assert_int_equal(fair_stats_katz_ratio(0, 113, 52, 131, 0.95, &lo, &hi), FAIR_EDATA);
    assert_int_equal(fair_stats_katz_ratio(37, 113, 0, 131, 0.95, &lo, &hi), FAIR_EDATA);
    assert_int_equal(fair_stats_katz_ratio(0, 0, 52, 131, 0.95, &lo, &hi), FAIR_EDATA);
    assert_int_equal(fair_stats_katz_ratio(37, 113, 0, 0, 0.95, &lo, &hi), FAIR_EDATA);
    assert_int_equal(fair_stats_katz_ratio(114, 113, 52, 131, 0.95, &lo, &hi), FAIR_EINVAL);
    assert_int_equal(fair_stats_katz_ratio(37, 113, 132, 131, 0.95, &lo, &hi), FAIR_EINVAL);
    assert_int_equal(fair_stats_katz_ratio(37, 113, 52, 131, 2.0, &lo, &hi), FAIR_EINVAL);
    assert_int_equal(fair_stats_katz_ratio(37, 113, 52, 131, 0.95, &lo, NULL), FAIR_EINVAL);
    assert_true(lo == UNTOUCHED && hi == UNTOUCHED);
}

/* ---------------------------------------------------------------- Newcombe difference */

static void test_newcombe_diff(void **state)
{
    double lo = UNTOUCHED, hi = UNTOUCHED;
    (void)state;
    /* statsmodels 0.13.5: confint_proportions_2indep(37, 113, 52, 131, method='newcomb',
     *   compare='diff', alpha=0.05) -> (-0.18638504565172945, 0.051416931318454026) */
    assert_int_equal(fair_stats_newcombe_diff(37, 113, 52, 131, 0.95, &lo, &hi), FAIR_OK);
    assert_rel(lo, -0.18638504565172945, REL_EXACT);
    assert_rel(hi, 0.051416931318454026, REL_EXACT);

    /* statsmodels 0.13.5: confint_proportions_2indep(1234, 5678, 1100, 5432,
     *   method='newcomb', compare='diff', alpha=0.01)
     *   -> (-0.005096560687549375, 0.03470446375095809) */
    assert_int_equal(fair_stats_newcombe_diff(1234, 5678, 1100, 5432, 0.99, &lo, &hi), FAIR_OK);
    assert_rel(lo, -0.005096560687549375, 1e-12); /* a difference near 0: a few ulps of 0.03 */
    assert_rel(hi, 0.03470446375095809, REL_EXACT);

    /* x1 == 0 is allowed. statsmodels 0.13.5: confint_proportions_2indep(0, 25, 9, 31,
     *   method='newcomb', compare='diff', alpha=0.05)
     *   -> (-0.4659232933074994, -0.10464713791965263) */
    assert_int_equal(fair_stats_newcombe_diff(0, 25, 9, 31, 0.95, &lo, &hi), FAIR_OK);
    assert_rel(lo, -0.4659232933074994, REL_EXACT);
    assert_rel(hi, -0.10464713791965263, REL_EXACT);

    lo = hi = UNTOUCHED;
    assert_int_equal(fair_stats_newcombe_diff(0, 0, 9, 31, 0.95, &lo, &hi), FAIR_EDATA);
    assert_int_equal(fair_stats_newcombe_diff(3, 25, 0, 0, 0.95, &lo, &hi), FAIR_EDATA);
    assert_int_equal(fair_stats_newcombe_diff(26, 25, 9, 31, 0.95, &lo, &hi), FAIR_EINVAL);
    assert_int_equal(fair_stats_newcombe_diff(3, 25, 9, 31, -1.0, &lo, &hi), FAIR_EINVAL);
    assert_int_equal(fair_stats_newcombe_diff(3, 25, 9, 31, 0.95, NULL, &hi), FAIR_EINVAL);
    assert_true(lo == UNTOUCHED && hi == UNTOUCHED);
}

/* ---------------------------------------------------------------- two-proportion z */

static void test_two_prop_z(void **state)
{
    double z = UNTOUCHED, p = UNTOUCHED;
    (void)state;
    /* R 4.2.2: prop.test(c(37, 52), c(113, 131), correct = FALSE)
     *   X-squared = 1.2651707184830765, p-value = 0.26067460868799164
     * statsmodels 0.13.5: proportions_ztest([37, 52], [113, 131])
     *   -> (-1.1247980789826568, 0.26067460868799175) */
    assert_int_equal(fair_stats_two_prop_z(37, 113, 52, 131, &z, &p), FAIR_OK);
    assert_rel(z, -1.1247980789826568, REL_EXACT);
    assert_rel(z * z, 1.2651707184830765, REL_EXACT);
    assert_rel(p, 0.26067460868799164, REL_EXACT);

    /* R 4.2.2: prop.test(c(1234, 1100), c(5678, 5432), correct = FALSE)
     *   X-squared = 3.6774015351949982, p-value = 0.055154743562525289
     * statsmodels 0.13.5: proportions_ztest([1234, 1100], [5678, 5432])
     *   -> (1.9176552180188728, 0.055154743562524915) */
    assert_int_equal(fair_stats_two_prop_z(1234, 5678, 1100, 5432, &z, &p), FAIR_OK);
    assert_rel(z, 1.9176552180188728, REL_EXACT);
    assert_rel(p, 0.055154743562525289, 1e-12);

    z = p = UNTOUCHED;
    assert_int_equal(fair_stats_two_prop_z(0, 113, 0, 131, &z, &p), FAIR_EDATA);     /* pool 0 */
    assert_int_equal(fair_stats_two_prop_z(113, 113, 131, 131, &z, &p), FAIR_EDATA); /* pool 1 */
    assert_int_equal(fair_stats_two_prop_z(0, 0, 52, 131, &z, &p), FAIR_EDATA);
    assert_int_equal(fair_stats_two_prop_z(114, 113, 52, 131, &z, &p), FAIR_EINVAL);
    assert_int_equal(fair_stats_two_prop_z(3, UINT64_MAX, 4, 10, &z, &p), FAIR_EINVAL);
    assert_int_equal(fair_stats_two_prop_z(3, UINT64_C(1) << 53, 4, 10, &z, &p), FAIR_EINVAL);
    assert_int_equal(fair_stats_two_prop_z(37, 113, 52, 131, NULL, &p), FAIR_EINVAL);
    assert_true(z == UNTOUCHED && p == UNTOUCHED);
}

/* ---------------------------------------------------------------- chi-square */

static void test_chisq_known(void **state)
{
    static const uint64_t t34[] = {12, 7, 31, 4, 9, 15, 22, 11, 30, 2, 8, 17};
    static const uint64_t t22[] = {37, 113 - 37, 52, 131 - 52};
    double stat, df, p;
    (void)state;
    /* R 4.2.2: m <- matrix(c(12,7,31,4, 9,15,22,11, 30,2,8,17), nrow = 3, byrow = TRUE);
     *   chisq.test(m, correct = FALSE)
     *   X-squared = 46.761933226938559, df = 6, p-value = 2.0872624151188685e-08
     * SciPy 1.10.1: chi2_contingency(m, correction=False)
     *   -> (46.76193322693857, 2.0872624151188612e-08, 6) */
    assert_int_equal(fair_stats_chisq_indep(t34, 3, 4, &stat, &df, &p), FAIR_OK);
    assert_rel(stat, 46.761933226938559, REL_EXACT);
    assert_true(df == 6.0);
    assert_rel(p, 2.0872624151188685e-08, 1e-11);

    /* The 2 x 2 case is the squared two-proportion z. R 4.2.2:
     *   chisq.test(matrix(c(37, 76, 52, 79), 2, byrow = TRUE), correct = FALSE)
     *   X-squared = 1.2651707184830749, p-value = 0.26067460868799186 */
    assert_int_equal(fair_stats_chisq_indep(t22, 2, 2, &stat, &df, &p), FAIR_OK);
    assert_rel(stat, 1.2651707184830749, REL_EXACT);
    assert_true(df == 1.0);
    assert_rel(p, 0.26067460868799186, REL_EXACT);
}

static void test_chisq_zero_margins(void **state)
{
    /* Row 2 and column 2 are empty and are dropped. */
    static const uint64_t t[] = {12, 0, 31, 4, 0, 0, 0, 0, 30, 0, 8, 17};
    static const uint64_t one_row[] = {0, 0, 0, 5, 7, 9};
    static const uint64_t one_col[] = {0, 3, 0, 8};
    static const uint64_t empty[] = {0, 0, 0, 0};
    double stat = UNTOUCHED, df = UNTOUCHED, p = UNTOUCHED;
    (void)state;
    /* R 4.2.2 (on the table without its empty row and column; R itself does not drop them):
     *   m2 <- matrix(c(12,0,31,4, 0,0,0,0, 30,0,8,17), nrow = 3, byrow = TRUE)
     *   chisq.test(m2[-2, -2], correct = FALSE)
     *   X-squared = 28.876187642145091, df = 2, p-value = 5.3655657894855017e-07 */
    assert_int_equal(fair_stats_chisq_indep(t, 3, 4, &stat, &df, &p), FAIR_OK);
    assert_rel(stat, 28.876187642145091, REL_EXACT);
    assert_true(df == 2.0);
    assert_rel(p, 5.3655657894855017e-07, 1e-12);

    stat = df = p = UNTOUCHED;
    assert_int_equal(fair_stats_chisq_indep(one_row, 2, 3, &stat, &df, &p), FAIR_EDATA);
    assert_int_equal(fair_stats_chisq_indep(one_col, 2, 2, &stat, &df, &p), FAIR_EDATA);
    assert_int_equal(fair_stats_chisq_indep(empty, 2, 2, &stat, &df, &p), FAIR_EDATA);
    assert_int_equal(fair_stats_chisq_indep(t, 1, 12, &stat, &df, &p), FAIR_EDATA);
    assert_int_equal(fair_stats_chisq_indep(t, 0, 4, &stat, &df, &p), FAIR_EINVAL);
    assert_int_equal(fair_stats_chisq_indep(t, 3, 0, &stat, &df, &p), FAIR_EINVAL);
    assert_int_equal(fair_stats_chisq_indep(NULL, 3, 4, &stat, &df, &p), FAIR_EINVAL);
    assert_int_equal(fair_stats_chisq_indep(t, 3, 4, &stat, NULL, &p), FAIR_EINVAL);
    assert_true(stat == UNTOUCHED && df == UNTOUCHED && p == UNTOUCHED);
}

/* Tables whose shorter side exceeds the margin cache take the recomputing path; with equal
 * cells the statistic is exactly 0 and p = 1. Degrees of freedom beyond the bound where GSL's
 * chi-square tail is known to converge (10^6) give FAIR_ENUMERIC. Totals above 2^53 (or
 * overflowing) give EINVAL. */
static void test_chisq_large_and_limits(void **state)
{
    const size_t r = 150, c = 160, big_r = 1001, big_c = 1002;
    uint64_t *t = calloc(big_r * big_c, sizeof *t);
    static const uint64_t overflow[] = {UINT64_MAX, 1, 1, 1};
    static const uint64_t past_2_53[] = {UINT64_C(1) << 52, UINT64_C(1) << 52, 1, 0};
    double stat, df, p;
    size_t i;
    (void)state;
    assert_non_null(t);
    for (i = 0; i < r * c; i++) t[i] = 3;
    assert_int_equal(fair_stats_chisq_indep(t, r, c, &stat, &df, &p), FAIR_OK);
    assert_abs(stat, 0.0, 1e-9);
    assert_true(df == 149.0 * 159.0);
    assert_rel(p, 1.0, 1e-12);

    for (i = 0; i < big_r * big_c; i++) t[i] = 1;
    assert_int_equal(fair_stats_chisq_indep(t, big_r, big_c, &stat, &df, &p), FAIR_ENUMERIC);
    free(t);

    assert_int_equal(fair_stats_chisq_indep(overflow, 2, 2, &stat, &df, &p), FAIR_EINVAL);
    assert_int_equal(fair_stats_chisq_indep(past_2_53, 2, 2, &stat, &df, &p), FAIR_EINVAL);
}

/* ---------------------------------------------------------------- Fisher */

static void test_fisher_textbook(void **state)
{
    double p;
    (void)state;
    /* Fisher's lady tasting tea (Fisher 1935; Agresti, Categorical Data Analysis, 3.5.2):
     * R 4.2.2: fisher.test(matrix(c(3, 1, 1, 3), 2))$p.value -> 0.48571428571428582 (= 17/35)
     * SciPy 1.10.1: fisher_exact([[3, 1], [1, 3]])[1] -> 0.48571428571428565 */
    assert_int_equal(fair_stats_fisher_2x2(3, 1, 1, 3, &p), FAIR_OK);
    assert_rel(p, 17.0 / 35.0, REL_EXACT);
}

static void test_fisher_small(void **state)
{
    double p;
    (void)state;
    /* The table [[a, b], [c, d]] is R's matrix(c(a, c, b, d), 2).
     * R 4.2.2: fisher.test(matrix(c(2, 7, 9, 4), 2))$p.value -> 0.080495356037151689 */
    assert_int_equal(fair_stats_fisher_2x2(2, 9, 7, 4, &p), FAIR_OK);
    assert_rel(p, 0.080495356037151689, REL_EXACT);
    /* R 4.2.2: fisher.test(matrix(c(17, 41, 23, 11), 2))$p.value -> 0.00046959017649792872 */
    assert_int_equal(fair_stats_fisher_2x2(17, 23, 41, 11, &p), FAIR_OK);
    assert_rel(p, 0.00046959017649792872, REL_EXACT);
    /* A symmetric distribution: the mirror table has exactly the observed probability and is
     * included through the 1e-7 tolerance.
     * R 4.2.2: fisher.test(matrix(c(3, 7, 7, 3), 2))$p.value -> 0.1788954079975755 */
    assert_int_equal(fair_stats_fisher_2x2(3, 7, 7, 3, &p), FAIR_OK);
    assert_rel(p, 0.1788954079975755, REL_EXACT);
    /* R 4.2.2: fisher.test(matrix(c(10, 0, 0, 10), 2))$p.value -> 1.0825088224469028e-05 */
    assert_int_equal(fair_stats_fisher_2x2(10, 0, 0, 10, &p), FAIR_OK);
    assert_rel(p, 1.0825088224469028e-05, REL_EXACT);
    /* R 4.2.2: fisher.test(matrix(c(0, 5, 5, 0), 2))$p.value -> 0.0079365079365079395 */
    assert_int_equal(fair_stats_fisher_2x2(0, 5, 5, 0, &p), FAIR_OK);
    assert_rel(p, 0.0079365079365079395, REL_EXACT);
    /* R 4.2.2: fisher.test(matrix(c(0, 7, 9, 2), 2))$p.value -> 0.0022624434389140261 */
    assert_int_equal(fair_stats_fisher_2x2(0, 9, 7, 2, &p), FAIR_OK);
    assert_rel(p, 0.0022624434389140261, REL_EXACT);
    /* The observed table is the mode: R 4.2.2: fisher.test(matrix(c(5, 5, 5, 5), 2)) -> 1 */
    assert_int_equal(fair_stats_fisher_2x2(5, 5, 5, 5, &p), FAIR_OK);
    assert_true(p == 1.0);
}

static void test_fisher_large(void **state)
{
    double p;
    (void)state;
    /* R 4.2.2: fisher.test(matrix(c(1200, 950, 800, 1050), 2))$p.value
     *   -> 2.6431612918148801e-15
     * SciPy 1.10.1: fisher_exact([[1200, 800], [950, 1050]])[1] -> 2.6431612918148805e-15 */
    assert_int_equal(fair_stats_fisher_2x2(1200, 800, 950, 1050, &p), FAIR_OK);
    assert_rel(p, 2.6431612918148801e-15, REL_TAIL);
    /* R 4.2.2: fisher.test(matrix(c(60, 40, 20, 80), 2))$p.value -> 1.0636025781776055e-08 */
    assert_int_equal(fair_stats_fisher_2x2(60, 20, 40, 80, &p), FAIR_OK);
    assert_rel(p, 1.0636025781776055e-08, REL_TAIL);
    /* R 4.2.2: fisher.test(matrix(c(700, 300, 300, 700), 2))$p.value -> 3.5207855214950667e-73 */
    assert_int_equal(fair_stats_fisher_2x2(700, 300, 300, 700, &p), FAIR_OK);
    assert_rel(p, 3.5207855214950667e-73, REL_TAIL);
    /* Counts of 10^8 in a symmetric distribution: the mirror table must count as a tie, which
     * log-gamma differences (absolute error ~1e-7 here) cannot guarantee. R 4.2.2 (2 minutes):
     * fisher.test(matrix(c(50001000, 49999000, 49999000, 50001000), 2),
     *             conf.int = FALSE)$p.value -> 0.77740582651925505 */
    assert_int_equal(fair_stats_fisher_2x2(50001000, 49999000, 49999000, 50001000, &p), FAIR_OK);
    assert_rel(p, 0.77740582651925505, 1e-10);
    /* So far in the tail that every probability underflows: R 4.2.2:
     * fisher.test(matrix(c(5000, 0, 0, 5000), 2))$p.value -> 0 */
    assert_int_equal(fair_stats_fisher_2x2(5000, 0, 0, 5000, &p), FAIR_OK);
    assert_true(p == 0.0);
}

static void test_fisher_edges(void **state)
{
    double p = UNTOUCHED;
    const uint64_t two53 = UINT64_C(1) << 53;
    (void)state;
    /* A zero margin leaves a single possible table: FAIR_EDATA by stats.h's zero-margin rule,
     * like the chi-square test of the same table. (R 4.2.2 returns p = 1 here:
     * fisher.test(matrix(c(0, 0, 3, 4), 2))$p.value -> 1.) Every margin, then the empty table. */
    assert_int_equal(fair_stats_fisher_2x2(0, 3, 0, 4, &p), FAIR_EDATA); /* column 1 */
    assert_int_equal(fair_stats_fisher_2x2(3, 0, 4, 0, &p), FAIR_EDATA); /* column 2 */
    assert_int_equal(fair_stats_fisher_2x2(0, 0, 3, 4, &p), FAIR_EDATA); /* row 1 */
    assert_int_equal(fair_stats_fisher_2x2(3, 4, 0, 0, &p), FAIR_EDATA); /* row 2 */
    assert_int_equal(fair_stats_fisher_2x2(0, 0, 0, 0, &p), FAIR_EDATA);
    assert_int_equal(fair_stats_fisher_2x2(two53, 1, 0, 0, &p), FAIR_EINVAL);
    assert_int_equal(fair_stats_fisher_2x2(UINT64_MAX, UINT64_MAX, 1, 1, &p), FAIR_EINVAL);
    assert_true(p == UNTOUCHED);
    assert_int_equal(fair_stats_fisher_2x2(3, 1, 1, 3, NULL), FAIR_EINVAL);
}

/* ---------------------------------------------------------------- p-value adjustment */

/* R 4.2.2: p <- c(0.0123, 0.0456, NA, 0.0011, 0.2718, 0.0312, 0.0456, 0.8) (a tie included) */
static const double raw_p[] = {0.0123, 0.0456, NAN, 0.0011, 0.2718, 0.0312, 0.0456, 0.8};
#define N_RAW (sizeof raw_p / sizeof raw_p[0])

static void check_adjusted(const double *got, const double *want)
{
    size_t i;
    for (i = 0; i < N_RAW; i++) {
        if (isnan(want[i]))
            assert_true(isnan(got[i]));
        else
            assert_rel(got[i], want[i], REL_EXACT);
    }
}

static void test_p_adjust_holm(void **state)
{
    /* R 4.2.2: p.adjust(p, "holm") -> 0.0738 0.1824 NA 0.0077 0.5436 0.156 0.1824 0.8
     * (printed to 17 digits: 0.0738000000000000045 0.1824000000000000066 NA
     *  0.0077000000000000002 0.5435999999999999721 0.1559999999999999998 0.1824000000000000066
     *  0.8000000000000000444) */
    static const double want[] = {0.0738000000000000045, 0.1824000000000000066, NAN,
                                  0.0077000000000000002, 0.5435999999999999721,
                                  0.1559999999999999998, 0.1824000000000000066,
                                  0.8000000000000000444};
    double out[N_RAW];
    (void)state;
    assert_int_equal(fair_stats_p_adjust(raw_p, N_RAW, FAIR_P_ADJUST_HOLM, out), FAIR_OK);
    check_adjusted(out, want);
}

static void test_p_adjust_bh(void **state)
{
    /* R 4.2.2: p.adjust(p, "BH") -> 0.04305 0.06384 NA 0.0077 0.3171 0.06384 0.06384 0.8
     * (17 digits: 0.0430499999999999980 0.0638399999999999940 NA 0.0077000000000000002
     *  0.3170999999999999930 0.0638399999999999940 0.0638399999999999940
     *  0.8000000000000000444) */
    static const double want[] = {0.0430499999999999980, 0.0638399999999999940, NAN,
                                  0.0077000000000000002, 0.3170999999999999930,
                                  0.0638399999999999940, 0.0638399999999999940,
                                  0.8000000000000000444};
    double out[N_RAW];
    size_t i;
    (void)state;
    assert_int_equal(fair_stats_p_adjust(raw_p, N_RAW, FAIR_P_ADJUST_BH, out), FAIR_OK);
    check_adjusted(out, want);

    /* In place (`out` aliasing `p`) gives the same. */
    memcpy(out, raw_p, sizeof out);
    assert_int_equal(fair_stats_p_adjust(out, N_RAW, FAIR_P_ADJUST_BH, out), FAIR_OK);
    check_adjusted(out, want);

    /* "none" copies, NaN included. R 4.2.2: p.adjust(p, "none") returns p. */
    assert_int_equal(fair_stats_p_adjust(raw_p, N_RAW, FAIR_P_ADJUST_NONE, out), FAIR_OK);
    for (i = 0; i < N_RAW; i++)
        assert_true(isnan(raw_p[i]) ? isnan(out[i]) : out[i] == raw_p[i]);
}

static void test_p_adjust_edges(void **state)
{
    static const double all_nan[] = {NAN, NAN};
    static const double bad_hi[] = {0.2, 1.5};
    static const double bad_lo[] = {-0.1, 0.2};
    static const double bad_inf[] = {0.2, INFINITY};
    double out[2] = {UNTOUCHED, UNTOUCHED};
    double one = 0.37, one_out;
    (void)state;
    assert_int_equal(fair_stats_p_adjust(NULL, 0, FAIR_P_ADJUST_HOLM, NULL), FAIR_OK);
    assert_int_equal(fair_stats_p_adjust(all_nan, 2, FAIR_P_ADJUST_BH, out), FAIR_OK);
    assert_true(isnan(out[0]) && isnan(out[1]));
    /* A family of one is unchanged (R: p.adjust(0.37, "holm") -> 0.37). */
    assert_int_equal(fair_stats_p_adjust(&one, 1, FAIR_P_ADJUST_HOLM, &one_out), FAIR_OK);
    assert_true(one_out == 0.37);

    out[0] = out[1] = UNTOUCHED;
    assert_int_equal(fair_stats_p_adjust(bad_hi, 2, FAIR_P_ADJUST_HOLM, out), FAIR_EINVAL);
    assert_int_equal(fair_stats_p_adjust(bad_lo, 2, FAIR_P_ADJUST_BH, out), FAIR_EINVAL);
    assert_int_equal(fair_stats_p_adjust(bad_inf, 2, FAIR_P_ADJUST_NONE, out), FAIR_EINVAL);
    assert_int_equal(fair_stats_p_adjust(raw_p, 2, (fair_p_adjust)7, out), FAIR_EINVAL);
    assert_int_equal(fair_stats_p_adjust(NULL, 2, FAIR_P_ADJUST_HOLM, out), FAIR_EINVAL);
    assert_int_equal(fair_stats_p_adjust(raw_p, 2, FAIR_P_ADJUST_HOLM, NULL), FAIR_EINVAL);
    assert_true(out[0] == UNTOUCHED && out[1] == UNTOUCHED);
}

/* T4: every allocation failure returns FAIR_ENOMEM and leaves `out` untouched; ASan reports
 * any leak. The loop stops at the first n where the call succeeds. */
static void test_p_adjust_enomem(void **state)
{
    double out[N_RAW];
    long n;
    fair_status st = FAIR_ENOMEM;
    (void)state;
    fair__alloc_fail_after(0);
    memset(out, 0, sizeof out);
    assert_int_equal(fair_stats_p_adjust(raw_p, N_RAW, FAIR_P_ADJUST_HOLM, out), FAIR_ENOMEM);
    fair__alloc_fail_after(-1);
    assert_true(out[0] == 0.0 && out[N_RAW - 1] == 0.0);

    for (n = 0; n < 16; n++) {
        fair__alloc_fail_after(n);
        st = fair_stats_p_adjust(raw_p, N_RAW, FAIR_P_ADJUST_BH, out);
        fair__alloc_fail_after(-1);
        if (st == FAIR_OK) break;
        assert_int_equal(st, FAIR_ENOMEM);
    }
    assert_int_equal(st, FAIR_OK);
    assert_int_equal(n, 1); /* exactly one allocation */
}

static void test_p_adjust_name(void **state)
{
    (void)state;
    assert_string_equal(fair_p_adjust_name(FAIR_P_ADJUST_NONE), "none");
    assert_string_equal(fair_p_adjust_name(FAIR_P_ADJUST_HOLM), "holm");
    assert_string_equal(fair_p_adjust_name(FAIR_P_ADJUST_BH), "bh");
    assert_non_null(fair_p_adjust_name((fair_p_adjust)42));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wilson_known),
        cmocka_unit_test(test_wilson_edges),
        cmocka_unit_test(test_clopper_pearson_known),
        cmocka_unit_test(test_clopper_pearson_large),
        cmocka_unit_test(test_clopper_pearson_edges),
        cmocka_unit_test(test_katz_ratio),
        cmocka_unit_test(test_newcombe_diff),
        cmocka_unit_test(test_two_prop_z),
        cmocka_unit_test(test_chisq_known),
        cmocka_unit_test(test_chisq_zero_margins),
        cmocka_unit_test(test_chisq_large_and_limits),
        cmocka_unit_test(test_fisher_textbook),
        cmocka_unit_test(test_fisher_small),
        cmocka_unit_test(test_fisher_large),
        cmocka_unit_test(test_fisher_edges),
        cmocka_unit_test(test_p_adjust_holm),
        cmocka_unit_test(test_p_adjust_bh),
        cmocka_unit_test(test_p_adjust_edges),
        cmocka_unit_test(test_p_adjust_enomem),
        cmocka_unit_test(test_p_adjust_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
