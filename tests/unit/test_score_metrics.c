/* test_score_metrics.c -- known answers for the score metrics of score_metrics.c (AUC, Brier,
 * calibration in the large, ECE/MCE and the reliability curve, logistic recalibration,
 * Hosmer-Lemeshow), and every undefined case and FAIR_E* path.
 *
 * References: scikit-learn 1.2.1, statsmodels 0.13.5, SciPy 1.10.1, NumPy 1.24.2 (Debian
 * bookworm python3-sklearn, python3-statsmodels, python3-scipy; /usr/bin/python3), values printed
 * with repr(float(v)); exact rationals with Python's fractions.Fraction; small tables by hand.
 * The Python calls expand each histogram to rows:
 *     y  = np.concatenate([np.r_[np.zeros(a), np.ones(b)] for a, b in zip(n0, n1)])
 *     sc = np.concatenate([np.full(a + b, v) for v, a, b in zip(s, n0, n1)])
 *     x  = scipy.special.logit(np.clip(sc, 1e-6, 1 - 1e-6)) */
#include <stdlib.h>
#include <string.h>
#include "fair_test.h"
#include <fairaudit/fairaudit.h>
#include "internal.h"

/* Relative tolerances. REL_SUM: the reference and the code add the same terms in a different
 * order (a few ulps). REL_FIT: two maximum-likelihood fits stopped by different criteria
 * (statsmodels Newton with tol = 1e-14 against IRLS with tol = 1e-10; both are quadratically
 * convergent, so the last step leaves ~1e-20; the residual is rounding in the sums). */
#define REL_SUM 1e-13
#define REL_FIT 1e-10

#define LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_BINS 64

/* Computes the metrics of the histogram (s, n0, n1) with options `o`, checks the universal
 * contract (defined values finite, undefined ones 0 with a reason, never NaN) and returns the
 * status. */
static fair_status compute(const double *s, const uint64_t *n0, const uint64_t *n1, size_t m,
                           const fair_score_options *o, fair_score_metrics *out,
                           fair_reliability_bin *bins)
{
    fair_score_hist h;
    fair_error err;
    fair_status st;
    size_t k;
    h.s = s;
    h.n0 = n0;
    h.n1 = n1;
    h.m = m;
    fair_error_init(&err);
    st = fair_score_metrics_compute(&h, o, out, bins, &err);
    if (st != FAIR_OK) {
        assert_true(err.code == st && err.msg[0] != '\0');
        return st;
    }
    assert_true(err.code == FAIR_OK); /* untouched on success */
    for (k = 0; k < FAIR_SCORE_METRIC_COUNT; k++) {
        const fair_metric_value *v = &out->m[k];
        if (v->defined) {
            if (!isfinite(v->value))
                fail_msg("%s = %g", fair_score_metric_name((fair_score_metric_id)k), v->value);
            assert_null(v->reason);
        } else {
            assert_true(v->value == 0.0);
            assert_non_null(v->reason);
            assert_true(strlen(v->reason) > 0);
        }
    }
    assert_true(isfinite(out->slope_se) && isfinite(out->intercept_se) && isfinite(out->hl_df));
    if (!out->m[FAIR_SCORE_SLOPE].defined)
        assert_true(out->slope_se == 0.0 && out->intercept_se == 0.0);
    if (!out->m[FAIR_SCORE_HL_STAT].defined) assert_true(out->hl_df == 0.0);
    if (bins) {
        for (k = 0; k < out->n_bins; k++) {
            const fair_reliability_bin *b = &bins[k];
            assert_true(isfinite(b->lo) && isfinite(b->hi) && b->lo <= b->hi);
            assert_true(b->positives <= b->n);
            assert_true(isfinite(b->mean_score) && isfinite(b->observed));
            assert_true(isfinite(b->wilson_lo) && isfinite(b->wilson_hi));
            assert_int_equal(b->wilson_ok, b->n > 0);
            if (b->n > 0) {
                assert_true(b->mean_score >= b->lo && b->mean_score <= b->hi);
                assert_true(b->wilson_lo <= b->observed && b->observed <= b->wilson_hi);
            }
        }
    } else {
        assert_int_equal(out->n_bins, 0);
    }
    return st;
}

/* ---------------------------------------------------------------- dataset A
 * 30 distinct scores with 3 decimals (two of them, 0.3 and 0.7, exactly on uniform bin edges),
 * tied rows of both labels at most scores and two empty entries (0.311 and 0.627);
 * n = 616 rows, 286 positives. */
static const double a_s[] = {0.022, 0.056, 0.132, 0.158, 0.242, 0.27,  0.3,   0.311, 0.316, 0.347,
                             0.35,  0.371, 0.379, 0.382, 0.421, 0.613, 0.621, 0.627, 0.699, 0.7,
                             0.704, 0.722, 0.74,  0.771, 0.78,  0.794, 0.833, 0.843, 0.89,  0.927};
static const uint64_t a_n0[] = {5,  26, 26, 14, 32, 11, 13, 0, 21, 15, 30, 4, 32, 9, 7,
                                14, 1,  0,  12, 5,  12, 2,  12, 3, 12, 4,  4, 2,  0, 2};
static const uint64_t a_n1[] = {0,  0, 2, 2,  7, 3,  2,  0,  7,  0,  6,  0,  4,  5,  5,
                                18, 0, 0, 16, 2, 20, 3, 28, 5, 27, 33, 25, 21, 10, 35};

