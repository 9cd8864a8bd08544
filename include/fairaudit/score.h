/* fairaudit/score.h -- metrics of a risk score within one group: discrimination (AUC),
 * accuracy of probabilities (Brier) and calibration (ECE, MCE, calibration in the large,
 * logistic recalibration, Hosmer-Lemeshow), from the group's score histogram. */
#ifndef FAIR_SCORE_H
#define FAIR_SCORE_H
#include <stddef.h>
#include <stdint.h>
#include "fairaudit/error.h"
#include "fairaudit/metrics.h"
#ifdef __cplusplus
extern "C" {
#endif

/*! A group's scores as a histogram: m distinct score values s[0] < s[1] < ... < s[m-1]
 *  (strictly ascending), with n0[i] rows of label 0 and n1[i] rows of label 1 at s[i].
 *  All arrays borrowed. Counts as the rows of a CSV give them: exact, not weights. */
typedef struct {
    const double *s;
    const uint64_t *n0;
    const uint64_t *n1;
    size_t m;
} fair_score_hist;

/*! Reliability bins: uniform ([j/K, (j+1)/K) over the score range, the last bin closed) or
 *  quantile (about n/K rows each; rows with the same score always share a bin). */
typedef enum { FAIR_BINNING_UNIFORM = 0, FAIR_BINNING_QUANTILE = 1 } fair_binning;

/* Score metrics; the second name is the JSON key. */
#define FAIR_SCORE_METRIC_MAP(X)                                                                   \
    X(AUC, auc)                                                                                    \
    X(BRIER, brier)                                                                                \
    X(ECE, ece)                                                                                    \
    X(MCE, mce)                                                                                    \
    X(CITL, calibration_in_the_large)                                                              \
    X(SLOPE, calibration_slope)                                                                    \
    X(INTERCEPT, calibration_intercept)                                                            \
    X(HL_STAT, hosmer_lemeshow_statistic)                                                          \
    X(HL_P, hosmer_lemeshow_p)

typedef enum {
#define X(id, name) FAIR_SCORE_##id,
    FAIR_SCORE_METRIC_MAP(X)
#undef X
    FAIR_SCORE_METRIC_COUNT
} fair_score_metric_id;

/*! fair_score_metric_name() : the JSON key; "unknown" when out of range. */
FAIR_API const char *fair_score_metric_name(fair_score_metric_id m);

/*! Options. Fill with fair_score_options_init(). */
typedef struct {
    size_t bins;           /* reliability bins K (10); also the Hosmer-Lemeshow groups (10) */
    fair_binning binning;  /* uniform (default) or quantile, for ECE, MCE and the curve */
    double range_lo;       /* the score range (0, 1) */
    double range_hi;
    int probabilities;     /* 1: scores are probabilities (range [0, 1]); 0: only auc and the
                            * reliability curve (observed rate per bin) are defined */
    double clamp_eps;      /* logit(s) uses s clamped to [eps, 1 - eps] (1e-6) */
    double level;          /* confidence level of the bins' Wilson intervals (0.95) */
    size_t max_iter;       /* IRLS iterations at most (50) */
    double tol;            /* IRLS convergence: |change| <= tol * max(1, |coefficient|) (1e-10) */
} fair_score_options;

FAIR_API void fair_score_options_init(fair_score_options *o);

/*! One bin of the reliability curve. */
typedef struct {
    double lo, hi;        /* the bin's score interval (uniform: [lo, hi); quantile: min..max score) */
    uint64_t n;           /* rows in the bin */
    uint64_t positives;   /* rows with label 1 */
    double mean_score;    /* valid when n > 0 */
    double observed;      /* positives / n, valid when n > 0 */
    int wilson_ok;
    double wilson_lo, wilson_hi;
} fair_reliability_bin;

/*! The metrics of one histogram. value[k] is meaningful only when defined[k]; otherwise
 *  reason[k] (static string) says why. Standard errors of the recalibration coefficients from
 *  the inverse Fisher information at the fit; hl_df = groups - 2. */
typedef struct {
    fair_metric_value m[FAIR_SCORE_METRIC_COUNT]; /* num/den unused */
    double slope_se, intercept_se;
    double hl_df;                                 /* 0 when undefined, as the standard errors */
    size_t n_bins;                                /* bins written to `bins` (0 when NULL): K for
                                                   * uniform binning, at most K (non-empty ones)
                                                   * for quantile binning */
} fair_score_metrics;

/*! fair_score_metrics_compute() : every score metric of histogram `h`.
 *  - auc: Mann-Whitney U / (P N), ties counted half (= ROC AUC with ties, as scikit-learn's
 *    roc_auc_score); not defined without both labels.
 *  - brier: mean of (s - y)^2. calibration_in_the_large: mean score - base rate.
 *  - ece: sum over bins of n_j / n * |observed_j - mean_score_j|; mce: the maximum over
 *    non-empty bins.
 *  - calibration_slope / calibration_intercept: logistic regression of y on logit(s) (free
 *    slope), by IRLS with GSL's linear algebra; not defined when the fit does not converge
 *    (e.g. separation) or the data have one label.
 *  - hosmer_lemeshow: K groups by quantiles of the score (as quantile binning),
 *    sum (O - E)^2 / (E (1 - E / n_j)), df = non-empty groups - 2, p from GSL's chi-square.
 *  Quantile bins and Hosmer-Lemeshow groups: a distinct value goes, with all its rows, to bin
 *  floor(K (2 B_i + n_i) / (2 n)), B_i rows scoring lower (the bin of its middle rank). A
 *  Hosmer-Lemeshow group with E = 0 or E = n_j adds nothing when its labels agree, and makes
 *  the statistic undefined (infinite) when they do not.
 *  `bins` (o->bins entries; may be NULL) receives the reliability curve.
 *  @return FAIR_OK or FAIR_EINVAL (bad options; an unsorted or repeated score; a score not
 *          finite or outside [range_lo, range_hi]; range_lo >= range_hi; probabilities with a
 *          range other than a part of [0, 1]; more than 2^53 rows). Allocates nothing.
 *  Reentrant. */
FAIR_API fair_status fair_score_metrics_compute(const fair_score_hist *h, const fair_score_options *o,
                                                fair_score_metrics *out, fair_reliability_bin *bins,
                                                fair_error *err);

#ifdef __cplusplus
}
#endif
#endif /* FAIR_SCORE_H */
