/* fairaudit/stats.h -- analytic intervals, tests of "no difference" and p-value adjustment. */
#ifndef FAIR_STATS_H
#define FAIR_STATS_H
#include <stddef.h>
#include <stdint.h>
#include "fairaudit/error.h"
#ifdef __cplusplus
extern "C" {
#endif

/* Every function here returns FAIR_OK, FAIR_EINVAL for arguments out of their domain
 * (x > n, level not in (0,1), NULL pointers, a table with a zero dimension, a count above
 * 2^53, which a double cannot hold exactly), FAIR_EDATA when the statistic is not defined for
 * these counts (n == 0, a zero margin), or FAIR_ENUMERIC when a numerical routine fails (a
 * chi-square with more than 10^6 degrees of freedom, where GSL's distribution breaks down);
 * out-parameters are written only on FAIR_OK. None allocates unless stated; all are
 * reentrant and never call GSL's error handler. */

/*! fair_stats_wilson() : Wilson score interval for x successes in n trials at confidence
 *  `level` (e.g. 0.95). Wilson (1927); Agresti & Coull (1998). n == 0 -> FAIR_EDATA. */
FAIR_API fair_status fair_stats_wilson(uint64_t x, uint64_t n, double level, double *lo,
                                       double *hi);

/*! fair_stats_clopper_pearson() : exact (Clopper & Pearson 1934) interval from beta quantiles;
 *  lo = 0 when x == 0, hi = 1 when x == n. */
FAIR_API fair_status fair_stats_clopper_pearson(uint64_t x, uint64_t n, double level, double *lo,
                                                double *hi);

/*! fair_stats_katz_ratio() : log-scale (Katz et al. 1978) interval of the ratio of proportions
 *  (x1/n1)/(x2/n2). FAIR_EDATA when x1 == 0, x2 == 0, n1 == 0 or n2 == 0. */
FAIR_API fair_status fair_stats_katz_ratio(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2,
                                           double level, double *lo, double *hi);

/*! fair_stats_newcombe_diff() : Newcombe's (1998, method 10) hybrid score interval of the
 *  difference of proportions x1/n1 - x2/n2, built from the two Wilson intervals. */
FAIR_API fair_status fair_stats_newcombe_diff(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2,
                                              double level, double *lo, double *hi);

/*! fair_stats_two_prop_z() : pooled two-proportion z test of p1 == p2; z = (p1-p2)/se with the
 *  pooled standard error; p two-sided. FAIR_EDATA when the pooled proportion is 0 or 1. */
FAIR_API fair_status fair_stats_two_prop_z(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2,
                                           double *z, double *p);

/*! fair_stats_chisq_indep() : Pearson's chi-square test of independence on a rows x cols table
 *  of counts (row-major), without continuity correction: R's chisq.test(correct = FALSE) on the
 *  table without its empty rows and columns (which are left out, the degrees of freedom
 *  reduced); FAIR_EDATA when fewer than 2 rows or 2 columns remain. */
FAIR_API fair_status fair_stats_chisq_indep(const uint64_t *table, size_t rows, size_t cols,
                                            double *stat, double *df, double *p);

/*! fair_stats_fisher_2x2() : two-sided Fisher exact test of the table [[a, b], [c, d]], summing
 *  the probabilities of all tables with the same margins that are no more likely than the
 *  observed one (relative tolerance 1e-7, as R's fisher.test). A table with an empty row or
 *  column is FAIR_EDATA (R gives p = 1 there; the test has nothing to test). A table so
 *  extreme that its probability underflows gives p = 0, as in R. */
FAIR_API fair_status fair_stats_fisher_2x2(uint64_t a, uint64_t b, uint64_t c, uint64_t d,
                                           double *p);

/*! Multiple-testing corrections. */
typedef enum { FAIR_P_ADJUST_NONE = 0, FAIR_P_ADJUST_HOLM = 1, FAIR_P_ADJUST_BH = 2 } fair_p_adjust;

/*! fair_stats_p_adjust() : adjusted p-values, as R's p.adjust(p, "holm" | "BH" | "none").
 *  `out` may alias `p`. NaN entries are left out of the family and stay NaN; a p outside
 *  [0, 1] or an unknown method is FAIR_EINVAL. Allocates a scratch index of n entries:
 *  FAIR_ENOMEM possible. */
FAIR_API fair_status fair_stats_p_adjust(const double *p, size_t n, fair_p_adjust method,
                                         double *out);

/*! fair_p_adjust_name() : "holm", "bh" or "none" ("unknown" outside the enum). */
FAIR_API const char *fair_p_adjust_name(fair_p_adjust method);

#ifdef __cplusplus
}
#endif
#endif /* FAIR_STATS_H */