/* Metrics that do not depend on the binning. */
static void check_a_common(const fair_score_metrics *out)
{
    /* sklearn.metrics.roc_auc_score(y, sc) -> 0.8593399025217208 */
    assert_true(out->m[FAIR_SCORE_AUC].defined);
    assert_rel(out->m[FAIR_SCORE_AUC].value, 0.8593399025217208, REL_SUM);
    /* sklearn.metrics.brier_score_loss(y, sc) -> 0.15943468993506493 */
    assert_rel(out->m[FAIR_SCORE_BRIER].value, 0.15943468993506493, REL_SUM);
    /* float(np.mean(sc) - np.mean(y)) -> 0.07280357142857141 */
    assert_rel(out->m[FAIR_SCORE_CITL].value, 0.07280357142857141, REL_SUM);
    /* statsmodels: r = sm.Logit(y, sm.add_constant(x)).fit(method="newton", tol=1e-14,
     *   maxiter=100, disp=0); r.params -> [-0.5364530486695074, 1.3244129077943128],
     *   r.bse -> [0.11226129816456096, 0.10280679965351228].
     * Cross-check, the histogram as two frequency-weighted rows per score: sm.GLM(Y2,
     *   sm.add_constant(X2), family=sm.families.Binomial(), freq_weights=W2).fit(tol=1e-14)
     *   -> params [-0.5364530486695079, 1.324412907794313], bse [0.11226129816456051,
     *   0.1028067996535119]. */
    assert_true(out->m[FAIR_SCORE_SLOPE].defined && out->m[FAIR_SCORE_INTERCEPT].defined);
    assert_rel(out->m[FAIR_SCORE_SLOPE].value, 1.3244129077943128, REL_FIT);
    assert_rel(out->m[FAIR_SCORE_INTERCEPT].value, -0.5364530486695074, REL_FIT);
    assert_rel(out->slope_se, 0.10280679965351228, REL_FIT);
    assert_rel(out->intercept_se, 0.11226129816456096, REL_FIT);
    /* Hosmer-Lemeshow on the 10 mid-rank groups listed in test_dataset_a_quantile, exact in
     * Fractions: C = sum n_j (O_j - E_j)^2 / (E_j (n_j - E_j)) -> 43.13462046614506, df = 8;
     * scipy.stats.chi2.sf(43.13462046614506, 8) -> 8.286100777519291e-07 */
    assert_true(out->m[FAIR_SCORE_HL_STAT].defined && out->m[FAIR_SCORE_HL_P].defined);
    assert_rel(out->m[FAIR_SCORE_HL_STAT].value, 43.13462046614506, REL_SUM);
    assert_true(out->hl_df == 8.0);
    assert_rel(out->m[FAIR_SCORE_HL_P].value, 8.286100777519291e-07, 1e-9);
}

static void test_dataset_a_uniform(void **state)
{
    fair_score_options o;
    fair_score_metrics out;
    fair_reliability_bin bins[MAX_BINS];
    /* Rows per uniform bin [j/10, (j+1)/10) and positives, from Fractions on the decimal
     * scores: bin = min(floor(10 * Fraction(Decimal(s))), 9). 0.3 is in bin 3 and 0.7 in bin 7;
     * bin 5 (0.5 to 0.6) is empty. */
    static const uint64_t bn[10] = {31, 44, 53, 148, 12, 0, 61, 168, 62, 37};
    static const uint64_t bp[10] = {0, 4, 10, 24, 5, 0, 34, 118, 56, 35};
    size_t j;
    (void)state;
    fair_score_options_init(&o);
    assert_int_equal(compute(a_s, a_n0, a_n1, LEN(a_s), &o, &out, bins), FAIR_OK);
    check_a_common(&out);
    /* Fractions: ECE = sum_j |O_j - E_j| / n -> 0.0866185064935065,
     * MCE = max_j |O_j - E_j| / n_j -> 0.18668243243243243 (bin 3: |24 - 51.629| / 148). */
    assert_rel(out.m[FAIR_SCORE_ECE].value, 0.0866185064935065, REL_SUM);
    assert_rel(out.m[FAIR_SCORE_MCE].value, 0.18668243243243243, REL_SUM);
    assert_int_equal(out.n_bins, 10);
    for (j = 0; j < 10; j++) {
        assert_int_equal(bins[j].n, bn[j]);
        assert_int_equal(bins[j].positives, bp[j]);
        assert_rel(bins[j].lo, (double)j / 10.0, 1e-15);
        assert_rel(bins[j].hi, (double)(j + 1) / 10.0, 1e-15);
    }
    assert_true(bins[0].lo == 0.0 && bins[9].hi == 1.0);
    assert_true(bins[7].lo == 0.7); /* the edge is the double nearest 7/10 */
    assert_int_equal(bins[5].wilson_ok, 0);
    /* Bin 7 (0.7 .. 0.794): mean score = Fraction sum / 168; observed 118/168. statsmodels
     * proportion_confint(118, 168, alpha=0.05, method='wilson')
     *   -> (0.6293474400706631, 0.7663661465496283) */
    assert_rel(bins[7].observed, 118.0 / 168.0, 1e-15);
    assert_rel(bins[7].mean_score,
               (7 * 0.7 + 32 * 0.704 + 5 * 0.722 + 40 * 0.74 + 8 * 0.771 + 39 * 0.78 + 37 * 0.794) /
                   168.0,
               REL_SUM);
    assert_rel(bins[7].wilson_lo, 0.6293474400706631, 1e-13);
    assert_rel(bins[7].wilson_hi, 0.7663661465496283, 1e-13);
}

static void test_dataset_a_quantile(void **state)
{
    fair_score_options o;
    fair_score_metrics out, out2;
    fair_reliability_bin bins[MAX_BINS];
    /* Mid-rank groups, bin(i) = (10 * (2 B_i + n_i)) // (2 n) in Python integers over the
     * non-empty entries: all 10 bins are used; rows, positives, first and last score. */
    static const uint64_t bn[10] = {59, 69, 58, 76, 58, 36, 77, 47, 66, 70};
    static const uint64_t bp[10] = {2, 12, 9, 10, 28, 18, 51, 32, 58, 66};
    static const double blo[10] = {0.022, 0.158, 0.3,   0.35,  0.382,
                                   0.621, 0.704, 0.771, 0.794, 0.843};
    static const double bhi[10] = {0.132, 0.27, 0.347, 0.379, 0.613, 0.7, 0.74, 0.78, 0.833, 0.927};
    size_t j;
    (void)state;
    fair_score_options_init(&o);
    o.binning = FAIR_BINNING_QUANTILE;
    assert_int_equal(compute(a_s, a_n0, a_n1, LEN(a_s), &o, &out, bins), FAIR_OK);
    check_a_common(&out);
    /* Fractions over those groups: ECE -> 0.09837824675324676, MCE -> 0.23326315789473684 */
    assert_rel(out.m[FAIR_SCORE_ECE].value, 0.09837824675324676, REL_SUM);
    assert_rel(out.m[FAIR_SCORE_MCE].value, 0.23326315789473684, REL_SUM);
    assert_int_equal(out.n_bins, 10);
    for (j = 0; j < 10; j++) {
        assert_int_equal(bins[j].n, bn[j]);
        assert_int_equal(bins[j].positives, bp[j]);
        assert_true(bins[j].lo == blo[j] && bins[j].hi == bhi[j]);
    }
    /* bins == NULL: the same metrics, nothing written. */
    assert_int_equal(compute(a_s, a_n0, a_n1, LEN(a_s), &o, &out2, NULL), FAIR_OK);
    assert_int_equal(out2.n_bins, 0);
    assert_memory_equal(out.m, out2.m, sizeof out.m);
}

