/* fairaudit/metrics.h -- classification rates of one group, from its confusion counts. */
#ifndef FAIR_METRICS_H
#define FAIR_METRICS_H
#include <stdint.h>
#include "fairaudit/export.h"
#ifdef __cplusplus
extern "C" {
#endif

/*! The four cells of a group's confusion table (label = true outcome, pred = decision). */
typedef struct {
    uint64_t tp; /* label 1, pred 1 */
    uint64_t fp; /* label 0, pred 1 */
    uint64_t tn; /* label 0, pred 0 */
    uint64_t fn; /* label 1, pred 0 */
} fair_counts;

/* Per-group metrics, in report order. The second name is the JSON key (a contract). */
#define FAIR_METRIC_MAP(X)                                                                         \
    X(BASE_RATE, base_rate)                                                                        \
    X(SELECTION_RATE, selection_rate)                                                              \
    X(TPR, tpr)                                                                                    \
    X(FPR, fpr)                                                                                    \
    X(FNR, fnr)                                                                                    \
    X(TNR, tnr)                                                                                    \
    X(PPV, ppv)                                                                                    \
    X(NPV, npv)                                                                                    \
    X(FDR, fdr)                                                                                    \
    X(FOR, for)                                                                                    \
    X(ACCURACY, accuracy)                                                                          \
    X(BALANCED_ACCURACY, balanced_accuracy)                                                        \
    X(F1, f1)

typedef enum {
#define X(id, name) FAIR_METRIC_##id,
    FAIR_METRIC_MAP(X)
#undef X
    FAIR_METRIC_COUNT
} fair_metric_id;

/*! One metric of one group. When `defined` is 0, `value` is 0 and `reason` says why
 *  (a static string such as "no actual positives (tp + fn = 0)"); never NaN. For metrics that
 *  are a proportion x/n (all but balanced_accuracy and f1) `num` and `den` hold x and n. */
typedef struct {
    double value;
    int defined;
    const char *reason;
    uint64_t num;
    uint64_t den;
} fair_metric_value;

/*! fair_metric_name() : the JSON key of `m` ("tpr"); "unknown" when out of range. */
FAIR_API const char *fair_metric_name(fair_metric_id m);

/*! fair_metric_from_name() : the id for a JSON key; returns 0 and leaves *m alone if unknown. */
FAIR_API int fair_metric_from_name(const char *name, fair_metric_id *m);

/*! fair_metric_is_proportion() : 1 when the metric is num/den (a binomial proportion). */
FAIR_API int fair_metric_is_proportion(fair_metric_id m);

/*! fair_metrics_compute() : every metric of FAIR_METRIC_MAP from `c` into out[0..COUNT).
 *  Definitions in docs/metrics.md. Reentrant; no allocation. */
FAIR_API void fair_metrics_compute(const fair_counts *c, fair_metric_value out[FAIR_METRIC_COUNT]);

#ifdef __cplusplus
}
#endif
#endif /* FAIR_METRICS_H */