/* ---------------------------------------------------------------- dataset B
 * Scores 0 and 1 exactly: logit() uses them clamped to [1e-6, 1 - 1e-6]. */
static void test_dataset_b_clamped(void **state)
{
    static const double s[] = {0.0, 0.05, 0.2, 0.45, 0.6, 0.85, 1.0};
    static const uint64_t n0[] = {9, 17, 21, 13, 8, 3, 1};
    static const uint64_t n1[] = {1, 2, 6, 9, 11, 12, 4};
    fair_score_options o;
    fair_score_metrics out;
    (void)state;
    fair_score_options_init(&o);
    assert_int_equal(compute(s, n0, n1, LEN(s), &o, &out, NULL), FAIR_OK);
    /* roc_auc_score(y, sc) -> 0.7913580246913581; brier_score_loss(y, sc) ->
     * 0.17914529914529914; float(np.mean(sc) - np.mean(y)) -> 0.0034188034188034067 */
    assert_rel(out.m[FAIR_SCORE_AUC].value, 0.7913580246913581, REL_SUM);
    assert_rel(out.m[FAIR_SCORE_BRIER].value, 0.17914529914529914, REL_SUM);
    assert_rel(out.m[FAIR_SCORE_CITL].value, 0.0034188034188034067, 1e-12);
    /* sm.Logit(y, sm.add_constant(x)).fit(method="newton", tol=1e-14, maxiter=100, disp=0):
     * params [-0.29868237215851023, 0.24733515015607022],
     * bse [0.20901508696797236, 0.08687627079179837] */
    assert_rel(out.m[FAIR_SCORE_INTERCEPT].value, -0.29868237215851023, REL_FIT);
    assert_rel(out.m[FAIR_SCORE_SLOPE].value, 0.24733515015607022, REL_FIT);
    assert_rel(out.intercept_se, 0.20901508696797236, REL_FIT);
    assert_rel(out.slope_se, 0.08687627079179837, REL_FIT);
}

/* Two fits that are hard for plain Newton from the null model. */
static void test_recalibration_hard_cases(void **state)
{
    fair_score_options o;
    fair_score_metrics out;
    (void)state;
    fair_score_options_init(&o);
    {
        /* A steep but finite maximum (the labels overlap only at 0.3675 and 0.36815): slope -450.
         * Reference: Newton on the same likelihood in mpmath 1.2.1 with mp.dps = 50 (x =
         * log(c / (1 - c)) of the scores clamped to [1e-6, 1 - 1e-6], iterated to |delta| <
         * 1e-40): a = -245.36312955901062143, b = -450.40812349018156927, se(a) =
         * 83.399674622105080067, se(b) = 154.37330857805256953. statsmodels Logit(y,
         * add_constant(x)).fit(method="newton", tol=1e-14, maxiter=200) agrees to 1e-11 in the
         * parameters and 7e-9 in the standard errors, which amplify the rounding of eta = a + b x
         * through p (1 - p). */
        static const double s[] = {0.0, 0.3675, 0.36815, 0.4367};
        static const uint64_t n0[] = {0, 18, 1577, 682}, n1[] = {1576, 8, 199, 0};
        assert_int_equal(compute(s, n0, n1, LEN(s), &o, &out, NULL), FAIR_OK);
        assert_rel(out.m[FAIR_SCORE_INTERCEPT].value, -245.36312955901062143, 1e-11);
        assert_rel(out.m[FAIR_SCORE_SLOPE].value, -450.40812349018156927, 1e-11);
        assert_rel(out.intercept_se, 83.399674622105080067, 1e-7);
        assert_rel(out.slope_se, 154.37330857805256953, 1e-7);
    }
    {
        /* The first Newton step from b = 0 lands where one score carries all the weight.
         * statsmodels GLM(Y2, add_constant(X2), family=Binomial(), freq_weights=W2)
         *   .fit(tol=1e-14, maxiter=200): params [-10.804154686630469, -8.302585757597667],
         *   bse [0.5892714510850451, 0.3874974344606777] */
        static const double s[] = {0.106, 0.172, 0.296, 0.315};
        static const uint64_t n0[] = {19, 127, 565, 15}, n1[] = {10, 1552, 0, 0};
        assert_int_equal(compute(s, n0, n1, LEN(s), &o, &out, NULL), FAIR_OK);
        assert_rel(out.m[FAIR_SCORE_INTERCEPT].value, -10.804154686630469, REL_FIT);
        assert_rel(out.m[FAIR_SCORE_SLOPE].value, -8.302585757597667, REL_FIT);
        assert_rel(out.intercept_se, 0.5892714510850451, REL_FIT);
        assert_rel(out.slope_se, 0.3874974344606777, REL_FIT);
    }
}

/* ---------------------------------------------------------------- ECE, MCE by hand */

/* s = 0.1 (3 neg, 1 pos), 0.3 (1, 1), 0.6 (2, 0), 0.9 (0, 2); n = 10. */
static const double h_s[] = {0.1, 0.3, 0.6, 0.9};
static const uint64_t h_n0[] = {3, 1, 2, 0};
static const uint64_t h_n1[] = {1, 1, 0, 2};

static void test_ece_mce_uniform_by_hand(void **state)
{
    fair_score_options o;
    fair_score_metrics out;
    fair_reliability_bin bins[MAX_BINS];
    (void)state;
    fair_score_options_init(&o);
    o.bins = 4;
    /* Bins [0, .25), [.25, .5), [.5, .75), [.75, 1]: (n, O, E) = (4, 1, 0.4), (2, 1, 0.6),
     * (2, 0, 1.2), (2, 2, 1.8); |O - E| = 0.6, 0.4, 1.2, 0.2.
     * ECE = 2.4 / 10 = 0.24; MCE = max(0.15, 0.2, 0.6, 0.1) = 0.6. */
    assert_int_equal(compute(h_s, h_n0, h_n1, LEN(h_s), &o, &out, bins), FAIR_OK);
    assert_rel(out.m[FAIR_SCORE_ECE].value, 0.24, 1e-15);
    assert_rel(out.m[FAIR_SCORE_MCE].value, 0.6, 1e-15);
    assert_int_equal(out.n_bins, 4);
    assert_true(bins[1].lo == 0.25 && bins[1].hi == 0.5 && bins[3].hi == 1.0);
    assert_int_equal(bins[2].n, 2);
    assert_int_equal(bins[2].positives, 0);
    assert_rel(bins[2].mean_score, 0.6, 1e-15);
    assert_true(bins[2].observed == 0.0 && bins[2].wilson_lo == 0.0);
    /* Brier by hand: (3 * 0.01 + 0.81 + 0.09 + 0.49 + 2 * 0.36 + 2 * 0.01) / 10 = 0.216;
     * calibration in the large: (0.4 + 0.6 + 1.2 + 1.8) / 10 - 4 / 10 = 0. */
    assert_rel(out.m[FAIR_SCORE_BRIER].value, 0.216, 1e-15);
    assert_abs(out.m[FAIR_SCORE_CITL].value, 0.0, 1e-16);
    /* AUC by hand (P = 4, N = 6): the positive at 0.1 ties 3 negatives (1.5), the one at 0.3
     * beats 3 and ties 1 (3.5), the two at 0.9 beat all 6 (12): U = 17, AUC = 17 / 24. */
    assert_rel(out.m[FAIR_SCORE_AUC].value, 17.0 / 24.0, 1e-15);
}

static void test_ece_mce_quantile_by_hand(void **state)
{
    fair_score_options o;
    fair_score_metrics out;
    fair_reliability_bin bins[MAX_BINS];
    (void)state;
    fair_score_options_init(&o);
    o.bins = 3;
    o.binning = FAIR_BINNING_QUANTILE;
    /* Mid-rank bins floor(3 (2B + n_i) / 20): 0.1 -> floor(12/20) = 0, 0.3 -> floor(30/20) = 1,
     * 0.6 -> floor(42/20) = 2, 0.9 -> floor(54/20) = 2. (n, O, E) = (4, 1, 0.4), (2, 1, 0.6),
     * (4, 2, 3.0). ECE = (0.6 + 0.4 + 1.0) / 10 = 0.2; MCE = max(0.15, 0.2, 0.25) = 0.25. */
    assert_int_equal(compute(h_s, h_n0, h_n1, LEN(h_s), &o, &out, bins), FAIR_OK);
    assert_rel(out.m[FAIR_SCORE_ECE].value, 0.2, 1e-15);
    assert_rel(out.m[FAIR_SCORE_MCE].value, 0.25, 1e-15);
    assert_int_equal(out.n_bins, 3);
    assert_true(bins[2].lo == 0.6 && bins[2].hi == 0.9);
    assert_int_equal(bins[2].n, 4);
    assert_rel(bins[2].mean_score, 0.75, 1e-15);
    assert_rel(bins[2].observed, 0.5, 1e-15);
    /* Hosmer-Lemeshow on these 3 groups: 0.36 / (0.4 * 0.9) + 0.16 / (0.6 * 0.7)
     * + 1 / (3 * 0.25) = 1 + 8/21 + 4/3 = 57/21 = 19/7, df = 1. */
    assert_rel(out.m[FAIR_SCORE_HL_STAT].value, 19.0 / 7.0, 1e-14);
    assert_true(out.hl_df == 1.0);

    /* Five bins: floor(5 (2B + n_i) / 20) = 1, 2, 3, 4: bin 0 stays empty and is not reported. */
    o.bins = 5;
    assert_int_equal(compute(h_s, h_n0, h_n1, LEN(h_s), &o, &out, bins), FAIR_OK);
    assert_int_equal(out.n_bins, 4);
    assert_true(bins[0].lo == 0.1 && bins[0].hi == 0.1 && bins[3].lo == 0.9);
    /* One bin: everything; ECE = MCE = |4 - 4| / 10 = 0. */
    o.bins = 1;
    assert_int_equal(compute(h_s, h_n0, h_n1, LEN(h_s), &o, &out, bins), FAIR_OK);
    assert_int_equal(out.n_bins, 1);
    assert_int_equal(bins[0].n, 10);
    assert_abs(out.m[FAIR_SCORE_ECE].value, 0.0, 1e-15);
    assert_abs(out.m[FAIR_SCORE_MCE].value, 0.0, 1e-15);
    assert_false(out.m[FAIR_SCORE_HL_STAT].defined); /* 1 group: df = -1 */
}

/* ---------------------------------------------------------------- Hosmer-Lemeshow by hand */

static void test_hosmer_lemeshow_by_hand(void **state)
{
    /* s = 0.2 (2 neg, 1 pos), 0.25 (1, 1), 0.5 (3, 1), 0.8 (2, 3); n = 14, K = 3.
     * Mid-rank groups floor(3 (2B + n_i) / 28): 9/28 -> 0, 24/28 -> 0, 42/28 -> 1, 69/28 -> 2.
     *   group  n_j  O_j  E_j                         (O - E)^2 / (E (1 - E/n_j))
     *   0      5    2    3(0.2) + 2(0.25) = 1.1      0.81 / (1.1 * 0.78) = 135/143
     *   1      4    1    4(0.5) = 2                  1 / (2 * 0.5) = 1
     *   2      5    3    5(0.8) = 4                  1 / (4 * 0.2) = 1.25
     * C = 135/143 + 9/4 = 1827/572 = 3.194055944055944, df = 3 - 2 = 1;
     * scipy.stats.chi2.sf(1827/572, 1) -> 0.07390643027000202 */
    static const double s[] = {0.2, 0.25, 0.5, 0.8};
    static const uint64_t n0[] = {2, 1, 3, 2};
    static const uint64_t n1[] = {1, 1, 1, 3};
    fair_score_options o;
    fair_score_metrics out;
    (void)state;
    fair_score_options_init(&o);
    o.bins = 3;
    assert_int_equal(compute(s, n0, n1, LEN(s), &o, &out, NULL), FAIR_OK);
    assert_rel(out.m[FAIR_SCORE_HL_STAT].value, 1827.0 / 572.0, 1e-14);
    assert_rel(out.m[FAIR_SCORE_HL_P].value, 0.07390643027000202, 1e-12);
    assert_true(out.hl_df == 1.0);

    /* Two groups (K = 2): df = 0, not defined. */
    o.bins = 2;
    assert_int_equal(compute(s, n0, n1, LEN(s), &o, &out, NULL), FAIR_OK);
    assert_false(out.m[FAIR_SCORE_HL_STAT].defined);
    assert_false(out.m[FAIR_SCORE_HL_P].defined);
    assert_non_null(strstr(out.m[FAIR_SCORE_HL_STAT].reason, "3 non-empty groups"));
}

static void test_hosmer_lemeshow_zero_variance_group(void **state)
{
    /* s = 0 (4 neg), 0.4 (3 neg, 2 pos), 0.6 (1 neg, 3 pos); n = 13, K = 3. Groups
     * floor(3 (2B + n_i) / 26): 12/26 -> 0, 39/26 -> 1, 66/26 -> 2.
     * Group 0 has E = 0 = O: no variance, contributes nothing (but counts in df).
     * Group 1: E = 2 = O: 0. Group 2: n = 4, E = 2.4, O = 3: 0.36 / (2.4 * 0.4) = 0.375.
     * C = 0.375, df = 1; scipy.stats.chi2.sf(0.375, 1) -> 0.5402913746074198 */
    static const double s[] = {0.0, 0.4, 0.6};
    static const uint64_t n0[] = {4, 3, 1};
    uint64_t n1[] = {0, 2, 3};
    fair_score_options o;
    fair_score_metrics out;
    (void)state;
    fair_score_options_init(&o);
    o.bins = 3;
    assert_int_equal(compute(s, n0, n1, LEN(s), &o, &out, NULL), FAIR_OK);
    assert_rel(out.m[FAIR_SCORE_HL_STAT].value, 0.375, 1e-14);
    assert_rel(out.m[FAIR_SCORE_HL_P].value, 0.5402913746074198, 1e-12);
    assert_true(out.hl_df == 1.0);

    /* A positive at score 0 (same group sizes): the model said impossible, C is infinite;
     * reported as not defined, never Inf. */
    {
        static const uint64_t n0b[] = {3, 3, 1};
        n1[0] = 1;
        assert_int_equal(compute(s, n0b, n1, LEN(s), &o, &out, NULL), FAIR_OK);
        assert_false(out.m[FAIR_SCORE_HL_STAT].defined);
        assert_false(out.m[FAIR_SCORE_HL_P].defined);
        assert_non_null(strstr(out.m[FAIR_SCORE_HL_P].reason, "infinite"));
        /* The recalibration copes: the clamped logit of 0 is finite. */
        assert_true(out.m[FAIR_SCORE_SLOPE].defined);
    }
}

/* ---------------------------------------------------------------- not probabilities */

static void test_not_probabilities(void **state)
{
    /* COMPAS-like decile scores 1..10 with --score-range 1:10. */
    static const double s[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    static const uint64_t n0[] = {411, 283, 229, 196, 172, 139, 124, 98, 71, 52};
    static const uint64_t n1[] = {97, 121, 137, 153, 168, 177, 201, 219, 236, 263};
    /* [repr(b / (a + b)) for a, b in zip(n0, n1)] */
    static const double observed[] = {0.19094488188976377, 0.2995049504950495,
                                      0.3743169398907104,  0.4383954154727794,
                                      0.49411764705882355, 0.560126582278481,
                                      0.6184615384615385,  0.6908517350157729,
                                      0.7687296416938111,  0.834920634920635};
    fair_score_options o;
    fair_score_metrics out;
    fair_reliability_bin bins[MAX_BINS];
    size_t k;
    (void)state;
    fair_score_options_init(&o);
    o.range_lo = 1.0;
    o.range_hi = 10.0;
    o.probabilities = 0;
    o.level = 0.9;
    assert_int_equal(compute(s, n0, n1, LEN(s), &o, &out, bins), FAIR_OK);
    /* roc_auc_score(y, sc) -> 0.7332203605379455 */
    assert_rel(out.m[FAIR_SCORE_AUC].value, 0.7332203605379455, REL_SUM);
    for (k = 0; k < FAIR_SCORE_METRIC_COUNT; k++) {
        if (k == FAIR_SCORE_AUC) continue;
        assert_false(out.m[k].defined);
        assert_string_equal(out.m[k].reason,
                            "scores are not probabilities (--score-range is not 0:1)");
    }
    /* Edges 1 + 9j/10 = 1, 1.9, 2.8, ...: decile d lands in bin d - 1. */
    assert_int_equal(out.n_bins, 10);
    for (k = 0; k < 10; k++) {
        assert_int_equal(bins[k].n, n0[k] + n1[k]);
        assert_rel(bins[k].observed, observed[k], 1e-15);
        assert_true(bins[k].mean_score == s[k]);
    }
    assert_rel(bins[1].lo, 1.9, 1e-15);
    assert_true(bins[9].hi == 10.0);
    /* statsmodels proportion_confint(137, 366, alpha=0.1, method='wilson')
     *   -> (0.3337732282893715, 0.4167051639308036) */
    assert_rel(bins[2].wilson_lo, 0.3337732282893715, 1e-13);
    assert_rel(bins[2].wilson_hi, 0.4167051639308036, 1e-13);
}

/* ---------------------------------------------------------------- no rows */

static void test_empty(void **state)
{
    static const double s[] = {0.25, 0.5};
    static const uint64_t z[] = {0, 0};
    fair_score_options o;
    fair_score_metrics out;
    fair_reliability_bin bins[MAX_BINS];
    size_t k;
    int pass;
    (void)state;
    fair_score_options_init(&o);
    for (pass = 0; pass < 4; pass++) {
        o.binning = pass & 1 ? FAIR_BINNING_QUANTILE : FAIR_BINNING_UNIFORM;
        /* m == 0 (NULL arrays allowed), then two scores with no rows. */
        if (pass < 2)
            assert_int_equal(compute(NULL, NULL, NULL, 0, &o, &out, bins), FAIR_OK);
        else
            assert_int_equal(compute(s, z, z, 2, &o, &out, bins), FAIR_OK);
        for (k = 0; k < FAIR_SCORE_METRIC_COUNT; k++) {
            assert_false(out.m[k].defined);
            assert_string_equal(out.m[k].reason, "group has no rows");
        }
        if (o.binning == FAIR_BINNING_UNIFORM) {
            assert_int_equal(out.n_bins, 10); /* the empty curve */
            for (k = 0; k < 10; k++) assert_int_equal(bins[k].n, 0);
        } else {
            assert_int_equal(out.n_bins, 0);
        }
    }
}

/* ---------------------------------------------------------------- one label, no spread */

static void test_one_label(void **state)
{
    static const double s[] = {0.15, 0.35, 0.65};
    static const uint64_t n[] = {7, 4, 2};
    static const uint64_t z[] = {0, 0, 0};
    fair_score_options o;
    fair_score_metrics out;
    (void)state;
    fair_score_options_init(&o);
    o.bins = 3;
    /* Negatives only. */
    assert_int_equal(compute(s, n, z, LEN(s), &o, &out, NULL), FAIR_OK);
    assert_false(out.m[FAIR_SCORE_AUC].defined);
    assert_non_null(strstr(out.m[FAIR_SCORE_AUC].reason, "no positives"));
    assert_false(out.m[FAIR_SCORE_SLOPE].defined);
    assert_false(out.m[FAIR_SCORE_INTERCEPT].defined);
    assert_non_null(strstr(out.m[FAIR_SCORE_SLOPE].reason, "one label"));
    /* Brier by hand: (7 * 0.0225 + 4 * 0.1225 + 2 * 0.4225) / 13 = 1.4925 / 13 */
    assert_rel(out.m[FAIR_SCORE_BRIER].value, 1.4925 / 13.0, 1e-15);
    /* CITL = (1.05 + 1.4 + 1.3) / 13 - 0 = 3.75 / 13 */
    assert_rel(out.m[FAIR_SCORE_CITL].value, 3.75 / 13.0, 1e-15);
    /* Hosmer-Lemeshow still works with one label: groups floor(3 (2B + n_i) / 26) = 0, 2, 2
     * (21/26, 54/26, 72/26): (7, 0, 1.05), (6, 0, 2.7).
     * C = 7 * 1.05^2 / (1.05 * 5.95) + 6 * 2.7^2 / (2.7 * 3.3) = 7.35 / 5.95 + 16.2 / 3.3;
     * only 2 groups, so df = 0: not defined. */
    assert_false(out.m[FAIR_SCORE_HL_STAT].defined);
    /* Positives only. */
    assert_int_equal(compute(s, z, n, LEN(s), &o, &out, NULL), FAIR_OK);
    assert_non_null(strstr(out.m[FAIR_SCORE_AUC].reason, "no negatives"));
    assert_non_null(strstr(out.m[FAIR_SCORE_INTERCEPT].reason, "one label"));
    assert_true(out.m[FAIR_SCORE_ECE].defined);
}

static void test_no_spread(void **state)
{
    fair_score_options o;
    fair_score_metrics out;
    (void)state;
    fair_score_options_init(&o);
    {
        /* A single distinct score: AUC = 0.5 (every pair tied; roc_auc_score([0, 1], [0.4,
         * 0.4]) -> 0.5); slope not identifiable. Brier = (3 * 0.16 + 2 * 0.36) / 5 = 0.24. */
        static const double s[] = {0.4};
        static const uint64_t n0[] = {3}, n1[] = {2};
        assert_int_equal(compute(s, n0, n1, 1, &o, &out, NULL), FAIR_OK);
        assert_rel(out.m[FAIR_SCORE_AUC].value, 0.5, 0.0);
        assert_rel(out.m[FAIR_SCORE_BRIER].value, 0.24, 1e-15);
        assert_false(out.m[FAIR_SCORE_SLOPE].defined);
        assert_non_null(strstr(out.m[FAIR_SCORE_SLOPE].reason, "single value"));
        assert_false(out.m[FAIR_SCORE_HL_P].defined);
    }
    {
        /* Several entries, but all rows at one score (the others empty). */
        static const double s[] = {0.1, 0.4, 0.9};
        static const uint64_t n0[] = {0, 3, 0}, n1[] = {0, 2, 0};
        assert_int_equal(compute(s, n0, n1, 3, &o, &out, NULL), FAIR_OK);
        assert_non_null(strstr(out.m[FAIR_SCORE_INTERCEPT].reason, "single value"));
        assert_rel(out.m[FAIR_SCORE_AUC].value, 0.5, 0.0);
    }
    {
        /* Distinct scores that clamp to the same logit (both below eps = 1e-6). */
        static const double s[] = {1e-9, 1e-7};
        static const uint64_t n0[] = {4, 1}, n1[] = {1, 2};
        assert_int_equal(compute(s, n0, n1, 2, &o, &out, NULL), FAIR_OK);
        assert_non_null(strstr(out.m[FAIR_SCORE_SLOPE].reason, "single value"));
        /* AUC sees the raw scores. By hand: the positive at 1e-9 ties 4 negatives (2); the two
         * at 1e-7 beat 4 and tie 1 (2 * 4.5 = 9); U = 11, P N = 3 * 5 = 15. */
        assert_rel(out.m[FAIR_SCORE_AUC].value, 11.0 / 15.0, 1e-15);
    }
}

/* ---------------------------------------------------------------- separation, no convergence */

static void test_separation(void **state)
{
    fair_score_options o;
    fair_score_metrics out;
    (void)state;
    fair_score_options_init(&o);
    {
        /* Complete separation: every negative scores below every positive. The likelihood
         * has no maximum (slope -> infinity); statsmodels raises PerfectSeparationError. */
        static const double s[] = {0.2, 0.3, 0.7, 0.9};
        static const uint64_t n0[] = {5, 4, 0, 0}, n1[] = {0, 0, 3, 6};
        assert_int_equal(compute(s, n0, n1, LEN(s), &o, &out, NULL), FAIR_OK);
        assert_false(out.m[FAIR_SCORE_SLOPE].defined);
        assert_false(out.m[FAIR_SCORE_INTERCEPT].defined);
        assert_non_null(strstr(out.m[FAIR_SCORE_SLOPE].reason, "separation"));
        assert_rel(out.m[FAIR_SCORE_AUC].value, 1.0, 0.0);
    }
    {
        /* Quasi-complete separation: the classes overlap only at 0.5. */
        static const double s[] = {0.2, 0.5, 0.8};
        static const uint64_t n0[] = {6, 2, 0}, n1[] = {0, 3, 5};
        assert_int_equal(compute(s, n0, n1, LEN(s), &o, &out, NULL), FAIR_OK);
        assert_false(out.m[FAIR_SCORE_SLOPE].defined);
        assert_non_null(strstr(out.m[FAIR_SCORE_SLOPE].reason, "separation"));
    }
    /* A fit that needs more than one iteration, allowed one: not converged. */
    o.max_iter = 1;
    assert_int_equal(compute(a_s, a_n0, a_n1, LEN(a_s), &o, &out, NULL), FAIR_OK);
    assert_false(out.m[FAIR_SCORE_SLOPE].defined);
    assert_string_equal(out.m[FAIR_SCORE_SLOPE].reason,
                        "the recalibration fit did not converge within max_iter iterations");
    assert_true(out.m[FAIR_SCORE_HL_STAT].defined); /* the rest is unaffected */
}

/* ---------------------------------------------------------------- AUC with huge counts */

static void test_auc_exact_large_counts(void **state)
{
    fair_score_options o;
    fair_score_metrics out;
    (void)state;
    fair_score_options_init(&o);
    {
        /* n = 2^53 exactly. 2U = 1 (2^52 - 1) + (2^52 - 1)(2 (2^52 - 1) + 1) = (2^52 - 1) 2^53
         * and 2PN = 2^105, so AUC = 1 - 2^-52 exactly. */
        static const double s[] = {0.25, 0.75};
        const uint64_t big = (UINT64_C(1) << 52) - 1;
        const uint64_t n0[] = {big, 1}, n1[] = {1, big};
        assert_int_equal(compute(s, n0, n1, 2, &o, &out, NULL), FAIR_OK);
        assert_true(out.m[FAIR_SCORE_AUC].value == 1.0 - 0x1p-52);
    }
    {
        /* Python integers: n0 = [2**50+12345, 3*2**49+7, 2**48+999, 5, 2**50-3],
         * n1 = [17, 2**49+1, 2**50+77, 3*2**48+1, 2**49+11]; 2U = sum n1_i (2 below_i + n0_i);
         * float(Fraction(2U, 2 P N)) -> 0.6969696969705665 */
        static const double s[] = {0.1, 0.2, 0.3, 0.4, 0.5};
        const uint64_t t = UINT64_C(1) << 48;
        const uint64_t n0[] = {4 * t + 12345, 6 * t + 7, t + 999, 5, 4 * t - 3};
        const uint64_t n1[] = {17, 2 * t + 1, 4 * t + 77, 3 * t + 1, 2 * t + 11};
        assert_int_equal(compute(s, n0, n1, 5, &o, &out, NULL), FAIR_OK);
        assert_rel(out.m[FAIR_SCORE_AUC].value, 0.6969696969705665, 4e-16);
        assert_true(out.m[FAIR_SCORE_BRIER].defined && out.m[FAIR_SCORE_SLOPE].defined);
    }
}

/* ---------------------------------------------------------------- invalid input */

static void test_einval(void **state)
{
    static const double s[] = {0.2, 0.5, 0.8};
    static const uint64_t n0[] = {3, 2, 1}, n1[] = {1, 2, 3};
    fair_score_options o, bad;
    fair_score_metrics out;
    fair_score_hist h = {s, n0, n1, 3};
    fair_error err;
    (void)state;
    fair_score_options_init(&o);

    /* NULL arguments (err may be NULL). */
    assert_int_equal(fair_score_metrics_compute(NULL, &o, &out, NULL, NULL), FAIR_EINVAL);
    assert_int_equal(fair_score_metrics_compute(&h, NULL, &out, NULL, NULL), FAIR_EINVAL);
    assert_int_equal(fair_score_metrics_compute(&h, &o, NULL, NULL, NULL), FAIR_EINVAL);
    assert_int_equal(compute(NULL, n0, n1, 3, &o, &out, NULL), FAIR_EINVAL);
    assert_int_equal(compute(s, NULL, n1, 3, &o, &out, NULL), FAIR_EINVAL);
    assert_int_equal(compute(s, n0, NULL, 3, &o, &out, NULL), FAIR_EINVAL);

    /* Unsorted histograms: descending, and a repeated score. */
    {
        static const double desc[] = {0.2, 0.8, 0.5}, rep[] = {0.2, 0.5, 0.5};
        fair_error_init(&err);
        h.s = desc;
        assert_int_equal(fair_score_metrics_compute(&h, &o, &out, NULL, &err), FAIR_EINVAL);
        assert_non_null(strstr(err.msg, "ascending"));
        h.s = s;
        assert_int_equal(compute(rep, n0, n1, 3, &o, &out, NULL), FAIR_EINVAL);
    }
    /* Scores that are not finite or lie outside the range. */
    {
        static const double nan_s[] = {0.2, NAN, 0.8}, inf_s[] = {0.2, 0.5, INFINITY},
                            out_s[] = {-0.1, 0.5, 0.8}, hi_s[] = {0.2, 0.5, 1.25};
        assert_int_equal(compute(nan_s, n0, n1, 3, &o, &out, NULL), FAIR_EINVAL);
        assert_int_equal(compute(inf_s, n0, n1, 3, &o, &out, NULL), FAIR_EINVAL);
        assert_int_equal(compute(out_s, n0, n1, 3, &o, &out, NULL), FAIR_EINVAL);
        assert_int_equal(compute(hi_s, n0, n1, 3, &o, &out, NULL), FAIR_EINVAL);
    }
    /* More than 2^53 rows. */
    {
        const uint64_t half = UINT64_C(1) << 52;
        const uint64_t big0[] = {half, 0, 0}, big1[] = {0, half, 1};
        assert_int_equal(compute(s, big0, big1, 3, &o, &out, NULL), FAIR_EINVAL);
        {
            const uint64_t huge[] = {UINT64_MAX, 1, 1};
            assert_int_equal(compute(s, huge, n1, 3, &o, &out, NULL), FAIR_EINVAL);
        }
    }
    /* Bad options, one at a time. */
    bad = o;
    bad.bins = 0;
    fair_error_init(&err);
    assert_int_equal(fair_score_metrics_compute(&h, &bad, &out, NULL, &err), FAIR_EINVAL);
    assert_non_null(strstr(err.msg, "bins"));
    bad = o;
    bad.binning = (fair_binning)7;
    assert_int_equal(compute(s, n0, n1, 3, &bad, &out, NULL), FAIR_EINVAL);
    bad = o;
    bad.range_lo = bad.range_hi = 0.5; /* empty range */
    assert_int_equal(compute(s, n0, n1, 0, &bad, &out, NULL), FAIR_EINVAL);
    bad = o;
    bad.range_hi = NAN;
    assert_int_equal(compute(s, n0, n1, 0, &bad, &out, NULL), FAIR_EINVAL);
    bad = o;
    bad.range_hi = 10.0; /* probabilities outside [0, 1] */
    assert_int_equal(compute(s, n0, n1, 3, &bad, &out, NULL), FAIR_EINVAL);
    bad.probabilities = 0; /* fine as a plain score */
    assert_int_equal(compute(s, n0, n1, 3, &bad, &out, NULL), FAIR_OK);
    bad = o;
    bad.clamp_eps = 0.0;
    assert_int_equal(compute(s, n0, n1, 3, &bad, &out, NULL), FAIR_EINVAL);
    bad.clamp_eps = 0.5;
    assert_int_equal(compute(s, n0, n1, 3, &bad, &out, NULL), FAIR_EINVAL);
    bad = o;
    bad.level = 1.0;
    assert_int_equal(compute(s, n0, n1, 3, &bad, &out, NULL), FAIR_EINVAL);
    bad.level = NAN;
    assert_int_equal(compute(s, n0, n1, 3, &bad, &out, NULL), FAIR_EINVAL);
    bad = o;
    bad.max_iter = 0;
    assert_int_equal(compute(s, n0, n1, 3, &bad, &out, NULL), FAIR_EINVAL);
    bad = o;
    bad.tol = 0.0;
    assert_int_equal(compute(s, n0, n1, 3, &bad, &out, NULL), FAIR_EINVAL);
    bad.tol = INFINITY;
    assert_int_equal(compute(s, n0, n1, 3, &bad, &out, NULL), FAIR_EINVAL);
}

/* `out` is left untouched on failure. */
static void test_untouched_on_failure(void **state)
{
    static const double s[] = {0.5, 0.2};
    static const uint64_t n0[] = {1, 1}, n1[] = {1, 1};
    fair_score_options o;
    fair_score_metrics out, before;
    (void)state;
    fair_score_options_init(&o);
    memset(&out, 0xA5, sizeof out);
    before = out;
    assert_int_equal(compute(s, n0, n1, 2, &o, &out, NULL), FAIR_EINVAL);
    assert_memory_equal(&out, &before, sizeof out);
}

/* ---------------------------------------------------------------- no allocation */

/* The function allocates nothing (so FAIR_ENOMEM cannot happen): with every allocation set to
 * fail it still succeeds, and the allocation counter stays at 0. */
static void test_no_allocation(void **state)
{
    fair_score_options o;
    fair_score_metrics out;
    fair_reliability_bin bins[MAX_BINS];
    int pass;
    (void)state;
    fair_score_options_init(&o);
    for (pass = 0; pass < 2; pass++) {
        o.binning = pass ? FAIR_BINNING_QUANTILE : FAIR_BINNING_UNIFORM;
        fair__alloc_fail_after(0);
        assert_int_equal(compute(a_s, a_n0, a_n1, LEN(a_s), &o, &out, bins), FAIR_OK);
        assert_int_equal(fair__alloc_fail_after(-1), 0);
        assert_true(out.m[FAIR_SCORE_SLOPE].defined && out.m[FAIR_SCORE_HL_P].defined);
    }
}

/* ---------------------------------------------------------------- names and defaults */

static void test_names_and_defaults(void **state)
{
    static const char *const keys[FAIR_SCORE_METRIC_COUNT] = {
        "auc", "brier", "ece", "mce", "calibration_in_the_large", "calibration_slope",
        "calibration_intercept", "hosmer_lemeshow_statistic", "hosmer_lemeshow_p"};
    fair_score_options o;
    size_t k;
    (void)state;
    for (k = 0; k < FAIR_SCORE_METRIC_COUNT; k++)
        assert_string_equal(fair_score_metric_name((fair_score_metric_id)k), keys[k]);
    assert_string_equal(fair_score_metric_name(FAIR_SCORE_METRIC_COUNT), "unknown");
    assert_string_equal(fair_score_metric_name((fair_score_metric_id)-1), "unknown");

    memset(&o, 0xff, sizeof o);
    fair_score_options_init(&o);
    assert_int_equal(o.bins, 10);
    assert_int_equal(o.binning, FAIR_BINNING_UNIFORM);
    assert_true(o.range_lo == 0.0 && o.range_hi == 1.0);
    assert_int_equal(o.probabilities, 1);
    assert_true(o.clamp_eps == 1e-6 && o.level == 0.95 && o.tol == 1e-10);
    assert_int_equal(o.max_iter, 50);
    fair_score_options_init(NULL); /* no-op */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_and_defaults),
        cmocka_unit_test(test_dataset_a_uniform),
        cmocka_unit_test(test_dataset_a_quantile),
        cmocka_unit_test(test_dataset_b_clamped),
        cmocka_unit_test(test_recalibration_hard_cases),
        cmocka_unit_test(test_ece_mce_uniform_by_hand),
        cmocka_unit_test(test_ece_mce_quantile_by_hand),
        cmocka_unit_test(test_hosmer_lemeshow_by_hand),
        cmocka_unit_test(test_hosmer_lemeshow_zero_variance_group),
        cmocka_unit_test(test_not_probabilities),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_one_label),
        cmocka_unit_test(test_no_spread),
        cmocka_unit_test(test_separation),
        cmocka_unit_test(test_auc_exact_large_counts),
        cmocka_unit_test(test_einval),
        cmocka_unit_test(test_untouched_on_failure),
        cmocka_unit_test(test_no_allocation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
